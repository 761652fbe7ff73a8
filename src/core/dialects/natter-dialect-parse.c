/* natter-dialect-parse.c
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
#include "natter-json-writer.h"
#include "natter-json.h"

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
