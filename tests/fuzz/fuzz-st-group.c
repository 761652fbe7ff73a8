/* fuzz-st-group.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for the SillyTavern group definition importer, into a
 * real SQLite database in a temporary directory with the characters
 * Alice, Bob and Carol. Promises: a failed import says why and leaves
 * nothing behind; an imported group exports a definition that imports
 * again with the same members. Built and run by run-fuzz.sh. */

#include "config.h"

#include "fuzz-common.h"
#include "natter-chat-store.h"
#include "natter-database.h"
#include "natter-st-chat.h"
#include "natter-st-group.h"

static NatterChatStore *
store (void)
{
  static NatterChatStore *store = NULL;

  if (store == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("fuzz-st-group-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
      g_autoptr(GError) error = NULL;
      NatterDatabase *db = natter_database_open (path, &error);
      const char *names[] = { "Alice", "Bob", "Carol" };

      fuzz_check (db != NULL, "a database to import into");
      store = natter_chat_store_new (db);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *card = g_strdup_printf ("{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\","
                                                   "\"data\":{\"name\":\"%s\"}}", names[i]);

          fuzz_check (natter_chat_store_add_character (store, NULL, card, NULL, NULL) != 0,
                      "a character to find");
        }
    }
  return store;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(NatterChatGroup) group_again = NULL;
  g_autofree char *definition = NULL;
  gint64 id, again;

  id = natter_st_group_import_data (store (), (const char *) data, size, NULL, 0, NULL, &error);
  fuzz_check ((id == 0) == (error != NULL), "import: error set exactly on failure");
  if (id == 0)
    return 0;

  definition = natter_st_group_export_definition (store (), id, NULL, &error);
  fuzz_check (definition != NULL, "export of an imported group");
  fuzz_check (g_utf8_validate (definition, -1, NULL), "export: valid UTF-8");
  again = natter_st_group_import_data (store (), definition, -1, NULL, 0, NULL, &error);
  if (again == 0)
    g_printerr ("re-import failed: %s\n", error->message);
  fuzz_check (again != 0, "an export imports again");
  group = natter_chat_store_get_group (store (), id, NULL);
  group_again = natter_chat_store_get_group (store (), again, NULL);
  fuzz_check (group != NULL && group_again != NULL &&
              group->members->len == group_again->members->len &&
              group->order == group_again->order && group->cards == group_again->cards,
              "the same group again");

  natter_chat_store_delete_chat (store (), id, NULL);
  natter_chat_store_delete_chat (store (), again, NULL);
  return 0;
}
