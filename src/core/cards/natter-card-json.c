/* natter-card-json.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-card"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "natter-card-private.h"
#include "natter-json.h"

/* Deeper JSON is refused before json-glib's recursive parser sees it. */
#define CARD_MAX_JSON_DEPTH 256

static const char * const v1_fields[] = {
  "name", "description", "personality", "scenario", "first_mes", "mes_example",
};

/* ------------------------------------------------------------------ JSON */

/* Refuses what json-glib would misread instead of failing: nesting deep
 * enough to exhaust the stack, integers beyond 64 bits (which it
 * silently wraps around) and escapes that are not JSON (octal escapes
 * become bytes that are not UTF-8, unknown ones lose their backslash;
 * natter_json_check_escapes() says which). */
static gboolean
check_json_text (const char *text,
                 gsize       len,
                 GError    **error)
{
  g_autoptr(GError) escape_error = NULL;
  guint depth = 0;
  gboolean in_string = FALSE;

  if (!natter_json_check_escapes (text, (gssize) len, &escape_error))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON is not valid: %s"), escape_error->message);
      return FALSE;
    }

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;   /* checked above: whatever follows is escaped */
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > CARD_MAX_JSON_DEPTH)
            {
              g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "The JSON is nested more than %d level deep",
                                        "The JSON is nested more than %d levels deep",
                                        CARD_MAX_JSON_DEPTH),
                           CARD_MAX_JSON_DEPTH);
              return FALSE;
            }
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0)
            depth--;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gsize start = i, digits_start, n_digits;
          gboolean is_integer = TRUE;

          if (text[i] == '-')
            i++;
          digits_start = i;
          while (i < len && (g_ascii_isdigit (text[i]) || text[i] == '.' || text[i] == 'e'
                             || text[i] == 'E' || text[i] == '+' || text[i] == '-'))
            {
              if (!g_ascii_isdigit (text[i]))
                is_integer = FALSE;
              i++;
            }
          n_digits = i - digits_start;
          while (is_integer && n_digits > 1 && text[digits_start] == '0')
            digits_start++, n_digits--;
          if (is_integer && (n_digits > 19
                             || (n_digits == 19
                                 && strncmp (text + digits_start,
                                             text[start] == '-' ? "9223372036854775808" : "9223372036854775807",
                                             19) > 0)))
            {
              g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                           _("The JSON has a number too large to keep exactly: %.*s"),
                           (int) MIN (i - start, 40), text + start);
              return FALSE;
            }
          i--;
        }
    }

  return TRUE;
}

/* Doubles out of range parse as infinity, which JSON cannot express. */
static gboolean
numbers_are_finite (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        if (!numbers_are_finite (json_object_get_member (object, l->data)))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!numbers_are_finite (json_array_get_element (array, i)))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return isfinite (json_node_get_double (node));

  return TRUE;
}

JsonNode *
_natter_card_parse_json_text (const char *text,
                              gsize       len,
                              GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (len > NATTER_CARD_MAX_JSON_SIZE)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE,
                   _("The JSON is too large (over %d MB)"),
                   NATTER_CARD_MAX_JSON_SIZE / (1024 * 1024));
      return NULL;
    }

  /* A UTF-8 byte order mark is common in files written on Windows. */
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    text += 3, len -= 3;

  if (!g_utf8_validate_len (text, len, NULL))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON is not valid UTF-8 text"));
      return NULL;
    }
  if (!check_json_text (text, len, error))
    return NULL;

  parser = json_parser_new ();
  if (len == 0 || !natter_json_parser_load (parser, text, (gssize) len, &local_error))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON is not valid: %s"),
                   local_error != NULL ? local_error->message : _("it is empty"));
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON is not valid: it is empty"));
      return NULL;
    }
  if (!numbers_are_finite (root))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON has a number too large to keep"));
      return NULL;
    }
  return g_steal_pointer (&root);
}

JsonNode *
_natter_card_parse_json (const char  *text,
                         gsize        len,
                         GError     **error)
{
  return _natter_card_parse_json_text (text, len, error);
}

char *
_natter_card_node_to_text (JsonNode *node,
                           gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* json_node_copy() shares objects and arrays with the original; this
 * does not. Depth is bounded by CARD_MAX_JSON_DEPTH. */
JsonNode *
_natter_card_deep_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *src = json_node_get_object (node);
      g_autoptr(JsonObject) dst = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (src);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (dst, l->data, _natter_card_deep_copy (json_object_get_member (src, l->data)));
      return json_node_init_object (json_node_alloc (), dst);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *src = json_node_get_array (node);
      g_autoptr(JsonArray) dst = json_array_sized_new (json_array_get_length (src));

      for (guint i = 0; i < json_array_get_length (src); i++)
        json_array_add_element (dst, _natter_card_deep_copy (json_array_get_element (src, i)));
      return json_node_init_array (json_node_alloc (), dst);
    }
  return json_node_copy (node);
}

