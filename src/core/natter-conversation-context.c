/* natter-conversation-context.c
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
#include "natter-lore-note.h"

/* What a chat's prompt gets besides its messages and the books attached
 * to its character or to it: the lorebooks of every chat, the persona, and
 * the note of which lore entries went out. */

static gboolean
add_books (NatterPromptBuilder  *builder,
           GPtrArray            *books,
           GError              **error)
{
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

gboolean
_natter_conversation_add_global_lorebooks (NatterChatStore     *store,
                                           NatterPromptBuilder *builder,
                                           GError             **error)
{
  g_autoptr(GPtrArray) books = natter_chat_store_list_global_lorebooks (store, error);

  return books != NULL && add_books (builder, books, error);
}

gboolean
_natter_conversation_use_persona (NatterChatStore      *store,
                                  NatterPromptBuilder  *builder,
                                  gint64                chat_id,
                                  char                **user_name,
                                  GError              **error)
{
  g_autoptr(NatterPersonaRow) persona = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *position;

  persona = natter_chat_store_resolve_persona (store, chat_id, 0, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *user_name = g_strdup (persona != NULL && persona->name != NULL && *persona->name != '\0'
                         ? persona->name : "User");
  position = persona != NULL ? persona->position : NULL;

  /* In the history it goes where SillyTavern puts it by default, two
   * messages above the end; the author's note positions put it in the
   * note (see _natter_conversation_use_note()). */
  natter_prompt_builder_set_persona (builder, *user_name,
                                     persona != NULL &&
                                     g_strcmp0 (position, NATTER_PERSONA_POSITION_NONE) != 0
                                     ? persona->description : NULL);
  natter_prompt_builder_set_persona_depth (builder,
                                           g_strcmp0 (position, NATTER_PERSONA_POSITION_AT_DEPTH) == 0
                                           ? 2
                                           : g_strcmp0 (position, NATTER_PERSONA_POSITION_TOP_AN) == 0
                                           ? NATTER_PROMPT_PERSONA_NOTE_TOP
                                           : g_strcmp0 (position, NATTER_PERSONA_POSITION_BOTTOM_AN) == 0
                                           ? NATTER_PROMPT_PERSONA_NOTE_BOTTOM : -1);
  return TRUE;
}

char *
_natter_conversation_lore_json (GPtrArray *lore)
{
  static const char * const positions[] = { "before_char", "after_char", "depth", "an_top", "an_bottom" };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; lore != NULL && i < lore->len; i++)
    {
      NatterLoreEntry *entry = g_ptr_array_index (lore, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, entry->comment != NULL ? entry->comment : "");
      json_builder_set_member_name (builder, "key");
      if (entry->matched_key != NULL)
        json_builder_add_string_value (builder, entry->matched_key);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "constant");
      json_builder_add_boolean_value (builder, entry->constant);
      json_builder_set_member_name (builder, "position");
      json_builder_add_string_value (builder, positions[MIN ((guint) entry->position, G_N_ELEMENTS (positions) - 1)]);
      json_builder_set_member_name (builder, "tokens");
      json_builder_add_int_value (builder, entry->tokens);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
_natter_conversation_note_lore (NatterChatStore *store,
                                gint64           log_id,
                                const char      *lore_json)
{
  g_autoptr(GError) error = NULL;

  if (lore_json == NULL || log_id == 0)
    return;
  if (!natter_lore_note_save (natter_chat_store_get_database (store), log_id, lore_json, &error))
    g_warning ("Could not note the lorebook entries of request %" G_GINT64_FORMAT ": %s",
               log_id, error->message);
}
