/* natter-window-actions.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's actions: new chat, stop, and what can be done to a chat
 * (rename, duplicate, export, import, delete with undo). The chat actions
 * that take a chat id treat 0 as the chat shown. */

#define G_LOG_DOMAIN "natter-window"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-chat-tools-dialog.h"
#include "natter-schema-dialog.h"
#include "natter-note-dialog.h"
#include "natter-st-chat.h"
#include "natter-toasts.h"
#include "natter-window-private.h"

static gint64
target_chat (NatterWindow *self,
             GVariant     *parameter)
{
  gint64 id = parameter != NULL ? g_variant_get_int64 (parameter) : 0;

  return id != 0 ? id : natter_window_get_chat_id (self);
}

/* New chats */

void
_natter_window_start_plain_chat (NatterWindow *self)
{
  natter_window_open_chat (self, 0);
  _natter_window_sync_active_profile (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

static void
on_new_chat_chosen (NatterWindow        *self,
                    gint64               character_id,
                    NatterNewChatDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  gint64 chat_id;

  if (character_id == 0)
    {
      _natter_window_start_plain_chat (self);
      return;
    }
  chat_id = _natter_window_new_character_chat (self, character_id, &error);
  if (chat_id <= 0)
    _natter_window_toast (self, error ? error->message : _("Could not start the chat"));
  else
    natter_window_open_chat (self, chat_id);
}

/* Ctrl+N: a plain chat or one with a character; with no characters
 * stored, straight to the plain chat. */
static void
new_chat_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  g_autoptr(GPtrArray) characters = NULL;

  if (self->chats != NULL)
    characters = natter_chat_store_list_characters (self->chats, NULL);
  if (characters == NULL || characters->len == 0)
    {
      _natter_window_start_plain_chat (self);
      return;
    }

  if (self->new_chat_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->new_chat_dialog));
      return;
    }
  self->new_chat_dialog = natter_new_chat_dialog_new (GTK_WINDOW (self), self->chats);
  g_object_add_weak_pointer (G_OBJECT (self->new_chat_dialog), (gpointer *)&self->new_chat_dialog);
  g_signal_connect_object (self->new_chat_dialog, "chosen", G_CALLBACK (on_new_chat_chosen),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->new_chat_dialog));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);

  if (self->session != NULL)
    natter_chat_session_stop (self->session);
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_autoptr(GError) error = NULL;

  if (!_natter_window_continue_reply (NATTER_WINDOW (widget), &error))
    _natter_window_toast (NATTER_WINDOW (widget), error->message);
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar_page);
}

/* Rename */

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    NatterWindow     *self)
{
  GtkEditable *entry = GTK_EDITABLE (g_object_get_data (G_OBJECT (dialog), "entry"));
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "rename"))
    return;
  if (!natter_window_rename_chat (self, gtk_editable_get_text (entry), &error))
    _natter_window_toast (self, error->message);
}

static void
rename_chat_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  g_autoptr(NatterChat) chat = NULL;
  gint64 chat_id = natter_window_get_chat_id (self);
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (chat_id == 0 || self->chats == NULL)
    {
      _natter_window_toast (self, _("Send a message first: a new chat is saved with it"));
      return;
    }
  chat = natter_chat_store_get_chat (self->chats, chat_id, NULL);

  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), chat ? natter_chat_get_title (chat) : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Chat name"), -1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Rename Chat"), NULL));
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "rename");
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, 0);
  natter_a11y_fix_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
natter_window_rename_chat (NatterWindow  *self,
                           const char    *title,
                           GError       **error)
{
  g_autofree char *clean = NULL;
  gint64 chat_id;

  g_return_val_if_fail (NATTER_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (title != NULL, FALSE);

  chat_id = natter_window_get_chat_id (self);
  clean = g_strstrip (g_strdup (title));
  if (*clean == '\0')
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("A chat needs a name"));
      return FALSE;
    }
  if (chat_id == 0 || self->chats == NULL)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   _("This chat is not saved yet"));
      return FALSE;
    }
  if (!natter_chat_store_rename_chat (self->chats, chat_id, clean, error))
    return FALSE;

  _natter_window_update_title (self);
  return TRUE;
}

/* Delete, with undo */

static void
forget_session (NatterWindow *self,
                gint64        chat_id)
{
  NatterChatSession *session = g_hash_table_lookup (self->sessions, &chat_id);

  if (session != NULL)
    natter_chat_session_stop (session);
  if (natter_window_get_chat_id (self) == chat_id)
    natter_window_open_chat (self, 0);
  g_hash_table_remove (self->sessions, &chat_id);
}

void
_natter_window_finish_pending_delete (NatterWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = self->pending_delete_id;

  if (id == 0)
    return;
  self->pending_delete_id = 0;
  if (self->chats != NULL && !natter_chat_store_delete_chat (self->chats, id, &error))
    g_warning ("Could not delete chat %" G_GINT64_FORMAT ": %s", id, error->message);
  if (self->sidebar != NULL)
    natter_sidebar_set_hidden_chat (self->sidebar, 0);
}

