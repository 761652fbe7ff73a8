/* fuzz-st-chat.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for the SillyTavern JSONL importer, into a real SQLite
 * database in a temporary directory. Promises: a failed import says why
 * and leaves nothing behind; an imported chat exports as valid UTF-8 that
 * imports again. Built and run by run-fuzz.sh. */

#include "config.h"

#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "natter-chat-store.h"
#include "natter-database.h"
#include "natter-st-chat.h"

static NatterChatStore *
store (void)
{
  static NatterChatStore *store = NULL;

  if (store == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("fuzz-st-chat-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
      g_autoptr(GError) error = NULL;
      NatterDatabase *db = natter_database_open (path, &error);

      fuzz_check (db != NULL, "a database to import into");
      store = natter_chat_store_new (db);
    }
  return store;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  gint64 id, again;
  gsize len;
  g_autofree char *exported = NULL;

  id = natter_st_chat_import_data (store (), (const char *) data, size, 0, NULL, &error);
  fuzz_check ((id == 0) == (error != NULL), "import: error set exactly on failure");
  if (id == 0)
    return 0;

  exported = natter_st_chat_export_data (store (), id, &len, &error);
  fuzz_check (exported != NULL, "export of an imported chat");
  fuzz_check (g_utf8_validate (exported, len, NULL), "export: valid UTF-8");
  again = natter_st_chat_import_data (store (), exported, len, 0, NULL, &error);
  if (again == 0)
    g_printerr ("re-import failed: %s\n", error->message);
  fuzz_check (again != 0, "an export imports again");

  natter_chat_store_delete_chat (store (), id, NULL);
  natter_chat_store_delete_chat (store (), again, NULL);
  return 0;
}
