/* natter-cli-preset.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* natter-cli preset …, sidecar …, chat continue, and the --preset and
 * --reasoning options of other commands. */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "natter-chat-store.h"
#include "natter-conversation.h"
#include "natter-sampling.h"

#include "natter-cli-preset.h"
#include "natter-json.h"

static NatterPresetStore *
open_presets (Engine  *engine,
              int     *code)
{
  g_autoptr(GError) error = NULL;

  if (!engine_open (engine, &error))
    {
      *code = fail_with_error (error);
      return NULL;
    }
  return natter_preset_store_new (engine->database);
}

static int
fail_preset_error (const GError *error)
{
  if (g_error_matches (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_BAD_VALUE))
    return fail (EXIT_USAGE, "%s", error->message);
  return fail (EXIT_LOCAL, "%s", error->message);
}

static void
print_preset_text (NatterPreset *preset)
{
  GPtrArray *blocks = natter_preset_get_blocks (preset);
  NatterReasoningEffort effort = natter_preset_get_reasoning (preset);

  g_print ("%s\n", natter_preset_get_name (preset));
  g_print ("%s\n", _("Sampling:"));
  for (guint i = 0; natter_sampling_keys ()[i] != NULL; i++)
    {
      const char *name = natter_sampling_keys ()[i];
      JsonNode *value = json_object_get_member (natter_preset_get_sampling (preset), name);
      g_autofree char *text = NULL;

      if (value == NULL)
        continue;
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_DOUBLE)
        text = g_strdup_printf ("%g", json_node_get_double (value));
      else
        text = json_to_string (value, FALSE);
      g_print ("  %s = %s\n", name, text);
    }
  g_print ("%s %s\n", _("Reasoning:"),
           /* Translators: the value after “Reasoning:” when the preset keeps
            * the reasoning effort set in the connection */
           effort == NATTER_REASONING_UNSET ? _("the connection’s") : natter_reasoning_effort_to_string (effort));
  g_print ("%s\n", _("Prompt blocks:"));
  for (guint i = 0; i < blocks->len; i++)
    {
      NatterPresetBlock *block = g_ptr_array_index (blocks, i);

      g_print ("  [%s] %-20s %-9s %s", block->enabled ? "x" : " ", block->id,
               natter_role_to_string (block->role), natter_block_position_to_string (block->position));
      if (block->position == NATTER_BLOCK_IN_HISTORY)
        g_print (" %d", block->depth);
      g_print ("\n");
    }
}

static void
print_preset_json (NatterPreset *preset)
{
  g_autofree char *text = natter_preset_to_json_text (preset);

  g_print ("%s\n", text);
}

static int
cmd_preset_list (int    argc,
                 char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *default_name = NULL;
  int code = EXIT_OK;

  if (!parse_options_no_args (NULL, _("Lists the presets; * marks the default."), entries, &argc, &argv, &code))
    return code;
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  list = natter_preset_store_list (presets, &error);
  if (list == NULL)
    return fail_with_error (error);
  default_name = natter_preset_store_dup_default (presets);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        {
          NatterPreset *preset = g_ptr_array_index (list, i);
          const char *name = natter_preset_get_name (preset);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, name);
          json_builder_set_member_name (builder, "builtin");
          json_builder_add_boolean_value (builder, natter_preset_store_is_builtin (presets, name) &&
                                                   !natter_preset_store_is_saved (presets, name));
          json_builder_set_member_name (builder, "default");
          json_builder_add_boolean_value (builder, g_ascii_strcasecmp (name, default_name) == 0);
          json_builder_set_member_name (builder, "format");
          if (natter_preset_get_format (preset) != NULL)
            json_builder_add_string_value (builder, natter_preset_get_format (preset));
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }
  for (guint i = 0; i < list->len; i++)
    {
      const char *name = natter_preset_get_name (g_ptr_array_index (list, i));

      g_print ("%s %s%s\n", g_ascii_strcasecmp (name, default_name) == 0 ? "*" : " ", name,
               natter_preset_store_is_builtin (presets, name) && !natter_preset_store_is_saved (presets, name)
               ? _(" (built in)") : "");
    }
  return EXIT_OK;
}

