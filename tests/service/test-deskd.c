/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "store/bhxh-auth.h"
#include "store/bhxh-crypt.h"
#include "store/bhxh-store.h"
#include "../store/store-fixtures.h"
#include "service-fixtures.h"
#include "bhxh-counter.h"
#include "bhxh-desk1.h"
#include "bhxh-service-errors.h"

/* bhxh-deskd on a private session bus (GTestDBus), a real encrypted store
 * in a temporary directory; the client side through the generated proxy
 * and through bhxh-deskctl --session. */

#define PASSWORD "counter-pass-2026"

typedef struct
{
  GTestDBus   *bus;
  char        *dir;
  char        *db;
  GSubprocess *daemon;
  BhxhDesk1   *proxy;
} Fixture;

static gboolean
name_seen (gpointer user_data)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) owner = NULL;

  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", BHXH_SERVICE_NAME),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, NULL);
  if (owner != NULL)
    {
      gboolean has;

      g_variant_get (owner, "(b)", &has);
      return has;
    }
  return FALSE;
}

static void
start_daemon (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_subprocess_launcher_setenv (launcher, "BHXH_DESK_TODAY", FIXTURE_TODAY, TRUE);
  g_subprocess_launcher_setenv (launcher, "BHXH_DESK_TEST_FAST_HASH", "1", TRUE);
  f->daemon = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("BHXH_DESKD"),
                                           "--session", "--db", f->db, "--idle-timeout", "3",
                                           NULL);
  g_assert_no_error (error);
  while (!name_seen (NULL))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
}

static void
stop_daemon (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (f->daemon == NULL)
    return;
  g_subprocess_send_signal (f->daemon, SIGTERM);
  g_subprocess_wait_check (f->daemon, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&f->daemon);
}

static BhxhDesk1 *
new_proxy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  BhxhDesk1 *proxy;

  /* Each proxy on a connection of its own: its own bus name, its own session. */
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  proxy = bhxh_desk1_proxy_new_sync (connection, G_DBUS_PROXY_FLAGS_NONE, BHXH_SERVICE_NAME,
                                     BHXH_SERVICE_PATH, NULL, &error);
  g_assert_no_error (error);
  return proxy;
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  bhxh_service_errors_register ();
  f->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (f->bus);
  f->dir = fixture_tmpdir ();
  f->db = g_build_filename (f->dir, "desk.db", NULL);
  start_daemon (f);
  f->proxy = new_proxy ();
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_clear_object (&f->proxy);
  stop_daemon (f);
  g_test_dbus_down (f->bus);
  g_clear_object (&f->bus);
  fixture_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

/* bhxh-deskctl --session …, BHXH_DESK_PASSWORD set: exit status and stdout. */
static int
deskctl (char               **out,
         const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("BHXH_DESKCTL"));
  g_ptr_array_add (argv, (char *) "--session");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "BHXH_DESK_PASSWORD", PASSWORD, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, &err, &error);
  g_assert_no_error (error);
  if (err != NULL && *err != '\0')
    g_test_message ("deskctl: %s", err);
  return g_subprocess_get_exit_status (process);
}

#define DESKCTL(out, ...) deskctl ((out), (const char * const []) { __VA_ARGS__, NULL })

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Admin account, a clerk and a supervisor; mirror and declarations
 * imported through the CLI (the files passed as descriptors). */
