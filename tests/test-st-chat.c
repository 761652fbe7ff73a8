/* test-st-chat.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-st-chat.h"
#include "natter-test-util.h"

/* A chat as SillyTavern writes it, with the fields it adds over time and
 * some no version writes (unknown_*), to check that nothing is dropped. */
static const char *st_chat =
  "{\"user_name\":\"Alex\",\"character_name\":\"Seraphina\",\"create_date\":\"2024-03-02@17h05m11s\","
  "\"chat_metadata\":{\"note_prompt\":\"Keep it gentle\",\"note_depth\":4,\"integrity\":\"9c1e\","
  "\"unknown_meta\":[1,2,{\"x\":null}]},\"unknown_header\":true}\n"
  "{\"name\":\"Seraphina\",\"is_user\":false,\"is_system\":false,\"send_date\":\"March 2, 2024 5:05pm\","
  "\"mes\":\"Oh, you're awake.\",\"swipes\":[\"Welcome to the glade.\",\"Oh, you're awake.\",\"Rest now.\"],"
  "\"swipe_id\":1,\"swipe_info\":[{\"send_date\":\"March 2, 2024 5:05pm\",\"extra\":{}},"
  "{\"send_date\":\"March 2, 2024 5:06pm\",\"gen_started\":\"2024-03-02T17:06:00.000Z\",\"extra\":{\"api\":\"openai\"}},"
  "{\"send_date\":\"March 2, 2024 5:07pm\",\"extra\":{\"reasoning\":\"be calm\"}}],"
  "\"extra\":{\"api\":\"openai\",\"model\":\"gpt-4o\"},\"force_avatar\":\"seraphina.png\"}\n"
  "{\"name\":\"Alex\",\"is_user\":true,\"is_system\":false,\"send_date\":\"2024-03-02T17:07:30.000Z\","
  "\"mes\":\"Where am I?\\nWhat \\\"happened\\\"? \\u00e9\\u263a\",\"extra\":{\"bias\":null,\"custom\":{\"k\":[1.5,2]}},"
  "\"unknown_message_field\":\"kept\"}\n"
  "{\"name\":\"Narrator\",\"is_user\":false,\"is_system\":true,\"send_date\":1709399300000,"
  "\"mes\":\"The forest is quiet.\",\"extra\":{\"type\":\"narrator\"}}\n"
  "{\"name\":\"Seraphina\",\"is_user\":false,\"is_system\":false,\"send_date\":\"March 2, 2024 5:09pm\","
  "\"mes\":\"You are in my glade.\",\"gen_started\":\"2024-03-02T17:08:58.000Z\","
  "\"gen_finished\":\"2024-03-02T17:09:01.000Z\",\"swipe_id\":0,\"swipes\":[\"You are in my glade.\"],"
  "\"swipe_info\":[],\"extra\":{\"reasoning\":\"They are lost.\",\"model\":\"claude\",\"token_count\":7}}\n";

typedef struct
{
  char            *dir;
  NatterDatabase  *db;
  NatterChatStore *store;
} Fixture;

static void
fixture_setup (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = natter_test_tmpdir_new ();
  path = g_build_filename (f->dir, "natter.db", NULL);
  f->db = natter_database_open (path, &error);
  g_assert_no_error (error);
  f->store = natter_chat_store_new (f->db);
}

static void
fixture_teardown (Fixture *f)
{
  g_clear_object (&f->store);
  g_clear_object (&f->db);
  natter_test_tmpdir_free (f->dir);
}

static char **
split_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *kept = g_ptr_array_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (kept, g_strdup (lines[i]));
  g_ptr_array_add (kept, NULL);

  return (char **) g_ptr_array_free (kept, FALSE);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static void
assert_json_lines_equal (const char *expected,
                         const char *actual)
{
  g_auto(GStrv) a = split_lines (expected);
  g_auto(GStrv) b = split_lines (actual);

  g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
  for (guint i = 0; a[i] != NULL; i++)
    {
      g_autoptr(JsonNode) na = parse (a[i]);
      g_autoptr(JsonNode) nb = parse (b[i]);

      if (!json_node_equal (na, nb))
        g_error ("line %u differs:\n%s\n%s", i + 1, a[i], b[i]);
    }
}

