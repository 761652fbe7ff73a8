/* natter-cli-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "natter-catalog.h"
#include "natter-chat-store.h"
#include "natter-conversation.h"
#include "natter-client.h"
#include "natter-database.h"
#include "natter-dialect.h"
#include "natter-profile.h"
#include "natter-profile-store.h"
#include "natter-request-log.h"
#include "natter-secrets.h"

G_BEGIN_DECLS

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

/* The one engine of every command: what engine_open() opens (database,
 * profiles, request log, client) and what engine_open_chats() adds (chat
 * store, conversation engine). */
typedef struct
{
  NatterDatabase     *database;
  NatterProfileStore *profiles;
  NatterRequestLog   *log;
  NatterClient       *client;
  NatterChatStore    *store;
  NatterConversation *conv;
} Engine;
void     engine_clear            (Engine        *engine);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Engine, engine_clear)
/* Opens the database, profiles, request log and client. */
gboolean engine_open             (Engine        *engine,
                                  GError       **error);
/* The database and the chat store; @with_client: everything engine_open()
 * opens and the conversation engine too. */
gboolean engine_open_chats       (Engine        *engine,
                                  gboolean       with_client,
                                  GError       **error);
/* A chat or message id from the command line. */
gboolean cli_parse_id            (const char    *text,
                                  gint64        *id,
                                  int           *exit_code);
/* A character by name (case-insensitive), or by id. */
NatterCharacterRow *cli_lookup_character (Engine *engine,
                                  const char    *name,
                                  int           *exit_code);
/* The profile named @name, or the active one when @name is NULL. */
NatterProfile *cli_pick_profile  (Engine        *engine,
                                  const char    *name,
                                  int           *exit_code);
gboolean cli_write_file          (const char    *path,
                                  GBytes        *bytes,
                                  GError       **error);

/* JSON output */
void     cli_print_json_node     (JsonNode      *root);
void     json_add_string         (JsonBuilder   *builder,
                                  const char    *name,
                                  const char    *value);
void     json_add_int            (JsonBuilder   *builder,
                                  const char    *name,
                                  gint64         value);
void     json_add_bool           (JsonBuilder   *builder,
                                  const char    *name,
                                  gboolean       value);
/* Begins the object that names what a command made: its type, id and name. */
void     json_begin_made_object  (JsonBuilder   *builder,
                                  const char    *type,
                                  gint64         id,
                                  const char    *name);
void     json_add_ms             (JsonBuilder   *builder,
                                  const char    *name,
                                  gint64         value);
void     json_add_json_text      (JsonBuilder   *builder,
                                  const char    *name,
                                  const char    *text,
                                  gssize         len);

/* The stream printer (natter-cli-output.c): text to stdout, reasoning to
 * stderr (dim when @dim), flushed once per network chunk; a closed stdout
 * cancels @cancellable. */
typedef struct
{
  gboolean      stdout_dirty;
  gboolean      stderr_dirty;
  gboolean      in_reasoning;
  gboolean      dim;
  gboolean      ends_with_newline;
  gboolean      wrote_text;
  gboolean      stdout_closed;
  guint         flush_id;
  GCancellable *cancellable;
} CliOutput;

void     cli_output_on_delta     (const NatterDelta *delta,
                                  gpointer       user_data);
void     cli_output_end_reasoning (CliOutput    *out);
/* Flushes, ends the reasoning and the last line. */
void     cli_output_end          (CliOutput     *out);

/* Prints "natter-cli: <message>" on stderr; returns @code. */
int      fail                    (int            code,
                                  const char    *format,
                                  ...) G_GNUC_PRINTF (2, 3);
int      exit_code_for_category  (NatterErrorCategory category);
/* One line on stderr, "natter-cli: <category in words>: <message>", and
 * the exit code for it. */
int      fail_with_error         (const GError  *error);

/* Parses the options of one command; --help prints and exits. FALSE with
 * *@exit_code set on a usage error. */
gboolean parse_options           (const char    *parameter,
                                  const char    *summary,
                                  GOptionEntry  *entries,
                                  int           *argc,
                                  char        ***argv,
                                  int           *exit_code);
/* parse_options() for a command that takes no argument: a left-over one
 * is a usage error too. */
gboolean parse_options_no_args   (const char    *parameter,
                                  const char    *summary,
                                  GOptionEntry  *entries,
                                  int           *argc,
                                  char        ***argv,
                                  int           *exit_code);
/* parse_options() for a command that takes exactly one argument: any other
 * count is a usage error that says @expected. */
