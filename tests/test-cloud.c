/* test-cloud.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Google Vertex AI, Azure OpenAI and Amazon Bedrock over loopback fakes
 * that check what the real services check: a token endpoint that verifies
 * the JWT's RS256 signature with the public half of a key made here, an
 * Azure deployment that wants its api-key and api-version, a Bedrock
 * runtime that recomputes the SigV4 signature and answers with a binary
 * event stream sent one byte at a time.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-auth.h"
#include "natter-client.h"
#include "natter-cloud.h"
#include "natter-database.h"
#include "natter-fake-provider.h"
#include "natter-profile.h"
#include "natter-request-log.h"
#include "natter-service-account.h"
#include "natter-test-cloud.h"
#include "natter-test-util.h"

#define AZURE_KEY      "azure-key-SECRET-5f3a9c"
#define AWS_KEY_ID     "AKIDNATTERTEST"
#define AWS_SECRET     "aws-secret-SECRET-wJalrXUtnFEMI"
#define AWS_TOKEN      "aws-session-SECRET-token-6e86291e"
#define BEDROCK_BEARER "ABSK-bedrock-SECRET-api-key"
#define PROJECT        "natter-test-project"
#define EMAIL          "natter@natter-test-project.iam.gserviceaccount.com"

/* One key pair per run: generating RSA keys is the slow part. */
static char *private_pem;
static char *public_pem;
static char *other_public_pem;

typedef struct
{
  char               *tmpdir;
  NatterDatabase     *database;
  NatterRequestLog   *log;
  NatterClient       *client;
  NatterFakeProvider *fake;
  char               *sa_path;
  char               *sa_json;

  /* What the fakes saw. */
  guint               token_requests;
  guint               jwt_verified;
  char               *jwt_failure;
  const char         *verify_with;     /* public key the token endpoint trusts */
  guint               signed_ok;
  char               *sigv4_failure;
  const char         *aws_secret;      /* the secret the Bedrock fake knows */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *token_uri = NULL;
  g_autoptr(GError) error = NULL;

  f->tmpdir = natter_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "natter.db", NULL);
  f->database = natter_database_open (path, &error);
  g_assert_no_error (error);
  f->log = natter_request_log_new (f->database, &error);
  g_assert_no_error (error);
  f->client = natter_client_new (f->database, NULL, f->log);
  f->fake = natter_fake_provider_new ();
  f->verify_with = public_pem;
  f->aws_secret = AWS_SECRET;

  token_uri = g_strconcat (natter_fake_provider_get_url (f->fake), "/token", NULL);
  f->sa_json = natter_test_service_account_json (private_pem, PROJECT, EMAIL, token_uri);
  f->sa_path = g_build_filename (f->tmpdir, "service-account.json", NULL);
  g_assert_true (g_file_set_contents (f->sa_path, f->sa_json, -1, NULL));

  /* The keys come from the environment here (no keyring in this test;
   * test-keyring.sh covers stored ones). */
  g_setenv ("GOOGLE_APPLICATION_CREDENTIALS", f->sa_path, TRUE);
  g_setenv ("AZURE_OPENAI_API_KEY", AZURE_KEY, TRUE);
  g_setenv ("AWS_ACCESS_KEY_ID", AWS_KEY_ID, TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", AWS_SECRET, TRUE);
  g_setenv ("AWS_SESSION_TOKEN", AWS_TOKEN, TRUE);
  g_unsetenv ("AWS_BEARER_TOKEN_BEDROCK");
  g_unsetenv ("AWS_REGION");
  g_unsetenv ("AWS_DEFAULT_REGION");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->fake, natter_fake_provider_free);
  g_clear_object (&f->client);
  g_clear_object (&f->log);
  g_clear_object (&f->database);
  g_free (f->jwt_failure);
  g_free (f->sigv4_failure);
  g_free (f->sa_json);
  g_free (f->sa_path);
  natter_test_tmpdir_free (f->tmpdir);
}

static NatterProfile *
make_profile (Fixture    *f,
              const char *provider_id,
              const char *model,
              const char *settings)
{
  NatterProfile *profile = natter_profile_new ("Cloud", provider_id);

  natter_profile_set_base_url (profile, natter_fake_provider_get_url (f->fake));
  natter_profile_set_model (profile, model);
  if (settings != NULL)
    natter_profile_set_settings (profile, settings);
  return profile;
}

/* ------------------------------------------------------------ chat helper */

typedef struct
{
  gboolean          done;
  NatterChatResult *result;
  GError           *error;
  GString          *text;
  GString          *reasoning;
} ChatRun;

static void
on_delta (const NatterDelta *delta,
          gpointer           user_data)
{
  ChatRun *run = user_data;

  if (delta->kind == NATTER_DELTA_TEXT)
    g_string_append_len (run->text, delta->text, delta->len);
  else if (delta->kind == NATTER_DELTA_REASONING)
    g_string_append_len (run->reasoning, delta->text, delta->len);
}

static void
chat_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ChatRun *run = user_data;

  run->result = natter_client_chat_finish (NATTER_CLIENT (object), result, NULL, &run->error);
  run->done = TRUE;
}

static void
chat_start (Fixture       *f,
            NatterProfile *profile,
            ChatRun       *run)
{
  NatterPrompt *prompt = natter_prompt_new ();
  NatterGenParams params;

  memset (run, 0, sizeof *run);
  run->text = g_string_new (NULL);
  run->reasoning = g_string_new (NULL);
  natter_gen_params_init (&params);
  params.max_tokens = 64;
  natter_prompt_add (prompt, NATTER_ROLE_SYSTEM, "Be brief.");
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Hello");
  natter_client_chat_async (f->client, profile, prompt, &params, on_delta, run, NULL, chat_cb, run);
  natter_prompt_free (prompt);
  natter_gen_params_clear (&params);
}

static void
chat_run (Fixture       *f,
          NatterProfile *profile,
          ChatRun       *run)
{
  chat_start (f, profile, run);
  g_assert_true (natter_test_wait_for (&run->done, 20000));
}

