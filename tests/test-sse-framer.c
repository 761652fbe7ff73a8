/* test-sse-framer.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "natter-sse-framer.h"

/* Events are collected as "TYPE|DATA" strings, TYPE "-" for no event field. */
typedef struct
{
  GPtrArray *events;
  guint      stop_after;  /* 0: never stop */
} Collector;

static gboolean
collect (const char *event,
         const char *data,
         gsize       len,
         gpointer    user_data)
{
  Collector *c = user_data;

  g_assert_nonnull (data);
  g_assert_cmpint (data[len], ==, '\0');
  g_assert_cmpuint (strlen (data), ==, len);

  g_ptr_array_add (c->events, g_strdup_printf ("%s|%s", event ? event : "-", data));

  return c->stop_after == 0 || c->events->len < c->stop_after;
}

static void
collector_init (Collector *c)
{
  c->events = g_ptr_array_new_with_free_func (g_free);
  c->stop_after = 0;
}

static void
collector_clear (Collector *c)
{
  g_clear_pointer (&c->events, g_ptr_array_unref);
}

static void
assert_events (Collector          *c,
               const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (n, c->events->len); i++)
    g_assert_cmpstr (g_ptr_array_index (c->events, i), ==, expected[i]);
  g_assert_cmpuint (c->events->len, ==, n);
}

/* Feeds @input in one piece and checks the events and finish()'s answer. */
static void
check_whole (const char         *input,
             const char * const *expected,
             gboolean            expect_partial)
{
  Collector c;
  g_autoptr(NatterSseFramer) framer = NULL;

  collector_init (&c);
  framer = natter_sse_framer_new (collect, &c);
  g_assert_true (natter_sse_framer_feed (framer, input, strlen (input)));
  g_assert_cmpint (natter_sse_framer_finish (framer), ==, expect_partial);
  assert_events (&c, expected);
  collector_clear (&c);
}

/* Feeds @input split at every point into two pieces, then byte at a time;
 * every way must give the same events. */
static void
check_all_splits (const char         *input,
                  const char * const *expected)
{
  gsize len = strlen (input);

  for (gsize split = 0; split <= len; split++)
    {
      Collector c;
      g_autoptr(NatterSseFramer) framer = NULL;

      collector_init (&c);
      framer = natter_sse_framer_new (collect, &c);
      g_assert_true (natter_sse_framer_feed (framer, input, split));
      g_assert_true (natter_sse_framer_feed (framer, input + split, len - split));
      natter_sse_framer_finish (framer);
      assert_events (&c, expected);
      collector_clear (&c);
    }

  {
    Collector c;
    g_autoptr(NatterSseFramer) framer = NULL;

    collector_init (&c);
    framer = natter_sse_framer_new (collect, &c);
    for (gsize i = 0; i < len; i++)
      g_assert_true (natter_sse_framer_feed (framer, input + i, 1));
    natter_sse_framer_finish (framer);
    assert_events (&c, expected);
    collector_clear (&c);
  }
}

static void
test_basic (void)
{
  const char * const expected[] = { "-|hello", NULL };

  check_whole ("data: hello\n\n", expected, FALSE);
}

static void
test_space_after_colon (void)
{
  const char * const expected[] = { "-|x", "-| two", "-|", NULL };

  /* Only one leading space is removed; "data" alone is an empty value. */
  check_whole ("data:x\n\ndata:  two\n\ndata\n\n", expected, FALSE);
}

static void
test_event_field (void)
{
  const char * const expected[] = {
    "message_start|{\"type\":\"message_start\"}",
    "-|after",
    NULL
  };

  /* An event without data is not dispatched and its type does not leak into
   * the next event. */
  check_whole ("event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
               "event: lonely\n\n"
               "data: after\n\n",
               expected, FALSE);
}

static void
test_multiline_data (void)
{
  const char * const expected[] = { "-|a\nb\n\nc", NULL };

  check_whole ("data: a\ndata: b\ndata:\ndata: c\n\n", expected, FALSE);
}

static void
test_comments_and_pings (void)
{
  const char * const expected[] = { "-|one", "ping|{}", "-|two", NULL };

  check_whole (": OPENROUTER PROCESSING\n\n"
               ":\n"
               "data: one\n"
               ": a comment inside an event\n"
               "\n"
               ": keep-alive\n\n"
               "event: ping\ndata: {}\n\n"
               "data: two\n\n",
               expected, FALSE);
}

