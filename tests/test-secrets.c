/* test-secrets.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs against a real Secret Service: tests/test-keyring.sh starts a
 * private gnome-keyring-daemon inside dbus-run-session and runs this
 * binary there. Never run it against your own session keyring.
 *
 *   test-secrets [--data-dir DIR] [GTest options]
 */

#define _GNU_SOURCE  /* memmem */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "natter-client.h"
#include "natter-cloud-profile.h"
#include "natter-database.h"
#include "natter-fake-provider.h"
#include "natter-openrouter-signin.h"
#include "natter-test-cloud.h"
#include "natter-profile-store.h"
#include "natter-request.h"
#include "natter-request-log.h"
#include "natter-secrets.h"
#include "natter-secrets-private.h"
#include "natter-test-util.h"
#include "natter-types.h"

static char *data_dir;

/* Any item with these attributes, whatever its schema name: the test's own
 * view of the keyring, independent of natter-secrets.c. */
static const SecretSchema any_schema = {
  "org.example.Any", SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0,
};

static char *
random_uuid (void)
{
  return g_uuid_string_random ();
}

static void
test_store_lookup_has_clear (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = random_uuid ();
  char *secret;

  g_assert_false (natter_secrets_has_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error));
  g_assert_no_error (error);
  secret = natter_secrets_lookup_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  g_assert_true (natter_secrets_store_sync (uuid, NATTER_SECRET_API_KEY, "Work",
                                            "sk-first-key-1234", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (natter_secrets_has_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error));
  g_assert_no_error (error);
  secret = natter_secrets_lookup_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "sk-first-key-1234");
  natter_secrets_free (secret);

  /* Storing again replaces: still one item. */
  g_assert_true (natter_secrets_store_sync (uuid, NATTER_SECRET_API_KEY, "Work",
                                            "sk-second-key-5678", NULL, &error));
  secret = natter_secrets_lookup_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error);
  g_assert_cmpstr (secret, ==, "sk-second-key-5678");
  natter_secrets_free (secret);

  {
    GList *items = secret_password_search_sync (&any_schema, SECRET_SEARCH_ALL, NULL, &error,
                                                "profile", uuid, NULL);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_length (items), ==, 1);
    g_list_free_full (items, g_object_unref);
  }

  g_assert_true (natter_secrets_clear_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (natter_secrets_has_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error));
  g_assert_no_error (error);
  secret = natter_secrets_lookup_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  /* Clearing nothing is not an error. */
  g_assert_true (natter_secrets_clear_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_lookup (const char       *uuid,
               NatterSecretKind  kind,
               const char       *expected)
{
  g_autoptr(GError) error = NULL;
  char *secret = natter_secrets_lookup_sync (uuid, kind, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, expected);
  natter_secrets_free (secret);
}

static void
test_isolation (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = random_uuid ();
  g_autofree char *b = random_uuid ();

  g_assert_true (natter_secrets_store_sync (a, NATTER_SECRET_API_KEY, "A", "key-of-a-1111", NULL, &error));
  g_assert_true (natter_secrets_store_sync (b, NATTER_SECRET_API_KEY, "B", "key-of-b-2222", NULL, &error));
  g_assert_true (natter_secrets_store_sync (a, NATTER_SECRET_PROXY_PASSWORD, "A", "proxy-pass-a", NULL, &error));
  g_assert_no_error (error);

  assert_lookup (a, NATTER_SECRET_API_KEY, "key-of-a-1111");
  assert_lookup (b, NATTER_SECRET_API_KEY, "key-of-b-2222");
  assert_lookup (a, NATTER_SECRET_PROXY_PASSWORD, "proxy-pass-a");
  assert_lookup (b, NATTER_SECRET_PROXY_PASSWORD, NULL);

  /* Clearing A's key keeps B's key and A's proxy password. */
  g_assert_true (natter_secrets_clear_sync (a, NATTER_SECRET_API_KEY, NULL, &error));
  assert_lookup (a, NATTER_SECRET_API_KEY, NULL);
  assert_lookup (b, NATTER_SECRET_API_KEY, "key-of-b-2222");
  assert_lookup (a, NATTER_SECRET_PROXY_PASSWORD, "proxy-pass-a");
  g_assert_true (natter_secrets_has_sync (b, NATTER_SECRET_API_KEY, NULL, &error));

  g_assert_true (natter_secrets_clear_all_sync (a, NULL, &error));
  g_assert_no_error (error);
  assert_lookup (a, NATTER_SECRET_PROXY_PASSWORD, NULL);
  assert_lookup (b, NATTER_SECRET_API_KEY, "key-of-b-2222");

  g_assert_true (natter_secrets_clear_all_sync (b, NULL, &error));
  assert_lookup (b, NATTER_SECRET_API_KEY, NULL);
}

static void
test_item_label_and_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = random_uuid ();
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GList *items;

  g_assert_true (natter_secrets_store_sync (uuid, NATTER_SECRET_API_KEY, "My Cloud",
                                            "label-test-key", NULL, &error));
  g_assert_no_error (error);

  /* Found through plain libsecret, by our attributes. */
  items = secret_password_search_sync (&any_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "profile", uuid, "kind", "api-key", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  attributes = secret_retrievable_get_attributes (items->data);
  g_list_free_full (items, g_object_unref);

  g_assert_cmpstr (label, ==, "Natter: API key for My Cloud");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==,
                   "io.github.natterapp.Natter.Secret");

  g_assert_true (natter_secrets_clear_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error));
}

