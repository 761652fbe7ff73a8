/* natter-mcp-http.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The Streamable HTTP transport: every message is one POST to the server's
 * address; a request is answered with a JSON body or an event stream that
 * carries the answer (and maybe notifications and requests before it);
 * notifications and responses are accepted with 202. The session the
 * server opens at initialize (Mcp-Session-Id) and the protocol version go
 * along on every later POST; DELETE ends the session. Credentials never
 * follow a redirect. */

#define G_LOG_DOMAIN "natter-mcp"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-mcp-client-private.h"
#include "natter-sse-framer.h"

#define READ_CHUNK (64 * 1024)

typedef struct
{
  NatterMcpClient  *client;
  SoupMessage      *msg;
  GCancellable     *cancellable;
  gint64            id;          /* the request's id, -1 for a notification or response */
  gboolean          initialize;
  gboolean          listen;      /* the GET stream of the server's own messages */
  void            (*done) (NatterMcpClient *self);
  NatterSseFramer  *framer;
  GByteArray       *body;
} Post;

static void
post_free (Post *post)
{
  g_clear_pointer (&post->framer, natter_sse_framer_free);
  g_clear_pointer (&post->body, g_byte_array_unref);
  g_clear_object (&post->msg);
  g_clear_object (&post->cancellable);
  g_clear_object (&post->client);
  g_free (post);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Post, post_free)

gboolean
_natter_mcp_http_open (NatterMcpClient  *self,
                       GError          **error)
{
  if (self->session == NULL)
    /* The GET stream holds one connection for as long as it is open; calls
     * in parallel and their cancellations need others. */
    self->session = soup_session_new_with_options ("user-agent", "Natter/" PACKAGE_VERSION,
                                                   "max-conns-per-host", 8, NULL);
  return TRUE;
}

static void
add_headers (NatterMcpClient *self,
             SoupMessage     *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  for (guint i = 0; i < self->config->headers->len; i++)
    {
      NatterCustomHeader *header = g_ptr_array_index (self->config->headers, i);

      if (header->value != NULL)
        soup_message_headers_replace (headers, header->name, header->value);
    }
  if (self->session_id != NULL)
    soup_message_headers_replace (headers, "Mcp-Session-Id", self->session_id);
  if (self->protocol_version != NULL)
    soup_message_headers_replace (headers, "MCP-Protocol-Version", self->protocol_version);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
}

/* What went wrong with this POST: the request fails with it; when it was
 * initialize, the start fails with it. */
static void
post_failed (Post   *post,
             GError *error)
{
  NatterMcpClient *self = post->client;

  if (post->id >= 0)
    _natter_mcp_client_fail (self, post->id, error);
  else
    {
      g_debug ("%s: %s", self->config->name, error->message);
      g_error_free (error);
    }
}

static void
post_finished (Post *post)
{
  NatterMcpClient *self = post->client;

  if (post->done != NULL && self->state != CLIENT_CLOSED)
    post->done (self);
  /* A stream that ended without the answer would leave the request hanging
   * until its time-out. */
  if (post->id >= 0 && _natter_mcp_client_lookup (self, post->id) != NULL)
    post_failed (post, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                                    _("Server “%s” ended its answer without a response."),
                                    self->config->name));
}

static gboolean
on_event (const char *event,
          const char *data,
          gsize       len,
          gpointer    user_data)
{
  Post *post = user_data;

  if ((event == NULL || g_str_equal (event, "message")) && len > 0)
    _natter_mcp_client_receive (post->client, data, len);
  return post->client->state != CLIENT_CLOSED;
}

static void read_more (Post *post, GInputStream *stream);

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Post) post = user_data;
  NatterMcpClient *self = post->client;
  GInputStream *stream = G_INPUT_STREAM (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (stream, result, &error);
  gsize len;

  if (bytes == NULL)
    {
      /* Cancelled: the answer came (or the request is over). */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        post_failed (post, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_CLOSED,
                                        _("Server “%s”: %s"), self->config->name, error->message));
      return;
    }
  len = g_bytes_get_size (bytes);
  if (self->state == CLIENT_CLOSED)
    return;

  if (len == 0)
    {
      if (post->body != NULL)
        _natter_mcp_client_receive (self, (const char *) post->body->data, post->body->len);
      else if (post->framer != NULL)
        natter_sse_framer_finish (post->framer);  /* an event without its blank line is dropped */
      if (self->state != CLIENT_CLOSED)
        post_finished (post);
      return;
    }

  if (post->body != NULL)
    {
      if (post->body->len + len > NATTER_MCP_MAX_MESSAGE_SIZE)
        {
          _natter_mcp_client_close (self, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                                                       _("Server “%s” sent an answer larger than %d MiB."),
                                                       self->config->name,
                                                       NATTER_MCP_MAX_MESSAGE_SIZE / (1024 * 1024)));
          return;
        }
      g_byte_array_append (post->body, g_bytes_get_data (bytes, NULL), len);
    }
  else if (!natter_sse_framer_feed (post->framer, g_bytes_get_data (bytes, NULL), len))
    {
      if (natter_sse_framer_overflowed (post->framer))
        _natter_mcp_client_close (self, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                                                     _("Server “%s” sent an event larger than %d MiB."),
                                                     self->config->name,
                                                     NATTER_FRAMER_MAX_EVENT_SIZE / (1024 * 1024)));
      return;
    }
  read_more (g_steal_pointer (&post), stream);
}

static void
read_more (Post         *post,
           GInputStream *stream)
{
  g_input_stream_read_bytes_async (stream, READ_CHUNK, G_PRIORITY_DEFAULT, post->cancellable,
                                   on_read, post);
}

static gboolean
valid_session_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 256)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (*p < 0x21 || *p > 0x7e)
      return FALSE;
  return TRUE;
}

