/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <unistd.h>

#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "../store/raw-sql.h"

#include "../store/store-fixtures.h"

/* The store commands end to end: the real bhxh-deskctl (env BHXH_DESKCTL)
 * on real sqlite files; exit codes, JSON keys, one error line. */

typedef struct
{
  char *dir;
  char *db;
  char *mirror;
  char *declarations;
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

static void
run_argv (Run                *run,
          const char         *input,
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
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                          &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input != NULL ? input : "", NULL,
                                 &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  if (run->status == 0)
    {
      run->json = json_from_string (run->out, &error);
      g_assert_no_error (error);
      g_assert_nonnull (run->json);
    }
  else
    {
      g_auto(GStrv) lines = g_strsplit (run->err, "\n", -1);

      /* The contract: one line, "error: …", nothing on stdout. */
      g_assert_cmpuint (g_strv_length (lines), ==, 2);
      g_assert_cmpstr (lines[1], ==, "");
      g_assert_true (g_str_has_prefix (lines[0], "error: "));
      g_assert_cmpstr (run->out, ==, "");
    }
}

#define RUN(run, ...) run_argv ((run), NULL, (const char * const []) { __VA_ARGS__, NULL })
#define RUN_STDIN(run, input, ...) \
  run_argv ((run), (input), (const char * const []) { __VA_ARGS__, NULL })

static JsonObject *
object (Run *run)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (run->json));
  return json_node_get_object (run->json);
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_auto(Run) mirror = { 0 };
  g_auto(Run) declarations = { 0 };

  f->dir = fixture_tmpdir ();
  f->db = g_build_filename (f->dir, "desk.db", NULL);
  f->mirror = fixture_write (f->dir, "mirror.csv", FIXTURE_MIRROR_CSV);
  f->declarations = fixture_write (f->dir, "declarations.json", FIXTURE_DECLARATIONS_JSON);
  if (data == NULL)
    return;

  RUN (&mirror, "mirror", "import", f->db, f->mirror, "--version", "2026-11");
  g_assert_cmpint (mirror.status, ==, 0);
  RUN (&declarations, "declarations", "import", f->db, f->declarations);
  g_assert_cmpint (declarations.status, ==, 0);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  fixture_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->mirror);
  g_free (f->declarations);
}

static void
test_mirror (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Run) ok = { 0 };
  g_auto(Run) jsonl = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) usage = { 0 };
  g_auto(Run) format = { 0 };
  g_auto(Run) missing = { 0 };
  g_autofree char *mirror_db = g_strconcat (f->db, "-mirror", NULL);
  g_autofree char *jsonl_path = fixture_write (f->dir, "next.data", FIXTURE_MIRROR_JSONL);
  g_autofree char *bad_path = fixture_write (f->dir, "bad.csv",
                                             "bhxh_code,full_name,birth_date\n"
                                             "0100000001,Một,1970\n0100000002,Hai,19700\n");

  RUN (&ok, "mirror", "import", f->db, f->mirror, "--version", "2026-11");
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (object (&ok), "rows"), ==, FIXTURE_MIRROR_ROWS);
  g_assert_cmpstr (json_object_get_string_member (object (&ok), "version"), ==, "2026-11");
  g_assert_cmpfloat (json_object_get_double_member (object (&ok), "seconds"), >=, 0.0);

  RUN (&jsonl, "mirror", "import", f->db, jsonl_path, "--format", "jsonl");
  g_assert_cmpint (jsonl.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (object (&jsonl), "rows"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object (&jsonl), "version"), ==, "next");

  RUN (&bad, "mirror", "import", f->db, bad_path);
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.err, "Line 3"));
  RUN (&usage, "mirror", "import", f->db);
  g_assert_cmpint (usage.status, ==, 2);
  RUN (&format, "mirror", "import", f->db, f->mirror, "--format", "xml");
  g_assert_cmpint (format.status, ==, 2);
  RUN (&missing, "mirror", "import", f->db, "/nonexistent/mirror.csv");
  g_assert_cmpint (missing.status, ==, 1);

  /* Still the JSON Lines mirror: the bad ones changed nothing. */
  g_assert_cmpint (sql_int (mirror_db, "SELECT count(*) FROM persons"), ==, 2);
}

