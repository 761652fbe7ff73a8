/* natter-cli-chat.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "natter-cli-attach.h"
#include "natter-cli-chats.h"
#include "natter-cli-preset.h"
#include "natter-cli-private.h"
#include "natter-cli-tools.h"
#include "natter-json.h"
#include "natter-usage-store.h"

/* ------------------------------------------------------------------ chat */

int
cmd_chat (int    argc,
          char **argv)
{
  g_autofree char *profile_name = NULL;
  g_autofree char *model = NULL;
  g_autofree char *system = NULL;
  gboolean no_stream = FALSE;
  int max_tokens = 0;
  double temperature = -1.0;
  g_autofree char *preset = NULL;
  g_auto(GStrv) attach = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &profile_name, N_("Profile (default: the active one)"), N_("PROFILE") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model, N_("Model (default: the profile's)"), N_("MODEL") },
    { "system", 0, 0, G_OPTION_ARG_STRING, &system, N_("System prompt"), N_("TEXT") },
    { "no-stream", 0, 0, G_OPTION_ARG_NONE, &no_stream, N_("Wait for the whole reply"), NULL },
    { "max-tokens", 0, 0, G_OPTION_ARG_INT, &max_tokens, N_("Maximum tokens to generate"), N_("N") },
    { "temperature", 0, 0, G_OPTION_ARG_DOUBLE, &temperature, N_("Sampling temperature"), N_("T") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, N_("Sampling, reasoning and main prompt of this preset"), N_("NAME") },
    { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &attach, NATTER_CLI_ATTACH_HELP, N_("FILE") },
    { NULL }
  };
  g_auto(CliTools) tools = { 0 };
  g_autofree GOptionEntry *all_entries = cli_tools_add_entries (entries, &tools);
  g_autoptr(NatterToolLoop) loop = NULL;
  g_auto(Engine) engine = { 0 };
  g_auto(Wait) wait = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChatResult) result = NULL;
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;
  static char out_buffer[64 * 1024];
  static char err_buffer[16 * 1024];
  CliOutput out = { 0 };
  NatterPrompt *prompt;
  NatterGenParams params;
  NatterProfile *profile;
  int code = EXIT_OK;

  /* "chat new", "chat send", … (stored chats) share the word with the
   * one-shot "chat PROMPT": a first argument naming one of them wins. */
  if (argc > 1)
    for (guint i = 0; chat_subcommands[i].name != NULL; i++)
      if (g_str_equal (argv[1], chat_subcommands[i].name))
        return run_subcommand (chat_subcommands, "chat", argc, argv);

  summary = g_strconcat (_("Sends a prompt and prints the reply as it arrives. "
                           "Without PROMPT (or with “-”) the prompt is read from standard input."),
                         "\n\n", _(NATTER_CLI_CHAT_SUBCOMMANDS_HELP), NULL);
  if (!parse_options (_("[PROMPT | -]"), summary, all_entries, &argc, &argv, &code))
    return code;

  if (argc < 2 || (argc == 2 && g_str_equal (argv[1], "-")))
    {
      if (argc < 2 && isatty (STDIN_FILENO))
        return fail (EXIT_USAGE, _("Expected a prompt (or “-” to read it from standard input)"));
      text = read_stdin (NULL);
    }
  else
    text = g_strjoinv (" ", argv + 1);
  if (!g_utf8_validate (text, -1, NULL))
    return fail (EXIT_USAGE, _("The prompt is not valid UTF-8 text"));
  {
    g_autofree char *stripped = g_strstrip (g_strdup (text));

    if (*stripped == '\0')
      return fail (EXIT_USAGE, _("The prompt is empty"));
  }
  if (max_tokens < 0)
    return fail (EXIT_USAGE, _("--max-tokens must be positive"));

  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  if (!cli_tools_prepare (&tools, &engine, &code))
    return code;

  if (profile_name != NULL)
    {
      if ((profile = lookup_profile (&engine, profile_name, &code)) == NULL)
        return code;
    }
  else if ((profile = natter_profile_store_get_active (engine.profiles)) == NULL)
    return fail (EXIT_LOCAL, _("No profile yet: add one with “natter-cli profile add”"));
  if (!cli_tools_check_profile (&tools, &engine, profile, &code))
    return code;

  if ((attachments = natter_cli_load_attachments (engine.client, profile, model, attach, &code)) == NULL)
    return code;
  natter_gen_params_init (&params);
  if (preset != NULL && !natter_cli_apply_preset_params (&engine, profile, preset, &params, &system, &code))
    {
      natter_gen_params_clear (&params);
      return code;
    }
  params.model = g_strdup (model);
  params.stream = !no_stream;
  if (max_tokens > 0)
    params.max_tokens = max_tokens;
  if (temperature >= 0)
    params.temperature = temperature;

  prompt = natter_prompt_new ();
  if (system != NULL && *system != '\0')
    natter_prompt_add (prompt, NATTER_ROLE_SYSTEM, system);
  natter_prompt_add (prompt, NATTER_ROLE_USER, text);
  for (guint i = 0; i < attachments->len; i++)
    natter_prompt_message_add_attachment (g_ptr_array_index (prompt->messages, prompt->messages->len - 1),
                                          natter_attachment_copy (g_ptr_array_index (attachments, i)));

  setvbuf (stdout, out_buffer, _IOFBF, sizeof out_buffer);
  setvbuf (stderr, err_buffer, _IOFBF, sizeof err_buffer);
  out.dim = isatty (STDERR_FILENO);

  warn_if_key_in_clear (engine.client, profile);
  fflush (stderr);
  wait.cancellable = g_cancellable_new ();
  out.cancellable = wait.cancellable;
  /* One reply, with as many rounds of tool calls as it takes. */
  loop = cli_tools_make_loop (&tools, &engine, profile, prompt);
  natter_tool_loop_run_async (loop, prompt, &params,
                              no_stream ? NULL : cli_output_on_delta, &out,
                              wait.cancellable, wait_cb, &wait);
  natter_gen_params_clear (&params);
  wait_run (&wait);
  g_clear_handle_id (&out.flush_id, g_source_remove);

  result = natter_tool_loop_run_finish (loop, wait.result, NULL, &error);
  cli_output_end_reasoning (&out);
  if (result != NULL && no_stream)
    {
      if (*result->reasoning != '\0')
        {
          if (out.dim)
            fprintf (stderr, "\033[2m%s\033[0m\n", result->reasoning);
          else
            fprintf (stderr, "%s\n", result->reasoning);
        }
      fputs (result->text, stdout);
      out.wrote_text = *result->text != '\0';
      out.ends_with_newline = g_str_has_suffix (result->text, "\n");
    }
  if (out.wrote_text && !out.ends_with_newline)
    fputc ('\n', stdout);
  fflush (stderr);
  fflush (stdout);
  setvbuf (stderr, NULL, _IONBF, 0);

  if (out.stdout_closed)
    return EXIT_OK;
  if (result == NULL)
    return fail_with_error (error);
  return EXIT_OK;
}

