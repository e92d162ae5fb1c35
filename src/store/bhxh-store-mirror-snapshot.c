/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "bhxh-store-private.h"
#include "bhxh-crypt.h"

/* Registry snapshots (docs/formats.md): the mirror file as the portal
 * builds it — the mirror's schema, rows and indexes, an sqlite file in
 * clear — and beside it FILE.sig, an Ed25519 signature by the portal's key
 * over the BLAKE2b-512 digest of the file. The desk verifies the signature
 * with the key pinned at enrolment, checks the schema, and copies the file
 * page by page into "<db>-mirror.new" through the store's VFS (enciphered
 * with the store's key): no row is parsed and no index built on the desk.
 * A snapshot is as good as the key that signed it: the portal's. */

#define SNAPSHOT_MAGIC "SQLite format 3"   /* the first 16 bytes, with the NUL */
#define DIGEST_CONTEXT "bhxh-mirror-snapshot/1"
#define DIGEST_BYTES crypto_generichash_BYTES_MAX
#define SPOOL_CHUNK (4 << 20)

static const char * const snapshot_columns[] = {
  "bhxh_code", "id_number", "old_id_number", "full_name", "name_folded", "birth_date",
  "sex", "address", "office_code", "account_status", "account_since", "legacy_bhxh_code",
};

static const char * const snapshot_indexes[] = {
  "persons_bhxh_code", "persons_id_number", "persons_name_folded", "persons_legacy_bhxh_code",
};

static GMappedFile *map_snapshot (const char  *file,
                                  GError     **error);

/**
 * bhxh_mirror_is_snapshot:
 * @fd: an open file
 *
 * Whether it starts as a registry snapshot does: how an import tells one
 * from a CSV, and the CLI whether to send its signature to the service.
 */
gboolean
bhxh_mirror_is_snapshot (int fd)
{
  char head[sizeof SNAPSHOT_MAGIC];

  return pread (fd, head, sizeof head, 0) == (ssize_t) sizeof head &&
         memcmp (head, SNAPSHOT_MAGIC, sizeof head) == 0;
}

/* The same of @file open as @fd, or of the spool at @file (its bytes on
 * disk are enciphered). */
gboolean
_bhxh_mirror_file_is_snapshot (const char *file,
                               int         fd)
{
  BhxhSpool *spool = _bhxh_spool_lookup (file);
  char head[sizeof SNAPSHOT_MAGIC];

  if (spool == NULL)
    return bhxh_mirror_is_snapshot (fd);
  return bhxh_spool_read (spool, 0, head, sizeof head) == (gssize) sizeof head &&
         memcmp (head, SNAPSHOT_MAGIC, sizeof head) == 0;
}

/* Where the bytes are read from: a spool (a download, enciphered on disk)
 * or a mapping of the file (what is checked is what is copied). */
typedef struct
{
  BhxhSpool   *spool;
  GMappedFile *mapped;
} Source;

static void
source_clear (Source *source)
{
  g_clear_pointer (&source->mapped, g_mapped_file_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Source, source_clear)

static gboolean
source_open (Source      *source,
             const char  *file,
             GError     **error)
{
  source->spool = _bhxh_spool_lookup (file);
  if (source->spool != NULL)
    return TRUE;
  source->mapped = map_snapshot (file, error);
  return source->mapped != NULL;
}

static GMappedFile *
map_snapshot (const char  *file,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GMappedFile *mapped = g_mapped_file_new (file, FALSE, &local_error);

  if (mapped == NULL)
    g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                 _("Cannot read the registry snapshot %s: %s"), file, local_error->message);
  return mapped;
}

