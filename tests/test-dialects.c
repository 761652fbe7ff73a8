/* test-dialects.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-dialect.h"

/* What a stream yielded, assembled. */
typedef struct
{
  GString             *text;
  GString             *reasoning;
  GString             *tool_args;
  char                *tool_id;
  char                *tool_name;
  int                  last_tool_index;
  guint                n_tool_deltas;
  gint64               input_tokens;
  gint64               output_tokens;
  guint                n_usage;
  char                *finish;
  guint                n_done;
  guint                n_error;
  NatterErrorCategory  error_category;
  char                *error_message;
  guint                n_after_done;
} Collected;

static void
collected_init (Collected *c)
{
  memset (c, 0, sizeof *c);
  c->text = g_string_new (NULL);
  c->reasoning = g_string_new (NULL);
  c->tool_args = g_string_new (NULL);
  c->input_tokens = -1;
  c->output_tokens = -1;
  c->last_tool_index = -1;
}

static void
collected_clear (Collected *c)
{
  g_string_free (c->text, TRUE);
  g_string_free (c->reasoning, TRUE);
  g_string_free (c->tool_args, TRUE);
  g_free (c->tool_id);
  g_free (c->tool_name);
  g_free (c->finish);
  g_free (c->error_message);
}

static void
collect (const NatterDelta *delta,
         gpointer           user_data)
{
  Collected *c = user_data;

  if (c->n_done > 0)
    c->n_after_done++;

  switch (delta->kind)
    {
    case NATTER_DELTA_TEXT:
      g_assert_cmpuint (delta->len, ==, strlen (delta->text));
      g_string_append_len (c->text, delta->text, delta->len);
      break;
    case NATTER_DELTA_REASONING:
      g_string_append_len (c->reasoning, delta->text, delta->len);
      break;
    case NATTER_DELTA_TOOL_CALL:
      c->n_tool_deltas++;
      c->last_tool_index = delta->tool_index;
      if (delta->tool_id)
        {
          g_free (c->tool_id);
          c->tool_id = g_strdup (delta->tool_id);
        }
      if (delta->tool_name)
        {
          g_free (c->tool_name);
          c->tool_name = g_strdup (delta->tool_name);
        }
      g_string_append_len (c->tool_args, delta->text, delta->len);
      break;
    case NATTER_DELTA_USAGE:
      c->n_usage++;
      c->input_tokens = delta->input_tokens;
      c->output_tokens = delta->output_tokens;
      break;
    case NATTER_DELTA_FINISH:
      g_free (c->finish);
      c->finish = g_strdup (delta->finish_reason);
      break;
    case NATTER_DELTA_ERROR:
      c->n_error++;
      c->error_category = delta->error_category;
      g_free (c->error_message);
      c->error_message = g_strdup (delta->error_message);
      break;
    case NATTER_DELTA_DONE:
      c->n_done++;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* A small SSE splitter for the fixtures below (the real framer has its own
 * tests): events separated by blank lines, "event:" and "data:" fields. */
static gboolean
feed_sse (const NatterDialect  *dialect,
          const char           *stream,
          Collected            *c,
          GError              **error)
{
  g_auto(GStrv) blocks = g_strsplit (stream, "\n\n", -1);
  gpointer parser = dialect->parser_new ();
  gboolean ok = TRUE;

  for (guint i = 0; ok && blocks[i] != NULL; i++)
    {
      g_auto(GStrv) lines = g_strsplit (blocks[i], "\n", -1);
      g_autofree char *event = NULL;
      g_autoptr(GString) data = NULL;

      for (guint j = 0; lines[j] != NULL; j++)
        {
          const char *line = lines[j];

          if (g_str_has_prefix (line, "event:"))
            event = g_strstrip (g_strdup (line + 6));
          else if (g_str_has_prefix (line, "data:"))
            {
              const char *value = line[5] == ' ' ? line + 6 : line + 5;

              if (data == NULL)
                data = g_string_new (value);
              else
                g_string_append_printf (data, "\n%s", value);
            }
        }
      if (data != NULL)
        ok = dialect->parse_event (parser, event, data->str, data->len, collect, c, error);
    }

  dialect->parser_free (parser);

  return ok;
}

static gboolean
feed_ndjson (const NatterDialect  *dialect,
             const char           *stream,
             Collected            *c,
             GError              **error)
{
  g_auto(GStrv) lines = g_strsplit (stream, "\n", -1);
  gpointer parser = dialect->parser_new ();
  gboolean ok = TRUE;

  for (guint i = 0; ok && lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      ok = dialect->parse_event (parser, NULL, lines[i], strlen (lines[i]), collect, c, error);

  dialect->parser_free (parser);

  return ok;
}

/* A system prompt and a short history, with two user turns in a row. */
static NatterPrompt *
make_prompt (void)
{
  NatterPrompt *prompt = natter_prompt_new ();

  natter_prompt_add (prompt, NATTER_ROLE_SYSTEM, "You are terse.");
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Hi");
  natter_prompt_add (prompt, NATTER_ROLE_ASSISTANT, "Hello!");
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Name a colour.");
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Just one.");

  return prompt;
}

static void
make_params (NatterGenParams *params,
             const char      *model)
{
  natter_gen_params_init (params);
  params->model = g_strdup (model);
  params->max_tokens = 100;
  params->temperature = 0.5;
  params->top_p = 0.9;
  params->top_k = 40;
  params->stop = g_strsplit ("END", ",", -1);
}

static JsonObject *
body_of (NatterRequest *request)
{
  GBytes *bytes = natter_request_get_body (request);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static NatterRequest *
build (const char      *dialect_id,
       const char      *base_url,
       NatterGenParams *params,
       JsonObject     **body)
{
  const NatterDialect *dialect = natter_dialect_lookup (dialect_id);
  NatterDialectContext ctx = { .base_url = base_url };
  NatterPrompt *prompt = make_prompt ();
  g_autoptr(GError) error = NULL;
  NatterRequest *request;

  g_assert_nonnull (dialect);
  request = dialect->build_request (&ctx, prompt, params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_cmpstr (natter_request_get_method (request), ==, "POST");
  g_assert_cmpstr (natter_request_get_header (request, "Content-Type"), ==, "application/json");
  /* Dialects never add a key. */
  g_assert_null (natter_request_get_header (request, "Authorization"));
  g_assert_null (natter_request_get_header (request, "x-api-key"));
  *body = body_of (request);
  natter_prompt_free (prompt);

  return request;
}

static const char *
message_field (JsonObject *body,
               guint       i,
               const char *field)
{
  JsonArray *messages = json_object_get_array_member (body, "messages");

  return json_object_get_string_member (json_array_get_object_element (messages, i), field);
}

static char *
error_body (const char *dialect_id,
            const char *body)
{
  return natter_dialect_lookup (dialect_id)->parse_error_body (body, strlen (body));
}

/* URL normalization */

static void
test_normalize (void)
{
  const struct {
    const char *dialect;
    const char *input;
    const char *expected;
  } cases[] = {
    { "openai-chat", "https://api.openai.com/v1", "https://api.openai.com/v1" },
    { "openai-chat", "https://api.openai.com/v1/", "https://api.openai.com/v1" },
    { "openai-chat", "  https://api.openai.com/v1//  \n", "https://api.openai.com/v1" },
    { "openai-chat", "https://api.openai.com/v1/chat/completions", "https://api.openai.com/v1" },
    { "openai-chat", "https://api.openai.com/v1/chat/completions/", "https://api.openai.com/v1" },
    { "openai-chat", "https://API.openai.com/V1/Chat/Completions", "https://API.openai.com/V1" },
    { "openai-chat", "https://openrouter.ai/api/v1/chat/completions?foo=bar", "https://openrouter.ai/api/v1" },
    { "openai-chat", "https://api.groq.com/openai/v1/models", "https://api.groq.com/openai/v1" },
    { "openai-chat", "http://127.0.0.1:1234/v1/completions", "http://127.0.0.1:1234/v1" },
    { "openai-chat", "localhost:1234/v1", "http://localhost:1234/v1" },
    { "openai-chat", "api.deepseek.com", "https://api.deepseek.com" },
    { "openai-chat", "https://example.com/completions", "https://example.com" },
    { "openai-text", "http://127.0.0.1:5000/v1/completions", "http://127.0.0.1:5000/v1" },
    { "anthropic", "https://api.anthropic.com/v1/messages", "https://api.anthropic.com" },
    { "anthropic", "https://api.anthropic.com/v1/", "https://api.anthropic.com" },
    { "anthropic", "https://api.anthropic.com", "https://api.anthropic.com" },
    { "gemini", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
      "https://generativelanguage.googleapis.com" },
    { "gemini", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent",
      "https://generativelanguage.googleapis.com" },
    { "gemini", "https://generativelanguage.googleapis.com/v1beta/", "https://generativelanguage.googleapis.com" },
    { "gemini", "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions",
      "https://generativelanguage.googleapis.com" },
    { "kobold", "http://127.0.0.1:5001/v1/chat/completions", "http://127.0.0.1:5001" },
    { "ollama", "http://127.0.0.1:11434/api/chat", "http://127.0.0.1:11434" },
    { "ollama", "http://localhost:11434/api/generate/", "http://localhost:11434" },
    { "ollama", "http://localhost:11434/", "http://localhost:11434" },
    { "kobold", "http://127.0.0.1:5001/api/extra/generate/stream", "http://127.0.0.1:5001" },
    { "kobold", "http://127.0.0.1:5001/api/v1/generate", "http://127.0.0.1:5001" },
    { "kobold", "http://127.0.0.1:5001/api", "http://127.0.0.1:5001" },
    { "llamacpp", "http://127.0.0.1:8080/completion", "http://127.0.0.1:8080" },
    { "llamacpp", "http://127.0.0.1:8080/v1/chat/completions", "http://127.0.0.1:8080" },
    { "llamacpp", "http://127.0.0.1:8080/v1", "http://127.0.0.1:8080" },
    { "cohere", "https://api.cohere.com/v2/chat", "https://api.cohere.com" },
    { "cohere", "https://api.cohere.com/v1/models/", "https://api.cohere.com" },
    /* The host is never eaten, even when it looks like an endpoint. */
    { "openai-chat", "https://models/", "https://models" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got =
        natter_dialect_normalize_base_url (natter_dialect_lookup (cases[i].dialect), cases[i].input);

      g_assert_cmpstr (got, ==, cases[i].expected);
    }

  g_assert_null (natter_dialect_normalize_base_url (natter_dialect_lookup ("openai-chat"), "   "));
  g_assert_null (natter_dialect_normalize_base_url (natter_dialect_lookup ("openai-chat"), NULL));
}

static void
test_registry (void)
{
  const char *ids[] = { "openai-chat", "openai-text", "anthropic", "gemini", "ollama", "kobold",
                        "llamacpp", "cohere", "vertex", "azure-openai", "bedrock-converse" };
  const NatterDialect * const *list = natter_dialect_list ();
  guint n = 0;

  while (list[n] != NULL)
    n++;
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const NatterDialect *d = natter_dialect_lookup (ids[i]);

      g_assert_nonnull (d);
      g_assert_cmpstr (d->id, ==, ids[i]);
      g_assert_nonnull (d->build_request);
      g_assert_nonnull (d->parse_event);
      g_assert_nonnull (d->parse_response);
      g_assert_nonnull (d->build_models_request);
      g_assert_nonnull (d->parse_models);
      g_assert_nonnull (d->parse_error_body);
    }
  g_assert_null (natter_dialect_lookup ("no-such-dialect"));
  g_assert_true (natter_dialect_lookup ("kobold")->eof_is_done);
  g_assert_false (natter_dialect_lookup ("openai-chat")->eof_is_done);
}

static void
test_missing_model_and_url (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("openai-chat");
  NatterDialectContext ctx = { .base_url = "https://api.openai.com/v1" };
  NatterDialectContext no_url = { .base_url = NULL };
  NatterPrompt *prompt = make_prompt ();
  NatterGenParams params;
  g_autoptr(GError) error = NULL;

  natter_gen_params_init (&params);
  g_assert_null (dialect->build_request (&ctx, prompt, &params, &error));
  g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST);
  g_clear_error (&error);

  params.model = g_strdup ("gpt-4o");
  g_assert_null (dialect->build_request (&no_url, prompt, &params, &error));
  g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST);

  natter_gen_params_clear (&params);
  natter_prompt_free (prompt);
}

/* openai-chat */

static void
test_openai_chat_request (void)
{
  NatterGenParams params;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonArray *stop;

  make_params (&params, "gpt-4o-mini");
  request = build ("openai-chat", "https://api.openai.com/v1", &params, &body);

  g_assert_cmpstr (natter_request_get_url (request), ==, "https://api.openai.com/v1/chat/completions");
  g_assert_cmpstr (natter_request_get_header (request, "Accept"), ==, "text/event-stream");
  g_assert_cmpint (natter_request_get_framing (request), ==, NATTER_FRAMING_SSE);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "gpt-4o-mini");
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (body, "stream_options"),
                                                 "include_usage"));
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 100);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (body, "temperature"), 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (body, "top_p"), 0.9, 1e-9);
  stop = json_object_get_array_member (body, "stop");
  g_assert_cmpuint (json_array_get_length (stop), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (stop, 0), ==, "END");

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "messages")), ==, 5);
  g_assert_cmpstr (message_field (body, 0, "role"), ==, "system");
  g_assert_cmpstr (message_field (body, 0, "content"), ==, "You are terse.");
  g_assert_cmpstr (message_field (body, 2, "role"), ==, "assistant");
  g_assert_cmpstr (message_field (body, 4, "content"), ==, "Just one.");

  natter_gen_params_clear (&params);
}

