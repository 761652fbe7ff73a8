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
 * Markdown, laid out one widget per top-level block (text, code, table:
 * natter-text-block.c, natter-code-block.c, natter-table-block.c): when
 * the text grows only the blocks whose source changed are rendered again.
 * Its buttons and menu (natter-message-actions.c) activate the chat
 * session's "chat.*" actions with the message's id; Edit edits in place
 * (natter-message-editor.c). The header shows the message's stored name
 * (a character's, a persona's), "Assistant" / "You" when none. */
GtkWidget         *natter_message_row_new          (void);
NatterMessageItem *natter_message_row_get_item     (NatterMessageRow  *self);
void               natter_message_row_set_item     (NatterMessageRow  *self,
                                                    NatterMessageItem *item);
/* Re-reads view-wide settings (show-reasoning). */
void               natter_message_row_refresh       (NatterMessageRow *self);

G_END_DECLS
