/* natter-json-schema.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-json-schema"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "natter-json-schema.h"
#include "natter-json.h"

/* Schemas and answers nest a few levels; deeper is refused. */
#define MAX_DEPTH 64

G_DEFINE_QUARK (natter-json-schema-error-quark, natter_json_schema_error)

static const char *
node_type (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "array";
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "string";
    case G_TYPE_BOOLEAN:
      return "boolean";
    case G_TYPE_INT64:
      return "integer";
    default:
      return "number";
    }
}

static gboolean
is_number (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

static gboolean
type_matches (JsonNode   *node,
              const char *type)
{
  const char *actual = node_type (node);

  if (g_str_equal (type, actual))
    return TRUE;
  if (g_str_equal (type, "number"))
    return g_str_equal (actual, "integer");
  if (g_str_equal (type, "integer") && g_str_equal (actual, "number"))
    {
      double d = json_node_get_double (node);

      return isfinite (d) && d == floor (d);
    }
  return FALSE;
}

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (is_number (a) && is_number (b))
    return json_node_get_double (a) == json_node_get_double (b);
  return json_node_equal (a, b);
}

static gboolean
fail (GError     **error,
      const char  *path,
      const char  *message)
{
  g_set_error (error, NATTER_JSON_SCHEMA_ERROR, NATTER_JSON_SCHEMA_ERROR_INVALID,
               /* Translators: "At $.cities[2]: a string was expected" */
               _("At %s: %s"), path, message);
  return FALSE;
}

static double
member_number (JsonObject *schema,
               const char *name,
               gboolean   *present)
{
  JsonNode *node = json_object_get_member (schema, name);

  *present = node != NULL && is_number (node);
  return *present ? json_node_get_double (node) : 0;
}

static gboolean validate (JsonObject *schema, JsonNode *node, const char *path, guint depth,
                          GError **error);

static gboolean
validate_node_schema (JsonNode    *schema,
                      JsonNode    *node,
                      const char  *path,
                      guint        depth,
                      GError     **error)
{
  /* true / false schemas */
  if (JSON_NODE_HOLDS_VALUE (schema) && json_node_get_value_type (schema) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (schema) ? TRUE : fail (error, path, _("nothing is allowed here"));
  if (!JSON_NODE_HOLDS_OBJECT (schema))
    return TRUE;
  return validate (json_node_get_object (schema), node, path, depth, error);
}

static gboolean
validate_type (JsonObject  *schema,
               JsonNode    *node,
               const char  *path,
               GError     **error)
{
  JsonNode *type = json_object_get_member (schema, "type");
  g_autoptr(GString) wanted = NULL;
  g_autofree char *message = NULL;

  if (type == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (type) && json_node_get_value_type (type) == G_TYPE_STRING)
    {
      if (type_matches (node, json_node_get_string (type)))
        return TRUE;
      message = g_strdup_printf (_("expected %s, found %s"), json_node_get_string (type),
                                 node_type (node));
      return fail (error, path, message);
    }
  if (!JSON_NODE_HOLDS_ARRAY (type))
    return TRUE;
  wanted = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (type)); i++)
    {
      JsonNode *one = json_array_get_element (json_node_get_array (type), i);

      if (!JSON_NODE_HOLDS_VALUE (one) || json_node_get_value_type (one) != G_TYPE_STRING)
        continue;
      if (type_matches (node, json_node_get_string (one)))
        return TRUE;
      g_string_append_printf (wanted, "%s%s", wanted->len > 0 ? " | " : "",
                              json_node_get_string (one));
    }
  message = g_strdup_printf (_("expected %s, found %s"), wanted->str, node_type (node));
  return fail (error, path, message);
}

