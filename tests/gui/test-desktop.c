/* test-desktop.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Natter on the desktop, under Xvfb in a private D-Bus session
 * (tests/test-gui.sh): this process is the running Natter (it owns the
 * application id), and plays the desktop's side over a second connection —
 * the Shell calling the search provider, the notification server receiving
 * GNotifications (a fake org.gtk.Notifications), a second `natter`
 * process started from a terminal forwarding its options and files. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gui-test-util.h"
#include "natter-preferences-window.h"
#include "natter-toasts.h"

/* ---- the desktop's side ------------------------------------------------- */

static GDBusConnection *desktop_bus;   /* the Shell, the notification server */
static char *provider_bus_name;
static char *provider_path;

typedef struct
{
  char     *id;
  char     *title;
  char     *body;
  char     *action;
  GVariant *target;
} Notification;

static GPtrArray *notifications;       /* Notification *, as added */
static GPtrArray *removed;             /* char *, ids withdrawn */

static void
notification_free (Notification *n)
{
  g_free (n->id);
  g_free (n->title);
  g_free (n->body);
  g_free (n->action);
  g_clear_pointer (&n->target, g_variant_unref);
  g_free (n);
}

static const char notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  "  <method name='AddNotification'>"
  "    <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "  </method>"
  "  <method name='RemoveNotification'>"
  "    <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "  </method>"
  "</interface></node>";

static void
notifications_method_call (GDBusConnection       *connection,
                           const char            *sender,
                           const char            *object_path,
                           const char            *interface_name,
                           const char            *method_name,
                           GVariant              *parameters,
                           GDBusMethodInvocation *invocation,
                           gpointer               user_data)
{
  if (g_strcmp0 (method_name, "AddNotification") == 0)
    {
      g_autoptr(GVariant) dict = NULL;
      const char *app_id, *id;
      Notification *n = g_new0 (Notification, 1);
      GVariantDict d;

      g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &dict);
      g_assert_cmpstr (app_id, ==, APP_ID);
      g_variant_dict_init (&d, dict);
      n->id = g_strdup (id);
      g_variant_dict_lookup (&d, "title", "s", &n->title);
      g_variant_dict_lookup (&d, "body", "s", &n->body);
      g_variant_dict_lookup (&d, "default-action", "s", &n->action);
      n->target = g_variant_dict_lookup_value (&d, "default-action-target", NULL);
      g_variant_dict_clear (&d);
      g_ptr_array_add (notifications, n);
    }
  else if (g_strcmp0 (method_name, "RemoveNotification") == 0)
    {
      const char *app_id, *id;

      g_variant_get (parameters, "(&s&s)", &app_id, &id);
      g_ptr_array_add (removed, g_strdup (id));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_method_call, NULL, NULL, { 0 } };

static gboolean name_owned;

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         data)
{
  name_owned = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
start_notification_server (void)
{
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  g_autoptr(GError) error = NULL;

  notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) notification_free);
  removed = g_ptr_array_new_with_free_func (g_free);
  g_assert_cmpuint (g_dbus_connection_register_object (desktop_bus, "/org/gtk/Notifications",
                                                       node->interfaces[0], &notifications_vtable,
                                                       NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (desktop_bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                on_name_acquired, NULL, NULL, NULL);
  g_assert_true (gui_test_wait_until (is_true, &name_owned, 5000));
}

/* The Background portal, as xdg-desktop-portal offers it to a sandboxed
 * app: the reasons it was asked with. */
static GPtrArray *background_requests;

static const char portal_xml[] =
  "<node><interface name='org.freedesktop.portal.Background'>"
  "  <method name='RequestBackground'>"
  "    <arg type='s' direction='in'/><arg type='a{sv}' direction='in'/><arg type='o' direction='out'/>"
  "  </method>"
  "</interface></node>";

static void
portal_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  g_autoptr(GVariant) options = NULL;
  const char *parent;
  char *reason = NULL;
  gboolean autostart = TRUE;

  g_variant_get (parameters, "(&s@a{sv})", &parent, &options);
  g_variant_lookup (options, "reason", "s", &reason);
  g_variant_lookup (options, "autostart", "b", &autostart);
  g_assert_false (autostart);
  g_ptr_array_add (background_requests, reason != NULL ? reason : g_strdup (""));
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(o)", "/org/freedesktop/portal/desktop/request/1_1/t"));
}

static const GDBusInterfaceVTable portal_vtable = { portal_method_call, NULL, NULL, { 0 } };

static gboolean portal_owned;

static void
on_portal_acquired (GDBusConnection *connection,
                    const char      *name,
                    gpointer         data)
{
  portal_owned = TRUE;
}

