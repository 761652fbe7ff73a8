/* natter-profile-validate.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-profile-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-json.h"
#include "natter-profile-store.h"

/* The rules a connection profile must follow before the store saves it
 * (natter_profile_validate()), and the proxy URL's password split off. */

#define MAX_CONNECT_TIMEOUT 3600

static gboolean
url_is_valid (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || url[0] == '\0')
    return TRUE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  return (g_ascii_strcasecmp (scheme, "http") == 0 ||
          g_ascii_strcasecmp (scheme, "https") == 0) &&
         host != NULL && host[0] != '\0';
}

/* The proxy URL as it may be shown: a password in it replaced by "***"
 * (also for a URL that does not parse). */
static char *
proxy_url_for_display (const char *url)
{
  const char *start, *at, *colon, *end;

  start = strstr (url, "://");
  start = start != NULL ? start + 3 : url;
  end = start + strcspn (start, "/?#");
  at = g_strrstr_len (start, end - start, "@");
  if (at == NULL)
    return g_strdup (url);
  colon = memchr (start, ':', at - start);
  if (colon == NULL)
    return g_strdup (url);

  return g_strdup_printf ("%.*s***%s", (int) (colon + 1 - url), url, at);
}

static gboolean
proxy_url_has_password (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *password;

  if (url == NULL || *url == '\0')
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, NULL);
  if (uri == NULL)
    return FALSE;
  password = g_uri_get_password (uri);

  return password != NULL && *password != '\0';
}

char *
natter_proxy_url_split_password (const char  *url,
                                 char       **password)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) without = NULL;

  g_return_val_if_fail (password != NULL, NULL);

  *password = NULL;
  if (url == NULL)
    return NULL;

  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, NULL);
  if (uri == NULL || g_uri_get_password (uri) == NULL || *g_uri_get_password (uri) == '\0')
    return g_strdup (url);

  *password = g_strdup (g_uri_get_password (uri));
  without = g_uri_build_with_user (G_URI_FLAGS_NONE,
                                   g_uri_get_scheme (uri),
                                   g_uri_get_user (uri),
                                   NULL,
                                   NULL,
                                   g_uri_get_host (uri),
                                   g_uri_get_port (uri),
                                   g_uri_get_path (uri),
                                   g_uri_get_query (uri),
                                   g_uri_get_fragment (uri));

  return g_uri_to_string (without);
}

static gboolean
name_is_blank (const char *name)
{
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

gboolean
natter_profile_validate (NatterProfile  *profile,
                         GError        **error)
{
  const char *name;
  const char *settings;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  const char * const *models;

  g_return_val_if_fail (NATTER_IS_PROFILE (profile), FALSE);

  name = natter_profile_get_name (profile);
  if (name_is_blank (name))
    {
      g_set_error_literal (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                           _("A profile needs a name."));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                           _("The profile name is not valid UTF-8 text."));
      return FALSE;
    }

  if (natter_profile_get_provider_id (profile)[0] == '\0')
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The profile “%s” needs a provider."), name);
      return FALSE;
    }

  if (!url_is_valid (natter_profile_get_base_url (profile)))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The base URL “%s” is not a valid http:// or https:// address."),
                   natter_profile_get_base_url (profile));
      return FALSE;
    }

  if (!url_is_valid (natter_profile_get_proxy_url (profile)))
    {
      g_autofree char *shown = proxy_url_for_display (natter_profile_get_proxy_url (profile));

      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The proxy URL “%s” is not a valid http:// or https:// address."),
                   shown);
      return FALSE;
    }

  if (proxy_url_has_password (natter_profile_get_proxy_url (profile)))
    {
      g_autofree char *shown = proxy_url_for_display (natter_profile_get_proxy_url (profile));

      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("The proxy URL “%s” contains a password. Enter the URL without it "
                     "and the password separately: it is kept in the keyring, never "
                     "in the profile."),
                   shown);
      return FALSE;
    }

  if (natter_profile_get_connect_timeout (profile) == 0 ||
      natter_profile_get_connect_timeout (profile) > MAX_CONNECT_TIMEOUT)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The connect timeout must be between 1 and %d second.",
                                "The connect timeout must be between 1 and %d seconds.",
                                MAX_CONNECT_TIMEOUT),
                   MAX_CONNECT_TIMEOUT);
      return FALSE;
    }

  settings = natter_profile_get_settings (profile);
  parser = json_parser_new ();
  if (!natter_json_parser_load (parser, settings, -1, &json_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      if (json_error != NULL)
        g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                     /* Translators: the second %s says what is wrong with the JSON */
                     _("The provider settings of “%s” are not a JSON object: %s"),
                     name, json_error->message);
      else
        g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                     _("The provider settings of “%s” are not a JSON object."), name);
      return FALSE;
    }

  models = natter_profile_get_custom_models (profile);
  for (guint i = 0; models[i] != NULL; i++)
    {
      if (name_is_blank (models[i]) || !g_utf8_validate (models[i], -1, NULL))
        {
          g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                       _("The custom model list of “%s” has an empty or invalid entry."),
                       name);
          return FALSE;
        }
    }

  return TRUE;
}
