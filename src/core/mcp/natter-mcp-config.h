/* natter-mcp-config.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "natter-headers.h"

G_BEGIN_DECLS

/* How to reach one MCP server: a program to start (stdio) or a URL
 * (Streamable HTTP). A plain struct with new/copy/free.
 *
 * Environment variables and headers are NatterCustomHeader values (name,
 * value, secret). A secret one's value never goes into the database: all
 * secret values of a server are one keyring item (NATTER_SECRET_HEADERS
 * under the server's uuid), a JSON object {"NAME": "value"}. A config read
 * from the database has secret entries with value NULL until
 * natter_mcp_config_apply_secrets() fills them in. */

typedef enum
{
  NATTER_MCP_TRANSPORT_STDIO,
  NATTER_MCP_TRANSPORT_HTTP,
} NatterMcpTransport;

/* The default time a tool call may take, in seconds. */
#define NATTER_MCP_DEFAULT_TIMEOUT 60

typedef struct
{
  char               *uuid;
  char               *name;
  NatterMcpTransport  transport;
  char               *command;   /* stdio */
  char              **args;      /* stdio, never NULL */
  GPtrArray          *env;       /* stdio, NatterCustomHeader, never NULL */
  char               *url;       /* http */
  GPtrArray          *headers;   /* http, NatterCustomHeader, never NULL */
  guint               timeout;   /* seconds a call may take; 0: NATTER_MCP_DEFAULT_TIMEOUT */
} NatterMcpConfig;

NatterMcpConfig *natter_mcp_config_new_stdio (const char            *name,
                                              const char            *command,
                                              const char * const    *args);
NatterMcpConfig *natter_mcp_config_new_http  (const char            *name,
                                              const char            *url);
NatterMcpConfig *natter_mcp_config_copy      (const NatterMcpConfig *config);
void             natter_mcp_config_free      (NatterMcpConfig       *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterMcpConfig, natter_mcp_config_free)

/* Adds (or replaces) an environment variable or a header. */
void      natter_mcp_config_set_env          (NatterMcpConfig *config,
                                              const char      *name,
                                              const char      *value,
                                              gboolean         secret);
void      natter_mcp_config_set_header       (NatterMcpConfig *config,
                                              const char      *name,
                                              const char      *value,
                                              gboolean         secret);
guint     natter_mcp_config_get_timeout      (const NatterMcpConfig *config);

/* A name a person can give a server: 1 to 64 characters, no control
 * characters, no "/" (it separates server and tool on the command line). */
gboolean  natter_mcp_config_name_is_valid    (const char      *name,
                                              GError         **error);
/* FALSE with NATTER_MCP_ERROR_CONFIG when the config cannot work (no
 * command, a URL that is not http(s), an invalid header or variable name). */
gboolean  natter_mcp_config_validate         (const NatterMcpConfig *config,
                                              GError         **error);

/* The stored form (the database's "config" column): everything but the
 * name, uuid and secret values. */
JsonNode        *natter_mcp_config_to_json   (const NatterMcpConfig *config);
/* From the stored form; NULL with an error when it is not one. */
NatterMcpConfig *natter_mcp_config_from_json (const char      *uuid,
                                              const char      *name,
                                              JsonNode        *node,
                                              GError         **error);

/* The keyring item's JSON text for the secret values that are set, or NULL
 * when there are none. Free with natter_secrets_free(). */
char     *natter_mcp_config_secret_json      (const NatterMcpConfig *config);
gboolean  natter_mcp_config_has_secrets      (const NatterMcpConfig *config);
/* Fills in the secret values from the keyring item's text (nullable). */
void      natter_mcp_config_apply_secrets    (NatterMcpConfig *config,
                                              const char      *secret_json);

/* Reads the {"mcpServers": {"name": {...}}} file other desktop clients
 * write: "command"/"args"/"env" for a program, "url"/"headers" for HTTP
 * ("type" or "transport" "stdio", "http", "streamable-http" or "sse" when
 * present). Values whose names look secret (key, token, secret, password,
 * auth, cookie) are marked secret. Returns the configs (element-type
 * NatterMcpConfig, with fresh uuids) or NULL with an error that names the
 * entry at fault. @data is untrusted: bounded parse. */
GPtrArray *natter_mcp_config_parse_servers_file (const char  *data,
                                                 gsize        len,
                                                 GError     **error);

G_END_DECLS
