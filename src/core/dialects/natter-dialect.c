/* natter-dialect.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-dialect"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialect.h"
#include "natter-dialect-tools-private.h"
#include "natter-dialects-private.h"
#include "natter-dialect-parts-private.h"
#include "natter-json-writer.h"
#include "natter-json.h"

/* Prompt, parameters, model info */

NatterPromptMessage *
natter_prompt_message_new (NatterRole  role,
                           const char *content)
{
  NatterPromptMessage *message = g_new0 (NatterPromptMessage, 1);

  message->role = role;
  message->content = g_strdup (content ? content : "");

  return message;
}

void
natter_prompt_message_free (NatterPromptMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->name);
  g_free (message->content);
  g_clear_pointer (&message->attachments, g_ptr_array_unref);
  g_clear_pointer (&message->tool_calls, g_ptr_array_unref);
  g_clear_pointer (&message->tool_results, g_ptr_array_unref);
  g_free (message);
}

void
natter_prompt_message_add_attachment (NatterPromptMessage *message,
                                      NatterAttachment    *attachment)
{
  g_return_if_fail (message != NULL && attachment != NULL);

  if (message->attachments == NULL)
    message->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_attachment_free);
  g_ptr_array_add (message->attachments, attachment);
}

void
natter_prompt_message_add_tool_call (NatterPromptMessage *message,
                                     NatterToolCall      *call)
{
  g_return_if_fail (message != NULL && call != NULL);

  if (message->tool_calls == NULL)
    message->tool_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_call_free);
  g_ptr_array_add (message->tool_calls, call);
}

void
natter_prompt_message_add_tool_result (NatterPromptMessage *message,
                                       NatterToolResult    *result)
{
  g_return_if_fail (message != NULL && result != NULL);

  if (message->tool_results == NULL)
    message->tool_results = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_result_free);
  g_ptr_array_add (message->tool_results, result);
}

NatterPrompt *
natter_prompt_new (void)
{
  NatterPrompt *prompt = g_new0 (NatterPrompt, 1);

  prompt->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_prompt_message_free);

  return prompt;
}

void
natter_prompt_add (NatterPrompt *prompt,
                   NatterRole    role,
                   const char   *content)
{
  g_return_if_fail (prompt != NULL);

  g_ptr_array_add (prompt->messages, natter_prompt_message_new (role, content));
}

void
natter_prompt_free (NatterPrompt *prompt)
{
  if (prompt == NULL)
    return;

  g_clear_pointer (&prompt->messages, g_ptr_array_unref);
  g_free (prompt->text);
  g_clear_pointer (&prompt->tools, g_ptr_array_unref);
  g_free (prompt->tool_choice);
  g_clear_pointer (&prompt->schema, json_object_unref);
  g_free (prompt->schema_name);
  g_free (prompt);
}

void
natter_prompt_take_message (NatterPrompt        *prompt,
                            NatterPromptMessage *message)
{
  g_return_if_fail (prompt != NULL && message != NULL);

  g_ptr_array_add (prompt->messages, message);
}

void
natter_prompt_add_tool (NatterPrompt   *prompt,
                        NatterToolSpec *spec)
{
  g_return_if_fail (prompt != NULL && spec != NULL);

  if (prompt->tools == NULL)
    prompt->tools = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_spec_free);
  g_ptr_array_add (prompt->tools, spec);
}

void
natter_prompt_set_schema (NatterPrompt *prompt,
                          JsonObject   *schema,
                          const char   *name)
{
  g_return_if_fail (prompt != NULL);

  g_clear_pointer (&prompt->schema, json_object_unref);
  g_clear_pointer (&prompt->schema_name, g_free);
  if (schema != NULL)
    {
      prompt->schema = json_object_ref (schema);
      prompt->schema_name = g_strdup (name);
    }
}

void
natter_gen_params_init (NatterGenParams *params)
{
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof *params);
  params->max_tokens = 0;
  params->temperature = -1;
  params->top_p = -1;
  params->top_k = 0;
  params->stream = TRUE;
}

void
natter_gen_params_clear (NatterGenParams *params)
{
  g_return_if_fail (params != NULL);

  g_clear_pointer (&params->model, g_free);
  g_clear_pointer (&params->stop, g_strfreev);
  g_clear_pointer (&params->extra_body, json_object_unref);
}

void
natter_gen_params_copy (NatterGenParams       *dest,
                        const NatterGenParams *src)
{
  g_return_if_fail (dest != NULL);

  if (src == NULL)
    {
      natter_gen_params_init (dest);
      return;
    }
  *dest = *src;
  dest->model = g_strdup (src->model);
  dest->stop = g_strdupv (src->stop);
  if (src->extra_body != NULL)
    dest->extra_body = json_object_ref (src->extra_body);
}

