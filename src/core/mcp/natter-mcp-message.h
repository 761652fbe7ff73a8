/* natter-mcp-message.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON-RPC 2.0 messages as the Model Context Protocol exchanges them. Every
 * message from a server goes through natter_mcp_message_parse(): size and
 * nesting bounded, shape checked, before anything reads it. */

#define NATTER_MCP_ERROR (natter_mcp_error_quark ())

typedef enum
{
  NATTER_MCP_ERROR_FAILED,
  NATTER_MCP_ERROR_PROTOCOL,  /* the server sent something that is not a valid message */
  NATTER_MCP_ERROR_SERVER,    /* the server answered with a JSON-RPC error */
  NATTER_MCP_ERROR_TIMEOUT,   /* no answer in time (the request was cancelled on the server) */
  NATTER_MCP_ERROR_CLOSED,    /* the server exited or the connection closed */
  NATTER_MCP_ERROR_START,     /* the server could not be started */
  NATTER_MCP_ERROR_HTTP,      /* an HTTP status other than success */
  NATTER_MCP_ERROR_CONFIG,    /* a server configuration that cannot work */
} NatterMcpError;

GQuark natter_mcp_error_quark (void);

/* The largest message (one line over stdio, one body or event over HTTP). */
#define NATTER_MCP_MAX_MESSAGE_SIZE (16 * 1024 * 1024)
/* The most messages one JSON-RPC batch may hold. */
#define NATTER_MCP_MAX_BATCH 256

/* The protocol revision we ask for, and the ones we accept back. */
#define NATTER_MCP_PROTOCOL_VERSION "2025-11-25"
gboolean natter_mcp_protocol_version_supported (const char *version);

typedef enum
{
  NATTER_MCP_MESSAGE_REQUEST,
  NATTER_MCP_MESSAGE_NOTIFICATION,
  NATTER_MCP_MESSAGE_RESULT,
  NATTER_MCP_MESSAGE_ERROR,
} NatterMcpMessageKind;

typedef struct
{
  NatterMcpMessageKind  kind;
  JsonNode             *id;             /* integer or string; NULL for a notification */
  char                 *method;         /* requests and notifications */
  JsonNode             *params;         /* nullable */
  JsonNode             *result;         /* a result */
  gint64                error_code;     /* an error */
  char                 *error_message;  /* an error, never NULL there */
} NatterMcpMessage;

void natter_mcp_message_free (NatterMcpMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterMcpMessage, natter_mcp_message_free)

/* Parses @len bytes: one message, or a batch (array) of them. Returns the
 * messages in order (element-type NatterMcpMessage, never empty), or NULL
 * with NATTER_MCP_ERROR_PROTOCOL and a sentence for people: too large,
 * nested too deep, not JSON, not JSON-RPC 2.0, an id that is neither an
 * integer nor a string, and so on. */
GPtrArray *natter_mcp_message_parse (const char  *data,
                                     gsize        len,
                                     GError     **error);

/* The id as a number when it is one (our requests use integers), else -1. */
gint64     natter_mcp_message_get_int_id (const NatterMcpMessage *message);

/* Serialized messages, one line each (no newline inside, none at the end).
 * @params / @result are borrowed (nullable). */
char *natter_mcp_message_build_request      (gint64      id,
                                             const char *method,
                                             JsonNode   *params);
char *natter_mcp_message_build_notification (const char *method,
                                             JsonNode   *params);
char *natter_mcp_message_build_result       (JsonNode   *id,
                                             JsonNode   *result);
char *natter_mcp_message_build_error        (JsonNode   *id,
                                             gint64      code,
                                             const char *message);

G_END_DECLS
