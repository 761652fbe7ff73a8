/* natter-action-bar-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A row of buttons laid out from the end: the last child always shows,
 * and when the bar gets less than its natural width, children from the
 * start that do not fit are left out (a message's header in a narrow
 * window keeps its "More actions" menu, which has them all). */
#define NATTER_TYPE_ACTION_BAR (natter_action_bar_get_type ())
G_DECLARE_FINAL_TYPE (NatterActionBar, natter_action_bar, NATTER, ACTION_BAR, GtkWidget)

GtkWidget *natter_action_bar_new    (void);
void       natter_action_bar_append (NatterActionBar *self,
                                     GtkWidget       *child);

G_END_DECLS
