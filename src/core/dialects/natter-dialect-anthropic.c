/* natter-dialect-anthropic.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Anthropic Messages API (https://docs.anthropic.com/en/api/messages and
 * …/messages-streaming): POST {base}/v1/messages with anthropic-version,
 * max_tokens always present, the system prompt as top-level "system".
 * The stream is typed SSE events: message_start, content_block_start,
 * content_block_delta, content_block_stop, message_delta, message_stop,
 * ping and error. Unknown event types are ignored, as the docs ask. */

#define G_LOG_DOMAIN "natter-dialect-anthropic"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-anthropic-cache.h"
#include "natter-dialect-tools-private.h"
#include "natter-dialects-private.h"
#include "natter-dialect-parts-private.h"
#include "natter-json.h"
#include "natter-reply-guard.h"

#define ANTHROPIC_VERSION "2023-06-01"
#define DEFAULT_MAX_TOKENS 4096

static const char * const endpoint_suffixes[] = {
  "/v1/messages",
  "/v1/models",
  "/v1/complete",
  "/v1",
  NULL,
};

typedef struct
{
  gint64 input_tokens;        /* all of them: uncached, cache reads and writes */
  gint64 cache_read_tokens;
  gint64 cache_write_tokens;
  GString *thinking;          /* the open thinking block, echoed with its signature after tool use */
} AnthropicParser;

/* Anthropic counts "input_tokens" without the cached part; Natter's input
 * tokens are the whole prompt, cache reads and writes included. */
static void
read_usage (const cJSON *usage,
            gint64      *input,
            gint64      *cache_read,
            gint64      *cache_write)
{
  gint64 plain = _natter_cjson_int (usage, "input_tokens");
  gint64 read = _natter_cjson_int (usage, "cache_read_input_tokens");
  gint64 write = _natter_cjson_int (usage, "cache_creation_input_tokens");

  if (read >= 0)
    *cache_read = read;
  if (write >= 0)
    *cache_write = write;
  if (plain >= 0)
    *input = plain + MAX (*cache_read, 0) + MAX (*cache_write, 0);
}

/* Returns TRUE when the 1 hour lifetime is asked for: it was a beta
 * ("extended-cache-ttl-2025-04-11") and servers that still want the
 * header get it. */
static gboolean
anthropic_add_cache (const NatterDialectContext *ctx,
                     JsonObject                 *body)
{
  NatterCacheSettings cache;

  natter_cache_settings_load (&cache, ctx->settings);
  _natter_anthropic_apply_cache (body, &cache);
  return cache.enabled && cache.one_hour;
}

