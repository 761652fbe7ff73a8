/* natter-dialect-gemini.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Gemini API (https://ai.google.dev/api/generate-content):
 * POST {base}/v1beta/models/{model}:streamGenerateContent?alt=sse with
 * "contents" of "parts", roles "user" and "model", "systemInstruction" and
 * "generationConfig". Each SSE event is a whole GenerateContentResponse.
 * The stream has no terminator of its own: the chunk that carries a
 * candidate's "finishReason" is the last one, so it yields FINISH and DONE. */

#define G_LOG_DOMAIN "natter-dialect-gemini"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialect-tools-private.h"
#include "natter-dialects-private.h"
#include "natter-dialect-parts-private.h"
#include "natter-json.h"

static const char * const endpoint_suffixes[] = {
  "/v1beta/models/*:streamGenerateContent",
  "/v1beta/models/*:generateContent",
  "/v1beta/openai/chat/completions",
  "/v1beta/openai",
  "/v1/models/*:streamGenerateContent",
  "/v1/models/*:generateContent",
  "/v1beta/models",
  "/v1/models",
  "/v1beta",
  "/v1",
  NULL,
};

static JsonObject *
text_parts (const char *text)
{
  JsonObject *object = json_object_new ();
  JsonArray *parts = json_array_new ();
  JsonObject *part = json_object_new ();

  json_object_set_string_member (part, "text", text);
  json_array_add_object_element (parts, part);
  json_object_set_array_member (object, "parts", parts);

  return object;
}

static const char *
model_name (const char *model)
{
  return g_str_has_prefix (model, "models/") ? model + strlen ("models/") : model;
}

static NatterRequest *
gemini_build_request (const NatterDialectContext *ctx,
                      const NatterPrompt         *prompt,
                      const NatterGenParams      *params,
                      GError                    **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GString) system = g_string_new (NULL);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  static const NatterSamplingNames names = { "maxOutputTokens", "topP", "topK", "stopSequences", FALSE };
  JsonObject *config;
  JsonArray *contents;

  if (!_natter_dialect_check_model (params, error))
    return NULL;

  escaped = g_uri_escape_string (model_name (params->model), "-._~", FALSE);
  path = g_strdup_printf ("/v1beta/models/%s:%s", escaped,
                          params->stream ? "streamGenerateContent?alt=sse" : "generateContent");
  if ((url = _natter_dialect_url (ctx, path, error)) == NULL)
    return NULL;

  contents = json_array_new ();
  for (guint i = 0; i < prompt->messages->len; i++)
    {
      const NatterPromptMessage *message = g_ptr_array_index (prompt->messages, i);
      JsonObject *content;

      if (_natter_prompt_message_has_tools (message))
        {
          json_array_add_object_element (contents, _natter_tools_placeholder (i));
          continue;
        }
      if (message->role == NATTER_ROLE_SYSTEM)
        {
          if (system->len > 0)
            g_string_append (system, "\n\n");
          g_string_append (system, message->content);
          continue;
        }

      content = text_parts (message->content);
      _natter_parts_gemini (content, message);
      json_object_set_string_member (content, "role",
                                     message->role == NATTER_ROLE_ASSISTANT ? "model" : "user");
      json_array_add_object_element (contents, content);
    }

  json_object_set_array_member (body, "contents", contents);
  if (system->len > 0)
    json_object_set_object_member (body, "systemInstruction", text_parts (system->str));

  config = json_object_new ();
  _natter_dialect_add_sampling (config, prompt, params, &names);
  /* Thought summaries only come when asked for. */
  if (_natter_dialect_setting_bool (ctx, "include_thoughts", FALSE))
    {
      JsonObject *thinking = json_object_new ();

      json_object_set_boolean_member (thinking, "includeThoughts", TRUE);
      json_object_set_object_member (config, "thinkingConfig", thinking);
    }
  if (json_object_get_size (config) > 0)
    json_object_set_object_member (body, "generationConfig", config);
  else
    json_object_unref (config);
  _natter_tools_gemini (prompt, body);

  return _natter_dialect_json_request (ctx, url, body,
                                       params->stream ? NATTER_FRAMING_SSE : NATTER_FRAMING_NONE);
}

