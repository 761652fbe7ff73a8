/* natter-conversation-preset.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The preset's part of assembling an exchange. */

#define G_LOG_DOMAIN "natter-conversation"

#include "config.h"

#include "natter-conversation-private.h"
#include "natter-json.h"
#include "natter-sampling.h"

gboolean
_natter_conversation_apply_preset (NatterPresetStore      *presets,
                                   gint64                  chat_id,
                                   gint64                  character_id,
                                   JsonObject             *settings,
                                   NatterProvider         *provider,
                                   const NatterDialect    *dialect,
                                   const NatterGenParams  *overrides,
                                   NatterPromptBuilder    *builder,
                                   NatterGenParams        *params,
                                   gint64                 *context_size,
                                   NatterPreset          **preset_out,
                                   GStrv                  *dropped,
                                   GError                **error)
{
  g_autoptr(NatterPreset) preset = NULL;
  g_autoptr(JsonObject) sampling = json_object_new ();
  const char *connection_preset = NULL;
  const char *reasoning_setting = NULL;
  NatterReasoningEffort effort;
  NatterPresetBlock *block;
  const char *prefill;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (settings != NULL && json_object_has_member (settings, "preset") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (settings, "preset")) &&
      json_node_get_value_type (json_object_get_member (settings, "preset")) == G_TYPE_STRING)
    connection_preset = json_object_get_string_member (settings, "preset");
  preset = natter_preset_store_resolve (presets, chat_id, character_id, connection_preset,
                                        NULL, error);
  if (preset == NULL)
    return FALSE;

  natter_prompt_builder_set_preset (builder, preset);
  block = natter_preset_find_block (preset, "main");
  if (block != NULL && !block->marker)
    natter_prompt_builder_set_main_prompt (builder, block->content);
  block = natter_preset_find_block (preset, "jailbreak");
  if (block != NULL && !block->marker)
    natter_prompt_builder_set_post_history (builder, block->content);

  /* What the caller set explicitly stays. */
  json_object_iter_init (&iter, natter_preset_get_sampling (preset));
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (overrides != NULL &&
          ((g_str_equal (name, "temperature") && overrides->temperature >= 0) ||
           (g_str_equal (name, "top_p") && overrides->top_p >= 0) ||
           (g_str_equal (name, "top_k") && overrides->top_k > 0) ||
           (g_str_equal (name, "max_tokens") && overrides->max_tokens > 0)))
        continue;
      json_object_set_member (sampling, name, json_node_copy (value));
    }

  if (*context_size <= 0 && json_object_has_member (sampling, "context_size"))
    {
      JsonNode *node = json_object_get_member (sampling, "context_size");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
          json_node_get_int (node) > 0)
        *context_size = json_node_get_int (node);
    }

  /* Reasoning: the preset's when it sets one, else the connection's. */
  effort = natter_preset_get_reasoning (preset);
  if (effort == NATTER_REASONING_UNSET && settings != NULL &&
      json_object_has_member (settings, "reasoning") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (settings, "reasoning")) &&
      json_node_get_value_type (json_object_get_member (settings, "reasoning")) == G_TYPE_STRING)
    {
      reasoning_setting = json_object_get_string_member (settings, "reasoning");
      if (!natter_reasoning_effort_from_string (reasoning_setting, &effort))
        effort = NATTER_REASONING_UNSET;
    }

  *dropped = natter_sampling_apply (dialect, provider, sampling, effort, params);
  if (!natter_preset_get_boolean (preset, "stream", TRUE))
    params->stream = FALSE;

  /* "Start reply with": where the provider continues what it is given. */
  prefill = natter_preset_get_string (preset, "assistant_prefill");
  if (prefill != NULL && *prefill != '\0' &&
      (dialect->text_completion || g_str_equal (dialect->id, "anthropic")))
    natter_prompt_builder_set_prefill (builder, prefill, !dialect->text_completion);

  if (preset_out != NULL)
    *preset_out = g_steal_pointer (&preset);
  return TRUE;
}

NatterPreset *
natter_conversation_resolve_preset (NatterConversation  *self,
                                    gint64               chat_id,
                                    NatterProfile       *profile,
                                    const char         **source,
                                    GError             **error)
{
  NatterChatStore *store;
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *settings = profile != NULL ? natter_profile_get_settings (profile) : NULL;
  const char *connection_preset = NULL;
  gint64 character_id = 0;

  g_return_val_if_fail (NATTER_IS_CONVERSATION (self), NULL);
  g_return_val_if_fail (profile == NULL || NATTER_IS_PROFILE (profile), NULL);

  store = natter_conversation_get_store (self);
  if (chat_id > 0 && (chat = natter_chat_store_get_chat (store, chat_id, NULL)) != NULL)
    character_id = natter_chat_get_character_id (chat);
  if (settings != NULL && natter_json_parser_load (parser, settings, -1, NULL) &&
      json_parser_get_root (parser) != NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonNode *node = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "preset");

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        connection_preset = json_node_get_string (node);
    }
  return natter_preset_store_resolve (natter_conversation_get_preset_store (self), chat_id, character_id,
                                      connection_preset, source, error);
}

char *
_natter_conversation_normalize_finish (const char *reason)
{
  static const struct { const char *word, *natter; } words[] = {
    { "stop", "stop" }, { "end_turn", "stop" }, { "stop_sequence", "stop" },
    { "eos", "stop" }, { "complete", "stop" }, { "COMPLETE", "stop" }, { "STOP", "stop" },
    { "length", "length" }, { "max_tokens", "length" }, { "MAX_TOKENS", "length" },
    { "model_length", "length" },
    { "refusal", "refusal" },
    { "content_filter", "content_filter" }, { "SAFETY", "content_filter" },
    { "RECITATION", "content_filter" }, { "PROHIBITED_CONTENT", "content_filter" },
    { "BLOCKLIST", "content_filter" }, { "SPII", "content_filter" },
    { "tool_calls", "tool_calls" }, { "tool_use", "tool_calls" }, { "TOOL_CALL", "tool_calls" },
  };

  if (reason == NULL || *reason == '\0')
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_str_equal (reason, words[i].word))
      return g_strdup (words[i].natter);
  return g_ascii_strdown (reason, -1);
}
