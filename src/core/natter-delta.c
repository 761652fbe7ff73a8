/* natter-delta.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "natter-delta.h"

void
natter_delta_init (NatterDelta     *delta,
                   NatterDeltaKind  kind)
{
  memset (delta, 0, sizeof *delta);
  delta->kind = kind;
  delta->tool_index = -1;
  delta->input_tokens = -1;
  delta->output_tokens = -1;
  delta->cache_read_tokens = -1;
  delta->cache_write_tokens = -1;
  delta->cost = -1;
}
