/* natter-chat-note.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-chat-store.h"
#include "natter-prompt-builder.h"

G_BEGIN_DECLS

/* A chat's author's note, kept in the chat's metadata as
 * "authors_note": {"text", "depth", "role", "frequency"}. */
typedef struct
{
  char       *text;
  int         depth;      /* messages above the end; 4 by default */
  NatterRole  role;       /* NATTER_ROLE_SYSTEM by default */
  int         frequency;  /* every N user turns; 1: always, 0: never */
} NatterChatNote;

#define NATTER_CHAT_NOTE_DEFAULT_DEPTH 4

void            natter_chat_note_free  (NatterChatNote  *note);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterChatNote, natter_chat_note_free)

/* The chat's note, or the defaults with an empty text when it has none;
 * NULL only when the chat cannot be read. */
NatterChatNote *natter_chat_note_get   (NatterChatStore  *store,
                                        gint64            chat_id,
                                        GError          **error);
/* @note NULL removes it. */
gboolean        natter_chat_note_set   (NatterChatStore  *store,
                                        gint64            chat_id,
                                        const NatterChatNote *note,
                                        GError          **error);
/* Gives @builder the chat's note (its depth also when it has no text, for
 * the lore entries at the note). */
void            natter_chat_note_apply (NatterChatStore     *store,
                                        gint64               chat_id,
                                        NatterPromptBuilder *builder);

G_END_DECLS
