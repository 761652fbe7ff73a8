/* natter-window-characters.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's character, persona and lorebook actions: make, edit,
 * duplicate and delete (with undo) characters; the Personas and
 * Lorebooks windows. */

#define G_LOG_DOMAIN "natter-window"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-card.h"
#include "natter-card-edit.h"
#include "natter-character-editor.h"
#include "natter-character-page-private.h"
#include "natter-lorebook-editor.h"
#include "natter-personas-dialog.h"
#include "natter-toasts.h"
#include "natter-window-private.h"

#define PENDING_KEY "natter-pending-character-delete"

static void
show_character (NatterWindow *self,
                gint64        character_id)
{
  g_autoptr(GError) error = NULL;

  if (!natter_character_page_set_character (self->character_page, self->chats, character_id, &error))
    {
      _natter_window_toast (self, error->message);
      return;
    }
  gtk_stack_set_visible_child_name (self->main_stack, "character");
}

static gint64
shown_character (NatterWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "character") != 0)
    return 0;
  return natter_character_page_get_character_id (self->character_page);
}

static void
on_editor_saved (NatterWindow *self,
                 gint64        character_id)
{
  show_character (self, character_id);
}

static void
open_editor (NatterWindow *self,
             gint64        character_id)
{
  g_autoptr(GError) error = NULL;
  NatterCharacterEditor *editor;

  if (self->chats == NULL)
    return;
  editor = natter_character_editor_new (GTK_WINDOW (self), self->chats, character_id, &error);
  if (editor == NULL)
    {
      _natter_window_toast (self, error->message);
      return;
    }
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
new_character_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  open_editor (NATTER_WINDOW (widget), 0);
}

static void
edit_character_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  gint64 id = shown_character (self);

  if (id != 0)
    open_editor (self, id);
}

static void
duplicate_character_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(NatterCard) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *json = NULL;
  gint64 id = shown_character (self), new_id;

  if (id == 0)
    return;
  if ((row = natter_chat_store_get_character (self->chats, id, &error)) == NULL ||
      (card = natter_card_new_from_json (row->card_json, &error)) == NULL)
    {
      _natter_window_toast (self, error->message);
      return;
    }
  /* Translators: the name of a duplicated character */
  name = g_strdup_printf (_("%s (copy)"), natter_card_get_name (card));
  copy = natter_card_copy_renamed (card, name);
  json = natter_card_dup_json (copy);
  new_id = natter_chat_store_add_character (self->chats, NULL, json, row->avatar, &error);
  if (new_id == 0)
    {
      _natter_window_toast (self, error->message);
      return;
    }
  show_character (self, new_id);
  _natter_window_toast (self, _("Character duplicated"));
}

/* A deletion waiting for its undo toast to go away; done when the toast
 * is dismissed or, at the latest, when the window goes. */
typedef struct
{
  NatterChatStore *store;
  gint64           id;
  GWeakRef         toast;
} PendingDelete;

static void
pending_delete_free (gpointer data)
{
  PendingDelete *pending = data;
  g_autoptr(GError) error = NULL;

  if (pending->id != 0 && !natter_chat_store_delete_character (pending->store, pending->id, &error))
    g_warning ("Could not delete character %" G_GINT64_FORMAT ": %s", pending->id, error->message);
  g_weak_ref_clear (&pending->toast);
  g_object_unref (pending->store);
  g_free (pending);
}

/* The deletion @toast tells of, if it is still the one waiting. */
static PendingDelete *
toast_pending (AdwToast     *toast,
               NatterWindow *self)
{
  PendingDelete *pending = g_object_get_data (G_OBJECT (self), PENDING_KEY);
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "character-id"));

  return pending != NULL && pending->id == id ? pending : NULL;
}

static void
on_delete_dismissed (AdwToast     *toast,
                     NatterWindow *self)
{
  /* Deletes it unless Undo took it back; a later deletion is not this
   * toast's to finish. */
  if (toast_pending (toast, self) != NULL)
    g_object_set_data (G_OBJECT (self), PENDING_KEY, NULL);
}

static void
on_delete_undo (AdwToast     *toast,
                NatterWindow *self)
{
  PendingDelete *pending = toast_pending (toast, self);
  gint64 id;

  if (pending == NULL)
    return;
  id = pending->id;
  pending->id = 0;
  g_object_set_data (G_OBJECT (self), PENDING_KEY, NULL);
  show_character (self, id);
}

static void
delete_character_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  PendingDelete *pending;
  AdwToast *toast;
  gint64 id = shown_character (self);

  if (id == 0)
    return;
  if ((row = natter_chat_store_get_character (self->chats, id, &error)) == NULL)
    {
      _natter_window_toast (self, error->message);
      return;
    }

  /* One at a time: an earlier one happens now, and its Undo goes. */
  if ((pending = g_object_get_data (G_OBJECT (self), PENDING_KEY)) != NULL)
    {
      g_autoptr(AdwToast) earlier = g_weak_ref_get (&pending->toast);

      g_object_set_data (G_OBJECT (self), PENDING_KEY, NULL);
      if (earlier != NULL)
        natter_toasts_withdraw (self->toast_overlay, earlier);
    }
  pending = g_new0 (PendingDelete, 1);
  pending->store = g_object_ref (self->chats);
  pending->id = id;
  g_weak_ref_init (&pending->toast, NULL);
  g_object_set_data_full (G_OBJECT (self), PENDING_KEY, pending, pending_delete_free);

  gtk_stack_set_visible_child_name (self->main_stack, self->session != NULL ? "chat" : "welcome");

  /* Translators: %s is a character's name */
  title = g_strdup_printf (_("“%s” deleted"), row->name);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data (G_OBJECT (toast), "character-id", GSIZE_TO_POINTER (id));
  g_weak_ref_set (&pending->toast, toast);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_delete_undo), self, 0);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_delete_dismissed), self, 0);
  _natter_window_show_toast (self, toast);
}

static void
personas_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  NatterPersonasDialog *dialog;
  gint64 chat_id = natter_window_get_chat_id (self);
  gint64 character_id = shown_character (self);

  if (self->chats == NULL)
    return;
  if (character_id == 0 && chat_id != 0)
    {
      g_autoptr(NatterChat) chat = natter_chat_store_get_chat (self->chats, chat_id, NULL);

      if (chat != NULL)
        character_id = natter_chat_get_character_id (chat);
    }
  dialog = natter_personas_dialog_new (GTK_WINDOW (self), self->chats, chat_id, character_id);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
lorebooks_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  NatterLorebookEditor *editor;

  if (self->chats == NULL)
    return;
  editor = natter_lorebook_editor_new (GTK_WINDOW (self), self->chats,
                                       shown_character (self), natter_window_get_chat_id (self));
  gtk_window_present (GTK_WINDOW (editor));
}

void
_natter_window_class_characters_init (NatterWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.new-character", NULL, new_character_action);
  gtk_widget_class_install_action (widget_class, "win.edit-character", NULL, edit_character_action);
  gtk_widget_class_install_action (widget_class, "win.duplicate-character", NULL,
                                   duplicate_character_action);
  gtk_widget_class_install_action (widget_class, "win.delete-character", NULL, delete_character_action);
  gtk_widget_class_install_action (widget_class, "win.personas", NULL, personas_action);
  gtk_widget_class_install_action (widget_class, "win.lorebooks", NULL, lorebooks_action);

  /* Their shortcuts are application accelerators (natter-application.c). */
}
