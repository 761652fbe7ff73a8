/* natter-dialect-tools.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Tools and structured answers in each provider's shape:
 *
 * OpenAI Chat Completions (and the servers that speak it):
 *   "tools": [{"type":"function","function":{"name","description","parameters"}}],
 *   "tool_choice": "required" | {"type":"function","function":{"name"}},
 *   an assistant message {"role":"assistant","content","tool_calls":[{"id",
 *   "type":"function","function":{"name","arguments":"<JSON text>"}}]} and one
 *   {"role":"tool","tool_call_id","content"} per result;
 *   "response_format": {"type":"json_schema","json_schema":{"name","schema","strict":true}}.
 * Anthropic Messages: "tools": [{"name","description","input_schema"}],
 *   "tool_choice": {"type":"any"} | {"type":"tool","name"}, content blocks
 *   {"type":"tool_use","id","name","input"} and {"type":"tool_result",
 *   "tool_use_id","content","is_error"}; a schema through a forced tool.
 * Gemini: "tools": [{"functionDeclarations":[{"name","description","parameters"}]}],
 *   "toolConfig": {"functionCallingConfig":{"mode":"ANY","allowedFunctionNames"}},
 *   parts {"functionCall":{"name","args","id"},"thoughtSignature"} (the
 *   signature echoed as received) and {"functionResponse":{"name","id",
 *   "response":{"result"|"error"}}}; generationConfig.responseMimeType
 *   "application/json" with "responseSchema" (the OpenAPI subset Gemini takes).
 * Cohere v2: OpenAI's tool definitions, "tool_choice": "REQUIRED", an
 *   assistant message with "tool_calls" (and "tool_plan"), tool messages
 *   with "content": [{"type":"document","document":{"data"}}];
 *   "response_format": {"type":"json_object","json_schema"}.
 * Ollama: OpenAI's tool definitions, "tool_calls" with arguments as an
 *   object, {"role":"tool","content","tool_name"}; "format": the schema.
 * Bedrock Converse: "toolConfig": {"tools":[{"toolSpec":{"name","description",
 *   "inputSchema":{"json"}}}],"toolChoice":{"any":{}}|{"tool":{"name"}}},
 *   content blocks {"toolUse":{"toolUseId","name","input"}} and
 *   {"toolResult":{"toolUseId","content":[{"text"}],"status"}}; a schema
 *   through a forced tool. */

#define G_LOG_DOMAIN "natter-dialect-tools"

#include "config.h"

#include <string.h>

#include "natter-dialect-tools-private.h"
#include "natter-dialects-private.h"
#include "natter-json-writer.h"
#include "natter-json.h"

gboolean
_natter_prompt_message_has_tools (const NatterPromptMessage *message)
{
  return (message->tool_calls != NULL && message->tool_calls->len > 0) ||
         (message->tool_results != NULL && message->tool_results->len > 0);
}

static gboolean
prompt_has_tools (const NatterPrompt *prompt)
{
  return prompt->tools != NULL && prompt->tools->len > 0;
}

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return node;
}

/* A deep copy of @object as a new object. */
static JsonObject *
object_copy (JsonObject *object)
{
  g_autoptr(JsonNode) node = object_node (object);
  g_autoptr(JsonNode) copy = json_node_copy (node);

  return json_object_ref (json_node_get_object (copy));
}

/* The arguments' schema, or an empty object schema. */
static JsonObject *
spec_schema (const NatterToolSpec *spec)
{
  JsonObject *schema;

  if (spec->input_schema != NULL)
    return object_copy (spec->input_schema);
  schema = json_object_new ();
  json_object_set_string_member (schema, "type", "object");
  json_object_set_object_member (schema, "properties", json_object_new ());
  return schema;
}

/* The call's arguments as an object (what arrived may be cut short or not
 * JSON at all: then an empty object, which every provider accepts). */
static JsonObject *
call_arguments (const NatterToolCall *call)
{
  g_autoptr(JsonNode) root = NULL;

  if (call->arguments != NULL && *call->arguments != '\0')
    root = natter_json_parse (call->arguments, -1, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return json_object_ref (json_node_get_object (root));
  return json_object_new ();
}

static const char *
schema_name (const NatterPrompt *prompt)
{
  return prompt->schema_name != NULL && *prompt->schema_name != '\0' ? prompt->schema_name
                                                                     : "response";
}

/* The forced tool that carries a schema for dialects without a native way. */
static NatterToolSpec *
schema_tool (const NatterPrompt *prompt)
{
  return natter_tool_spec_new (NATTER_SCHEMA_TOOL_NAME,
                               "Give the answer by calling this tool: its arguments are the answer.",
                               prompt->schema);
}

/* The tools to send, with the schema's forced tool when @with_schema_tool
 * (a new array; its elements are borrowed except the schema tool). */
static GPtrArray *
tools_to_send (const NatterPrompt *prompt,
               gboolean            with_schema_tool)
{
  GPtrArray *tools = g_ptr_array_new ();

  for (guint i = 0; prompt->tools != NULL && i < prompt->tools->len; i++)
    g_ptr_array_add (tools, g_ptr_array_index (prompt->tools, i));
  if (with_schema_tool && prompt->schema != NULL)
    {
      g_ptr_array_set_free_func (tools, NULL);
      g_ptr_array_add (tools, schema_tool (prompt));
    }
  return tools;
}

static void
free_schema_tool (GPtrArray          *tools,
                  const NatterPrompt *prompt,
                  gboolean            with_schema_tool)
{
  if (with_schema_tool && prompt->schema != NULL && tools->len > 0)
    natter_tool_spec_free (g_ptr_array_index (tools, tools->len - 1));
  g_ptr_array_unref (tools);
}

/* Where a message with tool parts goes: the builders put this object in
 * its place, the hooks below replace it with the message in the dialect's
 * shape. */
#define PLACEHOLDER_MEMBER "natter-tool-message"

JsonObject *
_natter_tools_placeholder (guint index)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, PLACEHOLDER_MEMBER, index);
  return object;
}

