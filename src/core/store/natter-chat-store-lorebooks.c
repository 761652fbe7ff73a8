/* natter-chat-store-lorebooks.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-chat-store-private.h"
#include "natter-chat-store-editing.h"

/* ---- lorebooks --------------------------------------------------------- */

gint64
natter_chat_store_add_lorebook (NatterChatStore  *self,
                                const char       *name,
                                const char       *book_json,
                                GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (name != NULL && book_json != NULL, 0);

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO lorebooks (name, book_json, created_at, updated_at)"
                                        " VALUES (?1, ?2, ?3, ?3)", error)))
    return 0;

  bind_text (stmt, 1, name);
  bind_text (stmt, 2, book_json);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());

  if (!step_done (self, stmt, error, _("Could not save the lorebook")))
    return 0;

  return sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
}

gboolean
natter_chat_store_delete_lorebook (NatterChatStore  *self,
                                   gint64            lorebook_id,
                                   GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  return delete_by_id (self, "DELETE FROM lorebooks WHERE id = ?1", lorebook_id,
                       STORE_ITEM_LOREBOOK, _("Could not delete the lorebook"), error);
}

static gboolean
check_link_target (gint64   character_id,
                   gint64   chat_id,
                   GError **error)
{
  if ((character_id == 0) == (chat_id == 0))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("A lorebook is attached to either a character or a chat."));
      return FALSE;
    }

  return TRUE;
}

gboolean
natter_chat_store_attach_lorebook (NatterChatStore  *self,
                                   gint64            lorebook_id,
                                   gint64            character_id,
                                   gint64            chat_id,
                                   GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!check_link_target (character_id, chat_id, error))
    return FALSE;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT OR IGNORE INTO lorebook_links (lorebook_id, character_id, chat_id)"
                                        " VALUES (?1, ?2, ?3)", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, lorebook_id);
  bind_id_or_null (stmt, 2, character_id);
  bind_id_or_null (stmt, 3, chat_id);

  return step_done (self, stmt, error, _("Could not attach the lorebook"));
}

gboolean
natter_chat_store_detach_lorebook (NatterChatStore  *self,
                                   gint64            lorebook_id,
                                   gint64            character_id,
                                   gint64            chat_id,
                                   GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!check_link_target (character_id, chat_id, error))
    return FALSE;

  if (!(stmt = natter_database_prepare (self->db,
                                        "DELETE FROM lorebook_links WHERE lorebook_id = ?1"
                                        " AND character_id IS ?2 AND chat_id IS ?3", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, lorebook_id);
  bind_id_or_null (stmt, 2, character_id);
  bind_id_or_null (stmt, 3, chat_id);

  return step_done (self, stmt, error, _("Could not detach the lorebook"));
}

GPtrArray *
natter_chat_store_list_lorebooks (NatterChatStore  *self,
                                  gint64            character_id,
                                  gint64            chat_id,
                                  GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_lorebook_row_free);
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!check_link_target (character_id, chat_id, error))
    return NULL;

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT b.id, b.name, b.book_json FROM lorebooks b"
                                        " JOIN lorebook_links l ON l.lorebook_id = b.id"
                                        " WHERE l.character_id IS ?1 AND l.chat_id IS ?2"
                                        " ORDER BY b.name COLLATE NOCASE, b.id", error)))
    return NULL;

  bind_id_or_null (stmt, 1, character_id);
  bind_id_or_null (stmt, 2, chat_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      NatterLorebookRow *row = g_new0 (NatterLorebookRow, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->name = dup_column_text (stmt, 1);
      row->book_json = dup_column_text (stmt, 2);
      g_ptr_array_add (rows, row);
    }

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("Could not list the lorebooks"));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* ---- editing and global lorebooks -------------------------------------- */

#define LOREBOOK_COLUMNS "id, name, book_json, is_global"

static NatterLorebookRow *
lorebook_from_stmt (sqlite3_stmt *stmt)
{
  NatterLorebookRow *row = g_new0 (NatterLorebookRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->name = dup_column_text (stmt, 1);
  row->book_json = dup_column_text (stmt, 2);
  row->is_global = sqlite3_column_int (stmt, 3) != 0;
  return row;
}

NatterLorebookRow *
natter_chat_store_get_lorebook (NatterChatStore  *self,
                                gint64            lorebook_id,
                                GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " LOREBOOK_COLUMNS " FROM lorebooks WHERE id = ?1",
                                        error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, lorebook_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return lorebook_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("Could not read the lorebook"));
  else
    not_found (error, STORE_ITEM_LOREBOOK, lorebook_id);
  return NULL;
}

NatterLorebookRow *
natter_chat_store_lookup_lorebook (NatterChatStore  *self,
                                   const char       *name,
                                   GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " LOREBOOK_COLUMNS " FROM lorebooks"
                                        " WHERE name = ?1 COLLATE NOCASE OR CAST(id AS TEXT) = ?1"
                                        " ORDER BY name = ?1 COLLATE NOCASE DESC, id LIMIT 1",
                                        error)))
    return NULL;
  bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return lorebook_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("Could not read the lorebook"));
  else
    g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                 _("There is no lorebook named “%s”."), name);
  return NULL;
}

static GPtrArray *
list_where (NatterChatStore  *self,
            const char       *sql,
            GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_lorebook_row_free);
  int rc;

  if (!(stmt = natter_database_prepare (self->db, sql, error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, lorebook_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("Could not list the lorebooks"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
natter_chat_store_list_all_lorebooks (NatterChatStore  *self,
                                      GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  return list_where (self, "SELECT " LOREBOOK_COLUMNS " FROM lorebooks"
                     " ORDER BY name COLLATE NOCASE, id", error);
}

GPtrArray *
natter_chat_store_list_global_lorebooks (NatterChatStore  *self,
                                         GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  return list_where (self, "SELECT " LOREBOOK_COLUMNS " FROM lorebooks WHERE is_global = 1"
                     " ORDER BY name COLLATE NOCASE, id", error);
}

gboolean
natter_chat_store_update_lorebook (NatterChatStore  *self,
                                   gint64            lorebook_id,
                                   const char       *name,
                                   const char       *book_json,
                                   GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (book_json != NULL, FALSE);

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE lorebooks SET name = IFNULL(?2, name), book_json = ?3,"
                                        " updated_at = ?4 WHERE id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, lorebook_id);
  if (name != NULL)
    bind_text (stmt, 2, name);
  else
    sqlite3_bind_null (stmt, 2);
  bind_text (stmt, 3, book_json);
  sqlite3_bind_int64 (stmt, 4, now_seconds ());
  if (!step_done (self, stmt, error, _("Could not save the lorebook")))
    return FALSE;
  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, STORE_ITEM_LOREBOOK, lorebook_id);
  return TRUE;
}

gboolean
natter_chat_store_set_lorebook_global (NatterChatStore  *self,
                                       gint64            lorebook_id,
                                       gboolean          is_global,
                                       GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE lorebooks SET is_global = ?2 WHERE id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, lorebook_id);
  sqlite3_bind_int (stmt, 2, is_global ? 1 : 0);
  if (!step_done (self, stmt, error, _("Could not change the lorebook")))
    return FALSE;
  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, STORE_ITEM_LOREBOOK, lorebook_id);
  return TRUE;
}