static void
chat_run_clear (ChatRun *run)
{
  g_clear_pointer (&run->result, natter_chat_result_free);
  g_clear_error (&run->error);
  g_string_free (run->text, TRUE);
  g_string_free (run->reasoning, TRUE);
}

typedef struct
{
  gboolean   done;
  GPtrArray *models;
  GError    *error;
} ModelsRun;

static void
models_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ModelsRun *run = user_data;

  run->models = natter_client_list_models_finish (NATTER_CLIENT (object), result, &run->error);
  run->done = TRUE;
}

static gboolean
has_model (GPtrArray  *models,
           const char *id)
{
  for (guint i = 0; models != NULL && i < models->len; i++)
    if (g_str_equal (((NatterModelInfo *) g_ptr_array_index (models, i))->id, id))
      return TRUE;
  return FALSE;
}

static const NatterFakeRequest *
find_request (Fixture    *f,
              const char *path_prefix,
              guint       nth)
{
  for (guint i = 0; i < natter_fake_provider_get_n_requests (f->fake); i++)
    {
      const NatterFakeRequest *request = natter_fake_provider_get_request (f->fake, i);

      if (g_str_has_prefix (request->path, path_prefix) && nth-- == 0)
        return request;
    }
  return NULL;
}

/* The log never holds a secret. */
static void
assert_log_clean (Fixture *f)
{
  NatterLogEntry *entry = natter_request_log_get_last (f->log);
  const char *secrets[] = { AZURE_KEY, AWS_SECRET, AWS_TOKEN, BEDROCK_BEARER, "ya29.", "PRIVATE KEY" };
  g_autofree char *all = NULL;

  g_assert_nonnull (entry);
  all = g_strconcat (natter_log_entry_get_url (entry), "\n",
                     natter_log_entry_get_request_headers (entry), "\n",
                     natter_log_entry_get_request_body (entry) ? natter_log_entry_get_request_body (entry) : "",
                     NULL);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    g_assert_null (strstr (all, secrets[i]));
}

/* -------------------------------------------------------------- Vertex */

static gboolean
form_value (const char  *body,
            const char  *name,
            char       **value)
{
  g_autoptr(GHashTable) params = g_uri_parse_params (body, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  const char *v = params != NULL ? g_hash_table_lookup (params, name) : NULL;

  *value = g_strdup (v);
  return v != NULL;
}

/* The token endpoint: a JWT bearer grant whose RS256 signature verifies
 * with the key it trusts and whose claims are Google's, else Google's
 * invalid_grant answer. */
static void
on_request (NatterFakeProvider      *fake,
            const NatterFakeRequest *request,
            gpointer                 user_data)
{
  Fixture *f = user_data;

  if (g_str_equal (request->path, "/token"))
    {
      g_autofree char *grant = NULL;
      g_autofree char *assertion = NULL;
      g_autofree char *claims_text = NULL;
      g_autofree char *why = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();

      f->token_requests++;
      if (!form_value (request->body, "grant_type", &grant) ||
          g_strcmp0 (grant, "urn:ietf:params:oauth:grant-type:jwt-bearer") != 0 ||
          !form_value (request->body, "assertion", &assertion))
        why = g_strdup ("not a JWT bearer grant");
      else if ((claims_text = natter_test_verify_jwt (assertion, f->verify_with, &why)) != NULL)
        {
          JsonObject *claims;
          g_autofree char *aud = g_strconcat (natter_fake_provider_get_url (f->fake), "/token", NULL);
          gint64 now = g_get_real_time () / G_USEC_PER_SEC;

          g_assert_true (json_parser_load_from_data (parser, claims_text, -1, NULL));
          claims = json_node_get_object (json_parser_get_root (parser));
          if (g_strcmp0 (json_object_get_string_member_with_default (claims, "iss", ""), EMAIL) != 0 ||
              g_strcmp0 (json_object_get_string_member_with_default (claims, "aud", ""), aud) != 0 ||
              g_strcmp0 (json_object_get_string_member_with_default (claims, "scope", ""),
                         "https://www.googleapis.com/auth/cloud-platform") != 0 ||
              json_object_get_int_member_with_default (claims, "exp", 0) -
              json_object_get_int_member_with_default (claims, "iat", 0) != 3600 ||
              ABS (json_object_get_int_member_with_default (claims, "iat", 0) - now) > 60)
            why = g_strdup_printf ("wrong claims %s", claims_text);
          else
            f->jwt_verified++;
        }
      if (why != NULL)
        {
          g_free (f->jwt_failure);
          f->jwt_failure = g_steal_pointer (&why);
          natter_fake_provider_clear_routes (fake);
          natter_fake_provider_add_route (fake, "POST", "/token",
            natter_fake_response_new_body (400, "application/json",
                                           "{\"error\":\"invalid_grant\","
                                           "\"error_description\":\"Invalid JWT Signature.\"}"));
        }
      return;
    }

  if (g_str_has_prefix (request->path, "/model/") || g_str_has_prefix (request->path, "/foundation-models"))
    {
      g_autofree char *why = NULL;
      /* libsoup hands the server the decoded path; on the wire every
       * reserved character of a segment was %-encoded (the model id's
       * ':'), and that is what AWS signs over. */
      g_autofree char *wire_path = g_uri_escape_string (request->path, "/-._~", FALSE);

      if (natter_test_verify_sigv4 (request->method, wire_path, request->query, request->headers,
                                    request->body, request->body_len, AWS_KEY_ID, f->aws_secret, &why))
        f->signed_ok++;
      else
        {
          g_free (f->sigv4_failure);
          f->sigv4_failure = g_steal_pointer (&why);
          natter_fake_provider_clear_routes (fake);
          natter_fake_provider_add_route (fake, NULL, "/*",
            natter_fake_response_new_body (403, "application/json",
                                           "{\"message\":\"The request signature we calculated does not "
                                           "match the signature you provided.\"}"));
        }
    }
}

static void
add_token_route (Fixture    *f,
                 const char *token,
                 int         expires_in)
{
  g_autofree char *body = g_strdup_printf ("{\"access_token\":\"%s\",\"expires_in\":%d,"
                                           "\"token_type\":\"Bearer\"}", token, expires_in);

  natter_fake_provider_add_route (f->fake, "POST", "/token",
                                  natter_fake_response_new_body (200, "application/json", body));
}

#define GEMINI_PATH "/v1/projects/" PROJECT "/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent"

static void
add_gemini_stream (Fixture *f)
{
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");

  natter_fake_response_add_chunk (response,
    "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hello from \"}]}}]}\r\n\r\n", -1, 0);
  natter_fake_response_add_chunk (response,
    "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Vertex\"}]},"
    "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":4,\"candidatesTokenCount\":3}}\r\n\r\n", -1, 0);
  natter_fake_provider_add_route (f->fake, "POST", GEMINI_PATH, response);
}

/* Three chats, one token exchange; the JWT verified with the key's public
 * half; the stream at the derived URL with the token as Bearer. */
static void
test_vertex_stream_and_cache (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "vertex", "gemini-2.5-flash", NULL);
  ChatRun run;

  natter_fake_provider_set_request_func (f->fake, on_request, f);
  add_token_route (f, "ya29.vertex-token-1", 3600);
  add_gemini_stream (f);

  for (guint i = 0; i < 3; i++)
    {
      const NatterFakeRequest *request;

      chat_run (f, profile, &run);
      g_assert_no_error (run.error);
      g_assert_cmpstr (run.result->text, ==, "Hello from Vertex");
      g_assert_cmpint (run.result->output_tokens, ==, 3);
      chat_run_clear (&run);

      request = find_request (f, "/v1/projects/", i);
      g_assert_nonnull (request);
      g_assert_cmpstr (request->query, ==, "alt=sse");
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                       "Bearer ya29.vertex-token-1");
      g_assert_nonnull (strstr (request->body, "\"contents\""));
      assert_log_clean (f);
    }
  g_assert_null (f->jwt_failure);
  g_assert_cmpuint (f->token_requests, ==, 1);
  g_assert_cmpuint (f->jwt_verified, ==, 1);
}

