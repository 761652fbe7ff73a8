/* natter-mcp-store.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-database.h"
#include "natter-mcp-config.h"

G_BEGIN_DECLS

/* MCP servers in the database (table mcp_servers: name, uuid, the config
 * as JSON without secret values) and which of them each chat may use
 * (table chat_mcp_servers, by server name). Each call is one small
 * statement or transaction on the calling thread. Secret values go to the
 * keyring with natter_mcp_store_save_secrets_sync() (CLI, worker thread) or
 * natter_secrets_store_async() with natter_mcp_config_secret_json(). */

/* Every server, by name (element-type NatterMcpConfig; secret values NULL). */
GPtrArray       *natter_mcp_store_list    (NatterDatabase        *db,
                                           GError               **error);
/* The server called @name (case-insensitive), NULL with
 * NATTER_STORE_ERROR_NOT_FOUND when there is none. */
NatterMcpConfig *natter_mcp_store_get     (NatterDatabase        *db,
                                           const char            *name,
                                           GError               **error);
/* Adds @config, or updates the server with its uuid. Fails with
 * NATTER_STORE_ERROR_EXISTS when another server has its name, and with
 * NATTER_MCP_ERROR_CONFIG when it is invalid. Secret values are never
 * written. Renaming a server keeps the chats that used it. */
gboolean         natter_mcp_store_save    (NatterDatabase        *db,
                                           const NatterMcpConfig *config,
                                           GError               **error);
/* Removes the server (and it from every chat). Its keyring item stays:
 * clear it with natter_secrets_clear_all_sync (uuid). */
gboolean         natter_mcp_store_remove  (NatterDatabase        *db,
                                           const char            *name,
                                           GError               **error);

/* Stores the config's secret values in the keyring (one item under its
 * uuid), or clears the item when it has none. Blocks on D-Bus. */
gboolean         natter_mcp_store_save_secrets_sync (const NatterMcpConfig *config,
                                                     GCancellable          *cancellable,
                                                     GError               **error);
/* Fills in the secret values from the keyring when the config has secret
 * entries (does not touch the keyring otherwise). Blocks on D-Bus. */
gboolean         natter_mcp_store_load_secrets_sync (NatterMcpConfig       *config,
                                                     GCancellable          *cancellable,
                                                     GError               **error);

/* The names of the servers chat @chat_id may use, sorted (never NULL). */
char           **natter_mcp_chat_servers_get (NatterDatabase     *db,
                                              gint64              chat_id,
                                              GError            **error);
/* Replaces them (one transaction). */
gboolean         natter_mcp_chat_servers_set (NatterDatabase     *db,
                                              gint64              chat_id,
                                              const char * const *names,
                                              GError            **error);

G_END_DECLS
