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
#include "natter-card.h"
#include "natter-catalog.h"
#include "natter-character-page.h"
#include "natter-chat-view.h"
#include "natter-composer.h"
#include "natter-secrets.h"
#include "natter-message-model.h"
#include "natter-new-chat-dialog.h"
#include "natter-preset-dropdown.h"
#include "natter-slash-commands.h"
#include "natter-welcome-page.h"
#include "natter-window.h"

struct _NatterWindow
{
  AdwApplicationWindow  parent_instance;

  NatterApplication    *application;
  NatterProfileStore   *profiles;
  NatterChatStore      *chats;
  NatterClient         *client;
  NatterMessageModel   *messages;
  char                 *current_model;
  gboolean              syncing_profile;

  gint64                chat_id;
  GListStore           *chat_store_list;
  GtkFilterListModel   *chat_filter_model;
  GtkCustomFilter      *chat_filter;
  char                 *chat_search;         /* casefolded, nullable */
  GHashTable           *character_names;     /* id → casefolded name */
  GPtrArray            *message_hits_found;  /* NatterSearchHit */
  gint64                pending_delete_id;

  struct _Reply        *reply;
  GCancellable         *cancellable;
  guint                 key_check_serial;
  guint                 n_import_failures;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  GtkSearchEntry       *search_entry;
  GtkStack             *sidebar_stack;
  GtkListView          *chat_list;
  GtkWidget            *message_hits_box;
  GtkStack             *message_hits_stack;
  GtkListBox           *message_hits;
  AdwWindowTitle       *chat_title;
  GtkDropDown          *profile_dropdown;
  NatterPresetDropdown *preset_dropdown;
  GtkEntry             *model_entry;
  GtkMenuButton        *model_button;
  GtkStack             *model_stack;
  GtkLabel             *model_status;
  GtkListBox           *model_list;
  GtkSearchEntry       *model_search;
  GtkStack             *main_stack;
  NatterWelcomePage    *welcome_page;
  NatterChatView       *chat_view;
  NatterComposer       *composer;
  NatterCharacterPage  *character_page;
  GtkWidget            *character_button;
  NatterNewChatDialog  *new_chat_dialog;     /* weak */
};

G_DEFINE_FINAL_TYPE (NatterWindow, natter_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_APPLICATION_OBJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (NatterWindow *self,
       const char   *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
add_note (NatterWindow *self,
          const char   *text)
{
  g_autoptr(NatterMessageItem) note = natter_message_item_new (NATTER_MESSAGE_KIND_NOTE, text);

  natter_message_model_append (self->messages, note);
  natter_chat_view_scroll_to_bottom (self->chat_view);
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

static gboolean host_continue_reply (gpointer   user_data,
                                     GError   **error);

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
  gboolean has = natter_secrets_has_finish (result, &error);

  if (check->window != NULL && check->window->key_check_serial == check->serial && !has)
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

      /* A provider that needs a key: look for one without unlocking the
       * keyring, and explain when there is none. */
      if (provider != NULL && natter_provider_get_key_required (provider))
        {
          g_autofree char *env = natter_provider_dup_env_key (provider);

          if (env != NULL)
            natter_secrets_free (g_steal_pointer (&env));
          else
            {
              KeyCheck *check = g_new0 (KeyCheck, 1);

              check->window = self;
              g_object_add_weak_pointer (G_OBJECT (self), (gpointer *)&check->window);
              check->serial = self->key_check_serial;
              check->name = g_strdup (natter_profile_get_name (active));
              check->profile_id = natter_profile_get_id (active);
              natter_secrets_has_async (natter_profile_get_uuid (active), NATTER_SECRET_API_KEY,
                                        self->cancellable, on_key_checked, check);
            }
        }
    }
}

static void
sync_active_profile (NatterWindow *self)
{
  NatterProfile *active = natter_profile_store_get_active (self->profiles);
  GListModel *model = G_LIST_MODEL (self->profiles);
  guint n = g_list_model_get_n_items (model);
  guint selected = GTK_INVALID_LIST_POSITION;

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

  gtk_stack_set_visible_child_name (self->main_stack,
                                    n == 0 && self->chat_id == 0 &&
                                    g_list_model_get_n_items (G_LIST_MODEL (self->messages)) == 0
                                    ? "welcome" : "chat");
  update_composer_state (self);
}

static void
on_active_profile_changed (NatterWindow       *self,
                           GParamSpec         *pspec,
                           NatterProfileStore *store)
{
  sync_active_profile (self);
}

static void
on_profiles_changed (NatterWindow *self,
                     guint         position,
                     guint         removed,
                     guint         added,
                     GListModel   *model)
{
  sync_active_profile (self);
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
      toast (self, error->message);
      sync_active_profile (self);
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
  update_composer_state (self);
}

/* Chats in the sidebar */

static void
refresh_chat_list (NatterWindow *self)
{
  g_autoptr(GPtrArray) chats = NULL;
  g_autoptr(GError) error = NULL;

  g_list_store_remove_all (self->chat_store_list);
  g_hash_table_remove_all (self->character_names);
  if (self->chats != NULL)
    {
      g_autoptr(GPtrArray) characters = natter_chat_store_list_characters (self->chats, NULL);

      for (guint i = 0; characters != NULL && i < characters->len; i++)
        {
          NatterCharacterRow *row = g_ptr_array_index (characters, i);
          gint64 *id = g_new (gint64, 1);

          *id = row->id;
          g_hash_table_insert (self->character_names, id, g_utf8_casefold (row->name, -1));
        }
      chats = natter_chat_store_list_chats (self->chats, 0, &error);
    }
  if (error != NULL)
    toast (self, error->message);

  for (guint i = 0; chats != NULL && i < chats->len; i++)
    {
      NatterChat *chat = g_ptr_array_index (chats, i);

      if (natter_chat_get_id (chat) != self->pending_delete_id)
        g_list_store_append (self->chat_store_list, chat);
    }

  gtk_stack_set_visible_child_name (self->sidebar_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->chat_store_list)) > 0
                                    ? "list" : "empty");
}

static void
select_chat_in_list (NatterWindow *self)
{
  GListModel *model = G_LIST_MODEL (self->chat_filter_model);
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (self->chat_list));
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterChat) chat = g_list_model_get_item (model, i);

      if (natter_chat_get_id (chat) == self->chat_id)
        {
          gtk_single_selection_set_selected (selection, i);
          return;
        }
    }
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
}

