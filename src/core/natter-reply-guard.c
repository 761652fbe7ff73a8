/* natter-reply-guard.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "natter-reply-guard.h"

#define REPLACEMENT "\xEF\xBF\xBD"

/* The length a lead byte announces, 0 for a byte that cannot start one. */
static guint
sequence_length (guchar c)
{
  if (c >= 0xC2 && c <= 0xDF)
    return 2;
  if (c >= 0xE0 && c <= 0xEF)
    return 3;
  if (c >= 0xF0 && c <= 0xF4)
    return 4;
  return 0;
}

/* Whether @data (@len bytes, fewer than its lead byte announces) can still
 * become a valid character. */
static gboolean
is_valid_prefix (const guchar *data,
                 gsize         len)
{
  guint need = sequence_length (data[0]);

  if (need == 0 || len >= need)
    return FALSE;

  for (gsize i = 1; i < len; i++)
    {
      guchar lo = 0x80, hi = 0xBF;

      if (i == 1)
        {
          /* No overlong forms, no surrogates, nothing past U+10FFFF. */
          if (data[0] == 0xE0)
            lo = 0xA0;
          else if (data[0] == 0xED)
            hi = 0x9F;
          else if (data[0] == 0xF0)
            lo = 0x90;
          else if (data[0] == 0xF4)
            hi = 0x8F;
        }
      if (data[i] < lo || data[i] > hi)
        return FALSE;
    }

  return TRUE;
}

/* Repairs @data, whose last bytes may be an unfinished sequence: those go
 * into @carry. */
static gboolean
repair (NatterUtf8Carry *carry,
        const guchar    *data,
        gsize            len,
        GString         *out)
{
  gboolean replaced = FALSE;
  gsize i = 0;

  while (i < len)
    {
      const char *valid_end;

      if (g_utf8_validate_len ((const char *) data + i, len - i, &valid_end))
        {
          g_string_append_len (out, (const char *) data + i, len - i);
          break;
        }

      g_string_append_len (out, (const char *) data + i, (const guchar *) valid_end - (data + i));
      i = (const guchar *) valid_end - data;

      if (len - i < 4 && is_valid_prefix (data + i, len - i))
        {
          memcpy (carry->bytes, data + i, len - i);
          carry->len = len - i;
          break;
        }

      g_string_append (out, REPLACEMENT);
      replaced = TRUE;
      i++;
    }

  return replaced;
}

gboolean
natter_utf8_repair_append (NatterUtf8Carry *carry,
                           const char      *data,
                           gsize            len,
                           GString         *out)
{
  gboolean replaced = FALSE;

  g_return_val_if_fail (carry != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (len == 0)
    return FALSE;

  if (carry->len > 0)
    {
      guchar joined[8];
      guint8 held = carry->len;
      gsize take = MIN (len, sizeof joined - held);
      gsize used;

      /* The held bytes and the start of @data: at most one character long
       * past the held bytes, so eight bytes decide it. */
      memcpy (joined, carry->bytes, held);
      memcpy (joined + held, data, take);
      carry->len = 0;

      if (held + take < 4 && is_valid_prefix (joined, held + take) && take == len)
        {
          memcpy (carry->bytes, joined, held + take);
          carry->len = held + take;
          return FALSE;
        }

      {
        gunichar c = g_utf8_get_char_validated ((const char *) joined, held + take);

        if (c != (gunichar) -1 && c != (gunichar) -2 && c != 0)
          {
            gsize n = g_utf8_skip[joined[0]];

            g_string_append_len (out, (const char *) joined, n);
            used = n - held;
          }
        else
          {
            /* The held bytes were not the start of a character after all;
             * each becomes U+FFFD and @data is read on its own. */
            for (guint8 k = 0; k < held; k++)
              g_string_append (out, REPLACEMENT);
            replaced = TRUE;
            used = 0;
          }
      }
      data += used;
      len -= used;
    }

  return repair (carry, (const guchar *) data, len, out) || replaced;
}

gboolean
natter_utf8_repair_finish (NatterUtf8Carry *carry,
                           GString         *out)
{
  g_return_val_if_fail (carry != NULL, FALSE);

  if (carry->len == 0)
    return FALSE;

  /* One U+FFFD per byte, as g_utf8_make_valid() does. */
  for (guint8 k = 0; k < carry->len; k++)
    g_string_append (out, REPLACEMENT);
  carry->len = 0;
  return TRUE;
}

/* Reply guard */

struct _NatterReplyGuard
{
  gsize            max_size;
  gsize            passed;
  gboolean         exceeded;
  NatterUtf8Carry  carry[2];   /* text, reasoning */
  GString         *scratch;
};

NatterReplyGuard *
natter_reply_guard_new (gsize max_size)
{
  NatterReplyGuard *self = g_new0 (NatterReplyGuard, 1);

  self->max_size = max_size > 0 ? max_size : NATTER_REPLY_DEFAULT_MAX_SIZE;
  self->scratch = g_string_sized_new (256);

  return self;
}

void
natter_reply_guard_free (NatterReplyGuard *self)
{
  if (self == NULL)
    return;

  g_string_free (self->scratch, TRUE);
  g_free (self);
}

gboolean
natter_reply_guard_exceeded (NatterReplyGuard *self)
{
  return self->exceeded;
}

gsize
natter_reply_guard_get_max_size (NatterReplyGuard *self)
{
  return self->max_size;
}

/* Cuts @out to what still fits under the cap, between two characters. */
static gboolean
pass (NatterReplyGuard *self,
      NatterDelta      *out)
{
  gsize room = self->max_size - self->passed;

  if (out->len > room)
    {
      gsize cut = room;

      while (cut > 0 && ((guchar) out->text[cut] & 0xC0) == 0x80)
        cut--;
      out->len = cut;
      self->exceeded = TRUE;
    }

  self->passed += out->len;

  return out->len > 0;
}

gboolean
natter_reply_guard_filter (NatterReplyGuard  *self,
                           const NatterDelta *delta,
                           NatterDelta       *out)
{
  NatterUtf8Carry *carry;

  g_return_val_if_fail (self != NULL, FALSE);

  *out = *delta;

  if (delta->kind != NATTER_DELTA_TEXT && delta->kind != NATTER_DELTA_REASONING)
    return TRUE;

  if (self->exceeded || delta->text == NULL)
    return FALSE;

  carry = &self->carry[delta->kind == NATTER_DELTA_REASONING];

  /* The usual case: valid text, nothing held back, no copy. */
  if (carry->len == 0 && g_utf8_validate_len (delta->text, delta->len, NULL))
    return pass (self, out);

  g_string_truncate (self->scratch, 0);
  natter_utf8_repair_append (carry, delta->text, delta->len, self->scratch);
  out->text = self->scratch->str;
  out->len = self->scratch->len;

  return pass (self, out);
}

gboolean
natter_reply_guard_finish (NatterReplyGuard *self,
                           NatterDeltaKind   kind,
                           NatterDelta      *out)
{
  NatterUtf8Carry *carry;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (kind == NATTER_DELTA_TEXT || kind == NATTER_DELTA_REASONING, FALSE);

  carry = &self->carry[kind == NATTER_DELTA_REASONING];
  g_string_truncate (self->scratch, 0);
  if (!natter_utf8_repair_finish (carry, self->scratch) || self->exceeded)
    return FALSE;

  natter_delta_init (out, kind);
  out->text = self->scratch->str;
  out->len = self->scratch->len;

  return pass (self, out);
}
