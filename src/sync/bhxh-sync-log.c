/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "core/bhxh-clock.h"
#include "bhxh-sync-error.h"
#include "bhxh-portal.h"
#include "bhxh-sync-log.h"

static const char * const level_names[] = { "info", "warning", "error" };

char *
bhxh_sync_log_path (const char *db_path)
{
  return g_strconcat (db_path, "-sync.log", NULL);
}

/* ---- no personal data in the log (docs/security.md) ------------------- */

/* Whatever message carried them (a portal's refusal, an import error, a
 * file name), the log keeps none of these in clear:
 *  - an address's user information, query and fragment (a token may ride
 *    there): the address is kept without them;
 *  - an e-mail address: its local part after the first letter;
 *  - an ID number, a mã số BHXH, a phone number: 9 or more digits, in one
 *    run or in groups of 2–4 split by single spaces or dots
 *    ("001 090 012 345"), keep their first and last three digits, as
 *    bhxh_text_mask_id() does (001090012345 → 001******345);
 *  - a name or a place (names of people, streets, communes: two or more
 *    capitalised words in a row, any script — "Nguyễn Thị Lan", "Thái Hà",
 *    "Đống Đa"): each word keeps its first letter (N***** T** L**).
 * The log's own sentences have no such runs, in English or Vietnamese. */
static const char * const mask_patterns[] = {
  /* URLs first: their user information must not be taken for an e-mail. */
  "[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"“”…]+",
  "[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+",
  "(?<![0-9])(?:[0-9]{9,}|[0-9]{2,4}(?:[ .][0-9]{2,4}){2,})(?![0-9])",
  "(?<![\\p{L}\\p{M}])\\p{Lu}\\p{M}*[\\p{Ll}\\p{M}]*"
  "(?:[ ]\\p{Lu}\\p{M}*[\\p{Ll}\\p{M}]*)+(?![\\p{L}\\p{M}])",
};

static gboolean
mask_url_cb (const GMatchInfo *info,
             GString          *out,
             gpointer          user_data)
{
  g_autofree char *match = g_match_info_fetch (info, 0);
  g_autofree char *tail = NULL;
  g_autofree char *shown = NULL;
  gsize len = strlen (match);

  /* The sentence's punctuation is not part of the address. */
  while (len > 0 && strchr (".,;:)!?'", match[len - 1]) != NULL)
    len--;
  tail = g_strdup (match + len);
  match[len] = '\0';
  shown = bhxh_portal_url_for_display (match);
  g_string_append (out, shown);
  g_string_append (out, tail);
  return FALSE;
}

static gboolean
mask_email_cb (const GMatchInfo *info,
               GString          *out,
               gpointer          user_data)
{
  g_autofree char *match = g_match_info_fetch (info, 0);
  const char *at = strrchr (match, '@');
  const char *p = g_utf8_next_char (match);

  g_string_append_len (out, match, p - match);
  for (; p < at; p = g_utf8_next_char (p))
    g_string_append_c (out, '*');
  g_string_append (out, at);
  return FALSE;
}

static gboolean
mask_digits_cb (const GMatchInfo *info,
                GString          *out,
                gpointer          user_data)
{
  g_autofree char *match = g_match_info_fetch (info, 0);
  guint digits = 0, seen = 0;

  for (const char *p = match; *p; p++)
    digits += g_ascii_isdigit (*p) != 0;
  for (const char *p = match; *p; p++)
    {
      gboolean digit = g_ascii_isdigit (*p);

      seen += digit;
      g_string_append_c (out, digits >= 9 && digit && seen > 3 && seen + 3 <= digits ? '*' : *p);
    }
  return FALSE;
}

static gboolean
mask_name_cb (const GMatchInfo *info,
              GString          *out,
              gpointer          user_data)
{
  g_autofree char *match = g_match_info_fetch (info, 0);
  gboolean first = TRUE;

  for (const char *p = match; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ' ')
        {
          g_string_append_c (out, ' ');
          first = TRUE;
        }
      else if (first || g_unichar_ismark (c))
        {
          /* The first letter, with its accents when they are apart. */
          if (first || out->len == 0 || out->str[out->len - 1] != '*')
            g_string_append_unichar (out, c);
          first = FALSE;
        }
      else
        g_string_append_c (out, '*');
    }
  return FALSE;
}

/**
 * bhxh_sync_log_mask:
 * @text: a message
 *
 * Returns: (transfer full): @text without personal data or secrets, as
 *   the sync log keeps it
 */
