/* test-conversation.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-card.h"
#include "natter-chat-store.h"
#include "natter-chat-store-editing.h"
#include "natter-client.h"
#include "natter-conversation.h"
#include "natter-database.h"
#include "natter-fake-provider.h"
#include "natter-lore-note.h"
#include "natter-profile.h"
#include "natter-request-log.h"
#include "natter-test-util.h"

#define TEST_KEY "sk-conv-SECRET-0123456789"

typedef NatterTestEngine Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  natter_test_engine_open (f);
  g_setenv ("OPENAI_API_KEY", TEST_KEY, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  natter_test_engine_close (f);
}

static NatterProfile *
make_profile (Fixture    *f,
              const char *provider_id,
              const char *settings)
{
  NatterProfile *profile = natter_profile_new ("Test", provider_id);
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (f->fake), "/v1", NULL);

  natter_profile_set_base_url (profile, url);
  natter_profile_set_model (profile, "model-test");
  if (settings != NULL)
    natter_profile_set_settings (profile, settings);
  return profile;
}

static char *
openai_chunk (const char *content)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "c1");
  json_builder_set_member_name (b, "object");
  json_builder_add_string_value (b, "chat.completion.chunk");
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "delta");
  json_builder_begin_object (b);
  if (content != NULL)
    {
      json_builder_set_member_name (b, "content");
      json_builder_add_string_value (b, content);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "finish_reason");
  if (content != NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, "stop");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  return g_strdup_printf ("data: %s\n\n", json);
}

/* A complete openai-chat stream of @parts (NULL-terminated). */
static NatterFakeResponse *
openai_stream (const char * const *parts,
               gboolean            complete)
{
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *chunk = openai_chunk (parts[i]);
      natter_fake_response_add_chunk (response, chunk, -1, 0);
    }
  if (complete)
    {
      g_autofree char *last = openai_chunk (NULL);
      natter_fake_response_add_chunk (response, last, -1, 0);
      natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
    }
  return response;
}

static const char * const hello_parts[] = { "Hel", "lo", " there", NULL };

/* ------------------------------------------------------------ running */

typedef struct
{
  gboolean      done;
  gint64        message_id;
  gint64        reply_id;
  GError       *error;
  GString      *text;
  GCancellable *cancel_on_text;
} Run;

static void
run_on_delta (const NatterDelta *delta,
              gpointer           user_data)
{
  Run *run = user_data;

  if (delta->kind == NATTER_DELTA_TEXT)
    {
      g_string_append_len (run->text, delta->text, delta->len);
      if (run->cancel_on_text != NULL)
        g_cancellable_cancel (run->cancel_on_text);
    }
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->message_id = natter_conversation_send_finish (NATTER_CONVERSATION (object), result,
                                                     &run->reply_id, &run->error);
  run->done = TRUE;
}

static void
regenerate_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Run *run = user_data;

  run->message_id = natter_conversation_regenerate_finish (NATTER_CONVERSATION (object), result,
                                                           &run->reply_id, &run->error);
  run->done = TRUE;
}

static void
run_clear (Run *run)
{
  g_clear_error (&run->error);
  g_string_free (run->text, TRUE);
}

/* Records "message-added" and "swipe-started" emissions as "a:ID" / "s:ID". */
static void
on_added (NatterConversation *conv,
          gint64              chat_id,
          gint64              message_id,
          gpointer            user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "a:%" G_GINT64_FORMAT " ", message_id);
}

static void
on_swipe (NatterConversation *conv,
          gint64              chat_id,
          gint64              message_id,
          gpointer            user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "s:%" G_GINT64_FORMAT " ", message_id);
}

static void
do_send (Fixture       *f,
         gint64         chat_id,
         NatterProfile *profile,
         const char    *text,
         GCancellable  *cancellable,
         Run           *run)
{
  memset (run, 0, sizeof *run);
  run->text = g_string_new (NULL);
  run->cancel_on_text = cancellable;
  natter_conversation_send_async (f->conv, chat_id, profile, text, NULL, run_on_delta, run,
                                  cancellable, send_cb, run);
  g_assert_true (natter_test_wait_for (&run->done, 10000));
}

