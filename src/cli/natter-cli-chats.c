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
#include "natter-chat-group.h"
#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-conversation.h"
#include "natter-conversation-attachments.h"
#include "natter-database.h"
#include "natter-profile-store.h"
#include "natter-request-log.h"
#include "natter-st-chat.h"
#include "natter-worldbook.h"

#include "natter-cli-attach.h"
#include "natter-cli-chats.h"
#include "natter-cli-tools.h"
#include "natter-cli-preset.h"
#include "natter-cli-private.h"
#include "natter-json.h"

int
natter_cli_cmd_chat_new (int    argc,
              char **argv)
{
  g_auto(GStrv) characters = NULL;
  const char *character = NULL;
  g_autofree char *title = NULL;
  g_autofree char *preset = NULL;
  GOptionEntry entries[] = {
    { "character", 0, 0, G_OPTION_ARG_STRING_ARRAY, &characters, N_("Chat with this character (twice or more: a group chat)"), N_("NAME") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The chat's title"), N_("T") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, N_("The chat's own preset"), N_("NAME") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  gint64 id;
  int code = EXIT_OK;

  if (!parse_options_no_args (NULL, _("Starts a chat (with the character's greeting) and prints its id."),
                              entries, &argc, &argv, &code))
    return code;
  if (!engine_open_chats (&engine, TRUE, &error))
    return fail_with_error (error);
  if (characters != NULL && characters[0] != NULL && characters[1] != NULL)
    {
      if ((code = natter_cli_new_group_chat (&engine, (const char * const *) characters, title,
                                             &id)) != EXIT_OK)
        return code;
    }
  else
    {
      character = characters != NULL ? characters[0] : NULL;
      if (character != NULL && (row = cli_lookup_character (&engine, character, &code)) == NULL)
        return code;
      id = natter_conversation_new_chat (engine.conv, row != NULL ? row->id : 0, title, &error);
      if (id == 0)
        return fail_with_error (error);
    }
  if (preset != NULL && !natter_cli_set_chat_preset (engine.database, id, preset, &code))
    {
      natter_chat_store_delete_chat (engine.store, id, NULL);
      return code;
    }
  g_print ("%" G_GINT64_FORMAT "\n", id);
  return EXIT_OK;
}

/* Sends (or, with @swipe, regenerates) and streams the reply to stdout. */
static int
run_exchange (gint64      chat_id,
              const char *profile_name,
              const char *preset,
              const char *text,
              char      **attach,
              gboolean    swipe)
{
  g_autoptr(GPtrArray) attachments = NULL;
  g_auto(Engine) engine = { 0 };
  g_auto(Wait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  static char out_buffer[64 * 1024];
  CliOutput out = { 0 };
  NatterProfile *profile;
  gint64 id;
  int code = EXIT_OK;

  if (!engine_open_chats (&engine, TRUE, &error))
    return fail_with_error (error);
  if ((profile = cli_pick_profile (&engine, profile_name, &code)) == NULL)
    return code;
  if (preset != NULL && !natter_cli_set_chat_preset (engine.database, chat_id, preset, &code))
    return code;
  cli_tools_use_chat_servers (&engine, chat_id);
  natter_cli_setup_sidecar (&engine, engine.conv);
  if ((attachments = natter_cli_load_attachments (engine.client, profile, NULL, attach, &code)) == NULL)
    return code;

  warn_if_key_in_clear (engine.client, profile);
  setvbuf (stdout, out_buffer, _IOFBF, sizeof out_buffer);
  wait.cancellable = g_cancellable_new ();
  if (swipe)
    natter_conversation_regenerate_async (engine.conv, chat_id, profile, NULL,
                                          cli_output_on_delta, &out, wait.cancellable,
                                          wait_cb, &wait);
  else
    natter_conversation_send_with_attachments_async (engine.conv, chat_id, profile, text, attachments,
                                                     NULL, cli_output_on_delta, &out,
                                                     wait.cancellable, wait_cb, &wait);
  wait_run (&wait);
  cli_output_end (&out);
  natter_cli_wait_background (engine.conv);
  if (swipe)
    id = natter_conversation_regenerate_finish (engine.conv, wait.result, NULL, &error);
  else
    id = natter_conversation_send_finish (engine.conv, wait.result, NULL, &error);
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (id == 0)
    return fail_with_error (error);
  if (!swipe)
    return natter_cli_run_auto_turns (&engine, chat_id, profile);
  return EXIT_OK;
}

int
natter_cli_cmd_chat_send (int    argc,
               char **argv)
{
  g_autofree char *profile = NULL;
  g_autofree char *preset = NULL;
  g_auto(GStrv) attach = NULL;
  GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile, N_("Profile (default: the active one)"), N_("PROFILE") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, N_("Set the chat's own preset, kept for later sends"), N_("NAME") },
    { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &attach, NATTER_CLI_ATTACH_HELP, N_("FILE") },
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
  if (argc < 3 && !(argc == 2 && attach != NULL))
    return fail (EXIT_USAGE, _("Expected a chat id and the text to send"));
  if (!cli_parse_id (argv[1], &chat_id, &code))
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
  /* Attachments may go without a word. */
  if (*stripped == '\0' && attach == NULL)
    return fail (EXIT_USAGE, _("The text is empty"));
  return run_exchange (chat_id, profile, preset, text, attach, FALSE);
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

  if (!parse_options_one_arg (_("CHAT_ID"),
                              _("Asks for another reply to the chat's last message (a new swipe, "
                                "selected) and streams it to standard output."),
                              entries, &argc, &argv, _("Expected one chat id"), &code))
    return code;
  if (!cli_parse_id (argv[1], &chat_id, &code))
    return code;
  return run_exchange (chat_id, profile, NULL, NULL, NULL, TRUE);
}

static const char *
character_name (Engine *engine,
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
                  Engine  *engine,
                  NatterChat  *chat)
{
  gint64 character_id = natter_chat_get_character_id (chat);

  json_add_int (builder, "id", natter_chat_get_id (chat));
  json_add_string (builder, "title", natter_chat_get_title (chat));
  json_builder_set_member_name (builder, "character_id");
  if (character_id != 0)
    json_builder_add_int_value (builder, character_id);
  else
    json_builder_add_null_value (builder);
  json_add_string (builder, "character", character_name (engine, character_id));
  {
    g_autoptr(NatterChatGroup) group = natter_chat_store_get_group (engine->store,
                                                                    natter_chat_get_id (chat), NULL);

    /* A group chat's members, in order; null for another chat. */
    json_builder_set_member_name (builder, "members");
    if (group == NULL)
      json_builder_add_null_value (builder);
    else
      {
        json_builder_begin_array (builder);
        for (guint i = 0; i < group->members->len; i++)
          json_builder_add_string_value (builder,
                                         ((NatterGroupMember *) g_ptr_array_index (group->members, i))->name);
        json_builder_end_array (builder);
      }
  }
  json_add_int (builder, "messages", natter_chat_store_count_messages (engine->store,
                                                                  natter_chat_get_id (chat), NULL));
  json_add_int (builder, "created_at", natter_chat_get_created_at (chat));
  json_add_int (builder, "updated_at", natter_chat_get_updated_at (chat));
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
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(GPtrArray) chats = NULL;
  int code = EXIT_OK;

  if (!parse_options_no_args (NULL, _("Lists chats, most recently active first."),
                              entries, &argc, &argv, &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if (character != NULL && (row = cli_lookup_character (&engine, character, &code)) == NULL)
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
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 chat_id, before = -1;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("CHAT_ID"), _("Shows a chat's messages (the selected swipe of each)."),
                              entries, &argc, &argv, _("Expected one chat id"), &code))
    return code;
  if (!cli_parse_id (argv[1], &chat_id, &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
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
      json_add_json_text (builder, "metadata", natter_chat_get_metadata (chat), -1);
      json_builder_set_member_name (builder, "messages");
      json_builder_begin_array (builder);
      for (guint i = 0; i < all->len; i++)
        {
          NatterChatMessage *m = g_ptr_array_index (all, i);
          NatterSwipeState state = natter_chat_message_get_state (m);

          json_builder_begin_object (builder);
          json_add_int (builder, "id", natter_chat_message_get_id (m));
          json_add_int (builder, "position", natter_chat_message_get_position (m));
          json_add_string (builder, "role", role_to_string (natter_chat_message_get_role (m)));
          json_add_string (builder, "name", natter_chat_message_get_name (m));
          json_add_string (builder, "content", natter_chat_message_get_content (m));
          json_add_string (builder, "reasoning", natter_chat_message_get_reasoning (m));
          json_add_string (builder, "model", natter_chat_message_get_model (m));
          json_add_string (builder, "state", natter_swipe_state_to_string (state));
          json_add_int (builder, "swipe_index", natter_chat_message_get_swipe_index (m));
          natter_cli_add_finish_reason (builder, engine.database, natter_chat_message_get_id (m));
          cli_tools_add_events (builder, engine.database, natter_chat_message_get_id (m));
          json_add_int (builder, "n_swipes", natter_chat_message_get_n_swipes (m));
          json_add_int (builder, "created_at", natter_chat_message_get_created_at (m));
          natter_cli_add_attachments_json (builder, engine.store, natter_chat_message_get_id (m));
          json_builder_set_member_name (builder, "error");
          if (state == NATTER_SWIPE_STATE_ERROR || state == NATTER_SWIPE_STATE_CANCELLED)
            {
              json_builder_begin_object (builder);
              json_add_string (builder, "category",
                          natter_error_category_to_string (natter_chat_message_get_error_category (m)));
              json_add_string (builder, "message", natter_chat_message_get_error_message (m));
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
      g_print (":\n%s\n", natter_chat_message_get_content (m));
      natter_cli_print_attachments (engine.store, natter_chat_message_get_id (m));
      g_print ("\n");
    }
  return EXIT_OK;
}

int
natter_cli_cmd_chat_delete (int    argc,
                 char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChat) chat = NULL;
  gint64 chat_id;
  int code = EXIT_OK;

  if (!parse_options (_("CHAT_ID"), _("Deletes a chat and its messages; its branches stay."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one chat id"));
  if (!cli_parse_id (argv[1], &chat_id, &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
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
  g_auto(Engine) engine = { 0 };
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
  if (!cli_parse_id (argv[1], &chat_id, &code) ||
      !cli_parse_id (argv[2], &message_id, &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  message = natter_chat_store_get_message (engine.store, message_id, &error);
  if (message == NULL)
    return fail_with_error (error);
  if (natter_chat_message_get_chat_id (message) != chat_id)
    return fail (EXIT_LOCAL, _("Message %lld is not in chat %lld"),
                 (long long) message_id, (long long) chat_id);
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
  g_autofree char *group = NULL;
  GOptionEntry entries[] = {
    { "character", 0, 0, G_OPTION_ARG_STRING, &character, N_("The chat's character"), N_("NAME") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("The chat's title"), N_("T") },
    { "group", 0, 0, G_OPTION_ARG_FILENAME, &group, N_("A group chat: its SillyTavern group definition"), N_("FILE.json") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  gint64 id;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("FILE.jsonl"),
                              _("Imports a SillyTavern chat (JSONL) as a new chat and prints its id."),
                              entries, &argc, &argv, _("Expected one file"), &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if (group != NULL)
    return natter_cli_import_group (&engine, argv[1], group);
  if (character != NULL && (row = cli_lookup_character (&engine, character, &code)) == NULL)
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
  g_autofree char *group = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write"), N_("FILE") },
    { "group", 0, 0, G_OPTION_ARG_FILENAME, &group, N_("A group chat: write its SillyTavern group definition here too"), N_("FILE.json") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 chat_id;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("CHAT_ID -o FILE.jsonl"), _("Exports a chat as SillyTavern JSONL."),
                              entries, &argc, &argv, _("Expected one chat id"), &code))
    return code;
  if (output == NULL)
    return fail (EXIT_USAGE, _("Expected -o FILE"));
  if (!cli_parse_id (argv[1], &chat_id, &code))
    return code;
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if (group != NULL || natter_chat_store_is_group_chat (engine.store, chat_id))
    return natter_cli_export_group (&engine, chat_id, output, group);
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
  g_auto(Engine) engine = { 0 };
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
  if (!engine_open_chats (&engine, FALSE, &error))
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
          json_add_int (builder, "chat_id", hit->chat_id);
          json_add_string (builder, "chat_title", hit->chat_title);
          json_add_int (builder, "message_id", hit->message_id);
          json_add_string (builder, "snippet", hit->snippet);
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
  g_auto(Engine) engine = { 0 };
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
  if (!parse_options_one_arg (_("CHAT_ID"),
                              _("Shows the exact request a reply in the chat would send (keys redacted), "
                                "without sending anything."),
                              entries, &argc, &argv, _("Expected one chat id"), &code))
    return code;
  if (!cli_parse_id (argv[1], &chat_id, &code))
    return code;
  if (!engine_open_chats (&engine, TRUE, &error))
    return fail_with_error (error);
  if ((profile = cli_pick_profile (&engine, profile_name, &code)) == NULL)
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
      json_add_string (builder, "method", natter_request_get_method (request));
      json_add_string (builder, "url", url);
      json_add_json_text (builder, "headers", headers, -1);
      if (body_data != NULL)
        json_add_json_text (builder, "body", body_data, body_len);
      else
        json_add_string (builder, "body", NULL);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "prompt");
      json_builder_begin_object (builder);
      json_add_int (builder, "input_tokens", result->input_tokens);
      json_add_int (builder, "budget", result->budget);
      json_builder_set_member_name (builder, "over_budget");
      json_builder_add_boolean_value (builder, result->over_budget);
      json_add_int (builder, "history_kept", result->history_kept);
      json_add_int (builder, "history_total", result->history_total);
      json_add_int (builder, "examples_kept", result->examples_kept);
      json_add_int (builder, "examples_total", result->examples_total);
      natter_cli_add_dropped (builder, result->dropped);
      json_add_bool (builder, "lore_time_out", result->lore_time_out);
      json_builder_set_member_name (builder, "lore");
      json_builder_begin_array (builder);
      for (guint i = 0; result->lore != NULL && i < result->lore->len; i++)
        {
          NatterLoreEntry *entry = g_ptr_array_index (result->lore, i);

          json_builder_begin_object (builder);
          json_add_string (builder, "comment", entry->comment);
          json_add_int (builder, "tokens", entry->tokens);
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
        cli_print_json_node (json_parser_get_root (parser));
      else
        fwrite (body_data, 1, body_len, stdout);
    }
  g_printerr (_("Estimated input tokens: %lld; history messages sent: %u of %u\n"),
              (long long) result->input_tokens, result->history_kept, result->history_total);
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
  g_auto(Engine) engine = { 0 };
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
      if (!engine_open_chats (&engine, FALSE, &error))
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
      if (!engine_open_chats (&engine, FALSE, &error))
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
