/* natter-png.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A PNG chunk reader and writer for metadata only: no image decoding.
 * Every length in the file is checked against the file size and every
 * chunk's CRC is verified before anything is returned. */

#define NATTER_PNG_ERROR (natter_png_error_quark ())
GQuark natter_png_error_quark (void);

typedef enum
{
  NATTER_PNG_ERROR_NOT_PNG,    /* no PNG signature */
  NATTER_PNG_ERROR_TRUNCATED,  /* a chunk runs past the end, or no IEND */
  NATTER_PNG_ERROR_BAD_CRC,    /* a chunk's CRC does not match its bytes */
  NATTER_PNG_ERROR_MALFORMED,  /* bad chunk type, length over 2^31-1, no IHDR first, bad keyword */
} NatterPngError;

typedef struct
{
  char    type[5];  /* NUL-terminated four-letter type */
  gsize   offset;   /* offset of the chunk's data in the file */
  guint32 length;   /* length of the chunk's data */
} NatterPngChunk;

gboolean     natter_png_has_signature    (const guint8        *data,
                                          gsize                size);
/* The chunks up to and including IEND (bytes after IEND are ignored), as
 * an array of NatterPngChunk; NULL and @error when the file is damaged. */
GArray      *natter_png_parse_chunks     (GBytes              *png,
                                          GError             **error);
/* tEXt chunks as keyword (Latin-1 as stored) → text (GBytes, without NUL).
 * When a keyword occurs more than once, the first chunk wins. Malformed
 * tEXt chunks (no separator, empty or over-long keyword) are skipped. */
GHashTable  *natter_png_read_text_chunks (GBytes              *png,
                                          GError             **error);
/* A copy of @png where every tEXt/zTXt/iTXt chunk named by one of
 * @keywords is removed and, for each keywords[i] whose texts[i] is not
 * NULL, a tEXt chunk keywords[i]\0texts[i] is added just before IEND.
 * @keywords is NULL-terminated; @texts has as many entries. */
GBytes      *natter_png_set_text_chunks  (GBytes              *png,
                                          const char * const  *keywords,
                                          const char * const  *texts,
                                          GError             **error);

G_END_DECLS
