/* natter-png.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-png"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <zlib.h>

#include "natter-png.h"

G_DEFINE_QUARK (natter-png-error-quark, natter_png_error)

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

#define PNG_MAX_CHUNK_LENGTH 0x7fffffffu
#define PNG_MAX_KEYWORD      79

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | (guint32) p[3];
}

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint8 b[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, b, 4);
}

static gboolean
is_chunk_type (const guint8 *t)
{
  for (guint i = 0; i < 4; i++)
    if (!g_ascii_isalpha (t[i]))
      return FALSE;
  return TRUE;
}

gboolean
natter_png_has_signature (const guint8 *data,
                          gsize         size)
{
  return data != NULL && size >= sizeof png_signature
         && memcmp (data, png_signature, sizeof png_signature) == 0;
}

GArray *
natter_png_parse_chunks (GBytes  *png,
                         GError **error)
{
  g_autoptr(GArray) chunks = NULL;
  const guint8 *data;
  gsize size;
  gsize pos;

  g_return_val_if_fail (png != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (png, &size);
  if (!natter_png_has_signature (data, size))
    {
      g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_NOT_PNG,
                   _("The file is not a PNG image"));
      return NULL;
    }

  chunks = g_array_new (FALSE, TRUE, sizeof (NatterPngChunk));
  pos = sizeof png_signature;

  for (;;)
    {
      NatterPngChunk chunk = { { 0 }, 0, 0 };
      guint32 stored_crc;
      uLong crc;

      if (size - pos < 8)
        {
          g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_TRUNCATED,
                       _("The PNG image is truncated: it ends before its last chunk (IEND)"));
          return NULL;
        }

      chunk.length = read_be32 (data + pos);
      memcpy (chunk.type, data + pos + 4, 4);
      chunk.offset = pos + 8;

      if (!is_chunk_type (data + pos + 4))
        {
          g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_MALFORMED,
                       _("The PNG image is damaged: invalid chunk type at byte %zu"),
                       pos + 4);
          return NULL;
        }
      if (chunk.length > PNG_MAX_CHUNK_LENGTH)
        {
          g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_MALFORMED,
                       _("The PNG image is damaged: chunk “%s” claims an impossible length"),
                       chunk.type);
          return NULL;
        }
      /* Data plus the 4-byte CRC must fit in what is left. */
      if ((guint64) chunk.length + 4 > size - chunk.offset)
        {
          g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_TRUNCATED,
                       _("The PNG image is truncated: chunk “%s” runs past the end of the file"),
                       chunk.type);
          return NULL;
        }

      stored_crc = read_be32 (data + chunk.offset + chunk.length);
      crc = crc32 (0L, Z_NULL, 0);
      crc = crc32 (crc, data + pos + 4, 4);
      if (chunk.length > 0)
        crc = crc32 (crc, data + chunk.offset, chunk.length);
      if ((guint32) crc != stored_crc)
        {
          g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_BAD_CRC,
                       _("The PNG image is damaged: the checksum (CRC) of chunk “%s” is wrong"),
                       chunk.type);
          return NULL;
        }

      if (chunks->len == 0 && (strcmp (chunk.type, "IHDR") != 0 || chunk.length != 13))
        {
          g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_MALFORMED,
                       _("The PNG image is damaged: it does not start with an image header (IHDR)"));
          return NULL;
        }

      g_array_append_val (chunks, chunk);
      pos = chunk.offset + chunk.length + 4;

      if (strcmp (chunk.type, "IEND") == 0)
        break;
    }

  return g_steal_pointer (&chunks);
}

/* Splits a tEXt/zTXt/iTXt chunk's data at the keyword separator. */
static gboolean
chunk_keyword (const guint8 *data,
               guint32       length,
               gsize        *keyword_len)
{
  const guint8 *nul = memchr (data, '\0', MIN (length, PNG_MAX_KEYWORD + 1));

  if (nul == NULL || nul == data)
    return FALSE;
  *keyword_len = nul - data;
  return TRUE;
}

static gboolean
is_text_chunk (const NatterPngChunk *chunk)
{
  return strcmp (chunk->type, "tEXt") == 0
         || strcmp (chunk->type, "zTXt") == 0
         || strcmp (chunk->type, "iTXt") == 0;
}

GHashTable *
natter_png_read_text_chunks (GBytes  *png,
                             GError **error)
{
  g_autoptr(GArray) chunks = NULL;
  g_autoptr(GHashTable) texts = NULL;
  const guint8 *data;

  g_return_val_if_fail (png != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  chunks = natter_png_parse_chunks (png, error);
  if (chunks == NULL)
    return NULL;

  data = g_bytes_get_data (png, NULL);
  texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < chunks->len; i++)
    {
      const NatterPngChunk *chunk = &g_array_index (chunks, NatterPngChunk, i);
      const guint8 *body = data + chunk->offset;
      gsize keyword_len;
      char *keyword;

      if (strcmp (chunk->type, "tEXt") != 0)
        continue;
      if (!chunk_keyword (body, chunk->length, &keyword_len))
        {
          g_debug ("Skipping a malformed tEXt chunk");
          continue;
        }

      keyword = g_strndup ((const char *) body, keyword_len);
      if (g_hash_table_contains (texts, keyword))
        {
          g_free (keyword);
          continue;
        }
      g_hash_table_insert (texts, keyword,
                           g_bytes_new_from_bytes (png, chunk->offset + keyword_len + 1,
                                                   chunk->length - keyword_len - 1));
    }

  return g_steal_pointer (&texts);
}

