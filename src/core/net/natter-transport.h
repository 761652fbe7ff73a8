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

/* Network settings of one profile. Copied by natter_transport_new().
 *
 * The proxy password goes into the proxy URI's userinfo for GIO's proxy
 * resolver; plain http requests also carry it up front as a Basic
 * Proxy-Authorization header (never part of the NatterRequest, so never in
 * the request log). A proxy answering 407 fails with category auth.
 *
 * The connect timeout runs until the connection is up; from then on the
 * idle timeout applies, waiting for the response head included: it fails
 * only when nothing at all arrived for that long, so a slow but alive
 * stream is never cut. */
typedef struct
{
  const char *proxy_url;          /* http(s)://[user[:password]@]host:port, nullable */
  const char *proxy_password;     /* nullable; overrides a password in proxy_url */
  guint       connect_timeout_s;  /* 0: 30 s */
  guint       idle_timeout_s;     /* no byte for this long: timeout; 0: 120 s */
} NatterTransportOptions;

/* Observer of one exchange. Every callback runs on the thread-default main
 * context of the caller of natter_transport_send_async(). Pointers are valid
 * during the call only. Any of them may be NULL. The struct is copied;
 * @observer_data must stay valid until the exchange completes. */
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
  /* One framed event of a 2xx streaming response: SSE (event name, data),
   * NDJSON (NULL, line) or an AWS event stream message (its event or
   * exception type, payload; see on_aws_message() for error messages). Return FALSE to abort the exchange with @error: an
   * error in NATTER_REQUEST_ERROR keeps its category (e.g. an "overloaded"
   * error event), any other error or none becomes category protocol. */
  gboolean (*event)         (const char  *event,
                             const char  *data,
                             gsize        len,
                             gpointer     user_data,
                             GError     **error);
} NatterTransportObserver;

#define NATTER_TYPE_TRANSPORT (natter_transport_get_type ())
G_DECLARE_FINAL_TYPE (NatterTransport, natter_transport, NATTER, TRANSPORT, GObject)

/* One transport per set of options (libsoup session inside). @options may
 * be NULL for the defaults. An unusable proxy URL does not fail here: every
 * request then fails with category network saying why. */
NatterTransport *natter_transport_new          (const NatterTransportOptions  *options);

/* Sends the frozen @request: its headers (secret ones included) go on the
 * wire as they are; only the method and redacted URL are ever logged. For a
 * 2xx response with framing SSE/NDJSON the body is framed and fed to
 * observer->event as it arrives; for framing NONE, a non-2xx status or a
 * 2xx reply that is not a stream (natter_transport_result_was_unframed())
 * the whole body (capped at 16 MiB) is returned. observer->raw_bytes sees every
 * received body byte in both cases. @cancellable may fire at any moment,
 * before the response head too.
 *
 * Fails with NATTER_REQUEST_ERROR and exactly one category: network (DNS,
 * refused, reset, closed early, an SSE stream ending inside an event),
 * timeout (connect or idle), tls, cancelled, protocol (see observer->event;
 * also a line or event larger than NATTER_FRAMER_MAX_EVENT_SIZE, 8 MiB),
 * or the HTTP status category (auth, not_found, …) with the raw error body
 * kept in the result so the dialect can extract the provider's message.
 * Events delivered before a failure stay delivered. A stream that ends
 * cleanly between events succeeds: whether its terminator ([DONE],
 * message_stop, …) came is the dialect's to judge. */
void             natter_transport_send_async   (NatterTransport               *self,
                                                NatterRequest                 *request,
                                                const NatterTransportObserver *observer,
                                                gpointer                       observer_data,
                                                GCancellable                  *cancellable,
                                                GAsyncReadyCallback            callback,
                                                gpointer                       user_data);
/* Returns the response body of a successful non-streaming exchange, or an
 * empty GBytes for a stream; NULL on error. @status (nullable) is set in
 * every case: the HTTP status when a response head arrived, 0 otherwise.
 * @error_body (nullable) receives the body of a non-2xx response (also when
 * the call fails, which it then does), NULL otherwise. */
GBytes          *natter_transport_send_finish  (NatterTransport               *self,
                                                GAsyncResult                  *result,
                                                guint                         *status,
                                                GBytes                       **error_body,
                                                GError                       **error);
/* TRUE when the request asked for a stream (framing SSE or NDJSON) but the
 * 2xx response is not one (its Content-Type is neither text/event-stream
 * for SSE nor an NDJSON/JSON-lines type for NDJSON; a missing Content-Type
 * counts as a stream, and so does an SSE request's body that starts like
 * an event stream, "data:", "event:", ":", …, whatever its type): a
 * server that ignored "stream": true, or an error object sent with status
 * 200. Its body was then read whole (16 MiB cap),
 * no event was delivered, and natter_transport_send_finish() returned the
 * body for the dialect's parse_response. */
gboolean         natter_transport_result_was_unframed (NatterTransport *self,
                                                       GAsyncResult    *result);
/* TRUE when the SSE stream ended with a "data: [DONE]" event that lacked
 * its closing blank line; the event was delivered all the same. */
gboolean         natter_transport_result_ended_with_bare_done (NatterTransport *self,
                                                               GAsyncResult    *result);

/* Whether a key sent to @url would cross the internet readable by anyone
 * on the way: plain http:// to a host that is neither this machine nor a
 * private-network address (10/8, 172.16/12, 192.168/16, 100.64/10,
 * link-local, fc00::/7, names without a dot, .local, .lan, .internal,
 * .home.arpa). FALSE for https and for addresses that do not parse. */
gboolean         natter_transport_url_is_cleartext_public (const char *url);

G_END_DECLS
