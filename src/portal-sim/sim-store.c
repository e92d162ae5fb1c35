/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "core/bhxh-audit-chain.h"
#include "core/bhxh-clock.h"
#include "sync/bhxh-bundle.h"
#include "sim-store.h"

G_DEFINE_QUARK (sim-error-quark, sim_error)

struct _SimStore
{
  sqlite3    *db;
  GHashTable *idle;    /* the caller's SQL string → a prepared statement not in use */
  GHashTable *in_use;  /* statement → the SQL string it was asked for with */
  gint64      last_seq;   /* of the declarations: 0 until read from the file */
  gint64      last_decision;   /* rowid of the last decision: 0 until read */
  int         any_claims;   /* -1 until read: most decisions come without one */
};

static const char schema[] =
  "PRAGMA journal_mode=WAL;"
  "PRAGMA synchronous=NORMAL;"
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
  "CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, workstation TEXT NOT NULL,"
  "  office_code TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'active');"
  "CREATE TABLE IF NOT EXISTS offices (code TEXT PRIMARY KEY, parent_code TEXT, name TEXT);"
  "CREATE TABLE IF NOT EXISTS reasons (code TEXT PRIMARY KEY, label TEXT);"
  "CREATE TABLE IF NOT EXISTS rules (key TEXT PRIMARY KEY, value TEXT);"
  "CREATE TABLE IF NOT EXISTS declarations (id TEXT PRIMARY KEY, office_code TEXT,"
  "  seq INTEGER NOT NULL, status TEXT, decided_uuid TEXT, body TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS declarations_seq ON declarations (seq);"
  "CREATE TABLE IF NOT EXISTS portraits (declaration_id TEXT PRIMARY KEY, image BLOB NOT NULL);"
  "CREATE TABLE IF NOT EXISTS mirror_versions (n INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  version TEXT UNIQUE NOT NULL, published_at TEXT, rows INTEGER, sha256 TEXT, body BLOB);"
  "CREATE TABLE IF NOT EXISTS mirror_deltas (to_n INTEGER PRIMARY KEY, changes TEXT);"
  "CREATE TABLE IF NOT EXISTS decisions (uuid TEXT PRIMARY KEY, declaration_id TEXT,"
  "  workstation TEXT, fingerprint TEXT, body TEXT, status TEXT, reason_code TEXT,"
  "  message TEXT, ack_id TEXT, acknowledged_at TEXT, received INTEGER NOT NULL DEFAULT 1);"
  "CREATE TABLE IF NOT EXISTS claims (declaration_id TEXT PRIMARY KEY, clerk TEXT,"
  "  workstation TEXT, expires_at INTEGER, clerk_name TEXT);"
  "CREATE TABLE IF NOT EXISTS audit_keys (workstation TEXT PRIMARY KEY, key_id TEXT,"
  "  key BLOB, keyed_from INTEGER);"
  "CREATE TABLE IF NOT EXISTS audit_heads (workstation TEXT PRIMARY KEY, seq INTEGER,"
  "  hash TEXT, broken_at INTEGER);"
  "CREATE TABLE IF NOT EXISTS bundle_keys (workstation TEXT NOT NULL, key_id TEXT NOT NULL,"
  "  key BLOB NOT NULL, PRIMARY KEY (workstation, key_id));"
  "CREATE TABLE IF NOT EXISTS bundle_seqs (workstation TEXT PRIMARY KEY, seq INTEGER);";

