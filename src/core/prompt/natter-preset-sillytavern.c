/* natter-preset-sillytavern.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* SillyTavern presets in and out: chat-completion presets (prompts,
 * prompt_order, openai_max_tokens, …) and text-completion presets (temp,
 * rep_pen, sampler_order, …). The file is kept as it was; export writes
 * back only what changed since. */

#define G_LOG_DOMAIN "natter-preset"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "natter-json-writer.h"
#include "natter-preset-private.h"

/* SillyTavern's names, chat-completion and text-completion presets. */
typedef struct
{
  const char *st;
  const char *key;
} KeyMap;

static const KeyMap chat_sampling[] = {
  { "temperature", "temperature" }, { "frequency_penalty", "frequency_penalty" },
  { "presence_penalty", "presence_penalty" }, { "top_p", "top_p" }, { "top_k", "top_k" },
  { "top_a", "top_a" }, { "min_p", "min_p" }, { "repetition_penalty", "repetition_penalty" },
  { "openai_max_tokens", "max_tokens" }, { "openai_max_context", "context_size" },
  { "seed", "seed" },
  { NULL, NULL },
};

static const KeyMap text_sampling[] = {
  { "temp", "temperature" }, { "top_p", "top_p" }, { "top_k", "top_k" }, { "top_a", "top_a" },
  { "tfs", "tfs" }, { "typical_p", "typical_p" }, { "min_p", "min_p" },
  { "rep_pen", "repetition_penalty" }, { "rep_pen_range", "repetition_penalty_range" },
  { "freq_pen", "frequency_penalty" }, { "presence_pen", "presence_penalty" },
  { "dry_multiplier", "dry_multiplier" }, { "dry_base", "dry_base" },
  { "dry_allowed_length", "dry_allowed_length" }, { "dry_penalty_last_n", "dry_penalty_last_n" },
  { "dry_sequence_breakers", "dry_sequence_breakers" },
  { "xtc_threshold", "xtc_threshold" }, { "xtc_probability", "xtc_probability" },
  { "mirostat_mode", "mirostat_mode" }, { "mirostat_tau", "mirostat_tau" },
  { "mirostat_eta", "mirostat_eta" }, { "seed", "seed" }, { "genamt", "max_tokens" },
  { "max_length", "context_size" }, { "stopping_strings", "stop" },
  { "sampler_order", "sampler_order" }, { "sampler_priority", "sampler_priority" },
  { NULL, NULL },
};

static const KeyMap chat_completion[] = {
  { "assistant_prefill", "assistant_prefill" }, { "continue_prefill", "continue_prefill" },
  { "continue_postfix", "continue_postfix" }, { "continue_nudge_prompt", "continue_nudge" },
  { "names_behavior", "names_behavior" }, { "squash_system_messages", "squash_system_messages" },
  { "stream_openai", "stream" }, { "wi_format", "wi_format" },
  { "scenario_format", "scenario_format" }, { "personality_format", "personality_format" },
  { "group_nudge_prompt", "group_nudge" }, { "impersonation_prompt", "impersonation_prompt" },
  { NULL, NULL },
};

static void
read_sampling (JsonObject *sampling,
               JsonObject *from,
               const KeyMap *map)
{
  for (guint i = 0; map[i].st != NULL; i++)
    {
      JsonNode *node = json_object_get_member (from, map[i].st);
      JsonNode *value;

      if (node == NULL || (value = _natter_preset_sampling_value (map[i].key, node)) == NULL)
        continue;
      json_object_set_member (sampling, map[i].key, value);
    }
}

/* The "order" list SillyTavern uses for every character: the one of the
 * dummy character 100001, else the first. */
static JsonArray *
st_prompt_order (JsonObject *source)
{
  JsonNode *node = json_object_get_member (source, "prompt_order");
  JsonArray *orders;
  JsonArray *found = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  orders = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonNode *element = json_array_get_element (orders, i);
      JsonObject *entry;
      JsonNode *order;
      double id = 0;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      entry = json_node_get_object (element);
      order = json_object_get_member (entry, "order");
      if (order == NULL || !JSON_NODE_HOLDS_ARRAY (order))
        continue;
      if (found == NULL)
        found = json_node_get_array (order);
      if (_natter_preset_member_number (entry, "character_id", &id) && id == 100001)
        return json_node_get_array (order);
    }
  return found;
}

