/* test-preset-conversation.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-conversation.h"
#include "natter-database.h"
#include "natter-fake-provider.h"
#include "natter-preset-store.h"
#include "natter-profile.h"
#include "natter-request-log.h"
#include "natter-sampling.h"
#include "natter-test-util.h"

typedef struct
{
  char               *tmpdir;
  NatterDatabase     *database;
  NatterRequestLog   *log;
  NatterClient       *client;
  NatterChatStore    *store;
  NatterConversation *conv;
  NatterPresetStore  *presets;
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
  f->store = natter_chat_store_new (f->database);
  f->conv = natter_conversation_new (f->store, f->client);
  f->presets = g_object_ref (natter_conversation_get_preset_store (f->conv));
  f->fake = natter_fake_provider_new ();
  g_setenv ("OPENAI_API_KEY", "sk-test-openai", TRUE);
  g_setenv ("ANTHROPIC_API_KEY", "sk-test-anthropic", TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->fake, natter_fake_provider_free);
  g_clear_object (&f->presets);
  g_clear_object (&f->conv);
  g_clear_object (&f->store);
  g_clear_object (&f->client);
  g_clear_object (&f->log);
  g_clear_object (&f->database);
  natter_test_tmpdir_free (f->tmpdir);
}

static NatterProfile *
make_profile (Fixture    *f,
              const char *name,
              const char *provider_id,
              const char *settings)
{
  NatterProfile *profile = natter_profile_new (name, provider_id);
  g_autofree char *url = NULL;

  if (g_str_equal (provider_id, "anthropic"))
    url = g_strdup (natter_fake_provider_get_url (f->fake));
  else
    url = g_strconcat (natter_fake_provider_get_url (f->fake), "/v1", NULL);
  natter_profile_set_base_url (profile, url);
  natter_profile_set_model (profile, "model-test");
  if (settings != NULL)
    natter_profile_set_settings (profile, settings);
  return profile;
}

static JsonObject *
parse_object (const char *text,
              gssize      len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, len, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
request_object (NatterRequest *request)
{
  GBytes *body = natter_request_get_body (request);

  return parse_object (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static JsonObject *
built_body (Fixture       *f,
            gint64         chat_id,
            NatterProfile *profile,
            GStrv         *dropped)
{
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(NatterPromptResult) result = NULL;
  g_autoptr(GError) error = NULL;

  request = natter_conversation_build_request (f->conv, chat_id, profile, NULL, NULL, &result, &error);
  g_assert_no_error (error);
  if (dropped != NULL)
    *dropped = g_strdupv (result->dropped);
  return request_object (request);
}

static gint64
chat_with (Fixture    *f,
           guint       n,
           const char *last_role)
{
  g_autoptr(GError) error = NULL;
  gint64 chat_id = natter_chat_store_new_chat (f->store, 0, "Chat", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("m%u", i + 1);
      gboolean user = ((n - 1 - i) % 2 == 0) == g_str_equal (last_role, "user");

      natter_chat_store_append_message (f->store, chat_id, user ? NATTER_ROLE_USER : NATTER_ROLE_ASSISTANT,
                                        user ? "User" : "Bot", text, &error);
      g_assert_no_error (error);
    }
  return chat_id;
}

static void
save_preset (Fixture    *f,
             const char *name,
             const char * const *settings)
{
  g_autoptr(NatterPreset) preset = natter_preset_new (name);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; settings[i] != NULL; i += 2)
    {
      natter_preset_set (preset, settings[i], settings[i + 1], &error);
      g_assert_no_error (error);
    }
  natter_preset_store_save (f->presets, preset, &error);
  g_assert_no_error (error);
}

static const char *
message_content (JsonArray *messages,
                 guint      i)
{
  return json_object_get_string_member (json_array_get_object_element (messages, i), "content");
}

/* An in-history block at depth N lands N messages above the end. */
static void
test_in_history_depth (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "OpenAI", "openai", NULL);
  gint64 chat_id = chat_with (f, 5, "user");
  g_autoptr(GError) error = NULL;
  guint depths[] = { 0, 2, 4, 99 };

  for (guint d = 0; d < G_N_ELEMENTS (depths); d++)
    {
      g_autofree char *depth = g_strdup_printf ("%u", depths[d]);
      const char *settings[] = { "prompt.note.content", "NOTE {{user}}", "prompt.note.position", "history",
                                 "prompt.note.depth", depth, "prompt.note.role", "user", NULL };
      g_autoptr(JsonObject) body = NULL;
      JsonArray *messages;
      guint n, at = G_MAXUINT;

      save_preset (f, "Deep", settings);
      natter_preset_store_set_chat_preset (f->presets, chat_id, "Deep", &error);
      g_assert_no_error (error);
      body = built_body (f, chat_id, profile, NULL);
      messages = json_object_get_array_member (body, "messages");
      n = json_array_get_length (messages);
      for (guint i = 0; i < n; i++)
        if (g_strcmp0 (message_content (messages, i), "NOTE User") == 0)
          at = i;
      g_assert_cmpuint (at, !=, G_MAXUINT);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, at), "role"),
                       ==, "user");
      /* The history is the last five messages; deeper than it: at its top. */
      g_assert_cmpuint (n - 1 - at, ==, MIN (depths[d], 5));
      g_assert_cmpstr (message_content (messages, n - 1 - (depths[d] == 0 ? 1 : 0)), ==, "m5");
    }
}