static void
update_title (NatterWindow *self)
{
  g_autoptr(NatterChat) chat = NULL;

  if (self->chat_id != 0 && self->chats != NULL)
    chat = natter_chat_store_get_chat (self->chats, self->chat_id, NULL);
  adw_window_title_set_title (self->chat_title, chat ? natter_chat_get_title (chat) : _("New Chat"));
  natter_preset_dropdown_set_chat (self->preset_dropdown, self->chat_id);
  gtk_widget_set_visible (self->character_button, chat != NULL && natter_chat_get_character_id (chat) != 0);
}

void
natter_window_open_chat (NatterWindow *self,
                         gint64        chat_id)
{
  g_return_if_fail (NATTER_IS_WINDOW (self));

  natter_window_stop (self);
  self->chat_id = chat_id;
  if (chat_id != 0 && self->chats != NULL)
    natter_message_model_set_chat (self->messages, self->chats, chat_id);
  else
    natter_message_model_clear (self->messages);
  natter_chat_view_scroll_to_bottom (self->chat_view);
  update_title (self);
  select_chat_in_list (self);
  gtk_stack_set_visible_child_name (self->main_stack, "chat");
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

gint64
natter_window_get_chat_id (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), 0);
  return self->chat_id;
}

static void
on_chat_activated (NatterWindow *self,
                   guint         position,
                   GtkListView  *list)
{
  g_autoptr(NatterChat) chat = g_list_model_get_item (G_LIST_MODEL (self->chat_filter_model), position);

  if (chat != NULL && natter_chat_get_id (chat) != self->chat_id)
    natter_window_open_chat (self, natter_chat_get_id (chat));
}

static void
chat_row_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 9);
  GtkWidget *avatar = adw_avatar_new (32, NULL, TRUE);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), avatar);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (list_item, box);
}

static void
chat_row_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               NatterWindow             *self)
{
  NatterChat *chat = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  AdwAvatar *avatar = ADW_AVATAR (gtk_widget_get_first_child (box));
  GtkLabel *label = GTK_LABEL (gtk_widget_get_last_child (box));
  g_autoptr(NatterCharacterRow) character = NULL;
  const char *title = natter_chat_get_title (chat);

  if (title == NULL || *title == '\0')
    title = _("Untitled Chat");
  gtk_label_set_text (label, title);

  if (natter_chat_get_character_id (chat) != 0 && self->chats != NULL)
    character = natter_chat_store_get_character (self->chats, natter_chat_get_character_id (chat), NULL);

  adw_avatar_set_text (avatar, character ? character->name : title);
  adw_avatar_set_custom_image (avatar, NULL);
  if (character != NULL && character->avatar != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (character->avatar, NULL);

      if (texture != NULL)
        adw_avatar_set_custom_image (avatar, GDK_PAINTABLE (texture));
    }
}

/* The sidebar filter: the chat's title or its character's name. */
static gboolean
chat_matches (gpointer item,
              gpointer user_data)
{
  NatterWindow *self = user_data;
  NatterChat *chat = item;
  g_autofree char *title = NULL;
  gint64 character_id;

  if (self->chat_search == NULL || *self->chat_search == '\0')
    return TRUE;
  title = g_utf8_casefold (natter_chat_get_title (chat) ? natter_chat_get_title (chat) : "", -1);
  if (strstr (title, self->chat_search) != NULL)
    return TRUE;
  character_id = natter_chat_get_character_id (chat);
  if (character_id != 0)
    {
      const char *name = g_hash_table_lookup (self->character_names, &character_id);

      return name != NULL && strstr (name, self->chat_search) != NULL;
    }
  return FALSE;
}

/* A search snippet as Pango markup, the matched words in bold. */
static char *
snippet_markup (const char *snippet)
{
  GString *out = g_string_new (NULL);
  const char *p = snippet != NULL ? snippet : "";

  while (*p != '\0')
    {
      const char *begin = strstr (p, NATTER_SEARCH_MATCH_BEGIN);
      const char *end;
      g_autofree char *plain = NULL;
      g_autofree char *match = NULL;

      if (begin == NULL)
        {
          plain = g_markup_escape_text (p, -1);
          g_string_append (out, plain);
          break;
        }
      plain = g_markup_escape_text (p, begin - p);
      g_string_append (out, plain);
      begin += strlen (NATTER_SEARCH_MATCH_BEGIN);
      end = strstr (begin, NATTER_SEARCH_MATCH_END);
      if (end == NULL)
        end = begin + strlen (begin);
      match = g_markup_escape_text (begin, end - begin);
      g_string_append_printf (out, "<b>%s</b>", match);
      p = *end != '\0' ? end + strlen (NATTER_SEARCH_MATCH_END) : end;
    }
  /* One line of context reads better than the snippet's own breaks. */
  g_strdelimit (out->str, "\n\r\t", ' ');
  return g_string_free (out, FALSE);
}

static GtkWidget *
message_hit_row (NatterSearchHit *hit,
                 guint            index)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (hit->chat_title != NULL && *hit->chat_title != '\0'
                                    ? hit->chat_title : _("Untitled Chat"));
  g_autofree char *markup = snippet_markup (hit->snippet);
  GtkWidget *snippet = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (snippet), markup);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (snippet), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet), 2);
  gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (snippet, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), snippet);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "hit-index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (row), "snippet-label", snippet);
  return row;
}

#define MAX_MESSAGE_HITS 50

/* The "Messages" section: full-text hits while something is typed. */
static void
update_message_hits (NatterWindow *self,
                     const char   *query)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->message_hits))) != NULL)
    gtk_list_box_remove (self->message_hits, child);
  g_clear_pointer (&self->message_hits_found, g_ptr_array_unref);

  if (query == NULL || *query == '\0' || self->chats == NULL)
    {
      gtk_widget_set_visible (self->message_hits_box, FALSE);
      return;
    }

  self->message_hits_found = natter_chat_store_search (self->chats, query, MAX_MESSAGE_HITS, &error);
  if (self->message_hits_found == NULL)
    {
      g_warning ("Message search failed: %s", error->message);
      gtk_widget_set_visible (self->message_hits_box, FALSE);
      return;
    }
  for (guint i = 0; i < self->message_hits_found->len; i++)
    gtk_list_box_append (self->message_hits,
                         message_hit_row (g_ptr_array_index (self->message_hits_found, i), i));
  gtk_stack_set_visible_child_name (self->message_hits_stack,
                                    self->message_hits_found->len > 0 ? "hits" : "none");
  gtk_widget_set_visible (self->message_hits_box, TRUE);
}

