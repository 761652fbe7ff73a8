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
  NATTER_PNG_ERROR_BAD_TEXT,   /* a zTXt/iTXt chunk whose text cannot be read (bad zlib data, unknown method) */
  NATTER_PNG_ERROR_TOO_LARGE,  /* a compressed text inflates to more than the caller's cap */
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
/* The text of the first tEXt, zTXt or iTXt chunk whose keyword is
 * @keyword (tEXt: as stored; zTXt and compressed iTXt: inflated with zlib;
 * iTXt: the UTF-8 text after the language tag and translated keyword).
 * Returns FALSE with @error when the PNG is damaged or that chunk's text
 * cannot be read (BAD_TEXT) or comes to more than @max_size bytes
 * (TOO_LARGE; inflating stops there, so a zip bomb costs at most
 * @max_size bytes). Returns TRUE with *@text NULL when there is no such
 * chunk. Later chunks with the same keyword are not looked at. */
gboolean     natter_png_read_text        (GBytes              *png,
                                          const char          *keyword,
                                          gsize                max_size,
                                          GBytes             **text,
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