static gboolean
exec (SimStore    *self,
      const char  *sql,
      GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, SIM_ERROR, SIM_ERROR_DB, "sqlite: %s", message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* Statements are kept prepared: a batch of 500 decisions prepared some
 * 3000 statements, most of the simulator's work per decision. prepare()
 * takes an idle one (or makes one), release() resets it and puts it back;
 * a statement in use is never handed out twice. The statements are found
 * by the address of their SQL (string literals): hashing the text of each
 * statement twice per use was a tenth of the work per decision. The text is
 * still compared, so two strings at one address in turn stay apart. */
static sqlite3_stmt *
prepare (SimStore   *self,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (g_hash_table_steal_extended (self->idle, sql, NULL, (gpointer *) &stmt)
      && strcmp (sqlite3_sql (stmt), sql) != 0)
    g_clear_pointer (&stmt, sqlite3_finalize);
  if (stmt == NULL
      && sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    g_error ("sim: bad SQL %s: %s", sql, sqlite3_errmsg (self->db));
  g_hash_table_insert (self->in_use, stmt, (gpointer) sql);
  return stmt;
}

static void
release (SimStore     *self,
         sqlite3_stmt *stmt)
{
  gpointer sql = NULL;

  if (stmt == NULL)
    return;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (!g_hash_table_steal_extended (self->in_use, stmt, NULL, &sql)
      || g_hash_table_contains (self->idle, sql))
    sqlite3_finalize (stmt);
  else
    g_hash_table_insert (self->idle, sql, stmt);
}

static gboolean
step_done (SimStore      *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  release (self, stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_set_error (error, SIM_ERROR, SIM_ERROR_DB, "sqlite: %s", sqlite3_errmsg (self->db));
      return FALSE;
    }
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           i,
           const char   *text)
{
  if (text)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

SimStore *
sim_store_open (const char  *path,
                GError     **error)
{
  SimStore *self = g_new0 (SimStore, 1);

  self->any_claims = -1;
  self->idle = g_hash_table_new_full (NULL, NULL, NULL, finalize_stmt);
  self->in_use = g_hash_table_new (NULL, NULL);
  if (sqlite3_open (path, &self->db) != SQLITE_OK)
    {
      g_set_error (error, SIM_ERROR, SIM_ERROR_DB, "cannot open %s: %s",
                   path, sqlite3_errmsg (self->db));
      sim_store_free (self);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  if (!exec (self, schema, error))
    {
      sim_store_free (self);
      return NULL;
    }
  return self;
}

void
sim_store_free (SimStore *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->idle, g_hash_table_unref);
  g_clear_pointer (&self->in_use, g_hash_table_unref);
  sqlite3_close (self->db);
  g_free (self);
}

gboolean
sim_store_begin (SimStore  *self,
                 GError   **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
sim_store_commit (SimStore  *self,
                  GError   **error)
{
  return exec (self, "COMMIT", error);
}

void
sim_store_rollback (SimStore *self)
{
  exec (self, "ROLLBACK", NULL);
  /* Read again: what the transaction took is given back. */
  self->last_seq = 0;
  self->last_decision = 0;
  self->any_claims = -1;
}

static gint64
query_int (SimStore   *self,
           const char *sql,
           const char *arg)
{
  sqlite3_stmt *stmt = prepare (self, sql);
  gint64 value = -1;

  bind_text (stmt, 1, arg);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  release (self, stmt);
  return value;
}

/* Whether a claim may exist: checking every decision against an empty
 * table was two statements of the six per decision. */
static gboolean
may_have_claims (SimStore *self)
{
  if (self->any_claims < 0)
    self->any_claims = query_int (self, "SELECT EXISTS (SELECT 1 FROM claims)", NULL) != 0;
  return self->any_claims;
}

gboolean
sim_store_is_empty (SimStore *self)
{
  return query_int (self, "SELECT count(*) FROM tokens", NULL) == 0;
}

static gint64
next_seq (SimStore *self)
{
  /* The simulator is the file's only writer: read the last one once. */
  if (self->last_seq == 0)
    self->last_seq = query_int (self, "SELECT coalesce(max(seq), 0) FROM declarations", NULL);

  return ++self->last_seq;
}

/* ---- accounts ---------------------------------------------------------- */

gboolean
sim_store_add_token (SimStore    *self,
                     const char  *token,
                     const char  *workstation,
                     const char  *office_code,
                     GError     **error)
{
  sqlite3_stmt *stmt = prepare (self,
    "INSERT OR REPLACE INTO tokens (token, workstation, office_code) VALUES (?, ?, ?)");

  bind_text (stmt, 1, token);
  bind_text (stmt, 2, workstation);
  bind_text (stmt, 3, office_code);
  return step_done (self, stmt, error);
}

/* The account of the first row @sql (one text parameter) finds. */
static SimAccount *
lookup_account (SimStore   *self,
                const char *sql,
                const char *key)
{
  sqlite3_stmt *stmt = prepare (self, sql);
  SimAccount *account = NULL;

  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      account = g_new0 (SimAccount, 1);
      account->workstation = column_dup (stmt, 0);
      account->office_code = column_dup (stmt, 1);
      account->status = column_dup (stmt, 2);
    }
  release (self, stmt);
  return account;
}

SimAccount *
sim_store_lookup_token (SimStore   *self,
                        const char *token)
{
  return lookup_account (self, "SELECT workstation, office_code, status FROM tokens"
                               " WHERE token = ?", token);
}

SimAccount *
sim_store_lookup_workstation (SimStore   *self,
                              const char *workstation)
{
  return lookup_account (self, "SELECT workstation, office_code, status FROM tokens"
                               " WHERE workstation = ? LIMIT 1", workstation);
}

gboolean
sim_store_set_account_status (SimStore    *self,
                              const char  *workstation,
                              const char  *status,
                              GError     **error)
{
  sqlite3_stmt *stmt = prepare (self,
    "UPDATE tokens SET status = ? WHERE workstation = ? OR ? IS NULL");

  bind_text (stmt, 1, status);
  bind_text (stmt, 2, workstation);
  bind_text (stmt, 3, workstation);
  return step_done (self, stmt, error);
}

void
sim_account_free (SimAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->workstation);
  g_free (account->office_code);
  g_free (account->status);
  g_free (account);
}

/* ---- reference data ---------------------------------------------------- */

gboolean
sim_store_put_office (SimStore    *self,
                      const char  *code,
                      const char  *parent_code,
                      const char  *name,
                      GError     **error)
{
  sqlite3_stmt *stmt = prepare (self,
    "INSERT OR REPLACE INTO offices (code, parent_code, name) VALUES (?, ?, ?)");

  bind_text (stmt, 1, code);
  bind_text (stmt, 2, parent_code);
  bind_text (stmt, 3, name);
  return step_done (self, stmt, error);
}

gboolean
sim_store_put_reason (SimStore    *self,
                      const char  *code,
                      const char  *label,
                      GError     **error)
{
  sqlite3_stmt *stmt = prepare (self,
    "INSERT OR REPLACE INTO reasons (code, label) VALUES (?, ?)");

  bind_text (stmt, 1, code);
  bind_text (stmt, 2, label);
  return step_done (self, stmt, error);
}

gboolean
sim_store_put_rule (SimStore    *self,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  sqlite3_stmt *stmt = prepare (self,
    "INSERT OR REPLACE INTO rules (key, value) VALUES (?, ?)");

  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);
  return step_done (self, stmt, error);
}

/* A node holding @array, which it takes: json_node_init_array() takes a
 * reference of its own (each page of a pull leaked its array). */
static JsonNode *
array_node (JsonArray *array)
{
  JsonNode *node = json_node_init_array (json_node_alloc (), array);

  json_array_unref (array);
  return node;
}

/* Rows of two or three text columns become objects with these keys. */
static JsonNode *
list_rows (SimStore           *self,
           const char         *sql,
           const char * const *keys)
{
  sqlite3_stmt *stmt = prepare (self, sql);
  JsonArray *array = json_array_new ();

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *object = json_object_new ();

      for (int i = 0; keys[i] != NULL; i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          if (text)
            json_object_set_string_member (object, keys[i], text);
          else
            json_object_set_null_member (object, keys[i]);
        }
      json_array_add_object_element (array, object);
    }
  release (self, stmt);
  return array_node (array);
}

JsonNode *
sim_store_list_offices (SimStore *self)
{
  static const char * const keys[] = { "code", "parent_code", "name", NULL };

  return list_rows (self, "SELECT code, parent_code, name FROM offices ORDER BY code", keys);
}

JsonNode *
sim_store_list_reasons (SimStore *self)
{
  static const char * const keys[] = { "code", "label", NULL };

  return list_rows (self, "SELECT code, label FROM reasons ORDER BY code", keys);
}

JsonNode *
sim_store_list_rules (SimStore *self)
{
  static const char * const keys[] = { "key", "value", NULL };

  return list_rows (self, "SELECT key, value FROM rules ORDER BY key", keys);
}

/* ---- declarations ------------------------------------------------------ */

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* The photo a seeded declaration carries inline ("portrait": {"sha256",
 * "size", "data"}) goes to its own table: the feed names it, and
 * /v1/declarations/{id}/portrait serves it. */