static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (natter_secrets_store_sync ("", NATTER_SECRET_API_KEY, "X", "k", NULL, &error));
  g_assert_error (error, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (natter_secrets_store_sync ("some-uuid", NATTER_SECRET_API_KEY, "X", "", NULL, &error));
  g_assert_error (error, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (natter_secrets_lookup_sync (NULL, NATTER_SECRET_API_KEY, NULL, &error));
  g_assert_error (error, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_INVALID);
}

typedef struct
{
  GAsyncResult *result;
} AsyncData;

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncData *data = user_data;

  data->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (AsyncData *data)
{
  while (data->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return data->result;
}

static void
test_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = random_uuid ();
  AsyncData data = { NULL };
  char *secret;

  natter_secrets_store_async (uuid, NATTER_SECRET_API_KEY, "Async", "async-key-4321", NULL,
                              on_done, &data);
  g_assert_true (natter_secrets_store_finish (wait_result (&data), &error));
  g_assert_no_error (error);
  g_clear_object (&data.result);

  natter_secrets_has_async (uuid, NATTER_SECRET_API_KEY, NULL, on_done, &data);
  g_assert_true (natter_secrets_has_finish (wait_result (&data), &error));
  g_assert_no_error (error);
  g_clear_object (&data.result);

  natter_secrets_lookup_async (uuid, NATTER_SECRET_API_KEY, NULL, on_done, &data);
  secret = natter_secrets_lookup_finish (wait_result (&data), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "async-key-4321");
  natter_secrets_free (secret);
  g_clear_object (&data.result);

  natter_secrets_clear_async (uuid, NATTER_SECRET_API_KEY, NULL, on_done, &data);
  g_assert_true (natter_secrets_clear_finish (wait_result (&data), &error));
  g_clear_object (&data.result);

  natter_secrets_has_async (uuid, NATTER_SECRET_API_KEY, NULL, on_done, &data);
  g_assert_false (natter_secrets_has_finish (wait_result (&data), &error));
  g_assert_no_error (error);
  g_clear_object (&data.result);

  natter_secrets_lookup_async (uuid, NATTER_SECRET_API_KEY, NULL, on_done, &data);
  g_assert_null (natter_secrets_lookup_finish (wait_result (&data), &error));
  g_assert_no_error (error);
  g_clear_object (&data.result);

  /* Argument errors come back through the callback too. */
  natter_secrets_has_async ("", NATTER_SECRET_API_KEY, NULL, on_done, &data);
  g_assert_false (natter_secrets_has_finish (wait_result (&data), &error));
  g_assert_error (error, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_INVALID);
  g_clear_object (&data.result);
}

static void
scan_for (const char *path,
          const char *needle,
          guint      *n_files,
          GPtrArray  *hits)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          scan_for (child, needle, n_files, hits);
        }
      g_dir_close (dir);
    }
  else
    {
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &contents, &len, NULL))
        {
          (*n_files)++;
          if (memmem (contents, len, needle, strlen (needle)) != NULL)
            g_ptr_array_add (hits, g_strdup (path));
        }
    }
}

/* Stores a key, creates a profile and a request-log entry that used it
 * (key in the header, the URL, the body, echoed back in the stream and in
 * the error message), then checks no file under the data dir holds it. */
