/* natter-cli-profile.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "natter-cli-preset.h"
#include "natter-cli-cloud.h"
#include "natter-cli-private.h"

/* ------------------------------------------------------------- providers */

int
cmd_providers (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  GListModel *providers;
  guint n;
  int code = EXIT_OK;

  if (!parse_options_no_args ("", _("Lists the providers Natter knows."), entries, &argc, &argv, &code))
    return code;

  providers = natter_catalog_get_providers (natter_catalog_get_default ());
  n = g_list_model_get_n_items (providers);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(NatterProvider) p = g_list_model_get_item (providers, i);
          const char * const *env = natter_provider_get_key_env (p);

          json_builder_begin_object (builder);
          json_add_string (builder, "id", natter_provider_get_id (p));
          json_add_string (builder, "name", natter_provider_get_name (p));
          json_add_string (builder, "dialect", natter_provider_get_dialect_id (p));
          json_add_string (builder, "default_url", natter_provider_get_default_url (p));
          json_add_bool (builder, "key_required", natter_provider_get_key_required (p));
          json_builder_set_member_name (builder, "key_env");
          json_builder_begin_array (builder);
          for (guint j = 0; env != NULL && env[j] != NULL; j++)
            json_builder_add_string_value (builder, env[j]);
          json_builder_end_array (builder);
          json_add_bool (builder, "local", natter_provider_get_local (p));
          json_add_bool (builder, "supported", natter_provider_get_supported (p));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterProvider) p = g_list_model_get_item (providers, i);

      g_print ("%-16s %-28s %s%s\n",
               natter_provider_get_id (p),
               natter_provider_get_name (p),
               natter_provider_get_dialect_id (p),
               natter_provider_get_supported (p) ? "" : _(" (not supported yet)"));
    }
  return EXIT_OK;
}

/* --------------------------------------------------------------- profile */

/* A price option's value: "none" or a negative number removes the price
 * (*@price = -1), otherwise a finite decimal number of US dollars per
 * million tokens. FALSE with a message for a person when malformed. */
static gboolean
parse_price_option (const char  *option,
                    const char  *text,
                    double      *price,
                    GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  char *end = NULL;
  double value;

  if (g_ascii_strcasecmp (trimmed, "none") == 0)
    {
      *price = -1;
      return TRUE;
    }

  value = g_ascii_strtod (trimmed, &end);
  /* Plain decimals only: no hex, "inf" or "nan" that strtod would take. */
  if (*trimmed == '\0' || trimmed[strspn (trimmed, "0123456789.+-eE")] != '\0' ||
      end == NULL || *end != '\0' || !isfinite (value))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s expects US dollars per million tokens (like 2.5) or “none”, not “%s”"),
                   option, text);
      return FALSE;
    }

  *price = value < 0 ? -1 : value;
  return TRUE;
}

/* One price as stored in the settings object, or -1 when it is not set. */
static double
stored_price (NatterProfile *profile,
              const char    *key)
{
  double in_price, out_price;

  natter_profile_get_prices (profile, &in_price, &out_price);
  return g_str_equal (key, "input_price") ? in_price : out_price;
}

/* Parses --input-price/--output-price (either may be NULL: unchanged) and
 * applies them to @profile, keeping the price that was not given. FALSE
 * with @error, and @profile untouched, when a value is malformed. */
static gboolean
apply_price_options (NatterProfile  *profile,
                     const char     *input_text,
                     const char     *output_text,
                     GError        **error)
{
  double in_price = stored_price (profile, "input_price");
  double out_price = stored_price (profile, "output_price");

  if (input_text == NULL && output_text == NULL)
    return TRUE;
  if (input_text != NULL && !parse_price_option ("--input-price", input_text, &in_price, error))
    return FALSE;
  if (output_text != NULL && !parse_price_option ("--output-price", output_text, &out_price, error))
    return FALSE;

  natter_profile_set_prices (profile, in_price, out_price);
  return TRUE;
}

static void
add_price_json (JsonBuilder   *builder,
                NatterProfile *profile,
                const char    *key)
{
  double price = stored_price (profile, key);

  json_builder_set_member_name (builder, key);
  if (price >= 0)
    json_builder_add_double_value (builder, price);
  else
    json_builder_add_null_value (builder);
}