static void
on_delete_toast_dismissed (AdwToast     *toast,
                           NatterWindow *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "chat-id"));

  if (self->pending_delete_id == id)
    _natter_window_finish_pending_delete (self);
}

static void
on_delete_undo (AdwToast     *toast,
                NatterWindow *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "chat-id"));

  if (self->pending_delete_id != id)
    return;
  self->pending_delete_id = 0;
  natter_sidebar_set_hidden_chat (self->sidebar, 0);
  natter_window_open_chat (self, id);
}

#define CHAT_TOAST_KEY "natter-chat-delete-toast"

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Hides the chat at once and deletes it when the toast goes away (or the
 * window closes) without Undo. */
static void
delete_chat_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  gint64 id = target_chat (self, parameter);
  AdwToast *toast;
  GWeakRef *earlier_ref = g_object_get_data (G_OBJECT (self), CHAT_TOAST_KEY);
  g_autoptr(AdwToast) earlier = earlier_ref != NULL ? g_weak_ref_get (earlier_ref) : NULL;
  GWeakRef *toast_ref;

  if (id == 0)
    return;

  /* One pending deletion at a time: the previous one happens now, and its
   * Undo goes. */
  _natter_window_finish_pending_delete (self);
  if (earlier != NULL)
    natter_toasts_withdraw (self->toast_overlay, earlier);

  self->pending_delete_id = id;
  natter_sidebar_set_hidden_chat (self->sidebar, id);
  forget_session (self, id);

  toast = adw_toast_new (_("Chat deleted"));
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data (G_OBJECT (toast), "chat-id", GSIZE_TO_POINTER (id));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_delete_undo), self, 0);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_delete_toast_dismissed), self, 0);
  toast_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (toast_ref, toast);
  g_object_set_data_full (G_OBJECT (self), CHAT_TOAST_KEY, toast_ref, weak_ref_free);
  _natter_window_show_toast (self, toast);
}

static void
on_delete_now_response (AdwMessageDialog *dialog,
                        const char       *response,
                        NatterWindow     *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "chat-id"));
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "delete"))
    return;
  if (self->pending_delete_id == id)
    self->pending_delete_id = 0;
  forget_session (self, id);
  if (self->chats != NULL && !natter_chat_store_delete_chat (self->chats, id, &error))
    _natter_window_toast (self, error->message);
}

/* Shift+Delete: at once, without undo, once the person confirms. */
static void
delete_chat_now_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  gint64 id = target_chat (self, parameter);
  g_autoptr(NatterChat) chat = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (id == 0 || self->chats == NULL)
    return;
  chat = natter_chat_store_get_chat (self->chats, id, NULL);
  if (chat == NULL)
    return;
  /* Translators: the chat's title */
  body = g_strdup_printf (_("“%s” and all its messages are deleted. This cannot be undone."),
                          natter_chat_get_title (chat));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Delete Chat?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "chat-id", GSIZE_TO_POINTER (id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_now_response), self, 0);
  natter_a11y_fix_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Duplicate, export, import */

static void
duplicate_chat_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  gint64 id = target_chat (self, parameter);
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  gint64 copy;

  if (id == 0 || self->chats == NULL)
    return;
  chat = natter_chat_store_get_chat (self->chats, id, &error);
  if (chat != NULL)
    last = natter_chat_store_page_messages (self->chats, id, -1, 1, &error);
  if (last == NULL)
    {
      _natter_window_toast (self, error->message);
      return;
    }
  /* Translators: the title of a copy of a chat */
  title = g_strdup_printf (_("%s (copy)"), natter_chat_get_title (chat));
  if (last->len > 0)
    copy = natter_chat_store_branch_chat (self->chats, id,
                                          natter_chat_message_get_id (g_ptr_array_index (last, 0)),
                                          title, &error);
  else
    copy = natter_chat_store_new_chat (self->chats, natter_chat_get_character_id (chat), title, &error);
  if (copy <= 0)
    {
      _natter_window_toast (self, error->message);
      return;
    }
  natter_window_open_chat (self, copy);
  _natter_window_toast (self, _("Chat duplicated"));
}

typedef struct
{
  gint64  chat_id;
  char   *path;
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_free (job->path);
  g_free (job);
}

/* On the store's worker thread: a long chat takes a while to write. */
static gint64
export_chat_work (NatterChatStore  *store,
                  gpointer          data,
                  GCancellable     *cancellable,
                  GError          **error)
{
  ExportJob *job = data;

  return _natter_window_export_chat_file (store, job->chat_id, job->path, error) ? 1 : 0;
}

