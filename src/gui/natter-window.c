/* natter-window.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-catalog.h"
#include "natter-composer-private.h"
#include "natter-slash-commands.h"
#include "natter-window-private.h"
#include "natter-toasts.h"

G_DEFINE_FINAL_TYPE (NatterWindow, natter_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_APPLICATION_OBJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Every toast goes through natter_toasts_add(): the newest replaces the one
 * shown as soon as that can be done safely. */
void
_natter_window_show_toast (NatterWindow *self,
                           AdwToast     *toast)
{
  natter_toasts_add (self->toast_overlay, toast);
}

void
_natter_window_toast (NatterWindow *self,
                      const char   *title)
{
  _natter_window_show_toast (self, adw_toast_new (title));
}

/* Slash commands act on the profile store. */

static char **
host_list_profiles (gpointer user_data)
{
  NatterWindow *self = user_data;
  GListModel *model = G_LIST_MODEL (self->profiles);
  guint n = g_list_model_get_n_items (model);
  char **names = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterProfile) profile = g_list_model_get_item (model, i);
      names[i] = g_strdup (natter_profile_get_name (profile));
    }
  return names;
}

static char *
host_get_active (gpointer user_data)
{
  NatterWindow *self = user_data;
  NatterProfile *active = natter_profile_store_get_active (self->profiles);

  return active ? g_strdup (natter_profile_get_name (active)) : NULL;
}

static gboolean
host_set_active (gpointer     user_data,
                 const char  *name,
                 GError     **error)
{
  NatterWindow *self = user_data;
  NatterProfile *profile = natter_profile_store_lookup (self->profiles, name);

  if (profile == NULL)
    {
      g_set_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_NO_SUCH_PROFILE,
                   _("There is no profile named “%s”."), name);
      return FALSE;
    }
  return natter_profile_store_set_active (self->profiles, profile, error);
}

static gboolean
host_create_profile (gpointer     user_data,
                     const char  *name,
                     GError     **error)
{
  NatterWindow *self = user_data;
  NatterProfile *active = natter_profile_store_get_active (self->profiles);
  g_autoptr(NatterProfile) profile = NULL;

  if (active == NULL)
    {
      g_set_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_FAILED,
                   _("There are no current settings to copy yet. Open Connections… to create the first profile."));
      return FALSE;
    }

  profile = natter_profile_new (name, natter_profile_get_provider_id (active));
  natter_profile_set_model (profile, self->current_model ? self->current_model : "");
  natter_profile_set_base_url (profile, natter_profile_get_base_url (active));
  natter_profile_set_proxy_url (profile, natter_profile_get_proxy_url (active));
  natter_profile_set_connect_timeout (profile, natter_profile_get_connect_timeout (active));
  natter_profile_set_settings (profile, natter_profile_get_settings (active));
  natter_profile_set_custom_models (profile, natter_profile_get_custom_models (active));

  return natter_profile_store_add (self->profiles, profile, error);
}

static gboolean
host_update_profile (gpointer   user_data,
                     GError   **error)
{
  NatterWindow *self = user_data;
  NatterProfile *active = natter_profile_store_get_active (self->profiles);
  g_autoptr(NatterProfile) copy = NULL;

  if (active == NULL)
    {
      g_set_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_NO_SUCH_PROFILE,
                   _("No connection profile is active."));
      return FALSE;
    }

  copy = natter_profile_copy (active);
  natter_profile_set_model (copy, self->current_model ? self->current_model : "");
  return natter_profile_store_update (self->profiles, copy, error);
}

static char **
host_list_presets (gpointer user_data)
{
  return natter_preset_dropdown_dup_names (NATTER_WINDOW (user_data)->preset_dropdown);
}

static char *
host_get_preset (gpointer user_data)
{
  return g_strdup (natter_preset_dropdown_get_choice (NATTER_WINDOW (user_data)->preset_dropdown));
}

