/* natter-cli-chats.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The chats and characters commands of natter-cli. Each takes the
 * arguments after "natter-cli" with argv[0] the command's own name and
 * returns the exit status. */

/* "character import|list|show|export|delete …" */
int      natter_cli_cmd_character      (int          argc,
                                        char       **argv);
/* "search QUERY [--json]" */
int      natter_cli_cmd_search         (int          argc,
                                        char       **argv);
/* "prompt CHAT_ID [--json]" */
int      natter_cli_cmd_persona        (int          argc,
                                        char       **argv);
int      natter_cli_cmd_prompt         (int          argc,
                                        char       **argv);

/* "chat new|send|list|show|delete|swipe|branch|import|export …" with
 * argv[0] the subcommand's name (natter-cli.c lists them in
 * chat_subcommands). */
int      natter_cli_cmd_chat_new     (int          argc,
                                     char       **argv);
int      natter_cli_cmd_chat_send    (int          argc,
                                     char       **argv);
int      natter_cli_cmd_chat_list    (int          argc,
                                     char       **argv);
int      natter_cli_cmd_chat_show    (int          argc,
                                     char       **argv);
int      natter_cli_cmd_chat_delete  (int          argc,
                                     char       **argv);
int      natter_cli_cmd_chat_swipe   (int          argc,
                                     char       **argv);
int      natter_cli_cmd_chat_branch  (int          argc,
                                     char       **argv);
int      natter_cli_cmd_chat_import  (int          argc,
                                     char       **argv);
int      natter_cli_cmd_chat_export  (int          argc,
                                     char       **argv);

/* A chat's author's note (natter-cli-note.c). */
int      natter_cli_cmd_chat_note        (int          argc,
                                          char       **argv);

/* Group chats and impersonation (natter-cli-groups.c). */
int      natter_cli_cmd_chat_group       (int          argc,
                                          char       **argv);
int      natter_cli_cmd_chat_next        (int          argc,
                                          char       **argv);
int      natter_cli_cmd_chat_impersonate (int          argc,
                                          char       **argv);

/* For the help of "chat": the subcommands, one a line. */
#define NATTER_CLI_CHAT_SUBCOMMANDS_HELP \
  N_("Chat subcommands (natter-cli chat SUBCOMMAND --help for each):\n" \
     "  new [--character NAME] [--title T] [--preset NAME]  start a chat, print its id\n" \
     "  send CHAT_ID [-p PROFILE] [--preset NAME] TEXT      send in a chat, stream and store the reply\n" \
     "  continue CHAT_ID [-p PROFILE]             extend the last reply in place\n" \
     "  list [--character NAME] [--json]          list chats\n" \
     "  show CHAT_ID [--json]                     show a chat's messages\n" \
     "  delete CHAT_ID                            delete a chat\n" \
     "  swipe CHAT_ID [-p PROFILE]                another reply to the last message\n" \
     "  branch CHAT_ID MESSAGE_ID                 fork a chat at a message\n" \
     "  import FILE.jsonl [--character NAME]      import a SillyTavern chat\n" \
     "  export CHAT_ID -o FILE.jsonl              export a SillyTavern chat\n" \
     "  new --character A --character B [--title T]   start a group chat\n" \
     "  group CHAT_ID [--add NAME] [--remove NAME] [--mute NAME] [--unmute NAME]\n" \
     "        [--order natural|list|manual] [--cards swap|join] [--auto N]   change a group chat\n" \
     "  next CHAT_ID [--speaker NAME] [-p PROFILE]     the next character's turn\n" \
     "  impersonate CHAT_ID [-p PROFILE]          print a suggested message from you\n" \
     "  import FILE.jsonl --group FILE.json       import a SillyTavern group chat\n" \
     "  export CHAT_ID -o FILE.jsonl --group FILE.json   and its group definition\n" \
     "A one-word prompt equal to a subcommand needs “--” before it: natter-cli chat -- list")

G_END_DECLS
