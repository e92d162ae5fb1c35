/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* The chip tests' cards: chip-mkcard ($BHXH_CHIP_MKCARD) writes a card's
 * files (EF.COM, EF.SOD, the data groups, its CSCA) into a folder. */

/* The folder of the card @variant under @root, made on first use. */
static inline char *
chip_fixture_card (const char *root,
                   const char *variant)
{
  char *dir = g_build_filename (root, variant, NULL);
  const char *argv[] = { g_getenv ("BHXH_CHIP_MKCARD"), dir, variant, NULL };
  int status = 1;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   NULL, NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
  return dir;
}

/* One of a card's files. */
static inline GBytes *
chip_fixture_file (const char *dir,
                   const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);

  g_assert_no_error (error);
  return g_mapped_file_get_bytes (mapped);
}

/* Removes @dir with the cards in it. */
static inline void
chip_fixture_rmtree (const char *dir)
{
  const char *rm[] = { "rm", "-rf", dir, NULL };

  g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                NULL);
}
