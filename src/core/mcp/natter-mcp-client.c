/* natter-mcp-client.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-mcp"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-json.h"
#include "natter-mcp-client-private.h"

/* A hostile server could page forever: we stop listing after this many
 * pages or tools. */
#define MAX_LIST_PAGES 100
#define MAX_TOOLS 1000

enum {
  SIGNAL_TOOLS_CHANGED,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NatterMcpClient, natter_mcp_client, G_TYPE_OBJECT)

static void list_tools (NatterMcpClient *self);

/* ------------------------------------------------------------ pending */

static void
pending_free (Pending *p)
{
  if (p->timeout_source != NULL)
    {
      g_source_destroy (p->timeout_source);
      g_source_unref (p->timeout_source);
    }
  if (p->cancel_source != NULL)
    {
      g_source_destroy (p->cancel_source);
      g_source_unref (p->cancel_source);
    }
  g_clear_object (&p->http_cancellable);
  g_clear_object (&p->task);
  g_free (p->method);
  g_free (p);
}

Pending *
_natter_mcp_client_lookup (NatterMcpClient *self,
                           gint64           id)
{
  return g_hash_table_lookup (self->pending, &id);
}

/* Removes the entry from the table; the caller completes and frees it. */
static Pending *
pending_take (NatterMcpClient *self,
              gint64           id)
{
  Pending *p = NULL;
  gpointer key = NULL;

  if (!g_hash_table_steal_extended (self->pending, &id, &key, (gpointer *) &p))
    return NULL;
  g_free (key);
  if (p->http_cancellable != NULL)
    g_cancellable_cancel (p->http_cancellable);
  return p;
}

static void
send_text (NatterMcpClient *self,
           const char      *text,
           Pending         *pending)
{
  if (self->state == CLIENT_CLOSED || self->state == CLIENT_IDLE)
    return;
  g_debug ("→ %s: %.200s", self->config->name, text);
  if (self->config->transport == NATTER_MCP_TRANSPORT_STDIO)
    _natter_mcp_stdio_send (self, text);
  else
    _natter_mcp_http_send (self, text, pending);
}

void
_natter_mcp_client_fail (NatterMcpClient *self,
                         gint64           id,
                         GError          *error)
{
  Pending *p = pending_take (self, id);

  if (p == NULL)
    {
      g_error_free (error);
      return;
    }
  g_task_return_error (p->task, error);
  pending_free (p);
}

static void
send_cancelled (NatterMcpClient *self,
                gint64           id,
                const char      *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) params = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requestId");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);
  text = natter_mcp_message_build_notification ("notifications/cancelled", params);
  send_text (self, text, NULL);
}

static gboolean
on_request_timeout (gpointer data)
{
  Pending *p = data;
  NatterMcpClient *self = p->client;

  p = pending_take (self, p->id);
  g_return_val_if_fail (p != NULL, G_SOURCE_REMOVE);
  if (p->cancellable_on_server)
    send_cancelled (self, p->id, "timed out");
  g_task_return_new_error (p->task, NATTER_MCP_ERROR, NATTER_MCP_ERROR_TIMEOUT,
                           _("Server “%s” did not answer within %u s."),
                           self->config->name, self->timeout);
  pending_free (p);
  return G_SOURCE_REMOVE;
}