gboolean parse_options_one_arg   (const char    *parameter,
                                  const char    *summary,
                                  GOptionEntry  *entries,
                                  int           *argc,
                                  char        ***argv,
                                  const char    *expected,
                                  int           *exit_code);
void     print_json              (JsonBuilder   *builder);
char    *read_stdin              (gsize         *len);
char    *read_key_from_stdin     (GError       **error);
/* The stored profile called @name, or NULL after printing why. */
NatterProfile *lookup_profile    (Engine        *engine,
                                  const char    *name,
                                  int           *code);

/* Runs the default main context until an async call completes; Ctrl-C
 * (SIGINT/SIGTERM) cancels @cancellable. */
typedef struct
{
  GAsyncResult *result;
  GCancellable *cancellable;
} Wait;

void     wait_cb                 (GObject       *object,
                                  GAsyncResult  *result,
                                  gpointer       user_data);
void     wait_run                (Wait          *wait);
void     wait_clear              (Wait          *wait);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Wait, wait_clear)

/* The password of @proxy_url (shown, without a password) from standard
 * input: one line, or typed at an unechoed prompt when it is a terminal.
 * Free with natter_secrets_free(). */
char    *read_proxy_password     (const char    *proxy_url,
                                  GError       **error);

/* On standard error, before the first request: a warning when the
 * profile's key would go over plain http:// to a public host. */
void     warn_if_key_in_clear    (NatterClient  *client,
                                  NatterProfile *profile);

/* A command: name, entry point (argv[0] is the command name), summary. */
typedef struct
{
  const char *name;
  int (*func) (int argc, char **argv);
  const char *summary;
} Command;

int      run_subcommand          (const Command *table,
                                  const char    *prefix,
                                  int            argc,
                                  char         **argv);

/* natter-cli-profile.c */
int      cmd_providers           (int            argc,
                                  char         **argv);
int      cmd_profile             (int            argc,
                                  char         **argv);
/* Subcommands of "chat" for stored chats (issue 3: new, send, list, …);
 * natter-cli.c holds the table. */
extern const Command chat_subcommands[];

/* natter-cli-chat.c */
int      cmd_chat                (int            argc,
                                  char         **argv);
int      cmd_inspect             (int            argc,
                                  char         **argv);

/* natter-cli-providers.c: provider features */
typedef struct _ProviderOptions ProviderOptions;
ProviderOptions *provider_options_new           (void);
void             provider_options_free          (ProviderOptions  *opts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ProviderOptions, provider_options_free)
/* @entries plus the provider options (--cache, --or-…, --coding-plan,
 * --header …) writing into @opts. Free with g_free(). */
GOptionEntry    *provider_options_add_entries   (const GOptionEntry *entries,
                                                 ProviderOptions    *opts);
/* Applies the given options to @profile's settings (not saved yet); FALSE
 * with a usage message when one is malformed or wrong for the provider. */
gboolean         provider_options_apply         (ProviderOptions  *opts,
                                                 NatterProfile    *profile,
                                                 GError          **error);
/* After the profile is saved: the secret header values into the keyring. */
gboolean         provider_options_store_secrets (ProviderOptions  *opts,
                                                 NatterProfile    *profile,
                                                 GError          **error);
/* `profile show`: the connection's settings ("settings" in JSON; in text
 * the cache, routing, coding plan and header names, never a secret). */
void     provider_options_add_json (JsonBuilder   *builder,
                                    NatterProfile *profile);
void     provider_options_print  (NatterProfile *profile);
int      cmd_profile_credits     (int            argc,
                                  char         **argv);
int      cmd_profile_signin      (int            argc,
                                  char         **argv);
int      cmd_model               (int            argc,
                                  char         **argv);
int      cmd_usage               (int            argc,
                                  char         **argv);
/* natter-cli-mcp.c */
int      natter_cli_cmd_mcp      (int            argc,
                                  char         **argv);

/* natter-cli-groups.c: group chats for the chat commands. Each returns
 * an exit status. */
int      natter_cli_new_group_chat (Engine             *engine,
                                    const char * const *names,
                                    const char         *title,
                                    gint64             *chat_id);
/* After a reply in a group chat: its auto-mode turns, streamed. */
int      natter_cli_run_auto_turns (Engine             *engine,
                                    gint64              chat_id,
                                    NatterProfile      *profile);
int      natter_cli_import_group   (Engine             *engine,
                                    const char         *chat_path,
                                    const char         *group_path);
int      natter_cli_export_group   (Engine             *engine,
                                    gint64              chat_id,
                                    const char         *chat_path,
                                    const char         *group_path);

G_END_DECLS