static void
assert_chats_equal (NatterChatStore *store,
                    gint64           a,
                    gint64           b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pa = natter_chat_store_page_messages (store, a, -1, 1000, &error);
  g_autoptr(GPtrArray) pb = natter_chat_store_page_messages (store, b, -1, 1000, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (pa->len, ==, pb->len);
  for (guint i = 0; i < pa->len; i++)
    {
      NatterChatMessage *ma = pa->pdata[i], *mb = pb->pdata[i];

      g_assert_cmpint (natter_chat_message_get_role (ma), ==, natter_chat_message_get_role (mb));
      g_assert_cmpstr (natter_chat_message_get_name (ma), ==, natter_chat_message_get_name (mb));
      g_assert_cmpstr (natter_chat_message_get_content (ma), ==, natter_chat_message_get_content (mb));
      g_assert_cmpstr (natter_chat_message_get_reasoning (ma), ==, natter_chat_message_get_reasoning (mb));
      g_assert_cmpuint (natter_chat_message_get_n_swipes (ma), ==, natter_chat_message_get_n_swipes (mb));
      g_assert_cmpuint (natter_chat_message_get_swipe_index (ma), ==, natter_chat_message_get_swipe_index (mb));
      g_assert_cmpint (natter_chat_message_get_created_at (ma), ==, natter_chat_message_get_created_at (mb));

      /* Every swipe, not just the selected one. */
      for (guint s = 0; s < natter_chat_message_get_n_swipes (ma); s++)
        {
          g_autoptr(NatterChatMessage) sa = NULL;
          g_autoptr(NatterChatMessage) sb = NULL;

          natter_chat_store_select_swipe (store, natter_chat_message_get_id (ma), s, &error);
          natter_chat_store_select_swipe (store, natter_chat_message_get_id (mb), s, &error);
          g_assert_no_error (error);
          sa = natter_chat_store_get_message (store, natter_chat_message_get_id (ma), &error);
          sb = natter_chat_store_get_message (store, natter_chat_message_get_id (mb), &error);
          g_assert_cmpstr (natter_chat_message_get_content (sa), ==, natter_chat_message_get_content (sb));
          g_assert_cmpstr (natter_chat_message_get_reasoning (sa), ==, natter_chat_message_get_reasoning (sb));
        }
      natter_chat_store_select_swipe (store, natter_chat_message_get_id (ma),
                                      natter_chat_message_get_swipe_index (ma), &error);
      natter_chat_store_select_swipe (store, natter_chat_message_get_id (mb),
                                      natter_chat_message_get_swipe_index (mb), &error);
      g_assert_no_error (error);
    }
}

static void
test_import (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(NatterChat) chat = NULL;
  NatterChatMessage *m;
  gint64 id;

  fixture_setup (&f);
  id = natter_st_chat_import_data (f.store, st_chat, -1, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  chat = natter_chat_store_get_chat (f.store, id, &error);
  g_assert_cmpstr (natter_chat_get_title (chat), ==, "Seraphina – 2024-03-02@17h05m11s");

  page = natter_chat_store_page_messages (f.store, id, -1, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 4);

  m = page->pdata[0];
  g_assert_cmpint (natter_chat_message_get_role (m), ==, NATTER_ROLE_ASSISTANT);
  g_assert_cmpstr (natter_chat_message_get_name (m), ==, "Seraphina");
  g_assert_cmpstr (natter_chat_message_get_content (m), ==, "Oh, you're awake.");
  g_assert_cmpuint (natter_chat_message_get_n_swipes (m), ==, 3);
  g_assert_cmpuint (natter_chat_message_get_swipe_index (m), ==, 1);
  g_assert_cmpstr (natter_chat_message_get_model (m), ==, "gpt-4o");

  m = page->pdata[1];
  g_assert_cmpint (natter_chat_message_get_role (m), ==, NATTER_ROLE_USER);
  g_assert_cmpstr (natter_chat_message_get_content (m), ==, "Where am I?\nWhat \"happened\"? é☺");
  /* 2024-03-02T17:07:30Z */
  g_assert_cmpint (natter_chat_message_get_created_at (m), ==, 1709399250);

  m = page->pdata[2];
  g_assert_cmpint (natter_chat_message_get_role (m), ==, NATTER_ROLE_SYSTEM);
  g_assert_cmpint (natter_chat_message_get_created_at (m), ==, 1709399300);

  m = page->pdata[3];
  g_assert_cmpstr (natter_chat_message_get_reasoning (m), ==, "They are lost.");
  g_assert_cmpuint (natter_chat_message_get_n_swipes (m), ==, 1);

  /* The third swipe of the greeting keeps its reasoning from swipe_info. */
  natter_chat_store_select_swipe (f.store, natter_chat_message_get_id (page->pdata[0]), 2, &error);
  {
    g_autoptr(NatterChatMessage) s = natter_chat_store_get_message (f.store, natter_chat_message_get_id (page->pdata[0]), &error);
    g_assert_cmpstr (natter_chat_message_get_content (s), ==, "Rest now.");
    g_assert_cmpstr (natter_chat_message_get_reasoning (s), ==, "be calm");
  }

  /* Imported text is searchable. */
  {
    g_autoptr(GPtrArray) hits = natter_chat_store_search (f.store, "glade", 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hits->len, ==, 2);
  }

  fixture_teardown (&f);
}

static void
test_round_trip (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *exported_again = NULL;
  g_autofree char *file = NULL;
  g_autofree char *from_file = NULL;
  gint64 id, again;

  fixture_setup (&f);
  id = natter_st_chat_import_data (f.store, st_chat, -1, 0, NULL, &error);
  g_assert_no_error (error);

  /* Import then export: the same JSON, line for line. */
  exported = natter_st_chat_export_data (f.store, id, NULL, &error);
  g_assert_no_error (error);
  assert_json_lines_equal (st_chat, exported);

  /* Export then import: the same chat. */
  file = g_build_filename (f.dir, "chat.jsonl", NULL);
  g_assert_true (natter_st_chat_export_file (f.store, id, file, &error));
  g_assert_no_error (error);
  again = natter_st_chat_import_file (f.store, file, 0, NULL, &error);
  g_assert_no_error (error);
  assert_chats_equal (f.store, id, again);
  exported_again = natter_st_chat_export_data (f.store, again, NULL, &error);
  g_assert_cmpstr (exported, ==, exported_again);
  g_assert_true (g_file_get_contents (file, &from_file, NULL, NULL));
  g_assert_cmpstr (from_file, ==, exported);

  fixture_teardown (&f);
}

static void
test_edits_merge_over_unknown_fields (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *exported = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonNode) greeting = NULL;
  g_autoptr(JsonNode) user = NULL;
  JsonObject *o;
  JsonArray *swipes;
  gint64 id;

  fixture_setup (&f);
  id = natter_st_chat_import_data (f.store, st_chat, -1, 0, NULL, &error);
  page = natter_chat_store_page_messages (f.store, id, -1, 100, &error);
  g_assert_no_error (error);

  natter_chat_store_add_swipe (f.store, natter_chat_message_get_id (page->pdata[0]), "A fourth take.", &error);
  natter_chat_store_edit_message (f.store, natter_chat_message_get_id (page->pdata[1]), "Edited question", &error);
  g_assert_no_error (error);

  exported = natter_st_chat_export_data (f.store, id, NULL, &error);
  lines = split_lines (exported);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);

  greeting = parse (lines[1]);
  o = json_node_get_object (greeting);
  g_assert_cmpstr (json_object_get_string_member (o, "mes"), ==, "A fourth take.");
  g_assert_cmpint (json_object_get_int_member (o, "swipe_id"), ==, 3);
  swipes = json_object_get_array_member (o, "swipes");
  g_assert_cmpuint (json_array_get_length (swipes), ==, 4);
  g_assert_cmpstr (json_array_get_string_element (swipes, 0), ==, "Welcome to the glade.");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "swipe_info")), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (o, "force_avatar"), ==, "seraphina.png");

  user = parse (lines[2]);
  o = json_node_get_object (user);
  g_assert_cmpstr (json_object_get_string_member (o, "mes"), ==, "Edited question");
  g_assert_cmpstr (json_object_get_string_member (o, "unknown_message_field"), ==, "kept");
  g_assert_true (json_object_has_member (json_object_get_object_member (o, "extra"), "custom"));

  fixture_teardown (&f);
}

