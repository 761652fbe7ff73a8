/* natter-json-writer.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON text the way JavaScript's JSON.stringify writes it: members in
 * their order, numbers in their shortest form (0.7, not
 * 0.69999999999999996), UTF-8 kept, control characters escaped. @indent 0:
 * compact; else that many spaces a level, "key": value (what SillyTavern
 * writes with 4). */
void  natter_json_write     (GString  *out,
                             JsonNode *node,
                             guint     indent);
char *natter_json_to_string (JsonNode *node,
                             guint     indent);

G_END_DECLS
