/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bhxh-slot-model.h"

struct _BhxhSlot
{
  GObject        parent_instance;
  BhxhSlotModel *model;       /* (unowned) until the model goes */
  guint          position;
  GObject       *item;
  gulong         notify_id;
};

enum {
  SLOT_PROP_0,
  SLOT_PROP_ITEM,
  SLOT_N_PROPS
};

static GParamSpec *slot_properties[SLOT_N_PROPS];

G_DEFINE_FINAL_TYPE (BhxhSlot, bhxh_slot, G_TYPE_OBJECT)

struct _BhxhSlotModel
{
  GObject     parent_instance;
  GListModel *source;
  guint       n_items;
  GHashTable *slots;          /* position → BhxhSlot (unowned: alive while GTK holds it) */
};

static void slot_forget (BhxhSlotModel *model,
                         BhxhSlot      *slot);

static void
item_notify_cb (BhxhSlot *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), slot_properties[SLOT_PROP_ITEM]);
}

/* Takes @item (transfer full); TRUE when it is another one. */
static gboolean
slot_take_item (BhxhSlot *self,
                GObject  *item)
{
  if (item == self->item)
    {
      g_clear_object (&item);
      return FALSE;
    }
  g_clear_signal_handler (&self->notify_id, self->item);
  g_clear_object (&self->item);
  self->item = item;
  if (item != NULL)
    self->notify_id = g_signal_connect_swapped (item, "notify", G_CALLBACK (item_notify_cb), self);
  return TRUE;
}

static void
bhxh_slot_finalize (GObject *object)
{
  BhxhSlot *self = BHXH_SLOT (object);

  if (self->model != NULL)
    slot_forget (self->model, self);
  slot_take_item (self, NULL);
  G_OBJECT_CLASS (bhxh_slot_parent_class)->finalize (object);
}

static void
bhxh_slot_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  switch (prop_id)
    {
    case SLOT_PROP_ITEM:
      g_value_set_object (value, BHXH_SLOT (object)->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bhxh_slot_class_init (BhxhSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bhxh_slot_finalize;
  object_class->get_property = bhxh_slot_get_property;
  slot_properties[SLOT_PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, SLOT_N_PROPS, slot_properties);
}

static void
bhxh_slot_init (BhxhSlot *self)
{
}

gpointer
bhxh_slot_get_item (BhxhSlot *self)
{
  g_return_val_if_fail (BHXH_IS_SLOT (self), NULL);
  return self->item;
}

static GType
get_item_type (GListModel *model)
{
  return BHXH_TYPE_SLOT;
}

static guint
get_n_items (GListModel *model)
{
  return BHXH_SLOT_MODEL (model)->n_items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  BhxhSlotModel *self = BHXH_SLOT_MODEL (model);
  BhxhSlot *slot;

  if (position >= self->n_items)
    return NULL;
  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  if (slot != NULL)
    return g_object_ref (slot);
  slot = g_object_new (BHXH_TYPE_SLOT, NULL);
  slot->model = self;
  slot->position = position;
  slot_take_item (slot, g_list_model_get_item (self->source, position));
  g_hash_table_insert (self->slots, GUINT_TO_POINTER (position), slot);
  return slot;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (BhxhSlotModel, bhxh_slot_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
slot_forget (BhxhSlotModel *model,
             BhxhSlot      *slot)
{
  if (g_hash_table_lookup (model->slots, GUINT_TO_POINTER (slot->position)) == slot)
    g_hash_table_remove (model->slots, GUINT_TO_POINTER (slot->position));
}

static void
source_items_changed_cb (BhxhSlotModel *self,
                         guint          position,
                         guint          removed,
                         guint          added)
{
  guint n_old = self->n_items;
  guint n_new = g_list_model_get_n_items (self->source);
  guint common = MIN (n_old, n_new);
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  /* The slots on screen take their new items first, quietly: a slot's
   * notify may make GTK ask for others. */
  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BhxhSlot *slot = value;

      if (slot->position < position)
        continue;
      if (slot->position >= common)
        {
          /* Gone at the end: a later slot at this position starts anew. */
          slot->model = NULL;
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (slot_take_item (slot, g_list_model_get_item (self->source, slot->position)))
        g_ptr_array_add (changed, g_object_ref (slot));
    }
  self->n_items = n_new;
  if (n_old != n_new)
    g_list_model_items_changed (G_LIST_MODEL (self), common, n_old - common, n_new - common);
  for (guint i = 0; i < changed->len; i++)
    g_object_notify_by_pspec (g_ptr_array_index (changed, i), slot_properties[SLOT_PROP_ITEM]);
}

static void
bhxh_slot_model_dispose (GObject *object)
{
  BhxhSlotModel *self = BHXH_SLOT_MODEL (object);
  GHashTableIter iter;
  gpointer value;

  if (self->slots != NULL)
    {
      g_hash_table_iter_init (&iter, self->slots);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        BHXH_SLOT (value)->model = NULL;
      g_clear_pointer (&self->slots, g_hash_table_unref);
    }
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_func (self->source, source_items_changed_cb, self);
  g_clear_object (&self->source);
  G_OBJECT_CLASS (bhxh_slot_model_parent_class)->dispose (object);
}

static void
bhxh_slot_model_class_init (BhxhSlotModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bhxh_slot_model_dispose;
}

static void
bhxh_slot_model_init (BhxhSlotModel *self)
{
  self->slots = g_hash_table_new (NULL, NULL);
}

BhxhSlotModel *
bhxh_slot_model_new (GListModel *source)
{
  BhxhSlotModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  self = g_object_new (BHXH_TYPE_SLOT_MODEL, NULL);
  self->source = g_object_ref (source);
  self->n_items = g_list_model_get_n_items (source);
  g_signal_connect_swapped (source, "items-changed", G_CALLBACK (source_items_changed_cb), self);
  return self;
}
