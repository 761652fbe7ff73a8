/* natter-cli-tools.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Tools in natter-cli chat: the MCP servers named with --mcp, a call
 * allowed by --allow-tool SERVER/TOOL (or SERVER/ followed by a star) or by the person at
 * the terminal, everything else denied with a word on stderr. */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "natter-cli-tools.h"
#include "natter-json-schema.h"
#include "natter-conversation-tools.h"
#include "natter-mcp-host.h"
#include "natter-mcp-store.h"
#include "natter-tool-store.h"

/* ------------------------------------------------------------ approver */

#define NATTER_TYPE_CLI_APPROVER (natter_cli_approver_get_type ())
G_DECLARE_FINAL_TYPE (NatterCliApprover, natter_cli_approver, NATTER, CLI_APPROVER, GObject)

struct _NatterCliApprover
{
  GObject  parent_instance;
  GStrv    allow;
  gboolean ask;   /* a person is at the terminal */
};

static void approver_iface_init (NatterToolApproverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NatterCliApprover, natter_cli_approver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (NATTER_TYPE_TOOL_APPROVER, approver_iface_init))

static gboolean
allowed (NatterCliApprover    *self,
         const NatterToolSpec *spec)
{
  const char *server = spec->server != NULL ? spec->server : "";
  const char *tool = spec->tool != NULL ? spec->tool : spec->name;

  for (guint i = 0; self->allow != NULL && self->allow[i] != NULL; i++)
    {
      const char *slash = strchr (self->allow[i], '/');

      if (slash == NULL)
        continue;
      if (strncmp (self->allow[i], server, slash - self->allow[i]) == 0 &&
          server[slash - self->allow[i]] == '\0' &&
          (g_str_equal (slash + 1, "*") || g_str_equal (slash + 1, tool)))
        return TRUE;
    }
  return FALSE;
}

/* In a thread: the question on stderr, one line of answer on stdin. */
static void
ask_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  char line[64];

  fputs (task_data, stderr);
  fflush (stderr);
  if (fgets (line, sizeof line, stdin) == NULL)
    {
      g_task_return_int (task, NATTER_TOOL_DENY);
      return;
    }
  g_strstrip (line);
  if (g_ascii_strcasecmp (line, "y") == 0 || g_ascii_strcasecmp (line, "yes") == 0)
    g_task_return_int (task, NATTER_TOOL_ALLOW_ONCE);
  else if (g_ascii_strcasecmp (line, "a") == 0 || g_ascii_strcasecmp (line, "always") == 0)
    g_task_return_int (task, NATTER_TOOL_ALLOW_ALWAYS);
  else
    g_task_return_int (task, NATTER_TOOL_DENY);
}

