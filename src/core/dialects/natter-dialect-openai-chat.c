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

#include "natter-dialects-private.h"

static const char * const endpoint_suffixes[] = {
  "/chat/completions",
  "/completions",
  "/models",
  NULL,
};

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

/* Shared with the non-streaming response: @delta is "delta" in a chunk and
 * "message" in a whole response. */
static void
emit_choice (const cJSON     *choice,
             const char      *delta_name,
             NatterDeltaFunc  emit,
             gpointer         user_data)
{
  const cJSON *delta = cJSON_GetObjectItemCaseSensitive (choice, delta_name);

  if (cJSON_IsObject (delta))
    {
      const char *reasoning = _natter_cjson_string (delta, "reasoning_content");
      const cJSON *tool_calls;

      if (reasoning == NULL)
        reasoning = _natter_cjson_string (delta, "reasoning");
      _natter_emit_text (NATTER_DELTA_REASONING, reasoning, emit, user_data);
      _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (delta, "content"), emit, user_data);

      tool_calls = cJSON_GetObjectItemCaseSensitive (delta, "tool_calls");
      if (cJSON_IsArray (tool_calls))
        emit_tool_calls (tool_calls, emit, user_data);
    }

  _natter_emit_finish (_natter_cjson_string (choice, "finish_reason"), emit, user_data);
}

static void
emit_usage (const cJSON     *root,
            NatterDeltaFunc  emit,
            gpointer         user_data)
{
  const cJSON *usage = cJSON_GetObjectItemCaseSensitive (root, "usage");

  if (cJSON_IsObject (usage))
    _natter_emit_usage (_natter_cjson_int (usage, "prompt_tokens"),
                        _natter_cjson_int (usage, "completion_tokens"),
                        emit, user_data);
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
    emit_choice (cJSON_GetArrayItem (choices, 0), "delta", emit, user_data);
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

  emit_choice (cJSON_GetArrayItem (choices, 0), "message", emit, user_data);
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
