/* fuzz-dialects.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for every dialect's parsers: stream events (one parser
 * state over a sequence of events, "\n\n" between them, an optional
 * "event-name\n" before each), whole responses, model lists and error
 * bodies. The first byte picks the dialect and the parser. Promises: a
 * failure always says why, deltas carry what their kind promises, model
 * lists hold ids. Built and run by run-fuzz.sh. */

#include "config.h"

#include "fuzz-common.h"
#include "natter-dialect.h"
#include "natter-reply-guard.h"
#include "natter-tool-assembler.h"

typedef struct
{
  NatterReplyGuard    *guard;
  guint                n;
  NatterToolAssembler *tools;  /* nullable */
} Emitted;

static void
on_delta (const NatterDelta *delta,
          gpointer           user_data)
{
  Emitted *emitted = user_data;
  NatterDelta out;

  emitted->n++;
  switch (delta->kind)
    {
    case NATTER_DELTA_TEXT:
    case NATTER_DELTA_REASONING:
      fuzz_check (delta->text != NULL || delta->len == 0, "delta: text present");
      if (natter_reply_guard_filter (emitted->guard, delta, &out))
        fuzz_check (g_utf8_validate (out.text, out.len, NULL), "delta: repaired text is UTF-8");
      break;
    case NATTER_DELTA_ERROR:
      fuzz_check (delta->error_category >= NATTER_ERROR_CATEGORY_NONE, "delta: error category");
      break;
    case NATTER_DELTA_TOOL_CALL:
      fuzz_check (delta->tool_index >= 0, "delta: tool index not negative");
      if (emitted->tools != NULL)
        natter_tool_assembler_add (emitted->tools, delta);
      break;
    default:
      break;
    }
}

static void
fuzz_events (const NatterDialect *dialect,
             const char          *data,
             gsize                len)
{
  gpointer parser = dialect->parser_new != NULL ? dialect->parser_new () : NULL;
  Emitted emitted = { natter_reply_guard_new (1 << 20), 0, natter_tool_assembler_new () };
  const char *p = data, *end = data + len;
  g_autoptr(GPtrArray) calls = NULL;

  while (p < end)
    {
      const char *sep = g_strstr_len (p, end - p, "\n\n");
      const char *stop = sep != NULL ? sep : end;
      const char *nl = memchr (p, '\n', stop - p);
      g_autofree char *event = NULL;
      g_autoptr(GError) error = NULL;
      const char *body = p;
      gboolean ok;

      if (nl != NULL && nl - p < 40)
        {
          event = g_strndup (p, nl - p);
          body = nl + 1;
        }

      ok = dialect->parse_event (parser, event, body, stop - body, on_delta, &emitted, &error);
      fuzz_check (ok == (error == NULL), "parse_event: error set exactly on failure");
      if (!ok)
        break;
      p = sep != NULL ? sep + 2 : end;
    }

  if (parser != NULL)
    dialect->parser_free (parser);
  natter_reply_guard_free (emitted.guard);

  /* The calls put together from whatever arrived: bounded, named, UTF-8. */
  calls = natter_tool_assembler_finish (emitted.tools);
  fuzz_check (calls->len <= NATTER_TOOL_ASSEMBLER_MAX_CALLS, "tool calls: bounded");
  for (guint i = 0; i < calls->len; i++)
    {
      NatterToolCall *call = g_ptr_array_index (calls, i);

      fuzz_check (call->name != NULL && call->id != NULL, "tool call: named, with an id");
      fuzz_check (g_utf8_validate (call->arguments, -1, NULL), "tool call: arguments are UTF-8");
    }
  natter_tool_assembler_free (emitted.tools);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const NatterDialect * const *dialects = natter_dialect_list ();
  const NatterDialect *dialect;
  const char *text = (const char *) data + 1;
  guint n_dialects = 0;
  gsize len;

  if (size < 1)
    return 0;
  while (dialects[n_dialects] != NULL)
    n_dialects++;
  dialect = dialects[(data[0] >> 2) % n_dialects];
  len = size - 1;

  switch (data[0] & 3)
    {
    case 0:
      fuzz_events (dialect, text, len);
      break;

    case 1:
      {
        Emitted emitted = { natter_reply_guard_new (1 << 20), 0 };
        g_autoptr(GError) error = NULL;
        gboolean ok = dialect->parse_response (text, len, on_delta, &emitted, &error);

        fuzz_check (ok == (error == NULL), "parse_response: error set exactly on failure");
        natter_reply_guard_free (emitted.guard);
      }
      break;

    case 2:
      if (dialect->parse_models != NULL)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *token = NULL;
          g_autoptr(GPtrArray) models = dialect->parse_models (text, len, &token, &error);

          fuzz_check ((models == NULL) == (error != NULL), "parse_models: error set exactly on failure");
          for (guint i = 0; models != NULL && i < models->len; i++)
            {
              NatterModelInfo *info = g_ptr_array_index (models, i);

              fuzz_check (info->id != NULL && info->id[0] != '\0', "parse_models: every model has an id");
            }
        }
      break;

    default:
      if (dialect->parse_error_body != NULL)
        {
          g_autofree char *message = dialect->parse_error_body (text, len);

          fuzz_check (message == NULL || g_utf8_validate (message, -1, NULL),
                      "parse_error_body: the message is UTF-8");
        }
      break;
    }

  return 0;
}
