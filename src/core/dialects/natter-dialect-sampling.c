/* natter-dialect-sampling.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Which sampling settings each provider takes, under which names and
 * where in the body. Sources: OpenAI Chat Completions and Anthropic
 * Messages API references, Gemini GenerationConfig, Cohere v2 Chat,
 * Ollama's Modelfile parameters, KoboldCpp's /api/v1/generate schema,
 * llama.cpp's server README (/completion), text-generation-webui's and
 * TabbyAPI's OpenAI-compatible extensions, OpenRouter's parameter list. */

#define G_LOG_DOMAIN "natter-dialect-sampling"

#include "config.h"

#include <math.h>
#include <string.h>

#include "natter-catalog.h"
#include "natter-dialects-private.h"
#include "natter-sampling.h"

/* Where a setting goes. */
typedef enum
{
  TO_PARAMS,        /* the common NatterGenParams field of the same name */
  TO_BODY,          /* @wire at the top level, or in @parent */
  TO_BODY_STRING,   /* the same, an array written as its JSON text */
} Target;

typedef struct
{
  const char *key;      /* Natter's name */
  Target      target;
  const char *wire;     /* the provider's name */
} Mapping;

#define PARAM(k) { k, TO_PARAMS, NULL }
#define END { NULL, 0, NULL }

static const char * const sampling_keys[] = {
  "temperature", "top_p", "top_k", "min_p", "top_a", "typical_p", "tfs",
  "repetition_penalty", "repetition_penalty_range", "frequency_penalty", "presence_penalty",
  "dry_multiplier", "dry_base", "dry_allowed_length", "dry_penalty_last_n",
  "dry_sequence_breakers", "xtc_threshold", "xtc_probability",
  "mirostat_mode", "mirostat_tau", "mirostat_eta", "seed", "max_tokens", "context_size",
  "stop", "sampler_order", "sampler_priority",
  NULL,
};

/* OpenAI itself (and every openai-chat provider without more). */
static const Mapping openai_chat[] = {
  PARAM ("max_tokens"), PARAM ("temperature"), PARAM ("top_p"), PARAM ("stop"),
  { "frequency_penalty", TO_BODY, "frequency_penalty" },
  { "presence_penalty", TO_BODY, "presence_penalty" },
  { "seed", TO_BODY, "seed" },
  END,
};

/* Providers with the catalog capability "extended-samplers" (OpenRouter,
 * local OpenAI-compatible servers) take these as well. */
static const Mapping openai_chat_extended[] = {
  PARAM ("top_k"),
  { "min_p", TO_BODY, "min_p" },
  { "top_a", TO_BODY, "top_a" },
  { "repetition_penalty", TO_BODY, "repetition_penalty" },
  END,
};

static const Mapping anthropic[] = {
  PARAM ("max_tokens"), PARAM ("temperature"), PARAM ("top_p"), PARAM ("top_k"), PARAM ("stop"),
  END,
};

/* In "generationConfig". */
static const Mapping gemini[] = {
  PARAM ("max_tokens"), PARAM ("temperature"), PARAM ("top_p"), PARAM ("top_k"), PARAM ("stop"),
  { "presence_penalty", TO_BODY, "presencePenalty" },
  { "frequency_penalty", TO_BODY, "frequencyPenalty" },
  { "seed", TO_BODY, "seed" },
  END,
};

static const Mapping cohere[] = {
  PARAM ("max_tokens"), PARAM ("temperature"), PARAM ("top_p"), PARAM ("top_k"), PARAM ("stop"),
  { "frequency_penalty", TO_BODY, "frequency_penalty" },
  { "presence_penalty", TO_BODY, "presence_penalty" },
  { "seed", TO_BODY, "seed" },
  END,
};

/* In "options". */
static const Mapping ollama[] = {
  PARAM ("max_tokens"), PARAM ("temperature"), PARAM ("top_p"), PARAM ("top_k"), PARAM ("stop"),
  { "min_p", TO_BODY, "min_p" },
  { "typical_p", TO_BODY, "typical_p" },
  { "tfs", TO_BODY, "tfs_z" },
  { "repetition_penalty", TO_BODY, "repeat_penalty" },
  { "repetition_penalty_range", TO_BODY, "repeat_last_n" },
  { "frequency_penalty", TO_BODY, "frequency_penalty" },
  { "presence_penalty", TO_BODY, "presence_penalty" },
  { "mirostat_mode", TO_BODY, "mirostat" },
  { "mirostat_tau", TO_BODY, "mirostat_tau" },
  { "mirostat_eta", TO_BODY, "mirostat_eta" },
  { "seed", TO_BODY, "seed" },
  { "context_size", TO_BODY, "num_ctx" },
  END,
};

