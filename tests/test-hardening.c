/* test-hardening.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Hostile servers and files: nesting, redirects, endless replies, broken
 * UTF-8, catastrophic lorebook patterns, long lines, crowded archives. */

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "natter-card.h"
#include "natter-charx.h"
#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-conversation.h"
#include "natter-database.h"
#include "natter-fake-provider.h"
#include "natter-json.h"
#include "natter-lore-regex.h"
#include "natter-lorebook.h"
#include "natter-profile.h"
#include "natter-prompt-builder.h"
#include "natter-reply-guard.h"
#include "natter-request-log.h"
#include "natter-st-chat.h"
#include "natter-test-util.h"
#include "natter-transport.h"

#define TEST_KEY "sk-hardening-SECRET-0123456789"
#define DEEP 100000

typedef struct
{
  char               *tmpdir;
  NatterDatabase     *database;
  NatterRequestLog   *log;
  NatterClient       *client;
  NatterChatStore    *store;
  NatterConversation *conv;
  NatterFakeProvider *fake;
  NatterFakeProvider *other;   /* another origin: records what reaches it */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->tmpdir = natter_test_tmpdir_new ();
  path = g_build_filename (f->tmpdir, "natter.db", NULL);
  f->database = natter_database_open (path, &error);
  g_assert_no_error (error);
  f->log = natter_request_log_new (f->database, &error);
  g_assert_no_error (error);
  f->client = natter_client_new (f->database, NULL, f->log);
  f->store = natter_chat_store_new (f->database);
  f->conv = natter_conversation_new (f->store, f->client);
  f->fake = natter_fake_provider_new ();
  f->other = natter_fake_provider_new ();

  g_setenv ("OPENAI_API_KEY", TEST_KEY, TRUE);
  g_setenv ("ANTHROPIC_API_KEY", TEST_KEY, TRUE);
  g_setenv ("GEMINI_API_KEY", TEST_KEY, TRUE);
  g_setenv ("CO_API_KEY", TEST_KEY, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->fake, natter_fake_provider_free);
  g_clear_pointer (&f->other, natter_fake_provider_free);
  g_clear_object (&f->conv);
  g_clear_object (&f->store);
  g_clear_object (&f->client);
  g_clear_object (&f->log);
  g_clear_object (&f->database);
  natter_test_tmpdir_free (f->tmpdir);
}

static NatterProfile *
make_profile (NatterFakeProvider *fake,
              const char         *provider_id,
              const char         *suffix,
              const char         *model)
{
  NatterProfile *profile = natter_profile_new ("Test", provider_id);
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fake), suffix, NULL);

  natter_profile_set_base_url (profile, url);
  natter_profile_set_model (profile, model);
  return profile;
}

/* "[[[…]]]" nested @depth levels, inside @prefix … @suffix. */
static char *
nested (const char *prefix,
        guint       depth,
        const char *suffix)
{
  GString *s = g_string_new (prefix);

  /* Objects and arrays alternate: {"a":[{"a":[…1…]}]} */
  for (guint i = 0; i < depth; i++)
    g_string_append (s, i % 2 ? "[" : "{\"a\":");
  g_string_append (s, "1");
  for (guint i = depth; i > 0; i--)
    g_string_append_c (s, (i - 1) % 2 ? ']' : '}');
  g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------ requests */

typedef struct
{
  gboolean          done;
  NatterChatResult *result;
  GError           *error;
  GString          *text;
  GPtrArray        *models;
  gboolean          ok;
} Run;

static void
run_on_delta (const NatterDelta *delta,
              gpointer           user_data)
{
  Run *run = user_data;

  if (delta->kind == NATTER_DELTA_TEXT)
    g_string_append_len (run->text, delta->text, delta->len);
}

static void
chat_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->result = natter_client_chat_finish (NATTER_CLIENT (object), result, NULL, &run->error);
  run->done = TRUE;
}

static void
models_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;

  run->models = natter_client_list_models_finish (NATTER_CLIENT (object), result, &run->error);
  run->done = TRUE;
}

