/* natter-dialect-openai-chat.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* OpenAI Chat Completions (https://platform.openai.com/docs/api-reference/chat),
 * spoken by most providers: POST {base}/chat/completions, SSE "data:" chunks
 * of chat.completion.chunk objects, "data: [DONE]" at the end. With
 * stream_options.include_usage the last chunk before [DONE] has an empty
 * "choices" and the "usage" object. */

#define G_LOG_DOMAIN "natter-dialect-openai-chat"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialect-tools-private.h"
#include "natter-dialects-private.h"

static const char * const endpoint_suffixes[] = {
  "/chat/completions",
  "/completions",
  "/models",
  NULL,
};

static void
copy_string_list (JsonObject *from,
                  const char *from_name,
                  JsonObject *to,
                  const char *to_name)
{
  JsonArray *out;
  JsonArray *in;

  if (!json_object_has_member (from, from_name) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (from, from_name)))
    return;
  in = json_object_get_array_member (from, from_name);
  out = json_array_new ();
  for (guint i = 0; i < json_array_get_length (in); i++)
    {
      JsonNode *node = json_array_get_element (in, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        json_array_add_string_element (out, json_node_get_string (node));
    }
  if (json_array_get_length (out) == 0)
    {
      json_array_unref (out);
      return;
    }
  json_object_set_array_member (to, to_name, out);
}

/* OpenRouter's own request fields from the connection's "openrouter"
 * settings (https://openrouter.ai/docs/features/provider-routing, …/plugins,
 * …/message-transforms, …/usage-accounting): the routing "provider" object,
 * "plugins" (web search, response healing), "transforms" (middle-out) and
 * "usage": {"include": true} so the reply says what it cost. */
static void
openrouter_add_fields (const NatterDialectContext *ctx,
                       JsonObject                 *body)
{
  JsonObject *settings = NULL;
  JsonObject *routing;
  JsonArray *plugins;
  JsonArray *transforms;
  JsonArray *wanted = NULL;
  gboolean is_openrouter = g_strcmp0 (ctx->provider_id, "openrouter") == 0;

  if (ctx->settings != NULL && json_object_has_member (ctx->settings, "openrouter") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (ctx->settings, "openrouter")))
    settings = json_object_get_object_member (ctx->settings, "openrouter");

  if (is_openrouter && _natter_dialect_setting_bool (ctx, "usage_accounting", TRUE))
    {
      JsonObject *usage = json_object_new ();

      json_object_set_boolean_member (usage, "include", TRUE);
      json_object_set_object_member (body, "usage", usage);
    }

  if (settings == NULL)
    return;

  routing = json_object_new ();
  if (json_object_get_string_member_with_default (settings, "sort", NULL) != NULL)
    json_object_set_string_member (routing, "sort", json_object_get_string_member (settings, "sort"));
  copy_string_list (settings, "order", routing, "order");
  copy_string_list (settings, "only", routing, "only");
  copy_string_list (settings, "ignore", routing, "ignore");
  if (json_object_has_member (settings, "allow_fallbacks"))
    json_object_set_boolean_member (routing, "allow_fallbacks",
                                    json_object_get_boolean_member (settings, "allow_fallbacks"));
  copy_string_list (settings, "quantizations", routing, "quantizations");
  if (json_object_get_string_member_with_default (settings, "data_collection", NULL) != NULL)
    json_object_set_string_member (routing, "data_collection",
                                   json_object_get_string_member (settings, "data_collection"));
  if (json_object_get_size (routing) > 0)
    json_object_set_object_member (body, "provider", routing);
  else
    json_object_unref (routing);

  if (json_object_has_member (settings, "plugins") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (settings, "plugins")))
    wanted = json_object_get_array_member (settings, "plugins");

  plugins = json_array_new ();
  transforms = json_array_new ();
  for (guint i = 0; wanted != NULL && i < json_array_get_length (wanted); i++)
    {
      JsonNode *node = json_array_get_element (wanted, i);
      const char *id;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      id = json_node_get_string (node);
      if (g_str_equal (id, "middle-out"))
        json_array_add_string_element (transforms, "middle-out");
      else if (g_str_equal (id, "web") || g_str_equal (id, "healing"))
        {
          JsonObject *plugin = json_object_new ();

          json_object_set_string_member (plugin, "id",
                                         g_str_equal (id, "web") ? "web" : "response-healing");
          json_array_add_object_element (plugins, plugin);
        }
    }
  if (json_array_get_length (plugins) > 0)
    json_object_set_array_member (body, "plugins", plugins);
  else
    json_array_unref (plugins);
  if (json_array_get_length (transforms) > 0)
    json_object_set_array_member (body, "transforms", transforms);
  else
    json_array_unref (transforms);
}

