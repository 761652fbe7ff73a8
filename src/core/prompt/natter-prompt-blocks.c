/* natter-prompt-blocks.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The prompt in the order and places a preset's blocks give. */

#define G_LOG_DOMAIN "natter-prompt-blocks"

#include "config.h"

#include <string.h>

#include "natter-prompt-builder-private.h"
#include "natter-dialect-parts.h"

#define EXAMPLE_HEADER "[Example Chat]\n"
#define DEFAULT_PERSONALITY_FORMAT "{{char}}'s personality: {{personality}}"
#define DEFAULT_SCENARIO_FORMAT "Scenario: {{scenario}}"

typedef struct
{
  NatterPromptMessage *message;
  gboolean             squashable;
} Item;

static NatterPromptMessage *
message_new (NatterRole  role,
             const char *name,
             const char *content)
{
  NatterPromptMessage *m = natter_prompt_message_new (role, content);

  m->name = g_strdup (name);
  return m;
}

/* Replaces "{0}" (SillyTavern's wi_format) or expands {{personality}} /
 * {{scenario}} in a format with @value. */
static char *
format_with (const char               *format,
             const char               *placeholder,
             const char               *value,
             const NatterMacroContext *macros)
{
  g_autoptr(GString) s = g_string_new (format);

  g_string_replace (s, placeholder, value, 0);
  return natter_macros_expand (s->str, macros);
}

static char *
lore_text (Parts               *parts,
           const char          *text,
           NatterPreset        *preset)
{
  const char *format = natter_preset_get_string (preset, "wi_format");

  if (text == NULL || *text == '\0')
    return NULL;
  if (format == NULL || strstr (format, "{0}") == NULL)
    return g_strdup (text);
  return format_with (format, "{0}", text, &parts->macros);
}

/* The text a block stands for, or NULL when it has none now. */
static char *
block_text (NatterPreset            *preset,
            const NatterPresetBlock *block,
            Parts                   *parts,
            const char              *summary)
{
  const char *id = block->id;
  const char *format;

  if (g_str_equal (id, "main"))
    return g_strdup (parts->main);
  if (g_str_equal (id, "jailbreak"))
    return g_strdup (parts->post_history);
  if (g_str_equal (id, "summary"))
    return g_strdup (summary);
  if (!block->marker)
    return natter_macros_expand (block->content != NULL ? block->content : "", &parts->macros);
  if (g_str_equal (id, "charDescription"))
    return g_strdup (parts->description);
  if (g_str_equal (id, "personaDescription"))
    return g_strdup (parts->persona);
  if (g_str_equal (id, "worldInfoBefore"))
    return lore_text (parts, parts->lore_before, preset);
  if (g_str_equal (id, "worldInfoAfter"))
    return lore_text (parts, parts->lore_after, preset);
  if (g_str_equal (id, "charPersonality") && parts->personality[0] != '\0')
    {
      format = natter_preset_get_string (preset, "personality_format");
      return format_with (format != NULL ? format : DEFAULT_PERSONALITY_FORMAT,
                          "{{personality}}", parts->personality, &parts->macros);
    }
  if (g_str_equal (id, "scenario") && parts->scenario[0] != '\0')
    {
      format = natter_preset_get_string (preset, "scenario_format");
      return format_with (format != NULL ? format : DEFAULT_SCENARIO_FORMAT,
                          "{{scenario}}", parts->scenario, &parts->macros);
    }
  return NULL;
}

static void
add_item (GArray      *items,
          NatterRole   role,
          const char  *name,
          const char  *content,
          gboolean     squashable)
{
  Item item = { message_new (role, name, content), squashable };

  g_array_append_val (items, item);
}

/* The history from @history_start with the in-history blocks inserted at
 * their depth (0: after the last message), as copies. */
static void
add_history (NatterPreset *preset,
             Parts        *parts,
             guint         history_start,
             const char   *summary,
             GArray       *items)
{
  GPtrArray *blocks = natter_preset_get_blocks (preset);
  guint n = parts->history->len - history_start;

  for (guint i = 0; i <= n; i++)
    {
      /* Blocks at depth n - i go before message i. */
      for (guint b = 0; b < blocks->len; b++)
        {
          NatterPresetBlock *block = g_ptr_array_index (blocks, b);
          guint depth;
          g_autofree char *text = NULL;

          if (!block->enabled || block->position != NATTER_BLOCK_IN_HISTORY)
            continue;
          depth = MIN ((guint) block->depth, n);
          if (depth != n - i)
            continue;
          text = block_text (preset, block, parts, summary);
          if (text != NULL && *text != '\0')
            add_item (items, block->role, NULL, text, FALSE);
        }
      if (i < n)
        {
          NatterPromptMessage *m = g_ptr_array_index (parts->history, history_start + i);

          switch (natter_preset_get_names_behavior (preset))
            {
            case NATTER_PRESET_NAMES_NONE:
            case NATTER_PRESET_NAMES_DEFAULT:
              add_item (items, m->role, NULL, m->content, FALSE);
              break;
            case NATTER_PRESET_NAMES_CONTENT:
              if (m->name != NULL && *m->name != '\0' && m->role != NATTER_ROLE_SYSTEM)
                {
                  g_autofree char *named = g_strdup_printf ("%s: %s", m->name, m->content);

                  add_item (items, m->role, NULL, named, FALSE);
                  break;
                }
              add_item (items, m->role, NULL, m->content, FALSE);
              break;
            case NATTER_PRESET_NAMES_UNSET:
            case NATTER_PRESET_NAMES_COMPLETION:
            default:
              add_item (items, m->role, m->name, m->content, FALSE);
              break;
            }
          natter_prompt_message_copy_attachments (g_array_index (items, Item, items->len - 1).message, m);
          /* An earlier reply's tool calls and results go with its text. */
          natter_prompt_message_copy_tools (g_array_index (items, Item, items->len - 1).message, m);
        }
    }
}