/* The chat's own preset stays when the connection changes; the
 * connection's default only applies without one. */
static void
test_switch_connection_keeps_preset (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(NatterProfile) openai = make_profile (f, "OpenAI", "openai", "{\"preset\":\"Hot\"}");
  g_autoptr(NatterProfile) claude = make_profile (f, "Claude", "anthropic", "{\"preset\":\"Hot\"}");
  const char *cold[] = { "temperature", "0.2", "top_k", "40", "min_p", "0.1", NULL };
  const char *hot[] = { "temperature", "1.5", NULL };
  gint64 chat_id = chat_with (f, 1, "user");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_auto(GStrv) dropped = NULL;

  save_preset (f, "Cold", cold);
  save_preset (f, "Hot", hot);
  natter_preset_store_set_chat_preset (f->presets, chat_id, "Cold", &error);
  g_assert_no_error (error);

  body = built_body (f, chat_id, openai, &dropped);
  g_assert_cmpfloat (json_object_get_double_member (body, "temperature"), ==, 0.2);
  g_assert_false (json_object_has_member (body, "top_k"));
  g_assert_false (json_object_has_member (body, "min_p"));
  g_assert_cmpstr (dropped[0], ==, "min_p");
  g_assert_cmpstr (dropped[1], ==, "top_k");
  g_clear_pointer (&dropped, g_strfreev);
  g_clear_pointer (&body, json_object_unref);

  body = built_body (f, chat_id, claude, &dropped);
  g_assert_cmpfloat (json_object_get_double_member (body, "temperature"), ==, 0.2);
  g_assert_cmpint (json_object_get_int_member (body, "top_k"), ==, 40);
  g_assert_cmpstr (dropped[0], ==, "min_p");
  g_assert_null (dropped[1]);
  g_clear_pointer (&body, json_object_unref);

  /* Without the chat's choice, the connection's default preset. */
  natter_preset_store_set_chat_preset (f->presets, chat_id, NULL, &error);
  g_assert_no_error (error);
  body = built_body (f, chat_id, openai, NULL);
  g_assert_cmpfloat (json_object_get_double_member (body, "temperature"), ==, 1.5);
}

static NatterFakeResponse *
openai_stream (const char *text,
               const char *finish)
{
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  g_autofree char *one = g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
                                          "\"finish_reason\":null}]}\n\n", text);
  g_autofree char *two = g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":{},"
                                          "\"finish_reason\":\"%s\"}]}\n\n", finish);

  natter_fake_response_add_chunk (response, one, -1, 0);
  natter_fake_response_add_chunk (response, two, -1, 0);
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  return response;
}

static NatterFakeResponse *
anthropic_stream (const char *text,
                  const char *stop_reason)
{
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  g_autofree char *delta = g_strdup_printf (
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
    "\"delta\":{\"type\":\"text_delta\",\"text\":\"%s\"}}\n\n", text);
  g_autofree char *end = g_strdup_printf (
    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"%s\"},"
    "\"usage\":{\"output_tokens\":3}}\n\n", stop_reason);

  natter_fake_response_add_chunk (response,
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\","
    "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"model-test\","
    "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n", -1, 0);
  natter_fake_response_add_chunk (response,
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
    "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n", -1, 0);
  natter_fake_response_add_chunk (response, delta, -1, 0);
  natter_fake_response_add_chunk (response,
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n", -1, 0);
  natter_fake_response_add_chunk (response, end, -1, 0);
  natter_fake_response_add_chunk (response,
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", -1, 0);
  return response;
}

typedef struct
{
  gboolean  done;
  gint64    id;
  gint64    reply_id;
  GError   *error;
} Run;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->id = natter_conversation_send_finish (NATTER_CONVERSATION (object), result,
                                             &run->reply_id, &run->error);
  run->done = TRUE;
}

static void
continue_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;

  run->id = natter_conversation_continue_finish (NATTER_CONVERSATION (object), result, &run->error);
  run->done = TRUE;
}

static JsonObject *
fake_body (Fixture *f,
           guint    i)
{
  const NatterFakeRequest *request = natter_fake_provider_get_request (f->fake, i);

  g_assert_nonnull (request);
  return parse_object (request->body, request->body_len);
}

/* Over loopback: an imported SillyTavern preset's sampling arrives in
 * OpenAI's names, what OpenAI does not take is noted with the logged
 * request, the stop reason is kept with the reply. */
