/* natter-card-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-card.h"

G_BEGIN_DECLS

struct _NatterCard
{
  GObject   parent_instance;
  JsonNode *root;    /* object; never modified after construction */
  GBytes   *avatar;  /* PNG or NULL */
};

/* Parses JSON text the way cards are parsed: at most
 * NATTER_CARD_MAX_JSON_SIZE bytes, UTF-8 (a BOM is skipped), nesting and
 * numbers checked so the tree can be written back out exactly. Errors are
 * NATTER_CARD_ERROR_INVALID_JSON or _TOO_LARGE. */
JsonNode *_natter_card_parse_json (const char  *text,
                                   gsize        len,
                                   GError     **error);

JsonNode *_natter_card_parse_json_text (const char *text,
                                        gsize       len,
                                        GError    **error);
char *_natter_card_node_to_text (JsonNode *node,
                                 gboolean  pretty);
JsonNode *_natter_card_deep_copy (JsonNode *node);
const char *_natter_card_object_get_string (JsonObject *object,
                                            const char *member);
JsonObject *_natter_card_object_get_object (JsonObject *object,
                                            const char *member);
JsonNode *_natter_card_normalize (JsonNode  *node,
                                  GError   **error);
JsonNode *_natter_card_parse_chunk (GBytes  *text,
                                    GError **error);
NatterCard *_natter_card_load_charx (GBytes  *bytes,
                                     GError **error);
NatterCard *_natter_card_new_take (JsonNode *root,
                                   GBytes   *avatar);

G_END_DECLS
