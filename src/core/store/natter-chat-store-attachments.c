/* natter-chat-store-attachments.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The attachments table: content-addressed rows (the SHA-256 of the data)
 * that a trigger keeps from ever being updated, and the links from
 * messages to them, in order, with the file name each message gave. */

#define G_LOG_DOMAIN "natter-chat-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "natter-chat-store-attachments.h"
#include "natter-chat-store-private.h"
#include "natter-database-private.h"

static const char *
kind_to_string (NatterAttachmentKind kind)
{
  return kind == NATTER_ATTACHMENT_IMAGE ? "image" : "text";
}

static NatterAttachmentKind
kind_from_string (const char *kind)
{
  return g_strcmp0 (kind, "image") == 0 ? NATTER_ATTACHMENT_IMAGE : NATTER_ATTACHMENT_TEXT;
}

/* Inside a transaction: the row id of @attachment's content, stored now
 * if it was not yet. */
static gint64
store_content (NatterChatStore   *self,
               NatterAttachment  *attachment,
               GError           **error)
{
  AUTO_RESET sqlite3_stmt *find = NULL;
  sqlite3_stmt *insert;
  g_autofree char *sha256 = NULL;

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, attachment->data);
  /* The address is what the bytes are, whatever the caller believed. */
  if (g_strcmp0 (attachment->sha256, sha256) != 0)
    {
      g_free (attachment->sha256);
      attachment->sha256 = g_strdup (sha256);
    }

  if (!(find = natter_database_prepare (self->db, "SELECT id FROM attachments WHERE sha256 = ?1",
                                        error)))
    return 0;
  bind_text (find, 1, sha256);
  switch (sqlite3_step (find))
    {
    case SQLITE_ROW:
      return sqlite3_column_int64 (find, 0);
    case SQLITE_DONE:
      break;
    default:
      natter_database_set_error (self->db, error, _("Could not save the attachment"));
      return 0;
    }

  if (!(insert = natter_database_prepare (self->db,
                                          "INSERT INTO attachments (sha256, kind, mime_type, size, data,"
                                          " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    return 0;
  bind_text (insert, 1, sha256);
  bind_text (insert, 2, kind_to_string (attachment->kind));
  bind_text (insert, 3, attachment->mime_type ? attachment->mime_type : "application/octet-stream");
  sqlite3_bind_int64 (insert, 4, g_bytes_get_size (attachment->data));
  bind_bytes (insert, 5, attachment->data);
  sqlite3_bind_int64 (insert, 6, now_seconds ());
  if (!step_done (self, insert, error, _("Could not save the attachment")))
    return 0;
  return sqlite3_last_insert_rowid (natter_database_get_handle (self->db));
}

/* Inside a transaction. */
static gboolean
link_attachments (NatterChatStore  *self,
                  gint64            message_id,
                  GPtrArray        *attachments,
                  GError          **error)
{
  AUTO_RESET sqlite3_stmt *last = NULL;
  gint64 next = 0;

  if (attachments == NULL || attachments->len == 0)
    return TRUE;

  if (!(last = natter_database_prepare (self->db,
                                        "SELECT IFNULL(MAX(idx), -1) + 1 FROM message_attachments"
                                        " WHERE message_id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (last, 1, message_id);
  if (sqlite3_step (last) == SQLITE_ROW)
    next = sqlite3_column_int64 (last, 0);

  for (guint i = 0; i < attachments->len; i++)
    {
      NatterAttachment *attachment = g_ptr_array_index (attachments, i);
      sqlite3_stmt *insert;
      gint64 attachment_id;

      g_return_val_if_fail (attachment != NULL && attachment->data != NULL, FALSE);

      if (!(attachment_id = store_content (self, attachment, error)))
        return FALSE;
      if (!(insert = natter_database_prepare (self->db,
                                              "INSERT INTO message_attachments (message_id, idx,"
                                              " attachment_id, filename) VALUES (?1, ?2, ?3, ?4)",
                                              error)))
        return FALSE;
      sqlite3_bind_int64 (insert, 1, message_id);
      sqlite3_bind_int64 (insert, 2, next + i);
      sqlite3_bind_int64 (insert, 3, attachment_id);
      bind_text (insert, 4, attachment->filename ? attachment->filename : "");
      if (!step_done (self, insert, error, _("Could not save the attachment")))
        return FALSE;
    }
  return TRUE;
}

gint64
natter_chat_store_append_message_with_attachments (NatterChatStore  *self,
                                                   gint64            chat_id,
                                                   NatterRole        role,
                                                   const char       *name,
                                                   const char       *content,
                                                   GPtrArray        *attachments,
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
      !link_attachments (self, message_id, attachments, error) ||
      !touch_chat (self, chat_id, error) ||
      !natter_database_commit (self->db, error))
    {
      natter_database_rollback (self->db);
      return 0;
    }

  _natter_chat_store_emit_messages_changed (self, chat_id);
  _natter_chat_store_emit_chat_changed (self, chat_id);
  return message_id;
}

gboolean
natter_chat_store_add_attachments (NatterChatStore  *self,
                                   gint64            message_id,
                                   GPtrArray        *attachments,
                                   GError          **error)
{
  gint64 chat_id = 0;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  if (!message_position (self, message_id, 0, NULL, &chat_id, error))
    return FALSE;
  if (!natter_database_begin (self->db, error))
    return FALSE;
  if (!link_attachments (self, message_id, attachments, error) ||
      !natter_database_commit (self->db, error))
    {
      natter_database_rollback (self->db);
      return FALSE;
    }

  _natter_chat_store_emit_messages_changed (self, chat_id);
  return TRUE;
}

GPtrArray *
natter_chat_store_list_attachments (NatterChatStore  *self,
                                    gint64            message_id,
                                    GError          **error)
{
  g_autoptr(GPtrArray) list = NULL;
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT a.kind, a.mime_type, l.filename, a.sha256, a.data"
                                        " FROM message_attachments l JOIN attachments a"
                                        " ON a.id = l.attachment_id WHERE l.message_id = ?1"
                                        " ORDER BY l.idx", error)))
    return NULL;

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_attachment_free);
  sqlite3_bind_int64 (stmt, 1, message_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *kind = dup_column_text (stmt, 0);
      g_autofree char *mime_type = dup_column_text (stmt, 1);
      g_autofree char *filename = dup_column_text (stmt, 2);
      g_autoptr(GBytes) data = dup_column_bytes (stmt, 4);
      NatterAttachment *attachment;

      attachment = natter_attachment_new (kind_from_string (kind), mime_type,
                                          filename && *filename ? filename : NULL, data);
      attachment->sha256 = dup_column_text (stmt, 3);
      g_ptr_array_add (list, attachment);
    }
  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->db, error, _("Could not read the attachments"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

guint
natter_chat_store_count_attachments (NatterChatStore *self,
                                     gint64           message_id)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT COUNT(*) FROM message_attachments WHERE message_id = ?1",
                                        NULL)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, message_id);
  return sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int (stmt, 0) : 0;
}

