/* natter-chat-schema.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-schema"

#include "config.h"

#include "natter-chat-schema.h"
#include "natter-json.h"

#define KEY "response_format"

void
natter_chat_schema_free (NatterChatSchema *schema)
{
  if (schema == NULL)
    return;
  g_free (schema->name);
  g_clear_pointer (&schema->schema, json_object_unref);
  g_free (schema);
}

static JsonObject *
metadata (NatterChatStore *store,
          gint64           chat_id,
          GError         **error)
{
  g_autoptr(NatterChat) chat = natter_chat_store_get_chat (store, chat_id, error);
  g_autoptr(JsonNode) root = NULL;

  if (chat == NULL)
    return NULL;
  root = natter_json_parse (natter_chat_get_metadata (chat), -1, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return json_object_ref (json_node_get_object (root));
  return json_object_new ();
}

NatterChatSchema *
natter_chat_schema_get (NatterChatStore *store,
                        gint64           chat_id)
{
  g_autoptr(JsonObject) meta = NULL;
  JsonObject *format;
  JsonNode *node;
  NatterChatSchema *schema;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  meta = metadata (store, chat_id, NULL);
  if (meta == NULL || (node = json_object_get_member (meta, KEY)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  format = json_node_get_object (node);
  schema = g_new0 (NatterChatSchema, 1);
  node = json_object_get_member (format, "name");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    schema->name = g_strdup (json_node_get_string (node));
  node = json_object_get_member (format, "enabled");
  schema->enabled = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                    json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
  node = json_object_get_member (format, "schema");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    schema->schema = json_object_ref (json_node_get_object (node));
  return schema;
}

gboolean
natter_chat_schema_set (NatterChatStore  *store,
                        gint64            chat_id,
                        const char       *name,
                        gboolean          enabled,
                        JsonObject       *schema,
                        GError          **error)
{
  g_autoptr(JsonObject) meta = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), FALSE);

  meta = metadata (store, chat_id, error);
  if (meta == NULL)
    return FALSE;
  if (schema == NULL)
    json_object_remove_member (meta, KEY);
  else
    {
      JsonObject *format = json_object_new ();

      json_object_set_string_member (format, "name", name != NULL ? name : "");
      json_object_set_boolean_member (format, "enabled", enabled);
      json_object_set_object_member (format, "schema", json_object_ref (schema));
      json_object_set_object_member (meta, KEY, format);
    }
  root = json_node_init_object (json_node_alloc (), meta);
  json = json_to_string (root, FALSE);
  return natter_chat_store_set_chat_metadata (store, chat_id, json, error);
}

void
natter_chat_schema_apply (NatterChatStore *store,
                          gint64           chat_id,
                          NatterPrompt    *prompt)
{
  g_autoptr(NatterChatSchema) schema = NULL;
  g_autofree char *name = NULL;

  if (store == NULL || chat_id == 0 || prompt == NULL)
    return;
  schema = natter_chat_schema_get (store, chat_id);
  if (schema == NULL || !schema->enabled || schema->schema == NULL)
    return;
  /* OpenAI wants a name of [a-zA-Z0-9_-]. */
  name = g_strdup (schema->name != NULL && *schema->name != '\0' ? schema->name : "answer");
  g_strcanon (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", '_');
  natter_prompt_set_schema (prompt, schema->schema, name);
}
