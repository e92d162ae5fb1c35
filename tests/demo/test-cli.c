/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bhxh-deskctl demo, run as a real process (BHXH_DESKCTL). */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/bhxh-clock.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
deskctl (Run *run,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) g_getenv ("BHXH_DESKCTL"));
  g_assert_nonnull (args->pdata[0]);
  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (proc);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
assert_one_error_line (const Run *run,
                       int        status)
{
  g_assert_cmpint (run->status, ==, status);
  g_assert_true (g_str_has_prefix (run->err, "error: "));
  g_assert_cmpuint (strlen (run->err), >, 8);
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  g_assert_null (memchr (run->err, '\n', strlen (run->err) - 1));
  g_assert_cmpstr (run->out, ==, "");
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A verdict for the first payload of @demo_case, via `verify`. */
static void
assert_verify (const char  *db,
               GStrv        lines,
               const char  *demo_case,
               const char  *verdict)
{
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", 3);
      g_auto(Run) run = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonArray *candidates;
      JsonObject *first;

      if (g_strv_length (f) != 3 || !g_str_equal (f[1], demo_case))
        continue;
      deskctl (&run, "verify", db, f[2], NULL);
      g_assert_cmpint (run.status, ==, 0);
      candidates = json_object_get_array_member (parse_object (parser, run.out),
                                                 "candidates");
      g_assert_cmpuint (json_array_get_length (candidates), ==, 1);
      first = json_array_get_object_element (candidates, 0);
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (first, "declaration"), "id"),
                       ==, f[0]);
      g_assert_cmpstr (json_object_get_string_member (first, "verdict"), ==, verdict);
      return;
    }
  g_assert_not_reached ();
}

/* Every case's card as a real QR image (qrencode), read back in zbar's
 * binary mode (zbarimg): the payloads survive being printed and scanned. */
static void
assert_scannable (const char *dir,
                  GStrv       lines)
{
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *png = g_build_filename (dir, "card.png", NULL);

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", 3);
      const char *encode[] = { "qrencode", "-8", "-o", png, f[2], NULL };
      const char *decode[] = { "zbarimg", "--raw", "-q", "-Sbinary", "--nodbus", png, NULL };
      g_autofree char *out = NULL;
      g_autoptr(GError) error = NULL;
      int status;

      if (!g_hash_table_add (done, g_strdup (f[1])))
        continue;
      g_spawn_sync (NULL, (char **) encode, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                    NULL, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_spawn_sync (NULL, (char **) decode, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                    &out, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_strchomp (out);
      g_assert_cmpstr (out, ==, f[2]);
    }
  g_assert_cmpuint (g_hash_table_size (done), >=, 20);
  g_assert_cmpint (g_unlink (png), ==, 0);
}

static void
test_demo_command (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bhxh-demo-cli-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "demo.db", NULL);
  g_autofree char *db2 = g_build_filename (dir, "again.db", NULL);
  g_autofree char *tsv = g_strconcat (db, "-payloads.tsv", NULL);
  g_autofree char *tsv2 = g_build_filename (dir, "cards.tsv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  g_auto(Run) run = { 0 };
  /* The demo is made for the day the desk's clock reads: pinned by the test
   * hook where the build has it, the real day in a release build. */
  BhxhDate day = { 2026, 11, 23 };
  g_autofree char *today = NULL;
  JsonObject *summary;
  guint n = 0;

  if (!BHXH_TEST_HOOKS)
    day = bhxh_clock_today ();
  today = bhxh_date_to_iso (&day);
  g_setenv ("BHXH_DESK_TODAY", today, TRUE);

  g_assert_no_error (error);
  deskctl (&run, "demo", db, "--today", today, "--persons", "2000", NULL);
  g_assert_cmpint (run.status, ==, 0);
  summary = parse_object (parser, run.out);
  g_assert_cmpint (json_object_get_int_member (summary, "persons"), ==, 2000);
  g_assert_cmpint (json_object_get_int_member (summary, "offices"), ==, 23);
  g_assert_cmpstr (json_object_get_string_member (summary, "payloads"), ==, tsv);

  text = read_file (tsv);
  lines = g_strsplit (text, "\n", -1);
  for (; lines[n] != NULL && lines[n][0] != '\0'; n++)
    {
      g_auto(GStrv) f = g_strsplit (lines[n], "\t", -1);

      g_assert_cmpuint (g_strv_length (f), ==, 3);
      g_assert_true (g_str_has_prefix (f[0], "TK01-"));
    }
  g_assert_cmpint (json_object_get_int_member (summary, "declarations"), ==, n);

  /* The payloads file is what the clerk scans: it finds the declaration. */
  assert_verify (db, lines, "clean", "can-approve");
  assert_verify (db, lines, "name-diacritics", "needs-attention");
  assert_verify (db, lines, "not-in-mirror", "blocked");
  assert_scannable (dir, lines);

  /* Exists: refused, the database untouched; --force replaces it. */
  run_clear (&run);
  deskctl (&run, "demo", db, "--persons", "2000", NULL);
  assert_one_error_line (&run, 1);
  run_clear (&run);
  deskctl (&run, "demo", db, "--force", "--today", today, "--persons", "2000",
           "--payloads", tsv2, NULL);
  g_assert_cmpint (run.status, ==, 0);
  text2 = read_file (tsv2);
  g_assert_cmpstr (text, ==, text2);

  /* Same inputs, another database: the same payloads. */
  g_clear_pointer (&text2, g_free);
  run_clear (&run);
  deskctl (&run, "demo", db2, "--today", today, "--persons", "2000",
           "--payloads", tsv2, NULL);
  g_assert_cmpint (run.status, ==, 0);
  text2 = read_file (tsv2);
  g_assert_cmpstr (text, ==, text2);

  remove_tree (dir);
}

static void
test_bad_usage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bhxh-demo-cli-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "demo.db", NULL);
  g_auto(Run) run = { 0 };

  deskctl (&run, "demo", NULL);
  assert_one_error_line (&run, 2);
  run_clear (&run);
  deskctl (&run, "demo", db, "--today", "2026-13-45", NULL);
  assert_one_error_line (&run, 1);
  run_clear (&run);
  deskctl (&run, "demo", db, "--today", "2026-11", NULL);
  assert_one_error_line (&run, 1);
  run_clear (&run);
  deskctl (&run, "demo", db, "--persons", "10", NULL);
  assert_one_error_line (&run, 1);
  run_clear (&run);
  deskctl (&run, "demo", db, "--bogus", NULL);
  g_assert_cmpint (run.status, ==, 2);

  /* Nothing was created by the refused runs. */
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/cli/demo", test_demo_command);
  g_test_add_func ("/demo/cli/bad-usage", test_bad_usage);

  return g_test_run ();
}
