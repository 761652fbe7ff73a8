/* fuzz-event-stream.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for Bedrock's binary event stream framer. Besides "no
 * crash", it checks what callers rely on: the same bytes give the same
 * messages however the reads split them, a refused stream always says why,
 * and a message never claims more payload than it carries. Built and run
 * by run-fuzz-event-stream.sh. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "natter-event-stream-framer.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check (gboolean    condition,
       const char *what)
{
  if (!condition)
    {
      g_printerr ("fuzz-event-stream: invariant broken: %s\n", what);
      abort ();
    }
}

static gboolean
record (const NatterEventStreamMessage *message,
        gpointer                        user_data)
{
  GString *log = user_data;

  check (message->payload != NULL && strlen (message->payload) <= message->payload_len,
         "payload length");
  g_string_append_printf (log, "%s|%s|%s|%zu|", message->message_type ? message->message_type : "-",
                          message->event_type ? message->event_type : "-",
                          message->exception_type ? message->exception_type : "-",
                          message->payload_len);
  g_string_append_len (log, message->payload, message->payload_len);
  g_string_append_c (log, '\n');
  return TRUE;
}

/* Feeds @data in pieces of @step bytes; returns the messages and whether
 * the stream was accepted. */
static gboolean
run (const uint8_t *data,
     size_t         size,
     size_t         step,
     GString       *log)
{
  NatterEventStreamFramer *framer = natter_event_stream_framer_new (record, log);
  gboolean ok = TRUE;

  for (size_t at = 0; at < size && ok; at += step)
    {
      GError *error = NULL;

      ok = natter_event_stream_framer_feed (framer, (const char *) data + at,
                                            MIN (step, size - at), &error);
      check (ok || error != NULL, "a refused stream says why");
      check (error == NULL || (error->domain == NATTER_REQUEST_ERROR &&
                               error->code == NATTER_ERROR_CATEGORY_PROTOCOL),
             "a refused stream is a protocol error");
      g_clear_error (&error);
    }
  natter_event_stream_framer_finish (framer);
  natter_event_stream_framer_free (framer);
  return ok;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GString *whole = g_string_new (NULL);
  GString *split = g_string_new (NULL);
  size_t step = size > 0 ? (data[0] % 7) + 1 : 1;
  gboolean ok_whole = run (data, size, size > 0 ? size : 1, whole);
  gboolean ok_split = run (data, size, step, split);

  check (ok_whole == ok_split, "the same verdict however the reads split");
  check (g_str_equal (whole->str, split->str), "the same messages however the reads split");
  g_string_free (whole, TRUE);
  g_string_free (split, TRUE);
  return 0;
}
