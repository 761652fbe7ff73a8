/* natter-model-chooser.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-client.h"
#include "natter-profile.h"

G_BEGIN_DECLS

#define NATTER_TYPE_MODEL_CHOOSER (natter_model_chooser_get_type ())
G_DECLARE_FINAL_TYPE (NatterModelChooser, natter_model_chooser, NATTER, MODEL_CHOOSER, AdwWindow)

/* A searchable list of the models of @profile, fetched at once with
 * natter_client_list_models_async(). Picking one emits
 * "model-selected" (const char *model_id) and closes the window. A failed
 * fetch shows the categorized error in the window. */
NatterModelChooser *natter_model_chooser_new          (NatterClient       *client,
                                                       NatterProfile      *profile);
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
