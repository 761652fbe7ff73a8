/* test-chat-store.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "natter-chat-store.h"
#include "natter-database-private.h"
#include "natter-test-util.h"

typedef struct
{
  char            *dir;
  char            *path;
  NatterDatabase  *db;
  NatterChatStore *store;
} Fixture;

static void
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->db = natter_database_open (f->path, &error);
  g_assert_no_error (error);
  f->store = natter_chat_store_new (f->db);
}

static void
fixture_close (Fixture *f)
{
  g_clear_object (&f->store);
  g_assert_finalize_object (f->db);
  f->db = NULL;
}

static void
fixture_setup (Fixture *f)
{
  f->dir = natter_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "natter.db", NULL);
  fixture_open (f);
}

static void
fixture_teardown (Fixture *f)
{
  if (f->db != NULL)
    fixture_close (f);
  g_free (f->path);
  natter_test_tmpdir_free (f->dir);
}

/* Every messages and swipes row as text, except the rows of @skip_message
 * (0: none), to show that a change touched nothing else. */
static char *
dump_rows (NatterDatabase *db,
           gint64          skip_message)
{
  sqlite3 *handle = natter_database_get_handle (db);
  GString *out = g_string_new (NULL);
  const char *queries[] = {
    "SELECT id, chat_id, position, role, name, created_at, swipe_index, extra FROM messages"
    " WHERE id <> ?1 ORDER BY id",
    "SELECT id, message_id, idx, content, reasoning, state, error_category, error_message,"
    " model, created_at, extra FROM swipes WHERE message_id <> ?1 ORDER BY id",
  };

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt;

      g_assert_cmpint (sqlite3_prepare_v2 (handle, queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_int64 (stmt, 1, skip_message);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            g_string_append_printf (out, "%s|", sqlite3_column_text (stmt, c) ?
                                    (const char *) sqlite3_column_text (stmt, c) : "NULL");
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
    }

  return g_string_free (out, FALSE);
}

static gint64
count_rows (NatterDatabase *db,
            const char     *sql)
{
  sqlite3_stmt *stmt;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (natter_database_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static NatterChatMessage *
get_message (Fixture *f,
             gint64   id)
{
  g_autoptr(GError) error = NULL;
  NatterChatMessage *message = natter_chat_store_get_message (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);

  return message;
}

static void
test_append_and_page (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) earlier = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *plan = NULL;
  sqlite3_stmt *stmt;
  gint64 chat;

  fixture_setup (&f);

  chat = natter_chat_store_new_chat (f.store, 0, "Paging", &error);
  g_assert_no_error (error);
  g_assert_cmpint (chat, >, 0);

  for (int i = 0; i < 25; i++)
    {
      g_autofree char *text = g_strdup_printf ("message %d", i);
      gint64 id = natter_chat_store_append_message (f.store, chat,
                                                    i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                                    i % 2 ? "Bot" : "Me", text, &error);
      g_assert_no_error (error);
      g_assert_cmpint (id, >, 0);
    }

  g_assert_cmpint (natter_chat_store_count_messages (f.store, chat, &error), ==, 25);

  page = natter_chat_store_page_messages (f.store, chat, -1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      NatterChatMessage *m = page->pdata[i];
      g_autofree char *expected = g_strdup_printf ("message %u", 15 + i);

      g_assert_cmpint (natter_chat_message_get_position (m), ==, 15 + i);
      g_assert_cmpstr (natter_chat_message_get_content (m), ==, expected);
      g_assert_cmpint (natter_chat_message_get_role (m), ==,
                       (15 + i) % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER);
      g_assert_cmpuint (natter_chat_message_get_n_swipes (m), ==, 1);
      g_assert_cmpint (natter_chat_message_get_state (m), ==, NATTER_SWIPE_STATE_COMPLETE);
    }

  earlier = natter_chat_store_page_messages (f.store, chat, 15, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (earlier->len, ==, 10);
  g_assert_cmpint (natter_chat_message_get_position (earlier->pdata[0]), ==, 5);
  g_assert_cmpint (natter_chat_message_get_position (earlier->pdata[9]), ==, 14);

  first = natter_chat_store_page_messages (f.store, chat, 5, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 5);
  g_assert_cmpstr (natter_chat_message_get_content (first->pdata[0]), ==, "message 0");
  g_assert_cmpstr (natter_chat_message_get_name (first->pdata[0]), ==, "Me");

  none = natter_chat_store_page_messages (f.store, chat, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  /* The next position comes from the index, not from a scan. */
  g_assert_cmpint (sqlite3_prepare_v2 (natter_database_get_handle (f.db),
                                       "EXPLAIN QUERY PLAN SELECT IFNULL(MAX(position), -1) + 1"
                                       " FROM messages WHERE chat_id = 1", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  plan = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  g_assert_nonnull (strstr (plan, "INDEX"));

  /* Appending to a chat that does not exist is an error, not a row. */
  g_assert_cmpint (natter_chat_store_append_message (f.store, 9999, NATTER_ROLE_USER, NULL, "x", &error), ==, 0);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);

  fixture_teardown (&f);
}

/* Where a message stands, and which message stands at an index, also
 * after messages in the middle were deleted (positions keep gaps). */
static void
test_index_and_position (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 ids[40];
  gint64 chat, other;

  fixture_setup (&f);

  chat = natter_chat_store_new_chat (f.store, 0, "Indexed", &error);
  g_assert_no_error (error);
  other = natter_chat_store_new_chat (f.store, 0, "Other", &error);
  g_assert_no_error (error);
  for (int i = 0; i < 40; i++)
    {
      g_autofree char *text = g_strdup_printf ("message %d", i);

      ids[i] = natter_chat_store_append_message (f.store, i % 3 ? chat : other, NATTER_ROLE_USER, NULL, text, &error);
      g_assert_no_error (error);
    }

  /* Chat "Indexed" holds the messages i with i % 3 != 0: 1, 2, 4, 5, 7, … */
  g_assert_cmpint (natter_chat_store_message_index (f.store, ids[1], &error), ==, 0);
  g_assert_cmpint (natter_chat_store_message_index (f.store, ids[2], &error), ==, 1);
  g_assert_cmpint (natter_chat_store_message_index (f.store, ids[4], &error), ==, 2);
  g_assert_cmpint (natter_chat_store_message_index (f.store, ids[38], &error), ==, 25);
  g_assert_cmpint (natter_chat_store_message_index (f.store, ids[3], &error), ==, 1);
  g_assert_no_error (error);

  natter_chat_store_delete_message (f.store, ids[2], &error);
  g_assert_no_error (error);
  natter_chat_store_delete_message (f.store, ids[5], &error);
  g_assert_no_error (error);
  /* Now 1, 4, 7, 8, 10, …: message 10 is fifth. */
  g_assert_cmpint (natter_chat_store_message_index (f.store, ids[10], &error), ==, 4);
  g_assert_no_error (error);
  {
    g_autoptr(NatterChatMessage) at = NULL;
    gint64 position = natter_chat_store_position_at (f.store, chat, 4, &error);
    g_autoptr(GPtrArray) page = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (position, >=, 0);
    /* The page just before that position ends with the message at 3. */
    page = natter_chat_store_page_messages (f.store, chat, position, 1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (page->len, ==, 1);
    g_assert_cmpint (natter_chat_message_get_id (page->pdata[0]), ==, ids[8]);
    at = natter_chat_store_get_message (f.store, ids[10], &error);
    g_assert_no_error (error);
    g_assert_cmpint (natter_chat_message_get_position (at), ==, position);
  }
  g_assert_cmpint (natter_chat_store_position_at (f.store, chat, 0, &error), >=, 0);
  g_assert_cmpint (natter_chat_store_position_at (f.store, chat, 24, &error), ==, -1);
  g_assert_cmpint (natter_chat_store_position_at (f.store, chat, -1, &error), ==, -1);
  g_assert_no_error (error);

  /* A message that does not exist: an error saying so. */
  g_assert_cmpint (natter_chat_store_message_index (f.store, ids[2], &error), ==, -1);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);

  fixture_teardown (&f);
}

static void
test_edit_touches_one_row (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatMessage) edited = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 chat, ids[3];

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Edit", &error);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("original %d", i);
      ids[i] = natter_chat_store_append_message (f.store, chat, NATTER_ROLE_USER, "Me", text, &error);
      g_assert_no_error (error);
    }

  before = dump_rows (f.db, ids[1]);
  g_assert_true (natter_chat_store_edit_message (f.store, ids[1], "changed", &error));
  g_assert_no_error (error);
  after = dump_rows (f.db, ids[1]);
  g_assert_cmpstr (before, ==, after);

  edited = get_message (&f, ids[1]);
  g_assert_cmpstr (natter_chat_message_get_content (edited), ==, "changed");

  g_assert_false (natter_chat_store_edit_message (f.store, 4242, "x", &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);

  fixture_teardown (&f);
}

static void
count_notify (guint *count)
{
  (*count)++;
}

static void
test_swipes (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 chat, id;
  int idx;

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Swipes", &error);
  id = natter_chat_store_append_message (f.store, chat, NATTER_ROLE_ASSISTANT, "Bot", "first answer", &error);
  g_assert_no_error (error);

  idx = natter_chat_store_add_swipe (f.store, id, "second answer", &error);
  g_assert_no_error (error);
  g_assert_cmpint (idx, ==, 1);

  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpstr (natter_chat_message_get_content (m), ==, "second answer");
    g_assert_cmpuint (natter_chat_message_get_n_swipes (m), ==, 2);
    g_assert_cmpuint (natter_chat_message_get_swipe_index (m), ==, 1);
  }

  /* Editing changes only the selected swipe. */
  g_assert_true (natter_chat_store_edit_message (f.store, id, "second, edited", &error));
  g_assert_true (natter_chat_store_select_swipe (f.store, id, 0, &error));
  g_assert_no_error (error);
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpstr (natter_chat_message_get_content (m), ==, "first answer");
    g_assert_cmpuint (natter_chat_message_get_swipe_index (m), ==, 0);
  }
  g_assert_true (natter_chat_store_select_swipe (f.store, id, 1, &error));
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpstr (natter_chat_message_get_content (m), ==, "second, edited");
  }

  /* A message held by the UI follows the store and says what changed. */
  {
    g_autoptr(NatterChatMessage) held = get_message (&f, id);
    guint notified = 0;

    g_signal_connect_swapped (held, "notify::content", G_CALLBACK (count_notify), &notified);
    g_signal_connect_swapped (held, "notify::swipe-index", G_CALLBACK (count_notify), &notified);
    g_signal_connect_swapped (held, "notify::name", G_CALLBACK (count_notify), &notified);
    g_assert_true (natter_chat_store_select_swipe (f.store, id, 0, &error));
    g_assert_true (natter_chat_store_refresh_message (f.store, held, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (natter_chat_message_get_content (held), ==, "first answer");
    g_assert_cmpuint (notified, ==, 2);
    g_assert_true (natter_chat_store_select_swipe (f.store, id, 1, &error));
  }

  g_assert_false (natter_chat_store_select_swipe (f.store, id, 5, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpuint (natter_chat_message_get_swipe_index (m), ==, 1);
  }

  fixture_teardown (&f);
}

static void
test_greeting (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  const char *alternates[] = { "Hello again.", "Oh, a visitor!", NULL };
  gint64 chat, id;

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Greeting", &error);
  id = natter_chat_store_greet (f.store, chat, "Seraphina", "Welcome, traveller.", alternates, &error);
  g_assert_no_error (error);

  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpint (natter_chat_message_get_position (m), ==, 0);
    g_assert_cmpint (natter_chat_message_get_role (m), ==, NATTER_ROLE_ASSISTANT);
    g_assert_cmpstr (natter_chat_message_get_name (m), ==, "Seraphina");
    g_assert_cmpstr (natter_chat_message_get_content (m), ==, "Welcome, traveller.");
    g_assert_cmpuint (natter_chat_message_get_n_swipes (m), ==, 3);
    g_assert_cmpuint (natter_chat_message_get_swipe_index (m), ==, 0);
  }

  g_assert_true (natter_chat_store_select_swipe (f.store, id, 2, &error));
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpstr (natter_chat_message_get_content (m), ==, "Oh, a visitor!");
  }

  fixture_teardown (&f);
}

static void
test_branch_isolation (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parent_page = NULL;
  g_autoptr(GPtrArray) branch_page = NULL;
  g_autoptr(NatterChat) branch_chat = NULL;
  gint64 chat, ids[5], branch;

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Trunk", &error);
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("trunk %d", i);
      ids[i] = natter_chat_store_append_message (f.store, chat, i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                                 NULL, text, &error);
      g_assert_no_error (error);
    }
  natter_chat_store_add_swipe (f.store, ids[2], "trunk 2, take two", &error);
  g_assert_no_error (error);

  branch = natter_chat_store_branch_chat (f.store, chat, ids[2], NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (branch, >, 0);
  g_assert_cmpint (branch, !=, chat);

  branch_chat = natter_chat_store_get_chat (f.store, branch, &error);
  g_assert_cmpint (natter_chat_get_parent_chat_id (branch_chat), ==, chat);
  g_assert_cmpint (natter_chat_get_branched_from_message_id (branch_chat), ==, ids[2]);
  g_assert_cmpstr (natter_chat_get_title (branch_chat), ==, "Trunk (branch)");

  branch_page = natter_chat_store_page_messages (f.store, branch, -1, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (branch_page->len, ==, 3);
  g_assert_cmpstr (natter_chat_message_get_content (branch_page->pdata[0]), ==, "trunk 0");
  g_assert_cmpstr (natter_chat_message_get_content (branch_page->pdata[2]), ==, "trunk 2, take two");
  g_assert_cmpuint (natter_chat_message_get_n_swipes (branch_page->pdata[2]), ==, 2);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (natter_chat_message_get_id (branch_page->pdata[i]), !=, ids[i]);

  /* Changes in the branch do not reach the parent, and the other way round. */
  {
    gint64 bid = natter_chat_message_get_id (branch_page->pdata[2]);
    g_autoptr(NatterChatMessage) in_branch = NULL;

    g_assert_true (natter_chat_store_edit_message (f.store, bid, "branch edit", &error));
    g_assert_true (natter_chat_store_select_swipe (f.store, bid, 0, &error));
    natter_chat_store_append_message (f.store, branch, NATTER_ROLE_USER, NULL, "only in branch", &error);
    g_assert_no_error (error);

    g_assert_true (natter_chat_store_edit_message (f.store, ids[0], "trunk 0 edited", &error));
    natter_chat_store_add_swipe (f.store, ids[2], "trunk 2, take three", &error);
    g_assert_no_error (error);

    in_branch = get_message (&f, natter_chat_message_get_id (branch_page->pdata[0]));
    g_assert_cmpstr (natter_chat_message_get_content (in_branch), ==, "trunk 0");
    {
      g_autoptr(NatterChatMessage) b2 = get_message (&f, bid);
      g_assert_cmpuint (natter_chat_message_get_n_swipes (b2), ==, 2);
    }
    {
      g_autoptr(NatterChatMessage) p2 = get_message (&f, ids[2]);
      g_assert_cmpuint (natter_chat_message_get_n_swipes (p2), ==, 3);
      g_assert_cmpstr (natter_chat_message_get_content (p2), ==, "trunk 2, take three");
    }
    g_assert_cmpint (natter_chat_store_count_messages (f.store, chat, &error), ==, 5);
    g_assert_cmpint (natter_chat_store_count_messages (f.store, branch, &error), ==, 4);
  }

  parent_page = natter_chat_store_page_messages (f.store, chat, -1, 100, &error);
  g_assert_cmpstr (natter_chat_message_get_content (parent_page->pdata[1]), ==, "trunk 1");

  /* Deleting the parent leaves the branch whole. */
  g_assert_true (natter_chat_store_delete_chat (f.store, chat, &error));
  g_assert_no_error (error);
  g_clear_object (&branch_chat);
  branch_chat = natter_chat_store_get_chat (f.store, branch, &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_chat_get_parent_chat_id (branch_chat), ==, 0);
  g_assert_cmpint (natter_chat_store_count_messages (f.store, branch, &error), ==, 4);

  /* A message of another chat cannot be a branch point. */
  g_assert_cmpint (natter_chat_store_branch_chat (f.store, branch, ids[1], NULL, &error), ==, 0);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);

  fixture_teardown (&f);
}

static void
test_delete_cascade (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) chats = NULL;
  g_autoptr(NatterChat) kept = NULL;
  gint64 character, chat, other, msg;

  fixture_setup (&f);
  character = natter_chat_store_add_character (f.store, "Ava", "{\"name\":\"Ava\"}", NULL, &error);
  g_assert_no_error (error);
  chat = natter_chat_store_new_chat (f.store, character, "Doomed", &error);
  other = natter_chat_store_new_chat (f.store, character, "Kept", &error);
  g_assert_no_error (error);
  msg = natter_chat_store_append_message (f.store, chat, NATTER_ROLE_USER, NULL, "zebra crossing", &error);
  natter_chat_store_add_swipe (f.store, msg, "zebra stripes", &error);
  natter_chat_store_append_message (f.store, chat, NATTER_ROLE_USER, NULL, "another zebra", &error);
  natter_chat_store_append_message (f.store, other, NATTER_ROLE_USER, NULL, "a giraffe", &error);
  g_assert_no_error (error);

  chats = natter_chat_store_list_chats (f.store, character, &error);
  g_assert_cmpuint (chats->len, ==, 2);
  /* Most recently active first. */
  g_assert_cmpint (natter_chat_get_id (chats->pdata[0]), ==, other);

  /* Deleting one message removes its swipes and their search entries. */
  g_assert_true (natter_chat_store_delete_message (f.store, msg, &error));
  g_assert_cmpint (count_rows (f.db, "SELECT COUNT(*) FROM swipes WHERE message_id = 1"), ==, 0);
  hits = natter_chat_store_search (f.store, "zebra", 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  g_assert_true (natter_chat_store_delete_chat (f.store, chat, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f.db, "SELECT COUNT(*) FROM messages WHERE chat_id = 1"), ==, 0);
  g_assert_cmpint (count_rows (f.db, "SELECT COUNT(*) FROM swipes"), ==, 1);
  hits = natter_chat_store_search (f.store, "zebra", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_assert_null (natter_chat_store_get_chat (f.store, chat, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Deleting a character keeps its chats. */
  g_assert_true (natter_chat_store_delete_character (f.store, character, &error));
  kept = natter_chat_store_get_chat (f.store, other, &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_chat_get_character_id (kept), ==, 0);
  g_assert_cmpint (natter_chat_store_count_messages (f.store, other, &error), ==, 1);

  g_assert_false (natter_chat_store_delete_chat (f.store, chat, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);

  fixture_teardown (&f);
}

static void
test_search (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  const char *hostile[] = {
    "foo-bar", "\"unbalanced", "a OR", "NEAR(", "*", "content:fox", ")", "\"\"",
    "AND", "fox\"", "^fox", "-", "'; DROP TABLE swipes; --", "NOT fox", "{content}: x",
  };
  gint64 chat, fox, dash;

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Searchable", &error);
  fox = natter_chat_store_append_message (f.store, chat, NATTER_ROLE_USER, NULL,
                                          "The quick brown fox jumps over the lazy dog", &error);
  dash = natter_chat_store_append_message (f.store, chat, NATTER_ROLE_ASSISTANT, NULL,
                                           "Try the foo-bar approach with baz", &error);
  natter_chat_store_append_message (f.store, chat, NATTER_ROLE_USER, NULL,
                                    "A naïve visit to the café", &error);
  g_assert_no_error (error);

  {
    g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, "fox", 10, &error);
    NatterSearchHit *hit;

    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
    hit = hits->pdata[0];
    g_assert_cmpint (hit->chat_id, ==, chat);
    g_assert_cmpint (hit->message_id, ==, fox);
    g_assert_cmpstr (hit->chat_title, ==, "Searchable");
    g_assert_nonnull (strstr (hit->snippet, NATTER_SEARCH_MATCH_BEGIN "fox" NATTER_SEARCH_MATCH_END));
  }
  {
    g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, "  LAZY   quick ", 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
  }
  {
    g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, "fox baz", 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 0);
  }
  {
    g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, "foo-bar", 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
    g_assert_cmpint (((NatterSearchHit *) hits->pdata[0])->message_id, ==, dash);
  }
  {
    g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, "cafe naive", 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 1);
  }
  {
    /* Newest first, at most @limit. */
    g_autoptr(GPtrArray) all = natter_chat_store_search (f.store, "the", 10, &error);
    g_autoptr(GPtrArray) one = natter_chat_store_search (f.store, "the", 1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (all->len, ==, 3);
    g_assert_cmpuint (one->len, ==, 1);
    g_assert_cmpint (((NatterSearchHit *) one->pdata[0])->message_id, >, dash);
    g_assert_cmpint (((NatterSearchHit *) all->pdata[2])->message_id, ==, fox);
  }
  {
    g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, "   ", 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 0);
  }

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, hostile[i], 10, &error);

      g_assert_no_error (error);
      g_assert_nonnull (hits);
    }
  g_assert_cmpint (count_rows (f.db, "SELECT COUNT(*) FROM swipes"), ==, 3);

  /* Edits are searchable at once; the old words are gone. */
  g_assert_true (natter_chat_store_edit_message (f.store, fox, "A slow green turtle", &error));
  {
    g_autoptr(GPtrArray) old_hits = natter_chat_store_search (f.store, "fox", 10, &error);
    g_autoptr(GPtrArray) new_hits = natter_chat_store_search (f.store, "turtle", 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (old_hits->len, ==, 0);
    g_assert_cmpuint (new_hits->len, ==, 1);
  }

  /* The external-content index agrees with its table. */
  g_assert_true (natter_database_exec (f.db,
                                       "INSERT INTO swipes_fts(swipes_fts, rank) VALUES ('integrity-check', 1)",
                                       &error));
  g_assert_no_error (error);

  fixture_teardown (&f);
}

static void
test_reply_writer (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterReplyWriter) writer = NULL;
  g_autoptr(NatterReplyWriter) second = NULL;
  char chunk[101];
  gint64 chat, id, before_begin, before_flush;
  gboolean never = FALSE;

  memset (chunk, 'a', 100);
  chunk[100] = '\0';

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Streaming", &error);
  natter_chat_store_append_message (f.store, chat, NATTER_ROLE_USER, NULL, "Tell me a story", &error);

  before_begin = g_get_monotonic_time ();
  writer = natter_chat_store_begin_reply (f.store, chat, "model-x", "Bot", 0, &error);
  g_assert_no_error (error);
  id = natter_reply_writer_get_message_id (writer);

  /* The row exists at once, empty and streaming. */
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpstr (natter_chat_message_get_content (m), ==, "");
    g_assert_cmpint (natter_chat_message_get_state (m), ==, NATTER_SWIPE_STATE_STREAMING);
    g_assert_cmpstr (natter_chat_message_get_model (m), ==, "model-x");
  }

  /* 100 bytes: buffered. */
  g_assert_true (natter_reply_writer_append (writer, chunk, -1, &error));
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpuint (strlen (natter_chat_message_get_content (m)), ==, 0);
  }
  /* 300 bytes, but less than 50 ms after the last save (the row's
   * creation): still buffered, so a fast stream is saved at most 20 times a
   * second. Only checked when the machine was quick enough to tell. */
  g_assert_true (natter_reply_writer_append (writer, chunk, -1, &error));
  g_assert_true (natter_reply_writer_append (writer, chunk, -1, &error));
  if (g_get_monotonic_time () - before_begin < 40 * 1000)
    {
      g_autoptr(NatterChatMessage) m = get_message (&f, id);
      g_assert_cmpuint (strlen (natter_chat_message_get_content (m)), ==, 0);
    }
  else
    g_test_message ("slow machine: not checking the 50 ms limit after the first save");

  /* 50 ms later, with 256 bytes or more waiting, the next append saves. */
  g_usleep (60 * 1000);
  before_flush = g_get_monotonic_time ();
  g_assert_true (natter_reply_writer_append (writer, chunk, -1, &error));
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpuint (strlen (natter_chat_message_get_content (m)), ==, 400);
  }

  /* Right after a save, 300 more bytes and a few wait. */
  g_assert_true (natter_reply_writer_append (writer, chunk, -1, &error));
  g_assert_true (natter_reply_writer_append (writer, chunk, -1, &error));
  g_assert_true (natter_reply_writer_append (writer, chunk, -1, &error));
  g_assert_true (natter_reply_writer_append (writer, "bc", 2, &error));
  if (g_get_monotonic_time () - before_flush < 40 * 1000)
    {
      g_autoptr(NatterChatMessage) m = get_message (&f, id);
      g_assert_cmpuint (strlen (natter_chat_message_get_content (m)), ==, 400);
    }
  else
    g_test_message ("slow machine: not checking the 50 ms limit between saves");

  /* A few bytes, then a pause: saved by the next append after 250 ms. */
  g_usleep (300 * 1000);
  g_assert_true (natter_reply_writer_append (writer, "d", 1, &error));
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpuint (strlen (natter_chat_message_get_content (m)), ==, 703);
    g_assert_true (g_str_has_suffix (natter_chat_message_get_content (m), "abcd"));
  }

  /* A few bytes and silence: the timeout saves them within 250 ms… */
  g_assert_true (natter_reply_writer_append_reasoning (writer, "thinking", -1, &error));
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpstr (natter_chat_message_get_reasoning (m), ==, "");
  }
  natter_test_wait_for (&never, 400);
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpstr (natter_chat_message_get_reasoning (m), ==, "thinking");
  }

  /* …and 256 bytes or more and silence within about 50 ms. */
  g_assert_true (natter_reply_writer_append_reasoning (writer, chunk, -1, &error));
  g_assert_true (natter_reply_writer_append_reasoning (writer, chunk, -1, &error));
  g_assert_true (natter_reply_writer_append_reasoning (writer, chunk, -1, &error));
  natter_test_wait_for (&never, 150);
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpuint (strlen (natter_chat_message_get_reasoning (m)), ==, 308);
  }

  g_assert_true (natter_reply_writer_append (writer, " The end.", -1, &error));
  g_assert_true (natter_reply_writer_finish (writer, NATTER_SWIPE_STATE_COMPLETE,
                                             NATTER_ERROR_CATEGORY_NONE, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_true (g_str_has_suffix (natter_chat_message_get_content (m), "abcd The end."));
    g_assert_cmpuint (strlen (natter_chat_message_get_content (m)), ==, 712);
    g_assert_cmpint (natter_chat_message_get_state (m), ==, NATTER_SWIPE_STATE_COMPLETE);
  }
  g_assert_false (natter_reply_writer_append (writer, "late", -1, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Regenerate: a new swipe on the same message that ends in an error. */
  second = natter_chat_store_begin_reply (f.store, chat, "model-y", NULL, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_reply_writer_get_message_id (second), ==, id);
  g_assert_cmpuint (natter_reply_writer_get_swipe_index (second), ==, 1);
  g_assert_true (natter_reply_writer_append (second, "Once upon", -1, &error));
  g_assert_true (natter_reply_writer_finish (second, NATTER_SWIPE_STATE_ERROR,
                                             NATTER_ERROR_CATEGORY_NETWORK,
                                             "The connection was reset", &error));
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpuint (natter_chat_message_get_n_swipes (m), ==, 2);
    g_assert_cmpuint (natter_chat_message_get_swipe_index (m), ==, 1);
    g_assert_cmpstr (natter_chat_message_get_content (m), ==, "Once upon");
    g_assert_cmpint (natter_chat_message_get_state (m), ==, NATTER_SWIPE_STATE_ERROR);
    g_assert_cmpint (natter_chat_message_get_error_category (m), ==, NATTER_ERROR_CATEGORY_NETWORK);
    g_assert_cmpstr (natter_chat_message_get_error_message (m), ==, "The connection was reset");
  }
  g_assert_cmpint (natter_chat_store_count_messages (f.store, chat, &error), ==, 2);

  g_clear_object (&writer);
  g_clear_object (&second);
  fixture_teardown (&f);
}

/* The child begins a reply, saves part of it and dies without any cleanup;
 * the parent reopens the file. */
static void
test_crash_mid_reply (void)
{
  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("NATTER_TEST_CRASH_DB");
      g_autoptr(GError) error = NULL;
      g_autoptr(NatterDatabase) db = natter_database_open (path, &error);
      g_autoptr(NatterChatStore) store = NULL;
      NatterReplyWriter *writer;
      char chunk[301];

      g_assert_no_error (error);
      store = natter_chat_store_new (db);
      memset (chunk, 'z', 300);
      chunk[300] = '\0';
      writer = natter_chat_store_begin_reply (store, 1, "m", "Bot", 0, &error);
      g_assert_no_error (error);
      /* 50 ms after the row was made, 256 bytes or more are saved at once. */
      g_usleep (60 * 1000);
      natter_reply_writer_append (writer, chunk, -1, &error);
      natter_reply_writer_append (writer, "lost in the crash", -1, &error);
      g_assert_no_error (error);
      _exit (0);
    }
  else
    {
      Fixture f = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = NULL;
      g_autofree char *before = NULL;
      g_autofree char *after = NULL;
      NatterChatMessage *last;
      gint64 chat;

      fixture_setup (&f);
      chat = natter_chat_store_new_chat (f.store, 0, "Crash", &error);
      g_assert_cmpint (chat, ==, 1);
      natter_chat_store_append_message (f.store, chat, NATTER_ROLE_USER, NULL, "hello", &error);
      natter_chat_store_append_message (f.store, chat, NATTER_ROLE_ASSISTANT, NULL, "hi there", &error);
      g_assert_no_error (error);
      before = dump_rows (f.db, 0);
      fixture_close (&f);

      g_setenv ("NATTER_TEST_CRASH_DB", f.path, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();

      fixture_open (&f);
      page = natter_chat_store_page_messages (f.store, chat, -1, 10, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, 3);
      last = page->pdata[2];
      g_assert_cmpuint (strlen (natter_chat_message_get_content (last)), ==, 300);
      g_assert_cmpint (natter_chat_message_get_state (last), ==, NATTER_SWIPE_STATE_INCOMPLETE);
      after = dump_rows (f.db, natter_chat_message_get_id (last));
      g_assert_cmpstr (before, ==, after);

      /* Reopened, the interrupted reply is closed and searchable. */
      g_assert_cmpint (count_rows (f.db, "SELECT COUNT(*) FROM swipes WHERE state = 'streaming'"), ==, 0);
      {
        g_autofree char *word = g_strnfill (300, 'z');
        g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, word, 10, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (hits->len, ==, 1);
        g_assert_cmpint (((NatterSearchHit *) hits->pdata[0])->message_id, ==,
                         natter_chat_message_get_id (last));
      }
      g_assert_true (natter_database_exec (f.db,
                                           "INSERT INTO swipes_fts(swipes_fts, rank) VALUES ('integrity-check', 1)",
                                           &error));
      g_assert_no_error (error);
      fixture_teardown (&f);
    }
}

/* Streaming text stays out of the search index (re-indexing a growing
 * reply on every save cost quadratic time); it is indexed once the reply
 * ends, whatever way it ends. */
static void
test_search_streaming (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  const NatterSwipeState ends[] = {
    NATTER_SWIPE_STATE_COMPLETE, NATTER_SWIPE_STATE_ERROR, NATTER_SWIPE_STATE_CANCELLED,
    NATTER_SWIPE_STATE_INCOMPLETE,
  };
  const char *words[] = { "zebra", "quagga", "okapi", "tapir" };
  gint64 chat;

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Search while streaming", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    {
      NatterReplyWriter *writer = natter_chat_store_begin_reply (f.store, chat, NULL, NULL, 0, &error);
      g_autofree char *text = g_strdup_printf ("A %s walks by.", words[i]);
      gint64 id;

      g_assert_no_error (error);
      id = natter_reply_writer_get_message_id (writer);
      g_assert_true (natter_reply_writer_append (writer, text, -1, &error));
      g_assert_true (natter_reply_writer_flush (writer, &error));
      g_assert_no_error (error);
      {
        g_autoptr(NatterChatMessage) m = get_message (&f, id);
        g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, words[i], 10, &error);

        g_assert_cmpstr (natter_chat_message_get_content (m), ==, text);
        g_assert_no_error (error);
        g_assert_cmpuint (hits->len, ==, 0);
      }
      g_assert_true (natter_database_exec (f.db,
                                           "INSERT INTO swipes_fts(swipes_fts, rank) VALUES ('integrity-check', 1)",
                                           &error));
      g_assert_no_error (error);

      if (ends[i] == NATTER_SWIPE_STATE_INCOMPLETE)
        g_object_unref (writer);  /* dropped without finish */
      else
        {
          g_assert_true (natter_reply_writer_finish (writer, ends[i], NATTER_ERROR_CATEGORY_NONE,
                                                     NULL, &error));
          g_assert_no_error (error);
          g_object_unref (writer);
        }
      {
        g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, words[i], 10, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (hits->len, ==, 1);
        g_assert_cmpint (((NatterSearchHit *) hits->pdata[0])->message_id, ==, id);
      }
    }

  /* Edited and deleted afterwards, the index follows. */
  {
    g_autoptr(GPtrArray) first = natter_chat_store_search (f.store, words[0], 10, &error);
    gint64 edited, deleted;

    g_assert_no_error (error);
    g_assert_cmpuint (first->len, ==, 1);
    edited = ((NatterSearchHit *) first->pdata[0])->message_id;
    g_assert_true (natter_chat_store_edit_message (f.store, edited, "A gnu now.", &error));
    g_assert_no_error (error);
    {
      g_autoptr(GPtrArray) gone = natter_chat_store_search (f.store, words[0], 10, &error);
      g_autoptr(GPtrArray) gnu = natter_chat_store_search (f.store, "gnu", 10, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (gone->len, ==, 0);
      g_assert_cmpuint (gnu->len, ==, 1);
    }
    {
      g_autoptr(GPtrArray) second = natter_chat_store_search (f.store, words[1], 10, &error);

      g_assert_cmpuint (second->len, ==, 1);
      deleted = ((NatterSearchHit *) second->pdata[0])->message_id;
    }
    g_assert_true (natter_chat_store_delete_message (f.store, deleted, &error));
    g_assert_no_error (error);
    {
      g_autoptr(GPtrArray) gone = natter_chat_store_search (f.store, words[1], 10, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (gone->len, ==, 0);
    }
  }
  g_assert_cmpint (count_rows (f.db, "SELECT COUNT(*) FROM swipes WHERE state = 'streaming'"), ==, 0);
  g_assert_true (natter_database_exec (f.db,
                                       "INSERT INTO swipes_fts(swipes_fts, rank) VALUES ('integrity-check', 1)",
                                       &error));
  g_assert_no_error (error);

  fixture_teardown (&f);
}

static void
test_abandoned_writer (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  NatterReplyWriter *writer;
  gint64 chat, id;

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Abandoned", &error);
  writer = natter_chat_store_begin_reply (f.store, chat, NULL, NULL, 0, &error);
  id = natter_reply_writer_get_message_id (writer);
  natter_reply_writer_append (writer, "half a", -1, &error);
  g_assert_no_error (error);
  g_object_unref (writer);
  {
    g_autoptr(NatterChatMessage) m = get_message (&f, id);
    g_assert_cmpstr (natter_chat_message_get_content (m), ==, "half a");
    g_assert_cmpint (natter_chat_message_get_state (m), ==, NATTER_SWIPE_STATE_INCOMPLETE);
  }
  fixture_teardown (&f);
}

static void
test_migration_from_v1 (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autofree char *backup = g_strconcat (path, ".bak-v1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(NatterChatStore) store = NULL;
  sqlite3 *raw;
  sqlite3_stmt *stmt;
  gint64 chat;

  /* A database as the first schema left it, with two profiles. */
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw,
    "CREATE TABLE profiles (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE, provider TEXT NOT NULL, model TEXT NOT NULL DEFAULT '',"
    " base_url TEXT NOT NULL DEFAULT '', proxy_url TEXT NOT NULL DEFAULT '',"
    " connect_timeout INTEGER NOT NULL DEFAULT 30, is_default INTEGER NOT NULL DEFAULT 0,"
    " settings TEXT NOT NULL DEFAULT '{}', custom_models TEXT NOT NULL DEFAULT '[]',"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE app_state (key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE request_log (id INTEGER PRIMARY KEY, started_at INTEGER NOT NULL, profile TEXT,"
    " provider TEXT, model TEXT, method TEXT NOT NULL, url TEXT NOT NULL,"
    " request_headers TEXT NOT NULL DEFAULT '{}', request_body TEXT, status INTEGER NOT NULL DEFAULT 0,"
    " response_headers TEXT, raw BLOB, raw_truncated INTEGER NOT NULL DEFAULT 0, text TEXT,"
    " reasoning TEXT, ttfb_ms INTEGER, ttft_ms INTEGER, total_ms INTEGER, input_tokens INTEGER,"
    " output_tokens INTEGER, estimated_input_tokens INTEGER, error_category TEXT,"
    " error_message TEXT, state TEXT NOT NULL DEFAULT 'pending');"
    "INSERT INTO profiles (uuid, name, provider, model, created_at, updated_at)"
    " VALUES ('u1', 'Local', 'ollama', 'llama3', 1, 2), ('u2', 'Cloud', 'openai', 'gpt-4o', 3, 4);"
    "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  db = natter_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_database_get_user_version (db), ==, natter_database_schema_version ());
  g_assert_cmpint (natter_database_get_user_version (db), >=, 2);
  g_assert_true (g_file_test (backup, G_FILE_TEST_EXISTS));

  g_assert_cmpint (sqlite3_prepare_v2 (natter_database_get_handle (db),
                                       "SELECT name, provider, model FROM profiles ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "Local");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "llama3");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "Cloud");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "openai");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  store = natter_chat_store_new (db);
  chat = natter_chat_store_new_chat (store, 0, "After the upgrade", &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_chat_store_append_message (store, chat, NATTER_ROLE_USER, NULL, "works", &error), >, 0);

  g_clear_object (&store);
  g_clear_object (&db);
  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A database of schema 2 (every swipe indexed, streaming ones too), with
 * a reply a crash left streaming: after the upgrade the index agrees with
 * the new rule, and the interrupted reply is searchable once a store opens. */
static void
test_migration_from_v2 (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  const char * const *migrations;
  guint n_migrations;
  const char *words[] = { "gazelle", "ibex", "yak" };
  sqlite3 *raw;

  migrations = _natter_database_get_migrations (&n_migrations);
  g_assert_cmpuint (n_migrations, >=, 3);

  f.dir = natter_test_tmpdir_new ();
  f.path = g_build_filename (f.dir, "natter.db", NULL);
  g_assert_cmpint (sqlite3_open (f.path, &raw), ==, SQLITE_OK);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (sqlite3_exec (raw, migrations[i], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw,
    "PRAGMA user_version = 2;"
    "INSERT INTO chats (id, title, created_at, updated_at) VALUES (1, 'Old', 1, 1);"
    "INSERT INTO messages (id, chat_id, position, role, created_at) VALUES"
    " (1, 1, 0, 'assistant', 1), (2, 1, 1, 'assistant', 2), (3, 1, 2, 'assistant', 3);"
    "INSERT INTO swipes (message_id, idx, content, state, created_at) VALUES"
    " (1, 0, 'A gazelle runs.', 'complete', 1),"
    " (2, 0, 'An ibex clim', 'streaming', 2),"
    " (3, 0, 'A yak naps.', 'error', 3);",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  f.db = natter_database_open (f.path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_database_get_user_version (f.db), ==, natter_database_schema_version ());
  g_assert_true (natter_database_exec (f.db,
                                       "INSERT INTO swipes_fts(swipes_fts, rank) VALUES ('integrity-check', 1)",
                                       &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f.db, "SELECT COUNT(*) FROM swipes_fts WHERE swipes_fts MATCH 'ibex'"), ==, 0);
  g_assert_cmpint (count_rows (f.db, "SELECT COUNT(*) FROM swipes_fts WHERE swipes_fts MATCH 'gazelle'"), ==, 1);

  f.store = natter_chat_store_new (f.db);
  g_assert_cmpint (count_rows (f.db, "SELECT COUNT(*) FROM swipes WHERE state = 'incomplete'"), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, words[i], 10, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (hits->len, ==, 1);
      g_assert_cmpint (((NatterSearchHit *) hits->pdata[0])->message_id, ==, i + 1);
    }
  g_assert_true (natter_database_exec (f.db,
                                       "INSERT INTO swipes_fts(swipes_fts, rank) VALUES ('integrity-check', 1)",
                                       &error));
  g_assert_no_error (error);

  fixture_teardown (&f);
}

static void
test_characters (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) avatar = g_bytes_new_static ("\x89PNG\r\n\x1a\n\0\1\2", 11);
  g_autoptr(GPtrArray) list = NULL;
  const char *card = "{ \"spec\": \"chara_card_v2\",\n  \"data\": {\"name\": \"Seraphina\", \"x\": [1, 2.50]} }";
  gint64 id, other;

  fixture_setup (&f);
  id = natter_chat_store_add_character (f.store, NULL, card, avatar, &error);
  g_assert_no_error (error);
  other = natter_chat_store_add_character (f.store, NULL, "{\"name\": \"Aqua\"}", NULL, &error);
  g_assert_no_error (error);

  {
    g_autoptr(NatterCharacterRow) row = natter_chat_store_lookup_character (f.store, "seraphina", &error);
    g_assert_no_error (error);
    g_assert_cmpint (row->id, ==, id);
    g_assert_cmpstr (row->name, ==, "Seraphina");
    g_assert_cmpstr (row->card_json, ==, card);
    g_assert_true (g_bytes_equal (row->avatar, avatar));
  }

  list = natter_chat_store_list_characters (f.store, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((NatterCharacterRow *) list->pdata[0])->name, ==, "Aqua");

  g_assert_true (natter_chat_store_update_character (f.store, other, "Aqua II", "{\"name\":\"Aqua\"}", NULL, &error));
  {
    g_autoptr(NatterCharacterRow) row = natter_chat_store_get_character (f.store, other, &error);
    g_assert_cmpstr (row->name, ==, "Aqua II");
    g_assert_null (row->avatar);
  }

  g_assert_cmpint (natter_chat_store_add_character (f.store, NULL, "{\"data\": {}}", NULL, &error), ==, 0);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (natter_chat_store_add_character (f.store, NULL, "{\"name\": ", NULL, &error), ==, 0);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (natter_chat_store_lookup_character (f.store, "Nobody", &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (natter_chat_store_new_chat (f.store, 777, "x", &error), ==, 0);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);

  fixture_teardown (&f);
}

static void
test_user_persona (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 first, second;

  fixture_setup (&f);

  /* No persona yet: one is created and made the default. */
  first = natter_chat_store_set_user_persona (f.store, "  Robin ", "Likes maps", &error);
  g_assert_no_error (error);
  g_assert_cmpint (first, >, 0);
  {
    g_autoptr(NatterPersonaRow) def = natter_chat_store_get_default_persona (f.store, &error);
    g_assert_nonnull (def);
    g_assert_cmpint (def->id, ==, first);
    g_assert_cmpstr (def->name, ==, "Robin");
    g_assert_cmpstr (def->description, ==, "Likes maps");
  }

  /* Saving again updates the same row, never adds one. */
  second = natter_chat_store_set_user_persona (f.store, "Rob", "", &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, ==, first);
  {
    g_autoptr(GPtrArray) all = natter_chat_store_list_personas (f.store, &error);
    g_autoptr(NatterPersonaRow) def = natter_chat_store_get_default_persona (f.store, &error);
    g_assert_cmpuint (all->len, ==, 1);
    g_assert_cmpstr (def->name, ==, "Rob");
    g_assert_cmpstr (def->description, ==, "");
  }

  /* A blank name is refused and changes nothing. */
  g_assert_cmpint (natter_chat_store_set_user_persona (f.store, "   ", "x", &error), ==, 0);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  {
    g_autoptr(NatterPersonaRow) def = natter_chat_store_get_default_persona (f.store, &error);
    g_assert_cmpstr (def->name, ==, "Rob");
  }

  fixture_teardown (&f);
}

static void
test_personas_and_lorebooks (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 a, b, character, chat, book;

  fixture_setup (&f);
  {
    g_autoptr(NatterPersonaRow) none = natter_chat_store_get_default_persona (f.store, &error);
    g_assert_no_error (error);
    g_assert_null (none);
  }
  a = natter_chat_store_add_persona (f.store, "Alex", "A traveller", NULL, &error);
  b = natter_chat_store_add_persona (f.store, "Sam", "A scholar", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (natter_chat_store_set_default_persona (f.store, a, &error));
  g_assert_true (natter_chat_store_set_default_persona (f.store, b, &error));
  g_assert_no_error (error);
  {
    g_autoptr(NatterPersonaRow) def = natter_chat_store_get_default_persona (f.store, &error);
    g_autoptr(GPtrArray) all = natter_chat_store_list_personas (f.store, &error);
    g_assert_cmpint (def->id, ==, b);
    g_assert_cmpstr (def->description, ==, "A scholar");
    g_assert_cmpuint (all->len, ==, 2);
    g_assert_false (((NatterPersonaRow *) all->pdata[0])->is_default);
  }
  g_assert_false (natter_chat_store_set_default_persona (f.store, 99, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    /* A failed switch keeps the old default. */
    g_autoptr(NatterPersonaRow) def = natter_chat_store_get_default_persona (f.store, &error);
    g_assert_cmpint (def->id, ==, b);
  }

  character = natter_chat_store_add_character (f.store, "Eldorian", "{}", NULL, &error);
  chat = natter_chat_store_new_chat (f.store, 0, "World", &error);
  book = natter_chat_store_add_lorebook (f.store, "Eldoria", "{\"entries\": {}}", &error);
  g_assert_no_error (error);
  g_assert_true (natter_chat_store_attach_lorebook (f.store, book, character, 0, &error));
  g_assert_true (natter_chat_store_attach_lorebook (f.store, book, 0, chat, &error));
  g_assert_true (natter_chat_store_attach_lorebook (f.store, book, 0, chat, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) for_chat = natter_chat_store_list_lorebooks (f.store, 0, chat, &error);
    g_autoptr(GPtrArray) for_char = natter_chat_store_list_lorebooks (f.store, character, 0, &error);
    g_assert_cmpuint (for_chat->len, ==, 1);
    g_assert_cmpuint (for_char->len, ==, 1);
    g_assert_cmpstr (((NatterLorebookRow *) for_chat->pdata[0])->book_json, ==, "{\"entries\": {}}");
  }
  g_assert_false (natter_chat_store_attach_lorebook (f.store, book, character, chat, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (natter_chat_store_detach_lorebook (f.store, book, 0, chat, &error));
  {
    g_autoptr(GPtrArray) for_chat = natter_chat_store_list_lorebooks (f.store, 0, chat, &error);
    g_assert_cmpuint (for_chat->len, ==, 0);
  }

  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/chat-store/append-page", test_append_and_page);
  g_test_add_func ("/natter/chat-store/index-and-position", test_index_and_position);
  g_test_add_func ("/natter/chat-store/edit-one-row", test_edit_touches_one_row);
  g_test_add_func ("/natter/chat-store/swipes", test_swipes);
  g_test_add_func ("/natter/chat-store/greeting", test_greeting);
  g_test_add_func ("/natter/chat-store/branch-isolation", test_branch_isolation);
  g_test_add_func ("/natter/chat-store/delete-cascade", test_delete_cascade);
  g_test_add_func ("/natter/chat-store/search", test_search);
  g_test_add_func ("/natter/chat-store/reply-writer", test_reply_writer);
  g_test_add_func ("/natter/chat-store/crash-mid-reply", test_crash_mid_reply);
  g_test_add_func ("/natter/chat-store/abandoned-writer", test_abandoned_writer);
  g_test_add_func ("/natter/chat-store/search-streaming", test_search_streaming);
  g_test_add_func ("/natter/chat-store/migration-v1", test_migration_from_v1);
  g_test_add_func ("/natter/chat-store/migration-v2", test_migration_from_v2);
  g_test_add_func ("/natter/chat-store/characters", test_characters);
  g_test_add_func ("/natter/chat-store/personas-lorebooks", test_personas_and_lorebooks);
  g_test_add_func ("/natter/chat-store/user-persona", test_user_persona);

  return g_test_run ();
}