static NatterRequest *
openai_chat_build_request (const NatterDialectContext *ctx,
                           const NatterPrompt         *prompt,
                           const NatterGenParams      *params,
                           GError                    **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *url = NULL;
  NatterSamplingNames names = { NULL, "top_p", "top_k", "stop", FALSE };
  JsonArray *messages;

  if (!_natter_dialect_check_model (params, error))
    return NULL;
  if ((url = _natter_dialect_url (ctx, "/chat/completions", error)) == NULL)
    return NULL;

  json_object_set_string_member (body, "model", params->model);

  messages = _natter_dialect_messages_array (prompt, TRUE);
  json_object_set_array_member (body, "messages", messages);
  _natter_tools_openai (prompt, body);

  /* Newer OpenAI models only take max_completion_tokens; most compatible
   * servers only know max_tokens. A profile setting picks. */
  names.max_tokens = _natter_dialect_setting_string (ctx, "max_tokens_field");
  if (names.max_tokens == NULL)
    names.max_tokens = "max_tokens";
  _natter_dialect_add_sampling (body, prompt, params, &names);

  json_object_set_boolean_member (body, "stream", params->stream);
  /* A server that rejects unknown fields can be told not to get this. */
  if (params->stream && _natter_dialect_setting_bool (ctx, "include_usage", TRUE))
    {
      JsonObject *options = json_object_new ();

      json_object_set_boolean_member (options, "include_usage", TRUE);
      json_object_set_object_member (body, "stream_options", options);
    }
  openrouter_add_fields (ctx, body);

  return _natter_dialect_json_request (ctx, url, body,
                                       params->stream ? NATTER_FRAMING_SSE : NATTER_FRAMING_NONE);
}

static gpointer
openai_chat_parser_new (void)
{
  return g_new0 (int, 1);
}

static void
emit_tool_calls (const cJSON     *tool_calls,
                 NatterDeltaFunc  emit,
                 gpointer         user_data)
{
  const cJSON *call;

  cJSON_ArrayForEach (call, tool_calls)
    {
      const cJSON *function = cJSON_GetObjectItemCaseSensitive (call, "function");
      const char *arguments = _natter_cjson_string (function, "arguments");
      NatterDelta delta;
      gint64 index = _natter_cjson_int (call, "index");

      natter_delta_init (&delta, NATTER_DELTA_TOOL_CALL);
      delta.tool_index = index >= 0 ? (int) MIN (index, G_MAXINT) : 0;
      delta.tool_id = _natter_cjson_string (call, "id");
      delta.tool_name = _natter_cjson_string (function, "name");
      delta.text = arguments ? arguments : "";
      delta.len = strlen (delta.text);
      emit (&delta, user_data);
    }
}

/* Content that is an array of typed parts rather than a string: Mistral's
 * reasoning models send [{"type":"thinking","thinking":[{"type":"text",
 * "text":…}]},{"type":"text","text":…}], other servers [{"type":"text",
 * "text":…}]. Text parts are the answer, thinking parts the reasoning;
 * parts of other types (images, references) are skipped. @depth bounds the
 * nesting. */
