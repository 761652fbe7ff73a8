/* natter-message-attachments.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The pictures and files of a message, under its text: thumbnails and
 * file chips that open full size. */

#define G_LOG_DOMAIN "natter-message-row"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-application.h"
#include "natter-attachment-view.h"
#include "natter-chat-store-attachments.h"
#include "natter-message-row-private.h"

static NatterChatStore *
default_store (void)
{
  GApplication *app = g_application_get_default ();

  return NATTER_IS_APPLICATION (app) ? natter_application_get_chat_store (NATTER_APPLICATION (app)) : NULL;
}

static void
on_item_id (NatterMessageRow  *self,
            GParamSpec        *pspec,
            NatterMessageItem *item)
{
  if (self->item == item)
    _natter_message_row_update_attachments (self);
}

void
_natter_message_row_update_attachments (NatterMessageRow *self)
{
  NatterChatStore *store = default_store ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  gint64 id;

  if (self->item != NULL && g_object_get_data (G_OBJECT (self->item), "natter-attachments-watched") != self)
    {
      g_signal_connect_object (self->item, "notify::id", G_CALLBACK (on_item_id), self, G_CONNECT_SWAPPED);
      g_object_set_data (G_OBJECT (self->item), "natter-attachments-watched", self);
    }

  id = self->item != NULL ? natter_message_item_get_id (self->item) : 0;
  if (self->attachments_box != NULL)
    {
      gtk_widget_set_visible (self->attachments_box, FALSE);
      while ((child = gtk_widget_get_first_child (self->attachments_box)) != NULL)
        gtk_flow_box_remove (GTK_FLOW_BOX (self->attachments_box), child);
    }
  if (store == NULL || id == 0 || natter_chat_store_count_attachments (store, id) == 0)
    return;
  if ((list = natter_chat_store_list_attachments (store, id, &error)) == NULL)
    {
      g_warning ("The attachments of message %" G_GINT64_FORMAT " cannot be read: %s", id, error->message);
      return;
    }

  if (self->attachments_box == NULL)
    {
      self->attachments_box = gtk_flow_box_new ();
      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->attachments_box), GTK_SELECTION_NONE);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->attachments_box), 6);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->attachments_box), 6);
      gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->attachments_box), 6);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->attachments_box),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Attachments"), -1);
      gtk_box_insert_child_after (GTK_BOX (self->box), self->attachments_box, self->blocks_box);
    }
  for (guint i = 0; i < list->len; i++)
    gtk_flow_box_append (GTK_FLOW_BOX (self->attachments_box),
                         natter_attachment_chip_new (list->pdata[i], TRUE));
  gtk_widget_set_visible (self->attachments_box, TRUE);
}