static gboolean
on_request_cancelled (GCancellable *cancellable,
                      gpointer      data)
{
  Pending *p = data;
  NatterMcpClient *self = p->client;

  p = pending_take (self, p->id);
  g_return_val_if_fail (p != NULL, G_SOURCE_REMOVE);
  if (p->cancellable_on_server)
    send_cancelled (self, p->id, "cancelled");
  g_task_return_new_error (p->task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  pending_free (p);
  return G_SOURCE_REMOVE;
}

/* Sends a request; the task's result is the "result" member (a JsonNode). */
static void
request_async (NatterMcpClient     *self,
               const char          *method,
               JsonNode            *params,
               gboolean             cancellable_on_server,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  Pending *p = g_new0 (Pending, 1);
  g_autofree char *text = NULL;
  gint64 *key;

  p->client = self;
  p->id = ++self->next_id;
  p->method = g_strdup (method);
  p->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (p->task, request_async);
  p->cancellable_on_server = cancellable_on_server;

  if (self->state == CLIENT_CLOSED || self->state == CLIENT_IDLE)
    {
      g_task_return_new_error (p->task, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CLOSED,
                               _("Server “%s” is not running."), self->config->name);
      pending_free (p);
      return;
    }

  p->timeout_source = g_timeout_source_new_seconds (self->timeout);
  g_source_set_callback (p->timeout_source, on_request_timeout, p, NULL);
  g_source_attach (p->timeout_source, g_main_context_get_thread_default ());
  if (cancellable != NULL)
    {
      p->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (p->cancel_source, G_SOURCE_FUNC (on_request_cancelled), p, NULL);
      g_source_attach (p->cancel_source, g_main_context_get_thread_default ());
    }
  if (self->config->transport == NATTER_MCP_TRANSPORT_HTTP)
    p->http_cancellable = g_cancellable_new ();

  key = g_new (gint64, 1);
  *key = p->id;
  g_hash_table_insert (self->pending, key, p);
  text = natter_mcp_message_build_request (p->id, method, params);
  send_text (self, text, p);
}

static JsonNode *
request_finish (NatterMcpClient  *self,
                GAsyncResult     *result,
                GError          **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------ receiving */

static void
handle_request (NatterMcpClient  *self,
                NatterMcpMessage *message)
{
  g_autofree char *text = NULL;

  if (g_str_equal (message->method, "ping"))
    text = natter_mcp_message_build_result (message->id, NULL);
  else
    text = natter_mcp_message_build_error (message->id, -32601, "Method not found");
  send_text (self, text, NULL);
}

static void
handle_notification (NatterMcpClient  *self,
                     NatterMcpMessage *message)
{
  if (g_str_equal (message->method, "notifications/tools/list_changed"))
    {
      if (self->state != CLIENT_READY)
        return;
      if (self->listing)
        self->relist = TRUE;
      else
        list_tools (self);
    }
  else
    g_debug ("%s: notification %s", self->config->name, message->method);
}

static void
handle_response (NatterMcpClient  *self,
                 NatterMcpMessage *message)
{
  gint64 id = natter_mcp_message_get_int_id (message);
  Pending *p;

  if (id < 0 || (p = pending_take (self, id)) == NULL)
    {
      /* A late answer to a request that timed out or was cancelled. */
      g_debug ("%s: answer to no request in flight", self->config->name);
      return;
    }
  if (message->kind == NATTER_MCP_MESSAGE_RESULT)
    g_task_return_pointer (p->task, json_node_ref (message->result), (GDestroyNotify) json_node_unref);
  else
    g_task_return_new_error (p->task, NATTER_MCP_ERROR, NATTER_MCP_ERROR_SERVER,
                             _("Server “%s” answered with an error: %s (%lld)"),
                             self->config->name, message->error_message, (long long) message->error_code);
  pending_free (p);
}

void
_natter_mcp_client_receive (NatterMcpClient *self,
                            const char      *data,
                            gsize            len)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterMcpClient) hold = g_object_ref (self);

  if (self->state == CLIENT_CLOSED)
    return;
  g_debug ("← %s: %.*s", self->config->name, (int) MIN (len, 200), data);
  messages = natter_mcp_message_parse (data, len, &error);
  if (messages == NULL)
    {
      GError *closing = g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                                     _("Server “%s”: %s"), self->config->name, error->message);

      _natter_mcp_client_close (self, closing);
      return;
    }
  for (guint i = 0; i < messages->len && self->state != CLIENT_CLOSED; i++)
    {
      NatterMcpMessage *message = g_ptr_array_index (messages, i);

      switch (message->kind)
        {
        case NATTER_MCP_MESSAGE_REQUEST:
          handle_request (self, message);
          break;
        case NATTER_MCP_MESSAGE_NOTIFICATION:
          handle_notification (self, message);
          break;
        case NATTER_MCP_MESSAGE_RESULT:
        case NATTER_MCP_MESSAGE_ERROR:
        default:
          handle_response (self, message);
          break;
        }
    }
}

/* ------------------------------------------------------------ lifecycle */