/* An earlier reply: its calls, their results, then its text. */
static gboolean
is_whole_reply (const NatterPromptMessage *message)
{
  return message->tool_calls != NULL && message->tool_calls->len > 0 &&
         message->tool_results != NULL && message->tool_results->len > 0;
}

static gboolean
has_text (const NatterPromptMessage *message)
{
  return message->content != NULL && *message->content != '\0';
}

typedef void (*ShapeFunc) (const NatterPromptMessage *message,
                           JsonArray                 *out,
                           gpointer                   data);

/* The blocks of @object's @content_key as an array (a text becomes one
 * Anthropic text block). */
static JsonArray *
content_blocks (JsonObject *object,
                const char *content_key)
{
  JsonNode *content = json_object_get_member (object, content_key);
  JsonArray *blocks = json_array_new ();

  if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    {
      JsonArray *in = json_node_get_array (content);

      for (guint i = 0; i < json_array_get_length (in); i++)
        json_array_add_element (blocks, json_node_copy (json_array_get_element (in, i)));
    }
  else if (content != NULL && JSON_NODE_HOLDS_VALUE (content) &&
           json_node_get_value_type (content) == G_TYPE_STRING &&
           *json_node_get_string (content) != '\0')
    {
      JsonObject *text = json_object_new ();

      json_object_set_string_member (text, "type", "text");
      json_object_set_string_member (text, "text", json_node_get_string (content));
      json_array_add_object_element (blocks, text);
    }
  return blocks;
}

/* Replaces each placeholder in @body's @member by its message in @shape;
 * with @merge_key, turns of one role in a row become one (their
 * @merge_key arrays joined), for APIs that want roles to alternate. */
static void
splice_tool_messages (const NatterPrompt *prompt,
                      JsonObject         *body,
                      const char         *member,
                      ShapeFunc           shape,
                      gpointer            data,
                      const char         *role_key,
                      const char         *merge_key)
{
  JsonArray *in;
  g_autoptr(JsonArray) spliced = json_array_new ();
  JsonArray *out;

  if (!json_object_has_member (body, member) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, member)))
    return;
  in = json_object_get_array_member (body, member);
  for (guint i = 0; i < json_array_get_length (in); i++)
    {
      JsonNode *node = json_array_get_element (in, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (object != NULL && json_object_has_member (object, PLACEHOLDER_MEMBER))
        {
          gint64 index = json_object_get_int_member (object, PLACEHOLDER_MEMBER);

          if (index >= 0 && index < (gint64) prompt->messages->len)
            shape (g_ptr_array_index (prompt->messages, index), spliced, data);
        }
      else
        json_array_add_element (spliced, json_node_copy (node));
    }
  if (merge_key == NULL)
    {
      json_object_set_array_member (body, member, g_steal_pointer (&spliced));
      return;
    }

  out = json_array_new ();
  for (guint i = 0; i < json_array_get_length (spliced); i++)
    {
      JsonNode *node = json_array_get_element (spliced, i);
      guint n = json_array_get_length (out);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *last = n > 0 ? json_array_get_object_element (out, n - 1) : NULL;

      if (object != NULL && last != NULL &&
          g_strcmp0 (natter_json_object_get_string (object, role_key),
                     natter_json_object_get_string (last, role_key)) == 0)
        {
          JsonArray *blocks = content_blocks (last, merge_key);
          g_autoptr(JsonArray) more = content_blocks (object, merge_key);

          for (guint j = 0; j < json_array_get_length (more); j++)
            json_array_add_element (blocks, json_node_copy (json_array_get_element (more, j)));
          json_object_set_array_member (last, merge_key, blocks);
          continue;
        }
      json_array_add_element (out, json_node_copy (node));
    }
  json_object_set_array_member (body, member, out);
}

