/* natter-prompt-depth.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-prompt-builder"

#include "config.h"

#include "natter-prompt-builder-private.h"

static gboolean
is_injected (Parts *parts,
             guint  index)
{
  return parts->injected != NULL &&
         g_ptr_array_find (parts->injected, g_ptr_array_index (parts->history, index), NULL);
}

/* Inserts @content above the last @depth messages of the chat (what was
 * inserted before does not count). */
static void
insert_role_at (Parts      *parts,
                int         depth,
                NatterRole  role,
                const char *content)
{
  NatterPromptMessage *m = natter_prompt_message_new (role, content);
  guint at = parts->history->len;
  int real = 0;

  while (at > 0 && real < depth)
    {
      at--;
      if (!is_injected (parts, at))
        real++;
    }
  g_ptr_array_insert (parts->history, at, m);
  if (parts->injected == NULL)
    parts->injected = g_ptr_array_new ();
  g_ptr_array_add (parts->injected, m);
}

static void
insert_at (Parts      *parts,
           int         depth,
           const char *content)
{
  insert_role_at (parts, depth, NATTER_ROLE_SYSTEM, content);
}

static void
append_lore (GString            *text,
             Parts              *parts,
             NatterLorePosition  position)
{
  for (guint i = 0; parts->lore != NULL && i < parts->lore->len; i++)
    {
      NatterLoreEntry *entry = g_ptr_array_index (parts->lore, i);
      g_autofree char *content = NULL;

      if (entry->position != position)
        continue;
      content = natter_macros_expand (entry->content, &parts->macros);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, content);
    }
}

static void
append_text (GString    *text,
             const char *part)
{
  if (part == NULL || part[0] == '\0')
    return;
  if (text->len > 0)
    g_string_append_c (text, '\n');
  g_string_append (text, part);
}

void
_natter_prompt_inject_note (Parts *parts,
                            int    persona_depth)
{
  /* As SillyTavern: the entries at the top, the note, the entries at the
   * bottom, one message at the note's depth; the persona before or after
   * the note's text. */
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *persona = NULL;

  if ((persona_depth == NATTER_PROMPT_PERSONA_NOTE_TOP ||
       persona_depth == NATTER_PROMPT_PERSONA_NOTE_BOTTOM) && parts->persona != NULL)
    {
      persona = g_strdup (parts->persona);
      parts->persona[0] = '\0';
    }
  append_lore (text, parts, NATTER_LORE_POSITION_AN_TOP);
  if (persona_depth == NATTER_PROMPT_PERSONA_NOTE_TOP)
    append_text (text, persona);
  append_text (text, parts->note);
  if (persona_depth == NATTER_PROMPT_PERSONA_NOTE_BOTTOM)
    append_text (text, persona);
  append_lore (text, parts, NATTER_LORE_POSITION_AN_BOTTOM);
  if (text->len == 0)
    return;
  insert_role_at (parts, parts->note_depth,
                  parts->note != NULL ? parts->note_role : NATTER_ROLE_SYSTEM, text->str);
}

static int
cmp_deeper_first (gconstpointer a,
                  gconstpointer b)
{
  return *(const int *) b - *(const int *) a;
}

void
_natter_prompt_inject_at_depth (Parts *parts,
                                int    persona_depth)
{
  /* Deepest first, so that a shallower one lands below it; entries at
   * one depth are joined like the lore before and after the card. */
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; parts->lore != NULL && i < parts->lore->len; i++)
    {
      NatterLoreEntry *entry = g_ptr_array_index (parts->lore, i);
      gboolean seen = FALSE;

      if (entry->position != NATTER_LORE_POSITION_AT_DEPTH)
        continue;
      for (guint k = 0; k < depths->len; k++)
        seen |= g_array_index (depths, int, k) == entry->depth;
      if (!seen)
        g_array_append_val (depths, entry->depth);
    }
  g_array_sort (depths, cmp_deeper_first);

  for (guint k = 0; k < depths->len; k++)
    {
      int depth = g_array_index (depths, int, k);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < parts->lore->len; i++)
        {
          NatterLoreEntry *entry = g_ptr_array_index (parts->lore, i);
          g_autofree char *content = NULL;

          if (entry->position != NATTER_LORE_POSITION_AT_DEPTH || entry->depth != depth)
            continue;
          content = natter_macros_expand (entry->content, &parts->macros);
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, content);
        }
      insert_at (parts, depth, text->str);
    }

  if (persona_depth >= 0 && parts->persona != NULL && parts->persona[0] != '\0')
    {
      insert_at (parts, persona_depth, parts->persona);
      parts->persona[0] = '\0';
    }
}

guint
_natter_prompt_history_count (Parts *parts,
                              guint  start)
{
  guint n = parts->history->len > start ? parts->history->len - start : 0;

  for (guint i = start; parts->injected != NULL && i < parts->history->len; i++)
    if (is_injected (parts, i))
      n--;
  return n;
}
