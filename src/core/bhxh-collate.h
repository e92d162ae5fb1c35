/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *bhxh_collate_key         (const char *text);
char     *bhxh_collate_name_key    (const char *full_name);
int       bhxh_collate_compare_names (const char *a,
                                      const char *b);

/* The name of one item of a list, e.g. a declaration's full_name. */
typedef const char *(*BhxhCollateNameFunc) (gconstpointer item);

void      bhxh_collate_sort_by_name (GPtrArray          *items,
                                     BhxhCollateNameFunc name_of);

G_END_DECLS
