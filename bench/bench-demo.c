/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How long the demo takes: generating the mirror CSV, against the store's
 * own import of the same CSV (the reference, measured in the same run), and
 * the whole demo (offices, mirror, declarations, users) into a new store.
 * Usage: bench-demo [N_PERSONS] (default 100000). Prints; asserts nothing.
 * bench-demo --mirror-csv FILE N_PERSONS YYYY-MM-DD: writes the mirror CSV of
 * `bhxh-deskctl demo --persons N --today DATE` (bench-gui-scan.sh lays more
 * synthetic persons under it for a 5M-person mirror). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "demo/bhxh-demo.h"
#include "store/bhxh-store.h"

#define RUNS 3

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static BhxhStore *
open_new (const char *dir,
          const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  BhxhStore *store = bhxh_store_open (path, &error);

  if (store == NULL)
    g_error ("%s", error->message);
  return store;
}

static int
write_mirror_csv (const char *path,
                  const char *persons,
                  const char *today_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(BhxhDemo) demo = NULL;
  BhxhDate today;

  if (!bhxh_date_parse (today_text, &today, &error))
    g_error ("%s", error->message);
  demo = bhxh_demo_new (&today, (guint) atoi (persons), BHXH_DEMO_DEFAULT_SEED, &error);
  if (demo == NULL
      || (out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error)) == NULL
      || !bhxh_demo_write_mirror_csv (demo, G_OUTPUT_STREAM (out), NULL, &error)
      || !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error))
    g_error ("%s", error->message);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  guint n;
  BhxhDate today = { 2026, 11, 23 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-demo-XXXXXX", &error);
  g_autofree char *csv_path = g_build_filename (dir, "mirror.csv", NULL);
  double best_gen = G_MAXDOUBLE, best_import = G_MAXDOUBLE, best_all = G_MAXDOUBLE;
  double best_decl = G_MAXDOUBLE;
  gsize csv_size = 0;

  if (argc == 5 && g_str_equal (argv[1], "--mirror-csv"))
    return write_mirror_csv (argv[2], argv[3], argv[4]);
  n = argc > 1 ? (guint) atoi (argv[1]) : BHXH_DEMO_DEFAULT_PERSONS;

  if (dir == NULL)
    g_error ("%s", error->message);
  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(BhxhDemo) demo = bhxh_demo_new (&today, n, BHXH_DEMO_DEFAULT_SEED, &error);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(BhxhStore) reference = NULL;
      g_autoptr(BhxhStore) whole = NULL;
      g_autoptr(BhxhDemo) fresh = NULL;
      g_autoptr(JsonNode) declarations = NULL;
      g_autofree char *db = g_strdup_printf ("ref-%u.db", run);
      g_autofree char *db2 = g_strdup_printf ("demo-%u.db", run);
      guint64 rows;
      gint64 t;

      if (demo == NULL)
        g_error ("%s", error->message);
      t = g_get_monotonic_time ();
      if (!bhxh_demo_write_mirror_csv (demo, out, NULL, &error)
          || !g_output_stream_close (out, NULL, &error))
        g_error ("%s", error->message);
      best_gen = MIN (best_gen, seconds_since (t));
      bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
      csv_size = g_bytes_get_size (bytes);

      t = g_get_monotonic_time ();
      declarations = bhxh_demo_build_declarations (demo);
      best_decl = MIN (best_decl, seconds_since (t));

      /* Reference: the store importing the very same CSV from a file. */
      if (!g_file_set_contents (csv_path, g_bytes_get_data (bytes, NULL), csv_size, &error))
        g_error ("%s", error->message);
      reference = open_new (dir, db);
      t = g_get_monotonic_time ();
      if (!bhxh_store_import_mirror (reference, csv_path, BHXH_MIRROR_FORMAT_CSV, "bench",
                                     NULL, NULL, NULL, &rows, &error))
        g_error ("%s", error->message);
      best_import = MIN (best_import, seconds_since (t));

      /* The whole demo, as `bhxh-deskctl demo` does it. */
      fresh = bhxh_demo_new (&today, n, BHXH_DEMO_DEFAULT_SEED, &error);
      whole = open_new (dir, db2);
      t = g_get_monotonic_time ();
      if (!bhxh_demo_populate (fresh, whole, NULL, NULL, &error))
        g_error ("%s", error->message);
      best_all = MIN (best_all, seconds_since (t));
    }

  printf ("persons                      %u (CSV %.1f MB), best of %d runs\n",
          n, csv_size / 1e6, RUNS);
  printf ("generate mirror CSV          %.3f s  %8.0f rows/s\n", best_gen, n / best_gen);
  printf ("build declarations           %.4f s\n", best_decl);
  printf ("store import of that CSV     %.3f s  %8.0f rows/s  (reference)\n",
          best_import, n / best_import);
  printf ("whole demo (populate)        %.3f s\n", best_all);
  printf ("generation / import          %.2f\n", best_gen / best_import);
  printf ("whole demo / import          %.2f\n", best_all / best_import);

  remove_tree (dir);
  return 0;
}
