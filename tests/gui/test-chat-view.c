/* test-chat-view.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Message rows under a display (run by tests/test-gui.sh): a row bound to
 * a message again shows it from the per-message cache without parsing its
 * Markdown, an edited message is rendered again, a growing reply renders
 * only its last block, and a long chat in the view keeps only a bounded
 * number of messages in memory while it scrolls. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gtk/gtk.h>

#include "natter-chat-view.h"
#include "natter-markdown.h"
#include "natter-message-row.h"

static void
test_cached_row_rerenders_after_edit (void)
{
  GtkWidget *row = g_object_ref_sink (natter_message_row_new ());
  g_autoptr(NatterMessageItem) a = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT,
                                                            "Hello **there**\n\nSecond *part*");
  g_autoptr(NatterMessageItem) b = natter_message_item_new (NATTER_MESSAGE_KIND_USER, "Other `code`");
  guint renders, hits;

  renders = natter_markdown_get_render_count ();
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), a);
  g_assert_cmpuint (natter_markdown_get_render_count () - renders, ==, 2);
  g_assert_cmpuint (natter_message_row_get_n_blocks (NATTER_MESSAGE_ROW (row)), ==, 2);

  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), b);
  g_assert_cmpuint (natter_message_row_get_n_blocks (NATTER_MESSAGE_ROW (row)), ==, 1);
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0), ==, "Other <tt>code</tt>");

  /* Back to a: from the cache, nothing parsed. */
  renders = natter_markdown_get_render_count ();
  hits = natter_message_row_get_cache_hits ();
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), a);
  g_assert_cmpuint (natter_markdown_get_render_count (), ==, renders);
  g_assert_cmpuint (natter_message_row_get_cache_hits (), ==, hits + 1);
  g_assert_cmpuint (natter_message_row_get_n_blocks (NATTER_MESSAGE_ROW (row)), ==, 2);
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0), ==, "Hello <b>there</b>");
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 1), ==, "Second <i>part</i>");

  /* Edited while shown: rendered again. */
  natter_message_item_set_text (a, "Edited *now*");
  g_assert_cmpuint (natter_message_row_get_n_blocks (NATTER_MESSAGE_ROW (row)), ==, 1);
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0), ==, "Edited <i>now</i>");

  /* Edited while not shown: the stale cache is not used. */
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), b);
  natter_message_item_set_text (a, "Edited **again**\n\n```c\nint x;\n```");
  hits = natter_message_row_get_cache_hits ();
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), a);
  g_assert_cmpuint (natter_message_row_get_cache_hits (), ==, hits);
  g_assert_cmpuint (natter_message_row_get_n_blocks (NATTER_MESSAGE_ROW (row)), ==, 2);
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0), ==, "Edited <b>again</b>");
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 1), ==, "int x;");

  g_object_unref (row);
}

static void
test_stream_renders_last_block (void)
{
  GtkWidget *row = g_object_ref_sink (natter_message_row_new ());
  g_autoptr(NatterMessageItem) item = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, NULL);

  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), item);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *para = g_strdup_printf ("Paragraph **%u** of the reply.\n\n", i);
      guint renders = natter_markdown_get_render_count ();

      natter_message_item_append (item, FALSE, para, -1);
      g_assert_true (natter_message_item_flush (item));
      /* The paragraph that grew, and at most the new one after it. */
      g_assert_cmpuint (natter_markdown_get_render_count () - renders, <=, 2);
    }
  g_assert_cmpuint (natter_message_row_get_n_blocks (NATTER_MESSAGE_ROW (row)), ==, 200);
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0), ==,
                   "Paragraph <b>0</b> of the reply.");
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 199), ==,
                   "Paragraph <b>199</b> of the reply.");

  /* A replaced text (regenerate) starts over. */
  natter_message_item_set_text (item, "Fresh");
  g_assert_cmpuint (natter_message_row_get_n_blocks (NATTER_MESSAGE_ROW (row)), ==, 1);
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0), ==, "Fresh");

  g_object_unref (row);
}

static void
load_numbered (gpointer   user_data,
               guint      position,
               guint      n_items,
               GPtrArray *out)
{
  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message **%u** with a line of text.", position + i);
      g_ptr_array_add (out, natter_message_item_new (NATTER_MESSAGE_KIND_USER, text));
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

static void
iterate (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_scroll_keeps_memory_bounded (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = natter_chat_view_new ();
  NatterMessageModel *model = natter_chat_view_get_model (NATTER_CHAT_VIEW (view));
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  const guint n = 3000;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 500);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  natter_message_model_set_source (model, n, load_numbered, NULL, NULL);
  iterate (300);

  for (guint i = 0; i < n; i += 97)
    {
      natter_chat_view_scroll_to_item (NATTER_CHAT_VIEW (view), i);
      iterate (20);
    }
  natter_chat_view_scroll_to_item (NATTER_CHAT_VIEW (view), 1234);
  iterate (200);

  /* Rows for the view (GtkListView keeps 200) and their parked spares
   * hold items; everything else far away was dropped. */
  g_assert_cmpuint (natter_message_model_get_n_loaded (model), <, 1200);

  /* The rows shown are the right messages. */
  collect_rows (view, rows);
  g_assert_cmpuint (rows->len, >, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      NatterMessageRow *row = rows->pdata[i];
      NatterMessageItem *item = natter_message_row_get_item (row);
      const char *text = natter_message_item_get_text (item);
      g_autofree char *markup = NULL;
      guint k;

      g_assert_true (g_str_has_prefix (text, "Message **"));
      k = atoi (text + strlen ("Message **"));
      markup = g_strdup_printf ("Message <b>%u</b> with a line of text.", k);
      g_assert_cmpstr (natter_message_row_get_block_text (row, 0), ==, markup);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/chat-view/cached-row-rerenders-after-edit", test_cached_row_rerenders_after_edit);
  g_test_add_func ("/natter/chat-view/stream-renders-last-block", test_stream_renders_last_block);
  g_test_add_func ("/natter/chat-view/scroll-keeps-memory-bounded", test_scroll_keeps_memory_bounded);

  return g_test_run ();
}
