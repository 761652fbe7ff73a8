/* test-window.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Drives the real window under Xvfb (see tests/test-gui.sh): real profile
 * store on a SQLite file in NATTER_DATA_DIR, real widgets and actions. */

#include "config.h"

#include <string.h>

#include "gui-test-util.h"
#include "natter-connections-dialog.h"
#include "natter-markdown.h"
#include "natter-profile-editor.h"
#include "natter-test-util.h"

static NatterConnectionsDialog *
find_connections_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (NATTER_IS_CONNECTIONS_DIALOG (w))
        return NATTER_CONNECTIONS_DIALOG (w);
    }
  return NULL;
}

static gboolean
connections_dialog_shown (gpointer data)
{
  return find_connections_dialog () != NULL;
}

static void
test_welcome (void)
{
  NatterWindow *window;

  gui_test_remove_all_profiles ();
  window = gui_test_open_window ();

  g_assert_cmpstr (natter_window_get_visible_page (window), ==, "welcome");
  g_assert_cmpstr (natter_composer_get_disabled_reason (natter_window_get_composer (window)), ==,
                   "Add a connection to start chatting");

  /* The hint's button opens Connections. */
  {
    GtkButton *button = natter_composer_get_hint_button (natter_window_get_composer (window));
    NatterConnectionsDialog *dialog;

    g_assert_nonnull (button);
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.connections");
    g_assert_null (find_connections_dialog ());
    g_signal_emit_by_name (button, "clicked");
    g_assert_true (gui_test_wait_until (connections_dialog_shown, NULL, 5000));
    dialog = find_connections_dialog ();
    g_assert_nonnull (dialog);
    gtk_window_destroy (GTK_WINDOW (dialog));
    gui_test_spin (50);
  }

  /* The app icon comes from the resources (nothing is installed here), for
   * the normal and the development app id, full colour and symbolic. */
  {
    GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
    const char *names[] = {
      "io.github.natterapp.Natter", "io.github.natterapp.Natter.Devel",
      "io.github.natterapp.Natter-symbolic", "io.github.natterapp.Natter.Devel-symbolic",
      APP_ID,
    };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autoptr(GtkIconPaintable) icon = NULL;
        g_autoptr(GFile) file = NULL;
        g_autofree char *uri = NULL;

        g_assert_true (gtk_icon_theme_has_icon (theme, names[i]));
        icon = gtk_icon_theme_lookup_icon (theme, names[i], NULL, 128, 1, GTK_TEXT_DIR_NONE, 0);
        file = gtk_icon_paintable_get_file (icon);
        g_assert_nonnull (file);
        uri = g_file_get_uri (file);
        g_test_message ("%s: %s", names[i], uri);
        g_assert_true (g_str_has_prefix (uri, "resource:///io/github/natterapp/Natter/icons/"));
      }
    g_assert_true (g_resources_get_info ("/io/github/natterapp/Natter/icons/scalable/apps/" APP_ID ".svg",
                                         0, NULL, NULL, NULL));
  }
  gui_test_save_screenshot (GTK_WIDGET (window), "welcome.png");

  natter_welcome_page_add_local_server (natter_window_get_welcome_page (window),
                                        "ollama", "Ollama", "http://127.0.0.1:11434");
  g_assert_cmpuint (natter_welcome_page_get_n_local_servers (natter_window_get_welcome_page (window)), ==, 1);
  g_signal_emit_by_name (natter_window_get_welcome_page (window), "use-local-server",
                         "ollama", "http://127.0.0.1:11434");
  gui_test_spin (20);

  {
    NatterProfileStore *store = natter_application_get_profile_store (gui_test_app);
    NatterProfile *active = natter_profile_store_get_active (store);

    g_assert_nonnull (active);
    g_assert_cmpstr (natter_profile_get_provider_id (active), ==, "ollama");
    g_assert_cmpstr (natter_profile_get_base_url (active), ==, "http://127.0.0.1:11434");
  }
  g_assert_cmpstr (natter_window_get_visible_page (window), ==, "chat");

  gui_test_close_window (window);
}

static gboolean
has_key_hint (gpointer data)
{
  const char *reason = natter_composer_get_disabled_reason (natter_window_get_composer (data));

  return reason != NULL && strstr (reason, "has no API key") != NULL;
}

static void
test_profile_dropdown (void)
{
  NatterProfileStore *store = natter_application_get_profile_store (gui_test_app);
  NatterWindow *window;
  GtkDropDown *dropdown;
  NatterProfile *work, *local;

  gui_test_remove_all_profiles ();
  local = gui_test_add_profile ("Local", "ollama", "llama3.2");
  work = gui_test_add_profile ("Work", "openai", "gpt-4o-mini");
  natter_profile_store_set_active (store, work, NULL);

  window = gui_test_open_window ();
  dropdown = natter_window_get_profile_dropdown (window);

  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 2);
  g_assert_true (gtk_drop_down_get_selected_item (dropdown) == (gpointer) work);
  /* OpenAI needs a key and the private keyring has none: a hint says so,
   * with a button that opens that connection's editor. */
  g_assert_true (gui_test_wait_until (has_key_hint, window, 5000));
  g_assert_cmpstr (natter_composer_get_disabled_reason (natter_window_get_composer (window)), ==,
                   "The connection “Work” has no API key");
  gui_test_spin (100);
  gui_test_save_screenshot (GTK_WIDGET (window), "composer-hint.png");
  {
    GtkButton *button = natter_composer_get_hint_button (natter_window_get_composer (window));
    NatterConnectionsDialog *dialog;
    NatterProfileEditor *editor;
    GVariant *target;

    g_assert_nonnull (button);
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.edit-connection");
    target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
    g_assert_nonnull (target);
    g_assert_cmpint (g_variant_get_int64 (target), ==, natter_profile_get_id (work));
    g_signal_emit_by_name (button, "clicked");
    g_assert_true (gui_test_wait_until (connections_dialog_shown, NULL, 5000));
    dialog = find_connections_dialog ();
    g_assert_nonnull (dialog);
    editor = natter_connections_dialog_get_editor (dialog);
    g_assert_nonnull (editor);
    g_assert_cmpstr (natter_profile_get_name (natter_profile_editor_get_profile (editor)), ==, "Work");
    gtk_window_destroy (GTK_WINDOW (dialog));
    gui_test_spin (50);
  }

  /* Switching in the dropdown changes only the active profile. */
  natter_composer_set_text (natter_window_get_composer (window), "draft kept");
  gtk_drop_down_set_selected (dropdown, 0);
  gui_test_spin (20);
  g_assert_true (natter_profile_store_get_active (store) == local);
  g_assert_null (natter_composer_get_disabled_reason (natter_window_get_composer (window)));
  {
    g_autofree char *draft = natter_composer_dup_text (natter_window_get_composer (window));
    g_assert_cmpstr (draft, ==, "draft kept");
  }
  g_assert_cmpstr (natter_profile_get_model (work), ==, "gpt-4o-mini");

  /* And the other way: the store switching moves the dropdown. */
  natter_profile_store_set_active (store, work, NULL);
  gui_test_spin (20);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 1);

  gui_test_close_window (window);
}

/* The model typed in the header (Enter) or picked from its list is the
 * connection's, saved at once. */
