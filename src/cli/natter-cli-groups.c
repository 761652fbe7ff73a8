/* natter-cli-groups.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "natter-conversation-group.h"
#include "natter-st-group.h"

#include "natter-cli-chats.h"
#include "natter-cli-preset.h"
#include "natter-cli-private.h"

/* The member of @group called @name, or NULL after saying so. */
static NatterGroupMember *
member_or_fail (Engine          *engine,
                NatterChatGroup *group,
                const char      *name,
                int             *code)
{
  g_autoptr(NatterCharacterRow) row = NULL;
  NatterGroupMember *member = natter_chat_group_find_member (group, name);

  if (member != NULL)
    return member;
  row = natter_chat_store_lookup_character (engine->store, name, NULL);
  if (row != NULL && (member = natter_chat_group_find_id (group, row->id)) != NULL)
    return member;
  *code = fail (EXIT_USAGE, _("“%s” is not a member of this group chat"), name);
  return NULL;
}

static void
print_group (NatterChatGroup *group,
             gboolean         json)
{
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_add_int (builder, "chat_id", group->chat_id);
      json_add_string (builder, "order", natter_group_order_to_string (group->order));
      json_add_string (builder, "cards", natter_group_cards_to_string (group->cards));
      json_add_int (builder, "auto_turns", group->auto_turns);
      json_add_bool (builder, "allow_self", group->allow_self);
      json_builder_set_member_name (builder, "members");
      json_builder_begin_array (builder);
      for (guint i = 0; i < group->members->len; i++)
        {
          NatterGroupMember *member = g_ptr_array_index (group->members, i);

          json_builder_begin_object (builder);
          json_add_int (builder, "character_id", member->character_id);
          json_add_string (builder, "name", member->name);
          json_add_bool (builder, "muted", member->muted);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
      return;
    }
  g_print (_("Order: %s\n"), natter_group_order_to_string (group->order));
  g_print (_("Cards: %s\n"), natter_group_cards_to_string (group->cards));
  g_print (_("Auto-mode turns: %u\n"), group->auto_turns);
  g_print ("%s\n", _("Members:"));
  for (guint i = 0; i < group->members->len; i++)
    {
      NatterGroupMember *member = g_ptr_array_index (group->members, i);

      g_print ("  %u. %s%s\n", i + 1, member->name, member->muted ? _(" (muted)") : "");
    }
}

int
natter_cli_cmd_chat_group (int    argc,
                           char **argv)
{
  g_auto(GStrv) add = NULL;
  g_auto(GStrv) remove = NULL;
  g_auto(GStrv) mute = NULL;
  g_auto(GStrv) unmute = NULL;
  g_autofree char *order = NULL;
  g_autofree char *cards = NULL;
  int auto_turns = -1;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "add", 0, 0, G_OPTION_ARG_STRING_ARRAY, &add, N_("Add this character"), N_("NAME") },
    { "remove", 0, 0, G_OPTION_ARG_STRING_ARRAY, &remove, N_("Remove this member"), N_("NAME") },
    { "mute", 0, 0, G_OPTION_ARG_STRING_ARRAY, &mute, N_("Mute this member: they never speak"), N_("NAME") },
    { "unmute", 0, 0, G_OPTION_ARG_STRING_ARRAY, &unmute, N_("Let this member speak again"), N_("NAME") },
    { "order", 0, 0, G_OPTION_ARG_STRING, &order, N_("Who speaks next: natural, list or manual"), N_("ORDER") },
    { "cards", 0, 0, G_OPTION_ARG_STRING, &cards, N_("The speaker's card only (swap) or every member's (join)"), N_("swap|join") },
    { "auto", 0, 0, G_OPTION_ARG_INT, &auto_turns, N_("After each reply, let characters answer each other N more turns (0: off)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatGroup) group = NULL;
  gint64 chat_id;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("CHAT_ID"),
                              _("Shows or changes a group chat: its members (added, removed, muted), "
                                "who speaks next and which cards the prompt carries. A one-character "
                                "chat becomes a group chat when a member is added."),
                              entries, &argc, &argv, _("Expected one chat id"), &code))
    return code;
  if (!cli_parse_id (argv[1], &chat_id, &code))
    return code;
  if (auto_turns > 1000)
    return fail (EXIT_USAGE, _("--auto takes 0 to 1000 turns"));
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);

  for (guint i = 0; add != NULL && add[i] != NULL; i++)
    {
      g_autoptr(NatterCharacterRow) row = cli_lookup_character (&engine, add[i], &code);

      if (row == NULL)
        return code;
      if (!natter_chat_store_group_add (engine.store, chat_id, row->id, &error))
        return fail_with_error (error);
    }

  group = natter_chat_store_get_group (engine.store, chat_id, &error);
  if (group == NULL && error != NULL)
    return fail_with_error (error);
  if (group == NULL)
    {
      gboolean changes;

      changes = remove != NULL || mute != NULL || unmute != NULL || order != NULL ||
                         cards != NULL || auto_turns >= 0;

      g_autoptr(NatterChat) chat = natter_chat_store_get_chat (engine.store, chat_id, &error);

      if (chat == NULL)
        return fail_with_error (error);
      if (!changes)
        return fail (EXIT_LOCAL, _("Chat %lld is not a group chat; "
                                   "--add a character to make it one"), (long long) chat_id);
      if (!natter_chat_store_make_group (engine.store, chat_id, &error) ||
          (group = natter_chat_store_get_group (engine.store, chat_id, &error)) == NULL)
        return fail_with_error (error);
    }

