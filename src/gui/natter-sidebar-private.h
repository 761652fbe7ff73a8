/* natter-sidebar-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-chat-row.h"
#include "natter-sidebar.h"

G_BEGIN_DECLS

/* For tests. */
GtkSearchEntry *natter_sidebar_get_search_entry     (NatterSidebar *self);
GtkListView    *natter_sidebar_get_chat_list        (NatterSidebar *self);
GtkListBox     *natter_sidebar_get_message_hits     (NatterSidebar *self);
/* Chats listed now (after the search filter). */
guint           natter_sidebar_get_n_chats          (NatterSidebar *self);
/* The row showing @chat_id, or NULL when none is. */
NatterChatRow  *natter_sidebar_find_row             (NatterSidebar *self,
                                                     gint64         chat_id);
guint           natter_sidebar_get_n_message_hits   (NatterSidebar *self);
/* A hit's snippet as markup (the match in bold). */
const char     *natter_sidebar_get_message_hit_markup (NatterSidebar *self,
                                                     guint          index);
/* Whether a search is under way. */
gboolean        natter_sidebar_is_searching         (NatterSidebar *self);

G_END_DECLS
