/* bench-store.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Store benchmark: prints figures, never fails on wall time.
 *
 *   import 1,000 cards (one transaction each, as an import does)
 *   open the last page of a 10,000-message chat (fresh connection)
 *   full-text query over 1,000,000 messages (p50/p95 of 50 queries)
 *   append to a 100,000-message chat (mean/p99 of 1,000 appends)
 *
 * NATTER_BENCH_MESSAGES scales the corpus down for a quick run. */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "natter-chat-store.h"

#define N_CARDS         1000
#define BIG_CHAT        100000
#define MEDIUM_CHAT     10000
#define N_QUERIES       50
#define N_APPENDS       1000
#define VOCABULARY      6000

static const char * const syllables[] = {
  "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "an", "el", "or",
  "un", "ba", "da", "fi", "go", "hu", "ja", "po", "qui", "ry", "sto", "wen",
};

static GPtrArray *words;

static void
make_vocabulary (void)
{
  guint n = G_N_ELEMENTS (syllables);

  words = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; words->len < VOCABULARY; i++)
    {
      guint a = i % n, b = (i / n) % n, c = i / (n * n);
      char *w = c == 0 ? g_strconcat (syllables[a], syllables[b], NULL)
                       : g_strconcat (syllables[a], syllables[b], syllables[c % n], NULL);
      g_ptr_array_add (words, w);
    }
}

/* Roughly Zipf: a few words are everywhere, most are rare. */
static const char *
random_word (GRand *rand)
{
  double u = g_rand_double (rand);
  guint rank = (guint) floor (exp (u * log ((double) VOCABULARY))) - 1;

  return words->pdata[MIN (rank, VOCABULARY - 1)];
}

static void
random_sentence (GRand   *rand,
                 GString *out)
{
  int n = g_rand_int_range (rand, 6, 25);

  g_string_truncate (out, 0);
  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, random_word (rand));
    }
  g_string_append_c (out, '.');
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  guint i;

  g_array_sort (values, compare_doubles);
  i = (guint) ceil (p / 100.0 * values->len) - 1;

  return g_array_index (values, double, MIN (i, values->len - 1));
}

static void
check (gboolean    ok,
       GError     *error,
       const char *what)
{
  if (!ok)
    {
      g_printerr ("bench-store: %s: %s\n", what, error ? error->message : "failed");
      exit (1);
    }
}

/* Fills @chat with @n messages in one transaction through prepared
 * statements (the search triggers included): setting up, not measured. */