static void
do_regenerate (Fixture       *f,
               gint64         chat_id,
               NatterProfile *profile,
               Run           *run)
{
  memset (run, 0, sizeof *run);
  run->text = g_string_new (NULL);
  natter_conversation_regenerate_async (f->conv, chat_id, profile, NULL, run_on_delta, run,
                                        NULL, regenerate_cb, run);
  g_assert_true (natter_test_wait_for (&run->done, 10000));
}

/* The body of the @i-th request the fake provider received, parsed. */
static JsonObject *
request_body (Fixture *f,
              guint    i)
{
  const NatterFakeRequest *req = natter_fake_provider_get_request (f->fake, i);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (req);
  json_parser_load_from_data (parser, req->body, req->body_len, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static NatterChatMessage *
last_message (Fixture *f,
              gint64   chat_id)
{
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  page = natter_chat_store_page_messages (f->store, chat_id, -1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  return g_object_ref (g_ptr_array_index (page, 0));
}

/* A character with every prompt part marked, and a lorebook entry. */
static const char card_json[] =
  "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{"
  "\"name\":\"Mira\",\"description\":\"DESC-MARK {{char}} is a cartographer.\","
  "\"personality\":\"PERS-MARK\",\"scenario\":\"SCEN-MARK\","
  "\"first_mes\":\"Hello {{user}}, I am {{char}}.\",\"mes_example\":\"\","
  "\"system_prompt\":\"SYS-MARK\",\"post_history_instructions\":\"POST-MARK\","
  "\"alternate_greetings\":[\"Alt one, {{user}}.\",\"Alt two from {{char}}.\"],"
  "\"tags\":[],\"creator\":\"\",\"character_version\":\"\",\"creator_notes\":\"\","
  "\"extensions\":{},"
  "\"character_book\":{\"name\":\"Mira's book\",\"entries\":["
  "{\"keys\":[\"dragon\"],\"content\":\"LORE-DRAGON: dragons sleep in winter.\","
  "\"enabled\":true,\"insertion_order\":10,\"id\":1,\"extensions\":{}}]}}}";

/* A chat-attached SillyTavern world book. */
static const char world_json[] =
  "{\"entries\":{\"0\":{\"uid\":0,\"key\":[\"castle\"],\"keysecondary\":[],"
  "\"content\":\"LORE-CASTLE: the castle has nine towers.\",\"order\":100,"
  "\"position\":0,\"disable\":false,\"constant\":false,\"selective\":false}}}";

static gint64
add_character (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 id = natter_chat_store_add_character (f->store, NULL, card_json, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static int
index_of (const char *haystack,
          const char *needle)
{
  const char *p = strstr (haystack, needle);

  g_assert_nonnull (p);
  return (int) (p - haystack);
}

/* ------------------------------------------------------------ tests */

static void
test_request_parts (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(NatterChatMessage) reply = NULL;
  g_autoptr(NatterRequest) preview = NULL;
  NatterPromptResult *preview_result = NULL;
  JsonArray *messages;
  const char *system;
  gint64 character_id, chat_id, persona_id, book_id;
  NatterLogEntry *entry;
  guint n;
  Run run;

  character_id = add_character (f);
  persona_id = natter_chat_store_add_persona (f->store, "Alice", "PERSONA-MARK Alice is a sailor.",
                                              NULL, &error);
  g_assert_no_error (error);
  natter_chat_store_set_default_persona (f->store, persona_id, &error);
  g_assert_no_error (error);

  chat_id = natter_conversation_new_chat (f->conv, character_id, NULL, &error);
  g_assert_no_error (error);
  book_id = natter_chat_store_add_lorebook (f->store, "Castles", world_json, &error);
  g_assert_no_error (error);
  natter_chat_store_attach_lorebook (f->store, book_id, 0, chat_id, &error);
  g_assert_no_error (error);

  natter_chat_store_append_message (f->store, chat_id, NATTER_ROLE_USER, "Alice",
                                    "Have you seen the castle?", &error);
  g_assert_no_error (error);
  natter_chat_store_append_message (f->store, chat_id, NATTER_ROLE_ASSISTANT, "Mira",
                                    "HIST-2 Only the castle, from afar.", &error);
  g_assert_no_error (error);

  /* What would be sent, without sending. */
  preview = natter_conversation_build_request (f->conv, chat_id, profile,
                                               "Tell me about the dragon.", NULL,
                                               &preview_result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview_result);
  g_assert_cmpint (preview_result->input_tokens, >, 0);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 0);
  g_assert_cmpint (natter_chat_store_count_messages (f->store, chat_id, NULL), ==, 3);

  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
                                  openai_stream (hello_parts, TRUE));
  do_send (f, chat_id, profile, "Tell me about the dragon.", NULL, &run);
  g_assert_no_error (run.error);
  g_assert_cmpint (run.message_id, >, 0);
  g_assert_cmpint (run.reply_id, ==, run.message_id);
  g_assert_cmpstr (run.text->str, ==, "Hello there");

  /* The preview was exactly what went out. */
  {
    const NatterFakeRequest *req = natter_fake_provider_get_request (f->fake, 0);
    gsize len;
    const char *sent = g_bytes_get_data (natter_request_get_body (preview), &len);

    g_assert_cmpmem (sent, len, req->body, req->body_len);
  }

  body = request_body (f, 0);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "model-test");
  messages = json_object_get_array_member (body, "messages");
  n = json_array_get_length (messages);
  g_assert_cmpuint (n, ==, 6);

  /* One system message with the character's parts, lore and persona in order. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "role"),
                   ==, "system");
  system = json_object_get_string_member (json_array_get_object_element (messages, 0), "content");
  g_assert_true (g_str_has_prefix (system, "SYS-MARK"));
  g_assert_cmpint (index_of (system, "LORE-CASTLE"), <, index_of (system, "DESC-MARK"));
  g_assert_cmpint (index_of (system, "DESC-MARK"), <, index_of (system, "PERS-MARK"));
  g_assert_cmpint (index_of (system, "PERS-MARK"), <, index_of (system, "SCEN-MARK"));
  g_assert_cmpint (index_of (system, "LORE-DRAGON"), <, index_of (system, "DESC-MARK"));
  g_assert_cmpint (index_of (system, "SCEN-MARK"), <, index_of (system, "PERSONA-MARK"));

  /* The history in order: greeting, the two messages, the new one, then
   * the post-history instructions. */
  {
    static const char * const roles[] = { "system", "assistant", "user", "assistant", "user", "system" };
    static const char * const contents[] = { NULL, "Hello Alice, I am Mira.", "Have you seen the castle?",
                                              "HIST-2 Only the castle, from afar.", "Tell me about the dragon.",
                                              "POST-MARK" };
    for (guint i = 0; i < n; i++)
      {
        JsonObject *m = json_array_get_object_element (messages, i);

        g_assert_cmpstr (json_object_get_string_member (m, "role"), ==, roles[i]);
        if (contents[i] != NULL)
          g_assert_cmpstr (json_object_get_string_member (m, "content"), ==, contents[i]);
      }
  }

  /* The reply is stored complete, after the stored user message. */
  reply = last_message (f, chat_id);
  g_assert_cmpint (natter_chat_message_get_id (reply), ==, run.message_id);
  g_assert_cmpint (natter_chat_message_get_role (reply), ==, NATTER_ROLE_ASSISTANT);
  g_assert_cmpstr (natter_chat_message_get_content (reply), ==, "Hello there");
  g_assert_cmpint (natter_chat_message_get_state (reply), ==, NATTER_SWIPE_STATE_COMPLETE);
  g_assert_cmpstr (natter_chat_message_get_model (reply), ==, "model-test");
  g_assert_cmpint (natter_chat_store_count_messages (f->store, chat_id, NULL), ==, 5);

  /* The request log has the estimate of what was sent. */
  entry = natter_request_log_get_last (f->log);
  g_assert_nonnull (entry);
  g_assert_cmpint (natter_log_entry_get_estimated_input_tokens (entry), >,
                   (gint64) (strlen (system) / 4));
  g_assert_cmpint (natter_log_entry_get_estimated_input_tokens (entry), ==,
                   preview_result->input_tokens);
  natter_prompt_result_free (preview_result);
  run_clear (&run);
}

static void
test_budget (Fixture       *f,
             gconstpointer  data)
{
  /* 100-token messages (350 bytes), a 1000-token context, 200 for the reply. */
  g_autoptr(NatterProfile) profile = make_profile (f, "openai",
                                                   "{\"context_size\": 1000, \"max_tokens\": 200}");
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  NatterPromptResult *result = NULL;
  g_autofree char *pad = g_strnfill (340, 'x');
  JsonArray *messages;
  const char *body_text;
  gint64 chat_id;
  guint n;
  Run run;

  chat_id = natter_conversation_new_chat (f->conv, 0, "Budget", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *text = g_strdup_printf ("M%03u %s", i, pad);

      natter_chat_store_append_message (f->store, chat_id,
                                        i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                        NULL, text, &error);
      g_assert_no_error (error);
    }

  /* What would be sent, without sending. */
  request = natter_conversation_build_request (f->conv, chat_id, profile, "Go on.", NULL,
                                               &result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->budget, ==, 800);
  g_assert_cmpint (result->input_tokens, <=, 800);
  g_assert_cmpuint (result->history_kept, >=, 5);
  /* Only the newest part of the chat was read, not all 200 messages. */
  g_assert_cmpuint (result->history_total, <, 20);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 0);
  g_assert_cmpstr (natter_request_get_header (request, "Authorization"), !=, "Bearer " TEST_KEY);
  natter_prompt_result_free (result);

  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
                                  openai_stream (hello_parts, TRUE));
  do_send (f, chat_id, profile, "Go on.", NULL, &run);
  g_assert_no_error (run.error);

  body_text = natter_fake_provider_get_request (f->fake, 0)->body;
  body = request_body (f, 0);
  messages = json_object_get_array_member (body, "messages");
  n = json_array_get_length (messages);
  /* The newest history is there, contiguous, ending with the new message;
   * the oldest is dropped. */
  g_assert_nonnull (strstr (body_text, "M199 "));
  g_assert_nonnull (strstr (body_text, "M195 "));
  g_assert_null (strstr (body_text, "M000 "));
  g_assert_null (strstr (body_text, "M150 "));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, n - 1),
                                                  "content"), ==, "Go on.");
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 200);
  run_clear (&run);
}

