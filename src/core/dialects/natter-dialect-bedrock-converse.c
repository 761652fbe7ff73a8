/* natter-dialect-bedrock-converse.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Amazon Bedrock's Converse API
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html):
 *
 *   POST {base}/model/{modelId}/converse-stream
 *   {"messages":[{"role","content":[{"text"}]}], "system":[{"text"}],
 *    "inferenceConfig":{"maxTokens","temperature","topP","stopSequences"}}
 *
 * with {base} https://bedrock-runtime.{region}.amazonaws.com. The reply is
 * AWS's binary event stream; the transport frames it and hands over each
 * message under its event type: messageStart, contentBlockStart,
 * contentBlockDelta (text, reasoningContent, toolUse), contentBlockStop,
 * messageStop (stopReason), metadata (usage), or an exception type
 * (throttlingException, validationException, …). The model id may be an
 * inference profile ("us.anthropic.claude-…") or an ARN. Requests are
 * signed by NatterAuth (SigV4) after they are built. */

#define G_LOG_DOMAIN "natter-dialect-bedrock"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialect-tools-private.h"
#include "natter-dialects-private.h"
#include "natter-dialect-parts-private.h"
#include "natter-json.h"
#include "natter-reply-guard.h"

#define DEFAULT_REGION "us-east-1"

static const char * const endpoint_suffixes[] = {
  "/model/*/converse-stream",
  "/model/*/converse",
  "/foundation-models",
  NULL,
};

static const char *
region_of (const NatterDialectContext *ctx)
{
  const char *region = _natter_dialect_setting_string (ctx, "region");

  return region != NULL && *region != '\0' ? region : DEFAULT_REGION;
}

/* The base URL with {region} filled in. */
static char *
base_url (const NatterDialectContext  *ctx,
          GError                     **error)
{
  g_auto(GStrv) parts = NULL;

  if (ctx->base_url == NULL || *ctx->base_url == '\0')
    {
      g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                           _("No server URL is set for this connection"));
      return NULL;
    }
  parts = g_strsplit (ctx->base_url, "{region}", -1);
  return g_strjoinv (region_of (ctx), parts);
}

static JsonArray *
text_content (const char *text)
{
  JsonArray *content = json_array_new ();
  JsonObject *block = json_object_new ();

  json_object_set_string_member (block, "text", text);
  json_array_add_object_element (content, block);
  return content;
}

static NatterRequest *
bedrock_build_request (const NatterDialectContext *ctx,
                       const NatterPrompt         *prompt,
                       const NatterGenParams      *params,
                       GError                    **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GString) pending = NULL;
  g_autofree char *base = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  NatterRole pending_role = NATTER_ROLE_USER;
  JsonArray *messages = json_array_new ();
  JsonArray *system = json_array_new ();
  JsonObject *config = json_object_new ();
  NatterRequest *request;

  json_object_set_array_member (body, "messages", messages);
  json_object_set_array_member (body, "system", system);
  json_object_set_object_member (body, "inferenceConfig", config);

  if (!_natter_dialect_check_model (params, error) || (base = base_url (ctx, error)) == NULL)
    return NULL;

  /* An inference profile ARN has ':' and '/': one path segment, encoded. */
  escaped = g_uri_escape_string (params->model, "-._~", FALSE);
  url = g_strdup_printf ("%s/model/%s/%s", base, escaped,
                         params->stream ? "converse-stream" : "converse");

  /* Converse wants user and assistant turns to alternate: consecutive
   * messages of one role are joined, system messages go to "system". */
  for (guint i = 0; i <= prompt->messages->len; i++)
    {
      const NatterPromptMessage *message = i < prompt->messages->len
        ? g_ptr_array_index (prompt->messages, i) : NULL;
      gboolean tools = message != NULL && _natter_prompt_message_has_tools (message);

      if (message != NULL && !tools && message->role == NATTER_ROLE_SYSTEM)
        {
          JsonObject *block = json_object_new ();

          json_object_set_string_member (block, "text", message->content);
          json_array_add_object_element (system, block);
          continue;
        }
      if (pending != NULL && (message == NULL || tools || message->role != pending_role))
        {
          JsonObject *object = json_object_new ();

          json_object_set_string_member (object, "role", natter_role_to_string (pending_role));
          json_object_set_array_member (object, "content", text_content (pending->str));
          json_array_add_object_element (messages, object);
          g_string_free (g_steal_pointer (&pending), TRUE);
        }
      if (message == NULL)
        break;
      if (tools)
        {
          /* Put in the dialect's shape by natter-dialect-tools.c. */
          json_array_add_object_element (messages, _natter_tools_placeholder (i));
          continue;
        }
      if (pending == NULL)
        {
          pending = g_string_new (message->content);
          pending_role = message->role;
        }
      else
        {
          g_string_append (pending, "\n\n");
          g_string_append (pending, message->content);
        }
    }
  _natter_parts_bedrock (messages, prompt);
  if (json_array_get_length (system) == 0)
    json_object_remove_member (body, "system");
  _natter_tools_bedrock (prompt, body);

  if (params->max_tokens > 0)
    json_object_set_int_member (config, "maxTokens", params->max_tokens);
  if (params->temperature >= 0)
    json_object_set_double_member (config, "temperature", params->temperature);
  if (params->top_p >= 0)
    json_object_set_double_member (config, "topP", params->top_p);
  if (params->stop != NULL && params->stop[0] != NULL)
    {
      JsonArray *stop = json_array_new ();

      for (guint i = 0; params->stop[i] != NULL && i < 4; i++)
        json_array_add_string_element (stop, params->stop[i]);
      json_object_set_array_member (config, "stopSequences", stop);
    }
  if (json_object_get_size (config) == 0)
    json_object_remove_member (body, "inferenceConfig");

  request = _natter_dialect_json_request (ctx, url, body,
                                          params->stream ? NATTER_FRAMING_AWS_EVENT_STREAM
                                                         : NATTER_FRAMING_NONE);
  if (params->stream)
    natter_request_set_header (request, "Accept", "application/vnd.amazon.eventstream");
  return request;
}

