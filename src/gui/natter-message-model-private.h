/* natter-message-model-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-message-model.h"

G_BEGIN_DECLS

/* For tests and benchmarks. */
/* How many items exist in memory. */
guint               natter_message_model_get_n_loaded (NatterMessageModel    *self);
/* How many messages were read from the chat store so far. */
guint64             natter_message_model_get_n_read   (NatterMessageModel    *self);

G_END_DECLS
