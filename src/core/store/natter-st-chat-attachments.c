/* natter-st-chat-attachments.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Pictures and files in SillyTavern chats. A message's "extra" names them:
 * "image" (a path under SillyTavern's user folder such as
 * "/user/images/Seraphina/cat.png", or a data: URL) with "inline_image",
 * newer versions' "media": [{"url", "type": "image"}], and "file":
 * {"name", "text", "size"} for a text file. Import takes the ones whose
 * file exists beside the chat (the folders above it, as SillyTavern lays
 * out its data); export writes Natter's own attachments the same way, as
 * data: URLs, and leaves what came from SillyTavern as it was. */

#define G_LOG_DOMAIN "natter-st-chat"

#include "config.h"

#include <string.h>

#include "natter-attachment-file.h"
#include "natter-chat-store-attachments.h"
#include "natter-chat-store-private.h"
#include "natter-database.h"
#include "natter-json.h"
#include "natter-st-chat-private.h"

/* How many folders above the chat file are searched: SillyTavern keeps
 * chats in <user>/chats/<character>/ and images in <user>/user/images/. */
#define MAX_ANCESTORS 4

static NatterAttachment *
from_data_url (const char *url)
{
  const char *comma = strchr (url, ',');
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  NatterAttachment *attachment;
  guchar *decoded;
  gsize len;

  if (comma == NULL || strstr (url, ";base64") == NULL || strstr (url, ";base64") > comma)
    return NULL;
  decoded = g_base64_decode (comma + 1, &len);
  bytes = g_bytes_new_take (decoded, len);
  attachment = natter_attachment_from_bytes (bytes, NULL, &error);
  if (attachment == NULL)
    g_debug ("An inline picture of the chat cannot be read: %s", error->message);
  return attachment;
}

/* @url under one of the folders above @chat_dir; never outside them. */
static NatterAttachment *
from_path (const char *url,
           const char *chat_dir)
{
  g_autofree char *relative = NULL;
  g_autofree char *dir = NULL;
  g_auto(GStrv) parts = NULL;

  if (chat_dir == NULL || g_str_has_prefix (url, "http:") || g_str_has_prefix (url, "https:"))
    return NULL;
  relative = g_uri_unescape_string (url, NULL);
  if (relative == NULL)
    return NULL;
  parts = g_strsplit (relative, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_str_equal (parts[i], "..") || strchr (parts[i], '\\') != NULL)
      return NULL;

  dir = g_strdup (chat_dir);
  for (guint level = 0; level <= MAX_ANCESTORS; level++)
    {
      g_autofree char *candidate = g_build_filename (dir, g_strstrip (relative), NULL);
      g_autofree char *parent = NULL;

      if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR) &&
          !g_file_test (candidate, G_FILE_TEST_IS_SYMLINK))
        {
          g_autoptr(GFile) file = g_file_new_for_path (candidate);
          g_autoptr(GError) error = NULL;
          NatterAttachment *attachment = natter_attachment_load (file, NULL, &error);

          if (attachment == NULL)
            g_warning ("The picture “%s” of the chat cannot be read: %s", candidate, error->message);
          return attachment;
        }
      parent = g_path_get_dirname (dir);
      if (g_str_equal (parent, dir))
        break;
      g_free (dir);
      dir = g_steal_pointer (&parent);
    }
  return NULL;
}

static void
add_url (GPtrArray  *list,
         const char *url,
         const char *chat_dir)
{
  NatterAttachment *attachment;

  if (url == NULL || *url == '\0')
    return;
  if (g_str_has_prefix (url, "data:"))
    attachment = from_data_url (url);
  else
    attachment = from_path (url, chat_dir);
  if (attachment != NULL)
    g_ptr_array_add (list, attachment);
}

/* The attachments one line's "extra" names. */
static GPtrArray *
attachments_of (JsonObject *extra,
                const char *chat_dir)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_attachment_free);
  JsonNode *media = json_object_get_member (extra, "media");
  JsonNode *file = json_object_get_member (extra, "file");

  if (media != NULL && JSON_NODE_HOLDS_ARRAY (media))
    {
      JsonArray *array = json_node_get_array (media);

      for (guint i = 0; i < json_array_get_length (array) && i < 64; i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;

          if (object != NULL &&
              (natter_json_object_get_string (object, "type") == NULL ||
               g_str_equal (natter_json_object_get_string (object, "type"), "image")))
            add_url (list, natter_json_object_get_string (object, "url"), chat_dir);
        }
    }
  else
    add_url (list, natter_json_object_get_string (extra, "image"), chat_dir);

  if (file != NULL && JSON_NODE_HOLDS_OBJECT (file))
    {
      JsonObject *object = json_node_get_object (file);
      const char *text = natter_json_object_get_string (object, "text");

      if (text != NULL && *text != '\0')
        {
          g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
          g_autoptr(GError) error = NULL;
          NatterAttachment *attachment;

          attachment = natter_attachment_from_bytes (bytes, natter_json_object_get_string (object, "name"),
                                                     &error);
          if (attachment != NULL)
            g_ptr_array_add (list, attachment);
        }
    }
  return list;
}

