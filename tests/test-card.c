/* test-card.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <zlib.h>
#include <archive.h>
#include <archive_entry.h>

#include "natter-card.h"
#include "natter-charx.h"
#include "natter-png.h"
#include "natter-worldbook.h"
#include "natter-test-util.h"

/* ------------------------------------------------------------ helpers
 * These build and read PNGs on their own, without natter-png, so the
 * tests do not check the codec against itself. */

static void
put_be32 (GByteArray *out,
          guint32     v)
{
  guint8 b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

  g_byte_array_append (out, b, 4);
}

static void
put_chunk (GByteArray *out,
           const char *type,
           const void *data,
           gsize       len)
{
  uLong crc = crc32 (0, (const Bytef *) type, 4);

  if (len > 0)
    crc = crc32 (crc, data, len);
  put_be32 (out, len);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (len > 0)
    g_byte_array_append (out, data, len);
  put_be32 (out, crc);
}

static void
put_text (GByteArray *out,
          const char *keyword,
          const char *text)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();

  g_byte_array_append (body, (const guint8 *) keyword, strlen (keyword) + 1);
  g_byte_array_append (body, (const guint8 *) text, strlen (text));
  put_chunk (out, "tEXt", body->data, body->len);
}

/* A 1×1 grey PNG with the given tEXt chunks (keyword, text, …, NULL). */
static GBytes *
make_png (const char *first_keyword,
          ...)
{
  GByteArray *out = g_byte_array_new ();
  static const guint8 sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 ihdr[13] = { 0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0 };
  static const guint8 raw[2] = { 0, 0x80 };
  guint8 idat[64];
  uLongf idat_len = sizeof idat;
  const char *keyword;
  va_list ap;

  g_assert_cmpint (compress (idat, &idat_len, raw, sizeof raw), ==, Z_OK);
  g_byte_array_append (out, sig, 8);
  put_chunk (out, "IHDR", ihdr, sizeof ihdr);
  put_chunk (out, "IDAT", idat, idat_len);
  va_start (ap, first_keyword);
  for (keyword = first_keyword; keyword != NULL; keyword = va_arg (ap, const char *))
    put_text (out, keyword, va_arg (ap, const char *));
  va_end (ap);
  put_chunk (out, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (out);
}

/* The text of the first tEXt chunk named @keyword, found by a plain walk. */
static char *
find_text (GBytes     *png,
           const char *keyword)
{
  gsize size;
  const guint8 *d = g_bytes_get_data (png, &size);
  gsize pos = 8;

  while (pos + 12 <= size)
    {
      guint32 len = ((guint32) d[pos] << 24) | (d[pos + 1] << 16) | (d[pos + 2] << 8) | d[pos + 3];

      g_assert_cmpuint (pos + 12 + len, <=, size);
      if (memcmp (d + pos + 4, "tEXt", 4) == 0 && len > strlen (keyword)
          && memcmp (d + pos + 8, keyword, strlen (keyword) + 1) == 0)
        return g_strndup ((const char *) d + pos + 8 + strlen (keyword) + 1, len - strlen (keyword) - 1);
      pos += 12 + len;
    }
  return NULL;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

static JsonNode *
parse_base64 (const char *b64)
{
  gsize len;
  g_autofree char *json = (char *) g_base64_decode (b64, &len);
  g_autofree char *text = g_strndup (json, len);

  return parse (text);
}

static char *
b64 (const char *text)
{
  return g_base64_encode ((const guchar *) text, strlen (text));
}

static GBytes *
load_fixture (const char *relative)
{
  g_autofree char *path = natter_test_fixture_path (relative);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static NatterCard *
load_text (const char *text,
           GError    **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return natter_card_load_bytes (bytes, NULL, error);
}

static void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  gsize la, lb;
  const guint8 *da = g_bytes_get_data (a, &la);
  const guint8 *db = g_bytes_get_data (b, &lb);

  g_assert_cmpmem (da, la, db, lb);
}

static void
assert_load_error (GBytes *bytes,
                   GQuark  domain,
                   int     code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = natter_card_load_bytes (bytes, NULL, &error);

  g_assert_null (card);
  g_assert_error (error, domain, code);
  g_assert_cmpuint (strlen (error->message), >, 10);
}

static void
assert_text_error (const char *text,
                   int         code)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  assert_load_error (bytes, NATTER_CARD_ERROR, code);
}

/* A V3 card with unknown keys at every level, in a deliberate order. */
static const char v3_card[] =
  "{\"spec\":\"chara_card_v3\",\"spec_version\":\"3.0\",\"zeta_root\":[1,2.5,null,true],"
  "\"data\":{\"name\":\"Aster\",\"description\":\"A star.\",\"tags\":[\"a\",\"b\"],"
  "\"creator\":\"me\",\"character_version\":\"1\",\"mes_example\":\"<START>\","
  "\"extensions\":{\"z\":1,\"a\":{\"deep\":[{\"k\":\"v\"}]},\"m\":\"x\"},"
  "\"system_prompt\":\"sys\",\"post_history_instructions\":\"phi\",\"first_mes\":\"Hello {{user}}\","
  "\"alternate_greetings\":[\"Hi\",\"Hey\"],\"personality\":\"bright\",\"scenario\":\"space\","
  "\"creator_notes\":\"notes\",\"character_book\":{\"name\":\"Lore\",\"entries\":[{\"keys\":[\"star\"],"
  "\"content\":\"Stars shine.\",\"extensions\":{\"st\":{\"depth\":4}},\"enabled\":true,"
  "\"insertion_order\":10,\"unknown_entry_key\":\"kept\"}],\"extensions\":{},\"unknown_book_key\":7},"
  "\"assets\":[{\"type\":\"icon\",\"uri\":\"embeded://assets/icon/images/main.png\",\"name\":\"main\",\"ext\":\"png\"},"
  "{\"type\":\"background\",\"uri\":\"embeded://assets/background/images/bg.webp\",\"name\":\"bg\",\"ext\":\"webp\"}],"
  "\"nickname\":\"Asty\",\"creator_notes_multilingual\":{\"fr\":\"notes fr\"},\"source\":[\"https://example.org/aster\"],"
  "\"group_only_greetings\":[\"Hello all\"],\"creation_date\":1700000000,\"modification_date\":1700000001,"
  "\"unknown_data_key\":{\"x\":[]}},\"alpha_after\":\"kept\"}";

/* ---------------------------------------------------------------- tests */

static void
test_seraphina (void)
{
  g_autofree char *path = natter_test_fixture_path ("sillytavern/default_Seraphina.png");
  g_autoptr(GBytes) file = load_fixture ("sillytavern/default_Seraphina.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autofree char *chara = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) from_dup = NULL;
  g_autofree char *dup = NULL;
  g_auto(GStrv) greetings = NULL;
  g_auto(GStrv) tags = NULL;
  JsonObject *exp_root, *exp_data, *book, *entry, *extensions;
  JsonArray *exp_greetings;
  GBytes *avatar;
  g_autofree char *avatar_chara = NULL;

  card = natter_card_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (card);

  /* Independent path: the chunk as written by SillyTavern. */
  chara = find_text (file, "chara");
  g_assert_nonnull (chara);
  expected = parse_base64 (chara);
  g_assert_true (json_node_equal (expected, natter_card_get_root (card)));
  dup = natter_card_dup_json (card);
  from_dup = parse (dup);
  g_assert_true (json_node_equal (expected, from_dup));

  exp_root = json_node_get_object (expected);
  exp_data = json_object_get_object_member (exp_root, "data");

  g_assert_cmpstr (natter_card_get_name (card), ==, "Seraphina");
  g_assert_cmpstr (natter_card_get_spec (card), ==, "chara_card_v2");
  g_assert_cmpstr (natter_card_get_spec_version (card), ==, "2.0");
  g_assert_cmpstr (natter_card_get_creator (card), ==, "OtisAlejandro");
  g_assert_true (g_str_has_prefix (natter_card_get_description (card), "[Seraphina's Personality="));
  g_assert_cmpstr (natter_card_get_first_mes (card), ==, json_object_get_string_member (exp_data, "first_mes"));
  g_assert_cmpstr (natter_card_get_mes_example (card), ==, json_object_get_string_member (exp_data, "mes_example"));
  g_assert_cmpstr (natter_card_get_personality (card), ==, json_object_get_string_member (exp_data, "personality"));
  g_assert_cmpstr (natter_card_get_scenario (card), ==, json_object_get_string_member (exp_data, "scenario"));
  g_assert_cmpstr (natter_card_get_system_prompt (card), ==, json_object_get_string_member (exp_data, "system_prompt"));
  g_assert_cmpstr (natter_card_get_post_history_instructions (card), ==,
                   json_object_get_string_member (exp_data, "post_history_instructions"));
  g_assert_cmpstr (natter_card_get_creator_notes (card), ==, json_object_get_string_member (exp_data, "creator_notes"));
  g_assert_cmpstr (natter_card_get_character_version (card), ==,
                   json_object_get_string_member (exp_data, "character_version"));

  greetings = natter_card_dup_alternate_greetings (card);
  exp_greetings = json_object_get_array_member (exp_data, "alternate_greetings");
  g_assert_cmpuint (g_strv_length (greetings), ==, json_array_get_length (exp_greetings));
  for (guint i = 0; i < json_array_get_length (exp_greetings); i++)
    g_assert_cmpstr (greetings[i], ==, json_array_get_string_element (exp_greetings, i));
  tags = natter_card_dup_tags (card);
  g_assert_cmpuint (g_strv_length (tags), ==,
                    json_array_get_length (json_object_get_array_member (exp_data, "tags")));

  /* The lorebook and the extensions SillyTavern wrote. */
  book = natter_card_get_character_book (card);
  g_assert_nonnull (book);
  g_assert_cmpstr (json_object_get_string_member (book, "name"), ==, "Eldoria");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (book, "entries")), ==, 4);
  entry = json_array_get_object_element (json_object_get_array_member (book, "entries"), 0);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (entry, "keys"), 0), ==, "eldoria");
  g_assert_cmpstr (json_object_get_string_member (entry, "position"), ==, "before_char");
  g_assert_true (json_object_has_member (json_object_get_object_member (entry, "extensions"), "useProbability"));
  extensions = natter_card_get_extensions (card);
  g_assert_nonnull (extensions);
  g_assert_cmpstr (json_object_get_string_member (extensions, "world"), ==, "Eldoria");
  g_assert_cmpstr (json_object_get_string_member (extensions, "talkativeness"), ==, "0.5");
  /* V1 fields SillyTavern keeps at the top level survive too. */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (natter_card_get_root (card)), "creatorcomment"),
                   ==, json_object_get_string_member (exp_root, "creatorcomment"));

  /* The avatar is the image without the card chunk. */
  avatar = natter_card_get_avatar (card);
  g_assert_nonnull (avatar);
  g_assert_cmpuint (g_bytes_get_size (avatar), ==, g_bytes_get_size (file) - (12 + strlen ("chara") + 1 + strlen (chara)));
  avatar_chara = find_text (avatar, "chara");
  g_assert_null (avatar_chara);
}