static char *
price_for_display (NatterProfile *profile,
                   const char    *key)
{
  double price = stored_price (profile, key);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (price < 0)
    return g_strdup (_("not set"));
  /* TRANSLATORS: a price, like "$2.5 per million tokens" */
  return g_strdup_printf (_("$%s per million tokens"),
                          g_ascii_formatd (buf, sizeof buf, "%.10g", price));
}


static gboolean
profile_has_stored_key (NatterProfile *profile)
{
  g_autoptr(GError) error = NULL;

  return natter_secrets_has_sync (natter_profile_get_uuid (profile), NATTER_SECRET_API_KEY,
                                  NULL, &error);
}

/* The proxy URL as stored, without a password even if an older version
 * stored one. */
static char *
proxy_for_display (NatterProfile *profile)
{
  char *password = NULL;
  char *url = natter_proxy_url_split_password (natter_profile_get_proxy_url (profile),
                                               &password);

  natter_secrets_free (password);
  return url;
}

static void
add_profile_json (JsonBuilder   *builder,
                  Engine        *engine,
                  NatterProfile *profile)
{
  g_autofree char *effective = NULL;
  g_autofree char *proxy = proxy_for_display (profile);

  natter_client_resolve (engine->client, profile, NULL, NULL, &effective, NULL);

  json_builder_begin_object (builder);
  json_add_string (builder, "name", natter_profile_get_name (profile));
  json_add_string (builder, "provider", natter_profile_get_provider_id (profile));
  json_add_string (builder, "model", natter_profile_get_model (profile));
  json_add_string (builder, "url", natter_profile_get_base_url (profile));
  json_builder_set_member_name (builder, "effective_url");
  if (effective != NULL)
    json_builder_add_string_value (builder, effective);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "proxy");
  if (proxy != NULL && *proxy != '\0')
    json_builder_add_string_value (builder, proxy);
  else
    json_builder_add_null_value (builder);
  json_add_bool (builder, "default", natter_profile_get_is_default (profile));
  json_add_bool (builder, "has_api_key", profile_has_stored_key (profile));
  add_price_json (builder, profile, "input_price");
  add_price_json (builder, profile, "output_price");
  natter_cli_add_profile_preset_json (builder, profile);
  provider_options_add_json (builder, profile);
  cloud_add_json (builder, profile);
  json_builder_end_object (builder);
}