static void
test_other_fields (void)
{
  const char * const expected[] = { "-|z", "-|w", NULL };

  check_whole ("id: 5\nretry: 100\nfoo: bar\ndata: z\n\n"
               "retry: soon\nid\nDATA: ignored\ndata: w\n\n",
               expected, FALSE);
}

static void
test_line_ends (void)
{
  const char * const expected[] = { "-|a\nb", "x|c", "-|d", NULL };
  const char *lf = "data: a\ndata: b\n\nevent: x\ndata: c\n\ndata: d\n\n";
  const char *crlf = "data: a\r\ndata: b\r\n\r\nevent: x\r\ndata: c\r\n\r\ndata: d\r\n\r\n";
  const char *cr = "data: a\rdata: b\r\revent: x\rdata: c\r\rdata: d\r\r";
  const char *mixed = "data: a\r\ndata: b\n\revent: x\rdata: c\n\r\ndata: d\r\n\n";

  check_whole (lf, expected, FALSE);
  check_whole (crlf, expected, FALSE);
  check_whole (cr, expected, FALSE);
  check_whole (mixed, expected, FALSE);
  check_all_splits (crlf, expected);
  check_all_splits (cr, expected);
  check_all_splits (mixed, expected);
}

static void
test_crlf_split_across_feeds (void)
{
  const char * const expected[] = { "-|a\nb", NULL };
  Collector c;
  g_autoptr(NatterSseFramer) framer = NULL;

  /* CR ending one feed and LF starting the next are one line end, not a
   * line end followed by an empty line (which would dispatch "a" alone). */
  collector_init (&c);
  framer = natter_sse_framer_new (collect, &c);
  g_assert_true (natter_sse_framer_feed (framer, "data: a\r", 8));
  g_assert_true (natter_sse_framer_feed (framer, "", 0));
  g_assert_true (natter_sse_framer_feed (framer, "\ndata: b\r", 9));
  g_assert_true (natter_sse_framer_feed (framer, "\n\r", 2));
  g_assert_true (natter_sse_framer_feed (framer, "\n", 1));
  g_assert_false (natter_sse_framer_finish (framer));
  assert_events (&c, expected);
  collector_clear (&c);
}

static void
test_every_split (void)
{
  const char * const expected[] = {
    "-|{\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}",
    "-|{\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}",
    "content_block_delta|{\"delta\":{\"text\":\"!\"}}",
    "-|[DONE]",
    NULL
  };

  check_all_splits ("data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                    ": ping\n\n"
                    "data:{\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\r\n\r\n"
                    "event: content_block_delta\ndata: {\"delta\":{\"text\":\"!\"}}\n\n"
                    "data: [DONE]\n\n",
                    expected);
}

static void
test_split_utf8 (void)
{
  /* "héllo 😀 世界": multibyte sequences that byte-at-a-time delivery
   * cuts in the middle. */
  const char * const expected[] = { "-|h\xc3\xa9llo \xf0\x9f\x98\x80 \xe4\xb8\x96\xe7\x95\x8c", NULL };

  check_all_splits ("data: h\xc3\xa9llo \xf0\x9f\x98\x80 \xe4\xb8\x96\xe7\x95\x8c\n\n", expected);
}

static void
test_bom (void)
{
  const char * const expected[] = { "-|x", "-|\xef\xbb\xbfy", NULL };
  const char * const not_bom[] = { "-|1", NULL };

  /* Only the first BOM of the stream is skipped; a later one is data. */
  check_all_splits ("\xef\xbb\xbf" "data: x\n\ndata: \xef\xbb\xbfy\n\n", expected);
  /* A stream starting like a BOM but not being one keeps its bytes: the
   * resulting field name is unknown, so the line is ignored. */
  check_whole ("\xef\xbb" "data: 0\n\ndata: 1\n\n", not_bom, FALSE);
}

static void
test_missing_blank_line (void)
{
  const char * const expected[] = { "-|a", NULL };
  const char * const none[] = { NULL };

  check_whole ("data: a\n\ndata: b\n", expected, TRUE);
  check_whole ("data: a\n\ndata: b", expected, TRUE);
  check_whole ("data: a\n\n", expected, FALSE);
  check_whole ("", none, FALSE);
  check_whole (": only a comment\n", none, FALSE);
}