/* The digest a signature covers: the context, then every byte of the file. */
static gboolean
snapshot_digest (const Source  *source,
                 const char    *file,
                 guint8         digest[DIGEST_BYTES],
                 GError       **error)
{
  crypto_generichash_state state;

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                           _("The cryptography library could not be initialised"));
      return FALSE;
    }
  crypto_generichash_init (&state, NULL, 0, DIGEST_BYTES);
  crypto_generichash_update (&state, (const guchar *) DIGEST_CONTEXT, sizeof DIGEST_CONTEXT);
  if (source->spool != NULL)
    {
      g_autofree guint8 *chunk = g_malloc (SPOOL_CHUNK);
      guint64 offset = 0;
      gssize n;

      while ((n = bhxh_spool_read (source->spool, offset, chunk, SPOOL_CHUNK)) > 0)
        {
          crypto_generichash_update (&state, chunk, n);
          offset += n;
        }
      sodium_memzero (chunk, SPOOL_CHUNK);
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO,
                       _("Cannot read the registry snapshot %s: %s"), file, g_strerror (saved));
          return FALSE;
        }
    }
  else
    crypto_generichash_update (&state,
                               (const guchar *) g_mapped_file_get_contents (source->mapped),
                               g_mapped_file_get_length (source->mapped));
  crypto_generichash_final (&state, digest, DIGEST_BYTES);

  return TRUE;
}

/**
 * bhxh_mirror_snapshot_sign:
 * @file: a registry snapshot (a mirror file in clear)
 * @secret_key: the portal's Ed25519 secret key (64 bytes, libsodium's form)
 *
 * Writes FILE.sig, the signature bhxh_store_import_mirror() checks: what
 * the portal does when it publishes a snapshot (the simulator, the tests).
 */
gboolean
bhxh_mirror_snapshot_sign (const char  *file,
                           GBytes      *secret_key,
                           GError     **error)
{
  guint8 digest[DIGEST_BYTES];
  guint8 signature[crypto_sign_BYTES];
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  g_autofree char *path = NULL;
  g_auto(Source) source = { NULL, NULL };

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (secret_key != NULL &&
                        g_bytes_get_size (secret_key) == crypto_sign_SECRETKEYBYTES, FALSE);

  if (!source_open (&source, file, error) || !snapshot_digest (&source, file, digest, error))
    return FALSE;
  crypto_sign_detached (signature, NULL, digest, sizeof digest,
                        g_bytes_get_data (secret_key, NULL));
  text = g_base64_encode (signature, sizeof signature);
  line = g_strconcat (text, "\n", NULL);
  path = g_strconcat (file, ".sig", NULL);

  return g_file_set_contents (path, line, -1, error);
}

/* FILE.sig (or @given, its text passed along by a caller that holds the
 * file open only) must be the portal's signature of FILE, by the key
 * pinned at enrolment. */
static gboolean
verify_snapshot (BhxhStore     *self,
                 const char    *file,
                 const Source  *source,
                 const char    *given,
                 GError       **error)
{
  g_autofree char *key_text = bhxh_store_dup_portal_key (self);
  g_autofree char *sig_path = g_strconcat (file, ".sig", NULL);
  g_autofree char *sig_text = NULL;
  g_autofree guchar *key = NULL;
  g_autofree guchar *signature = NULL;
  guint8 digest[DIGEST_BYTES];
  gsize key_len = 0, sig_len = 0;

  if (key_text == NULL)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED,
                   _("The registry snapshot %s cannot be checked: this counter trusts no "
                     "portal key yet (bhxh-deskctl portal set DB --portal-key FILE)"), file);
      return FALSE;
    }
  key = g_base64_decode (key_text, &key_len);
  if (given != NULL)
    sig_text = g_strdup (given);
  else if (!g_file_get_contents (sig_path, &sig_text, NULL, NULL))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("The registry snapshot %s has no signature (%s)"), file, sig_path);
      return FALSE;
    }
  g_strstrip (sig_text);
  if (*sig_text != '\0')
    signature = g_base64_decode (sig_text, &sig_len);
  if (key_len != crypto_sign_PUBLICKEYBYTES || sig_len != crypto_sign_BYTES)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("The signature of the registry snapshot %s is malformed"), file);
      return FALSE;
    }
  if (!snapshot_digest (source, file, digest, error))
    return FALSE;
  if (crypto_sign_verify_detached (signature, digest, sizeof digest, key) != 0)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("The registry snapshot %s is not signed by the portal’s key: it was "
                     "altered, or comes from elsewhere"), file);
      return FALSE;
    }

  return TRUE;
}