static void
on_search_changed (NatterWindow   *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_free (self->chat_search);
  self->chat_search = g_utf8_casefold (text, -1);
  gtk_filter_changed (GTK_FILTER (self->chat_filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_message_hits (self, text);
}

/* Opens the hit's chat and scrolls to the message. */
static void
open_message_hit (NatterWindow *self,
                  guint         index)
{
  NatterSearchHit *hit;

  if (self->message_hits_found == NULL || index >= self->message_hits_found->len)
    return;
  hit = g_ptr_array_index (self->message_hits_found, index);
  if (hit->chat_id != self->chat_id)
    natter_window_open_chat (self, hit->chat_id);
  else if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
  if (!natter_window_jump_to_message (self, hit->message_id))
    toast (self, _("The message is no longer in this chat"));
}

static void
on_message_hit_activated (NatterWindow  *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  open_message_hit (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "hit-index")));
}

/* Enter in the search field: the first chat that matches, else the newest
 * message hit. */
static void
on_search_activate (NatterWindow   *self,
                    GtkSearchEntry *entry)
{
  g_autoptr(NatterChat) chat = NULL;

  if (*gtk_editable_get_text (GTK_EDITABLE (entry)) == '\0')
    return;
  chat = g_list_model_get_item (G_LIST_MODEL (self->chat_filter_model), 0);
  if (chat != NULL)
    {
      if (natter_chat_get_id (chat) != self->chat_id)
        natter_window_open_chat (self, natter_chat_get_id (chat));
      return;
    }
  if (self->message_hits_found != NULL && self->message_hits_found->len > 0)
    open_message_hit (self, 0);
  else
    toast (self, _("No chat or message matches"));
}

guint
natter_window_get_n_message_hits (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), 0);
  return self->message_hits_found != NULL ? self->message_hits_found->len : 0;
}

const char *
natter_window_get_message_hit_markup (NatterWindow *self,
                                      guint         index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);

  row = gtk_list_box_get_row_at_index (self->message_hits, index);
  if (row == NULL)
    return NULL;
  return gtk_label_get_label (g_object_get_data (G_OBJECT (row), "snippet-label"));
}

void
natter_window_activate_message_hit (NatterWindow *self,
                                    guint         index)
{
  GtkListBoxRow *row;

  g_return_if_fail (NATTER_IS_WINDOW (self));

  row = gtk_list_box_get_row_at_index (self->message_hits, index);
  if (row != NULL)
    g_signal_emit_by_name (self->message_hits, "row-activated", row);
}

gboolean
natter_window_jump_to_message (NatterWindow *self,
                               gint64        message_id)
{
  GListModel *model = G_LIST_MODEL (self->messages);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GError) error = NULL;
  gint64 index;

  g_return_val_if_fail (NATTER_IS_WINDOW (self), FALSE);

  /* The store knows where a stored message stands: no page between the
   * end and the hit is read. */
  if (self->chats != NULL && self->chat_id != 0 &&
      (index = natter_chat_store_message_index (self->chats, message_id, &error)) >= 0 &&
      index < n)
    {
      g_autoptr(NatterMessageItem) item = g_list_model_get_item (model, index);

      if (natter_message_item_get_id (item) == message_id)
        {
          natter_chat_view_scroll_to_item (self->chat_view, index);
          return TRUE;
        }
    }

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(NatterMessageItem) item = g_list_model_get_item (model, i - 1);

      if (natter_message_item_get_id (item) == message_id)
        {
          natter_chat_view_scroll_to_item (self->chat_view, i - 1);
          return TRUE;
        }
    }
  return FALSE;
}

/* Sending goes through the conversation engine, the one place that turns
 * a stored chat into a request (character, persona, lorebooks, context
 * budget, instruct templates, macros) and saves the reply as it grows. Its
 * signals say which rows it adds; the deltas go to the reply's item, which
 * the chat view shows once per frame. */

static void reload_item (NatterWindow      *self,
                         NatterMessageItem *item);

typedef struct _Reply
{
  NatterWindow      *window;      /* weak */
  gint64             chat_id;
  gboolean           regenerate;
  gboolean           continuing;  /* extends the last reply in place */
  gboolean           new_chat;    /* the chat was made for this send */
  gint64             user_id;     /* the user's message, once stored */
  NatterMessageItem *item;        /* the streaming reply, once it exists */
  GCancellable      *cancellable;
  char              *user_text;
} Reply;

static void
reply_free (Reply *reply)
{
  if (reply->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (reply->window), (gpointer *)&reply->window);
  g_clear_object (&reply->item);
  g_clear_object (&reply->cancellable);
  g_free (reply->user_text);
  g_free (reply);
}

static void
on_delta (const NatterDelta *delta,
          gpointer           user_data)
{
  Reply *reply = user_data;

  /* Buffered: the chat view shows it at the next frame. The conversation
   * saves it; errors arrive with the end of the request. */
  if (reply->item != NULL &&
      (delta->kind == NATTER_DELTA_TEXT || delta->kind == NATTER_DELTA_REASONING))
    natter_message_item_append (reply->item, delta->kind == NATTER_DELTA_REASONING,
                                delta->text, delta->len);
}

static void
finish_reply_ui (NatterWindow *self)
{
  natter_chat_view_end_stream (self->chat_view);
  natter_composer_set_streaming (self->composer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", FALSE);
}

static NatterMessageItem *
find_item_by_id (NatterWindow *self,
                 gint64        message_id)
{
  GListModel *model = G_LIST_MODEL (self->messages);

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(NatterMessageItem) item = g_list_model_get_item (model, i - 1);

      if (natter_message_item_get_id (item) == message_id)
        return g_steal_pointer (&item);
    }
  return NULL;
}

static void
begin_reply_stream (NatterWindow      *self,
                    NatterMessageItem *item)
{
  g_set_object (&self->reply->item, item);
  natter_message_item_set_error (item, NATTER_ERROR_CATEGORY_NONE, NULL);
  natter_chat_view_begin_stream (self->chat_view, item);
  natter_chat_view_scroll_to_bottom (self->chat_view);
}

/* The conversation appended the user's message, then the empty reply. */
static void
on_conversation_message_added (NatterWindow       *self,
                               gint64              chat_id,
                               gint64              message_id,
                               NatterConversation *conversation)
{
  g_autoptr(NatterChatMessage) message = NULL;
  g_autoptr(NatterMessageItem) item = NULL;
  g_autoptr(GError) error = NULL;

  if (self->reply == NULL || self->reply->chat_id != chat_id || self->chat_id != chat_id)
    return;

  message = natter_chat_store_get_message (self->chats, message_id, &error);
  if (message == NULL)
    {
      g_warning ("Cannot show message %" G_GINT64_FORMAT ": %s", message_id, error->message);
      return;
    }
  item = natter_message_item_new_from_message (message);
  natter_message_model_append (self->messages, item);

  if (natter_chat_message_get_role (message) == NATTER_ROLE_USER)
    {
      self->reply->user_id = message_id;
      gtk_stack_set_visible_child_name (self->main_stack, "chat");
      natter_chat_view_scroll_to_bottom (self->chat_view);
    }
  else
    begin_reply_stream (self, item);
}

