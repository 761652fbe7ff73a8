/* natter-attachment-file.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Files are hostile: the type comes from the bytes, every size is capped,
 * and a damaged file is a clear error, never a crash or a half value. */

#define G_LOG_DOMAIN "natter-attachment"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <poppler.h>

#include "natter-attachment-file.h"
#include "natter-image-fit.h"

/* A PDF with more pages is a book, not an attachment. */
#define MAX_PDF_PAGES 2000

/* poppler-glib 22.02 declares no autoptr cleanups. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)

G_DEFINE_QUARK (natter-attachment-error-quark, natter_attachment_error)

static void
set_sha256 (NatterAttachment *attachment)
{
  g_free (attachment->sha256);
  attachment->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, attachment->data);
}

static gboolean
text_too_large (gsize    len,
                GError **error)
{
  g_autofree char *size = g_format_size (len);
  g_autofree char *limit = g_format_size (NATTER_ATTACHMENT_MAX_TEXT_SIZE);

  g_set_error (error, NATTER_ATTACHMENT_ERROR, NATTER_ATTACHMENT_ERROR_TOO_LARGE,
               _("The text is too long to attach (%s; at most %s)"), size, limit);
  return FALSE;
}

static gboolean
file_too_large (goffset  len,
                GError **error)
{
  g_autofree char *size = g_format_size (len);
  g_autofree char *limit = g_format_size (NATTER_ATTACHMENT_MAX_FILE_SIZE);

  g_set_error (error, NATTER_ATTACHMENT_ERROR, NATTER_ATTACHMENT_ERROR_TOO_LARGE,
               _("The file is too large to attach (%s; at most %s)"), size, limit);
  return FALSE;
}

static NatterAttachment *
from_image (GBytes      *bytes,
            const char  *mime_type,
            const char  *filename,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *out_mime = NULL;
  g_autoptr(GBytes) fitted = NULL;
  NatterAttachment *attachment;

  fitted = natter_image_fit (bytes, mime_type, NATTER_ATTACHMENT_IMAGE_MAX_EDGE,
                             NATTER_ATTACHMENT_IMAGE_MAX_BYTES, &out_mime, &local_error);
  /* Kept as it is: still decoded once, so a damaged file is caught now
   * rather than by the provider. */
  if (fitted == bytes && !natter_image_validate (bytes, &local_error))
    g_clear_pointer (&fitted, g_bytes_unref);
  if (fitted == NULL)
    {
      g_set_error (error, NATTER_ATTACHMENT_ERROR,
                   g_error_matches (local_error, NATTER_IMAGE_ERROR, NATTER_IMAGE_ERROR_TOO_LARGE)
                   ? NATTER_ATTACHMENT_ERROR_TOO_LARGE : NATTER_ATTACHMENT_ERROR_BROKEN,
                   "%s", local_error->message);
      return NULL;
    }
  attachment = natter_attachment_new (NATTER_ATTACHMENT_IMAGE, out_mime, filename, fitted);
  set_sha256 (attachment);
  return attachment;
}

static NatterAttachment *
from_pdf (GBytes      *bytes,
          const char  *filename,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  NatterAttachment *attachment;
  int n_pages;

  document = poppler_document_new_from_bytes (bytes, NULL, &local_error);
  if (document == NULL)
    {
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error (error, NATTER_ATTACHMENT_ERROR, NATTER_ATTACHMENT_ERROR_UNSUPPORTED,
                     _("The PDF is protected by a password"));
      else
        g_set_error (error, NATTER_ATTACHMENT_ERROR, NATTER_ATTACHMENT_ERROR_BROKEN,
                     _("The PDF is damaged and cannot be read: %s"), local_error->message);
      return NULL;
    }

  n_pages = poppler_document_get_n_pages (document);
  if (n_pages > MAX_PDF_PAGES)
    {
      g_set_error (error, NATTER_ATTACHMENT_ERROR, NATTER_ATTACHMENT_ERROR_TOO_LARGE,
                   _("The PDF has too many pages (%d; at most %d)"), n_pages, MAX_PDF_PAGES);
      return NULL;
    }
  for (int i = 0; i < n_pages; i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (document, i);
      g_autofree char *page_text = page ? poppler_page_get_text (page) : NULL;

      if (page_text == NULL)
        continue;
      g_strstrip (page_text);
      if (*page_text == '\0')
        continue;
      if (text->len > 0)
        g_string_append (text, "\n\n");
      g_string_append (text, page_text);
      if (text->len > NATTER_ATTACHMENT_MAX_TEXT_SIZE)
        {
          text_too_large (text->len, error);
          return NULL;
        }
    }
  if (text->len == 0)
    {
      g_set_error (error, NATTER_ATTACHMENT_ERROR, NATTER_ATTACHMENT_ERROR_EMPTY,
                   _("The PDF has no text to read (scanned pages are pictures)"));
      return NULL;
    }
  if (!g_utf8_validate_len (text->str, text->len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text->str, text->len);

      g_string_assign (text, valid);
    }

  {
    gsize len = text->len;
    g_autoptr(GBytes) data = g_bytes_new_take (g_string_free (g_steal_pointer (&text), FALSE), len);

    attachment = natter_attachment_new (NATTER_ATTACHMENT_TEXT, "application/pdf", filename, data);
  }
  return attachment;
}

