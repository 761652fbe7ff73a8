/* natter-card-charx.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-card"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "natter-card-private.h"
#include "natter-charx.h"
#include "natter-png.h"
#include "natter-json.h"

/* --------------------------------------------------------------- import */

static gboolean
is_embedded_uri (const char  *uri,
                 const char **path)
{
  if (g_str_has_prefix (uri, "embeded://"))
    *path = uri + strlen ("embeded://");
  else if (g_str_has_prefix (uri, "embedded://"))
    *path = uri + strlen ("embedded://");
  else
    return FALSE;
  return **path != '\0';
}

/* Where natter_card_export_charx() puts the avatar when the card does not
 * name a place for it, and the card as it was before the V3 upgrade. */
#define CHARX_ICON_PATH     "assets/icon/images/main.png"
#define CHARX_ORIGINAL_PATH "natter/original-card.json"

static gboolean
charx_path_is_usable (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || path[0] == '\0' || path[0] == '/' || strchr (path, '\\') != NULL
      || g_str_equal (path, "card.json") || g_str_equal (path, CHARX_ORIGINAL_PATH))
    return FALSE;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

/* The zip path of the card's main icon, or NULL. Paths that
 * cannot name an asset (card.json, "..", absolute) are passed over. */
static const char *
find_icon_path (JsonObject *data)
{
  JsonNode *assets = json_object_get_member (data, "assets");
  const char *first = NULL;
  JsonArray *array;

  if (assets == NULL || !JSON_NODE_HOLDS_ARRAY (assets))
    return NULL;
  array = json_node_get_array (assets);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *asset;
      const char *path;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      asset = json_node_get_object (element);
      if (!g_str_equal (_natter_card_object_get_string (asset, "type"), "icon")
          || !is_embedded_uri (_natter_card_object_get_string (asset, "uri"), &path)
          || !charx_path_is_usable (path))
        continue;
      if (g_str_equal (_natter_card_object_get_string (asset, "name"), "main"))
        return path;
      if (first == NULL)
        first = path;
    }

  return first;
}

/* The card.json that natter_card_export_charx() writes for @root: spec
 * "chara_card_v3" / "3.0", and with @with_icon a main icon asset (the
 * card's own embedded icon when it has a usable one, else one added at
 * CHARX_ICON_PATH). *@icon_path (owned by the result) is where the avatar
 * goes. NULL when "data.assets" is there but not an array. */
static JsonNode *
charx_card_json (JsonNode    *root,
                 gboolean     with_icon,
                 const char **icon_path)
{
  g_autoptr(JsonNode) copy = _natter_card_deep_copy (root);
  JsonObject *object = json_node_get_object (copy);
  JsonObject *data = _natter_card_object_get_object (object, "data");
  JsonNode *assets;
  JsonObject *asset;
  const char *path;

  *icon_path = NULL;
  if (!g_str_equal (_natter_card_object_get_string (object, "spec"), "chara_card_v3")
      || !g_str_equal (_natter_card_object_get_string (object, "spec_version"), "3.0"))
    {
      json_object_set_string_member (object, "spec", "chara_card_v3");
      json_object_set_string_member (object, "spec_version", "3.0");
    }
  if (!with_icon)
    return g_steal_pointer (&copy);

  path = find_icon_path (data);
  if (path != NULL)
    {
      *icon_path = path;
      return g_steal_pointer (&copy);
    }

  assets = json_object_get_member (data, "assets");
  if (assets == NULL)
    {
      json_object_set_array_member (data, "assets", json_array_new ());
      assets = json_object_get_member (data, "assets");
    }
  else if (!JSON_NODE_HOLDS_ARRAY (assets))
    return NULL;

  asset = json_object_new ();
  json_object_set_string_member (asset, "type", "icon");
  json_object_set_string_member (asset, "uri", "embeded://" CHARX_ICON_PATH);
  json_object_set_string_member (asset, "name", "main");
  json_object_set_string_member (asset, "ext", "png");
  json_array_add_object_element (json_node_get_array (assets), asset);
  *icon_path = CHARX_ICON_PATH;
  return g_steal_pointer (&copy);
}

/* True when @card (from card.json) is what the exporter writes for
 * @original, i.e. nothing was changed in card.json since. */
static gboolean
charx_is_upgrade_of (JsonNode *card,
                     JsonNode *original)
{
  for (guint with_icon = 0; with_icon < 2; with_icon++)
    {
      const char *path;
      g_autoptr(JsonNode) expected = charx_card_json (original, with_icon, &path);

      if (expected != NULL && json_node_equal (expected, card))
        return TRUE;
    }
  return FALSE;
}

