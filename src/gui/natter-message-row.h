/* natter-message-row.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-message-item.h"

G_BEGIN_DECLS

#define NATTER_TYPE_MESSAGE_ROW (natter_message_row_get_type ())
G_DECLARE_FINAL_TYPE (NatterMessageRow, natter_message_row, NATTER, MESSAGE_ROW, GtkWidget)

/* Shows one NatterMessageItem ("item" property, rebinds when set). Text is
 * Markdown, laid out one widget per top-level block: when the text grows
 * only the blocks whose source changed are rendered again. Its actions
 * (message.copy, .edit, .delete, .branch, .regenerate, .swipe-previous,
 * .swipe-next, .retry) are forwarded to the NatterChatView around it,
 * except copy which it does itself. */
GtkWidget         *natter_message_row_new          (void);
NatterMessageItem *natter_message_row_get_item     (NatterMessageRow  *self);
void               natter_message_row_set_item     (NatterMessageRow  *self,
                                                    NatterMessageItem *item);
/* The number of block widgets (tests). */
guint              natter_message_row_get_n_blocks (NatterMessageRow  *self);
/* The text shown by block @index: Pango markup of a text block, or the
 * verbatim code of a code block (tests). */
const char        *natter_message_row_get_block_text (NatterMessageRow *self,
                                                      guint             index);
/* How many times since start-up a row showed a message from the
 * per-message render cache instead of parsing its Markdown (tests). */
guint              natter_message_row_get_cache_hits (void);
/* Re-reads view-wide settings (show-reasoning). */
void               natter_message_row_refresh       (NatterMessageRow *self);
gboolean           natter_message_row_get_reasoning_visible (NatterMessageRow *self);

G_END_DECLS
