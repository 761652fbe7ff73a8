/* natter-conversation-tools.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-conversation.h"
#include "natter-tool-loop.h"

G_BEGIN_DECLS

/* Tools in a chat. Every reply runs through a NatterToolLoop: with the
 * tools of the host set for its chat (or for every chat: @chat_id 0), each
 * call approved by the approver, up to the round limit. Without a host no
 * tools are offered, and a reply that ends in tool calls and no text ends
 * in an error rather than as an empty reply.
 *
 * The calls of a reply and their results are stored with it
 * (natter_tool_store_dup_events()) as they happen, and announced by the
 * conversation's signal "tool-event" (gint64 chat_id, gint64 message_id).
 * A model known not to call tools is offered none, and the signal
 * "tools-withheld" (gint64 chat_id, const char *model) says so. Earlier
 * replies' calls and results go back to the model with their text in
 * later requests when tools are offered. */
void natter_conversation_set_tools           (NatterConversation *self,
                                              gint64              chat_id,
                                              NatterToolHost     *host,
                                              NatterToolApprover *approver);
/* Rounds of tool calls in one reply (default NATTER_TOOL_LOOP_DEFAULT_ROUNDS). */
void natter_conversation_set_max_tool_rounds (NatterConversation *self,
                                              guint               rounds);

G_END_DECLS