static void
test_native_chat_round_trip (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonNode) header = NULL;
  const char *alternates[] = { "Hi!", NULL };
  gint64 character, chat, again, msg;
  g_autoptr(NatterReplyWriter) writer = NULL;

  fixture_setup (&f);
  character = natter_chat_store_add_character (f.store, "Aqua", "{\"name\":\"Aqua\"}", NULL, &error);
  natter_chat_store_add_persona (f.store, "Kazuma", "", NULL, &error);
  natter_chat_store_set_default_persona (f.store, 1, &error);
  chat = natter_chat_store_new_chat (f.store, character, "Native", &error);
  natter_chat_store_greet (f.store, chat, "Aqua", "Hello, mortal.", alternates, &error);
  natter_chat_store_append_message (f.store, chat, NATTER_ROLE_USER, "Kazuma", "Hey.", &error);
  msg = natter_chat_store_append_message (f.store, chat, NATTER_ROLE_ASSISTANT, "Aqua", "Worship me.", &error);
  natter_chat_store_add_swipe (f.store, msg, "Bow!", &error);
  natter_chat_store_append_message (f.store, chat, NATTER_ROLE_SYSTEM, "", "[scene change]", &error);
  writer = natter_chat_store_begin_reply (f.store, chat, "llama3", "Aqua", 0, &error);
  natter_reply_writer_append_reasoning (writer, "She is smug.", -1, &error);
  natter_reply_writer_append (writer, "Ta-da!", -1, &error);
  natter_reply_writer_finish (writer, NATTER_SWIPE_STATE_COMPLETE, NATTER_ERROR_CATEGORY_NONE, NULL, &error);
  g_assert_no_error (error);

  exported = natter_st_chat_export_data (f.store, chat, NULL, &error);
  g_assert_no_error (error);
  lines = split_lines (exported);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  header = parse (lines[0]);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (header), "user_name"), ==, "Kazuma");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (header), "character_name"), ==, "Aqua");
  g_assert_true (json_object_has_member (json_node_get_object (header), "chat_metadata"));

  again = natter_st_chat_import_data (f.store, exported, -1, character, "Again", &error);
  g_assert_no_error (error);
  assert_chats_equal (f.store, chat, again);
  {
    g_autofree char *exported_again = natter_st_chat_export_data (f.store, again, NULL, &error);
    assert_json_lines_equal (exported, exported_again);
  }

  fixture_teardown (&f);
}

