/* natter-cli-output.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The one stream printer of natter-cli: the reply's text to standard
 * output, its reasoning to standard error (dim on a terminal), written as
 * deltas arrive and flushed once per network chunk. */

#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "natter-cli-private.h"

static gboolean
cli_output_flush_cb (gpointer user_data)
{
  CliOutput *out = user_data;

  out->flush_id = 0;
  if (out->stderr_dirty)
    fflush (stderr);
  if (out->stdout_dirty && fflush (stdout) == EOF && errno == EPIPE)
    {
      /* Whoever read our output stopped (natter-cli chat … | head): stop
       * the stream too instead of paying for the rest of it. */
      out->stdout_closed = TRUE;
      g_cancellable_cancel (out->cancellable);
    }
  out->stdout_dirty = out->stderr_dirty = FALSE;
  return G_SOURCE_REMOVE;
}

void
cli_output_end_reasoning (CliOutput *out)
{
  if (!out->in_reasoning)
    return;
  out->in_reasoning = FALSE;
  if (out->dim)
    fputs ("\033[0m", stderr);
  fputc ('\n', stderr);
  out->stderr_dirty = TRUE;
}

/* Per delta: only buffered writes. The flush runs once the current network
 * chunk has been processed (a source at default priority). */
void
cli_output_on_delta (const NatterDelta *delta,
               gpointer           user_data)
{
  CliOutput *out = user_data;

  switch (delta->kind)
    {
    case NATTER_DELTA_TEXT:
      if (delta->len == 0)
        return;
      if (G_UNLIKELY (out->in_reasoning))
        cli_output_end_reasoning (out);
      fwrite (delta->text, 1, delta->len, stdout);
      out->ends_with_newline = delta->text[delta->len - 1] == '\n';
      out->wrote_text = TRUE;
      out->stdout_dirty = TRUE;
      break;

    case NATTER_DELTA_REASONING:
      if (delta->len == 0)
        return;
      if (!out->in_reasoning)
        {
          out->in_reasoning = TRUE;
          if (out->dim)
            fputs ("\033[2m", stderr);
        }
      fwrite (delta->text, 1, delta->len, stderr);
      out->stderr_dirty = TRUE;
      break;

    default:
      return;
    }

  if (out->flush_id == 0)
    out->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT, cli_output_flush_cb, out, NULL);
}

void
cli_output_end (CliOutput *out)
{
  g_clear_handle_id (&out->flush_id, g_source_remove);
  cli_output_end_reasoning (out);
  if (out->wrote_text && !out->ends_with_newline)
    fputc ('\n', stdout);
  fflush (stderr);
  fflush (stdout);
}