static gboolean
host_set_preset (gpointer     user_data,
                 const char  *name,
                 GError     **error)
{
  if (!natter_preset_dropdown_choose (NATTER_WINDOW (user_data)->preset_dropdown, name))
    {
      g_set_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_FAILED,
                   _("There is no preset named “%s”."), name);
      return FALSE;
    }
  return TRUE;
}

/* /continue: the last reply grows in place. */
static gboolean
host_continue_reply (gpointer   user_data,
                     GError   **error)
{
  NatterWindow *self = user_data;

  if (self->session == NULL || !natter_chat_session_continue_last (self->session))
    {
      g_set_error_literal (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_FAILED,
                           _("There is no reply to continue."));
      return FALSE;
    }
  return TRUE;
}

static const NatterSlashHost slash_host = {
  host_list_profiles,
  host_get_active,
  host_set_active,
  host_create_profile,
  host_update_profile,
  host_list_presets,
  host_get_preset,
  host_set_preset,
  host_continue_reply,
};

gboolean
_natter_window_continue_reply (NatterWindow  *self,
                               GError       **error)
{
  return host_continue_reply (self, error);
}

/* Profiles */

typedef struct
{
  NatterWindow *window;
  guint         serial;
  char         *name;
  gint64        profile_id;
} KeyCheck;

static void
on_key_checked (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  KeyCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  NatterKeySource key = natter_client_key_source_finish (NATTER_CLIENT (source), result, &error);

  if (check->window != NULL && check->window->key_check_serial == check->serial &&
      key == NATTER_KEY_SOURCE_NONE && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *hint = NULL;

      if (error != NULL)
        hint = g_strdup_printf (_("The keyring cannot be reached, so the connection “%s” has no API key: %s"),
                                check->name, error->message);
      else
        hint = g_strdup_printf (_("The connection “%s” has no API key"), check->name);
      natter_composer_set_disabled_reason_full (check->window->composer, hint, _("_Set API Key…"),
                                                "app.edit-connection",
                                                g_variant_new_int64 (check->profile_id));
    }

  if (check->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (check->window), (gpointer *)&check->window);
  g_free (check->name);
  g_free (check);
}

/* Why nothing can be sent, and a button that does something about it. */
static void
update_composer_state (NatterWindow *self)
{
  NatterProfile *active = natter_profile_store_get_active (self->profiles);
  NatterProvider *provider = NULL;

  self->key_check_serial++;

  if (active != NULL && self->client != NULL)
    provider = natter_catalog_lookup (natter_client_get_catalog (self->client),
                                      natter_profile_get_provider_id (active));

  if (active == NULL)
    natter_composer_set_disabled_reason_full (self->composer,
                                              _("Add a connection to start chatting"),
                                              _("_Connections…"), "app.connections", NULL);
  else if (self->client != NULL && provider == NULL)
    {
      g_autofree char *hint = g_strdup_printf (_("The connection “%s” uses a provider this version of Natter does not know"),
                                               natter_profile_get_name (active));
      natter_composer_set_disabled_reason_full (self->composer, hint, _("_Edit Connection…"),
                                                "app.edit-connection",
                                                g_variant_new_int64 (natter_profile_get_id (active)));
    }
  else if (self->current_model == NULL || *self->current_model == '\0')
    natter_composer_set_disabled_reason (self->composer,
                                         _("Choose a model for this connection to start chatting."));
  else
    {
      natter_composer_set_disabled_reason (self->composer, NULL);

      /* A provider that needs a key: where it would come from, without
       * unlocking the keyring, and a hint when there is none. */
      if (provider != NULL && natter_provider_get_key_required (provider))
        {
          KeyCheck *check = g_new0 (KeyCheck, 1);

          check->window = self;
          g_object_add_weak_pointer (G_OBJECT (self), (gpointer *)&check->window);
          check->serial = self->key_check_serial;
          check->name = g_strdup (natter_profile_get_name (active));
          check->profile_id = natter_profile_get_id (active);
          natter_client_key_source_async (self->client, active, self->cancellable, on_key_checked, check);
        }
    }
}

