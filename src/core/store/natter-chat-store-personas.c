/* natter-chat-store-personas.c
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

/* ---- personas ---------------------------------------------------------- */

gint64
natter_chat_store_add_persona (NatterChatStore  *self,
                               const char       *name,
                               const char       *description,
                               GBytes           *avatar,
                               GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO personas (name, description, avatar, created_at, updated_at)"
                                        " VALUES (?1, ?2, ?3, ?4, ?4)", error)))
    return 0;

  bind_text (stmt, 1, name);
  bind_text (stmt, 2, description ? description : "");
  bind_bytes (stmt, 3, avatar);
  sqlite3_bind_int64 (stmt, 4, now_seconds ());

  if (!step_done (self, stmt, error, _("Could not save the persona")))
    return 0;

  return sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
}

gboolean
natter_chat_store_set_default_persona (NatterChatStore  *self,
                                       gint64            persona_id,
                                       GError          **error)
{
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!natter_database_begin (self->db, error))
    return FALSE;

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE personas SET is_default = 0 WHERE is_default = 1", error)) ||
      !step_done (self, stmt, error, _("Could not change the default persona")))
    goto fail;

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE personas SET is_default = 1 WHERE id = ?1", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  if (!step_done (self, stmt, error, _("Could not change the default persona")))
    goto fail;

  found = sqlite3_changes (natter_database_get_handle (self->db)) > 0;
  if (!found)
    {
      not_found (error, STORE_ITEM_PERSONA, persona_id);
      goto fail;
    }

  return natter_database_commit (self->db, error);

fail:
  natter_database_rollback (self->db);
  return FALSE;
}

gint64
natter_chat_store_set_user_persona (NatterChatStore  *self,
                                    const char       *name,
                                    const char       *description,
                                    GError          **error)
{
  g_autofree char *trimmed = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  trimmed = g_strstrip (g_strdup (name));
  if (trimmed[0] == '\0')
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("Your name cannot be empty."));
      return 0;
    }

  if (!natter_database_begin (self->db, error))
    return 0;

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT id FROM personas WHERE is_default = 1", error)))
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (id != 0)
    {
      if (!(stmt = natter_database_prepare (self->db,
                                            "UPDATE personas SET name = ?2, description = ?3,"
                                            " updated_at = ?4 WHERE id = ?1", error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
    }
  else
    {
      if (!(stmt = natter_database_prepare (self->db,
                                            "INSERT INTO personas (name, description, is_default,"
                                            " created_at, updated_at) VALUES (?2, ?3, 1, ?4, ?4)",
                                            error)))
        goto fail;
    }
  bind_text (stmt, 2, trimmed);
  bind_text (stmt, 3, description ? description : "");
  sqlite3_bind_int64 (stmt, 4, now_seconds ());
  if (!step_done (self, stmt, error, _("Could not save the persona")))
    goto fail;

  if (id == 0)
    id = sqlite3_last_insert_rowid (natter_database_get_handle (self->db));

  if (!natter_database_commit (self->db, error))
    return 0;

  return id;

fail:
  natter_database_rollback (self->db);
  return 0;
}

#define PERSONA_COLUMNS "id, name, description, avatar, is_default, position"

static NatterPersonaRow *
persona_from_stmt (sqlite3_stmt *stmt)
{
  NatterPersonaRow *row = g_new0 (NatterPersonaRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->name = dup_column_text (stmt, 1);
  row->description = dup_column_text (stmt, 2);
  row->avatar = dup_column_bytes (stmt, 3);
  row->is_default = sqlite3_column_int (stmt, 4) != 0;
  row->position = dup_column_text (stmt, 5);

  return row;
}

NatterPersonaRow *
natter_chat_store_get_default_persona (NatterChatStore  *self,
                                       GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " PERSONA_COLUMNS " FROM personas"
                                        " WHERE is_default = 1", error)))
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return persona_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("Could not read the persona"));

  return NULL;
}

GPtrArray *
natter_chat_store_list_personas (NatterChatStore  *self,
                                 GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_persona_row_free);
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " PERSONA_COLUMNS " FROM personas"
                                        " ORDER BY name COLLATE NOCASE, id", error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, persona_from_stmt (stmt));

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("Could not list the personas"));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

gboolean
natter_chat_store_delete_persona (NatterChatStore  *self,
                                  gint64            persona_id,
                                  GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  return delete_by_id (self, "DELETE FROM personas WHERE id = ?1", persona_id,
                       STORE_ITEM_PERSONA, _("Could not delete the persona"), error);
}

/* ---- more personas and persona locks ----------------------------------- */

