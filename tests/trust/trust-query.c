/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trust-query DB: what the crash harness checks in a desk database, read
 * through the store's own connection, so that it works on a database
 * encrypted at rest too (the key from the environment, as bhxh-deskctl
 * takes it). Prints one JSON object: sqlite's integrity_check of the main
 * and mirror files, the foreign key violations, every decision (uuid,
 * declaration, outcome), the outbox rows by state and the decisions that
 * have no outbox row, the mirror version in use. Exit 1 with one line on stderr when the store does
 * not open. */
#include "config.h"

#include <stdio.h>
#include <json-glib/json-glib.h>

#include "store/bhxh-store-private.h"

static void
add_rows (JsonBuilder *b,
          sqlite3     *db,
          const char  *sql)
{
  sqlite3_stmt *stmt = NULL;

  json_builder_begin_array (b);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      /* A query that cannot even be prepared is a finding: say so. */
      json_builder_add_string_value (b, sqlite3_errmsg (db));
      json_builder_end_array (b);
      return;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      json_builder_begin_array (b);
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          if (text != NULL)
            json_builder_add_string_value (b, text);
          else
            json_builder_add_null_value (b);
        }
      json_builder_end_array (b);
    }
  sqlite3_finalize (stmt);
  json_builder_end_array (b);
}

static gboolean
has_schema (sqlite3    *db,
            const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM pragma_database_list WHERE name = ?1", -1,
                          &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *version = NULL;

  if (argc != 2)
    {
      fputs ("usage: trust-query DB\n", stderr);
      return 2;
    }
  store = bhxh_store_open (argv[1], &error);
  if (store == NULL)
    {
      fprintf (stderr, "error: %s\n", error->message);
      return 1;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "integrity");
  add_rows (b, store->db, "PRAGMA main.integrity_check");
  json_builder_set_member_name (b, "mirror_integrity");
  if (has_schema (store->db, "mirror"))
    add_rows (b, store->db, "PRAGMA mirror.integrity_check");
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "foreign_key_violations");
  add_rows (b, store->db, "PRAGMA main.foreign_key_check");
  json_builder_set_member_name (b, "decisions");
  add_rows (b, store->db, "SELECT uuid, declaration_id, outcome FROM decisions");
  json_builder_set_member_name (b, "outbox");
  add_rows (b, store->db, "SELECT state, count(*) FROM outbox GROUP BY state");
  json_builder_set_member_name (b, "without_outbox");
  add_rows (b, store->db,
            "SELECT d.uuid FROM decisions d LEFT JOIN outbox o ON o.decision_uuid = d.uuid "
            "WHERE o.decision_uuid IS NULL");
  json_builder_set_member_name (b, "mirror_version");
  version = bhxh_store_dup_mirror_version (store);
  if (version != NULL)
    json_builder_add_string_value (b, version);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  puts (text);
  return 0;
}
