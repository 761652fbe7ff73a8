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

/* Whether natter_database_open() ran the integrity check (the last run did
 * not close the file cleanly). */
gboolean _natter_database_get_checked      (NatterDatabase *self);
/* Waits for the search index check that opening started on a thread (when
 * there was one); TRUE when it finished with the index sound. */
gboolean _natter_database_wait_for_checks  (NatterDatabase *self);
/* After the wait: whether the check rebuilt a damaged index. */
gboolean _natter_database_get_fts_rebuilt  (NatterDatabase *self);

/* A read-only connection for a worker thread: no check, no migration, no
 * polling. Cancelling @cancellable interrupts its queries. */
NatterDatabase *_natter_database_open_reader (const char    *path,
                                              GCancellable  *cancellable,
                                              GError       **error);
/* Cancelling @cancellable (NULL: none) interrupts the running query. */
void            _natter_database_set_cancellable (NatterDatabase *self,
                                                  GCancellable   *cancellable);
/* Whether other connections can open the same data (a file, not memory). */
gboolean        _natter_database_is_shared   (NatterDatabase *self);

G_END_DECLS
