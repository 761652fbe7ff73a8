/* natter-chat-store-characters.c
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

/* ---- characters -------------------------------------------------------- */

static char *
name_from_card (const char  *card_json,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  const char *name = NULL;

  if (!json_parser_load_from_data (parser, card_json, -1, &local_error))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The character card is not valid JSON: %s"), local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      object = json_node_get_object (root);
      if (json_object_has_member (object, "data") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "data")))
        {
          JsonObject *data = json_object_get_object_member (object, "data");

          if (json_object_has_member (data, "name"))
            name = json_node_get_string (json_object_get_member (data, "name"));
        }
      if ((name == NULL || name[0] == '\0') && json_object_has_member (object, "name"))
        name = json_node_get_string (json_object_get_member (object, "name"));
    }

  if (name == NULL || name[0] == '\0')
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The character card has no name."));
      return NULL;
    }

  return g_strdup (name);
}

gint64
natter_chat_store_add_character (NatterChatStore  *self,
                                 const char       *name,
                                 const char       *card_json,
                                 GBytes           *avatar,
                                 GError          **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *card_name = NULL;
  gint64 now = now_seconds ();
  gint64 id;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (card_json != NULL, 0);

  if (name == NULL || name[0] == '\0')
    {
      if (!(card_name = name_from_card (card_json, error)))
        return 0;
      name = card_name;
    }

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO characters (name, card_json, avatar, created_at, updated_at)"
                                        " VALUES (?1, ?2, ?3, ?4, ?4)", error)))
    return 0;

  bind_text (stmt, 1, name);
  bind_text (stmt, 2, card_json);
  bind_bytes (stmt, 3, avatar);
  sqlite3_bind_int64 (stmt, 4, now);

  if (!step_done (self, stmt, error, _("Could not save the character")))
    return 0;

  id = sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
  _natter_chat_store_emit_characters_changed (self);

  return id;
}

gboolean
natter_chat_store_update_character (NatterChatStore  *self,
                                    gint64            character_id,
                                    const char       *name,
                                    const char       *card_json,
                                    GBytes           *avatar,
                                    GError          **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *card_name = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (card_json != NULL, FALSE);

  if (name == NULL || name[0] == '\0')
    {
      if (!(card_name = name_from_card (card_json, error)))
        return FALSE;
      name = card_name;
    }

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE characters SET name = ?1, card_json = ?2, avatar = ?3,"
                                        " updated_at = ?4 WHERE id = ?5", error)))
    return FALSE;

  bind_text (stmt, 1, name);
  bind_text (stmt, 2, card_json);
  bind_bytes (stmt, 3, avatar);
  sqlite3_bind_int64 (stmt, 4, now_seconds ());
  sqlite3_bind_int64 (stmt, 5, character_id);

  if (!step_done (self, stmt, error, _("Could not save the character")))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, STORE_ITEM_CHARACTER, character_id);

  /* Chats show their character's name. */
  _natter_chat_store_emit_characters_changed (self);
  _natter_chat_store_emit_chat_changed (self, 0);

  return TRUE;
}

gboolean
natter_chat_store_delete_character (NatterChatStore  *self,
                                    gint64            character_id,
                                    GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!delete_by_id (self, "DELETE FROM characters WHERE id = ?1", character_id,
                     STORE_ITEM_CHARACTER, _("Could not delete the character"), error))
    return FALSE;

  _natter_chat_store_emit_characters_changed (self);
  _natter_chat_store_emit_chat_changed (self, 0);

  return TRUE;
}

#define CHARACTER_COLUMNS "id, name, card_json, avatar, created_at, updated_at"

static NatterCharacterRow *
character_from_stmt (sqlite3_stmt *stmt)
{
  NatterCharacterRow *row = g_new0 (NatterCharacterRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->name = dup_column_text (stmt, 1);
  row->card_json = dup_column_text (stmt, 2);
  row->avatar = dup_column_bytes (stmt, 3);
  row->created_at = sqlite3_column_int64 (stmt, 4);
  row->updated_at = sqlite3_column_int64 (stmt, 5);

  return row;
}

NatterCharacterRow *
natter_chat_store_get_character (NatterChatStore  *self,
                                 gint64            character_id,
                                 GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " CHARACTER_COLUMNS " FROM characters WHERE id = ?1",
                                        error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, character_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return character_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("Could not read the character"));
  else
    not_found (error, STORE_ITEM_CHARACTER, character_id);

  return NULL;
}

NatterCharacterRow *
natter_chat_store_lookup_character (NatterChatStore  *self,
                                    const char       *name,
                                    GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " CHARACTER_COLUMNS " FROM characters"
                                        " WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
                                        error)))
    return NULL;

  bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return character_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("Could not read the character"));
  else
    g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                 _("There is no character named “%s”."), name);

  return NULL;
}

GPtrArray *
natter_chat_store_list_characters (NatterChatStore  *self,
                                   GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_character_row_free);
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " CHARACTER_COLUMNS " FROM characters"
                                        " ORDER BY name COLLATE NOCASE, id", error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, character_from_stmt (stmt));

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("Could not list the characters"));
      return NULL;
    }

  return g_steal_pointer (&rows);
}
