/* test-tool-calls.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Tools in a chat under Xvfb (see tests/test-gui.sh): the chat may use the
 * test MCP server; the model asks for its echo tool; the approval dialog
 * shows the server, the tool and the arguments; Allow Once runs the call
 * and the reply shows it as a collapsed block that expands to the
 * arguments and result; Deny reports the call as denied. The dialog's
 * buttons are pressed the way a person does. */

#include "config.h"

#include <string.h>

#include "gui-test-util.h"
#include "natter-mcp-config.h"
#include "natter-mcp-store.h"
#include "natter-tool-approval-dialog.h"
#include "natter-tool-calls-box-private.h"
#include "natter-tool-store.h"

#define CALL_CHUNKS \
  "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_e\",\"type\":\"function\",\"function\":{\"name\":\"test__echo\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n"

static NatterFakeResponse *
call_response (void)
{
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");

  natter_fake_response_add_chunk (response, CALL_CHUNKS, -1, 0);
  natter_fake_response_add_chunk (response,
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"text\\\": \"}}]},\"finish_reason\":null}]}\n\n", -1, 0);
  natter_fake_response_add_chunk (response,
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"hello tools\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n", -1, 0);
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  return response;
}

typedef struct
{
  NatterWindow *window;
  gint64        chat_id;
} ChatWait;

/* The test MCP server, saved as "test" (once). */
static void
ensure_test_server (void)
{
  NatterDatabase *database = natter_application_get_database (gui_test_app);
  g_autoptr(GPtrArray) servers = natter_mcp_store_list (database, NULL);
  g_autofree char *server = g_build_filename (g_getenv ("NATTER_BUILD_DIR"), "tests",
                                              "natter-test-mcp-server", NULL);
  g_autoptr(NatterMcpConfig) config = natter_mcp_config_new_stdio ("test", server, NULL);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; servers != NULL && i < servers->len; i++)
    if (g_str_equal (((NatterMcpConfig *) g_ptr_array_index (servers, i))->name, "test"))
      return;
  g_assert_true (natter_mcp_store_save (database, config, &error));
  g_assert_no_error (error);
}

static gboolean
tools_ready (gpointer data)
{
  ChatWait *w = data;
  NatterChatSession *session = natter_window_lookup_session (w->window, w->chat_id);

  return session != NULL && natter_chat_session_get_tools_ready (session);
}

static gboolean
session_done (gpointer data)
{
  ChatWait *w = data;
  NatterChatSession *session = natter_window_lookup_session (w->window, w->chat_id);

  return session != NULL && !natter_chat_session_is_generating (session);
}

static NatterToolApprovalDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (NATTER_IS_TOOL_APPROVAL_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return NATTER_TOOL_APPROVAL_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

/* Laid out at its width (for the screenshot). */
static gboolean
dialog_laid_out (gpointer data)
{
  NatterToolApprovalDialog *dialog = find_dialog ();

  return dialog != NULL && gtk_widget_get_width (GTK_WIDGET (dialog)) >= 500;
}

/* The shown button labelled @label (the dialog keeps a row and a column
 * of its buttons and shows the one that fits). */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0 &&
      gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  NatterToolApprovalDialog *dialog;
  const char               *label;
} ButtonWait;

static gboolean
button_shown (gpointer data)
{
  ButtonWait *w = data;

  return find_button (GTK_WIDGET (w->dialog), w->label) != NULL;
}

/* Presses the dialog's button labelled @label, as Space or Enter on it does. */
static void
press_dialog_button (NatterToolApprovalDialog *dialog,
                     const char               *label)
{
  ButtonWait w = { dialog, label };
  GtkWidget *button;

  if (!gui_test_wait_until (button_shown, &w, 5000))
    g_error ("The approval dialog shows no “%s” button", label);
  button = find_button (GTK_WIDGET (dialog), label);
  gtk_widget_grab_focus (button);
  g_assert_true (gtk_widget_activate (button));
  gui_test_spin (20);
}

