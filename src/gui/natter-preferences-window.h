/* natter-preferences-window.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-application.h"

G_BEGIN_DECLS

#define NATTER_TYPE_PREFERENCES_WINDOW (natter_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (NatterPreferencesWindow, natter_preferences_window, NATTER, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* The preferences, bound both ways to the application's NatterSettings
 * (and so to GSettings): a change in the window is saved at once, and a
 * change made elsewhere shows in the window. */
NatterPreferencesWindow *natter_preferences_window_new (NatterApplication *application);

G_END_DECLS
