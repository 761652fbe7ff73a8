/* natter-profile-row.h
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

#define NATTER_TYPE_PROFILE_ROW (natter_profile_row_get_type ())
G_DECLARE_FINAL_TYPE (NatterProfileRow, natter_profile_row, NATTER, PROFILE_ROW, AdwActionRow)

/* A row of the connection manager: name, provider, model, effective URL,
 * key state and default marker of a stored @profile, kept up to date while
 * the profile changes. Its buttons activate the "connections.edit",
 * "connections.duplicate", "connections.delete" and
 * "connections.set-default" actions with the profile's id (int64) as target.
 * The key state is looked up in the keyring asynchronously; the key itself
 * is never read. */
/* @client (nullable) is asked for the credits of OpenRouter and NanoGPT
 * connections, again after each reply on the connection. */
NatterProfileRow *natter_profile_row_new               (NatterClient     *client,
                                                       NatterProfile    *profile);
void              natter_profile_row_refresh_account   (NatterProfileRow *self);
NatterProfile    *natter_profile_row_get_profile       (NatterProfileRow *self);
/* Looks the key state up again (after the key was stored or cleared). */
void              natter_profile_row_refresh_key_state (NatterProfileRow *self);

G_END_DECLS
