/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/bhxh-document.h"
#include "core/bhxh-text.h"
#include "store/bhxh-crypt.h"
#include "core/bhxh-clock.h"
#include "store/bhxh-store.h"
#include "store-fixtures.h"

/* Encryption at rest on real files: what a copy of the main file, its WAL,
 * a rollback journal and the registry mirror reveal (nothing), reopening
 * with the right key, the wrong key or none, and tampered pages. */

#define SECRET "correct horse battery staple, counter 07"
#define WRONG_SECRET "correct horse battery staple, counter 08"

typedef struct
{
  char      *dir;
  char      *path;
  char      *mirror;
  BhxhStore *store;
  BhxhDate   today;
  const BhxhCryptKey *key;
} Fixture;

/* Names (NFC, as the CSV holds them, and app-folded) and ID numbers of
 * the fixture's persons and declarations. */
static const char * const secrets[] = {
  "Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Thị Hoa", "Lê Minh Khang", "Phạm Thị Mai",
  "Phạm Văn Bình", "Pha\xCC\xA3m Va\xCC\x86n Bi\xCC\x80nh", "Vũ Quốc Trung",
  "nguyen van an", "tran thi bich ngoc", "le thi hoa",
  "001090012345", "079305001234", "001185000111", "001088000222", "001092054321",
  "123456789",
};

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_file = NULL;

  f->dir = fixture_tmpdir ();
  f->path = g_build_filename (f->dir, "desk.db", NULL);
  f->mirror = g_strconcat (f->path, "-mirror", NULL);
  g_assert_true (bhxh_date_parse (FIXTURE_TODAY, &f->today, NULL));
  /* The clock reads that day, 09:00 in Vietnam, and ticks on from there. */
  g_assert_true (bhxh_clock_pin_text (FIXTURE_TODAY, NULL));
  key_file = fixture_write_secret (f->dir, "desk.key", SECRET "\n");
  f->key = data != NULL ? NULL : bhxh_crypt_key_from_file (key_file, &error);
  g_assert_no_error (error);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->store);
  fixture_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->mirror);
}

static void
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = bhxh_store_open_with_key (f->path, f->key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

/* Mirror and declarations imported, one approval with the scanned card
 * (kept as a document) and one rejection. */
static void
load_and_decide (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = fixture_write (f->dir, "mirror.csv", FIXTURE_MIRROR_CSV);
  g_autofree char *json = fixture_write (f->dir, "declarations.json",
                                         FIXTURE_DECLARATIONS_JSON);
  g_autoptr(BhxhDocument) card = bhxh_document_parse_cccd (FIXTURE_CCCD_AN, -1, &error);
  g_autoptr(BhxhDecision) approved = NULL;
  g_autoptr(BhxhDecision) rejected = NULL;
  const char *reasons[] = { "person-absent", NULL };
  BhxhDecisionRequest approve = {
    "TK01-00106-000001", BHXH_OUTCOME_APPROVE, "lan", NULL, NULL, FALSE, card,
  };
  BhxhDecisionRequest reject = {
    "TK01-07901-000002", BHXH_OUTCOME_REJECT, "lan", reasons, NULL, FALSE, NULL,
  };
  guint64 rows = 0;
  guint imported = 0;

  g_assert_no_error (error);
  g_assert_true (bhxh_store_import_mirror (f->store, csv, BHXH_MIRROR_FORMAT_AUTO, "2026-11",
                                           NULL, NULL, NULL, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, FIXTURE_MIRROR_ROWS);
  g_assert_true (bhxh_store_import_declarations (f->store, json, &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (imported, ==, FIXTURE_DECLARATIONS);
  approved = bhxh_store_decide (f->store, &approve, &error);
  g_assert_no_error (error);
  rejected = bhxh_store_decide (f->store, &reject, &error);
  g_assert_no_error (error);
  /* The plain files with the source data go; only the store's files stay. */
  g_unlink (csv);
  g_unlink (json);
}

/* How many of the secrets appear in @path's raw bytes. */
static guint
count_secrets (const char *path,
               gsize      *size)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  guint found = 0;

  if (!g_file_get_contents (path, &data, &length, NULL))
    length = 0;
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (length > 0 && memmem (data, length, secrets[i], strlen (secrets[i])) != NULL)
      {
        g_test_message ("%s holds “%s”", path, secrets[i]);
        found++;
      }
  if (size != NULL)
    *size = length;
  return found;
}

static void
test_nothing_readable (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autoptr(BhxhPerson) an = NULL;
  g_autoptr(GError) error = NULL;
  gsize main_size, wal_size, mirror_size;
  guint in_main, in_wal, in_mirror;

  open_store (f);
  load_and_decide (f);

  /* A copy taken while the desk runs: the main file, its WAL, the mirror. */
  in_main = count_secrets (f->path, &main_size);
  in_wal = count_secrets (wal, &wal_size);
  in_mirror = count_secrets (f->mirror, &mirror_size);
  g_assert_cmpuint (wal_size, >, 16384);
  g_assert_cmpuint (mirror_size, >, 4096);
  if (f->key == NULL)
    {
      /* The control: in clear, the same search finds them. */
      g_assert_cmpuint (in_wal, >=, 8);
      g_assert_cmpuint (in_mirror, >=, 8);
      return;
    }
  g_assert_cmpuint (in_main, ==, 0);
  g_assert_cmpuint (in_wal, ==, 0);
  g_assert_cmpuint (in_mirror, ==, 0);

  /* After a checkpoint everything sits in the main file: still nothing. */
  g_assert_finalize_object (f->store);
  f->store = NULL;
  g_assert_cmpuint (count_secrets (f->path, &main_size), ==, 0);
  g_assert_cmpuint (main_size, >, 16384);

  /* The right key reads it all back. */
  open_store (f);
  an = bhxh_store_find_person (f->store, "0112345678", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (an->full_name, ==, "Nguyễn Văn An");
  g_assert_cmpint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_PENDING), ==, 2);
  g_assert_true (bhxh_store_audit_verify (f->store, NULL, &error));
  g_assert_no_error (error);
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = g_build_filename (f->dir, "plain.db", NULL);
  g_autofree char *plain_mirror = NULL;
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(BhxhStore) in_clear = NULL;
  const BhxhCryptKey *wrong = bhxh_crypt_key_from_secret (WRONG_SECRET,
                                                          strlen (WRONG_SECRET), &error);

  g_assert_no_error (error);
  g_assert_true (wrong != f->key);
  open_store (f);
  load_and_decide (f);
  g_clear_object (&f->store);

  store = bhxh_store_open_with_key (f->path, wrong, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);

  store = bhxh_store_open_with_key (f->path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "encrypted"));
  g_clear_error (&error);

  /* A key for a database in clear is refused too, and nothing changes. */
  in_clear = bhxh_store_open_with_key (plain, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&in_clear);
  store = bhxh_store_open_with_key (plain, f->key, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY);
  g_clear_error (&error);
  in_clear = bhxh_store_open_with_key (plain, NULL, &error);
  g_assert_no_error (error);

  /* The mirror has the main file's key: an encrypted mirror beside a main
   * file in clear is refused by name. */
  g_clear_object (&in_clear);
  plain_mirror = g_strconcat (plain, "-mirror", NULL);
  g_assert_cmpint (g_rename (f->mirror, plain_mirror), ==, 0);
  in_clear = bhxh_store_open_with_key (plain, NULL, &error);
  g_assert_null (in_clear);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "-mirror"));

  /* The right key still opens the original (its mirror put back). */
  g_clear_error (&error);
  g_assert_cmpint (g_rename (plain_mirror, f->mirror), ==, 0);
  open_store (f);
}