static void
test_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->ok = natter_client_test_finish (NATTER_CLIENT (object), result, &run->error);
  run->done = TRUE;
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->result, natter_chat_result_free);
  g_clear_pointer (&run->models, g_ptr_array_unref);
  g_clear_error (&run->error);
  if (run->text != NULL)
    g_string_free (run->text, TRUE);
  memset (run, 0, sizeof *run);
}

static void
do_chat (Fixture       *f,
         NatterProfile *profile,
         gboolean       stream,
         guint          timeout_ms,
         Run           *run)
{
  NatterPrompt *prompt = natter_prompt_new ();
  NatterGenParams params;

  memset (run, 0, sizeof *run);
  run->text = g_string_new (NULL);
  natter_gen_params_init (&params);
  params.stream = stream;
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Say hello");
  natter_client_chat_async (f->client, profile, prompt, &params, run_on_delta, run,
                            NULL, chat_cb, run);
  natter_prompt_free (prompt);
  natter_gen_params_clear (&params);
  g_assert_true (natter_test_wait_for (&run->done, timeout_ms));
}

static void
do_models (Fixture       *f,
           NatterProfile *profile,
           Run           *run)
{
  memset (run, 0, sizeof *run);
  natter_client_list_models_async (f->client, profile, NULL, models_cb, run);
  g_assert_true (natter_test_wait_for (&run->done, 20000));
}

static void
do_test (Fixture       *f,
         NatterProfile *profile,
         Run           *run)
{
  memset (run, 0, sizeof *run);
  natter_client_test_async (f->client, profile, NULL, test_cb, run);
  g_assert_true (natter_test_wait_for (&run->done, 20000));
}

/* ------------------------------------------------------------ JSON depth */

static void
test_json_depth (void)
{
  g_autofree char *deep = nested ("", DEEP, "");
  g_autofree char *ok = nested ("", NATTER_JSON_MAX_DEPTH, "");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  cJSON *cjson;

  g_assert_true (natter_json_check_depth (ok, -1, NATTER_JSON_MAX_DEPTH, NULL));
  node = natter_json_parse (ok, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, json_node_unref);

  node = natter_json_parse (deep, -1, &error);
  g_assert_null (node);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "nested more than 256 levels"));
  g_clear_error (&error);

  cjson = natter_json_cjson_parse (deep, strlen (deep), &error);
  g_assert_null (cjson);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_clear_error (&error);

  /* Brackets inside strings, escaped quotes included, do not count. */
  {
    g_autoptr(GString) s = g_string_new ("[\"");

    for (guint i = 0; i < 1000; i++)
      g_string_append (s, "[{\\\"");
    g_string_append (s, "\"]");
    g_assert_true (natter_json_check_depth (s->str, s->len, 4, NULL));
    node = natter_json_parse (s->str, s->len, &error);
    g_assert_no_error (error);
    g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  }

  /* Not NUL-terminated: only @len bytes are read. */
  g_assert_true (natter_json_check_depth ("[[[[", 2, 2, NULL));
  g_assert_false (natter_json_check_depth ("[[[[", 3, 2, NULL));
}

static void
test_json_clamp (void)
{
  g_autoptr(JsonNode) big = json_node_init_double (json_node_alloc (), 1e300);
  g_autoptr(JsonNode) small = json_node_init_double (json_node_alloc (), -1e300);
  g_autoptr(JsonNode) text = json_node_init_string (json_node_alloc (), "12");

  g_assert_cmpint (natter_json_clamp_int (NAN, 0, 10), ==, 0);
  g_assert_cmpint (natter_json_clamp_int (INFINITY, 0, 10), ==, 10);
  g_assert_cmpint (natter_json_clamp_int (1e300, G_MININT64, G_MAXINT64), ==, G_MAXINT64);
  g_assert_cmpint (natter_json_clamp_int (-1e300, G_MININT64, G_MAXINT64), ==, G_MININT64);
  g_assert_cmpint (natter_json_clamp_int (4294967296.0, 0, G_MAXUINT), ==, G_MAXUINT);
  g_assert_cmpint (natter_json_clamp_int (7.9, 0, 10), ==, 7);
  g_assert_cmpint (natter_json_node_get_int (big, 0), ==, G_MAXINT64);
  g_assert_cmpint (natter_json_node_get_int (small, 0), ==, G_MININT64);
  g_assert_cmpint (natter_json_node_get_int (text, -5), ==, -5);
  g_assert_cmpint (natter_json_node_get_int (NULL, -5), ==, -5);
}

