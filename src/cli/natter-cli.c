/* natter-cli.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "natter-catalog.h"
#include "natter-client.h"
#include "natter-database.h"
#include "natter-dialect.h"
#include "natter-profile.h"
#include "natter-profile-store.h"
#include "natter-request-log.h"
#include "natter-secrets.h"

#include "natter-cli-chats.h"

/* Exit codes, also listed in `natter-cli --help`. */
enum
{
  EXIT_OK = 0,
  EXIT_LOCAL = 1,      /* local problem: no such profile, database, keyring */
  EXIT_USAGE = 2,      /* bad command line */
  EXIT_AUTH = 3,       /* the provider rejected the key */
  EXIT_NETWORK = 4,    /* network, timeout, TLS */
  EXIT_PROVIDER = 5,   /* any other provider error (not found, rate limited, protocol, …) */
  EXIT_CANCELLED = 130,
};

#define EXIT_CODES_HELP \
  N_("Exit status: 0 success, 1 local error (profile, database, keyring), 2 usage, " \
     "3 authentication, 4 network/timeout/TLS, 5 other provider error, 130 interrupted.")

typedef struct
{
  NatterDatabase     *database;
  NatterProfileStore *profiles;
  NatterRequestLog   *log;
  NatterClient       *client;
} Engine;

static void
engine_clear (Engine *engine)
{
  g_clear_object (&engine->client);
  g_clear_object (&engine->log);
  g_clear_object (&engine->profiles);
  g_clear_object (&engine->database);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Engine, engine_clear)

static int
fail (int         code,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static int
fail (int         code,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  fflush (stdout);
  g_printerr ("natter-cli: %s\n", message);
  return code;
}

static int
exit_code_for_category (NatterErrorCategory category)
{
  switch (category)
    {
    case NATTER_ERROR_CATEGORY_AUTH:
      return EXIT_AUTH;
    case NATTER_ERROR_CATEGORY_NETWORK:
    case NATTER_ERROR_CATEGORY_TIMEOUT:
    case NATTER_ERROR_CATEGORY_TLS:
      return EXIT_NETWORK;
    case NATTER_ERROR_CATEGORY_CANCELLED:
      return EXIT_CANCELLED;
    default:
      return EXIT_PROVIDER;
    }
}

/* One line on stderr, "natter-cli: <category in words>: <message>", and
 * the exit code for it. */
static int
fail_with_error (const GError *error)
{
  if (error->domain == NATTER_REQUEST_ERROR)
    {
      const char *words = natter_error_category_describe (error->code);

      if (error->message == NULL || *error->message == '\0' ||
          g_str_equal (error->message, words))
        return fail (exit_code_for_category (error->code), "%s", words);
      return fail (exit_code_for_category (error->code), "%s: %s", words, error->message);
    }
  return fail (EXIT_LOCAL, "%s", error->message);
}

static gboolean
engine_open (Engine  *engine,
             GError **error)
{
  engine->database = natter_database_open_default (error);
  if (engine->database == NULL)
    return FALSE;
  engine->profiles = natter_profile_store_new (engine->database, error);
  if (engine->profiles == NULL)
    return FALSE;
  engine->log = natter_request_log_new (engine->database, error);
  if (engine->log == NULL)
    return FALSE;
  engine->client = natter_client_new (engine->database, engine->profiles, engine->log);
  return TRUE;
}

/* Parses options of one command; --help prints and exits. */
static gboolean
parse_options (const char    *parameter,
               const char    *summary,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv,
               int           *exit_code)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, _(EXIT_CODES_HELP));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = fail (EXIT_USAGE, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, TRUE);

  g_print ("%s\n", text);
}

/* Reads all of stdin. */
static char *
read_stdin (gsize *len)
{
  GString *buffer = g_string_new (NULL);
  char chunk[4096];
  size_t n;

  while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
    g_string_append_len (buffer, chunk, n);
  explicit_bzero (chunk, sizeof chunk);
  if (len != NULL)
    *len = buffer->len;
  return g_string_free (buffer, FALSE);
}

/* A key from stdin without one trailing newline; NULL with @error when empty. */
static char *
read_key_from_stdin (GError **error)
{
  gsize len;
  char *key = read_stdin (&len);

  if (len > 0 && key[len - 1] == '\n')
    key[--len] = '\0';
  if (len > 0 && key[len - 1] == '\r')
    key[--len] = '\0';
  if (len == 0 || strchr (key, '\n') != NULL)
    {
      natter_secrets_free (key);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Expected the API key on standard input (one line)"));
      return NULL;
    }
  return key;
}