static gint64
count_named (sqlite3            *db,
             const char         *sql,
             const char * const *names,
             guint               n_names)
{
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  for (guint i = 0; i < n_names; i++)
    sqlite3_bind_text (stmt, i + 1, names[i], -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return count;
}

static char *
dup_meta (sqlite3    *db,
          const char *key)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM snapshot.mirror_meta WHERE key = ?1", -1, &stmt,
                          NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = _bhxh_column_dup (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* Every column and index the desk's queries use, and the version. */
static gboolean
check_snapshot_schema (sqlite3     *db,
                       const char  *file,
                       char       **version,
                       guint64     *rows,
                       GError     **error)
{
  g_autofree char *rows_text = NULL;

  /* The columns in the mirror's order: the copy is column for column. */
  if (count_named (db, "SELECT count(*) FROM pragma_table_info ('persons', 'snapshot') "
                       "WHERE name = CASE cid WHEN 0 THEN ?1 WHEN 1 THEN ?2 WHEN 2 THEN ?3 "
                       "WHEN 3 THEN ?4 WHEN 4 THEN ?5 WHEN 5 THEN ?6 WHEN 6 THEN ?7 "
                       "WHEN 7 THEN ?8 WHEN 8 THEN ?9 WHEN 9 THEN ?10 WHEN 10 THEN ?11 "
                       "WHEN 11 THEN ?12 END",
                   snapshot_columns, G_N_ELEMENTS (snapshot_columns)) !=
        G_N_ELEMENTS (snapshot_columns) ||
      count_named (db, "SELECT count(*) FROM pragma_table_info ('persons', 'snapshot')",
                   NULL, 0) != G_N_ELEMENTS (snapshot_columns) ||
      count_named (db, "SELECT count(*) FROM snapshot.sqlite_schema WHERE type = 'index' "
                       "AND tbl_name = 'persons' AND name IN (?1, ?2, ?3, ?4)",
                   snapshot_indexes, G_N_ELEMENTS (snapshot_indexes)) !=
        G_N_ELEMENTS (snapshot_indexes) ||
      (*version = dup_meta (db, "version")) == NULL || **version == '\0' ||
      (rows_text = dup_meta (db, "rows")) == NULL)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("The registry snapshot %s does not have the mirror’s tables, indexes "
                     "and version"), file);
      return FALSE;
    }
  *rows = g_ascii_strtoull (rows_text, NULL, 10);

  return TRUE;
}

/* Attaches the snapshot as "snapshot", read only: a spool through its VFS,
 * a mapping as an in-memory database over the mapped bytes. */
static int
attach_snapshot (sqlite3      *db,
                 const Source *source)
{
  int rc;

  if (source->spool != NULL)
    {
      g_autofree char *uri = _bhxh_spool_dup_uri (source->spool);
      char *sql = sqlite3_mprintf ("ATTACH %Q AS snapshot", uri);

      rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
      sqlite3_free (sql);
    }
  else
    {
      gsize length = g_mapped_file_get_length (source->mapped);

      rc = sqlite3_exec (db, "ATTACH ':memory:' AS snapshot", NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_deserialize (db, "snapshot",
                                  (unsigned char *) g_mapped_file_get_contents (source->mapped),
                                  (sqlite3_int64) length, (sqlite3_int64) length,
                                  SQLITE_DESERIALIZE_READONLY);
    }
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "SELECT count(*) FROM snapshot.sqlite_schema", NULL, NULL, NULL);

  return rc;
}

static int
cancel_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

/**
 * _bhxh_store_build_mirror_from_snapshot:
 * @file: a registry snapshot, FILE.sig beside it
 * @signature: (nullable): the signature's text; %NULL: read FILE.sig
 * @new_path: the new mirror file to write ("<db>-mirror.new", absent)
 * @vfs: (nullable): the store's crypt VFS, %NULL for a store in clear
 * @wanted_version: (nullable): the version the caller expects, if any
 * @version: (out): the snapshot's version
 * @rows: (out): its number of persons
 *
 * Verifies, checks and copies; the caller swaps the file in.
 */