static void
on_sent (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Post) post = user_data;
  NatterMcpClient *self = post->client;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  SoupMessageHeaders *headers;
  const char *content_type;
  guint status;

  if (stream == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GError *failure = g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_CLOSED,
                                         _("Could not reach server “%s”: %s"),
                                         self->config->name, error->message);

          if (post->done != NULL)
            post->done (self);
          post_failed (post, failure);
        }
      return;
    }
  if (self->state == CLIENT_CLOSED)
    return;

  status = soup_message_get_status (post->msg);
  headers = soup_message_get_response_headers (post->msg);
  if (post->initialize && SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *session = soup_message_headers_get_one (headers, "Mcp-Session-Id");

      if (session != NULL && !valid_session_id (session))
        {
          _natter_mcp_client_close (self, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                                                       _("Server “%s” sent an invalid session id."),
                                                       self->config->name));
          return;
        }
      g_free (self->session_id);
      self->session_id = g_strdup (session);
    }

  if (post->listen && !SOUP_STATUS_IS_SUCCESSFUL (status))
    return;  /* the server offers no stream of its own (405, or whatever it says to a GET) */
  if (status == SOUP_STATUS_NOT_FOUND && self->session_id != NULL && !post->initialize)
    {
      /* The server forgot the session: start over at the next call (and
       * do not end, with DELETE, a session that no longer exists). */
      g_clear_pointer (&self->session_id, g_free);
      _natter_mcp_client_close (self, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_CLOSED,
                                                   _("Server “%s” ended the session."), self->config->name));
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *reason = soup_message_get_reason_phrase (post->msg);
      GError *failure;

      if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
        failure = g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_HTTP,
                               _("Server “%s” refused the request (HTTP %u): check its headers."),
                               self->config->name, status);
      else
        failure = g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_HTTP,
                               _("Server “%s” answered HTTP %u %s."),
                               self->config->name, status, reason != NULL ? reason : "");
      if (post->done != NULL)
        post->done (self);
      post_failed (post, failure);
      return;
    }
  if (status == SOUP_STATUS_ACCEPTED || (post->id < 0 && !post->listen))
    {
      post_finished (post);
      return;
    }

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (g_strcmp0 (content_type, "text/event-stream") == 0)
    post->framer = natter_sse_framer_new (on_event, post);
  else if (post->listen)
    return;
  else if (g_strcmp0 (content_type, "application/json") == 0)
    post->body = g_byte_array_new ();
  else
    {
      post_failed (post, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_PROTOCOL,
                                      _("Server “%s” answered with “%s” instead of JSON or an event stream."),
                                      self->config->name, content_type != NULL ? content_type : "?"));
      return;
    }
  read_more (g_steal_pointer (&post), stream);
}

static void
post_text (NatterMcpClient  *self,
           const char       *text,
           Pending          *pending,
           void            (*done) (NatterMcpClient *self))
{
  Post *post = g_new0 (Post, 1);
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  post->client = g_object_ref (self);
  post->msg = soup_message_new ("POST", self->config->url);
  post->id = pending != NULL ? pending->id : -1;
  post->initialize = pending != NULL && g_str_equal (pending->method, "initialize");
  post->done = done;
  post->cancellable = g_object_ref (pending != NULL ? pending->http_cancellable : self->io_cancellable);
  if (post->msg == NULL)
    {
      post_failed (post, g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_CONFIG,
                                      _("Server “%s” has an invalid address."), self->config->name));
      post_free (post);
      return;
    }
  add_headers (self, post->msg);
  soup_message_headers_replace (soup_message_get_request_headers (post->msg), "Accept",
                                "application/json, text/event-stream");
  soup_message_set_request_body_from_bytes (post->msg, "application/json", body);
  soup_session_send_async (self->session, post->msg, G_PRIORITY_DEFAULT, post->cancellable, on_sent, post);
}

void
_natter_mcp_http_send (NatterMcpClient *self,
                       const char      *text,
                       Pending         *pending)
{
  post_text (self, text, pending, NULL);
}

void
_natter_mcp_http_notify (NatterMcpClient  *self,
                         const char       *text,
                         void            (*done) (NatterMcpClient *self))
{
  post_text (self, text, NULL, done);
}

/* Opens the stream on which the server may send notifications (such as
 * notifications/tools/list_changed) outside any answer; a server without
 * one answers 405. The stream ends with the connection. */
void
_natter_mcp_http_listen (NatterMcpClient *self)
{
  Post *post = g_new0 (Post, 1);

  post->client = g_object_ref (self);
  post->msg = soup_message_new ("GET", self->config->url);
  post->id = -1;
  post->listen = TRUE;
  post->cancellable = g_object_ref (self->io_cancellable);
  if (post->msg == NULL)
    {
      post_free (post);
      return;
    }
  add_headers (self, post->msg);
  soup_message_headers_replace (soup_message_get_request_headers (post->msg), "Accept", "text/event-stream");
  soup_session_send_async (self->session, post->msg, G_PRIORITY_DEFAULT, post->cancellable, on_sent, post);
}

static void
on_deleted (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (object), result, NULL);

  g_object_unref (user_data);
}

void
_natter_mcp_http_close (NatterMcpClient *self)
{
  g_autoptr(SoupMessage) msg = NULL;

  if (self->session == NULL || self->session_id == NULL)
    return;
  /* Tell the server the session is over; nobody waits for the answer. */
  msg = soup_message_new ("DELETE", self->config->url);
  if (msg != NULL)
    {
      add_headers (self, msg);
      soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, NULL, on_deleted,
                               g_object_ref (self->session));
    }
  g_clear_pointer (&self->session_id, g_free);
}