NatterModelInfo *
natter_model_info_new (const char *id)
{
  NatterModelInfo *info = g_new0 (NatterModelInfo, 1);

  info->id = g_strdup (id);
  info->input_price = -1;
  info->output_price = -1;
  info->cache_read_price = -1;
  info->cache_write_price = -1;

  return info;
}

NatterModelInfo *
natter_model_info_copy (const NatterModelInfo *info)
{
  NatterModelInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = g_new0 (NatterModelInfo, 1);
  *copy = *info;
  copy->id = g_strdup (info->id);
  copy->display_name = g_strdup (info->display_name);
  copy->alias = g_strdup (info->alias);
  copy->system_prefix = g_strdup (info->system_prefix);

  return copy;
}

void
natter_model_info_free (NatterModelInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->display_name);
  g_free (info->alias);
  g_free (info->system_prefix);
  g_free (info);
}

/* Registry */

static const NatterDialect * const dialects[] = {
  &natter_dialect_openai_chat,
  &natter_dialect_openai_text,
  &natter_dialect_anthropic,
  &natter_dialect_gemini,
  &natter_dialect_ollama,
  &natter_dialect_kobold,
  &natter_dialect_llamacpp,
  &natter_dialect_cohere,
  &natter_dialect_vertex,
  &natter_dialect_azure_openai,
  &natter_dialect_bedrock_converse,
  NULL,
};

const NatterDialect *
natter_dialect_lookup (const char *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; dialects[i] != NULL; i++)
    if (g_str_equal (dialects[i]->id, id))
      return dialects[i];

  return NULL;
}

const NatterDialect * const *
natter_dialect_list (void)
{
  return dialects;
}

/* URL normalization */

/* Where @pattern matches the end of @str (case-insensitive), or -1. A "*" in
 * @pattern stands for one path segment (no "/"), e.g. a Gemini model name. */
static gssize
match_suffix (const char *str,
              gsize       len,
              const char *pattern)
{
  const char *star = strchr (pattern, '*');
  gsize rest_len;
  gsize prefix_len;
  gsize p;
  gsize q;

  if (star == NULL)
    {
      gsize plen = strlen (pattern);

      if (plen > len || g_ascii_strncasecmp (str + len - plen, pattern, plen) != 0)
        return -1;
      return len - plen;
    }

  rest_len = strlen (star + 1);
  prefix_len = star - pattern;
  if (rest_len > len || g_ascii_strncasecmp (str + len - rest_len, star + 1, rest_len) != 0)
    return -1;

  p = len - rest_len;
  q = p;
  while (q > 0 && str[q - 1] != '/')
    q--;
  if (q == p || q < prefix_len)
    return -1;
  if (g_ascii_strncasecmp (str + q - prefix_len, pattern, prefix_len) != 0)
    return -1;

  return q - prefix_len;
}

static void
trim_trailing_slashes (GString *str,
                       gsize    path_start)
{
  while (str->len > path_start && str->str[str->len - 1] == '/')
    g_string_truncate (str, str->len - 1);
}

static gboolean
host_is_local (const char *url)
{
  static const char * const local_prefixes[] = {
    "localhost", "127.", "0.0.0.0", "[::1]", "192.168.", "10.", "host.docker.internal",
  };

  for (guint i = 0; i < G_N_ELEMENTS (local_prefixes); i++)
    if (g_ascii_strncasecmp (url, local_prefixes[i], strlen (local_prefixes[i])) == 0)
      return TRUE;

  return FALSE;
}

/* Users paste base URLs, full endpoints ("…/v1/chat/completions"), endpoints
 * with a query string ("…:streamGenerateContent?alt=sse"), trailing slashes
 * and white space. All of them give the same base. A URL without a scheme
 * gets http:// for local hosts and https:// otherwise. A query string is only
 * dropped together with a recognized endpoint. Returns NULL for an empty
 * @url. */
