/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>

#include "sync/bhxh-portal.h"
#include "store/bhxh-store.h"
#include "sync/bhxh-sync.h"

/* Uploading N decisions to the portal simulator: batched (one request per
 * BATCH decisions) against one request per decision, each on a fresh
 * simulator with the same N declarations, over one kept-alive connection.
 * Usage: bench-sync [N=10000] [BATCH=1000: the contract's maximum] [--single-sample M]
 *                   [--latency MS]
 * --latency makes the simulator answer every request MS later: a WAN round
 * trip from a district office, which is what batching saves most.
 * With --single-sample, the per-decision run sends only M decisions and the
 * figure for N is extrapolated (said so in the output). Asserts nothing. */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocess *
start_sim (const char  *db,
           guint        n,
           guint        latency,
           char       **url)
{
  g_autofree char *delay = g_strdup_printf ("--latency-ms=%u", latency);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *demo = g_strdup_printf ("--demo=%u", n);
  g_autofree char *persons = g_strdup_printf ("--persons=%u", n);
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *sim;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sim = g_subprocess_launcher_spawn (launcher, &error, PORTAL_SIM_PATH, "--port=0", "--db", db,
                                     demo, persons, delay, NULL);
  if (sim == NULL)
    g_error ("cannot start the simulator: %s", error->message);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    g_error ("the simulator did not start");
  *url = g_strdup (line + strlen ("listening on "));
  return sim;
}

static void
stop_sim (GSubprocess *sim)
{
  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);
}

static JsonNode *
make_decision (guint i)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *id = g_strdup_printf ("TK01-001%02u-%06u", 1 + i % 15, i + 1);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "uuid");
  json_builder_add_string_value (b, uuid);
  json_builder_set_member_name (b, "declaration_id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "outcome");
  json_builder_add_string_value (b, "reject");
  json_builder_set_member_name (b, "clerk");
  json_builder_add_string_value (b, "lan");
  json_builder_set_member_name (b, "decided_at");
  json_builder_add_string_value (b, "2026-11-20T10:02:11+07:00");
  json_builder_set_member_name (b, "reason_codes");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "name-mismatch");
  json_builder_end_array (b);
  json_builder_set_member_name (b, "note");
  json_builder_add_string_value (b, "Họ tên trên tờ khai khác với CCCD");
  json_builder_set_member_name (b, "override");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static BhxhPortal *
make_portal (const char *url)
{
  g_autoptr(BhxhPortalConfig) config = bhxh_portal_config_new ();

  config->portal_url = g_strdup (url);
  config->token = g_strdup ("demo-token");
  return bhxh_portal_new (config);
}

static guint
count_accepted (JsonNode *answer)
{
  JsonArray *results = json_object_get_array_member (json_node_get_object (answer), "results");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (results); i++)
    n += g_str_equal (json_object_get_string_member (json_array_get_object_element (results, i),
                                                     "status"), "accepted");
  return n;
}

/* Both runs send bodies made before the clock starts: the per-decision run
 * sends the decisions themselves, this one the batches made of them. */
static double
run_batched (const char *url,
             GPtrArray  *decisions,
             guint       batch,
             guint      *accepted)
{
  g_autoptr(BhxhPortal) portal = make_portal (url);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GTimer) timer = NULL;

  for (guint start = 0; start < decisions->len; start += batch)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      JsonNode *body = json_node_init_object (json_node_alloc (), json_object_new ());

      for (guint i = start; i < MIN (start + batch, decisions->len); i++)
        json_array_add_element (array, json_node_copy (g_ptr_array_index (decisions, i)));
      json_object_set_array_member (json_node_get_object (body), "decisions",
                                    json_array_ref (array));
      json_object_unref (json_node_get_object (body));
      g_ptr_array_add (bodies, body);
    }

  *accepted = 0;
  timer = g_timer_new ();
  for (guint b = 0; b < bodies->len; b++)
    {
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GError) error = NULL;
      guint status = 0;

      answer = bhxh_portal_call (portal, "POST", "/v1/decisions/batch",
                                 g_ptr_array_index (bodies, b), &status, NULL, &error);
      if (answer == NULL || status != 200)
        g_error ("batch failed: %s (HTTP %u)", error ? error->message : "", status);
      *accepted += count_accepted (answer);
    }
  return g_timer_elapsed (timer, NULL);
}

static double
run_single (const char *url,
            GPtrArray  *decisions,
            guint       n,
            guint      *accepted)
{
  g_autoptr(BhxhPortal) portal = make_portal (url);
  g_autoptr(GTimer) timer = g_timer_new ();

  *accepted = 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *d = g_ptr_array_index (decisions, i);
      g_autofree char *path = g_strdup_printf ("/v1/decisions/%s",
        json_object_get_string_member (json_node_get_object (d), "uuid"));
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GError) error = NULL;
      guint status = 0;

      answer = bhxh_portal_call (portal, "PUT", path, d, &status, NULL, &error);
      if (answer == NULL)
        g_error ("single upload failed: %s", error->message);
      *accepted += status == 201;
    }
  return g_timer_elapsed (timer, NULL);
}