/* Every dialect meets a nested error body, a nested reply and a nested
 * model list, and says what is wrong instead of overflowing its stack. */
static void
test_nested_bodies (Fixture       *f,
                    gconstpointer  data)
{
  static const struct {
    const char *provider;
    const char *suffix;
  } dialects[] = {
    { "openai", "/v1" }, { "anthropic", "" }, { "google", "" }, { "ollama", "" },
    { "koboldcpp", "" }, { "llamacpp", "" }, { "tabbyapi", "/v1" }, { "cohere", "" },
  };
  g_autofree char *deep_object = nested ("{\"error\":", DEEP, "}");
  g_autofree char *deep_array = nested ("", DEEP, "");

  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      g_autoptr(NatterProfile) profile = make_profile (f->fake, dialects[i].provider,
                                                       dialects[i].suffix, "model-test");
      Run run;

      g_test_message ("dialect of %s", dialects[i].provider);

      /* An HTTP 400 whose body nests 100,000 levels. */
      natter_fake_provider_clear_routes (f->fake);
      natter_fake_provider_add_route (f->fake, NULL, "/*",
                                      natter_fake_response_new_body (400, "application/json", deep_object));
      do_chat (f, profile, TRUE, 20000, &run);
      g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST);
      run_clear (&run);

      /* An HTTP 200 reply (no stream) nested as deep. */
      natter_fake_provider_clear_routes (f->fake);
      natter_fake_provider_add_route (f->fake, NULL, "/*",
                                      natter_fake_response_new_body (200, "application/json", deep_array));
      do_chat (f, profile, FALSE, 20000, &run);
      g_assert_nonnull (run.error);
      g_assert_nonnull (strstr (run.error->message, "nested"));
      run_clear (&run);

      /* A streamed reply whose one event nests as deep. */
      {
        g_autofree char *event = g_strconcat ("data: ", deep_array, "\n\n", NULL);
        g_autofree char *line = g_strconcat (deep_array, "\n", NULL);
        gboolean ndjson = g_str_equal (dialects[i].provider, "ollama");

        natter_fake_provider_clear_routes (f->fake);
        natter_fake_provider_add_route (f->fake, NULL, "/*",
                                        natter_fake_response_new_body (200,
                                                                       ndjson ? "application/x-ndjson" : "text/event-stream",
                                                                       ndjson ? line : event));
        do_chat (f, profile, TRUE, 20000, &run);
        g_assert_nonnull (run.error);
        run_clear (&run);
      }

      /* A model list as deep. */
      natter_fake_provider_clear_routes (f->fake);
      natter_fake_provider_add_route (f->fake, NULL, "/*",
                                      natter_fake_response_new_body (200, "application/json", deep_object));
      do_models (f, profile, &run);
      /* Providers without a list endpoint answer from the catalog. */
      if (run.error != NULL)
        g_assert_nonnull (strstr (run.error->message, "nested"));
      run_clear (&run);
    }
}

/* -------------------------------------------------------------- redirects */

static void
add_redirect (NatterFakeProvider *from,
              const char         *method,
              const char         *path,
              const char         *location)
{
  NatterFakeResponse *response = natter_fake_response_new_body (307, "text/plain", "moved");

  natter_fake_response_add_header (response, "Location", location);
  natter_fake_provider_add_route (from, method, path, response);
}

static void
assert_refused (Run                *run,
                NatterFakeProvider *other)
{
  g_autofree char *where = g_strdup_printf ("127.0.0.1:%u", natter_fake_provider_get_port (other));

  g_assert_nonnull (run->error);
  g_assert_nonnull (strstr (run->error->message, "another site"));
  g_assert_nonnull (strstr (run->error->message, where));
  g_assert_null (strstr (run->error->message, TEST_KEY));
  g_assert_cmpuint (natter_fake_provider_get_n_requests (other), ==, 0);
}

