/* natter-chat-info-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-chat-store.h"

G_BEGIN_DECLS

/* @store (a weak pointer) counts the messages when "message-count" is
 * first read: the list costs nothing per message. */
NatterChatInfo      *_natter_chat_info_new            (NatterChatStore     *store,
                                                       gint64               id);
/* Sets the fields, notifying those that changed. */
void                 _natter_chat_info_update         (NatterChatInfo      *self,
                                                       const char          *title,
                                                       gint64               character_id,
                                                       const char          *character_name,
                                                       gint64               updated_at,
                                                       const char          *preview,
                                                       gint64               parent_chat_id,
                                                       gboolean             recount);

NatterCharacterInfo *_natter_character_info_new       (gint64               id);
void                 _natter_character_info_update    (NatterCharacterInfo *self,
                                                       const char          *name,
                                                       GBytes              *avatar);

G_END_DECLS
