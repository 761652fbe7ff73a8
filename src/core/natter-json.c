/* natter-json.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-json.h"

gboolean
natter_json_check_depth (const char  *data,
                         gssize       len,
                         guint        max_depth,
                         GError     **error)
{
  gsize n;
  guint depth = 0;
  gboolean in_string = FALSE;

  if (data == NULL)
    return TRUE;

  n = len < 0 ? strlen (data) : (gsize) len;

  for (gsize i = 0; i < n; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;   /* whatever follows is escaped, \" included */
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "The JSON data is nested more than %u level deep",
                                        "The JSON data is nested more than %u levels deep",
                                        max_depth),
                           max_depth);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }

  return TRUE;
}

/* The four hex digits of a \u escape at data[at], or -1. */
static gint32
read_hex4 (const char *data,
           gsize       n,
           gsize       at)
{
  gint32 value = 0;

  if (at > n || n - at < 4)
    return -1;
  for (gsize k = at; k < at + 4; k++)
    {
      int digit = g_ascii_xdigit_value (data[k]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

static gboolean
escape_error (GError     **error,
              const char  *problem)
{
  g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, problem);
  return FALSE;
}

/* The escape whose backslash is at data[*i]; *i moves to its last byte. */
static gboolean
check_escape (const char  *data,
              gsize        n,
              gsize       *i,
              GError     **error)
{
  gsize at = *i;
  gint32 unit, low = -1;

  if (at + 1 >= n)
    return escape_error (error, _("a text ends with a lone backslash"));

  switch (data[at + 1])
    {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
      *i = at + 1;
      return TRUE;
    case 'u':
      break;
    default:
      {
        g_autofree char *escape = NULL;
        g_autofree char *problem = NULL;

        /* The escaped character itself, never half of one. */
        escape = g_utf8_make_valid (data + at + 1, MIN ((gsize) g_utf8_skip[(guchar) data[at + 1]],
                                                        n - at - 1));
        problem = g_strdup_printf (_("“\\%s” in a text is not an escape JSON has"), escape);
        return escape_error (error, problem);
      }
    }

  unit = read_hex4 (data, n, at + 2);
  if (unit < 0)
    return escape_error (error, _("“\\u” in a text must be followed by four hexadecimal digits"));
  /* Strings are kept NUL-terminated: the text after it would be lost. */
  if (unit == 0)
    return escape_error (error, _("a text holds a NUL character (\\u0000)"));
  if (unit >= 0xd800 && unit <= 0xdbff &&
      at + 7 < n && data[at + 6] == '\\' && data[at + 7] == 'u')
    low = read_hex4 (data, n, at + 8);
  if ((unit >= 0xd800 && unit <= 0xdbff && (low < 0xdc00 || low > 0xdfff)) ||
      (unit >= 0xdc00 && unit <= 0xdfff))
    {
      g_autofree char *problem =
        g_strdup_printf (_("“\\u%04X” in a text is half of a character without its other half"),
                         (guint) unit);
      return escape_error (error, problem);
    }

  *i = at + (low >= 0 ? 11 : 5);
  return TRUE;
}

gboolean
natter_json_check_escapes (const char  *data,
                           gssize       len,
                           GError     **error)
{
  gsize n;
  gboolean in_string = FALSE;

  if (data == NULL)
    return TRUE;

  n = len < 0 ? strlen (data) : (gsize) len;

  for (gsize i = 0; i < n; i++)
    {
      /* json-glib also reads 'text' (without its escapes): the quotes in
       * it would hide the escapes after it from this scan. */
      if (!in_string && data[i] == '\'')
        return escape_error (error, _("a text is in single quotes"));
      if (!in_string)
        in_string = data[i] == '"';
      else if (data[i] == '"')
        in_string = FALSE;
      else if (data[i] == '\\' && !check_escape (data, n, &i, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
natter_json_strings_are_utf8 (JsonNode *node)
{
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        if (!g_utf8_validate (name, -1, NULL) || !natter_json_strings_are_utf8 (member))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!natter_json_strings_are_utf8 (json_array_get_element (array, i)))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_utf8_validate (json_node_get_string (node), -1, NULL);

  return TRUE;
}

gboolean
natter_json_parser_load (JsonParser  *parser,
                         const char  *data,
                         gssize       len,
                         GError     **error)
{
  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);

  if (data == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           _("There is no JSON data"));
      return FALSE;
    }

  if (!natter_json_check_depth (data, len, NATTER_JSON_MAX_DEPTH, error))
    return FALSE;

  return json_parser_load_from_data (parser, data, len, error);
}

JsonNode *
natter_json_parse (const char  *data,
                   gssize       len,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!natter_json_parser_load (parser, data, len, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           _("There is no JSON data"));
      return NULL;
    }

  return json_node_ref (root);
}

cJSON *
natter_json_cjson_parse (const char  *data,
                         gsize        len,
                         GError     **error)
{
  cJSON *json;

  if (data == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           _("There is no JSON data"));
      return NULL;
    }

  if (!natter_json_check_depth (data, (gssize) len, NATTER_JSON_MAX_DEPTH, error))
    return NULL;

  json = cJSON_ParseWithLength (data, len);
  if (json == NULL)
    g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                         _("The data is not valid JSON"));

  return json;
}

gint64
natter_json_clamp_int (double value,
                       gint64 min,
                       gint64 max)
{
  if (isnan (value) || value <= (double) min)
    return min;
  /* (double) G_MAXINT64 rounds up to 2^63, itself out of range. */
  if (value >= (double) max)
    return max;

  return (gint64) value;
}

gint64
natter_json_node_get_int (JsonNode *node,
                          gint64    fallback)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    return natter_json_clamp_int (json_node_get_double (node), G_MININT64, G_MAXINT64);
  if (type == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? 1 : 0;

  return fallback;
}

gboolean
natter_json_numbers_are_finite (JsonNode *node)
{
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        if (!natter_json_numbers_are_finite (member))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!natter_json_numbers_are_finite (json_array_get_element (array, i)))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return isfinite (json_node_get_double (node));

  return TRUE;
}

const char *
natter_json_object_get_string (JsonObject *object,
                               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gboolean
natter_json_object_get_bool (JsonObject *object,
                             const char *name,
                             gboolean    fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;

  return json_node_get_boolean (node);
}