#define EACH_MEMBER(list, action) \
  for (guint i = 0; list != NULL && list[i] != NULL; i++) \
    { \
      NatterGroupMember *member = member_or_fail (&engine, group, list[i], &code); \
      if (member == NULL) \
        return code; \
      if (!(action)) \
        return fail_with_error (error); \
    }
  EACH_MEMBER (mute, natter_chat_store_group_mute (engine.store, chat_id, member->character_id,
                                                   TRUE, &error));
  EACH_MEMBER (unmute, natter_chat_store_group_mute (engine.store, chat_id, member->character_id,
                                                     FALSE, &error));
  EACH_MEMBER (remove, natter_chat_store_group_remove (engine.store, chat_id, member->character_id,
                                                       &error));
#undef EACH_MEMBER

  g_clear_pointer (&group, natter_chat_group_free);
  group = natter_chat_store_get_group (engine.store, chat_id, &error);
  if (group == NULL)
    return fail_with_error (error);
  if (order != NULL && !natter_group_order_from_string (order, &group->order))
    return fail (EXIT_USAGE, _("--order takes natural, list or manual"));
  if (cards != NULL && !natter_group_cards_from_string (cards, &group->cards))
    return fail (EXIT_USAGE, _("--cards takes swap or join"));
  if (auto_turns >= 0)
    group->auto_turns = auto_turns;
  if ((order != NULL || cards != NULL || auto_turns >= 0) &&
      !natter_chat_store_group_save (engine.store, group, &error))
    return fail_with_error (error);

  print_group (group, json);
  return EXIT_OK;
}

/* One turn streamed to stdout; the speaker's name first, on stderr. */
static int
run_turn (Engine        *engine,
          gint64         chat_id,
          NatterProfile *profile,
          gint64         speaker_id)
{
  g_auto(Wait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatMessage) reply = NULL;
  CliOutput out = { 0 };
  gint64 reply_id = 0;

  wait.cancellable = g_cancellable_new ();
  natter_conversation_next_async (engine->conv, chat_id, profile, speaker_id, NULL,
                                  cli_output_on_delta, &out, wait.cancellable, wait_cb, &wait);
  wait_run (&wait);
  cli_output_end (&out);
  if (natter_conversation_next_finish (engine->conv, wait.result, &reply_id, &error) == 0)
    return fail_with_error (error);
  reply = natter_chat_store_get_message (engine->store, reply_id, NULL);
  if (reply != NULL)
    g_printerr ("— %s\n", natter_chat_message_get_name (reply));
  return EXIT_OK;
}

int
natter_cli_run_auto_turns (Engine        *engine,
                           gint64         chat_id,
                           NatterProfile *profile)
{
  g_autoptr(NatterChatGroup) group = natter_chat_store_get_group (engine->store, chat_id, NULL);

  for (guint i = 0; group != NULL && i < group->auto_turns; i++)
    {
      int code = run_turn (engine, chat_id, profile, 0);

      if (code != EXIT_OK)
        return code;
    }
  return EXIT_OK;
}

