/* test-mcp.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The MCP client against tests/natter-test-mcp-server over stdio and
 * Streamable HTTP, the tool host over it, JSON-RPC parsing, server settings
 * in a real database and the import of an mcpServers file. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "natter-mcp-client.h"
#include "natter-mcp-host.h"
#include "natter-mcp-message.h"
#include "natter-mcp-store.h"
#include "natter-test-util.h"

/* ------------------------------------------------------------ helpers */

static char *
server_path (void)
{
  const char *build = g_getenv ("NATTER_BUILD_DIR");

  g_assert_nonnull (build);
  return g_build_filename (build, "tests", "natter-test-mcp-server", NULL);
}

/* A stdio config running the test server with @extra arguments. */
static NatterMcpConfig *
stdio_config (const char *name,
              ...)
{
  g_autofree char *path = server_path ();
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  const char *arg;
  va_list ap;

  va_start (ap, name);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_strv_builder_add (args, arg);
  va_end (ap);
  strv = g_strv_builder_end (args);
  return natter_mcp_config_new_stdio (name, path, (const char * const *) strv);
}

/* The HTTP test server: started, its address read from its first line. */
typedef struct
{
  GSubprocess *process;
  char        *url;
} HttpServer;

static void
http_server_start (HttpServer *server,
                   const char *mode)
{
  g_autofree char *path = server_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  gsize len;

  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                      path, "--http", "--max-seconds", "120",
                                      mode != NULL ? mode : "--page-size=3", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  server->url = g_data_input_stream_read_line_utf8 (out, &len, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (server->url, "http://127.0.0.1:"));
}

static void
http_server_stop (HttpServer *server)
{
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  g_clear_pointer (&server->url, g_free);
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
start (NatterMcpClient  *client,
       GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  natter_mcp_client_start_async (client, NULL, store_result, &result);
  return natter_mcp_client_start_finish (client, wait_result (&result), error);
}

static NatterToolResult *
call (NatterMcpClient  *client,
      const char       *tool,
      const char       *arguments,
      GCancellable     *cancellable,
      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) args = arguments != NULL ? json_from_string (arguments, NULL) : NULL;

  natter_mcp_client_call_tool_async (client, tool, args != NULL ? json_node_get_object (args) : NULL,
                                     cancellable, store_result, &result);
  return natter_mcp_client_call_tool_finish (client, wait_result (&result), error);
}

static char *
call_text (NatterMcpClient *client,
           const char      *tool,
           const char      *arguments)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterToolResult) result = call (client, tool, arguments, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_false (result->is_error);
  return g_strdup (result->content);
}

static gboolean
has_tool (NatterMcpClient *client,
          const char      *name)
{
  g_autoptr(GPtrArray) tools = natter_mcp_client_get_tools (client);

  for (guint i = 0; i < tools->len; i++)
    if (g_str_equal (((NatterToolSpec *) g_ptr_array_index (tools, i))->tool, name))
      return TRUE;
  return FALSE;
}

static void
on_flag (gpointer  object,
         gboolean *flag)
{
  *flag = TRUE;
}

/* ------------------------------------------------------------ messages */

static void
test_message_parse (void)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  NatterMcpMessage *m;
  const char *batch = "[{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"a\":1}},"
                      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"},"
                      "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"ping\"},"
                      "{\"jsonrpc\":\"2.0\",\"id\":8,\"error\":{\"code\":-32601,\"message\":\"nope\"}}]";

  messages = natter_mcp_message_parse (batch, strlen (batch), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 4);
  m = g_ptr_array_index (messages, 0);
  g_assert_cmpint (m->kind, ==, NATTER_MCP_MESSAGE_RESULT);
  g_assert_cmpint (natter_mcp_message_get_int_id (m), ==, 7);
  m = g_ptr_array_index (messages, 1);
  g_assert_cmpint (m->kind, ==, NATTER_MCP_MESSAGE_NOTIFICATION);
  g_assert_cmpstr (m->method, ==, "notifications/tools/list_changed");
  m = g_ptr_array_index (messages, 2);
  g_assert_cmpint (m->kind, ==, NATTER_MCP_MESSAGE_REQUEST);
  g_assert_cmpint (natter_mcp_message_get_int_id (m), ==, -1);
  m = g_ptr_array_index (messages, 3);
  g_assert_cmpint (m->kind, ==, NATTER_MCP_MESSAGE_ERROR);
  g_assert_cmpint (m->error_code, ==, -32601);
  g_assert_cmpstr (m->error_message, ==, "nope");
}

