/* natter-cli-attach.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "natter-attachment-file.h"
#include "natter-chat-store-attachments.h"
#include "natter-cli-attach.h"
#include "natter-conversation-attachments.h"

GPtrArray *
natter_cli_load_attachments (NatterClient   *client,
                             NatterProfile  *profile,
                             const char     *model,
                             char          **paths,
                             int            *code)
{
  g_autoptr(GPtrArray) attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_attachment_free);
  gboolean has_image = FALSE;

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (paths[i]);
      g_autoptr(GError) error = NULL;
      NatterAttachment *attachment = natter_attachment_load (file, NULL, &error);

      if (attachment == NULL)
        {
          *code = fail (EXIT_USAGE, _("“%s” was not attached: %s"), paths[i], error->message);
          return NULL;
        }
      has_image |= attachment->kind == NATTER_ATTACHMENT_IMAGE;
      g_ptr_array_add (attachments, attachment);
    }

  if (has_image)
    {
      const char *name = model != NULL && *model != '\0' ? model : natter_profile_get_model (profile);

      switch (natter_client_model_vision (client, profile, model))
        {
        case NATTER_VISION_NO:
          *code = fail (EXIT_USAGE, _("The model “%s” does not take images "
                                      "(text files and PDFs can be attached)"), name ? name : "");
          return NULL;
        case NATTER_VISION_UNKNOWN:
          g_printerr (_("Note: whether the model “%s” takes images is not known; they are sent anyway.\n"),
                      name ? name : "");
          break;
        case NATTER_VISION_YES:
        default:
          break;
        }
    }

  return g_steal_pointer (&attachments);
}

void
natter_cli_add_attachments_json (JsonBuilder     *builder,
                                 NatterChatStore *store,
                                 gint64           message_id)
{
  g_autoptr(GPtrArray) list = NULL;

  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  if (natter_chat_store_count_attachments (store, message_id) > 0 &&
      (list = natter_chat_store_list_attachments (store, message_id, NULL)) != NULL)
    for (guint i = 0; i < list->len; i++)
      {
        NatterAttachment *attachment = list->pdata[i];

        json_builder_begin_object (builder);
        json_add_string (builder, "name", attachment->filename);
        json_add_string (builder, "mime_type", attachment->mime_type);
        json_add_string (builder, "kind", attachment->kind == NATTER_ATTACHMENT_IMAGE ? "image" : "text");
        json_add_int (builder, "size", g_bytes_get_size (attachment->data));
        json_add_string (builder, "sha256", attachment->sha256);
        json_builder_end_object (builder);
      }
  json_builder_end_array (builder);
}

void
natter_cli_print_attachments (NatterChatStore *store,
                              gint64           message_id)
{
  g_autoptr(GPtrArray) list = NULL;

  if (natter_chat_store_count_attachments (store, message_id) == 0 ||
      (list = natter_chat_store_list_attachments (store, message_id, NULL)) == NULL)
    return;
  for (guint i = 0; i < list->len; i++)
    {
      NatterAttachment *attachment = list->pdata[i];
      g_autofree char *size = g_format_size (g_bytes_get_size (attachment->data));

      /* Translators: an attached file: its name, type and size */
      g_print (_("Attached: %s (%s, %s)\n"), attachment->filename ? attachment->filename : "",
               attachment->mime_type, size);
    }
}