static void
start_background_portal (void)
{
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (portal_xml, NULL);
  g_autoptr(GError) error = NULL;

  background_requests = g_ptr_array_new_with_free_func (g_free);
  g_assert_cmpuint (g_dbus_connection_register_object (desktop_bus, "/org/freedesktop/portal/desktop",
                                                       node->interfaces[0], &portal_vtable,
                                                       NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (desktop_bus, "org.freedesktop.portal.Desktop", G_BUS_NAME_OWNER_FLAGS_NONE,
                                on_portal_acquired, NULL, NULL, NULL);
  g_assert_true (gui_test_wait_until (is_true, &portal_owned, 5000));
}

/* The search provider's address, from the .ini the build installs: the
 * Shell finds the provider only through it. */
static void
read_search_provider_ini (void)
{
  g_autofree char *path = g_strdup_printf ("%s/data/%s.search-provider.ini",
                                           g_getenv ("NATTER_BUILD_DIR"), APP_ID);
  g_autoptr(GKeyFile) ini = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *desktop_id = NULL;

  g_assert_true (g_key_file_load_from_file (ini, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  provider_bus_name = g_key_file_get_string (ini, "Shell Search Provider", "BusName", NULL);
  provider_path = g_key_file_get_string (ini, "Shell Search Provider", "ObjectPath", NULL);
  desktop_id = g_key_file_get_string (ini, "Shell Search Provider", "DesktopId", NULL);
  g_assert_cmpstr (provider_bus_name, ==, APP_ID);
  g_assert_cmpstr (desktop_id, ==, APP_ID ".desktop");
  g_assert_cmpint (g_key_file_get_integer (ini, "Shell Search Provider", "Version", NULL), ==, 2);
}

typedef struct
{
  GVariant *reply;
  GError   *error;
  gboolean  done;
} Call;

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Call *call = data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &call->error);
  call->done = TRUE;
}

/* A call as the Shell makes it, answered while this process's main loop
 * runs (the provider lives in it). */
static GVariant *
call_provider (const char *method,
               GVariant   *parameters,
               const char *reply_type)
{
  Call call = { 0 };

  g_dbus_connection_call (desktop_bus, provider_bus_name, provider_path,
                          "org.gnome.Shell.SearchProvider2", method, parameters,
                          reply_type != NULL ? G_VARIANT_TYPE (reply_type) : NULL,
                          G_DBUS_CALL_FLAGS_NONE, 10000, NULL, on_call_done, &call);
  g_assert_true (gui_test_wait_until (is_true, &call.done, 15000));
  g_assert_no_error (call.error);
  return call.reply;
}

static char **
initial_results (const char *const *terms)
{
  g_autoptr(GVariant) reply = call_provider ("GetInitialResultSet",
                                             g_variant_new ("(^as)", terms), "(as)");
  char **ids = NULL;

  g_variant_get (reply, "(^as)", &ids);
  return ids;
}

/* ---- fixtures ----------------------------------------------------------- */

static GBytes *
fixture_bytes (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("NATTER_FIXTURES_DIR"), name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static gint64 lighthouse_chat, lighthouse_message, plain_chat;

static void
populate_store (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(GBytes) avatar = fixture_bytes ("sillytavern/default_Seraphina.png");
  g_autoptr(GError) error = NULL;
  gint64 character;

  if (lighthouse_chat != 0)
    return;
  character = natter_chat_store_add_character (chats, "Ansel", "{\"name\":\"Ansel\"}", avatar, &error);
  g_assert_no_error (error);
  lighthouse_chat = natter_chat_store_new_chat (chats, character, "The lighthouse keeper", &error);
  g_assert_no_error (error);
  natter_chat_store_append_message (chats, lighthouse_chat, NATTER_ROLE_USER, "You",
                                    "What do you keep in the tower?", &error);
  lighthouse_message = natter_chat_store_append_message (chats, lighthouse_chat, NATTER_ROLE_ASSISTANT, "Ansel",
                                                         "Quinces from the abbey orchard, and the lamp oil.", &error);
  g_assert_no_error (error);
  for (int i = 0; i < 40; i++)
    natter_chat_store_append_message (chats, lighthouse_chat, i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                      NULL, "The waves kept on breaking against the rocks.", &error);
  plain_chat = natter_chat_store_new_chat (chats, 0, "Shopping list", &error);
  g_assert_no_error (error);
  natter_chat_store_append_message (chats, plain_chat, NATTER_ROLE_USER, "You",
                                    "Bread, olives and quinces for the jam.", &error);
  g_assert_no_error (error);
}

static gboolean
strv_has (char **strv,
          const char *s)
{
  return strv != NULL && g_strv_contains ((const char *const *) strv, s);
}

/* ---- search provider ---------------------------------------------------- */

static gint64 wanted_chat;

static gboolean
shows_wanted_chat (gpointer data)
{
  return natter_window_get_chat_id (data) == wanted_chat;
}

static gboolean
sidebar_lists_chats (gpointer data)
{
  return natter_sidebar_get_n_chats (natter_window_get_sidebar (data)) >= 2;
}

static void
test_search_provider (void)
{
  g_autofree char *chat_id = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *plain_message_id = NULL;
  g_auto(GStrv) by_title = NULL;
  g_auto(GStrv) by_text = NULL;
  g_auto(GStrv) narrower = NULL;
  g_auto(GStrv) none = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) metas = NULL;
  NatterWindow *window;
  GVariantIter iter;
  GVariant *meta;
  guint n_metas = 0;

  populate_store ();
  chat_id = g_strdup_printf ("chat:%" G_GINT64_FORMAT, lighthouse_chat);
  message_id = g_strdup_printf ("message:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                lighthouse_chat, lighthouse_message);

  /* A chat by its title, whatever the case. */
  by_title = initial_results ((const char *[]) { "LIGHTHOUSE", NULL });
  g_assert_true (strv_has (by_title, chat_id));
  g_assert_false (strv_has (by_title, message_id));

  /* A chat by its character's name, alone or with a word of its title. */
  {
    g_auto(GStrv) by_character = initial_results ((const char *[]) { "ANSEL", NULL });
    g_auto(GStrv) both = initial_results ((const char *[]) { "ansel", "keeper", NULL });
    g_auto(GStrv) neither = initial_results ((const char *[]) { "ansel", "shopping", NULL });

    g_assert_true (strv_has (by_character, chat_id));
    g_assert_true (strv_has (both, chat_id));
    g_assert_false (strv_has (neither, chat_id));
  }

  /* Messages by their words, from both chats. */
  by_text = initial_results ((const char *[]) { "quinces", NULL });
  g_assert_true (strv_has (by_text, message_id));
  g_assert_cmpuint (g_strv_length (by_text), ==, 2);
  for (guint i = 0; by_text[i] != NULL; i++)
    if (!g_str_equal (by_text[i], message_id))
      plain_message_id = g_strdup (by_text[i]);
  g_assert_true (g_str_has_prefix (plain_message_id, "message:"));

  /* Narrowed by another word: only the keeper's message is left. */
  reply = call_provider ("GetSubsearchResultSet",
                         g_variant_new ("(^as^as)", by_text, (const char *[]) { "quinces", "abbey", NULL }),
                         "(as)");
  g_variant_get (reply, "(^as)", &narrower);
  g_assert_cmpuint (g_strv_length (narrower), ==, 1);
  g_assert_cmpstr (narrower[0], ==, message_id);

  none = initial_results ((const char *[]) { "zeppelin", NULL });
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  /* Any process on the bus may call: a flood of terms, a huge term, a
   * flood of ids are answered, bounded. */
  {
    g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
    g_auto(GStrv) flood = NULL;
    g_autoptr(GVariant) flood_metas = NULL;
    g_autoptr(GVariant) flood_list = NULL;

    for (guint i = 0; i < 5000; i++)
      g_ptr_array_add (many, g_strdup (i % 2 ? "quinces" : "\"OR*:("));
    g_ptr_array_add (many, g_strnfill (100000, 'q'));
    g_ptr_array_add (many, NULL);
    flood = initial_results ((const char *const *) many->pdata);
    g_assert_nonnull (flood);
    g_ptr_array_set_size (many, 0);
    for (guint i = 0; i < 5000; i++)
      g_ptr_array_add (many, g_strdup (message_id));
    g_ptr_array_add (many, NULL);
    flood_metas = call_provider ("GetResultMetas", g_variant_new ("(^as)", (char **) many->pdata), "(aa{sv})");
    flood_list = g_variant_get_child_value (flood_metas, 0);
    g_assert_cmpuint (g_variant_n_children (flood_list), >, 0);
    g_assert_cmpuint (g_variant_n_children (flood_list), <=, 64);
  }

  /* Metas: the chat's title, a snippet, the character's avatar (made
   * small) or else the application's icon. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_provider ("GetResultMetas",
                         g_variant_new ("(^as)", (const char *[]) { message_id, plain_message_id, chat_id,
                                                                   "message:999999:1", NULL }),
                         "(aa{sv})");
  metas = g_variant_get_child_value (reply, 0);
  g_variant_iter_init (&iter, metas);
  while ((meta = g_variant_iter_next_value (&iter)))
    {
      g_autoptr(GVariant) icon_value = NULL;
      g_autoptr(GIcon) icon = NULL;
      const char *id, *name, *description;
      GVariantDict d;

      g_variant_dict_init (&d, meta);
      g_assert_true (g_variant_dict_lookup (&d, "id", "&s", &id));
      g_assert_true (g_variant_dict_lookup (&d, "name", "&s", &name));
      g_assert_true (g_variant_dict_lookup (&d, "description", "&s", &description));
      icon_value = g_variant_dict_lookup_value (&d, "icon", NULL);
      g_assert_nonnull (icon_value);
      icon = g_icon_deserialize (icon_value);
      g_assert_nonnull (icon);
      if (g_str_equal (id, message_id))
        {
          g_autoptr(GdkTexture) texture = NULL;

          g_assert_cmpstr (name, ==, "The lighthouse keeper");
          g_assert_nonnull (strstr (description, "Quinces from the abbey orchard"));
          g_assert_null (strstr (description, NATTER_SEARCH_MATCH_BEGIN));
          g_assert_true (G_IS_BYTES_ICON (icon));
          texture = gdk_texture_new_from_bytes (g_bytes_icon_get_bytes (G_BYTES_ICON (icon)), NULL);
          g_assert_nonnull (texture);
          g_assert_cmpint (MAX (gdk_texture_get_width (texture), gdk_texture_get_height (texture)), ==, 64);
        }
      else if (g_str_equal (id, plain_message_id))
        {
          g_assert_cmpstr (name, ==, "Shopping list");
          g_assert_nonnull (strstr (description, "quinces for the jam"));
          g_assert_true (G_IS_THEMED_ICON (icon));
        }
      else
        {
          g_assert_cmpstr (id, ==, chat_id);
          g_assert_cmpstr (name, ==, "The lighthouse keeper");
          g_assert_cmpstr (description, ==, "Chat with Ansel");
        }
      g_variant_dict_clear (&d);
      g_variant_unref (meta);
      n_metas++;
    }
  /* The unknown result is left out. */
  g_assert_cmpuint (n_metas, ==, 3);

  /* A chat result opens the chat. */
  window = gui_test_open_window ();
  g_assert_true (gui_test_wait_until (sidebar_lists_chats, window, 5000));
  g_clear_pointer (&reply, g_variant_unref);
  g_free (chat_id);
  chat_id = g_strdup_printf ("chat:%" G_GINT64_FORMAT, plain_chat);
  reply = call_provider ("ActivateResult",
                         g_variant_new ("(s^asu)", chat_id, (const char *[]) { "shopping", NULL }, 0), NULL);
  wanted_chat = plain_chat;
  g_assert_true (gui_test_wait_until (shows_wanted_chat, window, 5000));

  /* Activating a message opens its chat scrolled to it (and another
   * chat after it: see test_jump_then_switch()). */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_provider ("ActivateResult",
                         g_variant_new ("(s^asu)", message_id, (const char *[]) { "quinces", NULL }, 0), NULL);
  wanted_chat = lighthouse_chat;
  g_assert_true (gui_test_wait_until (shows_wanted_chat, window, 5000));
  gui_test_spin (200);
  g_assert_nonnull (natter_chat_view_get_highlighted (natter_window_get_chat_view (window)));
  g_assert_cmpint (natter_message_item_get_id (natter_chat_view_get_highlighted (natter_window_get_chat_view (window))),
                   ==, lighthouse_message);

  /* "Search in Natter" shows the sidebar's search with the words. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_provider ("LaunchSearch",
                         g_variant_new ("(^asu)", (const char *[]) { "abbey", "orchard", NULL }, 0), NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (natter_sidebar_get_search_entry (natter_window_get_sidebar (window)))),
                   ==, "abbey orchard");
  gtk_editable_set_text (GTK_EDITABLE (natter_sidebar_get_search_entry (natter_window_get_sidebar (window))), "");

  gui_test_close_window (window);
}

/* ---- notifications ------------------------------------------------------ */

static gboolean
window_inactive (gpointer data)
{
  return !gtk_window_is_active (data);
}

static gboolean
window_active (gpointer data)
{
  return gtk_window_is_active (data);
}

static gboolean
has_notifications (gpointer data)
{
  return notifications->len >= GPOINTER_TO_UINT (data);
}

static gboolean
has_removed (gpointer data)
{
  return removed->len >= GPOINTER_TO_UINT (data);
}

static GtkWidget *
find_main_menu_button (GtkWidget *root)
{
  if (GTK_IS_MENU_BUTTON (root) &&
      g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (root)), "open-menu-symbolic") == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_main_menu_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWindow *
find_preferences (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (gui_test_app)); l != NULL; l = l->next)
    if (NATTER_IS_PREFERENCES_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
preferences_shown (gpointer data)
{
  return find_preferences () != NULL;
}

static gboolean
not_streaming (gpointer data)
{
  return !natter_window_is_streaming (data);
}

static void
test_notification (void)
{
  g_autoptr(NatterFakeProvider) fake = gui_test_fake_with_profile ();
  g_autofree char *expected_id = NULL;
  Notification *n;
  NatterWindow *window;
  GtkWindow *preferences;
  gint64 chat;
  guint before;

  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("The tide turns at nine.")));
  window = gui_test_open_window ();
  g_assert_true (gui_test_wait_until (window_active, window, 5000));

  /* A reply read in the focused window needs no notification. */
  gui_test_type_and_send (window, "When does the tide turn?");
  g_assert_true (gui_test_wait_until (not_streaming, window, 10000));
  chat = natter_window_get_chat_id (window);
  g_assert_cmpint (chat, >, 0);
  gui_test_spin (100);
  g_assert_cmpuint (notifications->len, ==, 0);

  /* Another window takes the focus (Preferences, from the main menu). */
  gui_test_open_menu_item (find_main_menu_button (GTK_WIDGET (window)), "_Preferences");
  g_assert_true (gui_test_wait_until (preferences_shown, NULL, 5000));
  preferences = find_preferences ();
  g_assert_true (gui_test_wait_until (window_inactive, window, 5000));

  before = notifications->len;
  gui_test_type_and_send (window, "And tomorrow?");
  g_assert_true (gui_test_wait_until (has_notifications, GUINT_TO_POINTER (before + 1), 10000));
  n = g_ptr_array_index (notifications, before);
  expected_id = g_strdup_printf ("reply-%" G_GINT64_FORMAT, chat);
  g_assert_cmpstr (n->id, ==, expected_id);
  g_assert_nonnull (n->title);
  g_assert_cmpstr (n->body, ==, "The tide turns at nine.");
  g_assert_cmpstr (n->action, ==, "app.open-chat");
  g_assert_nonnull (n->target);
  g_assert_cmpint (g_variant_get_int64 (n->target), ==, chat);

  /* A failed reply says so. */
  natter_fake_provider_clear_routes (fake);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  natter_fake_response_new_body (500, "application/json",
                                                                 "{\"error\":{\"message\":\"overloaded\"}}"));
  before = notifications->len;
  gui_test_type_and_send (window, "Are you there?");
  g_assert_true (gui_test_wait_until (has_notifications, GUINT_TO_POINTER (before + 1), 10000));
  n = g_ptr_array_index (notifications, before);
  g_assert_cmpstr (n->id, ==, expected_id);
  g_assert_true (g_str_has_prefix (n->title, "No Reply in"));
  g_assert_nonnull (strstr (n->body, "overloaded"));

  /* Seen: the window has the focus again with the chat shown. */
  gtk_window_destroy (preferences);
  before = removed->len;
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gui_test_wait_until (window_active, window, 5000));
  g_assert_true (gui_test_wait_until (has_removed, GUINT_TO_POINTER (before + 1), 5000));
  g_assert_cmpstr (g_ptr_array_index (removed, before), ==, expected_id);

  gui_test_close_window (window);
}

