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
      natter_database_set_error (database, error, _("save the tool calls of a reply"));
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
