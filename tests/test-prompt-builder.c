/* test-prompt-builder.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "natter-prompt-builder.h"
#include "natter-test-util.h"

/* The estimate the builder is documented to use, written out here:
 * ceil (bytes / 3.5), plus 4 per chat message and 3 per request. */
static gint64
tokens (const char *text)
{
  return (2 * (gint64) strlen (text) + 6) / 7;
}

static gint64
message_tokens (const char *text)
{
  return tokens (text) + 4;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static const char mira_card[] =
  "{"
  " \"name\": \"Mira\","
  " \"description\": \"{{char}} draws maps for {{user}}.\","
  " \"personality\": \"curious\","
  " \"scenario\": \"A harbor town.\","
  " \"system_prompt\": \"\","
  " \"post_history_instructions\": \"Stay in character as {{char}}.\","
  " \"mes_example\": \"<START>\\n{{user}}: Hi\\n{{char}}: Hello, {{user}}!\\n<START>\\n<USER>: Bye\\n<BOT>: Farewell.\","
  " \"first_mes\": \"*{{char}} waves at {{user}}.*\","
  " \"alternate_greetings\": [\"Hi {{USER}}\", \"<BOT> here, {{user}}\"],"
  " \"character_book\": {\"scan_depth\": 3, \"entries\": ["
  "   {\"keys\": [\"lighthouse\"], \"content\": \"The lighthouse is haunted.\", \"enabled\": true,"
  "    \"insertion_order\": 10, \"position\": \"after_char\", \"extensions\": {}},"
  "   {\"keys\": [], \"constant\": true, \"content\": \"It is winter in {{char}}'s town.\","
  "    \"enabled\": true, \"insertion_order\": 1, \"position\": \"before_char\", \"extensions\": {}},"
  "   {\"keys\": [\"dragon\"], \"content\": \"Dragons are myths.\", \"enabled\": true,"
  "    \"insertion_order\": 5, \"extensions\": {}}"
  " ]}"
  "}";

static NatterPromptBuilder *
mira_builder (void)
{
  g_autoptr(JsonObject) card = parse_object (mira_card);
  NatterPromptBuilder *builder = natter_prompt_builder_new ();

  natter_prompt_builder_set_character (builder, card);
  natter_prompt_builder_set_persona (builder, "Alice", "A traveller from the east.");

  return builder;
}

static void
assert_message (NatterPromptResult *result,
                guint               index,
                NatterRole          role,
                const char         *content)
{
  NatterPromptMessage *m;

  g_assert_cmpuint (index, <, result->messages->len);
  m = g_ptr_array_index (result->messages, index);
  g_assert_cmpint (m->role, ==, role);
  g_assert_cmpstr (m->content, ==, content);
}

static void
test_chat_parts (void)
{
  g_autoptr(NatterPromptBuilder) builder = mira_builder ();
  g_autoptr(NatterPromptResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *system =
    "Write Mira's next reply in a fictional chat between Mira and Alice.\n\n"
    "It is winter in Mira's town.\n\n"
    "Mira draws maps for Alice.\n\n"
    "Mira's personality: curious\n\n"
    "Scenario: A harbor town.\n\n"
    "The lighthouse is haunted.\n\n"
    "A traveller from the east.";
  const char *texts[] = {
    system,
    "[Example Chat]\nAlice: Hi\nMira: Hello, Alice!",
    "[Example Chat]\nAlice: Bye\nMira: Farewell.",
    "Tell me about the lighthouse, Mira.",
    "It stands tall.",
    "And the harbor?",
    "Stay in character as Mira.",
  };
  gint64 expected_tokens = 3;

  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "Tell me about the lighthouse, {{char}}.");
  natter_prompt_builder_add_message (builder, NATTER_ROLE_ASSISTANT, NULL, "It stands tall.");
  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "And the harbor?");

  result = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  g_assert_cmpuint (result->messages->len, ==, G_N_ELEMENTS (texts));
  assert_message (result, 0, NATTER_ROLE_SYSTEM, texts[0]);
  assert_message (result, 1, NATTER_ROLE_SYSTEM, texts[1]);
  assert_message (result, 2, NATTER_ROLE_SYSTEM, texts[2]);
  assert_message (result, 3, NATTER_ROLE_USER, texts[3]);
  assert_message (result, 4, NATTER_ROLE_ASSISTANT, texts[4]);
  assert_message (result, 5, NATTER_ROLE_USER, texts[5]);
  assert_message (result, 6, NATTER_ROLE_SYSTEM, texts[6]);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    expected_tokens += message_tokens (texts[i]);
  g_assert_cmpint (result->input_tokens, ==, expected_tokens);

  g_assert_null (result->text);
  g_assert_nonnull (result->stop);
  g_assert_cmpuint (g_strv_length (result->stop), ==, 0);
  g_assert_cmpuint (result->lore->len, ==, 2);
  g_assert_cmpuint (result->history_kept, ==, 3);
  g_assert_cmpuint (result->history_total, ==, 3);
  g_assert_cmpuint (result->examples_kept, ==, 2);
  g_assert_false (result->over_budget);
}

