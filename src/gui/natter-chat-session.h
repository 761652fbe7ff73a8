/* natter-chat-session.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-application.h"
#include "natter-conversation-attachments.h"
#include "natter-message-model.h"

G_BEGIN_DECLS

#define NATTER_TYPE_CHAT_SESSION (natter_chat_session_get_type ())
G_DECLARE_FINAL_TYPE (NatterChatSession, natter_chat_session, NATTER, CHAT_SESSION, GObject)

/* One open chat, without a widget: its messages, the connection profile
 * and model it sends with, and the reply being generated. A reply keeps
 * streaming (and being saved) while the chat is not shown; several
 * sessions may generate at once.
 *
 * Its operations are the actions of natter_chat_session_get_actions(),
 * which the window inserts as "chat" on the chat view: send (s),
 * stop, regenerate (x), continue (x), swipe-next (x), swipe-previous (x),
 * branch (x), delete-message (x), edit-message ((xsb): id, text,
 * regenerate afterwards), copy-message (x), next-speaker (x: a group
 * member's character id, 0: the group's order). Message ids are store ids.
 *
 * Properties (read-only, notified): chat-id (0 until the first send
 * stores the chat), streaming-item (the reply being generated, or NULL).
 * A stopped reply keeps what arrived, its error category CANCELLED (a
 * state, not an error). Changes made to the chat elsewhere (natter-cli)
 * are read again when the store says so, unless a reply is under way.
 *
 * Signals:
 *   "toast" (AdwToast *toast): something to tell the person;
 *   "text-returned" (const char *text): a send that did not happen gives
 *     the person's text back (for the composer);
 *   "reveal": new content the person should see (scroll to the end);
 *   "open-chat" (gint64 chat_id, gboolean reply): another chat to show (a
 *     new branch); with @reply, one that waits for a reply to its last
 *     message (an edit saved and regenerated in a branch);
 *   "reply-ended" (gint64 chat_id, gint64 message_id, const char *error):
 *     a reply finished (@error NULL) or failed; not emitted for one the
 *     person stopped. */
NatterChatSession  *natter_chat_session_new               (NatterApplication  *application,
                                                           gint64              chat_id);
gint64              natter_chat_session_get_chat_id       (NatterChatSession  *self);
/* TRUE once the MCP servers the chat may use have started and offer tools. */
gboolean            natter_chat_session_get_tools_ready   (NatterChatSession  *self);
NatterMessageModel *natter_chat_session_get_messages      (NatterChatSession  *self);
GActionGroup       *natter_chat_session_get_actions       (NatterChatSession  *self);
/* The reply being generated, or NULL. */
NatterMessageItem  *natter_chat_session_get_streaming_item (NatterChatSession *self);
gboolean            natter_chat_session_is_generating     (NatterChatSession  *self);
/* The connection and model the next generation uses. */
void                natter_chat_session_set_profile       (NatterChatSession  *self,
                                                           NatterProfile      *profile);
void                natter_chat_session_set_model         (NatterChatSession  *self,
                                                           const char         *model);
/* A note of Natter itself (slash command results): shown, never sent. */
void                natter_chat_session_add_note          (NatterChatSession  *self,
                                                           const char         *text);
/* Cancels the reply being generated; what arrived stays, marked stopped. */
void                natter_chat_session_stop              (NatterChatSession  *self);
/* Continues the chat's last reply in place (Continue in a toast, /continue).
 * FALSE when the chat does not end on a reply. */
gboolean            natter_chat_session_continue_last     (NatterChatSession  *self);
/* Carries out a pending message deletion (the undo toast went away). */
void                natter_chat_session_commit_pending    (NatterChatSession  *self);
/* Group chats: one member's turn now (@speaker_id 0: the group's order
 * chooses), as chat.next-speaker does. */
void                natter_chat_session_next_turn         (NatterChatSession  *self,
                                                           gint64              speaker_id);
/* The person's next message in their persona's voice, for the composer
 * (nothing is stored). Finish returns the text or NULL with @error. */
void                natter_chat_session_impersonate_async (NatterChatSession  *self,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
char               *natter_chat_session_impersonate_finish (NatterChatSession *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);
/* Reads the chat again from the store (another process changed it). */
void                natter_chat_session_reload            (NatterChatSession  *self);

/* Pictures and files (element-type NatterAttachment, transfer full,
 * nullable) that go with the next message sent; with them a message may
 * have no text. */
void                natter_chat_session_set_attachments   (NatterChatSession  *self,
                                                           GPtrArray          *attachments);
/* The ones not sent (the send was refused before anything was stored),
 * taken back; NULL when none. */
GPtrArray          *natter_chat_session_take_attachments  (NatterChatSession  *self);
/* Whether the model of the chat takes pictures (natter-conversation-attachments.h). */
NatterVisionSupport natter_chat_session_get_vision        (NatterChatSession  *self);

G_END_DECLS
