/* natter-chat-store-attachments.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-chat-store.h"
#include "natter-tool.h"

G_BEGIN_DECLS

/* A message with its attachments (element-type NatterAttachment, each with
 * its data; nullable), in one transaction. Attachments are stored once per
 * content (their SHA-256, computed here when unset): the same picture in
 * two chats is one row, and a stored one is never rewritten. */
gint64     natter_chat_store_append_message_with_attachments (NatterChatStore  *self,
                                                              gint64            chat_id,
                                                              NatterRole        role,
                                                              const char       *name,
                                                              const char       *content,
                                                              GPtrArray        *attachments,
                                                              GError          **error);
/* Appends @attachments after those @message_id already has. */
gboolean   natter_chat_store_add_attachments                 (NatterChatStore  *self,
                                                              gint64            message_id,
                                                              GPtrArray        *attachments,
                                                              GError          **error);
/* The attachments of @message_id in order, with their data (element-type
 * NatterAttachment; empty when none); NULL on error. */
GPtrArray *natter_chat_store_list_attachments                (NatterChatStore  *self,
                                                              gint64            message_id,
                                                              GError          **error);
/* How many attachments @message_id has (no data read). */
guint      natter_chat_store_count_attachments               (NatterChatStore  *self,
                                                              gint64            message_id);
/* How many pictures @message_id has and how many bytes of text its files
 * hold (no data read). FALSE when it has no attachments. */
gboolean   natter_chat_store_get_attachment_sizes            (NatterChatStore  *self,
                                                              gint64            message_id,
                                                              guint            *n_images,
                                                              gint64           *text_bytes);
/* How many distinct attachments the store holds. */
gint64     natter_chat_store_count_stored_attachments        (NatterChatStore  *self,
                                                              GError          **error);

G_END_DECLS
