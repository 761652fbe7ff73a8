/* natter-transport.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-request.h"
#include "natter-types.h"

G_BEGIN_DECLS

/* Network settings of one profile. */
typedef struct
{
  const char *proxy_url;          /* http(s)://[user@]host:port, nullable */
  const char *proxy_password;     /* nullable */
  guint       connect_timeout_s;  /* 0: 30 s */
  guint       idle_timeout_s;     /* no byte for this long: timeout; 0: 120 s */
} NatterTransportOptions;

/* Observer of one exchange. Every callback runs on the thread-default main
 * context of the caller of natter_transport_send_async(). Pointers are valid
 * during the call only. Any of them may be NULL. */
typedef struct
{
  /* The response head arrived. @headers is a JSON object text. */
  void     (*response_head) (guint        status,
                             const char  *headers_json,
                             gpointer     user_data);
  /* Raw body bytes as received, before framing (for the request log). */
  void     (*raw_bytes)     (const char  *data,
                             gsize        len,
                             gpointer     user_data);
  /* One framed event of a 2xx streaming response: SSE (event name, data) or
   * NDJSON (NULL, line). Return FALSE to abort with @error set (protocol). */
  gboolean (*event)         (const char  *event,
                             const char  *data,
                             gsize        len,
                             gpointer     user_data,
                             GError     **error);
} NatterTransportObserver;

#define NATTER_TYPE_TRANSPORT (natter_transport_get_type ())
G_DECLARE_FINAL_TYPE (NatterTransport, natter_transport, NATTER, TRANSPORT, GObject)

/* One transport per set of options (libsoup session inside). */
NatterTransport *natter_transport_new          (const NatterTransportOptions  *options);

/* Sends the frozen @request. For a 2xx response with framing SSE/NDJSON the
 * body is framed and fed to observer->event as it arrives; for framing NONE
 * or a non-2xx status the whole body (capped at 16 MiB) is returned.
 *
 * Fails with NATTER_REQUEST_ERROR and exactly one category: network (DNS,
 * refused, reset, closed early), timeout (connect or idle), tls, cancelled,
 * or the HTTP status category (auth, not_found, …) with the raw error body
 * kept in the result so the dialect can extract the provider's message. */
void             natter_transport_send_async   (NatterTransport               *self,
                                                NatterRequest                 *request,
                                                const NatterTransportObserver *observer,
                                                gpointer                       observer_data,
                                                GCancellable                  *cancellable,
                                                GAsyncReadyCallback            callback,
                                                gpointer                       user_data);
/* Returns the response body (non-streaming, or error body) or an empty
 * GBytes for a stream; @status is set in every case a response arrived
 * (0 otherwise). On error, @body_out still receives the error body. */
GBytes          *natter_transport_send_finish  (NatterTransport               *self,
                                                GAsyncResult                  *result,
                                                guint                         *status,
                                                GBytes                       **error_body,
                                                GError                       **error);

G_END_DECLS