static gint64
total (NatterDatabase *db,
       const char     *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", table);
  sqlite3_stmt *stmt;
  gint64 n;

  sqlite3_prepare_v2 (natter_database_get_handle (db), sql, -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static void
test_bad_input (void)
{
  Fixture f = { 0 };
  struct {
    const char *data;
    int         code;
    const char *line;
  } cases[] = {
    { "", NATTER_ST_CHAT_ERROR_EMPTY, NULL },
    { "\n\n", NATTER_ST_CHAT_ERROR_EMPTY, NULL },
    { "{\"user_name\":\"a\"}\n{\"mes\":\"ok\"}\n{\"mes\": oops}\n", NATTER_ST_CHAT_ERROR_INVALID, "Line 3" },
    { "{\"user_name\":\"a\"}\n[1,2]\n", NATTER_ST_CHAT_ERROR_INVALID, "Line 2" },
    { "{\"user_name\":\"a\"}\n{\"mes\":\"ok\"}\n{\"name\":\"x\"}\n", NATTER_ST_CHAT_ERROR_INVALID, "Line 3" },
    { "{\"user_name\":\"a\"}\n{\"mes\":5}\n", NATTER_ST_CHAT_ERROR_INVALID, "Line 2" },
    { "{\"user_name\":\"a\"}\n{\"mes\":\"a\",\"swipes\":\"a\"}\n", NATTER_ST_CHAT_ERROR_INVALID, "Line 2" },
    { "{\"user_name\":\"a\"}\n{\"mes\":\"a\",\"swipes\":[\"a\",3]}\n", NATTER_ST_CHAT_ERROR_INVALID, "Line 2" },
    { "{\"user_name\":\"a\"}\n{\"mes\":\"a\",\"swipes\":[\"a\"],\"swipe_id\":4}\n", NATTER_ST_CHAT_ERROR_INVALID, "Line 2" },
    { "{\"user_name\":\"a\"}\n{\"mes\":\"a\",\"is_user\":\"yes\"}\n", NATTER_ST_CHAT_ERROR_INVALID, "Line 2" },
    { "{\"user_name\":\"a\"}\n\n{\"mes\":\"a\"}\n{\"mes\":\"\xff\xfe\"}\n", NATTER_ST_CHAT_ERROR_INVALID, "Line 4" },
    { "{\"user_name\":\"a\"}\n{\"mes\":\"a\"", NATTER_ST_CHAT_ERROR_INVALID, "Line 2" },
  };

  fixture_setup (&f);
  natter_st_chat_import_data (f.store, st_chat, -1, 0, NULL, NULL);
  g_assert_cmpint (total (f.db, "chats"), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 id = natter_st_chat_import_data (f.store, cases[i].data, -1, 0, NULL, &error);

      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_cmpint (id, ==, 0);
      g_assert_error (error, NATTER_ST_CHAT_ERROR, cases[i].code);
      if (cases[i].line != NULL)
        g_assert_true (g_str_has_prefix (error->message, cases[i].line));
      /* Nothing half-imported. */
      g_assert_cmpint (total (f.db, "chats"), ==, 1);
      g_assert_cmpint (total (f.db, "messages"), ==, 4);
      g_assert_cmpint (total (f.db, "swipes"), ==, 6);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *missing = g_build_filename (f.dir, "missing.jsonl", NULL);

    g_assert_cmpint (natter_st_chat_import_file (f.store, missing, 0, NULL, &error), ==, 0);
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (natter_st_chat_export_data (f.store, 99, NULL, &error));
    g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND);
  }

  fixture_teardown (&f);
}

/* Escapes json-glib reads into text that is not UTF-8 (or cuts short)
 * must never reach the database: an imported chat always exports as valid
 * UTF-8, and these lines are refused, naming the line. */
static void
test_escapes_stay_utf8 (void)
{
  Fixture f = { 0 };
  const char *header = "{\"user_name\":\"a\",\"character_name\":\"b\"}\n";
  const char *lines[] = {
    "{\"mes\":\"x\\733y\"}",
    "{\"mes\":\"ok\",\"name\":\"\\377\"}",
    "{\"mes\":\"a\\ud800b\"}",
    "{\"mes\":\"a\\udc00b\"}",
    "{\"mes\":\"a\\ud800\\u0041\"}",
    "{\"mes\":\"a\\u0000b\"}",
    "{\"mes\":\"a\\u12\"}",
    "{\"mes\":\"a\\qb\"}",
    "{\"mes\":\"ok\",\"unknown\\733\":1}",
    "{\"mes\":\"ok\",\"unknown\":[\"\\733\"]}",
    "{\"mes\":\"ok\",\"swipes\":[\"ok\",\"\\ud800x\"]}",
    "{\"mes\":\"ok\",\"swipe_info\":[{\"extra\":{\"reasoning\":\"\\733\"}}]}",
    "{\"mes\":\"ok\",\"extra\":{\"reasoning\":\"\\733\",\"model\":\"\\dc00\"}}",
    /* Single quotes would hide what follows from a scan of the escapes. */
    "{\"mes\":\"ok\",'a\"':\"b\\u0000c\"}",
  };

  fixture_setup (&f);

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *data = g_strconcat (header, "{\"mes\":\"fine\"}\n", lines[i], "\n", NULL);
      gint64 id = natter_st_chat_import_data (f.store, data, -1, 0, NULL, &error);

      g_test_message ("line %u: %s", i, error ? error->message : "(imported)");
      if (id != 0)
        {
          g_autofree char *exported = NULL;
          gsize len;

          exported = natter_st_chat_export_data (f.store, id, &len, &error);
          g_assert_no_error (error);
          g_assert_true (g_utf8_validate (exported, len, NULL));
        }
      g_assert_cmpint (id, ==, 0);
      g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "Line 3"));
      g_assert_cmpint (total (f.db, "chats"), ==, 0);
    }

  /* A header with such an escape is refused too. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (natter_st_chat_import_data (f.store, "{\"user_name\":\"\\733\"}\n{\"mes\":\"a\"}\n",
                                                 -1, 0, NULL, &error), ==, 0);
    g_assert_error (error, NATTER_ST_CHAT_ERROR, NATTER_ST_CHAT_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "Line 1"));
  }

  /* JSON's own escapes, a surrogate pair among them, come back as text. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *exported = NULL;
    gsize len;
    gint64 id;

    id = natter_st_chat_import_data (f.store,
                                     "{\"user_name\":\"a\"}\n"
                                     "{\"mes\":\"\\ud83d\\ude00 \\u00e9\\/\\\\\\\"\\b\\f\\n\\r\\t\","
                                     "\"swipes\":[\"\\uD83D\\uDE00 \\u00e9\\/\\\\\\\"\\b\\f\\n\\r\\t\",\"\\u263a\"]}\n",
                                     -1, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (id, !=, 0);
    exported = natter_st_chat_export_data (f.store, id, &len, &error);
    g_assert_no_error (error);
    g_assert_true (g_utf8_validate (exported, len, NULL));
    g_assert_nonnull (strstr (exported, "\xf0\x9f\x98\x80 \xc3\xa9"));
    g_assert_nonnull (strstr (exported, "\xe2\x98\xba"));
  }

  fixture_teardown (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/st-chat/import", test_import);
  g_test_add_func ("/natter/st-chat/round-trip", test_round_trip);
  g_test_add_func ("/natter/st-chat/edits-merge", test_edits_merge_over_unknown_fields);
  g_test_add_func ("/natter/st-chat/native-round-trip", test_native_chat_round_trip);
  g_test_add_func ("/natter/st-chat/bad-input", test_bad_input);
  g_test_add_func ("/natter/st-chat/escapes-stay-utf8", test_escapes_stay_utf8);

  return g_test_run ();
}
