/* test-sessions.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Chats as sessions under Xvfb (see tests/test-gui.sh): a reply goes on
 * while another chat is shown, the sidebar and the messages follow what
 * natter-cli writes to the same database, chats and messages are deleted
 * with undo, and an empty send answers the person's last message. Every
 * step goes through the control a person uses. */

#include "config.h"

#include <string.h>

#include "gui-test-util.h"

static gboolean
not_streaming (gpointer data)
{
  return !natter_window_is_streaming (data);
}

typedef struct
{
  NatterWindow *window;
  gint64        chat_id;
} ChatWait;

static gboolean
session_done (gpointer data)
{
  ChatWait *w = data;
  NatterChatSession *session = natter_window_lookup_session (w->window, w->chat_id);

  return session == NULL || !natter_chat_session_is_generating (session);
}

static gboolean
row_listed (gpointer data)
{
  ChatWait *w = data;
  return natter_sidebar_find_row (natter_window_get_sidebar (w->window), w->chat_id) != NULL;
}

static gboolean
row_gone (gpointer data)
{
  return !row_listed (data);
}

/* A reply started in chat A goes on while chat B is shown; back in A it
 * is there, complete, and saved. */
static void
test_switch_while_streaming (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterFakeResponse *slow = natter_fake_response_new (200, "text/event-stream");
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window;
  gint64 a, b;
  ChatWait w;

  b = natter_chat_store_new_chat (chats, 0, "Chat B", NULL);
  g_assert_cmpint (b, >, 0);
  natter_fake_response_add_chunk (slow, GUI_CHUNK ("First part"), -1, 0);
  natter_fake_response_add_chunk (slow, GUI_CHUNK (", second part"), -1, 600);
  natter_fake_response_add_chunk (slow, GUI_CHUNK (", the end."), -1, 300);
  natter_fake_response_add_chunk (slow, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", slow);

  window = gui_test_open_window ();
  gui_test_type_and_send (window, "Tell me a long story");
  a = natter_window_get_chat_id (window);
  g_assert_cmpint (a, >, 0);
  g_assert_true (natter_window_is_streaming (window));

  /* Switch to B from the sidebar while A streams. */
  w.window = window;
  w.chat_id = b;
  g_assert_true (gui_test_wait_until (row_listed, &w, 5000));
  gui_test_click_chat (window, b);
  g_assert_cmpint (natter_window_get_chat_id (window), ==, b);
  g_assert_false (natter_window_is_streaming (window));
  g_assert_nonnull (natter_window_lookup_session (window, a));
  g_assert_true (natter_chat_session_is_generating (natter_window_lookup_session (window, a)));

  /* The list shows that A is writing; A finishes in the background. */
  w.chat_id = a;
  g_assert_true (gui_test_wait_until (row_listed, &w, 5000));
  g_assert_true (natter_chat_row_get_generating (natter_sidebar_find_row (natter_window_get_sidebar (window), a)));
  g_assert_true (gui_test_wait_until (session_done, &w, 10000));
  g_assert_false (natter_chat_row_get_generating (natter_sidebar_find_row (natter_window_get_sidebar (window), a)));
  g_assert_cmpint (natter_window_get_chat_id (window), ==, b);

  /* Back in A: the whole reply, complete. */
  gui_test_click_chat (window, a);
  g_assert_cmpint (natter_window_get_chat_id (window), ==, a);
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);
  g_assert_cmpstr (natter_message_item_get_text (gui_test_last_item (window)), ==,
                   "First part, second part, the end.");
  g_assert_cmpint (natter_message_item_get_error_category (gui_test_last_item (window)), ==,
                   NATTER_ERROR_CATEGORY_NONE);
  g_assert_false (natter_message_item_get_streaming (gui_test_last_item (window)));
  {
    g_autoptr(NatterChatMessage) message =
      natter_chat_store_get_message (chats, natter_message_item_get_id (gui_test_last_item (window)), NULL);

    g_assert_cmpint (natter_chat_message_get_state (message), ==, NATTER_SWIPE_STATE_COMPLETE);
  }

  /* Away and back while it still streams: the view follows it again. */
  {
    NatterFakeResponse *second = natter_fake_response_new (200, "text/event-stream");
    NatterMessageItem *reply;

    natter_fake_response_add_chunk (second, GUI_CHUNK ("Once more"), -1, 0);
    natter_fake_response_add_chunk (second, GUI_CHUNK (", slowly"), -1, 800);
    natter_fake_response_add_chunk (second, "data: [DONE]\n\n", -1, 0);
    natter_fake_provider_clear_routes (fake);
    natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", second);
    gui_test_type_and_send (window, "Again");
    g_assert_true (natter_window_is_streaming (window));
    gui_test_click_chat (window, b);
    gui_test_click_chat (window, a);
    g_assert_true (natter_window_is_streaming (window));
    g_assert_true (natter_chat_view_is_streaming (natter_window_get_chat_view (window)));
    reply = gui_test_last_item (window);
    g_assert_true (gui_test_wait_until (not_streaming, window, 10000));
    g_assert_cmpstr (natter_message_item_get_text (reply), ==, "Once more, slowly");
    g_assert_false (natter_chat_view_is_streaming (natter_window_get_chat_view (window)));
    g_assert_cmpuint (gui_test_n_messages (window), ==, 4);
  }

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

/* Runs natter-cli on the app's database, the main loop running (the fake
 * provider answers from it). */
typedef struct
{
  gboolean done;
  int      status;
} CliRun;

static void
on_cli_exit (GPid     pid,
             int      status,
             gpointer data)
{
  CliRun *run = data;

  run->status = status;
  run->done = TRUE;
  g_spawn_close_pid (pid);
}

static gboolean
cli_done (gpointer data)
{
  return ((CliRun *) data)->done;
}

static char *
run_cli (const char * const *args)
{
  g_autofree char *cli = g_build_filename (g_getenv ("NATTER_BUILD_DIR"), "src", "cli", "natter-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *out = NULL;
  CliRun run = { 0 };
  int out_fd;
  GPid pid;

  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  g_child_watch_add (pid, on_cli_exit, &run);
  g_assert_true (gui_test_wait_until (cli_done, &run, 20000));
  g_assert_true (g_spawn_check_wait_status (run.status, NULL));
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_to_end (channel, &out, NULL, NULL);
  return g_strstrip (g_steal_pointer (&out));
}

static gboolean
messages_at_least (gpointer data)
{
  ChatWait *w = data;
  return gui_test_n_messages (w->window) >= (guint) w->chat_id;
}

typedef struct
{
  NatterWindow *window;
  gint64        chat_id;
  guint         n_messages;
} OpenWait;

/* The window shows chat @chat_id with @n_messages messages at least. */
static gboolean
chat_shown (gpointer data)
{
  OpenWait *w = data;

  return natter_window_get_chat_id (w->window) == w->chat_id &&
         gui_test_n_messages (w->window) >= w->n_messages;
}

/* Its content laid out at 360 px or less (or more, when its minimum
 * does not fit: the test says so after the wait). */
static gboolean
window_narrow (gpointer window)
{
  return gtk_widget_get_width (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window))) <= 360;
}

