/* natter-cloud.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Helpers for the connection form and the CLI of the cloud providers. */

/* The default Azure OpenAI API version (a current GA one). */
#define NATTER_AZURE_DEFAULT_API_VERSION "2024-10-21"

/* Splits what a person pasted from the Azure portal, e.g.
 * https://RES.openai.azure.com/openai/deployments/DEP/chat/completions?api-version=V,
 * into the resource endpoint (scheme and host, no path), the deployment
 * and the API version. Outputs are NULL when the URL does not carry them;
 * FALSE when @url is no http(s) address at all. */
gboolean natter_azure_parse_url (const char  *url,
                                 char       **endpoint,
                                 char       **deployment,
                                 char       **api_version);

G_END_DECLS
