/* natter-macros.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the macros of the character-card ecosystem stand for. Every field is
 * nullable; a NULL value expands to "" (except the names, see below).
 * Nothing here is owned by the context. */
typedef struct
{
  const char *user;            /* persona name; NULL: "User" */
  const char *char_name;       /* character name; NULL: "Assistant" */
  const char *persona;         /* persona description */
  const char *description;
  const char *personality;
  const char *scenario;
  GDateTime  *now;             /* NULL: the current local time */
  GDateTime  *last_message;    /* for {{idle_duration}}; NULL: "just now" */
  GRand      *rand;            /* for {{random}}; NULL: g_random_*() */
} NatterMacroContext;

/* Expands, case-insensitively:
 *   {{char}} {{user}} {{persona}} {{description}} {{personality}} {{scenario}}
 *   {{time}} ("3:07 PM") {{date}} ("November 22, 2026")
 *   {{idle_duration}} ("5 minutes", since @ctx->last_message)
 *   {{random:a,b,c}} and {{random::a::b::c}} (one item, uniformly)
 *   {{newline}} {{noop}} {{trim}} is left for the story string renderer
 *   <USER> <BOT> <CHAR> (the V1 card forms)
 * Macros inside the description, personality, scenario and persona values
 * are expanded too ("{{char}} is a knight"). Unknown macros and unbalanced
 * braces are left as they are. Never fails; NULL @text gives "". */
char *natter_macros_expand (const char               *text,
                            const NatterMacroContext *ctx);

/* "a few seconds", "a minute", "5 minutes", "an hour", "3 days", … */
char *natter_macros_humanize_duration (GTimeSpan span);

G_END_DECLS