static gboolean
row_previews_reply (gpointer data)
{
  ChatWait *w = data;
  NatterChatRow *row = natter_sidebar_find_row (natter_window_get_sidebar (w->window), w->chat_id);

  return row != NULL && g_strcmp0 (natter_chat_info_get_preview (natter_chat_row_get_item (row)),
                                   "Written by the CLI's reply") == 0;
}

/* natter-cli writes to the database the running app has open: a new chat
 * appears in the sidebar, and a message sent in the chat shown appears in
 * it, without anything being refreshed by hand. */
static void
test_cli_write_shows (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterWindow *window;
  g_autofree char *id_text = NULL;
  g_autofree char *ignored = NULL;
  gint64 id;
  ChatWait w;

  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("Written by the CLI's reply")));
  window = gui_test_open_window ();

  id_text = run_cli ((const char *[]) { "chat", "new", "--title", "From the command line", NULL });
  id = g_ascii_strtoll (id_text, NULL, 10);
  g_assert_cmpint (id, >, 0);
  w.window = window;
  w.chat_id = id;
  g_assert_true (gui_test_wait_until (row_listed, &w, 5000));

  gui_test_click_chat (window, id);
  g_assert_cmpint (natter_window_get_chat_id (window), ==, id);
  g_assert_cmpuint (gui_test_n_messages (window), ==, 0);

  ignored = run_cli ((const char *[]) { "chat", "send", id_text, "Hello from a terminal", NULL });
  w.chat_id = 2;
  g_assert_true (gui_test_wait_until (messages_at_least, &w, 5000));
  {
    g_autoptr(NatterMessageItem) first =
      g_list_model_get_item (G_LIST_MODEL (natter_chat_view_get_model (natter_window_get_chat_view (window))), 0);

    g_assert_cmpstr (natter_message_item_get_text (first), ==, "Hello from a terminal");
  }
  g_assert_cmpstr (natter_message_item_get_text (gui_test_last_item (window)), ==, "Written by the CLI's reply");

  /* The row says when and what. */
  w.chat_id = id;
  g_assert_true (gui_test_wait_until (row_previews_reply, &w, 5000));
  g_assert_cmpstr (natter_chat_row_get_time_text (natter_sidebar_find_row (natter_window_get_sidebar (window), id)),
                   !=, "");

  /* Deleted by natter-cli while shown: gone from the list, and the window
   * moves to a new chat. */
  g_free (ignored);
  ignored = run_cli ((const char *[]) { "chat", "delete", id_text, NULL });
  g_assert_true (gui_test_wait_until (row_gone, &w, 5000));
  g_assert_cmpint (natter_window_get_chat_id (window), ==, 0);

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