static void
test_model_saved (void)
{
  NatterProfileStore *store = natter_application_get_profile_store (gui_test_app);
  NatterProfile *local;
  NatterWindow *window;
  GtkEntry *entry;

  gui_test_remove_all_profiles ();
  local = gui_test_add_profile ("Local", "ollama", "llama3.2");
  natter_profile_store_set_active (store, local, NULL);
  window = gui_test_open_window ();
  entry = natter_window_get_model_entry (window);

  gtk_editable_set_text (GTK_EDITABLE (entry), "qwen2.5:14b");
  g_signal_emit_by_name (entry, "activate");
  gui_test_spin (20);
  g_assert_cmpstr (natter_profile_get_model (natter_profile_store_lookup (store, "Local")), ==, "qwen2.5:14b");
  gui_test_close_window (window);

  /* A new window (as after a restart) shows it. */
  window = gui_test_open_window ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (natter_window_get_model_entry (window))), ==, "qwen2.5:14b");
  g_assert_null (natter_composer_get_disabled_reason (natter_window_get_composer (window)));
  gui_test_close_window (window);
}

static void
test_slash_commands (void)
{
  NatterProfileStore *store = natter_application_get_profile_store (gui_test_app);
  NatterWindow *window;
  NatterMessageItem *note;
  guint before;

  gui_test_remove_all_profiles ();
  gui_test_add_profile ("Local", "ollama", "llama3.2");
  gui_test_add_profile ("Work", "openai", "gpt-4o-mini");
  natter_profile_store_set_active (store, natter_profile_store_lookup (store, "Work"), NULL);
  window = gui_test_open_window ();

  gui_test_type_and_send (window, "/help");
  note = gui_test_last_item (window);
  g_assert_cmpint (natter_message_item_get_kind (note), ==, NATTER_MESSAGE_KIND_NOTE);
  g_assert_nonnull (strstr (natter_message_item_get_text (note), "/profile-create"));

  gui_test_type_and_send (window, "/profile");
  g_assert_cmpstr (natter_message_item_get_text (gui_test_last_item (window)), ==, "Current profile: Work");

  gui_test_type_and_send (window, "/profile-list");
  g_assert_cmpstr (natter_message_item_get_text (gui_test_last_item (window)), ==,
                   "Connection profiles:\n• Local\n• Work (active)");

  gui_test_type_and_send (window, "/profile local");
  g_assert_true (natter_profile_store_get_active (store) == natter_profile_store_lookup (store, "Local"));
  g_assert_cmpuint (gtk_drop_down_get_selected (natter_window_get_profile_dropdown (window)), ==, 0);

  gui_test_type_and_send (window, "/profile Nowhere");
  g_assert_nonnull (strstr (natter_message_item_get_text (gui_test_last_item (window)), "no profile named “Nowhere”"));
  g_assert_true (natter_profile_store_get_active (store) == natter_profile_store_lookup (store, "Local"));

  /* /profile-update saves the model typed in the header. */
  gtk_editable_set_text (GTK_EDITABLE (natter_window_get_model_entry (window)), "qwen2.5:7b");
  gui_test_type_and_send (window, "/profile-update");
  g_assert_cmpstr (natter_profile_get_model (natter_profile_store_lookup (store, "Local")), ==, "qwen2.5:7b");

  gui_test_type_and_send (window, "/profile-create Spare");
  g_assert_nonnull (natter_profile_store_lookup (store, "Spare"));
  g_assert_cmpstr (natter_profile_get_provider_id (natter_profile_store_lookup (store, "Spare")), ==, "ollama");
  g_assert_cmpstr (natter_profile_get_model (natter_profile_store_lookup (store, "Spare")), ==, "qwen2.5:7b");

  gui_test_type_and_send (window, "/profile-create");
  g_assert_nonnull (strstr (natter_message_item_get_text (gui_test_last_item (window)), "needs a name"));

  /* Unknown command: a note, and nothing sent as a message. */
  before = gui_test_n_messages (window);
  gui_test_type_and_send (window, "/frobnicate please");
  g_assert_cmpuint (gui_test_n_messages (window), ==, before + 1);
  g_assert_cmpint (natter_message_item_get_kind (gui_test_last_item (window)), ==, NATTER_MESSAGE_KIND_NOTE);
  g_assert_nonnull (strstr (natter_message_item_get_text (gui_test_last_item (window)), "Unknown command"));

  /* The completion popover offers the matching commands. */
  natter_composer_set_text (natter_window_get_composer (window), "/profile-");
  gui_test_spin (20);
  {
    g_auto(GStrv) completions = natter_composer_dup_completions (natter_window_get_composer (window));
    g_assert_cmpuint (g_strv_length (completions), ==, 3);
  }
  natter_composer_set_text (natter_window_get_composer (window), "");

  gui_test_close_window (window);
}

typedef struct
{
  NatterMessageItem *item;
  guint              sent;
  guint              total;
  guint              rate;       /* tokens per second */
  gint64             start;
} Feed;

/* Sends what is due at @rate since the start, however late the timer. */
static gboolean
feed_tokens (gpointer data)
{
  Feed *feed = data;
  guint due;

  if (feed->start == 0)
    feed->start = g_get_monotonic_time ();
  due = MIN (feed->total, (g_get_monotonic_time () - feed->start) * feed->rate / G_USEC_PER_SEC + 1);

  for (; feed->sent < due; feed->sent++)
    {
      const char *token;

      if (feed->sent == 0)
        token = "Here is **bold** text.\n\n";
      else if (feed->sent == feed->total / 2)
        token = "\n\n```c\nint main (void);\n";
      else
        token = "word ";
      natter_message_item_append (feed->item, FALSE, token, -1);
    }

  return feed->sent < feed->total ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
feed_done (gpointer data)
{
  Feed *feed = data;
  return feed->sent >= feed->total;
}

static void
test_streaming (void)
{
  NatterWindow *window;
  NatterChatView *view;
  g_autoptr(NatterMessageItem) reply = NULL;
  NatterMessageRow *row;
  Feed feed = { 0 };
  guint renders_before, renders, flushes_before, flushes;

  gui_test_remove_all_profiles ();
  gui_test_add_profile ("Work", "openai", "gpt-4o-mini");
  window = gui_test_open_window ();
  view = natter_window_get_chat_view (window);

  {
    g_autoptr(NatterMessageItem) user = natter_message_item_new (NATTER_MESSAGE_KIND_USER, "Tell me something");
    natter_message_model_append (natter_chat_view_get_model (view), user);
  }
  reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, NULL);
  natter_message_model_append (natter_chat_view_get_model (view), reply);
  natter_chat_view_begin_stream (view, reply);
  gui_test_spin (50);

  feed.item = reply;
  feed.total = 2000;
  feed.rate = 4000;
  renders_before = natter_markdown_get_render_count ();
  flushes_before = natter_chat_view_get_n_flushes (view);
  g_timeout_add (1, feed_tokens, &feed);
  g_assert_true (gui_test_wait_until (feed_done, &feed, 10000));
  gui_test_spin (100);

  renders = natter_markdown_get_render_count () - renders_before;
  flushes = natter_chat_view_get_n_flushes (view) - flushes_before;

  /* Coalesced to the frame clock: far fewer flushes than tokens, and each
   * flush renders only the changed (last) block, plus new blocks. */
  g_assert_cmpuint (flushes, >, 0);
  g_assert_cmpuint (flushes, <, feed.total / 4);
  g_assert_cmpuint (renders, <=, flushes + 3);

  row = gui_test_find_row (window, reply);
  g_assert_nonnull (row);
  g_assert_cmpuint (natter_message_row_get_n_blocks (row), ==, 3);
  g_assert_cmpstr (natter_message_row_get_block_text (row, 0), ==, "Here is <b>bold</b> text.");
  g_assert_true (natter_chat_view_get_following (view));

  natter_chat_view_end_stream (view);
  g_assert_false (natter_chat_view_is_streaming (view));
  g_assert_false (natter_message_item_get_streaming (reply));
  g_assert_true (g_str_has_prefix (natter_message_item_get_text (reply), "Here is **bold** text."));
  g_assert_nonnull (strstr (natter_message_item_get_text (reply), "int main (void);"));

  gui_test_close_window (window);
}

