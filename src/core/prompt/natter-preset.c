/* natter-preset.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-preset"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-json.h"
#include "natter-preset-private.h"


G_DEFINE_FINAL_TYPE (NatterPreset, natter_preset, G_TYPE_OBJECT)
G_DEFINE_QUARK (natter-preset-error-quark, natter_preset_error)

static const char * const completion_keys[] = {
  "assistant_prefill", "continue_prefill", "continue_postfix", "continue_nudge",
  "names_behavior", "squash_system_messages", "stream", "wi_format", "scenario_format",
  "personality_format", "group_nudge", "impersonation_prompt", NULL,
};

#define DEFAULT_CONTINUE_NUDGE \
  "[Continue your last message without repeating its original content.]"
/* SillyTavern's defaults: who a group reply speaks as, and the person's
 * own next message. */
#define DEFAULT_GROUP_NUDGE "[Write the next reply only as {{char}}.]"
#define DEFAULT_IMPERSONATION \
  "[Write your next reply from the point of view of {{user}}, using the chat history so far " \
  "as a guideline for the writing style of {{user}}. Don't write as {{char}} or system. " \
  "Don't describe actions of {{char}}.]"

/* ------------------------------------------------------------ blocks */

NatterPresetBlock *
natter_preset_block_new (const char *id,
                         const char *name,
                         NatterRole  role,
                         const char *content)
{
  NatterPresetBlock *block = g_new0 (NatterPresetBlock, 1);

  block->id = g_strdup (id);
  block->name = g_strdup (name != NULL ? name : id);
  block->role = role;
  block->enabled = TRUE;
  block->position = NATTER_BLOCK_BEFORE_HISTORY;
  block->content = g_strdup (content);
  block->marker = content == NULL;
  return block;
}

void
natter_preset_block_free (NatterPresetBlock *block)
{
  if (block == NULL)
    return;
  g_free (block->id);
  g_free (block->name);
  g_free (block->content);
  g_free (block);
}

const char *
natter_block_position_to_string (NatterBlockPosition position)
{
  switch (position)
    {
    case NATTER_BLOCK_AFTER_HISTORY:
      return "after";
    case NATTER_BLOCK_IN_HISTORY:
      return "history";
    case NATTER_BLOCK_BEFORE_HISTORY:
    default:
      return "before";
    }
}

static gboolean
block_position_from_string (const char          *str,
                            NatterBlockPosition *position)
{
  if (g_strcmp0 (str, "before") == 0)
    *position = NATTER_BLOCK_BEFORE_HISTORY;
  else if (g_strcmp0 (str, "after") == 0)
    *position = NATTER_BLOCK_AFTER_HISTORY;
  else if (g_strcmp0 (str, "history") == 0)
    *position = NATTER_BLOCK_IN_HISTORY;
  else
    return FALSE;
  return TRUE;
}

/* SillyTavern's default prompt list in the order Natter always used (one
 * system message: main, lore, character, persona; then examples), with the
 * summary before the history. "main" is a marker: the connection's main
 * prompt, or the role-play default with a character. */