static void
test_message_hostile (void)
{
  const char *bad[] = {
    "",
    "garbage",
    "{\"jsonrpc\":\"1.0\",\"id\":1,\"result\":{}}",
    "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"result\":{}}",
    "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"result\":{}}",
    "{\"jsonrpc\":\"2.0\",\"method\":5}",
    "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":3}",
    "{\"jsonrpc\":\"2.0\",\"result\":{}}",
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"bad\"}",
    "{\"jsonrpc\":\"2.0\",\"id\":1}",
    "[]",
    "[1]",
    "\"just a string\"",
    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}} trailing",
  };
  g_autoptr(GString) deep = g_string_new ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":");
  g_autofree char *huge = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) messages = natter_mcp_message_parse (bad[i], strlen (bad[i]), &error);

      g_test_message ("%s", bad[i]);
      g_assert_null (messages);
      g_assert_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL);
      g_assert_true (g_str_has_prefix (error->message, "The server sent an invalid message"));
    }

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) messages = natter_mcp_message_parse (deep->str, deep->len, &error);

    g_assert_null (messages);
    g_assert_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL);
  }

  huge = g_malloc0 (NATTER_MCP_MAX_MESSAGE_SIZE + 2);
  memset (huge, ' ', NATTER_MCP_MAX_MESSAGE_SIZE + 1);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) messages = natter_mcp_message_parse (huge, NATTER_MCP_MAX_MESSAGE_SIZE + 1, &error);

    g_assert_null (messages);
    g_assert_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL);
    g_assert_nonnull (strstr (error->message, "16 MiB"));
  }
}

/* ------------------------------------------------------------ stdio */

static void
test_stdio_lifecycle (void)
{
  g_autoptr(NatterMcpConfig) config = stdio_config ("test", "--page-size=2", NULL);
  g_autoptr(NatterMcpClient) client = natter_mcp_client_new (config);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  NatterToolSpec *echo;

  g_assert_true (start (client, &error));
  g_assert_no_error (error);
  g_assert_true (natter_mcp_client_is_running (client));
  g_assert_cmpstr (natter_mcp_client_get_server_info (client), ==, "natter-test-mcp-server 1.0");
  g_assert_cmpstr (natter_mcp_client_get_protocol_version (client), ==, "2025-11-25");

  /* Eleven tools over six pages of two. */
  tools = natter_mcp_client_get_tools (client);
  g_assert_cmpuint (tools->len, ==, 11);
  echo = g_ptr_array_index (tools, 0);
  g_assert_cmpstr (echo->tool, ==, "echo");
  g_assert_cmpstr (echo->server, ==, "test");
  g_assert_cmpstr (echo->description, ==, "Says the text back");
  g_assert_nonnull (echo->input_schema);
  g_assert_true (json_object_has_member (echo->input_schema, "properties"));
  g_assert_true (has_tool (client, "header"));
  g_assert_false (has_tool (client, "extra"));

  /* A second start while running completes at once. */
  g_assert_true (start (client, &error));

  /* What the server wrote on stderr is kept for a note. */
  g_assert_nonnull (strstr (natter_mcp_client_get_stderr (client), "ready"));

  natter_mcp_client_stop (client);
  g_assert_false (natter_mcp_client_is_running (client));
  g_assert_error (natter_mcp_client_get_error (client), NATTER_MCP_ERROR, NATTER_MCP_ERROR_CLOSED);
}

static void
check_calls (NatterMcpClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterToolResult) failed = NULL;
  g_autoptr(NatterToolResult) unknown = NULL;
  g_autofree char *echo = call_text (client, "echo", "{\"text\":\"héllo\\nworld\"}");
  g_autofree char *sum = call_text (client, "add", "{\"a\":2,\"b\":40}");

  g_assert_cmpstr (echo, ==, "héllo\nworld");
  g_assert_cmpstr (sum, ==, "42");

  failed = call (client, "fail", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (failed->is_error);
  g_assert_cmpstr (failed->content, ==, "it failed");

  unknown = call (client, "nope", NULL, NULL, &error);
  g_assert_null (unknown);
  g_assert_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Unknown tool"));
}

static void
test_stdio_call (void)
{
  g_autoptr(NatterMcpConfig) config = stdio_config ("test", NULL);
  g_autoptr(NatterMcpClient) client = natter_mcp_client_new (config);
  g_autoptr(GError) error = NULL;
  g_autofree char *env = NULL;
  g_autofree char *pong = NULL;

  natter_mcp_config_set_env (config, "NATTER_TEST_VALUE", "from-config", FALSE);
  g_clear_object (&client);
  client = natter_mcp_client_new (config);
  g_assert_true (start (client, &error));
  check_calls (client);

  env = call_text (client, "env", "{\"name\":\"NATTER_TEST_VALUE\"}");
  g_assert_cmpstr (env, ==, "from-config");

  /* A huge result is cut to what a model can read, saying so. */
  {
    g_autoptr(GString) huge = g_string_new ("{\"text\":\"");
    g_autofree char *cut = NULL;

    for (guint i = 0; i < 2 * 1024 * 1024; i++)
      g_string_append_c (huge, 'y');
    g_string_append (huge, "\"}");
    cut = call_text (client, "echo", huge->str);
    g_assert_cmpuint (strlen (cut), <, NATTER_MCP_MAX_RESULT_TEXT + 100);
    g_assert_true (g_str_has_suffix (cut, "[… 1048576 more bytes cut by Natter]"));
  }

  /* The server's own requests: ping answered, anything else refused. */
  pong = call_text (client, "ping_me", NULL);
  g_assert_cmpstr (pong, ==, "pong and method-not-found received");
}

