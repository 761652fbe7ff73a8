/* test-message-model.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* NatterMessageModel: pages load on demand and pages far from the view are
 * dropped and loaded again, from a synthetic source and from a real chat
 * store (keyset paging) in a temporary SQLite file. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "natter-database.h"
#include "natter-message-model-private.h"
#include "natter-tail-model-private.h"
#include "natter-test-util.h"
#include "natter-tool-store.h"

#define KEEP_MAX ((2 * NATTER_MESSAGE_MODEL_KEEP_PAGES + 1) * NATTER_MESSAGE_MODEL_PAGE_SIZE)

typedef struct
{
  guint calls;
} Source;

static void
load_numbered (gpointer   user_data,
               guint      position,
               guint      n_items,
               GPtrArray *out)
{
  Source *source = user_data;

  source->calls++;
  for (guint i = 0; i < n_items; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message %u", position + i);
      g_ptr_array_add (out, natter_message_item_new (NATTER_MESSAGE_KIND_USER, text));
    }
}

static char *
text_at (NatterMessageModel *model,
         guint               position)
{
  g_autoptr(NatterMessageItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

  return g_strdup (natter_message_item_get_text (item));
}

static void
test_drops_far_pages (void)
{
  g_autoptr(NatterMessageModel) model = natter_message_model_new ();
  Source source = { 0 };
  guint calls;
  g_autofree char *first = NULL;

  natter_message_model_set_source (model, 10000, load_numbered, &source, NULL);
  g_assert_cmpuint (natter_message_model_get_n_loaded (model), ==, 0);

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *text = text_at (model, i);
      g_autofree char *expected = g_strdup_printf ("Message %u", i);

      g_assert_cmpstr (text, ==, expected);
      g_assert_cmpuint (natter_message_model_get_n_loaded (model), <=, KEEP_MAX);
    }
  g_assert_cmpuint (source.calls, ==, 10000 / NATTER_MESSAGE_MODEL_PAGE_SIZE + 1);

  /* The first page was dropped: it is loaded again, with the same text. */
  calls = source.calls;
  first = text_at (model, 0);
  g_assert_cmpstr (first, ==, "Message 0");
  g_assert_cmpuint (source.calls, ==, calls + 1);
}

static void
test_keeps_held_items (void)
{
  g_autoptr(NatterMessageModel) model = natter_message_model_new ();
  g_autoptr(NatterMessageItem) held = NULL;
  g_autoptr(NatterMessageItem) again = NULL;
  Source source = { 0 };

  natter_message_model_set_source (model, 5000, load_numbered, &source, NULL);
  held = g_list_model_get_item (G_LIST_MODEL (model), 5);
  for (guint i = 0; i < 5000; i++)
    g_free (text_at (model, i));

  /* Held by someone else (a row, the view): never dropped. */
  again = g_list_model_get_item (G_LIST_MODEL (model), 5);
  g_assert_true (again == held);
  g_assert_cmpstr (natter_message_item_get_text (again), ==, "Message 5");
}

static void
test_appended_items_stay (void)
{
  g_autoptr(NatterMessageModel) model = natter_message_model_new ();
  g_autoptr(NatterMessageItem) added = natter_message_item_new (NATTER_MESSAGE_KIND_USER, "Typed just now");
  NatterMessageItem *item;
  Source source = { 0 };

  natter_message_model_set_source (model, 2000, load_numbered, &source, NULL);
  natter_message_model_append (model, added);
  g_clear_object (&added);   /* only the model holds it now */

  for (guint i = 0; i < 2000; i++)
    g_free (text_at (model, i));

  /* The source cannot give it back, so it is never dropped. */
  item = natter_message_model_get_last (model);
  g_assert_cmpstr (natter_message_item_get_text (item), ==, "Typed just now");
}

