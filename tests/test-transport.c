/* test-transport.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "natter-fake-provider.h"
#include "natter-request.h"
#include "natter-test-util.h"
#include "natter-transport.h"

/* A throwaway self-signed certificate for 127.0.0.1, only for the TLS
 * failure test (the client must reject it). */
static const char test_cert_and_key[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIDHDCCAgSgAwIBAgIUNZOxG7jgUsO4IiR3wX9mj/5r8zkwDQYJKoZIhvcNAQEL\n"
  "BQAwFDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMjEzMDQzNloYDzIxMjYx\n"
  "MDI5MTMwNDM2WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwggEiMA0GCSqGSIb3DQEB\n"
  "AQUAA4IBDwAwggEKAoIBAQCmxFxH60a49LKTuicy2hV2jrExKpz2/GO/4Jc5Nhlj\n"
  "CWOdzNAiLkVi1jcsFt8TI8/AmS57ZEAUAH1kHx02HrlQPXObQcUqr5TfL2vQ03x/\n"
  "cbMDw6g7kZ9wqKlAAfvYbKNDo89F2huh1ueLMvIqe22N7oyOd2YLW7s9SLBwjsDL\n"
  "2I68tBFIY5nmMCRyNd+1HuXP/Ihnwf7IaGxyOYRcocQz2niIMHSXbue20i25oAxs\n"
  "9qET7jPk/QUvtlhGIWG966qst4RzoYEBpCGVUWU4sswMoAED16B/KqEqhK+5JHQu\n"
  "Nbr3oOm5SDYmmOnxYE/2EcApsyBLGANSOQSJ4G3V8eEXAgMBAAGjZDBiMB0GA1Ud\n"
  "DgQWBBRbXUB1/KSQNmz0vSS3OozlKt9mRDAfBgNVHSMEGDAWgBRbXUB1/KSQNmz0\n"
  "vSS3OozlKt9mRDAPBgNVHRMBAf8EBTADAQH/MA8GA1UdEQQIMAaHBH8AAAEwDQYJ\n"
  "KoZIhvcNAQELBQADggEBAAywq5qrdNvDKreoB5fBtATfbETrs+dtfX8BXNtedfy/\n"
  "6uLL1SMf/IVpbcSXYXoTefdVWtAqHrQtpE/4m9VW6n/AsTwqmGOfrBiJnC/J9MmT\n"
  "ZgpzNoI4M3X0xCx1PWgMx6zVMxllk8Si72da8LjmpkO0b1RghSMmBEybM7LhXM8W\n"
  "Z8O+NtlpA4VtWIqRPco+6JQCvfIFgymjXHECyS9mP+8PMa0Z4c5V1fn/KbBDVgQd\n"
  "wIZ606PGDVAw3SHVvjBwU0ZyTCBv92W3V4gu5QoeFU8dODuTbDnhQKK/yoptJx8A\n"
  "7dVeZvmZ1BJmMhomfStMmkvwLx4yNKUIY8OHPX5ubtg=\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCmxFxH60a49LKT\n"
  "uicy2hV2jrExKpz2/GO/4Jc5NhljCWOdzNAiLkVi1jcsFt8TI8/AmS57ZEAUAH1k\n"
  "Hx02HrlQPXObQcUqr5TfL2vQ03x/cbMDw6g7kZ9wqKlAAfvYbKNDo89F2huh1ueL\n"
  "MvIqe22N7oyOd2YLW7s9SLBwjsDL2I68tBFIY5nmMCRyNd+1HuXP/Ihnwf7IaGxy\n"
  "OYRcocQz2niIMHSXbue20i25oAxs9qET7jPk/QUvtlhGIWG966qst4RzoYEBpCGV\n"
  "UWU4sswMoAED16B/KqEqhK+5JHQuNbr3oOm5SDYmmOnxYE/2EcApsyBLGANSOQSJ\n"
  "4G3V8eEXAgMBAAECggEAUFR4wRnnXLNeC8PZGukq+otcdfr5Vg2YPPaB0YiqLOb6\n"
  "aaodPcG9IZFfTSkNNkqDSdpfpgdRyHC99cr5BrdA+5JGTCyfvWKLWwCcNiCRMVCC\n"
  "8xa9xEfundVYhaEO/57A/BV9g7++nLQIn6ggN29yA7K7WOrRqDn9FNWdS/KvkuDL\n"
  "9/G86ndiR3F2LOYLab3zOvX7MAdFne4MeAfL53aBFNHY+F5VGEUZ4vC3NPVGRF8y\n"
  "h6YJHzeuLsAOsmeD2HeEzej7xEZJz2yH4jt8gK9MfNB3CI0/b+i1dHnyevbXjyHV\n"
  "gEIFvtz1iSyO6ozBQqixNIdDU2v6HCDvNsUx0Sb/6QKBgQDZvaopHukMg3Mba4sx\n"
  "O0Rt8pnFqk89hey98LodVfj7nHF2wPUzlk0PnZVDs88+UtjqCglpLCuYYZ7zgnxM\n"
  "z5L/FuJBd59WailIA+px8b0i6fakIJdLRQiNgwiyYDCV3vFjh22RU9GSUmbj2Lfl\n"
  "TIaBJtvx9GWmYgWwmpc5N4Lo7wKBgQDEEc9nMofG0lI0rgedwI9W4XeVlUI3GV0D\n"
  "Twj7bdbgck98BmJ2glMgn8yzKFIyL7lF/MnZtcQ5S4ZcxMtu0sWJPBKHyT1LhaYR\n"
  "+XdoBJtBmjfVS5FUReDZrtxPDMVRBUlGZ2KxE7pG3LrPxFCw9XjfF4gk+IppfZ58\n"
  "cHLIDmN6WQKBgGclyCQutmvtIWxN5+RslSAYmuveoCce+GWKUkBvZ8GZ/M4q3n2P\n"
  "p/XLytgFqBl4GbXVB1xBRm2rYScuG0Av3QzmhExLJLpFFEU/RaKwx85wUxyxK7rG\n"
  "eyS+fDI0CxAUSvnBQBBmSpMsYf1xvrvrIpSwGeVmx3ioWtWshhLezy8VAoGBAJEh\n"
  "FcIvVu1GNO8leiG8rN0EWz3vk2mxbnXKhL2HGixcsJT/LNbHtLxLTHu4ds8LIDq7\n"
  "2LU7pBk83CHC0Uog3XKtcpHr1WEXdkuLumTWNA2lF3rcSqB0cPDwS8Z/j3ZfUVO5\n"
  "pwWnspRNQkIT8B5sNKH9ixrClcFr6Gn32h5W+C9RAoGBANR07XoJiNpt11gUQ+WX\n"
  "K1jGU5t32R+mJybNlXoaXEHzIvtPPHwGEdmKNqSvsp91EBxdtJS4PLDUsIMJVTeK\n"
  "usmAmfsWtV/Wyn1MfPy1PIQ5BLnvFscGPrkUp/BarJ772qmJmXe8dY6gZJOljI6s\n"
  "H8yBva7S4yPQOWiH+vm9+Dr4\n"
  "-----END PRIVATE KEY-----\n";

#define CHAT_PATH "/v1/chat/completions"

typedef struct
{
  NatterFakeProvider *provider;

  GPtrArray          *events;        /* "TYPE|DATA" */
  GString            *raw;
  guint               head_status;
  char               *head_json;
  guint               chunks_at_first_event;

  /* Hooks */
  GCancellable       *cancel_at_event;  /* cancelled when event #cancel_after arrives */
  guint               cancel_after;
  gboolean            reject_events;
  NatterErrorCategory reject_category;

  /* Result */
  gboolean            done;
  GBytes             *body;
  GBytes             *error_body;
  guint               status;
  GError             *error;
  gboolean            unframed;
  gint64              elapsed_ms;
} Run;

static void
run_init (Run                *run,
          NatterFakeProvider *provider)
{
  memset (run, 0, sizeof *run);
  run->provider = provider;
  run->events = g_ptr_array_new_with_free_func (g_free);
  run->raw = g_string_new (NULL);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->events, g_ptr_array_unref);
  if (run->raw != NULL)
    g_string_free (run->raw, TRUE);
  run->raw = NULL;
  g_clear_pointer (&run->head_json, g_free);
  g_clear_pointer (&run->body, g_bytes_unref);
  g_clear_pointer (&run->error_body, g_bytes_unref);
  g_clear_error (&run->error);
}

