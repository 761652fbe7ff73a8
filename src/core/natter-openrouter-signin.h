/* natter-openrouter-signin.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* "Sign in with OpenRouter": OpenRouter's OAuth PKCE flow
 * (https://openrouter.ai/docs/use-cases/oauth-pkce). A random code
 * verifier and its S256 challenge; a one-shot listener on 127.0.0.1 that
 * takes the first request to /callback; the browser opened on
 * {auth_url}?callback_url=http://127.0.0.1:PORT/callback&code_challenge=…
 * &code_challenge_method=S256; the code exchanged at
 * POST {api_base}/auth/keys {"code","code_verifier","code_challenge_method"};
 * the returned key stored straight into the keyring as the profile's API
 * key. The key is never returned to the caller, logged or shown. Cancel
 * or time-out stop the listener and store nothing. */

#define NATTER_OPENROUTER_AUTH_URL "https://openrouter.ai/auth"

#define NATTER_TYPE_OPENROUTER_SIGNIN (natter_openrouter_signin_get_type ())
G_DECLARE_FINAL_TYPE (NatterOpenrouterSignin, natter_openrouter_signin, NATTER, OPENROUTER_SIGNIN, GObject)

/* @auth_url: nullable, $NATTER_OPENROUTER_AUTH_URL or the real one;
 * @api_base: the profile's base URL ("https://openrouter.ai/api/v1"). */
NatterOpenrouterSignin *natter_openrouter_signin_new        (const char              *auth_url,
                                                             const char              *api_base);
/* Starts listening on a free loopback port and makes the verifier. FALSE
 * with an error when no port could be had. */
gboolean                natter_openrouter_signin_start      (NatterOpenrouterSignin  *self,
                                                             GError                 **error);
/* The address to open in the browser (after _start()). */
const char             *natter_openrouter_signin_get_url    (NatterOpenrouterSignin  *self);
const char             *natter_openrouter_signin_get_code_challenge (NatterOpenrouterSignin *self);

/* Waits (at most @timeout_s seconds) for the browser to come back, then
 * exchanges the code and stores the key for @profile_uuid. Errors:
 * G_IO_ERROR_CANCELLED, G_IO_ERROR_TIMED_OUT, NATTER_REQUEST_ERROR from
 * the exchange, NATTER_SECRETS_ERROR from the keyring. */
void                    natter_openrouter_signin_wait_async (NatterOpenrouterSignin  *self,
                                                             const char              *profile_uuid,
                                                             const char              *profile_name,
                                                             guint                    timeout_s,
                                                             GCancellable            *cancellable,
                                                             GAsyncReadyCallback      callback,
                                                             gpointer                 user_data);
gboolean                natter_openrouter_signin_wait_finish (NatterOpenrouterSignin *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);

/* base64url(SHA-256(@verifier)) without padding (RFC 7636 S256). */
char                   *natter_pkce_challenge (const char *verifier);

G_END_DECLS
