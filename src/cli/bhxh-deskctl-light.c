/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bhxh-deskctl as people run it: the commands that touch no store — scan,
 * qr, clock — run here, linked without sqlite, libsodium, libcurl,
 * libsecret, libharu or qrencode (a scan of one image per process was
 * mostly the loading of ~70 shared libraries); every other command is
 * handed, with the same arguments, to the full tool (bhxh-deskctl-full,
 * beside this program in the build tree, else in the libexec folder beside
 * this program's bin folder, else in the configured libexecdir). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "core/bhxh-i18n.h"
#include "bhxh-cli.h"

static const BhxhCommand light_commands[] = {
  { "qr",    bhxh_cmd_qr,    NULL },
  { "scan",  bhxh_cmd_scan,  NULL },
  { "clock", bhxh_cmd_clock, NULL },
};

static char *
find_full_tool (void)
{
  const char *env = g_getenv ("BHXH_DESKCTL_FULL");
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, "bhxh-deskctl-full", NULL);

      g_autofree char *relative = g_build_filename (dir, "..", "libexec", "bhxh-deskctl-full",
                                                    NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
      /* An unpacked package: PREFIX/bin and PREFIX/libexec. */
      if (g_file_test (relative, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&relative);
    }
  return g_build_filename (LIBEXECDIR, "bhxh-deskctl-full", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *full = NULL;
  int saved;

  if (argc >= 2 && g_str_equal (argv[1], "--version"))
    {
      printf ("bhxh-deskctl %s\n", PACKAGE_VERSION);
      return BHXH_EXIT_OK;
    }
  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (light_commands); i++)
      if (g_str_equal (argv[1], light_commands[i].name))
        {
          bhxh_i18n_init (NULL);
          return light_commands[i].run (argc - 1, argv + 1);
        }

  full = find_full_tool ();
  argv[0] = full;
  execv (full, argv);
  saved = errno;
  bhxh_i18n_init (NULL);
  return bhxh_cli_fail (BHXH_EXIT_INPUT, "cannot run %s: %s", full, g_strerror (saved));
}