static void
on_head (guint       status,
         const char *headers_json,
         gpointer    user_data)
{
  Run *run = user_data;

  g_assert_cmpuint (run->head_status, ==, 0);
  run->head_status = status;
  run->head_json = g_strdup (headers_json);
}

static void
on_raw (const char *data,
        gsize       len,
        gpointer    user_data)
{
  Run *run = user_data;

  g_string_append_len (run->raw, data, len);
}

static gboolean
on_event (const char  *event,
          const char  *data,
          gsize        len,
          gpointer     user_data,
          GError     **error)
{
  Run *run = user_data;

  g_assert_cmpuint (strlen (data), ==, len);
  g_ptr_array_add (run->events, g_strdup_printf ("%s|%s", event ? event : "-", data));

  if (run->events->len == 1 && run->provider != NULL)
    run->chunks_at_first_event = natter_fake_provider_get_n_chunks_sent (run->provider);

  if (run->cancel_at_event != NULL && run->events->len == run->cancel_after)
    g_cancellable_cancel (run->cancel_at_event);

  if (run->reject_events)
    {
      g_set_error (error, NATTER_REQUEST_ERROR, run->reject_category,
                   "rejected event %s", data);
      return FALSE;
    }

  return TRUE;
}

static const NatterTransportObserver observer = { on_head, on_raw, on_event };

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  g_assert_false (run->done);
  run->body = natter_transport_send_finish (NATTER_TRANSPORT (source), result,
                                            &run->status, &run->error_body,
                                            &run->error);
  run->unframed = natter_transport_result_was_unframed (NATTER_TRANSPORT (source), result);
  run->done = TRUE;
}

static void
run_start (Run             *run,
           NatterTransport *transport,
           NatterRequest   *request,
           GCancellable    *cancellable)
{
  run->elapsed_ms = g_get_monotonic_time ();
  natter_transport_send_async (transport, request, &observer, run,
                               cancellable, on_sent, run);
}

static void
run_wait (Run *run)
{
  g_assert_true (natter_test_wait_for (&run->done, 20000));
  run->elapsed_ms = (g_get_monotonic_time () - run->elapsed_ms) / 1000;
}

static void
run_sync (Run             *run,
          NatterTransport *transport,
          NatterRequest   *request,
          GCancellable    *cancellable)
{
  run_start (run, transport, request, cancellable);
  run_wait (run);
}

static NatterRequest *
chat_request (const char    *base_url,
              NatterFraming  framing)
{
  g_autofree char *url = g_strconcat (base_url, CHAT_PATH, NULL);
  NatterRequest *request = natter_request_new ("POST", url);

  natter_request_set_secret_header (request, "Authorization", "Bearer sk-test-1234");
  natter_request_set_header (request, "Accept", "text/event-stream");
  natter_request_set_body_string (request, "application/json",
                                  "{\"model\":\"m\",\"stream\":true}");
  natter_request_set_framing (request, framing);
  natter_request_freeze (request);

  return request;
}

static void
assert_events (Run                *run,
               const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < MIN (n, run->events->len); i++)
    g_assert_cmpstr (g_ptr_array_index (run->events, i), ==, expected[i]);
  g_assert_cmpuint (run->events->len, ==, n);
}