static NatterToolCallsBox *
reply_calls (NatterWindow *window)
{
  NatterMessageItem *item = gui_test_last_item (window);
  NatterMessageRow *row = gui_test_find_row (window, item);

  g_assert_nonnull (row);
  g_assert_nonnull (row->tool_calls_box);
  return NATTER_TOOL_CALLS_BOX (row->tool_calls_box);
}

static void
test_approve_and_deny (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterDatabase *database = natter_application_get_database (gui_test_app);
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  const char * const names[] = { "test", NULL };
  g_autoptr(GError) error = NULL;
  NatterToolApprovalDialog *dialog;
  NatterToolCallsBox *calls;
  GtkExpander *expander;
  const NatterFakeRequest *request;
  ChatWait w;

  ensure_test_server ();
  w.chat_id = natter_chat_store_new_chat (chats, 0, "With tools", NULL);

  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", call_response ());
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("The tool said hello.")));

  w.window = gui_test_open_window ();
  gui_test_click_chat (w.window, w.chat_id);
  /* The chat gets the server while it is open (the Tools dialog does
   * this): the next reply starts it and offers its tools. */
  g_assert_true (natter_mcp_chat_servers_set (database, w.chat_id, names, &error));
  g_assert_no_error (error);

  /* Allow once */
  gui_test_type_and_send (w.window, "Use the echo tool");
  g_assert_true (gui_test_wait_until (dialog_shown, NULL, 20000));
  dialog = find_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "“echo”"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "“test”"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "In “With tools”"));
  g_assert_nonnull (strstr (natter_tool_approval_dialog_get_arguments (dialog), "\"text\": \"hello tools\""));
  g_assert_true (gui_test_wait_until (dialog_laid_out, NULL, 5000));
  gui_test_save_screenshot (GTK_WIDGET (dialog), "tool-approval");
  press_dialog_button (dialog, "Allow _Once");
  g_assert_true (gui_test_wait_until (session_done, &w, 20000));
  g_assert_true (tools_ready (&w));

  calls = reply_calls (w.window);
  g_assert_cmpuint (natter_tool_calls_box_get_n_calls (calls), ==, 1);
  expander = natter_tool_calls_box_get_expander (calls, 0);
  g_assert_cmpstr (gtk_expander_get_label (expander), ==, "Tool echo (test): Done");
  g_assert_false (gtk_expander_get_expanded (expander));
  /* Activated as the keyboard does, it shows the arguments and the result. */
  gtk_widget_grab_focus (GTK_WIDGET (expander));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (expander)));
  gui_test_spin (20);
  g_assert_true (gtk_expander_get_expanded (expander));
  request = natter_fake_provider_get_request (fake, 1);
  g_assert_nonnull (strstr (request->body, "\"role\":\"tool\""));
  g_assert_nonnull (strstr (request->body, "hello tools"));
  gui_test_save_screenshot (GTK_WIDGET (w.window), "tool-call-block");

  /* Deny */
  natter_fake_provider_clear_routes (fake);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", call_response ());
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("I was not allowed.")));
  gui_test_type_and_send (w.window, "Again");
  g_assert_true (gui_test_wait_until (dialog_shown, NULL, 20000));
  press_dialog_button (find_dialog (), "_Deny");
  g_assert_true (gui_test_wait_until (session_done, &w, 20000));
  calls = reply_calls (w.window);
  g_assert_cmpstr (gtk_expander_get_label (natter_tool_calls_box_get_expander (calls, 0)), ==,
                   "Tool echo (test): Denied");
  request = natter_fake_provider_get_request (fake, natter_fake_provider_get_n_requests (fake) - 1);
  g_assert_nonnull (strstr (request->body, "The person denied this tool call."));
  gui_test_close_window (w.window);

  /* Reopened, the chat shows the calls as they were kept. */
  w.window = gui_test_open_window ();
  gui_test_click_chat (w.window, w.chat_id);
  {
    GListModel *model = G_LIST_MODEL (natter_chat_view_get_model (natter_window_get_chat_view (w.window)));
    g_autoptr(NatterMessageItem) first_reply = NULL;
    NatterMessageRow *row;

    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
    first_reply = g_list_model_get_item (model, 1);
    g_assert_nonnull (strstr (natter_message_item_get_tool_events (first_reply), "hello tools"));
    calls = reply_calls (w.window);
    g_assert_cmpstr (gtk_expander_get_label (natter_tool_calls_box_get_expander (calls, 0)), ==,
                     "Tool echo (test): Denied");
    row = gui_test_find_row (w.window, first_reply);
    if (row != NULL)
      g_assert_cmpstr (gtk_expander_get_label (natter_tool_calls_box_get_expander (NATTER_TOOL_CALLS_BOX (row->tool_calls_box), 0)),
                       ==, "Tool echo (test): Done");
  }

  gui_test_close_window (w.window);
  natter_fake_provider_free (fake);
}