static JsonObject *
ensure_object (JsonObject *body,
               const char *name)
{
  if (!json_object_has_member (body, name) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, name)))
    json_object_set_object_member (body, name, json_object_new ());
  return json_object_get_object_member (body, name);
}

/* ------------------------------------------------------------ OpenAI shape */

static JsonArray *
openai_tool_array (GPtrArray *tools)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < tools->len; i++)
    {
      const NatterToolSpec *spec = g_ptr_array_index (tools, i);
      JsonObject *tool = json_object_new ();
      JsonObject *function = json_object_new ();

      json_object_set_string_member (function, "name", spec->name);
      if (spec->description != NULL)
        json_object_set_string_member (function, "description", spec->description);
      json_object_set_object_member (function, "parameters", spec_schema (spec));
      json_object_set_string_member (tool, "type", "function");
      json_object_set_object_member (tool, "function", function);
      json_array_add_object_element (array, tool);
    }
  return array;
}

static JsonArray *
openai_calls (const NatterPromptMessage *message,
              gboolean                   arguments_as_object,
              gboolean                   with_ids)
{
  JsonArray *calls = json_array_new ();

  for (guint i = 0; i < message->tool_calls->len; i++)
    {
      const NatterToolCall *call = g_ptr_array_index (message->tool_calls, i);
      JsonObject *object = json_object_new ();
      JsonObject *function = json_object_new ();

      if (with_ids)
        {
          json_object_set_string_member (object, "id", call->id);
          json_object_set_string_member (object, "type", "function");
        }
      json_object_set_string_member (function, "name", call->name);
      if (arguments_as_object)
        json_object_set_object_member (function, "arguments", call_arguments (call));
      else
        json_object_set_string_member (function, "arguments",
                                       call->arguments != NULL && *call->arguments != '\0'
                                       ? call->arguments : "{}");
      json_object_set_object_member (object, "function", function);
      json_array_add_object_element (calls, object);
    }
  return calls;
}

typedef enum
{
  SHAPE_OPENAI,
  SHAPE_COHERE,
  SHAPE_OLLAMA,
} OpenaiShape;

static void
openai_like_message (const NatterPromptMessage *message,
                     JsonArray                 *messages,
                     gpointer                   data)
{
  OpenaiShape shape = GPOINTER_TO_INT (data);
  gboolean whole = is_whole_reply (message);

  if (message->tool_calls != NULL && message->tool_calls->len > 0)
    {
      JsonObject *object = json_object_new ();
      gboolean with_text = has_text (message) && !whole;

      json_object_set_string_member (object, "role", "assistant");
      if (shape == SHAPE_COHERE)
        {
          if (with_text)
            json_object_set_string_member (object, "tool_plan", message->content);
        }
      else if (with_text)
        json_object_set_string_member (object, "content", message->content);
      else if (shape == SHAPE_OLLAMA)
        json_object_set_string_member (object, "content", "");
      else
        json_object_set_null_member (object, "content");
      json_object_set_array_member (object, "tool_calls",
                                    openai_calls (message, shape == SHAPE_OLLAMA,
                                                  shape != SHAPE_OLLAMA));
      json_array_add_object_element (messages, object);
    }
  for (guint j = 0; message->tool_results != NULL && j < message->tool_results->len; j++)
    {
      const NatterToolResult *result = g_ptr_array_index (message->tool_results, j);
      JsonObject *object = json_object_new ();
      const char *content = result->content != NULL ? result->content : "";

      json_object_set_string_member (object, "role", "tool");
      if (shape == SHAPE_OLLAMA)
        {
          json_object_set_string_member (object, "content", content);
          json_object_set_string_member (object, "tool_name", result->name);
        }
      else if (shape == SHAPE_COHERE)
        {
          JsonArray *parts = json_array_new ();
          JsonObject *part = json_object_new ();
          JsonObject *document = json_object_new ();

          json_object_set_string_member (object, "tool_call_id", result->call_id);
          json_object_set_string_member (document, "data", content);
          json_object_set_string_member (part, "type", "document");
          json_object_set_object_member (part, "document", document);
          json_array_add_object_element (parts, part);
          json_object_set_array_member (object, "content", parts);
        }
      else
        {
          json_object_set_string_member (object, "tool_call_id", result->call_id);
          json_object_set_string_member (object, "content", content);
        }
      json_array_add_object_element (messages, object);
    }
  if (whole && has_text (message))
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "role", "assistant");
      json_object_set_string_member (object, "content", message->content);
      json_array_add_object_element (messages, object);
    }
}

static void
openai_like_messages (const NatterPrompt *prompt,
                      JsonObject         *body,
                      OpenaiShape         shape)
{
  splice_tool_messages (prompt, body, "messages", openai_like_message, GINT_TO_POINTER (shape),
                        NULL, NULL);
}

