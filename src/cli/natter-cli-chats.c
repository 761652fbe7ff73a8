/* natter-cli-chats.c
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
#include "natter-cli-private.h"
#include "natter-json.h"

/* The CLI's engine plus the chat store and the conversation engine. */
typedef struct
{
  Engine              base;
  NatterChatStore    *store;
  NatterConversation *conv;
} ChatEngine;

static void
chat_engine_clear (ChatEngine *engine)
{
  g_clear_object (&engine->conv);
  g_clear_object (&engine->store);
  engine_clear (&engine->base);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ChatEngine, chat_engine_clear)

/* Opens the database and the chat store; with @with_client also the
 * profiles, the request log, the client and the conversation engine. */
static gboolean
chat_engine_open (ChatEngine  *engine,
                  gboolean     with_client,
                  GError     **error)
{
  if (with_client)
    {
      if (!engine_open (&engine->base, error))
        return FALSE;
      engine->store = natter_chat_store_new (engine->base.database);
      engine->conv = natter_conversation_new (engine->store, engine->base.client);
      return TRUE;
    }
  engine->base.database = natter_database_open_default (error);
  if (engine->base.database == NULL)
    return FALSE;
  engine->store = natter_chat_store_new (engine->base.database);
  return TRUE;
}

static void
print_json_node (JsonNode *root)
{
  g_autofree char *text = json_to_string (root, TRUE);

  g_print ("%s\n", text);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* A member that is JSON text parsed (or the text as a string when it is not JSON). */
static void
add_json_text (JsonBuilder *builder,
               const char  *name,
               const char  *text,
               gssize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_builder_set_member_name (builder, name);
  if (text == NULL)
    json_builder_add_null_value (builder);
  else if (natter_json_parser_load (parser, text, len, NULL) &&
           json_parser_get_root (parser) != NULL)
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else if (len < 0)
    json_builder_add_string_value (builder, text);
  else
    {
      g_autofree char *copy = g_strndup (text, len);
      json_builder_add_string_value (builder, copy);
    }
}

/* A chat or message id from the command line. */
static gboolean
parse_id (const char *text,
          const char *what,
          gint64     *id,
          int        *exit_code)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      *exit_code = fail (EXIT_USAGE, _("“%s” is not a %s id (a positive number)"), text, what);
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}

/* A character by name (case-insensitive), or by id when @name is a number
 * no character is called. */
static NatterCharacterRow *
lookup_character (ChatEngine *engine,
                  const char *name,
                  int        *exit_code)
{
  g_autoptr(GError) error = NULL;
  NatterCharacterRow *row;
  guint64 id;

  row = natter_chat_store_lookup_character (engine->store, name, &error);
  if (row != NULL)
    return row;
  if (g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT64, &id, NULL))
    {
      row = natter_chat_store_get_character (engine->store, (gint64) id, NULL);
      if (row != NULL)
        return row;
    }
  *exit_code = fail_with_error (error);
  return NULL;
}

static NatterProfile *
pick_profile (ChatEngine *engine,
              const char *name,
              int        *exit_code)
{
  NatterProfile *profile;

  if (name != NULL)
    {
      profile = natter_profile_store_lookup (engine->base.profiles, name);
      if (profile == NULL)
        *exit_code = fail (EXIT_LOCAL, _("No profile named “%s”"), name);
      return profile;
    }
  profile = natter_profile_store_get_active (engine->base.profiles);
  if (profile == NULL)
    *exit_code = fail (EXIT_LOCAL, _("No profile yet: add one with “natter-cli profile add”"));
  return profile;
}

static gboolean
write_file (const char  *path,
            GBytes      *bytes,
            GError     **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_file_set_contents (path, data != NULL ? data : "", len, error);
}

typedef struct
{
  gboolean dirty;
  gboolean in_reasoning;
  gboolean ends_with_newline;
  gboolean wrote_text;
  guint    flush_id;
} Output;

static gboolean
output_flush_cb (gpointer user_data)
{
  Output *out = user_data;

  out->flush_id = 0;
  if (out->dirty)
    {
      fflush (stderr);
      fflush (stdout);
    }
  out->dirty = FALSE;
  return G_SOURCE_REMOVE;
}

