/* natter-tail-model.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-tail-model"

#include "config.h"

#include "natter-tail-model-private.h"

struct _NatterTailModel
{
  GObject     parent_instance;

  GListModel *base;
  guint       keep;
  guint       start;      /* position in base of our first item */
  guint       base_n;     /* base's size as we last knew it */
};

static GType
natter_tail_model_get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (NATTER_TAIL_MODEL (model)->base);
}

static guint
natter_tail_model_get_n_items (GListModel *model)
{
  NatterTailModel *self = NATTER_TAIL_MODEL (model);

  return self->base_n - self->start;
}

static gpointer
natter_tail_model_get_item (GListModel *model,
                            guint       position)
{
  NatterTailModel *self = NATTER_TAIL_MODEL (model);

  if (position >= self->base_n - self->start)
    return NULL;
  return g_list_model_get_item (self->base, self->start + position);
}

static void
natter_tail_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = natter_tail_model_get_item_type;
  iface->get_n_items = natter_tail_model_get_n_items;
  iface->get_item = natter_tail_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (NatterTailModel, natter_tail_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, natter_tail_model_list_model_init))

static void
on_base_items_changed (NatterTailModel *self,
                       guint            position,
                       guint            removed,
                       guint            added,
                       GListModel      *base)
{
  guint before = self->base_n - self->start;
  guint new_n = g_list_model_get_n_items (base);

  if (position >= self->start)
    {
      self->base_n = new_n;
      g_list_model_items_changed (G_LIST_MODEL (self), position - self->start, removed, added);
      return;
    }
  if (position + removed <= self->start && !(position == 0 && removed == self->base_n && removed > 0))
    {
      /* Only items before ours: ours stay, at other positions in base. */
      self->start = self->start - removed + added;
      self->base_n = new_n;
      return;
    }
  /* Ours changed from before our start, or base as a whole: from its end
   * again. */
  self->base_n = new_n;
  self->start = new_n > self->keep ? new_n - self->keep : 0;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, before, self->base_n - self->start);
}

static void
natter_tail_model_dispose (GObject *object)
{
  NatterTailModel *self = NATTER_TAIL_MODEL (object);

  if (self->base != NULL)
    g_signal_handlers_disconnect_by_func (self->base, on_base_items_changed, self);
  g_clear_object (&self->base);

  G_OBJECT_CLASS (natter_tail_model_parent_class)->dispose (object);
}

static void
natter_tail_model_class_init (NatterTailModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = natter_tail_model_dispose;
}

static void
natter_tail_model_init (NatterTailModel *self)
{
}

NatterTailModel *
natter_tail_model_new (GListModel *base,
                       guint       keep)
{
  NatterTailModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (base), NULL);

  self = g_object_new (NATTER_TYPE_TAIL_MODEL, NULL);
  self->base = g_object_ref (base);
  self->keep = MAX (keep, 1);
  self->base_n = g_list_model_get_n_items (base);
  self->start = self->base_n > self->keep ? self->base_n - self->keep : 0;
  g_signal_connect_object (base, "items-changed", G_CALLBACK (on_base_items_changed), self,
                           G_CONNECT_SWAPPED);
  return self;
}

guint
natter_tail_model_get_start (NatterTailModel *self)
{
  g_return_val_if_fail (NATTER_IS_TAIL_MODEL (self), 0);
  return self->start;
}

guint
natter_tail_model_grow (NatterTailModel *self,
                        guint            count)
{
  guint taken;

  g_return_val_if_fail (NATTER_IS_TAIL_MODEL (self), 0);

  taken = MIN (count, self->start);
  if (taken == 0)
    return 0;
  self->start -= taken;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, taken);
  return taken;
}

guint
natter_tail_model_reach (NatterTailModel *self,
                         guint            base_position)
{
  g_return_val_if_fail (NATTER_IS_TAIL_MODEL (self), 0);

  if (base_position < self->start)
    natter_tail_model_grow (self, self->start - base_position);
  return base_position - self->start;
}
