/* natter-card-edit.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-card.h"

G_BEGIN_DECLS

/* Making and changing cards. A card is immutable: each edit returns a new
 * card whose JSON tree is the old one with one member of "data" replaced
 * (in place, so member order stays) or appended. Every other member,
 * "extensions" and keys Natter does not know included, is carried over
 * as it was, so exporting a card after an edit differs from exporting it
 * before only in the edited field. An edit that sets a field to the value
 * it already has returns the same card (a new reference).
 *
 * SillyTavern writes a V1 copy of some fields at the root of a V2 card
 * ("name", "description", "personality", "scenario", "first_mes",
 * "mes_example", "tags", and "creatorcomment" for creator_notes); when
 * such a copy held the old value it is changed too, so both agree. */

/* A Character Card V3 made from scratch: spec "chara_card_v3", every V2
 * field and "group_only_greetings" present and empty, "extensions" {}. */
NatterCard *natter_card_new_blank          (const char          *name);

/* The fields whose value is an array of strings. */
gboolean    natter_card_field_is_list      (const char          *field);
/* A field name a card can hold: letters, digits and "_", not empty. */
gboolean    natter_card_field_is_valid     (const char          *field);

NatterCard *natter_card_edit_string        (NatterCard          *self,
                                            const char          *field,
                                            const char          *value);
NatterCard *natter_card_edit_strv          (NatterCard          *self,
                                            const char          *field,
                                            const char * const  *values);
/* @value is copied. */
NatterCard *natter_card_edit_member        (NatterCard          *self,
                                            const char          *field,
                                            JsonNode            *value);
/* A copy of @self with a new name and everything else kept (for
 * duplicating a character). */
NatterCard *natter_card_copy_renamed       (NatterCard          *self,
                                            const char          *name);

G_END_DECLS
