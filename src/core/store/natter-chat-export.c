/* natter-chat-export.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-chat-export.h"
#include "natter-chat-group.h"
#include "natter-st-chat.h"
#include "natter-st-group.h"

#define PAGE 256

NatterChatFormat
natter_chat_format_for_path (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path != NULL ? path : "", -1);

  if (g_str_has_suffix (lower, ".md") || g_str_has_suffix (lower, ".markdown"))
    return NATTER_CHAT_FORMAT_MARKDOWN;
  if (g_str_has_suffix (lower, ".txt"))
    return NATTER_CHAT_FORMAT_TEXT;
  return NATTER_CHAT_FORMAT_JSONL;
}

static const char *
speaker (NatterChatMessage *message)
{
  const char *name = natter_chat_message_get_name (message);

  if (name != NULL && *name != '\0')
    return name;
  switch (natter_chat_message_get_role (message))
    {
    case NATTER_ROLE_USER:
      return _("You");
    case NATTER_ROLE_SYSTEM:
      return _("System");
    default:
      return _("Assistant");
    }
}

char *
natter_chat_export_text (NatterChatStore  *store,
                         gint64            chat_id,
                         NatterChatFormat  format,
                         GError          **error)
{
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GString) out = g_string_new (NULL);
  gint64 before = -1;
  const char *title;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  if (format == NATTER_CHAT_FORMAT_JSONL)
    return natter_chat_store_is_group_chat (store, chat_id)
           ? natter_st_group_export_chat (store, chat_id, NULL, error)
           : natter_st_chat_export_data (store, chat_id, NULL, error);

  chat = natter_chat_store_get_chat (store, chat_id, error);
  if (chat == NULL)
    return NULL;
  /* Read from the end a page at a time, written from the start. */
  for (;;)
    {
      GPtrArray *page = natter_chat_store_page_messages (store, chat_id, before, PAGE, error);

      if (page == NULL)
        return NULL;
      if (page->len == 0)
        {
          g_ptr_array_unref (page);
          break;
        }
      before = natter_chat_message_get_position (g_ptr_array_index (page, 0));
      g_ptr_array_insert (pages, 0, page);
      if (page->len < PAGE)
        break;
    }

  title = natter_chat_get_title (chat);
  if (format == NATTER_CHAT_FORMAT_MARKDOWN)
    g_string_append_printf (out, "# %s\n\n", title);
  else
    g_string_append_printf (out, "%s\n\n", title);
  for (guint p = 0; p < pages->len; p++)
    {
      GPtrArray *page = g_ptr_array_index (pages, p);

      for (guint i = 0; i < page->len; i++)
        {
          NatterChatMessage *message = g_ptr_array_index (page, i);
          const char *content = natter_chat_message_get_content (message);

          if (content == NULL)
            content = "";
          if (format == NATTER_CHAT_FORMAT_MARKDOWN)
            g_string_append_printf (out, "**%s**\n\n%s\n\n", speaker (message), content);
          else
            g_string_append_printf (out, "%s: %s\n\n", speaker (message), content);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
natter_chat_export_file (NatterChatStore  *store,
                         gint64            chat_id,
                         const char       *path,
                         GError          **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  text = natter_chat_export_text (store, chat_id, natter_chat_format_for_path (path), error);
  if (text == NULL)
    return FALSE;
  file = g_file_new_for_path (path);
  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_NONE,
                                  NULL, NULL, error);
}
