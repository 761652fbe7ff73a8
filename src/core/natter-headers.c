/* natter-headers.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-headers"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-json.h"
#include "natter-headers.h"

#define MAX_HEADERS 32
#define MAX_VALUE_LEN 8192

NatterCustomHeader *
natter_custom_header_new (const char *name,
                          const char *value,
                          gboolean    secret)
{
  NatterCustomHeader *header = g_new0 (NatterCustomHeader, 1);

  header->name = g_strdup (name);
  header->value = g_strdup (value);
  header->secret = secret;
  return header;
}

void
natter_custom_header_free (NatterCustomHeader *header)
{
  if (header == NULL)
    return;
  g_free (header->name);
  if (header->value != NULL)
    memset (header->value, 0, strlen (header->value));
  g_free (header->value);
  g_free (header);
}

gboolean
natter_custom_header_name_looks_secret (const char *name)
{
  static const char * const words[] = {
    "key", "token", "secret", "password", "cookie", "auth", NULL,
  };
  g_autofree char *lower = NULL;

  if (name == NULL)
    return FALSE;
  lower = g_ascii_strdown (name, -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* RFC 9110 token characters. */
static gboolean
valid_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 256)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
valid_value (const char *value)
{
  if (value == NULL || strlen (value) > MAX_VALUE_LEN)
    return FALSE;
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
      return FALSE;
  return TRUE;
}

gboolean
natter_custom_header_parse (const char  *text,
                            char       **name,
                            char       **value,
                            GError     **error)
{
  const char *eq;
  g_autofree char *n = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  eq = strchr (text, '=');
  if (eq == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A header is written NAME=VALUE, not “%s”"), text);
      return FALSE;
    }
  n = g_strstrip (g_strndup (text, eq - text));
  if (!valid_name (n))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid header name"), n);
      return FALSE;
    }
  if (!valid_value (eq + 1))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The value of header “%s” has characters a header cannot carry"), n);
      return FALSE;
    }
  *name = g_steal_pointer (&n);
  *value = g_strdup (eq + 1);
  return TRUE;
}

GPtrArray *
natter_custom_headers_load (JsonObject *settings)
{
  GPtrArray *headers = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_custom_header_free);
  JsonArray *array;

  if (settings == NULL || !json_object_has_member (settings, "headers") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (settings, "headers")))
    return headers;

  array = json_object_get_array_member (settings, "headers");
  for (guint i = 0; i < json_array_get_length (array) && headers->len < MAX_HEADERS; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *name;
      gboolean secret;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      name = json_object_get_string_member_with_default (object, "name", NULL);
      if (!valid_name (name))
        continue;
      secret = json_object_get_boolean_member_with_default (object, "secret", FALSE);
      g_ptr_array_add (headers,
                       natter_custom_header_new (name,
                                                 secret ? NULL
                                                        : json_object_get_string_member_with_default (object, "value", ""),
                                                 secret));
    }
  return headers;
}

void
natter_custom_headers_save (GPtrArray  *headers,
                            JsonObject *settings)
{
  JsonArray *array;

  g_return_if_fail (settings != NULL);

  if (headers == NULL || headers->len == 0)
    {
      json_object_remove_member (settings, "headers");
      return;
    }

  array = json_array_new ();
  for (guint i = 0; i < headers->len; i++)
    {
      NatterCustomHeader *header = g_ptr_array_index (headers, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "name", header->name);
      if (header->secret)
        json_object_set_boolean_member (object, "secret", TRUE);
      else
        json_object_set_string_member (object, "value", header->value ? header->value : "");
      json_array_add_object_element (array, object);
    }
  json_object_set_array_member (settings, "headers", array);
}

char *
natter_custom_headers_secret_json (GPtrArray *headers)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      NatterCustomHeader *header = g_ptr_array_index (headers, i);

      if (header->secret && header->value != NULL)
        json_object_set_string_member (object, header->name, header->value);
    }
  if (json_object_get_size (object) == 0)
    return NULL;
  node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

gboolean
natter_custom_headers_have_secret (JsonObject *settings)
{
  g_autoptr(GPtrArray) headers = natter_custom_headers_load (settings);

  for (guint i = 0; i < headers->len; i++)
    if (((NatterCustomHeader *) g_ptr_array_index (headers, i))->secret)
      return TRUE;
  return FALSE;
}

void
natter_custom_headers_apply (JsonObject    *settings,
                             const char    *secret_json,
                             gboolean       redacted,
                             NatterRequest *request)
{
  g_autoptr(GPtrArray) headers = natter_custom_headers_load (settings);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *secrets = NULL;

  g_return_if_fail (request != NULL);

  if (headers->len == 0)
    return;

  if (secret_json != NULL)
    {
      parser = json_parser_new ();
      if (natter_json_parser_load (parser, secret_json, -1, NULL) &&
          json_parser_get_root (parser) != NULL &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        secrets = json_node_get_object (json_parser_get_root (parser));
    }

  for (guint i = 0; i < headers->len; i++)
    {
      NatterCustomHeader *header = g_ptr_array_index (headers, i);

      if (!header->secret)
        {
          if (valid_value (header->value))
            natter_request_set_header (request, header->name, header->value);
          continue;
        }

      if (redacted)
        natter_request_set_secret_header (request, header->name, "REDACTED");
      else if (secrets != NULL)
        {
          const char *value = json_object_get_string_member_with_default (secrets, header->name, NULL);

          if (valid_value (value))
            natter_request_set_secret_header (request, header->name, value);
        }
    }
}
