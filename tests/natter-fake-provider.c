/* natter-fake-provider.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-fake-provider.h"

/* Repeated chunks are written in batches of about this many bytes so that a
 * 100,000-event benchmark stream costs a few hundred main-loop turns. */
#define REPEAT_BATCH_BYTES (256 * 1024)

typedef enum
{
  STEP_DATA,
  STEP_REPEAT,
  STEP_GATE,
} StepKind;

typedef struct
{
  StepKind  kind;
  GBytes   *bytes;
  guint     delay_ms;
  gboolean  has_delay;
  guint     count;
  guint     per_batch;
} Step;

struct _NatterFakeResponse
{
  gatomicrefcount  ref_count;
  guint            status;
  char            *content_type;
  GPtrArray       *header_names;
  GPtrArray       *header_values;
  GArray          *steps;
  guint            chunk_delay_ms;
  guint            first_byte_delay_ms;
  gboolean         byte_at_a_time;
  int              drop_after;
  int              stall_after;
};

typedef struct
{
  char      *method;
  char      *path;
  gboolean   prefix;
  GPtrArray *responses;
  guint      next;
} Route;

typedef struct
{
  NatterFakeProvider *provider;
  SoupServerMessage  *msg;
  NatterFakeResponse *response;
  guint               step;
  gsize               offset;
  guint               repeat_done;
  guint               chunks_sent;
  guint               source_id;
  gulong              wrote_chunk_id;
  gulong              finished_id;
  gboolean            waiting_write;
  gboolean            at_gate;
} Stream;

struct _NatterFakeProvider
{
  SoupServer            *server;
  char                  *url;
  guint                  port;
  GPtrArray             *routes;
  GPtrArray             *requests;
  GPtrArray             *streams;
  NatterFakeRequestFunc  request_func;
  gpointer               request_data;
  guint                  n_chunks_sent;
};

static void stream_send_step (Stream *stream);

/* Responses */

static void
step_clear (gpointer data)
{
  Step *step = data;

  g_clear_pointer (&step->bytes, g_bytes_unref);
}

NatterFakeResponse *
natter_fake_response_new (guint       status,
                          const char *content_type)
{
  NatterFakeResponse *self = g_new0 (NatterFakeResponse, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->status = status;
  self->content_type = g_strdup (content_type);
  self->header_names = g_ptr_array_new_with_free_func (g_free);
  self->header_values = g_ptr_array_new_with_free_func (g_free);
  self->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (self->steps, step_clear);
  self->drop_after = -1;
  self->stall_after = -1;

  return self;
}

NatterFakeResponse *
natter_fake_response_new_body (guint       status,
                               const char *content_type,
                               const char *body)
{
  NatterFakeResponse *self = natter_fake_response_new (status, content_type);

  if (body != NULL)
    natter_fake_response_add_chunk (self, body, -1, 0);

  return self;
}

NatterFakeResponse *
natter_fake_response_ref (NatterFakeResponse *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
natter_fake_response_unref (NatterFakeResponse *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->content_type);
  g_ptr_array_unref (self->header_names);
  g_ptr_array_unref (self->header_values);
  g_array_unref (self->steps);
  g_free (self);
}

void
natter_fake_response_add_header (NatterFakeResponse *self,
                                 const char         *name,
                                 const char         *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && value != NULL);

  g_ptr_array_add (self->header_names, g_strdup (name));
  g_ptr_array_add (self->header_values, g_strdup (value));
}

void
natter_fake_response_add_chunk (NatterFakeResponse *self,
                                const char         *data,
                                gssize              len,
                                guint               delay_ms)
{
  Step step = { STEP_DATA, };

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  if (len < 0)
    len = strlen (data);

  step.bytes = g_bytes_new (data, len);
  step.delay_ms = delay_ms;
  step.has_delay = delay_ms > 0;
  g_array_append_val (self->steps, step);
}

