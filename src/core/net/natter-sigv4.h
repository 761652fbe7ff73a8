/* natter-sigv4.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "natter-request.h"

G_BEGIN_DECLS

/* AWS Signature Version 4 (header form), following AWS's "Create a signed
 * AWS API request" reference step by step. Each step is its own function
 * so each can be checked against AWS's published test suite. HMAC-SHA256
 * and SHA-256 are GLib's (GHmac, GChecksum). */

typedef struct
{
  const char *access_key_id;
  const char *secret_access_key;
  const char *session_token;      /* nullable: temporary credentials */
  const char *region;             /* "us-east-1" */
  const char *service;            /* "bedrock" */
} NatterSigV4Credentials;

/* The canonical URI of @path as it is on the wire (already %-encoded):
 * dot segments and repeated slashes removed, then every byte but the
 * unreserved ones and '/' %-encoded (so an encoded ":" in a Bedrock model
 * id, "%3A", becomes "%253A", as AWS expects for every service but S3). */
char  *natter_sigv4_canonical_uri     (const char          *path);
/* The canonical query of @query (without "?", nullable): parameters
 * decoded, re-encoded with only the unreserved characters left as they
 * are, sorted by name then value. */
char  *natter_sigv4_canonical_query   (const char          *query);
/* The canonical request. @headers: name, value, name, value, …, NULL
 * (names in any case, repeated names joined with ","); every one of them
 * is signed. @signed_headers (nullable) receives "host;x-amz-date". */
char  *natter_sigv4_canonical_request (const char          *method,
                                       const char          *path,
                                       const char          *query,
                                       const char * const  *headers,
                                       const char          *payload_sha256_hex,
                                       char               **signed_headers);
/* "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hex sha256 of canonical request}" */
char  *natter_sigv4_string_to_sign    (const char          *amz_date,
                                       const char          *scope,
                                       const char          *canonical_request);
/* The hex signature: HMAC chain "AWS4"+secret → date → region → service →
 * "aws4_request", then HMAC of @string_to_sign. @date is YYYYMMDD. */
char  *natter_sigv4_signature         (const char          *secret_access_key,
                                       const char          *date,
                                       const char          *region,
                                       const char          *service,
                                       const char          *string_to_sign);

/* Signs @request (not frozen; body and headers final) at @when (UTC; NULL:
 * now): adds X-Amz-Date, X-Amz-Security-Token (secret) when there is a
 * session token, and Authorization (secret). Signed are Host (from the
 * URL, with its port unless it is the scheme's default), Content-Type when
 * there is a body, and every X-Amz-* header. FALSE with a
 * NATTER_REQUEST_ERROR (auth) for missing credentials or an unusable URL. */
gboolean natter_sigv4_sign_request    (NatterRequest                 *request,
                                       const NatterSigV4Credentials  *credentials,
                                       GDateTime                     *when,
                                       GError                       **error);

G_END_DECLS
