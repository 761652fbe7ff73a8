/* test-schema-gui.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A chat's response format under Xvfb (see tests/test-gui.sh): the chat
 * menu's Response Format… opens the dialog; a pasted schema that is not a
 * JSON object shows an error and is not saved; a valid one is saved with
 * the chat, goes with the next request as OpenAI's response_format, and a
 * reply that does not follow it shows where on the reply. */

#include "config.h"

#include <string.h>

#include "gui-test-util.h"
#include "natter-chat-schema.h"
#include "natter-schema-dialog.h"

#define SCHEMA "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"}},\"required\":[\"answer\"]}"

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

  return session != NULL && !natter_chat_session_is_generating (session);
}

static NatterSchemaDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (NATTER_IS_SCHEMA_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return NATTER_SCHEMA_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

/* The first widget under @root of @type (a button: labelled @button_label). */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *button_label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (button_label == NULL || g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), button_label) == 0))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, button_label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkTextBuffer *buffer;
  const char    *text;
} PasteWait;

static gboolean
pasted (gpointer data)
{
  PasteWait *w = data;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (w->buffer, &start, &end);
  text = gtk_text_buffer_get_text (w->buffer, &start, &end, FALSE);
  return g_str_equal (text, w->text);
}

/* Replaces the schema with @text as Ctrl+A, Ctrl+V do. */
static void
paste_schema (GtkTextView *view,
              const char  *text)
{
  PasteWait w = { gtk_text_view_get_buffer (view), text };

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (view)), text);
  gtk_widget_grab_focus (GTK_WIDGET (view));
  g_signal_emit_by_name (view, "select-all", TRUE);
  g_signal_emit_by_name (view, "paste-clipboard");
  g_assert_true (gui_test_wait_until (pasted, &w, 5000));
}

static void
press (GtkWidget *button)
{
  gtk_widget_grab_focus (button);
  g_assert_true (gtk_widget_activate (button));
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
test_response_format (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(NatterChatSchema) stored = NULL;
  const NatterFakeRequest *request;
  NatterSchemaDialog *dialog;
  GtkTextView *view;
  GtkEditable *name;
  GtkSwitch *on;
  NatterMessageItem *reply;
  ChatWait w;

  w.chat_id = natter_chat_store_new_chat (chats, 0, "Structured", NULL);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("{\\\"answer\\\": \\\"yes\\\"}")));
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("{\\\"answer\\\": 42}")));

  w.window = gui_test_open_window ();
  gui_test_click_chat (w.window, w.chat_id);
  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (w.window)), "Response Format…");
  g_assert_true (gui_test_wait_until (dialog_shown, NULL, 5000));
  dialog = find_dialog ();
  view = GTK_TEXT_VIEW (find_widget (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW, NULL));
  name = GTK_EDITABLE (find_widget (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, NULL));
  on = GTK_SWITCH (find_widget (GTK_WIDGET (dialog), GTK_TYPE_SWITCH, NULL));
  g_assert_nonnull (view);
  g_assert_nonnull (name);
  g_assert_nonnull (on);
  g_assert_true (gtk_switch_get_active (on));

  /* Not an object: a clear error, nothing saved. */
  paste_schema (view, "[1, 2");
  press (find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "_Save"));
  g_assert_true (find_dialog () == dialog);
  {
    GtkWidget *found = NULL;
    GPtrArray *stack = g_ptr_array_new ();

    /* The error label, shown. */
    g_ptr_array_add (stack, dialog);
    while (stack->len > 0 && found == NULL)
      {
        GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error"))
          found = widget;
        for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
          g_ptr_array_add (stack, c);
      }
    g_ptr_array_unref (stack);
    g_assert_nonnull (found);
    g_assert_true (gui_test_wait_until (widget_visible, found, 5000));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (found)), "The schema is not a JSON object"));
  }
  g_assert_null (natter_chat_schema_get (chats, w.chat_id));

  /* A valid schema, saved with the chat. */
  paste_schema (view, SCHEMA);
  gtk_editable_set_text (name, "reply shape");
  press (find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "_Save"));
  g_assert_true (gui_test_wait_until (dialog_gone, NULL, 5000));
  stored = natter_chat_schema_get (chats, w.chat_id);
  g_assert_nonnull (stored);
  g_assert_true (stored->enabled);
  g_assert_cmpstr (stored->name, ==, "reply shape");

  /* The request carries it. */
  gui_test_type_and_send (w.window, "Answer in JSON");
  g_assert_true (gui_test_wait_until (session_done, &w, 20000));
  request = natter_fake_provider_get_request (fake, 0);
  g_assert_nonnull (strstr (request->body, "\"response_format\""));
  g_assert_nonnull (strstr (request->body, "\"json_schema\""));
  g_assert_nonnull (strstr (request->body, "\"reply_shape\""));
  g_assert_nonnull (strstr (request->body, "\"required\":[\"answer\"]"));
  reply = gui_test_last_item (w.window);
  g_assert_cmpint (natter_message_item_get_error_category (reply), ==, NATTER_ERROR_CATEGORY_NONE);

  /* A reply that does not follow it says where. */
  gui_test_type_and_send (w.window, "Again");
  g_assert_true (gui_test_wait_until (session_done, &w, 20000));
  reply = gui_test_last_item (w.window);
  g_assert_cmpint (natter_message_item_get_error_category (reply), !=, NATTER_ERROR_CATEGORY_NONE);
  g_assert_nonnull (strstr (natter_message_item_get_error_message (reply), "answer"));
  g_assert_nonnull (strstr (natter_message_item_get_error_message (reply), "expected string"));
  g_assert_nonnull (strstr (natter_message_item_get_text (reply), "42"));
  {
    NatterMessageRow *row = gui_test_wait_for_row (w.window, reply);

    g_assert_nonnull (row);
    g_assert_nonnull (row->status_label);
    g_assert_true (gtk_widget_get_visible (row->status_box));
    g_assert_nonnull (strstr (gtk_label_get_text (row->status_label), "At $.answer: expected string"));
  }

  gui_test_close_window (w.window);
  natter_fake_provider_free (fake);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  g_test_add_func ("/natter/gui/schema/response-format", test_response_format);
  return gui_test_run ();
}
