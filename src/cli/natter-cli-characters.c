/* natter-cli-characters.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "natter-card.h"
#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-conversation.h"
#include "natter-database.h"
#include "natter-profile-store.h"
#include "natter-request-log.h"
#include "natter-st-chat.h"
#include "natter-worldbook.h"

#include "natter-cli-chats.h"
#include "natter-cli-editing.h"
#include "natter-cli-private.h"
#include "natter-json.h"

/* ------------------------------------------------------------ characters */

/* TRUE when @path holds a JSON object that looks like a world book rather
 * than a card: an "entries" member and no card fields. */
static gboolean
looks_like_worldbook (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *object;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, NULL) || len > NATTER_WORLDBOOK_MAX_SIZE)
    return FALSE;
  g_strchug (data);
  if (data[0] != '{')
    return FALSE;
  parser = json_parser_new ();
  if (!natter_json_parser_load (parser, data, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  return json_object_has_member (object, "entries") &&
         !json_object_has_member (object, "data") &&
         !json_object_has_member (object, "spec") &&
         !json_object_has_member (object, "first_mes") &&
         !json_object_has_member (object, "description");
}

static int
import_worldbook (Engine *engine,
                  const char *path,
                  const char *attach,
                  gboolean    json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) book = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(NatterCharacterRow) character = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  gint64 id;
  int code = EXIT_OK;

  if (attach != NULL && (character = cli_lookup_character (engine, attach, &code)) == NULL)
    return code;

  book = natter_worldbook_import_st_file (path, &name, &error);
  if (book == NULL)
    return fail (EXIT_LOCAL, _("Cannot import “%s”: %s"), path, error->message);
  node = json_node_init_object (json_node_alloc (), book);
  text = json_to_string (node, FALSE);
  id = natter_chat_store_add_lorebook (engine->store, name, text, &error);
  if (id == 0)
    return fail_with_error (error);
  if (character != NULL &&
      !natter_chat_store_attach_lorebook (engine->store, id, character->id, 0, &error))
    {
      natter_chat_store_delete_lorebook (engine->store, id, NULL);
      return fail_with_error (error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_begin_made_object (builder, "lorebook", id, name);
      json_builder_set_member_name (builder, "attached_to");
      if (character != NULL)
        json_builder_add_string_value (builder, character->name);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else if (character != NULL)
    g_print (_("Imported lorebook “%s” (id %lld) and attached it to “%s”\n"),
             name, (long long) id, character->name);
  else
    g_print (_("Imported lorebook “%s” (id %lld)\n"), name, (long long) id);
  return EXIT_OK;
}

static int
cmd_character_import (int    argc,
                      char **argv)
{
  gboolean json = FALSE;
  g_autofree char *attach = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "attach", 0, 0, G_OPTION_ARG_STRING, &attach,
      N_("For a world book: attach it to this character"), N_("NAME") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autofree char *card_json = NULL;
  JsonObject *book;
  gint64 id;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("FILE"),
                              _("Imports a character card (PNG, JSON or CHARX), or a SillyTavern "
                                "world book (JSON) as a lorebook."),
                              entries, &argc, &argv, _("Expected one file"), &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);

  if (looks_like_worldbook (argv[1]))
    return import_worldbook (&engine, argv[1], attach, json);
  if (attach != NULL)
    return fail (EXIT_USAGE, _("--attach is for world books; “%s” is not one"), argv[1]);

  card = natter_card_load_file (argv[1], &error);
  if (card == NULL)
    return fail (EXIT_LOCAL, _("Cannot import “%s”: %s"), argv[1], error->message);
  card_json = natter_card_dup_json (card);
  id = natter_chat_store_add_character (engine.store, natter_card_get_name (card), card_json,
                                        natter_card_get_avatar (card), &error);
  if (id == 0)
    return fail_with_error (error);

  book = natter_card_get_character_book (card);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_begin_made_object (builder, "character", id, natter_card_get_name (card));
      json_add_string (builder, "spec", natter_card_get_spec (card));
      json_builder_set_member_name (builder, "has_avatar");
      json_builder_add_boolean_value (builder, natter_card_get_avatar (card) != NULL);
      json_builder_set_member_name (builder, "lorebook_entries");
      if (book != NULL && json_object_has_member (book, "entries") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (book, "entries")))
        json_builder_add_int_value (builder,
                                    json_array_get_length (json_object_get_array_member (book, "entries")));
      else
        json_builder_add_int_value (builder, 0);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    g_print (_("Imported character “%s” (id %lld)\n"),
             natter_card_get_name (card), (long long) id);
  return EXIT_OK;
}

