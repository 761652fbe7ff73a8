/* natter-profile-editor.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-client.h"
#include "natter-profile-store.h"

G_BEGIN_DECLS

#define NATTER_TYPE_PROFILE_EDITOR (natter_profile_editor_get_type ())
G_DECLARE_FINAL_TYPE (NatterProfileEditor, natter_profile_editor, NATTER, PROFILE_EDITOR, AdwBin)

/* The form that creates (@profile NULL) or edits a stored @profile of
 * @store, shown as a page of the connection manager with its own header
 * bar (Cancel, Save). Saving validates inline (blank or duplicate name,
 * malformed URL), writes the profile in one store call, then stores a newly
 * typed API key / proxy password with natter_secrets_store_async(). A saved
 * key is never read back into the form. When the key cannot be stored the
 * profile stays saved, the form stays and says so.
 *
 * Signals: "saved" (NatterProfile *stored_profile) once everything was
 * written, then "done"; "done" alone on Cancel or Escape. */
NatterProfileEditor *natter_profile_editor_new         (NatterClient        *client,
                                                        NatterProfileStore  *store,
                                                        NatterProfile       *profile);
/* The stored profile being edited; NULL for a new one not saved yet. */
NatterProfile       *natter_profile_editor_get_profile (NatterProfileEditor *self);

G_END_DECLS
