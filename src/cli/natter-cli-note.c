/* natter-cli-note.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "natter-chat-note.h"

#include "natter-cli-chats.h"
#include "natter-cli-private.h"

int
natter_cli_cmd_chat_note (int    argc,
                          char **argv)
{
  int depth = -1;
  int frequency = -1;
  g_autofree char *role = NULL;
  gboolean clear = FALSE;
  GOptionEntry entries[] = {
    { "depth", 0, 0, G_OPTION_ARG_INT, &depth, N_("Messages above the end of the chat (default 4)"), N_("N") },
    { "frequency", 0, 0, G_OPTION_ARG_INT, &frequency, N_("Insert it every N of your messages (1: always, 0: never)"), N_("N") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("Who says it: system, user or assistant"), N_("ROLE") },
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear, N_("Remove the note"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatNote) note = NULL;
  gint64 chat_id;
  int code = EXIT_OK;

  if (!parse_options (_("CHAT_ID [TEXT]"),
                      _("Shows or sets a chat's author's note: a text put into the history at a "
                        "depth, with the lorebook entries and the persona set to the author's note."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc < 2 || argc > 3)
    return fail (EXIT_USAGE, _("Expected a chat id and at most one text"));
  if (!cli_parse_id (argv[1], &chat_id, &code))
    return code;
  if (depth > 10000 || depth < -1 || frequency > 10000 || frequency < -1)
    return fail (EXIT_USAGE, _("--depth and --frequency take 0 to 10000"));
  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);

  note = natter_chat_note_get (engine.store, chat_id, &error);
  if (note == NULL)
    return fail_with_error (error);

  if (clear)
    {
      if (!natter_chat_note_set (engine.store, chat_id, NULL, &error))
        return fail_with_error (error);
      return EXIT_OK;
    }

  if (argc == 3 || depth >= 0 || frequency >= 0 || role != NULL)
    {
      if (role != NULL)
        {
          NatterRole r;

          if (!natter_role_from_string (role, &r) ||
              (r != NATTER_ROLE_SYSTEM && r != NATTER_ROLE_USER && r != NATTER_ROLE_ASSISTANT))
            return fail (EXIT_USAGE, _("--role takes system, user or assistant"));
          note->role = r;
        }
      if (argc == 3)
        {
          g_free (note->text);
          note->text = g_strdup (argv[2]);
        }
      if (depth >= 0)
        note->depth = depth;
      if (frequency >= 0)
        note->frequency = frequency;
      if (!natter_chat_note_set (engine.store, chat_id, note, &error))
        return fail_with_error (error);
      return EXIT_OK;
    }

  g_print ("%s\n", note->text);
  g_print (_("Depth: %d\n"), note->depth);
  g_print (_("Frequency: %d\n"), note->frequency);
  g_print (_("Role: %s\n"), natter_role_to_string (note->role));
  return EXIT_OK;
}
