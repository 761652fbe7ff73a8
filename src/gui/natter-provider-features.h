/* natter-provider-features.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "natter-client.h"
#include "natter-profile.h"

G_BEGIN_DECLS

/* The provider features part of the connection form: Anthropic prompt
 * caching, OpenRouter routing, plugins and sign-in, the Z.AI coding plan
 * and custom headers. Only the groups of the chosen provider show. */
#define NATTER_TYPE_PROVIDER_FEATURES (natter_provider_features_get_type ())
G_DECLARE_FINAL_TYPE (NatterProviderFeatures, natter_provider_features, NATTER, PROVIDER_FEATURES, GtkBox)

/* Fills the form from @profile's settings (nullable: a new connection). */
void      natter_provider_features_load          (NatterProviderFeatures *self,
                                                  NatterClient           *client,
                                                  NatterProfile          *profile);
/* The stored connection the form edits (after a new one is saved). */
void      natter_provider_features_set_profile   (NatterProviderFeatures *self,
                                                  NatterProfile          *profile);
/* Shows the model details of @model (what was typed for the previous
 * model stays with it until Save). */
void      natter_provider_features_set_model     (NatterProviderFeatures *self,
                                                  const char             *model);
/* Shows the groups of @provider_id. */
void      natter_provider_features_set_provider  (NatterProviderFeatures *self,
                                                  const char             *provider_id);
/* Writes the form into @profile's settings, keeping the other members.
 * FALSE with a message for people when a header is malformed. */
gboolean  natter_provider_features_save          (NatterProviderFeatures *self,
                                                  NatterProfile          *profile,
                                                  GError                **error);
/* The secret header values typed (a keyring item's JSON), or NULL when
 * the field was left empty (the stored ones stay). */
char     *natter_provider_features_dup_secret_headers (NatterProviderFeatures *self);
void      natter_provider_features_clear_secret_headers (NatterProviderFeatures *self);

G_END_DECLS
