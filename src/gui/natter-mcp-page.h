/* natter-mcp-page.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-database.h"

G_BEGIN_DECLS

/* The Tools page of the preferences: the MCP servers, with Add, Import…,
 * and per server Test (starts it and lists its tools), Edit and Remove. */
#define NATTER_TYPE_MCP_PAGE (natter_mcp_page_get_type ())
G_DECLARE_FINAL_TYPE (NatterMcpPage, natter_mcp_page, NATTER, MCP_PAGE, AdwPreferencesPage)

NatterMcpPage *natter_mcp_page_new          (NatterDatabase *db);
/* Lists the servers again (after natter-cli changed them). */
void           natter_mcp_page_reload       (NatterMcpPage  *self);

G_END_DECLS
