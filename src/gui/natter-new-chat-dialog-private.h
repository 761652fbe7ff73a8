/* natter-new-chat-dialog-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-new-chat-dialog.h"

G_BEGIN_DECLS

/* For tests. */
GtkSearchEntry      *natter_new_chat_dialog_get_search_entry (NatterNewChatDialog *self);
/* Rows shown for the current search; the first is what Enter picks
 * (-1: none shown, 0: the plain chat, else a character id). */
guint                natter_new_chat_dialog_get_n_shown    (NatterNewChatDialog *self);
gint64               natter_new_chat_dialog_get_first_shown (NatterNewChatDialog *self);
/* What Enter in the search field does. */
void                 natter_new_chat_dialog_activate_first (NatterNewChatDialog *self);

G_END_DECLS