static void
test_redirect_cross_origin (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(NatterProfile) anthropic = make_profile (f->fake, "anthropic", "", "claude-test");
  g_autoptr(NatterProfile) google = make_profile (f->fake, "google", "", "gemini-test");
  g_autoptr(NatterProfile) openai = make_profile (f->fake, "openai", "/v1", "gpt-test");
  g_autofree char *models_there = g_strconcat (natter_fake_provider_get_url (f->other), "/v1/models", NULL);
  g_autofree char *anything_there = g_strconcat (natter_fake_provider_get_url (f->other), "/steal", NULL);
  Run run;

  natter_fake_provider_add_route (f->other, NULL, "/*",
                                  natter_fake_response_new_body (200, "application/json", "{\"data\":[]}"));

  /* profile test and profile models (GET, x-api-key / x-goog-api-key). */
  add_redirect (f->fake, "GET", "/v1/models", models_there);
  do_test (f, anthropic, &run);
  g_assert_false (run.ok);
  assert_refused (&run, f->other);
  run_clear (&run);

  do_models (f, anthropic, &run);
  assert_refused (&run, f->other);
  run_clear (&run);

  natter_fake_provider_clear_routes (f->fake);
  add_redirect (f->fake, NULL, "/*", anything_there);
  do_models (f, google, &run);
  assert_refused (&run, f->other);
  run_clear (&run);
  do_test (f, google, &run);
  assert_refused (&run, f->other);
  run_clear (&run);

  /* chat (POST, Authorization), streamed or not. */
  do_chat (f, openai, TRUE, 10000, &run);
  assert_refused (&run, f->other);
  run_clear (&run);
  do_chat (f, openai, FALSE, 10000, &run);
  assert_refused (&run, f->other);
  run_clear (&run);

  /* The same host on another port is another origin too. */
  g_assert_cmpuint (natter_fake_provider_get_n_requests (f->fake), >=, 6);
}

static void
test_redirect_same_origin (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(NatterProfile) anthropic = make_profile (f->fake, "anthropic", "", "claude-test");
  const NatterFakeRequest *req;
  Run run;

  add_redirect (f->fake, "GET", "/v1/models", "/moved/v1/models?limit=1000");
  natter_fake_provider_add_route (f->fake, "GET", "/moved/v1/models",
    natter_fake_response_new_body (200, "application/json",
      "{\"data\":[{\"type\":\"model\",\"id\":\"claude-a\",\"display_name\":\"A\"}],\"has_more\":false}"));
  do_models (f, anthropic, &run);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.models->len, ==, 1);
  req = natter_fake_provider_get_request (f->fake, natter_fake_provider_get_n_requests (f->fake) - 1);
  g_assert_cmpstr (req->path, ==, "/moved/v1/models");
  g_assert_cmpstr (soup_message_headers_get_one (req->headers, "x-api-key"), ==, TEST_KEY);
  run_clear (&run);

  /* A loop ends with an error, not forever. */
  natter_fake_provider_clear_routes (f->fake);
  add_redirect (f->fake, "GET", "/v1/models", "/v1/models");
  do_models (f, anthropic, &run);
  g_assert_nonnull (run.error);
  g_assert_nonnull (strstr (run.error->message, "more than 5 times"));
  run_clear (&run);
}

/* ---------------------------------------------------------- endless reply */

static gint64
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + 6, NULL, 10);
}