static void
fill_history (NatterPromptBuilder *builder,
              guint                n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message number %u, with some padding text.", i);

      natter_prompt_builder_add_message (builder, i % 2 ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER,
                                         NULL, text);
    }
}

static void
test_budget_drops_oldest (void)
{
  g_autoptr(NatterPromptBuilder) builder = mira_builder ();
  g_autoptr(NatterPromptResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint first_kept;
  NatterPromptMessage *m;
  g_autofree char *older = NULL;

  fill_history (builder, 41);   /* ends with a user message */
  natter_prompt_builder_set_context_size (builder, 700);
  natter_prompt_builder_set_reply_reserve (builder, 200);

  result = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);

  g_assert_cmpint (result->budget, ==, 500);
  g_assert_cmpint (result->input_tokens, <=, 500);
  g_assert_false (result->over_budget);
  g_assert_cmpuint (result->history_total, ==, 41);
  g_assert_cmpuint (result->history_kept, >, 1);
  g_assert_cmpuint (result->history_kept, <, 41);

  /* History dropping came after the examples were gone. */
  g_assert_cmpuint (result->examples_kept, ==, 0);

  /* The system parts stay, first and last. */
  m = g_ptr_array_index (result->messages, 0);
  g_assert_cmpint (m->role, ==, NATTER_ROLE_SYSTEM);
  g_assert_true (g_str_has_prefix (m->content, "Write Mira's next reply"));
  assert_message (result, result->messages->len - 1, NATTER_ROLE_SYSTEM, "Stay in character as Mira.");

  /* The kept history is the newest, in order, without gaps. */
  first_kept = 41 - result->history_kept;
  g_assert_cmpuint (result->messages->len, ==, 1 + result->history_kept + 1);
  for (guint i = 0; i < result->history_kept; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message number %u, with some padding text.", first_kept + i);

      m = g_ptr_array_index (result->messages, 1 + i);
      g_assert_cmpstr (m->content, ==, text);
    }

  /* And the next older one would not have fitted. */
  older = g_strdup_printf ("Message number %u, with some padding text.", first_kept - 1);
  g_assert_cmpint (result->input_tokens + message_tokens (older), >, 500);
}

