/* natter-preset-dropdown.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-application.h"

G_BEGIN_DECLS

/* The preset dropdown beside the connection dropdown: the open chat's own
 * preset ("Default preset" for none: the character's, the connection's or
 * the global default applies). A choice made before the chat exists is
 * given to it when it is made. The list follows the preset store: presets
 * saved, renamed or deleted here or with natter-cli appear by themselves.
 * "changed" (no arguments) is emitted when the choice may have changed. */

#define NATTER_TYPE_PRESET_DROPDOWN (natter_preset_dropdown_get_type ())
G_DECLARE_FINAL_TYPE (NatterPresetDropdown, natter_preset_dropdown, NATTER, PRESET_DROPDOWN, GtkWidget)

void         natter_preset_dropdown_set_application (NatterPresetDropdown *self,
                                                     NatterApplication    *application);
void         natter_preset_dropdown_set_chat        (NatterPresetDropdown *self,
                                                     gint64                chat_id);
/* Re-reads the list of presets (after one was saved or imported). */
void         natter_preset_dropdown_reload          (NatterPresetDropdown *self);
/* The chosen preset's name, NULL for the default. */
const char  *natter_preset_dropdown_get_choice      (NatterPresetDropdown *self);
/* Chooses by name (NULL: the default), as a person would in the list. */
gboolean     natter_preset_dropdown_choose          (NatterPresetDropdown *self,
                                                     const char           *name);
/* The names in the list (without the default), a new array. */
GStrv        natter_preset_dropdown_dup_names       (NatterPresetDropdown *self);
GtkDropDown *natter_preset_dropdown_get_dropdown    (NatterPresetDropdown *self);
/* The chat shown (0: a chat not made yet). */
gint64       natter_preset_dropdown_get_chat        (NatterPresetDropdown *self);

G_END_DECLS
