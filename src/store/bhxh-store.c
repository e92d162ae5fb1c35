/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/statvfs.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "core/bhxh-clock.h"
#include "bhxh-store-private.h"
#include "bhxh-store-resources.h"
#include "bhxh-crypt.h"

#define BUSY_TIMEOUT_MS 5000

G_DEFINE_FINAL_TYPE (BhxhStore, bhxh_store, G_TYPE_OBJECT)

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
bhxh_store_finalize (GObject *object)
{
  BhxhStore *self = (BhxhStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self->mirror_path);

  G_OBJECT_CLASS (bhxh_store_parent_class)->finalize (object);
}

static void
bhxh_store_class_init (BhxhStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bhxh_store_finalize;
}

static void
bhxh_store_init (BhxhStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal,
                                            g_free, finalize_statement);
}

int
_bhxh_store_error_code (int rc)
{
  /* bhxh-crypt: a page that does not authenticate. */
  if (rc == SQLITE_IOERR_DATA)
    return BHXH_STORE_ERROR_CORRUPT;
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      return BHXH_STORE_ERROR_FULL;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return BHXH_STORE_ERROR_READ_ONLY;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return BHXH_STORE_ERROR_CORRUPT;
    case SQLITE_INTERRUPT:
      return BHXH_STORE_ERROR_CANCELLED;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return BHXH_STORE_ERROR_BAD_INPUT;
    default:
      return BHXH_STORE_ERROR_IO;
    }
}

/* Whether the database file or its folder (where sqlite creates the WAL and
 * shared-memory files) cannot be written: sqlite then only says it cannot
 * open a file. */
static gboolean
database_is_read_only (sqlite3 *db)
{
  const char *path = sqlite3_db_filename (db, "main");
  g_autofree char *folder = NULL;
  struct statvfs st;

  if (path == NULL || *path == '\0')
    return FALSE;
  if (statvfs (path, &st) == 0 && (st.f_flag & ST_RDONLY) != 0)
    return TRUE;
  folder = g_path_get_dirname (path);
  return (access (path, W_OK) != 0 && (errno == EACCES || errno == EROFS))
         || (access (folder, W_OK) != 0 && (errno == EACCES || errno == EROFS));
}

void
_bhxh_store_set_error (GError    **error,
                       sqlite3    *db,
                       int         rc,
                       const char *what)
{
  int code = _bhxh_store_error_code (rc);
  const char *detail = rc == SQLITE_IOERR_DATA ? _("a page failed its integrity check")
                       : db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  /* A full disk or a read-only file system can come as a plain I/O error
   * (e.g. when sqlite grows its shared-memory file): the OS error tells. */
  if (code == BHXH_STORE_ERROR_IO && db != NULL)
    {
      int os_error = sqlite3_system_errno (db);

      if (os_error == ENOSPC || os_error == EDQUOT)
        code = BHXH_STORE_ERROR_FULL;
      else if (os_error == EROFS || database_is_read_only (db))
        code = BHXH_STORE_ERROR_READ_ONLY;
    }

  switch (code)
    {
    case BHXH_STORE_ERROR_FULL:
      g_set_error (error, BHXH_STORE_ERROR, code,
                   _("The disk is full: %s (%s)"), what, detail);
      break;
    case BHXH_STORE_ERROR_READ_ONLY:
      g_set_error (error, BHXH_STORE_ERROR, code,
                   _("The database cannot be written: %s (%s)"), what, detail);
      break;
    case BHXH_STORE_ERROR_CORRUPT:
      g_set_error (error, BHXH_STORE_ERROR, code,
                   _("The database file is damaged or is not a bhxh-desk database: %s (%s)"),
                   what, detail);
      break;
    default:
      g_set_error (error, BHXH_STORE_ERROR, code, "%s: %s", what, detail);
      break;
    }
}

sqlite3_stmt *
_bhxh_store_prepare (BhxhStore   *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot prepare a query"));
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

void
_bhxh_store_forget_statements (BhxhStore *self)
{
  g_hash_table_remove_all (self->statements);
}

gboolean
_bhxh_store_exec (BhxhStore   *self,
                  const char  *sql,
                  GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot run a database command"));
      return FALSE;
    }

  return TRUE;
}

