/* natter-chat-store.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-character-info.h"
#include "natter-chat-info.h"
#include "natter-database.h"
#include "natter-types.h"

G_BEGIN_DECLS

/* The state of one swipe (one alternative content of a message). */
typedef enum
{
  NATTER_SWIPE_STATE_COMPLETE,
  NATTER_SWIPE_STATE_STREAMING,   /* a reply being written right now */
  NATTER_SWIPE_STATE_INCOMPLETE,  /* the writer went away mid-stream (crash, kill) */
  NATTER_SWIPE_STATE_ERROR,
  NATTER_SWIPE_STATE_CANCELLED,
} NatterSwipeState;

const char *natter_swipe_state_to_string   (NatterSwipeState  state);
gboolean    natter_swipe_state_from_string (const char       *str,
                                            NatterSwipeState *state);

/* Marks around a match in NatterSearchHit.snippet (« and »). */
#define NATTER_SEARCH_MATCH_BEGIN "\xc2\xab"
#define NATTER_SEARCH_MATCH_END   "\xc2\xbb"

/* ---- plain records ---------------------------------------------------- */

typedef struct
{
  gint64  id;
  char   *name;
  char   *card_json;   /* exactly as given to natter_chat_store_add_character() */
  GBytes *avatar;      /* PNG bytes or NULL */
  gint64  created_at;  /* unix seconds */
  gint64  updated_at;
} NatterCharacterRow;

typedef struct
{
  gint64    id;
  char     *name;
  char     *description;
  GBytes   *avatar;
  gboolean  is_default;
  char     *position;     /* where the description goes: NATTER_PERSONA_POSITION_* */
} NatterPersonaRow;

typedef struct
{
  gint64  id;
  char   *name;
  char   *book_json;
  gboolean is_global;  /* used in every chat */
} NatterLorebookRow;

typedef struct
{
  gint64  chat_id;
  char   *chat_title;
  gint64  message_id;
  /* Text around the match, the matched words between
   * NATTER_SEARCH_MATCH_BEGIN and NATTER_SEARCH_MATCH_END. */
  char   *snippet;
} NatterSearchHit;

#define NATTER_TYPE_CHARACTER_ROW (natter_character_row_get_type ())
#define NATTER_TYPE_PERSONA_ROW   (natter_persona_row_get_type ())
#define NATTER_TYPE_LOREBOOK_ROW  (natter_lorebook_row_get_type ())
#define NATTER_TYPE_SEARCH_HIT    (natter_search_hit_get_type ())
GType natter_character_row_get_type (void) G_GNUC_CONST;
GType natter_persona_row_get_type   (void) G_GNUC_CONST;
GType natter_lorebook_row_get_type  (void) G_GNUC_CONST;
GType natter_search_hit_get_type    (void) G_GNUC_CONST;
NatterCharacterRow *natter_character_row_copy (const NatterCharacterRow *row);
void                natter_character_row_free (NatterCharacterRow       *row);
NatterPersonaRow   *natter_persona_row_copy   (const NatterPersonaRow   *row);
void                natter_persona_row_free   (NatterPersonaRow         *row);
NatterLorebookRow  *natter_lorebook_row_copy  (const NatterLorebookRow  *row);
void                natter_lorebook_row_free  (NatterLorebookRow        *row);
NatterSearchHit    *natter_search_hit_copy    (const NatterSearchHit    *hit);
void                natter_search_hit_free    (NatterSearchHit          *hit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterCharacterRow, natter_character_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterPersonaRow, natter_persona_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterLorebookRow, natter_lorebook_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterSearchHit, natter_search_hit_free)

/* ---- NatterChat: one chat (a snapshot of its row) ---------------------- */

#define NATTER_TYPE_CHAT (natter_chat_get_type ())
G_DECLARE_FINAL_TYPE (NatterChat, natter_chat, NATTER, CHAT, GObject)