static const Mapping kobold[] = {
  PARAM ("max_tokens"), PARAM ("temperature"), PARAM ("top_p"), PARAM ("top_k"), PARAM ("stop"),
  { "context_size", TO_BODY, "max_context_length" },
  { "min_p", TO_BODY, "min_p" },
  { "top_a", TO_BODY, "top_a" },
  { "typical_p", TO_BODY, "typical" },
  { "tfs", TO_BODY, "tfs" },
  { "repetition_penalty", TO_BODY, "rep_pen" },
  { "repetition_penalty_range", TO_BODY, "rep_pen_range" },
  { "presence_penalty", TO_BODY, "presence_penalty" },
  { "dry_multiplier", TO_BODY, "dry_multiplier" },
  { "dry_base", TO_BODY, "dry_base" },
  { "dry_allowed_length", TO_BODY, "dry_allowed_length" },
  { "dry_penalty_last_n", TO_BODY, "dry_penalty_last_n" },
  { "dry_sequence_breakers", TO_BODY, "dry_sequence_breakers" },
  { "xtc_threshold", TO_BODY, "xtc_threshold" },
  { "xtc_probability", TO_BODY, "xtc_probability" },
  { "mirostat_mode", TO_BODY, "mirostat" },
  { "mirostat_tau", TO_BODY, "mirostat_tau" },
  { "mirostat_eta", TO_BODY, "mirostat_eta" },
  { "seed", TO_BODY, "sampler_seed" },
  { "sampler_order", TO_BODY, "sampler_order" },
  END,
};

static const Mapping llamacpp[] = {
  PARAM ("max_tokens"), PARAM ("temperature"), PARAM ("top_p"), PARAM ("top_k"), PARAM ("stop"),
  { "min_p", TO_BODY, "min_p" },
  { "typical_p", TO_BODY, "typical_p" },
  { "tfs", TO_BODY, "tfs_z" },
  { "repetition_penalty", TO_BODY, "repeat_penalty" },
  { "repetition_penalty_range", TO_BODY, "repeat_last_n" },
  { "frequency_penalty", TO_BODY, "frequency_penalty" },
  { "presence_penalty", TO_BODY, "presence_penalty" },
  { "dry_multiplier", TO_BODY, "dry_multiplier" },
  { "dry_base", TO_BODY, "dry_base" },
  { "dry_allowed_length", TO_BODY, "dry_allowed_length" },
  { "dry_penalty_last_n", TO_BODY, "dry_penalty_last_n" },
  { "dry_sequence_breakers", TO_BODY, "dry_sequence_breakers" },
  { "xtc_threshold", TO_BODY, "xtc_threshold" },
  { "xtc_probability", TO_BODY, "xtc_probability" },
  { "mirostat_mode", TO_BODY, "mirostat" },
  { "mirostat_tau", TO_BODY, "mirostat_tau" },
  { "mirostat_eta", TO_BODY, "mirostat_eta" },
  { "seed", TO_BODY, "seed" },
  END,
};

/* TabbyAPI and text-generation-webui: OpenAI's names plus their own. */
static const Mapping openai_text[] = {
  PARAM ("max_tokens"), PARAM ("temperature"), PARAM ("top_p"), PARAM ("top_k"), PARAM ("stop"),
  { "min_p", TO_BODY, "min_p" },
  { "top_a", TO_BODY, "top_a" },
  { "typical_p", TO_BODY, "typical_p" },
  { "tfs", TO_BODY, "tfs" },
  { "repetition_penalty", TO_BODY, "repetition_penalty" },
  { "repetition_penalty_range", TO_BODY, "repetition_penalty_range" },
  { "frequency_penalty", TO_BODY, "frequency_penalty" },
  { "presence_penalty", TO_BODY, "presence_penalty" },
  { "dry_multiplier", TO_BODY, "dry_multiplier" },
  { "dry_base", TO_BODY, "dry_base" },
  { "dry_allowed_length", TO_BODY, "dry_allowed_length" },
  { "dry_sequence_breakers", TO_BODY_STRING, "dry_sequence_breakers" },
  { "xtc_threshold", TO_BODY, "xtc_threshold" },
  { "xtc_probability", TO_BODY, "xtc_probability" },
  { "mirostat_mode", TO_BODY, "mirostat_mode" },
  { "mirostat_tau", TO_BODY, "mirostat_tau" },
  { "mirostat_eta", TO_BODY, "mirostat_eta" },
  { "seed", TO_BODY, "seed" },
  { "context_size", TO_BODY, "truncation_length" },
  { "sampler_priority", TO_BODY, "sampler_priority" },
  END,
};

