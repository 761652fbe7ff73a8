/* natter-chat-store.c
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

/* ---- NatterChatStore --------------------------------------------------- */

G_DEFINE_FINAL_TYPE (NatterChatStore, natter_chat_store, G_TYPE_OBJECT)

enum {
  CHAT_CHANGED,
  MESSAGES_CHANGED,
  CHARACTERS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
natter_chat_store_dispose (GObject *object)
{
  NatterChatStore *self = (NatterChatStore *)object;

  if (self->db != NULL && self->external_handler != 0)
    g_clear_signal_handler (&self->external_handler, self->db);
  _natter_chat_store_drop_models (self);

  G_OBJECT_CLASS (natter_chat_store_parent_class)->dispose (object);
}

static void
natter_chat_store_finalize (GObject *object)
{
  NatterChatStore *self = (NatterChatStore *)object;

  /* No worker holds the reader: each holds a reference to the store. */
  g_clear_object (&self->reader);
  g_mutex_clear (&self->reader_lock);
  g_clear_object (&self->db);
  g_clear_pointer (&self->active_swipes, g_hash_table_unref);

  G_OBJECT_CLASS (natter_chat_store_parent_class)->finalize (object);
}

static void
natter_chat_store_class_init (NatterChatStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = natter_chat_store_dispose;
  object_class->finalize = natter_chat_store_finalize;

  signals[CHAT_CHANGED] =
    g_signal_new ("chat-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[MESSAGES_CHANGED] =
    g_signal_new ("messages-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[CHARACTERS_CHANGED] =
    g_signal_new ("characters-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
natter_chat_store_init (NatterChatStore *self)
{
  self->active_swipes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_mutex_init (&self->reader_lock);
}

NatterDatabase *
_natter_chat_store_lock_reader (NatterChatStore  *self,
                                GCancellable     *cancellable,
                                GError          **error)
{
  g_mutex_lock (&self->reader_lock);

  if (self->reader == NULL)
    {
      /* self->db's path never changes: safe to read from here. */
      self->reader = _natter_database_open_reader (natter_database_get_path (self->db), NULL, error);
      if (self->reader == NULL)
        {
          g_mutex_unlock (&self->reader_lock);
          return NULL;
        }
    }

  _natter_database_set_cancellable (self->reader, cancellable);

  return self->reader;
}

void
_natter_chat_store_unlock_reader (NatterChatStore *self)
{
  if (self->reader != NULL)
    _natter_database_set_cancellable (self->reader, NULL);
  g_mutex_unlock (&self->reader_lock);
}

void
_natter_chat_store_emit_chat_changed (NatterChatStore *self,
                                      gint64           chat_id)
{
  g_signal_emit (self, signals[CHAT_CHANGED], 0, chat_id);
}

void
_natter_chat_store_emit_messages_changed (NatterChatStore *self,
                                          gint64           chat_id)
{
  g_signal_emit (self, signals[MESSAGES_CHANGED], 0, chat_id);
}

void
_natter_chat_store_emit_characters_changed (NatterChatStore *self)
{
  g_signal_emit (self, signals[CHARACTERS_CHANGED], 0);
}

/* Another process (or connection) changed the file: which rows is not
 * known, so everything is to be re-read. */
static void
on_changed_externally (NatterDatabase  *db,
                       NatterChatStore *self)
{
  g_autoptr(NatterChatStore) hold = g_object_ref (self);

  _natter_chat_store_emit_characters_changed (self);
  _natter_chat_store_emit_chat_changed (self, 0);
  _natter_chat_store_emit_messages_changed (self, 0);
}

/* Swipes with a live NatterReplyWriter in this process, over all stores
 * (a worker thread may open its own store on the same file), as
 * "path\nswipe id". */
static GMutex live_swipes_lock;
static GHashTable *live_swipes;

static char *
live_swipe_key (NatterDatabase *db,
                gint64          swipe_id)
{
  const char *path = natter_database_get_path (db);

  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT, path != NULL ? path : "", swipe_id);
}

void
live_swipe_add (NatterDatabase *db,
                gint64          swipe_id)
{
  g_mutex_lock (&live_swipes_lock);
  if (live_swipes == NULL)
    live_swipes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (live_swipes, live_swipe_key (db, swipe_id));
  g_mutex_unlock (&live_swipes_lock);
}

void
live_swipe_remove (NatterDatabase *db,
                   gint64          swipe_id)
{
  g_autofree char *key = live_swipe_key (db, swipe_id);

  g_mutex_lock (&live_swipes_lock);
  if (live_swipes != NULL)
    g_hash_table_remove (live_swipes, key);
  g_mutex_unlock (&live_swipes_lock);
}

static gboolean
live_swipe_contains (NatterDatabase *db,
                     gint64          swipe_id)
{
  g_autofree char *key = live_swipe_key (db, swipe_id);
  gboolean found;

  g_mutex_lock (&live_swipes_lock);
  found = live_swipes != NULL && g_hash_table_contains (live_swipes, key);
  g_mutex_unlock (&live_swipes_lock);

  return found;
}

/* A swipe left "streaming" with no writer alive is what a crash (or a
 * kill) left behind: what was saved is all there is. It becomes
 * "incomplete", which also puts its text in the search index (streaming
 * text is kept out of it; see the 2 → 3 migration). */
static gboolean
close_dead_replies (NatterChatStore  *self,
                    GError          **error)
{
  g_autoptr(GArray) dead = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT id FROM swipes WHERE state = 'streaming'", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (!live_swipe_contains (self->db, id))
        g_array_append_val (dead, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return natter_database_set_error (self->db, error, _("Could not read the database"));

  if (dead->len == 0)
    return TRUE;

  if (!natter_database_begin (self->db, error))
    return FALSE;
  for (guint i = 0; i < dead->len; i++)
    {
      if (!(stmt = natter_database_prepare (self->db,
                                            "UPDATE swipes SET state = 'incomplete'"
                                            " WHERE id = ?1 AND state = 'streaming'", error)))
        goto fail;
      sqlite3_bind_int64 (stmt, 1, g_array_index (dead, gint64, i));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          natter_database_set_error (self->db, error, _("Could not save the end of an interrupted reply"));
          goto fail;
        }
    }
  return natter_database_commit (self->db, error);

fail:
  natter_database_rollback (self->db);
  return FALSE;
}

NatterChatStore *
natter_chat_store_new (NatterDatabase *database)
{
  NatterChatStore *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), NULL);

  self = g_object_new (NATTER_TYPE_CHAT_STORE, NULL);
  self->db = g_object_ref (database);

  /* Not fatal: such a reply still reads as incomplete, it is only not
   * searchable yet. */
  if (!close_dead_replies (self, &error))
    g_warning ("Could not close interrupted replies: %s", error->message);

  self->external_handler = g_signal_connect (database, "changed-externally",
                                             G_CALLBACK (on_changed_externally), self);

  return self;
}

NatterDatabase *
natter_chat_store_get_database (NatterChatStore *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  return self->db;
}

gboolean
step_done (NatterChatStore  *self,
           sqlite3_stmt     *stmt,
           GError          **error,
           const char       *failure)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      /* The reset above carries the statement's error to the connection. */
      return natter_database_set_error (self->db, error, failure);
    }