static void
test_stop (void)
{
  const char * const expected[] = { "-|1", "-|2", NULL };
  const char *input = "data: 1\n\ndata: 2\n\ndata: 3\n\n";
  Collector c;
  g_autoptr(NatterSseFramer) framer = NULL;

  collector_init (&c);
  c.stop_after = 2;
  framer = natter_sse_framer_new (collect, &c);
  g_assert_false (natter_sse_framer_feed (framer, input, strlen (input)));
  g_assert_false (natter_sse_framer_feed (framer, input, strlen (input)));
  assert_events (&c, expected);
  collector_clear (&c);
}

static void
test_large_event (void)
{
  g_autoptr(GString) input = g_string_new ("data: ");
  g_autoptr(GString) want = g_string_new ("-|");
  g_autoptr(NatterSseFramer) framer = NULL;
  Collector c;

  for (guint i = 0; i < 20000; i++)
    {
      g_string_append_printf (input, "%u,", i);
      g_string_append_printf (want, "%u,", i);
    }
  g_string_append (input, "\ndata: tail\n\n");
  g_string_append (want, "\ntail");

  collector_init (&c);
  framer = natter_sse_framer_new (collect, &c);
  for (gsize off = 0; off < input->len; off += 1000)
    g_assert_true (natter_sse_framer_feed (framer, input->str + off,
                                           MIN (1000, input->len - off)));
  g_assert_cmpuint (c.events->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (c.events, 0), ==, want->str);
  collector_clear (&c);
}

/* A server that never ends its line must not make the buffer grow without
 * limit: feeding stops once the line passes 8 MiB, the events before it
 * stay delivered. */
static void
test_oversized_line (void)
{
  g_autofree char *chunk = g_malloc (64 * 1024);
  g_autoptr(NatterSseFramer) framer = NULL;
  const char * const expected[] = { "-|first", NULL };
  guint fed = 0;
  Collector c;

  memset (chunk, 'x', 64 * 1024);
  collector_init (&c);
  framer = natter_sse_framer_new (collect, &c);

  g_assert_true (natter_sse_framer_feed (framer, "data: first\n\ndata: ", 19));
  for (fed = 0; fed < 2000; fed++)
    if (!natter_sse_framer_feed (framer, chunk, 64 * 1024))
      break;

  /* 128 chunks of 64 KiB are 8 MiB: the one after them is refused. */
  g_assert_cmpuint (fed, ==, 127);
  g_assert_true (natter_sse_framer_overflowed (framer));
  assert_events (&c, expected);
  /* Stopped for good. */
  g_assert_false (natter_sse_framer_feed (framer, "\n\n", 2));
  assert_events (&c, expected);

  /* finish() resets it for a new stream. */
  natter_sse_framer_finish (framer);
  g_assert_false (natter_sse_framer_overflowed (framer));
  g_assert_true (natter_sse_framer_feed (framer, "data: again\n\n", 13));
  g_assert_cmpstr (g_ptr_array_index (c.events, 1), ==, "-|again");
  collector_clear (&c);
}

/* The same for one whole line that arrives in a single feed, and for an
 * event made of many lines that never gets its blank line. */
static void
test_oversized_event (void)
{
  gsize big = NATTER_FRAMER_MAX_EVENT_SIZE + 10;
  g_autofree char *line = g_malloc (big + 2);
  g_autofree char *mib = g_malloc (1024 * 1024 + 7);
  g_autoptr(NatterSseFramer) framer = NULL;
  guint fed;
  Collector c;

  memcpy (line, "data: ", 6);
  memset (line + 6, 'y', big - 6);
  memcpy (line + big, "\n\n", 2);
  collector_init (&c);
  framer = natter_sse_framer_new (collect, &c);
  g_assert_false (natter_sse_framer_feed (framer, line, big + 2));
  g_assert_true (natter_sse_framer_overflowed (framer));
  g_assert_cmpuint (c.events->len, ==, 0);
  natter_sse_framer_finish (framer);

  memcpy (mib, "data: ", 6);
  memset (mib + 6, 'z', 1024 * 1024);
  mib[1024 * 1024 + 6] = '\n';
  for (fed = 0; fed < 20; fed++)
    if (!natter_sse_framer_feed (framer, mib, 1024 * 1024 + 7))
      break;
  g_assert_cmpuint (fed, ==, 7);
  g_assert_true (natter_sse_framer_overflowed (framer));
  g_assert_cmpuint (c.events->len, ==, 0);
  natter_sse_framer_finish (framer);

  /* Just under the limit still goes through. */
  memset (line + 6, 'w', NATTER_FRAMER_MAX_EVENT_SIZE - 100);
  memcpy (line + 6 + NATTER_FRAMER_MAX_EVENT_SIZE - 100, "\n\n", 2);
  g_assert_true (natter_sse_framer_feed (framer, line, NATTER_FRAMER_MAX_EVENT_SIZE - 92));
  g_assert_cmpuint (c.events->len, ==, 1);
  g_assert_cmpuint (strlen (g_ptr_array_index (c.events, 0)), ==,
                    2 + NATTER_FRAMER_MAX_EVENT_SIZE - 100);
  g_assert_false (natter_sse_framer_overflowed (framer));
  collector_clear (&c);
}

