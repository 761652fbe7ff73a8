/* natter-worldbook-edit.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-worldbook"

#include "config.h"

#include <string.h>

#include "natter-card-private.h"
#include "natter-worldbook-edit.h"

/* SillyTavern's names in world book files for the snake_case names it
 * writes into cards' character_book extensions. */
static const struct { const char *snake; const char *camel; } ext_names[] = {
  { "exclude_recursion", "excludeRecursion" },
  { "prevent_recursion", "preventRecursion" },
  { "delay_until_recursion", "delayUntilRecursion" },
  { "display_index", "displayIndex" },
  { "group_override", "groupOverride" },
  { "group_weight", "groupWeight" },
  { "scan_depth", "scanDepth" },
  { "match_whole_words", "matchWholeWords" },
  { "use_group_scoring", "useGroupScoring" },
  { "case_sensitive", "caseSensitive" },
  { "automation_id", "automationId" },
};

static const char * const insert_names[] = {
  "before_char", "after_char", "an_top", "an_bottom", "depth", "em_top", "em_bottom",
};

static const char * const logic_names[] = {
  "and_any", "not_all", "not_any", "and_all",
};

int
natter_lore_insert_from_string (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (insert_names); i++)
    if (g_str_equal (name, insert_names[i]))
      return (int) i;
  return -1;
}

const char *
natter_lore_insert_to_string (NatterLoreInsert position)
{
  g_return_val_if_fail ((guint) position < G_N_ELEMENTS (insert_names), NULL);
  return insert_names[position];
}

int
natter_lore_logic_from_string (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (logic_names); i++)
    if (g_str_equal (name, logic_names[i]))
      return (int) i;
  return -1;
}

const char *
natter_lore_logic_to_string (NatterLoreLogic logic)
{
  g_return_val_if_fail ((guint) logic < G_N_ELEMENTS (logic_names), NULL);
  return logic_names[logic];
}

/* ---- reading ----------------------------------------------------------- */

