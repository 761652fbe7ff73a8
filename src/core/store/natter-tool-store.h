/* natter-tool-store.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-chat-store.h"
#include "natter-database.h"

G_BEGIN_DECLS

/* The tool calls of a reply and what came of them, kept with the reply's
 * selected swipe (in its "extra" JSON object, member "natter_tool_events",
 * so no table is needed), as the JSON text of natter_tool_events_to_json(). */
gboolean natter_tool_store_set_events (NatterDatabase  *database,
                                       gint64           message_id,
                                       const char      *events_json,
                                       GError         **error);
/* NULL when the reply called no tools. */
char    *natter_tool_store_dup_events (NatterDatabase  *database,
                                       gint64           message_id);

/* The tools a person allowed for good in a chat ("Always allow this tool"),
 * as "SERVER/TOOL", kept in the chat's metadata ("natter_allowed_tools"):
 * later calls of them in that chat, in the app or from natter-cli, run
 * without asking. NULL-terminated, never NULL. */
GStrv    natter_tool_store_dup_allowed (NatterChatStore  *store,
                                        gint64            chat_id);
gboolean natter_tool_store_allow       (NatterChatStore  *store,
                                        gint64            chat_id,
                                        const char       *server_tool,
                                        GError          **error);

G_END_DECLS