static void
test_loopback_send (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "OpenAI", "openai", NULL);
  g_autofree char *path = natter_test_fixture_path ("sillytavern/presets/Default.json");
  g_autofree char *text = NULL;
  g_autoptr(NatterPreset) preset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(NatterLogEntry) entry = NULL;
  g_autofree char *purpose = NULL;
  g_autofree char *dropped = NULL;
  g_autofree char *reason = NULL;
  gsize len;
  gint64 chat_id = chat_with (f, 0, "user");
  Run run = { 0 };

  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  preset = natter_preset_new_from_sillytavern (text, len, "ST Default", &error);
  g_assert_no_error (error);
  natter_preset_set (preset, "min_p", "0.1", &error);
  natter_preset_set (preset, "seed", "7", &error);
  g_assert_no_error (error);
  natter_preset_store_save (f->presets, preset, &error);
  g_assert_no_error (error);
  natter_preset_store_set_default (f->presets, "ST Default", &error);
  g_assert_no_error (error);

  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", openai_stream ("Hi", "length"));
  natter_conversation_send_async (f->conv, chat_id, profile, "Hello", NULL, NULL, NULL, NULL, send_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);

  body = fake_body (f, 0);
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (body, "seed"), ==, 7);
  g_assert_cmpfloat (json_object_get_double_member (body, "temperature"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (body, "frequency_penalty"), ==, 0);
  g_assert_false (json_object_has_member (body, "min_p"));
  g_assert_false (json_object_has_member (body, "top_k"));
  /* The preset's main prompt is the first message. */
  g_assert_cmpstr (message_content (json_object_get_array_member (body, "messages"), 0), ==,
                   "Write Assistant's next reply in a fictional chat between Assistant and User.");

  entry = g_list_model_get_item (G_LIST_MODEL (f->log), 0);
  g_assert_nonnull (entry);
  g_assert_true (natter_preset_store_get_request_note (f->presets, natter_log_entry_get_id (entry),
                                                       &purpose, &dropped));
  g_assert_cmpstr (purpose, ==, "chat");
  g_assert_cmpstr (dropped, ==, "[\"min_p\"]");
  reason = natter_preset_store_dup_finish_reason (f->presets, run.reply_id);
  g_assert_cmpstr (reason, ==, "length");
}

static void
assert_continued (Fixture       *f,
                  const char    *provider_id,
                  const char    *route,
                  NatterFakeResponse *response,
                  const char    *expected_text,
                  const char    *expected_reason)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "P", provider_id, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *reason = NULL;
  gint64 chat_id = chat_with (f, 2, "assistant");
  gint64 reply_id;
  NatterChatMessage *last;
  Run run = { 0 };

  page = natter_chat_store_page_messages (f->store, chat_id, -1, 1, &error);
  reply_id = natter_chat_message_get_id (g_ptr_array_index (page, 0));
  natter_chat_store_edit_message (f->store, reply_id, "Once upon", &error);
  g_assert_no_error (error);
  g_clear_pointer (&page, g_ptr_array_unref);

  natter_fake_provider_add_route (f->fake, "POST", route, response);
  natter_conversation_continue_async (f->conv, chat_id, profile, NULL, NULL, NULL, NULL, continue_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_cmpint (run.id, ==, reply_id);
  g_assert_cmpint (natter_chat_store_count_messages (f->store, chat_id, NULL), ==, 2);
  page = natter_chat_store_page_messages (f->store, chat_id, -1, 1, &error);
  last = g_ptr_array_index (page, 0);
  g_assert_cmpint (natter_chat_message_get_id (last), ==, reply_id);
  g_assert_cmpstr (natter_chat_message_get_content (last), ==, expected_text);
  reason = natter_preset_store_dup_finish_reason (f->presets, reply_id);
  g_assert_cmpstr (reason, ==, expected_reason);
}

/* OpenAI takes no prefill: the reply so far stays in the history and the
 * nudge asks for more. */
static void
test_continue_nudge (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) body = NULL;
  JsonArray *messages;
  guint n;

  assert_continued (f, "openai", "/v1/chat/completions", openai_stream (" a time", "stop"),
                    "Once upon a time", "stop");
  body = fake_body (f, 0);
  messages = json_object_get_array_member (body, "messages");
  n = json_array_get_length (messages);
  g_assert_cmpstr (message_content (messages, n - 2), ==, "Once upon");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, n - 1), "role"),
                   ==, "system");
  g_assert_nonnull (strstr (message_content (messages, n - 1), "Continue"));
}

/* Anthropic continues the reply it is given as the last assistant turn. */
static void
test_continue_prefill (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) body = NULL;
  JsonArray *messages;
  JsonObject *last;
  g_autofree char *content = NULL;
  guint n;

  assert_continued (f, "anthropic", "/v1/messages", anthropic_stream (" a time", "max_tokens"),
                    "Once upon a time", "length");
  body = fake_body (f, 0);
  messages = json_object_get_array_member (body, "messages");
  n = json_array_get_length (messages);
  last = json_array_get_object_element (messages, n - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "role"), ==, "assistant");
  content = json_to_string (json_object_get_member (last, "content"), FALSE);
  g_assert_nonnull (strstr (content, "Once upon"));
}

/* A text-completion backend continues from the reply so far, which ends
 * the prompt after the reply opener. */
static void
test_continue_text_completion (Fixture       *f,
                               gconstpointer  data)
{
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  g_autoptr(JsonObject) body = NULL;
  const char *prompt;

  natter_fake_response_add_chunk (response, "data: {\"content\":\" a time\",\"stop\":false}\n\n", -1, 0);
  natter_fake_response_add_chunk (response, "data: {\"content\":\"\",\"stop\":true,\"stop_type\":\"limit\","
                                            "\"tokens_predicted\":2}\n\n", -1, 0);
  assert_continued (f, "llamacpp", "/completion", response, "Once upon a time", "length");
  body = fake_body (f, 0);
  prompt = json_object_get_string_member (body, "prompt");
  g_test_message ("prompt: %s", prompt);
  g_assert_true (g_str_has_suffix (prompt, "<|im_start|>assistant\nAssistant: Once upon"));
}

