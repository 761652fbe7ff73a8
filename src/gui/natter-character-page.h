/* natter-character-page.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

#define NATTER_TYPE_CHARACTER_PAGE (natter_character_page_get_type ())
G_DECLARE_FINAL_TYPE (NatterCharacterPage, natter_character_page, NATTER, CHARACTER_PAGE, AdwBin)

/* A character: avatar, name, description, its chats, and buttons for a
 * new chat and export. Signals: "open-chat" (gint64 chat_id) when one of
 * its chats is chosen, "new-chat" (gint64 character_id). */
GtkWidget *natter_character_page_new            (void);
/* Shows character @character_id of @store. FALSE with @error when it
 * cannot be read. */
gboolean   natter_character_page_set_character  (NatterCharacterPage  *self,
                                                 NatterChatStore      *store,
                                                 gint64                character_id,
                                                 GError              **error);

G_END_DECLS
