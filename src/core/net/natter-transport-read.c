/* natter-transport-read.c
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

gboolean
_natter_transport_on_sse_event (const char *event,
                                const char *data,
                                gsize       len,
                                gpointer    user_data)
{
  return deliver_event (user_data, event, data, len);
}

gboolean
_natter_transport_on_ndjson_line (const char *line,
                                  gsize       len,
                                  gpointer    user_data)
{
  return deliver_event (user_data, NULL, line, len);
}

/* AWS event stream: an event goes to the observer under its ":event-type";
 * an exception under its ":exception-type" (they all end in "Exception",
 * no event name does); an error message as "error" with data
 * "CODE: MESSAGE". */
gboolean
_natter_transport_on_aws_message (const NatterEventStreamMessage *message,
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


char *
_natter_transport_headers_to_json (SoupMessageHeaders *headers)
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
      _natter_transport_exchange_complete (task, g_steal_pointer (&bytes), NULL);
      return;
    }

  ex->error_body = g_steal_pointer (&bytes);
  category = ex->status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED
             ? NATTER_ERROR_CATEGORY_AUTH
             : natter_error_category_from_status (ex->status);
  reason = soup_message_get_reason_phrase (ex->msg);

  if (ex->status == SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED)
    _natter_transport_exchange_complete (task, NULL,
                       g_error_new (NATTER_REQUEST_ERROR, category,
                                    _("The proxy rejected the user name or password (HTTP %u)"),
                                    ex->status));
  else
    _natter_transport_exchange_complete (task, NULL,
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
          _natter_transport_exchange_complete (task, NULL, g_steal_pointer (&ex->event_error));
          return;
        }
    }

  /* libsoup reports a chunked body cut at a chunk boundary as a clean end,
   * so a stream that stops inside an event is how we see such a cut. One
   * that stops between events is the dialect's to judge (no terminator). */
  if (ex->sse != NULL && natter_sse_framer_finish (ex->sse))
    {
      _natter_transport_exchange_complete (task, NULL,
                         g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK,
                                      _("%s: the connection closed in the middle of an event"),
                                      natter_error_category_describe (NATTER_ERROR_CATEGORY_NETWORK)));
      return;
    }

  if (ex->eventstream != NULL && natter_event_stream_framer_finish (ex->eventstream))
    {
      _natter_transport_exchange_complete (task, NULL,
                         g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK,
                                      _("%s: the connection closed in the middle of an event"),
                                      natter_error_category_describe (NATTER_ERROR_CATEGORY_NETWORK)));
      return;
    }

  if (ex->ndjson != NULL && !natter_ndjson_framer_finish (ex->ndjson))
    {
      _natter_transport_exchange_complete (task, NULL, g_steal_pointer (&ex->event_error));
      return;
    }

  _natter_transport_exchange_complete (task, g_bytes_new (NULL, 0), NULL);
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
      _natter_transport_exchange_fail (task, error);
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
      ex->sse = natter_sse_framer_new (_natter_transport_on_sse_event, ex);
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
          _natter_transport_exchange_complete (task, NULL, g_steal_pointer (&ex->event_error));
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
          _natter_transport_exchange_complete (task, NULL, g_steal_pointer (&ex->event_error));
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
              _natter_transport_exchange_complete (task, NULL,
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

      _natter_transport_exchange_fail (task, cancelled);
      return;
    }

  _natter_transport_read_next (g_steal_pointer (&task));
}

/* Takes the reference of @task. */
void
_natter_transport_read_next (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);

  g_input_stream_read_async (ex->stream, ex->buffer, READ_BUFFER_SIZE,
                             G_PRIORITY_DEFAULT, ex->cancellable,
                             on_read, task);
}

/* Whether the response of a streaming request really is a stream. No
 * Content-Type at all is taken as one (the framer then judges the bytes). */
gboolean
_natter_transport_content_type_is_stream (SoupMessageHeaders *headers,
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
