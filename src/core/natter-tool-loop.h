/* natter-tool-loop.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-client.h"
#include "natter-tool.h"
#include "natter-tool-approver.h"
#include "natter-tool-event.h"

G_BEGIN_DECLS

/* The loop of one reply: sends the prompt with the host's tools, runs the
 * calls the model asks for (each approved first, each with a time limit),
 * sends the results back, and again, until the model answers in text or
 * the round limit is reached. A structured answer (prompt->schema) is
 * checked against its schema. Every round is a request of its own in the
 * request log.
 *
 * Never an empty reply: a stream that ends in tool calls nobody can run,
 * a refusal with nothing said, the round limit or an answer that does not
 * follow the schema end in an error (NATTER_REQUEST_ERROR, BAD_REQUEST for
 * refusals, PROTOCOL otherwise) with a message for the person; the text
 * that arrived has gone through @on_delta by then.
 *
 * Signal "tool-event" (gpointer NatterToolEvent, borrowed): a call started
 * (outcome RUNNING) or ended.
 * Signal "tools-withheld" (const char *model): the host has tools, but
 * what is known of the model says it cannot call them, so none are
 * offered (see natter_tool_loop_model_takes_tools()). */
#define NATTER_TOOL_LOOP_DEFAULT_ROUNDS  8
#define NATTER_TOOL_LOOP_DEFAULT_TIMEOUT 60

#define NATTER_TYPE_TOOL_LOOP (natter_tool_loop_get_type ())
G_DECLARE_FINAL_TYPE (NatterToolLoop, natter_tool_loop, NATTER, TOOL_LOOP, GObject)

NatterToolLoop   *natter_tool_loop_new            (NatterClient          *client,
                                                   NatterProfile         *profile);
/* Both nullable. Without a host no tools are offered; without an approver
 * every call is denied. */
void              natter_tool_loop_set_host       (NatterToolLoop        *self,
                                                   NatterToolHost        *host);
void              natter_tool_loop_set_approver   (NatterToolLoop        *self,
                                                   NatterToolApprover    *approver);
/* Rounds of tool calls the loop runs (>= 1); a model that still asks for
 * tools after them ends the reply with an error (@rounds + 1 requests). */
void              natter_tool_loop_set_max_rounds (NatterToolLoop        *self,
                                                   guint                  rounds);
/* Seconds a call may take; 0: no limit of the loop's own (a host that
 * keeps its own, such as the MCP client with each server's setting). */
void              natter_tool_loop_set_timeout    (NatterToolLoop        *self,
                                                   guint                  seconds);
/* The calls so far (element-type NatterToolEvent), in order. */
GPtrArray        *natter_tool_loop_get_events     (NatterToolLoop        *self);
/* The request log entries of the rounds so far (element-type gint64), in order. */
GArray           *natter_tool_loop_get_log_entry_ids (NatterToolLoop     *self);

/* Takes @prompt. @on_delta sees the deltas of every round (and "\n\n"
 * between the text of two rounds). */
void              natter_tool_loop_run_async      (NatterToolLoop        *self,
                                                   NatterPrompt          *prompt,
                                                   const NatterGenParams *params,
                                                   NatterDeltaFunc        on_delta,
                                                   gpointer               delta_data,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
/* The whole reply: text of all rounds, usage summed, the last round's
 * finish reason and log entry (@log_entry_id, nullable, also on failure);
 * tool_calls are the calls of every round. */
NatterChatResult *natter_tool_loop_run_finish     (NatterToolLoop        *self,
                                                   GAsyncResult          *result,
                                                   gint64                *log_entry_id,
                                                   GError               **error);

/* The calls of an earlier reply (@events, element-type NatterToolEvent) as
 * they go back to the model in later requests: a new message (role
 * assistant, no text) with their calls and results, each result cut at
 * NATTER_TOOL_LOOP_HISTORY_RESULT_MAX bytes with a note; NULL when there
 * are none. */
/* FALSE when the capabilities known of @model (NULL: the profile's) on
 * @profile say it cannot call tools; TRUE when they say it can or nothing
 * is known. */
gboolean             natter_tool_loop_model_takes_tools (NatterClient  *client,
                                                         NatterProfile *profile,
                                                         const char    *model);

#define NATTER_TOOL_LOOP_HISTORY_RESULT_MAX (64 * 1024)
NatterPromptMessage *natter_tool_loop_history_message (GPtrArray *events);

G_END_DECLS
