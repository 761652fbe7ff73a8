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
 * number of messages in memory while it scrolls; rows keep the right
 * height when bound to other messages, made narrower or given a bigger
 * font. */

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
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0), ==, "Other <span font_family=\"monospace\" background=\"#808080\" bgalpha=\"18%\">code</span>");

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
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  char **out = data;
  g_autoptr(GError) error = NULL;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
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

static void
collect_text_labels (GtkWidget *widget,
                     GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "message-text"))
    g_ptr_array_add (labels, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_text_labels (child, labels);
}

static void
load_long (gpointer   user_data,
           guint      position,
           guint      n_items,
           GPtrArray *out)
{
  for (guint i = 0; i < n_items; i++)
    {
      GString *text = g_string_new (NULL);

      g_string_append_printf (text, "Message **%u**.", position + i);
      for (guint k = 0; k < (position + i) % 5; k++)
        g_string_append (text, " Words that wrap over a few lines of the message when the view is narrow.");
      g_ptr_array_add (out, natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, text->str));
      g_string_free (text, TRUE);
    }
}

/* Every text label of the rows the view shows got at least the height its
 * text needs at the width it got (asked of the label itself, not of what
 * its row remembers). Returns the height of the row of message @position,
 * -1 if not shown. */
static int
assert_labels_fit (GtkWidget *view,
                   guint      position)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autofree char *prefix = g_strdup_printf ("Message **%u**.", position);
  int height = -1;
  guint checked = 0;

  collect_rows (view, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = rows->pdata[i];
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();

      if (!gtk_widget_get_mapped (row) || gtk_widget_get_width (row) <= 1)
        continue;
      if (g_str_has_prefix (natter_message_item_get_text (natter_message_row_get_item (NATTER_MESSAGE_ROW (row))), prefix))
        height = gtk_widget_get_height (row);
      collect_text_labels (row, labels);
      for (guint k = 0; k < labels->len; k++)
        {
          GtkWidget *label = labels->pdata[k];
          int needed;

          gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (label), &needed, NULL, NULL, NULL);
          if (gtk_widget_get_height (label) != needed)
            g_printerr ("label of the row for \"%s\": width %d height %d needed %d, row height %d\n",
                        natter_message_item_get_text (natter_message_row_get_item (NATTER_MESSAGE_ROW (row))),
                        gtk_widget_get_width (label), gtk_widget_get_height (label), needed, gtk_widget_get_height (row));
          g_assert_cmpint (gtk_widget_get_height (label), ==, needed);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >, 3);
  return height;
}

/* A row bound to another message measures as tall as a new row showing
 * that message, not as the text it showed before. */
static void
test_rebound_row_fits_new_text (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *reused = natter_message_row_new ();
  GtkWidget *fresh = natter_message_row_new ();
  g_autoptr(NatterMessageItem) shorter = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "A short reply.");
  g_autoptr(NatterMessageItem) longer = NULL;
  GString *text = g_string_new (NULL);
  int short_height, reused_height, fresh_height;

  for (guint i = 0; i < 20; i++)
    g_string_append (text, "Words that wrap over many lines of the reply. ");
  longer = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, text->str);
  g_string_free (text, TRUE);

  gtk_box_append (GTK_BOX (box), reused);
  gtk_box_append (GTK_BOX (box), fresh);
  gtk_window_set_child (GTK_WINDOW (window), box);

  natter_message_row_set_item (NATTER_MESSAGE_ROW (reused), shorter);
  gtk_widget_measure (reused, GTK_ORIENTATION_VERTICAL, 500, &short_height, NULL, NULL, NULL);

  natter_message_row_set_item (NATTER_MESSAGE_ROW (reused), longer);
  natter_message_row_set_item (NATTER_MESSAGE_ROW (fresh), longer);
  gtk_widget_measure (reused, GTK_ORIENTATION_VERTICAL, 500, &reused_height, NULL, NULL, NULL);
  gtk_widget_measure (fresh, GTK_ORIENTATION_VERTICAL, 500, &fresh_height, NULL, NULL, NULL);
  g_assert_cmpint (fresh_height, >, short_height + 30);
  g_assert_cmpint (reused_height, ==, fresh_height);

  /* And back. */
  natter_message_row_set_item (NATTER_MESSAGE_ROW (reused), shorter);
  gtk_widget_measure (reused, GTK_ORIENTATION_VERTICAL, 500, &reused_height, NULL, NULL, NULL);
  g_assert_cmpint (reused_height, ==, short_height);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Rows remember the height of their text between moves from one list
 * item to another: the remembered height follows a new width and a new
 * font size, and never leaves the text too little room. */
