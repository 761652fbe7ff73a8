/* natter-service-account.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A Google Cloud service account key file (the JSON a person downloads
 * from the console): what Vertex AI signs in with. The private key is
 * held only as long as the object lives and wiped when it is freed. */

#define NATTER_SERVICE_ACCOUNT_ERROR (natter_service_account_error_quark ())
GQuark natter_service_account_error_quark (void);

typedef enum
{
  NATTER_SERVICE_ACCOUNT_ERROR_MALFORMED,      /* not JSON, or not an object */
  NATTER_SERVICE_ACCOUNT_ERROR_NOT_SERVICE,    /* "type" is not "service_account" */
  NATTER_SERVICE_ACCOUNT_ERROR_MISSING_FIELD,  /* a required member is missing or empty */
  NATTER_SERVICE_ACCOUNT_ERROR_BAD_KEY,        /* the key is not a readable RSA private key */
} NatterServiceAccountError;

#define NATTER_GOOGLE_CLOUD_SCOPE "https://www.googleapis.com/auth/cloud-platform"

typedef struct _NatterServiceAccount NatterServiceAccount;

/* Validates @json (at most 64 KiB): type "service_account", project_id,
 * private_key (PEM, RSA), client_email and an http(s) token_uri. The error
 * messages say which part is wrong and never quote the key. */
NatterServiceAccount *natter_service_account_parse           (const char            *json,
                                                              gssize                 len,
                                                              GError               **error);
void                  natter_service_account_free            (NatterServiceAccount  *self);
const char           *natter_service_account_get_client_email (NatterServiceAccount *self);
const char           *natter_service_account_get_project_id  (NatterServiceAccount  *self);
const char           *natter_service_account_get_token_uri   (NatterServiceAccount  *self);
/* A hex SHA-256 naming this key (client e-mail, key and token URI), for
 * caches: equal for equal files, reveals nothing of the key. */
const char           *natter_service_account_get_fingerprint (NatterServiceAccount  *self);

/* The signed JWT to exchange at the token URI: header
 * {"alg":"RS256","typ":"JWT"}, claims iss = client_email, scope, aud =
 * token_uri, iat = @now_s, exp = iat + 3600; RSASSA-PKCS1-v1_5 with
 * SHA-256 by GnuTLS. */
char                 *natter_service_account_build_assertion (NatterServiceAccount  *self,
                                                              const char            *scope,
                                                              gint64                 now_s,
                                                              GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterServiceAccount, natter_service_account_free)

G_END_DECLS
