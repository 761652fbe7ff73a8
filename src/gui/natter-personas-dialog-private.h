/* natter-personas-dialog-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-personas-dialog.h"

G_BEGIN_DECLS

/* For tests: the list of personas, the name entry and the description
 * view of the form, the lock switches. */
GtkListBox  *natter_personas_dialog_get_list          (NatterPersonasDialog *self);
GtkEditable *natter_personas_dialog_get_name_entry    (NatterPersonasDialog *self);
GtkTextView *natter_personas_dialog_get_description   (NatterPersonasDialog *self);
GtkSwitch   *natter_personas_dialog_get_chat_lock     (NatterPersonasDialog *self);
GtkSwitch   *natter_personas_dialog_get_character_lock (NatterPersonasDialog *self);
GtkDropDown *natter_personas_dialog_get_position      (NatterPersonasDialog *self);
gint64       natter_personas_dialog_get_selected_id   (NatterPersonasDialog *self);

G_END_DECLS
