/* natter-cli-lorebook.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "natter-chat-store-editing.h"
#include "natter-json.h"
#include "natter-worldbook-edit.h"

#include "natter-cli-editing.h"
#include "natter-cli-private.h"

static NatterLorebookRow *
lookup_book (Engine     *engine,
             const char *name,
             int        *exit_code)
{
  g_autoptr(GError) error = NULL;
  NatterLorebookRow *row;

  row = natter_chat_store_lookup_lorebook (engine->store, name, &error);
  if (row == NULL)
    *exit_code = fail_with_error (error);
  return row;
}

/* The stored book as an object (a new reference), or NULL with a message. */
static JsonObject *
parse_book (NatterLorebookRow *row,
            int               *exit_code)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!natter_json_parser_load (parser, row->book_json, -1, &error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      *exit_code = fail (EXIT_LOCAL, _("Lorebook “%s” cannot be read: %s"), row->name,
                         error != NULL ? error->message : _("not a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static char *
book_to_text (JsonObject *book)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), book);

  return json_to_string (node, FALSE);
}

static guint
count_entries (const char *book_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root, *entries;

  if (!natter_json_parser_load (parser, book_json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  entries = json_object_get_member (json_node_get_object (root), "entries");
  if (entries != NULL && JSON_NODE_HOLDS_ARRAY (entries))
    return json_array_get_length (json_node_get_array (entries));
  if (entries != NULL && JSON_NODE_HOLDS_OBJECT (entries))
    return json_object_get_size (json_node_get_object (entries));
  return 0;
}

static int
cmd_create (int    argc,
            char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) book = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  gint64 id;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Makes an empty lorebook."), entries, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return fail (EXIT_USAGE, _("Expected the lorebook's name"));
  name = g_strstrip (g_strjoinv (" ", argv + 1));
  if (name[0] == '\0')
    return fail (EXIT_USAGE, _("A lorebook needs a name"));
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  book = natter_worldbook_new (name);
  text = book_to_text (book);
  id = natter_chat_store_add_lorebook (engine.store, name, text, &error);
  if (id == 0)
    return fail_with_error (error);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_begin_made_object (builder, "lorebook", id, name);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    g_print (_("Created lorebook “%s” (id %lld)\n"), name, (long long) id);
  return EXIT_OK;
}

static int
cmd_list (int    argc,
          char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  int code = EXIT_OK;

  if (!parse_options_no_args (NULL, _("Lists the lorebooks."), entries, &argc, &argv, &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  rows = natter_chat_store_list_all_lorebooks (engine.store, &error);
  if (rows == NULL)
    return fail_with_error (error);

  if (!json)
    {
      for (guint i = 0; i < rows->len; i++)
        {
          NatterLorebookRow *row = g_ptr_array_index (rows, i);

          g_print ("%" G_GINT64_FORMAT "\t%s\t%u\t%s\n", row->id, row->name,
                   count_entries (row->book_json), row->is_global ? _("global") : "");
        }
      return EXIT_OK;
    }

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      NatterLorebookRow *row = g_ptr_array_index (rows, i);

      json_builder_begin_object (builder);
      json_add_int (builder, "id", row->id);
      json_add_string (builder, "name", row->name);
      json_add_int (builder, "entries", count_entries (row->book_json));
      json_add_bool (builder, "global", row->is_global);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  print_json (builder);
  return EXIT_OK;
}

static int
cmd_show (int    argc,
          char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterLorebookRow) row = NULL;
  g_autoptr(JsonObject) book = NULL;
  JsonArray *array;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME"), _("Shows a lorebook and its entries."),
                              entries, &argc, &argv, _("Expected one lorebook name"), &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = lookup_book (&engine, argv[1], &code)) == NULL)
    return code;
  if ((book = parse_book (row, &code)) == NULL)
    return code;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_add_int (builder, "id", row->id);
      json_add_string (builder, "name", row->name);
      json_add_bool (builder, "global", row->is_global);
      json_builder_set_member_name (builder, "book");
      json_builder_add_value (builder, json_node_init_object (json_node_alloc (), book));
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%s (id %" G_GINT64_FORMAT ")%s\n", row->name, row->id,
           row->is_global ? _(", used in every chat") : "");
  array = natter_worldbook_get_entries (book);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      NatterLoreFields fields;
      g_autofree char *keys = NULL;
      g_autofree char *secondary = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      natter_lore_fields_read (json_node_get_object (item), &fields);
      keys = g_strjoinv (", ", fields.keys);
      secondary = g_strjoinv (", ", fields.secondary_keys);
      g_print ("\n%s %u%s%s%s\n", _("Entry"), i + 1, fields.comment[0] ? ": " : "", fields.comment,
               fields.enabled ? "" : _(" (disabled)"));
      if (fields.constant)
        g_print ("  %s\n", _("Constant"));
      g_print ("  %s: %s\n", _("Keys"), keys);
      if (*secondary != '\0')
        g_print ("  %s: %s (%s)\n", _("Secondary keys"), secondary,
                 natter_lore_logic_to_string (fields.logic));
      g_print ("  %s: %s", _("Position"), natter_lore_insert_to_string (fields.position));
      if (fields.position == NATTER_LORE_INSERT_AT_DEPTH)
        g_print (" %d", fields.depth);
      g_print ("  %s: %d\n", _("Order"), fields.order);
      g_print ("  %s\n", fields.content);
      natter_lore_fields_clear (&fields);
    }
  return EXIT_OK;
}

