/* test-tools.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Tools and structured answers in each dialect: the request bodies (tool
 * definitions, calls and results, the schema) against each provider's
 * documented shape, streamed call pieces put together, and the schema
 * validator. */

#include "config.h"

#include <string.h>

#include "natter-dialect.h"
#include "natter-json-schema.h"
#include "natter-json-writer.h"
#include "natter-json.h"
#include "natter-request.h"
#include "natter-tool-assembler.h"

/* ------------------------------------------------------------ helpers */

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = natter_json_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static const char *weather_schema =
  "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
  "\"required\":[\"city\"],\"additionalProperties\":false}";

/* system, user, the model's call (with some text and a signature), the
 * result, with one tool on offer. */
static NatterPrompt *
tool_prompt (void)
{
  NatterPrompt *prompt = natter_prompt_new ();
  g_autoptr(JsonObject) schema = parse_object (weather_schema);
  NatterPromptMessage *turn;
  NatterPromptMessage *results;
  NatterToolCall *call;

  natter_prompt_add (prompt, NATTER_ROLE_SYSTEM, "Be brief.");
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Weather in Oslo?");
  natter_prompt_add_tool (prompt, natter_tool_spec_new ("weather__get", "Current weather", schema));

  turn = natter_prompt_message_new (NATTER_ROLE_ASSISTANT, "Checking.");
  call = natter_tool_call_new ("call_1", "weather__get", "{\"city\":\"Oslo\"}");
  call->signature = g_strdup ("c2lnbmF0dXJl");
  natter_prompt_message_add_tool_call (turn, call);
  natter_prompt_take_message (prompt, turn);

  results = natter_prompt_message_new (NATTER_ROLE_USER, "");
  natter_prompt_message_add_tool_result (results,
                                         natter_tool_result_new ("call_1", "weather__get",
                                                                 "{\"temp\":3}", FALSE));
  natter_prompt_take_message (prompt, results);
  return prompt;
}

/* The body @dialect_id builds for @prompt. */
static JsonNode *
build_body (const char         *dialect_id,
            const NatterPrompt *prompt)
{
  const NatterDialect *dialect = natter_dialect_lookup (dialect_id);
  NatterDialectContext ctx = { 0 };
  NatterGenParams params;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterRequest) request = NULL;
  GBytes *body;
  gsize len;
  const char *data;
  JsonNode *root;

  g_assert_nonnull (dialect);
  ctx.base_url = "http://127.0.0.1:9";
  natter_gen_params_init (&params);
  params.model = g_strdup ("test-model");
  request = dialect->build_request (&ctx, prompt, &params, &error);
  natter_gen_params_clear (&params);
  g_assert_no_error (error);
  body = natter_request_get_body (request);
  data = g_bytes_get_data (body, &len);
  root = natter_json_parse (data, len, &error);
  g_assert_no_error (error);
  return root;
}

/* The value at @path ("$.a.b[2].c") in @root, as compact JSON text, or
 * "<none>". */
static char *
at (JsonNode   *root,
    const char *path)
{
  JsonNode *node = root;
  const char *p = path;

  g_assert_true (*p == '$');
  p++;
  while (*p != '\0' && node != NULL)
    {
      if (*p == '.')
        {
          const char *end = p + 1 + strcspn (p + 1, ".[");
          g_autofree char *name = g_strndup (p + 1, end - p - 1);

          node = JSON_NODE_HOLDS_OBJECT (node)
                 ? json_object_get_member (json_node_get_object (node), name) : NULL;
          p = end;
        }
      else if (*p == '[')
        {
          char *end = NULL;
          guint64 i = g_ascii_strtoull (p + 1, &end, 10);

          g_assert_true (end != NULL && *end == ']');
          node = JSON_NODE_HOLDS_ARRAY (node) &&
                 i < json_array_get_length (json_node_get_array (node))
                 ? json_array_get_element (json_node_get_array (node), (guint) i) : NULL;
          p = end + 1;
        }
      else
        g_assert_not_reached ();
    }
  if (node == NULL)
    return g_strdup ("<none>");
  return natter_json_to_string (node, 0);
}

#define assert_at(root, path, expected) \
  G_STMT_START { \
    g_autofree char *value__ = at (root, path); \
    g_assert_cmpstr (value__, ==, expected); \
  } G_STMT_END

/* ------------------------------------------------------------ request bodies */

