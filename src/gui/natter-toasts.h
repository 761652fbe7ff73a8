/* natter-toasts.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void natter_toasts_add (AdwToastOverlay *overlay,
                        AdwToast        *toast);
void natter_toasts_withdraw (AdwToastOverlay *overlay,
                             AdwToast        *toast);
/* The toast shown now (or coming in), else NULL. */
AdwToast *natter_toasts_get_current (AdwToastOverlay *overlay);

G_END_DECLS
