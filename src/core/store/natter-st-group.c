/* natter-st-group.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-st-group"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-json.h"
#include "natter-json-writer.h"
#include "natter-st-chat.h"
#include "natter-st-group.h"

/* SillyTavern's numbers for the group's settings. */
enum { ST_NATURAL = 0, ST_LIST = 1, ST_MANUAL = 2, ST_POOLED = 3 };
enum { ST_SWAP = 0, ST_APPEND = 1, ST_APPEND_DISABLED = 2 };

static gboolean
invalid (GError     **error,
         const char  *why)
{
  g_set_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID,
               _("Not a SillyTavern group: %s"), why);
  return FALSE;
}

/* "Alice.png" → "Alice". */
static char *
member_stem (const char *file)
{
  const char *dot = strrchr (file, '.');

  if (dot != NULL && dot != file &&
      (g_ascii_strcasecmp (dot, ".png") == 0 || g_ascii_strcasecmp (dot, ".webp") == 0 ||
       g_ascii_strcasecmp (dot, ".json") == 0 || g_ascii_strcasecmp (dot, ".charx") == 0))
    return g_strndup (file, dot - file);
  return g_strdup (file);
}

static double
number_member (JsonObject *object,
               const char *name,
               double      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node) ? 1 : 0;
    default:
      return fallback;
    }
}

/* The names in a JSON array of strings; FALSE when it is something else. */
static gboolean
string_list (JsonObject  *object,
             const char  *name,
             GPtrArray  **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array;

  *out = g_ptr_array_new_with_free_func (g_free);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *why = g_strdup_printf (_("“%s” must be a list of file names."), name);
      return invalid (error, why);
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *why = g_strdup_printf (_("“%s” must be a list of file names."), name);
          return invalid (error, why);
        }
      g_ptr_array_add (*out, g_strdup (json_node_get_string (element)));
    }
  return TRUE;
}