static void
test_row_heights_follow_width_and_font (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = natter_chat_view_new ();
  NatterMessageModel *model = natter_chat_view_get_model (NATTER_CHAT_VIEW (view));
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  int wide, narrow, big;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  natter_message_model_set_source (model, 1500, load_long, NULL, NULL);
  natter_chat_view_scroll_to_item (NATTER_CHAT_VIEW (view), 0);
  iterate (300);
  wide = assert_labels_fit (view, 2);
  g_assert_cmpint (wide, >, 0);

  /* Away and back: rows moved between list items keep fitting. */
  for (guint i = 0; i <= 1200; i += 60)
    {
      natter_chat_view_scroll_to_item (NATTER_CHAT_VIEW (view), i);
      iterate (30);
      assert_labels_fit (view, i);
    }
  natter_chat_view_scroll_to_item (NATTER_CHAT_VIEW (view), 0);
  iterate (200);
  g_assert_cmpint (assert_labels_fit (view, 2), ==, wide);

  /* Narrower: the long messages take more lines. */
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 600);
  iterate (200);
  natter_chat_view_scroll_to_item (NATTER_CHAT_VIEW (view), 0);
  iterate (200);
  narrow = assert_labels_fit (view, 2);
  g_assert_cmpint (narrow, >, wide + 10);

  /* A bigger font for messages (the text size preference works so). */
  gtk_css_provider_load_from_data (css, "messagerow { font-size: 200%; }", -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  iterate (200);
  natter_chat_view_scroll_to_item (NATTER_CHAT_VIEW (view), 0);
  iterate (200);
  big = assert_labels_fit (view, 2);
  g_assert_cmpint (big, >, narrow + 30);

  gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css));
  iterate (200);
  natter_chat_view_scroll_to_item (NATTER_CHAT_VIEW (view), 0);
  iterate (200);
  g_assert_cmpint (assert_labels_fit (view, 2), ==, narrow);

  gtk_window_destroy (GTK_WINDOW (window));
}

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

static GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }
  return NULL;
}

static gboolean
at_bottom (GtkAdjustment *adj)
{
  return gtk_adjustment_get_value (adj) >= gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) - 4;
}

/* The view follows the newest message until the person scrolls up; the
 * list view moving the value by itself (it does when rows above change
 * height) does not stop it following. */
static void
test_follows_until_the_user_scrolls (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = natter_chat_view_new ();
  NatterMessageModel *model = natter_chat_view_get_model (NATTER_CHAT_VIEW (view));
  GtkScrolledWindow *scroller;
  GtkAdjustment *adj;
  GtkEventController *scroll;
  gboolean handled = FALSE;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 400);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  natter_message_model_set_source (model, 300, load_numbered, NULL, NULL);
  iterate (300);
  scroller = find_scroller (view);
  adj = gtk_scrolled_window_get_vadjustment (scroller);
  g_assert_true (natter_chat_view_get_following (NATTER_CHAT_VIEW (view)));
  g_assert_true (at_bottom (adj));

  /* Not the person: back to the bottom, still following. */
  gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) / 2);
  iterate (100);
  g_assert_true (natter_chat_view_get_following (NATTER_CHAT_VIEW (view)));
  g_assert_true (at_bottom (adj));

  /* A wheel turned up: stays where it is taken. */
  scroll = find_controller (GTK_WIDGET (scroller), GTK_TYPE_EVENT_CONTROLLER_SCROLL);
  g_assert_nonnull (scroll);
  g_signal_emit_by_name (scroll, "scroll", 0.0, -3.0, &handled);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) - 300);
  iterate (100);
  g_assert_false (natter_chat_view_get_following (NATTER_CHAT_VIEW (view)));
  g_assert_false (at_bottom (adj));
  {
    double value = gtk_adjustment_get_value (adj);

    /* A new message meanwhile does not pull the view down. */
    natter_message_model_append (model, natter_message_item_new (NATTER_MESSAGE_KIND_USER, "New"));
    iterate (100);
    g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (adj), value, 1);
  }

  /* Back at the bottom: following again. */
  natter_chat_view_scroll_to_bottom (NATTER_CHAT_VIEW (view));
  iterate (100);
  g_assert_true (natter_chat_view_get_following (NATTER_CHAT_VIEW (view)));
  g_assert_true (at_bottom (adj));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
