/* natter-image-fit.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NATTER_IMAGE_ERROR (natter_image_error_quark ())

typedef enum
{
  NATTER_IMAGE_ERROR_UNSUPPORTED,  /* not PNG, JPEG, WebP or GIF */
  NATTER_IMAGE_ERROR_BROKEN,       /* the decoder refused it */
  NATTER_IMAGE_ERROR_TOO_LARGE,    /* more pixels than we are willing to decode */
} NatterImageError;

GQuark      natter_image_error_quark (void);

/* The image type told by the first bytes of @data ("image/png",
 * "image/jpeg", "image/gif", "image/webp"), or NULL. The file name plays
 * no part. */
const char *natter_image_sniff       (const guint8 *data,
                                      gsize         len);

/* Width and height from the image header, without decoding the pixels.
 * FALSE with a NATTER_IMAGE_ERROR when @data is not an image we read or
 * its header is broken. */
gboolean    natter_image_get_size    (GBytes       *data,
                                      int          *width,
                                      int          *height,
                                      GError      **error);

/* TRUE when @data decodes completely (a truncated or damaged image gives
 * a NATTER_IMAGE_ERROR). Blocking. */
gboolean    natter_image_validate    (GBytes       *data,
                                      GError      **error);

/* @data itself (a new reference, *@out_mime = @mime_type) when its
 * longest edge is at most @max_edge and it is at most @max_bytes long;
 * else the image decoded, scaled to fit (aspect kept; a JPEG may come out
 * down to 3/4 of @max_edge, the size its decoder reaches by itself, much
 * faster) and re-encoded:
 * JPEG, or PNG when it has transparency, shrunk further until it fits
 * @max_bytes. An animated GIF keeps its first frame. @max_edge or
 * @max_bytes 0: no limit of that kind. Blocking (decodes): call it off
 * the main thread for large photos. */
GBytes     *natter_image_fit         (GBytes       *data,
                                      const char   *mime_type,
                                      int           max_edge,
                                      gsize         max_bytes,
                                      char        **out_mime,
                                      GError      **error);

G_END_DECLS
