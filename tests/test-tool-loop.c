/* test-tool-loop.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The tool loop end to end over loopback HTTP: fake providers ask for a
 * tool in their own wire shape (arguments in many pieces), the call is
 * approved or denied, runs in a test tool host, and the result goes back in
 * the next request; round limit, time limit, failing tools, refusals,
 * tool-call-only endings and structured answers. */

#include "config.h"

#include <string.h>

#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-conversation-tools.h"
#include "natter-database.h"
#include "natter-fake-provider.h"
#include "natter-json-schema.h"
#include "natter-json.h"
#include "natter-profile.h"
#include "natter-request-log.h"
#include "natter-test-tools.h"
#include "natter-test-util.h"
#include "natter-tool-store.h"
#include "natter-usage-store.h"

#define TEST_KEY "sk-test-SECRET-0123456789"

typedef struct
{
  char               *tmpdir;
  NatterDatabase     *database;
  NatterRequestLog   *log;
  NatterClient       *client;
  NatterFakeProvider *fake;
  NatterTestToolHost *host;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->tmpdir = natter_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "natter.db", NULL);
  f->database = natter_database_open (path, &error);
  g_assert_no_error (error);
  f->log = natter_request_log_new (f->database, &error);
  g_assert_no_error (error);
  f->client = natter_client_new (f->database, NULL, f->log);
  f->fake = natter_fake_provider_new ();
  f->host = natter_test_tool_host_new ();

  for (const char * const *env = (const char * const[]) { "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
                                                          "GEMINI_API_KEY", "CO_API_KEY",
                                                          "MISTRAL_API_KEY", "GROQ_API_KEY",
                                                          "DEEPSEEK_API_KEY", "XAI_API_KEY", NULL };
       *env != NULL; env++)
    g_setenv (*env, TEST_KEY, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->host);
  g_clear_pointer (&f->fake, natter_fake_provider_free);
  g_clear_object (&f->client);
  g_clear_object (&f->log);
  g_clear_object (&f->database);
  natter_test_tmpdir_free (f->tmpdir);
}

static NatterProfile *
make_profile (Fixture    *f,
              const char *provider_id,
              const char *suffix)
{
  NatterProfile *profile = natter_profile_new ("Test", provider_id);
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (f->fake), suffix, NULL);

  natter_profile_set_base_url (profile, url);
  natter_profile_set_model (profile, "test-model");
  return profile;
}

static void
add_stream (Fixture            *f,
            const char         *path,
            const char         *content_type,
            const char * const *chunks)
{
  NatterFakeResponse *response = natter_fake_response_new (200, content_type);

  for (guint i = 0; chunks[i] != NULL; i++)
    natter_fake_response_add_chunk (response, chunks[i], -1, 0);
  natter_fake_provider_add_route (f->fake, "POST", path, response);
}

typedef struct
{
  gboolean          done;
  NatterChatResult *result;
  GError           *error;
  GString          *text;
  guint             n_events;
} Run;

static void
on_delta (const NatterDelta *delta,
          gpointer           user_data)
{
  Run *run = user_data;

  if (delta->kind == NATTER_DELTA_TEXT)
    g_string_append_len (run->text, delta->text, delta->len);
}

static void
on_event (NatterToolLoop  *loop,
          NatterToolEvent *event,
          Run             *run)
{
  run->n_events++;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;

  run->result = natter_tool_loop_run_finish (NATTER_TOOL_LOOP (object), result, NULL, &run->error);
  run->done = TRUE;
}

static gboolean no_stream;

/* Runs one reply of @loop to "Weather in Oslo?" (with @schema_text, nullable). */
static void
loop_run (NatterToolLoop *loop,
          const char     *schema_text,
          Run            *run)
{
  NatterPrompt *prompt = natter_prompt_new ();
  NatterGenParams params;

  memset (run, 0, sizeof *run);
  run->text = g_string_new (NULL);
  g_signal_connect (loop, "tool-event", G_CALLBACK (on_event), run);
  natter_gen_params_init (&params);
  params.stream = !no_stream;
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Weather in Oslo?");
  if (schema_text != NULL)
    {
      g_autoptr(JsonObject) schema = natter_json_schema_parse (schema_text, -1, NULL);

      g_assert_nonnull (schema);
      natter_prompt_set_schema (prompt, schema, "weather");
    }
  natter_tool_loop_run_async (loop, prompt, &params, on_delta, run, NULL, run_cb, run);
  natter_gen_params_clear (&params);
  g_assert_true (natter_test_wait_for (&run->done, 20000));
  g_signal_handlers_disconnect_by_func (loop, on_event, run);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->result, natter_chat_result_free);
  g_clear_error (&run->error);
  g_string_free (run->text, TRUE);
}

static NatterToolLoop *
make_loop (Fixture            *f,
           NatterProfile      *profile,
           NatterToolDecision  decision,
           NatterTestApprover **approver_out)
{
  NatterToolLoop *loop = natter_tool_loop_new (f->client, profile);
  g_autoptr(NatterTestApprover) approver = natter_test_approver_new (decision);

  natter_tool_loop_set_host (loop, NATTER_TOOL_HOST (f->host));
  natter_tool_loop_set_approver (loop, NATTER_TOOL_APPROVER (approver));
  if (approver_out != NULL)
    *approver_out = g_steal_pointer (&approver);
  return loop;
}

static const char *
request_body (Fixture *f,
              guint    i)
{
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), >, i);
  return natter_fake_provider_get_request (f->fake, i)->body;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is not in %s", needle, haystack);
}

/* ------------------------------------------------------------ each dialect */

typedef struct
{
  const char         *name;
  const char         *provider;
  const char         *suffix;
  const char         *path;
  const char         *content_type;
  const char * const *call;
  const char * const *answer;
  const char * const *expected;   /* in the second request */
} Dialect;

