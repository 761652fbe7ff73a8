/* natter-mcp-config.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-mcp"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-json.h"
#include "natter-mcp-config.h"
#include "natter-mcp-message.h"
#include "natter-secrets.h"

static NatterMcpConfig *
config_new (const char *name)
{
  NatterMcpConfig *config = g_new0 (NatterMcpConfig, 1);

  config->uuid = g_uuid_string_random ();
  config->name = g_strdup (name);
  config->args = g_new0 (char *, 1);
  config->env = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_custom_header_free);
  config->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_custom_header_free);
  return config;
}

NatterMcpConfig *
natter_mcp_config_new_stdio (const char         *name,
                             const char         *command,
                             const char * const *args)
{
  NatterMcpConfig *config = config_new (name);

  config->transport = NATTER_MCP_TRANSPORT_STDIO;
  config->command = g_strdup (command);
  if (args != NULL)
    {
      g_strfreev (config->args);
      config->args = g_strdupv ((char **) args);
    }
  return config;
}

NatterMcpConfig *
natter_mcp_config_new_http (const char *name,
                            const char *url)
{
  NatterMcpConfig *config = config_new (name);

  config->transport = NATTER_MCP_TRANSPORT_HTTP;
  config->url = g_strdup (url);
  return config;
}

static GPtrArray *
copy_pairs (GPtrArray *pairs)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_custom_header_free);

  for (guint i = 0; i < pairs->len; i++)
    {
      NatterCustomHeader *pair = g_ptr_array_index (pairs, i);

      g_ptr_array_add (copy, natter_custom_header_new (pair->name, pair->value, pair->secret));
    }
  return copy;
}

NatterMcpConfig *
natter_mcp_config_copy (const NatterMcpConfig *config)
{
  NatterMcpConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new0 (NatterMcpConfig, 1);
  copy->uuid = g_strdup (config->uuid);
  copy->name = g_strdup (config->name);
  copy->transport = config->transport;
  copy->command = g_strdup (config->command);
  copy->args = g_strdupv (config->args);
  copy->env = copy_pairs (config->env);
  copy->url = g_strdup (config->url);
  copy->headers = copy_pairs (config->headers);
  copy->timeout = config->timeout;
  return copy;
}

void
natter_mcp_config_free (NatterMcpConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->uuid);
  g_free (config->name);
  g_free (config->command);
  g_strfreev (config->args);
  g_ptr_array_unref (config->env);
  g_free (config->url);
  g_ptr_array_unref (config->headers);
  g_free (config);
}

static void
set_pair (GPtrArray  *pairs,
          const char *name,
          const char *value,
          gboolean    secret)
{
  for (guint i = 0; i < pairs->len; i++)
    {
      NatterCustomHeader *pair = g_ptr_array_index (pairs, i);

      if (g_str_equal (pair->name, name))
        {
          g_ptr_array_remove_index (pairs, i);
          break;
        }
    }
  g_ptr_array_add (pairs, natter_custom_header_new (name, value, secret));
}

void
natter_mcp_config_set_env (NatterMcpConfig *config,
                           const char      *name,
                           const char      *value,
                           gboolean         secret)
{
  g_return_if_fail (config != NULL && name != NULL);
  set_pair (config->env, name, value, secret);
}

void
natter_mcp_config_set_header (NatterMcpConfig *config,
                              const char      *name,
                              const char      *value,
                              gboolean         secret)
{
  g_return_if_fail (config != NULL && name != NULL);
  set_pair (config->headers, name, value, secret);
}

guint
natter_mcp_config_get_timeout (const NatterMcpConfig *config)
{
  g_return_val_if_fail (config != NULL, NATTER_MCP_DEFAULT_TIMEOUT);
  return config->timeout > 0 ? config->timeout : NATTER_MCP_DEFAULT_TIMEOUT;
}

gboolean
natter_mcp_config_name_is_valid (const char  *name,
                                 GError     **error)
{
  g_autofree char *stripped = NULL;
  glong chars;

  if (name == NULL || !g_utf8_validate (name, -1, NULL) ||
      (chars = g_utf8_strlen (name, -1)) < 1 || chars > 64 || strchr (name, '/') != NULL)
    goto invalid;
  stripped = g_strstrip (g_strdup (name));
  if (!g_str_equal (stripped, name) || *stripped == '\0')
    goto invalid;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      goto invalid;
  return TRUE;

invalid:
  g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG,
               _("A server name is 1 to 64 characters, without “/” or control characters."));
  return FALSE;
}

static gboolean
valid_env_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 256 || g_ascii_isdigit (*name))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

gboolean
natter_mcp_config_validate (const NatterMcpConfig  *config,
                            GError                **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  if (!natter_mcp_config_name_is_valid (config->name, error))
    return FALSE;

  if (config->transport == NATTER_MCP_TRANSPORT_STDIO)
    {
      if (config->command == NULL || *config->command == '\0')
        {
          g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG,
                       _("Server “%s” has no command to run."), config->name);
          return FALSE;
        }
      for (guint i = 0; i < config->env->len; i++)
        {
          NatterCustomHeader *pair = g_ptr_array_index (config->env, i);

          if (!valid_env_name (pair->name))
            {
              g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG,
                           _("“%s” is not a valid environment variable name."), pair->name);
              return FALSE;
            }
        }
    }
  else
    {
      g_autoptr(GUri) uri = config->url != NULL ? g_uri_parse (config->url, G_URI_FLAGS_NONE, NULL) : NULL;

      if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                          g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
          g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        {
          g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG,
                       _("Server “%s” needs an http:// or https:// address."), config->name);
          return FALSE;
        }
      for (guint i = 0; i < config->headers->len; i++)
        {
          NatterCustomHeader *pair = g_ptr_array_index (config->headers, i);
          g_autofree char *text = g_strdup_printf ("%s=%s", pair->name, pair->value ? pair->value : "");
          g_autofree char *n = NULL;
          g_autofree char *v = NULL;
          g_autoptr(GError) local_error = NULL;

          if (!natter_custom_header_parse (text, &n, &v, &local_error))
            {
              g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG, "%s", local_error->message);
              return FALSE;
            }
          if (v != NULL)
            memset (v, 0, strlen (v));
          memset (text, 0, strlen (text));
        }
    }
  return TRUE;
}

static void
add_pairs (JsonBuilder *builder,
           const char  *member,
           GPtrArray   *pairs)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < pairs->len; i++)
    {
      NatterCustomHeader *pair = g_ptr_array_index (pairs, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, pair->name);
      if (pair->secret)
        {
          json_builder_set_member_name (builder, "secret");
          json_builder_add_boolean_value (builder, TRUE);
        }
      else
        {
          json_builder_set_member_name (builder, "value");
          json_builder_add_string_value (builder, pair->value != NULL ? pair->value : "");
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

JsonNode *
natter_mcp_config_to_json (const NatterMcpConfig *config)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (config != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, config->transport == NATTER_MCP_TRANSPORT_STDIO ? "stdio" : "http");
  if (config->transport == NATTER_MCP_TRANSPORT_STDIO)
    {
      json_builder_set_member_name (builder, "command");
      json_builder_add_string_value (builder, config->command != NULL ? config->command : "");
      json_builder_set_member_name (builder, "args");
      json_builder_begin_array (builder);
      for (guint i = 0; config->args[i] != NULL; i++)
        json_builder_add_string_value (builder, config->args[i]);
      json_builder_end_array (builder);
      add_pairs (builder, "env", config->env);
    }
  else
    {
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, config->url != NULL ? config->url : "");
      add_pairs (builder, "headers", config->headers);
    }
  if (config->timeout > 0)
    {
      json_builder_set_member_name (builder, "timeout");
      json_builder_add_int_value (builder, config->timeout);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
load_pairs (JsonObject *object,
            const char *member,
            GPtrArray  *pairs)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *entry;
      const char *name;
      gboolean secret;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      entry = json_node_get_object (element);
      name = natter_json_object_get_string (entry, "name");
      if (name == NULL || *name == '\0')
        continue;
      secret = natter_json_object_get_bool (entry, "secret", FALSE);
      set_pair (pairs, name, secret ? NULL : natter_json_object_get_string (entry, "value"), secret);
    }
}

NatterMcpConfig *
natter_mcp_config_from_json (const char  *uuid,
                             const char  *name,
                             JsonNode    *node,
                             GError     **error)
{
  g_autoptr(NatterMcpConfig) config = NULL;
  JsonObject *object;
  const char *type;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG,
                   _("The settings of server “%s” are not a JSON object."), name);
      return NULL;
    }
  object = json_node_get_object (node);
  type = natter_json_object_get_string (object, "type");
  if (g_strcmp0 (type, "http") == 0)
    config = natter_mcp_config_new_http (name, natter_json_object_get_string (object, "url"));
  else
    {
      JsonNode *args = json_object_get_member (object, "args");
      g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;

      if (args != NULL && JSON_NODE_HOLDS_ARRAY (args))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (args)); i++)
          {
            JsonNode *arg = json_array_get_element (json_node_get_array (args), i);

            if (JSON_NODE_HOLDS_VALUE (arg) && json_node_get_value_type (arg) == G_TYPE_STRING)
              g_strv_builder_add (argv, json_node_get_string (arg));
          }
      strv = g_strv_builder_end (argv);
      config = natter_mcp_config_new_stdio (name, natter_json_object_get_string (object, "command"),
                                            (const char * const *) strv);
    }
  if (uuid != NULL)
    {
      g_free (config->uuid);
      config->uuid = g_strdup (uuid);
    }
  load_pairs (object, "env", config->env);
  load_pairs (object, "headers", config->headers);
  config->timeout = (guint) natter_json_node_get_int (json_object_get_member (object, "timeout"), 0);
  if (config->timeout > 24 * 3600)
    config->timeout = 24 * 3600;
  return g_steal_pointer (&config);
}

static void
add_secrets (JsonObject *secrets,
             GPtrArray  *pairs)
{
  for (guint i = 0; i < pairs->len; i++)
    {
      NatterCustomHeader *pair = g_ptr_array_index (pairs, i);

      if (pair->secret && pair->value != NULL)
        json_object_set_string_member (secrets, pair->name, pair->value);
    }
}

char *
natter_mcp_config_secret_json (const NatterMcpConfig *config)
{
  g_autoptr(JsonObject) secrets = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (config != NULL, NULL);

  add_secrets (secrets, config->transport == NATTER_MCP_TRANSPORT_STDIO ? config->env : config->headers);
  if (json_object_get_size (secrets) == 0)
    return NULL;
  node = json_node_init_object (json_node_alloc (), secrets);
  return json_to_string (node, FALSE);
}

gboolean
natter_mcp_config_has_secrets (const NatterMcpConfig *config)
{
  GPtrArray *pairs;

  g_return_val_if_fail (config != NULL, FALSE);

  pairs = config->transport == NATTER_MCP_TRANSPORT_STDIO ? config->env : config->headers;
  for (guint i = 0; i < pairs->len; i++)
    if (((NatterCustomHeader *) g_ptr_array_index (pairs, i))->secret)
      return TRUE;
  return FALSE;
}

void
natter_mcp_config_apply_secrets (NatterMcpConfig *config,
                                 const char      *secret_json)
{
  g_autoptr(JsonNode) root = NULL;
  GPtrArray *pairs;
  JsonObject *secrets;

  g_return_if_fail (config != NULL);

  if (secret_json == NULL)
    return;
  root = natter_json_parse (secret_json, -1, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  secrets = json_node_get_object (root);
  pairs = config->transport == NATTER_MCP_TRANSPORT_STDIO ? config->env : config->headers;
  for (guint i = 0; i < pairs->len; i++)
    {
      NatterCustomHeader *pair = g_ptr_array_index (pairs, i);
      const char *value;

      if (!pair->secret)
        continue;
      value = natter_json_object_get_string (secrets, pair->name);
      if (value != NULL)
        {
          natter_secrets_free (pair->value);
          pair->value = g_strdup (value);
        }
    }
}

static gboolean
entry_error (GError     **error,
             const char  *name,
             const char  *reason)
{
  g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG,
               _("Server “%s” in the file: %s"), name, reason);
  return FALSE;
}

static gboolean
import_pairs (JsonObject      *entry,
              const char      *member,
              const char      *name,
              NatterMcpConfig *config,
              gboolean         env,
              GError         **error)
{
  JsonNode *node = json_object_get_member (entry, member);
  JsonObject *object;
  g_autoptr(GList) names = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return entry_error (error, name, env ? _("“env” is not an object") : _("“headers” is not an object"));
  object = json_node_get_object (node);
  names = json_object_get_members (object);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (object, l->data);
      g_autofree char *text = NULL;
      gboolean secret = natter_custom_header_name_looks_secret (l->data);

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (value));
      else if (JSON_NODE_HOLDS_VALUE (value))
        text = json_to_string (value, FALSE);
      else
        return entry_error (error, name, _("a value that is not text"));
      if (env)
        natter_mcp_config_set_env (config, l->data, text, secret);
      else
        natter_mcp_config_set_header (config, l->data, text, secret);
    }
  return TRUE;
}

GPtrArray *
natter_mcp_config_parse_servers_file (const char  *data,
                                      gsize        len,
                                      GError     **error)
{
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_mcp_config_free);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) names = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *servers_node;
  JsonObject *servers;

  if (len > 4 * 1024 * 1024)
    {
      g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG, _("The file is larger than 4 MiB."));
      return NULL;
    }
  root = natter_json_parse (data, len, &local_error);
  if (root == NULL)
    {
      g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG,
                   _("The file is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  servers_node = JSON_NODE_HOLDS_OBJECT (root)
                 ? json_object_get_member (json_node_get_object (root), "mcpServers") : NULL;
  /* VS Code writes {"servers": {...}} with the same entries. */
  if (servers_node == NULL && JSON_NODE_HOLDS_OBJECT (root))
    servers_node = json_object_get_member (json_node_get_object (root), "servers");
  if (servers_node == NULL || !JSON_NODE_HOLDS_OBJECT (servers_node))
    {
      g_set_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG,
                   _("The file has no “mcpServers” object."));
      return NULL;
    }
  servers = json_node_get_object (servers_node);
  names = json_object_get_members (servers);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (servers, name);
      g_autoptr(NatterMcpConfig) config = NULL;
      JsonObject *entry;
      const char *type;
      const char *command;
      const char *url;

      if (!natter_mcp_config_name_is_valid (name, NULL))
        return entry_error (error, name, _("the name is not usable")), NULL;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return entry_error (error, name, _("not an object")), NULL;
      entry = json_node_get_object (node);
      type = natter_json_object_get_string (entry, "type");
      if (type == NULL)
        type = natter_json_object_get_string (entry, "transport");
      command = natter_json_object_get_string (entry, "command");
      url = natter_json_object_get_string (entry, "url");
      if (url == NULL)
        url = natter_json_object_get_string (entry, "serverUrl");

      if (type != NULL && !g_str_equal (type, "stdio") && !g_str_equal (type, "http") &&
          !g_str_equal (type, "streamable-http") && !g_str_equal (type, "streamableHttp") &&
          !g_str_equal (type, "sse"))
        return entry_error (error, name, _("an unknown “type”")), NULL;

      if (command != NULL && (type == NULL || g_str_equal (type, "stdio")))
        {
          JsonNode *args = json_object_get_member (entry, "args");
          g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
          g_auto(GStrv) strv = NULL;

          if (args != NULL && !JSON_NODE_HOLDS_NULL (args))
            {
              if (!JSON_NODE_HOLDS_ARRAY (args))
                return entry_error (error, name, _("“args” is not a list")), NULL;
              for (guint i = 0; i < json_array_get_length (json_node_get_array (args)); i++)
                {
                  JsonNode *arg = json_array_get_element (json_node_get_array (args), i);

                  if (!JSON_NODE_HOLDS_VALUE (arg) || json_node_get_value_type (arg) != G_TYPE_STRING)
                    return entry_error (error, name, _("an argument that is not text")), NULL;
                  g_strv_builder_add (argv, json_node_get_string (arg));
                }
            }
          strv = g_strv_builder_end (argv);
          config = natter_mcp_config_new_stdio (name, command, (const char * const *) strv);
          if (!import_pairs (entry, "env", name, config, TRUE, error))
            return NULL;
        }
      else if (url != NULL)
        {
          config = natter_mcp_config_new_http (name, url);
          if (!import_pairs (entry, "headers", name, config, FALSE, error))
            return NULL;
        }
      else
        return entry_error (error, name, _("neither a “command” nor a “url”")), NULL;

      if (!natter_mcp_config_validate (config, &local_error))
        return entry_error (error, name, local_error->message), NULL;
      g_ptr_array_add (configs, g_steal_pointer (&config));
    }
  return g_steal_pointer (&configs);
}