static NatterRequest *
anthropic_build_request (const NatterDialectContext *ctx,
                         const NatterPrompt         *prompt,
                         const NatterGenParams      *params,
                         GError                    **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GString) system = g_string_new (NULL);
  g_autoptr(GString) pending = NULL;
  g_autofree char *url = NULL;
  static const NatterSamplingNames names = { NULL, "top_p", "top_k", "stop_sequences", FALSE };
  NatterRole pending_role = NATTER_ROLE_USER;
  JsonArray *messages;
  NatterRequest *request;
  gboolean one_hour_cache;

  if (!_natter_dialect_check_model (params, error))
    return NULL;
  if ((url = _natter_dialect_url (ctx, "/v1/messages", error)) == NULL)
    return NULL;

  json_object_set_string_member (body, "model", params->model);
  json_object_set_int_member (body, "max_tokens",
                              params->max_tokens > 0 ? params->max_tokens : DEFAULT_MAX_TOKENS);

  /* System messages go to the top-level "system"; the API wants user and
   * assistant turns to alternate, so consecutive same-role messages are
   * merged with a blank line between them. */
  messages = json_array_new ();
  for (guint i = 0; i <= prompt->messages->len; i++)
    {
      const NatterPromptMessage *message = i < prompt->messages->len
        ? g_ptr_array_index (prompt->messages, i) : NULL;
      gboolean tools = message != NULL && _natter_prompt_message_has_tools (message);

      if (message != NULL && !tools && message->role == NATTER_ROLE_SYSTEM)
        {
          if (system->len > 0)
            g_string_append (system, "\n\n");
          g_string_append (system, message->content);
          continue;
        }

      if (pending != NULL && (message == NULL || tools || message->role != pending_role))
        {
          JsonObject *object = json_object_new ();

          json_object_set_string_member (object, "role", natter_role_to_string (pending_role));
          json_object_set_string_member (object, "content", pending->str);
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

  if (system->len > 0)
    json_object_set_string_member (body, "system", system->str);
  _natter_parts_anthropic (messages, prompt);
  json_object_set_array_member (body, "messages", messages);
  _natter_tools_anthropic (prompt, body);

  _natter_dialect_add_sampling (body, prompt, params, &names);
  if (params->stream)
    json_object_set_boolean_member (body, "stream", TRUE);
  one_hour_cache = anthropic_add_cache (ctx, body);

  request = _natter_dialect_json_request (ctx, url, body,
                                          params->stream ? NATTER_FRAMING_SSE : NATTER_FRAMING_NONE);
  natter_request_set_header (request, "anthropic-version", ANTHROPIC_VERSION);
  if (one_hour_cache)
    natter_request_set_header (request, "anthropic-beta", "extended-cache-ttl-2025-04-11");

  return request;
}

static gpointer
anthropic_parser_new (void)
{
  AnthropicParser *parser = g_new0 (AnthropicParser, 1);

  parser->input_tokens = -1;
  parser->cache_read_tokens = -1;
  parser->cache_write_tokens = -1;
  parser->thinking = g_string_new (NULL);

  return parser;
}

static void
anthropic_parser_free (gpointer data)
{
  AnthropicParser *parser = data;

  g_string_free (parser->thinking, TRUE);
  g_free (parser);
}

static void
emit_error_object (const cJSON     *error,
                   NatterDeltaFunc  emit,
                   gpointer         user_data)
{
  const char *type = _natter_cjson_string (error, "type");
  const char *message = _natter_cjson_string (error, "message");
  NatterErrorCategory category;

  if (type != NULL && g_str_equal (type, "overloaded_error"))
    category = NATTER_ERROR_CATEGORY_OVERLOADED;
  else if (type != NULL && g_str_equal (type, "rate_limit_error"))
    category = NATTER_ERROR_CATEGORY_RATE_LIMITED;
  else if (type != NULL && (g_str_equal (type, "authentication_error") ||
                            g_str_equal (type, "permission_error")))
    category = NATTER_ERROR_CATEGORY_AUTH;
  else if (type != NULL && g_str_equal (type, "not_found_error"))
    category = NATTER_ERROR_CATEGORY_NOT_FOUND;
  else if (type != NULL && (g_str_equal (type, "invalid_request_error") ||
                            g_str_equal (type, "request_too_large")))
    category = NATTER_ERROR_CATEGORY_BAD_REQUEST;
  else if (type != NULL && g_str_equal (type, "timeout_error"))
    category = NATTER_ERROR_CATEGORY_TIMEOUT;
  else
    category = NATTER_ERROR_CATEGORY_SERVER;   /* api_error and anything new */

  _natter_emit_error (category, message ? message : _("Anthropic reported an error"),
                      emit, user_data);
}

static void
emit_block_delta (const cJSON     *root,
                  AnthropicParser *parser,
                  NatterDeltaFunc  emit,
                  gpointer         user_data)
{
  const cJSON *delta = cJSON_GetObjectItemCaseSensitive (root, "delta");
  const char *type = _natter_cjson_string (delta, "type");

  if (type == NULL)
    return;

  if (g_str_equal (type, "text_delta"))
    _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (delta, "text"), emit, user_data);
  else if (g_str_equal (type, "thinking_delta"))
    {
      const char *thinking = _natter_cjson_string (delta, "thinking");

      _natter_emit_text (NATTER_DELTA_REASONING, thinking, emit, user_data);
      if (thinking != NULL && parser->thinking->len < NATTER_REPLY_DEFAULT_MAX_SIZE)
        g_string_append (parser->thinking, thinking);
    }
  else if (g_str_equal (type, "signature_delta"))
    _natter_tools_emit_thinking_signature ((int) CLAMP (_natter_cjson_int (root, "index"), 0, G_MAXINT),
                                           parser->thinking->str,
                                           _natter_cjson_string (delta, "signature"),
                                           emit, user_data);
  else if (g_str_equal (type, "input_json_delta"))
    {
      const char *partial = _natter_cjson_string (delta, "partial_json");
      NatterDelta out;

      natter_delta_init (&out, NATTER_DELTA_TOOL_CALL);
      out.tool_index = (int) CLAMP (_natter_cjson_int (root, "index"), 0, G_MAXINT);
      out.text = partial ? partial : "";
      out.len = strlen (out.text);
      emit (&out, user_data);
    }
  /* citations_delta: nothing to show. */
}

