/* natter-chat-export.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

/* Chats as text to read or share: the title, then each message (the
 * selected swipe) under its speaker's name. Plain text writes "Name: text"
 * paragraphs; Markdown a "# Title" heading and "**Name**" before each
 * message, whose text is Markdown already. */
typedef enum
{
  NATTER_CHAT_FORMAT_JSONL,     /* SillyTavern's JSONL (a group chat's, for groups) */
  NATTER_CHAT_FORMAT_TEXT,
  NATTER_CHAT_FORMAT_MARKDOWN,
} NatterChatFormat;

/* The format a file name asks for: ".md"/".markdown" Markdown, ".txt"
 * plain text, anything else JSONL. */
NatterChatFormat natter_chat_format_for_path (const char       *path);

char    *natter_chat_export_text  (NatterChatStore  *store,
                                   gint64            chat_id,
                                   NatterChatFormat  format,
                                   GError          **error);
/* Writes @chat_id to @path atomically in the format its name asks for. */
gboolean natter_chat_export_file  (NatterChatStore  *store,
                                   gint64            chat_id,
                                   const char       *path,
                                   GError          **error);

G_END_DECLS
