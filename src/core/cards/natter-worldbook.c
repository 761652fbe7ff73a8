/* natter-worldbook.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-worldbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "natter-card-private.h"
#include "natter-worldbook.h"

G_DEFINE_QUARK (natter-worldbook-error-quark, natter_worldbook_error)

static const char * const mapped_fields[] = {
  "uid", "key", "keysecondary", "comment", "content", "constant", "selective", "order", "disable",
};

static gboolean
is_mapped (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (mapped_fields); i++)
    if (strcmp (key, mapped_fields[i]) == 0)
      return TRUE;
  return FALSE;
}

static JsonNode *
member_or (JsonObject *object,
           const char *member,
           JsonNode   *fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL)
    {
      json_node_unref (fallback);
      return json_node_copy (node);
    }
  return fallback;
}

static JsonNode *
string_node (const char *value)
{
  return json_node_init_string (json_node_alloc (), value);
}

static JsonNode *
bool_node (gboolean value)
{
  return json_node_init_boolean (json_node_alloc (), value);
}

static gboolean
node_is_true (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static JsonObject *
convert_entry (const char *uid_key,
               JsonObject *st)
{
  JsonObject *entry = json_object_new ();
  g_autoptr(JsonObject) extensions = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (st);
  JsonNode *node;
  gint64 position = 0;

  node = json_object_get_member (st, "uid");
  if (node != NULL)
    json_object_set_member (entry, "id", json_node_copy (node));
  else
    {
      char *end = NULL;
      gint64 id = g_ascii_strtoll (uid_key, &end, 10);

      if (uid_key[0] != '\0' && end != NULL && *end == '\0')
        json_object_set_int_member (entry, "id", id);
    }

  json_object_set_member (entry, "keys",
                          member_or (st, "key", json_node_init_array (json_node_alloc (), json_array_new ())));
  json_object_set_member (entry, "secondary_keys",
                          member_or (st, "keysecondary", json_node_init_array (json_node_alloc (), json_array_new ())));
  json_object_set_member (entry, "comment", member_or (st, "comment", string_node ("")));
  json_object_set_member (entry, "name", member_or (st, "comment", string_node ("")));
  json_object_set_member (entry, "content", member_or (st, "content", string_node ("")));
  json_object_set_member (entry, "constant", member_or (st, "constant", bool_node (FALSE)));
  json_object_set_member (entry, "selective", member_or (st, "selective", bool_node (FALSE)));
  json_object_set_member (entry, "insertion_order",
                          member_or (st, "order", json_node_init_int (json_node_alloc (), 100)));
  json_object_set_boolean_member (entry, "enabled", !node_is_true (json_object_get_member (st, "disable")));

  node = json_object_get_member (st, "position");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    position = json_node_get_int (node);
  json_object_set_string_member (entry, "position", position == 0 ? "before_char" : "after_char");

  node = json_object_get_member (st, "caseSensitive");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    json_object_set_boolean_member (entry, "case_sensitive", json_node_get_boolean (node));

  for (GList *l = members; l != NULL; l = l->next)
    if (!is_mapped (l->data))
      json_object_set_member (extensions, l->data, json_node_copy (json_object_get_member (st, l->data)));
  json_object_set_object_member (entry, "extensions", g_steal_pointer (&extensions));

  return entry;
}

static char *
name_from_hint (const char *filename_hint)
{
  g_autofree char *base = NULL;

  if (filename_hint == NULL || filename_hint[0] == '\0')
    return NULL;
  base = g_path_get_basename (filename_hint);
  if (g_str_has_suffix (base, ".json"))
    base[strlen (base) - strlen (".json")] = '\0';
  if (base[0] == '\0' || g_str_equal (base, ".") || g_str_equal (base, G_DIR_SEPARATOR_S))
    return NULL;
  return g_steal_pointer (&base);
}

JsonObject *
natter_worldbook_import_st (GBytes      *bytes,
                            const char  *filename_hint,
                            char       **name,
                            GError     **error)
{
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) book = NULL;
  g_autoptr(JsonObject) book_extensions = NULL;
  g_autoptr(JsonArray) entries = NULL;
  g_autoptr(GList) members = NULL;
  g_autofree char *book_name = NULL;
  JsonNode *root_node;
  JsonObject *root;
  JsonNode *entries_node;
  JsonNode *name_node;
  const char *text;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_bytes_get_data (bytes, &len);
  if (len > NATTER_WORLDBOOK_MAX_SIZE)
    {
      g_set_error (error, NATTER_WORLDBOOK_ERROR, NATTER_WORLDBOOK_ERROR_TOO_LARGE,
                   _("The world book is too large (over %d MB)"),
                   NATTER_WORLDBOOK_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  parsed = _natter_card_parse_json (text, len, &local_error);
  if (parsed == NULL)
    {
      g_set_error (error, NATTER_WORLDBOOK_ERROR,
                   g_error_matches (local_error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE)
                   ? NATTER_WORLDBOOK_ERROR_TOO_LARGE : NATTER_WORLDBOOK_ERROR_INVALID_JSON,
                   _("The world book cannot be read: %s"), local_error->message);
      return NULL;
    }

  root_node = parsed;
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    goto not_a_worldbook;
  root = json_node_get_object (root_node);
  entries_node = json_object_get_member (root, "entries");
  if (entries_node == NULL)
    goto not_a_worldbook;

  name_node = json_object_get_member (root, "name");
  if (name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node)
      && json_node_get_value_type (name_node) == G_TYPE_STRING
      && json_node_get_string (name_node)[0] != '\0')
    book_name = g_strdup (json_node_get_string (name_node));
  else
    book_name = name_from_hint (filename_hint);
  if (book_name == NULL)
    book_name = g_strdup (_("World book"));

  if (JSON_NODE_HOLDS_ARRAY (entries_node))
    {
      /* Already a Character Card V2 character_book. */
      g_autoptr(JsonNode) copy = json_node_copy (root_node);

      book = json_object_ref (json_node_get_object (copy));
    }
  else if (!JSON_NODE_HOLDS_OBJECT (entries_node))
    goto not_a_worldbook;
  else
    {
      JsonObject *st_entries = json_node_get_object (entries_node);
      g_autoptr(GList) uids = json_object_get_members (st_entries);

      entries = json_array_new ();
      for (GList *l = uids; l != NULL; l = l->next)
        {
          JsonNode *st = json_object_get_member (st_entries, l->data);

          if (!JSON_NODE_HOLDS_OBJECT (st))
            {
              g_set_error (error, NATTER_WORLDBOOK_ERROR, NATTER_WORLDBOOK_ERROR_NOT_A_WORLDBOOK,
                           _("World book entry “%s” is not an object"), (const char *) l->data);
              return NULL;
            }
          json_array_add_object_element (entries, convert_entry (l->data, json_node_get_object (st)));
        }

      book = json_object_new ();
      book_extensions = json_object_new ();
      members = json_object_get_members (root);
      for (GList *l = members; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "entries") && !g_str_equal (l->data, "name"))
          json_object_set_member (book_extensions, l->data,
                                  json_node_copy (json_object_get_member (root, l->data)));

      json_object_set_string_member (book, "name", book_name);
      json_object_set_object_member (book, "extensions", g_steal_pointer (&book_extensions));
      json_object_set_array_member (book, "entries", g_steal_pointer (&entries));
    }

  if (!json_object_has_member (book, "name"))
    json_object_set_string_member (book, "name", book_name);
  if (name != NULL)
    *name = g_steal_pointer (&book_name);
  return g_steal_pointer (&book);

not_a_worldbook:
  g_set_error (error, NATTER_WORLDBOOK_ERROR, NATTER_WORLDBOOK_ERROR_NOT_A_WORLDBOOK,
               _("This is not a SillyTavern world book: it has no “entries”"));
  return NULL;
}

JsonObject *
natter_worldbook_import_st_file (const char  *path,
                                 char       **name,
                                 GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  basename = g_file_get_basename (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_size (info) > NATTER_WORLDBOOK_MAX_SIZE)
    {
      g_set_error (error, NATTER_WORLDBOOK_ERROR, NATTER_WORLDBOOK_ERROR_TOO_LARGE,
                   _("“%s” is too large to be a world book (over %d MB)"),
                   basename, NATTER_WORLDBOOK_MAX_SIZE / (1024 * 1024));
      return NULL;
    }
  bytes = g_file_load_bytes (file, NULL, NULL, error);
  if (bytes == NULL)
    return NULL;
  return natter_worldbook_import_st (bytes, basename, name, error);
}
