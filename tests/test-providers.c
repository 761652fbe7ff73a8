/* test-providers.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Provider features over loopback fakes that speak each provider's wire
 * format: typed content parts, a bare final [DONE], Anthropic prompt
 * caching, OpenRouter's request fields and cost, the Z.AI coding plan,
 * custom headers, credits, model metadata and the cost of each exchange. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-account.h"
#include "natter-anthropic-cache.h"
#include "natter-catalog.h"
#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-conversation.h"
#include "natter-database.h"
#include "natter-dialects-private.h"
#include "natter-fake-provider.h"
#include "natter-headers.h"
#include "natter-model-settings.h"
#include "natter-openrouter-signin.h"
#include "natter-profile.h"
#include "natter-request-log.h"
#include "natter-test-util.h"
#include "natter-usage-store.h"

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
  g_setenv ("MISTRAL_API_KEY", TEST_KEY, TRUE);
  g_setenv ("OPENROUTER_API_KEY", TEST_KEY, TRUE);
  g_setenv ("ZAI_API_KEY", TEST_KEY, TRUE);
  g_setenv ("NANOGPT_API_KEY", TEST_KEY, TRUE);
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
              const char *model,
              const char *settings)
{
  NatterProfile *profile = natter_profile_new ("Test", provider_id);
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (f->fake), suffix, NULL);

  natter_profile_set_base_url (profile, url);
  natter_profile_set_model (profile, model);
  if (settings != NULL)
    natter_profile_set_settings (profile, settings);
  return profile;
}

typedef struct
{
  gboolean          done;
  NatterChatResult *result;
  GError           *error;
  gint64            log_id;
} ChatRun;

static void
chat_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ChatRun *run = user_data;

  run->result = natter_client_chat_finish (NATTER_CLIENT (object), result, &run->log_id, &run->error);
  run->done = TRUE;
}

static NatterPrompt *
make_prompt (void)
{
  NatterPrompt *prompt = natter_prompt_new ();

  natter_prompt_add (prompt, NATTER_ROLE_SYSTEM, "Be brief.");
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Hello");
  natter_prompt_add (prompt, NATTER_ROLE_ASSISTANT, "Hi! How can I help?");
  natter_prompt_add (prompt, NATTER_ROLE_USER, "What is the capital of France?");
  return prompt;
}

static void
chat_run (Fixture       *f,
          NatterProfile *profile,
          ChatRun       *run)
{
  NatterPrompt *prompt = make_prompt ();
  NatterGenParams params;

  memset (run, 0, sizeof *run);
  natter_gen_params_init (&params);
  natter_client_chat_async (f->client, profile, prompt, &params, NULL, NULL, NULL, chat_cb, run);
  natter_prompt_free (prompt);
  natter_gen_params_clear (&params);
  g_assert_true (natter_test_wait_for (&run->done, 10000));
}

static void
chat_run_clear (ChatRun *run)
{
  g_clear_pointer (&run->result, natter_chat_result_free);
  g_clear_error (&run->error);
}

static void
add_body_route (Fixture    *f,
                const char *path,
                const char *content_type,
                const char *body)
{
  natter_fake_provider_add_route (f->fake, NULL, path,
                                  natter_fake_response_new_body (200, content_type, body));
}

static JsonObject *
request_body (Fixture *f,
              guint    i)
{
  const NatterFakeRequest *req = natter_fake_provider_get_request (f->fake, i);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, req->body, req->body_len, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
member_json (JsonObject *object,
             const char *name)
{
  if (!json_object_has_member (object, name))
    return NULL;
  return json_to_string (json_object_get_member (object, name), FALSE);
}

/* ------------------------------------------------------ typed content */

static void
test_mistral_typed_parts (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = natter_test_fixture_path ("providers/mistral-magistral-stream.sse");
  g_autofree char *stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfile) profile = make_profile (f, "mistral", "/v1", "magistral-medium-2509", NULL);
  NatterFakeResponse *response;
  g_auto(GStrv) events = NULL;
  ChatRun run;

  g_file_get_contents (path, &stream, NULL, &error);
  g_assert_no_error (error);

  /* Sent as the server cut it: one event per chunk. */
  response = natter_fake_response_new (200, "text/event-stream");
  events = g_strsplit (stream, "\n\n", -1);
  for (guint i = 0; events[i] != NULL; i++)
    if (*events[i] != '\0')
      {
        g_autofree char *chunk = g_strconcat (events[i], "\n\n", NULL);

        natter_fake_response_add_chunk (response, chunk, -1, 0);
      }
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", response);

  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "The capital of France is **Paris**.");
  g_assert_cmpstr (run.result->reasoning, ==, "The user asks for the capital of France. That is Paris.");
  g_assert_cmpstr (run.result->finish_reason, ==, "stop");
  g_assert_cmpint (run.result->input_tokens, ==, 12);
  g_assert_cmpint (run.result->output_tokens, ==, 46);
  chat_run_clear (&run);
}

static void
test_array_content (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "custom", "/v1", "m", NULL);
  ChatRun run;

  add_body_route (f, "/v1/chat/completions", "text/event-stream",
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"Hel\"}]}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}},{\"type\":\"text\",\"text\":\"lo\"}]}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"hmm\"},{\"type\":\"reasoning.encrypted\",\"data\":\"zz\"}]},\"finish_reason\":\"stop\"}]}\n\n"
                  "data: [DONE]\n\n");
  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Hello");
  g_assert_cmpstr (run.result->reasoning, ==, "hmm");
  chat_run_clear (&run);
}

/* -------------------------------------------------------- bare [DONE] */

static void
test_bare_done (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "custom", "/v1", "m", NULL);
  ChatRun run;

  /* After a finish reason: complete, with or without the last line end. */
  add_body_route (f, "/v1/chat/completions", "text/event-stream",
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Done.\"},\"finish_reason\":\"stop\"}]}\n\n"
                  "data: [DONE]\n");
  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Done.");
  chat_run_clear (&run);

  natter_fake_provider_clear_routes (f->fake);
  add_body_route (f, "/v1/chat/completions", "text/event-stream",
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Done.\"},\"finish_reason\":\"stop\"}]}\n\n"
                  "data: [DONE]");
  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Done.");
  chat_run_clear (&run);

  /* Without a finish reason it is still a cut stream. */
  natter_fake_provider_clear_routes (f->fake);
  add_body_route (f, "/v1/chat/completions", "text/event-stream",
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Do\"}}]}\n\n"
                  "data: [DONE]");
  chat_run (f, profile, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK);
  chat_run_clear (&run);

  /* A half event that is not [DONE] stays a network error. */
  natter_fake_provider_clear_routes (f->fake);
  add_body_route (f, "/v1/chat/completions", "text/event-stream",
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Do\"},\"finish_reason\":\"stop\"}]}\n\n"
                  "data: {\"choices\":");
  chat_run (f, profile, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK);
  chat_run_clear (&run);
}

