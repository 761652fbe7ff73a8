/* test-groups-gui.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Group chats and impersonation in the real window under Xvfb (see
 * tests/test-gui.sh), through the controls a person uses. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gui-test-util.h"
#include "natter-chat-row.h"
#include "natter-conversation-group.h"
#include "natter-group-dialog.h"
#include "natter-test-util.h"

static gint64
add_card (const char *name)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(NatterCharacterRow) existing = natter_chat_store_lookup_character (chats, name, NULL);
  g_autofree char *json = NULL;
  gint64 id;

  if (existing != NULL)
    return existing->id;
  json = g_strdup_printf ("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{"
                          "\"name\":\"%s\",\"description\":\"DESC-%s\",\"personality\":\"\","
                          "\"scenario\":\"\",\"first_mes\":\"Hello from %s.\",\"mes_example\":\"\","
                          "\"alternate_greetings\":[],\"tags\":[],\"creator\":\"\","
                          "\"character_version\":\"\",\"creator_notes\":\"\",\"system_prompt\":\"\","
                          "\"post_history_instructions\":\"\",\"extensions\":{}}}",
                          name, name, name);
  id = natter_chat_store_add_character (chats, NULL, json, NULL, NULL);
  g_assert_cmpint (id, >, 0);
  return id;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type,
           guint     *skip)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      if (*skip == 0)
        return root;
      (*skip)--;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type, skip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_menu_button (GtkWidget  *root,
                  const char *tooltip)
{
  if (GTK_IS_MENU_BUTTON (root) && g_strcmp0 (gtk_widget_get_tooltip_text (root), tooltip) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_button (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  NatterWindow *window = data;

  return natter_window_get_group_dialog (window) != NULL &&
         gtk_widget_get_mapped (GTK_WIDGET (natter_window_get_group_dialog (window)));
}

static gboolean
not_streaming (gpointer data)
{
  NatterChatSession *session = natter_window_get_session (data);

  return session != NULL && !natter_chat_session_is_generating (session);
}

typedef struct
{
  NatterWindow       *window;
  NatterFakeProvider *fake;
  guint               requests;
} AutoWait;

static gboolean
auto_done (gpointer data)
{
  AutoWait *w = data;

  return natter_fake_provider_get_n_requests (w->fake) >= w->requests && not_streaming (w->window);
}

static char *
last_speaker (gint64 chat_id)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(GPtrArray) page = natter_chat_store_page_messages (chats, chat_id, -1, 1, NULL);

  g_assert_cmpuint (page->len, ==, 1);
  return g_strdup (natter_chat_message_get_name (g_ptr_array_index (page, 0)));
}

/* The check button of the dialog's character list named @name. */
static GtkWidget *
pick_check (GtkWidget  *dialog,
            const char *name)
{
  for (guint i = 0; ; i++)
    {
      guint skip = i;
      GtkWidget *row = find_type (dialog, ADW_TYPE_ACTION_ROW, &skip);

      if (row == NULL)
        return NULL;
      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
        {
          guint first = 0;

          return find_type (row, GTK_TYPE_CHECK_BUTTON, &first);
        }
    }
}

