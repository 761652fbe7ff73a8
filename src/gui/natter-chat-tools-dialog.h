/* natter-chat-tools-dialog.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-database.h"

G_BEGIN_DECLS

/* Which MCP servers one chat may use: a switch per server, saved as it is
 * flipped (natter_mcp_chat_servers_set()). */
#define NATTER_TYPE_CHAT_TOOLS_DIALOG (natter_chat_tools_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NatterChatToolsDialog, natter_chat_tools_dialog, NATTER, CHAT_TOOLS_DIALOG, AdwWindow)

NatterChatToolsDialog *natter_chat_tools_dialog_new        (GtkWindow             *parent,
                                                            NatterDatabase        *db,
                                                            gint64                 chat_id);
/* For the GUI tests: the switch of a server (NULL when there is none). */
GtkSwitch             *natter_chat_tools_dialog_get_switch (NatterChatToolsDialog *self,
                                                            const char            *server);

G_END_DECLS