gint64
natter_st_group_import_data (NatterChatStore  *store,
                             const char       *group_data,
                             gssize            group_len,
                             const char       *chat_data,
                             gssize            chat_len,
                             const char       *title,
                             GError          **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) json_error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) disabled = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(NatterChatGroup) group = NULL;
  g_autofree char *extra = NULL;
  JsonObject *object;
  const char *name;
  double strategy, mode;
  gint64 chat_id;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), 0);
  g_return_val_if_fail (group_data != NULL, 0);

  if (group_len < 0)
    group_len = strlen (group_data);
  if (group_len > NATTER_ST_GROUP_MAX_SIZE)
    return invalid (error, _("the file is too large."));
  if (!g_utf8_validate_len (group_data, group_len, NULL))
    return invalid (error, _("the text is not valid UTF-8."));
  /* json-glib reads some escapes that are not JSON into bytes that are
   * not UTF-8: refused before they are read. */
  if (!natter_json_check_escapes (group_data, group_len, &json_error))
    {
      g_autofree char *why = g_strdup_printf (_("not valid JSON (%s)."), json_error->message);
      return invalid (error, why);
    }
  root = natter_json_parse (group_data, group_len, error);
  if (root == NULL)
    return 0;
  if (!JSON_NODE_HOLDS_OBJECT (root) || !natter_json_numbers_are_finite (root))
    return invalid (error, _("it is not a JSON object."));
  if (!natter_json_strings_are_utf8 (root))
    return invalid (error, _("it has text that is not valid UTF-8."));
  object = json_node_get_object (root);
  if (!string_list (object, "members", &members, error) ||
      !string_list (object, "disabled_members", &disabled, error))
    return 0;
  if (members->len == 0)
    return invalid (error, _("it has no members."));

  for (guint i = 0; i < members->len; i++)
    {
      g_autofree char *stem = member_stem (g_ptr_array_index (members, i));
      g_autoptr(NatterCharacterRow) row = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean seen = FALSE;

      row = natter_chat_store_lookup_character (store, stem, &local_error);
      if (row == NULL)
        {
          g_set_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID,
                       _("The group’s member “%s” is not among the characters; import "
                         "their card first."), stem);
          return 0;
        }
      for (guint j = 0; j < ids->len; j++)
        seen |= g_array_index (ids, gint64, j) == row->id;
      if (!seen)
        g_array_append_val (ids, row->id);
    }

  name = natter_json_object_get_string (object, "name");
  if (title == NULL)
    title = name != NULL && *name != '\0' ? name : _("Group chat");

  if (chat_data != NULL)
    {
      chat_id = natter_st_chat_import_data (store, chat_data, chat_len,
                                            g_array_index (ids, gint64, 0), title, error);
      if (chat_id == 0)
        return 0;
      if (!natter_chat_store_make_group (store, chat_id, error))
        goto fail;
      for (guint i = 1; i < ids->len; i++)
        if (!natter_chat_store_group_add (store, chat_id, g_array_index (ids, gint64, i), error))
          goto fail;
    }
  else
    {
      chat_id = natter_chat_store_new_group_chat (store, (const gint64 *) ids->data, ids->len,
                                                  title, error);
      if (chat_id == 0)
        return 0;
    }

  group = natter_chat_store_get_group (store, chat_id, error);
  if (group == NULL)
    goto fail;
  for (guint i = 0; i < disabled->len; i++)
    {
      g_autofree char *stem = member_stem (g_ptr_array_index (disabled, i));
      NatterGroupMember *member = natter_chat_group_find_member (group, stem);

      if (member != NULL &&
          !natter_chat_store_group_mute (store, chat_id, member->character_id, TRUE, error))
        goto fail;
    }

  strategy = number_member (object, "activation_strategy", ST_NATURAL);
  group->order = strategy == ST_LIST ? NATTER_GROUP_ORDER_LIST
                 : strategy == ST_MANUAL ? NATTER_GROUP_ORDER_MANUAL
                 : NATTER_GROUP_ORDER_NATURAL;
  mode = number_member (object, "generation_mode", ST_SWAP);
  group->cards = mode == ST_APPEND || mode == ST_APPEND_DISABLED ? NATTER_GROUP_CARDS_JOIN
                                                                 : NATTER_GROUP_CARDS_SWAP;
  group->allow_self = number_member (object, "allow_self_responses", 0) != 0;
  extra = json_to_string (root, FALSE);
  g_free (group->extra_json);
  group->extra_json = g_steal_pointer (&extra);
  if (!natter_chat_store_group_save (store, group, error))
    goto fail;
  return chat_id;

fail:
  natter_chat_store_delete_chat (store, chat_id, NULL);
  return 0;
}

static char *
read_bounded (const char  *path,
              gsize        limit,
              gsize       *len,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  char *data = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            NULL, error);
  if (info == NULL)
    return NULL;
  if ((guint64) g_file_info_get_size (info) > limit)
    {
      g_set_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID,
                   _("“%s” is too large."), path);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, len, error))
    return NULL;
  return data;
}

gint64
natter_st_group_import_file (NatterChatStore  *store,
                             const char       *group_path,
                             const char       *chat_path,
                             GError          **error)
{
  g_autofree char *group_data = NULL;
  g_autofree char *chat_data = NULL;
  gsize group_len = 0, chat_len = 0;

  g_return_val_if_fail (group_path != NULL, 0);

  group_data = read_bounded (group_path, NATTER_ST_GROUP_MAX_SIZE, &group_len, error);
  if (group_data == NULL)
    return 0;
  if (chat_path != NULL &&
      (chat_data = read_bounded (chat_path, G_MAXSIZE / 2, &chat_len, error)) == NULL)
    return 0;
  return natter_st_group_import_data (store, group_data, group_len, chat_data, chat_len,
                                      NULL, error);
}

/* ---- export ------------------------------------------------------------ */

