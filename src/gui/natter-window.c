/* natter-window.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-window"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-chat-view.h"
#include "natter-composer.h"
#include "natter-message-model.h"
#include "natter-slash-commands.h"
#include "natter-welcome-page.h"
#include "natter-window.h"

struct _NatterWindow
{
  AdwApplicationWindow  parent_instance;

  NatterApplication    *application;
  NatterProfileStore   *profiles;
  NatterMessageModel   *messages;
  char                 *current_model;
  gboolean              syncing_profile;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  GtkSearchEntry       *search_entry;
  GtkStack             *sidebar_stack;
  GtkListView          *chat_list;
  AdwWindowTitle       *chat_title;
  GtkDropDown          *profile_dropdown;
  GtkEntry             *model_entry;
  GtkMenuButton        *model_button;
  GtkStack             *model_stack;
  GtkLabel             *model_status;
  GtkListBox           *model_list;
  GtkStack             *main_stack;
  NatterWelcomePage    *welcome_page;
  NatterChatView       *chat_view;
  NatterComposer       *composer;
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

static const NatterSlashHost slash_host = {
  host_list_profiles,
  host_get_active,
  host_set_active,
  host_create_profile,
  host_update_profile,
};

/* Profiles */

static void
update_composer_state (NatterWindow *self)
{
  NatterProfile *active = natter_profile_store_get_active (self->profiles);

  if (active == NULL)
    natter_composer_set_disabled_reason (self->composer,
                                         _("Add a connection to start chatting: Main Menu → Connections…"));
  else if (self->current_model == NULL || *self->current_model == '\0')
    natter_composer_set_disabled_reason (self->composer,
                                         _("Choose a model for this connection to start chatting."));
  else
    natter_composer_set_disabled_reason (self->composer, NULL);
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
                                    n == 0 && g_list_model_get_n_items (G_LIST_MODEL (self->messages)) == 0
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

/* Sending */

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
  g_autoptr(NatterMessageItem) user = NULL;

  g_return_if_fail (NATTER_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  user = natter_message_item_new (NATTER_MESSAGE_KIND_USER, text);
  natter_message_model_append (self->messages, user);
  gtk_stack_set_visible_child_name (self->main_stack, "chat");
  natter_chat_view_scroll_to_bottom (self->chat_view);
}

static void
on_message_action (NatterWindow      *self,
                   NatterMessageItem *item,
                   const char        *action,
                   NatterChatView    *view)
{
  g_debug ("Message action %s", action);

  if (g_str_equal (action, "edit"))
    {
      natter_composer_set_text (self->composer, natter_message_item_get_text (item));
      gtk_widget_grab_focus (GTK_WIDGET (self->composer));
    }
  else if (g_str_equal (action, "delete"))
    {
      GListModel *model = G_LIST_MODEL (self->messages);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(NatterMessageItem) it = g_list_model_get_item (model, i);

          if (it == item)
            {
              natter_message_model_remove (self->messages, i);
              break;
            }
        }
    }
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

static void
new_chat_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);

  natter_chat_view_end_stream (self->chat_view);
  natter_message_model_clear (self->messages);
  adw_window_title_set_title (self->chat_title, _("New Chat"));
  sync_active_profile (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  natter_window_stop (NATTER_WINDOW (widget));
}

static void
rename_chat_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  toast (NATTER_WINDOW (widget), _("Save the chat first to rename it"));
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

static void
import_card_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  toast (NATTER_WINDOW (widget), _("Importing character cards is not available yet"));
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

  natter_composer_set_slash_host (self->composer, &slash_host, self);
  sync_active_profile (self);
}

static void
natter_window_dispose (GObject *object)
{
  NatterWindow *self = (NatterWindow *)object;

  if (self->chat_view != NULL)
    natter_chat_view_end_stream (self->chat_view);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_WINDOW);
  g_clear_object (&self->messages);
  g_clear_object (&self->profiles);

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

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, content);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, chat_list);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, chat_title);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, profile_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, model_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, model_button);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, model_stack);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, model_status);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, model_list);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, chat_view);
  gtk_widget_class_bind_template_child (widget_class, NatterWindow, composer);
  gtk_widget_class_bind_template_callback (widget_class, on_composer_send);
  gtk_widget_class_bind_template_callback (widget_class, on_message_action);
  gtk_widget_class_bind_template_callback (widget_class, on_use_local_server);

  gtk_widget_class_install_action (widget_class, "win.new-chat", NULL, new_chat_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.rename-chat", NULL, rename_chat_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.import-card", NULL, import_card_action);
}

static void
natter_window_init (NatterWindow *self)
{
  self->messages = natter_message_model_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  natter_chat_view_set_model (self->chat_view, self->messages);
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
  natter_chat_view_end_stream (self->chat_view);
  natter_composer_set_streaming (self->composer, FALSE);
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

void
natter_window_import_files (NatterWindow  *self,
                            GFile        **files,
                            int            n_files)
{
  g_return_if_fail (NATTER_IS_WINDOW (self));
}
