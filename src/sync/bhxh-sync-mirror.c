/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "store/bhxh-crypt.h"
#include "bhxh-sync-private.h"

char *
_bhxh_sync_cache_dir (const char *db_path)
{
  return g_strconcat (db_path, "-sync", NULL);
}

/* Versions come from the portal: keep only safe characters in file names. */
char *
_bhxh_sync_cache_path (const char *db_path,
                       const char *version,
                       const char *suffix)
{
  g_autofree char *dir = _bhxh_sync_cache_dir (db_path);
  g_autofree char *safe = g_strdup (version);
  g_autofree char *name = NULL;

  g_strcanon (safe, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "-_.", '_');
  if (safe[0] == '.')
    safe[0] = '_';
  name = g_strdup_printf ("mirror-%s%s", safe, suffix);
  g_mkdir_with_parents (dir, 0700);
  return g_build_filename (dir, name, NULL);
}

char *
_bhxh_sync_snapshot_path (const char *db_path,
                          const char *version)
{
  return _bhxh_sync_cache_path (db_path, version, ".jsonl");
}

void
_bhxh_sync_prune_snapshots (const char *db_path,
                            const char *keep_version)
{
  g_autofree char *dir_path = _bhxh_sync_cache_dir (db_path);
  g_autofree char *keep = _bhxh_sync_snapshot_path (db_path, keep_version);
  g_autofree char *keep_name = g_path_get_basename (keep);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (name, "mirror-") || g_str_equal (name, keep_name))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      g_unlink (path);
    }
}

static char *
node_to_line (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static const char *
line_code (const char *line,
           JsonNode  **parsed)
{
  *parsed = json_from_string (line, NULL);
  if (*parsed == NULL || !JSON_NODE_HOLDS_OBJECT (*parsed))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (*parsed),
                                                     "bhxh_code", NULL);
}

/* Keeps the base file's order, so a delta changes as few lines as it can.
 * Both snapshots are sealed with the store's key (labelled with their
 * versions) on an encrypted store: the registry is never on disk in clear. */
gboolean
_bhxh_sync_apply_delta (BhxhStore   *store,
                        const char  *base,
                        const char  *from,
                        JsonArray   *changes,
                        const char  *out,
                        const char  *to,
                        guint64     *n_rows,
                        GError     **error)
{
  g_autoptr(GBytes) base_bytes = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) replace = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) result = g_string_new (NULL);
  guint64 rows = 0;

  base_bytes = bhxh_store_read_sealed (store, from, base, error);
  if (base_bytes == NULL)
    return FALSE;
  contents = g_strndup (g_bytes_get_data (base_bytes, NULL), g_bytes_get_size (base_bytes));
  /* code → new line, or "" for a deletion. */
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *op = change ? json_object_get_string_member_with_default (change, "op", "")
                              : "";
      JsonNode *person = change ? json_object_get_member (change, "person") : NULL;

      if (g_str_equal (op, "upsert") && person && JSON_NODE_HOLDS_OBJECT (person)
          && json_object_get_string_member_with_default (json_node_get_object (person),
                                                         "bhxh_code", NULL))
        g_hash_table_replace (replace,
                              g_strdup (json_object_get_string_member (
                                json_node_get_object (person), "bhxh_code")),
                              node_to_line (person));
      else if (g_str_equal (op, "delete")
               && json_object_get_string_member_with_default (change, "bhxh_code", NULL))
        g_hash_table_replace (replace,
                              g_strdup (json_object_get_string_member (change, "bhxh_code")),
                              g_strdup (""));
      else
        {
          g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_PROTOCOL,
                       _("The mirror delta has a malformed change (number %u)."), i + 1);
          return FALSE;
        }
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) parsed = NULL;
      g_autofree char *key = NULL;
      g_autofree char *replacement = NULL;
      const char *code;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      code = line_code (lines[i], &parsed);
      if (code && g_hash_table_steal_extended (replace, code, (gpointer *) &key,
                                               (gpointer *) &replacement))
        {
          if (*replacement == '\0')
            continue;
          g_string_append (result, replacement);
        }
      else
        g_string_append (result, lines[i]);
      g_string_append_c (result, '\n');
      rows++;
    }
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, replace);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (*(const char *) value != '\0')
        {
          g_string_append (result, value);
          g_string_append_c (result, '\n');
          rows++;
        }
  }
  if (n_rows)
    *n_rows = rows;
  return bhxh_store_write_sealed (store, to, result->str, result->len, out, error);
}

gboolean
_bhxh_sync_mirror_delta (BhxhStore        *store,
                         const char       *from,
                         const char       *to,
                         JsonArray        *changes,
                         BhxhProgressFunc  progress,
                         gpointer          user_data,
                         GCancellable     *cancellable,
                         guint64          *n_rows,
                         GError          **error)
{
  const char *db_path = bhxh_store_get_path (store);
  g_autofree char *base = _bhxh_sync_snapshot_path (db_path, from);
  g_autofree char *out = NULL;

  if (!g_file_test (base, G_FILE_TEST_IS_REGULAR))
    {
      if (!bhxh_store_apply_mirror_delta (store, from, to, changes, n_rows, error))
        return FALSE;
      _bhxh_sync_prune_snapshots (db_path, to);
      return TRUE;
    }
  out = _bhxh_sync_snapshot_path (db_path, to);
  if (!_bhxh_sync_apply_delta (store, base, from, changes, out, to, NULL, error) ||
      !bhxh_store_import_mirror (store, out, BHXH_MIRROR_FORMAT_JSONL, to, progress, user_data,
                                 cancellable, n_rows, error))
    return FALSE;
  _bhxh_sync_prune_snapshots (db_path, to);
  return TRUE;
}

gboolean
_bhxh_sync_save_offices (BhxhStore  *store,
                         JsonArray  *offices,
                         guint      *n,
                         GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_office_free);

  for (guint i = 0; i < json_array_get_length (offices); i++)
    {
      JsonObject *o = json_array_get_object_element (offices, i);
      BhxhOffice *office;

      if (o == NULL || json_object_get_string_member_with_default (o, "code", NULL) == NULL)
        {
          g_set_error (error, BHXH_SYNC_ERROR, BHXH_SYNC_ERROR_PROTOCOL,
                       _("The portal sent an office without a code."));
          return FALSE;
        }
      office = g_new0 (BhxhOffice, 1);
      office->code = g_strdup (json_object_get_string_member (o, "code"));
      office->parent_code = g_strdup (json_object_get_string_member_with_default (o,
                                                                                  "parent_code",
                                                                                  NULL));
      office->name = g_strdup (json_object_get_string_member_with_default (o, "name", ""));
      g_ptr_array_add (list, office);
    }
  *n = list->len;
  return bhxh_store_replace_offices (store, list, error);
}

/* The store has no table for the portal's reason codes yet: they are kept
 * as a JSON meta value ("sync.reason_codes"), [{"code", "label"}, ...]. */
gboolean
_bhxh_sync_save_reasons (BhxhStore  *store,
                         JsonArray  *reasons,
                         guint      *n,
                         GError    **error)
{
  g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), reasons);
  g_autofree char *text = node_to_line (node);

  *n = json_array_get_length (reasons);
  return bhxh_store_set_meta (store, "sync.reason_codes", text, error);
}
