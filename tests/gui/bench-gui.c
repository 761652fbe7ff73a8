/* bench-gui.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* GUI benchmarks, run by build-aux/bench-gui.sh under Xvfb. Prints
 * figures, never passes or fails on them.
 *
 *   bench-gui stream [TOKENS] [RATE]   stream into the chat view
 *   bench-gui scroll [MESSAGES [STEP [FRAMES]]]
 *                                      scroll a long chat: 600 frames at 60 and
 *                                      at 300 px/frame, then top to bottom at 1,500;
 *                                      or only at STEP px/frame (FRAMES frames, 0: all)
 *   bench-gui open                     open chats of 30, 1,000 and 10,000 stored messages:
 *                                      time to the frame that paints the last message
 *   bench-gui rss [MESSAGES]           RSS with a long stored chat open
 */

#define _GNU_SOURCE

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "natter-application.h"
#include "natter-markdown.h"
#include "natter-message-row.h"
#include "natter-window-private.h"

static NatterApplication *app;

/* Frame times: from the frame clock's "update" to its "after-paint". */
typedef struct
{
  gint64  frame_start;
  gint64  worst;
  guint64 total;
  guint   n;
  guint   worst_index;
  guint   over_16ms;
} Frames;

static void
on_update (GdkFrameClock *clock,
           Frames        *frames)
{
  frames->frame_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock,
                Frames        *frames)
{
  gint64 spent;

  if (frames->frame_start == 0)
    return;
  spent = g_get_monotonic_time () - frames->frame_start;
  if (spent > frames->worst)
    frames->worst_index = frames->n;
  frames->worst = MAX (frames->worst, spent);
  frames->over_16ms += spent > 16000;
  frames->total += spent;
  frames->n++;
  frames->frame_start = 0;
}

static void
frames_reset (Frames *frames)
{
  memset (frames, 0, sizeof *frames);
}

static gint64
thread_cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line ? strtol (line + 6, NULL, 10) : -1;
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
run_for (guint ms,
         gboolean (*done) (gpointer),
         gpointer data)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint timer = g_timeout_add (5, wake_up, NULL);

  while (g_get_monotonic_time () < end && (done == NULL || !done (data)))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);
}

static NatterWindow *
open_window (Frames *frames)
{
  NatterWindow *window = natter_window_new (app);
  GdkFrameClock *clock;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  /* The chat page, also without any profile. */
  natter_window_open_chat (window, 0);
  run_for (500, NULL, NULL);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "update", G_CALLBACK (on_update), frames);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), frames);
  return window;
}

/* ---- streaming ---------------------------------------------------------- */

typedef struct
{
  NatterMessageItem *item;
  guint              sent;
  guint              total;
  guint              rate;
  gint64             start;
  GRand             *rand;
  const char       **vocab;
  guint              n_vocab;
} Feed;

static const char *words[] = {
  "the ", "model ", "streams ", "**tokens** ", "into ", "a ", "`view` ", "that ", "renders ",
  "Markdown ", "and ", "keeps ", "up.", "\n\n", "- item ", "\n", "with ", "*emphasis* ",
};

/* One list from the first token to the last: never a blank line. */
static const char *list_words[] = {
  "\n- ", "the ", "model ", "lists ", "**many** ", "things ", "in ", "`one` ", "list ", "that ",
  "keeps ", "growing.", "\n  - ", "nested ", "*item* ",
};

/* One fenced code block from the first token to the last, as a model
 * writing a long file does. */
static const char *code_words[] = {
  "int ", "count ", "= ", "0;", "\n", "  for ", "(i = 0; ", "i < n; ", "i++)", "\n    ",
  "total += ", "values[i];", "\n", "return ", "total;", "\n", "/* sum */", "\n\n",
};

