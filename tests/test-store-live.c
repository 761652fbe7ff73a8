/* test-store-live.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The observable store: signals from the store's own calls, chat and
 * character lists that follow them, changes made by another connection or
 * another process, and search and pages off the calling thread. */

#include "config.h"

#include <string.h>

#include "natter-chat-store.h"
#include "natter-database-private.h"
#include "natter-preset-store.h"
#include "natter-st-chat.h"
#include "natter-test-util.h"

typedef struct
{
  char            *dir;
  char            *path;
  NatterDatabase  *db;
  NatterChatStore *store;
  GArray          *chat_changed;      /* gint64 */
  GArray          *messages_changed;  /* gint64 */
  guint            characters_changed;
} Fixture;

static void
on_chat_changed (NatterChatStore *store,
                 gint64           chat_id,
                 Fixture         *f)
{
  g_array_append_val (f->chat_changed, chat_id);
}

static void
on_messages_changed (NatterChatStore *store,
                     gint64           chat_id,
                     Fixture         *f)
{
  g_array_append_val (f->messages_changed, chat_id);
}

static void
on_characters_changed (NatterChatStore *store,
                       Fixture         *f)
{
  f->characters_changed++;
}

static void
fixture_setup (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->dir = natter_test_tmpdir_new ();
  f->path = g_build_filename (f->dir, "natter.db", NULL);
  f->db = natter_database_open (f->path, &error);
  g_assert_no_error (error);
  f->store = natter_chat_store_new (f->db);
  f->chat_changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->messages_changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (f->store, "chat-changed", G_CALLBACK (on_chat_changed), f);
  g_signal_connect (f->store, "messages-changed", G_CALLBACK (on_messages_changed), f);
  g_signal_connect (f->store, "characters-changed", G_CALLBACK (on_characters_changed), f);
}

static void
fixture_reset_counts (Fixture *f)
{
  g_array_set_size (f->chat_changed, 0);
  g_array_set_size (f->messages_changed, 0);
  f->characters_changed = 0;
}

static void
fixture_teardown (Fixture *f)
{
  g_autoptr(GTimer) timer = g_timer_new ();

  /* A worker thread drops its task (and the task its store) just after
   * the result is delivered. */
  while (G_OBJECT (f->store)->ref_count > 1 && g_timer_elapsed (timer, NULL) < 5)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->db);
  g_array_unref (f->chat_changed);
  g_array_unref (f->messages_changed);
  g_free (f->path);
  natter_test_tmpdir_free (f->dir);
}

static gboolean
contains (GArray *ids,
          gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;

  return FALSE;
}

/* Spins the default main context until @model has @n items and its first
 * item's @property equals @value (NULL: any), or 5 s pass. */
typedef struct
{
  gboolean changed;
} Flag;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Flag       *flag)
{
  flag->changed = TRUE;
}

static void
wait_for_items_changed (GListModel *model)
{
  Flag flag = { FALSE };
  gulong id = g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &flag);

  g_assert_true (natter_test_wait_for (&flag.changed, 5000));
  g_signal_handler_disconnect (model, id);
}

static void
on_notify_flag (GObject    *object,
                GParamSpec *pspec,
                Flag       *flag)
{
  flag->changed = TRUE;
}

static void
wait_for_notify (gpointer    object,
                 const char *signal)
{
  Flag flag = { FALSE };
  gulong id = g_signal_connect (object, signal, G_CALLBACK (on_notify_flag), &flag);

  g_assert_true (natter_test_wait_for (&flag.changed, 5000));
  g_signal_handler_disconnect (object, id);
}

/* Lets pending idle reloads run. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static NatterChatInfo *
chat_info_at (GListModel *model,
              guint       i)
{
  g_autoptr(GObject) item = g_list_model_get_item (model, i);

  g_assert_nonnull (item);
  return NATTER_CHAT_INFO (item);  /* the model keeps its reference */
}

