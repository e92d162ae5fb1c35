/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <glib/gstdio.h>

#include "store/bhxh-auth.h"
#include "store/bhxh-store.h"

/* bench-auth [N=200] [DIR]: what accounts and the audit trail cost.
 * - argon2id hash and verify at the interactive limits (and the test limits);
 * - "who viewed": N bhxh_store_note_viewed() (synchronous=NORMAL) against
 *   N plain bhxh_store_audit() entries (synchronous=FULL, one fsync each),
 *   on a real file in DIR (default: a temporary directory).
 * Prints figures and ratios; asserts nothing. */

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
bench_hash (const char *label)
{
  g_autofree char *hash = NULL;
  gint64 start = g_get_monotonic_time ();
  double hash_ms;
  double verify_ms;

  hash = bhxh_auth_hash_password ("a counter password", NULL);
  hash_ms = ms_since (start);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 5; i++)
    bhxh_auth_verify_password (hash, "a counter password");
  verify_ms = ms_since (start) / 5;
  printf ("argon2id %-12s hash %7.1f ms  verify %7.1f ms  (%s)\n", label, hash_ms,
          verify_ms, hash);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BhxhStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 200;
  double full_ms;
  double normal_ms;
  gint64 start;

  g_unsetenv ("BHXH_DESK_TEST_FAST_HASH");
  bench_hash ("interactive");
  g_setenv ("BHXH_DESK_TEST_FAST_HASH", "1", TRUE);
  bench_hash ("test-min");

  dir = argc > 2 ? g_strdup (argv[2]) : g_dir_make_tmp ("bench-auth-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench-auth.db", NULL);
  store = bhxh_store_open (path, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    bhxh_store_audit (store, "lan", "declaration.view", "TK01-00106-000001", NULL, &error);
  full_ms = ms_since (start);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    bhxh_store_note_viewed (store, "lan", "TK01-00106-000001", &error);
  normal_ms = ms_since (start);
  g_assert_no_error (error);

  printf ("audit entry, own fsync (FULL):      %7.3f ms each (%u entries)\n", full_ms / n, n);
  printf ("note_viewed, no fsync (NORMAL):     %7.3f ms each  ratio FULL/NORMAL %.1fx\n",
          normal_ms / n, full_ms / MAX (normal_ms, 0.001));

  g_clear_object (&store);
  if (argc <= 2)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      g_autofree char *mirror = g_strconcat (path, "-mirror", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_unlink (mirror);
      g_rmdir (dir);
    }
  return 0;
}
