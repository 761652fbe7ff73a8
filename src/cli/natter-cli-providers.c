/* natter-cli-providers.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Provider features from the command line: the profile options for
 * caching, OpenRouter routing and plugins, the coding plan and custom
 * headers; `profile credits`, `profile signin`, `model list|set` and
 * `usage`. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "natter-account.h"
#include "natter-anthropic-cache.h"
#include "natter-cli-private.h"
#include "natter-headers.h"
#include "natter-model-settings.h"
#include "natter-openrouter-signin.h"
#include "natter-usage-store.h"
#include "natter-json.h"

/* ----------------------------------------------------- profile options */

static const GOptionEntry provider_entries_template[] = {
  { "cache", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Anthropic prompt caching: off, auto, 5m or 1h"), N_("MODE") },
  { "cache-breakpoints", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Explicit cache breakpoints: system, tools, prefix (comma separated)"), N_("LIST") },
  { "or-sort", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("OpenRouter: route by price, throughput or latency"), N_("ORDER") },
  { "or-only", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("OpenRouter: only these providers (comma separated)"), N_("A,B") },
  { "or-ignore", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("OpenRouter: never these providers (comma separated)"), N_("C") },
  { "or-order", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("OpenRouter: try these providers first, in order (comma separated)"), N_("A,B") },
  { "or-quantizations", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("OpenRouter: only providers serving these quantizations (comma separated)"), N_("LIST") },
  { "or-fallbacks", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("OpenRouter: allow or deny fallbacks to other providers"), N_("allow|deny") },
  { "or-data-collection", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("OpenRouter: allow or deny providers that keep data"), N_("allow|deny") },
  { "or-plugin", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("OpenRouter: web, healing or middle-out (repeat; “none” clears)"), N_("PLUGIN") },
  { "coding-plan", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Z.AI: use the Coding Plan endpoint"), NULL },
  { "no-coding-plan", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Z.AI: use the usual endpoint"), NULL },
  { "header", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("A custom header NAME=VALUE (repeat; “NAME=” removes it); names with key, token, secret, auth, password or cookie are kept in the keyring"),
    N_("NAME=VALUE") },
  { "secret-header", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("A custom header whose value is kept in the keyring (repeat)"), N_("NAME=VALUE") },
};

struct _ProviderOptions
{
  char     *cache;
  char     *cache_breakpoints;
  char     *or_sort;
  char     *or_only;
  char     *or_ignore;
  char     *or_order;
  char     *or_quantizations;
  char     *or_fallbacks;
  char     *or_data_collection;
  char    **or_plugins;
  gboolean  coding_plan;
  gboolean  no_coding_plan;
  char    **headers;
  char    **secret_headers;
  /* Result of provider_options_apply(): the keyring item to write. */
  char     *secret_json;
  gboolean  secret_changed;
};

ProviderOptions *
provider_options_new (void)
{
  return g_new0 (ProviderOptions, 1);
}

void
provider_options_free (ProviderOptions *opts)
{
  if (opts == NULL)
    return;
  g_free (opts->cache);
  g_free (opts->cache_breakpoints);
  g_free (opts->or_sort);
  g_free (opts->or_only);
  g_free (opts->or_ignore);
  g_free (opts->or_order);
  g_free (opts->or_quantizations);
  g_free (opts->or_fallbacks);
  g_free (opts->or_data_collection);
  g_strfreev (opts->or_plugins);
  g_strfreev (opts->headers);
  g_strfreev (opts->secret_headers);
  natter_secrets_free (opts->secret_json);
  g_free (opts);
}

GOptionEntry *
provider_options_add_entries (const GOptionEntry *entries,
                              ProviderOptions    *opts)
{
  gpointer targets[] = {
    &opts->cache, &opts->cache_breakpoints, &opts->or_sort, &opts->or_only, &opts->or_ignore,
    &opts->or_order, &opts->or_quantizations, &opts->or_fallbacks, &opts->or_data_collection,
    &opts->or_plugins, &opts->coding_plan,
    &opts->no_coding_plan, &opts->headers, &opts->secret_headers,
  };
  guint n = 0;
  GOptionEntry *all;

  G_STATIC_ASSERT (G_N_ELEMENTS (targets) == G_N_ELEMENTS (provider_entries_template));

  while (entries[n].long_name != NULL)
    n++;
  all = g_new0 (GOptionEntry, n + G_N_ELEMENTS (provider_entries_template) + 1);
  memcpy (all, entries, n * sizeof (GOptionEntry));
  for (guint i = 0; i < G_N_ELEMENTS (provider_entries_template); i++)
    {
      all[n + i] = provider_entries_template[i];
      all[n + i].arg_data = targets[i];
    }
  return all;
}

static JsonObject *
settings_of (NatterProfile *profile)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (natter_json_parser_load (parser, natter_profile_get_settings (profile), -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return json_object_ref (json_node_get_object (root));
  return json_object_new ();
}

static void
save_settings (NatterProfile *profile,
               JsonObject    *settings)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), settings);
  g_autofree char *text = json_to_string (node, FALSE);

  natter_profile_set_settings (profile, text);
}

static JsonObject *
openrouter_object (JsonObject *settings)
{
  if (!json_object_has_member (settings, "openrouter") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (settings, "openrouter")))
    json_object_set_object_member (settings, "openrouter", json_object_new ());
  return json_object_get_object_member (settings, "openrouter");
}

static void
set_list (JsonObject *object,
          const char *member,
          const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, ",", -1);
  JsonArray *array = json_array_new ();

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = g_strstrip (words[i]);

      if (*word != '\0')
        json_array_add_string_element (array, word);
    }
  if (json_array_get_length (array) == 0)
    {
      json_array_unref (array);
      json_object_remove_member (object, member);
      return;
    }
  json_object_set_array_member (object, member, array);
}

