/* test-request.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-request.h"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_basics (void)
{
  g_autoptr(NatterRequest) request = natter_request_new ("POST", "https://api.example.com/v1/chat/completions");
  g_autoptr(GBytes) original = NULL;
  char buffer[] = "{\"a\":1}";
  gsize len;

  g_assert_cmpstr (natter_request_get_method (request), ==, "POST");
  g_assert_cmpstr (natter_request_get_url (request), ==, "https://api.example.com/v1/chat/completions");
  g_assert_cmpint (natter_request_get_framing (request), ==, NATTER_FRAMING_NONE);
  g_assert_null (natter_request_get_body (request));

  natter_request_set_header (request, "Accept", "text/event-stream");
  natter_request_set_header (request, "X-Custom", "1");
  /* Same name, other case: replaced, not added. */
  natter_request_set_header (request, "accept", "application/json");
  g_assert_cmpuint (natter_request_get_n_headers (request), ==, 2);
  g_assert_cmpstr (natter_request_get_header (request, "ACCEPT"), ==, "application/json");
  g_assert_cmpstr (natter_request_get_header_name (request, 1), ==, "X-Custom");
  g_assert_null (natter_request_get_header (request, "missing"));

  /* The body is copied: changing the caller's buffer changes nothing. */
  original = g_bytes_new_static (buffer, strlen (buffer));
  natter_request_set_body (request, NULL, original);
  buffer[2] = 'b';
  g_assert_cmpstr (natter_request_get_content_type (request), ==, "application/json");
  g_assert_cmpmem (g_bytes_get_data (natter_request_get_body (request), &len), len, "{\"a\":1}", 7);

  natter_request_set_framing (request, NATTER_FRAMING_SSE);
  natter_request_set_url (request, "https://other.example.com/");
  g_assert_false (natter_request_is_frozen (request));
  natter_request_freeze (request);
  g_assert_true (natter_request_is_frozen (request));
  g_assert_cmpint (natter_request_get_framing (request), ==, NATTER_FRAMING_SSE);
  g_assert_cmpstr (natter_request_get_url (request), ==, "https://other.example.com/");
}

static void
test_frozen_is_immutable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(NatterRequest) request = natter_request_new ("GET", "https://x");

      natter_request_freeze (request);
      natter_request_set_header (request, "A", "b");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*frozen*");
}

static void
test_redacted_headers (void)
{
  g_autoptr(NatterRequest) request = natter_request_new ("POST", "https://x");
  g_autofree char *json = NULL;
  g_autoptr(JsonObject) object = NULL;

  natter_request_set_header (request, "Authorization", "Bearer sk-live-abcdef123456");
  natter_request_set_header (request, "x-api-key", "sk-ant-api03-zzz");
  natter_request_set_header (request, "X-Goog-Api-Key", "AIzaSyD-secret");
  natter_request_set_header (request, "api-key", "azure-secret");
  natter_request_set_header (request, "Proxy-Authorization", "Basic dXNlcjpwYXNz");
  natter_request_set_secret_header (request, "X-Custom-Token", "custom-secret");
  natter_request_set_header (request, "anthropic-version", "2023-06-01");

  for (guint i = 0; i < natter_request_get_n_headers (request); i++)
    g_assert_cmpint (natter_request_header_is_secret (request, i), ==,
                     !g_str_equal (natter_request_get_header_name (request, i), "anthropic-version"));

  json = natter_request_dup_redacted_headers_json (request);
  g_assert_null (strstr (json, "sk-live"));
  g_assert_null (strstr (json, "sk-ant"));
  g_assert_null (strstr (json, "AIzaSyD"));
  g_assert_null (strstr (json, "azure-secret"));
  g_assert_null (strstr (json, "dXNlcjpwYXNz"));
  g_assert_null (strstr (json, "custom-secret"));

  object = parse_object (json);
  g_assert_cmpstr (json_object_get_string_member (object, "Authorization"), ==, "Bearer REDACTED");
  g_assert_cmpstr (json_object_get_string_member (object, "x-api-key"), ==, "REDACTED");
  g_assert_cmpstr (json_object_get_string_member (object, "Proxy-Authorization"), ==, "Basic REDACTED");
  g_assert_cmpstr (json_object_get_string_member (object, "X-Custom-Token"), ==, "REDACTED");
  g_assert_cmpstr (json_object_get_string_member (object, "anthropic-version"), ==, "2023-06-01");

  /* The real values are still there for the transport. */
  g_assert_cmpstr (natter_request_get_header (request, "authorization"), ==, "Bearer sk-live-abcdef123456");
}

static void
test_redacted_url (void)
{
  const struct {
    const char *url;
    const char *expected;
  } cases[] = {
    { "https://generativelanguage.googleapis.com/v1beta/models?key=AIzaSecret",
      "https://generativelanguage.googleapis.com/v1beta/models?key=REDACTED" },
    { "https://x/v1/models/m:streamGenerateContent?alt=sse&key=AIzaSecret",
      "https://x/v1/models/m:streamGenerateContent?alt=sse&key=REDACTED" },
    { "https://x/?KEY=a&pageToken=b&api_key=c#frag",
      "https://x/?KEY=REDACTED&pageToken=b&api_key=REDACTED#frag" },
    { "https://x/?access_token=t&token=u&apikey=v",
      "https://x/?access_token=REDACTED&token=REDACTED&apikey=REDACTED" },
    { "https://x/?monkey=banana&keyword=ok", "https://x/?monkey=banana&keyword=ok" },
    { "https://api.openai.com/v1/models", "https://api.openai.com/v1/models" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(NatterRequest) request = natter_request_new ("GET", cases[i].url);
      g_autofree char *redacted = natter_request_dup_redacted_url (request);

      g_assert_cmpstr (redacted, ==, cases[i].expected);
      /* The request itself keeps the real URL. */
      g_assert_cmpstr (natter_request_get_url (request), ==, cases[i].url);
    }
}

static void
test_redact_secret (void)
{
  g_autofree char *a = natter_redact_secret ("Incorrect API key provided: sk-abcdef. sk-abcdef!", "sk-abcdef");
  g_autofree char *b = natter_redact_secret ("nothing here", "sk-abcdef");
  g_autofree char *c = natter_redact_secret ("a b c", "a");
  g_autofree char *d = natter_redact_secret ("text", NULL);

  g_assert_cmpstr (a, ==, "Incorrect API key provided: REDACTED. REDACTED!");
  g_assert_cmpstr (b, ==, "nothing here");
  g_assert_cmpstr (c, ==, "a b c");   /* too short to be a key */
  g_assert_cmpstr (d, ==, "text");
  g_assert_null (natter_redact_secret (NULL, "sk-abcdef"));
}

static void
test_refcount (void)
{
  NatterRequest *request = natter_request_new ("GET", "https://x");
  NatterRequest *other = natter_request_ref (request);

  g_assert_true (request == other);
  natter_request_unref (request);
  g_assert_cmpstr (natter_request_get_url (other), ==, "https://x");
  natter_request_unref (other);
  g_assert_true (G_TYPE_IS_BOXED (NATTER_TYPE_REQUEST));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/request/basics", test_basics);
  g_test_add_func ("/natter/request/frozen-is-immutable", test_frozen_is_immutable);
  g_test_add_func ("/natter/request/redacted-headers", test_redacted_headers);
  g_test_add_func ("/natter/request/redacted-url", test_redacted_url);
  g_test_add_func ("/natter/request/redact-secret", test_redact_secret);
  g_test_add_func ("/natter/request/refcount", test_refcount);

  return g_test_run ();
}
