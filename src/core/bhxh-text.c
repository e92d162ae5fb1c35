/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bhxh-error.h"
#include "bhxh-text.h"

#define UTF8_BOM "\xEF\xBB\xBF"

/* Vietnamese tone marks, as combining characters after NFD. The other
 * marks (circumflex, breve, horn) change the vowel itself. */
static gboolean
is_tone_mark (gunichar c)
{
  return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

/**
 * bhxh_text_from_bytes:
 * @data: raw bytes, e.g. a scanned payload
 * @len: length of @data, or -1 if nul-terminated
 * @error: return location for a #BhxhCoreError
 *
 * Turns raw input into NFC text: refuses NUL bytes and invalid UTF-8
 * (never guesses a charset), drops a UTF-8 byte order mark.
 *
 * Returns: (transfer full): NFC text, or %NULL with @error set
 */
char *
bhxh_text_from_bytes (const char  *data,
                      gssize       len,
                      GError     **error)
{
  const char *end;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (data);
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_NUL_BYTE,
                           _("The scanned data contains a NUL byte: it is not text from an ID card."));
      return NULL;
    }
  if (len >= 3 && memcmp (data, UTF8_BOM, 3) == 0)
    {
      data += 3;
      len -= 3;
    }
  if (!g_utf8_validate_len (data, len, &end))
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_INVALID_UTF8,
                   _("The scanned data is not valid UTF-8 (at byte %d). "
                     "Set the scanner to send UTF-8 or use serial mode."),
                   (int) (end - data));
      return NULL;
    }

  return g_utf8_normalize (data, len, G_NORMALIZE_NFC);
}

/**
 * bhxh_text_collapse:
 * @text: (nullable): UTF-8 text
 *
 * Trims @text and turns every run of white space (any Unicode space,
 * tabs and line breaks included) into one ASCII space.
 *
 * Returns: (transfer full) (nullable): the collapsed text
 */
char *
bhxh_text_collapse (const char *text)
{
  GString *out;
  gboolean pending_space = FALSE;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x200B || c == 0xFEFF)   /* zero-width: nothing, not a space */
        continue;
      if (g_unichar_isspace (c) || c == 0x00A0)
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * bhxh_text_normalize:
 * @text: (nullable): UTF-8 text
 *
 * NFC, trimmed, white space collapsed: the form names and addresses are
 * stored and shown in.
 *
 * Returns: (transfer full) (nullable): normalised text, %NULL if @text is
 *   %NULL or not valid UTF-8
 */
char *
bhxh_text_normalize (const char *text)
{
  g_autofree char *nfc = NULL;

  if (text == NULL)
    return NULL;

  nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  if (nfc == NULL)
    return NULL;

  return bhxh_text_collapse (nfc);
}

/* Moves the tone mark of each word to the end of the word, so that the
 * old (hòa, thủy) and new (hoà, thuỷ) placements give the same key. */
static char *
canonicalize_tones (const char *folded)
{
  g_autofree char *nfd = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);
  GString *out = g_string_sized_new (strlen (nfd) + 8);
  GString *tones = g_string_new (NULL);

  for (const char *p = nfd;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0 || c == ' ')
        {
          g_string_append_len (out, tones->str, tones->len);
          g_string_truncate (tones, 0);
          if (c == 0)
            break;
          g_string_append_c (out, ' ');
        }
      else if (is_tone_mark (c))
        g_string_append_unichar (tones, c);
      else
        g_string_append_unichar (out, c);
    }

  g_string_free (tones, TRUE);
  return g_string_free (out, FALSE);
}

/**
 * bhxh_text_equivalence_key:
 * @text: (nullable): UTF-8 text
 *
 * A key equal for two texts that differ only in formatting: Unicode
 * normalisation, white space, letter case, or old- versus new-style tone
 * placement. Diacritics themselves still count.
 *
 * Returns: (transfer full) (nullable): the key
 */
char *
bhxh_text_equivalence_key (const char *text)
{
  g_autofree char *normal = bhxh_text_normalize (text);
  g_autofree char *folded = NULL;

  if (normal == NULL)
    return NULL;

  folded = g_utf8_casefold (normal, -1);
  return canonicalize_tones (folded);
}

/**
 * bhxh_text_fold:
 * @text: (nullable): UTF-8 text
 *
 * Strips every diacritic (đ becomes d), lower-cases and collapses white
 * space: the key for search without diacritics and for the
 * "differs in diacritics" level.
 *
 * Returns: (transfer full) (nullable): the folded text
 */
