/* natter-code-block.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-code-block"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-block-bin-private.h"
#include "natter-code-block-private.h"
#include "natter-message-row-private.h"
#include "natter-text-block-private.h"

/* Copies the whole code of the block the button is in: its text as
 * rendered, not one of the pieces it is shown in. */
static void
on_copy_code_clicked (GtkButton *button,
                      gpointer   user_data)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), NATTER_TYPE_MESSAGE_ROW);
  const char *code;

  if (row == NULL)
    return;
  code = natter_message_row_get_block_text_at (NATTER_MESSAGE_ROW (row), GTK_WIDGET (button));
  if (code != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), code);
}

GtkWidget *
natter_code_block_new (GtkLabel **label_out,
                       GtkLabel **lang_out)
{
  GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *lang = gtk_label_new (NULL);
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  GtkWidget *pieces;
  GtkWidget *label;

  gtk_widget_add_css_class (frame, "code-block");
  gtk_widget_add_css_class (frame, "card");
  gtk_widget_add_css_class (header, "code-header");
  gtk_widget_add_css_class (lang, "dim-label");
  gtk_widget_add_css_class (lang, "caption");
  gtk_label_set_xalign (GTK_LABEL (lang), 0);
  gtk_widget_set_hexpand (lang, TRUE);
  gtk_widget_set_margin_start (lang, 12);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_set_tooltip_text (copy, _("Copy Code"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy code"),
                                  -1);
  g_signal_connect (copy, "clicked", G_CALLBACK (on_copy_code_clicked), NULL);
  gtk_box_append (GTK_BOX (header), lang);
  gtk_box_append (GTK_BOX (header), copy);

  pieces = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_margin_start (pieces, 12);
  gtk_widget_set_margin_end (pieces, 12);
  gtk_widget_set_margin_bottom (pieces, 12);
  label = natter_code_piece_new ();
  gtk_box_append (GTK_BOX (pieces), label);
  *label_out = GTK_LABEL (label);
  gtk_box_append (GTK_BOX (frame), header);
  gtk_box_append (GTK_BOX (frame), pieces);
  *lang_out = GTK_LABEL (lang);
  return natter_block_bin_new (frame);
}
