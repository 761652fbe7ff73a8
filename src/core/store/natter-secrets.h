/* natter-secrets.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* API keys and proxy passwords in the Secret Service (libsecret), one item
 * per profile and kind, schema "io.github.natterapp.Natter.Secret" with the
 * attributes "profile" (the profile's uuid) and "kind" ("api-key" or
 * "proxy-password"). Under Flatpak libsecret goes through the Secret portal.
 *
 * Secrets are returned as plain strings: free them with
 * natter_secrets_free(), which wipes the memory first. Never log them.
 *
 * The sync functions block on D-Bus: use them from the CLI or a worker
 * thread, the _async ones from the GUI. */

#define NATTER_SECRETS_ERROR (natter_secrets_error_quark ())

typedef enum
{
  NATTER_SECRETS_ERROR_FAILED,
  NATTER_SECRETS_ERROR_UNAVAILABLE,  /* no keyring reachable or it refused */
  NATTER_SECRETS_ERROR_INVALID,      /* bad argument (empty uuid or secret) */
} NatterSecretsError;

GQuark natter_secrets_error_quark (void);

typedef enum
{
  NATTER_SECRET_API_KEY,
  NATTER_SECRET_PROXY_PASSWORD,
  NATTER_SECRET_SESSION_TOKEN,    /* AWS temporary credentials (Bedrock) */
  NATTER_SECRET_HEADERS,         /* the secret custom header values, a JSON object {"Name": "value"} */
} NatterSecretKind;

#define NATTER_SECRETS_SCHEMA_NAME "io.github.natterapp.Natter.Secret"

/* "api-key" / "proxy-password" / "session-token" / "headers" */
const char *natter_secret_kind_to_string (NatterSecretKind kind);

/* Wipes and frees a secret returned by a lookup. NULL is fine. */
void      natter_secrets_free          (char                *secret);

/* Stores (replacing) the secret of @profile_uuid; @profile_name only goes
 * into the item's label ("Natter: API key for <name>"). */
gboolean  natter_secrets_store_sync    (const char          *profile_uuid,
                                        NatterSecretKind     kind,
                                        const char          *profile_name,
                                        const char          *secret,
                                        GCancellable        *cancellable,
                                        GError             **error);
void      natter_secrets_store_async   (const char          *profile_uuid,
                                        NatterSecretKind     kind,
                                        const char          *profile_name,
                                        const char          *secret,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  natter_secrets_store_finish  (GAsyncResult        *result,
                                        GError             **error);

/* The secret, or NULL with no error when none is stored. Free with
 * natter_secrets_free(). */
char     *natter_secrets_lookup_sync   (const char          *profile_uuid,
                                        NatterSecretKind     kind,
                                        GCancellable        *cancellable,
                                        GError             **error);
void      natter_secrets_lookup_async  (const char          *profile_uuid,
                                        NatterSecretKind     kind,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *natter_secrets_lookup_finish (GAsyncResult        *result,
                                        GError             **error);

/* Whether a secret is stored, without loading (or unlocking) it. FALSE with
 * @error set when the keyring cannot be reached. */
gboolean  natter_secrets_has_sync      (const char          *profile_uuid,
                                        NatterSecretKind     kind,
                                        GCancellable        *cancellable,
                                        GError             **error);
void      natter_secrets_has_async     (const char          *profile_uuid,
                                        NatterSecretKind     kind,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  natter_secrets_has_finish    (GAsyncResult        *result,
                                        GError             **error);

/* Deletes the secret of that kind; TRUE also when there was none. */
gboolean  natter_secrets_clear_sync    (const char          *profile_uuid,
                                        NatterSecretKind     kind,
                                        GCancellable        *cancellable,
                                        GError             **error);
void      natter_secrets_clear_async   (const char          *profile_uuid,
                                        NatterSecretKind     kind,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  natter_secrets_clear_finish  (GAsyncResult        *result,
                                        GError             **error);
/* Deletes every kind of secret of a profile (when the profile is deleted). */
gboolean  natter_secrets_clear_all_sync (const char         *profile_uuid,
                                         GCancellable       *cancellable,
                                         GError            **error);

G_END_DECLS
