/* natter-request.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-types.h"

G_BEGIN_DECLS

/* A request is a value: method, URL, headers and body, exactly as they go on
 * the wire. It is built mutable by a dialect and frozen with
 * natter_request_freeze() before it is sent; after that it never changes, so
 * what the request log and the inspector show is what was sent.
 *
 * Reference counted; thread-safe to read once frozen. */

#define NATTER_TYPE_REQUEST (natter_request_get_type ())

GType          natter_request_get_type            (void) G_GNUC_CONST;
NatterRequest *natter_request_new                 (const char     *method,
                                                   const char     *url);
NatterRequest *natter_request_ref                 (NatterRequest  *self);
void           natter_request_unref               (NatterRequest  *self);

/* Mutators: only before natter_request_freeze(). */
void           natter_request_set_header          (NatterRequest  *self,
                                                   const char     *name,
                                                   const char     *value);
/* Marks a header as carrying a secret (redacted in logs), e.g. the header the
 * API key goes into. Authorization, x-api-key, x-goog-api-key, api-key and
 * Proxy-Authorization are always treated as secret. */
void           natter_request_set_secret_header   (NatterRequest  *self,
                                                   const char     *name,
                                                   const char     *value);
/* Removes the header @name (any case) when it is set. */
void           natter_request_remove_header       (NatterRequest  *self,
                                                   const char     *name);
/* Takes a copy of @body. @content_type defaults to application/json. */
void           natter_request_set_body            (NatterRequest  *self,
                                                   const char     *content_type,
                                                   GBytes         *body);
void           natter_request_set_body_string     (NatterRequest  *self,
                                                   const char     *content_type,
                                                   const char     *body);
void           natter_request_set_url             (NatterRequest  *self,
                                                   const char     *url);
void           natter_request_set_framing         (NatterRequest  *self,
                                                   NatterFraming   framing);
void           natter_request_freeze              (NatterRequest  *self);
gboolean       natter_request_is_frozen           (NatterRequest  *self);

const char    *natter_request_get_method          (NatterRequest  *self);
const char    *natter_request_get_url             (NatterRequest  *self);
/* The URL with `key=` (and similar secret) query parameters replaced by
 * "REDACTED". Free with g_free(). */
char          *natter_request_dup_redacted_url    (NatterRequest  *self);
/* Header names in the order they were set. */
guint          natter_request_get_n_headers       (NatterRequest  *self);
const char    *natter_request_get_header_name     (NatterRequest  *self,
                                                   guint           i);
const char    *natter_request_get_header_value    (NatterRequest  *self,
                                                   guint           i);
const char    *natter_request_get_header          (NatterRequest  *self,
                                                   const char     *name);
gboolean       natter_request_header_is_secret    (NatterRequest  *self,
                                                   guint           i);
const char    *natter_request_get_content_type    (NatterRequest  *self);
GBytes        *natter_request_get_body            (NatterRequest  *self);
NatterFraming  natter_request_get_framing         (NatterRequest  *self);

/* Headers as a JSON object text with secret values replaced by "REDACTED"
 * (keeping a scheme such as "Bearer REDACTED"). Free with g_free(). */
char          *natter_request_dup_redacted_headers_json (NatterRequest *self);

/* Replaces every occurrence of @secret in @text by "REDACTED". Returns a new
 * string. Used wherever provider text may echo a key back. */
char          *natter_redact_secret               (const char     *text,
                                                   const char     *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterRequest, natter_request_unref)

G_END_DECLS
