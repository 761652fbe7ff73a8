/* natter-test-mcp-server.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A small MCP server for the tests, speaking the protocol as the
 * specification writes it:
 *
 *   natter-test-mcp-server [--http] [--sse|--json] [--page-size N]
 *                          [--hostile MODE] [--max-seconds N]
 *                          [--require-env NAME=VALUE] [--require-header NAME=VALUE]
 *
 * Over stdio (the default) it reads newline-delimited JSON-RPC on standard
 * input and answers on standard output. With --http it serves Streamable
 * HTTP at http://127.0.0.1:PORT/mcp, prints that address as its first line
 * and keeps a session (Mcp-Session-Id), refusing requests without the
 * session or the MCP-Protocol-Version header with 400. A GET opens the
 * stream of its own notifications (list_changed when answers are JSON).
 * Calls are answered as
 * an event stream (a log notification first), other requests as JSON;
 * --sse or --json make every answer one kind.
 *
 * Tools: echo {text}; add {a, b}; slow {seconds} (answers after that long
 * unless cancelled); crash (exits with status 3); fail (an isError result);
 * change_tools (adds the tool "extra" and sends
 * notifications/tools/list_changed); cancellations (the ids and reasons of
 * the notifications/cancelled received, "id:reason" comma-separated); env
 * {name} (an environment variable); header {name} (a request header, HTTP);
 * ping_me (stdio: sends the client a ping and a sampling request and
 * answers once the client answered both, the second with -32601);
 * forget_session (HTTP: later requests get 404).
 * tools/list pages by --page-size (default 3).
 *
 * --spawn-child starts "sleep 300" and prints "child PID" on stderr (the
 * tests check that stopping the server stops it too).
 *
 * --require-env exits with status 4 at start unless the variable has that
 * value (or the text of the file @FILE); --require-header answers 401 to a POST without that header value
 * (the tests check that secret values from the keyring reach the server).
 *
 * --hostile MODE answers initialize with: huge (a 17 MiB line), deep (nested
 * 100000 levels), garbage (not JSON), hang (nothing), badversion (an unknown
 * protocol version), exit (exits with status 7 after a line on stderr).
 * Over HTTP: garbage, html (a text/html page), huge (a 17 MiB body),
 * huge-event (a 9 MiB event), deep, no-answer (a stream without one). */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

static GMainLoop *loop;
static int page_size = 3;
static char *hostile;
static gboolean use_http;
static gboolean force_sse;
static gboolean force_json;
static gboolean spawn_child;
static gboolean no_get;
static gboolean extra_tool;
static GString *cancellations;
static GHashTable *slow_calls;     /* id (string) → SlowCall */
static char *session_id;
static JsonNode *ping_call;
static GList *listeners;           /* SoupServerMessage: open GET streams */        /* the ping_me call waiting for the client's pong */
static char *require_env;
static char *require_header;
static char *protocol_version;

/* Where the messages of one exchange go: standard output, or the body of
 * one HTTP answer. */
typedef struct
{
  SoupServerMessage *msg;       /* NULL: stdout */
  GPtrArray         *messages;  /* char*, for HTTP */
  gboolean           sse;
  GHashTable        *headers;   /* request headers (HTTP) */
  gboolean           gone;      /* the client closed the connection */
} Sink;

typedef struct
{
  Sink     *sink;
  JsonNode *id;
  guint     timer;
} SlowCall;

static void
emit (Sink       *sink,
      const char *text)
{
  if (sink->msg == NULL)
    {
      fprintf (stdout, "%s\n", text);
      fflush (stdout);
    }
  else
    g_ptr_array_add (sink->messages, g_strdup (text));
}

static char *
node_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static void
emit_result (Sink     *sink,
             JsonNode *id,
             JsonNode *result)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (object, "jsonrpc", "2.0");
  json_object_set_member (object, "id", json_node_copy (id));
  json_object_set_member (object, "result", result);
  node = json_node_init_object (json_node_alloc (), object);
  text = node_text (node);
  emit (sink, text);
}

static void
emit_error (Sink       *sink,
            JsonNode   *id,
            int         code,
            const char *message)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) error = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (object, "jsonrpc", "2.0");
  json_object_set_member (object, "id", id != NULL ? json_node_copy (id) : json_node_new (JSON_NODE_NULL));
  json_object_set_int_member (error, "code", code);
  json_object_set_string_member (error, "message", message);
  json_object_set_object_member (object, "error", g_steal_pointer (&error));
  node = json_node_init_object (json_node_alloc (), object);
  text = node_text (node);
  emit (sink, text);
}

