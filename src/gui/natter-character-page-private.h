/* natter-character-page-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-character-page.h"

G_BEGIN_DECLS

/* For tests. */
gint64     natter_character_page_get_character_id (NatterCharacterPage *self);
/* Writes the character as a PNG card (JSON when @path ends in .json). */
gboolean   natter_character_page_export         (NatterCharacterPage  *self,
                                                 const char           *path,
                                                 GError              **error);

G_END_DECLS