static gboolean
one_of (const char  *option,
        const char  *value,
        const char  *a,
        const char  *b,
        const char  *c,
        GError     **error)
{
  if (g_strcmp0 (value, a) == 0 || g_strcmp0 (value, b) == 0 || (c != NULL && g_strcmp0 (value, c) == 0))
    return TRUE;
  /* Translators: "--reasoning takes low, medium or high, not “max”" */
  if (c != NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("%s takes %s, %s or %s, not “%s”"), option, a, b, c, value);
  else
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("%s takes %s or %s, not “%s”"), option, a, b, value);
  return FALSE;
}

/* Header options into @headers (and the keyring's values @secrets). */
static gboolean
apply_header_options (char       **texts,
                      gboolean     force_secret,
                      GPtrArray   *headers,
                      JsonObject  *secrets,
                      GError     **error)
{
  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      gboolean secret;
      guint j;

      if (!natter_custom_header_parse (texts[i], &name, &value, error))
        return FALSE;
      for (j = 0; j < headers->len; j++)
        if (g_ascii_strcasecmp (((NatterCustomHeader *) g_ptr_array_index (headers, j))->name, name) == 0)
          break;
      if (j < headers->len)
        g_ptr_array_remove_index (headers, j);
      json_object_remove_member (secrets, name);
      if (*value == '\0')
        continue;

      secret = force_secret || natter_custom_header_name_looks_secret (name);
      g_ptr_array_add (headers, natter_custom_header_new (name, secret ? NULL : value, secret));
      if (secret)
        json_object_set_string_member (secrets, name, value);
      memset (texts[i], 0, strlen (texts[i]));
    }
  return TRUE;
}

