/* natter-client-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "natter-auth.h"
#include "natter-client.h"
#include "natter-database.h"
#include "natter-profile.h"
#include "natter-profile-store.h"
#include "natter-request-log.h"
#include "natter-transport.h"

G_BEGIN_DECLS

NatterAuth       *_natter_client_get_auth          (NatterClient         *self);

/* For providers natter_auth_handles(): the credential of one request,
 * from @key (the stored one, nullable), the stored session token (looked
 * up here for AWS) or the environment. Runs on the caller's context. */
void              _natter_client_credential_async  (NatterClient         *self,
                                                    NatterProfile        *profile,
                                                    NatterProvider       *provider,
                                                    JsonObject           *settings,
                                                    const char           *key,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
NatterCredential *_natter_client_credential_finish (NatterClient         *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
/* The key from the provider's usual environment variables, or NULL. */
char             *_natter_client_env_key           (NatterProvider       *provider);

/* The request log entry of one exchange. The chat and model list data
 * start with one, so they pass themselves to the transport observer. */
typedef struct
{
  NatterRequestLog *log;
  NatterLogEntry   *entry;
} LogTap;

void             _natter_client_log_tap_response_head (guint       status,
                                                       const char *headers_json,
                                                       gpointer    user_data);
void             _natter_client_log_tap_raw_bytes     (const char *data,
                                                       gsize       len,
                                                       gpointer    user_data);
/* Turns a transport error into the error the caller sees: the provider's
 * own message from the error body when there is one, never @key. */
GError          *_natter_client_make_request_error    (const NatterDialect *dialect,
                                                       GError              *error,
                                                       GBytes              *error_body,
                                                       const char          *key);
gboolean         _natter_client_profile_has_uuid      (NatterProfile       *profile);
/* The secrets a request of @profile needs, without blocking: the API key (a
 * key typed into the edit form and not saved yet, else the keyring's, else
 * the provider's environment variable) and, for a stored key whose custom
 * headers have secret values, those values. Both are NULL when absent and
 * are freed with natter_secrets_free(). A failed keyring lookup counts as
 * absent. */
void             _natter_client_request_secrets_async  (NatterProfile       *profile,
                                                        NatterProvider      *provider,
                                                        JsonObject          *settings,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
void             _natter_client_request_secrets_finish (GAsyncResult        *result,
                                                        char               **key,
                                                        char               **secret_headers);
NatterProfileStore *_natter_client_get_profile_store  (NatterClient        *self);
NatterDatabase  *_natter_client_get_database          (NatterClient        *self);

/* The request of one exchange: @credential (cloud sign-ins) or @key
 * authenticates it; @redacted leaves the secret custom headers out. */
NatterRequest   *_natter_client_build_request_with_key (NatterClient           *self,
                                                        NatterProfile          *profile,
                                                        NatterProvider         *provider,
                                                        const NatterDialect    *dialect,
                                                        const char             *base_url,
                                                        const NatterPrompt     *prompt,
                                                        const NatterGenParams  *params,
                                                        const char             *key,
                                                        NatterCredential       *credential,
                                                        const char             *secret_headers,
                                                        gboolean                redacted,
                                                        GError                **error);

/* The profile's settings object (a new reference) or NULL. */
JsonObject      *_natter_client_parse_settings   (NatterProfile         *profile);

/* With the "coding_plan" setting and a provider that has a coding plan
 * endpoint, replaces *@base_url: the default address becomes the coding
 * plan's, and an override ending in the default's path ("/api/paas/v4")
 * gets the coding plan's path instead. */
void             _natter_client_apply_coding_plan (NatterProvider       *provider,
                                                   JsonObject           *settings,
                                                   char                **base_url);

/* What the model's metadata asks of a request: no streaming, no system
 * message (folded into the first user turn), a system prompt prefix,
 * max_tokens always sent. Returns a new prompt when it had to change
 * (NULL: use the original) and adjusts @params in place. */
NatterPrompt    *_natter_client_adjust_for_model (JsonObject            *settings,
                                                  const NatterPrompt    *prompt,
                                                  NatterGenParams       *params);

/* Records what the exchange cost in the usage table: the provider's @cost
 * when it said (>= 0), else the model's prices for this connection (its
 * metadata, else the connection's own prices) as they are now. Returns the
 * cost recorded, -1 when unknown. Logs (never fails) on a database error. */
double           _natter_client_record_usage     (NatterDatabase        *database,
                                                  NatterProfile         *profile,
                                                  NatterProvider        *provider,
                                                  const char            *model,
                                                  gint64                 log_id,
                                                  gint64                 input_tokens,
                                                  gint64                 output_tokens,
                                                  gint64                 cache_read_tokens,
                                                  gint64                 cache_write_tokens,
                                                  double                 cost);

/* Fills the context length and capabilities of @models (the first 32,
 * element-type NatterModelInfo, kept alive by the caller) from Ollama's
 * POST {base}/api/show, one model after the other; a model whose details
 * cannot be had is left as it is. */
void             _natter_client_ollama_details_async  (NatterTransport     *transport,
                                                       const char          *base_url,
                                                       GPtrArray           *models,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean         _natter_client_ollama_details_finish (GAsyncResult        *result,
                                                       GError             **error);
/* One /api/show answer into @info (hostile bodies leave it as it is). */
void             _natter_ollama_read_show             (NatterModelInfo     *info,
                                                       const char          *body,
                                                       gsize                len);

/* Keeps what the provider's model list told (prices, limits,
 * capabilities) with the stored profile of @uuid, for pricing exchanges
 * later. Nothing when @store is NULL or the profile is not stored. */
void             _natter_client_remember_models       (NatterProfileStore  *store,
                                                       const char          *uuid,
                                                       GPtrArray           *models);

/* Finds the transport for @profile without blocking (the proxy password
 * comes from the keyring asynchronously), stores it in *@out (owned by the
 * client) and calls @then with @task. */
void             _natter_client_with_transport   (GTask                 *task,
                                                  NatterProfile         *profile,
                                                  NatterTransport      **out,
                                                  void                 (*then) (GTask *task));

G_END_DECLS