static void
test_seraphina_round_trip (void)
{
  g_autofree char *path = natter_test_fixture_path ("sillytavern/default_Seraphina.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = natter_card_load_file (path, &error);
  g_autoptr(NatterCard) from_json = NULL;
  g_autoptr(NatterCard) from_png = NULL;
  g_autoptr(NatterCard) from_text = NULL;
  g_autoptr(GBytes) json1 = NULL;
  g_autoptr(GBytes) json2 = NULL;
  g_autoptr(GBytes) json3 = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) png2 = NULL;
  g_autofree char *dup = NULL;
  g_autofree char *dup2 = NULL;
  g_autofree char *chara = NULL;
  g_autofree char *ccv3 = NULL;
  g_autoptr(JsonNode) chara_node = NULL;
  g_autoptr(JsonNode) ccv3_node = NULL;

  g_assert_no_error (error);

  json1 = natter_card_export_json (card);
  from_json = natter_card_load_bytes (json1, "Seraphina.json", &error);
  g_assert_no_error (error);
  json2 = natter_card_export_json (from_json);
  assert_bytes_equal (json1, json2);

  png = natter_card_export_png (card, &error);
  g_assert_no_error (error);
  chara = find_text (png, "chara");
  ccv3 = find_text (png, "ccv3");
  g_assert_nonnull (chara);
  g_assert_nonnull (ccv3);
  chara_node = parse_base64 (chara);
  ccv3_node = parse_base64 (ccv3);
  g_assert_true (json_node_equal (chara_node, natter_card_get_root (card)));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ccv3_node), "spec"), ==, "chara_card_v3");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ccv3_node), "spec_version"), ==, "3.0");
  g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (ccv3_node), "data"),
                                  json_object_get_member (json_node_get_object (chara_node), "data")));

  from_png = natter_card_load_bytes (png, "Seraphina.png", &error);
  g_assert_no_error (error);
  dup = natter_card_dup_json (card);
  dup2 = natter_card_dup_json (from_png);
  g_assert_cmpstr (dup, ==, dup2);
  json3 = natter_card_export_json (from_png);
  assert_bytes_equal (json1, json3);
  assert_bytes_equal (natter_card_get_avatar (card), natter_card_get_avatar (from_png));
  png2 = natter_card_export_png (from_png, &error);
  g_assert_no_error (error);
  assert_bytes_equal (png, png2);

  /* The chat store's path: JSON text in, same card out. */
  from_text = natter_card_new_from_json (dup, &error);
  g_assert_no_error (error);
  g_clear_pointer (&dup2, g_free);
  dup2 = natter_card_dup_json (from_text);
  g_assert_cmpstr (dup, ==, dup2);
}

static void
test_lossless_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = load_text (v3_card, &error);
  g_autoptr(NatterCard) again = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GBytes) exported2 = NULL;
  g_autofree char *dup = NULL;
  g_auto(GStrv) greetings = NULL;
  g_auto(GStrv) group = NULL;

  g_assert_no_error (error);
  /* Every key, in the order written, at every level. */
  dup = natter_card_dup_json (card);
  g_assert_cmpstr (dup, ==, v3_card);

  g_assert_cmpstr (natter_card_get_spec (card), ==, "chara_card_v3");
  g_assert_cmpstr (natter_card_get_name (card), ==, "Aster");
  g_assert_cmpstr (natter_card_get_first_mes (card), ==, "Hello {{user}}");
  greetings = natter_card_dup_alternate_greetings (card);
  g_assert_cmpstrv (greetings, ((const char *[]) { "Hi", "Hey", NULL }));
  group = natter_card_dup_group_only_greetings (card);
  g_assert_cmpstrv (group, ((const char *[]) { "Hello all", NULL }));
  g_assert_null (natter_card_get_avatar (card));

  exported = natter_card_export_json (card);
  again = natter_card_load_bytes (exported, NULL, &error);
  g_assert_no_error (error);
  exported2 = natter_card_export_json (again);
  assert_bytes_equal (exported, exported2);
}

