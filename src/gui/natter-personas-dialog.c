/* natter-personas-dialog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-personas-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-avatar-crop-dialog.h"
#include "natter-character-editor-private.h"
#include "natter-chat-store-editing.h"
#include "natter-personas-dialog-private.h"
#include "natter-toasts.h"

struct _NatterPersonasDialog
{
  AdwWindow         parent_instance;

  NatterChatStore  *store;
  gint64            chat_id;
  gint64            character_id;
  gint64            selected_id;
  GBytes           *avatar;
  gboolean          loading;
  GCancellable     *cancellable;

  AdwToastOverlay  *toast_overlay;
  GtkListBox       *list;
  GtkWidget        *form;
  AdwAvatar        *avatar_widget;
  AdwEntryRow      *name_entry;
  GtkDropDown      *position;
  GtkTextView      *description;
  GtkWidget        *chat_lock_row;
  GtkWidget        *character_lock_row;
  GtkSwitch        *chat_lock;
  GtkSwitch        *character_lock;
};

G_DEFINE_FINAL_TYPE (NatterPersonasDialog, natter_personas_dialog, ADW_TYPE_WINDOW)

/* The order of the position dropdown. */
static const char * const positions[] = {
  NATTER_PERSONA_POSITION_IN_PROMPT, NATTER_PERSONA_POSITION_TOP_AN,
  NATTER_PERSONA_POSITION_BOTTOM_AN, NATTER_PERSONA_POSITION_AT_DEPTH,
  NATTER_PERSONA_POSITION_NONE,
};

static void
toast (NatterPersonasDialog *self,
       const char           *message)
{
  natter_toasts_add (self->toast_overlay, adw_toast_new (message));
}

static void
show_avatar (NatterPersonasDialog *self)
{
  adw_avatar_set_custom_image (self->avatar_widget, NULL);
  if (self->avatar != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (self->avatar, NULL);

      if (texture != NULL)
        adw_avatar_set_custom_image (self->avatar_widget, GDK_PAINTABLE (texture));
    }
}

static void
load_form (NatterPersonasDialog *self)
{
  g_autoptr(NatterPersonaRow) row = NULL;
  g_autoptr(GError) error = NULL;

  self->loading = TRUE;
  g_clear_pointer (&self->avatar, g_bytes_unref);
  gtk_widget_set_sensitive (self->form, self->selected_id != 0);
  if (self->selected_id != 0)
    row = natter_chat_store_get_persona (self->store, self->selected_id, &error);

  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), row ? row->name : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description), row ? row->description : "", -1);
  gtk_drop_down_set_selected (self->position, 0);
  for (guint i = 0; row != NULL && i < G_N_ELEMENTS (positions); i++)
    if (g_strcmp0 (row->position, positions[i]) == 0)
      gtk_drop_down_set_selected (self->position, i);
  if (row != NULL && row->avatar != NULL)
    self->avatar = g_bytes_ref (row->avatar);
  adw_avatar_set_text (self->avatar_widget, row ? row->name : "");
  show_avatar (self);

  gtk_switch_set_active (self->chat_lock, self->chat_id != 0 && self->selected_id != 0 &&
                         natter_chat_store_get_persona_lock (self->store, self->chat_id, 0, NULL) == self->selected_id);
  gtk_switch_set_active (self->character_lock, self->character_id != 0 && self->selected_id != 0 &&
                         natter_chat_store_get_persona_lock (self->store, 0, self->character_id, NULL) == self->selected_id);
  self->loading = FALSE;
}

static GtkWidget *
persona_row (NatterPersonaRow *persona)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *avatar = adw_avatar_new (32, persona->name, TRUE);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), persona->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (persona->is_default)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Default"));
  if (persona->avatar != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (persona->avatar, NULL);

      if (texture != NULL)
        adw_avatar_set_custom_image (ADW_AVATAR (avatar), GDK_PAINTABLE (texture));
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  g_object_set_data (G_OBJECT (row), "persona-id", GSIZE_TO_POINTER (persona->id));
  return row;
}