static gboolean
validate_object (JsonObject  *schema,
                 JsonObject  *object,
                 const char  *path,
                 guint        depth,
                 GError     **error)
{
  JsonNode *properties_node = json_object_get_member (schema, "properties");
  JsonNode *required = json_object_get_member (schema, "required");
  JsonNode *additional = json_object_get_member (schema, "additionalProperties");
  JsonObject *properties = properties_node != NULL && JSON_NODE_HOLDS_OBJECT (properties_node)
                           ? json_node_get_object (properties_node) : NULL;
  g_autoptr(GList) members = json_object_get_members (object);

  if (required != NULL && JSON_NODE_HOLDS_ARRAY (required))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (required)); i++)
      {
        JsonNode *name = json_array_get_element (json_node_get_array (required), i);
        g_autofree char *message = NULL;

        if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING ||
            json_object_has_member (object, json_node_get_string (name)))
          continue;
        message = g_strdup_printf (_("the required member “%s” is missing"),
                                   json_node_get_string (name));
        return fail (error, path, message);
      }

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (object, name);
      g_autofree char *child = g_strdup_printf ("%s.%s", path, name);

      if (properties != NULL && json_object_has_member (properties, name))
        {
          if (!validate_node_schema (json_object_get_member (properties, name), value, child,
                                     depth + 1, error))
            return FALSE;
        }
      else if (additional != NULL)
        {
          if (JSON_NODE_HOLDS_VALUE (additional) &&
              json_node_get_value_type (additional) == G_TYPE_BOOLEAN &&
              !json_node_get_boolean (additional))
            {
              g_autofree char *message = g_strdup_printf (_("the member “%s” is not allowed"), name);

              return fail (error, path, message);
            }
          if (!validate_node_schema (additional, value, child, depth + 1, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate (JsonObject  *schema,
          JsonNode    *node,
          const char  *path,
          guint        depth,
          GError     **error)
{
  JsonNode *member;
  gboolean present;
  double limit;

  if (depth > MAX_DEPTH)
    return fail (error, path, _("the answer nests too deeply"));

  if (!validate_type (schema, node, path, error))
    return FALSE;

  if ((member = json_object_get_member (schema, "const")) != NULL && !nodes_equal (member, node))
    return fail (error, path, _("the value is not the one allowed"));

  if ((member = json_object_get_member (schema, "enum")) != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *values = json_node_get_array (member);
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (values) && !found; i++)
        found = nodes_equal (json_array_get_element (values, i), node);
      if (!found)
        return fail (error, path, _("the value is not one of those allowed"));
    }

  if ((member = json_object_get_member (schema, "anyOf")) != NULL && JSON_NODE_HOLDS_ARRAY (member))
    {
      JsonArray *options = json_node_get_array (member);
      gboolean matched = FALSE;

      for (guint i = 0; i < json_array_get_length (options) && !matched; i++)
        matched = validate_node_schema (json_array_get_element (options, i), node, path,
                                        depth + 1, NULL);
      if (!matched && json_array_get_length (options) > 0)
        return fail (error, path, _("the value matches none of the allowed shapes"));
    }

  if (is_number (node))
    {
      double value = json_node_get_double (node);
      g_autofree char *message = NULL;

      limit = member_number (schema, "minimum", &present);
      if (present && value < limit)
        message = g_strdup_printf (_("%g is less than the minimum %g"), value, limit);
      limit = member_number (schema, "maximum", &present);
      if (message == NULL && present && value > limit)
        message = g_strdup_printf (_("%g is more than the maximum %g"), value, limit);
      limit = member_number (schema, "exclusiveMinimum", &present);
      if (message == NULL && present && value <= limit)
        message = g_strdup_printf (_("%g is not more than %g"), value, limit);
      limit = member_number (schema, "exclusiveMaximum", &present);
      if (message == NULL && present && value >= limit)
        message = g_strdup_printf (_("%g is not less than %g"), value, limit);
      if (message != NULL)
        return fail (error, path, message);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      glong length = g_utf8_strlen (json_node_get_string (node), -1);

      limit = member_number (schema, "minLength", &present);
      if (present && length < limit)
        return fail (error, path, _("the text is too short"));
      limit = member_number (schema, "maxLength", &present);
      if (present && length > limit)
        return fail (error, path, _("the text is too long"));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      limit = member_number (schema, "minItems", &present);
      if (present && n < limit)
        return fail (error, path, _("the list has too few items"));
      limit = member_number (schema, "maxItems", &present);
      if (present && n > limit)
        return fail (error, path, _("the list has too many items"));
      if ((member = json_object_get_member (schema, "items")) != NULL)
        for (guint i = 0; i < n; i++)
          {
            g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);

            if (!validate_node_schema (member, json_array_get_element (array, i), child,
                                       depth + 1, error))
              return FALSE;
          }
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    return validate_object (schema, json_node_get_object (node), path, depth, error);

  return TRUE;
}

gboolean
natter_json_schema_validate (JsonObject  *schema,
                             JsonNode    *instance,
                             GError     **error)
{
  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (instance != NULL, FALSE);

  return validate (schema, instance, "$", 0, error);
}

gboolean
natter_json_schema_validate_text (JsonObject  *schema,
                                  const char  *text,
                                  GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (schema != NULL, FALSE);

  root = natter_json_parse (text != NULL ? text : "", -1, &local_error);
  if (root == NULL)
    {
      g_set_error (error, NATTER_JSON_SCHEMA_ERROR, NATTER_JSON_SCHEMA_ERROR_NOT_JSON,
                   _("The answer is not JSON: %s"), local_error->message);
      return FALSE;
    }
  return natter_json_schema_validate (schema, root, error);
}

JsonObject *
natter_json_schema_parse (const char  *text,
                          gssize       len,
                          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  root = natter_json_parse (text, len, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NATTER_JSON_SCHEMA_ERROR, NATTER_JSON_SCHEMA_ERROR_BAD_SCHEMA,
                   _("The schema is not a JSON object%s%s"),
                   local_error != NULL ? ": " : "",
                   local_error != NULL ? local_error->message : "");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}