static int
cmd_profile_add (int    argc,
                 char **argv)
{
  g_autofree char *provider_id = NULL;
  g_autofree char *model = NULL;
  g_autofree char *url = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *input_price = NULL;
  g_autofree char *output_price = NULL;
  gboolean is_default = FALSE;
  gboolean key_stdin = FALSE;
  g_autofree char *preset = NULL;
  g_autofree char *reasoning = NULL;
  gboolean proxy_password_stdin = FALSE;
  gboolean password_on_command_line = FALSE;
  g_auto(CloudOptions) cloud = { 0 };
  GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, N_("Default preset of this connection"), N_("NAME") },
    { "reasoning", 0, 0, G_OPTION_ARG_STRING, &reasoning, N_("Reasoning effort: off, auto, low, medium, high or max"), N_("EFFORT") },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider_id, N_("Provider id (see “natter-cli providers”)"), N_("ID") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_("Model"), N_("MODEL") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("Base URL (or a full endpoint URL)"), N_("URL") },
    { "proxy", 0, 0, G_OPTION_ARG_STRING, &proxy,
      N_("HTTP(S) proxy, with the user name but no password: http://USER@HOST:PORT"), N_("URL") },
    { "proxy-password-stdin", 0, 0, G_OPTION_ARG_NONE, &proxy_password_stdin,
      N_("Read the proxy password from standard input, or ask for it when that is a terminal "
         "(a password written in --proxy stays visible to every user of this machine while "
         "the command runs)"), NULL },
    { "default", 0, 0, G_OPTION_ARG_NONE, &is_default, N_("Make it the default profile"), NULL },
    { "key-stdin", 0, 0, G_OPTION_ARG_NONE, &key_stdin, N_("Read the API key from standard input"), NULL },
    { "input-price", 0, 0, G_OPTION_ARG_STRING, &input_price,
      N_("Price of input tokens in US dollars per million tokens (“none” removes it)"), N_("USD") },
    { "output-price", 0, 0, G_OPTION_ARG_STRING, &output_price,
      N_("Price of output tokens in US dollars per million tokens (“none” removes it)"), N_("USD") },
    CLOUD_OPTION_ENTRIES (&cloud),
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ProviderOptions) popts = provider_options_new ();
  g_autofree GOptionEntry *all_entries = provider_options_add_entries (entries, popts);
  char *key = NULL;
  char *session_token = NULL;
  char *proxy_password = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Adds a connection profile."), all_entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (provider_id == NULL)
    return fail (EXIT_USAGE, _("--provider is required (see “natter-cli providers”)"));
  if (natter_catalog_lookup (natter_catalog_get_default (), provider_id) == NULL)
    return fail (EXIT_USAGE, _("Unknown provider “%s” (see “natter-cli providers”)"), provider_id);

  profile = natter_profile_new (argv[1], provider_id);
  if (!apply_price_options (profile, input_price, output_price, &error) ||
      !provider_options_apply (popts, profile, &error))
    return fail (EXIT_USAGE, "%s", error->message);
  if (model != NULL)
    natter_profile_set_model (profile, model);
  if (url != NULL)
    natter_profile_set_base_url (profile, url);
  if (!cloud_apply_options (profile, &cloud, url, &error))
    return fail (EXIT_USAGE, "%s", error->message);

  if (proxy_password_stdin && proxy == NULL)
    return fail (EXIT_USAGE, _("--proxy-password-stdin needs --proxy"));
  if (proxy_password_stdin && key_stdin)
    return fail (EXIT_USAGE, _("--key-stdin and --proxy-password-stdin cannot both read standard "
                               "input; add the key afterwards with “natter-cli profile set-key”"));

  if (proxy != NULL)
    {
      /* The password goes to the keyring, the URL keeps the user name. */
      g_autofree char *without = natter_proxy_url_split_password (proxy, &proxy_password);
      g_autoptr(GUri) parsed = g_uri_parse (without, G_URI_FLAGS_NONE, NULL);

      natter_profile_set_proxy_url (profile, without);
      memset (proxy, 0, strlen (proxy));
      password_on_command_line = proxy_password != NULL;

      if (proxy_password_stdin)
        {
          if (password_on_command_line)
            {
              natter_secrets_free (proxy_password);
              return fail (EXIT_USAGE, _("The proxy URL already has a password; with "
                                         "--proxy-password-stdin give only the user name"));
            }
          if (parsed == NULL || g_uri_get_user (parsed) == NULL || *g_uri_get_user (parsed) == '\0')
            return fail (EXIT_USAGE, _("A proxy password needs a user name in the proxy URL: "
                                       "http://USER@HOST:PORT"));
          if ((proxy_password = read_proxy_password (without, &error)) == NULL)
            return fail (EXIT_USAGE, "%s", error->message);
        }
    }

  /* Read the key before anything is written, so a bad key input leaves
   * nothing behind. */
  if (key_stdin && !cloud_read_secrets (profile, &key, &session_token, &error))
    {
      natter_secrets_free (proxy_password);
      return fail (EXIT_USAGE, "%s", error->message);
    }

  if (!engine_open (&engine, &error))
    {
      natter_secrets_free (key);
      natter_secrets_free (proxy_password);
      natter_secrets_free (session_token);
      return fail_with_error (error);
    }

  natter_profile_set_is_default (profile, is_default);
  if (!natter_cli_apply_profile_options (&engine, profile, preset, reasoning, &code))
    {
      natter_secrets_free (key);
      natter_secrets_free (proxy_password);
      return code;
    }

  if (!natter_profile_store_add (engine.profiles, profile, &error))
    {
      natter_secrets_free (key);
      natter_secrets_free (session_token);
      natter_secrets_free (proxy_password);
      return fail_with_error (error);
    }

  if (!provider_options_store_secrets (popts, profile, &error))
    {
      natter_secrets_free (key);
      natter_secrets_free (session_token);
      natter_secrets_free (proxy_password);
      natter_profile_store_remove (engine.profiles, profile, NULL);
      return fail (EXIT_LOCAL, _("Could not store the secret headers, profile not added: %s"),
                   error->message);
    }

  if (session_token != NULL)
    {
      gboolean ok = natter_secrets_store_sync (natter_profile_get_uuid (profile),
                                               NATTER_SECRET_SESSION_TOKEN,
                                               natter_profile_get_name (profile),
                                               session_token, NULL, &error);
      natter_secrets_free (session_token);
      if (!ok)
        {
          natter_secrets_free (key);
          natter_profile_store_remove (engine.profiles, profile, NULL);
          return fail (EXIT_LOCAL, _("Could not store the session token, profile not added: %s"),
                       error->message);
        }
    }

  if (proxy_password != NULL)
    {
      gboolean ok = natter_secrets_store_sync (natter_profile_get_uuid (profile),
                                               NATTER_SECRET_PROXY_PASSWORD,
                                               natter_profile_get_name (profile),
                                               proxy_password, NULL, &error);
      natter_secrets_free (proxy_password);
      if (!ok)
        {
          natter_secrets_free (key);
          natter_profile_store_remove (engine.profiles, profile, NULL);
          return fail (EXIT_LOCAL, _("Could not store the proxy password, profile not added: %s"),
                       error->message);
        }
    }

  if (key != NULL)
    {
      gboolean ok = natter_secrets_store_sync (natter_profile_get_uuid (profile),
                                               NATTER_SECRET_API_KEY,
                                               natter_profile_get_name (profile),
                                               key, NULL, &error);
      natter_secrets_free (key);
      if (!ok)
        {
          /* No half-write: a profile whose key could not be kept is removed. */
          natter_secrets_clear_all_sync (natter_profile_get_uuid (profile), NULL, NULL);
          natter_profile_store_remove (engine.profiles, profile, NULL);
          return fail (EXIT_LOCAL, _("Could not store the API key, profile not added: %s"),
                       error->message);
        }
    }

  if (password_on_command_line)
    g_printerr (_("Warning: the proxy password was part of the command line, which every user of "
                  "this machine can read while a command runs; next time give only the user name "
                  "and use --proxy-password-stdin\n"));

  return EXIT_OK;
}

