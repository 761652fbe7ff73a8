/* natter-chat-store-models.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-chat-info-private.h"
#include "natter-chat-store-private.h"

/* The chat and character lists as GListModels that follow the store's
 * signals. A change schedules one reload in an idle callback, so a burst of
 * changes (an import, a reply) costs one query; the reload reuses the items
 * it already has and replaces only the span of the list that differs. */

#define PREVIEW_CHARS 120

/* Gives @store the items of @fresh (same item type), keeping the common
 * start and end of the list untouched. Items of @fresh that are already in
 * @store are the same objects (the caller reuses them). */
static void
splice_changed_span (GListStore *store,
                     GPtrArray  *fresh)
{
  guint old_n = g_list_model_get_n_items (G_LIST_MODEL (store));
  guint new_n = fresh->len;
  guint prefix = 0;
  guint suffix = 0;

  while (prefix < old_n && prefix < new_n)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), prefix);

      if (item != fresh->pdata[prefix])
        break;
      prefix++;
    }

  while (suffix < old_n - prefix && suffix < new_n - prefix)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), old_n - 1 - suffix);

      if (item != fresh->pdata[new_n - 1 - suffix])
        break;
      suffix++;
    }

  if (prefix + suffix == old_n && prefix + suffix == new_n)
    return;

  g_list_store_splice (store, prefix, old_n - prefix - suffix,
                       fresh->pdata + prefix, new_n - prefix - suffix);
}

static GHashTable *
items_by_id (GListStore *store,
             gint64    (*get_id) (gpointer item))
{
  GHashTable *map = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      GObject *item = g_list_model_get_item (G_LIST_MODEL (store), i);
      gint64 id = get_id (item);

      g_hash_table_insert (map, g_memdup2 (&id, sizeof id), item);
    }

  return map;
}

/* ---- chats ------------------------------------------------------------- */

/* The first line of @text, cut at a character boundary. */
static char *
one_line (const char *text)
{
  g_autoptr(GString) line = g_string_new (NULL);
  const char *p = text;
  guint n = 0;

  if (text == NULL)
    return g_strdup ("");

  /* Leading blank lines say nothing. */
  while (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t')
    p++;

  for (; *p != '\0' && n < PREVIEW_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\r')
        break;
      g_string_append_unichar (line, c == '\t' ? ' ' : c);
    }
  if (*p != '\0' && *p != '\n' && *p != '\r')
    g_string_append (line, "…");

  return g_string_free (g_steal_pointer (&line), FALSE);
}

static gint64
chat_info_id (gpointer item)
{
  return natter_chat_info_get_id (item);
}

static gboolean
reload_chats (NatterChatStore  *self,
              GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GHashTable) old = NULL;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  /* The preview reads a prefix of the last message's selected swipe: one
   * index seek per chat, whatever the chat's length. */
  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT c.id, c.title, IFNULL(c.character_id, 0), IFNULL(h.name, ''),"
                                        " c.updated_at, IFNULL(c.parent_chat_id, 0),"
                                        " (SELECT substr(s.content, 1, 600) FROM messages m"
                                        "   JOIN swipes s ON s.message_id = m.id AND s.idx = m.swipe_index"
                                        "   WHERE m.chat_id = c.id ORDER BY m.position DESC LIMIT 1)"
                                        " FROM chats c LEFT JOIN characters h ON h.id = c.character_id"
                                        " ORDER BY c.updated_at DESC, c.id DESC", error)))
    return FALSE;

  old = items_by_id (self->chats_model, chat_info_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *preview = one_line ((const char *) sqlite3_column_text (stmt, 6));
      NatterChatInfo *info = g_hash_table_lookup (old, &id);
      gboolean recount;

      if (info != NULL)
        g_object_ref (info);
      else
        info = _natter_chat_info_new (self, id);

      recount = self->all_chats_dirty ||
                (self->dirty_chats != NULL && g_hash_table_contains (self->dirty_chats, &id));
      _natter_chat_info_update (info,
                                (const char *) sqlite3_column_text (stmt, 1),
                                sqlite3_column_int64 (stmt, 2),
                                (const char *) sqlite3_column_text (stmt, 3),
                                sqlite3_column_int64 (stmt, 4),
                                preview,
                                sqlite3_column_int64 (stmt, 5),
                                recount);
      g_ptr_array_add (fresh, info);
    }

  if (rc != SQLITE_DONE)
    return natter_database_set_error (self->db, error, _("Could not list the chats"));

  sqlite3_reset (stmt);
  self->all_chats_dirty = FALSE;
  if (self->dirty_chats != NULL)
    g_hash_table_remove_all (self->dirty_chats);

  splice_changed_span (self->chats_model, fresh);

  return TRUE;
}

static gboolean
on_chats_reload (gpointer data)
{
  NatterChatStore *self = data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->chats_reload, g_source_unref);

  if (self->chats_model != NULL && !reload_chats (self, &error))
    g_warning ("Could not update the chat list: %s", error->message);

  return G_SOURCE_REMOVE;
}

static GSource *
schedule (NatterChatStore *self,
          GSourceFunc      func,
          const char      *name)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, func, self, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, context);

  return source;
}