  return TRUE;
}

/* One whole sentence per kind of row, so that each language can phrase
 * it (and inflect the noun) as it needs. */
gboolean
not_found (GError    **error,
           StoreItem   item,
           gint64      id)
{
  long long n = id;

  switch (item)
    {
    case STORE_ITEM_CHAT:
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   /* Translators: %lld is the chat's id number. */
                   _("There is no chat %lld."), n);
      break;
    case STORE_ITEM_MESSAGE:
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   /* Translators: %lld is the message's id number. */
                   _("There is no message %lld."), n);
      break;
    case STORE_ITEM_CHARACTER:
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   /* Translators: %lld is the character's id number. */
                   _("There is no character %lld."), n);
      break;
    case STORE_ITEM_PERSONA:
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   /* Translators: %lld is the persona's id number. */
                   _("There is no persona %lld."), n);
      break;
    case STORE_ITEM_LOREBOOK:
    default:
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   /* Translators: %lld is the lorebook's id number. */
                   _("There is no lorebook %lld."), n);
      break;
    }
  return FALSE;
}

char *
dup_column_text (sqlite3_stmt *stmt,
                 int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  return g_strdup (text);
}

GBytes *
dup_column_bytes (sqlite3_stmt *stmt,
                  int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return NULL;

  return g_bytes_new (sqlite3_column_blob (stmt, col), sqlite3_column_bytes (stmt, col));
}

void
bind_bytes (sqlite3_stmt *stmt,
            int           col,
            GBytes       *bytes)
{
  if (bytes == NULL)
    sqlite3_bind_null (stmt, col);
  else
    {
      gsize len;
      gconstpointer data = g_bytes_get_data (bytes, &len);

      sqlite3_bind_blob64 (stmt, col, data ? data : "", len, SQLITE_TRANSIENT);
    }
}

void
bind_text (sqlite3_stmt *stmt,
           int           col,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_TRANSIENT);
}

gboolean
delete_by_id (NatterChatStore  *self,
              const char       *sql,
              gint64            id,
              StoreItem         item,
              const char       *failure,
              GError          **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = natter_database_prepare (self->db, sql, error)))
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, id);

  if (!step_done (self, stmt, error, failure))
    return FALSE;

  if (sqlite3_changes (natter_database_get_handle (self->db)) == 0)
    return not_found (error, item, id);

  return TRUE;
}

void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           col,
                 gint64        id)
{
  if (id == 0)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_int64 (stmt, col, id);
}
