/* natter-mcp-host.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-database.h"
#include "natter-mcp-client.h"
#include "natter-mcp-config.h"
#include "natter-tool.h"

G_BEGIN_DECLS

/* The tools of a set of MCP servers (those a chat may use), as a
 * NatterToolHost for the conversation's tool loop.
 *
 * How to use it:
 *
 *   host = natter_mcp_host_new (db, (const char * const *) names, &error);
 *   natter_mcp_host_start_async (host, cancellable, on_started, data);
 *   … natter_mcp_host_start_finish () …
 *   tools = natter_tool_host_list_tools (NATTER_TOOL_HOST (host));
 *   natter_tool_host_call_tool_async (NATTER_TOOL_HOST (host), call, …);
 *
 * Servers start lazily: nothing runs until natter_mcp_host_start_async()
 * or the first call of one of its tools; before that list_tools() returns
 * no tools. Starting never fails as a whole: a server that cannot start is
 * left out and natter_mcp_host_dup_notes() says why, in a sentence for
 * the person.
 *
 * Tool names: each tool is offered to the model as "SERVER__TOOL" made of
 * [a-zA-Z0-9_-] only (other characters become "_"), at most 64 characters,
 * and unique ("_2", "_3" … appended when two collide). NatterToolSpec's
 * server and tool members keep the server's name and the server's own tool
 * name; natter_mcp_host_lookup() maps a model's name back.
 *
 * Calls: call_tool_finish() returns a result (never NULL) for everything
 * that happened on the server side: the tool's output, the tool's own
 * error (is_error), and also an unknown tool, arguments that are not a JSON
 * object, a server that crashed, hung past the time limit or broke the
 * protocol (is_error, content a sentence for the model and the person).
 * A crashed server is started again at its next call. The only GError is
 * G_IO_ERROR_CANCELLED when @cancellable fired (the server got
 * notifications/cancelled). A call may take natter_mcp_host_get_timeout()
 * seconds, after which the server also gets notifications/cancelled.
 *
 * "tools-changed" (NatterToolHost) is emitted when a server's tool list
 * changed (notifications/tools/list_changed). Everything runs on the
 * thread-default main context of the thread that made the host. Disposing
 * the host stops its servers. */

#define NATTER_TYPE_MCP_HOST (natter_mcp_host_get_type ())
G_DECLARE_FINAL_TYPE (NatterMcpHost, natter_mcp_host, NATTER, MCP_HOST, GObject)

/* The servers called @server_names (nullable: none) in @db. Names that are
 * not in the database give a note. Reads the database (quick). */
NatterMcpHost   *natter_mcp_host_new            (NatterDatabase       *db,
                                                 const char * const   *server_names);
/* The servers of @configs (element-type NatterMcpConfig, copied), in order.
 * Secret values must be filled in or in the keyring. */
NatterMcpHost   *natter_mcp_host_new_for_configs (GPtrArray           *configs);

/* Starts every server not yet running (secret values are read from the
 * keyring first, asynchronously) and lists their tools. Always succeeds
 * unless cancelled. */
void             natter_mcp_host_start_async    (NatterMcpHost        *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean         natter_mcp_host_start_finish   (NatterMcpHost        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* The time limit of every call in seconds (0: each server's own, by
 * default NATTER_MCP_DEFAULT_TIMEOUT). */
void             natter_mcp_host_set_timeout    (NatterMcpHost        *self,
                                                 guint                 seconds);
guint            natter_mcp_host_get_timeout    (NatterMcpHost        *self);

/* Sentences about servers that could not start or stopped ("Server “x”
 * exited with status 1: …"), newest last; NULL-terminated, never NULL. */
char           **natter_mcp_host_dup_notes      (NatterMcpHost        *self);

/* The server and tool behind a name from list_tools() (borrowed, valid
 * until the tools change). FALSE when no tool has that name. */
gboolean         natter_mcp_host_lookup         (NatterMcpHost        *self,
                                                 const char           *name,
                                                 const char          **server,
                                                 const char          **tool);
/* The client of one server (nullable, borrowed). */
NatterMcpClient *natter_mcp_host_get_client     (NatterMcpHost        *self,
                                                 const char           *server);

/* "SERVER__TOOL" made valid as a tool name (at most 64 of [a-zA-Z0-9_-]). */
char            *natter_mcp_tool_name           (const char           *server,
                                                 const char           *tool);

G_END_DECLS