/* ------------------------------------------------ Anthropic prompt cache */

static const char anthropic_stream[] =
  "event: message_start\n"
  "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":1500,\"cache_read_input_tokens\":3000,\"output_tokens\":1}}}\n\n"
  "event: content_block_start\n"
  "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
  "event: content_block_delta\n"
  "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Paris.\"}}\n\n"
  "event: content_block_stop\n"
  "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
  "event: message_delta\n"
  "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":400}}\n\n"
  "event: message_stop\n"
  "data: {\"type\":\"message_stop\"}\n\n";

/* The expected placement for each combination, checked member by member
 * against the body the fake received. */
static void
check_cache_body (JsonObject                *body,
                  const NatterCacheSettings *cache)
{
  const char *control = cache->one_hour ? "{\"type\":\"ephemeral\",\"ttl\":\"1h\"}"
                                        : "{\"type\":\"ephemeral\"}";
  gboolean automatic = cache->enabled &&
                       (cache->automatic || !(cache->tools || cache->system || cache->prefix));
  g_autofree char *top = member_json (body, "cache_control");
  g_autofree char *system = member_json (body, "system");
  g_autofree char *messages = member_json (body, "messages");
  g_autofree char *expected_system = NULL;
  g_autofree char *expected_messages = NULL;

  if (automatic)
    g_assert_cmpstr (top, ==, control);
  else
    g_assert_null (top);

  if (cache->enabled && cache->system)
    expected_system = g_strdup_printf ("[{\"type\":\"text\",\"text\":\"Be brief.\",\"cache_control\":%s}]", control);
  else
    expected_system = g_strdup ("\"Be brief.\"");
  g_assert_cmpstr (system, ==, expected_system);

  if (cache->enabled && cache->prefix)
    expected_messages = g_strdup_printf ("[{\"role\":\"user\",\"content\":\"Hello\"},"
                                         "{\"role\":\"assistant\",\"content\":\"Hi! How can I help?\"},"
                                         "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is the capital of France?\",\"cache_control\":%s}]}]",
                                         control);
  else
    expected_messages = g_strdup ("[{\"role\":\"user\",\"content\":\"Hello\"},"
                                  "{\"role\":\"assistant\",\"content\":\"Hi! How can I help?\"},"
                                  "{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]");
  g_assert_cmpstr (messages, ==, expected_messages);
}

static void
test_anthropic_cache_placement (Fixture       *f,
                                gconstpointer  data)
{
  guint n = 0;

  add_body_route (f, "/v1/messages", "text/event-stream", anthropic_stream);

  /* Every combination of enabled, TTL, automatic and the three breakpoints. */
  for (guint bits = 0; bits < 64; bits++)
    {
      NatterCacheSettings cache = { 0 };
      g_autoptr(JsonObject) settings = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      g_autoptr(NatterProfile) profile = NULL;
      g_autoptr(JsonObject) body = NULL;
      const NatterFakeRequest *req;
      ChatRun run;

      cache.enabled = (bits & 1) != 0;
      cache.one_hour = (bits & 2) != 0;
      cache.automatic = (bits & 4) != 0;
      cache.tools = (bits & 8) != 0;
      cache.system = (bits & 16) != 0;
      cache.prefix = (bits & 32) != 0;
      natter_cache_settings_save (&cache, settings);
      node = json_node_init_object (json_node_alloc (), settings);
      text = json_to_string (node, FALSE);

      profile = make_profile (f, "anthropic", "", "claude-sonnet-4-5", text);
      chat_run (f, profile, &run);
      g_assert_no_error (run.error);
      chat_run_clear (&run);

      req = natter_fake_provider_get_request (f->fake, n);
      g_assert_null (strstr (req->body, "\"cache_control\":{}"));
      g_assert_cmpstr (soup_message_headers_get_one (req->headers, "anthropic-beta"), ==,
                       cache.enabled && cache.one_hour ? "extended-cache-ttl-2025-04-11" : NULL);
      body = request_body (f, n++);
      check_cache_body (body, &cache);
    }
}

