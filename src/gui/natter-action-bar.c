/* natter-action-bar.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-action-bar"

#include "config.h"

#include "natter-action-bar-private.h"

struct _NatterActionBar
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (NatterActionBar, natter_action_bar, GTK_TYPE_WIDGET)

#define SPACING 2

static void
natter_action_bar_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  GtkWidget *last = gtk_widget_get_last_child (widget);

  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      int min, nat;

      if (!gtk_widget_get_visible (child))
        continue;
      gtk_widget_measure (child, orientation, -1, &min, &nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          /* At least the last child; naturally all of them. */
          if (child == last)
            *minimum = nat;
          *natural += nat + (*natural > 0 ? SPACING : 0);
        }
      else
        {
          *minimum = MAX (*minimum, min);
          *natural = MAX (*natural, nat);
        }
    }
}

static void
natter_action_bar_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  int x = width;
  gboolean full = FALSE;

  /* From the end: a child that does not fit, and every child before it,
   * is left out. */
  for (GtkWidget *child = gtk_widget_get_last_child (widget); child; child = gtk_widget_get_prev_sibling (child))
    {
      int nat;

      if (!gtk_widget_get_visible (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL, NULL);
      if (!full && x - nat >= 0)
        {
          x -= nat;
          gtk_widget_set_child_visible (child, TRUE);
          gtk_widget_allocate (child, nat, height, -1,
                               gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (x, 0)));
          x -= SPACING;
        }
      else
        {
          full = TRUE;
          gtk_widget_set_child_visible (child, FALSE);
        }
    }
}

static void
natter_action_bar_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (natter_action_bar_parent_class)->dispose (object);
}

static void
natter_action_bar_class_init (NatterActionBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = natter_action_bar_dispose;
  widget_class->measure = natter_action_bar_measure;
  widget_class->size_allocate = natter_action_bar_size_allocate;
}

static void
natter_action_bar_init (NatterActionBar *self)
{
}

GtkWidget *
natter_action_bar_new (void)
{
  return g_object_new (NATTER_TYPE_ACTION_BAR, NULL);
}

void
natter_action_bar_append (NatterActionBar *self,
                          GtkWidget       *child)
{
  g_return_if_fail (NATTER_IS_ACTION_BAR (self));
  gtk_widget_insert_before (child, GTK_WIDGET (self), NULL);
}
