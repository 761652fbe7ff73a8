/* natter-a11y.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void natter_a11y_fix_names (GtkWidget *widget);

G_END_DECLS