static void
test_anthropic_cache_tools (void)
{
  NatterCacheSettings cache = { .enabled = TRUE, .tools = TRUE };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *body;

  json_parser_load_from_data (parser,
                              "{\"tools\":[{\"name\":\"a\",\"input_schema\":{}},{\"name\":\"b\",\"input_schema\":{}}],"
                              "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", -1, &error);
  g_assert_no_error (error);
  body = json_node_get_object (json_parser_get_root (parser));
  _natter_anthropic_apply_cache (body, &cache);
  text = json_to_string (json_parser_get_root (parser), FALSE);
  g_assert_cmpstr (text, ==,
                   "{\"tools\":[{\"name\":\"a\",\"input_schema\":{}},"
                   "{\"name\":\"b\",\"input_schema\":{},\"cache_control\":{\"type\":\"ephemeral\"}}],"
                   "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
}

static void
test_anthropic_cache_summary (void)
{
  NatterCacheSettings cache = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *summary2 = NULL;
  g_autofree char *summary3 = NULL;

  g_assert_null (natter_cache_settings_summary (&cache));
  g_assert_true (natter_cache_settings_parse (&cache, "5m", NULL, &error));
  summary = natter_cache_settings_summary (&cache);
  g_assert_cmpstr (summary, ==, "Cache 5m • auto");
  g_assert_true (natter_cache_settings_parse (&cache, "auto", "system", &error));
  summary2 = natter_cache_settings_summary (&cache);
  g_assert_cmpstr (summary2, ==, "Cache 5m • auto + system");
  g_assert_true (natter_cache_settings_parse (&cache, "1h", "system,tools,prefix", &error));
  summary3 = natter_cache_settings_summary (&cache);
  g_assert_cmpstr (summary3, ==, "Cache 1h • tools + system + prefix");
  g_assert_false (natter_cache_settings_parse (&cache, "2h", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (natter_cache_settings_parse (&cache, NULL, "system,everything", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_anthropic_cache_prefix_changed (void)
{
  const char *first =
    "{\"system\":[{\"type\":\"text\",\"text\":\"Now is 10:00\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
    "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}";
  const char *same =
    "{\"system\":[{\"type\":\"text\",\"text\":\"Now is 10:00\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
    "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"},"
    "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"More\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]}";
  const char *time_changed =
    "{\"system\":[{\"type\":\"text\",\"text\":\"Now is 10:01\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
    "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"},"
    "{\"role\":\"user\",\"content\":\"More\"}]}";
  const char *history_edited =
    "{\"system\":[{\"type\":\"text\",\"text\":\"Now is 10:00\"}],"
    "\"messages\":[{\"role\":\"user\",\"content\":\"Hey\"},{\"role\":\"assistant\",\"content\":\"Hello\"}]}";

  g_assert_false (natter_anthropic_cache_prefix_changed (first, same));
  g_assert_true (natter_anthropic_cache_prefix_changed (first, time_changed));
  g_assert_true (natter_anthropic_cache_prefix_changed (first, history_edited));
  /* Nothing cached before: nothing to warn about. */
  g_assert_false (natter_anthropic_cache_prefix_changed ("{\"messages\":[]}", time_changed));
  g_assert_false (natter_anthropic_cache_prefix_changed ("not json", same));
}

static gint64
count_usage_rows (Fixture *f)
{
  g_autoptr(GPtrArray) totals = natter_usage_store_totals (f->database, NATTER_USAGE_BY_CONNECTION, 0, NULL);
  gint64 n = 0;

  for (guint i = 0; totals != NULL && i < totals->len; i++)
    n += ((NatterUsageTotal *) g_ptr_array_index (totals, i))->exchanges;
  return n;
}

static void
test_anthropic_cache_usage_priced (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = NULL;
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) totals = NULL;
  g_autofree char *text = NULL;
  NatterUsageTotal *total;
  ChatRun run;

  /* Sonnet's list prices per million: 3 in, 15 out, 3.75 cache write, 0.30 cache read. */
  g_assert_true (natter_model_settings_set (settings, "claude-sonnet-4-5", "input_price", "3", &error));
  g_assert_true (natter_model_settings_set (settings, "claude-sonnet-4-5", "output_price", "15", &error));
  g_assert_true (natter_model_settings_set (settings, "claude-sonnet-4-5", "cache_write_price", "3.75", &error));
  g_assert_true (natter_model_settings_set (settings, "claude-sonnet-4-5", "cache_read_price", "0.30", &error));
  node = json_node_init_object (json_node_alloc (), settings);
  text = json_to_string (node, FALSE);
  profile = make_profile (f, "anthropic", "", "claude-sonnet-4-5", text);

  add_body_route (f, "/v1/messages", "text/event-stream", anthropic_stream);
  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Paris.");
  g_assert_cmpint (run.result->input_tokens, ==, 20 + 1500 + 3000);
  g_assert_cmpint (run.result->cache_write_tokens, ==, 1500);
  g_assert_cmpint (run.result->cache_read_tokens, ==, 3000);
  g_assert_cmpint (run.result->output_tokens, ==, 400);
  /* 20 × 3 + 1500 × 3.75 + 3000 × 0.30 + 400 × 15 = 12585 per million. */
  g_assert_cmpfloat_with_epsilon (run.result->cost, 0.012585, 1e-9);
  chat_run_clear (&run);

  /* Prices change afterwards: the recorded cost does not. */
  g_assert_true (natter_model_settings_set (settings, "claude-sonnet-4-5", "output_price", "150", &error));
  g_free (text);
  text = json_to_string (node, FALSE);
  natter_profile_set_settings (profile, text);

  totals = natter_usage_store_totals (f->database, NATTER_USAGE_BY_CONNECTION, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (totals->len, ==, 1);
  total = g_ptr_array_index (totals, 0);
  g_assert_cmpstr (total->key, ==, "Test");
  g_assert_cmpint (total->exchanges, ==, 1);
  g_assert_cmpint (total->cache_read_tokens, ==, 3000);
  g_assert_cmpint (total->cache_write_tokens, ==, 1500);
  g_assert_cmpfloat_with_epsilon (total->cost, 0.012585, 1e-9);
  g_assert_cmpint (total->unpriced, ==, 0);
}

/* ------------------------------------------------------------ OpenRouter */

static void
test_openrouter_fields (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openrouter", "/api/v1", "anthropic/claude-sonnet-4.5",
    "{\"openrouter\":{\"sort\":\"throughput\",\"order\":[\"anthropic\",\"google-vertex\"],"
    "\"only\":[\"anthropic\"],\"ignore\":[\"deepinfra\"],\"allow_fallbacks\":false,"
    "\"quantizations\":[\"fp8\"],\"data_collection\":\"deny\","
    "\"plugins\":[\"web\",\"healing\",\"middle-out\"]}}");
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *plugins = NULL;
  g_autofree char *transforms = NULL;
  g_autofree char *usage = NULL;
  g_autoptr(GPtrArray) totals = NULL;
  ChatRun run;

  add_body_route (f, "/api/v1/chat/completions", "text/event-stream",
                  ": OPENROUTER PROCESSING\n\n"
                  "data: {\"id\":\"gen-1\",\"provider\":\"Anthropic\",\"model\":\"anthropic/claude-sonnet-4.5\",\"object\":\"chat.completion.chunk\",\"created\":1,\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"reasoning\":\"Paris, surely.\",\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"Paris, surely.\",\"format\":\"anthropic-claude-v1\",\"index\":0}]},\"finish_reason\":null}]}\n\n"
                  "data: {\"id\":\"gen-1\",\"provider\":\"Anthropic\",\"model\":\"anthropic/claude-sonnet-4.5\",\"object\":\"chat.completion.chunk\",\"created\":1,\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Paris.\"},\"finish_reason\":\"stop\",\"native_finish_reason\":\"end_turn\"}]}\n\n"
                  "data: {\"id\":\"gen-1\",\"provider\":\"Anthropic\",\"model\":\"anthropic/claude-sonnet-4.5\",\"object\":\"chat.completion.chunk\",\"created\":1,\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":30,\"total_tokens\":1230,\"cost\":0.00123,\"is_byok\":false,\"prompt_tokens_details\":{\"cached_tokens\":1000},\"completion_tokens_details\":{\"reasoning_tokens\":10}}}\n\n"
                  "data: [DONE]\n\n");
  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Paris.");
  g_assert_cmpstr (run.result->reasoning, ==, "Paris, surely.");
  g_assert_cmpint (run.result->cache_read_tokens, ==, 1000);
  g_assert_cmpfloat_with_epsilon (run.result->cost, 0.00123, 1e-12);

  body = request_body (f, 0);
  provider = member_json (body, "provider");
  g_assert_cmpstr (provider, ==,
                   "{\"sort\":\"throughput\",\"order\":[\"anthropic\",\"google-vertex\"],"
                   "\"only\":[\"anthropic\"],\"ignore\":[\"deepinfra\"],\"allow_fallbacks\":false,"
                   "\"quantizations\":[\"fp8\"],\"data_collection\":\"deny\"}");
  plugins = member_json (body, "plugins");
  g_assert_cmpstr (plugins, ==, "[{\"id\":\"web\"},{\"id\":\"response-healing\"}]");
  transforms = member_json (body, "transforms");
  g_assert_cmpstr (transforms, ==, "[\"middle-out\"]");
  usage = member_json (body, "usage");
  g_assert_cmpstr (usage, ==, "{\"include\":true}");

  totals = natter_usage_store_totals (f->database, NATTER_USAGE_BY_MONTH, 0, NULL);
  g_assert_cmpuint (totals->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (((NatterUsageTotal *) g_ptr_array_index (totals, 0))->cost,
                                  0.00123, 1e-12);
  chat_run_clear (&run);
}

static void
test_plain_request_has_no_openrouter_fields (Fixture       *f,
                                             gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "/v1", "gpt-test", "{}");
  g_autoptr(JsonObject) body = NULL;
  ChatRun run;

  add_body_route (f, "/v1/chat/completions", "text/event-stream",
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n"
                  "data: [DONE]\n\n");
  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  body = request_body (f, 0);
  g_assert_false (json_object_has_member (body, "provider"));
  g_assert_false (json_object_has_member (body, "plugins"));
  g_assert_false (json_object_has_member (body, "transforms"));
  g_assert_false (json_object_has_member (body, "usage"));
  /* No usage reported: recorded, unpriced. */
  g_assert_cmpint (count_usage_rows (f), ==, 0);
  chat_run_clear (&run);
}

/* ---------------------------------------------------------------- Z.AI */

static void
test_cb_bool (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (natter_client_test_finish (NATTER_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_zai_coding_plan (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(NatterProfile) plain = make_profile (f, "zai", "/api/paas/v4", "glm-4.6", NULL);
  g_autoptr(NatterProfile) coding = make_profile (f, "zai", "/api/paas/v4", "glm-4.6", "{\"coding_plan\":true}");
  NatterProvider *provider = NULL;
  g_autofree char *base = NULL;
  g_autoptr(NatterProfile) by_default = natter_profile_new ("Z", "zai");
  gboolean done = FALSE;
  ChatRun run;

  add_body_route (f, "/api/coding/paas/v4/chat/completions", "text/event-stream",
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n"
                  "data: [DONE]\n\n");
  add_body_route (f, "/api/paas/v4/chat/completions", "text/event-stream",
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"plain\"},\"finish_reason\":\"stop\"}]}\n\n"
                  "data: [DONE]\n\n");

  chat_run (f, coding, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "ok");
  chat_run_clear (&run);
  g_assert_cmpstr (natter_fake_provider_get_request (f->fake, 0)->path, ==, "/api/coding/paas/v4/chat/completions");

  chat_run (f, plain, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "plain");
  chat_run_clear (&run);

  /* Without an override the coding plan's own address. */
  natter_profile_set_settings (by_default, "{\"coding_plan\":true}");
  g_assert_true (natter_client_resolve (f->client, by_default, &provider, NULL, &base, NULL));
  g_assert_cmpstr (base, ==, "https://api.z.ai/api/coding/paas/v4");

  /* Test is a minimal chat request, never /models. */
  natter_fake_provider_clear_routes (f->fake);
  add_body_route (f, "/api/coding/paas/v4/chat/completions", "application/json",
                  "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                  "\"message\":{\"role\":\"assistant\",\"content\":\"H\"},\"finish_reason\":\"length\"}]}");
  natter_client_test_async (f->client, coding, NULL, test_cb_bool, &done);
  g_assert_true (natter_test_wait_for (&done, 10000));
  for (guint i = 0; i < natter_fake_provider_get_n_requests (f->fake); i++)
    g_assert_null (strstr (natter_fake_provider_get_request (f->fake, i)->path, "/models"));
  g_assert_cmpstr (natter_fake_provider_get_request (f->fake, 2)->path, ==, "/api/coding/paas/v4/chat/completions");
  {
    g_autoptr(JsonObject) body = request_body (f, 2);

    g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 1);
  }
}

/* ------------------------------------------------------- custom headers */

static void
test_custom_headers (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "custom", "/v1", "m",
    "{\"headers\":[{\"name\":\"X-Team\",\"value\":\"blue\"},{\"name\":\"X-Proxy-Token\",\"secret\":true}]}");
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redacted = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  g_autofree char *secret_json = NULL;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  NatterPrompt *prompt = make_prompt ();
  const NatterFakeRequest *req;
  ChatRun run;

  add_body_route (f, "/v1/chat/completions", "text/event-stream",
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n"
                  "data: [DONE]\n\n");
  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  chat_run_clear (&run);
  req = natter_fake_provider_get_request (f->fake, 0);
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "X-Team"), ==, "blue");
  /* A profile never saved has no keyring item: the secret one is not sent. */
  g_assert_null (soup_message_headers_get_one (req->headers, "X-Proxy-Token"));

  /* What would be sent shows the secret one, redacted. */
  request = natter_client_build_request (f->client, profile, prompt, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_request_get_header (request, "X-Team"), ==, "blue");
  g_assert_cmpstr (natter_request_get_header (request, "X-Proxy-Token"), ==, "REDACTED");
  natter_prompt_free (prompt);

  /* With the value: marked secret, redacted in the log's headers. */
  g_clear_pointer (&request, natter_request_unref);
  request = natter_request_new ("POST", "http://127.0.0.1/");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    json_parser_load_from_data (parser, natter_profile_get_settings (profile), -1, NULL);
    natter_custom_headers_apply (json_node_get_object (json_parser_get_root (parser)),
                                 "{\"X-Proxy-Token\":\"tok-SECRET-42\"}", FALSE, request);
  }
  g_assert_cmpstr (natter_request_get_header (request, "X-Proxy-Token"), ==, "tok-SECRET-42");
  redacted = natter_request_dup_redacted_headers_json (request);
  g_assert_null (strstr (redacted, "tok-SECRET-42"));
  g_assert_nonnull (strstr (redacted, "REDACTED"));

  /* Parsing and splitting into settings and keyring. */
  g_assert_true (natter_custom_header_parse ("X-Api-Key=abc=def", &name, &value, &error));
  g_assert_cmpstr (name, ==, "X-Api-Key");
  g_assert_cmpstr (value, ==, "abc=def");
  g_assert_true (natter_custom_header_name_looks_secret (name));
  g_assert_false (natter_custom_header_name_looks_secret ("X-Team"));
  g_assert_false (natter_custom_header_parse ("Bad Name=1", &name, &value, &error));
  g_clear_error (&error);
  g_assert_false (natter_custom_header_parse ("X-A=line\nbreak", &name, &value, &error));
  g_clear_error (&error);
  headers = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_custom_header_free);
  g_ptr_array_add (headers, natter_custom_header_new ("X-Team", "blue", FALSE));
  g_ptr_array_add (headers, natter_custom_header_new ("X-Api-Key", "abc", TRUE));
  secret_json = natter_custom_headers_secret_json (headers);
  g_assert_cmpstr (secret_json, ==, "{\"X-Api-Key\":\"abc\"}");
  {
    g_autoptr(JsonObject) settings = json_object_new ();
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *text = NULL;

    natter_custom_headers_save (headers, settings);
    node = json_node_init_object (json_node_alloc (), settings);
    text = json_to_string (node, FALSE);
    g_assert_cmpstr (text, ==, "{\"headers\":[{\"name\":\"X-Team\",\"value\":\"blue\"},{\"name\":\"X-Api-Key\",\"secret\":true}]}");
  }
}