/* The reasoning of the open block, echoed with its signature in the turn
 * of the tool call it led to. */
static gpointer
bedrock_parser_new (void)
{
  return g_string_new (NULL);
}

static void
bedrock_parser_free (gpointer parser)
{
  g_string_free (parser, TRUE);
}

/* An exception type (throttlingException, ValidationException, …) as a
 * category. */
static NatterErrorCategory
exception_category (const char *type)
{
  static const struct { const char *name; NatterErrorCategory category; } map[] = {
    { "throttlingException", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "serviceQuotaExceededException", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "validationException", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "accessDeniedException", NATTER_ERROR_CATEGORY_AUTH },
    { "unrecognizedClientException", NATTER_ERROR_CATEGORY_AUTH },
    { "expiredTokenException", NATTER_ERROR_CATEGORY_AUTH },
    { "invalidSignatureException", NATTER_ERROR_CATEGORY_AUTH },
    { "resourceNotFoundException", NATTER_ERROR_CATEGORY_NOT_FOUND },
    { "serviceUnavailableException", NATTER_ERROR_CATEGORY_OVERLOADED },
    { "modelNotReadyException", NATTER_ERROR_CATEGORY_OVERLOADED },
    { "modelTimeoutException", NATTER_ERROR_CATEGORY_TIMEOUT },
    { "modelStreamErrorException", NATTER_ERROR_CATEGORY_SERVER },
    { "modelErrorException", NATTER_ERROR_CATEGORY_SERVER },
    { "internalServerException", NATTER_ERROR_CATEGORY_SERVER },
  };

  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_ascii_strcasecmp (type, map[i].name) == 0)
      return map[i].category;
  return NATTER_ERROR_CATEGORY_SERVER;
}

static void
emit_exception (const char      *type,
                const char      *data,
                gsize            len,
                NatterDeltaFunc  emit,
                gpointer         user_data)
{
  cJSON *root = _natter_cjson_parse (data, len, NULL);
  const char *message = _natter_cjson_string (root, "message");
  g_autofree char *text = NULL;

  if (message == NULL)
    message = _natter_cjson_string (root, "Message");
  text = message != NULL ? g_strdup_printf ("%s (%s)", message, type)
                         : g_strdup_printf (_("Bedrock reported %s"), type);
  _natter_emit_error (exception_category (type), text, emit, user_data);
  cJSON_Delete (root);
}

static void
emit_usage (const cJSON     *usage,
            NatterDeltaFunc  emit,
            gpointer         user_data)
{
  if (cJSON_IsObject (usage))
    _natter_emit_usage (_natter_cjson_int (usage, "inputTokens"),
                        _natter_cjson_int (usage, "outputTokens"), emit, user_data);
}

