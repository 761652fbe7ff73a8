/* natter-image-fit.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-image"

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>

#include "natter-image-fit.h"

/* Beyond this an image is a decompression bomb, not a photo (a 12
 * megapixel photo is 12e6; the largest any provider takes is 8000×8000). */
#define MAX_PIXELS  (128 * 1000 * 1000)
#define MAX_EDGE    32768
#define JPEG_QUALITY "85"
#define PROBE_CHUNK 4096

G_DEFINE_QUARK (natter-image-error-quark, natter_image_error)

static gboolean size_acceptable (gint64 width,
                                 gint64 height);
static gboolean gif_frames_sane (const guint8 *d,
                                 gsize         len);

const char *
natter_image_sniff (const guint8 *data,
                    gsize         len)
{
  if (data == NULL)
    return NULL;
  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    return "image/jpeg";
  if (len >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  return NULL;
}

typedef struct
{
  int      width;
  int      height;
  int      max_edge;
  gboolean probe;     /* only the size is wanted */
  gboolean jpeg;
  gboolean prepared;
  gboolean too_large;
} LoadState;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  LoadState *state = user_data;

  state->width = width;
  state->height = height;
  state->prepared = TRUE;
  if (!size_acceptable (width, height))
    {
      state->too_large = TRUE;
      /* Whatever is decoded from now on is tiny; writing stops anyway. */
      gdk_pixbuf_loader_set_size (loader, 1, 1);
      return;
    }
  if (state->probe)
    {
      /* Whatever the loader allocates next, let it be small. */
      gdk_pixbuf_loader_set_size (loader, MAX (1, width / 8), MAX (1, height / 8));
      return;
    }
  if (state->max_edge > 0 && MAX (width, height) > state->max_edge)
    {
      double scale = (double) state->max_edge / MAX (width, height);

      /* The JPEG decoder scales by 1/2, 1/4 or 1/8 while it decodes, at a
       * fraction of the cost of decoding everything: a size it reaches
       * that way wins when it keeps most of the allowed pixels (a 4000 px
       * photo becomes 2000 px, not 2048). */
      if (state->jpeg)
        for (int denom = 2; denom <= 8; denom *= 2)
          if (MAX (width, height) / denom <= state->max_edge)
            {
              if (MAX (width, height) / denom >= state->max_edge * 0.75)
                scale = 1.0 / denom;
              break;
            }
      gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale + 0.5)),
                                  MAX (1, (int) (height * scale + 0.5)));
    }
}

static GdkPixbufLoader *
loader_new (const char  *mime_type,
            LoadState   *state,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GdkPixbufLoader *loader;

  /* Only the loader of the sniffed type: a hostile file never reaches
   * the dozen other gdk-pixbuf loaders. */
  loader = gdk_pixbuf_loader_new_with_mime_type (mime_type, &local_error);
  if (loader == NULL)
    {
      g_set_error (error, NATTER_IMAGE_ERROR, NATTER_IMAGE_ERROR_UNSUPPORTED,
                   _("This system cannot read %s images"), mime_type);
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), state);
  return loader;
}

