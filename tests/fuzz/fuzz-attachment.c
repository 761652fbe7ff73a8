/* fuzz-attachment.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for attaching a file: type sniffing, image headers,
 * decoding, downscaling and re-encoding (gdk-pixbuf), PDF text (poppler),
 * text checks. Promises: an error is set exactly when nothing is
 * returned; what is returned is a picture whose size can be read and that
 * fits the stored limits, or valid UTF-8 text within its cap; the address
 * is the SHA-256 of the data. Built and run by run-fuzz.sh. */

#include "config.h"

#include "fuzz-common.h"
#include "natter-attachment-file.h"
#include "natter-image-fit.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterAttachment) attachment = natter_attachment_from_bytes (bytes, "fuzz.bin", &error);
  g_autofree char *sha256 = NULL;
  gsize len;
  const char *text;

  fuzz_check ((attachment == NULL) == (error != NULL), "error set exactly on failure");
  if (attachment == NULL)
    {
      fuzz_check (error->domain == NATTER_ATTACHMENT_ERROR, "errors in the attachment domain");
      fuzz_check (g_utf8_validate (error->message, -1, NULL), "a readable error");
      return 0;
    }

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, attachment->data);
  fuzz_check (g_strcmp0 (sha256, attachment->sha256) == 0, "the address is the content's SHA-256");
  text = g_bytes_get_data (attachment->data, &len);
  if (attachment->kind == NATTER_ATTACHMENT_IMAGE)
    {
      int width, height;

      fuzz_check (natter_image_get_size (attachment->data, &width, &height, NULL), "a readable picture");
      fuzz_check (MAX (width, height) <= NATTER_ATTACHMENT_IMAGE_MAX_EDGE, "within the stored edge");
      fuzz_check (len <= NATTER_ATTACHMENT_IMAGE_MAX_BYTES || MAX (width, height) <= 64,
                  "within the stored size");
    }
  else
    {
      fuzz_check (len <= NATTER_ATTACHMENT_MAX_TEXT_SIZE, "text within its cap");
      fuzz_check (g_utf8_validate_len (text, len, NULL), "text is UTF-8");
    }
  return 0;
}