/* A deliberately simple reference parser, written straight from the
 * WHATWG text: whole input, byte by byte. The framer fed in random pieces
 * must agree with it on random streams. */
static GPtrArray *
reference_parse (const char *input,
                 gsize       len)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GString) data = g_string_new (NULL);
  g_autoptr(GString) type = g_string_new (NULL);
  gsize i = 0;

  if (len >= 3 && memcmp (input, "\xef\xbb\xbf", 3) == 0)
    i = 3;

  for (; i < len; i++)
    {
      char c = input[i];

      if (c != '\r' && c != '\n')
        {
          g_string_append_c (line, c);
          continue;
        }

      if (c == '\r' && i + 1 < len && input[i + 1] == '\n')
        i++;

      if (line->len == 0)
        {
          if (data->len > 0)
            {
              g_string_truncate (data, data->len - 1);
              g_ptr_array_add (events, g_strdup_printf ("%s|%s",
                                                        type->len ? type->str : "-",
                                                        data->str));
            }
          g_string_truncate (data, 0);
          g_string_truncate (type, 0);
        }
      else if (line->str[0] != ':')
        {
          const char *colon = strchr (line->str, ':');
          g_autofree char *name = colon ? g_strndup (line->str, colon - line->str)
                                        : g_strdup (line->str);
          const char *value = colon ? colon + 1 : "";

          if (*value == ' ')
            value++;
          if (g_str_equal (name, "data"))
            {
              g_string_append (data, value);
              g_string_append_c (data, '\n');
            }
          else if (g_str_equal (name, "event"))
            g_string_assign (type, value);
        }

      g_string_truncate (line, 0);
    }

  return events;
}

static void
test_random_streams (void)
{
  static const char * const pieces[] = {
    "data:", "data: ", "data", "event:", "event: ", "id: 7", "retry: 5", ":", ": c",
    "x", "yz", " ", "\r", "\n", "\r\n", "\n\n", "\xc3\xa9", "\xf0\x9f\x98\x80",
    "{\"a\":1}", "\xef\xbb\xbf", "DATA:", "data:\r\n\r\n",
  };

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(GString) input = g_string_new (NULL);
      g_autoptr(GPtrArray) expected = NULL;
      g_autoptr(NatterSseFramer) framer = NULL;
      guint n_pieces = g_test_rand_int_range (0, 40);
      Collector c;
      gsize off = 0;

      if (g_test_rand_bit ())
        g_string_append (input, "\xef\xbb\xbf");
      for (guint i = 0; i < n_pieces; i++)
        g_string_append (input, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);

      expected = reference_parse (input->str, input->len);

      collector_init (&c);
      framer = natter_sse_framer_new (collect, &c);
      while (off < input->len)
        {
          gsize want = g_test_rand_int_range (0, 8);
          gsize piece = MIN (want, input->len - off);

          g_assert_true (natter_sse_framer_feed (framer, input->str + off, piece));
          off += piece;
        }
      natter_sse_framer_finish (framer);

      if (c.events->len != expected->len)
        g_test_message ("input: %s", g_strescape (input->str, NULL));
      g_assert_cmpuint (c.events->len, ==, expected->len);
      for (guint i = 0; i < expected->len; i++)
        g_assert_cmpstr (g_ptr_array_index (c.events, i), ==, g_ptr_array_index (expected, i));
      collector_clear (&c);
    }
}

static gboolean
count_event (const char *event,
             const char *data,
             gsize       len,
             gpointer    user_data)
{
  guint *n = user_data;

  (*n)++;

  return TRUE;
}

