/* natter-chat-store-messages.c
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
#include "natter-database-private.h"

/* ---- messages ---------------------------------------------------------- */

gboolean
touch_chat (NatterChatStore  *self,
            gint64            chat_id,
            GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE chats SET updated_at = ?1 WHERE id = ?2", error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, now_seconds ());
  sqlite3_bind_int64 (stmt, 2, chat_id);

  return step_done (self, stmt, error, _("Could not save the chat"));
}

/* Inside a transaction. The position comes from the (chat_id, position)
 * index: MAX over it is one b-tree seek. */
gint64
insert_message (NatterChatStore  *self,
                gint64            chat_id,
                NatterRole        role,
                const char       *name,
                GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO messages (chat_id, position, role, name, created_at)"
                                        " VALUES (?1, (SELECT IFNULL(MAX(position), -1) + 1 FROM messages"
                                        " WHERE chat_id = ?1), ?2, ?3, ?4)", error)))
    return 0;

  sqlite3_bind_int64 (stmt, 1, chat_id);
  bind_text (stmt, 2, natter_role_to_string (role));
  bind_text (stmt, 3, name ? name : "");
  sqlite3_bind_int64 (stmt, 4, now_seconds ());

  if (!step_done (self, stmt, &local_error, _("Could not save the message")))
    {
      if (g_error_matches (local_error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS))
        not_found (error, STORE_ITEM_CHAT, chat_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }

  return sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
}

gint64
insert_swipe (NatterChatStore   *self,
              gint64             message_id,
              guint              idx,
              const char        *content,
              NatterSwipeState   state,
              const char        *model,
              GError           **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO swipes (message_id, idx, content, state, model, created_at)"
                                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return 0;

  sqlite3_bind_int64 (stmt, 1, message_id);
  sqlite3_bind_int (stmt, 2, idx);
  bind_text (stmt, 3, content ? content : "");
  bind_text (stmt, 4, natter_swipe_state_to_string (state));
  bind_text (stmt, 5, model);
  sqlite3_bind_int64 (stmt, 6, now_seconds ());

  if (!step_done (self, stmt, error, _("Could not save the message")))
    return 0;

  return sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
}

/* After a change to the messages of @chat_id (0: look it up from
 * @message_id). */
static void
emit_message_changes (NatterChatStore *self,
                      gint64           chat_id,
                      gint64           message_id)
{
  if (chat_id == 0 &&
      !message_position (self, message_id, 0, NULL, &chat_id, NULL))
    return;

  _natter_chat_store_emit_messages_changed (self, chat_id);
  _natter_chat_store_emit_chat_changed (self, chat_id);
}

gint64
natter_chat_store_append_message (NatterChatStore  *self,
                                  gint64            chat_id,
                                  NatterRole        role,
                                  const char       *name,
                                  const char       *content,
                                  GError          **error)
{
  gint64 message_id;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (role <= NATTER_ROLE_ASSISTANT, 0);
  g_return_val_if_fail (content != NULL, 0);

  if (!natter_database_begin (self->db, error))
    return 0;

  if (!(message_id = insert_message (self, chat_id, role, name, error)) ||
      !insert_swipe (self, message_id, 0, content, NATTER_SWIPE_STATE_COMPLETE, NULL, error) ||
      !touch_chat (self, chat_id, error) ||
      !natter_database_commit (self->db, error))
    {
      natter_database_rollback (self->db);
      return 0;
    }

  emit_message_changes (self, chat_id, message_id);

  return message_id;
}

gint64
natter_chat_store_greet (NatterChatStore     *self,
                         gint64               chat_id,
                         const char          *name,
                         const char          *greeting,
                         const char * const  *alternates,
                         GError             **error)
{
  gint64 message_id;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (greeting != NULL, 0);

  if (!natter_database_begin (self->db, error))
    return 0;

  if (!(message_id = insert_message (self, chat_id, NATTER_ROLE_ASSISTANT, name, error)) ||
      !insert_swipe (self, message_id, 0, greeting, NATTER_SWIPE_STATE_COMPLETE, NULL, error))
    goto fail;

  for (guint i = 0; alternates != NULL && alternates[i] != NULL; i++)
    if (!insert_swipe (self, message_id, i + 1, alternates[i], NATTER_SWIPE_STATE_COMPLETE, NULL, error))
      goto fail;

  if (!touch_chat (self, chat_id, error) ||
      !natter_database_commit (self->db, error))
    goto fail;

  emit_message_changes (self, chat_id, message_id);

  return message_id;

fail:
  natter_database_rollback (self->db);
  return 0;
}

