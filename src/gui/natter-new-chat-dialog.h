/* natter-new-chat-dialog.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

#define NATTER_TYPE_NEW_CHAT_DIALOG (natter_new_chat_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NatterNewChatDialog, natter_new_chat_dialog, NATTER, NEW_CHAT_DIALOG, AdwWindow)

/* Ctrl+N: a plain chat or a chat with one of the stored characters, in a
 * small searchable list with avatars. Typing filters the characters by
 * name; Enter picks the first row shown (with nothing typed: the plain
 * chat). Signal "chosen" (gint64 character_id, 0 for a plain chat), then
 * the dialog closes. */
NatterNewChatDialog *natter_new_chat_dialog_new            (GtkWindow           *parent,
                                                            NatterChatStore     *store);

G_END_DECLS