static int
cmd_import (int    argc,
            char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) book = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  gint64 id;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("FILE"), _("Imports a SillyTavern world book (JSON) as a lorebook."),
                              entries, &argc, &argv, _("Expected one file"), &code))
    return code;
  book = natter_worldbook_import_st_file (argv[1], &name, &error);
  if (book == NULL)
    return fail (EXIT_LOCAL, _("Cannot import “%s”: %s"), argv[1], error->message);
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  text = book_to_text (book);
  id = natter_chat_store_add_lorebook (engine.store, name, text, &error);
  if (id == 0)
    return fail_with_error (error);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_begin_made_object (builder, "lorebook", id, name);
      json_add_int (builder, "entries", json_array_get_length (natter_worldbook_get_entries (book)));
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    g_print (_("Imported lorebook “%s” (id %lld)\n"), name, (long long) id);
  return EXIT_OK;
}

static int
cmd_export (int    argc,
            char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write"), N_("FILE") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterLorebookRow) row = NULL;
  g_autoptr(JsonObject) book = NULL;
  g_autoptr(GBytes) bytes = NULL;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME -o FILE"), _("Exports a lorebook as a SillyTavern world book (JSON)."),
                              entries, &argc, &argv, _("Expected one lorebook name"), &code))
    return code;
  if (output == NULL)
    return fail (EXIT_USAGE, _("Expected -o FILE"));
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = lookup_book (&engine, argv[1], &code)) == NULL)
    return code;
  if ((book = parse_book (row, &code)) == NULL)
    return code;
  bytes = natter_worldbook_export_st (book);
  if (!cli_write_file (output, bytes, &error))
    return fail (EXIT_LOCAL, "%s", error->message);
  return EXIT_OK;
}

