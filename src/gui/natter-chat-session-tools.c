/* natter-chat-session-tools.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The tools of a chat session: the MCP servers the chat may use (started
 * when the chat opens), the approval dialog for each call, and the calls
 * shown on the reply as they happen, with a toast when one fails. */

#define G_LOG_DOMAIN "natter-chat-session"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-chat-session-private.h"
#include "natter-conversation-tools.h"
#include "natter-mcp-host.h"
#include "natter-mcp-store.h"
#include "natter-gui-tool-approver.h"
#include "natter-tool-store.h"

typedef struct
{
  NatterConversation    *conversation;
  gint64                 chat_id;
  NatterMcpHost         *host;
  NatterGuiToolApprover *approver;
  GStrv                  names;
} SessionTools;

static void
session_tools_free (SessionTools *tools)
{
  /* The chat's tools go with its session. */
  natter_conversation_set_tools (tools->conversation, tools->chat_id, NULL, NULL);
  g_clear_object (&tools->conversation);
  g_clear_object (&tools->host);
  g_clear_object (&tools->approver);
  g_strfreev (tools->names);
  g_free (tools);
}

static void
host_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(NatterChatSession) self = user_data;
  g_auto(GStrv) notes = NULL;

  if (!natter_mcp_host_start_finish (NATTER_MCP_HOST (object), result, NULL))
    return;
  notes = natter_mcp_host_dup_notes (NATTER_MCP_HOST (object));
  for (guint i = 0; notes[i] != NULL; i++)
    _natter_chat_session_toast (self, notes[i]);
}

/* The newest call of the reply failed: the person hears of it. */
static void
toast_failure (NatterChatSession *self,
               const char        *json)
{
  g_autoptr(GPtrArray) events = natter_tool_events_from_json (json);
  NatterToolEvent *event;
  g_autofree char *title = NULL;
  const char *tool;

  if (events->len == 0)
    return;
  event = g_ptr_array_index (events, events->len - 1);
  tool = event->tool != NULL ? event->tool : event->call->name;
  if (event->outcome == NATTER_TOOL_OUTCOME_ERROR)
    title = g_strdup_printf (_("The tool “%s” failed: %s"), tool, event->result ? event->result : "");
  else if (event->outcome == NATTER_TOOL_OUTCOME_TIMED_OUT)
    title = g_strdup_printf (_("The tool “%s” did not answer in time"), tool);
  if (title != NULL)
    _natter_chat_session_toast (self, title);
}

static void
on_tool_event (NatterChatSession  *self,
               gint64              chat_id,
               gint64              message_id,
               NatterConversation *conversation)
{
  g_autoptr(NatterMessageItem) item = NULL;
  g_autofree char *json = NULL;

  if (chat_id != self->chat_id || self->chats == NULL)
    return;
  json = natter_tool_store_dup_events (natter_chat_store_get_database (self->chats), message_id);
  item = _natter_chat_session_find_item (self, message_id, NULL);
  if (item != NULL)
    natter_message_item_set_tool_events (item, json);
  toast_failure (self, json);
}

/* The chat has tools but the model does not take them: the person hears
 * why the reply used none. */
static void
on_tools_withheld (NatterChatSession  *self,
                   gint64              chat_id,
                   const char         *model,
                   NatterConversation *conversation)
{
  g_autofree char *title = NULL;

  if (chat_id != self->chat_id)
    return;
  title = g_strdup_printf (_("No tools offered: the model “%s” cannot call tools, by what is known of it"),
                           model);
  _natter_chat_session_toast (self, title);
}

void
_natter_chat_session_setup_tools (NatterChatSession *self)
{
  g_auto(GStrv) names = NULL;
  NatterDatabase *database;
  SessionTools *tools;

  if (self->conversation == NULL || self->chats == NULL)
    return;
  if (g_object_get_data (G_OBJECT (self), "natter-tool-events") == NULL)
    {
      g_signal_connect_object (self->conversation, "tool-event",
                               G_CALLBACK (on_tool_event), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->conversation, "tools-withheld",
                               G_CALLBACK (on_tools_withheld), self, G_CONNECT_SWAPPED);
      g_object_set_data (G_OBJECT (self), "natter-tool-events", GINT_TO_POINTER (1));
    }
  if (self->chat_id == 0)
    return;

  database = natter_chat_store_get_database (self->chats);
  names = natter_mcp_chat_servers_get (database, self->chat_id, NULL);
  tools = g_object_get_data (G_OBJECT (self), "natter-session-tools");
  /* The same servers: the running host stays. */
  if (tools != NULL && tools->chat_id == self->chat_id && names != NULL &&
      g_strv_equal ((const char * const *) names, (const char * const *) tools->names))
    return;
  /* The old host goes first: it takes its tools off the conversation. */
  g_object_set_data (G_OBJECT (self), "natter-session-tools", NULL);
  if (names == NULL || names[0] == NULL)
    return;

  tools = g_new0 (SessionTools, 1);
  tools->conversation = g_object_ref (self->conversation);
  tools->chat_id = self->chat_id;
  tools->host = natter_mcp_host_new (database, (const char * const *) names);
  tools->approver = natter_gui_tool_approver_new (GTK_APPLICATION (self->application), self->chats,
                                                  self->chat_id);
  tools->names = g_strdupv (names);
  natter_conversation_set_tools (self->conversation, self->chat_id,
                                 NATTER_TOOL_HOST (tools->host), NATTER_TOOL_APPROVER (tools->approver));
  natter_mcp_host_start_async (tools->host, NULL, host_started_cb, g_object_ref (self));
  g_object_set_data_full (G_OBJECT (self), "natter-session-tools", tools,
                          (GDestroyNotify) session_tools_free);
}

gboolean
natter_chat_session_get_tools_ready (NatterChatSession *self)
{
  SessionTools *tools;
  g_autoptr(GPtrArray) specs = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_SESSION (self), FALSE);

  tools = g_object_get_data (G_OBJECT (self), "natter-session-tools");
  if (tools == NULL)
    return FALSE;
  specs = natter_tool_host_list_tools (NATTER_TOOL_HOST (tools->host));
  return specs != NULL && specs->len > 0;
}

void
_natter_chat_session_reload_tool_events (NatterChatSession *self,
                                         NatterMessageItem *item)
{
  g_autofree char *json = NULL;

  if (self->chats == NULL || natter_message_item_get_kind (item) != NATTER_MESSAGE_KIND_ASSISTANT)
    return;
  json = natter_tool_store_dup_events (natter_chat_store_get_database (self->chats),
                                       natter_message_item_get_id (item));
  natter_message_item_set_tool_events (item, json);
}