gboolean
provider_options_apply (ProviderOptions  *opts,
                        NatterProfile    *profile,
                        GError          **error)
{
  g_autoptr(JsonObject) settings = settings_of (profile);
  const char *provider = natter_profile_get_provider_id (profile);

  if (opts->cache != NULL || opts->cache_breakpoints != NULL)
    {
      NatterCacheSettings cache;

      if (g_strcmp0 (provider, "anthropic") != 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--cache is for Anthropic connections, not “%s”"), provider);
          return FALSE;
        }
      natter_cache_settings_load (&cache, settings);
      if (!natter_cache_settings_parse (&cache, opts->cache, opts->cache_breakpoints, error))
        return FALSE;
      natter_cache_settings_save (&cache, settings);
    }

  if (opts->or_sort || opts->or_only || opts->or_ignore || opts->or_order ||
      opts->or_quantizations || opts->or_fallbacks || opts->or_data_collection || opts->or_plugins)
    {
      JsonObject *routing;

      if (g_strcmp0 (provider, "openrouter") != 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("The --or-… options are for OpenRouter connections, not “%s”"), provider);
          return FALSE;
        }
      routing = openrouter_object (settings);
      if (opts->or_sort != NULL)
        {
          if (!one_of ("--or-sort", opts->or_sort, "price", "throughput", "latency", error))
            return FALSE;
          json_object_set_string_member (routing, "sort", opts->or_sort);
        }
      if (opts->or_only != NULL)
        set_list (routing, "only", opts->or_only);
      if (opts->or_ignore != NULL)
        set_list (routing, "ignore", opts->or_ignore);
      if (opts->or_order != NULL)
        set_list (routing, "order", opts->or_order);
      if (opts->or_quantizations != NULL)
        set_list (routing, "quantizations", opts->or_quantizations);
      if (opts->or_fallbacks != NULL)
        {
          if (!one_of ("--or-fallbacks", opts->or_fallbacks, "allow", "deny", NULL, error))
            return FALSE;
          if (g_str_equal (opts->or_fallbacks, "deny"))
            json_object_set_boolean_member (routing, "allow_fallbacks", FALSE);
          else
            json_object_remove_member (routing, "allow_fallbacks");
        }
      if (opts->or_data_collection != NULL)
        {
          if (!one_of ("--or-data-collection", opts->or_data_collection, "allow", "deny", NULL, error))
            return FALSE;
          json_object_set_string_member (routing, "data_collection", opts->or_data_collection);
        }
      if (opts->or_plugins != NULL)
        {
          JsonArray *plugins = json_array_new ();

          for (guint i = 0; opts->or_plugins[i] != NULL; i++)
            {
              if (g_str_equal (opts->or_plugins[i], "none"))
                continue;
              if (!one_of ("--or-plugin", opts->or_plugins[i], "web", "healing", "middle-out", error))
                {
                  json_array_unref (plugins);
                  return FALSE;
                }
              json_array_add_string_element (plugins, opts->or_plugins[i]);
            }
          json_object_set_array_member (routing, "plugins", plugins);
        }
    }

  if (opts->coding_plan || opts->no_coding_plan)
    {
      if (g_strcmp0 (provider, "zai") != 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--coding-plan is for Z.AI connections, not “%s”"), provider);
          return FALSE;
        }
      if (opts->coding_plan)
        json_object_set_boolean_member (settings, "coding_plan", TRUE);
      else
        json_object_remove_member (settings, "coding_plan");
    }

  if (opts->headers != NULL || opts->secret_headers != NULL)
    {
      g_autoptr(GPtrArray) headers = natter_custom_headers_load (settings);
      g_autoptr(JsonObject) secrets = json_object_new ();
      char *old = NULL;
      gboolean had_secrets = FALSE;

      /* The secret values already stored stay unless replaced. */
      if (*natter_profile_get_uuid (profile) != '\0')
        old = natter_secrets_lookup_sync (natter_profile_get_uuid (profile),
                                          NATTER_SECRET_HEADERS, NULL, NULL);
      if (old != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (natter_json_parser_load (parser, old, -1, NULL) &&
              JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
            {
              JsonObject *stored = json_node_get_object (json_parser_get_root (parser));
              g_autoptr(GList) names = json_object_get_members (stored);

              for (GList *l = names; l != NULL; l = l->next)
                if (natter_json_object_get_string (stored, l->data) != NULL)
                  json_object_set_string_member (secrets, l->data,
                                                 json_object_get_string_member (stored, l->data));
            }
        }
      had_secrets = old != NULL;
      natter_secrets_free (old);

      if (!apply_header_options (opts->headers, FALSE, headers, secrets, error) ||
          !apply_header_options (opts->secret_headers, TRUE, headers, secrets, error))
        return FALSE;
      natter_custom_headers_save (headers, settings);
      if (json_object_get_size (secrets) > 0)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), secrets);

          opts->secret_json = json_to_string (node, FALSE);
        }
      /* The keyring is only asked when a secret is or was involved. */
      opts->secret_changed = had_secrets || opts->secret_json != NULL;
    }

  save_settings (profile, settings);
  return TRUE;
}

gboolean
provider_options_store_secrets (ProviderOptions  *opts,
                                NatterProfile    *profile,
                                GError          **error)
{
  if (!opts->secret_changed)
    return TRUE;
  if (opts->secret_json == NULL)
    return natter_secrets_clear_sync (natter_profile_get_uuid (profile), NATTER_SECRET_HEADERS,
                                      NULL, error);
  return natter_secrets_store_sync (natter_profile_get_uuid (profile), NATTER_SECRET_HEADERS,
                                    natter_profile_get_name (profile), opts->secret_json,
                                    NULL, error);
}