static void
test_v3_png_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = load_text (v3_card, &error);
  g_autoptr(NatterCard) again = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *chara = NULL;
  g_autoptr(JsonNode) chara_node = NULL;
  g_autofree char *dup = NULL;
  JsonObject *data;

  g_assert_no_error (error);
  /* No avatar: the built-in image carries the card. */
  png = natter_card_export_png (card, &error);
  g_assert_no_error (error);
  g_assert_true (natter_png_has_signature (g_bytes_get_data (png, NULL), g_bytes_get_size (png)));

  chara = find_text (png, "chara");
  chara_node = parse_base64 (chara);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (chara_node), "spec"), ==, "chara_card_v2");
  data = json_object_get_object_member (json_node_get_object (chara_node), "data");
  /* V3-only fields are kept in the V2 backfill, with the V3 notice. */
  g_assert_cmpstr (json_object_get_string_member (data, "nickname"), ==, "Asty");
  g_assert_true (json_object_has_member (data, "assets"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (data, "creator_notes"), "notes\n\nThis character card is Character Card V3"));

  again = natter_card_load_bytes (png, "aster.png", &error);
  g_assert_no_error (error);
  dup = natter_card_dup_json (again);
  g_assert_cmpstr (dup, ==, v3_card);
  g_assert_nonnull (natter_card_get_avatar (again));
}

static void
test_ccv3_preferred (void)
{
  g_autofree char *v2 = b64 ("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"Old\"}}");
  g_autofree char *v3 = b64 ("{\"spec\":\"chara_card_v3\",\"spec_version\":\"3.0\",\"data\":{\"name\":\"New\"}}");
  const char *orders[2][4] = { { "chara", v2, "ccv3", v3 }, { "ccv3", v3, "chara", v2 } };

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) png = make_png (orders[i][0], orders[i][1], orders[i][2], orders[i][3], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(NatterCard) card = natter_card_load_bytes (png, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (natter_card_get_name (card), ==, "New");
      g_assert_cmpstr (natter_card_get_spec (card), ==, "chara_card_v3");
    }

  /* A PNG with only "chara" (plain V2) works on its own. */
  {
    g_autoptr(GBytes) png = make_png ("chara", v2, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(NatterCard) card = natter_card_load_bytes (png, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (natter_card_get_name (card), ==, "Old");
  }
}

static void
test_v1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(NatterCard) again = NULL;
  g_autofree char *dup = NULL;
  g_autofree char *dup2 = NULL;
  g_autofree char *v1_b64 = NULL;
  g_autoptr(GBytes) png = NULL;
  const char *v1 = "{\"name\":\"Bob\",\"avatar\":\"none\",\"description\":\"d\",\"personality\":\"p\","
                   "\"scenario\":\"s\",\"first_mes\":\"hi\",\"mes_example\":\"ex\",\"talkativeness\":\"0.5\"}";
  const char *expected =
    "{\"avatar\":\"none\",\"talkativeness\":\"0.5\",\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\","
    "\"data\":{\"name\":\"Bob\",\"description\":\"d\",\"personality\":\"p\",\"scenario\":\"s\","
    "\"first_mes\":\"hi\",\"mes_example\":\"ex\",\"creator_notes\":\"\",\"system_prompt\":\"\","
    "\"post_history_instructions\":\"\",\"alternate_greetings\":[],\"tags\":[],\"creator\":\"\","
    "\"character_version\":\"\",\"extensions\":{}}}";

  card = load_text (v1, &error);
  g_assert_no_error (error);
  dup = natter_card_dup_json (card);
  g_assert_cmpstr (dup, ==, expected);
  g_assert_cmpstr (natter_card_get_spec (card), ==, "chara_card_v2");
  g_assert_cmpstr (natter_card_get_first_mes (card), ==, "hi");

  /* Old PNG cards carry V1 JSON in "chara". */
  v1_b64 = b64 (v1);
  png = make_png ("chara", v1_b64, NULL);
  again = natter_card_load_bytes (png, NULL, &error);
  g_assert_no_error (error);
  dup2 = natter_card_dup_json (again);
  g_assert_cmpstr (dup2, ==, expected);
}

static GBytes *
make_zip (const char *first_path,
          ...)
{
  struct archive *a = archive_write_new ();
  g_autofree guint8 *buffer = NULL;
  gsize buffer_size = 40 * 1024 * 1024;
  size_t used = 0;
  const char *path;
  va_list ap;

  buffer = g_malloc (buffer_size);
  g_assert_cmpint (archive_write_set_format_zip (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_memory (a, buffer, buffer_size, &used), ==, ARCHIVE_OK);

  va_start (ap, first_path);
  for (path = first_path; path != NULL; path = va_arg (ap, const char *))
    {
      GBytes *content = va_arg (ap, GBytes *);
      struct archive_entry *entry = archive_entry_new ();
      gsize len;
      const guint8 *data = g_bytes_get_data (content, &len);

      archive_entry_set_pathname (entry, path);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, len);
      g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (a, data, len), ==, (la_ssize_t) len);
      archive_entry_free (entry);
    }
  va_end (ap);

  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
  return g_bytes_new (buffer, used);
}