/* ------------------------------------------------------------- credits */

typedef struct
{
  gboolean           done;
  NatterAccountInfo *info;
  GError            *error;
} AccountRun;

static void
account_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AccountRun *run = user_data;

  run->info = natter_client_account_finish (NATTER_CLIENT (object), result, &run->error);
  run->done = TRUE;
}

static void
test_credits (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(NatterProfile) openrouter = make_profile (f, "openrouter", "/api/v1", "openrouter/auto", NULL);
  g_autoptr(NatterProfile) nanogpt = make_profile (f, "nanogpt", "/api/v1", "gpt-4o-mini", NULL);
  g_autoptr(NatterProfile) openai = make_profile (f, "openai", "/v1", "gpt-4o", NULL);
  g_autofree char *summary = NULL;
  g_autofree char *summary2 = NULL;
  AccountRun run = { 0 };

  add_body_route (f, "/api/v1/credits", "application/json",
                  "{\"data\":{\"total_credits\":50,\"total_usage\":42.5}}");
  add_body_route (f, "/api/subscription/v1/usage", "application/json",
                  "{\"active\":true,\"limits\":{\"daily\":5000,\"monthly\":60000},\"enforceDailyLimit\":true,"
                  "\"daily\":{\"used\":120,\"remaining\":4880,\"percentUsed\":0.024,\"resetAt\":1738540800000},"
                  "\"monthly\":{\"used\":450,\"remaining\":59550,\"percentUsed\":0.0075,\"resetAt\":1739404800000},"
                  "\"period\":{\"currentPeriodEnd\":\"2025-02-13T23:59:59.000Z\"},\"state\":\"active\",\"graceUntil\":null}");

  natter_client_account_async (f->client, openrouter, NULL, account_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_cmpfloat_with_epsilon (run.info->remaining, 7.5, 1e-9);
  summary = natter_account_info_summary (run.info);
  g_assert_cmpstr (summary, ==, "Credits $7.50 left");
  g_assert_cmpstr (soup_message_headers_get_one (natter_fake_provider_get_request (f->fake, 0)->headers,
                                                 "Authorization"), ==, "Bearer " TEST_KEY);
  g_clear_pointer (&run.info, natter_account_info_free);

  /* A key typed in the connection form and not saved yet is the one sent,
   * as for Test and Fetch models. */
  memset (&run, 0, sizeof run);
  add_body_route (f, "/api/v1/credits", "application/json",
                  "{\"data\":{\"total_credits\":50,\"total_usage\":42.5}}");
  natter_profile_set_unsaved_api_key (openrouter, "sk-typed-not-saved");
  natter_client_account_async (f->client, openrouter, NULL, account_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_cmpstr (soup_message_headers_get_one (natter_fake_provider_get_request (f->fake, 1)->headers,
                                                 "Authorization"), ==, "Bearer sk-typed-not-saved");
  g_clear_pointer (&run.info, natter_account_info_free);
  natter_profile_set_unsaved_api_key (openrouter, NULL);

  memset (&run, 0, sizeof run);
  natter_client_account_async (f->client, nanogpt, NULL, account_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_true (run.info->active);
  g_assert_cmpint (run.info->daily_used, ==, 120);
  g_assert_cmpint (run.info->monthly_limit, ==, 60000);
  summary2 = natter_account_info_summary (run.info);
  g_assert_cmpstr (summary2, ==, "Subscription 120 of 5000 today");
  g_clear_pointer (&run.info, natter_account_info_free);

  memset (&run, 0, sizeof run);
  natter_client_account_async (f->client, openai, NULL, account_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_error (run.error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_UNSUPPORTED);
  g_clear_error (&run.error);

  /* Hostile answers: a clear protocol error. */
  g_assert_null (natter_account_info_parse ("credits", "{\"data\":{\"total_credits\":\"lots\"}}", 34, &run.error));
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
  g_clear_error (&run.error);
  g_assert_null (natter_account_info_parse ("subscription", "[1,2]", 5, &run.error));
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
  g_clear_error (&run.error);
}

/* ------------------------------------------------------- model metadata */

static GPtrArray *
parse_fixture_models (const char          *name,
                      const NatterDialect *dialect)
{
  g_autofree char *path = natter_test_fixture_path (name);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  GPtrArray *models;

  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  models = dialect->parse_models (text, len, NULL, &error);
  g_assert_no_error (error);
  return models;
}

static void
test_metadata_openrouter (void)
{
  g_autoptr(GPtrArray) models = parse_fixture_models ("providers/openrouter-models.json",
                                                      natter_dialect_lookup ("openai-chat"));
  NatterModelInfo *sonnet;
  NatterModelInfo *nemo;

  g_assert_cmpuint (models->len, ==, 2);
  sonnet = g_ptr_array_index (models, 0);
  g_assert_cmpstr (sonnet->id, ==, "anthropic/claude-sonnet-4.5");
  g_assert_cmpstr (sonnet->display_name, ==, "Anthropic: Claude Sonnet 4.5");
  g_assert_cmpint (sonnet->context_length, ==, 1000000);
  g_assert_cmpint (sonnet->max_output, ==, 64000);
  g_assert_cmpfloat_with_epsilon (sonnet->input_price, 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (sonnet->output_price, 15.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (sonnet->cache_read_price, 0.3, 1e-9);
  g_assert_cmpfloat_with_epsilon (sonnet->cache_write_price, 3.75, 1e-9);
  g_assert_true (sonnet->capabilities_known);
  g_assert_cmpuint (sonnet->capabilities, ==, NATTER_MODEL_VISION | NATTER_MODEL_TOOLS |
                                              NATTER_MODEL_REASONING | NATTER_MODEL_STRUCTURED_OUTPUT);

  nemo = g_ptr_array_index (models, 1);
  g_assert_cmpfloat_with_epsilon (nemo->input_price, 0.02, 1e-9);
  g_assert_cmpfloat (nemo->cache_read_price, <, 0);
  g_assert_cmpuint (nemo->capabilities, ==, NATTER_MODEL_TOOLS | NATTER_MODEL_STRUCTURED_OUTPUT);
}

static void
test_metadata_gemini (void)
{
  g_autoptr(GPtrArray) models = parse_fixture_models ("providers/gemini-models.json",
                                                      natter_dialect_lookup ("gemini"));
  NatterModelInfo *pro;

  /* The embedding model cannot generate content: left out. */
  g_assert_cmpuint (models->len, ==, 1);
  pro = g_ptr_array_index (models, 0);
  g_assert_cmpstr (pro->id, ==, "gemini-2.5-pro");
  g_assert_cmpstr (pro->display_name, ==, "Gemini 2.5 Pro");
  g_assert_cmpint (pro->context_length, ==, 1048576);
  g_assert_cmpint (pro->max_output, ==, 65536);
  g_assert_true (pro->capabilities & NATTER_MODEL_REASONING);
}


static void
test_metadata_catalog (void)
{
  NatterProvider *zai = natter_catalog_lookup (natter_catalog_get_default (), "zai");
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(NatterModelInfo) info = NULL;
  g_autoptr(NatterModelInfo) unknown = NULL;
  g_autoptr(GError) error = NULL;

  info = natter_model_settings_lookup (NULL, "glm-4.6", zai);
  g_assert_cmpint (info->context_length, ==, 200000);
  g_assert_true (info->capabilities & NATTER_MODEL_TOOLS);
  g_assert_false (info->capabilities & NATTER_MODEL_VISION);

  /* The connection's override wins over the catalog. */
  g_assert_true (natter_model_settings_set (settings, "glm-4.6", "context", "32000", &error));
  g_clear_pointer (&info, natter_model_info_free);
  info = natter_model_settings_lookup (settings, "glm-4.6", zai);
  g_assert_cmpint (info->context_length, ==, 32000);

  /* A model the catalog does not describe: the provider's size. */
  unknown = natter_model_settings_lookup (NULL, "glm-5", zai);
  g_assert_cmpint (unknown->context_length, ==, natter_provider_get_context_size (zai));
}

static void
test_metadata_overrides (void)
{
  g_autoptr(GPtrArray) models = parse_fixture_models ("providers/openrouter-models.json",
                                                      natter_dialect_lookup ("openai-chat"));
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterModelInfo) info = NULL;
  g_autoptr(NatterModelInfo) unknown = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  natter_model_settings_store_meta (settings, models);
  g_assert_true (natter_model_settings_set (settings, "anthropic/claude-sonnet-4.5", "alias", "Sonnet", &error));
  g_assert_true (natter_model_settings_set (settings, "anthropic/claude-sonnet-4.5", "input_price", "2.5", &error));
  g_assert_true (natter_model_settings_set (settings, "anthropic/claude-sonnet-4.5", "context", "200000", &error));
  g_assert_true (natter_model_settings_set (settings, "anthropic/claude-sonnet-4.5", "no_system_message", "true", &error));
  g_assert_true (natter_model_settings_set (settings, "anthropic/claude-sonnet-4.5", "vision", "false", &error));
  g_assert_false (natter_model_settings_set (settings, "x", "colour", "red", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (natter_model_settings_set (settings, "x", "input_price", "cheap", &error));
  g_clear_error (&error);
  g_assert_false (natter_model_settings_set (settings, "x", "context", "-5", &error));
  g_clear_error (&error);

  info = natter_model_settings_lookup (settings, "anthropic/claude-sonnet-4.5", NULL);
  g_assert_cmpstr (info->alias, ==, "Sonnet");
  g_assert_cmpfloat_with_epsilon (info->input_price, 2.5, 1e-9);     /* the person's */
  g_assert_cmpfloat_with_epsilon (info->output_price, 15.0, 1e-9);   /* the provider's */
  g_assert_cmpint (info->context_length, ==, 200000);
  g_assert_cmpint (info->max_output, ==, 64000);
  g_assert_true (info->flags & NATTER_MODEL_NO_SYSTEM_MESSAGE);
  g_assert_false (info->capabilities & NATTER_MODEL_VISION);
  g_assert_true (info->capabilities & NATTER_MODEL_TOOLS);

  unknown = natter_model_settings_lookup (settings, "someone/else", natter_catalog_lookup (natter_catalog_get_default (), "openrouter"));
  g_assert_cmpint (unknown->context_length, ==, 128000);             /* the catalog's */
  g_assert_cmpfloat (unknown->input_price, <, 0);

  /* "none" removes an override. */
  g_assert_true (natter_model_settings_set (settings, "anthropic/claude-sonnet-4.5", "input_price", "none", &error));
  g_clear_pointer (&info, natter_model_info_free);
  info = natter_model_settings_lookup (settings, "anthropic/claude-sonnet-4.5", NULL);
  g_assert_cmpfloat_with_epsilon (info->input_price, 3.0, 1e-9);

  node = natter_model_info_to_json (info);
  text = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "\"id\":\"anthropic/claude-sonnet-4.5\""));
  g_assert_nonnull (strstr (text, "\"alias\":\"Sonnet\""));
}

static void
test_model_flags_in_request (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "custom", "/v1", "old-model",
    "{\"models\":{\"old-model\":{\"no_system_message\":true,\"no_streaming\":true,"
    "\"max_tokens_required\":true,\"max_output\":512}}}");
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *messages = NULL;
  ChatRun run;

  add_body_route (f, "/v1/chat/completions", "application/json",
                  "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                  "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}");
  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "ok");
  chat_run_clear (&run);

  body = request_body (f, 0);
  g_assert_false (json_object_get_boolean_member (body, "stream"));
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 512);
  messages = member_json (body, "messages");
  g_assert_cmpstr (messages, ==,
                   "[{\"role\":\"user\",\"content\":\"Be brief.\\n\\nHello\"},"
                   "{\"role\":\"assistant\",\"content\":\"Hi! How can I help?\"},"
                   "{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]");
  /* Tokens but no prices: recorded, unpriced. */
  g_assert_cmpint (count_usage_rows (f), ==, 1);
}

/* --------------------------------------------------------------- costs */

static void
test_usage_totals (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) by_connection = NULL;
  g_autoptr(GPtrArray) by_day = NULL;
  g_autoptr(GPtrArray) since = NULL;
  g_autofree char *csv = NULL;
  NatterUsageRecord record = { 0 };
  GDateTime *day1 = g_date_time_new_local (2026, 11, 30, 12, 0, 0);
  GDateTime *day2 = g_date_time_new_local (2026, 12, 1, 9, 30, 0);
  NatterUsageTotal *total;

  record.profile = "Work, main";
  record.provider = "openai";
  record.model = "gpt-test";
  record.input_tokens = 1000;
  record.output_tokens = 100;
  record.cache_read_tokens = -1;
  record.cache_write_tokens = -1;
  record.cost = 0.5;
  record.cost_source = "prices";
  record.at_ms = g_date_time_to_unix (day1) * 1000;
  g_assert_cmpint (natter_usage_store_record (f->database, &record, &error), >, 0);
  record.at_ms = g_date_time_to_unix (day2) * 1000;
  record.cost = 0.25;
  g_assert_cmpint (natter_usage_store_record (f->database, &record, &error), >, 0);
  record.profile = "Home";
  record.cost = -1;
  g_assert_cmpint (natter_usage_store_record (f->database, &record, &error), >, 0);
  g_assert_no_error (error);

  by_connection = natter_usage_store_totals (f->database, NATTER_USAGE_BY_CONNECTION, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_connection->len, ==, 2);
  total = g_ptr_array_index (by_connection, 0);
  g_assert_cmpstr (total->key, ==, "Work, main");
  g_assert_cmpint (total->exchanges, ==, 2);
  g_assert_cmpint (total->input_tokens, ==, 2000);
  g_assert_cmpfloat_with_epsilon (total->cost, 0.75, 1e-9);
  total = g_ptr_array_index (by_connection, 1);
  g_assert_cmpstr (total->key, ==, "Home");
  g_assert_cmpint (total->unpriced, ==, 1);

  by_day = natter_usage_store_totals (f->database, NATTER_USAGE_BY_DAY, 0, &error);
  g_assert_cmpuint (by_day->len, ==, 2);
  g_assert_cmpstr (((NatterUsageTotal *) g_ptr_array_index (by_day, 0))->key, ==, "2026-12-01");
  g_assert_cmpstr (((NatterUsageTotal *) g_ptr_array_index (by_day, 1))->key, ==, "2026-11-30");

  since = natter_usage_store_totals (f->database, NATTER_USAGE_BY_MONTH,
                                     g_date_time_to_unix (day2) * 1000, &error);
  g_assert_cmpuint (since->len, ==, 1);
  g_assert_cmpstr (((NatterUsageTotal *) g_ptr_array_index (since, 0))->key, ==, "2026-12");
  g_assert_cmpint (((NatterUsageTotal *) g_ptr_array_index (since, 0))->exchanges, ==, 2);

  csv = natter_usage_totals_to_csv (by_connection, NATTER_USAGE_BY_CONNECTION);
  g_assert_cmpstr (csv, ==,
                   "connection,label,exchanges,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cost_usd,unpriced\r\n"
                   "\"Work, main\",\"Work, main\",2,2000,200,0,0,0.750000,0\r\n"
                   "Home,Home,1,1000,100,0,0,,1\r\n");

  g_date_time_unref (day1);
  g_date_time_unref (day2);
}

static void
test_usage_price (void)
{
  /* 1M uncached in at $3, 1M cache reads at $0.30, 1M writes at $3.75, 1M out at $15. */
  g_assert_cmpfloat_with_epsilon (natter_usage_price (3000000, 1000000, 1000000, 1000000,
                                                      3, 15, 0.3, 3.75), 22.05, 1e-9);
  /* Without cache prices the cached tokens cost the input price. */
  g_assert_cmpfloat_with_epsilon (natter_usage_price (2000000, 0, 1000000, -1, 1, 2, -1, -1), 2.0, 1e-9);
  g_assert_cmpfloat (natter_usage_price (10, 10, -1, -1, -1, 2, -1, -1), <, 0);
  g_assert_cmpfloat (natter_usage_price (-1, 10, -1, -1, 1, 2, -1, -1), <, 0);
}

static void
test_pkce_challenge (void)
{
  g_autofree char *challenge = natter_pkce_challenge ("dBjftJeZ4CVP-mJ92ZCMq0SSrgRlUikyQPEAhkuAcU4");

  /* base64url(SHA-256) computed with Python's hashlib, no padding. */
  g_assert_cmpstr (challenge, ==, "olxgwaazaPuz4ve4q6WTbgaMxLhnVOHy-09npqWCsrs");
}

typedef struct
{
  gboolean done;
  gint64   reply_id;
  GError  *error;
} SendRun;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendRun *run = user_data;

  run->reply_id = natter_conversation_send_finish (NATTER_CONVERSATION (object), result, NULL, &run->error);
  run->done = TRUE;
}