static int
cmd_delete (int    argc,
            char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterLorebookRow) row = NULL;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME"), _("Deletes a lorebook."),
                              entries, &argc, &argv, _("Expected one lorebook name"), &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = lookup_book (&engine, argv[1], &code)) == NULL)
    return code;
  if (!natter_chat_store_delete_lorebook (engine.store, row->id, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static int
cmd_attach (int    argc,
            char **argv)
{
  g_autofree char *character_name = NULL;
  g_autofree char *chat_text = NULL;
  gboolean global = FALSE;
  GOptionEntry entries[] = {
    { "character", 0, 0, G_OPTION_ARG_STRING, &character_name,
      N_("Use it in every chat with this character"), N_("NAME") },
    { "chat", 0, 0, G_OPTION_ARG_STRING, &chat_text, N_("Use it in this chat"), N_("ID") },
    { "global", 0, 0, G_OPTION_ARG_NONE, &global, N_("Use it in every chat"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterLorebookRow) row = NULL;
  g_autoptr(NatterCharacterRow) character = NULL;
  gint64 chat_id = 0;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME --character C | --chat ID | --global"),
                              _("Attaches a lorebook to a character, a chat, or every chat."),
                              entries, &argc, &argv, _("Expected one lorebook name"), &code))
    return code;
  if ((character_name != NULL) + (chat_text != NULL) + (global != FALSE) != 1)
    return fail (EXIT_USAGE, _("Expected exactly one of --character, --chat and --global"));
  if (chat_text != NULL && !cli_parse_id (chat_text, &chat_id, &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = lookup_book (&engine, argv[1], &code)) == NULL)
    return code;

  if (global)
    {
      if (!natter_chat_store_set_lorebook_global (engine.store, row->id, TRUE, &error))
        return fail_with_error (error);
      return EXIT_OK;
    }
  if (character_name != NULL &&
      (character = cli_lookup_character (&engine, character_name, &code)) == NULL)
    return code;
  if (chat_id != 0)
    {
      g_autoptr(NatterChat) chat = natter_chat_store_get_chat (engine.store, chat_id, &error);

      if (chat == NULL)
        return fail_with_error (error);
    }
  if (!natter_chat_store_attach_lorebook (engine.store, row->id,
                                          character != NULL ? character->id : 0, chat_id, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static int
cmd_entry_add (int    argc,
               char **argv)
{
  g_auto(GStrv) keys = NULL;
  g_auto(GStrv) secondary = NULL;
  g_autofree char *logic = NULL;
  g_autofree char *position = NULL;
  g_autofree char *comment = NULL;
  int depth = -1;
  int order = -1;
  gboolean constant = FALSE;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_STRING_ARRAY, &keys,
      N_("A key that activates the entry (/regex/flags for a regular expression)"), N_("K") },
    { "secondary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &secondary, N_("A secondary key"), N_("S") },
    { "logic", 0, 0, G_OPTION_ARG_STRING, &logic,
      N_("How secondary keys combine: and_any, and_all, not_any or not_all"), N_("LOGIC") },
    { "position", 0, 0, G_OPTION_ARG_STRING, &position,
      N_("before_char, after_char, an_top, an_bottom or depth"), N_("WHERE") },
    { "depth", 0, 0, G_OPTION_ARG_INT, &depth, N_("The depth in the history (with --position depth)"), N_("N") },
    { "order", 0, 0, G_OPTION_ARG_INT, &order, N_("Insertion order (lower comes first)"), N_("N") },
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("A title for the entry"), N_("TEXT") },
    { "constant", 0, 0, G_OPTION_ARG_NONE, &constant, N_("Always insert the entry"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterLorebookRow) row = NULL;
  g_autoptr(JsonObject) book = NULL;
  g_autofree char *text = NULL;
  NatterLoreFields before, after;
  JsonObject *entry;
  gint64 entry_id;
  int code = EXIT_OK;

  if (!parse_options (_("NAME --key K [--key K2] [--secondary S]… [--logic L] [--position P] "
                        "[--depth N] [--constant] CONTENT"),
                      _("Adds an entry to a lorebook."), entries, &argc, &argv, &code))
    return code;
  if (argc < 3)
    return fail (EXIT_USAGE, _("Expected a lorebook name and the entry's content"));
  if ((keys == NULL || keys[0] == NULL) && !constant)
    return fail (EXIT_USAGE, _("Expected --key K (or --constant)"));
  if (logic != NULL && natter_lore_logic_from_string (logic) < 0)
    return fail (EXIT_USAGE, _("Unknown logic “%s”: expected and_any, and_all, not_any or not_all"), logic);
  if (position != NULL && natter_lore_insert_from_string (position) < 0)
    return fail (EXIT_USAGE,
                 _("Unknown position “%s”: expected before_char, after_char, an_top, an_bottom or depth"),
                 position);
  if (depth != -1 && depth < 0)
    return fail (EXIT_USAGE, _("--depth must be 0 or more"));

  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = lookup_book (&engine, argv[1], &code)) == NULL)
    return code;
  if ((book = parse_book (row, &code)) == NULL)
    return code;

  entry = natter_worldbook_add_entry (book);
  natter_lore_fields_read (entry, &before);
  natter_lore_fields_read (entry, &after);
  g_strfreev (after.keys);
  after.keys = g_strdupv (keys != NULL ? keys : (char *[]) { NULL });
  g_strfreev (after.secondary_keys);
  after.secondary_keys = g_strdupv (secondary != NULL ? secondary : (char *[]) { NULL });
  g_free (after.content);
  after.content = g_strjoinv (" ", argv + 2);
  if (comment != NULL)
    {
      g_free (after.comment);
      after.comment = g_strdup (comment);
    }
  after.constant = constant;
  if (logic != NULL)
    after.logic = natter_lore_logic_from_string (logic);
  if (position != NULL)
    after.position = natter_lore_insert_from_string (position);
  if (depth >= 0)
    after.depth = depth;
  if (order >= 0)
    after.order = order;
  natter_lore_fields_write (entry, &before, &after);
  entry_id = json_object_get_int_member (entry, "id");
  natter_lore_fields_clear (&before);
  natter_lore_fields_clear (&after);

  text = book_to_text (book);
  if (!natter_chat_store_update_lorebook (engine.store, row->id, NULL, text, &error))
    return fail_with_error (error);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_add_string (builder, "lorebook", row->name);
      json_add_int (builder, "entry", entry_id);
      json_builder_end_object (builder);
      print_json (builder);
    }
  return EXIT_OK;
}

static const Command entry_commands[] = {
  { "add", cmd_entry_add, N_("Add an entry to a lorebook") },
  { NULL }
};

static int
cmd_entry (int    argc,
           char **argv)
{
  return run_subcommand (entry_commands, "lorebook entry", argc, argv);
}

static const Command lorebook_commands[] = {
  { "create", cmd_create, N_("Make an empty lorebook") },
  { "list", cmd_list, N_("List lorebooks") },
  { "show", cmd_show, N_("Show a lorebook's entries") },
  { "import", cmd_import, N_("Import a SillyTavern world book") },
  { "export", cmd_export, N_("Export a lorebook as a SillyTavern world book") },
  { "delete", cmd_delete, N_("Delete a lorebook") },
  { "attach", cmd_attach, N_("Use a lorebook with a character, a chat or every chat") },
  { "entry", cmd_entry, N_("Add entries") },
  { NULL }
};

int
natter_cli_cmd_lorebook (int    argc,
                         char **argv)
{
  return run_subcommand (lorebook_commands, "lorebook", argc, argv);
}