/* A preset that asks to continue by prefilling ("continue_prefill", as
 * SillyTavern's) sends the reply so far, with its "continue_postfix", as
 * the last assistant turn even to an OpenAI-compatible server, and no
 * nudge; the reply grows from there. */
static void
test_continue_prefill_preset (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(NatterPreset) preset = natter_preset_new ("Prefill");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonArray *messages;
  JsonObject *last;
  guint n;

  g_assert_true (natter_preset_set (preset, "continue_prefill", "true", &error));
  g_assert_true (natter_preset_set (preset, "continue_postfix", " ", &error));
  g_assert_no_error (error);
  g_assert_true (natter_preset_store_save (f->presets, preset, &error));
  g_assert_true (natter_preset_store_set_default (f->presets, "Prefill", &error));
  g_assert_no_error (error);

  assert_continued (f, "openai", "/v1/chat/completions", openai_stream ("a time", "stop"),
                    "Once upon a time", "stop");
  body = fake_body (f, 0);
  messages = json_object_get_array_member (body, "messages");
  n = json_array_get_length (messages);
  last = json_array_get_object_element (messages, n - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "role"), ==, "assistant");
  g_assert_cmpstr (json_object_get_string_member (last, "content"), ==, "Once upon ");
  for (guint i = 0; i < n; i++)
    g_assert_null (strstr (message_content (messages, i), "Continue"));
}

/* A preset file full of connection fields redirects nothing. */
static void
test_connection_fields_ignored (Fixture       *f,
                                gconstpointer  data)
{
  const char *evil =
    "{\"chat_completion_source\":\"claude\",\"claude_model\":\"evil-model\",\"openai_model\":\"evil\","
    "\"custom_url\":\"https://evil.example/v1\",\"reverse_proxy\":\"https://evil.example\","
    "\"proxy_password\":\"hunter2\",\"custom_include_headers\":\"X-Evil: 1\","
    "\"custom_include_body\":\"evil: 1\",\"temperature\":0.5,\"prompts\":[],\"prompt_order\":[]}";
  g_autoptr(NatterProfile) profile = make_profile (f, "OpenAI", "openai", NULL);
  g_autoptr(NatterPreset) preset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterRequest) request = NULL;
  g_autofree char *url = NULL;
  g_autofree char *headers = NULL;
  g_autoptr(JsonObject) body = NULL;
  gint64 chat_id = chat_with (f, 1, "user");
  GBytes *bytes;

  preset = natter_preset_new_from_sillytavern (evil, strlen (evil), "Evil", &error);
  g_assert_no_error (error);
  natter_preset_store_save (f->presets, preset, &error);
  natter_preset_store_set_chat_preset (f->presets, chat_id, "Evil", &error);
  g_assert_no_error (error);

  request = natter_conversation_build_request (f->conv, chat_id, profile, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  url = g_strconcat (natter_fake_provider_get_url (f->fake), "/v1/chat/completions", NULL);
  g_assert_cmpstr (natter_request_get_url (request), ==, url);
  headers = natter_request_dup_redacted_headers_json (request);
  g_assert_null (strstr (headers, "Evil"));
  bytes = natter_request_get_body (request);
  g_assert_null (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "evil"));
  body = request_object (request);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "model-test");
  g_assert_cmpfloat (json_object_get_double_member (body, "temperature"), ==, 0.5);
  /* The profile itself is what it was. */
  g_assert_cmpstr (natter_profile_get_provider_id (profile), ==, "openai");
  g_assert_cmpstr (natter_profile_get_model (profile), ==, "model-test");
}

static NatterFakeResponse *
openai_whole (const char *text)
{
  g_autofree char *body = g_strdup_printf ("{\"id\":\"x\",\"object\":\"chat.completion\","
                                           "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                                           "\"content\":\"%s\"},\"finish_reason\":\"stop\"}],"
                                           "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}", text);

  return natter_fake_response_new_body (200, "application/json", body);
}

static NatterProfile *
sidecar_profile (Fixture *f)
{
  NatterProfile *profile = natter_profile_new ("Side", "openai");
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (f->fake), "/side/v1", NULL);

  natter_profile_set_base_url (profile, url);
  natter_profile_set_model (profile, "side-model");
  return profile;
}

static void
do_send (Fixture       *f,
         gint64         chat_id,
         NatterProfile *profile,
         const char    *text,
         Run           *run)
{
  memset (run, 0, sizeof *run);
  natter_conversation_send_async (f->conv, chat_id, profile, text, NULL, NULL, NULL, NULL, send_cb, run);
  g_assert_true (natter_test_wait_for (&run->done, 10000));
  /* The sidecar's work goes on after the send. */
  while (natter_conversation_has_background_work (f->conv))
    g_main_context_iteration (NULL, TRUE);
}

