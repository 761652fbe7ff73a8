/* natter-lore-note.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-database.h"

G_BEGIN_DECLS

/* Which lorebook entries a logged request carried and why, kept beside
 * the request's note for the Request Inspector: a JSON array of
 * {"title", "key" (the key that matched, null for a constant entry),
 * "constant", "position", "tokens"}. */
gboolean natter_lore_note_save (NatterDatabase  *database,
                                gint64           log_id,
                                const char      *lore_json,
                                GError         **error);
/* The array's text, or NULL when the request has none. */
char    *natter_lore_note_get  (NatterDatabase  *database,
                                gint64           log_id);

G_END_DECLS