static void
fail_waiters (NatterMcpClient *self,
              const GError    *error)
{
  GList *waiters = g_steal_pointer (&self->start_waiters);

  for (GList *l = waiters; l != NULL; l = l->next)
    {
      g_autoptr(GTask) task = l->data;

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_list_free (waiters);
}

void
_natter_mcp_client_close (NatterMcpClient *self,
                          GError          *error)
{
  g_autoptr(NatterMcpClient) hold = g_object_ref (self);
  g_autoptr(GList) ids = NULL;

  if (self->state == CLIENT_CLOSED || self->state == CLIENT_IDLE)
    {
      g_clear_error (&error);
      return;
    }

  if (error == NULL)
    error = g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_CLOSED,
                         _("Server “%s” closed the connection."), self->config->name);
  g_debug ("%s: closed: %s", self->config->name, error->message);
  g_clear_error (&self->error);
  self->error = error;
  self->state = CLIENT_CLOSED;
  self->listing = FALSE;
  self->relist = FALSE;
  g_cancellable_cancel (self->io_cancellable);

  if (self->config->transport == NATTER_MCP_TRANSPORT_STDIO)
    _natter_mcp_stdio_close (self);
  else
    _natter_mcp_http_close (self);

  ids = g_hash_table_get_keys (self->pending);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      Pending *p = pending_take (self, *(gint64 *) l->data);

      if (p == NULL)
        continue;
      g_task_return_error (p->task, g_error_copy (self->error));
      pending_free (p);
    }
  fail_waiters (self, self->error);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

typedef struct
{
  GPtrArray *tools;
  guint      pages;
} ListData;

static void
list_data_free (ListData *data)
{
  g_ptr_array_unref (data->tools);
  g_free (data);
}

static void
list_done (NatterMcpClient *self,
           GPtrArray       *tools)
{
  gboolean was_starting = self->state == CLIENT_STARTING;

  self->listing = FALSE;
  g_clear_pointer (&self->tools, g_ptr_array_unref);
  self->tools = g_ptr_array_ref (tools);
  if (was_starting)
    {
      self->state = CLIENT_READY;
      if (self->config->transport == NATTER_MCP_TRANSPORT_HTTP)
        _natter_mcp_http_listen (self);
      fail_waiters (self, NULL);
    }
  else
    g_signal_emit (self, signals[SIGNAL_TOOLS_CHANGED], 0);

  if (self->relist && self->state == CLIENT_READY)
    {
      self->relist = FALSE;
      list_tools (self);
    }
}

static void
add_tools (NatterMcpClient *self,
           GPtrArray       *tools,
           JsonArray       *array)
{
  for (guint i = 0; i < json_array_get_length (array) && tools->len < MAX_TOOLS; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *schema;
      const char *name;
      NatterToolSpec *spec;
      gboolean dup = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      name = natter_json_object_get_string (object, "name");
      if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL) || strlen (name) > 256)
        continue;
      for (guint j = 0; j < tools->len; j++)
        if (g_str_equal (((NatterToolSpec *) g_ptr_array_index (tools, j))->tool, name))
          dup = TRUE;
      if (dup)
        continue;
      schema = json_object_get_member (object, "inputSchema");
      spec = natter_tool_spec_new (name, natter_json_object_get_string (object, "description"),
                                   schema != NULL && JSON_NODE_HOLDS_OBJECT (schema)
                                   ? json_node_get_object (schema) : NULL);
      spec->server = g_strdup (self->config->name);
      spec->tool = g_strdup (name);
      g_ptr_array_add (tools, spec);
    }
}

static void list_page (NatterMcpClient *self, const char *cursor, ListData *data);

static void
on_list_page (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  NatterMcpClient *self = NATTER_MCP_CLIENT (object);
  ListData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (self, result, &error);
  JsonObject *page;
  JsonNode *tools;
  const char *cursor;

  if (node == NULL)
    {
      if (g_error_matches (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_SERVER))
        {
          /* A server without tools may refuse tools/list. */
          g_debug ("%s: %s", self->config->name, error->message);
          list_done (self, data->tools);
        }
      else if (self->state == CLIENT_STARTING)
        _natter_mcp_client_close (self, g_steal_pointer (&error));
      else
        self->listing = FALSE;
      list_data_free (data);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _natter_mcp_client_close (self, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                                                   _("Server “%s” sent a tool list that is not an object."),
                                                   self->config->name));
      list_data_free (data);
      return;
    }
  page = json_node_get_object (node);
  tools = json_object_get_member (page, "tools");
  if (tools != NULL && JSON_NODE_HOLDS_ARRAY (tools))
    add_tools (self, data->tools, json_node_get_array (tools));
  cursor = natter_json_object_get_string (page, "nextCursor");
  if (cursor != NULL && *cursor != '\0' && ++data->pages < MAX_LIST_PAGES && data->tools->len < MAX_TOOLS)
    {
      list_page (self, cursor, data);
      return;
    }
  list_done (self, data->tools);
  list_data_free (data);
}

