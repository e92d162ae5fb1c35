/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bhxh-module.h"

#include "bhxh-scan-error.h"
#include "bhxh-scan-zbar-private.h"

#define LOOKUP(name) { "zbar_" #name, G_STRUCT_OFFSET (BhxhZbar, name) }

static const BhxhModuleSymbol symbols[] = {
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
  return bhxh_module_load (ZBAR_SONAME, symbols, G_N_ELEMENTS (symbols), &zbar, &load_error)
         ? &zbar : NULL;
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