static void
test_charx (void)
{
  g_autoptr(GBytes) card_json = g_bytes_new_static (v3_card, strlen (v3_card));
  g_autoptr(GBytes) icon = make_png (NULL, NULL);
  g_autoptr(GBytes) bg = g_bytes_new_static ("RIFF....WEBP", 12);
  g_autoptr(GBytes) zip = make_zip ("assets/background/images/bg.webp", bg,
                                    "card.json", card_json,
                                    "assets/icon/images/main.png", icon,
                                    NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = natter_card_load_bytes (zip, "aster.charx", &error);
  g_autofree char *dup = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(NatterCard) from_png = NULL;
  g_autofree char *dup2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (natter_card_get_name (card), ==, "Aster");
  dup = natter_card_dup_json (card);
  g_assert_cmpstr (dup, ==, v3_card);
  g_assert_nonnull (natter_card_get_avatar (card));
  assert_bytes_equal (natter_card_get_avatar (card), icon);

  /* CHARX → PNG keeps the card and uses the icon as the image. */
  png = natter_card_export_png (card, &error);
  g_assert_no_error (error);
  from_png = natter_card_load_bytes (png, NULL, &error);
  g_assert_no_error (error);
  dup2 = natter_card_dup_json (from_png);
  g_assert_cmpstr (dup2, ==, v3_card);
  assert_bytes_equal (natter_card_get_avatar (from_png), icon);

  /* An icon that is not a PNG (here WebP) leaves the card without avatar. */
  {
    g_autoptr(GBytes) webp_zip = make_zip ("card.json", card_json,
                                           "assets/icon/images/main.png", bg, NULL);
    g_autoptr(NatterCard) webp_card = natter_card_load_bytes (webp_zip, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (natter_card_get_name (webp_card), ==, "Aster");
    g_assert_null (natter_card_get_avatar (webp_card));
  }
}

static void
test_charx_errors (void)
{
  g_autoptr(GBytes) readme = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) no_card = make_zip ("readme.txt", readme, NULL);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("PK\x03\x04garbage garbage garbage", 27);
  g_autofree guint8 *zeros = g_malloc0 (NATTER_CHARX_MAX_CARD_JSON + 1024);
  g_autoptr(GBytes) big = g_bytes_new_static (zeros, NATTER_CHARX_MAX_CARD_JSON + 1024);
  g_autoptr(GBytes) bomb = make_zip ("card.json", big, NULL);
  g_autoptr(GBytes) huge_icon_bytes = g_bytes_new_static (zeros, NATTER_CHARX_MAX_CARD_JSON + 1024);
  g_autoptr(GBytes) card_json = g_bytes_new_static (v3_card, strlen (v3_card));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) entry = NULL;

  assert_load_error (no_card, NATTER_CARD_ERROR, NATTER_CARD_ERROR_NO_CARD);
  assert_load_error (garbage, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED);
  /* 16 MB of zeros compress to a few kB: a small zip bomb. */
  g_assert_cmpuint (g_bytes_get_size (bomb), <, 1024 * 1024);
  assert_load_error (bomb, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE);

  /* The cap is per entry, and checked on the bytes that come out. */
  {
    g_autoptr(GBytes) zip = make_zip ("card.json", card_json, "assets/icon/images/main.png", huge_icon_bytes, NULL);

    entry = natter_charx_read_entry (zip, "assets/icon/images/main.png", 1000, &error);
    g_assert_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_TOO_LARGE);
    g_assert_null (entry);
    g_clear_error (&error);
    entry = natter_charx_read_entry (zip, "missing.png", 1000, &error);
    g_assert_error (error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
}

static void
test_errors (void)
{
  g_autoptr(GBytes) seraphina = load_fixture ("sillytavern/default_Seraphina.png");
  gsize size = g_bytes_get_size (seraphina);
  const guint8 *data = g_bytes_get_data (seraphina, NULL);
  g_autofree char *bad_json_b64 = b64 ("{\"spec\":\"chara_card_v2\",\"data\":{\"name\":");
  g_autofree char *no_name_b64 = b64 ("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"description\":\"x\"}}");
  g_autoptr(GBytes) plain_png = make_png ("Software", "test", NULL);
  g_autoptr(GBytes) bad_b64_png = make_png ("chara", "!!!! not base64 !!!!", NULL);
  g_autoptr(GBytes) bad_b64_png2 = make_png ("chara", "eyJuYW1lIjoiWCJ9=x", NULL);
  g_autoptr(GBytes) bad_json_png = make_png ("chara", bad_json_b64, NULL);
  g_autoptr(GBytes) no_name_png = make_png ("chara", no_name_b64, NULL);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (seraphina, 0, size - 5000);
  g_autoptr(GBytes) cut_header = g_bytes_new_from_bytes (seraphina, 0, 20);
  g_autofree guint8 *flipped = g_memdup2 (data, size);
  g_autoptr(GBytes) bad_crc = NULL;
  g_autoptr(GString) deep = g_string_new ("{\"name\":\"X\",\"a\":");
  g_autoptr(GBytes) deep_bytes = NULL;

  /* Flip one byte of the card text: the chunk's CRC no longer matches. */
  flipped[size - 200] ^= 0x01;
  bad_crc = g_bytes_new (flipped, size);

  assert_text_error ("hello, I am not a card", NATTER_CARD_ERROR_UNKNOWN_FORMAT);
  assert_text_error ("", NATTER_CARD_ERROR_UNKNOWN_FORMAT);
  assert_text_error ("  \r\n", NATTER_CARD_ERROR_UNKNOWN_FORMAT);
  assert_load_error (plain_png, NATTER_CARD_ERROR, NATTER_CARD_ERROR_NO_CARD);
  assert_load_error (truncated, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TRUNCATED);
  assert_load_error (cut_header, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TRUNCATED);
  assert_load_error (bad_crc, NATTER_CARD_ERROR, NATTER_CARD_ERROR_BAD_CRC);
  assert_load_error (bad_b64_png, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_BASE64);
  assert_load_error (bad_b64_png2, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_BASE64);
  assert_load_error (bad_json_png, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON);
  assert_load_error (no_name_png, NATTER_CARD_ERROR, NATTER_CARD_ERROR_MISSING_NAME);

  assert_text_error ("{\"name\": ", NATTER_CARD_ERROR_INVALID_JSON);
  assert_text_error ("{\"name\": \"X\"} trailing", NATTER_CARD_ERROR_INVALID_JSON);
  assert_text_error ("{\"name\": \"\xff\xfe\"}", NATTER_CARD_ERROR_INVALID_JSON);
  assert_text_error ("{\"name\": \"X\", \"n\": 123456789012345678901234}", NATTER_CARD_ERROR_INVALID_JSON);
  assert_text_error ("{\"name\": \"X\", \"n\": 1e400}", NATTER_CARD_ERROR_INVALID_JSON);
  assert_text_error ("{\"name\": \"X\\u0000Y\"}", NATTER_CARD_ERROR_INVALID_JSON);
  assert_text_error ("[1, 2]", NATTER_CARD_ERROR_INVALID_CARD);
  assert_text_error ("{\"spec\":\"chara_card_v2\",\"data\":\"x\"}", NATTER_CARD_ERROR_INVALID_CARD);
  assert_text_error ("{\"spec\":\"chara_card_v3\"}", NATTER_CARD_ERROR_INVALID_CARD);
  assert_text_error ("{\"description\":\"no name\"}", NATTER_CARD_ERROR_MISSING_NAME);
  assert_text_error ("{\"name\":\"  \"}", NATTER_CARD_ERROR_MISSING_NAME);
  assert_text_error ("{\"name\":42}", NATTER_CARD_ERROR_MISSING_NAME);

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  deep_bytes = g_bytes_new (deep->str, deep->len);
  assert_load_error (deep_bytes, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON);
}

/* The fuzzer's crash: an object key with "\222…", which json-glib 1.6
 * reads as an octal escape, giving a byte that is not UTF-8; the card was
 * accepted but its export could not be imported again. */
static const char fuzz_octal_escape_card[] =
  "{\"name\": \"Bob\", \"dption\": \"d\", \"personali&ty\": \"p\", \"sc1ternate_greetings\": [\"a\", \"b\"], "
  "\"tags\": [\"t\"], \"esioni&ty\": \"p\", \"sc2t{k\\222222222222222222222ernate_greetings\": [\"a\", \"b\"], "
  "\"tags\": [\"t\"], \"esions\": {\"k\": [1, 2.5, null, true]}, \"character_book\": {\"entries\": "
  "[{\"keys\": [\"k\"], \"content\": \"c\", \"enabled\": true, \"insertion_order\": 1, \"ex~ensions\": {}}], "
  "\"extensions\": {}}, \"nicknamHJvbrst_mess\": {\"k\": [1, 2.5, null, true]}, "
  "\"character_bbrst_mes\": \"hi\",\" mes_example\": \"ex\", \"avatar\": \"none\"}";

static void
assert_escape_error (const char *text,
                     const char *in_message)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = natter_card_load_bytes (bytes, NULL, &error);

  g_assert_null (card);
  g_assert_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON);
  if (strstr (error->message, in_message) == NULL)
    g_error ("error for %s is “%s”, expected it to mention “%s”", text, error->message, in_message);
}