void
_natter_preset_add_default_blocks (GPtrArray *blocks)
{
  static const struct { const char *id, *name, *content; gboolean enabled; } defaults[] = {
    { "main", "Main Prompt", NULL, TRUE },
    { "worldInfoBefore", "World Info (before)", NULL, TRUE },
    { "charDescription", "Char Description", NULL, TRUE },
    { "charPersonality", "Char Personality", NULL, TRUE },
    { "scenario", "Scenario", NULL, TRUE },
    { "worldInfoAfter", "World Info (after)", NULL, TRUE },
    { "personaDescription", "Persona Description", NULL, TRUE },
    { "enhanceDefinitions", "Enhance Definitions",
      "If you have more knowledge of {{char}}, add to the character's lore and personality to "
      "enhance them but keep the Character Sheet's definitions absolute.", FALSE },
    { "nsfw", "Auxiliary Prompt", "", TRUE },
    { "dialogueExamples", "Chat Examples", NULL, TRUE },
    { "summary", "Summary", NULL, TRUE },
    { "chatHistory", "Chat History", NULL, TRUE },
    { "jailbreak", "Post-History Instructions", "", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    {
      NatterPresetBlock *block = natter_preset_block_new (defaults[i].id, defaults[i].name,
                                                          NATTER_ROLE_SYSTEM, defaults[i].content);

      block->enabled = defaults[i].enabled;
      if (g_str_equal (defaults[i].id, "jailbreak"))
        block->position = NATTER_BLOCK_AFTER_HISTORY;
      g_ptr_array_add (blocks, block);
    }
}

/* ------------------------------------------------------------ object */

static void
natter_preset_finalize (GObject *object)
{
  NatterPreset *self = NATTER_PRESET (object);

  g_free (self->name);
  g_free (self->format);
  g_clear_pointer (&self->source, json_object_unref);
  g_clear_pointer (&self->sampling, json_object_unref);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->completion, json_object_unref);

  G_OBJECT_CLASS (natter_preset_parent_class)->finalize (object);
}

static void
natter_preset_class_init (NatterPresetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_preset_finalize;
}

static void
natter_preset_init (NatterPreset *self)
{
  self->sampling = json_object_new ();
  self->completion = json_object_new ();
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_preset_block_free);
  self->reasoning = NATTER_REASONING_UNSET;
}

NatterPreset *
_natter_preset_new_empty (const char *name)
{
  NatterPreset *self = g_object_new (NATTER_TYPE_PRESET, NULL);

  self->name = g_strdup (name != NULL && *name != '\0' ? name : "Preset");
  return self;
}

NatterPreset *
natter_preset_new (const char *name)
{
  NatterPreset *self = _natter_preset_new_empty (name);

  _natter_preset_add_default_blocks (self->blocks);
  return self;
}

NatterPreset *
natter_preset_copy (NatterPreset *self,
                    const char   *name)
{
  g_autofree char *json = NULL;
  NatterPreset *copy;

  g_return_val_if_fail (NATTER_IS_PRESET (self), NULL);

  json = natter_preset_to_json (self, TRUE);
  copy = natter_preset_new_from_json (json, -1, NULL);
  g_assert (copy != NULL);
  if (name != NULL)
    natter_preset_set_name (copy, name);
  return copy;
}

const char *
natter_preset_get_name (NatterPreset *self)
{
  g_return_val_if_fail (NATTER_IS_PRESET (self), NULL);
  return self->name;
}

void
natter_preset_set_name (NatterPreset *self,
                        const char   *name)
{
  g_return_if_fail (NATTER_IS_PRESET (self));
  g_return_if_fail (name != NULL && *name != '\0');

  g_free (self->name);
  self->name = g_strdup (name);
}

const char *
natter_preset_get_format (NatterPreset *self)
{
  g_return_val_if_fail (NATTER_IS_PRESET (self), NULL);
  return self->format;
}

JsonObject *
natter_preset_get_sampling (NatterPreset *self)
{
  g_return_val_if_fail (NATTER_IS_PRESET (self), NULL);
  return self->sampling;
}

GPtrArray *
natter_preset_get_blocks (NatterPreset *self)
{
  g_return_val_if_fail (NATTER_IS_PRESET (self), NULL);
  return self->blocks;
}

NatterPresetBlock *
natter_preset_find_block (NatterPreset *self,
                          const char   *id)
{
  g_return_val_if_fail (NATTER_IS_PRESET (self), NULL);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      NatterPresetBlock *block = g_ptr_array_index (self->blocks, i);

      if (g_strcmp0 (block->id, id) == 0)
        return block;
    }
  return NULL;
}

NatterReasoningEffort
natter_preset_get_reasoning (NatterPreset *self)
{
  g_return_val_if_fail (NATTER_IS_PRESET (self), NATTER_REASONING_UNSET);
  return self->reasoning;
}

int
natter_preset_get_reasoning_keep (NatterPreset *self)
{
  g_return_val_if_fail (NATTER_IS_PRESET (self), 0);
  return self->reasoning_keep;
}

gboolean
natter_preset_get_reasoning_show (NatterPreset *self)
{
  g_return_val_if_fail (NATTER_IS_PRESET (self), TRUE);
  return self->reasoning_show;
}

