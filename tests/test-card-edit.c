/* test-card-edit.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-card.h"
#include "natter-card-edit.h"
#include "natter-lorebook.h"
#include "natter-test-util.h"
#include "natter-worldbook-edit.h"

static JsonNode *
parse (const char *text,
       gssize      len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, len, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static JsonNode *
parse_bytes (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return parse (data, (gssize) len);
}

static NatterCard *
load_seraphina (void)
{
  g_autofree char *path = natter_test_fixture_path ("sillytavern/default_Seraphina.png");
  g_autoptr(GError) error = NULL;
  NatterCard *card = natter_card_load_file (path, &error);

  g_assert_no_error (error);
  return card;
}

/* Every member of @a and @b is equal except @changed in "data". */
static void
assert_only_changed (JsonObject *a,
                     JsonObject *b,
                     const char *changed)
{
  g_autoptr(GList) a_members = json_object_get_members (a);
  g_autoptr(GList) b_members = json_object_get_members (b);
  JsonObject *a_data = json_object_get_object_member (a, "data");
  JsonObject *b_data = json_object_get_object_member (b, "data");
  g_autoptr(GList) a_data_members = json_object_get_members (a_data);
  g_autoptr(GList) b_data_members = json_object_get_members (b_data);
  JsonNode *old_value = json_object_get_member (a_data, changed);

  g_assert_cmpuint (g_list_length (a_members), ==, g_list_length (b_members));
  for (GList *l = a_members, *m = b_members; l != NULL; l = l->next, m = m->next)
    {
      JsonNode *an = json_object_get_member (a, l->data);

      g_assert_cmpstr (l->data, ==, m->data);  /* same order */
      if (g_str_equal (l->data, "data"))
        continue;
      /* SillyTavern's V1 copy of the edited field follows it. */
      if (g_str_equal (l->data, g_str_equal (changed, "creator_notes") ? "creatorcomment" : changed) &&
          old_value != NULL && json_node_equal (an, old_value))
        g_assert_true (json_node_equal (json_object_get_member (b, l->data),
                                        json_object_get_member (b_data, changed)));
      else
        g_assert_true (json_node_equal (an, json_object_get_member (b, l->data)));
    }

  g_assert_cmpuint (g_list_length (a_data_members), ==, g_list_length (b_data_members));
  for (GList *l = a_data_members, *m = b_data_members; l != NULL; l = l->next, m = m->next)
    {
      g_assert_cmpstr (l->data, ==, m->data);
      if (g_str_equal (l->data, changed))
        g_assert_false (json_node_equal (json_object_get_member (a_data, l->data),
                                         json_object_get_member (b_data, l->data)));
      else
        g_assert_true (json_node_equal (json_object_get_member (a_data, l->data),
                                        json_object_get_member (b_data, l->data)));
    }
}

static void
test_unedited_identical (void)
{
  g_autoptr(NatterCard) card = load_seraphina ();
  g_autoptr(NatterCard) stored = NULL;
  g_autoptr(NatterCard) same = NULL;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;
  g_autoptr(GBytes) c = NULL;
  g_autofree char *json = natter_card_dup_json (card);
  g_autoptr(GError) error = NULL;

  /* Stored and read back, then "edited" to the values it already has. */
  stored = natter_card_new_from_json (json, &error);
  g_assert_no_error (error);
  same = natter_card_edit_string (stored, "description", natter_card_get_description (stored));
  g_assert_true (same == stored);

  a = natter_card_export_json (card);
  b = natter_card_export_json (stored);
  c = natter_card_export_json (same);
  g_assert_true (g_bytes_equal (a, b));
  g_assert_true (g_bytes_equal (a, c));
}

