/* natter-transport.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-transport"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "natter-event-stream-framer.h"
#include "natter-ndjson-framer.h"
#include "natter-sse-framer.h"
#include "natter-transport.h"

/* One read buffer per exchange, reused for every read: a streaming reply
 * allocates nothing per chunk on our side. */
#define READ_BUFFER_SIZE   (64 * 1024)
#define MAX_BODY_SIZE      (16 * 1024 * 1024)
#define DEFAULT_CONNECT_S  30
#define DEFAULT_IDLE_S     120

struct _NatterTransport
{
  GObject       parent_instance;

  SoupSession  *session;
  char         *proxy_user;
  char         *proxy_password;
  char         *proxy_authorization;  /* "Basic …" sent up front over http */
  GError       *config_error;
  guint         connect_timeout_s;
  guint         idle_timeout_s;
};

G_DEFINE_FINAL_TYPE (NatterTransport, natter_transport, G_TYPE_OBJECT)

typedef enum
{
  PHASE_CONNECT,
  PHASE_IDLE,
  PHASE_DONE,
} Phase;

typedef struct
{
  NatterTransport         *transport;
  NatterRequest           *request;
  SoupMessage             *msg;
  GInputStream            *stream;
  NatterTransportObserver  observer;
  gpointer                 observer_data;

  /* Soup gets our own cancellable: the caller's one and our timers both
   * cancel it, and the flags below tell which one did. */
  GCancellable            *cancellable;
  GCancellable            *user_cancellable;
  gulong                   user_cancel_id;

  NatterSseFramer         *sse;
  NatterNdjsonFramer      *ndjson;
  NatterEventStreamFramer *eventstream;
  GByteArray              *body;
  guint8                  *buffer;
  GError                  *event_error;

  guint                    status;
  GBytes                  *error_body;

  Phase                    phase;
  guint                    timer_id;
  gint64                   last_activity;
  gboolean                 timed_out;
  Phase                    timed_out_phase;
  gboolean                 completed;
  gboolean                 unframed;   /* streaming request, 2xx whole-document reply */
  gboolean                 bare_done;  /* "data: [DONE]" without its closing blank line */
  guint                    n_redirects;
} Exchange;

static void
exchange_free (gpointer data)
{
  Exchange *ex = data;

  g_clear_handle_id (&ex->timer_id, g_source_remove);
  if (ex->user_cancellable != NULL)
    g_cancellable_disconnect (ex->user_cancellable, ex->user_cancel_id);
  g_clear_object (&ex->user_cancellable);
  if (ex->msg != NULL)
    g_signal_handlers_disconnect_by_data (ex->msg, ex);
  g_clear_object (&ex->msg);
  g_clear_object (&ex->stream);
  g_clear_object (&ex->cancellable);
  g_clear_pointer (&ex->sse, natter_sse_framer_free);
  g_clear_pointer (&ex->ndjson, natter_ndjson_framer_free);
  g_clear_pointer (&ex->eventstream, natter_event_stream_framer_free);
  g_clear_pointer (&ex->body, g_byte_array_unref);
  g_clear_pointer (&ex->buffer, g_free);
  g_clear_error (&ex->event_error);
  g_clear_pointer (&ex->error_body, g_bytes_unref);
  g_clear_pointer (&ex->request, natter_request_unref);
  g_clear_object (&ex->transport);
  g_free (ex);
}

/* Transport object */

static void
natter_transport_finalize (GObject *object)
{
  NatterTransport *self = (NatterTransport *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->proxy_user, g_free);
  if (self->proxy_password != NULL)
    {
      memset (self->proxy_password, 0, strlen (self->proxy_password));
      g_clear_pointer (&self->proxy_password, g_free);
    }
  if (self->proxy_authorization != NULL)
    {
      memset (self->proxy_authorization, 0, strlen (self->proxy_authorization));
      g_clear_pointer (&self->proxy_authorization, g_free);
    }
  g_clear_error (&self->config_error);

  G_OBJECT_CLASS (natter_transport_parent_class)->finalize (object);
}

static void
natter_transport_class_init (NatterTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_transport_finalize;
}

static void
natter_transport_init (NatterTransport *self)
{
}

/* Builds the proxy URI handed to GSimpleProxyResolver, with the password
 * in its userinfo. Returns NULL and sets @error for an unusable URL. */
