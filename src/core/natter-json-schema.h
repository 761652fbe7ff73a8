/* natter-json-schema.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Checks a structured answer against the JSON Schema it was asked for.
 * The keywords that shape an answer are understood: type (one or a list;
 * "integer" is a whole number), properties, required,
 * additionalProperties (false or a schema), items, enum, const, anyOf,
 * minimum / maximum / exclusiveMinimum / exclusiveMaximum, minLength /
 * maxLength, minItems / maxItems; others are ignored. The error says where
 * the answer fails, as a path from "$" ("$.cities[2].name"). */
#define NATTER_JSON_SCHEMA_ERROR (natter_json_schema_error_quark ())
GQuark natter_json_schema_error_quark (void);

typedef enum
{
  NATTER_JSON_SCHEMA_ERROR_NOT_JSON,  /* the answer is not JSON */
  NATTER_JSON_SCHEMA_ERROR_INVALID,   /* it does not follow the schema */
  NATTER_JSON_SCHEMA_ERROR_BAD_SCHEMA,/* the schema is not an object */
} NatterJsonSchemaError;

gboolean natter_json_schema_validate      (JsonObject  *schema,
                                           JsonNode    *instance,
                                           GError     **error);
/* @text parsed with the usual limits, then validated. */
gboolean natter_json_schema_validate_text (JsonObject  *schema,
                                           const char  *text,
                                           GError     **error);
/* A schema from a file's contents: an object, or an error for people. */
JsonObject *natter_json_schema_parse      (const char  *text,
                                           gssize       len,
                                           GError     **error);

G_END_DECLS