static void
reload (NatterPersonasDialog *self)
{
  g_autoptr(GPtrArray) personas = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  GtkWidget *select = NULL;

  self->loading = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  personas = natter_chat_store_list_personas (self->store, &error);
  if (personas == NULL)
    {
      toast (self, error->message);
      personas = g_ptr_array_new ();
    }
  for (guint i = 0; i < personas->len; i++)
    {
      NatterPersonaRow *persona = g_ptr_array_index (personas, i);
      GtkWidget *row = persona_row (persona);

      gtk_list_box_append (self->list, row);
      if (persona->id == self->selected_id || (self->selected_id == 0 && persona->is_default))
        select = row;
    }
  if (select == NULL && personas->len > 0)
    select = gtk_widget_get_first_child (GTK_WIDGET (self->list));
  self->selected_id = select ? (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (select), "persona-id")) : 0;
  if (select != NULL)
    gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (select));
  self->loading = FALSE;
  load_form (self);
}

static void
on_row_selected (NatterPersonasDialog *self,
                 GtkListBoxRow        *row,
                 GtkListBox           *list)
{
  if (self->loading || row == NULL)
    return;
  self->selected_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "persona-id"));
  load_form (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  NatterPersonasDialog *self = NATTER_PERSONAS_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = natter_chat_store_add_persona (self->store, _("New Persona"), "", NULL, &error);
  if (id == 0)
    {
      toast (self, error->message);
      return;
    }
  self->selected_id = id;
  reload (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NatterPersonasDialog *self = NATTER_PERSONAS_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description);
  GtkTextIter start, end;
  guint position = gtk_drop_down_get_selected (self->position);

  if (self->selected_id == 0)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  description = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (!natter_chat_store_update_persona (self->store, self->selected_id,
                                         gtk_editable_get_text (GTK_EDITABLE (self->name_entry)),
                                         description, self->avatar,
                                         positions[MIN (position, G_N_ELEMENTS (positions) - 1)], &error))
    {
      toast (self, error->message);
      return;
    }
  reload (self);
  toast (self, _("Persona saved"));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NatterPersonasDialog *self = NATTER_PERSONAS_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (self->selected_id == 0)
    return;
  if (!natter_chat_store_delete_persona (self->store, self->selected_id, &error))
    {
      toast (self, error->message);
      return;
    }
  self->selected_id = 0;
  reload (self);
}

static void
make_default_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NatterPersonasDialog *self = NATTER_PERSONAS_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (self->selected_id == 0)
    return;
  if (!natter_chat_store_set_default_persona (self->store, self->selected_id, &error))
    {
      toast (self, error->message);
      return;
    }
  reload (self);
}

static void
on_lock_changed (NatterPersonasDialog *self,
                 GParamSpec           *pspec,
                 GtkSwitch            *lock)
{
  g_autoptr(GError) error = NULL;
  gboolean chat = lock == self->chat_lock;
  gint64 current;

  if (self->loading || self->selected_id == 0)
    return;
  current = natter_chat_store_get_persona_lock (self->store, chat ? self->chat_id : 0,
                                                chat ? 0 : self->character_id, NULL);
  if (gtk_switch_get_active (lock))
    natter_chat_store_lock_persona (self->store, self->selected_id, chat ? self->chat_id : 0,
                                    chat ? 0 : self->character_id, &error);
  else if (current == self->selected_id)
    natter_chat_store_lock_persona (self->store, 0, chat ? self->chat_id : 0,
                                    chat ? 0 : self->character_id, &error);
  if (error != NULL)
    toast (self, error->message);
}