static void
list_page (NatterMcpClient *self,
           const char      *cursor,
           ListData        *data)
{
  g_autoptr(JsonNode) params = NULL;

  if (cursor != NULL)
    {
      g_autoptr(JsonObject) object = json_object_new ();

      json_object_set_string_member (object, "cursor", cursor);
      params = json_node_init_object (json_node_alloc (), object);
    }
  request_async (self, "tools/list", params, FALSE, NULL, on_list_page, data);
}

static void
list_tools (NatterMcpClient *self)
{
  ListData *data = g_new0 (ListData, 1);

  data->tools = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_spec_free);
  self->listing = TRUE;
  list_page (self, NULL, data);
}

static void
on_initialized (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  NatterMcpClient *self = NATTER_MCP_CLIENT (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (self, result, &error);
  g_autofree char *text = NULL;
  JsonObject *init;
  JsonNode *info;
  const char *version;

  if (node == NULL)
    {
      if (self->state == CLIENT_STARTING)
        _natter_mcp_client_close (self, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _natter_mcp_client_close (self, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                                                   _("Server “%s” sent an initialize answer that is not an object."),
                                                   self->config->name));
      return;
    }
  init = json_node_get_object (node);
  version = natter_json_object_get_string (init, "protocolVersion");
  if (!natter_mcp_protocol_version_supported (version))
    {
      _natter_mcp_client_close (self, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                                                   _("Server “%s” speaks protocol version “%s”, which Natter does not know."),
                                                   self->config->name, version != NULL ? version : "?"));
      return;
    }
  g_free (self->protocol_version);
  self->protocol_version = g_strdup (version);
  info = json_object_get_member (init, "serverInfo");
  g_clear_pointer (&self->server_info, g_free);
  if (info != NULL && JSON_NODE_HOLDS_OBJECT (info))
    {
      const char *name = natter_json_object_get_string (json_node_get_object (info), "name");
      const char *ver = natter_json_object_get_string (json_node_get_object (info), "version");

      if (name != NULL)
        {
          g_autofree char *joined = g_strjoin (" ", name, ver, NULL);

          self->server_info = g_utf8_make_valid (joined, -1);
        }
    }

  text = natter_mcp_message_build_notification ("notifications/initialized", NULL);
  if (self->config->transport == NATTER_MCP_TRANSPORT_HTTP)
    {
      _natter_mcp_http_notify (self, text, list_tools);
      return;
    }
  send_text (self, text, NULL);
  list_tools (self);
}

void
natter_mcp_client_start_async (NatterMcpClient     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) params = NULL;

  g_return_if_fail (NATTER_IS_MCP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_mcp_client_start_async);

  if (self->state == CLIENT_READY)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->start_waiters = g_list_append (self->start_waiters, g_steal_pointer (&task));
  if (self->state == CLIENT_STARTING)
    return;

  g_clear_error (&self->error);
  g_clear_pointer (&self->tools, g_ptr_array_unref);
  g_clear_pointer (&self->session_id, g_free);
  g_clear_object (&self->io_cancellable);
  self->io_cancellable = g_cancellable_new ();
  g_string_truncate (self->stderr_tail, 0);
  self->state = CLIENT_STARTING;

  if (!natter_mcp_config_validate (self->config, &error) ||
      !(self->config->transport == NATTER_MCP_TRANSPORT_STDIO
        ? _natter_mcp_stdio_open (self, &error)
        : _natter_mcp_http_open (self, &error)))
    {
      _natter_mcp_client_close (self, g_steal_pointer (&error));
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "protocolVersion");
  json_builder_add_string_value (builder, NATTER_MCP_PROTOCOL_VERSION);
  json_builder_set_member_name (builder, "capabilities");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "clientInfo");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "Natter");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);
  /* The spec does not let a client cancel initialize: a start that takes
   * too long ends the connection instead. */
  request_async (self, "initialize", params, FALSE, NULL, on_initialized, NULL);
}

gboolean
natter_mcp_client_start_finish (NatterMcpClient  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
natter_mcp_client_is_running (NatterMcpClient *self)
{
  g_return_val_if_fail (NATTER_IS_MCP_CLIENT (self), FALSE);
  return self->state == CLIENT_READY;
}

void
natter_mcp_client_stop (NatterMcpClient *self)
{
  g_return_if_fail (NATTER_IS_MCP_CLIENT (self));

  _natter_mcp_client_close (self, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_CLOSED,
                                               _("Server “%s” was stopped."), self->config->name));
}

