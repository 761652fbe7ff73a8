/* test-sigv4.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AWS Signature Version 4 against AWS's published test suite
 * (tests/fixtures/aws-sigv4, see its README): each step, the canonical
 * request, the string to sign and the signature, is compared with the
 * suite's expected file, byte for byte.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-sigv4.h"

static const char * const cases[] = {
  "get-vanilla",
  "get-vanilla-query-order-key-case",
  "get-vanilla-query-unreserved",
  "get-vanilla-utf8-query",
  "get-vanilla-with-session-token",
  "get-header-value-trim",
  "get-header-key-duplicate",
  "get-header-value-order",
  "get-unreserved",
  "get-utf8",
  "get-space-normalized",
  "get-slashes-normalized",
  "get-slash-dot-slash-normalized",
  "get-relative-relative-normalized",
  "post-vanilla",
  "post-vanilla-query",
  "post-header-key-case",
  "post-header-value-case",
  "post-x-www-form-urlencoded",
};

static char *
read_fixture (const char *name,
              const char *file)
{
  g_autofree char *path = g_build_filename (g_getenv ("NATTER_FIXTURES_DIR"), "aws-sigv4",
                                            name, file, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

typedef struct
{
  char      *method;
  char      *path;
  char      *query;
  GPtrArray *headers;   /* name, value, …, NULL */
  char      *body;
} SuiteRequest;

static void
suite_request_clear (SuiteRequest *r)
{
  g_free (r->method);
  g_free (r->path);
  g_free (r->query);
  g_ptr_array_unref (r->headers);
  g_free (r->body);
}

/* "METHOD TARGET HTTP/1.1", "Name:value" lines, a blank line, the body.
 * The target may hold spaces (get-space): it ends at the last " HTTP/". */
static void
parse_request (const char   *text,
               SuiteRequest *r)
{
  const char *line_end = strchr (text, '\n');
  g_autofree char *first = g_strndup (text, line_end - text);
  const char *space = strchr (first, ' ');
  const char *version = g_strrstr (first, " HTTP/");
  g_autofree char *target = g_strndup (space + 1, version - space - 1);
  const char *q = strchr (target, '?');
  const char *p = line_end + 1;

  r->method = g_strndup (first, space - first);
  r->path = q != NULL ? g_strndup (target, q - target) : g_strdup (target);
  r->query = q != NULL ? g_strdup (q + 1) : NULL;
  r->headers = g_ptr_array_new_with_free_func (g_free);

  while (*p != '\0' && *p != '\n')
    {
      const char *end = strchr (p, '\n');
      g_autofree char *line = end != NULL ? g_strndup (p, end - p) : g_strdup (p);
      const char *colon = strchr (line, ':');

      g_assert_nonnull (colon);
      g_ptr_array_add (r->headers, g_strndup (line, colon - line));
      g_ptr_array_add (r->headers, g_strdup (colon + 1));
      if (end == NULL)
        {
          p += strlen (p);
          break;
        }
      p = end + 1;
    }
  r->body = g_strdup (*p == '\n' ? p + 1 : "");
}

static void
test_suite_case (gconstpointer data)
{
  const char *name = data;
  g_autofree char *request_text = read_fixture (name, "request.txt");
  g_autofree char *context_text = read_fixture (name, "context.json");
  g_autofree char *expected_canonical = read_fixture (name, "header-canonical-request.txt");
  g_autofree char *expected_sts = read_fixture (name, "header-string-to-sign.txt");
  g_autofree char *expected_signature = read_fixture (name, "header-signature.txt");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *amz_date = NULL;
  g_autofree char *date = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *payload_hash = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *sts = NULL;
  g_autofree char *signature = NULL;
  SuiteRequest r = { 0 };
  JsonObject *context, *credentials;
  const char *region, *service, *token;

  g_assert_true (json_parser_load_from_data (parser, context_text, -1, NULL));
  context = json_node_get_object (json_parser_get_root (parser));
  credentials = json_object_get_object_member (context, "credentials");
  region = json_object_get_string_member (context, "region");
  service = json_object_get_string_member (context, "service");
  token = json_object_get_string_member_with_default (credentials, "token", NULL);
  when = g_date_time_new_from_iso8601 (json_object_get_string_member (context, "timestamp"), NULL);
  g_assert_nonnull (when);
  amz_date = g_date_time_format (when, "%Y%m%dT%H%M%SZ");
  date = g_date_time_format (when, "%Y%m%d");
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", date, region, service);

  parse_request (request_text, &r);
  payload_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, r.body, -1);

  /* What a signer adds before signing. */
  g_ptr_array_add (r.headers, g_strdup ("X-Amz-Date"));
  g_ptr_array_add (r.headers, g_strdup (amz_date));
  if (token != NULL)
    {
      g_ptr_array_add (r.headers, g_strdup ("X-Amz-Security-Token"));
      g_ptr_array_add (r.headers, g_strdup (token));
    }
  if (json_object_get_boolean_member_with_default (context, "sign_body", FALSE))
    {
      g_ptr_array_add (r.headers, g_strdup ("x-amz-content-sha256"));
      g_ptr_array_add (r.headers, g_strdup (payload_hash));
    }
  g_ptr_array_add (r.headers, NULL);

  canonical = natter_sigv4_canonical_request (r.method, r.path, r.query,
                                              (const char * const *) r.headers->pdata,
                                              payload_hash, &signed_headers);
  g_assert_cmpstr (canonical, ==, expected_canonical);

  sts = natter_sigv4_string_to_sign (amz_date, scope, canonical);
  g_assert_cmpstr (sts, ==, expected_sts);

  signature = natter_sigv4_signature (json_object_get_string_member (credentials, "secret_access_key"),
                                      date, region, service, sts);
  g_assert_cmpstr (signature, ==, g_strstrip (expected_signature));

  suite_request_clear (&r);
}