/* Text to stdout, reasoning to stderr, flushed once per network chunk. */
static void
output_on_delta (const NatterDelta *delta,
                 gpointer           user_data)
{
  Output *out = user_data;

  if (delta->len == 0)
    return;
  if (delta->kind == NATTER_DELTA_TEXT)
    {
      if (out->in_reasoning)
        {
          fputc ('\n', stderr);
          out->in_reasoning = FALSE;
        }
      fwrite (delta->text, 1, delta->len, stdout);
      out->ends_with_newline = delta->text[delta->len - 1] == '\n';
      out->wrote_text = TRUE;
    }
  else if (delta->kind == NATTER_DELTA_REASONING)
    {
      out->in_reasoning = TRUE;
      fwrite (delta->text, 1, delta->len, stderr);
    }
  else
    return;

  out->dirty = TRUE;
  if (out->flush_id == 0)
    out->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT, output_flush_cb, out, NULL);
}

static void
output_end (Output *out)
{
  g_clear_handle_id (&out->flush_id, g_source_remove);
  if (out->in_reasoning)
    fputc ('\n', stderr);
  if (out->wrote_text && !out->ends_with_newline)
    fputc ('\n', stdout);
  fflush (stderr);
  fflush (stdout);
}

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
import_worldbook (ChatEngine *engine,
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

  if (attach != NULL && (character = lookup_character (engine, attach, &code)) == NULL)
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

      json_builder_begin_object (builder);
      add_string (builder, "type", "lorebook");
      add_int (builder, "id", id);
      add_string (builder, "name", name);
      json_builder_set_member_name (builder, "attached_to");
      if (character != NULL)
        json_builder_add_string_value (builder, character->name);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else if (character != NULL)
    g_print (_("Imported lorebook “%s” (id %" G_GINT64_FORMAT ") and attached it to “%s”\n"),
             name, id, character->name);
  else
    g_print (_("Imported lorebook “%s” (id %" G_GINT64_FORMAT ")\n"), name, id);
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
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autofree char *card_json = NULL;
  JsonObject *book;
  gint64 id;
  int code = EXIT_OK;

  if (!parse_options (_("FILE"),
                      _("Imports a character card (PNG, JSON or CHARX), or a SillyTavern "
                        "world book (JSON) as a lorebook."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one file"));
  if (!chat_engine_open (&engine, FALSE, &error))
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

      json_builder_begin_object (builder);
      add_string (builder, "type", "character");
      add_int (builder, "id", id);
      add_string (builder, "name", natter_card_get_name (card));
      add_string (builder, "spec", natter_card_get_spec (card));
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
    g_print (_("Imported character “%s” (id %" G_GINT64_FORMAT ")\n"),
             natter_card_get_name (card), id);
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
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  int code = EXIT_OK;

  if (!parse_options_no_args (NULL, _("Lists the characters."), entries, &argc, &argv, &code))
    return code;
  if (!chat_engine_open (&engine, FALSE, &error))
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
      add_int (builder, "id", row->id);
      add_string (builder, "name", row->name);
      json_builder_set_member_name (builder, "has_avatar");
      json_builder_add_boolean_value (builder, row->avatar != NULL);
      add_int (builder, "created_at", row->created_at);
      add_int (builder, "updated_at", row->updated_at);
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
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(GPtrArray) chats = NULL;
  g_auto(GStrv) alternates = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Shows a character's card."), entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one character name"));
  if (!chat_engine_open (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = lookup_character (&engine, argv[1], &code)) == NULL)
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
      add_int (builder, "id", row->id);
      add_string (builder, "name", row->name);
      json_builder_set_member_name (builder, "has_avatar");
      json_builder_add_boolean_value (builder, row->avatar != NULL);
      add_int (builder, "chats", chats->len);
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
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(GBytes) bytes = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME [--format png|json|charx] -o FILE"),
                      _("Exports a character card as PNG (chara and ccv3 chunks), JSON or CHARX "
                        "(a zip with the Character Card V3 card.json and the avatar as its main icon). "
                        "Without --format, the file name's extension (.png, .json, .charx) picks the format."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one character name"));
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
  if (!chat_engine_open (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = lookup_character (&engine, argv[1], &code)) == NULL)
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
  if (!write_file (output, bytes, &error))
    return fail (EXIT_LOCAL, "%s", error->message);
  return EXIT_OK;
}

static int
cmd_character_delete (int    argc,
                      char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Deletes a character; its chats stay, without a character."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one character name"));
  if (!chat_engine_open (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = lookup_character (&engine, argv[1], &code)) == NULL)
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
  { NULL }
};

int
natter_cli_cmd_character (int    argc,
                          char **argv)
{
  return run_subcommand (character_commands, "character", argc, argv);
}

/* ------------------------------------------------------------------ chats */

int
natter_cli_cmd_chat_new (int    argc,
              char **argv)
{
  g_autofree char *character = NULL;
  g_autofree char *title = NULL;
  GOptionEntry entries[] = {
    { "character", 0, 0, G_OPTION_ARG_STRING, &character, N_("Chat with this character"), N_("NAME") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The chat's title"), N_("T") },
    { NULL }
  };
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  gint64 id;
  int code = EXIT_OK;

  if (!parse_options_no_args (NULL, _("Starts a chat (with the character's greeting) and prints its id."),
                              entries, &argc, &argv, &code))
    return code;
  if (!chat_engine_open (&engine, TRUE, &error))
    return fail_with_error (error);
  if (character != NULL && (row = lookup_character (&engine, character, &code)) == NULL)
    return code;
  id = natter_conversation_new_chat (engine.conv, row != NULL ? row->id : 0, title, &error);
  if (id == 0)
    return fail_with_error (error);
  g_print ("%" G_GINT64_FORMAT "\n", id);
  return EXIT_OK;
}

/* Sends (or, with @swipe, regenerates) and streams the reply to stdout. */
static int
run_exchange (gint64      chat_id,
              const char *profile_name,
              const char *text,
              gboolean    swipe)
{
  g_auto(ChatEngine) engine = { 0 };
  g_auto(Wait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  static char out_buffer[64 * 1024];
  Output out = { 0 };
  NatterProfile *profile;
  gint64 id;
  int code = EXIT_OK;

  if (!chat_engine_open (&engine, TRUE, &error))
    return fail_with_error (error);
  if ((profile = pick_profile (&engine, profile_name, &code)) == NULL)
    return code;

  warn_if_key_in_clear (engine.base.client, profile);
  setvbuf (stdout, out_buffer, _IOFBF, sizeof out_buffer);
  wait.cancellable = g_cancellable_new ();
  if (swipe)
    natter_conversation_regenerate_async (engine.conv, chat_id, profile, NULL,
                                          output_on_delta, &out, wait.cancellable,
                                          wait_cb, &wait);
  else
    natter_conversation_send_async (engine.conv, chat_id, profile, text, NULL,
                                    output_on_delta, &out, wait.cancellable, wait_cb, &wait);
  wait_run (&wait);
  output_end (&out);
  if (swipe)
    id = natter_conversation_regenerate_finish (engine.conv, wait.result, NULL, &error);
  else
    id = natter_conversation_send_finish (engine.conv, wait.result, NULL, &error);
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (id == 0)
    return fail_with_error (error);
  return EXIT_OK;
}

int
natter_cli_cmd_chat_send (int    argc,
               char **argv)
{
  g_autofree char *profile = NULL;
  GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile, N_("Profile (default: the active one)"), N_("PROFILE") },
    { NULL }
  };
  g_autofree char *text = NULL;
  g_autofree char *stripped = NULL;
  gint64 chat_id;
  int code = EXIT_OK;

  if (!parse_options (_("CHAT_ID TEXT | -"),
                      _("Sends TEXT in a chat: assembles the prompt (character, persona, "
                        "lorebooks, history), streams the reply to standard output and stores it. "
                        "With “-” the text is read from standard input."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc < 3)
    return fail (EXIT_USAGE, _("Expected a chat id and the text to send"));
  if (!parse_id (argv[1], _("chat"), &chat_id, &code))
    return code;
  if (argc == 3 && g_str_equal (argv[2], "-"))
    {
      GString *buffer = g_string_new (NULL);
      char chunk[4096];
      size_t n;

      while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
        g_string_append_len (buffer, chunk, n);
      text = g_string_free (buffer, FALSE);
    }
  else
    text = g_strjoinv (" ", argv + 2);
  if (!g_utf8_validate (text, -1, NULL))
    return fail (EXIT_USAGE, _("The text is not valid UTF-8"));
  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    return fail (EXIT_USAGE, _("The text is empty"));
  return run_exchange (chat_id, profile, text, FALSE);
}

int
natter_cli_cmd_chat_swipe (int    argc,
                char **argv)
{
  g_autofree char *profile = NULL;
  GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile, N_("Profile (default: the active one)"), N_("PROFILE") },
    { NULL }
  };
  gint64 chat_id;
  int code = EXIT_OK;

  if (!parse_options (_("CHAT_ID"),
                      _("Asks for another reply to the chat's last message (a new swipe, "
                        "selected) and streams it to standard output."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one chat id"));
  if (!parse_id (argv[1], _("chat"), &chat_id, &code))
    return code;
  return run_exchange (chat_id, profile, NULL, TRUE);
}

static const char *
character_name (ChatEngine *engine,
                gint64  character_id)
{
  static GHashTable *names;
  NatterCharacterRow *row;

  if (character_id == 0)
    return NULL;
  if (names == NULL)
    names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  if (!g_hash_table_contains (names, &character_id))
    {
      row = natter_chat_store_get_character (engine->store, character_id, NULL);
      g_hash_table_insert (names, g_memdup2 (&character_id, sizeof character_id),
                           row != NULL ? g_strdup (row->name) : NULL);
      g_clear_pointer (&row, natter_character_row_free);
    }
  return g_hash_table_lookup (names, &character_id);
}

static void
add_chat_members (JsonBuilder *builder,
                  ChatEngine  *engine,
                  NatterChat  *chat)
{
  gint64 character_id = natter_chat_get_character_id (chat);

  add_int (builder, "id", natter_chat_get_id (chat));
  add_string (builder, "title", natter_chat_get_title (chat));
  json_builder_set_member_name (builder, "character_id");
  if (character_id != 0)
    json_builder_add_int_value (builder, character_id);
  else
    json_builder_add_null_value (builder);
  add_string (builder, "character", character_name (engine, character_id));
  add_int (builder, "messages", natter_chat_store_count_messages (engine->store,
                                                                  natter_chat_get_id (chat), NULL));
  add_int (builder, "created_at", natter_chat_get_created_at (chat));
  add_int (builder, "updated_at", natter_chat_get_updated_at (chat));
  json_builder_set_member_name (builder, "parent_chat_id");
  if (natter_chat_get_parent_chat_id (chat) != 0)
    json_builder_add_int_value (builder, natter_chat_get_parent_chat_id (chat));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "branched_from_message_id");
  if (natter_chat_get_branched_from_message_id (chat) != 0)
    json_builder_add_int_value (builder, natter_chat_get_branched_from_message_id (chat));
  else
    json_builder_add_null_value (builder);
}

int
natter_cli_cmd_chat_list (int    argc,
               char **argv)
{
  g_autofree char *character = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "character", 0, 0, G_OPTION_ARG_STRING, &character, N_("Only this character's chats"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(GPtrArray) chats = NULL;
  int code = EXIT_OK;

  if (!parse_options_no_args (NULL, _("Lists chats, most recently active first."),
                              entries, &argc, &argv, &code))
    return code;
  if (!chat_engine_open (&engine, FALSE, &error))
    return fail_with_error (error);
  if (character != NULL && (row = lookup_character (&engine, character, &code)) == NULL)
    return code;
  chats = natter_chat_store_list_chats (engine.store, row != NULL ? row->id : 0, &error);
  if (chats == NULL)
    return fail_with_error (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < chats->len; i++)
        {
          json_builder_begin_object (builder);
          add_chat_members (builder, &engine, g_ptr_array_index (chats, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  for (guint i = 0; i < chats->len; i++)
    {
      NatterChat *chat = g_ptr_array_index (chats, i);
      const char *name = character_name (&engine, natter_chat_get_character_id (chat));

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%" G_GINT64_FORMAT "\n", natter_chat_get_id (chat),
               natter_chat_get_title (chat), name != NULL ? name : "-",
               natter_chat_store_count_messages (engine.store, natter_chat_get_id (chat), NULL));
    }
  return EXIT_OK;
}

static const char *
role_to_string (NatterRole role)
{
  switch (role)
    {
    case NATTER_ROLE_SYSTEM:
      return "system";
    case NATTER_ROLE_USER:
      return "user";
    case NATTER_ROLE_ASSISTANT:
    default:
      return "assistant";
    }
}

int
natter_cli_cmd_chat_show (int    argc,
               char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 chat_id, before = -1;
  int code = EXIT_OK;

  if (!parse_options (_("CHAT_ID"), _("Shows a chat's messages (the selected swipe of each)."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one chat id"));
  if (!parse_id (argv[1], _("chat"), &chat_id, &code))
    return code;
  if (!chat_engine_open (&engine, FALSE, &error))
    return fail_with_error (error);
  chat = natter_chat_store_get_chat (engine.store, chat_id, &error);
  if (chat == NULL)
    return fail_with_error (error);

  /* Pages from the end, newest page first. */
  for (;;)
    {
      g_autoptr(GPtrArray) page = natter_chat_store_page_messages (engine.store, chat_id, before,
                                                                   500, &error);
      if (page == NULL)
        return fail_with_error (error);
      if (page->len == 0)
        break;
      before = natter_chat_message_get_position (g_ptr_array_index (page, 0));
      for (guint i = page->len; i > 0; i--)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (page, i - 1)));
      if (page->len < 500)
        break;
    }
  for (guint i = 0, j = all->len; j > 0 && i < j - 1; i++, j--)
    {
      gpointer tmp = all->pdata[i];

      all->pdata[i] = all->pdata[j - 1];
      all->pdata[j - 1] = tmp;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_chat_members (builder, &engine, chat);
      add_json_text (builder, "metadata", natter_chat_get_metadata (chat), -1);
      json_builder_set_member_name (builder, "messages");
      json_builder_begin_array (builder);
      for (guint i = 0; i < all->len; i++)
        {
          NatterChatMessage *m = g_ptr_array_index (all, i);
          NatterSwipeState state = natter_chat_message_get_state (m);

          json_builder_begin_object (builder);
          add_int (builder, "id", natter_chat_message_get_id (m));
          add_int (builder, "position", natter_chat_message_get_position (m));
          add_string (builder, "role", role_to_string (natter_chat_message_get_role (m)));
          add_string (builder, "name", natter_chat_message_get_name (m));
          add_string (builder, "content", natter_chat_message_get_content (m));
          add_string (builder, "reasoning", natter_chat_message_get_reasoning (m));
          add_string (builder, "model", natter_chat_message_get_model (m));
          add_string (builder, "state", natter_swipe_state_to_string (state));
          add_int (builder, "swipe_index", natter_chat_message_get_swipe_index (m));
          add_int (builder, "n_swipes", natter_chat_message_get_n_swipes (m));
          add_int (builder, "created_at", natter_chat_message_get_created_at (m));
          json_builder_set_member_name (builder, "error");
          if (state == NATTER_SWIPE_STATE_ERROR || state == NATTER_SWIPE_STATE_CANCELLED)
            {
              json_builder_begin_object (builder);
              add_string (builder, "category",
                          natter_error_category_to_string (natter_chat_message_get_error_category (m)));
              add_string (builder, "message", natter_chat_message_get_error_message (m));
              json_builder_end_object (builder);
            }
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%s (%s %" G_GINT64_FORMAT ")\n\n", natter_chat_get_title (chat), _("chat"), chat_id);
  for (guint i = 0; i < all->len; i++)
    {
      NatterChatMessage *m = g_ptr_array_index (all, i);
      NatterSwipeState state = natter_chat_message_get_state (m);
      const char *name = natter_chat_message_get_name (m);

      g_print ("[%" G_GINT64_FORMAT "] %s", natter_chat_message_get_id (m),
               name != NULL && *name != '\0' ? name : role_to_string (natter_chat_message_get_role (m)));
      if (natter_chat_message_get_n_swipes (m) > 1)
        g_print (" (%u/%u)", natter_chat_message_get_swipe_index (m) + 1,
                 natter_chat_message_get_n_swipes (m));
      if (state != NATTER_SWIPE_STATE_COMPLETE)
        g_print (" [%s]", natter_swipe_state_to_string (state));
      g_print (":\n%s\n\n", natter_chat_message_get_content (m));
    }
  return EXIT_OK;
}

int
natter_cli_cmd_chat_delete (int    argc,
                 char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChat) chat = NULL;
  gint64 chat_id;
  int code = EXIT_OK;

  if (!parse_options (_("CHAT_ID"), _("Deletes a chat and its messages; its branches stay."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one chat id"));
  if (!parse_id (argv[1], _("chat"), &chat_id, &code))
    return code;
  if (!chat_engine_open (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((chat = natter_chat_store_get_chat (engine.store, chat_id, &error)) == NULL ||
      !natter_chat_store_delete_chat (engine.store, chat_id, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

int
natter_cli_cmd_chat_branch (int    argc,
                 char **argv)
{
  g_autofree char *title = NULL;
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The new chat's title"), N_("T") },
    { NULL }
  };
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatMessage) message = NULL;
  gint64 chat_id, message_id, id;
  int code = EXIT_OK;

  if (!parse_options (_("CHAT_ID MESSAGE_ID"),
                      _("Forks a chat at a message: a new chat with copies of the messages up to "
                        "and including MESSAGE_ID. Prints the new chat's id."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 3)
    return fail (EXIT_USAGE, _("Expected a chat id and a message id"));
  if (!parse_id (argv[1], _("chat"), &chat_id, &code) ||
      !parse_id (argv[2], _("message"), &message_id, &code))
    return code;
  if (!chat_engine_open (&engine, FALSE, &error))
    return fail_with_error (error);
  message = natter_chat_store_get_message (engine.store, message_id, &error);
  if (message == NULL)
    return fail_with_error (error);
  if (natter_chat_message_get_chat_id (message) != chat_id)
    return fail (EXIT_LOCAL, _("Message %" G_GINT64_FORMAT " is not in chat %" G_GINT64_FORMAT),
                 message_id, chat_id);
  id = natter_chat_store_branch_chat (engine.store, chat_id, message_id, title, &error);
  if (id == 0)
    return fail_with_error (error);
  g_print ("%" G_GINT64_FORMAT "\n", id);
  return EXIT_OK;
}

int
natter_cli_cmd_chat_import (int    argc,
                 char **argv)
{
  g_autofree char *character = NULL;
  g_autofree char *title = NULL;
  GOptionEntry entries[] = {
    { "character", 0, 0, G_OPTION_ARG_STRING, &character, N_("The chat's character"), N_("NAME") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The chat's title"), N_("T") },
    { NULL }
  };
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  gint64 id;
  int code = EXIT_OK;

  if (!parse_options (_("FILE.jsonl"),
                      _("Imports a SillyTavern chat (JSONL) as a new chat and prints its id."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one file"));
  if (!chat_engine_open (&engine, FALSE, &error))
    return fail_with_error (error);
  if (character != NULL && (row = lookup_character (&engine, character, &code)) == NULL)
    return code;
  id = natter_st_chat_import_file (engine.store, argv[1], row != NULL ? row->id : 0, title, &error);
  if (id == 0)
    return fail (EXIT_LOCAL, _("Cannot import “%s”: %s"), argv[1], error->message);
  g_print ("%" G_GINT64_FORMAT "\n", id);
  return EXIT_OK;
}

int
natter_cli_cmd_chat_export (int    argc,
                 char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write"), N_("FILE") },
    { NULL }
  };
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 chat_id;
  int code = EXIT_OK;

  if (!parse_options (_("CHAT_ID -o FILE.jsonl"), _("Exports a chat as SillyTavern JSONL."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one chat id"));
  if (output == NULL)
    return fail (EXIT_USAGE, _("Expected -o FILE"));
  if (!parse_id (argv[1], _("chat"), &chat_id, &code))
    return code;
  if (!chat_engine_open (&engine, FALSE, &error))
    return fail_with_error (error);
  if (!natter_st_chat_export_file (engine.store, chat_id, output, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

/* ----------------------------------------------------------------- search */

int
natter_cli_cmd_search (int    argc,
                       char **argv)
{
  gboolean json = FALSE;
  int limit = 50;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N hits (default 50)"), N_("N") },
    { NULL }
  };
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *query = NULL;
  int code = EXIT_OK;

  g_set_prgname ("natter-cli search");
  if (!parse_options (_("QUERY"),
                      _("Searches every message of every chat; all words must occur."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return fail (EXIT_USAGE, _("Expected a query"));
  if (limit <= 0)
    return fail (EXIT_USAGE, _("--limit must be positive"));
  query = g_strjoinv (" ", argv + 1);
  if (!chat_engine_open (&engine, FALSE, &error))
    return fail_with_error (error);
  hits = natter_chat_store_search (engine.store, query, limit, &error);
  if (hits == NULL)
    return fail_with_error (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < hits->len; i++)
        {
          NatterSearchHit *hit = g_ptr_array_index (hits, i);

          json_builder_begin_object (builder);
          add_int (builder, "chat_id", hit->chat_id);
          add_string (builder, "chat_title", hit->chat_title);
          add_int (builder, "message_id", hit->message_id);
          add_string (builder, "snippet", hit->snippet);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  for (guint i = 0; i < hits->len; i++)
    {
      NatterSearchHit *hit = g_ptr_array_index (hits, i);
      g_autofree char *one_line = g_strdelimit (g_strdup (hit->snippet), "\n\r\t", ' ');

      g_print ("%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\t%s\n", hit->chat_id,
               hit->message_id, hit->chat_title, one_line);
    }
  return EXIT_OK;
}

/* ----------------------------------------------------------------- prompt */

int
natter_cli_cmd_prompt (int    argc,
                       char **argv)
{
  gboolean json = FALSE;
  g_autofree char *profile_name = NULL;
  g_autofree char *message = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name, N_("Profile (default: the active one)"), N_("PROFILE") },
    { "message", 0, 0, G_OPTION_ARG_STRING, &message, N_("As if this were sent as the next message"), N_("TEXT") },
    { NULL }
  };
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(NatterPromptResult) result = NULL;
  g_autofree char *url = NULL;
  g_autofree char *headers = NULL;
  NatterProfile *profile;
  GBytes *body;
  const char *body_data = NULL;
  gsize body_len = 0;
  gint64 chat_id;
  int code = EXIT_OK;

  g_set_prgname ("natter-cli prompt");
  if (!parse_options (_("CHAT_ID"),
                      _("Shows the exact request a reply in the chat would send (keys redacted), "
                        "without sending anything."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one chat id"));
  if (!parse_id (argv[1], _("chat"), &chat_id, &code))
    return code;
  if (!chat_engine_open (&engine, TRUE, &error))
    return fail_with_error (error);
  if ((profile = pick_profile (&engine, profile_name, &code)) == NULL)
    return code;
  request = natter_conversation_build_request (engine.conv, chat_id, profile, message, NULL,
                                               &result, &error);
  if (request == NULL)
    return fail_with_error (error);

  url = natter_request_dup_redacted_url (request);
  headers = natter_request_dup_redacted_headers_json (request);
  body = natter_request_get_body (request);
  if (body != NULL)
    body_data = g_bytes_get_data (body, &body_len);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "request");
      json_builder_begin_object (builder);
      add_string (builder, "method", natter_request_get_method (request));
      add_string (builder, "url", url);
      add_json_text (builder, "headers", headers, -1);
      if (body_data != NULL)
        add_json_text (builder, "body", body_data, body_len);
      else
        add_string (builder, "body", NULL);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "prompt");
      json_builder_begin_object (builder);
      add_int (builder, "input_tokens", result->input_tokens);
      add_int (builder, "budget", result->budget);
      json_builder_set_member_name (builder, "over_budget");
      json_builder_add_boolean_value (builder, result->over_budget);
      add_int (builder, "history_kept", result->history_kept);
      add_int (builder, "history_total", result->history_total);
      add_int (builder, "examples_kept", result->examples_kept);
      add_int (builder, "examples_total", result->examples_total);
      json_builder_set_member_name (builder, "lore_time_out");
      json_builder_add_boolean_value (builder, result->lore_time_out);
      json_builder_set_member_name (builder, "lore");
      json_builder_begin_array (builder);
      for (guint i = 0; result->lore != NULL && i < result->lore->len; i++)
        {
          NatterLoreEntry *entry = g_ptr_array_index (result->lore, i);

          json_builder_begin_object (builder);
          add_string (builder, "comment", entry->comment);
          add_int (builder, "tokens", entry->tokens);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "stop");
      json_builder_begin_array (builder);
      for (guint i = 0; result->stop != NULL && result->stop[i] != NULL; i++)
        json_builder_add_string_value (builder, result->stop[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%s %s\n", natter_request_get_method (request), url);
  for (guint i = 0; i < natter_request_get_n_headers (request); i++)
    g_print ("%s: %s\n", natter_request_get_header_name (request, i),
             natter_request_header_is_secret (request, i) ? "REDACTED"
                                                          : natter_request_get_header_value (request, i));
  g_print ("\n");
  if (body_data != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (natter_json_parser_load (parser, body_data, body_len, NULL) &&
          json_parser_get_root (parser) != NULL)
        print_json_node (json_parser_get_root (parser));
      else
        fwrite (body_data, 1, body_len, stdout);
    }
  g_printerr (_("Estimated input tokens: %" G_GINT64_FORMAT "; history messages sent: %u of %u\n"),
              result->input_tokens, result->history_kept, result->history_total);
  if (result->lore_time_out)
    g_printerr (_("Note: the lorebook’s regular expression keys took too long; "
                  "the ones left were skipped\n"));
  return EXIT_OK;
}

/* natter-cli persona [show [--json] | set NAME [--description TEXT]]:
 * the user's own name and description ({{user}} and {{persona}}). */
int
natter_cli_cmd_persona (int    argc,
                        char **argv)
{
  gboolean json = FALSE;
  char *description = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (show)"), NULL },
    { "description", 'd', 0, G_OPTION_ARG_STRING, &description,
      N_("What the characters know about you (set)"), N_("TEXT") },
    { NULL }
  };
  g_auto(ChatEngine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterPersonaRow) persona = NULL;
  g_autofree char *owned_description = NULL;
  int code = EXIT_OK;

  g_set_prgname ("natter-cli persona");
  if (!parse_options (_("show | set NAME"),
                      _("Shows or sets who you are in chats: your name ({{user}}) and a "
                        "description ({{persona}}). Without a persona you are “User”."),
                      entries, &argc, &argv, &code))
    return code;
  owned_description = description;

  if (argc < 2 || g_str_equal (argv[1], "show"))
    {
      if (argc > 2)
        return fail (EXIT_USAGE, _("“persona show” takes no arguments"));
      if (!chat_engine_open (&engine, FALSE, &error))
        return fail_with_error (error);
      persona = natter_chat_store_get_default_persona (engine.store, &error);
      if (error != NULL)
        return fail_with_error (error);
      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, persona ? persona->name : "User");
          json_builder_set_member_name (builder, "description");
          json_builder_add_string_value (builder, persona ? persona->description : "");
          json_builder_set_member_name (builder, "set");
          json_builder_add_boolean_value (builder, persona != NULL);
          json_builder_end_object (builder);
          print_json (builder);
        }
      else
        {
          g_print ("%s\n", persona ? persona->name : "User");
          if (persona != NULL && persona->description != NULL && *persona->description != '\0')
            g_print ("%s\n", persona->description);
        }
      return EXIT_OK;
    }

  if (g_str_equal (argv[1], "set"))
    {
      g_autofree char *name = NULL;

      if (argc < 3)
        return fail (EXIT_USAGE, _("Expected a name: natter-cli persona set NAME"));
      name = g_strjoinv (" ", argv + 2);
      if (!chat_engine_open (&engine, FALSE, &error))
        return fail_with_error (error);
      if (description == NULL)
        {
          persona = natter_chat_store_get_default_persona (engine.store, &error);
          if (error != NULL)
            return fail_with_error (error);
        }
      if (natter_chat_store_set_user_persona (engine.store, name,
                                              description ? description
                                                          : persona ? persona->description : "",
                                              &error) == 0)
        return fail_with_error (error);
      return EXIT_OK;
    }

  return fail (EXIT_USAGE, _("Unknown persona command “%s” (show or set)"), argv[1]);
}