gint64      natter_chat_get_id                       (NatterChat *self);
gint64      natter_chat_get_character_id             (NatterChat *self); /* 0: none */
const char *natter_chat_get_title                    (NatterChat *self);
gint64      natter_chat_get_created_at               (NatterChat *self);
gint64      natter_chat_get_updated_at               (NatterChat *self);
gint64      natter_chat_get_parent_chat_id           (NatterChat *self); /* 0: not a branch */
gint64      natter_chat_get_branched_from_message_id (NatterChat *self);
/* The chat's metadata JSON object as text ("{}" when empty). */
const char *natter_chat_get_metadata                 (NatterChat *self);

/* ---- NatterChatMessage: one message with its selected swipe ------------ */

#define NATTER_TYPE_CHAT_MESSAGE (natter_chat_message_get_type ())
G_DECLARE_FINAL_TYPE (NatterChatMessage, natter_chat_message, NATTER, CHAT_MESSAGE, GObject)

gint64               natter_chat_message_get_id             (NatterChatMessage *self);
gint64               natter_chat_message_get_chat_id        (NatterChatMessage *self);
gint64               natter_chat_message_get_position       (NatterChatMessage *self);
NatterRole           natter_chat_message_get_role           (NatterChatMessage *self);
const char          *natter_chat_message_get_name           (NatterChatMessage *self);
const char          *natter_chat_message_get_content        (NatterChatMessage *self);
const char          *natter_chat_message_get_reasoning      (NatterChatMessage *self);
const char          *natter_chat_message_get_model          (NatterChatMessage *self);
guint                natter_chat_message_get_n_swipes       (NatterChatMessage *self);
guint                natter_chat_message_get_swipe_index    (NatterChatMessage *self);
NatterSwipeState     natter_chat_message_get_state          (NatterChatMessage *self);
NatterErrorCategory  natter_chat_message_get_error_category (NatterChatMessage *self);
const char          *natter_chat_message_get_error_message  (NatterChatMessage *self);
gint64               natter_chat_message_get_created_at     (NatterChatMessage *self);

/* ---- NatterChatStore --------------------------------------------------- */

#define NATTER_TYPE_CHAT_STORE (natter_chat_store_get_type ())
G_DECLARE_FINAL_TYPE (NatterChatStore, natter_chat_store, NATTER, CHAT_STORE, GObject)

#define NATTER_TYPE_REPLY_WRITER (natter_reply_writer_get_type ())
G_DECLARE_FINAL_TYPE (NatterReplyWriter, natter_reply_writer, NATTER, REPLY_WRITER, GObject)

/* Signals, emitted on the store's thread after the change is committed, for
 * changes made through this store and (on "changed-externally" of its
 * database) for changes made by another process or connection:
 *
 * "chat-changed" (gint64 chat_id): a chat was added, renamed, touched (new
 *   activity), had its metadata or messages changed, or was deleted;
 *   receivers re-read it (natter_chat_store_get_chat() fails with NOT_FOUND
 *   once deleted). 0 means "several or unknown: re-read the list".
 * "messages-changed" (gint64 chat_id): messages of the chat were added,
 *   edited, deleted or swiped by a store call. The streaming reply writer
 *   (natter_chat_store_begin_reply(), its appends, flush and finish) never
 *   emits it: whoever streams the reply shows it already; it emits
 *   "chat-changed" at begin and at finish. 0 means "any chat may have
 *   changed" (a change from another process): re-read the chat you show.
 * "characters-changed" (no arguments): characters were added, changed or
 *   deleted.
 *
 * Calls without _async are synchronous and each change is one small
 * transaction; errors are in NATTER_STORE_ERROR. A store, like its
 * NatterDatabase, belongs to one thread. Heavy work has _async variants that
 * run on worker threads with connections of their own (WAL lets readers and
 * one writer work at the same time): search, pages of messages, imports
 * (natter_chat_store_run_async() for any other). */
NatterChatStore  *natter_chat_store_new              (NatterDatabase   *database);
NatterDatabase   *natter_chat_store_get_database     (NatterChatStore  *self);

/* Characters. @name may be NULL: then "data.name" or "name" of @card_json
 * is used. @card_json is kept byte for byte. */
gint64            natter_chat_store_add_character    (NatterChatStore  *self,
                                                      const char       *name,
                                                      const char       *card_json,
                                                      GBytes           *avatar,
                                                      GError          **error);
