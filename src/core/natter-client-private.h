/* natter-client-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-auth.h"
#include "natter-client.h"
#include "natter-transport.h"

G_BEGIN_DECLS

/* The client's transport for @profile (its proxy and timeout); borrowed. */
NatterTransport  *_natter_client_get_transport     (NatterClient         *self,
                                                    NatterProfile        *profile);
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

G_END_DECLS