/* Inflates zlib data into at most @max_size bytes. */
static GBytes *
inflate_text (const char   *keyword,
              const guint8 *data,
              gsize         length,
              gsize         max_size,
              GError      **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  z_stream zs;
  guint8 buf[65536];
  int r;

  memset (&zs, 0, sizeof zs);
  if (inflateInit (&zs) != Z_OK)
    {
      g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_BAD_TEXT,
                   _("The compressed text of PNG chunk “%s” cannot be read: out of memory"),
                   keyword);
      return NULL;
    }

  zs.next_in = (Bytef *) data;
  /* PNG chunks are at most 2^31-1 bytes, so this fits in a uInt. */
  zs.avail_in = (uInt) length;

  do
    {
      gsize produced;

      zs.next_out = buf;
      zs.avail_out = sizeof buf;
      r = inflate (&zs, Z_NO_FLUSH);
      if (r != Z_OK && r != Z_STREAM_END)
        {
          const char *why;

          if (r == Z_BUF_ERROR)
            why = _("the compressed data ends too early");
          else if (r == Z_MEM_ERROR)
            why = _("out of memory");
          else
            why = zs.msg != NULL ? zs.msg : _("the compressed data is damaged");
          g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_BAD_TEXT,
                       _("The compressed text of PNG chunk “%s” is damaged: %s"),
                       keyword, why);
          inflateEnd (&zs);
          return NULL;
        }

      produced = sizeof buf - zs.avail_out;
      if (produced > max_size - out->len)
        {
          g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_TOO_LARGE,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The compressed text of PNG chunk “%s” is too large (over %zu byte when decompressed)",
                                    "The compressed text of PNG chunk “%s” is too large (over %zu bytes when decompressed)",
                                    max_size),
                       keyword, max_size);
          inflateEnd (&zs);
          return NULL;
        }
      g_byte_array_append (out, buf, (guint) produced);
    }
  while (r != Z_STREAM_END);

  inflateEnd (&zs);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
too_large (const char *keyword,
           gsize       length,
           gsize       max_size,
           GError    **error)
{
  if (length <= max_size)
    return FALSE;
  g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_TOO_LARGE,
               g_dngettext (GETTEXT_PACKAGE,
                            "The text of PNG chunk “%s” is too large (over %zu byte)",
                            "The text of PNG chunk “%s” is too large (over %zu bytes)",
                            max_size),
               keyword, max_size);
  return TRUE;
}

gboolean
natter_png_read_text (GBytes      *png,
                      const char  *keyword,
                      gsize        max_size,
                      GBytes     **text,
                      GError     **error)
{
  g_autoptr(GArray) chunks = NULL;
  const guint8 *data;
  gsize want_len;

  g_return_val_if_fail (png != NULL, FALSE);
  g_return_val_if_fail (keyword != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *text = NULL;
  /* A GByteArray holds at most G_MAXUINT bytes. */
  max_size = MIN (max_size, (gsize) G_MAXUINT);
  chunks = natter_png_parse_chunks (png, error);
  if (chunks == NULL)
    return FALSE;

  data = g_bytes_get_data (png, NULL);
  want_len = strlen (keyword);

  for (guint i = 0; i < chunks->len; i++)
    {
      const NatterPngChunk *chunk = &g_array_index (chunks, NatterPngChunk, i);
      const guint8 *body = data + chunk->offset;
      gsize keyword_len, pos, rest;

      if (!is_text_chunk (chunk)
          || !chunk_keyword (body, chunk->length, &keyword_len)
          || keyword_len != want_len || memcmp (body, keyword, want_len) != 0)
        continue;

      pos = keyword_len + 1;
      rest = chunk->length - pos;

      if (strcmp (chunk->type, "tEXt") == 0)
        {
          if (too_large (keyword, rest, max_size, error))
            return FALSE;
          *text = g_bytes_new_from_bytes (png, chunk->offset + pos, rest);
          return TRUE;
        }

      if (strcmp (chunk->type, "zTXt") == 0)
        {
          /* Compression method (0 = zlib), then the zlib stream. */
          if (rest < 1 || body[pos] != 0)
            {
              g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_BAD_TEXT,
                           _("PNG chunk “%s” (zTXt) uses an unknown compression method"),
                           keyword);
              return FALSE;
            }
          *text = inflate_text (keyword, body + pos + 1, rest - 1, max_size, error);
          return *text != NULL;
        }

      /* iTXt: compression flag, compression method, language tag\0,
       * translated keyword\0, text. */
      {
        const guint8 *nul;
        guint8 flag, method;

        if (rest < 2)
          goto bad_itxt;
        flag = body[pos];
        method = body[pos + 1];
        pos += 2;
        for (guint field = 0; field < 2; field++)
          {
            nul = memchr (body + pos, '\0', chunk->length - pos);
            if (nul == NULL)
              goto bad_itxt;
            pos = nul - body + 1;
          }
        rest = chunk->length - pos;

        if (flag == 0)
          {
            if (too_large (keyword, rest, max_size, error))
              return FALSE;
            *text = g_bytes_new_from_bytes (png, chunk->offset + pos, rest);
            return TRUE;
          }
        if (flag != 1 || method != 0)
          {
            g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_BAD_TEXT,
                         _("PNG chunk “%s” (iTXt) uses an unknown compression method"),
                         keyword);
            return FALSE;
          }
        *text = inflate_text (keyword, body + pos, rest, max_size, error);
        return *text != NULL;

      bad_itxt:
        g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_BAD_TEXT,
                     _("PNG chunk “%s” (iTXt) is damaged: its header is incomplete"),
                     keyword);
        return FALSE;
      }
    }

  return TRUE;
}