static void
test_no_leak (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *key = NULL;
  g_autofree char *url = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *body = NULL;
  g_autofree char *echo = NULL;
  g_autofree char *message = NULL;
  g_autofree char *uuid = NULL;
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) marker_hits = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(NatterProfileStore) store = NULL;
  g_autoptr(NatterRequestLog) log = NULL;
  g_autoptr(NatterProfile) profile = NULL;
  g_autoptr(NatterRequest) request = NULL;
  NatterLogEntry *entry;
  char *looked_up;
  guint n_files = 0;

  if (g_getenv ("NATTER_TEST_LEAK_KEY") != NULL)
    key = g_strdup (g_getenv ("NATTER_TEST_LEAK_KEY"));
  else
    {
      g_autofree char *random = g_uuid_string_random ();
      key = g_strdup_printf ("sk-leak-%s", random);
    }

  if (data_dir != NULL)
    dir = g_strdup (data_dir);
  else
    dir = tmp = natter_test_tmpdir_new ();

  db_path = g_build_filename (dir, "natter.db", NULL);
  db = natter_database_open (db_path, &error);
  g_assert_no_error (error);
  store = natter_profile_store_new (db, &error);
  g_assert_no_error (error);
  log = natter_request_log_new (db, &error);
  g_assert_no_error (error);

  profile = natter_profile_new ("Leak Check Profile", "openai");
  g_assert_true (natter_profile_store_add (store, profile, &error));
  g_assert_no_error (error);
  uuid = g_strdup (natter_profile_get_uuid (profile));

  g_assert_true (natter_secrets_store_sync (uuid, NATTER_SECRET_API_KEY,
                                            natter_profile_get_name (profile), key, NULL, &error));
  g_assert_no_error (error);
  looked_up = natter_secrets_lookup_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error);
  g_assert_cmpstr (looked_up, ==, key);

  url = g_strdup_printf ("http://127.0.0.1:9/v1/chat/completions?key=%s", key);
  auth = g_strdup_printf ("Bearer %s", looked_up);
  body = g_strdup_printf ("{\"model\":\"m\",\"note\":\"%s\"}", key);
  echo = g_strdup_printf ("data: {\"error\":\"bad key %s\"}\n\n", key);
  message = g_strdup_printf ("Incorrect API key provided: %s", key);

  request = natter_request_new ("POST", url);
  natter_request_set_header (request, "Authorization", auth);
  natter_request_set_body_string (request, NULL, body);
  natter_request_freeze (request);

  entry = natter_request_log_begin (log, request, natter_profile_get_name (profile),
                                    "openai", "m", looked_up);
  natter_request_log_response_head (log, entry, 401, "{\"content-type\":\"text/event-stream\"}");
  natter_request_log_append_raw (log, entry, echo, strlen (echo));
  natter_request_log_append_text (log, entry, echo, strlen (echo));
  natter_request_log_finish (log, entry, NATTER_ERROR_CATEGORY_AUTH, message);
  natter_secrets_free (looked_up);

  g_clear_pointer (&request, natter_request_unref);
  g_clear_object (&log);
  g_clear_object (&store);
  g_clear_object (&profile);
  g_assert_finalize_object (g_steal_pointer (&db));

  scan_for (dir, key, &n_files, hits);
  for (guint i = 0; i < hits->len; i++)
    g_test_message ("the key was found in %s", (const char *) hits->pdata[i]);
  g_assert_cmpuint (hits->len, ==, 0);

  /* The scan does see plain text that was written. */
  g_assert_cmpuint (n_files, >=, 1);
  scan_for (dir, "Leak Check Profile", &n_files, marker_hits);
  g_assert_cmpuint (marker_hits->len, >=, 1);

  /* Leave the key in the keyring when the script checks the data dir
   * afterwards; a temp dir is cleaned up. */
  if (tmp != NULL)
    {
      natter_secrets_clear_all_sync (uuid, NULL, NULL);
      natter_test_tmpdir_free (g_steal_pointer (&tmp));
    }
}

/* ------------------------------------------------- cloud credentials */

static const char *
env_or (const char *name,
        const char *fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : fallback;
}

typedef struct
{
  gboolean          done;
  NatterChatResult *result;
  GError           *error;
} CloudRun;

static void
cloud_chat_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CloudRun *run = user_data;

  run->result = natter_client_chat_finish (NATTER_CLIENT (object), result, NULL, &run->error);
  run->done = TRUE;
}

static void
cloud_chat (NatterClient  *client,
            NatterProfile *profile,
            const char    *expected)
{
  NatterPrompt *prompt = natter_prompt_new ();
  CloudRun run = { 0 };

  natter_prompt_add (prompt, NATTER_ROLE_USER, "Hello");
  natter_client_chat_async (client, profile, prompt, NULL, NULL, NULL, NULL, cloud_chat_cb, &run);
  natter_prompt_free (prompt);
  g_assert_true (natter_test_wait_for (&run.done, 30000));
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.result->text, ==, expected);
  natter_chat_result_free (run.result);
}

static NatterProfile *
add_cloud_profile (NatterProfileStore *store,
                   const char         *name,
                   const char         *provider,
                   const char         *model,
                   const char         *url,
                   const char         *key,
                   NatterSecretKind    kind2,
                   const char         *secret2)
{
  g_autoptr(GError) error = NULL;
  NatterProfile *profile = natter_profile_new (name, provider);

  natter_profile_set_model (profile, model);
  natter_profile_set_base_url (profile, url);
  if (g_str_equal (provider, "vertex"))
    g_assert_true (natter_profile_take_service_account (profile, key, &error));
  if (g_str_equal (provider, "bedrock"))
    natter_profile_set_setting_string (profile, "access_key_id", "AKIDKEYRINGTEST");
  g_assert_no_error (error);
  g_assert_true (natter_profile_store_add (store, profile, &error));
  g_assert_no_error (error);
  g_assert_true (natter_secrets_store_sync (natter_profile_get_uuid (profile), NATTER_SECRET_API_KEY,
                                            name, key, NULL, &error));
  g_assert_no_error (error);
  if (secret2 != NULL)
    g_assert_true (natter_secrets_store_sync (natter_profile_get_uuid (profile), kind2, name,
                                              secret2, NULL, &error));
  g_assert_no_error (error);
  return profile;
}

/* A fake for all three that checks the stored credentials arrive. */
typedef struct
{
  const char *azure_key;
  const char *aws_token;
  guint       checked;
  gboolean    wrong;
} CloudFake;