static void
test_budget_never_system (void)
{
  g_autoptr(NatterPromptBuilder) builder = mira_builder ();
  g_autoptr(NatterPromptResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fill_history (builder, 10);
  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "The lighthouse!");
  natter_prompt_builder_add_message (builder, NATTER_ROLE_ASSISTANT, NULL, "Yes?");
  natter_prompt_builder_set_context_size (builder, 60);
  natter_prompt_builder_set_reply_reserve (builder, 20);

  result = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);

  /* Far too small: everything that may be dropped is, nothing else. */
  g_assert_true (result->over_budget);
  g_assert_cmpuint (result->examples_kept, ==, 0);
  /* From the last user message on. */
  g_assert_cmpuint (result->history_kept, ==, 2);
  g_assert_cmpuint (result->messages->len, ==, 4);
  assert_message (result, 1, NATTER_ROLE_USER, "The lighthouse!");
  assert_message (result, 2, NATTER_ROLE_ASSISTANT, "Yes?");
  assert_message (result, 3, NATTER_ROLE_SYSTEM, "Stay in character as Mira.");
  {
    NatterPromptMessage *m = g_ptr_array_index (result->messages, 0);

    g_assert_true (strstr (m->content, "Mira draws maps for Alice.") != NULL);
    g_assert_true (strstr (m->content, "Scenario: A harbor town.") != NULL);
    g_assert_true (strstr (m->content, "A traveller from the east.") != NULL);
    /* The lore activated by the kept message is there too. */
    g_assert_true (strstr (m->content, "The lighthouse is haunted.") != NULL);
  }
}

static void
test_examples_before_history (void)
{
  g_autoptr(NatterPromptBuilder) builder = mira_builder ();
  g_autoptr(NatterPromptResult) full = NULL;
  g_autoptr(NatterPromptResult) tight = NULL;
  g_autoptr(GError) error = NULL;
  gint64 example = message_tokens ("[Example Chat]\nAlice: Bye\nMira: Farewell.");

  fill_history (builder, 5);
  full = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (full->examples_kept, ==, 2);
  g_assert_cmpuint (full->history_kept, ==, 5);

  /* One token short of everything: the last example block goes, no
   * history does. */
  natter_prompt_builder_set_context_size (builder, full->input_tokens - 1);
  tight = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tight->history_kept, ==, 5);
  g_assert_cmpuint (tight->examples_kept, ==, 1);
  g_assert_cmpint (tight->input_tokens, ==, full->input_tokens - example);
}

static void
test_macros_everywhere (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 11, 22, 15, 7, 0);
  g_autoptr(GDateTime) last = g_date_time_add_hours (now, -3);
  g_autoptr(JsonObject) card = parse_object (
    "{\"name\": \"Mira\", \"system_prompt\": \"{{original}} Keep it short, {{user}}.\","
    " \"post_history_instructions\": \"{{original}}Pick {{random::north::south}}.\"}");
  g_autofree char *first = NULL;

  for (int round = 0; round < 2; round++)
    {
      g_autoptr(NatterPromptBuilder) builder = natter_prompt_builder_new ();
      g_autoptr(NatterPromptResult) result = NULL;
      g_autoptr(GError) error = NULL;
      NatterPromptMessage *post;

      natter_prompt_builder_set_character (builder, card);
      natter_prompt_builder_set_persona (builder, "Alice", NULL);
      natter_prompt_builder_set_main_prompt (builder, "It is {{time}} on {{date}}; idle {{idle_duration}}.");
      natter_prompt_builder_set_time (builder, now, last);
      natter_prompt_builder_set_random_seed (builder, 1234);
      natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, "Alice", "Hello <BOT>, I am {{USER}}.");

      result = natter_prompt_builder_build (builder, &error);
      g_assert_no_error (error);
      assert_message (result, 0, NATTER_ROLE_SYSTEM,
                      "It is 3:07 PM on November 22, 2026; idle 3 hours. Keep it short, Alice.");
      assert_message (result, 1, NATTER_ROLE_USER, "Hello Mira, I am Alice.");
      g_assert_cmpstr (((NatterPromptMessage *) g_ptr_array_index (result->messages, 1))->name, ==, "Alice");
      post = g_ptr_array_index (result->messages, 2);
      g_assert_true (g_str_equal (post->content, "Pick north.") || g_str_equal (post->content, "Pick south."));

      /* The same seed, the same choice. */
      if (round == 0)
        first = g_strdup (post->content);
      else
        g_assert_cmpstr (post->content, ==, first);
    }
}