static AdwMessageDialog *
find_message_dialog (NatterWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_window_get_transient_for (GTK_WINDOW (w)) == GTK_WINDOW (window))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* Right click on a chat in the sidebar, Delete; Undo brings it back. The
 * Delete key does the same; Shift+Delete asks first and cannot be undone. */
static gboolean
row_menu_shown (gpointer row)
{
  GtkPopover *menu = natter_chat_row_get_menu (row);

  return menu != NULL && gtk_widget_get_visible (GTK_WIDGET (menu));
}

static void
test_delete_chat_context_menu (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window;
  NatterSidebar *sidebar;
  NatterChatRow *row;
  gint64 id;
  ChatWait w;

  gui_test_remove_all_profiles ();
  gui_test_add_profile ("Local", "ollama", "llama3.2");
  id = natter_chat_store_new_chat (chats, 0, "Chat to delete", NULL);
  g_assert_cmpint (natter_chat_store_append_message (chats, id, NATTER_ROLE_USER, NULL, "Keep me?", NULL), >, 0);

  window = gui_test_open_window ();
  sidebar = natter_window_get_sidebar (window);
  w.window = window;
  w.chat_id = id;
  g_assert_true (gui_test_wait_until (row_listed, &w, 5000));
  gui_test_click_chat (window, id);

  /* A right click, through the X server, opens the row's menu. (The long
   * press that does the same on a touch screen takes touch input, which
   * Xvfb has no device for.) */
  row = natter_sidebar_find_row (sidebar, id);
  gui_test_x_click (GTK_WIDGET (row), GDK_BUTTON_SECONDARY);
  g_assert_true (gui_test_wait_until (row_menu_shown, row, 2000));
  gui_test_save_screenshot (GTK_WIDGET (window), "chat-context-menu.png");
  gui_test_activate_menu_item (natter_chat_row_get_menu (row), "_Delete");

  g_assert_true (gui_test_wait_until (row_gone, &w, 2000));
  g_assert_cmpint (natter_window_get_chat_id (window), ==, 0);
  gui_test_click_toast_button (window, "_Undo");
  g_assert_true (gui_test_wait_until (row_listed, &w, 2000));
  g_assert_cmpint (natter_window_get_chat_id (window), ==, id);
  g_assert_cmpint (natter_chat_store_count_messages (chats, id, NULL), ==, 1);

  /* The keyboard on the focused row: Menu opens the same menu, Delete
   * deletes with undo, Shift+Delete asks, then deletes for good. */
  {
    GtkListView *list = natter_sidebar_get_chat_list (sidebar);
    AdwMessageDialog *dialog;

    row = natter_sidebar_find_row (sidebar, id);
    g_assert_nonnull (row);
    gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row)));
    g_assert_true (gui_test_press_key (GTK_WIDGET (list), GDK_KEY_Menu, 0));
    g_assert_nonnull (natter_chat_row_get_menu (row));
    gtk_popover_popdown (natter_chat_row_get_menu (row));
    gui_test_spin (50);

    g_assert_true (gui_test_press_key (GTK_WIDGET (list), GDK_KEY_Delete, 0));
    g_assert_true (gui_test_wait_until (row_gone, &w, 2000));
    gui_test_click_toast_button (window, "_Undo");
    g_assert_true (gui_test_wait_until (row_listed, &w, 2000));

    row = natter_sidebar_find_row (sidebar, id);
    gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row)));
    g_assert_true (gui_test_press_key (GTK_WIDGET (list), GDK_KEY_Delete, GDK_SHIFT_MASK));
    gui_test_spin (50);
    dialog = find_message_dialog (window);
    g_assert_nonnull (dialog);
    g_assert_true (adw_message_dialog_has_response (dialog, "delete"));
    /* Nothing happens before the answer. */
    g_assert_cmpint (natter_chat_store_count_messages (chats, id, NULL), ==, 1);
    gui_test_answer_dialog (dialog, "_Delete");
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NatterChat) chat = natter_chat_store_get_chat (chats, id, &error);

    g_assert_null (chat);
  }
  g_assert_true (gui_test_wait_until (row_gone, &w, 2000));

  gui_test_close_window (window);
}

