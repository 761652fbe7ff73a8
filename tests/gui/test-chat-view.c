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

#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>

#include "natter-chat-view.h"
#include "natter-markdown.h"
#include "natter-message-row-private.h"
#include "natter-table-block-private.h"
#include "natter-block-bin-private.h"

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

/* Iterates until @condition holds, @ms at most (generous: a loaded
 * machine lays out slowly); whether it holds. */
static gboolean
wait_for (gboolean (*condition) (gpointer),
          gpointer   data,
          guint      ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (!condition (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return condition (data);
}

static gboolean row_fully_visible (GtkWidget *view,
                                   GtkWidget *row);
static GtkWidget *row_for_message (GtkWidget *view,
                                   guint      k);

/* What a wait for message @k's row asks. */
typedef struct
{
  GtkWidget  *view;
  guint       k;
  gboolean    whole;      /* wholly inside the view, not just mapped */
  const char *css_class;  /* and marked so, when not NULL */
} RowWait;

static gboolean
row_shown (gpointer data)
{
  RowWait *w = data;
  GtkWidget *row = row_for_message (w->view, w->k);

  if (row == NULL || (w->whole && !row_fully_visible (w->view, row)))
    return FALSE;
  return w->css_class == NULL || gtk_widget_has_css_class (row, w->css_class);
}

/* Waits until message @k has a mapped row (@whole: wholly in view). */
static gboolean
wait_for_row (GtkWidget *view,
              guint      k,
              gboolean   whole)
{
  RowWait w = { view, k, whole, NULL };

  return wait_for (row_shown, &w, 10000);
}

static gboolean
has_rows (gpointer view)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (view, rows);
  return rows->len > 0;
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
  g_assert_true (wait_for (has_rows, view, 10000));

  for (guint i = 0; i < n; i += 97)
    {
      natter_chat_view_scroll_to_item (NATTER_CHAT_VIEW (view), i);
      iterate (20);
    }
  natter_chat_view_scroll_to_item (NATTER_CHAT_VIEW (view), 1234);
  g_assert_true (wait_for_row (view, 1234, FALSE));

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

static gboolean
adj_at_bottom (gpointer adj)
{
  return at_bottom (adj);
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
  g_assert_true (wait_for_row (view, 299, TRUE));
  scroller = find_scroller (view);
  adj = gtk_scrolled_window_get_vadjustment (scroller);
  g_assert_true (natter_chat_view_get_following (NATTER_CHAT_VIEW (view)));
  g_assert_true (at_bottom (adj));

  /* Not the person: back to the bottom, still following. */
  gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) / 2);
  g_assert_true (wait_for (adj_at_bottom, adj, 10000));
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
    /* A new message meanwhile does not pull the view down: the message
     * in the middle of the view stays where it is (the value itself
     * changes when rows above it are measured for the first time). */
    GtkWidget *middle = NULL;
    graphene_rect_t before, after;
    NatterMessageItem *item;

    for (guint k = 0; k < 300 && middle == NULL; k++)
      {
        GtkWidget *row = row_for_message (view, k);

        if (row != NULL && gtk_widget_compute_bounds (row, GTK_WIDGET (scroller), &before) &&
            before.origin.y > 100 && before.origin.y < 300)
          middle = row;
      }
    g_assert_nonnull (middle);
    item = natter_message_row_get_item (NATTER_MESSAGE_ROW (middle));
    natter_message_model_append (model, natter_message_item_new (NATTER_MESSAGE_KIND_USER, "New"));
    iterate (100);
    g_assert_false (natter_chat_view_get_following (NATTER_CHAT_VIEW (view)));
    middle = NULL;
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new ();

      collect_rows (view, rows);
      for (guint k = 0; k < rows->len; k++)
        if (natter_message_row_get_item (rows->pdata[k]) == item && gtk_widget_get_mapped (rows->pdata[k]))
          middle = rows->pdata[k];
    }
    g_assert_nonnull (middle);
    g_assert_true (gtk_widget_compute_bounds (middle, GTK_WIDGET (scroller), &after));
    g_assert_cmpfloat_with_epsilon (after.origin.y, before.origin.y, 1);
  }

  /* Back at the bottom: following again. */
  natter_chat_view_scroll_to_bottom (NATTER_CHAT_VIEW (view));
  g_assert_true (wait_for (adj_at_bottom, adj, 10000));
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

static void press_key (guint    keyval,
                       gboolean control);

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
  press_key (GDK_KEY_Menu, FALSE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (
    GTK_MENU_BUTTON (natter_message_row_get_menu_button (NATTER_MESSAGE_ROW (row)))))));
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
  /* Closed again (an open menu holds the pointer). */
  gtk_menu_button_popdown (GTK_MENU_BUTTON (natter_message_row_get_menu_button (NATTER_MESSAGE_ROW (row))));
  iterate (50);

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

/* Real input through the X server (XTest, as a person's mouse and keys
 * arrive): the tests run under Xvfb. libXtst is loaded at run time. */

typedef int (*XTestFakeButtonFunc) (Display *, unsigned int, Bool, unsigned long);
typedef int (*XTestFakeMotionFunc) (Display *, int, int, int, unsigned long);
typedef int (*XTestFakeKeyFunc) (Display *, unsigned int, Bool, unsigned long);

/* From libX11 too, which GTK has loaded already: the test does not link it. */
static struct
{
  XTestFakeButtonFunc button;
  XTestFakeMotionFunc motion;
  XTestFakeKeyFunc    key;
  int                 (*sync) (Display *, Bool);
  int                 (*flush) (Display *);
  KeyCode             (*keycode) (Display *, KeySym);
  Bool                (*translate) (Display *, Window, Window, int, int, int *, int *, Window *);
} xtest;