static void
test_openai_chat_unset_params (void)
{
  NatterGenParams params;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;

  natter_gen_params_init (&params);
  params.model = g_strdup ("gpt-4o");
  params.stream = FALSE;
  request = build ("openai-chat", "https://api.openai.com/v1", &params, &body);

  g_assert_false (json_object_has_member (body, "max_tokens"));
  g_assert_false (json_object_has_member (body, "temperature"));
  g_assert_false (json_object_has_member (body, "top_p"));
  g_assert_false (json_object_has_member (body, "top_k"));
  g_assert_false (json_object_has_member (body, "stop"));
  g_assert_false (json_object_has_member (body, "stream_options"));
  g_assert_false (json_object_get_boolean_member (body, "stream"));
  g_assert_cmpint (natter_request_get_framing (request), ==, NATTER_FRAMING_NONE);

  natter_gen_params_clear (&params);
}

/* From the OpenAI streaming docs, with usage (include_usage) and a keep-alive. */
static const char openai_stream[] =
  "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\","
  "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
  "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\","
  "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Blue\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
  "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\","
  "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" – ok ✓\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
  "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\","
  "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n"
  "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\","
  "\"choices\":[],\"usage\":{\"prompt_tokens\":23,\"completion_tokens\":4,\"total_tokens\":27}}\n\n"
  "data: [DONE]\n\n";

