/* natter-lore-regex.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Regular expressions from lorebook keys, which come with downloaded
 * cards: compiled once per pattern (a process-wide cache) and matched with
 * low backtracking limits, so one catastrophic pattern costs milliseconds,
 * not seconds. */
typedef struct _NatterLoreRegex NatterLoreRegex;

typedef enum
{
  NATTER_LORE_REGEX_CASELESS  = 1 << 0,
  NATTER_LORE_REGEX_DOTALL    = 1 << 1,
  NATTER_LORE_REGEX_MULTILINE = 1 << 2,
  NATTER_LORE_REGEX_EXTENDED  = 1 << 3,
} NatterLoreRegexFlags;

typedef enum
{
  NATTER_LORE_MATCH_NO,
  NATTER_LORE_MATCH_YES,
  NATTER_LORE_MATCH_LIMIT,   /* gave up: the pattern backtracks too much */
} NatterLoreMatch;

/* A new reference, or NULL with @error set when @pattern does not compile. */
NatterLoreRegex *natter_lore_regex_get   (const char            *pattern,
                                          NatterLoreRegexFlags   flags,
                                          GError               **error);
NatterLoreRegex *natter_lore_regex_ref   (NatterLoreRegex       *self);
void             natter_lore_regex_unref (NatterLoreRegex       *self);
NatterLoreMatch  natter_lore_regex_match (NatterLoreRegex       *self,
                                          const char            *subject);
/* How many patterns were compiled (not found in the cache) so far. */
guint            natter_lore_regex_get_n_compiled (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterLoreRegex, natter_lore_regex_unref)

G_END_DECLS