static void
test_usage_by_chat (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NatterChatStore) store = natter_chat_store_new (f->database);
  g_autoptr(NatterConversation) conv = natter_conversation_new (store, f->client);
  g_autoptr(NatterProfile) profile = make_profile (f, "custom", "/v1", "m",
    "{\"models\":{\"m\":{\"input_price\":1,\"output_price\":2}}}");
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GError) error = NULL;
  NatterUsageTotal *total;
  SendRun run = { 0 };
  gint64 chat_id;

  add_body_route (f, "/v1/chat/completions", "text/event-stream",
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Paris.\"},\"finish_reason\":\"stop\"}]}\n\n"
                  "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1000000,\"completion_tokens\":500000}}\n\n"
                  "data: [DONE]\n\n");
  chat_id = natter_chat_store_new_chat (store, 0, "Trip to Paris", &error);
  g_assert_no_error (error);
  natter_conversation_send_async (conv, chat_id, profile, "Where to?", NULL, NULL, NULL, NULL, send_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);

  totals = natter_usage_store_totals (f->database, NATTER_USAGE_BY_CHAT, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (totals->len, ==, 1);
  total = g_ptr_array_index (totals, 0);
  g_assert_cmpstr (total->label, ==, "Trip to Paris");
  /* 1M in at $1 + 0.5M out at $2. */
  g_assert_cmpfloat_with_epsilon (total->cost, 2.0, 1e-9);
}