static void
test_json_escapes (void)
{
  /* Every escape JSON has, in a key and in a value, plus a surrogate pair. */
  static const char good[] =
    "{\"spec\": \"chara_card_v2\", \"spec_version\": \"2.0\", \"data\": "
    "{\"name\": \"A\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\u001f\", "
    "\"k\\u0001\\t\\\"\\ud83d\\ude00\": \"v\"}}";
  g_autoptr(GBytes) good_bytes = g_bytes_new (good, sizeof good - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = natter_card_load_bytes (good_bytes, NULL, &error);
  g_autoptr(NatterCard) again = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GBytes) json2 = NULL;
  JsonObject *data;

  g_assert_no_error (error);
  g_assert_nonnull (card);
  g_assert_cmpstr (natter_card_get_name (card), ==,
                   "A\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80\x1f");
  data = natter_card_get_data (card);
  g_assert_cmpstr (json_object_get_string_member_with_default (data, "k\x01\t\"\xf0\x9f\x98\x80", NULL),
                   ==, "v");

  json = natter_card_export_json (card);
  again = natter_card_load_bytes (json, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_card_get_name (again), ==, natter_card_get_name (card));
  json2 = natter_card_export_json (again);
  g_assert_true (g_bytes_equal (json, json2));

  /* What json-glib would misread instead of refusing. */
  assert_escape_error (fuzz_octal_escape_card, "\\2");
  assert_escape_error ("{\"name\": \"X\", \"a\\101\": 1}", "\\1");
  assert_escape_error ("{\"name\": \"X\\0\"}", "\\0");
  assert_escape_error ("{\"name\": \"X\\q\"}", "\\q");
  assert_escape_error ("{\"name\": \"X\\x41\"}", "\\x");
  assert_escape_error ("{\"name\": \"X\\U0041\"}", "\\U");
  assert_escape_error ("{\"name\": \"X\\\xc3\xa9\"}", "\\\xc3\xa9");
  assert_escape_error ("{\"name\": \"X\\u12zz\"}", "four hexadecimal digits");
  assert_escape_error ("{\"name\": \"X\\u12\"}", "four hexadecimal digits");
  assert_escape_error ("{\"name\": \"X\\udc00Y\"}", "\\uDC00");
  assert_escape_error ("{\"name\": \"X\\ud800Y\"}", "\\uD800");
  assert_escape_error ("{\"name\": \"X\\ud800\\u0041\"}", "\\uD800");
  assert_escape_error ("{\"name\": \"X\\ud800\\ud800\"}", "\\uD800");
  assert_escape_error ("{\"name\": \"X\\", "ends");
  /* json-glib reads text in single quotes too: the quote in it would hide
   * the octal escape after it from a scan that knows only JSON's strings. */
  assert_escape_error ("{\"name\": \"X\", 'd\"': \"\\733\"}", "single quotes");
  assert_escape_error ("{'name': \"X\"}", "single quotes");
}

static void
test_too_large (void)
{
  char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "huge.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autofree guint8 *big = NULL;
  g_autoptr(GBytes) big_bytes = NULL;
  int fd;

  /* A 50 MB file (sparse, so the test stays quick). */
  fd = g_open (path, O_CREAT | O_WRONLY, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "\x89PNG\r\n\x1a\n", 8), ==, 8);
  g_assert_cmpint (ftruncate (fd, 50 * 1024 * 1024), ==, 0);
  close (fd);

  card = natter_card_load_file (path, &error);
  g_assert_null (card);
  g_assert_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);

  big = g_malloc0 (NATTER_CARD_MAX_FILE_SIZE + 1);
  memcpy (big, "\x89PNG\r\n\x1a\n", 8);
  big_bytes = g_bytes_new_static (big, NATTER_CARD_MAX_FILE_SIZE + 1);
  assert_load_error (big_bytes, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE);

  card = natter_card_load_file ("/nonexistent/card.png", &error);
  g_assert_null (card);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  natter_test_tmpdir_free (dir);
}

static void
test_png_codec (void)
{
  g_autoptr(GBytes) png = make_png ("chara", "old", "Software", "gimp", NULL);
  const char *keywords[] = { "chara", "ccv3", NULL };
  const char *texts[] = { "new", "v3", NULL };
  const char *bad_keywords[] = { "", NULL };
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(GArray) chunks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *chara = NULL;
  g_autofree char *ccv3 = NULL;
  g_autofree char *software = NULL;
  GByteArray *no_ihdr;
  g_autoptr(GBytes) no_ihdr_bytes = NULL;
  g_autoptr(GByteArray) huge_len = NULL;
  g_autoptr(GBytes) huge_len_bytes = NULL;

  out = natter_png_set_text_chunks (png, keywords, texts, &error);
  g_assert_no_error (error);
  chara = find_text (out, "chara");
  ccv3 = find_text (out, "ccv3");
  software = find_text (out, "Software");
  g_assert_cmpstr (chara, ==, "new");
  g_assert_cmpstr (ccv3, ==, "v3");
  g_assert_cmpstr (software, ==, "gimp");

  table = natter_png_read_text_chunks (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (table), ==, 3);
  g_assert_cmpmem (g_bytes_get_data (g_hash_table_lookup (table, "chara"), NULL), 3, "new", 3);

  chunks = natter_png_parse_chunks (out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_array_index (chunks, NatterPngChunk, 0).type, ==, "IHDR");
  g_assert_cmpstr (g_array_index (chunks, NatterPngChunk, chunks->len - 1).type, ==, "IEND");
  /* IHDR, IDAT, Software, chara, ccv3, IEND: the old "chara" is gone. */
  g_assert_cmpuint (chunks->len, ==, 6);

  g_assert_null (natter_png_set_text_chunks (png, bad_keywords, texts, &error));
  g_assert_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_MALFORMED);
  g_clear_error (&error);

  /* A file that does not start with IHDR. */
  no_ihdr = g_byte_array_new ();
  g_byte_array_append (no_ihdr, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  put_chunk (no_ihdr, "IEND", NULL, 0);
  no_ihdr_bytes = g_byte_array_free_to_bytes (no_ihdr);
  g_assert_null (natter_png_parse_chunks (no_ihdr_bytes, &error));
  g_assert_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_MALFORMED);
  g_clear_error (&error);

  /* A length far past the end (and one over 2^31-1). */
  huge_len = g_byte_array_new ();
  g_byte_array_append (huge_len, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  g_byte_array_append (huge_len, (const guint8 *) "\x7f\xff\xff\xf0IHDR", 8);
  g_byte_array_append (huge_len, (const guint8 *) "0123456789abcdefghij", 20);
  huge_len_bytes = g_bytes_new (huge_len->data, huge_len->len);
  g_assert_null (natter_png_parse_chunks (huge_len_bytes, &error));
  g_assert_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_TRUNCATED);
  g_clear_error (&error);
  huge_len->data[8] = 0xff;
  g_clear_pointer (&huge_len_bytes, g_bytes_unref);
  huge_len_bytes = g_bytes_new (huge_len->data, huge_len->len);
  g_assert_null (natter_png_parse_chunks (huge_len_bytes, &error));
  g_assert_error (error, NATTER_PNG_ERROR, NATTER_PNG_ERROR_MALFORMED);
}

static void
test_worldbook_eldoria (void)
{
  g_autofree char *path = natter_test_fixture_path ("sillytavern/Eldoria.json");
  g_autoptr(GBytes) file = load_fixture ("sillytavern/Eldoria.json");
  g_autoptr(GBytes) seraphina = load_fixture ("sillytavern/default_Seraphina.png");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autoptr(JsonObject) book = natter_worldbook_import_st_file (path, &name, &error);
  g_autoptr(JsonNode) st = NULL;
  g_autofree char *chara = NULL;
  g_autoptr(JsonNode) card = NULL;
  g_autoptr(GList) uids = NULL;
  JsonObject *st_entries;
  JsonArray *entries, *st_converted;
  GList *l;
  guint i;

  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Eldoria");
  g_assert_cmpstr (json_object_get_string_member (book, "name"), ==, "Eldoria");

  st = parse (g_bytes_get_data (file, NULL));
  st_entries = json_object_get_object_member (json_node_get_object (st), "entries");
  uids = json_object_get_members (st_entries);
  entries = json_object_get_array_member (book, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, g_list_length (uids));
  g_assert_cmpuint (json_array_get_length (entries), ==, 4);

  /* SillyTavern itself embedded this world book, converted, in Seraphina:
   * our conversion must agree with it on every V2 field. */
  chara = find_text (seraphina, "chara");
  card = parse_base64 (chara);
  st_converted = json_object_get_array_member (
    json_object_get_object_member (json_object_get_object_member (json_node_get_object (card), "data"),
                                   "character_book"),
    "entries");

  for (l = uids, i = 0; l != NULL; l = l->next, i++)
    {
      JsonObject *src = json_object_get_object_member (st_entries, l->data);
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *theirs = json_array_get_object_element (st_converted, i);
      JsonObject *ext = json_object_get_object_member (entry, "extensions");
      const char *v2_fields[] = { "id", "keys", "secondary_keys", "comment", "content", "constant",
                                  "selective", "insertion_order", "enabled", "position" };

      for (guint f = 0; f < G_N_ELEMENTS (v2_fields); f++)
        g_assert_true (json_node_equal (json_object_get_member (entry, v2_fields[f]),
                                        json_object_get_member (theirs, v2_fields[f])));

      g_assert_true (json_node_equal (json_object_get_member (entry, "keys"), json_object_get_member (src, "key")));
      g_assert_cmpstr (json_object_get_string_member (entry, "content"), ==,
                       json_object_get_string_member (src, "content"));
      g_assert_cmpint (json_object_get_int_member (entry, "insertion_order"), ==,
                       json_object_get_int_member (src, "order"));
      g_assert_cmpint (json_object_get_boolean_member (entry, "enabled"), ==,
                       !json_object_get_boolean_member (src, "disable"));
      /* ST-only fields kept under extensions. */
      g_assert_cmpint (json_object_get_int_member (ext, "position"), ==,
                       json_object_get_int_member (src, "position"));
      g_assert_false (json_object_has_member (ext, "uid"));
      g_assert_false (json_object_has_member (ext, "content"));
    }
}