static int
cmd_character_list (int    argc,
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

  if (!parse_options_no_args (NULL, _("Lists the characters."), entries, &argc, &argv, &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  rows = natter_chat_store_list_characters (engine.store, &error);
  if (rows == NULL)
    return fail_with_error (error);

  if (!json)
    {
      for (guint i = 0; i < rows->len; i++)
        {
          NatterCharacterRow *row = g_ptr_array_index (rows, i);
          g_print ("%" G_GINT64_FORMAT "\t%s\n", row->id, row->name);
        }
      return EXIT_OK;
    }

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      NatterCharacterRow *row = g_ptr_array_index (rows, i);

      json_builder_begin_object (builder);
      json_add_int (builder, "id", row->id);
      json_add_string (builder, "name", row->name);
      json_builder_set_member_name (builder, "has_avatar");
      json_builder_add_boolean_value (builder, row->avatar != NULL);
      json_add_int (builder, "created_at", row->created_at);
      json_add_int (builder, "updated_at", row->updated_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  print_json (builder);
  return EXIT_OK;
}

static int
cmd_character_show (int    argc,
                    char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(GPtrArray) chats = NULL;
  g_auto(GStrv) alternates = NULL;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME"), _("Shows a character's card."),
                              entries, &argc, &argv, _("Expected one character name"), &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = cli_lookup_character (&engine, argv[1], &code)) == NULL)
    return code;
  card = natter_card_new_from_json (row->card_json, &error);
  if (card == NULL)
    return fail (EXIT_LOCAL, _("The card of “%s” cannot be read: %s"), row->name, error->message);
  books = natter_chat_store_list_lorebooks (engine.store, row->id, 0, &error);
  if (books == NULL)
    return fail_with_error (error);
  chats = natter_chat_store_list_chats (engine.store, row->id, &error);
  if (chats == NULL)
    return fail_with_error (error);
  alternates = natter_card_dup_alternate_greetings (card);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_add_int (builder, "id", row->id);
      json_add_string (builder, "name", row->name);
      json_builder_set_member_name (builder, "has_avatar");
      json_builder_add_boolean_value (builder, row->avatar != NULL);
      json_add_int (builder, "chats", chats->len);
      json_builder_set_member_name (builder, "lorebooks");
      json_builder_begin_array (builder);
      for (guint i = 0; i < books->len; i++)
        json_builder_add_string_value (builder, ((NatterLorebookRow *) g_ptr_array_index (books, i))->name);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "card");
      json_builder_add_value (builder, json_node_copy (natter_card_get_root (card)));
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%s (id %" G_GINT64_FORMAT ")\n", row->name, row->id);
  if (*natter_card_get_creator (card) != '\0')
    g_print ("%s: %s\n", _("Creator"), natter_card_get_creator (card));
  g_print ("%s: %s\n", _("Description"), natter_card_get_description (card));
  if (*natter_card_get_personality (card) != '\0')
    g_print ("%s: %s\n", _("Personality"), natter_card_get_personality (card));
  if (*natter_card_get_scenario (card) != '\0')
    g_print ("%s: %s\n", _("Scenario"), natter_card_get_scenario (card));
  g_print ("%s: %s\n", _("First message"), natter_card_get_first_mes (card));
  g_print ("%s: %u\n", _("Alternate greetings"), g_strv_length (alternates));
  g_print ("%s: %s\n", _("Avatar"), row->avatar != NULL ? _("yes") : _("no"));
  g_print ("%s: %u\n", _("Chats"), chats->len);
  for (guint i = 0; i < books->len; i++)
    g_print ("%s: %s\n", _("Lorebook"), ((NatterLorebookRow *) g_ptr_array_index (books, i))->name);
  return EXIT_OK;
}

