/* natter-message-model.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-chat-store.h"
#include "natter-message-item.h"

G_BEGIN_DECLS

/* Loads the messages at positions [@position, @position + @n_items) of a
 * chat into @out (NatterMessageItem, in order). The store implements it with
 * keyset paging. Runs on the main thread when the view first needs a row of
 * that page. */
typedef void (*NatterMessageLoadFunc) (gpointer   user_data,
                                       guint      position,
                                       guint      n_items,
                                       GPtrArray *out);

#define NATTER_MESSAGE_MODEL_PAGE_SIZE 64
/* Loaded pages further than this from the page last loaded are dropped
 * (their items that nothing else holds), and loaded again when needed. */
#define NATTER_MESSAGE_MODEL_KEEP_PAGES 4

#define NATTER_TYPE_MESSAGE_MODEL (natter_message_model_get_type ())
G_DECLARE_FINAL_TYPE (NatterMessageModel, natter_message_model, NATTER, MESSAGE_MODEL, GObject)

/* A GListModel of NatterMessageItem for one chat that creates items only
 * for the pages the view asks for, and drops pages far from the last one
 * it loaded, so a chat of 10,000 messages holds only the pages around the
 * visible rows in memory, however far it is scrolled. Items anyone else
 * holds a reference on are never dropped; a dropped item comes back as a
 * new NatterMessageItem for the same message. */
NatterMessageModel *natter_message_model_new          (void);
/* Replaces the content by @n_items messages loaded on demand by @load. */
void                natter_message_model_set_source   (NatterMessageModel    *self,
                                                       guint                  n_items,
                                                       NatterMessageLoadFunc  load,
                                                       gpointer               user_data,
                                                       GDestroyNotify         destroy);
/* Shows chat @chat_id of @store: counts its messages, then loads pages
 * with the store's keyset paging as the view reaches them (from the end,
 * where a chat opens). */
void                natter_message_model_set_chat     (NatterMessageModel    *self,
                                                       NatterChatStore       *store,
                                                       gint64                 chat_id);
/* A view item for a stored message. */
NatterMessageItem  *natter_message_item_new_from_message (NatterChatMessage  *message);
void                natter_message_model_append       (NatterMessageModel    *self,
                                                       NatterMessageItem     *item);
/* Puts @item back at @position (an undone deletion). */
void                natter_message_model_insert       (NatterMessageModel    *self,
                                                       guint                  position,
                                                       NatterMessageItem     *item);
void                natter_message_model_remove       (NatterMessageModel    *self,
                                                       guint                  position);
/* Removes everything from @position on. */
void                natter_message_model_truncate     (NatterMessageModel    *self,
                                                       guint                  position);
void                natter_message_model_clear        (NatterMessageModel    *self);
/* Transfer none; NULL when empty. Loads the last page when needed. */
NatterMessageItem  *natter_message_model_get_last     (NatterMessageModel    *self);
/* How many items exist in memory (for tests and benchmarks). */
guint               natter_message_model_get_n_loaded (NatterMessageModel    *self);
/* How many messages were read from the chat store so far (for tests). */
guint64             natter_message_model_get_n_read   (NatterMessageModel    *self);

G_END_DECLS