static void
test_error_inline (void)
{
  NatterWindow *window;
  g_autoptr(NatterMessageItem) reply = NULL;
  NatterMessageRow *row;

  window = gui_test_open_window ();
  reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "Partial answ");
  natter_message_model_append (natter_chat_view_get_model (natter_window_get_chat_view (window)), reply);
  natter_message_item_set_error (reply, NATTER_ERROR_CATEGORY_AUTH, "Incorrect API key provided");
  row = gui_test_wait_for_row (window, reply);
  g_assert_nonnull (row);
  g_assert_cmpstr (natter_message_row_get_block_text (row, 0), ==, "Partial answ");
  gui_test_close_window (window);
}




typedef struct
{
  NatterMessageItem *item;
  const char        *text;
} TextWait;

static gboolean
item_has_text (gpointer data)
{
  TextWait *w = data;
  return strstr (natter_message_item_get_text (w->item), w->text) != NULL;
}

static gboolean
not_streaming (gpointer data)
{
  return !natter_window_is_streaming (data);
}

static gboolean
fake_got_request (gpointer data)
{
  return natter_fake_provider_get_n_requests (data) > 0;
}

static void
test_send_streams_reply (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  NatterRequestLog *log = natter_application_get_request_log (gui_test_app);
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window;
  NatterMessageItem *reply;
  NatterMessageRow *row;
  NatterLogEntry *entry;
  TextWait w;

  natter_fake_response_add_chunk (response, GUI_CHUNK ("Hello"), -1, 0);
  /* The rest comes late, so the first part must show on its own. */
  natter_fake_response_add_chunk (response, GUI_CHUNK (", **world**"), -1, 1500);
  natter_fake_response_add_chunk (response, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n", -1, 0);
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", response);

  window = gui_test_open_window ();
  g_assert_null (natter_composer_get_disabled_reason (natter_window_get_composer (window)));
  gui_test_type_and_send (window, "Say hello");
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);
  g_assert_cmpint (natter_window_get_chat_id (window), >, 0);
  reply = gui_test_last_item (window);
  g_assert_cmpint (natter_message_item_get_kind (reply), ==, NATTER_MESSAGE_KIND_ASSISTANT);

  /* Streamed live: the first part shows before the rest is sent. */
  w.item = reply;
  w.text = "Hello";
  g_assert_true (gui_test_wait_until (item_has_text, &w, 5000));
  gui_test_spin (50);
  row = gui_test_find_row (window, reply);
  g_assert_nonnull (row);
  g_assert_cmpstr (natter_message_row_get_block_text (row, 0), ==, "Hello");
  g_assert_true (natter_window_is_streaming (window));

  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  gui_test_spin (50);
  g_assert_cmpstr (natter_message_item_get_text (reply), ==, "Hello, **world**");
  g_assert_cmpstr (natter_message_row_get_block_text (row, 0), ==, "Hello, <b>world</b>");
  g_assert_cmpint (natter_message_item_get_error_category (reply), ==, NATTER_ERROR_CATEGORY_NONE);

  /* The request went to the fake with the model and the message. */
  {
    g_autoptr(GString) body = NULL;
    entry = natter_request_log_get_last (log);
    g_assert_nonnull (entry);
    g_assert_cmpstr (natter_log_entry_get_text (entry), ==, "Hello, **world**");
    g_assert_cmpstr (natter_log_entry_get_model (entry), ==, "fake-model");
    g_assert_nonnull (strstr (natter_log_entry_get_request_body (entry), "Say hello"));
    (void) body;
  }

  /* Saved: the chat has both messages, the reply complete. */
  g_assert_cmpint (natter_chat_store_count_messages (chats, natter_window_get_chat_id (window), NULL), ==, 2);
  {
    g_autoptr(NatterChatMessage) message =
      natter_chat_store_get_message (chats, natter_message_item_get_id (reply), NULL);
    g_assert_nonnull (message);
    g_assert_cmpstr (natter_chat_message_get_content (message), ==, "Hello, **world**");
    g_assert_cmpint (natter_chat_message_get_state (message), ==, NATTER_SWIPE_STATE_COMPLETE);
  }

  /* Regenerate: a second alternative, then page back to the first. */
  {
    NatterFakeResponse *second = natter_fake_response_new (200, "text/event-stream");

    natter_fake_response_add_chunk (second, GUI_CHUNK ("Another"), -1, 0);
    natter_fake_response_add_chunk (second, "data: [DONE]\n\n", -1, 0);
    natter_fake_provider_clear_routes (fake);
    natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", second);
  }
  gui_test_press_row_action (window, reply, "message.regenerate");
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  g_assert_cmpstr (natter_message_item_get_text (reply), ==, "Another");
  g_assert_cmpuint (natter_message_item_get_n_swipes (reply), ==, 2);
  g_assert_cmpuint (natter_message_item_get_swipe_index (reply), ==, 1);
  gui_test_press_row_action (window, reply, "message.swipe-previous");
  g_assert_cmpstr (natter_message_item_get_text (reply), ==, "Hello, **world**");
  g_assert_cmpuint (natter_message_item_get_swipe_index (reply), ==, 0);

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

static gboolean
stored_cancelled (gpointer data)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(NatterChatMessage) message =
    natter_chat_store_get_message (chats, natter_message_item_get_id (data), NULL);

  return message != NULL && natter_chat_message_get_state (message) == NATTER_SWIPE_STATE_CANCELLED;
}

static void
test_cancel_stream (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window;
  NatterMessageItem *reply;
  TextWait w;
  gint64 start;

  natter_fake_response_add_chunk (response, GUI_CHUNK ("Partial"), -1, 0);
  natter_fake_response_add_chunk (response, GUI_CHUNK (" sent far too late"), -1, 60000);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", response);

  window = gui_test_open_window ();
  gui_test_type_and_send (window, "Never finish");
  reply = g_object_ref (gui_test_last_item (window));
  w.item = reply;
  w.text = "Partial";
  g_assert_true (gui_test_wait_until (item_has_text, &w, 5000));

  /* Stop (or Escape) stops at once and keeps what arrived, marked
   * stopped: not an error. */
  start = g_get_monotonic_time ();
  gui_test_click (GTK_WIDGET (natter_window_get_composer (window)), "win.stop", NULL);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 100000);
  g_assert_false (natter_window_is_streaming (window));
  g_assert_cmpstr (natter_message_item_get_text (reply), ==, "Partial");
  if (natter_message_item_get_error_category (reply) != NATTER_ERROR_CATEGORY_CANCELLED)
    g_test_message ("error: %s", natter_message_item_get_error_message (reply));
  g_assert_cmpint (natter_message_item_get_error_category (reply), ==, NATTER_ERROR_CATEGORY_CANCELLED);

  /* The store records the cancelled reply once the request unwinds. */
  g_assert_true (gui_test_wait_until (stored_cancelled, reply, 5000));
  {
    g_autoptr(NatterChatMessage) message =
      natter_chat_store_get_message (chats, natter_message_item_get_id (reply), NULL);
    g_assert_nonnull (message);
    g_assert_cmpstr (natter_chat_message_get_content (message), ==, "Partial");
    g_assert_cmpint (natter_chat_message_get_state (message), ==, NATTER_SWIPE_STATE_CANCELLED);
  }

  g_object_unref (reply);
  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}