static void
populate (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pw = fixture_write (f->dir, "pw", PASSWORD "\n");
  g_autofree char *csv = fixture_write (f->dir, "mirror.csv", FIXTURE_MIRROR_CSV);
  g_autofree char *json = fixture_write (f->dir, "declarations.json", FIXTURE_DECLARATIONS_JSON);
  g_autofree char *out = NULL;
  g_autofree char *name = NULL;
  g_autofree char *role = NULL;

  g_assert_true (bhxh_desk1_call_init_accounts_sync (f->proxy, "quan", "Trần Văn Quân", PASSWORD,
                                                     NULL, &error));
  g_assert_no_error (error);
  /* Only once. */
  g_assert_false (bhxh_desk1_call_init_accounts_sync (f->proxy, "evil", "Evil", PASSWORD, NULL,
                                                      &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (bhxh_desk1_call_sign_in_sync (f->proxy, "quan", PASSWORD, &name, &role, NULL,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Trần Văn Quân");
  g_assert_cmpstr (role, ==, "admin");
  g_assert_true (bhxh_desk1_call_add_user_sync (f->proxy, "lan", "Nguyễn Thị Lan", "clerk",
                                                PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_desk1_call_add_user_sync (f->proxy, "hung", "Phạm Văn Hùng",
                                                "supervisor", PASSWORD, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (DESKCTL (&out, "mirror", "import", csv, "--user", "quan"), ==, 0);
  g_assert_nonnull (strstr (out, "\"rows\" : 6"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (DESKCTL (&out, "declarations", "import", json, "--user", "quan"), ==, 0);
  g_assert_nonnull (strstr (out, "\"imported\" : 7"));
  g_unlink (csv);
  g_unlink (json);
}

static void
on_decision (BhxhDesk1  *proxy,
             const char *uuid,
             const char *declaration_id,
             const char *outcome,
             gpointer    user_data)
{
  g_free (*(char **) user_data);
  *(char **) user_data = g_strdup (declaration_id);
}

/* A clerk signs in, scans, decides; the rules and roles hold through the
 * service; another caller is not signed in by someone else's sign-in. */
static void
test_counter (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDesk1) other = NULL;
  g_autoptr(JsonObject) verified = NULL;
  g_autoptr(JsonObject) decided = NULL;
  g_autoptr(GVariant) no_options = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *out = NULL;
  g_autofree char *name = NULL;
  g_autofree char *role = NULL;
  g_autofree char *signalled = NULL;
  GVariantDict options;

  populate (f);
  g_assert_true (bhxh_desk1_call_sign_in_sync (f->proxy, "lan", PASSWORD, &name, &role, NULL,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpstr (role, ==, "clerk");

  /* Not signed in: refused, with the library's own error. */
  other = new_proxy ();
  g_assert_false (bhxh_desk1_call_list_queue_sync (other,
                                                   g_variant_new ("a{sv}", NULL), &answer,
                                                   NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED);
  g_clear_error (&error);
  g_assert_false (bhxh_desk1_call_sign_in_sync (other, "lan", "wrong-password", &name, &role,
                                                NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  /* A clerk is not a supervisor. */
  g_assert_false (bhxh_desk1_call_list_users_sync (f->proxy, &answer, NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (bhxh_desk1_call_add_user_sync (f->proxy, "evil", "Evil", "admin", PASSWORD,
                                                 NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* The queue as a Vietnamese list, through the service (sort = name). */
  g_variant_dict_init (&options, NULL);
  g_variant_dict_insert (&options, "sort", "s", "name");
  g_assert_true (bhxh_desk1_call_list_queue_sync (f->proxy, g_variant_dict_end (&options),
                                                  &answer, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (answer, "Vũ Quốc Trung"));
  g_assert_true (strstr (answer, "Nguyễn Văn An") < strstr (answer, "Phạm Văn Bình"));
  g_assert_true (strstr (answer, "Phạm Văn Bình") < strstr (answer, "Lê Thị Hoa"));
  g_assert_true (strstr (answer, "Lê Thị Hoa") < strstr (answer, "Vũ Quốc Trung"));
  g_clear_pointer (&answer, g_free);
  g_variant_dict_init (&options, NULL);
  g_variant_dict_insert (&options, "sort", "s", "age");
  g_assert_false (bhxh_desk1_call_list_queue_sync (f->proxy, g_variant_dict_end (&options),
                                                   &answer, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_BAD_INPUT);
  g_clear_error (&error);

  g_assert_true (bhxh_desk1_call_verify_sync (f->proxy, FIXTURE_CCCD_AN, &answer, NULL,
                                              &error));
  g_assert_no_error (error);
  verified = parse_object (answer);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (verified,
                                                                         "candidates")), ==, 1);
  g_clear_pointer (&answer, g_free);

  /* The rule holds for this caller too: approve needs a document. */
  no_options = g_variant_ref_sink (g_variant_new ("a{sv}", NULL));
  g_assert_false (bhxh_desk1_call_decide_sync (f->proxy, "TK01-00106-000001", "approve",
                                               no_options, &answer, NULL, &error));
  g_assert_error (error, BHXH_STORE_ERROR, BHXH_STORE_ERROR_NOT_ALLOWED);
  g_clear_error (&error);

  g_signal_connect (f->proxy, "decision-recorded", G_CALLBACK (on_decision), &signalled);
  g_variant_dict_init (&options, NULL);
  g_variant_dict_insert (&options, "payload", "s", FIXTURE_CCCD_AN);
  g_assert_true (bhxh_desk1_call_decide_sync (f->proxy, "TK01-00106-000001", "approve",
                                              g_variant_dict_end (&options), &answer, NULL,
                                              &error));
  g_assert_no_error (error);
  decided = parse_object (answer);
  g_assert_cmpstr (json_object_get_string_member (decided, "kind"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (decided, "evidence"), ==, "card-qr");
  while (signalled == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (signalled, ==, "TK01-00106-000001");

  /* The same through the CLI: a reject, then the queue shows both. */
  g_assert_cmpint (DESKCTL (&out, "decide", "TK01-07901-000002", "reject", "--reason",
                            "person-absent", "--user", "lan"), ==, 0);
  g_assert_nonnull (strstr (out, "\"outcome\" : \"reject\""));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (DESKCTL (&out, "queue", "--status", "pending", "--user", "lan"), ==, 0);
  g_assert_null (strstr (out, "TK01-00106-000001"));
  g_assert_null (strstr (out, "TK01-07901-000002"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (DESKCTL (&out, "users", "list", "--user", "lan"), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (DESKCTL (&out, "audit", "verify", "--user", "hung"), ==, 0);
  g_assert_nonnull (strstr (out, "\"ok\" : true"));
  g_clear_pointer (&out, g_free);

  /* The day's export: a supervisor's, written by the caller from the
   * service's file; a clerk is refused and nothing is written. */
  {
    const char *day = FIXTURE_TODAY;   /* the service's day */
    g_autofree char *csv_path = g_strconcat (f->db, "-export.csv", NULL);
    g_autofree char *refused = g_strconcat (f->db, "-clerk.xlsx", NULL);
    g_autofree char *csv = NULL;

    g_assert_cmpint (DESKCTL (&out, "export", "decisions", "--date", day, "--output", csv_path,
                              "--user", "hung"), ==, 0);
    g_assert_nonnull (strstr (out, "\"decisions\" : 2"));
    g_clear_pointer (&out, g_free);
    g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
    g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBFSTT,Mã tờ khai,Họ và tên,"));
    g_assert_nonnull (strstr (csv, ",TK01-00106-000001,"));
    g_assert_nonnull (strstr (csv, ",Không chấp thuận,"));
    g_assert_cmpint (DESKCTL (&out, "export", "decisions", "--date", day, "--output", refused,
                              "--user", "lan"), ==, 1);
    g_clear_pointer (&out, g_free);
    g_assert_false (g_file_test (refused, G_FILE_TEST_EXISTS));
    g_unlink (csv_path);
  }

  /* The counter's rules: a supervisor reads them, a clerk cannot change
   * them, the admin can (through the service, no file in reach). */
  g_assert_cmpint (DESKCTL (&out, "users", "settings", "--user", "hung"), ==, 0);
  g_assert_nonnull (strstr (out, "\"retention_days\" : 30"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (DESKCTL (&out, "users", "settings", "--retention-days", "1", "--user", "lan"),
                   ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (DESKCTL (&out, "users", "settings", "--retention-days", "40",
                            "--idle-lock-minutes", "0", "--user", "quan"), ==, 0);
  g_assert_nonnull (strstr (out, "\"retention_days\" : 40"));
  g_assert_nonnull (strstr (out, "\"idle_lock_minutes\" : 0"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (DESKCTL (&out, "users", "unlock", "lan", "--user", "hung"), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (DESKCTL (&out, "users", "unlock", "lan", "--user", "quan"), ==, 0);
  g_assert_nonnull (strstr (out, "\"unlocked\" : true"));
}

/* A session ends after the idle timeout (3 s here) and when its caller
 * leaves the bus; both are in the (keyed) audit trail. */
static void
test_session_end (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDesk1) leaver = NULL;
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autofree char *key_file = g_strconcat (f->db, ".key", NULL);
  g_autofree char *answer = NULL;
  g_autofree char *name = NULL;
  g_autofree char *role = NULL;
  const BhxhCryptKey *key;
  guint idle = 0, left = 0;

  populate (f);
  g_assert_true (bhxh_desk1_call_sign_in_sync (f->proxy, "lan", PASSWORD, &name, &role, NULL,
                                               &error));
  g_assert_no_error (error);
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&role, g_free);
  leaver = new_proxy ();
  g_assert_true (bhxh_desk1_call_sign_in_sync (leaver, "hung", PASSWORD, &name, &role, NULL,
                                               &error));
  g_assert_no_error (error);
  g_dbus_connection_close_sync (g_dbus_proxy_get_connection (G_DBUS_PROXY (leaver)), NULL,
                                &error);
  g_assert_no_error (error);

  g_usleep (4500 * 1000);
  g_assert_false (bhxh_desk1_call_list_queue_sync (f->proxy, g_variant_new ("a{sv}", NULL),
                                                   &answer, NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED);
  g_clear_error (&error);

  stop_daemon (f);
  key = bhxh_crypt_key_from_file (key_file, &error);
  g_assert_no_error (error);
  store = bhxh_store_open_with_key (f->db, key, &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_store_authenticate (store, "quan", PASSWORD, NULL, &error));
  audit = bhxh_store_list_audit (store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      const BhxhAuditEntry *entry = g_ptr_array_index (audit, i);

      if (g_strcmp0 (entry->action, "session.end") != 0)
        continue;
      idle += g_strcmp0 (entry->detail, "idle") == 0 && g_str_equal (entry->actor, "lan");
      left += g_strcmp0 (entry->detail, "left the bus") == 0 && g_str_equal (entry->actor, "hung");
    }
  g_assert_cmpuint (idle, ==, 1);
  g_assert_cmpuint (left, ==, 1);
  g_assert_true (bhxh_store_audit_verify (store, NULL, &error));
  g_assert_no_error (error);
}

static void
count_up (guint *count)
{
  (*count)++;
}

/* An account disabled by the admin loses its live session at once: its
 * next call is asked to sign in, and signing in is refused. */
static void
test_disable_ends_session (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhDesk1) clerk = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *name = NULL;
  g_autofree char *role = NULL;
  g_autoptr(BhxhCounter) counter = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint ended = 0;

  populate (f);
  clerk = new_proxy ();
  g_assert_true (bhxh_desk1_call_sign_in_sync (clerk, "lan", PASSWORD, &name, &role, NULL,
                                               &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_desk1_call_list_queue_sync (clerk, g_variant_new ("a{sv}", NULL),
                                                  &answer, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&answer, g_free);

  /* Enabling an enabled account ends nothing. */
  g_assert_true (bhxh_desk1_call_set_user_disabled_sync (f->proxy, "lan", FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bhxh_desk1_call_list_queue_sync (clerk, g_variant_new ("a{sv}", NULL),
                                                  &answer, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&answer, g_free);

  g_assert_true (bhxh_desk1_call_set_user_disabled_sync (f->proxy, "lan", TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (bhxh_desk1_call_list_queue_sync (clerk, g_variant_new ("a{sv}", NULL),
                                                   &answer, NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED);
  g_clear_error (&error);
  g_clear_pointer (&name, g_free);
  g_clear_pointer (&role, g_free);
  g_assert_false (bhxh_desk1_call_sign_in_sync (clerk, "lan", PASSWORD, &name, &role, NULL,
                                                &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* The admin's own session goes on. */
  g_assert_true (bhxh_desk1_call_list_queue_sync (f->proxy, g_variant_new ("a{sv}", NULL),
                                                  &answer, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&answer, g_free);

  /* What the GUI uses: its counter says the session ended, once, and is
   * signed out (the window goes back to signing in on that signal). */
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address (f->bus), TRUE);
  bhxh_counter_new_system_async (NULL, got, &result);
  counter = bhxh_counter_new_finish (await (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_signal_connect_swapped (counter, "session-ended", G_CALLBACK (count_up), &ended);
  bhxh_counter_sign_in_async (counter, "hung", PASSWORD, NULL, got, &result);
  g_assert_true (bhxh_counter_sign_in_finish (counter, await (&result), NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (bhxh_desk1_call_set_user_disabled_sync (f->proxy, "hung", TRUE, NULL, &error));
  g_assert_no_error (error);
  bhxh_counter_list_queue_async (counter, NULL, NULL, got, &result);
  g_assert_null (bhxh_counter_list_queue_finish (counter, await (&result), NULL, &error));
  g_assert_error (error, BHXH_AUTH_ERROR, BHXH_AUTH_ERROR_REQUIRED);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpuint (ended, ==, 1);
  g_assert_null (bhxh_counter_get_login (counter));
}

/* A registry snapshot signed by the portal goes through the service as
 * the caller's open file with its signature's text: imported by the
 * admin; refused when another key signed it. */
static void
test_mirror_snapshot (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *portal_dir = g_build_filename (f->dir, "portal", NULL);
  g_autofree char *portal_db = g_build_filename (portal_dir, "portal.db", NULL);
  g_autofree char *portal_mirror = g_strconcat (portal_db, "-mirror", NULL);
  g_autofree char *jsonl = fixture_write (f->dir, "mirror.jsonl", FIXTURE_MIRROR_JSONL);
  g_autofree char *snapshot = g_build_filename (f->dir, "registry.sqlite", NULL);
  g_autofree char *public_key = NULL;
  g_autofree char *out = NULL;
  g_autoptr(BhxhStore) portal = NULL;
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(GBytes) other = NULL;
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];

  populate (f);
  /* What the portal publishes: its mirror file, signed. */
  g_assert_cmpint (sodium_init (), >=, 0);
  g_assert_cmpint (g_mkdir_with_parents (portal_dir, 0700), ==, 0);
  portal = bhxh_store_open_with_key (portal_db, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bhxh_store_import_mirror (portal, jsonl, BHXH_MIRROR_FORMAT_AUTO, "portal-7",
                                           NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&portal);
  g_assert_cmpint (g_rename (portal_mirror, snapshot), ==, 0);
  crypto_sign_keypair (pk, sk);
  other = g_bytes_new (sk, sizeof sk);
  crypto_sign_keypair (pk, sk);
  secret = g_bytes_new (sk, sizeof sk);
  public_key = g_base64_encode (pk, sizeof pk);
  g_assert_true (bhxh_desk1_call_set_portal_key_sync (f->proxy, public_key, NULL, &error));
  g_assert_no_error (error);

  /* Signed by another key: refused, the CSV's mirror stays. */
  g_assert_true (bhxh_mirror_snapshot_sign (snapshot, other, &error));
  g_assert_no_error (error);
  g_assert_cmpint (DESKCTL (&out, "mirror", "import", snapshot, "--user", "quan"), ==, 1);
  g_clear_pointer (&out, g_free);

  g_assert_true (bhxh_mirror_snapshot_sign (snapshot, secret, &error));
  g_assert_no_error (error);
  g_assert_cmpint (DESKCTL (&out, "mirror", "import", snapshot, "--user", "quan"), ==, 0);
  g_assert_nonnull (strstr (out, "\"rows\" : 2"));
}

/* What the service leaves on disk: its key file 0600 beside the store,
 * and no name, ID number or address in clear in any file. */
static void
test_nothing_in_clear (Fixture       *f,
                       gconstpointer  data)
{
  const char *secrets[] = { "Nguyễn Văn An", "nguyen van an", "001090012345", "0112345678",
                            "Thái Hà", "Nguyễn Thị Lan" };
  g_autofree char *key_file = g_strconcat (f->db, ".key", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  GVariantDict options;
  const char *entry;
  GStatBuf st;
  guint files = 0;

  populate (f);
  g_assert_true (bhxh_desk1_call_sign_in_sync (f->proxy, "lan", PASSWORD, NULL, NULL, NULL,
                                               &error));
  g_variant_dict_init (&options, NULL);
  g_variant_dict_insert (&options, "payload", "s", FIXTURE_CCCD_AN);
  g_assert_true (bhxh_desk1_call_decide_sync (f->proxy, "TK01-00106-000001", "approve",
                                              g_variant_dict_end (&options), &answer, NULL,
                                              &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (key_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  dir = g_dir_open (f->dir, 0, &error);
  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, entry, NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;

      if (g_str_equal (entry, "pw") || !g_file_get_contents (path, &bytes, &len, NULL))
        continue;
      files++;
      for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
        if (memmem (bytes, len, secrets[i], strlen (secrets[i])) != NULL)
          g_error ("%s holds “%s” in clear", entry, secrets[i]);
    }
  g_assert_cmpuint (files, >=, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/deskd/counter", Fixture, NULL, setup, test_counter, teardown);
  g_test_add ("/deskd/session-end", Fixture, NULL, setup, test_session_end, teardown);
  g_test_add ("/deskd/disable-ends-session", Fixture, NULL, setup, test_disable_ends_session,
              teardown);
  g_test_add ("/deskd/mirror-snapshot", Fixture, NULL, setup, test_mirror_snapshot, teardown);
  g_test_add ("/deskd/nothing-in-clear", Fixture, NULL, setup, test_nothing_in_clear,
              teardown);

  return g_test_run ();
}