/* Clicking a notification: the Shell activates app.open-chat with its
 * target through org.gtk.Actions on the application's object. */
static void
test_notification_action (void)
{
  g_autofree char *app_path = g_strdup_printf ("/%s", APP_ID);
  NatterWindow *window;
  Call call = { 0 };

  populate_store ();
  g_strdelimit (app_path, ".", '/');
  window = gui_test_open_window ();
  natter_window_open_chat (window, plain_chat);
  g_dbus_connection_call (desktop_bus, APP_ID, app_path, "org.gtk.Actions", "Activate",
                          g_variant_new_parsed ("('open-chat', [<%x>], @a{sv} {})", lighthouse_chat),
                          NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, on_call_done, &call);
  g_assert_true (gui_test_wait_until (is_true, &call.done, 10000));
  g_assert_no_error (call.error);
  g_clear_pointer (&call.reply, g_variant_unref);
  wanted_chat = lighthouse_chat;
  g_assert_true (gui_test_wait_until (shows_wanted_chat, window, 5000));
  gui_test_close_window (window);
}

/* ---- a jump to a message, then another chat ----------------------------- */

static GtkScrolledWindow *
find_scroller (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return GTK_SCROLLED_WINDOW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scroller (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
chat_at_bottom (NatterWindow *window)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (find_scroller (GTK_WIDGET (natter_window_get_chat_view (window))));

  return gtk_adjustment_get_value (adj) >= gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) - 4;
}