static void
test_edit_one_field (void)
{
  static const char * const fields[] = {
    "description", "personality", "scenario", "first_mes", "mes_example", "system_prompt",
    "post_history_instructions", "creator_notes", "creator", "character_version", "name",
  };
  g_autoptr(NatterCard) card = load_seraphina ();
  g_autoptr(GBytes) original = natter_card_export_json (card);
  g_autoptr(JsonNode) a = parse_bytes (original);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(NatterCard) edited = natter_card_edit_string (card, fields[i], "Edited text");
      g_autoptr(GBytes) exported = natter_card_export_json (edited);
      g_autoptr(JsonNode) b = parse_bytes (exported);

      assert_only_changed (json_node_get_object (a), json_node_get_object (b), fields[i]);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (b), "data"),
                                                      fields[i]), ==, "Edited text");
    }

  {
    const char *tags[] = { "forest", "healer", NULL };
    g_autoptr(NatterCard) edited = natter_card_edit_strv (card, "tags", tags);
    g_autoptr(GBytes) exported = natter_card_export_json (edited);
    g_autoptr(JsonNode) b = parse_bytes (exported);
    g_auto(GStrv) got = natter_card_dup_tags (edited);

    assert_only_changed (json_node_get_object (a), json_node_get_object (b), "tags");
    g_assert_cmpstrv (got, tags);
  }
  {
    const char *greetings[] = { "Hello there.", NULL };
    g_autoptr(NatterCard) edited = natter_card_edit_strv (card, "alternate_greetings", greetings);
    g_autoptr(GBytes) exported = natter_card_export_json (edited);
    g_autoptr(JsonNode) b = parse_bytes (exported);

    assert_only_changed (json_node_get_object (a), json_node_get_object (b), "alternate_greetings");
  }
}

static void
test_edit_keeps_png_round_trip (void)
{
  g_autoptr(NatterCard) card = load_seraphina ();
  g_autoptr(NatterCard) edited = natter_card_edit_string (card, "scenario", "A storm at sea");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = natter_card_export_png (edited, &error);
  g_autoptr(NatterCard) back = NULL;
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;

  g_assert_no_error (error);
  back = natter_card_load_bytes (png, "edited.png", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_card_get_scenario (back), ==, "A storm at sea");
  /* The extensions and the character book came along. */
  g_assert_nonnull (natter_card_get_extensions (back));
  g_assert_nonnull (natter_card_get_character_book (back));
  a = natter_card_export_json (edited);
  b = natter_card_export_json (back);
  g_assert_true (g_bytes_equal (a, b));
}

static void
test_blank_card (void)
{
  g_autoptr(NatterCard) card = natter_card_new_blank ("Mira");
  g_autofree char *json = natter_card_dup_json (card);
  g_autoptr(NatterCard) back = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) group = NULL;

  back = natter_card_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_card_get_name (back), ==, "Mira");
  g_assert_cmpstr (natter_card_get_spec (back), ==, "chara_card_v3");
  g_assert_cmpstr (natter_card_get_description (back), ==, "");
  group = natter_card_dup_group_only_greetings (back);
  g_assert_cmpuint (g_strv_length (group), ==, 0);
  g_assert_nonnull (natter_card_get_extensions (back));
  g_assert_true (natter_card_field_is_list ("tags"));
  g_assert_false (natter_card_field_is_list ("description"));
  g_assert_false (natter_card_field_is_valid ("a.b"));
  g_assert_false (natter_card_field_is_valid (""));
}

/* ---- world books ------------------------------------------------------- */

/* An entry as SillyTavern writes it today (every field of its template). */
static const char *modern_book =
  "{\"entries\":{\"7\":{\"uid\":7,\"key\":[\"dragon\",\"/wyrm(s)?/i\"],\"keysecondary\":[\"fire\"],"
  "\"comment\":\"Dragons\",\"content\":\"Dragons sleep under the mountain.\",\"constant\":false,"
  "\"vectorized\":false,\"selective\":true,\"selectiveLogic\":3,\"addMemo\":true,\"order\":120,"
  "\"position\":4,\"disable\":false,\"ignoreBudget\":false,\"excludeRecursion\":true,"
  "\"preventRecursion\":false,\"matchPersonaDescription\":false,\"delayUntilRecursion\":false,"
  "\"probability\":75,\"useProbability\":true,\"depth\":2,\"group\":\"\",\"groupOverride\":false,"
  "\"groupWeight\":100,\"scanDepth\":5,\"caseSensitive\":null,\"matchWholeWords\":null,"
  "\"useGroupScoring\":null,\"automationId\":\"\",\"role\":0,\"sticky\":0,\"cooldown\":0,\"delay\":0,"
  "\"displayIndex\":0}},\"originalData\":{\"name\":\"x\"}}";

static void
assert_round_trip (const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) book = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  book = natter_worldbook_import_st (bytes, "book.json", NULL, &error);
  g_assert_no_error (error);
  exported = natter_worldbook_export_st (book);
  a = parse (text, -1);
  b = parse_bytes (exported);
  g_assert_true (json_node_equal (a, b));
}

static void
test_worldbook_round_trip (void)
{
  g_autofree char *path = natter_test_fixture_path ("sillytavern/Eldoria.json");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  assert_round_trip (text);
  assert_round_trip (modern_book);
}