static JsonNode *
get (JsonObject *object,
     const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

static gboolean
get_int (JsonObject *object,
         const char *name,
         gint64     *value)
{
  JsonNode *node = get (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *value = json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *value = (gint64) json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

static gboolean
get_bool (JsonObject *object,
          const char *name,
          gboolean    fallback)
{
  JsonNode *node = get (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = get (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static char **
get_strv (JsonObject *object,
          const char *name)
{
  JsonNode *node = get (object, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (item));
        }
    }
  return g_strv_builder_end (builder);
}

static JsonObject *
extensions_of (JsonObject *entry,
               gboolean    create)
{
  JsonNode *node = get (entry, "extensions");

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  if (!create)
    return NULL;
  json_object_set_object_member (entry, "extensions", json_object_new ());
  return json_object_get_object_member (entry, "extensions");
}

/* The name @ext uses for a setting: SillyTavern's file name when the
 * entry came from a file, else the card name. */
static const char *
ext_name (JsonObject *ext,
          const char *snake)
{
  for (guint i = 0; i < G_N_ELEMENTS (ext_names); i++)
    if (g_str_equal (snake, ext_names[i].snake))
      {
        if (ext != NULL && json_object_has_member (ext, ext_names[i].camel))
          return ext_names[i].camel;
        return snake;
      }
  return snake;
}

void
natter_lore_fields_read (JsonObject       *entry,
                         NatterLoreFields *fields)
{
  JsonObject *ext;
  const char *text;
  gint64 n;

  g_return_if_fail (entry != NULL && fields != NULL);

  memset (fields, 0, sizeof *fields);
  ext = extensions_of (entry, FALSE);

  fields->keys = get_strv (entry, "keys");
  fields->secondary_keys = get_strv (entry, "secondary_keys");
  fields->content = g_strdup (get_string (entry, "content") ? get_string (entry, "content") : "");
  text = get_string (entry, "comment");
  if (text == NULL || text[0] == '\0')
    text = get_string (entry, "name");
  fields->comment = g_strdup (text ? text : "");
  fields->constant = get_bool (entry, "constant", FALSE);
  fields->enabled = get_bool (entry, "enabled", TRUE);
  fields->order = get_int (entry, "insertion_order", &n) ? (int) CLAMP (n, G_MININT, G_MAXINT) : 100;

  if (get_int (ext, "position", &n) && n >= 0 && n < (gint64) G_N_ELEMENTS (insert_names))
    fields->position = (NatterLoreInsert) n;
  else
    fields->position = g_strcmp0 (get_string (entry, "position"), "after_char") == 0
                       ? NATTER_LORE_INSERT_AFTER_CHAR : NATTER_LORE_INSERT_BEFORE_CHAR;
  fields->depth = get_int (ext, "depth", &n) ? (int) CLAMP (n, 0, G_MAXINT) : 4;
  fields->logic = get_int (ext, "selectiveLogic", &n) && n >= 0 && n <= 3
                  ? (NatterLoreLogic) n : NATTER_LORE_LOGIC_AND_ANY;
  fields->probability = get_int (ext, "probability", &n) ? (int) CLAMP (n, 0, 100) : 100;
  fields->scan_depth = get_int (ext, ext_name (ext, "scan_depth"), &n) && n >= 0
                       ? (int) MIN (n, G_MAXINT) : -1;
  fields->exclude_recursion = get_bool (ext, ext_name (ext, "exclude_recursion"), FALSE);
  fields->prevent_recursion = get_bool (ext, ext_name (ext, "prevent_recursion"), FALSE);
}

void
natter_lore_fields_clear (NatterLoreFields *fields)
{
  g_clear_pointer (&fields->keys, g_strfreev);
  g_clear_pointer (&fields->secondary_keys, g_strfreev);
  g_clear_pointer (&fields->content, g_free);
  g_clear_pointer (&fields->comment, g_free);
}

/* ---- writing ----------------------------------------------------------- */

static void
set_strv (JsonObject         *object,
          const char         *name,
          const char * const *values)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  json_object_set_array_member (object, name, array);
}

static gboolean
strv_same (char **a,
           char **b)
{
  return g_strv_equal ((const char * const *) (a ? a : (char *[]) { NULL }),
                       (const char * const *) (b ? b : (char *[]) { NULL }));
}

void
natter_lore_fields_write (JsonObject             *entry,
                          const NatterLoreFields *before,
                          const NatterLoreFields *fields)
{
  JsonObject *ext;

  g_return_if_fail (entry != NULL && before != NULL && fields != NULL);

  if (!strv_same (before->keys, fields->keys))
    set_strv (entry, "keys", (const char * const *) fields->keys);
  if (!strv_same (before->secondary_keys, fields->secondary_keys))
    {
      set_strv (entry, "secondary_keys", (const char * const *) fields->secondary_keys);
      if (fields->secondary_keys != NULL && fields->secondary_keys[0] != NULL)
        json_object_set_boolean_member (entry, "selective", TRUE);
    }
  if (g_strcmp0 (before->content, fields->content) != 0)
    json_object_set_string_member (entry, "content", fields->content ? fields->content : "");
  if (g_strcmp0 (before->comment, fields->comment) != 0)
    {
      json_object_set_string_member (entry, "comment", fields->comment ? fields->comment : "");
      if (json_object_has_member (entry, "name"))
        json_object_set_string_member (entry, "name", fields->comment ? fields->comment : "");
    }
  if (before->constant != fields->constant)
    json_object_set_boolean_member (entry, "constant", fields->constant);
  if (before->enabled != fields->enabled)
    json_object_set_boolean_member (entry, "enabled", fields->enabled);
  if (before->order != fields->order)
    json_object_set_int_member (entry, "insertion_order", fields->order);

  ext = extensions_of (entry, TRUE);
  if (before->position != fields->position)
    {
      gboolean before_char = fields->position == NATTER_LORE_INSERT_BEFORE_CHAR ||
                             fields->position == NATTER_LORE_INSERT_EM_TOP;

      json_object_set_string_member (entry, "position", before_char ? "before_char" : "after_char");
      json_object_set_int_member (ext, "position", fields->position);
    }
  if (before->depth != fields->depth)
    json_object_set_int_member (ext, "depth", fields->depth);
  if (before->logic != fields->logic)
    json_object_set_int_member (ext, "selectiveLogic", fields->logic);
  if (before->probability != fields->probability)
    {
      json_object_set_int_member (ext, "probability", fields->probability);
      json_object_set_boolean_member (ext, "useProbability", TRUE);
    }
  if (before->scan_depth != fields->scan_depth)
    {
      if (fields->scan_depth < 0)
        json_object_set_null_member (ext, ext_name (ext, "scan_depth"));
      else
        json_object_set_int_member (ext, ext_name (ext, "scan_depth"), fields->scan_depth);
    }
  if (before->exclude_recursion != fields->exclude_recursion)
    json_object_set_boolean_member (ext, ext_name (ext, "exclude_recursion"),
                                    fields->exclude_recursion);
  if (before->prevent_recursion != fields->prevent_recursion)
    json_object_set_boolean_member (ext, ext_name (ext, "prevent_recursion"),
                                    fields->prevent_recursion);
}

/* ---- books ------------------------------------------------------------- */

JsonObject *
natter_worldbook_new (const char *name)
{
  JsonObject *book = json_object_new ();

  json_object_set_string_member (book, "name", name ? name : "");
  json_object_set_object_member (book, "extensions", json_object_new ());
  json_object_set_array_member (book, "entries", json_array_new ());
  return book;
}

JsonArray *
natter_worldbook_get_entries (JsonObject *book)
{
  JsonNode *node;

  g_return_val_if_fail (book != NULL, NULL);

  node = json_object_get_member (book, "entries");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    json_object_set_array_member (book, "entries", json_array_new ());
  return json_object_get_array_member (book, "entries");
}

JsonObject *
natter_worldbook_add_entry (JsonObject *book)
{
  JsonArray *entries = natter_worldbook_get_entries (book);
  JsonObject *entry = json_object_new ();
  gint64 next = 0, n;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *item = json_array_get_element (entries, i);

      if (JSON_NODE_HOLDS_OBJECT (item) && get_int (json_node_get_object (item), "id", &n) &&
          n >= next)
        next = n + 1;
    }

  json_object_set_int_member (entry, "id", next);
  json_object_set_array_member (entry, "keys", json_array_new ());
  json_object_set_array_member (entry, "secondary_keys", json_array_new ());
  json_object_set_string_member (entry, "comment", "");
  json_object_set_string_member (entry, "content", "");
  json_object_set_boolean_member (entry, "constant", FALSE);
  json_object_set_boolean_member (entry, "selective", TRUE);
  json_object_set_int_member (entry, "insertion_order", 100);
  json_object_set_boolean_member (entry, "enabled", TRUE);
  json_object_set_string_member (entry, "position", "before_char");
  json_object_set_object_member (entry, "extensions", json_object_new ());
  json_array_add_object_element (entries, entry);
  return entry;
}

/* ---- SillyTavern export ------------------------------------------------ */

static const char *
camel_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (ext_names); i++)
    if (g_str_equal (name, ext_names[i].snake))
      return ext_names[i].camel;
  return name;
}

