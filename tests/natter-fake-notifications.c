/* natter-fake-notifications.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A notification server that shows nothing: tests/test-gui.sh starts it on
 * each GUI test's private session bus, so a notification sent when a
 * reply ends while a test's window is not focused has somewhere to go (as
 * on a desktop) instead of a warning. It exits when the bus goes away.
 * (test-desktop checks notifications through org.gtk.Notifications,
 * which GLib prefers when it is there.) */

#include <gio/gio.h>

static const char xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "  <method name='Notify'>"
  "    <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "    <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "    <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "    <arg type='u' direction='out'/>"
  "  </method>"
  "  <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "  <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "  <method name='GetServerInformation'>"
  "    <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "  </method>"
  "</interface></node>";

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  static guint32 next_id = 1;

  if (g_strcmp0 (method_name, "Notify") == 0)
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", next_id++));
  else if (g_strcmp0 (method_name, "GetCapabilities") == 0)
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(['actions', 'body'],)"));
  else if (g_strcmp0 (method_name, "GetServerInformation") == 0)
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "natter-fake-notifications",
                                                          "Natter", "1.0", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { 0 } };

static void
on_bus_acquired (GDBusConnection *connection,
                 const char      *name,
                 gpointer         data)
{
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (xml, NULL);

  g_dbus_connection_register_object (connection, "/org/freedesktop/Notifications",
                                     node->interfaces[0], &vtable, NULL, NULL, NULL);
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         data)
{
  g_main_loop_quit (data);
}

int
main (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_bus_own_name (G_BUS_TYPE_SESSION, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                  on_bus_acquired, NULL, on_name_lost, loop, NULL);
  g_main_loop_run (loop);
  return 0;
}