static void
test_store_pages_reload (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = natter_database_open (path, &error);
  g_autoptr(NatterChatStore) store = NULL;
  g_autoptr(NatterMessageModel) model = natter_message_model_new ();
  const guint n = 1500;
  gint64 chat;

  g_assert_no_error (error);
  store = natter_chat_store_new (db);
  chat = natter_chat_store_new_chat (store, 0, "Long", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("Stored %u", i);

      natter_chat_store_append_message (store, chat, i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                        NULL, text, &error);
      g_assert_no_error (error);
    }

  natter_message_model_set_chat (model, store, chat);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);

  /* A chat opens at its end: scroll up to the top, then down again, and
   * every message is the right one, also in pages dropped on the way. */
  for (guint i = n; i > 0; i--)
    {
      g_autofree char *text = text_at (model, i - 1);
      g_autofree char *expected = g_strdup_printf ("Stored %u", i - 1);

      g_assert_cmpstr (text, ==, expected);
      g_assert_cmpuint (natter_message_model_get_n_loaded (model), <=, KEEP_MAX);
    }
  for (guint i = 0; i < n; i += 7)
    {
      g_autofree char *text = text_at (model, i);
      g_autofree char *expected = g_strdup_printf ("Stored %u", i);

      g_assert_cmpstr (text, ==, expected);
    }
  /* A jump into the middle of a dropped region. */
  {
    g_autofree char *text = text_at (model, 700);
    g_assert_cmpstr (text, ==, "Stored 700");
  }

  /* Opened afresh, a jump far from the end (a search hit) reads about a
   * page of messages, not every one from the end down to it. */
  natter_message_model_set_chat (model, store, chat);
  {
    g_autofree char *text = text_at (model, 100);
    g_assert_cmpstr (text, ==, "Stored 100");
  }
  g_assert_cmpuint (natter_message_model_get_n_read (model), <=, 2 * NATTER_MESSAGE_MODEL_PAGE_SIZE);
  {
    g_autofree char *text = text_at (model, 163);
    g_assert_cmpstr (text, ==, "Stored 163");
  }
  {
    g_autofree char *text = text_at (model, 36);
    g_assert_cmpstr (text, ==, "Stored 36");
  }
  {
    g_autofree char *text = text_at (model, n - 1);
    g_assert_cmpstr (text, ==, "Stored 1499");
  }
  g_assert_cmpuint (natter_message_model_get_n_read (model), <=, 6 * NATTER_MESSAGE_MODEL_PAGE_SIZE);

  g_clear_object (&model);
  g_clear_object (&store);
  g_clear_object (&db);
  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A reply's stored tool calls reach its item when the chat is read. */
