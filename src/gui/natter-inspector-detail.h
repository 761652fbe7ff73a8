/* natter-inspector-detail.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-profile-store.h"
#include "natter-request-log.h"

G_BEGIN_DECLS

#define NATTER_TYPE_INSPECTOR_DETAIL (natter_inspector_detail_get_type ())
G_DECLARE_FINAL_TYPE (NatterInspectorDetail, natter_inspector_detail, NATTER, INSPECTOR_DETAIL, GtkWidget)

/* One exchange of the request log in four tabs: Request, Response, Timing
 * and Usage, kept up to date while the entry streams. Everything shown comes
 * from the log, which never holds a secret. Actions: detail.copy-request,
 * detail.copy-curl, detail.copy-response, detail.copy-text. */
GtkWidget      *natter_inspector_detail_new       (void);
NatterLogEntry *natter_inspector_detail_get_entry (NatterInspectorDetail *self);
void            natter_inspector_detail_set_entry (NatterInspectorDetail *self,
                                                   NatterLogEntry        *entry);

/* Where the Usage tab finds the prices of the connection an entry was sent
 * with (looked up by the entry's profile name). NULL: cost unknown. */
void            natter_inspector_detail_set_profile_store (NatterInspectorDetail *self,
                                                           NatterProfileStore    *store);

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

G_END_DECLS