static int
run_engine (guint n)
{
  g_autofree char *dir = g_dir_make_tmp ("bench-sync-XXXXXX", NULL);
  g_autofree char *sim_db = g_build_filename (dir, "portal.db", NULL);
  g_autofree char *desk_db = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) sim = start_sim (sim_db, n, 0, &url);
  g_autoptr(BhxhStore) store = NULL;
  g_autoptr(BhxhSyncOptions) options = bhxh_sync_options_new ();
  g_autoptr(BhxhSyncReport) pull = NULL;
  g_autoptr(BhxhSyncReport) push = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GError) error = NULL;
  BhxhQueueFilter filter = BHXH_QUEUE_FILTER_INIT;
  static const char * const reasons[] = { "other", NULL };
  double t_pull, t_decide, t_push;

  store = bhxh_store_open (desk_db, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  options->portal->portal_url = g_strdup (url);
  options->portal->token = g_strdup ("demo-token");
  options->pull_mirror = FALSE;
  options->page_size = 1000;
  options->batch_size = 1000;
  pull = bhxh_sync_run (store, options, NULL, NULL, NULL, &error);
  t_pull = g_timer_elapsed (timer, NULL);
  filter.status = BHXH_STATUS_PENDING;
  open = bhxh_store_list_declarations (store, &filter, &error);
  g_timer_start (timer);
  for (guint i = 0; i < open->len && i < n; i++)
    {
      BhxhDeclaration *d = g_ptr_array_index (open, i);
      BhxhDecisionRequest request = {
        d->id, BHXH_OUTCOME_REJECT, "lan", reasons, NULL, FALSE, NULL, 0,
      };
      g_autoptr(BhxhDecision) decision = bhxh_store_decide (store, &request, &error);

      if (decision == NULL)
        g_error ("%s", error->message);
    }
  t_decide = g_timer_elapsed (timer, NULL);
  options->pull = FALSE;
  g_timer_start (timer);
  push = bhxh_sync_run (store, options, NULL, NULL, NULL, &error);
  t_push = g_timer_elapsed (timer, NULL);
  stop_sim (sim);
  printf ("engine: pulled %u declarations in %.3f s; recorded %u decisions in %.3f s "
          "(%.2f ms each, fsync'd)\n", pull->declarations, t_pull, open->len, t_decide,
          1000 * t_decide / MAX (open->len, 1));
  printf ("engine: pushed %u (acknowledged) in %.3f s, %" G_GUINT64_FORMAT " requests, "
          "%.0f decisions/s end to end\n", push->acknowledged, t_push, push->requests,
          push->acknowledged / t_push);
  printf ("(left in %s)\n", dir);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 10000, batch = 1000, sample = 0, latency = 0;
  g_autofree char *dir = g_dir_make_tmp ("bench-sync-XXXXXX", NULL);
  g_autofree char *db1 = g_build_filename (dir, "batched.db", NULL);
  g_autofree char *db2 = g_build_filename (dir, "single.db", NULL);
  g_autofree char *url1 = NULL, *url2 = NULL;
  g_autoptr(GPtrArray) decisions = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GSubprocess) sim1 = NULL;
  g_autoptr(GSubprocess) sim2 = NULL;
  guint accepted_batched, accepted_single, n_single;
  double batched, single, single_full;

  if (argc == 3 && g_str_equal (argv[1], "--engine"))
    {
      g_rmdir (dir);   /* run_engine() makes its own */
      return run_engine ((guint) g_ascii_strtoull (argv[2], NULL, 10));
    }
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--single-sample") && i + 1 < argc)
      sample = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
    else if (g_str_equal (argv[i], "--latency") && i + 1 < argc)
      latency = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
    else if (n == 10000 && i == 1)
      n = (guint) g_ascii_strtoull (argv[i], NULL, 10);
    else
      batch = (guint) g_ascii_strtoull (argv[i], NULL, 10);
  n_single = sample ? MIN (sample, n) : n;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (decisions, make_decision (i));

  sim1 = start_sim (db1, n, latency, &url1);
  batched = run_batched (url1, decisions, batch, &accepted_batched);
  stop_sim (sim1);

  sim2 = start_sim (db2, n, latency, &url2);
  single = run_single (url2, decisions, n_single, &accepted_single);
  stop_sim (sim2);
  single_full = single * n / n_single;

  printf ("decisions: %u, batch size: %u, added latency per request: %u ms\n", n, batch,
          latency);
  printf ("batched:    %8.3f s  %8.0f decisions/s  (%u accepted, %u requests)\n",
          batched, n / batched, accepted_batched, (n + batch - 1) / batch);
  printf ("one each:   %8.3f s  %8.0f decisions/s  (%u accepted, %u requests)%s\n",
          single_full, n / single_full, accepted_single, n_single,
          n_single < n ? "  [extrapolated from the sample]" : "");
  printf ("ratio:      %8.1f x faster batched\n", single_full / batched);

  for (guint i = 0; i < 2; i++)
    {
      const char *db = i ? db2 : db1;
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);

      g_remove (db);
      g_remove (wal);
      g_remove (shm);
    }
  g_rmdir (dir);
  return 0;
}