/* The shown chat sends with the active profile and the model in the
 * header bar. */
static void
sync_session_profile (NatterWindow *self)
{
  if (self->session == NULL)
    return;
  natter_chat_session_set_profile (self->session, natter_profile_store_get_active (self->profiles));
  natter_chat_session_set_model (self->session, self->current_model);
}

void
_natter_window_sync_active_profile (NatterWindow *self)
{
  NatterProfile *active = natter_profile_store_get_active (self->profiles);
  GListModel *model = G_LIST_MODEL (self->profiles);
  guint n = g_list_model_get_n_items (model);
  guint selected = GTK_INVALID_LIST_POSITION;
  gboolean empty;

  for (guint i = 0; i < n && active != NULL; i++)
    {
      g_autoptr(NatterProfile) profile = g_list_model_get_item (model, i);

      if (profile == active)
        {
          selected = i;
          break;
        }
    }

  self->syncing_profile = TRUE;
  gtk_drop_down_set_selected (self->profile_dropdown, selected);
  gtk_widget_set_visible (GTK_WIDGET (self->profile_dropdown), n > 0);
  gtk_editable_set_text (GTK_EDITABLE (self->model_entry),
                         active ? natter_profile_get_model (active) : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_entry), active != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_button), active != NULL);
  self->syncing_profile = FALSE;

  g_free (self->current_model);
  self->current_model = g_strdup (active ? natter_profile_get_model (active) : NULL);
  sync_session_profile (self);

  empty = self->session == NULL ||
          (natter_chat_session_get_chat_id (self->session) == 0 &&
           g_list_model_get_n_items (G_LIST_MODEL (natter_chat_session_get_messages (self->session))) == 0);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "character") != 0)
    gtk_stack_set_visible_child_name (self->main_stack, n == 0 && empty ? "welcome" : "chat");
  update_composer_state (self);
}

static void
on_active_profile_changed (NatterWindow       *self,
                           GParamSpec         *pspec,
                           NatterProfileStore *store)
{
  _natter_window_sync_active_profile (self);
}

static void
on_profiles_changed (NatterWindow *self,
                     guint         position,
                     guint         removed,
                     guint         added,
                     GListModel   *model)
{
  _natter_window_sync_active_profile (self);
}

static void
on_profile_selected (NatterWindow *self,
                     GParamSpec   *pspec,
                     GtkDropDown  *dropdown)
{
  NatterProfile *profile = gtk_drop_down_get_selected_item (dropdown);
  g_autoptr(GError) error = NULL;

  if (self->syncing_profile || profile == NULL)
    return;
  if (profile == natter_profile_store_get_active (self->profiles))
    return;

  /* Switching only changes which profile is active: the chat, the
   * composer text and everything else stay as they are. */
  if (!natter_profile_store_set_active (self->profiles, profile, &error))
    {
      _natter_window_toast (self, error->message);
      _natter_window_sync_active_profile (self);
    }
}

static void
on_model_entry_changed (NatterWindow *self,
                        GtkEditable  *editable)
{
  if (self->syncing_profile)
    return;
  g_free (self->current_model);
  self->current_model = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  sync_session_profile (self);
  update_composer_state (self);
}

/* Sessions: one per open chat */

