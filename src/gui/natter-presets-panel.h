/* natter-presets-panel.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-client.h"
#include "natter-preset-store.h"

G_BEGIN_DECLS

/* The generation settings of one preset: the sampling controls (those the
 * current connection's provider does not take are shown off, with the
 * reason), reasoning, the prompt blocks with their switches, and Save,
 * Save As, Import, Export (SillyTavern files) and Delete. Emits "saved"
 * after a preset was saved or imported, "deleted" after one was deleted
 * (the panel then shows the built-in of that name or the default). */

#define NATTER_TYPE_PRESETS_PANEL (natter_presets_panel_get_type ())
G_DECLARE_FINAL_TYPE (NatterPresetsPanel, natter_presets_panel, NATTER, PRESETS_PANEL, GtkWidget)

NatterPresetsPanel *natter_presets_panel_new             (NatterPresetStore  *store);
/* A window holding @panel (for the dropdown's button). */
GtkWidget          *natter_presets_panel_new_window      (NatterPresetsPanel *panel);
gboolean            natter_presets_panel_set_preset_name (NatterPresetsPanel *self,
                                                          const char         *name);
/* Which provider the controls are for: what it does not take is shown off. */
void                natter_presets_panel_set_connection  (NatterPresetsPanel *self,
                                                          NatterClient       *client,
                                                          NatterProfile      *profile);
NatterPreset       *natter_presets_panel_get_preset      (NatterPresetsPanel *self);
/* Controls by what they set, for tests: the spin button of a sampling key,
 * the switch of a block, the Save button. */
GtkSpinButton      *natter_presets_panel_get_spin        (NatterPresetsPanel *self,
                                                          const char         *key);
GtkCheckButton     *natter_presets_panel_get_check       (NatterPresetsPanel *self,
                                                          const char         *key);
GtkSwitch          *natter_presets_panel_get_block_switch (NatterPresetsPanel *self,
                                                           const char         *block_id);
/* The text editor of a block with text of its own (not a marker). The
 * block's move buttons are named "Move “NAME” up" / "… down". */
GtkTextView        *natter_presets_panel_get_block_editor (NatterPresetsPanel *self,
                                                           const char         *block_id);
GtkButton          *natter_presets_panel_get_save_button (NatterPresetsPanel *self);

G_END_DECLS