static Display *
xdisplay (void)
{
  if (xtest.button == NULL)
    {
      void *lib = dlopen ("libXtst.so.6", RTLD_NOW | RTLD_GLOBAL);

      g_assert_nonnull (lib);
      xtest.button = (XTestFakeButtonFunc) dlsym (lib, "XTestFakeButtonEvent");
      xtest.motion = (XTestFakeMotionFunc) dlsym (lib, "XTestFakeMotionEvent");
      xtest.key = (XTestFakeKeyFunc) dlsym (lib, "XTestFakeKeyEvent");
      g_assert_nonnull (xtest.button);
      g_assert_nonnull (xtest.motion);
      g_assert_nonnull (xtest.key);
      lib = dlopen ("libX11.so.6", RTLD_NOW | RTLD_GLOBAL);
      g_assert_nonnull (lib);
      xtest.sync = dlsym (lib, "XSync");
      xtest.flush = dlsym (lib, "XFlush");
      xtest.keycode = dlsym (lib, "XKeysymToKeycode");
      xtest.translate = dlsym (lib, "XTranslateCoordinates");
      g_assert_nonnull (xtest.sync);
      g_assert_nonnull (xtest.flush);
      g_assert_nonnull (xtest.keycode);
      g_assert_nonnull (xtest.translate);
    }
  g_assert_true (GDK_IS_X11_DISPLAY (gdk_display_get_default ()));
  return gdk_x11_display_get_xdisplay (gdk_display_get_default ());
}

/* Lets GTK take in what the X server sent. */
static void
xflush (guint ms)
{
  Display *dpy = xdisplay ();

  xtest.sync (dpy, False);
  iterate (ms);
}

/* The point (@x, @y) of @widget on the screen. */
static void
screen_point (GtkWidget *widget,
              double     x,
              double     y,
              int       *sx,
              int       *sy)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  double nx, ny, tx, ty;
  Window child;
  Display *dpy = xdisplay ();

  g_assert_true (gtk_widget_translate_coordinates (widget, GTK_WIDGET (native), x, y, &nx, &ny));
  gtk_native_get_surface_transform (native, &tx, &ty);
  xtest.translate (dpy, gdk_x11_surface_get_xid (surface),
                   DefaultRootWindow (dpy), (int) (nx + tx), (int) (ny + ty), sx, sy, &child);
}

static void
pointer_to (GtkWidget *widget,
            double     x,
            double     y)
{
  int sx, sy;
  Display *dpy = xdisplay ();

  screen_point (widget, x, y, &sx, &sy);
  xtest.motion (dpy, -1, sx, sy, CurrentTime);
  xflush (30);
}

/* A click of @button (1 left, 3 right) in the middle of @widget. */
static void
click (GtkWidget *widget,
       guint      button)
{
  Display *dpy = xdisplay ();

  g_assert_true (gtk_widget_get_mapped (widget));
  pointer_to (widget, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
  xtest.button (dpy, button, True, CurrentTime);
  xtest.button (dpy, button, False, CurrentTime);
  xflush (60);
}

/* Presses @keyval, with Control when @control. */
static void
press_key (guint    keyval,
           gboolean control)
{
  Display *dpy = xdisplay ();
  KeyCode code = xtest.keycode (dpy, keyval);
  KeyCode ctrl = xtest.keycode (dpy, GDK_KEY_Control_L);

  g_assert_cmpuint (code, !=, 0);
  if (control)
    xtest.key (dpy, ctrl, True, CurrentTime);
  xtest.key (dpy, code, True, CurrentTime);
  xtest.key (dpy, code, False, CurrentTime);
  if (control)
    xtest.key (dpy, ctrl, False, CurrentTime);
  xflush (60);
}

/* One notch of the wheel, up or down, where the pointer is. */
static void
wheel_notch (gboolean up)
{
  Display *dpy = xdisplay ();

  xtest.button (dpy, up ? 4 : 5, True, CurrentTime);
  xtest.button (dpy, up ? 4 : 5, False, CurrentTime);
  xtest.flush (dpy);
}

/* A stand-in for the chat session's action group: records what the
 * rows activate. */
typedef struct
{
  GSimpleActionGroup *group;
  GPtrArray          *log;   /* "name parameter" strings */
} ChatActions;

static void
on_chat_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  ChatActions *actions = user_data;
  g_autofree char *printed = parameter ? g_variant_print (parameter, FALSE) : g_strdup ("");

  g_ptr_array_add (actions->log, g_strdup_printf ("%s %s", g_action_get_name (G_ACTION (action)), printed));
}

static ChatActions *
chat_actions_new (GtkWidget *widget)
{
  ChatActions *actions = g_new0 (ChatActions, 1);
  static const char *by_id[] = {
    "regenerate", "continue", "swipe-next", "swipe-previous", "branch", "delete-message", "copy-message",
  };

  actions->group = g_simple_action_group_new ();
  actions->log = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (by_id); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (by_id[i], G_VARIANT_TYPE_INT64);

      g_signal_connect (action, "activate", G_CALLBACK (on_chat_action), actions);
      g_action_map_add_action (G_ACTION_MAP (actions->group), G_ACTION (action));
    }
  {
    g_autoptr(GSimpleAction) action = g_simple_action_new ("edit-message", G_VARIANT_TYPE ("(xsb)"));

    g_signal_connect (action, "activate", G_CALLBACK (on_chat_action), actions);
    g_action_map_add_action (G_ACTION_MAP (actions->group), G_ACTION (action));
  }
  gtk_widget_insert_action_group (widget, "chat", G_ACTION_GROUP (actions->group));
  return actions;
}

static void
chat_actions_free (ChatActions *actions)
{
  g_object_unref (actions->group);
  g_ptr_array_unref (actions->log);
  g_free (actions);
}

static const char *
last_logged (ChatActions *actions)
{
  return actions->log->len > 0 ? actions->log->pdata[actions->log->len - 1] : NULL;
}

/* A window with one row (and an entry that has the focus first). */
static GtkWidget *
row_window (GtkWidget **row_out,
            GtkWidget **entry_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *row = natter_message_row_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 640, 400);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), row);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  iterate (100);
  gtk_widget_grab_focus (entry);
  *row_out = row;
  if (entry_out != NULL)
    *entry_out = entry;
  return window;
}

/* The buttons of a message act on the chat session's actions with the
 * message's id; nothing else. */