static void
test_openai_chat_stream (void)
{
  Collected c;
  g_autoptr(GError) error = NULL;

  collected_init (&c);
  g_assert_true (feed_sse (natter_dialect_lookup ("openai-chat"), openai_stream, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c.text->str, ==, "Blue – ok ✓");
  g_assert_cmpstr (c.finish, ==, "stop");
  g_assert_cmpint (c.input_tokens, ==, 23);
  g_assert_cmpint (c.output_tokens, ==, 4);
  g_assert_cmpuint (c.n_usage, ==, 1);
  g_assert_cmpuint (c.n_done, ==, 1);
  g_assert_cmpuint (c.n_after_done, ==, 0);
  g_assert_cmpuint (c.n_error, ==, 0);
  collected_clear (&c);
}

static void
test_openai_chat_reasoning_and_tools (void)
{
  const char *stream =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"Think\"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"reasoning_content\":\"ing.\"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\" More.\"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_abc\",\"type\":\"function\","
    "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"loc\"}}]}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\":\\\"Oslo\\\"}\"}}]}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
    "data: [DONE]\n\n";
  Collected c;
  g_autoptr(GError) error = NULL;

  collected_init (&c);
  g_assert_true (feed_sse (natter_dialect_lookup ("openai-chat"), stream, &c, &error));
  g_assert_cmpstr (c.reasoning->str, ==, "Thinking. More.");
  g_assert_cmpstr (c.text->str, ==, "");
  g_assert_cmpstr (c.tool_id, ==, "call_abc");
  g_assert_cmpstr (c.tool_name, ==, "get_weather");
  g_assert_cmpstr (c.tool_args->str, ==, "{\"loc\":\"Oslo\"}");
  g_assert_cmpint (c.last_tool_index, ==, 0);
  g_assert_cmpstr (c.finish, ==, "tool_calls");
  g_assert_cmpuint (c.n_done, ==, 1);
  collected_clear (&c);
}

static void
test_openai_chat_errors (void)
{
  const char *stream =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Par\"}}]}\n\n"
    "data: {\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}\n\n";
  const NatterDialect *dialect = natter_dialect_lookup ("openai-chat");
  Collected c;
  g_autoptr(GError) error = NULL;
  g_autofree char *m1 = NULL;
  g_autofree char *m2 = NULL;
  g_autofree char *m3 = NULL;
  g_autofree char *m4 = NULL;
  gpointer parser;

  collected_init (&c);
  g_assert_true (feed_sse (dialect, stream, &c, &error));
  g_assert_cmpstr (c.text->str, ==, "Par");
  g_assert_cmpuint (c.n_error, ==, 1);
  g_assert_cmpint (c.error_category, ==, NATTER_ERROR_CATEGORY_RATE_LIMITED);
  g_assert_cmpstr (c.error_message, ==, "Rate limit reached for gpt-4o");
  g_assert_cmpuint (c.n_done, ==, 0);
  collected_clear (&c);

  /* Garbage is a protocol error, not a crash. */
  collected_init (&c);
  parser = dialect->parser_new ();
  g_assert_false (dialect->parse_event (parser, NULL, "{\"choices\":[", 12, collect, &c, &error));
  g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
  dialect->parser_free (parser);
  collected_clear (&c);

  m1 = error_body ("openai-chat",
                   "{\"error\":{\"message\":\"Incorrect API key provided: sk-abc***\",\"type\":\"invalid_request_error\","
                   "\"param\":null,\"code\":\"invalid_api_key\"}}");
  g_assert_cmpstr (m1, ==, "Incorrect API key provided: sk-abc***");
  m2 = error_body ("openai-chat", "{\"error\":\"model not loaded\"}");
  g_assert_cmpstr (m2, ==, "model not loaded");
  m3 = error_body ("openai-chat", "{\"detail\":[{\"loc\":[\"body\",\"model\"],\"msg\":\"field required\",\"type\":\"missing\"}]}");
  g_assert_cmpstr (m3, ==, "field required");
  m4 = error_body ("openai-chat",
                   "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
                   "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
  g_assert_cmpstr (m4, ==, "502 Bad Gateway 502 Bad Gateway nginx");
  g_assert_null (error_body ("openai-chat", ""));
  g_assert_null (error_body ("openai-chat", "{\"ok\":true}"));
}

static void
test_openai_chat_response (void)
{
  const char *body =
    "{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion\",\"created\":1677652288,\"model\":\"gpt-4o-mini\","
    "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Red.\"},\"logprobs\":null,"
    "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}";
  const NatterDialect *dialect = natter_dialect_lookup ("openai-chat");
  Collected c;
  g_autoptr(GError) error = NULL;

  collected_init (&c);
  g_assert_true (dialect->parse_response (body, strlen (body), collect, &c, &error));
  g_assert_cmpstr (c.text->str, ==, "Red.");
  g_assert_cmpstr (c.finish, ==, "stop");
  g_assert_cmpint (c.input_tokens, ==, 9);
  g_assert_cmpint (c.output_tokens, ==, 2);
  g_assert_cmpuint (c.n_done, ==, 1);
  collected_clear (&c);
}

static void
test_openai_models (void)
{
  const char *body =
    "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\",\"created\":1686935002,\"owned_by\":\"openai\"},"
    "{\"id\":\"meta-llama/llama-3-70b\",\"name\":\"Llama 3 70B\",\"context_length\":8192},{\"object\":\"model\"}]}";
  const NatterDialect *dialect = natter_dialect_lookup ("openai-chat");
  NatterDialectContext ctx = { .base_url = "https://openrouter.ai/api/v1" };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterRequest) request = dialect->build_models_request (&ctx, NULL, &error);
  g_autoptr(GPtrArray) models = NULL;
  g_autofree char *next = NULL;
  NatterModelInfo *info;

  g_assert_cmpstr (natter_request_get_method (request), ==, "GET");
  g_assert_cmpstr (natter_request_get_url (request), ==, "https://openrouter.ai/api/v1/models");

  models = dialect->parse_models (body, strlen (body), &next, &error);
  g_assert_no_error (error);
  g_assert_null (next);
  g_assert_cmpuint (models->len, ==, 2);
  info = g_ptr_array_index (models, 0);
  g_assert_cmpstr (info->id, ==, "gpt-4o");
  info = g_ptr_array_index (models, 1);
  g_assert_cmpstr (info->id, ==, "meta-llama/llama-3-70b");
  g_assert_cmpstr (info->display_name, ==, "Llama 3 70B");
  g_assert_cmpint (info->context_length, ==, 8192);

  g_assert_null (dialect->parse_models ("{\"object\":\"list\"}", 17, &next, &error));
  g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
  g_clear_error (&error);
  g_assert_null (dialect->parse_models ("<html>", 6, &next, &error));
  g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
}

static void
test_extra_body_setting (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("openai-chat");
  g_autoptr(JsonParser) parser = json_parser_new ();
  NatterDialectContext ctx = { .base_url = "https://api.openai.com/v1" };
  NatterPrompt *prompt = make_prompt ();
  NatterGenParams params;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;

  g_assert_true (json_parser_load_from_data (parser,
                                             "{\"max_tokens_field\":\"max_completion_tokens\",\"include_usage\":false,"
                                             "\"extra_body\":{\"seed\":7,\"reasoning_effort\":\"low\"}}", -1, NULL));
  ctx.settings = json_node_get_object (json_parser_get_root (parser));
  make_params (&params, "o4-mini");
  request = dialect->build_request (&ctx, prompt, &params, NULL);
  body = body_of (request);
  g_assert_false (json_object_has_member (body, "max_tokens"));
  g_assert_cmpint (json_object_get_int_member (body, "max_completion_tokens"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (body, "seed"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (body, "reasoning_effort"), ==, "low");
  g_assert_false (json_object_has_member (body, "stream_options"));
  g_assert_true (json_object_get_boolean_member (body, "stream"));

  natter_gen_params_clear (&params);
  natter_prompt_free (prompt);
}

/* anthropic */

static void
test_anthropic_request (void)
{
  NatterGenParams params;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;

  make_params (&params, "claude-sonnet-4-5");
  request = build ("anthropic", "https://api.anthropic.com", &params, &body);

  g_assert_cmpstr (natter_request_get_url (request), ==, "https://api.anthropic.com/v1/messages");
  g_assert_cmpstr (natter_request_get_header (request, "anthropic-version"), ==, "2023-06-01");
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "claude-sonnet-4-5");
  g_assert_cmpstr (json_object_get_string_member (body, "system"), ==, "You are terse.");
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (body, "top_k"), ==, 40);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (body, "stop_sequences"), 0),
                   ==, "END");
  g_assert_true (json_object_get_boolean_member (body, "stream"));

  /* System removed, the two user turns merged. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "messages")), ==, 3);
  g_assert_cmpstr (message_field (body, 0, "role"), ==, "user");
  g_assert_cmpstr (message_field (body, 0, "content"), ==, "Hi");
  g_assert_cmpstr (message_field (body, 1, "role"), ==, "assistant");
  g_assert_cmpstr (message_field (body, 2, "role"), ==, "user");
  g_assert_cmpstr (message_field (body, 2, "content"), ==, "Name a colour.\n\nJust one.");

  natter_gen_params_clear (&params);
}

static void
test_anthropic_default_max_tokens (void)
{
  NatterGenParams params;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;

  natter_gen_params_init (&params);
  params.model = g_strdup ("claude-3-5-haiku-latest");
  request = build ("anthropic", "https://api.anthropic.com", &params, &body);
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 4096);
  g_assert_false (json_object_has_member (body, "temperature"));
  g_assert_false (json_object_has_member (body, "stop_sequences"));
  natter_gen_params_clear (&params);
}

/* From the Anthropic streaming docs: thinking, text, ping, usage. */
static const char anthropic_stream[] =
  "event: message_start\n"
  "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],"
  "\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
  "event: content_block_start\n"
  "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n"
  "event: content_block_delta\n"
  "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Pick one.\"}}\n\n"
  "event: content_block_delta\n"
  "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCg==\"}}\n\n"
  "event: content_block_stop\n"
  "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
  "event: content_block_start\n"
  "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
  "event: ping\n"
  "data: {\"type\": \"ping\"}\n\n"
  "event: content_block_delta\n"
  "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n"
  "event: content_block_delta\n"
  "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"!\"}}\n\n"
  "event: content_block_stop\n"
  "data: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
  "event: message_delta\n"
  "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\n"
  "event: message_stop\n"
  "data: {\"type\":\"message_stop\"}\n\n";

