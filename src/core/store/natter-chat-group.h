/* natter-chat-group.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

/* Group chats: several characters in one chat. A group chat is a chat with
 * a row in the group table; its character is its first member, so views
 * that know only one character still show one. */

/* Who speaks next (SillyTavern's activation strategy). */
typedef enum
{
  NATTER_GROUP_ORDER_NATURAL,  /* a member named in the last message, else by talkativeness */
  NATTER_GROUP_ORDER_LIST,     /* each member in turn, in the list's order */
  NATTER_GROUP_ORDER_MANUAL,   /* only whom the person picks */
} NatterGroupOrder;

/* Which cards the prompt carries (SillyTavern's generation mode). */
typedef enum
{
  NATTER_GROUP_CARDS_SWAP,  /* the speaker's card only */
  NATTER_GROUP_CARDS_JOIN,  /* every unmuted member's card, joined */
} NatterGroupCards;

const char *natter_group_order_to_string   (NatterGroupOrder  order);
gboolean    natter_group_order_from_string (const char       *text,
                                            NatterGroupOrder *order);
const char *natter_group_cards_to_string   (NatterGroupCards  cards);
gboolean    natter_group_cards_from_string (const char       *text,
                                            NatterGroupCards *cards);

typedef struct
{
  gint64    character_id;
  char     *name;
  gboolean  muted;
} NatterGroupMember;

typedef struct
{
  gint64            chat_id;
  NatterGroupOrder  order;
  NatterGroupCards  cards;
  guint             auto_turns;  /* characters answer each other this many turns */
  gboolean          allow_self;  /* the last speaker may speak again */
  char             *extra_json;  /* a JSON object, "{}" when nothing */
  GPtrArray        *members;     /* (element-type NatterGroupMember) in order */
} NatterChatGroup;

void              natter_chat_group_free          (NatterChatGroup *group);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterChatGroup, natter_chat_group_free)
/* The member called @name (case-insensitive), or NULL. */
NatterGroupMember *natter_chat_group_find_member  (NatterChatGroup *group,
                                                   const char      *name);
/* The member with @character_id, or NULL. */
NatterGroupMember *natter_chat_group_find_id      (NatterChatGroup *group,
                                                   gint64           character_id);
guint             natter_chat_group_count_unmuted (NatterChatGroup *group);

/* The group of @chat_id; NULL without @error set when the chat is not a
 * group chat, NULL with @error on failure. */
NatterChatGroup  *natter_chat_store_get_group     (NatterChatStore  *self,
                                                   gint64            chat_id,
                                                   GError          **error);
gboolean          natter_chat_store_is_group_chat (NatterChatStore  *self,
                                                   gint64            chat_id);
/* A new group chat with @character_ids (@n_members ≥ 1) in that order, in
 * one transaction, without messages. Returns the chat's id, 0 on error. */
gint64            natter_chat_store_new_group_chat (NatterChatStore  *self,
                                                    const gint64     *character_ids,
                                                    guint             n_members,
                                                    const char       *title,
                                                    GError          **error);
/* Makes @chat_id a group chat with its character as first member (no-op
 * when it already is one). */
gboolean          natter_chat_store_make_group    (NatterChatStore  *self,
                                                   gint64            chat_id,
                                                   GError          **error);
/* Appends a member (NATTER_STORE_ERROR_EXISTS when already one). */
gboolean          natter_chat_store_group_add     (NatterChatStore  *self,
                                                   gint64            chat_id,
                                                   gint64            character_id,
                                                   GError          **error);
/* Removes a member; the last one cannot be removed (STORE_ERROR_INVALID). */
gboolean          natter_chat_store_group_remove  (NatterChatStore  *self,
                                                   gint64            chat_id,
                                                   gint64            character_id,
                                                   GError          **error);
gboolean          natter_chat_store_group_mute    (NatterChatStore  *self,
                                                   gint64            chat_id,
                                                   gint64            character_id,
                                                   gboolean          muted,
                                                   GError          **error);
/* Moves a member to @index (0 = first; past the end: last). */
gboolean          natter_chat_store_group_move    (NatterChatStore  *self,
                                                   gint64            chat_id,
                                                   gint64            character_id,
                                                   guint             index,
                                                   GError          **error);
/* Saves order, cards, auto_turns, allow_self and extra_json of @group. */
gboolean          natter_chat_store_group_save    (NatterChatStore  *self,
                                                   NatterChatGroup  *group,
                                                   GError          **error);

G_END_DECLS
