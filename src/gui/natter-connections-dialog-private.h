/* natter-connections-dialog-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-connections-dialog.h"

G_BEGIN_DECLS

/* Project-internal: what the tests look at. */

/* The row showing @profile (a stored profile), or NULL. Transfer none. */
NatterProfileRow        *natter_connections_dialog_get_row      (NatterConnectionsDialog *self,
                                                                 NatterProfile           *profile);
/* The client the dialog tests connections and fetches models with. */
NatterClient            *natter_connections_dialog_get_client   (NatterConnectionsDialog *self);

G_END_DECLS