static void
approve_async (NatterToolApprover   *approver,
               const NatterToolSpec *spec,
               const NatterToolCall *call,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data)
{
  NatterCliApprover *self = NATTER_CLI_APPROVER (approver);
  g_autoptr(GTask) task = g_task_new (approver, cancellable, callback, user_data);
  const char *server = spec->server != NULL ? spec->server : "";
  const char *tool = spec->tool != NULL ? spec->tool : spec->name;

  if (allowed (self, spec))
    {
      g_task_return_int (task, NATTER_TOOL_ALLOW_ONCE);
      return;
    }
  if (!self->ask)
    {
      fprintf (stderr, _("Denied a call of %s/%s: not allowed with --allow-tool, and there is no terminal to ask on\n"),
               server, tool);
      fflush (stderr);
      g_task_return_int (task, NATTER_TOOL_DENY);
      return;
    }
  g_task_set_task_data (task,
                        g_strdup_printf (_("\nThe model wants to call %s/%s with %s\n"
                                           "Allow? [y]es once, [a]lways, [N]o: "),
                                         server, tool, call->arguments),
                        g_free);
  /* Ctrl+C while the question waits stops the reply without an answer. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, ask_thread);
}

static NatterToolDecision
approve_finish (NatterToolApprover  *approver,
                GAsyncResult        *result,
                GError             **error)
{
  gssize value = g_task_propagate_int (G_TASK (result), error);

  return value < 0 ? NATTER_TOOL_DENY : (NatterToolDecision) value;
}

static void
approver_iface_init (NatterToolApproverInterface *iface)
{
  iface->approve_async = approve_async;
  iface->approve_finish = approve_finish;
}

static void
natter_cli_approver_finalize (GObject *object)
{
  g_strfreev (NATTER_CLI_APPROVER (object)->allow);
  G_OBJECT_CLASS (natter_cli_approver_parent_class)->finalize (object);
}

static void
natter_cli_approver_class_init (NatterCliApproverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_cli_approver_finalize;
}

static void
natter_cli_approver_init (NatterCliApprover *self)
{
}

/* ------------------------------------------------------------ options */

void
cli_tools_clear (CliTools *tools)
{
  g_clear_pointer (&tools->schema_file, g_free);
  g_clear_pointer (&tools->mcp, g_strfreev);
  g_clear_pointer (&tools->allow, g_strfreev);
  g_clear_object (&tools->host);
  g_clear_pointer (&tools->schema, json_object_unref);
}

GOptionEntry *
cli_tools_add_entries (const GOptionEntry *entries,
                       CliTools           *tools)
{
  const GOptionEntry extra[] = {
    { "schema", 0, 0, G_OPTION_ARG_FILENAME, &tools->schema_file, N_("Ask for an answer that follows this JSON Schema, and check it"), N_("FILE.json") },
    { "mcp", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tools->mcp, N_("Offer the tools of this MCP server (repeatable)"), N_("NAME") },
    { "allow-tool", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tools->allow, N_("Run this tool without asking (SERVER/TOOL or SERVER/*; repeatable)"), N_("SERVER/TOOL") },
    { "max-tool-rounds", 0, 0, G_OPTION_ARG_INT, &tools->max_rounds, N_("Rounds of tool calls before giving up (default 8)"), N_("N") },
    { NULL }
  };
  guint n = 0;
  GOptionEntry *all;

  while (entries[n].long_name != NULL)
    n++;
  all = g_new0 (GOptionEntry, n + G_N_ELEMENTS (extra));
  memcpy (all, entries, n * sizeof *entries);
  memcpy (all + n, extra, sizeof extra);
  tools->max_rounds = NATTER_TOOL_LOOP_DEFAULT_ROUNDS;
  return all;
}

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  natter_mcp_host_start_finish (NATTER_MCP_HOST (object), result, NULL);
  *done = TRUE;
}

