/* natter-chat-store-chats.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-chat-store-private.h"

/* ---- chats ------------------------------------------------------------- */

gint64
natter_chat_store_new_chat (NatterChatStore  *self,
                            gint64            character_id,
                            const char       *title,
                            GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 new_id;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO chats (character_id, title, created_at, updated_at)"
                                        " VALUES (?1, ?2, ?3, ?3)", error)))
    return 0;

  bind_id_or_null (stmt, 1, character_id);
  bind_text (stmt, 2, title ? title : "");
  sqlite3_bind_int64 (stmt, 3, now_seconds ());

  if (!step_done (self, stmt, &local_error, _("Could not create the chat")))
    {
      /* The only constraint here is the character's foreign key. */
      if (g_error_matches (local_error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS))
        not_found (error, STORE_ITEM_CHARACTER, character_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }

  new_id = sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
  _natter_chat_store_emit_chat_changed (self, new_id);

  return new_id;
}

NatterChat *
chat_from_stmt (sqlite3_stmt *stmt)
{
  NatterChat *chat = g_object_new (NATTER_TYPE_CHAT, NULL);

  chat->id = sqlite3_column_int64 (stmt, 0);
  chat->character_id = sqlite3_column_int64 (stmt, 1);
  chat->title = dup_column_text (stmt, 2);
  chat->created_at = sqlite3_column_int64 (stmt, 3);
  chat->updated_at = sqlite3_column_int64 (stmt, 4);
  chat->parent_chat_id = sqlite3_column_int64 (stmt, 5);
  chat->branched_from_message_id = sqlite3_column_int64 (stmt, 6);
  chat->metadata = dup_column_text (stmt, 7);

  return chat;
}

GPtrArray *
natter_chat_store_list_chats (NatterChatStore  *self,
                              gint64            character_id,
                              GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) chats = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (character_id == 0)
    stmt = natter_database_prepare (self->db,
                                    "SELECT " CHAT_COLUMNS " FROM chats"
                                    " ORDER BY updated_at DESC, id DESC", error);
  else
    stmt = natter_database_prepare (self->db,
                                    "SELECT " CHAT_COLUMNS " FROM chats WHERE character_id = ?1"
                                    " ORDER BY updated_at DESC, id DESC", error);
  if (stmt == NULL)
    return NULL;

  if (character_id != 0)
    sqlite3_bind_int64 (stmt, 1, character_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (chats, chat_from_stmt (stmt));

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("Could not list the chats"));
      return NULL;
    }

  return g_steal_pointer (&chats);
}

NatterChat *
natter_chat_store_get_chat (NatterChatStore  *self,
                            gint64            chat_id,
                            GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " CHAT_COLUMNS " FROM chats WHERE id = ?1", error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, chat_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return chat_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("Could not read the chat"));
  else
    not_found (error, STORE_ITEM_CHAT, chat_id);

  return NULL;
}

gboolean
natter_chat_store_rename_chat (NatterChatStore  *self,
                               gint64            chat_id,
                               const char       *title,
                               GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (title != NULL, FALSE);

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE chats SET title = ?1 WHERE id = ?2", error)))
    return FALSE;

  bind_text (stmt, 1, title);
  sqlite3_bind_int64 (stmt, 2, chat_id);

  if (!step_done (self, stmt, error, _("Could not rename the chat")))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, STORE_ITEM_CHAT, chat_id);

  _natter_chat_store_emit_chat_changed (self, chat_id);

  return TRUE;
}

gboolean
natter_chat_store_set_chat_metadata (NatterChatStore  *self,
                                     gint64            chat_id,
                                     const char       *metadata_json,
                                     GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  sqlite3_stmt *stmt;
  JsonNode *root;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (metadata_json != NULL, FALSE);

  if (!json_parser_load_from_data (parser, metadata_json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("Chat metadata must be a JSON object."));
      return FALSE;
    }

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE chats SET metadata = ?1 WHERE id = ?2", error)))
    return FALSE;

  bind_text (stmt, 1, metadata_json);
  sqlite3_bind_int64 (stmt, 2, chat_id);

  if (!step_done (self, stmt, error, _("Could not save the chat")))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, STORE_ITEM_CHAT, chat_id);

  _natter_chat_store_emit_chat_changed (self, chat_id);

  return TRUE;
}

gboolean
natter_chat_store_delete_chat (NatterChatStore  *self,
                               gint64            chat_id,
                               GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!delete_by_id (self, "DELETE FROM chats WHERE id = ?1", chat_id,
                     STORE_ITEM_CHAT, _("Could not delete the chat"), error))
    return FALSE;

  _natter_chat_store_emit_chat_changed (self, chat_id);
  _natter_chat_store_emit_messages_changed (self, chat_id);

  return TRUE;
}