static void
test_endless_stream (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f->fake, "openai", "/v1", "gpt-test");
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  NatterLogEntry *entry;
  gint64 before, after;
  Run run;

  /* About 4 GiB of text a hundred bytes at a time: endless for a test. */
  natter_fake_response_add_repeat (response,
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"all work and no play makes a dull reply, "
    "all work and no play makes a dull reply. \"}}]}\n\n", 40u * 1000 * 1000);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", response);

  before = rss_kib ();
  do_chat (f, profile, TRUE, 60000, &run);
  after = rss_kib ();
  g_test_message ("RSS before %" G_GINT64_FORMAT " KiB, after %" G_GINT64_FORMAT " KiB", before, after);

  g_assert_nonnull (run.error);
  g_assert_nonnull (strstr (run.error->message, "4 MiB"));
  /* What arrived up to the cap was passed on, whole characters only. */
  g_assert_cmpuint (run.text->len, >, NATTER_REPLY_DEFAULT_MAX_SIZE - 200);
  g_assert_cmpuint (run.text->len, <=, NATTER_REPLY_DEFAULT_MAX_SIZE);
  g_assert_true (g_utf8_validate (run.text->str, run.text->len, NULL));
  g_assert_cmpint (after - before, <, 96 * 1024);

  entry = natter_request_log_get_last (f->log);
  g_assert_nonnull (entry);
  g_assert_cmpuint (strlen (natter_log_entry_get_text (entry)), <=, NATTER_REQUEST_LOG_TEXT_CAP);
  run_clear (&run);

  /* The cap is a setting of the connection. */
  natter_profile_set_settings (profile, "{\"max_reply_mib\": 1}");
  do_chat (f, profile, TRUE, 60000, &run);
  g_assert_nonnull (run.error);
  g_assert_nonnull (strstr (run.error->message, "1 MiB"));
  g_assert_cmpuint (run.text->len, <=, 1024 * 1024);
  run_clear (&run);
}

/* ---------------------------------------------------------------- UTF-8 */

static void
test_utf8_repair (void)
{
  static const char * const samples[] = {
    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 ok",
    "bad \xff byte, cut \xe2\x82 then \xc3",
    "\xed\xa0\x80 surrogate, \xc0\xaf overlong, \xf4\x90\x80\x80 too big, nul \0 end",
    "\xe2\x82\xac\xe2\x82",
  };
  const gsize lengths[] = { 0, 0, 80, 5 };

  for (guint s = 0; s < G_N_ELEMENTS (samples); s++)
    {
      gsize len = lengths[s] ? lengths[s] : strlen (samples[s]);
      g_autofree char *expected = g_utf8_make_valid (samples[s], len);

      /* Cut once anywhere, and cut into single bytes. */
      for (gsize cut = 0; cut <= len; cut++)
        {
          NatterUtf8Carry carry = { 0 };
          g_autoptr(GString) out = g_string_new (NULL);

          natter_utf8_repair_append (&carry, samples[s], cut, out);
          natter_utf8_repair_append (&carry, samples[s] + cut, len - cut, out);
          natter_utf8_repair_finish (&carry, out);
          g_assert_cmpstr (out->str, ==, expected);
        }
      {
        NatterUtf8Carry carry = { 0 };
        g_autoptr(GString) out = g_string_new (NULL);

        for (gsize i = 0; i < len; i++)
          natter_utf8_repair_append (&carry, samples[s] + i, 1, out);
        natter_utf8_repair_finish (&carry, out);
        g_assert_cmpstr (out->str, ==, expected);
      }
    }

  /* Random bytes, random cuts. */
  for (guint round = 0; round < 2000; round++)
    {
      guint8 bytes[24];
      NatterUtf8Carry carry = { 0 };
      g_autoptr(GString) out = g_string_new (NULL);
      g_autofree char *expected = NULL;
      gsize at = 0;

      for (guint i = 0; i < sizeof bytes; i++)
        bytes[i] = g_test_rand_int_range (0, 6) == 0 ? 'a' : (guint8) g_test_rand_int_range (0x7e, 0x100);
      expected = g_utf8_make_valid ((const char *) bytes, sizeof bytes);
      while (at < sizeof bytes)
        {
          gsize want = (gsize) g_test_rand_int_range (0, 6);
          gsize n = MIN (want, sizeof bytes - at);

          natter_utf8_repair_append (&carry, (const char *) bytes + at, n, out);
          at += n;
        }
      natter_utf8_repair_finish (&carry, out);
      g_assert_cmpstr (out->str, ==, expected);
    }
}

static char *
sse_event (const char *content)
{
  return g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"}}]}\n\n", content);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  natter_conversation_send_finish (NATTER_CONVERSATION (object), result, NULL, &run->error);
  run->done = TRUE;
}

