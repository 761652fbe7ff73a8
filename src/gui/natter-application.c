/* natter-application.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "natter-a11y.h"
#include "natter-application.h"
#include "natter-connections-dialog.h"
#include "natter-inspector-window.h"
#include "natter-usage-window.h"
#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-conversation.h"
#include "natter-preferences-window.h"
#include "natter-profile-store.h"
#include "natter-request-log.h"
#include "natter-search-provider.h"
#include "natter-window.h"
#include "natter-window-private.h"

struct _NatterApplication
{
  AdwApplication  parent_instance;

  NatterSettings *settings;
  NatterDatabase *database;
  NatterProfileStore *profiles;
  NatterRequestLog *request_log;
  NatterClient   *client;
  NatterChatStore *chats;
  NatterConversation *conversation;
  GError         *startup_error;

  NatterSearchProvider *search_provider;
  /* --chat / --new-chat given to the first instance: done once its window
   * is there. */
  char           *pending_action;
  GVariant       *pending_target;
};

G_DEFINE_FINAL_TYPE (NatterApplication, natter_application, ADW_TYPE_APPLICATION)

static void
apply_color_scheme (NatterApplication *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  const char *scheme = natter_settings_get_color_scheme (self->settings);

  if (g_strcmp0 (scheme, "light") == 0)
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_strcmp0 (scheme, "dark") == 0)
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
show_startup_error (NatterApplication *self,
                    GtkWindow         *parent)
{
  AdwMessageDialog *dialog;
  const char *heading;

  if (g_error_matches (self->startup_error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_CORRUPT))
    heading = _("The Chat Database Is Damaged");
  else if (g_error_matches (self->startup_error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_TOO_NEW))
    heading = _("The Chat Database Is From a Newer Natter");
  else
    heading = _("Could Not Open the Chat Database");

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, NULL));
  adw_message_dialog_format_body (dialog,
                                  _("%s\n\nNatter left the file untouched. Your chats are not shown until this is fixed."),
                                  self->startup_error->message);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  natter_a11y_fix_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A logout or kill (SIGTERM), Ctrl+C or a closed terminal quits as the
 * Quit action does, so the database is closed cleanly. */
static gboolean
on_quit_signal (gpointer data)
{
  g_application_quit (G_APPLICATION (data));

  return G_SOURCE_CONTINUE;
}

/* NATTER_BENCH_FIRST_FRAME=1 (build-aux/bench-startup.sh): print when the
 * first window painted its first frame, then quit. */
static void
on_first_frame (GdkFrameClock *clock,
                gpointer       data)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame, data);
  g_print ("natter-first-frame-at-us %" G_GINT64_FORMAT "\n", g_get_real_time ());
  fflush (stdout);
  g_application_quit (G_APPLICATION (data));
}

static void
on_bench_window_map (GtkWidget *window,
                     gpointer   data)
{
  g_signal_handlers_disconnect_by_func (window, on_bench_window_map, data);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_first_frame), data);
}

static void
natter_application_shutdown (GApplication *application)
{
  NatterApplication *self = NATTER_APPLICATION (application);

  G_APPLICATION_CLASS (natter_application_parent_class)->shutdown (application);

  /* Windows (and what they hold) may outlive this: close now. */
  if (self->database != NULL)
    natter_database_close (self->database);
}