typedef struct
{
  gboolean   done;
  GPtrArray *models;
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
test_metadata_ollama_show (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "ollama", "", "llama3.2:latest",
    "{\"models\":{\"llama3.2:latest\":{\"alias\":\"Llama\"}}}");
  NatterModelInfo *info;
  ModelsRun run = { 0 };
  const NatterFakeRequest *req;

  add_body_route (f, "/api/tags", "application/json",
                  "{\"models\":[{\"name\":\"llama3.2:latest\",\"model\":\"llama3.2:latest\",\"modified_at\":\"2025-01-01T00:00:00Z\","
                  "\"size\":2019393189,\"digest\":\"a80c4f17acd5\",\"details\":{\"format\":\"gguf\",\"family\":\"llama\","
                  "\"parameter_size\":\"3.2B\",\"quantization_level\":\"Q4_K_M\"}}]}");
  add_body_route (f, "/api/show", "application/json",
                  "{\"modelfile\":\"FROM llama3.2\",\"parameters\":\"stop \\\"<|eot_id|>\\\"\",\"template\":\"{{ .Prompt }}\","
                  "\"details\":{\"format\":\"gguf\",\"family\":\"llama\"},"
                  "\"model_info\":{\"general.architecture\":\"llama\",\"general.parameter_count\":3212749888,"
                  "\"llama.context_length\":131072,\"llama.embedding_length\":3072},"
                  "\"capabilities\":[\"completion\",\"tools\"]}");

  natter_client_list_models_async (f->client, profile, NULL, models_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.models->len, >=, 1);
  info = g_ptr_array_index (run.models, 0);
  g_assert_cmpstr (info->id, ==, "llama3.2:latest");
  g_assert_cmpint (info->context_length, ==, 131072);
  g_assert_cmpuint (info->capabilities, ==, NATTER_MODEL_TOOLS);
  g_assert_cmpstr (info->alias, ==, "Llama");

  req = natter_fake_provider_get_request (f->fake, 1);
  g_assert_cmpstr (req->path, ==, "/api/show");
  g_assert_cmpstr (req->body, ==, "{\"model\":\"llama3.2:latest\"}");
  g_ptr_array_unref (run.models);
}

