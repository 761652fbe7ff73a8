/* natter-client.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-catalog.h"
#include "natter-delta.h"
#include "natter-dialect.h"
#include "natter-request.h"
#include "natter-types.h"

G_BEGIN_DECLS

/* Where the key of a profile comes from. */
typedef enum
{
  NATTER_KEY_SOURCE_NONE,         /* "No key" */
  NATTER_KEY_SOURCE_STORED,       /* "Key stored" (keyring) */
  NATTER_KEY_SOURCE_ENVIRONMENT,  /* "Key from environment" */
} NatterKeySource;

/* A translated label for @source ("Key stored", …). */
const char *natter_key_source_describe (NatterKeySource source);

/* The outcome of one chat exchange. */
typedef struct
{
  char   *text;            /* the assembled reply, never NULL */
  char   *reasoning;       /* never NULL, may be empty */
  char   *finish_reason;   /* nullable */
  gint64  input_tokens;    /* -1 when unknown */
  gint64  output_tokens;   /* -1 when unknown */
  gint64  cache_read_tokens;   /* part of input_tokens, -1 when unknown */
  gint64  cache_write_tokens;  /* part of input_tokens, -1 when unknown */
  double  cost;            /* US dollars, as recorded in the usage table; < 0 unknown */
  gint64  log_entry_id;    /* the request log entry, 0 when none */
  GPtrArray *tool_calls;   /* element-type NatterToolCall: what the model asked to call, never NULL */
} NatterChatResult;

void natter_chat_result_free (NatterChatResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterChatResult, natter_chat_result_free)

#define NATTER_TYPE_CLIENT (natter_client_get_type ())
G_DECLARE_FINAL_TYPE (NatterClient, natter_client, NATTER, CLIENT, GObject)

/* The one place that turns a profile into a request and runs it. All three
 * arguments are nullable: without a profile store the key comes only from the
 * environment, without a request log nothing is recorded. */
NatterClient     *natter_client_new                (NatterDatabase      *database,
                                                    NatterProfileStore  *profiles,
                                                    NatterRequestLog    *log);

NatterRequestLog *natter_client_get_request_log    (NatterClient        *self);
NatterCatalog    *natter_client_get_catalog        (NatterClient        *self);
/* Replaces the catalog (tests); the default is natter_catalog_get_default(). */
void              natter_client_set_catalog        (NatterClient        *self,
                                                    NatterCatalog       *catalog);

/* Problems of the local configuration, found before anything is sent:
 * not the provider's answer, so not in NATTER_REQUEST_ERROR. The messages
 * are for people and name the profile. (A missing required API key stays
 * NATTER_REQUEST_ERROR / auth, "… needs an API key: …".) */
#define NATTER_CLIENT_ERROR (natter_client_error_quark ())
GQuark natter_client_error_quark (void);

typedef enum
{
  NATTER_CLIENT_ERROR_UNKNOWN_PROVIDER,  /* the profile names no provider we know */
  NATTER_CLIENT_ERROR_UNSUPPORTED,       /* a provider not supported yet */
  NATTER_CLIENT_ERROR_NO_URL,            /* no base URL (e.g. "custom" without one) */
  NATTER_CLIENT_ERROR_NO_MODEL,          /* neither the profile nor the call names a model */
} NatterClientError;

/* Resolves @profile: its provider (catalog), dialect and effective base URL
 * (the override normalized, else the provider's default). Fails with
 * NATTER_CLIENT_ERROR for an unknown provider, one that is not supported
 * yet, or no base URL (when @base_url is asked for). Outputs are borrowed
 * / newly allocated (@base_url). */
gboolean          natter_client_resolve            (NatterClient         *self,
                                                    NatterProfile        *profile,
                                                    NatterProvider      **provider,
                                                    const NatterDialect **dialect,
                                                    char                **base_url,
                                                    GError              **error);

/* The checks natter_client_chat_async() makes before sending, without
 * sending: FALSE with a NATTER_CLIENT_ERROR when @profile cannot be used
 * (see above). @model (nullable) is the model the call would override the
 * profile's with. */
gboolean          natter_client_check_profile      (NatterClient         *self,
                                                    NatterProfile        *profile,
                                                    const char           *model,
                                                    GError              **error);

/* Where the key of @profile would come from, without revealing it.
 * Blocking (asks the keyring over D-Bus): the CLI, or see _async below. */
NatterKeySource   natter_client_key_source         (NatterClient        *self,
                                                    NatterProfile       *profile);

/* The same without blocking on the keyring (for the GUI). */
void              natter_client_key_source_async   (NatterClient        *self,
                                                    NatterProfile       *profile,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
NatterKeySource   natter_client_key_source_finish  (NatterClient        *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* The frozen request that would be sent. With @include_secrets FALSE the
 * auth headers carry "REDACTED" instead of the key (for "what would be
 * sent"). @params: nullable; the profile's model when params->model is NULL.
 * Blocking: it asks the keyring (D-Bus) for the key or whether there is one. */
NatterRequest    *natter_client_build_request      (NatterClient           *self,
                                                    NatterProfile          *profile,
                                                    const NatterPrompt     *prompt,
                                                    const NatterGenParams  *params,
                                                    gboolean                include_secrets,
                                                    GError                **error);

/* Runs one chat exchange. @on_delta is called for every delta as it arrives
 * (on the caller's thread-default main context); the pointers in the delta
 * are valid during the call only. Every exchange is recorded in the request
 * log (also when it fails). Errors: NATTER_REQUEST_ERROR with a category;
 * the message is the provider's own when it sent one, never the key. */
void              natter_client_chat_async         (NatterClient           *self,
                                                    NatterProfile          *profile,
                                                    const NatterPrompt     *prompt,
                                                    const NatterGenParams  *params,
                                                    NatterDeltaFunc         on_delta,
                                                    gpointer                delta_data,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
/* On failure returns NULL; @log_entry_id (nullable) receives the log entry
 * in every case. */
NatterChatResult *natter_client_chat_finish        (NatterClient           *self,
                                                    GAsyncResult           *result,
                                                    gint64                 *log_entry_id,
                                                    GError                **error);

/* The provider's models (paged list endpoint, or the catalog's built-in list)
 * merged with the profile's custom models, deduplicated and sorted by id.
 * Returns element-type NatterModelInfo. */
void              natter_client_list_models_async  (NatterClient           *self,
                                                    NatterProfile          *profile,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
GPtrArray        *natter_client_list_models_finish (NatterClient           *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

/* "Test connection": the cheapest real request (the model list, else a
 * one-token chat). TRUE on success, else a categorized error. */
void              natter_client_test_async         (NatterClient           *self,
                                                    NatterProfile          *profile,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
gboolean          natter_client_test_finish        (NatterClient           *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

/* Looks for local servers on @host (NULL: $NATTER_PROBE_HOST or 127.0.0.1)
 * with every default port shifted by @port_offset (0 in the app; also
 * $NATTER_PROBE_PORT_OFFSET when @port_offset is 0), all in parallel with a
 * ~700 ms timeout. Returns the provider ids that answered (NULL-terminated,
 * catalog order). */
void              natter_client_probe_local_async  (NatterClient           *self,
                                                    const char             *host,
                                                    int                     port_offset,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
GStrv             natter_client_probe_local_finish (NatterClient           *self,
                                                    GAsyncResult           *result,
                                                    GError                **error);

G_END_DECLS
