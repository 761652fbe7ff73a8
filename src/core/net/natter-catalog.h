/* natter-catalog.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include <json-glib/json-glib.h>

#include "natter-request.h"
#include "natter-types.h"

G_BEGIN_DECLS

/* How a provider takes its key. */
typedef enum
{
  NATTER_AUTH_NONE,            /* no key at all */
  NATTER_AUTH_BEARER,          /* Authorization: Bearer KEY (sent when a key is set) */
  NATTER_AUTH_X_API_KEY,       /* x-api-key: KEY */
  NATTER_AUTH_X_GOOG_API_KEY,  /* x-goog-api-key: KEY */
  NATTER_AUTH_API_KEY,         /* api-key: KEY (Azure) */
  NATTER_AUTH_OAUTH,           /* service account → token (Vertex) */
  NATTER_AUTH_AWS_SIGV4,       /* Bedrock */
} NatterAuthStyle;

#define NATTER_TYPE_PROVIDER (natter_provider_get_type ())
G_DECLARE_FINAL_TYPE (NatterProvider, natter_provider, NATTER, PROVIDER, GObject)

const char          *natter_provider_get_id             (NatterProvider *self);
const char          *natter_provider_get_name           (NatterProvider *self);
const char          *natter_provider_get_dialect_id     (NatterProvider *self);
const char          *natter_provider_get_default_url    (NatterProvider *self);
/* The provider's API reference, or NULL. */
const char          *natter_provider_get_docs_url       (NatterProvider *self);
NatterAuthStyle      natter_provider_get_auth_style     (NatterProvider *self);
gboolean             natter_provider_get_key_required   (NatterProvider *self);
/* Conventional environment variables for the key, in order of preference. */
const char * const  *natter_provider_get_key_env        (NatterProvider *self);
/* TRUE when the dialect has a model-list endpoint for this provider. */
gboolean             natter_provider_get_lists_models   (NatterProvider *self);
const char * const  *natter_provider_get_builtin_models  (NatterProvider *self);
const char          *natter_provider_get_default_model  (NatterProvider *self);
const char * const  *natter_provider_get_capabilities   (NatterProvider *self);
gboolean             natter_provider_has_capability     (NatterProvider *self,
                                                         const char     *capability);
/* FALSE for providers whose wire protocol is not implemented yet. */
gboolean             natter_provider_get_supported      (NatterProvider *self);
gboolean             natter_provider_get_local          (NatterProvider *self);
gint64               natter_provider_get_context_size   (NatterProvider *self);
/* Extra headers every request to this provider carries (e.g. attribution). */
const char * const  *natter_provider_get_extra_headers  (NatterProvider *self); /* name, value, name, value, … */

/* What the catalog knows of one built-in model (context, max_output,
 * vision, tools, reasoning, … as in natter-model-settings.h), or NULL. */
JsonObject          *natter_provider_get_model_info     (NatterProvider *self,
                                                         const char     *model_id);
/* The base URL of the provider's coding plan (Z.AI), or NULL. */
const char          *natter_provider_get_coding_plan_url (NatterProvider *self);

/* Adds the auth header(s) for @key (nullable: then nothing, or an error when
 * the key is required) to @request, marked secret, plus the extra headers. */
gboolean             natter_provider_apply_auth         (NatterProvider *self,
                                                         NatterRequest  *request,
                                                         const char     *key,
                                                         GError        **error);
/* The key from the first conventional environment variable that is set, or NULL. */
char                *natter_provider_dup_env_key        (NatterProvider *self);

#define NATTER_TYPE_CATALOG (natter_catalog_get_type ())
G_DECLARE_FINAL_TYPE (NatterCatalog, natter_catalog, NATTER, CATALOG, GObject)

/* The catalog compiled into the library (resource providers.json). */
NatterCatalog  *natter_catalog_get_default  (void);
/* Loads a catalog from JSON text (tests). */
NatterCatalog  *natter_catalog_new_from_data (const char    *data,
                                              gsize          len,
                                              GError       **error);
NatterProvider *natter_catalog_lookup       (NatterCatalog *self,
                                             const char    *id);
/* element-type NatterProvider, in catalog order. */
GListModel     *natter_catalog_get_providers (NatterCatalog *self);

G_END_DECLS