void
natter_fake_response_add_repeat (NatterFakeResponse *self,
                                 const char         *chunk,
                                 guint               count)
{
  Step step = { STEP_REPEAT, };
  gsize len;
  guint per_batch;
  GString *batch;

  g_return_if_fail (self != NULL);
  g_return_if_fail (chunk != NULL);

  len = strlen (chunk);
  if (len == 0 || count == 0)
    return;

  per_batch = MAX (1, REPEAT_BATCH_BYTES / len);
  batch = g_string_sized_new (per_batch * len);
  for (guint i = 0; i < per_batch; i++)
    g_string_append_len (batch, chunk, len);

  step.bytes = g_string_free_to_bytes (batch);
  step.count = count;
  step.per_batch = per_batch;
  g_array_append_val (self->steps, step);
}

void
natter_fake_response_add_gate (NatterFakeResponse *self)
{
  Step step = { STEP_GATE, };

  g_return_if_fail (self != NULL);

  g_array_append_val (self->steps, step);
}

void
natter_fake_response_set_chunk_delay (NatterFakeResponse *self,
                                      guint               delay_ms)
{
  g_return_if_fail (self != NULL);
  self->chunk_delay_ms = delay_ms;
}

void
natter_fake_response_set_first_byte_delay (NatterFakeResponse *self,
                                           guint               delay_ms)
{
  g_return_if_fail (self != NULL);
  self->first_byte_delay_ms = delay_ms;
}

void
natter_fake_response_set_byte_at_a_time (NatterFakeResponse *self,
                                         gboolean            byte_at_a_time)
{
  g_return_if_fail (self != NULL);
  self->byte_at_a_time = !!byte_at_a_time;
}

void
natter_fake_response_set_drop_after (NatterFakeResponse *self,
                                     int                 n)
{
  g_return_if_fail (self != NULL);
  self->drop_after = n;
}

void
natter_fake_response_set_stall_after (NatterFakeResponse *self,
                                      int                 n)
{
  g_return_if_fail (self != NULL);
  self->stall_after = n;
}

/* A response that can go out in one piece with a Content-Length. */
static gboolean
response_is_simple (NatterFakeResponse *self)
{
  if (self->first_byte_delay_ms > 0 || self->byte_at_a_time ||
      self->drop_after >= 0 || self->stall_after >= 0)
    return FALSE;

  if (self->steps->len == 0)
    return TRUE;

  return self->steps->len == 1 &&
         g_array_index (self->steps, Step, 0).kind == STEP_DATA;
}

/* Routes and requests */

static void
route_free (gpointer data)
{
  Route *route = data;

  g_free (route->method);
  g_free (route->path);
  g_ptr_array_unref (route->responses);
  g_free (route);
}

static void
fake_request_free (gpointer data)
{
  NatterFakeRequest *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->uri);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_free (request->body);
  g_free (request->headers_json);
  g_free (request);
}

static JsonNode *
headers_to_node (SoupMessageHeaders *headers)
{
  g_autoptr(JsonObject) object = json_object_new ();
  SoupMessageHeadersIter iter;
  const char *name, *value;
  JsonNode *node;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (json_object_has_member (object, name))
        {
          g_autofree char *joined =
            g_strconcat (json_object_get_string_member (object, name), ", ", value, NULL);
          json_object_set_string_member (object, name, joined);
        }
      else
        json_object_set_string_member (object, name, value);
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);

  return node;
}

char *
natter_fake_request_to_json (const NatterFakeRequest *request)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *body = NULL;

  g_return_val_if_fail (request != NULL, NULL);

  body = g_utf8_make_valid (request->body, request->body_len);

  json_object_set_string_member (object, "method", request->method);
  json_object_set_string_member (object, "path", request->path);
  if (request->query != NULL)
    json_object_set_string_member (object, "query", request->query);
  else
    json_object_set_null_member (object, "query");
  json_object_set_member (object, "headers", headers_to_node (request->headers));
  json_object_set_string_member (object, "body", body);
  json_node_set_object (root, object);

  return json_to_string (root, FALSE);
}

