/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "store/bhxh-crypt.h"
#include "sim-snapshot.h"

void
sim_remove_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

gboolean
sim_snapshot_make (SimStore    *store,
                   const char  *source,
                   const char  *version,
                   const char  *out,
                   GError     **error)
{
  g_autofree char *dir = g_dir_make_tmp ("bhxh-snapshot-XXXXXX", error);
  g_autofree char *db = NULL;
  g_autofree char *mirror = NULL;
  g_autoptr(GBytes) public_key = NULL;
  g_autoptr(GBytes) secret_key = NULL;
  BhxhStore *desk;
  gboolean ok;

  if (dir == NULL)
    return FALSE;
  db = g_build_filename (dir, "portal.db", NULL);
  mirror = g_strconcat (db, "-mirror", NULL);
  desk = bhxh_store_open_with_key (db, NULL, error);   /* in clear */
  ok = desk != NULL && bhxh_store_import_mirror (desk, source, BHXH_MIRROR_FORMAT_AUTO, version,
                                                 NULL, NULL, NULL, NULL, error);
  g_clear_object (&desk);
  if (ok && g_rename (mirror, out) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot write %s: %s",
                   out, g_strerror (saved));
      ok = FALSE;
    }
  sim_remove_dir (dir);
  if (ok && !sim_store_dup_signing_key (store, &public_key, &secret_key))
    {
      g_set_error_literal (error, SIM_ERROR, SIM_ERROR_DB, "cannot make the signing key");
      ok = FALSE;
    }
  return ok && bhxh_mirror_snapshot_sign (out, secret_key, error);
}

gboolean
sim_snapshot_ensure (SimStore     *store,
                     const char   *dir,
                     const char   *version,
                     char        **path,
                     char        **signature,
                     GError      **error)
{
  g_autofree char *safe = g_strcanon (g_strdup (version),
                                      G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "-_", '_');
  g_autofree char *file = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *source = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sha = NULL;
  g_autoptr(GBytes) jsonl = NULL;

  file = g_strdup_printf ("%s/mirror-%s.sqlite", dir, safe);
  sig = g_strconcat (file, ".sig", NULL);
  /* The signature is written last: without it, the build did not finish. */
  if (!g_file_test (sig, G_FILE_TEST_IS_REGULAR))
    {
      jsonl = sim_store_mirror_snapshot (store, version, &sha);
      if (jsonl == NULL)
        {
          g_set_error (error, SIM_ERROR, SIM_ERROR_NOT_FOUND, "no mirror version %s", version);
          return FALSE;
        }
      source = g_strdup_printf ("%s/mirror-%s.jsonl", dir, safe);
      if (g_mkdir_with_parents (dir, 0700) != 0 ||
          !g_file_set_contents (source, g_bytes_get_data (jsonl, NULL),
                                g_bytes_get_size (jsonl), error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, SIM_ERROR, SIM_ERROR_DB, "cannot write %s", dir);
          return FALSE;
        }
      g_remove (file);
      if (!sim_snapshot_make (store, source, version, file, error))
        {
          g_remove (source);
          return FALSE;
        }
      g_remove (source);
    }
  if (!g_file_get_contents (sig, &text, NULL, error))
    return FALSE;
  *path = g_steal_pointer (&file);
  *signature = g_strstrip (g_steal_pointer (&text));
  return TRUE;
}
