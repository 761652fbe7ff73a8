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

#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "natter-client.h"
#include "natter-database.h"
#include "natter-profile-store.h"
#include "natter-request.h"
#include "natter-request-log.h"
#include "natter-secrets.h"
#include "natter-secrets-private.h"
#include "natter-test-util.h"

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
  g_test_add_func ("/natter/secrets/proxy-password-async", test_proxy_password_async);
  g_test_add_func ("/natter/secrets/unavailable", test_unavailable);

  return g_test_run ();
}