/* Three chats at once still make one exchange. */
static void
test_vertex_concurrent_share_exchange (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "vertex", "gemini-2.5-flash", NULL);
  ChatRun runs[3];

  natter_fake_provider_set_request_func (f->fake, on_request, f);
  add_token_route (f, "ya29.vertex-token-1", 3600);
  add_gemini_stream (f);

  for (guint i = 0; i < 3; i++)
    chat_start (f, profile, &runs[i]);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (natter_test_wait_for (&runs[i].done, 20000));
      g_assert_no_error (runs[i].error);
      g_assert_cmpstr (runs[i].result->text, ==, "Hello from Vertex");
      chat_run_clear (&runs[i]);
    }
  g_assert_cmpuint (f->token_requests, ==, 1);
}

/* A token that expires within the minute is refreshed before the next
 * chat, and the new one is used. */
static void
test_vertex_refresh (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "vertex", "gemini-2.5-flash", NULL);
  ChatRun run;

  natter_fake_provider_set_request_func (f->fake, on_request, f);
  add_token_route (f, "ya29.short-lived-1", 60);
  add_token_route (f, "ya29.fresh-2", 3600);
  add_gemini_stream (f);

  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  chat_run_clear (&run);
  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  chat_run_clear (&run);
  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  chat_run_clear (&run);

  g_assert_cmpuint (f->token_requests, ==, 2);
  g_assert_cmpuint (f->jwt_verified, ==, 2);
  g_assert_cmpstr (soup_message_headers_get_one (find_request (f, "/v1/projects/", 0)->headers,
                                                 "Authorization"), ==, "Bearer ya29.short-lived-1");
  g_assert_cmpstr (soup_message_headers_get_one (find_request (f, "/v1/projects/", 1)->headers,
                                                 "Authorization"), ==, "Bearer ya29.fresh-2");
  g_assert_cmpstr (soup_message_headers_get_one (find_request (f, "/v1/projects/", 2)->headers,
                                                 "Authorization"), ==, "Bearer ya29.fresh-2");
}

/* The endpoint trusts another key: Google's refusal, as an auth error with
 * its message; the model is never called. */
static void
test_vertex_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "vertex", "gemini-2.5-flash", NULL);
  ChatRun run;

  f->verify_with = other_public_pem;
  natter_fake_provider_set_request_func (f->fake, on_request, f);
  add_token_route (f, "ya29.never", 3600);
  add_gemini_stream (f);

  chat_run (f, profile, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_nonnull (strstr (run.error->message, "Invalid JWT Signature."));
  g_assert_nonnull (strstr (run.error->message, "invalid_grant"));
  g_assert_null (strstr (run.error->message, "PRIVATE"));
  chat_run_clear (&run);
  g_assert_nonnull (f->jwt_failure);
  g_assert_nonnull (strstr (f->jwt_failure, "signature"));
  g_assert_null (find_request (f, "/v1/projects/", 0));

  /* A refusal is not cached: the next chat tries again. */
  chat_run (f, profile, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
  chat_run_clear (&run);
  g_assert_cmpuint (f->token_requests, ==, 2);
}

/* Claude on Vertex: publishers/anthropic, :streamRawPredict, the Vertex
 * anthropic_version in the body and no model, the Anthropic stream. */
static void
test_vertex_claude (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "vertex", "claude-sonnet-4-5@20250929",
                                                   "{\"region\":\"us-east5\"}");
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  g_autoptr(JsonParser) parser = json_parser_new ();
  const NatterFakeRequest *request;
  JsonObject *body;
  ChatRun run;

  natter_fake_provider_set_request_func (f->fake, on_request, f);
  add_token_route (f, "ya29.claude", 3600);
  natter_fake_response_add_chunk (response,
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":9}}}\n\n"
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Claude here\"}}\n\n"
    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2}}\n\n"
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", -1, 0);
  natter_fake_provider_add_route (f->fake, "POST",
    "/v1/projects/" PROJECT "/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict",
    response);

  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Claude here");
  g_assert_cmpstr (run.result->finish_reason, ==, "end_turn");
  chat_run_clear (&run);

  request = find_request (f, "/v1/projects/", 0);
  g_assert_true (json_parser_load_from_data (parser, request->body, -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (body, "anthropic_version"), ==, "vertex-2023-10-16");
  g_assert_false (json_object_has_member (body, "model"));
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_null (soup_message_headers_get_one (request->headers, "anthropic-version"));
}