gboolean
natter_chat_store_edit_message (NatterChatStore  *self,
                                gint64            message_id,
                                const char       *content,
                                GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (content != NULL, FALSE);

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE swipes SET content = ?1 WHERE message_id = ?2"
                                        " AND idx = (SELECT swipe_index FROM messages WHERE id = ?2)",
                                        error)))
    return FALSE;

  bind_text (stmt, 1, content);
  sqlite3_bind_int64 (stmt, 2, message_id);

  if (!step_done (self, stmt, error, _("Could not save the message")))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, STORE_ITEM_MESSAGE, message_id);

  emit_message_changes (self, 0, message_id);

  return TRUE;
}

gboolean
natter_chat_store_delete_message (NatterChatStore  *self,
                                  gint64            message_id,
                                  GError          **error)
{
  gint64 chat_id = 0;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  /* Not found is reported by the delete below. */
  message_position (self, message_id, 0, NULL, &chat_id, NULL);

  if (!delete_by_id (self, "DELETE FROM messages WHERE id = ?1", message_id,
                     STORE_ITEM_MESSAGE, _("Could not delete the message"), error))
    return FALSE;

  if (chat_id != 0)
    emit_message_changes (self, chat_id, message_id);

  return TRUE;
}

gboolean
natter_chat_store_select_swipe (NatterChatStore  *self,
                                gint64            message_id,
                                guint             swipe_index,
                                GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!(stmt = natter_database_prepare (self->db,
                                        "UPDATE messages SET swipe_index = ?1 WHERE id = ?2"
                                        " AND EXISTS (SELECT 1 FROM swipes WHERE message_id = ?2 AND idx = ?1)",
                                        error)))
    return FALSE;

  sqlite3_bind_int (stmt, 1, swipe_index);
  sqlite3_bind_int64 (stmt, 2, message_id);

  if (!step_done (self, stmt, error, _("Could not select the swipe")))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   /* Translators: a swipe is one of the alternative replies of a message */
                   _("Message %lld has no swipe %u."), (long long) message_id, swipe_index + 1);
      return FALSE;
    }

  emit_message_changes (self, 0, message_id);

  return TRUE;
}

/* Inside a transaction: adds swipe number MAX+1 to @message_id and selects it. */
gint64
add_selected_swipe (NatterChatStore   *self,
                    gint64             message_id,
                    const char        *content,
                    NatterSwipeState   state,
                    const char        *model,
                    guint             *out_index,
                    GError           **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  sqlite3_stmt *update;
  gint64 swipe_id;
  guint idx;

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT IFNULL(MAX(idx), -1) + 1 FROM swipes WHERE message_id = ?1",
                                        error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, message_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return natter_database_set_error (self->db, error, _("Could not save the swipe"));
  idx = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  if (!(swipe_id = insert_swipe (self, message_id, idx, content, state, model, error)))
    return 0;

  if (!(update = natter_database_prepare (self->db,
                                          "UPDATE messages SET swipe_index = ?1 WHERE id = ?2", error)))
    return 0;
  sqlite3_bind_int (update, 1, idx);
  sqlite3_bind_int64 (update, 2, message_id);
  if (!step_done (self, update, error, _("Could not save the swipe")))
    return 0;

  *out_index = idx;

  return swipe_id;
}

