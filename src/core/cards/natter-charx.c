/* natter-charx.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-charx"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <archive.h>
#include <archive_entry.h>

#include "natter-charx.h"

G_DEFINE_QUARK (natter-charx-error-quark, natter_charx_error)

/* Beyond this many entries we stop looking: a real card has a handful. */
#define CHARX_MAX_ENTRIES 65536

typedef struct archive ArchiveRead;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ArchiveRead, archive_read_free)

typedef struct archive ArchiveWrite;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ArchiveWrite, archive_write_free)

typedef struct archive_entry ArchiveEntry;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ArchiveEntry, archive_entry_free)

gboolean
natter_charx_has_signature (const guint8 *data,
                            gsize         size)
{
  /* A local file header, or the end-of-central-directory of an empty zip. */
  return data != NULL && size >= 4 && data[0] == 'P' && data[1] == 'K'
         && ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6));
}

static const char *
strip_entry_prefix (const char *name)
{
  while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
    name += name[0] == '/' ? 1 : 2;
  return name;
}

GBytes *
natter_charx_read_entry (GBytes     *zip,
                         const char *path,
                         gsize       max_size,
                         GError    **error)
{
  g_autoptr(ArchiveRead) ar = NULL;
  struct archive_entry *entry;
  const guint8 *data;
  gsize size;
  guint n_entries = 0;
  int r;

  g_return_val_if_fail (zip != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (zip, &size);
  if (!natter_charx_has_signature (data, size))
    {
      g_set_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_INVALID,
                   _("The file is not a zip archive"));
      return NULL;
    }

  ar = archive_read_new ();
  archive_read_support_format_zip (ar);
  if (archive_read_open_memory (ar, data, size) != ARCHIVE_OK)
    {
      g_set_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_INVALID,
                   _("The zip archive cannot be read: %s"), archive_error_string (ar));
      return NULL;
    }

  path = strip_entry_prefix (path);

  while ((r = archive_read_next_header (ar, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN)
    {
      const char *name = archive_entry_pathname (entry);
      g_autoptr(GByteArray) out = NULL;
      guint8 buf[16384];
      la_ssize_t n;

      if (++n_entries > CHARX_MAX_ENTRIES)
        {
          g_set_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_TOO_LARGE,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The zip archive has more than %u entry, too many for a character card; "
                                    "“%s” was not among the first ones",
                                    "The zip archive has more than %u entries, too many for a character card; "
                                    "“%s” was not among the first ones",
                                    CHARX_MAX_ENTRIES),
                       (guint) CHARX_MAX_ENTRIES, path);
          return NULL;
        }
      if (name == NULL || strcmp (strip_entry_prefix (name), path) != 0
          || archive_entry_filetype (entry) != AE_IFREG)
        continue;

      if (archive_entry_is_encrypted (entry))
        {
          g_set_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_INVALID,
                       _("“%s” in the zip archive is encrypted"), path);
          return NULL;
        }
      if (archive_entry_size_is_set (entry) && archive_entry_size (entry) > (la_int64_t) max_size)
        {
          g_set_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_TOO_LARGE,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "“%s” in the zip archive is too large (over %zu byte)",
                                    "“%s” in the zip archive is too large (over %zu bytes)",
                                    max_size),
                       path, max_size);
          return NULL;
        }

      out = g_byte_array_new ();
      while ((n = archive_read_data (ar, buf, sizeof buf)) > 0)
        {
          if ((gsize) n > max_size - out->len)
            {
              g_set_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_TOO_LARGE,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "“%s” in the zip archive is too large (over %zu byte)",
                                        "“%s” in the zip archive is too large (over %zu bytes)",
                                        max_size),
                           path, max_size);
              return NULL;
            }
          g_byte_array_append (out, buf, (guint) n);
        }
      if (n < 0)
        {
          g_set_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_INVALID,
                       _("“%s” in the zip archive cannot be read: %s"),
                       path, archive_error_string (ar));
          return NULL;
        }

      return g_byte_array_free_to_bytes (g_steal_pointer (&out));
    }

  if (r == ARCHIVE_FATAL || r == ARCHIVE_FAILED)
    {
      g_set_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_INVALID,
                   _("The zip archive is damaged: %s"), archive_error_string (ar));
      return NULL;
    }

  g_set_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_NOT_FOUND,
               _("The zip archive has no “%s”"), path);
  return NULL;
}

GBytes *
natter_charx_read_card_json (GBytes  *zip,
                             GError **error)
{
  return natter_charx_read_entry (zip, "card.json", NATTER_CHARX_MAX_CARD_JSON, error);
}

static la_ssize_t
write_to_array (struct archive *ar,
                void           *user_data,
                const void     *buffer,
                size_t          length)
{
  GByteArray *out = user_data;

  if (length > G_MAXUINT - out->len)
    {
      archive_set_error (ar, EFBIG, "%s", _("The archive is too large"));
      return -1;
    }
  g_byte_array_append (out, buffer, (guint) length);
  return (la_ssize_t) length;
}

static gboolean
path_is_safe (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path[0] == '\0' || path[0] == '/' || strchr (path, '\\') != NULL)
    return FALSE;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

GBytes *
natter_charx_write (const char * const *paths,
                    GBytes * const     *contents,
                    GError            **error)
{
  /* Declared first so it is freed last: freeing @ar may still write. */
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(ArchiveWrite) ar = NULL;
  time_t now = (time_t) (g_get_real_time () / G_USEC_PER_SEC);

  g_return_val_if_fail (paths != NULL, NULL);
  g_return_val_if_fail (contents != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; paths[i] != NULL; i++)
    if (!path_is_safe (paths[i]))
      {
        g_set_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_WRITE,
                     _("“%s” cannot be a path in a zip archive"), paths[i]);
        return NULL;
      }

  out = g_byte_array_new ();
  ar = archive_write_new ();
  if (archive_write_set_format_zip (ar) != ARCHIVE_OK
      || archive_write_set_options (ar, "zip:compression=deflate") != ARCHIVE_OK
      /* Write the zip as it comes, without padding it to blocks. */
      || archive_write_set_bytes_in_last_block (ar, 1) != ARCHIVE_OK
      || archive_write_open (ar, out, NULL, write_to_array, NULL) != ARCHIVE_OK)
    goto failed;

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(ArchiveEntry) entry = archive_entry_new ();
      const guint8 *data;
      gsize size;

      data = g_bytes_get_data (contents[i], &size);
      archive_entry_set_pathname (entry, paths[i]);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, (la_int64_t) size);
      archive_entry_set_mtime (entry, now, 0);

      if (archive_write_header (ar, entry) != ARCHIVE_OK)
        goto failed;
      while (size > 0)
        {
          la_ssize_t n = archive_write_data (ar, data, MIN (size, (gsize) 1 << 20));

          if (n <= 0)
            goto failed;
          data += n;
          size -= (gsize) n;
        }
      if (archive_write_finish_entry (ar) != ARCHIVE_OK)
        goto failed;
    }

  if (archive_write_close (ar) != ARCHIVE_OK)
    goto failed;

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));

failed:
  g_set_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_WRITE,
               _("The zip archive cannot be written: %s"),
               archive_error_string (ar) != NULL ? archive_error_string (ar) : _("unknown error"));
  return NULL;
}