void
provider_options_add_json (JsonBuilder   *builder,
                           NatterProfile *profile)
{
  g_autoptr(JsonObject) settings = settings_of (profile);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), settings);

  json_builder_set_member_name (builder, "settings");
  json_builder_add_value (builder, g_steal_pointer (&node));
}

void
provider_options_print (NatterProfile *profile)
{
  g_autoptr(JsonObject) settings = settings_of (profile);
  g_autoptr(GPtrArray) headers = natter_custom_headers_load (settings);
  g_autofree char *cache_summary = NULL;
  NatterCacheSettings cache;

  natter_cache_settings_load (&cache, settings);
  if ((cache_summary = natter_cache_settings_summary (&cache)) != NULL)
    g_print ("%s: %s\n", _("Prompt caching"), cache_summary);
  if (json_object_has_member (settings, "openrouter"))
    {
      g_autoptr(JsonNode) node = json_node_copy (json_object_get_member (settings, "openrouter"));
      g_autofree char *text = json_to_string (node, FALSE);

      g_print ("%s: %s\n", _("OpenRouter"), text);
    }
  if (natter_json_object_get_bool (settings, "coding_plan", FALSE))
    g_print ("%s: %s\n", _("Coding plan"), _("yes"));
  for (guint i = 0; i < headers->len; i++)
    {
      NatterCustomHeader *header = g_ptr_array_index (headers, i);

      if (header->secret)
        g_print ("%s: %s (%s)\n", _("Header"), header->name, _("secret, in the keyring"));
      else
        g_print ("%s: %s=%s\n", _("Header"), header->name, header->value);
    }
}

/* ------------------------------------------------------------ credits */

int
cmd_profile_credits (int    argc,
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
  g_autoptr(NatterAccountInfo) info = NULL;
  g_autofree char *summary = NULL;
  NatterProfile *profile;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Shows OpenRouter credits or NanoGPT subscription usage."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if ((profile = lookup_profile (&engine, argv[1], &code)) == NULL)
    return code;

  wait.cancellable = g_cancellable_new ();
  natter_client_account_async (engine.client, profile, wait.cancellable, wait_cb, &wait);
  wait_run (&wait);
  info = natter_client_account_finish (engine.client, wait.result, &error);
  if (info == NULL)
    return fail_with_error (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, info->kind);
      if (g_str_equal (info->kind, "credits"))
        {
          json_builder_set_member_name (builder, "total_credits");
          json_builder_add_double_value (builder, info->total_credits);
          json_builder_set_member_name (builder, "total_usage");
          json_builder_add_double_value (builder, info->total_usage);
          json_builder_set_member_name (builder, "remaining");
          json_builder_add_double_value (builder, info->remaining);
        }
      else
        {
          json_builder_set_member_name (builder, "active");
          json_builder_add_boolean_value (builder, info->active);
          json_builder_set_member_name (builder, "daily_used");
          json_builder_add_int_value (builder, info->daily_used);
          json_builder_set_member_name (builder, "daily_limit");
          json_builder_add_int_value (builder, info->daily_limit);
          json_builder_set_member_name (builder, "monthly_used");
          json_builder_add_int_value (builder, info->monthly_used);
          json_builder_set_member_name (builder, "monthly_limit");
          json_builder_add_int_value (builder, info->monthly_limit);
        }
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  summary = natter_account_info_summary (info);
  g_print ("%s\n", summary);
  return EXIT_OK;
}

/* ------------------------------------------------------------- signin */