static void
on_cloud_request (NatterFakeProvider      *fake,
                  const NatterFakeRequest *request,
                  gpointer                 user_data)
{
  CloudFake *cf = user_data;

  if (g_str_has_prefix (request->path, "/openai/"))
    cf->wrong |= g_strcmp0 (soup_message_headers_get_one (request->headers, "api-key"), cf->azure_key) != 0;
  else if (g_str_has_prefix (request->path, "/model/"))
    cf->wrong |= g_strcmp0 (soup_message_headers_get_one (request->headers, "X-Amz-Security-Token"),
                            cf->aws_token) != 0 ||
                 !g_str_has_prefix (soup_message_headers_get_one (request->headers, "Authorization"),
                                    "AWS4-HMAC-SHA256 Credential=AKIDKEYRINGTEST/");
  else if (g_str_has_prefix (request->path, "/v1/projects/"))
    cf->wrong |= g_strcmp0 (soup_message_headers_get_one (request->headers, "Authorization"),
                            "Bearer ya29.keyring-access-token") != 0;
  cf->checked++;
}

/* The three cloud sign-ins with their secrets in the keyring: chats work
 * from the stored credentials, and none of their bytes (service account
 * JSON and each line of its private key, Azure key, AWS secret and session
 * token, the access token) is in any file under the data dir. The profiles
 * stay for test-keyring.sh, which asks natter-cli about them next. */
static void
test_cloud_no_leak (void)
{
  const char *azure_key = env_or ("NATTER_TEST_CLOUD_AZURE_KEY", "azure-keyring-SECRET-1");
  const char *aws_secret = env_or ("NATTER_TEST_CLOUD_AWS_SECRET", "aws-keyring-SECRET-2");
  const char *aws_token = env_or ("NATTER_TEST_CLOUD_AWS_TOKEN", "aws-keyring-TOKEN-3");
  g_autoptr(NatterFakeProvider) fake = natter_fake_provider_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *private_pem = NULL;
  g_autofree char *public_pem = NULL;
  g_autofree char *token_uri = NULL;
  g_autofree char *sa_json = NULL;
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(NatterProfileStore) store = NULL;
  g_autoptr(NatterRequestLog) log = NULL;
  g_autoptr(NatterClient) client = NULL;
  g_autoptr(NatterProfile) vertex = NULL;
  g_autoptr(NatterProfile) azure = NULL;
  g_autoptr(NatterProfile) bedrock = NULL;
  g_autoptr(GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);
  CloudFake cf = { azure_key, aws_token, 0, FALSE };
  NatterFakeResponse *response;
  guint n_files = 0;

  g_unsetenv ("GOOGLE_APPLICATION_CREDENTIALS");
  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_unsetenv ("AWS_SESSION_TOKEN");
  g_unsetenv ("AZURE_OPENAI_API_KEY");

  if (data_dir != NULL)
    dir = g_strdup (data_dir);
  else
    dir = tmp = natter_test_tmpdir_new ();
  db_path = g_build_filename (dir, "natter.db", NULL);
  db = natter_database_open (db_path, &error);
  g_assert_no_error (error);
  store = natter_profile_store_new (db, &error);
  g_assert_no_error (error);
  log = natter_request_log_new (db, &error);
  g_assert_no_error (error);
  client = natter_client_new (db, store, log);

  natter_test_rsa_key_pair (&private_pem, &public_pem);
  token_uri = g_strconcat (natter_fake_provider_get_url (fake), "/token", NULL);
  sa_json = natter_test_service_account_json (private_pem, "keyring-project",
                                              "keyring@keyring-project.iam.gserviceaccount.com",
                                              token_uri);

  natter_fake_provider_set_request_func (fake, on_cloud_request, &cf);
  natter_fake_provider_add_route (fake, "POST", "/token",
    natter_fake_response_new_body (200, "application/json",
                                   "{\"access_token\":\"ya29.keyring-access-token\",\"expires_in\":3600}"));
  natter_fake_provider_add_route (fake, "POST", "/v1/projects/*",
    natter_fake_response_new_body (200, "text/event-stream",
      "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"vertex ok\"}]},\"finishReason\":\"STOP\"}]}\n\n"));
  natter_fake_provider_add_route (fake, "POST", "/openai/deployments/dep/chat/completions",
    natter_fake_response_new_body (200, "text/event-stream",
      "data: {\"choices\":[{\"delta\":{\"content\":\"azure ok\"},\"index\":0,\"finish_reason\":\"stop\"}]}\n\n"
      "data: [DONE]\n\n"));
  response = natter_fake_response_new (200, "application/vnd.amazon.eventstream");
  {
    const char *events[][2] = {
      { "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"bedrock ok\"}}" },
      { "messageStop", "{\"stopReason\":\"end_turn\"}" },
      { "metadata", "{\"usage\":{\"inputTokens\":1,\"outputTokens\":2}}" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (events); i++)
      {
        g_autoptr(GBytes) message = natter_test_event_stream_message ("event", events[i][0], events[i][1]);

        natter_fake_response_add_chunk (response, g_bytes_get_data (message, NULL),
                                        g_bytes_get_size (message), 0);
      }
  }
  natter_fake_provider_add_route (fake, "POST", "/model/*", response);

  vertex = add_cloud_profile (store, "Cloud Vertex", "vertex", "gemini-2.5-flash",
                              natter_fake_provider_get_url (fake), sa_json, NATTER_SECRET_API_KEY, NULL);
  azure = add_cloud_profile (store, "Cloud Azure", "azure-openai", "dep",
                             natter_fake_provider_get_url (fake), azure_key, NATTER_SECRET_API_KEY, NULL);
  bedrock = add_cloud_profile (store, "Cloud Bedrock", "bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0",
                               natter_fake_provider_get_url (fake), aws_secret,
                               NATTER_SECRET_SESSION_TOKEN, aws_token);

  cloud_chat (client, vertex, "vertex ok");
  cloud_chat (client, azure, "azure ok");
  cloud_chat (client, bedrock, "bedrock ok");
  g_assert_false (cf.wrong);
  g_assert_cmpuint (cf.checked, ==, 4);

  g_clear_object (&client);
  g_clear_object (&log);
  g_clear_object (&store);
  g_assert_finalize_object (g_steal_pointer (&db));

  g_ptr_array_add (needles, g_strdup (azure_key));
  g_ptr_array_add (needles, g_strdup (aws_secret));
  g_ptr_array_add (needles, g_strdup (aws_token));
  g_ptr_array_add (needles, g_strdup ("ya29.keyring-access-token"));
  g_ptr_array_add (needles, g_strdup ("PRIVATE KEY"));
  {
    g_auto(GStrv) lines = g_strsplit (private_pem, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      if (strlen (lines[i]) >= 32 && !g_str_has_prefix (lines[i], "-----"))
        g_ptr_array_add (needles, g_strdup (lines[i]));
  }
  for (guint i = 0; i < needles->len; i++)
    {
      g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_free);

      scan_for (dir, g_ptr_array_index (needles, i), &n_files, hits);
      for (guint j = 0; j < hits->len; j++)
        g_test_message ("secret %u found in %s", i, (const char *) hits->pdata[j]);
      g_assert_cmpuint (hits->len, ==, 0);
    }
  g_assert_cmpuint (n_files, >=, 1);

  /* What may be shown is there: the service account's e-mail. */
  {
    g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);

    scan_for (dir, "keyring@keyring-project.iam.gserviceaccount.com", &n_files, shown);
    g_assert_cmpuint (shown->len, >=, 1);
  }

  memset (private_pem, 0, strlen (private_pem));
  memset (sa_json, 0, strlen (sa_json));
  if (tmp != NULL)
    natter_test_tmpdir_free (g_steal_pointer (&tmp));
}

