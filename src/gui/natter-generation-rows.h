/* natter-generation-rows.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-application.h"
#include "natter-preset-store.h"
#include "natter-profile.h"

G_BEGIN_DECLS

/* The connection form's "Generation" group: the connection's default
 * preset and its reasoning effort, kept in the profile's settings
 * ("preset", "reasoning"). */
#define NATTER_TYPE_PROFILE_PRESET_GROUP (natter_profile_preset_group_get_type ())
G_DECLARE_FINAL_TYPE (NatterProfilePresetGroup, natter_profile_preset_group, NATTER, PROFILE_PRESET_GROUP,
                      AdwPreferencesGroup)

/* Fills the rows from @database's presets and @profile (nullable: new). */
void         natter_profile_preset_group_load  (NatterProfilePresetGroup *self,
                                                NatterDatabase           *database,
                                                NatterProfile            *profile);
/* Writes the rows into @profile's settings, keeping its other members. */
void         natter_profile_preset_group_apply (NatterProfilePresetGroup *self,
                                                NatterProfile            *profile);
AdwComboRow *natter_profile_preset_group_get_preset_row    (NatterProfilePresetGroup *self);
AdwComboRow *natter_profile_preset_group_get_reasoning_row (NatterProfilePresetGroup *self);

/* Preferences' "Sidecar" group: the connection (and model) for titles
 * and summaries; applied at once to the application's conversation. */
#define NATTER_TYPE_SIDECAR_GROUP (natter_sidecar_group_get_type ())
G_DECLARE_FINAL_TYPE (NatterSidecarGroup, natter_sidecar_group, NATTER, SIDECAR_GROUP, AdwPreferencesGroup)

void         natter_sidecar_group_set_application (NatterSidecarGroup *self,
                                                   NatterApplication  *application);
AdwComboRow *natter_sidecar_group_get_profile_row (NatterSidecarGroup *self);
AdwEntryRow *natter_sidecar_group_get_model_row   (NatterSidecarGroup *self);

/* Gives the application's conversation the sidecar that is set, if any. */
void         natter_sidecar_apply                 (NatterApplication  *application);

G_END_DECLS
