/* natter-test-tools.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-tool-loop.h"

G_BEGIN_DECLS

/* A tool host for tests, with three tools:
 *   weather__get (server "weather", tool "get"): answers {"temp":3,"city":…}
 *     with the "city" argument;
 *   slow__wait: never answers until cancelled;
 *   broken__fail: fails with an error. */
#define NATTER_TYPE_TEST_TOOL_HOST (natter_test_tool_host_get_type ())
G_DECLARE_FINAL_TYPE (NatterTestToolHost, natter_test_tool_host, NATTER, TEST_TOOL_HOST, GObject)

NatterTestToolHost *natter_test_tool_host_new         (void);
/* The calls run so far, "name arguments" each. */
GPtrArray          *natter_test_tool_host_get_calls   (NatterTestToolHost *self);
guint               natter_test_tool_host_get_n_cancelled (NatterTestToolHost *self);

/* An approver that answers from a script, and counts how often it was asked. */
#define NATTER_TYPE_TEST_APPROVER (natter_test_approver_get_type ())
G_DECLARE_FINAL_TYPE (NatterTestApprover, natter_test_approver, NATTER, TEST_APPROVER, GObject)

NatterTestApprover *natter_test_approver_new       (NatterToolDecision  decision);
guint               natter_test_approver_get_asked (NatterTestApprover *self);
/* "server/tool" of the last call asked about. */
const char         *natter_test_approver_get_last  (NatterTestApprover *self);

G_END_DECLS
