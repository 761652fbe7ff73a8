/* natter-reply-writer.c
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

/* A streaming reply is saved when 250 ms have passed since the last save,
 * or sooner once 256 bytes are waiting and at least 50 ms have passed: at
 * most 20 saves a second, however fast the tokens come. */
#define FLUSH_INTERVAL_US      (250 * 1000)
#define FLUSH_BYTES            256
#define FLUSH_MIN_INTERVAL_US  (50 * 1000)


/* ---- NatterReplyWriter ------------------------------------------------- */

struct _NatterReplyWriter
{
  GObject          parent_instance;
  NatterChatStore *store;
  gint64           chat_id;
  gint64           message_id;
  gint64           swipe_id;
  guint            swipe_index;
  GString         *text;       /* not yet saved */
  GString         *reasoning;  /* not yet saved */
  gint64           last_flush_us;
  GSource         *timeout;
  gint64           timeout_due_us;  /* monotonic time the timeout fires */
  gboolean         finished;
};

G_DEFINE_FINAL_TYPE (NatterReplyWriter, natter_reply_writer, G_TYPE_OBJECT)

static gboolean
save_swipe (NatterReplyWriter  *self,
            const char         *state,
            NatterErrorCategory category,
            const char         *error_message,
            GError            **error)
{
  NatterDatabase *db = self->store->db;
  sqlite3_stmt *stmt;

  if (state == NULL)
    stmt = natter_database_prepare (db,
                                    "UPDATE swipes SET content = content || ?1,"
                                    " reasoning = reasoning || ?2, state = 'streaming' WHERE id = ?3", error);
  else
    stmt = natter_database_prepare (db,
                                    "UPDATE swipes SET content = content || ?1,"
                                    " reasoning = reasoning || ?2, state = ?4,"
                                    " error_category = ?5, error_message = ?6 WHERE id = ?3", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, self->text->str, self->text->len, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, self->reasoning->str, self->reasoning->len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, self->swipe_id);
  if (state != NULL)
    {
      bind_text (stmt, 4, state);
      bind_text (stmt, 5, category == NATTER_ERROR_CATEGORY_NONE
                          ? NULL : natter_error_category_to_string (category));
      bind_text (stmt, 6, error_message);
    }

  /* On failure the text stays buffered for the next try: nothing is lost. */
  if (!step_done (self->store, stmt, error, _("Could not save the reply")))
    return FALSE;

  g_string_truncate (self->text, 0);
  g_string_truncate (self->reasoning, 0);
  self->last_flush_us = g_get_monotonic_time ();

  return TRUE;
}

static void
cancel_timeout (NatterReplyWriter *self)
{
  if (self->timeout != NULL)
    {
      g_source_destroy (self->timeout);
      g_clear_pointer (&self->timeout, g_source_unref);
    }
}

static void
writer_forget (NatterReplyWriter *self)
{
  cancel_timeout (self);
  if (!self->finished)
    {
      g_hash_table_remove (self->store->active_swipes, &self->swipe_id);
      live_swipe_remove (self->store->db, self->swipe_id);
    }
  self->finished = TRUE;
}

static void
natter_reply_writer_finalize (GObject *object)
{
  NatterReplyWriter *self = (NatterReplyWriter *)object;

  /* Dropped without finish: keep what arrived and say it stopped early. */
  if (!self->finished)
    {
      g_autoptr(GError) error = NULL;

      if (!save_swipe (self, "incomplete", NATTER_ERROR_CATEGORY_NONE, NULL, &error))
        g_warning ("Could not save the end of an abandoned reply: %s", error->message);
      writer_forget (self);
    }

  cancel_timeout (self);
  g_string_free (self->text, TRUE);
  g_string_free (self->reasoning, TRUE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (natter_reply_writer_parent_class)->finalize (object);
}

static void
natter_reply_writer_class_init (NatterReplyWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_reply_writer_finalize;
}

static void
natter_reply_writer_init (NatterReplyWriter *self)
{
  self->text = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
}

NatterReplyWriter *
natter_chat_store_begin_reply (NatterChatStore  *self,
                               gint64            chat_id,
                               const char       *model,
                               const char       *name,
                               gint64            message_id,
                               GError          **error)
{
  g_autoptr(NatterReplyWriter) writer = NULL;
  gint64 swipe_id;
  guint idx = 0;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (!natter_database_begin (self->db, error))
    return NULL;

  if (message_id == 0)
    {
      if (!(message_id = insert_message (self, chat_id, NATTER_ROLE_ASSISTANT, name, error)) ||
          !(swipe_id = insert_swipe (self, message_id, 0, "", NATTER_SWIPE_STATE_STREAMING, model, error)))
        goto fail;
    }
  else
    {
      if (!message_position (self, message_id, chat_id, NULL, NULL, error) ||
          !(swipe_id = add_selected_swipe (self, message_id, "", NATTER_SWIPE_STATE_STREAMING,
                                           model, &idx, error)))
        goto fail;
    }

  if (!touch_chat (self, chat_id, error) ||
      !natter_database_commit (self->db, error))
    goto fail;

  writer = g_object_new (NATTER_TYPE_REPLY_WRITER, NULL);
  writer->store = g_object_ref (self);
  writer->chat_id = chat_id;
  writer->message_id = message_id;
  writer->swipe_id = swipe_id;
  writer->swipe_index = idx;
  writer->last_flush_us = g_get_monotonic_time ();
  g_hash_table_add (self->active_swipes, g_memdup2 (&swipe_id, sizeof swipe_id));
  live_swipe_add (self->db, swipe_id);

  _natter_chat_store_emit_chat_changed (self, chat_id);

  return g_steal_pointer (&writer);

fail:
  natter_database_rollback (self->db);
  return NULL;
}

gint64
natter_reply_writer_get_message_id (NatterReplyWriter *self)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), 0);

  return self->message_id;
}

