/* test-client.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "natter-client.h"
#include "natter-database.h"
#include "natter-fake-provider.h"
#include "natter-profile.h"
#include "natter-request-log.h"
#include "natter-test-util.h"

#define TEST_KEY "sk-test-SECRET-0123456789"

typedef struct
{
  char               *tmpdir;
  NatterDatabase     *database;
  NatterRequestLog   *log;
  NatterClient       *client;
  NatterFakeProvider *fake;
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

  g_setenv ("OPENAI_API_KEY", TEST_KEY, TRUE);
  g_setenv ("ANTHROPIC_API_KEY", TEST_KEY, TRUE);
  g_setenv ("GEMINI_API_KEY", TEST_KEY, TRUE);
  g_setenv ("CO_API_KEY", TEST_KEY, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->fake, natter_fake_provider_free);
  g_clear_object (&f->client);
  g_clear_object (&f->log);
  g_clear_object (&f->database);
  natter_test_tmpdir_free (f->tmpdir);
}

static NatterProfile *
make_profile (Fixture    *f,
              const char *provider_id,
              const char *suffix,
              const char *model)
{
  NatterProfile *profile = natter_profile_new ("Test", provider_id);
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (f->fake), suffix, NULL);

  natter_profile_set_base_url (profile, url);
  natter_profile_set_model (profile, model);
  return profile;
}

/* ------------------------------------------------------------ chat helper */

typedef struct
{
  gboolean          done;
  NatterChatResult *result;
  GError           *error;
  gint64            log_id;
  GString          *text;
  GString          *reasoning;
  guint             n_text;
  gboolean          saw_done_delta;
  GCancellable     *cancel_on_text;
} ChatRun;

static void
on_delta (const NatterDelta *delta,
          gpointer           user_data)
{
  ChatRun *run = user_data;

  if (delta->kind == NATTER_DELTA_TEXT)
    {
      g_string_append_len (run->text, delta->text, delta->len);
      run->n_text++;
      if (run->cancel_on_text != NULL)
        g_cancellable_cancel (run->cancel_on_text);
    }
  else if (delta->kind == NATTER_DELTA_REASONING)
    g_string_append_len (run->reasoning, delta->text, delta->len);
  else if (delta->kind == NATTER_DELTA_DONE)
    run->saw_done_delta = TRUE;
}

static void
chat_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ChatRun *run = user_data;

  run->result = natter_client_chat_finish (NATTER_CLIENT (object), result, &run->log_id,
                                           &run->error);
  run->done = TRUE;
}

static void
chat_run (Fixture       *f,
          NatterProfile *profile,
          gboolean       stream,
          GCancellable  *cancellable,
          ChatRun       *run)
{
  NatterPrompt *prompt = natter_prompt_new ();
  NatterGenParams params;

  memset (run, 0, sizeof *run);
  run->text = g_string_new (NULL);
  run->reasoning = g_string_new (NULL);
  run->cancel_on_text = cancellable;

  natter_gen_params_init (&params);
  params.stream = stream;
  natter_prompt_add (prompt, NATTER_ROLE_SYSTEM, "Be brief.");
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Say hello");
  natter_client_chat_async (f->client, profile, prompt, &params, on_delta, run,
                            cancellable, chat_cb, run);
  natter_prompt_free (prompt);
  natter_gen_params_clear (&params);
  g_assert_true (natter_test_wait_for (&run->done, 10000));
}

static void
chat_run_clear (ChatRun *run)
{
  g_clear_pointer (&run->result, natter_chat_result_free);
  g_clear_error (&run->error);
  g_string_free (run->text, TRUE);
  g_string_free (run->reasoning, TRUE);
}

static void
add_stream_route (Fixture            *f,
                  const char         *method,
                  const char         *path,
                  const char         *content_type,
                  const char * const *chunks)
{
  NatterFakeResponse *response = natter_fake_response_new (200, content_type);

  for (guint i = 0; chunks[i] != NULL; i++)
    natter_fake_response_add_chunk (response, chunks[i], -1, 0);
  natter_fake_provider_add_route (f->fake, method, path, response);
}

/* The log entry of the last exchange: redacted, with the text received. */
static NatterLogEntry *
check_log_entry (Fixture    *f,
                 const char *expected_text)
{
  NatterLogEntry *entry = natter_request_log_get_last (f->log);
  g_autoptr(GBytes) raw = NULL;
  const char *headers;

  g_assert_nonnull (entry);
  headers = natter_log_entry_get_request_headers (entry);
  g_assert_nonnull (headers);
  g_assert_null (strstr (headers, TEST_KEY));
  g_assert_null (strstr (natter_log_entry_get_url (entry), TEST_KEY));
  g_assert_cmpstr (natter_log_entry_get_text (entry), ==, expected_text);
  raw = natter_log_entry_dup_raw (entry);
  g_assert_cmpuint (g_bytes_get_size (raw), >, 0);
  return entry;
}

/* ---------------------------------------------------------- each dialect */