static void
emit_content_parts (const cJSON      *parts,
                    NatterDeltaKind   kind,
                    int               depth,
                    NatterDeltaFunc   emit,
                    gpointer          user_data)
{
  const cJSON *part;

  if (cJSON_IsString (parts))
    {
      _natter_emit_text (kind, parts->valuestring, emit, user_data);
      return;
    }
  if (!cJSON_IsArray (parts) || depth > 4)
    return;

  cJSON_ArrayForEach (part, parts)
    {
      const char *type;

      if (cJSON_IsString (part))
        {
          _natter_emit_text (kind, part->valuestring, emit, user_data);
          continue;
        }
      type = _natter_cjson_string (part, "type");
      if (type == NULL)
        continue;
      if (g_str_equal (type, "text") || g_str_equal (type, "output_text"))
        _natter_emit_text (kind, _natter_cjson_string (part, "text"), emit, user_data);
      else if (g_str_equal (type, "thinking") || g_str_equal (type, "reasoning"))
        {
          const cJSON *inner = cJSON_GetObjectItemCaseSensitive (part, type);

          if (inner == NULL)
            inner = cJSON_GetObjectItemCaseSensitive (part, "text");
          emit_content_parts (inner, NATTER_DELTA_REASONING, depth + 1, emit, user_data);
        }
    }
}

/* OpenRouter's "reasoning_details": [{"type":"reasoning.text","text"},
 * {"type":"reasoning.summary","summary"}, {"type":"reasoning.encrypted"}].
 * Only used when the delta has no plain "reasoning" string (OpenRouter
 * sends both, with the same text). */
static void
emit_reasoning_details (const cJSON     *details,
                        NatterDeltaFunc  emit,
                        gpointer         user_data)
{
  const cJSON *detail;

  cJSON_ArrayForEach (detail, details)
    {
      const char *type = _natter_cjson_string (detail, "type");

      if (type == NULL)
        continue;
      if (g_str_equal (type, "reasoning.text"))
        _natter_emit_text (NATTER_DELTA_REASONING, _natter_cjson_string (detail, "text"),
                           emit, user_data);
      else if (g_str_equal (type, "reasoning.summary"))
        _natter_emit_text (NATTER_DELTA_REASONING, _natter_cjson_string (detail, "summary"),
                           emit, user_data);
    }
}

/* Shared with the non-streaming response: @delta is "delta" in a chunk and
 * "message" in a whole response. @refused is set once a "refusal" (the
 * model declining a structured answer) arrives: its text is the answer and
 * the stream's end says "refusal". */
static void
emit_choice (const cJSON     *choice,
             const char      *delta_name,
             int             *refused,
             NatterDeltaFunc  emit,
             gpointer         user_data)
{
  const cJSON *delta = cJSON_GetObjectItemCaseSensitive (choice, delta_name);

  if (cJSON_IsObject (delta))
    {
      const char *reasoning = _natter_cjson_string (delta, "reasoning_content");
      const cJSON *tool_calls;

      const cJSON *content;
      const cJSON *details;

      if (reasoning == NULL)
        reasoning = _natter_cjson_string (delta, "reasoning");
      _natter_emit_text (NATTER_DELTA_REASONING, reasoning, emit, user_data);
      details = cJSON_GetObjectItemCaseSensitive (delta, "reasoning_details");
      if (reasoning == NULL && cJSON_IsArray (details))
        emit_reasoning_details (details, emit, user_data);

      content = cJSON_GetObjectItemCaseSensitive (delta, "content");
      if (cJSON_IsString (content))
        _natter_emit_text (NATTER_DELTA_TEXT, content->valuestring, emit, user_data);
      else if (cJSON_IsArray (content))
        emit_content_parts (content, NATTER_DELTA_TEXT, 0, emit, user_data);

      if (_natter_cjson_string (delta, "refusal") != NULL)
        {
          _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (delta, "refusal"),
                             emit, user_data);
          *refused = 1;
        }

      tool_calls = cJSON_GetObjectItemCaseSensitive (delta, "tool_calls");
      if (cJSON_IsArray (tool_calls))
        emit_tool_calls (tool_calls, emit, user_data);
    }

  if (_natter_cjson_string (choice, "finish_reason") != NULL)
    _natter_emit_finish (*refused ? "refusal" : _natter_cjson_string (choice, "finish_reason"),
                         emit, user_data);
}