void
_natter_tools_openai (const NatterPrompt *prompt,
                      JsonObject         *body)
{
  if (prompt_has_tools (prompt))
    {
      g_autoptr(GPtrArray) tools = tools_to_send (prompt, FALSE);

      json_object_set_array_member (body, "tools", openai_tool_array (tools));
      if (g_strcmp0 (prompt->tool_choice, "required") == 0)
        json_object_set_string_member (body, "tool_choice", "required");
      else if (prompt->tool_choice != NULL)
        {
          JsonObject *choice = json_object_new ();
          JsonObject *function = json_object_new ();

          json_object_set_string_member (function, "name", prompt->tool_choice);
          json_object_set_string_member (choice, "type", "function");
          json_object_set_object_member (choice, "function", function);
          json_object_set_object_member (body, "tool_choice", choice);
        }
    }
  if (prompt->schema != NULL)
    {
      JsonObject *format = json_object_new ();
      JsonObject *json_schema = json_object_new ();

      json_object_set_string_member (json_schema, "name", schema_name (prompt));
      json_object_set_object_member (json_schema, "schema", object_copy (prompt->schema));
      json_object_set_boolean_member (json_schema, "strict", TRUE);
      json_object_set_string_member (format, "type", "json_schema");
      json_object_set_object_member (format, "json_schema", json_schema);
      json_object_set_object_member (body, "response_format", format);
    }
  openai_like_messages (prompt, body, SHAPE_OPENAI);
}

void
_natter_tools_cohere (const NatterPrompt *prompt,
                      JsonObject         *body)
{
  if (prompt_has_tools (prompt))
    {
      g_autoptr(GPtrArray) tools = tools_to_send (prompt, FALSE);

      json_object_set_array_member (body, "tools", openai_tool_array (tools));
      /* Cohere can require a tool call but not name one. */
      if (prompt->tool_choice != NULL)
        json_object_set_string_member (body, "tool_choice", "REQUIRED");
    }
  if (prompt->schema != NULL)
    {
      JsonObject *format = json_object_new ();

      json_object_set_string_member (format, "type", "json_object");
      json_object_set_object_member (format, "json_schema", object_copy (prompt->schema));
      json_object_set_object_member (body, "response_format", format);
    }
  openai_like_messages (prompt, body, SHAPE_COHERE);
}

void
_natter_tools_ollama (const NatterPrompt *prompt,
                      JsonObject         *body)
{
  if (prompt_has_tools (prompt))
    {
      g_autoptr(GPtrArray) tools = tools_to_send (prompt, FALSE);

      json_object_set_array_member (body, "tools", openai_tool_array (tools));
    }
  if (prompt->schema != NULL)
    json_object_set_object_member (body, "format", object_copy (prompt->schema));
  openai_like_messages (prompt, body, SHAPE_OLLAMA);
}

void
_natter_tools_emit_ollama_calls (const cJSON     *message,
                                 int             *counter,
                                 NatterDeltaFunc  emit,
                                 gpointer         user_data)
{
  const cJSON *calls = cJSON_GetObjectItemCaseSensitive (message, "tool_calls");
  const cJSON *call;

  if (!cJSON_IsArray (calls))
    return;
  cJSON_ArrayForEach (call, calls)
    {
      const cJSON *function = cJSON_GetObjectItemCaseSensitive (call, "function");
      const cJSON *arguments = cJSON_GetObjectItemCaseSensitive (function, "arguments");
      char *printed = NULL;
      NatterDelta delta;

      if (!cJSON_IsObject (function))
        continue;
      if (cJSON_IsString (arguments))
        printed = NULL;
      else if (arguments != NULL)
        printed = cJSON_PrintUnformatted (arguments);
      natter_delta_init (&delta, NATTER_DELTA_TOOL_CALL);
      delta.tool_index = (*counter)++;
      delta.tool_id = _natter_cjson_string (call, "id");
      delta.tool_name = _natter_cjson_string (function, "name");
      delta.text = printed != NULL ? printed
                   : cJSON_IsString (arguments) ? arguments->valuestring : "";
      delta.len = strlen (delta.text);
      emit (&delta, user_data);
      cJSON_free (printed);
    }
}

/* --------------------------------------------------------- Anthropic shape */

void
_natter_tools_emit_thinking_signature (int              index,
                                       const char      *thinking,
                                       const char      *signature,
                                       NatterDeltaFunc  emit,
                                       gpointer         user_data)
{
  g_autoptr(JsonObject) block = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  NatterDelta delta;

  if (signature == NULL || *signature == '\0')
    return;
  block = json_object_new ();
  json_object_set_string_member (block, "type", "thinking");
  json_object_set_string_member (block, "thinking", thinking != NULL ? thinking : "");
  json_object_set_string_member (block, "signature", signature);
  node = object_node (block);
  json = natter_json_to_string (node, 0);

  natter_delta_init (&delta, NATTER_DELTA_TOOL_CALL);
  delta.tool_index = index;
  delta.tool_signature = json;
  delta.text = "";
  emit (&delta, user_data);
}

