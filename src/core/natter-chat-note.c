/* natter-chat-note.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-note"

#include "config.h"

#include "natter-chat-note.h"
#include "natter-json.h"

#define KEY "authors_note"
#define MAX_DEPTH 10000

void
natter_chat_note_free (NatterChatNote *note)
{
  if (note == NULL)
    return;
  g_free (note->text);
  g_free (note);
}

static JsonObject *
metadata (NatterChatStore *store,
          gint64           chat_id,
          GError         **error)
{
  g_autoptr(NatterChat) chat = natter_chat_store_get_chat (store, chat_id, error);
  g_autoptr(JsonNode) root = NULL;

  if (chat == NULL)
    return NULL;
  root = natter_json_parse (natter_chat_get_metadata (chat), -1, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return json_object_ref (json_node_get_object (root));
  return json_object_new ();
}

static gboolean
get_int (JsonObject *obj,
         const char *name,
         gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

NatterChatNote *
natter_chat_note_get (NatterChatStore  *store,
                      gint64            chat_id,
                      GError          **error)
{
  g_autoptr(JsonObject) meta = NULL;
  NatterChatNote *note;
  JsonObject *obj;
  JsonNode *node;
  gint64 n;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  meta = metadata (store, chat_id, error);
  if (meta == NULL)
    return NULL;
  note = g_new0 (NatterChatNote, 1);
  note->depth = NATTER_CHAT_NOTE_DEFAULT_DEPTH;
  note->role = NATTER_ROLE_SYSTEM;
  note->frequency = 1;
  node = json_object_get_member (meta, KEY);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      note->text = g_strdup ("");
      return note;
    }
  obj = json_node_get_object (node);
  node = json_object_get_member (obj, "text");
  note->text = g_strdup (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                         json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : "");
  if (get_int (obj, "depth", &n))
    note->depth = (int) CLAMP (n, 0, MAX_DEPTH);
  if (get_int (obj, "frequency", &n))
    note->frequency = (int) CLAMP (n, 0, MAX_DEPTH);
  node = json_object_get_member (obj, "role");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      NatterRole role;

      if (natter_role_from_string (json_node_get_string (node), &role) &&
          (role == NATTER_ROLE_SYSTEM || role == NATTER_ROLE_USER || role == NATTER_ROLE_ASSISTANT))
        note->role = role;
    }
  return note;
}

gboolean
natter_chat_note_set (NatterChatStore      *store,
                      gint64                chat_id,
                      const NatterChatNote *note,
                      GError              **error)
{
  g_autoptr(JsonObject) meta = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), FALSE);

  meta = metadata (store, chat_id, error);
  if (meta == NULL)
    return FALSE;
  if (note == NULL)
    json_object_remove_member (meta, KEY);
  else
    {
      JsonObject *obj = json_object_new ();

      json_object_set_string_member (obj, "text", note->text != NULL ? note->text : "");
      json_object_set_int_member (obj, "depth", CLAMP (note->depth, 0, MAX_DEPTH));
      json_object_set_string_member (obj, "role", natter_role_to_string (note->role));
      json_object_set_int_member (obj, "frequency", CLAMP (note->frequency, 0, MAX_DEPTH));
      json_object_set_object_member (meta, KEY, obj);
    }
  root = json_node_init_object (json_node_alloc (), meta);
  json = json_to_string (root, FALSE);
  return natter_chat_store_set_chat_metadata (store, chat_id, json, error);
}

void
natter_chat_note_apply (NatterChatStore     *store,
                        gint64               chat_id,
                        NatterPromptBuilder *builder)
{
  g_autoptr(NatterChatNote) note = NULL;

  if (store == NULL || chat_id == 0 || builder == NULL)
    return;
  note = natter_chat_note_get (store, chat_id, NULL);
  if (note == NULL)
    return;
  natter_prompt_builder_set_authors_note (builder, note->text, note->depth, note->role,
                                          note->frequency);
}
