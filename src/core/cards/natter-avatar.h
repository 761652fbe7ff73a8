/* natter-avatar.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* Avatars of characters and personas: any image gdk-pixbuf reads, cut to
 * the 2:3 portrait of a character card and stored as PNG. Images are
 * hostile: the file size and the pixel size (read from the header, before
 * anything is decoded) are capped. */

/* The largest image file read. */
#define NATTER_AVATAR_MAX_FILE_SIZE (32 * 1024 * 1024)
/* The largest image decoded: a side, and width × height. */
#define NATTER_AVATAR_MAX_SIDE 16384
#define NATTER_AVATAR_MAX_PIXELS (48 * 1024 * 1024)
/* The size an avatar is scaled down to when it is taller. */
#define NATTER_AVATAR_WIDTH 512
#define NATTER_AVATAR_HEIGHT 768

/* The middle of the excess side. */
#define NATTER_AVATAR_CENTRE 0.5

/* Reads the image in @data (at most NATTER_AVATAR_MAX_FILE_SIZE bytes): PNG,
 * JPEG, GIF (its first frame), WebP (when its loader is installed) or BMP,
 * told apart by their first bytes; upright as its EXIF orientation says.
 * G_IO_ERROR_INVALID_DATA for an image too large or in another format,
 * G_IO_ERROR_NOT_SUPPORTED for a format this system has no loader for. */
GdkPixbuf *natter_avatar_load_bytes (GBytes      *data,
                                     GError     **error);
/* The same for a file. */
GdkPixbuf *natter_avatar_load       (const char  *path,
                                     GError     **error);

/* The 2:3 rectangle kept of a @width × @height image: all of the narrow
 * side, and of the other side the part at @position (0: top or left edge,
 * 1: bottom or right edge, NATTER_AVATAR_CENTRE: the middle). */
void       natter_avatar_crop_rect  (int          width,
                                     int          height,
                                     double       position,
                                     int         *x,
                                     int         *y,
                                     int         *w,
                                     int         *h);
/* Whether the image is wider than 2:3 (the crop moves sideways) rather
 * than taller. */
gboolean   natter_avatar_is_wide    (int          width,
                                     int          height);

/* @image cut to 2:3 at @position, scaled to at most 512×768; a new PNG. */
GBytes    *natter_avatar_crop       (GdkPixbuf   *image,
                                     double       position,
                                     GError     **error);
/* natter_avatar_load() then natter_avatar_crop(). */
GBytes    *natter_avatar_crop_file  (const char  *path,
                                     double       position,
                                     GError     **error);

G_END_DECLS