static void
test_openai_body (void)
{
  NatterPrompt *prompt = tool_prompt ();
  g_autoptr(JsonNode) body = build_body ("openai-chat", prompt);

  assert_at (body, "$.tools[0].type", "\"function\"");
  assert_at (body, "$.tools[0].function.name", "\"weather__get\"");
  assert_at (body, "$.tools[0].function.parameters.required[0]", "\"city\"");
  /* system, user, then the call and the result in OpenAI's shape */
  assert_at (body, "$.messages[1].content", "\"Weather in Oslo?\"");
  assert_at (body, "$.messages[2].role", "\"assistant\"");
  assert_at (body, "$.messages[2].content", "\"Checking.\"");
  assert_at (body, "$.messages[2].tool_calls[0].id", "\"call_1\"");
  assert_at (body, "$.messages[2].tool_calls[0].type", "\"function\"");
  assert_at (body, "$.messages[2].tool_calls[0].function.arguments", "\"{\\\"city\\\":\\\"Oslo\\\"}\"");
  assert_at (body, "$.messages[3].role", "\"tool\"");
  assert_at (body, "$.messages[3].tool_call_id", "\"call_1\"");
  assert_at (body, "$.messages[3].content", "\"{\\\"temp\\\":3}\"");
  assert_at (body, "$.messages[4]", "<none>");
  natter_prompt_free (prompt);
}

static void
test_anthropic_body (void)
{
  NatterPrompt *prompt = tool_prompt ();
  g_autoptr(JsonNode) body = build_body ("anthropic", prompt);

  assert_at (body, "$.tools[0].name", "\"weather__get\"");
  assert_at (body, "$.tools[0].input_schema.properties.city.type", "\"string\"");
  assert_at (body, "$.system", "\"Be brief.\"");
  assert_at (body, "$.messages[0].role", "\"user\"");
  assert_at (body, "$.messages[1].role", "\"assistant\"");
  assert_at (body, "$.messages[1].content[0].text", "\"Checking.\"");
  assert_at (body, "$.messages[1].content[1].type", "\"tool_use\"");
  assert_at (body, "$.messages[1].content[1].id", "\"call_1\"");
  assert_at (body, "$.messages[1].content[1].input", "{\"city\":\"Oslo\"}");
  assert_at (body, "$.messages[2].role", "\"user\"");
  assert_at (body, "$.messages[2].content[0].type", "\"tool_result\"");
  assert_at (body, "$.messages[2].content[0].tool_use_id", "\"call_1\"");
  assert_at (body, "$.messages[2].content[0].content", "\"{\\\"temp\\\":3}\"");
  assert_at (body, "$.tool_choice", "<none>");
  natter_prompt_free (prompt);
}

