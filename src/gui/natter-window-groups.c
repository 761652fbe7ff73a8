/* natter-window-groups.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "natter-chat-export.h"
#include "natter-chat-row.h"
#include "natter-composer.h"
#include "natter-conversation-group.h"
#include "natter-group-dialog.h"
#include "natter-st-group.h"
#include "natter-sidebar-private.h"
#include "natter-window-private.h"

/* The window's part of group chats and impersonation: the header's "who
 * speaks next" menu and members button, the chat's characters and persona
 * under its title, the group dialog (new group chat, members), and
 * impersonation into the composer. */

static NatterConversation *
conversation (NatterWindow *self)
{
  return natter_application_get_conversation (self->application);
}

/* "Alice, Bob · as Pat": who is in the chat, and who the person is. */
static char *
chat_subtitle (NatterWindow    *self,
               NatterChat      *chat,
               NatterChatGroup *group)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(NatterPersonaRow) persona = NULL;

  if (group != NULL)
    for (guint i = 0; i < group->members->len; i++)
      {
        NatterGroupMember *member = g_ptr_array_index (group->members, i);

        if (out->len > 0)
          g_string_append (out, ", ");
        g_string_append (out, member->name);
      }
  else if (natter_chat_get_character_id (chat) != 0)
    {
      g_autoptr(NatterCharacterRow) row =
        natter_chat_store_get_character (self->chats, natter_chat_get_character_id (chat), NULL);

      if (row != NULL)
        g_string_append (out, row->name);
    }
  persona = natter_chat_store_get_default_persona (self->chats, NULL);
  if (persona != NULL && persona->name != NULL && *persona->name != '\0')
    {
      if (out->len > 0)
        g_string_append (out, " · ");
      /* Translators: the person's persona in the chat's header */
      g_string_append_printf (out, _("as %s"), persona->name);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
_natter_window_groups_update (NatterWindow *self)
{
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) members = g_menu_new ();
  g_autofree char *subtitle = NULL;
  gint64 chat_id = natter_window_get_chat_id (self);

  if (chat_id != 0 && self->chats != NULL)
    chat = natter_chat_store_get_chat (self->chats, chat_id, NULL);
  if (chat != NULL)
    group = natter_chat_store_get_group (self->chats, chat_id, NULL);

  subtitle = chat != NULL ? chat_subtitle (self, chat, group) : g_strdup ("");
  adw_window_title_set_subtitle (self->chat_title, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->speaker_button), group != NULL);
  gtk_widget_set_visible (self->members_button, group != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.group-members", chat != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.impersonate", chat != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-speaker", group != NULL);

  g_menu_append (menu, _("_Anyone, by the Group’s Order"), "win.next-speaker(int64 0)");
  for (guint i = 0; group != NULL && i < group->members->len; i++)
    {
      NatterGroupMember *member = g_ptr_array_index (group->members, i);
      g_autoptr(GMenuItem) item = NULL;

      if (member->muted)
        continue;
      item = g_menu_item_new (member->name, NULL);
      g_menu_item_set_action_and_target_value (item, "win.next-speaker",
                                               g_variant_new_int64 (member->character_id));
      g_menu_append_item (members, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (members));
  gtk_menu_button_set_menu_model (self->speaker_button, G_MENU_MODEL (menu));
}

/* ------------------------------------------------------------ actions */

static void
next_speaker_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);

  if (self->session != NULL)
    natter_chat_session_next_turn (self->session, g_variant_get_int64 (parameter));
}

static void
on_chat_created (NatterWindow      *self,
                 gint64             chat_id,
                 NatterGroupDialog *dialog)
{
  natter_window_open_chat (self, chat_id);
}

static gboolean
on_group_dialog_close (NatterWindow *self,
                       GtkWindow    *dialog)
{
  gint64 chat_id = natter_group_dialog_get_chat_id (NATTER_GROUP_DIALOG (dialog));
  NatterChatRow *row = chat_id != 0 ? natter_sidebar_find_row (self->sidebar, chat_id) : NULL;

  /* The members' avatars in the list follow the group. */
  if (row != NULL)
    natter_chat_row_update (row);
  _natter_window_update_title (self);
  return FALSE;
}

static void
show_group_dialog (NatterWindow *self,
                   gint64        chat_id)
{
  NatterGroupDialog *dialog;

  if (self->chats == NULL || conversation (self) == NULL)
    {
      _natter_window_toast (self, _("The chat database is not open"));
      return;
    }
  dialog = natter_group_dialog_new (self->chats, conversation (self), chat_id);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "chat-created", G_CALLBACK (on_chat_created), self,
                           G_CONNECT_SWAPPED);
  /* Members and turns changed there show here when it closes. */
  g_signal_connect_object (dialog, "close-request", G_CALLBACK (on_group_dialog_close), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->group_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_group_chat_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  show_group_dialog (NATTER_WINDOW (widget), 0);
}

static void
group_members_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  gint64 chat_id = natter_window_get_chat_id (self);

  if (chat_id == 0)
    {
      _natter_window_toast (self, _("Send a message first: a new chat is saved with it"));
      return;
    }
  show_group_dialog (self, chat_id);
}

