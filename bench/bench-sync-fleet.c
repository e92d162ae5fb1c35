/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A fleet at close of day: DESKS counter processes, each with its own store,
 * pull the office's declarations from one portal simulator, record their
 * share of the day's decisions (PER_DESK each, no two desks on the same
 * declaration), then all push at once. Prints each desk's sync time
 * (median, p95, max) and checks at the portal that every decision was
 * acknowledged exactly once. Reference in the same run: one desk pushing
 * alone beforehand.
 * usage: bench-sync-fleet [DESKS=200] [PER_DESK=50]   (e.g. 20 10 for a quick run;
 *        KEEP=1 leaves the stores in their temporary folder)
 * Each desk is this program again, with --desk (see desk_main). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>

#include "store/bhxh-store.h"
#include "sync/bhxh-portal.h"
#include "sync/bhxh-sync.h"

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static BhxhSyncOptions *
make_options (const char *url,
              const char *token)
{
  BhxhSyncOptions *options = bhxh_sync_options_new ();

  options->portal->portal_url = g_strdup (url);
  options->portal->token = g_strdup (token);
  options->pull_mirror = FALSE;
  options->page_size = 1000;
  options->batch_size = 500;
  return options;
}

/* One desk: pull, decide every DESKS-th pending declaration from INDEX,
 * say "ready", wait until stdin closes, push, print "acknowledged seconds". */
static int
desk_main (const char *url,
           const char *dir,
           guint       index,
           guint       desks,
           guint       per_desk)
{
  g_autofree char *db = g_strdup_printf ("%s/desk-%u.db", dir, index);
  g_autofree char *token = g_strdup_printf ("fleet-%u", index);
  g_autoptr(BhxhSyncOptions) options = make_options (url, token);
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(BhxhSyncReport) report = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GError) error = NULL;
  BhxhQueueFilter filter = BHXH_QUEUE_FILTER_INIT;
  static const char * const reasons[] = { "other", NULL };
  guint decided = 0;
  char c;
  gint64 t0;

  store = bhxh_store_open (db, &error);
  if (store == NULL || (report = bhxh_sync_run (store, options, NULL, NULL, NULL, &error)) == NULL)
    g_error ("desk %u: %s", index, error->message);
  if (report->errors != NULL && report->errors->len > 0)
    g_error ("desk %u: %s", index, (const char *) g_ptr_array_index (report->errors, 0));
  g_clear_pointer (&report, bhxh_sync_report_free);
  filter.status = BHXH_STATUS_PENDING;
  open = bhxh_store_list_declarations (store, &filter, &error);
  if (open == NULL)
    g_error ("desk %u: %s", index, error->message);
  for (guint i = index - 1; i < open->len && decided < per_desk; i += desks)
    {
      BhxhDeclaration *d = g_ptr_array_index (open, i);
      BhxhDecisionRequest request = {
        d->id, BHXH_OUTCOME_REJECT, "lan", reasons, NULL, FALSE, NULL, 0,
      };
      g_autoptr(BhxhDecision) decision = bhxh_store_decide (store, &request, &error);

      if (decision == NULL)
        g_error ("desk %u: %s", index, error->message);
      decided++;
    }
  printf ("ready %u\n", decided);
  fflush (stdout);
  while (read (STDIN_FILENO, &c, 1) > 0)
    ;
  options->pull = FALSE;
  t0 = g_get_monotonic_time ();
  report = bhxh_sync_run (store, options, NULL, NULL, NULL, &error);
  if (report == NULL)
    g_error ("desk %u: %s", index, error->message);
  printf ("%u %u %.6f\n", decided, report->acknowledged,
          (g_get_monotonic_time () - t0) / 1e6);
  return 0;
}

static GSubprocess *
start_sim (const char  *dir,
           guint        desks,
           guint        declarations,
           char       **url)
{
  g_autofree char *db = g_build_filename (dir, "portal.db", NULL);
  g_autofree char *demo = g_strdup_printf ("--demo=%u", declarations);
  g_autofree char *fleet = g_strdup_printf ("--workstations=%u", desks);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *sim;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim = g_subprocess_launcher_spawn (launcher, &error, PORTAL_SIM_PATH, "--port=0", "--db", db,
                                     "--token=fleet", "--workstation=WS-FLEET", fleet, demo,
                                     "--persons=1000", NULL);
  if (sim == NULL)
    g_error ("cannot start the simulator: %s", error->message);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    g_error ("the simulator did not start");
  *url = g_strdup (line + strlen ("listening on "));
  return sim;
}

#define SETUP_AT_ONCE 3

static void
wait_ready (GPtrArray *outs,
            guint      i)
{
  g_autofree char *line = g_data_input_stream_read_line_utf8 (g_ptr_array_index (outs, i),
                                                              NULL, NULL, NULL);

  if (line == NULL || !g_str_has_prefix (line, "ready"))
    g_error ("desk %u did not get ready", i);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
at (GArray *s,
    double  p)
{
  return g_array_index (s, double, MIN (s->len - 1, (guint) (s->len * p)));
}

/* At the portal: every decision once, accepted, never received twice. */
static gboolean
check_exactly_once (const char *url,
                    guint       expected)
{
  g_autoptr(BhxhPortalConfig) config = bhxh_portal_config_new ();
  g_autoptr(BhxhPortal) portal = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GHashTable) uuids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) declarations = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  guint status = 0, accepted = 0, resent = 0, n;
  JsonArray *array;

  config->portal_url = g_strdup (url);
  config->token = g_strdup ("fleet");
  portal = bhxh_portal_new (config);
  list = bhxh_portal_call (portal, "GET", "/admin/decisions", NULL, &status, NULL, &error);
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    g_error ("cannot list the portal's decisions: %s", error ? error->message : "?");
  array = json_node_get_array (list);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *d = json_array_get_object_element (array, i);

      g_hash_table_add (uuids, (gpointer) json_object_get_string_member (d, "uuid"));
      g_hash_table_add (declarations,
                        (gpointer) json_object_get_string_member (d, "declaration_id"));
      accepted += g_str_equal (json_object_get_string_member (d, "status"), "accepted");
      resent += json_object_get_int_member_with_default (d, "received", 1) > 1;
    }
  printf ("at the portal: %u decisions (%u expected), %u distinct, %u declarations, "
          "%u accepted, %u received more than once (recognised replays)\n",
          n, expected, g_hash_table_size (uuids), g_hash_table_size (declarations), accepted,
          resent);
  return n == expected && g_hash_table_size (uuids) == n &&
         g_hash_table_size (declarations) == n && accepted == n;
}