static void
natter_application_startup (GApplication *application)
{
  NatterApplication *self = NATTER_APPLICATION (application);
  g_autoptr(GError) error = NULL;

  G_APPLICATION_CLASS (natter_application_parent_class)->startup (application);

  g_unix_signal_add (SIGTERM, on_quit_signal, self);
  g_unix_signal_add (SIGINT, on_quit_signal, self);
  g_unix_signal_add (SIGHUP, on_quit_signal, self);

  /* The icon is in the resources (icons/ under the resource base path,
   * which GtkApplication adds to the icon theme), so windows have it when
   * run uninstalled too. */
  gtk_window_set_default_icon_name (APP_ID);

  self->settings = natter_settings_new ();
  g_signal_connect_object (self->settings, "notify::color-scheme",
                           G_CALLBACK (apply_color_scheme), self, G_CONNECT_SWAPPED);
  apply_color_scheme (self);

  /* Blocking, but before the first window: the window has nothing to show
   * without the database, and opening a local SQLite file is quick. */
  self->database = natter_database_open_default (&error);
  if (self->database != NULL)
    self->profiles = natter_profile_store_new (self->database, &error);
  if (self->profiles != NULL)
    self->request_log = natter_request_log_new (self->database, &error);

  if (error != NULL)
    {
      g_warning ("Could not open the database: %s", error->message);
      self->startup_error = g_steal_pointer (&error);
    }

  /* The window always gets working stores, in memory when the database
   * failed, so it can show itself and explain; nothing is written to the
   * damaged file. */
  if (self->profiles == NULL || self->request_log == NULL)
    {
      g_clear_object (&self->profiles);
      g_clear_object (&self->request_log);
      g_clear_object (&self->database);
      self->database = natter_database_open (":memory:", NULL);
      if (self->database != NULL)
        {
          self->profiles = natter_profile_store_new (self->database, NULL);
          self->request_log = natter_request_log_new (self->database, NULL);
        }
    }

  if (self->database != NULL)
    self->chats = natter_chat_store_new (self->database);
  self->client = natter_client_new (self->database, self->profiles, self->request_log);
  if (self->chats != NULL)
    self->conversation = natter_conversation_new (self->chats, self->client);
  if (self->search_provider != NULL)
    natter_search_provider_set_store (self->search_provider, self->chats);

  /* Started by D-Bus (the Shell's search, a notification) without a
   * window: gone again a little while after the last request. */
  if (g_application_get_flags (application) & G_APPLICATION_IS_SERVICE)
    g_application_set_inactivity_timeout (application, 10000);
}

/* The main window most recently used (the inspector or the usage window
 * may be the active one), or NULL. */
