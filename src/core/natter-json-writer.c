/* natter-json-writer.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "natter-json-writer.h"

static void
write_js_string (GString    *out,
                 const char *str)
{
  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
write_js_number (GString *out,
                 double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (ABS (value) < 1e15 && value == (double) (gint64) value)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }
  /* The shortest text that reads back as the same number. */
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

static void
write_indent (GString *out,
              guint    indent,
              guint    depth)
{
  if (indent == 0)
    return;
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth * indent; i++)
    g_string_append_c (out, ' ');
}

static void
write_js (GString  *out,
          JsonNode *node,
          guint     indent,
          guint     depth)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *value;
        gboolean first = TRUE;

        if (json_object_get_size (object) == 0)
          {
            g_string_append (out, "{}");
            return;
          }
        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &value))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            write_indent (out, indent, depth + 1);
            write_js_string (out, name);
            g_string_append (out, indent > 0 ? ": " : ":");
            write_js (out, value, indent, depth + 1);
          }
        write_indent (out, indent, depth);
        g_string_append_c (out, '}');
      }
      return;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        if (n == 0)
          {
            g_string_append (out, "[]");
            return;
          }
        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_indent (out, indent, depth + 1);
            write_js (out, json_array_get_element (array, i), indent, depth + 1);
          }
        write_indent (out, indent, depth);
        g_string_append_c (out, ']');
      }
      return;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return;

    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          return;
        case G_TYPE_DOUBLE:
          write_js_number (out, json_node_get_double (node));
          return;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          return;
        case G_TYPE_STRING:
          write_js_string (out, json_node_get_string (node));
          return;
        default:
          g_string_append (out, "null");
          return;
        }
    }
}

void
natter_json_write (GString  *out,
                   JsonNode *node,
                   guint     indent)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (node != NULL);

  write_js (out, node, indent, 0);
}

char *
natter_json_to_string (JsonNode *node,
                       guint     indent)
{
  GString *out = g_string_new (NULL);

  natter_json_write (out, node, indent);
  return g_string_free (out, FALSE);
}