/* The position of @message_id, checking it belongs to @chat_id (0: any). */
gboolean
message_position (NatterChatStore  *self,
                  gint64            message_id,
                  gint64            chat_id,
                  gint64           *position,
                  gint64           *owner_chat_id,
                  GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT position, chat_id FROM messages WHERE id = ?1", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, message_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW &&
      (chat_id == 0 || sqlite3_column_int64 (stmt, 1) == chat_id))
    {
      if (position)
        *position = sqlite3_column_int64 (stmt, 0);
      if (owner_chat_id)
        *owner_chat_id = sqlite3_column_int64 (stmt, 1);
      return TRUE;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return natter_database_set_error (self->db, error, _("Could not read the message"));

  return not_found (error, STORE_ITEM_MESSAGE, message_id);
}

gint64
natter_chat_store_branch_chat (NatterChatStore  *self,
                               gint64            chat_id,
                               gint64            message_id,
                               const char       *title,
                               GError          **error)
{
  g_autoptr(NatterChat) parent = NULL;
  g_autofree char *default_title = NULL;
  sqlite3_stmt *stmt;
  gint64 position;
  gint64 new_id;
  gint64 now = now_seconds ();

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);

  if (!(parent = natter_chat_store_get_chat (self, chat_id, error)))
    return 0;

  if (title == NULL)
    {
      /* Translators: the title of a chat branched from the chat named %s */
      default_title = g_strdup_printf (_("%s (branch)"), parent->title);
      title = default_title;
    }

  if (!natter_database_begin (self->db, error))
    return 0;

  if (!message_position (self, message_id, chat_id, &position, NULL, error))
    goto fail;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO chats (character_id, title, created_at, updated_at,"
                                        " parent_chat_id, branched_from_message_id, metadata)"
                                        " SELECT character_id, ?1, ?2, ?2, id, ?3, metadata"
                                        " FROM chats WHERE id = ?4", error)))
    goto fail;
  bind_text (stmt, 1, title);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, message_id);
  sqlite3_bind_int64 (stmt, 4, chat_id);
  if (!step_done (self, stmt, error, _("Could not branch the chat")))
    goto fail;
  new_id = sqlite3_last_insert_rowid (natter_database_get_handle (self->db));

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO messages (chat_id, position, role, name, created_at,"
                                        " swipe_index, extra)"
                                        " SELECT ?1, position, role, name, created_at, swipe_index, extra"
                                        " FROM messages WHERE chat_id = ?2 AND position <= ?3"
                                        " ORDER BY position", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, new_id);
  sqlite3_bind_int64 (stmt, 2, chat_id);
  sqlite3_bind_int64 (stmt, 3, position);
  if (!step_done (self, stmt, error, _("Could not branch the chat")))
    goto fail;

  /* A reply still streaming in the parent is not streaming in the copy. */
  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO swipes (message_id, idx, content, reasoning, state,"
                                        " error_category, error_message, model, created_at, extra)"
                                        " SELECT n.id, s.idx, s.content, s.reasoning,"
                                        " CASE s.state WHEN 'streaming' THEN 'incomplete' ELSE s.state END,"
                                        " s.error_category, s.error_message, s.model, s.created_at, s.extra"
                                        " FROM messages o JOIN swipes s ON s.message_id = o.id"
                                        " JOIN messages n ON n.chat_id = ?1 AND n.position = o.position"
                                        " WHERE o.chat_id = ?2 AND o.position <= ?3", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, new_id);
  sqlite3_bind_int64 (stmt, 2, chat_id);
  sqlite3_bind_int64 (stmt, 3, position);
  if (!step_done (self, stmt, error, _("Could not branch the chat")))
    goto fail;
  if (!_natter_chat_store_copy_attachments (self, new_id, chat_id, position, error))
    goto fail;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO lorebook_links (lorebook_id, chat_id)"
                                        " SELECT lorebook_id, ?1 FROM lorebook_links WHERE chat_id = ?2",
                                        error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, new_id);
  sqlite3_bind_int64 (stmt, 2, chat_id);
  if (!step_done (self, stmt, error, _("Could not branch the chat")))
    goto fail;

  /* A branch of a group chat is a group chat with the same members. */
  if (!_natter_chat_store_copy_group (self, chat_id, new_id, error))
    goto fail;

  if (!natter_database_commit (self->db, error))
    return 0;

  _natter_chat_store_emit_chat_changed (self, new_id);

  return new_id;

fail:
  natter_database_rollback (self->db);
  return 0;
}