#define SSE(x) "data: " x "\n\n"

static const char * const openai_call[] = {
  SSE ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}"),
  SSE ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"\"}}]},\"finish_reason\":null}]}"),
  SSE ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"city\"}}]},\"finish_reason\":null}]}"),
  SSE ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\":\\\"\"}}]},\"finish_reason\":null}]}"),
  SSE ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"Os\"}}]},\"finish_reason\":null}]}"),
  SSE ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"lo\\\"}\"}}]},\"finish_reason\":null}]}"),
  SSE ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"),
  SSE ("[DONE]"),
  NULL
};

/* Mistral and xAI send each call whole in one chunk. */
static const char * const whole_call[] = {
  SSE ("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"D681PevKs\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"{\\\"city\\\": \\\"Oslo\\\"}\"},\"index\":0}]},\"finish_reason\":\"tool_calls\"}]}"),
  SSE ("[DONE]"),
  NULL
};

static const char * const openai_answer[] = {
  SSE ("{\"id\":\"d\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"It is 3 \"},\"finish_reason\":null}]}"),
  SSE ("{\"id\":\"d\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"degrees.\"},\"finish_reason\":\"stop\"}]}"),
  SSE ("[DONE]"),
  NULL
};

static const char * const openai_expected[] = {
  "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather__get\"",
  "\"tool_calls\":[{\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\"",
  "{\"role\":\"tool\",\"tool_call_id\":\"call_a\",\"content\":\"{\\\"temp\\\":3,\\\"city\\\":\\\"Oslo\\\"}\"}",
  NULL
};

static const char * const whole_expected[] = {
  "\"id\":\"D681PevKs\"",
  "{\"role\":\"tool\",\"tool_call_id\":\"D681PevKs\",\"content\":\"{\\\"temp\\\":3,\\\"city\\\":\\\"Oslo\\\"}\"}",
  NULL
};

#define EV(name, x) "event: " name "\ndata: " x "\n\n"

static const char * const anthropic_call[] = {
  EV ("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}"),
  EV ("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"weather__get\",\"input\":{}}}"),
  EV ("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"ci\"}}"),
  EV ("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"ty\\\": \\\"Os\"}}"),
  EV ("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"lo\\\"}\"}}"),
  EV ("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
  EV ("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":20}}"),
  EV ("message_stop", "{\"type\":\"message_stop\"}"),
  NULL
};