int
cmd_profile_signin (int    argc,
                    char **argv)
{
  int timeout = 300;
  GOptionEntry entries[] = {
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Give up after this many seconds (300)"), N_("SECONDS") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_auto(Wait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterOpenrouterSignin) signin = NULL;
  g_autofree char *base_url = NULL;
  NatterProfile *profile;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Signs in with OpenRouter in the browser and stores the key it returns."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (timeout <= 0)
    return fail (EXIT_USAGE, _("--timeout must be a positive number of seconds"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if ((profile = lookup_profile (&engine, argv[1], &code)) == NULL)
    return code;
  if (g_strcmp0 (natter_profile_get_provider_id (profile), "openrouter") != 0)
    return fail (EXIT_USAGE, _("Sign-in is for OpenRouter connections; “%s” uses %s"),
                 natter_profile_get_name (profile), natter_profile_get_provider_id (profile));
  if (!natter_client_resolve (engine.client, profile, NULL, NULL, &base_url, &error))
    return fail_with_error (error);

  signin = natter_openrouter_signin_new (NULL, base_url);
  if (!natter_openrouter_signin_start (signin, &error))
    return fail (EXIT_LOCAL, "%s", error->message);

  g_print (_("Open this address in your browser to sign in with OpenRouter:\n%s\n"),
           natter_openrouter_signin_get_url (signin));
  g_print (_("Waiting for the browser to come back (Ctrl+C cancels)…\n"));

  wait.cancellable = g_cancellable_new ();
  natter_openrouter_signin_wait_async (signin, natter_profile_get_uuid (profile),
                                       natter_profile_get_name (profile), (guint) timeout,
                                       wait.cancellable, wait_cb, &wait);
  wait_run (&wait);
  if (!natter_openrouter_signin_wait_finish (signin, wait.result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return fail (EXIT_CANCELLED, "%s", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        return fail (EXIT_NETWORK, "%s", error->message);
      return fail_with_error (error);
    }
  g_print (_("Signed in: the key is stored in the keyring for “%s”.\n"), natter_profile_get_name (profile));
  return EXIT_OK;
}


/* -------------------------------------------------------------- model */

static void
print_price (GString    *line,
             double      price)
{
  if (price >= 0)
    g_string_append_printf (line, "$%.2f", price);
  else
    g_string_append (line, "—");
}

static int
cmd_model_list (int    argc,
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

  if (!parse_options (_("PROFILE"), _("Lists a profile's models with what is known of them."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if ((profile = lookup_profile (&engine, argv[1], &code)) == NULL)
    return code;

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
        json_builder_add_value (builder, natter_model_info_to_json (g_ptr_array_index (models, i)));
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  for (guint i = 0; i < models->len; i++)
    {
      NatterModelInfo *info = g_ptr_array_index (models, i);
      g_autoptr(GString) line = g_string_new (info->id);

      if (info->alias != NULL)
        g_string_append_printf (line, " (%s)", info->alias);
      if (info->context_length > 0)
        g_string_append_printf (line, "  %" G_GINT64_FORMAT "K", info->context_length / 1000);
      if (info->input_price >= 0 || info->output_price >= 0)
        {
          g_string_append (line, "  ");
          print_price (line, info->input_price);
          g_string_append (line, "/");
          print_price (line, info->output_price);
        }
      if (info->capabilities & NATTER_MODEL_VISION)
        g_string_append (line, _("  vision"));
      if (info->capabilities & NATTER_MODEL_TOOLS)
        g_string_append (line, _("  tools"));
      if (info->capabilities & NATTER_MODEL_REASONING)
        g_string_append (line, _("  reasoning"));
      g_print ("%s\n", line->str);
    }
  return EXIT_OK;
}

static int
cmd_model_set (int    argc,
               char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfile) copy = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autofree char *keys = NULL;
  NatterProfile *profile;
  int code = EXIT_OK;

  keys = g_strjoinv (", ", (char **) natter_model_settings_keys ());
  if (!parse_options (_("PROFILE MODEL KEY=VALUE…"),
                      _("Sets what Natter knows of a model for one profile (“KEY=” removes a value)."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc < 4)
    return fail (EXIT_USAGE, _("Expected a profile, a model and at least one KEY=VALUE (keys: %s)"), keys);
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if ((profile = lookup_profile (&engine, argv[1], &code)) == NULL)
    return code;

  copy = natter_profile_copy (profile);
  settings = settings_of (copy);
  for (int i = 3; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL)
        return fail (EXIT_USAGE, _("Expected KEY=VALUE, not “%s”"), argv[i]);
      key = g_strndup (argv[i], eq - argv[i]);
      if (!natter_model_settings_set (settings, argv[2], key, eq + 1, &error))
        return fail (EXIT_USAGE, "%s", error->message);
    }
  save_settings (copy, settings);
  if (!natter_profile_store_update (engine.profiles, copy, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static const Command model_commands[] = {
  { "list", cmd_model_list, N_("List a profile's models with context, prices and capabilities") },
  { "set", cmd_model_set, N_("Set a model's alias, prices, limits or special handling for a profile") },
  { NULL }
};

int
cmd_model (int    argc,
           char **argv)
{
  return run_subcommand (model_commands, "model", argc, argv);
}

/* -------------------------------------------------------------- usage */

static gboolean
parse_since (const char *text,
             gint64     *since_ms)
{
  int y, m, d;
  g_autoptr(GDateTime) date = NULL;
  char tail;

  if (sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  date = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (date == NULL)
    return FALSE;
  *since_ms = g_date_time_to_unix (date) * 1000;
  return TRUE;
}

int
cmd_usage (int    argc,
           char **argv)
{
  g_autofree char *by = NULL;
  g_autofree char *since = NULL;
  gboolean json = FALSE;
  gboolean csv = FALSE;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, N_("Group by chat, connection, day or month (month)"), N_("GROUP") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since, N_("Only exchanges from this day on"), N_("YYYY-MM-DD") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Print CSV"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) totals = NULL;
  NatterUsageGroup group = NATTER_USAGE_BY_MONTH;
  gint64 since_ms = 0;
  double sum = 0;
  int code = EXIT_OK;

  if (!parse_options_no_args ("", _("Shows what the exchanges cost, priced when they happened."),
                              entries, &argc, &argv, &code))
    return code;
  if (by != NULL && !natter_usage_group_from_string (by, &group))
    return fail (EXIT_USAGE, _("--by takes chat, connection, day or month, not “%s”"), by);
  if (since != NULL && !parse_since (since, &since_ms))
    return fail (EXIT_USAGE, _("--since takes a day as YYYY-MM-DD, not “%s”"), since);
  if (json && csv)
    return fail (EXIT_USAGE, _("Choose one of --json and --csv"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);

  totals = natter_usage_store_totals (engine.database, group, since_ms, &error);
  if (totals == NULL)
    return fail_with_error (error);

  if (csv)
    {
      g_autofree char *text = natter_usage_totals_to_csv (totals, group);

      fputs (text, stdout);
      return EXIT_OK;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < totals->len; i++)
        {
          NatterUsageTotal *t = g_ptr_array_index (totals, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, natter_usage_group_to_string (group));
          json_builder_add_string_value (builder, t->key);
          json_builder_set_member_name (builder, "label");
          json_builder_add_string_value (builder, t->label);
          json_builder_set_member_name (builder, "exchanges");
          json_builder_add_int_value (builder, t->exchanges);
          json_builder_set_member_name (builder, "input_tokens");
          json_builder_add_int_value (builder, t->input_tokens);
          json_builder_set_member_name (builder, "output_tokens");
          json_builder_add_int_value (builder, t->output_tokens);
          json_builder_set_member_name (builder, "cache_read_tokens");
          json_builder_add_int_value (builder, t->cache_read_tokens);
          json_builder_set_member_name (builder, "cache_write_tokens");
          json_builder_add_int_value (builder, t->cache_write_tokens);
          json_builder_set_member_name (builder, "cost_usd");
          if (t->unpriced < t->exchanges)
            json_builder_add_double_value (builder, t->cost);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "unpriced");
          json_builder_add_int_value (builder, t->unpriced);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  for (guint i = 0; i < totals->len; i++)
    {
      NatterUsageTotal *t = g_ptr_array_index (totals, i);
      g_autofree char *note = t->unpriced > 0
        ? g_strdup_printf (_("  (%lld without a price)"), (long long) t->unpriced) : g_strdup ("");
      g_autofree char *exchanges = g_strdup_printf (ngettext ("%lld exchange", "%lld exchanges",
                                                              (gulong) MAX (t->exchanges, 0)),
                                                    (long long) t->exchanges);

      /* Translators: a row of the usage table: what the row counts, the
       * exchanges, the input and output tokens, the cost in US dollars and a
       * note; keep the widths so that the columns line up */
      g_print (_("%-28s %16s  %10lld in  %8lld out  $%.4f%s\n"),
               t->label, exchanges, (long long) t->input_tokens, (long long) t->output_tokens,
               t->cost, note);
      sum += t->cost;
    }
  g_print ("%-28s %s $%.4f\n", _("Total"), "", sum);
  return EXIT_OK;
}
