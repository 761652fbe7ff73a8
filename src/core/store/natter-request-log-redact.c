/* natter-request-log-redact.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE  /* memmem */
#define G_LOG_DOMAIN "natter-request-log"

#include "config.h"

#include <string.h>

#include "natter-request-log-private.h"

#define REDACTED "REDACTED"

/* Secrets shorter than this are not scrubbed from free text: they would
 * redact ordinary words (same rule as natter_redact_secret()). */
#define MIN_SCRUB_LEN 4

/* Secret scrubbing */

gboolean
_natter_log_secret_usable (const char *secret)
{
  return secret != NULL && strlen (secret) >= MIN_SCRUB_LEN;
}

/* Replaces every occurrence of @secret in @buffer (binary-safe). */
void
_natter_log_scrub_gstring (GString    *buffer,
                           const char *secret)
{
  gsize secret_len;
  gsize pos = 0;

  if (!_natter_log_secret_usable (secret))
    return;

  secret_len = strlen (secret);

  while (pos + secret_len <= buffer->len)
    {
      const char *hit = memmem (buffer->str + pos, buffer->len - pos, secret, secret_len);
      gsize at;

      if (hit == NULL)
        break;

      at = hit - buffer->str;
      g_string_erase (buffer, at, secret_len);
      g_string_insert_len (buffer, at, REDACTED, strlen (REDACTED));
      pos = at + strlen (REDACTED);
    }
}

char *
_natter_log_scrub_take (char       *text,
                        const char *secret)
{
  char *scrubbed;

  if (text == NULL || !_natter_log_secret_usable (secret))
    return text;

  scrubbed = natter_redact_secret (text, secret);
  g_free (text);

  return scrubbed;
}