/* Only meaningful with no Secret Service reachable: test-keyring.sh runs it
 * with a session bus address that leads nowhere. */
static void
test_unavailable (void)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (g_getenv ("NATTER_TEST_EXPECT_NO_KEYRING"), "1") != 0)
    {
      g_test_skip ("needs NATTER_TEST_EXPECT_NO_KEYRING=1 (run by test-keyring.sh)");
      return;
    }

  g_assert_false (natter_secrets_store_sync ("u", NATTER_SECRET_API_KEY, "X", "secret-value",
                                             NULL, &error));
  g_assert_error (error, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_UNAVAILABLE);
  g_assert_true (g_str_has_prefix (error->message, "No keyring is available: "));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_false (natter_secrets_has_sync ("u", NATTER_SECRET_API_KEY, NULL, &error));
  g_assert_error (error, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_null (natter_secrets_lookup_sync ("u", NATTER_SECRET_API_KEY, NULL, &error));
  g_assert_error (error, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_UNAVAILABLE);
}

/* ------------------------------------------------ OpenRouter sign-in */

typedef struct
{
  gboolean  done;
  GError   *error;
} SigninRun;

static void
signin_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SigninRun *run = user_data;

  natter_openrouter_signin_wait_finish (NATTER_OPENROUTER_SIGNIN (object), result, &run->error);
  run->done = TRUE;
}

typedef struct
{
  gboolean  done;
  guint     status;
} BrowserRun;

static void
browser_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  BrowserRun *run = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  run->status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (object), result));
  run->done = TRUE;
}