static JsonObject *
st_find_prompt (JsonArray  *prompts,
                const char *id)
{
  for (guint i = 0; prompts != NULL && i < json_array_get_length (prompts); i++)
    {
      JsonNode *element = json_array_get_element (prompts, i);

      if (JSON_NODE_HOLDS_OBJECT (element) &&
          g_strcmp0 (_natter_preset_member_string (json_node_get_object (element), "identifier"), id) == 0)
        return json_node_get_object (element);
    }
  return NULL;
}

static NatterPresetBlock *
block_from_st (JsonObject *prompt,
               const char *id)
{
  const char *content = _natter_preset_member_string (prompt, "content");
  gboolean marker = _natter_preset_member_boolean (prompt, "marker", FALSE);
  NatterPresetBlock *block;
  double value;

  block = natter_preset_block_new (id, _natter_preset_member_string (prompt, "name"),
                                   _natter_preset_role_from_string (_natter_preset_member_string (prompt, "role")),
                                   marker ? NULL : (content != NULL ? content : ""));
  if (_natter_preset_member_number (prompt, "injection_position", &value) && value == 1)
    {
      block->position = NATTER_BLOCK_IN_HISTORY;
      block->depth = _natter_preset_member_number (prompt, "injection_depth", &value) ? CLAMP ((int) value, 0, 10000) : 4;
    }
  return block;
}

static void
read_st_blocks (NatterPreset *self,
                JsonObject   *source)
{
  JsonNode *prompts_node = json_object_get_member (source, "prompts");
  JsonArray *prompts = prompts_node != NULL && JSON_NODE_HOLDS_ARRAY (prompts_node)
                       ? json_node_get_array (prompts_node) : NULL;
  JsonArray *order = st_prompt_order (source);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean after = FALSE;

  for (guint i = 0; order != NULL && i < json_array_get_length (order); i++)
    {
      JsonNode *element = json_array_get_element (order, i);
      JsonObject *entry;
      JsonObject *prompt;
      const char *id;
      NatterPresetBlock *block;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      entry = json_node_get_object (element);
      id = _natter_preset_member_string (entry, "identifier");
      if (id == NULL || g_hash_table_contains (seen, id))
        continue;
      prompt = st_find_prompt (prompts, id);
      if (prompt == NULL)
        continue;
      g_hash_table_add (seen, (gpointer) id);
      block = block_from_st (prompt, id);
      block->enabled = _natter_preset_member_boolean (entry, "enabled", TRUE);
      if (g_str_equal (id, "chatHistory"))
        after = TRUE;
      else if (after && block->position != NATTER_BLOCK_IN_HISTORY)
        block->position = NATTER_BLOCK_AFTER_HISTORY;
      g_ptr_array_add (self->blocks, block);
    }

  /* Prompts the order does not list are not sent; keep them, off. */
  for (guint i = 0; prompts != NULL && i < json_array_get_length (prompts); i++)
    {
      JsonNode *element = json_array_get_element (prompts, i);
      const char *id;
      NatterPresetBlock *block;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      id = _natter_preset_member_string (json_node_get_object (element), "identifier");
      if (id == NULL || g_hash_table_contains (seen, id))
        continue;
      g_hash_table_add (seen, (gpointer) id);
      block = block_from_st (json_node_get_object (element), id);
      block->enabled = FALSE;
      g_ptr_array_add (self->blocks, block);
    }
}

static void
read_completion (NatterPreset *self,
                 JsonObject   *from,
                 const KeyMap *map)
{
  for (guint i = 0; map[i].st != NULL; i++)
    {
      JsonNode *node = json_object_get_member (from, map[i].st);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
        json_object_set_member (self->completion, map[i].key, json_node_copy (node));
    }
}

static gboolean
is_chat_preset (JsonObject *object)
{
  return json_object_has_member (object, "prompts") ||
         json_object_has_member (object, "prompt_order") ||
         json_object_has_member (object, "openai_max_tokens") ||
         json_object_has_member (object, "chat_completion_source");
}

static gboolean
is_text_preset (JsonObject *object)
{
  return json_object_has_member (object, "temp") || json_object_has_member (object, "rep_pen") ||
         json_object_has_member (object, "genamt") ||
         json_object_has_member (object, "sampler_order");
}