static void
check_list_changed (NatterMcpClient *client)
{
  gboolean changed = FALSE;
  g_autofree char *text = NULL;
  g_autofree char *extra = NULL;

  g_signal_connect (client, "tools-changed", G_CALLBACK (on_flag), &changed);
  text = call_text (client, "change_tools", NULL);
  g_assert_cmpstr (text, ==, "changed");
  g_assert_true (natter_test_wait_for (&changed, 10000));
  g_assert_true (has_tool (client, "extra"));
  extra = call_text (client, "extra", NULL);
  g_assert_cmpstr (extra, ==, "extra");
  g_signal_handlers_disconnect_by_data (client, &changed);
}

/* Calls in flight together: answers matched by id, whatever their order. */
static void
test_stdio_parallel (void)
{
  g_autoptr(NatterMcpConfig) config = stdio_config ("test", NULL);
  g_autoptr(NatterMcpClient) client = natter_mcp_client_new (config);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) slow = NULL;
  g_autoptr(GAsyncResult) fast = NULL;
  g_autoptr(JsonNode) slow_args = json_from_string ("{\"seconds\":1}", NULL);
  g_autoptr(JsonNode) fast_args = json_from_string ("{\"text\":\"first\"}", NULL);
  g_autoptr(NatterToolResult) slow_result = NULL;
  g_autoptr(NatterToolResult) fast_result = NULL;

  g_assert_true (start (client, &error));
  natter_mcp_client_call_tool_async (client, "slow", json_node_get_object (slow_args), NULL, store_result, &slow);
  natter_mcp_client_call_tool_async (client, "echo", json_node_get_object (fast_args), NULL, store_result, &fast);
  wait_result (&fast);
  g_assert_null (slow);
  fast_result = natter_mcp_client_call_tool_finish (client, fast, &error);
  g_assert_cmpstr (fast_result->content, ==, "first");
  slow_result = natter_mcp_client_call_tool_finish (client, wait_result (&slow), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (slow_result->content, ==, "done");
}

static void
test_stdio_list_changed (void)
{
  g_autoptr(NatterMcpConfig) config = stdio_config ("test", NULL);
  g_autoptr(NatterMcpClient) client = natter_mcp_client_new (config);
  g_autoptr(GError) error = NULL;

  g_assert_true (start (client, &error));
  check_list_changed (client);
}

/* Polls the server's record of cancellations until @needle shows. */
static gboolean
wait_cancellation (NatterMcpClient *client,
                   const char      *needle)
{
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *text = call_text (client, "cancellations", NULL);

      if (strstr (text, needle) != NULL)
        return TRUE;
      g_usleep (50 * 1000);
    }
  return FALSE;
}

static void
check_timeout_and_cancel (NatterMcpClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterToolResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) async = NULL;
  g_autofree char *after = NULL;
  gint64 started;

  natter_mcp_client_set_timeout (client, 1);
  started = g_get_monotonic_time ();
  result = call (client, "slow", "{\"seconds\":60}", NULL, &error);
  g_assert_null (result);
  g_assert_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "did not answer within 1 s"));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 30 * G_USEC_PER_SEC);
  g_clear_error (&error);
  natter_mcp_client_set_timeout (client, 30);
  g_assert_true (wait_cancellation (client, ":timed out"));

  /* Cancelled by the person: the call ends at once, the server is told. */
  natter_mcp_client_call_tool_async (client, "slow", NULL, cancellable, store_result, &async);
  g_cancellable_cancel (cancellable);
  result = natter_mcp_client_call_tool_finish (client, wait_result (&async), &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (wait_cancellation (client, ":cancelled"));

  /* The connection still works. */
  after = call_text (client, "echo", "{\"text\":\"still here\"}");
  g_assert_cmpstr (after, ==, "still here");
}

static void
test_stdio_cancel (void)
{
  g_autoptr(NatterMcpConfig) config = stdio_config ("test", NULL);
  g_autoptr(NatterMcpClient) client = natter_mcp_client_new (config);
  g_autoptr(GError) error = NULL;

  g_assert_true (start (client, &error));
  check_timeout_and_cancel (client);
}

static void
test_stdio_crash (void)
{
  g_autoptr(NatterMcpConfig) config = stdio_config ("test", NULL);
  g_autoptr(NatterMcpClient) client = natter_mcp_client_new (config);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterToolResult) result = NULL;
  g_autofree char *again = NULL;

  g_assert_true (start (client, &error));
  result = call (client, "crash", NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CLOSED);
  g_assert_nonnull (strstr (error->message, "exited with status 3"));
  g_assert_nonnull (strstr (error->message, "crashing on purpose"));
  g_assert_false (natter_mcp_client_is_running (client));
  g_clear_error (&error);

  /* Calls fail at once while it is down; a new start brings it back. */
  g_clear_pointer (&result, natter_tool_result_free);
  result = call (client, "echo", NULL, NULL, &error);
  g_assert_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_true (start (client, &error));
  again = call_text (client, "echo", "{\"text\":\"back\"}");
  g_assert_cmpstr (again, ==, "back");
}

