/* fuzz-common.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What every libFuzzer target shares: the entry point's prototype, a
 * check that aborts (a finding) when a promise is broken, and a log
 * writer that turns a GLib critical (a broken precondition) into an abort
 * too, which libFuzzer catches and saves the input of (G_DEBUG's
 * fatal-criticals traps instead, and the input is lost). */

#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput out = g_log_writer_default (level, fields, n_fields, user_data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    abort ();
  return out;
}

__attribute__((constructor)) static void
fuzz_log_setup (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

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
