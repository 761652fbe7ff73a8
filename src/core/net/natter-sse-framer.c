/* natter-sse-framer.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-sse"

#include "config.h"

#include <string.h>

#include "natter-sse-framer.h"

/* This sits on the per-token path: one call per received chunk, one
 * callback per event. Lines are found with memchr(); a line that is whole
 * inside one feed is parsed in place, only a line split across feeds is
 * copied into @line. Buffers grow and are reused, never shrunk, so a steady
 * stream allocates nothing. */

typedef struct
{
  char  *data;
  gsize  len;
  gsize  alloc;
} Buffer;

struct _NatterSseFramer
{
  NatterSseEventFunc  func;
  gpointer            user_data;

  Buffer              line;    /* a partial line carried over to the next feed */
  Buffer              data;    /* data of the event being built, "\n" after each line */
  Buffer              event;   /* event type of the event being built */
  Buffer              id;      /* last event id (kept across events, per spec) */
  gint64              retry_ms;

  guint               bom_matched;   /* bytes of a leading BOM seen so far */
  guint               bom_done : 1;
  guint               skip_lf : 1;   /* the previous feed ended on CR */
  guint               pending : 1;   /* a field was seen since the last dispatch */
  guint               stopped : 1;
  guint               overflowed : 1;
};

static const guchar bom[] = { 0xEF, 0xBB, 0xBF };

static inline void
buffer_reserve (Buffer *buf,
                gsize   extra)
{
  /* +1 keeps room for a NUL terminator. */
  if (G_UNLIKELY (buf->len + extra + 1 > buf->alloc))
    {
      gsize alloc = MAX (buf->alloc, 256);

      while (alloc < buf->len + extra + 1)
        alloc *= 2;
      buf->data = g_realloc (buf->data, alloc);
      buf->alloc = alloc;
    }
}

static inline void
buffer_append (Buffer     *buf,
               const char *data,
               gsize       len)
{
  buffer_reserve (buf, len);
  memcpy (buf->data + buf->len, data, len);
  buf->len += len;
}

static inline void
buffer_set (Buffer     *buf,
            const char *data,
            gsize       len)
{
  buf->len = 0;
  buffer_append (buf, data, len);
  buf->data[buf->len] = '\0';
}

NatterSseFramer *
natter_sse_framer_new (NatterSseEventFunc func,
                       gpointer           user_data)
{
  NatterSseFramer *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (NatterSseFramer, 1);
  self->func = func;
  self->user_data = user_data;
  self->retry_ms = -1;

  return self;
}

void
natter_sse_framer_free (NatterSseFramer *self)
{
  if (self == NULL)
    return;

  g_free (self->line.data);
  g_free (self->data.data);
  g_free (self->event.data);
  g_free (self->id.data);
  g_free (self);
}

static gboolean
dispatch (NatterSseFramer *self)
{
  gboolean ret;

  self->pending = FALSE;

  /* An event without data is not dispatched; its type is forgotten. */
  if (self->data.len == 0)
    {
      self->event.len = 0;
      return TRUE;
    }

  /* Drop the "\n" that followed the last data line. */
  self->data.len--;
  self->data.data[self->data.len] = '\0';

  ret = self->func (self->event.len > 0 ? self->event.data : NULL,
                    self->data.data, self->data.len,
                    self->user_data);

  self->data.len = 0;
  self->event.len = 0;

  return ret;
}

static gboolean
process_line (NatterSseFramer *self,
              const char      *line,
              gsize            len)
{
  const char *colon, *value;
  gsize name_len, value_len;

  if (len == 0)
    return dispatch (self);

  if (line[0] == ':')
    return TRUE;

  colon = memchr (line, ':', len);
  if (colon != NULL)
    {
      name_len = colon - line;
      value = colon + 1;
      value_len = len - name_len - 1;
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
    }
  else
    {
      name_len = len;
      value = line + len;
      value_len = 0;
    }

  switch (name_len)
    {
    case 4:
      if (memcmp (line, "data", 4) == 0)
        {
          if (G_UNLIKELY (self->data.len + value_len + 1 > NATTER_FRAMER_MAX_EVENT_SIZE))
            {
              self->overflowed = TRUE;
              return FALSE;
            }
          buffer_reserve (&self->data, value_len + 1);
          memcpy (self->data.data + self->data.len, value, value_len);
          self->data.len += value_len;
          self->data.data[self->data.len++] = '\n';
          self->pending = TRUE;
        }
      break;

    case 5:
      if (memcmp (line, "event", 5) == 0)
        {
          buffer_set (&self->event, value, value_len);
          self->pending = TRUE;
        }
      else if (memcmp (line, "retry", 5) == 0)
        {
          gint64 retry = 0;
          gsize i;

          for (i = 0; i < value_len && g_ascii_isdigit (value[i]); i++)
            retry = MIN (retry * 10 + (value[i] - '0'), G_MAXINT32);
          if (i == value_len && value_len > 0)
            self->retry_ms = retry;
          self->pending = TRUE;
        }
      break;

    case 2:
      if (memcmp (line, "id", 2) == 0)
        {
          /* An id containing NUL is ignored (WHATWG). */
          if (memchr (value, '\0', value_len) == NULL)
            buffer_set (&self->id, value, value_len);
          self->pending = TRUE;
        }
      break;

    default:
      break;
    }

  return TRUE;
}