char *
natter_dialect_normalize_base_url (const NatterDialect *dialect,
                                   const char          *url)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GString) out = NULL;
  const char *scheme_end;
  const char *slash;
  gsize path_start;
  gsize query_at;

  if (url == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (url));
  if (*trimmed == '\0')
    return NULL;

  if (strstr (trimmed, "://") == NULL)
    out = g_string_new (host_is_local (trimmed) ? "http://" : "https://");
  else
    out = g_string_new (NULL);
  g_string_append (out, trimmed);

  scheme_end = strstr (out->str, "://");
  slash = strchr (scheme_end + 3, '/');
  path_start = slash ? (gsize) (slash - out->str) : out->len;

  query_at = strcspn (out->str, "?#");
  if (query_at < path_start)
    path_start = query_at;

  if (dialect != NULL && dialect->endpoint_suffixes != NULL)
    {
      g_autoptr(GString) path = g_string_new_len (out->str, query_at);

      trim_trailing_slashes (path, path_start);
      for (guint i = 0; dialect->endpoint_suffixes[i] != NULL; i++)
        {
          gssize at = match_suffix (path->str, path->len, dialect->endpoint_suffixes[i]);

          if (at >= 0 && (gsize) at >= path_start)
            {
              g_string_truncate (path, at);
              g_string_assign (out, path->str);
              break;
            }
        }
    }

  trim_trailing_slashes (out, path_start);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Request helpers */

char *
_natter_dialect_url (const NatterDialectContext *ctx,
                     const char                 *path,
                     GError                    **error)
{
  if (ctx == NULL || ctx->base_url == NULL || ctx->base_url[0] == '\0')
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                   _("No server URL is set for this connection"));
      return NULL;
    }

  return g_strconcat (ctx->base_url, path, NULL);
}

const char *
_natter_dialect_setting_string (const NatterDialectContext *ctx,
                                const char                 *name)
{
  JsonNode *node;

  if (ctx == NULL || ctx->settings == NULL)
    return NULL;

  node = json_object_get_member (ctx->settings, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gboolean
_natter_dialect_setting_bool (const NatterDialectContext *ctx,
                              const char                 *name,
                              gboolean                    default_value)
{
  JsonNode *node;

  if (ctx == NULL || ctx->settings == NULL ||
      (node = json_object_get_member (ctx->settings, name)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;

  return json_node_get_boolean (node);
}

/* Merges @extra into @body: objects member by member, a null removes. */
static void
merge_object (JsonObject *body,
              JsonObject *extra)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, extra);
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonNode *existing = json_object_get_member (body, name);

      if (JSON_NODE_HOLDS_NULL (value))
        json_object_remove_member (body, name);
      else if (JSON_NODE_HOLDS_OBJECT (value) && existing != NULL && JSON_NODE_HOLDS_OBJECT (existing))
        merge_object (json_node_get_object (existing), json_node_get_object (value));
      else if (JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *copy = json_object_new ();

          merge_object (copy, json_node_get_object (value));
          json_object_set_object_member (body, name, copy);
        }
      else
        json_object_set_member (body, name, json_node_copy (value));
    }
}

NatterRequest *
_natter_dialect_json_request (const NatterDialectContext *ctx,
                              const char                 *url,
                              JsonObject                 *body,
                              NatterFraming               framing)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  NatterRequest *request;

  if (ctx != NULL && ctx->extra_body != NULL)
    merge_object (body, ctx->extra_body);
  if (ctx != NULL && ctx->settings != NULL && json_object_has_member (ctx->settings, "extra_body"))
    {
      JsonNode *extra = json_object_get_member (ctx->settings, "extra_body");

      if (JSON_NODE_HOLDS_OBJECT (extra))
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *value;

          json_object_iter_init (&iter, json_node_get_object (extra));
          while (json_object_iter_next (&iter, &name, &value))
            json_object_set_member (body, name, json_node_copy (value));
        }
    }

  json_node_set_object (root, body);
  /* Numbers as people write them: the inspector shows what was sent. */
  text = natter_json_to_string (root, 0);

  request = natter_request_new ("POST", url);
  natter_request_set_header (request, "Content-Type", "application/json");
  switch (framing)
    {
    case NATTER_FRAMING_SSE:
      natter_request_set_header (request, "Accept", "text/event-stream");
      break;
    case NATTER_FRAMING_NDJSON:
      natter_request_set_header (request, "Accept", "application/x-ndjson");
      break;
    case NATTER_FRAMING_NONE:
    default:
      natter_request_set_header (request, "Accept", "application/json");
      break;
    }
  natter_request_set_body_string (request, "application/json", text);
  natter_request_set_framing (request, framing);

  return request;
}

NatterRequest *
_natter_dialect_get_path_request (const NatterDialectContext  *ctx,
                                  const char                  *path,
                                  GError                     **error)
{
  g_autofree char *url = _natter_dialect_url (ctx, path, error);

  if (url == NULL)
    return NULL;

  return _natter_dialect_get_request (url);
}

NatterRequest *
_natter_dialect_get_request (const char *url)
{
  NatterRequest *request = natter_request_new ("GET", url);

  natter_request_set_header (request, "Accept", "application/json");

  return request;
}

