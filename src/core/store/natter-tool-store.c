/* natter-tool-store.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-tool-store"

#include "config.h"

#include <sqlite3.h>

#include <glib/gi18n-lib.h>

#include "natter-json-writer.h"
#include "natter-json.h"
#include "natter-tool-store.h"

gboolean
natter_tool_store_set_events (NatterDatabase  *database,
                              gint64           message_id,
                              const char      *events_json,
                              GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (events_json != NULL, FALSE);

  /* An extra that is not valid JSON (hand-edited, imported) is replaced
   * rather than failing the reply. */
  stmt = natter_database_prepare (database,
                                  "UPDATE swipes SET extra = json_set("
                                  "  CASE WHEN json_valid(extra) AND json_type(extra) = 'object'"
                                  "       THEN extra ELSE '{}' END,"
                                  "  '$.natter_tool_events', json(?2))"
                                  " WHERE message_id = ?1"
                                  " AND idx = (SELECT swipe_index FROM messages WHERE id = ?1)",
                                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message_id);
  sqlite3_bind_text (stmt, 2, events_json, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (database, error, _("Could not save the tool calls of a reply"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

char *
natter_tool_store_dup_events (NatterDatabase *database,
                              gint64          message_id)
{
  sqlite3_stmt *stmt;
  char *json = NULL;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), NULL);

  stmt = natter_database_prepare (database,
                                  "SELECT json_extract(s.extra, '$.natter_tool_events')"
                                  " FROM swipes s JOIN messages m"
                                  " ON s.message_id = m.id AND s.idx = m.swipe_index"
                                  " WHERE m.id = ?1 AND json_valid(s.extra)",
                                  NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, message_id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) == SQLITE_TEXT)
    json = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return json;
}

#define ALLOWED_MEMBER "natter_allowed_tools"

/* The chat's metadata as an object (a new one when unreadable). */
static JsonNode *
chat_metadata (NatterChatStore *store,
               gint64           chat_id)
{
  g_autoptr(NatterChat) chat = natter_chat_store_get_chat (store, chat_id, NULL);
  JsonNode *node = NULL;

  if (chat != NULL)
    node = natter_json_parse (natter_chat_get_metadata (chat), -1, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_clear_pointer (&node, json_node_unref);
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, json_object_new ());
    }
  return node;
}

GStrv
natter_tool_store_dup_allowed (NatterChatStore *store,
                               gint64           chat_id)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *list;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  node = chat_metadata (store, chat_id);
  list = json_object_get_member (json_node_get_object (node), ALLOWED_MEMBER);
  for (guint i = 0; list != NULL && JSON_NODE_HOLDS_ARRAY (list) &&
       i < json_array_get_length (json_node_get_array (list)) && i < 1024; i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (list), i);

      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (item));
    }
  return g_strv_builder_end (builder);
}

gboolean
natter_tool_store_allow (NatterChatStore  *store,
                         gint64            chat_id,
                         const char       *server_tool,
                         GError          **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_auto(GStrv) allowed = NULL;
  g_autofree char *text = NULL;
  JsonArray *list;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), FALSE);
  g_return_val_if_fail (server_tool != NULL, FALSE);

  allowed = natter_tool_store_dup_allowed (store, chat_id);
  if (g_strv_contains ((const char * const *) allowed, server_tool))
    return TRUE;
  node = chat_metadata (store, chat_id);
  list = json_array_new ();
  for (guint i = 0; allowed[i] != NULL; i++)
    json_array_add_string_element (list, allowed[i]);
  json_array_add_string_element (list, server_tool);
  json_object_set_array_member (json_node_get_object (node), ALLOWED_MEMBER, list);
  text = natter_json_to_string (node, 0);
  return natter_chat_store_set_chat_metadata (store, chat_id, text, error);
}
