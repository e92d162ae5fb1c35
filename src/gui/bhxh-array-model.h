/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BHXH_TYPE_ARRAY_MODEL (bhxh_array_model_get_type ())
G_DECLARE_FINAL_TYPE (BhxhArrayModel, bhxh_array_model, BHXH, ARRAY_MODEL, GObject)

/* A GListModel over some items of a GPtrArray of objects, given by their
 * indices, replaced in one piece: one items-changed for the whole list,
 * O(1) item access. The queue's filter result for 100k declarations,
 * which GtkFilterListModel and GListStore update range by range; indices,
 * not references, so a filter pass touches no object. */
BhxhArrayModel *bhxh_array_model_new           (GType           item_type);
/* items: (element-type GObject) (transfer none): kept with a reference;
 * indices: (element-type guint) (transfer full): the items shown */
void            bhxh_array_model_set_items     (BhxhArrayModel *self,
                                                GPtrArray      *items,
                                                GArray         *indices);
/* Returns: (element-type guint) (transfer none) */
GArray         *bhxh_array_model_get_indices   (BhxhArrayModel *self);

G_END_DECLS
