/* natter-cli-mcp.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* natter-cli mcp add|import|list|tools|remove: the MCP servers chats may
 * use. Secret values (headers and environment variables whose names carry
 * a key, token, secret, password, auth or cookie, or given with
 * --secret-header / --secret-env) go to the keyring, never the database. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "natter-cli-private.h"
#include "natter-mcp-client.h"
#include "natter-mcp-store.h"

static NatterDatabase *
open_database (int *code)
{
  g_autoptr(GError) error = NULL;
  NatterDatabase *db = natter_database_open_default (&error);

  if (db == NULL)
    *code = fail (EXIT_LOCAL, "%s", error->message);
  return db;
}

/* "NAME=VALUE" pairs into the config's headers or environment. */
static gboolean
apply_pairs (NatterMcpConfig  *config,
             char            **pairs,
             gboolean          env,
             gboolean          force_secret,
             int              *code)
{
  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *name = NULL;
      gboolean secret;

      if (eq == NULL || eq == pairs[i])
        {
          *code = fail (EXIT_USAGE, _("Write NAME=VALUE, not “%s”"), pairs[i]);
          return FALSE;
        }
      name = g_strndup (pairs[i], eq - pairs[i]);
      secret = force_secret || natter_custom_header_name_looks_secret (name);
      if (env)
        natter_mcp_config_set_env (config, name, eq + 1, secret);
      else
        natter_mcp_config_set_header (config, name, eq + 1, secret);
    }
  return TRUE;
}