const char *
natter_preset_get_string (NatterPreset *self,
                          const char   *key)
{
  JsonNode *node;

  g_return_val_if_fail (NATTER_IS_PRESET (self), NULL);

  node = json_object_get_member (self->completion, key);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return g_str_equal (key, "continue_nudge") ? DEFAULT_CONTINUE_NUDGE
           : g_str_equal (key, "group_nudge") ? DEFAULT_GROUP_NUDGE
           : g_str_equal (key, "impersonation_prompt") ? DEFAULT_IMPERSONATION : NULL;
  return json_node_get_string (node);
}

NatterPresetNames
natter_preset_get_names_behavior (NatterPreset *self)
{
  JsonNode *node;
  gint64 value;

  g_return_val_if_fail (NATTER_IS_PRESET (self), NATTER_PRESET_NAMES_UNSET);

  node = json_object_get_member (self->completion, "names_behavior");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return NATTER_PRESET_NAMES_UNSET;
  value = json_node_get_int (node);
  return value >= -1 && value <= 2 ? (NatterPresetNames) value : NATTER_PRESET_NAMES_UNSET;
}

gboolean
natter_preset_get_boolean (NatterPreset *self,
                           const char   *key,
                           gboolean      default_value)
{
  JsonNode *node;

  g_return_val_if_fail (NATTER_IS_PRESET (self), default_value);

  node = json_object_get_member (self->completion, key);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;
  return json_node_get_boolean (node);
}

/* ------------------------------------------------------------ parsing */

static gboolean
check_depth (JsonNode *node,
             guint     depth)
{
  if (depth > NATTER_PRESET_MAX_DEPTH)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &value))
        if (!check_depth (value, depth + 1))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!check_depth (json_array_get_element (array, i), depth + 1))
          return FALSE;
    }
  return TRUE;
}

/* The root object of a preset file, size and depth checked. */
JsonObject *
_natter_preset_parse_object (const char  *text,
                             gssize       len,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (len < 0)
    len = strlen (text);
  if ((gsize) len > NATTER_PRESET_MAX_SIZE)
    {
      g_set_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID,
                   _("The preset is larger than %d MiB"), NATTER_PRESET_MAX_SIZE / (1024 * 1024));
      return NULL;
    }
  if (!g_utf8_validate (text, len, NULL))
    {
      g_set_error_literal (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID,
                           _("The preset is not UTF-8 text"));
      return NULL;
    }
  /* json-glib reads some escapes that are not JSON into text that is not
   * UTF-8 or that it cuts short: refused before they are read. */
  if (!natter_json_check_escapes (text, len, &local_error) ||
      !natter_json_parser_load (parser, text, len, &local_error))
    {
      g_set_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID,
                   _("The preset is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID,
                           _("The preset is not a JSON object"));
      return NULL;
    }
  if (!check_depth (root, 0))
    {
      g_set_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The preset nests deeper than %d level",
                                "The preset nests deeper than %d levels",
                                NATTER_PRESET_MAX_DEPTH),
                   NATTER_PRESET_MAX_DEPTH);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

const char *
_natter_preset_member_string (JsonObject *object,
                              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
_natter_preset_member_boolean (JsonObject *object,
                               const char *name,
                               gboolean    default_value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return default_value;
  return json_node_get_boolean (node);
}

gboolean
_natter_preset_member_number (JsonObject *object,
                              const char *name,
                              double     *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_INT64 &&
      json_node_get_value_type (node) != G_TYPE_DOUBLE)
    return FALSE;
  *value = json_node_get_double (node);
  return isfinite (*value);
}

