/* natter-usage-window.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-database.h"
#include "natter-request-log.h"

G_BEGIN_DECLS

/* The Usage page: what the exchanges cost, priced when they happened,
 * totalled per chat, connection, day or month, as a table and a bar
 * chart, exportable as CSV. */
#define NATTER_TYPE_USAGE_WINDOW (natter_usage_window_get_type ())
G_DECLARE_FINAL_TYPE (NatterUsageWindow, natter_usage_window, NATTER, USAGE_WINDOW, AdwWindow)

/* @log (nullable): the totals are read again after each exchange in it. */
NatterUsageWindow *natter_usage_window_new     (NatterDatabase    *database,
                                                NatterRequestLog  *log);
/* Reads the totals again (after a reply, or from tests). */
void               natter_usage_window_refresh (NatterUsageWindow *self);

G_END_DECLS
