/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "bhxh-array-model.h"

struct _BhxhArrayModel
{
  GObject    parent_instance;
  GType      item_type;
  GPtrArray *items;
  GArray    *indices;
};

static GType
get_item_type (GListModel *model)
{
  return BHXH_ARRAY_MODEL (model)->item_type;
}

static guint
get_n_items (GListModel *model)
{
  return BHXH_ARRAY_MODEL (model)->indices->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  BhxhArrayModel *self = BHXH_ARRAY_MODEL (model);

  if (position >= self->indices->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items,
                                          g_array_index (self->indices, guint, position)));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (BhxhArrayModel, bhxh_array_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
bhxh_array_model_finalize (GObject *object)
{
  g_clear_pointer (&BHXH_ARRAY_MODEL (object)->items, g_ptr_array_unref);
  g_clear_pointer (&BHXH_ARRAY_MODEL (object)->indices, g_array_unref);
  G_OBJECT_CLASS (bhxh_array_model_parent_class)->finalize (object);
}

static void
bhxh_array_model_class_init (BhxhArrayModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bhxh_array_model_finalize;
}

static void
bhxh_array_model_init (BhxhArrayModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->indices = g_array_new (FALSE, FALSE, sizeof (guint));
}

BhxhArrayModel *
bhxh_array_model_new (GType item_type)
{
  BhxhArrayModel *self = g_object_new (BHXH_TYPE_ARRAY_MODEL, NULL);

  self->item_type = item_type;
  return self;
}

void
bhxh_array_model_set_items (BhxhArrayModel *self,
                            GPtrArray      *items,
                            GArray         *indices)
{
  guint removed;

  g_return_if_fail (BHXH_IS_ARRAY_MODEL (self));
  g_return_if_fail (items != NULL);
  g_return_if_fail (indices != NULL);

  /* One replacement, not "all out, then all in". */
  removed = self->indices->len;
  g_ptr_array_ref (items);
  g_ptr_array_unref (self->items);
  self->items = items;
  g_array_unref (self->indices);
  self->indices = indices;
  if (removed > 0 || indices->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, indices->len);
}

GArray *
bhxh_array_model_get_indices (BhxhArrayModel *self)
{
  g_return_val_if_fail (BHXH_IS_ARRAY_MODEL (self), NULL);
  return self->indices;
}
