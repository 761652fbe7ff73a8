/* bench-tools.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Tools and structured output benchmark: prints figures, never fails on
 * wall time.
 *   a streamed call whose 1 MB of arguments arrives in 130,000 OpenAI
 *     chunks of 8 bytes, through the dialect's parser and the assembler
 *   a request with 100 tools after 20 rounds of calls and results,
 *     built for OpenAI, Anthropic and Gemini
 *   a 1 MB answer (10,000 objects) checked against its schema */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "natter-dialect.h"
#include "natter-json-schema.h"
#include "natter-json.h"
#include "natter-request.h"
#include "natter-tool-assembler.h"

#define RUNS 5

static void
collect (const NatterDelta *delta,
         gpointer           user_data)
{
  if (delta->kind == NATTER_DELTA_TOOL_CALL)
    natter_tool_assembler_add (user_data, delta);
}

static double
bench_stream (gsize *arguments_len)
{
  const NatterDialect *dialect = natter_dialect_lookup ("openai-chat");
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(NatterToolAssembler) assembler = natter_tool_assembler_new ();
  g_autoptr(GPtrArray) calls = NULL;
  gpointer parser = dialect->parser_new ();
  gint64 start;

  g_ptr_array_add (events, g_strdup ("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                                     "\"type\":\"function\",\"function\":{\"name\":\"files__write\",\"arguments\":\"{\\\"text\\\":\\\"\"}}]}}]}"));
  for (guint i = 0; i < 130000; i++)
    g_ptr_array_add (events, g_strdup ("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                                       "\"function\":{\"arguments\":\"abcdefgh\"}}]}}]}"));
  g_ptr_array_add (events, g_strdup ("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                                     "\"function\":{\"arguments\":\"\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}"));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < events->len; i++)
    {
      const char *data = g_ptr_array_index (events, i);

      dialect->parse_event (parser, NULL, data, strlen (data), collect, assembler, NULL);
    }
  calls = natter_tool_assembler_finish (assembler);
  dialect->parser_free (parser);
  g_assert (calls->len == 1);
  *arguments_len = strlen (((NatterToolCall *) g_ptr_array_index (calls, 0))->arguments);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static NatterPrompt *
big_prompt (void)
{
  NatterPrompt *prompt = natter_prompt_new ();
  g_autoptr(JsonNode) schema = natter_json_parse ("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\","
                                                  "\"description\":\"Where\"},\"text\":{\"type\":\"string\"},"
                                                  "\"mode\":{\"enum\":[\"append\",\"replace\"]}},\"required\":[\"path\"],"
                                                  "\"additionalProperties\":false}", -1, NULL);

  natter_prompt_add (prompt, NATTER_ROLE_SYSTEM, "You can use tools.");
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Tidy my notes.");
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("server%u__tool%u", i / 10, i);

      natter_prompt_add_tool (prompt, natter_tool_spec_new (name, "Does one thing to a file.",
                                                            json_node_get_object (schema)));
    }
  for (guint round = 0; round < 20; round++)
    {
      NatterPromptMessage *turn = natter_prompt_message_new (NATTER_ROLE_ASSISTANT, "Next file.");
      NatterPromptMessage *results = natter_prompt_message_new (NATTER_ROLE_USER, "");
      g_autofree char *id = g_strdup_printf ("call_%u", round);

      natter_prompt_message_add_tool_call (turn, natter_tool_call_new (id, "server1__tool12",
                                                                       "{\"path\":\"/notes/a.md\",\"mode\":\"append\"}"));
      natter_prompt_message_add_tool_result (results, natter_tool_result_new (id, "server1__tool12",
                                                                              "Written 4,096 bytes.", FALSE));
      natter_prompt_take_message (prompt, turn);
      natter_prompt_take_message (prompt, results);
    }
  return prompt;
}

static double
bench_build (const char *dialect_id,
             gsize      *body_len)
{
  const NatterDialect *dialect = natter_dialect_lookup (dialect_id);
  NatterPrompt *prompt = big_prompt ();
  NatterDialectContext ctx = { 0 };
  NatterGenParams params;
  gint64 start;
  double best = G_MAXDOUBLE;

  ctx.base_url = "http://127.0.0.1:9";
  natter_gen_params_init (&params);
  params.model = g_strdup ("m");
  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(NatterRequest) request = NULL;

      start = g_get_monotonic_time ();
      request = dialect->build_request (&ctx, prompt, &params, NULL);
      best = MIN (best, (g_get_monotonic_time () - start) / 1000.0);
      *body_len = g_bytes_get_size (natter_request_get_body (request));
    }
  natter_gen_params_clear (&params);
  natter_prompt_free (prompt);
  return best;
}

static double
bench_schema (gsize *answer_len)
{
  g_autoptr(JsonObject) schema = natter_json_schema_parse (
    "{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":{\"type\":\"array\",\"items\":"
    "{\"type\":\"object\",\"required\":[\"id\",\"name\",\"tags\"],\"additionalProperties\":false,\"properties\":"
    "{\"id\":{\"type\":\"integer\",\"minimum\":0},\"name\":{\"type\":\"string\",\"minLength\":1},"
    "\"score\":{\"type\":[\"number\",\"null\"]},\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"a\",\"b\",\"c\"]}}}}}}}",
    -1, NULL);
  g_autoptr(GString) answer = g_string_new ("{\"items\":[");
  double best = G_MAXDOUBLE;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (answer, "%s{\"id\":%u,\"name\":\"item number %u of the list\",\"score\":%u.5,"
                                    "\"tags\":[\"a\",\"b\",\"c\",\"a\"]}", i ? "," : "", i, i, i);
  g_string_append (answer, "]}");
  *answer_len = answer->len;
  for (guint run = 0; run < RUNS; run++)
    {
      gint64 start = g_get_monotonic_time ();
      gboolean ok = natter_json_schema_validate_text (schema, answer->str, NULL);

      g_assert (ok);
      best = MIN (best, (g_get_monotonic_time () - start) / 1000.0);
    }
  return best;
}

int
main (int   argc,
      char *argv[])
{
  gsize len = 0;
  double ms;

  ms = bench_stream (&len);
  printf ("stream: a tool call of %zu bytes of arguments in 130,000 OpenAI chunks: %.1f ms (%.2f µs a chunk)\n",
          len, ms, ms * 1000.0 / 130002);
  ms = bench_build ("openai-chat", &len);
  printf ("build: 100 tools + 20 rounds of calls and results, OpenAI: %.2f ms (%zu-byte body)\n", ms, len);
  ms = bench_build ("anthropic", &len);
  printf ("build: 100 tools + 20 rounds of calls and results, Anthropic: %.2f ms (%zu-byte body)\n", ms, len);
  ms = bench_build ("gemini", &len);
  printf ("build: 100 tools + 20 rounds of calls and results, Gemini: %.2f ms (%zu-byte body)\n", ms, len);
  ms = bench_schema (&len);
  printf ("schema: a %zu-byte answer of 10,000 objects parsed and checked: %.1f ms\n", len, ms);
  return 0;
}