gboolean
cli_tools_prepare (CliTools *tools,
                   Engine   *engine,
                   int      *exit_code)
{
  if (tools->max_rounds < 1)
    {
      *exit_code = fail (EXIT_USAGE, _("--max-tool-rounds must be at least 1"));
      return FALSE;
    }
  for (guint i = 0; tools->allow != NULL && tools->allow[i] != NULL; i++)
    if (strchr (tools->allow[i], '/') == NULL)
      {
        *exit_code = fail (EXIT_USAGE, _("--allow-tool takes SERVER/TOOL, not “%s”"), tools->allow[i]);
        return FALSE;
      }

  if (tools->schema_file != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      gsize len;

      if (!g_file_get_contents (tools->schema_file, &text, &len, &error))
        {
          *exit_code = fail (EXIT_USAGE, "%s", error->message);
          return FALSE;
        }
      tools->schema = natter_json_schema_parse (text, len, &error);
      if (tools->schema == NULL)
        {
          *exit_code = fail (EXIT_USAGE, "%s: %s", tools->schema_file, error->message);
          return FALSE;
        }
    }

  if (tools->mcp != NULL && tools->mcp[0] != NULL)
    {
      NatterMcpHost *host = natter_mcp_host_new (engine->database, (const char * const *) tools->mcp);
      g_auto(GStrv) notes = NULL;
      gboolean done = FALSE;

      tools->host = G_OBJECT (host);
      natter_mcp_host_start_async (host, NULL, started_cb, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      notes = natter_mcp_host_dup_notes (host);
      for (guint i = 0; notes[i] != NULL; i++)
        fprintf (stderr, "%s\n", notes[i]);
      fflush (stderr);
    }
  return TRUE;
}

gboolean
cli_tools_check_profile (CliTools      *tools,
                         Engine        *engine,
                         NatterProfile *profile,
                         int           *exit_code)
{
  const NatterDialect *dialect = NULL;

  if (tools->schema == NULL && tools->host == NULL)
    return TRUE;
  if (!natter_client_resolve (engine->client, profile, NULL, &dialect, NULL, NULL) ||
      !dialect->text_completion)
    return TRUE;
  *exit_code = fail (EXIT_USAGE,
                     tools->schema != NULL
                     ? _("Profile “%s” completes text: it cannot be asked for an answer that follows a schema")
                     : _("Profile “%s” completes text: it cannot call tools"),
                     natter_profile_get_name (profile));
  return FALSE;
}

static void
tool_event_cb (NatterToolLoop  *loop,
               NatterToolEvent *event,
               gpointer         user_data)
{
  const char *server = event->server != NULL ? event->server : "?";
  const char *tool = event->tool != NULL ? event->tool : event->call->name;

  if (event->outcome == NATTER_TOOL_OUTCOME_RUNNING)
    fprintf (stderr, "→ %s/%s %s\n", server, tool, event->call->arguments);
  else
    fprintf (stderr, "← %s/%s (%s) %.200s\n", server, tool,
             natter_tool_outcome_to_string (event->outcome), event->result ? event->result : "");
  fflush (stderr);
}

static void
tools_withheld_cb (GObject    *source,
                   const char *model,
                   gpointer    user_data)
{
  fprintf (stderr, _("No tools offered: the model “%s” cannot call tools, by what is known of it (“natter-cli model set PROFILE %s tools=true” says otherwise)\n"),
           model, model);
  fflush (stderr);
}

static void
chat_tools_withheld_cb (NatterConversation *conversation,
                        gint64              chat_id,
                        const char         *model,
                        gpointer            user_data)
{
  tools_withheld_cb (NULL, model, NULL);
}

NatterToolLoop *
cli_tools_make_loop (CliTools      *tools,
                     Engine        *engine,
                     NatterProfile *profile,
                     NatterPrompt  *prompt)
{
  NatterToolLoop *loop = natter_tool_loop_new (engine->client, profile);
  g_autoptr(NatterCliApprover) approver = g_object_new (NATTER_TYPE_CLI_APPROVER, NULL);

  approver->allow = g_strdupv (tools->allow);
  approver->ask = isatty (STDIN_FILENO) && isatty (STDERR_FILENO);
  natter_tool_loop_set_approver (loop, NATTER_TOOL_APPROVER (approver));
  natter_tool_loop_set_max_rounds (loop, (guint) tools->max_rounds);
  if (tools->host != NULL)
    {
      natter_tool_loop_set_host (loop, NATTER_TOOL_HOST (tools->host));
      /* Each server has its own time limit, kept by the host. */
      natter_tool_loop_set_timeout (loop, 0);
    }
  if (tools->schema != NULL)
    {
      g_autofree char *base = g_path_get_basename (tools->schema_file);
      char *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      /* OpenAI wants a name of [a-zA-Z0-9_-]. */
      g_strcanon (base, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", '_');
      natter_prompt_set_schema (prompt, tools->schema, base);
    }
  g_signal_connect (loop, "tool-event", G_CALLBACK (tool_event_cb), NULL);
  g_signal_connect (loop, "tools-withheld", G_CALLBACK (tools_withheld_cb), NULL);
  return loop;
}

static void
chat_tool_event_cb (NatterConversation *conversation,
                    gint64              chat_id,
                    gint64              message_id,
                    Engine             *engine)
{
  g_autofree char *json = natter_tool_store_dup_events (engine->database, message_id);
  g_autoptr(GPtrArray) events = natter_tool_events_from_json (json);

  /* Calls run one after the other: the newest one is the one that changed. */
  if (events->len > 0)
    tool_event_cb (NULL, g_ptr_array_index (events, events->len - 1), NULL);
}

void
cli_tools_use_chat_servers (Engine *engine,
                            gint64  chat_id)
{
  g_auto(GStrv) names = natter_mcp_chat_servers_get (engine->database, chat_id, NULL);
  g_autoptr(NatterMcpHost) host = NULL;
  g_autoptr(NatterCliApprover) approver = NULL;

  if (names == NULL || names[0] == NULL)
    return;
  host = natter_mcp_host_new (engine->database, (const char * const *) names);
  approver = g_object_new (NATTER_TYPE_CLI_APPROVER, NULL);
  approver->ask = isatty (STDIN_FILENO) && isatty (STDERR_FILENO);
  /* What the person allowed for good in this chat (in the app) runs. */
  approver->allow = natter_tool_store_dup_allowed (engine->store, chat_id);
  natter_conversation_set_tools (engine->conv, chat_id, NATTER_TOOL_HOST (host),
                                 NATTER_TOOL_APPROVER (approver));
  g_signal_connect (engine->conv, "tool-event", G_CALLBACK (chat_tool_event_cb), engine);
  g_signal_connect (engine->conv, "tools-withheld", G_CALLBACK (chat_tools_withheld_cb), NULL);
}

void
cli_tools_add_events (JsonBuilder    *builder,
                      NatterDatabase *database,
                      gint64          message_id)
{
  g_autofree char *json = natter_tool_store_dup_events (database, message_id);

  if (json != NULL)
    json_add_json_text (builder, "tool_calls", json, -1);
}