/* A regenerate added a new, selected, empty swipe to the last reply. */
static void
on_conversation_swipe_started (NatterWindow       *self,
                               gint64              chat_id,
                               gint64              message_id,
                               NatterConversation *conversation)
{
  g_autoptr(NatterMessageItem) item = NULL;

  if (self->reply == NULL || self->reply->chat_id != chat_id || self->chat_id != chat_id)
    return;
  item = find_item_by_id (self, message_id);
  if (item == NULL)
    return;
  natter_message_item_set_text (item, "");
  natter_message_item_set_reasoning (item, "");
  reload_item (self, item);
  begin_reply_stream (self, item);
}

static void
on_reply_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  NatterConversation *conversation = NATTER_CONVERSATION (source);
  Reply *reply = user_data;
  NatterWindow *self = reply->window;
  g_autoptr(GError) error = NULL;
  gint64 reply_id = 0;

  if (reply->continuing)
    reply_id = natter_conversation_continue_finish (conversation, result, &error);
  else if (reply->regenerate)
    natter_conversation_regenerate_finish (conversation, result, &reply_id, &error);
  else
    natter_conversation_send_finish (conversation, result, &reply_id, &error);

  if (reply->item != NULL)
    {
      natter_message_item_flush (reply->item);
      natter_message_item_set_streaming (reply->item, FALSE);
      if (error != NULL)
        {
          /* Inline on the reply, which keeps what arrived; stopping
           * already said so in natter_window_stop(). */
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              g_error_matches (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED) ||
              g_cancellable_is_cancelled (reply->cancellable))
            natter_message_item_set_error (reply->item, NATTER_ERROR_CATEGORY_CANCELLED, NULL);
          else
            natter_message_item_set_error (reply->item,
                                           error->domain == NATTER_REQUEST_ERROR
                                           ? (NatterErrorCategory) error->code
                                           : NATTER_ERROR_CATEGORY_PROTOCOL,
                                           error->message);
        }
    }
  else if (error != NULL && self != NULL && self->reply == reply)
    {
      /* No reply was started: the prompt could not be assembled (nothing
       * stored) or the reply could not be saved. Say why and give the
       * text back. */
      toast (self, error->message);
      if (!reply->regenerate && reply->user_id == 0 && reply->user_text != NULL)
        {
          g_autofree char *typed = natter_composer_dup_text (self->composer);

          if (typed == NULL || *typed == '\0')
            natter_composer_set_text (self->composer, reply->user_text);
        }
      if (reply->new_chat && reply->user_id == 0 && self->chat_id == reply->chat_id)
        {
          /* Leave no empty chat behind for a send that never happened. */
          natter_chat_store_delete_chat (self->chats, reply->chat_id, NULL);
          self->chat_id = 0;
          natter_message_model_clear (self->messages);
          update_title (self);
        }
    }

  /* A reply cut at the token limit says so, with a way on. */
  if (self != NULL && error == NULL && reply_id != 0 && self->chat_id == reply->chat_id)
    {
      g_autofree char *reason = natter_preset_store_dup_finish_reason (
        natter_conversation_get_preset_store (conversation), reply_id);

      if (g_strcmp0 (reason, "length") == 0)
        {
          AdwToast *cut = adw_toast_new (_("The reply stopped at the token limit"));

          adw_toast_set_button_label (cut, _("_Continue"));
          adw_toast_set_action_name (cut, "win.continue");
          adw_toast_set_timeout (cut, 10);
          adw_toast_overlay_add_toast (self->toast_overlay, cut);
        }
    }

  if (self != NULL && self->reply == reply)
    {
      self->reply = NULL;
      finish_reply_ui (self);
      refresh_chat_list (self);
      select_chat_in_list (self);
    }

  reply_free (reply);
}

/* Starts a send (@text) or a regenerate of the last reply (@text NULL). */
static void
start_reply (NatterWindow *self,
             const char   *text,
             gboolean      new_chat)
{
  NatterProfile *profile = natter_profile_store_get_active (self->profiles);
  NatterConversation *conversation = natter_application_get_conversation (self->application);
  NatterGenParams params;
  Reply *reply;

  if (profile == NULL || conversation == NULL || self->chat_id == 0)
    return;

  natter_window_stop (self);

  reply = g_new0 (Reply, 1);
  reply->window = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *)&reply->window);
  reply->chat_id = self->chat_id;
  reply->regenerate = text == NULL;
  reply->new_chat = new_chat;
  reply->user_text = g_strdup (text);
  reply->cancellable = g_cancellable_new ();

  self->reply = reply;
  natter_composer_set_streaming (self->composer, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", TRUE);

  /* The model typed in the header bar wins over the profile's. */
  natter_gen_params_init (&params);
  params.model = g_strdup (self->current_model);
  params.stream = TRUE;
  if (text != NULL)
    natter_conversation_send_async (conversation, self->chat_id, profile, text, &params,
                                    on_delta, reply, reply->cancellable, on_reply_done, reply);
  else
    natter_conversation_regenerate_async (conversation, self->chat_id, profile, &params,
                                          on_delta, reply, reply->cancellable,
                                          on_reply_done, reply);
  natter_gen_params_clear (&params);
}

