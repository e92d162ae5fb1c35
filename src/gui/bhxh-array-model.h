/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BHXH_TYPE_ARRAY_MODEL (bhxh_array_model_get_type ())
G_DECLARE_FINAL_TYPE (BhxhArrayModel, bhxh_array_model, BHXH, ARRAY_MODEL, GObject)

/* A GListModel over a GPtrArray of objects, replaced in one piece: one
 * items-changed for the whole list, O(1) item access. The queue's filter
 * result for 100k declarations, which GtkFilterListModel and GListStore
 * update range by range. */
BhxhArrayModel *bhxh_array_model_new       (GType           item_type);
/* items: (element-type GObject) (transfer full) */
void            bhxh_array_model_set_items (BhxhArrayModel *self,
                                            GPtrArray      *items);
GPtrArray      *bhxh_array_model_get_items (BhxhArrayModel *self);

G_END_DECLS