static const char * const openai_chunks[] = {
  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"reasoning_content\":\"Think.\"},\"finish_reason\":null}]}\n\n",
  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n",
  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo \\u00e9\"},\"finish_reason\":null}]}\n\n",
  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
  "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":3,\"total_tokens\":14}}\n\n",
  "data: [DONE]\n\n",
  NULL
};

static void
test_openai_stream (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");
  const NatterFakeRequest *req;
  NatterLogEntry *entry;
  ChatRun run;

  add_stream_route (f, "POST", "/v1/chat/completions", "text/event-stream", openai_chunks);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_nonnull (run.result);
  g_assert_cmpstr (run.text->str, ==, "Hello é");
  g_assert_cmpstr (run.result->text, ==, "Hello é");
  g_assert_cmpstr (run.reasoning->str, ==, "Think.");
  g_assert_cmpstr (run.result->reasoning, ==, "Think.");
  g_assert_cmpstr (run.result->finish_reason, ==, "stop");
  g_assert_cmpint (run.result->input_tokens, ==, 11);
  g_assert_cmpint (run.result->output_tokens, ==, 3);
  g_assert_true (run.saw_done_delta);

  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 1);
  req = natter_fake_provider_get_request (f->fake, 0);
  g_assert_cmpstr (req->method, ==, "POST");
  g_assert_cmpstr (req->path, ==, "/v1/chat/completions");
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "Authorization"), ==,
                   "Bearer " TEST_KEY);
  g_assert_nonnull (strstr (req->body, "\"gpt-test\""));
  g_assert_nonnull (strstr (req->body, "Say hello"));
  g_assert_nonnull (strstr (req->body, "\"stream\":true"));

  entry = check_log_entry (f, "Hello é");
  g_assert_cmpint (run.result->log_entry_id, ==, natter_log_entry_get_id (entry));
  g_assert_cmpint (run.log_id, ==, natter_log_entry_get_id (entry));
  g_assert_cmpint (natter_log_entry_get_state (entry), ==, NATTER_LOG_STATE_DONE);
  g_assert_cmpuint (natter_log_entry_get_status (entry), ==, 200);
  g_assert_nonnull (strstr (natter_log_entry_get_request_headers (entry), "REDACTED"));
  g_assert_cmpint (natter_log_entry_get_output_tokens (entry), ==, 3);
  chat_run_clear (&run);
}

/* Users paste the full endpoint; it still works. */
static void
test_openai_pasted_endpoint (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1/chat/completions/",
                                                   "gpt-test");
  g_autofree char *base_url = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  ChatRun run;

  g_assert_true (natter_client_resolve (f->client, profile, NULL, NULL, &base_url, &error));
  g_assert_no_error (error);
  expected = g_strconcat (natter_fake_provider_get_url (f->fake), "/v1", NULL);
  g_assert_cmpstr (base_url, ==, expected);

  add_stream_route (f, "POST", "/v1/chat/completions", "text/event-stream", openai_chunks);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Hello é");
  chat_run_clear (&run);
}

static void
test_openai_no_stream (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");
  const NatterFakeRequest *req;
  ChatRun run;

  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
    natter_fake_response_new_body (200, "application/json",
      "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-test\","
      "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Whole reply\"},"
      "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}"));
  chat_run (f, profile, FALSE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Whole reply");
  g_assert_cmpint (run.result->output_tokens, ==, 2);
  req = natter_fake_provider_get_request (f->fake, 0);
  g_assert_null (strstr (req->body, "\"stream\":true"));
  check_log_entry (f, "Whole reply");
  chat_run_clear (&run);
}

/* A streaming request answered with 200 and application/json: a server
 * that ignored "stream": true still gives its reply. */
static void
test_stream_answered_with_json (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");
  g_autoptr(NatterProfile) ollama = make_profile (f, "ollama", "", "llama-test");
  ChatRun run;

  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
    natter_fake_response_new_body (200, "application/json; charset=utf-8",
      "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-test\","
      "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Whole reply\"},"
      "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}"));
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.text->str, ==, "Whole reply");
  g_assert_cmpstr (run.result->text, ==, "Whole reply");
  g_assert_cmpstr (run.result->finish_reason, ==, "stop");
  g_assert_cmpint (run.result->output_tokens, ==, 2);
  g_assert_nonnull (strstr (natter_fake_provider_get_request (f->fake, 0)->body, "\"stream\":true"));
  check_log_entry (f, "Whole reply");
  chat_run_clear (&run);

  /* Ollama with stream ignored: one JSON object, application/json. */
  natter_fake_provider_add_route (f->fake, "POST", "/api/chat",
    natter_fake_response_new_body (200, "application/json",
      "{\"model\":\"llama-test\",\"created_at\":\"2026-01-01T00:00:00Z\","
      "\"message\":{\"role\":\"assistant\",\"content\":\"Hi there\"},\"done\":true,"
      "\"done_reason\":\"stop\",\"prompt_eval_count\":7,\"eval_count\":2}"));
  chat_run (f, ollama, TRUE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Hi there");
  chat_run_clear (&run);
}