static void
test_new_group_and_members (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(NatterChatGroup) group = NULL;
  NatterWindow *window;
  GtkWidget *dialog;
  GtkWidget *menu;
  gint64 alice = add_card ("Alice");
  gint64 bob = add_card ("Bob");
  gint64 chat_id;

  add_card ("Carol");
  gui_test_remove_all_profiles ();
  window = gui_test_open_window ();

  /* Main menu → New Group Chat…: pick Alice and Bob, Create. */
  menu = find_menu_button (GTK_WIDGET (window), "Main Menu");
  g_assert_nonnull (menu);
  gui_test_open_menu_item (menu, "New Group Chat…");
  g_assert_true (gui_test_wait_until (dialog_shown, window, 5000));
  dialog = GTK_WIDGET (natter_window_get_group_dialog (window));
  g_assert_false (gtk_widget_is_sensitive (gui_test_find_actionable (dialog, "group.create", NULL)));
  g_assert_true (gtk_widget_activate (pick_check (dialog, "Alice")));
  g_assert_false (gtk_widget_is_sensitive (gui_test_find_actionable (dialog, "group.create", NULL)));
  g_assert_true (gtk_widget_activate (pick_check (dialog, "Bob")));
  gui_test_click (dialog, "group.create", NULL);
  gui_test_spin (50);
  chat_id = natter_group_dialog_get_chat_id (NATTER_GROUP_DIALOG (dialog));
  g_assert_cmpint (chat_id, >, 0);
  g_assert_cmpint (natter_window_get_chat_id (window), ==, chat_id);
  /* Both greet. */
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);
  g_assert_cmpstr (natter_message_item_get_text (gui_test_last_item (window)), ==, "Hello from Bob.");

  /* The same dialog now sets the group up: mute Bob, move him up, add
   * Carol, the list order. */
  gui_test_click (dialog, "group.mute", g_variant_new ("(xb)", bob, TRUE));
  gui_test_click (dialog, "group.move", g_variant_new ("(xi)", bob, -1));
  gui_test_click (dialog, "group.add", NULL);
  gui_test_click (dialog, "group.remove", g_variant_new_int64 (alice));
  group = natter_chat_store_get_group (chats, chat_id, NULL);
  g_assert_cmpuint (group->members->len, ==, 2);
  g_assert_cmpstr (((NatterGroupMember *) group->members->pdata[0])->name, ==, "Bob");
  g_assert_true (((NatterGroupMember *) group->members->pdata[0])->muted);
  g_assert_cmpstr (((NatterGroupMember *) group->members->pdata[1])->name, ==, "Carol");
  gui_test_click (dialog, "group.mute", g_variant_new ("(xb)", bob, FALSE));
  gui_test_save_screenshot (dialog, "group-dialog.png");
  gtk_window_close (GTK_WINDOW (dialog));
  gui_test_spin (50);

  /* The header says who is in the chat, and shows the group's controls. */
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (natter_window_get_chat_title (window)),
                            "Bob, Carol"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->speaker_button)));
  g_assert_true (gtk_widget_get_visible (window->members_button));

  /* The chat list shows both avatars and says it is a group. */
  {
    NatterChatRow *row = natter_sidebar_find_row (natter_window_get_sidebar (window), chat_id);
    guint skip = 1;
    GtkWidget *second;

    g_assert_nonnull (row);
    natter_chat_row_update (row);
    second = find_type (GTK_WIDGET (row), ADW_TYPE_AVATAR, &skip);
    g_assert_nonnull (second);
    g_assert_true (gtk_widget_get_visible (second));
    g_assert_cmpstr (adw_avatar_get_text (ADW_AVATAR (second)), ==, "Carol");
  }
  gui_test_save_screenshot (GTK_WIDGET (window), "group-chat.png");

  /* The members button opens the dialog again. */
  gui_test_click (GTK_WIDGET (window), "win.group-members", NULL);
  g_assert_true (gui_test_wait_until (dialog_shown, window, 5000));
  gtk_window_close (GTK_WINDOW (natter_window_get_group_dialog (window)));
  gui_test_spin (50);

  gui_test_close_window (window);
}

static void
test_speaker_picker (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterConversation *conv = natter_application_get_conversation (gui_test_app);
  g_autoptr(NatterChatGroup) group = NULL;
  gint64 ids[2];
  g_autofree char *speaker = NULL;
  NatterWindow *window;
  gint64 chat_id;
  guint before;
  AutoWait auto_wait;

  ids[0] = add_card ("Alice");
  ids[1] = add_card ("Bob");
  chat_id = natter_conversation_new_group_chat (conv, ids, 2, "Picker", NULL);
  g_assert_cmpint (chat_id, >, 0);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("My turn.")));
  window = gui_test_open_window ();
  natter_window_open_chat (window, chat_id);
  gui_test_spin (50);

  /* Who speaks next → Alice: Alice answers, without a message of mine. */
  gui_test_open_menu_item (GTK_WIDGET (window->speaker_button), "Alice");
  g_assert_true (gui_test_wait_until (not_streaming, window, 10000));
  speaker = last_speaker (chat_id);
  g_assert_cmpstr (speaker, ==, "Alice");
  g_assert_cmpuint (gui_test_n_messages (window), ==, 3);

  /* Auto-mode: a message of mine is followed by two turns. */
  group = natter_chat_store_get_group (chats, chat_id, NULL);
  group->auto_turns = 2;
  natter_chat_store_group_save (chats, group, NULL);
  before = natter_fake_provider_get_n_requests (fake);
  gui_test_type_and_send (window, "Talk among yourselves.");
  auto_wait.window = window;
  auto_wait.fake = fake;
  auto_wait.requests = before + 3;
  g_assert_true (gui_test_wait_until (auto_done, &auto_wait, 10000));
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, before + 3);
  g_assert_cmpint (natter_chat_store_count_messages (chats, chat_id, NULL), ==, 3 + 1 + 3);

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

static gboolean
composer_filled (gpointer data)
{
  g_autofree char *text = natter_composer_dup_text (natter_window_get_composer (data));

  return text != NULL && *text != '\0';
}

