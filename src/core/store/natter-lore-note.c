/* natter-lore-note.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-lore-note"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "natter-lore-note.h"

gboolean
natter_lore_note_save (NatterDatabase  *database,
                       gint64           log_id,
                       const char      *lore_json,
                       GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (lore_json != NULL, FALSE);

  /* The note's row may not be there yet: make it, then fill in the lore. */
  stmt = natter_database_prepare (database,
                                  "INSERT INTO request_notes (log_id, lore) VALUES (?1, ?2)"
                                  " ON CONFLICT(log_id) DO UPDATE SET lore = excluded.lore", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, log_id);
  sqlite3_bind_text (stmt, 2, lore_json, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (database, error, _("Could not note the lorebook entries of a request"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

char *
natter_lore_note_get (NatterDatabase *database,
                      gint64          log_id)
{
  sqlite3_stmt *stmt;
  char *lore = NULL;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), NULL);

  stmt = natter_database_prepare (database, "SELECT lore FROM request_notes WHERE log_id = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, log_id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    lore = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return lore;
}
