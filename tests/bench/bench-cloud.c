/* bench-cloud.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures for the cloud sign-ins and Bedrock's stream: the AWS event
 * stream framer over a 100,000-message Converse stream fed in 16 KiB reads,
 * SigV4 signing of a chat request, and the RS256 signature of a service
 * account JWT. Prints figures; never fails on time.
 */

#include "config.h"

#include <string.h>

#include "natter-event-stream-framer.h"
#include "natter-service-account.h"
#include "natter-sigv4.h"
#include "natter-test-cloud.h"

#define N_MESSAGES 100000
#define READ_SIZE  (16 * 1024)

static gboolean
count (const NatterEventStreamMessage *message,
       gpointer                        user_data)
{
  guint *n = user_data;

  (*n)++;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GBytes) one = natter_test_event_stream_message ("event", "contentBlockDelta",
    "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello, this is one token or two \"},\"p\":\"abcdefghij\"}");
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  gsize one_len;
  const guint8 *one_data = g_bytes_get_data (one, &one_len);
  gint64 start, elapsed;
  guint n = 0;

  for (guint i = 0; i < N_MESSAGES; i++)
    g_byte_array_append (stream, one_data, one_len);

  {
    g_autoptr(NatterEventStreamFramer) framer = natter_event_stream_framer_new (count, &n);

    start = g_get_monotonic_time ();
    for (gsize at = 0; at < stream->len; at += READ_SIZE)
      natter_event_stream_framer_feed (framer, (const char *) stream->data + at,
                                       MIN (READ_SIZE, stream->len - at), NULL);
    elapsed = g_get_monotonic_time () - start;
  }
  g_assert_cmpuint (n, ==, N_MESSAGES);
  g_print ("event stream framer: %u messages of %zu bytes (%.1f MiB) in %.1f ms: "
           "%.3f us/message, %.0f MiB/s\n",
           n, one_len, stream->len / 1048576.0, elapsed / 1000.0,
           (double) elapsed / n, (stream->len / 1048576.0) / (elapsed / 1e6));

  {
    NatterSigV4Credentials credentials = { "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                           "session-token", "us-east-1", "bedrock" };
    g_autofree char *body = g_strnfill (4000, 'x');
    const guint rounds = 20000;

    start = g_get_monotonic_time ();
    for (guint i = 0; i < rounds; i++)
      {
        NatterRequest *request = natter_request_new ("POST",
          "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream");

        natter_request_set_body_string (request, NULL, body);
        natter_sigv4_sign_request (request, &credentials, NULL, NULL);
        natter_request_unref (request);
      }
    elapsed = g_get_monotonic_time () - start;
    g_print ("SigV4: one 4 KB chat request signed in %.1f us\n", (double) elapsed / rounds);
  }

  {
    g_autofree char *private_pem = NULL, *public_pem = NULL, *json = NULL;
    g_autoptr(NatterServiceAccount) account = NULL;
    const guint rounds = 200;

    natter_test_rsa_key_pair (&private_pem, &public_pem);
    json = natter_test_service_account_json (private_pem, "p", "e@p.iam.gserviceaccount.com",
                                             "https://oauth2.googleapis.com/token");
    start = g_get_monotonic_time ();
    account = natter_service_account_parse (json, -1, NULL);
    elapsed = g_get_monotonic_time () - start;
    g_print ("service account: key file checked and RSA key imported in %.2f ms\n", elapsed / 1000.0);

    start = g_get_monotonic_time ();
    for (guint i = 0; i < rounds; i++)
      g_free (natter_service_account_build_assertion (account, NULL, 1700000000, NULL));
    elapsed = g_get_monotonic_time () - start;
    g_print ("service account: one RS256 JWT (2048-bit key) in %.2f ms (once per hour per key)\n",
             (double) elapsed / rounds / 1000.0);
  }

  return 0;
}
