/* natter-chat-store-search.c
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

/* ---- search ------------------------------------------------------------ */

/* Each whitespace-separated word becomes an FTS5 string ("…" with inner
 * quotes doubled), so operators, parentheses, colons and stray quotes in
 * what people type are matched as text, never parsed. */
static char *
fts_query_from_user_text (const char *text)
{
  g_autoptr(GString) query = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        break;

      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *q = start; q < p; q++)
        {
          if (*q == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *q);
        }
      g_string_append_c (query, '"');
    }

  return g_string_free (g_steal_pointer (&query), query->len == 0);
}

static GPtrArray *
search_db (NatterDatabase  *db,
           const char      *query,
           guint            limit,
           GError         **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_search_hit_free);
  g_autofree char *fts_query = NULL;
  int rc;

  if (!g_utf8_validate (query, -1, NULL))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The search text is not valid UTF-8."));
      return NULL;
    }

  if (!(fts_query = fts_query_from_user_text (query)))
    return g_steal_pointer (&hits);

  if (!(stmt = natter_database_prepare (db,
                                        "SELECT m.chat_id, c.title, m.id,"
                                        " snippet(swipes_fts, 0, '" NATTER_SEARCH_MATCH_BEGIN "', '"
                                        NATTER_SEARCH_MATCH_END "', '…', 12)"
                                        " FROM swipes_fts"
                                        " JOIN swipes s ON s.id = swipes_fts.rowid"
                                        " JOIN messages m ON m.id = s.message_id"
                                        " JOIN chats c ON c.id = m.chat_id"
                                        " WHERE swipes_fts MATCH ?1"
                                        " ORDER BY swipes_fts.rowid DESC LIMIT ?2", error)))
    return NULL;

  bind_text (stmt, 1, fts_query);
  sqlite3_bind_int64 (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      NatterSearchHit *hit = g_new0 (NatterSearchHit, 1);

      hit->chat_id = sqlite3_column_int64 (stmt, 0);
      hit->chat_title = dup_column_text (stmt, 1);
      hit->message_id = sqlite3_column_int64 (stmt, 2);
      hit->snippet = dup_column_text (stmt, 3);
      g_ptr_array_add (hits, hit);
    }

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (db, error, _("Could not search the chats"));
      return NULL;
    }

  return g_steal_pointer (&hits);
}

GPtrArray *
natter_chat_store_search (NatterChatStore  *self,
                          const char       *query,
                          guint             limit,
                          GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return search_db (self->db, query, limit, error);
}

/* ---- off the calling thread ------------------------------------------- */

typedef struct
{
  char   *query;
  guint   limit;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_free (data->query);
  g_free (data);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *data = task_data;
  NatterChatStore *self = source_object;
  NatterDatabase *reader;
  g_autoptr(GError) error = NULL;
  GPtrArray *hits;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!(reader = _natter_chat_store_lock_reader (self, cancellable, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  hits = search_db (reader, data->query, data->limit, &error);
  _natter_chat_store_unlock_reader (self);
  if (g_cancellable_set_error_if_cancelled (cancellable, &error) || hits == NULL)
    {
      g_clear_pointer (&hits, g_ptr_array_unref);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
}

void
natter_chat_store_search_async (NatterChatStore     *self,
                                const char          *query,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SearchData *data;

  g_return_if_fail (NATTER_IS_CHAT_STORE (self));
  g_return_if_fail (query != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_chat_store_search_async);
  g_task_set_name (task, "[natter] search");
  g_task_set_return_on_cancel (task, TRUE);

  /* A database no other connection can see (in memory): here. */
  if (!_natter_database_is_shared (self->db))
    {
      g_autoptr(GError) error = NULL;
      GPtrArray *hits = search_db (self->db, query, limit, &error);

      if (hits == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  data = g_new0 (SearchData, 1);
  data->query = g_strdup (query);
  data->limit = limit;
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);
  g_task_run_in_thread (task, search_thread);
}

GPtrArray *
natter_chat_store_search_finish (NatterChatStore  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
