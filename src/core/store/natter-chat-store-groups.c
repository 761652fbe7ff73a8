/* natter-chat-store-groups.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "natter-chat-group.h"
#include "natter-chat-store-private.h"

/* ---- names ------------------------------------------------------------- */

static const char * const order_names[] = { "natural", "list", "manual" };
static const char * const cards_names[] = { "swap", "join" };

const char *
natter_group_order_to_string (NatterGroupOrder order)
{
  g_return_val_if_fail (order <= NATTER_GROUP_ORDER_MANUAL, "natural");
  return order_names[order];
}

gboolean
natter_group_order_from_string (const char       *text,
                                NatterGroupOrder *order)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (order_names); i++)
    if (g_ascii_strcasecmp (text, order_names[i]) == 0)
      {
        *order = (NatterGroupOrder) i;
        return TRUE;
      }
  return FALSE;
}

const char *
natter_group_cards_to_string (NatterGroupCards cards)
{
  g_return_val_if_fail (cards <= NATTER_GROUP_CARDS_JOIN, "swap");
  return cards_names[cards];
}

gboolean
natter_group_cards_from_string (const char       *text,
                                NatterGroupCards *cards)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (cards_names); i++)
    if (g_ascii_strcasecmp (text, cards_names[i]) == 0)
      {
        *cards = (NatterGroupCards) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- values ------------------------------------------------------------ */

static void
member_free (NatterGroupMember *member)
{
  g_free (member->name);
  g_free (member);
}

void
natter_chat_group_free (NatterChatGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->extra_json);
  g_clear_pointer (&group->members, g_ptr_array_unref);
  g_free (group);
}

NatterGroupMember *
natter_chat_group_find_member (NatterChatGroup *group,
                               const char      *name)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (group != NULL, NULL);
  if (name == NULL)
    return NULL;
  folded = g_utf8_casefold (name, -1);
  for (guint i = 0; i < group->members->len; i++)
    {
      NatterGroupMember *member = g_ptr_array_index (group->members, i);
      g_autofree char *other = g_utf8_casefold (member->name, -1);

      if (g_str_equal (folded, other))
        return member;
    }
  return NULL;
}

NatterGroupMember *
natter_chat_group_find_id (NatterChatGroup *group,
                           gint64           character_id)
{
  g_return_val_if_fail (group != NULL, NULL);
  for (guint i = 0; i < group->members->len; i++)
    {
      NatterGroupMember *member = g_ptr_array_index (group->members, i);

      if (member->character_id == character_id)
        return member;
    }
  return NULL;
}

guint
natter_chat_group_count_unmuted (NatterChatGroup *group)
{
  guint n = 0;

  for (guint i = 0; i < group->members->len; i++)
    if (!((NatterGroupMember *) g_ptr_array_index (group->members, i))->muted)
      n++;
  return n;
}

/* ---- reading ----------------------------------------------------------- */

NatterChatGroup *
natter_chat_store_get_group (NatterChatStore  *self,
                             gint64            chat_id,
                             GError          **error)
{
  g_autoptr(NatterChatGroup) group = NULL;
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  AUTO_RESET sqlite3_stmt *members = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT order_mode, card_mode, auto_turns, allow_self, extra"
                                        " FROM chat_groups WHERE chat_id = ?1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, chat_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      natter_database_set_error (self->db, error, _("Could not read the group"));
      return NULL;
    }

  group = g_new0 (NatterChatGroup, 1);
  group->chat_id = chat_id;
  if (!natter_group_order_from_string ((const char *) sqlite3_column_text (stmt, 0), &group->order))
    group->order = NATTER_GROUP_ORDER_NATURAL;
  if (!natter_group_cards_from_string ((const char *) sqlite3_column_text (stmt, 1), &group->cards))
    group->cards = NATTER_GROUP_CARDS_SWAP;
  group->auto_turns = (guint) CLAMP (sqlite3_column_int64 (stmt, 2), 0, 1000);
  group->allow_self = sqlite3_column_int (stmt, 3) != 0;
  group->extra_json = dup_column_text (stmt, 4);
  if (group->extra_json == NULL)
    group->extra_json = g_strdup ("{}");
  group->members = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);

  if (!(members = natter_database_prepare (self->db,
                                           "SELECT g.character_id, c.name, g.muted"
                                           " FROM chat_group_members g"
                                           " JOIN characters c ON c.id = g.character_id"
                                           " WHERE g.chat_id = ?1 ORDER BY g.position, g.rowid",
                                           error)))
    return NULL;
  sqlite3_bind_int64 (members, 1, chat_id);
  while ((rc = sqlite3_step (members)) == SQLITE_ROW)
    {
      NatterGroupMember *member = g_new0 (NatterGroupMember, 1);

      member->character_id = sqlite3_column_int64 (members, 0);
      member->name = dup_column_text (members, 1);
      if (member->name == NULL)
        member->name = g_strdup ("");
      member->muted = sqlite3_column_int (members, 2) != 0;
      g_ptr_array_add (group->members, member);
    }
  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("Could not read the group"));
      return NULL;
    }
  return g_steal_pointer (&group);
}

