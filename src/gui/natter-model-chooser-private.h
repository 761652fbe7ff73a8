/* natter-model-chooser-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-model-chooser.h"

G_BEGIN_DECLS

/* Project-internal: what the tests look at. */

/* TRUE while the list is being fetched. */
gboolean            natter_model_chooser_get_loading  (NatterModelChooser *self);
/* The models shown with the current search text, in order. */
guint               natter_model_chooser_get_n_shown  (NatterModelChooser *self);
void                natter_model_chooser_set_search   (NatterModelChooser *self,
                                                       const char         *text);
/* Picks @model_id as if its row had been activated. */
void                natter_model_chooser_select       (NatterModelChooser *self,
                                                       const char         *model_id);

G_END_DECLS