static void
append_chunk (GByteArray   *out,
              const char   *type,
              const guint8 *body,
              gsize         length)
{
  uLong crc = crc32 (0L, Z_NULL, 0);

  append_be32 (out, (guint32) length);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (out, body, length);
  crc = crc32 (crc, (const Bytef *) type, 4);
  if (length > 0)
    crc = crc32 (crc, body, length);
  append_be32 (out, (guint32) crc);
}

static gboolean
keyword_is_valid (const char *keyword)
{
  gsize len = strlen (keyword);

  if (len == 0 || len > PNG_MAX_KEYWORD)
    return FALSE;
  /* Printable Latin-1 and space, no leading/trailing space (PNG spec). */
  for (gsize i = 0; i < len; i++)
    {
      guint8 c = (guint8) keyword[i];

      if (!((c >= 32 && c <= 126) || c >= 161))
        return FALSE;
    }
  return keyword[0] != ' ' && keyword[len - 1] != ' ';
}

GBytes *
natter_png_set_text_chunks (GBytes             *png,
                            const char * const *keywords,
                            const char * const *texts,
                            GError            **error)
{
  g_autoptr(GArray) chunks = NULL;
  g_autoptr(GByteArray) out = NULL;
  const guint8 *data;
  gsize size;

  g_return_val_if_fail (png != NULL, NULL);
  g_return_val_if_fail (keywords != NULL, NULL);
  g_return_val_if_fail (texts != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint k = 0; keywords[k] != NULL; k++)
    {
      if (!keyword_is_valid (keywords[k]))
        {
          g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_MALFORMED,
                       _("“%s” is not a valid PNG text keyword"), keywords[k]);
          return NULL;
        }
      if (texts[k] != NULL && (gsize) strlen (texts[k]) > PNG_MAX_CHUNK_LENGTH - PNG_MAX_KEYWORD - 1)
        {
          g_set_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_MALFORMED,
                       _("The text for PNG chunk “%s” is too long"), keywords[k]);
          return NULL;
        }
    }

  chunks = natter_png_parse_chunks (png, error);
  if (chunks == NULL)
    return NULL;

  data = g_bytes_get_data (png, &size);
  out = g_byte_array_sized_new (size + 64);
  g_byte_array_append (out, png_signature, sizeof png_signature);

  for (guint i = 0; i < chunks->len; i++)
    {
      const NatterPngChunk *chunk = &g_array_index (chunks, NatterPngChunk, i);
      const guint8 *body = data + chunk->offset;

      if (strcmp (chunk->type, "IEND") == 0)
        {
          for (guint k = 0; keywords[k] != NULL; k++)
            {
              g_autoptr(GByteArray) text = NULL;
              gsize klen, tlen;

              if (texts[k] == NULL)
                continue;
              klen = strlen (keywords[k]);
              tlen = strlen (texts[k]);
              text = g_byte_array_sized_new (klen + 1 + tlen);
              g_byte_array_append (text, (const guint8 *) keywords[k], klen + 1);
              g_byte_array_append (text, (const guint8 *) texts[k], tlen);
              append_chunk (out, "tEXt", text->data, text->len);
            }
          append_chunk (out, "IEND", NULL, 0);
          break;
        }

      if (is_text_chunk (chunk))
        {
          gsize keyword_len;
          gboolean drop = FALSE;

          if (chunk_keyword (body, chunk->length, &keyword_len))
            for (guint k = 0; keywords[k] != NULL && !drop; k++)
              drop = strlen (keywords[k]) == keyword_len
                     && memcmp (keywords[k], body, keyword_len) == 0;
          if (drop)
            continue;
        }

      /* Copy the chunk verbatim, header and CRC included. */
      g_byte_array_append (out, data + chunk->offset - 8, (guint) chunk->length + 12);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
