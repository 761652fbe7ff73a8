/* natter-a11y.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

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

static GtkWidget *
find_toggle_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_TOGGLE_BUTTON (child))
        return child;
      if ((found = find_toggle_button (child)) != NULL)
        return found;
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

  /* The toggle button inside a GtkDropDown or a GtkMenuButton is what
   * takes the focus, but GTK 4.8 gives it no name of its own: a screen
   * reader says "toggle button" inside "Connection profile". It takes the
   * name of the control it belongs to. */
  if (GTK_IS_DROP_DOWN (widget) || GTK_IS_MENU_BUTTON (widget))
    {
      GtkWidget *toggle = find_toggle_button (widget);

      if (toggle != NULL && find_mnemonic_label (toggle) == NULL &&
          !gtk_test_accessible_has_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL))
        gtk_accessible_update_relation (GTK_ACCESSIBLE (toggle),
                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY, widget, NULL,
                                        -1);
    }

  /* Controls libadwaita builds without a name on 1.2: the search field of
   * a preferences window and the eye button of a password row. */
  if (GTK_IS_SEARCH_ENTRY (widget) &&
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search"),
                                    -1);
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) == NULL &&
      gtk_widget_get_ancestor (widget, ADW_TYPE_PASSWORD_ENTRY_ROW) != NULL &&
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show or hide the text"),
                                    -1);

  /* (The only public way to read these back in GTK 4.8.) */
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    natter_a11y_fix_names (child);
}
