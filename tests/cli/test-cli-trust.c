/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "../store/raw-sql.h"

#include "../store/store-fixtures.h"

/* users, audit and purge end to end, and decide on a database that
 * requires accounts: the real bhxh-deskctl (env BHXH_DESKCTL) on real
 * sqlite files; exit codes, JSON keys, one error line. */

#define ADMIN_PASSWORD "quản-trị-2026"
#define LAN_PASSWORD "lan-mật-khẩu-1"

typedef struct
{
  char *dir;
  char *db;
  char *admin_file;
  char *lan_file;
} Fixture;

typedef struct
{
  int       status;
  char     *out;
  char     *err;
  JsonNode *json;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_clear_pointer (&run->json, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* @password: (nullable): BHXH_DESK_PASSWORD for the child. */
static void
run_argv (Run                *run,
          const char         *input,
          const char         *password,
          const char * const *args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *deskctl = g_getenv ("BHXH_DESKCTL");

  g_assert_nonnull (deskctl);
  g_ptr_array_add (argv, (char *) deskctl);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "BHXH_DESK_TODAY", FIXTURE_TODAY, TRUE);
  g_subprocess_launcher_setenv (launcher, "BHXH_DESK_TEST_FAST_HASH", "1", TRUE);
  /* The simulator is on 127.0.0.1: no proxy of this machine in the way. */
  for (guint i = 0; i < 6; i++)
    g_subprocess_launcher_unsetenv (launcher, (const char *[]) {
      "http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY" }[i]);
  if (password != NULL)
    g_subprocess_launcher_setenv (launcher, "BHXH_DESK_PASSWORD", password, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "BHXH_DESK_PASSWORD");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                          &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL,
                                 &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  if (run->out[0] != '\0')
    {
      run->json = json_from_string (run->out, &error);
      g_assert_no_error (error);
    }
  /* A failure without a report (sync reports refusals as JSON). */
  if (run->status != 0 && run->json == NULL)
    {
      g_auto(GStrv) lines = g_strsplit (run->err, "\n", -1);

      /* One line, "error: …". */
      g_assert_cmpuint (g_strv_length (lines), ==, 2);
      g_assert_true (g_str_has_prefix (lines[0], "error: "));
    }
}

#define RUN(run, pw, ...) run_argv ((run), NULL, (pw), (const char * const []) { __VA_ARGS__, NULL })
#define RUN_STDIN(run, input, pw, ...) \
  run_argv ((run), (input), (pw), (const char * const []) { __VA_ARGS__, NULL })

static JsonObject *
object (Run *run)
{
  g_assert_nonnull (run->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (run->json));
  return json_node_get_object (run->json);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_auto(Run) mirror = { 0 };
  g_auto(Run) declarations = { 0 };
  g_auto(Run) lan = { 0 };
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;

  f->dir = fixture_tmpdir ();
  f->db = g_build_filename (f->dir, "desk.db", NULL);
  csv = fixture_write (f->dir, "mirror.csv", FIXTURE_MIRROR_CSV);
  json = fixture_write (f->dir, "declarations.json", FIXTURE_DECLARATIONS_JSON);
  f->admin_file = fixture_write (f->dir, "admin.pw", ADMIN_PASSWORD "\n");
  f->lan_file = fixture_write (f->dir, "lan.pw", LAN_PASSWORD);

  RUN (&mirror, NULL, "mirror", "import", f->db, csv, "--version", "2026-11");
  g_assert_cmpint (mirror.status, ==, 0);
  RUN (&declarations, NULL, "declarations", "import", f->db, json);
  g_assert_cmpint (declarations.status, ==, 0);
  /* A demo-style clerk without a password. */
  RUN (&lan, NULL, "users", "add", f->db, "lan", "--role", "clerk", "--name", "Nguyễn Thị Lan",
       "--no-password");
  g_assert_cmpint (lan.status, ==, 0);
  g_assert_false (json_object_get_boolean_member (object (&lan), "has_password"));
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  fixture_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->admin_file);
  g_free (f->lan_file);
}

