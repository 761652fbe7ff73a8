/* natter-dialect-llamacpp.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* llama.cpp server's native completion endpoint
 * (https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md):
 * POST {base}/completion {prompt, n_predict, stream:true, stop, …} streams
 * "data: {"content":"…","stop":false}"; the last event has "stop":true with
 * "stop_type" ("eos", "word", "limit"; older servers: stopped_eos,
 * stopped_word, stopped_limit), "tokens_predicted", "tokens_evaluated" and
 * "timings". That last event is the terminator. Models: GET {base}/v1/models. */

#define G_LOG_DOMAIN "natter-dialect-llamacpp"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialects-private.h"

static const char * const endpoint_suffixes[] = {
  "/v1/chat/completions",
  "/v1/completions",
  "/v1/models",
  "/completions",
  "/completion",
  "/v1",
  NULL,
};

static NatterRequest *
llamacpp_build_request (const NatterDialectContext *ctx,
                        const NatterPrompt         *prompt,
                        const NatterGenParams      *params,
                        GError                    **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *url = NULL;
  static const NatterSamplingNames names = { "n_predict", "top_p", "top_k", "stop", TRUE };
  g_autofree char *text = NULL;

  if ((url = _natter_dialect_url (ctx, "/completion", error)) == NULL)
    return NULL;

  text = _natter_dialect_prompt_text (prompt);
  json_object_set_string_member (body, "prompt", text);
  _natter_dialect_add_sampling (body, prompt, params, &names);
  json_object_set_boolean_member (body, "stream", params->stream);
  /* Reuse the KV cache of the shared prefix: a chat grows at its end. */
  json_object_set_boolean_member (body, "cache_prompt", TRUE);

  return _natter_dialect_json_request (ctx, url, body,
                                       params->stream ? NATTER_FRAMING_SSE : NATTER_FRAMING_NONE);
}

static gpointer
llamacpp_parser_new (void)
{
  return g_new0 (int, 1);
}

static const char *
finish_reason (const cJSON *root)
{
  const char *type = _natter_cjson_string (root, "stop_type");

  if (type != NULL)
    {
      if (g_str_equal (type, "limit"))
        return "length";
      if (g_str_equal (type, "eos") || g_str_equal (type, "word"))
        return "stop";
      if (g_str_equal (type, "none"))
        return "stop";
      return type;
    }

  if (cJSON_IsTrue (cJSON_GetObjectItemCaseSensitive (root, "stopped_limit")))
    return "length";

  return "stop";
}

static gboolean
parse_object (const char       *data,
              gsize             len,
              gboolean          whole,
              NatterDeltaFunc   emit,
              gpointer          user_data,
              GError          **error)
{
  cJSON *root;

  if ((root = _natter_cjson_parse (data, len, error)) == NULL)
    return FALSE;

  if (_natter_emit_error_member (root, emit, user_data))
    {
      cJSON_Delete (root);
      return TRUE;
    }

  _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (root, "content"), emit, user_data);

  if (whole || cJSON_IsTrue (cJSON_GetObjectItemCaseSensitive (root, "stop")))
    {
      const cJSON *timings = cJSON_GetObjectItemCaseSensitive (root, "timings");
      gint64 input = _natter_cjson_int (root, "tokens_evaluated");
      gint64 output = _natter_cjson_int (root, "tokens_predicted");

      if (input < 0 && cJSON_IsObject (timings))
        input = _natter_cjson_int (timings, "prompt_n");
      if (output < 0 && cJSON_IsObject (timings))
        output = _natter_cjson_int (timings, "predicted_n");
      _natter_emit_usage (input, output, emit, user_data);
      _natter_emit_finish (finish_reason (root), emit, user_data);
      _natter_emit_done (emit, user_data);
    }

  cJSON_Delete (root);

  return TRUE;
}

static gboolean
llamacpp_parse_event (gpointer          parser,
                      const char       *event,
                      const char       *data,
                      gsize             len,
                      NatterDeltaFunc   emit,
                      gpointer          user_data,
                      GError          **error)
{
  return parse_object (data, len, FALSE, emit, user_data, error);
}

static gboolean
llamacpp_parse_response (const char       *body,
                         gsize             len,
                         NatterDeltaFunc   emit,
                         gpointer          user_data,
                         GError          **error)
{
  return parse_object (body, len, TRUE, emit, user_data, error);
}

static NatterRequest *
llamacpp_build_models_request (const NatterDialectContext *ctx,
                               const char                 *page_token,
                               GError                    **error)
{
  return _natter_dialect_get_path_request (ctx, "/v1/models", error);
}

const NatterDialect natter_dialect_llamacpp = {
  .id = "llamacpp",
  .stream_framing = NATTER_FRAMING_SSE,
  .text_completion = TRUE,
  .endpoint_suffixes = endpoint_suffixes,
  .build_request = llamacpp_build_request,
  .parser_new = llamacpp_parser_new,
  .parser_free = g_free,
  .parse_event = llamacpp_parse_event,
  .parse_response = llamacpp_parse_response,
  .build_models_request = llamacpp_build_models_request,
  .parse_models = _natter_dialect_parse_openai_models,
  .parse_error_body = _natter_dialect_parse_error_body,
};
