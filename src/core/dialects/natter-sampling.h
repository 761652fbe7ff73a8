/* natter-sampling.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "natter-dialect.h"

G_BEGIN_DECLS

/* How much a model thinks before it answers. AUTO leaves it to the
 * provider; OFF strips every thinking field from the request. */
typedef enum
{
  NATTER_REASONING_UNSET = -1,
  NATTER_REASONING_OFF = 0,
  NATTER_REASONING_AUTO,
  NATTER_REASONING_LOW,
  NATTER_REASONING_MEDIUM,
  NATTER_REASONING_HIGH,
  NATTER_REASONING_MAX,
} NatterReasoningEffort;

const char *natter_reasoning_effort_to_string   (NatterReasoningEffort  effort);
gboolean    natter_reasoning_effort_from_string (const char            *str,
                                                 NatterReasoningEffort *effort);
/* The thinking budget in tokens an effort stands for (Anthropic, Gemini):
 * 2048, 8192, 16384, 32768; 0 for OFF, AUTO and UNSET. */
int         natter_reasoning_effort_budget      (NatterReasoningEffort  effort);

/* The sampling settings a preset can hold, in Natter's names (which are the
 * OpenAI/text-generation-webui names where there is one): temperature,
 * top_p, top_k, min_p, top_a, typical_p, tfs, repetition_penalty,
 * repetition_penalty_range, frequency_penalty, presence_penalty,
 * dry_multiplier, dry_base, dry_allowed_length, dry_penalty_last_n,
 * dry_sequence_breakers (array), xtc_threshold, xtc_probability,
 * mirostat_mode, mirostat_tau, mirostat_eta, seed, max_tokens,
 * context_size, stop (array), sampler_order (array of numbers, KoboldCpp),
 * sampler_priority (array of names, text-generation-webui).
 * NULL-terminated. */
const char * const *natter_sampling_keys        (void);
gboolean            natter_sampling_key_is_known (const char *key);
/* TRUE for a key whose value must be an array (stop, sampler_order, …). */
gboolean            natter_sampling_key_is_list  (const char *key);

/* Puts @sampling (Natter's names, see above; nullable) and @reasoning into
 * @params the way @dialect's provider takes them: the common settings
 * (max_tokens, temperature, top_p, top_k, stop) into @params' fields when
 * the provider accepts them, everything else into @params->extra_body in
 * the provider's own names and places (e.g. Ollama's "options",
 * Gemini's "generationConfig"); a null member there removes what the
 * dialect wrote (thinking fields with reasoning OFF). @provider nullable:
 * the dialect's own defaults. Thinking budgets raise max_tokens to fit.
 *
 * Returns the names of the settings @sampling set (or "reasoning") that
 * this provider is not sent, sorted; settings at their neutral value
 * (a penalty of 0, a top_k of 0, a seed of -1, DRY with multiplier 0, …)
 * are never listed. context_size is used for the context budget and never
 * listed. Free with g_strfreev(). */
GStrv natter_sampling_apply (const NatterDialect   *dialect,
                             NatterProvider        *provider,
                             JsonObject            *sampling,
                             NatterReasoningEffort  reasoning,
                             NatterGenParams       *params);

G_END_DECLS