static const char * const effort_names[] = {
  "off", "auto", "low", "medium", "high", "max",
};

const char *
natter_reasoning_effort_to_string (NatterReasoningEffort effort)
{
  if (effort < NATTER_REASONING_OFF || effort > NATTER_REASONING_MAX)
    return NULL;
  return effort_names[effort];
}

gboolean
natter_reasoning_effort_from_string (const char            *str,
                                     NatterReasoningEffort *effort)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (effort_names); i++)
    if (g_ascii_strcasecmp (str, effort_names[i]) == 0)
      {
        *effort = (NatterReasoningEffort) i;
        return TRUE;
      }
  return FALSE;
}

int
natter_reasoning_effort_budget (NatterReasoningEffort effort)
{
  switch (effort)
    {
    case NATTER_REASONING_LOW:
      return 2048;
    case NATTER_REASONING_MEDIUM:
      return 8192;
    case NATTER_REASONING_HIGH:
      return 16384;
    case NATTER_REASONING_MAX:
      return 32768;
    case NATTER_REASONING_UNSET:
    case NATTER_REASONING_OFF:
    case NATTER_REASONING_AUTO:
    default:
      return 0;
    }
}

const char * const *
natter_sampling_keys (void)
{
  return sampling_keys;
}

gboolean
natter_sampling_key_is_known (const char *key)
{
  return key != NULL && g_strv_contains (sampling_keys, key);
}

gboolean
natter_sampling_key_is_list (const char *key)
{
  return g_strcmp0 (key, "stop") == 0 || g_strcmp0 (key, "dry_sequence_breakers") == 0 ||
         g_strcmp0 (key, "sampler_order") == 0 || g_strcmp0 (key, "sampler_priority") == 0;
}

static gboolean
number (JsonObject *sampling,
        const char *key,
        double     *value)
{
  JsonNode *node = json_object_get_member (sampling, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return isfinite (*value);
    case G_TYPE_BOOLEAN:
      *value = json_node_get_boolean (node) ? 1 : 0;
      return TRUE;
    default:
      return FALSE;
    }
}

