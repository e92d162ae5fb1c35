/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "store/bhxh-crypt.h"
#include "sync/bhxh-sync-log.h"
#include "sync-fixture.h"

/* The registry's signed sqlite snapshot through the portal's API
 * (docs/sync.md): downloaded into memory, verified with the pinned key,
 * copied in enciphered; deltas after it applied in place. */

/* Files changed since the test began: compared with a stamp file's time,
 * the file system's clock (a faked clock, as CI's libfaketime, is not). */
static gint64 test_start;

static void
stamp_start (SyncFixture *f)
{
  g_autofree char *stamp = g_build_filename (f->tmpdir, "stamp", NULL);
  GStatBuf st;

  g_assert_true (g_file_set_contents (stamp, "", 0, NULL));
  g_assert_cmpint (g_stat (stamp, &st), ==, 0);
  test_start = (gint64) st.st_mtime - 1;
}

static char *
read_log (BhxhStore *store)
{
  g_autofree char *path = bhxh_sync_log_path (bhxh_store_get_path (store));
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
assert_person (BhxhStore  *store,
               const char *code,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhPerson) person = bhxh_store_find_person (store, code, &error);

  if (name == NULL)
    {
      g_assert_null (person);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (person);
  g_assert_cmpstr (person->full_name, ==, name);
}

/* v2 of the seeded 300: one person renamed, one removed, one added. */
static void
publish_v2 (SyncFixture *f)
{
  g_autoptr(GString) mirror = g_string_new (NULL);

  g_string_append (mirror, "{\"bhxh_code\":\"0100000001\",\"full_name\":\"Nguyễn Văn Đổi\","
                           "\"birth_date\":\"1960\",\"sex\":\"male\"}\n");
  for (guint i = 3; i <= 300; i++)
    g_string_append_printf (mirror, "{\"bhxh_code\":\"01%08u\",\"full_name\":\"Người %u\","
                                    "\"birth_date\":\"1980-01-01\"}\n", i, i);
  g_string_append (mirror, "{\"bhxh_code\":\"0100999999\",\"full_name\":\"Lê Thị Thêm\","
                           "\"birth_date\":\"2001-02\"}\n");
  sync_fixture_publish (f, "v2", mirror);
}

/* A mirror imported by hand under a version the portal never published:
 * no delta from it (410), so the sync downloads the whole. */
static void
import_by_hand (SyncFixture *f,
                BhxhStore   *store)
{
  g_autofree char *file = g_build_filename (f->tmpdir, "hand.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  const char *line = "{\"bhxh_code\":\"0199999999\",\"full_name\":\"Trần Văn Tay\","
                     "\"birth_date\":\"1970\"}\n";

  g_assert_true (g_file_set_contents (file, line, -1, &error));
  g_assert_true (bhxh_store_import_mirror (store, file, BHXH_MIRROR_FORMAT_JSONL, "hand-1",
                                           NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_unlink (file);
}

/* Whether @needle is in any file under @dir changed since the test began,
 * leaving out the portal's own files (the simulator keeps the registry in
 * clear, as a portal does) and other tests' folders. */
static gboolean
found_in_clear (const char  *dir,
                const char  *own,
                const char  *needle,
                char       **where)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          gboolean ours = g_str_has_prefix (path, own) || g_str_has_prefix (own, path);

          if ((!ours && (g_str_has_prefix (name, "bhxh-sync-") ||
                         g_str_has_prefix (name, "bhxh-portal-sim-"))) ||
              g_str_has_prefix (name, "bhxh-snapshot-") ||
              g_str_has_prefix (name, "portal.db"))
            continue;
          if (found_in_clear (path, own, needle, where))
            return TRUE;
          continue;
        }
      if (!S_ISREG (st.st_mode) || g_str_has_prefix (name, "portal.db") ||
          (gint64) st.st_mtime < test_start || st.st_size > (64 << 20))
        continue;
      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      if (memmem (contents, length, needle, strlen (needle)) != NULL)
        {
          *where = g_steal_pointer (&path);
          return TRUE;
        }
    }
  return FALSE;
}

static void
assert_not_in_clear (SyncFixture *f,
                     const char  *needle)
{
  g_autofree char *where = NULL;

  if (found_in_clear (f->tmpdir, f->tmpdir, needle, &where) ||
      found_in_clear (g_get_tmp_dir (), f->tmpdir, needle, &where))
    g_error ("“%s” is in clear in %s", needle, where);
}

typedef struct
{
  SyncFixture *f;
  const char  *needle;
  guint        checked;
} SpoolCheck;

/* While the snapshot is imported, its spool is beside the store: nothing
 * of it in clear, not even sqlite's header. */
static void
check_spool_cb (BhxhSyncStage stage,
                guint64       done,
                guint64       total,
                gpointer      user_data)
{
  SpoolCheck *check = user_data;
  g_autofree char *spool = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (stage != BHXH_SYNC_STAGE_MIRROR_IMPORT)
    return;
  spool = g_build_filename (check->f->tmpdir, "desk.db-sync", "mirror-demo-1.sqlite.spool",
                            NULL);
  if (!g_file_get_contents (spool, &contents, &length, NULL))
    return;
  g_assert_cmpuint (length, >, 4096);
  g_assert_null (memmem (contents, length, "SQLite format 3", 15));
  g_assert_null (memmem (contents, length, check->needle, strlen (check->needle)));
  check->checked++;
}

static void
test_first_sync_and_delta (SyncFixture   *f,
                           gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) first = NULL;
  g_autoptr(BhxhSyncReport) second = NULL;
  g_autoptr(BhxhSyncReport) third = NULL;
  g_autoptr(BhxhPerson) person = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *jsonl = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;

  stamp_start (f);
  sync_fixture_start_sim (f, "--demo=5", "--persons=300", NULL);
  sync_fixture_pin_key (f, f->store);
  g_assert_true (bhxh_store_is_encrypted (f->store));
  {
    SpoolCheck check = { f, "0100000002", 0 };

    first = bhxh_sync_run (f->store, f->options, check_spool_cb, &check, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (check.checked, >=, 1);
  }
  for (guint i = 0; i < first->errors->len; i++)
    g_test_message ("error: %s", (char *) g_ptr_array_index (first->errors, i));
  g_assert_cmpuint (first->errors->len, ==, 0);
  g_assert_cmpstr (first->mirror_version, ==, "demo-1");
  g_assert_cmpuint (first->mirror_rows, ==, 300);
  g_assert_true (first->mirror_from_snapshot);
  g_assert_false (first->mirror_from_delta);
  g_assert_cmpstr (first->mirror_format, ==, "sqlite");
  g_assert_cmpint (sync_fixture_stat (f, "sqlite_requests"), ==, 1);
  json = bhxh_sync_report_to_json (first);
  g_assert_true (json_object_get_boolean_member (
    json_object_get_object_member (json_node_get_object (json), "pulled"),
    "mirror_from_snapshot"));
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, 300);

  /* Verifiable: found by code, by ID number, by name. */
  person = bhxh_store_find_person (f->store, "0100000002", &error);
  g_assert_no_error (error);
  g_assert_nonnull (person);
  name = g_strdup (person->full_name);
  id = g_strdup (person->id_number);
  g_assert_nonnull (id);
  {
    g_autoptr(GPtrArray) by_id = bhxh_store_find_persons_by_id (f->store, id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (by_id->len, >=, 1);
  }

  /* Never in clear: not in the store's folder, not in the temporary one;
   * the spool is gone. */
  assert_not_in_clear (f, id);
  assert_not_in_clear (f, name);
  {
    g_autofree char *spool = g_build_filename (f->tmpdir, "desk.db-sync",
                                               "mirror-demo-1.sqlite.spool", NULL);

    g_assert_false (g_file_test (spool, G_FILE_TEST_EXISTS));
  }
  /* No JSON Lines base was kept. */
  cache = g_build_filename (f->tmpdir, "desk.db-sync", "mirror-demo-1.jsonl", NULL);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));

  /* The next version arrives by delta, applied in place. */
  publish_v2 (f);
  second = sync_fixture_run (f, f->store);
  g_assert_cmpuint (second->errors->len, ==, 0);
  g_assert_cmpstr (second->mirror_version, ==, "v2");
  g_assert_true (second->mirror_from_delta);
  g_assert_false (second->mirror_from_snapshot);
  g_assert_cmpstr (second->mirror_format, ==, "delta");
  g_assert_cmpuint (second->mirror_rows, ==, 300);
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, 300);
  assert_person (f->store, "0100000001", "Nguyễn Văn Đổi");
  assert_person (f->store, "0100999999", "Lê Thị Thêm");
  assert_person (f->store, "0100000002", NULL);
  jsonl = g_build_filename (f->tmpdir, "desk.db-sync", "mirror-v2.jsonl", NULL);
  g_assert_false (g_file_test (jsonl, G_FILE_TEST_EXISTS));
  assert_not_in_clear (f, "Lê Thị Thêm");

  /* Up to date: nothing downloaded or imported again. */
  third = sync_fixture_run (f, f->store);
  g_assert_cmpuint (third->errors->len, ==, 0);
  g_assert_null (third->mirror_version);
  g_assert_null (third->mirror_format);
  g_assert_cmpint (sync_fixture_stat (f, "sqlite_requests"), ==, 1);
}

