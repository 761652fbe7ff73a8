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
#include "natter-window.h"

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
}

static void
natter_application_activate (GApplication *application)
{
  NatterApplication *self = NATTER_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (natter_window_new (self));
      if (g_strcmp0 (g_getenv ("NATTER_BENCH_FIRST_FRAME"), "1") == 0)
        g_signal_connect (window, "map", G_CALLBACK (on_bench_window_map), self);
      gtk_window_present (window);
      if (self->startup_error != NULL)
        show_startup_error (self, window);
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
  NatterWindow *window;

  g_application_activate (application);
  window = NATTER_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (application)));
  natter_window_import_files (window, files, n_files);
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

static const GActionEntry app_actions[] = {
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
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);
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