static void
test_gemini_body (void)
{
  NatterPrompt *prompt = tool_prompt ();
  g_autoptr(JsonNode) body = build_body ("gemini", prompt);

  assert_at (body, "$.tools[0].functionDeclarations[0].name", "\"weather__get\"");
  /* Gemini refuses additionalProperties: left out */
  assert_at (body, "$.tools[0].functionDeclarations[0].parameters",
             "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
  assert_at (body, "$.contents[1].role", "\"model\"");
  assert_at (body, "$.contents[1].parts[0].text", "\"Checking.\"");
  assert_at (body, "$.contents[1].parts[1].functionCall.name", "\"weather__get\"");
  assert_at (body, "$.contents[1].parts[1].functionCall.args", "{\"city\":\"Oslo\"}");
  /* the signature echoed exactly as received, beside the call */
  assert_at (body, "$.contents[1].parts[1].thoughtSignature", "\"c2lnbmF0dXJl\"");
  assert_at (body, "$.contents[2].role", "\"user\"");
  assert_at (body, "$.contents[2].parts[0].functionResponse.name", "\"weather__get\"");
  assert_at (body, "$.contents[2].parts[0].functionResponse.response", "{\"temp\":3}");
  natter_prompt_free (prompt);
}

static void
test_cohere_body (void)
{
  NatterPrompt *prompt = tool_prompt ();
  g_autoptr(JsonNode) body = build_body ("cohere", prompt);

  assert_at (body, "$.tools[0].type", "\"function\"");
  assert_at (body, "$.tools[0].function.name", "\"weather__get\"");
  assert_at (body, "$.messages[2].role", "\"assistant\"");
  assert_at (body, "$.messages[2].tool_plan", "\"Checking.\"");
  assert_at (body, "$.messages[2].tool_calls[0].id", "\"call_1\"");
  assert_at (body, "$.messages[3].role", "\"tool\"");
  assert_at (body, "$.messages[3].tool_call_id", "\"call_1\"");
  assert_at (body, "$.messages[3].content[0].type", "\"document\"");
  assert_at (body, "$.messages[3].content[0].document.data", "\"{\\\"temp\\\":3}\"");
  natter_prompt_free (prompt);
}

static void
test_ollama_body (void)
{
  NatterPrompt *prompt = tool_prompt ();
  g_autoptr(JsonNode) body = build_body ("ollama", prompt);

  assert_at (body, "$.tools[0].function.name", "\"weather__get\"");
  assert_at (body, "$.messages[2].tool_calls[0].function.name", "\"weather__get\"");
  /* Ollama takes the arguments as an object */
  assert_at (body, "$.messages[2].tool_calls[0].function.arguments", "{\"city\":\"Oslo\"}");
  assert_at (body, "$.messages[3].role", "\"tool\"");
  assert_at (body, "$.messages[3].tool_name", "\"weather__get\"");
  natter_prompt_free (prompt);
}

static void
test_bedrock_body (void)
{
  NatterPrompt *prompt = tool_prompt ();
  g_autoptr(JsonNode) body = build_body ("bedrock-converse", prompt);

  assert_at (body, "$.toolConfig.tools[0].toolSpec.name", "\"weather__get\"");
  assert_at (body, "$.toolConfig.tools[0].toolSpec.inputSchema.json.type", "\"object\"");
  assert_at (body, "$.messages[1].role", "\"assistant\"");
  assert_at (body, "$.messages[1].content[1].toolUse.toolUseId", "\"call_1\"");
  assert_at (body, "$.messages[1].content[1].toolUse.input", "{\"city\":\"Oslo\"}");
  assert_at (body, "$.messages[2].content[0].toolResult.toolUseId", "\"call_1\"");
  assert_at (body, "$.messages[2].content[0].toolResult.content[0].text", "\"{\\\"temp\\\":3}\"");
  assert_at (body, "$.messages[2].content[0].toolResult.status", "\"success\"");
  natter_prompt_free (prompt);
}

/* An earlier reply that called a tool (its calls and results on the one
 * message, its text last), then a new question; @text "" when the reply
 * said nothing after its calls. */
static NatterPrompt *
history_prompt (const char *text)
{
  NatterPrompt *prompt = natter_prompt_new ();
  g_autoptr(JsonObject) schema = parse_object (weather_schema);
  NatterPromptMessage *reply;

  natter_prompt_add (prompt, NATTER_ROLE_USER, "Weather in Oslo?");
  reply = natter_prompt_message_new (NATTER_ROLE_ASSISTANT, text);
  natter_prompt_message_add_tool_call (reply, natter_tool_call_new ("call_1", "weather__get",
                                                                    "{\"city\":\"Oslo\"}"));
  natter_prompt_message_add_tool_result (reply, natter_tool_result_new ("call_1", "weather__get",
                                                                        "{\"temp\":3}", FALSE));
  natter_prompt_take_message (prompt, reply);
  natter_prompt_add (prompt, NATTER_ROLE_USER, "And tomorrow?");
  natter_prompt_add_tool (prompt, natter_tool_spec_new ("weather__get", "Current weather", schema));
  return prompt;
}

static void
test_history_bodies (void)
{
  NatterPrompt *prompt = history_prompt ("It is 3 degrees.");
  NatterPrompt *silent = history_prompt ("");
  g_autoptr(JsonNode) openai = build_body ("openai-chat", prompt);
  g_autoptr(JsonNode) anthropic = build_body ("anthropic", prompt);
  g_autoptr(JsonNode) bedrock = build_body ("bedrock-converse", prompt);
  g_autoptr(JsonNode) gemini = build_body ("gemini", prompt);
  g_autoptr(JsonNode) anthropic_silent = build_body ("anthropic", silent);
  g_autoptr(JsonNode) bedrock_silent = build_body ("bedrock-converse", silent);

  /* in place: the call, its result, the reply's text, then the question */
  assert_at (openai, "$.messages[1].tool_calls[0].id", "\"call_1\"");
  assert_at (openai, "$.messages[1].content", "null");
  assert_at (openai, "$.messages[2].role", "\"tool\"");
  assert_at (openai, "$.messages[2].content", "\"{\\\"temp\\\":3}\"");
  assert_at (openai, "$.messages[3]", "{\"role\":\"assistant\",\"content\":\"It is 3 degrees.\"}");
  assert_at (openai, "$.messages[4].content", "\"And tomorrow?\"");

  assert_at (anthropic, "$.messages[1].content[0].type", "\"tool_use\"");
  assert_at (anthropic, "$.messages[1].content[1]", "<none>");
  assert_at (anthropic, "$.messages[2].content[0].tool_use_id", "\"call_1\"");
  assert_at (anthropic, "$.messages[3]", "{\"role\":\"assistant\",\"content\":\"It is 3 degrees.\"}");
  assert_at (anthropic, "$.messages[4].role", "\"user\"");

  assert_at (bedrock, "$.messages[1].content[0].toolUse.toolUseId", "\"call_1\"");
  assert_at (bedrock, "$.messages[2].content[0].toolResult.toolUseId", "\"call_1\"");
  assert_at (bedrock, "$.messages[3].content[0].text", "\"It is 3 degrees.\"");
  assert_at (bedrock, "$.messages[4].content[0].text", "\"And tomorrow?\"");

  assert_at (gemini, "$.contents[1].parts[0].functionCall.name", "\"weather__get\"");
  assert_at (gemini, "$.contents[2].parts[0].functionResponse.response", "{\"temp\":3}");
  assert_at (gemini, "$.contents[3].parts[0].text", "\"It is 3 degrees.\"");
  assert_at (gemini, "$.contents[3].role", "\"model\"");

  /* Nothing said after the calls: the results and the question make one
   * user turn where roles must alternate. */
  assert_at (anthropic_silent, "$.messages[2].content[0].type", "\"tool_result\"");
  assert_at (anthropic_silent, "$.messages[2].content[1]", "{\"type\":\"text\",\"text\":\"And tomorrow?\"}");
  assert_at (anthropic_silent, "$.messages[3]", "<none>");
  assert_at (bedrock_silent, "$.messages[2].content[0].toolResult.status", "\"success\"");
  assert_at (bedrock_silent, "$.messages[2].content[1].text", "\"And tomorrow?\"");
  assert_at (bedrock_silent, "$.messages[3]", "<none>");
  natter_prompt_free (prompt);
  natter_prompt_free (silent);
}

static NatterPrompt *
schema_prompt (void)
{
  NatterPrompt *prompt = natter_prompt_new ();
  g_autoptr(JsonObject) schema = parse_object (
    "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
    "\"note\":{\"type\":[\"string\",\"null\"]}},"
    "\"required\":[\"city\"],\"additionalProperties\":false}");

  natter_prompt_add (prompt, NATTER_ROLE_USER, "A city, please.");
  natter_prompt_set_schema (prompt, schema, "city");
  return prompt;
}

static void
test_schema_bodies (void)
{
  NatterPrompt *prompt = schema_prompt ();
  g_autoptr(JsonNode) openai = build_body ("openai-chat", prompt);
  g_autoptr(JsonNode) gemini = build_body ("gemini", prompt);
  g_autoptr(JsonNode) anthropic = build_body ("anthropic", prompt);
  g_autoptr(JsonNode) bedrock = build_body ("bedrock-converse", prompt);
  g_autoptr(JsonNode) ollama = build_body ("ollama", prompt);
  g_autoptr(JsonNode) cohere = build_body ("cohere", prompt);

  assert_at (openai, "$.response_format.type", "\"json_schema\"");
  assert_at (openai, "$.response_format.json_schema.name", "\"city\"");
  assert_at (openai, "$.response_format.json_schema.strict", "true");
  assert_at (openai, "$.response_format.json_schema.schema.additionalProperties", "false");
  assert_at (gemini, "$.generationConfig.responseMimeType", "\"application/json\"");
  assert_at (gemini, "$.generationConfig.responseSchema.required[0]", "\"city\"");
  assert_at (gemini, "$.generationConfig.responseSchema.additionalProperties", "<none>");
  /* a list of types becomes one, nullable */
  assert_at (gemini, "$.generationConfig.responseSchema.properties.note", "{\"type\":\"string\",\"nullable\":true}");
  /* a forced tool where there is no native way */
  assert_at (anthropic, "$.tools[0].name", "\"json_response\"");
  assert_at (anthropic, "$.tools[0].input_schema.required[0]", "\"city\"");
  assert_at (anthropic, "$.tool_choice", "{\"type\":\"tool\",\"name\":\"json_response\"}");
  assert_at (bedrock, "$.toolConfig.toolChoice.tool.name", "\"json_response\"");
  assert_at (ollama, "$.format.required[0]", "\"city\"");
  assert_at (cohere, "$.response_format.type", "\"json_object\"");
  assert_at (cohere, "$.response_format.json_schema.required[0]", "\"city\"");
  natter_prompt_free (prompt);
}

/* No tools, no schema: nothing tool-shaped in any body. */
static void
test_plain_bodies (void)
{
  static const char * const dialects[] = {
    "openai-chat", "anthropic", "gemini", "cohere", "ollama", "bedrock-converse", NULL
  };

  for (guint i = 0; dialects[i] != NULL; i++)
    {
      NatterPrompt *prompt = natter_prompt_new ();
      g_autoptr(JsonNode) body = NULL;
      g_autofree char *text = NULL;

      natter_prompt_add (prompt, NATTER_ROLE_USER, "Hi");
      body = build_body (dialects[i], prompt);
      text = natter_json_to_string (body, 0);
      g_assert_null (strstr (text, "tool"));
      g_assert_null (strstr (text, "response_format"));
      natter_prompt_free (prompt);
    }
}

/* ------------------------------------------------------------ streams */

typedef struct
{
  NatterToolAssembler *assembler;
  GString             *text;
  char                *finish;
} Collect;

static void
collect (const NatterDelta *delta,
         gpointer           user_data)
{
  Collect *c = user_data;

  if (delta->kind == NATTER_DELTA_TOOL_CALL)
    natter_tool_assembler_add (c->assembler, delta);
  else if (delta->kind == NATTER_DELTA_TEXT)
    g_string_append_len (c->text, delta->text, delta->len);
  else if (delta->kind == NATTER_DELTA_FINISH)
    {
      g_free (c->finish);
      c->finish = g_strdup (delta->finish_reason);
    }
}

/* Feeds @events (pairs of event name or "" and data) to @dialect_id's
 * stream parser; returns the assembled calls. */
static GPtrArray *
parse_stream (const char         *dialect_id,
              const char * const *events,
              Collect            *c)
{
  const NatterDialect *dialect = natter_dialect_lookup (dialect_id);
  gpointer parser = dialect->parser_new ();

  c->assembler = natter_tool_assembler_new ();
  c->text = g_string_new (NULL);
  for (guint i = 0; events[i] != NULL; i += 2)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (dialect->parse_event (parser, *events[i] ? events[i] : NULL, events[i + 1],
                                           strlen (events[i + 1]), collect, c, &error));
      g_assert_no_error (error);
    }
  dialect->parser_free (parser);
  return natter_tool_assembler_finish (c->assembler);
}

