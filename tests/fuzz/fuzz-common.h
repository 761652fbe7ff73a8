/* fuzz-common.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What every libFuzzer target shares: the entry point's prototype and a
 * check that aborts (a finding) when a promise is broken. */

#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static inline void
fuzz_check (gboolean    condition,
            const char *what)
{
  if (!condition)
    {
      g_printerr ("fuzz: invariant broken: %s\n", what);
      abort ();
    }
}
