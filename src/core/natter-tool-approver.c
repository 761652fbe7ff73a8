/* natter-tool-approver.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-tool-approver"

#include "config.h"

#include "natter-tool-approver.h"

G_DEFINE_INTERFACE (NatterToolApprover, natter_tool_approver, G_TYPE_OBJECT)

static void
natter_tool_approver_default_init (NatterToolApproverInterface *iface)
{
}

void
natter_tool_approver_approve_async (NatterToolApprover   *approver,
                                    const NatterToolSpec *spec,
                                    const NatterToolCall *call,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_return_if_fail (NATTER_IS_TOOL_APPROVER (approver));
  g_return_if_fail (spec != NULL && call != NULL);

  NATTER_TOOL_APPROVER_GET_IFACE (approver)->approve_async (approver, spec, call, cancellable,
                                                            callback, user_data);
}

NatterToolDecision
natter_tool_approver_approve_finish (NatterToolApprover  *approver,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  g_return_val_if_fail (NATTER_IS_TOOL_APPROVER (approver), NATTER_TOOL_DENY);

  return NATTER_TOOL_APPROVER_GET_IFACE (approver)->approve_finish (approver, result, error);
}