/* The browser coming back: GET {callback_url}?code=@code. */
static guint
browser_returns (const char *signin_url,
                 const char *code)
{
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;
  const char *query = strchr (signin_url, '?');
  BrowserRun run = { 0 };

  g_assert_nonnull (query);
  params = g_uri_parse_params (query + 1, -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (params);
  url = g_strdup_printf ("%s?code=%s", (char *) g_hash_table_lookup (params, "callback_url"), code);
  msg = soup_message_new ("GET", url);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, browser_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  return run.status;
}

static const char *
issued_key (void)
{
  const char *leak = g_getenv ("NATTER_TEST_LEAK_KEY");

  return leak != NULL ? leak : "sk-or-v1-issued-by-the-fake";
}

static void
test_openrouter_signin (void)
{
  g_autoptr(NatterFakeProvider) fake = natter_fake_provider_new ();
  g_autoptr(NatterOpenrouterSignin) signin = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *api = g_strconcat (natter_fake_provider_get_url (fake), "/api/v1", NULL);
  g_autofree char *uuid = random_uuid ();
  g_autofree char *body = NULL;
  g_autofree char *challenge = NULL;
  const NatterFakeRequest *req;
  JsonObject *exchange;
  const char *url;
  char *stored;
  SigninRun run = { 0 };

  body = g_strdup_printf ("{\"key\":\"%s\",\"user_id\":\"user_1\"}", issued_key ());
  natter_fake_provider_add_route (fake, "POST", "/api/v1/auth/keys",
                                  natter_fake_response_new_body (200, "application/json", body));

  signin = natter_openrouter_signin_new ("https://openrouter.example/auth", api);
  g_assert_true (natter_openrouter_signin_start (signin, &error));
  g_assert_no_error (error);
  url = natter_openrouter_signin_get_url (signin);
  g_assert_true (g_str_has_prefix (url, "https://openrouter.example/auth?callback_url=http%3A%2F%2F127.0.0.1%3A"));
  params = g_uri_parse_params (strchr (url, '?') + 1, -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (g_hash_table_lookup (params, "code_challenge"), ==,
                   natter_openrouter_signin_get_code_challenge (signin));
  g_assert_true (g_str_has_suffix (g_hash_table_lookup (params, "callback_url"), "/callback"));

  natter_openrouter_signin_wait_async (signin, uuid, "Signin Profile", 60, NULL, signin_cb, &run);
  g_assert_cmpuint (browser_returns (url, "auth-code-123"), ==, 200);
  g_assert_true (natter_test_wait_for (&run.done, 20000));
  g_assert_no_error (run.error);

  /* The exchange: the code and a verifier whose S256 is the challenge sent. */
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, 1);
  req = natter_fake_provider_get_request (fake, 0);
  g_assert_cmpstr (req->method, ==, "POST");
  g_assert_cmpstr (req->path, ==, "/api/v1/auth/keys");
  g_assert_true (json_parser_load_from_data (parser, req->body, req->body_len, NULL));
  exchange = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (exchange, "code"), ==, "auth-code-123");
  g_assert_cmpstr (json_object_get_string_member (exchange, "code_challenge_method"), ==, "S256");
  challenge = natter_pkce_challenge (json_object_get_string_member (exchange, "code_verifier"));
  g_assert_cmpstr (challenge, ==, g_hash_table_lookup (params, "code_challenge"));
  g_assert_cmpuint (strlen (json_object_get_string_member (exchange, "code_verifier")), >=, 43);

  /* The key is in the keyring, as the profile's API key. */
  stored = natter_secrets_lookup_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, issued_key ());
  natter_secrets_free (stored);
  g_assert_true (natter_secrets_clear_sync (uuid, NATTER_SECRET_API_KEY, NULL, NULL));

  /* One-shot: the listener is gone. */
  g_assert_cmpuint (browser_returns (url, "again"), ==, SOUP_STATUS_NONE);
}

static void
test_openrouter_signin_cancel_and_timeout (void)
{
  g_autoptr(NatterFakeProvider) fake = natter_fake_provider_new ();
  g_autofree char *api = g_strconcat (natter_fake_provider_get_url (fake), "/api/v1", NULL);
  g_autofree char *uuid = random_uuid ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  char *stored;

  natter_fake_provider_add_route (fake, "POST", "/api/v1/auth/keys",
                                  natter_fake_response_new_body (200, "application/json",
                                                                 "{\"key\":\"sk-or-v1-never\"}"));

  /* Cancel while waiting for the browser. */
  {
    g_autoptr(NatterOpenrouterSignin) signin = natter_openrouter_signin_new (NULL, api);
    SigninRun run = { 0 };
    g_autofree char *url = NULL;

    g_assert_true (natter_openrouter_signin_start (signin, &error));
    url = g_strdup (natter_openrouter_signin_get_url (signin));
    g_assert_true (g_str_has_prefix (url, NATTER_OPENROUTER_AUTH_URL "?"));
    natter_openrouter_signin_wait_async (signin, uuid, "Cancelled", 60, cancellable, signin_cb, &run);
    g_cancellable_cancel (cancellable);
    g_assert_true (natter_test_wait_for (&run.done, 10000));
    g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&run.error);
    /* Nothing listens any more, nothing was exchanged. */
    g_assert_cmpuint (browser_returns (url, "late"), ==, SOUP_STATUS_NONE);
  }

  /* Time-out. */
  {
    g_autoptr(NatterOpenrouterSignin) signin = natter_openrouter_signin_new (NULL, api);
    SigninRun run = { 0 };

    g_assert_true (natter_openrouter_signin_start (signin, &error));
    natter_openrouter_signin_wait_async (signin, uuid, "Timed out", 1, NULL, signin_cb, &run);
    g_assert_true (natter_test_wait_for (&run.done, 10000));
    g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    g_clear_error (&run.error);
  }

  /* The browser comes back without a code (the person refused). */
  {
    g_autoptr(NatterOpenrouterSignin) signin = natter_openrouter_signin_new (NULL, api);
    SigninRun run = { 0 };

    g_assert_true (natter_openrouter_signin_start (signin, &error));
    natter_openrouter_signin_wait_async (signin, uuid, "Refused", 60, NULL, signin_cb, &run);
    g_assert_cmpuint (browser_returns (natter_openrouter_signin_get_url (signin), ""), ==, 400);
    g_assert_true (natter_test_wait_for (&run.done, 10000));
    g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH);
    g_clear_error (&run.error);
  }

  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, 0);
  stored = natter_secrets_lookup_sync (uuid, NATTER_SECRET_API_KEY, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
}

typedef struct
{
  gboolean          done;
  NatterChatResult *result;
  GError           *error;
} ChatRun;

