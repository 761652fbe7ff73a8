/* fuzz-prompt.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for what a downloaded card or preset drives in prompt
 * assembly: instruct and context templates (JSON), story strings, macros
 * and lorebook activation (regular expression keys included). The first
 * byte picks which; the rest is split at the first NUL byte into two
 * inputs where two are needed (a template and a text, a book and a chat).
 * Promises: a failure says why, output is text. Built and run by
 * run-fuzz.sh. */

#include "config.h"

#include "fuzz-common.h"
#include "natter-instruct.h"
#include "natter-lorebook.h"
#include "natter-macros.h"

static void
split (const char  *data,
       gsize        len,
       char       **a,
       char       **b)
{
  const char *nul = memchr (data, '\0', len);

  if (nul == NULL)
    {
      *a = g_strndup (data, len);
      *b = g_strdup ("Hello {{user}}, I am {{char}}.");
      return;
    }
  *a = g_strndup (data, nul - data);
  *b = g_strndup (nul + 1, len - (nul + 1 - data));
}

static NatterMacroContext *
macro_context (void)
{
  static NatterMacroContext ctx = { 0 };
  static GRand *rand = NULL;

  if (rand == NULL)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

      rand = g_rand_new_with_seed (42);
      ctx.user = "Robin";
      ctx.char_name = "Seraphina";
      ctx.persona = "An archer";
      ctx.description = "A guardian";
      ctx.personality = "kind";
      ctx.scenario = "A forest";
      ctx.now = g_date_time_new (utc, 2026, 1, 2, 3, 4, 5);
      ctx.last_message = g_date_time_new (utc, 2026, 1, 1, 3, 4, 5);
      ctx.rand = rand;
    }
  return &ctx;
}

static void
fuzz_instruct (const char *data,
               gsize       len)
{
  g_autofree char *json = NULL, *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterInstructTemplate) instruct = NULL;
  g_autoptr(NatterContextTemplate) context = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_prompt_message_free);
  g_auto(GStrv) stop = NULL;
  g_autofree char *prompt = NULL;
  NatterStoryVars vars = { "system", "desc", "pers", "scen", "persona", "before", "after",
                           "<START>\n{{user}}: hi\n{{char}}: hello" };

  split (data, len, &json, &text);
  instruct = natter_instruct_template_new_from_json (json, &error);
  fuzz_check ((instruct == NULL) == (error != NULL), "instruct: error set exactly on failure");
  g_clear_error (&error);
  context = natter_context_template_new_from_json (json, &error);
  fuzz_check ((context == NULL) == (error != NULL), "context: error set exactly on failure");
  g_clear_error (&error);
  if (instruct == NULL)
    instruct = natter_instruct_template_new_builtin ("ChatML", NULL);

  g_ptr_array_add (messages, natter_prompt_message_new (NATTER_ROLE_SYSTEM, text));
  g_ptr_array_add (messages, natter_prompt_message_new (NATTER_ROLE_USER, text));
  g_ptr_array_add (messages, natter_prompt_message_new (NATTER_ROLE_ASSISTANT, "ok"));
  prompt = natter_instruct_format (instruct, context, &vars, messages, macro_context (), &stop, &error);
  fuzz_check ((prompt == NULL) == (error != NULL), "format: error set exactly on failure");
  fuzz_check (prompt == NULL || stop != NULL, "format: stop strings with a prompt");
}

static void
fuzz_story (const char *data,
            gsize       len)
{
  g_autofree char *story = g_strndup (data, len);
  g_autoptr(GError) error = NULL;
  NatterStoryVars vars = { "system", "desc", NULL, "scen", "", "before", NULL, "ex" };
  g_autofree char *out = natter_story_string_render (story, &vars, macro_context (), &error);

  fuzz_check ((out == NULL) == (error != NULL), "story: error set exactly on failure");
}

static void
fuzz_macros (const char *data,
             gsize       len)
{
  g_autofree char *text = g_strndup (data, len);
  g_autofree char *out = natter_macros_expand (text, macro_context ());

  fuzz_check (out != NULL, "macros: always a result");
  fuzz_check (strlen (out) <= 64 * strlen (text) + 4096, "macros: no runaway growth");
}

static void
fuzz_lorebook (const char *data,
               gsize       len)
{
  g_autofree char *json = NULL, *chat = NULL;
  g_autoptr(NatterLorebook) book = natter_lorebook_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_auto(GStrv) history = NULL;
  gboolean timed_out = FALSE;
  gboolean ok;

  split (data, len, &json, &chat);
  ok = natter_lorebook_add_book_json (book, json, &error);
  fuzz_check (ok == (error == NULL), "lorebook: error set exactly on failure");
  history = g_strsplit (chat, "\n", 8);
  active = natter_lorebook_activate_full (book, (const char * const *) history,
                                          g_strv_length (history), 64, &timed_out);
  fuzz_check (active != NULL, "lorebook: a result");
  fuzz_check (active->len <= natter_lorebook_get_n_entries (book), "lorebook: no more entries than the book has");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data + 1;

  if (size < 1)
    return 0;

  switch (data[0] & 3)
    {
    case 0:
      fuzz_instruct (text, size - 1);
      break;
    case 1:
      fuzz_story (text, size - 1);
      break;
    case 2:
      fuzz_macros (text, size - 1);
      break;
    default:
      fuzz_lorebook (text, size - 1);
      break;
    }

  return 0;
}