gint
natter_chat_store_add_swipe (NatterChatStore  *self,
                             gint64            message_id,
                             const char       *content,
                             GError          **error)
{
  guint idx = 0;
  gint64 chat_id = 0;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), -1);
  g_return_val_if_fail (content != NULL, -1);

  if (!natter_database_begin (self->db, error))
    return -1;

  if (!message_position (self, message_id, 0, NULL, &chat_id, error) ||
      !add_selected_swipe (self, message_id, content, NATTER_SWIPE_STATE_COMPLETE, NULL, &idx, error) ||
      !natter_database_commit (self->db, error))
    {
      natter_database_rollback (self->db);
      return -1;
    }

  emit_message_changes (self, chat_id, message_id);

  return idx;
}

NatterChatMessage *
message_from_stmt (GHashTable   *active_swipes,
                   sqlite3_stmt *stmt)
{
  NatterChatMessage *message = g_object_new (NATTER_TYPE_CHAT_MESSAGE, NULL);
  gint64 swipe_id = sqlite3_column_int64 (stmt, 7);
  NatterRole role = NATTER_ROLE_USER;
  NatterSwipeState state = NATTER_SWIPE_STATE_COMPLETE;

  message->id = sqlite3_column_int64 (stmt, 0);
  message->chat_id = sqlite3_column_int64 (stmt, 1);
  message->position = sqlite3_column_int64 (stmt, 2);
  natter_role_from_string ((const char *) sqlite3_column_text (stmt, 3), &role);
  message->role = role;
  message->name = dup_column_text (stmt, 4);
  message->created_at = sqlite3_column_int64 (stmt, 5);
  message->swipe_index = sqlite3_column_int (stmt, 6);
  message->content = g_strdup (sqlite3_column_text (stmt, 8) ? (const char *) sqlite3_column_text (stmt, 8) : "");
  message->reasoning = g_strdup (sqlite3_column_text (stmt, 9) ? (const char *) sqlite3_column_text (stmt, 9) : "");
  natter_swipe_state_from_string ((const char *) sqlite3_column_text (stmt, 10), &state);
  /* "streaming" without a writer alive in this store means the writer died
   * mid-reply: what was saved is all there is. */
  if (state == NATTER_SWIPE_STATE_STREAMING &&
      (active_swipes == NULL || !g_hash_table_contains (active_swipes, &swipe_id)))
    state = NATTER_SWIPE_STATE_INCOMPLETE;
  message->state = state;
  message->error_category =
    natter_error_category_from_string ((const char *) sqlite3_column_text (stmt, 11));
  message->error_message = dup_column_text (stmt, 12);
  message->model = dup_column_text (stmt, 13);
  message->n_swipes = sqlite3_column_int (stmt, 14);

  return message;
}

NatterChatMessage *
natter_chat_store_get_message (NatterChatStore  *self,
                               gint64            message_id,
                               GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db, MESSAGE_SELECT " WHERE m.id = ?1", error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, message_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return message_from_stmt (self->active_swipes, stmt);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("Could not read the message"));
  else
    not_found (error, STORE_ITEM_MESSAGE, message_id);

  return NULL;
}

gboolean
natter_chat_store_refresh_message (NatterChatStore    *self,
                                   NatterChatMessage  *message,
                                   GError            **error)
{
  g_autoptr(NatterChatMessage) fresh = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);
  g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (message), FALSE);

  if (!(fresh = natter_chat_store_get_message (self, message->id, error)))
    return FALSE;

  _natter_chat_message_update (message, fresh);

  return TRUE;
}

