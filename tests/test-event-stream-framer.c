/* test-event-stream-framer.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <zlib.h>

#include "natter-event-stream-framer.h"
#include "natter-test-cloud.h"

typedef struct
{
  GString *log;      /* "type|event|payload\n" per message */
  guint    n;
  guint    stop_after;
} Collected;

static gboolean
collect (const NatterEventStreamMessage *message,
         gpointer                        user_data)
{
  Collected *c = user_data;

  g_assert_cmpuint (strlen (message->payload), ==, message->payload_len);
  g_assert_cmpstr (message->content_type, ==, "application/json");
  g_string_append_printf (c->log, "%s|%s|%s\n", message->message_type,
                          message->event_type != NULL ? message->event_type
                                                      : message->exception_type,
                          message->payload);
  c->n++;
  return c->stop_after == 0 || c->n < c->stop_after;
}

/* A Converse stream: the messages and the log they must give. */
static GBytes *
sample_stream (const char **expected)
{
  static const char * const events[][3] = {
    { "event", "messageStart", "{\"role\":\"assistant\"}" },
    { "event", "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Héllo\"}}" },
    { "event", "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\" world\"}}" },
    { "event", "contentBlockStop", "{\"contentBlockIndex\":0}" },
    { "event", "messageStop", "{\"stopReason\":\"end_turn\"}" },
    { "event", "metadata", "{\"usage\":{\"inputTokens\":5,\"outputTokens\":2,\"totalTokens\":7}}" },
  };
  GByteArray *all = g_byte_array_new ();
  GString *log = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_autoptr(GBytes) message = natter_test_event_stream_message (events[i][0], events[i][1], events[i][2]);
      gsize len;
      const guint8 *data = g_bytes_get_data (message, &len);

      g_byte_array_append (all, data, len);
      g_string_append_printf (log, "%s|%s|%s\n", events[i][0], events[i][1], events[i][2]);
    }
  *expected = g_string_free (log, FALSE);
  return g_byte_array_free_to_bytes (all);
}

static void
test_whole (void)
{
  const char *expected;
  g_autoptr(GBytes) stream = sample_stream (&expected);
  Collected c = { g_string_new (NULL), 0, 0 };
  g_autoptr(NatterEventStreamFramer) framer = natter_event_stream_framer_new (collect, &c);
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (stream, &len);

  g_assert_true (natter_event_stream_framer_feed (framer, data, len, &error));
  g_assert_no_error (error);
  g_assert_false (natter_event_stream_framer_finish (framer));
  g_assert_cmpstr (c.log->str, ==, expected);
  g_assert_cmpuint (c.n, ==, 6);
  g_string_free (c.log, TRUE);
  g_free ((char *) expected);
}

/* Cut in two at every byte, and in three at every pair of bytes: the same
 * messages each time. */
static void
test_split_anywhere (void)
{
  const char *expected;
  g_autoptr(GBytes) stream = sample_stream (&expected);
  gsize len;
  const char *data = g_bytes_get_data (stream, &len);

  for (gsize i = 0; i <= len; i++)
    {
      Collected c = { g_string_new (NULL), 0, 0 };
      g_autoptr(NatterEventStreamFramer) framer = natter_event_stream_framer_new (collect, &c);

      g_assert_true (natter_event_stream_framer_feed (framer, data, i, NULL));
      g_assert_true (natter_event_stream_framer_feed (framer, data + i, len - i, NULL));
      g_assert_false (natter_event_stream_framer_finish (framer));
      g_assert_cmpstr (c.log->str, ==, expected);
      g_string_free (c.log, TRUE);
    }

  for (gsize i = 0; i <= len; i += 7)
    for (gsize j = i; j <= len; j++)
      {
        Collected c = { g_string_new (NULL), 0, 0 };
        g_autoptr(NatterEventStreamFramer) framer = natter_event_stream_framer_new (collect, &c);

        g_assert_true (natter_event_stream_framer_feed (framer, data, i, NULL));
        g_assert_true (natter_event_stream_framer_feed (framer, data + i, j - i, NULL));
        g_assert_true (natter_event_stream_framer_feed (framer, data + j, len - j, NULL));
        g_assert_cmpstr (c.log->str, ==, expected);
        g_string_free (c.log, TRUE);
      }

  /* One byte at a time. */
  {
    Collected c = { g_string_new (NULL), 0, 0 };
    g_autoptr(NatterEventStreamFramer) framer = natter_event_stream_framer_new (collect, &c);

    for (gsize i = 0; i < len; i++)
      g_assert_true (natter_event_stream_framer_feed (framer, data + i, 1, NULL));
    g_assert_cmpstr (c.log->str, ==, expected);
    g_string_free (c.log, TRUE);
  }
  g_free ((char *) expected);
}

static void
feed_damaged (gsize        at,
              const char  *expected_words)
{
  g_autoptr(GBytes) first = natter_test_event_stream_message ("event", "messageStart", "{}");
  g_autoptr(GBytes) second = natter_test_event_stream_message ("event", "contentBlockDelta",
                                                               "{\"delta\":{\"text\":\"x\"}}");
  g_autoptr(GByteArray) all = g_byte_array_new ();
  Collected c = { g_string_new (NULL), 0, 0 };
  g_autoptr(NatterEventStreamFramer) framer = natter_event_stream_framer_new (collect, &c);
  g_autoptr(GError) error = NULL;
  gsize first_len;

  const guint8 *first_data = g_bytes_get_data (first, &first_len);

  g_byte_array_append (all, first_data, first_len);
  g_byte_array_append (all, g_bytes_get_data (second, NULL), g_bytes_get_size (second));
  all->data[first_len + at] ^= 0x40;

  g_assert_false (natter_event_stream_framer_feed (framer, (const char *) all->data, all->len, &error));
  g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
  g_assert_nonnull (strstr (error->message, expected_words));
  /* The good message before the damage was delivered; nothing after. */
  g_assert_cmpuint (c.n, ==, 1);
  g_assert_false (natter_event_stream_framer_feed (framer, "x", 1, NULL));
  g_string_free (c.log, TRUE);
}