/* Invalid bytes and a character cut between two events, streamed into a
 * chat: stored as valid text, exported, imported back unchanged. */
static void
test_utf8_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = make_profile (f->fake, "openai", "/v1", "gpt-test");
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  const char *parts[] = { "caf\xc3", "\xa9 \xff ok \xe2\x82", "\xac end \xe2\x82" };
  const char *expected = "caf\xc3\xa9 \xef\xbf\xbd ok \xe2\x82\xac end \xef\xbf\xbd\xef\xbf\xbd";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *exported = NULL;
  NatterChatMessage *reply;
  gint64 chat_id, imported;
  gsize len;
  Run run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *event = sse_event (parts[i]);
      natter_fake_response_add_chunk (response, event, -1, 0);
    }
  natter_fake_response_add_chunk (response,
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", response);

  chat_id = natter_conversation_new_chat (f->conv, 0, "UTF-8", &error);
  g_assert_no_error (error);
  run.text = g_string_new (NULL);
  natter_conversation_send_async (f->conv, chat_id, profile, "Hi", NULL, run_on_delta, &run,
                                  NULL, send_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.text->str, ==, expected);

  messages = natter_chat_store_page_messages (f->store, chat_id, -1, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 2);
  reply = g_ptr_array_index (messages, 1);
  g_assert_cmpstr (natter_chat_message_get_content (reply), ==, expected);

  exported = natter_st_chat_export_data (f->store, chat_id, &len, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (exported, len, NULL));
  imported = natter_st_chat_import_data (f->store, exported, len, 0, NULL, &error);
  g_assert_no_error (error);
  again = natter_chat_store_page_messages (f->store, imported, -1, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 2);
  g_assert_cmpstr (natter_chat_message_get_content (g_ptr_array_index (again, 1)), ==, expected);
  run_clear (&run);
}

/* --------------------------------------------------------------- ReDoS */

static void
test_redos_keys (void)
{
  g_autoptr(NatterLorebook) book = natter_lorebook_new ();
  g_autoptr(GString) json = g_string_new ("{\"entries\":{");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_autofree char *history0 = g_strnfill (40, 'a');
  g_autofree char *history1 = g_strconcat (history0, "!", NULL);
  const char *history[] = { history1, "the dragon sleeps" };
  gboolean timed_out = FALSE;
  gint64 start, elapsed;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (json, "%s\"%u\":{\"uid\":%u,\"key\":[\"/(a+)+$/\"],\"content\":\"slow %u\"}",
                            i ? "," : "", i, i, i);
  g_string_append (json, ",\"200\":{\"uid\":200,\"key\":[\"dragon\"],\"content\":\"Dragons.\"}}}");
  g_assert_true (natter_lorebook_add_book_json (book, json->str, &error));
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  active = natter_lorebook_activate_full (book, history, G_N_ELEMENTS (history), 0, &timed_out);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("200 catastrophic keys: %" G_GINT64_FORMAT " ms, time budget %s",
                  elapsed / 1000, timed_out ? "hit" : "not hit");
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
  /* The plain key still works. */
  g_assert_cmpuint (active->len, >=, 1);
  g_assert_cmpstr (((NatterLoreEntry *) g_ptr_array_index (active, active->len - 1))->content, ==, "Dragons.");

  /* The whole prompt, as a chat with that book assembles it. */
  {
    g_autoptr(NatterPromptBuilder) builder = natter_prompt_builder_new ();
    g_autoptr(NatterPromptResult) result = NULL;
    g_autoptr(JsonNode) node = natter_json_parse (json->str, -1, NULL);

    natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, history1);
    natter_prompt_builder_add_message (builder, NATTER_ROLE_ASSISTANT, NULL, "the dragon sleeps");
    g_assert_true (natter_prompt_builder_add_lorebook (builder, json_node_get_object (node), NULL));
    start = g_get_monotonic_time ();
    result = natter_prompt_builder_build (builder, &error);
    elapsed = g_get_monotonic_time () - start;
    g_assert_no_error (error);
    g_test_message ("prompt assembly with them: %" G_GINT64_FORMAT " ms", elapsed / 1000);
    g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
  }

  /* Ten times as many: the time budget stops them, and says so. */
  {
    g_autoptr(NatterLorebook) many = natter_lorebook_new ();
    g_autoptr(GString) big = g_string_new ("{\"entries\":{");
    g_autoptr(GPtrArray) hits = NULL;

    for (guint i = 0; i < 2000; i++)
      g_string_append_printf (big, "%s\"%u\":{\"uid\":%u,\"key\":[\"/(a+)+$/\"],\"content\":\"slow\"}",
                              i ? "," : "", i, i);
    g_string_append (big, "}}");
    g_assert_true (natter_lorebook_add_book_json (many, big->str, NULL));
    start = g_get_monotonic_time ();
    hits = natter_lorebook_activate_full (many, history, G_N_ELEMENTS (history), 0, &timed_out);
    elapsed = g_get_monotonic_time () - start;
    g_test_message ("2000 catastrophic keys: %" G_GINT64_FORMAT " ms, time budget %s",
                    elapsed / 1000, timed_out ? "hit" : "not hit");
    g_assert_true (timed_out);
    g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
  }

  /* The next prompt loads the book again: nothing is compiled again. */
  {
    g_autoptr(NatterLorebook) again = natter_lorebook_new ();
    guint compiled = natter_lore_regex_get_n_compiled ();

    g_assert_true (natter_lorebook_add_book_json (again, json->str, NULL));
    g_assert_cmpuint (natter_lore_regex_get_n_compiled (), ==, compiled);
  }
}