static void
test_text_completion (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const chunks[] = {
    "data: {\"id\":\"t1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"Fine\",\"finish_reason\":null}]}\n\n",
    "data: {\"id\":\"t1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\" thanks\",\"finish_reason\":\"stop\"}]}\n\n",
    "data: [DONE]\n\n",
    NULL
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "tabbyapi", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(NatterChatMessage) reply = NULL;
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  JsonArray *stop;
  const char *prompt;
  gboolean has_im_end = FALSE;
  gint64 chat_id;
  Run run;

  for (guint i = 0; chunks[i] != NULL; i++)
    natter_fake_response_add_chunk (response, chunks[i], -1, 0);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/completions", response);

  chat_id = natter_conversation_new_chat (f->conv, add_character (f), NULL, &error);
  g_assert_no_error (error);
  do_send (f, chat_id, profile, "How are you?", NULL, &run);
  g_assert_no_error (run.error);

  body = request_body (f, 0);
  prompt = json_object_get_string_member (body, "prompt");
  g_assert_nonnull (prompt);
  /* ChatML: the story string as a system turn, the greeting, the new
   * message, then the reply opener. */
  g_assert_true (g_str_has_prefix (prompt, "<|im_start|>system\n"));
  g_assert_cmpint (index_of (prompt, "SYS-MARK"), <, index_of (prompt, "DESC-MARK Mira is"));
  g_assert_cmpint (index_of (prompt, "DESC-MARK"), <,
                   index_of (prompt, "<|im_start|>assistant\nMira: Hello User, I am Mira.<|im_end|>"));
  g_assert_cmpint (index_of (prompt, "Hello User, I am Mira."), <,
                   index_of (prompt, "<|im_start|>user\nUser: How are you?<|im_end|>"));
  g_assert_true (g_str_has_suffix (prompt, "<|im_start|>assistant\nMira:"));

  stop = json_object_get_array_member (body, "stop");
  g_assert_nonnull (stop);
  for (guint i = 0; i < json_array_get_length (stop); i++)
    has_im_end |= g_str_equal (json_array_get_string_element (stop, i), "<|im_end|>");
  g_assert_true (has_im_end);

  reply = last_message (f, chat_id);
  g_assert_cmpstr (natter_chat_message_get_content (reply), ==, "Fine thanks");
  g_assert_cmpint (natter_chat_message_get_state (reply), ==, NATTER_SWIPE_STATE_COMPLETE);
  run_clear (&run);
}

/* A text-completion connection for a Llama 3 model writes Llama 3's
 * sequences (not ChatML) and always sends a reply limit; a template chosen
 * for the connection wins over the model's. */
static void
test_text_completion_template_from_model (Fixture       *f,
                                          gconstpointer  data)
{
  static const char * const chunks[] = {
    "data: {\"id\":\"t1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"Fine\",\"finish_reason\":\"stop\"}]}\n\n",
    "data: [DONE]\n\n",
    NULL
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "tabbyapi", NULL);
  g_autoptr(NatterProfile) chosen = make_profile (f, "tabbyapi", "{\"instruct_template\":\"Mistral\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) body2 = NULL;
  const char *prompt;
  gint64 chat_id;
  Run run;

  for (guint n = 0; n < 2; n++)
    {
      NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");

      for (guint i = 0; chunks[i] != NULL; i++)
        natter_fake_response_add_chunk (response, chunks[i], -1, 0);
      natter_fake_provider_add_route (f->fake, "POST", "/v1/completions", response);
    }

  natter_profile_set_model (profile, "Meta-Llama-3.1-8B-Instruct");
  natter_profile_set_model (chosen, "Meta-Llama-3.1-8B-Instruct");
  chat_id = natter_conversation_new_chat (f->conv, add_character (f), NULL, &error);
  g_assert_no_error (error);
  do_send (f, chat_id, profile, "How are you?", NULL, &run);
  g_assert_no_error (run.error);
  run_clear (&run);

  body = request_body (f, 0);
  prompt = json_object_get_string_member (body, "prompt");
  g_assert_true (g_str_has_prefix (prompt, "<|start_header_id|>system<|end_header_id|>\n\n"));
  g_assert_nonnull (strstr (prompt, "<|start_header_id|>user<|end_header_id|>\n\nUser: How are you?<|eot_id|>"));
  g_assert_null (strstr (prompt, "<|im_start|>"));
  g_assert_true (json_object_has_member (body, "max_tokens"));
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), >, 0);

  do_send (f, chat_id, chosen, "And now?", NULL, &run);
  g_assert_no_error (run.error);
  run_clear (&run);
  body2 = request_body (f, 1);
  prompt = json_object_get_string_member (body2, "prompt");
  g_assert_nonnull (strstr (prompt, "[INST] User: And now? [/INST]"));
  g_assert_null (strstr (prompt, "<|start_header_id|>"));
}