static void
init_accounts (Fixture *f)
{
  g_auto(Run) init = { 0 };
  g_auto(Run) passwd = { 0 };

  RUN_STDIN (&init, ADMIN_PASSWORD "\n", NULL, "users", "init", f->db, "--admin", "root");
  g_assert_cmpint (init.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object (&init), "admin"), ==, "root");
  g_assert_true (json_object_get_boolean_member (object (&init), "accounts_required"));
  RUN_STDIN (&passwd, LAN_PASSWORD, NULL, "users", "passwd", f->db, "lan",
             "--user", "root", "--password-file", f->admin_file);
  g_assert_cmpint (passwd.status, ==, 0);
}

/* Without accounts, decide works as it always did. */
static void
test_decide_without_accounts (Fixture       *f,
                              gconstpointer  data)
{
  g_auto(Run) decide = { 0 };

  RUN (&decide, NULL, "decide", f->db, "TK01-00106-000001", "escalate", "--note", "Nhờ kiểm tra", "--clerk", "lan");
  g_assert_cmpint (decide.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object (&decide), "status"), ==,
                   "escalated");
}

/* With accounts: no or wrong credentials change nothing; the right ones
 * decide. */
static void
test_decide_with_accounts (Fixture       *f,
                           gconstpointer  data)
{
  g_auto(Run) bare = { 0 };
  g_auto(Run) wrong = { 0 };
  g_auto(Run) other = { 0 };
  g_auto(Run) env = { 0 };
  g_auto(Run) file = { 0 };
  int decisions;

  init_accounts (f);
  decisions = sql_int (f->db, "SELECT count(*) FROM decisions");

  RUN (&bare, NULL, "decide", f->db, "TK01-00106-000001", "escalate", "--note", "Nhờ kiểm tra", "--clerk", "lan");
  g_assert_cmpint (bare.status, ==, 1);
  g_assert_nonnull (strstr (bare.err, "BHXH_DESK_PASSWORD"));
  RUN (&wrong, "not-the-password", "decide", f->db, "TK01-00106-000001", "escalate", "--note", "Nhờ kiểm tra",
       "--clerk", "lan");
  g_assert_cmpint (wrong.status, ==, 1);
  g_assert_nonnull (strstr (wrong.err, "Wrong login or password"));
  /* Signed in as root, deciding as lan: refused. */
  RUN (&other, ADMIN_PASSWORD, "decide", f->db, "TK01-00106-000001", "escalate", "--note", "Nhờ kiểm tra",
       "--clerk", "lan", "--user", "root");
  g_assert_cmpint (other.status, ==, 1);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM decisions"), ==, decisions);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM declarations WHERE status = "
                                   "'pending' AND id = 'TK01-00106-000001'"), ==, 1);

  RUN (&env, LAN_PASSWORD, "decide", f->db, "TK01-00106-000001", "escalate", "--note", "Nhờ kiểm tra", "--clerk", "lan");
  g_assert_cmpint (env.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object (&env), "status"), ==, "escalated");
  RUN (&file, NULL, "decide", f->db, "TK01-07901-000002", "escalate", "--note", "Nhờ kiểm tra", "--user", "lan",
       "--password-file", f->lan_file);
  g_assert_cmpint (file.status, ==, 0);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM decisions"), ==, decisions + 2);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM decisions WHERE clerk = 'lan'"), ==, 2);
}

