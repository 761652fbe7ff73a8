/* test-avatar.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <zlib.h>

#include "natter-avatar.h"

/* A @width × @height image in three equal bands, red, green and blue, side
 * by side when @across, else from top to bottom. */
static GdkPixbuf *
three_bands (int      width,
             int      height,
             gboolean across)
{
  static const guint32 colours[3] = { 0xff0000ff, 0x00ff00ff, 0x0000ffff };
  GdkPixbuf *image = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);

  for (int i = 0; i < 3; i++)
    {
      int side = across ? width : height;
      int start = side * i / 3, end = side * (i + 1) / 3;
      g_autoptr(GdkPixbuf) band = across
        ? gdk_pixbuf_new_subpixbuf (image, start, 0, end - start, height)
        : gdk_pixbuf_new_subpixbuf (image, 0, start, width, end - start);

      gdk_pixbuf_fill (band, colours[i]);
    }
  return image;
}

/* The PNG @png decoded; its size in @width and @height, the colour of its
 * middle pixel as 0xRRGGBB. */
static guint32
decode (GBytes *png,
        int    *width,
        int    *height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) image = natter_avatar_load_bytes (png, &error);
  const guint8 *pixels, *p;

  g_assert_no_error (error);
  g_assert_nonnull (image);
  *width = gdk_pixbuf_get_width (image);
  *height = gdk_pixbuf_get_height (image);
  pixels = gdk_pixbuf_read_pixels (image);
  p = pixels + (*height / 2) * gdk_pixbuf_get_rowstride (image)
             + (*width / 2) * gdk_pixbuf_get_n_channels (image);
  return (guint32) p[0] << 16 | (guint32) p[1] << 8 | p[2];
}

static void
test_crop_rect (void)
{
  int x, y, w, h;

  natter_avatar_crop_rect (300, 100, 0.0, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 0); g_assert_cmpint (y, ==, 0);
  g_assert_cmpint (w, ==, 66); g_assert_cmpint (h, ==, 100);
  natter_avatar_crop_rect (300, 100, 1.0, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 234);
  natter_avatar_crop_rect (300, 100, NATTER_AVATAR_CENTRE, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 117);
  /* Out of range positions are held at the edges. */
  natter_avatar_crop_rect (300, 100, 7.0, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 234);

  natter_avatar_crop_rect (100, 600, 0.0, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 0); g_assert_cmpint (y, ==, 0);
  g_assert_cmpint (w, ==, 100); g_assert_cmpint (h, ==, 150);
  natter_avatar_crop_rect (100, 600, 1.0, &x, &y, &w, &h);
  g_assert_cmpint (y, ==, 450);
  g_assert_true (natter_avatar_is_wide (300, 100));
  g_assert_false (natter_avatar_is_wide (100, 600));
  /* Exactly 2:3 keeps everything. */
  natter_avatar_crop_rect (200, 300, 1.0, &x, &y, &w, &h);
  g_assert_cmpint (x, ==, 0); g_assert_cmpint (y, ==, 0);
  g_assert_cmpint (w, ==, 200); g_assert_cmpint (h, ==, 300);
  /* A one-pixel image still gives a picture. */
  natter_avatar_crop_rect (1, 1, 0.5, &x, &y, &w, &h);
  g_assert_cmpint (w, ==, 1); g_assert_cmpint (h, ==, 1);
}

static void
test_crop_position (void)
{
  g_autoptr(GdkPixbuf) wide = three_bands (300, 100, TRUE);
  g_autoptr(GdkPixbuf) tall = three_bands (90, 600, FALSE);
  static const struct { double position; guint32 colour; } cases[] = {
    { 0.0, 0xff0000 }, { NATTER_AVATAR_CENTRE, 0x00ff00 }, { 1.0, 0x0000ff },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) png = natter_avatar_crop (wide, cases[i].position, &error);
      int w, h;

      g_assert_no_error (error);
      g_assert_cmphex (decode (png, &w, &h), ==, cases[i].colour);
      g_assert_cmpint (w, ==, 66);
      g_assert_cmpint (h, ==, 100);

      g_clear_pointer (&png, g_bytes_unref);
      png = natter_avatar_crop (tall, cases[i].position, &error);
      g_assert_no_error (error);
      g_assert_cmphex (decode (png, &w, &h), ==, cases[i].colour);
      g_assert_cmpint (w, ==, 90);
      g_assert_cmpint (h, ==, 135);
    }
}