static void
fill_chat (NatterDatabase *db,
           gint64          chat,
           gint64          n,
           GRand          *rand,
           GString        *text)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *handle = natter_database_get_handle (db);
  sqlite3_stmt *msg = natter_database_prepare (db,
    "INSERT INTO messages (chat_id, position, role, name, created_at) VALUES (?1, ?2, ?3, ?4, ?5)", &error);
  sqlite3_stmt *swipe = natter_database_prepare (db,
    "INSERT INTO swipes (message_id, idx, content, created_at) VALUES (?1, 0, ?2, ?3)", &error);

  check (msg && swipe, error, "prepare");
  for (gint64 i = 0; i < n; i++)
    {
      random_sentence (rand, text);
      sqlite3_reset (msg);
      sqlite3_bind_int64 (msg, 1, chat);
      sqlite3_bind_int64 (msg, 2, i);
      sqlite3_bind_text (msg, 3, i % 2 ? "assistant" : "user", -1, SQLITE_STATIC);
      sqlite3_bind_text (msg, 4, i % 2 ? "Bot" : "User", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (msg, 5, 1700000000 + i);
      check (sqlite3_step (msg) == SQLITE_DONE, NULL, sqlite3_errmsg (handle));
      sqlite3_reset (swipe);
      sqlite3_bind_int64 (swipe, 1, sqlite3_last_insert_rowid (handle));
      sqlite3_bind_text (swipe, 2, text->str, text->len, SQLITE_STATIC);
      sqlite3_bind_int64 (swipe, 3, 1700000000 + i);
      check (sqlite3_step (swipe) == SQLITE_DONE, NULL, sqlite3_errmsg (handle));
    }
  sqlite3_reset (msg);
  sqlite3_reset (swipe);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) query_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) append_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = g_dir_make_tmp ("natter-bench-XXXXXX", &error);
  g_autofree char *path = NULL;
  NatterDatabase *db;
  NatterChatStore *store;
  const char *env = g_getenv ("NATTER_BENCH_MESSAGES");
  gint64 total = env ? g_ascii_strtoll (env, NULL, 10) : 1000000;
  gint64 medium_chat, big_chat, filled = 0;
  double import_ms, build_s, open_ms, page_ms, append_mean = 0;
  guint64 hits_total = 0;
  GStatBuf st;
  gint64 start;

  check (dir != NULL, error, "temporary directory");
  path = g_build_filename (dir, "bench.db", NULL);
  total = MAX (total, BIG_CHAT + MEDIUM_CHAT);
  make_vocabulary ();

  db = natter_database_open (path, &error);
  check (db != NULL, error, "open");
  store = natter_chat_store_new (db);

  /* 1. Cards. */
  start = g_get_monotonic_time ();
  for (int i = 0; i < N_CARDS; i++)
    {
      g_autofree char *card = NULL;
      g_autofree char *name = g_strdup_printf ("Character %d", i);

      random_sentence (rand, text);
      card = g_strdup_printf ("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{"
                              "\"name\":\"%s\",\"description\":\"%s %s %s %s\",\"personality\":\"%s\","
                              "\"scenario\":\"%s\",\"first_mes\":\"%s\",\"mes_example\":\"\","
                              "\"alternate_greetings\":[\"%s\"],\"tags\":[\"bench\"],"
                              "\"extensions\":{\"depth_prompt\":{\"depth\":4,\"prompt\":\"\"}}}}",
                              name, text->str, text->str, text->str, text->str, text->str,
                              text->str, text->str, text->str);
      check (natter_chat_store_add_character (store, NULL, card, NULL, &error) > 0, error, "add card");
    }
  import_ms = ms_since (start);

  /* The corpus: a 10,000-message chat, a 100,000-message chat and more
   * 10,000-message chats up to @total messages. */
  g_printerr ("bench-store: building %" G_GINT64_FORMAT " messages...\n", total);
  start = g_get_monotonic_time ();
  check (natter_database_begin (db, &error), error, "begin");
  medium_chat = natter_chat_store_new_chat (store, 0, "Medium", &error);
  fill_chat (db, medium_chat, MEDIUM_CHAT, rand, text);
  big_chat = natter_chat_store_new_chat (store, 0, "Big", &error);
  fill_chat (db, big_chat, BIG_CHAT, rand, text);
  filled = MEDIUM_CHAT + BIG_CHAT;
  for (int c = 0; filled < total; c++)
    {
      g_autofree char *title = g_strdup_printf ("Chat %d", c);
      gint64 chat = natter_chat_store_new_chat (store, 0, title, &error);
      gint64 n = MIN (MEDIUM_CHAT, total - filled);

      check (chat > 0, error, "new chat");
      fill_chat (db, chat, n, rand, text);
      filled += n;
    }
  check (natter_database_commit (db, &error), error, "commit");
  build_s = ms_since (start) / 1000.0;
  natter_database_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);

  g_object_unref (store);
  g_object_unref (db);

  /* 2. Open the last page of the 10,000-message chat on a new connection. */
  start = g_get_monotonic_time ();
  db = natter_database_open (path, &error);
  check (db != NULL, error, "reopen");
  store = natter_chat_store_new (db);
  open_ms = ms_since (start);
  start = g_get_monotonic_time ();
  {
    g_autoptr(GPtrArray) page = natter_chat_store_page_messages (store, medium_chat, -1, 50, &error);
    check (page != NULL && page->len == 50, error, "page");
  }
  page_ms = ms_since (start);

  /* 3. Full-text queries: single words of every frequency and pairs. */
  for (int q = 0; q < N_QUERIES; q++)
    {
      g_autofree char *query = NULL;
      g_autoptr(GPtrArray) hits = NULL;

      if (q % 3 == 2)
        query = g_strdup_printf ("%s %s", random_word (rand), random_word (rand));
      else
        query = g_strdup (words->pdata[g_rand_int_range (rand, 0, VOCABULARY)]);

      start = g_get_monotonic_time ();
      hits = natter_chat_store_search (store, query, 20, &error);
      check (hits != NULL, error, "search");
      {
        double ms = ms_since (start);
        g_array_append_val (query_ms, ms);
      }
      hits_total += hits->len;
    }

  /* 4. Appends to the 100,000-message chat. */
  for (int i = 0; i < N_APPENDS; i++)
    {
      double ms;

      random_sentence (rand, text);
      start = g_get_monotonic_time ();
      check (natter_chat_store_append_message (store, big_chat, NATTER_ROLE_USER, "User",
                                               text->str, &error) > 0, error, "append");
      ms = ms_since (start);
      append_mean += ms / N_APPENDS;
      g_array_append_val (append_ms, ms);
    }

  g_stat (path, &st);

  printf ("\nNatter store benchmark (SQLite %s, %" G_GINT64_FORMAT " messages, database %.0f MB,"
          " corpus built in %.1f s)\n\n", sqlite3_libversion (), filled + N_APPENDS,
          st.st_size / 1e6, build_s);
  {
    g_autofree char *fts_p50 = g_strdup_printf ("FTS query over %" G_GINT64_FORMAT " messages, p50", filled);
    g_autofree char *fts_p95 = g_strdup_printf ("FTS query, p95 (%d queries, %" G_GUINT64_FORMAT " hits)",
                                                N_QUERIES, hits_total);
    g_autofree char *cards = g_strdup_printf ("import %d cards (total)", N_CARDS);
    g_autofree char *p99 = g_strdup_printf ("append, p99 (%d appends)", N_APPENDS);
#define ROW "| %-46s | %10.3f ms | %-8s |\n"

    printf ("| %-46s | %13s | %-8s |\n", "what", "figure", "target");
    printf ("|------------------------------------------------|---------------|----------|\n");
    printf (ROW, cards, import_ms, "");
    printf (ROW, "open database after a clean close (new conn.)", open_ms, "");
    printf (ROW, "last page (50) of a 10,000-message chat", page_ms, "< 50 ms");
    printf (ROW, fts_p50, percentile (query_ms, 50), "< 50 ms");
    printf (ROW, fts_p95, percentile (query_ms, 95), "");
    printf (ROW, "append to a 100,000-message chat, mean", append_mean, "< 2 ms");
    printf (ROW, p99, percentile (append_ms, 99), "");
#undef ROW
  }

  g_object_unref (store);
  g_object_unref (db);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (dir);
  }

  return 0;
}