static void
test_declarations (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Run) ok = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) usage = { 0 };
  g_autofree char *bad_path = fixture_write (f->dir, "bad.json", "{\"declarations\": [1]}");

  RUN (&ok, "declarations", "import", f->db, f->declarations);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (object (&ok), "imported"), ==,
                   FIXTURE_DECLARATIONS);
  RUN (&bad, "declarations", "import", f->db, bad_path);
  g_assert_cmpint (bad.status, ==, 1);
  RUN (&usage, "declarations", "export", f->db, bad_path);
  g_assert_cmpint (usage.status, ==, 2);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM declarations"), ==,
                   FIXTURE_DECLARATIONS);
}

static JsonArray *
array (Run *run)
{
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (run->json));
  return json_node_get_array (run->json);
}

static void
test_queue (Fixture       *f,
            gconstpointer  data)
{
  g_auto(Run) all = { 0 };
  g_auto(Run) stop = { 0 };
  g_auto(Run) search = { 0 };
  g_auto(Run) office = { 0 };
  g_auto(Run) limit = { 0 };
  g_auto(Run) bad = { 0 };
  const char *keys[] = {
    "id", "kind", "status", "full_name", "id_number", "bhxh_code", "submitted_at",
    "office_code", "confirmed_at", "days_left", "minor", "birth_date",
  };
  JsonObject *first;
  JsonObject *khang = NULL;

  RUN (&all, "queue", f->db);
  g_assert_cmpuint (json_array_get_length (array (&all)), ==, FIXTURE_DECLARATIONS);
  first = json_array_get_object_element (array (&all), 0);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (first, keys[i]));
  g_assert_cmpint (json_object_get_int_member (first, "days_left"), ==, 7);
  for (guint i = 0; i < json_array_get_length (array (&all)); i++)
    {
      JsonObject *o = json_array_get_object_element (array (&all), i);

      if (g_str_equal (json_object_get_string_member (o, "id"), "TK01-00102-000003"))
        khang = o;
    }
  g_assert_nonnull (khang);
  g_assert_true (json_object_get_boolean_member (khang, "minor"));

  RUN (&stop, "queue", f->db, "--status", "pending", "--kind", "stop");
  g_assert_cmpuint (json_array_get_length (array (&stop)), ==, 1);
  RUN (&search, "queue", f->db, "--search", "tran thi bich ngoc");
  g_assert_cmpuint (json_array_get_length (array (&search)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     array (&search), 0), "full_name"), ==, "Trần Thị Bích Ngọc");
  RUN (&office, "queue", f->db, "--office", "00105");
  g_assert_cmpuint (json_array_get_length (array (&office)), ==, 2);
  RUN (&limit, "queue", f->db, "--limit", "3");
  g_assert_cmpuint (json_array_get_length (array (&limit)), ==, 3);
  RUN (&bad, "queue", f->db, "--status", "lost");
  g_assert_cmpint (bad.status, ==, 2);
}

/* queue --sort name: a Vietnamese list, by given name then family and
 * middle names; the name search by the start of words. */
