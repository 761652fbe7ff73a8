/* natter-card.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A character card (Character Card V1/V2/V3) read from a PNG, JSON or CHARX
 * file. The parsed JSON tree is the source of truth: every member of the
 * file is kept in its order, including "extensions" and keys Natter does
 * not know, so exporting gives back everything that was imported.
 *
 * Import rules:
 * - PNG: text chunks "ccv3" (V3) and "chara" (V1/V2), base64 of UTF-8 JSON
 *   (a chunk holding plain JSON is accepted too). The text chunk may be a
 *   tEXt, a zTXt (zlib) or an iTXt (plain or zlib) chunk; the first chunk
 *   with a keyword counts. Compressed text that cannot be inflated is an
 *   error (DAMAGED), and so is text inflating past
 *   NATTER_CARD_MAX_TEXT_SIZE (TOO_LARGE). "ccv3" is used when present,
 *   except when the two chunks hold the same card apart from the root
 *   "spec"/"spec_version" members: then "ccv3" is a mechanical upgrade of
 *   the "chara" card (which is what natter_card_export_png() writes for a
 *   V2 card) and the "chara" card is the original. The avatar is the PNG
 *   with the "chara"/"ccv3" chunks removed.
 * - CHARX: "card.json" in the zip; the avatar is the "icon" asset (the one
 *   named "main" first) whose uri is "embeded://PATH" and whose bytes are
 *   a PNG. When the zip also holds "natter/original-card.json" (written by
 *   natter_card_export_charx() for a card it had to change) and card.json
 *   is exactly what the export makes of that card, the original is used.
 * - V1 cards (no "data" object) become V2: "name", "description",
 *   "personality", "scenario", "first_mes" and "mes_example" move under
 *   "data" (with the other V2 fields added empty), every other top-level
 *   key stays at the top level where it was, followed by "spec":
 *   "chara_card_v2", "spec_version": "2.0" and "data".
 * - A card needs a non-empty string "data.name".
 *
 * Nothing is half-imported: a load either returns a complete card or
 * NULL with an error. Cards are immutable except for the avatar. */

#define NATTER_TYPE_CARD (natter_card_get_type ())
G_DECLARE_FINAL_TYPE (NatterCard, natter_card, NATTER, CARD, GObject)

#define NATTER_CARD_ERROR (natter_card_error_quark ())
GQuark natter_card_error_quark (void);

typedef enum
{
  NATTER_CARD_ERROR_UNKNOWN_FORMAT,  /* not a PNG, JSON or zip file */
  NATTER_CARD_ERROR_NO_CARD,         /* PNG without a card chunk, CHARX without card.json */
  NATTER_CARD_ERROR_TRUNCATED,       /* PNG chunk past the end of the file */
  NATTER_CARD_ERROR_BAD_CRC,         /* PNG chunk with a wrong checksum */
  NATTER_CARD_ERROR_DAMAGED,         /* other damage in the PNG or zip container */
  NATTER_CARD_ERROR_INVALID_BASE64,
  NATTER_CARD_ERROR_INVALID_JSON,    /* not UTF-8, not JSON, nested too deep, number out of range */
  NATTER_CARD_ERROR_INVALID_CARD,    /* JSON that is not a card (not an object, "data" not an object) */
  NATTER_CARD_ERROR_MISSING_NAME,
  NATTER_CARD_ERROR_TOO_LARGE,
} NatterCardError;

/* Largest card file read (PNG, JSON or CHARX). */
#define NATTER_CARD_MAX_FILE_SIZE (32 * 1024 * 1024)
/* Largest card JSON text (after base64 decoding). */
#define NATTER_CARD_MAX_JSON_SIZE (16 * 1024 * 1024)
/* Largest card chunk text in a PNG once a zTXt/iTXt chunk is inflated
 * (base64 of the largest card JSON, with room for line breaks). */
#define NATTER_CARD_MAX_TEXT_SIZE (24 * 1024 * 1024)

/* Reads at most NATTER_CARD_MAX_FILE_SIZE bytes. I/O failures are
 * G_IO_ERROR errors; everything else NATTER_CARD_ERROR. */
NatterCard  *natter_card_load_file                    (const char   *path,
                                                       GError      **error);