/* The thinking block a call carries from natter_tools_emit_thinking_signature(), or NULL. */
static JsonObject *
thinking_block (const NatterToolCall *call)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if (call->signature == NULL || call->signature[0] != '{' ||
      (node = natter_json_parse (call->signature, -1, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  if (g_strcmp0 (natter_json_object_get_string (object, "type"), "thinking") != 0 ||
      natter_json_object_get_string (object, "signature") == NULL)
    return NULL;
  return json_object_ref (object);
}

static JsonObject *
text_turn (const char *role,
           const char *text)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "role", role);
  json_object_set_string_member (object, "content", text);
  return object;
}

static void
anthropic_message (const NatterPromptMessage *message,
                   JsonArray                 *messages,
                   gpointer                   data)
{
  gboolean whole = is_whole_reply (message);

  if (message->tool_calls != NULL && message->tool_calls->len > 0)
    {
      JsonObject *object = json_object_new ();
      JsonArray *content = json_array_new ();

      json_object_set_string_member (object, "role", "assistant");
      /* The thinking that led to the calls first, as it came. */
      for (guint j = 0; j < message->tool_calls->len; j++)
        {
          JsonObject *thinking = thinking_block (g_ptr_array_index (message->tool_calls, j));

          if (thinking != NULL)
            json_array_add_object_element (content, thinking);
        }
      if (has_text (message) && !whole)
        {
          JsonObject *text = json_object_new ();

          json_object_set_string_member (text, "type", "text");
          json_object_set_string_member (text, "text", message->content);
          json_array_add_object_element (content, text);
        }
      for (guint j = 0; j < message->tool_calls->len; j++)
        {
          const NatterToolCall *call = g_ptr_array_index (message->tool_calls, j);
          JsonObject *block = json_object_new ();

          json_object_set_string_member (block, "type", "tool_use");
          json_object_set_string_member (block, "id", call->id);
          json_object_set_string_member (block, "name", call->name);
          json_object_set_object_member (block, "input", call_arguments (call));
          json_array_add_object_element (content, block);
        }
      json_object_set_array_member (object, "content", content);
      json_array_add_object_element (messages, object);
    }
  if (message->tool_results != NULL && message->tool_results->len > 0)
    {
      JsonObject *object = json_object_new ();
      JsonArray *content = json_array_new ();

      json_object_set_string_member (object, "role", "user");
      for (guint j = 0; j < message->tool_results->len; j++)
        {
          const NatterToolResult *result = g_ptr_array_index (message->tool_results, j);
          JsonObject *block = json_object_new ();

          json_object_set_string_member (block, "type", "tool_result");
          json_object_set_string_member (block, "tool_use_id", result->call_id);
          json_object_set_string_member (block, "content",
                                         result->content != NULL ? result->content : "");
          if (result->is_error)
            json_object_set_boolean_member (block, "is_error", TRUE);
          json_array_add_object_element (content, block);
        }
      json_object_set_array_member (object, "content", content);
      json_array_add_object_element (messages, object);
    }
  if (whole && has_text (message))
    json_array_add_object_element (messages, text_turn ("assistant", message->content));
}

void
_natter_tools_anthropic (const NatterPrompt *prompt,
                         JsonObject         *body)
{
  if (prompt_has_tools (prompt) || prompt->schema != NULL)
    {
      GPtrArray *tools = tools_to_send (prompt, TRUE);
      JsonArray *array = json_array_new ();
      const char *forced = prompt->schema != NULL ? NATTER_SCHEMA_TOOL_NAME : prompt->tool_choice;

      for (guint i = 0; i < tools->len; i++)
        {
          const NatterToolSpec *spec = g_ptr_array_index (tools, i);
          JsonObject *tool = json_object_new ();

          json_object_set_string_member (tool, "name", spec->name);
          if (spec->description != NULL)
            json_object_set_string_member (tool, "description", spec->description);
          json_object_set_object_member (tool, "input_schema", spec_schema (spec));
          json_array_add_object_element (array, tool);
        }
      json_object_set_array_member (body, "tools", array);
      if (forced != NULL)
        {
          JsonObject *choice = json_object_new ();

          if (g_str_equal (forced, "required"))
            json_object_set_string_member (choice, "type", "any");
          else
            {
              json_object_set_string_member (choice, "type", "tool");
              json_object_set_string_member (choice, "name", forced);
            }
          json_object_set_object_member (body, "tool_choice", choice);
        }
      free_schema_tool (tools, prompt, TRUE);
    }

  splice_tool_messages (prompt, body, "messages", anthropic_message, NULL, "role", "content");
}

/* ----------------------------------------------------------- Gemini shape */

/* Gemini takes an OpenAPI subset of JSON Schema and refuses what it does
 * not know ("additionalProperties", "$schema", …): only these go through. */
static const char * const gemini_schema_keys[] = {
  "type", "format", "description", "nullable", "enum", "properties", "required", "items",
  "minItems", "maxItems", "minimum", "maximum", "anyOf", "propertyOrdering", "title",
  "minLength", "maxLength", "pattern", "minProperties", "maxProperties", NULL,
};