static void
headers_chat_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ChatRun *run = user_data;

  run->result = natter_client_chat_finish (NATTER_CLIENT (object), result, NULL, &run->error);
  run->done = TRUE;
}

/* A secret custom header: its value comes from the keyring into the one
 * request, and the request log shows REDACTED. */
static void
test_secret_headers (void)
{
  g_autoptr(NatterFakeProvider) fake = natter_fake_provider_new ();
  g_autofree char *tmp = natter_test_tmpdir_new ();
  g_autofree char *db_path = g_build_filename (tmp, "natter.db", NULL);
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fake), "/v1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(NatterProfileStore) store = NULL;
  g_autoptr(NatterRequestLog) log = NULL;
  g_autoptr(NatterClient) client = NULL;
  g_autoptr(NatterProfile) profile = natter_profile_new ("Proxied", "custom");
  NatterPrompt *prompt = natter_prompt_new ();
  const NatterFakeRequest *req;
  NatterLogEntry *entry;
  ChatRun run = { 0 };

  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  natter_fake_response_new_body (200, "text/event-stream",
                                    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n"
                                    "data: [DONE]\n\n"));
  db = natter_database_open (db_path, &error);
  g_assert_no_error (error);
  store = natter_profile_store_new (db, &error);
  g_assert_no_error (error);
  log = natter_request_log_new (db, &error);
  g_assert_no_error (error);
  client = natter_client_new (db, store, log);

  natter_profile_set_base_url (profile, url);
  natter_profile_set_model (profile, "m");
  natter_profile_set_settings (profile, "{\"headers\":[{\"name\":\"X-Team\",\"value\":\"blue\"},"
                                        "{\"name\":\"X-Proxy-Token\",\"secret\":true}]}");
  g_assert_true (natter_profile_store_add (store, profile, &error));
  g_assert_true (natter_secrets_store_sync (natter_profile_get_uuid (profile), NATTER_SECRET_HEADERS,
                                            "Proxied", "{\"X-Proxy-Token\":\"tok-SECRET-77\"}", NULL, &error));

  natter_prompt_add (prompt, NATTER_ROLE_USER, "Hi");
  natter_client_chat_async (client, profile, prompt, NULL, NULL, NULL, NULL, headers_chat_cb, &run);
  natter_prompt_free (prompt);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);

  req = natter_fake_provider_get_request (fake, 0);
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "X-Proxy-Token"), ==, "tok-SECRET-77");
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "X-Team"), ==, "blue");
  entry = natter_request_log_get_last (log);
  g_assert_null (strstr (natter_log_entry_get_request_headers (entry), "tok-SECRET-77"));
  g_assert_nonnull (strstr (natter_log_entry_get_request_headers (entry), "REDACTED"));
  g_assert_null (strstr (natter_profile_get_settings (profile), "tok-SECRET-77"));

  g_assert_true (natter_secrets_clear_all_sync (natter_profile_get_uuid (profile), NULL, NULL));
  g_clear_pointer (&run.result, natter_chat_result_free);
  g_clear_object (&client);
  g_clear_object (&log);
  g_clear_object (&store);
  g_clear_object (&db);
  natter_test_tmpdir_free (g_steal_pointer (&tmp));
}

/* An HTTP proxy that wants Basic credentials and answers as an
 * OpenAI-compatible server itself. */
typedef struct
{
  char      *expected_auth;
  GPtrArray *authorizations;
} KeyringProxy;

static void
keyring_proxy_callback (SoupServer        *server,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query,
                        gpointer           user_data)
{
  KeyringProxy *proxy = user_data;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Proxy-Authorization");
  const char *body =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"via proxy\"},\"finish_reason\":null}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    "data: [DONE]\n\n";

  g_ptr_array_add (proxy->authorizations, g_strdup (auth ? auth : "(none)"));
  if (g_strcmp0 (auth, proxy->expected_auth) != 0)
    {
      soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                   "Proxy-Authenticate", "Basic realm=\"natter-test\"");
      soup_server_message_set_status (msg, SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_STATIC, body, strlen (body));
}

typedef struct
{
  gboolean          done;
  NatterChatResult *result;
  GError           *error;
  GString          *text;
} ProxyChat;

static void
proxy_chat_delta (const NatterDelta *delta,
                  gpointer           user_data)
{
  ProxyChat *chat = user_data;

  if (delta->kind == NATTER_DELTA_TEXT && delta->text != NULL)
    g_string_append (chat->text, delta->text);
}

static void
proxy_chat_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ProxyChat *chat = user_data;

  chat->result = natter_client_chat_finish (NATTER_CLIENT (object), result, NULL, &chat->error);
  chat->done = TRUE;
}

/* The chat path takes the key and the proxy password from the keyring
 * without blocking, and the proxy gets the password. */