static void
test_worldbook_errors (void)
{
  const char *cases[][2] = {
    { "not json", "x" },
    { "\r ", "x" },
    { "", "x" },
    { "{\"entries\": 5}", "x" },
    { "{\"name\": \"no entries\"}", "x" },
    { "[]", "x" },
    { "{\"entries\": {\"0\": 5}}", "x" },
    { "{\"entries\": {\"0\": {\"order\": 1e999}}}", "x" },
  };
  const char *escapes[][2] = {
    { "{\"entries\": {\"0\": {\"key\": [\"k\"], \"content\": \"a\\733b\"}}}", "\\7" },
    { "{\"entries\": {\"0\": {\"key\": [\"k\\ud800\"], \"content\": \"c\"}}}", "\\uD800" },
    { "{\"name\": \"B\\u0000\", \"entries\": {}}", "\\u0000" },
    { "{\"entries\": {\"0\": {'key\"': \"\\733\", \"content\": \"c\"}}}", "single quotes" },
  };
  const char *v2_text = "{\"name\":\"B\",\"entries\":[{\"keys\":[\"k\"],\"content\":\"c\"}]}";
  g_autoptr(GBytes) v2 = g_bytes_new_static (v2_text, strlen (v2_text));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autoptr(JsonObject) book = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (cases[i][0], strlen (cases[i][0]));
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonObject) result = natter_worldbook_import_st (bytes, "x.json", NULL, &local_error);

      g_assert_null (result);
      g_assert_nonnull (local_error);
      g_assert_true (local_error->domain == NATTER_WORLDBOOK_ERROR);
    }

  /* Escapes json-glib would read into text that is not UTF-8: refused,
   * with an error that names them. */
  for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (escapes[i][0], strlen (escapes[i][0]));
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonObject) result = natter_worldbook_import_st (bytes, "x.json", NULL, &local_error);

      g_assert_null (result);
      g_assert_error (local_error, NATTER_WORLDBOOK_ERROR, NATTER_WORLDBOOK_ERROR_INVALID_JSON);
      if (strstr (local_error->message, escapes[i][1]) == NULL)
        g_error ("error for %s is “%s”, expected it to name “%s”", escapes[i][0],
                 local_error->message, escapes[i][1]);
    }

  book = natter_worldbook_import_st (v2, "ignored.json", &name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "B");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (book, "entries")), ==, 1);
}

/* Every regular file in a zip, read with libarchive directly (not with
 * natter-charx): path → contents. */
static GHashTable *
list_zip (GBytes *zip)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  gsize size;
  const void *data = g_bytes_get_data (zip, &size);
  int r;

  archive_read_support_format_zip (a);
  g_assert_cmpint (archive_read_open_memory (a, data, size), ==, ARCHIVE_OK);
  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK)
    {
      GByteArray *content = g_byte_array_new ();
      guint8 buf[8192];
      la_ssize_t n;

      g_assert_cmpint (archive_entry_filetype (entry), ==, AE_IFREG);
      while ((n = archive_read_data (a, buf, sizeof buf)) > 0)
        g_byte_array_append (content, buf, (guint) n);
      g_assert_cmpint (n, ==, 0);
      g_assert_false (g_hash_table_contains (files, archive_entry_pathname (entry)));
      g_hash_table_insert (files, g_strdup (archive_entry_pathname (entry)),
                           g_byte_array_free_to_bytes (content));
    }
  g_assert_cmpint (r, ==, ARCHIVE_EOF);
  archive_read_free (a);
  return files;
}

static JsonNode *
parse_bytes (GBytes *bytes)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return parse (text);
}

/* The zip path of the main icon asset in a card.json, checked by hand. */
static const char *
main_icon_path (JsonObject *data)
{
  JsonArray *assets = json_object_get_array_member (data, "assets");

  for (guint i = 0; i < json_array_get_length (assets); i++)
    {
      JsonObject *asset = json_array_get_object_element (assets, i);

      if (g_str_equal (json_object_get_string_member (asset, "type"), "icon")
          && g_str_equal (json_object_get_string_member (asset, "name"), "main")
          && g_str_has_prefix (json_object_get_string_member (asset, "uri"), "embeded://"))
        return json_object_get_string_member (asset, "uri") + strlen ("embeded://");
    }
  return NULL;
}