static void
add_blocks (NatterPreset        *preset,
            Parts               *parts,
            NatterBlockPosition  position,
            guint                n_examples,
            const char          *summary,
            GArray              *items)
{
  GPtrArray *blocks = natter_preset_get_blocks (preset);

  for (guint b = 0; b < blocks->len; b++)
    {
      NatterPresetBlock *block = g_ptr_array_index (blocks, b);
      g_autofree char *text = NULL;

      if (!block->enabled || block->position != position)
        continue;
      if (g_str_equal (block->id, "dialogueExamples"))
        {
          for (guint i = 0; i < n_examples; i++)
            add_item (items, NATTER_ROLE_SYSTEM, NULL,
                      g_ptr_array_index (parts->examples_chat, i), FALSE);
          continue;
        }
      if (g_str_equal (block->id, "chatHistory"))
        continue;
      text = block_text (preset, block, parts, summary);
      if (text != NULL && *text != '\0')
        add_item (items, block->role, NULL, text,
                  block->role == NATTER_ROLE_SYSTEM && !g_str_equal (block->id, "summary"));
    }
}

static gboolean
has_block (NatterPreset *preset,
           const char   *id)
{
  NatterPresetBlock *block = natter_preset_find_block (preset, id);

  return block != NULL && block->enabled;
}

void
_natter_prompt_blocks_assemble (NatterPreset *preset,
                                Parts        *parts,
                                guint         n_examples,
                                guint         history_start,
                                const char   *summary,
                                const char   *nudge,
                                const char   *prefill,
                                GPtrArray    *messages)
{
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (Item));
  gboolean squash = natter_preset_get_boolean (preset, "squash_system_messages", FALSE);

  add_blocks (preset, parts, NATTER_BLOCK_BEFORE_HISTORY, n_examples, summary, items);
  if (summary != NULL && !has_block (preset, "summary"))
    add_item (items, NATTER_ROLE_SYSTEM, NULL, summary, FALSE);
  add_history (preset, parts, history_start, summary, items);
  add_blocks (preset, parts, NATTER_BLOCK_AFTER_HISTORY, n_examples, summary, items);
  if (nudge != NULL)
    add_item (items, NATTER_ROLE_SYSTEM, NULL, nudge, FALSE);
  if (prefill != NULL)
    add_item (items, NATTER_ROLE_ASSISTANT, NULL, prefill, FALSE);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);
      NatterPromptMessage *last = messages->len > 0
                                  ? g_ptr_array_index (messages, messages->len - 1) : NULL;

      if (squash && item->squashable && i > 0 && g_array_index (items, Item, i - 1).squashable &&
          last != NULL)
        {
          char *joined = g_strconcat (last->content, "\n\n", item->message->content, NULL);

          g_free (last->content);
          last->content = joined;
          natter_prompt_message_free (item->message);
        }
      else
        g_ptr_array_add (messages, item->message);
    }
}

void
_natter_prompt_blocks_text_messages (NatterPreset *preset,
                                     Parts        *parts,
                                     guint         history_start,
                                     const char   *summary,
                                     const char   *nudge,
                                     GPtrArray    *messages,
                                     GPtrArray    *owned)
{
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (Item));
  GPtrArray *blocks = natter_preset_get_blocks (preset);

  /* The story string holds what goes before the history, except the
   * summary and custom blocks of the preset's own. */
  if (summary != NULL)
    add_item (items, NATTER_ROLE_SYSTEM, NULL, summary, FALSE);
  add_history (preset, parts, history_start, summary, items);
  for (guint b = 0; b < blocks->len; b++)
    {
      NatterPresetBlock *block = g_ptr_array_index (blocks, b);
      g_autofree char *text = NULL;

      if (!block->enabled || block->position != NATTER_BLOCK_AFTER_HISTORY)
        continue;
      text = block_text (preset, block, parts, summary);
      if (text != NULL && *text != '\0')
        add_item (items, block->role, NULL, text, FALSE);
    }
  if (nudge != NULL)
    add_item (items, NATTER_ROLE_SYSTEM, NULL, nudge, FALSE);
  for (guint i = 0; i < items->len; i++)
    {
      NatterPromptMessage *m = g_array_index (items, Item, i).message;

      g_ptr_array_add (owned, m);
      g_ptr_array_add (messages, m);
    }
}