/* An error object sent with status 200 (and application/json) to a
 * streaming request: the provider's message, a category from its type or
 * code, bad_request when they say nothing known. */
static void
test_stream_answered_with_error_object (Fixture       *f,
                                        gconstpointer  data)
{
  static const struct {
    const char *body;
    gint        category;
    const char *message;
  } cases[] = {
    { "{\"error\":{\"message\":\"You exceeded your quota\",\"type\":\"insufficient_quota\"}}",
      NATTER_ERROR_CATEGORY_RATE_LIMITED, "You exceeded your quota" },
    { "{\"error\":{\"message\":\"Bad key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}",
      NATTER_ERROR_CATEGORY_AUTH, "Bad key" },
    { "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
      NATTER_ERROR_CATEGORY_OVERLOADED, "Overloaded" },
    { "[{\"error\":{\"code\":429,\"message\":\"Quota exceeded for metric\",\"status\":\"RESOURCE_EXHAUSTED\"}}]",
      NATTER_ERROR_CATEGORY_RATE_LIMITED, "Quota exceeded for metric" },
    { "{\"error\":{\"message\":\"Something odd\",\"type\":\"weird_thing\"}}",
      NATTER_ERROR_CATEGORY_BAD_REQUEST, "Something odd" },
    { "{\"error\":\"plain string error\"}",
      NATTER_ERROR_CATEGORY_BAD_REQUEST, "plain string error" },
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NatterLogEntry *entry;
      ChatRun run;

      natter_fake_provider_clear_routes (f->fake);
      natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
                                      natter_fake_response_new_body (200, "application/json",
                                                                     cases[i].body));
      chat_run (f, profile, TRUE, NULL, &run);
      g_assert_error (run.error, NATTER_REQUEST_ERROR, cases[i].category);
      g_assert_cmpstr (run.error->message, ==, cases[i].message);
      g_assert_null (run.result);
      g_assert_cmpstr (run.text->str, ==, "");
      entry = natter_request_log_get_last (f->log);
      g_assert_cmpint (natter_log_entry_get_state (entry), !=, NATTER_LOG_STATE_DONE);
      chat_run_clear (&run);
    }
}

static void
test_anthropic_stream (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const chunks[] = {
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-test\",\"stop_reason\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n",
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Hmm.\"}}\n\n",
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
    "event: ping\ndata: {\"type\": \"ping\"}\n\n",
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo\"}}\n\n",
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":5}}\n\n",
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    NULL
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "anthropic", "", "claude-test");
  const NatterFakeRequest *req;
  ChatRun run;

  add_stream_route (f, "POST", "/v1/messages", "text/event-stream", chunks);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Hello");
  g_assert_cmpstr (run.result->reasoning, ==, "Hmm.");
  g_assert_cmpint (run.result->output_tokens, ==, 5);

  req = natter_fake_provider_get_request (f->fake, 0);
  g_assert_cmpstr (req->path, ==, "/v1/messages");
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "x-api-key"), ==, TEST_KEY);
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "anthropic-version"), ==,
                   "2023-06-01");
  g_assert_nonnull (strstr (req->body, "\"max_tokens\""));
  g_assert_nonnull (strstr (req->body, "\"system\""));
  check_log_entry (f, "Hello");
  chat_run_clear (&run);
}

static void
test_gemini_stream (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const chunks[] = {
    "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n",
    "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":6,\"candidatesTokenCount\":2,\"totalTokenCount\":8}}\r\n\r\n",
    NULL
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "google", "", "gemini-test");
  const NatterFakeRequest *req;
  ChatRun run;

  add_stream_route (f, "POST", "/v1beta/models/*", "text/event-stream", chunks);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Hello");
  g_assert_cmpint (run.result->input_tokens, ==, 6);

  req = natter_fake_provider_get_request (f->fake, 0);
  g_assert_cmpstr (req->path, ==, "/v1beta/models/gemini-test:streamGenerateContent");
  g_assert_cmpstr (req->query, ==, "alt=sse");
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "x-goog-api-key"), ==, TEST_KEY);
  g_assert_nonnull (strstr (req->body, "\"contents\""));
  g_assert_nonnull (strstr (req->body, "\"systemInstruction\""));
  check_log_entry (f, "Hello");
  chat_run_clear (&run);
}

static void
test_ollama_stream (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const chunks[] = {
    "{\"model\":\"llama-test\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}\n",
    "{\"model\":\"llama-test\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"lo\"},\"done\":false}\n",
    "{\"model\":\"llama-test\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":7,\"eval_count\":2}\n",
    NULL
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "ollama", "", "llama-test");
  const NatterFakeRequest *req;
  ChatRun run;

  add_stream_route (f, "POST", "/api/chat", "application/x-ndjson", chunks);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Hello");
  g_assert_cmpint (run.result->output_tokens, ==, 2);
  req = natter_fake_provider_get_request (f->fake, 0);
  g_assert_cmpstr (req->path, ==, "/api/chat");
  g_assert_null (soup_message_headers_get_one (req->headers, "Authorization"));
  g_assert_nonnull (strstr (req->body, "\"llama-test\""));
  check_log_entry (f, "Hello");
  chat_run_clear (&run);
}

