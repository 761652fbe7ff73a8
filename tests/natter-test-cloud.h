/* natter-test-cloud.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Test helpers for the cloud providers, written from the formats' public
 * descriptions independently of the code under test. */

/* One AWS event stream message with string headers :message-type,
 * :event-type (or :exception-type when @message_type is "exception") and
 * :content-type application/json, and @payload; both CRC32s correct. */
GBytes *natter_test_event_stream_message (const char *message_type,
                                          const char *type,
                                          const char *payload);

/* A fresh RSA key pair (2048 bits, GnuTLS): the private key as PKCS#8 PEM
 * and the public key as PEM. */
void    natter_test_rsa_key_pair         (char      **private_pem,
                                          char      **public_pem);
/* A service account key file for @private_pem with token_uri @token_uri. */
char   *natter_test_service_account_json (const char *private_pem,
                                          const char *project,
                                          const char *client_email,
                                          const char *token_uri);
/* Verifies a JWT's RS256 signature with @public_pem and returns its claims
 * as JSON text, or NULL (with a message in @why) when anything is wrong. */
char   *natter_test_verify_jwt           (const char *jwt,
                                          const char *public_pem,
                                          char      **why);

/* Recomputes the SigV4 signature of a request as the server received it
 * (method, path, query, headers, body) with @secret, the way AWS does: the
 * signed header names come from the Authorization header, their values
 * from what arrived. Uses natter-sigv4's step functions (checked against
 * AWS's suite in test-sigv4), not its request signing. TRUE when the
 * Authorization header carries exactly that signature. */
gboolean natter_test_verify_sigv4        (const char          *method,
                                          const char          *path,
                                          const char          *query,
                                          SoupMessageHeaders  *headers,
                                          const char          *body,
                                          gsize                body_len,
                                          const char          *access_key_id,
                                          const char          *secret,
                                          char               **why);

G_END_DECLS
