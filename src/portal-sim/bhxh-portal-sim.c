/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "store/bhxh-crypt.h"
#include "sync/bhxh-bundle.h"
#include "sim-seed.h"
#include "sim-snapshot.h"
#include "sim-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
open_and_seed (SimStore   **out,
               const char  *db,
               const char  *token,
               const char  *workstation,
               const char  *office,
               int          n_workstations,
               int          n_demo,
               int          n_persons,
               int          demo_data,
               const char  *declarations_file,
               const char  *mirror_file,
               const char  *mirror_version,
               GError     **error)
{
  SimStore *store = sim_store_open (db, error);
  gboolean fresh;

  if (store == NULL)
    return FALSE;
  fresh = sim_store_is_empty (store);
  if (!sim_store_add_token (store, token, workstation, office, error))
    goto fail;
  /* A fleet: TOKEN-1 … TOKEN-N for WORKSTATION-1 … WORKSTATION-N. */
  for (int i = 1; i <= n_workstations; i++)
    {
      g_autofree char *t = g_strdup_printf ("%s-%d", token, i);
      g_autofree char *w = g_strdup_printf ("%s-%d", workstation, i);

      if (!sim_store_add_token (store, t, w, office, error))
        goto fail;
    }
  /* One transaction: seeding 10 000 declarations takes a blink, not minutes. */
  if (fresh && !sim_store_begin (store, error))
    goto fail;
  if (fresh && demo_data > 0)
    {
      if (!sim_seed_from_demo (store, demo_data, error))
        goto fail;
    }
  else if (fresh && (declarations_file || mirror_file))
    {
      if (!sim_seed_from_files (store, declarations_file, mirror_file, mirror_version, error))
        goto fail;
    }
  else if (fresh && !sim_seed_demo (store, n_demo, n_persons, error))
    goto fail;
  if (fresh && !sim_store_commit (store, error))
    goto fail;
  *out = store;
  return TRUE;

fail:
  sim_store_free (store);
  return FALSE;
}

/* The key a desk pins at enrolment: what the provincial office would hand
 * over with the workstation token. */
static gboolean
write_public_key (SimStore    *store,
                  const char  *file,
                  GError     **error)
{
  g_autoptr(GBytes) public_key = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  if (!sim_store_dup_signing_key (store, &public_key, NULL))
    {
      g_set_error_literal (error, SIM_ERROR, SIM_ERROR_DB, "cannot make the signing key");
      return FALSE;
    }
  text = bhxh_bundle_key_to_text (public_key);
  line = g_strconcat (text, "\n", NULL);
  return g_file_set_contents (file, line, -1, error);
}