static void
test_queue_sort_name (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Run) sorted = { 0 };
  g_auto(Run) words = { 0 };
  g_auto(Run) inside = { 0 };
  g_auto(Run) bad = { 0 };
  const char *expected[] = {
    "Nguyễn Văn An", "Phạm Văn Bình", "Lê Thị Hoa", "Lê Minh Khang", "Phạm Thị Mai",
    "Trần Thị Bích Ngọc", "Vũ Quốc Trung",
  };

  RUN (&sorted, "queue", f->db, "--sort", "name");
  g_assert_cmpuint (json_array_get_length (array (&sorted)), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (array (&sorted), i), "full_name"),
                     ==, expected[i]);
  RUN (&words, "queue", f->db, "--search", "Bình");
  g_assert_cmpuint (json_array_get_length (array (&words)), ==, 1);
  RUN (&inside, "queue", f->db, "--search", "inh");   /* inside Bình, Minh: no word starts so */
  g_assert_cmpuint (json_array_get_length (array (&inside)), ==, 0);
  RUN (&bad, "queue", f->db, "--sort", "age");
  g_assert_cmpint (bad.status, ==, 2);
}

#define CHILD_CARD_2024 "001215012345||Lê Minh Khang|01062015|Nam|Hoàn Kiếm, Hà Nội|" \
                        "04102024|01062015||Lê Văn Hùng|Lê Thị Hoa"

/* qr parse shows the parents of a child's card of 2024; compare code the
 * ID number as the mã số BHXH. */
static void
test_identity_2025 (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(Run) child = { 0 };
  g_auto(Run) adult = { 0 };
  g_auto(Run) prefixed = { 0 };
  g_auto(Run) verify_prefixed = { 0 };
  g_auto(Run) id_code = { 0 };
  g_auto(Run) former = { 0 };
  g_auto(Run) other = { 0 };
  g_auto(Run) usage = { 0 };
  JsonObject *o;

  RUN (&child, "qr", "parse", CHILD_CARD_2024);
  g_assert_cmpint (child.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object (&child), "father_name"), ==,
                   "Lê Văn Hùng");
  g_assert_cmpstr (json_object_get_string_member (object (&child), "mother_name"), ==,
                   "Lê Thị Hoa");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (&child),
                                                                         "extra")), ==, 4);
  RUN (&adult, "qr", "parse", FIXTURE_CCCD_AN "||||");
  g_assert_true (json_object_get_null_member (object (&adult), "father_name"));
  g_assert_true (json_object_get_null_member (object (&adult), "mother_name"));
  /* A scanner's label: refused by the strict contract, read by verify. */
  RUN (&prefixed, "qr", "parse", "CCCD:" FIXTURE_CCCD_AN);
  g_assert_cmpint (prefixed.status, ==, 1);
  RUN (&verify_prefixed, "verify", f->db, "CCCD:" FIXTURE_CCCD_AN "\r");
  g_assert_cmpint (verify_prefixed.status, ==, 0);
  o = json_object_get_object_member (object (&verify_prefixed), "document");
  g_assert_cmpstr (json_object_get_string_member (o, "document"), ==, "cccd");
  g_assert_cmpstr (json_object_get_string_member (o, "full_name"), ==, "Nguyễn Văn An");

  RUN (&id_code, "compare", "code", "001090012345", "0112345678", "001090012345");
  g_assert_cmpstr (json_object_get_string_member (object (&id_code), "level"), ==, "match");
  g_assert_cmpstr (json_object_get_string_member (object (&id_code), "form"), ==, "id-number");
  RUN (&former, "compare", "code", "0112345678", "001090012345", "0112345678");
  g_assert_cmpstr (json_object_get_string_member (object (&former), "level"), ==, "match");
  g_assert_cmpstr (json_object_get_string_member (object (&former), "form"), ==, "legacy");
  RUN (&other, "compare", "code", "001090012346", "0112345678", "001090012345");
  g_assert_cmpstr (json_object_get_string_member (object (&other), "level"), ==, "mismatch");
  g_assert_true (json_object_get_null_member (object (&other), "matched"));
  RUN (&usage, "compare", "code", "001090012345");
  g_assert_cmpint (usage.status, ==, 2);
}

static JsonObject *
candidate (Run   *run,
           guint  index)
{
  JsonArray *candidates = json_object_get_array_member (object (run), "candidates");

  return json_array_get_object_element (candidates, index);
}