/* users add/list/unlock/settings; lockout over separate processes. */
static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) refused = { 0 };
  g_auto(Run) settings = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) list_nobody = { 0 };
  g_auto(Run) locked = { 0 };
  g_auto(Run) unlock = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) init_again = { 0 };
  JsonArray *users;

  init_accounts (f);
  RUN_STDIN (&add, "quang-mật-khẩu\n", ADMIN_PASSWORD, "users", "add", f->db, "quang",
             "--role", "supervisor", "--name", "Phạm Quang", "--user", "root");
  g_assert_cmpint (add.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (object (&add), "has_password"));
  RUN_STDIN (&refused, "mai-mật-khẩu\n", LAN_PASSWORD, "users", "add", f->db, "mai",
             "--role", "clerk", "--user", "lan");
  g_assert_cmpint (refused.status, ==, 1);
  RUN_STDIN (&init_again, ADMIN_PASSWORD, NULL, "users", "init", f->db, "--admin", "x");
  g_assert_cmpint (init_again.status, ==, 1);

  RUN (&settings, NULL, "users", "settings", f->db, "--max-failures", "2", "--user", "root",
       "--password-file", f->admin_file);
  g_assert_cmpint (settings.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (object (&settings), "auth_max_failures"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object (&settings), "retention_days"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (object (&settings), "idle_lock_minutes"), ==, 5);

  for (guint i = 0; i < 2; i++)
    {
      g_auto(Run) bad = { 0 };

      RUN (&bad, "bad-password", "decide", f->db, "TK01-00106-000001", "escalate", "--note", "Nhờ kiểm tra",
           "--clerk", "lan");
      g_assert_cmpint (bad.status, ==, 1);
    }
  RUN (&locked, LAN_PASSWORD, "decide", f->db, "TK01-00106-000001", "escalate", "--note", "Nhờ kiểm tra",
       "--clerk", "lan");
  g_assert_cmpint (locked.status, ==, 1);
  g_assert_nonnull (strstr (locked.err, "locked"));

  /* Who has an account, and who is locked out: a supervisor's to read. */
  RUN (&list_nobody, NULL, "users", "list", f->db);
  g_assert_cmpint (list_nobody.status, ==, 1);
  RUN (&list, NULL, "users", "list", f->db, "--user", "root", "--password-file", f->admin_file);
  g_assert_cmpint (list.status, ==, 0);
  users = json_node_get_array (list.json);
  g_assert_cmpuint (json_array_get_length (users), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (users, 0),
                                                  "login"), ==, "lan");
  g_assert_false (json_object_get_null_member (json_array_get_object_element (users, 0),
                                               "locked_until"));
  g_assert_true (json_object_get_null_member (json_array_get_object_element (users, 2),
                                              "locked_until"));

  RUN (&unlock, ADMIN_PASSWORD, "users", "unlock", f->db, "lan", "--user", "root");
  g_assert_cmpint (unlock.status, ==, 0);
  RUN (&again, LAN_PASSWORD, "decide", f->db, "TK01-00106-000001", "escalate", "--note", "Nhờ kiểm tra",
       "--clerk", "lan");
  g_assert_cmpint (again.status, ==, 0);
}

/* audit verify finds an edit; audit list needs a supervisor. */
static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Run) ok = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) day = { 0 };
  g_auto(Run) clerk = { 0 };
  g_auto(Run) tampered = { 0 };
  g_auto(Run) bad_date = { 0 };
  JsonArray *entries;
  gint64 n;

  init_accounts (f);
  RUN (&ok, NULL, "audit", "verify", f->db);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (object (&ok), "ok"));
  g_assert_true (json_object_get_null_member (object (&ok), "first_bad"));
  n = json_object_get_int_member (object (&ok), "entries");
  g_assert_cmpint (n, ==, sql_int (f->db, "SELECT count(*) FROM audit"));

  RUN (&list, ADMIN_PASSWORD, "audit", "list", f->db, "--user", "root");
  g_assert_cmpint (list.status, ==, 0);
  entries = json_node_get_array (list.json);
  /* The sign-in of this very command is the last entry. */
  g_assert_cmpint (json_array_get_length (entries), ==, n + 1);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (entries, n), "action"), ==, "auth.sign-in");
  RUN (&day, ADMIN_PASSWORD, "audit", "list", f->db, "--user", "root", "--date", "2001-01-01");
  g_assert_cmpint (day.status, ==, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (day.json)), ==, 0);
  RUN (&bad_date, ADMIN_PASSWORD, "audit", "list", f->db, "--user", "root", "--date", "2026-13");
  g_assert_cmpint (bad_date.status, ==, 2);
  RUN (&clerk, LAN_PASSWORD, "audit", "list", f->db, "--user", "lan");
  g_assert_cmpint (clerk.status, ==, 1);

  sql_exec (f->db, "UPDATE audit SET actor = 'someone-else' WHERE seq = 2");
  RUN (&tampered, NULL, "audit", "verify", f->db);
  g_assert_cmpint (tampered.status, ==, 1);
  g_assert_false (json_object_get_boolean_member (object (&tampered), "ok"));
  g_assert_cmpint (json_object_get_int_member (object (&tampered), "first_bad"), ==, 2);
}

