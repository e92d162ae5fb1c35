/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>
#include <glib/gstdio.h>

#include "core/bhxh-text.h"
#include "store/bhxh-crypt.h"
#include "store/bhxh-store.h"
#include "sync/bhxh-sync.h"
#include "store/bhxh-store-private.h"
#include "raw-sql.h"
#include "store-fixtures.h"

/* The registry mirror: CSV and JSON Lines import, lookups, and the promise
 * that a failed, cancelled or killed import leaves the old mirror in use. */

#define BIG_ROWS 150000

typedef struct
{
  char      *dir;
  char      *path;
  char      *csv;
  BhxhStore *store;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;

  f->dir = fixture_tmpdir ();
  f->path = g_build_filename (f->dir, "desk.db", NULL);
  f->csv = fixture_write (f->dir, "mirror.csv", FIXTURE_MIRROR_CSV);
  f->store = bhxh_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_store_import_mirror (f->store, f->csv, BHXH_MIRROR_FORMAT_CSV, "v1",
                                           NULL, NULL, NULL, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, FIXTURE_MIRROR_ROWS);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->store);
  fixture_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->csv);
}

/* The old mirror is still the one in use, and no half-built file remains. */
static void
assert_mirror_v1 (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *version = bhxh_store_dup_mirror_version (f->store);
  g_autofree char *new_path = g_strconcat (f->path, "-mirror.new", NULL);
  g_autoptr(BhxhPerson) an = bhxh_store_find_person (f->store, "0112345678", &error);

  g_assert_cmpstr (version, ==, "v1");
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, FIXTURE_MIRROR_ROWS);
  g_assert_no_error (error);
  g_assert_cmpstr (an->full_name, ==, "Nguyễn Văn An");
  g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhPerson) ngoc = bhxh_store_find_person (f->store, "7912345678", &error);
  g_autoptr(BhxhPerson) hoa = bhxh_store_find_person (f->store, "0112340001", &error);
  g_autoptr(BhxhPerson) binh = bhxh_store_find_person (f->store, "0112340003", &error);
  g_autoptr(GPtrArray) by_id = bhxh_store_find_persons_by_id (f->store, "001090012345", &error);
  g_autoptr(GPtrArray) plain = bhxh_store_search_persons (f->store, "nguyen van", 0, &error);
  g_autoptr(GPtrArray) dd = bhxh_store_search_persons (f->store, "PHAM VAN BINH", 0, &error);
  g_autoptr(GPtrArray) le = bhxh_store_search_persons (f->store, "Lê", 0, &error);
  g_autoptr(GPtrArray) code = bhxh_store_search_persons (f->store, "0112340002", 0, &error);
  g_autoptr(GDateTime) imported_at = bhxh_store_dup_mirror_imported_at (f->store);
  g_autoptr(BhxhPerson) nobody = NULL;

  g_assert_no_error (error);
  /* Quoted field with a line break, "Nữ", a year-only birth date. */
  g_assert_cmpstr (ngoc->address, ==, "Ấp Phước Lộc, Phước Kiển,\nNhà Bè");
  g_assert_cmpint (ngoc->sex, ==, BHXH_SEX_FEMALE);
  g_assert_cmpstr (hoa->address, ==, "Nhà \"B\", Hoàn Kiếm");
  g_assert_true (bhxh_person_has_active_account (hoa));
  g_assert_cmpint (hoa->birth_date.year, ==, 1985);
  g_assert_cmpint (hoa->birth_date.month, ==, 0);
  /* An NFD name is stored NFC. */
  g_assert_cmpstr (binh->full_name, ==, "Phạm Văn Bình");
  g_assert_cmpint (binh->birth_date.month, ==, 7);
  g_assert_cmpuint (by_id->len, ==, 1);
  g_assert_cmpstr (((BhxhPerson *) by_id->pdata[0])->old_id_number, ==, "123456789");
  g_assert_cmpuint (plain->len, ==, 1);
  g_assert_cmpuint (dd->len, ==, 1);
  g_assert_cmpuint (le->len, ==, 2);
  g_assert_cmpuint (code->len, ==, 1);
  g_assert_nonnull (imported_at);

  nobody = bhxh_store_find_person (f->store, "0100000000", &error);
  g_assert_null (nobody);
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_FOUND);
}

