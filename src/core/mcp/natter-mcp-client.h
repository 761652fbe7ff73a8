/* natter-mcp-client.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "natter-mcp-config.h"
#include "natter-mcp-message.h"
#include "natter-tool.h"

G_BEGIN_DECLS

/* One connection to one MCP server, over stdio (a subprocess speaking
 * newline-delimited JSON-RPC) or Streamable HTTP (POSTs answered with JSON
 * or an event stream). Everything is asynchronous on the thread-default
 * main context of the thread that created the client (the main thread in
 * the app); nothing blocks.
 *
 * A server that crashes, hangs, or writes something that is not a valid
 * message ends the connection with an error (natter_mcp_client_get_error())
 * and fails every request in flight; natter_mcp_client_start_async() starts
 * it again. */

#define NATTER_TYPE_MCP_CLIENT (natter_mcp_client_get_type ())
G_DECLARE_FINAL_TYPE (NatterMcpClient, natter_mcp_client, NATTER, MCP_CLIENT, GObject)

/* @config is copied; its secret values must already be filled in
 * (natter_mcp_config_apply_secrets()). */
NatterMcpClient *natter_mcp_client_new            (const NatterMcpConfig *config);

const char      *natter_mcp_client_get_name       (NatterMcpClient      *self);
/* The time a call (and the start) may take, in seconds; the config's. */
void             natter_mcp_client_set_timeout    (NatterMcpClient      *self,
                                                   guint                 seconds);
guint            natter_mcp_client_get_timeout    (NatterMcpClient      *self);

/* Starts the server (or connects), runs initialize / notifications/
 * initialized and lists its tools. Completes at once when already running;
 * several calls while starting share one start. */
void             natter_mcp_client_start_async    (NatterMcpClient      *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         natter_mcp_client_start_finish   (NatterMcpClient      *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
gboolean         natter_mcp_client_is_running     (NatterMcpClient      *self);

/* Ends the connection: closes the server's input and terminates it (stdio),
 * or ends the session (HTTP). Requests in flight fail with CLOSED. */
void             natter_mcp_client_stop           (NatterMcpClient      *self);

/* The server's tools as last listed (element-type NatterToolSpec with
 * name = tool = the server's name for it, server = the config's name;
 * transfer container). "tools-changed" is emitted after a
 * notifications/tools/list_changed made the client list them again. */
GPtrArray       *natter_mcp_client_get_tools      (NatterMcpClient      *self);

/* The most text a tool result keeps: a model could not read more, and a
 * server must not be able to fill a request with megabytes. */
#define NATTER_MCP_MAX_RESULT_TEXT (1024 * 1024)

/* Calls a tool. @arguments (nullable: {}) is borrowed. The result's
 * content is the text of the tool's content parts (other parts described
 * in a few words; past NATTER_MCP_MAX_RESULT_TEXT bytes cut, with a line
 * saying how much), is_error from the server's isError; call_id and name
 * are NULL. Fails with TIMEOUT after the timeout, G_IO_ERROR_CANCELLED
 * when @cancellable fires (both send notifications/cancelled to the
 * server), SERVER for a JSON-RPC error, CLOSED when the server went away. */
void              natter_mcp_client_call_tool_async  (NatterMcpClient   *self,
                                                      const char        *tool,
                                                      JsonObject        *arguments,
                                                      GCancellable      *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer           user_data);
NatterToolResult *natter_mcp_client_call_tool_finish (NatterMcpClient   *self,
                                                      GAsyncResult      *result,
                                                      GError           **error);

/* What the server said about itself in its initialize answer (nullable). */
const char      *natter_mcp_client_get_server_info    (NatterMcpClient  *self);
const char      *natter_mcp_client_get_protocol_version (NatterMcpClient *self);
/* The last lines the server wrote on its standard error (stdio), at most
 * 16 KiB, for a note to the person; "" when none. */
const char      *natter_mcp_client_get_stderr         (NatterMcpClient  *self);
/* Why the connection ended (nullable). */
const GError    *natter_mcp_client_get_error          (NatterMcpClient  *self);
/* The HTTP session id the server gave (nullable). */
const char      *natter_mcp_client_get_session_id     (NatterMcpClient  *self);

G_END_DECLS
