/* natter-card-edit.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-card"

#include "config.h"

#include <string.h>

#include "natter-card-edit.h"
#include "natter-card-private.h"

static const char * const list_fields[] = {
  "tags", "alternate_greetings", "group_only_greetings",
};

gboolean
natter_card_field_is_list (const char *field)
{
  g_return_val_if_fail (field != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (list_fields); i++)
    if (g_str_equal (field, list_fields[i]))
      return TRUE;
  return FALSE;
}

gboolean
natter_card_field_is_valid (const char *field)
{
  if (field == NULL || field[0] == '\0' || strlen (field) > 64)
    return FALSE;
  for (const char *p = field; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

NatterCard *
natter_card_new_blank (const char *name)
{
  static const char * const strings[] = {
    "description", "personality", "scenario", "first_mes", "mes_example", "creator_notes",
    "system_prompt", "post_history_instructions",
  };
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonObject) data = json_object_new ();

  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);

  json_object_set_string_member (root, "spec", "chara_card_v3");
  json_object_set_string_member (root, "spec_version", "3.0");
  json_object_set_string_member (data, "name", name);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    json_object_set_string_member (data, strings[i], "");
  json_object_set_array_member (data, "alternate_greetings", json_array_new ());
  json_object_set_array_member (data, "tags", json_array_new ());
  json_object_set_string_member (data, "creator", "");
  json_object_set_string_member (data, "character_version", "");
  json_object_set_object_member (data, "extensions", json_object_new ());
  json_object_set_array_member (data, "group_only_greetings", json_array_new ());
  json_object_set_object_member (root, "data", g_steal_pointer (&data));

  return _natter_card_new_take (json_node_init_object (json_node_alloc (), root), NULL);
}

/* The V1 copy at the root that mirrors @field, if any. */
static const char *
root_mirror (const char *field)
{
  static const char * const same[] = {
    "name", "description", "personality", "scenario", "first_mes", "mes_example", "tags",
  };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    if (g_str_equal (field, same[i]))
      return same[i];
  if (g_str_equal (field, "creator_notes"))
    return "creatorcomment";
  return NULL;
}

NatterCard *
natter_card_edit_member (NatterCard *self,
                         const char *field,
                         JsonNode   *value)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *root_obj;
  JsonObject *data;
  JsonNode *old;
  const char *mirror;
  NatterCard *edited;

  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);
  g_return_val_if_fail (natter_card_field_is_valid (field), NULL);
  g_return_val_if_fail (value != NULL, NULL);

  data = natter_card_get_data (self);
  old = data != NULL ? json_object_get_member (data, field) : NULL;
  if (old != NULL && json_node_equal (old, value))
    return g_object_ref (self);

  root = _natter_card_deep_copy (self->root);
  root_obj = json_node_get_object (root);
  data = _natter_card_object_get_object (root_obj, "data");
  g_assert (data != NULL);

  mirror = root_mirror (field);
  if (mirror != NULL && old != NULL && json_object_has_member (root_obj, mirror) &&
      json_node_equal (json_object_get_member (root_obj, mirror), old))
    json_object_set_member (root_obj, mirror, _natter_card_deep_copy (value));
  json_object_set_member (data, field, _natter_card_deep_copy (value));

  edited = _natter_card_new_take (g_steal_pointer (&root),
                                  self->avatar != NULL ? g_bytes_ref (self->avatar) : NULL);
  return edited;
}

NatterCard *
natter_card_edit_string (NatterCard *self,
                         const char *field,
                         const char *value)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (value != NULL, NULL);

  node = json_node_init_string (json_node_alloc (), value);
  return natter_card_edit_member (self, field, node);
}

NatterCard *
natter_card_edit_strv (NatterCard         *self,
                       const char         *field,
                       const char * const *values)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  node = json_node_init_array (json_node_alloc (), array);
  return natter_card_edit_member (self, field, node);
}

NatterCard *
natter_card_copy_renamed (NatterCard *self,
                          const char *name)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);

  return natter_card_edit_string (self, "name", name);
}