void
_natter_window_update_title (NatterWindow *self)
{
  g_autoptr(NatterChat) chat = NULL;
  gint64 chat_id = natter_window_get_chat_id (self);

  if (chat_id != 0 && self->chats != NULL)
    chat = natter_chat_store_get_chat (self->chats, chat_id, NULL);
  adw_window_title_set_title (self->chat_title, chat ? natter_chat_get_title (chat) : _("New Chat"));
  natter_preset_dropdown_set_chat (self->preset_dropdown, chat_id);
  gtk_widget_set_visible (self->character_button, chat != NULL && natter_chat_get_character_id (chat) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rename-chat", chat != NULL);
  natter_sidebar_select_chat (self->sidebar, chat_id);
  _natter_window_groups_update (self);
}

static void
update_streaming_state (NatterWindow *self)
{
  NatterMessageItem *item = self->session != NULL ? natter_chat_session_get_streaming_item (self->session) : NULL;
  gboolean generating = self->session != NULL && natter_chat_session_is_generating (self->session);

  if (item != NULL)
    {
      if (!natter_chat_view_is_streaming (self->chat_view))
        natter_chat_view_begin_stream (self->chat_view, item);
    }
  else if (natter_chat_view_is_streaming (self->chat_view))
    natter_chat_view_end_stream (self->chat_view);
  natter_composer_set_streaming (self->composer, generating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", generating);
}

static void
on_session_streaming (NatterWindow      *self,
                      GParamSpec        *pspec,
                      NatterChatSession *session)
{
  if (natter_chat_session_get_chat_id (session) != 0)
    natter_sidebar_set_generating (self->sidebar, natter_chat_session_get_chat_id (session),
                                   natter_chat_session_is_generating (session));
  if (session == self->session)
    {
      /* A new reply replaces the one the view followed. */
      if (natter_chat_view_is_streaming (self->chat_view))
        natter_chat_view_end_stream (self->chat_view);
      update_streaming_state (self);
      return;
    }
  /* A chat not shown finished its reply: nothing keeps it open. */
  if (!natter_chat_session_is_generating (session))
    g_hash_table_remove (self->sessions, &(gint64) { natter_chat_session_get_chat_id (session) });
}

static void
on_session_toast (NatterWindow      *self,
                  AdwToast          *toast,
                  NatterChatSession *session)
{
  _natter_window_show_toast (self, g_object_ref (toast));
}

static void
on_session_text_returned (NatterWindow      *self,
                          const char        *text,
                          NatterChatSession *session)
{
  g_autofree char *typed = NULL;

  if (session != self->session)
    return;
  typed = natter_composer_dup_text (self->composer);
  if (typed == NULL || *typed == '\0')
    natter_composer_set_text (self->composer, text);
  natter_attachment_tray_put_back (natter_composer_get_attachment_tray (self->composer),
                                   natter_chat_session_take_attachments (session));
}

static void
on_session_reveal (NatterWindow      *self,
                   NatterChatSession *session)
{
  if (session != self->session)
    return;
  gtk_stack_set_visible_child_name (self->main_stack, "chat");
  natter_chat_view_scroll_to_bottom (self->chat_view);
}

static void
on_session_open_chat (NatterWindow      *self,
                      gint64             chat_id,
                      gboolean           reply,
                      NatterChatSession *session)
{
  natter_window_open_chat (self, chat_id);
  if (reply && natter_window_get_chat_id (self) == chat_id)
    g_action_group_activate_action (natter_chat_session_get_actions (self->session), "send",
                                    g_variant_new_string (""));
}

static void
on_session_chat_id (NatterWindow      *self,
                    GParamSpec        *pspec,
                    NatterChatSession *session)
{
  gint64 id = natter_chat_session_get_chat_id (session);
  GHashTableIter iter;
  gpointer value;

  /* Keyed by its id: a new chat got one, or a failed first send lost it. */
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == (gpointer) session)
      {
        g_hash_table_iter_steal (&iter);
        g_object_unref (session);
        break;
      }
  if (id != 0)
    g_hash_table_insert (self->sessions, g_memdup2 (&id, sizeof id), g_object_ref (session));
  if (session == self->session)
    _natter_window_update_title (self);
}

static NatterChatSession *
create_session (NatterWindow *self,
                gint64        chat_id)
{
  NatterChatSession *session = natter_chat_session_new (self->application, chat_id);

  g_signal_connect_object (session, "notify::streaming-item", G_CALLBACK (on_session_streaming),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::chat-id", G_CALLBACK (on_session_chat_id),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "toast", G_CALLBACK (on_session_toast), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "text-returned", G_CALLBACK (on_session_text_returned),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "reveal", G_CALLBACK (on_session_reveal), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "open-chat", G_CALLBACK (on_session_open_chat),
                           self, G_CONNECT_SWAPPED);
  _natter_window_desktop_watch_session (self, session);
  if (chat_id != 0)
    g_hash_table_insert (self->sessions, g_memdup2 (&chat_id, sizeof chat_id), g_object_ref (session));
  return session;
}

static void
show_session (NatterWindow      *self,
              NatterChatSession *session)
{
  NatterChatSession *old = self->session;

  if (old == session)
    return;

  if (natter_chat_view_is_streaming (self->chat_view))
    natter_chat_view_end_stream (self->chat_view);
  self->session = g_object_ref (session);
  if (old != NULL)
    {
      /* A chat that is not generating needs no session once hidden; one
       * that is goes on in the background. */
      if (!natter_chat_session_is_generating (old))
        g_hash_table_remove (self->sessions, &(gint64) { natter_chat_session_get_chat_id (old) });
      g_object_unref (old);
    }

  gtk_widget_insert_action_group (GTK_WIDGET (self->chat_view), "chat",
                                  natter_chat_session_get_actions (session));
  natter_chat_view_set_model (self->chat_view, natter_chat_session_get_messages (session));
  sync_session_profile (self);
  update_streaming_state (self);
  _natter_window_update_title (self);
  _natter_window_desktop_chat_shown (self);
}

void
natter_window_open_chat (NatterWindow *self,
                         gint64        chat_id)
{
  g_autoptr(NatterChatSession) session = NULL;

  g_return_if_fail (NATTER_IS_WINDOW (self));

  if (chat_id != 0)
    session = g_hash_table_lookup (self->sessions, &chat_id);
  if (session != NULL)
    g_object_ref (session);
  else
    session = create_session (self, chat_id);
  show_session (self, session);

  natter_chat_view_scroll_to_bottom (self->chat_view);
  gtk_stack_set_visible_child_name (self->main_stack, "chat");
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

gint64
natter_window_get_chat_id (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), 0);
  return self->session != NULL ? natter_chat_session_get_chat_id (self->session) : 0;
}