gboolean
natter_chat_store_is_group_chat (NatterChatStore *self,
                                 gint64           chat_id)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  stmt = natter_database_prepare (self->db, "SELECT 1 FROM chat_groups WHERE chat_id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, chat_id);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* ---- writing ----------------------------------------------------------- */

/* Within a transaction. */
static gboolean
insert_group (NatterChatStore  *self,
              gint64            chat_id,
              GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT OR IGNORE INTO chat_groups (chat_id) VALUES (?1)",
                                        error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, chat_id);
  return step_done (self, stmt, error, _("Could not make the group"));
}

/* Within a transaction: appends @character_id after the last member. */
static gboolean
insert_member (NatterChatStore  *self,
               gint64            chat_id,
               gint64            character_id,
               GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO chat_group_members (chat_id, character_id, position)"
                                        " VALUES (?1, ?2, (SELECT IFNULL(MAX(position), -1) + 1"
                                        " FROM chat_group_members WHERE chat_id = ?1))", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, chat_id);
  sqlite3_bind_int64 (stmt, 2, character_id);
  if (step_done (self, stmt, &local_error, _("Could not add the member")))
    return TRUE;
  if (g_error_matches (local_error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS))
    {
      g_autoptr(NatterCharacterRow) row = natter_chat_store_get_character (self, character_id, NULL);

      if (row == NULL)
        return not_found (error, STORE_ITEM_CHARACTER, character_id);
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS,
                   _("%s is already in the group."), row->name);
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Within a transaction: the chat's character follows its first member. */
static gboolean
update_chat_character (NatterChatStore  *self,
                       gint64            chat_id,
                       GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE chats SET character_id = (SELECT character_id"
                                        " FROM chat_group_members WHERE chat_id = ?1"
                                        " ORDER BY position, rowid LIMIT 1) WHERE id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, chat_id);
  return step_done (self, stmt, error, _("Could not change the group"));
}

static gboolean
finish (NatterChatStore  *self,
        gint64            chat_id,
        gboolean          ok,
        GError          **error)
{
  if (!ok)
    {
      natter_database_rollback (self->db);
      return FALSE;
    }
  if (!natter_database_commit (self->db, error))
    return FALSE;
  _natter_chat_store_emit_chat_changed (self, chat_id);
  return TRUE;
}

gint64
natter_chat_store_new_group_chat (NatterChatStore  *self,
                                  const gint64     *character_ids,
                                  guint             n_members,
                                  const char       *title,
                                  GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 chat_id;
  gboolean ok = TRUE;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (character_ids != NULL && n_members > 0, 0);

  if (!natter_database_begin (self->db, error))
    return 0;
  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO chats (character_id, title, created_at, updated_at)"
                                        " VALUES (?1, ?2, ?3, ?3)", error)))
    {
      natter_database_rollback (self->db);
      return 0;
    }
  sqlite3_bind_int64 (stmt, 1, character_ids[0]);
  bind_text (stmt, 2, title != NULL ? title : "");
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  if (!step_done (self, stmt, error, _("Could not create the chat")))
    {
      natter_database_rollback (self->db);
      if (error != NULL && g_error_matches (*error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS))
        {
          g_clear_error (error);
          not_found (error, STORE_ITEM_CHARACTER, character_ids[0]);
        }
      return 0;
    }
  chat_id = sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
  ok = insert_group (self, chat_id, error);
  for (guint i = 0; ok && i < n_members; i++)
    ok = insert_member (self, chat_id, character_ids[i], error);
  if (!finish (self, chat_id, ok, error))
    return 0;
  return chat_id;
}

gboolean
natter_chat_store_make_group (NatterChatStore  *self,
                              gint64            chat_id,
                              GError          **error)
{
  g_autoptr(NatterChat) chat = NULL;
  gboolean ok;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (natter_chat_store_is_group_chat (self, chat_id))
    return TRUE;
  chat = natter_chat_store_get_chat (self, chat_id, error);
  if (chat == NULL || !natter_database_begin (self->db, error))
    return FALSE;
  ok = insert_group (self, chat_id, error);
  if (ok && natter_chat_get_character_id (chat) != 0)
    ok = insert_member (self, chat_id, natter_chat_get_character_id (chat), error);
  return finish (self, chat_id, ok, error);
}

gboolean
natter_chat_store_group_add (NatterChatStore  *self,
                             gint64            chat_id,
                             gint64            character_id,
                             GError          **error)
{
  gboolean ok;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!natter_chat_store_make_group (self, chat_id, error) ||
      !natter_database_begin (self->db, error))
    return FALSE;
  ok = insert_member (self, chat_id, character_id, error) &&
       update_chat_character (self, chat_id, error);
  return finish (self, chat_id, ok, error);
}

/* Runs @sql with ?1 = chat, ?2 = character, ?3 = @value; NOT_FOUND when
 * no member row changed. */
static gboolean
change_member (NatterChatStore  *self,
               const char       *sql,
               gint64            chat_id,
               gint64            character_id,
               gint64            value,
               GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, chat_id);
  sqlite3_bind_int64 (stmt, 2, character_id);
  sqlite3_bind_int64 (stmt, 3, value);
  if (!step_done (self, stmt, error, _("Could not change the group")))
    return FALSE;
  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   _("That character is not a member of this group."));
      return FALSE;
    }
  return TRUE;
}

