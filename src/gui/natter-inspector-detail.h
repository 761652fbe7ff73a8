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
void            natter_inspector_detail_set_entry (NatterInspectorDetail *self,
                                                   NatterLogEntry        *entry);

/* Where the Usage tab finds the prices of the connection an entry was sent
 * with (looked up by the entry's profile name). NULL: cost unknown. */
void            natter_inspector_detail_set_profile_store (NatterInspectorDetail *self,
                                                           NatterProfileStore    *store);



G_END_DECLS
