/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "bhxh-i18n.h"

void
bhxh_i18n_init (const char *default_language)
{
  const char *language;
  const char *messages;

  if (default_language != NULL && g_getenv ("LANGUAGE") == NULL)
    g_setenv ("LANGUAGE", default_language, TRUE);
  setlocale (LC_ALL, "");
  language = g_getenv ("LANGUAGE");
  messages = setlocale (LC_MESSAGES, NULL);
  if (language != NULL && language[0] != '\0' && messages != NULL &&
      (g_str_equal (messages, "C") || g_str_equal (messages, "POSIX")))
    setlocale (LC_MESSAGES, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BHXH_DESK_LOCALEDIR") != NULL
                                   ? g_getenv ("BHXH_DESK_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
