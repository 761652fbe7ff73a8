/* natter-account.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-client.h"
#include "natter-profile.h"

G_BEGIN_DECLS

/* What a connection's account has left: OpenRouter's credits
 * (GET {base}/credits) or NanoGPT's subscription usage
 * (GET /api/subscription/v1/usage). */
typedef struct
{
  char   *kind;             /* "credits" or "subscription" */
  double  total_credits;    /* credits: US dollars bought, < 0 unknown */
  double  total_usage;      /* credits: US dollars used */
  double  remaining;        /* credits: total - usage */
  gboolean active;          /* subscription */
  gint64  daily_used;       /* subscription, -1 unknown */
  gint64  daily_limit;
  gint64  monthly_used;
  gint64  monthly_limit;
} NatterAccountInfo;

void  natter_account_info_free    (NatterAccountInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterAccountInfo, natter_account_info_free)

/* "Credits $7.50 left" / "Subscription 120 of 5000 today" for the
 * connection row. */
char *natter_account_info_summary (const NatterAccountInfo *info);
/* TRUE when @provider_id has an account endpoint Natter reads. */
gboolean natter_account_supported (const char *provider_id);

/* Parses an OpenRouter credits or NanoGPT usage body (@kind "credits" or
 * "subscription"); NULL with a PROTOCOL error when it is not one. */
NatterAccountInfo *natter_account_info_parse (const char  *kind,
                                              const char  *body,
                                              gsize        len,
                                              GError     **error);

/* Asks the provider of @profile. NATTER_CLIENT_ERROR_UNSUPPORTED for a
 * provider without such an endpoint; NATTER_REQUEST_ERROR otherwise. */
void               natter_client_account_async  (NatterClient        *client,
                                                 NatterProfile       *profile,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
NatterAccountInfo *natter_client_account_finish (NatterClient        *client,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
