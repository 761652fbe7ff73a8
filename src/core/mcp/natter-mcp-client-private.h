/* natter-mcp-client-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "natter-mcp-client.h"

G_BEGIN_DECLS

/* The client's state, shared by natter-mcp-client.c (JSON-RPC, lifecycle,
 * tools) and its two transports, natter-mcp-stdio.c and natter-mcp-http.c. */

typedef enum
{
  CLIENT_IDLE,
  CLIENT_STARTING,
  CLIENT_READY,
  CLIENT_CLOSED,
} ClientState;

struct _NatterMcpClient
{
  GObject          parent_instance;

  NatterMcpConfig *config;
  guint            timeout;
  ClientState      state;
  gint64           next_id;
  GHashTable      *pending;        /* gint64 id → Pending */
  GList           *start_waiters;  /* GTask */
  GPtrArray       *tools;          /* NatterToolSpec */
  gboolean         listing;
  gboolean         relist;
  char            *server_info;
  char            *protocol_version;
  GString         *stderr_tail;
  GError          *error;
  GCancellable    *io_cancellable; /* cancelled when the connection ends */

  /* stdio */
  GSubprocess     *subprocess;
  GOutputStream   *stdin_pipe;
  GByteArray      *line;
  GQueue           write_queue;    /* GBytes */
  gboolean         writing;
  gboolean         stdout_eof;
  gboolean         exited;
  gint64           pgid;           /* the server's process group */
  guint            eof_timer;

  /* http */
  SoupSession     *session;
  char            *session_id;
};

/* A request in flight: an id, its task, its time limit. */
typedef struct
{
  NatterMcpClient *client;         /* unowned: the client owns the entry */
  gint64        id;
  char         *method;
  GTask        *task;
  GSource      *timeout_source;
  GSource      *cancel_source;
  GCancellable *http_cancellable;  /* aborts the HTTP POST carrying it */
  gboolean      cancellable_on_server;
} Pending;

/* Parses bytes that arrived (one line, one body or one event) and handles
 * each message. A message that is not valid ends the connection. */
void     _natter_mcp_client_receive   (NatterMcpClient *self,
                                       const char      *data,
                                       gsize            len);
/* The connection ended: fails everything in flight with @error (taken). */
void     _natter_mcp_client_close     (NatterMcpClient *self,
                                       GError          *error);
/* Fails the request @id (when still in flight) with @error (taken). */
void     _natter_mcp_client_fail      (NatterMcpClient *self,
                                       gint64           id,
                                       GError          *error);
/* The pending request @id, or NULL when it is already over. */
Pending *_natter_mcp_client_lookup    (NatterMcpClient *self,
                                       gint64           id);

/* Transports: open the connection, send one serialized message (for a
 * request, @pending is its entry), close. */
gboolean _natter_mcp_stdio_open       (NatterMcpClient *self,
                                       GError         **error);
void     _natter_mcp_stdio_send       (NatterMcpClient *self,
                                       const char      *text);
void     _natter_mcp_stdio_close      (NatterMcpClient *self);

gboolean _natter_mcp_http_open        (NatterMcpClient *self,
                                       GError         **error);
void     _natter_mcp_http_send        (NatterMcpClient *self,
                                       const char      *text,
                                       Pending         *pending);
void     _natter_mcp_http_close       (NatterMcpClient *self);
/* Opens the GET stream of the server's own notifications (once started). */
void     _natter_mcp_http_listen      (NatterMcpClient *self);
/* Sends a notification and calls @done once the server took it (or
 * refused it): notifications/initialized must arrive before the next
 * request, which may travel on another connection. */
void     _natter_mcp_http_notify      (NatterMcpClient *self,
                                       const char      *text,
                                       void           (*done) (NatterMcpClient *self));

G_END_DECLS