NatterCard *
_natter_card_load_charx (GBytes  *bytes,
                         GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) card = NULL;
  g_autoptr(GBytes) avatar = NULL;
  g_autoptr(GBytes) original_json = NULL;
  g_autoptr(JsonNode) original = NULL;
  const char *icon_path;
  const char *text;
  gsize len;

  json = natter_charx_read_card_json (bytes, &local_error);
  if (json == NULL)
    {
      if (g_error_matches (local_error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_NOT_FOUND))
        g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_NO_CARD,
                     _("The CHARX file has no card.json"));
      else if (g_error_matches (local_error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_TOO_LARGE))
        g_set_error_literal (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE,
                             local_error->message);
      else
        g_set_error_literal (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED,
                             local_error->message);
      return NULL;
    }

  text = g_bytes_get_data (json, &len);
  parsed = _natter_card_parse_json_text (text, len, error);
  if (parsed == NULL)
    return NULL;
  card = _natter_card_normalize (parsed, error);
  if (card == NULL)
    return NULL;

  icon_path = find_icon_path (json_node_get_object (json_object_get_member (json_node_get_object (card), "data")));

  /* A card that natter_card_export_charx() upgraded to V3 (or gave an
   * icon asset) comes back as it was, unless card.json was edited since. */
  original_json = natter_charx_read_entry (bytes, CHARX_ORIGINAL_PATH,
                                          NATTER_CHARX_MAX_CARD_JSON, NULL);
  if (original_json != NULL)
    {
      g_autoptr(JsonNode) original_parsed = NULL;

      text = g_bytes_get_data (original_json, &len);
      original_parsed = _natter_card_parse_json_text (text, len, NULL);
      if (original_parsed != NULL)
        original = _natter_card_normalize (original_parsed, NULL);
      if (original != NULL && !charx_is_upgrade_of (card, original))
        {
          g_debug ("CHARX %s does not match card.json; using card.json", CHARX_ORIGINAL_PATH);
          g_clear_pointer (&original, json_node_unref);
        }
    }

  if (icon_path != NULL)
    {
      avatar = natter_charx_read_entry (bytes, icon_path, NATTER_CHARX_MAX_ASSET, &local_error);
      if (avatar == NULL)
        {
          if (g_error_matches (local_error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_TOO_LARGE))
            {
              g_set_error_literal (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE,
                                   local_error->message);
              return NULL;
            }
          g_debug ("CHARX icon not usable: %s", local_error->message);
          g_clear_error (&local_error);
        }
      else
        {
          g_autoptr(GArray) chunks = natter_png_parse_chunks (avatar, &local_error);

          if (chunks == NULL)
            {
              /* Not a (sound) PNG, e.g. WebP art: the card keeps no avatar. */
              g_debug ("CHARX icon is not a PNG: %s", local_error->message);
              g_clear_error (&local_error);
              g_clear_pointer (&avatar, g_bytes_unref);
            }
        }
    }

  if (original != NULL)
    return _natter_card_new_take (g_steal_pointer (&original), g_steal_pointer (&avatar));
  return _natter_card_new_take (g_steal_pointer (&card), g_steal_pointer (&avatar));
}

/* --------------------------------------------------------------- export */

GBytes *
natter_card_export_charx (NatterCard  *self,
                          GBytes      *avatar_png,
                          GError     **error)
{
  g_autoptr(JsonNode) v3 = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) card_json = NULL;
  g_autoptr(GBytes) original_json = NULL;
  g_autoptr(GBytes) zip = NULL;
  GBytes *avatar;
  const char *icon_path = NULL;
  const char *paths[4] = { NULL, NULL, NULL, NULL };
  GBytes *contents[4] = { NULL, NULL, NULL, NULL };
  guint n = 0;
  char *text;

  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  avatar = avatar_png != NULL ? avatar_png : self->avatar;
  if (avatar != NULL)
    {
      g_autoptr(GArray) chunks = natter_png_parse_chunks (avatar, &local_error);

      if (chunks == NULL)
        {
          g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED,
                       _("The card's avatar cannot be used for a CHARX card: %s"),
                       local_error->message);
          return NULL;
        }
    }

  v3 = charx_card_json (self->root, avatar != NULL, &icon_path);
  if (v3 == NULL)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_CARD,
                   _("The card's “assets” member is not a list, so the avatar cannot be added to it"));
      return NULL;
    }

  text = _natter_card_node_to_text (v3, FALSE);
  card_json = g_bytes_new_take (text, strlen (text));
  paths[n] = "card.json";
  contents[n++] = card_json;
  if (icon_path != NULL)
    {
      paths[n] = icon_path;
      contents[n++] = avatar;
    }
  if (!json_node_equal (v3, self->root))
    {
      text = _natter_card_node_to_text (self->root, FALSE);
      original_json = g_bytes_new_take (text, strlen (text));
      paths[n] = CHARX_ORIGINAL_PATH;
      contents[n++] = original_json;
    }

  zip = natter_charx_write (paths, contents, &local_error);
  if (zip == NULL)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED,
                   _("The CHARX file cannot be written: %s"), local_error->message);
      return NULL;
    }
  return g_steal_pointer (&zip);
}
