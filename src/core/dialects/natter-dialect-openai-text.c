/* natter-dialect-openai-text.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* OpenAI legacy Completions (https://platform.openai.com/docs/api-reference/completions),
 * as served by TabbyAPI and text-generation-webui: POST {base}/completions
 * with a prompt string; SSE chunks with choices[0].text, "data: [DONE]". */

#define G_LOG_DOMAIN "natter-dialect-openai-text"

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
openai_text_build_request (const NatterDialectContext *ctx,
                           const NatterPrompt         *prompt,
                           const NatterGenParams      *params,
                           GError                    **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *url = NULL;
  static const NatterSamplingNames names = { "max_tokens", "top_p", "top_k", "stop", TRUE };
  g_autofree char *text = NULL;

  if ((url = _natter_dialect_url (ctx, "/completions", error)) == NULL)
    return NULL;

  /* Local servers serve the loaded model whatever the name says. */
  if (params->model != NULL && params->model[0] != '\0')
    json_object_set_string_member (body, "model", params->model);

  text = _natter_dialect_prompt_text (prompt);
  json_object_set_string_member (body, "prompt", text);

  _natter_dialect_add_sampling (body, prompt, params, &names);

  json_object_set_boolean_member (body, "stream", params->stream);
  if (params->stream)
    {
      JsonObject *options = json_object_new ();

      json_object_set_boolean_member (options, "include_usage", TRUE);
      json_object_set_object_member (body, "stream_options", options);
    }

  return _natter_dialect_json_request (ctx, url, body,
                                       params->stream ? NATTER_FRAMING_SSE : NATTER_FRAMING_NONE);
}

static gpointer
openai_text_parser_new (void)
{
  return g_new0 (int, 1);
}

static gboolean
parse_body (const char       *data,
            gsize             len,
            gboolean          whole,
            NatterDeltaFunc   emit,
            gpointer          user_data,
            GError          **error)
{
  cJSON *root;
  const cJSON *choices;
  const cJSON *usage;

  if ((root = _natter_cjson_parse (data, len, error)) == NULL)
    return FALSE;

  if (_natter_emit_error_member (root, emit, user_data))
    {
      cJSON_Delete (root);
      return TRUE;
    }

  choices = cJSON_GetObjectItemCaseSensitive (root, "choices");
  if (cJSON_IsArray (choices) && cJSON_GetArraySize (choices) > 0)
    {
      const cJSON *choice = cJSON_GetArrayItem (choices, 0);

      _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (choice, "text"), emit, user_data);
      _natter_emit_finish (_natter_cjson_string (choice, "finish_reason"), emit, user_data);
    }
  else if (whole)
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The reply has no “choices”"));
      cJSON_Delete (root);
      return FALSE;
    }

  usage = cJSON_GetObjectItemCaseSensitive (root, "usage");
  if (cJSON_IsObject (usage))
    _natter_emit_usage (_natter_cjson_int (usage, "prompt_tokens"),
                        _natter_cjson_int (usage, "completion_tokens"), emit, user_data);
  if (whole)
    _natter_emit_done (emit, user_data);

  cJSON_Delete (root);

  return TRUE;
}

static gboolean
openai_text_parse_event (gpointer          parser,
                         const char       *event,
                         const char       *data,
                         gsize             len,
                         NatterDeltaFunc   emit,
                         gpointer          user_data,
                         GError          **error)
{
  if (len == 6 && memcmp (data, "[DONE]", 6) == 0)
    {
      _natter_emit_done (emit, user_data);
      return TRUE;
    }

  return parse_body (data, len, FALSE, emit, user_data, error);
}

static gboolean
openai_text_parse_response (const char       *body,
                            gsize             len,
                            NatterDeltaFunc   emit,
                            gpointer          user_data,
                            GError          **error)
{
  return parse_body (body, len, TRUE, emit, user_data, error);
}

static NatterRequest *
openai_text_build_models_request (const NatterDialectContext *ctx,
                                  const char                 *page_token,
                                  GError                    **error)
{
  return _natter_dialect_get_path_request (ctx, "/models", error);
}

const NatterDialect natter_dialect_openai_text = {
  .id = "openai-text",
  .stream_framing = NATTER_FRAMING_SSE,
  .text_completion = TRUE,
  .endpoint_suffixes = endpoint_suffixes,
  .build_request = openai_text_build_request,
  .parser_new = openai_text_parser_new,
  .parser_free = g_free,
  .parse_event = openai_text_parse_event,
  .parse_response = openai_text_parse_response,
  .build_models_request = openai_text_build_models_request,
  .parse_models = _natter_dialect_parse_openai_models,
  .parse_error_body = _natter_dialect_parse_error_body,
};