static void
test_stream_incremental (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  const char * const expected[] = { "-|one", "-|two", "-|[DONE]", NULL };
  const NatterFakeRequest *received;
  gboolean never = FALSE;
  Run run;

  natter_fake_response_add_header (resp, "x-request-id", "req-42");
  natter_fake_response_add_chunk (resp, "data: one\n\n", -1, 0);
  natter_fake_response_add_gate (resp);
  natter_fake_response_add_chunk (resp, "data: two\n\n", -1, 0);
  natter_fake_response_add_chunk (resp, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  run_init (&run, fp);
  run_start (&run, transport, request, NULL);

  /* The first event arrives while the server holds the rest back. */
  while (run.events->len == 0 && !run.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (run.done);
  g_assert_cmpuint (run.events->len, ==, 1);
  g_assert_cmpuint (run.chunks_at_first_event, ==, 1);
  g_assert_cmpuint (run.head_status, ==, 200);
  natter_test_wait_for (&never, 200);
  g_assert_cmpuint (run.events->len, ==, 1);
  g_assert_false (run.done);

  natter_fake_provider_open_gate (fp);
  run_wait (&run);

  g_assert_no_error (run.error);
  g_assert_nonnull (run.body);
  g_assert_cmpuint (g_bytes_get_size (run.body), ==, 0);
  g_assert_cmpuint (run.status, ==, 200);
  assert_events (&run, expected);
  g_assert_cmpstr (run.raw->str, ==, "data: one\n\ndata: two\n\ndata: [DONE]\n\n");
  g_assert_nonnull (strstr (run.head_json, "\"x-request-id\":\"req-42\""));
  g_assert_nonnull (strstr (run.head_json, "\"Content-Type\":\"text/event-stream\""));

  /* What went on the wire, secret header included, as the request said. */
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fp), ==, 1);
  received = natter_fake_provider_get_request (fp, 0);
  g_assert_cmpstr (received->method, ==, "POST");
  g_assert_cmpstr (received->path, ==, CHAT_PATH);
  g_assert_cmpstr (soup_message_headers_get_one (received->headers, "Authorization"), ==,
                   "Bearer sk-test-1234");
  g_assert_cmpstr (soup_message_headers_get_one (received->headers, "Accept"), ==,
                   "text/event-stream");
  g_assert_cmpstr (soup_message_headers_get_content_type (received->headers, NULL), ==,
                   "application/json");
  g_assert_cmpstr (received->body, ==, "{\"model\":\"m\",\"stream\":true}");

  run_clear (&run);
}

static void
test_byte_at_a_time (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  const char * const expected[] = {
    "-|h\xc3\xa9llo \xf0\x9f\x98\x80",
    "content_block_delta|{\"a\":1}\n{\"b\":2}",
    "-|[DONE]",
    NULL
  };
  Run run;

  natter_fake_response_set_byte_at_a_time (resp, TRUE);
  natter_fake_response_add_chunk (resp, ": keep-alive\r\n\r\n", -1, 0);
  natter_fake_response_add_chunk (resp, "data: h\xc3\xa9llo \xf0\x9f\x98\x80\r\n\r\n", -1, 0);
  natter_fake_response_add_chunk (resp, "event: content_block_delta\rdata:{\"a\":1}\rdata: {\"b\":2}\r\r", -1, 0);
  natter_fake_response_add_chunk (resp, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  run_init (&run, fp);
  run_sync (&run, transport, request, NULL);

  g_assert_no_error (run.error);
  assert_events (&run, expected);
  /* Every byte was its own HTTP chunk. */
  g_assert_cmpuint (natter_fake_provider_get_n_chunks_sent (fp), ==, run.raw->len);

  run_clear (&run);
}

static void
test_ndjson (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fp), "/api/chat", NULL);
  g_autoptr(NatterRequest) request = natter_request_new ("POST", url);
  NatterFakeResponse *resp = natter_fake_response_new (200, "application/x-ndjson");
  const char * const expected[] = {
    "-|{\"message\":{\"content\":\"Hi\"},\"done\":false}",
    "-|{\"done\":true}",
    NULL
  };
  Run run;

  natter_request_set_body_string (request, NULL, "{}");
  natter_request_set_framing (request, NATTER_FRAMING_NDJSON);
  natter_request_freeze (request);

  natter_fake_response_add_chunk (resp, "{\"message\":{\"content\":\"Hi\"},", -1, 0);
  natter_fake_response_add_chunk (resp, "\"done\":false}\r\n\n{\"done\":true}", -1, 20);
  natter_fake_provider_add_route (fp, "POST", "/api/chat", resp);

  run_init (&run, fp);
  run_sync (&run, transport, request, NULL);

  g_assert_no_error (run.error);
  assert_events (&run, expected);

  run_clear (&run);
}

/* A server that streams one endless line: the transport stops at 8 MiB
 * with a protocol error instead of buffering it all; the events before it
 * stay delivered. */
static void
test_oversized_line (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autofree char *chunk = g_malloc0 (64 * 1024 + 1);
  const char * const expected_sse[] = { "-|first", NULL };
  const char * const expected_ndjson[] = { "-|{\"done\":false}", NULL };

  memset (chunk, 'x', 64 * 1024);

  for (guint pass = 0; pass < 2; pass++)
    {
      gboolean sse = pass == 0;
      g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fp),
                                          sse ? CHAT_PATH : "/api/chat", NULL);
      g_autoptr(NatterRequest) request = natter_request_new ("POST", url);
      NatterFakeResponse *resp = natter_fake_response_new (200, sse ? "text/event-stream"
                                                                    : "application/x-ndjson");
      Run run;

      natter_request_set_body_string (request, "application/json", "{}");
      natter_request_set_framing (request, sse ? NATTER_FRAMING_SSE : NATTER_FRAMING_NDJSON);
      natter_request_freeze (request);

      natter_fake_response_add_chunk (resp, sse ? "data: first\n\ndata: " : "{\"done\":false}\n", -1, 0);
      natter_fake_response_add_repeat (resp, chunk, 200);
      natter_fake_provider_clear_routes (fp);
      natter_fake_provider_add_route (fp, "POST", sse ? CHAT_PATH : "/api/chat", resp);

      run_init (&run, fp);
      run_sync (&run, transport, request, NULL);

      g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
      g_assert_cmpstr (run.error->message, ==, "The server sent an event larger than 8 MiB");
      assert_events (&run, sse ? expected_sse : expected_ndjson);
      /* It stopped reading soon after the limit, not at the end. */
      g_assert_cmpuint (run.raw->len, <, 10 * 1024 * 1024);
      g_assert_cmpuint (run.raw->len, >, 8 * 1024 * 1024);

      run_clear (&run);
    }
}

/* A streaming request whose 200 reply is not a stream (application/json):
 * the body comes back whole for the dialect, no event is made of it. A
 * stream type with parameters, or no Content-Type, is still framed. */