static int
cmd_preset_show (int    argc,
                 char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(NatterPreset) preset = NULL;
  g_autoptr(GError) error = NULL;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME"), _("Shows a preset: sampling, reasoning, completion settings and prompt blocks."),
                              entries, &argc, &argv, _("Expected one preset name"), &code))
    return code;
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  if ((preset = natter_preset_store_get (presets, argv[1], &error)) == NULL)
    return fail_with_error (error);
  if (json)
    print_preset_json (preset);
  else
    print_preset_text (preset);
  return EXIT_OK;
}

static int
cmd_preset_import (int    argc,
                   char **argv)
{
  gboolean json = FALSE;
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Name of the preset (default: the file’s name)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the imported preset as JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(NatterPreset) preset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *basename = NULL;
  GStatBuf st;
  gsize len = 0;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("FILE"),
                              _("Imports a SillyTavern chat-completion or text-completion preset. Connection "
                                "settings inside the file (API, model, URL, proxy) are never used."),
                              entries, &argc, &argv, _("Expected one preset file"), &code))
    return code;
  if (g_stat (argv[1], &st) != 0)
    return fail (EXIT_LOCAL, _("Cannot read “%s”: %s"), argv[1], g_strerror (errno));
  if (st.st_size > NATTER_PRESET_MAX_SIZE)
    return fail (EXIT_LOCAL, _("“%s” is too large for a preset"), argv[1]);
  if (!g_file_get_contents (argv[1], &text, &len, &error))
    return fail (EXIT_LOCAL, "%s", error->message);
  if (name == NULL)
    {
      char *dot;

      basename = g_path_get_basename (argv[1]);
      if ((dot = strrchr (basename, '.')) != NULL && dot != basename)
        *dot = '\0';
    }
  preset = natter_preset_new_from_sillytavern (text, len, name != NULL ? name : basename, &error);
  if (preset == NULL)
    return fail (EXIT_LOCAL, _("Cannot import “%s”: %s"), argv[1], error->message);
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  if (natter_preset_store_is_saved (presets, natter_preset_get_name (preset)) ||
      natter_preset_store_is_builtin (presets, natter_preset_get_name (preset)))
    return fail (EXIT_LOCAL, _("There is already a preset named “%s” (choose another with --name)"),
                 natter_preset_get_name (preset));
  if (!natter_preset_store_save (presets, preset, &error))
    return fail_with_error (error);
  if (json)
    print_preset_json (preset);
  else
    g_print (_("Imported preset “%s”\n"), natter_preset_get_name (preset));
  return EXIT_OK;
}

static int
cmd_preset_export (int    argc,
                   char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("File to write"), N_("FILE") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(NatterPreset) preset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME"), _("Writes a preset as a SillyTavern preset file."),
                              entries, &argc, &argv, _("Expected one preset name"), &code))
    return code;
  if (output == NULL)
    return fail (EXIT_USAGE, _("-o FILE is required"));
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  if ((preset = natter_preset_store_get (presets, argv[1], &error)) == NULL)
    return fail_with_error (error);
  text = natter_preset_to_sillytavern (preset);
  if (!g_file_set_contents (output, text, -1, &error))
    return fail (EXIT_LOCAL, "%s", error->message);
  return EXIT_OK;
}