/* -------------------------------------------------------------- files */

static void
test_jsonl_hostile (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *deep = nested ("", DEEP, "\n");
  g_autofree char *path = g_build_filename (f->tmpdir, "deep.jsonl", NULL);
  g_autofree char *long_path = g_build_filename (f->tmpdir, "long.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_true (g_file_set_contents (path, deep, -1, NULL));
  id = natter_st_chat_import_file (f->store, path, 0, NULL, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Line 1"));
  g_assert_nonnull (strstr (error->message, "nested"));
  g_clear_error (&error);

  /* A line past the cap: refused before it is copied. */
  {
    FILE *file = fopen (long_path, "w");
    g_autofree char *block = g_strnfill (1024 * 1024, 'x');

    g_assert_nonnull (file);
    fputs ("{\"user_name\":\"You\",\"character_name\":\"Bot\"}\n{\"mes\":\"", file);
    for (guint i = 0; i < NATTER_ST_CHAT_MAX_LINE / (1024 * 1024) + 1; i++)
      fputs (block, file);
    fputs ("\"}\n", file);
    fclose (file);
  }
  id = natter_st_chat_import_file (f->store, long_path, 0, NULL, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Line 2"));
  g_assert_nonnull (strstr (error->message, "longer than 16 MiB"));
  g_clear_error (&error);

  /* No data at all, not even a pointer. */
  id = natter_st_chat_import_data (f->store, NULL, 0, 0, NULL, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_EMPTY);
  g_clear_error (&error);

  /* A number past a double's range would export as "inf", which is not
   * JSON: refused on import. */
  id = natter_st_chat_import_data (f->store,
                                   "{\"user_name\":\"You\",\"character_name\":\"Bot\"}\n"
                                   "{\"name\":\"You\",\"is_user\":true,\"mes\":\"hi\",\"extra\":{\"x\":[1e+700]}}\n",
                                   -1, 0, NULL, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Line 2"));
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);

  /* Huge dates are clamped, not undefined. */
  id = natter_st_chat_import_data (f->store,
                                   "{\"user_name\":\"You\",\"character_name\":\"Bot\"}\n"
                                   "{\"name\":\"You\",\"is_user\":true,\"mes\":\"hi\",\"send_date\":1e300}\n",
                                   -1, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
}

static void
test_card_nested (void)
{
  g_autofree char *deep = nested ("{\"spec\":\"chara_card_v2\",\"data\":", 60000, "}");
  g_autoptr(GBytes) bytes = g_bytes_new (deep, strlen (deep));
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = natter_card_load_bytes (bytes, NULL, &error);

  g_assert_null (card);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "nested"));
}

static void
test_charx_too_many_entries (void)
{
  struct archive *a = archive_write_new ();
  g_autoptr(GByteArray) zip = g_byte_array_sized_new (8 * 1024 * 1024);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = NULL;
  gsize size = 0, capacity = 32 * 1024 * 1024;
  guint8 *buffer = g_malloc (capacity);
  const char *card_json = "{\"spec\":\"chara_card_v3\",\"spec_version\":\"3.0\",\"data\":{\"name\":\"Z\"}}";

  archive_write_set_format_zip (a);
  archive_write_zip_set_compression_store (a);
  g_assert_cmpint (archive_write_open_memory (a, buffer, capacity, &size), ==, ARCHIVE_OK);
  for (guint i = 0; i < 100000; i++)
    {
      struct archive_entry *e = archive_entry_new ();
      char name[32];

      g_snprintf (name, sizeof name, "x/%u", i);
      archive_entry_set_pathname (e, name);
      archive_entry_set_filetype (e, AE_IFREG);
      archive_entry_set_perm (e, 0644);
      archive_entry_set_size (e, 0);
      g_assert_cmpint (archive_write_header (a, e), ==, ARCHIVE_OK);
      archive_entry_free (e);
    }
  {
    struct archive_entry *e = archive_entry_new ();

    archive_entry_set_pathname (e, "card.json");
    archive_entry_set_filetype (e, AE_IFREG);
    archive_entry_set_perm (e, 0644);
    archive_entry_set_size (e, strlen (card_json));
    g_assert_cmpint (archive_write_header (a, e), ==, ARCHIVE_OK);
    archive_write_data (a, card_json, strlen (card_json));
    archive_entry_free (e);
  }
  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);

  bytes = g_bytes_new_take (buffer, size);
  card = natter_card_load_bytes (bytes, NULL, &error);
  g_assert_null (card);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "too many"));
  g_assert_null (strstr (error->message, "no card.json"));
}