static void
test_error_mid_stream (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatMessage) reply = NULL;
  NatterFakeResponse *response;
  gint64 chat_id;
  Run run;

  /* Two text chunks, then half an event and the connection drops. */
  response = openai_stream (hello_parts, FALSE);
  natter_fake_response_add_chunk (response, "data: {\"id\":\"c1\",\"choi", -1, 0);
  natter_fake_response_set_drop_after (response, 4);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", response);

  chat_id = natter_conversation_new_chat (f->conv, 0, NULL, &error);
  g_assert_no_error (error);
  do_send (f, chat_id, profile, "Hi", NULL, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK);
  g_assert_cmpint (run.message_id, ==, 0);
  g_assert_cmpint (run.reply_id, >, 0);

  reply = natter_chat_store_get_message (f->store, run.reply_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_chat_message_get_content (reply), ==, "Hello there");
  g_assert_cmpint (natter_chat_message_get_state (reply), ==, NATTER_SWIPE_STATE_ERROR);
  g_assert_cmpint (natter_chat_message_get_error_category (reply), ==,
                   NATTER_ERROR_CATEGORY_NETWORK);
  g_assert_nonnull (natter_chat_message_get_error_message (reply));
  /* The user's message stays. */
  g_assert_cmpint (natter_chat_store_count_messages (f->store, chat_id, NULL), ==, 2);
  run_clear (&run);
}

