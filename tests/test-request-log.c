/* test-request-log.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE  /* memmem */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "natter-database.h"
#include "natter-request.h"
#include "natter-request-log.h"
#include "natter-test-util.h"

#define SECRET "sk-test-0123456789abcdefSECRET"
#define URL_KEY "AIzaURLKEY987654321"

typedef struct
{
  char             *dir;
  char             *path;
  NatterDatabase   *db;
  NatterRequestLog *log;
} Fixture;

static void
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->db = natter_database_open (f->path, &error);
  g_assert_no_error (error);
  f->log = natter_request_log_new (f->db, &error);
  g_assert_no_error (error);
}

static void
fixture_close (Fixture *f)
{
  g_assert_finalize_object (f->log);
  f->log = NULL;
  g_assert_finalize_object (f->db);
  f->db = NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = natter_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "natter.db", NULL);
  fixture_open (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->log != NULL)
    fixture_close (f);
  g_free (f->path);
  natter_test_tmpdir_free (f->dir);
}

static NatterRequest *
make_request (void)
{
  NatterRequest *request;

  request = natter_request_new ("POST",
                                "https://generativelanguage.example/v1beta/models/m:stream"
                                "?alt=sse&key=" URL_KEY);
  natter_request_set_header (request, "Content-Type", "application/json");
  natter_request_set_header (request, "Authorization", "Bearer " SECRET);
  natter_request_set_secret_header (request, "X-Custom-Token", "custom-token-value-42");
  natter_request_set_body_string (request, NULL,
                                  "{\"messages\":[{\"role\":\"user\","
                                  "\"content\":\"my key is " SECRET "\"}]}");
  natter_request_freeze (request);

  return request;
}

/* Raw SQLite access, independent of the code under test. */
typedef struct
{
  sqlite3      *db;
  sqlite3_stmt *stmt;
} Row;

