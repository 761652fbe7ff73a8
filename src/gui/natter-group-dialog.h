/* natter-group-dialog.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-conversation.h"

G_BEGIN_DECLS

/* A group chat's members and turns, or (with chat id 0) a new group
 * chat: pick the characters, Create, then set it up on the same dialog.
 * Every change is saved at once.
 *
 * Actions ("group."): create, add, remove (x: character id), mute
 * ((xb): character id, muted), move ((xi): character id, -1 up / 1 down).
 * Signal "chat-created" (gint64 chat_id): a new group chat was made. */
#define NATTER_TYPE_GROUP_DIALOG (natter_group_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NatterGroupDialog, natter_group_dialog, NATTER, GROUP_DIALOG, AdwWindow)

NatterGroupDialog *natter_group_dialog_new         (NatterChatStore    *store,
                                                    NatterConversation *conversation,
                                                    gint64              chat_id);
/* 0 until a new group chat is created. */
gint64             natter_group_dialog_get_chat_id (NatterGroupDialog  *self);

G_END_DECLS