static const char *
text_type (const char   *filename,
           const guint8 *data,
           gsize         len)
{
  g_autofree char *guessed = NULL;
  g_autofree char *mime = NULL;

  if (filename == NULL)
    return "text/plain";
  guessed = g_content_type_guess (filename, data, MIN (len, 4096), NULL);
  mime = g_content_type_get_mime_type (guessed);
  if (mime == NULL)
    return "text/plain";
  if (g_str_equal (mime, "text/markdown") || g_str_equal (mime, "text/x-markdown"))
    return "text/markdown";
  if (g_str_equal (mime, "application/json"))
    return "application/json";
  if (g_str_equal (mime, "text/csv"))
    return "text/csv";
  if (g_str_has_prefix (mime, "text/x-") || g_str_equal (mime, "application/x-shellscript") ||
      g_str_equal (mime, "application/javascript") || g_str_equal (mime, "application/xml") ||
      g_str_equal (mime, "text/html") || g_str_equal (mime, "text/css"))
    return "text/x-source";
  return "text/plain";
}

NatterAttachment *
natter_attachment_from_bytes (GBytes      *bytes,
                              const char  *filename,
                              GError     **error)
{
  g_autofree char *basename = filename ? g_path_get_basename (filename) : NULL;
  const guint8 *data;
  const char *image_type;
  NatterAttachment *attachment;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_set_error (error, NATTER_ATTACHMENT_ERROR, NATTER_ATTACHMENT_ERROR_EMPTY,
                   _("The file is empty"));
      return NULL;
    }
  if (len > NATTER_ATTACHMENT_MAX_FILE_SIZE)
    {
      file_too_large (len, error);
      return NULL;
    }

  if ((image_type = natter_image_sniff (data, len)) != NULL)
    return from_image (bytes, image_type, basename, error);

  if (len >= 5 && memcmp (data, "%PDF-", 5) == 0)
    {
      if ((attachment = from_pdf (bytes, basename, error)) != NULL)
        set_sha256 (attachment);
      return attachment;
    }

  /* Text: UTF-8 without NUL bytes (a binary file has them early on). */
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      len -= 3;
    }
  if (memchr (data, '\0', len) != NULL || !g_utf8_validate_len ((const char *) data, len, NULL))
    {
      g_set_error (error, NATTER_ATTACHMENT_ERROR, NATTER_ATTACHMENT_ERROR_UNSUPPORTED,
                   _("Only pictures (PNG, JPEG, WebP, GIF), text files and PDF documents can be "
                     "attached"));
      return NULL;
    }
  if (len > NATTER_ATTACHMENT_MAX_TEXT_SIZE)
    {
      text_too_large (len, error);
      return NULL;
    }

  {
    g_autoptr(GBytes) text = g_bytes_new (data, len);

    attachment = natter_attachment_new (NATTER_ATTACHMENT_TEXT, text_type (basename, data, len),
                                        basename, text);
  }
  set_sha256 (attachment);
  return attachment;
}

NatterAttachment *
natter_attachment_load (GFile         *file,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;
  goffset size;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE
                            "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, NATTER_ATTACHMENT_ERROR, NATTER_ATTACHMENT_ERROR_UNSUPPORTED,
                   _("Only files can be attached, not folders or devices"));
      return NULL;
    }
  size = g_file_info_get_size (info);
  if (size > NATTER_ATTACHMENT_MAX_FILE_SIZE)
    {
      file_too_large (size, error);
      return NULL;
    }

  if ((stream = g_file_read (file, cancellable, error)) == NULL)
    return NULL;
  /* As much as the file said it holds, and one byte more: a file that
   * grew since is read up to the cap and refused, and a small one does
   * not cost a buffer of the cap's size. */
  {
    gsize want = MIN ((gsize) size, (gsize) NATTER_ATTACHMENT_MAX_FILE_SIZE) + 1;
    g_autoptr(GByteArray) buffer = g_byte_array_sized_new (want);
    gsize got = 0;

    g_byte_array_set_size (buffer, want);
    for (;;)
      {
        gsize n;

        if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer->data + got, want - got, &n,
                                      cancellable, error))
          return NULL;
        got += n;
        if (got < want || want > NATTER_ATTACHMENT_MAX_FILE_SIZE)
          break;
        /* Grew since: read on, up to one byte over the cap. */
        want = MIN (want * 2, (gsize) NATTER_ATTACHMENT_MAX_FILE_SIZE + 1);
        g_byte_array_set_size (buffer, want);
      }
    g_byte_array_set_size (buffer, got);
    bytes = g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
  }

  name = g_strdup (g_file_info_get_display_name (info));
  return natter_attachment_from_bytes (bytes, name, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  NatterAttachment *attachment = natter_attachment_load (task_data, cancellable, &error);

  if (attachment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, attachment, (GDestroyNotify) natter_attachment_free);
}

void
natter_attachment_load_async (GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, natter_attachment_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

NatterAttachment *
natter_attachment_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GBytes *bytes;
  char   *filename;
} BytesData;

static void
bytes_data_free (BytesData *data)
{
  g_bytes_unref (data->bytes);
  g_free (data->filename);
  g_free (data);
}

static void
bytes_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BytesData *data = task_data;
  GError *error = NULL;
  NatterAttachment *attachment = natter_attachment_from_bytes (data->bytes, data->filename, &error);

  if (attachment == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, attachment, (GDestroyNotify) natter_attachment_free);
}

void
natter_attachment_from_bytes_async (GBytes              *bytes,
                                    const char          *filename,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  BytesData *data = g_new0 (BytesData, 1);

  data->bytes = g_bytes_ref (bytes);
  data->filename = g_strdup (filename);
  g_task_set_source_tag (task, natter_attachment_from_bytes_async);
  g_task_set_task_data (task, data, (GDestroyNotify) bytes_data_free);
  g_task_run_in_thread (task, bytes_thread);
}

NatterAttachment *
natter_attachment_from_bytes_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