static gboolean
split_portrait (SimStore    *self,
                const char  *id,
                JsonObject  *object,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, "portrait");
  JsonObject *ref = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *data = ref ? json_object_get_string_member_with_default (ref, "data", NULL) : NULL;
  g_autofree guchar *image = NULL;
  sqlite3_stmt *stmt;
  gsize len;

  if (ref == NULL)
    {
      stmt = prepare (self, "DELETE FROM portraits WHERE declaration_id = ?1");
      bind_text (stmt, 1, id);
      return step_done (self, stmt, error);
    }
  if (data == NULL)
    return TRUE;
  image = g_base64_decode (data, &len);
  stmt = prepare (self, "INSERT OR REPLACE INTO portraits (declaration_id, image) VALUES (?1, ?2)");
  bind_text (stmt, 1, id);
  sqlite3_bind_blob (stmt, 2, image, len, SQLITE_TRANSIENT);
  json_object_remove_member (ref, "data");
  return step_done (self, stmt, error);
}

GBytes *
sim_store_get_portrait (SimStore   *self,
                        const char *declaration_id)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT image FROM portraits WHERE declaration_id = ?1");
  GBytes *image = NULL;

  bind_text (stmt, 1, declaration_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    image = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  release (self, stmt);
  return image;
}

static gboolean
put_declaration (SimStore    *self,
                 JsonObject  *object,
                 GError     **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *body = NULL;
  const char *id = json_object_get_string_member_with_default (object, "id", NULL);
  sqlite3_stmt *stmt;

  if (id == NULL || *id == '\0')
    {
      g_set_error (error, SIM_ERROR, SIM_ERROR_BAD_REQUEST, "declaration without id");
      return FALSE;
    }
  if (!split_portrait (self, id, object, error))
    return FALSE;
  body = node_to_string (node);
  stmt = prepare (self,
    "INSERT INTO declarations (id, office_code, seq, status, body) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (id) DO UPDATE SET office_code = ?2, seq = ?3, status = ?4, body = ?5");
  bind_text (stmt, 1, id);
  bind_text (stmt, 2, json_object_get_string_member_with_default (object, "office_code", NULL));
  sqlite3_bind_int64 (stmt, 3, next_seq (self));
  bind_text (stmt, 4, json_object_get_string_member_with_default (object, "status",
                                                                  "pending"));
  bind_text (stmt, 5, body);
  return step_done (self, stmt, error);
}

gboolean
sim_store_put_declarations (SimStore    *self,
                            JsonNode    *root,
                            guint       *n_put,
                            GError     **error)
{
  JsonArray *array = NULL;

  if (JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root)
           && json_object_has_member (json_node_get_object (root), "declarations"))
    array = json_object_get_array_member (json_node_get_object (root), "declarations");
  if (array == NULL)
    {
      g_set_error (error, SIM_ERROR, SIM_ERROR_BAD_REQUEST, "no declarations array");
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element)
          || !put_declaration (self, json_node_get_object (element), error))
        {
          if (error && *error == NULL)
            g_set_error (error, SIM_ERROR, SIM_ERROR_BAD_REQUEST, "element %u not an object", i);
          return FALSE;
        }
    }
  if (n_put)
    *n_put = json_array_get_length (array);
  return TRUE;
}

/* The office subtree comes from the office table, which is data: codes
 * are not assumed to nest by prefix. */
JsonNode *
sim_store_list_declarations (SimStore   *self,
                             const char *office_code,
                             gint64      after_seq,
                             guint       limit,
                             gint64     *next,
                             gboolean   *has_more)
{
  sqlite3_stmt *stmt = prepare (self,
    "WITH RECURSIVE sub (code) AS (SELECT ?1 UNION"
    "  SELECT o.code FROM offices o JOIN sub ON o.parent_code = sub.code)"
    " SELECT seq, body, status FROM declarations"
    " WHERE seq > ?2 AND (?1 IS NULL OR office_code IN (SELECT code FROM sub))"
    " ORDER BY seq LIMIT ?3");
  JsonArray *array = json_array_new ();
  JsonNode *node;
  guint n = 0;

  *next = after_seq;
  bind_text (stmt, 1, office_code);
  sqlite3_bind_int64 (stmt, 2, after_seq);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (n == limit)
        break;
      node = json_from_string ((const char *) sqlite3_column_text (stmt, 1), NULL);
      /* The status is the column's: a decision changes only that. */
      if (node && JSON_NODE_HOLDS_OBJECT (node))
        json_object_set_string_member (json_node_get_object (node), "status",
                                       (const char *) sqlite3_column_text (stmt, 2));
      if (node)
        json_array_add_element (array, node);
      *next = sqlite3_column_int64 (stmt, 0);
      n++;
    }
  *has_more = sqlite3_stmt_busy (stmt) && n == limit;
  release (self, stmt);
  return array_node (array);
}

gboolean
sim_store_has_declaration (SimStore   *self,
                           const char *declaration_id)
{
  return query_int (self, "SELECT count(*) FROM declarations WHERE id = ?",
                    declaration_id) > 0;
}

/* ---- mirror ------------------------------------------------------------ */

/* bhxh_code → the line's text, for one JSONL snapshot. */
static GHashTable *
index_jsonl (GBytes *jsonl)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gsize len;
  const char *data = g_bytes_get_data (jsonl, &len);
  g_autofree char *copy = g_strndup (data, len);
  g_auto(GStrv) lines = g_strsplit (copy, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      const char *code;

      g_strstrip (lines[i]);
      if (*lines[i] == '\0')
        continue;
      node = json_from_string (lines[i], NULL);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      code = json_object_get_string_member_with_default (json_node_get_object (node),
                                                         "bhxh_code", NULL);
      if (code)
        g_hash_table_replace (table, g_strdup (code), g_strdup (lines[i]));
    }
  return table;
}

static JsonArray *
diff_snapshots (GBytes *old_body,
                GBytes *new_body)
{
  g_autoptr(GHashTable) old_rows = index_jsonl (old_body);
  g_autoptr(GHashTable) new_rows = index_jsonl (new_body);
  JsonArray *changes = json_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, new_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *before = g_hash_table_lookup (old_rows, key);
      JsonObject *change;

      if (before && g_str_equal (before, value))
        continue;
      change = json_object_new ();
      json_object_set_string_member (change, "op", "upsert");
      json_object_set_member (change, "person", json_from_string (value, NULL));
      json_array_add_object_element (changes, change);
    }
  g_hash_table_iter_init (&iter, old_rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      JsonObject *change;

      if (g_hash_table_contains (new_rows, key))
        continue;
      change = json_object_new ();
      json_object_set_string_member (change, "op", "delete");
      json_object_set_string_member (change, "bhxh_code", key);
      json_array_add_object_element (changes, change);
    }
  return changes;
}

static guint
count_lines (GBytes *jsonl)
{
  gsize len;
  const char *data = g_bytes_get_data (jsonl, &len);
  guint n = 0;

  for (gsize i = 0; i < len; i++)
    if (data[i] == '\n' || (i + 1 == len && data[i] != '\n'))
      n++;
  return n;
}

