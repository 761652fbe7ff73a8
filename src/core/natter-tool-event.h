/* natter-tool-event.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "natter-tool.h"

G_BEGIN_DECLS

/* How one call ended. */
typedef enum
{
  NATTER_TOOL_OUTCOME_RUNNING,    /* asked, not answered yet */
  NATTER_TOOL_OUTCOME_OK,
  NATTER_TOOL_OUTCOME_ERROR,      /* the tool failed, or there is no such tool */
  NATTER_TOOL_OUTCOME_DENIED,
  NATTER_TOOL_OUTCOME_TIMED_OUT,
  NATTER_TOOL_OUTCOME_CANCELLED,
} NatterToolOutcome;

const char        *natter_tool_outcome_to_string   (NatterToolOutcome outcome);
NatterToolOutcome  natter_tool_outcome_from_string (const char       *text);

/* One call of a reply and what came of it: shown in the chat, stored with
 * the reply. */
typedef struct
{
  NatterToolCall    *call;
  char              *server;   /* nullable */
  char              *tool;     /* the server's own name for it, nullable */
  NatterToolOutcome  outcome;
  char              *result;   /* what the model was sent back, nullable while running */
} NatterToolEvent;

NatterToolEvent *natter_tool_event_copy (const NatterToolEvent *event);
void             natter_tool_event_free (NatterToolEvent       *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterToolEvent, natter_tool_event_free)

/* Events (element-type NatterToolEvent) as JSON text and back (a new
 * array, empty on anything unreadable: stored data is hostile too). */
char      *natter_tool_events_to_json   (GPtrArray  *events);
GPtrArray *natter_tool_events_from_json (const char *json);

G_END_DECLS