static void
test_stdio_hostile (void)
{
  struct {
    const char *mode;
    int         code;
    const char *words;
  } cases[] = {
    { "huge", NATTER_MCP_ERROR_PROTOCOL, "line longer than 16 MiB" },
    { "deep", NATTER_MCP_ERROR_PROTOCOL, "invalid message" },
    { "garbage", NATTER_MCP_ERROR_PROTOCOL, "invalid message" },
    { "hang", NATTER_MCP_ERROR_TIMEOUT, "did not answer" },
    { "badversion", NATTER_MCP_ERROR_PROTOCOL, "1999-01-01" },
    { "exit", NATTER_MCP_ERROR_CLOSED, "exited with status 7: fatal: no configuration found" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *arg = g_strdup_printf ("--hostile=%s", cases[i].mode);
      g_autoptr(NatterMcpConfig) config = stdio_config ("hostile", arg, NULL);
      g_autoptr(NatterMcpClient) client = natter_mcp_client_new (config);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].mode);
      natter_mcp_client_set_timeout (client, 2);
      g_assert_false (start (client, &error));
      g_assert_error (error, NATTER_MCP_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_nonnull (strstr (error->message, "hostile"));
      g_assert_false (natter_mcp_client_is_running (client));
    }
}

static gboolean
process_alive (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *state;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  /* "PID (name) STATE …": a zombie is gone, only not yet reaped. */
  state = strrchr (stat, ')');
  return state != NULL && state[1] == ' ' && state[2] != 'Z';
}

static gboolean
stderr_has_child (gpointer data)
{
  return strstr (natter_mcp_client_get_stderr (data), "child ") != NULL;
}

static gboolean
child_gone (gpointer data)
{
  return !process_alive (GPOINTER_TO_INT (data));
}

static gboolean
wait_for (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
  return TRUE;
}

/* Stopping a server stops what it started. */
static void
test_stdio_stop_children (void)
{
  g_autoptr(NatterMcpConfig) config = stdio_config ("parent", "--spawn-child", NULL);
  g_autoptr(NatterMcpClient) client = natter_mcp_client_new (config);
  g_autoptr(GError) error = NULL;
  const char *line;
  int pid;

  g_assert_true (start (client, &error));
  g_assert_true (wait_for (stderr_has_child, client, 5000));
  line = strstr (natter_mcp_client_get_stderr (client), "child ");
  pid = atoi (line + 6);
  g_assert_cmpint (pid, >, 1);
  g_assert_true (process_alive (pid));

  natter_mcp_client_stop (client);
  g_assert_true (wait_for (child_gone, GINT_TO_POINTER (pid), 10000));
}

static void
test_stdio_missing_command (void)
{
  g_autoptr(NatterMcpConfig) config = natter_mcp_config_new_stdio ("ghost", "/nonexistent/natter-no-such-server", NULL);
  g_autoptr(NatterMcpClient) client = natter_mcp_client_new (config);
  g_autoptr(GError) error = NULL;

  g_assert_false (start (client, &error));
  g_assert_error (error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_START);
  g_assert_nonnull (strstr (error->message, "ghost"));
}

/* ------------------------------------------------------------ http */

static NatterToolResult *host_call (NatterToolHost *host, const char *name, const char *arguments, GError **error);