/* Delete on a message: gone at once with an undo toast that says how many
 * alternatives go with it; Undo puts it back, and without Undo it leaves
 * the store. */
static void
test_delete_message_undo (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window;
  g_autoptr(NatterMessageItem) reply = NULL;
  gint64 id, reply_id;

  gui_test_remove_all_profiles ();
  gui_test_add_profile ("Local", "ollama", "llama3.2");
  id = natter_chat_store_new_chat (chats, 0, "Chat with swipes", NULL);
  g_assert_cmpint (natter_chat_store_append_message (chats, id, NATTER_ROLE_USER, NULL, "Question", NULL), >, 0);
  reply_id = natter_chat_store_append_message (chats, id, NATTER_ROLE_ASSISTANT, NULL, "Answer one", NULL);
  g_assert_cmpint (natter_chat_store_add_swipe (chats, reply_id, "Answer two", NULL), ==, 1);

  window = gui_test_open_window ();
  natter_window_open_chat (window, id);
  g_assert_true (gui_test_wait_until (chat_shown, &(OpenWait) { window, id, 2 }, 10000));
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);
  reply = g_object_ref (gui_test_last_item (window));
  g_assert_cmpuint (natter_message_item_get_n_swipes (reply), ==, 2);

  gui_test_press_row_action (window, reply, "message.delete");
  g_assert_cmpuint (gui_test_n_messages (window), ==, 1);
  gui_test_click_toast_button (window, "_Undo");
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);
  g_assert_true (gui_test_last_item (window) == reply);
  g_assert_cmpint (natter_chat_store_count_messages (chats, id, NULL), ==, 2);

  /* No Undo: once the toast goes, the message and its swipes go. */
  gui_test_press_row_action (window, reply, "message.delete");
  g_assert_cmpuint (gui_test_n_messages (window), ==, 1);
  gui_test_close_window (window);
  g_assert_cmpint (natter_chat_store_count_messages (chats, id, NULL), ==, 1);
}

/* Send with nothing typed when the chat ends on the person's message: a
 * reply to it. With the chat ending on a reply it does nothing. */
static void
test_empty_send_replies (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window;
  gint64 id;

  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("Here you are")));
  id = natter_chat_store_new_chat (chats, 0, "Waiting for an answer", NULL);
  g_assert_cmpint (natter_chat_store_append_message (chats, id, NATTER_ROLE_USER, NULL, "Anyone there?", NULL), >, 0);

  window = gui_test_open_window ();
  natter_window_open_chat (window, id);
  gui_test_spin (50);
  g_assert_cmpuint (gui_test_n_messages (window), ==, 1);

  gui_test_type_and_send (window, "");
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);
  g_assert_cmpstr (natter_message_item_get_text (gui_test_last_item (window)), ==, "Here you are");
  g_assert_cmpint (natter_chat_store_count_messages (chats, id, NULL), ==, 2);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, 1);

  /* Ends on a reply now: nothing is sent. */
  gui_test_type_and_send (window, "");
  gui_test_spin (100);
  g_assert_false (natter_window_is_streaming (window));
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, 1);

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

