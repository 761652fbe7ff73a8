/* natter-lorebook-editor.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

#define NATTER_TYPE_LOREBOOK_EDITOR (natter_lorebook_editor_get_type ())
G_DECLARE_FINAL_TYPE (NatterLorebookEditor, natter_lorebook_editor, NATTER, LOREBOOK_EDITOR, AdwWindow)

/* Lorebooks: make, import and export (SillyTavern world books), delete,
 * use in every chat, with @character_id or in @chat_id (0: not offered),
 * and edit their entries. An edited book is saved with Save, when another
 * book is chosen and when the window closes. */
NatterLorebookEditor *natter_lorebook_editor_new (GtkWindow       *parent,
                                                  NatterChatStore *store,
                                                  gint64           character_id,
                                                  gint64           chat_id);

G_END_DECLS