/* /continue: the last reply grows in place. */
static gboolean
host_continue_reply (gpointer   user_data,
                     GError   **error)
{
  NatterWindow *self = user_data;
  NatterProfile *profile = natter_profile_store_get_active (self->profiles);
  NatterConversation *conversation = natter_application_get_conversation (self->application);
  GListModel *model = G_LIST_MODEL (self->messages);
  g_autoptr(NatterMessageItem) last = NULL;
  NatterGenParams params;
  Reply *reply;

  /* The last message, past the notes of earlier commands. */
  for (guint i = g_list_model_get_n_items (model); i > 0 && last == NULL; i--)
    {
      g_autoptr(NatterMessageItem) item = g_list_model_get_item (model, i - 1);

      if (natter_message_item_get_kind (item) != NATTER_MESSAGE_KIND_NOTE)
        last = g_steal_pointer (&item);
    }

  if (profile == NULL || conversation == NULL || self->chat_id == 0 || last == NULL ||
      natter_message_item_get_kind (last) != NATTER_MESSAGE_KIND_ASSISTANT)
    {
      g_set_error_literal (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_FAILED,
                           _("There is no reply to continue."));
      return FALSE;
    }
  natter_window_stop (self);
  reply = g_new0 (Reply, 1);
  reply->window = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *)&reply->window);
  reply->chat_id = self->chat_id;
  reply->continuing = TRUE;
  reply->regenerate = TRUE;
  reply->cancellable = g_cancellable_new ();
  self->reply = reply;
  natter_composer_set_streaming (self->composer, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", TRUE);
  begin_reply_stream (self, last);

  natter_gen_params_init (&params);
  params.model = g_strdup (self->current_model);
  natter_conversation_continue_async (conversation, self->chat_id, profile, &params,
                                      on_delta, reply, reply->cancellable, on_reply_done, reply);
  natter_gen_params_clear (&params);
  return TRUE;
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_autoptr(GError) error = NULL;

  if (!host_continue_reply (widget, &error))
    toast (NATTER_WINDOW (widget), error->message);
}

/* A profile that cannot be used (no model, no server address, …) is said
 * as it is in a note, not as if the provider had answered. */
static gboolean
check_active_profile (NatterWindow *self)
{
  NatterProfile *profile = natter_profile_store_get_active (self->profiles);
  g_autoptr(GError) error = NULL;

  if (profile == NULL)
    {
      toast (self, _("Add a connection to start chatting"));
      return FALSE;
    }
  if (!natter_client_check_profile (self->client, profile, self->current_model, &error))
    {
      add_note (self, error->message);
      return FALSE;
    }
  return TRUE;
}

/* Regenerate, retry and "next alternative" past the last one: a new swipe
 * of @item, which must be the chat's last stored message. */
static void
regenerate_reply (NatterWindow      *self,
                  NatterMessageItem *item)
{
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GError) error = NULL;

  if (self->chats == NULL || self->chat_id == 0 || natter_message_item_get_id (item) == 0)
    return;
  last = natter_chat_store_page_messages (self->chats, self->chat_id, -1, 1, &error);
  if (last == NULL)
    {
      toast (self, error->message);
      return;
    }
  if (last->len == 0 ||
      natter_chat_message_get_id (g_ptr_array_index (last, 0)) != natter_message_item_get_id (item))
    {
      toast (self, _("Only the last reply can be regenerated"));
      return;
    }
  if (!check_active_profile (self))
    return;
  start_reply (self, NULL, FALSE);
}

static gboolean
ensure_chat (NatterWindow *self,
             const char   *first_text,
             gboolean     *created)
{
  NatterConversation *conversation = natter_application_get_conversation (self->application);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const char *end;

  *created = FALSE;
  if (conversation == NULL)
    {
      toast (self, _("The chat database is not open, so nothing can be sent"));
      return FALSE;
    }
  if (self->chat_id != 0)
    return TRUE;

  /* The first words of the first message name the chat. */
  title = g_strstrip (g_strdup (first_text));
  end = g_utf8_offset_to_pointer (title, MIN (g_utf8_strlen (title, -1), 48));
  title[end - title] = '\0';
  if (strchr (title, '\n'))
    *strchr (title, '\n') = '\0';

  self->chat_id = natter_conversation_new_chat (conversation, 0, title, &error);
  if (self->chat_id <= 0)
    {
      self->chat_id = 0;
      toast (self, error->message);
      return FALSE;
    }
  *created = TRUE;
  update_title (self);
  refresh_chat_list (self);
  select_chat_in_list (self);
  return TRUE;
}

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
      add_note (self, error->message);
      return;
    }

  if (command != NATTER_SLASH_NONE)
    {
      note = natter_slash_execute (&slash_host, self, text, &error);
      add_note (self, note ? note : error->message);
      return;
    }

  natter_window_send_message (self, escaped ? escaped : text);
}

void
natter_window_send_message (NatterWindow *self,
                            const char   *text)
{
  gboolean created;

  g_return_if_fail (NATTER_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  /* Nothing is sent or stored then, and the text stays in the composer. */
  if (!check_active_profile (self))
    {
      natter_composer_set_text (self->composer, text);
      return;
    }
  natter_window_stop (self);
  if (!ensure_chat (self, text, &created))
    {
      natter_composer_set_text (self->composer, text);
      return;
    }
  start_reply (self, text, created);
}

/* Per-message actions */

static gboolean
find_position (NatterWindow      *self,
               NatterMessageItem *item,
               guint             *position)
{
  GListModel *model = G_LIST_MODEL (self->messages);

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(NatterMessageItem) it = g_list_model_get_item (model, i - 1);

      if (it == item)
        {
          *position = i - 1;
          return TRUE;
        }
    }
  return FALSE;
}

static void
reload_item (NatterWindow      *self,
             NatterMessageItem *item)
{
  g_autoptr(NatterChatMessage) message = NULL;
  g_autoptr(NatterMessageItem) fresh = NULL;

  if (self->chats == NULL || natter_message_item_get_id (item) == 0)
    return;
  message = natter_chat_store_get_message (self->chats, natter_message_item_get_id (item), NULL);
  if (message == NULL)
    return;

  fresh = natter_message_item_new_from_message (message);
  natter_message_item_set_text (item, natter_message_item_get_text (fresh));
  natter_message_item_set_reasoning (item, natter_message_item_get_reasoning (fresh));
  natter_message_item_set_swipes (item, natter_message_item_get_swipe_index (fresh),
                                  natter_message_item_get_n_swipes (fresh));
  natter_message_item_set_error (item, natter_message_item_get_error_category (fresh),
                                 natter_message_item_get_error_message (fresh));
}

/* The last message from the user, which "Save and regenerate" may follow
 * with a new reply. */
static gboolean
is_last_user_message (NatterWindow      *self,
                      NatterMessageItem *item)
{
  GListModel *model = G_LIST_MODEL (self->messages);

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(NatterMessageItem) it = g_list_model_get_item (model, i - 1);

      if (natter_message_item_get_kind (it) == NATTER_MESSAGE_KIND_USER)
        return it == item;
    }
  return FALSE;
}