static void
test_verify (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Run) an = { 0 };
  g_auto(Run) hoa = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) piped = { 0 };
  g_auto(Run) garbage = { 0 };
  g_auto(Run) usage = { 0 };
  JsonObject *c;
  JsonObject *field;

  RUN (&an, "verify", f->db, FIXTURE_CCCD_AN);
  g_assert_cmpint (an.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (object (&an), "document"), "id_number"),
                   ==, "001090012345");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (&an),
                                                                         "candidates")), ==, 1);
  c = candidate (&an, 0);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (c, "declaration"), "id"),
                   ==, "TK01-00106-000001");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (c, "person"), "bhxh_code"),
                   ==, "0112345678");
  g_assert_cmpstr (json_object_get_string_member (c, "verdict"), ==, "can-approve");
  g_assert_true (json_object_has_member (c, "reasons"));
  field = json_array_get_object_element (json_object_get_array_member (c, "fields"), 0);
  g_assert_true (json_object_has_member (field, "field"));
  g_assert_true (json_object_has_member (field, "declared"));
  g_assert_true (json_object_has_member (field, "document"));
  g_assert_true (json_object_has_member (field, "mirror"));
  g_assert_true (json_object_has_member (field, "level"));
  g_assert_true (json_object_has_member (field, "advisory"));
  g_assert_false (json_object_has_member (object (&an), "message"));

  /* Hoa's card: her own stop and her son's register as guardian. */
  RUN (&hoa, "verify", f->db, FIXTURE_CCCD_HOA);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (&hoa),
                                                                         "candidates")), ==, 2);

  RUN (&unknown, "verify", f->db, FIXTURE_CCCD_UNKNOWN "\r\n");
  g_assert_cmpint (unknown.status, ==, 0);
  /* Trung's declaration exists but he is not in the registry: blocked. */
  c = candidate (&unknown, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (c, "person")));
  g_assert_cmpstr (json_object_get_string_member (c, "verdict"), ==, "blocked");

  RUN_STDIN (&piped, "\xEF\xBB\xBF" FIXTURE_CCCD_NGOC "\n", "verify", f->db, "-");
  g_assert_cmpint (piped.status, ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (&piped),
                                                                         "candidates")), ==, 1);

  RUN (&garbage, "verify", f->db, "hello|world");
  g_assert_cmpint (garbage.status, ==, 1);
  RUN (&usage, "verify", f->db);
  g_assert_cmpint (usage.status, ==, 2);
}

static void
test_verify_no_candidate (Fixture       *f,
                          gconstpointer  data)
{
  g_auto(Run) unknown = { 0 };
  g_auto(Run) known = { 0 };
  g_auto(Run) mirror = { 0 };
  const char *message;

  /* Nothing declared yet, and not in the mirror: the armed-forces case. */
  RUN (&unknown, "verify", f->db, FIXTURE_CCCD_UNKNOWN);
  g_assert_cmpint (unknown.status, ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (&unknown),
                                                                         "candidates")), ==, 0);
  message = json_object_get_string_member (object (&unknown), "message");
  g_assert_nonnull (strstr (message, "Bộ Quốc phòng"));

  /* In the mirror, but nothing declared. */
  RUN (&mirror, "mirror", "import", f->db, f->mirror);
  g_assert_cmpint (mirror.status, ==, 0);
  RUN (&known, "verify", f->db, FIXTURE_CCCD_AN);
  message = json_object_get_string_member (object (&known), "message");
  g_assert_nonnull (strstr (message, "0112345678"));
}

