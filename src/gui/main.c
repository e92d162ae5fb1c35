/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "core/bhxh-i18n.h"
#include "bhxh-application.h"
#include "bhxh-renderer.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BhxhApplication) app = NULL;

  /* The counter speaks Vietnamese unless the user chose a language. */
  bhxh_i18n_init ("vi");
  bhxh_renderer_choose ();
  app = bhxh_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
