/* natter-fake-server.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A standalone fake provider for shell tests and benchmarks:
 *
 *   natter-fake-server --routes FILE [--log FILE] [--port N] [--max-seconds N]
 *
 * FILE is a JSON array of routes:
 *   {"method": "POST", "path": "/v1/chat/completions", "status": 200,
 *    "content_type": "text/event-stream", "headers": {"x-a": "b"},
 *    "chunks": ["data: ...\n\n", ...] | "body": "...",
 *    "chunk_delay_ms": N, "first_byte_delay_ms": N, "byte_at_a_time": bool,
 *    "drop_after_chunks": N, "stall_after_chunks": N,
 *    "repeat": {"chunk": "...", "count": N}, "chunks_after": [...]}
 * Several routes with the same method and path are served in order, the
 * last one repeating. A path ending in '*' matches as a prefix.
 *
 * Prints "PORT <n>" on stdout once listening and appends every request as
 * one JSON line to the --log file. Exits on SIGTERM/SIGINT or after
 * --max-seconds (default 600). */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "natter-fake-provider.h"

static FILE *log_file;

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
log_request (NatterFakeProvider      *provider,
             const NatterFakeRequest *request,
             gpointer                 user_data)
{
  g_autofree char *json = NULL;

  if (log_file == NULL)
    return;

  json = natter_fake_request_to_json (request);
  fprintf (log_file, "%s\n", json);
  fflush (log_file);
}

static gint64
member_int (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return fallback;

  return json_node_get_int (node);
}

static gboolean
add_chunks (NatterFakeResponse  *response,
            JsonObject          *object,
            const char          *name,
            guint                index,
            GError             **error)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Route %u: \"%s\" must be an array of strings", index, name);
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *chunk = json_array_get_element (array, i);

      if (json_node_get_value_type (chunk) != G_TYPE_STRING)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Route %u: \"%s\"[%u] is not a string", index, name, i);
          return FALSE;
        }
      natter_fake_response_add_chunk (response, json_node_get_string (chunk), -1, 0);
    }

  return TRUE;
}

static gboolean
load_routes (NatterFakeProvider  *provider,
             const char          *path,
             GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *routes;

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: expected a JSON array of routes", path);
      return FALSE;
    }

  routes = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (routes); i++)
    {
      JsonNode *node = json_array_get_element (routes, i);
      g_autoptr(NatterFakeResponse) response = NULL;
      JsonObject *object, *headers;
      const char *route_path;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Route %u is not an object", i);
          return FALSE;
        }
      object = json_node_get_object (node);
      route_path = json_object_get_string_member_with_default (object, "path", NULL);
      if (route_path == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Route %u has no \"path\"", i);
          return FALSE;
        }

      response = natter_fake_response_new (member_int (object, "status", 200),
                                           json_object_get_string_member_with_default (object, "content_type", "application/json"));

      headers = json_object_has_member (object, "headers")
                  ? json_object_get_object_member (object, "headers") : NULL;
      if (headers != NULL)
        {
          g_autoptr(GList) names = json_object_get_members (headers);

          for (GList *l = names; l != NULL; l = l->next)
            natter_fake_response_add_header (response, l->data,
                                             json_object_get_string_member (headers, l->data));
        }

      if (json_object_has_member (object, "body"))
        natter_fake_response_add_chunk (response,
                                        json_object_get_string_member (object, "body"), -1, 0);
      if (!add_chunks (response, object, "chunks", i, error))
        return FALSE;

      if (json_object_has_member (object, "repeat"))
        {
          JsonObject *repeat = json_object_get_object_member (object, "repeat");
          const char *chunk = repeat ? json_object_get_string_member_with_default (repeat, "chunk", NULL) : NULL;

          if (chunk == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Route %u: \"repeat\" needs \"chunk\" and \"count\"", i);
              return FALSE;
            }
          natter_fake_response_add_repeat (response, chunk, member_int (repeat, "count", 1));
        }

      if (!add_chunks (response, object, "chunks_after", i, error))
        return FALSE;

      natter_fake_response_set_chunk_delay (response, member_int (object, "chunk_delay_ms", 0));
      natter_fake_response_set_first_byte_delay (response, member_int (object, "first_byte_delay_ms", 0));
      natter_fake_response_set_byte_at_a_time (response, json_object_get_boolean_member_with_default (object, "byte_at_a_time", FALSE));
      natter_fake_response_set_drop_after (response, member_int (object, "drop_after_chunks", -1));
      natter_fake_response_set_stall_after (response, member_int (object, "stall_after_chunks", -1));

      natter_fake_provider_add_route (provider,
                                      json_object_get_string_member_with_default (object, "method", NULL),
                                      route_path,
                                      g_steal_pointer (&response));
    }

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *routes_path = NULL;
  g_autofree char *log_path = NULL;
  int port = 0;
  int max_seconds = 600;
  GOptionEntry entries[] = {
    { "routes", 0, 0, G_OPTION_ARG_FILENAME, &routes_path, "JSON file of routes", "FILE" },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &log_path, "Append every request as a JSON line", "FILE" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (default: any free one)", "N" },
    { "max-seconds", 0, 0, G_OPTION_ARG_INT, &max_seconds, "Exit after this long (default 600)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- fake LLM provider for tests");
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterFakeProvider) provider = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("natter-fake-server: %s\n", error->message);
      return 2;
    }
  if (routes_path == NULL)
    {
      g_printerr ("natter-fake-server: --routes FILE is required\n");
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("natter-fake-server: invalid port %d\n", port);
      return 2;
    }

  provider = natter_fake_provider_new_on_port (port, &error);
  if (provider == NULL)
    {
      g_printerr ("natter-fake-server: cannot listen: %s\n", error->message);
      return 1;
    }

  if (!load_routes (provider, routes_path, &error))
    {
      g_printerr ("natter-fake-server: %s\n", error->message);
      return 2;
    }

  if (log_path != NULL)
    {
      log_file = fopen (log_path, "a");
      if (log_file == NULL)
        {
          g_printerr ("natter-fake-server: cannot open %s for writing\n", log_path);
          return 1;
        }
      natter_fake_provider_set_request_func (provider, log_request, NULL);
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  if (max_seconds > 0)
    g_timeout_add_seconds (max_seconds, quit_cb, loop);

  g_print ("PORT %u\n", natter_fake_provider_get_port (provider));
  fflush (stdout);

  g_main_loop_run (loop);

  if (log_file != NULL)
    fclose (log_file);

  return 0;
}