static JsonObject *
import_modern (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (modern_book, strlen (modern_book));
  g_autoptr(GError) error = NULL;
  JsonObject *book = natter_worldbook_import_st (bytes, "book.json", NULL, &error);

  g_assert_no_error (error);
  return book;
}

static void
test_lore_fields (void)
{
  g_autoptr(JsonObject) book = import_modern ();
  JsonObject *entry = json_array_get_object_element (natter_worldbook_get_entries (book), 0);
  g_autoptr(GBytes) before_bytes = natter_worldbook_export_st (book);
  g_autoptr(GBytes) after_bytes = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  NatterLoreFields before, after;
  JsonObject *ea, *eb;
  g_autoptr(GList) members = NULL;

  natter_lore_fields_read (entry, &before);
  g_assert_cmpstr (before.keys[0], ==, "dragon");
  g_assert_cmpstr (before.keys[1], ==, "/wyrm(s)?/i");
  g_assert_cmpstr (before.secondary_keys[0], ==, "fire");
  g_assert_cmpint (before.logic, ==, NATTER_LORE_LOGIC_AND_ALL);
  g_assert_cmpint (before.position, ==, NATTER_LORE_INSERT_AT_DEPTH);
  g_assert_cmpint (before.depth, ==, 2);
  g_assert_cmpint (before.order, ==, 120);
  g_assert_cmpint (before.probability, ==, 75);
  g_assert_cmpint (before.scan_depth, ==, 5);
  g_assert_true (before.exclude_recursion);
  g_assert_false (before.prevent_recursion);
  g_assert_cmpstr (before.comment, ==, "Dragons");

  /* Change the logic and the scan depth only. */
  natter_lore_fields_read (entry, &after);
  after.logic = NATTER_LORE_LOGIC_NOT_ANY;
  after.scan_depth = 8;
  natter_lore_fields_write (entry, &before, &after);
  natter_lore_fields_clear (&before);
  natter_lore_fields_clear (&after);

  after_bytes = natter_worldbook_export_st (book);
  a = parse_bytes (before_bytes);
  b = parse_bytes (after_bytes);
  ea = json_object_get_object_member (json_object_get_object_member (json_node_get_object (a), "entries"), "7");
  eb = json_object_get_object_member (json_object_get_object_member (json_node_get_object (b), "entries"), "7");
  members = json_object_get_members (ea);
  g_assert_cmpuint (json_object_get_size (ea), ==, json_object_get_size (eb));
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (g_str_equal (l->data, "selectiveLogic"))
        g_assert_cmpint (json_object_get_int_member (eb, l->data), ==, 2);
      else if (g_str_equal (l->data, "scanDepth"))
        g_assert_cmpint (json_object_get_int_member (eb, l->data), ==, 8);
      else
        g_assert_true (json_node_equal (json_object_get_member (ea, l->data),
                                        json_object_get_member (eb, l->data)));
    }
}

