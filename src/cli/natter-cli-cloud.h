/* natter-cli-cloud.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-cli-private.h"

G_BEGIN_DECLS

/* The profile options of the cloud providers (Vertex AI, Azure OpenAI,
 * Bedrock); see natter-cloud-profile.h for where each goes. */
typedef struct
{
  char *region;
  char *project;
  char *api_version;
  char *azure_api;
  char *deployment;
  char *access_key_id;
  char *aws_auth;
} CloudOptions;

#define CLOUD_OPTION_ENTRIES(o) \
  { "region", 0, 0, G_OPTION_ARG_STRING, &(o)->region, \
    N_("Region (Vertex AI: us-central1, global, …; Bedrock: us-east-1, …)"), N_("REGION") }, \
  { "project", 0, 0, G_OPTION_ARG_STRING, &(o)->project, \
    N_("Google Cloud project (Vertex AI; default: the service account’s)"), N_("PROJECT") }, \
  { "api-version", 0, 0, G_OPTION_ARG_STRING, &(o)->api_version, \
    N_("Azure OpenAI API version (default 2024-10-21)"), N_("VERSION") }, \
  { "azure-api", 0, 0, G_OPTION_ARG_STRING, &(o)->azure_api, \
    N_("Azure surface: “deployments” (default) or “v1” (/openai/v1/)"), N_("API") }, \
  { "deployment", 0, 0, G_OPTION_ARG_STRING, &(o)->deployment, \
    N_("Azure deployment name (the same as --model)"), N_("NAME") }, \
  { "access-key-id", 0, 0, G_OPTION_ARG_STRING, &(o)->access_key_id, \
    N_("AWS access key ID (Bedrock; the secret access key comes with --key-stdin)"), N_("ID") }, \
  { "aws-auth", 0, 0, G_OPTION_ARG_STRING, &(o)->aws_auth, \
    N_("Bedrock sign-in: “sigv4” (access keys) or “api-key” (a Bedrock API key)"), N_("METHOD") }

void      cloud_options_clear   (CloudOptions        *options);
/* Applies the options given to @profile; @url (nullable) is the --url
 * value, which for Azure may be a whole pasted endpoint URL. FALSE with a
 * usage message when a value is not one the provider takes. */
gboolean  cloud_apply_options   (NatterProfile       *profile,
                                 const CloudOptions  *options,
                                 const char          *url,
                                 GError             **error);
/* Reads the profile's secret from standard input: for Vertex AI the whole
 * service account JSON (validated; its e-mail and project recorded on
 * @profile), for Bedrock the secret access key (or API key) and, on a
 * second line, an optional session token, else one line. */
gboolean  cloud_read_secrets    (NatterProfile       *profile,
                                 char               **key,
                                 char               **session_token,
                                 GError             **error);
/* The cloud settings for "profile show --json" (never a secret). */
void      cloud_add_json        (JsonBuilder         *builder,
                                 NatterProfile       *profile);
void      cloud_print           (NatterProfile       *profile);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CloudOptions, cloud_options_clear)

G_END_DECLS