static char *
build_proxy_uri (const char  *proxy_url,
                 const char  *password,
                 char       **user_out,
                 char       **password_out,
                 GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) with_password = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme, *user;

  uri = g_uri_parse (proxy_url, G_URI_FLAGS_HAS_PASSWORD, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK,
                   _("The proxy address “%s” is not a valid URL: %s"),
                   proxy_url, local_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      !(g_ascii_strcasecmp (scheme, "http") == 0 ||
        g_ascii_strcasecmp (scheme, "https") == 0 ||
        g_ascii_strcasecmp (scheme, "socks5") == 0 ||
        g_ascii_strcasecmp (scheme, "socks") == 0))
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK,
                   _("The proxy address must look like http://host:port"));
      return NULL;
    }

  user = g_uri_get_user (uri);
  *user_out = g_strdup (user);

  if (password == NULL || *password == '\0')
    {
      *password_out = g_strdup (g_uri_get_password (uri));
      return g_uri_to_string (uri);
    }

  *password_out = g_strdup (password);

  with_password = g_uri_build_with_user (G_URI_FLAGS_HAS_PASSWORD,
                                         scheme,
                                         user != NULL ? user : "",
                                         password,
                                         NULL,
                                         g_uri_get_host (uri),
                                         g_uri_get_port (uri),
                                         g_uri_get_path (uri),
                                         g_uri_get_query (uri),
                                         g_uri_get_fragment (uri));
  if (*user_out == NULL)
    *user_out = g_strdup ("");

  return g_uri_to_string (with_password);
}

/**
 * natter_transport_new:
 * @options: (nullable): network settings; copied
 *
 * Creates a transport with its own libsoup session. An unusable proxy URL
 * does not fail here: every request sent through the transport then fails
 * with a `network` error that says why.
 */
NatterTransport *
natter_transport_new (const NatterTransportOptions *options)
{
  NatterTransport *self = g_object_new (NATTER_TYPE_TRANSPORT, NULL);
  g_autoptr(GProxyResolver) resolver = NULL;

  self->connect_timeout_s = DEFAULT_CONNECT_S;
  self->idle_timeout_s = DEFAULT_IDLE_S;

  if (options != NULL)
    {
      if (options->connect_timeout_s > 0)
        self->connect_timeout_s = options->connect_timeout_s;
      if (options->idle_timeout_s > 0)
        self->idle_timeout_s = options->idle_timeout_s;

      if (options->proxy_url != NULL && *options->proxy_url != '\0')
        {
          g_autofree char *uri = build_proxy_uri (options->proxy_url,
                                                  options->proxy_password,
                                                  &self->proxy_user,
                                                  &self->proxy_password,
                                                  &self->config_error);

          if (uri != NULL)
            {
              resolver = g_simple_proxy_resolver_new (uri, NULL);
              memset (uri, 0, strlen (uri));

              if (self->proxy_password != NULL && *self->proxy_password != '\0')
                {
                  g_autofree char *pair = g_strconcat (self->proxy_user ? self->proxy_user : "", ":",
                                                       self->proxy_password, NULL);
                  g_autofree char *encoded = g_base64_encode ((const guchar *) pair,
                                                              strlen (pair));

                  self->proxy_authorization = g_strconcat ("Basic ", encoded, NULL);
                  memset (pair, 0, strlen (pair));
                  memset (encoded, 0, strlen (encoded));
                }
            }
        }
    }

  /* Our own timers decide about timeouts: libsoup's I/O timeout would kill
   * a stream that is slow but alive. */
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "timeout", 0,
                                "user-agent", "Natter/" PACKAGE_VERSION,
                                "proxy-resolver", resolver,
                                NULL);

  return self;
}

/* Errors */

static GError *
exchange_map_error (Exchange     *ex,
                    const GError *error)
{
  NatterErrorCategory category;
  const char *detail = error->message;

  if (ex->timed_out)
    {
      guint seconds;

      if (ex->timed_out_phase == PHASE_CONNECT)
        {
          seconds = ex->transport->connect_timeout_s;
          return g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_TIMEOUT,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%s: could not connect within %u second",
                                           "%s: could not connect within %u seconds",
                                           seconds),
                              natter_error_category_describe (NATTER_ERROR_CATEGORY_TIMEOUT),
                              seconds);
        }

      seconds = ex->transport->idle_timeout_s;
      return g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_TIMEOUT,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%s: nothing received for %u second",
                                       "%s: nothing received for %u seconds",
                                       seconds),
                          natter_error_category_describe (NATTER_ERROR_CATEGORY_TIMEOUT),
                          seconds);
    }

  if (error->domain == NATTER_REQUEST_ERROR)
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED,
                                natter_error_category_describe (NATTER_ERROR_CATEGORY_CANCELLED));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    category = NATTER_ERROR_CATEGORY_TIMEOUT;
  else if (error->domain == G_TLS_ERROR)
    category = NATTER_ERROR_CATEGORY_TLS;
  else if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING) ||
           g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING))
    category = NATTER_ERROR_CATEGORY_PROTOCOL;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    {
      category = NATTER_ERROR_CATEGORY_NETWORK;
      detail = _("the connection closed before the reply was complete");
    }
  else
    category = NATTER_ERROR_CATEGORY_NETWORK;

  /* Say which server, so a wrong URL or a stopped local server is obvious. */
  if (category == NATTER_ERROR_CATEGORY_NETWORK || category == NATTER_ERROR_CATEGORY_TLS)
    {
      g_autoptr(GUri) uri = g_uri_parse (natter_request_get_url (ex->request), G_URI_FLAGS_NONE, NULL);

      if (uri != NULL)
        {
          g_autofree char *where = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                               g_uri_get_host (uri), g_uri_get_port (uri),
                                               "", NULL, NULL);

          /* Translators: "Could not reach the server at http://…: Connection refused" */
          return g_error_new (NATTER_REQUEST_ERROR, category, _("%s at %s: %s"),
                              natter_error_category_describe (category), where, detail);
        }
    }

  return g_error_new (NATTER_REQUEST_ERROR, category, "%s: %s",
                      natter_error_category_describe (category), detail);
}