static void
test_stream_answered_with_json (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  static const char body[] = "{\"error\":{\"message\":\"You exceeded your quota\",\"type\":\"insufficient_quota\"}}";
  static const struct {
    NatterFraming  framing;
    const char    *content_type;
    gboolean       unframed;
    gboolean       sse_body;
  } cases[] = {
    { NATTER_FRAMING_SSE, "application/json", TRUE, FALSE },
    { NATTER_FRAMING_SSE, "text/plain", TRUE, FALSE },
    { NATTER_FRAMING_SSE, "text/event-stream; charset=utf-8", FALSE, TRUE },
    { NATTER_FRAMING_SSE, "TEXT/EVENT-STREAM", FALSE, TRUE },
    /* An event stream under a wrong type is still framed. */
    { NATTER_FRAMING_SSE, "text/plain", FALSE, TRUE },
    { NATTER_FRAMING_SSE, "application/json", FALSE, TRUE },
    { NATTER_FRAMING_NDJSON, "application/json", TRUE, FALSE },
    { NATTER_FRAMING_NDJSON, "application/x-ndjson", FALSE, FALSE },
    { NATTER_FRAMING_NDJSON, "application/jsonl", FALSE, FALSE },
    { NATTER_FRAMING_NONE, "application/json", FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp),
                                                       cases[i].framing);
      const char *sent = cases[i].sse_body ? "data: one\n\n" : body;
      Run run;

      natter_fake_provider_clear_routes (fp);
      natter_fake_provider_add_route (fp, "POST", CHAT_PATH,
                                      natter_fake_response_new_body (200, cases[i].content_type, sent));
      run_init (&run, fp);
      run_sync (&run, transport, request, NULL);

      g_assert_no_error (run.error);
      g_assert_cmpuint (run.status, ==, 200);
      g_assert_cmpint (run.unframed, ==, cases[i].unframed);
      if (cases[i].unframed || cases[i].framing == NATTER_FRAMING_NONE)
        {
          g_assert_cmpuint (run.events->len, ==, 0);
          g_assert_cmpmem (g_bytes_get_data (run.body, NULL), g_bytes_get_size (run.body),
                           body, strlen (body));
        }
      else
        {
          g_assert_cmpuint (run.events->len, ==, 1);
          g_assert_cmpuint (g_bytes_get_size (run.body), ==, 0);
        }
      g_assert_cmpstr (run.raw->str, ==, sent);
      run_clear (&run);
    }
}

static void
test_non_streaming (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fp), "/v1/models?limit=5", NULL);
  g_autoptr(NatterRequest) request = natter_request_new ("GET", url);
  const char *json = "{\"data\":[{\"id\":\"gpt-4o\"}]}";
  Run run;

  natter_request_freeze (request);
  natter_fake_provider_add_route (fp, "GET", "/v1/models",
                                  natter_fake_response_new_body (200, "application/json", json));

  run_init (&run, fp);
  run_sync (&run, transport, request, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (run.body, NULL), g_bytes_get_size (run.body),
                   json, strlen (json));
  g_assert_cmpuint (run.events->len, ==, 0);
  g_assert_cmpstr (natter_fake_provider_get_request (fp, 0)->query, ==, "limit=5");

  run_clear (&run);
}

static void
test_slow_but_alive (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  NatterTransportOptions options = { .idle_timeout_s = 1 };
  g_autoptr(NatterTransport) transport = natter_transport_new (&options);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  const char * const expected[] = { "-|a", "-|b", "-|c", NULL };
  Run run;

  /* Every gap is under the 1 s idle timeout, the whole reply is not. */
  natter_fake_response_set_first_byte_delay (resp, 700);
  natter_fake_response_add_chunk (resp, "data: a\n\n", -1, 0);
  natter_fake_response_add_chunk (resp, "data: b\n\n", -1, 700);
  natter_fake_response_add_chunk (resp, "data: c\n\n", -1, 700);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  run_init (&run, fp);
  run_sync (&run, transport, request, NULL);

  g_assert_no_error (run.error);
  assert_events (&run, expected);
  g_assert_cmpint (run.elapsed_ms, >=, 2000);

  run_clear (&run);
}

static void
test_stall_times_out (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  NatterTransportOptions options = { .idle_timeout_s = 1 };
  g_autoptr(NatterTransport) transport = natter_transport_new (&options);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  const char * const expected[] = { "-|before the stall", NULL };
  Run run;

  natter_fake_response_add_chunk (resp, "data: before the stall\n\n", -1, 0);
  natter_fake_response_add_chunk (resp, "data: never\n\n", -1, 0);
  natter_fake_response_set_stall_after (resp, 1);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  run_init (&run, fp);
  run_sync (&run, transport, request, NULL);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_TIMEOUT);
  g_assert_cmpuint (run.status, ==, 200);
  assert_events (&run, expected);
  g_assert_cmpint (run.elapsed_ms, >=, 900);
  g_assert_cmpint (run.elapsed_ms, <, 5000);

  run_clear (&run);
}

static void
test_stall_before_head_times_out (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  NatterTransportOptions options = { .idle_timeout_s = 1 };
  g_autoptr(NatterTransport) transport = natter_transport_new (&options);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  Run run;

  natter_fake_response_set_first_byte_delay (resp, 10000);
  natter_fake_response_add_chunk (resp, "data: late\n\n", -1, 0);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  run_init (&run, fp);
  run_sync (&run, transport, request, NULL);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_TIMEOUT);
  g_assert_cmpuint (run.status, ==, 0);
  g_assert_cmpuint (run.head_status, ==, 0);
  g_assert_cmpint (run.elapsed_ms, <, 5000);

  run_clear (&run);
}

