/* natter-chat-view.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-message-model.h"

G_BEGIN_DECLS

#define NATTER_TYPE_CHAT_VIEW (natter_chat_view_get_type ())
G_DECLARE_FINAL_TYPE (NatterChatView, natter_chat_view, NATTER, CHAT_VIEW, GtkWidget)

/* The messages of one chat in a virtualized GtkListView: only the visible
 * rows exist as widgets. The rows' buttons and menus activate the "chat.*"
 * actions (chat.regenerate, chat.edit-message, ...) of the action group
 * the window inserts on the view (see NatterChatSession). A chat shown
 * opens at its newest message and follows it (new replies, notes, stopped
 * replies) until the person scrolls up. */
GtkWidget          *natter_chat_view_new            (void);
NatterMessageModel *natter_chat_view_get_model      (NatterChatView    *self);
void                natter_chat_view_set_model      (NatterChatView    *self,
                                                     NatterMessageModel *model);
/* Starts coalescing @item's appended text to the frame clock: once per
 * frame it is flushed (one relayout of the changed block) and, unless the
 * person scrolled up, the view follows the bottom. */
void                natter_chat_view_begin_stream   (NatterChatView    *self,
                                                     NatterMessageItem *item);
/* Flushes what is pending and stops the frame callback. */
void                natter_chat_view_end_stream     (NatterChatView    *self);
gboolean            natter_chat_view_is_streaming   (NatterChatView    *self);
/* TRUE while the view sticks to the bottom (the person did not scroll up). */
gboolean            natter_chat_view_get_following  (NatterChatView    *self);
void                natter_chat_view_scroll_to_bottom (NatterChatView  *self);
/* Scrolls row @position into view and stops following the bottom. */
void                natter_chat_view_scroll_to_item (NatterChatView    *self,
                                                     guint              position);
/* Frames in which a stream flush changed something (tests, benchmarks). */
guint               natter_chat_view_get_n_flushes  (NatterChatView    *self);
/* Whether rows show the reasoning expander (the show-reasoning setting). */
gboolean            natter_chat_view_get_show_reasoning (NatterChatView *self);
void                natter_chat_view_set_show_reasoning (NatterChatView *self,
                                                         gboolean        show);
/* Scrolls the message with store id @message_id into view (search hits),
 * stops following the newest message and, with @highlight, marks it for
 * a few seconds. FALSE when the chat has no such message. */
gboolean            natter_chat_view_scroll_to_message (NatterChatView *self,
                                                        gint64          message_id,
                                                        gboolean        highlight);
/* The same, looking at row @position first (the message's index in the
 * chat as the store knows it): no other message is read from the store
 * when it is there. */
gboolean            natter_chat_view_scroll_to_message_at (NatterChatView *self,
                                                           guint           position,
                                                           gint64          message_id,
                                                           gboolean        highlight);
/* The message marked by scroll_to_message(), NULL when none (tests). */
NatterMessageItem  *natter_chat_view_get_highlighted (NatterChatView   *self);

/* How many times binding a message took back the row that showed it
 * (benchmarks, tests). */
guint               natter_chat_view_get_n_row_reuses  (NatterChatView     *self);

G_END_DECLS