/* Branches get their own titles: "Title (branch)", "Title (branch 2)". */
static void
test_branch_titles (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window;
  g_autoptr(NatterChat) first = NULL;
  g_autoptr(NatterChat) second = NULL;
  NatterMessageItem *message;
  gint64 id;

  gui_test_remove_all_profiles ();
  gui_test_add_profile ("Local", "ollama", "llama3.2");
  id = natter_chat_store_new_chat (chats, 0, "Serendipity", NULL);
  g_assert_cmpint (natter_chat_store_append_message (chats, id, NATTER_ROLE_USER, NULL, "Branch here", NULL), >, 0);

  window = gui_test_open_window ();
  natter_window_open_chat (window, id);
  gui_test_spin (50);
  message = gui_test_last_item (window);
  gui_test_press_row_action (window, message, "message.branch");
  first = natter_chat_store_get_chat (chats, natter_window_get_chat_id (window), NULL);
  g_assert_cmpstr (natter_chat_get_title (first), ==, "Serendipity (branch)");

  natter_window_open_chat (window, id);
  gui_test_spin (50);
  message = gui_test_last_item (window);
  gui_test_press_row_action (window, message, "message.branch");
  second = natter_chat_store_get_chat (chats, natter_window_get_chat_id (window), NULL);
  g_assert_cmpstr (natter_chat_get_title (second), ==, "Serendipity (branch 2)");

  gui_test_close_window (window);
}

/* The chat's header menu duplicates the chat shown, messages and all. */
static void
test_duplicate_chat (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(NatterChat) copy = NULL;
  NatterWindow *window;
  gint64 id;

  gui_test_remove_all_profiles ();
  gui_test_add_profile ("Local", "ollama", "llama3.2");
  id = natter_chat_store_new_chat (chats, 0, "Original", NULL);
  g_assert_cmpint (natter_chat_store_append_message (chats, id, NATTER_ROLE_USER, NULL, "One", NULL), >, 0);
  g_assert_cmpint (natter_chat_store_append_message (chats, id, NATTER_ROLE_ASSISTANT, NULL, "Two", NULL), >, 0);

  window = gui_test_open_window ();
  gui_test_click_chat (window, id);
  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (window)), "_Duplicate");
  g_assert_cmpint (natter_window_get_chat_id (window), !=, id);
  copy = natter_chat_store_get_chat (chats, natter_window_get_chat_id (window), NULL);
  g_assert_nonnull (copy);
  g_assert_cmpstr (natter_chat_get_title (copy), ==, "Original (copy)");
  g_assert_cmpint (natter_chat_store_count_messages (chats, natter_chat_get_id (copy), NULL), ==, 2);
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);
  g_assert_cmpint (natter_chat_store_count_messages (chats, id, NULL), ==, 2);

  gui_test_close_window (window);
}

/* Down to 360 px wide with a chat open, and the chat's title shown whole. */
static void
test_narrow_window (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window;
  int min = 0, title_nat = 0;
  gint64 id;

  gui_test_remove_all_profiles ();
  gui_test_add_profile ("A connection with a long name", "ollama", "llama3.2");
  id = natter_chat_store_new_chat (chats, 0, "Seraphina", NULL);

  window = gui_test_open_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gui_test_wait_until (window_narrow, window, 10000);
  gui_test_click_chat (window, id);
  g_assert_true (gui_test_wait_until (chat_shown, &(OpenWait) { window, id, 0 }, 10000));
  g_assert_cmpint (natter_window_get_chat_id (window), ==, id);

  /* The window's content (its frame has decorations around it). */
  gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)),
                      GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_test_message ("minimum width %d", min);
  if (min > 360)
    {
      GtkWidget *content = gtk_widget_get_parent (GTK_WIDGET (natter_window_get_chat_view (window)));

      for (GtkWidget *w = content; w != NULL; w = gtk_widget_get_parent (w))
        for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
          {
            int m = 0;

            gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &m, NULL, NULL, NULL);
            g_test_message ("%s in %s: %d", G_OBJECT_TYPE_NAME (c), G_OBJECT_TYPE_NAME (w), m);
          }
    }
  g_assert_cmpint (min, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window))), <=, 360);
  {
    GtkWidget *title = GTK_WIDGET (natter_window_get_chat_title (window));

    gtk_widget_measure (title, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &title_nat, NULL, NULL);
    g_test_message ("title %d of %d", gtk_widget_get_width (title), title_nat);
    g_assert_cmpint (gtk_widget_get_width (title), >=, title_nat);
  }
  gui_test_save_screenshot (GTK_WIDGET (window), "narrow-window.png");

  gui_test_close_window (window);
}