collect_labels_with_class (GtkWidget  *widget,
                           const char *css_class,
                           GPtrArray  *labels)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class))
    g_ptr_array_add (labels, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_labels_with_class (child, css_class, labels);
}

/* A long code block or list is shown in pieces of 40 lines: growing it
 * changes only its last piece; the pieces together are the whole text,
 * and markup is never cut inside a tag. */
static void
test_long_blocks_in_pieces (void)
{
  GtkWidget *row = g_object_ref_sink (natter_message_row_new ());
  g_autoptr(NatterMessageItem) item = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, NULL);
  g_autoptr(GPtrArray) pieces = g_ptr_array_new ();
  g_autoptr(GString) code = g_string_new ("```c\n");
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *first_before = NULL;
  GtkWidget *first;

  for (guint i = 0; i < 100; i++)
    g_string_append_printf (code, "int line_%u = %u;\n", i, i);
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), item);
  {
    g_autofree char *closed = g_strconcat (code->str, "```\n", NULL);
    natter_message_item_set_text (item, closed);
  }

  collect_labels_with_class (row, "monospace", pieces);
  g_assert_cmpuint (pieces->len, ==, 3);
  for (guint i = 0; i < pieces->len; i++)
    {
      if (i > 0)
        g_string_append_c (joined, '\n');
      g_string_append (joined, gtk_label_get_text (pieces->pdata[i]));
    }
  g_assert_cmpstr (joined->str, ==, natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0));
  g_assert_true (g_str_has_prefix (joined->str, "int line_0 = 0;\nint line_1 = 1;"));
  g_assert_true (g_str_has_suffix (joined->str, "int line_99 = 99;"));

  /* One more line: the first pieces are untouched. */
  first = g_object_ref (pieces->pdata[0]);
  first_before = g_strdup (gtk_label_get_text (GTK_LABEL (first)));
  g_string_append (code, "int line_100 = 100;\n```\n");
  natter_message_item_set_text (item, code->str);
  g_ptr_array_set_size (pieces, 0);
  collect_labels_with_class (row, "monospace", pieces);
  g_assert_cmpuint (pieces->len, ==, 3);
  g_assert_true (pieces->pdata[0] == (gpointer) first);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (first)), ==, first_before);
  g_assert_true (g_str_has_suffix (gtk_label_get_text (pieces->pdata[2]), "int line_100 = 100;"));
  g_object_unref (first);

  /* The copy button copies the whole code, not a piece. */
  {
    GtkWidget *copy = NULL;
    g_autofree char *copied = NULL;
    GdkClipboard *clipboard = gtk_widget_get_clipboard (row);
    gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    for (GtkWidget *w = row; w != NULL && copy == NULL; )
      {
        if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_widget_get_tooltip_text (w), "Copy Code") == 0)
          copy = w;
        else if (gtk_widget_get_first_child (w) != NULL)
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w != row && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            w = w == row ? NULL : gtk_widget_get_next_sibling (w);
          }
      }
    g_assert_nonnull (copy);
    g_signal_emit_by_name (copy, "clicked");
    gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, &copied);
    while (copied == NULL && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpstr (copied, ==, natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0));
    g_assert_true (g_str_has_suffix (copied, "int line_100 = 100;"));
    g_assert_true (g_str_has_prefix (copied, "int line_0 = 0;"));
  }

  /* One line of 20,000 characters (minified JSON): cut into pieces that
   * together are the line. */
  {
    g_autoptr(GString) json = g_string_new ("```json\n[");
    g_autoptr(GString) whole = g_string_new (NULL);

    for (guint i = 0; i < 2000 && json->len < 20000; i++)
      g_string_append_printf (json, "{\"k\":%u,\"v\":\"é\"},", i);
    g_string_append (json, "0]\n```\n");
    natter_message_item_set_text (item, json->str);
    g_ptr_array_set_size (pieces, 0);
    collect_labels_with_class (row, "monospace", pieces);
    g_assert_cmpuint (pieces->len, >=, 4);
    for (guint i = 0; i < pieces->len; i++)
      {
        g_assert_true (g_utf8_validate (gtk_label_get_text (pieces->pdata[i]), -1, NULL));
        g_assert_cmpuint (strlen (gtk_label_get_text (pieces->pdata[i])), <=, 4096 + 4);
        g_string_append (whole, gtk_label_get_text (pieces->pdata[i]));
      }
    g_assert_cmpstr (whole->str, ==, natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0));
  }

  /* A list of 90 items with emphasis: three pieces of whole markup. */
  for (guint i = 0; i < 90; i++)
    g_string_append_printf (list, "- item **%u** with `code` and *emphasis*\n", i);
  natter_message_item_set_text (item, list->str);
  g_ptr_array_set_size (pieces, 0);
  collect_labels_with_class (row, "message-text", pieces);
  g_assert_cmpuint (pieces->len, ==, 3);
  for (guint i = 0; i < pieces->len; i++)
    {
      const char *markup = gtk_label_get_label (pieces->pdata[i]);
      g_auto(GStrv) lines = g_strsplit (markup, "\n", -1);

      g_assert_true (pango_parse_markup (markup, -1, 0, NULL, NULL, NULL, NULL));
      g_assert_cmpuint (g_strv_length (lines), <=, 40);
    }
  g_assert_nonnull (strstr (gtk_label_get_label (pieces->pdata[2]), "item <b>89</b>"));

  g_object_unref (row);
}

