/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "bhxh-text-diff.h"

/* Longer texts are not names or numbers: mark nothing rather than spend
 * quadratic time on them. */
#define MAX_DIFF_CHARS 512

#define HIGHLIGHT_OPEN \
  "<span background=\"#f9e070\" foreground=\"#1a1a1a\" weight=\"bold\" underline=\"double\">"

static gunichar *
to_chars (const char *text,
          gboolean    ignore_case,
          glong      *len)
{
  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  gunichar *chars = g_utf8_to_ucs4_fast (nfc != NULL ? nfc : "", -1, len);

  if (ignore_case)
    for (glong i = 0; i < *len; i++)
      chars[i] = g_unichar_tolower (chars[i]);
  return chars;
}

/* keep[j] is TRUE when b[j] belongs to the common subsequence. */
static void
lcs_keep (const gunichar *a,
          glong           n,
          const gunichar *b,
          glong           m,
          gboolean       *keep)
{
  g_autofree guint16 *table = g_new0 (guint16, (n + 1) * (m + 1));
  glong i, j;

#define T(x, y) table[(x) * (m + 1) + (y)]
  for (i = n - 1; i >= 0; i--)
    for (j = m - 1; j >= 0; j--)
      T (i, j) = a[i] == b[j] ? T (i + 1, j + 1) + 1 : MAX (T (i + 1, j), T (i, j + 1));

  for (i = 0, j = 0; i < n && j < m;)
    {
      if (a[i] == b[j])
        {
          keep[j] = TRUE;
          i++, j++;
        }
      else if (T (i + 1, j) >= T (i, j + 1))
        i++;
      else
        j++;
    }
#undef T
}

static void
append_run (GString        *out,
            const gunichar *chars,
            glong           from,
            glong           to,
            gboolean        marked)
{
  g_autofree char *utf8 = g_ucs4_to_utf8 (chars + from, to - from, NULL, NULL, NULL);
  g_autofree char *escaped = g_markup_escape_text (utf8 != NULL ? utf8 : "", -1);

  if (marked)
    g_string_append (out, HIGHLIGHT_OPEN);
  g_string_append (out, escaped);
  if (marked)
    g_string_append (out, "</span>");
}

char *
bhxh_text_diff_markup (const char *reference,
                       const char *text,
                       gboolean    ignore_case,
                       guint      *n_marked)
{
  g_autofree gunichar *a = NULL;
  g_autofree gunichar *b = NULL;
  g_autofree gunichar *shown = NULL;
  g_autofree gboolean *keep = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  glong n = 0, m = 0, run_start = 0;
  guint marked = 0;

  if (n_marked != NULL)
    *n_marked = 0;
  if (text == NULL)
    return g_strdup ("");
  if (reference == NULL)
    return g_markup_escape_text (text, -1);

  a = to_chars (reference, ignore_case, &n);
  b = to_chars (text, ignore_case, &m);
  shown = to_chars (text, FALSE, &m);
  if (m == 0 || n > MAX_DIFF_CHARS || m > MAX_DIFF_CHARS)
    return g_markup_escape_text (text, -1);

  keep = g_new0 (gboolean, m + 1);
  lcs_keep (a, n, b, m, keep);

  for (glong j = 0; j <= m; j++)
    {
      if (j < m && !keep[j])
        marked++;
      if (j == m || (j > run_start && keep[j] != keep[run_start]))
        {
          append_run (out, shown, run_start, j, !keep[run_start]);
          run_start = j;
        }
    }

  if (n_marked != NULL)
    *n_marked = marked;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