static void
test_anthropic_stream (void)
{
  Collected c;
  g_autoptr(GError) error = NULL;

  collected_init (&c);
  g_assert_true (feed_sse (natter_dialect_lookup ("anthropic"), anthropic_stream, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c.reasoning->str, ==, "Pick one.");
  g_assert_cmpstr (c.text->str, ==, "Hello!");
  g_assert_cmpstr (c.finish, ==, "end_turn");
  g_assert_cmpint (c.input_tokens, ==, 25);
  g_assert_cmpint (c.output_tokens, ==, 15);
  g_assert_cmpuint (c.n_done, ==, 1);
  g_assert_cmpuint (c.n_after_done, ==, 0);
  collected_clear (&c);
}

static void
test_anthropic_tool_use (void)
{
  const char *stream =
    "event: content_block_start\n"
    "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"get_weather\",\"input\":{}}}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"location\\\": \\\"San Fra\"}}\n\n"
    "event: content_block_delta\n"
    "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"ncisco\\\"}\"}}\n\n"
    "event: content_block_stop\n"
    "data: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
    "event: message_delta\n"
    "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}}\n\n"
    "event: message_stop\n"
    "data: {\"type\":\"message_stop\"}\n\n";
  Collected c;

  collected_init (&c);
  g_assert_true (feed_sse (natter_dialect_lookup ("anthropic"), stream, &c, NULL));
  g_assert_cmpstr (c.tool_id, ==, "toolu_01");
  g_assert_cmpstr (c.tool_name, ==, "get_weather");
  g_assert_cmpstr (c.tool_args->str, ==, "{\"location\": \"San Francisco\"}");
  g_assert_cmpint (c.last_tool_index, ==, 1);
  g_assert_cmpstr (c.finish, ==, "tool_use");
  g_assert_cmpint (c.input_tokens, ==, -1);
  g_assert_cmpint (c.output_tokens, ==, 89);
  g_assert_cmpuint (c.n_done, ==, 1);
  collected_clear (&c);
}

static void
test_anthropic_errors (void)
{
  const struct {
    const char *type;
    NatterErrorCategory category;
  } types[] = {
    { "overloaded_error", NATTER_ERROR_CATEGORY_OVERLOADED },
    { "rate_limit_error", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "authentication_error", NATTER_ERROR_CATEGORY_AUTH },
    { "not_found_error", NATTER_ERROR_CATEGORY_NOT_FOUND },
    { "invalid_request_error", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "api_error", NATTER_ERROR_CATEGORY_SERVER },
  };
  g_autofree char *message = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *stream =
        g_strdup_printf ("event: content_block_delta\n"
                         "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Par\"}}\n\n"
                         "event: error\n"
                         "data: {\"type\": \"error\", \"error\": {\"type\": \"%s\", \"message\": \"Oops %u\"}}\n\n",
                         types[i].type, i);
      g_autofree char *expected = g_strdup_printf ("Oops %u", i);
      Collected c;

      collected_init (&c);
      g_assert_true (feed_sse (natter_dialect_lookup ("anthropic"), stream, &c, NULL));
      g_assert_cmpstr (c.text->str, ==, "Par");
      g_assert_cmpuint (c.n_error, ==, 1);
      g_assert_cmpint (c.error_category, ==, types[i].category);
      g_assert_cmpstr (c.error_message, ==, expected);
      g_assert_cmpuint (c.n_done, ==, 0);
      collected_clear (&c);
    }

  message = error_body ("anthropic",
                        "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-9\"},"
                        "\"request_id\":\"req_1\"}");
  g_assert_cmpstr (message, ==, "model: claude-9");
}

static void
test_anthropic_response (void)
{
  const char *body =
    "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
    "\"content\":[{\"type\":\"thinking\",\"thinking\":\"Hm.\",\"signature\":\"x\"},{\"type\":\"text\",\"text\":\"Green.\"}],"
    "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":6}}";
  Collected c;

  collected_init (&c);
  g_assert_true (natter_dialect_lookup ("anthropic")->parse_response (body, strlen (body), collect, &c, NULL));
  g_assert_cmpstr (c.text->str, ==, "Green.");
  g_assert_cmpstr (c.reasoning->str, ==, "Hm.");
  g_assert_cmpstr (c.finish, ==, "end_turn");
  g_assert_cmpint (c.input_tokens, ==, 12);
  g_assert_cmpint (c.output_tokens, ==, 6);
  g_assert_cmpuint (c.n_done, ==, 1);
  collected_clear (&c);
}

static void
test_anthropic_models (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("anthropic");
  NatterDialectContext ctx = { .base_url = "https://api.anthropic.com" };
  const char *page1 =
    "{\"data\":[{\"type\":\"model\",\"id\":\"claude-sonnet-4-5\",\"display_name\":\"Claude Sonnet 4.5\",\"created_at\":\"2025-09-29T00:00:00Z\"},"
    "{\"type\":\"model\",\"id\":\"claude-opus-4-1\",\"display_name\":\"Claude Opus 4.1\",\"created_at\":\"2025-08-05T00:00:00Z\"}],"
    "\"has_more\":true,\"first_id\":\"claude-sonnet-4-5\",\"last_id\":\"claude-opus-4-1\"}";
  const char *page2 =
    "{\"data\":[{\"type\":\"model\",\"id\":\"claude-3-5-haiku-20241022\",\"display_name\":\"Claude Haiku 3.5\"}],"
    "\"has_more\":false,\"first_id\":\"claude-3-5-haiku-20241022\",\"last_id\":\"claude-3-5-haiku-20241022\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterRequest) first = dialect->build_models_request (&ctx, NULL, &error);
  g_autoptr(NatterRequest) second = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GPtrArray) models2 = NULL;
  g_autofree char *next = NULL;
  g_autofree char *next2 = NULL;

  g_assert_cmpstr (natter_request_get_url (first), ==, "https://api.anthropic.com/v1/models?limit=1000");
  g_assert_cmpstr (natter_request_get_header (first, "anthropic-version"), ==, "2023-06-01");

  models = dialect->parse_models (page1, strlen (page1), &next, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 2);
  g_assert_cmpstr (((NatterModelInfo *) g_ptr_array_index (models, 0))->display_name, ==, "Claude Sonnet 4.5");
  g_assert_cmpstr (next, ==, "claude-opus-4-1");

  second = dialect->build_models_request (&ctx, next, &error);
  g_assert_cmpstr (natter_request_get_url (second), ==,
                   "https://api.anthropic.com/v1/models?limit=1000&after_id=claude-opus-4-1");
  models2 = dialect->parse_models (page2, strlen (page2), &next2, &error);
  g_assert_cmpuint (models2->len, ==, 1);
  g_assert_null (next2);
}

/* gemini */

