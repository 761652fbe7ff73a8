/* natter-mcp-server-editor.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-database.h"
#include "natter-mcp-config.h"

G_BEGIN_DECLS

/* Adds or edits one MCP server: name, program or web address, variables or
 * headers (secret ones into the keyring), time limit. Save writes the
 * keyring first, then the database, emits "saved" and closes. */
#define NATTER_TYPE_MCP_SERVER_EDITOR (natter_mcp_server_editor_get_type ())
G_DECLARE_FINAL_TYPE (NatterMcpServerEditor, natter_mcp_server_editor, NATTER, MCP_SERVER_EDITOR, AdwWindow)

/* @config: the server to edit (copied), or NULL for a new one. */
NatterMcpServerEditor *natter_mcp_server_editor_new (GtkWindow             *parent,
                                                     NatterDatabase        *db,
                                                     const NatterMcpConfig *config);

G_END_DECLS