static void
test_greeting (void)
{
  g_autoptr(JsonObject) card = parse_object (mira_card);
  g_autoptr(JsonObject) bare = parse_object ("{\"name\": \"X\"}");
  g_auto(GStrv) alternates = NULL;
  g_auto(GStrv) none = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *empty = NULL;
  const char *expected[] = { "Hi Alice", "Mira here, Alice", NULL };

  greeting = natter_prompt_builder_greeting (card, "Alice", &alternates);
  g_assert_cmpstr (greeting, ==, "*Mira waves at Alice.*");
  g_assert_cmpstrv (alternates, expected);

  empty = natter_prompt_builder_greeting (bare, "Alice", &none);
  g_assert_cmpstr (empty, ==, "");
  g_assert_nonnull (none);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

static void
test_text_completion (void)
{
  g_autoptr(JsonObject) card = parse_object ("{\"name\": \"Mira\", \"description\": \"Draws maps.\"}");
  g_autoptr(NatterPromptBuilder) builder = natter_prompt_builder_new ();
  g_autoptr(NatterInstructTemplate) instruct = natter_instruct_template_new_builtin ("ChatML", NULL);
  g_autoptr(NatterContextTemplate) context = natter_context_template_new_builtin ("ChatML", NULL);
  g_autoptr(NatterPromptResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *text =
    "<|im_start|>system\nWrite Mira's next reply in a fictional chat between Mira and Alice.\n"
    "Draws maps.<|im_end|>\n"
    "<|im_start|>user\nAlice: Hi<|im_end|>\n"
    "<|im_start|>assistant\nMira: Hello!<|im_end|>\n"
    "<|im_start|>user\nAlice: Where to?<|im_end|>\n"
    "<|im_start|>assistant\nMira:";
  const char *stops[] = {
    "<|im_end|>", "<|im_start|>user", "<|im_start|>assistant", "<|im_start|>system",
    "\nAlice:", NULL,
  };

  natter_prompt_builder_set_character (builder, card);
  natter_prompt_builder_set_persona (builder, "Alice", NULL);
  natter_prompt_builder_set_templates (builder, instruct, context);
  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "Hi");
  natter_prompt_builder_add_message (builder, NATTER_ROLE_ASSISTANT, NULL, "Hello!");
  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "Where to?");

  result = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, text);
  g_assert_cmpstrv (result->stop, stops);
  g_assert_cmpint (result->input_tokens, ==, tokens (text));
  /* The chat form is there too, for dialects that want messages. */
  g_assert_cmpuint (result->messages->len, ==, 4);
}

static void
test_text_examples_and_post_history (void)
{
  g_autoptr(JsonObject) card = parse_object (
    "{\"name\": \"Mira\", \"description\": \"Draws maps.\", \"post_history_instructions\": \"Be terse.\","
    " \"mes_example\": \"<START>\\n{{user}}: Ping\\n{{char}}: Pong\"}");
  g_autoptr(NatterPromptBuilder) builder = natter_prompt_builder_new ();
  g_autoptr(NatterInstructTemplate) instruct = natter_instruct_template_new_builtin ("Alpaca", NULL);
  g_autoptr(NatterContextTemplate) context = natter_context_template_new_builtin ("Alpaca", NULL);
  g_autoptr(NatterPromptResult) result = NULL;
  g_autoptr(NatterPromptResult) small = NULL;
  g_autoptr(GError) error = NULL;
  const char *text =
    "Write Mira's next reply in a fictional chat between Mira and Alice.\nDraws maps.\n\n\n"
    "### Instruction:\nPing\n\n### Response:\nPong\n\n"
    "### Instruction:\nHi\n\n"
    "### Response:\nHello!\n\n"
    "### Instruction:\nWhere to?\n\n"
    "### Input:\nBe terse.\n\n"
    "### Response:\n";

  natter_prompt_builder_set_character (builder, card);
  natter_prompt_builder_set_persona (builder, "Alice", NULL);
  natter_prompt_builder_set_templates (builder, instruct, context);
  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "Hi");
  natter_prompt_builder_add_message (builder, NATTER_ROLE_ASSISTANT, NULL, "Hello!");
  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "Where to?");

  result = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, text);

  /* Budgeted on the text: the examples go, then the oldest turns. */
  natter_prompt_builder_set_context_size (builder, tokens (text) - 1);
  small = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (small->examples_kept, ==, 0);
  g_assert_cmpuint (small->history_kept, ==, 3);
  g_assert_null (strstr (small->text, "Ping"));
  g_assert_cmpint (small->input_tokens, <=, tokens (text) - 1);

  g_clear_pointer (&small, natter_prompt_result_free);
  natter_prompt_builder_set_context_size (builder, tokens (text) - 20);
  small = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (small->history_kept, <, 3);
  g_assert_null (strstr (small->text, "### Instruction:\nHi\n"));
  g_assert_nonnull (strstr (small->text, "### Instruction:\nWhere to?\n"));
  g_assert_nonnull (strstr (small->text, "Be terse."));
}

