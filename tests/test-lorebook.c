/* test-lorebook.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "natter-lorebook.h"
#include "natter-test-util.h"

/* A hand-written Character Card V2 with a lorebook that exercises every
 * activation rule. */
static const char card_json[] =
  "{\"spec\": \"chara_card_v2\", \"spec_version\": \"2.0\", \"data\": {"
  "  \"name\": \"Mira\", \"description\": \"A cartographer.\","
  "  \"character_book\": {"
  "    \"name\": \"Mira's world\", \"scan_depth\": 2, \"token_budget\": 500,"
  "    \"recursive_scanning\": false, \"extensions\": {},"
  "    \"entries\": ["
  "      {\"keys\": [\"Harbor\"], \"content\": \"HARBOR\", \"enabled\": true,"
  "       \"insertion_order\": 30, \"position\": \"after_char\", \"extensions\": {}},"
  "      {\"keys\": [\"elf\"], \"content\": \"ELF\", \"enabled\": true,"
  "       \"insertion_order\": 20, \"extensions\": {}},"
  "      {\"keys\": [\"map\"], \"secondary_keys\": [\"old\", \"torn\"], \"selective\": true,"
  "       \"content\": \"OLD MAP\", \"enabled\": true, \"insertion_order\": 10, \"extensions\": {}},"
  "      {\"keys\": [], \"content\": \"ALWAYS\", \"constant\": true, \"enabled\": true,"
  "       \"insertion_order\": 5, \"position\": \"before_char\", \"extensions\": {}},"
  "      {\"keys\": [\"harbor\"], \"content\": \"DISABLED\", \"enabled\": false,"
  "       \"insertion_order\": 1, \"extensions\": {}},"
  "      {\"keys\": [\"/drag(on|ons)\\\\b/i\"], \"content\": \"DRAGON\", \"enabled\": true,"
  "       \"insertion_order\": 40, \"extensions\": {}},"
  "      {\"keys\": [\"Queen\"], \"content\": \"QUEEN\", \"enabled\": true, \"case_sensitive\": true,"
  "       \"insertion_order\": 50, \"extensions\": {}},"
  "      {\"keys\": [\"lighthouse\"], \"content\": \"DEEP\", \"enabled\": true,"
  "       \"insertion_order\": 60, \"extensions\": {\"scan_depth\": 5}},"
  "      {\"keys\": [\"storm\"], \"secondary_keys\": [\"rain\"], \"selective\": true,"
  "       \"content\": \"DRY STORM\", \"enabled\": true, \"insertion_order\": 70,"
  "       \"extensions\": {\"selectiveLogic\": 2}},"
  "      {\"keys\": [\"cat\"], \"content\": \"CATS\", \"enabled\": true,"
  "       \"insertion_order\": 80, \"extensions\": {\"match_whole_words\": false}}"
  "    ]"
  "  }"
  "}}";

static NatterLorebook *
card_book (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  NatterLorebook *book = natter_lorebook_new ();
  JsonObject *data;

  json_parser_load_from_data (parser, card_json, -1, &error);
  g_assert_no_error (error);
  data = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "data");
  natter_lorebook_add_book (book, json_object_get_object_member (data, "character_book"), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (natter_lorebook_get_n_entries (book), ==, 10);

  return book;
}

/* The activated contents, joined with "|", in result order. */
static char *
activate (NatterLorebook     *book,
          const char * const *history,
          gint64              budget)
{
  g_autoptr(GPtrArray) entries = natter_lorebook_activate (book, history,
                                                           history ? g_strv_length ((GStrv) history) : 0,
                                                           budget);
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      NatterLoreEntry *e = g_ptr_array_index (entries, i);

      if (i > 0)
        g_string_append_c (s, '|');
      g_string_append (s, e->content);
    }

  return g_strdup (s->str);
}

