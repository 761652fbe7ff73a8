/* natter-model-settings.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "natter-catalog.h"
#include "natter-dialect.h"

G_BEGIN_DECLS

/* Model metadata kept with a connection, in the profile's settings:
 * "model_meta": {"<id>": {…}} what the provider's model list said the last
 * time it was fetched, and "models": {"<id>": {…}} what the person set
 * (`natter-cli model set`), which wins. Each object takes the keys below. */

/* The keys `model set` takes, NULL-terminated: alias, display_name,
 * input_price, output_price, cache_read_price, cache_write_price, context,
 * max_output, vision, tools, reasoning, structured_output, no_streaming,
 * no_system_message, system_prefix, max_tokens_required. */
const char * const *natter_model_settings_keys   (void);

/* Applies "model_meta" then "models" of @settings (nullable) to @info. */
void      natter_model_info_apply_settings  (NatterModelInfo *info,
                                             JsonObject      *settings);
/* Everything known of @model_id for this connection: the catalog's entry
 * for the model, then the stored metadata and overrides, with the
 * provider's context size as the last resort (@provider nullable). Never
 * NULL. */
NatterModelInfo *natter_model_settings_lookup (JsonObject     *settings,
                                               const char     *model_id,
                                               NatterProvider *provider);
/* Applies one metadata object (the keys above) to @info. */
void      natter_model_info_apply_object    (NatterModelInfo *info,
                                             JsonObject      *object);
/* Sets one override KEY=VALUE of @model_id; an empty VALUE or "none"
 * removes it. FALSE with a message for people on an unknown key or a value
 * of the wrong kind. */
gboolean  natter_model_settings_set         (JsonObject      *settings,
                                             const char      *model_id,
                                             const char      *key,
                                             const char      *value,
                                             GError         **error);
/* Replaces "model_meta" with what @models (element-type NatterModelInfo)
 * tell beyond their id; models that tell nothing are left out. */
void      natter_model_settings_store_meta  (JsonObject      *settings,
                                             GPtrArray       *models);
/* @info as a JSON object (unknown members null), for `--json` output. */
JsonNode *natter_model_info_to_json         (const NatterModelInfo *info);

G_END_DECLS