static void
on_impersonated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(NatterWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = natter_chat_session_impersonate_finish (NATTER_CHAT_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->impersonating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.impersonate", TRUE);
  if (text == NULL)
    {
      _natter_window_toast (self, error->message);
      return;
    }
  if (NATTER_CHAT_SESSION (source) != self->session)
    return;
  natter_composer_set_text (self->composer, text);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

static void
impersonate_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);

  if (self->session == NULL || self->impersonating != NULL)
    return;
  self->impersonating = g_cancellable_new ();
  gtk_widget_action_set_enabled (widget, "win.impersonate", FALSE);
  _natter_window_toast (self, _("Writing your next message…"));
  natter_chat_session_impersonate_async (self->session, self->impersonating, on_impersonated,
                                         g_object_ref (self));
}

void
_natter_window_class_groups_init (NatterWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_child (widget_class, NatterWindow, speaker_button);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, members_button);
  gtk_widget_class_install_action (widget_class, "win.next-speaker", "x", next_speaker_action);
  gtk_widget_class_install_action (widget_class, "win.new-group-chat", NULL, new_group_chat_action);
  gtk_widget_class_install_action (widget_class, "win.group-members", NULL, group_members_action);
  gtk_widget_class_install_action (widget_class, "win.impersonate", NULL, impersonate_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "win.impersonate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "win.next-speaker", "x", (gint64) 0);
}

GtkWindow *
natter_window_get_group_dialog (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->group_dialog;
}

void
_natter_window_groups_dispose (NatterWindow *self)
{
  if (self->impersonating != NULL)
    g_cancellable_cancel (self->impersonating);
  g_clear_object (&self->impersonating);
  if (self->group_dialog != NULL)
    {
      GtkWindow *dialog = self->group_dialog;

      g_clear_weak_pointer (&self->group_dialog);
      gtk_window_destroy (dialog);
    }
}

/* ------------------------------------------------------------ files */

void
_natter_window_add_export_filters (GtkFileChooser *chooser)
{
  const char *suffixes[] = { "txt", "md" };
  const char *names[] = { N_("Plain text"), N_("Markdown") };

  /* The file's extension decides the format: .jsonl, .txt or .md. */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _(names[i]));
      gtk_file_filter_add_suffix (filter, suffixes[i]);
      gtk_file_chooser_add_filter (chooser, filter);
    }
}

gboolean
_natter_window_export_chat_file (NatterChatStore  *store,
                                 gint64            chat_id,
                                 const char       *path,
                                 GError          **error)
{
  g_autofree char *definition = NULL;

  if (natter_chat_format_for_path (path) != NATTER_CHAT_FORMAT_JSONL ||
      !natter_chat_store_is_group_chat (store, chat_id))
    return natter_chat_export_file (store, chat_id, path, error);
  definition = g_str_has_suffix (path, ".jsonl")
               ? g_strdup_printf ("%.*s.group.json", (int) (strlen (path) - strlen (".jsonl")), path)
               : g_strconcat (path, ".group.json", NULL);
  return natter_st_group_export_files (store, chat_id, path, definition, error);
}

typedef struct
{
  char *group_path;
  char *chat_path;  /* nullable */
} GroupImport;

static void
group_import_free (gpointer data)
{
  GroupImport *job = data;

  g_free (job->group_path);
  g_free (job->chat_path);
  g_free (job);
}

/* SillyTavern keeps groups/ID.json and "group chats/CHAT_ID.jsonl"; an
 * export of Natter writes NAME.group.json beside NAME.jsonl. */
static char *
find_group_chat (const char *group_path)
{
  g_autofree char *data = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *dir = g_path_get_dirname (group_path);
  g_autofree char *parent = g_path_get_dirname (dir);
  const char *chat_id = NULL;
  g_autofree char *beside = NULL;

  if (g_str_has_suffix (group_path, ".group.json"))
    {
      beside = g_strdup_printf ("%.*s.jsonl",
                                (int) (strlen (group_path) - strlen (".group.json")), group_path);
      if (g_file_test (beside, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&beside);
    }
  if (!g_file_get_contents (group_path, &data, NULL, NULL) ||
      strlen (data) > NATTER_ST_GROUP_MAX_SIZE ||
      (root = json_from_string (data, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  chat_id = json_object_get_string_member_with_default (json_node_get_object (root), "chat_id", NULL);
  if (chat_id == NULL || *chat_id == '\0' || strchr (chat_id, G_DIR_SEPARATOR) != NULL)
    return NULL;
  {
    g_autofree char *name = g_strconcat (chat_id, ".jsonl", NULL);
    char *candidates[] = {
      g_build_filename (dir, name, NULL),
      g_build_filename (parent, "group chats", name, NULL),
    };
    char *found = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
      {
        if (found == NULL && g_file_test (candidates[i], G_FILE_TEST_IS_REGULAR))
          found = g_steal_pointer (&candidates[i]);
        g_free (candidates[i]);
      }
    return found;
  }
}

static gint64
import_group_work (NatterChatStore  *store,
                   gpointer          data,
                   GCancellable     *cancellable,
                   GError          **error)
{
  GroupImport *job = data;

  job->chat_path = find_group_chat (job->group_path);
  return natter_st_group_import_file (store, job->group_path, job->chat_path, error);
}

static void
on_group_imported (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(NatterWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = natter_chat_store_run_finish (NATTER_CHAT_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (id <= 0)
    _natter_window_toast (self, error->message);
  else
    natter_window_open_chat (self, id);
}

void
_natter_window_import_group (NatterWindow *self,
                             const char   *path)
{
  GroupImport *job = g_new0 (GroupImport, 1);

  job->group_path = g_strdup (path);
  natter_chat_store_run_async (self->chats, import_group_work, job, group_import_free,
                               self->cancellable, on_group_imported, g_object_ref (self));
}