/* ------------------------------------------------------------- providers */

static int
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

  if (!parse_options ("", _("Lists the providers Natter knows."), entries, &argc, &argv, &code))
    return code;
  if (argc > 1)
    return fail (EXIT_USAGE, _("Unexpected argument “%s”"), argv[1]);

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
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, natter_provider_get_id (p));
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, natter_provider_get_name (p));
          json_builder_set_member_name (builder, "dialect");
          json_builder_add_string_value (builder, natter_provider_get_dialect_id (p));
          json_builder_set_member_name (builder, "default_url");
          json_builder_add_string_value (builder, natter_provider_get_default_url (p));
          json_builder_set_member_name (builder, "key_required");
          json_builder_add_boolean_value (builder, natter_provider_get_key_required (p));
          json_builder_set_member_name (builder, "key_env");
          json_builder_begin_array (builder);
          for (guint j = 0; env != NULL && env[j] != NULL; j++)
            json_builder_add_string_value (builder, env[j]);
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "local");
          json_builder_add_boolean_value (builder, natter_provider_get_local (p));
          json_builder_set_member_name (builder, "supported");
          json_builder_add_boolean_value (builder, natter_provider_get_supported (p));
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

static NatterProfile *
lookup_profile (Engine     *engine,
                const char *name,
                int        *code)
{
  NatterProfile *profile = natter_profile_store_lookup (engine->profiles, name);

  if (profile == NULL)
    *code = fail (EXIT_LOCAL, _("No profile called “%s” (see “natter-cli profile list”)"), name);
  return profile;
}

static gboolean
profile_has_stored_key (NatterProfile *profile)
{
  g_autoptr(GError) error = NULL;

  return natter_secrets_has_sync (natter_profile_get_uuid (profile), NATTER_SECRET_API_KEY,
                                  NULL, &error);
}

static void
add_profile_json (JsonBuilder   *builder,
                  Engine        *engine,
                  NatterProfile *profile)
{
  g_autofree char *effective = NULL;
  const char *proxy = natter_profile_get_proxy_url (profile);

  natter_client_resolve (engine->client, profile, NULL, NULL, &effective, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, natter_profile_get_name (profile));
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, natter_profile_get_provider_id (profile));
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, natter_profile_get_model (profile));
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, natter_profile_get_base_url (profile));
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
  json_builder_set_member_name (builder, "default");
  json_builder_add_boolean_value (builder, natter_profile_get_is_default (profile));
  json_builder_set_member_name (builder, "has_api_key");
  json_builder_add_boolean_value (builder, profile_has_stored_key (profile));
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
  gboolean is_default = FALSE;
  gboolean key_stdin = FALSE;
  GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider_id, N_("Provider id (see “natter-cli providers”)"), N_("ID") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_("Model"), N_("MODEL") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("Base URL (or a full endpoint URL)"), N_("URL") },
    { "proxy", 0, 0, G_OPTION_ARG_STRING, &proxy, N_("HTTP(S) proxy"), N_("URL") },
    { "default", 0, 0, G_OPTION_ARG_NONE, &is_default, N_("Make it the default profile"), NULL },
    { "key-stdin", 0, 0, G_OPTION_ARG_NONE, &key_stdin, N_("Read the API key from standard input"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  char *key = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Adds a connection profile."), entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one profile name"));
  if (provider_id == NULL)
    return fail (EXIT_USAGE, _("--provider is required (see “natter-cli providers”)"));
  if (natter_catalog_lookup (natter_catalog_get_default (), provider_id) == NULL)
    return fail (EXIT_USAGE, _("Unknown provider “%s” (see “natter-cli providers”)"), provider_id);

  /* Read the key before anything is written, so a bad key input leaves
   * nothing behind. */
  if (key_stdin && (key = read_key_from_stdin (&error)) == NULL)
    return fail (EXIT_USAGE, "%s", error->message);

  if (!engine_open (&engine, &error))
    {
      natter_secrets_free (key);
      return fail_with_error (error);
    }

  profile = natter_profile_new (argv[1], provider_id);
  if (model != NULL)
    natter_profile_set_model (profile, model);
  if (url != NULL)
    natter_profile_set_base_url (profile, url);
  if (proxy != NULL)
    natter_profile_set_proxy_url (profile, proxy);
  natter_profile_set_is_default (profile, is_default);

  if (!natter_profile_store_add (engine.profiles, profile, &error))
    {
      natter_secrets_free (key);
      return fail_with_error (error);
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
          natter_profile_store_remove (engine.profiles, profile, NULL);
          return fail (EXIT_LOCAL, _("Could not store the API key, profile not added: %s"),
                       error->message);
        }
    }

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

  if (!parse_options ("", _("Lists the connection profiles."), entries, &argc, &argv, &code))
    return code;
  if (argc > 1)
    return fail (EXIT_USAGE, _("Unexpected argument “%s”"), argv[1]);
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
  g_print ("%s: %s\n", _("Name"), natter_profile_get_name (profile));
  g_print ("%s: %s\n", _("Provider"), natter_profile_get_provider_id (profile));
  g_print ("%s: %s\n", _("Model"), natter_profile_get_model (profile));
  g_print ("%s: %s\n", _("URL"), natter_profile_get_base_url (profile));
  g_print ("%s: %s\n", _("Effective URL"),
           effective != NULL ? effective : resolve_error->message);
  g_print ("%s: %s\n", _("Proxy"), natter_profile_get_proxy_url (profile));
  g_print ("%s: %s\n", _("Default"),
           natter_profile_get_is_default (profile) ? _("yes") : _("no"));
  g_print ("%s: %s\n", _("API key"),
           natter_key_source_describe (natter_client_key_source (engine.client, profile)));
  return EXIT_OK;
}