gboolean
natter_chat_store_get_attachment_sizes (NatterChatStore *self,
                                        gint64           message_id,
                                        guint           *n_images,
                                        gint64          *text_bytes)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  gboolean any = FALSE;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), FALSE);

  *n_images = 0;
  *text_bytes = 0;
  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT a.kind, a.size FROM message_attachments l"
                                        " JOIN attachments a ON a.id = l.attachment_id"
                                        " WHERE l.message_id = ?1", NULL)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      any = TRUE;
      if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "image") == 0)
        (*n_images)++;
      else
        *text_bytes += sqlite3_column_int64 (stmt, 1);
    }
  return any;
}

gint64
natter_chat_store_count_stored_attachments (NatterChatStore  *self,
                                            GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), -1);

  if (!(stmt = natter_database_prepare (self->db, "SELECT COUNT(*) FROM attachments", error)))
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      natter_database_set_error (self->db, error, _("Could not read the attachments"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
_natter_chat_store_copy_attachments (NatterChatStore  *self,
                                     gint64            to_chat,
                                     gint64            from_chat,
                                     gint64            position,
                                     GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db,
                                        "INSERT INTO message_attachments (message_id, idx, attachment_id, filename)"
                                        " SELECT n.id, l.idx, l.attachment_id, l.filename"
                                        " FROM messages o JOIN message_attachments l ON l.message_id = o.id"
                                        " JOIN messages n ON n.chat_id = ?1 AND n.position = o.position"
                                        " WHERE o.chat_id = ?2 AND o.position <= ?3", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, to_chat);
  sqlite3_bind_int64 (stmt, 2, from_chat);
  sqlite3_bind_int64 (stmt, 3, position);
  return step_done (self, stmt, error, _("Could not copy the attachments"));
}
