/* natter-inspector-window.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-application.h"
#include "natter-inspector-detail.h"

G_BEGIN_DECLS

#define NATTER_TYPE_INSPECTOR_WINDOW (natter_inspector_window_get_type ())
G_DECLARE_FINAL_TYPE (NatterInspectorWindow, natter_inspector_window, NATTER, INSPECTOR_WINDOW, AdwWindow)

/* The Request Inspector: the application's request log, newest first,
 * updating live, and the selected exchange in detail. */
NatterInspectorWindow *natter_inspector_window_new          (NatterApplication     *application);

G_END_DECLS