static const char * const anthropic_answer[] = {
  EV ("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}"),
  EV ("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
  EV ("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"It is 3 degrees.\"}}"),
  EV ("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
  EV ("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}"),
  EV ("message_stop", "{\"type\":\"message_stop\"}"),
  NULL
};

static const char * const anthropic_expected[] = {
  "\"tools\":[{\"name\":\"weather__get\",\"description\":\"A test tool\",\"input_schema\":",
  "{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"weather__get\",\"input\":{\"city\":\"Oslo\"}}",
  "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01\",\"content\":\"{\\\"temp\\\":3,\\\"city\\\":\\\"Oslo\\\"}\"}",
  NULL
};

static const char * const gemini_call[] = {
  SSE ("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"weather__get\",\"args\":{\"city\":\"Oslo\"}},\"thoughtSignature\":\"c2lnLTE=\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}"),
  NULL
};

static const char * const gemini_answer[] = {
  SSE ("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"It is 3 degrees.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}"),
  NULL
};

static const char * const gemini_expected[] = {
  "\"tools\":[{\"functionDeclarations\":[{\"name\":\"weather__get\"",
  "{\"functionCall\":{\"name\":\"weather__get\",\"args\":{\"city\":\"Oslo\"}},\"thoughtSignature\":\"c2lnLTE=\"}",
  "{\"functionResponse\":{\"name\":\"weather__get\",\"response\":{\"temp\":3,\"city\":\"Oslo\"}}}",
  NULL
};

static const char * const cohere_call[] = {
  EV ("message-start", "{\"type\":\"message-start\",\"id\":\"m\",\"delta\":{\"message\":{\"role\":\"assistant\"}}}"),
  EV ("tool-plan-delta", "{\"type\":\"tool-plan-delta\",\"delta\":{\"message\":{\"tool_plan\":\"I will look it up.\"}}}"),
  EV ("tool-call-start", "{\"type\":\"tool-call-start\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"id\":\"weather__get_x1\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"\"}}}}}"),
  EV ("tool-call-delta", "{\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"{\\\"city\\\"\"}}}}}"),
  EV ("tool-call-delta", "{\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\": \\\"Oslo\\\"}\"}}}}}"),
  EV ("tool-call-end", "{\"type\":\"tool-call-end\",\"index\":0}"),
  EV ("message-end", "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"TOOL_CALL\",\"usage\":{\"tokens\":{\"input_tokens\":9,\"output_tokens\":9}}}}"),
  NULL
};

static const char * const cohere_answer[] = {
  EV ("message-start", "{\"type\":\"message-start\",\"id\":\"n\",\"delta\":{\"message\":{\"role\":\"assistant\"}}}"),
  EV ("content-delta", "{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"It is 3 degrees.\"}}}}"),
  EV ("message-end", "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":{\"tokens\":{\"input_tokens\":9,\"output_tokens\":5}}}}"),
  NULL
};

static const char * const cohere_expected[] = {
  "\"tool_calls\":[{\"id\":\"weather__get_x1\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"{\\\"city\\\": \\\"Oslo\\\"}\"}}]",
  "{\"role\":\"tool\",\"tool_call_id\":\"weather__get_x1\",\"content\":[{\"type\":\"document\",\"document\":{\"data\":\"{\\\"temp\\\":3,\\\"city\\\":\\\"Oslo\\\"}\"}}]}",
  NULL
};

static const char * const ollama_call[] = {
  "{\"model\":\"test-model\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"weather__get\",\"arguments\":{\"city\":\"Oslo\"}}}]},\"done\":false}\n",
  "{\"model\":\"test-model\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":9,\"eval_count\":9}\n",
  NULL
};

static const char * const ollama_answer[] = {
  "{\"model\":\"test-model\",\"message\":{\"role\":\"assistant\",\"content\":\"It is 3 degrees.\"},\"done\":false}\n",
  "{\"model\":\"test-model\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"}\n",
  NULL
};

static const char * const ollama_expected[] = {
  "\"tool_calls\":[{\"function\":{\"name\":\"weather__get\",\"arguments\":{\"city\":\"Oslo\"}}}]",
  "{\"role\":\"tool\",\"content\":\"{\\\"temp\\\":3,\\\"city\\\":\\\"Oslo\\\"}\",\"tool_name\":\"weather__get\"}",
  NULL
};

static const Dialect dialects[] = {
  { "openai", "openai", "/v1", "/v1/chat/completions", "text/event-stream", openai_call, openai_answer, openai_expected },
  { "groq", "groq", "/openai/v1", "/openai/v1/chat/completions", "text/event-stream", openai_call, openai_answer, openai_expected },
  { "deepseek", "deepseek", "", "/chat/completions", "text/event-stream", openai_call, openai_answer, openai_expected },
  { "mistral", "mistral", "/v1", "/v1/chat/completions", "text/event-stream", whole_call, openai_answer, whole_expected },
  { "xai", "xai", "/v1", "/v1/chat/completions", "text/event-stream", whole_call, openai_answer, whole_expected },
  { "anthropic", "anthropic", "", "/v1/messages", "text/event-stream", anthropic_call, anthropic_answer, anthropic_expected },
  { "gemini", "google", "", "/v1beta/models/*", "text/event-stream", gemini_call, gemini_answer, gemini_expected },
  { "cohere", "cohere", "", "/v2/chat", "text/event-stream", cohere_call, cohere_answer, cohere_expected },
  { "ollama", "ollama", "", "/api/chat", "application/x-ndjson", ollama_call, ollama_answer, ollama_expected },
};

static void
test_dialect_approved (Fixture       *f,
                       gconstpointer  data)
{
  const Dialect *d = data;
  g_autoptr(NatterProfile) profile = make_profile (f, d->provider, d->suffix);
  g_autoptr(NatterTestApprover) approver = NULL;
  g_autoptr(NatterToolLoop) loop = make_loop (f, profile, NATTER_TOOL_ALLOW_ONCE, &approver);
  GPtrArray *events;
  NatterToolEvent *event;
  Run run;

  add_stream (f, d->path, d->content_type, d->call);
  add_stream (f, d->path, d->content_type, d->answer);
  loop_run (loop, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (g_strstrip (run.text->str), ==, "It is 3 degrees.");
  g_assert_true (g_str_has_suffix (run.result->text, "It is 3 degrees."));

  /* asked once, about the server's own tool name; ran once */
  g_assert_cmpuint (natter_test_approver_get_asked (approver), ==, 1);
  g_assert_cmpstr (natter_test_approver_get_last (approver), ==, "weather/get");
  g_assert_cmpuint (natter_test_tool_host_get_calls (f->host)->len, ==, 1);
  assert_contains (g_ptr_array_index (natter_test_tool_host_get_calls (f->host), 0), "Oslo");

  events = natter_tool_loop_get_events (loop);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpint (event->outcome, ==, NATTER_TOOL_OUTCOME_OK);
  g_assert_cmpstr (event->server, ==, "weather");
  g_assert_cmpuint (run.n_events, ==, 2);  /* started, ended */

  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 2);
  for (guint i = 0; d->expected[i] != NULL; i++)
    assert_contains (request_body (f, 1), d->expected[i]);
  run_clear (&run);
}

/* ------------------------------------------------------------ the loop */

static void
test_denied (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1");
  g_autoptr(NatterToolLoop) loop = make_loop (f, profile, NATTER_TOOL_DENY, NULL);
  NatterToolEvent *event;
  Run run;

  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_call);
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_answer);
  loop_run (loop, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpuint (natter_test_tool_host_get_calls (f->host)->len, ==, 0);
  event = g_ptr_array_index (natter_tool_loop_get_events (loop), 0);
  g_assert_cmpint (event->outcome, ==, NATTER_TOOL_OUTCOME_DENIED);
  assert_contains (request_body (f, 1),
                   "{\"role\":\"tool\",\"tool_call_id\":\"call_a\",\"content\":\"The person denied this tool call.\"}");
  run_clear (&run);
}

/* Without an approver nothing runs. */
static void
test_no_approver (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1");
  g_autoptr(NatterToolLoop) loop = natter_tool_loop_new (f->client, profile);
  Run run;

  natter_tool_loop_set_host (loop, NATTER_TOOL_HOST (f->host));
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_call);
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_answer);
  loop_run (loop, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpuint (natter_test_tool_host_get_calls (f->host)->len, ==, 0);
  assert_contains (request_body (f, 1), "denied");
  run_clear (&run);
}

static void
test_round_limit (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1");
  g_autoptr(NatterTestApprover) approver = NULL;
  g_autoptr(NatterToolLoop) loop = make_loop (f, profile, NATTER_TOOL_ALLOW_ALWAYS, &approver);
  Run run;

  /* The model asks again and again (the last response repeats). */
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_call);
  natter_tool_loop_set_max_rounds (loop, 3);
  loop_run (loop, NULL, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
  assert_contains (run.error->message, "3 rounds");
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 4);
  g_assert_cmpuint (natter_test_tool_host_get_calls (f->host)->len, ==, 3);
  /* "Always allow" asks once */
  g_assert_cmpuint (natter_test_approver_get_asked (approver), ==, 1);
  run_clear (&run);
}

static const char * const slow_call[] = {
  SSE ("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_s\",\"type\":\"function\",\"function\":{\"name\":\"slow__wait\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}"),
  SSE ("[DONE]"),
  NULL
};

static const char * const broken_call[] = {
  SSE ("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"broken__fail\",\"arguments\":\"{}\"}},{\"index\":1,\"id\":\"call_u\",\"type\":\"function\",\"function\":{\"name\":\"nowhere__nothing\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}"),
  SSE ("[DONE]"),
  NULL
};

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1");
  g_autoptr(NatterToolLoop) loop = make_loop (f, profile, NATTER_TOOL_ALLOW_ONCE, NULL);
  NatterToolEvent *event;
  Run run;

  add_stream (f, "/v1/chat/completions", "text/event-stream", slow_call);
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_answer);
  natter_tool_loop_set_timeout (loop, 1);
  loop_run (loop, NULL, &run);
  g_assert_no_error (run.error);
  event = g_ptr_array_index (natter_tool_loop_get_events (loop), 0);
  g_assert_cmpint (event->outcome, ==, NATTER_TOOL_OUTCOME_TIMED_OUT);
  g_assert_cmpuint (natter_test_tool_host_get_n_cancelled (f->host), ==, 1);
  assert_contains (request_body (f, 1), "did not answer within 1 second");
  run_clear (&run);
}

