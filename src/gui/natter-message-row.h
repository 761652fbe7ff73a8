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
 * except copy which it does itself. The header shows the message's stored
 * name (a character's, a persona's), "Assistant" / "You" when none. */
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
/* Who the row says wrote the message: the stored name, else "You",
 * "Assistant", "System" or "Note". */
const char        *natter_message_row_get_speaker   (NatterMessageRow *self);
/* The action buttons are made the first time the row is hovered, gets the
 * focus or shows the chat's last message; the Menu key, Shift+F10 and a
 * right click (action "message.menu") open the same actions as a menu.
 * The shown button for @action_name ("message.copy", ...), NULL when the
 * row shows none (tests). */
GtkWidget         *natter_message_row_get_action_button (NatterMessageRow *self,
                                                         const char       *action_name);
/* Whether the row ever made its action buttons (tests). */
gboolean           natter_message_row_get_has_action_buttons (NatterMessageRow *self);
/* What pointer enter/leave do (tests: no pointer under Xvfb). */
void               natter_message_row_set_hovered   (NatterMessageRow *self,
                                                     gboolean          hovered);
/* The menu "message.menu" opened last, NULL before (tests). */
GMenuModel        *natter_message_row_get_menu_model (NatterMessageRow *self);

G_END_DECLS