static void
exchange_stop_timer (Exchange *ex)
{
  g_clear_handle_id (&ex->timer_id, g_source_remove);
}

/* Completes the task once; later calls are ignored. Takes @error. */
static void
exchange_complete (GTask  *task,
                   GBytes *body,
                   GError *error)
{
  Exchange *ex = g_task_get_task_data (task);

  if (ex->completed)
    {
      g_clear_error (&error);
      g_clear_pointer (&body, g_bytes_unref);
      return;
    }

  ex->completed = TRUE;
  ex->phase = PHASE_DONE;
  exchange_stop_timer (ex);

  /* Closing a body stream that was not read to its end drops the
   * connection instead of returning it to the pool. */
  if (ex->stream != NULL && !g_input_stream_is_closed (ex->stream))
    g_input_stream_close_async (ex->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  if (error != NULL)
    {
      g_debug ("%s %s failed: %s",
               natter_request_get_method (ex->request),
               natter_error_category_to_string (error->code),
               error->message);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
}

static void
exchange_fail (GTask        *task,
               const GError *error)
{
  Exchange *ex = g_task_get_task_data (task);

  exchange_complete (task, NULL, exchange_map_error (ex, error));
}

/* Timers */

static gboolean exchange_timer_cb (gpointer data);

static void
exchange_arm_timer (Exchange *ex,
                    guint     ms)
{
  exchange_stop_timer (ex);
  ex->timer_id = g_timeout_add (ms, exchange_timer_cb, ex);
}

/* The idle timer is not reset on every chunk (that would churn a GSource
 * per read); it fires at the earliest possible deadline and re-arms itself
 * for whatever remains since the last received byte. */
static gboolean
exchange_timer_cb (gpointer data)
{
  Exchange *ex = data;
  gint64 limit_us, elapsed_us;

  ex->timer_id = 0;

  if (ex->phase == PHASE_IDLE)
    {
      limit_us = (gint64) ex->transport->idle_timeout_s * G_USEC_PER_SEC;
      elapsed_us = g_get_monotonic_time () - ex->last_activity;
      if (elapsed_us < limit_us)
        {
          exchange_arm_timer (ex, (limit_us - elapsed_us) / 1000 + 1);
          return G_SOURCE_REMOVE;
        }
    }
  else if (ex->phase != PHASE_CONNECT)
    return G_SOURCE_REMOVE;

  g_debug ("%s timeout, cancelling", ex->phase == PHASE_CONNECT ? "connect" : "idle");
  ex->timed_out = TRUE;
  ex->timed_out_phase = ex->phase;
  g_cancellable_cancel (ex->cancellable);

  return G_SOURCE_REMOVE;
}

static void
exchange_connected (Exchange *ex)
{
  if (ex->phase != PHASE_CONNECT)
    return;

  ex->phase = PHASE_IDLE;
  ex->last_activity = g_get_monotonic_time ();
  exchange_arm_timer (ex, ex->transport->idle_timeout_s * 1000);
}

static void
on_network_event (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            data)
{
  if (event == G_SOCKET_CLIENT_COMPLETE)
    exchange_connected (data);
}

/* A reused keep-alive connection emits no network event. */
static void
on_wrote_headers (SoupMessage *msg,
                  gpointer     data)
{
  exchange_connected (data);
}

static void
on_user_cancelled (GCancellable *cancellable,
                   gpointer      data)
{
  GCancellable *ours = data;

  g_cancellable_cancel (ours);
}

/* Framing */

static gboolean
deliver_event (Exchange   *ex,
               const char *event,
               const char *data,
               gsize       len)
{
  if (ex->observer.event == NULL)
    return TRUE;

  if (ex->observer.event (event, data, len, ex->observer_data, &ex->event_error))
    return TRUE;

  if (ex->event_error == NULL)
    g_set_error_literal (&ex->event_error, NATTER_REQUEST_ERROR,
                         NATTER_ERROR_CATEGORY_PROTOCOL,
                         natter_error_category_describe (NATTER_ERROR_CATEGORY_PROTOCOL));
  else if (ex->event_error->domain != NATTER_REQUEST_ERROR)
    {
      GError *wrapped = g_error_new_literal (NATTER_REQUEST_ERROR,
                                             NATTER_ERROR_CATEGORY_PROTOCOL,
                                             ex->event_error->message);

      g_error_free (ex->event_error);
      ex->event_error = wrapped;
    }

  return FALSE;
}

static gboolean
on_sse_event (const char *event,
              const char *data,
              gsize       len,
              gpointer    user_data)
{
  return deliver_event (user_data, event, data, len);
}

static gboolean
on_ndjson_line (const char *line,
                gsize       len,
                gpointer    user_data)
{
  return deliver_event (user_data, NULL, line, len);
}

/* AWS event stream: an event goes to the observer under its ":event-type";
 * an exception under its ":exception-type" (they all end in "Exception",
 * no event name does); an error message as "error" with data
 * "CODE: MESSAGE". */
static gboolean
on_aws_message (const NatterEventStreamMessage *message,
                gpointer                        user_data)
{
  if (g_strcmp0 (message->message_type, "exception") == 0)
    return deliver_event (user_data,
                          message->exception_type != NULL ? message->exception_type
                                                          : "unknownException",
                          message->payload, message->payload_len);

  if (g_strcmp0 (message->message_type, "error") == 0)
    {
      g_autofree char *text = g_strdup_printf ("%s: %s",
                                               message->error_code ? message->error_code : "",
                                               message->error_message ? message->error_message : "");

      return deliver_event (user_data, "error", text, strlen (text));
    }

  return deliver_event (user_data, message->event_type, message->payload, message->payload_len);
}

/* Reading */

/* Whether the first bytes of a body are an event stream: an SSE line
 * starts with a field name (data, event, id, retry) or ":"; a JSON
 * document never starts with one of those letters, nor does an HTML page. */
static gboolean
looks_like_sse (const guint8 *data,
                gsize         len)
{
  gsize i = 0;

  /* A UTF-8 BOM. */
  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    i = 3;
  if (i >= len)
    return FALSE;

  return data[i] == 'd' || data[i] == 'e' || data[i] == 'i' || data[i] == 'r' || data[i] == ':';
}

static void read_next (GTask *task);

static char *
headers_to_json (SoupMessageHeaders *headers)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  SoupMessageHeadersIter iter;
  const char *name, *value;

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

  json_node_set_object (root, object);

  return json_to_string (root, FALSE);
}

static void
finish_body (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);
  NatterErrorCategory category;
  g_autoptr(GBytes) bytes = NULL;
  const char *reason;

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&ex->body));

  if (SOUP_STATUS_IS_SUCCESSFUL (ex->status))
    {
      exchange_complete (task, g_steal_pointer (&bytes), NULL);
      return;
    }

  ex->error_body = g_steal_pointer (&bytes);
  category = ex->status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED
             ? NATTER_ERROR_CATEGORY_AUTH
             : natter_error_category_from_status (ex->status);
  reason = soup_message_get_reason_phrase (ex->msg);

  if (ex->status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
    exchange_complete (task, NULL,
                       g_error_new (NATTER_REQUEST_ERROR, category,
                                    _("The proxy rejected the user name or password (HTTP %u)"),
                                    ex->status));
  else
    exchange_complete (task, NULL,
                       g_error_new (NATTER_REQUEST_ERROR, category,
                                    _("%s (HTTP %u %s)"),
                                    natter_error_category_describe (category),
                                    ex->status, reason ? reason : ""));
}