static void
test_http_errors (void)
{
  static const struct {
    guint       status;
    int         category;
    const char *body;
  } cases[] = {
    { 401, NATTER_ERROR_CATEGORY_AUTH, "{\"error\":{\"message\":\"Incorrect API key provided\",\"type\":\"invalid_request_error\"}}" },
    { 404, NATTER_ERROR_CATEGORY_NOT_FOUND, "{\"error\":{\"message\":\"The model `gpt-9` does not exist\"}}" },
    { 429, NATTER_ERROR_CATEGORY_RATE_LIMITED, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}" },
    { 500, NATTER_ERROR_CATEGORY_SERVER, "Internal Server Error" },
    { 529, NATTER_ERROR_CATEGORY_OVERLOADED, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}" },
    { 400, NATTER_ERROR_CATEGORY_BAD_REQUEST, "{\"error\":\"max_tokens too large\"}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
      g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
      g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
      NatterFakeResponse *resp = natter_fake_response_new (cases[i].status, "application/json");
      Run run;

      /* Chunked like a streaming endpoint would send its error. */
      natter_fake_response_add_chunk (resp, cases[i].body, 10, 0);
      natter_fake_response_add_chunk (resp, cases[i].body + 10, -1, 10);
      natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

      run_init (&run, fp);
      run_sync (&run, transport, request, NULL);

      g_assert_error (run.error, NATTER_REQUEST_ERROR, cases[i].category);
      g_assert_null (run.body);
      g_assert_cmpuint (run.status, ==, cases[i].status);
      g_assert_nonnull (run.error_body);
      g_assert_cmpmem (g_bytes_get_data (run.error_body, NULL), g_bytes_get_size (run.error_body),
                       cases[i].body, strlen (cases[i].body));
      /* An error body is never framed as events. */
      g_assert_cmpuint (run.events->len, ==, 0);
      g_assert_cmpstr (run.raw->str, ==, cases[i].body);

      run_clear (&run);
    }
}

static guint
unused_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  /* Bound but not listening: connecting to it is refused. */
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_refused (void)
{
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autofree char *base = g_strdup_printf ("http://127.0.0.1:%u", unused_port ());
  g_autoptr(NatterRequest) request = chat_request (base, NATTER_FRAMING_SSE);
  Run run;

  run_init (&run, NULL);
  run_sync (&run, transport, request, NULL);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK);
  g_assert_cmpuint (run.status, ==, 0);
  g_assert_cmpuint (run.head_status, ==, 0);
  g_assert_null (run.error_body);

  run_clear (&run);
}

/* A listening socket whose accept queue is full: a new connection hangs
 * in the handshake, as with an unreachable host. */
static void
test_connect_timeout (void)
{
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterTransport) transport = NULL;
  g_autoptr(NatterRequest) request = NULL;
  g_autofree char *base = NULL;
  NatterTransportOptions options = { .connect_timeout_s = 1, .idle_timeout_s = 30 };
  gboolean never = FALSE;
  Run run;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (listener, 0);
  g_socket_bind (listener, any, FALSE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 4; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, &error);

      g_assert_no_error (error);
      g_socket_set_blocking (filler, FALSE);
      g_socket_connect (filler, bound, NULL, NULL);
      g_ptr_array_add (fillers, filler);
    }
  natter_test_wait_for (&never, 200);

  base = g_strdup_printf ("http://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  transport = natter_transport_new (&options);
  request = chat_request (base, NATTER_FRAMING_SSE);

  run_init (&run, NULL);
  run_sync (&run, transport, request, NULL);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_TIMEOUT);
  g_assert_cmpuint (run.status, ==, 0);
  g_assert_cmpint (run.elapsed_ms, >=, 900);
  g_assert_cmpint (run.elapsed_ms, <, 5000);

  run_clear (&run);
}

static void
test_invalid_url (void)
{
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autoptr(NatterRequest) request = natter_request_new ("GET", "ftp://example.com/x?key=abc");
  Run run;

  natter_request_freeze (request);
  run_init (&run, NULL);
  run_sync (&run, transport, request, NULL);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK);
  /* The message names the address, without the key. */
  g_assert_null (strstr (run.error->message, "abc"));

  run_clear (&run);
}

static void
test_dropped_connection (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  const char * const expected[] = { "-|1", "-|2", NULL };
  Run run;

  natter_fake_response_add_chunk (resp, "data: 1\n\n", -1, 0);
  natter_fake_response_add_chunk (resp, "data: 2\n\ndata: 3 is cut", -1, 0);
  natter_fake_response_add_chunk (resp, " off\n\n", -1, 0);
  natter_fake_response_set_drop_after (resp, 2);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  run_init (&run, fp);
  run_sync (&run, transport, request, NULL);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK);
  g_assert_cmpuint (run.status, ==, 200);
  assert_events (&run, expected);

  run_clear (&run);
}

static void
test_closed_before_head (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  Run run;

  natter_fake_response_add_chunk (resp, "data: never\n\n", -1, 0);
  natter_fake_response_set_drop_after (resp, 0);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  run_init (&run, fp);
  run_sync (&run, transport, request, NULL);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK);
  g_assert_cmpuint (run.status, ==, 0);
  g_assert_cmpuint (run.events->len, ==, 0);

  run_clear (&run);
}

static void
test_stall_after_whole_body (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  NatterTransportOptions options = { .idle_timeout_s = 1 };
  g_autoptr(NatterTransport) transport = natter_transport_new (&options);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  const char * const expected[] = { "-|1", "-|2", NULL };
  Run run;

  natter_fake_response_add_chunk (resp, "data: 1\n\n", -1, 0);
  natter_fake_response_add_chunk (resp, "data: 2\n\n", -1, 0);
  natter_fake_response_set_stall_after (resp, 2);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  run_init (&run, fp);
  run_sync (&run, transport, request, NULL);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_TIMEOUT);
  assert_events (&run, expected);

  run_clear (&run);
}

static void
test_cancel_mid_stream (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  const char * const expected[] = { "-|1", "-|2", NULL };
  Run run;

  natter_fake_response_add_chunk (resp, "data: 1\n\n", -1, 0);
  natter_fake_response_add_chunk (resp, "data: 2\n\n", -1, 0);
  natter_fake_response_add_gate (resp);
  natter_fake_response_add_chunk (resp, "data: 3\n\n", -1, 0);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  run_init (&run, fp);
  run.cancel_at_event = cancellable;
  run.cancel_after = 2;
  run_sync (&run, transport, request, cancellable);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED);
  assert_events (&run, expected);

  run_clear (&run);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_before_head (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) already = g_cancellable_new ();
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  Run run;

  natter_fake_response_set_first_byte_delay (resp, 10000);
  natter_fake_response_add_chunk (resp, "data: late\n\n", -1, 0);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  run_init (&run, fp);
  g_timeout_add (200, cancel_cb, cancellable);
  run_sync (&run, transport, request, cancellable);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED);
  g_assert_cmpuint (run.head_status, ==, 0);
  g_assert_cmpint (run.elapsed_ms, <, 5000);
  run_clear (&run);

  /* Cancelled before it even started. */
  g_cancellable_cancel (already);
  run_init (&run, fp);
  run_sync (&run, transport, request, already);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED);
  run_clear (&run);
}