char *
bhxh_text_fold (const char *text)
{
  g_autofree char *normal = bhxh_text_normalize (text);
  g_autofree char *nfd = NULL;
  GString *out;

  if (normal == NULL)
    return NULL;

  nfd = g_utf8_normalize (normal, -1, G_NORMALIZE_NFD);
  out = g_string_sized_new (strlen (nfd));
  for (const char *p = nfd; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      if (c == 0x0111 || c == 0x0110)   /* đ Đ */
        c = 'd';
      else if (c == 0x0131)             /* dotless i */
        c = 'i';
      else
        c = g_unichar_tolower (c);
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * bhxh_text_is_blank:
 * @text: (nullable): UTF-8 text
 *
 * Whether @text is %NULL, empty or only white space (any Unicode space):
 * a note, a name or a login that says nothing. Bytes that are not UTF-8
 * are something, not blank.
 */
gboolean
bhxh_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/**
 * bhxh_text_is_digits:
 * @text: (nullable): text
 * @n_digits: the required length, or 0 for any non-zero length
 *
 * Returns: %TRUE if @text is only ASCII digits, @n_digits of them
 */
gboolean
bhxh_text_is_digits (const char *text,
                     gsize       n_digits)
{
  gsize n = 0;

  if (text == NULL || *text == '\0')
    return FALSE;
  for (; *text; text++, n++)
    if (!g_ascii_isdigit (*text))
      return FALSE;

  return n_digits == 0 || n == n_digits;
}

/**
 * bhxh_text_mask_id:
 * @id_number: (nullable): an ID number or code
 *
 * Masks the middle of a number for screens and papers that do not need
 * all of it: `001090012345` → `001******345`.
 *
 * Returns: (transfer full) (nullable): the masked number
 */
char *
bhxh_text_mask_id (const char *id_number)
{
  gsize len, keep_head, keep_tail;
  char *out;

  if (id_number == NULL)
    return NULL;

  len = strlen (id_number);
  keep_head = len > 6 ? 3 : 0;
  keep_tail = len > 6 ? 3 : MIN (len / 3, 2);
  out = g_strdup (id_number);
  for (gsize i = keep_head; i + keep_tail < len; i++)
    out[i] = '*';

  return out;
}

/**
 * bhxh_text_find_digits:
 * @text: (nullable): any text
 * @n_digits: length of the run wanted
 *
 * Finds the first run of exactly @n_digits ASCII digits that is not part
 * of a longer run, e.g. a 12-digit number in a birth certificate's code.
 *
 * Returns: (transfer full) (nullable): the digits, or %NULL
 */
char *
bhxh_text_find_digits (const char *text,
                       gsize       n_digits)
{
  const char *p = text;

  g_return_val_if_fail (n_digits > 0, NULL);

  if (text == NULL)
    return NULL;

  while (*p)
    {
      const char *start;

      if (!g_ascii_isdigit (*p))
        {
          p++;
          continue;
        }
      start = p;
      while (g_ascii_isdigit (*p))
        p++;
      if ((gsize) (p - start) == n_digits)
        return g_strndup (start, n_digits);
    }

  return NULL;
}

/**
 * bhxh_text_has_word_prefix:
 * @text: (nullable): a folded name (bhxh_text_fold()), or several fields
 *   separated by spaces or control characters
 * @prefix: (nullable): a folded query
 *
 * Name search by words (DOMAIN.md §9): whether @prefix starts at the
 * start of a word of @text — "hang" finds "nguyen thi hang" and
 * "hang nga", never "thang". A query of several words must start at a
 * word and run on as typed ("thi hang"). An empty @prefix is found
 * everywhere.
 *
 * Returns: %TRUE when @prefix begins a word of @text
 */
gboolean
bhxh_text_has_word_prefix (const char *text,
                           const char *prefix)
{
  const char *p;
  size_t rest;

  if (prefix == NULL || *prefix == '\0')
    return TRUE;
  if (text == NULL)
    return FALSE;
  /* The first byte found by strchr(), the rest compared only at the start
   * of a word: the queue's filter runs this over 100k keys per keystroke,
   * and a strstr() restarted after each hit of a short query cost more. */
  rest = strlen (prefix + 1);
  for (p = strchr (text, prefix[0]); p != NULL; p = strchr (p + 1, prefix[0]))
    if ((p == text || (guchar) p[-1] <= ' ') && strncmp (p + 1, prefix + 1, rest) == 0)
      return TRUE;
  return FALSE;
}