static gpointer
gemini_parser_new (void)
{
  return g_new0 (int, 1);
}

/* One GenerateContentResponse. Returns whether it finished the answer. */
static gboolean
emit_response (const cJSON     *root,
               int             *tool_counter,
               NatterDeltaFunc  emit,
               gpointer         user_data)
{
  const cJSON *candidates = cJSON_GetObjectItemCaseSensitive (root, "candidates");
  const cJSON *usage = cJSON_GetObjectItemCaseSensitive (root, "usageMetadata");
  const cJSON *feedback = cJSON_GetObjectItemCaseSensitive (root, "promptFeedback");
  const char *finish = NULL;

  if (cJSON_IsArray (candidates) && cJSON_GetArraySize (candidates) > 0)
    {
      const cJSON *candidate = cJSON_GetArrayItem (candidates, 0);
      const cJSON *content = cJSON_GetObjectItemCaseSensitive (candidate, "content");
      const cJSON *parts = cJSON_GetObjectItemCaseSensitive (content, "parts");
      const cJSON *part;

      cJSON_ArrayForEach (part, parts)
        {
          const cJSON *thought = cJSON_GetObjectItemCaseSensitive (part, "thought");
          const cJSON *call = cJSON_GetObjectItemCaseSensitive (part, "functionCall");

          if (cJSON_IsObject (call))
            {
              const cJSON *args = cJSON_GetObjectItemCaseSensitive (call, "args");
              char *printed = args ? cJSON_PrintUnformatted (args) : NULL;
              NatterDelta delta;

              natter_delta_init (&delta, NATTER_DELTA_TOOL_CALL);
              /* Calls arrive whole, one or more per chunk: numbered per stream. */
              delta.tool_index = (*tool_counter)++;
              delta.tool_signature = _natter_cjson_string (part, "thoughtSignature");
              delta.tool_id = _natter_cjson_string (call, "id");
              delta.tool_name = _natter_cjson_string (call, "name");
              delta.text = printed ? printed : "";
              delta.len = strlen (delta.text);
              emit (&delta, user_data);
              cJSON_free (printed);
              continue;
            }

          _natter_emit_text (cJSON_IsTrue (thought) ? NATTER_DELTA_REASONING : NATTER_DELTA_TEXT,
                             _natter_cjson_string (part, "text"), emit, user_data);
        }

      finish = _natter_cjson_string (candidate, "finishReason");
      if (finish != NULL && g_str_equal (finish, "FINISH_REASON_UNSPECIFIED"))
        finish = NULL;
    }
  else if (cJSON_IsObject (feedback) && _natter_cjson_string (feedback, "blockReason") != NULL)
    {
      /* The prompt itself was blocked: no candidates, no finishReason. */
      g_autofree char *message = g_strdup_printf (_("Gemini blocked the prompt (%s)"),
                                                  _natter_cjson_string (feedback, "blockReason"));

      _natter_emit_error (NATTER_ERROR_CATEGORY_BAD_REQUEST, message, emit, user_data);
      return TRUE;
    }

  if (cJSON_IsObject (usage))
    {
      gint64 output = _natter_cjson_int (usage, "candidatesTokenCount");
      gint64 thoughts = _natter_cjson_int (usage, "thoughtsTokenCount");

      if (thoughts > 0)
        output = MAX (output, 0) + thoughts;
      _natter_emit_usage (_natter_cjson_int (usage, "promptTokenCount"), output, emit, user_data);
    }

  if (finish != NULL)
    {
      _natter_emit_finish (finish, emit, user_data);
      return TRUE;
    }

  return FALSE;
}

static gboolean
gemini_parse_event (gpointer          parser,
                    const char       *event,
                    const char       *data,
                    gsize             len,
                    NatterDeltaFunc   emit,
                    gpointer          user_data,
                    GError          **error)
{
  cJSON *root;
  const cJSON *error_object;

  if ((root = _natter_cjson_parse (data, len, error)) == NULL)
    return FALSE;

  error_object = cJSON_GetObjectItemCaseSensitive (root, "error");
  if (cJSON_IsObject (error_object))
    _natter_emit_error_json (error_object, emit, user_data);
  else if (emit_response (root, parser, emit, user_data))
    _natter_emit_done (emit, user_data);

  cJSON_Delete (root);

  return TRUE;
}