static JsonNode *gemini_schema_node (JsonNode *node, guint depth);

static JsonObject *
gemini_schema (JsonObject *schema,
               guint       depth)
{
  JsonObject *out = json_object_new ();

  if (depth > 32)
    return out;
  for (guint i = 0; gemini_schema_keys[i] != NULL; i++)
    {
      const char *key = gemini_schema_keys[i];
      JsonNode *member = json_object_get_member (schema, key);

      if (member == NULL)
        continue;
      if (g_str_equal (key, "properties") && JSON_NODE_HOLDS_OBJECT (member))
        {
          JsonObject *properties = json_node_get_object (member);
          JsonObject *copy = json_object_new ();
          g_autoptr(GList) names = json_object_get_members (properties);

          for (GList *l = names; l != NULL; l = l->next)
            json_object_set_member (copy, l->data,
                                    gemini_schema_node (json_object_get_member (properties, l->data),
                                                        depth + 1));
          json_object_set_object_member (out, key, copy);
        }
      else if (g_str_equal (key, "type") && JSON_NODE_HOLDS_ARRAY (member))
        {
          /* ["string", "null"]: one type, and nullable. */
          JsonArray *types = json_node_get_array (member);

          for (guint j = 0; j < json_array_get_length (types); j++)
            {
              JsonNode *type = json_array_get_element (types, j);

              if (!JSON_NODE_HOLDS_VALUE (type) || json_node_get_value_type (type) != G_TYPE_STRING)
                continue;
              if (g_str_equal (json_node_get_string (type), "null"))
                json_object_set_boolean_member (out, "nullable", TRUE);
              else if (!json_object_has_member (out, "type"))
                json_object_set_string_member (out, "type", json_node_get_string (type));
            }
        }
      else if (g_str_equal (key, "items"))
        json_object_set_member (out, key, gemini_schema_node (member, depth + 1));
      else if (g_str_equal (key, "anyOf") && JSON_NODE_HOLDS_ARRAY (member))
        {
          JsonArray *in = json_node_get_array (member);
          JsonArray *copy = json_array_new ();

          for (guint j = 0; j < json_array_get_length (in); j++)
            json_array_add_element (copy, gemini_schema_node (json_array_get_element (in, j),
                                                              depth + 1));
          json_object_set_array_member (out, key, copy);
        }
      else
        json_object_set_member (out, key, json_node_copy (member));
    }
  return out;
}

static JsonNode *
gemini_schema_node (JsonNode *node,
                    guint     depth)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr(JsonObject) object = gemini_schema (json_node_get_object (node), depth);

      return object_node (object);
    }
  return json_node_copy (node);
}

/* The result as Gemini wants it: an object; JSON object output as is,
 * anything else under "result" (or "error"). */