/* Sniffs PNG / CHARX (zip) / JSON from the content. @filename_hint (a file
 * name or NULL) is only used to word error messages. */
NatterCard  *natter_card_load_bytes                   (GBytes       *bytes,
                                                       const char   *filename_hint,
                                                       GError      **error);
/* From card JSON text as stored by the chat store (V1 is converted, as above). */
NatterCard  *natter_card_new_from_json                (const char   *json,
                                                       GError      **error);

/* The root of the card's JSON tree (transfer none, do not modify). */
JsonNode    *natter_card_get_root                     (NatterCard   *self);
/* The "data" object (transfer none, do not modify). */
JsonObject  *natter_card_get_data                     (NatterCard   *self);
/* Canonical compact JSON text of the card, as stored by the chat store. */
char        *natter_card_dup_json                     (NatterCard   *self);

/* String fields of "data": never NULL, "" when absent or not a string. */
const char  *natter_card_get_name                     (NatterCard   *self);
const char  *natter_card_get_description              (NatterCard   *self);
const char  *natter_card_get_personality              (NatterCard   *self);
const char  *natter_card_get_scenario                 (NatterCard   *self);
const char  *natter_card_get_first_mes                (NatterCard   *self);
const char  *natter_card_get_mes_example              (NatterCard   *self);
const char  *natter_card_get_system_prompt            (NatterCard   *self);
const char  *natter_card_get_post_history_instructions (NatterCard  *self);
const char  *natter_card_get_creator_notes            (NatterCard   *self);
const char  *natter_card_get_creator                  (NatterCard   *self);
const char  *natter_card_get_character_version        (NatterCard   *self);
/* Root "spec" ("chara_card_v2", "chara_card_v3"), "" when absent. */
const char  *natter_card_get_spec                     (NatterCard   *self);
const char  *natter_card_get_spec_version             (NatterCard   *self);
/* String arrays of "data" (non-string elements skipped); never NULL. */
char       **natter_card_dup_tags                     (NatterCard   *self);
char       **natter_card_dup_alternate_greetings      (NatterCard   *self);
char       **natter_card_dup_group_only_greetings     (NatterCard   *self);
/* "data.character_book" / "data.extensions" (transfer none), or NULL. */
JsonObject  *natter_card_get_character_book           (NatterCard   *self);
JsonObject  *natter_card_get_extensions               (NatterCard   *self);

/* The avatar PNG (transfer none), or NULL when the card has none. */
GBytes      *natter_card_get_avatar                   (NatterCard   *self);
void         natter_card_set_avatar                   (NatterCard   *self,
                                                       GBytes       *avatar);

/* The card's JSON (pretty-printed, 2-space indent, final newline).
 * Importing it and exporting again gives the same bytes. */
GBytes      *natter_card_export_json                  (NatterCard   *self);
/* The avatar (or a small built-in image when there is none) with a
 * "chara" tEXt chunk (V2: the card, or for a V3 card a copy with spec
 * "chara_card_v2", spec_version "2.0", every field kept and the V3 notice
 * appended to creator_notes) and a "ccv3" tEXt chunk (V3: the card, or for
 * a V2 card a copy with spec "chara_card_v3", spec_version "3.0"), both
 * base64 of compact JSON. Importing the result gives the same JSON. */
GBytes      *natter_card_export_png                   (NatterCard   *self,
                                                       GError      **error);

/* A CHARX file (zip): "card.json" holds the card as Character Card V3
 * (spec "chara_card_v3", spec_version "3.0"; every other member kept),
 * with a main icon asset in "data.assets" whose uri is "embeded://PATH"
 * and whose bytes, at PATH in the zip, are @avatar_png (or, when NULL, the
 * card's avatar). PATH is the card's own embedded main icon when it has
 * one, else "assets/icon/images/main.png" (the asset is then appended).
 * Without any avatar no icon is added. When card.json differs from the
 * card (a V1/V2 card, an added asset), the card as it is goes to
 * "natter/original-card.json" too, so that importing the result gives the
 * same JSON and the same avatar bytes. The avatar must be a PNG. */
GBytes      *natter_card_export_charx                 (NatterCard   *self,
                                                       GBytes       *avatar_png,
                                                       GError      **error);

G_END_DECLS
