/* natter-cli-persona.c
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

#include "natter-cli-chats.h"
#include "natter-cli-editing.h"
#include "natter-cli-private.h"

static NatterPersonaRow *
lookup_persona (Engine     *engine,
                const char *name,
                int        *exit_code)
{
  g_autoptr(GError) error = NULL;
  NatterPersonaRow *row;

  row = natter_chat_store_lookup_persona (engine->store, name, &error);
  if (row == NULL)
    *exit_code = fail_with_error (error);
  return row;
}

static int
cmd_add (int    argc,
         char **argv)
{
  g_autofree char *description = NULL;
  g_autofree char *avatar_path = NULL;
  g_autofree char *position = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "description", 'd', 0, G_OPTION_ARG_STRING, &description,
      N_("What the characters know about you"), N_("TEXT") },
    { "avatar", 0, 0, G_OPTION_ARG_FILENAME, &avatar_path, N_("An image, cut to the 2:3 portrait of a card"), N_("FILE") },
    { "position", 0, 0, G_OPTION_ARG_STRING, &position,
      N_("Where the description goes: in_prompt, top_an, bottom_an, at_depth or none"), N_("WHERE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) avatar = NULL;
  g_autofree char *name = NULL;
  gint64 id;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Adds a persona: who you are in chats."), entries, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return fail (EXIT_USAGE, _("Expected the persona's name"));
  name = g_strstrip (g_strjoinv (" ", argv + 1));
  if (name[0] == '\0')
    return fail (EXIT_USAGE, _("A persona needs a name"));
  if (position != NULL && !natter_persona_position_is_valid (position))
    return fail (EXIT_USAGE, _("Unknown position “%s”: expected in_prompt, top_an, bottom_an, "
                               "at_depth or none"), position);
  if (avatar_path != NULL && (avatar = natter_cli_read_avatar (avatar_path, &error)) == NULL)
    return fail (EXIT_LOCAL, "%s", error->message);
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  id = natter_chat_store_add_persona (engine.store, name, description, avatar, &error);
  if (id == 0)
    return fail_with_error (error);
  if (position != NULL &&
      !natter_chat_store_update_persona (engine.store, id, name, description, avatar, position, &error))
    return fail_with_error (error);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_begin_made_object (builder, "persona", id, name);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    g_print (_("Added persona “%s” (id %lld)\n"), name, (long long) id);
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

  if (!parse_options_no_args (NULL, _("Lists your personas; * marks the default."),
                              entries, &argc, &argv, &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  rows = natter_chat_store_list_personas (engine.store, &error);
  if (rows == NULL)
    return fail_with_error (error);

  if (!json)
    {
      for (guint i = 0; i < rows->len; i++)
        {
          NatterPersonaRow *row = g_ptr_array_index (rows, i);

          g_print ("%" G_GINT64_FORMAT "\t%s%s\n", row->id, row->name, row->is_default ? " *" : "");
        }
      return EXIT_OK;
    }

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      NatterPersonaRow *row = g_ptr_array_index (rows, i);

      json_builder_begin_object (builder);
      json_add_int (builder, "id", row->id);
      json_add_string (builder, "name", row->name);
      json_add_string (builder, "description", row->description);
      json_add_string (builder, "position", row->position);
      json_add_bool (builder, "default", row->is_default);
      json_add_bool (builder, "has_avatar", row->avatar != NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  print_json (builder);
  return EXIT_OK;
}

static int
cmd_use (int    argc,
         char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterPersonaRow) row = NULL;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME"), _("Makes a persona the default: who you are in chats without a lock."),
                              entries, &argc, &argv, _("Expected one persona name"), &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = lookup_persona (&engine, argv[1], &code)) == NULL)
    return code;
  if (!natter_chat_store_set_default_persona (engine.store, row->id, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static int
cmd_delete (int    argc,
            char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterPersonaRow) row = NULL;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME"), _("Deletes a persona and its locks."),
                              entries, &argc, &argv, _("Expected one persona name"), &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = lookup_persona (&engine, argv[1], &code)) == NULL)
    return code;
  if (!natter_chat_store_delete_persona (engine.store, row->id, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static int
cmd_lock (int    argc,
          char **argv)
{
  g_autofree char *chat_text = NULL;
  g_autofree char *character_name = NULL;
  GOptionEntry entries[] = {
    { "chat", 0, 0, G_OPTION_ARG_STRING, &chat_text, N_("Be this persona in this chat"), N_("ID") },
    { "character", 0, 0, G_OPTION_ARG_STRING, &character_name,
      N_("Be this persona in chats with this character"), N_("NAME") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterPersonaRow) row = NULL;
  g_autoptr(NatterCharacterRow) character = NULL;
  gint64 chat_id = 0;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME --chat ID | --character NAME"),
                              _("Locks a persona to a chat or a character: there you are that persona, "
                                "whatever the default. A chat's lock wins over its character's."),
                              entries, &argc, &argv, _("Expected one persona name"), &code))
    return code;
  if ((chat_text != NULL) == (character_name != NULL))
    return fail (EXIT_USAGE, _("Expected exactly one of --chat and --character"));
  if (chat_text != NULL && !cli_parse_id (chat_text, &chat_id, &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = lookup_persona (&engine, argv[1], &code)) == NULL)
    return code;
  if (character_name != NULL &&
      (character = cli_lookup_character (&engine, character_name, &code)) == NULL)
    return code;
  if (chat_id != 0)
    {
      g_autoptr(NatterChat) chat = natter_chat_store_get_chat (engine.store, chat_id, &error);

      if (chat == NULL)
        return fail_with_error (error);
    }
  if (!natter_chat_store_lock_persona (engine.store, row->id, chat_id,
                                       character != NULL ? character->id : 0, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static const Command persona_commands[] = {
  { "add", cmd_add, N_("Add a persona") },
  { "list", cmd_list, N_("List personas") },
  { "use", cmd_use, N_("Make a persona the default") },
  { "delete", cmd_delete, N_("Delete a persona") },
  { "lock", cmd_lock, N_("Lock a persona to a chat or a character") },
  { "show", natter_cli_cmd_persona, N_("Show the default persona") },
  { "set", natter_cli_cmd_persona, N_("Set the default persona's name and description") },
  { NULL }
};

int
natter_cli_cmd_personas (int    argc,
                         char **argv)
{
  /* "persona", "persona show …" and "persona set …" as before. */
  if (argc < 2 || g_str_equal (argv[1], "show") || g_str_equal (argv[1], "set") ||
      (argv[1][0] == '-' && !g_str_equal (argv[1], "--help") && !g_str_equal (argv[1], "-h")))
    return natter_cli_cmd_persona (argc, argv);
  return run_subcommand (persona_commands, "persona", argc, argv);
}
