/* natter-character-editor.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

#define NATTER_TYPE_CHARACTER_EDITOR (natter_character_editor_get_type ())
G_DECLARE_FINAL_TYPE (NatterCharacterEditor, natter_character_editor, NATTER, CHARACTER_EDITOR, AdwWindow)

/* A window that makes a character (@character_id 0) or edits one. Saving
 * changes only the fields the person changed; every other member of the
 * card stays as it was. Signal "saved" (gint64 character_id) after a save,
 * then the window closes. */
NatterCharacterEditor *natter_character_editor_new (GtkWindow        *parent,
                                                    NatterChatStore  *store,
                                                    gint64            character_id,
                                                    GError          **error);

G_END_DECLS