/* The header says who wrote the message: its stored name, "You" /
 * "Assistant" only without one, and follows a name set later. */
static void
test_speaker_names (void)
{
  GtkWidget *row = g_object_ref_sink (natter_message_row_new ());
  g_autoptr(NatterMessageItem) reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "Hello");
  g_autoptr(NatterMessageItem) mine = natter_message_item_new (NATTER_MESSAGE_KIND_USER, "Hi");
  g_autoptr(NatterMessageItem) note = natter_message_item_new (NATTER_MESSAGE_KIND_NOTE, "Switched");

  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), reply);
  g_assert_cmpstr (natter_message_row_get_speaker (NATTER_MESSAGE_ROW (row)), ==, "Assistant");
  natter_message_item_set_name (reply, "Seraphina");
  g_assert_cmpstr (natter_message_row_get_speaker (NATTER_MESSAGE_ROW (row)), ==, "Seraphina");

  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), mine);
  g_assert_cmpstr (natter_message_row_get_speaker (NATTER_MESSAGE_ROW (row)), ==, "You");
  natter_message_item_set_name (mine, "Alex");
  g_assert_cmpstr (natter_message_row_get_speaker (NATTER_MESSAGE_ROW (row)), ==, "Alex");
  /* An empty name is no name. */
  natter_message_item_set_name (mine, "");
  g_assert_null (natter_message_item_get_name (mine));
  g_assert_cmpstr (natter_message_row_get_speaker (NATTER_MESSAGE_ROW (row)), ==, "You");

  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), note);
  g_assert_cmpstr (natter_message_row_get_speaker (NATTER_MESSAGE_ROW (row)), ==, "Note");

  /* Rebound to the named reply: its name again. */
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), reply);
  g_assert_cmpstr (natter_message_row_get_speaker (NATTER_MESSAGE_ROW (row)), ==, "Seraphina");

  g_object_unref (row);
}