static void
test_buttons_activate_chat_actions (void)
{
  GtkWidget *row;
  GtkWidget *window = row_window (&row, NULL);
  ChatActions *actions = chat_actions_new (window);
  g_autoptr(NatterMessageItem) reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "A reply");
  struct { const char *button, *logged; } cases[] = {
    { "message.regenerate", "regenerate 42" },
    { "message.swipe-next", "swipe-next 42" },
    { "message.swipe-previous", "swipe-previous 42" },
    { "message.branch", "branch 42" },
    { "message.delete", "delete-message 42" },
    { "message.copy", "copy-message 42" },
  };

  natter_message_item_set_id (reply, 42);
  natter_message_item_set_swipes (reply, 1, 2);
  natter_message_item_set_is_last (reply, TRUE);
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), reply);
  iterate (50);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkWidget *button = natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), cases[i].button);

      g_assert_nonnull (button);
      g_assert_true (gtk_widget_get_sensitive (button));
      click (button, 1);
      g_assert_cmpstr (last_logged (actions), ==, cases[i].logged);
    }
  g_assert_cmpuint (actions->log->len, ==, G_N_ELEMENTS (cases));

  gtk_window_destroy (GTK_WINDOW (window));
  chat_actions_free (actions);
}

static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_WIDGET (widget) && g_strcmp0 (G_OBJECT_TYPE_NAME (widget), "GtkModelButton") == 0)
    {
      g_autofree char *text = NULL;

      g_object_get (widget, "text", &text, NULL);
      if (g_strcmp0 (text, label) == 0)
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
open_popover (GtkWidget *row)
{
  GtkWidget *button = natter_message_row_get_menu_button (NATTER_MESSAGE_ROW (row));
  GtkPopover *popover;

  g_assert_nonnull (button);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  if (popover == NULL || !gtk_widget_get_mapped (GTK_WIDGET (popover)))
    return NULL;
  return GTK_WIDGET (popover);
}

static gboolean
popover_is_open (gpointer row)
{
  GtkWidget *popover = open_popover (row);

  if (popover == NULL)
    return FALSE;
  /* Shown where it will stay, before a click goes to it. */
  iterate (100);
  return open_popover (row) == popover;
}

static gboolean
popover_is_closed (gpointer row)
{
  return open_popover (row) == NULL;
}

/* Every item of the menu is a button named by its text. */
static void
assert_menu_items (GtkWidget   *popover,
                   const char **labels)
{
  for (guint i = 0; labels[i] != NULL; i++)
    {
      GtkWidget *item = find_button_with_label (popover, labels[i]);

      if (item == NULL)
        g_error ("no menu item \"%s\"", labels[i]);
      g_assert_true (gtk_widget_get_sensitive (item));
    }
}

/* "More actions" opens a menu of all the message's actions; right click
 * on the text and the Menu key open the same menu, not the text's
 * Cut/Copy/Paste. */
static void
test_more_actions_and_context_menu (void)
{
  GtkWidget *row;
  GtkWidget *window = row_window (&row, NULL);
  ChatActions *actions = chat_actions_new (window);
  g_autoptr(NatterMessageItem) reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT,
                                                                "A reply with words to click on.");
  const char *all[] = { "Copy", "Edit", "Continue", "Regenerate", "Previous Alternative",
                        "Next Alternative", "Branch From Here", "Delete Message", NULL };
  GtkWidget *more, *popover, *text;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  natter_message_item_set_id (reply, 7);
  natter_message_item_set_swipes (reply, 1, 3);
  natter_message_item_set_is_last (reply, TRUE);
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), reply);
  iterate (50);

  /* The button is there, named, and not greyed out. */
  more = natter_message_row_get_menu_button (NATTER_MESSAGE_ROW (row));
  g_assert_nonnull (more);
  gtk_test_accessible_assert_property (more, GTK_ACCESSIBLE_PROPERTY_LABEL, "More actions");
  g_assert_true (gtk_widget_get_sensitive (more));

  click (more, 1);
  g_assert_true (wait_for (popover_is_open, row, 2000));
  popover = open_popover (row);
  assert_menu_items (popover, all);
  click (find_button_with_label (popover, "Delete Message"), 1);
  g_assert_cmpstr (last_logged (actions), ==, "delete-message 7");
  g_assert_true (wait_for (popover_is_closed, row, 2000));

  /* Right click on the text itself (a selectable label). */
  collect_labels_with_class (row, "message-text", labels);
  g_assert_cmpuint (labels->len, >, 0);
  text = labels->pdata[0];
  click (text, 3);
  g_assert_true (wait_for (popover_is_open, row, 2000));
  popover = open_popover (row);
  assert_menu_items (popover, all);
  click (find_button_with_label (popover, "Branch From Here"), 1);
  g_assert_cmpstr (last_logged (actions), ==, "branch 7");
  g_assert_true (wait_for (popover_is_closed, row, 2000));

  /* The Menu key on the row (keyboard users). */
  gtk_widget_grab_focus (row);
  pointer_to (row, 5, 5);
  press_key (GDK_KEY_Menu, FALSE);
  g_assert_true (wait_for (popover_is_open, row, 2000));
  popover = open_popover (row);
  click (find_button_with_label (popover, "Continue"), 1);
  g_assert_cmpstr (last_logged (actions), ==, "continue 7");

  /* An older message of the person: no regenerate or swipes there. */
  {
    g_autoptr(NatterMessageItem) mine = natter_message_item_new (NATTER_MESSAGE_KIND_USER, "My words");
    const char *mine_items[] = { "Copy", "Edit", "Branch From Here", "Delete Message", NULL };

    g_assert_true (wait_for (popover_is_closed, row, 2000));
    natter_message_item_set_id (mine, 8);
    natter_message_row_set_item (NATTER_MESSAGE_ROW (row), mine);
    natter_message_row_set_hovered (NATTER_MESSAGE_ROW (row), TRUE);
    click (natter_message_row_get_menu_button (NATTER_MESSAGE_ROW (row)), 1);
    g_assert_true (wait_for (popover_is_open, row, 2000));
    popover = open_popover (row);
    assert_menu_items (popover, mine_items);
    g_assert_null (find_button_with_label (popover, "Regenerate"));
    click (find_button_with_label (popover, "Copy"), 1);
    g_assert_cmpstr (last_logged (actions), ==, "copy-message 8");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  chat_actions_free (actions);
}

