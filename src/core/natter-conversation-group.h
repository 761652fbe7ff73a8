/* natter-conversation-group.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-chat-group.h"
#include "natter-conversation.h"

G_BEGIN_DECLS

/* Group chats and impersonation on top of NatterConversation.
 *
 * In a group chat every reply is one member's turn: natter_conversation_send_async()
 * and natter_conversation_next_async() let the group's order choose (or the
 * speaker given), regenerate and continue keep the message's speaker. The
 * prompt carries the speaker's card (swap) or every unmuted member's
 * (join) and ends with the preset's group nudge; the reply is saved under
 * the speaker's name. */

/* A new group chat with @character_ids (in that order), starting with the
 * greeting of every member as SillyTavern does. Nothing is left behind
 * on failure. */
gint64   natter_conversation_new_group_chat   (NatterConversation   *self,
                                               const gint64         *character_ids,
                                               guint                 n_members,
                                               const char           *title,
                                               GError              **error);

/* Makes the natural order's draws repeatable (tests); 0 makes them random
 * again. */
void     natter_conversation_set_group_seed   (NatterConversation   *self,
                                               guint32               seed);

/* Who speaks next in @group after @last_text (the newest message's text,
 * nullable). Natural order: @last_speaker is the member who wrote that
 * text (NULL when the person did); a member named in the text answers
 * (the earliest mention), never @last_speaker unless the group allows
 * it; else one is drawn by talkativeness with @rand (NULL: a random
 * one). List order: @last_speaker is the newest character speaker; the
 * member after it in the list answers. Manual order does the same when
 * nobody was picked (a person picks with natter_conversation_next_async()).
 * Muted members never speak. Returns the character id, 0 when every
 * member is muted. */
gint64   natter_conversation_pick_speaker     (NatterConversation   *self,
                                               NatterChatGroup      *group,
                                               const char           *last_text,
                                               const char           *last_speaker,
                                               GRand                *rand);

/* One member's turn without a new message from the person: @speaker_id 0
 * lets the group's order choose. Returns (finish) the reply's message id
 * like natter_conversation_send_finish(). */
void     natter_conversation_next_async       (NatterConversation     *self,
                                               gint64                  chat_id,
                                               NatterProfile          *profile,
                                               gint64                  speaker_id,
                                               const NatterGenParams  *overrides,
                                               NatterDeltaFunc         on_delta,
                                               gpointer                delta_data,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
gint64   natter_conversation_next_finish      (NatterConversation     *self,
                                               GAsyncResult           *result,
                                               gint64                 *reply_id,
                                               GError                **error);

/* The person's next message in their persona's voice (the preset's
 * "impersonation_prompt"), streamed through @on_delta, stored nowhere.
 * Finish returns the text (free it) or NULL with @error. */
void     natter_conversation_impersonate_async  (NatterConversation     *self,
                                                 gint64                  chat_id,
                                                 NatterProfile          *profile,
                                                 const NatterGenParams  *overrides,
                                                 NatterDeltaFunc         on_delta,
                                                 gpointer                delta_data,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
char    *natter_conversation_impersonate_finish (NatterConversation     *self,
                                                 GAsyncResult           *result,
                                                 GError                **error);

G_END_DECLS
