/* natter-chat-store-worker.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "natter-chat-store-private.h"
#include "natter-database-private.h"
#include "natter-st-chat.h"

/* Heavy writes (imports) on a worker thread with a store of its own on the
 * same file; when they are done, this store re-reads what changed (its
 * signals fire on the calling thread). */

typedef struct
{
  char                     *path;
  NatterChatStoreWorkFunc   func;
  gpointer                  data;
  GDestroyNotify            destroy;
} Work;

static void
work_free (Work *work)
{
  if (work->destroy != NULL)
    work->destroy (work->data);
  g_free (work->path);
  g_free (work);
}

static void
work_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Work *work = task_data;
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(NatterChatStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 result;

  if (!(db = natter_database_open (work->path, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  store = natter_chat_store_new (db);

  result = work->func (store, work->data, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, result);
}

static void
work_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *outer = user_data;
  NatterChatStore *self = NATTER_CHAT_STORE (object);
  g_autoptr(GError) error = NULL;
  gssize value = g_task_propagate_int (G_TASK (result), &error);

  /* Seen at once rather than at the next poll. */
  natter_database_check_external_changes (self->db);

  if (error != NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_int (outer, value);
  g_object_unref (outer);
}

void
natter_chat_store_run_async (NatterChatStore         *self,
                             NatterChatStoreWorkFunc  func,
                             gpointer                 data,
                             GDestroyNotify           destroy,
                             GCancellable            *cancellable,
                             GAsyncReadyCallback      callback,
                             gpointer                 user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  Work *work;

  g_return_if_fail (NATTER_IS_CHAT_STORE (self));
  g_return_if_fail (func != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, natter_chat_store_run_async);

  /* In memory no other connection sees the data: run it here. */
  if (!_natter_database_is_shared (self->db))
    {
      g_autoptr(GError) error = NULL;
      gint64 value = func (self, data, cancellable, &error);

      if (destroy != NULL)
        destroy (data);
      if (error != NULL)
        g_task_return_error (outer, g_steal_pointer (&error));
      else
        g_task_return_int (outer, value);
      return;
    }

  work = g_new0 (Work, 1);
  work->path = g_strdup (natter_database_get_path (self->db));
  work->func = func;
  work->data = data;
  work->destroy = destroy;

  inner = g_task_new (self, cancellable, work_done, g_steal_pointer (&outer));
  g_task_set_name (inner, "[natter] store work");
  g_task_set_task_data (inner, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (inner, work_thread);
}

gint64
natter_chat_store_run_finish (NatterChatStore  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  if (g_task_had_error (G_TASK (result)))
    {
      g_task_propagate_int (G_TASK (result), error);
      return 0;
    }

  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- SillyTavern chat import ------------------------------------------- */

typedef struct
{
  char   *path;
  gint64  character_id;
  char   *title;
} Import;

static void
import_free (gpointer data)
{
  Import *import = data;

  g_free (import->path);
  g_free (import->title);
  g_free (import);
}

static gint64
import_st_chat (NatterChatStore  *store,
                gpointer          data,
                GCancellable     *cancellable,
                GError          **error)
{
  Import *import = data;

  return natter_st_chat_import_file (store, import->path, import->character_id,
                                     import->title, error);
}

void
natter_chat_store_import_st_chat_async (NatterChatStore     *self,
                                        const char          *path,
                                        gint64               character_id,
                                        const char          *title,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  Import *import;

  g_return_if_fail (NATTER_IS_CHAT_STORE (self));
  g_return_if_fail (path != NULL);

  import = g_new0 (Import, 1);
  import->path = g_strdup (path);
  import->character_id = character_id;
  import->title = g_strdup (title);
  natter_chat_store_run_async (self, import_st_chat, import, import_free,
                               cancellable, callback, user_data);
}

gint64
natter_chat_store_import_st_chat_finish (NatterChatStore  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  return natter_chat_store_run_finish (self, result, error);
}
