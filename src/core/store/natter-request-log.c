/* natter-request-log.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-request-log"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-request-log-private.h"

/* NatterRequestLog */

struct _NatterRequestLog
{
  GObject         parent_instance;

  NatterDatabase *database;
  GPtrArray      *items;       /* NatterLogEntry, newest first */
  GHashTable     *looked_up;   /* id → NatterLogEntry loaded by lookup() */
};

static void request_log_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NatterRequestLog, natter_request_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, request_log_model_iface_init))

static GType
natter_request_log_get_item_type (GListModel *model)
{
  return NATTER_TYPE_LOG_ENTRY;
}

static guint
natter_request_log_get_n_items (GListModel *model)
{
  return NATTER_REQUEST_LOG (model)->items->len;
}

static gpointer
natter_request_log_get_item (GListModel *model,
                             guint       position)
{
  NatterRequestLog *self = NATTER_REQUEST_LOG (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
request_log_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = natter_request_log_get_item_type;
  iface->get_n_items = natter_request_log_get_n_items;
  iface->get_item = natter_request_log_get_item;
}

static void
natter_request_log_finalize (GObject *object)
{
  NatterRequestLog *self = (NatterRequestLog *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->looked_up, g_hash_table_unref);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (natter_request_log_parent_class)->finalize (object);
}

static void
natter_request_log_class_init (NatterRequestLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_request_log_finalize;
}

static void
natter_request_log_init (NatterRequestLog *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->looked_up = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_object_unref);
}

#define SELECT_COLUMNS \
  "SELECT id, started_at, profile, provider, model, method, url, request_headers," \
  " request_body, status, response_headers, raw, raw_truncated, text, reasoning," \
  " ttfb_ms, ttft_ms, total_ms, input_tokens, output_tokens, estimated_input_tokens," \
  " error_category, error_message, state FROM request_log "

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gint64
column_int64_or_unknown (sqlite3_stmt *stmt,
                         int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return -1;

  return sqlite3_column_int64 (stmt, column);
}

static NatterLogEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  NatterLogEntry *entry = g_object_new (NATTER_TYPE_LOG_ENTRY, NULL);
  const char *text;

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->started_at = sqlite3_column_int64 (stmt, 1);
  entry->profile = column_dup (stmt, 2);
  entry->provider = column_dup (stmt, 3);
  entry->model = column_dup (stmt, 4);
  entry->method = column_dup (stmt, 5);
  entry->url = column_dup (stmt, 6);
  entry->request_headers = column_dup (stmt, 7);
  entry->request_body = column_dup (stmt, 8);
  entry->status = (guint) CLAMP (sqlite3_column_int64 (stmt, 9), 0, G_MAXUINT);
  entry->response_headers = column_dup (stmt, 10);
  g_string_append_len (entry->raw, sqlite3_column_blob (stmt, 11), sqlite3_column_bytes (stmt, 11));
  entry->raw_truncated = sqlite3_column_int (stmt, 12) != 0;
  if ((text = (const char *) sqlite3_column_text (stmt, 13)))
    g_string_append (entry->text, text);
  if ((text = (const char *) sqlite3_column_text (stmt, 14)))
    g_string_append (entry->reasoning, text);
  entry->ttfb_ms = column_int64_or_unknown (stmt, 15);
  entry->ttft_ms = column_int64_or_unknown (stmt, 16);
  entry->total_ms = column_int64_or_unknown (stmt, 17);
  entry->input_tokens = column_int64_or_unknown (stmt, 18);
  entry->output_tokens = column_int64_or_unknown (stmt, 19);
  entry->estimated_input_tokens = column_int64_or_unknown (stmt, 20);
  entry->error_category =
    natter_error_category_from_string ((const char *) sqlite3_column_text (stmt, 21));
  entry->error_message = column_dup (stmt, 22);
  entry->state = _natter_log_state_from_string ((const char *) sqlite3_column_text (stmt, 23));
  /* Loaded rows are history: nothing streams into them any more. */
  entry->finished = TRUE;

  return entry;
}