/* A sampling value from a file: numbers, booleans, and the lists. */
JsonNode *
_natter_preset_sampling_value (const char *key,
                               JsonNode   *node)
{
  if (natter_sampling_key_is_list (key))
    {
      g_autoptr(JsonParser) parser = NULL;

      if (JSON_NODE_HOLDS_ARRAY (node))
        return json_node_copy (node);
      /* SillyTavern keeps dry_sequence_breakers as the text of an array. */
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          parser = json_parser_new ();
          if (natter_json_check_escapes (json_node_get_string (node), -1, NULL) &&
              natter_json_parser_load (parser, json_node_get_string (node), -1, NULL) &&
              json_parser_get_root (parser) != NULL &&
              JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
            return json_node_copy (json_parser_get_root (parser));
        }
      return NULL;
    }
  if (JSON_NODE_HOLDS_VALUE (node) &&
      (json_node_get_value_type (node) == G_TYPE_INT64 ||
       json_node_get_value_type (node) == G_TYPE_DOUBLE ||
       json_node_get_value_type (node) == G_TYPE_BOOLEAN))
    return json_node_copy (node);
  return NULL;
}

NatterRole
_natter_preset_role_from_string (const char *str)
{
  NatterRole role = NATTER_ROLE_SYSTEM;

  if (str == NULL || !natter_role_from_string (str, &role))
    return NATTER_ROLE_SYSTEM;
  return role;
}

void
_natter_preset_read_reasoning (NatterPreset *self,
                               JsonObject   *object,
                               const char   *effort_member,
                               const char   *show_member,
                               const char   *keep_member)
{
  const char *effort = _natter_preset_member_string (object, effort_member);
  double keep;

  if (effort != NULL && g_ascii_strcasecmp (effort, "min") == 0)
    self->reasoning = NATTER_REASONING_LOW;
  else if (effort != NULL && !natter_reasoning_effort_from_string (effort, &self->reasoning))
    self->reasoning = NATTER_REASONING_UNSET;
  self->reasoning_show = _natter_preset_member_boolean (object, show_member, TRUE);
  if (keep_member != NULL && _natter_preset_member_number (object, keep_member, &keep))
    self->reasoning_keep = CLAMP ((int) keep, 0, 1000);
}

/* ------------------------------------------------------------ native JSON */

static JsonNode *
block_to_json (const NatterPresetBlock *block)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, block->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, block->name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, natter_role_to_string (block->role));
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, block->enabled);
  json_builder_set_member_name (builder, "position");
  json_builder_add_string_value (builder, natter_block_position_to_string (block->position));
  json_builder_set_member_name (builder, "depth");
  json_builder_add_int_value (builder, block->depth);
  json_builder_set_member_name (builder, "content");
  if (block->marker)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, block->content);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
_natter_preset_blocks_to_json (GPtrArray *blocks)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < blocks->len; i++)
    json_array_add_element (array, block_to_json (g_ptr_array_index (blocks, i)));
  json_node_take_array (node, array);
  return node;
}

JsonNode *
natter_preset_to_json_node (NatterPreset *self,
                            gboolean      with_source)
{
  JsonObject *object = json_object_new ();
  JsonObject *reasoning = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonNode *sampling = json_node_new (JSON_NODE_OBJECT);
  JsonNode *completion = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (NATTER_IS_PRESET (self), NULL);

  json_object_set_string_member (object, "name", self->name);
  json_node_set_object (sampling, self->sampling);
  json_object_set_member (object, "sampling", json_node_copy (sampling));
  json_object_set_member (object, "prompts", _natter_preset_blocks_to_json (self->blocks));
  if (self->reasoning != NATTER_REASONING_UNSET)
    json_object_set_string_member (reasoning, "effort",
                                   natter_reasoning_effort_to_string (self->reasoning));
  else
    json_object_set_null_member (reasoning, "effort");
  json_object_set_boolean_member (reasoning, "show", self->reasoning_show);
  json_object_set_int_member (reasoning, "keep", self->reasoning_keep);
  json_object_set_object_member (object, "reasoning", reasoning);
  json_node_set_object (completion, self->completion);
  json_object_set_member (object, "completion", json_node_copy (completion));
  if (with_source)
    {
      if (self->format != NULL)
        json_object_set_string_member (object, "format", self->format);
      if (self->source != NULL)
        json_object_set_object_member (object, "sillytavern", json_object_ref (self->source));
    }
  json_node_unref (sampling);
  json_node_unref (completion);
  json_node_take_object (node, object);
  return node;
}