/* Without a URL override the address is derived from region and project;
 * "global" has no region in the host. */
static void
test_vertex_urls (Fixture       *f,
                  gconstpointer  data)
{
  const char *cases[][2] = {
    { "{\"project\":\"p1\",\"region\":\"europe-west4\"}",
      "https://europe-west4-aiplatform.googleapis.com/v1/projects/p1/locations/europe-west4/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse" },
    { "{\"project\":\"p1\",\"region\":\"global\"}",
      "https://aiplatform.googleapis.com/v1/projects/p1/locations/global/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(NatterProfile) profile = natter_profile_new ("V", "vertex");
      NatterPrompt *prompt = natter_prompt_new ();
      g_autoptr(NatterRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *headers = NULL;

      natter_profile_set_model (profile, "gemini-2.5-pro");
      natter_profile_set_settings (profile, cases[i][0]);
      natter_prompt_add (prompt, NATTER_ROLE_USER, "Hi");
      request = natter_client_build_request (f->client, profile, prompt, NULL, FALSE, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (natter_request_get_url (request), ==, cases[i][1]);
      headers = natter_request_dup_redacted_headers_json (request);
      g_assert_nonnull (strstr (headers, "Bearer REDACTED"));
      natter_prompt_free (prompt);
    }
}

/* Google's publisher models where the list answers, else the built-in
 * list; the custom list merged in both cases. */
static void
test_vertex_models (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "vertex", "gemini-2.5-flash", NULL);
  const char * const custom[] = { "my-tuned-model", NULL };
  ModelsRun run = { 0 };

  natter_profile_set_custom_models (profile, custom);
  natter_fake_provider_set_request_func (f->fake, on_request, f);
  add_token_route (f, "ya29.models", 3600);
  natter_fake_provider_add_route (f->fake, "GET", "/v1beta1/publishers/google/models",
    natter_fake_response_new_body (200, "application/json",
      "{\"publisherModels\":[{\"name\":\"publishers/google/models/gemini-2.0-flash-001\"},"
      "{\"name\":\"publishers/google/models/imagen-3.0\"},"
      "{\"name\":\"publishers/google/models/gemini-9-ultra\"}]}"));

  natter_client_list_models_async (f->client, profile, NULL, models_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 20000));
  g_assert_no_error (run.error);
  g_assert_true (has_model (run.models, "gemini-9-ultra"));
  g_assert_true (has_model (run.models, "gemini-2.0-flash-001"));
  g_assert_false (has_model (run.models, "imagen-3.0"));
  g_assert_true (has_model (run.models, "my-tuned-model"));
  g_assert_cmpstr (soup_message_headers_get_one (find_request (f, "/v1beta1/", 0)->headers,
                                                 "x-goog-user-project"), ==, PROJECT);
  g_clear_pointer (&run.models, g_ptr_array_unref);

  /* The list refuses (403): the catalog's list stands in. */
  natter_fake_provider_clear_routes (f->fake);
  natter_fake_provider_add_route (f->fake, "GET", "/v1beta1/publishers/google/models",
    natter_fake_response_new_body (403, "application/json",
      "{\"error\":{\"code\":403,\"message\":\"Permission denied\",\"status\":\"PERMISSION_DENIED\"}}"));
  run.done = FALSE;
  natter_client_list_models_async (f->client, profile, NULL, models_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 20000));
  g_assert_no_error (run.error);
  g_assert_true (has_model (run.models, "gemini-2.5-pro"));
  g_assert_true (has_model (run.models, "my-tuned-model"));
  g_assert_false (has_model (run.models, "gemini-9-ultra"));
  g_clear_pointer (&run.models, g_ptr_array_unref);
  g_assert_cmpuint (f->token_requests, ==, 1);
}

static void
test_service_account_validation (void)
{
  const char *token_uri = "https://oauth2.googleapis.com/token";
  g_autofree char *good = natter_test_service_account_json (private_pem, PROJECT, EMAIL, token_uri);
  g_autoptr(NatterServiceAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  struct { const char *json; int code; const char *words; } bad[] = {
    { "not json {", NATTER_SERVICE_ACCOUNT_ERROR_MALFORMED, "not a JSON object" },
    { "{\"type\":\"authorized_user\",\"client_id\":\"x\"}", NATTER_SERVICE_ACCOUNT_ERROR_NOT_SERVICE, "authorized_user" },
    { "{\"type\":\"service_account\",\"project_id\":\"p\",\"client_email\":\"e\",\"token_uri\":\"https://t\"}",
      NATTER_SERVICE_ACCOUNT_ERROR_MISSING_FIELD, "private_key" },
    { "{\"type\":\"service_account\",\"project_id\":\"p\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\","
      "\"client_email\":\"e\",\"token_uri\":\"https://t\"}", NATTER_SERVICE_ACCOUNT_ERROR_BAD_KEY, "PEM private key" },
  };

  account = natter_service_account_parse (good, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_service_account_get_client_email (account), ==, EMAIL);
  g_assert_cmpstr (natter_service_account_get_project_id (account), ==, PROJECT);
  g_assert_cmpstr (natter_service_account_get_token_uri (account), ==, token_uri);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (natter_service_account_parse (bad[i].json, -1, &error));
      g_assert_error (error, NATTER_SERVICE_ACCOUNT_ERROR, bad[i].code);
      g_assert_nonnull (strstr (error->message, bad[i].words));
      g_clear_error (&error);
    }

  /* An EC key is a PEM key, but not RSA. */
  {
    static const char ec_pem[] =
      "-----BEGIN PRIVATE KEY-----\n"
      "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgevZzL1gdAFr88hb2\n"
      "OF/2NxApJCzGCEDdfSp6VQO30hyhRANCAAQRWz+jn65BtOMvdyHKcvjBeBSDZH2r\n"
      "1RTwjmYSi9R/zpBnuQ4EiMnCqfMPWiZqB4QdbAd0E7oH50VpuZ1P087G\n"
      "-----END PRIVATE KEY-----\n";
    g_autoptr(JsonBuilder) builder = json_builder_new ();
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *json = NULL;

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "type");
    json_builder_add_string_value (builder, "service_account");
    json_builder_set_member_name (builder, "project_id");
    json_builder_add_string_value (builder, "p");
    json_builder_set_member_name (builder, "private_key");
    json_builder_add_string_value (builder, ec_pem);
    json_builder_set_member_name (builder, "client_email");
    json_builder_add_string_value (builder, "e");
    json_builder_set_member_name (builder, "token_uri");
    json_builder_add_string_value (builder, token_uri);
    json_builder_end_object (builder);
    root = json_builder_get_root (builder);
    json_generator_set_root (generator, root);
    json = json_generator_to_data (generator, NULL);

    g_assert_null (natter_service_account_parse (json, -1, &error));
    g_assert_error (error, NATTER_SERVICE_ACCOUNT_ERROR, NATTER_SERVICE_ACCOUNT_ERROR_BAD_KEY);
    g_assert_nonnull (strstr (error->message, "not an RSA key"));
  }
}