/* The purposes noted with every logged request, oldest first. */
static char *
purposes (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (f->log);
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(NatterLogEntry) entry = g_list_model_get_item (model, i - 1);
      g_autofree char *purpose = NULL;

      natter_preset_store_get_request_note (f->presets, natter_log_entry_get_id (entry), &purpose, NULL);
      g_string_append_printf (s, "%s%s", s->len > 0 ? "," : "", purpose != NULL ? purpose : "-");
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_sidecar_title (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "Main", "openai", NULL);
  g_autoptr(NatterProfile) side = sidecar_profile (f);
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *noted = NULL;
  gint64 chat_id = natter_chat_store_new_chat (f->store, 0, "New chat", &error);
  Run run;

  natter_conversation_set_sidecar (f->conv, side, NULL);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", openai_stream ("Hi", "stop"));
  natter_fake_provider_add_route (f->fake, "POST", "/side/v1/chat/completions",
                                  openai_whole ("\\\"Dragons at Dawn\\\""));
  do_send (f, chat_id, profile, "Tell me about dragons", &run);
  g_assert_no_error (run.error);

  chat = natter_chat_store_get_chat (f->store, chat_id, &error);
  g_assert_cmpstr (natter_chat_get_title (chat), ==, "Dragons at Dawn");
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 2);
  body = fake_body (f, 1);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "side-model");
  g_assert_nonnull (strstr (message_content (json_object_get_array_member (body, "messages"), 1),
                            "Tell me about dragons"));
  noted = purposes (f);
  g_assert_cmpstr (noted, ==, "chat,sidecar-title");
}

/* Without a sidecar a plain chat takes the first words of its first message. */
static void
test_title_fallback (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "Main", "openai", NULL);
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GError) error = NULL;
  gint64 chat_id = natter_chat_store_new_chat (f->store, 0, "New chat", &error);
  Run run;

  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", openai_stream ("Hi", "stop"));
  do_send (f, chat_id, profile, "  Tell me about the   dragons of the north please", &run);
  g_assert_no_error (run.error);
  chat = natter_chat_store_get_chat (f->store, chat_id, &error);
  g_assert_cmpstr (natter_chat_get_title (chat), ==, "Tell me about the dragons of");
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 1);
}

/* Messages that no longer fit are summarized by the sidecar, and the
 * summary is sent in their place from then on. */
static void
test_sidecar_summary (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "Main", "openai",
                                                   "{\"context_size\":300,\"max_tokens\":50}");
  g_autoptr(NatterProfile) side = sidecar_profile (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) side_body = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *noted = NULL;
  g_autofree char *long_text = g_strnfill (200, 'x');
  JsonArray *messages;
  gint64 chat_id = natter_chat_store_new_chat (f->store, 0, "Long", &error);
  gboolean found = FALSE;
  Run run;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *text = g_strdup_printf ("OLD-%02u %s", i, long_text);

      natter_chat_store_append_message (f->store, chat_id, i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                        NULL, text, &error);
      g_assert_no_error (error);
    }
  natter_conversation_set_sidecar (f->conv, side, "tiny");
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", openai_stream ("Hi", "stop"));
  natter_fake_provider_add_route (f->fake, "POST", "/side/v1/chat/completions",
                                  openai_whole ("SUMMARY-MARK the story so far"));
  do_send (f, chat_id, profile, "Next", &run);
  g_assert_no_error (run.error);

  /* The sidecar saw the oldest messages, not the ones that were sent. */
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 2);
  side_body = fake_body (f, 1);
  g_assert_cmpstr (json_object_get_string_member (side_body, "model"), ==, "tiny");
  g_assert_nonnull (strstr (message_content (json_object_get_array_member (side_body, "messages"), 1),
                            "OLD-00"));
  noted = purposes (f);
  g_assert_cmpstr (noted, ==, "chat,sidecar-summary");

  body = built_body (f, chat_id, profile, NULL);
  messages = json_object_get_array_member (body, "messages");
  for (guint i = 0; i < json_array_get_length (messages); i++)
    if (g_strcmp0 (message_content (messages, i), "SUMMARY-MARK the story so far") == 0)
      {
        const char *next = message_content (messages, i + 1);

        /* In its block's place: just before the history that is sent. */
        g_assert_true (strstr (next, "OLD-") != NULL || g_str_equal (next, "Next"));
        found = TRUE;
      }
  g_assert_true (found);
  g_assert_null (strstr (message_content (messages, 0), "OLD-00"));
}

/* An empty reply the provider refused says so instead of staying empty. */
static void
test_refusal (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "Claude", "anthropic", NULL);
  g_autoptr(NatterChatMessage) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gint64 chat_id = chat_with (f, 0, "user");
  Run run;

  natter_fake_provider_add_route (f->fake, "POST", "/v1/messages", anthropic_stream ("", "refusal"));
  do_send (f, chat_id, profile, "Something bad", &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST);
  g_assert_nonnull (strstr (run.error->message, "refused"));
  reply = natter_chat_store_get_message (f->store, run.reply_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_chat_message_get_state (reply), ==, NATTER_SWIPE_STATE_ERROR);
  g_assert_nonnull (strstr (natter_chat_message_get_error_message (reply), "refused"));
  reason = natter_preset_store_dup_finish_reason (f->presets, run.reply_id);
  g_assert_cmpstr (reason, ==, "refusal");
  g_clear_error (&run.error);
}