/* The whole signer on a request value, checked against the suite's
 * Authorization header for the same request. */
static void
test_sign_request_session_token (void)
{
  g_autoptr(NatterRequest) request = natter_request_new ("GET", "https://example.amazonaws.com/");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
  g_autoptr(GError) error = NULL;
  NatterSigV4Credentials credentials = {
    "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
    "us-east-1", "service",
  };

  g_assert_true (natter_sigv4_sign_request (request, &credentials, when, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (natter_request_get_header (request, "X-Amz-Date"), ==, "20150830T123600Z");
  g_assert_cmpstr (natter_request_get_header (request, "X-Amz-Security-Token"), ==,
                   credentials.session_token);
  g_assert_cmpstr (natter_request_get_header (request, "Authorization"), ==,
                   "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                   "SignedHeaders=host;x-amz-date;x-amz-security-token, "
                   "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");

  /* Both secrets are marked for redaction. */
  for (guint i = 0; i < natter_request_get_n_headers (request); i++)
    {
      const char *name = natter_request_get_header_name (request, i);

      if (g_ascii_strcasecmp (name, "Authorization") == 0 ||
          g_ascii_strcasecmp (name, "X-Amz-Security-Token") == 0)
        g_assert_true (natter_request_header_is_secret (request, i));
    }
  {
    g_autofree char *json = natter_request_dup_redacted_headers_json (request);

    g_assert_null (strstr (json, "07ec1639"));
    g_assert_null (strstr (json, credentials.session_token));
    g_assert_nonnull (strstr (json, "REDACTED"));
  }
}

/* The suite's post-x-www-form-urlencoded as AWS first published it (no
 * Content-Length signed): content-type;host;x-amz-date. */
static void
test_sign_request_form_body (void)
{
  g_autoptr(NatterRequest) request = natter_request_new ("POST", "https://example.amazonaws.com/");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
  g_autoptr(GError) error = NULL;
  NatterSigV4Credentials credentials = {
    "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", NULL, "us-east-1", "service",
  };

  natter_request_set_body_string (request, "application/x-www-form-urlencoded", "Param1=value1");
  g_assert_true (natter_sigv4_sign_request (request, &credentials, when, &error));
  g_assert_no_error (error);
  g_assert_null (natter_request_get_header (request, "X-Amz-Security-Token"));
  g_assert_cmpstr (natter_request_get_header (request, "Authorization"), ==,
                   "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                   "SignedHeaders=content-type;host;x-amz-date, "
                   "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

/* A Bedrock model id with ':' is encoded once in the URL and once more in
 * the canonical URI; a port that is not the default is part of Host. */
static void
test_bedrock_path_and_port (void)
{
  g_autofree char *uri = natter_sigv4_canonical_uri ("/model/anthropic.claude-v2%3A1/converse-stream");
  g_autoptr(NatterRequest) request = natter_request_new ("POST", "http://127.0.0.1:8123/model/a%3A0/converse");
  g_autoptr(NatterRequest) other = natter_request_new ("POST", "http://127.0.0.1:8124/model/a%3A0/converse");
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 1, 2, 3, 4, 5);
  NatterSigV4Credentials credentials = { "AKID", "secret", NULL, "eu-west-1", "bedrock" };

  g_assert_cmpstr (uri, ==, "/model/anthropic.claude-v2%253A1/converse-stream");

  natter_request_set_body_string (request, NULL, "{}");
  natter_request_set_body_string (other, NULL, "{}");
  g_assert_true (natter_sigv4_sign_request (request, &credentials, when, NULL));
  g_assert_true (natter_sigv4_sign_request (other, &credentials, when, NULL));
  g_assert_true (g_str_has_prefix (natter_request_get_header (request, "Authorization"),
                                   "AWS4-HMAC-SHA256 Credential=AKID/20260102/eu-west-1/bedrock/aws4_request, "
                                   "SignedHeaders=content-type;host;x-amz-date, Signature="));
  /* Only the port differs, and the signature with it. */
  g_assert_cmpstr (natter_request_get_header (request, "Authorization"), !=,
                   natter_request_get_header (other, "Authorization"));
}

static void
test_missing_credentials (void)
{
  g_autoptr(NatterRequest) request = natter_request_new ("GET", "https://example.amazonaws.com/");
  g_autoptr(GError) error = NULL;
  NatterSigV4Credentials credentials = { "AKID", "", NULL, "us-east-1", "bedrock" };

  g_assert_false (natter_sigv4_sign_request (request, &credentials, NULL, &error));
  g_assert_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_null (natter_request_get_header (request, "Authorization"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/natter/sigv4/suite/%s", cases[i]);

      g_test_add_data_func (path, cases[i], test_suite_case);
    }
  g_test_add_func ("/natter/sigv4/sign-request-session-token", test_sign_request_session_token);
  g_test_add_func ("/natter/sigv4/sign-request-form-body", test_sign_request_form_body);
  g_test_add_func ("/natter/sigv4/bedrock-path-and-port", test_bedrock_path_and_port);
  g_test_add_func ("/natter/sigv4/missing-credentials", test_missing_credentials);

  return g_test_run ();
}