/* The wanted chat is shown at its end, following its newest message. */
static gboolean
shows_end_of_wanted_chat (gpointer data)
{
  NatterWindow *window = data;
  NatterMessageItem *last;

  if (natter_window_get_chat_id (window) != wanted_chat)
    return FALSE;
  last = gui_test_last_item (window);
  return last != NULL && gui_test_find_row (window, last) != NULL &&
         natter_chat_view_get_following (natter_window_get_chat_view (window)) &&
         chat_at_bottom (window);
}

/* The keeper's chat is shown scrolled up to the keeper's message, marked,
 * far from the end: the chat view no longer follows. */
static gboolean
shows_keeper_message (gpointer data)
{
  NatterWindow *window = data;
  NatterMessageItem *hit = natter_chat_view_get_highlighted (natter_window_get_chat_view (window));

  return natter_window_get_chat_id (window) == lighthouse_chat &&
         hit != NULL && natter_message_item_get_id (hit) == lighthouse_message &&
         gui_test_find_row (window, hit) != NULL &&
         !natter_chat_view_get_following (natter_window_get_chat_view (window)) &&
         !chat_at_bottom (window);
}

static void
assert_jumped_to_keeper_message (NatterWindow *window)
{
  g_assert_true (gui_test_wait_until (shows_keeper_message, window, 5000));
}