static void
finish_stream (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);

  /* Some servers end with "data: [DONE]" and close without the blank line
   * that completes the event: deliver it, and let the caller judge (a reply
   * whose finish reason had arrived is complete). */
  if (ex->sse != NULL && natter_sse_framer_flush_if_data (ex->sse, "[DONE]"))
    {
      ex->bare_done = TRUE;
      if (ex->event_error != NULL)
        {
          exchange_complete (task, NULL, g_steal_pointer (&ex->event_error));
          return;
        }
    }

  /* libsoup reports a chunked body cut at a chunk boundary as a clean end,
   * so a stream that stops inside an event is how we see such a cut. One
   * that stops between events is the dialect's to judge (no terminator). */
  if (ex->sse != NULL && natter_sse_framer_finish (ex->sse))
    {
      exchange_complete (task, NULL,
                         g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK,
                                      _("%s: the connection closed in the middle of an event"),
                                      natter_error_category_describe (NATTER_ERROR_CATEGORY_NETWORK)));
      return;
    }

  if (ex->eventstream != NULL && natter_event_stream_framer_finish (ex->eventstream))
    {
      exchange_complete (task, NULL,
                         g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK,
                                      _("%s: the connection closed in the middle of an event"),
                                      natter_error_category_describe (NATTER_ERROR_CATEGORY_NETWORK)));
      return;
    }

  if (ex->ndjson != NULL && !natter_ndjson_framer_finish (ex->ndjson))
    {
      exchange_complete (task, NULL, g_steal_pointer (&ex->event_error));
      return;
    }

  exchange_complete (task, g_bytes_new (NULL, 0), NULL);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (ex->completed)
    return;

  if (n < 0)
    {
      exchange_fail (task, error);
      return;
    }

  if (n == 0)
    {
      if (ex->body != NULL)
        finish_body (task);
      else
        finish_stream (task);
      return;
    }

  ex->last_activity = g_get_monotonic_time ();

  if (ex->observer.raw_bytes != NULL)
    ex->observer.raw_bytes ((const char *) ex->buffer, n, ex->observer_data);

  if (G_UNLIKELY (ex->unframed && ex->body->len == 0 &&
                  natter_request_get_framing (ex->request) == NATTER_FRAMING_SSE &&
                  looks_like_sse (ex->buffer, n)))
    {
      /* An event stream under the wrong Content-Type (text/plain, …):
       * JSON never starts like an SSE field, so frame it after all. */
      ex->unframed = FALSE;
      g_clear_pointer (&ex->body, g_byte_array_unref);
      ex->sse = natter_sse_framer_new (on_sse_event, ex);
    }

  if (ex->eventstream != NULL)
    {
      GError *framing_error = NULL;

      if (!natter_event_stream_framer_feed (ex->eventstream, (const char *) ex->buffer, n,
                                            &framing_error))
        {
          if (framing_error != NULL)
            {
              g_clear_error (&ex->event_error);
              ex->event_error = framing_error;
            }
          exchange_complete (task, NULL, g_steal_pointer (&ex->event_error));
          return;
        }
    }
  else if (ex->sse != NULL || ex->ndjson != NULL)
    {
      gboolean ok = ex->sse != NULL
                    ? natter_sse_framer_feed (ex->sse, (const char *) ex->buffer, n)
                    : natter_ndjson_framer_feed (ex->ndjson, (const char *) ex->buffer, n);

      if (!ok)
        {
          gboolean overflowed = ex->sse != NULL
                                ? natter_sse_framer_overflowed (ex->sse)
                                : natter_ndjson_framer_overflowed (ex->ndjson);

          if (overflowed && ex->event_error == NULL)
            ex->event_error = g_error_new (NATTER_REQUEST_ERROR,
                                           NATTER_ERROR_CATEGORY_PROTOCOL,
                                           _("The server sent an event larger than %u MiB"),
                                           (guint) (NATTER_FRAMER_MAX_EVENT_SIZE / (1024 * 1024)));
          exchange_complete (task, NULL, g_steal_pointer (&ex->event_error));
          return;
        }
    }
  else
    {
      gsize room = MAX_BODY_SIZE - ex->body->len;

      g_byte_array_append (ex->body, ex->buffer, MIN ((gsize) n, room));
      if ((gsize) n > room)
        {
          if (SOUP_STATUS_IS_SUCCESSFUL (ex->status))
            {
              exchange_complete (task, NULL,
                                 g_error_new (NATTER_REQUEST_ERROR,
                                              NATTER_ERROR_CATEGORY_PROTOCOL,
                                              _("%s: the reply is larger than %u MiB"),
                                              natter_error_category_describe (NATTER_ERROR_CATEGORY_PROTOCOL),
                                              MAX_BODY_SIZE / (1024 * 1024)));
              return;
            }
          /* An error body only needs its beginning. */
          finish_body (task);
          return;
        }
    }

  if (g_cancellable_is_cancelled (ex->cancellable))
    {
      g_autoptr(GError) cancelled =
        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");

      exchange_fail (task, cancelled);
      return;
    }

  read_next (g_steal_pointer (&task));
}