static void
on_toast (NatterChatSession *session,
          AdwToast          *toast,
          GString           *titles)
{
  g_string_append_printf (titles, "%s\n", adw_toast_get_title (toast));
}

/* A tool that fails: its block says so, and a notice tells the person. */
static void
test_failing_tool (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterDatabase *database = natter_application_get_database (gui_test_app);
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  const char * const names[] = { "test", NULL };
  g_autoptr(GString) titles = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  NatterFakeResponse *call = natter_fake_response_new (200, "text/event-stream");
  NatterChatSession *session;
  NatterToolCallsBox *calls;
  ChatWait w;

  ensure_test_server ();
  w.chat_id = natter_chat_store_new_chat (chats, 0, "Failing tool", NULL);
  g_assert_true (natter_mcp_chat_servers_set (database, w.chat_id, names, &error));
  g_assert_no_error (error);
  natter_fake_response_add_chunk (call,
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_f\",\"type\":\"function\",\"function\":{\"name\":\"test__fail\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\n", -1, 0);
  natter_fake_response_add_chunk (call, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", call);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("The tool failed.")));

  w.window = gui_test_open_window ();
  gui_test_click_chat (w.window, w.chat_id);
  session = natter_window_lookup_session (w.window, w.chat_id);
  g_assert_nonnull (session);
  g_signal_connect (session, "toast", G_CALLBACK (on_toast), titles);
  gui_test_type_and_send (w.window, "Use the fail tool");
  g_assert_true (gui_test_wait_until (dialog_shown, NULL, 20000));
  press_dialog_button (find_dialog (), "Always _Allow This Tool");
  g_assert_true (gui_test_wait_until (session_done, &w, 20000));

  calls = reply_calls (w.window);
  g_assert_cmpstr (gtk_expander_get_label (natter_tool_calls_box_get_expander (calls, 0)), ==,
                   "Tool fail (test): Failed");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (natter_tool_calls_box_get_expander (calls, 0)), "error"));
  g_assert_nonnull (strstr (titles->str, "The tool “fail” failed"));
  g_signal_handlers_disconnect_by_func (session, on_toast, titles);
  /* "Always allow" is kept with the chat. */
  {
    g_auto(GStrv) allowed = natter_tool_store_dup_allowed (chats, w.chat_id);

    g_assert_true (g_strv_contains ((const char * const *) allowed, "test/fail"));
  }

  gui_test_close_window (w.window);
  natter_fake_provider_free (fake);
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

/* Stop while the question is asked: the question goes away, the call does
 * not run and the reply is marked stopped. */
static void
test_stop_while_asking (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterDatabase *database = natter_application_get_database (gui_test_app);
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  const char * const names[] = { "test", NULL };
  g_autoptr(GError) error = NULL;
  NatterMessageItem *item;
  ChatWait w;

  ensure_test_server ();
  w.chat_id = natter_chat_store_new_chat (chats, 0, "Stopped tool", NULL);
  g_assert_true (natter_mcp_chat_servers_set (database, w.chat_id, names, &error));
  g_assert_no_error (error);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", call_response ());

  w.window = gui_test_open_window ();
  gui_test_click_chat (w.window, w.chat_id);
  gui_test_type_and_send (w.window, "Use the echo tool");
  g_assert_true (gui_test_wait_until (dialog_shown, NULL, 20000));
  gui_test_click (GTK_WIDGET (natter_window_get_composer (w.window)), "win.stop", NULL);
  g_assert_true (gui_test_wait_until (session_done, &w, 20000));
  g_assert_true (gui_test_wait_until (dialog_gone, NULL, 5000));
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, 1);
  item = gui_test_last_item (w.window);
  g_assert_cmpint (natter_message_item_get_error_category (item), ==, NATTER_ERROR_CATEGORY_CANCELLED);

  gui_test_close_window (w.window);
  natter_fake_provider_free (fake);
}