int
natter_cli_cmd_chat_next (int    argc,
                          char **argv)
{
  g_autofree char *profile_name = NULL;
  g_autofree char *speaker = NULL;
  GOptionEntry entries[] = {
    { "speaker", 0, 0, G_OPTION_ARG_STRING, &speaker, N_("This member speaks (default: the group's order chooses)"), N_("NAME") },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name, N_("Profile (default: the active one)"), N_("PROFILE") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatGroup) group = NULL;
  NatterProfile *profile;
  gint64 chat_id, speaker_id = 0;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("CHAT_ID"),
                              _("The next character's turn in a group chat, without a message from you: "
                                "streams the reply to standard output (the speaker's name on standard "
                                "error) and stores it."),
                              entries, &argc, &argv, _("Expected one chat id"), &code))
    return code;
  if (!cli_parse_id (argv[1], &chat_id, &code))
    return code;
  if (!engine_open_chats (&engine, TRUE, &error))
    return fail_with_error (error);
  if ((profile = cli_pick_profile (&engine, profile_name, &code)) == NULL)
    return code;
  if (speaker != NULL)
    {
      NatterGroupMember *member;

      group = natter_chat_store_get_group (engine.store, chat_id, &error);
      if (group == NULL && error != NULL)
        return fail_with_error (error);
      if (group == NULL)
        return fail (EXIT_USAGE, _("Chat %lld is not a group chat"), (long long) chat_id);
      if ((member = member_or_fail (&engine, group, speaker, &code)) == NULL)
        return code;
      speaker_id = member->character_id;
    }
  natter_cli_setup_sidecar (&engine, engine.conv);
  warn_if_key_in_clear (engine.client, profile);
  code = run_turn (&engine, chat_id, profile, speaker_id);
  natter_cli_wait_background (engine.conv);
  return code;
}

int
natter_cli_cmd_chat_impersonate (int    argc,
                                 char **argv)
{
  g_autofree char *profile_name = NULL;
  GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name, N_("Profile (default: the active one)"), N_("PROFILE") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_auto(Wait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  NatterProfile *profile;
  gint64 chat_id;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("CHAT_ID"),
                              _("Prints a suggested next message from you, written in your persona’s "
                                "voice. Nothing is sent or stored: send it with “chat send”."),
                              entries, &argc, &argv, _("Expected one chat id"), &code))
    return code;
  if (!cli_parse_id (argv[1], &chat_id, &code))
    return code;
  if (!engine_open_chats (&engine, TRUE, &error))
    return fail_with_error (error);
  if ((profile = cli_pick_profile (&engine, profile_name, &code)) == NULL)
    return code;
  warn_if_key_in_clear (engine.client, profile);
  wait.cancellable = g_cancellable_new ();
  natter_conversation_impersonate_async (engine.conv, chat_id, profile, NULL, NULL, NULL,
                                         wait.cancellable, wait_cb, &wait);
  wait_run (&wait);
  text = natter_conversation_impersonate_finish (engine.conv, wait.result, &error);
  if (text == NULL)
    return fail_with_error (error);
  g_print ("%s\n", text);
  return EXIT_OK;
}

/* "chat new --character A --character B": a group chat. */
int
natter_cli_new_group_chat (Engine             *engine,
                           const char * const *names,
                           const char         *title,
                           gint64             *chat_id)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  int code = EXIT_OK;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(NatterCharacterRow) row = cli_lookup_character (engine, names[i], &code);

      if (row == NULL)
        return code;
      g_array_append_val (ids, row->id);
    }
  *chat_id = natter_conversation_new_group_chat (engine->conv, (const gint64 *) ids->data,
                                                 ids->len, title, &error);
  if (*chat_id == 0)
    return fail_with_error (error);
  return EXIT_OK;
}

int
natter_cli_import_group (Engine     *engine,
                         const char *chat_path,
                         const char *group_path)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = natter_st_group_import_file (engine->store, group_path, chat_path, &error);
  if (id == 0)
    return fail (EXIT_LOCAL, _("Cannot import “%s”: %s"), chat_path, error->message);
  g_print ("%" G_GINT64_FORMAT "\n", id);
  return EXIT_OK;
}

int
natter_cli_export_group (Engine     *engine,
                         gint64      chat_id,
                         const char *chat_path,
                         const char *group_path)
{
  g_autoptr(GError) error = NULL;

  if (!natter_st_group_export_files (engine->store, chat_id, chat_path, group_path, &error))
    return fail_with_error (error);
  return EXIT_OK;
}