static GtkWindow *
find_main_window (NatterApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (NATTER_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

/* The main window, shown, and created when there is none. */
static NatterWindow *
ensure_window (NatterApplication *self)
{
  g_application_activate (G_APPLICATION (self));
  return NATTER_WINDOW (find_main_window (self));
}

static void
on_search_activate_result (NatterApplication *self,
                           gint64             chat_id,
                           gint64             message_id,
                           guint              timestamp)
{
  NatterWindow *window = ensure_window (self);

  gtk_window_present_with_time (GTK_WINDOW (window), timestamp);
  natter_window_open_message (window, chat_id, message_id);
}

static void
on_search_launch (NatterApplication *self,
                  const char        *text,
                  guint              timestamp)
{
  NatterWindow *window = ensure_window (self);

  gtk_window_present_with_time (GTK_WINDOW (window), timestamp);
  natter_window_search (window, text);
}

/* The Shell's search provider lives beside the application's own object
 * (the .ini installed with the app names this path). Exported before the
 * bus name is owned, so no call from the Shell can miss it. */
static gboolean
natter_application_dbus_register (GApplication     *application,
                                  GDBusConnection  *connection,
                                  const char       *object_path,
                                  GError          **error)
{
  NatterApplication *self = NATTER_APPLICATION (application);
  g_autofree char *path = g_strconcat (object_path, "/SearchProvider", NULL);

  if (!G_APPLICATION_CLASS (natter_application_parent_class)->dbus_register (application, connection,
                                                                              object_path, error))
    return FALSE;

  if (self->search_provider == NULL)
    {
      self->search_provider = natter_search_provider_new (application, self->chats);
      g_signal_connect_object (self->search_provider, "activate-result",
                               G_CALLBACK (on_search_activate_result), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->search_provider, "launch-search",
                               G_CALLBACK (on_search_launch), self, G_CONNECT_SWAPPED);
    }
  return natter_search_provider_register (self->search_provider, connection, path, error);
}

static void
natter_application_dbus_unregister (GApplication    *application,
                                    GDBusConnection *connection,
                                    const char      *object_path)
{
  NatterApplication *self = NATTER_APPLICATION (application);

  if (self->search_provider != NULL)
    natter_search_provider_unregister (self->search_provider);

  G_APPLICATION_CLASS (natter_application_parent_class)->dbus_unregister (application, connection, object_path);
}

/* natter --new-chat, natter --chat ID: a running Natter does it (the
 * action is sent to it over D-Bus, and this process ends); the first one
 * does it once its window is up. */
static int
natter_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  NatterApplication *self = NATTER_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  const char *action = NULL;
  GVariant *target = NULL;
  gint64 chat_id;

  if (g_variant_dict_lookup (options, "chat", "x", &chat_id))
    {
      action = "open-chat";
      target = g_variant_ref_sink (g_variant_new_int64 (chat_id));
    }
  else if (g_variant_dict_contains (options, "new-chat"))
    action = "new-chat";
  else
    return -1;

  if (!g_application_register (application, NULL, &error))
    {
      g_printerr ("natter: %s\n", error->message);
      g_clear_pointer (&target, g_variant_unref);
      return 1;
    }
  if (g_application_get_is_remote (application))
    {
      GDBusConnection *bus = g_application_get_dbus_connection (application);

      g_action_group_activate_action (G_ACTION_GROUP (application), action, target);
      g_clear_pointer (&target, g_variant_unref);
      if (bus != NULL)
        g_dbus_connection_flush_sync (bus, NULL, NULL);
      return 0;
    }

  self->pending_action = g_strdup (action);
  self->pending_target = target;
  return -1;
}

static void
natter_application_activate (GApplication *application)
{
  NatterApplication *self = NATTER_APPLICATION (application);
  GtkWindow *window = find_main_window (self);

  if (window == NULL)
    {
      window = GTK_WINDOW (natter_window_new (self));
      if (g_strcmp0 (g_getenv ("NATTER_BENCH_FIRST_FRAME"), "1") == 0)
        g_signal_connect (window, "map", G_CALLBACK (on_bench_window_map), self);
      gtk_window_present (window);
      if (self->startup_error != NULL)
        show_startup_error (self, window);
      if (self->pending_action != NULL)
        {
          g_autofree char *action = g_steal_pointer (&self->pending_action);
          g_autoptr(GVariant) target = g_steal_pointer (&self->pending_target);

          g_action_group_activate_action (G_ACTION_GROUP (self), action, target);
        }
      return;
    }

  gtk_window_present (window);
}

static void
natter_application_open (GApplication  *application,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  NatterWindow *window = ensure_window (NATTER_APPLICATION (application));

  natter_window_open_files (window, files, n_files);
}

static void
natter_application_dispose (GObject *object)
{
  NatterApplication *self = (NatterApplication *)object;

  g_clear_object (&self->conversation);
  g_clear_object (&self->client);
  g_clear_object (&self->chats);
  g_clear_object (&self->request_log);
  g_clear_object (&self->profiles);
  g_clear_object (&self->database);
  g_clear_object (&self->settings);
  g_clear_error (&self->startup_error);
  g_clear_object (&self->search_provider);
  g_clear_pointer (&self->pending_action, g_free);
  g_clear_pointer (&self->pending_target, g_variant_unref);

  G_OBJECT_CLASS (natter_application_parent_class)->dispose (object);
}

static void
natter_application_class_init (NatterApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = natter_application_dispose;
  app_class->startup = natter_application_startup;
  app_class->shutdown = natter_application_shutdown;
  app_class->activate = natter_application_activate;
  app_class->open = natter_application_open;
  app_class->dbus_register = natter_application_dbus_register;
  app_class->dbus_unregister = natter_application_dbus_unregister;
  app_class->handle_local_options = natter_application_handle_local_options;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Natter authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Natter"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Natter authors"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/natterapp/natter",
                        "issue-url", "https://github.com/natterapp/natter/issues",
                        "copyright", "© 2026 The Natter authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
connections_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  NatterApplication *self = NATTER_APPLICATION (user_data);
  /* Before the dialog joins the application and may become the active one. */
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *dialog = GTK_WINDOW (natter_connections_dialog_new (self));

  gtk_window_set_transient_for (dialog, parent);
  gtk_window_present (dialog);
}

static void
inspector_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  NatterApplication *self = NATTER_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* One inspector: bring the existing one forward. */
  for (const GList *l = windows; l != NULL; l = l->next)
    {
      if (NATTER_IS_INSPECTOR_WINDOW (l->data))
        {
          gtk_window_present (GTK_WINDOW (l->data));
          return;
        }
    }

  gtk_window_present (GTK_WINDOW (natter_inspector_window_new (self)));
}

static void
usage_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  NatterApplication *self = NATTER_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *window;

  if (natter_application_get_database (self) == NULL)
    return;
  window = GTK_WINDOW (natter_usage_window_new (natter_application_get_database (self),
                                                natter_application_get_request_log (self)));
  gtk_window_set_application (window, GTK_APPLICATION (self));
  gtk_window_set_transient_for (window, parent);
  gtk_window_present (window);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  NatterApplication *self = NATTER_APPLICATION (user_data);
  /* Before the window joins the application and becomes the active one. */
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *window = GTK_WINDOW (natter_preferences_window_new (self));

  gtk_window_set_transient_for (window, parent);
  gtk_window_present (window);
}