/* Every refusal: exit code, and not one row changed. */
static void
assert_refused (Fixture            *f,
                int                 status,
                const char * const *args)
{
  g_auto(Run) run = { 0 };
  int decisions = sql_int (f->db, "SELECT count(*) FROM decisions");
  int audit = sql_int (f->db, "SELECT count(*) FROM audit");
  int outbox = sql_int (f->db, "SELECT count(*) FROM outbox");
  int pending = sql_int (f->db, "SELECT count(*) FROM declarations WHERE status = 'pending'");

  run_argv (&run, NULL, args);
  g_assert_cmpint (run.status, ==, status);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM decisions"), ==, decisions);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM audit"), ==, audit);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM outbox"), ==, outbox);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM declarations "
                                   "WHERE status = 'pending'"), ==, pending);
}

#define REFUSED(status, ...) \
  assert_refused (f, (status), (const char * const []) { __VA_ARGS__, NULL })

/* No output ever overwrites the store, and none replaces a file unless
 * told to. */
static void
test_outputs (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Run) reject = { 0 };
  g_auto(Run) first = { 0 };
  g_auto(Run) forced = { 0 };
  g_autofree char *pdf = g_build_filename (f->dir, "tu-choi.pdf", NULL);
  g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
  g_autofree char *link = g_build_filename (f->dir, "link.pdf", NULL);
  const char *id = "TK01-07901-000002";

  RUN (&reject, "decide", f->db, id, "reject", "--reason", "duplicate", "--clerk", "lan");
  g_assert_cmpint (reject.status, ==, 0);

  REFUSED (1, "print", "rejection", f->db, id, "--output", f->db);
  REFUSED (1, "print", "rejection", f->db, id, "--output", f->db, "--force");
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    REFUSED (1, "print", "rejection", f->db, id, "--output", wal, "--force");
  g_assert_cmpint (symlink (f->db, link), ==, 0);
  REFUSED (1, "print", "daily-report", f->db, "--date", FIXTURE_TODAY, "--output", link,
           "--force");
  REFUSED (1, "bundle", "export", f->db, f->db, "--token-file", f->db, "--force");
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM decisions"), ==, 1);

  RUN (&first, "print", "rejection", f->db, id, "--output", pdf);
  g_assert_cmpint (first.status, ==, 0);
  REFUSED (1, "print", "rejection", f->db, id, "--output", pdf);
  RUN (&forced, "print", "rejection", f->db, id, "--output", pdf, "--force");
  g_assert_cmpint (forced.status, ==, 0);
}