static void
on_chat_changed (NatterChatStore *self,
                 gint64           chat_id)
{
  if (chat_id == 0)
    self->all_chats_dirty = TRUE;
  else
    g_hash_table_add (self->dirty_chats, g_memdup2 (&chat_id, sizeof chat_id));

  if (self->chats_reload == NULL)
    self->chats_reload = schedule (self, on_chats_reload, "[natter] chat list reload");
}

GListModel *
natter_chat_store_get_chats_model (NatterChatStore *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (self->chats_model != NULL)
    return G_LIST_MODEL (self->chats_model);

  self->chats_model = g_list_store_new (NATTER_TYPE_CHAT_INFO);
  self->dirty_chats = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_signal_connect (self, "chat-changed", G_CALLBACK (on_chat_changed), NULL);

  if (!reload_chats (self, &error))
    g_warning ("Could not list the chats: %s", error->message);

  return G_LIST_MODEL (self->chats_model);
}

/* ---- characters -------------------------------------------------------- */

static gint64
character_info_id (gpointer item)
{
  return natter_character_info_get_id (item);
}

static GBytes *
read_avatar (NatterChatStore *self,
             gint64           id)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;

  if (!(stmt = natter_database_prepare (self->db, "SELECT avatar FROM characters WHERE id = ?1", NULL)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return dup_column_bytes (stmt, 0);
}

static gboolean
reload_characters (NatterChatStore  *self,
                   GError          **error)
{
  AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autoptr(GHashTable) old = NULL;
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) reread = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  int rc;

  /* Avatars are read again only for characters whose row changed. */
  if (!(stmt = natter_database_prepare (self->db,
                                        "SELECT id, name, updated_at, IFNULL(length(avatar), -1)"
                                        " FROM characters ORDER BY name COLLATE NOCASE, id", error)))
    return FALSE;

  old = items_by_id (self->characters_model, character_info_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      char *key = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                   (gint64) sqlite3_column_int64 (stmt, 2),
                                   (gint64) sqlite3_column_int64 (stmt, 3));
      NatterCharacterInfo *info = g_hash_table_lookup (old, &id);
      const char *old_key = g_hash_table_lookup (self->character_keys, &id);
      gboolean known = info != NULL && g_strcmp0 (old_key, key) == 0;

      if (info != NULL)
        g_object_ref (info);
      else
        info = _natter_character_info_new (id);

      _natter_character_info_update (info, (const char *) sqlite3_column_text (stmt, 1),
                                     natter_character_info_get_avatar (info));
      if (!known)
        {
          guint index = fresh->len;

          g_array_append_val (reread, index);
        }

      g_hash_table_insert (keys, g_memdup2 (&id, sizeof id), key);
      g_ptr_array_add (fresh, info);
    }

  if (rc != SQLITE_DONE)
    return natter_database_set_error (self->db, error, _("Could not list the characters"));
  sqlite3_reset (stmt);

  for (guint i = 0; i < reread->len; i++)
    {
      NatterCharacterInfo *info = fresh->pdata[g_array_index (reread, guint, i)];
      g_autoptr(GBytes) avatar = read_avatar (self, natter_character_info_get_id (info));

      _natter_character_info_update (info, natter_character_info_get_name (info), avatar);
    }

  g_clear_pointer (&self->character_keys, g_hash_table_unref);
  self->character_keys = g_steal_pointer (&keys);

  splice_changed_span (self->characters_model, fresh);

  return TRUE;
}

static gboolean
on_characters_reload (gpointer data)
{
  NatterChatStore *self = data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->characters_reload, g_source_unref);

  if (self->characters_model != NULL && !reload_characters (self, &error))
    g_warning ("Could not update the character list: %s", error->message);

  return G_SOURCE_REMOVE;
}

static void
on_characters_changed (NatterChatStore *self)
{
  if (self->characters_reload == NULL)
    self->characters_reload = schedule (self, on_characters_reload, "[natter] character list reload");
}

GListModel *
natter_chat_store_get_characters_model (NatterChatStore *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (self), NULL);

  if (self->characters_model != NULL)
    return G_LIST_MODEL (self->characters_model);

  self->characters_model = g_list_store_new (NATTER_TYPE_CHARACTER_INFO);
  self->character_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_signal_connect (self, "characters-changed", G_CALLBACK (on_characters_changed), NULL);

  if (!reload_characters (self, &error))
    g_warning ("Could not list the characters: %s", error->message);

  return G_LIST_MODEL (self->characters_model);
}

void
_natter_chat_store_drop_models (NatterChatStore *self)
{
  if (self->chats_reload != NULL)
    {
      g_source_destroy (self->chats_reload);
      g_clear_pointer (&self->chats_reload, g_source_unref);
    }
  if (self->characters_reload != NULL)
    {
      g_source_destroy (self->characters_reload);
      g_clear_pointer (&self->characters_reload, g_source_unref);
    }
  g_clear_object (&self->chats_model);
  g_clear_object (&self->characters_model);
  g_clear_pointer (&self->dirty_chats, g_hash_table_unref);
  g_clear_pointer (&self->character_keys, g_hash_table_unref);
}
