/* natter-attachment-tray.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-attachment-tray"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-attachment-file.h"
#include "natter-attachment-tray.h"
#include "natter-attachment-view.h"

struct _NatterAttachmentTray
{
  GtkWidget         parent_instance;

  GPtrArray        *items;       /* NatterAttachment, in the order of the chips */
  guint             n_loading;
  char             *note;
  NatterVisionFunc  vision_func;
  gpointer          vision_data;
  GtkFileChooserNative *chooser;

  GtkLabel         *note_label;
  GtkFlowBox       *chips;
};

G_DEFINE_FINAL_TYPE (NatterAttachmentTray, natter_attachment_tray, GTK_TYPE_WIDGET)

static void
update_visibility (NatterAttachmentTray *self)
{
  if (self->chips == NULL)  /* disposed */
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), self->note != NULL);
  gtk_label_set_text (self->note_label, self->note ? self->note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->chips), self->items->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self), self->note != NULL || self->items->len > 0);
}

static void
set_note (NatterAttachmentTray *self,
          const char           *note)
{
  g_free (self->note);
  self->note = g_strdup (note);
  update_visibility (self);
}

static void
on_remove_clicked (GtkButton            *button,
                   NatterAttachmentTray *self)
{
  NatterAttachment *attachment = g_object_get_data (G_OBJECT (button), "attachment");
  GtkWidget *chip = g_object_get_data (G_OBJECT (button), "chip");

  g_ptr_array_remove (self->items, attachment);
  gtk_flow_box_remove (self->chips, chip);
  set_note (self, NULL);
}

static void
add_chip (NatterAttachmentTray *self,
          NatterAttachment     *attachment)
{
  GtkWidget *chip = natter_attachment_chip_new (attachment, FALSE);
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  g_autofree char *name = g_strdup_printf (_("Remove %s"), attachment->filename ? attachment->filename
                                                                               : _("the attachment"));

  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data (G_OBJECT (remove), "attachment", attachment);
  g_object_set_data (G_OBJECT (remove), "chip", chip);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked), self, 0);
  gtk_box_append (GTK_BOX (chip), remove);

  gtk_flow_box_append (self->chips, chip);
  /* The flow box wraps the chip in a child: remove that one. */
  g_object_set_data (G_OBJECT (remove), "chip", gtk_widget_get_parent (chip));
}

static void
take_attachment (NatterAttachmentTray *self,
                 NatterAttachment     *attachment)
{
  NatterVisionSupport vision = self->vision_func ? self->vision_func (self->vision_data)
                                                 : NATTER_VISION_UNKNOWN;

  if (attachment->kind == NATTER_ATTACHMENT_IMAGE && vision == NATTER_VISION_NO)
    {
      set_note (self, _("The model of this chat does not take pictures; text files and PDF "
                        "documents can still be attached."));
      natter_attachment_free (attachment);
      return;
    }
  g_ptr_array_add (self->items, attachment);
  add_chip (self, attachment);
  if (attachment->kind == NATTER_ATTACHMENT_IMAGE && vision == NATTER_VISION_UNKNOWN)
    set_note (self, _("Whether the model of this chat takes pictures is not known: the picture "
                      "is sent, and the provider may refuse it."));
  else
    set_note (self, NULL);
}

typedef struct
{
  NatterAttachmentTray *self;
  char                 *name;
} Load;

static Load *
load_new (NatterAttachmentTray *self,
          const char           *name)
{
  Load *load = g_new0 (Load, 1);

  load->self = g_object_ref (self);
  load->name = g_strdup (name);
  self->n_loading++;
  return load;
}