static void
flip_byte (const char *path,
           goffset     offset)
{
  FILE *file = fopen (path, "r+b");
  int c;

  g_assert_nonnull (file);
  g_assert_cmpint (fseek (file, offset, SEEK_SET), ==, 0);
  c = fgetc (file);
  g_assert_cmpint (c, !=, EOF);
  g_assert_cmpint (fseek (file, offset, SEEK_SET), ==, 0);
  fputc (c ^ 0x01, file);
  fclose (file);
}

/* The page size of a database file, from its header (in clear). */
static goffset
page_size_of (const char *path)
{
  guint8 header[18];
  FILE *file = fopen (path, "rb");

  g_assert_nonnull (file);
  g_assert_cmpuint (fread (header, 1, sizeof header, file), ==, sizeof header);
  fclose (file);
  return header[16] == 0 && header[17] == 1 ? 65536 : (header[16] << 8) | header[17];
}

/* PRAGMA integrity_check through the key's VFS: its report, folded. */
static char *
integrity_check (Fixture    *f,
                 const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *report = g_string_new (NULL);
  g_autofree char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY,
                                    bhxh_crypt_key_get_vfs_name (f->key)), ==, SQLITE_OK);
  sqlite3_extended_result_codes (db, 1);
  /* A page of the schema it cannot read fails the statement; any other
   * page is reported in a row, by number. */
  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK)
    g_string_append_printf (report, "schema: error code=%d\n", sqlite3_extended_errcode (db));
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (report, "%s\n", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  text = g_string_free (report, FALSE);

  return g_ascii_strdown (text, -1);
}

static void
test_tampering (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(BhxhStore) store = NULL;
  g_autofree char *pristine = NULL;
  goffset mirror_page;
  gsize length;

  open_store (f);
  load_and_decide (f);
  g_clear_object (&f->store);
  g_assert_true (g_file_get_contents (f->path, &pristine, &length, NULL));

  /* One bit in a page of the mirror (its persons table lives on page 2;
   * the mirror has pages of 16 KiB). */
  mirror_page = page_size_of (f->mirror);
  flip_byte (f->mirror, mirror_page + 700);
  open_store (f);
  found = bhxh_store_search_persons (f->store, "nguyen", 10, &error);
  g_assert_null (found);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "integrity"));
  g_clear_error (&error);
  g_clear_object (&f->store);
  flip_byte (f->mirror, mirror_page + 700);

  /* One bit in any page of the main file: integrity_check, which reads
   * every page in use, stops at it. */
  for (gsize page = 1; page < length / 4096; page++)
    {
      g_autofree char *report = NULL;
      g_autofree char *expected = g_strdup_printf ("page %" G_GSIZE_FORMAT ":", page + 1);
      g_autofree char *expected_end = g_strdup_printf ("page %" G_GSIZE_FORMAT "\n", page + 1);

      flip_byte (f->path, page * 4096 + 1000);
      report = integrity_check (f, f->path);
      g_test_message ("page %" G_GSIZE_FORMAT ": %s", page + 1, report);
      g_assert_true (strstr (report, expected) != NULL || strstr (report, expected_end) != NULL ||
                     strstr (report, "schema: error code=8202") != NULL);
      flip_byte (f->path, page * 4096 + 1000);
    }
  {
    g_autofree char *report = integrity_check (f, f->path);

    g_assert_cmpstr (report, ==, "ok\n");
  }

  /* Two pages swapped: each is genuine, but not in its place. */
  g_assert_true (g_file_set_contents (f->path, pristine, length, NULL));
  {
    g_autofree char *swapped = g_memdup2 (pristine, length);

    memcpy (swapped + 4096, pristine + 8192, 4096);
    memcpy (swapped + 8192, pristine + 4096, 4096);
    g_assert_true (g_file_set_contents (f->path, swapped, length, NULL));
  }
  {
    g_autofree char *report = integrity_check (f, f->path);

    g_test_message ("swapped: %s", report);
    g_assert_true (strstr (report, "page 2:") != NULL || strstr (report, "page 3:") != NULL ||
                   strstr (report, "schema: error code=8202") != NULL);
  }

  /* The clear header of page 1 is authenticated too: the key "fails". */
  g_assert_true (g_file_set_contents (f->path, pristine, length, NULL));
  flip_byte (f->path, 60);   /* user_version */
  store = bhxh_store_open_with_key (f->path, f->key, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY);
  g_clear_error (&error);

  /* Put back, it opens. */
  g_assert_true (g_file_set_contents (f->path, pristine, length, NULL));
  open_store (f);
}

