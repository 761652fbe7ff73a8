/* natter-mcp-http.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "natter-mcp-client-private.h"

gboolean
_natter_mcp_http_open (NatterMcpClient  *self,
                       GError          **error)
{
  g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_START, "HTTP is not available yet");
  return FALSE;
}

void
_natter_mcp_http_send (NatterMcpClient *self,
                       const char      *text,
                       Pending         *pending)
{
}

void
_natter_mcp_http_close (NatterMcpClient *self)
{
}
