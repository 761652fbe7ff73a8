/* natter-tool-assembler.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-delta.h"
#include "natter-tool.h"

G_BEGIN_DECLS

/* Puts a stream's TOOL_CALL deltas together into whole calls, whatever the
 * dialect: pieces are keyed by tool_index (OpenAI's index, Anthropic's and
 * Bedrock's content block index, a per-stream count for dialects that send
 * whole calls); a piece with another call id at an index already in use
 * starts a new call (servers that number every call 0). A piece with only
 * a signature (no call at its index) gives it to the next call. Bounded: at most
 * NATTER_TOOL_ASSEMBLER_MAX_CALLS calls of NATTER_TOOL_ASSEMBLER_MAX_ARGS
 * bytes of arguments each; what goes beyond is dropped and noted. */
#define NATTER_TOOL_ASSEMBLER_MAX_CALLS 64
#define NATTER_TOOL_ASSEMBLER_MAX_ARGS  (1024 * 1024)

typedef struct _NatterToolAssembler NatterToolAssembler;

NatterToolAssembler *natter_tool_assembler_new       (void);
void                 natter_tool_assembler_free      (NatterToolAssembler *self);
/* @delta must be a NATTER_DELTA_TOOL_CALL. */
void                 natter_tool_assembler_add       (NatterToolAssembler *self,
                                                      const NatterDelta   *delta);
gboolean             natter_tool_assembler_is_empty  (NatterToolAssembler *self);
/* TRUE when something was dropped for the limits. */
gboolean             natter_tool_assembler_truncated (NatterToolAssembler *self);
/* The calls in the order they started (element-type NatterToolCall, new
 * array): calls without a name are left out, a call without an id gets
 * "call_natter_N", empty arguments become "{}". */
GPtrArray           *natter_tool_assembler_finish    (NatterToolAssembler *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterToolAssembler, natter_tool_assembler_free)

G_END_DECLS