static void
load_free (Load *load)
{
  g_object_unref (load->self);
  g_free (load->name);
  g_free (load);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  NatterAttachmentTray *self = load->self;
  g_autoptr(GError) error = NULL;
  NatterAttachment *attachment;
  const char *name = load->name;

  if (g_task_get_source_tag (G_TASK (result)) == natter_attachment_load_async)
    attachment = natter_attachment_load_finish (result, &error);
  else
    attachment = natter_attachment_from_bytes_finish (result, &error);
  self->n_loading--;

  /* The window closed while the file was read. */
  if (self->chips == NULL)
    {
      g_clear_pointer (&attachment, natter_attachment_free);
      return;
    }
  if (attachment == NULL)
    {
      /* Translators: a file name, then why it was refused */
      g_autofree char *note = g_strdup_printf (_("“%s” was not attached. %s"),
                                               name ? name : _("The file"), error->message);

      set_note (self, note);
      return;
    }
  take_attachment (self, attachment);
}

void
natter_attachment_tray_add_file (NatterAttachmentTray *self,
                                 GFile                *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (NATTER_IS_ATTACHMENT_TRAY (self));
  g_return_if_fail (G_IS_FILE (file));

  name = g_file_get_basename (file);
  natter_attachment_load_async (file, NULL, on_loaded, load_new (self, name));
}

void
natter_attachment_tray_add_bytes (NatterAttachmentTray *self,
                                  GBytes               *bytes,
                                  const char           *filename)
{
  g_return_if_fail (NATTER_IS_ATTACHMENT_TRAY (self));
  g_return_if_fail (bytes != NULL);

  natter_attachment_from_bytes_async (bytes, filename, NULL, on_loaded, load_new (self, filename));
}

void
natter_attachment_tray_add_texture (NatterAttachmentTray *self,
                                    GdkTexture           *texture)
{
  g_autoptr(GBytes) png = NULL;

  g_return_if_fail (NATTER_IS_ATTACHMENT_TRAY (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  png = gdk_texture_save_to_png_bytes (texture);
  natter_attachment_tray_add_bytes (self, png, "pasted-image.png");
}

static void
add_file_list (NatterAttachmentTray *self,
               GSList               *files)
{
  for (GSList *l = files; l != NULL; l = l->next)
    natter_attachment_tray_add_file (self, l->data);
}

/* The file chooser */

static void
on_chooser_response (GtkNativeDialog      *dialog,
                     int                   response,
                     NatterAttachmentTray *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          natter_attachment_tray_add_file (self, file);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
}

void
natter_attachment_tray_choose_files (NatterAttachmentTray *self)
{
  g_autoptr(GtkFileFilter) supported = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkRoot *root;

  g_return_if_fail (NATTER_IS_ATTACHMENT_TRAY (self));

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->chooser = gtk_file_chooser_native_new (_("Attach Files"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Attach"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_file_filter_set_name (supported, _("Pictures, Text Files and PDF Documents"));
  gtk_file_filter_add_mime_type (supported, "image/png");
  gtk_file_filter_add_mime_type (supported, "image/jpeg");
  gtk_file_filter_add_mime_type (supported, "image/webp");
  gtk_file_filter_add_mime_type (supported, "image/gif");
  gtk_file_filter_add_mime_type (supported, "application/pdf");
  gtk_file_filter_add_mime_type (supported, "text/*");
  gtk_file_filter_add_mime_type (supported, "application/json");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), supported);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Drag and drop, paste */

static gboolean
on_drop (GtkDropTarget        *target,
         const GValue         *value,
         double                x,
         double                y,
         NatterAttachmentTray *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      add_file_list (self, gdk_file_list_get_files (g_value_get_boxed (value)));
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    {
      natter_attachment_tray_add_texture (self, g_value_get_object (value));
      return TRUE;
    }
  return FALSE;
}

static void
on_clipboard_files (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NatterAttachmentTray) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, &error);

  if (value == NULL)
    {
      set_note (self, error->message);
      return;
    }
  add_file_list (self, gdk_file_list_get_files (g_value_get_boxed (value)));
}

static void
on_clipboard_texture (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(NatterAttachmentTray) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);

  if (texture == NULL)
    {
      set_note (self, error->message);
      return;
    }
  natter_attachment_tray_add_texture (self, texture);
}

/* Before the text view pastes: files and pictures become attachments;
 * anything else is pasted as text. */