static void
test_http_error (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatMessage) reply = NULL;
  gint64 chat_id;
  Run run;

  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
                                  natter_fake_response_new_body (429, "application/json",
                                                                 "{\"error\":{\"message\":\"Slow down please\",\"type\":\"rate_limit\"}}"));
  chat_id = natter_conversation_new_chat (f->conv, 0, NULL, &error);
  g_assert_no_error (error);
  do_send (f, chat_id, profile, "Hi", NULL, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_RATE_LIMITED);
  reply = natter_chat_store_get_message (f->store, run.reply_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_chat_message_get_content (reply), ==, "");
  g_assert_cmpint (natter_chat_message_get_state (reply), ==, NATTER_SWIPE_STATE_ERROR);
  g_assert_cmpint (natter_chat_message_get_error_category (reply), ==,
                   NATTER_ERROR_CATEGORY_RATE_LIMITED);
  g_assert_nonnull (strstr (natter_chat_message_get_error_message (reply), "Slow down please"));
  run_clear (&run);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatMessage) reply = NULL;
  NatterFakeResponse *response;
  gint64 chat_id;
  Run run;

  response = openai_stream (hello_parts, TRUE);
  natter_fake_response_set_stall_after (response, 1);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", response);

  chat_id = natter_conversation_new_chat (f->conv, 0, NULL, &error);
  g_assert_no_error (error);
  do_send (f, chat_id, profile, "Hi", cancellable, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED);

  reply = natter_chat_store_get_message (f->store, run.reply_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_chat_message_get_content (reply), ==, "Hel");
  g_assert_cmpint (natter_chat_message_get_state (reply), ==, NATTER_SWIPE_STATE_CANCELLED);
  run_clear (&run);
}