static JsonNode *
text_result (const char *text,
             gboolean    is_error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "text");
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "isError");
  json_builder_add_boolean_value (b, is_error);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static const char * const tool_names[] = {
  "echo", "add", "slow", "crash", "fail", "change_tools", "cancellations", "env", "header",
  "ping_me", "forget_session", "extra",
};

static guint
n_tools (void)
{
  return G_N_ELEMENTS (tool_names) - (extra_tool ? 0 : 1);
}

static void
add_tool (JsonBuilder *b,
          const char  *name)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, g_str_equal (name, "echo") ? "Says the text back" : "A test tool");
  json_builder_set_member_name (b, "inputSchema");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "object");
  json_builder_set_member_name (b, "properties");
  json_builder_begin_object (b);
  if (g_str_equal (name, "echo"))
    {
      json_builder_set_member_name (b, "text");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "string");
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static JsonNode *
list_tools (JsonObject *params)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *cursor = params != NULL && json_object_has_member (params, "cursor")
                       ? json_object_get_string_member (params, "cursor") : NULL;
  guint start = cursor != NULL && g_str_has_prefix (cursor, "page-") ? atoi (cursor + 5) : 0;
  guint end = MIN (start + page_size, n_tools ());

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tools");
  json_builder_begin_array (b);
  for (guint i = start; i < end; i++)
    add_tool (b, tool_names[i]);
  json_builder_end_array (b);
  if (end < n_tools ())
    {
      g_autofree char *next = g_strdup_printf ("page-%u", end);

      json_builder_set_member_name (b, "nextCursor");
      json_builder_add_string_value (b, next);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void finish_http (Sink *sink);

static gboolean
on_slow_done (gpointer data)
{
  SlowCall *call = data;
  g_autofree char *key = node_text (call->id);

  call->timer = 0;
  emit_result (call->sink, call->id, text_result ("done", FALSE));
  if (call->sink->msg != NULL)
    finish_http (call->sink);
  g_hash_table_remove (slow_calls, key);
  return G_SOURCE_REMOVE;
}

static void
slow_call_free (SlowCall *call)
{
  g_clear_handle_id (&call->timer, g_source_remove);
  json_node_unref (call->id);
  g_free (call);
}

static void
notify (Sink       *sink,
        const char *method)
{
  g_autofree char *text = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"method\":\"%s\"}", method);

  emit (sink, text);
}