/* A value that asks for nothing: leaving it out changes nothing. */
static gboolean
is_neutral (JsonObject *sampling,
            const char *key)
{
  static const struct { const char *key; double value; const char *leader; } neutral[] = {
    { "top_k", 0, NULL }, { "min_p", 0, NULL }, { "top_a", 0, NULL },
    { "typical_p", 1, NULL }, { "tfs", 1, NULL }, { "repetition_penalty", 1, NULL },
    { "frequency_penalty", 0, NULL }, { "presence_penalty", 0, NULL },
    { "dry_multiplier", 0, NULL }, { "xtc_probability", 0, NULL }, { "mirostat_mode", 0, NULL },
    { "repetition_penalty_range", NAN, "repetition_penalty" },
    { "dry_base", NAN, "dry_multiplier" }, { "dry_allowed_length", NAN, "dry_multiplier" },
    { "dry_penalty_last_n", NAN, "dry_multiplier" },
    { "dry_sequence_breakers", NAN, "dry_multiplier" },
    { "xtc_threshold", NAN, "xtc_probability" },
    { "mirostat_tau", NAN, "mirostat_mode" }, { "mirostat_eta", NAN, "mirostat_mode" },
  };
  double value;

  if (g_str_equal (key, "seed"))
    return !number (sampling, key, &value) || value < 0;
  if (g_str_equal (key, "context_size") || g_str_equal (key, "sampler_order") ||
      g_str_equal (key, "sampler_priority"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (neutral); i++)
    {
      if (!g_str_equal (key, neutral[i].key))
        continue;
      if (neutral[i].leader != NULL)
        return !json_object_has_member (sampling, neutral[i].leader) ||
               is_neutral (sampling, neutral[i].leader);
      return number (sampling, key, &value) && value == neutral[i].value;
    }
  return FALSE;
}

static const Mapping *
find (const Mapping *table,
      const char    *key)
{
  for (guint i = 0; table != NULL && table[i].key != NULL; i++)
    if (g_str_equal (table[i].key, key))
      return &table[i];
  return NULL;
}

static GStrv
string_list (JsonNode *node)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

/* Sets a common field of @params; FALSE when the value has the wrong type. */
static gboolean
set_param (NatterGenParams *params,
           JsonObject      *sampling,
           const char      *key)
{
  double value;

  if (g_str_equal (key, "stop"))
    {
      g_auto(GStrv) stop = string_list (json_object_get_member (sampling, key));
      g_autoptr(GStrvBuilder) builder = NULL;

      if (stop == NULL)
        return FALSE;
      builder = g_strv_builder_new ();
      if (params->stop != NULL)
        g_strv_builder_addv (builder, (const char **) params->stop);
      for (guint i = 0; stop[i] != NULL; i++)
        if (params->stop == NULL || !g_strv_contains ((const char * const *) params->stop, stop[i]))
          g_strv_builder_add (builder, stop[i]);
      g_strfreev (params->stop);
      params->stop = g_strv_builder_end (builder);
      if (params->stop[0] == NULL)
        g_clear_pointer (&params->stop, g_strfreev);
      return TRUE;
    }
  if (!number (sampling, key, &value))
    return FALSE;
  if (g_str_equal (key, "max_tokens"))
    params->max_tokens = value > 0 && value < G_MAXINT32 ? (int) value : 0;
  else if (g_str_equal (key, "temperature"))
    params->temperature = value;
  else if (g_str_equal (key, "top_p"))
    params->top_p = value;
  else if (g_str_equal (key, "top_k"))
    params->top_k = value > 0 && value < G_MAXINT32 ? (int) value : 0;
  return TRUE;
}

static JsonObject *
extra_object (NatterGenParams *params,
              const char      *parent)
{
  JsonObject *object;

  if (params->extra_body == NULL)
    params->extra_body = json_object_new ();
  if (parent == NULL)
    return params->extra_body;
  if (!json_object_has_member (params->extra_body, parent) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (params->extra_body, parent)))
    json_object_set_object_member (params->extra_body, parent, json_object_new ());
  object = json_object_get_object_member (params->extra_body, parent);
  return object;
}

static void
set_body (NatterGenParams *params,
          const char      *parent,
          const Mapping   *mapping,
          JsonNode        *value)
{
  JsonObject *object = extra_object (params, parent);

  if (mapping->target == TO_BODY_STRING && JSON_NODE_HOLDS_ARRAY (value))
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (generator, value);
      text = json_generator_to_data (generator, NULL);
      json_object_set_string_member (object, mapping->wire, text);
      return;
    }
  json_object_set_member (object, mapping->wire, json_node_copy (value));
}

