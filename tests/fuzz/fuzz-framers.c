/* fuzz-framers.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for the stream framers (SSE and NDJSON) and the UTF-8
 * repair at the delta boundary. The first byte picks the framer and how
 * the rest is cut into network reads; the promises checked: cutting the
 * same bytes differently yields the same events, no event exceeds the
 * cap, repaired text is valid UTF-8. Built and run by run-fuzz.sh. */

#include "config.h"

#include "fuzz-common.h"
#include "natter-ndjson-framer.h"
#include "natter-reply-guard.h"
#include "natter-sse-framer.h"

typedef struct
{
  GString *log;
  guint    n;
} Events;

static gboolean
on_sse (const char *event,
        const char *data,
        gsize       len,
        gpointer    user_data)
{
  Events *events = user_data;

  fuzz_check (len <= NATTER_FRAMER_MAX_EVENT_SIZE, "sse: event within the cap");
  g_string_append_printf (events->log, "%s|%zu|", event ? event : "-", len);
  g_string_append_len (events->log, data, len);
  g_string_append_c (events->log, '\n');
  return ++events->n < 100000;
}

static gboolean
on_line (const char *line,
         gsize       len,
         gpointer    user_data)
{
  Events *events = user_data;

  fuzz_check (len <= NATTER_FRAMER_MAX_EVENT_SIZE, "ndjson: line within the cap");
  g_string_append_printf (events->log, "%zu|", len);
  g_string_append_len (events->log, line, len);
  g_string_append_c (events->log, '\n');
  return ++events->n < 100000;
}

/* Feeds @data in pieces of @step bytes (0: all at once). */
static char *
frame (gboolean     sse,
       const char  *data,
       gsize        len,
       gsize        step,
       gboolean    *finished)
{
  Events events = { g_string_new (NULL), 0 };
  NatterSseFramer *s = sse ? natter_sse_framer_new (on_sse, &events) : NULL;
  NatterNdjsonFramer *n = sse ? NULL : natter_ndjson_framer_new (on_line, &events);
  gboolean ok = TRUE;

  for (gsize at = 0; ok && at < len; )
    {
      gsize piece = step == 0 ? len - at : MIN (step, len - at);

      ok = sse ? natter_sse_framer_feed (s, data + at, piece)
               : natter_ndjson_framer_feed (n, data + at, piece);
      at += piece;
    }
  if (ok)
    *finished = sse ? natter_sse_framer_finish (s) : natter_ndjson_framer_finish (n);
  else
    g_string_append (events.log, "STOPPED");

  g_clear_pointer (&s, natter_sse_framer_free);
  g_clear_pointer (&n, natter_ndjson_framer_free);
  return g_string_free (events.log, FALSE);
}

static void
repair (const char *data,
        gsize       len,
        gsize       step)
{
  g_autoptr(NatterReplyGuard) guard = natter_reply_guard_new (len / 2 + 1);
  g_autoptr(GString) all = g_string_new (NULL);
  gsize passed = 0;
  NatterDelta delta, out;

  for (gsize at = 0; at < len; )
    {
      gsize piece = MIN (MAX (step, 1), len - at);

      natter_delta_init (&delta, (at / 7) % 2 ? NATTER_DELTA_REASONING : NATTER_DELTA_TEXT);
      delta.text = data + at;
      delta.len = piece;
      if (natter_reply_guard_filter (guard, &delta, &out))
        {
          fuzz_check (g_utf8_validate (out.text, out.len, NULL), "guard: valid UTF-8 out");
          passed += out.len;
        }
      at += piece;
    }
  if (natter_reply_guard_finish (guard, NATTER_DELTA_TEXT, &out))
    passed += out.len;
  fuzz_check (passed <= len / 2 + 1, "guard: the cap holds");

  /* Text alone, cut anywhere, repairs to what a one-piece repair gives. */
  {
    NatterUtf8Carry carry = { 0 };
    g_autofree char *expected = g_utf8_make_valid (data, len);

    for (gsize at = 0; at < len; )
      {
        gsize piece = MIN (MAX (step, 1), len - at);

        natter_utf8_repair_append (&carry, data + at, piece, all);
        at += piece;
      }
    natter_utf8_repair_finish (&carry, all);
    fuzz_check (strcmp (all->str, expected) == 0, "utf8: pieces repair like the whole");
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data + 1;
  gsize len;
  gboolean sse, finished_a = FALSE, finished_b = FALSE;
  gsize step;
  g_autofree char *whole = NULL;
  g_autofree char *pieces = NULL;

  if (size < 1)
    return 0;

  sse = (data[0] & 1) == 0;
  step = (data[0] >> 1) + 1;
  len = size - 1;

  whole = frame (sse, text, len, 0, &finished_a);
  pieces = frame (sse, text, len, step, &finished_b);
  if (g_str_has_suffix (whole, "STOPPED") == FALSE && g_str_has_suffix (pieces, "STOPPED") == FALSE)
    {
      fuzz_check (strcmp (whole, pieces) == 0, "framer: cutting the input differently gives the same events");
      fuzz_check (finished_a == finished_b, "framer: the same end state however it was cut");
    }

  repair (text, len, step);
  return 0;
}