guint
_natter_st_chat_import_attachments (NatterChatStore *store,
                                    gint64           chat_id,
                                    const char      *chat_path)
{
  g_autofree char *chat_dir = chat_path ? g_path_get_dirname (chat_path) : NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) extras = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  guint added = 0;

  /* Only lines that mention a picture or a file are parsed again. */
  stmt = natter_database_prepare (store->db,
                                  "SELECT id, extra FROM messages WHERE chat_id = ?1 AND"
                                  " (extra LIKE '%\"image\"%' OR extra LIKE '%\"media\"%'"
                                  " OR extra LIKE '%\"file\"%') ORDER BY position", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, chat_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (extras, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JsonNode) root = natter_json_parse (extras->pdata[i], -1, NULL);
      g_autoptr(GPtrArray) list = NULL;
      g_autoptr(GError) error = NULL;
      JsonNode *extra;

      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
          (extra = json_object_get_member (json_node_get_object (root), "extra")) == NULL ||
          !JSON_NODE_HOLDS_OBJECT (extra))
        continue;
      list = attachments_of (json_node_get_object (extra), chat_dir);
      if (list->len == 0)
        continue;
      if (natter_chat_store_add_attachments (store, g_array_index (ids, gint64, i), list, &error))
        added += list->len;
      else
        g_warning ("Attachments of an imported message not saved: %s", error->message);
    }
  return added;
}

static guint
n_images (GPtrArray *list)
{
  guint n = 0;

  for (guint i = 0; i < list->len; i++)
    if (((NatterAttachment *) list->pdata[i])->kind == NATTER_ATTACHMENT_IMAGE)
      n++;
  return n;
}

void
_natter_st_chat_export_attachments (NatterChatStore *store,
                                    gint64           message_id,
                                    JsonObject      *line)
{
  g_autoptr(GPtrArray) list = NULL;
  JsonObject *extra;
  gboolean has_image, has_file;

  if (natter_chat_store_count_attachments (store, message_id) == 0 ||
      (list = natter_chat_store_list_attachments (store, message_id, NULL)) == NULL)
    return;

  if (!json_object_has_member (line, "extra") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (line, "extra")))
    json_object_set_object_member (line, "extra", json_object_new ());
  extra = json_object_get_object_member (line, "extra");
  /* What SillyTavern gave stays as it was. */
  has_image = json_object_has_member (extra, "image") || json_object_has_member (extra, "media");
  has_file = json_object_has_member (extra, "file");

  for (guint i = 0; i < list->len; i++)
    {
      NatterAttachment *attachment = list->pdata[i];
      gsize len;
      const guint8 *data = g_bytes_get_data (attachment->data, &len);

      if (attachment->kind == NATTER_ATTACHMENT_IMAGE && !has_image)
        {
          g_autofree char *base64 = g_base64_encode (data, len);
          g_autofree char *url = g_strconcat ("data:", attachment->mime_type, ";base64,", base64, NULL);

          /* The first picture where every version looks; all of them in
           * "media", which newer versions read (and import prefers). */
          if (!json_object_has_member (extra, "image"))
            {
              json_object_set_string_member (extra, "image", url);
              json_object_set_boolean_member (extra, "inline_image", TRUE);
              if (attachment->filename != NULL)
                json_object_set_string_member (extra, "title", attachment->filename);
            }
          if (n_images (list) > 1)
            {
              JsonObject *item = json_object_new ();

              if (!json_object_has_member (extra, "media"))
                json_object_set_array_member (extra, "media", json_array_new ());
              json_object_set_string_member (item, "url", url);
              json_object_set_string_member (item, "type", "image");
              if (attachment->filename != NULL)
                json_object_set_string_member (item, "title", attachment->filename);
              json_array_add_object_element (json_object_get_array_member (extra, "media"), item);
            }
          else
            has_image = TRUE;
        }
      else if (attachment->kind == NATTER_ATTACHMENT_TEXT && !has_file)
        {
          JsonObject *file = json_object_new ();
          g_autofree char *text = g_strndup ((const char *) data, len);

          json_object_set_string_member (file, "name", attachment->filename ? attachment->filename : "file.txt");
          json_object_set_string_member (file, "text", text);
          json_object_set_int_member (file, "size", len);
          json_object_set_object_member (extra, "file", file);
          has_file = TRUE;
        }
    }
}