static void
row_open (Row        *row,
          const char *path,
          const char *sql,
          gint64      id)
{
  g_assert_cmpint (sqlite3_open_v2 (path, &row->db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (row->db, 10000);  /* the store may be writing */
  g_assert_cmpint (sqlite3_prepare_v2 (row->db, sql, -1, &row->stmt, NULL), ==, SQLITE_OK);
  if (id != 0)
    sqlite3_bind_int64 (row->stmt, 1, id);
  g_assert_cmpint (sqlite3_step (row->stmt), ==, SQLITE_ROW);
}

static void
row_close (Row *row)
{
  sqlite3_finalize (row->stmt);
  sqlite3_close (row->db);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  Row row;
  gint64 value;

  row_open (&row, path, sql, 0);
  value = sqlite3_column_int64 (row.stmt, 0);
  row_close (&row);

  return value;
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;

  return memmem (contents, len, needle, strlen (needle)) != NULL;
}

static void
test_redaction_and_row (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(NatterRequest) request = make_request ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = NULL;
  NatterLogEntry *entry;
  JsonObject *headers;
  const char *col;
  gint64 id;
  Row row;

  entry = natter_request_log_begin (f->log, request, "Work", "google", "gemini-x", SECRET);
  g_assert_nonnull (entry);
  g_assert_cmpint (natter_log_entry_get_state (entry), ==, NATTER_LOG_STATE_PENDING);
  id = natter_log_entry_get_id (entry);
  g_assert_cmpint (id, >, 0);
  g_assert_true (natter_request_log_get_last (f->log) == entry);
  g_assert_true (natter_request_log_lookup (f->log, id) == entry);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM request_log WHERE state = 'pending'"), ==, 1);

  g_usleep (2000);
  natter_request_log_response_head (f->log, entry, 200,
                                    "{\"content-type\":\"text/event-stream\"}");
  g_assert_cmpint (natter_log_entry_get_state (entry), ==, NATTER_LOG_STATE_STREAMING);
  natter_request_log_append_raw (f->log, entry, "data: {\"t\":\"Hel\"}\n\n", 19);
  natter_request_log_append_text (f->log, entry, "Hel", 3);
  natter_request_log_append_reasoning (f->log, entry, "thinking", 8);
  /* A provider echoing the key back in its stream. */
  natter_request_log_append_raw (f->log, entry, "data: {\"echo\":\"" SECRET "\"}\n\n",
                                 strlen ("data: {\"echo\":\"" SECRET "\"}\n\n"));
  natter_request_log_append_text (f->log, entry, "lo, " SECRET, 4 + strlen (SECRET));
  natter_request_log_set_usage (f->log, entry, 12, 34);
  natter_request_log_set_estimated_input_tokens (f->log, entry, 11);
  g_usleep (2000);
  natter_request_log_finish (f->log, entry, NATTER_ERROR_CATEGORY_NONE, NULL);

  g_assert_cmpint (natter_log_entry_get_state (entry), ==, NATTER_LOG_STATE_DONE);
  g_assert_cmpstr (natter_log_entry_get_text (entry), ==, "Hello, REDACTED");

  row_open (&row, f->path,
            "SELECT url, request_headers, request_body, status, response_headers, raw,"
            " raw_truncated, text, reasoning, ttfb_ms, ttft_ms, total_ms, input_tokens,"
            " output_tokens, estimated_input_tokens, error_category, error_message, state,"
            " profile, provider, model, method "
            "FROM request_log WHERE id = ?1", id);

  col = (const char *) sqlite3_column_text (row.stmt, 0);
  g_assert_nonnull (strstr (col, "key=REDACTED"));
  g_assert_nonnull (strstr (col, "alt=sse"));
  g_assert_null (strstr (col, URL_KEY));

  json_parser_load_from_data (parser, (const char *) sqlite3_column_text (row.stmt, 1), -1, &error);
  g_assert_no_error (error);
  headers = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (headers, "Authorization"), ==, "Bearer REDACTED");
  g_assert_cmpstr (json_object_get_string_member (headers, "X-Custom-Token"), ==, "REDACTED");
  g_assert_cmpstr (json_object_get_string_member (headers, "Content-Type"), ==, "application/json");

  col = (const char *) sqlite3_column_text (row.stmt, 2);
  g_assert_cmpstr (col, ==, "{\"messages\":[{\"role\":\"user\",\"content\":\"my key is REDACTED\"}]}");

  g_assert_cmpint (sqlite3_column_int (row.stmt, 3), ==, 200);
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 4), ==,
                   "{\"content-type\":\"text/event-stream\"}");
  g_assert_cmpint (sqlite3_column_bytes (row.stmt, 5), ==,
                   strlen ("data: {\"t\":\"Hel\"}\n\ndata: {\"echo\":\"REDACTED\"}\n\n"));
  g_assert_true (memcmp (sqlite3_column_blob (row.stmt, 5),
                         "data: {\"t\":\"Hel\"}\n\ndata: {\"echo\":\"REDACTED\"}\n\n",
                         sqlite3_column_bytes (row.stmt, 5)) == 0);
  g_assert_cmpint (sqlite3_column_int (row.stmt, 6), ==, 0);
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 7), ==, "Hello, REDACTED");
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 8), ==, "thinking");
  for (int c = 9; c <= 11; c++)
    {
      g_assert_cmpint (sqlite3_column_type (row.stmt, c), ==, SQLITE_INTEGER);
      g_assert_cmpint (sqlite3_column_int64 (row.stmt, c), >=, 0);
    }
  /* We slept 2 ms before the head and 2 ms before the end. */
  g_assert_cmpint (sqlite3_column_int64 (row.stmt, 9), >=, 2);
  g_assert_cmpint (sqlite3_column_int64 (row.stmt, 11), >=, 4);
  g_assert_cmpint (sqlite3_column_int64 (row.stmt, 11), >=, sqlite3_column_int64 (row.stmt, 10));
  g_assert_cmpint (sqlite3_column_int64 (row.stmt, 12), ==, 12);
  g_assert_cmpint (sqlite3_column_int64 (row.stmt, 13), ==, 34);
  g_assert_cmpint (sqlite3_column_int64 (row.stmt, 14), ==, 11);
  g_assert_cmpint (sqlite3_column_type (row.stmt, 15), ==, SQLITE_NULL);
  g_assert_cmpint (sqlite3_column_type (row.stmt, 16), ==, SQLITE_NULL);
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 17), ==, "done");
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 18), ==, "Work");
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 19), ==, "google");
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 20), ==, "gemini-x");
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 21), ==, "POST");
  row_close (&row);

  /* Nothing of the secrets anywhere in the files. */
  fixture_close (f);
  wal = g_strconcat (f->path, "-wal", NULL);
  g_assert_true (file_contains (f->path, "gemini-x"));  /* the check can see text */
  g_assert_false (file_contains (f->path, SECRET));
  g_assert_false (file_contains (f->path, URL_KEY));
  g_assert_false (file_contains (f->path, "custom-token-value-42"));
  g_assert_false (file_contains (wal, SECRET));
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(NatterRequest) request = make_request ();
  NatterLogEntry *entry;
  NatterLogEntry *cancelled;
  Row row;

  entry = natter_request_log_begin (f->log, request, "Work", "openai", "gpt", SECRET);
  natter_request_log_response_head (f->log, entry, 401, "{}");
  natter_request_log_finish (f->log, entry, NATTER_ERROR_CATEGORY_AUTH,
                             "Incorrect API key provided: " SECRET);
  /* A second finish changes nothing. */
  natter_request_log_finish (f->log, entry, NATTER_ERROR_CATEGORY_NONE, NULL);

  g_assert_cmpint (natter_log_entry_get_state (entry), ==, NATTER_LOG_STATE_ERROR);
  g_assert_cmpint (natter_log_entry_get_error_category (entry), ==, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_cmpstr (natter_log_entry_get_error_message (entry), ==,
                   "Incorrect API key provided: REDACTED");
  g_assert_cmpint (natter_log_entry_get_ttft_ms (entry), ==, -1);

  row_open (&row, f->path,
            "SELECT state, error_category, error_message, status, ttft_ms, input_tokens "
            "FROM request_log WHERE id = ?1", natter_log_entry_get_id (entry));
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 0), ==, "error");
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 1), ==, "auth");
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 2), ==,
                   "Incorrect API key provided: REDACTED");
  g_assert_cmpint (sqlite3_column_int (row.stmt, 3), ==, 401);
  g_assert_cmpint (sqlite3_column_type (row.stmt, 4), ==, SQLITE_NULL);
  g_assert_cmpint (sqlite3_column_type (row.stmt, 5), ==, SQLITE_NULL);
  row_close (&row);

  cancelled = natter_request_log_begin (f->log, request, "Work", "openai", "gpt", NULL);
  natter_request_log_append_text (f->log, cancelled, "partial", 7);
  natter_request_log_finish (f->log, cancelled, NATTER_ERROR_CATEGORY_CANCELLED, NULL);
  g_assert_cmpint (natter_log_entry_get_state (cancelled), ==, NATTER_LOG_STATE_CANCELLED);
  g_assert_true (natter_request_log_get_last (f->log) == cancelled);

  row_open (&row, f->path, "SELECT state, text, error_category FROM request_log WHERE id = ?1",
            natter_log_entry_get_id (cancelled));
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 0), ==, "cancelled");
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 1), ==, "partial");
  g_assert_cmpstr ((const char *) sqlite3_column_text (row.stmt, 2), ==, "cancelled");
  row_close (&row);

  /* Reloaded entries read back the same. */
  fixture_close (f);
  fixture_open (f);
  entry = natter_request_log_get_last (f->log);
  g_assert_cmpint (natter_log_entry_get_state (entry), ==, NATTER_LOG_STATE_CANCELLED);
  g_assert_cmpstr (natter_log_entry_get_text (entry), ==, "partial");
  entry = g_list_model_get_item (G_LIST_MODEL (f->log), 1);
  g_assert_cmpint (natter_log_entry_get_error_category (entry), ==, NATTER_ERROR_CATEGORY_AUTH);
  g_assert_cmpuint (natter_log_entry_get_status (entry), ==, 401);
  g_assert_cmpint (natter_log_entry_get_ttft_ms (entry), ==, -1);
  g_assert_cmpint (natter_log_entry_get_ttfb_ms (entry), >=, 0);
  g_object_unref (entry);
}

