/* natter-chat-store-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

/* The kinds of rows a "There is no … N." error names. */
typedef enum
{
  STORE_ITEM_CHAT,
  STORE_ITEM_MESSAGE,
  STORE_ITEM_CHARACTER,
  STORE_ITEM_PERSONA,
  STORE_ITEM_LOREBOOK,
} StoreItem;

/* What the files of the chat store share: one file per table or concern
 * (characters, personas, lorebooks, chats, messages and swipes, search,
 * the reply writer, the list models), one struct. */

struct _NatterChatStore
{
  GObject         parent_instance;
  NatterDatabase *db;
  GHashTable     *active_swipes;  /* swipe ids with a live NatterReplyWriter */
  gulong          external_handler;
  GListStore     *chats_model;       /* of NatterChatInfo, made on first use */
  GListStore     *characters_model;  /* of NatterCharacterInfo, likewise */
  GSource        *chats_reload;      /* idle, pending reload */
  GSource        *characters_reload;
  GHashTable     *dirty_chats;       /* chat ids whose count is to be re-read */
  gboolean        all_chats_dirty;
  GHashTable     *character_keys;    /* id → "updated_at/avatar length" as loaded */

  /* A read-only connection for worker threads (search, pages), kept open
   * so its page cache stays warm; one query at a time. */
  GMutex          reader_lock;
  NatterDatabase *reader;
};

struct _NatterChat
{
  GObject  parent_instance;
  gint64   id;
  gint64   character_id;
  char    *title;
  gint64   created_at;
  gint64   updated_at;
  gint64   parent_chat_id;
  gint64   branched_from_message_id;
  char    *metadata;
};

struct _NatterChatMessage
{
  GObject              parent_instance;
  gint64               id;
  gint64               chat_id;
  gint64               position;
  NatterRole           role;
  char                *name;
  char                *content;
  char                *reasoning;
  char                *model;
  guint                n_swipes;
  guint                swipe_index;
  NatterSwipeState     state;
  NatterErrorCategory  error_category;
  char                *error_message;
  gint64               created_at;
};

/* A cached statement must be reset once read, or it keeps a read
 * transaction open (and WAL checkpoints waiting). */
static inline void
stmt_reset (sqlite3_stmt **stmt)
{
  if (*stmt != NULL)
    sqlite3_reset (*stmt);
}
#define AUTO_RESET __attribute__((cleanup (stmt_reset)))

static inline gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

#define CHAT_COLUMNS \
  "id, IFNULL(character_id, 0), title, created_at, updated_at, IFNULL(parent_chat_id, 0)," \
  " IFNULL(branched_from_message_id, 0), metadata"

#define MESSAGE_SELECT \
  "SELECT m.id, m.chat_id, m.position, m.role, m.name, m.created_at, m.swipe_index," \
  " s.id, s.content, s.reasoning, s.state, s.error_category, s.error_message, s.model," \
  " (SELECT COUNT(*) FROM swipes c WHERE c.message_id = m.id)" \
  " FROM messages m LEFT JOIN swipes s ON s.message_id = m.id AND s.idx = m.swipe_index"

/* Short names inside the store, prefixed in the library. */
#define step_done          _natter_chat_store_step_done
#define not_found          _natter_chat_store_not_found
#define dup_column_text    _natter_chat_store_dup_column_text
#define dup_column_bytes   _natter_chat_store_dup_column_bytes
#define bind_bytes         _natter_chat_store_bind_bytes
#define bind_text          _natter_chat_store_bind_text
#define bind_id_or_null    _natter_chat_store_bind_id_or_null
#define delete_by_id       _natter_chat_store_delete_by_id
#define live_swipe_add     _natter_chat_store_live_swipe_add
#define live_swipe_remove  _natter_chat_store_live_swipe_remove
#define message_position   _natter_chat_store_message_position
#define touch_chat         _natter_chat_store_touch_chat
#define insert_message     _natter_chat_store_insert_message
#define insert_swipe       _natter_chat_store_insert_swipe
#define add_selected_swipe _natter_chat_store_add_selected_swipe
#define chat_from_stmt     _natter_chat_store_chat_from_stmt
#define message_from_stmt  _natter_chat_store_message_from_stmt

