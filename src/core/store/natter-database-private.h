/* natter-database-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-database.h"

G_BEGIN_DECLS

/* The forward migrations: element i takes the schema from version i to
 * i + 1. For tests that build a database at an older version. */
const char * const *_natter_database_get_migrations (guint *n_migrations);

G_END_DECLS
