/* natter-ndjson-framer.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-ndjson"

#include "config.h"

#include <string.h>

#include "natter-ndjson-framer.h"

/* Newline-delimited JSON (Ollama's /api/chat stream): one document per LF
 * terminated line, an optional CR before the LF, blank lines skipped. The
 * callback wants a NUL-terminated line, so every line is copied once into a
 * reused buffer; nothing is allocated per line once the buffer has grown. */

struct _NatterNdjsonFramer
{
  NatterNdjsonLineFunc  func;
  gpointer              user_data;

  char                 *buf;
  gsize                 len;
  gsize                 alloc;

  guint                 bom_matched;
  guint                 bom_done : 1;
  guint                 stopped : 1;
  guint                 overflowed : 1;
};

static const guchar bom[] = { 0xEF, 0xBB, 0xBF };

static void
append (NatterNdjsonFramer *self,
        const char         *data,
        gsize               len)
{
  if (G_UNLIKELY (self->len + len + 1 > self->alloc))
    {
      gsize alloc = MAX (self->alloc, 256);

      while (alloc < self->len + len + 1)
        alloc *= 2;
      self->buf = g_realloc (self->buf, alloc);
      self->alloc = alloc;
    }

  memcpy (self->buf + self->len, data, len);
  self->len += len;
}

NatterNdjsonFramer *
natter_ndjson_framer_new (NatterNdjsonLineFunc func,
                          gpointer             user_data)
{
  NatterNdjsonFramer *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (NatterNdjsonFramer, 1);
  self->func = func;
  self->user_data = user_data;

  return self;
}

void
natter_ndjson_framer_free (NatterNdjsonFramer *self)
{
  if (self == NULL)
    return;

  g_free (self->buf);
  g_free (self);
}

static gboolean
is_blank (const char *s,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
      return FALSE;

  return TRUE;
}

/* Dispatches the line held in the buffer and empties it. */
static gboolean
dispatch (NatterNdjsonFramer *self)
{
  gsize len = self->len;
  gboolean ret = TRUE;

  self->len = 0;

  if (len > 0 && self->buf[len - 1] == '\r')
    len--;

  if (!is_blank (self->buf, len))
    {
      self->buf[len] = '\0';
      ret = self->func (self->buf, len, self->user_data);
    }

  return ret;
}

gboolean
natter_ndjson_framer_feed (NatterNdjsonFramer *self,
                           const char         *data,
                           gsize               len)
{
  const char *p, *end;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (self->stopped)
    return FALSE;

  p = data;
  end = data + len;

  if (G_UNLIKELY (!self->bom_done))
    {
      while (p < end && self->bom_matched < sizeof bom &&
             (guchar) *p == bom[self->bom_matched])
        {
          self->bom_matched++;
          p++;
        }

      if (self->bom_matched == sizeof bom)
        self->bom_done = TRUE;
      else if (p < end)
        {
          append (self, (const char *) bom, self->bom_matched);
          self->bom_done = TRUE;
        }
    }

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);

      if (G_UNLIKELY (self->len + (gsize) ((eol != NULL ? eol : end) - p) >
                      NATTER_FRAMER_MAX_EVENT_SIZE))
        {
          self->overflowed = TRUE;
          self->stopped = TRUE;
          return FALSE;
        }

      if (eol == NULL)
        {
          append (self, p, end - p);
          break;
        }

      append (self, p, eol - p);
      p = eol + 1;

      if (!dispatch (self))
        {
          self->stopped = TRUE;
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
natter_ndjson_framer_finish (NatterNdjsonFramer *self)
{
  gboolean ret = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->stopped && self->len > 0)
    ret = dispatch (self);

  self->len = 0;
  self->bom_matched = 0;
  self->bom_done = FALSE;
  self->stopped = FALSE;
  self->overflowed = FALSE;

  return ret;
}

gboolean
natter_ndjson_framer_overflowed (NatterNdjsonFramer *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->overflowed;
}