static int
cmd_profile_update (int    argc,
                    char **argv)
{
  g_autofree char *model = NULL;
  g_autofree char *url = NULL;
  g_autofree char *input_price = NULL;
  g_autofree char *output_price = NULL;
  g_autofree char *preset = NULL;
  g_autofree char *reasoning = NULL;
  g_auto(CloudOptions) cloud = { 0 };
  GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_("Model"), N_("MODEL") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("Base URL (or a full endpoint URL; “” for the provider’s default)"), N_("URL") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, N_("Default preset of this connection (“” removes it)"), N_("NAME") },
    { "reasoning", 0, 0, G_OPTION_ARG_STRING, &reasoning, N_("Reasoning effort: off, auto, low, medium, high or max (“” removes it)"), N_("EFFORT") },
    { "input-price", 0, 0, G_OPTION_ARG_STRING, &input_price,
      N_("Price of input tokens in US dollars per million tokens (“none” removes it)"), N_("USD") },
    { "output-price", 0, 0, G_OPTION_ARG_STRING, &output_price,
      N_("Price of output tokens in US dollars per million tokens (“none” removes it)"), N_("USD") },
    CLOUD_OPTION_ENTRIES (&cloud),
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterProfile) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ProviderOptions) popts = provider_options_new ();
  g_autofree GOptionEntry *all_entries = provider_options_add_entries (entries, popts);
  NatterProfile *profile;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Changes a connection profile; options not given stay as they are."),
                      all_entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if ((profile = lookup_profile (&engine, argv[1], &code)) == NULL)
    return code;

  /* Everything is checked on a detached copy first: a malformed value
   * saves nothing. */
  copy = natter_profile_copy (profile);
  if (!apply_price_options (copy, input_price, output_price, &error) ||
      !provider_options_apply (popts, copy, &error))
    return fail (EXIT_USAGE, "%s", error->message);
  if (model != NULL)
    natter_profile_set_model (copy, model);
  if (url != NULL)
    natter_profile_set_base_url (copy, url);
  if (!natter_cli_apply_profile_options (&engine, copy, preset, reasoning, &code))
    return code;
  if (!cloud_apply_options (copy, &cloud, url, &error))
    return fail (EXIT_USAGE, "%s", error->message);

  if (!natter_profile_store_update (engine.profiles, copy, &error))
    return fail_with_error (error);
  if (!provider_options_store_secrets (popts, copy, &error))
    return fail (EXIT_LOCAL, _("Could not store the secret headers: %s"), error->message);
  return EXIT_OK;
}