static void
test_refused (SyncFixture   *f,
              gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) tampered = NULL;
  g_autoptr(BhxhSyncReport) other_key = NULL;
  g_autoptr(BhxhSyncReport) retried = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_autofree char *version = NULL;
  g_autofree char *log = NULL;
  const char *message;

  sync_fixture_start_sim (f, "--demo=5", "--persons=300", NULL);
  import_by_hand (f, f->store);

  /* Another portal's key: refused, the mirror in use kept. */
  g_assert_true (bhxh_sync_pin_portal_key (f->store,
                                           "JfbU9bVzZ2gIGV8nr9fUIu5Sjl1R2m2YrqYVLN0o7sE=",
                                           NULL));
  other_key = sync_fixture_run (f, f->store);
  g_assert_cmpuint (other_key->errors->len, ==, 1);
  message = g_ptr_array_index (other_key->errors, 0);
  g_assert_nonnull (strstr (message, "refused"));
  g_assert_nonnull (strstr (message, "not signed by the portal"));
  g_assert_nonnull (strstr (message, "/v1/mirror/snapshots/demo-1/sqlite"));
  g_assert_null (strstr (message, "/proc/"));
  g_assert_null (other_key->mirror_version);
  version = bhxh_store_dup_mirror_version (f->store);
  g_assert_cmpstr (version, ==, "hand-1");
  assert_person (f->store, "0199999999", "Trần Văn Tay");

  /* The right key, a snapshot altered on the way (its checksum matching). */
  sync_fixture_pin_key (f, f->store);
  faults = sync_fixture_admin (f, "/admin/faults", "{\"tamper_sqlite\":true}");
  tampered = sync_fixture_run (f, f->store);
  g_assert_cmpuint (tampered->errors->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (tampered->errors, 0), "altered"));
  g_clear_pointer (&version, g_free);
  version = bhxh_store_dup_mirror_version (f->store);
  g_assert_cmpstr (version, ==, "hand-1");
  assert_person (f->store, "0199999999", "Trần Văn Tay");
  log = read_log (f->store);
  g_assert_nonnull (strstr (log, "refused"));

  /* The next sync tries again, and gets it. */
  g_clear_pointer (&faults, json_node_unref);
  faults = sync_fixture_admin (f, "/admin/faults", "{\"tamper_sqlite\":false}");
  retried = sync_fixture_run (f, f->store);
  g_assert_cmpuint (retried->errors->len, ==, 0);
  g_assert_cmpstr (retried->mirror_version, ==, "demo-1");
  g_assert_true (retried->mirror_from_snapshot);
  assert_person (f->store, "0199999999", NULL);
  g_assert_cmpuint (bhxh_store_count_persons (f->store), ==, 300);
  g_assert_cmpint (sync_fixture_stat (f, "sqlite_requests"), ==, 3);
}