static char *
editor_text (GtkWidget *row)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (natter_message_row_get_editor (NATTER_MESSAGE_ROW (row)));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static guint
count_toplevels (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      n += gtk_widget_get_visible (window);
    }
  return n;
}

/* Edit happens in the chat: a text view in place of the text, Save and
 * Cancel, Ctrl+Enter and Escape; "Save and Regenerate" for the person's
 * own message. */
static void
test_edit_in_place (void)
{
  GtkWidget *row;
  GtkWidget *window = row_window (&row, NULL);
  ChatActions *actions = chat_actions_new (window);
  g_autoptr(NatterMessageItem) mine = natter_message_item_new (NATTER_MESSAGE_KIND_USER, "Hello **there**");
  g_autoptr(NatterMessageItem) reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "A reply");
  GtkTextView *editor;
  guint windows;

  natter_message_item_set_id (mine, 3);
  natter_message_item_set_id (reply, 4);
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), mine);
  natter_message_row_set_hovered (NATTER_MESSAGE_ROW (row), TRUE);
  iterate (50);
  windows = count_toplevels ();

  /* Edit: the text in an editor inside the row, focused; no dialog. */
  click (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.edit"), 1);
  g_assert_true (natter_message_row_get_editing (NATTER_MESSAGE_ROW (row)));
  g_assert_cmpuint (count_toplevels (), ==, windows);
  editor = natter_message_row_get_editor (NATTER_MESSAGE_ROW (row));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (editor), row));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (editor)));
  gtk_test_accessible_assert_property (editor, GTK_ACCESSIBLE_PROPERTY_LABEL, "Message text");
  {
    g_autofree char *text = editor_text (row);
    g_assert_cmpstr (text, ==, "Hello **there**");
  }

  /* Typed at the end, then Ctrl+Enter: saved, without regenerating. */
  pointer_to (GTK_WIDGET (editor), 5, 5);
  press_key (GDK_KEY_End, TRUE);
  press_key (GDK_KEY_x, FALSE);
  press_key (GDK_KEY_Return, TRUE);
  g_assert_cmpstr (last_logged (actions), ==, "edit-message (3, 'Hello **there**x', false)");
  g_assert_false (natter_message_row_get_editing (NATTER_MESSAGE_ROW (row)));

  /* Escape cancels: nothing activated, the text shown again. */
  click (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.edit"), 1);
  editor = natter_message_row_get_editor (NATTER_MESSAGE_ROW (row));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor), "Thrown away", -1);
  press_key (GDK_KEY_Escape, FALSE);
  g_assert_false (natter_message_row_get_editing (NATTER_MESSAGE_ROW (row)));
  g_assert_cmpuint (actions->log->len, ==, 1);
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0), ==, "Hello <b>there</b>");

  /* Save and Regenerate (the person's message). */
  click (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.edit"), 1);
  editor = natter_message_row_get_editor (NATTER_MESSAGE_ROW (row));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor), "Ask again", -1);
  click (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.save-and-regenerate"), 1);
  g_assert_cmpstr (last_logged (actions), ==, "edit-message (3, 'Ask again', true)");

  /* The Save and Cancel buttons; a reply has no Save and Regenerate. */
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), reply);
  natter_message_row_set_hovered (NATTER_MESSAGE_ROW (row), TRUE);
  click (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.edit"), 1);
  g_assert_null (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.save-and-regenerate"));
  g_assert_nonnull (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.cancel-edit"));
  editor = natter_message_row_get_editor (NATTER_MESSAGE_ROW (row));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor), "Better reply", -1);
  click (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.save-edit"), 1);
  g_assert_cmpstr (last_logged (actions), ==, "edit-message (4, 'Better reply', false)");

  /* A draft survives the row moving to another message and back. */
  click (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.edit"), 1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (natter_message_row_get_editor (NATTER_MESSAGE_ROW (row))),
                            "Half written", -1);
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), mine);
  g_assert_false (natter_message_row_get_editing (NATTER_MESSAGE_ROW (row)));
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), reply);
  g_assert_true (natter_message_row_get_editing (NATTER_MESSAGE_ROW (row)));
  {
    g_autofree char *text = editor_text (row);
    g_assert_cmpstr (text, ==, "Half written");
  }

  gtk_window_destroy (GTK_WINDOW (window));
  chat_actions_free (actions);
}

/* A reply the person stopped is a reply, marked stopped: no error, no
 * Retry, with Continue and Regenerate. A failed one says why once. */
