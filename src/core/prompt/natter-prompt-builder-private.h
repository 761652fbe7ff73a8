/* natter-prompt-builder-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-macros.h"
#include "natter-preset.h"
#include "natter-prompt-builder.h"

G_BEGIN_DECLS

/* The parts of one build, all macro-expanded. */
typedef struct
{
  NatterMacroContext  macros;
  char               *main;
  char               *description;
  char               *personality;
  char               *scenario;
  char               *persona;
  char               *post_history;
  char               *lore_before;
  char               *lore_after;
  GPtrArray          *examples_raw;     /* char*: blocks as written */
  GPtrArray          *examples_chat;    /* char*: "[Example Chat]\n" + expanded block */
  GPtrArray          *history;          /* NatterPromptMessage, expanded */
  GPtrArray          *lore;             /* NatterLoreEntry */
  gboolean            lore_time_out;
  char               *nudge;            /* nullable */
  char               *note;             /* the author's note, expanded, or NULL */
  int                 note_depth;
  NatterRole          note_role;
  GPtrArray          *injected;         /* NatterPromptMessage in history put there by the builder, or NULL */
} Parts;

/* natter-prompt-depth.c: puts the lore entries at a depth and, with
 * @persona_depth >= 0, the persona's description (then taken out of
 * parts->persona) into parts->history as system messages, depth N landing
 * N messages above the end. */
void  _natter_prompt_inject_at_depth     (Parts        *parts,
                                          int           persona_depth);
/* Puts the author's note (parts->note when set) with the lore entries
 * at its top and bottom, and with @persona_depth
 * NATTER_PROMPT_PERSONA_NOTE_TOP/BOTTOM the persona's description (then
 * taken out of parts->persona), into parts->history. */
void  _natter_prompt_inject_note         (Parts        *parts,
                                          int           persona_depth);
/* How many of the history messages from @start on are real ones. */
guint _natter_prompt_history_count       (Parts        *parts,
                                          guint         start);

/* The chat form in the order and places of @preset's blocks: before the
 * history, the history with in-history blocks at their depth, after it.
 * @summary, @nudge and @prefill (a final assistant message) nullable. */
void _natter_prompt_blocks_assemble      (NatterPreset *preset,
                                          Parts        *parts,
                                          guint         n_examples,
                                          guint         history_start,
                                          const char   *summary,
                                          const char   *nudge,
                                          const char   *prefill,
                                          GPtrArray    *messages);
/* The messages of the text form: the history with in-history blocks, the
 * summary before it and after-history blocks and @nudge after it. New
 * messages are added to @owned, which @messages points into. */
void _natter_prompt_blocks_text_messages (NatterPreset *preset,
                                          Parts        *parts,
                                          guint         history_start,
                                          const char   *summary,
                                          const char   *nudge,
                                          GPtrArray    *messages,
                                          GPtrArray    *owned);

G_END_DECLS