static gboolean
check_type (GBytes      *data,
            const char **mime_type,
            GError     **error)
{
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);

  *mime_type = natter_image_sniff (bytes, len);
  if (*mime_type == NULL)
    {
      g_set_error (error, NATTER_IMAGE_ERROR, NATTER_IMAGE_ERROR_UNSUPPORTED,
                   _("This is not a PNG, JPEG, WebP or GIF image"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
too_large_error (GError **error)
{
  g_set_error (error, NATTER_IMAGE_ERROR, NATTER_IMAGE_ERROR_TOO_LARGE,
               _("The image is too large (more than %d million pixels)"),
               MAX_PIXELS / 1000000);
  return FALSE;
}

static guint
be16 (const guint8 *p)
{
  return (p[0] << 8) | p[1];
}

static guint
le16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint
le24 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16);
}

/* The size the header states, read by hand: before any decoder sees a
 * byte, a picture claiming billions of pixels is refused. */
static gboolean
header_size (const guint8 *d,
             gsize         len,
             const char   *mime_type,
             gint64       *width,
             gint64       *height)
{
  if (g_str_equal (mime_type, "image/png"))
    {
      if (len < 24 || memcmp (d + 12, "IHDR", 4) != 0)
        return FALSE;
      *width = ((gint64) be16 (d + 16) << 16) | be16 (d + 18);
      *height = ((gint64) be16 (d + 20) << 16) | be16 (d + 22);
      return TRUE;
    }
  if (g_str_equal (mime_type, "image/gif"))
    {
      if (len < 10)
        return FALSE;
      *width = le16 (d + 6);
      *height = le16 (d + 8);
      return TRUE;
    }
  if (g_str_equal (mime_type, "image/webp"))
    {
      if (len >= 30 && memcmp (d + 12, "VP8 ", 4) == 0)
        {
          *width = le16 (d + 26) & 0x3FFF;
          *height = le16 (d + 28) & 0x3FFF;
          return TRUE;
        }
      if (len >= 25 && memcmp (d + 12, "VP8L", 4) == 0)
        {
          *width = 1 + (((d[22] & 0x3F) << 8) | d[21]);
          *height = 1 + (((d[24] & 0xF) << 10) | (d[23] << 2) | ((d[22] & 0xC0) >> 6));
          return TRUE;
        }
      if (len >= 30 && memcmp (d + 12, "VP8X", 4) == 0)
        {
          *width = 1 + le24 (d + 24);
          *height = 1 + le24 (d + 27);
          return TRUE;
        }
      return FALSE;
    }
  if (g_str_equal (mime_type, "image/jpeg"))
    {
      gsize i = 2;

      while (i + 4 <= len)
        {
          guint marker, segment;

          if (d[i] != 0xFF)
            return FALSE;
          marker = d[i + 1];
          if (marker == 0xFF)
            {
              i++;
              continue;
            }
          if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            {
              i += 2;
              continue;
            }
          segment = be16 (d + i + 2);
          if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
            {
              if (i + 9 > len)
                return FALSE;
              *height = be16 (d + i + 5);
              *width = be16 (d + i + 7);
              return TRUE;
            }
          if (segment < 2)
            return FALSE;
          i += 2 + segment;
        }
    }
  return FALSE;
}

/* The EXIF orientation of a JPEG (1: upright, as stored; 0: none said). */
static guint
jpeg_orientation (const guint8 *d,
                  gsize         len)
{
  gsize i = 2;

  while (i + 4 <= len && d[i] == 0xFF)
    {
      guint marker = d[i + 1];
      gsize segment = be16 (d + i + 2);

      if (marker == 0xDA || segment < 2 || i + 2 + segment > len)
        return 0;
      if (marker == 0xE1 && segment >= 16 && memcmp (d + i + 4, "Exif\0\0", 6) == 0)
        {
          const guint8 *tiff = d + i + 10;
          gsize tiff_len = segment - 8;
          gboolean le = tiff[0] == 'I';
          guint32 ifd;
          guint n;

#define U16(p) (le ? le16 (p) : be16 (p))
#define U32(p) (le ? ((guint32) le16 (p) | ((guint32) le16 ((p) + 2) << 16)) \
                   : (((guint32) be16 (p) << 16) | be16 ((p) + 2)))
          if (tiff_len < 8 || (tiff[0] != 'I' && tiff[0] != 'M'))
            return 0;
          ifd = U32 (tiff + 4);
          if ((gsize) ifd + 2 > tiff_len)
            return 0;
          n = U16 (tiff + ifd);
          for (guint e = 0; e < n && (gsize) ifd + 2 + (e + 1) * 12 <= tiff_len; e++)
            {
              const guint8 *entry = tiff + ifd + 2 + e * 12;

              if (U16 (entry) == 0x0112)
                return U16 (entry + 8);
            }
#undef U16
#undef U32
          return 0;
        }
      i += 2 + segment;
    }
  return 0;
}

static gboolean
size_acceptable (gint64 width,
                 gint64 height)
{
  return width > 0 && height > 0 && width <= MAX_EDGE && height <= MAX_EDGE &&
         width * height <= MAX_PIXELS;
}

gboolean
natter_image_get_size (GBytes  *data,
                       int     *width,
                       int     *height,
                       GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  LoadState state = { 0 };
  const char *mime_type;
  const guint8 *bytes;
  gsize len;

  g_return_val_if_fail (data != NULL, FALSE);

  gint64 header_width, header_height;

  if (!check_type (data, &mime_type, error))
    return FALSE;
  bytes = g_bytes_get_data (data, &len);
  if (header_size (bytes, len, mime_type, &header_width, &header_height))
    {
      if (!size_acceptable (header_width, header_height))
        return too_large_error (error);
      /* Nothing to decode: a JPEG decoder would allocate the whole
       * picture as soon as it knows its size. */
      *width = header_width;
      *height = header_height;
      return TRUE;
    }
  state.probe = TRUE;
  if ((loader = loader_new (mime_type, &state, error)) == NULL)
    return FALSE;

  for (gsize offset = 0; offset < len && !state.prepared; offset += PROBE_CHUNK)
    if (!gdk_pixbuf_loader_write (loader, bytes + offset, MIN (PROBE_CHUNK, len - offset), NULL))
      break;
  /* Closing early is an error for the loader, not for us. */
  gdk_pixbuf_loader_close (loader, NULL);

  if (!state.prepared)
    {
      g_set_error (error, NATTER_IMAGE_ERROR, NATTER_IMAGE_ERROR_BROKEN,
                   _("The image is damaged: its size cannot be read"));
      return FALSE;
    }
  if (state.too_large)
    return too_large_error (error);

  *width = state.width;
  *height = state.height;
  return TRUE;
}

