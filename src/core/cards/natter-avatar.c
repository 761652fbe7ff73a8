/* natter-avatar.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "natter-avatar.h"

typedef struct
{
  int width;
  int height;
  gboolean too_large;
} Header;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  Header          *header)
{
  header->width = width;
  header->height = height;
  if (width <= 0 || height <= 0 ||
      width > NATTER_AVATAR_MAX_SIDE || height > NATTER_AVATAR_MAX_SIDE ||
      (gint64) width * height > NATTER_AVATAR_MAX_PIXELS)
    {
      /* A size of zero makes the loader stop before it allocates. */
      header->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

/* The gdk-pixbuf loader for @data when it is one of the common formats
 * people use for pictures; other loaders (icons, old bitmap formats) are
 * never handed a file. */
static const char *
sniff_type (GBytes *data)
{
  gsize len;
  const guint8 *p = g_bytes_get_data (data, &len);

  if (len >= 8 && memcmp (p, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
    return "jpeg";
  if (len >= 6 && (memcmp (p, "GIF87a", 6) == 0 || memcmp (p, "GIF89a", 6) == 0))
    return "gif";
  if (len >= 12 && memcmp (p, "RIFF", 4) == 0 && memcmp (p + 8, "WEBP", 4) == 0)
    return "webp";
  if (len >= 2 && p[0] == 'B' && p[1] == 'M')
    return "bmp";
  return NULL;
}

GdkPixbuf *
natter_avatar_load_bytes (GBytes  *data,
                          GError **error)
{
  const char *type;
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  Header header = { 0, 0, FALSE };
  GdkPixbuf *pixbuf;
  gboolean written, closed;

  g_return_val_if_fail (data != NULL, NULL);

  if (g_bytes_get_size (data) > NATTER_AVATAR_MAX_FILE_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The image file is larger than %d MB"),
                   NATTER_AVATAR_MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }

  type = sniff_type (data);
  if (type == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Not a PNG, JPEG, GIF, WebP or BMP image"));
      return NULL;
    }
  loader = gdk_pixbuf_loader_new_with_type (type, &local_error);
  if (loader == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("This system cannot read %s images: %s"), type, local_error->message);
      return NULL;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &header);
  written = gdk_pixbuf_loader_write_bytes (loader, data, &local_error);
  /* Closing is needed in every case; its error matters only after a write that worked. */
  closed = gdk_pixbuf_loader_close (loader, written ? &local_error : NULL);

  if (header.too_large)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The image is too large (%d × %d pixels; at most %d on a side)"),
                   header.width, header.height, NATTER_AVATAR_MAX_SIDE);
      return NULL;
    }
  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (!written || !closed || pixbuf == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Not an image that can be read: %s"),
                   local_error != NULL ? local_error->message : _("no picture in the file"));
      return NULL;
    }
  return gdk_pixbuf_apply_embedded_orientation (pixbuf);
}

GdkPixbuf *
natter_avatar_load (const char  *path,
                    GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("“%s” is not a file"), path);
      return NULL;
    }
  if (g_file_info_get_size (info) > NATTER_AVATAR_MAX_FILE_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The image file is larger than %d MB"),
                   NATTER_AVATAR_MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  data = g_bytes_new_take (g_steal_pointer (&contents), length);
  return natter_avatar_load_bytes (data, error);
}

gboolean
natter_avatar_is_wide (int width,
                       int height)
{
  return (gint64) width * 3 > (gint64) height * 2;
}

void
natter_avatar_crop_rect (int     width,
                         int     height,
                         double  position,
                         int    *x,
                         int    *y,
                         int    *w,
                         int    *h)
{
  position = CLAMP (position, 0.0, 1.0);
  *x = *y = 0;
  if (natter_avatar_is_wide (width, height))
    {
      *h = height;
      *w = CLAMP ((int) ((gint64) height * 2 / 3), 1, width);
      *x = (int) ((width - *w) * position + 0.5);
    }
  else
    {
      *w = width;
      *h = CLAMP ((int) ((gint64) width * 3 / 2), 1, height);
      *y = (int) ((height - *h) * position + 0.5);
    }
}

GBytes *
natter_avatar_crop (GdkPixbuf  *image,
                    double      position,
                    GError    **error)
{
  g_autoptr(GdkPixbuf) cropped = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autofree char *buffer = NULL;
  int x, y, w, h;
  gsize size;

  g_return_val_if_fail (GDK_IS_PIXBUF (image), NULL);

  natter_avatar_crop_rect (gdk_pixbuf_get_width (image), gdk_pixbuf_get_height (image),
                           position, &x, &y, &w, &h);
  cropped = gdk_pixbuf_new_subpixbuf (image, x, y, w, h);
  if (h > NATTER_AVATAR_HEIGHT)
    scaled = gdk_pixbuf_scale_simple (cropped, NATTER_AVATAR_WIDTH, NATTER_AVATAR_HEIGHT,
                                      GDK_INTERP_BILINEAR);
  else
    scaled = g_object_ref (cropped);
  if (scaled == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, _("Not enough memory to scale the image"));
      return NULL;
    }
  if (!gdk_pixbuf_save_to_buffer (scaled, &buffer, &size, "png", error, NULL))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

GBytes *
natter_avatar_crop_file (const char  *path,
                         double       position,
                         GError     **error)
{
  g_autoptr(GdkPixbuf) image = natter_avatar_load (path, error);

  if (image == NULL)
    return NULL;
  return natter_avatar_crop (image, position, error);
}