gboolean
natter_window_edit_message (NatterWindow       *self,
                            NatterMessageItem  *item,
                            const char         *text,
                            gboolean            regenerate,
                            GError            **error)
{
  g_autoptr(NatterMessageItem) last = NULL;

  g_return_val_if_fail (NATTER_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (item), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (regenerate && !is_last_user_message (self, item))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("Only the last message you wrote can be saved and regenerated"));
      return FALSE;
    }
  if (self->reply != NULL && self->reply->item == item)
    natter_window_stop (self);

  /* One message, one small transaction: nothing else is rewritten. */
  if (self->chats != NULL && natter_message_item_get_id (item) != 0 &&
      !natter_chat_store_edit_message (self->chats, natter_message_item_get_id (item), text, error))
    return FALSE;
  natter_message_item_set_text (item, text);

  if (!regenerate)
    return TRUE;

  /* A new alternative of the reply that follows, or a reply when there
   * is none yet (notes are not messages of the chat). */
  last = NULL;
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->messages)); i > 0 && last == NULL; i--)
    {
      g_autoptr(NatterMessageItem) it = g_list_model_get_item (G_LIST_MODEL (self->messages), i - 1);

      if (natter_message_item_get_kind (it) != NATTER_MESSAGE_KIND_NOTE)
        last = g_steal_pointer (&it);
    }
  if (last != NULL && last != item &&
      natter_message_item_get_kind (last) == NATTER_MESSAGE_KIND_ASSISTANT)
    regenerate_reply (self, last);
  else
    start_reply (self, "", FALSE);
  return TRUE;
}

static void
on_edit_response (AdwMessageDialog  *dialog,
                  const char        *response,
                  NatterMessageItem *item)
{
  NatterWindow *self = NATTER_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  GtkTextView *view = GTK_TEXT_VIEW (g_object_get_data (G_OBJECT (dialog), "text-view"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextIter start, end;

  if (!g_str_equal (response, "save") && !g_str_equal (response, "regenerate"))
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (!natter_window_edit_message (self, item, text, g_str_equal (response, "regenerate"), &error))
    toast (self, error->message);
}

static void
edit_message (NatterWindow      *self,
              NatterMessageItem *item)
{
  AdwMessageDialog *dialog;
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)),
                            natter_message_item_get_text (item), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Message text"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 160);
  gtk_widget_add_css_class (scroller, "card");

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Edit Message"), NULL));
  adw_message_dialog_set_extra_child (dialog, scroller);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_default_response (dialog, "save");
  if (is_last_user_message (self, item) && natter_profile_store_get_active (self->profiles) != NULL)
    {
      adw_message_dialog_add_response (dialog, "regenerate", _("Save and _Regenerate"));
      adw_message_dialog_set_response_appearance (dialog, "regenerate", ADW_RESPONSE_SUGGESTED);
    }
  else
    adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  g_object_set_data (G_OBJECT (dialog), "text-view", view);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_edit_response),
                         g_object_ref (item), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  natter_a11y_fix_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_message_action (NatterWindow      *self,
                   NatterMessageItem *item,
                   const char        *action,
                   NatterChatView    *view)
{
  g_autoptr(GError) error = NULL;
  gint64 id = natter_message_item_get_id (item);
  guint position;

  g_debug ("Message action %s", action);

  if (g_str_equal (action, "edit"))
    edit_message (self, item);
  else if (g_str_equal (action, "delete"))
    {
      if (self->reply != NULL && self->reply->item == item)
        natter_window_stop (self);
      if (self->chats != NULL && id != 0 &&
          !natter_chat_store_delete_message (self->chats, id, &error))
        {
          toast (self, error->message);
          return;
        }
      if (find_position (self, item, &position))
        natter_message_model_remove (self->messages, position);
    }
  else if (g_str_equal (action, "regenerate") || g_str_equal (action, "retry"))
    regenerate_reply (self, item);
  else if (g_str_equal (action, "swipe-next"))
    {
      guint index = natter_message_item_get_swipe_index (item);

      /* Past the last alternative: write a new one. */
      if (index + 1 >= natter_message_item_get_n_swipes (item))
        regenerate_reply (self, item);
      else if (self->chats != NULL && natter_chat_store_select_swipe (self->chats, id, index + 1, &error))
        reload_item (self, item);
    }
  else if (g_str_equal (action, "swipe-previous"))
    {
      guint index = natter_message_item_get_swipe_index (item);

      if (index > 0 && self->chats != NULL &&
          natter_chat_store_select_swipe (self->chats, id, index - 1, &error))
        reload_item (self, item);
    }
  else if (g_str_equal (action, "branch"))
    {
      g_autoptr(NatterChat) chat = NULL;
      g_autofree char *title = NULL;
      gint64 branch;

      if (self->chats == NULL || self->chat_id == 0 || id == 0)
        return;
      chat = natter_chat_store_get_chat (self->chats, self->chat_id, NULL);
      /* Translators: the title of a chat branched from another one */
      title = g_strdup_printf (_("%s (branch)"), chat ? natter_chat_get_title (chat) : _("Chat"));
      branch = natter_chat_store_branch_chat (self->chats, self->chat_id, id, title, &error);
      if (branch <= 0)
        {
          toast (self, error->message);
          return;
        }
      refresh_chat_list (self);
      natter_window_open_chat (self, branch);
      toast (self, _("Branched into a new chat"));
    }

  if (error != NULL)
    toast (self, error->message);
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
    toast (self, error->message);
}

/* Actions */

static void on_character_new_chat (NatterWindow        *self,
                                   gint64               character_id,
                                   NatterCharacterPage *page);

static void
start_plain_chat (NatterWindow *self)
{
  natter_window_open_chat (self, 0);
  sync_active_profile (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

static void
on_new_chat_chosen (NatterWindow        *self,
                    gint64               character_id,
                    NatterNewChatDialog *dialog)
{
  if (character_id == 0)
    start_plain_chat (self);
  else
    on_character_new_chat (self, character_id, NULL);
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
      start_plain_chat (self);
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

NatterNewChatDialog *
natter_window_get_new_chat_dialog (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->new_chat_dialog;
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  natter_window_stop (NATTER_WINDOW (widget));
}

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
    toast (self, error->message);
}

static void
rename_chat_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  g_autoptr(NatterChat) chat = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (self->chat_id == 0 || self->chats == NULL)
    {
      toast (self, _("Send a message first: a new chat is saved with it"));
      return;
    }
  chat = natter_chat_store_get_chat (self->chats, self->chat_id, NULL);

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

  g_return_val_if_fail (NATTER_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (title != NULL, FALSE);

  clean = g_strstrip (g_strdup (title));
  if (*clean == '\0')
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("A chat needs a name"));
      return FALSE;
    }
  if (self->chat_id == 0 || self->chats == NULL)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   _("This chat is not saved yet"));
      return FALSE;
    }
  if (!natter_chat_store_rename_chat (self->chats, self->chat_id, clean, error))
    return FALSE;

  update_title (self);
  refresh_chat_list (self);
  select_chat_in_list (self);
  return TRUE;
}

