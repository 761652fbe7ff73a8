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
#include "natter-dialects-private.h"
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
  g_free (message);
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
  g_free (prompt);
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

NatterRequest *
_natter_dialect_json_request (const NatterDialectContext *ctx,
                              const char                 *url,
                              JsonObject                 *body,
                              NatterFraming               framing)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  NatterRequest *request;

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
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);

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

      g_string_append_printf (out, "<|im_start|>%s\n%s<|im_end|>\n",
                              natter_role_to_string (message->role),
                              message->content ? message->content : "");
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
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "role", natter_role_to_string (message->role));
      json_object_set_string_member (object, "content", message->content);
      if (with_names && message->name != NULL && message->name[0] != '\0')
        json_object_set_string_member (object, "name", message->name);
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

/* Whole bodies */

JsonNode *
_natter_dialect_parse_json (const char  *body,
                            gsize        len,
                            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (body == NULL || len == 0)
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The server sent a reply that is not valid JSON: %s"), _("empty reply"));
      return NULL;
    }

  if ((root = natter_json_parse (body, (gssize) MIN (len, (gsize) G_MAXSSIZE), &local_error)) == NULL)
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The server sent a reply that is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  return root;
}

static const char *
object_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static char *
message_from_node (JsonNode *node)
{
  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);

      return (str && *str) ? g_strdup (str) : NULL;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      const char *str;

      if ((str = object_string (object, "message")) != NULL && *str)
        return g_strdup (str);
      if ((str = object_string (object, "msg")) != NULL && *str)
        return g_strdup (str);
      if (json_object_has_member (object, "error"))
        return message_from_node (json_object_get_member (object, "error"));
      if ((str = object_string (object, "detail")) != NULL && *str)
        return g_strdup (str);
    }

  /* FastAPI validation errors: {"detail":[{"loc":…,"msg":"…"}]} */
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) out = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *part = message_from_node (json_array_get_element (array, i));

          if (part == NULL)
            continue;
          if (out->len > 0)
            g_string_append (out, "; ");
          g_string_append (out, part);
        }

      return out->len > 0 ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
    }

  return NULL;
}

static char *
plain_text_excerpt (const char *body,
                    gsize       len)
{
  g_autofree char *valid = g_utf8_make_valid (body, len);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean in_tag = FALSE;
  gboolean in_space = TRUE;
  const char *p;

  for (p = valid; *p != '\0'; p++)
    {
      if (*p == '<')
        {
          in_tag = TRUE;
          continue;
        }
      if (in_tag)
        {
          if (*p == '>')
            {
              in_tag = FALSE;
              if (!in_space)
                {
                  g_string_append_c (out, ' ');
                  in_space = TRUE;
                }
            }
          continue;
        }
      if (g_ascii_isspace (*p))
        {
          if (!in_space)
            g_string_append_c (out, ' ');
          in_space = TRUE;
          continue;
        }
      g_string_append_c (out, *p);
      in_space = FALSE;
    }

  g_strstrip (out->str);
  g_string_set_size (out, strlen (out->str));
  if (out->len == 0)
    return NULL;

  if (g_utf8_strlen (out->str, -1) > 200)
    {
      const char *end = g_utf8_offset_to_pointer (out->str, 199);

      g_string_truncate (out, end - out->str);
      g_string_append (out, "…");
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
_natter_dialect_parse_error_body (const char *body,
                                  gsize       len)
{
  g_autoptr(JsonNode) root = NULL;

  if (body == NULL || len == 0)
    return NULL;

  root = _natter_dialect_parse_json (body, len, NULL);
  if (root == NULL)
    return plain_text_excerpt (body, len);

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      char *message;

      if ((message = message_from_node (json_object_get_member (object, "error"))) != NULL)
        return message;
      if ((message = message_from_node (json_object_get_member (object, "message"))) != NULL)
        return message;
      if ((message = message_from_node (json_object_get_member (object, "detail"))) != NULL)
        return message;
      return NULL;
    }

  /* Gemini sometimes wraps its error object in an array. */
  if (JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) > 0)
    return message_from_node (json_array_get_element (json_node_get_array (root), 0));

  return NULL;
}