static void
test_http (gconstpointer data)
{
  const char *mode = data;
  HttpServer server = { 0 };
  g_autoptr(NatterMcpConfig) config = NULL;
  g_autoptr(NatterMcpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autofree char *header = NULL;

  http_server_start (&server, mode);
  config = natter_mcp_config_new_http ("remote", server.url);
  natter_mcp_config_set_header (config, "X-Team", "blue", FALSE);
  natter_mcp_config_set_header (config, "Authorization", "Bearer sekrit-token", TRUE);
  client = natter_mcp_client_new (config);

  g_assert_true (start (client, &error));
  g_assert_no_error (error);
  /* The session the server opened is kept (it refuses requests without). */
  g_assert_nonnull (natter_mcp_client_get_session_id (client));
  g_assert_cmpint (strlen (natter_mcp_client_get_session_id (client)), ==, 36);
  tools = natter_mcp_client_get_tools (client);
  g_assert_cmpuint (tools->len, ==, 11);

  check_calls (client);
  header = call_text (client, "header", "{\"name\":\"Authorization\"}");
  g_assert_cmpstr (header, ==, "Bearer sekrit-token");
  g_clear_pointer (&header, g_free);
  header = call_text (client, "header", "{\"name\":\"X-Team\"}");
  g_assert_cmpstr (header, ==, "blue");
  /* With JSON answers the notification comes on the GET stream. */
  check_list_changed (client);
  check_timeout_and_cancel (client);

  natter_mcp_client_stop (client);
  http_server_stop (&server);
}

static void
test_http_hostile (void)
{
  struct {
    const char *mode;
    int         code;
    const char *words;
  } cases[] = {
    { "--hostile=garbage", NATTER_MCP_ERROR_PROTOCOL, "invalid message" },
    { "--hostile=html", NATTER_MCP_ERROR_PROTOCOL, "text/html" },
    { "--hostile=huge", NATTER_MCP_ERROR_PROTOCOL, "larger than 16 MiB" },
    { "--hostile=huge-event", NATTER_MCP_ERROR_PROTOCOL, "larger than 8 MiB" },
    { "--hostile=deep", NATTER_MCP_ERROR_PROTOCOL, "invalid message" },
    { "--hostile=no-answer", NATTER_MCP_ERROR_PROTOCOL, "without a response" },
    { "--require-header=Authorization=Bearer right", NATTER_MCP_ERROR_HTTP, "HTTP 401" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HttpServer server = { 0 };
      g_autoptr(NatterMcpConfig) config = NULL;
      g_autoptr(NatterMcpClient) client = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].mode);
      http_server_start (&server, cases[i].mode);
      config = natter_mcp_config_new_http ("hostile", server.url);
      client = natter_mcp_client_new (config);
      natter_mcp_client_set_timeout (client, 10);
      g_assert_false (start (client, &error));
      g_assert_error (error, NATTER_MCP_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_nonnull (strstr (error->message, "hostile"));
      http_server_stop (&server);
    }
}

/* A server that forgot the session: the call fails, the next one starts a
 * new session. */
static void
test_http_session_expired (void)
{
  HttpServer server = { 0 };
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_mcp_config_free);
  g_autoptr(NatterMcpHost) host = NULL;
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(NatterToolResult) result = NULL;
  g_autofree char *first = NULL;
  NatterMcpClient *client;

  http_server_start (&server, NULL);
  g_ptr_array_add (configs, natter_mcp_config_new_http ("web", server.url));
  host = natter_mcp_host_new_for_configs (configs);
  natter_mcp_host_start_async (host, NULL, store_result, &started);
  g_assert_true (natter_mcp_host_start_finish (host, wait_result (&started), NULL));
  client = natter_mcp_host_get_client (host, "web");
  first = g_strdup (natter_mcp_client_get_session_id (client));
  g_assert_nonnull (first);

  result = host_call (NATTER_TOOL_HOST (host), "web__forget_session", "{}", NULL);
  g_assert_cmpstr (result->content, ==, "forgotten");
  g_clear_pointer (&result, natter_tool_result_free);

  result = host_call (NATTER_TOOL_HOST (host), "web__echo", "{\"text\":\"a\"}", NULL);
  g_assert_true (result->is_error);
  g_assert_nonnull (strstr (result->content, "ended the session"));
  g_clear_pointer (&result, natter_tool_result_free);

  result = host_call (NATTER_TOOL_HOST (host), "web__echo", "{\"text\":\"b\"}", NULL);
  g_assert_false (result->is_error);
  g_assert_cmpstr (result->content, ==, "b");
  g_assert_cmpstr (natter_mcp_client_get_session_id (client), !=, first);
  http_server_stop (&server);
}