gboolean
sim_store_publish_mirror (SimStore    *self,
                          const char  *version,
                          GBytes      *jsonl,
                          GError     **error)
{
  g_autoptr(GBytes) previous = NULL;
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, jsonl);
  g_autofree char *published = bhxh_clock_now_iso ();
  sqlite3_stmt *stmt = prepare (self, "SELECT body FROM mirror_versions ORDER BY n DESC LIMIT 1");
  gsize len;
  const void *data;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    previous = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  release (self, stmt);

  stmt = prepare (self, "INSERT INTO mirror_versions (version, published_at, rows, sha256, body)"
                        " VALUES (?, ?, ?, ?, ?)");
  data = g_bytes_get_data (jsonl, &len);
  bind_text (stmt, 1, version);
  bind_text (stmt, 2, published);
  sqlite3_bind_int64 (stmt, 3, count_lines (jsonl));
  bind_text (stmt, 4, sha);
  sqlite3_bind_blob64 (stmt, 5, data, len, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    return FALSE;

  if (previous)
    {
      g_autoptr(JsonArray) changes = diff_snapshots (previous, jsonl);
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), changes);
      g_autofree char *text = node_to_string (node);

      stmt = prepare (self, "INSERT INTO mirror_deltas (to_n, changes) VALUES (?, ?)");
      sqlite3_bind_int64 (stmt, 1, sqlite3_last_insert_rowid (self->db));
      bind_text (stmt, 2, text);
      return step_done (self, stmt, error);
    }
  return TRUE;
}

JsonNode *
sim_store_mirror_info (SimStore *self)
{
  sqlite3_stmt *stmt = prepare (self,
    "SELECT version, published_at, rows, sha256, length(body) FROM mirror_versions"
    " ORDER BY n DESC LIMIT 1");
  JsonObject *object = NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *snapshot = json_object_new ();
      const char *version = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *href = g_strdup_printf ("/v1/mirror/snapshots/%s", version);

      object = json_object_new ();
      json_object_set_string_member (object, "version", version);
      json_object_set_string_member (object, "published_at",
                                     (const char *) sqlite3_column_text (stmt, 1));
      json_object_set_int_member (object, "rows", sqlite3_column_int64 (stmt, 2));
      json_object_set_string_member (snapshot, "href", href);
      json_object_set_string_member (snapshot, "format", "jsonl");
      json_object_set_string_member (snapshot, "sha256",
                                     (const char *) sqlite3_column_text (stmt, 3));
      json_object_set_int_member (snapshot, "size", sqlite3_column_int64 (stmt, 4));
      json_object_set_object_member (object, "snapshot", snapshot);
    }
  release (self, stmt);
  return object ? json_node_init_object (json_node_alloc (), object) : NULL;
}

GBytes *
sim_store_mirror_snapshot (SimStore    *self,
                           const char  *version,
                           char       **sha256)
{
  sqlite3_stmt *stmt = prepare (self,
    "SELECT body, sha256 FROM mirror_versions WHERE version = ?");
  GBytes *bytes = NULL;

  bind_text (stmt, 1, version);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
      *sha256 = column_dup (stmt, 1);
    }
  release (self, stmt);
  return bytes;
}

/* All deltas after @since, merged so the last change of a person wins. */
JsonNode *
sim_store_mirror_delta (SimStore    *self,
                        const char  *since,
                        GError     **error)
{
  gint64 since_n = query_int (self, "SELECT n FROM mirror_versions WHERE version = ?", since);
  g_autoptr(GHashTable) merged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) json_node_unref);
  g_autofree char *to = NULL;
  JsonObject *object;
  JsonArray *changes = json_array_new ();
  GHashTableIter iter;
  gpointer value;
  sqlite3_stmt *stmt;

  if (since_n < 0)
    {
      json_array_unref (changes);
      g_set_error (error, SIM_ERROR, SIM_ERROR_GONE, "no delta from version %s", since);
      return NULL;
    }
  stmt = prepare (self, "SELECT changes FROM mirror_deltas WHERE to_n > ? ORDER BY to_n");
  sqlite3_bind_int64 (stmt, 1, since_n);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = json_from_string ((const char *) sqlite3_column_text (stmt, 0),
                                                   NULL);
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *change = json_array_get_object_element (array, i);
          const char *code = json_object_has_member (change, "person")
            ? json_object_get_string_member (json_object_get_object_member (change, "person"),
                                             "bhxh_code")
            : json_object_get_string_member (change, "bhxh_code");

          g_hash_table_replace (merged, g_strdup (code),
                                json_node_copy (json_array_get_element (array, i)));
        }
    }
  release (self, stmt);

  stmt = prepare (self, "SELECT version FROM mirror_versions ORDER BY n DESC LIMIT 1");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    to = column_dup (stmt, 0);
  release (self, stmt);

  g_hash_table_iter_init (&iter, merged);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    json_array_add_element (changes, json_node_copy (value));
  object = json_object_new ();
  json_object_set_string_member (object, "from", since);
  json_object_set_string_member (object, "to", to);
  json_object_set_array_member (object, "changes", changes);
  return json_node_init_object (json_node_alloc (), object);
}

/* ---- decisions --------------------------------------------------------- */

/* What "the same content" means: every field the clerk decided, in a
 * fixed order, whatever the JSON's member order or spacing. A member that
 * is absent, null or not a value reads as empty; a number or a boolean as
 * "(null)" (as json-glib's string getters had it). */
static void
update_text (GChecksum  *sum,
             const char *text)
{
  g_checksum_update (sum, (const guchar *) text, strlen (text));
}

static char *
fingerprint (GChecksum           *sum,
             const SimDecisionIn *d)
{
  static const SimField fields[] = {
    SIM_FIELD_DECLARATION_ID, SIM_FIELD_OUTCOME, SIM_FIELD_CLERK, SIM_FIELD_DECIDED_AT,
    SIM_FIELD_NOTE,
  };
  static const char * const names[] = {
    "declaration_id=", "outcome=", "clerk=", "decided_at=", "note=",
  };

  g_checksum_reset (sum);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      SimJsonType type = d->field_type[fields[i]];

      update_text (sum, names[i]);
      if (type == SIM_JSON_STRING)
        update_text (sum, d->field[fields[i]]);
      else if (type == SIM_JSON_NUMBER || type == SIM_JSON_TRUE || type == SIM_JSON_FALSE)
        update_text (sum, "(null)");
      update_text (sum, "\x1f");
    }
  update_text (sum, d->override_type == SIM_JSON_TRUE ? "override=1\x1f" : "override=0\x1f");
  for (guint i = 0; d->reasons != NULL && i < d->reasons->len; i++)
    {
      const char *reason = g_ptr_array_index (d->reasons, i);

      update_text (sum, "reason=");
      update_text (sum, reason != NULL ? reason : "(null)");
      update_text (sum, "\x1f");
    }
  return g_strdup (g_checksum_get_string (sum));
}