static void
test_error_from_provider (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterWindow *window;
  NatterMessageItem *reply;

  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  natter_fake_response_new_body (404, "application/json",
                                                                 "{\"error\":{\"message\":\"The model fake-model does not exist\"}}"));
  window = gui_test_open_window ();
  gui_test_type_and_send (window, "Hello?");
  reply = gui_test_last_item (window);
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  g_assert_cmpint (natter_message_item_get_error_category (reply), ==, NATTER_ERROR_CATEGORY_NOT_FOUND);
  g_assert_nonnull (strstr (natter_message_item_get_error_message (reply), "does not exist"));
  g_assert_true (gui_test_wait_until (fake_got_request, fake, 100));

  /* Retry: a new alternative of the failed reply, through the engine. */
  natter_fake_provider_clear_routes (fake);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", gui_test_simple_reply (GUI_CHUNK ("Found it")));
  gui_test_press_row_action (window, reply, "message.retry");
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  g_assert_cmpstr (natter_message_item_get_text (reply), ==, "Found it");
  g_assert_cmpint (natter_message_item_get_error_category (reply), ==, NATTER_ERROR_CATEGORY_NONE);
  g_assert_cmpuint (natter_message_item_get_n_swipes (reply), ==, 2);
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);

  gui_test_close_window (window);

  /* A prompt that cannot be assembled (a setting of the profile has the
   * wrong type): nothing is sent or stored, no empty chat is left, and the text
   * goes back into the composer. */
  {
    NatterProfileStore *store = natter_application_get_profile_store (gui_test_app);
    NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
    NatterProfile *active = natter_profile_store_get_active (store);
    g_autoptr(GPtrArray) before = natter_chat_store_list_chats (chats, 0, NULL);
    g_autoptr(GPtrArray) after = NULL;
    g_autofree char *text = NULL;
    guint requests = natter_fake_provider_get_n_requests (fake);

    natter_profile_set_settings (active, "{\"context_size\": \"big\"}");
    g_assert_true (natter_profile_store_update (store, active, NULL));
    window = gui_test_open_window ();
    gui_test_type_and_send (window, "Will this be lost?");
    gui_test_spin (100);
    g_assert_false (natter_window_is_streaming (window));
    g_assert_cmpuint (gui_test_n_messages (window), ==, 0);
    g_assert_cmpint (natter_window_get_chat_id (window), ==, 0);
    text = natter_composer_dup_text (natter_window_get_composer (window));
    g_assert_cmpstr (text, ==, "Will this be lost?");
    after = natter_chat_store_list_chats (chats, 0, NULL);
    g_assert_cmpuint (after->len, ==, before->len);
    g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, requests);
    natter_profile_set_settings (active, NULL);
    g_assert_true (natter_profile_store_update (store, active, NULL));
  }

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

#define TEST_CARD \
  "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{" \
  "\"name\":\"Zephyrine\",\"description\":\"DESCRIPTION-MARKER {{char}} keeps bees.\"," \
  "\"personality\":\"calm\",\"scenario\":\"A hive.\",\"first_mes\":\"Hello {{user}}, I am {{char}}.\"," \
  "\"mes_example\":\"\",\"creator_notes\":\"\",\"system_prompt\":\"\",\"post_history_instructions\":\"\"," \
  "\"alternate_greetings\":[\"Alt one from {{char}}.\",\"Alt two.\"],\"tags\":[],\"creator\":\"\"," \
  "\"character_version\":\"1\",\"extensions\":{}}}"

