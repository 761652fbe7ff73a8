/* natter-tokens.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Token counts are estimates, the same everywhere in Natter (prompt budget,
 * lorebook budget, request log): one token per 3.5 bytes of UTF-8, rounded
 * up. Real tokenizers average 3.5–4.5 bytes per token on English prose, so
 * the estimate errs on the side of sending less. Every chat message adds
 * NATTER_TOKENS_PER_MESSAGE for the role/turn markers a chat API wraps it
 * in, and a whole chat request NATTER_TOKENS_PER_REQUEST for the reply
 * priming. */
#define NATTER_TOKENS_PER_MESSAGE 4
#define NATTER_TOKENS_PER_REQUEST 3

/* ceil (strlen (@text) / 3.5); 0 for NULL or "". */
gint64 natter_tokens_estimate         (const char *text);
/* natter_tokens_estimate (@content) + NATTER_TOKENS_PER_MESSAGE. */
gint64 natter_tokens_estimate_message (const char *content);

G_END_DECLS
