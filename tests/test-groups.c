/* test-groups.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "natter-chat-export.h"
#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-conversation-group.h"
#include "natter-database.h"
#include "natter-fake-provider.h"
#include "natter-preset-store.h"
#include "natter-preset.h"
#include "natter-profile.h"
#include "natter-request-log.h"
#include "natter-st-chat.h"
#include "natter-st-group.h"
#include "natter-test-util.h"

typedef struct
{
  char               *tmpdir;
  NatterDatabase     *database;
  NatterRequestLog   *log;
  NatterClient       *client;
  NatterChatStore    *store;
  NatterConversation *conv;
  NatterFakeProvider *fake;
  NatterProfile      *profile;
  gint64              alice, bob, carol;
} Fixture;

static gint64
add_card (Fixture    *f,
          const char *name,
          const char *talkativeness)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gint64 id;

  json = g_strdup_printf ("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{"
                          "\"name\":\"%s\",\"description\":\"DESC-%s: {{char}} sits here.\","
                          "\"personality\":\"PERS-%s\",\"scenario\":\"\","
                          "\"first_mes\":\"Hello from %s, {{user}}.\",\"mes_example\":\"\","
                          "\"alternate_greetings\":[],\"tags\":[],\"creator\":\"\","
                          "\"character_version\":\"\",\"creator_notes\":\"\",\"system_prompt\":\"\","
                          "\"post_history_instructions\":\"\","
                          "\"extensions\":{\"talkativeness\":\"%s\"}}}",
                          name, name, name, name, talkativeness);
  id = natter_chat_store_add_character (f->store, NULL, json, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static char *
openai_chunk (const char *content)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "delta");
  json_builder_begin_object (b);
  if (content != NULL)
    {
      json_builder_set_member_name (b, "content");
      json_builder_add_string_value (b, content);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "finish_reason");
  if (content != NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, "stop");
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  return g_strdup_printf ("data: %s\n\n", json);
}

/* Queues one streamed reply saying @text. */
static void
queue_reply (Fixture    *f,
             const char *text)
{
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  g_autofree char *chunk = openai_chunk (text);
  g_autofree char *last = openai_chunk (NULL);

  natter_fake_response_add_chunk (response, chunk, -1, 0);
  natter_fake_response_add_chunk (response, last, -1, 0);
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_clear_routes (f->fake);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", response);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
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
  g_setenv ("OPENAI_API_KEY", "sk-groups-test", TRUE);
  f->profile = natter_profile_new ("Test", "openai");
  url = g_strconcat (natter_fake_provider_get_url (f->fake), "/v1", NULL);
  natter_profile_set_base_url (f->profile, url);
  natter_profile_set_model (f->profile, "model-test");
  f->alice = add_card (f, "Alice", "0.5");
  f->bob = add_card (f, "Bob", "0.5");
  f->carol = add_card (f, "Carol", "0.5");
  natter_chat_store_set_user_persona (f->store, "Pat", "A curious guest.", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->profile);
  g_clear_pointer (&f->fake, natter_fake_provider_free);
  g_clear_object (&f->conv);
  g_clear_object (&f->store);
  g_clear_object (&f->client);
  g_clear_object (&f->log);
  g_clear_object (&f->database);
  natter_test_tmpdir_free (f->tmpdir);
}

static gint64
new_group (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 ids[] = { f->alice, f->bob, f->carol };
  gint64 chat_id = natter_conversation_new_group_chat (f->conv, ids, 3, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (chat_id, >, 0);
  return chat_id;
}

static void
set_group (Fixture          *f,
           gint64            chat_id,
           NatterGroupOrder  order,
           NatterGroupCards  cards)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatGroup) group = natter_chat_store_get_group (f->store, chat_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (group);
  group->order = order;
  group->cards = cards;
  natter_chat_store_group_save (f->store, group, &error);
  g_assert_no_error (error);
}

typedef struct
{
  gboolean  done;
  gint64    reply_id;
  char     *text;
  GError   *error;
} Run;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  natter_conversation_send_finish (NATTER_CONVERSATION (object), result, &run->reply_id, &run->error);
  run->done = TRUE;
}

static void
next_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  natter_conversation_next_finish (NATTER_CONVERSATION (object), result, &run->reply_id, &run->error);
  run->done = TRUE;
}