static GPtrArray *
page_db (NatterDatabase  *db,
         GHashTable      *active_swipes,
         gint64           chat_id,
         gint64           before_position,
         guint            limit,
         GError         **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  if (!(stmt = natter_database_prepare (db,
                                        MESSAGE_SELECT " WHERE m.chat_id = ?1 AND m.position < ?2"
                                        " ORDER BY m.position DESC LIMIT ?3", error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, chat_id);
  sqlite3_bind_int64 (stmt, 2, before_position < 0 ? G_MAXINT64 : before_position);
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (messages, message_from_stmt (active_swipes, stmt));

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (db, error, _("Could not read the chat"));
      return NULL;
    }

  /* Read newest first; handed out in chat order. */
  for (guint i = 0, j = messages->len ? messages->len - 1 : 0; i < j; i++, j--)
    {
      gpointer tmp = messages->pdata[i];

      messages->pdata[i] = messages->pdata[j];
      messages->pdata[j] = tmp;
    }

  return g_steal_pointer (&messages);
}

GPtrArray *
natter_chat_store_page_messages (NatterChatStore  *self,
                                 gint64            chat_id,
                                 gint64            before_position,
                                 guint             limit,
                                 GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  return page_db (self->db, self->active_swipes, chat_id, before_position, limit, error);
}

typedef struct
{
  GHashTable *active_swipes;  /* a copy: the worker reads it */
  gint64      chat_id;
  gint64      before_position;
  guint       limit;
} PageData;

static void
page_data_free (PageData *data)
{
  g_clear_pointer (&data->active_swipes, g_hash_table_unref);
  g_free (data);
}

static void
page_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PageData *data = task_data;
  NatterChatStore *self = source_object;
  NatterDatabase *reader;
  g_autoptr(GError) error = NULL;
  GPtrArray *messages;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!(reader = _natter_chat_store_lock_reader (self, cancellable, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  messages = page_db (reader, data->active_swipes, data->chat_id, data->before_position,
                      data->limit, &error);
  _natter_chat_store_unlock_reader (self);
  if (g_cancellable_set_error_if_cancelled (cancellable, &error) || messages == NULL)
    {
      g_clear_pointer (&messages, g_ptr_array_unref);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, messages, (GDestroyNotify) g_ptr_array_unref);
}

void
natter_chat_store_page_messages_async (NatterChatStore     *self,
                                       gint64               chat_id,
                                       gint64               before_position,
                                       guint                limit,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PageData *data;
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (NATTER_IS_CHAT_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_chat_store_page_messages_async);
  g_task_set_name (task, "[natter] page of messages");

  if (!_natter_database_is_shared (self->db))
    {
      g_autoptr(GError) error = NULL;
      GPtrArray *messages = natter_chat_store_page_messages (self, chat_id, before_position,
                                                             limit, &error);

      if (messages == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, messages, (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  data = g_new0 (PageData, 1);
  data->active_swipes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, self->active_swipes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (data->active_swipes, g_memdup2 (key, sizeof (gint64)));
  data->chat_id = chat_id;
  data->before_position = before_position;
  data->limit = limit;
  g_task_set_task_data (task, data, (GDestroyNotify) page_data_free);
  g_task_run_in_thread (task, page_thread);
}

GPtrArray *
natter_chat_store_page_messages_finish (NatterChatStore  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gint64
natter_chat_store_count_messages (NatterChatStore  *self,
                                  gint64            chat_id,
                                  GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), -1);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT COUNT(*) FROM messages WHERE chat_id = ?1", error)))
    return -1;

  sqlite3_bind_int64 (stmt, 1, chat_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      natter_database_set_error (self->db, error, _("Could not count the messages"));
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

gint64
natter_chat_store_position_at (NatterChatStore  *self,
                               gint64            chat_id,
                               gint64            index,
                               GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), -1);

  if (index < 0)
    return -1;
  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT position FROM messages WHERE chat_id = ?1"
                                        " ORDER BY position LIMIT 1 OFFSET ?2", error)))
    return -1;

  sqlite3_bind_int64 (stmt, 1, chat_id);
  sqlite3_bind_int64 (stmt, 2, index);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    natter_database_set_error (self->db, error, _("Could not read the chat"));
  return -1;
}

gint64
natter_chat_store_message_index (NatterChatStore  *self,
                                 gint64            message_id,
                                 GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), -1);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT (SELECT COUNT(*) FROM messages o"
                                        "        WHERE o.chat_id = m.chat_id AND o.position < m.position)"
                                        " FROM messages m WHERE m.id = ?1", error)))
    return -1;

  sqlite3_bind_int64 (stmt, 1, message_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                 _("There is no message %lld."), (long long) message_id);
  else
    natter_database_set_error (self->db, error, _("Could not read the chat"));
  return -1;
}