static gint64
add_test_character (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(NatterCharacterRow) existing = natter_chat_store_lookup_character (chats, "Zephyrine", NULL);
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (existing != NULL)
    return existing->id;
  id = natter_chat_store_add_character (chats, NULL, TEST_CARD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gboolean
one_shown (gpointer data)
{
  return natter_new_chat_dialog_get_n_shown (data) == 1;
}

/* Ctrl+N offers a plain chat or a character; a character's chat starts
 * with its greeting (macros expanded), the alternate greetings as swipes,
 * and sending assembles the prompt from the card (through the
 * conversation engine, not the window's own code). */
static gboolean
two_shown (gpointer dialog)
{
  return natter_new_chat_dialog_get_n_shown (dialog) >= 2;
}

static void
test_new_chat_with_character (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterRequestLog *log = natter_application_get_request_log (gui_test_app);
  NatterNewChatDialog *dialog;
  NatterWindow *window;
  NatterMessageItem *greeting;
  g_autoptr(NatterChat) chat = NULL;
  gint64 character_id = add_test_character ();
  const char *body;

  natter_fake_response_add_chunk (response, GUI_CHUNK ("Bzz."), -1, 0);
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", response);

  window = gui_test_open_window ();

  /* Nothing typed: the plain chat is first, Enter picks it. */
  gui_test_click (GTK_WIDGET (window), "win.new-chat", NULL);
  dialog = natter_window_get_new_chat_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_true (gui_test_wait_until (two_shown, dialog, 10000));
  g_assert_cmpuint (natter_new_chat_dialog_get_n_shown (dialog), >=, 2);
  g_assert_cmpint (natter_new_chat_dialog_get_first_shown (dialog), ==, 0);
  g_signal_emit_by_name (natter_new_chat_dialog_get_search_entry (dialog), "activate");
  gui_test_spin (50);
  g_assert_null (natter_window_get_new_chat_dialog (window));
  g_assert_cmpint (natter_window_get_chat_id (window), ==, 0);

  /* Typing filters the characters; Enter starts a chat with the first. */
  gui_test_click (GTK_WIDGET (window), "win.new-chat", NULL);
  dialog = natter_window_get_new_chat_dialog (window);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (natter_new_chat_dialog_get_search_entry (dialog)), "zephy");
  g_assert_true (gui_test_wait_until (one_shown, dialog, 5000));  /* after the entry's delay */
  g_assert_cmpuint (natter_new_chat_dialog_get_n_shown (dialog), ==, 1);
  g_assert_cmpint (natter_new_chat_dialog_get_first_shown (dialog), ==, character_id);
  gui_test_save_screenshot (GTK_WIDGET (dialog), "new-chat-dialog.png");
  natter_new_chat_dialog_activate_first (dialog);
  gui_test_spin (50);
  g_assert_null (natter_window_get_new_chat_dialog (window));

  chat = natter_chat_store_get_chat (chats, natter_window_get_chat_id (window), NULL);
  g_assert_nonnull (chat);
  g_assert_cmpint (natter_chat_get_character_id (chat), ==, character_id);
  g_assert_cmpuint (gui_test_n_messages (window), ==, 1);
  greeting = gui_test_last_item (window);
  g_assert_cmpstr (natter_message_item_get_text (greeting), ==, "Hello User, I am Zephyrine.");
  g_assert_cmpuint (natter_message_item_get_n_swipes (greeting), ==, 3);
  gui_test_press_row_action (window, greeting, "message.swipe-next");
  g_assert_cmpstr (natter_message_item_get_text (greeting), ==, "Alt one from Zephyrine.");
  gui_test_press_row_action (window, greeting, "message.swipe-previous");
  g_assert_cmpstr (natter_message_item_get_text (greeting), ==, "Hello User, I am Zephyrine.");

  /* The request carries the card, macros expanded, and the greeting. */
  gui_test_type_and_send (window, "Tell me about the bees");
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  g_assert_cmpstr (natter_message_item_get_text (gui_test_last_item (window)), ==, "Bzz.");
  g_assert_cmpuint (gui_test_n_messages (window), ==, 3);
  body = natter_log_entry_get_request_body (natter_request_log_get_last (log));
  g_assert_nonnull (strstr (body, "DESCRIPTION-MARKER Zephyrine keeps bees."));
  g_assert_nonnull (strstr (body, "Hello User, I am Zephyrine."));
  g_assert_nonnull (strstr (body, "Tell me about the bees"));
  g_assert_cmpint (natter_chat_store_count_messages (chats, natter_window_get_chat_id (window), NULL), ==, 3);

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

/* Sidebar search: the chat list filters by title or character, and a
 * "Messages" section lists full-text hits; a hit opens its chat and
 * scrolls to the message, even far from the bottom of a long chat. */
static gboolean
search_done (gpointer data)
{
  return !natter_sidebar_is_searching (data);
}

/* The chat view has gone to a search hit and shows its row. */
static gboolean
hit_shown (gpointer window)
{
  NatterMessageItem *hit = natter_chat_view_get_highlighted (natter_window_get_chat_view (window));

  return hit != NULL && gui_test_find_row (window, hit) != NULL;
}

static void
test_search_messages (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterSidebar *sidebar;
  GtkSearchEntry *search;
  NatterWindow *window;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterMessageItem) target = NULL;
  const char *markup;
  gint64 chat_id, other_id, character_id = add_test_character ();
  gint64 target_id = 0;

  gui_test_remove_all_profiles ();
  gui_test_add_profile ("Local", "ollama", "llama3.2");

  chat_id = natter_chat_store_new_chat (chats, 0, "Long search chat", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *text = i == 7
        ? g_strdup ("The <quokkaphant> & its **friends** live [here](https://example.org).")
        : g_strdup_printf ("Filler message number %u with some words.", i);
      gint64 id = natter_chat_store_append_message (chats, chat_id,
                                                    i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                                    NULL, text, &error);
      g_assert_no_error (error);
      if (i == 7)
        target_id = id;
    }
  /* A chat titled otherwise, found by its character's name. */
  other_id = natter_chat_store_new_chat (chats, character_id, "Beekeeping notes", &error);
  g_assert_no_error (error);

  window = gui_test_open_window ();
  sidebar = natter_window_get_sidebar (window);
  gui_test_click_chat (window, other_id);
  search = natter_sidebar_get_search_entry (sidebar);

  gtk_editable_set_text (GTK_EDITABLE (search), "zephyr");
  g_assert_true (gui_test_wait_until (search_done, sidebar, 5000));
  g_assert_cmpuint (natter_sidebar_get_n_message_hits (sidebar), ==, 0);
  g_assert_cmpuint (natter_sidebar_get_n_chats (sidebar), >=, 1);
  /* Title matches only: no empty "Messages" area under them. */
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (natter_sidebar_get_message_hits (sidebar))));
  /* Enter opens the first chat shown: the character's. */
  natter_window_open_chat (window, chat_id);
  g_signal_emit_by_name (search, "activate");
  g_assert_cmpint (natter_window_get_chat_id (window), ==, other_id);

  gtk_editable_set_text (GTK_EDITABLE (search), "quokkaphant");
  g_assert_true (gui_test_wait_until (search_done, sidebar, 5000));
  g_assert_cmpuint (natter_sidebar_get_n_message_hits (sidebar), ==, 1);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (natter_sidebar_get_message_hits (sidebar))));
  markup = natter_sidebar_get_message_hit_markup (sidebar, 0);
  g_test_message ("hit: %s", markup);
  g_assert_nonnull (strstr (markup, "<b>quokkaphant</b>"));
  g_assert_nonnull (strstr (markup, "&lt;"));
  g_assert_nonnull (strstr (markup, "&amp;"));
  /* Shown as text, not as Markdown. */
  g_assert_nonnull (strstr (markup, "its friends live here."));
  gui_test_spin (100);
  gui_test_save_screenshot (GTK_WIDGET (window), "search.png");

  /* A click on the hit: its chat, scrolled to the message, marked. */
  {
    GtkListBox *hits = natter_sidebar_get_message_hits (sidebar);

    g_signal_emit_by_name (hits, "row-activated", gtk_list_box_get_row_at_index (hits, 0));
  }
  g_assert_true (gui_test_wait_until (hit_shown, window, 10000));
  g_assert_cmpint (natter_window_get_chat_id (window), ==, chat_id);
  target = g_list_model_get_item (G_LIST_MODEL (natter_chat_view_get_model (natter_window_get_chat_view (window))), 7);
  g_assert_cmpint (natter_message_item_get_id (target), ==, target_id);
  /* Scrolled there: the row exists though the chat opened at the bottom,
   * and it is marked. */
  g_assert_nonnull (gui_test_find_row (window, target));
  g_assert_true (natter_chat_view_get_highlighted (natter_window_get_chat_view (window)) == target);

  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_assert_true (gui_test_wait_until (search_done, sidebar, 5000));
  g_assert_cmpuint (natter_sidebar_get_n_message_hits (sidebar), ==, 0);

  gui_test_close_window (window);
}

/* Edit in place: the row's Edit button, the text, then @button
 * ("message.save-edit" or "message.save-and-regenerate"). */
static void
edit_in_place (NatterWindow      *window,
               NatterMessageItem *item,
               const char        *text,
               const char        *button,
               gboolean           expect_regenerate)
{
  NatterMessageRow *row;
  GtkTextView *editor;

  gui_test_press_row_action (window, item, "message.edit");
  row = gui_test_find_row (window, item);
  g_assert_nonnull (row);
  g_assert_true (natter_message_row_get_editing (row));
  if (expect_regenerate)
    g_assert_nonnull (natter_message_row_get_action_button (row, "message.save-and-regenerate"));
  editor = natter_message_row_get_editor (row);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor), text, -1);
  g_signal_emit_by_name (natter_message_row_get_action_button (row, button), "clicked");
  gui_test_spin (50);
}

/* Editing saves only that message; the last user message can also be
 * saved and regenerated. */
