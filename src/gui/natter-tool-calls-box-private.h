/* natter-tool-calls-box-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-chat-store.h"
#include "natter-message-item.h"

G_BEGIN_DECLS

/* The tool calls of a reply, one collapsed block each: its title says
 * which tool of which server and how it ended (running, done, failed,
 * denied, timed out, stopped); expanded, it shows the arguments and the
 * result, pretty-printed and selectable. */
#define NATTER_TYPE_TOOL_CALLS_BOX (natter_tool_calls_box_get_type ())
G_DECLARE_FINAL_TYPE (NatterToolCallsBox, natter_tool_calls_box, NATTER, TOOL_CALLS_BOX, GtkWidget)

GtkWidget *natter_tool_calls_box_new        (void);
/* @json: natter_tool_events_to_json() text, NULL or "" for none. */
void       natter_tool_calls_box_set_events (NatterToolCallsBox *self,
                                             const char         *json);
guint      natter_tool_calls_box_get_n_calls (NatterToolCallsBox *self);
/* The expander of call @index (tests). */
GtkExpander *natter_tool_calls_box_get_expander (NatterToolCallsBox *self,
                                                 guint               index);

/* Gives a reply's item the tool calls kept with it (nothing for other items). */
void _natter_tool_calls_load (NatterChatStore   *store,
                              NatterMessageItem *item);

G_END_DECLS
