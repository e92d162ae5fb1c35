/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sync-fixture.h"

/* bhxh-deskctl sync / bundle: exit codes, JSON summary, log export. */

static int
deskctl (char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("BHXH_DESKCTL"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

static JsonObject *
member (JsonNode   *root,
        const char *name)
{
  return json_object_get_object_member (json_node_get_object (root), name);
}

static void
test_cli (SyncFixture   *f,
          gconstpointer  data)
{
  g_autofree char *tok = g_build_filename (f->tmpdir, "token", NULL);
  g_autofree char *bundle = g_build_filename (f->tmpdir, "out.bhxh", NULL);
  g_autofree char *key = g_build_filename (f->tmpdir, "portal.pub", NULL);
  g_autofree char *key_id = NULL;
  const char *db = bhxh_store_get_path (f->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(GPtrArray) more = NULL;
  char *out = NULL, *err = NULL;
  JsonNode *root;

  if (g_getenv ("BHXH_DESKCTL") == NULL)
    {
      g_test_skip ("BHXH_DESKCTL is not set");
      return;
    }
  sync_fixture_start_sim (f, "--demo=8", "--public-key-file", key, NULL);
  {
    g_autoptr(JsonNode) signing = sync_fixture_admin (f, "/admin/signing-key", NULL);

    key_id = g_strdup (json_object_get_string_member (json_node_get_object (signing),
                                                      "key_id"));
  }
  /* A token file others can read is refused before anything is sent. */
  g_assert_true (g_file_set_contents_full (tok, "demo-token\n", -1, G_FILE_SET_CONTENTS_NONE,
                                           0644, &error));
  g_assert_cmpint (deskctl (&out, &err, "sync", db, "--portal", f->url, "--token-file", tok,
                            NULL), ==, 1);
  g_assert_nonnull (strstr (err, tok));
  g_assert_nonnull (strstr (err, "chmod 600"));
  g_assert_cmpint (sync_fixture_stat (f, "requests"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (g_chmod (tok, 0600), ==, 0);

  g_assert_cmpint (deskctl (&out, &err, "sync", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "usage: bhxh-deskctl sync"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (deskctl (&out, &err, "sync", db, "--portal", f->url, "--token-file", tok,
                            NULL), ==, 0);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (member (root, "pulled"), "declarations"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (member (root, "pushed"), "pending"), ==, 0);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (
                     json_node_get_object (root), "errors")), ==, 0);
  json_node_unref (root);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Conflicts need a person: exit 1. */
  uuids = sync_fixture_decide (f, f->store, 2);
  faults = sync_fixture_admin (f, "/admin/faults", "{\"conflict_rate\":1.0}");
  g_assert_cmpint (deskctl (&out, &err, "sync", db, "--portal", f->url, "--token-file", tok,
                            "--push", NULL), ==, 1);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (member (root, "pushed"), "conflict"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (member (root, "pulled"), "declarations"), ==, 0);
  json_node_unref (root);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Unreachable after retries: exit 1 with one error line. */
  more = sync_fixture_decide (f, f->store, 1);
  g_assert_cmpint (deskctl (&out, &err, "sync", db, "--portal", "http://127.0.0.1:9",
                            "--token-file", tok, "--retries", "0", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "error: Cannot reach the portal"));
  root = json_from_string (out, &error);
  g_assert_cmpint (json_object_get_int_member (member (root, "pushed"), "pending"), ==, 1);
  json_node_unref (root);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The log, as CSV for export. */
  g_assert_cmpint (deskctl (&out, &err, "sync", db, "--log", "--csv", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "at,level,event,message\r\n"));
  g_assert_nonnull (strstr (out, "\"conflict\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (deskctl (&out, &err, "sync", db, "--status", NULL), ==, 0);
  root = json_from_string (out, &error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "level"), ==,
                   "ok");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "unsynced"), ==, 1);
  json_node_unref (root);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (deskctl (&out, &err, "bundle", "export", db, bundle, "--token-file", tok,
                            NULL), ==, 0);
  root = json_from_string (out, &error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "exported"), ==, 1);
  json_node_unref (root);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* No portal key pinned yet: no bundle is trusted. */
  g_assert_cmpint (deskctl (&out, &err, "bundle", "import", db, bundle, "--token-file", tok,
                            NULL), ==, 1);
  g_assert_nonnull (strstr (err, "trusts no portal key"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The admin pins it (alone: the address and token stay); portal show
   * names it, and gives this counter's own key for the office. */
  g_assert_cmpint (deskctl (&out, &err, "portal", "set", db, "--portal-key", key, NULL), ==, 0);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "portal_key_id"),
                   ==, key_id);
  g_assert_cmpuint (strlen (json_object_get_string_member (json_node_get_object (root),
                                                           "desk_key")), ==, 44);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (root), "enrolled"));
  json_node_unref (root);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Our own decision bundle is not the portal's. */
  g_assert_cmpint (deskctl (&out, &err, "bundle", "import", db, bundle, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not with the key this counter trusts"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A bundle the portal signed, nested 300 000 deep: one clear line, no
   * SIGSEGV. */
  {
    g_autoptr(GBytes) answer = NULL;
    g_autofree char *deep = g_build_filename (f->tmpdir, "deep.bhxh", NULL);
    guint status = 0;

    answer = bhxh_portal_call_bytes (f->admin, "GET", "/admin/bundles/inbound?workstation="
                                     "WS-00106-01&depth=300000", NULL, NULL, &status, NULL,
                                     &error);
    g_assert_no_error (error);
    g_assert_cmpuint (status, ==, 200);
    g_assert_true (g_file_set_contents (deep, g_bytes_get_data (answer, NULL),
                                        g_bytes_get_size (answer), &error));
    g_assert_cmpint (deskctl (&out, &err, "bundle", "import", db, deep, NULL), ==, 1);
    g_assert_true (g_str_has_prefix (err, "error: "));
    g_assert_nonnull (strstr (err, "deeper than 32 levels"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
}

/* SIGKILL while the batch is on the wire: the portal has stored it, the
 * counter has not recorded the answer. The next run sends it again and
 * the portal acknowledges each decision once. */
static void
test_kill_during_push (SyncFixture   *f,
                       gconstpointer  data)
{
  g_autofree char *tok = g_build_filename (f->tmpdir, "token", NULL);
  const char *db = bhxh_store_get_path (f->store);
  g_autoptr(BhxhSyncReport) pull = NULL;
  g_autoptr(BhxhSyncReport) again = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(JsonNode) faults = NULL;
  g_autoptr(JsonNode) faults_off = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *stored;

  if (g_getenv ("BHXH_DESKCTL") == NULL)
    {
      g_test_skip ("BHXH_DESKCTL is not set");
      return;
    }
  sync_fixture_start_sim (f, "--demo=10", NULL);
  g_assert_true (g_file_set_contents_full (tok, "demo-token\n", -1, G_FILE_SET_CONTENTS_NONE,
                                           0600, &error));
  pull = sync_fixture_run (f, f->store);
  uuids = sync_fixture_decide (f, f->store, 5);
  faults = sync_fixture_admin (f, "/admin/faults",
                               "{\"latency_ms\":3000,\"path_prefix\":\"/v1/decisions/\"}");

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                              | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              g_getenv ("BHXH_DESKCTL"), "sync", db, "--portal", f->url,
                              "--token-file", tok, "--push", NULL);
  g_assert_no_error (error);
  /* Wait until the portal has the batch, then kill the counter (each
   * exchange before it — account, audit key — takes the latency too). */
  for (guint i = 0; i < 750 && sync_fixture_stat (f, "decisions_stored") < 5; i++)
    g_usleep (20 * 1000);
  g_assert_cmpint (sync_fixture_stat (f, "decisions_stored"), ==, 5);
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_SENDING), ==, 5);

  faults_off = sync_fixture_admin (f, "/admin/faults", "{\"latency_ms\":0}");
  f->options->pull = FALSE;
  again = sync_fixture_run (f, f->store);
  g_assert_cmpuint (again->acknowledged, ==, 5);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_SENDING), ==, 0);
  g_assert_cmpuint (bhxh_store_outbox_count (f->store, BHXH_OUTBOX_ACKNOWLEDGED), ==, 5);

  list = sync_fixture_admin (f, "/admin/decisions", NULL);
  stored = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (stored), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (stored, i),
                                                 "received"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sync/cli/kill-during-push", SyncFixture, NULL, sync_fixture_setup,
              test_kill_during_push, sync_fixture_teardown);
  g_test_add ("/sync/cli", SyncFixture, NULL, sync_fixture_setup, test_cli,
              sync_fixture_teardown);
  return g_test_run ();
}
