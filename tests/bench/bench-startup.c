/* bench-startup.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Store benchmarks, run by build-aux/bench-startup.sh. Prints figures,
 * never fails on time.
 *
 *   bench-startup generate PATH [CHATS] [PER_CHAT]
 *       writes a store of CHATS × PER_CHAT messages (default 100 × 10,000)
 *   bench-startup open PATH
 *       what opening the newest chat asks of the store, call by call
 *   bench-startup settle PATH
 *       opens the store and waits for a pending search index check
 *   bench-startup search PATH
 *       search latency off the main thread while the main loop runs, the
 *       longest main-loop gap meanwhile, and the same searches run on the
 *       calling thread for comparison */

#include "config.h"

#include <string.h>

#include "natter-chat-store.h"
#include "natter-database-private.h"

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-startup: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_printerr ("bench-startup: %s: %s\n", sql, message);
      exit (1);
    }
}

/* Some 2,000 characters of varied prose: messages are windows into it. */
static const char prose[] =
  "The caravan left the salt flats before dawn, its lanterns swinging like slow stars. "
  "Mira counted the camels twice, because the merchant from Qadir had sworn there were "
  "eleven and she saw only ten. Somewhere behind them the old watchtower leaned into the wind, "
  "its bell silent since the floods. \"We keep to the river road,\" said Tomas, checking the map "
  "that had been folded so many times the creases had become roads of their own. The scholar "
  "wanted to know why the river ran north here when every other river in the province ran "
  "south, and nobody had an answer that satisfied her. By noon the heat pressed down on the "
  "wagons and the drivers sang to keep awake: songs about harbour girls, lost rings, a king who "
  "traded his crown for a fiddle. In the evening they reached the orchard where the monks grew "
  "quinces and bitter oranges, and the abbot gave them bread, olives and a warning about the "
  "pass. Travellers had vanished there, he said, though whether to bandits, storms or their "
  "own foolishness he could not say. Mira asked about the carvings on the chapel door: spirals, "
  "a ship with three masts, a woman holding a lamp over deep water. The abbot smiled and said "
  "the carver had been a sailor before he was a monk, and a liar before he was a sailor. "
  "They slept in the hayloft. At midnight the youngest driver woke everyone, certain he had "
  "heard hooves on the road, but it was only rain on the tiles and the horses shifting in "
  "their stalls. In the morning the pass was white with fog, and they went up into it anyway, "
  "because the letters they carried would not wait, and because turning back had never been "
  "a habit of theirs. Halfway up, the fog thinned, and far below they saw the whole valley "
  "laid out like a quilt: fields of barley, the silver thread of the river, the orchard, and "
  "the small grey chapel with its stubborn bell. ";

static void
generate (const char *path,
          int         chats,
          int         per_chat)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GString) triggers = g_string_new (NULL);
  g_autofree char *sql = NULL;
  char *quoted = NULL;
  NatterDatabase *db;
  sqlite3 *raw;
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 total = (gint64) chats * per_chat;

  /* The schema as Natter writes it. */
  db = natter_database_open (path, &error);
  if (db == NULL)
    die ("open", error);
  g_object_unref (db);

  if (sqlite3_open (path, &raw) != SQLITE_OK)
    die ("open", NULL);
  raw_exec (raw, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;");

  /* Bulk rows without the search triggers; the index is built once at the end. */
  if (sqlite3_prepare_v2 (raw, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'swipes'",
                          -1, &stmt, NULL) != SQLITE_OK)
    die ("triggers", NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (triggers, "%s;\n", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  raw_exec (raw, "BEGIN");
  raw_exec (raw, "DROP TRIGGER swipes_fts_insert; DROP TRIGGER swipes_fts_delete; DROP TRIGGER swipes_fts_update;");

  sql = g_strdup_printf ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10)"
                         " INSERT INTO characters (id, name, card_json, created_at, updated_at)"
                         " SELECT i, 'Character ' || i, json_object('name', 'Character ' || i), %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " FROM n",
                         now, now);
  raw_exec (raw, sql);
  g_free (sql);

  sql = g_strdup_printf ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
                         " INSERT INTO chats (id, character_id, title, created_at, updated_at)"
                         " SELECT i, (i %% 10) + 1, 'Long chat ' || i, %" G_GINT64_FORMAT " - 86400 + i, %" G_GINT64_FORMAT " - 86400 + i FROM n",
                         chats, now, now);
  raw_exec (raw, sql);
  g_free (sql);

  sql = g_strdup_printf ("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %" G_GINT64_FORMAT ")"
                         " INSERT INTO messages (id, chat_id, position, role, name, created_at)"
                         " SELECT i + 1, (i / %d) + 1, i %% %d, CASE WHEN i %% 2 = 0 THEN 'user' ELSE 'assistant' END,"
                         " CASE WHEN i %% 2 = 0 THEN 'Mira' ELSE 'Narrator' END, %" G_GINT64_FORMAT " - 86400 FROM n",
                         total - 1, per_chat, per_chat, now);
  raw_exec (raw, sql);
  g_free (sql);

  /* A window of 200–600 characters into the prose, a number, and now and
   * then a rare word to search for. */
  quoted = sqlite3_mprintf ("%Q", prose);
  sql = g_strdup_printf ("INSERT INTO swipes (id, message_id, idx, content, state, created_at)"
                         " SELECT id, id, 0,"
                         "  substr(%s, 1 + (id * 37) %% 1400, 200 + (id * 13) %% 400) || ' #' || id"
                         "  || CASE WHEN id %% 997 = 0 THEN ' the wyvern returned' ELSE '' END,"
                         "  'complete', created_at FROM messages",
                         quoted);
  raw_exec (raw, sql);
  raw_exec (raw, triggers->str);
  raw_exec (raw, "COMMIT");
  g_print ("rows: %.1f s\n", g_timer_elapsed (timer, NULL));

  raw_exec (raw, "INSERT INTO swipes_fts(swipes_fts) VALUES ('rebuild')");
  g_print ("search index: %.1f s\n", g_timer_elapsed (timer, NULL));
  raw_exec (raw, "PRAGMA journal_mode = WAL");
  sqlite3_close (raw);
  sqlite3_free (quoted);

  /* Opened once by Natter: checked (written by another program) and then
   * closed cleanly, as after any run of the app. */
  db = natter_database_open (path, &error);
  if (db == NULL)
    die ("reopen", error);
  g_object_unref (db);
  g_print ("generated %" G_GINT64_FORMAT " messages in %d chats: %.1f s\n",
           total, chats, g_timer_elapsed (timer, NULL));
}