int
main (int   argc,
      char *argv[])
{
  int port = 0, n_workstations = 0, n_demo = 40, n_persons = 200, seed = 1, latency = 0, demo_data = 0;
  double fail_rate = 0, drop_rate = 0, truncate_rate = 0, conflict_rate = 0;
  g_autofree char *db = NULL, *token = NULL, *workstation = NULL, *office = NULL;
  g_autofree char *declarations_file = NULL, *mirror_file = NULL, *mirror_version = NULL;
  g_autofree char *tls_cert = NULL, *tls_key = NULL, *tmpdir = NULL, *url = NULL;
  g_autofree char *public_key_file = NULL;
  g_autofree char *snapshot_source = NULL, *snapshot_out = NULL, *snapshot_dir = NULL;
  gboolean verbose = FALSE, no_sqlite = FALSE;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "TCP port on 127.0.0.1 (0: any free port)", "N" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The simulator's sqlite file (default: temporary)",
      "FILE" },
    { "token", 0, 0, G_OPTION_ARG_STRING, &token, "Accepted workstation token", "TOKEN" },
    { "workstation", 0, 0, G_OPTION_ARG_STRING, &workstation, "Workstation of the token", "ID" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, "Office (subtree) of the token", "CODE" },
    { "workstations", 0, 0, G_OPTION_ARG_INT, &n_workstations,
      "Also accept TOKEN-1 … TOKEN-N for workstations WORKSTATION-1 … -N (a fleet)", "N" },
    { "demo", 0, 0, G_OPTION_ARG_INT, &n_demo, "Synthetic declarations to seed", "N" },
    { "persons", 0, 0, G_OPTION_ARG_INT, &n_persons, "Synthetic mirror persons to seed", "N" },
    { "demo-data", 0, 0, G_OPTION_ARG_INT, &demo_data,
      "Seed from the project's demo data with N mirror persons (≥ 1000)", "N" },
    { "seed-declarations", 0, 0, G_OPTION_ARG_FILENAME, &declarations_file,
      "Seed declarations from a bhxh-declarations/1 file", "FILE" },
    { "seed-mirror", 0, 0, G_OPTION_ARG_FILENAME, &mirror_file,
      "Seed the mirror from a JSON Lines file", "FILE" },
    { "mirror-version", 0, 0, G_OPTION_ARG_STRING, &mirror_version, "Its version", "V" },
    { "fail-rate", 0, 0, G_OPTION_ARG_DOUBLE, &fail_rate, "Share of requests answered 503", "R" },
    { "drop-rate", 0, 0, G_OPTION_ARG_DOUBLE, &drop_rate,
      "Share of requests done but never answered", "R" },
    { "truncate-rate", 0, 0, G_OPTION_ARG_DOUBLE, &truncate_rate,
      "Share of requests done but answered with half a body", "R" },
    { "conflict-rate", 0, 0, G_OPTION_ARG_DOUBLE, &conflict_rate,
      "Share of new decisions answered conflict", "R" },
    { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency, "Delay of every answer", "MS" },
    { "fault-seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the fault dice", "N" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "Serve HTTPS with this PEM", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "Its private key", "FILE" },
    { "public-key-file", 0, 0, G_OPTION_ARG_FILENAME, &public_key_file,
      "Write the portal's public signing key (for 'bhxh-deskctl portal set --portal-key')",
      "FILE" },
    { "make-snapshot", 0, 0, G_OPTION_ARG_FILENAME, &snapshot_source,
      "Build a signed registry snapshot from this CSV or JSON Lines file, then exit", "FILE" },
    { "snapshot-out", 0, 0, G_OPTION_ARG_FILENAME, &snapshot_out,
      "Where the snapshot goes (its signature: FILE.sig)", "FILE" },
    { "no-sqlite-snapshot", 0, 0, G_OPTION_ARG_NONE, &no_sqlite,
      "Offer the mirror as JSON Lines only, as a portal older than signed sqlite snapshots",
      NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log every request on stderr", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- BHXH portal simulator");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  SimStore *store = NULL;
  SimServer *server;
  SimFaults faults = { 0 };

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bhxh-portal-sim: %s\n", error->message);
      return 2;
    }
  if (db == NULL)
    {
      tmpdir = g_dir_make_tmp ("bhxh-portal-sim-XXXXXX", &error);
      if (tmpdir == NULL)
        {
          g_printerr ("bhxh-portal-sim: %s\n", error->message);
          return 1;
        }
      db = g_build_filename (tmpdir, "portal.db", NULL);
    }
  if (!open_and_seed (&store, db, token ? token : "demo-token",
                      workstation ? workstation : "WS-00106-01", office ? office : "001",
                      n_workstations,
                      MAX (n_demo, 0), MAX (n_persons, 0), demo_data, declarations_file,
                      mirror_file,
                      mirror_version, &error))
    {
      g_printerr ("bhxh-portal-sim: %s\n", error->message);
      return 1;
    }
  if (public_key_file && !write_public_key (store, public_key_file, &error))
    {
      g_printerr ("bhxh-portal-sim: %s\n", error->message);
      return 1;
    }
  if (snapshot_source != NULL)
    {
      gboolean made = snapshot_out != NULL &&
                      sim_snapshot_make (store, snapshot_source, mirror_version, snapshot_out,
                                     &error);

      if (!made)
        g_printerr ("bhxh-portal-sim: %s\n",
                    error != NULL ? error->message : "--make-snapshot needs --snapshot-out");
      sim_store_free (store);
      if (tmpdir)
        sim_remove_dir (tmpdir);
      return made ? 0 : 1;
    }
  if (tls_cert)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key ? tls_key : tls_cert,
                                                      &error);
      if (certificate == NULL)
        {
          g_printerr ("bhxh-portal-sim: %s\n", error->message);
          return 1;
        }
    }

  faults.fail_rate = fail_rate;
  faults.drop_rate = drop_rate;
  faults.truncate_rate = truncate_rate;
  faults.conflict_rate = conflict_rate;
  faults.latency_ms = MAX (latency, 0);
  server = sim_server_new (store, &faults, (guint32) seed, verbose);
  snapshot_dir = g_strconcat (db, "-snapshots", NULL);
  if (!no_sqlite)
    sim_server_set_snapshot_dir (server, snapshot_dir);
  if (!sim_server_listen (server, CLAMP (port, 0, 65535), certificate, &url, &error))
    {
      g_printerr ("bhxh-portal-sim: %s\n", error->message);
      return 1;
    }
  printf ("listening on %s\n", url);
  fflush (stdout);

  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  sim_server_free (server);
  sim_store_free (store);
  if (tmpdir)
    {
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);

      g_remove (db);
      g_remove (wal);
      g_remove (shm);
      sim_remove_dir (snapshot_dir);
      g_rmdir (tmpdir);
    }
  return 0;
}
