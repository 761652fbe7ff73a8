/* natter-profile-row-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-profile-row.h"

G_BEGIN_DECLS

/* Project-internal: what the tests look at. */

/* Where the key would come from, as last looked up. */
NatterKeySource   natter_profile_row_get_key_source    (NatterProfileRow *self);
/* TRUE once the first key lookup finished. */
gboolean          natter_profile_row_get_key_known     (NatterProfileRow *self);

G_END_DECLS