static void
test_stopped_reply_is_not_an_error (void)
{
  GtkWidget *row;
  GtkWidget *window = row_window (&row, NULL);
  ChatActions *actions = chat_actions_new (window);
  g_autoptr(NatterMessageItem) reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "Half a rep");
  const char *cause = "Could not reach the server at http://127.0.0.1:9: Connection refused";

  natter_message_item_set_id (reply, 11);
  natter_message_item_set_is_last (reply, TRUE);
  natter_message_item_set_error (reply, NATTER_ERROR_CATEGORY_CANCELLED, NULL);
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), reply);
  iterate (50);

  g_assert_cmpstr (natter_message_row_get_status (NATTER_MESSAGE_ROW (row)), ==, "Stopped");
  g_assert_false (natter_message_row_get_status_is_error (NATTER_MESSAGE_ROW (row)));
  g_assert_null (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.retry"));
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 0), ==, "Half a rep");
  click (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.continue"), 1);
  g_assert_cmpstr (last_logged (actions), ==, "continue 11");
  click (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.regenerate"), 1);
  g_assert_cmpstr (last_logged (actions), ==, "regenerate 11");

  /* A real failure: the cause once, Retry, no Continue. */
  natter_message_item_set_error (reply, NATTER_ERROR_CATEGORY_NETWORK, cause);
  g_assert_cmpstr (natter_message_row_get_status (NATTER_MESSAGE_ROW (row)), ==, cause);
  g_assert_true (natter_message_row_get_status_is_error (NATTER_MESSAGE_ROW (row)));
  g_assert_null (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.continue"));
  click (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.retry"), 1);
  g_assert_cmpstr (last_logged (actions), ==, "regenerate 11");

  /* A provider's own words get the category in front. */
  natter_message_item_set_error (reply, NATTER_ERROR_CATEGORY_RATE_LIMITED, "Slow down");
  g_assert_cmpstr (natter_message_row_get_status (NATTER_MESSAGE_ROW (row)), ==, "Rate limited by the provider: Slow down");

  natter_message_item_set_error (reply, NATTER_ERROR_CATEGORY_NONE, NULL);
  g_assert_null (natter_message_row_get_status (NATTER_MESSAGE_ROW (row)));

  gtk_window_destroy (GTK_WINDOW (window));
  chat_actions_free (actions);
}

/* A Markdown table is a grid of cells; copying the message gives the
 * Markdown. */
static void
test_table_as_grid (void)
{
  GtkWidget *row;
  GtkWidget *window = row_window (&row, NULL);
  const char *text = "Prices:\n\n| Fruit | Price |\n|:---|---:|\n| **Apple** | 1.20 |\n| Pear | 0.90 |\n\nThat is all.";
  g_autoptr(NatterMessageItem) reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, text);
  GtkWidget *grid_bin = NULL;
  GtkWidget *cell;
  g_autofree char *copied = NULL;

  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), reply);
  natter_message_row_set_hovered (NATTER_MESSAGE_ROW (row), TRUE);
  iterate (50);
  g_assert_cmpuint (natter_message_row_get_n_blocks (NATTER_MESSAGE_ROW (row)), ==, 3);

  /* Find the grid. */
  for (GtkWidget *w = row; w != NULL && grid_bin == NULL; )
    {
      if (GTK_IS_GRID (w))
        {
          grid_bin = w;
          while (!NATTER_IS_BLOCK_BIN (grid_bin))
            grid_bin = gtk_widget_get_parent (grid_bin);
        }
      else if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != row && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == row ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (grid_bin);
  cell = natter_table_block_get_cell (grid_bin, 0, 0);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cell)), ==, "Fruit");
  g_assert_true (gtk_widget_has_css_class (cell, "table-header"));
  cell = natter_table_block_get_cell (grid_bin, 1, 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (cell)), ==, "<b>Apple</b>");
  cell = natter_table_block_get_cell (grid_bin, 2, 1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cell)), ==, "0.90");
  g_assert_cmpfloat (gtk_label_get_xalign (GTK_LABEL (cell)), ==, 1.0);
  g_assert_null (natter_table_block_get_cell (grid_bin, 3, 0));
  /* Cells side by side, not text with pipes. */
  {
    graphene_rect_t a, b;

    g_assert_true (gtk_widget_compute_bounds (natter_table_block_get_cell (grid_bin, 1, 0), grid_bin, &a));
    g_assert_true (gtk_widget_compute_bounds (natter_table_block_get_cell (grid_bin, 1, 1), grid_bin, &b));
    g_assert_cmpfloat (b.origin.x, >, a.origin.x + a.size.width - 1);
    g_assert_cmpfloat (fabs (b.origin.y - a.origin.y), <, 1);
  }
  g_assert_cmpstr (natter_message_row_get_block_text (NATTER_MESSAGE_ROW (row), 2), ==, "That is all.");

  click (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.copy"), 1);
  {
    gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    gdk_clipboard_read_text_async (gtk_widget_get_clipboard (row), NULL, on_clipboard_text, &copied);
    while (copied == NULL && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpstr (copied, ==, text);

  /* A table growing row by row while it streams. */
  {
    g_autoptr(NatterMessageItem) growing = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, NULL);

    natter_message_row_set_item (NATTER_MESSAGE_ROW (row), growing);
    natter_message_item_append (growing, FALSE, "| a | b |\n|---|---|\n| 1 | 2 |\n", -1);
    natter_message_item_flush (growing);
    natter_message_item_append (growing, FALSE, "| 3 | 4 |\n", -1);
    natter_message_item_flush (growing);
    g_assert_cmpuint (natter_message_row_get_n_blocks (NATTER_MESSAGE_ROW (row)), ==, 1);
  }

  /* A table wider than a narrow window scrolls sideways: every column is
   * there, at full height, none cut. */
  {
    g_autoptr(GString) wide = g_string_new ("|");
    g_autoptr(NatterMessageItem) item = NULL;
    GtkWidget *grid = NULL, *scroller, *last_cell;
    GtkAdjustment *hadj;
    graphene_rect_t cell_bounds;

    for (guint c = 0; c < 14; c++)
      g_string_append_printf (wide, " Column%u |", c);
    g_string_append (wide, "\n|");
    for (guint c = 0; c < 14; c++)
      g_string_append (wide, "---|");
    g_string_append (wide, "\n|");
    for (guint c = 0; c < 14; c++)
      g_string_append_printf (wide, " value %u |", c);
    g_string_append (wide, "\n");
    item = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, wide->str);
    gtk_window_set_default_size (GTK_WINDOW (window), 360, 400);
    natter_message_row_set_item (NATTER_MESSAGE_ROW (row), item);
    iterate (200);
    for (GtkWidget *w = row; w != NULL && grid == NULL; )
      {
        if (GTK_IS_GRID (w))
          grid = w;
        else if (gtk_widget_get_first_child (w) != NULL)
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w != row && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            w = w == row ? NULL : gtk_widget_get_next_sibling (w);
          }
      }
    g_assert_nonnull (grid);
    scroller = gtk_widget_get_ancestor (grid, GTK_TYPE_SCROLLED_WINDOW);
    g_assert_nonnull (scroller);
    g_assert_cmpint (gtk_widget_get_width (row), <=, 360);
    hadj = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
    g_test_message ("table %d px wide in %d px", (int) gtk_adjustment_get_upper (hadj),
                    (int) gtk_adjustment_get_page_size (hadj));
    g_assert_cmpfloat (gtk_adjustment_get_upper (hadj), >, gtk_adjustment_get_page_size (hadj));
    last_cell = natter_table_block_get_cell (gtk_widget_get_ancestor (grid, NATTER_TYPE_BLOCK_BIN), 1, 13);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (last_cell)), ==, "value 13");
    /* Each cell as tall as its text: the block is not cut at the bottom. */
    g_assert_cmpint (gtk_widget_get_height (scroller), >=, gtk_widget_get_height (grid));
    /* Scrolled to the end, the last column is in sight. */
    gtk_adjustment_set_value (hadj, gtk_adjustment_get_upper (hadj));
    iterate (50);
    g_assert_true (gtk_widget_compute_bounds (last_cell, scroller, &cell_bounds));
    g_assert_cmpfloat (cell_bounds.origin.x, >=, 0);
    g_assert_cmpfloat (cell_bounds.origin.x + cell_bounds.size.width, <=, gtk_widget_get_width (scroller) + 1);
    g_assert_cmpint (gtk_widget_get_width (last_cell), >, 0);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