static void
finish_pending_delete (NatterWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = self->pending_delete_id;

  if (id == 0)
    return;
  self->pending_delete_id = 0;
  if (self->chats != NULL && !natter_chat_store_delete_chat (self->chats, id, &error))
    g_warning ("Could not delete chat %" G_GINT64_FORMAT ": %s", id, error->message);
}

static void
on_delete_toast_dismissed (AdwToast     *toast_,
                           NatterWindow *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast_), "chat-id"));

  if (self->pending_delete_id == id)
    {
      finish_pending_delete (self);
      refresh_chat_list (self);
    }
}

static void
on_delete_undo (AdwToast     *toast_,
                NatterWindow *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast_), "chat-id"));

  if (self->pending_delete_id != id)
    return;
  self->pending_delete_id = 0;
  refresh_chat_list (self);
  natter_window_open_chat (self, id);
}

void
natter_window_delete_chat (NatterWindow *self)
{
  AdwToast *toast_;
  gint64 id;

  g_return_if_fail (NATTER_IS_WINDOW (self));

  if (self->chat_id == 0)
    return;

  /* One pending deletion at a time: the previous one happens now. */
  finish_pending_delete (self);

  id = self->chat_id;
  self->pending_delete_id = id;
  natter_window_open_chat (self, 0);
  refresh_chat_list (self);

  toast_ = adw_toast_new (_("Chat deleted"));
  adw_toast_set_button_label (toast_, _("_Undo"));
  adw_toast_set_priority (toast_, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data (G_OBJECT (toast_), "chat-id", GSIZE_TO_POINTER (id));
  g_signal_connect_object (toast_, "button-clicked", G_CALLBACK (on_delete_undo), self, 0);
  g_signal_connect_object (toast_, "dismissed", G_CALLBACK (on_delete_toast_dismissed), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast_);
}

/* For tests: what the toast's Undo button does. */
void
natter_window_undo_delete_chat (NatterWindow *self)
{
  gint64 id;

  g_return_if_fail (NATTER_IS_WINDOW (self));

  id = self->pending_delete_id;
  if (id == 0)
    return;
  self->pending_delete_id = 0;
  refresh_chat_list (self);
  natter_window_open_chat (self, id);
}

static void
delete_chat_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  natter_window_delete_chat (NATTER_WINDOW (widget));
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

/* Character cards */

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
static gint64
new_character_chat (NatterWindow  *self,
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
show_character_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GError) error = NULL;

  if (self->chats == NULL || self->chat_id == 0)
    return;
  chat = natter_chat_store_get_chat (self->chats, self->chat_id, NULL);
  if (chat == NULL || natter_chat_get_character_id (chat) == 0)
    return;
  if (!natter_character_page_set_character (self->character_page, self->chats,
                                            natter_chat_get_character_id (chat), &error))
    {
      toast (self, error->message);
      return;
    }
  gtk_stack_set_visible_child_name (self->main_stack, "character");
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

  chat_id = new_character_chat (self, character_id, &error);
  if (chat_id <= 0)
    {
      toast (self, error ? error->message : _("Could not start the chat"));
      return;
    }
  refresh_chat_list (self);
  natter_window_open_chat (self, chat_id);
}

NatterCharacterPage *
natter_window_get_character_page (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->character_page;
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

  chat_id = new_character_chat (self, character_id, error);
  if (chat_id <= 0)
    return 0;

  refresh_chat_list (self);
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
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      natter_window_add_character (self, job->card, &error) <= 0)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: "Could not import “x.png”: <reason>" */
      message = g_strdup_printf (_("Could not import “%s”: %s"), basename, error->message);
      toast (self, message);
      self->n_import_failures++;
      return;
    }

  {
    /* Translators: a character card was imported */
    g_autofree char *message = g_strdup_printf (_("Imported %s"), natter_card_get_name (job->card));
    toast (self, message);
  }
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

/* Models of the active profile */

static void
on_model_row_activated (NatterWindow  *self,
                        GtkListBoxRow *row,
                        GtkListBox    *list)
{
  const char *id = g_object_get_data (G_OBJECT (row), "model-id");

  gtk_editable_set_text (GTK_EDITABLE (self->model_entry), id);
  gtk_popover_popdown (gtk_menu_button_get_popover (self->model_button));
}

static void
on_models_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(NatterWindow) self = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  models = natter_client_list_models_finish (NATTER_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->model_list))) != NULL)
    gtk_list_box_remove (self->model_list, child);

  if (models == NULL || models->len == 0)
    {
      g_autofree char *text = NULL;

      if (error != NULL)
        text = g_strdup_printf (_("Could not fetch the models: %s"), error->message);
      gtk_label_set_text (self->model_status, text ? text : _("The provider lists no models. Type one."));
      gtk_stack_set_visible_child_name (self->model_stack, "status");
      return;
    }

  for (guint i = 0; i < models->len; i++)
    {
      NatterModelInfo *info = g_ptr_array_index (models, i);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (info->display_name ? info->display_name : info->id);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "model-id", g_strdup (info->id), g_free);
      gtk_list_box_append (self->model_list, row);
    }
  gtk_stack_set_visible_child_name (self->model_stack, "list");
}

static gboolean
model_filter (GtkListBoxRow *row,
              gpointer       user_data)
{
  NatterWindow *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->model_search));
  const char *id = g_object_get_data (G_OBJECT (row), "model-id");
  g_autofree char *folded_id = NULL;
  g_autofree char *folded_query = NULL;

  if (*query == '\0' || id == NULL)
    return TRUE;
  folded_id = g_utf8_casefold (id, -1);
  folded_query = g_utf8_casefold (query, -1);
  return strstr (folded_id, folded_query) != NULL;
}

static void
on_model_search_changed (NatterWindow   *self,
                         GtkSearchEntry *entry)
{
  gtk_list_box_invalidate_filter (self->model_list);
}