static int
cmd_profile_set_key (int    argc,
                     char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  NatterProfile *profile;
  char *key;
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
  if ((key = read_key_from_stdin (&error)) == NULL)
    return fail (EXIT_USAGE, "%s", error->message);

  ok = natter_secrets_store_sync (natter_profile_get_uuid (profile), NATTER_SECRET_API_KEY,
                                  natter_profile_get_name (profile), key, NULL, &error);
  natter_secrets_free (key);
  if (!ok)
    return fail (EXIT_LOCAL, _("Could not store the API key: %s"), error->message);
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
typedef struct
{
  GAsyncResult *result;
  GCancellable *cancellable;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
sigint_cb (gpointer user_data)
{
  Wait *wait = user_data;

  g_cancellable_cancel (wait->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
wait_run (Wait *wait)
{
  guint sig = g_unix_signal_add (SIGINT, sigint_cb, wait);
  guint sig_term = g_unix_signal_add (SIGTERM, sigint_cb, wait);

  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sig);
  g_source_remove (sig_term);
}

static void
wait_clear (Wait *wait)
{
  g_clear_object (&wait->result);
  g_clear_object (&wait->cancellable);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Wait, wait_clear)

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
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, info->id);
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

typedef struct
{
  const char *name;
  int (*func) (int argc, char **argv);
  const char *summary;
} Command;

static int run_subcommand (const Command *table,
                           const char    *prefix,
                           int            argc,
                           char         **argv);

static const Command profile_commands[] = {
  { "add", cmd_profile_add, N_("Add a connection profile") },
  { "list", cmd_profile_list, N_("List connection profiles") },
  { "show", cmd_profile_show, N_("Show a connection profile") },
  { "set-key", cmd_profile_set_key, N_("Store a profile's API key (read from standard input)") },
  { "delete", cmd_profile_delete, N_("Delete a profile and its API key") },
  { "use", cmd_profile_use, N_("Make a profile the active one") },
  { "test", cmd_profile_test, N_("Test a profile's connection") },
  { "models", cmd_profile_models, N_("List a profile's models") },
  { NULL }
};

static int
cmd_profile (int    argc,
             char **argv)
{
  return run_subcommand (profile_commands, "profile", argc, argv);
}

/* ------------------------------------------------------------------ chat */

typedef struct
{
  gboolean stdout_dirty;
  gboolean stderr_dirty;
  gboolean in_reasoning;
  gboolean dim;
  gboolean ends_with_newline;
  gboolean wrote_text;
  guint    flush_id;
} ChatOutput;

static gboolean
chat_flush_cb (gpointer user_data)
{
  ChatOutput *out = user_data;

  out->flush_id = 0;
  if (out->stderr_dirty)
    fflush (stderr);
  if (out->stdout_dirty)
    fflush (stdout);
  out->stdout_dirty = out->stderr_dirty = FALSE;
  return G_SOURCE_REMOVE;
}

static void
chat_end_reasoning (ChatOutput *out)
{
  if (!out->in_reasoning)
    return;
  out->in_reasoning = FALSE;
  if (out->dim)
    fputs ("\033[0m", stderr);
  fputc ('\n', stderr);
  out->stderr_dirty = TRUE;
}

/* Per delta: only buffered writes. The flush runs once the current network
 * chunk has been processed (a source at default priority). */
static void
chat_on_delta (const NatterDelta *delta,
               gpointer           user_data)
{
  ChatOutput *out = user_data;

  switch (delta->kind)
    {
    case NATTER_DELTA_TEXT:
      if (delta->len == 0)
        return;
      if (G_UNLIKELY (out->in_reasoning))
        chat_end_reasoning (out);
      fwrite (delta->text, 1, delta->len, stdout);
      out->ends_with_newline = delta->text[delta->len - 1] == '\n';
      out->wrote_text = TRUE;
      out->stdout_dirty = TRUE;
      break;

    case NATTER_DELTA_REASONING:
      if (delta->len == 0)
        return;
      if (!out->in_reasoning)
        {
          out->in_reasoning = TRUE;
          if (out->dim)
            fputs ("\033[2m", stderr);
        }
      fwrite (delta->text, 1, delta->len, stderr);
      out->stderr_dirty = TRUE;
      break;

    default:
      return;
    }

  if (out->flush_id == 0)
    out->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT, chat_flush_cb, out, NULL);
}

static int
cmd_chat (int    argc,
          char **argv)
{
  g_autofree char *profile_name = NULL;
  g_autofree char *model = NULL;
  g_autofree char *system = NULL;
  gboolean no_stream = FALSE;
  int max_tokens = 0;
  double temperature = -1.0;
  GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name, N_("Profile (default: the active one)"), N_("PROFILE") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model, N_("Model (default: the profile's)"), N_("MODEL") },
    { "system", 0, 0, G_OPTION_ARG_STRING, &system, N_("System prompt"), N_("TEXT") },
    { "no-stream", 0, 0, G_OPTION_ARG_NONE, &no_stream, N_("Wait for the whole reply"), NULL },
    { "max-tokens", 0, 0, G_OPTION_ARG_INT, &max_tokens, N_("Maximum tokens to generate"), N_("N") },
    { "temperature", 0, 0, G_OPTION_ARG_DOUBLE, &temperature, N_("Sampling temperature"), N_("T") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_auto(Wait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatResult) result = NULL;
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;
  static char out_buffer[64 * 1024];
  static char err_buffer[16 * 1024];
  ChatOutput out = { 0 };
  NatterPrompt *prompt;
  NatterGenParams params;
  NatterProfile *profile;
  int code = EXIT_OK;

  /* "chat new|send|list|…": the chats commands; anything else is a prompt. */
  if (argc >= 2 && natter_cli_is_chat_subcommand (argv[1]))
    return natter_cli_cmd_chat_sub (argc, argv);

  summary = g_strconcat (_("Sends a prompt and prints the reply as it arrives. "
                           "Without PROMPT (or with “-”) the prompt is read from standard input."),
                         "\n\n", _(NATTER_CLI_CHAT_SUBCOMMANDS_HELP), NULL);
  if (!parse_options (_("[PROMPT | -]"), summary, entries, &argc, &argv, &code))
    return code;

  if (argc < 2 || (argc == 2 && g_str_equal (argv[1], "-")))
    {
      if (argc < 2 && isatty (STDIN_FILENO))
        return fail (EXIT_USAGE, _("Expected a prompt (or “-” to read it from standard input)"));
      text = read_stdin (NULL);
    }
  else
    text = g_strjoinv (" ", argv + 1);
  if (!g_utf8_validate (text, -1, NULL))
    return fail (EXIT_USAGE, _("The prompt is not valid UTF-8 text"));
  {
    g_autofree char *stripped = g_strstrip (g_strdup (text));

    if (*stripped == '\0')
      return fail (EXIT_USAGE, _("The prompt is empty"));
  }
  if (max_tokens < 0)
    return fail (EXIT_USAGE, _("--max-tokens must be positive"));

  if (!engine_open (&engine, &error))
    return fail_with_error (error);

  if (profile_name != NULL)
    {
      if ((profile = lookup_profile (&engine, profile_name, &code)) == NULL)
        return code;
    }
  else if ((profile = natter_profile_store_get_active (engine.profiles)) == NULL)
    return fail (EXIT_LOCAL, _("No profile yet: add one with “natter-cli profile add”"));

  prompt = natter_prompt_new ();
  if (system != NULL && *system != '\0')
    natter_prompt_add (prompt, NATTER_ROLE_SYSTEM, system);
  natter_prompt_add (prompt, NATTER_ROLE_USER, text);

  natter_gen_params_init (&params);
  params.model = g_strdup (model);
  params.stream = !no_stream;
  params.max_tokens = max_tokens;
  if (temperature >= 0)
    params.temperature = temperature;

  setvbuf (stdout, out_buffer, _IOFBF, sizeof out_buffer);
  setvbuf (stderr, err_buffer, _IOFBF, sizeof err_buffer);
  out.dim = isatty (STDERR_FILENO);

  wait.cancellable = g_cancellable_new ();
  natter_client_chat_async (engine.client, profile, prompt, &params,
                            no_stream ? NULL : chat_on_delta, &out,
                            wait.cancellable, wait_cb, &wait);
  natter_prompt_free (prompt);
  natter_gen_params_clear (&params);
  wait_run (&wait);
  g_clear_handle_id (&out.flush_id, g_source_remove);

  result = natter_client_chat_finish (engine.client, wait.result, NULL, &error);
  chat_end_reasoning (&out);
  if (result != NULL && no_stream)
    {
      if (*result->reasoning != '\0')
        {
          if (out.dim)
            fprintf (stderr, "\033[2m%s\033[0m\n", result->reasoning);
          else
            fprintf (stderr, "%s\n", result->reasoning);
        }
      fputs (result->text, stdout);
      out.wrote_text = *result->text != '\0';
      out.ends_with_newline = g_str_has_suffix (result->text, "\n");
    }
  if (out.wrote_text && !out.ends_with_newline)
    fputc ('\n', stdout);
  fflush (stderr);
  fflush (stdout);
  setvbuf (stderr, NULL, _IONBF, 0);

  if (result == NULL)
    return fail_with_error (error);
  return EXIT_OK;
}

/* --------------------------------------------------------------- inspect */

static void
add_json_text_member (JsonBuilder *builder,
                      const char  *name,
                      const char  *json_text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_builder_set_member_name (builder, name);
  if (json_text != NULL && json_parser_load_from_data (parser, json_text, -1, NULL) &&
      json_parser_get_root (parser) != NULL)
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else if (json_text != NULL)
    json_builder_add_string_value (builder, json_text);
  else
    json_builder_add_null_value (builder);
}

static void
add_ms_member (JsonBuilder *builder,
               const char  *name,
               gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value >= 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static char *
entry_dup_raw (NatterLogEntry *entry)
{
  g_autoptr(GBytes) raw = natter_log_entry_dup_raw (entry);
  gsize len;
  const char *data = g_bytes_get_data (raw, &len);

  return g_utf8_make_valid (data != NULL ? data : "", len);
}

static int
cmd_inspect (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  NatterLogEntry *entry;
  NatterErrorCategory category;
  int code = EXIT_OK;

  if (!parse_options ("last", _("Shows the last request sent and its response, with secrets redacted."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2 || !g_str_equal (argv[1], "last"))
    return fail (EXIT_USAGE, _("Expected “last”"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  entry = natter_request_log_get_last (engine.log);
  if (entry == NULL)
    return fail (EXIT_LOCAL, _("No request recorded yet"));

  raw = entry_dup_raw (entry);
  category = natter_log_entry_get_error_category (entry);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);

      json_builder_set_member_name (builder, "request");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, natter_log_entry_get_method (entry));
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, natter_log_entry_get_url (entry));
      add_json_text_member (builder, "headers", natter_log_entry_get_request_headers (entry));
      add_json_text_member (builder, "body", natter_log_entry_get_request_body (entry));
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "response");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      if (natter_log_entry_get_status (entry) != 0)
        json_builder_add_int_value (builder, natter_log_entry_get_status (entry));
      else
        json_builder_add_null_value (builder);
      add_json_text_member (builder, "headers", natter_log_entry_get_response_headers (entry));
      json_builder_set_member_name (builder, "raw");
      json_builder_add_string_value (builder, raw);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, natter_log_entry_get_text (entry));
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "timing");
      json_builder_begin_object (builder);
      add_ms_member (builder, "ttfb_ms", natter_log_entry_get_ttfb_ms (entry));
      add_ms_member (builder, "ttft_ms", natter_log_entry_get_ttft_ms (entry));
      add_ms_member (builder, "total_ms", natter_log_entry_get_total_ms (entry));
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "usage");
      json_builder_begin_object (builder);
      add_ms_member (builder, "input_tokens", natter_log_entry_get_input_tokens (entry));
      add_ms_member (builder, "output_tokens", natter_log_entry_get_output_tokens (entry));
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "error");
      if (category == NATTER_ERROR_CATEGORY_NONE)
        json_builder_add_null_value (builder);
      else
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "category");
          json_builder_add_string_value (builder, natter_error_category_to_string (category));
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, natter_log_entry_get_error_message (entry));
          json_builder_end_object (builder);
        }

      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%s %s\n", natter_log_entry_get_method (entry), natter_log_entry_get_url (entry));
  g_print ("%s: %s\n", _("Request headers"), natter_log_entry_get_request_headers (entry));
  g_print ("%s: %s\n", _("Request body"), natter_log_entry_get_request_body (entry));
  g_print ("%s: %u\n", _("Status"), natter_log_entry_get_status (entry));
  g_print ("%s: %s\n", _("Response headers"),
           natter_log_entry_get_response_headers (entry) ? natter_log_entry_get_response_headers (entry) : "");
  g_print ("%s: %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " ms\n",
           _("Time to first byte / first token / total"),
           natter_log_entry_get_ttfb_ms (entry), natter_log_entry_get_ttft_ms (entry),
           natter_log_entry_get_total_ms (entry));
  g_print ("%s: %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT "\n", _("Tokens in / out"),
           natter_log_entry_get_input_tokens (entry), natter_log_entry_get_output_tokens (entry));
  if (category != NATTER_ERROR_CATEGORY_NONE)
    g_print ("%s: %s: %s\n", _("Error"), natter_error_category_to_string (category),
             natter_log_entry_get_error_message (entry));
  g_print ("%s:\n%s\n", _("Reply"), natter_log_entry_get_text (entry));
  return EXIT_OK;
}

