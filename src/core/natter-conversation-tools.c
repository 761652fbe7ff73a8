/* natter-conversation-tools.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-conversation"

#include "config.h"

#include "natter-conversation-private.h"
#include "natter-conversation-tools.h"
#include "natter-chat-schema.h"
#include "natter-mcp-host.h"
#include "natter-tool-store.h"
#include "natter-usage-store.h"

typedef struct
{
  NatterToolHost     *host;
  NatterToolApprover *approver;
} ChatTools;

typedef struct
{
  GHashTable *chats;   /* gint64 * → ChatTools */
  guint       max_rounds;
} Tools;

static guint tool_event_signal;
static guint tools_withheld_signal;

static void
chat_tools_free (ChatTools *tools)
{
  g_clear_object (&tools->host);
  g_clear_object (&tools->approver);
  g_free (tools);
}

static void
tools_free (Tools *tools)
{
  g_hash_table_unref (tools->chats);
  g_free (tools);
}

static Tools *
get_tools (NatterConversation *self)
{
  Tools *tools = g_object_get_data (G_OBJECT (self), "natter-tools");

  if (tools == NULL)
    {
      tools = g_new0 (Tools, 1);
      tools->chats = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                            (GDestroyNotify) chat_tools_free);
      tools->max_rounds = NATTER_TOOL_LOOP_DEFAULT_ROUNDS;
      g_object_set_data_full (G_OBJECT (self), "natter-tools", tools, (GDestroyNotify) tools_free);
    }
  return tools;
}