static void
on_paste_clipboard (GtkTextView          *view,
                    NatterAttachmentTray *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (view));
  g_autoptr(GdkContentFormats) formats = NULL;

  formats = gdk_content_formats_union_deserialize_gtypes (
    gdk_content_formats_ref (gdk_clipboard_get_formats (clipboard)));

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    {
      gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                      on_clipboard_files, g_object_ref (self));
      g_signal_stop_emission_by_name (view, "paste-clipboard");
    }
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    {
      gdk_clipboard_read_texture_async (clipboard, NULL, on_clipboard_texture, g_object_ref (self));
      g_signal_stop_emission_by_name (view, "paste-clipboard");
    }
}

void
natter_attachment_tray_accept_from (NatterAttachmentTray *self,
                                    GtkWidget            *target,
                                    GtkTextView          *view)
{
  GtkDropTarget *drop;
  GType types[] = { GDK_TYPE_FILE_LIST, GDK_TYPE_TEXTURE };

  g_return_if_fail (NATTER_IS_ATTACHMENT_TRAY (self));

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, types, G_N_ELEMENTS (types));
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (target, GTK_EVENT_CONTROLLER (drop));

  if (view != NULL)
    g_signal_connect_object (view, "paste-clipboard", G_CALLBACK (on_paste_clipboard), self, 0);
}

void
natter_attachment_tray_put_back (NatterAttachmentTray *self,
                                 GPtrArray            *attachments)
{
  g_autoptr(GPtrArray) owned = attachments;

  g_return_if_fail (NATTER_IS_ATTACHMENT_TRAY (self));

  for (guint i = 0; owned != NULL && i < owned->len; i++)
    take_attachment (self, natter_attachment_copy (owned->pdata[i]));
}

GPtrArray *
natter_attachment_tray_take (NatterAttachmentTray *self)
{
  GPtrArray *taken;
  GtkWidget *child;

  g_return_val_if_fail (NATTER_IS_ATTACHMENT_TRAY (self), NULL);

  taken = g_steal_pointer (&self->items);
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_attachment_free);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips))) != NULL)
    gtk_flow_box_remove (self->chips, child);
  set_note (self, NULL);
  return taken;
}

guint
natter_attachment_tray_get_n_items (NatterAttachmentTray *self)
{
  g_return_val_if_fail (NATTER_IS_ATTACHMENT_TRAY (self), 0);
  return self->items->len;
}

guint
natter_attachment_tray_get_n_loading (NatterAttachmentTray *self)
{
  g_return_val_if_fail (NATTER_IS_ATTACHMENT_TRAY (self), 0);
  return self->n_loading;
}

const char *
natter_attachment_tray_get_note (NatterAttachmentTray *self)
{
  g_return_val_if_fail (NATTER_IS_ATTACHMENT_TRAY (self), NULL);
  return self->note;
}

void
natter_attachment_tray_set_vision_func (NatterAttachmentTray *self,
                                        NatterVisionFunc      func,
                                        gpointer              user_data)
{
  g_return_if_fail (NATTER_IS_ATTACHMENT_TRAY (self));
  self->vision_func = func;
  self->vision_data = user_data;
}

static void
natter_attachment_tray_dispose (GObject *object)
{
  NatterAttachmentTray *self = NATTER_ATTACHMENT_TRAY (object);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_ATTACHMENT_TRAY);

  G_OBJECT_CLASS (natter_attachment_tray_parent_class)->dispose (object);
}

static void
natter_attachment_tray_finalize (GObject *object)
{
  NatterAttachmentTray *self = NATTER_ATTACHMENT_TRAY (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self->note);

  G_OBJECT_CLASS (natter_attachment_tray_parent_class)->finalize (object);
}

static void
natter_attachment_tray_class_init (NatterAttachmentTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_attachment_tray_dispose;
  object_class->finalize = natter_attachment_tray_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-attachment-tray.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterAttachmentTray, note_label);
  gtk_widget_class_bind_template_child (widget_class, NatterAttachmentTray, chips);
  gtk_widget_class_set_css_name (widget_class, "attachmenttray");
}

static void
natter_attachment_tray_init (NatterAttachmentTray *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_attachment_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