/* ------------------------------------------------------------------ main */

static const Command commands[] = {
  { "providers", cmd_providers, N_("List the providers Natter knows") },
  { "profile", cmd_profile, N_("Manage connection profiles") },
  { "chat", cmd_chat, N_("Send a prompt, or manage and send in chats (chat --help)") },
  { "inspect", cmd_inspect, N_("Show the last request and response") },
  { "character", natter_cli_cmd_character, N_("Import, list, show, export and delete characters") },
  { "search", natter_cli_cmd_search, N_("Search the messages of every chat") },
  { "prompt", natter_cli_cmd_prompt, N_("Show the request a chat would send, without sending") },
  { NULL }
};

static void
print_usage (const Command *table,
             const char    *prefix,
             FILE          *stream)
{
  fprintf (stream, "%s\n", _("Usage:"));
  fprintf (stream, "  natter-cli %s%s%s\n\n", prefix ? prefix : "", prefix ? " " : "",
           _("COMMAND [OPTION…]"));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; table[i].name != NULL; i++)
    fprintf (stream, "  %-12s %s\n", table[i].name, _(table[i].summary));
  fprintf (stream, "\n%s\n%s\n", _("Run a command with --help for its options."), _(EXIT_CODES_HELP));
}

static int
run_subcommand (const Command *table,
                const char    *prefix,
                int            argc,
                char         **argv)
{
  g_autofree char *name = NULL;

  if (argc < 2)
    {
      print_usage (table, prefix, stderr);
      return EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (table, prefix, stdout);
      return EXIT_OK;
    }

  for (guint i = 0; table[i].name != NULL; i++)
    if (g_str_equal (argv[1], table[i].name))
      {
        /* g_option_context shows argv[0] as the program name in --help. */
        name = prefix != NULL ? g_strdup_printf ("natter-cli %s %s", prefix, table[i].name)
                              : g_strdup_printf ("natter-cli %s", table[i].name);
        g_set_prgname (name);
        return table[i].func (argc - 1, argv + 1);
      }

  fail (EXIT_USAGE, _("Unknown command “%s”"), argv[1]);
  print_usage (table, prefix, stderr);
  return EXIT_USAGE;
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A closed pipe (natter-cli chat … | head) is not a crash. */
  signal (SIGPIPE, SIG_IGN);

  return run_subcommand (commands, NULL, argc, argv);
}
