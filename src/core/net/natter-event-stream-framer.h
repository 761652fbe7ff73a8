/* natter-event-stream-framer.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "natter-types.h"

G_BEGIN_DECLS

/* AWS's binary event stream (application/vnd.amazon.eventstream), as the
 * Bedrock Converse stream sends it. Each message is
 *
 *   total length (u32 BE) · headers length (u32 BE) · prelude CRC32 (u32 BE)
 *   headers · payload · message CRC32 (u32 BE)
 *
 * where the prelude CRC covers the first 8 bytes and the message CRC
 * everything before it (CRC-32 as in gzip). A header is a name length
 * (u8), the name, a value type (u8) and the value: 0/1 true/false, 2 byte,
 * 3 int16, 4 int32, 5 int64, 6 bytes and 7 string (u16 BE length first),
 * 8 timestamp (int64), 9 UUID (16 bytes). */

/* The largest message a framer accepts; AWS's own limit is 16 MiB. */
#define NATTER_EVENT_STREAM_MAX_MESSAGE (16 * 1024 * 1024)

typedef struct _NatterEventStreamFramer NatterEventStreamFramer;

/* One decoded message. Every string is NUL-terminated, NULL when the
 * header is absent or not a string; all valid during the callback only. */
typedef struct
{
  const char *message_type;    /* ":message-type": "event", "exception", "error" */
  const char *event_type;      /* ":event-type", e.g. "contentBlockDelta" */
  const char *exception_type;  /* ":exception-type", e.g. "throttlingException" */
  const char *error_code;      /* ":error-code" */
  const char *error_message;   /* ":error-message" */
  const char *content_type;    /* ":content-type" */
  const char *payload;         /* NUL-terminated copy of the payload */
  gsize       payload_len;
} NatterEventStreamMessage;

/* Return FALSE to stop feeding. */
typedef gboolean (*NatterEventStreamFunc) (const NatterEventStreamMessage *message,
                                           gpointer                        user_data);

/* Incremental: bytes may arrive split anywhere. Both CRCs are checked
 * before a message is dispatched; the prelude's before its length is
 * trusted, so a damaged length never makes the framer wait for or allocate
 * a bogus amount. */
NatterEventStreamFramer *natter_event_stream_framer_new    (NatterEventStreamFunc     func,
                                                            gpointer                  user_data);
void                     natter_event_stream_framer_free   (NatterEventStreamFramer  *self);
/* FALSE when the callback asked to stop (no error) or when the bytes are
 * not a valid event stream: @error is then NATTER_REQUEST_ERROR / protocol
 * saying what is wrong (a checksum mismatch, an impossible length, a
 * malformed header). Messages dispatched before stay dispatched; after a
 * FALSE the framer accepts nothing more. */
gboolean                 natter_event_stream_framer_feed   (NatterEventStreamFramer  *self,
                                                            const char               *data,
                                                            gsize                     len,
                                                            GError                  **error);
/* End of the body: TRUE when a partial message was pending (the stream was
 * cut inside a message). */
gboolean                 natter_event_stream_framer_finish (NatterEventStreamFramer  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterEventStreamFramer, natter_event_stream_framer_free)

G_END_DECLS
