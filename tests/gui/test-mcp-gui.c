/* test-mcp-gui.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The Tools page of the preferences and the chat's Tools dialog under Xvfb
 * (see tests/test-gui.sh): servers added, tested, edited, imported and
 * removed through their buttons, with the database of NATTER_DATA_DIR, the
 * private keyring of test-gui.sh and tests/natter-test-mcp-server. */

#include "config.h"

#include <string.h>

#include "gui-test-util.h"
#include "natter-application.h"
#include "natter-chat-tools-dialog.h"
#include "natter-mcp-page-private.h"
#include "natter-mcp-server-editor.h"
#include "natter-mcp-store.h"
#include "natter-preferences-window.h"
#include "natter-secrets.h"

#define app gui_test_app
#define spin gui_test_spin
#define wait_until gui_test_wait_until

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

static void
click (gpointer button)
{
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

static void
set_text (gpointer    editable,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

static void
close_window (gpointer window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_assert_finalize_object (window);
}

/* A PNG of @widget in $NATTER_SCREENSHOT_DIR (when set), to check by eye. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("NATTER_SCREENSHOT_DIR");
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

static NatterDatabase *
db (void)
{
  return natter_application_get_database (app);
}

typedef struct
{
  NatterMcpPage *page;
  const char    *name;
  const char    *needle;
} RowWait;

static gboolean
row_present (gpointer data)
{
  RowWait *w = data;

  return _natter_mcp_page_find_row (w->page, w->name) != NULL;
}

static gboolean
row_absent (gpointer data)
{
  return !row_present (data);
}

static gboolean
subtitle_has (gpointer data)
{
  RowWait *w = data;
  AdwActionRow *row = _natter_mcp_page_find_row (w->page, w->name);
  const char *subtitle = row != NULL ? adw_action_row_get_subtitle (row) : NULL;

  return subtitle != NULL && strstr (subtitle, w->needle) != NULL;
}

static gboolean
no_editor (gpointer data)
{
  return find_toplevel (NATTER_TYPE_MCP_SERVER_EDITOR) == NULL;
}

static NatterMcpServerEditor *
open_editor (GtkButton *button)
{
  NatterMcpServerEditor *editor;

  click (button);
  spin (20);
  editor = find_toplevel (NATTER_TYPE_MCP_SERVER_EDITOR);
  g_assert_nonnull (editor);
  return editor;
}

#define EDITOR(e, name) child ((e), NATTER_TYPE_MCP_SERVER_EDITOR, (name))

static void
test_page (void)
{
  NatterPreferencesWindow *window = natter_preferences_window_new (app);
  g_autofree char *server = g_build_filename (g_getenv ("NATTER_BUILD_DIR"), "tests", "natter-test-mcp-server", NULL);
  g_autofree char *command = g_strdup_printf ("'%s' --page-size=2 ~/notes", server);
  g_autofree char *notes = g_build_filename (g_get_home_dir (), "notes", NULL);
  g_autofree char *fixture = g_build_filename (g_getenv ("NATTER_FIXTURES_DIR"), "mcp", "mcp-servers.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (fixture);
  g_autoptr(NatterMcpConfig) stored = NULL;
  g_autoptr(GError) error = NULL;
  NatterMcpServerEditor *editor;
  NatterMcpPage *page;
  GtkLabel *error_label;
  AdwMessageDialog *confirm;
  AdwActionRow *row;
  char *secret;
  RowWait w = { NULL, "Test Server", NULL };

  gtk_window_present (GTK_WINDOW (window));
  spin (50);
  page = NATTER_MCP_PAGE (find_descendant (GTK_WIDGET (window), NATTER_TYPE_MCP_PAGE));
  g_assert_nonnull (page);
  w.page = page;

  /* A server without a command is refused with a sentence. */
  editor = open_editor (child (page, NATTER_TYPE_MCP_PAGE, "add_button"));
  set_text (EDITOR (editor, "name_row"), "Broken");
  click (EDITOR (editor, "save_button"));
  error_label = EDITOR (editor, "error_label");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "command"));
  gtk_window_close (GTK_WINDOW (editor));
  g_assert_true (wait_until (no_editor, NULL, 2000));

  /* Add a program with a plain and a secret variable. */
  editor = open_editor (child (page, NATTER_TYPE_MCP_PAGE, "add_button"));
  set_text (EDITOR (editor, "name_row"), "Test Server");
  set_text (EDITOR (editor, "command_row"), command);
  set_text (EDITOR (editor, "env_row"), "LOG_LEVEL=debug");
  set_text (EDITOR (editor, "secret_env_row"), "SERVICE_CODE=gui-secret-value");
  spin (100);
  save_screenshot (GTK_WIDGET (editor), "mcp-server-editor.png");
  click (EDITOR (editor, "save_button"));
  g_assert_true (wait_until (no_editor, NULL, 10000));
  g_assert_true (wait_until (row_present, &w, 2000));

  stored = natter_mcp_store_get (db (), "Test Server", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->command, ==, server);
  g_assert_cmpstr (stored->args[0], ==, "--page-size=2");
  g_assert_cmpstr (stored->args[1], ==, notes);
  g_assert_cmpuint (stored->env->len, ==, 2);
  g_assert_false (((NatterCustomHeader *) g_ptr_array_index (stored->env, 0))->secret);
  g_assert_true (((NatterCustomHeader *) g_ptr_array_index (stored->env, 1))->secret);
  g_assert_null (((NatterCustomHeader *) g_ptr_array_index (stored->env, 1))->value);
  secret = natter_secrets_lookup_sync (stored->uuid, NATTER_SECRET_HEADERS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "{\"SERVICE_CODE\":\"gui-secret-value\"}");
  natter_secrets_free (secret);

  /* Test: the server starts and its tools are listed on the row. */
  row = _natter_mcp_page_find_row (page, "Test Server");
  click (_natter_mcp_page_row_button (row, "test"));
  w.needle = "11 tools: echo, add";
  g_assert_true (wait_until (subtitle_has, &w, 20000));

  /* Edit: the time limit changes, the secret stays in the keyring. */
  row = _natter_mcp_page_find_row (page, "Test Server");
  editor = open_editor (_natter_mcp_page_row_button (row, "edit"));
  g_assert_cmpstr (gtk_editable_get_text (EDITOR (editor, "name_row")), ==, "Test Server");
  g_assert_cmpstr (gtk_editable_get_text (EDITOR (editor, "env_row")), ==, "LOG_LEVEL=debug");
  g_assert_cmpstr (gtk_editable_get_text (EDITOR (editor, "secret_env_row")), ==, "");
  gtk_spin_button_set_value (EDITOR (editor, "timeout_spin"), 5);
  click (EDITOR (editor, "save_button"));
  g_assert_true (wait_until (no_editor, NULL, 10000));
  g_clear_pointer (&stored, natter_mcp_config_free);
  stored = natter_mcp_store_get (db (), "Test Server", &error);
  g_assert_cmpuint (stored->timeout, ==, 5);
  g_assert_cmpuint (stored->env->len, ==, 2);
  g_assert_true (((NatterCustomHeader *) g_ptr_array_index (stored->env, 1))->secret);
  secret = natter_secrets_lookup_sync (stored->uuid, NATTER_SECRET_HEADERS, NULL, &error);
  g_assert_cmpstr (secret, ==, "{\"SERVICE_CODE\":\"gui-secret-value\"}");
  natter_secrets_free (secret);

  /* A web address: headers (quoted values), a secret one into the keyring. */
  editor = open_editor (child (page, NATTER_TYPE_MCP_PAGE, "add_button"));
  set_text (EDITOR (editor, "name_row"), "Web");
  adw_combo_row_set_selected (EDITOR (editor, "kind_row"), 1);
  g_assert_true (gtk_widget_get_visible (EDITOR (editor, "http_group")));
  g_assert_false (gtk_widget_get_visible (EDITOR (editor, "program_group")));
  set_text (EDITOR (editor, "url_row"), "https://mcp.example.com/mcp");
  set_text (EDITOR (editor, "headers_row"), "X-Team=blue 'X-Note=two words'");
  set_text (EDITOR (editor, "secret_headers_row"), "Authorization='Bearer gui-header-secret'");
  click (EDITOR (editor, "save_button"));
  g_assert_true (wait_until (no_editor, NULL, 10000));
  g_clear_pointer (&stored, natter_mcp_config_free);
  stored = natter_mcp_store_get (db (), "Web", &error);
  g_assert_no_error (error);
  g_assert_cmpint (stored->transport, ==, NATTER_MCP_TRANSPORT_HTTP);
  g_assert_cmpuint (stored->headers->len, ==, 3);
  g_assert_cmpstr (((NatterCustomHeader *) g_ptr_array_index (stored->headers, 1))->value, ==, "two words");
  g_assert_null (((NatterCustomHeader *) g_ptr_array_index (stored->headers, 2))->value);
  secret = natter_secrets_lookup_sync (stored->uuid, NATTER_SECRET_HEADERS, NULL, &error);
  g_assert_cmpstr (secret, ==, "{\"Authorization\":\"Bearer gui-header-secret\"}");
  natter_secrets_free (secret);

  /* Import a file other apps write. */
  _natter_mcp_page_import_file (page, file);
  w.name = "remote docs";
  g_assert_true (wait_until (row_present, &w, 10000));
  w.name = "github";
  g_assert_true (wait_until (row_present, &w, 10000));
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  spin (300);
  save_screenshot (GTK_WIDGET (window), "mcp-page.png");

  /* Remove, after confirming. */
  row = _natter_mcp_page_find_row (page, "github");
  click (_natter_mcp_page_row_button (row, "remove"));
  spin (20);
  confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  adw_message_dialog_response (confirm, "remove");
  g_assert_true (wait_until (row_absent, &w, 2000));
  g_assert_null (natter_mcp_store_get (db (), "github", NULL));

  close_window (window);
}