/* verify shows declarations: each one shown is an audited view. */
static void
test_verify_audited (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Run) open_mode = { 0 };
  g_auto(Run) bare = { 0 };
  g_auto(Run) signed_in = { 0 };

  RUN (&open_mode, NULL, "verify", f->db, FIXTURE_CCCD_AN);
  g_assert_cmpint (open_mode.status, ==, 0);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit WHERE action = "
                                   "'declaration.view' AND actor = 'local' AND object = "
                                   "'TK01-00106-000001'"), ==, 1);

  init_accounts (f);
  RUN (&bare, NULL, "verify", f->db, FIXTURE_CCCD_AN);
  g_assert_cmpint (bare.status, ==, 1);
  RUN (&signed_in, LAN_PASSWORD, "verify", f->db, FIXTURE_CCCD_AN, "--user", "lan");
  g_assert_cmpint (signed_in.status, ==, 0);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit WHERE action = "
                                   "'declaration.view' AND actor = 'lan'"), ==, 1);
}

/* A printed paper is an export: audited, by the signed-in user if any. */
static void
test_export_audited (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Run) print = { 0 };
  g_autofree char *pdf = g_build_filename (f->dir, "form01.pdf", NULL);

  RUN (&print, NULL, "print", "form01", f->db, "TK01-00106-000001", "--output", pdf);
  g_assert_cmpint (print.status, ==, 0);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit WHERE action = 'export.form01' "
                                   "AND actor = 'local' AND object = 'TK01-00106-000001'"), ==, 1);
  g_unlink (pdf);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* The audit trail goes up with the decisions: after a push to the real
 * simulator, every entry that existed before it is marked as sent. */
static void
test_audit_uploaded (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *deskctl_dir = g_path_get_dirname (g_getenv ("BHXH_DESKCTL"));
  g_autofree char *build_src = g_path_get_dirname (deskctl_dir);
  g_autofree char *sim_path = g_build_filename (build_src, "portal-sim", "bhxh-portal-sim", NULL);
  g_autofree char *portal_db = g_build_filename (f->dir, "portal.db", NULL);
  g_autofree char *token = fixture_write_secret (f->dir, "token", "demo-token");
  g_autofree char *line = NULL;
  g_auto(Run) decide = { 0 };
  g_auto(Run) sync = { 0 };
  int before;

  if (!g_file_test (sim_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("bhxh-portal-sim is not built");
      return;
    }
  RUN (&decide, NULL, "decide", f->db, "TK01-00106-000001", "escalate", "--note", "Nhờ kiểm tra", "--clerk", "lan");
  g_assert_cmpint (decide.status, ==, 0);
  before = sql_int (f->db, "SELECT max (seq) FROM audit");
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM meta WHERE key = "
                                   "'audit_uploaded_seq'"), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* The simulator never outlives a test that crashed. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim = g_subprocess_launcher_spawn (launcher, &error, sim_path, "--port=0", "--db", portal_db,
                                     NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "listening on "));

  RUN (&sync, NULL, "sync", f->db, "--portal", line + strlen ("listening on "),
       "--token-file", token, "--push", "--no-mirror");
  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);
  /* The fixture's declarations are unknown to the simulator: refused, but
   * the batch (and the trail with it) was taken. */
  g_assert_nonnull (sync.json);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (object (&sync), "pushed"), "refused"), ==, 1);
  g_assert_cmpint (sql_int (f->db, "SELECT value FROM meta WHERE key = 'audit_uploaded_seq'"),
                   >=, before);
}

