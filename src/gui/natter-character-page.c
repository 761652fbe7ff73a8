/* natter-character-page.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-character-page"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-card.h"
#include "natter-character-page-private.h"
#include "natter-toasts.h"

struct _NatterCharacterPage
{
  AdwBin           parent_instance;

  NatterChatStore *store;
  NatterCard      *card;
  gint64           character_id;

  AdwAvatar       *avatar;
  GtkLabel        *name_label;
  GtkLabel        *description_label;
  GtkListBox      *chat_list;
};

G_DEFINE_FINAL_TYPE (NatterCharacterPage, natter_character_page, ADW_TYPE_BIN)

enum {
  OPEN_CHAT,
  NEW_CHAT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_chat_row_activated (NatterCharacterPage *self,
                       GtkListBoxRow       *row,
                       GtkListBox          *list)
{
  gint64 chat_id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "chat-id"));

  g_signal_emit (self, signals[OPEN_CHAT], 0, chat_id);
}

static void
new_chat_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  NatterCharacterPage *self = NATTER_CHARACTER_PAGE (widget);

  if (self->character_id != 0)
    g_signal_emit (self, signals[NEW_CHAT], 0, self->character_id);
}

static void
on_export_response (GtkNativeDialog     *dialog,
                    int                  response,
                    NatterCharacterPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr(GError) error = NULL;

      if (path == NULL || !natter_character_page_export (self, path, &error))
        {
          GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
          g_autofree char *message = g_strdup_printf (_("Could not export: %s"),
                                                      error ? error->message : _("not a local file"));

          if (overlay != NULL)
            natter_toasts_add (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NatterCharacterPage *self = NATTER_CHARACTER_PAGE (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->card == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export Character Card"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("%s.png", natter_card_get_name (self->card));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  add_filter (GTK_FILE_CHOOSER (chooser), _("PNG card"), "*.png");
  add_filter (GTK_FILE_CHOOSER (chooser), _("CHARX archive"), "*.charx");
  add_filter (GTK_FILE_CHOOSER (chooser), _("JSON card"), "*.json");
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
natter_character_page_dispose (GObject *object)
{
  NatterCharacterPage *self = (NatterCharacterPage *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->card);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_CHARACTER_PAGE);

  G_OBJECT_CLASS (natter_character_page_parent_class)->dispose (object);
}

static void
natter_character_page_class_init (NatterCharacterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_character_page_dispose;

  signals[OPEN_CHAT] = g_signal_new ("open-chat", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[NEW_CHAT] = g_signal_new ("new-chat", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-character-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterCharacterPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, NatterCharacterPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, NatterCharacterPage, description_label);
  gtk_widget_class_bind_template_child (widget_class, NatterCharacterPage, chat_list);

  gtk_widget_class_install_action (widget_class, "character.new-chat", NULL, new_chat_action);
  gtk_widget_class_install_action (widget_class, "character.export", NULL, export_action);
}

/* Delete on the page (not on one of its chats) does what the menu's
 * Delete does: the character goes, with an Undo toast. */
static gboolean
on_key_pressed (NatterCharacterPage   *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  state &= gtk_accelerator_get_default_mod_mask ();
  if ((keyval != GDK_KEY_Delete && keyval != GDK_KEY_KP_Delete) || state != 0)
    return GDK_EVENT_PROPAGATE;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->chat_list)))
    return GDK_EVENT_PROPAGATE;
  if (self->character_id == 0)
    return GDK_EVENT_PROPAGATE;
  return gtk_widget_activate_action (GTK_WIDGET (self), "win.delete-character", NULL);
}

static void
natter_character_page_init (NatterCharacterPage *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
  g_signal_connect_object (self->chat_list, "row-activated",
                           G_CALLBACK (on_chat_row_activated), self, G_CONNECT_SWAPPED);

  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  /* Screen readers announce the key with the page. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, "Delete",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Delete deletes the character; Undo in the notification brings it back"),
                                  -1);
}

GtkWidget *
natter_character_page_new (void)
{
  return g_object_new (NATTER_TYPE_CHARACTER_PAGE, NULL);
}

gboolean
natter_character_page_set_character (NatterCharacterPage  *self,
                                     NatterChatStore      *store,
                                     gint64                character_id,
                                     GError              **error)
{
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(GPtrArray) chats = NULL;
  g_autoptr(NatterCard) card = NULL;
  GtkWidget *child;

  g_return_val_if_fail (NATTER_IS_CHARACTER_PAGE (self), FALSE);
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), FALSE);

  row = natter_chat_store_get_character (store, character_id, error);
  if (row == NULL)
    return FALSE;
  card = natter_card_new_from_json (row->card_json, error);
  if (card == NULL)
    return FALSE;
  if (row->avatar != NULL)
    natter_card_set_avatar (card, row->avatar);
  chats = natter_chat_store_list_chats (store, character_id, error);
  if (chats == NULL)
    return FALSE;

  g_set_object (&self->store, store);
  g_set_object (&self->card, card);
  self->character_id = character_id;

  gtk_label_set_text (self->name_label, row->name);
  adw_avatar_set_text (self->avatar, row->name);
  adw_avatar_set_custom_image (self->avatar, NULL);
  if (row->avatar != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (row->avatar, NULL);

      if (texture != NULL)
        adw_avatar_set_custom_image (self->avatar, GDK_PAINTABLE (texture));
    }
  gtk_label_set_text (self->description_label,
                      natter_card_get_description (card) ? natter_card_get_description (card) : "");

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chat_list))) != NULL)
    gtk_list_box_remove (self->chat_list, child);
  for (guint i = 0; i < chats->len; i++)
    {
      NatterChat *chat = g_ptr_array_index (chats, i);
      GtkWidget *chat_row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (chat_row), natter_chat_get_title (chat));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (chat_row), TRUE);
      g_object_set_data (G_OBJECT (chat_row), "chat-id", GSIZE_TO_POINTER (natter_chat_get_id (chat)));
      gtk_list_box_append (self->chat_list, chat_row);
    }

  return TRUE;
}

gint64
natter_character_page_get_character_id (NatterCharacterPage *self)
{
  g_return_val_if_fail (NATTER_IS_CHARACTER_PAGE (self), 0);
  return self->character_id;
}

gboolean
natter_character_page_export (NatterCharacterPage  *self,
                              const char           *path,
                              GError              **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (NATTER_IS_CHARACTER_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->card == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No character is shown"));
      return FALSE;
    }

  /* The format follows the name: .json, .charx, else PNG. */
  if (g_str_has_suffix (path, ".json"))
    bytes = natter_card_export_json (self->card);
  else if (g_str_has_suffix (path, ".charx"))
    bytes = natter_card_export_charx (self->card, NULL, error);
  else
    bytes = natter_card_export_png (self->card, error);
  if (bytes == NULL)
    return FALSE;

  /* g_file_set_contents writes a temporary file and renames it: never a
   * half-written card. */
  return g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}