static void
test_failures (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1");
  g_autoptr(NatterToolLoop) loop = make_loop (f, profile, NATTER_TOOL_ALLOW_ONCE, NULL);
  GPtrArray *events;
  Run run;

  add_stream (f, "/v1/chat/completions", "text/event-stream", broken_call);
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_answer);
  loop_run (loop, NULL, &run);
  g_assert_no_error (run.error);
  events = natter_tool_loop_get_events (loop);
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpint (((NatterToolEvent *) g_ptr_array_index (events, 0))->outcome, ==,
                   NATTER_TOOL_OUTCOME_ERROR);
  g_assert_cmpint (((NatterToolEvent *) g_ptr_array_index (events, 1))->outcome, ==,
                   NATTER_TOOL_OUTCOME_ERROR);
  assert_contains (request_body (f, 1), "The tool failed: the server went away");
  assert_contains (request_body (f, 1), "There is no tool named “nowhere__nothing”.");
  run_clear (&run);
}

/* A stream that ends in a call and no text, with no tools to run: an error, never an empty reply. */
static void
test_tool_call_only (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "anthropic", "");
  g_autoptr(NatterToolLoop) loop = natter_tool_loop_new (f->client, profile);
  Run run;

  add_stream (f, "/v1/messages", "text/event-stream", anthropic_call);
  loop_run (loop, NULL, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
  assert_contains (run.error->message, "weather__get");
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 1);
  /* no tools were offered */
  g_assert_null (strstr (request_body (f, 0), "\"tools\""));
  run_clear (&run);
}

static const char * const anthropic_refusal[] = {
  EV ("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_3\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}"),
  EV ("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":0}}"),
  EV ("message_stop", "{\"type\":\"message_stop\"}"),
  NULL
};

static const char * const openai_refusal[] = {
  SSE ("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"refusal\":\"I can't help \"},\"finish_reason\":null}]}"),
  SSE ("{\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"with that.\"},\"finish_reason\":\"stop\"}]}"),
  SSE ("[DONE]"),
  NULL
};

static const char * const gemini_malformed[] = {
  SSE ("{\"candidates\":[{\"content\":{\"parts\":[],\"role\":\"model\"},\"finishReason\":\"MALFORMED_FUNCTION_CALL\",\"index\":0}]}"),
  NULL
};

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(NatterProfile) anthropic = make_profile (f, "anthropic", "");
  g_autoptr(NatterProfile) openai = make_profile (f, "openai", "/v1");
  g_autoptr(NatterToolLoop) loop = natter_tool_loop_new (f->client, anthropic);
  g_autoptr(NatterToolLoop) loop2 = natter_tool_loop_new (f->client, openai);
  Run run;

  add_stream (f, "/v1/messages", "text/event-stream", anthropic_refusal);
  loop_run (loop, NULL, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST);
  assert_contains (run.error->message, "refused");
  run_clear (&run);

  /* The refusal's text is shown, and the reply still says it was refused. */
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_refusal);
  loop_run (loop2, NULL, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST);
  g_assert_cmpstr (run.text->str, ==, "I can't help with that.");
  run_clear (&run);

  /* Gemini's unreadable call is not an empty answer either. */
  {
    g_autoptr(NatterProfile) gemini = make_profile (f, "google", "");
    g_autoptr(NatterToolLoop) loop3 = make_loop (f, gemini, NATTER_TOOL_ALLOW_ONCE, NULL);

    add_stream (f, "/v1beta/models/*", "text/event-stream", gemini_malformed);
    loop_run (loop3, NULL, &run);
    g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
    assert_contains (run.error->message, "tool call");
    run_clear (&run);
  }
}

/* ------------------------------------------------------------ structured answers */

static const char *city_schema =
  "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"temp\":{\"type\":\"number\"}},"
  "\"required\":[\"city\",\"temp\"],\"additionalProperties\":false}";

static const char * const anthropic_forced_ok[] = {
  EV ("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_4\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}"),
  EV ("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"json_response\",\"input\":{}}}"),
  EV ("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Oslo\\\",\"}}"),
  EV ("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\" \\\"temp\\\": 3}\"}}"),
  EV ("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
  EV ("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":20}}"),
  EV ("message_stop", "{\"type\":\"message_stop\"}"),
  NULL
};

