/* natter-cloud-profile.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-profile.h"

G_BEGIN_DECLS

/* The settings of the cloud providers, kept in the profile's settings
 * object (never a secret among them):
 *
 *   vertex        "region" (default us-central1, or "global"), "project"
 *                 (default: the service account's), "service_account_email"
 *   azure-openai  "api_version" (default 2024-10-21), "azure_api": "v1" for
 *                 the /openai/v1/ surface; the model is the deployment
 *   bedrock       "region" (default AWS_REGION, else us-east-1),
 *                 "access_key_id", "aws_auth": "sigv4" or "api-key"
 *
 * The secrets go to the keyring: the service account JSON (whole) or the
 * Azure key or the AWS secret access key / Bedrock API key as the API
 * key, an AWS session token as NATTER_SECRET_SESSION_TOKEN. */

/* A string member of the settings, or NULL. */
char     *natter_profile_dup_setting_string   (NatterProfile  *self,
                                               const char     *name);
/* Sets the member, or removes it when @value is NULL or empty, keeping
 * every other member. Settings that are not an object are left alone. */
void      natter_profile_set_setting_string   (NatterProfile  *self,
                                               const char     *name,
                                               const char     *value);

/* Validates @json as a service account key for a Vertex profile (clear
 * errors: NATTER_SERVICE_ACCOUNT_ERROR) and records what may be shown:
 * "service_account_email", and "project" when the profile has none. The
 * JSON itself is the caller's to store in the keyring. */
gboolean  natter_profile_take_service_account (NatterProfile  *self,
                                               const char     *json,
                                               GError        **error);

/* A pasted Azure URL with /openai/deployments/X/…?api-version=Y fills the
 * base URL with the endpoint, the model with X and "api_version" with Y.
 * FALSE (nothing changed) when @url is no http(s) address. */
gboolean  natter_profile_apply_azure_url      (NatterProfile  *self,
                                               const char     *url);

/* The provider's default URL for @profile with its region filled in
 * ("{region}": the profile's region; Vertex's "global" has a host of its
 * own; Bedrock falls back to AWS_REGION, AWS_DEFAULT_REGION, us-east-1).
 * Other templates stay as they are. */
char     *natter_profile_expand_default_url   (NatterProfile  *self,
                                               const char     *default_url);

G_END_DECLS
