/* natter-cli-tools.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-cli-private.h"
#include "natter-tool-loop.h"

G_BEGIN_DECLS

/* The options of natter-cli chat for tools and structured answers. */
typedef struct
{
  char  *schema_file;
  GStrv  mcp;
  GStrv  allow;
  int    max_rounds;
  /* made by cli_tools_prepare() */
  GObject    *host;       /* NatterMcpHost, nullable */
  JsonObject *schema;     /* nullable */
} CliTools;

void cli_tools_clear (CliTools *tools);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliTools, cli_tools_clear)

/* Appends --schema, --mcp, --allow-tool and --max-tool-rounds to @entries
 * (a new array, free with g_free()). */
GOptionEntry *cli_tools_add_entries (const GOptionEntry *entries,
                                     CliTools           *tools);

/* Checks the options, reads the schema and starts the MCP servers (their
 * notes go to stderr). FALSE with *@exit_code set on failure. */
gboolean      cli_tools_prepare     (CliTools           *tools,
                                     Engine             *engine,
                                     int                *exit_code);

/* FALSE (with *@exit_code) when @profile's API cannot take tools or a
 * schema that were asked for (text-completion backends). */
gboolean      cli_tools_check_profile (CliTools         *tools,
                                       Engine           *engine,
                                       NatterProfile    *profile,
                                       int              *exit_code);

/* A loop for one reply with the tools, the approver (a question on the
 * terminal, else --allow-tool decides; refusals said on stderr), the round
 * limit, and the calls shown on stderr as they happen. The schema goes into
 * @prompt. */
NatterToolLoop *cli_tools_make_loop (CliTools           *tools,
                                     Engine             *engine,
                                     NatterProfile      *profile,
                                     NatterPrompt       *prompt);

/* natter-cli chat send: the tools of the MCP servers chat @chat_id may use
 * (chosen in the app or with natter-cli), each call asked about on the
 * terminal, else denied, and shown on stderr. */
void          cli_tools_use_chat_servers (Engine           *engine,
                                          gint64            chat_id);

/* natter-cli chat show --json: the tool calls kept with message
 * @message_id, as "tool_calls" (omitted when none). */
void          cli_tools_add_events   (JsonBuilder      *builder,
                                      NatterDatabase   *database,
                                      gint64            message_id);

G_END_DECLS
