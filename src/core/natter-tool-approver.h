/* natter-tool-approver.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-tool.h"

G_BEGIN_DECLS

/* What the person decided about one tool call. */
typedef enum
{
  NATTER_TOOL_DENY,
  NATTER_TOOL_ALLOW_ONCE,
  NATTER_TOOL_ALLOW_ALWAYS,  /* this tool, for the rest of the loop and whatever the approver keeps */
} NatterToolDecision;

/* Asks the person before a tool runs: the GUI shows a dialog, natter-cli
 * asks on the terminal or follows --allow-tool. */
#define NATTER_TYPE_TOOL_APPROVER (natter_tool_approver_get_type ())
G_DECLARE_INTERFACE (NatterToolApprover, natter_tool_approver, NATTER, TOOL_APPROVER, GObject)

struct _NatterToolApproverInterface
{
  GTypeInterface parent_iface;

  void               (*approve_async)  (NatterToolApprover   *approver,
                                        const NatterToolSpec *spec,
                                        const NatterToolCall *call,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
  NatterToolDecision (*approve_finish) (NatterToolApprover   *approver,
                                        GAsyncResult         *result,
                                        GError              **error);
};

/* @spec: the tool (server, the server's own name, description); @call: the
 * name sent to the model and the arguments as JSON text. An error counts as
 * a denial. */
void               natter_tool_approver_approve_async  (NatterToolApprover   *approver,
                                                        const NatterToolSpec *spec,
                                                        const NatterToolCall *call,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
NatterToolDecision natter_tool_approver_approve_finish (NatterToolApprover   *approver,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