static void
collect_clear (Collect *c)
{
  natter_tool_assembler_free (c->assembler);
  g_string_free (c->text, TRUE);
  g_free (c->finish);
}

static void
assert_call (GPtrArray  *calls,
             guint       i,
             const char *id,
             const char *name,
             const char *arguments)
{
  NatterToolCall *call;

  g_assert_cmpuint (calls->len, >, i);
  call = g_ptr_array_index (calls, i);
  if (id != NULL)
    g_assert_cmpstr (call->id, ==, id);
  g_assert_cmpstr (call->name, ==, name);
  g_assert_cmpstr (call->arguments, ==, arguments);
}

/* OpenAI: two parallel calls, arguments in many index-keyed pieces. */
static void
test_openai_stream (void)
{
  static const char * const events[] = {
    "", "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"\"}}]}}]}",
    "", "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"ci\"}}]}}]}",
    "", "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"time__now\",\"arguments\":\"\"}}]}}]}",
    "", "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\": \\\"Os\"}}]}}]}",
    "", "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{}\"}}]}}]}",
    "", "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"lo\\\"}\"}}]}}]}",
    "", "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
    "", "[DONE]",
    NULL
  };
  Collect c = { 0 };
  g_autoptr(GPtrArray) calls = parse_stream ("openai-chat", events, &c);

  g_assert_cmpuint (calls->len, ==, 2);
  assert_call (calls, 0, "call_a", "weather__get", "{\"city\": \"Oslo\"}");
  assert_call (calls, 1, "call_b", "time__now", "{}");
  g_assert_cmpstr (c.text->str, ==, "");
  g_assert_cmpstr (c.finish, ==, "tool_calls");
  collect_clear (&c);
}