static void
test_observer_rejects_event (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  const char * const expected[] = { "error|{\"type\":\"overloaded_error\"}", NULL };
  Run run;

  natter_fake_response_add_chunk (resp, "event: error\ndata: {\"type\":\"overloaded_error\"}\n\ndata: more\n\n", -1, 0);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  /* The category chosen by the observer (the dialect) is kept. */
  run_init (&run, fp);
  run.reject_events = TRUE;
  run.reject_category = NATTER_ERROR_CATEGORY_OVERLOADED;
  run_sync (&run, transport, request, NULL);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_OVERLOADED);
  assert_events (&run, expected);

  run_clear (&run);
}

/* An HTTP proxy: receives absolute-URI requests, demands Basic proxy
 * credentials, then answers itself. */
typedef struct
{
  const char *expected_auth;
  GPtrArray  *authorizations;
  GPtrArray  *uris;
  GPtrArray  *bodies;
} Proxy;

static void
proxy_callback (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Proxy *proxy = user_data;
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  const char *auth = soup_message_headers_get_one (in, "Proxy-Authorization");
  const char *body = "data: via proxy\n\n";

  g_ptr_array_add (proxy->authorizations, g_strdup (auth ? auth : "(none)"));
  g_ptr_array_add (proxy->uris, g_uri_to_string (soup_server_message_get_uri (msg)));
  g_ptr_array_add (proxy->bodies,
                   g_strndup (soup_server_message_get_request_body (msg)->data,
                              soup_server_message_get_request_body (msg)->length));

  if (g_strcmp0 (auth, proxy->expected_auth) != 0)
    {
      soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                   "Proxy-Authenticate", "Basic realm=\"natter-test\"");
      soup_server_message_set_status (msg, SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED, NULL);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_STATIC,
                                    body, strlen (body));
}

static void
test_proxy_with_password (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterRequest) request = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *expected_auth = NULL;
  g_autofree char *encoded = NULL;
  const char *password = "p@ss:w0rd/%";
  const char * const expected[] = { "-|via proxy", NULL };
  Proxy proxy = {
    NULL,
    g_ptr_array_new_with_free_func (g_free),
    g_ptr_array_new_with_free_func (g_free),
    g_ptr_array_new_with_free_func (g_free),
  };
  GSList *uris;
  Run run;

  soup_server_add_handler (server, NULL, proxy_callback, &proxy, NULL);
  soup_server_listen (server, address, 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  proxy_url = g_strdup_printf ("http://alice@127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  encoded = g_base64_encode ((const guchar *) "alice:p@ss:w0rd/%", strlen ("alice:p@ss:w0rd/%"));
  expected_auth = g_strconcat ("Basic ", encoded, NULL);
  proxy.expected_auth = expected_auth;
  /* The target needs no DNS: the proxy receives the absolute URI. */
  request = chat_request ("http://upstream.invalid", NATTER_FRAMING_SSE);

  /* Right password. */
  {
    NatterTransportOptions options = { .proxy_url = proxy_url, .proxy_password = password };
    g_autoptr(NatterTransport) transport = natter_transport_new (&options);

    run_init (&run, NULL);
    run_sync (&run, transport, request, NULL);

    g_assert_no_error (run.error);
    assert_events (&run, expected);
    g_assert_cmpuint (proxy.authorizations->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (proxy.authorizations, 0), ==, expected_auth);
    g_assert_cmpstr (g_ptr_array_index (proxy.uris, 0), ==, "http://upstream.invalid" CHAT_PATH);
    g_assert_cmpstr (g_ptr_array_index (proxy.bodies, 0), ==, "{\"model\":\"m\",\"stream\":true}");
    run_clear (&run);
  }

  /* The password may also come inside the proxy URL, %-encoded. */
  {
    g_autofree char *url_with_password =
      g_strdup_printf ("http://alice:p%%40ss%%3Aw0rd%%2F%%25@127.0.0.1:%s",
                       strrchr (proxy_url, ':') + 1);
    NatterTransportOptions options = { .proxy_url = url_with_password };
    g_autoptr(NatterTransport) transport = natter_transport_new (&options);

    run_init (&run, NULL);
    run_sync (&run, transport, request, NULL);

    g_assert_no_error (run.error);
    assert_events (&run, expected);
    g_assert_cmpuint (proxy.authorizations->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (proxy.authorizations, 1), ==, expected_auth);
    run_clear (&run);
  }

  /* Wrong password: one request, refused with 407, category auth. */
  {
    NatterTransportOptions options = { .proxy_url = proxy_url, .proxy_password = "wrong" };
    g_autoptr(NatterTransport) transport = natter_transport_new (&options);

    run_init (&run, NULL);
    run_sync (&run, transport, request, NULL);

    g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
    g_assert_cmpuint (run.status, ==, 407);
    g_assert_null (strstr (run.error->message, "wrong"));
    g_assert_cmpuint (proxy.authorizations->len, ==, 3);
    run_clear (&run);
  }

  /* An unusable proxy address fails every request with a clear error. */
  {
    NatterTransportOptions options = { .proxy_url = "not a url", .proxy_password = password };
    g_autoptr(NatterTransport) transport = natter_transport_new (&options);

    run_init (&run, NULL);
    run_sync (&run, transport, request, NULL);

    g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK);
    g_assert_null (strstr (run.error->message, password));
    run_clear (&run);
  }

  g_ptr_array_unref (proxy.authorizations);
  g_ptr_array_unref (proxy.uris);
  g_ptr_array_unref (proxy.bodies);
}

static void
test_tls_rejected (void)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autoptr(NatterRequest) request = NULL;
  g_autofree char *base = NULL;
  GSList *uris;
  Run run;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend (glib-networking)");
      return;
    }

  cert = g_tls_certificate_new_from_pem (test_cert_and_key, -1, &error);
  g_assert_no_error (error);
  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_listen (server, address, SOUP_SERVER_LISTEN_HTTPS, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  request = chat_request (base, NATTER_FRAMING_SSE);
  run_init (&run, NULL);
  run_sync (&run, transport, request, NULL);

  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_TLS);

  run_clear (&run);
}