NatterChatSession *
natter_window_get_session (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->session;
}

NatterChatSession *
natter_window_lookup_session (NatterWindow *self,
                              gint64        chat_id)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return g_hash_table_lookup (self->sessions, &chat_id);
}

gboolean
natter_window_is_streaming (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), FALSE);
  return self->session != NULL && natter_chat_session_is_generating (self->session);
}

/* A chat was renamed or deleted (here or by natter-cli): the header
 * follows; a shown chat deleted elsewhere gives way to a new one. */
static void
on_chat_changed (NatterWindow    *self,
                 gint64           chat_id,
                 NatterChatStore *store)
{
  gint64 shown = natter_window_get_chat_id (self);
  g_autoptr(NatterChat) chat = NULL;

  if (shown == 0 || (chat_id != 0 && chat_id != shown))
    return;
  chat = natter_chat_store_get_chat (store, shown, NULL);
  if (chat == NULL && !natter_chat_session_is_generating (self->session))
    natter_window_open_chat (self, 0);
  else
    _natter_window_update_title (self);
}

static void
on_sidebar_chat_activated (NatterWindow  *self,
                           gint64         chat_id,
                           NatterSidebar *sidebar)
{
  if (chat_id != natter_window_get_chat_id (self))
    natter_window_open_chat (self, chat_id);
  else if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

gboolean
natter_window_jump_to_message (NatterWindow *self,
                               gint64        message_id)
{
  gint64 index;

  g_return_val_if_fail (NATTER_IS_WINDOW (self), FALSE);

  /* The store knows where the message stands: nothing between it and the
   * end of a long chat is read. */
  if (self->chats != NULL &&
      (index = natter_chat_store_message_index (self->chats, message_id, NULL)) >= 0)
    return natter_chat_view_scroll_to_message_at (self->chat_view, index, message_id, TRUE);
  return natter_chat_view_scroll_to_message (self->chat_view, message_id, TRUE);
}

/* A search hit: its chat, scrolled to the message. */
static void
on_sidebar_message_hit_activated (NatterWindow  *self,
                                  gint64         chat_id,
                                  gint64         message_id,
                                  NatterSidebar *sidebar)
{
  if (chat_id != natter_window_get_chat_id (self))
    natter_window_open_chat (self, chat_id);
  else if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
  if (!natter_window_jump_to_message (self, message_id))
    _natter_window_toast (self, _("The message is no longer in this chat"));
}

/* Pictures are offered as far as the chat's model takes them. */
static NatterVisionSupport
window_vision (gpointer data)
{
  NatterWindow *self = data;

  return self->session != NULL ? natter_chat_session_get_vision (self->session) : NATTER_VISION_UNKNOWN;
}

/* The composer: slash commands here, messages to the shown chat. */
static void
on_composer_send (NatterWindow   *self,
                  const char     *text,
                  NatterComposer *composer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *escaped = NULL;
  NatterSlashCommand command;

  command = natter_slash_parse (text, &escaped, &error);
  if (error != NULL)
    {
      natter_chat_session_add_note (self->session, error->message);
      return;
    }

  if (command != NATTER_SLASH_NONE)
    {
      note = natter_slash_execute (&slash_host, self, text, &error);
      natter_chat_session_add_note (self->session, note ? note : error->message);
      return;
    }

  natter_chat_session_set_attachments (self->session, natter_composer_take_attachments (composer));
  natter_window_send_message (self, escaped ? escaped : text);
}

void
natter_window_send_message (NatterWindow *self,
                            const char   *text)
{
  g_return_if_fail (NATTER_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  g_action_group_activate_action (natter_chat_session_get_actions (self->session), "send",
                                  g_variant_new_string (text));
}

static void
on_use_local_server (NatterWindow      *self,
                     const char        *provider_id,
                     const char        *url,
                     NatterWelcomePage *page)
{
  g_autoptr(NatterProfile) profile = natter_profile_new (provider_id, provider_id);
  g_autoptr(GError) error = NULL;

  natter_profile_set_base_url (profile, url);
  natter_profile_set_is_default (profile, TRUE);
  if (!natter_profile_store_add (self->profiles, profile, &error) ||
      !natter_profile_store_set_active (self->profiles, profile, &error))
    _natter_window_toast (self, error->message);
}

/* Local servers for the welcome page */

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(NatterWindow) self = user_data;
  g_auto(GStrv) found = NULL;
  g_autoptr(GError) error = NULL;
  NatterCatalog *catalog;

  found = natter_client_probe_local_finish (NATTER_CLIENT (source), result, &error);
  if (found == NULL || self->welcome_page == NULL)
    return;

  catalog = natter_client_get_catalog (NATTER_CLIENT (source));
  natter_welcome_page_clear_local_servers (self->welcome_page);
  for (guint i = 0; found[i] != NULL; i++)
    {
      NatterProvider *provider = natter_catalog_lookup (catalog, found[i]);

      if (provider != NULL)
        natter_welcome_page_add_local_server (self->welcome_page, found[i],
                                              natter_provider_get_name (provider),
                                              natter_provider_get_default_url (provider));
    }
}

/* The chat text size: one provider for the display, as there is one
 * setting for every window. */
static void
apply_font_scale (NatterWindow   *self,
                  GParamSpec     *pspec,
                  NatterSettings *settings)
{
  static GtkCssProvider *provider;
  g_autofree char *css = NULL;
  char scale[G_ASCII_DTOSTR_BUF_SIZE];

  if (provider == NULL)
    {
      provider = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  g_ascii_formatd (scale, sizeof scale, "%.0f", natter_settings_get_font_scale (settings) * 100);
  css = g_strdup_printf ("chatview messagerow { font-size: %s%%; }", scale);
  gtk_css_provider_load_from_data (provider, css, -1);
}

static gboolean
natter_window_close_request (GtkWindow *window)
{
  NatterWindow *self = NATTER_WINDOW (window);
  NatterSettings *settings = natter_application_get_settings (self->application);
  int width, height;

  if (_natter_window_desktop_close_request (self))
    return TRUE;
  gtk_window_get_default_size (window, &width, &height);
  if (settings != NULL)
    natter_settings_set_window_state (settings, width, height, gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (natter_window_parent_class)->close_request (window);
}

static void
natter_window_constructed (GObject *object)
{
  NatterWindow *self = NATTER_WINDOW (object);
  NatterSettings *settings;
  GtkExpression *expression;
  g_autoptr(NatterChatSession) draft = NULL;

  G_OBJECT_CLASS (natter_window_parent_class)->constructed (object);

  settings = natter_application_get_settings (self->application);
  if (settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   natter_settings_get_window_width (settings),
                                   natter_settings_get_window_height (settings));
      if (natter_settings_get_window_maximized (settings))
        gtk_window_maximize (GTK_WINDOW (self));
      g_object_bind_property (settings, "enter-sends", self->composer, "enter-sends",
                              G_BINDING_SYNC_CREATE);
      g_signal_connect_object (settings, "notify::font-scale", G_CALLBACK (apply_font_scale),
                               self, G_CONNECT_SWAPPED);
      apply_font_scale (self, NULL, settings);
    }

  self->profiles = g_object_ref (natter_application_get_profile_store (self->application));

  expression = gtk_property_expression_new (NATTER_TYPE_PROFILE, NULL, "name");
  gtk_drop_down_set_expression (self->profile_dropdown, expression);
  gtk_expression_unref (expression);
  gtk_drop_down_set_model (self->profile_dropdown, G_LIST_MODEL (self->profiles));

  g_signal_connect_object (self->profiles, "notify::active-profile",
                           G_CALLBACK (on_active_profile_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profiles, "items-changed",
                           G_CALLBACK (on_profiles_changed), self, G_CONNECT_SWAPPED);
  /* A connection changed by natter-cli: the header shows its new model. */
  g_signal_connect_object (self->profiles, "changed",
                           G_CALLBACK (_natter_window_sync_active_profile), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profile_dropdown, "notify::selected",
                           G_CALLBACK (on_profile_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model_entry, "changed",
                           G_CALLBACK (on_model_entry_changed), self, G_CONNECT_SWAPPED);

  self->chats = natter_application_get_chat_store (self->application);
  if (self->chats != NULL)
    g_object_ref (self->chats);
  self->client = g_object_ref (natter_application_get_client (self->application));
  natter_sidebar_set_store (self->sidebar, self->chats);
  if (self->chats != NULL)
    g_signal_connect_object (self->chats, "chat-changed", G_CALLBACK (on_chat_changed),
                             self, G_CONNECT_SWAPPED);

  natter_composer_set_slash_host (self->composer, &slash_host, self);
  natter_attachment_tray_set_vision_func (natter_composer_get_attachment_tray (self->composer),
                                          window_vision, self);
  natter_preset_dropdown_set_application (self->preset_dropdown, self->application);
  _natter_window_generation_init (self);
  draft = create_session (self, 0);
  show_session (self, draft);
  _natter_window_sync_active_profile (self);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->profiles)) == 0)
    natter_client_probe_local_async (self->client, NULL, 0, self->cancellable,
                                     on_probed, g_object_ref (self));
}

static void
natter_window_dispose (GObject *object)
{
  NatterWindow *self = (NatterWindow *)object;

  g_cancellable_cancel (self->cancellable);
  _natter_window_groups_dispose (self);
  if (self->new_chat_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->new_chat_dialog), (gpointer *)&self->new_chat_dialog);
      gtk_window_destroy (GTK_WINDOW (self->new_chat_dialog));
      self->new_chat_dialog = NULL;
    }
  /* Replies still being generated stop with the window. */
  if (self->sessions != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->sessions);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        natter_chat_session_stop (value);
    }
  if (self->session != NULL)
    natter_chat_session_stop (self->session);
  _natter_window_finish_pending_delete (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_WINDOW);
  self->welcome_page = NULL;
  g_clear_object (&self->session);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->notified_chats, g_hash_table_unref);
  g_clear_weak_pointer (&self->close_dialog);
  g_clear_object (&self->profiles);
  g_clear_object (&self->chats);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (natter_window_parent_class)->dispose (object);
}