static void
test_regenerate (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const second[] = { "Another ", "answer", NULL };
  g_autoptr(GString) signals = g_string_new (NULL);
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatMessage) reply = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonArray *messages;
  gint64 chat_id;
  guint n;
  Run run;

  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
                                  openai_stream (hello_parts, TRUE));
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
                                  openai_stream (second, TRUE));

  g_signal_connect (f->conv, "message-added", G_CALLBACK (on_added), signals);
  g_signal_connect (f->conv, "swipe-started", G_CALLBACK (on_swipe), signals);

  chat_id = natter_conversation_new_chat (f->conv, 0, NULL, &error);
  g_assert_no_error (error);

  /* Nothing to regenerate yet. */
  do_regenerate (f, chat_id, profile, &run);
  g_assert_error (run.error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_NO_REPLY);
  run_clear (&run);

  do_send (f, chat_id, profile, "Question?", NULL, &run);
  g_assert_no_error (run.error);
  {
    g_autofree char *expected = g_strdup_printf ("a:%" G_GINT64_FORMAT " a:%" G_GINT64_FORMAT " ",
                                                 run.message_id - 1, run.message_id);
    g_assert_cmpstr (signals->str, ==, expected);
    g_string_truncate (signals, 0);
  }
  run_clear (&run);

  do_regenerate (f, chat_id, profile, &run);
  g_assert_no_error (run.error);
  reply = natter_chat_store_get_message (f->store, run.message_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (natter_chat_message_get_n_swipes (reply), ==, 2);
  g_assert_cmpuint (natter_chat_message_get_swipe_index (reply), ==, 1);
  g_assert_cmpstr (natter_chat_message_get_content (reply), ==, "Another answer");
  {
    g_autofree char *expected = g_strdup_printf ("s:%" G_GINT64_FORMAT " ", run.message_id);
    g_assert_cmpstr (signals->str, ==, expected);
  }
  g_assert_cmpint (natter_chat_message_get_state (reply), ==, NATTER_SWIPE_STATE_COMPLETE);
  g_assert_cmpint (natter_chat_store_count_messages (f->store, chat_id, NULL), ==, 2);

  /* The reply being replaced was not sent as history. */
  body = request_body (f, 1);
  messages = json_object_get_array_member (body, "messages");
  n = json_array_get_length (messages);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, n - 1),
                                                  "content"), ==, "Question?");
  g_assert_null (strstr (natter_fake_provider_get_request (f->fake, 1)->body, "Hello there"));

  /* The first alternative is still there. */
  natter_chat_store_select_swipe (f->store, run.message_id, 0, &error);
  g_assert_no_error (error);
  natter_chat_store_refresh_message (f->store, reply, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_chat_message_get_content (reply), ==, "Hello there");
  run_clear (&run);
}