/* --------------------------------------------------------------- Azure */

static void
on_azure_request (NatterFakeProvider      *fake,
                  const NatterFakeRequest *request,
                  gpointer                 user_data)
{
  Fixture *f = user_data;
  gboolean v1 = g_str_has_prefix (request->path, "/openai/v1/");
  const char *key = soup_message_headers_get_one (request->headers, "api-key");

  if (g_strcmp0 (key, AZURE_KEY) != 0 ||
      (!v1 && g_strcmp0 (request->query, "api-version=2024-10-21") != 0) ||
      (v1 && request->query != NULL) ||
      soup_message_headers_get_one (request->headers, "Authorization") != NULL)
    {
      f->signed_ok = 0;
      natter_fake_provider_clear_routes (fake);
      natter_fake_provider_add_route (fake, NULL, "/*",
        natter_fake_response_new_body (401, "application/json",
          "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid subscription key "
          "or wrong API endpoint.\"}}"));
      return;
    }
  f->signed_ok++;
}

static NatterFakeResponse *
azure_stream (gboolean filtered)
{
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");

  /* Azure's first chunk: the prompt's filter verdict, no choices. */
  natter_fake_response_add_chunk (response,
    "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
    "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":"
    "{\"filtered\":false,\"severity\":\"safe\"}}}]}\n\n", -1, 0);
  natter_fake_response_add_chunk (response,
    "data: {\"choices\":[{\"content_filter_results\":{},\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
    "\"finish_reason\":null,\"index\":0}],\"id\":\"c1\",\"object\":\"chat.completion.chunk\"}\n\n", -1, 0);
  natter_fake_response_add_chunk (response,
    "data: {\"choices\":[{\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}},"
    "\"delta\":{\"content\":\"Azure says hi\"},\"finish_reason\":null,\"index\":0}],\"id\":\"c1\"}\n\n", -1, 0);
  if (filtered)
    natter_fake_response_add_chunk (response,
      "data: {\"choices\":[{\"content_filter_results\":{\"hate\":{\"filtered\":true,\"severity\":\"high\"},"
      "\"violence\":{\"filtered\":false,\"severity\":\"safe\"}},\"delta\":{},"
      "\"finish_reason\":\"content_filter\",\"index\":0}],\"id\":\"c1\"}\n\n", -1, 0);
  else
    natter_fake_response_add_chunk (response,
      "data: {\"choices\":[{\"content_filter_results\":{},\"delta\":{},\"finish_reason\":\"stop\",\"index\":0}],"
      "\"id\":\"c1\",\"usage\":null}\n\n", -1, 0);
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  return response;
}

static void
test_azure_deployment (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "azure-openai", "my-gpt4o",
                                                   "{\"api_version\":\"2024-10-21\"}");
  g_autoptr(JsonParser) parser = json_parser_new ();
  const NatterFakeRequest *request;
  JsonObject *body;
  ChatRun run;

  natter_fake_provider_set_request_func (f->fake, on_azure_request, f);
  natter_fake_provider_add_route (f->fake, "POST", "/openai/deployments/my-gpt4o/chat/completions",
                                  azure_stream (FALSE));

  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Azure says hi");
  g_assert_cmpstr (run.result->finish_reason, ==, "stop");
  chat_run_clear (&run);
  g_assert_cmpuint (f->signed_ok, ==, 1);

  request = find_request (f, "/openai/", 0);
  g_assert_true (json_parser_load_from_data (parser, request->body, -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_has_member (body, "model"));
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  assert_log_clean (f);

  /* A wrong key: Azure's message, category auth. */
  g_setenv ("AZURE_OPENAI_API_KEY", "wrong-key", TRUE);
  chat_run (f, profile, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_nonnull (strstr (run.error->message, "invalid subscription key"));
  chat_run_clear (&run);
}

static void
test_azure_content_filter (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "azure-openai", "my-gpt4o", NULL);
  ChatRun run;

  natter_fake_provider_set_request_func (f->fake, on_azure_request, f);
  natter_fake_provider_add_route (f->fake, "POST", "/openai/deployments/my-gpt4o/chat/completions",
                                  azure_stream (TRUE));

  chat_run (f, profile, &run);
  /* What came before the filter stays; the reply says it was filtered. */
  g_assert_cmpstr (run.text->str, ==, "Azure says hi");
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST);
  g_assert_nonnull (strstr (run.error->message, "content filter"));
  g_assert_nonnull (strstr (run.error->message, "hate"));
  g_assert_null (strstr (run.error->message, "violence"));
  chat_run_clear (&run);
}

