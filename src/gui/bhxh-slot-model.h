/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BHXH_TYPE_SLOT (bhxh_slot_get_type ())
G_DECLARE_FINAL_TYPE (BhxhSlot, bhxh_slot, BHXH, SLOT, GObject)

#define BHXH_TYPE_SLOT_MODEL (bhxh_slot_model_get_type ())
G_DECLARE_FINAL_TYPE (BhxhSlotModel, bhxh_slot_model, BHXH, SLOT_MODEL, GObject)

/* A view of @source for a list widget: its items are slots, one per
 * position, whose "item" follows what @source has there. A change of
 * @source is told as new contents of the slots on screen and a change of
 * the length at the end: GTK 4.8 keeps every row widget and rebinds it,
 * instead of destroying the ~200 rows it keeps realized and building new
 * ones (and of searching 100k added items for the rows it tracks). The
 * slot notifies "item" also when its item notifies any property. */
BhxhSlotModel *bhxh_slot_model_new   (GListModel *source);
/* Returns: (transfer none) (nullable) */
gpointer       bhxh_slot_get_item    (BhxhSlot   *self);

G_END_DECLS