static void
test_json_lines_paths (SyncFixture   *f,
                       gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) no_key = NULL;
  g_autoptr(BhxhSyncReport) old_portal = NULL;
  g_autoptr(BhxhStore) other = NULL;
  g_autofree char *log = NULL;

  /* No key pinned: the JSON Lines file, said in the log. */
  sync_fixture_start_sim (f, "--demo=5", "--persons=300", NULL);
  no_key = sync_fixture_run (f, f->store);
  g_assert_cmpuint (no_key->errors->len, ==, 0);
  g_assert_cmpstr (no_key->mirror_version, ==, "demo-1");
  g_assert_false (no_key->mirror_from_snapshot);
  g_assert_cmpstr (no_key->mirror_format, ==, "jsonl");
  g_assert_cmpint (sync_fixture_stat (f, "sqlite_requests"), ==, 0);
  log = read_log (f->store);
  g_assert_nonnull (strstr (log, "trusts no portal key"));

  /* A portal that names its snapshot, then does not serve it (404): the
   * JSON Lines in the same run, said in the log. */
  {
    g_autoptr(BhxhStore) third = sync_fixture_open_store (f, "third.db");
    g_autoptr(BhxhSyncReport) withheld = NULL;
    g_autoptr(JsonNode) faults = sync_fixture_admin (f, "/admin/faults",
                                                     "{\"withhold_sqlite\":true}");
    g_autofree char *third_log = NULL;

    sync_fixture_pin_key (f, third);
    withheld = sync_fixture_run (f, third);
    g_assert_cmpuint (withheld->errors->len, ==, 0);
    g_assert_cmpstr (withheld->mirror_format, ==, "jsonl");
    g_assert_cmpuint (withheld->mirror_rows, ==, 300);
    g_assert_cmpint (sync_fixture_stat (f, "sqlite_requests"), ==, 1);
    third_log = read_log (third);
    g_assert_nonnull (strstr (third_log, "did not serve its registry snapshot"));
  }

  /* A portal without sqlite snapshots: the JSON Lines, key or not. */
  g_subprocess_force_exit (f->sim);
  g_subprocess_wait (f->sim, NULL, NULL);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->url, g_free);
  sync_fixture_start_sim (f, "--no-sqlite-snapshot", NULL);
  other = sync_fixture_open_store (f, "other.db");
  sync_fixture_pin_key (f, other);
  old_portal = sync_fixture_run (f, other);
  g_assert_cmpuint (old_portal->errors->len, ==, 0);
  g_assert_cmpstr (old_portal->mirror_version, ==, "demo-1");
  g_assert_false (old_portal->mirror_from_snapshot);
  g_assert_cmpstr (old_portal->mirror_format, ==, "jsonl");
  g_assert_cmpuint (old_portal->mirror_rows, ==, 300);
}