/* Servers that number every call 0 but give each its own id. */
static void
test_openai_same_index (void)
{
  static const char * const events[] = {
    "", "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"x1\",\"function\":{\"name\":\"a\",\"arguments\":\"{\\\"n\\\":1}\"}},{\"id\":\"x2\",\"function\":{\"name\":\"b\",\"arguments\":\"{\\\"n\\\":2}\"}}]}}]}",
    "", "{\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
    "", "[DONE]",
    NULL
  };
  Collect c = { 0 };
  g_autoptr(GPtrArray) calls = parse_stream ("openai-chat", events, &c);

  g_assert_cmpuint (calls->len, ==, 2);
  assert_call (calls, 0, "x1", "a", "{\"n\":1}");
  assert_call (calls, 1, "x2", "b", "{\"n\":2}");
  collect_clear (&c);
}

/* A refusal (structured outputs) is text, and the end says so. */
static void
test_openai_refusal (void)
{
  static const char * const events[] = {
    "", "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"refusal\":\"I can\xe2\x80\x99t \"}}]}",
    "", "{\"choices\":[{\"delta\":{\"refusal\":\"help with that.\"}}]}",
    "", "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}",
    "", "[DONE]",
    NULL
  };
  Collect c = { 0 };
  g_autoptr(GPtrArray) calls = parse_stream ("openai-chat", events, &c);

  g_assert_cmpuint (calls->len, ==, 0);
  g_assert_cmpstr (c.text->str, ==, "I can\xe2\x80\x99t help with that.");
  g_assert_cmpstr (c.finish, ==, "refusal");
  collect_clear (&c);
}

static void
test_anthropic_stream (void)
{
  static const char * const events[] = {
    "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}",
    "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
    "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me check.\"}}",
    "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}",
    "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"weather__get\",\"input\":{}}}",
    "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}",
    "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\"\"}}",
    "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\": \\\"Os\"}}",
    "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"lo\\\"}\"}}",
    "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}",
    "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":30}}",
    "message_stop", "{\"type\":\"message_stop\"}",
    NULL
  };
  Collect c = { 0 };
  g_autoptr(GPtrArray) calls = parse_stream ("anthropic", events, &c);

  g_assert_cmpuint (calls->len, ==, 1);
  assert_call (calls, 0, "toolu_01", "weather__get", "{\"city\": \"Oslo\"}");
  g_assert_cmpstr (c.text->str, ==, "Let me check.");
  collect_clear (&c);
}

/* Extended thinking: the thinking block that led to the call goes back
 * with its signature, first in the assistant turn. */