/* ---------------------------------------------------------- plain http */

static void
test_cleartext_url (void)
{
  const char *public[] = {
    "http://api.example.com/v1", "http://8.8.8.8:8080", "http://[2001:db8::1]/", "http://Example.COM.", "http://[::ffff:8.8.8.8]/",
  };
  const char *private[] = {
    "https://api.example.com/v1", "http://localhost:11434", "http://127.0.0.1:8080",
    "http://[::1]:5000", "http://10.1.2.3", "http://172.20.0.5", "http://192.168.1.20:5001",
    "http://169.254.1.1", "http://100.100.1.1", "http://[fd12:3456::1]/", "http://[::ffff:127.0.0.1]:8080", "http://gpubox:8080",
    "http://gpubox.local:5000", "http://llm.lan", "http://llm.home.arpa", "not a url", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (public); i++)
    g_assert_true (natter_transport_url_is_cleartext_public (public[i]));
  for (guint i = 0; i < G_N_ELEMENTS (private); i++)
    g_assert_false (natter_transport_url_is_cleartext_public (private[i]));
  g_assert_false (natter_transport_url_is_cleartext_public (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/natter/hardening/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/natter/hardening/json-depth", test_json_depth);
  g_test_add_func ("/natter/hardening/json-clamp", test_json_clamp);
  g_test_add_func ("/natter/hardening/utf8-repair", test_utf8_repair);
  g_test_add_func ("/natter/hardening/redos-keys", test_redos_keys);
  g_test_add_func ("/natter/hardening/card-nested", test_card_nested);
  g_test_add_func ("/natter/hardening/charx-too-many-entries", test_charx_too_many_entries);
  g_test_add_func ("/natter/hardening/cleartext-url", test_cleartext_url);
  ADD ("nested-bodies", test_nested_bodies);
  ADD ("redirect-cross-origin", test_redirect_cross_origin);
  ADD ("redirect-same-origin", test_redirect_same_origin);
  ADD ("endless-stream", test_endless_stream);
  ADD ("utf8-round-trip", test_utf8_round_trip);
  ADD ("jsonl-hostile", test_jsonl_hostile);

#undef ADD

  return g_test_run ();
}