static JsonObject *
extra_object (NatterChatGroup *group)
{
  g_autoptr(JsonNode) node = natter_json_parse (group->extra_json, -1, NULL);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_object_ref (json_node_get_object (node));
  return json_object_new ();
}

/* The avatar file SillyTavern knows @member by: the one the imported
 * definition named, else the name with ".png". */
static char *
member_file (JsonObject        *extra,
             NatterGroupMember *member)
{
  JsonNode *node = json_object_get_member (extra, "members");

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *stem = NULL;

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            continue;
          stem = member_stem (json_node_get_string (element));
          if (g_utf8_collate (stem, member->name) == 0)
            return g_strdup (json_node_get_string (element));
        }
    }
  return g_strconcat (member->name, ".png", NULL);
}

static NatterChatGroup *
require_group (NatterChatStore  *store,
               gint64            chat_id,
               GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  NatterChatGroup *group = natter_chat_store_get_group (store, chat_id, &local_error);

  if (group == NULL && local_error == NULL)
    g_set_error (&local_error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                 _("Chat %lld is not a group chat."), (long long) chat_id);
  if (group == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return group;
}

char *
natter_st_group_export_definition (NatterChatStore  *store,
                                   gint64            chat_id,
                                   const char       *chat_name,
                                   GError          **error)
{
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GString) out = g_string_new (NULL);
  JsonArray *members = json_array_new ();
  JsonArray *disabled = json_array_new ();
  JsonArray *chats;
  g_autofree char *id = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  if ((group = require_group (store, chat_id, error)) == NULL ||
      (chat = natter_chat_store_get_chat (store, chat_id, error)) == NULL)
    {
      json_array_unref (members);
      json_array_unref (disabled);
      return NULL;
    }
  object = extra_object (group);
  for (guint i = 0; i < group->members->len; i++)
    {
      NatterGroupMember *member = g_ptr_array_index (group->members, i);
      char *file = member_file (object, member);

      json_array_add_string_element (members, file);
      if (member->muted)
        json_array_add_string_element (disabled, file);
      g_free (file);
    }

  if (!json_object_has_member (object, "id"))
    {
      id = g_strdup_printf ("%" G_GINT64_FORMAT, natter_chat_get_created_at (chat) * 1000);
      json_object_set_string_member (object, "id", id);
    }
  json_object_set_string_member (object, "name", natter_chat_get_title (chat));
  json_object_set_array_member (object, "members", members);
  json_object_set_array_member (object, "disabled_members", disabled);
  json_object_set_int_member (object, "activation_strategy",
                              group->order == NATTER_GROUP_ORDER_LIST ? ST_LIST
                              : group->order == NATTER_GROUP_ORDER_MANUAL ? ST_MANUAL
                              : ST_NATURAL);
  /* A pooled group imported as natural stays pooled. */
  if (group->order == NATTER_GROUP_ORDER_NATURAL &&
      number_member (object, "activation_strategy", ST_NATURAL) == ST_POOLED)
    json_object_set_int_member (object, "activation_strategy", ST_POOLED);
  if (group->cards == NATTER_GROUP_CARDS_SWAP)
    json_object_set_int_member (object, "generation_mode", ST_SWAP);
  else if (number_member (object, "generation_mode", ST_SWAP) != ST_APPEND_DISABLED)
    json_object_set_int_member (object, "generation_mode", ST_APPEND);
  json_object_set_boolean_member (object, "allow_self_responses", group->allow_self);
  if (chat_name != NULL)
    {
      json_object_set_string_member (object, "chat_id", chat_name);
      chats = json_array_new ();
      json_array_add_string_element (chats, chat_name);
      json_object_set_array_member (object, "chats", chats);
    }
  else if (!json_object_has_member (object, "chat_id"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *made = g_date_time_format (now, "%Y-%m-%d@%Hh%Mm%Ss");

      json_object_set_string_member (object, "chat_id", made);
      chats = json_array_new ();
      json_array_add_string_element (chats, made);
      json_object_set_array_member (object, "chats", chats);
    }
  json_node_set_object (node, object);
  natter_json_write (out, node, 0);
  g_string_append_c (out, '\n');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The character_name of the header the chat was imported with, or NULL. */
static char *
stored_character_name (NatterChatStore *store,
                       gint64           chat_id)
{
  g_autoptr(NatterChat) chat = natter_chat_store_get_chat (store, chat_id, NULL);
  g_autoptr(JsonNode) meta = NULL;
  JsonNode *header;

  if (chat == NULL ||
      (meta = natter_json_parse (natter_chat_get_metadata (chat), -1, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (meta) ||
      (header = json_object_get_member (json_node_get_object (meta), "sillytavern_header")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (header))
    return NULL;
  return g_strdup (natter_json_object_get_string (json_node_get_object (header), "character_name"));
}

char *
natter_st_group_export_chat (NatterChatStore  *store,
                             gint64            chat_id,
                             gsize            *len,
                             GError          **error)
{
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(JsonObject) extra = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *plain = NULL;
  g_autofree char *header_name = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  if ((group = require_group (store, chat_id, error)) == NULL ||
      (plain = natter_st_chat_export_data (store, chat_id, NULL, error)) == NULL)
    return NULL;
  extra = extra_object (group);
  header_name = stored_character_name (store, chat_id);
  lines = g_strsplit (plain, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *message;
      NatterGroupMember *member;
      g_autofree char *file = NULL;

      if (lines[i][0] == '\0')
        continue;
      node = natter_json_parse (lines[i], -1, NULL);
      /* A group chat's header names no one character. */
      if (i == 0 && node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
          !json_object_has_member (json_node_get_object (node), "mes"))
        {
          json_object_set_string_member (json_node_get_object (node), "character_name",
                                         header_name != NULL ? header_name : "unused");
          natter_json_write (out, node, 0);
          g_string_append_c (out, '\n');
          continue;
        }
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
          !json_object_has_member ((message = json_node_get_object (node)), "mes") ||
          natter_json_object_get_bool (message, "is_user", FALSE) ||
          json_object_has_member (message, "original_avatar") ||
          (member = natter_chat_group_find_member (group,
                                                   natter_json_object_get_string (message, "name"))) == NULL)
        {
          g_string_append (out, lines[i]);
          g_string_append_c (out, '\n');
          continue;
        }
      /* SillyTavern shows a group message with its speaker's avatar. */
      file = member_file (extra, member);
      json_object_set_string_member (message, "original_avatar", file);
      natter_json_write (out, node, 0);
      g_string_append_c (out, '\n');
    }
  if (len != NULL)
    *len = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
write_atomically (const char  *path,
                  const char  *data,
                  gsize        len,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return g_file_replace_contents (file, data, len, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                  NULL, error);
}

gboolean
natter_st_group_export_files (NatterChatStore  *store,
                              gint64            chat_id,
                              const char       *chat_path,
                              const char       *group_path,
                              GError          **error)
{
  g_autofree char *chat = NULL;
  g_autofree char *definition = NULL;
  g_autofree char *base = NULL;
  gsize len = 0;

  g_return_val_if_fail (chat_path != NULL, FALSE);

  chat = natter_st_group_export_chat (store, chat_id, &len, error);
  if (chat == NULL)
    return FALSE;
  if (group_path != NULL)
    {
      base = g_path_get_basename (chat_path);
      if (g_str_has_suffix (base, ".jsonl"))
        base[strlen (base) - strlen (".jsonl")] = '\0';
      definition = natter_st_group_export_definition (store, chat_id, base, error);
      if (definition == NULL)
        return FALSE;
    }
  if (!write_atomically (chat_path, chat, len, error))
    return FALSE;
  return group_path == NULL || write_atomically (group_path, definition, strlen (definition), error);
}