/* Returns FALSE when the answer comes later (slow). */
static gboolean
call_tool (Sink       *sink,
           JsonNode   *id,
           JsonObject *params)
{
  const char *name = json_object_get_string_member_with_default (params, "name", "");
  JsonObject *args = json_object_has_member (params, "arguments")
                     ? json_object_get_object_member (params, "arguments") : NULL;

  if (sink->sse)
    {
      /* A log message before the answer, as servers do on a stream. */
      emit (sink, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
                  "\"params\":{\"level\":\"info\",\"data\":\"calling\"}}");
    }

  if (g_str_equal (name, "echo"))
    emit_result (sink, id, text_result (args != NULL ? json_object_get_string_member_with_default (args, "text", "") : "",
                                        FALSE));
  else if (g_str_equal (name, "add"))
    {
      gint64 a = args != NULL ? json_object_get_int_member_with_default (args, "a", 0) : 0;
      gint64 b = args != NULL ? json_object_get_int_member_with_default (args, "b", 0) : 0;
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, a + b);

      emit_result (sink, id, text_result (text, FALSE));
    }
  else if (g_str_equal (name, "slow"))
    {
      SlowCall *call = g_new0 (SlowCall, 1);
      gint64 seconds = args != NULL ? json_object_get_int_member_with_default (args, "seconds", 30) : 30;

      call->sink = sink;
      call->id = json_node_copy (id);
      call->timer = g_timeout_add_seconds ((guint) seconds, on_slow_done, call);
      g_hash_table_insert (slow_calls, node_text (id), call);
      return FALSE;
    }
  else if (g_str_equal (name, "crash"))
    {
      fprintf (stderr, "crashing on purpose\n");
      exit (3);
    }
  else if (g_str_equal (name, "fail"))
    emit_result (sink, id, text_result ("it failed", TRUE));
  else if (g_str_equal (name, "change_tools"))
    {
      extra_tool = TRUE;
      notify (sink, "notifications/tools/list_changed");
      /* A JSON answer cannot carry it: the GET streams do. */
      if (sink->msg != NULL && !sink->sse)
        for (GList *l = listeners; l != NULL; l = l->next)
          {
            const char *event = "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}\n\n";

            soup_message_body_append (soup_server_message_get_response_body (l->data), SOUP_MEMORY_COPY,
                                      event, strlen (event));
            soup_server_message_unpause (l->data);
          }
      emit_result (sink, id, text_result ("changed", FALSE));
    }
  else if (g_str_equal (name, "cancellations"))
    emit_result (sink, id, text_result (cancellations->str, FALSE));
  else if (g_str_equal (name, "env"))
    emit_result (sink, id, text_result (g_getenv (json_object_get_string_member_with_default (args, "name", "")) ?: "",
                                        FALSE));
  else if (g_str_equal (name, "header"))
    {
      const char *value = sink->headers != NULL
                          ? g_hash_table_lookup (sink->headers, json_object_get_string_member_with_default (args, "name", ""))
                          : NULL;

      emit_result (sink, id, text_result (value != NULL ? value : "", FALSE));
    }
  else if (g_str_equal (name, "ping_me") && sink->msg == NULL)
    {
      /* A request of ours first; the answer comes once the client answered. */
      g_clear_pointer (&ping_call, json_node_unref);
      ping_call = json_node_copy (id);
      emit (sink, "{\"jsonrpc\":\"2.0\",\"id\":\"srv-1\",\"method\":\"ping\"}");
      emit (sink, "{\"jsonrpc\":\"2.0\",\"id\":\"srv-2\",\"method\":\"sampling/createMessage\",\"params\":{}}");
      return FALSE;
    }
  else if (g_str_equal (name, "forget_session"))
    {
      g_clear_pointer (&session_id, g_free);
      emit_result (sink, id, text_result ("forgotten", FALSE));
    }
  else if (g_str_equal (name, "extra") && extra_tool)
    emit_result (sink, id, text_result ("extra", FALSE));
  else
    emit_error (sink, id, -32602, "Unknown tool");
  return TRUE;
}

static void
answer_initialize (Sink     *sink,
                   JsonNode *id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (hostile != NULL && sink->msg == NULL)
    {
      if (g_str_equal (hostile, "huge"))
        {
          gsize n = 17 * 1024 * 1024;
          char *line = g_malloc (n + 1);

          memset (line, 'x', n);
          line[n] = '\0';
          fputs (line, stdout);
          fputc ('\n', stdout);
          fflush (stdout);
          g_free (line);
          return;
        }
      if (g_str_equal (hostile, "deep"))
        {
          GString *s = g_string_new ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":");

          for (int i = 0; i < 100000; i++)
            g_string_append_c (s, '[');
          for (int i = 0; i < 100000; i++)
            g_string_append_c (s, ']');
          g_string_append (s, "}");
          emit (sink, s->str);
          g_string_free (s, TRUE);
          return;
        }
      if (g_str_equal (hostile, "garbage"))
        {
          emit (sink, "this is not JSON at all {{{");
          return;
        }
      if (g_str_equal (hostile, "hang"))
        return;
      if (g_str_equal (hostile, "exit"))
        {
          fprintf (stderr, "starting\nfatal: no configuration found\n");
          exit (7);
        }
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "protocolVersion");
  json_builder_add_string_value (b, hostile != NULL && g_str_equal (hostile, "badversion")
                                    ? "1999-01-01" : protocol_version);
  json_builder_set_member_name (b, "capabilities");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "tools");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "listChanged");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "serverInfo");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "natter-test-mcp-server");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, "1.0");
  json_builder_end_object (b);
  json_builder_end_object (b);
  emit_result (sink, id, json_builder_get_root (b));
}