static void
test_scaled (void)
{
  g_autoptr(GdkPixbuf) big = three_bands (1500, 1500, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = natter_avatar_crop (big, NATTER_AVATAR_CENTRE, &error);
  int w, h;

  g_assert_no_error (error);
  g_assert_cmphex (decode (png, &w, &h), ==, 0x00ff00);
  g_assert_cmpint (w, ==, NATTER_AVATAR_WIDTH);
  g_assert_cmpint (h, ==, NATTER_AVATAR_HEIGHT);
}

static void
test_file (void)
{
  g_autoptr(GdkPixbuf) wide = three_bands (300, 100, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("natter-avatar-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "wide.jpg", NULL);
  g_autoptr(GBytes) png = NULL;
  int w, h;

  g_assert_no_error (error);
  /* Any format gdk-pixbuf reads, here JPEG. */
  g_assert_true (gdk_pixbuf_save (wide, path, "jpeg", &error, "quality", "95", NULL));
  png = natter_avatar_crop_file (path, 1.0, &error);
  g_assert_no_error (error);
  decode (png, &w, &h);
  g_assert_cmpint (w, ==, 66);
  g_assert_cmpint (h, ==, 100);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 4, "\x89PNG", 4);

  /* A folder is not an image. */
  g_clear_pointer (&png, g_bytes_unref);
  png = natter_avatar_crop_file (dir, 0.5, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (png);

  g_unlink (path);
  g_rmdir (dir);
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              guint32       len)
{
  guint8 be[4] = { len >> 24, len >> 16, len >> 8, len };
  uLong crc = crc32 (0, (const Bytef *) type, 4);

  if (len > 0)
    crc = crc32 (crc, data, len);
  g_byte_array_append (png, be, 4);
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (png, data, len);
  be[0] = crc >> 24; be[1] = crc >> 16; be[2] = crc >> 8; be[3] = crc;
  g_byte_array_append (png, be, 4);
}

/* A small PNG file whose header claims @width × @height pixels. */
static GBytes *
lying_png (guint32 width,
           guint32 height)
{
  GByteArray *png = g_byte_array_new ();
  guint8 ihdr[13] = {
    width >> 24, width >> 16, width >> 8, width,
    height >> 24, height >> 16, height >> 8, height,
    8, 2, 0, 0, 0,
  };
  guint8 idat[64];
  uLongf idat_len = sizeof idat;
  guint8 row[4] = { 0 };

  g_assert_cmpint (compress (idat, &idat_len, row, sizeof row), ==, Z_OK);
  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  append_chunk (png, "IHDR", ihdr, sizeof ihdr);
  append_chunk (png, "IDAT", idat, idat_len);
  append_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (png);
}

static void
test_hostile (void)
{
  static const guint32 sizes[][2] = {
    { 100000, 100000 },   /* 10^10 pixels: 30 GB decoded */
    { 20000, 10 },        /* a side over the limit */
    { 8000, 8000 },       /* 64 million pixels */
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("GIF89a but not really", 21);
  GdkPixbuf *image;
  int fd;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) png = lying_png (sizes[i][0], sizes[i][1]);

      image = natter_avatar_load_bytes (png, &error);
      g_assert_null (image);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "too large"));
      g_clear_error (&error);
    }

  image = natter_avatar_load_bytes (garbage, &error);
  g_assert_null (image);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* Formats other than the common picture formats never reach a loader,
   * even when gdk-pixbuf could read them (here an icon, XPM, TGA). */
  {
    static const char xpm[] = "/* XPM */\nstatic char *x[] = {\"1 1 1 1\", \"a c #ff0000\", \"a\"};\n";
    static const guint8 ico[] = { 0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 32, 0 };
    g_autoptr(GBytes) xpm_bytes = g_bytes_new_static (xpm, sizeof xpm - 1);
    g_autoptr(GBytes) ico_bytes = g_bytes_new_static (ico, sizeof ico);

    image = natter_avatar_load_bytes (xpm_bytes, &error);
    g_assert_null (image);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "PNG, JPEG"));
    g_clear_error (&error);
    image = natter_avatar_load_bytes (ico_bytes, &error);
    g_assert_null (image);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_clear_error (&error);
  }

  /* A file over the size limit is refused before it is read (sparse here). */
  dir = g_dir_make_tmp ("natter-avatar-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "huge.png", NULL);
  fd = g_open (path, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, NATTER_AVATAR_MAX_FILE_SIZE + 1), ==, 0);
  close (fd);
  g_assert_null (natter_avatar_crop_file (path, 0.5, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "larger than"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/avatar/crop-rect", test_crop_rect);
  g_test_add_func ("/natter/avatar/crop-position", test_crop_position);
  g_test_add_func ("/natter/avatar/scaled", test_scaled);
  g_test_add_func ("/natter/avatar/file", test_file);
  g_test_add_func ("/natter/avatar/hostile", test_hostile);

  return g_test_run ();
}