static void
on_chat_exported (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(NatterWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (natter_chat_store_run_finish (NATTER_CHAT_STORE (source), result, &error) > 0)
    _natter_window_toast (self, _("Chat exported"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _natter_window_toast (self, error->message);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    NatterWindow    *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "chat-id"));

  if (response == GTK_RESPONSE_ACCEPT && self->chats != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path == NULL)
        _natter_window_toast (self, _("Only local files can be written"));
      else
        {
          ExportJob *job = g_new0 (ExportJob, 1);

          job->chat_id = id;
          job->path = g_steal_pointer (&path);
          natter_chat_store_run_async (self->chats, export_chat_work, job, export_job_free,
                                       self->cancellable, on_chat_exported, g_object_ref (self));
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* SillyTavern's JSONL, which SillyTavern and Natter import. */
static void
export_chat_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  gint64 id = target_chat (self, parameter);
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (id == 0 || self->chats == NULL ||
      (chat = natter_chat_store_get_chat (self->chats, id, NULL)) == NULL)
    {
      _natter_window_toast (self, _("Send a message first: a new chat is saved with it"));
      return;
    }
  gtk_file_filter_set_name (filter, _("Chats (JSONL)"));
  gtk_file_filter_add_suffix (filter, "jsonl");
  name = g_strdup_printf ("%s.jsonl", natter_chat_get_title (chat));
  g_strdelimit (name, "/\\", '-');

  chooser = gtk_file_chooser_native_new (_("Export Chat"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  _natter_window_add_export_filters (GTK_FILE_CHOOSER (chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "chat-id", GSIZE_TO_POINTER (id));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_chat_imported (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(NatterWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = natter_chat_store_import_st_chat_finish (NATTER_CHAT_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (id <= 0)
    _natter_window_toast (self, error->message);
  else
    natter_window_open_chat (self, id);
}

/* A long chat imports on a worker thread; the window opens it when done. */
static void
on_import_chat_response (GtkNativeDialog *dialog,
                         int              response,
                         NatterWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->chats != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path == NULL)
        _natter_window_toast (self, _("Only local files can be imported"));
      else if (g_str_has_suffix (path, ".json"))
        _natter_window_import_group (self, path);
      else
        natter_chat_store_import_st_chat_async (self->chats, path, 0, NULL, self->cancellable,
                                                on_chat_imported, g_object_ref (self));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
import_chat_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  gtk_file_filter_set_name (filter, _("Chats (JSONL) and group definitions (JSON)"));
  gtk_file_filter_add_suffix (filter, "jsonl");
  gtk_file_filter_add_suffix (filter, "json");
  chooser = gtk_file_chooser_native_new (_("Import Chat"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_chat_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Which MCP servers the chat may use. */
static void
chat_tools_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  NatterDatabase *db = app != NULL ? natter_application_get_database (NATTER_APPLICATION (app)) : NULL;
  gint64 chat_id = natter_window_get_chat_id (self);

  if (chat_id == 0 || db == NULL)
    {
      _natter_window_toast (self, _("Send a message first: a new chat is saved with it"));
      return;
    }
  gtk_window_present (GTK_WINDOW (natter_chat_tools_dialog_new (GTK_WINDOW (self), db, chat_id)));
}

/* The JSON Schema the chat's replies are asked to follow. */
static void
response_format_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  NatterChatStore *store = app != NULL ? natter_application_get_chat_store (NATTER_APPLICATION (app)) : NULL;
  gint64 chat_id = natter_window_get_chat_id (self);

  if (chat_id == 0 || store == NULL)
    {
      _natter_window_toast (self, _("Send a message first: a new chat is saved with it"));
      return;
    }
  gtk_window_present (GTK_WINDOW (natter_schema_dialog_new (GTK_WINDOW (self), store, chat_id)));
}

/* The chat's author's note. */
static void
authors_note_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  NatterChatStore *store = app != NULL ? natter_application_get_chat_store (NATTER_APPLICATION (app)) : NULL;
  gint64 chat_id = natter_window_get_chat_id (self);

  if (chat_id == 0 || store == NULL)
    {
      _natter_window_toast (self, _("Send a message first: a new chat is saved with it"));
      return;
    }
  gtk_window_present (GTK_WINDOW (natter_note_dialog_new (GTK_WINDOW (self), store, chat_id)));
}

void
_natter_window_class_actions_init (NatterWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.new-chat", NULL, new_chat_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "win.rename-chat", NULL, rename_chat_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.delete-chat", "x", delete_chat_action);
  gtk_widget_class_install_action (widget_class, "win.delete-chat-now", "x", delete_chat_now_action);
  gtk_widget_class_install_action (widget_class, "win.duplicate-chat", "x", duplicate_chat_action);
  gtk_widget_class_install_action (widget_class, "win.export-chat", "x", export_chat_action);
  gtk_widget_class_install_action (widget_class, "win.import-chat", NULL, import_chat_action);
  gtk_widget_class_install_action (widget_class, "win.chat-tools", NULL, chat_tools_action);
  gtk_widget_class_install_action (widget_class, "win.response-format", NULL, response_format_action);
  gtk_widget_class_install_action (widget_class, "win.authors-note", NULL, authors_note_action);
}
