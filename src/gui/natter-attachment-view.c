/* natter-attachment-view.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-attachment-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "natter-attachment-view.h"
#include "natter-image-fit.h"

#define THUMBNAIL_SIZE 48

/* Thumbnails: decoded and scaled in a worker thread, so that a chat full
 * of photos scrolls without decoding megapixels on the main thread. */

static void
thumbnail_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  NatterAttachment *attachment = task_data;
  g_autoptr(GBytes) small = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  /* Twice the size shown: sharp on a scaled display. */
  small = natter_image_fit (attachment->data, attachment->mime_type, THUMBNAIL_SIZE * 2, 0, NULL,
                            &error);
  if (small == NULL || (texture = gdk_texture_new_from_bytes (small, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, texture, g_object_unref);
}

static void
on_thumbnail (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), NULL);

  if (texture != NULL)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

static void
attachment_unref (gpointer data)
{
  natter_attachment_free (data);
}

static void
on_open_clicked (GtkButton *button,
                 gpointer   user_data)
{
  natter_attachment_viewer_show (GTK_WIDGET (button),
                                 g_object_get_data (G_OBJECT (button), "attachment"));
}

GtkWidget *
natter_attachment_chip_new (const NatterAttachment *attachment,
                            gboolean                openable)
{
  GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label;
  const char *name = attachment->filename ? attachment->filename
                     : attachment->kind == NATTER_ATTACHMENT_IMAGE ? _("Picture") : _("File");

  g_return_val_if_fail (attachment != NULL, NULL);

  gtk_widget_set_halign (chip, GTK_ALIGN_START);
  gtk_widget_add_css_class (chip, "card");
  gtk_widget_add_css_class (chip, "attachment-chip");
  if (attachment->kind == NATTER_ATTACHMENT_IMAGE)
    {
      GtkWidget *picture = gtk_picture_new ();
      g_autoptr(GTask) task = g_task_new (NULL, NULL, on_thumbnail, g_object_ref (picture));

      gtk_widget_set_size_request (picture, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
      gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_picture_set_alternative_text (GTK_PICTURE (picture), name);
      gtk_box_append (GTK_BOX (content), picture);
      g_task_set_task_data (task, natter_attachment_copy (attachment), attachment_unref);
      g_task_run_in_thread (task, thumbnail_thread);
    }
  else
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (
        g_strcmp0 (attachment->mime_type, "application/pdf") == 0 ? "x-office-document-symbolic"
                                                                   : "text-x-generic-symbolic");

      gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
      gtk_widget_set_margin_start (icon, 6);
      gtk_box_append (GTK_BOX (content), icon);
    }
  label = gtk_label_new (name);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
  gtk_widget_set_margin_end (label, 6);
  gtk_box_append (GTK_BOX (content), label);

  if (openable)
    {
      GtkWidget *button = gtk_button_new ();
      g_autofree char *open = g_strdup_printf (_("Open %s"), name);

      gtk_widget_add_css_class (button, "flat");
      gtk_button_set_child (GTK_BUTTON (button), content);
      gtk_widget_set_tooltip_text (button, open);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, open, -1);
      g_object_set_data_full (G_OBJECT (button), "attachment", natter_attachment_copy (attachment),
                              attachment_unref);
      g_signal_connect (button, "clicked", G_CALLBACK (on_open_clicked), NULL);
      gtk_box_append (GTK_BOX (chip), button);
    }
  else
    gtk_box_append (GTK_BOX (chip), content);

  g_object_set_data_full (G_OBJECT (chip), "attachment", natter_attachment_copy (attachment),
                          attachment_unref);
  return chip;
}

GtkWindow *
natter_attachment_viewer_show (GtkWidget              *parent,
                               const NatterAttachment *attachment)
{
  GtkWidget *window, *box, *scroller;
  GtkRoot *root = parent ? gtk_widget_get_root (parent) : NULL;
  const char *name;

  g_return_val_if_fail (attachment != NULL, NULL);

  name = attachment->filename ? attachment->filename
         : attachment->kind == NATTER_ATTACHMENT_IMAGE ? _("Picture") : _("File");
  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), name);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);

  if (attachment->kind == NATTER_ATTACHMENT_IMAGE)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (attachment->data, &error);
      GtkWidget *picture = gtk_picture_new ();

      /* Full size: the scrolled window pans over a large picture. */
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
      gtk_picture_set_alternative_text (GTK_PICTURE (picture), name);
      if (texture != NULL)
        gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), picture);
    }
  else
    {
      GtkWidget *view = gtk_text_view_new ();
      gsize len;
      const char *text = g_bytes_get_data (attachment->data, &len);

      gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text ? text : "", len);
      gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
    }

  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}