static int
cmd_character_export (int    argc,
                      char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("png, json or charx (default: from the file name)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write"), N_("FILE") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(GBytes) bytes = NULL;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME [--format png|json|charx] -o FILE"),
                              _("Exports a character card as PNG (chara and ccv3 chunks), JSON or CHARX "
                                "(a zip with the Character Card V3 card.json and the avatar as its main icon). "
                                "Without --format, the file name's extension (.png, .json, .charx) picks the format."),
                              entries, &argc, &argv, _("Expected one character name"), &code))
    return code;
  if (output == NULL)
    return fail (EXIT_USAGE, _("Expected -o FILE"));
  if (format == NULL)
    {
      if (g_str_has_suffix (output, ".png") || g_str_has_suffix (output, ".PNG"))
        format = g_strdup ("png");
      else if (g_str_has_suffix (output, ".json") || g_str_has_suffix (output, ".JSON"))
        format = g_strdup ("json");
      else if (g_str_has_suffix (output, ".charx") || g_str_has_suffix (output, ".CHARX"))
        format = g_strdup ("charx");
      else
        return fail (EXIT_USAGE, _("Expected --format png, --format json or --format charx"));
    }
  if (!g_str_equal (format, "png") && !g_str_equal (format, "json") && !g_str_equal (format, "charx"))
    return fail (EXIT_USAGE, _("Unknown format “%s”: expected png, json or charx"), format);
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = cli_lookup_character (&engine, argv[1], &code)) == NULL)
    return code;
  card = natter_card_new_from_json (row->card_json, &error);
  if (card == NULL)
    return fail (EXIT_LOCAL, _("The card of “%s” cannot be read: %s"), row->name, error->message);
  if (row->avatar != NULL)
    natter_card_set_avatar (card, row->avatar);

  if (g_str_equal (format, "png"))
    bytes = natter_card_export_png (card, &error);
  else if (g_str_equal (format, "charx"))
    bytes = natter_card_export_charx (card, NULL, &error);
  else
    bytes = natter_card_export_json (card);
  if (bytes == NULL)
    return fail (EXIT_LOCAL, _("Cannot export “%s”: %s"), row->name, error->message);
  if (!cli_write_file (output, bytes, &error))
    return fail (EXIT_LOCAL, "%s", error->message);
  return EXIT_OK;
}

static int
cmd_character_delete (int    argc,
                      char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Deletes a character; its chats stay, without a character."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one character name"));
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = cli_lookup_character (&engine, argv[1], &code)) == NULL)
    return code;
  if (!natter_chat_store_delete_character (engine.store, row->id, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static const Command character_commands[] = {
  { "import", cmd_character_import, N_("Import a character card (PNG, JSON, CHARX) or a world book") },
  { "list", cmd_character_list, N_("List characters") },
  { "show", cmd_character_show, N_("Show a character") },
  { "export", cmd_character_export, N_("Export a character card as PNG, JSON or CHARX") },
  { "delete", cmd_character_delete, N_("Delete a character") },
  { "create", natter_cli_cmd_character_create, N_("Make a character from scratch") },
  { "set", natter_cli_cmd_character_set, N_("Change fields of a character's card") },
  { NULL }
};

int
natter_cli_cmd_character (int    argc,
                          char **argv)
{
  return run_subcommand (character_commands, "character", argc, argv);
}

/* ------------------------------------------------------------------ chats */