static gboolean
load (NatterRequestLog  *self,
      GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = natter_database_prepare (self->database,
                                  SELECT_COLUMNS "ORDER BY id DESC LIMIT ?1", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, NATTER_REQUEST_LOG_LOAD);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (self->items, entry_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, _("Could not read the request log"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  return TRUE;
}

NatterRequestLog *
natter_request_log_new (NatterDatabase  *database,
                        GError         **error)
{
  g_autoptr(NatterRequestLog) self = NULL;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), NULL);

  self = g_object_new (NATTER_TYPE_REQUEST_LOG, NULL);
  self->database = g_object_ref (database);

  if (!load (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Keeps the in-memory model bounded in a long session. Only finished
 * entries at the old end are dropped: a live one is still being written. */
static void
trim_model (NatterRequestLog *self)
{
  while (self->items->len > NATTER_REQUEST_LOG_KEEP)
    {
      guint last = self->items->len - 1;
      NatterLogEntry *entry = g_ptr_array_index (self->items, last);

      if (!entry->finished)
        break;

      g_ptr_array_remove_index (self->items, last);
      g_list_model_items_changed (G_LIST_MODEL (self), last, 1, 0);
    }
}

static char *
body_to_text (GBytes *body)
{
  const char *data;
  gsize size;

  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &size);
  if (g_utf8_validate_len (data, size, NULL))
    return g_strndup (data, size);

  return g_utf8_make_valid (data, size);
}

NatterLogEntry *
natter_request_log_begin (NatterRequestLog *self,
                          NatterRequest    *request,
                          const char       *profile,
                          const char       *provider,
                          const char       *model,
                          const char       *secret)
{
  g_autoptr(NatterLogEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_REQUEST_LOG (self), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  entry = g_object_new (NATTER_TYPE_LOG_ENTRY, NULL);
  entry->start_monotonic = g_get_monotonic_time ();
  entry->started_at = g_get_real_time () / 1000;
  entry->secret = _natter_log_secret_usable (secret) ? g_strdup (secret) : NULL;
  entry->profile = g_strdup (profile);
  entry->provider = g_strdup (provider);
  entry->model = g_strdup (model);
  entry->method = g_strdup (natter_request_get_method (request));
  entry->url = _natter_log_scrub_take (natter_request_dup_redacted_url (request), secret);
  entry->request_headers =
    _natter_log_scrub_take (natter_request_dup_redacted_headers_json (request), secret);
  entry->request_body = _natter_log_scrub_take (body_to_text (natter_request_get_body (request)), secret);
  entry->request_body = _natter_log_elide_base64_take (entry->request_body);
  entry->state = NATTER_LOG_STATE_PENDING;

  stmt = natter_database_prepare (self->database,
                                  "INSERT INTO request_log (started_at, profile, provider, model,"
                                  " method, url, request_headers, request_body, state) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                  &error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, entry->started_at);
      sqlite3_bind_text (stmt, 2, entry->profile, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, entry->provider, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, entry->model, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, entry->method, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, entry->url, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, entry->request_headers, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, entry->request_body, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 9, natter_log_state_to_string (entry->state), -1, SQLITE_STATIC);

      if (sqlite3_step (stmt) == SQLITE_DONE)
        entry->id = sqlite3_last_insert_rowid (natter_database_get_handle (self->database));
      else
        natter_database_set_error (self->database, &error, _("Could not record the request"));

      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }

  if (error != NULL)
    g_warning ("The request log could not record a request: %s", error->message);

  g_ptr_array_insert (self->items, 0, g_object_ref (entry));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  trim_model (self);

  return entry;
}

void
natter_request_log_response_head (NatterRequestLog *self,
                                  NatterLogEntry   *entry,
                                  guint             status,
                                  const char       *headers_json)
{
  g_return_if_fail (NATTER_IS_REQUEST_LOG (self));
  g_return_if_fail (NATTER_IS_LOG_ENTRY (entry));

  if (entry->finished)
    return;

  entry->status = status;
  g_free (entry->response_headers);
  entry->response_headers = g_strdup (headers_json);
  if (entry->ttfb_ms < 0)
    entry->ttfb_ms = _natter_log_entry_elapsed_ms (entry);
  entry->state = NATTER_LOG_STATE_STREAMING;

  /* Once per request: no need to wait for the coalescing timer. */
  entry->dirty |= DIRTY_STATE | DIRTY_TIMING;
  _natter_log_entry_flush_notify (entry);
}

void
natter_request_log_append_raw (NatterRequestLog *self,
                               NatterLogEntry   *entry,
                               const char       *data,
                               gsize             len)
{
  gsize room;

  g_return_if_fail (entry != NULL);

  if (G_UNLIKELY (entry->finished))
    return;

  if (G_UNLIKELY (entry->ttfb_ms < 0))
    {
      entry->ttfb_ms = _natter_log_entry_elapsed_ms (entry);
      entry->state = NATTER_LOG_STATE_STREAMING;
      entry->dirty |= DIRTY_TIMING | DIRTY_STATE;
    }

  room = NATTER_REQUEST_LOG_RAW_CAP - entry->raw->len;
  if (G_UNLIKELY (len > room))
    {
      len = room;
      entry->raw_truncated = TRUE;
    }

  if (len > 0)
    g_string_append_len (entry->raw, data, len);

  _natter_log_entry_mark_dirty (entry, DIRTY_RAW);
}

/* How much of @text fits under NATTER_REQUEST_LOG_TEXT_CAP, cut between characters. */
static gsize
text_room (GString *s, const char *text, gsize len)
{
  gsize room = NATTER_REQUEST_LOG_TEXT_CAP - MIN (s->len, NATTER_REQUEST_LOG_TEXT_CAP);

  if (len <= room)
    return len;
  while (room > 0 && ((guchar) text[room] & 0xC0) == 0x80)
    room--;
  return room;
}

void
natter_request_log_append_text (NatterRequestLog *self,
                                NatterLogEntry   *entry,
                                const char       *text,
                                gsize             len)
{
  g_return_if_fail (entry != NULL);

  if (G_UNLIKELY (entry->finished))
    return;

  if (G_UNLIKELY (entry->ttft_ms < 0))
    {
      entry->ttft_ms = _natter_log_entry_elapsed_ms (entry);
      entry->dirty |= DIRTY_TIMING;
    }

  len = text_room (entry->text, text, len);
  g_string_append_len (entry->text, text, len);
  _natter_log_entry_mark_dirty (entry, DIRTY_TEXT);
}

void
natter_request_log_append_reasoning (NatterRequestLog *self,
                                     NatterLogEntry   *entry,
                                     const char       *text,
                                     gsize             len)
{
  g_return_if_fail (entry != NULL);

  if (G_UNLIKELY (entry->finished))
    return;

  len = text_room (entry->reasoning, text, len);
  g_string_append_len (entry->reasoning, text, len);
  _natter_log_entry_mark_dirty (entry, DIRTY_REASONING);
}

void
natter_request_log_set_usage (NatterRequestLog *self,
                              NatterLogEntry   *entry,
                              gint64            input_tokens,
                              gint64            output_tokens)
{
  g_return_if_fail (NATTER_IS_LOG_ENTRY (entry));

  if (entry->finished)
    return;

  entry->input_tokens = MAX (input_tokens, -1);
  entry->output_tokens = MAX (output_tokens, -1);
  _natter_log_entry_mark_dirty (entry, DIRTY_USAGE);
}

void
natter_request_log_set_estimated_input_tokens (NatterRequestLog *self,
                                               NatterLogEntry   *entry,
                                               gint64            n)
{
  g_return_if_fail (NATTER_IS_LOG_ENTRY (entry));

  if (entry->finished)
    return;

  entry->estimated_input_tokens = MAX (n, -1);
  _natter_log_entry_mark_dirty (entry, DIRTY_USAGE);
}

static void
bind_int64_or_null (sqlite3_stmt *stmt,
                    int           index,
                    gint64        value)
{
  if (value < 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

static gboolean
write_finished (NatterRequestLog  *self,
                NatterLogEntry    *entry,
                GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = natter_database_prepare (self->database,
                                  "UPDATE request_log SET status = ?1, response_headers = ?2,"
                                  " raw = ?3, raw_truncated = ?4, text = ?5, reasoning = ?6,"
                                  " ttfb_ms = ?7, ttft_ms = ?8, total_ms = ?9,"
                                  " input_tokens = ?10, output_tokens = ?11,"
                                  " estimated_input_tokens = ?12, error_category = ?13,"
                                  " error_message = ?14, state = ?15 "
                                  "WHERE id = ?16",
                                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, entry->status);
  sqlite3_bind_text (stmt, 2, entry->response_headers, -1, SQLITE_STATIC);
  sqlite3_bind_blob64 (stmt, 3, entry->raw->str, entry->raw->len, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, entry->raw_truncated ? 1 : 0);
  sqlite3_bind_text64 (stmt, 5, entry->text->str, entry->text->len, SQLITE_STATIC, SQLITE_UTF8);
  sqlite3_bind_text64 (stmt, 6, entry->reasoning->str, entry->reasoning->len,
                       SQLITE_STATIC, SQLITE_UTF8);
  bind_int64_or_null (stmt, 7, entry->ttfb_ms);
  bind_int64_or_null (stmt, 8, entry->ttft_ms);
  bind_int64_or_null (stmt, 9, entry->total_ms);
  bind_int64_or_null (stmt, 10, entry->input_tokens);
  bind_int64_or_null (stmt, 11, entry->output_tokens);
  bind_int64_or_null (stmt, 12, entry->estimated_input_tokens);
  if (entry->error_category == NATTER_ERROR_CATEGORY_NONE)
    sqlite3_bind_null (stmt, 13);
  else
    sqlite3_bind_text (stmt, 13, natter_error_category_to_string (entry->error_category),
                       -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 14, entry->error_message, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 15, natter_log_state_to_string (entry->state), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 16, entry->id);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, _("Could not record the response"));
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  /* The bindings point into the entry's buffers. */
  sqlite3_clear_bindings (stmt);

  stmt = natter_database_prepare (self->database,
                                  "DELETE FROM request_log WHERE id <= "
                                  "(SELECT MAX(id) FROM request_log) - ?1",
                                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int (stmt, 1, NATTER_REQUEST_LOG_KEEP);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (self->database, error, _("Could not prune the request log"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  return TRUE;
}

void
natter_request_log_finish (NatterRequestLog    *self,
                           NatterLogEntry      *entry,
                           NatterErrorCategory  category,
                           const char          *message)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (NATTER_IS_REQUEST_LOG (self));
  g_return_if_fail (NATTER_IS_LOG_ENTRY (entry));

  if (entry->finished)
    return;

  entry->finished = TRUE;
  entry->total_ms = _natter_log_entry_elapsed_ms (entry);
  entry->error_category = category;
  g_free (entry->error_message);
  entry->error_message = NULL;

  if (category == NATTER_ERROR_CATEGORY_NONE)
    entry->state = NATTER_LOG_STATE_DONE;
  else if (category == NATTER_ERROR_CATEGORY_CANCELLED)
    entry->state = NATTER_LOG_STATE_CANCELLED;
  else
    {
      entry->state = NATTER_LOG_STATE_ERROR;
      entry->error_message = _natter_log_scrub_take (g_strdup (message), entry->secret);
    }

  if (category == NATTER_ERROR_CATEGORY_CANCELLED && message != NULL)
    entry->error_message = _natter_log_scrub_take (g_strdup (message), entry->secret);

  /* Providers sometimes echo the key back (in an error body, say): the
   * secret goes no further than memory of this call. */
  if (entry->secret != NULL)
    {
      _natter_log_scrub_gstring (entry->raw, entry->secret);
      _natter_log_scrub_gstring (entry->text, entry->secret);
      _natter_log_scrub_gstring (entry->reasoning, entry->secret);
      entry->response_headers = _natter_log_scrub_take (entry->response_headers, entry->secret);
      memset (entry->secret, 0, strlen (entry->secret));
      g_clear_pointer (&entry->secret, g_free);
    }

  if (entry->id > 0 && !write_finished (self, entry, &error))
    g_warning ("The request log could not record a response: %s", error->message);

  g_clear_handle_id (&entry->notify_source, g_source_remove);
  entry->dirty = DIRTY_RAW | DIRTY_TEXT | DIRTY_REASONING | DIRTY_TIMING | DIRTY_STATE | DIRTY_USAGE;
  _natter_log_entry_flush_notify (entry);

  trim_model (self);
}

NatterLogEntry *
natter_request_log_get_last (NatterRequestLog *self)
{
  g_return_val_if_fail (NATTER_IS_REQUEST_LOG (self), NULL);

  if (self->items->len == 0)
    return NULL;

  return g_ptr_array_index (self->items, 0);
}

NatterLogEntry *
natter_request_log_lookup (NatterRequestLog *self,
                           gint64            id)
{
  g_autoptr(GError) error = NULL;
  NatterLogEntry *entry;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_REQUEST_LOG (self), NULL);

  if (id <= 0)
    return NULL;

  for (guint i = 0; i < self->items->len; i++)
    {
      entry = g_ptr_array_index (self->items, i);
      if (entry->id == id)
        return entry;
    }

  if ((entry = g_hash_table_lookup (self->looked_up, &id)))
    return entry;

  stmt = natter_database_prepare (self->database, SELECT_COLUMNS "WHERE id = ?1", &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, id);
  entry = NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      entry = entry_from_row (stmt);
      g_hash_table_insert (self->looked_up, &entry->id, entry);
    }
  sqlite3_reset (stmt);

  return entry;
}