/* ---- search ------------------------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  gint64     last_tick;
  gint64     max_gap;
  gboolean   measuring;
  int        pending;
  gint64     started;
  gint64     latency;
  guint      n_hits;
} Bench;

static gboolean
on_tick (gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();

  if (b->measuring && b->last_tick != 0 && now - b->last_tick > b->max_gap)
    b->max_gap = now - b->last_tick;
  b->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void
on_search_done (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  Bench *b = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = natter_chat_store_search_finish (NATTER_CHAT_STORE (object), result, &error);

  if (hits != NULL)
    {
      b->latency = g_get_monotonic_time () - b->started;
      b->n_hits = hits->len;
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    die ("search", error);

  if (--b->pending == 0)
    g_main_loop_quit (b->loop);
}

static void
search (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = natter_database_open (path, &error);
  g_autoptr(NatterChatStore) store = NULL;
  const char *queries[] = { "wyvern", "caravan", "quinces bitter", "harbour", "the", "nothing-matches" };
  /* Typing "wyvern" a key at a time, a key every 120 ms: each keystroke
   * cancels the search before it. */
  const char *typed[] = { "w", "wy", "wyv", "wyve", "wyver", "wyvern" };
  Bench b = { 0 };
  guint tick;

  if (db == NULL)
    die ("open", error);
  store = natter_chat_store_new (db);

  /* What the sidebar costs at start-up. */
  {
    gint64 start = g_get_monotonic_time ();
    GListModel *chats = natter_chat_store_get_chats_model (store);
    gint64 chats_us = g_get_monotonic_time () - start;
    GListModel *characters;

    start = g_get_monotonic_time ();
    characters = natter_chat_store_get_characters_model (store);
    g_print ("chat list (%u chats, with previews): %.1f ms; character list (%u): %.1f ms\n",
             g_list_model_get_n_items (chats), chats_us / 1000.0,
             g_list_model_get_n_items (characters), (g_get_monotonic_time () - start) / 1000.0);
  }

  b.loop = g_main_loop_new (NULL, FALSE);
  tick = g_timeout_add (1, on_tick, &b);

  /* What the machine itself does to a 1 ms tick, for comparison. */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

    b.measuring = TRUE;
    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
    b.measuring = FALSE;
    g_print ("idle main loop for 1 s (no search): longest gap %.1f ms\n", b.max_gap / 1000.0);
  }

  g_print ("%-18s %12s %16s %14s %6s\n", "query", "on a thread", "longest main-loop", "on the caller", "hits");
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GPtrArray) hits = NULL;
      gint64 sync_start;
      gint64 sync_time;

      /* Warm: the first read of the index pages would count otherwise. */
      b.pending = 1;
      b.max_gap = 0;
      b.last_tick = 0;
      b.measuring = TRUE;
      b.started = g_get_monotonic_time ();
      natter_chat_store_search_async (store, queries[q], 50, NULL, on_search_done, &b);
      g_main_loop_run (b.loop);
      b.measuring = FALSE;

      sync_start = g_get_monotonic_time ();
      hits = natter_chat_store_search (store, queries[q], 50, &error);
      if (hits == NULL)
        die ("search", error);
      sync_time = g_get_monotonic_time () - sync_start;

      g_print ("%-18s %9.1f ms %13.1f ms %11.1f ms %6u\n", queries[q],
               b.latency / 1000.0, b.max_gap / 1000.0, sync_time / 1000.0, b.n_hits);
    }

  /* Typing. */
  {
    g_autoptr(GCancellable) cancellable = NULL;
    gint64 first = g_get_monotonic_time ();

    b.max_gap = 0;
    b.last_tick = 0;
    b.measuring = TRUE;
    b.pending = G_N_ELEMENTS (typed);
    for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
      {
        gint64 due = first + i * 120000;

        while (g_get_monotonic_time () < due)
          g_main_context_iteration (NULL, TRUE);
        if (cancellable != NULL)
          g_cancellable_cancel (cancellable);
        g_clear_object (&cancellable);
        cancellable = g_cancellable_new ();
        b.started = g_get_monotonic_time ();
        natter_chat_store_search_async (store, typed[i], 50, cancellable, on_search_done, &b);
      }
    g_main_loop_run (b.loop);
    g_print ("typing \"wyvern\" (6 keys, 120 ms apart): last result %.1f ms after the last key,"
             " longest main-loop gap %.1f ms\n", b.latency / 1000.0, b.max_gap / 1000.0);
  }

  g_source_remove (tick);
  g_main_loop_unref (b.loop);
  /* A cancelled search may still hold the store for a moment: close now,
   * as the app does at shutdown. */
  natter_database_close (db);
}

