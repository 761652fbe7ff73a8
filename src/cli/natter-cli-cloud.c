/* natter-cli-cloud.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-cli-cloud.h"
#include "natter-cloud.h"
#include "natter-cloud-profile.h"

void
cloud_options_clear (CloudOptions *options)
{
  g_clear_pointer (&options->region, g_free);
  g_clear_pointer (&options->project, g_free);
  g_clear_pointer (&options->api_version, g_free);
  g_clear_pointer (&options->azure_api, g_free);
  g_clear_pointer (&options->deployment, g_free);
  g_clear_pointer (&options->access_key_id, g_free);
  g_clear_pointer (&options->aws_auth, g_free);
}

static gboolean
is (NatterProfile *profile,
    const char    *provider_id)
{
  return g_strcmp0 (natter_profile_get_provider_id (profile), provider_id) == 0;
}

static gboolean
refuse (GError     **error,
        const char  *option,
        const char  *providers)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s is for %s profiles"), option, providers);
  return FALSE;
}

/* Regions, versions and key IDs become part of URLs and headers: one
 * word each. */
static gboolean
is_word (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

gboolean
cloud_apply_options (NatterProfile       *profile,
                     const CloudOptions  *o,
                     const char          *url,
                     GError             **error)
{
  gboolean vertex = is (profile, "vertex");
  gboolean azure = is (profile, "azure-openai");
  gboolean bedrock = is (profile, "bedrock");

  if (o->region != NULL && !vertex && !bedrock)
    return refuse (error, "--region", "vertex and bedrock");
  if (o->project != NULL && !vertex)
    return refuse (error, "--project", "vertex");
  if ((o->api_version != NULL || o->azure_api != NULL || o->deployment != NULL) && !azure)
    return refuse (error, "--api-version, --azure-api and --deployment", "azure-openai");
  if ((o->access_key_id != NULL || o->aws_auth != NULL) && !bedrock)
    return refuse (error, "--access-key-id and --aws-auth", "bedrock");
  if (o->azure_api != NULL && !g_str_equal (o->azure_api, "v1") &&
      !g_str_equal (o->azure_api, "deployments"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--azure-api expects “deployments” or “v1”, not “%s”"), o->azure_api);
      return FALSE;
    }
  if (o->aws_auth != NULL && !g_str_equal (o->aws_auth, "sigv4") && !g_str_equal (o->aws_auth, "api-key"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--aws-auth expects “sigv4” or “api-key”, not “%s”"), o->aws_auth);
      return FALSE;
    }

  for (guint i = 0; i < 3; i++)
    {
      const char *names[] = { "--region", "--api-version", "--access-key-id" };
      const char *values[] = { o->region, o->api_version, o->access_key_id };

      if (values[i] != NULL && !is_word (values[i]))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("%s expects a single word like us-east-1, not “%s”"), names[i], values[i]);
          return FALSE;
        }
    }

  /* A whole endpoint pasted from the Azure portal fills its parts. */
  if (azure && url != NULL && strstr (url, "/openai/") != NULL)
    natter_profile_apply_azure_url (profile, url);

  if (o->region != NULL)
    natter_profile_set_setting_string (profile, "region", o->region);
  if (o->project != NULL)
    natter_profile_set_setting_string (profile, "project", o->project);
  if (o->api_version != NULL)
    natter_profile_set_setting_string (profile, "api_version", o->api_version);
  if (o->azure_api != NULL)
    natter_profile_set_setting_string (profile, "azure_api",
                                       g_str_equal (o->azure_api, "v1") ? "v1" : NULL);
  if (o->deployment != NULL)
    natter_profile_set_model (profile, o->deployment);
  if (o->access_key_id != NULL)
    natter_profile_set_setting_string (profile, "access_key_id", o->access_key_id);
  if (o->aws_auth != NULL)
    natter_profile_set_setting_string (profile, "aws_auth", o->aws_auth);
  return TRUE;
}

gboolean
cloud_read_secrets (NatterProfile  *profile,
                    char          **key,
                    char          **session_token,
                    GError        **error)
{
  *key = NULL;
  *session_token = NULL;

  if (is (profile, "vertex"))
    {
      gsize len;
      char *json = read_stdin (&len);

      if (!natter_profile_take_service_account (profile, json, error))
        {
          natter_secrets_free (json);
          return FALSE;
        }
      *key = json;
      return TRUE;
    }

  if (is (profile, "bedrock"))
    {
      gsize len;
      char *text = read_stdin (&len);
      g_auto(GStrv) lines = g_strsplit (text, "\n", 3);
      guint n = g_strv_length (lines);

      natter_secrets_free (text);
      for (guint i = 0; i < n; i++)
        g_strstrip (lines[i]);
      if (n == 0 || *lines[0] == '\0' || (n == 3 && *lines[2] != '\0'))
        {
          for (guint i = 0; i < n; i++)
            memset (lines[i], 0, strlen (lines[i]));
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("Expected the secret access key (or Bedrock API key) on standard "
                                 "input, and optionally a session token on a second line"));
          return FALSE;
        }
      *key = g_strdup (lines[0]);
      if (n >= 2 && *lines[1] != '\0')
        *session_token = g_strdup (lines[1]);
      for (guint i = 0; i < n; i++)
        memset (lines[i], 0, strlen (lines[i]));
      return TRUE;
    }

  *key = read_key_from_stdin (error);
  return *key != NULL;
}

static const char * const shown_settings[] = {
  "region", "project", "service_account_email", "api_version", "azure_api",
  "access_key_id", "aws_auth",
};

void
cloud_add_json (JsonBuilder   *builder,
                NatterProfile *profile)
{
  if (!is (profile, "vertex") && !is (profile, "azure-openai") && !is (profile, "bedrock"))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (shown_settings); i++)
    {
      g_autofree char *value = natter_profile_dup_setting_string (profile, shown_settings[i]);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, shown_settings[i]);
      json_builder_add_string_value (builder, value);
    }
  if (is (profile, "azure-openai"))
    {
      json_builder_set_member_name (builder, "deployment");
      json_builder_add_string_value (builder, natter_profile_get_model (profile));
    }
}

void
cloud_print (NatterProfile *profile)
{
  const struct { const char *name; const char *label; } rows[] = {
    { "region", N_("Region") },
    { "project", N_("Project") },
    { "service_account_email", N_("Service account") },
    { "api_version", N_("API version") },
    { "azure_api", N_("Azure API") },
    { "access_key_id", N_("Access key ID") },
    { "aws_auth", N_("AWS sign-in") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *value = natter_profile_dup_setting_string (profile, rows[i].name);

      if (value != NULL)
        g_print ("%s: %s\n", _(rows[i].label), value);
    }
}