static void
add_reply (Fixture    *f,
           gint64      chat_id,
           const char *reasoning,
           const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterReplyWriter) writer = natter_chat_store_begin_reply (f->store, chat_id, "m", NULL, 0, &error);

  g_assert_no_error (error);
  natter_reply_writer_append_reasoning (writer, reasoning, -1, &error);
  natter_reply_writer_append (writer, text, -1, &error);
  natter_reply_writer_finish (writer, NATTER_SWIPE_STATE_COMPLETE, NATTER_ERROR_CATEGORY_NONE, NULL, &error);
  g_assert_no_error (error);
}

/* Past replies keep their reasoning in the history only as far as the
 * preset says (none by default). */
static void
test_reasoning_keep (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "OpenAI", "openai", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  gint64 chat_id = chat_with (f, 1, "user");
  const char *keep[] = { "reasoning_keep", "1", NULL };
  JsonArray *messages;
  guint n;

  add_reply (f, chat_id, "R1", "A1");
  natter_chat_store_append_message (f->store, chat_id, NATTER_ROLE_USER, NULL, "Q2", &error);
  add_reply (f, chat_id, "R2", "A2");
  natter_chat_store_append_message (f->store, chat_id, NATTER_ROLE_USER, NULL, "Q3", &error);
  g_assert_no_error (error);

  body = built_body (f, chat_id, profile, NULL);
  messages = json_object_get_array_member (body, "messages");
  n = json_array_get_length (messages);
  g_assert_cmpstr (message_content (messages, n - 2), ==, "A2");
  g_assert_cmpstr (message_content (messages, n - 4), ==, "A1");
  g_clear_pointer (&body, json_object_unref);

  save_preset (f, "Keep", keep);
  natter_preset_store_set_chat_preset (f->presets, chat_id, "Keep", &error);
  g_assert_no_error (error);
  body = built_body (f, chat_id, profile, NULL);
  messages = json_object_get_array_member (body, "messages");
  n = json_array_get_length (messages);
  g_assert_cmpstr (message_content (messages, n - 2), ==, "<think>\nR2\n</think>\nA2");
  g_assert_cmpstr (message_content (messages, n - 4), ==, "A1");
}

/* Text-completion backends keep the story string and get the preset's
 * in-history and after-history blocks among the messages. */
static void
test_text_completion_blocks (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "Llama", "llamacpp", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  const char *settings[] = { "prompt.note.content", "NOTE-MARK", "prompt.note.position", "history",
                             "prompt.note.depth", "1", "prompt.tail.content", "TAIL-MARK",
                             "prompt.tail.position", "after", "min_p", "0.07", NULL };
  gint64 chat_id = chat_with (f, 3, "user");
  const char *prompt, *note, *m2, *m3, *tail;

  save_preset (f, "Text", settings);
  natter_preset_store_set_chat_preset (f->presets, chat_id, "Text", &error);
  g_assert_no_error (error);
  body = built_body (f, chat_id, profile, NULL);
  g_assert_cmpfloat (json_object_get_double_member (body, "min_p"), ==, 0.07);
  prompt = json_object_get_string_member (body, "prompt");
  note = strstr (prompt, "NOTE-MARK");
  m2 = strstr (prompt, "m2");
  m3 = strstr (prompt, "m3");
  tail = strstr (prompt, "TAIL-MARK");
  g_assert_true (note != NULL && m2 != NULL && m3 != NULL && tail != NULL);
  /* One message above the end: between m2 and m3; the tail after m3. */
  g_assert_true (m2 < note && note < m3 && m3 < tail);
}

static void
chat_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(NatterChatResult) chat = natter_client_chat_finish (NATTER_CLIENT (object), result, NULL, NULL);
  Run *run = user_data;

  run->done = TRUE;
}

/* The member @path ("a.b") of @object, or NULL. */
static JsonNode *
member_at (JsonObject *object,
           const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (object == NULL || (node = json_object_get_member (object, parts[i])) == NULL)
        return NULL;
      object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
    }
  return node;
}

/* Over loopback, every dialect: a preset with every sampler set arrives
 * in the provider's own names and places, and nothing else of it. */
