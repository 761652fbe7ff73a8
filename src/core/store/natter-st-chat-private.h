/* natter-st-chat-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "natter-st-chat.h"

G_BEGIN_DECLS

/* After an import: the pictures and files the lines of @chat_id name
 * (extra.image, extra.media, extra.file), where they can be read, become
 * the messages' attachments. @chat_path: the imported file, whose folder
 * and the ones above it hold SillyTavern's user/images (nullable: only
 * data: URLs and inline files). Returns how many were attached. */
guint _natter_st_chat_import_attachments (NatterChatStore *store,
                                          gint64           chat_id,
                                          const char      *chat_path);
/* Before a line is written: @message_id's attachments go into its
 * "extra" (image as a data: URL with inline_image, file as {name, text,
 * size}) unless it already names its own. */
void  _natter_st_chat_export_attachments (NatterChatStore *store,
                                          gint64           message_id,
                                          JsonObject      *line);

G_END_DECLS
