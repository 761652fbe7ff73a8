/* natter-chat-row.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-chat-info.h"

G_BEGIN_DECLS

#define NATTER_TYPE_CHAT_ROW (natter_chat_row_get_type ())
G_DECLARE_FINAL_TYPE (NatterChatRow, natter_chat_row, NATTER, CHAT_ROW, GtkWidget)

/* One chat in the sidebar: its character's avatar, title, when it was
 * last active and a line of its last message. Property "item" (the
 * NatterChatInfo shown, nullable). Right click, a long press or the Menu
 * key open the chat's context menu (the window's chat actions, with the
 * row's chat id as target). */
GtkWidget      *natter_chat_row_new           (void);
NatterChatInfo *natter_chat_row_get_item      (NatterChatRow  *self);
void            natter_chat_row_set_item      (NatterChatRow  *self,
                                               NatterChatInfo *item);
void            natter_chat_row_popup_menu    (NatterChatRow  *self);
/* The menu while it is open, else NULL (tests). */
GtkPopover     *natter_chat_row_get_menu      (NatterChatRow  *self);
/* When @unix_time was, for a list: "14:05", "Yesterday", "Monday",
 * "12 March", "12 March 2024" (relative to @now). */
char           *natter_chat_row_format_time   (gint64          unix_time,
                                               GDateTime      *now);
const char     *natter_chat_row_get_time_text (NatterChatRow  *self);
/* Shows again what the item and the sidebar say (a reply being written). */
void            natter_chat_row_update        (NatterChatRow  *self);
/* Whether the row shows that its chat is writing a reply. */
gboolean        natter_chat_row_get_generating (NatterChatRow *self);

G_END_DECLS
