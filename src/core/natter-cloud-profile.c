/* natter-cloud-profile.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-cloud-profile"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-cloud.h"
#include "natter-cloud-profile.h"
#include "natter-service-account.h"

static JsonObject *
settings_object (NatterProfile *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, natter_profile_get_settings (self), -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

char *
natter_profile_dup_setting_string (NatterProfile *self,
                                   const char    *name)
{
  g_autoptr(JsonObject) object = NULL;
  JsonNode *node;

  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  object = settings_object (self);
  if (object == NULL || (node = json_object_get_member (object, name)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

void
natter_profile_set_setting_string (NatterProfile *self,
                                   const char    *name,
                                   const char    *value)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  g_autofree char *trimmed = NULL;

  g_return_if_fail (NATTER_IS_PROFILE (self));

  if ((object = settings_object (self)) == NULL)
    return;
  trimmed = value != NULL ? g_strstrip (g_strdup (value)) : NULL;
  if (trimmed != NULL && *trimmed != '\0')
    json_object_set_string_member (object, name, trimmed);
  else if (json_object_has_member (object, name))
    json_object_remove_member (object, name);
  else
    return;

  json_node_set_object (root, object);
  text = json_to_string (root, FALSE);
  natter_profile_set_settings (self, text);
}

gboolean
natter_profile_take_service_account (NatterProfile  *self,
                                     const char     *json,
                                     GError        **error)
{
  g_autoptr(NatterServiceAccount) account = NULL;
  g_autofree char *project = NULL;

  g_return_val_if_fail (NATTER_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if ((account = natter_service_account_parse (json, -1, error)) == NULL)
    return FALSE;
  natter_profile_set_setting_string (self, "service_account_email",
                                     natter_service_account_get_client_email (account));
  project = natter_profile_dup_setting_string (self, "project");
  if (project == NULL || *project == '\0')
    natter_profile_set_setting_string (self, "project",
                                       natter_service_account_get_project_id (account));
  return TRUE;
}

gboolean
natter_profile_apply_azure_url (NatterProfile *self,
                                const char    *url)
{
  g_autofree char *endpoint = NULL;
  g_autofree char *deployment = NULL;
  g_autofree char *version = NULL;

  g_return_val_if_fail (NATTER_IS_PROFILE (self), FALSE);

  if (!natter_azure_parse_url (url, &endpoint, &deployment, &version))
    return FALSE;
  natter_profile_set_base_url (self, endpoint);
  if (deployment != NULL)
    natter_profile_set_model (self, deployment);
  if (version != NULL)
    natter_profile_set_setting_string (self, "api_version", version);
  return TRUE;
}

char *
natter_profile_expand_default_url (NatterProfile *self,
                                   const char    *default_url)
{
  g_autofree char *region = NULL;
  g_auto(GStrv) parts = NULL;
  const char *provider;

  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  if (default_url == NULL || strstr (default_url, "{region}") == NULL)
    return g_strdup (default_url);

  provider = natter_profile_get_provider_id (self);
  region = natter_profile_dup_setting_string (self, "region");
  if (region != NULL && *region == '\0')
    g_clear_pointer (&region, g_free);

  if (g_strcmp0 (provider, "vertex") == 0)
    {
      if (region == NULL)
        region = g_strdup ("us-central1");
      if (g_str_equal (region, "global"))
        return g_strdup ("https://aiplatform.googleapis.com");
    }
  else if (region == NULL)
    {
      const char *env = g_getenv ("AWS_REGION");

      if (env == NULL || *env == '\0')
        env = g_getenv ("AWS_DEFAULT_REGION");
      region = g_strdup (env != NULL && *env != '\0' ? env : "us-east-1");
    }

  parts = g_strsplit (default_url, "{region}", -1);
  return g_strjoinv (region, parts);
}