static void
test_extra_lorebook_and_errors (void)
{
  g_autoptr(NatterPromptBuilder) builder = mira_builder ();
  g_autoptr(JsonObject) world = parse_object (
    "{\"entries\": {\"0\": {\"uid\": 0, \"key\": [\"harbor\"], \"content\": \"Ships dock at dawn.\","
    " \"order\": 100, \"position\": 1, \"disable\": false}}}");
  g_autoptr(JsonObject) broken = parse_object ("{\"entries\": \"nope\"}");
  g_autoptr(JsonObject) bad_card = parse_object ("{\"name\": \"B\", \"character_book\": {\"entries\": [1]}}");
  g_autoptr(NatterPromptResult) result = NULL;
  g_autoptr(GError) error = NULL;
  NatterPromptMessage *system;

  g_assert_true (natter_prompt_builder_add_lorebook (builder, world, &error));
  g_assert_no_error (error);
  g_assert_false (natter_prompt_builder_add_lorebook (builder, broken, &error));
  g_assert_error (error, NATTER_LOREBOOK_ERROR, NATTER_LOREBOOK_ERROR_INVALID);
  g_clear_error (&error);

  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "To the harbor!");
  result = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  system = g_ptr_array_index (result->messages, 0);
  g_assert_true (g_str_has_suffix (system->content,
                                   "Scenario: A harbor town.\n\nShips dock at dawn.\n\nA traveller from the east."));
  g_assert_cmpuint (result->lore->len, ==, 2);

  g_clear_pointer (&result, natter_prompt_result_free);
  natter_prompt_builder_set_character (builder, bad_card);
  result = natter_prompt_builder_build (builder, &error);
  g_assert_null (result);
  g_assert_error (error, NATTER_PROMPT_BUILDER_ERROR, NATTER_PROMPT_BUILDER_ERROR_LOREBOOK);
}

static void
test_build_prompt (void)
{
  g_autoptr(NatterPromptBuilder) builder = mira_builder ();
  g_autoptr(NatterPromptResult) result = NULL;
  g_autoptr(GError) error = NULL;
  NatterPrompt *prompt;

  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "Hi");
  prompt = natter_prompt_builder_build_prompt (builder, &result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (prompt);
  g_assert_null (prompt->text);
  g_assert_cmpuint (prompt->messages->len, ==, result->messages->len);
  for (guint i = 0; i < prompt->messages->len; i++)
    {
      NatterPromptMessage *a = g_ptr_array_index (prompt->messages, i);
      NatterPromptMessage *b = g_ptr_array_index (result->messages, i);

      g_assert_true (a != b);
      g_assert_cmpint (a->role, ==, b->role);
      g_assert_cmpstr (a->content, ==, b->content);
    }

  /* natter_prompt_free() lives with the dialects; free by hand. */
  g_ptr_array_unref (prompt->messages);
  g_free (prompt->text);
  g_free (prompt);
}