static gboolean
not_streaming (gpointer data)
{
  return !natter_window_is_streaming (data);
}

/* The chat menu's Tools… opens the dialog; a switch per server. */
static void
test_chat_tools (void)
{
  g_autoptr(NatterMcpConfig) config = natter_mcp_config_new_stdio ("Chat Tools", "/bin/true", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) chosen = NULL;
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterChatToolsDialog *dialog;
  NatterWindow *window;
  GtkSwitch *sw;
  gint64 chat_id;

  g_assert_true (natter_mcp_store_save (db (), config, &error));
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", gui_test_simple_reply (GUI_CHUNK ("Hi")));
  window = gui_test_open_window ();
  gui_test_type_and_send (window, "Which tools are there?");
  g_assert_true (wait_until (not_streaming, window, 5000));
  chat_id = natter_window_get_chat_id (window);
  g_assert_cmpint (chat_id, >, 0);

  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (window)), "_Tools…");
  spin (50);
  dialog = find_toplevel (NATTER_TYPE_CHAT_TOOLS_DIALOG);
  g_assert_nonnull (dialog);
  sw = natter_chat_tools_dialog_get_switch (dialog, "Chat Tools");
  g_assert_nonnull (sw);
  g_assert_false (gtk_switch_get_active (sw));
  gtk_switch_set_active (sw, TRUE);
  spin (100);
  save_screenshot (GTK_WIDGET (dialog), "chat-tools.png");
  chosen = natter_mcp_chat_servers_get (db (), chat_id, &error);
  g_assert_cmpuint (g_strv_length (chosen), ==, 1);
  g_assert_cmpstr (chosen[0], ==, "Chat Tools");
  g_clear_pointer (&chosen, g_strfreev);
  close_window (dialog);

  /* Opened again, it shows the choice; switching off clears it. */
  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (window)), "_Tools…");
  spin (50);
  dialog = find_toplevel (NATTER_TYPE_CHAT_TOOLS_DIALOG);
  sw = natter_chat_tools_dialog_get_switch (dialog, "Chat Tools");
  g_assert_true (gtk_switch_get_active (sw));
  gtk_switch_set_active (sw, FALSE);
  chosen = natter_mcp_chat_servers_get (db (), chat_id, &error);
  g_assert_cmpuint (g_strv_length (chosen), ==, 0);
  close_window (dialog);
  gui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  if (g_strcmp0 (g_getenv ("NATTER_TEST_PRIVATE_KEYRING"), "1") != 0)
    {
      g_printerr ("test-mcp-gui writes to the keyring: run it through tests/test-gui.sh.\n");
      return 1;
    }
  gui_test_init (&argc, &argv);

  g_test_add_func ("/natter/mcp-gui/page", test_page);
  g_test_add_func ("/natter/mcp-gui/chat-tools", test_chat_tools);

  return gui_test_run ();
}