static void
test_loopback_every_dialect (Fixture       *f,
                             gconstpointer  data)
{
  static const struct {
    const char *provider;
    const char *base;         /* appended to the fake's URL */
    const char *present;      /* space-separated member paths */
    const char *absent;
  } cases[] = {
    { "openai", "/v1", "temperature top_p max_tokens stop frequency_penalty presence_penalty seed",
      "top_k min_p top_a repetition_penalty typical_p mirostat dry_multiplier" },
    { "openrouter", "/v1", "temperature top_p top_k min_p top_a repetition_penalty frequency_penalty seed",
      "typical_p mirostat tfs" },
    { "anthropic", "", "temperature top_p top_k max_tokens stop_sequences",
      "frequency_penalty presence_penalty seed min_p stop" },
    { "google", "", "generationConfig.temperature generationConfig.topP generationConfig.topK "
      "generationConfig.maxOutputTokens generationConfig.stopSequences generationConfig.presencePenalty "
      "generationConfig.frequencyPenalty generationConfig.seed", "temperature seed generationConfig.min_p" },
    { "cohere", "", "temperature p k max_tokens stop_sequences frequency_penalty presence_penalty seed",
      "top_p top_k min_p" },
    { "ollama", "", "options.temperature options.top_p options.top_k options.min_p options.repeat_penalty "
      "options.num_predict options.num_ctx options.seed options.stop options.mirostat options.tfs_z",
      "temperature min_p seed options.dry_multiplier" },
    { "koboldcpp", "", "temperature top_p top_k top_a min_p typical tfs rep_pen rep_pen_range max_length "
      "max_context_length dry_multiplier dry_sequence_breakers xtc_threshold xtc_probability mirostat "
      "sampler_seed sampler_order stop_sequence", "seed repetition_penalty frequency_penalty" },
    { "llamacpp", "", "temperature top_p top_k min_p typical_p tfs_z repeat_penalty repeat_last_n n_predict "
      "frequency_penalty presence_penalty dry_multiplier dry_base xtc_threshold mirostat seed stop",
      "max_tokens rep_pen top_a" },
    { "textgen-webui", "/v1", "temperature top_p top_k min_p top_a typical_p tfs repetition_penalty "
      "repetition_penalty_range max_tokens frequency_penalty mirostat_mode dry_sequence_breakers "
      "sampler_priority truncation_length seed", "rep_pen options" },
  };
  g_autoptr(JsonParser) sampling_parser = json_parser_new ();
  JsonObject *sampling;

  g_setenv ("OPENROUTER_API_KEY", "sk-or", TRUE);
  g_setenv ("GEMINI_API_KEY", "g-key", TRUE);
  g_setenv ("CO_API_KEY", "co-key", TRUE);
  g_assert_true (json_parser_load_from_data (sampling_parser,
    "{\"temperature\":0.8,\"top_p\":0.9,\"top_k\":40,\"min_p\":0.05,\"top_a\":0.2,"
    "\"typical_p\":0.95,\"tfs\":0.97,\"repetition_penalty\":1.1,\"repetition_penalty_range\":512,"
    "\"frequency_penalty\":0.3,\"presence_penalty\":0.4,\"dry_multiplier\":0.8,\"dry_base\":1.75,"
    "\"dry_allowed_length\":2,\"dry_penalty_last_n\":1024,\"dry_sequence_breakers\":[\"\\n\"],"
    "\"xtc_threshold\":0.1,\"xtc_probability\":0.5,\"mirostat_mode\":2,\"mirostat_tau\":5,"
    "\"mirostat_eta\":0.1,\"seed\":42,\"max_tokens\":300,\"context_size\":8192,\"stop\":[\"###\"],"
    "\"sampler_order\":[6,0,1],\"sampler_priority\":[\"temperature\",\"min_p\"]}", -1, NULL));
  sampling = json_node_get_object (json_parser_get_root (sampling_parser));
  natter_fake_provider_add_route (f->fake, "POST", "/*",
                                  natter_fake_response_new_body (500, "application/json",
                                                                 "{\"error\":{\"message\":\"fake\"}}"));

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(NatterProfile) profile = natter_profile_new (cases[c].provider, cases[c].provider);
      g_autofree char *url = g_strconcat (natter_fake_provider_get_url (f->fake), cases[c].base, NULL);
      g_auto(GStrv) present = g_strsplit (cases[c].present, " ", -1);
      g_auto(GStrv) absent = g_strsplit (cases[c].absent, " ", -1);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) dropped = NULL;
      NatterProvider *provider = NULL;
      const NatterDialect *dialect = NULL;
      const NatterFakeRequest *request;
      NatterPrompt *prompt = natter_prompt_new ();
      NatterGenParams params;
      JsonObject *body;
      guint n = natter_fake_provider_get_n_requests (f->fake);
      Run run = { 0 };

      natter_profile_set_base_url (profile, url);
      natter_profile_set_model (profile, "m");
      g_assert_true (natter_client_resolve (f->client, profile, &provider, &dialect, NULL, &error));
      natter_gen_params_init (&params);
      dropped = natter_sampling_apply (dialect, provider, sampling, NATTER_REASONING_UNSET, &params);
      natter_prompt_add (prompt, NATTER_ROLE_USER, "Hi");
      natter_client_chat_async (f->client, profile, prompt, &params, NULL, NULL, NULL, chat_cb, &run);
      g_assert_true (natter_test_wait_for (&run.done, 10000));
      natter_prompt_free (prompt);
      natter_gen_params_clear (&params);

      g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, n + 1);
      request = natter_fake_provider_get_request (f->fake, n);
      g_test_message ("%s %s: %s", cases[c].provider, request->path, request->body);
      g_assert_true (json_parser_load_from_data (parser, request->body, request->body_len, NULL));
      body = json_node_get_object (json_parser_get_root (parser));
      for (guint i = 0; present[i] != NULL; i++)
        if (member_at (body, present[i]) == NULL)
          g_error ("%s: %s was not sent", cases[c].provider, present[i]);
      for (guint i = 0; absent[i] != NULL; i++)
        if (member_at (body, absent[i]) != NULL)
          g_error ("%s: %s was sent", cases[c].provider, absent[i]);
    }
}

/* Which preset applies: the chat's, else the character's, else the
 * connection's, else the global default; a vanished choice is passed over. */