/* A rollback journal: page images sealed; a hot journal left by a crash
 * in the middle of a transaction rolls back through the VFS. */
static void
test_rollback_journal (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *copy = g_build_filename (f->dir, "copy.db", NULL);
  g_autofree char *journal = g_strconcat (f->path, "-journal", NULL);
  g_autofree char *copy_journal = g_strconcat (copy, "-journal", NULL);
  g_autofree char *contents = NULL;
  gsize length, journal_size;
  sqlite3 *db = NULL;
  sqlite3 *reader = NULL;
  sqlite3_stmt *stmt = NULL;
  int reserve = BHXH_CRYPT_RESERVE;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    bhxh_crypt_key_get_vfs_name (f->key)), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_file_control (db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 10;"
                                 "CREATE TABLE t (name TEXT, id TEXT);"
                                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                 "FROM n WHERE i < 3000) INSERT INTO t "
                                 "SELECT 'Nguyễn Văn An', '001090012345' FROM n;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  /* The update spills pages to the file mid-transaction: the journal was
   * synced first, and the file now holds half-written state. */
  g_assert_cmpint (sqlite3_exec (db, "BEGIN; UPDATE t SET name = 'Lê Thị Hoa', "
                                 "id = '001185000111';", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpuint (count_secrets (journal, &journal_size), ==, 0);
  g_assert_cmpuint (journal_size, >, 40000);
  g_assert_cmpuint (count_secrets (f->path, NULL), ==, 0);

  /* The state a crash leaves: both files copied as they are now. */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, length, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (journal, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy_journal, contents, length, NULL));
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);

  g_assert_cmpint (sqlite3_open_v2 (copy, &reader, SQLITE_OPEN_READWRITE,
                                    bhxh_crypt_key_get_vfs_name (f->key)), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (reader,
                                       "SELECT count(*) FROM t WHERE name = 'Nguyễn Văn An' "
                                       "AND id = '001090012345'", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 3000);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (reader, "PRAGMA integrity_check", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (reader);
  g_assert_false (g_file_test (copy_journal, G_FILE_TEST_EXISTS));
}

/* A mirror big enough for sqlite to sort its indexes through temporary
 * files: the result is searchable and the file holds no name or ID. */
static void
test_big_mirror (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = fixture_write_big_csv (f->dir, 60000);
  g_autoptr(GPtrArray) persons = NULL;
  g_autofree char *raw = NULL;
  gsize length;
  guint64 rows = 0;

  open_store (f);
  g_assert_true (bhxh_store_import_mirror (f->store, csv, BHXH_MIRROR_FORMAT_CSV, "big",
                                           NULL, NULL, NULL, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 60000);
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, 60000);
  persons = bhxh_store_find_persons_by_id (f->store, "001099059999", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (persons->len, ==, 1);
  g_assert_cmpstr (((BhxhPerson *) persons->pdata[0])->full_name, ==, "Nguyễn Thị Số 59999");

  g_assert_true (g_file_get_contents (f->mirror, &raw, &length, NULL));
  g_assert_cmpuint (length, >, 60000 * 40);
  g_assert_null (memmem (raw, length, "Nguyễn Thị Số", strlen ("Nguyễn Thị Số")));
  g_assert_null (memmem (raw, length, "nguyen thi so", strlen ("nguyen thi so")));
  g_assert_null (memmem (raw, length, "001099059999", 12));
  g_assert_null (memmem (raw, length, "00108000", 8));
}

/* A declaration's portrait photo: bytes shaped like a JPEG, random after
 * the signature so that no run of them occurs by chance elsewhere. */
static GBytes *
fake_photo (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  guint8 *data = g_malloc (20000);

  data[0] = 0xff, data[1] = 0xd8, data[2] = 0xff, data[3] = 0xe0;
  for (guint i = 4; i < 20000; i++)
    data[i] = g_rand_int_range (rand, 0, 256);
  return g_bytes_new_take (data, 20000);
}

/* The feed names the photo of TK01-00106-000001 by its hash and size. */
static void
import_with_portrait (Fixture *f,
                      GBytes  *photo)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, photo);
  JsonObject *first, *ref = json_object_new ();
  guint imported = 0;

  g_assert_true (json_parser_load_from_data (parser, FIXTURE_DECLARATIONS_JSON, -1, &error));
  first = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                  "declarations"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "TK01-00106-000001");
  json_object_set_string_member (ref, "sha256", sha256);
  json_object_set_int_member (ref, "size", g_bytes_get_size (photo));
  json_object_set_object_member (first, "portrait", ref);
  g_assert_true (bhxh_store_import_declarations_json (f->store, json_parser_get_root (parser),
                                                      &imported, &error));
  g_assert_no_error (error);
}

/* The photo is stored once it matches what the feed named, given to a
 * clerk (audited), absent for a declaration without one, and no run of its
 * bytes is in the store's files (in the clear control, it is). */