gboolean          natter_chat_store_update_character (NatterChatStore  *self,
                                                      gint64            character_id,
                                                      const char       *name,
                                                      const char       *card_json,
                                                      GBytes           *avatar,
                                                      GError          **error);
/* Chats of the character stay, without a character. */
gboolean          natter_chat_store_delete_character (NatterChatStore  *self,
                                                      gint64            character_id,
                                                      GError          **error);
NatterCharacterRow *natter_chat_store_get_character  (NatterChatStore  *self,
                                                      gint64            character_id,
                                                      GError          **error);
/* Case-insensitive; the oldest when several share the name. */
NatterCharacterRow *natter_chat_store_lookup_character (NatterChatStore *self,
                                                        const char      *name,
                                                        GError         **error);
/* (element-type NatterCharacterRow), by name. */
GPtrArray        *natter_chat_store_list_characters  (NatterChatStore  *self,
                                                      GError          **error);

/* Personas: at most one is the default. */
gint64            natter_chat_store_add_persona      (NatterChatStore  *self,
                                                      const char       *name,
                                                      const char       *description,
                                                      GBytes           *avatar,
                                                      GError          **error);
gboolean          natter_chat_store_set_default_persona (NatterChatStore *self,
                                                         gint64          persona_id,
                                                         GError        **error);
/* NULL without error when there is no default persona. */
NatterPersonaRow *natter_chat_store_get_default_persona (NatterChatStore *self,
                                                         GError         **error);
GPtrArray        *natter_chat_store_list_personas    (NatterChatStore  *self,
                                                      GError          **error);
/* Saves the user's own persona: updates the default persona's name and
 * description (its avatar is kept), or creates it and makes it the default
 * when there is none. One transaction. Returns the persona id, 0 on error. */
gint64            natter_chat_store_set_user_persona (NatterChatStore  *self,
                                                      const char       *name,
                                                      const char       *description,
                                                      GError          **error);
gboolean          natter_chat_store_delete_persona   (NatterChatStore  *self,
                                                      gint64            persona_id,
                                                      GError          **error);

/* Lorebooks (the JSON is kept as given) attached to characters or chats. */
gint64            natter_chat_store_add_lorebook     (NatterChatStore  *self,
                                                      const char       *name,
                                                      const char       *book_json,
                                                      GError          **error);
gboolean          natter_chat_store_delete_lorebook  (NatterChatStore  *self,
                                                      gint64            lorebook_id,
                                                      GError          **error);
/* Exactly one of @character_id and @chat_id is non-zero. */
gboolean          natter_chat_store_attach_lorebook  (NatterChatStore  *self,
                                                      gint64            lorebook_id,
                                                      gint64            character_id,
                                                      gint64            chat_id,
                                                      GError          **error);
gboolean          natter_chat_store_detach_lorebook  (NatterChatStore  *self,
                                                      gint64            lorebook_id,
                                                      gint64            character_id,
                                                      gint64            chat_id,
                                                      GError          **error);
/* The lorebooks attached to @character_id or @chat_id. */
GPtrArray        *natter_chat_store_list_lorebooks   (NatterChatStore  *self,
                                                      gint64            character_id,
                                                      gint64            chat_id,
                                                      GError          **error);

/* Chats. @character_id 0 for a chat without a character. */
gint64            natter_chat_store_new_chat         (NatterChatStore  *self,
                                                      gint64            character_id,
                                                      const char       *title,
                                                      GError          **error);
/* (element-type NatterChat), most recently active first; @character_id 0
 * lists all chats. */
GPtrArray        *natter_chat_store_list_chats       (NatterChatStore  *self,
                                                      gint64            character_id,
                                                      GError          **error);
NatterChat       *natter_chat_store_get_chat         (NatterChatStore  *self,
                                                      gint64            chat_id,
                                                      GError          **error);
gboolean          natter_chat_store_rename_chat      (NatterChatStore  *self,
                                                      gint64            chat_id,
                                                      const char       *title,
                                                      GError          **error);
/* @metadata_json must be a JSON object. */
gboolean          natter_chat_store_set_chat_metadata (NatterChatStore *self,
                                                       gint64          chat_id,
                                                       const char     *metadata_json,
                                                       GError        **error);