static void
test_azure_v1 (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "azure-openai", "my-gpt4o",
                                                   "{\"azure_api\":\"v1\"}");
  g_autoptr(JsonParser) parser = json_parser_new ();
  ChatRun run;
  ModelsRun models = { 0 };

  natter_fake_provider_set_request_func (f->fake, on_azure_request, f);
  natter_fake_provider_add_route (f->fake, "POST", "/openai/v1/chat/completions", azure_stream (FALSE));
  natter_fake_provider_add_route (f->fake, "GET", "/openai/v1/models",
    natter_fake_response_new_body (200, "application/json",
                                   "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\"},{\"id\":\"gpt-4.1\"}]}"));

  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Azure says hi");
  chat_run_clear (&run);
  g_assert_true (json_parser_load_from_data (parser, find_request (f, "/openai/v1/chat", 0)->body, -1, NULL));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "model"), ==, "my-gpt4o");

  natter_client_list_models_async (f->client, profile, NULL, models_cb, &models);
  g_assert_true (natter_test_wait_for (&models.done, 20000));
  g_assert_no_error (models.error);
  g_assert_true (has_model (models.models, "gpt-4.1"));
  g_clear_pointer (&models.models, g_ptr_array_unref);
  g_assert_cmpuint (f->signed_ok, ==, 2);
}

static void
test_azure_parse_url (void)
{
  g_autofree char *endpoint = NULL, *deployment = NULL, *version = NULL;

  g_assert_true (natter_azure_parse_url (
    "  https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2025-01-01-preview ",
    &endpoint, &deployment, &version));
  g_assert_cmpstr (endpoint, ==, "https://contoso.openai.azure.com");
  g_assert_cmpstr (deployment, ==, "gpt-4o-prod");
  g_assert_cmpstr (version, ==, "2025-01-01-preview");
  g_clear_pointer (&endpoint, g_free);
  g_clear_pointer (&deployment, g_free);
  g_clear_pointer (&version, g_free);

  g_assert_true (natter_azure_parse_url ("https://x.services.ai.azure.com/", &endpoint, &deployment, &version));
  g_assert_cmpstr (endpoint, ==, "https://x.services.ai.azure.com");
  g_assert_null (deployment);
  g_assert_null (version);
  g_clear_pointer (&endpoint, g_free);

  g_assert_false (natter_azure_parse_url ("not a url", &endpoint, &deployment, &version));
  g_assert_null (endpoint);
}

/* ------------------------------------------------------------- Bedrock */

static void
add_event (NatterFakeResponse *response,
           const char         *message_type,
           const char         *type,
           const char         *payload,
           gboolean            damage)
{
  g_autoptr(GBytes) message = natter_test_event_stream_message (message_type, type, payload);
  gsize len;
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (message, &len), g_bytes_get_size (message));

  if (damage)
    copy[len - 6] ^= 0x20;   /* a payload byte: the message CRC no longer matches */
  natter_fake_response_add_chunk (response, (const char *) copy, len, 0);
}

static NatterFakeResponse *
bedrock_stream (const char *exception,
                gboolean    damage)
{
  NatterFakeResponse *response = natter_fake_response_new (200, "application/vnd.amazon.eventstream");

  /* Split at every byte boundary on the wire. */
  natter_fake_response_set_byte_at_a_time (response, TRUE);
  add_event (response, "event", "messageStart", "{\"p\":\"abc\",\"role\":\"assistant\"}", FALSE);
  add_event (response, "event", "contentBlockDelta",
             "{\"contentBlockIndex\":0,\"delta\":{\"reasoningContent\":{\"text\":\"Thinking.\"}}}", FALSE);
  add_event (response, "event", "contentBlockDelta",
             "{\"contentBlockIndex\":1,\"delta\":{\"text\":\"Bonjour \"}}", FALSE);
  if (exception != NULL)
    {
      g_autofree char *payload = g_strdup_printf ("{\"message\":\"%s happened\"}", exception);

      add_event (response, "exception", exception, payload, FALSE);
      return response;
    }
  add_event (response, "event", "contentBlockDelta",
             "{\"contentBlockIndex\":1,\"delta\":{\"text\":\"de Bedrock\"}}", damage);
  add_event (response, "event", "contentBlockStop", "{\"contentBlockIndex\":1}", FALSE);
  add_event (response, "event", "messageStop", "{\"stopReason\":\"end_turn\"}", FALSE);
  add_event (response, "event", "metadata",
             "{\"usage\":{\"inputTokens\":11,\"outputTokens\":4,\"totalTokens\":15},\"metrics\":{\"latencyMs\":5}}",
             FALSE);
  return response;
}

#define BEDROCK_MODEL "anthropic.claude-3-5-haiku-20241022-v1:0"
/* As the fake sees it: libsoup decodes the path. */
#define BEDROCK_PATH "/model/anthropic.claude-3-5-haiku-20241022-v1:0/converse-stream"

static void
test_bedrock_stream (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "bedrock", BEDROCK_MODEL, "{\"region\":\"eu-west-3\"}");
  g_autoptr(JsonParser) parser = json_parser_new ();
  const NatterFakeRequest *request;
  JsonObject *body;
  ChatRun run;

  natter_fake_provider_set_request_func (f->fake, on_request, f);
  natter_fake_provider_add_route (f->fake, "POST", BEDROCK_PATH, bedrock_stream (NULL, FALSE));

  chat_run (f, profile, &run);
  if (f->sigv4_failure != NULL)
    g_test_message ("%s", f->sigv4_failure);
  g_assert_null (f->sigv4_failure);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Bonjour de Bedrock");
  g_assert_cmpstr (run.result->reasoning, ==, "Thinking.");
  g_assert_cmpstr (run.result->finish_reason, ==, "end_turn");
  g_assert_cmpint (run.result->input_tokens, ==, 11);
  g_assert_cmpint (run.result->output_tokens, ==, 4);
  chat_run_clear (&run);
  g_assert_cmpuint (f->signed_ok, ==, 1);

  request = find_request (f, "/model/", 0);
  g_assert_nonnull (strstr (soup_message_headers_get_one (request->headers, "Authorization"),
                            "/eu-west-3/bedrock/aws4_request"));
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-Amz-Security-Token"), ==, AWS_TOKEN);
  g_assert_true (json_parser_load_from_data (parser, request->body, -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (body, "system"), 0), "text"), ==, "Be brief.");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body, "inferenceConfig"),
                                               "maxTokens"), ==, 64);
  assert_log_clean (f);

  /* The wrong secret: AWS's refusal, category auth. */
  f->aws_secret = "another-secret";
  chat_run (f, profile, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_nonnull (strstr (run.error->message, "signature we calculated"));
  chat_run_clear (&run);
}

