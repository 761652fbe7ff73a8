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

#include "natter-transport-private.h"

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
void
_natter_transport_exchange_complete (GTask  *task,
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

void
_natter_transport_exchange_fail (GTask        *task,
                                 const GError *error)
{
  Exchange *ex = g_task_get_task_data (task);

  _natter_transport_exchange_complete (task, NULL, exchange_map_error (ex, error));
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

      _natter_transport_exchange_complete (task, NULL,
                         g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                                      _("The server redirected the request to “%s”, which is not a web address"),
                                      excerpt));
      g_object_unref (task);
      return TRUE;
    }

  shown = g_uri_to_string_partial (target, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  if (!same_origin (current, target))
    {
      _natter_transport_exchange_complete (task, NULL,
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
      _natter_transport_exchange_complete (task, NULL,
                         g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                                      g_dngettext (GETTEXT_PACKAGE,
                                                   "The server redirected the request more than %u time (last to %s)",
                                                   "The server redirected the request more than %u times (last to %s)",
                                                   MAX_REDIRECTS),
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
      _natter_transport_exchange_fail (task, error);
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
        _natter_transport_headers_to_json (soup_message_get_response_headers (ex->msg));

      ex->observer.response_head (ex->status, headers, ex->observer_data);
    }

  framing = natter_request_get_framing (ex->request);
  if (SOUP_STATUS_IS_SUCCESSFUL (ex->status) && framing != NATTER_FRAMING_NONE &&
      !_natter_transport_content_type_is_stream (soup_message_get_response_headers (ex->msg), framing))
    {
      /* A server that ignored "stream": true, or an error object sent with
       * status 200: one whole document, for the caller's parse_response. */
      framing = NATTER_FRAMING_NONE;
      ex->unframed = TRUE;
    }

  if (SOUP_STATUS_IS_SUCCESSFUL (ex->status) && framing == NATTER_FRAMING_SSE)
    ex->sse = natter_sse_framer_new (_natter_transport_on_sse_event, ex);
  else if (SOUP_STATUS_IS_SUCCESSFUL (ex->status) && framing == NATTER_FRAMING_NDJSON)
    ex->ndjson = natter_ndjson_framer_new (_natter_transport_on_ndjson_line, ex);
  else if (SOUP_STATUS_IS_SUCCESSFUL (ex->status) && framing == NATTER_FRAMING_AWS_EVENT_STREAM)
    ex->eventstream = natter_event_stream_framer_new (_natter_transport_on_aws_message, ex);
  else
    ex->body = g_byte_array_new ();

  ex->buffer = g_malloc (READ_BUFFER_SIZE);

  if (g_cancellable_is_cancelled (ex->cancellable))
    {
      g_autoptr(GError) cancelled =
        g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");

      _natter_transport_exchange_fail (task, cancelled);
      return;
    }

  _natter_transport_read_next (g_steal_pointer (&task));
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
      _natter_transport_exchange_complete (task, NULL, g_error_copy (self->config_error));
      return;
    }

  uri = g_uri_parse (natter_request_get_url (request), SOUP_HTTP_URI_FLAGS, &error);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      !(g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0))
    {
      _natter_transport_exchange_complete (task, NULL,
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