static void
result_set (SimResult  *result,
            const char *uuid,
            const char *status,
            const char *reason_code,
            const char *message)
{
  result->uuid = g_strdup (uuid ? uuid : "");
  result->status = g_strdup (status);
  result->reason_code = g_strdup (reason_code);
  result->message = g_strdup (message);
  result->replayed = -1;
}

/* Another counter decided the declaration first (or the fault injection
 * says so). */
static void
result_already_decided (SimResult  *result,
                        const char *uuid)
{
  result_set (result, uuid, "conflict", "already-decided",
              "Tờ khai đã được một quầy khác quyết định trước.");
}

void
sim_result_clear (SimResult *result)
{
  g_clear_pointer (&result->uuid, g_free);
  g_clear_pointer (&result->status, g_free);
  g_clear_pointer (&result->reason_code, g_free);
  g_clear_pointer (&result->message, g_free);
  g_clear_pointer (&result->ack_id, g_free);
  g_clear_pointer (&result->acknowledged_at, g_free);
}

/* The result object of docs/portal-api.yaml, members in a fixed order. */
void
sim_result_append_json (const SimResult *result,
                        GString         *out)
{
  g_string_append (out, "{\"uuid\":");
  sim_json_append_string (out, result->uuid);
  g_string_append (out, ",\"status\":");
  sim_json_append_string (out, result->status);
  if (result->reason_code != NULL)
    {
      g_string_append (out, ",\"reason_code\":");
      sim_json_append_string (out, result->reason_code);
    }
  if (result->message != NULL)
    {
      g_string_append (out, ",\"message\":");
      sim_json_append_string (out, result->message);
    }
  if (result->ack_id != NULL)
    {
      g_string_append (out, ",\"ack_id\":");
      sim_json_append_string (out, result->ack_id);
      g_string_append (out, ",\"acknowledged_at\":");
      sim_json_append_string (out, result->acknowledged_at ? result->acknowledged_at : "");
    }
  if (result->replayed >= 0)
    g_string_append (out, result->replayed ? ",\"replayed\":true" : ",\"replayed\":false");
  g_string_append_c (out, '}');
}

/* The statements a batch uses for every decision, prepared once for it. */
typedef struct
{
  SimStore     *store;
  sqlite3_stmt *find_decision;
  sqlite3_stmt *find_declaration;
  sqlite3_stmt *update_declaration;
  sqlite3_stmt *insert_decision;
  gboolean      claims;
  char         *now;
  GChecksum    *sum;
} Batch;

static void
batch_init (Batch    *b,
            SimStore *self)
{
  b->store = self;
  b->find_decision = prepare (self, "SELECT fingerprint, status, reason_code, message, ack_id,"
                                    " acknowledged_at FROM decisions WHERE uuid = ?");
  b->find_declaration = prepare (self, "SELECT status, decided_uuid FROM declarations"
                                       " WHERE id = ?");
  /* Only the status column: the body takes it when it is served (setting
   * it in the body too, even with sqlite's json_set(), was a fifth of the
   * work per decision). An escalation keeps the declaration open for the
   * supervisor. */
  b->update_declaration = prepare (self,
    "UPDATE declarations SET status = ?1, seq = ?2,"
    " decided_uuid = CASE WHEN ?1 = 'escalated' THEN NULL ELSE ?3 END"
    " WHERE id = ?4 AND status IS NOT 'cancelled' AND decided_uuid IS NULL");
  b->insert_decision = prepare (self,
    "INSERT INTO decisions (uuid, declaration_id, workstation, fingerprint, body, status,"
    " reason_code, message, ack_id, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  b->claims = may_have_claims (self);
  b->now = bhxh_clock_now_iso ();
  b->sum = g_checksum_new (G_CHECKSUM_SHA256);
}

static void
batch_clear (Batch *b)
{
  release (b->store, b->find_decision);
  release (b->store, b->find_declaration);
  release (b->store, b->update_declaration);
  release (b->store, b->insert_decision);
  g_free (b->now);
  g_checksum_free (b->sum);
}

/* For text that outlives the statement's step (reuse() follows it). */
static void
bind_static (sqlite3_stmt *stmt,
             int           i,
             const char   *text)
{
  if (text)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, i);
}

static void
reuse (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static void
replay (Batch        *b,
        const char   *uuid,
        const char   *print,
        SimResult    *result)
{
  sqlite3_stmt *stmt = b->find_decision;

  if (!g_str_equal ((const char *) sqlite3_column_text (stmt, 0), print))
    {
      result_set (result, uuid, "conflict", "uuid-reused",
                  "Mã UUID này đã được dùng cho một quyết định có nội dung khác.");
      return;
    }
  result_set (result, uuid, (const char *) sqlite3_column_text (stmt, 1),
              (const char *) sqlite3_column_text (stmt, 2),
              (const char *) sqlite3_column_text (stmt, 3));
  if (sqlite3_column_text (stmt, 4))
    {
      result->ack_id = column_dup (stmt, 4);
      result->acknowledged_at = column_dup (stmt, 5);
    }
  result->replayed = TRUE;
}

/* Whether the portal takes this decision for its declaration; FALSE with
 * @result set when it does not. */
static gboolean
check_declaration (Batch               *b,
                   const SimDecisionIn *d,
                   SimResult           *result)
{
  const char *uuid = d->field[SIM_FIELD_UUID];
  const char *id = d->field[SIM_FIELD_DECLARATION_ID];
  sqlite3_stmt *stmt = b->find_declaration;
  gboolean refused = TRUE;

  bind_static (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    result_set (result, uuid, "refused", "unknown-declaration",
                "Không tìm thấy tờ khai này trên Cổng dịch vụ công.");
  else if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "cancelled") == 0)
    result_set (result, uuid, "refused", "declaration-cancelled",
                "Tờ khai đã bị hủy vì quá 10 ngày người khai không đến nộp hồ sơ.");
  else if (sqlite3_column_text (stmt, 1) != NULL)
    result_already_decided (result, uuid);
  else
    refused = FALSE;
  reuse (stmt);
  if (refused)
    return FALSE;

  /* Decided offline while another clerk held it here: both saw the
   * citizen; a person must settle it. */
  if (b->claims)
    {
      stmt = prepare (b->store, "SELECT coalesce(clerk_name, clerk) FROM claims"
                                " WHERE declaration_id = ? AND expires_at > ? AND clerk <> ?");
      bind_text (stmt, 1, id);
      sqlite3_bind_int64 (stmt, 2, bhxh_clock_now_unix ());
      bind_text (stmt, 3, d->field[SIM_FIELD_CLERK]);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autofree char *message = g_strdup_printf ("Tờ khai đang được %s xử lý tại quầy khác.",
                                                      (const char *) sqlite3_column_text (stmt, 0));

          result_set (result, uuid, "conflict", "claimed-elsewhere", message);
          refused = TRUE;
        }
      release (b->store, stmt);
      if (refused)
        return FALSE;
    }

  if (g_str_equal (d->field[SIM_FIELD_OUTCOME], "reject")
      && (d->reasons == NULL || d->reasons->len == 0))
    {
      result_set (result, uuid, "refused", "missing-reason",
                  "Quyết định từ chối phải nêu ít nhất một lý do.");
      return FALSE;
    }
  return TRUE;
}