static void
test_bedrock_bad_crc (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "bedrock", BEDROCK_MODEL, NULL);
  ChatRun run;

  natter_fake_provider_set_request_func (f->fake, on_request, f);
  natter_fake_provider_add_route (f->fake, "POST", BEDROCK_PATH, bedrock_stream (NULL, TRUE));

  chat_run (f, profile, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL);
  g_assert_nonnull (strstr (run.error->message, "checksum"));
  /* Everything before the damaged message arrived. */
  g_assert_cmpstr (run.text->str, ==, "Bonjour ");
  chat_run_clear (&run);
}

static void
test_bedrock_exceptions (Fixture       *f,
                         gconstpointer  data)
{
  const struct { const char *type; int category; } cases[] = {
    { "throttlingException", NATTER_ERROR_CATEGORY_RATE_LIMITED },
    { "validationException", NATTER_ERROR_CATEGORY_BAD_REQUEST },
    { "accessDeniedException", NATTER_ERROR_CATEGORY_AUTH },
    { "serviceUnavailableException", NATTER_ERROR_CATEGORY_OVERLOADED },
    { "modelStreamErrorException", NATTER_ERROR_CATEGORY_SERVER },
  };
  g_autoptr(NatterProfile) profile = make_profile (f, "bedrock", BEDROCK_MODEL, NULL);

  natter_fake_provider_set_request_func (f->fake, on_request, f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = g_strdup_printf ("%s happened (%s)", cases[i].type, cases[i].type);
      ChatRun run;

      natter_fake_provider_clear_routes (f->fake);
      natter_fake_provider_add_route (f->fake, "POST", BEDROCK_PATH, bedrock_stream (cases[i].type, FALSE));
      chat_run (f, profile, &run);
      g_assert_error (run.error, NATTER_REQUEST_ERROR, cases[i].category);
      g_assert_cmpstr (run.error->message, ==, message);
      g_assert_cmpstr (run.text->str, ==, "Bonjour ");
      chat_run_clear (&run);
    }
  g_assert_cmpuint (f->signed_ok, ==, G_N_ELEMENTS (cases));
}

/* A Bedrock API key goes as Bearer, nothing signed. */
static void
test_bedrock_api_key (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "bedrock", BEDROCK_MODEL, NULL);
  const NatterFakeRequest *request;
  ChatRun run;

  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_setenv ("AWS_BEARER_TOKEN_BEDROCK", BEDROCK_BEARER, TRUE);
  natter_fake_provider_add_route (f->fake, "POST", BEDROCK_PATH, bedrock_stream (NULL, FALSE));

  chat_run (f, profile, &run);
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, "Bonjour de Bedrock");
  chat_run_clear (&run);
  request = find_request (f, "/model/", 0);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                   "Bearer " BEDROCK_BEARER);
  g_assert_null (soup_message_headers_get_one (request->headers, "X-Amz-Date"));
  assert_log_clean (f);

  /* No credentials anywhere: a clear auth error, nothing sent. */
  g_unsetenv ("AWS_BEARER_TOKEN_BEDROCK");
  chat_run (f, profile, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_nonnull (strstr (run.error->message, "AWS_ACCESS_KEY_ID"));
  chat_run_clear (&run);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), ==, 1);
}

static void
test_bedrock_models (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "bedrock", BEDROCK_MODEL, NULL);
  ModelsRun run = { 0 };

  /* No region in the profile: AWS_REGION. */
  g_setenv ("AWS_REGION", "ap-south-1", TRUE);
  natter_fake_provider_set_request_func (f->fake, on_request, f);
  natter_fake_provider_add_route (f->fake, "GET", "/foundation-models",
    natter_fake_response_new_body (200, "application/json",
      "{\"modelSummaries\":[{\"modelId\":\"amazon.nova-pro-v1:0\",\"modelName\":\"Nova Pro\","
      "\"providerName\":\"Amazon\",\"responseStreamingSupported\":true},"
      "{\"modelId\":\"amazon.titan-embed-text-v2:0\",\"responseStreamingSupported\":false}]}"));

  natter_client_list_models_async (f->client, profile, NULL, models_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 20000));
  g_assert_no_error (run.error);
  g_assert_null (f->sigv4_failure);
  g_assert_true (has_model (run.models, "amazon.nova-pro-v1:0"));
  g_assert_false (has_model (run.models, "amazon.titan-embed-text-v2:0"));
  g_clear_pointer (&run.models, g_ptr_array_unref);
  g_assert_cmpuint (f->signed_ok, ==, 1);
  g_assert_cmpstr (find_request (f, "/foundation-models", 0)->query, ==, "byOutputModality=TEXT");
  g_assert_nonnull (strstr (soup_message_headers_get_one (find_request (f, "/foundation-models", 0)->headers,
                                                          "Authorization"),
                            "/ap-south-1/bedrock/aws4_request"));
  g_unsetenv ("AWS_REGION");
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} TestRun;

static void
test_connection_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  TestRun *run = user_data;

  run->ok = natter_client_test_finish (NATTER_CLIENT (object), result, &run->error);
  run->done = TRUE;
}

/* "Test" on Vertex is a one-token generateContent through a fresh token;
 * on Bedrock the signed model list. */
