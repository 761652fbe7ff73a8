/* natter-ndjson-framer.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-types.h"

G_BEGIN_DECLS

/* Called once per non-blank line (without its line end, NUL-terminated). */
typedef gboolean (*NatterNdjsonLineFunc) (const char *line,
                                          gsize       len,
                                          gpointer    user_data);

NatterNdjsonFramer *natter_ndjson_framer_new    (NatterNdjsonLineFunc  func,
                                                 gpointer              user_data);
void                natter_ndjson_framer_free   (NatterNdjsonFramer   *self);
gboolean            natter_ndjson_framer_feed   (NatterNdjsonFramer   *self,
                                                 const char           *data,
                                                 gsize                 len);
/* Dispatches a last line that had no line end. */
gboolean            natter_ndjson_framer_finish (NatterNdjsonFramer   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterNdjsonFramer, natter_ndjson_framer_free)

G_END_DECLS
