/* natter-note-dialog.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

/* A chat's author's note: its text, depth and frequency, saved with the
 * chat (natter_chat_note_set()). */
#define NATTER_TYPE_NOTE_DIALOG (natter_note_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NatterNoteDialog, natter_note_dialog, NATTER, NOTE_DIALOG, AdwWindow)

NatterNoteDialog *natter_note_dialog_new (GtkWindow       *parent,
                                          NatterChatStore *store,
                                          gint64           chat_id);

G_END_DECLS