static void
test_anthropic_thinking (void)
{
  static const char * const events[] = {
    "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}",
    "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Need the \"}}",
    "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"weather.\"}}",
    "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM\"}}",
    "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}",
    "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_7\",\"name\":\"weather__get\",\"input\":{}}}",
    "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}",
    "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}",
    "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}",
    "message_stop", "{\"type\":\"message_stop\"}",
    NULL
  };
  Collect c = { 0 };
  g_autoptr(GPtrArray) calls = parse_stream ("anthropic", events, &c);
  NatterPrompt *prompt = natter_prompt_new ();
  NatterPromptMessage *turn = natter_prompt_message_new (NATTER_ROLE_ASSISTANT, "");
  NatterPromptMessage *results = natter_prompt_message_new (NATTER_ROLE_USER, "");
  g_autoptr(JsonNode) body = NULL;

  g_assert_cmpuint (calls->len, ==, 1);
  assert_call (calls, 0, "toolu_7", "weather__get", "{\"city\":\"Oslo\"}");

  natter_prompt_add (prompt, NATTER_ROLE_USER, "Weather?");
  natter_prompt_message_add_tool_call (turn, natter_tool_call_copy (g_ptr_array_index (calls, 0)));
  natter_prompt_take_message (prompt, turn);
  natter_prompt_message_add_tool_result (results, natter_tool_result_new ("toolu_7", "weather__get", "3", FALSE));
  natter_prompt_take_message (prompt, results);
  body = build_body ("anthropic", prompt);
  assert_at (body, "$.messages[1].content[0]",
             "{\"type\":\"thinking\",\"thinking\":\"Need the weather.\",\"signature\":\"EqQBCgIYAhIM\"}");
  assert_at (body, "$.messages[1].content[1].type", "\"tool_use\"");
  natter_prompt_free (prompt);
  collect_clear (&c);
}

static void
test_gemini_stream (void)
{
  static const char * const events[] = {
    "", "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"weather__get\",\"args\":{\"city\":\"Oslo\"}},\"thoughtSignature\":\"c2ln\"}],\"role\":\"model\"},\"index\":0}]}",
    "", "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"time__now\",\"args\":{}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]}",
    NULL
  };
  Collect c = { 0 };
  g_autoptr(GPtrArray) calls = parse_stream ("gemini", events, &c);
  NatterToolCall *first;

  g_assert_cmpuint (calls->len, ==, 2);
  assert_call (calls, 0, NULL, "weather__get", "{\"city\":\"Oslo\"}");
  assert_call (calls, 1, NULL, "time__now", "{}");
  first = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (first->signature, ==, "c2ln");
  g_assert_true (g_str_has_prefix (first->id, "call_natter_"));
  collect_clear (&c);
}

static void
test_cohere_stream (void)
{
  static const char * const events[] = {
    "", "{\"type\":\"message-start\",\"id\":\"m1\",\"delta\":{\"message\":{\"role\":\"assistant\"}}}",
    "", "{\"type\":\"tool-plan-delta\",\"delta\":{\"message\":{\"tool_plan\":\"I will check.\"}}}",
    "", "{\"type\":\"tool-call-start\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"id\":\"weather_abc\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"\"}}}}}",
    "", "{\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"{\\n    \\\"\"}}}}}",
    "", "{\"type\":\"tool-call-delta\",\"index\":0,\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"city\\\": \\\"Oslo\\\"\\n}\"}}}}}",
    "", "{\"type\":\"tool-call-end\",\"index\":0}",
    "", "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"TOOL_CALL\",\"usage\":{\"tokens\":{\"input_tokens\":10,\"output_tokens\":5}}}}",
    NULL
  };
  Collect c = { 0 };
  g_autoptr(GPtrArray) calls = parse_stream ("cohere", events, &c);

  g_assert_cmpuint (calls->len, ==, 1);
  assert_call (calls, 0, "weather_abc", "weather__get", "{\n    \"city\": \"Oslo\"\n}");
  collect_clear (&c);
}

static void
test_ollama_stream (void)
{
  static const char * const events[] = {
    "", "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"weather__get\",\"arguments\":{\"city\":\"Oslo\"}}}]},\"done\":false}",
    "", "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"time__now\",\"arguments\":{}}}]},\"done\":false}",
    "", "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"}",
    NULL
  };
  Collect c = { 0 };
  g_autoptr(GPtrArray) calls = parse_stream ("ollama", events, &c);

  g_assert_cmpuint (calls->len, ==, 2);
  assert_call (calls, 0, NULL, "weather__get", "{\"city\":\"Oslo\"}");
  assert_call (calls, 1, NULL, "time__now", "{}");
  collect_clear (&c);
}