static void
test_proxy_password_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *db_path = g_build_filename (dir, "natter.db", NULL);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(NatterProfileStore) store = NULL;
  g_autoptr(NatterProfile) profile = NULL;
  g_autoptr(NatterClient) client = NULL;
  g_autofree char *proxy_url = NULL;
  g_autofree char *encoded = NULL;
  NatterPrompt *prompt = natter_prompt_new ();
  NatterGenParams params;
  KeyringProxy proxy = { NULL, g_ptr_array_new_with_free_func (g_free) };
  ProxyChat chat = { FALSE, NULL, NULL, g_string_new (NULL) };
  GSList *uris;
  guint sync_reads;

  soup_server_add_handler (server, NULL, keyring_proxy_callback, &proxy, NULL);
  soup_server_listen (server, address, 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  proxy_url = g_strdup_printf ("http://alice@127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  encoded = g_base64_encode ((const guchar *) "alice:proxy-secret", strlen ("alice:proxy-secret"));
  proxy.expected_auth = g_strconcat ("Basic ", encoded, NULL);

  db = natter_database_open (db_path, &error);
  g_assert_no_error (error);
  store = natter_profile_store_new (db, &error);
  g_assert_no_error (error);
  profile = natter_profile_new ("Behind a proxy", "openai");
  natter_profile_set_base_url (profile, "http://upstream.invalid/v1");
  natter_profile_set_proxy_url (profile, proxy_url);
  natter_profile_set_model (profile, "m");
  g_assert_true (natter_profile_store_add (store, profile, &error));
  g_assert_no_error (error);
  g_assert_true (natter_secrets_store_sync (natter_profile_get_uuid (profile), NATTER_SECRET_API_KEY,
                                            "Behind a proxy", "sk-proxy-test", NULL, &error));
  g_assert_true (natter_secrets_store_sync (natter_profile_get_uuid (profile),
                                            NATTER_SECRET_PROXY_PASSWORD,
                                            "Behind a proxy", "proxy-secret", NULL, &error));
  g_assert_no_error (error);

  client = natter_client_new (db, store, NULL);
  sync_reads = _natter_secrets_get_n_sync_reads ();
  natter_gen_params_init (&params);
  params.stream = TRUE;
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Hello");
  natter_client_chat_async (client, profile, prompt, &params, proxy_chat_delta, &chat,
                            NULL, proxy_chat_done, &chat);
  /* Nothing has reached the proxy yet: the lookups wait for the main loop. */
  g_assert_cmpuint (proxy.authorizations->len, ==, 0);
  g_assert_true (natter_test_wait_for (&chat.done, 10000));

  g_assert_no_error (chat.error);
  g_assert_nonnull (chat.result);
  g_assert_cmpstr (chat.text->str, ==, "via proxy");
  g_assert_cmpuint (proxy.authorizations->len, >=, 1);
  g_assert_cmpstr (g_ptr_array_index (proxy.authorizations, proxy.authorizations->len - 1), ==,
                   proxy.expected_auth);
  /* Neither the key nor the proxy password was read with a blocking call. */
  g_assert_cmpuint (_natter_secrets_get_n_sync_reads (), ==, sync_reads);

  natter_secrets_clear_all_sync (natter_profile_get_uuid (profile), NULL, NULL);
  natter_prompt_free (prompt);
  natter_gen_params_clear (&params);
  g_clear_pointer (&chat.result, natter_chat_result_free);
  g_string_free (chat.text, TRUE);
  g_ptr_array_unref (proxy.authorizations);
  g_free (proxy.expected_auth);
  g_clear_object (&client);
  g_clear_object (&store);
  g_clear_object (&profile);
  g_assert_finalize_object (g_steal_pointer (&db));
  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int   argc,
      char *argv[])
{
  int j = 1;

  /* --data-dir DIR is ours; the rest goes to GTest. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--data-dir") && i + 1 < argc)
        data_dir = argv[++i];
      else if (g_str_has_prefix (argv[i], "--data-dir="))
        data_dir = argv[i] + strlen ("--data-dir=");
      else
        argv[j++] = argv[i];
    }
  argv[j] = NULL;
  argc = j;

  g_test_init (&argc, &argv, NULL);

  /* Never write test items into someone's real keyring. */
  if (g_strcmp0 (g_getenv ("NATTER_TEST_PRIVATE_KEYRING"), "1") != 0 &&
      g_strcmp0 (g_getenv ("NATTER_TEST_EXPECT_NO_KEYRING"), "1") != 0)
    {
      g_printerr ("test-secrets only runs inside tests/test-keyring.sh "
                  "(a private keyring); NATTER_TEST_PRIVATE_KEYRING is not set.\n");
      return 77;
    }

  g_test_add_func ("/natter/secrets/store-lookup-has-clear", test_store_lookup_has_clear);
  g_test_add_func ("/natter/secrets/isolation", test_isolation);
  g_test_add_func ("/natter/secrets/label-and-schema", test_item_label_and_schema);
  g_test_add_func ("/natter/secrets/invalid", test_invalid);
  g_test_add_func ("/natter/secrets/async", test_async);
  g_test_add_func ("/natter/secrets/no-leak", test_no_leak);
  g_test_add_func ("/natter/secrets/cloud-no-leak", test_cloud_no_leak);
  g_test_add_func ("/natter/secrets/proxy-password-async", test_proxy_password_async);
  g_test_add_func ("/natter/secrets/unavailable", test_unavailable);
  g_test_add_func ("/natter/secrets/openrouter-signin", test_openrouter_signin);
  g_test_add_func ("/natter/secrets/secret-headers", test_secret_headers);
  g_test_add_func ("/natter/secrets/openrouter-signin-cancel-timeout", test_openrouter_signin_cancel_and_timeout);

  return g_test_run ();
}