static GtkWidget *
find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (toplevel) && gtk_widget_get_mapped (GTK_WIDGET (toplevel)))
        return GTK_WIDGET (toplevel);
    }
  return NULL;
}

static gboolean
file_chooser_shown (gpointer data)
{
  return find_file_chooser () != NULL;
}

static gboolean
file_chooser_gone (gpointer data)
{
  return find_file_chooser () == NULL;
}

static gboolean
location_is (gpointer path)
{
  GtkWidget *chooser = find_file_chooser ();
  GtkWidget *focus = chooser != NULL ? gtk_window_get_focus (GTK_WINDOW (chooser)) : NULL;

  return focus != NULL && GTK_IS_EDITABLE (focus) && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (focus)), path) == 0;
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

typedef struct
{
  NatterChatStore *chats;
  guint            before;
} CountWait;

static guint
count_chats (NatterChatStore *chats)
{
  return g_list_model_get_n_items (natter_chat_store_get_chats_model (chats));
}

static gboolean
chat_added (gpointer data)
{
  CountWait *c = data;

  return count_chats (c->chats) > c->before;
}

/* Export and import a chat through the chat menu and the real file
 * chooser (GTK's own dialog: no portal here), typing the file's path as a
 * person does. */
static void
test_export_import_file_chooser (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autofree char *dir = g_build_filename (g_getenv ("NATTER_DATA_DIR"), "exports", NULL);
  g_autofree char *path = g_build_filename (dir, "exported-chat.jsonl", NULL);
  g_autofree char *text = NULL;
  CountWait count = { chats, 0 };
  NatterWindow *window;
  GtkWidget *chooser;
  gint64 id;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  gui_test_remove_all_profiles ();
  gui_test_add_profile ("Local", "ollama", "llama3.2");
  id = natter_chat_store_new_chat (chats, 0, "Exported", NULL);
  natter_chat_store_append_message (chats, id, NATTER_ROLE_USER, NULL, "Hello there", NULL);
  natter_chat_store_append_message (chats, id, NATTER_ROLE_ASSISTANT, NULL, "General Kenobi", NULL);

  window = gui_test_open_window ();
  natter_window_open_chat (window, id);
  g_assert_true (gui_test_wait_until (chat_shown, &(OpenWait) { window, id, 2 }, 10000));

  /* Export…: the name field has the focus; the whole path typed there. */
  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (window)), "_Export…");
  g_assert_true (gui_test_wait_until (file_chooser_shown, NULL, 5000));
  chooser = find_file_chooser ();
  gui_test_spin (300);
  gui_test_press_x_key (chooser, GDK_KEY_a, GDK_CONTROL_MASK);
  gui_test_x_type (chooser, path);
  g_assert_true (gui_test_wait_until (location_is, path, 3000));
  gui_test_spin (200);
  gui_test_press_x_key (chooser, GDK_KEY_Return, 0);
  g_assert_true (gui_test_wait_until (file_exists, path, 5000));
  g_assert_true (gui_test_wait_until (file_chooser_gone, NULL, 5000));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "General Kenobi"));

  /* Import Chat…: Ctrl+L for the location field, the path, Enter. */
  count.before = count_chats (chats);
  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (window)), "_Import Chat…");
  g_assert_true (gui_test_wait_until (file_chooser_shown, NULL, 5000));
  chooser = find_file_chooser ();
  gui_test_spin (300);
  gui_test_press_x_key (chooser, GDK_KEY_l, GDK_CONTROL_MASK);
  gui_test_x_type (chooser, path);
  /* The location field has taken in the whole path (it completes as one
   * types) before Enter. */
  g_assert_true (gui_test_wait_until (location_is, path, 3000));
  gui_test_spin (200);
  gui_test_press_x_key (chooser, GDK_KEY_Return, 0);
  g_assert_true (gui_test_wait_until (chat_added, &count, 5000));
  g_assert_true (gui_test_wait_until (file_chooser_gone, NULL, 5000));
  {
    gint64 imported = natter_window_get_chat_id (window);
    g_autoptr(GPtrArray) page = NULL;

    g_assert_cmpint (imported, !=, 0);
    g_assert_cmpint (imported, !=, id);
    page = natter_chat_store_page_messages (chats, imported, -1, 10, NULL);
    g_assert_nonnull (page);
    g_assert_cmpuint (page->len, ==, 2);
    g_assert_cmpstr (natter_chat_message_get_content (g_ptr_array_index (page, 1)), ==, "General Kenobi");
  }

  gui_test_close_window (window);
}