char *
natter_preset_to_json (NatterPreset *self,
                       gboolean      with_source)
{
  g_autoptr(JsonNode) node = natter_preset_to_json_node (self, with_source);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

NatterPreset *
natter_preset_new_from_json (const char  *text,
                             gssize       len,
                             GError     **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(NatterPreset) self = NULL;
  JsonObject *sampling = NULL;
  JsonObject *completion = NULL;
  JsonObject *reasoning = NULL;
  JsonNode *node;

  g_return_val_if_fail (text != NULL, NULL);

  object = _natter_preset_parse_object (text, len, error);
  if (object == NULL)
    return NULL;
  self = _natter_preset_new_empty (_natter_preset_member_string (object, "name"));
  self->format = g_strdup (_natter_preset_member_string (object, "format"));
  if ((node = json_object_get_member (object, "sillytavern")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    self->source = json_object_ref (json_node_get_object (node));
  if ((node = json_object_get_member (object, "sampling")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    sampling = json_node_get_object (node);
  for (guint i = 0; sampling != NULL && natter_sampling_keys ()[i] != NULL; i++)
    {
      const char *key = natter_sampling_keys ()[i];
      JsonNode *value;

      if ((node = json_object_get_member (sampling, key)) != NULL &&
          (value = _natter_preset_sampling_value (key, node)) != NULL)
        json_object_set_member (self->sampling, key, value);
    }
  if ((node = json_object_get_member (object, "completion")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    completion = json_node_get_object (node);
  for (guint i = 0; completion != NULL && completion_keys[i] != NULL; i++)
    if ((node = json_object_get_member (completion, completion_keys[i])) != NULL &&
        JSON_NODE_HOLDS_VALUE (node))
      json_object_set_member (self->completion, completion_keys[i], json_node_copy (node));
  if ((node = json_object_get_member (object, "reasoning")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    reasoning = json_node_get_object (node);
  _natter_preset_read_reasoning (self, reasoning, "effort", "show", "keep");

  if ((node = json_object_get_member (object, "prompts")) != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *prompts = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (prompts); i++)
        {
          JsonNode *element = json_array_get_element (prompts, i);
          JsonObject *p;
          NatterPresetBlock *block;
          const char *id;
          double depth = 0;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          p = json_node_get_object (element);
          if ((id = _natter_preset_member_string (p, "id")) == NULL)
            continue;
          block = natter_preset_block_new (id, _natter_preset_member_string (p, "name"),
                                           _natter_preset_role_from_string (_natter_preset_member_string (p, "role")),
                                           _natter_preset_member_string (p, "content"));
          block->enabled = _natter_preset_member_boolean (p, "enabled", TRUE);
          if (!block_position_from_string (_natter_preset_member_string (p, "position"), &block->position))
            block->position = NATTER_BLOCK_BEFORE_HISTORY;
          if (_natter_preset_member_number (p, "depth", &depth))
            block->depth = CLAMP ((int) depth, 0, 10000);
          g_ptr_array_add (self->blocks, block);
        }
    }
  else
    _natter_preset_add_default_blocks (self->blocks);

  return g_steal_pointer (&self);
}

/* ------------------------------------------------------------ set */

static gboolean
parse_bool (const char *value,
            gboolean   *out)
{
  if (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1") ||
      g_ascii_strcasecmp (value, "on") == 0 || g_ascii_strcasecmp (value, "yes") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0") ||
           g_ascii_strcasecmp (value, "off") == 0 || g_ascii_strcasecmp (value, "no") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
bad_value (GError    **error,
           const char *key,
           const char *value)
{
  g_set_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_BAD_VALUE,
               _("“%s” is not a value for “%s”"), value, key);
  return FALSE;
}

static gboolean
set_block (NatterPreset *self,
           const char   *key,
           const char   *value,
           GError      **error)
{
  g_auto(GStrv) parts = g_strsplit (key, ".", 3);
  NatterPresetBlock *block;
  char *end = NULL;
  gint64 number;

  if (g_strv_length (parts) != 3)
    return bad_value (error, key, value);
  block = natter_preset_find_block (self, parts[1]);
  if (block == NULL)
    {
      block = natter_preset_block_new (parts[1], parts[1], NATTER_ROLE_SYSTEM, "");
      g_ptr_array_add (self->blocks, block);
    }
  if (g_str_equal (parts[2], "content"))
    {
      g_free (block->content);
      block->content = g_strdup (value);
      block->marker = FALSE;
    }
  else if (g_str_equal (parts[2], "name") && *value != '\0')
    {
      g_free (block->name);
      block->name = g_strdup (value);
    }
  else if (g_str_equal (parts[2], "enabled"))
    {
      if (!parse_bool (value, &block->enabled))
        return bad_value (error, key, value);
    }
  else if (g_str_equal (parts[2], "role"))
    {
      if (!natter_role_from_string (value, &block->role))
        return bad_value (error, key, value);
    }
  else if (g_str_equal (parts[2], "position"))
    {
      if (!block_position_from_string (value, &block->position))
        return bad_value (error, key, value);
    }
  else if (g_str_equal (parts[2], "depth"))
    {
      number = g_ascii_strtoll (value, &end, 10);
      if (end == value || *end != '\0' || number < 0 || number > 10000)
        return bad_value (error, key, value);
      block->depth = (int) number;
    }
  else
    return bad_value (error, key, value);
  return TRUE;
}

gboolean
natter_preset_set (NatterPreset  *self,
                   const char    *key,
                   const char    *value,
                   GError       **error)
{
  g_return_val_if_fail (NATTER_IS_PRESET (self), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  if (g_str_has_prefix (key, "prompt."))
    return set_block (self, key, value, error);

  if (g_str_equal (key, "reasoning"))
    {
      if (*value == '\0')
        self->reasoning = NATTER_REASONING_UNSET;
      else if (!natter_reasoning_effort_from_string (value, &self->reasoning))
        return bad_value (error, key, value);
      return TRUE;
    }
  if (g_str_equal (key, "reasoning_show"))
    return parse_bool (value, &self->reasoning_show) || bad_value (error, key, value);
  if (g_str_equal (key, "reasoning_keep"))
    {
      char *end = NULL;
      gint64 n = g_ascii_strtoll (value, &end, 10);

      if (end == value || *end != '\0' || n < 0 || n > 1000)
        return bad_value (error, key, value);
      self->reasoning_keep = (int) n;
      return TRUE;
    }

  if (natter_sampling_key_is_known (key))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *parsed;
      JsonNode *checked;

      if (*value == '\0')
        {
          json_object_remove_member (self->sampling, key);
          return TRUE;
        }
      if (!natter_json_check_escapes (value, -1, NULL) ||
          !json_parser_load_from_data (parser, value, -1, NULL) ||
          (parsed = json_parser_get_root (parser)) == NULL ||
          (checked = _natter_preset_sampling_value (key, parsed)) == NULL)
        {
          /* stop=foo: one stop string. */
          if (g_str_equal (key, "stop"))
            {
              JsonArray *array = json_array_new ();

              json_array_add_string_element (array, value);
              json_object_set_array_member (self->sampling, key, array);
              return TRUE;
            }
          return bad_value (error, key, value);
        }
      json_object_set_member (self->sampling, key, checked);
      return TRUE;
    }

  if (g_strv_contains (completion_keys, key))
    {
      gboolean b;
      char *end = NULL;
      gint64 n;

      if (*value == '\0' && !g_str_equal (key, "assistant_prefill") &&
          !g_str_equal (key, "continue_postfix"))
        json_object_remove_member (self->completion, key);
      else if (g_str_equal (key, "continue_prefill") || g_str_equal (key, "squash_system_messages") ||
               g_str_equal (key, "stream"))
        {
          if (!parse_bool (value, &b))
            return bad_value (error, key, value);
          json_object_set_boolean_member (self->completion, key, b);
        }
      else if (g_str_equal (key, "names_behavior"))
        {
          n = g_ascii_strtoll (value, &end, 10);
          if (end == value || *end != '\0' || n < -1 || n > 2)
            return bad_value (error, key, value);
          json_object_set_int_member (self->completion, key, n);
        }
      else
        json_object_set_string_member (self->completion, key, value);
      return TRUE;
    }

  g_set_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_BAD_VALUE,
               _("“%s” is not a preset setting"), key);
  return FALSE;
}