/* Takes the reference of @task. */
static void
read_next (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);

  g_input_stream_read_async (ex->stream, ex->buffer, READ_BUFFER_SIZE,
                             G_PRIORITY_DEFAULT, ex->cancellable,
                             on_read, task);
}

/* Whether the response of a streaming request really is a stream. No
 * Content-Type at all is taken as one (the framer then judges the bytes). */
static gboolean
content_type_is_stream (SoupMessageHeaders *headers,
                        NatterFraming       framing)
{
  static const char * const ndjson_types[] = {
    "application/x-ndjson",
    "application/ndjson",
    "application/jsonl",
    "application/x-jsonl",
    "application/jsonlines",
    "application/x-jsonlines",
    "application/json-lines",
    "application/json-seq",
    "text/x-ndjson",
  };
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  if (type == NULL || *type == '\0')
    return TRUE;

  if (framing == NATTER_FRAMING_SSE)
    return g_ascii_strcasecmp (type, "text/event-stream") == 0;
  if (framing == NATTER_FRAMING_AWS_EVENT_STREAM)
    return g_ascii_strcasecmp (type, "application/vnd.amazon.eventstream") == 0;

  for (guint i = 0; i < G_N_ELEMENTS (ndjson_types); i++)
    if (g_ascii_strcasecmp (type, ndjson_types[i]) == 0)
      return TRUE;

  return FALSE;
}

