/* natter-dialect-kobold.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* KoboldCpp's KoboldAI API (https://lite.koboldai.net/koboldcpp_api):
 * POST {base}/api/extra/generate/stream with a prompt string streams
 * "event: message" / "data: {"token":"…","finish_reason":null}". Current
 * KoboldCpp ends with an event whose "finish_reason" is set ("stop",
 * "length", "error"): that is the terminator (FINISH, DONE). Older releases
 * sent no such event and just closed the connection, so the dialect sets
 * eof_is_done: a clean end of the body also counts as the end.
 * Non-streaming: POST {base}/api/v1/generate → {"results":[{"text"}]}.
 * Model: GET {base}/api/v1/model → {"result":"koboldcpp/name"}. */

#define G_LOG_DOMAIN "natter-dialect-kobold"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialects-private.h"
#include "natter-json.h"

static const char * const endpoint_suffixes[] = {
  "/api/extra/generate/stream",
  "/api/v1/generate",
  "/api/v1/model",
  "/api/v1",
  "/api/extra",
  "/api",
  "/v1/chat/completions",
  "/v1/completions",
  "/v1",
  NULL,
};

static NatterRequest *
kobold_build_request (const NatterDialectContext *ctx,
                      const NatterPrompt         *prompt,
                      const NatterGenParams      *params,
                      GError                    **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *url = NULL;
  static const NatterSamplingNames names = { "max_length", "top_p", "top_k", "stop_sequence", TRUE };
  g_autofree char *text = NULL;

  url = _natter_dialect_url (ctx, params->stream ? "/api/extra/generate/stream" : "/api/v1/generate",
                             error);
  if (url == NULL)
    return NULL;

  text = _natter_dialect_prompt_text (prompt);
  json_object_set_string_member (body, "prompt", text);
  _natter_dialect_add_sampling (body, prompt, params, &names);

  return _natter_dialect_json_request (ctx, url, body,
                                       params->stream ? NATTER_FRAMING_SSE : NATTER_FRAMING_NONE);
}

static gpointer
kobold_parser_new (void)
{
  return g_new0 (int, 1);
}

static gboolean
kobold_parse_event (gpointer          parser,
                    const char       *event,
                    const char       *data,
                    gsize             len,
                    NatterDeltaFunc   emit,
                    gpointer          user_data,
                    GError          **error)
{
  cJSON *root;
  const char *finish;

  if ((root = _natter_cjson_parse (data, len, error)) == NULL)
    return FALSE;

  _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (root, "token"), emit, user_data);

  finish = _natter_cjson_string (root, "finish_reason");
  if (finish != NULL && *finish != '\0')
    {
      if (g_str_equal (finish, "error"))
        _natter_emit_error (NATTER_ERROR_CATEGORY_SERVER,
                            _("KoboldCpp stopped generating because of an error"),
                            emit, user_data);
      else
        {
          _natter_emit_finish (finish, emit, user_data);
          _natter_emit_done (emit, user_data);
        }
    }

  cJSON_Delete (root);

  return TRUE;
}

static gboolean
kobold_parse_response (const char       *body,
                       gsize             len,
                       NatterDeltaFunc   emit,
                       gpointer          user_data,
                       GError          **error)
{
  cJSON *root;
  const cJSON *results;
  const cJSON *first;

  if ((root = _natter_cjson_parse (body, len, error)) == NULL)
    return FALSE;

  results = cJSON_GetObjectItemCaseSensitive (root, "results");
  if (!cJSON_IsArray (results) || cJSON_GetArraySize (results) == 0)
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The reply from KoboldCpp has no “results”"));
      cJSON_Delete (root);
      return FALSE;
    }

  first = cJSON_GetArrayItem (results, 0);
  _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (first, "text"), emit, user_data);
  _natter_emit_usage (_natter_cjson_int (first, "prompt_tokens"),
                      _natter_cjson_int (first, "completion_tokens"), emit, user_data);
  _natter_emit_finish (_natter_cjson_string (first, "finish_reason"), emit, user_data);
  _natter_emit_done (emit, user_data);
  cJSON_Delete (root);

  return TRUE;
}

static NatterRequest *
kobold_build_models_request (const NatterDialectContext *ctx,
                             const char                 *page_token,
                             GError                    **error)
{
  return _natter_dialect_get_path_request (ctx, "/api/v1/model", error);
}

static GPtrArray *
kobold_parse_models (const char  *body,
                     gsize        len,
                     char       **next_page_token,
                     GError     **error)
{
  g_autoptr(JsonNode) root = _natter_dialect_parse_json (body, len, error);
  g_autoptr(GPtrArray) models = NULL;
  const char *result;

  if (next_page_token)
    *next_page_token = NULL;
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (result = natter_json_object_get_string (json_node_get_object (root), "result")) == NULL)
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The model reply from KoboldCpp has no “result”"));
      return NULL;
    }

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_model_info_free);
  if (*result != '\0')
    g_ptr_array_add (models, natter_model_info_new (result));

  return g_steal_pointer (&models);
}

const NatterDialect natter_dialect_kobold = {
  .id = "kobold",
  .stream_framing = NATTER_FRAMING_SSE,
  .text_completion = TRUE,
  .endpoint_suffixes = endpoint_suffixes,
  .build_request = kobold_build_request,
  .parser_new = kobold_parser_new,
  .parser_free = g_free,
  .parse_event = kobold_parse_event,
  .parse_response = kobold_parse_response,
  .build_models_request = kobold_build_models_request,
  .parse_models = kobold_parse_models,
  .parse_error_body = _natter_dialect_parse_error_body,
  .eof_is_done = TRUE,
};