static gboolean
bedrock_parse_event (gpointer          parser,
                     const char       *event,
                     const char       *data,
                     gsize             len,
                     NatterDeltaFunc   emit,
                     gpointer          user_data,
                     GError          **error)
{
  cJSON *root;

  if (event != NULL && g_str_has_suffix (event, "Exception"))
    {
      emit_exception (event, data, len, emit, user_data);
      return TRUE;
    }
  if (g_strcmp0 (event, "error") == 0)
    {
      _natter_emit_error (NATTER_ERROR_CATEGORY_SERVER, data, emit, user_data);
      return TRUE;
    }

  if ((root = _natter_cjson_parse (data, len, error)) == NULL)
    return FALSE;

  if (event == NULL)
    ;  /* a message without a type: nothing to show */
  else if (g_str_equal (event, "contentBlockDelta"))
    {
      const cJSON *delta = cJSON_GetObjectItemCaseSensitive (root, "delta");
      const cJSON *reasoning = cJSON_GetObjectItemCaseSensitive (delta, "reasoningContent");
      const cJSON *tool = cJSON_GetObjectItemCaseSensitive (delta, "toolUse");

      _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (delta, "text"), emit, user_data);
      if (cJSON_IsObject (reasoning))
        {
          GString *thinking = parser;

          _natter_emit_text (NATTER_DELTA_REASONING, _natter_cjson_string (reasoning, "text"),
                             emit, user_data);
          if (_natter_cjson_string (reasoning, "text") != NULL &&
              thinking->len < NATTER_REPLY_DEFAULT_MAX_SIZE)
            g_string_append (thinking, _natter_cjson_string (reasoning, "text"));
          if (_natter_cjson_string (reasoning, "signature") != NULL)
            {
              _natter_tools_emit_thinking_signature ((int) MAX (_natter_cjson_int (root, "contentBlockIndex"), 0),
                                                     thinking->str,
                                                     _natter_cjson_string (reasoning, "signature"),
                                                     emit, user_data);
              g_string_truncate (thinking, 0);
            }
        }
      if (cJSON_IsObject (tool))
        {
          const char *input = _natter_cjson_string (tool, "input");
          NatterDelta out;

          natter_delta_init (&out, NATTER_DELTA_TOOL_CALL);
          out.tool_index = (int) MAX (_natter_cjson_int (root, "contentBlockIndex"), 0);
          out.text = input != NULL ? input : "";
          out.len = strlen (out.text);
          emit (&out, user_data);
        }
    }
  else if (g_str_equal (event, "contentBlockStart"))
    {
      const cJSON *start = cJSON_GetObjectItemCaseSensitive (root, "start");
      const cJSON *tool = cJSON_GetObjectItemCaseSensitive (start, "toolUse");

      if (cJSON_IsObject (tool))
        {
          NatterDelta out;

          natter_delta_init (&out, NATTER_DELTA_TOOL_CALL);
          out.tool_index = (int) MAX (_natter_cjson_int (root, "contentBlockIndex"), 0);
          out.tool_id = _natter_cjson_string (tool, "toolUseId");
          out.tool_name = _natter_cjson_string (tool, "name");
          out.text = "";
          emit (&out, user_data);
        }
    }
  else if (g_str_equal (event, "messageStop"))
    _natter_emit_finish (_natter_cjson_string (root, "stopReason"), emit, user_data);
  else if (g_str_equal (event, "metadata"))
    {
      /* The last event of a stream: usage, then the end. */
      emit_usage (cJSON_GetObjectItemCaseSensitive (root, "usage"), emit, user_data);
      _natter_emit_done (emit, user_data);
    }
  /* messageStart, contentBlockStop and future events: nothing to show. */

  cJSON_Delete (root);
  return TRUE;
}

