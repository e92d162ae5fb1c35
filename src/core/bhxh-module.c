/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gmodule.h>

#include "bhxh-module.h"

/**
 * bhxh_module_load:
 * @soname: e.g. "libzbar.so.0"
 * @table: (out caller-allocates): the pointers, at @symbols' offsets
 * @error_text: (out): on failure, why (untranslated, from the linker)
 *
 * Opens @soname and fills @table with every symbol; the library stays
 * loaded for the life of the process. Call it once (g_once()).
 *
 * Returns: %FALSE when the library or one of its symbols is missing
 */
gboolean
bhxh_module_load (const char             *soname,
                  const BhxhModuleSymbol *symbols,
                  guint                   n_symbols,
                  gpointer                table,
                  char                  **error_text)
{
  GModule *module = g_module_open (soname, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

  if (module == NULL)
    {
      *error_text = g_strdup (g_module_error ());
      return FALSE;
    }
  for (guint i = 0; i < n_symbols; i++)
    if (!g_module_symbol (module, symbols[i].symbol,
                          (gpointer *) G_STRUCT_MEMBER_P (table, symbols[i].offset)))
      {
        *error_text = g_strdup (g_module_error ());
        g_module_close (module);
        return FALSE;
      }
  g_module_make_resident (module);
  return TRUE;
}