/* Handles one message; FALSE when its answer comes later. */
static gboolean
handle (Sink       *sink,
        JsonObject *message)
{
  const char *method = json_object_get_string_member_with_default (message, "method", NULL);
  JsonNode *id = json_object_get_member (message, "id");
  JsonObject *params = json_object_has_member (message, "params")
                       ? json_object_get_object_member (message, "params") : NULL;

  if (method == NULL)
    {
      /* The client's answers to our ping and to a method it does not offer. */
      const char *rid = id != NULL && JSON_NODE_HOLDS_VALUE (id) ? json_node_get_string (id) : NULL;
      static gboolean ponged;
      static gboolean refused;

      if (g_strcmp0 (rid, "srv-1") == 0 && json_object_has_member (message, "result"))
        ponged = TRUE;
      if (g_strcmp0 (rid, "srv-2") == 0 && json_object_has_member (message, "error"))
        refused = json_object_get_int_member_with_default (json_object_get_object_member (message, "error"),
                                                           "code", 0) == -32601;
      if (ping_call != NULL && ponged && refused)
        {
          emit_result (sink, ping_call, text_result ("pong and method-not-found received", FALSE));
          g_clear_pointer (&ping_call, json_node_unref);
          ponged = refused = FALSE;
        }
      return TRUE;
    }

  if (id == NULL)
    {
      if (g_str_equal (method, "notifications/cancelled") && params != NULL)
        {
          JsonNode *request = json_object_get_member (params, "requestId");
          g_autofree char *key = request != NULL ? node_text (request) : g_strdup ("?");
          SlowCall *call = g_hash_table_lookup (slow_calls, key);

          g_string_append_printf (cancellations, "%s%s:%s", cancellations->len > 0 ? "," : "", key,
                                  json_object_get_string_member_with_default (params, "reason", ""));
          if (call != NULL)
            {
              if (call->sink->msg != NULL)
                {
                  emit_error (call->sink, call->id, -32800, "Request cancelled");
                  finish_http (call->sink);
                }
              g_hash_table_remove (slow_calls, key);
            }
        }
      return TRUE;
    }

  if (g_str_equal (method, "initialize"))
    answer_initialize (sink, id);
  else if (g_str_equal (method, "ping"))
    emit_result (sink, id, json_node_init_object (json_node_alloc (), json_object_new ()));
  else if (g_str_equal (method, "tools/list"))
    emit_result (sink, id, list_tools (params));
  else if (g_str_equal (method, "tools/call") && params != NULL)
    return call_tool (sink, id, params);
  else
    emit_error (sink, id, -32601, "Method not found");
  return TRUE;
}

static JsonObject *
parse (const char *data,
       gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* ------------------------------------------------------------ stdio */

static Sink stdio_sink;

static void
on_line (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GDataInputStream *in = G_DATA_INPUT_STREAM (object);
  gsize len = 0;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (in, result, &len, NULL);
  g_autoptr(JsonObject) message = NULL;

  if (line == NULL)
    {
      g_main_loop_quit (loop);
      return;
    }
  message = parse (line, len);
  if (message != NULL)
    handle (&stdio_sink, message);
  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, on_line, NULL);
}

/* ------------------------------------------------------------ http */

static void
sink_free (Sink *sink)
{
  g_signal_handlers_disconnect_by_data (sink->msg, sink);
  g_object_unref (sink->msg);
  g_ptr_array_unref (sink->messages);
  g_clear_pointer (&sink->headers, g_hash_table_unref);
  g_free (sink);
}

static void
finish_http (Sink *sink)
{
  SoupServerMessage *msg = sink->msg;
  GString *body;

  if (sink->gone)
    {
      sink_free (sink);
      return;
    }
  body = g_string_new (NULL);

  if (sink->sse)
    {
      for (guint i = 0; i < sink->messages->len; i++)
        g_string_append_printf (body, "event: message\ndata: %s\n\n", (char *) g_ptr_array_index (sink->messages, i));
      soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_COPY, body->str, body->len);
    }
  else
    {
      const char *last = sink->messages->len > 0
                         ? g_ptr_array_index (sink->messages, sink->messages->len - 1) : "{}";

      /* JSON answers carry only the response. */
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, last, strlen (last));
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_unpause (msg);
  g_string_free (body, TRUE);
  sink_free (sink);
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    data)
{
  g_hash_table_insert (data, g_strdup (name), g_strdup (value));
}

static void
on_disconnected (SoupServerMessage *msg,
                 gpointer           data)
{
  Sink *sink = data;

  sink->gone = TRUE;
}

static void
on_listener_gone (SoupServerMessage *msg,
                  gpointer           data)
{
  listeners = g_list_remove (listeners, msg);
}