static gboolean
feed_tokens (gpointer data)
{
  Feed *feed = data;
  guint due = MIN (feed->total, (g_get_monotonic_time () - feed->start) * feed->rate / G_USEC_PER_SEC + 1);

  for (; feed->sent < due; feed->sent++)
    {
      const char *word = feed->vocab[g_rand_int_range (feed->rand, 0, feed->n_vocab)];
      natter_message_item_append (feed->item, FALSE, word, -1);
    }
  return feed->sent < feed->total ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

typedef struct
{
  guint  from_token;
  gint64 cpu;
  gint64 wall;
  guint  renders;
  Frames frames;
} Window;

static void
window_print (Window            *w,
              guint              to_token,
              NatterMessageItem *item)
{
  gint64 cpu = thread_cpu_us () - w->cpu;

  g_print ("  tokens %u-%u (reply now %zu bytes): main-thread CPU %.1f µs/token, frames %u, "
           "worst frame %.2f ms, mean frame %.2f ms, markdown block renders %u, wall %.2f s\n",
           w->from_token, to_token, natter_message_item_get_text_length (item),
           (double) cpu / MAX (1, to_token - w->from_token),
           w->frames.n, w->frames.worst / 1000.0,
           w->frames.n ? w->frames.total / 1000.0 / w->frames.n : 0.0,
           natter_markdown_get_render_count () - w->renders,
           (g_get_monotonic_time () - w->wall) / (double) G_USEC_PER_SEC);
}

static void
window_start (Window *w,
              guint   from_token,
              Frames *frames)
{
  w->from_token = from_token;
  w->cpu = thread_cpu_us ();
  w->wall = g_get_monotonic_time ();
  w->renders = natter_markdown_get_render_count ();
  frames_reset (frames);
}

static void
bench_stream (guint       tokens,
              guint       rate,
              const char *kind)
{
  gboolean code = g_strcmp0 (kind, "code") == 0;
  gboolean list = g_strcmp0 (kind, "list") == 0;
  Frames frames = { 0 };
  NatterWindow *window = open_window (&frames);
  NatterChatView *view = natter_window_get_chat_view (window);
  g_autoptr(NatterMessageItem) item = natter_message_item_new (NATTER_MESSAGE_KIND_ASSISTANT, NULL);
  guint span = MIN (2000, tokens);
  guint late_start = tokens > 2 * span ? tokens - span : tokens;
  Feed feed = { 0 };
  Window w = { 0 };
  guint timer;
  int phase = 0;

  natter_message_model_append (natter_chat_view_get_model (view), item);
  natter_chat_view_begin_stream (view, item);
  run_for (200, NULL, NULL);

  feed.item = item;
  feed.vocab = code ? code_words : list ? list_words : words;
  feed.n_vocab = code ? G_N_ELEMENTS (code_words) : list ? G_N_ELEMENTS (list_words) : G_N_ELEMENTS (words);
  if (code)
    natter_message_item_append (item, FALSE, "```c\n", -1);
  if (list)
    natter_message_item_append (item, FALSE, "- first", -1);
  feed.total = tokens;
  feed.rate = rate;
  feed.rand = g_rand_new_with_seed (42);
  feed.start = g_get_monotonic_time ();
  g_timeout_add (1, feed_tokens, &feed);
  timer = g_timeout_add (5, wake_up, NULL);

  g_print ("Streaming %u tokens at %u tokens/s into the chat view%s (1000x720, GSK_RENDERER=%s)\n",
           tokens, rate, code ? ", all in one code block" : list ? ", all in one list" : "",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
  window_start (&w, 0, &frames);
  while (feed.sent < tokens)
    {
      g_main_context_iteration (NULL, TRUE);
      if (phase == 0 && feed.sent >= span)
        {
          w.frames = frames;
          window_print (&w, feed.sent, item);
          phase = 1;
        }
      else if (phase == 1 && feed.sent >= late_start && late_start < tokens)
        {
          window_start (&w, feed.sent, &frames);
          phase = 2;
        }
    }
  run_for (50, NULL, NULL);
  if (phase == 2)
    {
      w.frames = frames;
      window_print (&w, feed.sent, item);
    }
  g_source_remove (timer);
  g_print ("  stream flushes (frames with new text): %u\n", natter_chat_view_get_n_flushes (view));

  natter_chat_view_end_stream (view);
  g_rand_free (feed.rand);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- scrolling ---------------------------------------------------------- */

static void
load_synthetic (gpointer   user_data,
                guint      position,
                guint      n_items,
                GPtrArray *out)
{
  for (guint i = 0; i < n_items; i++)
    {
      guint k = position + i;
      g_autofree char *text =
        k % 7 == 3
        ? g_strdup_printf ("Message %u with a list:\n\n- one *item*\n- two `items`\n\n```c\nint x = %u;\n```", k, k)
        : g_strdup_printf ("Message %u: some **Markdown** text that wraps over a line or two "
                           "when the window is narrow enough to make it wrap at all.", k);

      g_ptr_array_add (out, natter_message_item_new (k % 2 ? NATTER_MESSAGE_KIND_ASSISTANT
                                                           : NATTER_MESSAGE_KIND_USER, text));
    }
}

static GtkScrolledWindow *
find_scroller (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget) && GTK_IS_LIST_VIEW (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (widget))))
    return GTK_SCROLLED_WINDOW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scroller (child);
      if (found)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkAdjustment *adj;
  double         step;
  guint          frames_left;
  gboolean       done;
} Scroll;