/* A server without a GET stream (404 to it) still works. */
static void
test_http_no_stream (void)
{
  HttpServer server = { 0 };
  g_autoptr(NatterMcpConfig) config = NULL;
  g_autoptr(NatterMcpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  http_server_start (&server, "--no-get");
  config = natter_mcp_config_new_http ("plain", server.url);
  client = natter_mcp_client_new (config);
  g_assert_true (start (client, &error));
  first = call_text (client, "echo", "{\"text\":\"one\"}");
  g_assert_cmpstr (first, ==, "one");
  g_assert_true (natter_mcp_client_is_running (client));
  second = call_text (client, "echo", "{\"text\":\"two\"}");
  g_assert_cmpstr (second, ==, "two");
  natter_mcp_client_stop (client);
  http_server_stop (&server);
}

static void
test_http_unreachable (void)
{
  g_autoptr(NatterMcpConfig) config = natter_mcp_config_new_http ("gone", "http://127.0.0.1:9/mcp");
  g_autoptr(NatterMcpClient) client = natter_mcp_client_new (config);
  g_autoptr(GError) error = NULL;

  g_assert_false (start (client, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "gone"));
}

/* ------------------------------------------------------------ host */

static NatterToolResult *
host_call (NatterToolHost *host,
           const char     *name,
           const char     *arguments,
           GError        **error)
{
  g_autoptr(NatterToolCall) tool_call = natter_tool_call_new ("call_1", name, arguments);
  g_autoptr(GAsyncResult) result = NULL;

  natter_tool_host_call_tool_async (host, tool_call, NULL, store_result, &result);
  return natter_tool_host_call_tool_finish (host, wait_result (&result), error);
}

static void
test_host (void)
{
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_mcp_config_free);
  g_autoptr(NatterMcpHost) host = NULL;
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(NatterToolResult) result = NULL;
  g_auto(GStrv) notes = NULL;
  const char *server = NULL;
  const char *tool = NULL;
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_ptr_array_add (configs, stdio_config ("files", NULL));
  g_ptr_array_add (configs, stdio_config ("my server!2", NULL));
  g_ptr_array_add (configs, stdio_config ("my server?2", NULL));
  g_ptr_array_add (configs, natter_mcp_config_new_stdio ("broken", "/nonexistent/server", NULL));
  host = natter_mcp_host_new_for_configs (configs);

  /* Nothing runs before it is started. */
  tools = natter_tool_host_list_tools (NATTER_TOOL_HOST (host));
  g_assert_cmpuint (tools->len, ==, 0);
  g_clear_pointer (&tools, g_ptr_array_unref);

  natter_mcp_host_start_async (host, NULL, store_result, &started);
  g_assert_true (natter_mcp_host_start_finish (host, wait_result (&started), &error));
  g_assert_no_error (error);

  notes = natter_mcp_host_dup_notes (host);
  g_assert_cmpuint (g_strv_length (notes), ==, 1);
  g_assert_nonnull (strstr (notes[0], "broken"));

  tools = natter_tool_host_list_tools (NATTER_TOOL_HOST (host));
  g_assert_cmpuint (tools->len, ==, 33);
  for (guint i = 0; i < tools->len; i++)
    {
      NatterToolSpec *spec = g_ptr_array_index (tools, i);

      g_assert_true (g_regex_match_simple ("^[a-zA-Z0-9_-]{1,64}$", spec->name, 0, 0));
      g_assert_false (g_hash_table_contains (seen, spec->name));
      g_hash_table_add (seen, spec->name);
    }
  g_assert_cmpstr (((NatterToolSpec *) g_ptr_array_index (tools, 0))->name, ==, "files__echo");
  g_assert_cmpstr (((NatterToolSpec *) g_ptr_array_index (tools, 11))->name, ==, "my_server_2__echo");
  g_assert_cmpstr (((NatterToolSpec *) g_ptr_array_index (tools, 22))->name, ==, "my_server_2__echo_2");
  g_assert_true (natter_mcp_host_lookup (host, "my_server_2__echo_2", &server, &tool));
  g_assert_cmpstr (server, ==, "my server?2");
  g_assert_cmpstr (tool, ==, "echo");
  g_hash_table_unref (seen);

  result = host_call (NATTER_TOOL_HOST (host), "files__add", "{\"a\":1,\"b\":2}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->call_id, ==, "call_1");
  g_assert_cmpstr (result->name, ==, "files__add");
  g_assert_cmpstr (result->content, ==, "3");
  g_assert_false (result->is_error);
  g_clear_pointer (&result, natter_tool_result_free);

  /* Errors of every kind come back as error results for the model. */
  result = host_call (NATTER_TOOL_HOST (host), "nothing__here", "{}", &error);
  g_assert_no_error (error);
  g_assert_true (result->is_error);
  g_assert_nonnull (strstr (result->content, "nothing__here"));
  g_clear_pointer (&result, natter_tool_result_free);

  result = host_call (NATTER_TOOL_HOST (host), "files__echo", "[1,2]", &error);
  g_assert_no_error (error);
  g_assert_true (result->is_error);
  g_assert_nonnull (strstr (result->content, "not a JSON object"));
  g_clear_pointer (&result, natter_tool_result_free);

  result = host_call (NATTER_TOOL_HOST (host), "files__crash", "{}", &error);
  g_assert_no_error (error);
  g_assert_true (result->is_error);
  g_assert_nonnull (strstr (result->content, "exited with status 3"));
  g_clear_pointer (&result, natter_tool_result_free);

  /* The crashed server starts again at its next call. */
  result = host_call (NATTER_TOOL_HOST (host), "files__echo", "{\"text\":\"again\"}", &error);
  g_assert_no_error (error);
  g_assert_false (result->is_error);
  g_assert_cmpstr (result->content, ==, "again");
  g_clear_pointer (&result, natter_tool_result_free);

  /* A timed-out call is an error result; the host's limit applies. */
  natter_mcp_host_set_timeout (host, 1);
  result = host_call (NATTER_TOOL_HOST (host), "files__slow", "{\"seconds\":30}", &error);
  g_assert_no_error (error);
  g_assert_true (result->is_error);
  g_assert_nonnull (strstr (result->content, "did not answer within 1 s"));
}

static void
test_host_tools_changed (void)
{
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_mcp_config_free);
  g_autoptr(NatterMcpHost) host = NULL;
  g_autoptr(GAsyncResult) started = NULL;
  g_autoptr(NatterToolResult) result = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  gboolean changed = FALSE;

  g_ptr_array_add (configs, stdio_config ("t", NULL));
  host = natter_mcp_host_new_for_configs (configs);
  g_signal_connect (host, "tools-changed", G_CALLBACK (on_flag), &changed);
  natter_mcp_host_start_async (host, NULL, store_result, &started);
  g_assert_true (natter_mcp_host_start_finish (host, wait_result (&started), NULL));
  tools = natter_tool_host_list_tools (NATTER_TOOL_HOST (host));
  g_assert_cmpuint (tools->len, ==, 11);
  g_clear_pointer (&tools, g_ptr_array_unref);

  result = host_call (NATTER_TOOL_HOST (host), "t__change_tools", "{}", NULL);
  g_assert_cmpstr (result->content, ==, "changed");
  g_assert_true (natter_test_wait_for (&changed, 10000));
  tools = natter_tool_host_list_tools (NATTER_TOOL_HOST (host));
  g_assert_cmpuint (tools->len, ==, 12);
  g_assert_cmpstr (((NatterToolSpec *) g_ptr_array_index (tools, 11))->name, ==, "t__extra");
}

