/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gmodule.h>
#include <glib/gi18n-lib.h>

#include "bhxh-scan-error.h"
#include "bhxh-scan-zbar-private.h"

#define LOOKUP(name) { "zbar_" #name, G_STRUCT_OFFSET (BhxhZbar, name) }

static const struct
{
  const char *symbol;
  glong       offset;
} symbols[] = {
  LOOKUP (image_scanner_create), LOOKUP (image_scanner_destroy),
  LOOKUP (image_scanner_set_config), LOOKUP (scan_image), LOOKUP (image_create),
  LOOKUP (image_destroy), LOOKUP (image_set_format), LOOKUP (image_set_size),
  LOOKUP (image_set_data), LOOKUP (image_first_symbol), LOOKUP (symbol_next),
  LOOKUP (symbol_get_type), LOOKUP (symbol_get_data), LOOKUP (symbol_get_data_length),
  LOOKUP (symbol_get_loc_size), LOOKUP (symbol_get_loc_x), LOOKUP (symbol_get_loc_y),
};

static BhxhZbar zbar;
static char *load_error;

static gpointer
load (gpointer data)
{
  GModule *module = g_module_open (ZBAR_SONAME, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

  if (module == NULL)
    {
      load_error = g_strdup (g_module_error ());
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (symbols); i++)
    if (!g_module_symbol (module, symbols[i].symbol,
                          (gpointer *) G_STRUCT_MEMBER_P (&zbar, symbols[i].offset)))
      {
        load_error = g_strdup (g_module_error ());
        g_module_close (module);
        return NULL;
      }
  /* Kept for the life of the process. */
  g_module_make_resident (module);
  return &zbar;
}

const BhxhZbar *
_bhxh_scan_zbar (GError **error)
{
  static GOnce once = G_ONCE_INIT;
  const BhxhZbar *loaded = g_once (&once, load, NULL);

  if (loaded == NULL)
    g_set_error (error, BHXH_SCAN_ERROR, BHXH_SCAN_ERROR_UNSUPPORTED,
                 _("Cannot load the zbar decoder: %s"), load_error);
  return loaded;
}
