/* fuzz-card.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for the card importers: PNG chunk reader and writer,
 * (tEXt/zTXt/iTXt), CHARX reader and writer, card sniffing/parsing/export
 * (JSON, PNG, CHARX) and world book import.
 * Besides "no crash", it checks the promises callers rely on: a failed
 * import always says why, and an imported card survives export and
 * re-import unchanged. Built and run by run-fuzz.sh. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "natter-card.h"
#include "natter-charx.h"
#include "natter-png.h"
#include "natter-worldbook.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check (gboolean    condition,
       const char *what)
{
  if (!condition)
    {
      g_printerr ("fuzz-card: invariant broken: %s\n", what);
      abort ();
    }
}

static void
fuzz_png (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) chunks = natter_png_parse_chunks (bytes, &error);
  g_autoptr(GHashTable) texts = NULL;
  g_autoptr(GBytes) rewritten = NULL;
  g_autoptr(GArray) chunks2 = NULL;
  const char *keywords[] = { "chara", "ccv3", NULL };
  const char *values[] = { "eyJuYW1lIjoiWCJ9", NULL, NULL };

  check ((chunks == NULL) == (error != NULL), "png: error set exactly on failure");
  if (chunks == NULL)
    return;

  texts = natter_png_read_text_chunks (bytes, NULL);
  check (texts != NULL, "png: text chunks of a sound PNG");

  /* tEXt / zTXt / iTXt, inflated under a small cap. */
  for (guint k = 0; keywords[k] != NULL; k++)
    {
      g_autoptr(GBytes) text = NULL;
      g_autoptr(GError) text_error = NULL;
      gboolean ok = natter_png_read_text (bytes, keywords[k], 1 << 20, &text, &text_error);

      check (ok == (text_error == NULL), "png: read_text sets an error exactly on failure");
      check (ok || text == NULL, "png: no text on failure");
      check (text == NULL || g_bytes_get_size (text) <= 1 << 20, "png: read_text cap respected");
    }

  rewritten = natter_png_set_text_chunks (bytes, keywords, values, NULL);
  check (rewritten != NULL, "png: rewriting a sound PNG");
  chunks2 = natter_png_parse_chunks (rewritten, NULL);
  check (chunks2 != NULL, "png: a rewritten PNG parses");
}

static void
fuzz_card (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = natter_card_load_bytes (bytes, NULL, &error);
  g_autoptr(GBytes) json = NULL;
  g_autoptr(GBytes) json2 = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(NatterCard) from_json = NULL;
  g_autoptr(NatterCard) from_png = NULL;
  g_autoptr(GBytes) charx = NULL;
  g_autoptr(NatterCard) from_charx = NULL;
  g_autofree char *dup3 = NULL;
  g_autofree char *dup = NULL;
  g_autofree char *dup2 = NULL;
  g_auto(GStrv) greetings = NULL;
  g_auto(GStrv) tags = NULL;

  if (card == NULL)
    {
      check (error != NULL && error->message != NULL && error->message[0] != '\0',
             "card: a failed import has a message");
      return;
    }
  check (error == NULL, "card: no error on success");
  check (natter_card_get_name (card)[0] != '\0', "card: has a name");

  greetings = natter_card_dup_alternate_greetings (card);
  tags = natter_card_dup_tags (card);
  natter_card_get_character_book (card);
  natter_card_get_description (card);

  json = natter_card_export_json (card);
  from_json = natter_card_load_bytes (json, NULL, NULL);
  check (from_json != NULL, "card: exported JSON imports");
  json2 = natter_card_export_json (from_json);
  check (g_bytes_equal (json, json2), "card: JSON export is a fixed point");

  png = natter_card_export_png (card, NULL);
  check (png != NULL, "card: PNG export succeeds");
  from_png = natter_card_load_bytes (png, NULL, NULL);
  check (from_png != NULL, "card: exported PNG imports");
  dup = natter_card_dup_json (card);
  dup2 = natter_card_dup_json (from_png);
  check (g_str_equal (dup, dup2), "card: PNG export keeps the JSON");

  charx = natter_card_export_charx (card, NULL, &error);
  if (charx == NULL)
    {
      /* Only a card whose "assets" is not a list (with an avatar) is refused. */
      check (error != NULL && error->message[0] != '\0', "card: a failed CHARX export says why");
      return;
    }
  from_charx = natter_card_load_bytes (charx, NULL, NULL);
  check (from_charx != NULL, "card: exported CHARX imports");
  dup3 = natter_card_dup_json (from_charx);
  check (g_str_equal (dup, dup3), "card: CHARX export keeps the JSON");
  check ((natter_card_get_avatar (card) == NULL) == (natter_card_get_avatar (from_charx) == NULL)
         && (natter_card_get_avatar (card) == NULL
             || g_bytes_equal (natter_card_get_avatar (card), natter_card_get_avatar (from_charx))),
         "card: CHARX export keeps the avatar");
}

static void
fuzz_charx (GBytes *bytes)
{
  g_autoptr(GBytes) entry = natter_charx_read_entry (bytes, "card.json", 1 << 20, NULL);

  if (entry != NULL)
    check (g_bytes_get_size (entry) <= 1 << 20, "charx: cap respected");
}

static void
fuzz_worldbook (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autoptr(JsonObject) book = natter_worldbook_import_st (bytes, "fuzz.json", &name, &error);

  check ((book == NULL) == (error != NULL), "worldbook: error set exactly on failure");
  if (book != NULL)
    check (name != NULL && json_object_has_member (book, "entries"), "worldbook: has name and entries");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* A private copy, so reads past the end are caught by ASan. */
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);

  fuzz_png (bytes);
  fuzz_card (bytes);
  fuzz_charx (bytes);
  fuzz_worldbook (bytes);
  return 0;
}
