/* natter-auth.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "natter-catalog.h"
#include "natter-request.h"
#include "natter-transport.h"

G_BEGIN_DECLS

/* The sign-in methods that are more than one header carrying the stored
 * key: Google service accounts (a signed JWT exchanged for an access token,
 * cached) and AWS (Signature Version 4 on every request, or a Bedrock API
 * key). The client asks for a credential before it builds a request and
 * applies it to the finished request; nothing else knows how. */

typedef struct _NatterCredential NatterCredential;

#define NATTER_TYPE_AUTH (natter_auth_get_type ())
G_DECLARE_FINAL_TYPE (NatterAuth, natter_auth, NATTER, AUTH, GObject)

/* One per client: it holds the access-token cache. */
NatterAuth       *natter_auth_new                   (void);

/* TRUE when @provider signs in through NatterAuth (auth "oauth" or
 * "aws-sigv4"); the others take natter_provider_apply_auth(). */
gboolean          natter_auth_handles               (NatterProvider      *provider);

/* Readies the credential of one request. @key and @session_token are the
 * profile's stored secrets (nullable: then the environment is asked:
 * GOOGLE_APPLICATION_CREDENTIALS; AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN, AWS_BEARER_TOKEN_BEDROCK, AWS_REGION). For a service
 * account this is an access token from the cache, valid for at least
 * another minute, or one exchange at the key's token_uri through
 * @transport (concurrent callers share it). Errors: NATTER_REQUEST_ERROR,
 * auth for missing or refused credentials (with the server's message). */
void              natter_auth_prepare_async         (NatterAuth           *self,
                                                     NatterProvider       *provider,
                                                     JsonObject           *settings,
                                                     const char           *key,
                                                     const char           *session_token,
                                                     NatterTransport      *transport,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
NatterCredential *natter_auth_prepare_finish        (NatterAuth           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* A credential for showing a request without sending it: every secret is
 * "REDACTED", the rest (project, region, access key ID) is real. */
NatterCredential *natter_auth_placeholder_credential (NatterProvider      *provider,
                                                      JsonObject          *settings,
                                                      const char          *key);

/* Forgets every cached access token. */
void              natter_auth_clear_cache           (NatterAuth           *self);

/* Sets what the dialect needs and the credential knows, when @settings
 * does not set it: "project" (from the service account) and "region". */
void              natter_credential_fill_settings   (NatterCredential     *self,
                                                     JsonObject           *settings);
/* Adds the auth headers to @request (not frozen, body final). */
gboolean          natter_credential_apply           (NatterCredential     *self,
                                                     NatterRequest        *request,
                                                     GError              **error);
/* The secret that could be echoed in a reply (access token, API key or
 * secret access key), for scrubbing; nullable. */
const char       *natter_credential_get_secret      (NatterCredential     *self);
void              natter_credential_free            (NatterCredential     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterCredential, natter_credential_free)

G_END_DECLS