/* In a chat without tools a reply that only asks for a tool is never an
 * empty reply: it says what happened. */
static void
test_tool_call_only (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterMessageItem *item;
  NatterMessageRow *row;
  ChatWait w;

  w.chat_id = natter_chat_store_new_chat (chats, 0, "No tools", NULL);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", call_response ());
  w.window = gui_test_open_window ();
  gui_test_click_chat (w.window, w.chat_id);
  gui_test_type_and_send (w.window, "Use the echo tool");
  g_assert_true (gui_test_wait_until (session_done, &w, 20000));

  item = gui_test_last_item (w.window);
  g_assert_cmpint (natter_message_item_get_kind (item), ==, NATTER_MESSAGE_KIND_ASSISTANT);
  g_assert_cmpstr (natter_message_item_get_text (item), ==, "");
  row = gui_test_find_row (w.window, item);
  g_assert_nonnull (row);
  g_assert_true (natter_message_row_get_status_is_error (row));
  g_assert_nonnull (strstr (natter_message_row_get_status (row), "test__echo"));

  gui_test_close_window (w.window);
  natter_fake_provider_free (fake);
}

/* A model known not to call tools in a chat that has them: no tools are
 * offered, the reply comes, and a notice says why. */
static void
test_model_without_tools (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterDatabase *database = natter_application_get_database (gui_test_app);
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterProfileStore *profiles = natter_application_get_profile_store (gui_test_app);
  NatterProfile *profile = natter_profile_store_get_active (profiles);
  const char * const names[] = { "test", NULL };
  g_autoptr(GString) titles = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  NatterChatSession *session;
  ChatWait w;

  natter_profile_set_settings (profile, "{\"models\":{\"fake-model\":{\"tools\":false}}}");
  g_assert_true (natter_profile_store_update (profiles, profile, NULL));
  ensure_test_server ();
  w.chat_id = natter_chat_store_new_chat (chats, 0, "Model without tools", NULL);
  g_assert_true (natter_mcp_chat_servers_set (database, w.chat_id, names, &error));
  g_assert_no_error (error);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("No tools here.")));

  w.window = gui_test_open_window ();
  gui_test_click_chat (w.window, w.chat_id);
  session = natter_window_lookup_session (w.window, w.chat_id);
  g_assert_nonnull (session);
  g_assert_true (gui_test_wait_until (tools_ready, &w, 20000));
  g_signal_connect (session, "toast", G_CALLBACK (on_toast), titles);
  gui_test_type_and_send (w.window, "Use the echo tool");
  g_assert_true (gui_test_wait_until (session_done, &w, 20000));
  g_signal_handlers_disconnect_by_func (session, on_toast, titles);

  g_assert_cmpstr (natter_message_item_get_text (gui_test_last_item (w.window)), ==, "No tools here.");
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, 1);
  g_assert_null (strstr (natter_fake_provider_get_request (fake, 0)->body, "\"tools\""));
  g_assert_nonnull (strstr (titles->str, "No tools offered: the model “fake-model” cannot call tools"));

  gui_test_close_window (w.window);
  natter_fake_provider_free (fake);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  g_test_add_func ("/natter/gui/tools/approve-and-deny", test_approve_and_deny);
  g_test_add_func ("/natter/gui/tools/failing-tool", test_failing_tool);
  g_test_add_func ("/natter/gui/tools/stop-while-asking", test_stop_while_asking);
  g_test_add_func ("/natter/gui/tools/tool-call-only", test_tool_call_only);
  g_test_add_func ("/natter/gui/tools/model-without-tools", test_model_without_tools);
  return gui_test_run ();
}
