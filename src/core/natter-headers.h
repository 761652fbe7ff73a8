/* natter-headers.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "natter-request.h"

G_BEGIN_DECLS

/* Custom headers of a connection (some proxies need them), kept in the
 * profile's settings as "headers": [{"name": "X-Team", "value": "blue"},
 * {"name": "X-Proxy-Token", "secret": true}]. A secret header's value is
 * never in the settings: all secret values of a profile are one keyring
 * item (NATTER_SECRET_HEADERS), a JSON object {"X-Proxy-Token": "…"}. Secret
 * headers go into the request marked secret, so the request log and the
 * inspector show REDACTED. */
typedef struct
{
  char     *name;
  char     *value;    /* nullable: a secret one loaded from the settings */
  gboolean  secret;
} NatterCustomHeader;

NatterCustomHeader *natter_custom_header_new   (const char          *name,
                                                const char          *value,
                                                gboolean             secret);
void                natter_custom_header_free  (NatterCustomHeader  *header);

/* Whether a header of that name should be kept secret by default (it
 * carries a key, token, secret, password, cookie or authorization). */
gboolean   natter_custom_header_name_looks_secret (const char       *name);
/* "NAME=VALUE" with a valid header name and a value a header can carry.
 * FALSE with a message for people. */
gboolean   natter_custom_header_parse        (const char          *text,
                                              char               **name,
                                              char               **value,
                                              GError             **error);

/* Element-type NatterCustomHeader, in order; never NULL. */
GPtrArray *natter_custom_headers_load        (JsonObject          *settings);
/* Writes "headers" (removed when empty); secret values are left out. */
void       natter_custom_headers_save        (GPtrArray           *headers,
                                              JsonObject          *settings);
/* The secret values as the keyring item's JSON text, or NULL when there is
 * no secret header with a value. */
char      *natter_custom_headers_secret_json (GPtrArray           *headers);
gboolean   natter_custom_headers_have_secret (JsonObject          *settings);
/* Adds the headers of @settings to @request (not yet frozen). @secret_json
 * is the keyring item (nullable: a secret header without a value is left
 * out); with @redacted the secret values are "REDACTED" (for showing what
 * would be sent). Headers that cannot go on the wire are skipped. */
void       natter_custom_headers_apply       (JsonObject          *settings,
                                              const char          *secret_json,
                                              gboolean             redacted,
                                              NatterRequest       *request);

G_END_DECLS
