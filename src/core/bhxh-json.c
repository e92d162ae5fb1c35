/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bhxh-error.h"
#include "bhxh-json.h"
#include "bhxh-text.h"

/* No field of a declaration (a name, an address, a reason) comes near this. */
#define BHXH_JSON_MAX_TEXT 4096

void
bhxh_json_add_string (JsonBuilder *builder,
                      const char  *key,
                      const char  *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
bhxh_json_add_date (JsonBuilder    *builder,
                    const char     *key,
                    const BhxhDate *date)
{
  g_autofree char *iso = bhxh_date_to_iso (date);

  bhxh_json_add_string (builder, key, iso);
}

/* RFC 3339 with the offset, e.g. 2026-11-20T08:15:00+07:00. */
char *
bhxh_date_time_to_string (GDateTime *value)
{
  g_autofree char *offset = NULL;

  if (value == NULL)
    return NULL;

  /* RFC 3339 years have four digits; GLib's %Y drops the zeros of a year
   * before 1000, which then cannot be read back (found by fuzzing). */
  offset = g_date_time_format (value, "%:z");
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d%s",
                          g_date_time_get_year (value), g_date_time_get_month (value),
                          g_date_time_get_day_of_month (value), g_date_time_get_hour (value),
                          g_date_time_get_minute (value), g_date_time_get_second (value), offset);
}

void
bhxh_json_add_date_time (JsonBuilder *builder,
                         const char  *key,
                         GDateTime   *value)
{
  g_autofree char *text = bhxh_date_time_to_string (value);

  bhxh_json_add_string (builder, key, text);
}

static gboolean
bad_type (const char  *key,
          const char  *expected,
          GError     **error)
{
  g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
               _("“%s” must be %s."), key, expected);
  return FALSE;
}

/**
 * bhxh_json_dup_string:
 * @object: a JSON object
 * @key: a member name
 * @error: set when the member is there but not a string
 *
 * Returns: (transfer full) (nullable): the member as normalised text
 *   (NFC, trimmed, white space collapsed); %NULL when absent, null or
 *   empty — and then @error is not set
 */
char *
bhxh_json_dup_string (JsonObject  *object,
                      const char  *key,
                      GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *text = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      bad_type (key, _("a text"), error);
      return NULL;
    }

  if (strlen (json_node_get_string (node)) > BHXH_JSON_MAX_TEXT)
    {
      g_set_error (error, BHXH_CORE_ERROR, BHXH_CORE_ERROR_BAD_VALUE,
                   _("“%s” is too long (more than %d bytes)."), key, BHXH_JSON_MAX_TEXT);
      return NULL;
    }
  text = bhxh_text_normalize (json_node_get_string (node));
  if (text == NULL || *text == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

gboolean
bhxh_json_get_date (JsonObject  *object,
                    const char  *key,
                    BhxhDate    *out,
                    GError     **error)
{
  GError *local_error = NULL;
  g_autofree char *text = bhxh_json_dup_string (object, key, &local_error);

  *out = BHXH_DATE_NONE;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (text == NULL)
    return TRUE;

  return bhxh_date_parse (text, out, error);
}

gboolean
bhxh_json_get_date_time (JsonObject  *object,
                         const char  *key,
                         GDateTime  **out,
                         GError     **error)
{
  GError *local_error = NULL;
  g_autofree char *text = bhxh_json_dup_string (object, key, &local_error);
  g_autoptr(GTimeZone) local = NULL;

  *out = NULL;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (text == NULL)
    return TRUE;

  local = g_time_zone_new_local ();
  *out = g_date_time_new_from_iso8601 (text, local);
  if (*out == NULL)
    return bad_type (key, _("a date and time like 2026-11-20T08:15:00+07:00"), error);

  return TRUE;
}

/**
 * bhxh_json_depth_ok:
 * @data: JSON text
 * @len: its length
 * @max_depth: the deepest nesting of arrays and objects allowed
 *
 * json-glib parses recursively: input nested deeper than the stack allows
 * (e.g. 100 000 '[') would crash the program. Real data nests a few
 * levels; check before parsing anything that comes from outside.
 *
 * Returns: %TRUE if @data nests no deeper than @max_depth
 */
gboolean
bhxh_json_depth_ok (const char *data,
                    gsize       len,
                    guint       max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if ((c == '[' || c == '{') && ++depth > max_depth)
        return FALSE;
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/* @key's array, or %NULL when absent or not an array (json-glib 1.6 has
 * no json_object_get_array_member_with_default()). */
JsonArray *
bhxh_json_get_array (JsonObject *object,
                     const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}