char *
_natter_dialect_prompt_text (const NatterPrompt *prompt)
{
  GString *out;

  if (prompt->text != NULL)
    return g_strdup (prompt->text);

  out = g_string_new (NULL);
  for (guint i = 0; prompt->messages != NULL && i < prompt->messages->len; i++)
    {
      const NatterPromptMessage *message = g_ptr_array_index (prompt->messages, i);
      g_autofree char *content = natter_prompt_message_dup_text_with_files (message);

      g_string_append_printf (out, "<|im_start|>%s\n%s<|im_end|>\n",
                              natter_role_to_string (message->role), content);
    }
  g_string_append (out, "<|im_start|>assistant\n");

  return g_string_free (out, FALSE);
}

JsonArray *
_natter_dialect_stop_array (const NatterPrompt    *prompt,
                            const NatterGenParams *params,
                            gboolean               text_completion)
{
  JsonArray *array = json_array_new ();
  gboolean chatml = text_completion && prompt->text == NULL;
  gboolean has_im_end = FALSE;

  for (guint i = 0; params->stop != NULL && params->stop[i] != NULL; i++)
    {
      if (params->stop[i][0] == '\0')
        continue;
      json_array_add_string_element (array, params->stop[i]);
      if (g_str_equal (params->stop[i], "<|im_end|>"))
        has_im_end = TRUE;
    }

  if (chatml && !has_im_end)
    json_array_add_string_element (array, "<|im_end|>");

  if (json_array_get_length (array) == 0)
    {
      json_array_unref (array);
      return NULL;
    }

  return array;
}

JsonArray *
_natter_dialect_messages_array (const NatterPrompt *prompt,
                                gboolean            with_names)
{
  JsonArray *messages = json_array_new ();

  for (guint i = 0; i < prompt->messages->len; i++)
    {
      const NatterPromptMessage *message = g_ptr_array_index (prompt->messages, i);
      JsonObject *object;

      if (_natter_prompt_message_has_tools (message))
        {
          /* Put in the dialect's shape by natter-dialect-tools.c. */
          json_array_add_object_element (messages, _natter_tools_placeholder (i));
          continue;
        }
      object = json_object_new ();
      json_object_set_string_member (object, "role", natter_role_to_string (message->role));
      json_object_set_string_member (object, "content", message->content);
      if (with_names && message->name != NULL && message->name[0] != '\0')
        json_object_set_string_member (object, "name", message->name);
      _natter_parts_openai (object, message, NULL);
      json_array_add_object_element (messages, object);
    }

  return messages;
}

void
_natter_dialect_add_sampling (JsonObject                *object,
                              const NatterPrompt        *prompt,
                              const NatterGenParams     *params,
                              const NatterSamplingNames *names)
{
  JsonArray *stop;

  if (names->max_tokens != NULL && params->max_tokens > 0)
    json_object_set_int_member (object, names->max_tokens, params->max_tokens);
  if (params->temperature >= 0)
    json_object_set_double_member (object, "temperature", params->temperature);
  if (params->top_p >= 0)
    json_object_set_double_member (object, names->top_p, params->top_p);
  if (params->top_k > 0)
    json_object_set_int_member (object, names->top_k, params->top_k);
  if ((stop = _natter_dialect_stop_array (prompt, params, names->text_completion)) != NULL)
    json_object_set_array_member (object, names->stop, stop);
}

gboolean
_natter_dialect_check_model (const NatterGenParams  *params,
                             GError                **error)
{
  if (params->model == NULL || params->model[0] == '\0')
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                   _("No model is selected for this connection"));
      return FALSE;
    }

  return TRUE;
}

/* Bodies adapted by the cloud dialects (Vertex, Azure) */

JsonObject *
_natter_dialect_dup_body (NatterRequest *request)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GBytes *body = natter_request_get_body (request);
  JsonNode *root;
  const char *data;
  gsize len;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &len);
  if (data == NULL || !natter_json_parser_load (parser, data, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

void
_natter_dialect_set_body (NatterRequest *request,
                          JsonObject    *body)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_set_object (root, body);
  json_generator_set_root (generator, root);
  g_autofree char *content_type = g_strdup (natter_request_get_content_type (request));

  text = json_generator_to_data (generator, NULL);
  natter_request_set_body_string (request, content_type, text);
}

JsonObject *
_natter_dialect_dup_settings (const NatterDialectContext *ctx)
{
  JsonObject *copy = json_object_new ();

  if (ctx != NULL && ctx->settings != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, ctx->settings);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (copy, name, json_node_copy (value));
    }
  return copy;
}
