/* natter-conversation-persona.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-conversation"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-conversation-private.h"
#include "natter-json.h"

gboolean
_natter_conversation_add_global_lorebooks (NatterChatStore     *store,
                                           NatterPromptBuilder *builder,
                                           GError             **error)
{
  g_autoptr(GPtrArray) books = NULL;

  books = natter_chat_store_list_global_lorebooks (store, error);
  if (books == NULL)
    return FALSE;

  for (guint i = 0; i < books->len; i++)
    {
      NatterLorebookRow *row = g_ptr_array_index (books, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) local_error = NULL;
      JsonNode *root;

      if (!natter_json_parser_load (parser, row->book_json, -1, &local_error) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
          !natter_prompt_builder_add_lorebook (builder, json_node_get_object (root), &local_error))
        {
          g_set_error (error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_BAD_LOREBOOK,
                       _("Lorebook “%s” cannot be used: %s"), row->name,
                       local_error != NULL ? local_error->message : _("not a JSON object"));
          return FALSE;
        }
    }
  return TRUE;
}

const char *
_natter_conversation_persona_description (const NatterPersonaRow *persona)
{
  if (persona == NULL)
    return NULL;
  /* The author's note and depth positions have no place of their own in
   * Natter's prompt yet: the description goes with the card there too. */
  if (g_strcmp0 (persona->position, NATTER_PERSONA_POSITION_NONE) == 0)
    return NULL;
  return persona->description;
}