/* Everything Natter reads from a SillyTavern file; the file is kept. */
static NatterPreset *
from_sillytavern_object (JsonObject  *source,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(NatterPreset) self = NULL;
  gboolean chat = is_chat_preset (source);

  if (!chat && !is_text_preset (source))
    {
      g_set_error_literal (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID,
                           _("This is not a SillyTavern chat-completion or text-completion preset"));
      return NULL;
    }
  if (name == NULL)
    name = _natter_preset_member_string (source, "name");
  self = _natter_preset_new_empty (name != NULL ? name : _("Imported"));
  self->source = json_object_ref (source);
  if (chat)
    {
      self->format = g_strdup ("sillytavern-chat");
      read_sampling (self->sampling, source, chat_sampling);
      read_completion (self, source, chat_completion);
      read_st_blocks (self, source);
      if (self->blocks->len == 0)
        _natter_preset_add_default_blocks (self->blocks);
      _natter_preset_read_reasoning (self, source, "reasoning_effort", "show_thoughts", NULL);
    }
  else
    {
      self->format = g_strdup ("sillytavern-text");
      read_sampling (self->sampling, source, text_sampling);
      _natter_preset_add_default_blocks (self->blocks);
      self->reasoning_show = TRUE;
    }
  return g_steal_pointer (&self);
}

NatterPreset *
natter_preset_new_from_sillytavern (const char  *text,
                                    gsize        len,
                                    const char  *name,
                                    GError     **error)
{
  g_autoptr(JsonObject) source = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  source = _natter_preset_parse_object (text, len, error);
  if (source == NULL)
    return NULL;
  /* A password in a shared file is a leak waiting to happen: it is never
   * used, so it is not kept either. */
  if (_natter_preset_member_string (source, "proxy_password") != NULL &&
      *_natter_preset_member_string (source, "proxy_password") != '\0')
    json_object_set_string_member (source, "proxy_password", "");
  return from_sillytavern_object (source, name, error);
}

/* ------------------------------------------------------------ export */

static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (JSON_NODE_HOLDS_VALUE (a) && JSON_NODE_HOLDS_VALUE (b))
    {
      GType ta = json_node_get_value_type (a);
      GType tb = json_node_get_value_type (b);

      if ((ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE) && (tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE))
        return json_node_get_double (a) == json_node_get_double (b);
    }
  return json_node_equal (a, b);
}

static const char *
st_name_for (const KeyMap *map,
             const char   *key)
{
  for (guint i = 0; map[i].st != NULL; i++)
    if (g_str_equal (map[i].key, key))
      return map[i].st;
  return NULL;
}

static void
write_sampling (NatterPreset *self,
                NatterPreset *was,
                JsonObject   *out,
                gboolean      text_format)
{
  const KeyMap *map = text_format ? text_sampling : chat_sampling;

  for (guint i = 0; natter_sampling_keys ()[i] != NULL; i++)
    {
      const char *key = natter_sampling_keys ()[i];
      JsonNode *now = json_object_get_member (self->sampling, key);
      JsonNode *before = was != NULL ? json_object_get_member (was->sampling, key) : NULL;
      const char *st = st_name_for (map, key);

      if (values_equal (now, before))
        continue;
      /* A chat-completion file has no place for text samplers: they go
       * under their text-completion names, which SillyTavern keeps. */
      if (st == NULL)
        st = st_name_for (text_sampling, key);
      if (st == NULL)
        continue;
      if (now == NULL)
        json_object_remove_member (out, st);
      else if (g_str_equal (key, "dry_sequence_breakers"))
        {
          g_autoptr(JsonGenerator) generator = json_generator_new ();
          g_autofree char *encoded = NULL;

          json_generator_set_root (generator, now);
          encoded = json_generator_to_data (generator, NULL);
          json_object_set_string_member (out, st, encoded);
        }
      else
        json_object_set_member (out, st, json_node_copy (now));
    }
}