char *
bhxh_sync_log_mask (const char *text)
{
  static GRegex *regexes[G_N_ELEMENTS (mask_patterns)];
  static gsize ready = 0;
  GRegexEvalCallback callbacks[] = { mask_url_cb, mask_email_cb, mask_digits_cb, mask_name_cb };
  char *masked = g_strdup (text);

  if (g_once_init_enter (&ready))
    {
      for (guint i = 0; i < G_N_ELEMENTS (mask_patterns); i++)
        regexes[i] = g_regex_new (mask_patterns[i], G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&ready, 1);
    }
  if (!g_utf8_validate (masked, -1, NULL))
    {
      /* Not text: nothing of it is worth the risk. */
      g_free (masked);
      return g_strdup ("…");
    }
  for (guint i = 0; i < G_N_ELEMENTS (mask_patterns); i++)
    {
      char *next = g_regex_replace_eval (regexes[i], masked, -1, 0, 0, callbacks[i], NULL,
                                         NULL);

      g_free (masked);
      masked = next;
    }
  return masked;
}

void
bhxh_sync_log_append (const char       *db_path,
                      BhxhSyncLogLevel  level,
                      const char       *event,
                      const char       *format,
                      ...)
{
  g_autofree char *path = bhxh_sync_log_path (db_path);
  g_autofree char *message = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *line = NULL;
  g_autofree char *at = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list args;
  int fd;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  masked = bhxh_sync_log_mask (message);
  at = bhxh_clock_now_iso ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, at);
  json_builder_set_member_name (b, "level");
  json_builder_add_string_value (b, level_names[level]);
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, event);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, masked);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);

  /* One write() per line with O_APPEND: lines of two writers never mix. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      g_debug ("cannot open the sync log %s: %s", path, g_strerror (errno));
      return;
    }
  {
    g_autofree char *with_nl = g_strconcat (line, "\n", NULL);
    gsize len = strlen (with_nl);

    if (write (fd, with_nl, len) != (gssize) len)
      g_debug ("cannot write the sync log %s: %s", path, g_strerror (errno));
  }
  close (fd);
}

JsonNode *
bhxh_sync_log_read (const char  *db_path,
                    GDateTime   *since,
                    GError     **error)
{
  g_autofree char *path = bhxh_sync_log_path (db_path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) local = NULL;
  JsonArray *entries = json_array_new ();

  if (!g_file_get_contents (path, &contents, NULL, &local))
    {
      if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          json_array_unref (entries);
          g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_IO, "%s", local->message);
          return NULL;
        }
      return json_node_init_array (json_node_alloc (), entries);
    }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonNode *node = *lines[i] ? json_from_string (lines[i], NULL) : NULL;
      g_autoptr(GDateTime) at = NULL;

      /* A line cut by a crash is skipped, the rest still reads. */
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          g_clear_pointer (&node, json_node_unref);
          continue;
        }
      at = g_date_time_new_from_iso8601 (
        json_object_get_string_member_with_default (json_node_get_object (node), "at", ""), NULL);
      if (since && (at == NULL || g_date_time_compare (at, since) < 0))
        {
          json_node_unref (node);
          continue;
        }
      json_array_add_element (entries, node);
    }
  return json_node_init_array (json_node_alloc (), entries);
}

static const char *
member (JsonObject *object,
        const char *name)
{
  return json_object_get_string_member_with_default (object, name, "");
}

static const char *
level_display (const char *level)
{
  if (g_str_equal (level, "warning"))
    return _("warning");
  if (g_str_equal (level, "error"))
    return _("error");
  return _("info");
}

char *
bhxh_sync_log_to_text (JsonNode *entries)
{
  JsonArray *array = json_node_get_array (entries);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *e = json_array_get_object_element (array, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (member (e, "at"), NULL);
      g_autofree char *when = at ? g_date_time_format (at, "%F %T") : g_strdup (member (e, "at"));

      g_string_append_printf (out, "%s  %-8s  %s\n", when, level_display (member (e, "level")),
                              member (e, "message"));
    }
  return g_string_free (out, FALSE);
}

static void
append_csv_field (GString    *out,
                  const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
bhxh_sync_log_to_csv (JsonNode *entries)
{
  JsonArray *array = json_node_get_array (entries);
  GString *out = g_string_new ("at,level,event,message\r\n");
  static const char * const fields[] = { "at", "level", "event", "message" };

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *e = json_array_get_object_element (array, i);

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          if (f > 0)
            g_string_append_c (out, ',');
          append_csv_field (out, member (e, fields[f]));
        }
      g_string_append (out, "\r\n");
    }
  return g_string_free (out, FALSE);
}
