/* natter-chat-store-editing.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-chat-store.h"

G_BEGIN_DECLS

/* Personas beyond the default one, persona locks and lorebook editing.
 * Every call is one small transaction on the calling thread. */

/* Where a persona's description goes in the prompt (SillyTavern's
 * "description position"). */
#define NATTER_PERSONA_POSITION_IN_PROMPT "in_prompt"  /* with the character card */
#define NATTER_PERSONA_POSITION_TOP_AN    "top_an"     /* before the author's note */
#define NATTER_PERSONA_POSITION_BOTTOM_AN "bottom_an"  /* after the author's note */
#define NATTER_PERSONA_POSITION_AT_DEPTH  "at_depth"   /* a system message in the history */
#define NATTER_PERSONA_POSITION_NONE      "none"       /* the name only */

gboolean          natter_persona_position_is_valid      (const char       *position);

/* Changes a persona; @avatar NULL removes it, @position NULL keeps it. */
gboolean          natter_chat_store_update_persona      (NatterChatStore  *self,
                                                         gint64            persona_id,
                                                         const char       *name,
                                                         const char       *description,
                                                         GBytes           *avatar,
                                                         const char       *position,
                                                         GError          **error);
NatterPersonaRow *natter_chat_store_get_persona         (NatterChatStore  *self,
                                                         gint64            persona_id,
                                                         GError          **error);
/* Case-insensitive; NOT_FOUND when there is none. */
NatterPersonaRow *natter_chat_store_lookup_persona      (NatterChatStore  *self,
                                                         const char       *name,
                                                         GError          **error);
/* Locks @persona_id to exactly one of @chat_id and @character_id,
 * replacing the lock that was there; @persona_id 0 removes the lock. */
gboolean          natter_chat_store_lock_persona        (NatterChatStore  *self,
                                                         gint64            persona_id,
                                                         gint64            chat_id,
                                                         gint64            character_id,
                                                         GError          **error);
/* The persona locked to @chat_id or @character_id, 0 when none. */
gint64            natter_chat_store_get_persona_lock    (NatterChatStore  *self,
                                                         gint64            chat_id,
                                                         gint64            character_id,
                                                         GError          **error);
/* Who the user is in @chat_id (0: a new chat with @character_id): the
 * persona locked to the chat, else the one locked to its character, else
 * the default. NULL without error when there is none of them. */
NatterPersonaRow *natter_chat_store_resolve_persona     (NatterChatStore  *self,
                                                         gint64            chat_id,
                                                         gint64            character_id,
                                                         GError          **error);

NatterLorebookRow *natter_chat_store_get_lorebook       (NatterChatStore  *self,
                                                         gint64            lorebook_id,
                                                         GError          **error);
/* By name (case-insensitive) or by id written in digits. */
NatterLorebookRow *natter_chat_store_lookup_lorebook    (NatterChatStore  *self,
                                                         const char       *name,
                                                         GError          **error);
/* (element-type NatterLorebookRow) every lorebook by name. */
GPtrArray        *natter_chat_store_list_all_lorebooks  (NatterChatStore  *self,
                                                         GError          **error);
/* (element-type NatterLorebookRow) the lorebooks used in every chat. */
GPtrArray        *natter_chat_store_list_global_lorebooks (NatterChatStore *self,
                                                           GError         **error);
/* Stores a book's new JSON (kept as given); @name NULL keeps the name. */
gboolean          natter_chat_store_update_lorebook     (NatterChatStore  *self,
                                                         gint64            lorebook_id,
                                                         const char       *name,
                                                         const char       *book_json,
                                                         GError          **error);
gboolean          natter_chat_store_set_lorebook_global (NatterChatStore  *self,
                                                         gint64            lorebook_id,
                                                         gboolean          is_global,
                                                         GError          **error);

G_END_DECLS