static void on_sent (GObject *source, GAsyncResult *result, gpointer user_data);

/* Sends @uri with the request's headers (and body when @with_body) as a
 * new message of @ex. Redirects are never followed by libsoup: on_sent
 * follows those to the same origin and refuses the others, so a key never
 * reaches a host the profile does not name. Takes the reference of @task. */
static void
exchange_send_message (GTask      *task,
                       GUri       *uri,
                       const char *method,
                       gboolean    with_body)
{
  Exchange *ex = g_task_get_task_data (task);
  NatterTransport *self = ex->transport;
  NatterRequest *request = ex->request;
  SoupMessageHeaders *headers;
  GBytes *body;

  if (ex->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (ex->msg, ex);
      g_clear_object (&ex->msg);
    }

  ex->msg = soup_message_new_from_uri (method, uri);
  soup_message_add_flags (ex->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (ex->msg);
  for (guint i = 0; i < natter_request_get_n_headers (request); i++)
    soup_message_headers_replace (headers,
                                  natter_request_get_header_name (request, i),
                                  natter_request_get_header_value (request, i));

  /* An HTTP proxy sees plain http requests itself, so they carry the proxy
   * credentials up front, and libsoup's auth manager stays out: answering
   * a 407 itself, libsoup 3.2 resends the request to the proxy's own URI
   * without its body. A 407 then simply means wrong credentials. https
   * goes through CONNECT, where libsoup answers a 407 with the credentials
   * in the proxy URI. Other 401s are the provider's answer, never retried. */
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0)
    {
      soup_message_disable_feature (ex->msg, SOUP_TYPE_AUTH_MANAGER);
      if (self->proxy_authorization != NULL &&
          soup_message_headers_get_one (headers, "Proxy-Authorization") == NULL)
        soup_message_headers_replace (headers, "Proxy-Authorization",
                                      self->proxy_authorization);
    }

  body = with_body ? natter_request_get_body (request) : NULL;
  if (body != NULL)
    soup_message_set_request_body_from_bytes (ex->msg,
                                              natter_request_get_content_type (request),
                                              body);

  g_signal_connect (ex->msg, "network-event", G_CALLBACK (on_network_event), ex);
  g_signal_connect (ex->msg, "wrote-headers", G_CALLBACK (on_wrote_headers), ex);

  soup_session_send_async (self->session, ex->msg, G_PRIORITY_DEFAULT,
                           ex->cancellable, on_sent, task);
}

static int
uri_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/* Same scheme, host and port. */
static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_uri_get_host (a) != NULL && g_uri_get_host (b) != NULL &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         uri_port (a) == uri_port (b);
}

#define MAX_REDIRECTS 5

/* A 3xx with a Location: follows it when it stays on the same origin,
 * else fails the exchange naming where the server wanted to go. TRUE when
 * the exchange was taken care of (the reference of @task with it). */
