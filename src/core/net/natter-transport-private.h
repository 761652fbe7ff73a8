/* natter-transport-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "natter-event-stream-framer.h"
#include "natter-ndjson-framer.h"
#include "natter-sse-framer.h"
#include "natter-transport.h"

G_BEGIN_DECLS

/* One read buffer per exchange, reused for every read: a streaming reply
 * allocates nothing per chunk on our side. */
#define READ_BUFFER_SIZE   (64 * 1024)
#define MAX_BODY_SIZE      (16 * 1024 * 1024)

typedef enum
{
  PHASE_CONNECT,
  PHASE_IDLE,
  PHASE_DONE,
} Phase;

typedef struct
{
  NatterTransport         *transport;
  NatterRequest           *request;
  SoupMessage             *msg;
  GInputStream            *stream;
  NatterTransportObserver  observer;
  gpointer                 observer_data;

  /* Soup gets our own cancellable: the caller's one and our timers both
   * cancel it, and the flags below tell which one did. */
  GCancellable            *cancellable;
  GCancellable            *user_cancellable;
  gulong                   user_cancel_id;

  NatterSseFramer         *sse;
  NatterNdjsonFramer      *ndjson;
  NatterEventStreamFramer *eventstream;
  GByteArray              *body;
  guint8                  *buffer;
  GError                  *event_error;

  guint                    status;
  GBytes                  *error_body;

  Phase                    phase;
  guint                    timer_id;
  gint64                   last_activity;
  gboolean                 timed_out;
  Phase                    timed_out_phase;
  gboolean                 completed;
  gboolean                 unframed;   /* streaming request, 2xx whole-document reply */
  gboolean                 bare_done;  /* "data: [DONE]" without its closing blank line */
  guint                    n_redirects;
} Exchange;

void        _natter_transport_exchange_complete      (GTask                          *task,
                                                      GBytes                         *body,
                                                      GError                         *error);
void        _natter_transport_exchange_fail          (GTask                          *task,
                                                      const GError                   *error);

gboolean    _natter_transport_on_sse_event           (const char                     *event,
                                                      const char                     *data,
                                                      gsize                           len,
                                                      gpointer                        user_data);
gboolean    _natter_transport_on_ndjson_line         (const char                     *line,
                                                      gsize                           len,
                                                      gpointer                        user_data);
gboolean    _natter_transport_on_aws_message         (const NatterEventStreamMessage *message,
                                                      gpointer                        user_data);
char       *_natter_transport_headers_to_json        (SoupMessageHeaders             *headers);
void        _natter_transport_read_next              (GTask                          *task);
gboolean    _natter_transport_content_type_is_stream (SoupMessageHeaders             *headers,
                                                      NatterFraming                   framing);

G_END_DECLS
