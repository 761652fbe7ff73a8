/* natter-dialect-cohere.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Cohere Chat API v2 (https://docs.cohere.com/reference/chat-stream):
 * POST {base}/v2/chat with "stream": true streams typed SSE events whose data
 * carries "type": message-start, content-start, content-delta
 * (delta.message.content.text, or .thinking for reasoning models),
 * content-end, tool-call-start/-delta/-end, citation-*, and message-end with
 * delta.finish_reason and delta.usage — the terminator.
 * Models: GET {base}/v1/models?endpoint=chat, paged with next_page_token. */

#define G_LOG_DOMAIN "natter-dialect-cohere"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialect-tools-private.h"
#include "natter-dialects-private.h"
#include "natter-json.h"

static const char * const endpoint_suffixes[] = {
  "/v2/chat",
  "/v1/chat",
  "/v1/models",
  "/v2",
  "/v1",
  NULL,
};

typedef struct
{
  int tool_index;
} CohereParser;

static NatterRequest *
cohere_build_request (const NatterDialectContext *ctx,
                      const NatterPrompt         *prompt,
                      const NatterGenParams      *params,
                      GError                    **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *url = NULL;
  static const NatterSamplingNames names = { "max_tokens", "p", "k", "stop_sequences", FALSE };
  JsonArray *messages;

  if (!_natter_dialect_check_model (params, error))
    return NULL;
  if ((url = _natter_dialect_url (ctx, "/v2/chat", error)) == NULL)
    return NULL;

  json_object_set_string_member (body, "model", params->model);

  messages = _natter_dialect_messages_array (prompt, FALSE);
  json_object_set_array_member (body, "messages", messages);
  _natter_tools_cohere (prompt, body);
  json_object_set_boolean_member (body, "stream", params->stream);

  _natter_dialect_add_sampling (body, prompt, params, &names);

  return _natter_dialect_json_request (ctx, url, body,
                                       params->stream ? NATTER_FRAMING_SSE : NATTER_FRAMING_NONE);
}

static gpointer
cohere_parser_new (void)
{
  return g_new0 (CohereParser, 1);
}

static void
emit_usage (const cJSON     *usage,
            NatterDeltaFunc  emit,
            gpointer         user_data)
{
  const cJSON *tokens = cJSON_GetObjectItemCaseSensitive (usage, "tokens");

  if (!cJSON_IsObject (tokens))
    tokens = cJSON_GetObjectItemCaseSensitive (usage, "billed_units");
  if (cJSON_IsObject (tokens))
    _natter_emit_usage (_natter_cjson_int (tokens, "input_tokens"),
                        _natter_cjson_int (tokens, "output_tokens"), emit, user_data);
}

static void
emit_tool_call (const cJSON     *message,
                int              index,
                NatterDeltaFunc  emit,
                gpointer         user_data)
{
  const cJSON *call = cJSON_GetObjectItemCaseSensitive (message, "tool_calls");
  const cJSON *function = cJSON_GetObjectItemCaseSensitive (call, "function");
  const char *arguments = _natter_cjson_string (function, "arguments");
  NatterDelta delta;

  natter_delta_init (&delta, NATTER_DELTA_TOOL_CALL);
  delta.tool_index = index;
  delta.tool_id = _natter_cjson_string (call, "id");
  delta.tool_name = _natter_cjson_string (function, "name");
  delta.text = arguments ? arguments : "";
  delta.len = strlen (delta.text);
  emit (&delta, user_data);
}

static gboolean
cohere_parse_event (gpointer          parser_data,
                    const char       *event,
                    const char       *data,
                    gsize             len,
                    NatterDeltaFunc   emit,
                    gpointer          user_data,
                    GError          **error)
{
  CohereParser *parser = parser_data;
  cJSON *root;
  const cJSON *delta;
  const cJSON *message;
  const char *type;

  if ((root = _natter_cjson_parse (data, len, error)) == NULL)
    return FALSE;

  type = _natter_cjson_string (root, "type");
  if (type == NULL)
    type = event;
  if (type == NULL)
    {
      cJSON_Delete (root);
      return TRUE;
    }

  delta = cJSON_GetObjectItemCaseSensitive (root, "delta");
  message = cJSON_GetObjectItemCaseSensitive (delta, "message");

  if (g_str_equal (type, "content-delta"))
    {
      const cJSON *content = cJSON_GetObjectItemCaseSensitive (message, "content");

      _natter_emit_text (NATTER_DELTA_REASONING, _natter_cjson_string (content, "thinking"),
                         emit, user_data);
      _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (content, "text"), emit, user_data);
    }
  else if (g_str_equal (type, "content-start"))
    {
      const cJSON *content = cJSON_GetObjectItemCaseSensitive (message, "content");

      _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (content, "text"), emit, user_data);
    }
  else if (g_str_equal (type, "tool-call-start"))
    {
      gint64 index = _natter_cjson_int (root, "index");

      parser->tool_index = index >= 0 ? (int) MIN (index, G_MAXINT) : parser->tool_index;
      emit_tool_call (message, parser->tool_index, emit, user_data);
    }
  else if (g_str_equal (type, "tool-call-delta"))
    {
      gint64 index = _natter_cjson_int (root, "index");

      emit_tool_call (message, index >= 0 ? (int) MIN (index, G_MAXINT) : parser->tool_index, emit, user_data);
    }
  else if (g_str_equal (type, "message-end"))
    {
      const cJSON *usage = cJSON_GetObjectItemCaseSensitive (delta, "usage");
      const char *reason = _natter_cjson_string (delta, "finish_reason");

      if (cJSON_IsObject (usage))
        emit_usage (usage, emit, user_data);
      if (reason != NULL && g_str_equal (reason, "ERROR"))
        {
          const char *text = _natter_cjson_string (delta, "error");

          _natter_emit_error (NATTER_ERROR_CATEGORY_SERVER,
                              text ? text : _("Cohere stopped generating because of an error"),
                              emit, user_data);
        }
      else
        {
          _natter_emit_finish (reason ? reason : "COMPLETE", emit, user_data);
          _natter_emit_done (emit, user_data);
        }
    }
  else if (g_str_equal (type, "error") || cJSON_GetObjectItemCaseSensitive (root, "message") != NULL)
    {
      const char *text = _natter_cjson_string (root, "message");

      if (g_str_equal (type, "error") || text != NULL)
        _natter_emit_error (NATTER_ERROR_CATEGORY_SERVER,
                            text ? text : _("Cohere reported an error"), emit, user_data);
    }
  /* message-start, content-end, tool-plan-delta, citation-*: nothing. */

  cJSON_Delete (root);

  return TRUE;
}