/* ------------------------------------------------------------ config, store */

static void
test_import (void)
{
  g_autofree char *path = natter_test_fixture_path ("mcp/mcp-servers.json");
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  NatterMcpConfig *c;
  NatterCustomHeader *h;
  const char *bad[] = {
    "not json",
    "{}",
    "{\"mcpServers\": []}",
    "{\"mcpServers\": {\"a\": {}}}",
    "{\"mcpServers\": {\"a\": {\"command\": \"x\", \"args\": \"y\"}}}",
    "{\"mcpServers\": {\"a\": {\"url\": \"ftp://x\"}}}",
    "{\"mcpServers\": {\"a\": {\"command\": \"x\", \"env\": {\"1BAD\": \"v\"}}}}",
    "{\"mcpServers\": {\"a/b\": {\"command\": \"x\"}}}",
    "{\"mcpServers\": {\"a\": {\"type\": \"carrier-pigeon\", \"command\": \"x\"}}}",
  };

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  configs = natter_mcp_config_parse_servers_file (data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (configs->len, ==, 3);

  c = g_ptr_array_index (configs, 0);
  g_assert_cmpstr (c->name, ==, "filesystem");
  g_assert_cmpint (c->transport, ==, NATTER_MCP_TRANSPORT_STDIO);
  g_assert_cmpstr (c->command, ==, "npx");
  g_assert_cmpuint (g_strv_length (c->args), ==, 3);
  g_assert_cmpstr (c->args[2], ==, "/home/me/Documents");
  g_assert_cmpuint (c->env->len, ==, 0);

  c = g_ptr_array_index (configs, 1);
  g_assert_cmpstr (c->name, ==, "github");
  g_assert_cmpuint (c->env->len, ==, 2);
  h = g_ptr_array_index (c->env, 0);
  g_assert_cmpstr (h->name, ==, "GITHUB_PERSONAL_ACCESS_TOKEN");
  g_assert_true (h->secret);
  h = g_ptr_array_index (c->env, 1);
  g_assert_cmpstr (h->name, ==, "LOG_LEVEL");
  g_assert_false (h->secret);

  c = g_ptr_array_index (configs, 2);
  g_assert_cmpstr (c->name, ==, "remote docs");
  g_assert_cmpint (c->transport, ==, NATTER_MCP_TRANSPORT_HTTP);
  g_assert_cmpstr (c->url, ==, "https://mcp.example.com/mcp");
  g_assert_cmpuint (c->headers->len, ==, 2);
  g_assert_true (natter_mcp_config_has_secrets (c));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(GPtrArray) none = natter_mcp_config_parse_servers_file (bad[i], strlen (bad[i]), &bad_error);

      g_test_message ("%s", bad[i]);
      g_assert_null (none);
      g_assert_error (bad_error, NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG);
    }
}

