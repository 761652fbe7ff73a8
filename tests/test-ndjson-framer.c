/* test-ndjson-framer.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "natter-ndjson-framer.h"

typedef struct
{
  GPtrArray *lines;
  guint      stop_after;
} Collector;

static gboolean
collect (const char *line,
         gsize       len,
         gpointer    user_data)
{
  Collector *c = user_data;

  g_assert_cmpint (line[len], ==, '\0');
  g_assert_cmpuint (strlen (line), ==, len);
  g_ptr_array_add (c->lines, g_strdup (line));

  return c->stop_after == 0 || c->lines->len < c->stop_after;
}

static void
assert_lines (Collector          *c,
              const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (n, c->lines->len); i++)
    g_assert_cmpstr (g_ptr_array_index (c->lines, i), ==, expected[i]);
  g_assert_cmpuint (c->lines->len, ==, n);
}

static void
check_all_splits (const char         *input,
                  const char * const *expected)
{
  gsize len = strlen (input);

  for (gsize split = 0; split <= len; split++)
    {
      Collector c = { g_ptr_array_new_with_free_func (g_free), 0 };
      g_autoptr(NatterNdjsonFramer) framer = natter_ndjson_framer_new (collect, &c);

      g_assert_true (natter_ndjson_framer_feed (framer, input, split));
      g_assert_true (natter_ndjson_framer_feed (framer, input + split, len - split));
      g_assert_true (natter_ndjson_framer_finish (framer));
      assert_lines (&c, expected);
      g_ptr_array_unref (c.lines);
    }

  {
    Collector c = { g_ptr_array_new_with_free_func (g_free), 0 };
    g_autoptr(NatterNdjsonFramer) framer = natter_ndjson_framer_new (collect, &c);

    for (gsize i = 0; i < len; i++)
      g_assert_true (natter_ndjson_framer_feed (framer, input + i, 1));
    g_assert_true (natter_ndjson_framer_finish (framer));
    assert_lines (&c, expected);
    g_ptr_array_unref (c.lines);
  }
}

static void
test_lines (void)
{
  const char * const expected[] = {
    "{\"message\":{\"content\":\"H\xc3\xa9\"},\"done\":false}",
    "{\"message\":{\"content\":\"\xf0\x9f\x98\x80\"},\"done\":false}",
    "{\"done\":true,\"eval_count\":2}",
    NULL
  };

  check_all_splits ("{\"message\":{\"content\":\"H\xc3\xa9\"},\"done\":false}\n"
                    "{\"message\":{\"content\":\"\xf0\x9f\x98\x80\"},\"done\":false}\n"
                    "{\"done\":true,\"eval_count\":2}\n",
                    expected);
}

static void
test_crlf_and_blank_lines (void)
{
  const char * const expected[] = { "{\"a\":1}", "{\"b\":2}", "{\"c\":3}", NULL };

  check_all_splits ("\r\n{\"a\":1}\r\n\n   \n{\"b\":2}\n\t\r\n{\"c\":3}\r\n\n", expected);
}

static void
test_last_line_without_newline (void)
{
  const char * const expected[] = { "{\"a\":1}", "{\"done\":true}", NULL };

  check_all_splits ("{\"a\":1}\n{\"done\":true}", expected);
}

static void
test_bom (void)
{
  const char * const expected[] = { "{\"a\":1}", NULL };

  check_all_splits ("\xef\xbb\xbf{\"a\":1}\n", expected);
}

static void
test_stop (void)
{
  const char * const expected[] = { "1", NULL };
  Collector c = { g_ptr_array_new_with_free_func (g_free), 1 };
  g_autoptr(NatterNdjsonFramer) framer = natter_ndjson_framer_new (collect, &c);

  g_assert_false (natter_ndjson_framer_feed (framer, "1\n2\n3", 5));
  g_assert_false (natter_ndjson_framer_feed (framer, "\n4\n", 3));
  assert_lines (&c, expected);
  g_ptr_array_unref (c.lines);
}

/* A line without end stops at 8 MiB instead of growing without limit. */
static void
test_oversized_line (void)
{
  g_autofree char *chunk = g_malloc (64 * 1024);
  Collector c = { g_ptr_array_new_with_free_func (g_free), 0 };
  g_autoptr(NatterNdjsonFramer) framer = natter_ndjson_framer_new (collect, &c);
  const char * const expected[] = { "{\"a\":1}", NULL };
  guint fed;

  memset (chunk, 'x', 64 * 1024);
  g_assert_true (natter_ndjson_framer_feed (framer, "{\"a\":1}\n", 8));
  for (fed = 0; fed < 2000; fed++)
    if (!natter_ndjson_framer_feed (framer, chunk, 64 * 1024))
      break;
  g_assert_cmpuint (fed, ==, 128);
  g_assert_true (natter_ndjson_framer_overflowed (framer));
  g_assert_false (natter_ndjson_framer_feed (framer, "\n", 1));
  assert_lines (&c, expected);
  g_ptr_array_unref (c.lines);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/ndjson-framer/lines", test_lines);
  g_test_add_func ("/natter/ndjson-framer/crlf-and-blank-lines", test_crlf_and_blank_lines);
  g_test_add_func ("/natter/ndjson-framer/last-line-without-newline", test_last_line_without_newline);
  g_test_add_func ("/natter/ndjson-framer/bom", test_bom);
  g_test_add_func ("/natter/ndjson-framer/stop", test_stop);
  g_test_add_func ("/natter/ndjson-framer/oversized-line", test_oversized_line);

  return g_test_run ();
}