/* Replaces every case-insensitive {{user}} and {{char}}. */
static char *
expand (const char *text,
        const char *user,
        const char *chr)
{
  g_autoptr(GRegex) u = g_regex_new ("\\{\\{user\\}\\}", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GRegex) c = g_regex_new ("\\{\\{char\\}\\}", G_REGEX_CASELESS, 0, NULL);
  g_autofree char *a = g_regex_replace_literal (u, text, -1, 0, user, 0, NULL);

  return g_regex_replace_literal (c, a, -1, 0, chr, 0, NULL);
}

static void
test_new_chat_seraphina (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *path = natter_test_fixture_path ("sillytavern/default_Seraphina.png");
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) alternates = NULL;
  NatterChatMessage *first;
  gint64 character_id, chat_id;

  card = natter_card_load_file (path, &error);
  g_assert_no_error (error);
  json = natter_card_dup_json (card);
  character_id = natter_chat_store_add_character (f->store, NULL, json,
                                                  natter_card_get_avatar (card), &error);
  g_assert_no_error (error);

  chat_id = natter_conversation_new_chat (f->conv, character_id, NULL, &error);
  g_assert_no_error (error);
  chat = natter_chat_store_get_chat (f->store, chat_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_chat_get_character_id (chat), ==, character_id);
  g_assert_cmpstr (natter_chat_get_title (chat), ==, "Seraphina");

  page = natter_chat_store_page_messages (f->store, chat_id, -1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  first = g_ptr_array_index (page, 0);
  expected = expand (natter_card_get_first_mes (card), "User", "Seraphina");
  g_assert_true (g_str_has_prefix (expected, "*You wake with a start"));
  g_assert_cmpstr (natter_chat_message_get_content (first), ==, expected);
  g_assert_cmpint (natter_chat_message_get_role (first), ==, NATTER_ROLE_ASSISTANT);
  g_assert_cmpstr (natter_chat_message_get_name (first), ==, "Seraphina");
  g_assert_null (strstr (natter_chat_message_get_content (first), "{{"));
  alternates = natter_card_dup_alternate_greetings (card);
  g_assert_cmpuint (natter_chat_message_get_n_swipes (first), ==, 1 + g_strv_length (alternates));
  g_assert_cmpuint (natter_chat_message_get_swipe_index (first), ==, 0);
}

static void
test_new_chat_alternates (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatMessage) first = NULL;
  gint64 chat_id, persona_id;

  persona_id = natter_chat_store_add_persona (f->store, "Alice", "", NULL, &error);
  g_assert_no_error (error);
  natter_chat_store_set_default_persona (f->store, persona_id, &error);
  g_assert_no_error (error);

  chat_id = natter_conversation_new_chat (f->conv, add_character (f), "My title", &error);
  g_assert_no_error (error);
  first = last_message (f, chat_id);
  g_assert_cmpstr (natter_chat_message_get_content (first), ==, "Hello Alice, I am Mira.");
  g_assert_cmpuint (natter_chat_message_get_n_swipes (first), ==, 3);
  natter_chat_store_select_swipe (f->store, natter_chat_message_get_id (first), 1, &error);
  g_assert_no_error (error);
  natter_chat_store_refresh_message (f->store, first, &error);
  g_assert_cmpstr (natter_chat_message_get_content (first), ==, "Alt one, Alice.");
  natter_chat_store_select_swipe (f->store, natter_chat_message_get_id (first), 2, &error);
  g_assert_no_error (error);
  natter_chat_store_refresh_message (f->store, first, &error);
  g_assert_cmpstr (natter_chat_message_get_content (first), ==, "Alt two from Mira.");
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", "{\"context_size\": \"big\"}");
  g_autoptr(NatterProfile) good = make_profile (f, "openai", NULL);
  g_autoptr(GError) error = NULL;
  gint64 chat_id;
  Run run;

  chat_id = natter_conversation_new_chat (f->conv, 0, NULL, &error);
  g_assert_no_error (error);

  /* Bad settings: a clear error and nothing stored. */
  do_send (f, chat_id, profile, "Hi", NULL, &run);
  g_assert_error (run.error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_BAD_SETTINGS);
  g_assert_nonnull (strstr (run.error->message, "context_size"));
  g_assert_cmpint (natter_chat_store_count_messages (f->store, chat_id, NULL), ==, 0);
  run_clear (&run);

  /* An unknown chat. */
  do_send (f, 987654, good, "Hi", NULL, &run);
  g_assert_nonnull (run.error);
  g_assert_cmpint (run.reply_id, ==, 0);
  run_clear (&run);

  /* An unknown character. */
  g_assert_cmpint (natter_conversation_new_chat (f->conv, 424242, NULL, &error), ==, 0);
  g_assert_nonnull (error);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 0);
}

