/* natter-event-stream-framer.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-event-stream"

#include "config.h"

#include <string.h>
#include <zlib.h>

#include <glib/gi18n-lib.h>

#include "natter-event-stream-framer.h"

#define PRELUDE_LEN   12
#define OVERHEAD      16

struct _NatterEventStreamFramer
{
  NatterEventStreamFunc  func;
  gpointer               user_data;

  GByteArray            *buf;       /* the message being assembled */
  guint32                total;     /* its total length, once the prelude was checked */
  GString               *scratch;   /* NUL-terminated header values and payload */
  gboolean               stopped;
};

static guint32
read_u32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint32
crc32_of (const guint8 *data,
          gsize         len)
{
  return (guint32) crc32 (0L, data, (uInt) len);
}

NatterEventStreamFramer *
natter_event_stream_framer_new (NatterEventStreamFunc func,
                                gpointer              user_data)
{
  NatterEventStreamFramer *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (NatterEventStreamFramer, 1);
  self->func = func;
  self->user_data = user_data;
  self->buf = g_byte_array_new ();
  self->scratch = g_string_new (NULL);

  return self;
}

void
natter_event_stream_framer_free (NatterEventStreamFramer *self)
{
  if (self == NULL)
    return;

  g_byte_array_unref (self->buf);
  g_string_free (self->scratch, TRUE);
  g_free (self);
}

static gboolean
fail (NatterEventStreamFramer  *self,
      GError                  **error,
      const char               *what)
{
  self->stopped = TRUE;
  g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
               _("The event stream is damaged: %s"), what);
  return FALSE;
}

/* Validates the prelude in self->buf (at least 12 bytes). */
static gboolean
check_prelude (NatterEventStreamFramer  *self,
               GError                  **error)
{
  const guint8 *p = self->buf->data;
  guint32 total = read_u32 (p);
  guint32 headers = read_u32 (p + 4);

  if (crc32_of (p, 8) != read_u32 (p + 8))
    return fail (self, error, _("the prelude checksum does not match"));
  if (total < OVERHEAD || total > NATTER_EVENT_STREAM_MAX_MESSAGE ||
      headers > total - OVERHEAD)
    return fail (self, error, _("a message has an impossible length"));

  self->total = total;
  return TRUE;
}

/* Offsets into self->scratch of the known string headers, -1 when absent. */
typedef struct
{
  gssize message_type;
  gssize event_type;
  gssize exception_type;
  gssize error_code;
  gssize error_message;
  gssize content_type;
} KnownHeaders;

static gssize *
known_slot (KnownHeaders *known,
            const char   *name,
            gsize         len)
{
  static const struct { const char *name; gsize offset; } slots[] = {
    { ":message-type", G_STRUCT_OFFSET (KnownHeaders, message_type) },
    { ":event-type", G_STRUCT_OFFSET (KnownHeaders, event_type) },
    { ":exception-type", G_STRUCT_OFFSET (KnownHeaders, exception_type) },
    { ":error-code", G_STRUCT_OFFSET (KnownHeaders, error_code) },
    { ":error-message", G_STRUCT_OFFSET (KnownHeaders, error_message) },
    { ":content-type", G_STRUCT_OFFSET (KnownHeaders, content_type) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    if (strlen (slots[i].name) == len && memcmp (slots[i].name, name, len) == 0)
      return G_STRUCT_MEMBER_P (known, slots[i].offset);
  return NULL;
}

/* Parses the headers of the whole message in self->buf into self->scratch
 * and dispatches it. */
static gboolean
dispatch (NatterEventStreamFramer  *self,
          GError                  **error)
{
  const guint8 *msg = self->buf->data;
  guint32 headers_len = read_u32 (msg + 4);
  const guint8 *p = msg + PRELUDE_LEN;
  const guint8 *end = p + headers_len;
  gsize payload_len = self->total - OVERHEAD - headers_len;
  KnownHeaders known = { -1, -1, -1, -1, -1, -1 };
  NatterEventStreamMessage message = { 0 };
  gssize payload_at;

  g_string_truncate (self->scratch, 0);

  while (p < end)
    {
      guint name_len = *p++;
      const char *name = (const char *) p;
      gsize value_len = 0;
      guint type;
      gssize *slot;

      if (name_len == 0 || (gsize) (end - p) < name_len + 1)
        return fail (self, error, _("a header is malformed"));
      p += name_len;
      type = *p++;

      switch (type)
        {
        case 0: case 1: value_len = 0; break;
        case 2: value_len = 1; break;
        case 3: value_len = 2; break;
        case 4: value_len = 4; break;
        case 5: case 8: value_len = 8; break;
        case 9: value_len = 16; break;
        case 6: case 7:
          if (end - p < 2)
            return fail (self, error, _("a header is malformed"));
          value_len = ((gsize) p[0] << 8) | p[1];
          p += 2;
          break;
        default:
          return fail (self, error, _("a header has an unknown type"));
        }
      if ((gsize) (end - p) < value_len)
        return fail (self, error, _("a header is malformed"));

      slot = type == 7 ? known_slot (&known, name, name_len) : NULL;
      if (slot != NULL)
        {
          *slot = self->scratch->len;
          g_string_append_len (self->scratch, (const char *) p, value_len);
          g_string_append_c (self->scratch, '\0');
        }
      p += value_len;
    }

  payload_at = self->scratch->len;
  g_string_append_len (self->scratch, (const char *) end, payload_len);

#define AT(field) (known.field >= 0 ? self->scratch->str + known.field : NULL)
  message.message_type = AT (message_type);
  message.event_type = AT (event_type);
  message.exception_type = AT (exception_type);
  message.error_code = AT (error_code);
  message.error_message = AT (error_message);
  message.content_type = AT (content_type);
#undef AT
  message.payload = self->scratch->str + payload_at;
  message.payload_len = payload_len;

  if (!self->func (&message, self->user_data))
    {
      self->stopped = TRUE;
      return FALSE;
    }
  return TRUE;
}

gboolean
natter_event_stream_framer_feed (NatterEventStreamFramer  *self,
                                 const char               *data,
                                 gsize                     len,
                                 GError                  **error)
{
  const guint8 *p = (const guint8 *) data;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (self->stopped)
    return FALSE;

  while (len > 0)
    {
      gsize want = self->total == 0 ? PRELUDE_LEN : self->total;
      gsize take = MIN (len, want - self->buf->len);

      g_byte_array_append (self->buf, p, take);
      p += take;
      len -= take;

      if (self->buf->len < want)
        break;

      if (self->total == 0)
        {
          if (!check_prelude (self, error))
            return FALSE;
          continue;
        }

      if (crc32_of (self->buf->data, self->total - 4) !=
          read_u32 (self->buf->data + self->total - 4))
        return fail (self, error, _("a message checksum does not match"));

      if (!dispatch (self, error))
        return FALSE;

      g_byte_array_set_size (self->buf, 0);
      self->total = 0;
    }

  return TRUE;
}

gboolean
natter_event_stream_framer_finish (NatterEventStreamFramer *self)
{
  gboolean partial;

  g_return_val_if_fail (self != NULL, FALSE);

  partial = self->buf->len > 0 && !self->stopped;
  g_byte_array_set_size (self->buf, 0);
  self->total = 0;
  return partial;
}