static void
test_new_entry_exports (void)
{
  g_autoptr(JsonObject) book = natter_worldbook_new ("Harbour");
  JsonObject *entry = natter_worldbook_add_entry (book);
  JsonObject *second = natter_worldbook_add_entry (book);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  NatterLoreFields before, after;
  JsonObject *st;

  g_assert_cmpint (json_object_get_int_member (entry, "id"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (second, "id"), ==, 1);
  natter_lore_fields_read (entry, &before);
  natter_lore_fields_read (entry, &after);
  g_strfreev (after.keys);
  after.keys = g_strsplit ("beacon", ",", -1);
  after.position = NATTER_LORE_INSERT_AN_BOTTOM;
  after.enabled = FALSE;
  after.probability = 40;
  natter_lore_fields_write (entry, &before, &after);
  natter_lore_fields_clear (&before);
  natter_lore_fields_clear (&after);

  bytes = natter_worldbook_export_st (book);
  root = parse_bytes (bytes);
  st = json_object_get_object_member (json_object_get_object_member (json_node_get_object (root), "entries"), "0");
  g_assert_nonnull (st);
  g_assert_cmpint (json_object_get_int_member (st, "position"), ==, 3);
  g_assert_true (json_object_get_boolean_member (st, "disable"));
  g_assert_cmpint (json_object_get_int_member (st, "probability"), ==, 40);
  g_assert_true (json_object_get_boolean_member (st, "useProbability"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (st, "key"), 0), ==, "beacon");
  g_assert_cmpint (natter_lore_insert_from_string ("depth"), ==, NATTER_LORE_INSERT_AT_DEPTH);
  g_assert_cmpint (natter_lore_logic_from_string ("not_all"), ==, NATTER_LORE_LOGIC_NOT_ALL);
  g_assert_cmpint (natter_lore_logic_from_string ("maybe"), ==, -1);
}

/* The activated entries say why they fired. */
static void
test_activation_reason (void)
{
  g_autoptr(JsonObject) book = import_modern ();
  JsonObject *entry = json_array_get_object_element (natter_worldbook_get_entries (book), 0);
  JsonObject *constant = natter_worldbook_add_entry (book);
  g_autoptr(NatterLorebook) lore = natter_lorebook_new ();
  g_autoptr(GPtrArray) fired = NULL;
  g_autoptr(GError) error = NULL;
  const char *history[] = { "The wyrms came with fire at dawn." };
  NatterLoreFields before, after;

  /* Certain to fire when matched. */
  natter_lore_fields_read (entry, &before);
  natter_lore_fields_read (entry, &after);
  after.probability = 100;
  natter_lore_fields_write (entry, &before, &after);
  natter_lore_fields_clear (&before);
  natter_lore_fields_clear (&after);
  json_object_set_boolean_member (constant, "constant", TRUE);
  json_object_set_string_member (constant, "content", "Always.");

  natter_lorebook_add_book (lore, book, &error);
  g_assert_no_error (error);
  fired = natter_lorebook_activate (lore, history, 1, 0);
  g_assert_cmpuint (fired->len, ==, 2);
  for (guint i = 0; i < fired->len; i++)
    {
      NatterLoreEntry *e = g_ptr_array_index (fired, i);

      if (e->constant)
        g_assert_null (e->matched_key);
      else
        g_assert_cmpstr (e->matched_key, ==, "/wyrm(s)?/i");
    }
}

static void
test_probability_zero (void)
{
  g_autoptr(JsonObject) book = import_modern ();
  JsonObject *entry = json_array_get_object_element (natter_worldbook_get_entries (book), 0);
  g_autoptr(NatterLorebook) lore = natter_lorebook_new ();
  g_autoptr(GPtrArray) fired = NULL;
  g_autoptr(GError) error = NULL;
  const char *history[] = { "A dragon breathes fire." };
  NatterLoreFields before, after;

  natter_lore_fields_read (entry, &before);
  natter_lore_fields_read (entry, &after);
  after.probability = 0;
  natter_lore_fields_write (entry, &before, &after);
  natter_lore_fields_clear (&before);
  natter_lore_fields_clear (&after);
  natter_lorebook_add_book (lore, book, &error);
  g_assert_no_error (error);
  fired = natter_lorebook_activate (lore, history, 1, 0);
  g_assert_cmpuint (fired->len, ==, 0);
}

/* Entries sharing an id (or without one) all reach the file. */
static void
test_export_duplicate_ids (void)
{
  static const char *text =
    "{\"name\":\"B\",\"entries\":[{\"id\":3,\"keys\":[\"a\"],\"content\":\"A\"},"
    "{\"id\":3,\"keys\":[\"b\"],\"content\":\"B\"},{\"keys\":[\"c\"],\"content\":\"C\"}]}";
  g_autoptr(JsonNode) book = parse (text, -1);
  g_autoptr(GBytes) bytes = natter_worldbook_export_st (json_node_get_object (book));
  g_autoptr(JsonNode) root = parse_bytes (bytes);
  JsonObject *entries = json_object_get_object_member (json_node_get_object (root), "entries");

  g_assert_cmpuint (json_object_get_size (entries), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entries, "3"), "content"), ==, "A");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entries, "4"), "content"), ==, "B");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entries, "2"), "content"), ==, "C");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/card-edit/unedited-identical", test_unedited_identical);
  g_test_add_func ("/natter/card-edit/one-field", test_edit_one_field);
  g_test_add_func ("/natter/card-edit/png-round-trip", test_edit_keeps_png_round_trip);
  g_test_add_func ("/natter/card-edit/blank", test_blank_card);
  g_test_add_func ("/natter/card-edit/worldbook-round-trip", test_worldbook_round_trip);
  g_test_add_func ("/natter/card-edit/lore-fields", test_lore_fields);
  g_test_add_func ("/natter/card-edit/new-entry-exports", test_new_entry_exports);
  g_test_add_func ("/natter/card-edit/activation-reason", test_activation_reason);
  g_test_add_func ("/natter/card-edit/probability-zero", test_probability_zero);
  g_test_add_func ("/natter/card-edit/export-duplicate-ids", test_export_duplicate_ids);

  return g_test_run ();
}