static void
test_gemini_request (void)
{
  NatterGenParams params;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonArray *contents;
  JsonObject *config;
  JsonObject *system;

  make_params (&params, "models/gemini-2.5-flash");
  request = build ("gemini", "https://generativelanguage.googleapis.com", &params, &body);

  g_assert_cmpstr (natter_request_get_url (request), ==,
                   "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
  g_assert_null (natter_request_get_header (request, "x-goog-api-key"));
  g_assert_false (json_object_has_member (body, "model"));

  system = json_object_get_object_member (body, "systemInstruction");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (system, "parts"), 0), "text"),
                   ==, "You are terse.");

  contents = json_object_get_array_member (body, "contents");
  g_assert_cmpuint (json_array_get_length (contents), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contents, 0), "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contents, 1), "role"), ==, "model");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (contents, 1), "parts"), 0), "text"),
                   ==, "Hello!");

  config = json_object_get_object_member (body, "generationConfig");
  g_assert_cmpint (json_object_get_int_member (config, "maxOutputTokens"), ==, 100);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (config, "temperature"), 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (config, "topP"), 0.9, 1e-9);
  g_assert_cmpint (json_object_get_int_member (config, "topK"), ==, 40);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (config, "stopSequences"), 0), ==, "END");

  natter_gen_params_clear (&params);

  /* Non-streaming uses generateContent; no generationConfig when nothing is set. */
  {
    g_autoptr(NatterRequest) plain = NULL;
    g_autoptr(JsonObject) plain_body = NULL;

    natter_gen_params_init (&params);
    params.model = g_strdup ("gemini-2.0-flash");
    params.stream = FALSE;
    plain = build ("gemini", "https://generativelanguage.googleapis.com", &params, &plain_body);
    g_assert_cmpstr (natter_request_get_url (plain), ==,
                     "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent");
    g_assert_false (json_object_has_member (plain_body, "generationConfig"));
    natter_gen_params_clear (&params);
  }

  /* Asking for thought summaries. */
  {
    const NatterDialect *dialect = natter_dialect_lookup ("gemini");
    g_autoptr(JsonParser) parser = json_parser_new ();
    NatterDialectContext ctx = { .base_url = "https://generativelanguage.googleapis.com" };
    NatterPrompt *prompt = make_prompt ();
    g_autoptr(NatterRequest) thinking = NULL;
    g_autoptr(JsonObject) thinking_body = NULL;
    JsonObject *thinking_config;

    g_assert_true (json_parser_load_from_data (parser, "{\"include_thoughts\":true}", -1, NULL));
    ctx.settings = json_node_get_object (json_parser_get_root (parser));
    natter_gen_params_init (&params);
    params.model = g_strdup ("gemini-2.5-pro");
    thinking = dialect->build_request (&ctx, prompt, &params, NULL);
    thinking_body = body_of (thinking);
    thinking_config = json_object_get_object_member (json_object_get_object_member (thinking_body, "generationConfig"),
                                                     "thinkingConfig");
    g_assert_true (json_object_get_boolean_member (thinking_config, "includeThoughts"));
    natter_prompt_free (prompt);
    natter_gen_params_clear (&params);
  }
}

/* Shaped like the Gemini API's streamGenerateContent?alt=sse output. */
static const char gemini_stream[] =
  "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"**Thinking** about colours\",\"thought\": true}],\"role\": \"model\"},\"index\": 0}],"
  "\"usageMetadata\": {\"promptTokenCount\": 14,\"totalTokenCount\": 14},\"modelVersion\": \"gemini-2.5-flash\"}\n\n"
  "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Teal\"}],\"role\": \"model\"},\"index\": 0}],"
  "\"usageMetadata\": {\"promptTokenCount\": 14,\"candidatesTokenCount\": 1,\"totalTokenCount\": 15},\"modelVersion\": \"gemini-2.5-flash\"}\n\n"
  "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \".\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],"
  "\"usageMetadata\": {\"promptTokenCount\": 14,\"candidatesTokenCount\": 2,\"totalTokenCount\": 40,\"thoughtsTokenCount\": 24},"
  "\"modelVersion\": \"gemini-2.5-flash\"}\n\n";

static void
test_gemini_stream (void)
{
  Collected c;
  g_autoptr(GError) error = NULL;

  collected_init (&c);
  g_assert_true (feed_sse (natter_dialect_lookup ("gemini"), gemini_stream, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c.reasoning->str, ==, "**Thinking** about colours");
  g_assert_cmpstr (c.text->str, ==, "Teal.");
  g_assert_cmpstr (c.finish, ==, "STOP");
  g_assert_cmpint (c.input_tokens, ==, 14);
  g_assert_cmpint (c.output_tokens, ==, 26);
  g_assert_cmpuint (c.n_done, ==, 1);
  g_assert_cmpuint (c.n_after_done, ==, 0);
  collected_clear (&c);
}

static void
test_gemini_errors (void)
{
  const char *stream =
    "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Te\"}],\"role\": \"model\"},\"index\": 0}]}\n\n"
    "data: {\"error\": {\"code\": 429,\"message\": \"Resource has been exhausted (e.g. check quota).\",\"status\": \"RESOURCE_EXHAUSTED\"}}\n\n";
  const char *blocked =
    "data: {\"promptFeedback\": {\"blockReason\": \"SAFETY\"},\"usageMetadata\": {\"promptTokenCount\": 5}}\n\n";
  g_autofree char *message = NULL;
  Collected c;

  collected_init (&c);
  g_assert_true (feed_sse (natter_dialect_lookup ("gemini"), stream, &c, NULL));
  g_assert_cmpstr (c.text->str, ==, "Te");
  g_assert_cmpuint (c.n_error, ==, 1);
  g_assert_cmpint (c.error_category, ==, NATTER_ERROR_CATEGORY_RATE_LIMITED);
  g_assert_cmpstr (c.error_message, ==, "Resource has been exhausted (e.g. check quota).");
  g_assert_cmpuint (c.n_done, ==, 0);
  collected_clear (&c);

  collected_init (&c);
  g_assert_true (feed_sse (natter_dialect_lookup ("gemini"), blocked, &c, NULL));
  g_assert_cmpuint (c.n_error, ==, 1);
  g_assert_cmpint (c.error_category, ==, NATTER_ERROR_CATEGORY_BAD_REQUEST);
  g_assert_nonnull (strstr (c.error_message, "SAFETY"));
  collected_clear (&c);

  message = error_body ("gemini",
                        "{\n  \"error\": {\n    \"code\": 400,\n    \"message\": \"API key not valid. Please pass a valid API key.\",\n"
                        "    \"status\": \"INVALID_ARGUMENT\",\n    \"details\": []\n  }\n}\n");
  g_assert_cmpstr (message, ==, "API key not valid. Please pass a valid API key.");
}

static void
test_gemini_models (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("gemini");
  NatterDialectContext ctx = { .base_url = "https://generativelanguage.googleapis.com" };
  const char *page1 =
    "{\"models\": [{\"name\": \"models/gemini-2.5-flash\",\"displayName\": \"Gemini 2.5 Flash\",\"inputTokenLimit\": 1048576,"
    "\"supportedGenerationMethods\": [\"generateContent\",\"countTokens\",\"createCachedContent\"]},"
    "{\"name\": \"models/text-embedding-004\",\"displayName\": \"Text Embedding 004\",\"supportedGenerationMethods\": [\"embedContent\"]}],"
    "\"nextPageToken\": \"Chxtb2RlbHMv+/=\"}";
  const char *page2 =
    "{\"models\": [{\"name\": \"models/gemini-2.0-flash\",\"supportedGenerationMethods\": [\"generateContent\"]}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterRequest) first = dialect->build_models_request (&ctx, NULL, &error);
  g_autoptr(NatterRequest) second = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GPtrArray) models2 = NULL;
  g_autofree char *next = NULL;
  g_autofree char *next2 = NULL;
  NatterModelInfo *info;

  g_assert_cmpstr (natter_request_get_url (first), ==,
                   "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000");
  models = dialect->parse_models (page1, strlen (page1), &next, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 1);
  info = g_ptr_array_index (models, 0);
  g_assert_cmpstr (info->id, ==, "gemini-2.5-flash");
  g_assert_cmpstr (info->display_name, ==, "Gemini 2.5 Flash");
  g_assert_cmpint (info->context_length, ==, 1048576);
  g_assert_cmpstr (next, ==, "Chxtb2RlbHMv+/=");

  second = dialect->build_models_request (&ctx, next, &error);
  g_assert_cmpstr (natter_request_get_url (second), ==,
                   "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000&pageToken=Chxtb2RlbHMv%2B%2F%3D");
  models2 = dialect->parse_models (page2, strlen (page2), &next2, &error);
  g_assert_cmpuint (models2->len, ==, 1);
  g_assert_null (next2);
}