static void
test_bad_crc (void)
{
  /* A length byte: the prelude CRC catches it before the length is used. */
  feed_damaged (2, "prelude checksum");
  /* The prelude CRC itself. */
  feed_damaged (9, "prelude checksum");
  /* A header byte and a payload byte: the message CRC. */
  feed_damaged (14, "message checksum");
  {
    g_autoptr(GBytes) second = natter_test_event_stream_message ("event", "contentBlockDelta",
                                                                 "{\"delta\":{\"text\":\"x\"}}");

    feed_damaged (g_bytes_get_size (second) - 6, "message checksum");
  }
}

static void
test_impossible_length (void)
{
  /* A prelude with a valid CRC but a total below the 16-byte minimum, then
   * one claiming 2 GiB: refused at once, nothing allocated or awaited. */
  const guint32 totals[] = { 8, 0x80000000u };

  for (guint i = 0; i < G_N_ELEMENTS (totals); i++)
    {
      guint8 prelude[12] = { totals[i] >> 24, (totals[i] >> 16) & 0xff, (totals[i] >> 8) & 0xff,
                             totals[i] & 0xff, 0, 0, 0, 0 };
      Collected c = { g_string_new (NULL), 0, 0 };
      g_autoptr(NatterEventStreamFramer) framer = natter_event_stream_framer_new (collect, &c);
      g_autoptr(GError) error = NULL;
      guint32 crc;

      crc = crc32 (0, prelude, 8);
      prelude[8] = crc >> 24; prelude[9] = (crc >> 16) & 0xff;
      prelude[10] = (crc >> 8) & 0xff; prelude[11] = crc & 0xff;
      g_assert_false (natter_event_stream_framer_feed (framer, (const char *) prelude, 12, &error));
      g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
      g_assert_nonnull (strstr (error->message, "impossible length"));
      g_string_free (c.log, TRUE);
    }
}

static void
test_exception_and_stop (void)
{
  g_autoptr(GBytes) exception = natter_test_event_stream_message ("exception", "throttlingException",
                                                                  "{\"message\":\"Too many requests\"}");
  g_autoptr(GBytes) after = natter_test_event_stream_message ("event", "metadata", "{}");
  Collected c = { g_string_new (NULL), 0, 1 };
  g_autoptr(NatterEventStreamFramer) framer = natter_event_stream_framer_new (collect, &c);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) all = g_byte_array_new ();

  g_byte_array_append (all, g_bytes_get_data (exception, NULL), g_bytes_get_size (exception));
  g_byte_array_append (all, g_bytes_get_data (after, NULL), g_bytes_get_size (after));

  /* The callback stops after the first: FALSE without an error. */
  g_assert_false (natter_event_stream_framer_feed (framer, (const char *) all->data, all->len, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c.log->str, ==, "exception|throttlingException|{\"message\":\"Too many requests\"}\n");
  g_string_free (c.log, TRUE);
}

static void
test_cut_short (void)
{
  g_autoptr(GBytes) message = natter_test_event_stream_message ("event", "messageStart", "{}");
  Collected c = { g_string_new (NULL), 0, 0 };
  g_autoptr(NatterEventStreamFramer) framer = natter_event_stream_framer_new (collect, &c);

  g_assert_true (natter_event_stream_framer_feed (framer, g_bytes_get_data (message, NULL),
                                                  g_bytes_get_size (message) - 1, NULL));
  g_assert_cmpuint (c.n, ==, 0);
  g_assert_true (natter_event_stream_framer_finish (framer));
  g_string_free (c.log, TRUE);
}

/* Random bytes never crash, hang or read out of bounds. */
static void
test_garbage (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);

  for (guint round = 0; round < 2000; round++)
    {
      guint8 buf[64];
      Collected c = { g_string_new (NULL), 0, 0 };
      g_autoptr(NatterEventStreamFramer) framer = natter_event_stream_framer_new (collect, &c);
      gsize len = g_rand_int_range (rand, 0, sizeof buf);

      for (gsize i = 0; i < len; i++)
        buf[i] = g_rand_int (rand);
      natter_event_stream_framer_feed (framer, (const char *) buf, len, NULL);
      natter_event_stream_framer_finish (framer);
      g_string_free (c.log, TRUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/event-stream-framer/whole", test_whole);
  g_test_add_func ("/natter/event-stream-framer/split-anywhere", test_split_anywhere);
  g_test_add_func ("/natter/event-stream-framer/bad-crc", test_bad_crc);
  g_test_add_func ("/natter/event-stream-framer/impossible-length", test_impossible_length);
  g_test_add_func ("/natter/event-stream-framer/exception-and-stop", test_exception_and_stop);
  g_test_add_func ("/natter/event-stream-framer/cut-short", test_cut_short);
  g_test_add_func ("/natter/event-stream-framer/garbage", test_garbage);

  return g_test_run ();
}