static void
test_interrupted (SyncFixture   *f,
                  gconstpointer  data)
{
  g_autoptr(BhxhSyncReport) resumed = NULL;
  g_autoptr(BhxhSyncReport) failed = NULL;
  g_autoptr(BhxhSyncReport) restarted = NULL;
  g_autoptr(BhxhStore) other = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_autofree char *version = NULL;

  sync_fixture_start_sim (f, "--demo=5", "--persons=300", NULL);
  sync_fixture_pin_key (f, f->store);

  /* Cut three times: resumed with Range requests within the run. */
  faults = sync_fixture_admin (f, "/admin/faults", "{\"truncate_next\":3,"
                              "\"path_prefix\":\"/v1/mirror/snapshots/\"}");
  resumed = sync_fixture_run (f, f->store);
  g_assert_cmpuint (resumed->errors->len, ==, 0);
  g_assert_cmpstr (resumed->mirror_version, ==, "demo-1");
  g_assert_true (resumed->mirror_from_snapshot);
  g_assert_cmpint (sync_fixture_stat (f, "injected_truncations"), ==, 3);
  g_assert_cmpint (sync_fixture_stat (f, "range_requests"), ==, 3);

  /* Cut more often than the retries allow: nothing imported, and the
   * next run starts afresh. */
  other = sync_fixture_open_store (f, "other.db");
  sync_fixture_pin_key (f, other);
  g_clear_pointer (&faults, json_node_unref);
  faults = sync_fixture_admin (f, "/admin/faults", "{\"truncate_next\":4,"
                              "\"path_prefix\":\"/v1/mirror/snapshots/\"}");
  f->options->portal->max_retries = 2;
  failed = sync_fixture_run (f, other);
  g_assert_cmpuint (failed->errors->len, ==, 1);
  g_assert_null (failed->mirror_version);
  version = bhxh_store_dup_mirror_version (other);
  g_assert_null (version);
  restarted = sync_fixture_run (f, other);
  g_assert_cmpuint (restarted->errors->len, ==, 0);
  g_assert_cmpstr (restarted->mirror_version, ==, "demo-1");
  g_assert_true (restarted->mirror_from_snapshot);
  g_assert_cmpuint (bhxh_store_count_persons (other), ==, 300);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, SyncFixture, NULL, sync_fixture_setup, func, sync_fixture_teardown)
  ADD ("/sync/snapshot/first-sync-and-delta", test_first_sync_and_delta);
  ADD ("/sync/snapshot/refused", test_refused);
  ADD ("/sync/snapshot/json-lines", test_json_lines_paths);
  ADD ("/sync/snapshot/interrupted", test_interrupted);
#undef ADD

  return g_test_run ();
}
