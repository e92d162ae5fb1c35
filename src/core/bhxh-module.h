/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A library opened when first needed (GModule, by its soname), its
 * functions looked up into a table of pointers: what a program that may
 * never need the library does not load at start (zbar, libopenjp2). */

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *symbol;
  glong       offset;   /* G_STRUCT_OFFSET of its pointer in the table */
} BhxhModuleSymbol;

gboolean bhxh_module_load (const char             *soname,
                           const BhxhModuleSymbol *symbols,
                           guint                   n_symbols,
                           gpointer                table,
                           char                  **error_text);

G_END_DECLS
