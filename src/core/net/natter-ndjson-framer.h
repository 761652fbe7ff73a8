/* natter-ndjson-framer.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-sse-framer.h"
#include "natter-types.h"

G_BEGIN_DECLS

/* Called once per non-blank line (without its line end, NUL-terminated). */
typedef gboolean (*NatterNdjsonLineFunc) (const char *line,
                                          gsize       len,
                                          gpointer    user_data);

NatterNdjsonFramer *natter_ndjson_framer_new    (NatterNdjsonLineFunc  func,
                                                 gpointer              user_data);
void                natter_ndjson_framer_free   (NatterNdjsonFramer   *self);
/* FALSE when the callback asked to stop, or when a line grew past
 * NATTER_FRAMER_MAX_EVENT_SIZE (natter_ndjson_framer_overflowed() is then
 * TRUE). Lines dispatched before stay dispatched. */
gboolean            natter_ndjson_framer_feed   (NatterNdjsonFramer   *self,
                                                 const char           *data,
                                                 gsize                 len);
/* TRUE when feeding stopped because of an oversized line. */
gboolean            natter_ndjson_framer_overflowed (NatterNdjsonFramer *self);
/* Dispatches a last line that had no line end. */
gboolean            natter_ndjson_framer_finish (NatterNdjsonFramer   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterNdjsonFramer, natter_ndjson_framer_free)

G_END_DECLS