JsonNode *
_natter_dialect_parse_model_list (const char  *body,
                                  gsize        len,
                                  const char  *provider,
                                  const char  *member,
                                  JsonObject **object,
                                  JsonArray  **array,
                                  char       **next_page_token,
                                  GError     **error)
{
  g_autoptr(JsonNode) root = _natter_dialect_parse_json (body, len, error);

  if (next_page_token)
    *next_page_token = NULL;
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member ((*object = json_node_get_object (root)), member) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (*object, member)))
    {
      /* TRANSLATORS: %s are a provider ("Ollama") and a JSON member name */
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The model list from %s has no “%s” array"), provider, member);
      return NULL;
    }

  *array = json_object_get_array_member (*object, member);

  return g_steal_pointer (&root);
}

GPtrArray *
_natter_dialect_parse_openai_models (const char  *body,
                                     gsize        len,
                                     char       **next_page_token,
                                     GError     **error)
{
  g_autoptr(JsonNode) root = _natter_dialect_parse_json (body, len, error);
  g_autoptr(GPtrArray) models = NULL;
  JsonArray *array = NULL;

  if (next_page_token)
    *next_page_token = NULL;
  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *node = json_object_get_member (object, "data");

      if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
        node = json_object_get_member (object, "models");
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        array = json_node_get_array (node);
    }

  if (array == NULL)
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The model list from the server has no “data” array"));
      return NULL;
    }

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_model_info_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *id;
      NatterModelInfo *info;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      id = object_string (object, "id");
      if (id == NULL)
        id = object_string (object, "model");
      if (id == NULL)
        id = object_string (object, "name");
      if (id == NULL || *id == '\0')
        continue;

      info = natter_model_info_new (id);
      if (object_string (object, "name") != NULL && !g_str_equal (object_string (object, "name"), id))
        info->display_name = g_strdup (object_string (object, "name"));
      if (json_object_has_member (object, "context_length") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "context_length")))
        info->context_length = natter_json_node_get_int (json_object_get_member (object, "context_length"), 0);
      else if (json_object_has_member (object, "max_model_len") &&
               JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "max_model_len")))
        info->context_length = natter_json_node_get_int (json_object_get_member (object, "max_model_len"), 0);
      _natter_model_info_read_openrouter (info, object);
      g_ptr_array_add (models, info);
    }

  return g_steal_pointer (&models);
}

/* A price given per token as a string or number ("0.000003"), per million. */
static double
per_token_price (JsonObject *pricing,
                 const char *name)
{
  JsonNode *node;
  double value;

  if (pricing == NULL || !json_object_has_member (pricing, name))
    return -1;
  node = json_object_get_member (pricing, name);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      char *end = NULL;
      const char *text = json_node_get_string (node);

      value = g_ascii_strtod (text, &end);
      if (end == text || *end != '\0')
        return -1;
    }
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
           json_node_get_value_type (node) == G_TYPE_INT64)
    value = json_node_get_double (node);
  else
    return -1;
  if (!isfinite (value) || value < 0)
    return -1;
  return value * 1e6;
}

static gboolean
array_has_string (JsonObject *object,
                  const char *member,
                  const char *value)
{
  JsonArray *array;

  if (object == NULL || !json_object_has_member (object, member) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, member)))
    return FALSE;
  array = json_object_get_array_member (object, member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          g_str_equal (json_node_get_string (node), value))
        return TRUE;
    }
  return FALSE;
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  if (object == NULL || !json_object_has_member (object, member) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, member)))
    return NULL;
  return json_object_get_object_member (object, member);
}