/* The request log notes which lorebook entries went out and why; a
 * persona locked to the chat is who the user is there. */
static void
test_lore_note_and_persona_lock (Fixture       *f,
                                 gconstpointer  data)
{
  static const char *book =
    "{\"name\":\"Harbour\",\"entries\":["
    "{\"id\":0,\"keys\":[\"beacon\",\"lighthouse\"],\"content\":\"LORE-LIGHT\",\"comment\":\"Light\","
    "\"enabled\":true,\"insertion_order\":1},"
    "{\"id\":1,\"keys\":[],\"content\":\"LORE-SEA\",\"comment\":\"Sea\",\"constant\":true,"
    "\"enabled\":true,\"insertion_order\":2},"
    "{\"id\":2,\"keys\":[\"dragon\"],\"content\":\"LORE-DRAGON\",\"comment\":\"Dragon\",\"enabled\":true}]}";
  g_autoptr(NatterProfile) profile = make_profile (f, "openai", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterLogEntry) entry = NULL;
  g_autoptr(JsonNode) note = NULL;
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  JsonArray *array;
  gint64 chat_id, book_id, robin, wren;
  Run run;

  chat_id = natter_chat_store_new_chat (f->store, 0, "Harbour", &error);
  book_id = natter_chat_store_add_lorebook (f->store, "Harbour", book, &error);
  g_assert_no_error (error);
  g_assert_true (natter_chat_store_set_lorebook_global (f->store, book_id, TRUE, &error));
  robin = natter_chat_store_add_persona (f->store, "Robin", "PERSONA-ROBIN", NULL, &error);
  wren = natter_chat_store_add_persona (f->store, "Wren", "PERSONA-WREN", NULL, &error);
  g_assert_true (natter_chat_store_set_default_persona (f->store, robin, &error));
  g_assert_true (natter_chat_store_lock_persona (f->store, wren, chat_id, 0, &error));
  g_assert_no_error (error);

  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions",
                                  openai_stream (hello_parts, TRUE));
  do_send (f, chat_id, profile, "Is the lighthouse lit?", NULL, &run);
  g_assert_no_error (run.error);

  body = g_strndup (natter_fake_provider_get_request (f->fake, 0)->body,
                    natter_fake_provider_get_request (f->fake, 0)->body_len);
  g_assert_nonnull (strstr (body, "LORE-LIGHT"));
  g_assert_nonnull (strstr (body, "LORE-SEA"));
  g_assert_null (strstr (body, "LORE-DRAGON"));
  g_assert_nonnull (strstr (body, "PERSONA-WREN"));
  g_assert_null (strstr (body, "PERSONA-ROBIN"));

  entry = g_list_model_get_item (G_LIST_MODEL (f->log), 0);
  text = natter_lore_note_get (f->database, natter_log_entry_get_id (entry));
  g_assert_nonnull (text);
  note = json_from_string (text, &error);
  g_assert_no_error (error);
  array = json_node_get_array (note);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "title"), ==, "Light");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "key"), ==, "lighthouse");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "title"), ==, "Sea");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (array, 1), "key"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (array, 1), "constant"));
  run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/natter/conversation/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("request-parts", test_request_parts);
  ADD ("budget", test_budget);
  ADD ("text-completion", test_text_completion);
  ADD ("text-completion-template-from-model", test_text_completion_template_from_model);
  ADD ("error-mid-stream", test_error_mid_stream);
  ADD ("http-error", test_http_error);
  ADD ("cancel", test_cancel);
  ADD ("regenerate", test_regenerate);
  ADD ("new-chat-seraphina", test_new_chat_seraphina);
  ADD ("new-chat-alternates", test_new_chat_alternates);
  ADD ("bad-input", test_bad_input);
  ADD ("lore-note-and-persona-lock", test_lore_note_and_persona_lock);

#undef ADD

  return g_test_run ();
}
