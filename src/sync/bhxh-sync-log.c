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
#include "bhxh-sync-log.h"

static const char * const level_names[] = { "info", "warning", "error" };

char *
bhxh_sync_log_path (const char *db_path)
{
  return g_strconcat (db_path, "-sync.log", NULL);
}

/* No personal data in the log (docs/security.md): any run of 9 or more
 * digits (a CCCD or old ID number, a mã số BHXH) is masked in place the
 * way bhxh_text_mask_id() does it, 001090012345 → 001******345, whatever
 * message (a portal's refusal, an import error) carried it. */
static void
mask_long_numbers (char *text)
{
  for (char *p = text; *p != '\0';)
    {
      gsize run = 0;

      while (g_ascii_isdigit (p[run]))
        run++;
      if (run >= 9)
        memset (p + 3, '*', run - 6);
      p += run > 0 ? run : 1;
    }
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
  mask_long_numbers (message);
  at = bhxh_clock_now_iso ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, at);
  json_builder_set_member_name (b, "level");
  json_builder_add_string_value (b, level_names[level]);
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, event);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
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
