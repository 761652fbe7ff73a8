/* natter-client-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-client.h"
#include "natter-dialects-private.h"
#include "natter-profile.h"
#include "natter-profile-store.h"
#include "natter-request-log.h"
#include "natter-secrets.h"
#include "natter-transport.h"

G_BEGIN_DECLS

/* What the files of the client share: the object, its transports, keys,
 * requests and chat (natter-client.c); model lists, the connection test and
 * the local probe (natter-client-models.c). */

struct _NatterClient
{
  GObject             parent_instance;

  NatterDatabase     *database;
  NatterProfileStore *profiles;
  NatterRequestLog   *log;
  NatterCatalog      *catalog;
  /* "proxy\ttimeout" → NatterTransport */
  GHashTable         *transports;
};

/* The request log entry of one exchange. ChatData and ModelsData start with
 * one, so both pass themselves to the transport observer. */
typedef struct
{
  NatterRequestLog *log;
  NatterLogEntry   *entry;
} LogTap;

/* Short names inside the client, prefixed in the library. */
#define profile_has_uuid       _natter_client_profile_has_uuid
#define parse_settings         _natter_client_parse_settings
#define build_request_with_key _natter_client_build_request_with_key
#define with_transport         _natter_client_with_transport
#define make_request_error     _natter_client_make_request_error
#define error_from_ok_body     _natter_client_error_from_ok_body
#define log_tap_response_head  _natter_client_log_tap_response_head
#define log_tap_raw_bytes      _natter_client_log_tap_raw_bytes

gboolean       profile_has_uuid       (NatterProfile          *profile);
JsonObject    *parse_settings         (NatterProfile          *profile);
NatterRequest *build_request_with_key (NatterClient           *self,
                                       NatterProfile          *profile,
                                       NatterProvider         *provider,
                                       const NatterDialect    *dialect,
                                       const char             *base_url,
                                       const NatterPrompt     *prompt,
                                       const NatterGenParams  *params,
                                       const char             *key,
                                       GError                **error);
/* Finds the transport for @profile without blocking (the proxy password
 * comes from the keyring asynchronously), stores it in *@out (owned by the
 * client) and calls @then with @task. */
void           with_transport         (GTask                  *task,
                                       NatterProfile          *profile,
                                       NatterTransport       **out,
                                       void                  (*then) (GTask *task));
/* The error the caller sees for a failed exchange: the provider's own
 * message from the error body when there is one, never the key. */
GError        *make_request_error     (const NatterDialect    *dialect,
                                       GError                 *error,
                                       GBytes                 *error_body,
                                       const char             *key);
GError        *error_from_ok_body     (const NatterDialect    *dialect,
                                       GBytes                 *body);
/* The transport observer's log callbacks (user data: a LogTap). */
void           log_tap_response_head  (guint                   status,
                                       const char             *headers_json,
                                       gpointer                user_data);
void           log_tap_raw_bytes      (const char             *data,
                                       gsize                   len,
                                       gpointer                user_data);

G_END_DECLS