/* Marks the declaration decided, unless it is unknown, cancelled or
 * decided already; FALSE when it changed nothing. */
static gboolean
apply_to_declaration (Batch               *b,
                      const SimDecisionIn *d)
{
  const char *id = d->field[SIM_FIELD_DECLARATION_ID];
  const char *outcome = d->field[SIM_FIELD_OUTCOME];
  const char *status = g_str_equal (outcome, "approve") ? "approved"
                     : g_str_equal (outcome, "reject") ? "rejected" : "escalated";
  sqlite3_stmt *stmt = b->update_declaration;
  gboolean changed;

  bind_static (stmt, 1, status);
  sqlite3_bind_int64 (stmt, 2, next_seq (b->store));
  bind_static (stmt, 3, d->field[SIM_FIELD_UUID]);
  bind_static (stmt, 4, id);
  changed = sqlite3_step (stmt) == SQLITE_DONE && sqlite3_changes (b->store->db) > 0;
  reuse (stmt);
  if (!changed)
    {
      b->store->last_seq--;
      return FALSE;
    }
  /* Decided: the claim has served its purpose. */
  if (b->claims)
    {
      stmt = prepare (b->store, "DELETE FROM claims WHERE declaration_id = ?");
      bind_text (stmt, 1, id);
      step_done (b->store, stmt, NULL);
    }
  return TRUE;
}

/* Whether the portal takes the decision: then its declaration is marked
 * decided; else @result says why not. Most are taken: without claims to
 * look at, one UPDATE decides, and the reason is looked for only when it
 * changed nothing. */
static gboolean
take (Batch               *b,
      const SimDecisionIn *d,
      SimResult           *result)
{
  gboolean reasoned = !g_str_equal (d->field[SIM_FIELD_OUTCOME], "reject")
                      || (d->reasons != NULL && d->reasons->len > 0);

  if (!b->claims && reasoned && apply_to_declaration (b, d))
    return TRUE;
  if (!check_declaration (b, d, result))
    return FALSE;
  if (apply_to_declaration (b, d))
    return TRUE;
  result_already_decided (result, d->field[SIM_FIELD_UUID]);
  return FALSE;
}

static gboolean
is_valid_decision (const SimDecisionIn *d)
{
  static const SimField required[] = {
    SIM_FIELD_UUID, SIM_FIELD_DECLARATION_ID, SIM_FIELD_OUTCOME, SIM_FIELD_CLERK,
    SIM_FIELD_DECIDED_AT,
  };
  const char *outcome = d->field[SIM_FIELD_OUTCOME];

  if (d->type != SIM_JSON_OBJECT)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (d->field[required[i]] == NULL || *d->field[required[i]] == '\0')
      return FALSE;
  return g_str_equal (outcome, "approve") || g_str_equal (outcome, "reject")
         || g_str_equal (outcome, "escalate");
}

static void
record (Batch               *b,
        const SimDecisionIn *d,
        const char          *workstation,
        const char          *print,
        const SimResult     *result)
{
  sqlite3_stmt *stmt = b->insert_decision;

  bind_static (stmt, 1, d->field[SIM_FIELD_UUID]);
  bind_static (stmt, 2, d->field[SIM_FIELD_DECLARATION_ID]);
  bind_static (stmt, 3, workstation);
  bind_static (stmt, 4, print);
  bind_static (stmt, 5, d->body);
  bind_static (stmt, 6, result->status);
  bind_static (stmt, 7, result->reason_code);
  bind_static (stmt, 8, result->message);
  bind_static (stmt, 9, result->ack_id);
  bind_static (stmt, 10, result->acknowledged_at);
  b->store->last_decision = sqlite3_step (stmt) == SQLITE_DONE
                            ? sqlite3_last_insert_rowid (b->store->db) : 0;
  reuse (stmt);
}

static void
submit_one (Batch               *b,
            const char          *workstation,
            const SimDecisionIn *d,
            gboolean             force_conflict,
            SimResult           *result)
{
  SimStore *self = b->store;
  const char *uuid = d->field[SIM_FIELD_UUID];
  g_autofree char *print = NULL;
  sqlite3_stmt *stmt = b->find_decision;
  gboolean found;

  if (!is_valid_decision (d))
    {
      result_set (result, uuid, "refused", "invalid",
                  "Quyết định thiếu thông tin bắt buộc hoặc sai định dạng.");
      return;
    }

  print = fingerprint (b->sum, d);
  bind_static (stmt, 1, uuid);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    replay (b, uuid, print, result);
  reuse (stmt);
  if (found)
    {
      if (result->replayed == TRUE)
        {
          stmt = prepare (self, "UPDATE decisions SET received = received + 1 WHERE uuid = ?");
          bind_text (stmt, 1, uuid);
          step_done (self, stmt, NULL);
        }
      return;
    }

  if (force_conflict)
    {
      result_already_decided (result, uuid);
      result->forced = TRUE;
    }
  else if (take (b, d, result))
    {
      if (self->last_decision == 0)
        self->last_decision = query_int (self, "SELECT coalesce(max(rowid), 0) FROM decisions",
                                         NULL);
      result_set (result, uuid, "accepted", NULL, NULL);
      /* The rowid record() gives the decision below. */
      result->ack_id = g_strdup_printf ("ACK-%08" G_GINT64_FORMAT, self->last_decision + 1);
      result->acknowledged_at = g_strdup (b->now);
    }
  record (b, d, workstation, print, result);
  result->replayed = FALSE;
}