static gboolean
has_one_message_hit (gpointer data)
{
  return !natter_sidebar_is_searching (data) && natter_sidebar_get_n_message_hits (data) == 1;
}

static gboolean
sidebar_lists_all_chats (gpointer data)
{
  return natter_sidebar_get_n_chats (data) >= 3;
}

/* After a jump to a message (a hit of the sidebar's search, a result of
 * the Shell's search), a click on another chat in the sidebar opens it at
 * its end; a message sent after a jump brings the view down to the reply.
 * GUI tests make warnings fatal: the list view must be given no position
 * it cannot scroll to. */
static void
test_jump_then_switch (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(NatterFakeProvider) fake = gui_test_fake_with_profile ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *message_id = NULL;
  NatterSidebar *sidebar;
  GtkSearchEntry *search;
  NatterWindow *window;
  NatterMessageItem *last;
  gint64 tides;

  populate_store ();
  tides = natter_chat_store_new_chat (chats, 0, "Tide tables", &error);
  g_assert_no_error (error);
  for (int i = 0; i < 250; i++)
    {
      g_autofree char *text = g_strdup_printf ("High water number %d comes at the harbour mouth.", i);

      natter_chat_store_append_message (chats, tides, i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                        NULL, text, &error);
      g_assert_no_error (error);
    }
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("The lamp is lit at dusk.")));

  window = gui_test_open_window ();
  sidebar = natter_window_get_sidebar (window);
  search = natter_sidebar_get_search_entry (sidebar);
  g_assert_true (gui_test_wait_until (sidebar_lists_chats, window, 5000));
  gui_test_click_chat (window, tides);
  wanted_chat = tides;
  g_assert_true (gui_test_wait_until (shows_end_of_wanted_chat, window, 5000));

  /* The sidebar's search: a hit activated (Enter or a click on its row). */
  gtk_editable_set_text (GTK_EDITABLE (search), "abbey");
  g_assert_true (gui_test_wait_until (has_one_message_hit, sidebar, 5000));
  gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (natter_sidebar_get_message_hits (sidebar), 0)));
  assert_jumped_to_keeper_message (window);

  /* The search cleared, another chat clicked: it opens at its end. */
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_assert_true (gui_test_wait_until (sidebar_lists_all_chats, sidebar, 5000));
  gui_test_click_chat (window, tides);
  g_assert_true (gui_test_wait_until (shows_end_of_wanted_chat, window, 5000));

  /* The same after the Shell's search activated the message. */
  message_id = g_strdup_printf ("message:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                lighthouse_chat, lighthouse_message);
  reply = call_provider ("ActivateResult",
                         g_variant_new ("(s^asu)", message_id, (const char *[]) { "abbey", NULL }, 0), NULL);
  assert_jumped_to_keeper_message (window);
  gui_test_click_chat (window, plain_chat);
  wanted_chat = plain_chat;
  g_assert_true (gui_test_wait_until (shows_end_of_wanted_chat, window, 5000));
  gui_test_click_chat (window, tides);
  wanted_chat = tides;
  g_assert_true (gui_test_wait_until (shows_end_of_wanted_chat, window, 5000));

  /* A jump, then a message sent in that chat: the view goes down to the
   * reply and follows again. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = call_provider ("ActivateResult",
                         g_variant_new ("(s^asu)", message_id, (const char *[]) { "abbey", NULL }, 0), NULL);
  assert_jumped_to_keeper_message (window);
  gui_test_type_and_send (window, "Is the lamp lit?");
  g_assert_true (gui_test_wait_until (not_streaming, window, 10000));
  wanted_chat = lighthouse_chat;
  g_assert_true (gui_test_wait_until (shows_end_of_wanted_chat, window, 5000));
  last = gui_test_last_item (window);
  g_assert_cmpstr (natter_message_item_get_text (last), ==, "The lamp is lit at dusk.");

  gui_test_close_window (window);
}

/* ---- background --------------------------------------------------------- */

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *found = NULL;

  for (guint i = 0; found == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        found = ADW_MESSAGE_DIALOG (window);
    }
  return found;
}