static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  Scroll *scroll = data;
  double value = gtk_adjustment_get_value (scroll->adj) + scroll->step;
  double bottom = gtk_adjustment_get_upper (scroll->adj) - gtk_adjustment_get_page_size (scroll->adj);

  gtk_adjustment_set_value (scroll->adj, MIN (value, bottom));
  if (value >= bottom || (scroll->frames_left > 0 && --scroll->frames_left == 0))
    {
      scroll->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
scroll_done (gpointer data)
{
  return ((Scroll *) data)->done;
}

/* One sweep down from the top at @step px per frame: to the bottom when
 * @max_frames is 0, else for at most @max_frames frames (slow speeds would
 * take minutes to cross 10,000 messages; what a person feels shows in the
 * first few hundred frames already). */
static void
scroll_sweep (NatterChatView     *view,
              NatterMessageModel *model,
              Frames             *frames,
              guint               n_messages,
              double              step,
              guint               max_frames)
{
  Scroll scroll = { 0 };
  gint64 start;
  double from;
  guint reuses;

  scroll.adj = gtk_scrolled_window_get_vadjustment (find_scroller (GTK_WIDGET (view)));
  /* As a person scrolling up would: the view stops following the end. */
  natter_chat_view_scroll_to_item (view, 0);
  gtk_adjustment_set_value (scroll.adj, 0);
  run_for (300, NULL, NULL);
  scroll.step = step;
  scroll.frames_left = max_frames;
  from = gtk_adjustment_get_value (scroll.adj);

  frames_reset (frames);
  reuses = natter_chat_view_get_n_row_reuses (view);
  start = g_get_monotonic_time ();
  gtk_widget_add_tick_callback (GTK_WIDGET (view), scroll_tick, &scroll, NULL);
  run_for (90000, scroll_done, &scroll);
  if (!scroll.done)
    g_print ("(stopped after 90 s at %.0f of %.0f px)\n", gtk_adjustment_get_value (scroll.adj),
             gtk_adjustment_get_upper (scroll.adj));
  run_for (50, NULL, NULL);
  g_print ("Scrolling %u messages at %4.0f px/frame (%s, %.0f px): frames %u, mean frame %.2f ms, "
           "worst frame %.2f ms (frame #%u), frames over 16 ms %u, %.1f s, "
           "items in memory at the end %u, rows taken back %u, RSS %.1f MiB\n",
           n_messages, step, max_frames ? "from the top" : "top to bottom",
           gtk_adjustment_get_value (scroll.adj) - from,
           frames->n, frames->n ? frames->total / 1000.0 / frames->n : 0.0,
           frames->worst / 1000.0, frames->worst_index, frames->over_16ms,
           (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
           natter_message_model_get_n_loaded (model), natter_chat_view_get_n_row_reuses (view) - reuses,
           rss_kib () / 1024.0);
}

static void
bench_scroll (guint  n_messages,
              double step,
              guint  max_frames)
{
  Frames frames = { 0 };
  NatterWindow *window = open_window (&frames);
  NatterChatView *view = natter_window_get_chat_view (window);
  NatterMessageModel *model = natter_chat_view_get_model (view);

  natter_message_model_set_source (model, n_messages, load_synthetic, NULL, NULL);
  run_for (300, NULL, NULL);

  if (step > 0)
    scroll_sweep (view, model, &frames, n_messages, step, max_frames);
  else
    {
      /* A kinetic flick, a fast drag, and dragging the scrollbar down. */
      scroll_sweep (view, model, &frames, n_messages, 60, 600);
      scroll_sweep (view, model, &frames, n_messages, 300, 600);
      scroll_sweep (view, model, &frames, n_messages, 1500, 0);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- opening a chat ------------------------------------------------------ */

static gint64
store_chat (NatterChatStore *chats,
            guint            n_messages)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = g_strdup_printf ("%u messages", n_messages);
  gint64 chat_id = natter_chat_store_new_chat (chats, 0, title, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n_messages; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message %u of %u: some **Markdown** text, a sentence or two "
                                               "long, like a chat has.", i, n_messages);
      natter_chat_store_append_message (chats, chat_id, i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                        NULL, text, &error);
      g_assert_no_error (error);
    }
  return chat_id;
}

typedef struct
{
  NatterChatView *view;
  const char     *last_prefix;
  guint           frames;
  gint64          painted;      /* when the last message was first painted, 0 before */
  guint           frames_to_last;
  gint64          painted_cpu;  /* main-thread CPU time then */
} Opening;

static gboolean
shows_row (GtkWidget  *widget,
           GtkWidget  *scroller,
           const char *prefix)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (NATTER_IS_MESSAGE_ROW (child))
        {
          NatterMessageItem *item = natter_message_row_get_item (NATTER_MESSAGE_ROW (child));
          graphene_rect_t bounds;

          if (item != NULL && gtk_widget_get_mapped (child) &&
              g_str_has_prefix (natter_message_item_get_text (item), prefix) &&
              gtk_widget_compute_bounds (child, scroller, &bounds) &&
              bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < gtk_widget_get_height (scroller))
            return TRUE;
        }
      else if (shows_row (child, scroller, prefix))
        return TRUE;
    }
  return FALSE;
}