static void
test_charx_export_seraphina (void)
{
  g_autoptr(GBytes) file = load_fixture ("sillytavern/default_Seraphina.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = natter_card_load_bytes (file, NULL, &error);
  g_autofree char *chara = find_text (file, "chara");
  g_autoptr(JsonNode) expected = parse_base64 (chara);
  g_autoptr(GBytes) charx = NULL;
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(JsonNode) card_json = NULL;
  g_autoptr(NatterCard) again = NULL;
  g_autoptr(GBytes) charx2 = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *root, *data, *exp_data;
  const char *icon;
  GBytes *avatar;

  g_assert_no_error (error);
  avatar = natter_card_get_avatar (card);
  g_assert_nonnull (avatar);

  charx = natter_card_export_charx (card, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (charx);
  g_assert_cmpmem (g_bytes_get_data (charx, NULL), 4, "PK\x03\x04", 4);

  /* The zip as another reader sees it: card.json at the root, V3, with
   * every field of the card and an embedded main icon that is the avatar. */
  files = list_zip (charx);
  g_assert_true (g_hash_table_contains (files, "card.json"));
  card_json = parse_bytes (g_hash_table_lookup (files, "card.json"));
  root = json_node_get_object (card_json);
  g_assert_cmpstr (json_object_get_string_member (root, "spec"), ==, "chara_card_v3");
  g_assert_cmpstr (json_object_get_string_member (root, "spec_version"), ==, "3.0");
  data = json_object_get_object_member (root, "data");
  exp_data = json_object_get_object_member (json_node_get_object (expected), "data");
  g_assert_cmpstr (json_object_get_string_member (data, "name"), ==, "Seraphina");
  members = json_object_get_members (exp_data);
  for (GList *l = members; l != NULL; l = l->next)
    g_assert_true (json_node_equal (json_object_get_member (exp_data, l->data),
                                    json_object_get_member (data, l->data)));
  g_clear_pointer (&members, g_list_free);
  members = json_object_get_members (json_node_get_object (expected));
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "spec") && !g_str_equal (l->data, "spec_version") && !g_str_equal (l->data, "data"))
      g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (expected), l->data),
                                      json_object_get_member (root, l->data)));
  icon = main_icon_path (data);
  g_assert_cmpstr (icon, ==, "assets/icon/images/main.png");
  g_assert_true (g_hash_table_contains (files, icon));
  assert_bytes_equal (g_hash_table_lookup (files, icon), avatar);

  /* Import: the same card (the original V2 JSON) and the same avatar. */
  again = natter_card_load_bytes (charx, "Seraphina.charx", &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (expected, natter_card_get_root (again)));
  {
    g_autofree char *dup = natter_card_dup_json (card);
    g_autofree char *dup2 = natter_card_dup_json (again);

    g_assert_cmpstr (dup, ==, dup2);
  }
  assert_bytes_equal (natter_card_get_avatar (again), avatar);
  g_assert_cmpstr (natter_card_get_spec (again), ==, "chara_card_v2");

  /* And again, from the re-imported card. */
  charx2 = natter_card_export_charx (again, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GHashTable) files2 = list_zip (charx2);
    g_autoptr(JsonNode) card_json2 = parse_bytes (g_hash_table_lookup (files2, "card.json"));

    g_assert_true (json_node_equal (card_json, card_json2));
  }

  /* An avatar given to the export replaces the card's own. */
  {
    g_autoptr(GBytes) other = make_png (NULL, NULL);
    g_autoptr(GBytes) zip = natter_card_export_charx (card, other, &error);
    g_autoptr(GHashTable) zfiles = NULL;
    g_autoptr(NatterCard) from_zip = NULL;

    g_assert_no_error (error);
    zfiles = list_zip (zip);
    assert_bytes_equal (g_hash_table_lookup (zfiles, "assets/icon/images/main.png"), other);
    from_zip = natter_card_load_bytes (zip, NULL, &error);
    g_assert_no_error (error);
    assert_bytes_equal (natter_card_get_avatar (from_zip), other);
    g_assert_true (json_node_equal (expected, natter_card_get_root (from_zip)));
  }

  /* Another tool edited card.json after the export: card.json wins over
   * Natter's copy of the original. */
  {
    g_autoptr(JsonNode) edited = parse_bytes (g_hash_table_lookup (files, "card.json"));
    g_autofree char *edited_text = NULL;
    g_autoptr(GBytes) edited_bytes = NULL;
    g_autoptr(GBytes) zip = NULL;
    g_autoptr(NatterCard) from_zip = NULL;

    json_object_set_string_member (json_object_get_object_member (json_node_get_object (edited), "data"),
                                   "name", "Seraphina II");
    edited_text = json_to_string (edited, FALSE);
    edited_bytes = g_bytes_new (edited_text, strlen (edited_text));
    zip = make_zip ("card.json", edited_bytes,
                    "assets/icon/images/main.png", g_hash_table_lookup (files, "assets/icon/images/main.png"),
                    "natter/original-card.json", g_hash_table_lookup (files, "natter/original-card.json"),
                    NULL);
    from_zip = natter_card_load_bytes (zip, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (natter_card_get_name (from_zip), ==, "Seraphina II");
    g_assert_cmpstr (natter_card_get_spec (from_zip), ==, "chara_card_v3");
  }
}

static void
test_charx_export_v3 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = load_text (v3_card, &error);
  g_autoptr(GBytes) icon = make_png (NULL, NULL);
  g_autoptr(GBytes) charx = NULL;
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(JsonNode) card_json = NULL;
  g_autoptr(JsonNode) expected = parse (v3_card);
  g_autoptr(NatterCard) again = NULL;
  g_autofree char *dup = NULL;

  g_assert_no_error (error);

  /* A V3 card that names its main icon: card.json is the card itself and
   * the avatar goes where the card says. */
  charx = natter_card_export_charx (card, icon, &error);
  g_assert_no_error (error);
  files = list_zip (charx);
  g_assert_cmpuint (g_hash_table_size (files), ==, 2);
  card_json = parse_bytes (g_hash_table_lookup (files, "card.json"));
  g_assert_true (json_node_equal (expected, card_json));
  assert_bytes_equal (g_hash_table_lookup (files, "assets/icon/images/main.png"), icon);
  again = natter_card_load_bytes (charx, NULL, &error);
  g_assert_no_error (error);
  dup = natter_card_dup_json (again);
  g_assert_cmpstr (dup, ==, v3_card);
  assert_bytes_equal (natter_card_get_avatar (again), icon);

  /* No avatar at all: no icon file, and the import has no avatar either. */
  {
    g_autoptr(NatterCard) bare = natter_card_new_from_json ("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"Bare\"}}", &error);
    g_autoptr(GBytes) zip = NULL;
    g_autoptr(GHashTable) zfiles = NULL;
    g_autoptr(NatterCard) from_zip = NULL;
    g_autoptr(JsonNode) zcard = NULL;
    g_autofree char *zdup = NULL;

    g_assert_no_error (error);
    zip = natter_card_export_charx (bare, NULL, &error);
    g_assert_no_error (error);
    zfiles = list_zip (zip);
    zcard = parse_bytes (g_hash_table_lookup (zfiles, "card.json"));
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (zcard), "spec"), ==, "chara_card_v3");
    g_assert_false (json_object_has_member (json_object_get_object_member (json_node_get_object (zcard), "data"), "assets"));
    g_assert_false (g_hash_table_contains (zfiles, "assets/icon/images/main.png"));
    from_zip = natter_card_load_bytes (zip, NULL, &error);
    g_assert_no_error (error);
    zdup = natter_card_dup_json (from_zip);
    g_assert_cmpstr (zdup, ==, "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"Bare\"}}");
    g_assert_null (natter_card_get_avatar (from_zip));
  }

  /* A main icon that points at card.json (or out of the zip) is not used:
   * the avatar gets an icon asset of its own, and the card comes back. */
  {
    static const char odd[] =
      "{\"spec\":\"chara_card_v3\",\"spec_version\":\"3.0\",\"data\":{\"name\":\"Odd\",\"assets\":["
      "{\"type\":\"icon\",\"uri\":\"embeded://card.json\",\"name\":\"main\",\"ext\":\"png\"},"
      "{\"type\":\"icon\",\"uri\":\"embeded://../up.png\",\"name\":\"main\",\"ext\":\"png\"}]}}";
    g_autoptr(NatterCard) odd_card = load_text (odd, &error);
    g_autoptr(GBytes) zip = NULL;
    g_autoptr(GHashTable) zfiles = NULL;
    g_autoptr(JsonNode) zcard = NULL;
    g_autoptr(NatterCard) from_zip = NULL;
    g_autofree char *zdup = NULL;

    g_assert_no_error (error);
    zip = natter_card_export_charx (odd_card, icon, &error);
    g_assert_no_error (error);
    zfiles = list_zip (zip);
    zcard = parse_bytes (g_hash_table_lookup (zfiles, "card.json"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (json_node_get_object (zcard), "data"), "assets")), ==, 3);
    assert_bytes_equal (g_hash_table_lookup (zfiles, "assets/icon/images/main.png"), icon);
    from_zip = natter_card_load_bytes (zip, NULL, &error);
    g_assert_no_error (error);
    zdup = natter_card_dup_json (from_zip);
    g_assert_cmpstr (zdup, ==, odd);
    assert_bytes_equal (natter_card_get_avatar (from_zip), icon);
  }

  /* An avatar that is not a PNG is refused, with a reason. */
  {
    g_autoptr(GBytes) webp = g_bytes_new_static ("RIFF....WEBP", 12);
    g_autoptr(GBytes) zip = natter_card_export_charx (card, webp, &error);

    g_assert_null (zip);
    g_assert_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED);
    g_assert_nonnull (strstr (error->message, "PNG"));
    g_clear_error (&error);
  }
}

