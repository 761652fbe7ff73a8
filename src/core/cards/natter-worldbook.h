/* natter-worldbook.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Import of SillyTavern world books (lorebooks) as Character Card V2
 * "character_book" objects, the shape the rest of Natter uses.
 *
 * A SillyTavern world book is {"entries": {"<uid>": {uid, key, keysecondary,
 * comment, content, constant, selective, order, position, disable, …}}}.
 * Each entry becomes {id, keys, secondary_keys, comment, name (= comment),
 * content, constant, selective, insertion_order, enabled (= !disable),
 * position ("before_char" for ST position 0, else "after_char"),
 * case_sensitive (when ST's caseSensitive is a boolean), extensions}, where
 * "extensions" keeps every ST field not listed above as mapped one to one
 * (so ST's numeric "position", "probability", "depth", … all survive).
 * Entries keep the order of the file. Top-level keys other than "entries"
 * and "name" are kept under the book's "extensions".
 * A file that already is a V2 character_book (an "entries" array) is
 * returned as it is. */

#define NATTER_WORLDBOOK_ERROR (natter_worldbook_error_quark ())
GQuark natter_worldbook_error_quark (void);

typedef enum
{
  NATTER_WORLDBOOK_ERROR_INVALID_JSON,
  NATTER_WORLDBOOK_ERROR_NOT_A_WORLDBOOK,
  NATTER_WORLDBOOK_ERROR_TOO_LARGE,
} NatterWorldbookError;

#define NATTER_WORLDBOOK_MAX_SIZE (16 * 1024 * 1024)

/* Returns a new character_book object (with "name" set) and, in @name,
 * the book's name: the file's "name" member, else @filename_hint without
 * directory and ".json", else "World book". */
JsonObject *natter_worldbook_import_st      (GBytes      *bytes,
                                             const char  *filename_hint,
                                             char       **name,
                                             GError     **error);
JsonObject *natter_worldbook_import_st_file (const char  *path,
                                             char       **name,
                                             GError     **error);

G_END_DECLS