static void
test_kobold_stream (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const chunks[] = {
    "event: message\ndata: {\"token\": \"Hel\", \"finish_reason\": null}\n\n",
    "event: message\ndata: {\"token\": \"lo\", \"finish_reason\": \"stop\"}\n\n",
    NULL
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "koboldcpp", "", "kobold-test");
  const NatterFakeRequest *req;
  ChatRun run;

  add_stream_route (f, "POST", "/api/extra/generate/stream", "text/event-stream", chunks);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Hello");
  req = natter_fake_provider_get_request (f->fake, 0);
  g_assert_cmpstr (req->path, ==, "/api/extra/generate/stream");
  g_assert_nonnull (strstr (req->body, "\"prompt\""));
  g_assert_nonnull (strstr (req->body, "Say hello"));
  check_log_entry (f, "Hello");
  chat_run_clear (&run);
}

static void
test_llamacpp_stream (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const chunks[] = {
    "data: {\"content\":\"Hel\",\"stop\":false}\n\n",
    "data: {\"content\":\"lo\",\"stop\":false}\n\n",
    "data: {\"content\":\"\",\"stop\":true,\"stop_type\":\"eos\",\"tokens_predicted\":2,\"tokens_evaluated\":8}\n\n",
    NULL
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "llamacpp", "", "llama-test");
  const NatterFakeRequest *req;
  ChatRun run;

  add_stream_route (f, "POST", "/completion", "text/event-stream", chunks);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Hello");
  req = natter_fake_provider_get_request (f->fake, 0);
  g_assert_cmpstr (req->path, ==, "/completion");
  g_assert_nonnull (strstr (req->body, "\"prompt\""));
  g_assert_nonnull (strstr (req->body, "<|im_start|>"));
  check_log_entry (f, "Hello");
  chat_run_clear (&run);
}

static void
test_openai_text_stream (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const chunks[] = {
    "data: {\"id\":\"t1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"tabby-test\",\"choices\":[{\"index\":0,\"text\":\"Hel\",\"finish_reason\":null}]}\n\n",
    "data: {\"id\":\"t1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"tabby-test\",\"choices\":[{\"index\":0,\"text\":\"lo\",\"finish_reason\":\"stop\"}]}\n\n",
    "data: [DONE]\n\n",
    NULL
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "tabbyapi", "/v1", "tabby-test");
  const NatterFakeRequest *req;
  ChatRun run;

  add_stream_route (f, "POST", "/v1/completions", "text/event-stream", chunks);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Hello");
  req = natter_fake_provider_get_request (f->fake, 0);
  g_assert_cmpstr (req->path, ==, "/v1/completions");
  g_assert_nonnull (strstr (req->body, "\"prompt\""));
  check_log_entry (f, "Hello");
  chat_run_clear (&run);
}

static void
test_cohere_stream (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const chunks[] = {
    "event: message-start\ndata: {\"id\":\"x\",\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":[]}}}\n\n",
    "event: content-start\ndata: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n",
    "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"Hel\"}}}}\n\n",
    "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"lo\"}}}}\n\n",
    "event: content-end\ndata: {\"type\":\"content-end\",\"index\":0}\n\n",
    "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":{\"billed_units\":{\"input_tokens\":5,\"output_tokens\":2},\"tokens\":{\"input_tokens\":5,\"output_tokens\":2}}}}\n\n",
    NULL
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "cohere", "", "command-test");
  const NatterFakeRequest *req;
  ChatRun run;

  add_stream_route (f, "POST", "/v2/chat", "text/event-stream", chunks);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Hello");
  req = natter_fake_provider_get_request (f->fake, 0);
  g_assert_cmpstr (req->path, ==, "/v2/chat");
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "Authorization"), ==,
                   "Bearer " TEST_KEY);
  check_log_entry (f, "Hello");
  chat_run_clear (&run);
}

/* ---------------------------------------------------------------- errors */

static void
check_http_error (Fixture             *f,
                  guint                status,
                  const char          *body,
                  NatterErrorCategory  category,
                  const char          *message_part)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");
  NatterLogEntry *entry;
  ChatRun run;

  natter_fake_provider_clear_routes (f->fake);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
                                  natter_fake_response_new_body (status, "application/json", body));
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_null (run.result);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, (int)category);
  g_assert_nonnull (strstr (run.error->message, message_part));
  g_assert_null (strstr (run.error->message, TEST_KEY));

  entry = natter_request_log_get_last (f->log);
  g_assert_nonnull (entry);
  g_assert_cmpint (natter_log_entry_get_state (entry), ==, NATTER_LOG_STATE_ERROR);
  g_assert_cmpint (natter_log_entry_get_error_category (entry), ==, category);
  g_assert_cmpuint (natter_log_entry_get_status (entry), ==, status);
  chat_run_clear (&run);
}