static void
test_portrait (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) photo = fake_photo ();
  g_autoptr(GBytes) other = g_bytes_new_from_bytes (photo, 0, 19000);
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GPtrArray) wanted = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *raw_wal = NULL;
  const guint8 *run = (const guint8 *) g_bytes_get_data (photo, NULL) + 10000;
  gsize length = 0, wal_length = 0;
  gboolean viewed = FALSE;

  open_store (f);
  import_with_portrait (f, photo);
  wanted = bhxh_store_list_wanted_portraits (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wanted->len, ==, 1);
  g_assert_cmpstr (wanted->pdata[0], ==, "TK01-00106-000001");

  /* Not the photo named: refused, nothing stored. */
  g_assert_false (bhxh_store_set_declaration_portrait (f->store, "TK01-00106-000001", other,
                                                       &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_clear_error (&error);
  g_assert_false (bhxh_store_set_declaration_portrait (f->store, "TK01-07901-000002", photo,
                                                       &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_clear_error (&error);

  g_assert_true (bhxh_store_set_declaration_portrait (f->store, "TK01-00106-000001", photo,
                                                      &error));
  g_assert_no_error (error);
  g_ptr_array_unref (wanted);
  wanted = bhxh_store_list_wanted_portraits (f->store, &error);
  g_assert_cmpuint (wanted->len, ==, 0);

  g_assert_true (bhxh_store_dup_declaration_portrait (f->store, "lan", "TK01-00106-000001",
                                                      &got, &error));
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (got, photo));
  g_assert_true (bhxh_store_dup_declaration_portrait (f->store, "lan", "TK01-07901-000002",
                                                      &none, &error));
  g_assert_null (none);
  g_assert_false (bhxh_store_dup_declaration_portrait (f->store, "lan", "TK01-NONE",
                                                       &none, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  audit = bhxh_store_list_audit (f->store, &f->today, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      BhxhAuditEntry *entry = audit->pdata[i];

      viewed |= g_str_equal (entry->action, "declaration.portrait") &&
                g_str_equal (entry->object, "TK01-00106-000001");
    }
  g_assert_true (viewed);

  /* The same feed again keeps the photo; none named forgets it. */
  import_with_portrait (f, photo);
  g_clear_pointer (&got, g_bytes_unref);
  g_assert_true (bhxh_store_dup_declaration_portrait (f->store, "lan", "TK01-00106-000001",
                                                      &got, &error));
  g_assert_nonnull (got);

  g_clear_object (&f->store);
  g_assert_true (g_file_get_contents (f->path, &raw, &length, NULL));
  if (!g_file_get_contents (wal, &raw_wal, &wal_length, NULL))
    wal_length = 0;
  if (data != NULL)
    g_assert_nonnull (memmem (raw, length, run, 32));
  else
    {
      g_assert_null (memmem (raw, length, run, 32));
      g_assert_true (wal_length == 0 || memmem (raw_wal, wal_length, run, 32) == NULL);
    }
}

/* bhxh_store_open() takes the key from BHXH_DESK_KEY_FILE. */
static void
test_environment (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_file = g_build_filename (f->dir, "desk.key", NULL);
  g_autofree char *short_file = fixture_write_secret (f->dir, "short.key", "abc\n");
  g_autoptr(BhxhStore) store = NULL;

  g_setenv (BHXH_CRYPT_KEY_FILE_ENV, key_file, TRUE);
  store = bhxh_store_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_true (_bhxh_crypt_file_looks_encrypted (f->path));

  g_setenv (BHXH_CRYPT_KEY_FILE_ENV, short_file, TRUE);
  store = bhxh_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_clear_error (&error);

  /* A key file others can read is refused, naming the file and the fix. */
  g_assert_cmpint (g_chmod (key_file, 0640), ==, 0);
  g_setenv (BHXH_CRYPT_KEY_FILE_ENV, key_file, TRUE);
  store = bhxh_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, key_file));
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_clear_error (&error);
  g_assert_cmpint (g_chmod (key_file, 0600), ==, 0);

  g_unsetenv (BHXH_CRYPT_KEY_FILE_ENV);
  store = bhxh_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY);
  g_clear_error (&error);

  /* The right key, given directly. */
  open_store (f);
}

/* bhxh-deskctl (env BHXH_DESKCTL): exit status, stdout and stderr. */
static int
deskctl (const char          *key_file,
         char               **out,
         char               **err,
         const char * const  *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) g_getenv ("BHXH_DESKCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "BHXH_DESK_TODAY", FIXTURE_TODAY, TRUE);
  if (key_file != NULL)
    g_subprocess_launcher_setenv (launcher, BHXH_CRYPT_KEY_FILE_ENV, key_file, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                          &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

#define DESKCTL(key, out, err, ...) deskctl ((key), (out), (err), \
                                             (const char * const []) { __VA_ARGS__, NULL })

/* An office that kept its store in clear turns encryption on; then the
 * command-line tool works with the key and refuses without it. */
static void
test_cli_encrypt (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *key_file = g_build_filename (f->dir, "desk.key", NULL);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *new_key_file = NULL;
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const BhxhCryptKey *key = f->key;

  if (g_getenv ("BHXH_DESKCTL") == NULL)
    {
      g_test_skip ("BHXH_DESKCTL is not set");
      return;
    }

  /* In clear, as every store was before. */
  f->key = NULL;
  open_store (f);
  load_and_decide (f);
  g_clear_object (&f->store);
  g_assert_cmpuint (count_secrets (f->path, NULL) + count_secrets (wal, NULL), >, 0);

  g_assert_cmpint (DESKCTL (NULL, &out, &err, "crypt", "encrypt", f->path,
                            "--key-file", key_file), ==, 0);
  g_assert_nonnull (strstr (out, "\"persons\" : 6"));
  g_assert_cmpuint (count_secrets (f->path, NULL), ==, 0);
  g_assert_cmpuint (count_secrets (wal, NULL), ==, 0);
  g_assert_cmpuint (count_secrets (f->mirror, NULL), ==, 0);
  g_assert_true (bhxh_crypt_file_is_encrypted (f->path));
  g_assert_true (bhxh_crypt_file_is_encrypted (f->mirror));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Again: already done, nothing changes. */
  g_assert_cmpint (DESKCTL (NULL, &out, &err, "crypt", "encrypt", f->path,
                            "--key-file", key_file), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Without the key: one clear line, exit 1, the file untouched. */
  g_assert_cmpint (DESKCTL (NULL, &out, &err, "decide", f->path, "TK01-00102-000003",
                            "reject", "--reason", "person-absent", "--clerk", "lan"), ==, 1);
  g_assert_true (g_str_has_prefix (err, "error: "));
  g_assert_nonnull (strstr (err, "encrypted"));
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* With it, as before. */
  g_assert_cmpint (DESKCTL (key_file, &out, &err, "decide", f->path, "TK01-00102-000003",
                            "reject", "--reason", "person-absent", "--clerk", "lan"), ==, 0);
  g_assert_nonnull (strstr (out, "TK01-00102-000003"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (DESKCTL (NULL, &out, &err, "crypt", "status", f->path), ==, 0);
  g_assert_nonnull (strstr (out, "\"encrypted\" : true"));
  g_assert_nonnull (strstr (out, "\"mirror_encrypted\" : true"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A new key (the old file may have leaked): the old one opens nothing. */
  new_key_file = fixture_write_secret (f->dir, "new.key", WRONG_SECRET "\n");
  g_assert_cmpint (DESKCTL (key_file, &out, &err, "crypt", "rekey", f->path,
                            "--new-key-file", new_key_file), ==, 0);
  g_assert_nonnull (strstr (out, "\"persons\" : 6"));
  g_assert_cmpuint (count_secrets (f->path, NULL) + count_secrets (f->mirror, NULL), ==, 0);
  f->key = key;
  store = bhxh_store_open_with_key (f->path, key, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY);
  f->key = bhxh_crypt_key_from_file (new_key_file, NULL);
  g_assert_nonnull (f->key);
  open_store (f);
  g_assert_cmpint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_PENDING), ==, 3);
  g_assert_true (bhxh_store_audit_verify (f->store, NULL, NULL));
}

/* SIGKILL while deciding, at random points: every acknowledged decision
 * is there after reopening with the key, and integrity_check through the
 * VFS is clean (WAL recovery reads torn, sealed frames). */
#define CRASH_TRIALS 20
#define CRASH_DECLARATIONS 4000

static void
write_crash_declarations (Fixture *f)
{
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint imported = 0;

  for (guint i = 0; i < CRASH_DECLARATIONS; i++)
    g_string_append_printf (json,
      "%s{\"id\": \"K-%u\", \"kind\": \"register\", \"office_code\": \"00106\", "
      "\"submitted_at\": \"2026-11-20T08:00:00+07:00\", "
      "\"confirmed_at\": \"2026-11-20T08:05:00+07:00\", \"full_name\": \"Nguyễn Văn An\", "
      "\"bhxh_code\": \"0112345678\", \"id_number\": \"001090012345\", "
      "\"birth_date\": \"1990-03-15\", \"sex\": \"male\", \"address\": \"Hà Nội\"}",
      i > 0 ? "," : "", i);
  g_string_append_c (json, ']');
  path = fixture_write (f->dir, "crash.json", json->str);
  g_assert_true (bhxh_store_import_declarations (f->store, path, &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (imported, ==, CRASH_DECLARATIONS);
}

/* The child: decides K-first, K-first+1, … and reports each after it returned. */
static G_GNUC_NORETURN void
crash_child (Fixture *f,
             guint    first,
             guint    end,
             int      out)
{
  BhxhStore *store;
  const char *reasons[] = { "person-absent", NULL };

  /* A forked child shares the parent's random state: decision uuids too. */
  g_random_set_seed ((guint32) getpid () ^ (guint32) g_get_real_time ());
  store = bhxh_store_open_with_key (f->path, f->key, NULL);
  if (store == NULL)
    _exit (2);
  for (guint i = first; i < end; i++)
    {
      g_autofree char *id = g_strdup_printf ("K-%u", i);
      BhxhDecisionRequest request = {
        id, BHXH_OUTCOME_REJECT, "lan", reasons, NULL, FALSE, NULL,
      };
      g_autoptr(GError) error = NULL;
      BhxhDecision *decision = bhxh_store_decide (store, &request, &error);

      if (decision == NULL)
        {
          g_printerr ("child: %s: %s\n", id, error->message);
          _exit (3);
        }
      bhxh_decision_free (decision);
      if (write (out, &i, sizeof i) != sizeof i)
        _exit (4);
    }
  /* Without closing: the WAL is left to the next opener's recovery. */
  _exit (0);
}

static void
test_crash (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new ();
  guint next = 0, acknowledged = 0, killed = 0;

  open_store (f);
  load_and_decide (f);
  write_crash_declarations (f);
  g_clear_object (&f->store);

  /* The last trial is not killed: 300 decisions (past a checkpoint and a
   * WAL restart), then an exit without closing, so the next open rebuilds
   * the WAL index from the sealed frames. */
  for (guint trial = 0; trial <= CRASH_TRIALS && next < CRASH_DECLARATIONS - 400; trial++)
    {
      gboolean final = trial == CRASH_TRIALS;
      guint before = 0;
      g_autofree char *report = NULL;
      g_autofree char *mirror_report = NULL;
      int fds[2];
      int status = 0;
      guint done, last = G_MAXUINT;
      pid_t pid;

      if (final)
        {
          open_store (f);
          before = bhxh_store_outbox_count (f->store, BHXH_OUTBOX_PENDING);
          g_clear_object (&f->store);
        }
      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          crash_child (f, next, final ? next + 300 : CRASH_DECLARATIONS, fds[1]);
        }
      close (fds[1]);
      if (!final)
        {
          g_usleep (g_rand_int_range (rand, 5000, 100000));
          kill (pid, SIGKILL);
        }
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (WIFSIGNALED (status))
        killed++;
      else
        g_assert_cmpint (WEXITSTATUS (status), ==, 0);

      /* Every decision the child saw returned is committed. */
      open_store (f);
      if (final)
        g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_PENDING), ==,
                          before + 300);
      while (read (fds[0], &done, sizeof done) == sizeof done)
        {
          g_autofree char *id = g_strdup_printf ("K-%u", done);
          g_autoptr(BhxhDeclaration) d = bhxh_store_get_declaration (f->store, id, NULL);

          g_assert_nonnull (d);
          g_assert_cmpint (d->status, ==, BHXH_STATUS_REJECTED);
          acknowledged++;
          last = done;
        }
      close (fds[0]);
      g_clear_object (&f->store);

      report = integrity_check (f, f->path);
      g_assert_cmpstr (report, ==, "ok\n");
      mirror_report = integrity_check (f, f->mirror);
      g_assert_cmpstr (mirror_report, ==, "ok\n");
      /* The one after the last acknowledged may or may not have committed. */
      next = last == G_MAXUINT ? next + 1 : last + 2;
    }

  g_test_message ("%u trials killed, %u decisions acknowledged and found", killed, acknowledged);
  g_assert_cmpuint (killed, >, 0);
  g_assert_cmpuint (acknowledged, >, 0);
  open_store (f);
  g_assert_true (bhxh_store_audit_verify (f->store, NULL, NULL));
}

/* What sqlite logged since the test cleared it. */
static GString *sqlite_log;

static void
sqlite_log_cb (void       *data,
               int         code,
               const char *message)
{
  g_printerr ("# sqlite [%d]: %s\n", code, message);
  if (sqlite_log != NULL)
    g_string_append_printf (sqlite_log, "%s\n", message);
}

/* A page of the registry mirror copied over the same page of the store:
 * both sealed with the same key, but bound to their own file. */
static void
test_transplant (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *store_bytes = NULL;
  g_autofree char *mirror_bytes = NULL;
  g_autofree char *report = NULL;
  gsize store_len, mirror_len;

  open_store (f);
  load_and_decide (f);
  g_assert_finalize_object (f->store);
  f->store = NULL;
  g_assert_true (g_file_get_contents (f->path, &store_bytes, &store_len, NULL));
  g_assert_true (g_file_get_contents (f->mirror, &mirror_bytes, &mirror_len, NULL));
  g_assert_cmpuint (mirror_len, >=, 3 * 4096);
  g_assert_cmpuint (store_len, >=, 3 * 4096);
  memcpy (store_bytes + 2 * 4096, mirror_bytes + 2 * 4096, 4096);
  g_assert_true (g_file_set_contents (f->path, store_bytes, store_len, NULL));
  g_string_truncate (sqlite_log, 0);
  report = integrity_check (f, f->path);
  g_test_message ("transplanted: %s", report);
  g_assert_nonnull (strstr (sqlite_log->str, "page 3 does not authenticate"));
  g_assert_true (strstr (report, "page 3") != NULL ||
                 strstr (report, "schema: error code=8202") != NULL);
}

/* Plain SHA-256 of an audit entry, as the chain of a store in clear. */
static char *
plain_entry_hash (sqlite3_stmt *row,
                  const char   *prev_hash)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *seq = (const char *) sqlite3_column_text (row, 0);

  g_checksum_update (checksum, (const guchar *) prev_hash, strlen (prev_hash) + 1);
  g_checksum_update (checksum, (const guchar *) seq, strlen (seq) + 1);
  for (int i = 1; i <= 5; i++)
    {
      const char *field = (const char *) sqlite3_column_text (row, i);

      field = field != NULL ? field : "";
      g_checksum_update (checksum, (const guchar *) field, strlen (field) + 1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* What one who can run SQL on the file (but holds no key) does: delete
 * entry @victim and recompute the chain after it the way a store in
 * clear computes it. */
static void
rechain_without_key (Fixture *f,
                     gint64   victim)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = NULL;
  g_autoptr(GString) sql = g_string_new ("BEGIN;");
  char *text;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE,
                                    bhxh_crypt_key_get_vfs_name (f->key)), ==, SQLITE_OK);
  text = sqlite3_mprintf ("DELETE FROM audit WHERE seq = %lld;"
                          "UPDATE audit SET seq = seq - 1 WHERE seq > %lld;",
                          (long long) victim, (long long) victim);
  g_string_append (sql, text);
  sqlite3_free (text);
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, at, actor, action, object, detail, "
                                       "prev_hash FROM audit ORDER BY seq", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_string_assign (sql, "");
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *hash = NULL;

      if (prev == NULL)
        prev = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      hash = plain_entry_hash (stmt, prev);
      text = sqlite3_mprintf ("UPDATE audit SET prev_hash = %Q, hash = %Q WHERE seq = %lld;",
                              prev, hash, sqlite3_column_int64 (stmt, 0));
      g_string_append (sql, text);
      sqlite3_free (text);
      g_free (prev);
      prev = g_steal_pointer (&hash);
    }
  sqlite3_finalize (stmt);
  g_string_append (sql, "COMMIT;");
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
delete_last_entry (Fixture *f)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE,
                                    bhxh_crypt_key_get_vfs_name (f->key)), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The audit chain of an encrypted store is keyed: an entry deleted and the
 * chain recomputed, or the last entries cut off, fail the check. */
static void
test_keyed_audit (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *pristine = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  gsize length;

  open_store (f);
  load_and_decide (f);
  g_assert_true (bhxh_store_audit_verify (f->store, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, >=, 4);
  g_assert_finalize_object (f->store);
  f->store = NULL;
  g_assert_true (g_file_get_contents (f->path, &pristine, &length, NULL));

  rechain_without_key (f, 2);
  open_store (f);
  g_assert_false (bhxh_store_audit_verify (f->store, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT);
  g_test_message ("re-chained: %s", error->message);
  g_clear_error (&error);
  g_clear_object (&f->store);

  g_assert_true (g_file_set_contents (f->path, pristine, length, NULL));
  delete_last_entry (f);
  open_store (f);
  g_assert_false (bhxh_store_audit_verify (f->store, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CORRUPT);
  g_test_message ("cut: %s", error->message);
  g_clear_error (&error);
  g_clear_object (&f->store);

  /* Put back: intact, and a new entry chains on. */
  g_assert_true (g_file_set_contents (f->path, pristine, length, NULL));
  open_store (f);
  g_assert_true (bhxh_store_audit (f->store, "lan", "test.note", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_audit_verify (f->store, NULL, &error));
  g_assert_no_error (error);
}

/* A store encrypted by 0.1 (pages not bound to their file) with the same
 * passphrase opens, and is rewritten in the current format once. */
static void
test_legacy_format (Fixture       *f,
                    gconstpointer  data)
{
  const BhxhCryptKey *legacy = _bhxh_crypt_key_get_legacy (f->key);
  g_autoptr(BhxhPerson) an = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (legacy);
  f->store = bhxh_store_open_with_key (f->path, legacy, &error);
  g_assert_no_error (error);
  load_and_decide (f);
  g_clear_object (&f->store);
  g_assert_false (_bhxh_crypt_check_file_with_key (f->key, f->path, NULL));

  open_store (f);
  an = bhxh_store_find_person (f->store, "0112345678", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (an->full_name, ==, "Nguyễn Văn An");
  g_assert_true (bhxh_store_audit_verify (f->store, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);
  g_assert_true (_bhxh_crypt_check_file_with_key (f->key, f->path, NULL));
  g_assert_true (_bhxh_crypt_check_file_with_key (f->key, f->mirror, NULL));
  g_assert_false (_bhxh_crypt_check_file_with_key (legacy, f->path, NULL));
  g_assert_cmpuint (count_secrets (f->path, NULL), ==, 0);
  g_assert_cmpuint (count_secrets (f->mirror, NULL), ==, 0);
}

/* A generated key: 64 hex digits in a file only its owner reads, never
 * overwritten; it opens what it encrypted, and no other key does. */
static void
test_generated_key (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *file = g_build_filename (f->dir, "generated.key", NULL);
  g_autofree char *other_file = g_build_filename (f->dir, "other.key", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = NULL;
  const BhxhCryptKey *other;
  GStatBuf st;

  g_assert_true (bhxh_crypt_generate_key_file (file, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  g_assert_cmpuint (strlen (g_strchomp (text)), ==, 64);
  g_assert_false (bhxh_crypt_generate_key_file (file, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_IO);
  g_clear_error (&error);

  f->key = bhxh_crypt_key_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_null (_bhxh_crypt_key_get_legacy (f->key));
  open_store (f);
  load_and_decide (f);
  g_clear_object (&f->store);
  g_assert_cmpuint (count_secrets (f->path, NULL), ==, 0);
  g_assert_cmpuint (count_secrets (f->mirror, NULL), ==, 0);

  g_assert_true (bhxh_crypt_generate_key_file (other_file, &error));
  other = bhxh_crypt_key_from_file (other_file, &error);
  g_assert_no_error (error);
  store = bhxh_store_open_with_key (f->path, other, &error);
  g_assert_null (store);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_KEY);
  g_clear_error (&error);
  open_store (f);
}

/* Temporary files: a temp table rewritten in place many times, spilled to
 * disk by a tiny cache, and a sort bigger than the cache read back right. */
static void
test_temp_rewrites (Fixture       *f,
                    gconstpointer  data)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                    bhxh_crypt_key_get_vfs_name (f->key)), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "PRAGMA temp_store = FILE;"
                                 "PRAGMA temp.cache_size = 2;"
                                 "CREATE TEMP TABLE t (k INTEGER PRIMARY KEY, v TEXT);"
                                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                 "  FROM n WHERE i < 3000)"
                                 "INSERT INTO t SELECT i, printf('%0200d', i) FROM n;"
                                 "UPDATE t SET v = printf('%0200d', k * 2);"
                                 "UPDATE t SET v = printf('%0200d', k * 3) WHERE k % 2 = 0;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT count(*), sum(CAST(v AS INTEGER)) FROM "
                                       "(SELECT v FROM t ORDER BY v DESC)", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 3000);
  /* Odd k: 2k; even k: 3k. */
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, 2 * 2250000 + 3 * 2251500);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* No key configured: bhxh_store_open() makes the store's own key (PATH.key,
 * 0600) and nothing the store writes holds a name in clear; it opens again
 * with that key, and a store an earlier version kept in clear still opens
 * (in clear) instead of being locked out. */
static void
test_by_default (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *key_file = g_strconcat (f->path, ".key", NULL);
  g_autofree char *old = g_build_filename (f->dir, "old.db", NULL);
  g_autofree char *old_key = g_strconcat (old, ".key", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) clear = NULL;
  const char *name;
  GStatBuf st;
  guint files = 0;

  g_unsetenv (BHXH_CRYPT_KEY_FILE_ENV);
  g_unsetenv (BHXH_CRYPT_KEYRING_ENV);
  f->store = bhxh_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (key_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  f->key = bhxh_crypt_key_from_file (key_file, &error);
  g_assert_no_error (error);
  load_and_decide (f);

  /* Every file of the store, while it runs and after it closes. */
  for (int pass = 0; pass < 2; pass++)
    {
      dir = g_dir_open (f->dir, 0, &error);
      g_assert_no_error (error);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (f->dir, name, NULL);

          if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
            {
              g_assert_cmpuint (count_secrets (path, NULL), ==, 0);
              files++;
            }
        }
      g_clear_pointer (&dir, g_dir_close);
      if (pass == 0)
        g_assert_finalize_object (g_steal_pointer (&f->store));
    }
  g_assert_cmpuint (files, >=, 4);
  g_assert_true (bhxh_crypt_file_is_encrypted (f->path));
  g_assert_true (bhxh_crypt_file_is_encrypted (f->mirror));

  f->store = bhxh_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bhxh_store_count_persons (f->store), >, 0);

  /* Kept in clear by an earlier version: opens in clear, no key made. */
  clear = bhxh_store_open_with_key (old, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&clear);
  clear = bhxh_store_open (old, &error);
  g_assert_no_error (error);
  g_assert_false (bhxh_crypt_file_is_encrypted (old));
  g_assert_false (g_file_test (old_key, G_FILE_TEST_EXISTS));
}

/* Whether another process holds a lock on @path over SQLite's shared-lock
 * bytes (asked from a child: a process never sees its own POSIX locks). */
static gboolean
shared_lock_held (const char *path)
{
  struct flock query = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
                         .l_start = 0x40000002, .l_len = 510 };
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fcntl (fd, F_GETLK, &query), ==, 0);
  close (fd);
  return query.l_type != F_UNLCK;
}

/* While a connection has the store open, the library reading a header
 * (another connection opening, "is it encrypted?") keeps that connection's
 * locks: a plain open()/close() of the file would drop every POSIX lock of
 * the process, and the next process to close the store would think itself
 * the last one and delete the live WAL, losing what was written to it —
 * how bhxh-deskd lost decisions to `bhxh-deskctl queue`. */
static void
test_locks_kept (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) second = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);

  open_store (f);
  load_and_decide (f);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  second = bhxh_store_open_with_key (f->path, f->key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  g_assert_cmpuint (bhxh_store_count_persons (second), >, 0);
  g_assert_true (bhxh_crypt_file_is_encrypted (f->path));
  g_assert_true (bhxh_crypt_file_is_encrypted (f->mirror));
  g_clear_object (&second);

  /* Another process closing its connection now would find the WAL in
   * use; the first connection still sees its own writes in the file. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  {
    int status = 0;
    pid_t child = fork ();

    if (child == 0)
      {
        _exit (shared_lock_held (f->path) ? 0 : 1);
      }
    g_assert_cmpint (waitpid (child, &status, 0), ==, child);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  }
}

/* A spool: enciphered on disk as written (also after a seek to its end,
 * as a resumed download writes), read back by any offset, and by sqlite. */
static void
test_spool (void)
{
  g_autofree char *dir = fixture_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "x.spool", NULL);
  g_autofree char *db_path = g_build_filename (dir, "plain.db", NULL);
  g_autofree char *raw = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhSpool) spool = NULL;
  gsize plain_len = 0, raw_len = 0;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  FILE *writer;
  char back[300];

  /* A small database in clear, with a person's name in it. */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (name TEXT);"
                                     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                                     "FROM n WHERE i < 2000) INSERT INTO t SELECT "
                                     "'Nguyễn Thị Spool ' || i FROM n", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  db = NULL;
  g_assert_true (g_file_get_contents (db_path, &plain, &plain_len, &error));
  g_assert_no_error (error);

  spool = bhxh_spool_new (path, &error);
  g_assert_no_error (error);
  /* Written in two goes, odd sizes, the second after a seek to the end. */
  writer = bhxh_spool_open_writer (spool);
  g_assert_cmpuint (fwrite (plain, 1, 1001, writer), ==, 1001);
  g_assert_cmpint (fclose (writer), ==, 0);
  writer = bhxh_spool_open_writer (spool);
  g_assert_cmpint (fseek (writer, 0, SEEK_END), ==, 0);
  g_assert_cmpint (ftell (writer), ==, 1001);
  g_assert_cmpuint (fwrite (plain + 1001, 1, plain_len - 1001, writer), ==, plain_len - 1001);
  g_assert_cmpint (fclose (writer), ==, 0);
  g_assert_cmpuint (bhxh_spool_get_size (spool), ==, plain_len);

  g_assert_true (g_file_get_contents (path, &raw, &raw_len, &error));
  g_assert_cmpuint (raw_len, ==, plain_len);
  g_assert_null (memmem (raw, raw_len, "SQLite format 3", 15));
  g_assert_null (memmem (raw, raw_len, "Spool", 5));
  g_assert_cmpint (bhxh_spool_read (spool, 77, back, sizeof back), ==, sizeof back);
  g_assert_cmpmem (back, sizeof back, plain + 77, sizeof back);
  g_assert_cmpint (bhxh_spool_read (spool, plain_len - 10, back, sizeof back), ==, 10);
  g_assert_cmpmem (back, 10, plain + plain_len - 10, 10);

  /* sqlite reads it through the spool's VFS, deciphered. */
  {
    g_autofree char *uri = _bhxh_spool_dup_uri (spool);

    g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*), max(name) FROM t", -1, &stmt,
                                         NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2000);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "Nguyễn Thị Spool 999");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  /* Freed: its file is gone. */
  g_clear_pointer (&spool, bhxh_spool_free);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  fixture_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* sqlite's log names the page that fails (bhxh-crypt logs there). */
  sqlite_log = g_string_new (NULL);
  sqlite3_config (SQLITE_CONFIG_LOG, sqlite_log_cb, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crypt/spool", test_spool);
  g_unsetenv (BHXH_CRYPT_KEY_FILE_ENV);
  g_unsetenv (BHXH_CRYPT_KEYRING_ENV);

  g_test_add ("/crypt/in-clear-control", Fixture, "clear", setup, test_nothing_readable,
              teardown);
  g_test_add ("/crypt/nothing-readable", Fixture, NULL, setup, test_nothing_readable,
              teardown);
  g_test_add ("/crypt/wrong-key", Fixture, NULL, setup, test_wrong_key, teardown);
  g_test_add ("/crypt/tampering", Fixture, NULL, setup, test_tampering, teardown);
  g_test_add ("/crypt/rollback-journal", Fixture, NULL, setup, test_rollback_journal,
              teardown);
  g_test_add ("/crypt/big-mirror", Fixture, NULL, setup, test_big_mirror, teardown);
  g_test_add ("/crypt/environment", Fixture, NULL, setup, test_environment, teardown);
  g_test_add ("/crypt/cli-encrypt", Fixture, NULL, setup, test_cli_encrypt, teardown);
  g_test_add ("/crypt/crash", Fixture, NULL, setup, test_crash, teardown);
  g_test_add ("/crypt/transplant", Fixture, NULL, setup, test_transplant, teardown);
  g_test_add ("/crypt/legacy-format", Fixture, NULL, setup, test_legacy_format, teardown);
  g_test_add ("/crypt/generated-key", Fixture, NULL, setup, test_generated_key, teardown);
  g_test_add ("/crypt/keyed-audit", Fixture, NULL, setup, test_keyed_audit, teardown);
  g_test_add ("/crypt/by-default", Fixture, "clear", setup, test_by_default, teardown);
  g_test_add ("/crypt/temp-rewrites", Fixture, NULL, setup, test_temp_rewrites, teardown);
  g_test_add ("/crypt/locks-kept", Fixture, NULL, setup, test_locks_kept, teardown);
  g_test_add ("/crypt/portrait", Fixture, NULL, setup, test_portrait, teardown);
  g_test_add ("/crypt/portrait-clear-control", Fixture, "clear", setup, test_portrait,
              teardown);

  return g_test_run ();
}
