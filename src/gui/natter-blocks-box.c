/* natter-blocks-box.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-blocks-box"

#include "config.h"

#include "natter-blocks-box-private.h"

struct _NatterBlocksBox
{
  GtkWidget      parent_instance;

  GtkAdjustment *vadjustment;   /* of the scrolled window around, while rooted */
  GtkWidget     *viewport;      /* that scrolled window */
};

G_DEFINE_FINAL_TYPE (NatterBlocksBox, natter_blocks_box, GTK_TYPE_WIDGET)

static void
natter_blocks_box_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  NatterBlocksBox *self = NATTER_BLOCKS_BOX (widget);
  graphene_rect_t bounds;
  double top = -G_MAXDOUBLE, bottom = G_MAXDOUBLE;

  /* The part of the box inside the viewport, in the box's coordinates. */
  if (self->viewport != NULL && gtk_widget_compute_bounds (widget, self->viewport, &bounds))
    {
      top = -bounds.origin.y;
      bottom = top + gtk_widget_get_height (self->viewport);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t child_bounds;

      if (gtk_widget_compute_bounds (child, widget, &child_bounds) &&
          (child_bounds.origin.y > bottom || child_bounds.origin.y + child_bounds.size.height < top))
        continue;
      gtk_widget_snapshot_child (widget, child, snapshot);
    }
}

static void
on_viewport_scrolled (NatterBlocksBox *self)
{
  /* Only a box taller than the viewport leaves anything out. */
  if (self->viewport != NULL && gtk_widget_get_height (GTK_WIDGET (self)) > gtk_widget_get_height (self->viewport))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
natter_blocks_box_root (GtkWidget *widget)
{
  NatterBlocksBox *self = NATTER_BLOCKS_BOX (widget);

  GTK_WIDGET_CLASS (natter_blocks_box_parent_class)->root (widget);

  self->viewport = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  if (self->viewport != NULL)
    {
      self->vadjustment = g_object_ref (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->viewport)));
      g_signal_connect_swapped (self->vadjustment, "value-changed", G_CALLBACK (on_viewport_scrolled), self);
    }
}

static void
natter_blocks_box_unroot (GtkWidget *widget)
{
  NatterBlocksBox *self = NATTER_BLOCKS_BOX (widget);

  if (self->vadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->vadjustment, on_viewport_scrolled, self);
      g_clear_object (&self->vadjustment);
    }
  self->viewport = NULL;

  GTK_WIDGET_CLASS (natter_blocks_box_parent_class)->unroot (widget);
}

static void
natter_blocks_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (natter_blocks_box_parent_class)->dispose (object);
}

static void
natter_blocks_box_class_init (NatterBlocksBoxClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = natter_blocks_box_dispose;
  widget_class->snapshot = natter_blocks_box_snapshot;
  widget_class->root = natter_blocks_box_root;
  widget_class->unroot = natter_blocks_box_unroot;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
natter_blocks_box_init (NatterBlocksBox *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);
}