static void
test_http_errors (Fixture       *f,
                  gconstpointer  data)
{
  check_http_error (f, 401,
                    "{\"error\":{\"message\":\"Incorrect API key provided: sk-test-SECRET-0123456789.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}",
                    NATTER_ERROR_CATEGORY_AUTH, "Incorrect API key provided");
  check_http_error (f, 404,
                    "{\"error\":{\"message\":\"The model `gpt-test` does not exist\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}",
                    NATTER_ERROR_CATEGORY_NOT_FOUND, "does not exist");
  check_http_error (f, 429,
                    "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
                    NATTER_ERROR_CATEGORY_RATE_LIMITED, "Rate limit reached");
  check_http_error (f, 500,
                    "{\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}",
                    NATTER_ERROR_CATEGORY_SERVER, "server had an error");
}

static void
test_anthropic_error_event (Fixture       *f,
                            gconstpointer  data)
{
  static const char * const chunks[] = {
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-test\",\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n",
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Par\"}}\n\n",
    "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
    NULL
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "anthropic", "", "claude-test");
  ChatRun run;

  add_stream_route (f, "POST", "/v1/messages", "text/event-stream", chunks);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_OVERLOADED);
  g_assert_nonnull (strstr (run.error->message, "Overloaded"));
  g_assert_cmpstr (run.text->str, ==, "Par");
  check_log_entry (f, "Par");
  chat_run_clear (&run);
}

static void
test_missing_terminator (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const chunks[] = {
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Partial\"},\"finish_reason\":null}]}\n\n",
    NULL
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");
  NatterLogEntry *entry;
  ChatRun run;

  add_stream_route (f, "POST", "/v1/chat/completions", "text/event-stream", chunks);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
  g_assert_cmpstr (run.text->str, ==, "Partial");
  entry = check_log_entry (f, "Partial");
  g_assert_cmpint (natter_log_entry_get_error_category (entry), ==, NATTER_ERROR_CATEGORY_PROTOCOL);
  chat_run_clear (&run);
}

static void
test_dropped_connection (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  NatterLogEntry *entry;
  ChatRun run;

  g_autofree char *cut = g_strndup (openai_chunks[2], 30);
  g_autofree char *second = g_strconcat (openai_chunks[1], cut, NULL);

  /* The connection breaks inside an event: a network error (a cut between
   * events looks like a clean end to HTTP and is the missing-terminator
   * case above). */
  natter_fake_response_add_chunk (response, openai_chunks[0], -1, 0);
  natter_fake_response_add_chunk (response, second, -1, 0);
  natter_fake_response_add_chunk (response, openai_chunks[2] + 30, -1, 0);
  natter_fake_response_set_drop_after (response, 2);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", response);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK);
  g_assert_cmpstr (run.text->str, ==, "Hel");
  entry = check_log_entry (f, "Hel");
  g_assert_cmpint (natter_log_entry_get_error_category (entry), ==, NATTER_ERROR_CATEGORY_NETWORK);
  chat_run_clear (&run);
}

/* A server that streams one endless line: a protocol error at 8 MiB, the
 * text received before it kept (reply so far and log). */
static void
test_oversized_event (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  g_autofree char *chunk = g_malloc0 (64 * 1024 + 1);
  NatterLogEntry *entry;
  ChatRun run;

  memset (chunk, 'x', 64 * 1024);
  natter_fake_response_add_chunk (response, openai_chunks[0], -1, 0);
  natter_fake_response_add_chunk (response, openai_chunks[1], -1, 0);
  natter_fake_response_add_chunk (response, "data: {\"choices\":[{\"delta\":{\"content\":\"", -1, 0);
  natter_fake_response_add_repeat (response, chunk, 200);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", response);
  chat_run (f, profile, TRUE, NULL, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
  g_assert_cmpstr (run.error->message, ==, "The server sent an event larger than 8 MiB");
  g_assert_cmpstr (run.text->str, ==, "Hel");
  entry = check_log_entry (f, "Hel");
  g_assert_cmpint (natter_log_entry_get_error_category (entry), ==, NATTER_ERROR_CATEGORY_PROTOCOL);
  chat_run_clear (&run);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  NatterLogEntry *entry;
  ChatRun run;

  for (guint i = 0; openai_chunks[i] != NULL; i++)
    natter_fake_response_add_chunk (response, openai_chunks[i], -1, 0);
  natter_fake_response_set_stall_after (response, 2);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", response);
  chat_run (f, profile, TRUE, cancellable, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED);
  g_assert_cmpstr (run.text->str, ==, "Hel");
  entry = natter_request_log_get_last (f->log);
  g_assert_cmpint (natter_log_entry_get_state (entry), ==, NATTER_LOG_STATE_CANCELLED);
  chat_run_clear (&run);
}

/* ---------------------------------------------------- keys and resolving */

typedef struct
{
  gboolean        done;
  NatterKeySource source;
} KeySourceRun;

static void
key_source_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  KeySourceRun *run = user_data;

  run->source = natter_client_key_source_finish (NATTER_CLIENT (object), result, NULL);
  run->done = TRUE;
}

static void
test_env_key (Fixture       *f,
              gconstpointer  data)
{
  KeySourceRun async_run = { 0 };
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");
  g_autoptr(NatterProfile) local = make_profile (f, "ollama", "", "llama-test");
  g_autoptr(NatterRequest) redacted = NULL;
  g_autoptr(NatterRequest) real = NULL;
  g_autoptr(GError) error = NULL;
  NatterPrompt *prompt = natter_prompt_new ();

  natter_prompt_add (prompt, NATTER_ROLE_USER, "Hi");

  g_assert_cmpint (natter_client_key_source (f->client, profile), ==,
                   NATTER_KEY_SOURCE_ENVIRONMENT);
  g_assert_cmpint (natter_client_key_source (f->client, local), ==, NATTER_KEY_SOURCE_NONE);

  real = natter_client_build_request (f->client, profile, prompt, NULL, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (natter_request_is_frozen (real));
  g_assert_cmpstr (natter_request_get_header (real, "Authorization"), ==, "Bearer " TEST_KEY);

  redacted = natter_client_build_request (f->client, profile, prompt, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_request_get_header (redacted, "Authorization"), ==, "Bearer REDACTED");

  natter_client_key_source_async (f->client, profile, NULL, key_source_cb, &async_run);
  g_assert_true (natter_test_wait_for (&async_run.done, 5000));
  g_assert_cmpint (async_run.source, ==, NATTER_KEY_SOURCE_ENVIRONMENT);

  g_unsetenv ("OPENAI_API_KEY");
  g_assert_cmpint (natter_client_key_source (f->client, profile), ==, NATTER_KEY_SOURCE_NONE);
  memset (&async_run, 0, sizeof async_run);
  natter_client_key_source_async (f->client, profile, NULL, key_source_cb, &async_run);
  g_assert_true (natter_test_wait_for (&async_run.done, 5000));
  g_assert_cmpint (async_run.source, ==, NATTER_KEY_SOURCE_NONE);

  /* OpenAI requires a key: without one nothing is sent. */
  g_assert_null (natter_client_build_request (f->client, profile, prompt, NULL, TRUE, &error));
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, TEST_KEY));
  natter_prompt_free (prompt);
}

