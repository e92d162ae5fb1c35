/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the registry mirror CSV import (the hand-written
 * RFC 4180 parser, row validation, the atomic swap) on arbitrary bytes.
 * The input goes to a file in a temporary folder (in /dev/shm when there
 * is one), imported into a store opened once. */
#include "config.h"

#include <stdint.h>
#include <glib/gstdio.h>

#include "store/bhxh-store.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static BhxhStore *store;
static char *csv_path;

static void
open_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;

  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    g_setenv ("TMPDIR", "/dev/shm", TRUE);
  dir = g_dir_make_tmp ("bhxh-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "desk.db", NULL);
  csv_path = g_build_filename (dir, "input.csv", NULL);
  store = bhxh_store_open (db, &error);
  g_assert_no_error (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  guint64 rows = 0;
  gboolean ok;

  if (store == NULL)
    open_store ();
  g_assert (g_file_set_contents (csv_path, (const char *) data, size, NULL));
  ok = bhxh_store_import_mirror (store, csv_path, BHXH_MIRROR_FORMAT_CSV, "fuzz",
                                 NULL, NULL, NULL, &rows, &error);
  /* Either rows and no error, or a clear error of the store's own domain. */
  g_assert (ok == (error == NULL));
  if (!ok)
    g_assert (error->domain == BHXH_STORE_ERROR && error->message[0] != '\0');
  else
    g_assert (bhxh_store_count_persons (store) == rows);
  return 0;
}