static void
natter_window_finalize (GObject *object)
{
  NatterWindow *self = (NatterWindow *)object;

  g_clear_pointer (&self->current_model, g_free);

  G_OBJECT_CLASS (natter_window_parent_class)->finalize (object);
}

static void
natter_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  NatterWindow *self = NATTER_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APPLICATION_OBJECT:
      /* The application outlives its windows. */
      self->application = g_value_get_object (value);
      gtk_window_set_application (GTK_WINDOW (self), GTK_APPLICATION (self->application));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_window_class_init (NatterWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = natter_window_constructed;
  object_class->dispose = natter_window_dispose;
  object_class->finalize = natter_window_finalize;
  object_class->set_property = natter_window_set_property;
  window_class->close_request = natter_window_close_request;

  properties[PROP_APPLICATION_OBJECT] =
    g_param_spec_object ("natter-application", NULL, NULL, NATTER_TYPE_APPLICATION,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NATTER_TYPE_CHAT_VIEW);
  g_type_ensure (NATTER_TYPE_COMPOSER);
  g_type_ensure (NATTER_TYPE_WELCOME_PAGE);
  g_type_ensure (NATTER_TYPE_CHARACTER_PAGE);
  g_type_ensure (NATTER_TYPE_SIDEBAR);
  g_type_ensure (NATTER_TYPE_PRESET_DROPDOWN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, sidebar_page);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, content);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, chat_title);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, chat_menu_button);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, profile_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, preset_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, model_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, model_button);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, model_stack);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, model_status);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, model_list);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, model_search);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, chat_view);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, composer);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, character_page);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, character_button);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, generation_flap);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, generation_button);
  gtk_widget_class_bind_template_callback (widget_class, on_composer_send);
  gtk_widget_class_bind_template_callback (widget_class, on_use_local_server);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_chat_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_message_hit_activated);

  _natter_window_class_actions_init (klass);
  _natter_window_class_import_init (klass);
  _natter_window_class_generation_init (klass);
  _natter_window_class_groups_init (klass);
  _natter_window_class_characters_init (klass);
}