static void
impersonate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;

  run->text = natter_conversation_impersonate_finish (NATTER_CONVERSATION (object), result,
                                                      &run->error);
  run->done = TRUE;
}

/* The speaker of the reply to @text (NULL: a turn without a message),
 * @speaker_id 0: chosen by the group. */
static char *
turn (Fixture    *f,
      gint64      chat_id,
      const char *text,
      gint64      speaker_id,
      const char *reply)
{
  g_autoptr(NatterChatMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  queue_reply (f, reply);
  if (text != NULL)
    natter_conversation_send_async (f->conv, chat_id, f->profile, text, NULL, NULL, NULL, NULL,
                                    send_cb, &run);
  else
    natter_conversation_next_async (f->conv, chat_id, f->profile, speaker_id, NULL, NULL, NULL,
                                    NULL, next_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  message = natter_chat_store_get_message (f->store, run.reply_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_chat_message_get_content (message), ==, reply);
  return g_strdup (natter_chat_message_get_name (message));
}

/* The text of every message of the last request, joined. */
static char *
last_request_text (Fixture *f)
{
  guint n = natter_fake_provider_get_n_requests (f->fake);
  const NatterFakeRequest *req = natter_fake_provider_get_request (f->fake, n - 1);
  g_autoptr(JsonNode) root = json_from_string (req->body, NULL);
  JsonArray *messages = json_object_get_array_member (json_node_get_object (root), "messages");
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *m = json_array_get_object_element (messages, i);

      g_string_append_printf (out, "[%s] %s\n", json_object_get_string_member (m, "role"),
                              json_object_get_string_member (m, "content"));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
last_message_content (Fixture *f)
{
  guint n = natter_fake_provider_get_n_requests (f->fake);
  const NatterFakeRequest *req = natter_fake_provider_get_request (f->fake, n - 1);
  static char *kept;
  g_autoptr(JsonNode) root = json_from_string (req->body, NULL);
  JsonArray *messages = json_object_get_array_member (json_node_get_object (root), "messages");
  JsonObject *m = json_array_get_object_element (messages, json_array_get_length (messages) - 1);

  g_free (kept);
  kept = g_strdup (json_object_get_string_member (m, "content"));
  return kept;
}

/* ------------------------------------------------------------ tests */

static void
test_store (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(NatterChat) chat = NULL;
  gint64 ids[] = { f->alice, f->bob };
  gint64 chat_id;

  chat_id = natter_chat_store_new_group_chat (f->store, ids, 2, "Two", &error);
  g_assert_no_error (error);
  g_assert_true (natter_chat_store_is_group_chat (f->store, chat_id));

  natter_chat_store_group_add (f->store, chat_id, f->carol, &error);
  g_assert_no_error (error);
  natter_chat_store_group_add (f->store, chat_id, f->carol, &error);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  natter_chat_store_group_mute (f->store, chat_id, f->bob, TRUE, &error);
  g_assert_no_error (error);
  natter_chat_store_group_move (f->store, chat_id, f->carol, 0, &error);
  g_assert_no_error (error);

  group = natter_chat_store_get_group (f->store, chat_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (group->members->len, ==, 3);
  g_assert_cmpstr (((NatterGroupMember *) group->members->pdata[0])->name, ==, "Carol");
  g_assert_cmpstr (((NatterGroupMember *) group->members->pdata[1])->name, ==, "Alice");
  g_assert_cmpstr (((NatterGroupMember *) group->members->pdata[2])->name, ==, "Bob");
  g_assert_true (((NatterGroupMember *) group->members->pdata[2])->muted);
  g_assert_cmpuint (natter_chat_group_count_unmuted (group), ==, 2);
  /* The chat's character follows the first member. */
  chat = natter_chat_store_get_chat (f->store, chat_id, &error);
  g_assert_cmpint (natter_chat_get_character_id (chat), ==, f->carol);

  group->order = NATTER_GROUP_ORDER_MANUAL;
  group->cards = NATTER_GROUP_CARDS_JOIN;
  group->auto_turns = 3;
  natter_chat_store_group_save (f->store, group, &error);
  g_assert_no_error (error);
  g_clear_pointer (&group, natter_chat_group_free);
  group = natter_chat_store_get_group (f->store, chat_id, &error);
  g_assert_cmpint (group->order, ==, NATTER_GROUP_ORDER_MANUAL);
  g_assert_cmpint (group->cards, ==, NATTER_GROUP_CARDS_JOIN);
  g_assert_cmpuint (group->auto_turns, ==, 3);

  natter_chat_store_group_remove (f->store, chat_id, f->carol, &error);
  g_assert_no_error (error);
  natter_chat_store_group_remove (f->store, chat_id, f->alice, &error);
  g_assert_no_error (error);
  natter_chat_store_group_remove (f->store, chat_id, f->bob, &error);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A branch (or a duplicate) of a group chat is a group chat too. */
  {
    g_autoptr(GPtrArray) page = NULL;
    g_autoptr(NatterChatGroup) copy = NULL;
    gint64 message_id = natter_chat_store_append_message (f->store, chat_id, NATTER_ROLE_USER, "Pat",
                                                          "Hello", &error);
    gint64 branch = natter_chat_store_branch_chat (f->store, chat_id, message_id, "Branch", &error);

    g_assert_no_error (error);
    copy = natter_chat_store_get_group (f->store, branch, &error);
    g_assert_nonnull (copy);
    g_assert_cmpuint (copy->members->len, ==, 1);
    g_assert_cmpstr (((NatterGroupMember *) copy->members->pdata[0])->name, ==, "Bob");
    g_assert_true (((NatterGroupMember *) copy->members->pdata[0])->muted);
    g_assert_cmpint (copy->order, ==, NATTER_GROUP_ORDER_MANUAL);
  }

  /* A plain chat is not a group. */
  g_clear_pointer (&group, natter_chat_group_free);
  chat_id = natter_chat_store_new_chat (f->store, f->alice, "One", &error);
  g_assert_null (natter_chat_store_get_group (f->store, chat_id, &error));
  g_assert_no_error (error);
}

static void
test_greetings (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(NatterChat) chat = NULL;
  gint64 chat_id = new_group (f);

  page = natter_chat_store_page_messages (f->store, chat_id, -1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpstr (natter_chat_message_get_name (page->pdata[0]), ==, "Alice");
  g_assert_cmpstr (natter_chat_message_get_content (page->pdata[0]), ==, "Hello from Alice, Pat.");
  g_assert_cmpstr (natter_chat_message_get_name (page->pdata[1]), ==, "Bob");
  g_assert_cmpstr (natter_chat_message_get_name (page->pdata[2]), ==, "Carol");
  chat = natter_chat_store_get_chat (f->store, chat_id, &error);
  g_assert_cmpstr (natter_chat_get_title (chat), ==, "Alice, Bob, Carol");
}

static void
test_natural (Fixture       *f,
              gconstpointer  data)
{
  gint64 chat_id = new_group (f);
  char *speaker;

  /* The person names Bob: Bob answers, told so by the nudge. */
  speaker = turn (f, chat_id, "Bob, what is for dinner?", 0, "Bob thinks Carol cooked it.");
  g_assert_cmpstr (speaker, ==, "Bob");
  g_free (speaker);
  g_assert_cmpstr (last_message_content (f), ==, "[Write the next reply only as Bob.]");

  /* Bob named himself and Carol: not himself again, Carol. */
  speaker = turn (f, chat_id, NULL, 0, "Ask Alice.");
  g_assert_cmpstr (speaker, ==, "Carol");
  g_free (speaker);

  /* Carol named Alice. */
  speaker = turn (f, chat_id, NULL, 0, "Alice thinks so too.");
  g_assert_cmpstr (speaker, ==, "Alice");
  g_free (speaker);

  /* Alice named herself: with "answer themselves" on, she goes on. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NatterChatGroup) group = natter_chat_store_get_group (f->store, chat_id, &error);

    group->allow_self = TRUE;
    natter_chat_store_group_save (f->store, group, &error);
    g_assert_no_error (error);
  }
  speaker = turn (f, chat_id, NULL, 0, "Yes?");
  g_assert_cmpstr (speaker, ==, "Alice");
  g_free (speaker);
}

static void
test_talkativeness (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 silent1 = add_card (f, "Dora", "0");
  gint64 chatty = add_card (f, "Ezra", "1");
  gint64 silent2 = add_card (f, "Finn", "0");
  gint64 ids[] = { silent1, chatty, silent2 };
  g_autoptr(NatterChatGroup) group = NULL;
  gint64 chat_id;
  gint64 first[8];

  chat_id = natter_chat_store_new_group_chat (f->store, ids, 3, "Quiet", &error);
  g_assert_no_error (error);
  group = natter_chat_store_get_group (f->store, chat_id, &error);

  /* Nobody named: only the talkative one is ever drawn. */
  for (guint i = 0; i < 20; i++)
    g_assert_cmpint (natter_conversation_pick_speaker (f->conv, group, "What now?", NULL, NULL),
                     ==, chatty);

  /* With equal talkativeness a seed repeats the draws. */
  g_clear_pointer (&group, natter_chat_group_free);
  {
    gint64 even[] = { f->alice, f->bob, f->carol };
    g_autoptr(GRand) rand1 = g_rand_new_with_seed (42);
    g_autoptr(GRand) rand2 = g_rand_new_with_seed (42);
    gboolean varied = FALSE;

    chat_id = natter_chat_store_new_group_chat (f->store, even, 3, "Even", &error);
    group = natter_chat_store_get_group (f->store, chat_id, &error);
    for (guint i = 0; i < G_N_ELEMENTS (first); i++)
      {
        first[i] = natter_conversation_pick_speaker (f->conv, group, "Hm.", NULL, rand1);
        varied |= i > 0 && first[i] != first[0];
      }
    for (guint i = 0; i < G_N_ELEMENTS (first); i++)
      g_assert_cmpint (natter_conversation_pick_speaker (f->conv, group, "Hm.", NULL, rand2),
                       ==, first[i]);
    g_assert_true (varied);
  }
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  gint64 chat_id = new_group (f);
  const char *expected[] = { "Alice", "Bob", "Carol", "Alice" };

  set_group (f, chat_id, NATTER_GROUP_ORDER_LIST, NATTER_GROUP_CARDS_SWAP);
  /* The greetings ended with Carol: the list goes on from the start,
   * whoever is named. */
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *speaker = turn (f, chat_id, i == 0 ? "Carol, hi!" : NULL, 0, "Turn.");

      g_assert_cmpstr (speaker, ==, expected[i]);
    }
}

static void
test_manual (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *speaker = NULL;
  gint64 chat_id = new_group (f);
  gint64 stranger = add_card (f, "Stranger", "0.5");
  Run run = { 0 };

  set_group (f, chat_id, NATTER_GROUP_ORDER_MANUAL, NATTER_GROUP_CARDS_SWAP);
  speaker = turn (f, chat_id, NULL, f->bob, "Bob picked.");
  g_assert_cmpstr (speaker, ==, "Bob");
  g_clear_pointer (&speaker, g_free);
  speaker = turn (f, chat_id, NULL, f->bob, "Bob again.");
  g_assert_cmpstr (speaker, ==, "Bob");

  natter_conversation_next_async (f->conv, chat_id, f->profile, stranger, NULL, NULL, NULL, NULL,
                                  next_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_error (run.error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_NOT_A_MEMBER);
  g_clear_error (&run.error);
}

static void
test_mute (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 chat_id = new_group (f);
  Run run = { 0 };

  natter_chat_store_group_mute (f->store, chat_id, f->bob, TRUE, &error);
  g_assert_no_error (error);
  /* Bob is named but muted. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *speaker = turn (f, chat_id, i == 0 ? "Bob?" : NULL, 0, "Not Bob.");

      g_assert_cmpstr (speaker, !=, "Bob");
    }
  set_group (f, chat_id, NATTER_GROUP_ORDER_LIST, NATTER_GROUP_CARDS_SWAP);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *speaker = turn (f, chat_id, NULL, 0, "Listed.");

      g_assert_cmpstr (speaker, !=, "Bob");
    }

  natter_chat_store_group_mute (f->store, chat_id, f->alice, TRUE, &error);
  natter_chat_store_group_mute (f->store, chat_id, f->carol, TRUE, &error);
  g_assert_no_error (error);
  natter_conversation_next_async (f->conv, chat_id, f->profile, 0, NULL, NULL, NULL, NULL,
                                  next_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_error (run.error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_NOT_A_MEMBER);
  g_clear_error (&run.error);
}

static void
test_cards (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *swap = NULL;
  g_autofree char *join = NULL;
  g_autofree char *speaker = NULL;
  gint64 chat_id = new_group (f);

  speaker = turn (f, chat_id, NULL, f->alice, "Alice speaks.");
  swap = last_request_text (f);
  g_assert_nonnull (strstr (swap, "DESC-Alice: Alice sits here."));
  g_assert_null (strstr (swap, "DESC-Bob"));

  set_group (f, chat_id, NATTER_GROUP_ORDER_NATURAL, NATTER_GROUP_CARDS_JOIN);
  g_clear_pointer (&speaker, g_free);
  speaker = turn (f, chat_id, NULL, f->bob, "Bob speaks.");
  join = last_request_text (f);
  /* Each member's card speaks of them by their own name. */
  g_assert_nonnull (strstr (join, "DESC-Alice: Alice sits here."));
  g_assert_nonnull (strstr (join, "DESC-Bob: Bob sits here."));
  g_assert_nonnull (strstr (join, "DESC-Carol: Carol sits here."));
  g_assert_nonnull (strstr (join, "Carol: PERS-Carol"));
  g_assert_cmpstr (last_message_content (f), ==, "[Write the next reply only as Bob.]");
}

static void
regenerate_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Run *run = user_data;

  natter_conversation_regenerate_finish (NATTER_CONVERSATION (object), result, &run->reply_id,
                                         &run->error);
  run->done = TRUE;
}

static void
continue_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;

  run->reply_id = natter_conversation_continue_finish (NATTER_CONVERSATION (object), result,
                                                       &run->error);
  run->done = TRUE;
}

/* A new swipe, or more of a reply, is the same member's. */
static void
test_regenerate_keeps_speaker (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *speaker = NULL;
  g_autofree char *text = NULL;
  g_autoptr(NatterChatMessage) message = NULL;
  gint64 chat_id = new_group (f);
  Run run = { 0 };

  speaker = turn (f, chat_id, NULL, f->bob, "First try.");
  g_assert_cmpstr (speaker, ==, "Bob");
  for (guint i = 0; i < 3; i++)
    {
      memset (&run, 0, sizeof run);
      queue_reply (f, "Second try.");
      natter_conversation_regenerate_async (f->conv, chat_id, f->profile, NULL, NULL, NULL, NULL,
                                            regenerate_cb, &run);
      g_assert_true (natter_test_wait_for (&run.done, 10000));
      g_assert_no_error (run.error);
      g_assert_cmpstr (last_message_content (f), ==, "[Write the next reply only as Bob.]");
    }

  memset (&run, 0, sizeof run);
  queue_reply (f, " And more.");
  natter_conversation_continue_async (f->conv, chat_id, f->profile, NULL, NULL, NULL, NULL,
                                      continue_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  text = last_request_text (f);
  g_assert_nonnull (strstr (text, "DESC-Bob"));
  g_assert_null (strstr (text, "DESC-Alice"));
  message = natter_chat_store_get_message (f->store, run.reply_id, NULL);
  g_assert_cmpstr (natter_chat_message_get_name (message), ==, "Bob");
  g_assert_cmpstr (natter_chat_message_get_content (message), ==, "Second try. And more.");
}

static void
test_impersonate (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 chat_id;
  gint64 before;
  Run run = { 0 };

  chat_id = natter_conversation_new_chat (f->conv, f->alice, NULL, &error);
  g_assert_no_error (error);
  before = natter_chat_store_count_messages (f->store, chat_id, NULL);
  queue_reply (f, "  I would like the stew, please.  ");
  natter_conversation_impersonate_async (f->conv, chat_id, f->profile, NULL, NULL, NULL, NULL,
                                         impersonate_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.text, ==, "I would like the stew, please.");
  g_free (run.text);
  /* Sent last, in the persona's name; nothing stored. */
  g_assert_nonnull (strstr (last_message_content (f), "from the point of view of Pat"));
  g_assert_nonnull (strstr (last_message_content (f), "Don't write as Alice"));
  g_assert_cmpint (natter_chat_store_count_messages (f->store, chat_id, NULL), ==, before);
}

/* Impersonates in @chat_id over a text-completion connection (TabbyAPI's
 * /v1/completions) with @settings; returns the request body, with the
 * prompt and the stop strings sent. */
static JsonObject *
impersonate_text (Fixture    *f,
                  gint64      chat_id,
                  const char *settings)
{
  g_autoptr(NatterProfile) profile = natter_profile_new ("Text", "tabbyapi");
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (f->fake), "/v1", NULL);
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  const NatterFakeRequest *req;
  g_autoptr(JsonNode) root = NULL;
  Run run = { 0 };

  natter_profile_set_base_url (profile, url);
  natter_profile_set_model (profile, "model-test");
  if (settings != NULL)
    natter_profile_set_settings (profile, settings);
  natter_fake_response_add_chunk (response,
                                  "data: {\"id\":\"t1\",\"object\":\"text_completion\",\"choices\":"
                                  "[{\"index\":0,\"text\":\" The stew, please.\",\"finish_reason\":\"stop\"}]}\n\n",
                                  -1, 0);
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_clear_routes (f->fake);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/completions", response);

  natter_conversation_impersonate_async (f->conv, chat_id, profile, NULL, NULL, NULL, NULL,
                                         impersonate_cb, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  g_assert_cmpstr (run.text, ==, "The stew, please.");
  g_free (run.text);

  req = natter_fake_provider_get_request (f->fake, natter_fake_provider_get_n_requests (f->fake) - 1);
  g_assert_cmpstr (req->path, ==, "/v1/completions");
  root = json_from_string (req->body, NULL);
  g_assert_nonnull (root);
  return json_object_ref (json_node_get_object (root));
}

static gboolean
has_stop (JsonObject *body,
          const char *stop)
{
  JsonArray *stops = json_object_get_array_member (body, "stop");

  for (guint i = 0; stops != NULL && i < json_array_get_length (stops); i++)
    if (g_str_equal (json_array_get_string_element (stops, i), stop))
      return TRUE;
  return FALSE;
}

/* On a text-completion backend the prompt of an impersonation ends on the
 * person's turn opener, so the model writes the person's message and not
 * the character's; it stops where the character's turn would begin. */
static void
test_impersonate_text (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) chatml = NULL;
  g_autoptr(JsonObject) alpaca = NULL;
  g_autoptr(JsonObject) group = NULL;
  gint64 ids[2] = { f->alice, f->bob };
  const char *prompt;
  gint64 chat_id, group_id;

  chat_id = natter_conversation_new_chat (f->conv, f->alice, NULL, &error);
  g_assert_no_error (error);
  /* A preset's "start reply with" is the character's, never the person's. */
  {
    g_autoptr(NatterPreset) preset = natter_preset_new ("Prefill");
    NatterPresetStore *presets = natter_conversation_get_preset_store (f->conv);

    natter_preset_set (preset, "assistant_prefill", "PREFILL-MARK", &error);
    g_assert_no_error (error);
    natter_preset_store_save (presets, preset, &error);
    g_assert_no_error (error);
    natter_preset_store_set_chat_preset (presets, chat_id, "Prefill", &error);
    g_assert_no_error (error);
  }

  /* ChatML writes names: the persona's after the user sequence. */
  chatml = impersonate_text (f, chat_id, NULL);
  prompt = json_object_get_string_member (chatml, "prompt");
  g_assert_true (g_str_has_suffix (prompt, "<|im_end|>\n<|im_start|>user\nPat:"));
  g_assert_nonnull (strstr (prompt, "<|im_start|>assistant\nAlice: Hello from Alice, Pat.<|im_end|>"));
  g_assert_nonnull (strstr (prompt, "from the point of view of Pat"));
  g_assert_null (strstr (prompt, "PREFILL-MARK"));
  g_assert_true (has_stop (chatml, "\nAlice:"));
  g_assert_false (has_stop (chatml, "\nPat:"));

  /* Alpaca writes no names: the user sequence alone. */
  alpaca = impersonate_text (f, chat_id, "{\"instruct_template\":\"Alpaca\"}");
  prompt = json_object_get_string_member (alpaca, "prompt");
  g_assert_true (g_str_has_suffix (prompt, "### Instruction:\n"));
  g_assert_null (strstr (prompt, "### Response:\n\n"));

  /* In a group chat too, whoever the group would pick next. */
  group_id = natter_conversation_new_group_chat (f->conv, ids, 2, NULL, &error);
  g_assert_no_error (error);
  group = impersonate_text (f, group_id, NULL);
  prompt = json_object_get_string_member (group, "prompt");
  g_assert_true (g_str_has_suffix (prompt, "<|im_start|>user\nPat:"));
  g_assert_false (has_stop (group, "\nPat:"));
  g_assert_cmpint (natter_chat_store_count_messages (f->store, group_id, NULL), ==, 2);
}

static char *
fixture_text (const char *name)
{
  g_autofree char *path = natter_test_fixture_path (name);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
assert_json_equal (const char *a,
                   const char *b)
{
  g_autoptr(JsonNode) na = json_from_string (a, NULL);
  g_autoptr(JsonNode) nb = json_from_string (b, NULL);

  g_assert_nonnull (na);
  g_assert_nonnull (nb);
  if (!json_node_equal (na, nb))
    g_error ("JSON differs:\n%s\n%s", a, b);
}

static void
test_st_round_trip (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *group_text = fixture_text ("sillytavern/groups/1733600000000.json");
  g_autofree char *chat_text = fixture_text ("sillytavern/groups/2024-12-07@20h00m00s.jsonl");
  g_autofree char *chat_out = NULL;
  g_autofree char *group_out = NULL;
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(NatterChat) chat = NULL;
  g_auto(GStrv) in_lines = NULL;
  g_auto(GStrv) out_lines = NULL;
  g_autofree char *speaker = NULL;
  gint64 chat_id, again;

  chat_id = natter_st_group_import_data (f->store, group_text, -1, chat_text, -1, NULL, &error);
  g_assert_no_error (error);
  group = natter_chat_store_get_group (f->store, chat_id, &error);
  g_assert_cmpuint (group->members->len, ==, 3);
  g_assert_cmpint (group->order, ==, NATTER_GROUP_ORDER_LIST);
  g_assert_cmpint (group->cards, ==, NATTER_GROUP_CARDS_SWAP);
  g_assert_false (group->allow_self);
  g_assert_true (natter_chat_group_find_member (group, "Carol")->muted);
  chat = natter_chat_store_get_chat (f->store, chat_id, &error);
  g_assert_cmpstr (natter_chat_get_title (chat), ==, "Tavern Table");
  g_assert_cmpint (natter_chat_store_count_messages (f->store, chat_id, NULL), ==, 4);

  /* Every line comes back as it was. */
  chat_out = natter_st_group_export_chat (f->store, chat_id, NULL, &error);
  g_assert_no_error (error);
  in_lines = g_strsplit (g_strchomp (chat_text), "\n", -1);
  out_lines = g_strsplit (g_strchomp (chat_out), "\n", -1);
  g_assert_cmpuint (g_strv_length (out_lines), ==, g_strv_length (in_lines));
  for (guint i = 0; in_lines[i] != NULL; i++)
    assert_json_equal (in_lines[i], out_lines[i]);

  group_out = natter_st_group_export_definition (f->store, chat_id, NULL, &error);
  g_assert_no_error (error);
  assert_json_equal (group_text, group_out);

  /* A turn made in Natter carries its speaker's avatar; list order goes on
   * after Bob to Alice (Carol is muted). */
  speaker = turn (f, chat_id, NULL, 0, "More stew?");
  g_assert_cmpstr (speaker, ==, "Alice");
  g_clear_pointer (&chat_out, g_free);
  chat_out = natter_st_group_export_chat (f->store, chat_id, NULL, &error);
  g_assert_nonnull (strstr (chat_out, "\"mes\":\"More stew?\""));
  g_assert_nonnull (strstr (chat_out, "\"original_avatar\":\"Alice.png\""));

  /* What was exported imports again. */
  again = natter_st_group_import_data (f->store, group_out, -1, chat_out, -1, "Again", &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_chat_store_count_messages (f->store, again, NULL), ==, 5);
}

static void
test_st_hostile (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = NULL;

  g_assert_cmpint (natter_st_group_import_data (f->store, "[1,2]", -1, NULL, 0, NULL, &error), ==, 0);
  g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (natter_st_group_import_data (f->store, "{\"members\":[1]}", -1, NULL, 0, NULL,
                                                &error), ==, 0);
  g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (natter_st_group_import_data (f->store, "{\"members\":[\"Nobody.png\"]}", -1,
                                                NULL, 0, NULL, &error), ==, 0);
  g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Nobody"));
  g_clear_error (&error);
  /* An escape JSON does not have, which json-glib reads as a byte that is
   * not UTF-8. */
  g_assert_cmpint (natter_st_group_import_data (f->store, "{\"name\":\"x\\733\",\"members\":[\"Alice.png\"]}",
                                                -1, NULL, 0, NULL, &error), ==, 0);
  g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID);
  g_clear_error (&error);
  /* Half a character, in the definition or in its chat. */
  g_assert_cmpint (natter_st_group_import_data (f->store, "{\"name\":\"x\\ud800\",\"members\":[\"Alice.png\"]}",
                                                -1, NULL, 0, NULL, &error), ==, 0);
  g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "\\uD800"));
  g_clear_error (&error);
  g_assert_cmpint (natter_st_group_import_data (f->store, "{\"members\":[\"Alice.png\"]}", -1,
                                                "{\"user_name\":\"a\"}\n{\"name\":\"Alice\",\"mes\":\"x\\udc00\"}\n",
                                                -1, NULL, &error), ==, 0);
  g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Line 2"));
  g_clear_error (&error);
  deep = g_strnfill (100000, '[');
  g_assert_cmpint (natter_st_group_import_data (f->store, deep, -1, NULL, 0, NULL, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* A bad chat file leaves no group behind. */
  g_assert_cmpint (natter_st_group_import_data (f->store, "{\"members\":[\"Alice.png\"]}", -1,
                                                "{\"mes\":1}\n", -1, NULL, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (natter_database_get_handle (f->database), "SELECT COUNT(*) FROM chats", -1,
                        &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
    sqlite3_finalize (stmt);
  }
}

static void
test_export_text (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *markdown = NULL;
  g_autofree char *jsonl = NULL;
  g_autofree char *path = g_build_filename (f->tmpdir, "chat.md", NULL);
  g_autofree char *written = NULL;
  gint64 chat_id = new_group (f);

  natter_chat_store_append_message (f->store, chat_id, NATTER_ROLE_USER, "Pat", "Hi *all*.", &error);
  g_assert_no_error (error);
  text = natter_chat_export_text (f->store, chat_id, NATTER_CHAT_FORMAT_TEXT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Alice, Bob, Carol\n\n"
                             "Alice: Hello from Alice, Pat.\n\n"
                             "Bob: Hello from Bob, Pat.\n\n"
                             "Carol: Hello from Carol, Pat.\n\n"
                             "Pat: Hi *all*.\n\n");
  markdown = natter_chat_export_text (f->store, chat_id, NATTER_CHAT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (markdown, "# Alice, Bob, Carol\n\n**Alice**\n\nHello from Alice, Pat.\n\n"));
  g_assert_true (g_str_has_suffix (markdown, "**Pat**\n\nHi *all*.\n\n"));
  jsonl = natter_chat_export_text (f->store, chat_id, NATTER_CHAT_FORMAT_JSONL, &error);
  g_assert_nonnull (strstr (jsonl, "\"original_avatar\":\"Bob.png\""));

  g_assert_cmpint (natter_chat_format_for_path ("a/b.MD"), ==, NATTER_CHAT_FORMAT_MARKDOWN);
  g_assert_cmpint (natter_chat_format_for_path ("b.txt"), ==, NATTER_CHAT_FORMAT_TEXT);
  g_assert_cmpint (natter_chat_format_for_path ("b.jsonl"), ==, NATTER_CHAT_FORMAT_JSONL);
  natter_chat_export_file (f->store, chat_id, path, &error);
  g_assert_no_error (error);
  g_file_get_contents (path, &written, NULL, &error);
  g_assert_cmpstr (written, ==, markdown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/natter/groups/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("store", test_store);
  ADD ("greetings", test_greetings);
  ADD ("natural", test_natural);
  ADD ("talkativeness", test_talkativeness);
  ADD ("list", test_list);
  ADD ("manual", test_manual);
  ADD ("mute", test_mute);
  ADD ("cards", test_cards);
  ADD ("regenerate-keeps-speaker", test_regenerate_keeps_speaker);
  ADD ("impersonate", test_impersonate);
  ADD ("impersonate-text", test_impersonate_text);
  ADD ("st-round-trip", test_st_round_trip);
  ADD ("st-hostile", test_st_hostile);
  ADD ("export-text", test_export_text);
#undef ADD

  return g_test_run ();
}