static void
test_context_budget_from_metadata (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(NatterChatStore) store = natter_chat_store_new (f->database);
  g_autoptr(NatterConversation) conv = natter_conversation_new (store, f->client);
  g_autoptr(NatterProfile) profile = make_profile (f, "custom", "/v1", "m",
    "{\"max_tokens\":200,\"models\":{\"m\":{\"context\":1000}}}");
  g_autoptr(NatterProfile) glm = make_profile (f, "zai", "/api/paas/v4", "glm-4.6", NULL);
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(NatterRequest) request2 = NULL;
  g_autoptr(GError) error = NULL;
  NatterPromptResult *result = NULL;
  gint64 chat_id;

  chat_id = natter_chat_store_new_chat (store, 0, "Budget", &error);
  g_assert_no_error (error);

  /* The connection's model details give the context length… */
  request = natter_conversation_build_request (conv, chat_id, profile, "Hi", NULL, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->budget, ==, 800);
  natter_prompt_result_free (g_steal_pointer (&result));

  /* …else the catalog's entry for the model. */
  request2 = natter_conversation_build_request (conv, chat_id, glm, "Hi", NULL, &result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->budget, ==, 200000);
  natter_prompt_result_free (result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/natter/providers/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("mistral-typed-parts", test_mistral_typed_parts);
  ADD ("array-content", test_array_content);
  ADD ("bare-done", test_bare_done);
  ADD ("anthropic-cache-placement", test_anthropic_cache_placement);
  g_test_add_func ("/natter/providers/anthropic-cache-tools", test_anthropic_cache_tools);
  g_test_add_func ("/natter/providers/anthropic-cache-summary", test_anthropic_cache_summary);
  g_test_add_func ("/natter/providers/anthropic-cache-prefix-changed", test_anthropic_cache_prefix_changed);
  ADD ("anthropic-cache-usage-priced", test_anthropic_cache_usage_priced);
  ADD ("openrouter-fields", test_openrouter_fields);
  ADD ("plain-request", test_plain_request_has_no_openrouter_fields);
  ADD ("zai-coding-plan", test_zai_coding_plan);
  ADD ("custom-headers", test_custom_headers);
  ADD ("credits", test_credits);
  g_test_add_func ("/natter/providers/metadata-openrouter", test_metadata_openrouter);
  g_test_add_func ("/natter/providers/metadata-gemini", test_metadata_gemini);
  g_test_add_func ("/natter/providers/metadata-overrides", test_metadata_overrides);
  g_test_add_func ("/natter/providers/metadata-catalog", test_metadata_catalog);
  ADD ("model-flags", test_model_flags_in_request);
  ADD ("metadata-ollama-show", test_metadata_ollama_show);
  ADD ("usage-totals", test_usage_totals);
  ADD ("usage-by-chat", test_usage_by_chat);
  ADD ("context-budget", test_context_budget_from_metadata);
  g_test_add_func ("/natter/providers/usage-price", test_usage_price);
  g_test_add_func ("/natter/providers/pkce-challenge", test_pkce_challenge);

  return g_test_run ();
}