static void
test_store_tool_events (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = natter_database_open (path, &error);
  g_autoptr(NatterChatStore) store = NULL;
  g_autoptr(NatterMessageModel) model = natter_message_model_new ();
  g_autoptr(NatterMessageItem) user = NULL;
  g_autoptr(NatterMessageItem) reply = NULL;
  const char *events = "[{\"id\":\"c1\",\"name\":\"weather__get\",\"arguments\":\"{}\",\"outcome\":\"ok\",\"result\":\"3\"}]";
  gint64 chat, reply_id;

  g_assert_no_error (error);
  store = natter_chat_store_new (db);
  chat = natter_chat_store_new_chat (store, 0, "Tools", &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_chat_store_append_message (store, chat, NATTER_ROLE_USER, NULL, "Weather?", &error), >, 0);
  reply_id = natter_chat_store_append_message (store, chat, NATTER_ROLE_ASSISTANT, NULL, "3 degrees", &error);
  g_assert_no_error (error);
  g_assert_true (natter_tool_store_set_events (db, reply_id, events, &error));
  g_assert_no_error (error);

  natter_message_model_set_chat (model, store, chat);
  user = g_list_model_get_item (G_LIST_MODEL (model), 0);
  reply = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_null (natter_message_item_get_tool_events (user));
  g_assert_nonnull (strstr (natter_message_item_get_tool_events (reply), "weather__get"));

  g_clear_object (&model);
  g_clear_object (&store);
  g_clear_object (&db);
  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

/* The stored name (a character's, a persona's) reaches the item; a
 * message stored without one has none. */
static void
test_store_names (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = natter_database_open (path, &error);
  g_autoptr(NatterChatStore) store = NULL;
  g_autoptr(NatterMessageModel) model = natter_message_model_new ();
  g_autoptr(NatterMessageItem) first = NULL;
  g_autoptr(NatterMessageItem) second = NULL;
  g_autoptr(NatterMessageItem) third = NULL;
  gint64 chat;

  g_assert_no_error (error);
  store = natter_chat_store_new (db);
  chat = natter_chat_store_new_chat (store, 0, "Names", &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_chat_store_append_message (store, chat, NATTER_ROLE_USER, "Alex", "Hi", &error), >, 0);
  g_assert_cmpint (natter_chat_store_append_message (store, chat, NATTER_ROLE_ASSISTANT, "Seraphina", "Hello",
                                                     &error), >, 0);
  g_assert_cmpint (natter_chat_store_append_message (store, chat, NATTER_ROLE_ASSISTANT, NULL, "Plain",
                                                     &error), >, 0);
  g_assert_no_error (error);

  natter_message_model_set_chat (model, store, chat);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  second = g_list_model_get_item (G_LIST_MODEL (model), 1);
  third = g_list_model_get_item (G_LIST_MODEL (model), 2);
  g_assert_cmpstr (natter_message_item_get_name (first), ==, "Alex");
  g_assert_cmpstr (natter_message_item_get_name (second), ==, "Seraphina");
  g_assert_null (natter_message_item_get_name (third));

  g_clear_object (&model);
  g_clear_object (&store);
  g_clear_object (&db);
  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

typedef struct
{
  guint position, removed, added, calls;
} Change;

static void
on_tail_changed (GListModel *model,
                 guint       position,
                 guint       removed,
                 guint       added,
                 Change     *change)
{
  change->position = position;
  change->removed = removed;
  change->added = added;
  change->calls++;
}

static const char *
string_at (GListModel *model,
           guint       i)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

/* The chat view shows the end of the messages and takes in older ones
 * when asked; changes at the end pass through with their positions; a
 * change of the whole list starts from its end again. */
static void
test_tail_model (void)
{
  g_autoptr(GtkStringList) base = gtk_string_list_new (NULL);
  g_autoptr(NatterTailModel) tail = NULL;
  Change change = { 0 };

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *text = g_strdup_printf ("m%u", i);

      gtk_string_list_append (base, text);
    }
  tail = natter_tail_model_new (G_LIST_MODEL (base), 60);
  g_signal_connect (tail, "items-changed", G_CALLBACK (on_tail_changed), &change);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tail)), ==, 60);
  g_assert_cmpuint (natter_tail_model_get_start (tail), ==, 940);
  g_assert_cmpstr (string_at (G_LIST_MODEL (tail), 0), ==, "m940");
  g_assert_cmpstr (string_at (G_LIST_MODEL (tail), 59), ==, "m999");
  g_assert_null (string_at (G_LIST_MODEL (tail), 60));

  /* A new message at the end. */
  gtk_string_list_append (base, "m1000");
  g_assert_cmpuint (change.calls, ==, 1);
  g_assert_cmpuint (change.position, ==, 60);
  g_assert_cmpuint (change.added, ==, 1);
  g_assert_cmpstr (string_at (G_LIST_MODEL (tail), 60), ==, "m1000");

  /* Older ones, taken in at the front. */
  g_assert_cmpuint (natter_tail_model_grow (tail, 200), ==, 200);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 200);
  g_assert_cmpstr (string_at (G_LIST_MODEL (tail), 0), ==, "m740");
  /* Up to a message far above: its position here. */
  g_assert_cmpuint (natter_tail_model_reach (tail, 10), ==, 0);
  g_assert_cmpuint (natter_tail_model_get_start (tail), ==, 10);
  g_assert_cmpstr (string_at (G_LIST_MODEL (tail), 0), ==, "m10");
  g_assert_cmpuint (natter_tail_model_reach (tail, 500), ==, 490);

  /* A message deleted above ours: nothing shown changes. */
  change.calls = 0;
  gtk_string_list_remove (base, 3);
  g_assert_cmpuint (change.calls, ==, 0);
  g_assert_cmpuint (natter_tail_model_get_start (tail), ==, 9);
  g_assert_cmpstr (string_at (G_LIST_MODEL (tail), 0), ==, "m10");
  /* One of ours deleted. */
  gtk_string_list_remove (base, 9 + 5);
  g_assert_cmpuint (change.calls, ==, 1);
  g_assert_cmpuint (change.position, ==, 5);
  g_assert_cmpuint (change.removed, ==, 1);

  /* Another chat's messages: from their end again. */
  {
    const char * const other[] = { "a", "b", "c", NULL };

    gtk_string_list_splice (base, 0, g_list_model_get_n_items (G_LIST_MODEL (base)), other);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tail)), ==, 3);
    g_assert_cmpuint (change.position, ==, 0);
    g_assert_cmpuint (change.added, ==, 3);
    g_assert_cmpstr (string_at (G_LIST_MODEL (tail), 0), ==, "a");
    g_assert_cmpuint (natter_tail_model_grow (tail, 10), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/message-model/store-tool-events", test_store_tool_events);
  g_test_add_func ("/natter/message-model/drops-far-pages", test_drops_far_pages);
  g_test_add_func ("/natter/message-model/keeps-held-items", test_keeps_held_items);
  g_test_add_func ("/natter/message-model/appended-items-stay", test_appended_items_stay);
  g_test_add_func ("/natter/message-model/store-pages-reload", test_store_pages_reload);
  g_test_add_func ("/natter/message-model/store-names", test_store_names);
  g_test_add_func ("/natter/message-model/tail-model", test_tail_model);

  return g_test_run ();
}