/* purge blanks old payloads; an early purge needs the admin. */
static void
test_purge (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Run) decide = { 0 };
  g_auto(Run) purge = { 0 };
  g_auto(Run) early = { 0 };
  g_auto(Run) early_admin = { 0 };

  RUN (&decide, NULL, "decide", f->db, "TK01-00106-000001", "escalate", "--note", "Nhờ kiểm tra", "--clerk", "lan",
       "--payload", FIXTURE_CCCD_AN);
  g_assert_cmpint (decide.status, ==, 0);
  sql_exec (f->db, "UPDATE documents SET scanned_at = '2020-01-01T08:00:00+07:00'");
  RUN (&purge, NULL, "purge", f->db);
  g_assert_cmpint (purge.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (object (&purge), "purged"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object (&purge), "days"), ==, 30);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM documents WHERE payload IS NULL"), ==, 1);

  init_accounts (f);
  RUN (&early, NULL, "purge", f->db, "--days", "1");
  g_assert_cmpint (early.status, ==, 1);
  RUN (&early_admin, ADMIN_PASSWORD, "purge", f->db, "--days", "1", "--user", "root");
  g_assert_cmpint (early_admin.status, ==, 0);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit WHERE action = "
                                   "'retention.purge'"), ==, 2);
}

/* reassign: open mode hands a declaration back to pending for a clerk;
 * with accounts, a clerk may not, the admin may. */
static void
test_reassign (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Run) escalate = { 0 };
  g_auto(Run) open_mode = { 0 };
  g_auto(Run) usage = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) decided = { 0 };
  g_auto(Run) by_clerk = { 0 };
  g_auto(Run) by_admin = { 0 };
  g_auto(Run) approve = { 0 };
  g_auto(Run) minh = { 0 };
  JsonObject *o;
  int audit;

  RUN (&minh, NULL, "users", "add", f->db, "minh", "--role", "clerk", "--name", "Trần Văn Minh",
       "--no-password");
  g_assert_cmpint (minh.status, ==, 0);
  RUN (&escalate, NULL, "decide", f->db, "TK01-07901-000002", "escalate", "--note", "Nhờ kiểm tra", "--clerk", "lan");
  g_assert_cmpint (escalate.status, ==, 0);
  RUN (&open_mode, NULL, "reassign", f->db, "TK01-07901-000002", "--to", "minh");
  g_assert_cmpint (open_mode.status, ==, 0);
  o = object (&open_mode);
  g_assert_cmpuint (json_object_get_size (o), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (o, "declaration_id"), ==, "TK01-07901-000002");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (o, "assigned_to"), ==, "minh");
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit WHERE action = "
                                   "'declaration.reassign' AND detail = 'minh'"), ==, 1);

  RUN (&usage, NULL, "reassign", f->db, "TK01-07901-000002");
  g_assert_cmpint (usage.status, ==, 2);
  RUN (&unknown, NULL, "reassign", f->db, "TK01-07901-000002", "--to", "nobody");
  g_assert_cmpint (unknown.status, !=, 0);
  RUN (&approve, NULL, "decide", f->db, "TK01-00105-000007", "reject", "--reason", "other",
       "--clerk", "lan");
  g_assert_cmpint (approve.status, ==, 0);
  RUN (&decided, NULL, "reassign", f->db, "TK01-00105-000007", "--to", "minh");
  g_assert_cmpint (decided.status, !=, 0);
  g_assert_nonnull (strstr (decided.err, "already rejected"));

  init_accounts (f);
  audit = sql_int (f->db, "SELECT count(*) FROM audit WHERE action = 'declaration.reassign'");
  RUN (&by_clerk, LAN_PASSWORD, "reassign", f->db, "TK01-00106-000001", "--to", "minh",
       "--user", "lan");
  g_assert_cmpint (by_clerk.status, ==, 1);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit WHERE action = "
                                   "'declaration.reassign'"), ==, audit);
  RUN (&by_admin, NULL, "reassign", f->db, "TK01-00106-000001", "--to", "minh",
       "--user", "root", "--password-file", f->admin_file);
  g_assert_cmpint (by_admin.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object (&by_admin), "assigned_to"), ==,
                   "minh");
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit WHERE action = "
                                   "'declaration.reassign' AND actor = 'root'"), ==, 1);
}