static void
on_opening_painted (GdkFrameClock *clock,
                    Opening       *opening)
{
  GtkWidget *scroller = GTK_WIDGET (find_scroller (GTK_WIDGET (opening->view)));

  opening->frames++;
  if (opening->painted == 0 && shows_row (scroller, scroller, opening->last_prefix))
    {
      opening->painted = g_get_monotonic_time ();
      opening->painted_cpu = thread_cpu_us ();
      opening->frames_to_last = opening->frames;
    }
}

static gboolean
opening_done (gpointer data)
{
  return ((Opening *) data)->painted != 0;
}

/* From opening a chat (what a click on it in the sidebar does) to the
 * frame that paints its last message, switching between chats of 30,
 * 1,000 and 10,000 stored messages. */
static void
bench_open (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (app);
  const guint sizes[] = { 30, 1000, 10000 };
  gint64 ids[G_N_ELEMENTS (sizes)];
  Frames frames = { 0 };
  NatterWindow *window;
  NatterChatView *view;
  GdkFrameClock *clock;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    ids[i] = store_chat (chats, sizes[i]);

  window = open_window (&frames);
  view = natter_window_get_chat_view (window);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_print ("Opening a chat until its last message is painted (1000x720, GSK_RENDERER=%s):\n",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");

  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      {
        g_autofree char *prefix = g_strdup_printf ("Message %u of %u:", sizes[i] - 1, sizes[i]);
        Opening opening = { view, prefix, 0, 0, 0, 0 };
        gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_opening_painted), &opening);
        gint64 start = g_get_monotonic_time ();
        gint64 start_cpu = thread_cpu_us ();
        gint64 returned, returned_cpu;

        natter_window_open_chat (window, ids[i]);
        returned = g_get_monotonic_time ();
        returned_cpu = thread_cpu_us ();
        run_for (5000, opening_done, &opening);
        g_signal_handler_disconnect (clock, handler);
        if (opening.painted == 0)
          g_print ("  %5u messages: last message not painted within 5 s\n", sizes[i]);
        else
          g_print ("  %5u messages: %6.1f ms (opening the chat %5.1f ms, then to the painted frame %5.1f ms); "
                   "main-thread CPU %5.1f ms (%4.1f + %4.1f); last message in frame %u\n", sizes[i],
                   (opening.painted - start) / 1000.0, (returned - start) / 1000.0,
                   (opening.painted - returned) / 1000.0,
                   (opening.painted_cpu - start_cpu) / 1000.0, (returned_cpu - start_cpu) / 1000.0,
                   (opening.painted_cpu - returned_cpu) / 1000.0, opening.frames_to_last);
        run_for (300, NULL, NULL);
      }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- memory --------------------------------------------------------------- */

static void
bench_rss (guint n_messages)
{
  NatterChatStore *chats = natter_application_get_chat_store (app);
  Frames frames = { 0 };
  g_autoptr(GError) error = NULL;
  NatterWindow *window;
  long before, after;
  gint64 chat_id;

  chat_id = natter_chat_store_new_chat (chats, 0, "Long chat", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_messages; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message %u: some **Markdown** text, a sentence or two "
                                               "long, like a chat has.", i);
      natter_chat_store_append_message (chats, chat_id, i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                        NULL, text, &error);
      g_assert_no_error (error);
    }

  before = rss_kib ();
  window = open_window (&frames);
  natter_window_open_chat (window, chat_id);
  run_for (1000, NULL, NULL);
  after = rss_kib ();
  g_print ("RSS with a %u-message chat open: %.1f MiB (%.1f MiB before the window)\n",
           n_messages, after / 1024.0, before / 1024.0);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = argc > 1 ? argv[1] : "stream";

  app = natter_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, NULL))
    return 1;

  if (g_str_equal (mode, "stream") || g_str_equal (mode, "stream-code") || g_str_equal (mode, "stream-list"))
    bench_stream (argc > 2 ? atoi (argv[2]) : 20000, argc > 3 ? atoi (argv[3]) : 2000,
                  g_str_has_prefix (mode, "stream-") ? mode + strlen ("stream-") : NULL);
  else if (g_str_equal (mode, "scroll"))
    bench_scroll (argc > 2 ? atoi (argv[2]) : 10000, argc > 3 ? g_ascii_strtod (argv[3], NULL) : 0,
                  argc > 4 ? atoi (argv[4]) : 0);
  else if (g_str_equal (mode, "open"))
    bench_open ();
  else if (g_str_equal (mode, "rss"))
    bench_rss (argc > 2 ? atoi (argv[2]) : 10000);
  else
    {
      g_printerr ("Usage: bench-gui stream|stream-code|stream-list|scroll|open|rss [N]  (scroll [N [STEP [FRAMES]]])\n");
      return 2;
    }

  g_object_unref (app);
  return 0;
}
