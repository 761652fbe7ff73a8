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

/* The generation settings of one preset, shown in the window's side
 * panel: the sampling controls (those the current connection's provider
 * does not take are shown off, with the reason), reasoning and whether
 * thinking is shown, the prompt blocks with their switches, the preset of
 * the chat's character, and Save, Save As, Rename, Import, Export
 * (SillyTavern files) and Delete. Emits "saved" after a preset was saved
 * or imported, "renamed" (the old name) after the one shown was renamed,
 * "deleted" after one was deleted, here or elsewhere (the panel then shows
 * the built-in of that name or the default). Follows the preset store. */

#define NATTER_TYPE_PRESETS_PANEL (natter_presets_panel_get_type ())
G_DECLARE_FINAL_TYPE (NatterPresetsPanel, natter_presets_panel, NATTER, PRESETS_PANEL, GtkWidget)

NatterPresetsPanel *natter_presets_panel_new             (NatterPresetStore  *store);
gboolean            natter_presets_panel_set_preset_name (NatterPresetsPanel *self,
                                                          const char         *name);
/* Which provider the controls are for: what it does not take is shown off. */
void                natter_presets_panel_set_connection  (NatterPresetsPanel *self,
                                                          NatterClient       *client,
                                                          NatterProfile      *profile);
/* The chat's character (0: none), whose own preset the panel offers. */
void                natter_presets_panel_set_character   (NatterPresetsPanel *self,
                                                          gint64              character_id,
                                                          const char         *character_name);
AdwComboRow        *natter_presets_panel_get_character_row (NatterPresetsPanel *self);
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