gboolean
_bhxh_store_exec_printf (BhxhStore   *self,
                         GError     **error,
                         const char  *format,
                         ...)
{
  va_list args;
  char *sql;
  gboolean ok;

  va_start (args, format);
  sql = sqlite3_vmprintf (format, args);
  va_end (args);
  if (sql == NULL)
    g_error ("out of memory");
  ok = _bhxh_store_exec (self, sql, error);
  sqlite3_free (sql);
  return ok;
}

/* Steps a statement that returns no rows, then resets it. */
gboolean
_bhxh_store_step_done (BhxhStore     *self,
                       sqlite3_stmt  *stmt,
                       GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot write to the database"));
      return FALSE;
    }

  return TRUE;
}

gboolean
_bhxh_store_begin (BhxhStore  *self,
                   GError    **error)
{
  /* Inside bhxh_store_batch_begin(): a savepoint of the batch's
   * transaction, so the batch commits (and syncs) once. */
  if (self->tx_depth > 0)
    {
      if (!_bhxh_store_exec (self, "SAVEPOINT bhxh_nested", error))
        return FALSE;
      self->tx_depth++;
      return TRUE;
    }
  if (!_bhxh_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->tx_depth = 1;
  return TRUE;
}

gboolean
_bhxh_store_commit (BhxhStore  *self,
                    GError    **error)
{
  if (self->tx_depth > 1)
    {
      if (_bhxh_store_exec (self, "RELEASE bhxh_nested", error))
        {
          self->tx_depth--;
          return TRUE;
        }
    }
  else if (_bhxh_store_exec (self, "COMMIT", error))
    {
      self->tx_depth = 0;
      return TRUE;
    }
  _bhxh_store_rollback (self);
  return FALSE;
}

void
_bhxh_store_rollback (BhxhStore *self)
{
  if (self->tx_depth > 1)
    {
      sqlite3_exec (self->db, "ROLLBACK TO bhxh_nested; RELEASE bhxh_nested", NULL, NULL, NULL);
      self->tx_depth--;
      return;
    }
  self->tx_depth = 0;
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/**
 * bhxh_store_batch_begin:
 *
 * Starts a transaction that the store's own writes until
 * bhxh_store_batch_end() join as savepoints: one commit, one sync to disk
 * for all of them (the sync's answers for a batch of decisions). A write
 * that fails undoes itself only.
 */
gboolean
bhxh_store_batch_begin (BhxhStore  *self,
                        GError    **error)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth == 0, FALSE);

  return _bhxh_store_begin (self, error);
}

/* Commits the batch; @commit FALSE undoes all of it. */
gboolean
bhxh_store_batch_end (BhxhStore  *self,
                      gboolean    commit,
                      GError    **error)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->tx_depth == 1, FALSE);

  if (commit)
    return _bhxh_store_commit (self, error);
  _bhxh_store_rollback (self);
  return TRUE;
}

