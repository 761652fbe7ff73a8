/* natter-reply-guard.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-delta.h"

G_BEGIN_DECLS

/* The default cap on a reply's text (answer and reasoning together): far
 * above any real reply, far below what fills a disk. */
#define NATTER_REPLY_DEFAULT_MAX_SIZE (4 * 1024 * 1024)

/* Bytes of an unfinished UTF-8 sequence held back between two pieces. */
typedef struct
{
  guint8 bytes[4];
  guint8 len;
} NatterUtf8Carry;

/* Appends @data to @out as valid UTF-8: each invalid byte (and NUL)
 * becomes U+FFFD; a sequence cut at the end of @data is kept in @carry and
 * completed by the next call (or turned into U+FFFD by
 * natter_utf8_repair_finish()). Returns whether anything was replaced. */
gboolean natter_utf8_repair_append (NatterUtf8Carry *carry,
                                    const char      *data,
                                    gsize            len,
                                    GString         *out);
/* Appends U+FFFD to @out for each byte of an unfinished sequence held in
 * @carry, and empties it. Pieces repaired one after the other and finished
 * give exactly g_utf8_make_valid() of the whole, wherever the cuts are. */
gboolean natter_utf8_repair_finish (NatterUtf8Carry *carry,
                                    GString         *out);

/* Where streamed text becomes text: repairs invalid UTF-8 in text and
 * reasoning deltas (once, with sequences split across deltas joined) and
 * stops passing them on once @max_size bytes have gone through. */
typedef struct _NatterReplyGuard NatterReplyGuard;

NatterReplyGuard *natter_reply_guard_new      (gsize                  max_size);
void              natter_reply_guard_free     (NatterReplyGuard      *self);
/* For a TEXT or REASONING @delta: FALSE when nothing of it is to be passed
 * on, else @out is the delta to pass on (valid until the next call). Any
 * other kind is copied through. */
gboolean          natter_reply_guard_filter   (NatterReplyGuard      *self,
                                               const NatterDelta     *delta,
                                               NatterDelta           *out);
/* At the end of the reply: a delta of @kind with U+FFFD for a sequence
 * left unfinished, or FALSE when there is none. */
gboolean          natter_reply_guard_finish   (NatterReplyGuard      *self,
                                               NatterDeltaKind        kind,
                                               NatterDelta           *out);
/* Whether the cap was reached (the rest of the reply was dropped). */
gboolean          natter_reply_guard_exceeded (NatterReplyGuard      *self);
gsize             natter_reply_guard_get_max_size (NatterReplyGuard  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterReplyGuard, natter_reply_guard_free)

G_END_DECLS