/* A 1×1 grey PNG with one extra chunk before IEND. */
static GBytes *
make_png_with_chunk (const char *type,
                     const void *body,
                     gsize       len)
{
  g_autoptr(GBytes) base = make_png (NULL, NULL);
  gsize size;
  const guint8 *d = g_bytes_get_data (base, &size);
  GByteArray *out = g_byte_array_new ();

  /* The base ends with the 12-byte IEND chunk. */
  g_byte_array_append (out, d, size - 12);
  put_chunk (out, type, body, len);
  g_byte_array_append (out, d + size - 12, 12);
  return g_byte_array_free_to_bytes (out);
}

static GByteArray *
zlib_compress (const void *data,
               gsize       len)
{
  GByteArray *out = g_byte_array_new ();
  uLongf out_len = compressBound (len);

  g_byte_array_set_size (out, out_len);
  g_assert_cmpint (compress2 (out->data, &out_len, data, len, 9), ==, Z_OK);
  g_byte_array_set_size (out, out_len);
  return out;
}

/* zTXt body: keyword\0, method 0, zlib data. */
static GBytes *
make_ztxt_png (const char *keyword,
               const void *text,
               gsize       len)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) z = zlib_compress (text, len);

  g_byte_array_append (body, (const guint8 *) keyword, strlen (keyword) + 1);
  g_byte_array_append (body, (const guint8 *) "\0", 1);
  g_byte_array_append (body, z->data, z->len);
  return make_png_with_chunk ("zTXt", body->data, body->len);
}

/* iTXt body: keyword\0, flag, method, language\0, translated keyword\0, text. */
static GBytes *
make_itxt_png (const char *keyword,
               gboolean    compressed,
               const char *text)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  guint8 flags[2] = { compressed ? 1 : 0, 0 };

  g_byte_array_append (body, (const guint8 *) keyword, strlen (keyword) + 1);
  g_byte_array_append (body, flags, 2);
  g_byte_array_append (body, (const guint8 *) "en\0Character\0", 13);
  if (compressed)
    {
      g_autoptr(GByteArray) z = zlib_compress (text, strlen (text));

      g_byte_array_append (body, z->data, z->len);
    }
  else
    g_byte_array_append (body, (const guint8 *) text, strlen (text));
  return make_png_with_chunk ("iTXt", body->data, body->len);
}

static void
test_compressed_chunks (void)
{
  g_autoptr(GBytes) file = load_fixture ("sillytavern/default_Seraphina.png");
  g_autofree char *chara = find_text (file, "chara");
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) original = natter_card_load_bytes (file, NULL, &error);
  GBytes *pngs[3];

  g_assert_no_error (error);
  pngs[0] = make_itxt_png ("chara", FALSE, chara);
  pngs[1] = make_itxt_png ("chara", TRUE, chara);
  pngs[2] = make_ztxt_png ("chara", chara, strlen (chara));

  for (guint i = 0; i < G_N_ELEMENTS (pngs); i++)
    {
      g_autoptr(NatterCard) card = natter_card_load_bytes (pngs[i], NULL, &error);
      g_autoptr(GBytes) plain = make_png (NULL, NULL);

      g_assert_no_error (error);
      g_assert_true (json_node_equal (natter_card_get_root (original), natter_card_get_root (card)));
      g_assert_cmpstr (natter_card_get_name (card), ==, "Seraphina");
      /* The avatar loses the card chunk, whatever its type. */
      assert_bytes_equal (natter_card_get_avatar (card), plain);
      g_bytes_unref (pngs[i]);
    }

  /* "ccv3" in a zTXt chunk wins over a "chara" tEXt chunk. */
  {
    g_autofree char *v3 = b64 ("{\"spec\":\"chara_card_v3\",\"spec_version\":\"3.0\",\"data\":{\"name\":\"New\"}}");
    g_autoptr(GBytes) with_chara = make_png ("chara", chara, NULL);
    gsize size;
    const guint8 *d = g_bytes_get_data (with_chara, &size);
    g_autoptr(GByteArray) body = g_byte_array_new ();
    g_autoptr(GByteArray) z = zlib_compress (v3, strlen (v3));
    GByteArray *out = g_byte_array_new ();
    g_autoptr(GBytes) png = NULL;
    g_autoptr(NatterCard) card = NULL;

    g_byte_array_append (body, (const guint8 *) "ccv3\0\0", 6);
    g_byte_array_append (body, z->data, z->len);
    g_byte_array_append (out, d, size - 12);
    put_chunk (out, "zTXt", body->data, body->len);
    g_byte_array_append (out, d + size - 12, 12);
    png = g_byte_array_free_to_bytes (out);
    card = natter_card_load_bytes (png, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (natter_card_get_name (card), ==, "New");
  }

  /* Damaged zlib data (correct CRC, wrong stream) is a clear error. */
  {
    g_autoptr(GByteArray) body = g_byte_array_new ();
    g_autoptr(GByteArray) z = zlib_compress (chara, strlen (chara));
    g_autoptr(GBytes) png = NULL;
    g_autoptr(GBytes) cut = NULL;
    g_autoptr(NatterCard) card = NULL;

    g_byte_array_append (body, (const guint8 *) "chara\0\0", 7);
    g_byte_array_append (body, z->data, z->len);
    for (guint i = 7 + 2; i < body->len; i += 7)
      body->data[i] ^= 0x5a;
    png = make_png_with_chunk ("zTXt", body->data, body->len);
    card = natter_card_load_bytes (png, NULL, &error);
    g_assert_null (card);
    g_assert_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED);
    g_assert_nonnull (strstr (error->message, "compressed text"));
    g_assert_nonnull (strstr (error->message, "chara"));
    g_clear_error (&error);

    /* Cut short (a sound stream's first half): an error, not a partial card. */
    memcpy (body->data + 7, z->data, z->len);
    cut = make_png_with_chunk ("zTXt", body->data, 7 + z->len / 2);
    assert_load_error (cut, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED);

    /* An unknown compression method. */
    body->data[6] = 3;
    g_clear_pointer (&cut, g_bytes_unref);
    cut = make_png_with_chunk ("zTXt", body->data, body->len);
    assert_load_error (cut, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED);
  }

  /* A zip bomb: a few kB that inflate past the cap stop with TOO_LARGE. */
  {
    gsize len = NATTER_CARD_MAX_TEXT_SIZE + 1;
    g_autofree char *huge = g_malloc (len);
    g_autoptr(GBytes) png = NULL;

    memset (huge, 'A', len);
    png = make_ztxt_png ("chara", huge, len);
    g_assert_cmpuint (g_bytes_get_size (png), <, 100 * 1024);
    assert_load_error (png, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/card/seraphina", test_seraphina);
  g_test_add_func ("/natter/card/seraphina-round-trip", test_seraphina_round_trip);
  g_test_add_func ("/natter/card/lossless-json", test_lossless_json);
  g_test_add_func ("/natter/card/v3-png-round-trip", test_v3_png_round_trip);
  g_test_add_func ("/natter/card/ccv3-preferred", test_ccv3_preferred);
  g_test_add_func ("/natter/card/v1", test_v1);
  g_test_add_func ("/natter/card/charx", test_charx);
  g_test_add_func ("/natter/card/charx-errors", test_charx_errors);
  g_test_add_func ("/natter/card/charx-export-seraphina", test_charx_export_seraphina);
  g_test_add_func ("/natter/card/charx-export-v3", test_charx_export_v3);
  g_test_add_func ("/natter/card/compressed-chunks", test_compressed_chunks);
  g_test_add_func ("/natter/card/errors", test_errors);
  g_test_add_func ("/natter/card/json-escapes", test_json_escapes);
  g_test_add_func ("/natter/card/too-large", test_too_large);
  g_test_add_func ("/natter/card/png-codec", test_png_codec);
  g_test_add_func ("/natter/card/worldbook-eldoria", test_worldbook_eldoria);
  g_test_add_func ("/natter/card/worldbook-errors", test_worldbook_errors);

  return g_test_run ();
}