/* ---- signals ------------------------------------------------------------ */

static void
test_signals (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterReplyWriter) writer = NULL;
  gint64 character, chat, message, branch;

  fixture_setup (&f);

  character = natter_chat_store_add_character (f.store, "Ada", "{\"name\":\"Ada\"}", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f.characters_changed, ==, 1);

  chat = natter_chat_store_new_chat (f.store, character, "First", &error);
  g_assert_no_error (error);
  g_assert_true (contains (f.chat_changed, chat));
  g_assert_cmpuint (f.messages_changed->len, ==, 0);

  fixture_reset_counts (&f);
  message = natter_chat_store_append_message (f.store, chat, NATTER_ROLE_USER, "me", "hello", &error);
  g_assert_no_error (error);
  g_assert_true (contains (f.chat_changed, chat));
  g_assert_true (contains (f.messages_changed, chat));

  fixture_reset_counts (&f);
  g_assert_true (natter_chat_store_edit_message (f.store, message, "hello there", &error));
  g_assert_true (contains (f.messages_changed, chat));

  fixture_reset_counts (&f);
  g_assert_cmpint (natter_chat_store_add_swipe (f.store, message, "other", &error), ==, 1);
  g_assert_true (contains (f.messages_changed, chat));
  fixture_reset_counts (&f);
  g_assert_true (natter_chat_store_select_swipe (f.store, message, 0, &error));
  g_assert_true (contains (f.messages_changed, chat));

  fixture_reset_counts (&f);
  g_assert_true (natter_chat_store_rename_chat (f.store, chat, "Renamed", &error));
  g_assert_true (contains (f.chat_changed, chat));
  g_assert_cmpuint (f.messages_changed->len, ==, 0);

  /* The reply writer: the chat list hears of it, the message list does
   * not (whoever streams shows the reply). */
  fixture_reset_counts (&f);
  writer = natter_chat_store_begin_reply (f.store, chat, "m", "Ada", 0, &error);
  g_assert_no_error (error);
  g_assert_true (contains (f.chat_changed, chat));
  g_assert_true (natter_reply_writer_append (writer, "Hi", -1, &error));
  g_assert_true (natter_reply_writer_finish (writer, NATTER_SWIPE_STATE_COMPLETE,
                                             NATTER_ERROR_CATEGORY_NONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f.messages_changed->len, ==, 0);
  g_assert_cmpuint (f.chat_changed->len, ==, 2);

  fixture_reset_counts (&f);
  branch = natter_chat_store_branch_chat (f.store, chat, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (contains (f.chat_changed, branch));

  fixture_reset_counts (&f);
  g_assert_true (natter_chat_store_delete_message (f.store, natter_reply_writer_get_message_id (writer), &error));
  g_assert_true (contains (f.messages_changed, chat));

  /* A failed call says nothing. */
  fixture_reset_counts (&f);
  g_assert_false (natter_chat_store_delete_message (f.store, 9999, &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (f.messages_changed->len + f.chat_changed->len, ==, 0);

  fixture_reset_counts (&f);
  g_assert_true (natter_chat_store_update_character (f.store, character, "Ada L.", "{\"name\":\"Ada\"}", NULL, &error));
  g_assert_cmpuint (f.characters_changed, ==, 1);
  g_assert_true (contains (f.chat_changed, 0));

  fixture_reset_counts (&f);
  g_assert_true (natter_chat_store_delete_chat (f.store, chat, &error));
  g_assert_true (contains (f.chat_changed, chat));

  g_clear_object (&writer);
  fixture_teardown (&f);
}

/* ---- the chat list ------------------------------------------------------ */

typedef struct
{
  guint notified;
} NotifyCount;

static void
on_notify (GObject     *object,
           GParamSpec  *pspec,
           NotifyCount *count)
{
  count->notified++;
}

static void
test_chats_model (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  GListModel *model;
  NatterChatInfo *info;
  NatterChatInfo *older_info;
  NotifyCount title_notes = { 0 };
  gint64 character, older, newer;

  fixture_setup (&f);

  character = natter_chat_store_add_character (f.store, "Seraphina", "{\"name\":\"Seraphina\"}", NULL, &error);
  older = natter_chat_store_new_chat (f.store, character, "Older", &error);
  g_assert_no_error (error);
  natter_chat_store_append_message (f.store, older, NATTER_ROLE_USER, "me",
                                    "\n  First line of the last message\nsecond line", &error);
  g_assert_no_error (error);
  /* Same second: the newer id comes first. */
  newer = natter_chat_store_new_chat (f.store, 0, "Newer", &error);
  g_assert_no_error (error);

  model = natter_chat_store_get_chats_model (f.store);
  g_assert_true (model == natter_chat_store_get_chats_model (f.store));
  g_assert_true (g_list_model_get_item_type (model) == NATTER_TYPE_CHAT_INFO);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  info = chat_info_at (model, 0);
  g_assert_cmpint (natter_chat_info_get_id (info), ==, newer);
  g_assert_cmpstr (natter_chat_info_get_title (info), ==, "Newer");
  g_assert_cmpstr (natter_chat_info_get_character_name (info), ==, "");
  g_assert_cmpstr (natter_chat_info_get_preview (info), ==, "");
  g_assert_cmpint (natter_chat_info_get_message_count (info), ==, 0);

  older_info = chat_info_at (model, 1);
  g_assert_cmpint (natter_chat_info_get_id (older_info), ==, older);
  g_assert_cmpstr (natter_chat_info_get_character_name (older_info), ==, "Seraphina");
  g_assert_cmpint (natter_chat_info_get_character_id (older_info), ==, character);
  g_assert_cmpstr (natter_chat_info_get_preview (older_info), ==, "First line of the last message");
  g_assert_cmpint (natter_chat_info_get_message_count (older_info), ==, 1);
  g_assert_cmpint (natter_chat_info_get_updated_at (older_info), >, 0);

  /* A new message in the older chat: its row is updated in place (same
   * object) and moves to the top. */
  g_object_set_data (G_OBJECT (older_info), "test-mark", GINT_TO_POINTER (1));
  natter_chat_store_append_message (f.store, older, NATTER_ROLE_ASSISTANT, "Seraphina",
                                    "A reply", &error);
  g_assert_no_error (error);
  /* updated_at has a resolution of one second: make the order certain. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE chats SET updated_at = updated_at + 10"
                                            " WHERE id = %" G_GINT64_FORMAT, older);

    natter_database_exec (f.db, sql, &error);
    g_assert_no_error (error);
  }
  natter_chat_store_rename_chat (f.store, older, "Older", &error);
  wait_for_items_changed (model);
  drain ();

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  info = chat_info_at (model, 0);
  g_assert_true (info == older_info);
  g_assert_cmpint (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (info), "test-mark")), ==, 1);
  g_assert_cmpstr (natter_chat_info_get_preview (info), ==, "A reply");
  g_assert_cmpint (natter_chat_info_get_message_count (info), ==, 2);

  /* A rename notifies the title on the same item; the list stays as it is. */
  g_signal_connect (info, "notify::title", G_CALLBACK (on_notify), &title_notes);
  g_assert_true (natter_chat_store_rename_chat (f.store, older, "Renamed", &error));
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (title_notes.notified, ==, 1);
  g_assert_cmpstr (natter_chat_info_get_title (chat_info_at (model, 0)), ==, "Renamed");

  /* A deleted chat leaves the list. */
  g_assert_true (natter_chat_store_delete_chat (f.store, newer, &error));
  wait_for_items_changed (model);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpint (natter_chat_info_get_id (chat_info_at (model, 0)), ==, older);

  /* A branch names its parent. */
  {
    g_autoptr(GPtrArray) page = natter_chat_store_page_messages (f.store, older, -1, 10, &error);
    gint64 branch = natter_chat_store_branch_chat (f.store, older,
                                                   natter_chat_message_get_id (page->pdata[0]),
                                                   "Branch", &error);

    g_assert_no_error (error);
    wait_for_items_changed (model);
    drain ();
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
    for (guint i = 0; i < 2; i++)
      if (natter_chat_info_get_id (chat_info_at (model, i)) == branch)
        g_assert_cmpint (natter_chat_info_get_parent_chat_id (chat_info_at (model, i)), ==, older);
  }

  fixture_teardown (&f);
}

static void
test_characters_model (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) avatar = g_bytes_new_static ("\x89PNG fake", 9);
  GListModel *model;
  g_autoptr(GObject) first = NULL;
  g_autoptr(GObject) second = NULL;
  gint64 zed, ada;

  fixture_setup (&f);

  zed = natter_chat_store_add_character (f.store, "Zed", "{\"name\":\"Zed\"}", NULL, &error);
  g_assert_no_error (error);
  model = natter_chat_store_get_characters_model (f.store);
  g_assert_true (g_list_model_get_item_type (model) == NATTER_TYPE_CHARACTER_INFO);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  ada = natter_chat_store_add_character (f.store, "ada", "{\"name\":\"ada\"}", avatar, &error);
  g_assert_no_error (error);
  wait_for_items_changed (model);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  first = g_list_model_get_item (model, 0);
  second = g_list_model_get_item (model, 1);
  /* By name, ignoring case. */
  g_assert_cmpint (natter_character_info_get_id (NATTER_CHARACTER_INFO (first)), ==, ada);
  g_assert_cmpstr (natter_character_info_get_name (NATTER_CHARACTER_INFO (first)), ==, "ada");
  g_assert_true (g_bytes_equal (natter_character_info_get_avatar (NATTER_CHARACTER_INFO (first)), avatar));
  g_assert_cmpint (natter_character_info_get_id (NATTER_CHARACTER_INFO (second)), ==, zed);
  g_assert_null (natter_character_info_get_avatar (NATTER_CHARACTER_INFO (second)));

  g_assert_true (natter_chat_store_update_character (f.store, zed, "Zed Two", "{\"name\":\"Zed\"}",
                                                     avatar, &error));
  drain ();
  g_assert_cmpstr (natter_character_info_get_name (NATTER_CHARACTER_INFO (second)), ==, "Zed Two");
  g_assert_true (g_bytes_equal (natter_character_info_get_avatar (NATTER_CHARACTER_INFO (second)), avatar));

  g_assert_true (natter_chat_store_delete_character (f.store, ada, &error));
  wait_for_items_changed (model);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  fixture_teardown (&f);
}

/* ---- changes by others -------------------------------------------------- */

static void
test_other_connection (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) other_db = NULL;
  g_autoptr(NatterChatStore) other = NULL;
  GListModel *model;
  gint64 chat;

  fixture_setup (&f);
  model = natter_chat_store_get_chats_model (f.store);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  other_db = natter_database_open (f.path, &error);
  g_assert_no_error (error);
  other = natter_chat_store_new (other_db);

  /* Nothing changed yet. */
  g_assert_false (natter_database_check_external_changes (f.db));

  chat = natter_chat_store_new_chat (other, 0, "From elsewhere", &error);
  natter_chat_store_append_message (other, chat, NATTER_ROLE_USER, "me", "written elsewhere", &error);
  g_assert_no_error (error);

  /* Found by the 500 ms poll on the main context. */
  wait_for_items_changed (model);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (natter_chat_info_get_title (chat_info_at (model, 0)), ==, "From elsewhere");
  g_assert_cmpstr (natter_chat_info_get_preview (chat_info_at (model, 0)), ==, "written elsewhere");
  /* Which messages changed is not known: everyone re-reads. */
  g_assert_true (contains (f.messages_changed, 0));
  g_assert_true (contains (f.chat_changed, 0));
  g_assert_cmpuint (f.characters_changed, >=, 1);

  /* Own writes are not "external"; the other side sees ours. */
  fixture_reset_counts (&f);
  natter_chat_store_rename_chat (f.store, chat, "Renamed here", &error);
  g_assert_no_error (error);
  g_assert_false (natter_database_check_external_changes (f.db));
  g_assert_true (natter_database_check_external_changes (other_db));
  g_assert_false (natter_database_check_external_changes (other_db));

  g_assert_finalize_object (g_steal_pointer (&other));
  g_assert_finalize_object (g_steal_pointer (&other_db));
  fixture_teardown (&f);
}

/* The child half of test_other_process: appends to the chat named in the
 * environment, in a process of its own. */
static void
other_process_child (void)
{
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("NATTER_TEST_STORE_PATH");
  gint64 chat = g_ascii_strtoll (g_getenv ("NATTER_TEST_STORE_CHAT"), NULL, 10);
  g_autoptr(NatterDatabase) db = natter_database_open (path, &error);
  g_autoptr(NatterChatStore) store = NULL;

  g_assert_no_error (error);
  store = natter_chat_store_new (db);
  natter_chat_store_append_message (store, chat, NATTER_ROLE_USER, "cli", "from another process", &error);
  g_assert_no_error (error);
}

static void
test_other_process (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *chat_text = NULL;
  GListModel *model;
  gint64 chat;

  if (g_test_subprocess ())
    {
      other_process_child ();
      return;
    }

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Shared", &error);
  g_assert_no_error (error);
  model = natter_chat_store_get_chats_model (f.store);
  g_assert_cmpstr (natter_chat_info_get_preview (chat_info_at (model, 0)), ==, "");

  chat_text = g_strdup_printf ("%" G_GINT64_FORMAT, chat);
  g_setenv ("NATTER_TEST_STORE_PATH", f.path, TRUE);
  g_setenv ("NATTER_TEST_STORE_CHAT", chat_text, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  g_assert_true (natter_database_check_external_changes (f.db));
  g_assert_true (contains (f.messages_changed, 0));
  /* Same row, updated in place. */
  wait_for_notify (chat_info_at (model, 0), "notify::preview");
  g_assert_cmpstr (natter_chat_info_get_preview (chat_info_at (model, 0)), ==, "from another process");
  g_assert_cmpint (natter_chat_store_count_messages (f.store, chat, NULL), ==, 1);

  fixture_teardown (&f);
}

static void
count_signal (gpointer  instance,
              guint    *count)
{
  (*count)++;
}

/* Presets saved, renamed and deleted by another connection (natter-cli)
 * reach the store's "changed"; chat messages written elsewhere do not. */
static void
test_presets_other_connection (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) other_db = NULL;
  g_autoptr(NatterChatStore) other_chats = NULL;
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(NatterPresetStore) other = NULL;
  g_autoptr(NatterPreset) preset = natter_preset_new ("Elsewhere");
  guint changed = 0;
  gint64 chat;

  fixture_setup (&f);
  presets = natter_preset_store_new (f.db);
  g_signal_connect (presets, "changed", G_CALLBACK (count_signal), &changed);
  other_db = natter_database_open (f.path, &error);
  g_assert_no_error (error);
  other = natter_preset_store_new (other_db);
  other_chats = natter_chat_store_new (other_db);

  /* Own changes are said at once. */
  g_assert_true (natter_preset_store_save (presets, preset, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (natter_database_check_external_changes (other_db));

  /* A message written elsewhere is no preset change. */
  chat = natter_chat_store_new_chat (other_chats, 0, "Chat", &error);
  g_assert_no_error (error);
  g_assert_true (natter_database_check_external_changes (f.db));
  g_assert_cmpuint (changed, ==, 1);

  /* Rename, a chat's choice and delete elsewhere: each is seen here. */
  g_assert_true (natter_preset_store_rename (other, "Elsewhere", "Renamed", &error));
  g_assert_no_error (error);
  g_assert_true (natter_database_check_external_changes (f.db));
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (natter_preset_store_is_saved (presets, "Renamed"));
  g_assert_true (natter_preset_store_set_chat_preset (other, chat, "Renamed", &error));
  g_assert_no_error (error);
  g_assert_true (natter_database_check_external_changes (f.db));
  g_assert_cmpuint (changed, ==, 3);
  g_assert_true (natter_preset_store_delete (other, "Renamed", &error));
  g_assert_no_error (error);
  g_assert_true (natter_database_check_external_changes (f.db));
  g_assert_cmpuint (changed, ==, 4);
  g_assert_false (natter_preset_store_is_saved (presets, "Renamed"));

  g_clear_object (&other_chats);
  g_clear_object (&other);
  g_assert_finalize_object (g_steal_pointer (&other_db));
  g_signal_handlers_disconnect_by_data (presets, &changed);
  g_assert_finalize_object (g_steal_pointer (&presets));
  fixture_teardown (&f);
}

/* ---- off the main thread ------------------------------------------------ */

static void
on_async_done (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  g_autoptr(GTimer) timer = g_timer_new ();

  while (*slot == NULL && g_timer_elapsed (timer, NULL) < 10)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*slot);

  return *slot;
}

static void
test_search_async (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sync_hits = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 chat;

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Dragons", &error);
  for (int i = 0; i < 50; i++)
    {
      g_autofree char *text = g_strdup_printf ("message %d about %s", i, i % 5 == 0 ? "dragons" : "cats");

      natter_chat_store_append_message (f.store, chat, NATTER_ROLE_USER, "me", text, &error);
      g_assert_no_error (error);
    }

  sync_hits = natter_chat_store_search (f.store, "dragons", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sync_hits->len, ==, 10);

  natter_chat_store_search_async (f.store, "dragons", 100, NULL, on_async_done, &result);
  /* Nothing is delivered before the main context runs. */
  g_assert_null (result);
  hits = natter_chat_store_search_finish (f.store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, sync_hits->len);
  for (guint i = 0; i < hits->len; i++)
    {
      NatterSearchHit *a = hits->pdata[i];
      NatterSearchHit *b = sync_hits->pdata[i];

      g_assert_cmpint (a->message_id, ==, b->message_id);
      g_assert_cmpint (a->chat_id, ==, chat);
      g_assert_cmpstr (a->chat_title, ==, "Dragons");
      g_assert_cmpstr (a->snippet, ==, b->snippet);
      g_assert_nonnull (strstr (a->snippet, NATTER_SEARCH_MATCH_BEGIN "dragons" NATTER_SEARCH_MATCH_END));
    }
  g_clear_object (&result);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Cancelled: an error, no hits. */
  g_cancellable_cancel (cancellable);
  natter_chat_store_search_async (f.store, "dragons", 100, cancellable, on_async_done, &result);
  hits = natter_chat_store_search_finish (f.store, wait_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (hits);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Invalid text is refused the same way as synchronously. */
  natter_chat_store_search_async (f.store, "\xff\xfe", 100, NULL, on_async_done, &result);
  hits = natter_chat_store_search_finish (f.store, wait_result (&result), &error);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);

  fixture_teardown (&f);
}

static void
test_page_async (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(NatterReplyWriter) writer = NULL;
  gint64 chat;

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Long", &error);
  for (int i = 0; i < 30; i++)
    {
      g_autofree char *text = g_strdup_printf ("line %d", i);

      natter_chat_store_append_message (f.store, chat, NATTER_ROLE_USER, "me", text, &error);
      g_assert_no_error (error);
    }
  writer = natter_chat_store_begin_reply (f.store, chat, "m", "bot", 0, &error);
  g_assert_no_error (error);
  natter_reply_writer_append (writer, "streaming now", -1, &error);
  natter_reply_writer_flush (writer, &error);
  g_assert_no_error (error);

  natter_chat_store_page_messages_async (f.store, chat, -1, 10, NULL, on_async_done, &result);
  page = natter_chat_store_page_messages_finish (f.store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 10);
  g_assert_cmpstr (natter_chat_message_get_content (page->pdata[0]), ==, "line 21");
  /* The reply this store streams is still streaming, as the store sees it. */
  g_assert_cmpstr (natter_chat_message_get_content (page->pdata[9]), ==, "streaming now");
  g_assert_cmpint (natter_chat_message_get_state (page->pdata[9]), ==, NATTER_SWIPE_STATE_STREAMING);
  g_clear_object (&result);

  natter_reply_writer_finish (writer, NATTER_SWIPE_STATE_COMPLETE, NATTER_ERROR_CATEGORY_NONE, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&writer);
  fixture_teardown (&f);
}

static void
test_import_async (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *file = NULL;
  g_autofree char *missing = NULL;
  GListModel *model;
  gint64 chat, imported;
  gboolean found = FALSE;

  fixture_setup (&f);
  chat = natter_chat_store_new_chat (f.store, 0, "Original", &error);
  for (int i = 0; i < 300; i++)
    {
      g_autofree char *text = g_strdup_printf ("message %d", i);

      natter_chat_store_append_message (f.store, chat, i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                        i % 2 ? "Bot" : "Me", text, &error);
      g_assert_no_error (error);
    }
  file = g_build_filename (f.dir, "chat.jsonl", NULL);
  g_assert_true (natter_st_chat_export_file (f.store, chat, file, &error));
  g_assert_no_error (error);

  model = natter_chat_store_get_chats_model (f.store);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  fixture_reset_counts (&f);

  natter_chat_store_import_st_chat_async (f.store, file, 0, "Imported", NULL, on_async_done, &result);
  imported = natter_chat_store_import_st_chat_finish (f.store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (imported, >, chat);
  g_clear_object (&result);
  /* This store heard of it at once. */
  g_assert_true (contains (f.chat_changed, 0));
  g_assert_cmpint (natter_chat_store_count_messages (f.store, imported, NULL), ==, 300);
  wait_for_items_changed (model);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  for (guint i = 0; i < 2; i++)
    if (natter_chat_info_get_id (chat_info_at (model, i)) == imported)
      {
        found = TRUE;
        g_assert_cmpstr (natter_chat_info_get_title (chat_info_at (model, i)), ==, "Imported");
        g_assert_cmpstr (natter_chat_info_get_preview (chat_info_at (model, i)), ==, "message 299");
      }
  g_assert_true (found);

  /* A failure is an error and nothing is added. */
  missing = g_build_filename (f.dir, "missing.jsonl", NULL);
  natter_chat_store_import_st_chat_async (f.store, missing, 0, NULL, NULL, on_async_done, &result);
  g_assert_cmpint (natter_chat_store_import_st_chat_finish (f.store, wait_result (&result), &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&result);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/store-live/signals", test_signals);
  g_test_add_func ("/natter/store-live/chats-model", test_chats_model);
  g_test_add_func ("/natter/store-live/characters-model", test_characters_model);
  g_test_add_func ("/natter/store-live/other-connection", test_other_connection);
  g_test_add_func ("/natter/store-live/other-process", test_other_process);
  g_test_add_func ("/natter/store-live/presets-other-connection", test_presets_other_connection);
  g_test_add_func ("/natter/store-live/search-async", test_search_async);
  g_test_add_func ("/natter/store-live/page-async", test_page_async);
  g_test_add_func ("/natter/store-live/import-async", test_import_async);

  return g_test_run ();
}