gboolean      step_done          (NatterChatStore   *self,
                                  sqlite3_stmt      *stmt,
                                  GError           **error,
                                  const char        *failure);
gboolean      not_found          (GError           **error,
                                  StoreItem          item,
                                  gint64             id);
char         *dup_column_text    (sqlite3_stmt      *stmt,
                                  int                col);
GBytes       *dup_column_bytes   (sqlite3_stmt      *stmt,
                                  int                col);
void          bind_bytes         (sqlite3_stmt      *stmt,
                                  int                col,
                                  GBytes            *bytes);
void          bind_text          (sqlite3_stmt      *stmt,
                                  int                col,
                                  const char        *text);
void          bind_id_or_null    (sqlite3_stmt      *stmt,
                                  int                col,
                                  gint64             id);
gboolean      delete_by_id       (NatterChatStore   *self,
                                  const char        *sql,
                                  gint64             id,
                                  StoreItem          item,
                                  const char        *failure,
                                  GError           **error);
void          live_swipe_add     (NatterDatabase    *db,
                                  gint64             swipe_id);
void          live_swipe_remove  (NatterDatabase    *db,
                                  gint64             swipe_id);
/* The position of @message_id, checking it belongs to @chat_id (0: any). */
gboolean      message_position   (NatterChatStore   *self,
                                  gint64             message_id,
                                  gint64             chat_id,
                                  gint64            *position,
                                  gint64            *owner_chat_id,
                                  GError           **error);
gboolean      touch_chat         (NatterChatStore   *self,
                                  gint64             chat_id,
                                  GError           **error);
gint64        insert_message     (NatterChatStore   *self,
                                  gint64             chat_id,
                                  NatterRole         role,
                                  const char        *name,
                                  GError           **error);
gint64        insert_swipe       (NatterChatStore   *self,
                                  gint64             message_id,
                                  guint              idx,
                                  const char        *content,
                                  NatterSwipeState   state,
                                  const char        *model,
                                  GError           **error);
gint64        add_selected_swipe (NatterChatStore   *self,
                                  gint64             message_id,
                                  const char        *content,
                                  NatterSwipeState   state,
                                  const char        *model,
                                  guint             *out_index,
                                  GError           **error);
NatterChat   *chat_from_stmt     (sqlite3_stmt      *stmt);
/* @active_swipes: swipe ids whose writer is alive (state stays
 * "streaming"); other "streaming" swipes read as "incomplete". */
NatterChatMessage *message_from_stmt (GHashTable   *active_swipes,
                                      sqlite3_stmt *stmt);
/* Copies @fresh's fields into @message, notifying those that changed. */
void          _natter_chat_message_update (NatterChatMessage *message,
                                           NatterChatMessage *fresh);

/* Signals (natter-chat-store.c). */
void          _natter_chat_store_emit_chat_changed       (NatterChatStore *self,
                                                          gint64           chat_id);
void          _natter_chat_store_emit_messages_changed   (NatterChatStore *self,
                                                          gint64           chat_id);
void          _natter_chat_store_emit_characters_changed (NatterChatStore *self);

/* The worker threads' read connection, locked (opened on first use), or
 * NULL with @error; unlock after the query. */
NatterDatabase *_natter_chat_store_lock_reader   (NatterChatStore  *self,
                                                  GCancellable     *cancellable,
                                                  GError          **error);
void            _natter_chat_store_unlock_reader (NatterChatStore  *self);

/* Within a transaction: @to_chat gets @from_chat's group and members,
 * when it has some (natter-chat-store-groups.c). */
gboolean      _natter_chat_store_copy_group              (NatterChatStore *self,
                                                          gint64           from_chat,
                                                          gint64           to_chat,
                                                          GError         **error);

/* List models (natter-chat-store-models.c). */
void          _natter_chat_store_drop_models             (NatterChatStore *self);

/* Inside a transaction: the messages of @to_chat (copies of those of
 * @from_chat up to @position) link the same attachments (natter-chat-store-attachments.c). */
gboolean _natter_chat_store_copy_attachments (NatterChatStore  *self,
                                              gint64            to_chat,
                                              gint64            from_chat,
                                              gint64            position,
                                              GError          **error);

G_END_DECLS