static gboolean
bedrock_parse_response (const char       *body,
                        gsize             len,
                        NatterDeltaFunc   emit,
                        gpointer          user_data,
                        GError          **error)
{
  cJSON *root;
  const cJSON *output, *message, *content, *block;
  int index = 0;

  if ((root = _natter_cjson_parse (body, len, error)) == NULL)
    return FALSE;

  output = cJSON_GetObjectItemCaseSensitive (root, "output");
  message = cJSON_GetObjectItemCaseSensitive (output, "message");
  content = cJSON_GetObjectItemCaseSensitive (message, "content");
  if (!cJSON_IsArray (content))
    {
      const char *text = _natter_cjson_string (root, "message");

      if (text == NULL)
        text = _natter_cjson_string (root, "Message");
      if (text != NULL)
        _natter_emit_error (NATTER_ERROR_CATEGORY_SERVER, text, emit, user_data);
      else
        g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                             _("The reply has no “output”"));
      cJSON_Delete (root);
      return text != NULL;
    }

  cJSON_ArrayForEach (block, content)
    {
      const cJSON *reasoning = cJSON_GetObjectItemCaseSensitive (block, "reasoningContent");
      const cJSON *reasoning_text = cJSON_GetObjectItemCaseSensitive (reasoning, "reasoningText");
      const cJSON *tool = cJSON_GetObjectItemCaseSensitive (block, "toolUse");

      _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (block, "text"), emit, user_data);
      if (cJSON_IsObject (reasoning_text))
        {
          _natter_emit_text (NATTER_DELTA_REASONING, _natter_cjson_string (reasoning_text, "text"),
                             emit, user_data);
          _natter_tools_emit_thinking_signature (index, _natter_cjson_string (reasoning_text, "text"),
                                                 _natter_cjson_string (reasoning_text, "signature"),
                                                 emit, user_data);
        }
      if (cJSON_IsObject (tool))
        {
          const cJSON *input = cJSON_GetObjectItemCaseSensitive (tool, "input");
          char *printed = input != NULL ? cJSON_PrintUnformatted (input) : NULL;
          NatterDelta out;

          natter_delta_init (&out, NATTER_DELTA_TOOL_CALL);
          out.tool_index = index;
          out.tool_id = _natter_cjson_string (tool, "toolUseId");
          out.tool_name = _natter_cjson_string (tool, "name");
          out.text = printed != NULL ? printed : "";
          out.len = strlen (out.text);
          emit (&out, user_data);
          cJSON_free (printed);
        }
      index++;
    }

  emit_usage (cJSON_GetObjectItemCaseSensitive (root, "usage"), emit, user_data);
  _natter_emit_finish (_natter_cjson_string (root, "stopReason"), emit, user_data);
  _natter_emit_done (emit, user_data);
  cJSON_Delete (root);
  return TRUE;
}

/* ListFoundationModels: the control-plane host "bedrock.{region}…" beside
 * the runtime's "bedrock-runtime.{region}…"; with a URL override, the same
 * host. */
static NatterRequest *
bedrock_build_models_request (const NatterDialectContext *ctx,
                              const char                 *page_token,
                              GError                    **error)
{
  g_autofree char *base = base_url (ctx, error);
  g_autofree char *url = NULL;
  char *runtime;

  if (base == NULL)
    return NULL;
  runtime = strstr (base, "://bedrock-runtime.");
  if (runtime != NULL)
    memmove (runtime + strlen ("://bedrock"), runtime + strlen ("://bedrock-runtime"),
             strlen (runtime + strlen ("://bedrock-runtime")) + 1);
  url = g_strconcat (base, "/foundation-models?byOutputModality=TEXT", NULL);
  return _natter_dialect_get_request (url);
}

static GPtrArray *
bedrock_parse_models (const char  *body,
                      gsize        len,
                      char       **next_page_token,
                      GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) models = NULL;
  JsonObject *object;
  JsonArray *array;

  root = _natter_dialect_parse_model_list (body, len, "Bedrock", "modelSummaries", &object,
                                           &array, next_page_token, error);
  if (root == NULL)
    return NULL;

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_model_info_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *model;
      const char *id, *name, *vendor;
      NatterModelInfo *info;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      model = json_node_get_object (node);
      id = natter_json_object_get_string (model, "modelId");
      if (id == NULL || *id == '\0')
        continue;
      /* Models that cannot stream cannot chat here. */
      if (json_object_has_member (model, "responseStreamingSupported") &&
          !natter_json_object_get_bool (model, "responseStreamingSupported", TRUE))
        continue;
      info = natter_model_info_new (id);
      name = natter_json_object_get_string (model, "modelName");
      vendor = natter_json_object_get_string (model, "providerName");
      if (name != NULL)
        info->display_name = vendor != NULL ? g_strdup_printf ("%s %s", vendor, name)
                                            : g_strdup (name);
      g_ptr_array_add (models, info);
    }
  return g_steal_pointer (&models);
}

/* AWS's error bodies say {"message": …} or {"Message": …}. */
static char *
bedrock_parse_error_body (const char *body,
                          gsize       len)
{
  cJSON *root = _natter_cjson_parse (body, len, NULL);
  const char *message = _natter_cjson_string (root, "Message");
  char *result = message != NULL ? g_strdup (message) : NULL;

  cJSON_Delete (root);
  return result != NULL ? result : _natter_dialect_parse_error_body (body, len);
}

const NatterDialect natter_dialect_bedrock_converse = {
  .id = "bedrock-converse",
  .stream_framing = NATTER_FRAMING_AWS_EVENT_STREAM,
  .text_completion = FALSE,
  .endpoint_suffixes = endpoint_suffixes,
  .build_request = bedrock_build_request,
  .parser_new = bedrock_parser_new,
  .parser_free = bedrock_parser_free,
  .parse_event = bedrock_parse_event,
  .parse_response = bedrock_parse_response,
  .build_models_request = bedrock_build_models_request,
  .parse_models = bedrock_parse_models,
  .parse_error_body = bedrock_parse_error_body,
};