static void
check (NatterLorebook     *book,
       const char * const *history,
       const char         *expected)
{
  g_autofree char *got = activate (book, history, 0);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_constant_and_disabled (void)
{
  g_autoptr(NatterLorebook) book = card_book ();
  const char *nothing[] = { "Good morning.", NULL };
  const char *harbor[] = { "We sail to the harbor.", NULL };

  check (book, nothing, "ALWAYS");
  check (book, NULL, "ALWAYS");
  /* The disabled entry shares the key and still stays out. */
  check (book, harbor, "ALWAYS|HARBOR");
}

static void
test_positions (void)
{
  g_autoptr(NatterLorebook) book = card_book ();
  const char *harbor[] = { "The HARBOR is busy.", NULL };
  g_autoptr(GPtrArray) entries = natter_lorebook_activate (book, harbor, 1, 0);
  NatterLoreEntry *always, *h;

  g_assert_cmpuint (entries->len, ==, 2);
  always = g_ptr_array_index (entries, 0);
  h = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (always->content, ==, "ALWAYS");
  g_assert_cmpint (always->position, ==, NATTER_LORE_POSITION_BEFORE_CHAR);
  g_assert_true (always->constant);
  g_assert_cmpstr (h->content, ==, "HARBOR");
  g_assert_cmpint (h->position, ==, NATTER_LORE_POSITION_AFTER_CHAR);
  g_assert_cmpint (h->insertion_order, ==, 30);
  g_assert_cmpint (h->tokens, ==, 2);   /* 6 bytes / 3.5 */
}

static void
test_scan_depth (void)
{
  g_autoptr(NatterLorebook) book = card_book ();
  /* Depth 2: only the last two messages count. */
  const char *old[] = { "An elf arrived.", "Hello.", "How are you?", NULL };
  const char *recent[] = { "Hello.", "An elf arrived.", "How are you?", NULL };
  /* The lighthouse entry scans 5 deep on its own. */
  const char *deep[] = { "The lighthouse.", "a", "b", "c", "d", NULL };
  const char *too_deep[] = { "The lighthouse.", "a", "b", "c", "d", "e", NULL };

  check (book, old, "ALWAYS");
  check (book, recent, "ALWAYS|ELF");
  check (book, deep, "ALWAYS|DEEP");
  check (book, too_deep, "ALWAYS");
}

static void
test_whole_words_and_case (void)
{
  g_autoptr(NatterLorebook) book = card_book ();
  const char *shelf[] = { "The book is on the shelf.", NULL };
  const char *elf_caps[] = { "ELF!", NULL };
  const char *elves[] = { "elf's bow", NULL };
  const char *queen_lower[] = { "the queen waits", NULL };
  const char *queen[] = { "the Queen waits", NULL };
  const char *concat[] = { "Wildcats everywhere", NULL };

  check (book, shelf, "ALWAYS");
  check (book, elf_caps, "ALWAYS|ELF");
  check (book, elves, "ALWAYS|ELF");
  check (book, queen_lower, "ALWAYS");
  check (book, queen, "ALWAYS|QUEEN");
  /* match_whole_words false: inside a word too. */
  check (book, concat, "ALWAYS|CATS");
}

static void
test_selective (void)
{
  g_autoptr(NatterLorebook) book = card_book ();
  const char *map_only[] = { "Show me the map.", NULL };
  const char *old_map[] = { "Show me the map.", "It is very old.", NULL };
  const char *torn_map[] = { "A torn map!", NULL };
  const char *storm_dry[] = { "A storm comes.", NULL };
  const char *storm_rain[] = { "A storm comes, and rain.", NULL };

  check (book, map_only, "ALWAYS");
  check (book, old_map, "ALWAYS|OLD MAP");
  check (book, torn_map, "ALWAYS|OLD MAP");
  /* selectiveLogic 2 (NOT ANY): the secondary key must be absent. */
  check (book, storm_dry, "ALWAYS|DRY STORM");
  check (book, storm_rain, "ALWAYS");
}

static void
test_regex_and_order (void)
{
  g_autoptr(NatterLorebook) book = card_book ();
  const char *dragons[] = { "DRAGONS over the harbor, an elf and an old map", NULL };
  const char *dragonfly[] = { "a dragonfly", NULL };

  /* Sorted by insertion_order: 5, 10, 20, 30, 40. */
  check (book, dragons, "ALWAYS|OLD MAP|ELF|HARBOR|DRAGON");
  check (book, dragonfly, "ALWAYS");
}

static void
test_budget (void)
{
  g_autoptr(NatterLorebook) book = natter_lorebook_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  g_autofree char *capped = NULL;
  const char *none[] = { "x", NULL };

  /* 21 bytes = 6 tokens, 14 bytes = 4 tokens each. */
  natter_lorebook_add_book_json (book,
    "{\"token_budget\": 10, \"entries\": ["
    " {\"keys\": [], \"constant\": true, \"content\": \"AAAAAAAAAAAAAAAAAAAAA\", \"priority\": 5, \"insertion_order\": 1},"
    " {\"keys\": [], \"constant\": true, \"content\": \"BBBBBBBBBBBBBB\", \"priority\": 1, \"insertion_order\": 2},"
    " {\"keys\": [], \"constant\": true, \"content\": \"CCCCCCCCCCCCCC\", \"priority\": 5, \"insertion_order\": 3}"
    "]}", &error);
  g_assert_no_error (error);

  /* Lowest priority goes first: B. */
  got = activate (book, none, 0);
  g_assert_cmpstr (got, ==, "AAAAAAAAAAAAAAAAAAAAA|CCCCCCCCCCCCCC");

  /* The caller's tighter budget: among equal priority the lower order goes. */
  capped = activate (book, none, 5);
  g_assert_cmpstr (capped, ==, "CCCCCCCCCCCCCC");
}

static void
test_recursive (void)
{
  g_autoptr(NatterLorebook) flat = natter_lorebook_new ();
  g_autoptr(NatterLorebook) rec = natter_lorebook_new ();
#define RECURSIVE_BOOK \
    "{\"recursive_scanning\": %s, \"entries\": [" \
    " {\"keys\": [\"castle\"], \"content\": \"The castle belongs to the duke.\", \"insertion_order\": 1}," \
    " {\"keys\": [\"duke\"], \"content\": \"The duke is old.\", \"insertion_order\": 2}" \
    "]}"
  g_autofree char *flat_json = g_strdup_printf (RECURSIVE_BOOK, "false");
  g_autofree char *rec_json = g_strdup_printf (RECURSIVE_BOOK, "true");
  const char *history[] = { "We reach the castle.", NULL };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_assert_true (natter_lorebook_add_book_json (flat, flat_json, NULL));
  g_assert_true (natter_lorebook_add_book_json (rec, rec_json, NULL));
  a = activate (flat, history, 0);
  b = activate (rec, history, 0);
  g_assert_cmpstr (a, ==, "The castle belongs to the duke.");
  g_assert_cmpstr (b, ==, "The castle belongs to the duke.|The duke is old.");
}

static void
test_world_book_fixture (void)
{
  g_autofree char *path = natter_test_fixture_path ("sillytavern/Eldoria.json");
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterLorebook) book = natter_lorebook_new ();
  g_autoptr(GPtrArray) entries = NULL;
  const char *history[] = { "Where am I? This magical forest is strange.", NULL };
  const char *unrelated[] = { "Hello there.", NULL };

  g_file_get_contents (path, &json, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (natter_lorebook_add_book_json (book, json, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (natter_lorebook_get_n_entries (book), ==, 4);

  entries = natter_lorebook_activate (book, history, 1, 0);
  g_assert_cmpuint (entries->len, >=, 1);
  g_assert_true (strstr (((NatterLoreEntry *) g_ptr_array_index (entries, 0))->content,
                         "Eldoria") != NULL);
  g_clear_pointer (&entries, g_ptr_array_unref);

  entries = natter_lorebook_activate (book, unrelated, 1, 0);
  g_assert_cmpuint (entries->len, ==, 0);
}

static void
test_invalid (void)
{
  const char *bad[] = {
    "not json",
    "[]",
    "{\"name\": \"no entries\"}",
    "{\"entries\": 5}",
    "{\"entries\": [{\"keys\": [\"a\"], \"content\": \"ok\"}, 7]}",
    /* Escapes json-glib reads into text that is not UTF-8. */
    "{\"entries\": [{\"keys\": [\"a\"], \"content\": \"x\\733\"}]}",
    "{\"entries\": [{\"keys\": [\"a\\ud800\"], \"content\": \"ok\"}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(NatterLorebook) book = natter_lorebook_new ();
      g_autoptr(GError) error = NULL;

      g_assert_false (natter_lorebook_add_book_json (book, bad[i], &error));
      g_assert_error (error, NATTER_LOREBOOK_ERROR, NATTER_LOREBOOK_ERROR_INVALID);
      /* Nothing of a rejected book is kept. */
      g_assert_cmpuint (natter_lorebook_get_n_entries (book), ==, 0);
    }

  /* A broken regex key and odd field types cost only that key. */
  {
    g_autoptr(NatterLorebook) book = natter_lorebook_new ();
    g_autoptr(GError) error = NULL;
    const char *history[] = { "the word", NULL };
    g_autofree char *got = NULL;

    natter_lorebook_add_book_json (book,
      "{\"scan_depth\": \"deep\", \"entries\": [{\"keys\": [\"/(unclosed/\", 3, \"word\"],"
      " \"content\": \"W\", \"insertion_order\": null, \"enabled\": \"yes\"}]}", &error);
    g_assert_no_error (error);
    got = activate (book, history, 0);
    g_assert_cmpstr (got, ==, "W");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/lorebook/constant-and-disabled", test_constant_and_disabled);
  g_test_add_func ("/natter/lorebook/positions", test_positions);
  g_test_add_func ("/natter/lorebook/scan-depth", test_scan_depth);
  g_test_add_func ("/natter/lorebook/whole-words-and-case", test_whole_words_and_case);
  g_test_add_func ("/natter/lorebook/selective", test_selective);
  g_test_add_func ("/natter/lorebook/regex-and-order", test_regex_and_order);
  g_test_add_func ("/natter/lorebook/budget", test_budget);
  g_test_add_func ("/natter/lorebook/recursive", test_recursive);
  g_test_add_func ("/natter/lorebook/world-book-fixture", test_world_book_fixture);
  g_test_add_func ("/natter/lorebook/invalid", test_invalid);

  return g_test_run ();
}
