/* natter-model-settings.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-model-settings"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-model-settings.h"

typedef enum
{
  KIND_STRING,
  KIND_PRICE,
  KIND_COUNT,
  KIND_CAPABILITY,
  KIND_FLAG,
} Kind;

static const struct
{
  const char *key;
  Kind        kind;
  guint       bit;
} keys[] = {
  { "alias", KIND_STRING, 0 },
  { "display_name", KIND_STRING, 0 },
  { "input_price", KIND_PRICE, 0 },
  { "output_price", KIND_PRICE, 0 },
  { "cache_read_price", KIND_PRICE, 0 },
  { "cache_write_price", KIND_PRICE, 0 },
  { "context", KIND_COUNT, 0 },
  { "max_output", KIND_COUNT, 0 },
  { "vision", KIND_CAPABILITY, NATTER_MODEL_VISION },
  { "tools", KIND_CAPABILITY, NATTER_MODEL_TOOLS },
  { "reasoning", KIND_CAPABILITY, NATTER_MODEL_REASONING },
  { "structured_output", KIND_CAPABILITY, NATTER_MODEL_STRUCTURED_OUTPUT },
  { "no_streaming", KIND_FLAG, NATTER_MODEL_NO_STREAMING },
  { "no_system_message", KIND_FLAG, NATTER_MODEL_NO_SYSTEM_MESSAGE },
  { "system_prefix", KIND_STRING, 0 },
  { "max_tokens_required", KIND_FLAG, NATTER_MODEL_MAX_TOKENS_REQUIRED },
};

const char * const *
natter_model_settings_keys (void)
{
  static const char *names[G_N_ELEMENTS (keys) + 1];

  if (names[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      names[i] = keys[i].key;
  return names;
}

static double *
price_slot (NatterModelInfo *info,
            const char      *key)
{
  if (g_str_equal (key, "input_price"))
    return &info->input_price;
  if (g_str_equal (key, "output_price"))
    return &info->output_price;
  if (g_str_equal (key, "cache_read_price"))
    return &info->cache_read_price;
  return &info->cache_write_price;
}

static char **
string_slot (NatterModelInfo *info,
             const char      *key)
{
  if (g_str_equal (key, "alias"))
    return &info->alias;
  if (g_str_equal (key, "display_name"))
    return &info->display_name;
  return &info->system_prefix;
}

static void
apply_object (NatterModelInfo *info,
              JsonObject      *object)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      JsonNode *node;
      GType type;

      if (!json_object_has_member (object, keys[i].key))
        continue;
      node = json_object_get_member (object, keys[i].key);
      if (!JSON_NODE_HOLDS_VALUE (node))
        continue;
      type = json_node_get_value_type (node);

      switch (keys[i].kind)
        {
        case KIND_STRING:
          if (type == G_TYPE_STRING && strlen (json_node_get_string (node)) < 4096)
            {
              char **slot = string_slot (info, keys[i].key);

              g_free (*slot);
              *slot = g_strdup (json_node_get_string (node));
            }
          break;
        case KIND_PRICE:
          if (type == G_TYPE_DOUBLE || type == G_TYPE_INT64)
            {
              double value = json_node_get_double (node);

              if (isfinite (value) && value >= 0)
                *price_slot (info, keys[i].key) = value;
            }
          break;
        case KIND_COUNT:
          if (type == G_TYPE_INT64 && json_node_get_int (node) > 0)
            {
              if (g_str_equal (keys[i].key, "context"))
                info->context_length = json_node_get_int (node);
              else
                info->max_output = json_node_get_int (node);
            }
          break;
        case KIND_CAPABILITY:
          if (type == G_TYPE_BOOLEAN)
            {
              info->capabilities_known = TRUE;
              if (json_node_get_boolean (node))
                info->capabilities |= keys[i].bit;
              else
                info->capabilities &= ~keys[i].bit;
            }
          break;
        case KIND_FLAG:
        default:
          if (type == G_TYPE_BOOLEAN)
            {
              if (json_node_get_boolean (node))
                info->flags |= keys[i].bit;
              else
                info->flags &= ~keys[i].bit;
            }
          break;
        }
    }
}

static JsonObject *
model_object (JsonObject *settings,
              const char *member,
              const char *model_id)
{
  JsonObject *models;

  if (settings == NULL || model_id == NULL || !json_object_has_member (settings, member) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (settings, member)))
    return NULL;
  models = json_object_get_object_member (settings, member);
  if (!json_object_has_member (models, model_id) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (models, model_id)))
    return NULL;
  return json_object_get_object_member (models, model_id);
}

void
natter_model_info_apply_settings (NatterModelInfo *info,
                                  JsonObject      *settings)
{
  JsonObject *object;

  g_return_if_fail (info != NULL);

  if ((object = model_object (settings, "model_meta", info->id)) != NULL)
    apply_object (info, object);
  if ((object = model_object (settings, "models", info->id)) != NULL)
    apply_object (info, object);
}

void
natter_model_info_apply_object (NatterModelInfo *info,
                                JsonObject      *object)
{
  g_return_if_fail (info != NULL);

  if (object != NULL)
    apply_object (info, object);
}

NatterModelInfo *
natter_model_settings_lookup (JsonObject     *settings,
                              const char     *model_id,
                              NatterProvider *provider)
{
  NatterModelInfo *info = natter_model_info_new (model_id ? model_id : "");

  if (provider != NULL)
    natter_model_info_apply_object (info, natter_provider_get_model_info (provider, model_id));
  natter_model_info_apply_settings (info, settings);
  if (info->context_length <= 0 && provider != NULL && natter_provider_get_context_size (provider) > 0)
    info->context_length = natter_provider_get_context_size (provider);
  return info;
}

static gboolean
parse_bool (const char *value,
            gboolean   *out)
{
  if (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1") ||
      g_ascii_strcasecmp (value, "yes") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0") ||
           g_ascii_strcasecmp (value, "no") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

gboolean
natter_model_settings_set (JsonObject  *settings,
                           const char  *model_id,
                           const char  *key,
                           const char  *value,
                           GError     **error)
{
  JsonObject *models;
  JsonObject *object;
  gint found = -1;

  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (model_id != NULL && key != NULL && value != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (keys[i].key, key))
      found = (gint) i;
  if (found < 0)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) natter_model_settings_keys ());

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Unknown model setting “%s”: use one of %s"), key, known);
      return FALSE;
    }

  if (!json_object_has_member (settings, "models") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (settings, "models")))
    json_object_set_object_member (settings, "models", json_object_new ());
  models = json_object_get_object_member (settings, "models");
  if (!json_object_has_member (models, model_id) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (models, model_id)))
    json_object_set_object_member (models, model_id, json_object_new ());
  object = json_object_get_object_member (models, model_id);

  if (*value == '\0' || g_str_equal (value, "none"))
    {
      json_object_remove_member (object, key);
      if (json_object_get_size (object) == 0)
        json_object_remove_member (models, model_id);
      return TRUE;
    }

  switch (keys[found].kind)
    {
    case KIND_STRING:
      json_object_set_string_member (object, key, value);
      return TRUE;
    case KIND_PRICE:
      {
        char *end = NULL;
        double price = g_ascii_strtod (value, &end);

        if (end == value || *end != '\0' || !isfinite (price) || price < 0)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("“%s” must be US dollars per million tokens, like 2.5, not “%s”"), key, value);
            return FALSE;
          }
        json_object_set_double_member (object, key, price);
        return TRUE;
      }
    case KIND_COUNT:
      {
        guint64 count = 0;

        if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXINT32, &count, NULL))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("“%s” must be a whole number of tokens, not “%s”"), key, value);
            return FALSE;
          }
        json_object_set_int_member (object, key, (gint64) count);
        return TRUE;
      }
    case KIND_CAPABILITY:
    case KIND_FLAG:
    default:
      {
        gboolean b;

        if (!parse_bool (value, &b))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("“%s” must be true or false, not “%s”"), key, value);
            return FALSE;
          }
        json_object_set_boolean_member (object, key, b);
        return TRUE;
      }
    }
}

static JsonObject *
info_to_object (const NatterModelInfo *info,
                gboolean               with_nulls)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *key = keys[i].key;

      switch (keys[i].kind)
        {
        case KIND_STRING:
          {
            const char *value = *string_slot ((NatterModelInfo *) info, key);

            if (value != NULL)
              json_object_set_string_member (object, key, value);
            else if (with_nulls)
              json_object_set_null_member (object, key);
          }
          break;
        case KIND_PRICE:
          {
            double value = *price_slot ((NatterModelInfo *) info, key);

            if (value >= 0)
              json_object_set_double_member (object, key, value);
            else if (with_nulls)
              json_object_set_null_member (object, key);
          }
          break;
        case KIND_COUNT:
          {
            gint64 value = g_str_equal (key, "context") ? info->context_length : info->max_output;

            if (value > 0)
              json_object_set_int_member (object, key, value);
            else if (with_nulls)
              json_object_set_null_member (object, key);
          }
          break;
        case KIND_CAPABILITY:
          if (info->capabilities_known)
            json_object_set_boolean_member (object, key, (info->capabilities & keys[i].bit) != 0);
          else if (with_nulls)
            json_object_set_null_member (object, key);
          break;
        case KIND_FLAG:
        default:
          if (with_nulls || (info->flags & keys[i].bit) != 0)
            json_object_set_boolean_member (object, key, (info->flags & keys[i].bit) != 0);
          break;
        }
    }
  return object;
}

void
natter_model_settings_store_meta (JsonObject *settings,
                                  GPtrArray  *models)
{
  JsonObject *meta = json_object_new ();

  g_return_if_fail (settings != NULL);

  for (guint i = 0; models != NULL && i < models->len; i++)
    {
      const NatterModelInfo *info = g_ptr_array_index (models, i);
      JsonObject *object;

      if (info->id == NULL)
        continue;
      object = info_to_object (info, FALSE);
      /* The alias and flags are the person's, never the provider's. */
      json_object_remove_member (object, "alias");
      if (json_object_get_size (object) == 0)
        json_object_unref (object);
      else
        json_object_set_object_member (meta, info->id, object);
    }
  if (json_object_get_size (meta) == 0)
    {
      json_object_unref (meta);
      json_object_remove_member (settings, "model_meta");
      return;
    }
  json_object_set_object_member (settings, "model_meta", meta);
}

JsonNode *
natter_model_info_to_json (const NatterModelInfo *info)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (info != NULL, NULL);

  object = info_to_object (info, TRUE);
  json_object_set_string_member (object, "id", info->id);
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}