gboolean
natter_chat_store_group_remove (NatterChatStore  *self,
                                gint64            chat_id,
                                gint64            character_id,
                                GError          **error)
{
  g_autoptr(NatterChatGroup) group = NULL;
  gboolean ok;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  group = natter_chat_store_get_group (self, chat_id, error);
  if (group == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                     _("Chat %lld is not a group chat."), (long long) chat_id);
      return FALSE;
    }
  if (group->members->len <= 1 && natter_chat_group_find_id (group, character_id) != NULL)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("A group keeps at least one member."));
      return FALSE;
    }
  if (!natter_database_begin (self->db, error))
    return FALSE;
  ok = change_member (self, "DELETE FROM chat_group_members WHERE chat_id = ?1"
                      " AND character_id = ?2 AND ?3 = ?3", chat_id, character_id, 0, error) &&
       update_chat_character (self, chat_id, error);
  return finish (self, chat_id, ok, error);
}

gboolean
natter_chat_store_group_mute (NatterChatStore  *self,
                              gint64            chat_id,
                              gint64            character_id,
                              gboolean          muted,
                              GError          **error)
{
  gboolean ok;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!natter_database_begin (self->db, error))
    return FALSE;
  ok = change_member (self, "UPDATE chat_group_members SET muted = ?3"
                      " WHERE chat_id = ?1 AND character_id = ?2",
                      chat_id, character_id, muted ? 1 : 0, error);
  return finish (self, chat_id, ok, error);
}

gboolean
natter_chat_store_group_move (NatterChatStore  *self,
                              gint64            chat_id,
                              gint64            character_id,
                              guint             index,
                              GError          **error)
{
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  NatterGroupMember *member;
  gboolean ok = TRUE;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  group = natter_chat_store_get_group (self, chat_id, error);
  if (group == NULL)
    return FALSE;
  member = natter_chat_group_find_id (group, character_id);
  if (member == NULL)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   _("That character is not a member of this group."));
      return FALSE;
    }
  for (guint i = 0; i < group->members->len; i++)
    if (g_ptr_array_index (group->members, i) != member)
      g_ptr_array_add (order, g_ptr_array_index (group->members, i));
  g_ptr_array_insert (order, MIN (index, order->len), member);

  if (!natter_database_begin (self->db, error))
    return FALSE;
  for (guint i = 0; ok && i < order->len; i++)
    ok = change_member (self, "UPDATE chat_group_members SET position = ?3"
                        " WHERE chat_id = ?1 AND character_id = ?2", chat_id,
                        ((NatterGroupMember *) g_ptr_array_index (order, i))->character_id,
                        i, error);
  ok = ok && update_chat_character (self, chat_id, error);
  return finish (self, chat_id, ok, error);
}

gboolean
natter_chat_store_group_save (NatterChatStore  *self,
                              NatterChatGroup  *group,
                              GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);

  if (!natter_database_begin (self->db, error))
    return FALSE;
  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE chat_groups SET order_mode = ?2, card_mode = ?3,"
                                        " auto_turns = ?4, allow_self = ?5, extra = ?6"
                                        " WHERE chat_id = ?1", error)))
    return finish (self, group->chat_id, FALSE, error);
  sqlite3_bind_int64 (stmt, 1, group->chat_id);
  bind_text (stmt, 2, natter_group_order_to_string (group->order));
  bind_text (stmt, 3, natter_group_cards_to_string (group->cards));
  sqlite3_bind_int64 (stmt, 4, MIN (group->auto_turns, 1000));
  sqlite3_bind_int (stmt, 5, group->allow_self ? 1 : 0);
  bind_text (stmt, 6, group->extra_json != NULL ? group->extra_json : "{}");
  if (!step_done (self, stmt, error, _("Could not change the group")))
    return finish (self, group->chat_id, FALSE, error);
  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("Chat %lld is not a group chat."), (long long) group->chat_id);
      return finish (self, group->chat_id, FALSE, error);
    }
  return finish (self, group->chat_id, TRUE, error);
}

gboolean
_natter_chat_store_copy_group (NatterChatStore  *self,
                               gint64            from_chat,
                               gint64            to_chat,
                               GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO chat_groups (chat_id, order_mode, card_mode,"
                                        " auto_turns, allow_self, extra)"
                                        " SELECT ?2, order_mode, card_mode, auto_turns, allow_self, extra"
                                        " FROM chat_groups WHERE chat_id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_chat);
  sqlite3_bind_int64 (stmt, 2, to_chat);
  if (!step_done (self, stmt, error, _("Could not copy the group")))
    return FALSE;
  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO chat_group_members (chat_id, character_id,"
                                        " position, muted)"
                                        " SELECT ?2, character_id, position, muted"
                                        " FROM chat_group_members WHERE chat_id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_chat);
  sqlite3_bind_int64 (stmt, 2, to_chat);
  return step_done (self, stmt, error, _("Could not copy the group"));
}