static void
test_store (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(NatterMcpConfig) http = natter_mcp_config_new_http ("Remote", "https://mcp.example.com/mcp");
  g_autoptr(NatterMcpConfig) local = natter_mcp_config_new_stdio ("local", "/usr/bin/server",
                                                                  (const char *[]) { "--flag", NULL });
  g_autoptr(NatterMcpConfig) clash = natter_mcp_config_new_stdio ("REMOTE", "x", NULL);
  g_autoptr(NatterMcpConfig) got = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) chat_servers = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *secret_json = NULL;
  gsize len;
  gint64 chat_id;

  db = natter_database_open (path, &error);
  g_assert_no_error (error);
  natter_mcp_config_set_header (http, "Authorization", "Bearer do-not-store-me", TRUE);
  natter_mcp_config_set_header (http, "X-Team", "blue", FALSE);
  natter_mcp_config_set_env (local, "API_KEY", "also-secret-value", TRUE);
  local->timeout = 5;

  g_assert_true (natter_mcp_store_save (db, http, &error));
  g_assert_no_error (error);
  g_assert_true (natter_mcp_store_save (db, local, &error));
  g_assert_false (natter_mcp_store_save (db, clash, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  list = natter_mcp_store_list (db, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((NatterMcpConfig *) g_ptr_array_index (list, 0))->name, ==, "local");

  got = natter_mcp_store_get (db, "remote", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->uuid, ==, http->uuid);
  g_assert_cmpstr (got->url, ==, "https://mcp.example.com/mcp");
  g_assert_cmpuint (got->headers->len, ==, 2);
  g_assert_true (((NatterCustomHeader *) g_ptr_array_index (got->headers, 0))->secret);
  g_assert_null (((NatterCustomHeader *) g_ptr_array_index (got->headers, 0))->value);
  g_assert_cmpstr (((NatterCustomHeader *) g_ptr_array_index (got->headers, 1))->value, ==, "blue");

  /* The keyring item holds the secret values; applying it fills them in. */
  secret_json = natter_mcp_config_secret_json (http);
  g_assert_cmpstr (secret_json, ==, "{\"Authorization\":\"Bearer do-not-store-me\"}");
  natter_mcp_config_apply_secrets (got, secret_json);
  g_assert_cmpstr (((NatterCustomHeader *) g_ptr_array_index (got->headers, 0))->value, ==, "Bearer do-not-store-me");
  g_clear_pointer (&got, natter_mcp_config_free);

  got = natter_mcp_store_get (db, "local", &error);
  g_assert_cmpuint (got->timeout, ==, 5);
  g_assert_cmpstr (got->args[0], ==, "--flag");

  /* Per chat: set, renamed with the server, removed with it. */
  g_assert_true (natter_database_exec (db, "INSERT INTO chats (title, created_at, updated_at) VALUES ('c', 0, 0)", &error));
  chat_id = sqlite3_last_insert_rowid (natter_database_get_handle (db));
  g_assert_true (natter_mcp_chat_servers_set (db, chat_id, (const char *[]) { "Remote", "local", NULL }, &error));
  chat_servers = natter_mcp_chat_servers_get (db, chat_id, &error);
  g_assert_cmpuint (g_strv_length (chat_servers), ==, 2);
  g_assert_cmpstr (chat_servers[0], ==, "local");
  g_clear_pointer (&chat_servers, g_strfreev);

  g_free (got->name);
  got->name = g_strdup ("local2");
  g_assert_true (natter_mcp_store_save (db, got, &error));
  chat_servers = natter_mcp_chat_servers_get (db, chat_id, &error);
  g_assert_cmpstr (chat_servers[0], ==, "local2");
  g_clear_pointer (&chat_servers, g_strfreev);

  g_assert_true (natter_mcp_store_remove (db, "remote", &error));
  g_assert_false (natter_mcp_store_remove (db, "remote", &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  chat_servers = natter_mcp_chat_servers_get (db, chat_id, &error);
  g_assert_cmpuint (g_strv_length (chat_servers), ==, 1);
  g_clear_pointer (&chat_servers, g_strfreev);

  /* Deleting the chat forgets its choice. */
  g_assert_true (natter_database_exec (db, "DELETE FROM chats", &error));
  chat_servers = natter_mcp_chat_servers_get (db, chat_id, &error);
  g_assert_cmpuint (g_strv_length (chat_servers), ==, 0);

  natter_database_close (db);

  /* No secret value anywhere in the database files. */
  for (guint i = 0; i < 3; i++)
    {
      const char *suffix[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (path, suffix[i], NULL);

      g_clear_pointer (&contents, g_free);
      if (!g_file_get_contents (file, &contents, &len, NULL))
        continue;
      g_assert_null (g_strstr_len (contents, len, "do-not-store-me"));
      g_assert_null (g_strstr_len (contents, len, "also-secret-value"));
    }
  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_tool_name (void)
{
  g_autofree char *a = natter_mcp_tool_name ("GitHub Server", "create.issue");
  g_autofree char *b = natter_mcp_tool_name ("ö", "");
  g_autofree char *long_name = g_strnfill (100, 'x');
  g_autofree char *c = natter_mcp_tool_name (long_name, "t");

  g_assert_cmpstr (a, ==, "GitHub_Server__create_issue");
  g_assert_cmpstr (b, ==, "____");
  g_assert_cmpuint (strlen (c), ==, 64);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/mcp/message/parse", test_message_parse);
  g_test_add_func ("/natter/mcp/message/hostile", test_message_hostile);
  g_test_add_func ("/natter/mcp/stdio/lifecycle", test_stdio_lifecycle);
  g_test_add_func ("/natter/mcp/stdio/call", test_stdio_call);
  g_test_add_func ("/natter/mcp/stdio/list-changed", test_stdio_list_changed);
  g_test_add_func ("/natter/mcp/stdio/parallel", test_stdio_parallel);
  g_test_add_func ("/natter/mcp/stdio/timeout-and-cancel", test_stdio_cancel);
  g_test_add_func ("/natter/mcp/stdio/crash", test_stdio_crash);
  g_test_add_func ("/natter/mcp/stdio/hostile", test_stdio_hostile);
  g_test_add_func ("/natter/mcp/stdio/missing-command", test_stdio_missing_command);
  g_test_add_func ("/natter/mcp/stdio/stop-children", test_stdio_stop_children);
  g_test_add_data_func ("/natter/mcp/http/mixed", "--page-size=3", test_http);
  g_test_add_data_func ("/natter/mcp/http/sse", "--sse", test_http);
  g_test_add_data_func ("/natter/mcp/http/json", "--json", test_http);
  g_test_add_func ("/natter/mcp/http/unreachable", test_http_unreachable);
  g_test_add_func ("/natter/mcp/http/hostile", test_http_hostile);
  g_test_add_func ("/natter/mcp/http/session-expired", test_http_session_expired);
  g_test_add_func ("/natter/mcp/http/no-stream", test_http_no_stream);
  g_test_add_func ("/natter/mcp/host/tools", test_host);
  g_test_add_func ("/natter/mcp/host/tools-changed", test_host_tools_changed);
  g_test_add_func ("/natter/mcp/host/tool-name", test_tool_name);
  g_test_add_func ("/natter/mcp/config/import", test_import);
  g_test_add_func ("/natter/mcp/store/servers", test_store);

  return g_test_run ();
}