const char *
_natter_card_object_get_string (JsonObject *object,
                                const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return "";
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

JsonObject *
_natter_card_object_get_object (JsonObject *object,
                                const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* Builds the V2 layout from a V1 card (see natter-card.h). */
static JsonNode *
upgrade_v1 (JsonObject *v1)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (v1);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      gboolean is_v1_field = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (v1_fields); i++)
        is_v1_field |= strcmp (key, v1_fields[i]) == 0;
      if (!is_v1_field)
        json_object_set_member (root, key, json_node_copy (json_object_get_member (v1, key)));
    }

  for (guint i = 0; i < G_N_ELEMENTS (v1_fields); i++)
    {
      JsonNode *value = json_object_get_member (v1, v1_fields[i]);

      if (value != NULL)
        json_object_set_member (data, v1_fields[i], json_node_copy (value));
      else
        json_object_set_string_member (data, v1_fields[i], "");
    }
  json_object_set_string_member (data, "creator_notes", "");
  json_object_set_string_member (data, "system_prompt", "");
  json_object_set_string_member (data, "post_history_instructions", "");
  json_object_set_array_member (data, "alternate_greetings", json_array_new ());
  json_object_set_array_member (data, "tags", json_array_new ());
  json_object_set_string_member (data, "creator", "");
  json_object_set_string_member (data, "character_version", "");
  json_object_set_object_member (data, "extensions", json_object_new ());

  json_object_set_string_member (root, "spec", "chara_card_v2");
  if (!json_object_has_member (root, "spec_version"))
    json_object_set_string_member (root, "spec_version", "2.0");
  json_object_set_object_member (root, "data", g_steal_pointer (&data));

  return json_node_init_object (json_node_alloc (), root);
}

/* Takes a parsed tree, returns the card tree (V1 upgraded) or NULL. */
JsonNode *
_natter_card_normalize (JsonNode  *node,
                        GError   **error)
{
  JsonObject *root;
  JsonNode *data;
  JsonNode *spec;
  g_autoptr(JsonNode) card = NULL;
  const char *name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_CARD,
                   _("This is not a character card: its JSON is not an object"));
      return NULL;
    }

  root = json_node_get_object (node);
  data = json_object_get_member (root, "data");
  spec = json_object_get_member (root, "spec");

  if (spec != NULL && (!JSON_NODE_HOLDS_VALUE (spec) || json_node_get_value_type (spec) != G_TYPE_STRING))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_CARD,
                   _("This is not a character card: its “spec” is not a string"));
      return NULL;
    }
  if (data != NULL && !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_CARD,
                   _("This is not a character card: its “data” is not an object"));
      return NULL;
    }
  if (data == NULL && spec != NULL)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_CARD,
                   _("The card says it is “%s” but has no “data” object"),
                   json_node_get_string (spec));
      return NULL;
    }

  if (data == NULL)
    card = upgrade_v1 (root);
  else
    card = json_node_ref (node);

  name = _natter_card_object_get_string (_natter_card_object_get_object (json_node_get_object (card), "data"), "name");
  while (g_ascii_isspace (*name))
    name++;
  if (name[0] == '\0')
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_MISSING_NAME,
                   _("The character card has no name"));
      return NULL;
    }

  return g_steal_pointer (&card);
}

/* ---------------------------------------------------------------- base64 */

/* g_base64_decode() skips characters it does not know and drops an
 * unpadded tail, so the text is checked and padded here first. */
static GBytes *
decode_base64 (GBytes  *text,
               GError **error)
{
  const char *in;
  gsize len;
  g_autoptr(GString) clean = NULL;
  guint padding = 0;
  gsize out_len = 0;

  in = g_bytes_get_data (text, &len);
  clean = g_string_sized_new (len + 4);

  for (gsize i = 0; i < len; i++)
    {
      char c = in[i];

      if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
        continue;
      if (c == '=')
        {
          padding++;
          if (padding > 2)
            break;
          continue;
        }
      if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        {
          g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_BASE64,
                       _("The card data in the image is not valid base64 (unexpected character at position %zu)"),
                       i);
          return NULL;
        }
      g_string_append_c (clean, c);
    }

  if (padding > 2 || clean->len == 0 || clean->len % 4 == 1
      || (padding > 0 && (clean->len + padding) % 4 != 0))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_BASE64,
                   _("The card data in the image is not valid base64"));
      return NULL;
    }
  while (clean->len % 4 != 0)
    g_string_append_c (clean, '=');

  g_base64_decode_inplace (clean->str, &out_len);
  return g_bytes_new (clean->str, out_len);
}

/* A card chunk's text: base64 JSON, or (leniently) plain JSON. */
JsonNode *
_natter_card_parse_chunk (GBytes  *text,
                          GError **error)
{
  g_autoptr(GBytes) decoded = NULL;
  const char *data;
  gsize len;

  data = g_bytes_get_data (text, &len);
  while (len > 0 && g_ascii_isspace (data[0]))
    data++, len--;
  if (len > 0 && data[0] == '{')
    return _natter_card_parse_json_text (data, len, error);

  decoded = decode_base64 (text, error);
  if (decoded == NULL)
    return NULL;
  data = g_bytes_get_data (decoded, &len);
  return _natter_card_parse_json_text (data, len, error);
}
