/* natter-attachment-file.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-tool.h"

G_BEGIN_DECLS

#define NATTER_ATTACHMENT_ERROR (natter_attachment_error_quark ())

typedef enum
{
  NATTER_ATTACHMENT_ERROR_TOO_LARGE,
  NATTER_ATTACHMENT_ERROR_UNSUPPORTED,  /* not an image, a text file or a PDF */
  NATTER_ATTACHMENT_ERROR_BROKEN,       /* a damaged image or PDF */
  NATTER_ATTACHMENT_ERROR_EMPTY,        /* nothing in it (a PDF without text: scanned pages) */
} NatterAttachmentError;

/* Files larger than this are refused before they are read. */
#define NATTER_ATTACHMENT_MAX_FILE_SIZE  (40 * 1024 * 1024)
/* Text (a text file, or what a PDF holds) longer than this is refused. */
#define NATTER_ATTACHMENT_MAX_TEXT_SIZE  (1024 * 1024)
/* Images are stored downscaled to fit what every provider takes. */
#define NATTER_ATTACHMENT_IMAGE_MAX_EDGE  2048
#define NATTER_ATTACHMENT_IMAGE_MAX_BYTES (3 * 1024 * 1024 + 3 * 1024 * 1024 / 4)

GQuark            natter_attachment_error_quark (void);

/* What a file's bytes are, told from the content (the name only picks
 * among text types): an image (PNG, JPEG, WebP, GIF: downscaled and
 * re-encoded when over NATTER_ATTACHMENT_IMAGE_MAX_*), a PDF (its text,
 * extracted with poppler) or a UTF-8 text file. The attachment's sha256
 * is that of its data. Blocking: run it off the main thread. */
NatterAttachment *natter_attachment_from_bytes  (GBytes               *bytes,
                                                 const char           *filename,
                                                 GError              **error);
/* Reads @file (at most NATTER_ATTACHMENT_MAX_FILE_SIZE) and calls
 * natter_attachment_from_bytes(). Blocking. */
NatterAttachment *natter_attachment_load        (GFile                *file,
                                                 GCancellable         *cancellable,
                                                 GError              **error);
/* The same in a worker thread. */
void              natter_attachment_load_async  (GFile                *file,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
NatterAttachment *natter_attachment_load_finish (GAsyncResult         *result,
                                                 GError              **error);
/* natter_attachment_from_bytes() in a worker thread (pasted images). */
void              natter_attachment_from_bytes_async  (GBytes               *bytes,
                                                       const char           *filename,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
NatterAttachment *natter_attachment_from_bytes_finish (GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