static void
emit_block_start (const cJSON     *root,
                  AnthropicParser *parser,
                  NatterDeltaFunc  emit,
                  gpointer         user_data)
{
  const cJSON *block = cJSON_GetObjectItemCaseSensitive (root, "content_block");
  const char *type = _natter_cjson_string (block, "type");

  if (type == NULL)
    return;

  if (g_str_equal (type, "tool_use"))
    {
      NatterDelta out;

      natter_delta_init (&out, NATTER_DELTA_TOOL_CALL);
      out.tool_index = (int) CLAMP (_natter_cjson_int (root, "index"), 0, G_MAXINT);
      out.tool_id = _natter_cjson_string (block, "id");
      out.tool_name = _natter_cjson_string (block, "name");
      out.text = "";
      emit (&out, user_data);
    }
  else if (g_str_equal (type, "text"))
    _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (block, "text"), emit, user_data);
  else if (g_str_equal (type, "thinking"))
    {
      g_string_assign (parser->thinking, "");
      if (_natter_cjson_string (block, "thinking") != NULL)
        g_string_append (parser->thinking, _natter_cjson_string (block, "thinking"));
      _natter_emit_text (NATTER_DELTA_REASONING, _natter_cjson_string (block, "thinking"),
                         emit, user_data);
    }
}

static gboolean
anthropic_parse_event (gpointer          parser_data,
                       const char       *event,
                       const char       *data,
                       gsize             len,
                       NatterDeltaFunc   emit,
                       gpointer          user_data,
                       GError          **error)
{
  AnthropicParser *parser = parser_data;
  cJSON *root;
  const char *type;

  if ((root = _natter_cjson_parse (data, len, error)) == NULL)
    return FALSE;

  /* The data carries its own "type"; the SSE event name is the same. */
  type = _natter_cjson_string (root, "type");
  if (type == NULL)
    type = event;
  if (type == NULL)
    {
      cJSON_Delete (root);
      return TRUE;
    }

  if (g_str_equal (type, "content_block_delta"))
    emit_block_delta (root, parser, emit, user_data);
  else if (g_str_equal (type, "content_block_start"))
    emit_block_start (root, parser, emit, user_data);
  else if (g_str_equal (type, "message_start"))
    {
      const cJSON *message = cJSON_GetObjectItemCaseSensitive (root, "message");
      const cJSON *usage = cJSON_GetObjectItemCaseSensitive (message, "usage");

      if (cJSON_IsObject (usage))
        read_usage (usage, &parser->input_tokens, &parser->cache_read_tokens,
                    &parser->cache_write_tokens);
    }
  else if (g_str_equal (type, "message_delta"))
    {
      const cJSON *delta = cJSON_GetObjectItemCaseSensitive (root, "delta");
      const cJSON *usage = cJSON_GetObjectItemCaseSensitive (root, "usage");

      if (cJSON_IsObject (usage))
        {
          read_usage (usage, &parser->input_tokens, &parser->cache_read_tokens,
                      &parser->cache_write_tokens);
          _natter_emit_usage_full (parser->input_tokens,
                                   _natter_cjson_int (usage, "output_tokens"),
                                   parser->cache_read_tokens, parser->cache_write_tokens, -1,
                                   emit, user_data);
        }
      _natter_emit_finish (_natter_cjson_string (delta, "stop_reason"), emit, user_data);
    }
  else if (g_str_equal (type, "message_stop"))
    _natter_emit_done (emit, user_data);
  else if (g_str_equal (type, "error"))
    emit_error_object (cJSON_GetObjectItemCaseSensitive (root, "error"), emit, user_data);
  /* ping, content_block_stop and future events: nothing. */

  cJSON_Delete (root);

  return TRUE;
}