static void
test_unsupported_provider (Fixture       *f,
                           gconstpointer  data)
{
  /* Every shipped provider is supported now: a catalog with one that is
   * not stands in. */
  static const char catalog_json[] =
    "{\"providers\": [{\"id\": \"someday\", \"name\": \"Someday AI\", \"dialect\": \"someday\","
    " \"default_url\": \"https://someday.invalid\", \"auth\": \"bearer\", \"key_required\": false,"
    " \"key_env\": [], \"lists_models\": false, \"builtin_models\": [\"m\"], \"default_model\": \"m\","
    " \"capabilities\": [\"streaming\"], \"supported\": false, \"local\": false, \"context_size\": 0}]}";
  g_autoptr(NatterCatalog) catalog = natter_catalog_new_from_data (catalog_json, -1, NULL);
  g_autoptr(NatterProfile) vertex = natter_profile_new ("V", "someday");
  g_autoptr(NatterProfile) unknown = natter_profile_new ("U", "no-such-provider");
  g_autoptr(GError) error = NULL;
  ChatRun run;

  g_assert_nonnull (catalog);
  natter_client_set_catalog (f->client, catalog);

  /* Found before anything is sent: local errors, not the provider's. */
  g_assert_false (natter_client_resolve (f->client, vertex, NULL, NULL, NULL, &error));
  g_assert_error (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "not supported yet"));
  g_clear_error (&error);

  g_assert_false (natter_client_resolve (f->client, unknown, NULL, NULL, NULL, &error));
  g_assert_error (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_UNKNOWN_PROVIDER);
  g_assert_nonnull (strstr (error->message, "no-such-provider"));

  g_clear_error (&error);

  natter_client_set_catalog (f->client, natter_catalog_get_default ());
  {
    g_autoptr(NatterProfile) custom = natter_profile_new ("C", "custom");
    g_autofree char *base_url = NULL;

    /* "custom" has no default address: a clear error, not a request. */
    g_assert_false (natter_client_resolve (f->client, custom, NULL, NULL, &base_url, &error));
    g_assert_error (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_NO_URL);
    g_assert_null (base_url);
    g_clear_error (&error);
    g_assert_false (natter_client_check_profile (f->client, custom, "m", &error));
    g_assert_error (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_NO_URL);
    g_clear_error (&error);
  }

  natter_client_set_catalog (f->client, catalog);
  natter_profile_set_model (vertex, "gemini");
  chat_run (f, vertex, TRUE, NULL, &run);
  g_assert_error (run.error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_UNSUPPORTED);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 0);
  chat_run_clear (&run);
}

/* No model: a local error naming the profile, nothing sent, nothing
 * logged. A missing required key stays an auth error. */
