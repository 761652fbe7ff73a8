/* natter-chat-info.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One row of the chat list (natter_chat_store_get_chats_model()): what a
 * sidebar shows. Read-only properties, notified when the store updates the
 * item in place: "id", "title", "character-id", "character-name",
 * "updated-at" (unix seconds, last activity), "preview" (one line of the
 * last message), "parent-chat-id" (0: not a branch), "message-count". */
#define NATTER_TYPE_CHAT_INFO (natter_chat_info_get_type ())
G_DECLARE_FINAL_TYPE (NatterChatInfo, natter_chat_info, NATTER, CHAT_INFO, GObject)

gint64      natter_chat_info_get_id             (NatterChatInfo *self);
const char *natter_chat_info_get_title          (NatterChatInfo *self);
gint64      natter_chat_info_get_character_id   (NatterChatInfo *self); /* 0: none */
/* "" without a character. */
const char *natter_chat_info_get_character_name (NatterChatInfo *self);
gint64      natter_chat_info_get_updated_at     (NatterChatInfo *self);
/* The start of the last message's selected text on one line, "" when
 * the chat is empty. */
const char *natter_chat_info_get_preview        (NatterChatInfo *self);
gint64      natter_chat_info_get_parent_chat_id (NatterChatInfo *self);
gint64      natter_chat_info_get_message_count  (NatterChatInfo *self);

G_END_DECLS