static gboolean
anthropic_parse_response (const char       *body,
                          gsize             len,
                          NatterDeltaFunc   emit,
                          gpointer          user_data,
                          GError          **error)
{
  cJSON *root;
  const cJSON *content;
  const cJSON *block;
  const cJSON *usage;
  const char *type;
  int index = 0;

  if ((root = _natter_cjson_parse (body, len, error)) == NULL)
    return FALSE;

  type = _natter_cjson_string (root, "type");
  if (type != NULL && g_str_equal (type, "error"))
    {
      emit_error_object (cJSON_GetObjectItemCaseSensitive (root, "error"), emit, user_data);
      cJSON_Delete (root);
      return TRUE;
    }

  content = cJSON_GetObjectItemCaseSensitive (root, "content");
  if (!cJSON_IsArray (content))
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The reply has no “content”"));
      cJSON_Delete (root);
      return FALSE;
    }

  cJSON_ArrayForEach (block, content)
    {
      const char *block_type = _natter_cjson_string (block, "type");

      if (block_type == NULL)
        continue;
      if (g_str_equal (block_type, "text"))
        _natter_emit_text (NATTER_DELTA_TEXT, _natter_cjson_string (block, "text"), emit, user_data);
      else if (g_str_equal (block_type, "thinking"))
        {
          _natter_emit_text (NATTER_DELTA_REASONING, _natter_cjson_string (block, "thinking"),
                             emit, user_data);
          _natter_tools_emit_thinking_signature (index, _natter_cjson_string (block, "thinking"),
                                                 _natter_cjson_string (block, "signature"),
                                                 emit, user_data);
        }
      else if (g_str_equal (block_type, "tool_use"))
        {
          const cJSON *input = cJSON_GetObjectItemCaseSensitive (block, "input");
          g_autofree char *arguments = NULL;
          NatterDelta out;

          if (input != NULL)
            {
              char *printed = cJSON_PrintUnformatted (input);

              arguments = g_strdup (printed);
              cJSON_free (printed);
            }
          natter_delta_init (&out, NATTER_DELTA_TOOL_CALL);
          out.tool_index = index;
          out.tool_id = _natter_cjson_string (block, "id");
          out.tool_name = _natter_cjson_string (block, "name");
          out.text = arguments ? arguments : "";
          out.len = strlen (out.text);
          emit (&out, user_data);
        }
      index++;
    }

  usage = cJSON_GetObjectItemCaseSensitive (root, "usage");
  if (cJSON_IsObject (usage))
    {
      gint64 input = -1, read = -1, write = -1;

      read_usage (usage, &input, &read, &write);
      _natter_emit_usage_full (input, _natter_cjson_int (usage, "output_tokens"),
                               read, write, -1, emit, user_data);
    }
  _natter_emit_finish (_natter_cjson_string (root, "stop_reason"), emit, user_data);
  _natter_emit_done (emit, user_data);
  cJSON_Delete (root);

  return TRUE;
}

static NatterRequest *
anthropic_build_models_request (const NatterDialectContext *ctx,
                                const char                 *page_token,
                                GError                    **error)
{
  g_autofree char *url = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  NatterRequest *request;

  if (page_token != NULL)
    escaped = g_uri_escape_string (page_token, NULL, FALSE);
  path = escaped ? g_strdup_printf ("/v1/models?limit=1000&after_id=%s", escaped)
                 : g_strdup ("/v1/models?limit=1000");
  if ((url = _natter_dialect_url (ctx, path, error)) == NULL)
    return NULL;

  request = _natter_dialect_get_request (url);
  natter_request_set_header (request, "anthropic-version", ANTHROPIC_VERSION);

  return request;
}

static GPtrArray *
anthropic_parse_models (const char  *body,
                        gsize        len,
                        char       **next_page_token,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) models = NULL;
  JsonObject *object;
  JsonArray *data;

  root = _natter_dialect_parse_model_list (body, len, "Anthropic", "data", &object, &data,
                                           next_page_token, error);
  if (root == NULL)
    return NULL;

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_model_info_free);
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonNode *node = json_array_get_element (data, i);
      JsonObject *model;
      NatterModelInfo *info;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      model = json_node_get_object (node);
      if (natter_json_object_get_string (model, "id") == NULL)
        continue;
      info = natter_model_info_new (natter_json_object_get_string (model, "id"));
      info->display_name = g_strdup (natter_json_object_get_string (model, "display_name"));
      g_ptr_array_add (models, info);
    }

  if (next_page_token != NULL &&
      natter_json_object_get_bool (object, "has_more", FALSE))
    *next_page_token = g_strdup (natter_json_object_get_string (object, "last_id"));

  return g_steal_pointer (&models);
}

const NatterDialect natter_dialect_anthropic = {
  .id = "anthropic",
  .stream_framing = NATTER_FRAMING_SSE,
  .text_completion = FALSE,
  .endpoint_suffixes = endpoint_suffixes,
  .build_request = anthropic_build_request,
  .parser_new = anthropic_parser_new,
  .parser_free = anthropic_parser_free,
  .parse_event = anthropic_parse_event,
  .parse_response = anthropic_parse_response,
  .build_models_request = anthropic_build_models_request,
  .parse_models = anthropic_parse_models,
  .parse_error_body = _natter_dialect_parse_error_body,
};