/* Reasoning: FALSE when this provider has no control for it. */
static gboolean
apply_reasoning (const NatterDialect   *dialect,
                 NatterProvider        *provider,
                 NatterReasoningEffort  effort,
                 NatterGenParams       *params,
                 GPtrArray             *dropped)
{
  const char *provider_id = provider != NULL ? natter_provider_get_id (provider) : NULL;
  const char *id = dialect->id;
  int budget = natter_reasoning_effort_budget (effort);
  gboolean off = effort == NATTER_REASONING_OFF;
  gboolean active = effort >= NATTER_REASONING_LOW;

  if (effort == NATTER_REASONING_UNSET || effort == NATTER_REASONING_AUTO)
    return TRUE;

  if (g_str_equal (id, "anthropic"))
    {
      if (off)
        json_object_set_null_member (extra_object (params, NULL), "thinking");
      else
        {
          JsonObject *thinking = json_object_new ();
          int reply = params->max_tokens > 0 ? params->max_tokens : 4096;

          json_object_set_string_member (thinking, "type", "enabled");
          json_object_set_int_member (thinking, "budget_tokens", budget);
          json_object_set_object_member (extra_object (params, NULL), "thinking", thinking);
          /* The budget counts against max_tokens: the reply keeps its room. */
          params->max_tokens = reply + budget;
          /* Thinking takes neither a temperature nor top_k. */
          if (params->temperature >= 0)
            g_ptr_array_add (dropped, g_strdup ("temperature"));
          if (params->top_k > 0)
            g_ptr_array_add (dropped, g_strdup ("top_k"));
          params->temperature = -1;
          params->top_k = 0;
        }
      return TRUE;
    }
  if (g_str_equal (id, "gemini"))
    {
      JsonObject *config = extra_object (params, "generationConfig");

      if (off)
        json_object_set_null_member (config, "thinkingConfig");
      else
        {
          JsonObject *thinking = json_object_new ();

          json_object_set_int_member (thinking, "thinkingBudget", budget);
          json_object_set_object_member (config, "thinkingConfig", thinking);
        }
      return TRUE;
    }
  if (g_str_equal (id, "openai-chat") &&
      (g_strcmp0 (provider_id, "openai") == 0 || g_strcmp0 (provider_id, "xai") == 0))
    {
      if (off)
        json_object_set_null_member (extra_object (params, NULL), "reasoning_effort");
      else
        json_object_set_string_member (extra_object (params, NULL), "reasoning_effort",
                                       effort == NATTER_REASONING_MAX
                                       ? "high" : natter_reasoning_effort_to_string (effort));
      return TRUE;
    }
  if (g_str_equal (id, "openai-chat") && g_strcmp0 (provider_id, "openrouter") == 0)
    {
      if (off)
        json_object_set_null_member (extra_object (params, NULL), "reasoning");
      else
        {
          JsonObject *reasoning = json_object_new ();

          json_object_set_string_member (reasoning, "effort",
                                         effort == NATTER_REASONING_MAX
                                         ? "high" : natter_reasoning_effort_to_string (effort));
          json_object_set_object_member (extra_object (params, NULL), "reasoning", reasoning);
        }
      return TRUE;
    }
  if (g_str_equal (id, "ollama"))
    {
      if (off)
        json_object_set_null_member (extra_object (params, NULL), "think");
      else
        json_object_set_boolean_member (extra_object (params, NULL), "think", TRUE);
      return TRUE;
    }
  return !active;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
natter_sampling_apply (const NatterDialect   *dialect,
                       NatterProvider        *provider,
                       JsonObject            *sampling,
                       NatterReasoningEffort  reasoning,
                       NatterGenParams       *params)
{
  g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  const Mapping *table = NULL;
  const Mapping *more = NULL;
  const char *parent = NULL;

  g_return_val_if_fail (dialect != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);

  if (g_str_equal (dialect->id, "openai-chat"))
    {
      table = openai_chat;
      if (provider != NULL && natter_provider_has_capability (provider, "extended-samplers"))
        more = openai_chat_extended;
    }
  else if (g_str_equal (dialect->id, "anthropic"))
    table = anthropic;
  else if (g_str_equal (dialect->id, "gemini"))
    {
      table = gemini;
      parent = "generationConfig";
    }
  else if (g_str_equal (dialect->id, "cohere"))
    table = cohere;
  else if (g_str_equal (dialect->id, "ollama"))
    {
      table = ollama;
      parent = "options";
    }
  else if (g_str_equal (dialect->id, "kobold"))
    table = kobold;
  else if (g_str_equal (dialect->id, "llamacpp"))
    table = llamacpp;
  else if (g_str_equal (dialect->id, "openai-text"))
    table = openai_text;

  for (guint i = 0; sampling != NULL && sampling_keys[i] != NULL; i++)
    {
      const char *key = sampling_keys[i];
      JsonNode *value = json_object_get_member (sampling, key);
      const Mapping *mapping;

      if (value == NULL || JSON_NODE_HOLDS_NULL (value))
        continue;
      mapping = find (table, key);
      if (mapping == NULL)
        mapping = find (more, key);
      if (mapping == NULL)
        {
          if (!is_neutral (sampling, key))
            g_ptr_array_add (dropped, g_strdup (key));
          continue;
        }
      if (mapping->target == TO_PARAMS)
        set_param (params, sampling, key);
      else if (!g_str_equal (key, "seed") || !is_neutral (sampling, key))
        set_body (params, parent, mapping, value);
    }

  if (!apply_reasoning (dialect, provider, reasoning, params, dropped))
    g_ptr_array_add (dropped, g_strdup ("reasoning"));

  g_ptr_array_sort (dropped, compare_strings);
  g_ptr_array_add (dropped, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&dropped), FALSE);
}