load_with_ids (gpointer   user_data,
               guint      position,
               guint      n_items,
               GPtrArray *out)
{
  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message **%u** with a line of text.", position + i);
      NatterMessageItem *item = natter_message_item_new (i % 2 ? NATTER_MESSAGE_KIND_ASSISTANT
                                                                : NATTER_MESSAGE_KIND_USER, text);

      natter_message_item_set_id (item, position + i + 1);
      g_ptr_array_add (out, item);
    }
}

/* The row showing the message whose text starts with "Message **@k**",
 * NULL when no mapped row does. */
static GtkWidget *
row_for_message (GtkWidget *view,
                 guint      k)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autofree char *prefix = g_strdup_printf ("Message **%u**", k);

  collect_rows (view, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      NatterMessageItem *item = natter_message_row_get_item (rows->pdata[i]);

      if (gtk_widget_get_mapped (rows->pdata[i]) && item != NULL &&
          g_str_has_prefix (natter_message_item_get_text (item), prefix))
        return rows->pdata[i];
    }
  return NULL;
}

/* Whether @row is wholly inside the view's scrolled window (the
 * composer sits right under it). */
static gboolean
row_fully_visible (GtkWidget *view,
                   GtkWidget *row)
{
  GtkWidget *scroller = GTK_WIDGET (find_scroller (view));
  graphene_rect_t bounds;

  if (row == NULL || !gtk_widget_compute_bounds (row, scroller, &bounds))
    return FALSE;
  return bounds.size.height > 1 && bounds.origin.y >= -1 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller) + 1;
}

typedef struct
{
  GtkWidget *view;
  guint      last;
  guint      frames;
  gboolean   first_frame_shows_last;
  gboolean   first_frame_shows_first;
} FirstFrame;

static void
on_first_paint (GdkFrameClock *clock,
                FirstFrame    *ff)
{
  if (ff->frames++ > 0)
    return;
  ff->first_frame_shows_last = row_fully_visible (ff->view, row_for_message (ff->view, ff->last));
  ff->first_frame_shows_first = row_for_message (ff->view, 0) != NULL &&
                                row_fully_visible (ff->view, row_for_message (ff->view, 0));
}

static gboolean
frames_painted (gpointer data)
{
  return ((FirstFrame *) data)->frames > 0;
}

/* How many of the newest 150 messages (ff->last of them) have no row
 * in the list. */
static guint
count_missing_rows (FirstFrame *ff)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GHashTable) shown = g_hash_table_new (NULL, NULL);
  guint missing = 0;

  collect_rows (ff->view, rows);
  for (guint k = 0; k < rows->len; k++)
    {
      NatterMessageItem *item = natter_message_row_get_item (rows->pdata[k]);

      if (item != NULL)
        g_hash_table_add (shown, GINT_TO_POINTER (natter_message_item_get_id (item)));
    }
  /* Ids are positions + 1. */
  for (guint k = MAX (ff->last, 150) - 150; k < ff->last; k++)
    missing += !g_hash_table_contains (shown, GINT_TO_POINTER (k + 1));
  return missing;
}

static gboolean
newest_rows_made (gpointer data)
{
  return count_missing_rows (data) == 0;
}

/* Opening a chat (and switching to another) shows its newest message in
 * the first frame painted, at 30, 1,000 and 10,000 messages. */
static void
test_opens_at_newest (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = natter_chat_view_new ();
  NatterMessageModel *model = natter_chat_view_get_model (NATTER_CHAT_VIEW (view));
  const guint sizes[] = { 30, 1000, 10000, 1000, 30 };
  GtkAdjustment *adj;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 500);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  iterate (100);
  adj = gtk_scrolled_window_get_vadjustment (find_scroller (view));

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (view);
      FirstFrame ff = { view, sizes[i] - 1, 0, FALSE, FALSE };
      gulong handler;

      /* What the window does when a chat is clicked. */
      handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_paint), &ff);
      natter_message_model_set_source (model, sizes[i], load_with_ids, NULL, NULL);
      natter_chat_view_scroll_to_bottom (NATTER_CHAT_VIEW (view));
      g_assert_true (wait_for (frames_painted, &ff, 2000));
      g_signal_handler_disconnect (clock, handler);

      if (!ff.first_frame_shows_last)
        g_printerr ("%u messages: the first frame does not show the last one\n", sizes[i]);
      g_assert_true (ff.first_frame_shows_last);
      g_assert_false (ff.first_frame_shows_first);

      /* And it stays there; the rows above are made after the first
       * frame, none left empty. */
      iterate (200);
      g_assert_true (row_fully_visible (view, row_for_message (view, sizes[i] - 1)));
      ff.last = sizes[i];
      if (!wait_for (newest_rows_made, &ff, 3000))
        g_printerr ("%u messages: %u of the newest 150 have no row\n", sizes[i], count_missing_rows (&ff));
      g_assert_true (newest_rows_made (&ff));
      g_assert_true (at_bottom (adj));
      g_assert_true (natter_chat_view_get_following (NATTER_CHAT_VIEW (view)));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
