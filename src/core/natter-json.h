/* natter-json.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cjson/cJSON.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The one way outside JSON (servers, files, the database) is parsed.
 * JSON parsers recurse once per nesting level, so a document nested a
 * hundred thousand levels deep would overflow the stack: every document is
 * first scanned (no recursion, strings and escapes understood) and refused
 * when it nests deeper than this. Real documents nest a dozen levels. */
#define NATTER_JSON_MAX_DEPTH 256

/* FALSE with JSON_PARSER_ERROR_INVALID_DATA when @data (@len bytes, -1:
 * NUL-terminated) nests arrays and objects deeper than @max_depth. Only the
 * nesting is checked; the syntax is the parser's business. */
gboolean  natter_json_check_depth (const char  *data,
                                   gssize       len,
                                   guint        max_depth,
                                   GError     **error);

/* FALSE with JSON_PARSER_ERROR_INVALID_DATA (a message that names the
 * escape, to be put in a sentence) when a string of @data (@len bytes, -1:
 * NUL-terminated) holds an escape that is not JSON's or that json-glib
 * reads into text that is not UTF-8 or that it cuts short: an octal
 * "\733" (a raw byte), an unknown "\q", "\u" with fewer than four hex
 * digits, "\u0000", and a surrogate without its other half ("\ud800");
 * also text in single quotes, which is not JSON either.
 * Files read with natter_json_parse() keep their strings valid UTF-8 by
 * checking this first. */
gboolean  natter_json_check_escapes (const char  *data,
                                     gssize       len,
                                     GError     **error);

/* FALSE when a string or member name anywhere in @node (depth bounded, as
 * from natter_json_parse()) is not valid UTF-8. */
gboolean  natter_json_strings_are_utf8 (JsonNode *node);

/* json_parser_load_from_data() after natter_json_check_depth() with
 * NATTER_JSON_MAX_DEPTH. */
gboolean  natter_json_parser_load (JsonParser  *parser,
                                   const char  *data,
                                   gssize       len,
                                   GError     **error);

/* The root node (a new reference), or NULL with @error set: invalid JSON,
 * too deep, or empty. */
JsonNode *natter_json_parse       (const char  *data,
                                   gssize       len,
                                   GError     **error);

/* cJSON_ParseWithLength() after the same depth check; NULL on failure
 * (@error, nullable, says why). */
cJSON    *natter_json_cjson_parse (const char  *data,
                                   gsize        len,
                                   GError     **error);

/* Members that servers may send with any type: the string (or boolean)
 * when @name holds one, else NULL (@fallback). json-glib's _with_default
 * getters complain (a critical) when the member is an object or array. */
const char *natter_json_object_get_string (JsonObject *object,
                                           const char *name);
gboolean    natter_json_object_get_bool   (JsonObject *object,
                                           const char *name,
                                           gboolean    fallback);

/* FALSE when @node holds a number that is not finite anywhere inside
 * (json-glib reads 1e999 as infinity, which no JSON writer can write
 * back). @node must come from natter_json_parse() or the like: its depth
 * is bounded. */
gboolean  natter_json_numbers_are_finite (JsonNode *node);

/* @value as an integer within [@min, @max]: NaN gives @min, out-of-range
 * values the nearest bound (a cast would be undefined behaviour). */
gint64    natter_json_clamp_int   (double       value,
                                   gint64       min,
                                   gint64       max);

/* An integer from a JSON value node (int, double, bool), clamped to the
 * gint64 range; @fallback when @node is NULL or holds anything else. */
gint64    natter_json_node_get_int (JsonNode   *node,
                                    gint64      fallback);

G_END_DECLS