static void
on_http (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *accept = soup_message_headers_get_one (request_headers, "Accept");
  const char *sid = soup_message_headers_get_one (request_headers, "Mcp-Session-Id");
  const char *version = soup_message_headers_get_one (request_headers, "MCP-Protocol-Version");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) message = NULL;
  const char *rpc_method;
  Sink *sink;

  if (!g_str_equal (path, "/mcp"))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  if (g_str_equal (method, "DELETE"))
    {
      if (session_id == NULL || g_strcmp0 (sid, session_id) != 0)
        {
          soup_server_message_set_status (msg, 404, NULL);
          return;
        }
      g_clear_pointer (&session_id, g_free);
      soup_server_message_set_status (msg, 200, NULL);
      return;
    }
  if (g_str_equal (method, "GET") && no_get)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  if (g_str_equal (method, "GET") && session_id != NULL && g_strcmp0 (sid, session_id) == 0 &&
      accept != NULL && strstr (accept, "text/event-stream") != NULL)
    {
      /* The stream of our own notifications: open until the client goes. */
      SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);

      soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (response_headers, "text/event-stream", NULL);
      soup_server_message_set_status (msg, 200, NULL);
      listeners = g_list_prepend (listeners, msg);
      g_signal_connect (msg, "disconnected", G_CALLBACK (on_listener_gone), NULL);
      g_signal_connect (msg, "finished", G_CALLBACK (on_listener_gone), NULL);
      return;
    }
  if (!g_str_equal (method, "POST"))
    {
      soup_server_message_set_status (msg, 405, NULL);
      return;
    }
  if (accept == NULL || strstr (accept, "application/json") == NULL || strstr (accept, "text/event-stream") == NULL)
    {
      soup_server_message_set_status (msg, 406, NULL);
      return;
    }
  if (require_header != NULL)
    {
      g_auto(GStrv) pair = g_strsplit (require_header, "=", 2);

      if (pair[1] == NULL || g_strcmp0 (soup_message_headers_get_one (request_headers, pair[0]), pair[1]) != 0)
        {
          soup_server_message_set_status (msg, 401, NULL);
          return;
        }
    }
  bytes = soup_message_body_flatten (request_body);
  message = parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (message == NULL)
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }
  rpc_method = json_object_get_string_member_with_default (message, "method", "");
  if (g_str_equal (rpc_method, "initialize"))
    {
      g_free (session_id);
      session_id = g_uuid_string_random ();
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Mcp-Session-Id", session_id);
    }
  else
    {
      if (session_id == NULL || g_strcmp0 (sid, session_id) != 0)
        {
          soup_server_message_set_status (msg, sid == NULL ? 400 : 404, NULL);
          return;
        }
      if (g_strcmp0 (version, protocol_version) != 0)
        {
          soup_server_message_set_status (msg, 400, NULL);
          return;
        }
    }

  /* Hostile answers to initialize over HTTP. */
  if (hostile != NULL && g_str_equal (rpc_method, "initialize"))
    {
      GString *body = g_string_new (NULL);
      const char *type = "application/json";

      if (g_str_equal (hostile, "garbage"))
        g_string_append (body, "this is not JSON at all {{{");
      else if (g_str_equal (hostile, "html"))
        {
          type = "text/html";
          g_string_append (body, "<html><body>Login</body></html>");
        }
      else if (g_str_equal (hostile, "huge"))
        {
          g_string_append (body, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"x\":\"");
          for (guint i = 0; i < 17 * 1024 * 1024; i++)
            g_string_append_c (body, 'x');
          g_string_append (body, "\"}}");
        }
      else if (g_str_equal (hostile, "huge-event"))
        {
          type = "text/event-stream";
          g_string_append (body, "data: ");
          for (guint i = 0; i < 9 * 1024 * 1024; i++)
            g_string_append_c (body, 'x');
          g_string_append (body, "\n\n");
        }
      else if (g_str_equal (hostile, "deep"))
        {
          g_string_append (body, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":");
          for (int i = 0; i < 100000; i++)
            g_string_append_c (body, '[');
          for (int i = 0; i < 100000; i++)
            g_string_append_c (body, ']');
          g_string_append (body, "}");
        }
      else if (g_str_equal (hostile, "no-answer"))
        {
          type = "text/event-stream";
          g_string_append (body, ": nothing to say\n\n");
        }
      soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body->str, body->len);
      soup_server_message_set_status (msg, 200, NULL);
      g_string_free (body, TRUE);
      return;
    }

  if (!json_object_has_member (message, "id") || !json_object_has_member (message, "method"))
    {
      Sink scratch = { msg, g_ptr_array_new_with_free_func (g_free), FALSE, NULL, FALSE };

      handle (&scratch, message);
      g_ptr_array_unref (scratch.messages);
      soup_server_message_set_status (msg, 202, NULL);
      return;
    }

  sink = g_new0 (Sink, 1);
  sink->msg = g_object_ref (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected), sink);
  sink->messages = g_ptr_array_new_with_free_func (g_free);
  sink->sse = force_sse || (!force_json && g_str_equal (rpc_method, "tools/call"));
  sink->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soup_message_headers_foreach (request_headers, copy_header, sink->headers);
  soup_server_message_pause (msg);
  if (handle (sink, message))
    finish_http (sink);
}

