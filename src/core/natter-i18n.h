/* natter-i18n.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale from the environment and binds Natter's message
 * catalogues; the first call in main(), before any string is translated.
 * A development build takes its catalogues from $NATTER_LOCALE_DIR when
 * that is set (build-aux/run.sh and the tests point it at the build
 * tree's po/), so that it speaks the user's language without being
 * installed; an installed release build always uses its own locale dir. */
void natter_i18n_init (void);

G_END_DECLS