static int
cmd_preset_set (int    argc,
                char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(NatterPreset) preset = NULL;
  g_autoptr(GError) error = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME KEY=VALUE…"),
                      _("Changes settings of a preset (a built-in one is saved as your own): "
                        "sampling (temperature=0.7 top_k=40 stop='[\"###\"]'; “top_k=” unsets), "
                        "reasoning=off|auto|low|medium|high|max, reasoning_keep=N, "
                        "completion settings (assistant_prefill, continue_nudge, squash_system_messages, …) "
                        "and prompt blocks (prompt.ID.content, .enabled, .role, .position "
                        "before|after|history, .depth)."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc < 3)
    return fail (EXIT_USAGE, _("Expected a preset name and KEY=VALUE settings"));
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  if ((preset = natter_preset_store_get (presets, argv[1], &error)) == NULL)
    return fail_with_error (error);
  for (int i = 2; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL || eq == argv[i])
        return fail (EXIT_USAGE, _("Expected KEY=VALUE, not “%s”"), argv[i]);
      key = g_strndup (argv[i], eq - argv[i]);
      if (!natter_preset_set (preset, key, eq + 1, &error))
        return fail_preset_error (error);
    }
  if (!natter_preset_store_save (presets, preset, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static int
cmd_preset_use (int    argc,
                char **argv)
{
  g_autofree char *character = NULL;
  GOptionEntry entries[] = {
    { "character", 0, 0, G_OPTION_ARG_STRING, &character,
      N_("Only for this character's chats (“default” as NAME forgets the choice)"), N_("CHARACTER") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(GError) error = NULL;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("NAME"), _("Makes a preset the default for chats, characters and connections "
                                           "that do not choose their own, or with --character the preset of "
                                           "that character's chats that do not choose their own."),
                              entries, &argc, &argv, _("Expected one preset name"), &code))
    return code;
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  if (character != NULL)
    {
      g_autoptr(NatterChatStore) store = natter_chat_store_new (engine.database);
      g_autoptr(NatterCharacterRow) row = natter_chat_store_lookup_character (store, character, &error);

      if (row == NULL)
        return fail_with_error (error);
      if (!natter_preset_store_set_character_preset (presets, row->id,
                                                     g_ascii_strcasecmp (argv[1], "default") == 0
                                                     ? NULL : argv[1], &error))
        return fail_with_error (error);
      return EXIT_OK;
    }
  if (!natter_preset_store_set_default (presets, argv[1], &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static int
cmd_preset_delete (int    argc,
                   char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(GError) error = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Deletes a saved preset; chats that chose it fall back to the next choice."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Expected one preset name"));
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  if (!natter_preset_store_delete (presets, argv[1], &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static int
cmd_preset_rename (int    argc,
                   char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(GError) error = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME NEW_NAME"), _("Renames a saved preset."), entries, &argc, &argv, &code))
    return code;
  if (argc != 3)
    return fail (EXIT_USAGE, _("Expected a preset name and its new name"));
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  if (!natter_preset_store_rename (presets, argv[1], argv[2], &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static int
cmd_preset_copy (int    argc,
                 char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(NatterPreset) preset = NULL;
  g_autoptr(NatterPreset) copy = NULL;
  g_autoptr(GError) error = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME NEW_NAME"), _("Saves a copy of a preset under a new name."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 3)
    return fail (EXIT_USAGE, _("Expected a preset name and the copy’s name"));
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  if ((preset = natter_preset_store_get (presets, argv[1], &error)) == NULL)
    return fail_with_error (error);
  if (natter_preset_store_is_saved (presets, argv[2]) || natter_preset_store_is_builtin (presets, argv[2]))
    return fail (EXIT_LOCAL, _("There is already a preset named “%s”"), argv[2]);
  copy = natter_preset_copy (preset, argv[2]);
  if (!natter_preset_store_save (presets, copy, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static const Command preset_subcommands[] = {
  { "list", cmd_preset_list, N_("List presets") },
  { "show", cmd_preset_show, N_("Show a preset") },
  { "import", cmd_preset_import, N_("Import a SillyTavern preset") },
  { "export", cmd_preset_export, N_("Export a preset as a SillyTavern preset") },
  { "set", cmd_preset_set, N_("Change settings of a preset") },
  { "use", cmd_preset_use, N_("Make a preset the default") },
  { "delete", cmd_preset_delete, N_("Delete a preset") },
  { "rename", cmd_preset_rename, N_("Rename a preset") },
  { "copy", cmd_preset_copy, N_("Save a preset under another name") },
  { NULL }
};

int
natter_cli_cmd_preset (int    argc,
                       char **argv)
{
  return run_subcommand (preset_subcommands, "preset", argc, argv);
}

/* ------------------------------------------------------------ sidecar */

static int
cmd_sidecar_set (int    argc,
                 char **argv)
{
  g_autofree char *model = NULL;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model, N_("Model (default: the profile’s)"), N_("MODEL") },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(GError) error = NULL;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("PROFILE"), _("Uses a second, cheap connection for chat titles and summaries."),
                              entries, &argc, &argv, _("Expected one profile name"), &code))
    return code;
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  if (lookup_profile (&engine, argv[1], &code) == NULL)
    return code;
  if (!natter_preset_store_set_sidecar (presets, argv[1], model, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static int
cmd_sidecar_show (int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *model = NULL;
  gboolean set;
  int code = EXIT_OK;

  if (!parse_options_no_args (NULL, _("Shows the sidecar connection."), entries, &argc, &argv, &code))
    return code;
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  set = natter_preset_store_get_sidecar (presets, &profile, &model);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "profile");
      if (set)
        json_builder_add_string_value (builder, profile);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "model");
      if (model != NULL)
        json_builder_add_string_value (builder, model);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else if (set)
    g_print ("%s%s%s\n", profile, model != NULL ? " " : "", model != NULL ? model : "");
  else
    g_print ("%s\n", _("No sidecar: titles are the first words, nothing is summarized."));
  return EXIT_OK;
}

static int
cmd_sidecar_clear (int    argc,
                   char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_auto(Engine) engine = { 0 };
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(GError) error = NULL;
  int code = EXIT_OK;

  if (!parse_options_no_args (NULL, _("Stops using a sidecar connection."), entries, &argc, &argv, &code))
    return code;
  if ((presets = open_presets (&engine, &code)) == NULL)
    return code;
  if (!natter_preset_store_set_sidecar (presets, NULL, NULL, &error))
    return fail_with_error (error);
  return EXIT_OK;
}

static const Command sidecar_subcommands[] = {
  { "set", cmd_sidecar_set, N_("Use a profile as the sidecar") },
  { "show", cmd_sidecar_show, N_("Show the sidecar") },
  { "clear", cmd_sidecar_clear, N_("Stop using a sidecar") },
  { NULL }
};

int
natter_cli_cmd_sidecar (int    argc,
                        char **argv)
{
  return run_subcommand (sidecar_subcommands, "sidecar", argc, argv);
}

/* ------------------------------------------------------------ chat continue */

static void
continue_on_delta (const NatterDelta *delta,
                   gpointer           user_data)
{
  if (delta->kind == NATTER_DELTA_TEXT && delta->len > 0)
    {
      fwrite (delta->text, 1, delta->len, stdout);
      fflush (stdout);
    }
}

int
natter_cli_cmd_chat_continue (int    argc,
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
  g_autoptr(NatterChatStore) store = NULL;
  g_autoptr(NatterConversation) conv = NULL;
  NatterProfile *profile;
  char *end = NULL;
  gint64 chat_id;
  int code = EXIT_OK;

  if (!parse_options_one_arg (_("CHAT_ID"),
                              _("Extends the chat’s last reply in place and streams the new text to standard output."),
                              entries, &argc, &argv, _("Expected one chat id"), &code))
    return code;
  chat_id = g_ascii_strtoll (argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || chat_id <= 0)
    return fail (EXIT_USAGE, _("“%s” is not a chat id"), argv[1]);
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if (profile_name != NULL)
    profile = lookup_profile (&engine, profile_name, &code);
  else if ((profile = natter_profile_store_get_active (engine.profiles)) == NULL)
    code = fail (EXIT_LOCAL, _("No profile yet: add one with “natter-cli profile add”"));
  if (profile == NULL)
    return code;

  store = natter_chat_store_new (engine.database);
  conv = natter_conversation_new (store, engine.client);
  natter_cli_setup_sidecar (&engine, conv);
  wait.cancellable = g_cancellable_new ();
  natter_conversation_continue_async (conv, chat_id, profile, NULL, continue_on_delta, NULL,
                                      wait.cancellable, wait_cb, &wait);
  wait_run (&wait);
  g_print ("\n");
  natter_cli_wait_background (conv);
  if (natter_conversation_continue_finish (conv, wait.result, &error) == 0)
    return fail_with_error (error);
  return EXIT_OK;
}

/* ------------------------------------------------------------ for other commands */

void
natter_cli_wait_background (NatterConversation *conv)
{
  while (natter_conversation_has_background_work (conv))
    g_main_context_iteration (NULL, TRUE);
}

void
natter_cli_setup_sidecar (Engine             *engine,
                          NatterConversation *conv)
{
  g_autoptr(NatterPresetStore) presets = natter_preset_store_new (engine->database);
  g_autofree char *name = NULL;
  g_autofree char *model = NULL;
  NatterProfile *profile;

  if (!natter_preset_store_get_sidecar (presets, &name, &model))
    return;
  profile = natter_profile_store_lookup (engine->profiles, name);
  if (profile == NULL)
    {
      g_printerr (_("natter-cli: the sidecar profile “%s” no longer exists\n"), name);
      return;
    }
  natter_conversation_set_sidecar (conv, profile, model);
}

gboolean
natter_cli_set_chat_preset (NatterDatabase *database,
                            gint64          chat_id,
                            const char     *name,
                            int            *code)
{
  g_autoptr(NatterPresetStore) presets = natter_preset_store_new (database);
  g_autoptr(GError) error = NULL;

  if (!natter_preset_store_set_chat_preset (presets, chat_id, name, &error))
    {
      *code = fail_with_error (error);
      return FALSE;
    }
  return TRUE;
}

gboolean
natter_cli_apply_preset_params (Engine           *engine,
                                NatterProfile    *profile,
                                const char       *name,
                                NatterGenParams  *params,
                                char            **system,
                                int              *code)
{
  g_autoptr(NatterPresetStore) presets = natter_preset_store_new (engine->database);
  g_autoptr(NatterPreset) preset = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) dropped = NULL;
  NatterProvider *provider = NULL;
  const NatterDialect *dialect = NULL;
  NatterPresetBlock *main_block;

  if ((preset = natter_preset_store_get (presets, name, &error)) == NULL ||
      !natter_client_resolve (engine->client, profile, &provider, &dialect, NULL, &error))
    {
      *code = fail_with_error (error);
      return FALSE;
    }
  dropped = natter_sampling_apply (dialect, provider, natter_preset_get_sampling (preset),
                                   natter_preset_get_reasoning (preset), params);
  if (dropped[0] != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", dropped);

      /* TRANSLATORS: %s is a list of settings such as "min_p, top_k" */
      g_printerr (_("natter-cli: not sent to this provider: %s\n"), list);
    }
  main_block = natter_preset_find_block (preset, "main");
  if (*system == NULL && main_block != NULL && main_block->enabled && !main_block->marker &&
      main_block->content != NULL && *main_block->content != '\0')
    *system = g_strdup (main_block->content);
  return TRUE;
}

static JsonObject *
settings_object (NatterProfile *profile)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *text = natter_profile_get_settings (profile);

  if (text != NULL && natter_json_parser_load (parser, text, -1, NULL) &&
      json_parser_get_root (parser) != NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return json_object_new ();
}

gboolean
natter_cli_apply_profile_options (Engine        *engine,
                                  NatterProfile *profile,
                                  const char    *preset,
                                  const char    *reasoning,
                                  int           *code)
{
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  NatterReasoningEffort effort;

  if (preset == NULL && reasoning == NULL)
    return TRUE;
  if (reasoning != NULL && *reasoning != '\0' && !natter_reasoning_effort_from_string (reasoning, &effort))
    {
      *code = fail (EXIT_USAGE, _("--reasoning must be off, auto, low, medium, high or max"));
      return FALSE;
    }
  if (preset != NULL && *preset != '\0')
    {
      g_autoptr(NatterPresetStore) presets = natter_preset_store_new (engine->database);
      g_autoptr(NatterPreset) found = NULL;
      g_autoptr(GError) error = NULL;

      if ((found = natter_preset_store_get (presets, preset, &error)) == NULL)
        {
          *code = fail_with_error (error);
          return FALSE;
        }
    }
  settings = settings_object (profile);
  if (preset != NULL && *preset != '\0')
    json_object_set_string_member (settings, "preset", preset);
  else if (preset != NULL)
    json_object_remove_member (settings, "preset");
  if (reasoning != NULL && *reasoning != '\0')
    json_object_set_string_member (settings, "reasoning", natter_reasoning_effort_to_string (effort));
  else if (reasoning != NULL)
    json_object_remove_member (settings, "reasoning");
  json_node_set_object (node, settings);
  text = json_to_string (node, FALSE);
  natter_profile_set_settings (profile, text);
  return TRUE;
}

void
natter_cli_add_profile_preset_json (JsonBuilder   *builder,
                                    NatterProfile *profile)
{
  g_autoptr(JsonObject) settings = settings_object (profile);
  const char *members[] = { "preset", "reasoning" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *node = json_object_get_member (settings, members[i]);

      json_builder_set_member_name (builder, members[i]);
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        json_builder_add_string_value (builder, json_node_get_string (node));
      else
        json_builder_add_null_value (builder);
    }
}

void
natter_cli_add_finish_reason (JsonBuilder    *builder,
                              NatterDatabase *database,
                              gint64          message_id)
{
  g_autoptr(NatterPresetStore) presets = natter_preset_store_new (database);
  g_autofree char *reason = natter_preset_store_dup_finish_reason (presets, message_id);

  json_builder_set_member_name (builder, "finish_reason");
  if (reason != NULL)
    json_builder_add_string_value (builder, reason);
  else
    json_builder_add_null_value (builder);
}

void
natter_cli_add_request_note (JsonBuilder    *builder,
                             NatterDatabase *database,
                             gint64          log_id)
{
  g_autoptr(NatterPresetStore) presets = natter_preset_store_new (database);
  g_autofree char *purpose = NULL;
  g_autofree char *dropped = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  natter_preset_store_get_request_note (presets, log_id, &purpose, &dropped);
  json_builder_set_member_name (builder, "purpose");
  json_builder_add_string_value (builder, purpose != NULL ? purpose : "chat");
  json_builder_set_member_name (builder, "dropped");
  if (dropped != NULL && json_parser_load_from_data (parser, dropped, -1, NULL) &&
      json_parser_get_root (parser) != NULL)
    json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
  else
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  /* Only when it happened: the usual shape stays as documented. */
  if (natter_preset_store_get_lore_time_out (presets, log_id))
    {
      json_builder_set_member_name (builder, "lore_time_out");
      json_builder_add_boolean_value (builder, TRUE);
    }
}

void
natter_cli_print_request_note (NatterDatabase *database,
                               gint64          log_id)
{
  g_autoptr(NatterPresetStore) presets = natter_preset_store_new (database);
  g_autofree char *purpose = NULL;
  g_autofree char *dropped = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) list = g_string_new (NULL);

  if (!natter_preset_store_get_request_note (presets, log_id, &purpose, &dropped))
    return;
  g_print ("%s: %s\n", _("Sent for"), purpose);
  if (json_parser_load_from_data (parser, dropped, -1, NULL) &&
      JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      JsonArray *array = json_node_get_array (json_parser_get_root (parser));

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", json_array_get_string_element (array, i));
    }
  if (list->len > 0)
    g_print ("%s: %s\n", _("Preset settings not sent"), list->str);
  if (natter_preset_store_get_lore_time_out (presets, log_id))
    g_print ("%s\n", _("Note: the lorebook’s regular expression keys took too long; the ones left were skipped"));
}

void
natter_cli_add_dropped (JsonBuilder *builder,
                        GStrv        dropped)
{
  json_builder_set_member_name (builder, "dropped");
  json_builder_begin_array (builder);
  for (guint i = 0; dropped != NULL && dropped[i] != NULL; i++)
    json_builder_add_string_value (builder, dropped[i]);
  json_builder_end_array (builder);
}