/* Removes the chat, its messages and swipes; its branches stay. */
gboolean          natter_chat_store_delete_chat      (NatterChatStore  *self,
                                                      gint64            chat_id,
                                                      GError          **error);
/* A new chat with copies of the messages (and all their swipes) of @chat_id
 * up to and including @message_id. Returns the new chat's id. */
gint64            natter_chat_store_branch_chat      (NatterChatStore  *self,
                                                      gint64            chat_id,
                                                      gint64            message_id,
                                                      const char       *title,
                                                      GError          **error);

/* Messages. Appending costs the same whatever the chat's length. */
gint64            natter_chat_store_append_message   (NatterChatStore  *self,
                                                      gint64            chat_id,
                                                      NatterRole        role,
                                                      const char       *name,
                                                      const char       *content,
                                                      GError          **error);
/* The first message of a chat: @greeting selected, @alternates (NULL or
 * NULL-terminated) as further swipes. */
gint64            natter_chat_store_greet            (NatterChatStore  *self,
                                                      gint64            chat_id,
                                                      const char       *name,
                                                      const char       *greeting,
                                                      const char * const *alternates,
                                                      GError          **error);
/* Replaces the content of the selected swipe (one row). */
gboolean          natter_chat_store_edit_message     (NatterChatStore  *self,
                                                      gint64            message_id,
                                                      const char       *content,
                                                      GError          **error);
gboolean          natter_chat_store_delete_message   (NatterChatStore  *self,
                                                      gint64            message_id,
                                                      GError          **error);
gboolean          natter_chat_store_select_swipe     (NatterChatStore  *self,
                                                      gint64            message_id,
                                                      guint             swipe_index,
                                                      GError          **error);
/* Adds a complete swipe and selects it; returns its index. */
gint              natter_chat_store_add_swipe        (NatterChatStore  *self,
                                                      gint64            message_id,
                                                      const char       *content,
                                                      GError          **error);
NatterChatMessage *natter_chat_store_get_message     (NatterChatStore  *self,
                                                      gint64            message_id,
                                                      GError          **error);
/* Re-reads @message's row (after a swipe change or while a reply streams)
 * and updates its properties, notifying the ones that changed. */
gboolean          natter_chat_store_refresh_message  (NatterChatStore   *self,
                                                      NatterChatMessage *message,
                                                      GError           **error);
/* (element-type NatterChatMessage) in chat order: up to @limit messages
 * just before @before_position (-1: the last page). Keyset paging: the cost
 * depends on @limit, not on the chat's length. Pass the first returned
 * message's position to get the page before it. */
GPtrArray        *natter_chat_store_page_messages    (NatterChatStore  *self,
                                                      gint64            chat_id,
                                                      gint64            before_position,
                                                      guint             limit,
                                                      GError          **error);
gint64            natter_chat_store_count_messages   (NatterChatStore  *self,
                                                      gint64            chat_id,
                                                      GError          **error);
/* The store position of the message at @index in chat order (0 = the
 * first), -1 with no error when the chat has no message there. Costs a
 * walk over @index entries of an index, no message is read. */
gint64            natter_chat_store_position_at      (NatterChatStore  *self,
                                                      gint64            chat_id,
                                                      gint64            index,
                                                      GError          **error);
/* Where @message_id stands in its chat (0 = the first message), -1 with
 * an error when there is no such message. */
gint64            natter_chat_store_message_index    (NatterChatStore  *self,
                                                      gint64            message_id,
                                                      GError          **error);

/* The chats, newest activity first, as a GListModel of NatterChatInfo
 * (transfer none; one shared model per store, created on first call). It
 * updates itself on the signals above, from an idle callback on the store's
 * thread-default main context: items keep their identity (changed fields
 * are notified on the same object) and items-changed covers only the span
 * that changed. */
GListModel       *natter_chat_store_get_chats_model  (NatterChatStore  *self);
/* The characters by name as a GListModel of NatterCharacterInfo (transfer
 * none; shared; updating itself like the chats model). */
GListModel       *natter_chat_store_get_characters_model (NatterChatStore *self);