static int
cmd_profile_list (int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  NatterProfile *active;
  guint n;
  int code = EXIT_OK;

  if (!parse_options_no_args ("", _("Lists the connection profiles."), entries, &argc, &argv, &code))
    return code;
  if (!engine_open (&engine, &error))
    return fail_with_error (error);

  n = g_list_model_get_n_items (G_LIST_MODEL (engine.profiles));
  active = natter_profile_store_get_active (engine.profiles);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(NatterProfile) p = g_list_model_get_item (G_LIST_MODEL (engine.profiles), i);

          add_profile_json (builder, &engine, p);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterProfile) p = g_list_model_get_item (G_LIST_MODEL (engine.profiles), i);
      const char *model = natter_profile_get_model (p);

      g_print ("%s %-20s %-14s %s%s\n",
               p == active ? "*" : " ",
               natter_profile_get_name (p),
               natter_profile_get_provider_id (p),
               *model ? model : "-",
               natter_profile_get_is_default (p) ? _(" (default)") : "");
    }
  return EXIT_OK;
}

static int
cmd_profile_show (int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *effective = NULL;
  g_autoptr(GError) resolve_error = NULL;
  g_autofree char *proxy = NULL;
  g_autofree char *input_price = NULL;
  g_autofree char *output_price = NULL;
  NatterProfile *profile;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Shows a connection profile."), entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if ((profile = lookup_profile (&engine, argv[1], &code)) == NULL)
    return code;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      add_profile_json (builder, &engine, profile);
      print_json (builder);
      return EXIT_OK;
    }

  natter_client_resolve (engine.client, profile, NULL, NULL, &effective, &resolve_error);
  proxy = proxy_for_display (profile);
  g_print ("%s: %s\n", _("Name"), natter_profile_get_name (profile));
  g_print ("%s: %s\n", _("Provider"), natter_profile_get_provider_id (profile));
  g_print ("%s: %s\n", _("Model"), natter_profile_get_model (profile));
  g_print ("%s: %s\n", _("URL"), natter_profile_get_base_url (profile));
  g_print ("%s: %s\n", _("Effective URL"),
           effective != NULL ? effective : resolve_error->message);
  g_print ("%s: %s\n", _("Proxy"), proxy);
  g_print ("%s: %s\n", _("Default"),
           natter_profile_get_is_default (profile) ? _("yes") : _("no"));
  g_print ("%s: %s\n", _("API key"),
           natter_key_source_describe (natter_client_key_source (engine.client, profile)));
  input_price = price_for_display (profile, "input_price");
  output_price = price_for_display (profile, "output_price");
  g_print ("%s: %s\n", _("Input price"), input_price);
  g_print ("%s: %s\n", _("Output price"), output_price);
  provider_options_print (profile);
  cloud_print (profile);
  return EXIT_OK;
}