static const char * const openai_bad_json[] = {
  SSE ("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"{\\\"city\\\": \\\"Oslo\\\", \"},\"finish_reason\":null}]}"),
  SSE ("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\\"temp\\\": \\\"cold\\\"}\"},\"finish_reason\":\"stop\"}]}"),
  SSE ("[DONE]"),
  NULL
};

static void
test_structured (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(NatterProfile) anthropic = make_profile (f, "anthropic", "");
  g_autoptr(NatterProfile) openai = make_profile (f, "openai", "/v1");
  g_autoptr(NatterToolLoop) loop = natter_tool_loop_new (f->client, anthropic);
  g_autoptr(NatterToolLoop) loop2 = natter_tool_loop_new (f->client, openai);
  Run run;

  /* Anthropic answers through the forced tool: its arguments are the answer. */
  add_stream (f, "/v1/messages", "text/event-stream", anthropic_forced_ok);
  loop_run (loop, city_schema, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "{\"city\": \"Oslo\", \"temp\": 3}");
  g_assert_cmpstr (run.text->str, ==, "{\"city\": \"Oslo\", \"temp\": 3}");
  assert_contains (request_body (f, 0), "\"tool_choice\":{\"type\":\"tool\",\"name\":\"json_response\"}");
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 1);
  run_clear (&run);

  /* An answer that does not follow the schema says where. */
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_bad_json);
  loop_run (loop2, city_schema, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
  assert_contains (run.error->message, "$.temp");
  assert_contains (request_body (f, 1), "\"response_format\":{\"type\":\"json_schema\"");
  run_clear (&run);
}

/* Text before a call and text after it read as two paragraphs. */
static const char * const openai_text_and_call[] = {
  SSE ("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Let me look.\"},\"finish_reason\":null}]}"),
  SSE ("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_t\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}"),
  SSE ("[DONE]"),
  NULL
};

static void
test_text_between_rounds (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1");
  g_autoptr(NatterToolLoop) loop = make_loop (f, profile, NATTER_TOOL_ALLOW_ONCE, NULL);
  Run run;

  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_text_and_call);
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_answer);
  loop_run (loop, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.text->str, ==, "Let me look.\n\nIt is 3 degrees.");
  g_assert_cmpstr (run.result->text, ==, "Let me look.\n\nIt is 3 degrees.");
  assert_contains (request_body (f, 1), "{\"role\":\"assistant\",\"content\":\"Let me look.\",\"tool_calls\"");
  run_clear (&run);
}

/* Without streaming: whole responses with the calls in them. */
static void
test_not_streamed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1");
  g_autoptr(NatterToolLoop) loop = make_loop (f, profile, NATTER_TOOL_ALLOW_ONCE, NULL);
  GPtrArray *events;
  Run run;

  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
    natter_fake_response_new_body (200, "application/json",
      "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
      "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}},"
      "{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]},"
      "\"finish_reason\":\"tool_calls\"}]}"));
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
    natter_fake_response_new_body (200, "application/json",
      "{\"id\":\"y\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"3 and 3.\"},"
      "\"finish_reason\":\"stop\"}]}"));
  no_stream = TRUE;
  loop_run (loop, NULL, &run);
  no_stream = FALSE;
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "3 and 3.");
  events = natter_tool_loop_get_events (loop);
  g_assert_cmpuint (events->len, ==, 2);
  assert_contains (request_body (f, 1), "\"tool_call_id\":\"call_1\"");
  assert_contains (request_body (f, 1), "Rome");
  run_clear (&run);
}

static void
test_events_json (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_event_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autofree char *json = NULL;
  NatterToolEvent *event = g_new0 (NatterToolEvent, 1);
  NatterToolEvent *read;

  event->call = natter_tool_call_new ("c1", "weather__get", "{\"city\":\"Oslo\"}");
  event->call->signature = g_strdup ("sig");
  event->server = g_strdup ("weather");
  event->tool = g_strdup ("get");
  event->outcome = NATTER_TOOL_OUTCOME_DENIED;
  event->result = g_strdup ("The person denied this tool call.");
  g_ptr_array_add (events, event);
  json = natter_tool_events_to_json (events);
  back = natter_tool_events_from_json (json);
  g_assert_cmpuint (back->len, ==, 1);
  read = g_ptr_array_index (back, 0);
  g_assert_cmpstr (read->call->arguments, ==, "{\"city\":\"Oslo\"}");
  g_assert_cmpstr (read->call->signature, ==, "sig");
  g_assert_cmpstr (read->tool, ==, "get");
  g_assert_cmpint (read->outcome, ==, NATTER_TOOL_OUTCOME_DENIED);

  /* hostile stored text */
  g_ptr_array_unref (natter_tool_events_from_json ("[[[["));
  g_assert_cmpuint (natter_tool_events_from_json ("{\"a\":1}")->len, ==, 0);
}

/* ------------------------------------------------------------ in a chat */

#define USAGE SSE ("{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}")

static const char * const chat_call[] = {
  SSE ("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Let me look.\"},\"finish_reason\":null}]}"),
  SSE ("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_t\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}"),
  USAGE,
  SSE ("[DONE]"),
  NULL
};

static const char * const chat_answer[] = {
  SSE ("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"It is 3 degrees.\"},\"finish_reason\":\"stop\"}]}"),
  USAGE,
  SSE ("[DONE]"),
  NULL
};

typedef struct
{
  gboolean done;
  gint64   reply_id;
  GError  *error;
  guint    n_tool_events;
} SendRun;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendRun *run = user_data;

  natter_conversation_send_finish (NATTER_CONVERSATION (object), result, &run->reply_id, &run->error);
  run->done = TRUE;
}

static void
conversation_tool_event_cb (NatterConversation *conv,
                            gint64              chat_id,
                            gint64              message_id,
                            SendRun            *run)
{
  run->n_tool_events++;
}

/* A chat's reply calls a tool: the call and its result are kept with the
 * reply, and what was said comes after it. */