/* Delete, Delete, Delete on three chats in a row, as fast as a person
 * types: every toast replaces the one before it without harm, only the
 * last one's Undo is offered, and it brings back its own chat. */
static void
test_delete_chats_quickly (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window;
  NatterSidebar *sidebar;
  GtkListView *list;

  gui_test_remove_all_profiles ();
  gui_test_add_profile ("Local", "ollama", "llama3.2");
  window = gui_test_open_window ();
  sidebar = natter_window_get_sidebar (window);
  list = natter_sidebar_get_chat_list (sidebar);

  for (int round = 0; round < 6; round++)
    {
      gint64 ids[3];
      ChatWait w = { .window = window };

      for (int i = 0; i < 3; i++)
        {
          g_autofree char *title = g_strdup_printf ("Chat %d.%d", round, i);

          ids[i] = natter_chat_store_new_chat (chats, 0, title, NULL);
          g_assert_cmpint (ids[i], >, 0);
          w.chat_id = ids[i];
          g_assert_true (gui_test_wait_until (row_listed, &w, 5000));
        }
      for (int i = 0; i < 3; i++)
        {
          NatterChatRow *row = natter_sidebar_find_row (sidebar, ids[i]);

          g_assert_nonnull (row);
          gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row)));
          g_assert_true (gui_test_press_key (GTK_WIDGET (list), GDK_KEY_Delete, 0));
          g_assert_null (natter_sidebar_find_row (sidebar, ids[i]));
          gui_test_spin (30);
        }

      /* The first two are gone for good; Undo brings back the third. */
      for (int i = 0; i < 2; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(NatterChat) chat = natter_chat_store_get_chat (chats, ids[i], &error);

          g_assert_null (chat);
        }
      gui_test_click_toast_button (window, "_Undo");
      w.chat_id = ids[2];
      g_assert_true (gui_test_wait_until (row_listed, &w, 2000));
      g_assert_cmpint (natter_window_get_chat_id (window), ==, ids[2]);
      w.chat_id = ids[0];
      g_assert_false (row_listed (&w));
      w.chat_id = ids[1];
      g_assert_false (row_listed (&w));
    }

  gui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/natter/sessions/switch-while-streaming", test_switch_while_streaming);
  g_test_add_func ("/natter/sessions/cli-write-shows", test_cli_write_shows);
  g_test_add_func ("/natter/sessions/delete-chat-context-menu", test_delete_chat_context_menu);
  g_test_add_func ("/natter/sessions/delete-message-undo", test_delete_message_undo);
  g_test_add_func ("/natter/sessions/empty-send-replies", test_empty_send_replies);
  g_test_add_func ("/natter/sessions/branch-titles", test_branch_titles);
  g_test_add_func ("/natter/sessions/duplicate-chat", test_duplicate_chat);
  g_test_add_func ("/natter/sessions/narrow-window", test_narrow_window);
  g_test_add_func ("/natter/sessions/export-import-file-chooser", test_export_import_file_chooser);
  g_test_add_func ("/natter/sessions/delete-chats-quickly", test_delete_chats_quickly);

  return gui_test_run ();
}