long_chat_window (guint        n,
                  GtkWidget  **view_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = natter_chat_view_new ();
  NatterMessageModel *model = natter_chat_view_get_model (NATTER_CHAT_VIEW (view));

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 500);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  natter_message_model_set_source (model, n, load_with_ids, NULL, NULL);
  natter_chat_view_scroll_to_bottom (NATTER_CHAT_VIEW (view));
  g_assert_true (wait_for_row (view, n - 1, TRUE));
  *view_out = view;
  return window;
}

/* Wheel notches 4-20 ms apart go where the person turns the wheel: up,
 * never back to the newest message. */
static void
test_fast_wheel_goes_up (void)
{
  GtkWidget *view;
  GtkWidget *window = long_chat_window (1000, &view);
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (find_scroller (view));
  double before, after;

  g_assert_true (at_bottom (adj));
  pointer_to (view, 300, 250);

  for (guint i = 0; i < 60; i++)
    {
      wheel_notch (TRUE);
      iterate (4 + (i * 7) % 17);
    }
  xflush (500);
  g_assert_false (natter_chat_view_get_following (NATTER_CHAT_VIEW (view)));
  g_assert_false (at_bottom (adj));
  g_assert_null (row_for_message (view, 999));
  before = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) - gtk_adjustment_get_value (adj);
  g_assert_cmpfloat (before, >, 1000);

  /* Near the top, a hundred fast notches up stay at the top. */
  natter_chat_view_scroll_to_item (NATTER_CHAT_VIEW (view), 3);
  g_assert_true (wait_for_row (view, 3, FALSE));
  for (guint i = 0; i < 100; i++)
    {
      wheel_notch (TRUE);
      iterate (4 + (i * 5) % 17);
    }
  xflush (500);
  after = gtk_adjustment_get_value (adj);
  g_assert_cmpfloat (after, <, 50);
  g_assert_nonnull (row_for_message (view, 0));
  g_assert_null (row_for_message (view, 999));
  g_assert_false (natter_chat_view_get_following (NATTER_CHAT_VIEW (view)));

  /* And down again to the end: following again. */
  for (guint i = 0; i < 40; i++)
    {
      wheel_notch (FALSE);
      iterate (5);
    }
  xflush (300);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), >, after + 500);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Following the newest message includes notes (slash command answers)
 * and a reply the person stopped: each is shown whole, nothing hidden
 * below the view. */
static void
test_follows_notes_and_stopped_replies (void)
{
  GtkWidget *view;
  GtkWidget *window = long_chat_window (300, &view);
  NatterMessageModel *model = natter_chat_view_get_model (NATTER_CHAT_VIEW (view));
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (find_scroller (view));
  g_autoptr(GString) note = g_string_new ("Message **300** note");
  g_autoptr(NatterMessageItem) reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "Message **301** ");

  for (guint i = 0; i < 12; i++)
    g_string_append_printf (note, "\nline %u of a slash command's answer", i);
  natter_message_model_append (model, natter_message_item_new (NATTER_MESSAGE_KIND_NOTE, note->str));
  g_assert_true (wait_for_row (view, 300, TRUE));
  g_assert_true (at_bottom (adj));

  /* A reply streams, the person stops it: the stopped mark grows the row. */
  natter_message_model_append (model, g_object_ref (reply));
  natter_chat_view_begin_stream (NATTER_CHAT_VIEW (view), reply);
  for (guint i = 0; i < 20; i++)
    {
      natter_message_item_append (reply, FALSE, "words of a reply that grows and wraps over lines. ", -1);
      iterate (17);
    }
  natter_chat_view_end_stream (NATTER_CHAT_VIEW (view));
  natter_message_item_set_is_last (reply, TRUE);
  natter_message_item_set_error (reply, NATTER_ERROR_CATEGORY_CANCELLED, NULL);
  g_assert_true (wait_for_row (view, 301, TRUE));
  g_assert_true (wait_for (adj_at_bottom, adj, 10000));
  g_assert_true (natter_chat_view_get_following (NATTER_CHAT_VIEW (view)));
  g_assert_true (at_bottom (adj));
  g_assert_true (row_fully_visible (view, row_for_message (view, 301)));
  g_assert_cmpstr (natter_message_row_get_status (NATTER_MESSAGE_ROW (row_for_message (view, 301))), ==, "Stopped");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A search hit: the view goes to the message and marks it. */
static void
test_scroll_to_message_highlights (void)
{
  GtkWidget *view;
  GtkWidget *window = long_chat_window (1000, &view);
  GtkWidget *row;

  g_assert_false (natter_chat_view_scroll_to_message (NATTER_CHAT_VIEW (view), 5000, TRUE));
  g_assert_true (natter_chat_view_scroll_to_message (NATTER_CHAT_VIEW (view), 401, TRUE));
  g_assert_true (wait_for (row_shown, &(RowWait) { view, 400, TRUE, "search-hit" }, 10000));
  row = row_for_message (view, 400);
  g_assert_nonnull (row);
  g_assert_true (row_fully_visible (view, row));
  g_assert_true (gtk_widget_has_css_class (row, "search-hit"));
  g_assert_cmpint (natter_message_item_get_id (natter_chat_view_get_highlighted (NATTER_CHAT_VIEW (view))), ==, 401);
  g_assert_false (natter_chat_view_get_following (NATTER_CHAT_VIEW (view)));
  /* Only that row. */
  g_assert_false (gtk_widget_has_css_class (row_for_message (view, 401), "search-hit"));

  /* With the position the store gives: found there, and a wrong one
   * still finds the message. */
  g_assert_true (natter_chat_view_scroll_to_message_at (NATTER_CHAT_VIEW (view), 899, 900, TRUE));
  g_assert_true (wait_for (row_shown, &(RowWait) { view, 899, TRUE, "search-hit" }, 10000));
  g_assert_true (row_fully_visible (view, row_for_message (view, 899)));
  g_assert_true (gtk_widget_has_css_class (row_for_message (view, 899), "search-hit"));
  g_assert_cmpint (natter_message_item_get_id (natter_chat_view_get_highlighted (NATTER_CHAT_VIEW (view))), ==, 900);
  g_assert_true (natter_chat_view_scroll_to_message_at (NATTER_CHAT_VIEW (view), 3, 951, FALSE));
  g_assert_true (wait_for_row (view, 950, TRUE));
  g_assert_true (row_fully_visible (view, row_for_message (view, 950)));
  g_assert_null (natter_chat_view_get_highlighted (NATTER_CHAT_VIEW (view)));

  gtk_window_destroy (GTK_WINDOW (window));
}