/* Saves a new server: its secret values to the keyring first, then the row. */
static gboolean
save_new (NatterDatabase  *db,
          NatterMcpConfig *config,
          int             *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterMcpConfig) existing = natter_mcp_store_get (db, config->name, NULL);

  if (existing != NULL)
    {
      *code = fail (EXIT_LOCAL, _("There is already an MCP server called “%s”; remove it first."), config->name);
      return FALSE;
    }
  if (!natter_mcp_config_validate (config, &error))
    {
      *code = fail (EXIT_USAGE, "%s", error->message);
      return FALSE;
    }
  if (natter_mcp_config_has_secrets (config) &&
      !natter_mcp_store_save_secrets_sync (config, NULL, &error))
    {
      *code = fail (EXIT_LOCAL, _("Could not keep the secret values in the keyring: %s"), error->message);
      return FALSE;
    }
  if (!natter_mcp_store_save (db, config, &error))
    {
      if (natter_mcp_config_has_secrets (config))
        natter_secrets_clear_all_sync (config->uuid, NULL, NULL);
      *code = fail (EXIT_LOCAL, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_mcp_add (int    argc,
             char **argv)
{
  g_autofree char *url = NULL;
  g_auto(GStrv) headers = NULL;
  g_auto(GStrv) secret_headers = NULL;
  g_auto(GStrv) env = NULL;
  g_auto(GStrv) secret_env = NULL;
  int timeout = 0;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The server’s Streamable HTTP address"), N_("URL") },
    { "header", 0, 0, G_OPTION_ARG_STRING_ARRAY, &headers,
      N_("A header NAME=VALUE sent to an HTTP server (repeat); names with key, token, secret, auth, password or cookie are kept in the keyring"),
      N_("NAME=VALUE") },
    { "secret-header", 0, 0, G_OPTION_ARG_STRING_ARRAY, &secret_headers,
      N_("A header whose value is kept in the keyring"), N_("NAME=VALUE") },
    { "env", 0, 0, G_OPTION_ARG_STRING_ARRAY, &env,
      N_("An environment variable NAME=VALUE for a program (repeat); secret-looking names are kept in the keyring"),
      N_("NAME=VALUE") },
    { "secret-env", 0, 0, G_OPTION_ARG_STRING_ARRAY, &secret_env,
      N_("An environment variable whose value is kept in the keyring"), N_("NAME=VALUE") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Seconds a tool call may take (default 60)"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(NatterMcpConfig) config = NULL;
  int code = EXIT_OK;
  int command_at = -1;
  int opt_argc;

  /* Everything after "--" is the program and its arguments, untouched. */
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--"))
      {
        command_at = i;
        break;
      }
  opt_argc = command_at >= 0 ? command_at : argc;
  {
    g_autofree char **opt_argv = g_new0 (char *, opt_argc + 1);

    memcpy (opt_argv, argv, opt_argc * sizeof (char *));
    if (!parse_options (_("NAME -- COMMAND [ARG…] | NAME --url URL"),
                        _("Add an MCP server: a program to run, or an HTTP address."),
                        entries, &opt_argc, &opt_argv, &code))
      return code;
    if (opt_argc != 2)
      return fail (EXIT_USAGE, _("Give one server name: natter-cli mcp add NAME -- COMMAND [ARG…]"));

    if (url != NULL)
      {
        if (command_at >= 0)
          return fail (EXIT_USAGE, _("Give either --url or a command after “--”, not both."));
        if (env != NULL || secret_env != NULL)
          return fail (EXIT_USAGE, _("Environment variables are for programs, not HTTP servers."));
        config = natter_mcp_config_new_http (opt_argv[1], url);
        if (!apply_pairs (config, headers, FALSE, FALSE, &code) ||
            !apply_pairs (config, secret_headers, FALSE, TRUE, &code))
          return code;
      }
    else
      {
        if (command_at < 0 || command_at + 1 >= argc)
          return fail (EXIT_USAGE, _("Give the program after “--”, or an address with --url."));
        if (headers != NULL || secret_headers != NULL)
          return fail (EXIT_USAGE, _("Headers are for HTTP servers, not programs."));
        config = natter_mcp_config_new_stdio (opt_argv[1], argv[command_at + 1],
                                              (const char * const *) argv + command_at + 2);
        if (!apply_pairs (config, env, TRUE, FALSE, &code) ||
            !apply_pairs (config, secret_env, TRUE, TRUE, &code))
          return code;
      }
  }
  if (timeout < 0)
    return fail (EXIT_USAGE, _("The time limit is a number of seconds."));
  config->timeout = (guint) timeout;

  if ((db = open_database (&code)) == NULL)
    return code;
  if (!save_new (db, config, &code))
    return code;
  g_print (_("Added MCP server “%s”.\n"), config->name);
  return EXIT_OK;
}

static int
cmd_mcp_import (int    argc,
                char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;
  int code = EXIT_OK;
  guint added = 0;

  if (!parse_options (_("FILE.json"), _("Import the servers of an {\"mcpServers\": {…}} file."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Give one file: natter-cli mcp import FILE.json"));
  if (!g_file_get_contents (argv[1], &data, &len, &error))
    return fail (EXIT_LOCAL, "%s", error->message);
  configs = natter_mcp_config_parse_servers_file (data, len, &error);
  if (configs == NULL)
    return fail (EXIT_LOCAL, "%s: %s", argv[1], error->message);
  if ((db = open_database (&code)) == NULL)
    return code;
  for (guint i = 0; i < configs->len; i++)
    {
      NatterMcpConfig *config = g_ptr_array_index (configs, i);
      int one = EXIT_OK;

      if (save_new (db, config, &one))
        {
          g_print (_("Added MCP server “%s”.\n"), config->name);
          added++;
        }
      else
        code = one;
    }
  if (configs->len == 0)
    g_print ("%s\n", _("The file lists no servers."));
  return added == configs->len ? EXIT_OK : code;
}

static void
add_config_json (JsonBuilder     *builder,
                 NatterMcpConfig *config)
{
  g_autoptr(JsonNode) node = natter_mcp_config_to_json (config);
  JsonObject *object = json_node_get_object (node);
  g_autoptr(GList) members = json_object_get_members (object);

  json_builder_begin_object (builder);
  json_add_string (builder, "name", config->name);
  for (GList *l = members; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_value (builder, json_node_copy (json_object_get_member (object, l->data)));
    }
  json_builder_end_object (builder);
}

static void
print_pairs (const char *label,
             GPtrArray  *pairs)
{
  for (guint i = 0; i < pairs->len; i++)
    {
      NatterCustomHeader *pair = g_ptr_array_index (pairs, i);

      g_print ("    %s %s=%s\n", label, pair->name, pair->secret ? _("(in the keyring)") : pair->value);
    }
}

static int
cmd_mcp_list (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GError) error = NULL;
  int code = EXIT_OK;

  if (!parse_options_no_args (NULL, _("List the MCP servers."), entries, &argc, &argv, &code))
    return code;
  if ((db = open_database (&code)) == NULL)
    return code;
  configs = natter_mcp_store_list (db, &error);
  if (configs == NULL)
    return fail (EXIT_LOCAL, "%s", error->message);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < configs->len; i++)
        add_config_json (builder, g_ptr_array_index (configs, i));
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }
  if (configs->len == 0)
    g_print ("%s\n", _("No MCP servers. Add one with “natter-cli mcp add NAME -- COMMAND” or “mcp import FILE.json”."));
  for (guint i = 0; i < configs->len; i++)
    {
      NatterMcpConfig *config = g_ptr_array_index (configs, i);

      if (config->transport == NATTER_MCP_TRANSPORT_STDIO)
        {
          g_autofree char *args = g_strjoinv (" ", config->args);

          g_print ("%s\t%s\t%s%s%s\n", config->name, "stdio", config->command, *args != '\0' ? " " : "", args);
          print_pairs (_("env"), config->env);
        }
      else
        {
          g_print ("%s\t%s\t%s\n", config->name, "http", config->url);
          print_pairs (_("header"), config->headers);
        }
    }
  return EXIT_OK;
}

static int
cmd_mcp_tools (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(NatterMcpConfig) config = NULL;
  g_autoptr(NatterMcpClient) client = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Wait) wait = { NULL, g_cancellable_new () };
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Start an MCP server and list its tools."), entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Give one server name: natter-cli mcp tools NAME"));
  if ((db = open_database (&code)) == NULL)
    return code;
  config = natter_mcp_store_get (db, argv[1], &error);
  if (config == NULL)
    return fail (EXIT_LOCAL, "%s", error->message);
  if (!natter_mcp_store_load_secrets_sync (config, NULL, &error))
    return fail (EXIT_LOCAL, _("Could not read the secret values from the keyring: %s"), error->message);

  client = natter_mcp_client_new (config);
  natter_mcp_client_start_async (client, wait.cancellable, wait_cb, &wait);
  wait_run (&wait);
  if (!natter_mcp_client_start_finish (client, wait.result, &error))
    {
      const char *tail = natter_mcp_client_get_stderr (client);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return EXIT_CANCELLED;
      if (tail != NULL && *tail != '\0')
        fprintf (stderr, "%s", tail);
      return fail (EXIT_PROVIDER, "%s", error->message);
    }

  tools = natter_mcp_client_get_tools (client);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < tools->len; i++)
        {
          NatterToolSpec *spec = g_ptr_array_index (tools, i);

          json_builder_begin_object (builder);
          json_add_string (builder, "name", spec->tool);
          if (spec->description != NULL)
            json_add_string (builder, "description", spec->description);
          json_builder_set_member_name (builder, "inputSchema");
          if (spec->input_schema != NULL)
            json_builder_add_value (builder, json_node_init_object (json_node_alloc (), spec->input_schema));
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
    }
  else
    {
      if (tools->len == 0)
        g_print ("%s\n", _("The server offers no tools."));
      for (guint i = 0; i < tools->len; i++)
        {
          NatterToolSpec *spec = g_ptr_array_index (tools, i);

          g_print ("%s\t%s\n", spec->tool, spec->description != NULL ? spec->description : "");
        }
    }
  natter_mcp_client_stop (client);
  return EXIT_OK;
}