/* ------------------------------------------------------------ tools */

GPtrArray *
natter_mcp_client_get_tools (NatterMcpClient *self)
{
  GPtrArray *tools = g_ptr_array_new ();

  g_return_val_if_fail (NATTER_IS_MCP_CLIENT (self), tools);

  if (self->tools != NULL)
    for (guint i = 0; i < self->tools->len; i++)
      g_ptr_array_add (tools, g_ptr_array_index (self->tools, i));
  return tools;
}

static void
append_part (GString    *text,
             JsonObject *part)
{
  const char *type = natter_json_object_get_string (part, "type");

  if (text->len > 0)
    g_string_append_c (text, '\n');
  if (g_strcmp0 (type, "text") == 0)
    g_string_append (text, natter_json_object_get_string (part, "text") ?: "");
  else if (g_strcmp0 (type, "image") == 0 || g_strcmp0 (type, "audio") == 0)
    {
      const char *data = natter_json_object_get_string (part, "data");

      g_string_append_printf (text, "[%s %s, %zu bytes of base64]", type,
                              natter_json_object_get_string (part, "mimeType") ?: "",
                              data != NULL ? strlen (data) : 0);
    }
  else if (g_strcmp0 (type, "resource") == 0)
    {
      JsonNode *resource = json_object_get_member (part, "resource");
      JsonObject *r = resource != NULL && JSON_NODE_HOLDS_OBJECT (resource) ? json_node_get_object (resource) : NULL;
      const char *body = r != NULL ? natter_json_object_get_string (r, "text") : NULL;

      if (body != NULL)
        g_string_append (text, body);
      else
        g_string_append_printf (text, "[resource %s]", r != NULL ? natter_json_object_get_string (r, "uri") ?: "" : "");
    }
  else if (g_strcmp0 (type, "resource_link") == 0)
    g_string_append_printf (text, "[link %s]", natter_json_object_get_string (part, "uri") ?: "");
  else
    g_string_append_printf (text, "[%s]", type != NULL ? type : "?");
}

static void
on_tool_called (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  NatterMcpClient *self = NATTER_MCP_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = request_finish (self, result, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *valid = NULL;
  JsonObject *object_result;
  JsonNode *content;
  JsonNode *structured;

  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_task_return_new_error (task, NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                               _("Server “%s” sent a tool result that is not an object."),
                               self->config->name);
      return;
    }
  object_result = json_node_get_object (node);
  content = json_object_get_member (object_result, "content");
  if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    {
      JsonArray *parts = json_node_get_array (content);

      for (guint i = 0; i < json_array_get_length (parts); i++)
        {
          JsonNode *part = json_array_get_element (parts, i);

          if (JSON_NODE_HOLDS_OBJECT (part))
            append_part (text, json_node_get_object (part));
        }
    }
  structured = json_object_get_member (object_result, "structuredContent");
  if (text->len == 0 && structured != NULL && !JSON_NODE_HOLDS_NULL (structured))
    {
      g_autofree char *json = json_to_string (structured, FALSE);

      g_string_append (text, json);
    }
  if (text->len > NATTER_MCP_MAX_RESULT_TEXT)
    {
      const char *cut = g_utf8_find_prev_char (text->str, text->str + NATTER_MCP_MAX_RESULT_TEXT + 1);
      gsize kept = cut != NULL ? (gsize) (cut - text->str) : NATTER_MCP_MAX_RESULT_TEXT;
      gsize dropped = text->len - kept;

      g_string_truncate (text, kept);
      g_string_append_printf (text, "\n[… %" G_GSIZE_FORMAT " more bytes cut by Natter]", dropped);
    }
  valid = g_utf8_make_valid (text->str, text->len);
  g_task_return_pointer (task,
                         natter_tool_result_new (NULL, NULL, valid,
                                                 natter_json_object_get_bool (object_result, "isError", FALSE)),
                         (GDestroyNotify) natter_tool_result_free);
}

void
natter_mcp_client_call_tool_async (NatterMcpClient     *self,
                                   const char          *tool,
                                   JsonObject          *arguments,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (NATTER_IS_MCP_CLIENT (self));
  g_return_if_fail (tool != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_mcp_client_call_tool_async);
  json_object_set_string_member (params, "name", tool);
  json_object_set_object_member (params, "arguments",
                                 arguments != NULL ? json_object_ref (arguments) : json_object_new ());
  node = json_node_init_object (json_node_alloc (), params);
  request_async (self, "tools/call", node, TRUE, cancellable, on_tool_called, g_steal_pointer (&task));
}