static void
test_local_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(NatterProfile) local = make_profile (f, "custom", "/v1", "");
  g_autoptr(NatterProfile) keyless = make_profile (f, "openai", "/v1", "gpt-test");
  g_autoptr(GError) error = NULL;
  ChatRun run;

  natter_profile_set_name (local, "local");
  g_assert_false (natter_client_check_profile (f->client, local, NULL, &error));
  g_assert_error (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_NO_MODEL);
  g_assert_cmpstr (error->message, ==, "Profile “local” has no model: choose one");
  g_clear_error (&error);
  /* A model given for the call is enough. */
  g_assert_true (natter_client_check_profile (f->client, local, "m", &error));
  g_assert_no_error (error);

  chat_run (f, local, TRUE, NULL, &run);
  g_assert_error (run.error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_NO_MODEL);
  g_assert_cmpstr (run.error->message, ==, "Profile “local” has no model: choose one");
  chat_run_clear (&run);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 0);
  g_assert_null (natter_request_log_get_last (f->log));

  g_unsetenv ("OPENAI_API_KEY");
  g_assert_true (natter_client_check_profile (f->client, keyless, NULL, &error));
  chat_run (f, keyless, TRUE, NULL, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_nonnull (strstr (run.error->message, "needs an API key"));
  chat_run_clear (&run);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 0);
}

/* ---------------------------------------------------------------- models */

typedef struct
{
  gboolean   done;
  GPtrArray *models;
  gboolean   ok;
  GError    *error;
} ModelsRun;

static void
models_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ModelsRun *run = user_data;

  run->models = natter_client_list_models_finish (NATTER_CLIENT (object), result, &run->error);
  run->done = TRUE;
}

static void
test_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ModelsRun *run = user_data;

  run->ok = natter_client_test_finish (NATTER_CLIENT (object), result, &run->error);
  run->done = TRUE;
}

static void
test_list_models_paged (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "anthropic", "", "claude-test");
  const char *custom[] = { "my-model", "claude-a", NULL };
  const NatterFakeRequest *req;
  ModelsRun run = { 0 };

  natter_profile_set_custom_models (profile, custom);
  natter_fake_provider_add_route (f->fake, "GET", "/v1/models",
    natter_fake_response_new_body (200, "application/json",
      "{\"data\":[{\"type\":\"model\",\"id\":\"claude-b\",\"display_name\":\"Claude B\",\"created_at\":\"2025-01-01T00:00:00Z\"}],"
      "\"has_more\":true,\"first_id\":\"claude-b\",\"last_id\":\"claude-b\"}"));
  natter_fake_provider_add_route (f->fake, "GET", "/v1/models",
    natter_fake_response_new_body (200, "application/json",
      "{\"data\":[{\"type\":\"model\",\"id\":\"claude-a\",\"display_name\":\"Claude A\",\"created_at\":\"2025-01-01T00:00:00Z\"}],"
      "\"has_more\":false,\"first_id\":\"claude-a\",\"last_id\":\"claude-a\"}"));

  natter_client_list_models_async (f->client, profile, NULL, models_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.models->len, ==, 3);
  g_assert_cmpstr (((NatterModelInfo *)run.models->pdata[0])->id, ==, "claude-a");
  g_assert_cmpstr (((NatterModelInfo *)run.models->pdata[0])->display_name, ==, "Claude A");
  g_assert_cmpstr (((NatterModelInfo *)run.models->pdata[1])->id, ==, "claude-b");
  g_assert_cmpstr (((NatterModelInfo *)run.models->pdata[2])->id, ==, "my-model");

  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 2);
  req = natter_fake_provider_get_request (f->fake, 1);
  g_assert_nonnull (req->query);
  g_assert_nonnull (strstr (req->query, "after_id=claude-b"));
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "x-api-key"), ==, TEST_KEY);
  g_ptr_array_unref (run.models);
}