static void
test_jsonl (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *jsonl = fixture_write (f->dir, "mirror-2.jsonl", FIXTURE_MIRROR_JSONL);
  g_autofree char *version = NULL;
  g_autoptr(BhxhPerson) thu = NULL;
  g_autoptr(GPtrArray) duc = NULL;
  guint64 rows = 0;

  g_assert_true (bhxh_store_import_mirror (f->store, jsonl, BHXH_MIRROR_FORMAT_AUTO, NULL,
                                           NULL, NULL, NULL, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 2);
  version = bhxh_store_dup_mirror_version (f->store);
  g_assert_cmpstr (version, ==, "mirror-2");
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, 2);
  thu = bhxh_store_find_person (f->store, "0199999992", &error);
  g_assert_no_error (error);
  g_assert_null (thu->id_number);
  g_assert_cmpint (thu->sex, ==, BHXH_SEX_FEMALE);
  g_assert_true (bhxh_person_has_active_account (thu));
  /* Đ folds to d. */
  duc = bhxh_store_search_persons (f->store, "do van duc", 0, &error);
  g_assert_cmpuint (duc->len, ==, 1);
  /* The old mirror is gone. */
  g_assert_null (bhxh_store_find_person (f->store, "0112345678", NULL));
}

/* Header names trimmed and in any case; "Nữ" typed decomposed, M/F/NAM;
 * LF ends. */