static void
test_plain_chat_no_system (void)
{
  g_autoptr(NatterPromptBuilder) builder = natter_prompt_builder_new ();
  g_autoptr(GError) error = NULL;
  NatterPromptResult *result;

  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "What is 2+2?");
  result = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);

  /* No character: no role-play framing, just the conversation. */
  g_assert_cmpuint (result->messages->len, ==, 1);
  assert_message (result, 0, NATTER_ROLE_USER, "What is 2+2?");
  natter_prompt_result_free (result);

  /* A main prompt set explicitly is still sent. */
  natter_prompt_builder_set_main_prompt (builder, "Be brief.");
  result = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->messages->len, ==, 2);
  assert_message (result, 0, NATTER_ROLE_SYSTEM, "Be brief.");
  natter_prompt_result_free (result);
}

/* Lore entries set to a depth, and a persona description set to one, go
 * into the history as system messages that many messages above the end;
 * the history counts stay those of the chat's messages. */
static void
test_at_depth (void)
{
  static const char *book =
    "{\"entries\":["
    "{\"keys\":[],\"constant\":true,\"content\":\"DEPTH-ONE\",\"extensions\":{\"position\":4,\"depth\":1}},"
    "{\"keys\":[],\"constant\":true,\"content\":\"DEPTH-THREE\",\"extensions\":{\"position\":4,\"depth\":3}},"
    "{\"keys\":[],\"constant\":true,\"content\":\"BEFORE\",\"position\":\"before_char\"}]}";
  g_autoptr(NatterPromptBuilder) builder = natter_prompt_builder_new ();
  g_autoptr(JsonNode) node = json_from_string (book, NULL);
  g_autoptr(GError) error = NULL;
  NatterPromptResult *result;
  const char *roles_and_texts[][2] = {
    { "s", NULL },            /* the system message with BEFORE and no persona */
    { "u", "One" },
    { "s", "DEPTH-THREE" },
    { "a", "Two" },
    { "s", "PERSONA-D" },
    { "u", "Three" },
    { "s", "DEPTH-ONE" },
    { "a", "Four" },
  };

  natter_prompt_builder_set_persona (builder, "Robin", "PERSONA-D");
  natter_prompt_builder_set_persona_depth (builder, 2);
  g_assert_true (natter_prompt_builder_add_lorebook (builder, json_node_get_object (node), &error));
  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "One");
  natter_prompt_builder_add_message (builder, NATTER_ROLE_ASSISTANT, NULL, "Two");
  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "Three");
  natter_prompt_builder_add_message (builder, NATTER_ROLE_ASSISTANT, NULL, "Four");
  natter_prompt_builder_set_main_prompt (builder, "Main.");

  result = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->messages->len, ==, G_N_ELEMENTS (roles_and_texts));
  for (guint i = 0; i < G_N_ELEMENTS (roles_and_texts); i++)
    {
      NatterPromptMessage *m = g_ptr_array_index (result->messages, i);
      NatterRole role = roles_and_texts[i][0][0] == 's' ? NATTER_ROLE_SYSTEM
                        : roles_and_texts[i][0][0] == 'u' ? NATTER_ROLE_USER : NATTER_ROLE_ASSISTANT;

      g_assert_cmpint (m->role, ==, role);
      if (roles_and_texts[i][1] != NULL)
        g_assert_cmpstr (m->content, ==, roles_and_texts[i][1]);
    }
  {
    NatterPromptMessage *system = g_ptr_array_index (result->messages, 0);

    g_assert_nonnull (strstr (system->content, "BEFORE"));
    g_assert_null (strstr (system->content, "PERSONA-D"));
    g_assert_null (strstr (system->content, "DEPTH"));
  }
  g_assert_cmpuint (result->history_kept, ==, 4);
  g_assert_cmpuint (result->history_total, ==, 4);
  natter_prompt_result_free (result);
}