static void
test_edit_message (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterRequestLog *log = natter_application_get_request_log (gui_test_app);
  NatterWindow *window;
  g_autoptr(NatterMessageItem) first = NULL;
  g_autoptr(NatterMessageItem) first_reply = NULL;
  g_autoptr(NatterMessageItem) second = NULL;
  g_autoptr(NatterMessageItem) second_reply = NULL;
  GListModel *model;
  gint64 chat_id;

  window = gui_test_open_window ();
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", gui_test_simple_reply (GUI_CHUNK ("Reply one")));
  gui_test_type_and_send (window, "First question");
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  natter_fake_provider_clear_routes (fake);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", gui_test_simple_reply (GUI_CHUNK ("Reply two")));
  gui_test_type_and_send (window, "Second question");
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));

  chat_id = natter_window_get_chat_id (window);
  model = G_LIST_MODEL (natter_chat_view_get_model (natter_window_get_chat_view (window)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  first = g_list_model_get_item (model, 0);
  first_reply = g_list_model_get_item (model, 1);
  second = g_list_model_get_item (model, 2);
  second_reply = g_list_model_get_item (model, 3);
  g_assert_cmpstr (natter_message_item_get_text (second_reply), ==, "Reply two");

  /* Not the last user message: Save only, and only it changes. */
  edit_in_place (window, first, "First question, reworded", "message.save-edit", FALSE);
  g_assert_cmpstr (natter_message_item_get_text (first), ==, "First question, reworded");
  {
    g_autoptr(GPtrArray) page = natter_chat_store_page_messages (chats, chat_id, -1, 10, NULL);

    g_assert_cmpuint (page->len, ==, 4);
    g_assert_cmpstr (natter_chat_message_get_content (g_ptr_array_index (page, 0)), ==, "First question, reworded");
    g_assert_cmpstr (natter_chat_message_get_content (g_ptr_array_index (page, 1)), ==, "Reply one");
    g_assert_cmpstr (natter_chat_message_get_content (g_ptr_array_index (page, 2)), ==, "Second question");
    g_assert_cmpstr (natter_chat_message_get_content (g_ptr_array_index (page, 3)), ==, "Reply two");
  }
  g_assert_false (natter_window_is_streaming (window));

  /* The last user message: Save and Regenerate writes a new reply after
   * it, from the edited text (not an alternative of the old reply). */
  natter_fake_provider_clear_routes (fake);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", gui_test_simple_reply (GUI_CHUNK ("Reply three")));
  edit_in_place (window, second, "Second question, edited", "message.save-and-regenerate", TRUE);
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  g_assert_cmpstr (natter_message_item_get_text (second), ==, "Second question, edited");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  {
    g_autoptr(NatterMessageItem) third_reply = g_list_model_get_item (model, 3);

    g_assert_true (third_reply != second_reply);
    g_assert_cmpstr (natter_message_item_get_text (third_reply), ==, "Reply three");
    g_assert_cmpuint (natter_message_item_get_n_swipes (third_reply), ==, 1);
  }
  g_assert_nonnull (strstr (natter_log_entry_get_request_body (natter_request_log_get_last (log)),
                            "Second question, edited"));
  g_assert_null (strstr (natter_log_entry_get_request_body (natter_request_log_get_last (log)),
                         "Reply two"));
  g_assert_cmpint (natter_chat_store_count_messages (chats, chat_id, NULL), ==, 4);

  /* An earlier message: Save and Regenerate goes on in a branch that ends
   * with the edit and a new reply; this chat stays as it was. */
  natter_fake_provider_clear_routes (fake);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", gui_test_simple_reply (GUI_CHUNK ("Reply four")));
  edit_in_place (window, first, "First question, branched", "message.save-and-regenerate", TRUE);
  g_assert_cmpint (natter_window_get_chat_id (window), !=, chat_id);
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);
  {
    g_autoptr(NatterMessageItem) edited =
      g_list_model_get_item (G_LIST_MODEL (natter_chat_view_get_model (natter_window_get_chat_view (window))), 0);
    g_autoptr(NatterChat) branch = natter_chat_store_get_chat (chats, natter_window_get_chat_id (window), NULL);

    g_assert_cmpstr (natter_message_item_get_text (edited), ==, "First question, branched");
    g_assert_cmpstr (natter_chat_get_title (branch), ==, "First question (branch)");
  }
  g_assert_cmpstr (natter_message_item_get_text (gui_test_last_item (window)), ==, "Reply four");
  {
    g_autoptr(GPtrArray) page = natter_chat_store_page_messages (chats, chat_id, -1, 10, NULL);

    g_assert_cmpuint (page->len, ==, 4);
    g_assert_cmpstr (natter_chat_message_get_content (g_ptr_array_index (page, 0)), ==, "First question, reworded");
  }

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

/* A profile that cannot be used (here "custom" without a server address;
 * no model already disables the composer) is said as it is, in a note,
 * not as the provider's answer. */
static void
test_local_error_note (void)
{
  NatterProfileStore *store = natter_application_get_profile_store (gui_test_app);
  NatterWindow *window;
  NatterMessageItem *note;
  NatterProfile *profile;
  guint n;

  gui_test_remove_all_profiles ();
  profile = gui_test_add_profile ("Local", "custom", "some-model");
  g_assert_true (natter_profile_store_set_active (store, profile, NULL));

  window = gui_test_open_window ();
  gui_test_type_and_send (window, "Hello?");
  n = gui_test_n_messages (window);
  g_assert_cmpuint (n, >=, 1);
  note = gui_test_last_item (window);
  g_assert_cmpint (natter_message_item_get_kind (note), ==, NATTER_MESSAGE_KIND_NOTE);
  g_assert_cmpstr (natter_message_item_get_text (note), ==,
                   "Profile “Local” has no server address: set a base URL");
  /* Nothing was sent or stored: no chat, no user message, and the text is
   * back in the composer. */
  {
    g_autofree char *text = natter_composer_dup_text (natter_window_get_composer (window));

    g_assert_cmpstr (text, ==, "Hello?");
    g_assert_cmpint (natter_window_get_chat_id (window), ==, 0);
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(NatterMessageItem) item =
          g_list_model_get_item (G_LIST_MODEL (natter_chat_view_get_model (natter_window_get_chat_view (window))), i);

        g_assert_cmpint (natter_message_item_get_kind (item), ==, NATTER_MESSAGE_KIND_NOTE);
      }
  }

  gui_test_close_window (window);
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

static void
rename_through_dialog (NatterWindow *window,
                       const char   *name)
{
  AdwMessageDialog *dialog;
  GtkEditable *entry;

  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (window)), "_Rename…");
  dialog = find_message_dialog (window);
  g_assert_nonnull (dialog);
  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gtk_editable_set_text (entry, name);
  gui_test_answer_dialog (dialog, "_Rename");
}

static void
test_chats_rename_delete_undo (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  g_autoptr(GError) error = NULL;
  NatterSidebar *sidebar;
  NatterWindow *window;
  gint64 id;

  natter_fake_response_add_chunk (response, GUI_CHUNK ("Fine"), -1, 0);
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", response);

  window = gui_test_open_window ();
  sidebar = natter_window_get_sidebar (window);
  gui_test_type_and_send (window, "A chat about apricots");
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  id = natter_window_get_chat_id (window);
  g_assert_cmpint (id, >, 0);

  /* Rename… in the chat's header menu: a dialog with the name. */
  rename_through_dialog (window, "Apricots");
  {
    g_autoptr(NatterChat) chat = natter_chat_store_get_chat (chats, id, NULL);
    g_assert_cmpstr (natter_chat_get_title (chat), ==, "Apricots");
  }
  g_assert_cmpstr (adw_window_title_get_title (natter_window_get_chat_title (window)), ==, "Apricots");
  /* A blank name is refused and changes nothing. */
  rename_through_dialog (window, "   ");
  {
    g_autoptr(NatterChat) chat = natter_chat_store_get_chat (chats, id, NULL);
    g_assert_cmpstr (natter_chat_get_title (chat), ==, "Apricots");
  }

  /* Full-text search jumps to the hit. */
  natter_window_open_chat (window, 0);
  gtk_editable_set_text (GTK_EDITABLE (natter_sidebar_get_search_entry (sidebar)), "apricots");
  g_assert_true (gui_test_wait_until (search_done, sidebar, 5000));
  g_signal_emit_by_name (natter_sidebar_get_search_entry (sidebar), "activate");
  gui_test_spin (50);
  g_assert_cmpint (natter_window_get_chat_id (window), ==, id);
  gtk_editable_set_text (GTK_EDITABLE (natter_sidebar_get_search_entry (sidebar)), "");
  g_assert_true (gui_test_wait_until (search_done, sidebar, 5000));

  /* The chat's header menu: Delete hides it at once; Undo brings it back
   * untouched. */
  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (window)), "_Delete");
  g_assert_cmpint (natter_window_get_chat_id (window), ==, 0);
  g_assert_null (natter_sidebar_find_row (sidebar, id));
  gui_test_click_toast_button (window, "_Undo");
  g_assert_cmpint (natter_window_get_chat_id (window), ==, id);
  g_assert_cmpint (natter_chat_store_count_messages (chats, id, NULL), ==, 2);

  /* Without Undo it is gone once the window closes (the toast with it). */
  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (window)), "_Delete");
  gui_test_close_window (window);
  {
    g_autoptr(NatterChat) chat = natter_chat_store_get_chat (chats, id, &error);
    g_assert_null (chat);
    g_clear_error (&error);
  }

  natter_fake_provider_free (fake);
}