GArray *
sim_store_submit_decisions (SimStore        *self,
                            const char      *workstation,
                            GArray          *decisions,
                            SimConflictFunc  conflict,
                            gpointer         user_data)
{
  GArray *results = g_array_sized_new (FALSE, TRUE, sizeof (SimResult), decisions->len);
  Batch b = { NULL, };

  g_array_set_clear_func (results, (GDestroyNotify) sim_result_clear);
  g_array_set_size (results, decisions->len);
  sim_store_begin (self, NULL);
  batch_init (&b, self);
  for (guint i = 0; i < decisions->len; i++)
    submit_one (&b, workstation, &g_array_index (decisions, SimDecisionIn, i),
                conflict != NULL && conflict (user_data), &g_array_index (results, SimResult, i));
  batch_clear (&b);
  sim_store_commit (self, NULL);
  return results;
}

gint64
sim_store_count_decisions (SimStore *self)
{
  return query_int (self, "SELECT count(*) FROM decisions", NULL);
}

JsonNode *
sim_store_list_decisions (SimStore *self)
{
  sqlite3_stmt *stmt = prepare (self,
    "SELECT uuid, declaration_id, status, reason_code, received FROM decisions ORDER BY rowid");
  JsonArray *array = json_array_new ();

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "uuid", (const char *) sqlite3_column_text (stmt, 0));
      json_object_set_string_member (object, "declaration_id",
                                     (const char *) sqlite3_column_text (stmt, 1));
      json_object_set_string_member (object, "status",
                                     (const char *) sqlite3_column_text (stmt, 2));
      if (sqlite3_column_text (stmt, 3))
        json_object_set_string_member (object, "reason_code",
                                       (const char *) sqlite3_column_text (stmt, 3));
      json_object_set_int_member (object, "received", sqlite3_column_int64 (stmt, 4));
      json_array_add_object_element (array, object);
    }
  release (self, stmt);
  return array_node (array);
}

/* ---- claims ------------------------------------------------------------ */

gboolean
sim_store_claim (SimStore    *self,
                 const char  *declaration_id,
                 const char  *clerk,
                 const char  *clerk_name,
                 const char  *workstation,
                 gint64       now,
                 gint64       ttl,
                 char       **holder,
                 char       **holder_name,
                 gint64      *expires_at,
                 GError     **error)
{
  sqlite3_stmt *stmt = prepare (self,
    "SELECT clerk, expires_at, clerk_name FROM claims WHERE declaration_id = ?"
    " AND expires_at > ?");

  bind_text (stmt, 1, declaration_id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (sqlite3_step (stmt) == SQLITE_ROW
      && !g_str_equal ((const char *) sqlite3_column_text (stmt, 0), clerk))
    {
      *holder = column_dup (stmt, 0);
      *holder_name = column_dup (stmt, 2);
      *expires_at = sqlite3_column_int64 (stmt, 1);
      release (self, stmt);
      return FALSE;
    }
  release (self, stmt);

  stmt = prepare (self, "INSERT OR REPLACE INTO claims (declaration_id, clerk, workstation,"
                        " expires_at, clerk_name) VALUES (?, ?, ?, ?, ?)");
  bind_text (stmt, 1, declaration_id);
  bind_text (stmt, 2, clerk);
  bind_text (stmt, 3, workstation);
  sqlite3_bind_int64 (stmt, 4, now + ttl);
  bind_text (stmt, 5, clerk_name);
  *holder = g_strdup (clerk);
  *holder_name = g_strdup (clerk_name);
  *expires_at = now + ttl;
  self->any_claims = 1;
  return step_done (self, stmt, error);
}

gboolean
sim_store_release (SimStore    *self,
                   const char  *declaration_id,
                   const char  *clerk,
                   GError     **error)
{
  sqlite3_stmt *stmt = prepare (self,
    "DELETE FROM claims WHERE declaration_id = ? AND clerk = ?");

  bind_text (stmt, 1, declaration_id);
  bind_text (stmt, 2, clerk);
  return step_done (self, stmt, error);
}

/* ---- the audit trail ----------------------------------------------------- */

gboolean
sim_store_set_audit_key (SimStore    *self,
                         const char  *workstation,
                         const char  *key_id,
                         GBytes      *key,
                         gint64       keyed_from,
                         GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, "INSERT OR REPLACE INTO audit_keys (workstation, key_id,"
                                      " key, keyed_from) VALUES (?, ?, ?, ?)");

  bind_text (stmt, 1, workstation);
  bind_text (stmt, 2, key_id);
  sqlite3_bind_blob (stmt, 3, g_bytes_get_data (key, NULL), (int) g_bytes_get_size (key),
                     SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, keyed_from);
  return step_done (self, stmt, error);
}