void
_natter_conversation_tools_class_init (GObjectClass *klass)
{
  /**
   * NatterConversation::tool-event:
   * @chat_id: the chat
   * @message_id: the reply
   *
   * A tool call of the reply started or ended; its calls are stored.
   */
  tool_event_signal =
    g_signal_new ("tool-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  /**
   * NatterConversation::tools-withheld:
   * @chat_id: the chat
   * @model: the model
   *
   * The chat has tools, but the model is known not to call tools: the
   * reply is asked for without them.
   */
  tools_withheld_signal =
    g_signal_new ("tools-withheld", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
}

void
natter_conversation_set_tools (NatterConversation *self,
                               gint64              chat_id,
                               NatterToolHost     *host,
                               NatterToolApprover *approver)
{
  Tools *tools;
  ChatTools *chat;

  g_return_if_fail (NATTER_IS_CONVERSATION (self));
  g_return_if_fail (host == NULL || NATTER_IS_TOOL_HOST (host));
  g_return_if_fail (approver == NULL || NATTER_IS_TOOL_APPROVER (approver));

  tools = get_tools (self);
  if (host == NULL && approver == NULL)
    {
      g_hash_table_remove (tools->chats, &chat_id);
      return;
    }
  chat = g_new0 (ChatTools, 1);
  chat->host = host != NULL ? g_object_ref (host) : NULL;
  chat->approver = approver != NULL ? g_object_ref (approver) : NULL;
  g_hash_table_replace (tools->chats, g_memdup2 (&chat_id, sizeof chat_id), chat);
}

void
natter_conversation_set_max_tool_rounds (NatterConversation *self,
                                         guint               rounds)
{
  g_return_if_fail (NATTER_IS_CONVERSATION (self));
  get_tools (self)->max_rounds = MAX (rounds, 1);
}

static ChatTools *
lookup (NatterConversation *self,
        gint64              chat_id)
{
  Tools *tools = get_tools (self);
  gint64 any = 0;
  ChatTools *chat = g_hash_table_lookup (tools->chats, &chat_id);

  return chat != NULL ? chat : g_hash_table_lookup (tools->chats, &any);
}

void
_natter_conversation_add_tools (NatterConversation *self,
                                gint64              chat_id,
                                NatterProfile      *profile,
                                const char         *model,
                                NatterPrompt       *prompt)
{
  ChatTools *chat = lookup (self, chat_id);
  g_autoptr(GPtrArray) specs = NULL;

  if (chat != NULL && chat->host != NULL &&
      natter_tool_loop_model_takes_tools (natter_conversation_get_client (self), profile, model))
    specs = natter_tool_host_list_tools (chat->host);
  for (guint i = 0; specs != NULL && i < specs->len; i++)
    natter_prompt_add_tool (prompt, natter_tool_spec_copy (g_ptr_array_index (specs, i)));
  natter_chat_schema_apply (natter_conversation_get_store (self), chat_id, prompt);
  /* As the tool loop sends it: without tools, earlier replies go as text. */
  for (guint i = 0; (prompt->tools == NULL || prompt->tools->len == 0) && i < prompt->messages->len; i++)
    {
      NatterPromptMessage *message = g_ptr_array_index (prompt->messages, i);

      g_clear_pointer (&message->tool_calls, g_ptr_array_unref);
      g_clear_pointer (&message->tool_results, g_ptr_array_unref);
    }
}

void
_natter_conversation_add_history_tools (NatterConversation  *self,
                                        NatterPromptBuilder *builder,
                                        NatterChatMessage   *message)
{
  NatterChatStore *store = natter_conversation_get_store (self);
  g_autofree char *json = NULL;
  g_autoptr(GPtrArray) events = NULL;
  NatterPromptMessage *tools;

  if (natter_chat_message_get_role (message) != NATTER_ROLE_ASSISTANT ||
      (json = natter_tool_store_dup_events (natter_chat_store_get_database (store),
                                            natter_chat_message_get_id (message))) == NULL)
    return;
  events = natter_tool_events_from_json (json);
  tools = natter_tool_loop_history_message (events);
  if (tools == NULL)
    return;
  natter_prompt_builder_set_last_tools (builder, tools);
  natter_prompt_message_free (tools);
}

typedef struct
{
  NatterConversation *self;
  gint64              chat_id;
  gint64              reply_id;
} EventData;

static void
event_data_free (gpointer data,
                 GClosure *closure)
{
  EventData *event_data = data;

  g_object_unref (event_data->self);
  g_free (event_data);
}

static void
loop_tool_event_cb (NatterToolLoop  *loop,
                    NatterToolEvent *event,
                    EventData       *data)
{
  NatterChatStore *store = natter_conversation_get_store (data->self);
  g_autofree char *json = natter_tool_events_to_json (natter_tool_loop_get_events (loop));
  g_autoptr(GError) error = NULL;

  if (!natter_tool_store_set_events (natter_chat_store_get_database (store), data->reply_id,
                                     json, &error))
    g_warning ("Cannot save the tool calls of reply %" G_GINT64_FORMAT ": %s",
               data->reply_id, error->message);
  g_signal_emit (data->self, tool_event_signal, 0, data->chat_id, data->reply_id);
}

static void
loop_tools_withheld_cb (NatterToolLoop *loop,
                        const char     *model,
                        EventData      *data)
{
  g_signal_emit (data->self, tools_withheld_signal, 0, data->chat_id, model);
}

typedef struct
{
  NatterToolLoop      *loop;
  NatterPrompt        *prompt;
  NatterGenParams      params;
  NatterDeltaFunc      on_delta;
  gpointer             delta_data;
  GCancellable        *cancellable;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} Pending;

static void
host_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pending *pending = user_data;

  /* Cancelled: the loop's first request then says so. */
  natter_mcp_host_start_finish (NATTER_MCP_HOST (object), result, NULL);
  natter_tool_loop_run_async (pending->loop, pending->prompt, &pending->params, pending->on_delta,
                              pending->delta_data, pending->cancellable, pending->callback,
                              pending->user_data);
  natter_gen_params_clear (&pending->params);
  g_clear_object (&pending->cancellable);
  g_object_unref (pending->loop);
  g_free (pending);
}

void
_natter_conversation_run_reply (NatterConversation    *self,
                                gint64                 chat_id,
                                gint64                 reply_id,
                                NatterProfile         *profile,
                                NatterPrompt          *prompt,
                                const NatterGenParams *params,
                                NatterDeltaFunc        on_delta,
                                gpointer               delta_data,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(NatterToolLoop) loop = natter_tool_loop_new (natter_conversation_get_client (self), profile);
  ChatTools *chat = lookup (self, chat_id);
  EventData *data = g_new0 (EventData, 1);

  if (chat != NULL)
    {
      natter_tool_loop_set_host (loop, chat->host);
      natter_tool_loop_set_approver (loop, chat->approver);
    }
  natter_tool_loop_set_max_rounds (loop, get_tools (self)->max_rounds);
  /* The chat's response format, when it is on. */
  natter_chat_schema_apply (natter_conversation_get_store (self), chat_id, prompt);
  data->self = g_object_ref (self);
  data->chat_id = chat_id;
  data->reply_id = reply_id;
  g_signal_connect_data (loop, "tool-event", G_CALLBACK (loop_tool_event_cb), data,
                         event_data_free, 0);
  g_signal_connect (loop, "tools-withheld", G_CALLBACK (loop_tools_withheld_cb), data);
  g_object_set_data (G_OBJECT (loop), "natter-event-data", data);

  /* MCP servers start when first needed, and again after a crash: the
   * reply waits for them so that their tools are offered. */
  if (chat != NULL && NATTER_IS_MCP_HOST (chat->host))
    {
      Pending *pending = g_new0 (Pending, 1);

      /* Each server has its own time limit (a setting), kept by the host. */
      natter_tool_loop_set_timeout (loop, 0);

      pending->loop = g_object_ref (loop);
      pending->prompt = prompt;
      natter_gen_params_copy (&pending->params, params);
      pending->on_delta = on_delta;
      pending->delta_data = delta_data;
      pending->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
      pending->callback = callback;
      pending->user_data = user_data;
      natter_mcp_host_start_async (NATTER_MCP_HOST (chat->host), cancellable, host_started_cb, pending);
      return;
    }
  natter_tool_loop_run_async (loop, prompt, params, on_delta, delta_data, cancellable,
                              callback, user_data);
}

NatterChatResult *
_natter_conversation_run_reply_finish (GAsyncResult  *result,
                                       gint64        *log_entry_id,
                                       GError       **error)
{
  NatterToolLoop *loop = g_task_get_source_object (G_TASK (result));
  EventData *data = g_object_get_data (G_OBJECT (loop), "natter-event-data");
  GArray *log_ids = natter_tool_loop_get_log_entry_ids (loop);

  /* The cost of every round belongs to the chat (the caller ties the last). */
  for (guint i = 0; data != NULL && i + 1 < log_ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      NatterChatStore *store = natter_conversation_get_store (data->self);

      if (!natter_usage_store_set_chat (natter_chat_store_get_database (store),
                                        g_array_index (log_ids, gint64, i), data->chat_id,
                                        &local_error))
        g_warning ("Cannot tie the cost of a tool round to chat %" G_GINT64_FORMAT ": %s",
                   data->chat_id, local_error->message);
    }
  /* The inspector says what the later rounds were sent for. */
  for (guint i = 1; data != NULL && i < log_ids->len; i++)
    natter_preset_store_note_request (natter_conversation_get_preset_store (data->self),
                                      g_array_index (log_ids, gint64, i), "chat-tools", NULL, NULL);
  return natter_tool_loop_run_finish (loop, result, log_entry_id, error);
}
