/* natter-lorebook.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define NATTER_LOREBOOK_ERROR (natter_lorebook_error_quark ())
GQuark natter_lorebook_error_quark (void);

typedef enum
{
  NATTER_LOREBOOK_ERROR_INVALID,   /* not a lorebook: wrong JSON shape */
} NatterLorebookError;

typedef enum
{
  NATTER_LORE_POSITION_BEFORE_CHAR,   /* {{wiBefore}}: before the character description */
  NATTER_LORE_POSITION_AFTER_CHAR,    /* {{wiAfter}}: after the scenario */
  NATTER_LORE_POSITION_AT_DEPTH,      /* a system message @depth messages above the end */
  NATTER_LORE_POSITION_AN_TOP,        /* before the author's note text */
  NATTER_LORE_POSITION_AN_BOTTOM,     /* after the author's note text */
} NatterLorePosition;

/* An activated entry, for the prompt builder. */
typedef struct
{
  char               *content;          /* as written; macros not expanded */
  char               *comment;          /* the entry's name or comment, "" when none */
  NatterLorePosition  position;
  int                 insertion_order;
  int                 priority;
  gint64              tokens;           /* natter_tokens_estimate (content) */
  gboolean            constant;
  char               *matched_key;      /* the key that fired it as written; NULL when constant */
  int                 depth;            /* for NATTER_LORE_POSITION_AT_DEPTH */
} NatterLoreEntry;

NatterLoreEntry *natter_lore_entry_copy (const NatterLoreEntry *entry);
void             natter_lore_entry_free (NatterLoreEntry       *entry);

#define NATTER_TYPE_LOREBOOK (natter_lorebook_get_type ())
G_DECLARE_FINAL_TYPE (NatterLorebook, natter_lorebook, NATTER, LOREBOOK, GObject)

/* One or more books whose entries activate together (a character's own
 * book plus books attached to the chat). */
NatterLorebook *natter_lorebook_new            (void);

/* Adds a book: a Character Card V2 `character_book` object (entries array
 * with keys, secondary_keys, selective, constant, enabled, insertion_order,
 * priority, position "before_char"/"after_char", case_sensitive,
 * extensions; book-level scan_depth, token_budget, recursive_scanning) or
 * a SillyTavern world book (entries object keyed by uid, with key,
 * keysecondary, order, disable, numeric position). FALSE with
 * NATTER_LOREBOOK_ERROR_INVALID when @book is neither; then nothing of it
 * is added. */
gboolean        natter_lorebook_add_book       (NatterLorebook  *self,
                                                JsonObject      *book,
                                                GError         **error);
gboolean        natter_lorebook_add_book_json  (NatterLorebook  *self,
                                                const char      *json,
                                                GError         **error);
guint           natter_lorebook_get_n_entries  (NatterLorebook  *self);

/* Which entries the chat activates. @history holds the message texts,
 * oldest first. An entry activates when
 *   - it is constant (and enabled), or
 *   - one of its keys occurs in the last scan_depth messages (the entry's
 *     extensions.scan_depth, else its book's scan_depth, else 2) and, when
 *     selective with secondary keys, the secondary keys agree
 *     (extensions.selectiveLogic: 0 any, 1 not all, 2 none, 3 all).
 * Keys match case-insensitively (case_sensitive to change) and as whole
 * words (extensions.match_whole_words false to match inside words); a key
 * written /pattern/flags is a regular expression (flags i, s, m, x).
 * Disabled entries never activate. With recursive_scanning the content of
 * activated entries is scanned again for further keys.
 * Each book's token_budget, then @budget (<= 0: none) over all books, is
 * enforced by dropping entries with the lowest priority, then the lowest
 * insertion_order, first. The result (element-type NatterLoreEntry) is
 * sorted by insertion_order, lowest first (inserted first). */
GPtrArray      *natter_lorebook_activate       (NatterLorebook     *self,
                                                const char * const *history,
                                                gsize               n_history,
                                                gint64              budget);
/* The same; regular expression keys (compiled once, cached, matched with
 * low backtracking limits) share a time budget of a quarter second, and
 * the keys left when it runs out count as not matching:
 * @time_budget_hit (nullable) says whether that happened. */
GPtrArray      *natter_lorebook_activate_full  (NatterLorebook     *self,
                                                const char * const *history,
                                                gsize               n_history,
                                                gint64              budget,
                                                gboolean           *time_budget_hit);

G_END_DECLS