static int
cmd_mcp_remove (int    argc,
                char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(NatterMcpConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Remove an MCP server (and its secret values)."), entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Give one server name: natter-cli mcp remove NAME"));
  if ((db = open_database (&code)) == NULL)
    return code;
  config = natter_mcp_store_get (db, argv[1], &error);
  if (config == NULL || !natter_mcp_store_remove (db, config->name, &error))
    return fail (EXIT_LOCAL, "%s", error->message);
  if (natter_mcp_config_has_secrets (config) &&
      !natter_secrets_clear_all_sync (config->uuid, NULL, &error))
    fprintf (stderr, _("natter-cli: the secret values stay in the keyring: %s\n"), error->message);
  g_print (_("Removed MCP server “%s”.\n"), config->name);
  return EXIT_OK;
}

static int
cmd_mcp_chat (int    argc,
              char **argv)
{
  gboolean clear = FALSE;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear, N_("The chat uses no server"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  gint64 chat_id;
  int code = EXIT_OK;

  if (!parse_options (_("CHAT_ID [NAME…]"),
                      _("Show or set the MCP servers whose tools a stored chat may use."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return fail (EXIT_USAGE, _("Give a chat id: natter-cli mcp chat CHAT_ID [NAME…]"));
  if (!cli_parse_id (argv[1], &chat_id, &code))
    return code;
  if ((db = open_database (&code)) == NULL)
    return code;

  if (argc > 2 || clear)
    {
      g_autoptr(GStrvBuilder) chosen = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;
      sqlite3_stmt *stmt = natter_database_prepare (db, "SELECT 1 FROM chats WHERE id = ?1", &error);

      if (stmt == NULL)
        return fail (EXIT_LOCAL, "%s", error->message);
      sqlite3_bind_int64 (stmt, 1, chat_id);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        return fail (EXIT_LOCAL, _("There is no chat %lld."), (long long) chat_id);
      for (int i = 2; i < argc; i++)
        {
          g_autoptr(NatterMcpConfig) config = natter_mcp_store_get (db, argv[i], &error);

          if (config == NULL)
            return fail (EXIT_LOCAL, "%s", error->message);
          g_strv_builder_add (chosen, config->name);
        }
      strv = g_strv_builder_end (chosen);
      if (!natter_mcp_chat_servers_set (db, chat_id, (const char * const *) strv, &error))
        return fail (EXIT_LOCAL, "%s", error->message);
    }

  names = natter_mcp_chat_servers_get (db, chat_id, &error);
  if (names == NULL)
    return fail (EXIT_LOCAL, "%s", error->message);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; names[i] != NULL; i++)
        json_builder_add_string_value (builder, names[i]);
      json_builder_end_array (builder);
      print_json (builder);
    }
  else
    for (guint i = 0; names[i] != NULL; i++)
      g_print ("%s\n", names[i]);
  return EXIT_OK;
}

static const Command mcp_subcommands[] = {
  { "add", cmd_mcp_add, N_("Add a server: NAME -- COMMAND [ARG…], or NAME --url URL [--header K=V]…") },
  { "import", cmd_mcp_import, N_("Import the servers of an {\"mcpServers\": {…}} file") },
  { "list", cmd_mcp_list, N_("List the servers") },
  { "tools", cmd_mcp_tools, N_("Start a server and list its tools") },
  { "remove", cmd_mcp_remove, N_("Remove a server") },
  { "chat", cmd_mcp_chat, N_("Show or set the servers a stored chat may use") },
  { NULL }
};

int
natter_cli_cmd_mcp (int    argc,
                    char **argv)
{
  return run_subcommand (mcp_subcommands, "mcp", argc, argv);
}
