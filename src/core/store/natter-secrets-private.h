/* natter-secrets-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-secrets.h"

G_BEGIN_DECLS

/* How many blocking keyring reads (lookup, has) this process made. */
guint _natter_secrets_get_n_sync_reads (void);

G_END_DECLS
