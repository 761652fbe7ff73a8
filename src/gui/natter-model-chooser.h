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

G_END_DECLS