static void
test_raw_cap (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(NatterRequest) request = make_request ();
  g_autofree char *chunk = g_malloc (64 * 1024);
  g_autoptr(GBytes) raw = NULL;
  NatterLogEntry *entry;

  memset (chunk, 'x', 64 * 1024);
  entry = natter_request_log_begin (f->log, request, "Work", "openai", "gpt", NULL);
  for (guint i = 0; i < 48; i++)   /* 3 MiB */
    natter_request_log_append_raw (f->log, entry, chunk, 64 * 1024);
  natter_request_log_finish (f->log, entry, NATTER_ERROR_CATEGORY_NONE, NULL);

  raw = natter_log_entry_dup_raw (entry);
  g_assert_cmpuint (g_bytes_get_size (raw), ==, 2 * 1024 * 1024);
  g_assert_true (natter_log_entry_get_raw_truncated (entry));
  g_assert_cmpint (natter_log_entry_get_ttfb_ms (entry), >=, 0);

  g_assert_cmpint (query_int (f->path, "SELECT length(raw) FROM request_log"), ==, 2 * 1024 * 1024);
  g_assert_cmpint (query_int (f->path, "SELECT raw_truncated FROM request_log"), ==, 1);
}

static void
test_prune_and_reopen (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(NatterRequest) request = make_request ();
  gint64 first_id = 0;
  gint64 last_id = 0;
  gint64 previous;
  NatterLogEntry *old;

  for (guint i = 0; i < 510; i++)
    {
      g_autofree char *model = g_strdup_printf ("model-%u", i);
      NatterLogEntry *entry = natter_request_log_begin (f->log, request, "P", "openai", model, NULL);

      natter_request_log_append_text (f->log, entry, model, strlen (model));
      natter_request_log_finish (f->log, entry, NATTER_ERROR_CATEGORY_NONE, NULL);
      if (i == 0)
        first_id = natter_log_entry_get_id (entry);
      last_id = natter_log_entry_get_id (entry);
    }

  g_assert_cmpint (last_id - first_id, ==, 509);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM request_log"), ==, 500);
  g_assert_cmpint (query_int (f->path, "SELECT min(id) FROM request_log"), ==, last_id - 499);
  g_assert_cmpint (query_int (f->path, "SELECT max(id) FROM request_log"), ==, last_id);
  /* The live model stays bounded too. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), <=, 500);

  fixture_close (f);
  fixture_open (f);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->log)), ==, 300);
  g_assert_cmpint (natter_log_entry_get_id (natter_request_log_get_last (f->log)), ==, last_id);
  g_assert_cmpstr (natter_log_entry_get_model (natter_request_log_get_last (f->log)), ==, "model-509");
  previous = G_MAXINT64;
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(NatterLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (f->log), i);

      g_assert_cmpint (natter_log_entry_get_id (entry), <, previous);
      previous = natter_log_entry_get_id (entry);
    }

  /* Older than what was loaded, still in the table: found by lookup. */
  old = natter_request_log_lookup (f->log, last_id - 450);
  g_assert_nonnull (old);
  g_assert_cmpstr (natter_log_entry_get_text (old), ==, "model-59");
  /* Pruned: gone. */
  g_assert_null (natter_request_log_lookup (f->log, first_id));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *counter)
{
  (*counter)++;
}

