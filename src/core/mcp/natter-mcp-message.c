/* natter-mcp-message.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "natter-json.h"
#include "natter-mcp-message.h"

G_DEFINE_QUARK (natter-mcp-error-quark, natter_mcp_error)

static const char * const supported_versions[] = {
  "2024-11-05",
  "2025-03-26",
  "2025-06-18",
  "2025-11-25",
};

gboolean
natter_mcp_protocol_version_supported (const char *version)
{
  if (version == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (supported_versions); i++)
    if (g_str_equal (version, supported_versions[i]))
      return TRUE;
  return FALSE;
}

void
natter_mcp_message_free (NatterMcpMessage *message)
{
  if (message == NULL)
    return;
  g_clear_pointer (&message->id, json_node_unref);
  g_clear_pointer (&message->params, json_node_unref);
  g_clear_pointer (&message->result, json_node_unref);
  g_free (message->method);
  g_free (message->error_message);
  g_free (message);
}

gint64
natter_mcp_message_get_int_id (const NatterMcpMessage *message)
{
  g_return_val_if_fail (message != NULL, -1);

  if (message->id == NULL || json_node_get_value_type (message->id) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (message->id);
}

static gboolean
protocol_error (GError     **error,
                const char  *reason)
{
  g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
               _("The server sent an invalid message: %s"), reason);
  return FALSE;
}

static gboolean
valid_id (JsonNode *id)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (id))
    return FALSE;
  type = json_node_get_value_type (id);
  return type == G_TYPE_INT64 || type == G_TYPE_STRING;
}

static NatterMcpMessage *
parse_one (JsonNode  *node,
           GError   **error)
{
  g_autoptr(NatterMcpMessage) message = g_new0 (NatterMcpMessage, 1);
  JsonObject *object;
  JsonNode *id;
  JsonNode *member;
  const char *version;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return protocol_error (error, _("not a JSON object")), NULL;
  object = json_node_get_object (node);

  version = natter_json_object_get_string (object, "jsonrpc");
  if (g_strcmp0 (version, "2.0") != 0)
    return protocol_error (error, _("not JSON-RPC 2.0")), NULL;

  id = json_object_get_member (object, "id");
  if (id != NULL && JSON_NODE_HOLDS_NULL (id))
    id = NULL;
  if (id != NULL && !valid_id (id))
    return protocol_error (error, _("an id that is neither a number nor a string")), NULL;
  if (id != NULL)
    message->id = json_node_copy (id);

  if (json_object_has_member (object, "method"))
    {
      const char *method = natter_json_object_get_string (object, "method");

      if (method == NULL || *method == '\0' ||
          !JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "method")))
        return protocol_error (error, _("a method that is not a string")), NULL;
      message->method = g_strdup (method);
      member = json_object_get_member (object, "params");
      if (member != NULL && !JSON_NODE_HOLDS_OBJECT (member) && !JSON_NODE_HOLDS_ARRAY (member) &&
          !JSON_NODE_HOLDS_NULL (member))
        return protocol_error (error, _("parameters that are neither an object nor an array")), NULL;
      if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
        message->params = json_node_copy (member);
      message->kind = id != NULL ? NATTER_MCP_MESSAGE_REQUEST : NATTER_MCP_MESSAGE_NOTIFICATION;
      return g_steal_pointer (&message);
    }

  member = json_object_get_member (object, "error");
  if (member != NULL)
    {
      JsonObject *err;
      const char *text;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        return protocol_error (error, _("an error that is not an object")), NULL;
      err = json_node_get_object (member);
      message->kind = NATTER_MCP_MESSAGE_ERROR;
      message->error_code = natter_json_node_get_int (json_object_get_member (err, "code"), 0);
      text = natter_json_object_get_string (err, "message");
      message->error_message = g_utf8_make_valid (text != NULL && *text != '\0' ? text : _("unknown error"), -1);
      return g_steal_pointer (&message);
    }

  member = json_object_get_member (object, "result");
  if (member != NULL)
    {
      if (id == NULL)
        return protocol_error (error, _("a result without an id")), NULL;
      message->kind = NATTER_MCP_MESSAGE_RESULT;
      message->result = json_node_copy (member);
      return g_steal_pointer (&message);
    }

  return protocol_error (error, _("neither a request, a notification nor a response")), NULL;
}

GPtrArray *
natter_mcp_message_parse (const char  *data,
                          gsize        len,
                          GError     **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_mcp_message_free);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > NATTER_MCP_MAX_MESSAGE_SIZE)
    {
      g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                   _("The server sent a message larger than %d MiB."),
                   NATTER_MCP_MAX_MESSAGE_SIZE / (1024 * 1024));
      return NULL;
    }
  if (!g_utf8_validate_len (data, len, NULL))
    return protocol_error (error, _("text that is not UTF-8")), NULL;

  root = natter_json_parse (data, len, &local_error);
  if (root == NULL)
    return protocol_error (error, local_error->message), NULL;

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      guint n = json_array_get_length (array);

      if (n == 0)
        return protocol_error (error, _("an empty batch")), NULL;
      if (n > NATTER_MCP_MAX_BATCH)
        return protocol_error (error, _("a batch of too many messages")), NULL;
      for (guint i = 0; i < n; i++)
        {
          NatterMcpMessage *message = parse_one (json_array_get_element (array, i), error);

          if (message == NULL)
            return NULL;
          g_ptr_array_add (messages, message);
        }
    }
  else
    {
      NatterMcpMessage *message = parse_one (root, error);

      if (message == NULL)
        return NULL;
      g_ptr_array_add (messages, message);
    }

  return g_steal_pointer (&messages);
}

static char *
to_line (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
begin (JsonBuilder *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
}

static void
add_node (JsonBuilder *builder,
          const char  *name,
          JsonNode    *node)
{
  if (node == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, json_node_copy (node));
}

char *
natter_mcp_message_build_request (gint64      id,
                                  const char *method,
                                  JsonNode   *params)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  add_node (builder, "params", params);
  json_builder_end_object (builder);
  return to_line (builder);
}

char *
natter_mcp_message_build_notification (const char *method,
                                       JsonNode   *params)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  add_node (builder, "params", params);
  json_builder_end_object (builder);
  return to_line (builder);
}

char *
natter_mcp_message_build_result (JsonNode *id,
                                 JsonNode *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin (builder);
  add_node (builder, "id", id);
  json_builder_set_member_name (builder, "result");
  if (result != NULL)
    json_builder_add_value (builder, json_node_copy (result));
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return to_line (builder);
}

char *
natter_mcp_message_build_error (JsonNode   *id,
                                gint64      code,
                                const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  begin (builder);
  json_builder_set_member_name (builder, "id");
  if (id != NULL)
    json_builder_add_value (builder, json_node_copy (id));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return to_line (builder);
}