/* The connection manager open on one profile's edit form (the composer's
 * "no API key" hint offers it). */
static void
edit_connection_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  NatterApplication *self = NATTER_APPLICATION (user_data);
  /* Before the dialog joins the application and may become the active one. */
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *dialog = GTK_WINDOW (natter_connections_dialog_new (self));

  gtk_window_set_transient_for (dialog, parent);
  gtk_window_present (dialog);
  gtk_widget_activate_action_variant (GTK_WIDGET (dialog), "connections.edit", parameter);
}

static void
new_chat_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  NatterWindow *window = ensure_window (NATTER_APPLICATION (user_data));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-chat", NULL);
}

/* A chat by id: natter --chat ID, a notification clicked. */
static void
open_chat_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  NatterWindow *window = ensure_window (NATTER_APPLICATION (user_data));

  natter_window_open_message (window, g_variant_get_int64 (parameter), 0);
}

static void
on_help_shown (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error) &&
      NATTER_IS_WINDOW (source))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the help: %s"), error->message);

      _natter_window_toast (NATTER_WINDOW (source), message);
    }
}

static void
help_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* The guide is installed under the app id (its own for .Devel builds). */
  gtk_show_uri_full (parent, "help:" APP_ID, GDK_CURRENT_TIME, NULL, on_help_shown, NULL);
}

static const GActionEntry app_actions[] = {
  { "new-chat", new_chat_activated },
  { "open-chat", open_chat_activated, "x" },
  { "help", help_activated },
  { "quit", quit_activated },
  { "about", about_activated },
  { "connections", connections_activated },
  { "edit-connection", edit_connection_activated, "x" },
  { "inspector", inspector_activated },
  { "usage", usage_activated },
  { "preferences", preferences_activated },
};

static void
natter_application_init (NatterApplication *self)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.inspector", { "<Control><Shift>i", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "win.new-chat", { "<Control>n", NULL } },
    { "win.stop", { "Escape", NULL } },
    { "win.rename-chat", { "F2", NULL } },
    { "win.new-character", { "<Control><Shift>n", NULL } },
    { "win.edit-character", { "<Control>e", NULL } },
    { "win.personas", { "<Control><Shift>p", NULL } },
    { "win.lorebooks", { "<Control><Shift>l", NULL } },
    { "app.help", { "F1", NULL } },
  };
  static const GOptionEntry options[] = {
    { "new-chat", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Start a new chat"), NULL },
    { "chat", 0, 0, G_OPTION_ARG_INT64, NULL, N_("Open the chat with this id"), N_("ID") },
    { NULL }
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Opens character cards (PNG, JSON, CHARX) and chats (JSONL) given as files."));
}

NatterApplication *
natter_application_new (void)
{
  /* The resources live under the base id, also in .Devel builds, so
   * gtk/help-overlay.ui and style.css are found either way. */
  return g_object_new (NATTER_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/natterapp/Natter",
                       NULL);
}

NatterSettings *
natter_application_get_settings (NatterApplication *self)
{
  g_return_val_if_fail (NATTER_IS_APPLICATION (self), NULL);
  return self->settings;
}

NatterDatabase *
natter_application_get_database (NatterApplication *self)
{
  g_return_val_if_fail (NATTER_IS_APPLICATION (self), NULL);
  return self->database;
}

const GError *
natter_application_get_startup_error (NatterApplication *self)
{
  g_return_val_if_fail (NATTER_IS_APPLICATION (self), NULL);
  return self->startup_error;
}

NatterProfileStore *
natter_application_get_profile_store (NatterApplication *self)
{
  g_return_val_if_fail (NATTER_IS_APPLICATION (self), NULL);
  return self->profiles;
}

NatterRequestLog *
natter_application_get_request_log (NatterApplication *self)
{
  g_return_val_if_fail (NATTER_IS_APPLICATION (self), NULL);
  return self->request_log;
}

NatterClient *
natter_application_get_client (NatterApplication *self)
{
  g_return_val_if_fail (NATTER_IS_APPLICATION (self), NULL);
  return self->client;
}

NatterChatStore *
natter_application_get_chat_store (NatterApplication *self)
{
  g_return_val_if_fail (NATTER_IS_APPLICATION (self), NULL);
  return self->chats;
}

NatterConversation *
natter_application_get_conversation (NatterApplication *self)
{
  g_return_val_if_fail (NATTER_IS_APPLICATION (self), NULL);
  return self->conversation;
}
