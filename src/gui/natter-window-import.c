/* natter-window-import.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Character cards into the window: the file chooser, drag and drop, and
 * the chats that start with a character. */

#define G_LOG_DOMAIN "natter-window"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-window-private.h"

typedef struct
{
  GFile      *file;
  NatterCard *card;
} ImportJob;

static void
import_job_free (gpointer data)
{
  ImportJob *job = data;

  g_clear_object (&job->file);
  g_clear_object (&job->card);
  g_free (job);
}

/* Parsing a card (PNG chunks, zip, base64, JSON) can take a while for
 * large files: off the main thread. */
static void
load_card_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autofree char *path = g_file_get_path (job->file);
  GError *error = NULL;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only local files can be imported"));
      return;
    }

  job->card = natter_card_load_file (path, &error);
  if (job->card == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* A chat with the character starts with its greeting (macros expanded);
 * the alternate greetings are swipes of it. */
gint64
_natter_window_new_character_chat (NatterWindow  *self,
                                   gint64         character_id,
                                   GError       **error)
{
  NatterConversation *conversation = natter_application_get_conversation (self->application);

  if (conversation == NULL)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_FAILED,
                   _("The chat database is not open"));
      return 0;
    }
  return natter_conversation_new_chat (conversation, character_id, NULL, error);
}

static void
on_character_open_chat (NatterWindow        *self,
                        gint64               chat_id,
                        NatterCharacterPage *page)
{
  natter_window_open_chat (self, chat_id);
}

static void
on_character_new_chat (NatterWindow        *self,
                       gint64               character_id,
                       NatterCharacterPage *page)
{
  g_autoptr(GError) error = NULL;
  gint64 chat_id;

  chat_id = _natter_window_new_character_chat (self, character_id, &error);
  if (chat_id <= 0)
    {
      _natter_window_toast (self, error ? error->message : _("Could not start the chat"));
      return;
    }
  natter_window_open_chat (self, chat_id);
}

gint64
natter_window_add_character (NatterWindow  *self,
                             NatterCard    *card,
                             GError       **error)
{
  g_autofree char *json = NULL;
  gint64 character_id, chat_id;

  g_return_val_if_fail (NATTER_IS_WINDOW (self), 0);
  g_return_val_if_fail (NATTER_IS_CARD (card), 0);

  if (self->chats == NULL)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_FAILED,
                   _("The chat database is not open"));
      return 0;
    }

  json = natter_card_dup_json (card);
  character_id = natter_chat_store_add_character (self->chats, natter_card_get_name (card), json,
                                                  natter_card_get_avatar (card), error);
  if (character_id <= 0)
    return 0;

  chat_id = _natter_window_new_character_chat (self, character_id, error);
  if (chat_id <= 0)
    return 0;

  natter_window_open_chat (self, chat_id);
  return chat_id;
}

static void
on_card_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  NatterWindow *self = NATTER_WINDOW (source);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autofree char *basename = g_file_get_basename (job->file);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      natter_window_add_character (self, job->card, &error) <= 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: "Could not import “x.png”: <reason>" */
      message = g_strdup_printf (_("Could not import “%s”: %s"), basename, error->message);
      _natter_window_toast (self, message);
      self->n_import_failures++;
      return;
    }

  /* Translators: a character card was imported */
  message = g_strdup_printf (_("Imported %s"), natter_card_get_name (job->card));
  _natter_window_toast (self, message);
}

void
natter_window_import_files (NatterWindow  *self,
                            GFile        **files,
                            int            n_files)
{
  g_return_if_fail (NATTER_IS_WINDOW (self));

  for (int i = 0; i < n_files; i++)
    {
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_card_loaded, NULL);
      ImportJob *job = g_new0 (ImportJob, 1);

      job->file = g_object_ref (files[i]);
      g_task_set_source_tag (task, natter_window_import_files);
      g_task_set_task_data (task, job, import_job_free);
      g_task_run_in_thread (task, load_card_thread);
    }
}

guint
natter_window_get_n_import_failures (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), 0);
  return self->n_import_failures;
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         NatterWindow  *self)
{
  GdkFileList *list;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  list = g_value_get_boxed (value);
  for (GSList *l = gdk_file_list_get_files (list); l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  natter_window_import_files (self, (GFile **) files->pdata, files->len);
  return files->len > 0;
}

static void
on_import_response (GtkNativeDialog *dialog,
                    int              response,
                    NatterWindow    *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      natter_window_import_files (self, (GFile **) array->pdata, array->len);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
import_card_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Character Cards (PNG, JSON, CHARX)"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "png");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_suffix (filter, "charx");

  chooser = gtk_file_chooser_native_new (_("Import Character Cards"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
show_character_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GError) error = NULL;
  gint64 chat_id = natter_window_get_chat_id (self);

  if (self->chats == NULL || chat_id == 0)
    return;
  chat = natter_chat_store_get_chat (self->chats, chat_id, NULL);
  if (chat == NULL || natter_chat_get_character_id (chat) == 0)
    return;
  if (!natter_character_page_set_character (self->character_page, self->chats,
                                            natter_chat_get_character_id (chat), &error))
    {
      _natter_window_toast (self, error->message);
      return;
    }
  gtk_stack_set_visible_child_name (self->main_stack, "character");
}

void
_natter_window_class_import_init (NatterWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_callback (widget_class, on_character_open_chat);
  gtk_widget_class_bind_template_callback (widget_class, on_character_new_chat);
  gtk_widget_class_install_action (widget_class, "win.import-card", NULL, import_card_action);
  gtk_widget_class_install_action (widget_class, "win.show-character", NULL, show_character_action);
}

void
_natter_window_import_init (NatterWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