static NatterFakeRequest *
record_request (NatterFakeProvider *self,
                SoupServerMessage  *msg)
{
  NatterFakeRequest *request = g_new0 (NatterFakeRequest, 1);
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->uri = g_uri_to_string (uri);
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_iter_init (&iter, in);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (request->headers, name, value);

  bytes = soup_message_body_flatten (body);
  request->body_len = g_bytes_get_size (bytes);
  request->body = g_malloc (request->body_len + 1);
  memcpy (request->body, g_bytes_get_data (bytes, NULL), request->body_len);
  request->body[request->body_len] = '\0';

  node = headers_to_node (request->headers);
  request->headers_json = json_to_string (node, FALSE);

  g_ptr_array_add (self->requests, request);

  return request;
}

static Route *
find_route (NatterFakeProvider *self,
            const char         *method,
            const char         *path)
{
  /* Exact paths first, then prefixes in the order they were added. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->routes->len; i++)
      {
        Route *route = g_ptr_array_index (self->routes, i);

        if (route->method != NULL && g_ascii_strcasecmp (route->method, method) != 0)
          continue;

        if (pass == 0 && !route->prefix && g_str_equal (path, route->path))
          return route;
        if (pass == 1 && route->prefix && g_str_has_prefix (path, route->path))
          return route;
      }

  return NULL;
}

/* Streams */

static void
stream_free (Stream *stream)
{
  g_clear_handle_id (&stream->source_id, g_source_remove);
  g_clear_signal_handler (&stream->wrote_chunk_id, stream->msg);
  g_clear_signal_handler (&stream->finished_id, stream->msg);
  g_clear_object (&stream->msg);
  g_clear_pointer (&stream->response, natter_fake_response_unref);
  g_free (stream);
}

static void
stream_remove (Stream *stream)
{
  /* The array's free func frees the stream. */
  g_ptr_array_remove (stream->provider->streams, stream);
}

static gboolean
stream_step_cb (gpointer data)
{
  Stream *stream = data;

  stream->source_id = 0;
  stream_send_step (stream);

  return G_SOURCE_REMOVE;
}

static void
stream_schedule (Stream *stream,
                 guint   delay_ms)
{
  g_assert (stream->source_id == 0);

  if (delay_ms > 0)
    stream->source_id = g_timeout_add (delay_ms, stream_step_cb, stream);
  else
    stream->source_id = g_idle_add (stream_step_cb, stream);
}

static void
stream_drop (Stream *stream)
{
  GSocket *socket = soup_server_message_get_socket (stream->msg);

  /* Shutting the socket down under the paused message leaves the client
   * with a chunked body that never got its terminator. (Stealing the
   * connection would let the server write the terminator first.) */
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);

  stream_remove (stream);
}