gboolean
natter_persona_position_is_valid (const char *position)
{
  static const char * const positions[] = {
    NATTER_PERSONA_POSITION_IN_PROMPT, NATTER_PERSONA_POSITION_TOP_AN,
    NATTER_PERSONA_POSITION_BOTTOM_AN, NATTER_PERSONA_POSITION_AT_DEPTH,
    NATTER_PERSONA_POSITION_NONE,
  };

  if (position == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    if (g_str_equal (position, positions[i]))
      return TRUE;
  return FALSE;
}

gboolean
natter_chat_store_update_persona (NatterChatStore  *self,
                                  gint64            persona_id,
                                  const char       *name,
                                  const char       *description,
                                  GBytes           *avatar,
                                  const char       *position,
                                  GError          **error)
{
  g_autofree char *trimmed = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (name));
  if (trimmed[0] == '\0')
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("A persona needs a name."));
      return FALSE;
    }
  if (position != NULL && !natter_persona_position_is_valid (position))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("Unknown description position “%s”."), position);
      return FALSE;
    }

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE personas SET name = ?2, description = ?3, avatar = ?4,"
                                        " position = IFNULL(?5, position), updated_at = ?6"
                                        " WHERE id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  bind_text (stmt, 2, trimmed);
  bind_text (stmt, 3, description != NULL ? description : "");
  bind_bytes (stmt, 4, avatar);
  if (position != NULL)
    bind_text (stmt, 5, position);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_int64 (stmt, 6, now_seconds ());
  if (!step_done (self, stmt, error, _("Could not save the persona")))
    return FALSE;
  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, STORE_ITEM_PERSONA, persona_id);
  return TRUE;
}

NatterPersonaRow *
natter_chat_store_get_persona (NatterChatStore  *self,
                               gint64            persona_id,
                               GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " PERSONA_COLUMNS " FROM personas WHERE id = ?1",
                                        error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, persona_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return persona_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("Could not read the persona"));
  else
    not_found (error, STORE_ITEM_PERSONA, persona_id);
  return NULL;
}

NatterPersonaRow *
natter_chat_store_lookup_persona (NatterChatStore  *self,
                                  const char       *name,
                                  GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT " PERSONA_COLUMNS " FROM personas"
                                        " WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
                                        error)))
    return NULL;
  bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return persona_from_stmt (stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("Could not read the persona"));
  else
    g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                 _("There is no persona named “%s”."), name);
  return NULL;
}

gboolean
natter_chat_store_lock_persona (NatterChatStore  *self,
                                gint64            persona_id,
                                gint64            chat_id,
                                gint64            character_id,
                                GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if ((chat_id == 0) == (character_id == 0))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("A persona is locked to either a chat or a character."));
      return FALSE;
    }

  if (!natter_database_begin (self->db, error))
    return FALSE;
  if (!(stmt = natter_database_prepare (self->db,
                                        "DELETE FROM persona_links WHERE chat_id IS ?1"
                                        " AND character_id IS ?2", error)))
    goto fail;
  bind_id_or_null (stmt, 1, chat_id);
  bind_id_or_null (stmt, 2, character_id);
  if (!step_done (self, stmt, error, _("Could not lock the persona")))
    goto fail;
  if (persona_id != 0)
    {
      if (!(stmt = natter_database_prepare (self->db,
                                            "INSERT INTO persona_links (persona_id, chat_id, character_id)"
                                            " VALUES (?1, ?2, ?3)", error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, persona_id);
      bind_id_or_null (stmt, 2, chat_id);
      bind_id_or_null (stmt, 3, character_id);
      if (!step_done (self, stmt, error, _("Could not lock the persona")))
        goto fail;
    }
  return natter_database_commit (self->db, error);

fail:
  natter_database_rollback (self->db);
  return FALSE;
}

gint64
natter_chat_store_get_persona_lock (NatterChatStore  *self,
                                    gint64            chat_id,
                                    gint64            character_id,
                                    GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT persona_id FROM persona_links"
                                        " WHERE chat_id IS ?1 AND character_id IS ?2", error)))
    return 0;
  bind_id_or_null (stmt, 1, chat_id);
  bind_id_or_null (stmt, 2, character_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("Could not read the persona lock"));
  return 0;
}

NatterPersonaRow *
natter_chat_store_resolve_persona (NatterChatStore  *self,
                                   gint64            chat_id,
                                   gint64            character_id,
                                   GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 id = 0;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (chat_id != 0)
    {
      g_autoptr(NatterChat) chat = natter_chat_store_get_chat (self, chat_id, error);

      if (chat == NULL)
        return NULL;
      if (character_id == 0)
        character_id = natter_chat_get_character_id (chat);
      id = natter_chat_store_get_persona_lock (self, chat_id, 0, &local_error);
    }
  if (id == 0 && local_error == NULL && character_id != 0)
    id = natter_chat_store_get_persona_lock (self, 0, character_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (id != 0)
    return natter_chat_store_get_persona (self, id, error);
  return natter_chat_store_get_default_persona (self, error);
}