static void
test_test_connection (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(NatterProfile) vertex = make_profile (f, "vertex", "gemini-2.5-flash", NULL);
  g_autoptr(NatterProfile) bedrock = make_profile (f, "bedrock", BEDROCK_MODEL, NULL);
  TestRun run = { 0 };

  natter_fake_provider_set_request_func (f->fake, on_request, f);
  add_token_route (f, "ya29.test", 3600);
  natter_fake_provider_add_route (f->fake, "POST",
    "/v1/projects/" PROJECT "/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent",
    natter_fake_response_new_body (200, "application/json",
      "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"H\"}]},\"finishReason\":\"MAX_TOKENS\"}]}"));
  natter_fake_provider_add_route (f->fake, "GET", "/foundation-models",
    natter_fake_response_new_body (200, "application/json", "{\"modelSummaries\":[]}"));

  natter_client_test_async (f->client, vertex, NULL, test_connection_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 20000));
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_nonnull (strstr (find_request (f, "/v1/projects/", 0)->body, "\"maxOutputTokens\":1"));
  g_assert_null (find_request (f, "/v1beta1/", 0));

  memset (&run, 0, sizeof run);
  natter_client_test_async (f->client, bedrock, NULL, test_connection_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 20000));
  g_assert_no_error (run.error);
  g_assert_true (run.ok);
  g_assert_cmpuint (f->signed_ok, ==, 1);
}

/* A prompt Azure's filter refuses: HTTP 400 with code content_filter;
 * Azure's own words. */
static void
test_azure_prompt_filtered (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f, "azure-openai", "my-gpt4o", NULL);
  ChatRun run;

  natter_fake_provider_add_route (f->fake, "POST", "/openai/deployments/my-gpt4o/chat/completions",
    natter_fake_response_new_body (400, "application/json",
      "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure OpenAI's "
      "content management policy.\",\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\","
      "\"status\":400,\"innererror\":{\"code\":\"ResponsibleAIPolicyViolation\","
      "\"content_filter_result\":{\"hate\":{\"filtered\":true,\"severity\":\"high\"}}}}}"));

  chat_run (f, profile, &run);
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST);
  g_assert_nonnull (strstr (run.error->message, "content management policy"));
  chat_run_clear (&run);
}

typedef struct
{
  gboolean          done;
  NatterCredential *credential;
  GError           *error;
} PrepareRun;

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PrepareRun *run = user_data;

  run->credential = natter_auth_prepare_finish (NATTER_AUTH (object), result, &run->error);
  run->done = TRUE;
}

/* Which AWS sign-in a stored secret means: with an access key ID a SigV4
 * secret (and the stored session token), without one or with "aws_auth":
 * "api-key" a Bedrock API key. */
static void
test_bedrock_stored_credentials (void)
{
  const struct {
    const char *settings;
    const char *authorization_prefix;
    gboolean    token;
  } cases[] = {
    { "{\"access_key_id\":\"AKIDSTORED\",\"region\":\"eu-north-1\"}",
      "AWS4-HMAC-SHA256 Credential=AKIDSTORED/", TRUE },
    { "{}", "Bearer stored-secret", FALSE },
    { "{\"access_key_id\":\"AKIDSTORED\",\"aws_auth\":\"api-key\"}", "Bearer stored-secret", FALSE },
  };
  g_autoptr(NatterAuth) auth = natter_auth_new ();
  g_autoptr(NatterTransport) transport = natter_transport_new (NULL);
  NatterProvider *bedrock = natter_catalog_lookup (natter_catalog_get_default (), "bedrock");

  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_unsetenv ("AWS_SESSION_TOKEN");
  g_unsetenv ("AWS_REGION");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(NatterRequest) request =
        natter_request_new ("POST", "https://bedrock-runtime.eu-north-1.amazonaws.com/model/m/converse");
      PrepareRun run = { 0 };

      g_assert_true (json_parser_load_from_data (parser, cases[i].settings, -1, NULL));
      natter_auth_prepare_async (auth, bedrock, json_node_get_object (json_parser_get_root (parser)),
                                 "stored-secret", "stored-token", transport, NULL, prepare_cb, &run);
      g_assert_true (natter_test_wait_for (&run.done, 5000));
      g_assert_no_error (run.error);
      natter_request_set_body_string (request, NULL, "{}");
      g_assert_true (natter_credential_apply (run.credential, request, NULL));
      g_assert_true (g_str_has_prefix (natter_request_get_header (request, "Authorization"),
                                       cases[i].authorization_prefix));
      g_assert_cmpstr (natter_request_get_header (request, "X-Amz-Security-Token"), ==,
                       cases[i].token ? "stored-token" : NULL);
      natter_credential_free (run.credential);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  natter_test_rsa_key_pair (&private_pem, &public_pem);
  {
    g_autofree char *unused = NULL;

    natter_test_rsa_key_pair (&unused, &other_public_pem);
  }

#define ADD(path, func) \
  g_test_add ("/natter/cloud/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("vertex/stream-and-cache", test_vertex_stream_and_cache);
  ADD ("vertex/concurrent-share-exchange", test_vertex_concurrent_share_exchange);
  ADD ("vertex/refresh", test_vertex_refresh);
  ADD ("vertex/refused", test_vertex_refused);
  ADD ("vertex/claude", test_vertex_claude);
  ADD ("vertex/urls", test_vertex_urls);
  ADD ("vertex/models", test_vertex_models);
  g_test_add_func ("/natter/cloud/vertex/service-account-validation", test_service_account_validation);
  ADD ("azure/deployment", test_azure_deployment);
  ADD ("azure/content-filter", test_azure_content_filter);
  ADD ("azure/v1", test_azure_v1);
  g_test_add_func ("/natter/cloud/azure/parse-url", test_azure_parse_url);
  ADD ("bedrock/stream", test_bedrock_stream);
  ADD ("bedrock/bad-crc", test_bedrock_bad_crc);
  ADD ("bedrock/exceptions", test_bedrock_exceptions);
  ADD ("bedrock/api-key", test_bedrock_api_key);
  ADD ("bedrock/models", test_bedrock_models);
  g_test_add_func ("/natter/cloud/bedrock/stored-credentials", test_bedrock_stored_credentials);
  ADD ("test-connection", test_test_connection);
  ADD ("azure/prompt-filtered", test_azure_prompt_filtered);

  return g_test_run ();
}
