/* natter-sse-framer.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-types.h"

G_BEGIN_DECLS

/* The largest line or event (data joined) a framer holds: a server that
 * sends more without a line end or blank line is stopped there instead of
 * making the buffer grow without limit. */
#define NATTER_FRAMER_MAX_EVENT_SIZE (8 * 1024 * 1024)

/* Called once per dispatched event. @event is NULL when the event had no
 * "event:" field ("message"); @data is NUL-terminated, @len bytes. Both are
 * valid only during the call. Return FALSE to stop feeding. */
typedef gboolean (*NatterSseEventFunc) (const char *event,
                                        const char *data,
                                        gsize       len,
                                        gpointer    user_data);

/* Incremental text/event-stream parser following the WHATWG EventSource
 * rules: CR, LF, CRLF line ends (a CRLF split across feeds included),
 * "data:" with or without one leading space, ":" comment lines, multi-line
 * data joined with "\n", "event:", "id:", "retry:", unknown fields ignored,
 * a leading BOM skipped. Bytes may arrive split anywhere, also inside a
 * UTF-8 sequence: nothing is decoded before a line is whole. */
NatterSseFramer *natter_sse_framer_new     (NatterSseEventFunc  func,
                                            gpointer            user_data);
void             natter_sse_framer_free    (NatterSseFramer    *self);
/* FALSE when the callback asked to stop, or when a line or event grew
 * past NATTER_FRAMER_MAX_EVENT_SIZE (then natter_sse_framer_overflowed()
 * is TRUE). Events dispatched before stay dispatched. */
gboolean         natter_sse_framer_feed    (NatterSseFramer    *self,
                                            const char         *data,
                                            gsize               len);
/* TRUE when feeding stopped because of an oversized line or event. */
gboolean         natter_sse_framer_overflowed (NatterSseFramer *self);
/* End of stream, for a server that ends without the closing blank line:
 * an unterminated last line is taken as a line, and when the pending event's
 * data is exactly @data it is dispatched as if the blank line had come.
 * Returns TRUE when it dispatched. Call natter_sse_framer_finish() after. */
gboolean         natter_sse_framer_flush_if_data (NatterSseFramer *self,
                                                  const char      *data);
/* End of stream: an event not terminated by a blank line is discarded (as
 * EventSource does); returns TRUE when such a partial event was pending. */
gboolean         natter_sse_framer_finish  (NatterSseFramer    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterSseFramer, natter_sse_framer_free)

G_END_DECLS