static gboolean
gemini_parse_response (const char       *body,
                       gsize             len,
                       NatterDeltaFunc   emit,
                       gpointer          user_data,
                       GError          **error)
{
  cJSON *root;
  const cJSON *error_object;

  if ((root = _natter_cjson_parse (body, len, error)) == NULL)
    return FALSE;

  error_object = cJSON_GetObjectItemCaseSensitive (root, "error");
  if (cJSON_IsObject (error_object))
    _natter_emit_error_json (error_object, emit, user_data);
  else
    {
      int tool_counter = 0;

      emit_response (root, &tool_counter, emit, user_data);
      _natter_emit_done (emit, user_data);
    }

  cJSON_Delete (root);

  return TRUE;
}

static NatterRequest *
gemini_build_models_request (const NatterDialectContext *ctx,
                             const char                 *page_token,
                             GError                    **error)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;

  if (page_token != NULL)
    escaped = g_uri_escape_string (page_token, NULL, FALSE);
  path = escaped ? g_strdup_printf ("/v1beta/models?pageSize=1000&pageToken=%s", escaped)
                 : g_strdup ("/v1beta/models?pageSize=1000");
  if ((url = _natter_dialect_url (ctx, path, error)) == NULL)
    return NULL;

  return _natter_dialect_get_request (url);
}

static GPtrArray *
gemini_parse_models (const char  *body,
                     gsize        len,
                     char       **next_page_token,
                     GError     **error)
{
  g_autoptr(JsonNode) root = _natter_dialect_parse_json (body, len, error);
  g_autoptr(GPtrArray) models = NULL;
  JsonObject *object;
  JsonArray *array;
  const char *token;

  if (next_page_token)
    *next_page_token = NULL;
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The model list from Gemini is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);
  models = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_model_info_free);

  /* An empty last page may have no "models" at all. */
  if (json_object_has_member (object, "models"))
    {
      if (!JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "models")))
        {
          g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                       _("The model list from Gemini has no “models” array"));
          return NULL;
        }
      array = json_object_get_array_member (object, "models");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *model;
          JsonNode *methods;
          const char *name;
          gboolean generates = FALSE;
          NatterModelInfo *info;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          model = json_node_get_object (node);
          name = natter_json_object_get_string (model, "name");
          methods = json_object_get_member (model, "supportedGenerationMethods");
          if (name == NULL || methods == NULL || !JSON_NODE_HOLDS_ARRAY (methods))
            continue;

          for (guint j = 0; j < json_array_get_length (json_node_get_array (methods)); j++)
            {
              const char *method = json_array_get_string_element (json_node_get_array (methods), j);

              if (method != NULL && g_str_equal (method, "generateContent"))
                generates = TRUE;
            }
          if (!generates)
            continue;

          info = natter_model_info_new (model_name (name));
          info->display_name = g_strdup (natter_json_object_get_string (model, "displayName"));
          info->context_length = natter_json_node_get_int (json_object_get_member (model, "inputTokenLimit"), 0);
          info->max_output = MAX (natter_json_node_get_int (json_object_get_member (model, "outputTokenLimit"), 0), 0);
          if (json_object_get_boolean_member_with_default (model, "thinking", FALSE))
            info->capabilities |= NATTER_MODEL_REASONING;
          g_ptr_array_add (models, info);
        }
    }

  token = natter_json_object_get_string (object, "nextPageToken");
  if (next_page_token != NULL && token != NULL && *token != '\0')
    *next_page_token = g_strdup (token);

  return g_steal_pointer (&models);
}

const NatterDialect natter_dialect_gemini = {
  .id = "gemini",
  .stream_framing = NATTER_FRAMING_SSE,
  .text_completion = FALSE,
  .endpoint_suffixes = endpoint_suffixes,
  .build_request = gemini_build_request,
  .parser_new = gemini_parser_new,
  .parser_free = g_free,
  .parse_event = gemini_parse_event,
  .parse_response = gemini_parse_response,
  .build_models_request = gemini_build_models_request,
  .parse_models = gemini_parse_models,
  .parse_error_body = _natter_dialect_parse_error_body,
};
