/* bench-prompt.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Prompt assembly benchmark: prints figures, never fails on wall time.
 *
 * A 10,000-message chat, a 20-block preset (SillyTavern's blocks plus
 * seven of its own, two of them in the history) and a character with a
 * 200-entry lorebook:
 *   the prompt builder alone, everything in memory, a 32,000-token context
 *   the same with an unlimited context (all 10,000 messages sent)
 *   the whole assembly of a request from the database (what a send does
 *   before it sends: chat, card, lorebooks, history paged from SQLite,
 *   preset resolved, request built), 32,000-token context */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-conversation.h"
#include "natter-preset-store.h"
#include "natter-profile.h"
#include "natter-prompt-builder.h"

#define N_MESSAGES 10000
#define N_LORE     200
#define RUNS       30

static char *
card_json (void)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_string_append (s, "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{"
                      "\"name\":\"Mira\",\"description\":\"{{char}} is a cartographer of the north.\","
                      "\"personality\":\"curious, patient\",\"scenario\":\"A long voyage.\","
                      "\"first_mes\":\"Hello.\",\"mes_example\":\"<START>\\n{{user}}: Hi\\n{{char}}: Hello there.\","
                      "\"system_prompt\":\"\",\"post_history_instructions\":\"\",\"alternate_greetings\":[],"
                      "\"tags\":[],\"creator\":\"\",\"character_version\":\"\",\"creator_notes\":\"\","
                      "\"extensions\":{},\"character_book\":{\"name\":\"Atlas\",\"entries\":[");
  for (guint i = 0; i < N_LORE; i++)
    g_string_append_printf (s, "%s{\"keys\":[\"place%u\",\"river%u\"],\"content\":\"Place %u lies by "
                               "river %u, where the ferrymen sing at dusk and the maps disagree.\","
                               "\"enabled\":true,\"insertion_order\":%u,\"id\":%u,\"extensions\":{}}",
                            i > 0 ? "," : "", i, i, i, i, i, i);
  g_string_append (s, "]}}}");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static NatterPreset *
make_preset (void)
{
  NatterPreset *preset = natter_preset_new ("Bench");

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *key = g_strdup_printf ("prompt.custom%u.content", i);
      g_autofree char *pos = g_strdup_printf ("prompt.custom%u.position", i);
      g_autofree char *depth = g_strdup_printf ("prompt.custom%u.depth", i);

      natter_preset_set (preset, key, "Keep {{char}} in character; {{user}} leads.", NULL);
      natter_preset_set (preset, pos, i < 2 ? "history" : (i < 5 ? "before" : "after"), NULL);
      natter_preset_set (preset, depth, i == 0 ? "2" : "4", NULL);
    }
  natter_preset_set (preset, "temperature", "0.8", NULL);
  natter_preset_set (preset, "min_p", "0.05", NULL);
  return preset;
}

static char *
message_text (guint i)
{
  /* Every 50th message and the last ones name a place, so lore fires. */
  if (i % 50 == 0 || i >= N_MESSAGES - 2)
    return g_strdup_printf ("We reached place%u at last, and the river was loud all night long.", (i / 50) % N_LORE);
  return g_strdup_printf ("Message %u: the wind turned and we trimmed the sails again before dawn.", i);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *times,
        const char *extra)
{
  g_array_sort (times, compare_doubles);
  printf ("%-62s median %7.2f ms   p95 %7.2f ms%s\n", what,
          g_array_index (times, double, times->len / 2),
          g_array_index (times, double, (times->len * 95) / 100), extra);
}

static void
bench_builder (JsonObject   *card_data,
               NatterPreset *preset,
               gint64        context)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *extra = NULL;
  guint kept = 0, lore = 0;

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(NatterPromptBuilder) builder = natter_prompt_builder_new ();
      g_autoptr(NatterPromptResult) result = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;
      double ms;

      natter_prompt_builder_set_character (builder, card_data);
      natter_prompt_builder_set_persona (builder, "Robin", "An archer.");
      natter_prompt_builder_set_preset (builder, preset);
      natter_prompt_builder_set_context_size (builder, context);
      natter_prompt_builder_set_reply_reserve (builder, 512);
      natter_prompt_builder_set_random_seed (builder, 1);
      start = g_get_monotonic_time ();
      for (guint i = 0; i < N_MESSAGES; i++)
        {
          g_autofree char *text = message_text (i);

          natter_prompt_builder_add_message (builder, i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                             i % 2 ? "Mira" : "Robin", text);
        }
      result = natter_prompt_builder_build (builder, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (result == NULL)
        g_error ("%s", error->message);
      kept = result->history_kept;
      lore = result->lore->len;
      g_array_append_val (times, ms);
    }
  extra = g_strdup_printf ("   (%u messages sent, %u lore entries)", kept, lore);
  report (context > 0 ? "builder, 32,000-token context" : "builder, unlimited context (all 10,000 sent)",
          times, extra);
}

static void
bench_conversation (const char   *card,
                    NatterPreset *preset)
{
  g_autofree char *dir = g_dir_make_tmp ("natter-bench-prompt-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) database = natter_database_open (path, &error);
  g_autoptr(NatterChatStore) store = NULL;
  g_autoptr(NatterClient) client = NULL;
  g_autoptr(NatterConversation) conv = NULL;
  g_autoptr(NatterProfile) profile = natter_profile_new ("Bench", "openai");
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 character_id, chat_id;

  g_assert_no_error (error);
  store = natter_chat_store_new (database);
  client = natter_client_new (database, NULL, NULL);
  conv = natter_conversation_new (store, client);
  character_id = natter_chat_store_add_character (store, "Mira", card, NULL, &error);
  g_assert_no_error (error);
  chat_id = natter_chat_store_new_chat (store, character_id, "Bench", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autofree char *text = message_text (i);

      natter_chat_store_append_message (store, chat_id, i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                        i % 2 ? "Mira" : "Robin", text, &error);
      g_assert_no_error (error);
    }
  natter_preset_store_save (natter_conversation_get_preset_store (conv), preset, &error);
  natter_preset_store_set_chat_preset (natter_conversation_get_preset_store (conv), chat_id, "Bench", &error);
  g_assert_no_error (error);
  natter_profile_set_base_url (profile, "http://127.0.0.1:9/v1");
  natter_profile_set_model (profile, "bench");
  natter_profile_set_settings (profile, "{\"context_size\":32000,\"max_tokens\":512}");

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(NatterRequest) request = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      request = natter_conversation_build_request (conv, chat_id, profile, "And then?", NULL, NULL, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      g_array_append_val (times, ms);
    }
  report ("whole request from the database, 32,000-token context", times, "");

  g_clear_object (&conv);
  g_clear_object (&client);
  g_clear_object (&store);
  g_clear_object (&database);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *card = card_json ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(NatterPreset) preset = make_preset ();
  JsonObject *data;

  g_setenv ("OPENAI_API_KEY", "sk-bench", TRUE);
  json_parser_load_from_data (parser, card, -1, NULL);
  data = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "data");
  printf ("Prompt assembly: %d-message chat, %u-block preset, %d-entry lorebook, %d runs each\n",
          N_MESSAGES, natter_preset_get_blocks (preset)->len, N_LORE, RUNS);
  bench_builder (data, preset, 32000);
  bench_builder (data, preset, 0);
  bench_conversation (card, preset);
  return EXIT_SUCCESS;
}