static void
test_conversation (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1");
  g_autoptr(NatterChatStore) store = natter_chat_store_new (f->database);
  g_autoptr(NatterConversation) conv = natter_conversation_new (store, f->client);
  g_autoptr(NatterTestApprover) approver = natter_test_approver_new (NATTER_TOOL_ALLOW_ONCE);
  g_autoptr(NatterChatMessage) reply = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  NatterToolEvent *event;
  SendRun run = { 0 };
  gint64 chat_id, other_chat;

  chat_id = natter_conversation_new_chat (conv, 0, "Weather", &error);
  g_assert_no_error (error);
  other_chat = natter_conversation_new_chat (conv, 0, "No tools", &error);
  g_assert_no_error (error);
  natter_conversation_set_tools (conv, chat_id, NATTER_TOOL_HOST (f->host),
                                 NATTER_TOOL_APPROVER (approver));
  g_signal_connect (conv, "tool-event", G_CALLBACK (conversation_tool_event_cb), &run);

  add_stream (f, "/v1/chat/completions", "text/event-stream", chat_call);
  add_stream (f, "/v1/chat/completions", "text/event-stream", chat_answer);
  natter_conversation_send_async (conv, chat_id, profile, "Weather in Oslo?", NULL, NULL, NULL,
                                  NULL, send_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 20000));
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.n_tool_events, ==, 2);

  reply = natter_chat_store_get_message (store, run.reply_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_chat_message_get_content (reply), ==, "Let me look.\n\nIt is 3 degrees.");
  g_assert_cmpint (natter_chat_message_get_state (reply), ==, NATTER_SWIPE_STATE_COMPLETE);

  /* the second round is noted as sent with the results of tool calls */
  {
    NatterPresetStore *presets = natter_conversation_get_preset_store (conv);
    NatterLogEntry *last = natter_request_log_get_last (f->log);
    g_autofree char *purpose = NULL;
    g_autofree char *dropped = NULL;

    g_assert_true (natter_preset_store_get_request_note (presets, natter_log_entry_get_id (last),
                                                         &purpose, &dropped));
    g_assert_cmpstr (purpose, ==, "chat-tools");
  }

  /* both rounds count for the chat */
  {
    g_autoptr(GPtrArray) totals = natter_usage_store_totals (f->database, NATTER_USAGE_BY_CHAT, 0, &error);
    g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, chat_id);
    gboolean found = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < totals->len; i++)
      {
        NatterUsageTotal *total = g_ptr_array_index (totals, i);

        if (g_strcmp0 (total->key, key) != 0)
          continue;
        found = TRUE;
        g_assert_cmpint (total->exchanges, ==, 2);
        g_assert_cmpint (total->input_tokens, ==, 20);
      }
    g_assert_true (found);
  }

  /* tools allowed for good in the chat, kept in its metadata */
  {
    g_auto(GStrv) none = natter_tool_store_dup_allowed (store, chat_id);
    g_auto(GStrv) two = NULL;

    g_assert_cmpuint (g_strv_length (none), ==, 0);
    g_assert_true (natter_tool_store_allow (store, chat_id, "weather/get", &error));
    g_assert_true (natter_tool_store_allow (store, chat_id, "files/read", &error));
    g_assert_true (natter_tool_store_allow (store, chat_id, "weather/get", &error));
    g_assert_no_error (error);
    two = natter_tool_store_dup_allowed (store, chat_id);
    g_assert_cmpuint (g_strv_length (two), ==, 2);
    g_assert_true (g_strv_contains ((const char * const *) two, "files/read"));
  }

  /* stored: reopening the chat shows the call */
  json = natter_tool_store_dup_events (f->database, run.reply_id);
  g_assert_nonnull (json);
  events = natter_tool_events_from_json (json);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (event->call->name, ==, "weather__get");
  g_assert_cmpstr (event->server, ==, "weather");
  g_assert_cmpint (event->outcome, ==, NATTER_TOOL_OUTCOME_OK);
  assert_contains (event->result, "Oslo");

  /* The request the inspector shows offers the tools, and another chat has none. */
  {
    g_autoptr(NatterRequest) request = natter_conversation_build_request (conv, chat_id, profile,
                                                                          "Again?", NULL, NULL, &error);
    g_autoptr(NatterRequest) other = natter_conversation_build_request (conv, other_chat, profile,
                                                                        "Again?", NULL, NULL, &error);
    g_assert_no_error (error);
    assert_contains (g_bytes_get_data (natter_request_get_body (request), NULL), "weather__get");
    g_assert_null (strstr (g_bytes_get_data (natter_request_get_body (other), NULL), "\"tools\""));
  }

  /* In the chat without tools a tool-call-only reply is an error the reply shows. */
  {
    g_autoptr(NatterChatMessage) failed = NULL;

    memset (&run, 0, sizeof run);
    natter_fake_provider_clear_routes (f->fake);
    add_stream (f, "/v1/chat/completions", "text/event-stream", openai_call);
    natter_conversation_send_async (conv, other_chat, profile, "Weather?", NULL, NULL, NULL,
                                    NULL, send_cb, &run);
    g_assert_true (natter_test_wait_for (&run.done, 20000));
    g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
    failed = natter_chat_store_get_message (store, run.reply_id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (natter_chat_message_get_state (failed), ==, NATTER_SWIPE_STATE_ERROR);
    assert_contains (natter_chat_message_get_error_message (failed), "weather__get");
    g_clear_error (&run.error);
  }
  g_signal_handlers_disconnect_by_func (conv, conversation_tool_event_cb, &run);
}

/* ------------------------------------------------------------ later turns */

typedef struct
{
  const Dialect *dialect;
  const char    *call;     /* the earlier reply's call, as sent again */
  const char    *result;   /* its result */
  const char    *text;     /* the reply's text, after them */
} HistoryCase;

