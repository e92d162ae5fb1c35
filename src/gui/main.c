/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "bhxh-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BhxhApplication) app = NULL;
  gboolean default_language = g_getenv ("LANGUAGE") == NULL;
  const char *messages;

  /* The counter speaks Vietnamese unless the user chose a language. */
  if (default_language)
    g_setenv ("LANGUAGE", "vi", TRUE);
  setlocale (LC_ALL, "");
  /* gettext ignores LANGUAGE in the plain C locale; C.UTF-8 honours it. */
  messages = setlocale (LC_MESSAGES, NULL);
  if (default_language && messages != NULL &&
      (g_str_equal (messages, "C") || g_str_equal (messages, "POSIX")))
    setlocale (LC_MESSAGES, "C.UTF-8");
  /* meson devenv (and the screenshot script) run from the build tree. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BHXH_DESK_LOCALEDIR") != NULL
                                   ? g_getenv ("BHXH_DESK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = bhxh_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
