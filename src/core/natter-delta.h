/* natter-delta.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-types.h"

G_BEGIN_DECLS

/* What a stream yields, whatever the dialect. */
typedef enum
{
  NATTER_DELTA_TEXT,        /* text, len: a piece of the answer */
  NATTER_DELTA_REASONING,   /* text, len: a piece of the reasoning ("thinking") */
  NATTER_DELTA_TOOL_CALL,   /* tool_index, tool_id?, tool_name?, text/len = argument fragment */
  NATTER_DELTA_USAGE,       /* input_tokens / output_tokens (-1 when unknown), cache_read_tokens /
                             * cache_write_tokens (part of input_tokens, -1 when unknown), cost
                             * (US dollars the provider charged, < 0 when unknown) */
  NATTER_DELTA_FINISH,      /* finish_reason ("stop", "length", "end_turn", …) */
  NATTER_DELTA_ERROR,       /* error_category, error_message: an error event inside the stream */
  NATTER_DELTA_DONE,        /* the dialect's terminator was seen; the stream is complete */
} NatterDeltaKind;

/* Borrowed view: every pointer is valid only during the callback. */
typedef struct
{
  NatterDeltaKind      kind;
  const char          *text;
  gsize                len;
  int                  tool_index;
  const char          *tool_id;
  const char          *tool_name;
  gint64               input_tokens;
  gint64               output_tokens;
  gint64               cache_read_tokens;
  gint64               cache_write_tokens;
  double               cost;
  const char          *finish_reason;
  NatterErrorCategory  error_category;
  const char          *error_message;
  const char          *tool_signature;  /* TOOL_CALL: a value to echo back (Gemini thoughtSignature), nullable */
} NatterDelta;

typedef void (*NatterDeltaFunc) (const NatterDelta *delta,
                                 gpointer           user_data);

/* Initializes @delta to @kind with everything else empty (tokens -1). */
void natter_delta_init (NatterDelta     *delta,
                        NatterDeltaKind  kind);

G_END_DECLS
