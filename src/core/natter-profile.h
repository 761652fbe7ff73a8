/* natter-profile.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "natter-types.h"

G_BEGIN_DECLS

/* A connection profile: which provider, model and endpoint to talk to.
 *
 * A profile held by a NatterProfileStore is the stored object: the store
 * notifies its properties when it changes. Edit forms work on a detached
 * copy (natter_profile_copy()) and hand it to natter_profile_store_update().
 * Setters only change memory; nothing is saved until the store writes it.
 *
 * The API key is not a property: it lives in the keyring (natter-secrets.h),
 * keyed by the profile's uuid.
 *
 * Properties (all G_PARAM_EXPLICIT_NOTIFY):
 *   id               gint64   row id, 0 while the profile is not saved
 *   uuid             string   stable identity (keyring attribute), "" until saved
 *   name             string   shown to people, unique case-insensitively
 *   provider-id      string   a catalog provider id ("openai", "ollama", …)
 *   model            string   "" = none chosen yet
 *   base-url         string   override, "" = the provider's default URL
 *   proxy-url        string   http(s) proxy, "" = none
 *   connect-timeout  guint    seconds, default 30
 *   is-default       gboolean
 *   settings         string   JSON object text, provider-specific, default "{}"
 *   custom-models    GStrv    model ids added by the user, never NULL
 */

#define NATTER_TYPE_PROFILE (natter_profile_get_type ())
G_DECLARE_FINAL_TYPE (NatterProfile, natter_profile, NATTER, PROFILE, GObject)

#define NATTER_PROFILE_DEFAULT_CONNECT_TIMEOUT 30

/* A new, unsaved profile (id 0, empty uuid). */
NatterProfile      *natter_profile_new                 (const char          *name,
                                                        const char          *provider_id);
/* A detached copy with every property, id and uuid included, for edit
 * forms. Changing the copy changes nothing in the store until it is passed
 * to natter_profile_store_update(). */
NatterProfile      *natter_profile_copy                (NatterProfile       *self);

gint64              natter_profile_get_id              (NatterProfile       *self);
const char         *natter_profile_get_uuid            (NatterProfile       *self);
const char         *natter_profile_get_name            (NatterProfile       *self);
void                natter_profile_set_name            (NatterProfile       *self,
                                                        const char          *name);
const char         *natter_profile_get_provider_id     (NatterProfile       *self);
void                natter_profile_set_provider_id     (NatterProfile       *self,
                                                        const char          *provider_id);
const char         *natter_profile_get_model           (NatterProfile       *self);
void                natter_profile_set_model           (NatterProfile       *self,
                                                        const char          *model);
/* Never NULL: "" means the provider's default base URL. */
const char         *natter_profile_get_base_url        (NatterProfile       *self);
void                natter_profile_set_base_url        (NatterProfile       *self,
                                                        const char          *base_url);
const char         *natter_profile_get_proxy_url       (NatterProfile       *self);
void                natter_profile_set_proxy_url       (NatterProfile       *self,
                                                        const char          *proxy_url);
guint               natter_profile_get_connect_timeout (NatterProfile       *self);
void                natter_profile_set_connect_timeout (NatterProfile       *self,
                                                        guint                seconds);
gboolean            natter_profile_get_is_default      (NatterProfile       *self);
void                natter_profile_set_is_default      (NatterProfile       *self,
                                                        gboolean             is_default);
/* JSON object text, never NULL ("{}" when empty). */
const char         *natter_profile_get_settings        (NatterProfile       *self);
void                natter_profile_set_settings        (NatterProfile       *self,
                                                        const char          *settings_json);
/* Never NULL; owned by the profile. */
const char * const *natter_profile_get_custom_models   (NatterProfile       *self);
void                natter_profile_set_custom_models   (NatterProfile       *self,
                                                        const char * const  *models);

/* Prices live in the settings object as "input_price" and "output_price":
 * US dollars per million tokens (numbers, >= 0). They are not shipped in
 * the catalog because they change too often.
 *
 * natter_profile_get_prices() returns TRUE only when both prices are set
 * to numbers >= 0. Each out-parameter (nullable) gets its own price, or -1
 * when that one is missing or not a number >= 0, so that a form can show a
 * single price.
 *
 * natter_profile_set_prices() sets both keys, or removes a key whose price
 * is negative, keeping every other member of the settings object. When the
 * settings text is not a JSON object it is left as it is (the store refuses
 * such settings with an error anyway), so nothing is ever lost. */
gboolean            natter_profile_get_prices          (NatterProfile       *self,
                                                        double              *input_per_mtok,
                                                        double              *output_per_mtok);
void                natter_profile_set_prices          (NatterProfile       *self,
                                                        double               input_per_mtok,
                                                        double               output_per_mtok);

/* The cost in US dollars of a request with these token counts at these
 * prices (US dollars per million tokens). -1 when a token count or a price
 * is unknown (negative). */
double              natter_usage_cost                  (gint64               input_tokens,
                                                        gint64               output_tokens,
                                                        double               in_price,
                                                        double               out_price);

/* A key typed into an edit form and not saved yet, for "Test" and "Fetch
 * models" on a detached copy: the client uses it instead of the keyring's
 * or the environment's. It lives in memory only (never a property, never
 * copied, never saved) and is wiped when replaced or when the profile is
 * finalized. NULL or "" clears it. */
void                natter_profile_set_unsaved_api_key (NatterProfile       *self,
                                                        const char          *key);
const char         *natter_profile_get_unsaved_api_key (NatterProfile       *self);

G_END_DECLS
