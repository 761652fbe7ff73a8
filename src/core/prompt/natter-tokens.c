/* natter-tokens.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "natter-tokens.h"

gint64
natter_tokens_estimate (const char *text)
{
  gint64 bytes;

  if (text == NULL)
    return 0;

  bytes = (gint64) strlen (text);

  /* ceil (bytes / 3.5) == ceil (2 * bytes / 7) */
  return (2 * bytes + 6) / 7;
}

gint64
natter_tokens_estimate_message (const char *content)
{
  return natter_tokens_estimate (content) + NATTER_TOKENS_PER_MESSAGE;
}
