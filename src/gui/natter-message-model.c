/* natter-message-model.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-message-model"

#include "config.h"

#include "natter-message-model.h"

struct _NatterMessageModel
{
  GObject                parent_instance;

  /* One slot per message: NULL until its page is loaded. */
  GPtrArray             *items;
  guint                  n_loaded;

  NatterMessageLoadFunc  load;
  gpointer               load_data;
  GDestroyNotify         load_destroy;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NatterMessageModel, natter_message_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return NATTER_TYPE_MESSAGE_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return NATTER_MESSAGE_MODEL (model)->items->len;
}

static void
load_page (NatterMessageModel *self,
           guint               position)
{
  guint start = position - position % NATTER_MESSAGE_MODEL_PAGE_SIZE;
  guint n = MIN (NATTER_MESSAGE_MODEL_PAGE_SIZE, self->items->len - start);
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->load == NULL)
    return;

  self->load (self->load_data, start, n, page);
  for (guint i = 0; i < n && i < page->len; i++)
    {
      if (g_ptr_array_index (self->items, start + i) != NULL)
        continue;
      g_ptr_array_index (self->items, start + i) = g_object_ref (g_ptr_array_index (page, i));
      self->n_loaded++;
    }
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  NatterMessageModel *self = NATTER_MESSAGE_MODEL (model);
  NatterMessageItem *item;

  if (position >= self->items->len)
    return NULL;

  item = g_ptr_array_index (self->items, position);
  if (item == NULL)
    {
      load_page (self, position);
      item = g_ptr_array_index (self->items, position);
    }
  if (item == NULL)
    {
      /* The source had fewer messages than announced: show an empty one
       * rather than break the view. */
      item = natter_message_item_new (NATTER_MESSAGE_KIND_SYSTEM, "");
      g_ptr_array_index (self->items, position) = item;
      self->n_loaded++;
    }

  return g_object_ref (item);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
clear_source (NatterMessageModel *self)
{
  if (self->load_destroy != NULL)
    self->load_destroy (self->load_data);
  self->load = NULL;
  self->load_data = NULL;
  self->load_destroy = NULL;
}

static void
natter_message_model_finalize (GObject *object)
{
  NatterMessageModel *self = (NatterMessageModel *)object;

  clear_source (self);
  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (natter_message_model_parent_class)->finalize (object);
}

static void
natter_message_model_class_init (NatterMessageModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_message_model_finalize;
}

static void
unref_if_set (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

static void
natter_message_model_init (NatterMessageModel *self)
{
  self->items = g_ptr_array_new_with_free_func (unref_if_set);
}

NatterMessageModel *
natter_message_model_new (void)
{
  return g_object_new (NATTER_TYPE_MESSAGE_MODEL, NULL);
}

void
natter_message_model_set_source (NatterMessageModel    *self,
                                 guint                  n_items,
                                 NatterMessageLoadFunc  load,
                                 gpointer               user_data,
                                 GDestroyNotify         destroy)
{
  guint old_len;

  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));

  old_len = self->items->len;
  clear_source (self);
  g_ptr_array_set_size (self->items, 0);
  self->n_loaded = 0;
  self->load = load;
  self->load_data = user_data;
  self->load_destroy = destroy;
  g_ptr_array_set_size (self->items, n_items);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, n_items);
}

void
natter_message_model_append (NatterMessageModel *self,
                             NatterMessageItem  *item)
{
  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (item));

  g_ptr_array_add (self->items, g_object_ref (item));
  self->n_loaded++;
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
}

void
natter_message_model_remove (NatterMessageModel *self,
                             guint               position)
{
  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));
  g_return_if_fail (position < self->items->len);

  if (g_ptr_array_index (self->items, position) != NULL)
    self->n_loaded--;
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

void
natter_message_model_truncate (NatterMessageModel *self,
                               guint               position)
{
  guint removed;

  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));

  if (position >= self->items->len)
    return;
  removed = self->items->len - position;
  for (guint i = position; i < self->items->len; i++)
    if (g_ptr_array_index (self->items, i) != NULL)
      self->n_loaded--;
  g_ptr_array_set_size (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, 0);
}

void
natter_message_model_clear (NatterMessageModel *self)
{
  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));
  natter_message_model_set_source (self, 0, NULL, NULL, NULL);
}

NatterMessageItem *
natter_message_model_get_last (NatterMessageModel *self)
{
  g_autoptr(NatterMessageItem) item = NULL;

  g_return_val_if_fail (NATTER_IS_MESSAGE_MODEL (self), NULL);

  if (self->items->len == 0)
    return NULL;
  /* get_item fills the slot, which keeps the reference. */
  item = get_item (G_LIST_MODEL (self), self->items->len - 1);
  return item;
}

guint
natter_message_model_get_n_loaded (NatterMessageModel *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_MODEL (self), 0);
  return self->n_loaded;
}
