/* natter-a11y.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "natter-a11y.h"

static GtkLabel *
find_mnemonic_label (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label;

      if (GTK_IS_LABEL (child))
        return gtk_label_get_use_underline (GTK_LABEL (child)) ? GTK_LABEL (child) : NULL;
      if ((label = find_mnemonic_label (child)) != NULL)
        return label;
    }
  return NULL;
}

/* GTK 4.8 names a widget after both its accessible label and the widgets
 * it is "labelled by", so a screen reader says "_New Connection New
 * Connection" for a button with a mnemonic, or "Name Name" for an entry
 * row given a label, and a test looking for "New Connection" or "Name"
 * finds nothing. Below @widget, names every button with a mnemonic after
 * the text it shows, and lets a given label stand alone. */
void
natter_a11y_fix_names (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_BUTTON (widget))
    {
      GtkLabel *label = find_mnemonic_label (widget);

      if (label != NULL)
        {
          gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
          gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (label),
                                          -1);
          return;
        }
    }

  /* (The only public way to read these back in GTK 4.8.) */
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    natter_a11y_fix_names (child);
}