static GdkPixbuf *
decode (GBytes      *data,
        const char  *mime_type,
        int          max_edge,
        GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  LoadState state = { 0 };
  GdkPixbuf *pixbuf;
  const guint8 *bytes;
  gsize len;

  bytes = g_bytes_get_data (data, &len);
  if (g_str_equal (mime_type, "image/gif") && !gif_frames_sane (bytes, len))
    {
      g_set_error (error, NATTER_IMAGE_ERROR, NATTER_IMAGE_ERROR_BROKEN,
                   _("The image is damaged: its frames cannot be read"));
      return NULL;
    }
  state.max_edge = max_edge;
  state.jpeg = g_str_equal (mime_type, "image/jpeg");
  if ((loader = loader_new (mime_type, &state, error)) == NULL)
    return NULL;

  for (gsize offset = 0; offset < len; offset += 65536)
    {
      if (!gdk_pixbuf_loader_write (loader, bytes + offset, MIN (65536, len - offset),
                                    &local_error))
        break;
      if (state.too_large)
        break;
    }
  if (local_error == NULL && !state.too_large)
    gdk_pixbuf_loader_close (loader, &local_error);
  else
    gdk_pixbuf_loader_close (loader, NULL);

  if (state.too_large)
    {
      too_large_error (error);
      return NULL;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (local_error != NULL || pixbuf == NULL)
    {
      g_set_error (error, NATTER_IMAGE_ERROR, NATTER_IMAGE_ERROR_BROKEN,
                   _("The image is damaged and cannot be read: %s"),
                   local_error ? local_error->message : _("no picture in it"));
      return NULL;
    }
  /* A phone keeps its photos as the sensor saw them and says in EXIF
   * which way is up; the re-encoded copy has no EXIF, so it is turned
   * now. */
  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

static GBytes *
encode (GdkPixbuf   *pixbuf,
        const char **mime_type,
        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buffer = NULL;
  gsize size = 0;
  gboolean ok;

  if (gdk_pixbuf_get_has_alpha (pixbuf))
    {
      *mime_type = "image/png";
      ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &local_error, NULL);
    }
  else
    {
      *mime_type = "image/jpeg";
      ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &local_error,
                                      "quality", JPEG_QUALITY, NULL);
    }
  if (!ok)
    {
      g_set_error (error, NATTER_IMAGE_ERROR, NATTER_IMAGE_ERROR_BROKEN,
                   _("The image cannot be re-encoded: %s"), local_error->message);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

/* gdk-pixbuf hands back the rows it got from a cut-off file without a
 * word: the end of the file must be there. */
static gboolean
has_end (const guint8 *d,
         gsize         len,
         const char   *mime_type)
{
  if (g_str_equal (mime_type, "image/png"))
    {
      /* The IEND chunk: length 0, type, CRC; anything after it is ignored. */
      for (gsize i = 0; i + 8 <= len && i < 64 * 1024; i++)
        if (memcmp (d + len - 8 - i, "IEND", 4) == 0)
          return TRUE;
      return FALSE;
    }
  if (g_str_equal (mime_type, "image/jpeg"))
    {
      for (gsize i = 0; i + 2 <= len && i < 64 * 1024; i++)
        if (d[len - 2 - i] == 0xFF && d[len - 1 - i] == 0xD9)
          return TRUE;
      return FALSE;
    }
  if (g_str_equal (mime_type, "image/gif"))
    {
      for (gsize i = 0; i < len && i < 64 * 1024; i++)
        if (d[len - 1 - i] == 0x3B)
          return TRUE;
      return FALSE;
    }
  if (g_str_equal (mime_type, "image/webp"))
    return len >= 12 && (gsize) (d[4] | (d[5] << 8) | (d[6] << 16) | ((guint32) d[7] << 24)) + 8 <= len;
  return TRUE;
}

/* GIF's blocks walked before its decoder sees them: gdk-pixbuf's loader
 * trips over a frame of no width or height. FALSE when the file is not
 * made of well-formed blocks or has such a frame. */
static gboolean
gif_frames_sane (const guint8 *d,
                 gsize         len)
{
  gsize i = 13;

  if (len < 13)
    return FALSE;
  if (d[10] & 0x80)
    i += 3 * ((gsize) 1 << ((d[10] & 0x07) + 1));
  while (i < len)
    {
      switch (d[i])
        {
        case 0x3B:  /* trailer */
          return TRUE;
        case 0x21:  /* extension: label, then sub-blocks */
          i += 2;
          break;
        case 0x2C:  /* image: descriptor, colour table, LZW size, sub-blocks */
          if (i + 10 > len || le16 (d + i + 5) == 0 || le16 (d + i + 7) == 0)
            return FALSE;
          if (d[i + 9] & 0x80)
            i += 3 * ((gsize) 1 << ((d[i + 9] & 0x07) + 1));
          i += 11;
          break;
        default:
          return FALSE;
        }
      while (i < len && d[i] != 0)
        i += d[i] + 1;
      i++;
    }
  return FALSE;
}

gboolean
natter_image_validate (GBytes  *data,
                       GError **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  const char *mime_type;
  const guint8 *bytes;
  gsize len;

  g_return_val_if_fail (data != NULL, FALSE);

  if (!check_type (data, &mime_type, error))
    return FALSE;
  bytes = g_bytes_get_data (data, &len);
  if (!has_end (bytes, len, mime_type))
    {
      g_set_error (error, NATTER_IMAGE_ERROR, NATTER_IMAGE_ERROR_BROKEN,
                   _("The image is damaged: the file is cut off"));
      return FALSE;
    }
  pixbuf = decode (data, mime_type, 0, error);
  return pixbuf != NULL;
}

GBytes *
natter_image_fit (GBytes      *data,
                  const char  *mime_type,
                  int          max_edge,
                  gsize        max_bytes,
                  char       **out_mime,
                  GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  const char *sniffed;
  int width, height;

  g_return_val_if_fail (data != NULL, NULL);

  if (!check_type (data, &sniffed, error) ||
      !natter_image_get_size (data, &width, &height, error))
    return NULL;
  if (!has_end (g_bytes_get_data (data, NULL), g_bytes_get_size (data), sniffed))
    {
      g_set_error (error, NATTER_IMAGE_ERROR, NATTER_IMAGE_ERROR_BROKEN,
                   _("The image is damaged: the file is cut off"));
      return NULL;
    }

  if ((max_edge <= 0 || MAX (width, height) <= max_edge) &&
      (max_bytes == 0 || g_bytes_get_size (data) <= max_bytes) &&
      /* A photo that is not upright as stored is turned, even when small. */
      (!g_str_equal (sniffed, "image/jpeg") ||
       jpeg_orientation (g_bytes_get_data (data, NULL), g_bytes_get_size (data)) <= 1))
    {
      if (out_mime != NULL)
        *out_mime = g_strdup (sniffed);
      return g_bytes_ref (data);
    }

  if ((pixbuf = decode (data, sniffed, max_edge, error)) == NULL)
    return NULL;

  for (;;)
    {
      g_autoptr(GBytes) encoded = NULL;
      const char *encoded_mime;
      int w = gdk_pixbuf_get_width (pixbuf);
      int h = gdk_pixbuf_get_height (pixbuf);

      /* Loaders that cannot scale while decoding leave it to us. */
      if (max_edge > 0 && MAX (w, h) > max_edge)
        {
          double scale = (double) max_edge / MAX (w, h);
          GdkPixbuf *scaled = gdk_pixbuf_scale_simple (pixbuf, MAX (1, (int) (w * scale + 0.5)),
                                                       MAX (1, (int) (h * scale + 0.5)),
                                                       GDK_INTERP_BILINEAR);

          g_object_unref (pixbuf);
          pixbuf = scaled;
          continue;
        }

      if ((encoded = encode (pixbuf, &encoded_mime, error)) == NULL)
        return NULL;
      if (max_bytes == 0 || g_bytes_get_size (encoded) <= max_bytes || MAX (w, h) <= 64)
        {
          if (out_mime != NULL)
            *out_mime = g_strdup (encoded_mime);
          return g_steal_pointer (&encoded);
        }
      /* Still too heavy: three quarters of the size, and again. */
      max_edge = MAX (64, (int) (MAX (w, h) * 0.75));
    }
}