static void
on_model_popover_show (NatterWindow *self,
                       GtkPopover   *popover)
{
  NatterProfile *active = natter_profile_store_get_active (self->profiles);

  if (active == NULL)
    return;
  gtk_label_set_text (self->model_status, _("Fetching models…"));
  gtk_stack_set_visible_child_name (self->model_stack, "status");
  natter_client_list_models_async (self->client, active, self->cancellable,
                                   on_models_listed, g_object_ref (self));
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
      g_object_bind_property (settings, "show-reasoning", self->chat_view, "show-reasoning",
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
  g_signal_connect_object (self->profile_dropdown, "notify::selected",
                           G_CALLBACK (on_profile_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model_entry, "changed",
                           G_CALLBACK (on_model_entry_changed), self, G_CONNECT_SWAPPED);

  self->chats = natter_application_get_chat_store (self->application);
  if (self->chats != NULL)
    g_object_ref (self->chats);
  self->client = g_object_ref (natter_application_get_client (self->application));

  if (natter_application_get_conversation (self->application) != NULL)
    {
      NatterConversation *conversation = natter_application_get_conversation (self->application);

      g_signal_connect_object (conversation, "message-added",
                               G_CALLBACK (on_conversation_message_added), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (conversation, "swipe-started",
                               G_CALLBACK (on_conversation_swipe_started), self, G_CONNECT_SWAPPED);
    }

  natter_composer_set_slash_host (self->composer, &slash_host, self);
  natter_preset_dropdown_set_application (self->preset_dropdown, self->application);
  refresh_chat_list (self);
  sync_active_profile (self);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->profiles)) == 0)
    natter_client_probe_local_async (self->client, NULL, 0, self->cancellable,
                                     on_probed, g_object_ref (self));
}

static void
natter_window_dispose (GObject *object)
{
  NatterWindow *self = (NatterWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->new_chat_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->new_chat_dialog), (gpointer *)&self->new_chat_dialog);
      gtk_window_destroy (GTK_WINDOW (self->new_chat_dialog));
      self->new_chat_dialog = NULL;
    }
  if (self->chat_view != NULL)
    natter_window_stop (self);
  finish_pending_delete (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_WINDOW);
  self->welcome_page = NULL;
  g_clear_object (&self->messages);
  g_clear_object (&self->profiles);
  g_clear_object (&self->chats);
  g_clear_object (&self->client);
  g_clear_object (&self->chat_store_list);
  g_clear_object (&self->chat_filter_model);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->message_hits_found, g_ptr_array_unref);
  g_clear_pointer (&self->character_names, g_hash_table_unref);

  G_OBJECT_CLASS (natter_window_parent_class)->dispose (object);
}

static void
natter_window_finalize (GObject *object)
{
  NatterWindow *self = (NatterWindow *)object;

  g_clear_pointer (&self->current_model, g_free);
  g_clear_pointer (&self->chat_search, g_free);

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
  g_type_ensure (NATTER_TYPE_PRESET_DROPDOWN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, content);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, chat_list);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, message_hits_box);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, message_hits_stack);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, message_hits);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, chat_title);
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
  gtk_widget_class_bind_template_callback (widget_class, on_character_open_chat);
  gtk_widget_class_bind_template_callback (widget_class, on_character_new_chat);
  gtk_widget_class_bind_template_callback (widget_class, on_composer_send);
  gtk_widget_class_bind_template_callback (widget_class, on_message_action);
  gtk_widget_class_bind_template_callback (widget_class, on_use_local_server);

  gtk_widget_class_install_action (widget_class, "win.new-chat", NULL, new_chat_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "win.rename-chat", NULL, rename_chat_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.import-card", NULL, import_card_action);
  gtk_widget_class_install_action (widget_class, "win.delete-chat", NULL, delete_chat_action);
  gtk_widget_class_install_action (widget_class, "win.show-character", NULL, show_character_action);
}

static void
natter_window_init (NatterWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  self->messages = natter_message_model_new ();
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));

  natter_chat_view_set_model (self->chat_view, self->messages);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", FALSE);

  /* The sidebar: chats newest first, filtered by title as you type. */
  self->chat_store_list = g_list_store_new (NATTER_TYPE_CHAT);
  self->character_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->chat_filter = gtk_custom_filter_new (chat_matches, self, NULL);
  self->chat_filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->chat_store_list)),
                                                       GTK_FILTER (self->chat_filter));
  g_object_ref (self->chat_filter_model);
  {
    GtkSingleSelection *selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->chat_filter_model)));

    gtk_single_selection_set_autoselect (selection, FALSE);
    gtk_single_selection_set_can_unselect (selection, TRUE);
    gtk_list_view_set_model (self->chat_list, GTK_SELECTION_MODEL (selection));
    g_object_unref (selection);
  }
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (chat_row_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (chat_row_bind), self);
  gtk_list_view_set_factory (self->chat_list, factory);
  g_signal_connect_object (self->chat_list, "activate", G_CALLBACK (on_chat_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate", G_CALLBACK (on_search_activate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->message_hits, "row-activated", G_CALLBACK (on_message_hit_activated), self, G_CONNECT_SWAPPED);

  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }

  g_signal_connect_object (self->model_list, "row-activated", G_CALLBACK (on_model_row_activated), self, G_CONNECT_SWAPPED);
  gtk_list_box_set_filter_func (self->model_list, model_filter, self, NULL);
  g_signal_connect_object (self->model_search, "search-changed", G_CALLBACK (on_model_search_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_menu_button_get_popover (self->model_button), "show",
                           G_CALLBACK (on_model_popover_show), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->model_stack, "status");
  gtk_label_set_text (self->model_status, _("Type a model name, or fetch the list from the provider."));
}

NatterWindow *
natter_window_new (NatterApplication *application)
{
  g_return_val_if_fail (NATTER_IS_APPLICATION (application), NULL);

  return g_object_new (NATTER_TYPE_WINDOW, "natter-application", application, NULL);
}

void
natter_window_stop (NatterWindow *self)
{
  g_return_if_fail (NATTER_IS_WINDOW (self));

  if (self->reply != NULL)
    {
      Reply *reply = self->reply;

      /* The view keeps what arrived and says it stopped right away; the
       * store gets the cancelled state when the request unwinds. */
      self->reply = NULL;
      g_cancellable_cancel (reply->cancellable);
      natter_chat_view_end_stream (self->chat_view);
      if (reply->item != NULL)
        natter_message_item_set_error (reply->item, NATTER_ERROR_CATEGORY_CANCELLED, NULL);
    }
  finish_reply_ui (self);
}

gboolean
natter_window_is_streaming (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), FALSE);
  return self->reply != NULL;
}

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

NatterPresetDropdown *
natter_window_get_preset_dropdown (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->preset_dropdown;
}

GtkDropDown *
natter_window_get_profile_dropdown (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->profile_dropdown;
}

NatterWelcomePage *
natter_window_get_welcome_page (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->welcome_page;
}

GtkSearchEntry *
natter_window_get_search_entry (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->search_entry;
}

GtkEntry *
natter_window_get_model_entry (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->model_entry;
}

const char *
natter_window_get_visible_page (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