/* ollama */

static void
test_ollama_request (void)
{
  NatterGenParams params;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *options;

  make_params (&params, "llama3.2");
  request = build ("ollama", "http://127.0.0.1:11434", &params, &body);

  g_assert_cmpstr (natter_request_get_url (request), ==, "http://127.0.0.1:11434/api/chat");
  g_assert_cmpint (natter_request_get_framing (request), ==, NATTER_FRAMING_NDJSON);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "llama3.2");
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "messages")), ==, 5);
  g_assert_cmpstr (message_field (body, 0, "role"), ==, "system");
  options = json_object_get_object_member (body, "options");
  g_assert_cmpint (json_object_get_int_member (options, "num_predict"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (options, "top_k"), ==, 40);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (options, "stop"), 0), ==, "END");
  g_assert_false (json_object_has_member (body, "max_tokens"));

  natter_gen_params_clear (&params);
}

/* From Ollama's api.md (chat, streaming), with thinking. */
static const char ollama_stream[] =
  "{\"model\":\"qwen3\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"Hmm\"},\"done\":false}\n"
  "{\"model\":\"qwen3\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"message\":{\"role\":\"assistant\",\"content\":\"The\"},\"done\":false}\n"
  "{\"model\":\"qwen3\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\",\"message\":{\"role\":\"assistant\",\"content\":\" sky\"},\"done\":false}\n"
  "{\"model\":\"qwen3\",\"created_at\":\"2023-08-04T19:22:45.499127Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
  "\"done_reason\":\"stop\",\"total_duration\":4883583458,\"load_duration\":1334875,\"prompt_eval_count\":26,"
  "\"prompt_eval_duration\":342546000,\"eval_count\":282,\"eval_duration\":4535599000}\n";