gboolean
_bhxh_store_build_mirror_from_snapshot (BhxhStore     *self,
                                        const char    *file,
                                        const char    *signature,
                                        const char    *new_path,
                                        const char    *vfs,
                                        const char    *wanted_version,
                                        GCancellable  *cancellable,
                                        char         **version,
                                        guint64       *rows,
                                        GError       **error)
{
  g_autoptr(GBytes) schema = _bhxh_store_lookup_sql ("mirror-schema.sql");
  g_autoptr(GBytes) indexes = _bhxh_store_lookup_sql ("mirror-indexes.sql");
  g_auto(Source) source = { NULL, NULL };
  g_autofree char *now = bhxh_clock_now_iso ();
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  int rc;

  *version = NULL;
  if (!source_open (&source, file, error) ||
      !verify_snapshot (self, file, &source, signature, error))
    return FALSE;

  /* The new mirror as an import makes it (bhxh-store-mirror-import.c),
   * the snapshot attached read-only from the very bytes verified (mapped:
   * a file swapped after the check is never read; a download: its spool,
   * deciphered page by page). */
  rc = sqlite3_open_v2 (new_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                       SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, vfs);
  if (rc == SQLITE_OK)
    rc = _bhxh_crypt_prepare (db, "main");
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA page_size = 16384;"
                           "PRAGMA journal_mode = OFF;"
                           "PRAGMA synchronous = OFF;"
                           "PRAGMA locking_mode = EXCLUSIVE;", NULL, NULL, NULL);
  if (rc == SQLITE_OK && attach_snapshot (db, &source) != SQLITE_OK)
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("Cannot open the registry snapshot %s: %s"), file, sqlite3_errmsg (db));
      sqlite3_close_v2 (db);
      return FALSE;
    }
  if (rc == SQLITE_OK && !check_snapshot_schema (db, file, version, rows, error))
    {
      sqlite3_close_v2 (db);
      return FALSE;
    }
  /* A signed snapshot of another version must not pass for this one. */
  if (rc == SQLITE_OK && wanted_version != NULL && !g_str_equal (wanted_version, *version))
    {
      g_set_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT,
                   _("The registry snapshot %s is version %s, not %s"), file, *version,
                   wanted_version);
      sqlite3_close_v2 (db);
      return FALSE;
    }

  /* The mirror's own schema and indexes, empty: "INSERT INTO … SELECT *"
   * then copies the table and each index b-tree in order, record by
   * record (sqlite's transfer optimisation: nothing sorted again), when
   * the snapshot's indexes are the same; else it inserts row by row,
   * slower but with the same result. */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, g_bytes_get_data (schema, NULL), NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, BHXH_MIRROR_LEGACY_INDEX_SQL, NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, g_bytes_get_data (indexes, NULL), NULL, NULL, NULL);
  if (rc == SQLITE_OK && cancellable != NULL)
    sqlite3_progress_handler (db, 100000, cancel_cb, cancellable);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "BEGIN;"
                           "INSERT INTO main.persons SELECT * FROM snapshot.persons;"
                           "INSERT INTO main.mirror_meta (key, value) SELECT key, value"
                           "  FROM snapshot.mirror_meta WHERE key IN ('version', 'rows');",
                       NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "INSERT INTO main.mirror_meta (key, value) "
                                 "VALUES ('imported_at', ?1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode (db);
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "COMMIT; DETACH snapshot", NULL, NULL, NULL);
  if (rc == SQLITE_INTERRUPT && g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      sqlite3_close_v2 (db);
      return FALSE;
    }
  if (rc != SQLITE_OK)
    {
      _bhxh_store_set_error (error, db, rc, _("cannot build the new registry mirror"));
      sqlite3_close_v2 (db);
      return FALSE;
    }
  rc = sqlite3_close (db);
  if (rc != SQLITE_OK)
    {
      _bhxh_store_set_error (error, NULL, rc, _("cannot close the new registry mirror"));
      return FALSE;
    }

  return TRUE;
}
