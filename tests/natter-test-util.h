/* natter-test-util.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fresh temporary directory, removed by natter_test_tmpdir_free(). */
char  *natter_test_tmpdir_new    (void);
void   natter_test_tmpdir_free   (char        *dir);
/* Path of a file in tests/fixtures (NATTER_FIXTURES_DIR). */
char  *natter_test_fixture_path  (const char  *relative);
/* Spins the default main context until *@flag is TRUE or @timeout_ms passes. */
gboolean natter_test_wait_for    (gboolean    *flag,
                                  guint        timeout_ms);

G_END_DECLS