/* Activates the window's shortcut for @keyval with @mods, as the key does. */
static gboolean
press_shortcut (GtkWidget       *widget,
                guint            keyval,
                GdkModifierType  mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (c)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (c), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static void
test_impersonate (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window;
  g_autofree char *text = NULL;
  const NatterFakeRequest *request;
  gint64 chat_id;

  chat_id = natter_chat_store_new_chat (chats, add_card ("Alice"), "Impersonation", NULL);
  natter_chat_store_append_message (chats, chat_id, NATTER_ROLE_ASSISTANT, "Alice", "What now?", NULL);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("Let us go outside.")));
  window = gui_test_open_window ();
  natter_window_open_chat (window, chat_id);
  gui_test_spin (50);

  /* The composer's button writes my next message into the composer. */
  gui_test_click (GTK_WIDGET (natter_window_get_composer (window)), "win.impersonate", NULL);
  g_assert_true (gui_test_wait_until (composer_filled, window, 10000));
  text = natter_composer_dup_text (natter_window_get_composer (window));
  g_assert_cmpstr (text, ==, "Let us go outside.");
  g_assert_cmpint (natter_chat_store_count_messages (chats, chat_id, NULL), ==, 1);
  request = natter_fake_provider_get_request (fake, natter_fake_provider_get_n_requests (fake) - 1);
  g_assert_nonnull (strstr (request->body, "from the point of view of"));

  /* Ctrl+Alt+I does it too. */
  natter_composer_set_text (natter_window_get_composer (window), "");
  g_assert_true (gui_test_wait_until ((gboolean (*) (gpointer)) gtk_widget_is_sensitive,
                                      gui_test_find_actionable (GTK_WIDGET (natter_window_get_composer (window)),
                                                                "win.impersonate", NULL), 5000));
  g_assert_true (press_shortcut (GTK_WIDGET (window), GDK_KEY_i, GDK_CONTROL_MASK | GDK_ALT_MASK));
  g_assert_true (gui_test_wait_until (composer_filled, window, 10000));

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

static gboolean
chat_opened (gpointer data)
{
  gint64 *ids = data;

  return natter_window_get_chat_id ((NatterWindow *) (gpointer) ids[0]) != ids[1];
}

/* What the window's Import Chat… and Export… do with the file the chooser
 * gave: a SillyTavern group with its chat, and the three formats. */
static void
test_import_export (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autofree char *group_path = natter_test_fixture_path ("sillytavern/groups/1733600000000.json");
  g_autofree char *tmpdir = natter_test_tmpdir_new ();
  g_autofree char *md = g_build_filename (tmpdir, "Table.md", NULL);
  g_autofree char *jsonl = g_build_filename (tmpdir, "Table.jsonl", NULL);
  g_autofree char *definition = g_build_filename (tmpdir, "Table.group.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  NatterWindow *window;
  gint64 wait[2];
  gint64 chat_id;

  add_card ("Alice");
  add_card ("Bob");
  add_card ("Carol");
  window = gui_test_open_window ();
  wait[0] = (gint64) (gintptr) window;
  wait[1] = natter_window_get_chat_id (window);
  _natter_window_import_group (window, group_path);
  g_assert_true (gui_test_wait_until (chat_opened, wait, 10000));
  chat_id = natter_window_get_chat_id (window);
  g_assert_true (natter_chat_store_is_group_chat (chats, chat_id));
  g_assert_cmpuint (gui_test_n_messages (window), ==, 4);
  g_assert_cmpstr (natter_message_item_get_text (gui_test_last_item (window)), ==,
                   "Stew, as always. Alice cooked it.");

  g_assert_true (_natter_window_export_chat_file (chats, chat_id, md, &error));
  g_assert_no_error (error);
  g_file_get_contents (md, &text, NULL, &error);
  g_assert_true (g_str_has_prefix (text, "# Tavern Table\n\n**Alice**\n\nWelcome"));
  g_clear_pointer (&text, g_free);
  g_assert_true (_natter_window_export_chat_file (chats, chat_id, jsonl, &error));
  g_file_get_contents (definition, &text, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "\"chat_id\":\"Table\""));
  g_assert_nonnull (strstr (text, "\"disabled_members\":[\"Carol.png\"]"));

  /* What was exported imports back beside it. */
  wait[1] = chat_id;
  _natter_window_import_group (window, definition);
  g_assert_true (gui_test_wait_until (chat_opened, wait, 10000));
  g_assert_cmpuint (gui_test_n_messages (window), ==, 4);

  gui_test_close_window (window);
  g_unlink (md);
  g_unlink (jsonl);
  g_unlink (definition);
  natter_test_tmpdir_free (g_steal_pointer (&tmpdir));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/natter/groups-gui/new-group-and-members", test_new_group_and_members);
  g_test_add_func ("/natter/groups-gui/speaker-picker", test_speaker_picker);
  g_test_add_func ("/natter/groups-gui/impersonate", test_impersonate);
  g_test_add_func ("/natter/groups-gui/import-export", test_import_export);

  return gui_test_run ();
}