void
_natter_model_info_read_openrouter (NatterModelInfo *info,
                                    JsonObject      *object)
{
  JsonObject *pricing = object_member (object, "pricing");
  JsonObject *architecture = object_member (object, "architecture");
  JsonObject *top = object_member (object, "top_provider");

  if (pricing != NULL)
    {
      info->input_price = per_token_price (pricing, "prompt");
      info->output_price = per_token_price (pricing, "completion");
      info->cache_read_price = per_token_price (pricing, "input_cache_read");
      info->cache_write_price = per_token_price (pricing, "input_cache_write");
    }
  if (top != NULL && json_object_has_member (top, "max_completion_tokens") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (top, "max_completion_tokens")))
    info->max_output = MAX (natter_json_node_get_int (json_object_get_member (top, "max_completion_tokens"), 0), 0);
  if (architecture != NULL && json_object_has_member (architecture, "input_modalities"))
    {
      info->capabilities_known = TRUE;
      if (array_has_string (architecture, "input_modalities", "image"))
        info->capabilities |= NATTER_MODEL_VISION;
    }
  if (json_object_has_member (object, "supported_parameters"))
    {
      info->capabilities_known = TRUE;
      if (array_has_string (object, "supported_parameters", "tools"))
        info->capabilities |= NATTER_MODEL_TOOLS;
      if (array_has_string (object, "supported_parameters", "reasoning") ||
          array_has_string (object, "supported_parameters", "include_reasoning"))
        info->capabilities |= NATTER_MODEL_REASONING;
      if (array_has_string (object, "supported_parameters", "structured_outputs") ||
          array_has_string (object, "supported_parameters", "response_format"))
        info->capabilities |= NATTER_MODEL_STRUCTURED_OUTPUT;
    }
}

/* Hot path */

cJSON *
_natter_cjson_parse (const char  *data,
                     gsize        len,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  cJSON *json;

  if (data != NULL && !natter_json_check_depth (data, (gssize) MIN (len, (gsize) G_MAXSSIZE),
                                                NATTER_JSON_MAX_DEPTH, &local_error))
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The server sent a reply that is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  json = data != NULL ? cJSON_ParseWithLength (data, len) : NULL;
  if (json == NULL)
    {
      g_autofree char *excerpt = g_utf8_make_valid (data != NULL ? data : "",
                                                    data != NULL ? (gssize) MIN (len, 80) : 0);

      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                   _("The server sent a stream event that is not valid JSON: “%s”"),
                   excerpt);
      return NULL;
    }

  return json;
}

const char *
_natter_cjson_string (const cJSON *object,
                      const char  *name)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive (object, name);

  return cJSON_IsString (item) ? item->valuestring : NULL;
}

gint64
_natter_cjson_int (const cJSON *object,
                   const char  *name)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive (object, name);

  return cJSON_IsNumber (item) ? natter_json_clamp_int (item->valuedouble, G_MININT64, G_MAXINT64) : -1;
}

NatterErrorCategory
_natter_error_category_from_word (const char *word)
{
  static const struct {
    const char *needle;
    NatterErrorCategory category;
  } words[] = {
    { "overloaded", NATTER_ERROR_CATEGORY_OVERLOADED },
    { "unavailable", NATTER_ERROR_CATEGORY_OVERLOADED },
    { "rate_limit", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "rate-limit", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "resource_exhausted", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "insufficient_quota", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "too_many_requests", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "authentication", NATTER_ERROR_CATEGORY_AUTH },
    { "unauthenticated", NATTER_ERROR_CATEGORY_AUTH },
    { "permission", NATTER_ERROR_CATEGORY_AUTH },
    { "invalid_api_key", NATTER_ERROR_CATEGORY_AUTH },
    { "unauthorized", NATTER_ERROR_CATEGORY_AUTH },
    { "not_found", NATTER_ERROR_CATEGORY_NOT_FOUND },
    { "invalid_request", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "invalid_argument", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "failed_precondition", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "bad_request", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "context_length", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "deadline_exceeded", NATTER_ERROR_CATEGORY_TIMEOUT },
    { "timeout", NATTER_ERROR_CATEGORY_TIMEOUT },
    { "api_error", NATTER_ERROR_CATEGORY_SERVER },
    { "server_error", NATTER_ERROR_CATEGORY_SERVER },
    { "internal", NATTER_ERROR_CATEGORY_SERVER },
  };

  if (word == NULL)
    return NATTER_ERROR_CATEGORY_SERVER;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gsize nlen = strlen (words[i].needle);

      for (const char *p = word; *p != '\0'; p++)
        if (g_ascii_strncasecmp (p, words[i].needle, nlen) == 0)
          return words[i].category;
    }

  return NATTER_ERROR_CATEGORY_SERVER;
}

