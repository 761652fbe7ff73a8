/* natter-dialect-ollama.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Ollama's native API (https://github.com/ollama/ollama/blob/main/docs/api.md):
 * POST {base}/api/chat streams NDJSON objects
 * {"message":{"content","thinking"},"done":false}; the last one has
 * "done":true, "done_reason", "prompt_eval_count" and "eval_count".
 * Sampling settings go in "options". Models: GET {base}/api/tags. */

#define G_LOG_DOMAIN "natter-dialect-ollama"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialect-tools-private.h"
#include "natter-dialects-private.h"
#include "natter-dialect-parts-private.h"
#include "natter-json.h"

static const char * const endpoint_suffixes[] = {
  "/v1/chat/completions",
  "/api/chat",
  "/api/generate",
  "/api/tags",
  "/api",
  "/v1",
  NULL,
};

static NatterRequest *
ollama_build_request (const NatterDialectContext *ctx,
                      const NatterPrompt         *prompt,
                      const NatterGenParams      *params,
                      GError                    **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *url = NULL;
  static const NatterSamplingNames names = { "num_predict", "top_p", "top_k", "stop", FALSE };
  JsonObject *options;
  JsonArray *messages;

  if (!_natter_dialect_check_model (params, error))
    return NULL;
  if ((url = _natter_dialect_url (ctx, "/api/chat", error)) == NULL)
    return NULL;

  json_object_set_string_member (body, "model", params->model);

  messages = _natter_dialect_messages_array (prompt, FALSE);
  _natter_parts_ollama (messages);
  json_object_set_array_member (body, "messages", messages);
  _natter_tools_ollama (prompt, body);
  json_object_set_boolean_member (body, "stream", params->stream);

  options = json_object_new ();
  _natter_dialect_add_sampling (options, prompt, params, &names);
  if (json_object_get_size (options) > 0)
    json_object_set_object_member (body, "options", options);
  else
    json_object_unref (options);

  return _natter_dialect_json_request (ctx, url, body,
                                       params->stream ? NATTER_FRAMING_NDJSON : NATTER_FRAMING_NONE);
}

static gpointer
ollama_parser_new (void)
{
  return g_new0 (int, 1);
}

static gboolean
parse_object (int              *tool_counter,
              const char       *data,
              gsize             len,
              NatterDeltaFunc   emit,
              gpointer          user_data,
              GError          **error)
{
  cJSON *root;
  const cJSON *message;
  const cJSON *error_item;

  if ((root = _natter_cjson_parse (data, len, error)) == NULL)
    return FALSE;

  /* {"error":"model 'x' not found"} in the middle of a stream. */
  error_item = cJSON_GetObjectItemCaseSensitive (root, "error");
  if (error_item != NULL && !cJSON_IsNull (error_item))
    {
      const char *text = cJSON_IsString (error_item) ? error_item->valuestring : NULL;
      NatterErrorCategory category = NATTER_ERROR_CATEGORY_SERVER;

      if (text != NULL && strstr (text, "not found") != NULL)
        category = NATTER_ERROR_CATEGORY_NOT_FOUND;
      if (cJSON_IsObject (error_item))
        _natter_emit_error_json (error_item, emit, user_data);
      else
        _natter_emit_error (category, text ? text : _("Ollama reported an error"), emit, user_data);
      cJSON_Delete (root);
      return TRUE;
    }

  message = cJSON_GetObjectItemCaseSensitive (root, "message");
  if (cJSON_IsObject (message))
    {
      _natter_emit_text (NATTER_DELTA_REASONING, _natter_cjson_string (message, "thinking"),
                         emit, user_data);
      _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (message, "content"),
                         emit, user_data);
      _natter_tools_emit_ollama_calls (message, tool_counter, emit, user_data);
    }

  if (cJSON_IsTrue (cJSON_GetObjectItemCaseSensitive (root, "done")))
    {
      const char *reason = _natter_cjson_string (root, "done_reason");

      _natter_emit_usage (_natter_cjson_int (root, "prompt_eval_count"),
                          _natter_cjson_int (root, "eval_count"), emit, user_data);
      _natter_emit_finish (reason ? reason : "stop", emit, user_data);
      _natter_emit_done (emit, user_data);
    }

  cJSON_Delete (root);

  return TRUE;
}

static gboolean
ollama_parse_event (gpointer          parser,
                    const char       *event,
                    const char       *data,
                    gsize             len,
                    NatterDeltaFunc   emit,
                    gpointer          user_data,
                    GError          **error)
{
  return parse_object (parser, data, len, emit, user_data, error);
}

static gboolean
ollama_parse_response (const char       *body,
                       gsize             len,
                       NatterDeltaFunc   emit,
                       gpointer          user_data,
                       GError          **error)
{
  int tool_counter = 0;

  return parse_object (&tool_counter, body, len, emit, user_data, error);
}

static NatterRequest *
ollama_build_models_request (const NatterDialectContext *ctx,
                             const char                 *page_token,
                             GError                    **error)
{
  return _natter_dialect_get_path_request (ctx, "/api/tags", error);
}

static GPtrArray *
ollama_parse_models (const char  *body,
                     gsize        len,
                     char       **next_page_token,
                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) models = NULL;
  JsonObject *object;
  JsonArray *array;

  root = _natter_dialect_parse_model_list (body, len, "Ollama", "models", &object, &array,
                                           next_page_token, error);
  if (root == NULL)
    return NULL;

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_model_info_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      name = natter_json_object_get_string (json_node_get_object (node), "name");
      if (name == NULL)
        name = natter_json_object_get_string (json_node_get_object (node), "model");
      if (name != NULL && *name != '\0')
        g_ptr_array_add (models, natter_model_info_new (name));
    }

  return g_steal_pointer (&models);
}

const NatterDialect natter_dialect_ollama = {
  .id = "ollama",
  .stream_framing = NATTER_FRAMING_NDJSON,
  .text_completion = FALSE,
  .endpoint_suffixes = endpoint_suffixes,
  .build_request = ollama_build_request,
  .parser_new = ollama_parser_new,
  .parser_free = g_free,
  .parse_event = ollama_parse_event,
  .parse_response = ollama_parse_response,
  .build_models_request = ollama_build_models_request,
  .parse_models = ollama_parse_models,
  .parse_error_body = _natter_dialect_parse_error_body,
};