/* Accounts required: every command that reads or changes citizens' data
 * needs a signed-in user; each refuses without one and changes nothing. */
static void
test_session_required (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *csv = fixture_write (f->dir, "mirror2.csv", FIXTURE_MIRROR_CSV);
  g_autofree char *json = fixture_write (f->dir, "declarations2.json", FIXTURE_DECLARATIONS_JSON);
  g_autofree char *pdf = g_build_filename (f->dir, "out.pdf", NULL);
  g_autofree char *bundle = g_build_filename (f->dir, "out.bundle", NULL);
  g_autofree char *token = fixture_write_secret (f->dir, "token", "secret-token-0123456789\n");
  g_autofree char *key = fixture_write_secret (f->dir, "key", "0123456789abcdef0123456789abcdef\n");
  const char *const *commands[] = {
    (const char *[]) { "queue", f->db, NULL },
    (const char *[]) { "verify", f->db, FIXTURE_CCCD_AN, NULL },
    (const char *[]) { "mirror", "import", f->db, csv, NULL },
    (const char *[]) { "declarations", "import", f->db, json, NULL },
    (const char *[]) { "bundle", "export", f->db, bundle, "--token-file", token, NULL },
    (const char *[]) { "print", "form01", f->db, "TK01-00106-000001", "--output", pdf, NULL },
    (const char *[]) { "crypt", "rekey", f->db, "--new-key-file", key, NULL },
    (const char *[]) { "users", "list", f->db, NULL },
    (const char *[]) { "reassign", f->db, "TK01-00106-000001", "--to", "lan", NULL },
  };
  int audit;

  init_accounts (f);
  audit = sql_int (f->db, "SELECT count(*) FROM audit");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) run = { 0 };

      run_argv (&run, NULL, NULL, commands[i]);
      g_test_message ("%s without a user: %d %s", commands[i][0], run.status, run.err);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_nonnull (strstr (run.err, "sign"));
    }
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (bundle, G_FILE_TEST_EXISTS));
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit"), ==, audit);

  /* A clerk reads the queue; importing the registry is a supervisor's. */
  {
    g_auto(Run) queue = { 0 };
    g_auto(Run) mirror = { 0 };

    RUN (&queue, LAN_PASSWORD, "queue", f->db, "--user", "lan");
    g_assert_cmpint (queue.status, ==, 0);
    RUN (&mirror, LAN_PASSWORD, "mirror", "import", f->db, csv, "--user", "lan");
    g_assert_cmpint (mirror.status, ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/cli-trust/" path, Fixture, NULL, setup, func, teardown)
  ADD ("session-required", test_session_required);
  ADD ("decide-without-accounts", test_decide_without_accounts);
  ADD ("decide-with-accounts", test_decide_with_accounts);
  ADD ("users", test_users);
  ADD ("audit", test_audit);
  ADD ("purge", test_purge);
  ADD ("export-audited", test_export_audited);
  ADD ("verify-audited", test_verify_audited);
  ADD ("audit-uploaded", test_audit_uploaded);
  ADD ("reassign", test_reassign);
#undef ADD

  return g_test_run ();
}