/* --------------------------------------------------------------- inspect */

static char *
entry_dup_raw (NatterLogEntry *entry)
{
  g_autoptr(GBytes) raw = natter_log_entry_dup_raw (entry);
  gsize len;
  const char *data = g_bytes_get_data (raw, &len);

  return g_utf8_make_valid (data != NULL ? data : "", len);
}

int
cmd_inspect (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  NatterLogEntry *entry;
  NatterErrorCategory category;
  gint64 cache_read = -1, cache_write = -1;
  double cost = -1;
  int code = EXIT_OK;

  if (!parse_options ("last", _("Shows the last request sent and its response, with secrets redacted."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc != 2 || !g_str_equal (argv[1], "last"))
    return fail (EXIT_USAGE, _("Expected “last”"));
  if (!engine_open (&engine, &error))
    return fail_with_error (error);
  entry = natter_request_log_get_last (engine.log);
  if (entry == NULL)
    return fail (EXIT_LOCAL, _("No request recorded yet"));

  raw = entry_dup_raw (entry);
  category = natter_log_entry_get_error_category (entry);
  natter_usage_store_get_exchange (engine.database, natter_log_entry_get_id (entry),
                                   &cache_read, &cache_write, &cost, NULL);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);

      json_builder_set_member_name (builder, "request");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, natter_log_entry_get_method (entry));
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, natter_log_entry_get_url (entry));
      json_add_json_text (builder, "headers", natter_log_entry_get_request_headers (entry), -1);
      json_add_json_text (builder, "body", natter_log_entry_get_request_body (entry), -1);
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "response");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      if (natter_log_entry_get_status (entry) != 0)
        json_builder_add_int_value (builder, natter_log_entry_get_status (entry));
      else
        json_builder_add_null_value (builder);
      json_add_json_text (builder, "headers", natter_log_entry_get_response_headers (entry), -1);
      json_builder_set_member_name (builder, "raw");
      json_builder_add_string_value (builder, raw);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, natter_log_entry_get_text (entry));
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "timing");
      json_builder_begin_object (builder);
      json_add_ms (builder, "ttfb_ms", natter_log_entry_get_ttfb_ms (entry));
      json_add_ms (builder, "ttft_ms", natter_log_entry_get_ttft_ms (entry));
      json_add_ms (builder, "total_ms", natter_log_entry_get_total_ms (entry));
      json_builder_end_object (builder);

      json_builder_set_member_name (builder, "usage");
      json_builder_begin_object (builder);
      json_add_ms (builder, "input_tokens", natter_log_entry_get_input_tokens (entry));
      json_add_ms (builder, "output_tokens", natter_log_entry_get_output_tokens (entry));
      json_add_ms (builder, "cache_read_tokens", cache_read);
      json_add_ms (builder, "cache_write_tokens", cache_write);
      json_builder_set_member_name (builder, "cost_usd");
      if (cost >= 0)
        json_builder_add_double_value (builder, cost);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);

      natter_cli_add_request_note (builder, engine.database, natter_log_entry_get_id (entry));

      json_builder_set_member_name (builder, "error");
      if (category == NATTER_ERROR_CATEGORY_NONE)
        json_builder_add_null_value (builder);
      else
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "category");
          json_builder_add_string_value (builder, natter_error_category_to_string (category));
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, natter_log_entry_get_error_message (entry));
          json_builder_end_object (builder);
        }

      json_builder_end_object (builder);
      print_json (builder);
      return EXIT_OK;
    }

  g_print ("%s %s\n", natter_log_entry_get_method (entry), natter_log_entry_get_url (entry));
  g_print ("%s: %s\n", _("Request headers"), natter_log_entry_get_request_headers (entry));
  g_print ("%s: %s\n", _("Request body"), natter_log_entry_get_request_body (entry));
  g_print ("%s: %u\n", _("Status"), natter_log_entry_get_status (entry));
  g_print ("%s: %s\n", _("Response headers"),
           natter_log_entry_get_response_headers (entry) ? natter_log_entry_get_response_headers (entry) : "");
  g_print ("%s: %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " ms\n",
           _("Time to first byte / first token / total"),
           natter_log_entry_get_ttfb_ms (entry), natter_log_entry_get_ttft_ms (entry),
           natter_log_entry_get_total_ms (entry));
  g_print ("%s: %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT "\n", _("Tokens in / out"),
           natter_log_entry_get_input_tokens (entry), natter_log_entry_get_output_tokens (entry));
  natter_cli_print_request_note (engine.database, natter_log_entry_get_id (entry));
  if (cache_read >= 0 || cache_write >= 0)
    g_print ("%s: %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT "\n", _("Cache reads / writes"),
             cache_read, cache_write);
  if (cost >= 0)
    g_print ("%s: $%.6f\n", _("Cost"), cost);
  if (category != NATTER_ERROR_CATEGORY_NONE)
    g_print ("%s: %s: %s\n", _("Error"), natter_error_category_to_string (category),
             natter_log_entry_get_error_message (entry));
  g_print ("%s:\n%s\n", _("Reply"), natter_log_entry_get_text (entry));
  return EXIT_OK;
}