static gboolean
chat_opened (gpointer data)
{
  return natter_window_get_chat_id (data) != 0 && gui_test_n_messages (data) > 0;
}

static gboolean
import_failed (gpointer data)
{
  return natter_window_get_n_import_failures (data) > 0;
}

static void
test_import_cards (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autofree char *path = natter_test_fixture_path ("sillytavern/default_Seraphina.png");
  g_autofree char *tmpdir = natter_test_tmpdir_new ();
  g_autofree char *bad_path = g_build_filename (tmpdir, "broken.png", NULL);
  g_autoptr(GFile) good = g_file_new_for_path (path);
  g_autoptr(GFile) bad = NULL;
  NatterWindow *window;
  NatterMessageItem *greeting;
  g_autoptr(NatterChat) chat = NULL;

  gui_test_remove_all_profiles ();
  gui_test_add_profile ("Local", "ollama", "llama3.2");
  window = gui_test_open_window ();

  natter_window_import_files (window, &good, 1);
  g_assert_true (gui_test_wait_until (chat_opened, window, 5000));
  chat = natter_chat_store_get_chat (chats, natter_window_get_chat_id (window), NULL);
  g_assert_nonnull (chat);
  g_assert_cmpint (natter_chat_get_character_id (chat), >, 0);
  g_assert_cmpstr (natter_chat_get_title (chat), ==, "Seraphina");
  greeting = gui_test_last_item (window);
  g_assert_cmpint (natter_message_item_get_kind (greeting), ==, NATTER_MESSAGE_KIND_ASSISTANT);
  g_assert_cmpuint (natter_message_item_get_text_length (greeting), >, 0);
  g_assert_cmpuint (natter_window_get_n_import_failures (window), ==, 0);

  /* The character page: shown from the header, exports, starts chats. */
  gui_test_click (GTK_WIDGET (window), "win.show-character", NULL);
  g_assert_cmpstr (natter_window_get_visible_page (window), ==, "character");
  gui_test_spin (300);
  gui_test_save_screenshot (GTK_WIDGET (window), "character-page.png");
  {
    NatterCharacterPage *page = natter_window_get_character_page (window);
    g_autofree char *exported = g_build_filename (tmpdir, "out.png", NULL);
    g_autoptr(NatterCard) again = NULL;
    g_autoptr(GPtrArray) list = NULL;
    g_autoptr(GError) error = NULL;
    gint64 character_id = natter_character_page_get_character_id (page);

    g_assert_true (natter_character_page_export (page, exported, &error));
    g_assert_no_error (error);
    again = natter_card_load_file (exported, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (natter_card_get_name (again), ==, "Seraphina");

    /* Named .charx: a CHARX archive that loads as the same character. */
    {
      g_autofree char *charx = g_build_filename (tmpdir, "out.charx", NULL);
      g_autoptr(NatterCard) from_charx = NULL;
      g_autofree char *head = NULL;
      gsize len = 0;

      g_assert_true (natter_character_page_export (page, charx, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (charx, &head, &len, NULL));
      g_assert_cmpuint (len, >, 4);
      g_assert_true (memcmp (head, "PK\x03\x04", 4) == 0);
      from_charx = natter_card_load_file (charx, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (natter_card_get_name (from_charx), ==, "Seraphina");
    }

    g_signal_emit_by_name (page, "new-chat", character_id);
    list = natter_chat_store_list_chats (chats, character_id, NULL);
    g_assert_cmpuint (list->len, ==, 2);
    g_assert_cmpstr (natter_window_get_visible_page (window), ==, "chat");
    g_assert_cmpint (natter_window_get_chat_id (window), ==, natter_chat_get_id (g_ptr_array_index (list, 0)));
  }

  /* A broken card: a toast with the reason, nothing stored, no crash. */
  g_assert_true (g_file_set_contents (bad_path, "\x89PNG\r\n\x1a\nnot really", 18, NULL));
  bad = g_file_new_for_path (bad_path);
  natter_window_import_files (window, &bad, 1);
  g_assert_true (gui_test_wait_until (import_failed, window, 5000));
  g_assert_cmpint (natter_chat_get_character_id (chat), >, 0);

  gui_test_close_window (window);
  natter_test_tmpdir_free (g_steal_pointer (&tmpdir));
}

static void
test_shortcuts_and_settings (void)
{
  static const struct { const char *action, *accel; } expected[] = {
    { "win.new-chat", "<Control>n" },
    { "app.inspector", "<Control><Shift>i" },
    { "app.preferences", "<Control>comma" },
    { "win.show-help-overlay", "<Control>question" },
    { "win.stop", "Escape" },
    { "win.rename-chat", "F2" },
    { "app.quit", "<Control>q" },
  };
  NatterSettings *settings = natter_application_get_settings (gui_test_app);
  NatterWindow *window;
  g_autoptr(NatterMessageItem) reply = NULL;
  NatterMessageRow *row;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (gui_test_app), expected[i].action);

      guint key, expected_key;
      GdkModifierType mods, expected_mods;

      g_assert_nonnull (accels[0]);
      g_assert_true (gtk_accelerator_parse (accels[0], &key, &mods));
      g_assert_true (gtk_accelerator_parse (expected[i].accel, &expected_key, &expected_mods));
      g_assert_cmpuint (key, ==, expected_key);
      g_assert_cmpuint (mods, ==, expected_mods);
    }

  window = gui_test_open_window ();
  g_assert_true (natter_composer_get_enter_sends (natter_window_get_composer (window)));
  natter_settings_set_enter_sends (settings, FALSE);
  g_assert_false (natter_composer_get_enter_sends (natter_window_get_composer (window)));
  natter_settings_set_enter_sends (settings, TRUE);

  reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "Answer");
  natter_message_item_set_reasoning (reply, "Thinking it over");
  natter_window_open_chat (window, 0);
  natter_message_model_append (natter_chat_view_get_model (natter_window_get_chat_view (window)), reply);
  row = gui_test_wait_for_row (window, reply);
  g_assert_nonnull (row);
  g_assert_true (natter_message_row_get_reasoning_visible (row));
  natter_settings_set_show_reasoning (settings, FALSE);
  g_assert_false (natter_message_row_get_reasoning_visible (row));
  natter_settings_set_show_reasoning (settings, TRUE);
  g_assert_true (natter_message_row_get_reasoning_visible (row));

  /* Ctrl+N's action: with characters stored, the chooser; Enter on its
   * first row: a new, empty chat. */
  gui_test_click (GTK_WIDGET (window), "win.new-chat", NULL);
  if (natter_window_get_new_chat_dialog (window) != NULL)
    natter_new_chat_dialog_activate_first (natter_window_get_new_chat_dialog (window));
  g_assert_cmpint (natter_window_get_chat_id (window), ==, 0);
  g_assert_cmpuint (gui_test_n_messages (window), ==, 0);

  gui_test_close_window (window);
}