static void
remove_last (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       model)
{
  guint n = g_list_model_get_n_items (model);

  natter_message_model_remove (model, n - 1);
}

/* A row the view took back for a message shown again (after Undo, or
 * scrolling back) still has working buttons. */
static void
test_reused_row_buttons_work (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = natter_chat_view_new ();
  NatterMessageModel *model = natter_chat_view_get_model (NATTER_CHAT_VIEW (view));
  ChatActions *actions = chat_actions_new (view);
  g_autoptr(NatterMessageItem) reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "Message **1** reply");
  GAction *delete = g_action_map_lookup_action (G_ACTION_MAP (actions->group), "delete-message");

  g_signal_connect (delete, "activate", G_CALLBACK (remove_last), model);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 500);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  natter_message_model_append (model, natter_message_item_new (NATTER_MESSAGE_KIND_USER, "Message **0** question"));
  natter_message_item_set_id (reply, 9);
  natter_message_model_append (model, g_object_ref (reply));
  g_assert_true (wait_for_row (view, 1, TRUE));

  for (guint round = 0; round < 3; round++)
    {
      GtkWidget *row = row_for_message (view, 1);
      GtkWidget *button;

      g_assert_nonnull (row);
      natter_message_row_set_hovered (NATTER_MESSAGE_ROW (row), TRUE);
      iterate (20);
      button = natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.delete");
      g_assert_nonnull (button);
      g_assert_true (gtk_widget_is_sensitive (button));
      click (button, 1);
      g_assert_cmpuint (actions->log->len, ==, round + 1);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
      /* Undo. */
      natter_message_model_append (model, g_object_ref (reply));
      g_assert_true (wait_for_row (view, 1, TRUE));
    }
  g_assert_cmpuint (natter_chat_view_get_n_row_reuses (NATTER_CHAT_VIEW (view)), >, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  chat_actions_free (actions);
}


static gboolean
narrow_header_laid_out (gpointer row)
{
  GtkWidget *more = natter_message_row_get_menu_button (row);

  return gtk_widget_get_width (GTK_WIDGET (gtk_widget_get_root (row))) <= 360 &&
         more != NULL && gtk_widget_get_mapped (more);
}

static gboolean
copy_button_shown (gpointer row)
{
  GtkWidget *copy = natter_message_row_get_action_button (row, "message.copy");

  return copy != NULL && gtk_widget_get_mapped (copy);
}

/* In a window 360 px wide the header keeps the speaker's whole name and
 * the More actions button; buttons the menu has too are left out. */
static void
test_narrow_header (void)
{
  GtkWidget *row;
  GtkWidget *window = row_window (&row, NULL);
  g_autoptr(NatterMessageItem) reply = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, "A reply");
  GtkWidget *more, *copy;
  graphene_rect_t bounds;
  int natural;

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 400);
  natter_message_item_set_is_last (reply, TRUE);
  natter_message_item_set_swipes (reply, 1, 2);
  natter_message_item_set_error (reply, NATTER_ERROR_CATEGORY_CANCELLED, NULL);
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), reply);
  g_assert_true (wait_for (narrow_header_laid_out, row, 10000));
  g_assert_cmpint (gtk_widget_get_width (window), <=, 360);

  more = natter_message_row_get_menu_button (NATTER_MESSAGE_ROW (row));
  g_assert_nonnull (more);
  g_assert_true (gtk_widget_get_mapped (more));
  g_assert_true (gtk_widget_compute_bounds (more, row, &bounds));
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (row));
  g_assert_true (gtk_widget_get_mapped (natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.regenerate")));
  copy = natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.copy");
  g_assert_false (copy != NULL && gtk_widget_get_mapped (copy));

  /* "Assistant" whole. */
  {
    GtkWidget *label = NULL;

    for (GtkWidget *w = gtk_widget_get_first_child (row); w != NULL && label == NULL; )
      {
        if (GTK_IS_LABEL (w) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (w)), "Assistant") == 0)
          label = w;
        else if (gtk_widget_get_first_child (w) != NULL)
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w != row && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            w = w == row ? NULL : gtk_widget_get_next_sibling (w);
          }
      }
    g_assert_nonnull (label);
    gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_width (label), >=, natural);
  }

  /* Wide again: all the buttons. */
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 400);
  g_assert_true (wait_for (copy_button_shown, row, 10000));
  copy = natter_message_row_get_action_button (NATTER_MESSAGE_ROW (row), "message.copy");
  g_assert_nonnull (copy);
  g_assert_true (gtk_widget_get_mapped (copy));

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
  g_test_add_func ("/natter/chat-view/buttons-activate-chat-actions", test_buttons_activate_chat_actions);
  g_test_add_func ("/natter/chat-view/more-actions-and-context-menu", test_more_actions_and_context_menu);
  g_test_add_func ("/natter/chat-view/edit-in-place", test_edit_in_place);
  g_test_add_func ("/natter/chat-view/stopped-reply-is-not-an-error", test_stopped_reply_is_not_an_error);
  g_test_add_func ("/natter/chat-view/table-as-grid", test_table_as_grid);
  g_test_add_func ("/natter/chat-view/opens-at-newest", test_opens_at_newest);
  g_test_add_func ("/natter/chat-view/fast-wheel-goes-up", test_fast_wheel_goes_up);
  g_test_add_func ("/natter/chat-view/follows-notes-and-stopped-replies", test_follows_notes_and_stopped_replies);
  g_test_add_func ("/natter/chat-view/scroll-to-message-highlights", test_scroll_to_message_highlights);
  g_test_add_func ("/natter/chat-view/reused-row-buttons-work", test_reused_row_buttons_work);
  g_test_add_func ("/natter/chat-view/narrow-header", test_narrow_header);

  return g_test_run ();
}