static void
test_throttled_notify (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(NatterRequest) request = make_request ();
  NatterLogEntry *entry;
  guint text_notifies = 0;
  gboolean never = FALSE;
  gint64 start;
  double per_call_ns;

  entry = natter_request_log_begin (f->log, request, "P", "openai", "m", NULL);
  g_signal_connect (entry, "notify::text", G_CALLBACK (count_notify), &text_notifies);

  for (guint i = 0; i < 10000; i++)
    natter_request_log_append_text (f->log, entry, "tok ", 4);
  g_assert_cmpuint (text_notifies, ==, 0);

  /* One coalesced notify after the interval. */
  natter_test_wait_for (&never, 250);
  g_assert_cmpuint (text_notifies, ==, 1);
  g_assert_cmpuint (strlen (natter_log_entry_get_text (entry)), ==, 40000);

  /* The hot path, timed (a figure, not a pass/fail). */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 100000; i++)
    natter_request_log_append_text (f->log, entry, "token ", 6);
  per_call_ns = (g_get_monotonic_time () - start) * 1000.0 / 100000;
  g_test_message ("append_text: %.1f ns per call", per_call_ns);
  g_assert_cmpuint (text_notifies, ==, 1);

  natter_request_log_finish (f->log, entry, NATTER_ERROR_CATEGORY_NONE, NULL);
  g_assert_cmpuint (text_notifies, ==, 2);
  g_assert_cmpint (query_int (f->path, "SELECT length(text) FROM request_log"), ==, 640000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/natter/request-log/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("redaction-and-row", test_redaction_and_row);
  ADD ("errors", test_errors);
  ADD ("raw-cap", test_raw_cap);
  ADD ("prune-and-reopen", test_prune_and_reopen);
  ADD ("throttled-notify", test_throttled_notify);

#undef ADD

  return g_test_run ();
}
