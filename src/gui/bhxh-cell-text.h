/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BHXH_TYPE_CELL_TEXT (bhxh_cell_text_get_type ())
G_DECLARE_FINAL_TYPE (BhxhCellText, bhxh_cell_text, BHXH, CELL_TEXT, GtkWidget)

GtkWidget  *bhxh_cell_text_new      (void);
void        bhxh_cell_text_set_text (BhxhCellText *self,
                                     const char   *text);
const char *bhxh_cell_text_get_text (BhxhCellText *self);

G_END_DECLS
