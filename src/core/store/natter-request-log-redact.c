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


/* Base64 elision */

/* Shorter runs are kept: ids, signatures and hashes are not images. */
#define MIN_ELIDED_RUN 512

static inline gboolean
is_base64_char (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
}

char *
_natter_log_elide_base64_take (char *text)
{
  GString *out = NULL;
  const char *p, *copied;

  if (text == NULL)
    return NULL;

  copied = text;
  for (p = text; *p != '\0';)
    {
      const char *start = p;

      while (is_base64_char (*p))
        p++;
      if (p - start >= MIN_ELIDED_RUN)
        {
          if (out == NULL)
            out = g_string_sized_new (1024);
          g_string_append_len (out, copied, start - copied);
          g_string_append_printf (out, "[base64: %" G_GSIZE_FORMAT " characters]", (gsize) (p - start));
          copied = p;
        }
      if (*p != '\0' && p == start)
        p++;
    }

  if (out == NULL)
    return text;
  g_string_append (out, copied);
  g_free (text);
  return g_string_free (out, FALSE);
}