/* Prints a figure, asserts only that every event arrived. */
static void
test_throughput (void)
{
  const char *event =
    "data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
    "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[{\"index\":0,"
    "\"delta\":{\"content\":\"hello\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
  const guint n_events = 200000;
  const gsize read_size = 16384;
  g_autoptr(GString) input = g_string_new (NULL);
  g_autoptr(NatterSseFramer) framer = NULL;
  guint n = 0;
  gint64 start, elapsed;

  for (guint i = 0; i < n_events; i++)
    g_string_append (input, event);

  framer = natter_sse_framer_new (count_event, &n);
  start = g_get_monotonic_time ();
  for (gsize off = 0; off < input->len; off += read_size)
    natter_sse_framer_feed (framer, input->str + off, MIN (read_size, input->len - off));
  elapsed = g_get_monotonic_time () - start;

  g_assert_cmpuint (n, ==, n_events);
  g_test_message ("%u events of %zu bytes in %.1f ms: %.0f ns per event",
                  n_events, strlen (event), elapsed / 1000.0,
                  elapsed * 1000.0 / n_events);
}

/* A stream that ends with "data: [DONE]" and no closing blank line: the
 * caller can have that one event (and only an event with exactly that
 * data) delivered at the end. */
static void
test_flush_bare_done (void)
{
  static const struct {
    const char *stream;
    gboolean    flushed;
    gboolean    partial_after;
  } cases[] = {
    { "data: {\"a\":1}\n\ndata: [DONE]\n", TRUE, FALSE },
    { "data: {\"a\":1}\n\ndata: [DONE]", TRUE, FALSE },
    { "data: {\"a\":1}\n\ndata: [DONE]\r", TRUE, FALSE },
    { "data: {\"a\":1}\n\ndata: [DON", FALSE, TRUE },
    { "data: {\"a\":1}\n\ndata: {\"b\":", FALSE, TRUE },
    { "data: {\"a\":1}\n\n", FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Collector c;
      g_autoptr(NatterSseFramer) framer = NULL;

      collector_init (&c);
      framer = natter_sse_framer_new (collect, &c);
      g_assert_true (natter_sse_framer_feed (framer, cases[i].stream, strlen (cases[i].stream)));
      g_assert_cmpint (natter_sse_framer_flush_if_data (framer, "[DONE]"), ==, cases[i].flushed);
      g_assert_cmpuint (c.events->len, ==, cases[i].flushed ? 2 : 1);
      if (cases[i].flushed)
        g_assert_cmpstr (g_ptr_array_index (c.events, 1), ==, "-|[DONE]");
      g_assert_cmpint (natter_sse_framer_finish (framer), ==, cases[i].partial_after);
      collector_clear (&c);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/sse-framer/basic", test_basic);
  g_test_add_func ("/natter/sse-framer/space-after-colon", test_space_after_colon);
  g_test_add_func ("/natter/sse-framer/event-field", test_event_field);
  g_test_add_func ("/natter/sse-framer/multiline-data", test_multiline_data);
  g_test_add_func ("/natter/sse-framer/comments-and-pings", test_comments_and_pings);
  g_test_add_func ("/natter/sse-framer/other-fields", test_other_fields);
  g_test_add_func ("/natter/sse-framer/line-ends", test_line_ends);
  g_test_add_func ("/natter/sse-framer/crlf-split-across-feeds", test_crlf_split_across_feeds);
  g_test_add_func ("/natter/sse-framer/every-split", test_every_split);
  g_test_add_func ("/natter/sse-framer/split-utf8", test_split_utf8);
  g_test_add_func ("/natter/sse-framer/bom", test_bom);
  g_test_add_func ("/natter/sse-framer/missing-blank-line", test_missing_blank_line);
  g_test_add_func ("/natter/sse-framer/stop", test_stop);
  g_test_add_func ("/natter/sse-framer/large-event", test_large_event);
  g_test_add_func ("/natter/sse-framer/oversized-line", test_oversized_line);
  g_test_add_func ("/natter/sse-framer/oversized-event", test_oversized_event);
  g_test_add_func ("/natter/sse-framer/random-streams", test_random_streams);
  g_test_add_func ("/natter/sse-framer/throughput", test_throughput);
  g_test_add_func ("/natter/sse-framer/flush-bare-done", test_flush_bare_done);

  return g_test_run ();
}