/* Full-text search over every swipe of every chat, newest first. @query is
 * user text: each word is matched as is (FTS syntax is not interpreted), all
 * words must occur. (element-type NatterSearchHit) */
GPtrArray        *natter_chat_store_search           (NatterChatStore  *self,
                                                      const char       *query,
                                                      guint             limit,
                                                      GError          **error);

/* natter_chat_store_search() on a worker thread with its own read-only
 * connection to the database file: the calling thread never waits for it.
 * Finish returns (element-type NatterSearchHit) or NULL with @error
 * (G_IO_ERROR_CANCELLED when cancelled). */
void              natter_chat_store_search_async     (NatterChatStore     *self,
                                                      const char          *query,
                                                      guint                limit,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray        *natter_chat_store_search_finish    (NatterChatStore     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* natter_chat_store_page_messages() on a worker thread with its own read
 * connection. The messages are handed over to the calling thread; their
 * state is read as this store sees it (a reply this store streams stays
 * "streaming"). */
void              natter_chat_store_page_messages_async (NatterChatStore     *self,
                                                         gint64               chat_id,
                                                         gint64               before_position,
                                                         guint                limit,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray        *natter_chat_store_page_messages_finish (NatterChatStore    *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

/* Runs @func on a worker thread with a store of its own on the same file
 * (heavy writes: imports); then this store re-reads what changed, its
 * signals firing on the calling thread. @func returns a value for
 * natter_chat_store_run_finish() (such as a new chat id) and sets @error on
 * failure (finish then returns 0). @destroy frees @data afterwards. */
typedef gint64 (*NatterChatStoreWorkFunc) (NatterChatStore  *worker_store,
                                           gpointer          data,
                                           GCancellable     *cancellable,
                                           GError          **error);
void              natter_chat_store_run_async        (NatterChatStore         *self,
                                                      NatterChatStoreWorkFunc  func,
                                                      gpointer                 data,
                                                      GDestroyNotify           destroy,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
gint64            natter_chat_store_run_finish       (NatterChatStore         *self,
                                                      GAsyncResult            *result,
                                                      GError                 **error);
/* natter_st_chat_import_file() that way: returns the new chat's id, 0 with
 * @error on failure. */
void              natter_chat_store_import_st_chat_async  (NatterChatStore     *self,
                                                           const char          *path,
                                                           gint64               character_id,
                                                           const char          *title,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gint64            natter_chat_store_import_st_chat_finish (NatterChatStore     *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* Streaming replies. The swipe row is saved at once in state "streaming";
 * @message_id 0 appends a new assistant message, otherwise the reply is a
 * new selected swipe of that message. Text is saved with one UPDATE when
 * 250 ms have passed since the last save, or when 256 bytes or more wait and
 * 50 ms have passed (on append, or from a timeout on the thread-default main
 * context when one runs), and always at finish. A writer dropped without
 * finish leaves the saved text in state "incomplete"; so does a crash, once
 * a store is next opened on the file. Search covers a reply once it is no
 * longer streaming. */
NatterReplyWriter *natter_chat_store_begin_reply     (NatterChatStore  *self,
                                                      gint64            chat_id,
                                                      const char       *model,
                                                      const char       *name,
                                                      gint64            message_id,
                                                      GError          **error);
gint64            natter_reply_writer_get_message_id (NatterReplyWriter *self);
guint             natter_reply_writer_get_swipe_index (NatterReplyWriter *self);
gboolean          natter_reply_writer_append         (NatterReplyWriter *self,
                                                      const char        *text,
                                                      gssize             len,
                                                      GError           **error);
gboolean          natter_reply_writer_append_reasoning (NatterReplyWriter *self,
                                                        const char       *text,
                                                        gssize            len,
                                                        GError          **error);
/* Saves what is buffered now. */
gboolean          natter_reply_writer_flush          (NatterReplyWriter *self,
                                                      GError           **error);
/* @state is COMPLETE, ERROR or CANCELLED; @error_message may be NULL. */
gboolean          natter_reply_writer_finish         (NatterReplyWriter *self,
                                                      NatterSwipeState   state,
                                                      NatterErrorCategory category,
                                                      const char        *error_message,
                                                      GError           **error);

G_END_DECLS
