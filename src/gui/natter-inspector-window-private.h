/* natter-inspector-window-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-inspector-window.h"

G_BEGIN_DECLS

/* Project-internal: what the tests look at. */

/* The list's selection over the log (items: NatterLogEntry). */
GtkSingleSelection    *natter_inspector_window_get_selection (NatterInspectorWindow *self);
NatterInspectorDetail *natter_inspector_window_get_detail    (NatterInspectorWindow *self);

G_END_DECLS