static gboolean
cohere_parse_response (const char       *body,
                       gsize             len,
                       NatterDeltaFunc   emit,
                       gpointer          user_data,
                       GError          **error)
{
  cJSON *root;
  const cJSON *message;
  const cJSON *content;
  const cJSON *item;
  const cJSON *usage;

  if ((root = _natter_cjson_parse (body, len, error)) == NULL)
    return FALSE;

  message = cJSON_GetObjectItemCaseSensitive (root, "message");
  if (!cJSON_IsObject (message))
    {
      const char *text = _natter_cjson_string (root, "message");

      if (text != NULL)
        _natter_emit_error (NATTER_ERROR_CATEGORY_SERVER, text, emit, user_data);
      else
        g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                     _("The reply from Cohere has no “message”"));
      cJSON_Delete (root);
      return text != NULL;
    }

  content = cJSON_GetObjectItemCaseSensitive (message, "content");
  cJSON_ArrayForEach (item, content)
    {
      const char *type = _natter_cjson_string (item, "type");

      if (type != NULL && g_str_equal (type, "thinking"))
        _natter_emit_text (NATTER_DELTA_REASONING, _natter_cjson_string (item, "thinking"),
                           emit, user_data);
      else
        _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (item, "text"), emit, user_data);
    }
  /* The calls, whole: {"id","type":"function","function":{"name","arguments"}}. */
  {
    const cJSON *calls = cJSON_GetObjectItemCaseSensitive (message, "tool_calls");
    int index = 0;

    cJSON_ArrayForEach (item, calls)
      {
        cJSON *wrapper = cJSON_CreateObject ();

        /* emit_tool_call() reads one call from "tool_calls" as streamed. */
        cJSON_AddItemReferenceToObject (wrapper, "tool_calls", (cJSON *) item);
        emit_tool_call (wrapper, index++, emit, user_data);
        cJSON_Delete (wrapper);
      }
  }

  usage = cJSON_GetObjectItemCaseSensitive (root, "usage");
  if (cJSON_IsObject (usage))
    emit_usage (usage, emit, user_data);
  _natter_emit_finish (_natter_cjson_string (root, "finish_reason"), emit, user_data);
  _natter_emit_done (emit, user_data);
  cJSON_Delete (root);

  return TRUE;
}

static NatterRequest *
cohere_build_models_request (const NatterDialectContext *ctx,
                             const char                 *page_token,
                             GError                    **error)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (page_token != NULL)
    escaped = g_uri_escape_string (page_token, NULL, FALSE);
  path = escaped ? g_strdup_printf ("/v1/models?endpoint=chat&page_size=1000&page_token=%s", escaped)
                 : g_strdup ("/v1/models?endpoint=chat&page_size=1000");
  return _natter_dialect_get_path_request (ctx, path, error);
}

static GPtrArray *
cohere_parse_models (const char  *body,
                     gsize        len,
                     char       **next_page_token,
                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) models = NULL;
  JsonObject *object;
  JsonArray *array;
  const char *token;

  root = _natter_dialect_parse_model_list (body, len, "Cohere", "models", &object, &array,
                                           next_page_token, error);
  if (root == NULL)
    return NULL;

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_model_info_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *model;
      const char *name;
      NatterModelInfo *info;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      model = json_node_get_object (node);
      name = natter_json_object_get_string (model, "name");
      if (name == NULL || *name == '\0')
        continue;
      info = natter_model_info_new (name);
      info->context_length = natter_json_node_get_int (json_object_get_member (model, "context_length"), 0);
      g_ptr_array_add (models, info);
    }

  token = natter_json_object_get_string (object, "next_page_token");
  if (next_page_token != NULL && token != NULL && *token != '\0')
    *next_page_token = g_strdup (token);

  return g_steal_pointer (&models);
}

const NatterDialect natter_dialect_cohere = {
  .id = "cohere",
  .stream_framing = NATTER_FRAMING_SSE,
  .text_completion = FALSE,
  .endpoint_suffixes = endpoint_suffixes,
  .build_request = cohere_build_request,
  .parser_new = cohere_parser_new,
  .parser_free = g_free,
  .parse_event = cohere_parse_event,
  .parse_response = cohere_parse_response,
  .build_models_request = cohere_build_models_request,
  .parse_models = cohere_parse_models,
  .parse_error_body = _natter_dialect_parse_error_body,
};