static void
test_ollama_stream (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("ollama");
  const char *failing = "{\"error\":\"model \\\"nope\\\" not found, try pulling it first\"}\n";
  Collected c;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  collected_init (&c);
  g_assert_true (feed_ndjson (dialect, ollama_stream, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c.reasoning->str, ==, "Hmm");
  g_assert_cmpstr (c.text->str, ==, "The sky");
  g_assert_cmpstr (c.finish, ==, "stop");
  g_assert_cmpint (c.input_tokens, ==, 26);
  g_assert_cmpint (c.output_tokens, ==, 282);
  g_assert_cmpuint (c.n_done, ==, 1);
  collected_clear (&c);

  collected_init (&c);
  g_assert_true (feed_ndjson (dialect, failing, &c, &error));
  g_assert_cmpuint (c.n_error, ==, 1);
  g_assert_cmpint (c.error_category, ==, NATTER_ERROR_CATEGORY_NOT_FOUND);
  g_assert_cmpstr (c.error_message, ==, "model \"nope\" not found, try pulling it first");
  collected_clear (&c);

  message = error_body ("ollama", "{\"error\":\"model 'x' not found\"}");
  g_assert_cmpstr (message, ==, "model 'x' not found");
}

static void
test_ollama_models (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("ollama");
  NatterDialectContext ctx = { .base_url = "http://127.0.0.1:11434" };
  const char *body =
    "{\"models\":[{\"name\":\"deepseek-r1:latest\",\"model\":\"deepseek-r1:latest\",\"modified_at\":\"2025-05-10T08:06:48.639712648-07:00\","
    "\"size\":4683075271,\"digest\":\"0a8c2669\",\"details\":{\"format\":\"gguf\",\"family\":\"qwen2\",\"parameter_size\":\"7.6B\"}},"
    "{\"name\":\"llama3.2:latest\",\"model\":\"llama3.2:latest\",\"size\":2019393189}]}";
  g_autoptr(NatterRequest) request = dialect->build_models_request (&ctx, NULL, NULL);
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (natter_request_get_url (request), ==, "http://127.0.0.1:11434/api/tags");
  models = dialect->parse_models (body, strlen (body), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 2);
  g_assert_cmpstr (((NatterModelInfo *) g_ptr_array_index (models, 0))->id, ==, "deepseek-r1:latest");
  g_assert_cmpstr (((NatterModelInfo *) g_ptr_array_index (models, 1))->id, ==, "llama3.2:latest");
}

/* text completion: ChatML */

static const char expected_chatml[] =
  "<|im_start|>system\nYou are terse.<|im_end|>\n"
  "<|im_start|>user\nHi<|im_end|>\n"
  "<|im_start|>assistant\nHello!<|im_end|>\n"
  "<|im_start|>user\nName a colour.<|im_end|>\n"
  "<|im_start|>user\nJust one.<|im_end|>\n"
  "<|im_start|>assistant\n";

static void
assert_stop (JsonArray  *stop,
             const char *first,
             const char *second)
{
  g_assert_cmpuint (json_array_get_length (stop), ==, second ? 2 : 1);
  g_assert_cmpstr (json_array_get_string_element (stop, 0), ==, first);
  if (second)
    g_assert_cmpstr (json_array_get_string_element (stop, 1), ==, second);
}

static void
test_kobold_request (void)
{
  NatterGenParams params;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;

  make_params (&params, "koboldcpp/whatever");
  request = build ("kobold", "http://127.0.0.1:5001", &params, &body);
  g_assert_cmpstr (natter_request_get_url (request), ==, "http://127.0.0.1:5001/api/extra/generate/stream");
  g_assert_cmpint (natter_request_get_framing (request), ==, NATTER_FRAMING_SSE);
  g_assert_cmpstr (json_object_get_string_member (body, "prompt"), ==, expected_chatml);
  g_assert_cmpint (json_object_get_int_member (body, "max_length"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (body, "top_k"), ==, 40);
  assert_stop (json_object_get_array_member (body, "stop_sequence"), "END", "<|im_end|>");
  g_assert_false (json_object_has_member (body, "messages"));
  natter_gen_params_clear (&params);

  /* A prompt already templated is sent as is, and no ChatML stop is added. */
  {
    const NatterDialect *dialect = natter_dialect_lookup ("kobold");
    NatterDialectContext ctx = { .base_url = "http://127.0.0.1:5001" };
    NatterPrompt *prompt = natter_prompt_new ();
    g_autoptr(NatterRequest) templated = NULL;
    g_autoptr(JsonObject) templated_body = NULL;

    prompt->text = g_strdup ("### Instruction:\nHi\n### Response:\n");
    natter_gen_params_init (&params);
    params.stream = FALSE;
    templated = dialect->build_request (&ctx, prompt, &params, NULL);
    templated_body = body_of (templated);
    g_assert_cmpstr (natter_request_get_url (templated), ==, "http://127.0.0.1:5001/api/v1/generate");
    g_assert_cmpstr (json_object_get_string_member (templated_body, "prompt"), ==, "### Instruction:\nHi\n### Response:\n");
    g_assert_false (json_object_has_member (templated_body, "stop_sequence"));
    g_assert_false (json_object_has_member (templated_body, "max_length"));
    natter_prompt_free (prompt);
    natter_gen_params_clear (&params);
  }
}

static void
test_kobold_stream (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("kobold");
  /* Current KoboldCpp: a final event carries finish_reason. */
  const char *stream =
    "event: message\ndata: {\"token\": \"Pur\", \"finish_reason\": null}\n\n"
    "event: message\ndata: {\"token\": \"ple \\u2764\", \"finish_reason\": null}\n\n"
    "event: message\ndata: {\"token\": \"\", \"finish_reason\": \"length\"}\n\n";
  /* Older KoboldCpp: tokens only, the stream just ends. */
  const char *old_stream =
    "event: message\ndata: {\"token\": \"Pur\"}\n\n"
    "event: message\ndata: {\"token\": \"ple\"}\n\n";
  const char *response = "{\"results\": [{\"text\": \"Purple\", \"finish_reason\": \"stop\", \"prompt_tokens\": 30, \"completion_tokens\": 2}]}";
  Collected c;
  g_autoptr(GError) error = NULL;

  collected_init (&c);
  g_assert_true (feed_sse (dialect, stream, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c.text->str, ==, "Purple ❤");
  g_assert_cmpstr (c.finish, ==, "length");
  g_assert_cmpuint (c.n_done, ==, 1);
  collected_clear (&c);

  collected_init (&c);
  g_assert_true (feed_sse (dialect, old_stream, &c, &error));
  g_assert_cmpstr (c.text->str, ==, "Purple");
  g_assert_cmpuint (c.n_done, ==, 0);   /* eof_is_done covers this */
  collected_clear (&c);

  collected_init (&c);
  g_assert_true (dialect->parse_response (response, strlen (response), collect, &c, &error));
  g_assert_cmpstr (c.text->str, ==, "Purple");
  g_assert_cmpint (c.input_tokens, ==, 30);
  g_assert_cmpuint (c.n_done, ==, 1);
  collected_clear (&c);
}

static void
test_kobold_models (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("kobold");
  NatterDialectContext ctx = { .base_url = "http://127.0.0.1:5001" };
  g_autoptr(NatterRequest) request = dialect->build_models_request (&ctx, NULL, NULL);
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (natter_request_get_url (request), ==, "http://127.0.0.1:5001/api/v1/model");
  models = dialect->parse_models ("{\"result\": \"koboldcpp/Mistral-7B\"}", 34, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 1);
  g_assert_cmpstr (((NatterModelInfo *) g_ptr_array_index (models, 0))->id, ==, "koboldcpp/Mistral-7B");
  g_assert_null (dialect->parse_models ("{\"results\": 1}", 14, NULL, &error));
  g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
}

static void
test_llamacpp (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("llamacpp");
  NatterDialectContext ctx = { .base_url = "http://127.0.0.1:8080" };
  NatterGenParams params;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(NatterRequest) models_request = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  const char *stream =
    "data: {\"index\":0,\"content\":\"Or\",\"tokens\":[],\"stop\":false,\"id_slot\":0,\"tokens_predicted\":1,\"tokens_evaluated\":41}\n\n"
    "data: {\"index\":0,\"content\":\"ange\",\"tokens\":[],\"stop\":false,\"id_slot\":0,\"tokens_predicted\":2,\"tokens_evaluated\":41}\n\n"
    "data: {\"index\":0,\"content\":\"\",\"tokens\":[],\"id_slot\":0,\"stop\":true,\"model\":\"gpt-3.5-turbo\",\"tokens_predicted\":3,"
    "\"tokens_evaluated\":41,\"truncated\":false,\"stop_type\":\"limit\",\"stopping_word\":\"\",\"tokens_cached\":43,"
    "\"timings\":{\"prompt_n\":41,\"prompt_ms\":80.1,\"predicted_n\":3,\"predicted_ms\":60.2}}\n\n";
  const char *error_stream =
    "data: {\"error\":{\"code\":500,\"message\":\"the request exceeds the available context size\",\"type\":\"server_error\"}}\n\n";
  const char *models_body =
    "{\"object\":\"list\",\"data\":[{\"id\":\"../models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf\",\"object\":\"model\","
    "\"created\":1735142223,\"owned_by\":\"llamacpp\",\"meta\":{\"n_ctx_train\":131072}}]}";
  Collected c;

  make_params (&params, NULL);
  request = build ("llamacpp", "http://127.0.0.1:8080", &params, &body);
  g_assert_cmpstr (natter_request_get_url (request), ==, "http://127.0.0.1:8080/completion");
  g_assert_cmpstr (json_object_get_string_member (body, "prompt"), ==, expected_chatml);
  g_assert_cmpint (json_object_get_int_member (body, "n_predict"), ==, 100);
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  assert_stop (json_object_get_array_member (body, "stop"), "END", "<|im_end|>");
  natter_gen_params_clear (&params);

  collected_init (&c);
  g_assert_true (feed_sse (dialect, stream, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c.text->str, ==, "Orange");
  g_assert_cmpstr (c.finish, ==, "length");
  g_assert_cmpint (c.input_tokens, ==, 41);
  g_assert_cmpint (c.output_tokens, ==, 3);
  g_assert_cmpuint (c.n_done, ==, 1);
  collected_clear (&c);

  collected_init (&c);
  g_assert_true (feed_sse (dialect, error_stream, &c, &error));
  g_assert_cmpuint (c.n_error, ==, 1);
  g_assert_cmpint (c.error_category, ==, NATTER_ERROR_CATEGORY_SERVER);
  g_assert_cmpstr (c.error_message, ==, "the request exceeds the available context size");
  g_assert_cmpuint (c.n_done, ==, 0);
  collected_clear (&c);

  models_request = dialect->build_models_request (&ctx, NULL, NULL);
  g_assert_cmpstr (natter_request_get_url (models_request), ==, "http://127.0.0.1:8080/v1/models");
  models = dialect->parse_models (models_body, strlen (models_body), NULL, &error);
  g_assert_cmpuint (models->len, ==, 1);
  g_assert_cmpstr (((NatterModelInfo *) g_ptr_array_index (models, 0))->id, ==,
                   "../models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf");
}

static void
test_openai_text (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("openai-text");
  NatterGenParams params;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *stream =
    "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"Qwen2.5\",\"choices\":[{\"index\":0,\"text\":\"Ye\",\"logprobs\":null,\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"Qwen2.5\",\"choices\":[{\"index\":0,\"text\":\"llow\",\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n"
    "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"Qwen2.5\",\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":2,\"total_tokens\":52}}\n\n"
    "data: [DONE]\n\n";
  Collected c;

  make_params (&params, "Qwen2.5-7B-exl2");
  request = build ("openai-text", "http://127.0.0.1:5000/v1", &params, &body);
  g_assert_cmpstr (natter_request_get_url (request), ==, "http://127.0.0.1:5000/v1/completions");
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "Qwen2.5-7B-exl2");
  g_assert_cmpstr (json_object_get_string_member (body, "prompt"), ==, expected_chatml);
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 100);
  assert_stop (json_object_get_array_member (body, "stop"), "END", "<|im_end|>");
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_false (json_object_has_member (body, "messages"));
  natter_gen_params_clear (&params);

  collected_init (&c);
  g_assert_true (feed_sse (dialect, stream, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c.text->str, ==, "Yellow");
  g_assert_cmpstr (c.finish, ==, "stop");
  g_assert_cmpint (c.input_tokens, ==, 50);
  g_assert_cmpint (c.output_tokens, ==, 2);
  g_assert_cmpuint (c.n_done, ==, 1);
  collected_clear (&c);
}

/* cohere */

static void
test_cohere_request (void)
{
  NatterGenParams params;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonObject) body = NULL;

  make_params (&params, "command-a-03-2025");
  request = build ("cohere", "https://api.cohere.com", &params, &body);
  g_assert_cmpstr (natter_request_get_url (request), ==, "https://api.cohere.com/v2/chat");
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "command-a-03-2025");
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 100);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (body, "p"), 0.9, 1e-9);
  g_assert_cmpint (json_object_get_int_member (body, "k"), ==, 40);
  g_assert_false (json_object_has_member (body, "top_p"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (body, "stop_sequences"), 0), ==, "END");
  g_assert_cmpstr (message_field (body, 0, "role"), ==, "system");
  g_assert_cmpstr (message_field (body, 0, "content"), ==, "You are terse.");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "messages")), ==, 5);
  natter_gen_params_clear (&params);
}

