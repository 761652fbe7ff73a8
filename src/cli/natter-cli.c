/* natter-cli.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* natter-cli: the engine from a terminal. Commands live in
 * natter-cli-<group>.c and are listed in the table below. */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "natter-cli-chats.h"
#include "natter-cli-editing.h"
#include "natter-i18n.h"
#include "natter-cli-preset.h"
#include "natter-cli-private.h"

/* ------------------------------------------------------------------ main */

/* Stored chats: "natter-cli chat new|send|list|…" land here. */
const Command chat_subcommands[] = {
  { "new", natter_cli_cmd_chat_new, N_("Start a chat and print its id") },
  { "send", natter_cli_cmd_chat_send, N_("Send in a chat; stream and store the reply") },
  { "list", natter_cli_cmd_chat_list, N_("List chats") },
  { "show", natter_cli_cmd_chat_show, N_("Show a chat") },
  { "delete", natter_cli_cmd_chat_delete, N_("Delete a chat") },
  { "swipe", natter_cli_cmd_chat_swipe, N_("Another reply to the last message") },
  { "continue", natter_cli_cmd_chat_continue, N_("Extend the last reply in place") },
  { "branch", natter_cli_cmd_chat_branch, N_("Fork a chat at a message") },
  { "import", natter_cli_cmd_chat_import, N_("Import a SillyTavern chat (JSONL)") },
  { "export", natter_cli_cmd_chat_export, N_("Export a chat as SillyTavern JSONL") },
  { "group", natter_cli_cmd_chat_group, N_("Show or change a group chat's members and order") },
  { "next", natter_cli_cmd_chat_next, N_("The next character's turn in a group chat") },
  { "impersonate", natter_cli_cmd_chat_impersonate, N_("Print a suggested message from you") },
  { "note", natter_cli_cmd_chat_note, N_("Show or set a chat's author's note") },
  { NULL }
};

static const Command commands[] = {
  { "providers", cmd_providers, N_("List the providers Natter knows") },
  { "profile", cmd_profile, N_("Manage connection profiles") },
  { "chat", cmd_chat, N_("Send a prompt, or manage and send in chats (chat --help)") },
  { "inspect", cmd_inspect, N_("Show the last request and response") },
  { "model", cmd_model, N_("List a profile's models with metadata, or set a model's metadata") },
  { "usage", cmd_usage, N_("What the exchanges cost, by chat, connection, day or month") },
  { "character", natter_cli_cmd_character, N_("Make, edit, import, list, show, export and delete characters") },
  { "search", natter_cli_cmd_search, N_("Search the messages of every chat") },
  { "prompt", natter_cli_cmd_prompt, N_("Show the request a chat would send, without sending") },
  { "persona", natter_cli_cmd_personas, N_("Manage your personas: who you are in chats") },
  { "preset", natter_cli_cmd_preset, N_("Manage presets: sampling, prompts and reasoning") },
  { "sidecar", natter_cli_cmd_sidecar, N_("Set the connection for titles and summaries") },
  { "lorebook", natter_cli_cmd_lorebook, N_("Make, edit, import, export and attach lorebooks") },
  { "mcp", natter_cli_cmd_mcp, N_("Add, import, list, inspect and remove MCP servers (tools)") },
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

int
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
  natter_i18n_init ();

  /* A closed pipe (natter-cli chat … | head) is not a crash. */
  signal (SIGPIPE, SIG_IGN);

  return run_subcommand (commands, NULL, argc, argv);
}