static guint
count_message_dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      n += ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window));
    }
  return n;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Clicks the dialog's button labelled @label, as a person would. */
static void
click_response (const char *label)
{
  AdwMessageDialog *dialog = find_message_dialog ();
  GtkWidget *button;

  g_assert_nonnull (dialog);
  button = find_button (GTK_WIDGET (dialog), label);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
no_dialog (gpointer data)
{
  return find_message_dialog () == NULL;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
has_chunks (gpointer data)
{
  return natter_fake_provider_get_n_chunks_sent (data) >= 1;
}

static NatterFakeProvider *open_gate_fake;

static int run_natter (const char *const *args);

static gboolean
window_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
has_background_request (gpointer data)
{
  return background_requests->len > 0;
}

static gboolean
last_reply_cancelled (gpointer data)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(GPtrArray) page = natter_chat_store_page_messages (chats, *(gint64 *) data, -1, 10, NULL);

  return page != NULL && page->len > 0 &&
         natter_chat_message_get_state (g_ptr_array_index (page, page->len - 1)) == NATTER_SWIPE_STATE_CANCELLED;
}

/* The stream reaches its gate a little after its first chunk went out:
 * opened as soon as it waits there. */
static gboolean
gate_opened_and_notified (gpointer data)
{
  natter_fake_provider_open_gate (open_gate_fake);
  return has_notifications (data);
}

static void
test_background (void)
{
  g_autoptr(NatterFakeProvider) fake = gui_test_fake_with_profile ();
  NatterFakeResponse *gated = natter_fake_response_new (200, "text/event-stream");
  NatterWindow *window;
  gpointer weak;
  gint64 chat;
  guint before;

  natter_fake_response_add_chunk (gated, GUI_CHUNK ("Once upon a time"), -1, 0);
  natter_fake_response_add_gate (gated);
  natter_fake_response_add_chunk (gated, GUI_CHUNK (", the end."), -1, 0);
  natter_fake_response_add_chunk (gated, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", gated);

  window = gui_test_open_window ();
  gui_test_type_and_send (window, "Tell me a story");
  g_assert_true (gui_test_wait_until (has_chunks, fake, 10000));
  chat = natter_window_get_chat_id (window);
  g_assert_true (natter_window_is_streaming (window));

  /* Closing asks (once, however often the window is closed); Cancel
   * keeps the window. */
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (gui_test_wait_until (dialog_shown, NULL, 5000));
  gtk_window_close (GTK_WINDOW (window));
  gui_test_spin (50);
  g_assert_cmpuint (count_message_dialogs (), ==, 1);
  click_response ("_Cancel");
  g_assert_true (gui_test_wait_until (no_dialog, NULL, 5000));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (natter_window_is_streaming (window));

  /* Keep in Background: the window goes, the reply goes on. With
   * portals (as under Flatpak), the Background portal is asked. */
  start_background_portal ();
  g_setenv ("GTK_USE_PORTAL", "1", TRUE);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (gui_test_wait_until (dialog_shown, NULL, 5000));
  click_response ("_Keep in Background");
  g_assert_true (gui_test_wait_until (no_dialog, NULL, 5000));
  g_unsetenv ("GTK_USE_PORTAL");
  g_assert_true (gui_test_wait_until (has_background_request, NULL, 5000));
  g_assert_cmpuint (background_requests->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (background_requests, 0), !=, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (natter_window_is_in_background (window));
  g_assert_true (natter_window_is_streaming (window));

  /* Natter launched again meanwhile: the same window comes back. */
  g_assert_cmpint (run_natter ((const char *[]) { NULL }), ==, 0);
  g_assert_true (gui_test_wait_until (window_visible, window, 5000));
  g_assert_false (natter_window_is_in_background (window));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (gui_test_wait_until (dialog_shown, NULL, 5000));
  click_response ("_Keep in Background");
  g_assert_true (gui_test_wait_until (no_dialog, NULL, 5000));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (natter_window_is_in_background (window));

  /* It finishes: saved whole, a notification, and the window is gone. */
  before = notifications->len;
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  open_gate_fake = fake;
  g_assert_true (gui_test_wait_until (gate_opened_and_notified, GUINT_TO_POINTER (before + 1), 10000));
  g_assert_true (gui_test_wait_until (is_null, &weak, 10000));
  {
    NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
    g_autoptr(GPtrArray) page = natter_chat_store_page_messages (chats, chat, -1, 10, NULL);
    NatterChatMessage *last;

    g_assert_nonnull (page);
    last = g_ptr_array_index (page, page->len - 1);
    g_assert_cmpstr (natter_chat_message_get_content (last), ==, "Once upon a time, the end.");
  }

  /* Stop Replies: the window closes and the reply stops. */
  natter_fake_provider_clear_routes (fake);
  gated = natter_fake_response_new (200, "text/event-stream");
  natter_fake_response_add_chunk (gated, GUI_CHUNK ("Half"), -1, 0);
  natter_fake_response_add_gate (gated);
  natter_fake_response_add_chunk (gated, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", gated);
  window = gui_test_open_window ();
  gui_test_type_and_send (window, "Another one");
  g_assert_true (natter_window_is_streaming (window));
  chat = natter_window_get_chat_id (window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (gui_test_wait_until (dialog_shown, NULL, 5000));
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  before = notifications->len;
  click_response ("_Stop Replies");
  g_assert_true (gui_test_wait_until (is_null, &weak, 10000));
  g_assert_true (gui_test_wait_until (last_reply_cancelled, &chat, 10000));
  g_assert_cmpuint (notifications->len, ==, before);
  natter_fake_provider_open_gate (fake);
}

/* ---- the command line --------------------------------------------------- */

static void
on_process_exited (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

static int
run_natter (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  g_ptr_array_add (argv, g_build_filename (g_getenv ("NATTER_BUILD_DIR"), "src", "gui", "natter", NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  /* This process answers the second one: its main loop runs meanwhile. */
  g_subprocess_wait_async (process, NULL, on_process_exited, &done);
  g_assert_true (gui_test_wait_until (is_true, &done, 20000));
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static gboolean
toast_says_no_chat (gpointer data)
{
  NatterWindow *window = data;
  AdwToast *toast = natter_toasts_get_current (natter_window_get_toast_overlay (window));

  return toast != NULL &&
         g_strcmp0 (adw_toast_get_title (toast), "That chat no longer exists") == 0;
}

static gboolean
new_chat_dialog_shown (gpointer data)
{
  return natter_window_get_new_chat_dialog (data) != NULL;
}

static gint64 chats_before;

static gboolean
has_new_chat_shown (gpointer data)
{
  return natter_window_get_chat_id (data) > chats_before;
}

static void
test_command_line (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autofree char *id = NULL;
  g_autofree char *card = NULL;
  g_autofree char *jsonl = NULL;
  g_autofree char *dir = g_dir_make_tmp ("natter-open-XXXXXX", NULL);
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GError) error = NULL;
  NatterWindow *window;
  static const char st_chat[] =
    "{\"user_name\":\"You\",\"character_name\":\"Ferry\",\"create_date\":\"2026-01-02@10h00m00s\"}\n"
    "{\"name\":\"You\",\"is_user\":true,\"mes\":\"Where does the ferry go?\",\"send_date\":\"2026-01-02@10h00m01s\"}\n"
    "{\"name\":\"Ferry\",\"is_user\":false,\"mes\":\"Across the bay and back.\",\"send_date\":\"2026-01-02@10h00m02s\"}\n";

  populate_store ();
  window = gui_test_open_window ();

  /* natter --chat ID in a terminal: the running Natter shows it. */
  id = g_strdup_printf ("%" G_GINT64_FORMAT, lighthouse_chat);
  g_assert_cmpint (run_natter ((const char *[]) { "--chat", id, NULL }), ==, 0);
  wanted_chat = lighthouse_chat;
  g_assert_true (gui_test_wait_until (shows_wanted_chat, window, 5000));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (gui_test_app))), ==, 1);

  /* natter --new-chat: the new chat chooser (characters are stored). */
  g_assert_cmpint (run_natter ((const char *[]) { "--new-chat", NULL }), ==, 0);
  g_assert_true (gui_test_wait_until (new_chat_dialog_shown, window, 5000));
  gtk_window_destroy (GTK_WINDOW (natter_window_get_new_chat_dialog (window)));

  /* A chat that is not there: the running Natter says so. */
  g_assert_cmpint (run_natter ((const char *[]) { "--chat", "999999", NULL }), ==, 0);
  g_assert_true (gui_test_wait_until (toast_says_no_chat, window, 5000));
  wanted_chat = lighthouse_chat;
  g_assert_true (shows_wanted_chat (window));

  /* A bad option fails in the second process, before anything is sent. */
  g_assert_cmpint (run_natter ((const char *[]) { "--chat", "lighthouse", NULL }), !=, 0);

  /* natter card.png: imported, and a chat with it opened. */
  card = g_build_filename (g_getenv ("NATTER_FIXTURES_DIR"), "sillytavern", "default_Seraphina.png", NULL);
  chats_before = natter_window_get_chat_id (window);
  g_assert_cmpint (run_natter ((const char *[]) { card, NULL }), ==, 0);
  g_assert_true (gui_test_wait_until (has_new_chat_shown, window, 10000));
  chat = natter_chat_store_get_chat (chats, natter_window_get_chat_id (window), &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_chat_get_character_id (chat), >, 0);
  g_clear_object (&chat);

  /* natter chat.jsonl: a SillyTavern chat imported and opened. */
  jsonl = g_build_filename (dir, "ferry.jsonl", NULL);
  g_assert_true (g_file_set_contents (jsonl, st_chat, -1, NULL));
  chats_before = natter_window_get_chat_id (window);
  g_assert_cmpint (run_natter ((const char *[]) { jsonl, NULL }), ==, 0);
  g_assert_true (gui_test_wait_until (has_new_chat_shown, window, 10000));
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);

  g_unlink (jsonl);
  g_rmdir (dir);
  gui_test_close_window (window);
}

/* ---- help ---------------------------------------------------------------- */

static char *help_opened_file;

/* A stand-in for Yelp: the handler of help: URIs writes what it was asked
 * to open into a file. Written before GIO first reads the desktop files. */
static void
install_fake_help_viewer (void)
{
  const char *data_home = g_get_user_data_dir ();
  const char *config_home = g_get_user_config_dir ();
  g_autofree char *apps = g_build_filename (data_home, "applications", NULL);
  g_autofree char *desktop = g_build_filename (apps, "natter-test-help.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config_home, "mimeapps.list", NULL);
  g_autofree char *entry = NULL;

  help_opened_file = g_build_filename (data_home, "help-opened", NULL);
  entry = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Help\n"
                           "Exec=sh -c 'printf %%s \"$1\" > %s' sh %%u\n"
                           "MimeType=x-scheme-handler/help;\n", help_opened_file);
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config_home, 0700), ==, 0);
  g_assert_true (g_file_set_contents (desktop, entry, -1, NULL));
  g_assert_true (g_file_set_contents (mimeapps,
                                      "[Default Applications]\nx-scheme-handler/help=natter-test-help.desktop\n",
                                      -1, NULL));
}

static gboolean
help_opened (gpointer data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (help_opened_file, &contents, NULL, NULL) && *contents != '\0';
}

static void
test_help (void)
{
  g_autofree char *uri = NULL;
  g_auto(GStrv) accels = NULL;
  NatterWindow *window = gui_test_open_window ();

  /* The main menu's Help item opens the guide. */
  gui_test_open_menu_item (find_main_menu_button (GTK_WIDGET (window)), "_Help");
  g_assert_true (gui_test_wait_until (help_opened, NULL, 10000));
  g_assert_true (g_file_get_contents (help_opened_file, &uri, NULL, NULL));
  g_assert_cmpstr (uri, ==, "help:" APP_ID);

  /* F1 does the same. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (gui_test_app), "app.help");
  g_assert_true (g_strv_contains ((const char *const *) accels, "F1"));

  gui_test_close_window (window);
}

/* The striped header bar of GNOME development builds, only there. */
static void
test_devel_style (void)
{
  NatterWindow *window = gui_test_open_window ();

  g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"), ==, DEVELOPMENT_BUILD);
  gui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* The desktop's own connection, apart from the application's. */
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  desktop_bus = g_dbus_connection_new_for_address_sync (address,
                                                        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                        NULL, NULL, &error);
  g_assert_no_error (error);
  read_search_provider_ini ();
  install_fake_help_viewer ();

  /* The running Natter: unique, owning its id on this bus. */
  gui_test_app = natter_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (gui_test_app), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (gui_test_app)));
  g_assert_null (natter_application_get_startup_error (gui_test_app));
  /* Before the first notification picks its backend. */
  start_notification_server ();

  g_test_add_func ("/natter/desktop/search-provider", test_search_provider);
  g_test_add_func ("/natter/desktop/notification-action", test_notification_action);
  g_test_add_func ("/natter/desktop/notification", test_notification);
  g_test_add_func ("/natter/desktop/jump-then-switch", test_jump_then_switch);
  g_test_add_func ("/natter/desktop/background", test_background);
  g_test_add_func ("/natter/desktop/command-line", test_command_line);
  g_test_add_func ("/natter/desktop/help", test_help);
  g_test_add_func ("/natter/desktop/devel-style", test_devel_style);

  ret = gui_test_run ();
  g_clear_pointer (&notifications, g_ptr_array_unref);
  g_clear_pointer (&removed, g_ptr_array_unref);
  g_clear_pointer (&background_requests, g_ptr_array_unref);
  g_clear_object (&desktop_bus);
  return ret;
}