/* What opening a 10,000-message chat asks of the store. */
static void
open_chat (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = natter_database_open (path, &error);
  g_autoptr(NatterChatStore) store = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) chats = NULL;
  gint64 chat, count, position, index, start;

  if (db == NULL)
    die ("open", error);
  store = natter_chat_store_new (db);
  chats = natter_chat_store_list_chats (store, 0, &error);
  if (chats == NULL || chats->len == 0)
    die ("list", error);
  chat = natter_chat_get_id (chats->pdata[0]);

#define TIME(label, expr) \
  start = g_get_monotonic_time (); \
  expr; \
  g_print ("%-44s %8.2f ms\n", label, (g_get_monotonic_time () - start) / 1000.0)

  TIME ("get_chat", g_object_unref (natter_chat_store_get_chat (store, chat, &error)));
  TIME ("count_messages", count = natter_chat_store_count_messages (store, chat, &error));
  TIME ("position_at (the last)", position = natter_chat_store_position_at (store, chat, count - 1, &error));
  TIME ("page_messages (the last 50)", page = natter_chat_store_page_messages (store, chat, -1, 50, &error));
  TIME ("message_index (the last message)",
        index = natter_chat_store_message_index (store, natter_chat_message_get_id (page->pdata[page->len - 1]), &error));
  TIME ("message_index (the first message)",
        natter_chat_store_message_index (store, natter_chat_message_get_id (page->pdata[0]) - (count - 50), &error));
#undef TIME
  g_print ("(%" G_GINT64_FORMAT " messages, last position %" G_GINT64_FORMAT ", index %" G_GINT64_FORMAT ")\n",
           count, position, index);
  natter_database_close (db);
}

/* Opens the store, lets a pending search index check finish, closes it. */
static void
settle (const char *path)
{
  g_autoptr(GError) error = NULL;
  NatterDatabase *db = natter_database_open (path, &error);

  if (db == NULL)
    die ("open", error);
  _natter_database_wait_for_checks (db);
  g_object_unref (db);
}

int
main (int   argc,
      char *argv[])
{
  if (argc >= 3 && g_str_equal (argv[1], "generate"))
    generate (argv[2], argc > 3 ? atoi (argv[3]) : 100, argc > 4 ? atoi (argv[4]) : 10000);
  else if (argc >= 3 && g_str_equal (argv[1], "search"))
    search (argv[2]);
  else if (argc >= 3 && g_str_equal (argv[1], "settle"))
    settle (argv[2]);
  else if (argc >= 3 && g_str_equal (argv[1], "open"))
    open_chat (argv[2]);
  else
    {
      g_printerr ("usage: bench-startup generate PATH [CHATS] [PER_CHAT] | search PATH | open PATH | settle PATH\n");
      return 2;
    }

  return 0;
}