static void
write_st_blocks (NatterPreset *self,
                 JsonObject   *out)
{
  JsonNode *prompts_node = json_object_get_member (out, "prompts");
  JsonArray *old_prompts = prompts_node != NULL && JSON_NODE_HOLDS_ARRAY (prompts_node)
                           ? json_node_get_array (prompts_node) : NULL;
  JsonArray *prompts = json_array_new ();
  JsonArray *order = json_array_new ();
  JsonArray *old_order = st_prompt_order (out);
  JsonObject *entry;
  JsonArray *orders;

  for (guint i = 0; i < self->blocks->len; i++)
    {
      NatterPresetBlock *block = g_ptr_array_index (self->blocks, i);
      JsonObject *old = st_find_prompt (old_prompts, block->id);
      JsonObject *prompt = json_object_new ();
      JsonObject *o = json_object_new ();

      if (old != NULL)
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *value;

          json_object_iter_init_ordered (&iter, old);
          while (json_object_iter_next_ordered (&iter, &name, &value))
            json_object_set_member (prompt, name, json_node_copy (value));
        }
      json_object_set_string_member (prompt, "identifier", block->id);
      json_object_set_string_member (prompt, "name", block->name);
      if (!block->marker)
        {
          json_object_set_string_member (prompt, "role", natter_role_to_string (block->role));
          json_object_set_string_member (prompt, "content", block->content);
        }
      else
        json_object_set_boolean_member (prompt, "marker", TRUE);
      if (block->position == NATTER_BLOCK_IN_HISTORY)
        {
          json_object_set_int_member (prompt, "injection_position", 1);
          json_object_set_int_member (prompt, "injection_depth", block->depth);
        }
      else if (json_object_has_member (prompt, "injection_position"))
        json_object_set_int_member (prompt, "injection_position", 0);
      json_array_add_object_element (prompts, prompt);

      json_object_set_string_member (o, "identifier", block->id);
      json_object_set_boolean_member (o, "enabled", block->enabled);
      json_array_add_object_element (order, o);
    }
  json_object_set_array_member (out, "prompts", prompts);

  /* The order of every character (SillyTavern's 100001) is replaced. */
  if (old_order != NULL)
    {
      while (json_array_get_length (old_order) > 0)
        json_array_remove_element (old_order, 0);
      for (guint i = 0; i < json_array_get_length (order); i++)
        json_array_add_element (old_order, json_node_copy (json_array_get_element (order, i)));
      json_array_unref (order);
      return;
    }
  orders = json_array_new ();
  entry = json_object_new ();
  json_object_set_int_member (entry, "character_id", 100001);
  json_object_set_array_member (entry, "order", order);
  json_array_add_object_element (orders, entry);
  json_object_set_array_member (out, "prompt_order", orders);
}

static gboolean
blocks_equal (GPtrArray *a,
              GPtrArray *b)
{
  g_autoptr(JsonNode) ja = _natter_preset_blocks_to_json (a);
  g_autoptr(JsonNode) jb = _natter_preset_blocks_to_json (b);

  return json_node_equal (ja, jb);
}

char *
natter_preset_to_json_text (NatterPreset *self)
{
  g_autoptr(JsonNode) node = NULL;
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (NATTER_IS_PRESET (self), NULL);

  node = natter_preset_to_json_node (self, FALSE);
  natter_json_write (text, node, 4);
  return g_string_free (text, FALSE);
}

char *
natter_preset_to_sillytavern (NatterPreset *self)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(NatterPreset) was = NULL;
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  GString *text;
  gboolean text_format;

  g_return_val_if_fail (NATTER_IS_PRESET (self), NULL);

  text_format = g_strcmp0 (self->format, "sillytavern-text") == 0;
  if (self->source != NULL)
    {
      g_autoptr(JsonNode) copy = NULL;
      g_autoptr(JsonNode) source = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (source, self->source);
      copy = json_node_copy (source);
      json_object_unref (out);
      out = json_object_ref (json_node_get_object (copy));
      /* What the file said, to write back only what changed since. */
      was = from_sillytavern_object (self->source, self->name, NULL);
    }

  write_sampling (self, was, out, text_format);
  if (!text_format)
    {
      for (guint i = 0; chat_completion[i].st != NULL; i++)
        {
          JsonNode *now = json_object_get_member (self->completion, chat_completion[i].key);
          JsonNode *before = was != NULL
                             ? json_object_get_member (was->completion, chat_completion[i].key) : NULL;

          if (values_equal (now, before))
            continue;
          if (now == NULL)
            json_object_remove_member (out, chat_completion[i].st);
          else
            json_object_set_member (out, chat_completion[i].st, json_node_copy (now));
        }
      if (was == NULL || !blocks_equal (self->blocks, was->blocks))
        write_st_blocks (self, out);
      if (was == NULL || was->reasoning != self->reasoning)
        {
          if (self->reasoning == NATTER_REASONING_UNSET)
            json_object_remove_member (out, "reasoning_effort");
          else
            json_object_set_string_member (out, "reasoning_effort",
                                           natter_reasoning_effort_to_string (self->reasoning));
        }
      if (was == NULL || was->reasoning_show != self->reasoning_show)
        json_object_set_boolean_member (out, "show_thoughts", self->reasoning_show);
    }

  json_node_set_object (root, out);
  text = g_string_new (NULL);
  natter_json_write (text, root, 4);
  g_string_append_c (text, '\n');
  return g_string_free (text, FALSE);
}

