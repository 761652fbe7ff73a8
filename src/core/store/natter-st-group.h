/* natter-st-group.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-chat-group.h"

G_BEGIN_DECLS

/* SillyTavern group definitions (groups/ID.json: name, members as avatar
 * file names, disabled_members, activation_strategy 0 natural / 1 list /
 * 2 manual / 3 pooled, generation_mode 0 swap / 1 and 2 join,
 * allow_self_responses, auto_mode_delay, chat_id, chats, …) and their
 * chats (group chats/CHAT_ID.jsonl: SillyTavern chat lines whose messages
 * carry the speaker's name and original_avatar).
 *
 * Members are found among Natter's characters by name: the avatar file
 * name without its extension, as SillyTavern names them. Every field of
 * the definition is kept in the group's extra JSON and written back on
 * export with Natter's values over it. */

/* The largest group definition read. */
#define NATTER_ST_GROUP_MAX_SIZE (4 * 1024 * 1024)

/* Imports the definition @group_data (with @chat_data, SillyTavern JSONL,
 * nullable: a group chat without messages) as a new group chat. @title
 * NULL: the group's name. Nothing is left behind on error. Returns the
 * chat's id, 0 with NATTER_ST_CHAT_ERROR or NATTER_STORE_ERROR. */
gint64   natter_st_group_import_data (NatterChatStore  *store,
                                      const char       *group_data,
                                      gssize            group_len,
                                      const char       *chat_data,
                                      gssize            chat_len,
                                      const char       *title,
                                      GError          **error);
/* The same from files; @chat_path nullable. */
gint64   natter_st_group_import_file (NatterChatStore  *store,
                                      const char       *group_path,
                                      const char       *chat_path,
                                      GError          **error);

/* The group chat @chat_id as a SillyTavern definition (JSON text) whose
 * "chat_id" and "chats" name @chat_name (the chat file's name without
 * ".jsonl"; NULL: kept, or made from the time). */
char    *natter_st_group_export_definition (NatterChatStore  *store,
                                            gint64            chat_id,
                                            const char       *chat_name,
                                            GError          **error);
/* The chat as SillyTavern JSONL, each character message with the
 * speaker's original_avatar. */
char    *natter_st_group_export_chat       (NatterChatStore  *store,
                                            gint64            chat_id,
                                            gsize            *len,
                                            GError          **error);
/* Writes the chat to @chat_path and, when @group_path is not NULL, the
 * definition to @group_path (named after @chat_path), each atomically. */
gboolean natter_st_group_export_files      (NatterChatStore  *store,
                                            gint64            chat_id,
                                            const char       *chat_path,
                                            const char       *group_path,
                                            GError          **error);

G_END_DECLS