NatterToolResult *
natter_mcp_client_call_tool_finish (NatterMcpClient  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------ object */

const char *
natter_mcp_client_get_name (NatterMcpClient *self)
{
  g_return_val_if_fail (NATTER_IS_MCP_CLIENT (self), NULL);
  return self->config->name;
}

void
natter_mcp_client_set_timeout (NatterMcpClient *self,
                               guint            seconds)
{
  g_return_if_fail (NATTER_IS_MCP_CLIENT (self));
  self->timeout = seconds > 0 ? seconds : NATTER_MCP_DEFAULT_TIMEOUT;
}

guint
natter_mcp_client_get_timeout (NatterMcpClient *self)
{
  g_return_val_if_fail (NATTER_IS_MCP_CLIENT (self), 0);
  return self->timeout;
}

const char *
natter_mcp_client_get_server_info (NatterMcpClient *self)
{
  g_return_val_if_fail (NATTER_IS_MCP_CLIENT (self), NULL);
  return self->server_info;
}

const char *
natter_mcp_client_get_protocol_version (NatterMcpClient *self)
{
  g_return_val_if_fail (NATTER_IS_MCP_CLIENT (self), NULL);
  return self->protocol_version;
}

const char *
natter_mcp_client_get_stderr (NatterMcpClient *self)
{
  g_return_val_if_fail (NATTER_IS_MCP_CLIENT (self), NULL);
  return self->stderr_tail->str;
}

const GError *
natter_mcp_client_get_error (NatterMcpClient *self)
{
  g_return_val_if_fail (NATTER_IS_MCP_CLIENT (self), NULL);
  return self->error;
}

const char *
natter_mcp_client_get_session_id (NatterMcpClient *self)
{
  g_return_val_if_fail (NATTER_IS_MCP_CLIENT (self), NULL);
  return self->session_id;
}

NatterMcpClient *
natter_mcp_client_new (const NatterMcpConfig *config)
{
  NatterMcpClient *self;

  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (NATTER_TYPE_MCP_CLIENT, NULL);
  self->config = natter_mcp_config_copy (config);
  self->timeout = natter_mcp_config_get_timeout (config);
  return self;
}

static void
natter_mcp_client_dispose (GObject *object)
{
  NatterMcpClient *self = NATTER_MCP_CLIENT (object);

  if (self->config != NULL)
    natter_mcp_client_stop (self);

  G_OBJECT_CLASS (natter_mcp_client_parent_class)->dispose (object);
}

static void
natter_mcp_client_finalize (GObject *object)
{
  NatterMcpClient *self = NATTER_MCP_CLIENT (object);

  g_hash_table_unref (self->pending);
  g_clear_pointer (&self->tools, g_ptr_array_unref);
  g_clear_pointer (&self->config, natter_mcp_config_free);
  g_clear_pointer (&self->line, g_byte_array_unref);
  g_queue_clear_full (&self->write_queue, (GDestroyNotify) g_bytes_unref);
  g_clear_object (&self->subprocess);
  g_clear_object (&self->stdin_pipe);
  g_clear_object (&self->session);
  g_clear_object (&self->io_cancellable);
  g_clear_handle_id (&self->eof_timer, g_source_remove);
  g_free (self->session_id);
  g_free (self->server_info);
  g_free (self->protocol_version);
  g_string_free (self->stderr_tail, TRUE);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (natter_mcp_client_parent_class)->finalize (object);
}

static void
natter_mcp_client_class_init (NatterMcpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = natter_mcp_client_dispose;
  object_class->finalize = natter_mcp_client_finalize;

  /* Emitted after the server said its tools changed and they were listed again. */
  signals[SIGNAL_TOOLS_CHANGED] =
    g_signal_new ("tools-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Emitted when the connection ended (natter_mcp_client_get_error() says why). */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* Writing to a server that just exited must give an error, not kill
   * Natter with SIGPIPE. */
  signal (SIGPIPE, SIG_IGN);
}

static void
natter_mcp_client_init (NatterMcpClient *self)
{
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) pending_free);
  self->stderr_tail = g_string_new (NULL);
  self->timeout = NATTER_MCP_DEFAULT_TIMEOUT;
  g_queue_init (&self->write_queue);
}