static JsonNode *
copy_or (JsonObject *object,
         const char *name,
         JsonNode   *fallback)
{
  JsonNode *node = get (object, name);

  if (node == NULL)
    return fallback;
  json_node_unref (fallback);
  return _natter_card_deep_copy (node);
}

static JsonObject *
export_entry (JsonObject *entry,
              gint64      uid)
{
  JsonObject *st = json_object_new ();
  JsonObject *ext = extensions_of (entry, FALSE);
  g_autoptr(GList) members = ext != NULL ? json_object_get_members (ext) : NULL;
  gint64 n;

  json_object_set_int_member (st, "uid", uid);
  json_object_set_member (st, "key", copy_or (entry, "keys",
                                              json_node_init_array (json_node_alloc (), json_array_new ())));
  json_object_set_member (st, "keysecondary",
                          copy_or (entry, "secondary_keys",
                                   json_node_init_array (json_node_alloc (), json_array_new ())));
  json_object_set_member (st, "comment",
                          copy_or (entry, json_object_has_member (entry, "comment") ? "comment" : "name",
                                   json_node_init_string (json_node_alloc (), "")));
  json_object_set_member (st, "content", copy_or (entry, "content",
                                                  json_node_init_string (json_node_alloc (), "")));
  json_object_set_member (st, "constant", copy_or (entry, "constant",
                                                   json_node_init_boolean (json_node_alloc (), FALSE)));
  json_object_set_member (st, "selective", copy_or (entry, "selective",
                                                    json_node_init_boolean (json_node_alloc (), FALSE)));
  json_object_set_member (st, "order", copy_or (entry, "insertion_order",
                                                json_node_init_int (json_node_alloc (), 100)));
  if (get_int (ext, "position", &n))
    json_object_set_int_member (st, "position", n);
  else
    json_object_set_int_member (st, "position",
                                g_strcmp0 (get_string (entry, "position"), "after_char") == 0 ? 1 : 0);
  json_object_set_boolean_member (st, "disable", !get_bool (entry, "enabled", TRUE));

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = camel_name (l->data);

      if (g_str_equal (l->data, "position") || json_object_has_member (st, name))
        continue;
      json_object_set_member (st, name, _natter_card_deep_copy (json_object_get_member (ext, l->data)));
    }
  if (!json_object_has_member (st, "caseSensitive") && get (entry, "case_sensitive") != NULL)
    json_object_set_member (st, "caseSensitive", copy_or (entry, "case_sensitive", NULL));

  return st;
}

GBytes *
natter_worldbook_export_st (JsonObject *book)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonObject) entries = json_object_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root_node = NULL;
  g_autoptr(GList) members = NULL;
  JsonArray *array;
  JsonObject *ext;
  char *text;
  gsize len;

  g_return_val_if_fail (book != NULL, NULL);

  array = natter_worldbook_get_entries (book);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *key = NULL;
      gint64 uid = i;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      if (!get_int (json_node_get_object (item), "id", &uid) || uid < 0)
        uid = i;
      key = g_strdup_printf ("%" G_GINT64_FORMAT, uid);
      /* Two entries with one id would be one in the file: the later one
       * takes the next free number. */
      while (json_object_has_member (entries, key))
        {
          g_free (key);
          key = g_strdup_printf ("%" G_GINT64_FORMAT, ++uid);
        }
      json_object_set_object_member (entries, key, export_entry (json_node_get_object (item), uid));
    }
  json_object_set_object_member (root, "entries", g_steal_pointer (&entries));

  ext = extensions_of (book, FALSE);
  members = ext != NULL ? json_object_get_members (ext) : NULL;
  for (GList *l = members; l != NULL; l = l->next)
    if (!json_object_has_member (root, l->data))
      json_object_set_member (root, l->data, _natter_card_deep_copy (json_object_get_member (ext, l->data)));

  root_node = json_node_init_object (json_node_alloc (), root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 4);
  json_generator_set_root (generator, root_node);
  text = json_generator_to_data (generator, &len);
  return g_bytes_new_take (text, len);
}
