/* natter-dialect-parts.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-dialect.h"

G_BEGIN_DECLS

/* Appends copies of @src's attachments to @dest (for code that copies
 * prompt messages: nothing attached is lost on the way to the dialect). */
void  natter_prompt_message_copy_attachments (NatterPromptMessage       *dest,
                                              const NatterPromptMessage *src);

/* TRUE when some message of @prompt has an attachment. */
gboolean natter_prompt_has_attachments       (const NatterPrompt        *prompt);

/* How a text attachment (a text file, a PDF's text) is put before the
 * model: its content between lines naming the file. */
char *natter_attachment_to_text              (const NatterAttachment    *attachment);

/* For a text-completion backend, which reads one string: @message's text
 * followed by its text attachments (as natter_attachment_to_text()) and a
 * line for each picture, which it cannot be sent. */
char *natter_prompt_message_dup_text_with_files (const NatterPromptMessage *message);
/* The same in place: the attachments become part of the content and the
 * message has none left. */
void  natter_prompt_message_fold_attachments    (NatterPromptMessage       *message);

/* The largest image each provider takes as documented; larger ones are
 * downscaled (and re-encoded) before they are sent. */
typedef struct
{
  int   max_edge;   /* pixels of the longest edge, 0: no limit */
  gsize max_bytes;  /* bytes of the image (before base64), 0: no limit */
} NatterImageLimits;

/* The limits of dialect @dialect_id ("openai-chat", "anthropic", …). */
void  natter_dialect_image_limits            (const char                *dialect_id,
                                              NatterImageLimits         *limits);

G_END_DECLS