static gboolean
handle_redirect (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);
  const char *location;
  const char *method = natter_request_get_method (ex->request);
  gboolean with_body = TRUE;
  g_autoptr(GUri) target = NULL;
  g_autofree char *shown = NULL;
  GUri *current;

  if (ex->status != 301 && ex->status != 302 && ex->status != 303 &&
      ex->status != 307 && ex->status != 308)
    return FALSE;
  location = soup_message_headers_get_one (soup_message_get_response_headers (ex->msg), "Location");
  if (location == NULL || *location == '\0')
    return FALSE;

  current = soup_message_get_uri (ex->msg);
  target = g_uri_parse_relative (current, location, SOUP_HTTP_URI_FLAGS, NULL);
  if (target == NULL || g_uri_get_host (target) == NULL ||
      !(g_ascii_strcasecmp (g_uri_get_scheme (target), "http") == 0 ||
        g_ascii_strcasecmp (g_uri_get_scheme (target), "https") == 0))
    {
      g_autofree char *excerpt = g_utf8_make_valid (location, MIN (strlen (location), 200));

      exchange_complete (task, NULL,
                         g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                                      _("The server redirected the request to “%s”, which is not a web address"),
                                      excerpt));
      g_object_unref (task);
      return TRUE;
    }

  shown = g_uri_to_string_partial (target, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  if (!same_origin (current, target))
    {
      exchange_complete (task, NULL,
                         g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                                      _("The server redirected the request to another site, %s (HTTP %u). "
                                        "Natter does not follow it, so that the key is never sent there; "
                                        "if that is the right address, put it in the connection’s API URL"),
                                      shown, ex->status));
      g_object_unref (task);
      return TRUE;
    }

  if (++ex->n_redirects > MAX_REDIRECTS)
    {
      exchange_complete (task, NULL,
                         g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                                      _("The server redirected the request more than %u times (last to %s)"),
                                      MAX_REDIRECTS, shown));
      g_object_unref (task);
      return TRUE;
    }

  g_debug ("Following a redirect (HTTP %u) on the same origin", ex->status);
  /* What browsers and libsoup do: 303 (and 301/302 of a POST) become a GET. */
  if (ex->status == 303 ||
      ((ex->status == 301 || ex->status == 302) && g_ascii_strcasecmp (method, "POST") == 0))
    {
      method = "GET";
      with_body = FALSE;
    }

  g_input_stream_close_async (ex->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&ex->stream);
  ex->status = 0;
  exchange_send_message (task, target, method, with_body);
  return TRUE;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  NatterFraming framing;

  ex->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);

  if (ex->completed)
    return;

  if (ex->stream == NULL)
    {
      exchange_fail (task, error);
      return;
    }

  exchange_connected (ex);
  ex->last_activity = g_get_monotonic_time ();
  ex->status = soup_message_get_status (ex->msg);

  if (SOUP_STATUS_IS_REDIRECTION (ex->status) && handle_redirect (task))
    {
      g_steal_pointer (&task);
      return;
    }

  if (ex->observer.response_head != NULL)
    {
      g_autofree char *headers =
        headers_to_json (soup_message_get_response_headers (ex->msg));

      ex->observer.response_head (ex->status, headers, ex->observer_data);
    }

  framing = natter_request_get_framing (ex->request);
  if (SOUP_STATUS_IS_SUCCESSFUL (ex->status) && framing != NATTER_FRAMING_NONE &&
      !content_type_is_stream (soup_message_get_response_headers (ex->msg), framing))
    {
      /* A server that ignored "stream": true, or an error object sent with
       * status 200: one whole document, for the caller's parse_response. */
      framing = NATTER_FRAMING_NONE;
      ex->unframed = TRUE;
    }

  if (SOUP_STATUS_IS_SUCCESSFUL (ex->status) && framing == NATTER_FRAMING_SSE)
    ex->sse = natter_sse_framer_new (on_sse_event, ex);
  else if (SOUP_STATUS_IS_SUCCESSFUL (ex->status) && framing == NATTER_FRAMING_NDJSON)
    ex->ndjson = natter_ndjson_framer_new (on_ndjson_line, ex);
  else if (SOUP_STATUS_IS_SUCCESSFUL (ex->status) && framing == NATTER_FRAMING_AWS_EVENT_STREAM)
    ex->eventstream = natter_event_stream_framer_new (on_aws_message, ex);
  else
    ex->body = g_byte_array_new ();

  ex->buffer = g_malloc (READ_BUFFER_SIZE);

  if (g_cancellable_is_cancelled (ex->cancellable))
    {
      g_autoptr(GError) cancelled =
        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");

      exchange_fail (task, cancelled);
      return;
    }

  read_next (g_steal_pointer (&task));
}

/**
 * natter_transport_send_async:
 *
 * See the header. The request's headers go on the wire exactly as they
 * are; their values are never logged.
 */