static void
test_decide (Fixture       *f,
             gconstpointer  data)
{
  g_auto(Run) approve = { 0 };
  g_auto(Run) escalate = { 0 };
  g_auto(Run) reject = { 0 };
  g_auto(Run) override = { 0 };
  g_auto(Run) hung = { 0 };
  const char *keys[] = { "uuid", "declaration_id", "outcome", "status", "decided_at" };
  const char *an = "TK01-00106-000001";
  const char *trung = "TK01-00101-000005";

  REFUSED (2, "decide", f->db, an, "approve");
  REFUSED (2, "decide", f->db, an, "perhaps", "--clerk", "lan");
  REFUSED (2, "decide", f->db, an, "approve", "--clerk", "lan", "--frobnicate");
  REFUSED (1, "decide", f->db, "TK-NOPE", "approve", "--clerk", "lan");
  REFUSED (1, "decide", f->db, an, "reject", "--clerk", "lan");
  REFUSED (1, "decide", f->db, an, "reject", "--reason", "bad-hair-day", "--clerk", "lan");
  REFUSED (1, "decide", f->db, trung, "approve", "--clerk", "lan");
  REFUSED (1, "decide", f->db, trung, "approve", "--override", "--clerk", "lan");
  REFUSED (1, "decide", f->db, an, "approve", "--payload", "not a card", "--clerk", "lan");
  /* The counter's rules, for the CLI as for the window: no approval without
   * the person's document, no escalation without a word for the supervisor. */
  REFUSED (1, "decide", f->db, an, "approve", "--clerk", "lan");
  REFUSED (1, "decide", f->db, an, "approve", "--override", "--note", "quen", "--clerk", "lan");
  REFUSED (1, "decide", f->db, an, "escalate", "--clerk", "lan");

  RUN (&approve, "decide", f->db, an, "approve", "--payload", FIXTURE_CCCD_AN, "--clerk", "lan");
  g_assert_cmpint (approve.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (object (&approve), keys[i]));
  g_assert_cmpstr (json_object_get_string_member (object (&approve), "status"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (object (&approve), "outcome"), ==, "approve");
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (object (&approve),
                                                                        "uuid")));
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM documents"), ==, 1);
  REFUSED (1, "decide", f->db, an, "reject", "--reason", "duplicate", "--clerk", "lan");

  RUN (&escalate, "decide", f->db, "TK01-07901-000002", "escalate", "--note", "Nhờ kiểm tra", "--clerk", "lan");
  g_assert_cmpstr (json_object_get_string_member (object (&escalate), "status"), ==,
                   "escalated");
  RUN (&reject, "decide", f->db, "TK01-07901-000002", "reject", "--reason", "duplicate",
       "--reason", "other", "--note", "Trùng với hồ sơ giấy", "--clerk", "hung");
  g_assert_cmpstr (json_object_get_string_member (object (&reject), "status"), ==, "rejected");
  /* A supervisor may approve without a document, with a note: it shows. */
  RUN (&hung, "users", "add", f->db, "hung", "--role", "supervisor", "--name", "Trần Văn Hùng",
       "--no-password");
  g_assert_cmpint (hung.status, ==, 0);
  RUN (&override, "decide", f->db, trung, "approve", "--override", "--note",
       "Đã chuyển mã từ BHXH Bộ Quốc phòng", "--clerk", "hung");
  g_assert_cmpint (override.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (object (&override), "without_document"));
  g_assert_cmpint (sql_int (f->db, "SELECT override FROM decisions WHERE declaration_id = "
                                   "'TK01-00101-000005'"), ==, 1);
  g_assert_cmpint (sql_int (f->db, "SELECT count(*) FROM outbox WHERE state = 'pending'"),
                   ==, 4);
}

/* A mirror older than the limit blocks approvals, not rejections. */
static void
test_decide_safety_stop (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(Run) reject = { 0 };
  g_auto(Run) approve = { 0 };
  const char *an = "TK01-00106-000001";

  sql_exec (f->db, "INSERT OR REPLACE INTO meta (key, value) "
                   "VALUES ('safety.mirror_block_days', '0')");
  REFUSED (1, "decide", f->db, an, "approve", "--payload", FIXTURE_CCCD_AN, "--clerk", "lan");
  RUN (&approve, "decide", f->db, an, "approve", "--payload", FIXTURE_CCCD_AN, "--clerk", "lan");
  g_assert_nonnull (strstr (approve.err, "mirror"));

  RUN (&reject, "decide", f->db, an, "reject", "--reason", "other", "--clerk", "lan");
  g_assert_cmpint (reject.status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/mirror", Fixture, NULL, setup, test_mirror, teardown);
  g_test_add ("/cli/declarations", Fixture, NULL, setup, test_declarations, teardown);
  g_test_add ("/cli/queue", Fixture, "loaded", setup, test_queue, teardown);
  g_test_add ("/cli/queue-sort-name", Fixture, "loaded", setup, test_queue_sort_name,
              teardown);
  g_test_add ("/cli/identity-2025", Fixture, "loaded", setup, test_identity_2025, teardown);
  g_test_add ("/cli/verify", Fixture, "loaded", setup, test_verify, teardown);
  g_test_add ("/cli/verify-no-candidate", Fixture, NULL, setup, test_verify_no_candidate,
              teardown);
  g_test_add ("/cli/decide", Fixture, "loaded", setup, test_decide, teardown);
  g_test_add ("/cli/outputs", Fixture, "loaded", setup, test_outputs, teardown);
  g_test_add ("/cli/decide-safety-stop", Fixture, "loaded", setup, test_decide_safety_stop,
              teardown);

  return g_test_run ();
}