guint
natter_reply_writer_get_swipe_index (NatterReplyWriter *self)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), 0);

  return self->swipe_index;
}

gboolean
natter_reply_writer_flush (NatterReplyWriter  *self,
                           GError            **error)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), FALSE);

  cancel_timeout (self);

  if (self->text->len == 0 && self->reasoning->len == 0)
    return TRUE;

  return save_swipe (self, NULL, NATTER_ERROR_CATEGORY_NONE, NULL, error);
}

static gboolean
on_flush_timeout (gpointer data)
{
  NatterReplyWriter *self = data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->timeout, g_source_unref);

  if (!natter_reply_writer_flush (self, &error))
    g_debug ("Could not save the reply yet: %s", error->message);

  return G_SOURCE_REMOVE;
}

static gboolean
maybe_flush (NatterReplyWriter  *self,
             GError            **error)
{
  gint64 now = g_get_monotonic_time ();
  gint64 due = self->last_flush_us +
               (self->text->len + self->reasoning->len >= FLUSH_BYTES
                ? FLUSH_MIN_INTERVAL_US : FLUSH_INTERVAL_US);

  if (now >= due)
    return natter_reply_writer_flush (self, error);

  /* Text that arrives and then a pause: saved when it is due. */
  if (self->timeout != NULL && self->timeout_due_us > due)
    cancel_timeout (self);
  if (self->timeout == NULL)
    {
      g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

      self->timeout = g_timeout_source_new ((due - now) / 1000 + 1);
      self->timeout_due_us = due;
      g_source_set_callback (self->timeout, on_flush_timeout, self, NULL);
      g_source_set_static_name (self->timeout, "[natter] reply flush");
      g_source_attach (self->timeout, context);
    }

  return TRUE;
}

static gboolean
check_writable (NatterReplyWriter  *self,
                GError            **error)
{
  if (self->finished)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The reply was already finished."));
      return FALSE;
    }

  return TRUE;
}

gboolean
natter_reply_writer_append (NatterReplyWriter  *self,
                            const char         *text,
                            gssize              len,
                            GError            **error)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  g_string_append_len (self->text, text, len < 0 ? (gssize) strlen (text) : len);

  return maybe_flush (self, error);
}

gboolean
natter_reply_writer_append_reasoning (NatterReplyWriter  *self,
                                      const char         *text,
                                      gssize              len,
                                      GError            **error)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), FALSE);
  g_return_val_if_fail (text != NULL || len == 0, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  g_string_append_len (self->reasoning, text, len < 0 ? (gssize) strlen (text) : len);

  return maybe_flush (self, error);
}

gboolean
natter_reply_writer_finish (NatterReplyWriter   *self,
                            NatterSwipeState     state,
                            NatterErrorCategory  category,
                            const char          *error_message,
                            GError             **error)
{
  g_return_val_if_fail (NATTER_IS_REPLY_WRITER (self), FALSE);
  g_return_val_if_fail (state == NATTER_SWIPE_STATE_COMPLETE ||
                        state == NATTER_SWIPE_STATE_ERROR ||
                        state == NATTER_SWIPE_STATE_CANCELLED, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  cancel_timeout (self);

  if (!save_swipe (self, natter_swipe_state_to_string (state), category, error_message, error))
    return FALSE;

  writer_forget (self);

  /* The list shows the reply's start; the chat itself knows it. */
  _natter_chat_store_emit_chat_changed (self->store, self->chat_id);

  return TRUE;
}