static void
test_list_models_error (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");
  ModelsRun run = { 0 };

  natter_fake_provider_add_route (f->fake, "GET", "/v1/models",
    natter_fake_response_new_body (401, "application/json",
      "{\"error\":{\"message\":\"Invalid key here\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
  natter_client_list_models_async (f->client, profile, NULL, models_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_null (run.models);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_nonnull (strstr (run.error->message, "Invalid key here"));
  g_clear_error (&run.error);
}

static void
test_list_models_builtin (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "zai", "", "glm-4.6");
  const char *custom[] = { "zzz-custom", NULL };
  ModelsRun run = { 0 };
  gboolean has_custom = FALSE;

  natter_profile_set_custom_models (profile, custom);
  natter_client_list_models_async (f->client, profile, NULL, models_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.models->len, >, 1);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 0);
  for (guint i = 0; i < run.models->len; i++)
    {
      if (i > 0)
        g_assert_cmpint (g_strcmp0 (((NatterModelInfo *)run.models->pdata[i - 1])->id,
                                    ((NatterModelInfo *)run.models->pdata[i])->id), <, 0);
      has_custom |= g_str_equal (((NatterModelInfo *)run.models->pdata[i])->id, "zzz-custom");
    }
  g_assert_true (has_custom);
  g_ptr_array_unref (run.models);
}

static void
test_connection (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test");
  g_autoptr(NatterProfile) zai = make_profile (f, "zai", "", "glm-4.6");
  ModelsRun run = { 0 };
  const NatterFakeRequest *req;

  natter_fake_provider_add_route (f->fake, "GET", "/v1/models",
    natter_fake_response_new_body (200, "application/json",
      "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-test\",\"object\":\"model\",\"created\":1,\"owned_by\":\"me\"}]}"));
  natter_fake_provider_add_route (f->fake, "GET", "/v1/models",
    natter_fake_response_new_body (503, "application/json",
      "{\"error\":{\"message\":\"Engine overloaded, retry\",\"type\":\"server_error\"}}"));

  natter_client_test_async (f->client, profile, NULL, test_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_true (run.ok);

  memset (&run, 0, sizeof run);
  natter_client_test_async (f->client, profile, NULL, test_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_false (run.ok);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_OVERLOADED);
  g_assert_nonnull (strstr (run.error->message, "Engine overloaded"));
  g_clear_error (&run.error);

  /* No list endpoint: a one-token chat. */
  natter_fake_provider_add_route (f->fake, "POST", "/chat/completions",
    natter_fake_response_new_body (200, "application/json",
      "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"glm-4.6\","
      "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"H\"},\"finish_reason\":\"length\"}]}"));
  g_setenv ("ZAI_API_KEY", TEST_KEY, TRUE);
  memset (&run, 0, sizeof run);
  natter_client_test_async (f->client, zai, NULL, test_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  req = natter_fake_provider_get_request (f->fake, natter_fake_provider_get_n_requests (f->fake) - 1);
  g_assert_cmpstr (req->path, ==, "/chat/completions");
  g_assert_true (strstr (req->body, "\"max_tokens\":1") != NULL ||
                 strstr (req->body, "\"max_completion_tokens\":1") != NULL);
}

/* ----------------------------------------------------------------- probe */

typedef struct
{
  gboolean done;
  GStrv    ids;
} ProbeRun;

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  ProbeRun *run = user_data;

  run->ids = natter_client_probe_local_finish (NATTER_CLIENT (object), result, NULL);
  run->done = TRUE;
}

static void
test_probe_local (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(NatterFakeProvider) ollama = NULL;
  g_autoptr(GError) error = NULL;
  ProbeRun run = { 0 };
  int offset;

  /* Find an offset at which the fake can take ollama's port. */
  for (offset = 20000; offset < 40000 && ollama == NULL; offset += 997)
    {
      g_clear_error (&error);
      ollama = natter_fake_provider_new_on_port (11434 + offset, &error);
    }
  g_assert_nonnull (ollama);
  offset -= 997;
  natter_fake_provider_add_route (ollama, "GET", "/api/tags",
    natter_fake_response_new_body (200, "application/json", "{\"models\":[]}"));

  natter_client_probe_local_async (f->client, "127.0.0.1", offset, NULL, probe_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 5000));
  g_assert_nonnull (run.ids);
  g_assert_cmpuint (g_strv_length (run.ids), ==, 1);
  g_assert_cmpstr (run.ids[0], ==, "ollama");
  g_strfreev (run.ids);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* The keyring is not used here (unsaved profiles have no uuid). */
  g_unsetenv ("NATTER_PROBE_HOST");
  g_unsetenv ("NATTER_PROBE_PORT_OFFSET");

#define ADD(path, func) \
  g_test_add ("/natter/client/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("openai-stream", test_openai_stream);
  ADD ("openai-pasted-endpoint", test_openai_pasted_endpoint);
  ADD ("openai-no-stream", test_openai_no_stream);
  ADD ("stream-answered-with-json", test_stream_answered_with_json);
  ADD ("stream-answered-with-error-object", test_stream_answered_with_error_object);
  ADD ("anthropic-stream", test_anthropic_stream);
  ADD ("gemini-stream", test_gemini_stream);
  ADD ("ollama-stream", test_ollama_stream);
  ADD ("kobold-stream", test_kobold_stream);
  ADD ("llamacpp-stream", test_llamacpp_stream);
  ADD ("openai-text-stream", test_openai_text_stream);
  ADD ("cohere-stream", test_cohere_stream);
  ADD ("http-errors", test_http_errors);
  ADD ("anthropic-error-event", test_anthropic_error_event);
  ADD ("missing-terminator", test_missing_terminator);
  ADD ("dropped-connection", test_dropped_connection);
  ADD ("oversized-event", test_oversized_event);
  ADD ("cancel", test_cancel);
  ADD ("env-key", test_env_key);
  ADD ("unsupported-provider", test_unsupported_provider);
  ADD ("local-errors", test_local_errors);
  ADD ("list-models-paged", test_list_models_paged);
  ADD ("list-models-error", test_list_models_error);
  ADD ("list-models-builtin", test_list_models_builtin);
  ADD ("test-connection", test_connection);
  ADD ("probe-local", test_probe_local);

#undef ADD

  return g_test_run ();
}