static const char *
entry_text (JsonObject *entry,
            const char *member)
{
  JsonNode *node = json_object_get_member (entry, member);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* Checks the entries a desk uploads against what it sent before: no gap,
 * each chained to the last, each hash recomputed (under the desk's
 * registered key from its first keyed entry on). The head moves only over
 * good entries; a broken trail is remembered. */
JsonObject *
sim_store_check_audit (SimStore    *self,
                       const char  *workstation,
                       JsonArray   *entries)
{
  sqlite3_stmt *stmt;
  g_autoptr(GBytes) key = NULL;
  g_autofree char *head_hash = NULL;
  gint64 keyed_from = G_MAXINT64, head_seq = 0, broken_at = 0;
  gboolean have_head = FALSE, unverified = FALSE;
  JsonObject *result = json_object_new ();

  stmt = prepare (self, "SELECT key, keyed_from FROM audit_keys WHERE workstation = ?");
  bind_text (stmt, 1, workstation);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == BHXH_AUDIT_KEY_BYTES)
    {
      key = g_bytes_new (sqlite3_column_blob (stmt, 0), BHXH_AUDIT_KEY_BYTES);
      keyed_from = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? G_MAXINT64
                   : sqlite3_column_int64 (stmt, 1);
    }
  release (self, stmt);
  stmt = prepare (self, "SELECT seq, hash FROM audit_heads WHERE workstation = ?");
  bind_text (stmt, 1, workstation);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      have_head = TRUE;
      head_seq = sqlite3_column_int64 (stmt, 0);
      head_hash = column_dup (stmt, 1);
    }
  release (self, stmt);

  for (guint i = 0; i < json_array_get_length (entries) && broken_at == 0; i++)
    {
      JsonObject *e = JSON_NODE_HOLDS_OBJECT (json_array_get_element (entries, i))
                      ? json_array_get_object_element (entries, i) : NULL;
      gint64 seq = e != NULL ? json_object_get_int_member_with_default (e, "seq", 0) : 0;
      const char *prev = e != NULL ? entry_text (e, "prev_hash") : NULL;
      const char *hash = e != NULL ? entry_text (e, "hash") : NULL;
      g_autofree char *expected = NULL;

      if (e == NULL || seq <= 0 || prev == NULL || hash == NULL || entry_text (e, "at") == NULL
          || entry_text (e, "actor") == NULL || entry_text (e, "action") == NULL)
        {
          broken_at = have_head ? head_seq + 1 : 1;
          break;
        }
      if (have_head && seq <= head_seq)
        continue;                               /* sent before */
      if (have_head && (seq != head_seq + 1 || !g_str_equal (prev, head_hash)))
        {
          broken_at = seq != head_seq + 1 ? head_seq + 1 : seq;
          break;
        }
      /* Keyed from keyed_from on; plain SHA-256 before (a store encrypted
       * later). Without a registered key, the chaining only. */
      if (key != NULL)
        expected = bhxh_audit_entry_hash (seq >= keyed_from ? g_bytes_get_data (key, NULL)
                                                             : NULL,
                                          prev, seq, entry_text (e, "at"),
                                          entry_text (e, "actor"), entry_text (e, "action"),
                                          entry_text (e, "object"), entry_text (e, "detail"));
      if (expected == NULL)
        unverified = TRUE;                     /* no key registered: chaining only */
      else if (!g_str_equal (expected, hash))
        {
          broken_at = seq;
          break;
        }
      have_head = TRUE;
      head_seq = seq;
      g_free (head_hash);
      head_hash = g_strdup (hash);
    }

  if (have_head)
    {
      stmt = prepare (self, "INSERT INTO audit_heads (workstation, seq, hash, broken_at)"
                            " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (workstation) DO UPDATE SET"
                            " seq = ?2, hash = ?3, broken_at = coalesce(?4, broken_at)");
      bind_text (stmt, 1, workstation);
      sqlite3_bind_int64 (stmt, 2, head_seq);
      bind_text (stmt, 3, head_hash);
      if (broken_at > 0)
        sqlite3_bind_int64 (stmt, 4, broken_at);
      step_done (self, stmt, NULL);
    }
  json_object_set_string_member (result, "status", broken_at > 0 ? "broken"
                                 : unverified ? "unverified" : "verified");
  json_object_set_int_member (result, "verified_to", head_seq);
  if (broken_at > 0)
    json_object_set_int_member (result, "first_bad", broken_at);
  return result;
}

JsonObject *
sim_store_audit_status (SimStore *self)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT max(seq), max(broken_at) FROM audit_heads");
  JsonObject *object = json_object_new ();

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      json_object_set_int_member (object, "verified_to", sqlite3_column_int64 (stmt, 0));
      json_object_set_int_member (object, "broken_at", sqlite3_column_int64 (stmt, 1));
    }
  release (self, stmt);
  return object;
}

/* ---- bundles -------------------------------------------------------------- */

static char *
meta_get (SimStore   *self,
          const char *key)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT value FROM meta WHERE key = ?");
  char *value = NULL;

  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = column_dup (stmt, 0);
  release (self, stmt);
  return value;
}

/* The portal's own signing key, made on first use and kept in its file:
 * the same across restarts of one simulator database. */
gboolean
sim_store_dup_signing_key (SimStore  *self,
                           GBytes   **public_key,
                           GBytes   **secret_key)
{
  g_autofree char *text = meta_get (self, "signing_key");
  g_autofree guchar *raw = NULL;
  gsize len = 0;
  g_autoptr(GBytes) secret = NULL;

  if (text != NULL)
    raw = g_base64_decode (text, &len);
  if (raw != NULL && len == BHXH_BUNDLE_SECRET_KEY_BYTES)
    secret = g_bytes_new (raw, len);
  else
    {
      g_autoptr(GBytes) made_public = NULL;
      g_autofree char *encoded = NULL;
      sqlite3_stmt *stmt;

      if (!bhxh_bundle_keypair_new (&made_public, &secret))
        return FALSE;
      encoded = g_base64_encode (g_bytes_get_data (secret, NULL), g_bytes_get_size (secret));
      stmt = prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES ('signing_key', ?)");
      bind_text (stmt, 1, encoded);
      if (!step_done (self, stmt, NULL))
        return FALSE;
    }
  if (public_key != NULL)
    *public_key = bhxh_bundle_public_of_secret (secret);
  if (secret_key != NULL)
    *secret_key = g_steal_pointer (&secret);
  return TRUE;
}

guint64
sim_store_next_bundle_seq (SimStore   *self,
                           const char *workstation)
{
  sqlite3_stmt *stmt = prepare (self, "INSERT INTO bundle_seqs (workstation, seq) VALUES (?, 1)"
                                      " ON CONFLICT (workstation) DO UPDATE SET seq = seq + 1"
                                      " RETURNING seq");
  guint64 seq = 0;

  bind_text (stmt, 1, workstation);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    seq = (guint64) sqlite3_column_int64 (stmt, 0);
  release (self, stmt);
  return seq;
}

gboolean
sim_store_add_bundle_key (SimStore    *self,
                          const char  *workstation,
                          const char  *key_id,
                          GBytes      *key,
                          GError     **error)
{
  sqlite3_stmt *stmt = prepare (self, "INSERT OR REPLACE INTO bundle_keys (workstation, key_id,"
                                      " key) VALUES (?, ?, ?)");

  bind_text (stmt, 1, workstation);
  bind_text (stmt, 2, key_id);
  sqlite3_bind_blob (stmt, 3, g_bytes_get_data (key, NULL), (int) g_bytes_get_size (key),
                     SQLITE_TRANSIENT);
  return step_done (self, stmt, error);
}

GBytes *
sim_store_lookup_bundle_key (SimStore   *self,
                             const char *workstation,
                             const char *key_id)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT key FROM bundle_keys WHERE workstation = ?"
                                      " AND key_id = ?");
  GBytes *key = NULL;

  bind_text (stmt, 1, workstation);
  bind_text (stmt, 2, key_id);
  if (sqlite3_step (stmt) == SQLITE_ROW
      && sqlite3_column_bytes (stmt, 0) == BHXH_BUNDLE_PUBLIC_KEY_BYTES)
    key = g_bytes_new (sqlite3_column_blob (stmt, 0), BHXH_BUNDLE_PUBLIC_KEY_BYTES);
  release (self, stmt);
  return key;
}