static JsonObject *
gemini_response (const NatterToolResult *result)
{
  JsonObject *response;
  g_autoptr(JsonNode) parsed = NULL;

  if (!result->is_error && result->content != NULL &&
      (parsed = natter_json_parse (result->content, -1, NULL)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (parsed))
    return json_object_ref (json_node_get_object (parsed));
  response = json_object_new ();
  json_object_set_string_member (response, result->is_error ? "error" : "result",
                                 result->content != NULL ? result->content : "");
  return response;
}

static JsonObject *
gemini_text_turn (const char *text)
{
  JsonObject *content = json_object_new ();
  JsonArray *parts = json_array_new ();
  JsonObject *part = json_object_new ();

  json_object_set_string_member (content, "role", "model");
  json_object_set_string_member (part, "text", text);
  json_array_add_object_element (parts, part);
  json_object_set_array_member (content, "parts", parts);
  return content;
}

static void
gemini_message (const NatterPromptMessage *message,
                JsonArray                 *contents,
                gpointer                   data)
{
  gboolean whole = is_whole_reply (message);

  if (message->tool_calls != NULL && message->tool_calls->len > 0)
    {
      JsonObject *content = json_object_new ();
      JsonArray *parts = json_array_new ();

      json_object_set_string_member (content, "role", "model");
      if (has_text (message) && !whole)
        {
          JsonObject *text = json_object_new ();

          json_object_set_string_member (text, "text", message->content);
          json_array_add_object_element (parts, text);
        }
      for (guint j = 0; j < message->tool_calls->len; j++)
        {
          const NatterToolCall *call = g_ptr_array_index (message->tool_calls, j);
          JsonObject *part = json_object_new ();
          JsonObject *function = json_object_new ();

          json_object_set_string_member (function, "name", call->name);
          json_object_set_object_member (function, "args", call_arguments (call));
          /* Made-up ids ("call_N") are ours, not Gemini's. */
          if (call->id != NULL && !g_str_has_prefix (call->id, "call_natter_"))
            json_object_set_string_member (function, "id", call->id);
          json_object_set_object_member (part, "functionCall", function);
          if (call->signature != NULL)
            json_object_set_string_member (part, "thoughtSignature", call->signature);
          json_array_add_object_element (parts, part);
        }
      json_object_set_array_member (content, "parts", parts);
      json_array_add_object_element (contents, content);
    }
  if (message->tool_results != NULL && message->tool_results->len > 0)
    {
      JsonObject *content = json_object_new ();
      JsonArray *parts = json_array_new ();

      json_object_set_string_member (content, "role", "user");
      for (guint j = 0; j < message->tool_results->len; j++)
        {
          const NatterToolResult *result = g_ptr_array_index (message->tool_results, j);
          JsonObject *part = json_object_new ();
          JsonObject *function = json_object_new ();

          json_object_set_string_member (function, "name", result->name);
          if (result->call_id != NULL && !g_str_has_prefix (result->call_id, "call_natter_"))
            json_object_set_string_member (function, "id", result->call_id);
          json_object_set_object_member (function, "response", gemini_response (result));
          json_object_set_object_member (part, "functionResponse", function);
          json_array_add_object_element (parts, part);
        }
      json_object_set_array_member (content, "parts", parts);
      json_array_add_object_element (contents, content);
    }
  if (whole && has_text (message))
    json_array_add_object_element (contents, gemini_text_turn (message->content));
}

void
_natter_tools_gemini (const NatterPrompt *prompt,
                      JsonObject         *body)
{
  if (prompt_has_tools (prompt))
    {
      JsonArray *tools = json_array_new ();
      JsonObject *tool = json_object_new ();
      JsonArray *declarations = json_array_new ();

      for (guint i = 0; i < prompt->tools->len; i++)
        {
          const NatterToolSpec *spec = g_ptr_array_index (prompt->tools, i);
          JsonObject *declaration = json_object_new ();
          g_autoptr(JsonObject) schema = spec_schema (spec);

          json_object_set_string_member (declaration, "name", spec->name);
          if (spec->description != NULL)
            json_object_set_string_member (declaration, "description", spec->description);
          json_object_set_object_member (declaration, "parameters", gemini_schema (schema, 0));
          json_array_add_object_element (declarations, declaration);
        }
      json_object_set_array_member (tool, "functionDeclarations", declarations);
      json_array_add_object_element (tools, tool);
      json_object_set_array_member (body, "tools", tools);
      if (prompt->tool_choice != NULL)
        {
          JsonObject *config = json_object_new ();
          JsonObject *calling = json_object_new ();

          json_object_set_string_member (calling, "mode", "ANY");
          if (!g_str_equal (prompt->tool_choice, "required"))
            {
              JsonArray *names = json_array_new ();

              json_array_add_string_element (names, prompt->tool_choice);
              json_object_set_array_member (calling, "allowedFunctionNames", names);
            }
          json_object_set_object_member (config, "functionCallingConfig", calling);
          json_object_set_object_member (body, "toolConfig", config);
        }
    }
  if (prompt->schema != NULL)
    {
      JsonObject *config = ensure_object (body, "generationConfig");

      json_object_set_string_member (config, "responseMimeType", "application/json");
      json_object_set_object_member (config, "responseSchema", gemini_schema (prompt->schema, 0));
    }

  splice_tool_messages (prompt, body, "contents", gemini_message, NULL, NULL, NULL);
}

/* ---------------------------------------------------------- Bedrock shape */

static void
bedrock_message (const NatterPromptMessage *message,
                 JsonArray                 *messages,
                 gpointer                   data)
{
  gboolean whole = is_whole_reply (message);

  if (message->tool_calls != NULL && message->tool_calls->len > 0)
    {
      JsonObject *object = json_object_new ();
      JsonArray *content = json_array_new ();

      json_object_set_string_member (object, "role", "assistant");
      /* The reasoning that led to the calls first, with its signature. */
      for (guint j = 0; j < message->tool_calls->len; j++)
        {
          g_autoptr(JsonObject) thinking = thinking_block (g_ptr_array_index (message->tool_calls, j));
          JsonObject *block, *reasoning, *text;

          if (thinking == NULL)
            continue;
          block = json_object_new ();
          reasoning = json_object_new ();
          text = json_object_new ();
          json_object_set_string_member (text, "text", natter_json_object_get_string (thinking, "thinking"));
          json_object_set_string_member (text, "signature", natter_json_object_get_string (thinking, "signature"));
          json_object_set_object_member (reasoning, "reasoningText", text);
          json_object_set_object_member (block, "reasoningContent", reasoning);
          json_array_add_object_element (content, block);
        }
      if (has_text (message) && !whole)
        {
          JsonObject *text = json_object_new ();

          json_object_set_string_member (text, "text", message->content);
          json_array_add_object_element (content, text);
        }
      for (guint j = 0; j < message->tool_calls->len; j++)
        {
          const NatterToolCall *call = g_ptr_array_index (message->tool_calls, j);
          JsonObject *block = json_object_new ();
          JsonObject *use = json_object_new ();

          json_object_set_string_member (use, "toolUseId", call->id);
          json_object_set_string_member (use, "name", call->name);
          json_object_set_object_member (use, "input", call_arguments (call));
          json_object_set_object_member (block, "toolUse", use);
          json_array_add_object_element (content, block);
        }
      json_object_set_array_member (object, "content", content);
      json_array_add_object_element (messages, object);
    }
  if (message->tool_results != NULL && message->tool_results->len > 0)
    {
      JsonObject *object = json_object_new ();
      JsonArray *content = json_array_new ();

      json_object_set_string_member (object, "role", "user");
      for (guint j = 0; j < message->tool_results->len; j++)
        {
          const NatterToolResult *result = g_ptr_array_index (message->tool_results, j);
          JsonObject *block = json_object_new ();
          JsonObject *tool_result = json_object_new ();
          JsonArray *parts = json_array_new ();
          JsonObject *text = json_object_new ();

          json_object_set_string_member (text, "text",
                                         result->content != NULL ? result->content : "");
          json_array_add_object_element (parts, text);
          json_object_set_string_member (tool_result, "toolUseId", result->call_id);
          json_object_set_array_member (tool_result, "content", parts);
          json_object_set_string_member (tool_result, "status",
                                         result->is_error ? "error" : "success");
          json_object_set_object_member (block, "toolResult", tool_result);
          json_array_add_object_element (content, block);
        }
      json_object_set_array_member (object, "content", content);
      json_array_add_object_element (messages, object);
    }
  if (whole && has_text (message))
    {
      JsonObject *object = json_object_new ();
      JsonArray *content = json_array_new ();
      JsonObject *text = json_object_new ();

      json_object_set_string_member (object, "role", "assistant");
      json_object_set_string_member (text, "text", message->content);
      json_array_add_object_element (content, text);
      json_object_set_array_member (object, "content", content);
      json_array_add_object_element (messages, object);
    }
}

void
_natter_tools_bedrock (const NatterPrompt *prompt,
                       JsonObject         *body)
{
  if (prompt_has_tools (prompt) || prompt->schema != NULL)
    {
      GPtrArray *tools = tools_to_send (prompt, TRUE);
      JsonObject *config = json_object_new ();
      JsonArray *array = json_array_new ();
      const char *forced = prompt->schema != NULL ? NATTER_SCHEMA_TOOL_NAME : prompt->tool_choice;

      for (guint i = 0; i < tools->len; i++)
        {
          const NatterToolSpec *spec = g_ptr_array_index (tools, i);
          JsonObject *tool = json_object_new ();
          JsonObject *tool_spec = json_object_new ();
          JsonObject *input = json_object_new ();

          json_object_set_string_member (tool_spec, "name", spec->name);
          if (spec->description != NULL)
            json_object_set_string_member (tool_spec, "description", spec->description);
          json_object_set_object_member (input, "json", spec_schema (spec));
          json_object_set_object_member (tool_spec, "inputSchema", input);
          json_object_set_object_member (tool, "toolSpec", tool_spec);
          json_array_add_object_element (array, tool);
        }
      json_object_set_array_member (config, "tools", array);
      if (forced != NULL)
        {
          JsonObject *choice = json_object_new ();

          if (g_str_equal (forced, "required"))
            json_object_set_object_member (choice, "any", json_object_new ());
          else
            {
              JsonObject *tool = json_object_new ();

              json_object_set_string_member (tool, "name", forced);
              json_object_set_object_member (choice, "tool", tool);
            }
          json_object_set_object_member (config, "toolChoice", choice);
        }
      json_object_set_object_member (body, "toolConfig", config);
      free_schema_tool (tools, prompt, TRUE);
    }

  splice_tool_messages (prompt, body, "messages", bedrock_message, NULL, "role", "content");
}

/* ------------------------------------------------------------ copies */

void
natter_prompt_copy_tools (NatterPrompt       *dest,
                          const NatterPrompt *src)
{
  g_return_if_fail (dest != NULL && src != NULL);

  for (guint i = 0; src->tools != NULL && i < src->tools->len; i++)
    natter_prompt_add_tool (dest, natter_tool_spec_copy (g_ptr_array_index (src->tools, i)));
  g_free (dest->tool_choice);
  dest->tool_choice = g_strdup (src->tool_choice);
  natter_prompt_set_schema (dest, src->schema, src->schema_name);
}

void
natter_prompt_message_copy_tools (NatterPromptMessage       *dest,
                                  const NatterPromptMessage *src)
{
  g_return_if_fail (dest != NULL && src != NULL);

  for (guint i = 0; src->tool_calls != NULL && i < src->tool_calls->len; i++)
    natter_prompt_message_add_tool_call (dest,
                                         natter_tool_call_copy (g_ptr_array_index (src->tool_calls, i)));
  for (guint i = 0; src->tool_results != NULL && i < src->tool_results->len; i++)
    natter_prompt_message_add_tool_result (dest,
                                           natter_tool_result_copy (g_ptr_array_index (src->tool_results, i)));
}