GBytes *
_bhxh_store_lookup_sql (const char *name)
{
  g_autofree char *path = g_strconcat (BHXH_STORE_RESOURCE_PREFIX, name, NULL);

  return g_resource_lookup_data (bhxh_store_get_resource (), path,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

/* Binding and column helpers. */

void
_bhxh_bind_text (sqlite3_stmt *stmt,
                 int           index,
                 const char   *text)
{
  if (text == NULL || *text == '\0')
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

void
_bhxh_bind_date (sqlite3_stmt   *stmt,
                 int             index,
                 const BhxhDate *date)
{
  if (date == NULL || !bhxh_date_is_set (date))
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, bhxh_date_to_iso (date), -1, g_free);
}

void
_bhxh_bind_time (sqlite3_stmt *stmt,
                 int           index,
                 GDateTime    *time)
{
  if (time == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, bhxh_clock_format_iso (time), -1, g_free);
}

char *
_bhxh_column_dup (sqlite3_stmt *stmt,
                  int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup (text) : NULL;
}

BhxhDate
_bhxh_column_date (sqlite3_stmt *stmt,
                   int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  BhxhDate date = BHXH_DATE_NONE;

  /* Stored dates were validated on the way in. */
  if (text != NULL && !bhxh_date_parse (text, &date, NULL))
    date = BHXH_DATE_NONE;

  return date;
}

GDateTime *
_bhxh_column_time (sqlite3_stmt *stmt,
                   int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

/* Opening and migrations. */

static gboolean
set_pragmas (BhxhStore  *self,
             GError    **error)
{
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, 1);

  /* The first read tells a non-database file apart: SQLITE_NOTADB. */
  return _bhxh_store_exec (self,
                           "PRAGMA foreign_keys = ON;"
                           "PRAGMA journal_mode = WAL;"
                           "PRAGMA synchronous = FULL;",
                           error);
}

static int
get_user_version (BhxhStore  *self,
                  GError    **error)
{
  sqlite3_stmt *stmt = _bhxh_store_prepare (self, "PRAGMA main.user_version", error);
  int version = -1;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  else
    _bhxh_store_set_error (error, self->db, rc, _("cannot read the schema version"));
  sqlite3_reset (stmt);

  return version;
}

static gboolean
has_foreign_tables (BhxhStore *self)
{
  sqlite3_stmt *stmt = _bhxh_store_prepare (self,
    "SELECT count(*) FROM main.sqlite_schema", NULL);
  gboolean any;

  if (stmt == NULL)
    return FALSE;
  any = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) > 0;
  sqlite3_reset (stmt);

  return any;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* Migration files are "NNNN-what.sql"; their number is the version. */
static GPtrArray *
list_migrations (int *latest)
{
  g_auto(GStrv) names = g_resource_enumerate_children (bhxh_store_get_resource (),
                                                       BHXH_STORE_RESOURCE_PREFIX,
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                       NULL);
  GPtrArray *migrations = g_ptr_array_new_with_free_func (g_free);

  *latest = 0;
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (g_ascii_isdigit (names[i][0]))
      g_ptr_array_add (migrations, g_strdup (names[i]));
  g_ptr_array_sort (migrations, compare_names);
  if (migrations->len > 0)
    *latest = atoi (g_ptr_array_index (migrations, migrations->len - 1));

  return migrations;
}

static gboolean
apply_migration (BhxhStore   *self,
                 const char  *name,
                 int          version,
                 GError     **error)
{
  g_autoptr(GBytes) sql = _bhxh_store_lookup_sql (name);
  g_autofree char *set_version = g_strdup_printf ("PRAGMA main.user_version = %d", version);

  g_assert (sql != NULL);
  if (!_bhxh_store_begin (self, error))
    return FALSE;
  if (!_bhxh_store_exec (self, g_bytes_get_data (sql, NULL), error) ||
      !_bhxh_store_exec (self, set_version, error) ||
      !_bhxh_store_commit (self, error))
    {
      _bhxh_store_rollback (self);
      g_prefix_error (error, _("Cannot upgrade the database to version %d: "), version);
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (BhxhStore  *self,
         GError    **error)
{
  int latest;
  g_autoptr(GPtrArray) migrations = list_migrations (&latest);
  int version = get_user_version (self, error);

  if (version < 0)
    return FALSE;
  if (version > latest)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_TOO_NEW,
                   _("The database %s was made by a newer version of bhxh-desk "
                     "(schema %d, this program knows up to %d)"),
                   self->path, version, latest);
      return FALSE;
    }
  if (version == 0 && has_foreign_tables (self))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT,
                   _("The file %s is an SQLite database of another program, "
                     "not a bhxh-desk database"), self->path);
      return FALSE;
    }

  for (guint i = 0; i < migrations->len; i++)
    {
      const char *name = g_ptr_array_index (migrations, i);
      int number = atoi (name);

      if (number > version && !apply_migration (self, name, number, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * bhxh_store_open:
 * @path: the database file; created when missing
 * @error: return location for a #BhxhStoreError
 *
 * Opens the local database, brings its schema up to date and attaches the
 * registry mirror (`<path>-mirror`, created empty when missing), both
 * encrypted with the key bhxh_crypt_key_for_store() finds or makes: a new
 * store holds nothing in clear.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
BhxhStore *
bhxh_store_open (const char  *path,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const BhxhCryptKey *key;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Encrypted at rest by default (bhxh-crypt.h). */
  key = bhxh_crypt_key_for_store (path, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return bhxh_store_open_with_key (path, key, error);
}

/* A store encrypted in the first format (pages not bound to their file)
 * with the same passphrase is rewritten in the current one, once. */
static gboolean
upgrade_legacy_encryption (const char          *path,
                           const BhxhCryptKey  *key,
                           GError             **error)
{
  const BhxhCryptKey *legacy = _bhxh_crypt_key_get_legacy (key);

  if (legacy == NULL || _bhxh_crypt_check_file_with_key (key, path, NULL) ||
      !_bhxh_crypt_check_file_with_key (legacy, path, NULL))
    return TRUE;
  g_message ("%s: re-encrypting in the current format", path);
  return bhxh_crypt_rekey_database (path, legacy, key, error);
}

/**
 * bhxh_store_open_with_key:
 * @path: the database file; created when missing
 * @key: (nullable): the key of the database and its mirror, or %NULL
 * @error: return location for a #BhxhStoreError
 *
 * Like bhxh_store_open(), with the key given instead of configured.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
BhxhStore *
bhxh_store_open_with_key (const char          *path,
                          const BhxhCryptKey  *key,
                          GError             **error)
{
  g_autoptr(BhxhStore) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (key != NULL && !upgrade_legacy_encryption (path, key, error))
    return NULL;
  /* Before sqlite touches it: a keyless recovery would drop the WAL. */
  if (!_bhxh_crypt_check_file_with_key (key, path, error))
    return NULL;

  self = g_object_new (BHXH_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->mirror_path = g_strconcat (path, "-mirror", NULL);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                        key != NULL ? bhxh_crypt_key_get_vfs_name (key) : NULL);
  if (rc != SQLITE_OK)
    {
      _bhxh_store_set_error (error, self->db, rc, path);
      return NULL;
    }
  /* Preparing an encrypted file reads its schema: wait for other writers. */
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  _bhxh_crypt_prepare (self->db, "main");

  if (!set_pragmas (self, error) || !migrate (self, error))
    {
      if (error != NULL && *error != NULL &&
          g_error_matches (*error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT) &&
          strstr ((*error)->message, path) == NULL)
        g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  if (!_bhxh_store_attach_mirror (self, error))
    return NULL;
  if (key != NULL)
    _bhxh_store_set_audit_key (self, bhxh_crypt_key_get_audit_key (key));

  return g_steal_pointer (&self);
}

const char *
bhxh_store_get_path (BhxhStore *self)
{
  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  return self->path;
}

static gboolean
same_file (const GStatBuf *target,
           const char     *path)
{
  GStatBuf st;

  return path != NULL && g_stat (path, &st) == 0 &&
         st.st_dev == target->st_dev && st.st_ino == target->st_ino;
}

/**
 * bhxh_store_check_output:
 * @path: a file about to be written (a paper, a bundle, an export)
 *
 * No output ever overwrites the store: refuses @path when it is one of the
 * store's own files (the database, the mirror, their journals), by any name
 * (same device and inode: a link or another spelling is caught too).
 *
 * Returns: %TRUE when @path may be written, or %FALSE with @error set
 */
gboolean
bhxh_store_check_output (BhxhStore   *self,
                         const char  *path,
                         GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  GStatBuf target;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_stat (path, &target) != 0)
    return TRUE;   /* a new file cannot be one of ours */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *main_file = g_strconcat (self->path, suffixes[i], NULL);
      g_autofree char *mirror = self->mirror_path != NULL
                                ? g_strconcat (self->mirror_path, suffixes[i], NULL) : NULL;

      if (same_file (&target, main_file) || same_file (&target, mirror))
        {
          g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                       _("“%s” is the desk's own database: choose another file to write"),
                       path);
          return FALSE;
        }
    }
  return TRUE;
}

/* Meta. */

char *
bhxh_store_dup_meta (BhxhStore  *self,
                     const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = _bhxh_store_prepare (self, "SELECT value FROM meta WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = _bhxh_column_dup (stmt, 0);
  sqlite3_reset (stmt);

  return value;
}

gboolean
bhxh_store_set_meta (BhxhStore   *self,
                     const char  *key,
                     const char  *value,
                     GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  stmt = _bhxh_store_prepare (self,
    "INSERT INTO meta (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);

  return _bhxh_store_step_done (self, stmt, error);
}

/* Users: bhxh-store-users.c. */

/* Offices and reason codes. */

gboolean
bhxh_store_replace_offices (BhxhStore  *self,
                            GPtrArray  *offices,
                            GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (BHXH_IS_STORE (self), FALSE);
  g_return_val_if_fail (offices != NULL, FALSE);

  if (!_bhxh_store_begin (self, error))
    return FALSE;
  if (!_bhxh_store_exec (self, "DELETE FROM offices", error))
    goto fail;

  stmt = _bhxh_store_prepare (self,
    "INSERT INTO offices (code, parent_code, name) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < offices->len; i++)
    {
      const BhxhOffice *office = g_ptr_array_index (offices, i);

      if (office->code == NULL || *office->code == '\0' || office->name == NULL)
        {
          g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                       _("Office %u has no code or no name"), i + 1);
          goto fail;
        }
      sqlite3_bind_text (stmt, 1, office->code, -1, SQLITE_STATIC);
      _bhxh_bind_text (stmt, 2, office->parent_code);
      sqlite3_bind_text (stmt, 3, office->name, -1, SQLITE_STATIC);
      if (!_bhxh_store_step_done (self, stmt, error))
        goto fail;
      sqlite3_clear_bindings (stmt);
    }

  return _bhxh_store_commit (self, error);

fail:
  _bhxh_store_rollback (self);
  return FALSE;
}

static BhxhOffice *
office_from_row (sqlite3_stmt *stmt)
{
  BhxhOffice *office = g_new0 (BhxhOffice, 1);

  office->code = _bhxh_column_dup (stmt, 0);
  office->parent_code = _bhxh_column_dup (stmt, 1);
  office->name = _bhxh_column_dup (stmt, 2);

  return office;
}

GPtrArray *
bhxh_store_list_offices (BhxhStore  *self,
                         GError    **error)
{
  g_autoptr(GPtrArray) offices = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  stmt = _bhxh_store_prepare (self,
    "SELECT code, parent_code, name FROM offices ORDER BY code", error);
  if (stmt == NULL)
    return NULL;
  offices = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_office_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (offices, office_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the offices"));
      return NULL;
    }

  return g_steal_pointer (&offices);
}

BhxhOffice *
bhxh_store_get_office (BhxhStore   *self,
                       const char  *code,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  BhxhOffice *office = NULL;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  stmt = _bhxh_store_prepare (self,
    "SELECT code, parent_code, name FROM offices WHERE code = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    office = office_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND,
                 _("There is no BHXH office with the code %s"), code);
  else if (rc != SQLITE_ROW)
    _bhxh_store_set_error (error, self->db, rc, _("cannot read the offices"));

  return office;
}

GPtrArray *
bhxh_store_list_reason_codes (BhxhStore  *self,
                              GError    **error)
{
  g_autoptr(GPtrArray) codes = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (BHXH_IS_STORE (self), NULL);

  stmt = _bhxh_store_prepare (self,
    "SELECT code, label FROM reason_codes ORDER BY position, code", error);
  if (stmt == NULL)
    return NULL;
  codes = g_ptr_array_new_with_free_func ((GDestroyNotify) bhxh_reason_code_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BhxhReasonCode *code = g_new0 (BhxhReasonCode, 1);

      code->code = _bhxh_column_dup (stmt, 0);
      code->label = _bhxh_column_dup (stmt, 1);
      g_ptr_array_add (codes, code);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _bhxh_store_set_error (error, self->db, rc, _("cannot read the reason codes"));
      return NULL;
    }

  return g_steal_pointer (&codes);
}