static gboolean
on_max_seconds (gpointer data)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  int max_seconds = 600;
  GOptionEntry entries[] = {
    { "http", 0, 0, G_OPTION_ARG_NONE, &use_http, "Serve Streamable HTTP on a loopback port", NULL },
    { "sse", 0, 0, G_OPTION_ARG_NONE, &force_sse, "Answer every request as an event stream", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &force_json, "Answer every request as JSON", NULL },
    { "page-size", 0, 0, G_OPTION_ARG_INT, &page_size, "Tools per tools/list page", "N" },
    { "hostile", 0, 0, G_OPTION_ARG_STRING, &hostile, "Answer initialize badly", "MODE" },
    { "max-seconds", 0, 0, G_OPTION_ARG_INT, &max_seconds, "Exit after this long", "N" },
    { "no-get", 0, 0, G_OPTION_ARG_NONE, &no_get, "Answer a GET with 404, as servers without a stream do", NULL },
    { "spawn-child", 0, 0, G_OPTION_ARG_NONE, &spawn_child, "Start a long sleep and print its pid on stderr", NULL },
    { "require-env", 0, 0, G_OPTION_ARG_STRING, &require_env, "Exit unless NAME has VALUE", "NAME=VALUE" },
    { "require-header", 0, 0, G_OPTION_ARG_STRING, &require_header, "401 unless the header has VALUE", "NAME=VALUE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  if (page_size < 1)
    page_size = 1;
  if (require_env != NULL)
    {
      g_auto(GStrv) pair = g_strsplit (require_env, "=", 2);
      g_autofree char *wanted = NULL;

      /* "@FILE": the value is in that file (so it is not in our arguments). */
      if (pair[1] != NULL && pair[1][0] == '@')
        g_file_get_contents (pair[1] + 1, &wanted, NULL, NULL);
      else
        wanted = g_strdup (pair[1]);
      if (wanted == NULL || g_strcmp0 (g_getenv (pair[0]), g_strstrip (wanted)) != 0)
        {
          fprintf (stderr, "natter-test-mcp-server: %s is not set as required\n", pair[0]);
          return 4;
        }
    }
  protocol_version = g_strdup ("2025-11-25");
  cancellations = g_string_new (NULL);
  slow_calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) slow_call_free);
  loop = g_main_loop_new (NULL, FALSE);
  g_timeout_add_seconds (max_seconds, on_max_seconds, NULL);
  if (spawn_child)
    {
      const char *sleeper[] = { "sleep", "300", NULL };
      GPid child;

      /* What npx and the like do: the real work in a child. */
      if (!g_spawn_async (NULL, (char **) sleeper, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                          NULL, NULL, &child, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      fprintf (stderr, "child %d\n", (int) child);
    }
  fprintf (stderr, "natter-test-mcp-server: ready\n");

  if (use_http)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      g_autoptr(GSList) uris = NULL;
      g_autofree char *address = NULL;

      soup_server_add_handler (server, NULL, on_http, NULL, NULL);
      if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      uris = soup_server_get_uris (server);
      printf ("http://127.0.0.1:%d/mcp\n", g_uri_get_port (uris->data));
      fflush (stdout);
      g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
      g_main_loop_run (loop);
    }
  else
    {
      g_autoptr(GInputStream) raw = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      g_autoptr(GDataInputStream) in = g_data_input_stream_new (raw);

      g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_LF);
      g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, on_line, NULL);
      g_main_loop_run (loop);
    }
  return 0;
}