static void
test_fake_provider_routes (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fp),
                                      "/v1beta/models/gemini-2.0:streamGenerateContent?alt=sse", NULL);
  g_autoptr(NatterRequest) request = natter_request_new ("POST", url);
  g_autoptr(NatterRequest) unknown = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_NONE);
  Run run;

  natter_request_set_framing (request, NATTER_FRAMING_NONE);
  natter_request_freeze (request);

  /* Responses for one route are served in order, the last one repeats;
   * a path ending in '*' is a prefix. */
  natter_fake_provider_add_route (fp, "POST", "/v1beta/models/*",
                                  natter_fake_response_new_body (429, NULL, "first"));
  natter_fake_provider_add_route (fp, "POST", "/v1beta/models/*",
                                  natter_fake_response_new_body (200, NULL, "second"));

  for (guint i = 0; i < 3; i++)
    {
      run_init (&run, fp);
      run_sync (&run, transport, request, NULL);
      g_assert_cmpuint (run.status, ==, i == 0 ? 429 : 200);
      g_assert_cmpstr (run.raw->str, ==, i == 0 ? "first" : "second");
      run_clear (&run);
    }

  g_assert_cmpstr (natter_fake_provider_get_request (fp, 0)->query, ==, "alt=sse");

  run_init (&run, fp);
  run_sync (&run, transport, unknown, NULL);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NOT_FOUND);
  run_clear (&run);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fp), ==, 4);
}

static void
test_repeat_stream (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autoptr(NatterRequest) request = chat_request (natter_fake_provider_get_url (fp), NATTER_FRAMING_SSE);
  NatterFakeResponse *resp = natter_fake_response_new (200, "text/event-stream");
  const guint count = 20000;
  Run run;

  natter_fake_response_add_chunk (resp, "data: start\n\n", -1, 0);
  natter_fake_response_add_repeat (resp, "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n", count);
  natter_fake_response_add_chunk (resp, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fp, "POST", CHAT_PATH, resp);

  run_init (&run, fp);
  run_sync (&run, transport, request, NULL);

  g_assert_no_error (run.error);
  g_assert_cmpuint (run.events->len, ==, count + 2);
  g_assert_cmpstr (g_ptr_array_index (run.events, 0), ==, "-|start");
  g_assert_cmpstr (g_ptr_array_index (run.events, count), ==,
                   "-|{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}");
  g_assert_cmpstr (g_ptr_array_index (run.events, count + 1), ==, "-|[DONE]");

  run_clear (&run);
}

static void
on_port_line (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  g_assert_no_error (error);
  if (*line == NULL)
    *line = g_strdup ("(end of output)");
}

static void
on_process_exit (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
}

/* The standalone natter-fake-server used by shell tests and benchmarks. */
static void
test_fake_server_process (void)
{
  const char *routes =
    "[{\"method\":\"POST\",\"path\":\"/v1/chat/completions\",\"status\":200,"
    "  \"content_type\":\"text/event-stream\",\"headers\":{\"x-fake\":\"yes\"},"
    "  \"chunks\":[\"data: a\\n\\n\",\"data: b\\n\\n\"],\"byte_at_a_time\":true,"
    "  \"repeat\":{\"chunk\":\"data: r\\n\\n\",\"count\":1000},"
    "  \"chunks_after\":[\"data: [DONE]\\n\\n\"]},"
    " {\"method\":\"GET\",\"path\":\"/v1/models\",\"status\":401,"
    "  \"body\":\"{\\\"error\\\":{\\\"message\\\":\\\"bad key\\\"}}\"},"
    " {\"method\":\"POST\",\"path\":\"/drop\",\"content_type\":\"text/event-stream\","
    "  \"chunks\":[\"data: 1\\n\\n\",\"data: 2\\n\",\"\\n\"],\"drop_after_chunks\":2}]";
  g_autofree char *tmp = NULL;
  g_autofree char *routes_path = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(NatterRequest) models = NULL;
  g_autoptr(NatterRequest) drop = NULL;
  g_autofree char *line = NULL;
  g_autofree char *base = NULL;
  g_autofree char *models_url = NULL;
  g_autofree char *drop_url = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) log_lines = NULL;
  gboolean exited = FALSE;
  guint port = 0;
  Run run;

  if (g_getenv ("NATTER_BUILD_DIR") == NULL)
    {
      g_test_skip ("NATTER_BUILD_DIR is not set (run through meson test)");
      return;
    }
  server = g_build_filename (g_getenv ("NATTER_BUILD_DIR"), "tests", "natter-fake-server", NULL);
  tmp = natter_test_tmpdir_new ();
  routes_path = g_build_filename (tmp, "routes.json", NULL);
  log_path = g_build_filename (tmp, "requests.jsonl", NULL);

  g_file_set_contents (routes_path, routes, -1, &error);
  g_assert_no_error (error);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              server, "--routes", routes_path, "--log", log_path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_port_line, &line);
  while (line == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sscanf (line, "PORT %u", &port) == 1);
  g_assert_cmpuint (port, >, 0);

  base = g_strdup_printf ("http://127.0.0.1:%u", port);
  request = chat_request (base, NATTER_FRAMING_SSE);
  run_init (&run, NULL);
  run_sync (&run, transport, request, NULL);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.events->len, ==, 1003);
  g_assert_cmpstr (g_ptr_array_index (run.events, 1), ==, "-|b");
  g_assert_cmpstr (g_ptr_array_index (run.events, 1001), ==, "-|r");
  g_assert_cmpstr (g_ptr_array_index (run.events, 1002), ==, "-|[DONE]");
  g_assert_nonnull (strstr (run.head_json, "\"x-fake\":\"yes\""));
  run_clear (&run);

  models_url = g_strconcat (base, "/v1/models", NULL);
  models = natter_request_new ("GET", models_url);
  natter_request_freeze (models);
  run_init (&run, NULL);
  run_sync (&run, transport, models, NULL);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_cmpmem (g_bytes_get_data (run.error_body, NULL), g_bytes_get_size (run.error_body),
                   "{\"error\":{\"message\":\"bad key\"}}", 31);
  run_clear (&run);

  drop_url = g_strconcat (base, "/drop", NULL);
  drop = natter_request_new ("POST", drop_url);
  natter_request_set_framing (drop, NATTER_FRAMING_SSE);
  natter_request_freeze (drop);
  run_init (&run, NULL);
  run_sync (&run, transport, drop, NULL);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK);
  g_assert_cmpuint (run.events->len, ==, 1);
  run_clear (&run);

  /* SIGTERM ends it cleanly. */
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait_async (process, NULL, on_process_exit, &exited);
  g_assert_true (natter_test_wait_for (&exited, 5000));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  g_file_get_contents (log_path, &log, NULL, &error);
  g_assert_no_error (error);
  log_lines = g_strsplit (log, "\n", -1);
  g_assert_cmpuint (g_strv_length (log_lines), ==, 4);
  g_assert_nonnull (strstr (log_lines[0], "\"method\":\"POST\""));
  g_assert_nonnull (strstr (log_lines[0], "\"path\":\"/v1/chat/completions\""));
  g_assert_nonnull (strstr (log_lines[0], "\"Authorization\":\"Bearer sk-test-1234\""));
  g_assert_nonnull (strstr (log_lines[0], "\"body\":\"{\\\"model\\\":\\\"m\\\",\\\"stream\\\":true}\""));
  g_assert_nonnull (strstr (log_lines[1], "\"path\":\"/v1/models\""));
  g_assert_cmpstr (log_lines[3], ==, "");

  natter_test_tmpdir_free (g_steal_pointer (&tmp));
}