/* Shaped like the chat-stream reference of Cohere's API v2. */
static const char cohere_stream[] =
  "event: message-start\n"
  "data: {\"id\":\"29f14a5a\",\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":[]}}}\n\n"
  "event: content-start\n"
  "data: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n"
  "event: content-delta\n"
  "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"Vio\"}}}}\n\n"
  "event: content-delta\n"
  "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"let\"}}}}\n\n"
  "event: content-end\n"
  "data: {\"type\":\"content-end\",\"index\":0}\n\n"
  "event: message-end\n"
  "data: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":{\"billed_units\":{\"input_tokens\":20,\"output_tokens\":2},"
  "\"tokens\":{\"input_tokens\":210,\"output_tokens\":3}}}}\n\n";

static void
test_cohere_stream (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("cohere");
  const char *failing =
    "event: content-delta\n"
    "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"Vi\"}}}}\n\n"
    "event: message-end\n"
    "data: {\"type\":\"message-end\",\"delta\":{\"error\":\"internal failure\",\"finish_reason\":\"ERROR\"}}\n\n";
  Collected c;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  collected_init (&c);
  g_assert_true (feed_sse (dialect, cohere_stream, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (c.text->str, ==, "Violet");
  g_assert_cmpstr (c.finish, ==, "COMPLETE");
  g_assert_cmpint (c.input_tokens, ==, 210);
  g_assert_cmpint (c.output_tokens, ==, 3);
  g_assert_cmpuint (c.n_done, ==, 1);
  g_assert_cmpuint (c.n_after_done, ==, 0);
  collected_clear (&c);

  collected_init (&c);
  g_assert_true (feed_sse (dialect, failing, &c, &error));
  g_assert_cmpstr (c.text->str, ==, "Vi");
  g_assert_cmpuint (c.n_error, ==, 1);
  g_assert_cmpstr (c.error_message, ==, "internal failure");
  g_assert_cmpuint (c.n_done, ==, 0);
  collected_clear (&c);

  message = error_body ("cohere", "{\"id\":\"abc\",\"message\":\"invalid api token\"}");
  g_assert_cmpstr (message, ==, "invalid api token");
}

static void
test_cohere_models (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("cohere");
  NatterDialectContext ctx = { .base_url = "https://api.cohere.com" };
  const char *body =
    "{\"models\":[{\"name\":\"command-a-03-2025\",\"endpoints\":[\"chat\"],\"finetuned\":false,\"context_length\":256000},"
    "{\"name\":\"command-r7b-12-2024\",\"endpoints\":[\"chat\"],\"context_length\":128000}],\"next_page_token\":\"tok 2\"}";
  g_autoptr(NatterRequest) first = dialect->build_models_request (&ctx, NULL, NULL);
  g_autoptr(NatterRequest) second = dialect->build_models_request (&ctx, "tok 2", NULL);
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;

  g_assert_cmpstr (natter_request_get_url (first), ==, "https://api.cohere.com/v1/models?endpoint=chat&page_size=1000");
  g_assert_cmpstr (natter_request_get_url (second), ==,
                   "https://api.cohere.com/v1/models?endpoint=chat&page_size=1000&page_token=tok%202");
  models = dialect->parse_models (body, strlen (body), &next, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 2);
  g_assert_cmpint (((NatterModelInfo *) g_ptr_array_index (models, 0))->context_length, ==, 256000);
  g_assert_cmpstr (next, ==, "tok 2");
}

/* Every dialect turns garbage into a PROTOCOL error, never a crash. */
static void
test_garbage_everywhere (void)
{
  const NatterDialect * const *list = natter_dialect_list ();
  const char *garbage[] = { "", "{", "not json", "[1,2", "\xff\xfe" };

  for (guint i = 0; list[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (garbage); j++)
      {
        gpointer parser = list[i]->parser_new ();
        g_autoptr(GError) error = NULL;
        Collected c;

        collected_init (&c);
        g_assert_false (list[i]->parse_event (parser, NULL, garbage[j], strlen (garbage[j]), collect, &c, &error));
        g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
        g_assert_true (g_utf8_validate (error->message, -1, NULL));
        g_clear_error (&error);
        g_assert_false (list[i]->parse_response (garbage[j], strlen (garbage[j]), collect, &c, &error));
        g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
        g_clear_error (&error);
        g_assert_null (list[i]->parse_models (garbage[j], strlen (garbage[j]), NULL, &error));
        g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
        list[i]->parser_free (parser);
        collected_clear (&c);
      }
}

static void
test_error_body_excerpt (void)
{
  g_autoptr(GString) long_page = g_string_new ("<html><body>");
  g_autofree char *excerpt = NULL;
  g_autofree char *plain = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append (long_page, "Service temporarily unavailable. ");
  g_string_append (long_page, "</body></html>");
  excerpt = error_body ("anthropic", long_page->str);
  g_assert_nonnull (excerpt);
  g_assert_cmpuint (g_utf8_strlen (excerpt, -1), <=, 200);
  g_assert_true (g_str_has_prefix (excerpt, "Service temporarily unavailable."));
  g_assert_null (strchr (excerpt, '<'));

  plain = error_body ("cohere", "  upstream connect error  \n");
  g_assert_cmpstr (plain, ==, "upstream connect error");
  g_assert_null (error_body ("gemini", "<html>  </html>"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/dialects/registry", test_registry);
  g_test_add_func ("/natter/dialects/normalize-url", test_normalize);
  g_test_add_func ("/natter/dialects/missing-model-and-url", test_missing_model_and_url);

  g_test_add_func ("/natter/dialects/openai-chat/request", test_openai_chat_request);
  g_test_add_func ("/natter/dialects/openai-chat/unset-params", test_openai_chat_unset_params);
  g_test_add_func ("/natter/dialects/openai-chat/stream", test_openai_chat_stream);
  g_test_add_func ("/natter/dialects/openai-chat/reasoning-and-tools", test_openai_chat_reasoning_and_tools);
  g_test_add_func ("/natter/dialects/openai-chat/errors", test_openai_chat_errors);
  g_test_add_func ("/natter/dialects/openai-chat/response", test_openai_chat_response);
  g_test_add_func ("/natter/dialects/openai-chat/models", test_openai_models);
  g_test_add_func ("/natter/dialects/openai-chat/extra-body", test_extra_body_setting);

  g_test_add_func ("/natter/dialects/anthropic/request", test_anthropic_request);
  g_test_add_func ("/natter/dialects/anthropic/default-max-tokens", test_anthropic_default_max_tokens);
  g_test_add_func ("/natter/dialects/anthropic/stream", test_anthropic_stream);
  g_test_add_func ("/natter/dialects/anthropic/tool-use", test_anthropic_tool_use);
  g_test_add_func ("/natter/dialects/anthropic/errors", test_anthropic_errors);
  g_test_add_func ("/natter/dialects/anthropic/response", test_anthropic_response);
  g_test_add_func ("/natter/dialects/anthropic/models", test_anthropic_models);

  g_test_add_func ("/natter/dialects/gemini/request", test_gemini_request);
  g_test_add_func ("/natter/dialects/gemini/stream", test_gemini_stream);
  g_test_add_func ("/natter/dialects/gemini/errors", test_gemini_errors);
  g_test_add_func ("/natter/dialects/gemini/models", test_gemini_models);

  g_test_add_func ("/natter/dialects/ollama/request", test_ollama_request);
  g_test_add_func ("/natter/dialects/ollama/stream", test_ollama_stream);
  g_test_add_func ("/natter/dialects/ollama/models", test_ollama_models);

  g_test_add_func ("/natter/dialects/kobold/request", test_kobold_request);
  g_test_add_func ("/natter/dialects/kobold/stream", test_kobold_stream);
  g_test_add_func ("/natter/dialects/kobold/models", test_kobold_models);

  g_test_add_func ("/natter/dialects/llamacpp", test_llamacpp);
  g_test_add_func ("/natter/dialects/openai-text", test_openai_text);

  g_test_add_func ("/natter/dialects/cohere/request", test_cohere_request);
  g_test_add_func ("/natter/dialects/cohere/stream", test_cohere_stream);
  g_test_add_func ("/natter/dialects/cohere/models", test_cohere_models);

  g_test_add_func ("/natter/dialects/garbage", test_garbage_everywhere);
  g_test_add_func ("/natter/dialects/error-body-excerpt", test_error_body_excerpt);

  return g_test_run ();
}