void
_natter_emit_error_json (const cJSON     *error,
                         NatterDeltaFunc  emit,
                         gpointer         user_data)
{
  NatterErrorCategory category = NATTER_ERROR_CATEGORY_SERVER;
  const char *message = NULL;

  if (cJSON_IsString (error))
    message = error->valuestring;
  else if (cJSON_IsObject (error))
    {
      const cJSON *code = cJSON_GetObjectItemCaseSensitive (error, "code");
      const char *word;

      message = _natter_cjson_string (error, "message");
      if ((word = _natter_cjson_string (error, "type")) != NULL ||
          (word = _natter_cjson_string (error, "status")) != NULL ||
          (word = _natter_cjson_string (error, "code")) != NULL)
        category = _natter_error_category_from_word (word);
      else if (cJSON_IsNumber (code) && code->valuedouble >= 400)
        category = natter_error_category_from_status ((guint) natter_json_clamp_int (code->valuedouble, 0, G_MAXUINT));

      /* A specific code beats a generic type ("invalid_request_error" with
       * code "model_not_found"). */
      if (cJSON_IsString (code))
        {
          NatterErrorCategory from_code = _natter_error_category_from_word (code->valuestring);

          if (from_code != NATTER_ERROR_CATEGORY_SERVER)
            category = from_code;
        }
      else if (cJSON_IsNumber (code) && code->valuedouble >= 400 &&
               category == NATTER_ERROR_CATEGORY_SERVER)
        category = natter_error_category_from_status ((guint) natter_json_clamp_int (code->valuedouble, 0, G_MAXUINT));
    }

  _natter_emit_error (category, message ? message : _("The provider reported an error"),
                      emit, user_data);
}

void
_natter_emit_text (NatterDeltaKind  kind,
                   const char      *text,
                   NatterDeltaFunc  emit,
                   gpointer         user_data)
{
  NatterDelta delta;

  if (text == NULL || text[0] == '\0')
    return;

  natter_delta_init (&delta, kind);
  delta.text = text;
  delta.len = strlen (text);
  emit (&delta, user_data);
}

void
_natter_emit_usage (gint64           input_tokens,
                    gint64           output_tokens,
                    NatterDeltaFunc  emit,
                    gpointer         user_data)
{
  NatterDelta delta;

  if (input_tokens < 0 && output_tokens < 0)
    return;

  natter_delta_init (&delta, NATTER_DELTA_USAGE);
  delta.input_tokens = input_tokens;
  delta.output_tokens = output_tokens;
  emit (&delta, user_data);
}

void
_natter_emit_usage_full (gint64           input_tokens,
                         gint64           output_tokens,
                         gint64           cache_read_tokens,
                         gint64           cache_write_tokens,
                         double           cost,
                         NatterDeltaFunc  emit,
                         gpointer         user_data)
{
  NatterDelta delta;

  if (input_tokens < 0 && output_tokens < 0 && cache_read_tokens < 0 &&
      cache_write_tokens < 0 && cost < 0)
    return;

  natter_delta_init (&delta, NATTER_DELTA_USAGE);
  delta.input_tokens = input_tokens;
  delta.output_tokens = output_tokens;
  delta.cache_read_tokens = cache_read_tokens;
  delta.cache_write_tokens = cache_write_tokens;
  delta.cost = cost;
  emit (&delta, user_data);
}

void
_natter_emit_finish (const char      *reason,
                     NatterDeltaFunc  emit,
                     gpointer         user_data)
{
  NatterDelta delta;

  if (reason == NULL || reason[0] == '\0')
    return;

  natter_delta_init (&delta, NATTER_DELTA_FINISH);
  delta.finish_reason = reason;
  emit (&delta, user_data);
}

void
_natter_emit_done (NatterDeltaFunc emit,
                   gpointer        user_data)
{
  NatterDelta delta;

  natter_delta_init (&delta, NATTER_DELTA_DONE);
  emit (&delta, user_data);
}

void
_natter_emit_error (NatterErrorCategory  category,
                    const char          *message,
                    NatterDeltaFunc      emit,
                    gpointer             user_data)
{
  NatterDelta delta;

  natter_delta_init (&delta, NATTER_DELTA_ERROR);
  delta.error_category = category;
  delta.error_message = message;
  emit (&delta, user_data);
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
  if (data == NULL || !json_parser_load_from_data (parser, data, len, NULL))
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
