/* test-note-gui.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A chat's author's note under Xvfb (see tests/test-gui.sh): the chat
 * menu's Author's Note… opens the dialog; the text and depth typed there
 * are saved with the chat and the next request carries the note as the
 * last message (depth 0). */

#include "config.h"

#include <string.h>

#include "gui-test-util.h"
#include "natter-chat-note.h"
#include "natter-note-dialog.h"

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

static NatterNoteDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (NATTER_IS_NOTE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return NATTER_NOTE_DIALOG (window);
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

/* Replaces the text with @text as Ctrl+A, Ctrl+V do. */
static void
paste_text (GtkTextView *view,
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

static void
test_authors_note (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(NatterChatNote) stored = NULL;
  const NatterFakeRequest *request;
  NatterNoteDialog *dialog;
  GtkTextView *view;
  GtkSpinButton *depth;
  ChatWait w;

  w.chat_id = natter_chat_store_new_chat (chats, 0, "Noted", NULL);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("Fine.")));

  w.window = gui_test_open_window ();
  gui_test_click_chat (w.window, w.chat_id);
  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (w.window)), "Author’s Note…");
  g_assert_true (gui_test_wait_until (dialog_shown, NULL, 5000));
  dialog = find_dialog ();
  view = GTK_TEXT_VIEW (find_widget (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW, NULL));
  depth = GTK_SPIN_BUTTON (find_widget (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON, NULL));
  g_assert_nonnull (view);
  g_assert_nonnull (depth);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (depth), ==, 4);

  paste_text (view, "NOTE-FROM-THE-WINDOW");
  gtk_editable_set_text (GTK_EDITABLE (depth), "0");
  gtk_spin_button_update (depth);
  press (find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "_Save"));
  g_assert_true (gui_test_wait_until (dialog_gone, NULL, 5000));
  stored = natter_chat_note_get (chats, w.chat_id, NULL);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->text, ==, "NOTE-FROM-THE-WINDOW");
  g_assert_cmpint (stored->depth, ==, 0);
  g_assert_cmpint (stored->frequency, ==, 1);

  gui_test_type_and_send (w.window, "Hello");
  g_assert_true (gui_test_wait_until (session_done, &w, 20000));
  request = natter_fake_provider_get_request (fake, 0);
  g_assert_nonnull (strstr (request->body, "NOTE-FROM-THE-WINDOW"));
  g_assert_true (strstr (request->body, "NOTE-FROM-THE-WINDOW") > strstr (request->body, "Hello"));

  gui_test_close_window (w.window);
  natter_fake_provider_free (fake);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);
  g_test_add_func ("/natter/gui/note/authors-note", test_authors_note);
  return gui_test_run ();
}