static const HistoryCase history_cases[] = {
  { &dialects[0], "\"tool_calls\":[{\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]",
    "{\"role\":\"tool\",\"tool_call_id\":\"call_a\",\"content\":\"{\\\"temp\\\":3,\\\"city\\\":\\\"Oslo\\\"}\"}",
    "{\"role\":\"assistant\",\"content\":\"It is 3 degrees.\"}" },
  { &dialects[5], "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"weather__get\",\"input\":{\"city\":\"Oslo\"}}]}",
    "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_01\",\"content\":\"{\\\"temp\\\":3,\\\"city\\\":\\\"Oslo\\\"}\"}]}",
    "{\"role\":\"assistant\",\"content\":\"It is 3 degrees.\"}" },
  { &dialects[6], "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"weather__get\",\"args\":{\"city\":\"Oslo\"}},\"thoughtSignature\":\"c2lnLTE=\"}]}",
    "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"weather__get\",\"response\":{\"temp\":3,\"city\":\"Oslo\"}}}]}",
    "{\"role\":\"model\",\"parts\":[{\"text\":\"It is 3 degrees.\"}]}" },
  { &dialects[7], "\"tool_calls\":[{\"id\":\"weather__get_x1\"",
    "{\"role\":\"tool\",\"tool_call_id\":\"weather__get_x1\",\"content\":[{\"type\":\"document\"",
    "It is 3 degrees.\"}" },
  { &dialects[8], "\"tool_calls\":[{\"function\":{\"name\":\"weather__get\",\"arguments\":{\"city\":\"Oslo\"}}}]",
    "{\"role\":\"tool\",\"content\":\"{\\\"temp\\\":3,\\\"city\\\":\\\"Oslo\\\"}\",\"tool_name\":\"weather__get\"}",
    "{\"role\":\"assistant\",\"content\":\"It is 3 degrees.\"}" },
};

static const char *
find_after (const char *haystack,
            const char *from,
            const char *needle)
{
  const char *found = strstr (from, needle);

  if (found == NULL)
    g_error ("“%s” is not where it belongs in %s", needle, haystack);
  return found + strlen (needle);
}

static void
send_and_wait (NatterConversation *conv,
               gint64              chat_id,
               NatterProfile      *profile,
               const char         *text)
{
  SendRun run = { 0 };

  natter_conversation_send_async (conv, chat_id, profile, text, NULL, NULL, NULL, NULL,
                                  send_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 20000));
  g_assert_no_error (run.error);
}

/* A later turn sends the earlier reply's calls and their results again, in
 * order: the call, the result, the reply's text, then the new question. */
static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  const HistoryCase *c = data;
  const Dialect *d = c->dialect;
  g_autoptr(NatterProfile) profile = make_profile (f, d->provider, d->suffix);
  g_autoptr(NatterChatStore) store = natter_chat_store_new (f->database);
  g_autoptr(NatterConversation) conv = natter_conversation_new (store, f->client);
  g_autoptr(NatterTestApprover) approver = natter_test_approver_new (NATTER_TOOL_ALLOW_ONCE);
  g_autoptr(GError) error = NULL;
  const char *body, *at;
  gint64 chat_id;

  chat_id = natter_conversation_new_chat (conv, 0, "Weather", &error);
  g_assert_no_error (error);
  natter_conversation_set_tools (conv, chat_id, NATTER_TOOL_HOST (f->host),
                                 NATTER_TOOL_APPROVER (approver));
  add_stream (f, d->path, d->content_type, d->call);
  add_stream (f, d->path, d->content_type, d->answer);
  send_and_wait (conv, chat_id, profile, "Weather in Oslo?");
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 2);

  natter_fake_provider_clear_routes (f->fake);
  add_stream (f, d->path, d->content_type, d->answer);
  send_and_wait (conv, chat_id, profile, "And tomorrow?");
  body = request_body (f, 2);
  at = find_after (body, body, "Weather in Oslo?");
  at = find_after (body, at, c->call);
  at = find_after (body, at, c->result);
  at = find_after (body, at, c->text);
  find_after (body, at, "And tomorrow?");

  /* Without tools on offer the earlier reply goes as its text alone. */
  natter_conversation_set_tools (conv, chat_id, NULL, NULL);
  natter_fake_provider_clear_routes (f->fake);
  add_stream (f, d->path, d->content_type, d->answer);
  send_and_wait (conv, chat_id, profile, "And the day after?");
  body = request_body (f, 3);
  g_assert_null (strstr (body, "weather__get"));
  find_after (body, find_after (body, body, "Weather in Oslo?"), "It is 3 degrees.");
}

/* What goes back of a huge result is cut, with a note. */
static void
test_history_limit (void)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_event_free);
  NatterToolEvent *event = g_new0 (NatterToolEvent, 1);
  NatterPromptMessage *message;
  const NatterToolResult *result;

  event->call = natter_tool_call_new ("call_big", "files__read", "{}");
  event->outcome = NATTER_TOOL_OUTCOME_OK;
  event->result = g_strnfill (200 * 1024, 'x');
  g_ptr_array_add (events, event);
  event = g_new0 (NatterToolEvent, 1);
  event->call = natter_tool_call_new ("call_cut", "files__read", "{}");
  event->outcome = NATTER_TOOL_OUTCOME_RUNNING;
  g_ptr_array_add (events, event);

  message = natter_tool_loop_history_message (events);
  g_assert_nonnull (message);
  g_assert_cmpuint (message->tool_calls->len, ==, 2);
  g_assert_cmpuint (message->tool_results->len, ==, 2);
  result = g_ptr_array_index (message->tool_results, 0);
  g_assert_cmpstr (result->call_id, ==, "call_big");
  g_assert_false (result->is_error);
  g_assert_cmpuint (strlen (result->content), <, NATTER_TOOL_LOOP_HISTORY_RESULT_MAX + 200);
  g_assert_cmpuint (strlen (result->content), >=, NATTER_TOOL_LOOP_HISTORY_RESULT_MAX);
  assert_contains (result->content, "204800 bytes");
  /* a call that never finished still has an answer, as an error */
  result = g_ptr_array_index (message->tool_results, 1);
  g_assert_true (result->is_error);
  g_assert_cmpstr (result->content, !=, "");
  natter_prompt_message_free (message);

  g_ptr_array_set_size (events, 0);
  g_assert_null (natter_tool_loop_history_message (events));
}

