/* natter-inspector-detail-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-inspector-detail.h"

G_BEGIN_DECLS

/* Project-internal: what the tests look at. */

NatterLogEntry *natter_inspector_detail_get_entry (NatterInspectorDetail *self);
/* A cost in US dollars for people: "$1.25" from one dollar up, else four
 * significant digits without trailing zeros ("$0.0042", "$0.0000375"),
 * "$0" for nothing. */
char           *natter_inspector_format_cost      (double                 dollars);
/* A curl command line that repeats the request of @entry, with every
 * redacted secret (in the URL and headers) replaced by "$API_KEY" so the
 * shell takes the key from the environment. */
char           *natter_inspector_build_curl       (NatterLogEntry        *entry);
/* "Name: value" lines of a headers JSON object text; "" for NULL. */
char           *natter_inspector_format_headers   (const char            *headers_json);
/* @text pretty-printed when it is JSON, else a copy. */
char           *natter_inspector_pretty_json      (const char            *text);

/* natter-inspector-lore.c: the lorebook entries a request carried, one a
 * line with the key that fired each, into @label. */
void _natter_inspector_detail_show_lore (GtkLabel       *label,
                                         NatterDatabase *database,
                                         gint64          log_id);

G_END_DECLS
