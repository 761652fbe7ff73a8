/* natter-tool-approval-dialog.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-tool-approver.h"

G_BEGIN_DECLS

/* Asks the person before a tool runs: which tool of which server, with
 * which arguments (pretty-printed), and Allow Once / Always Allow This Tool
 * / Deny. Closing it denies. */
#define NATTER_TYPE_TOOL_APPROVAL_DIALOG (natter_tool_approval_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NatterToolApprovalDialog, natter_tool_approval_dialog, NATTER, TOOL_APPROVAL_DIALOG, AdwMessageDialog)

/* @chat_title (nullable): the chat the call is for (a reply may go on in
 * a chat that is not shown). */
NatterToolApprovalDialog *natter_tool_approval_dialog_new        (GtkWindow            *parent,
                                                                  const char           *chat_title,
                                                                  const NatterToolSpec *spec,
                                                                  const NatterToolCall *call);
/* The shown arguments (tests). */
const char               *natter_tool_approval_dialog_get_arguments (NatterToolApprovalDialog *self);
/* The decision a response id stands for ("once", "always", anything else: deny). */
NatterToolDecision        natter_tool_approval_decision_for       (const char           *response);

G_END_DECLS