int
main (int   argc,
      char *argv[])
{
  guint desks, per_desk;
  g_autofree char *dir = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) sim = NULL;
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) outs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (double));
  guint decided = 0, acknowledged = 0, desk_ok = 0;
  gint64 t0;
  double wall, alone = 0;

  if (argc == 7 && g_str_equal (argv[1], "--desk"))
    return desk_main (argv[2], argv[3], atoi (argv[4]), atoi (argv[5]), atoi (argv[6]));
  desks = argc > 1 ? (guint) atoi (argv[1]) : 200;
  per_desk = argc > 2 ? (guint) atoi (argv[2]) : 50;
  dir = g_dir_make_tmp ("bench-fleet-XXXXXX", NULL);
  /* Desk 0 is the reference, alone; desks 1 … DESKS then all at once. */
  sim = start_sim (dir, desks + 1, (desks + 1) * per_desk, &url);
  printf ("%u desks x %u decisions, simulator %s, load average before: ", desks, per_desk, url);
  fflush (stdout);
  system ("cut -d' ' -f1-3 /proc/loadavg");

  for (guint i = 0; i <= desks; i++)
    {
      g_autofree char *index = g_strdup_printf ("%u", i == 0 ? desks + 1 : i);
      g_autofree char *n = g_strdup_printf ("%u", desks + 1);
      g_autofree char *p = g_strdup_printf ("%u", per_desk);
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GError) error = NULL;
      GSubprocess *child;
      GDataInputStream *out;

      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
      child = g_subprocess_launcher_spawn (launcher, &error, argv[0], "--desk", url, dir,
                                           index, n, p, NULL);
      if (child == NULL)
        g_error ("cannot start a desk: %s", error->message);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      g_ptr_array_add (children, child);
      g_ptr_array_add (outs, out);
      /* Setting up (the pull of every declaration) SETUP_AT_ONCE desks at
       * a time: the simulator answers one request at a time, and 200 pulls
       * at once timed out. Only the push is the fleet at once. */
      if (i >= SETUP_AT_ONCE)
        wait_ready (outs, i - SETUP_AT_ONCE);
    }
  /* Every desk pulled and decided (before any pushed: they all saw the
   * same pending declarations). */
  for (guint i = children->len > SETUP_AT_ONCE ? children->len - SETUP_AT_ONCE : 0;
       i < children->len; i++)
    wait_ready (outs, i);
  /* The reference desk pushes alone. */
  {
    g_autofree char *line = NULL;
    guint d = 0, a = 0;

    g_output_stream_close (g_subprocess_get_stdin_pipe (g_ptr_array_index (children, 0)),
                           NULL, NULL);
    line = g_data_input_stream_read_line_utf8 (g_ptr_array_index (outs, 0), NULL, NULL, NULL);
    if (line == NULL || sscanf (line, "%u %u %lf", &d, &a, &alone) != 3)
      g_error ("the reference desk failed");
    decided += d;
    acknowledged += a;
  }
  /* Then all the others at once. */
  t0 = g_get_monotonic_time ();
  for (guint i = 1; i < children->len; i++)
    g_output_stream_close (g_subprocess_get_stdin_pipe (g_ptr_array_index (children, i)),
                           NULL, NULL);
  for (guint i = 1; i < children->len; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (g_ptr_array_index (outs, i),
                                                                  NULL, NULL, NULL);
      guint d = 0, a = 0;
      double s = 0;

      if (line == NULL || sscanf (line, "%u %u %lf", &d, &a, &s) != 3)
        g_error ("desk %u failed", i);
      decided += d;
      acknowledged += a;
      desk_ok += a == d;
      g_array_append_val (seconds, s);
      g_subprocess_wait (g_ptr_array_index (children, i), NULL, NULL);
    }
  wall = (g_get_monotonic_time () - t0) / 1e6;
  g_array_sort (seconds, compare_doubles);
  printf ("one desk alone: %.3f s for %u decisions\n", alone, per_desk);
  printf ("%u desks at once: sync time median %.3f s, p95 %.3f s, max %.3f s; all done in "
          "%.3f s (%.0f decisions/s)\n", desks, at (seconds, 0.5), at (seconds, 0.95),
          g_array_index (seconds, double, seconds->len - 1), wall,
          (acknowledged - per_desk) / MAX (wall, 1e-6));
  printf ("ratio p95 at once / alone: %.1fx; desks with every decision acknowledged: %u/%u\n",
          at (seconds, 0.95) / MAX (alone, 1e-6), desk_ok, desks);
  printf ("exactly once: %s\n", check_exactly_once (url, decided) && acknowledged == decided
                                 ? "yes" : "NO");
  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);
  if (g_getenv ("KEEP") != NULL)
    printf ("(stores left in %s)\n", dir);
  else
    {
      g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);

      if (system (rm) != 0)
        printf ("(could not remove %s)\n", dir);
    }
  return 0;
}