static void
test_resolve_order (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *card = "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"Mira\","
                     "\"description\":\"\",\"personality\":\"\",\"scenario\":\"\",\"first_mes\":\"\","
                     "\"mes_example\":\"\"}}";
  gint64 character_id = natter_chat_store_add_character (f->store, NULL, card, NULL, &error);
  gint64 chat_id = natter_chat_store_new_chat (f->store, character_id, "C", &error);
  const char *none[] = { NULL };
  const char *source = NULL;
  NatterPreset *preset;

  g_assert_no_error (error);
  save_preset (f, "ForChat", none);
  save_preset (f, "ForCharacter", none);
  save_preset (f, "ForConnection", none);
  save_preset (f, "Global", none);
  natter_preset_store_set_default (f->presets, "Global", &error);
  natter_preset_store_set_character_preset (f->presets, character_id, "ForCharacter", &error);
  natter_preset_store_set_chat_preset (f->presets, chat_id, "ForChat", &error);
  g_assert_no_error (error);

#define EXPECT(name, src) \
  preset = natter_preset_store_resolve (f->presets, chat_id, character_id, "ForConnection", &source, &error); \
  g_assert_no_error (error); \
  g_assert_cmpstr (natter_preset_get_name (preset), ==, name); \
  g_assert_cmpstr (source, ==, src); \
  g_object_unref (preset);

  EXPECT ("ForChat", "chat");
  natter_preset_store_delete (f->presets, "ForChat", &error);
  g_assert_no_error (error);
  EXPECT ("ForCharacter", "character");
  natter_preset_store_set_character_preset (f->presets, character_id, NULL, &error);
  EXPECT ("ForConnection", "connection");
  preset = natter_preset_store_resolve (f->presets, chat_id, character_id, "Vanished", &source, &error);
  g_assert_cmpstr (natter_preset_get_name (preset), ==, "Global");
  g_assert_cmpstr (source, ==, "default");
  g_object_unref (preset);
  natter_preset_store_delete (f->presets, "Global", &error);
  g_assert_no_error (error);
  preset = natter_preset_store_resolve (f->presets, chat_id, character_id, NULL, &source, &error);
  g_assert_cmpstr (natter_preset_get_name (preset), ==, "Default");
  g_object_unref (preset);
#undef EXPECT

  /* A deleted chat takes its choice with it. */
  natter_preset_store_set_chat_preset (f->presets, chat_id, "ForCharacter", &error);
  natter_chat_store_delete_chat (f->store, chat_id, &error);
  g_assert_no_error (error);
  g_assert_null (natter_preset_store_dup_chat_preset (f->presets, chat_id));
  /* A built-in cannot be deleted; a saved one of its name can, and the built-in returns. */
  g_assert_false (natter_preset_store_delete (f->presets, "Precise", &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
}

/* names_behavior: none, the "name" member, or "Name: " in the text. */
static void
test_names_behavior (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "OpenAI", "openai", NULL);
  g_autoptr(GError) error = NULL;
  gint64 chat_id = chat_with (f, 2, "user");
  const char *values[] = { "-1", "1", "2" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      const char *settings[] = { "names_behavior", values[i], NULL };
      g_autoptr(JsonObject) body = NULL;
      JsonObject *last;

      save_preset (f, "Names", settings);
      natter_preset_store_set_chat_preset (f->presets, chat_id, "Names", &error);
      g_assert_no_error (error);
      body = built_body (f, chat_id, profile, NULL);
      last = json_array_get_object_element (json_object_get_array_member (body, "messages"),
                                            json_array_get_length (json_object_get_array_member (body, "messages")) - 1);
      switch (i)
        {
        case 0:
          g_assert_false (json_object_has_member (last, "name"));
          g_assert_cmpstr (json_object_get_string_member (last, "content"), ==, "m2");
          break;
        case 1:
          g_assert_cmpstr (json_object_get_string_member (last, "name"), ==, "User");
          g_assert_cmpstr (json_object_get_string_member (last, "content"), ==, "m2");
          break;
        default:
          g_assert_false (json_object_has_member (last, "name"));
          g_assert_cmpstr (json_object_get_string_member (last, "content"), ==, "User: m2");
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/natter/preset-conversation/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("in-history-depth", test_in_history_depth);
  ADD ("switch-connection-keeps-preset", test_switch_connection_keeps_preset);
  ADD ("loopback-send", test_loopback_send);
  ADD ("continue-nudge", test_continue_nudge);
  ADD ("continue-prefill", test_continue_prefill);
  ADD ("continue-text-completion", test_continue_text_completion);
  ADD ("continue-prefill-preset", test_continue_prefill_preset);
  ADD ("connection-fields-ignored", test_connection_fields_ignored);
  ADD ("sidecar-title", test_sidecar_title);
  ADD ("title-fallback", test_title_fallback);
  ADD ("sidecar-summary", test_sidecar_summary);
  ADD ("refusal", test_refusal);
  ADD ("reasoning-keep", test_reasoning_keep);
  ADD ("text-completion-blocks", test_text_completion_blocks);
  ADD ("loopback-every-dialect", test_loopback_every_dialect);
  ADD ("resolve-order", test_resolve_order);
  ADD ("names-behavior", test_names_behavior);
#undef ADD

  return g_test_run ();
}