static int
cmd_profile_set_key (int    argc,
                     char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfile) copy = NULL;
  NatterProfile *profile;
  char *key = NULL;
  char *session_token = NULL;
  gboolean ok;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Stores the API key of a profile, read from standard input."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if ((profile = lookup_profile (&engine, argv[1], &code)) == NULL)
    return code;
  /* A service account also tells the profile its e-mail and project. */
  copy = natter_profile_copy (profile);
  if (!cloud_read_secrets (copy, &key, &session_token, &error))
    return fail (EXIT_USAGE, "%s", error->message);

  ok = natter_secrets_store_sync (natter_profile_get_uuid (profile), NATTER_SECRET_API_KEY,
                                  natter_profile_get_name (profile), key, NULL, &error);
  natter_secrets_free (key);
  if (ok && session_token != NULL)
    ok = natter_secrets_store_sync (natter_profile_get_uuid (profile), NATTER_SECRET_SESSION_TOKEN,
                                    natter_profile_get_name (profile), session_token, NULL, &error);
  natter_secrets_free (session_token);
  if (!ok)
    return fail (EXIT_LOCAL, _("Could not store the API key: %s"), error->message);
  if (g_strcmp0 (natter_profile_get_settings (copy), natter_profile_get_settings (profile)) != 0 &&
      !natter_profile_store_update (engine.profiles, copy, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static int
cmd_profile_delete (int    argc,
                    char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) key_error = NULL;
  g_autofree char *uuid = NULL;
  NatterProfile *profile;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Deletes a connection profile and its API key."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if ((profile = lookup_profile (&engine, argv[1], &code)) == NULL)
    return code;

  uuid = g_strdup (natter_profile_get_uuid (profile));
  if (!natter_profile_store_remove (engine.profiles, profile, &error))
    return fail_with_error (error);
  if (!natter_secrets_clear_all_sync (uuid, NULL, &key_error) &&
      !g_error_matches (key_error, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_UNAVAILABLE))
    return fail (EXIT_LOCAL, _("Profile deleted, but its API key could not be removed from the keyring: %s"),
                 key_error->message);
  return EXIT_OK;
}

static int
cmd_profile_use (int    argc,
                 char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  NatterProfile *profile;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Makes a profile the active one."), entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if ((profile = lookup_profile (&engine, argv[1], &code)) == NULL)
    return code;
  if (!natter_profile_store_set_active (engine.profiles, profile, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

/* Runs the default main context until *@result is set; Ctrl-C cancels. */
static int
cmd_profile_test (int    argc,
                  char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_auto(Wait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  NatterProfile *profile;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Tests the connection of a profile with the cheapest real request."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if ((profile = lookup_profile (&engine, argv[1], &code)) == NULL)
    return code;

  warn_if_key_in_clear (engine.client, profile);
  wait.cancellable = g_cancellable_new ();
  natter_client_test_async (engine.client, profile, wait.cancellable, wait_cb, &wait);
  wait_run (&wait);
  if (!natter_client_test_finish (engine.client, wait.result, &error))
    return fail_with_error (error);
  g_print ("%s\n", _("Connection OK"));
  return EXIT_OK;
}

static int
cmd_profile_models (int    argc,
                    char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_auto(Wait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  NatterProfile *profile;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Lists the models a profile offers."), entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if ((profile = lookup_profile (&engine, argv[1], &code)) == NULL)
    return code;

  warn_if_key_in_clear (engine.client, profile);
  wait.cancellable = g_cancellable_new ();
  natter_client_list_models_async (engine.client, profile, wait.cancellable, wait_cb, &wait);
  wait_run (&wait);
  models = natter_client_list_models_finish (engine.client, wait.result, &error);
  if (models == NULL)
    return fail_with_error (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < models->len; i++)
        {
          NatterModelInfo *info = g_ptr_array_index (models, i);

          json_builder_begin_object (builder);
          json_add_string (builder, "id", info->id);
          json_builder_set_member_name (builder, "name");
          if (info->display_name != NULL)
            json_builder_add_string_value (builder, info->display_name);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "context_length");
          if (info->context_length > 0)
            json_builder_add_int_value (builder, info->context_length);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  for (guint i = 0; i < models->len; i++)
    g_print ("%s\n", ((NatterModelInfo *)g_ptr_array_index (models, i))->id);
  return EXIT_OK;
}

static const Command profile_commands[] = {
  { "add", cmd_profile_add, N_("Add a connection profile") },
  { "update", cmd_profile_update, N_("Change a connection profile's model, URL or prices") },
  { "list", cmd_profile_list, N_("List connection profiles") },
  { "show", cmd_profile_show, N_("Show a connection profile") },
  { "set-key", cmd_profile_set_key, N_("Store a profile's API key (read from standard input)") },
  { "delete", cmd_profile_delete, N_("Delete a profile and its API key") },
  { "use", cmd_profile_use, N_("Make a profile the active one") },
  { "test", cmd_profile_test, N_("Test a profile's connection") },
  { "models", cmd_profile_models, N_("List a profile's models") },
  { "credits", cmd_profile_credits, N_("Show OpenRouter credits or NanoGPT subscription usage") },
  { "signin", cmd_profile_signin, N_("Sign in with OpenRouter in the browser (PKCE)") },
  { NULL }
};

int
cmd_profile (int    argc,
             char **argv)
{
  return run_subcommand (profile_commands, "profile", argc, argv);
}