static NatterPromptResult *
build_with_note (const char *note,
                 int         frequency,
                 guint       n_messages)
{
  static const char *book =
    "{\"entries\":["
    "{\"keys\":[],\"constant\":true,\"content\":\"BOTTOM\",\"extensions\":{\"position\":3}},"
    "{\"keys\":[],\"constant\":true,\"content\":\"TOP {{user}}\",\"extensions\":{\"position\":2}}]}";
  static const char *texts[] = { "One", "Two", "Three", "Four", "Five" };
  g_autoptr(NatterPromptBuilder) builder = natter_prompt_builder_new ();
  g_autoptr(JsonObject) card = parse_object ("{\"name\": \"Mira\", \"description\": \"A cartographer.\"}");
  g_autoptr(JsonNode) node = json_from_string (book, NULL);
  g_autoptr(GError) error = NULL;
  NatterPromptResult *result;

  natter_prompt_builder_set_character (builder, card);
  natter_prompt_builder_set_persona (builder, "Alice", "A traveller from the east.");
  g_assert_true (natter_prompt_builder_add_lorebook (builder, json_node_get_object (node), &error));
  natter_prompt_builder_set_persona_depth (builder, NATTER_PROMPT_PERSONA_NOTE_BOTTOM);
  if (note != NULL)
    natter_prompt_builder_set_authors_note (builder, note, 2, NATTER_ROLE_USER, frequency);
  for (guint i = 0; i < n_messages; i++)
    natter_prompt_builder_add_message (builder, i % 2 == 0 ? NATTER_ROLE_USER : NATTER_ROLE_ASSISTANT,
                                       NULL, texts[i]);
  result = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  return result;
}

/* The author's note goes at its depth with its role, the lore entries at
 * its top before its text and those at its bottom after it (and the
 * persona set there too); every N user turns; without a note, the
 * entries go at the default depth on their own. */
static void
test_authors_note (void)
{
  NatterPromptResult *result;
  NatterPromptMessage *system;

  result = build_with_note ("Note for {{char}}.", 1, 4);
  g_assert_cmpuint (result->messages->len, ==, 6);
  assert_message (result, 1, NATTER_ROLE_USER, "One");
  assert_message (result, 2, NATTER_ROLE_ASSISTANT, "Two");
  assert_message (result, 3, NATTER_ROLE_USER,
                  "TOP Alice\nNote for Mira.\nA traveller from the east.\nBOTTOM");
  assert_message (result, 4, NATTER_ROLE_USER, "Three");
  assert_message (result, 5, NATTER_ROLE_ASSISTANT, "Four");
  system = g_ptr_array_index (result->messages, 0);
  g_assert_null (strstr (system->content, "TOP"));
  g_assert_null (strstr (system->content, "BOTTOM"));
  g_assert_null (strstr (system->content, "traveller"));
  g_assert_cmpuint (result->history_total, ==, 4);
  natter_prompt_result_free (result);

  /* Every second user turn: two user messages, then three. */
  result = build_with_note ("Note.", 2, 4);
  assert_message (result, 3, NATTER_ROLE_USER, "TOP Alice\nNote.\nA traveller from the east.\nBOTTOM");
  natter_prompt_result_free (result);
  result = build_with_note ("Note.", 2, 5);
  assert_message (result, 4, NATTER_ROLE_SYSTEM, "TOP Alice\nA traveller from the east.\nBOTTOM");
  natter_prompt_result_free (result);

  /* Never. */
  result = build_with_note ("Note.", 0, 4);
  assert_message (result, 3, NATTER_ROLE_SYSTEM, "TOP Alice\nA traveller from the east.\nBOTTOM");
  natter_prompt_result_free (result);

  /* No note: the entries at the default depth, 4. */
  result = build_with_note (NULL, 1, 5);
  g_assert_cmpuint (result->messages->len, ==, 7);
  assert_message (result, 1, NATTER_ROLE_USER, "One");
  assert_message (result, 2, NATTER_ROLE_SYSTEM, "TOP Alice\nA traveller from the east.\nBOTTOM");
  assert_message (result, 3, NATTER_ROLE_ASSISTANT, "Two");
  natter_prompt_result_free (result);
}

/* An earlier reply's tool calls and results go with it to the model and
 * count against the budget. */