static void
withheld_cb (GObject    *source,
             const char *model,
             char      **out)
{
  g_free (*out);
  *out = g_strdup (model);
}

static void
conversation_withheld_cb (NatterConversation *conv,
                          gint64              chat_id,
                          const char         *model,
                          gint64             *out)
{
  *out = chat_id;
}

/* A model whose known capabilities leave out tools is offered none, and
 * the loop and the conversation say so; one known to take them is. */
static void
test_model_without_tools (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1");
  g_autoptr(NatterToolLoop) loop = NULL;
  g_autoptr(NatterChatStore) store = natter_chat_store_new (f->database);
  g_autoptr(NatterConversation) conv = natter_conversation_new (store, f->client);
  g_autoptr(NatterTestApprover) approver = natter_test_approver_new (NATTER_TOOL_ALLOW_ONCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *withheld = NULL;
  gint64 chat_id, withheld_chat = 0;
  Run run;

  natter_profile_set_settings (profile, "{\"models\":{\"test-model\":{\"tools\":false}}}");
  g_assert_false (natter_tool_loop_model_takes_tools (f->client, profile, NULL));
  g_assert_true (natter_tool_loop_model_takes_tools (f->client, profile, "other-model"));

  loop = make_loop (f, profile, NATTER_TOOL_ALLOW_ONCE, NULL);
  g_signal_connect (loop, "tools-withheld", G_CALLBACK (withheld_cb), &withheld);
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_answer);
  loop_run (loop, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "It is 3 degrees.");
  g_assert_cmpstr (withheld, ==, "test-model");
  g_assert_null (strstr (request_body (f, 0), "\"tools\""));
  run_clear (&run);

  /* in a chat: the conversation says it for the chat */
  chat_id = natter_conversation_new_chat (conv, 0, "Weather", &error);
  g_assert_no_error (error);
  natter_conversation_set_tools (conv, chat_id, NATTER_TOOL_HOST (f->host),
                                 NATTER_TOOL_APPROVER (approver));
  g_signal_connect (conv, "tools-withheld", G_CALLBACK (conversation_withheld_cb), &withheld_chat);
  {
    g_autoptr(NatterRequest) request = natter_conversation_build_request (conv, chat_id, profile,
                                                                          "Again?", NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_null (strstr (g_bytes_get_data (natter_request_get_body (request), NULL), "\"tools\""));
  }
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_answer);
  send_and_wait (conv, chat_id, profile, "Weather in Oslo?");
  g_assert_cmpint (withheld_chat, ==, chat_id);
  g_assert_null (strstr (request_body (f, 1), "\"tools\""));

  /* known to take tools: offered */
  natter_profile_set_settings (profile, "{\"models\":{\"test-model\":{\"tools\":true}}}");
  withheld_chat = 0;
  add_stream (f, "/v1/chat/completions", "text/event-stream", openai_answer);
  send_and_wait (conv, chat_id, profile, "And tomorrow?");
  g_assert_cmpint (withheld_chat, ==, 0);
  assert_contains (request_body (f, 2), "\"tools\":[{\"type\":\"function\"");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      g_autofree char *path = g_strdup_printf ("/natter/tool-loop/approved/%s", dialects[i].name);

      g_test_add (path, Fixture, &dialects[i], fixture_setup, test_dialect_approved, fixture_teardown);
    }
  g_test_add ("/natter/tool-loop/denied", Fixture, NULL, fixture_setup, test_denied, fixture_teardown);
  g_test_add ("/natter/tool-loop/no-approver", Fixture, NULL, fixture_setup, test_no_approver, fixture_teardown);
  g_test_add ("/natter/tool-loop/round-limit", Fixture, NULL, fixture_setup, test_round_limit, fixture_teardown);
  g_test_add ("/natter/tool-loop/timeout", Fixture, NULL, fixture_setup, test_timeout, fixture_teardown);
  g_test_add ("/natter/tool-loop/failures", Fixture, NULL, fixture_setup, test_failures, fixture_teardown);
  g_test_add ("/natter/tool-loop/tool-call-only", Fixture, NULL, fixture_setup, test_tool_call_only, fixture_teardown);
  g_test_add ("/natter/tool-loop/refusals", Fixture, NULL, fixture_setup, test_refusals, fixture_teardown);
  g_test_add ("/natter/tool-loop/structured", Fixture, NULL, fixture_setup, test_structured, fixture_teardown);
  g_test_add ("/natter/tool-loop/text-between-rounds", Fixture, NULL, fixture_setup, test_text_between_rounds, fixture_teardown);
  g_test_add_func ("/natter/tool-loop/events-json", test_events_json);
  g_test_add ("/natter/tool-loop/not-streamed", Fixture, NULL, fixture_setup, test_not_streamed, fixture_teardown);
  g_test_add ("/natter/tool-loop/conversation", Fixture, NULL, fixture_setup, test_conversation, fixture_teardown);
  for (guint i = 0; i < G_N_ELEMENTS (history_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/natter/tool-loop/history/%s", history_cases[i].dialect->name);

      g_test_add (path, Fixture, &history_cases[i], fixture_setup, test_history, fixture_teardown);
    }
  g_test_add_func ("/natter/tool-loop/history-limit", test_history_limit);
  g_test_add ("/natter/tool-loop/model-without-tools", Fixture, NULL, fixture_setup, test_model_without_tools, fixture_teardown);

  return g_test_run ();
}