static void
test_bedrock_stream (void)
{
  static const char * const events[] = {
    "messageStart", "{\"role\":\"assistant\"}",
    "contentBlockStart", "{\"contentBlockIndex\":0,\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_1\",\"name\":\"weather__get\"}}}",
    "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"{\\\"city\\\":\"}}}",
    "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":\"\\\"Oslo\\\"}\"}}}",
    "contentBlockStop", "{\"contentBlockIndex\":0}",
    "messageStop", "{\"stopReason\":\"tool_use\"}",
    NULL
  };
  static const char * const thinking_events[] = {
    "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"Need the weather.\"}}}",
    "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"signature\":\"c2lnbmVk\"}}}",
    "contentBlockStop", "{\"contentBlockIndex\":0}",
    "contentBlockStart", "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":{\"toolUseId\":\"tooluse_2\",\"name\":\"weather__get\"}}}",
    "contentBlockDelta", "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{}\"}}}",
    "messageStop", "{\"stopReason\":\"tool_use\"}",
    NULL
  };
  Collect c = { 0 };
  Collect t = { 0 };
  g_autoptr(GPtrArray) calls = parse_stream ("bedrock-converse", events, &c);
  g_autoptr(GPtrArray) thinking_calls = parse_stream ("bedrock-converse", thinking_events, &t);
  NatterPrompt *prompt = natter_prompt_new ();
  NatterPromptMessage *turn = natter_prompt_message_new (NATTER_ROLE_ASSISTANT, "");
  g_autoptr(JsonNode) body = NULL;

  g_assert_cmpuint (calls->len, ==, 1);
  assert_call (calls, 0, "tooluse_1", "weather__get", "{\"city\":\"Oslo\"}");

  /* Claude's reasoning on Bedrock goes back with its signature, before the call. */
  g_assert_cmpuint (thinking_calls->len, ==, 1);
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Weather?");
  natter_prompt_message_add_tool_call (turn, natter_tool_call_copy (g_ptr_array_index (thinking_calls, 0)));
  natter_prompt_take_message (prompt, turn);
  body = build_body ("bedrock-converse", prompt);
  assert_at (body, "$.messages[1].content[0].reasoningContent.reasoningText",
             "{\"text\":\"Need the weather.\",\"signature\":\"c2lnbmVk\"}");
  assert_at (body, "$.messages[1].content[1].toolUse.toolUseId", "\"tooluse_2\"");
  natter_prompt_free (prompt);
  collect_clear (&c);
  collect_clear (&t);
}

/* Bedrock without streaming: the calls in the whole response. */
static void
test_bedrock_response (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("bedrock-converse");
  const char *body =
    "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":["
    "{\"reasoningContent\":{\"reasoningText\":{\"text\":\"Look it up.\",\"signature\":\"c2ln\"}}},"
    "{\"text\":\"Checking.\"},"
    "{\"toolUse\":{\"toolUseId\":\"tu_1\",\"name\":\"weather__get\",\"input\":{\"city\":\"Oslo\"}}}]}},"
    "\"stopReason\":\"tool_use\",\"usage\":{\"inputTokens\":3,\"outputTokens\":4}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  Collect c = { 0 };
  NatterToolCall *call;

  c.assembler = natter_tool_assembler_new ();
  c.text = g_string_new (NULL);
  g_assert_true (dialect->parse_response (body, strlen (body), collect, &c, &error));
  g_assert_no_error (error);
  calls = natter_tool_assembler_finish (c.assembler);
  g_assert_cmpuint (calls->len, ==, 1);
  assert_call (calls, 0, "tu_1", "weather__get", "{\"city\":\"Oslo\"}");
  call = g_ptr_array_index (calls, 0);
  g_assert_nonnull (strstr (call->signature, "\"signature\":\"c2ln\""));
  g_assert_cmpstr (c.text->str, ==, "Checking.");
  collect_clear (&c);
}

/* Cohere without streaming. */
static void
test_cohere_response (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("cohere");
  const char *body =
    "{\"id\":\"r\",\"message\":{\"role\":\"assistant\",\"tool_plan\":\"I will look.\","
    "\"tool_calls\":[{\"id\":\"w_1\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}},"
    "{\"id\":\"w_2\",\"type\":\"function\",\"function\":{\"name\":\"weather__get\",\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]},"
    "\"finish_reason\":\"TOOL_CALL\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  Collect c = { 0 };

  c.assembler = natter_tool_assembler_new ();
  c.text = g_string_new (NULL);
  g_assert_true (dialect->parse_response (body, strlen (body), collect, &c, &error));
  g_assert_no_error (error);
  calls = natter_tool_assembler_finish (c.assembler);
  g_assert_cmpuint (calls->len, ==, 2);
  assert_call (calls, 0, "w_1", "weather__get", "{\"city\":\"Oslo\"}");
  assert_call (calls, 1, "w_2", "weather__get", "{\"city\":\"Rome\"}");
  collect_clear (&c);
}

/* A hostile stream cannot make calls without end. */
static void
test_assembler_limits (void)
{
  g_autoptr(NatterToolAssembler) assembler = natter_tool_assembler_new ();
  g_autoptr(GPtrArray) calls = NULL;
  NatterDelta delta;

  for (int i = 0; i < 1000; i++)
    {
      natter_delta_init (&delta, NATTER_DELTA_TOOL_CALL);
      delta.tool_index = i;
      delta.tool_name = "x";
      delta.text = "{}";
      delta.len = 2;
      natter_tool_assembler_add (assembler, &delta);
    }
  calls = natter_tool_assembler_finish (assembler);
  g_assert_cmpuint (calls->len, ==, NATTER_TOOL_ASSEMBLER_MAX_CALLS);
  g_assert_true (natter_tool_assembler_truncated (assembler));
}

/* ------------------------------------------------------------ schema */

static void
assert_invalid (JsonObject *schema,
                const char *text,
                const char *where)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (natter_json_schema_validate_text (schema, text, &error));
  g_assert_nonnull (error);
  if (g_strstr_len (error->message, -1, where) == NULL)
    g_error ("“%s” does not name %s", error->message, where);
}

static void
test_schema_validate (void)
{
  g_autoptr(JsonObject) schema = parse_object (
    "{\"type\":\"object\",\"required\":[\"cities\",\"unit\"],\"additionalProperties\":false,"
    "\"properties\":{"
    "  \"unit\":{\"enum\":[\"C\",\"F\"]},"
    "  \"count\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
    "  \"cities\":{\"type\":\"array\",\"minItems\":1,\"items\":{"
    "     \"type\":\"object\",\"required\":[\"name\"],"
    "     \"properties\":{\"name\":{\"type\":\"string\",\"minLength\":1},"
    "                     \"temp\":{\"type\":[\"number\",\"null\"]}}}}}}");
  g_autoptr(GError) error = NULL;

  g_assert_true (natter_json_schema_validate_text (schema,
    "{\"unit\":\"C\",\"count\":2,\"cities\":[{\"name\":\"Oslo\",\"temp\":3.5},{\"name\":\"Rome\",\"temp\":null}]}",
    &error));
  g_assert_no_error (error);
  /* 2.0 is a whole number */
  g_assert_true (natter_json_schema_validate_text (schema,
    "{\"unit\":\"F\",\"count\":2.0,\"cities\":[{\"name\":\"Oslo\"}]}", NULL));

  assert_invalid (schema, "{\"unit\":\"C\"}", "“cities”");
  assert_invalid (schema, "{\"unit\":\"K\",\"cities\":[{\"name\":\"Oslo\"}]}", "$.unit");
  assert_invalid (schema, "{\"unit\":\"C\",\"cities\":[{\"name\":\"Oslo\"},{\"name\":7}]}",
                  "$.cities[1].name");
  assert_invalid (schema, "{\"unit\":\"C\",\"cities\":[{\"name\":\"Oslo\",\"temp\":\"warm\"}]}",
                  "$.cities[0].temp");
  assert_invalid (schema, "{\"unit\":\"C\",\"cities\":[]}", "$.cities");
  assert_invalid (schema, "{\"unit\":\"C\",\"count\":11,\"cities\":[{\"name\":\"A\"}]}", "$.count");
  assert_invalid (schema, "{\"unit\":\"C\",\"count\":1.5,\"cities\":[{\"name\":\"A\"}]}", "$.count");
  assert_invalid (schema, "{\"unit\":\"C\",\"extra\":1,\"cities\":[{\"name\":\"A\"}]}", "“extra”");
  assert_invalid (schema, "[1,2]", "$");
  assert_invalid (schema, "Sure! Here is the JSON:", "not JSON");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/tools/body/openai", test_openai_body);
  g_test_add_func ("/natter/tools/body/anthropic", test_anthropic_body);
  g_test_add_func ("/natter/tools/body/gemini", test_gemini_body);
  g_test_add_func ("/natter/tools/body/cohere", test_cohere_body);
  g_test_add_func ("/natter/tools/body/ollama", test_ollama_body);
  g_test_add_func ("/natter/tools/body/bedrock", test_bedrock_body);
  g_test_add_func ("/natter/tools/body/history", test_history_bodies);
  g_test_add_func ("/natter/tools/body/schema", test_schema_bodies);
  g_test_add_func ("/natter/tools/body/plain", test_plain_bodies);
  g_test_add_func ("/natter/tools/stream/openai", test_openai_stream);
  g_test_add_func ("/natter/tools/stream/openai-same-index", test_openai_same_index);
  g_test_add_func ("/natter/tools/stream/openai-refusal", test_openai_refusal);
  g_test_add_func ("/natter/tools/stream/anthropic", test_anthropic_stream);
  g_test_add_func ("/natter/tools/stream/anthropic-thinking", test_anthropic_thinking);
  g_test_add_func ("/natter/tools/stream/gemini", test_gemini_stream);
  g_test_add_func ("/natter/tools/stream/cohere", test_cohere_stream);
  g_test_add_func ("/natter/tools/stream/ollama", test_ollama_stream);
  g_test_add_func ("/natter/tools/stream/bedrock", test_bedrock_stream);
  g_test_add_func ("/natter/tools/response/bedrock", test_bedrock_response);
  g_test_add_func ("/natter/tools/response/cohere", test_cohere_response);
  g_test_add_func ("/natter/tools/assembler/limits", test_assembler_limits);
  g_test_add_func ("/natter/tools/schema/validate", test_schema_validate);

  return g_test_run ();
}