/* Everything logged by the process, debug messages included. */
static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      {
        g_string_append_len (captured_log, fields[i].value,
                             fields[i].length < 0 ? (gssize) strlen (fields[i].value)
                                                  : fields[i].length);
        g_string_append_c (captured_log, '\n');
      }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
test_secrets_not_logged (void)
{
  g_autoptr(NatterFakeProvider) fp = natter_fake_provider_new ();
  g_autoptr(NatterTransport) transport = NULL;
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fp),
                                      "/v1beta/models/m:streamGenerateContent?alt=sse&key=AIzaSECRETKEY", NULL);
  g_autofree char *proxy_url = g_strdup_printf ("http://bob@127.0.0.1:%u", unused_port ());
  g_autoptr(NatterRequest) request = natter_request_new ("POST", url);
  g_autoptr(NatterRequest) via_proxy = NULL;
  NatterTransportOptions options = { .proxy_url = proxy_url, .proxy_password = "PROXYSECRET" };
  Run run;

  natter_request_set_secret_header (request, "x-goog-api-key", "AIzaSECRETKEY");
  natter_request_set_body_string (request, NULL, "{}");
  natter_request_set_framing (request, NATTER_FRAMING_SSE);
  natter_request_freeze (request);
  natter_fake_provider_add_route (fp, "POST", "/v1beta/models/*",
                                  natter_fake_response_new_body (401, "application/json",
                                                                 "{\"error\":{\"message\":\"API key not valid\"}}"));

  g_string_truncate (captured_log, 0);

  transport = natter_transport_new (NULL);
  run_init (&run, fp);
  run_sync (&run, transport, request, NULL);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_null (strstr (run.error->message, "SECRET"));
  run_clear (&run);
  g_clear_object (&transport);

  /* Through an unreachable proxy with a password. */
  transport = natter_transport_new (&options);
  via_proxy = chat_request ("http://upstream.invalid", NATTER_FRAMING_SSE);
  run_init (&run, NULL);
  run_sync (&run, transport, via_proxy, NULL);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK);
  g_assert_null (strstr (run.error->message, "PROXYSECRET"));
  run_clear (&run);

  /* The requests were logged (so the capture works), their secrets not. */
  g_assert_nonnull (strstr (captured_log->str, "POST "));
  g_assert_nonnull (strstr (captured_log->str, "REDACTED"));
  g_assert_null (strstr (captured_log->str, "AIzaSECRETKEY"));
  g_assert_null (strstr (captured_log->str, "PROXYSECRET"));
  g_assert_null (strstr (captured_log->str, "sk-test-1234"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_add_func ("/natter/transport/stream-incremental", test_stream_incremental);
  g_test_add_func ("/natter/transport/byte-at-a-time", test_byte_at_a_time);
  g_test_add_func ("/natter/transport/ndjson", test_ndjson);
  g_test_add_func ("/natter/transport/non-streaming", test_non_streaming);
  g_test_add_func ("/natter/transport/oversized-line", test_oversized_line);
  g_test_add_func ("/natter/transport/stream-answered-with-json", test_stream_answered_with_json);
  g_test_add_func ("/natter/transport/slow-but-alive", test_slow_but_alive);
  g_test_add_func ("/natter/transport/stall-times-out", test_stall_times_out);
  g_test_add_func ("/natter/transport/stall-before-head-times-out", test_stall_before_head_times_out);
  g_test_add_func ("/natter/transport/http-errors", test_http_errors);
  g_test_add_func ("/natter/transport/refused", test_refused);
  g_test_add_func ("/natter/transport/connect-timeout", test_connect_timeout);
  g_test_add_func ("/natter/transport/invalid-url", test_invalid_url);
  g_test_add_func ("/natter/transport/dropped-connection", test_dropped_connection);
  g_test_add_func ("/natter/transport/closed-before-head", test_closed_before_head);
  g_test_add_func ("/natter/transport/stall-after-whole-body", test_stall_after_whole_body);
  g_test_add_func ("/natter/transport/cancel-mid-stream", test_cancel_mid_stream);
  g_test_add_func ("/natter/transport/cancel-before-head", test_cancel_before_head);
  g_test_add_func ("/natter/transport/observer-rejects-event", test_observer_rejects_event);
  g_test_add_func ("/natter/transport/proxy-with-password", test_proxy_with_password);
  g_test_add_func ("/natter/transport/tls-rejected", test_tls_rejected);
  g_test_add_func ("/natter/transport/fake-provider-routes", test_fake_provider_routes);
  g_test_add_func ("/natter/transport/repeat-stream", test_repeat_stream);
  g_test_add_func ("/natter/transport/fake-server-process", test_fake_server_process);
  g_test_add_func ("/natter/transport/secrets-not-logged", test_secrets_not_logged);

  return g_test_run ();
}