gboolean
natter_sse_framer_feed (NatterSseFramer *self,
                        const char      *data,
                        gsize            len)
{
  const char *p, *end;
  const char *next_lf = NULL, *next_cr = NULL;

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
          /* Not a BOM after all: what matched so far is text. */
          buffer_append (&self->line, (const char *) bom, self->bom_matched);
          self->bom_done = TRUE;
        }
    }

  if (self->skip_lf && p < end)
    {
      self->skip_lf = FALSE;
      if (*p == '\n')
        p++;
    }

  while (p < end)
    {
      const char *eol;

      /* Cache the next LF and CR positions (end: none left) so that a
       * buffer with only one kind of line end is still scanned once, not
       * once per line. */
      if (next_lf == NULL || next_lf < p)
        {
          next_lf = memchr (p, '\n', end - p);
          if (next_lf == NULL)
            next_lf = end;
        }
      if (next_cr == NULL || next_cr < p)
        {
          next_cr = memchr (p, '\r', end - p);
          if (next_cr == NULL)
            next_cr = end;
        }

      eol = MIN (next_lf, next_cr);

      if (eol == end)
        {
          if (G_UNLIKELY (self->line.len + (gsize) (end - p) > NATTER_FRAMER_MAX_EVENT_SIZE))
            goto overflow;
          buffer_append (&self->line, p, end - p);
          break;
        }

      if (G_UNLIKELY (self->line.len + (gsize) (eol - p) > NATTER_FRAMER_MAX_EVENT_SIZE))
        goto overflow;

      if (self->line.len > 0)
        {
          gboolean ok;

          buffer_append (&self->line, p, eol - p);
          ok = process_line (self, self->line.data, self->line.len);
          self->line.len = 0;
          if (!ok)
            goto stop;
        }
      else if (!process_line (self, p, eol - p))
        goto stop;

      if (*eol == '\r')
        {
          if (eol + 1 < end)
            p = (eol[1] == '\n') ? eol + 2 : eol + 1;
          else
            {
              self->skip_lf = TRUE;
              p = end;
            }
        }
      else
        p = eol + 1;
    }

  return TRUE;

overflow:
  self->overflowed = TRUE;
stop:
  self->stopped = TRUE;
  return FALSE;
}

gboolean
natter_sse_framer_overflowed (NatterSseFramer *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->overflowed;
}

gboolean
natter_sse_framer_flush_if_data (NatterSseFramer *self,
                                 const char      *data)
{
  gsize len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (self->stopped)
    return FALSE;

  /* The unterminated last line counts as a line (it may be the data). */
  if (self->line.len > 0)
    {
      gboolean ok = process_line (self, self->line.data, self->line.len);

      self->line.len = 0;
      if (!ok)
        return FALSE;
    }

  len = strlen (data);
  if (!self->pending || self->data.len != len + 1 ||
      memcmp (self->data.data, data, len) != 0)
    return FALSE;

  dispatch (self);
  return TRUE;
}

gboolean
natter_sse_framer_finish (NatterSseFramer *self)
{
  gboolean had_partial;

  g_return_val_if_fail (self != NULL, FALSE);

  had_partial = self->line.len > 0 || self->pending;

  self->line.len = 0;
  self->data.len = 0;
  self->event.len = 0;
  self->pending = FALSE;
  self->skip_lf = FALSE;
  self->bom_matched = 0;
  self->bom_done = FALSE;
  self->stopped = FALSE;
  self->overflowed = FALSE;

  return had_partial;
}