static void
on_avatar_cropped (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  NatterPersonasDialog *self = NATTER_PERSONAS_DIALOG (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = natter_avatar_crop_dialog_choose_finish (GTK_WINDOW (self), result, &error);

  if (png == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  g_clear_pointer (&self->avatar, g_bytes_unref);
  self->avatar = g_steal_pointer (&png);
  show_avatar (self);
}

static void
on_avatar_response (GtkNativeDialog      *dialog,
                    int                   response,
                    NatterPersonasDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        natter_avatar_crop_dialog_choose_async (GTK_WINDOW (self), path, self->cancellable,
                                                on_avatar_cropped, NULL);
      g_free (path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_avatar_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NatterPersonasDialog *self = NATTER_PERSONAS_DIALOG (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose an Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_avatar_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
remove_avatar_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NatterPersonasDialog *self = NATTER_PERSONAS_DIALOG (widget);

  g_clear_pointer (&self->avatar, g_bytes_unref);
  show_avatar (self);
}

static void
natter_personas_dialog_dispose (GObject *object)
{
  NatterPersonasDialog *self = NATTER_PERSONAS_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_PERSONAS_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->avatar, g_bytes_unref);

  G_OBJECT_CLASS (natter_personas_dialog_parent_class)->dispose (object);
}

static void
natter_personas_dialog_class_init (NatterPersonasDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_personas_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-personas-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterPersonasDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NatterPersonasDialog, list);
  gtk_widget_class_bind_template_child (widget_class, NatterPersonasDialog, form);
  gtk_widget_class_bind_template_child_full (widget_class, "avatar", FALSE,
                                             G_STRUCT_OFFSET (NatterPersonasDialog, avatar_widget));
  gtk_widget_class_bind_template_child (widget_class, NatterPersonasDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterPersonasDialog, position);
  gtk_widget_class_bind_template_child (widget_class, NatterPersonasDialog, description);
  gtk_widget_class_bind_template_child (widget_class, NatterPersonasDialog, chat_lock_row);
  gtk_widget_class_bind_template_child (widget_class, NatterPersonasDialog, character_lock_row);
  gtk_widget_class_bind_template_child (widget_class, NatterPersonasDialog, chat_lock);
  gtk_widget_class_bind_template_child (widget_class, NatterPersonasDialog, character_lock);

  gtk_widget_class_install_action (widget_class, "personas.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "personas.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "personas.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "personas.make-default", NULL, make_default_action);
  gtk_widget_class_install_action (widget_class, "personas.choose-avatar", NULL, choose_avatar_action);
  gtk_widget_class_install_action (widget_class, "personas.remove-avatar", NULL, remove_avatar_action);
}

static void
natter_personas_dialog_init (NatterPersonasDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
  g_signal_connect_object (self->list, "row-selected", G_CALLBACK (on_row_selected), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chat_lock, "notify::active", G_CALLBACK (on_lock_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->character_lock, "notify::active", G_CALLBACK (on_lock_changed), self,
                           G_CONNECT_SWAPPED);
}

NatterPersonasDialog *
natter_personas_dialog_new (GtkWindow       *parent,
                            NatterChatStore *store,
                            gint64           chat_id,
                            gint64           character_id)
{
  NatterPersonasDialog *self;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  self = g_object_new (NATTER_TYPE_PERSONAS_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->chat_id = chat_id;
  self->character_id = character_id;
  gtk_widget_set_visible (self->chat_lock_row, chat_id != 0);
  gtk_widget_set_visible (self->character_lock_row, character_id != 0);
  reload (self);
  return self;
}

GtkListBox *
natter_personas_dialog_get_list (NatterPersonasDialog *self)
{
  return self->list;
}

GtkEditable *
natter_personas_dialog_get_name_entry (NatterPersonasDialog *self)
{
  return GTK_EDITABLE (self->name_entry);
}

GtkTextView *
natter_personas_dialog_get_description (NatterPersonasDialog *self)
{
  return self->description;
}

GtkSwitch *
natter_personas_dialog_get_chat_lock (NatterPersonasDialog *self)
{
  return self->chat_lock;
}

GtkSwitch *
natter_personas_dialog_get_character_lock (NatterPersonasDialog *self)
{
  return self->character_lock;
}

GtkDropDown *
natter_personas_dialog_get_position (NatterPersonasDialog *self)
{
  return self->position;
}

gint64
natter_personas_dialog_get_selected_id (NatterPersonasDialog *self)
{
  return self->selected_id;
}
