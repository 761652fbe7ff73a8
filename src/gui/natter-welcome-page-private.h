/* natter-welcome-page-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-welcome-page.h"

G_BEGIN_DECLS

/* For tests. */
guint      natter_welcome_page_get_n_local_servers (NatterWelcomePage *self);

G_END_DECLS
