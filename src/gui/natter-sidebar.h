/* natter-sidebar.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

#define NATTER_TYPE_SIDEBAR (natter_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (NatterSidebar, natter_sidebar, NATTER, SIDEBAR, GtkWidget)

/* The chat list: the store's chats model (newest activity first, kept up
 * to date by the store, also for changes made by natter-cli), filtered by
 * what is typed in the search field (title or character), and the
 * "Messages" section with full-text hits, searched off the main thread.
 *
 * Signals: "chat-activated" (gint64 chat_id), "message-hit-activated"
 * (gint64 chat_id, gint64 message_id). Delete in the list deletes the
 * focused chat (win.delete-chat, with undo), Shift+Delete after a
 * confirmation (win.delete-chat-now); the Menu key, a right click or a
 * long press open the chat's context menu. */
GtkWidget    *natter_sidebar_new              (void);
void          natter_sidebar_set_store        (NatterSidebar   *self,
                                               NatterChatStore *store);
/* Marks @chat_id as the shown chat (0: none). */
void          natter_sidebar_select_chat      (NatterSidebar   *self,
                                               gint64           chat_id);
/* A chat whose deletion can still be undone is not listed (0: none). */
void          natter_sidebar_set_hidden_chat  (NatterSidebar   *self,
                                               gint64           chat_id);
/* Whether @chat_id's row shows a reply being written (a chat generating
 * while another is shown). */
void          natter_sidebar_set_generating   (NatterSidebar   *self,
                                               gint64           chat_id,
                                               gboolean         generating);
gboolean      natter_sidebar_is_generating    (NatterSidebar   *self,
                                               gint64           chat_id);
/* The character's avatar, or NULL (transfer none). */
GdkPaintable *natter_sidebar_lookup_avatar    (NatterSidebar   *self,
                                               gint64           character_id);

G_END_DECLS
