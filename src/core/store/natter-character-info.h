/* natter-character-info.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One row of the character list (natter_chat_store_get_characters_model()).
 * Read-only properties, notified when the store updates the item in place:
 * "id", "name", "avatar" (GBytes of the PNG, NULL without one). */
#define NATTER_TYPE_CHARACTER_INFO (natter_character_info_get_type ())
G_DECLARE_FINAL_TYPE (NatterCharacterInfo, natter_character_info, NATTER, CHARACTER_INFO, GObject)

gint64      natter_character_info_get_id     (NatterCharacterInfo *self);
const char *natter_character_info_get_name   (NatterCharacterInfo *self);
GBytes     *natter_character_info_get_avatar (NatterCharacterInfo *self);

G_END_DECLS