static void
natter_window_init (NatterWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->sessions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);

  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", FALSE);

  _natter_window_import_init (self);
  _natter_window_desktop_init (self);

  _natter_window_models_init (self);
}

NatterWindow *
natter_window_new (NatterApplication *application)
{
  g_return_val_if_fail (NATTER_IS_APPLICATION (application), NULL);

  return g_object_new (NATTER_TYPE_WINDOW, "natter-application", application, NULL);
}

/* Getters for tests */

NatterChatView *
natter_window_get_chat_view (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->chat_view;
}

NatterComposer *
natter_window_get_composer (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->composer;
}

NatterSidebar *
natter_window_get_sidebar (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->sidebar;
}

GtkDropDown *
natter_window_get_profile_dropdown (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->profile_dropdown;
}

NatterPresetDropdown *
natter_window_get_preset_dropdown (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->preset_dropdown;
}

NatterWelcomePage *
natter_window_get_welcome_page (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->welcome_page;
}

GtkEntry *
natter_window_get_model_entry (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->model_entry;
}

GtkMenuButton *
natter_window_get_chat_menu_button (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->chat_menu_button;
}

AdwWindowTitle *
natter_window_get_chat_title (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->chat_title;
}

AdwToastOverlay *
natter_window_get_toast_overlay (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->toast_overlay;
}

NatterCharacterPage *
natter_window_get_character_page (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->character_page;
}

NatterNewChatDialog *
natter_window_get_new_chat_dialog (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->new_chat_dialog;
}

const char *
natter_window_get_visible_page (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}