static void
test_lenient (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = fixture_write (f->dir, "lenient.csv",
                                        " BHXH_Code ,Full_Name,Birth_Date , SEX\n"
                                        "0100000001,Hà Thị Một,1970,Nu\xCC\x9B\xCC\x83\n"
                                        "0100000002,\"Hai\",1971-02,\n"
                                        "0100000003,Ba,1972,M\n"
                                        "0100000004,Bốn,1973,F\n"
                                        "0100000005,Năm,1974,NAM\n"
                                        "0100000006,Sáu,1975,NỮ\n");
  g_autoptr(BhxhPerson) one = NULL;
  g_autoptr(BhxhPerson) two = NULL;
  const struct { const char *code; BhxhSex sex; } more[] = {
    { "0100000003", BHXH_SEX_MALE }, { "0100000004", BHXH_SEX_FEMALE },
    { "0100000005", BHXH_SEX_MALE }, { "0100000006", BHXH_SEX_FEMALE },
  };
  guint64 rows = 0;

  g_assert_true (bhxh_store_import_mirror (f->store, csv, BHXH_MIRROR_FORMAT_AUTO, NULL,
                                           NULL, NULL, NULL, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 6);
  /* The same sex check as the scanned card's (core's bhxh_sex_parse). */
  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    {
      g_autoptr(BhxhPerson) p = bhxh_store_find_person (f->store, more[i].code, &error);

      g_assert_no_error (error);
      g_assert_cmpint (p->sex, ==, more[i].sex);
    }
  one = bhxh_store_find_person (f->store, "0100000001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (one->sex, ==, BHXH_SEX_FEMALE);
  g_assert_null (one->id_number);
  two = bhxh_store_find_person (f->store, "0100000002", &error);
  g_assert_cmpstr (two->full_name, ==, "Hai");
  g_assert_cmpint (two->sex, ==, BHXH_SEX_UNKNOWN);
}

static void
assert_refused (Fixture    *f,
                const char *name,
                const char *content,
                const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fixture_write (f->dir, name, content);

  g_assert_false (bhxh_store_import_mirror (f->store, path, BHXH_MIRROR_FORMAT_AUTO, "v2",
                                            NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected);
  assert_mirror_v1 (f);
}

#define HEAD "bhxh_code,id_number,full_name,birth_date,sex\n"
#define GOOD "0100000001,,Ngô Văn Một,1970-01-01,male\n"

static void
test_bad_rows (Fixture       *f,
               gconstpointer  data)
{
  assert_refused (f, "date.csv", HEAD GOOD GOOD "0100000002,,Hai,1970-02-30,male\n",
                  "Line 4");
  assert_refused (f, "code.csv", HEAD "010000001,,Một,1970,male\n", "Line 2");
  assert_refused (f, "id.csv", HEAD GOOD "0100000002,12345,Hai,1970,male\n", "Line 3");
  assert_refused (f, "name.csv", HEAD GOOD "0100000002,,,1970,male\n", "Line 3");
  assert_refused (f, "sex.csv", HEAD GOOD "0100000002,,Hai,1970,X\n", "Line 3");
  assert_refused (f, "fields.csv", HEAD GOOD "0100000002,,Hai,1970\n", "Line 3");
  assert_refused (f, "quote.csv", HEAD GOOD "0100000002,,\"Hai,1970,male\n", "Line 3");
  assert_refused (f, "utf8.csv", HEAD GOOD "0100000002,,Hai \xC3\x28,1970,male\n", "Line 3");
  assert_refused (f, "dup.csv", HEAD GOOD "0100000002,,\"Hai\nHai\",1970,male\n" GOOD,
                  "Line 5");
  assert_refused (f, "header.csv", "bhxh_code,full_name\n0100000001,Một\n", "birth_date");
  /* Keyed by an ID number that is not the person's; a former code of 11. */
  assert_refused (f, "key-id.csv", HEAD GOOD "001070000002,001070000003,Hai,1970,male\n",
                  "Line 3");
  assert_refused (f, "key-13.csv", HEAD GOOD "0010700000021,,Hai,1970,male\n", "Line 3");
  assert_refused (f, "legacy.csv", "bhxh_code,full_name,birth_date,legacy_bhxh_code\n"
                                   "001070000002,Hai,1970,01000000020\n", "Line 2");
  assert_refused (f, "empty.csv", "", "empty");
  assert_refused (f, "bad.jsonl", "{\"bhxh_code\": \"0100000001\", \"full_name\": \"A\", "
                                  "\"birth_date\": \"1970\"}\n{\"bhxh_code\": 100}\n", "Line 2");
}

/* Since 1 July 2025 the registry may key people by their ID number, and
 * keep the former 10-digit code; both forms in one file. */
static void
test_keyed_by_id_number (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = fixture_write (f->dir, "2025.csv",
    "bhxh_code,id_number,full_name,birth_date,sex,legacy_bhxh_code\n"
    "001090012345,,Nguyễn Văn An,1990-03-15,male,0112345678\n"
    "079305001234,079305001234,Trần Thị Bích Ngọc,2005-11-02,female,\n"
    "0112340001,001185000111,Lê Thị Hoa,1985,female,\n");
  g_autofree char *jsonl = fixture_write (f->dir, "2025.jsonl",
    "{\"bhxh_code\": \"001090012345\", \"full_name\": \"Nguyễn Văn An\", "
    "\"birth_date\": \"1990\", \"legacy_bhxh_code\": \"0112345678\"}\n");
  g_autoptr(BhxhPerson) an = NULL;
  g_autoptr(BhxhPerson) an_former = NULL;
  g_autoptr(BhxhPerson) ngoc = NULL;
  g_autoptr(BhxhPerson) hoa = NULL;
  g_autoptr(GPtrArray) by_id = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint64 rows = 0;

  g_assert_true (bhxh_store_import_mirror (f->store, csv, BHXH_MIRROR_FORMAT_AUTO, "2025",
                                           NULL, NULL, NULL, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 3);
  an = bhxh_store_find_person (f->store, "001090012345", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (an->id_number, ==, "001090012345");   /* the key is the ID number */
  g_assert_cmpstr (an->legacy_bhxh_code, ==, "0112345678");
  an_former = bhxh_store_find_person (f->store, "0112345678", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (an_former->bhxh_code, ==, "001090012345");
  ngoc = bhxh_store_find_person (f->store, "079305001234", &error);
  g_assert_null (ngoc->legacy_bhxh_code);
  hoa = bhxh_store_find_person (f->store, "0112340001", &error);
  g_assert_null (hoa->legacy_bhxh_code);
  by_id = bhxh_store_find_persons_by_id (f->store, "079305001234", &error);
  g_assert_cmpuint (by_id->len, ==, 1);
  node = bhxh_person_to_json (an);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node),
                                                  "legacy_bhxh_code"), ==, "0112345678");

  g_assert_true (bhxh_store_import_mirror (f->store, jsonl, BHXH_MIRROR_FORMAT_AUTO, "2025b",
                                           NULL, NULL, NULL, &rows, &error));
  g_assert_no_error (error);
  g_clear_pointer (&an_former, bhxh_person_free);
  an_former = bhxh_store_find_person (f->store, "0112345678", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (an_former->id_number, ==, "001090012345");
}

/* A mirror file imported by a version before former codes opens: the
 * column is added, empty, until the next import replaces the file. */
static void
test_mirror_before_2025 (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mirror = g_strconcat (f->path, "-mirror", NULL);
  g_autoptr(BhxhPerson) an = NULL;
  sqlite3 *db;

  g_clear_object (&f->store);
  db = raw_sql_open (mirror);
  g_assert_cmpint (sqlite3_exec (db, "DROP INDEX persons_legacy_bhxh_code; "
                                     "ALTER TABLE persons DROP COLUMN legacy_bhxh_code",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (sql_int (mirror, "SELECT count(*) FROM pragma_table_info ('persons') "
                                    "WHERE name = 'legacy_bhxh_code'"), ==, 0);
  f->store = bhxh_store_open (f->path, &error);
  g_assert_no_error (error);
  an = bhxh_store_find_person (f->store, "0112345678", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (an->full_name, ==, "Nguyễn Văn An");
  g_assert_null (an->legacy_bhxh_code);
}

static void
cancel_progress_cb (guint64  done_bytes,
                    guint64  total_bytes,
                    guint64  rows,
                    gpointer user_data)
{
  g_assert_cmpuint (rows, >, 0);
  g_assert_cmpuint (done_bytes, <=, total_bytes);
  g_cancellable_cancel (user_data);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *big = fixture_write_big_csv (f->dir, BIG_ROWS);

  g_assert_false (bhxh_store_import_mirror (f->store, big, BHXH_MIRROR_FORMAT_CSV, "v2",
                                            cancel_progress_cb, cancellable, cancellable,
                                            NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_CANCELLED);
  assert_mirror_v1 (f);
}

/* A bad row far down a big file: found after many rows went in. */
static void
test_bad_row_late (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *big = fixture_write_big_csv (f->dir, 50000);
  g_autofree char *expected = g_strdup_printf ("Line %u ", 50000 + 2);
  FILE *out = fopen (big, "a");

  fputs ("0100000002,,Hai,1970-13-01,male,00106\n", out);
  fclose (out);
  g_assert_false (bhxh_store_import_mirror (f->store, big, BHXH_MIRROR_FORMAT_CSV, "v2",
                                            NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, expected));
  assert_mirror_v1 (f);
}

/* Another process importing: its half-built file is left alone. */
static void
test_concurrent_import (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *lock_path = g_strconcat (f->path, "-mirror.lock", NULL);
  g_autofree char *new_path = NULL;
  g_autofree char *jsonl = fixture_write (f->dir, "next.jsonl", FIXTURE_MIRROR_JSONL);
  int lock = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  guint64 rows = 0;

  g_assert_cmpint (lock, >=, 0);
  g_assert_cmpint (flock (lock, LOCK_EX | LOCK_NB), ==, 0);
  new_path = fixture_write (f->dir, "desk.db-mirror.new", "being written");
  g_assert_false (bhxh_store_import_mirror (f->store, jsonl, BHXH_MIRROR_FORMAT_AUTO, "v2",
                                            NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_true (g_file_test (new_path, G_FILE_TEST_EXISTS));
  close (lock);

  g_assert_true (bhxh_store_import_mirror (f->store, jsonl, BHXH_MIRROR_FORMAT_AUTO, "v2",
                                           NULL, NULL, NULL, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 2);
  g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
}

typedef struct
{
  int    fd;
  guint  calls;
} KillState;

/* In the child: tell the parent we are halfway, then wait to be killed. */
static void
halfway_progress_cb (guint64  done_bytes,
                     guint64  total_bytes,
                     guint64  rows,
                     gpointer user_data)
{
  KillState *state = user_data;

  if (++state->calls < 2)
    return;
  if (write (state->fd, "k", 1) != 1)
    _exit (3);
  for (;;)
    pause ();
}

static void
test_killed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *big = fixture_write_big_csv (f->dir, BIG_ROWS);
  g_autofree char *new_path = g_strconcat (f->path, "-mirror.new", NULL);
  guint64 rows = 0;
  int fds[2];
  char byte;
  int status;
  pid_t pid;

  /* The child gets its own connection: none open here while it runs. */
  g_clear_object (&f->store);
  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      KillState state = { fds[1], 0 };
      BhxhStore *store = bhxh_store_open (f->path, NULL);

      close (fds[0]);
      if (store == NULL)
        _exit (2);
      bhxh_store_import_mirror (store, big, BHXH_MIRROR_FORMAT_CSV, "v2",
                                halfway_progress_cb, &state, NULL, NULL, NULL);
      _exit (4);   /* never reached: killed halfway */
    }
  close (fds[1]);
  g_assert_cmpint (read (fds[0], &byte, 1), ==, 1);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  close (fds[0]);

  /* Killed with 131072 rows in the half-built file. */
  g_assert_true (g_file_test (new_path, G_FILE_TEST_EXISTS));
  f->store = bhxh_store_open (f->path, &error);
  g_assert_no_error (error);
  {
    g_autofree char *version = bhxh_store_dup_mirror_version (f->store);
    g_autoptr(BhxhPerson) an = bhxh_store_find_person (f->store, "0112345678", &error);

    g_assert_cmpstr (version, ==, "v1");
    g_assert_no_error (error);
    g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, FIXTURE_MIRROR_ROWS);
  }

  /* The next import clears the stale file and succeeds. */
  g_assert_true (bhxh_store_import_mirror (f->store, big, BHXH_MIRROR_FORMAT_CSV, "v2",
                                           NULL, NULL, NULL, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, BIG_ROWS);
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, BIG_ROWS);
  g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
}

/* Registry snapshots: the portal's mirror file, signed. */

typedef struct
{
  char   *file;
  GBytes *secret_key;
  char   *public_key;   /* base64, as pinned */
} Snapshot;

static void
snapshot_clear (Snapshot *s)
{
  g_free (s->file);
  g_bytes_unref (s->secret_key);
  g_free (s->public_key);
}

/* What the portal does: the mirror built from the JSONL fixture in a store
 * kept in clear, its file taken out and signed. */
static void
make_snapshot (Fixture    *f,
               const char *version,
               Snapshot   *s)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (f->dir, "portal", NULL);
  g_autofree char *db = g_build_filename (dir, "portal.db", NULL);
  g_autofree char *mirror = g_strconcat (db, "-mirror", NULL);
  g_autofree char *jsonl = fixture_write (f->dir, "mirror-2.jsonl", FIXTURE_MIRROR_JSONL);
  g_autoptr(BhxhStore) portal = NULL;
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];

  g_assert_cmpint (sodium_init (), >=, 0);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  portal = bhxh_store_open_with_key (db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_store_import_mirror (portal, jsonl, BHXH_MIRROR_FORMAT_AUTO, version,
                                           NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&portal);
  s->file = g_build_filename (f->dir, "registry.sqlite", NULL);
  g_assert_cmpint (g_rename (mirror, s->file), ==, 0);

  crypto_sign_keypair (pk, sk);
  s->secret_key = g_bytes_new (sk, sizeof sk);
  s->public_key = g_base64_encode (pk, sizeof pk);
  g_assert_true (bhxh_mirror_snapshot_sign (s->file, s->secret_key, &error));
  g_assert_no_error (error);
}

static void
assert_snapshot_in_use (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *version = bhxh_store_dup_mirror_version (f->store);
  g_autoptr(BhxhPerson) thu = bhxh_store_find_person (f->store, "0199999992", &error);
  g_autoptr(GPtrArray) duc = bhxh_store_search_persons (f->store, "do van duc", 0, &error);
  g_autoptr(GDateTime) imported_at = bhxh_store_dup_mirror_imported_at (f->store);

  g_assert_no_error (error);
  g_assert_cmpstr (version, ==, "portal-7");
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, 2);
  g_assert_cmpint (thu->sex, ==, BHXH_SEX_FEMALE);
  g_assert_cmpuint (duc->len, ==, 1);
  g_assert_nonnull (imported_at);
  g_assert_null (bhxh_store_find_person (f->store, "0112345678", NULL));
}

/* Verified with the pinned key, copied enciphered, swapped in; its own
 * version; the same lookups as after a JSONL import. */
static void
test_snapshot (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *mirror = g_strconcat (f->path, "-mirror", NULL);
  Snapshot s = { NULL };
  guint64 rows = 0;

  make_snapshot (f, "portal-7", &s);
  g_assert_true (bhxh_sync_pin_portal_key (f->store, s.public_key, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_store_import_mirror (f->store, s.file, BHXH_MIRROR_FORMAT_AUTO, NULL,
                                           NULL, NULL, NULL, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 2);
  assert_snapshot_in_use (f);
  /* Enciphered with the store's key like an imported mirror. */
  g_assert_true (bhxh_crypt_file_is_encrypted (mirror));
  snapshot_clear (&s);
}

/* No pinned key, a byte altered, no signature, another version asked
 * for, another key: refused, and the old mirror stays in use. */
static void
test_snapshot_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *sig = NULL;
  g_autofree char *altered = NULL;
  g_autofree char *content = NULL;
  guint8 other_pk[crypto_sign_PUBLICKEYBYTES], other_sk[crypto_sign_SECRETKEYBYTES];
  g_autofree char *other = NULL;
  Snapshot s = { NULL };
  gsize len;

  make_snapshot (f, "portal-7", &s);
  sig = g_strconcat (s.file, ".sig", NULL);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (bhxh_store_import_mirror (f->store, s.file, BHXH_MIRROR_FORMAT_AUTO, NULL,
                                              NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED);
    assert_mirror_v1 (f);
  }
  crypto_sign_keypair (other_pk, other_sk);
  other = g_base64_encode (other_pk, sizeof other_pk);
  g_assert_true (bhxh_sync_pin_portal_key (f->store, other, NULL));
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (bhxh_store_import_mirror (f->store, s.file, BHXH_MIRROR_FORMAT_AUTO, NULL,
                                              NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
    assert_mirror_v1 (f);
  }
  g_assert_true (bhxh_sync_pin_portal_key (f->store, s.public_key, NULL));
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (bhxh_store_import_mirror (f->store, s.file, BHXH_MIRROR_FORMAT_SNAPSHOT,
                                              "portal-8", NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
    assert_mirror_v1 (f);
  }
  /* One byte of a row changed after signing. */
  g_assert_true (g_file_get_contents (s.file, &content, &len, NULL));
  content[len - 100] ^= 0x01;
  altered = g_build_filename (f->dir, "altered.sqlite", NULL);
  g_assert_true (g_file_set_contents (altered, content, len, NULL));
  {
    g_autofree char *altered_sig = g_strconcat (altered, ".sig", NULL);
    g_autofree char *sig_text = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_get_contents (sig, &sig_text, NULL, NULL));
    g_assert_true (g_file_set_contents (altered_sig, sig_text, -1, NULL));
    g_assert_false (bhxh_store_import_mirror (f->store, altered, BHXH_MIRROR_FORMAT_AUTO, NULL,
                                              NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
    assert_mirror_v1 (f);
  }
  g_assert_cmpint (g_unlink (sig), ==, 0);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (bhxh_store_import_mirror (f->store, s.file, BHXH_MIRROR_FORMAT_AUTO, NULL,
                                              NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
    assert_mirror_v1 (f);
  }
  snapshot_clear (&s);
}

/* A store kept in clear takes the snapshot in clear. */
static void
test_snapshot_in_clear (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "clear.db", NULL);
  g_autofree char *mirror = g_strconcat (path, "-mirror", NULL);
  Snapshot s = { NULL };

  make_snapshot (f, "portal-7", &s);
  g_clear_object (&f->store);
  f->store = bhxh_store_open_with_key (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_sync_pin_portal_key (f->store, s.public_key, &error));
  g_assert_true (bhxh_store_import_mirror (f->store, s.file, BHXH_MIRROR_FORMAT_AUTO,
                                           "portal-7", NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_snapshot_in_use (f);
  g_assert_false (bhxh_crypt_file_is_encrypted (mirror));
  snapshot_clear (&s);
}

/* The fast fold of the import and bhxh_text_fold() agree. */
/* A delta applied in place: upsert, delete, the version and the count in
 * one transaction; a malformed change or another base changes nothing. */
static void
test_delta_in_place (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bad = json_from_string (
    "[{\"op\":\"delete\",\"bhxh_code\":\"0112345678\"},"
    "{\"op\":\"upsert\",\"person\":{\"bhxh_code\":\"0199999998\","
    "\"full_name\":\"Lê Văn Sai\",\"birth_date\":\"1990-02-30\"}}]", NULL);
  g_autoptr(JsonNode) good = json_from_string (
    "[{\"op\":\"delete\",\"bhxh_code\":\"0112345678\"},"
    "{\"op\":\"upsert\",\"person\":{\"bhxh_code\":\"0199999998\","
    "\"full_name\":\"Lê Văn Mới\",\"birth_date\":\"1990-02\",\"sex\":\"Nam\"}}]", NULL);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(BhxhPerson) added = NULL;
  g_autofree char *version = NULL;
  guint64 rows = 0;

  /* 30 February: the whole delta refused, the mirror as it was. */
  g_assert_false (bhxh_store_apply_mirror_delta (f->store, "v1", "v2",
                                                 json_node_get_array (bad), &rows, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_assert_nonnull (strstr (error->message, "birth date"));
  g_clear_error (&error);
  assert_mirror_v1 (f);
  /* From a version this mirror is not at: refused too. */
  g_assert_false (bhxh_store_apply_mirror_delta (f->store, "v0", "v2",
                                                 json_node_get_array (good), &rows, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_clear_error (&error);
  assert_mirror_v1 (f);

  g_assert_true (bhxh_store_apply_mirror_delta (f->store, "v1", "v2",
                                                json_node_get_array (good), &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, FIXTURE_MIRROR_ROWS);
  version = bhxh_store_dup_mirror_version (f->store);
  g_assert_cmpstr (version, ==, "v2");
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, FIXTURE_MIRROR_ROWS);
  g_assert_null (bhxh_store_find_person (f->store, "0112345678", NULL));
  added = bhxh_store_find_person (f->store, "0199999998", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (added->full_name, ==, "Lê Văn Mới");
  g_assert_cmpint (added->sex, ==, BHXH_SEX_MALE);
  /* Folded for search as an import folds it. */
  found = bhxh_store_search_persons (f->store, "le van moi", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
}

static void
test_fold (void)
{
  const char *names[] = {
    "Nguyễn Văn An", "ĐỖ THỊ ĐÀO", "  Trần   Thị\tBích  Ngọc ", "Phạm Thuỷ Hoà",
    "Lê Thị Khoẻ", "Ông Ích Khiêm", "Ưng Hoàng Phúc", "Ðặng Văn Ơn", "Hồ Thị Thu",
    "Zoë Đan", "Nguyễn Ngọc Ánh\u00A0Dương", "Y Moan Ênuôl", "Kpă Y Lê", "ĐẶNG THỊ ẨN",
  };
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *expected = bhxh_text_fold (names[i]);

      g_assert_cmpstr (_bhxh_store_fold_into (out, names[i], strlen (names[i])), ==, expected);
    }
  /* Every precomposed Vietnamese letter, one by one. */
  for (gunichar c = 0x00C0; c < 0x1EFA; c++)
    {
      char utf8[8] = { 0 };
      g_autofree char *expected = NULL;

      if (c >= 0x0250 && c < 0x1E00)
        continue;
      g_unichar_to_utf8 (c, utf8);
      expected = bhxh_text_fold (utf8);
      g_assert_cmpstr (_bhxh_store_fold_into (out, utf8, strlen (utf8)), ==, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mirror/fold", test_fold);
  g_test_add ("/mirror/csv", Fixture, NULL, setup, test_csv, teardown);
  g_test_add ("/mirror/jsonl", Fixture, NULL, setup, test_jsonl, teardown);
  g_test_add ("/mirror/lenient", Fixture, NULL, setup, test_lenient, teardown);
  g_test_add ("/mirror/bad-rows", Fixture, NULL, setup, test_bad_rows, teardown);
  g_test_add ("/mirror/bad-row-late", Fixture, NULL, setup, test_bad_row_late, teardown);
  g_test_add ("/mirror/cancel", Fixture, NULL, setup, test_cancel, teardown);
  g_test_add ("/mirror/concurrent-import", Fixture, NULL, setup, test_concurrent_import,
              teardown);
  g_test_add ("/mirror/killed", Fixture, NULL, setup, test_killed, teardown);
  g_test_add ("/mirror/keyed-by-id-number", Fixture, NULL, setup, test_keyed_by_id_number,
              teardown);
  g_test_add ("/mirror/before-2025", Fixture, NULL, setup, test_mirror_before_2025, teardown);
  g_test_add ("/mirror/snapshot", Fixture, NULL, setup, test_snapshot, teardown);
  g_test_add ("/mirror/snapshot-refused", Fixture, NULL, setup, test_snapshot_refused, teardown);
  g_test_add ("/mirror/snapshot-in-clear", Fixture, NULL, setup, test_snapshot_in_clear,
              teardown);
  g_test_add ("/mirror/delta-in-place", Fixture, NULL, setup, test_delta_in_place, teardown);

  return g_test_run ();
}