static void
stream_send_step (Stream *stream)
{
  NatterFakeResponse *response = stream->response;
  SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);
  Step *step;

  /* Checked before the end so that "after the last chunk" means: no
   * terminator. 0 means before the response head. */
  if (response->drop_after >= 0 && stream->chunks_sent >= (guint) response->drop_after)
    {
      stream_drop (stream);
      return;
    }

  if (response->stall_after >= 0 && stream->chunks_sent >= (guint) response->stall_after)
    return;

  if (stream->step >= response->steps->len)
    {
      soup_message_body_complete (body);
      soup_server_message_unpause (stream->msg);
      return;
    }

  step = &g_array_index (response->steps, Step, stream->step);

  switch (step->kind)
    {
    case STEP_GATE:
      stream->at_gate = TRUE;
      stream->step++;
      return;

    case STEP_DATA:
      {
        gsize len;
        const char *data = g_bytes_get_data (step->bytes, &len);

        if (len == 0)
          {
            stream->step++;
            stream->chunks_sent++;
            stream_schedule (stream, 0);
            return;
          }

        if (response->byte_at_a_time)
          {
            soup_message_body_append (body, SOUP_MEMORY_COPY, data + stream->offset, 1);
            if (++stream->offset == len)
              {
                stream->offset = 0;
                stream->step++;
                stream->chunks_sent++;
              }
          }
        else
          {
            soup_message_body_append_bytes (body, step->bytes);
            stream->step++;
            stream->chunks_sent++;
          }
      }
      break;

    case STEP_REPEAT:
      {
        guint n = step->count - stream->repeat_done;

        if (n >= step->per_batch)
          {
            soup_message_body_append_bytes (body, step->bytes);
            stream->repeat_done += step->per_batch;
          }
        else
          {
            gsize one = g_bytes_get_size (step->bytes) / step->per_batch;
            g_autoptr(GBytes) part = g_bytes_new_from_bytes (step->bytes, 0, one * n);

            soup_message_body_append_bytes (body, part);
            stream->repeat_done += n;
          }

        if (stream->repeat_done >= step->count)
          {
            stream->repeat_done = 0;
            stream->step++;
            stream->chunks_sent++;
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  stream->waiting_write = TRUE;
  soup_server_message_unpause (stream->msg);
}

static guint
stream_next_delay (Stream *stream)
{
  NatterFakeResponse *response = stream->response;
  Step *step;

  if (stream->step >= response->steps->len)
    return 0;

  step = &g_array_index (response->steps, Step, stream->step);
  if (step->kind != STEP_DATA || stream->offset > 0)
    return 0;

  return step->has_delay ? step->delay_ms : response->chunk_delay_ms;
}

static void
on_wrote_chunk (SoupServerMessage *msg,
                gpointer           data)
{
  Stream *stream = data;

  if (!stream->waiting_write)
    return;

  stream->waiting_write = FALSE;
  stream->provider->n_chunks_sent++;
  stream_schedule (stream, stream_next_delay (stream));
}

static void
on_finished (SoupServerMessage *msg,
             gpointer           data)
{
  stream_remove (data);
}

static void
send_not_found (SoupServerMessage *msg,
                const char        *path)
{
  g_autofree char *body =
    g_strdup_printf ("{\"error\":{\"message\":\"no fake route for %s\"}}", path);

  soup_server_message_set_status (msg, 404, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  NatterFakeProvider *self = user_data;
  NatterFakeRequest *request;
  NatterFakeResponse *response;
  SoupMessageHeaders *out;
  Route *route;
  Stream *stream;

  request = record_request (self, msg);
  if (self->request_func != NULL)
    self->request_func (self, request, self->request_data);

  route = find_route (self, request->method, request->path);
  if (route == NULL || route->responses->len == 0)
    {
      send_not_found (msg, request->path);
      return;
    }

  response = g_ptr_array_index (route->responses, route->next);
  if (route->next + 1 < route->responses->len)
    route->next++;

  out = soup_server_message_get_response_headers (msg);
  for (guint i = 0; i < response->header_names->len; i++)
    soup_message_headers_append (out,
                                 g_ptr_array_index (response->header_names, i),
                                 g_ptr_array_index (response->header_values, i));
  soup_server_message_set_status (msg, response->status, NULL);

  if (response_is_simple (response))
    {
      const char *data = "";
      gsize len = 0;

      if (response->steps->len == 1)
        data = g_bytes_get_data (g_array_index (response->steps, Step, 0).bytes, &len);
      soup_server_message_set_response (msg,
                                        response->content_type ? response->content_type
                                                               : "application/json",
                                        SOUP_MEMORY_COPY, data, len);
      return;
    }

  if (response->content_type != NULL)
    soup_message_headers_set_content_type (out, response->content_type, NULL);
  soup_message_headers_set_encoding (out, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  stream = g_new0 (Stream, 1);
  stream->provider = self;
  stream->msg = g_object_ref (msg);
  stream->response = natter_fake_response_ref (response);
  stream->wrote_chunk_id = g_signal_connect (msg, "wrote-chunk",
                                             G_CALLBACK (on_wrote_chunk), stream);
  stream->finished_id = g_signal_connect (msg, "finished",
                                          G_CALLBACK (on_finished), stream);
  g_ptr_array_add (self->streams, stream);

  soup_server_message_pause (msg);
  stream_schedule (stream, response->first_byte_delay_ms);
}

/* Provider */

NatterFakeProvider *
natter_fake_provider_new_on_port (guint    port,
                                  GError **error)
{
  g_autoptr(NatterFakeProvider) self = g_new0 (NatterFakeProvider, 1);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  GSList *listeners;

  self->routes = g_ptr_array_new_with_free_func (route_free);
  self->requests = g_ptr_array_new_with_free_func (fake_request_free);
  self->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
  self->server = soup_server_new ("server-header", "natter-fake-provider", NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  if (!soup_server_listen (self->server, address, 0, error))
    return NULL;

  /* Not soup_server_get_uris(): libsoup 3.2 leaks an address there. */
  listeners = soup_server_get_listeners (self->server);
  g_assert (listeners != NULL);
  bound = g_socket_get_local_address (listeners->data, error);
  g_slist_free (listeners);
  if (bound == NULL)
    return NULL;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);

  return g_steal_pointer (&self);
}

NatterFakeProvider *
natter_fake_provider_new (void)
{
  g_autoptr(GError) error = NULL;
  NatterFakeProvider *self = natter_fake_provider_new_on_port (0, &error);

  if (self == NULL)
    g_error ("Could not start the fake provider: %s", error->message);

  return self;
}

void
natter_fake_provider_free (NatterFakeProvider *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->streams, g_ptr_array_unref);
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  g_clear_pointer (&self->routes, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_free (self->url);
  g_free (self);
}

const char *
natter_fake_provider_get_url (NatterFakeProvider *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->url;
}

guint
natter_fake_provider_get_port (NatterFakeProvider *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->port;
}

void
natter_fake_provider_add_route (NatterFakeProvider *self,
                                const char         *method,
                                const char         *path,
                                NatterFakeResponse *response)
{
  Route *route = NULL;
  gboolean prefix;
  gsize len;

  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (response != NULL);

  len = strlen (path);
  prefix = len > 0 && path[len - 1] == '*';
  if (prefix)
    len--;

  for (guint i = 0; i < self->routes->len; i++)
    {
      Route *candidate = g_ptr_array_index (self->routes, i);

      if (candidate->prefix == prefix &&
          g_ascii_strcasecmp (candidate->method ? candidate->method : "",
                              method ? method : "") == 0 &&
          strlen (candidate->path) == len &&
          strncmp (candidate->path, path, len) == 0)
        {
          route = candidate;
          break;
        }
    }

  if (route == NULL)
    {
      route = g_new0 (Route, 1);
      route->method = g_strdup (method);
      route->prefix = prefix;
      route->path = g_strndup (path, len);
      route->responses =
        g_ptr_array_new_with_free_func ((GDestroyNotify) natter_fake_response_unref);
      g_ptr_array_add (self->routes, route);
    }

  g_ptr_array_add (route->responses, response);
}

void
natter_fake_provider_clear_routes (NatterFakeProvider *self)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_set_size (self->routes, 0);
}

void
natter_fake_provider_open_gate (NatterFakeProvider *self)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < self->streams->len; i++)
    {
      Stream *stream = g_ptr_array_index (self->streams, i);

      if (stream->at_gate && stream->source_id == 0)
        {
          stream->at_gate = FALSE;
          stream_schedule (stream, stream_next_delay (stream));
        }
    }
}

void
natter_fake_provider_set_request_func (NatterFakeProvider    *self,
                                       NatterFakeRequestFunc  func,
                                       gpointer               user_data)
{
  g_return_if_fail (self != NULL);
  self->request_func = func;
  self->request_data = user_data;
}

guint
natter_fake_provider_get_n_requests (NatterFakeProvider *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->requests->len;
}

const NatterFakeRequest *
natter_fake_provider_get_request (NatterFakeProvider *self,
                                  guint               i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->requests->len, NULL);
  return g_ptr_array_index (self->requests, i);
}

guint
natter_fake_provider_get_n_chunks_sent (NatterFakeProvider *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_chunks_sent;
}

guint
natter_fake_provider_get_n_active (NatterFakeProvider *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->streams->len;
}