static void
load_synthetic (gpointer   user_data,
                guint      position,
                guint      n_items,
                GPtrArray *out)
{
  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message number %u with *some* text", position + i);

      g_ptr_array_add (out, natter_message_item_new ((position + i) % 2 ? NATTER_MESSAGE_KIND_ASSISTANT
                                                                        : NATTER_MESSAGE_KIND_USER,
                                                     text));
    }
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (NATTER_IS_MESSAGE_ROW (widget))
    {
      g_ptr_array_add (rows, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

static gboolean
view_has_rows (gpointer view)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (view, rows);
  return rows->len > 0;
}

static void
test_virtualized (void)
{
  NatterWindow *window = gui_test_open_window ();
  NatterChatView *view = natter_window_get_chat_view (window);
  NatterMessageModel *model = natter_chat_view_get_model (view);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  natter_message_model_set_source (model, 10000, load_synthetic, NULL, NULL);
  g_assert_true (gui_test_wait_until (view_has_rows, view, 10000));

  collect_rows (GTK_WIDGET (view), rows);
  g_test_message ("%u rows, %u items loaded", rows->len, natter_message_model_get_n_loaded (model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 10000);
  g_assert_cmpuint (rows->len, >, 0);
  g_assert_cmpuint (rows->len, <, 300);
  /* What the model promises: the pages around the last one it loaded
   * (KEEP_PAGES either side) and whatever rows hold, never the chat. */
  g_assert_cmpuint (natter_message_model_get_n_loaded (model), <=,
                    (2 * NATTER_MESSAGE_MODEL_KEEP_PAGES + 1) * NATTER_MESSAGE_MODEL_PAGE_SIZE + rows->len);

  gui_test_close_window (window);
}


static void
test_screenshot (void)
{
  NatterProfileStore *store = natter_application_get_profile_store (gui_test_app);
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  g_autoptr(GString) reply = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  NatterWindow *window;

  gui_test_add_profile ("OpenAI", "openai", "gpt-4o-mini");
  {
    NatterProfile *fake_profile = natter_profile_store_lookup (store, "Fake");

    natter_profile_set_name (fake_profile, "LM Studio");
    g_assert_true (natter_profile_store_update (store, fake_profile, NULL));
  }

  natter_fake_response_add_chunk (response,
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"GIO streams are the idiomatic way.\"}}]}\n\n", -1, 0);
  lines = g_strsplit (
    "Use a **GDataInputStream** on top of the file's input stream:\\n\\n"
    "1. Open the file with `g_file_read()`\\n"
    "2. Wrap it in `g_data_input_stream_new()`\\n"
    "3. Call `g_data_input_stream_read_line_utf8()` until it returns *NULL*\\n\\n"
    "```c\\n"
    "g_autoptr(GFileInputStream) in = g_file_read (file, NULL, &error);\\n"
    "g_autoptr(GDataInputStream) data = g_data_input_stream_new (G_INPUT_STREAM (in));\\n"
    "char *line;\\n\\n"
    "while ((line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, &error)))\\n"
    "  g_print (\\\"%s\\\\n\\\", line);\\n"
    "```\\n\\n"
    "> Lines come back without the newline; free each with `g_free()`.", " ", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *chunk = g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s%s\"}}]}\n\n",
                                                lines[i], lines[i + 1] ? " " : "");
      natter_fake_response_add_chunk (response, chunk, -1, 0);
    }
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", response);

  /* A tidy sidebar instead of the other tests' chats. */
  {
    NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
    NatterConversation *conversation = natter_application_get_conversation (gui_test_app);
    g_autoptr(GPtrArray) all = natter_chat_store_list_chats (chats, 0, NULL);
    g_autoptr(NatterCharacterRow) seraphina = natter_chat_store_lookup_character (chats, "Seraphina", NULL);
    const char *titles[] = { "Regex for ISO 8601 dates", "Weekend trip ideas", "Sourdough starter schedule" };

    for (guint i = 0; all != NULL && i < all->len; i++)
      g_assert_true (natter_chat_store_delete_chat (chats, natter_chat_get_id (g_ptr_array_index (all, i)), NULL));
    if (seraphina != NULL)
      g_assert_cmpint (natter_conversation_new_chat (conversation, seraphina->id, NULL, NULL), >, 0);
    for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
      g_assert_cmpint (natter_conversation_new_chat (conversation, 0, titles[i], NULL), >, 0);
  }

  /* A character chat: its greeting, then a reply with Markdown, a code
   * block and the reasoning expander. */
  {
    NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
    g_autoptr(NatterCharacterRow) existing = natter_chat_store_lookup_character (chats, "Ada", NULL);

    if (existing == NULL)
      g_assert_cmpint (natter_chat_store_add_character (chats, NULL,
        "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{"
        "\"name\":\"Ada\",\"description\":\"{{char}} is a patient C and GLib mentor.\","
        "\"personality\":\"precise, friendly\",\"scenario\":\"\","
        "\"first_mes\":\"Hi {{user}}! I'm {{char}}. Ask me anything about C, GLib or GTK.\","
        "\"mes_example\":\"\",\"alternate_greetings\":[\"Back again, {{user}}? What are we building today?\"],"
        "\"extensions\":{}}}", NULL, NULL), >, 0);
  }
  window = gui_test_open_window ();
  gui_test_click (GTK_WIDGET (window), "win.new-chat", NULL);
  g_assert_nonnull (natter_window_get_new_chat_dialog (window));
  gtk_editable_set_text (GTK_EDITABLE (natter_new_chat_dialog_get_search_entry (natter_window_get_new_chat_dialog (window))), "Ada");
  g_assert_true (gui_test_wait_until (one_shown, natter_window_get_new_chat_dialog (window), 5000));
  natter_new_chat_dialog_activate_first (natter_window_get_new_chat_dialog (window));
  gui_test_spin (50);
  g_assert_cmpstr (natter_message_item_get_text (gui_test_last_item (window)), ==,
                   "Hi User! I'm Ada. Ask me anything about C, GLib or GTK.");
  gui_test_type_and_send (window, "How do I read a file line by line in C with GLib?");
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  g_assert_nonnull (strstr (natter_message_item_get_text (gui_test_last_item (window)), "GDataInputStream"));
  g_assert_cmpstr (natter_message_item_get_reasoning (gui_test_last_item (window)), ==, "GIO streams are the idiomatic way.");
  g_assert_cmpuint (gui_test_n_messages (window), ==, 3);
  natter_chat_view_scroll_to_bottom (natter_window_get_chat_view (window));
  gui_test_spin (500);

  gui_test_save_screenshot (GTK_WIDGET (window), "main-window.png");
  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/natter/window/welcome", test_welcome);
  g_test_add_func ("/natter/window/profile-dropdown", test_profile_dropdown);
  g_test_add_func ("/natter/window/model-saved", test_model_saved);
  g_test_add_func ("/natter/window/slash-commands", test_slash_commands);
  g_test_add_func ("/natter/window/streaming-coalesced", test_streaming);
  g_test_add_func ("/natter/window/send-streams-reply", test_send_streams_reply);
  g_test_add_func ("/natter/window/cancel-stream", test_cancel_stream);
  g_test_add_func ("/natter/window/error-from-provider", test_error_from_provider);
  g_test_add_func ("/natter/window/local-error-note", test_local_error_note);
  g_test_add_func ("/natter/window/new-chat-with-character", test_new_chat_with_character);
  g_test_add_func ("/natter/window/search-messages", test_search_messages);
  g_test_add_func ("/natter/window/edit-message", test_edit_message);
  g_test_add_func ("/natter/window/chats-rename-delete-undo", test_chats_rename_delete_undo);
  g_test_add_func ("/natter/window/import-cards", test_import_cards);
  g_test_add_func ("/natter/window/shortcuts-and-settings", test_shortcuts_and_settings);
  g_test_add_func ("/natter/window/error-inline", test_error_inline);
  g_test_add_func ("/natter/window/virtualized", test_virtualized);
  g_test_add_func ("/natter/window/screenshot", test_screenshot);

  return gui_test_run ();
}
