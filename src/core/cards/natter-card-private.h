/* natter-card-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-card.h"

G_BEGIN_DECLS

/* Parses JSON text the way cards are parsed: at most
 * NATTER_CARD_MAX_JSON_SIZE bytes, UTF-8 (a BOM is skipped), nesting and
 * numbers checked so the tree can be written back out exactly. Errors are
 * NATTER_CARD_ERROR_INVALID_JSON or _TOO_LARGE. */
JsonNode *_natter_card_parse_json (const char  *text,
                                   gsize        len,
                                   GError     **error);

G_END_DECLS