/* A row makes its action buttons only when hovered, focused or showing the
 * last message; they act on the row's message; the menu lists the same
 * actions. */
static void
test_lazy_actions (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *row = natter_message_row_new ();
  g_autoptr(NatterMessageItem) older = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "Older reply");
  g_autoptr(NatterMessageItem) last = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "Last reply");
  g_autoptr(NatterMessageItem) streaming = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "Stre");
  g_autofree char *copied = NULL;
  GtkWidget *button;
  GMenuModel *menu;
  gboolean has_regenerate = FALSE, has_delete = FALSE;

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *entry = gtk_entry_new ();

  /* The focus starts elsewhere, as in the window (the composer). */
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), row);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (entry);

  /* Bound to an older message, neither hovered nor focused: no buttons
   * made at all. */
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), older);
  iterate (50);
  g_assert_false (natter_message_row_get_has_action_buttons (NATTER_MESSAGE_ROW (row)));
  g_assert_null (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.copy"));

  /* Hovered: the buttons, without regenerate (not the last reply). */
  natter_message_row_set_hovered (NATTER_MESSAGE_ROW (row), TRUE);
  button = natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.copy");
  g_assert_nonnull (button);
  gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Copy");
  gtk_test_accessible_assert_property (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row),
                                                                             "message.delete"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Delete message");
  g_assert_nonnull (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.edit"));
  g_assert_nonnull (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.delete"));
  g_assert_nonnull (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.branch"));
  g_assert_null (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.regenerate"));

  /* The copy button copies this row's message. */
  g_signal_emit_by_name (button, "clicked");
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (row);
    GMainContext *context = g_main_context_default ();
    gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, &copied);
    while (copied == NULL && g_get_monotonic_time () < end)
      g_main_context_iteration (context, FALSE);
  }
  g_assert_cmpstr (copied, ==, "Older reply");

  /* Pointer gone: hidden again. */
  natter_message_row_set_hovered (NATTER_MESSAGE_ROW (row), FALSE);
  g_assert_null (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.copy"));

  /* Focus in the row: shown for keyboard users. */
  gtk_widget_grab_focus (row);
  iterate (20);
  g_assert_nonnull (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.copy"));

  /* The menu (Menu key, Shift+F10, right click) lists the actions. */
  g_assert_true (gtk_widget_activate_action (row, "message.menu", NULL));
  menu = natter_message_row_get_menu_model (NATTER_MESSAGE_ROW (row));
  g_assert_nonnull (menu);
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *action = NULL;

          g_assert_true (g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &action));
          has_regenerate |= g_str_equal (action, "message.regenerate");
          has_delete |= g_str_equal (action, "message.delete");
        }
    }
  g_assert_true (has_delete);
  g_assert_false (has_regenerate);

  /* The last reply always shows its buttons, with regenerate and the
   * swipe arrows; nothing while it still streams. */
  gtk_widget_grab_focus (entry);
  natter_message_item_set_is_last (last, TRUE);
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), last);
  iterate (20);
  g_assert_nonnull (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.regenerate"));
  g_assert_nonnull (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.swipe-next"));

  natter_message_item_set_is_last (streaming, TRUE);
  natter_message_item_set_streaming (streaming, TRUE);
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), streaming);
  g_assert_null (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.copy"));
  natter_message_item_set_streaming (streaming, FALSE);
  g_assert_nonnull (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.copy"));

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
  g_test_add_func ("/natter/chat-view/rebound-row-fits-new-text", test_rebound_row_fits_new_text);
  g_test_add_func ("/natter/chat-view/row-heights-follow-width-and-font", test_row_heights_follow_width_and_font);
  g_test_add_func ("/natter/chat-view/follows-until-the-user-scrolls", test_follows_until_the_user_scrolls);
  g_test_add_func ("/natter/chat-view/long-blocks-in-pieces", test_long_blocks_in_pieces);
  g_test_add_func ("/natter/chat-view/speaker-names", test_speaker_names);
  g_test_add_func ("/natter/chat-view/lazy-actions", test_lazy_actions);

  return g_test_run ();
}