static void
emit_usage (const cJSON     *root,
            NatterDeltaFunc  emit,
            gpointer         user_data)
{
  const cJSON *usage = cJSON_GetObjectItemCaseSensitive (root, "usage");

  if (cJSON_IsObject (usage))
    {
      const cJSON *details = cJSON_GetObjectItemCaseSensitive (usage, "prompt_tokens_details");
      const cJSON *cost = cJSON_GetObjectItemCaseSensitive (usage, "cost");

      /* prompt_tokens counts the cached tokens too (OpenAI, OpenRouter). */
      _natter_emit_usage_full (_natter_cjson_int (usage, "prompt_tokens"),
                               _natter_cjson_int (usage, "completion_tokens"),
                               _natter_cjson_int (details, "cached_tokens"),
                               _natter_cjson_int (details, "cache_write_tokens"),
                               cJSON_IsNumber (cost) && cost->valuedouble >= 0 ? cost->valuedouble : -1,
                               emit, user_data);
    }
}

static gboolean
openai_chat_parse_event (gpointer          parser,
                         const char       *event,
                         const char       *data,
                         gsize             len,
                         NatterDeltaFunc   emit,
                         gpointer          user_data,
                         GError          **error)
{
  cJSON *root;
  const cJSON *choices;

  if (len == 6 && memcmp (data, "[DONE]", 6) == 0)
    {
      _natter_emit_done (emit, user_data);
      return TRUE;
    }

  if ((root = _natter_cjson_parse (data, len, error)) == NULL)
    return FALSE;

  if (_natter_emit_error_member (root, emit, user_data))
    {
      cJSON_Delete (root);
      return TRUE;
    }

  choices = cJSON_GetObjectItemCaseSensitive (root, "choices");
  if (cJSON_IsArray (choices) && cJSON_GetArraySize (choices) > 0)
    emit_choice (cJSON_GetArrayItem (choices, 0), "delta", parser, emit, user_data);
  emit_usage (root, emit, user_data);

  cJSON_Delete (root);

  return TRUE;
}

static gboolean
openai_chat_parse_response (const char       *body,
                            gsize             len,
                            NatterDeltaFunc   emit,
                            gpointer          user_data,
                            GError          **error)
{
  cJSON *root;
  const cJSON *choices;
  int refused = 0;

  if ((root = _natter_cjson_parse (body, len, error)) == NULL)
    return FALSE;

  if (_natter_emit_error_member (root, emit, user_data))
    {
      cJSON_Delete (root);
      return TRUE;
    }

  choices = cJSON_GetObjectItemCaseSensitive (root, "choices");
  if (!cJSON_IsArray (choices) || cJSON_GetArraySize (choices) == 0)
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The reply has no “choices”"));
      cJSON_Delete (root);
      return FALSE;
    }

  emit_choice (cJSON_GetArrayItem (choices, 0), "message", &refused, emit, user_data);
  emit_usage (root, emit, user_data);
  _natter_emit_done (emit, user_data);
  cJSON_Delete (root);

  return TRUE;
}

static NatterRequest *
openai_chat_build_models_request (const NatterDialectContext *ctx,
                                  const char                 *page_token,
                                  GError                    **error)
{
  return _natter_dialect_get_path_request (ctx, "/models", error);
}

const NatterDialect natter_dialect_openai_chat = {
  .id = "openai-chat",
  .stream_framing = NATTER_FRAMING_SSE,
  .text_completion = FALSE,
  .endpoint_suffixes = endpoint_suffixes,
  .build_request = openai_chat_build_request,
  .parser_new = openai_chat_parser_new,
  .parser_free = g_free,
  .parse_event = openai_chat_parse_event,
  .parse_response = openai_chat_parse_response,
  .build_models_request = openai_chat_build_models_request,
  .parse_models = _natter_dialect_parse_openai_models,
  .parse_error_body = _natter_dialect_parse_error_body,
};
