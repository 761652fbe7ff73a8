/* natter-worldbook-edit.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-worldbook.h"

G_BEGIN_DECLS

/* Editing lorebooks (Character Card V2 "character_book" objects, as
 * natter_worldbook_import_st() makes them) and writing them back out as
 * SillyTavern world books.
 *
 * SillyTavern's settings that V2 has no field for live in each entry's
 * "extensions", under SillyTavern's own names when the book came from a
 * world book file ("scanDepth", "excludeRecursion", …) and under the
 * snake_case names SillyTavern uses in cards otherwise ("scan_depth",
 * "exclude_recursion", …). Edits write the name the entry already uses. */

/* SillyTavern's insertion positions (world_info_position). */
typedef enum
{
  NATTER_LORE_INSERT_BEFORE_CHAR = 0,
  NATTER_LORE_INSERT_AFTER_CHAR = 1,
  NATTER_LORE_INSERT_AN_TOP = 2,
  NATTER_LORE_INSERT_AN_BOTTOM = 3,
  NATTER_LORE_INSERT_AT_DEPTH = 4,
  NATTER_LORE_INSERT_EM_TOP = 5,
  NATTER_LORE_INSERT_EM_BOTTOM = 6,
} NatterLoreInsert;

/* How secondary keys combine (SillyTavern's selectiveLogic). */
typedef enum
{
  NATTER_LORE_LOGIC_AND_ANY = 0,
  NATTER_LORE_LOGIC_NOT_ALL = 1,
  NATTER_LORE_LOGIC_NOT_ANY = 2,
  NATTER_LORE_LOGIC_AND_ALL = 3,
} NatterLoreLogic;

/* One entry's editable settings. */
typedef struct
{
  char              **keys;
  char              **secondary_keys;
  char               *content;
  char               *comment;
  gboolean            constant;
  gboolean            enabled;
  int                 order;
  NatterLoreInsert    position;
  int                 depth;              /* for NATTER_LORE_INSERT_AT_DEPTH */
  NatterLoreLogic     logic;
  int                 probability;        /* 0–100 */
  int                 scan_depth;         /* -1: the book's */
  gboolean            exclude_recursion;  /* not activated by other entries */
  gboolean            prevent_recursion;  /* does not activate other entries */
} NatterLoreFields;

void        natter_lore_fields_read        (JsonObject              *entry,
                                            NatterLoreFields        *fields);
/* Writes the settings of @fields that differ from @before (what
 * natter_lore_fields_read() gave) into @entry; nothing else changes. */
void        natter_lore_fields_write       (JsonObject              *entry,
                                            const NatterLoreFields  *before,
                                            const NatterLoreFields  *fields);
void        natter_lore_fields_clear       (NatterLoreFields        *fields);

/* "before_char", "after_char", "an_top", "an_bottom", "depth", "em_top",
 * "em_bottom"; -1 for an unknown name. */
int         natter_lore_insert_from_string (const char              *name);
const char *natter_lore_insert_to_string   (NatterLoreInsert         position);
/* "and_any", "not_all", "not_any", "and_all"; -1 for an unknown name. */
int         natter_lore_logic_from_string  (const char              *name);
const char *natter_lore_logic_to_string    (NatterLoreLogic          logic);

/* An empty book: {"name", "entries": [], "extensions": {}}. */
JsonObject *natter_worldbook_new           (const char              *name);
/* The book's entries array, created when missing (transfer none). */
JsonArray  *natter_worldbook_get_entries   (JsonObject              *book);
/* Appends an enabled entry with the next free id (transfer none). */
JsonObject *natter_worldbook_add_entry     (JsonObject              *book);

/* The book as a SillyTavern world book: {"entries": {"<uid>": {…}}} with
 * every SillyTavern field of each entry, and the book's extensions back
 * at the top level. A book imported by natter_worldbook_import_st() comes
 * out with the same members and values as the file it came from.
 * Pretty-printed with 4 spaces, as SillyTavern saves them. */
GBytes     *natter_worldbook_export_st     (JsonObject              *book);

G_END_DECLS