void
natter_transport_send_async (NatterTransport               *self,
                             NatterRequest                 *request,
                             const NatterTransportObserver *observer,
                             gpointer                       observer_data,
                             GCancellable                  *cancellable,
                             GAsyncReadyCallback            callback,
                             gpointer                       user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *redacted_url = NULL;
  Exchange *ex;
  const char *scheme;

  g_return_if_fail (NATTER_IS_TRANSPORT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_transport_send_async);
  g_task_set_check_cancellable (task, FALSE);

  ex = g_new0 (Exchange, 1);
  ex->transport = g_object_ref (self);
  ex->request = natter_request_ref (request);
  if (observer != NULL)
    ex->observer = *observer;
  ex->observer_data = observer_data;
  ex->cancellable = g_cancellable_new ();
  ex->phase = PHASE_CONNECT;
  g_task_set_task_data (task, ex, exchange_free);

  redacted_url = natter_request_dup_redacted_url (request);
  g_debug ("%s %s", natter_request_get_method (request), redacted_url);

  if (self->config_error != NULL)
    {
      exchange_complete (task, NULL, g_error_copy (self->config_error));
      return;
    }

  uri = g_uri_parse (natter_request_get_url (request), SOUP_HTTP_URI_FLAGS, &error);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      !(g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0))
    {
      exchange_complete (task, NULL,
                         g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK,
                                      _("“%s” is not a valid http or https address"),
                                      redacted_url));
      return;
    }

  if (cancellable != NULL)
    {
      ex->user_cancellable = g_object_ref (cancellable);
      /* Runs at once when @cancellable is already cancelled. */
      ex->user_cancel_id = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (on_user_cancelled),
                                                  g_object_ref (ex->cancellable),
                                                  g_object_unref);
    }

  exchange_arm_timer (ex, self->connect_timeout_s * 1000);

  exchange_send_message (g_steal_pointer (&task), uri, natter_request_get_method (request), TRUE);
}

GBytes *
natter_transport_send_finish (NatterTransport  *self,
                              GAsyncResult     *result,
                              guint            *status,
                              GBytes          **error_body,
                              GError          **error)
{
  Exchange *ex;

  g_return_val_if_fail (NATTER_IS_TRANSPORT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == natter_transport_send_async, NULL);

  ex = g_task_get_task_data (G_TASK (result));

  if (status != NULL)
    *status = ex->status;
  if (error_body != NULL)
    *error_body = ex->error_body != NULL ? g_bytes_ref (ex->error_body) : NULL;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * natter_transport_result_was_unframed:
 *
 * See the header.
 */
gboolean
natter_transport_result_was_unframed (NatterTransport *self,
                                      GAsyncResult    *result)
{
  Exchange *ex;

  g_return_val_if_fail (NATTER_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  ex = g_task_get_task_data (G_TASK (result));

  return ex->unframed;
}

gboolean
natter_transport_result_ended_with_bare_done (NatterTransport *self,
                                              GAsyncResult    *result)
{
  Exchange *ex;

  g_return_val_if_fail (NATTER_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  ex = g_task_get_task_data (G_TASK (result));

  return ex->bare_done;
}

static gboolean
address_is_private (GInetAddress *address)
{
  const guint8 *bytes = g_inet_address_to_bytes (address);

  if (g_inet_address_get_is_loopback (address) || g_inet_address_get_is_link_local (address) ||
      g_inet_address_get_is_site_local (address) || g_inet_address_get_is_any (address))
    return TRUE;

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return bytes[0] == 100 && (bytes[1] & 0xC0) == 64;   /* 100.64/10, carrier-grade NAT and VPNs */

  /* ::ffff:a.b.c.d is the IPv4 address a.b.c.d. */
  if (memcmp (bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
    {
      g_autoptr(GInetAddress) v4 = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);

      return address_is_private (v4);
    }

  return (bytes[0] & 0xFE) == 0xFC;                      /* fc00::/7, unique local */
}

gboolean
natter_transport_url_is_cleartext_public (const char *url)
{
  static const char * const local_suffixes[] = {
    ".localhost", ".local", ".lan", ".internal", ".home.arpa", ".localdomain",
  };
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *host = NULL;

  if (url == NULL || (uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL)) == NULL ||
      g_uri_get_scheme (uri) == NULL || g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0 ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (host[0] == '[')
    {
      char *end = strchr (host, ']');

      memmove (host, host + 1, strlen (host));
      if (end != NULL)
        *(end - 1) = '\0';
    }
  if (host[strlen (host) - 1] == '.')
    host[strlen (host) - 1] = '\0';

  if ((address = g_inet_address_new_from_string (host)) != NULL)
    return !address_is_private (address);

  if (g_str_equal (host, "localhost") || strchr (host, '.') == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (local_suffixes); i++)
    if (g_str_has_suffix (host, local_suffixes[i]))
      return FALSE;

  return TRUE;
}