static NatterPromptResult *
build_with_tools (gint64   context_size,
                  gboolean with_tools)
{
  g_autoptr(NatterPromptBuilder) builder = mira_builder ();
  g_autoptr(GError) error = NULL;
  NatterPromptResult *result;

  fill_history (builder, 20);
  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "Weather?");
  natter_prompt_builder_add_message (builder, NATTER_ROLE_ASSISTANT, NULL, "It is 3 degrees.");
  if (with_tools)
    {
      NatterPromptMessage *tools = natter_prompt_message_new (NATTER_ROLE_ASSISTANT, "");
      g_autofree char *big = g_strnfill (2000, 'x');

      natter_prompt_message_add_tool_call (tools, natter_tool_call_new ("call_1", "weather__get", "{}"));
      natter_prompt_message_add_tool_result (tools, natter_tool_result_new ("call_1", "weather__get", big, FALSE));
      natter_prompt_builder_set_last_tools (builder, tools);
      natter_prompt_message_free (tools);
    }
  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, NULL, "Thanks!");
  natter_prompt_builder_set_context_size (builder, context_size);
  result = natter_prompt_builder_build (builder, &error);
  g_assert_no_error (error);
  return result;
}

static void
test_history_tools (void)
{
  g_autoptr(NatterPromptResult) plain = build_with_tools (100000, FALSE);
  g_autoptr(NatterPromptResult) full = build_with_tools (100000, TRUE);
  g_autoptr(NatterPromptResult) tight = build_with_tools (full->input_tokens - 80, TRUE);
  NatterPrompt *prompt = natter_prompt_result_to_prompt (full);
  const NatterPromptMessage *reply = NULL;

  g_assert_cmpuint (plain->history_kept, ==, 23);
  g_assert_cmpuint (full->history_kept, ==, 23);
  g_assert_cmpint (full->input_tokens, >, plain->input_tokens + 400);
  /* The results take room: older messages make way. */
  g_assert_cmpuint (tight->history_kept, <, 23);
  g_assert_cmpuint (tight->history_kept, >=, 3);
  g_assert_cmpint (tight->input_tokens, <=, full->input_tokens - 80);

  for (guint i = 0; i < prompt->messages->len; i++)
    {
      const NatterPromptMessage *m = g_ptr_array_index (prompt->messages, i);

      if (g_strcmp0 (m->content, "It is 3 degrees.") == 0)
        reply = m;
    }
  g_assert_nonnull (reply);
  g_assert_nonnull (reply->tool_calls);
  g_assert_cmpuint (reply->tool_results->len, ==, 1);
  g_assert_cmpuint (strlen (((NatterToolResult *) g_ptr_array_index (reply->tool_results, 0))->content), ==, 2000);
  natter_prompt_free (prompt);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/prompt-builder/chat-parts", test_chat_parts);
  g_test_add_func ("/natter/prompt-builder/plain-chat-no-system", test_plain_chat_no_system);
  g_test_add_func ("/natter/prompt-builder/budget-drops-oldest", test_budget_drops_oldest);
  g_test_add_func ("/natter/prompt-builder/budget-never-system", test_budget_never_system);
  g_test_add_func ("/natter/prompt-builder/history-tools", test_history_tools);
  g_test_add_func ("/natter/prompt-builder/examples-before-history", test_examples_before_history);
  g_test_add_func ("/natter/prompt-builder/macros-everywhere", test_macros_everywhere);
  g_test_add_func ("/natter/prompt-builder/greeting", test_greeting);
  g_test_add_func ("/natter/prompt-builder/text-completion", test_text_completion);
  g_test_add_func ("/natter/prompt-builder/text-examples-and-post-history", test_text_examples_and_post_history);
  g_test_add_func ("/natter/prompt-builder/extra-lorebook-and-errors", test_extra_lorebook_and_errors);
  g_test_add_func ("/natter/prompt-builder/build-prompt", test_build_prompt);
  g_test_add_func ("/natter/prompt-builder/at-depth", test_at_depth);
  g_test_add_func ("/natter/prompt-builder/authors-note", test_authors_note);

  return g_test_run ();
}
