/* test-preset.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-catalog.h"
#include "natter-json-writer.h"
#include "natter-preset.h"
#include "natter-sampling.h"
#include "natter-test-util.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Numbers compare by value: 1 and 1.0 are the same setting. */
static gboolean
trees_equal (JsonNode *a,
             JsonNode *b)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (a))
    {
      JsonObject *oa = json_node_get_object (a), *ob = json_node_get_object (b);
      g_autoptr(GList) members = json_object_get_members (oa);

      if (json_object_get_size (oa) != json_object_get_size (ob))
        return FALSE;
      for (GList *l = members; l != NULL; l = l->next)
        if (!json_object_has_member (ob, l->data) ||
            !trees_equal (json_object_get_member (oa, l->data), json_object_get_member (ob, l->data)))
          {
            g_test_message ("member %s differs", (char *) l->data);
            return FALSE;
          }
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (a))
    {
      JsonArray *aa = json_node_get_array (a), *ab = json_node_get_array (b);

      if (json_array_get_length (aa) != json_array_get_length (ab))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (aa); i++)
        if (!trees_equal (json_array_get_element (aa, i), json_array_get_element (ab, i)))
          return FALSE;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (a) &&
      (json_node_get_value_type (a) == G_TYPE_INT64 || json_node_get_value_type (a) == G_TYPE_DOUBLE) &&
      (json_node_get_value_type (b) == G_TYPE_INT64 || json_node_get_value_type (b) == G_TYPE_DOUBLE))
    return json_node_get_double (a) == json_node_get_double (b);
  return json_node_equal (a, b);
}

static char *
read_fixture (const char *name,
              gsize      *len)
{
  g_autofree char *relative = g_build_filename ("sillytavern", "presets", name, NULL);
  g_autofree char *path = natter_test_fixture_path (relative);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, len, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_st_round_trip (void)
{
  const char *files[] = { "Default.json", "Universal-Light.json", "Mirostat.json",
                          "Universal-Creative.json" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      gsize len;
      g_autofree char *text = read_fixture (files[i], &len);
      g_autoptr(GError) error = NULL;
      g_autoptr(NatterPreset) preset = NULL;
      g_autoptr(NatterPreset) stored = NULL;
      g_autofree char *exported = NULL;
      g_autofree char *json = NULL;
      g_autoptr(JsonNode) a = NULL;
      g_autoptr(JsonNode) b = NULL;

      preset = natter_preset_new_from_sillytavern (text, len, files[i], &error);
      g_assert_no_error (error);
      /* Through Natter's own form, as the database keeps it. */
      json = natter_preset_to_json (preset, TRUE);
      stored = natter_preset_new_from_json (json, -1, &error);
      g_assert_no_error (error);
      exported = natter_preset_to_sillytavern (stored);
      a = parse (text);
      b = parse (exported);
      g_test_message ("%s", files[i]);
      g_assert_true (trees_equal (a, b));
      /* Written as SillyTavern writes it: the same bytes. */
      g_assert_cmpstr (exported, ==, text);
    }
}

static void
test_st_chat_values (void)
{
  gsize len;
  g_autofree char *text = read_fixture ("Default.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterPreset) preset = natter_preset_new_from_sillytavern (text, len, "Default", &error);
  JsonObject *sampling;
  GPtrArray *blocks;
  NatterPresetBlock *block;

  g_assert_no_error (error);
  g_assert_cmpstr (natter_preset_get_format (preset), ==, "sillytavern-chat");
  sampling = natter_preset_get_sampling (preset);
  g_assert_cmpint (json_object_get_int_member (sampling, "max_tokens"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (sampling, "context_size"), ==, 4095);
  g_assert_cmpfloat (json_object_get_double_member (sampling, "temperature"), ==, 1.0);
  /* The order of character 100001: twelve blocks, history before jailbreak. */
  blocks = natter_preset_get_blocks (preset);
  g_assert_cmpuint (blocks->len, ==, 12);
  block = g_ptr_array_index (blocks, 0);
  g_assert_cmpstr (block->id, ==, "main");
  g_assert_cmpstr (block->content, ==, "Write {{char}}'s next reply in a fictional chat between {{char}} and {{user}}.");
  block = natter_preset_find_block (preset, "jailbreak");
  g_assert_cmpint (block->position, ==, NATTER_BLOCK_AFTER_HISTORY);
  block = natter_preset_find_block (preset, "enhanceDefinitions");
  g_assert_false (block->enabled);
  block = natter_preset_find_block (preset, "charDescription");
  g_assert_true (block->marker);
  g_assert_cmpint (block->position, ==, NATTER_BLOCK_BEFORE_HISTORY);
  g_assert_cmpstr (natter_preset_get_string (preset, "continue_postfix"), ==, " ");
  g_assert_false (natter_preset_get_boolean (preset, "squash_system_messages", TRUE));
}

static void
test_st_text_values (void)
{
  gsize len;
  g_autofree char *text = read_fixture ("Universal-Light.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterPreset) preset = natter_preset_new_from_sillytavern (text, len, NULL, &error);
  JsonObject *sampling;
  JsonArray *breakers;

  g_assert_no_error (error);
  g_assert_cmpstr (natter_preset_get_format (preset), ==, "sillytavern-text");
  sampling = natter_preset_get_sampling (preset);
  g_assert_cmpfloat (json_object_get_double_member (sampling, "temperature"), ==, 1.25);
  g_assert_cmpfloat (json_object_get_double_member (sampling, "min_p"), ==, 0.1);
  g_assert_cmpfloat (json_object_get_double_member (sampling, "dry_base"), ==, 1.75);
  breakers = json_object_get_array_member (sampling, "dry_sequence_breakers");
  g_assert_cmpuint (json_array_get_length (breakers), ==, 4);
  g_assert_cmpstr (json_array_get_string_element (breakers, 0), ==, "\n");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sampling, "sampler_order")), ==, 7);
}

/* A change is written back in SillyTavern's names; everything else stays. */
static void
test_st_export_changed (void)
{
  gsize len;
  g_autofree char *text = read_fixture ("Universal-Light.json", &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterPreset) preset = natter_preset_new_from_sillytavern (text, len, NULL, &error);
  g_autofree char *exported = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_true (natter_preset_set (preset, "temperature", "0.5", &error));
  g_assert_true (natter_preset_set (preset, "repetition_penalty", "1.1", &error));
  g_assert_no_error (error);
  exported = natter_preset_to_sillytavern (preset);
  node = parse (exported);
  object = json_node_get_object (node);
  g_assert_cmpfloat (json_object_get_double_member (object, "temp"), ==, 0.5);
  g_assert_cmpfloat (json_object_get_double_member (object, "rep_pen"), ==, 1.1);
  g_assert_false (json_object_has_member (object, "temperature"));
  g_assert_cmpstr (json_object_get_string_member (object, "dry_sequence_breakers"), ==,
                   "[\"\\n\", \":\", \"\\\"\", \"*\"]");
  g_assert_true (json_object_has_member (object, "spaces_between_special_tokens"));
}

static void
test_st_in_history_block (void)
{
  const char *text =
    "{\"prompts\":[{\"identifier\":\"main\",\"name\":\"Main\",\"role\":\"system\",\"content\":\"M\"},"
    "{\"identifier\":\"chatHistory\",\"name\":\"Chat History\",\"marker\":true},"
    "{\"identifier\":\"note\",\"name\":\"Note\",\"role\":\"user\",\"content\":\"N\","
    "\"injection_position\":1,\"injection_depth\":2}],"
    "\"prompt_order\":[{\"character_id\":100001,\"order\":[{\"identifier\":\"main\",\"enabled\":true},"
    "{\"identifier\":\"chatHistory\",\"enabled\":true},{\"identifier\":\"note\",\"enabled\":true}]}],"
    "\"proxy_password\":\"hunter2\",\"reverse_proxy\":\"https://evil.example\",\"unknown_key\":[1,{\"x\":2}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterPreset) preset = natter_preset_new_from_sillytavern (text, strlen (text), "T", &error);
  NatterPresetBlock *note;
  g_autofree char *exported = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  note = natter_preset_find_block (preset, "note");
  g_assert_cmpint (note->position, ==, NATTER_BLOCK_IN_HISTORY);
  g_assert_cmpint (note->depth, ==, 2);
  g_assert_cmpint (note->role, ==, NATTER_ROLE_USER);
  exported = natter_preset_to_sillytavern (preset);
  node = parse (exported);
  /* Unknown keys come back; a password does not. */
  g_assert_true (json_object_has_member (json_node_get_object (node), "unknown_key"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "proxy_password"), ==, "");
  g_assert_null (strstr (exported, "hunter2"));
  /* Natter's own form has no connection at all. */
  shown = natter_preset_to_json (preset, FALSE);
  g_assert_null (strstr (shown, "evil.example"));
  g_assert_null (strstr (shown, "reverse_proxy"));
}

static void
test_hostile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  NatterPreset *preset;

  preset = natter_preset_new_from_sillytavern ("[1,2]", 5, NULL, &error);
  g_assert_null (preset);
  g_assert_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID);
  g_clear_error (&error);
  preset = natter_preset_new_from_sillytavern ("{\"a\":1}", 7, NULL, &error);
  g_assert_null (preset);
  g_assert_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID);
  g_clear_error (&error);
  g_string_append (deep, "{\"temp\":1,\"x\":");
  for (int i = 0; i < 100; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 100; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  preset = natter_preset_new_from_sillytavern (deep->str, deep->len, NULL, &error);
  g_assert_null (preset);
  g_assert_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID);
  g_clear_error (&error);

  /* Deep enough to overflow a recursive parser's stack: refused first. */
  g_string_assign (deep, "{\"temp\":1,\"x\":");
  for (int i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  g_string_append_c (deep, '}');
  preset = natter_preset_new_from_sillytavern (deep->str, deep->len, NULL, &error);
  g_assert_null (preset);
  g_assert_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID);
}

/* json-glib reads escapes JSON does not have into text that is not UTF-8:
 * an octal "\733" becomes a raw byte, a lone "\ud800" half a character.
 * The preset is refused with an error that names the escape. */
static void
test_st_escapes (void)
{
  static const struct
  {
    const char *text;
    const char *named;
  } cases[] = {
    { "{\"temp\": 0.7, \"name\": \"a\\733b\"}", "\\7" },
    { "{\"temperature\": 1, \"prompts\": [{\"identifier\": \"main\", \"role\": \"system\", "
      "\"content\": \"x\\ud800y\"}]}", "\\uD800" },
    { "{\"temp\": 0.7, \"k\\101\": 1}", "\\1" },
    { "{\"temp\": 0.7, \"x\": \"\\u0000\"}", "\\u0000" },
    /* Single quotes would hide the octal escape after them. */
    { "{\"temp\": 0.7, 'a\"': \"\\733\"}", "single quotes" },
  };
  static const char inner[] =
    "{\"temp\": 0.7, \"dry_sequence_breakers\": \"[\\\"\\\\733\\\", \\\"\\\\n\\\"]\"}";
  g_autoptr(NatterPreset) kept = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(NatterPreset) preset = NULL;

      preset = natter_preset_new_from_sillytavern (cases[i].text, strlen (cases[i].text), NULL, &error);
      if (preset != NULL)
        g_error ("%s was imported", cases[i].text);
      g_assert_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID);
      if (strstr (error->message, cases[i].named) == NULL)
        g_error ("error for %s is “%s”, expected it to name “%s”", cases[i].text, error->message,
                 cases[i].named);
      g_clear_error (&error);

      /* Natter's own preset files are read the same way. */
      preset = natter_preset_new_from_json (cases[i].text, -1, &error);
      g_assert_null (preset);
      g_assert_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_INVALID);
      g_clear_error (&error);
    }

  /* The text of a list inside the preset is read as JSON too: the list is
   * left out rather than kept with a byte that is not UTF-8. */
  kept = natter_preset_new_from_sillytavern (inner, strlen (inner), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  g_assert_false (json_object_has_member (natter_preset_get_sampling (kept), "dry_sequence_breakers"));
  g_assert_true (json_object_has_member (natter_preset_get_sampling (kept), "temperature"));
}

/* Mangled files (bytes flipped, cut short, types swapped) give a preset or
 * an error, never a crash, and whatever imports exports again. */
static void
test_mangled (void)
{
  const char *files[] = { "Default.json", "Universal-Light.json" };
  GRand *rand = g_rand_new_with_seed (20261207);

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      gsize len;
      g_autofree char *text = read_fixture (files[f], &len);
      guint imported = 0, refused = 0;

      for (guint round = 0; round < 400; round++)
        {
          g_autofree char *copy = g_memdup2 (text, len + 1);
          g_autoptr(GError) error = NULL;
          g_autoptr(NatterPreset) preset = NULL;
          gsize n = len;

          switch (round % 4)
            {
            case 0:
              for (guint k = 0; k < 4; k++)
                copy[g_rand_int_range (rand, 0, (gint32) len)] = (char) g_rand_int_range (rand, 1, 256);
              break;
            case 1:
              n = g_rand_int_range (rand, 0, (gint32) len);
              copy[n] = '\0';
              break;
            case 2:
              {
                /* A number where a string was, padded to its length (the
                 * file stays JSON, without escapes JSON does not have). */
                char *value = strstr (copy + g_rand_int_range (rand, 0, (gint32) len), "\": \"");
                char *end = value != NULL ? value + 4 : NULL;

                while (end != NULL && *end != '\0' && *end != '"')
                  end += *end == '\\' && end[1] != '\0' ? 2 : 1;
                if (end != NULL && *end == '"')
                  {
                    value[3] = '7';
                    memset (value + 4, ' ', end - value - 3);
                  }
              }
              break;
            default:
              {
                char *colon = strchr (copy + g_rand_int_range (rand, 0, (gint32) len), ':');

                if (colon != NULL && colon[1] == ' ')
                  colon[1] = '[';
              }
              break;
            }
          preset = natter_preset_new_from_sillytavern (copy, n, NULL, &error);
          if (preset == NULL)
            {
              g_assert_nonnull (error);
              refused++;
              continue;
            }
          imported++;
          {
            g_autofree char *exported = natter_preset_to_sillytavern (preset);
            g_autofree char *json = natter_preset_to_json (preset, TRUE);
            g_autoptr(NatterPreset) back = natter_preset_new_from_json (json, -1, &error);

            g_assert_no_error (error);
            g_assert_nonnull (exported);
            g_assert_nonnull (back);
          }
        }
      g_test_message ("%s: %u imported, %u refused", files[f], imported, refused);
      g_assert_cmpuint (imported, >, 0);
      g_assert_cmpuint (refused, >, 0);
    }
  g_rand_free (rand);
}

static void
test_set (void)
{
  g_autoptr(NatterPreset) preset = natter_preset_new ("P");
  g_autoptr(GError) error = NULL;

  g_assert_true (natter_preset_set (preset, "temperature", "0.7", &error));
  g_assert_true (natter_preset_set (preset, "top_k", "40", &error));
  g_assert_true (natter_preset_set (preset, "reasoning", "high", &error));
  g_assert_true (natter_preset_set (preset, "stop", "[\"###\"]", &error));
  g_assert_true (natter_preset_set (preset, "prompt.note.content", "Be brief.", &error));
  g_assert_true (natter_preset_set (preset, "prompt.note.position", "history", &error));
  g_assert_true (natter_preset_set (preset, "prompt.note.depth", "3", &error));
  g_assert_no_error (error);
  g_assert_cmpint (natter_preset_get_reasoning (preset), ==, NATTER_REASONING_HIGH);
  g_assert_cmpint (json_object_get_int_member (natter_preset_get_sampling (preset), "top_k"), ==, 40);
  g_assert_cmpint (natter_preset_find_block (preset, "note")->depth, ==, 3);
  g_assert_false (natter_preset_set (preset, "temperature", "warm", &error));
  g_assert_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_false (natter_preset_set (preset, "model", "gpt-4", &error));
  g_assert_error (error, NATTER_PRESET_ERROR, NATTER_PRESET_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_true (natter_preset_set (preset, "top_k", "", &error));
  g_assert_false (json_object_has_member (natter_preset_get_sampling (preset), "top_k"));
}

/* ------------------------------------------------------------ mapping */

/* Every sampler set, none at a neutral value. */
static JsonObject *
full_sampling (void)
{
  g_autoptr(JsonNode) node = parse (
    "{\"temperature\":0.8,\"top_p\":0.9,\"top_k\":40,\"min_p\":0.05,\"top_a\":0.2,"
    "\"typical_p\":0.95,\"tfs\":0.97,\"repetition_penalty\":1.1,\"repetition_penalty_range\":512,"
    "\"frequency_penalty\":0.3,\"presence_penalty\":0.4,\"dry_multiplier\":0.8,\"dry_base\":1.75,"
    "\"dry_allowed_length\":2,\"dry_penalty_last_n\":1024,\"dry_sequence_breakers\":[\"\\n\",\":\"],"
    "\"xtc_threshold\":0.1,\"xtc_probability\":0.5,\"mirostat_mode\":2,\"mirostat_tau\":5,"
    "\"mirostat_eta\":0.1,\"seed\":42,\"max_tokens\":300,\"context_size\":8192,\"stop\":[\"###\"],"
    "\"sampler_order\":[6,0,1],\"sampler_priority\":[\"temperature\",\"min_p\"]}");

  return json_object_ref (json_node_get_object (node));
}

static NatterProvider *
provider (const char *id)
{
  NatterCatalog *catalog = natter_catalog_get_default ();
  NatterProvider *p;

  g_assert_nonnull (catalog);
  p = natter_catalog_lookup (catalog, id);
  g_assert_nonnull (p);
  return g_object_ref (p);
}

/* The request body @provider_id's dialect builds with every sampler set,
 * and what was not sent. */
static JsonObject *
build_body (const char            *provider_id,
            NatterReasoningEffort  reasoning,
            GStrv                 *dropped)
{
  g_autoptr(NatterProvider) prov = provider (provider_id);
  const NatterDialect *dialect = natter_dialect_lookup (natter_provider_get_dialect_id (prov));
  g_autoptr(JsonObject) sampling = full_sampling ();
  NatterPrompt *prompt = natter_prompt_new ();
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  NatterDialectContext ctx = { 0 };
  NatterGenParams params;
  GBytes *body;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  natter_gen_params_init (&params);
  params.model = g_strdup ("m");
  *dropped = natter_sampling_apply (dialect, prov, sampling, reasoning, &params);
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Hi");
  ctx.base_url = "http://127.0.0.1:1";
  ctx.provider = prov;
  ctx.extra_body = params.extra_body;
  request = dialect->build_request (&ctx, prompt, &params, &error);
  g_assert_no_error (error);
  body = natter_request_get_body (request);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_test_message ("%s: %s", provider_id, text);
  node = parse (text);
  natter_gen_params_clear (&params);
  natter_prompt_free (prompt);
  return json_object_ref (json_node_get_object (node));
}

static void
assert_members (JsonObject         *object,
                const char * const *expected,
                const char * const *absent)
{
  for (guint i = 0; expected[i] != NULL; i++)
    {
      if (!json_object_has_member (object, expected[i]))
        g_error ("missing %s", expected[i]);
    }
  for (guint i = 0; absent != NULL && absent[i] != NULL; i++)
    if (json_object_has_member (object, absent[i]))
      g_error ("unexpected %s", absent[i]);
}

static void
assert_dropped (GStrv       dropped,
                const char *expected)
{
  g_autofree char *joined = g_strjoinv (",", dropped);

  g_assert_cmpstr (joined, ==, expected);
}

static void
test_map_openai (void)
{
  g_auto(GStrv) dropped = NULL;
  g_autoptr(JsonObject) body = build_body ("openai", NATTER_REASONING_HIGH, &dropped);
  const char *expected[] = { "temperature", "top_p", "frequency_penalty", "presence_penalty",
                             "max_tokens", "seed", "stop", NULL };
  const char *absent[] = { "top_k", "min_p", "top_a", "repetition_penalty", "typical_p",
                           "mirostat", "options", NULL };

  assert_members (body, expected, absent);
  g_assert_cmpint (json_object_get_int_member (body, "seed"), ==, 42);
  g_assert_cmpstr (json_object_get_string_member (body, "reasoning_effort"), ==, "high");
  assert_dropped (dropped, "dry_allowed_length,dry_base,dry_multiplier,dry_penalty_last_n,"
                  "dry_sequence_breakers,min_p,mirostat_eta,mirostat_mode,mirostat_tau,"
                  "repetition_penalty,repetition_penalty_range,tfs,top_a,top_k,typical_p,"
                  "xtc_probability,xtc_threshold");
}

static void
test_map_openrouter (void)
{
  g_auto(GStrv) dropped = NULL;
  g_autoptr(JsonObject) body = build_body ("openrouter", NATTER_REASONING_LOW, &dropped);
  const char *expected[] = { "temperature", "top_p", "top_k", "min_p", "top_a",
                             "repetition_penalty", "frequency_penalty", "presence_penalty",
                             "seed", "max_tokens", "stop", "reasoning", NULL };
  const char *absent[] = { "reasoning_effort", NULL };

  assert_members (body, expected, absent);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "reasoning"),
                                                  "effort"), ==, "low");
}

static void
test_map_anthropic (void)
{
  g_auto(GStrv) dropped = NULL;
  g_autoptr(JsonObject) body = build_body ("anthropic", NATTER_REASONING_OFF, &dropped);
  const char *expected[] = { "temperature", "top_p", "top_k", "max_tokens", "stop_sequences", NULL };
  const char *absent[] = { "frequency_penalty", "presence_penalty", "seed", "min_p", "stop",
                           "thinking", NULL };
  JsonObject *thinking;

  assert_members (body, expected, absent);
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 300);
  g_assert_nonnull (g_strv_contains ((const char * const *) dropped, "frequency_penalty") ? "" : NULL);
  g_assert_true (g_strv_contains ((const char * const *) dropped, "seed"));
  g_clear_pointer (&dropped, g_strfreev);
  json_object_unref (body);

  /* Thinking: a budget, max_tokens raised to leave the reply its room. */
  body = build_body ("anthropic", NATTER_REASONING_MEDIUM, &dropped);
  thinking = json_object_get_object_member (body, "thinking");
  g_assert_cmpstr (json_object_get_string_member (thinking, "type"), ==, "enabled");
  g_assert_cmpint (json_object_get_int_member (thinking, "budget_tokens"), ==, 8192);
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 8192 + 300);
  g_assert_false (json_object_has_member (body, "temperature"));
  g_assert_false (json_object_has_member (body, "top_k"));
  g_assert_true (g_strv_contains ((const char * const *) dropped, "temperature"));
  body = (json_object_unref (body), NULL);
}

static void
test_map_gemini (void)
{
  g_auto(GStrv) dropped = NULL;
  g_autoptr(JsonObject) body = build_body ("google", NATTER_REASONING_HIGH, &dropped);
  JsonObject *config = json_object_get_object_member (body, "generationConfig");
  const char *expected[] = { "temperature", "topP", "topK", "maxOutputTokens", "stopSequences",
                             "presencePenalty", "frequencyPenalty", "seed", "thinkingConfig", NULL };
  const char *absent[] = { "temperature", "seed", "top_p", NULL };

  assert_members (config, expected, NULL);
  assert_members (body, (const char *[]) { "generationConfig", NULL }, absent);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (config, "thinkingConfig"),
                                               "thinkingBudget"), ==, 16384);
}

static void
test_map_cohere (void)
{
  g_auto(GStrv) dropped = NULL;
  g_autoptr(JsonObject) body = build_body ("cohere", NATTER_REASONING_UNSET, &dropped);
  const char *expected[] = { "temperature", "p", "k", "max_tokens", "frequency_penalty",
                             "presence_penalty", "stop_sequences", "seed", NULL };
  const char *absent[] = { "top_p", "top_k", "min_p", NULL };

  assert_members (body, expected, absent);
}

static void
test_map_ollama (void)
{
  g_auto(GStrv) dropped = NULL;
  g_autoptr(JsonObject) body = build_body ("ollama", NATTER_REASONING_UNSET, &dropped);
  JsonObject *options = json_object_get_object_member (body, "options");
  const char *expected[] = { "temperature", "top_p", "top_k", "min_p", "repeat_penalty",
                             "num_predict", "num_ctx", "seed", "stop", "mirostat", NULL };
  const char *absent[] = { "temperature", "min_p", "seed", NULL };

  assert_members (options, expected, NULL);
  assert_members (body, (const char *[]) { "options", NULL }, absent);
  g_assert_cmpint (json_object_get_int_member (options, "num_ctx"), ==, 8192);
  g_assert_true (g_strv_contains ((const char * const *) dropped, "dry_multiplier"));
}

static void
test_map_text_backends (void)
{
  g_auto(GStrv) dropped = NULL;
  g_autoptr(JsonObject) body = NULL;
  const char *kobold[] = { "temperature", "top_p", "top_k", "top_a", "min_p", "typical", "tfs",
                           "rep_pen", "rep_pen_range", "max_length", "max_context_length",
                           "dry_multiplier", "dry_sequence_breakers", "xtc_probability",
                           "mirostat", "sampler_seed", "sampler_order", "stop_sequence", NULL };
  const char *llamacpp[] = { "temperature", "top_p", "top_k", "min_p", "typical_p", "repeat_penalty",
                             "repeat_last_n", "n_predict", "dry_multiplier", "xtc_threshold",
                             "mirostat", "seed", "stop", NULL };
  const char *textgen[] = { "temperature", "top_p", "top_k", "min_p", "top_a", "typical_p", "tfs",
                            "repetition_penalty", "repetition_penalty_range", "max_tokens",
                            "mirostat_mode", "dry_sequence_breakers", "sampler_priority",
                            "truncation_length", NULL };

  body = build_body ("koboldcpp", NATTER_REASONING_UNSET, &dropped);
  assert_members (body, kobold, (const char *[]) { "seed", "repetition_penalty", NULL });
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "dry_sequence_breakers")));
  assert_dropped (dropped, "frequency_penalty");
  g_clear_pointer (&dropped, g_strfreev);
  g_clear_pointer (&body, json_object_unref);

  body = build_body ("llamacpp", NATTER_REASONING_UNSET, &dropped);
  assert_members (body, llamacpp, (const char *[]) { "max_tokens", "rep_pen", NULL });
  g_clear_pointer (&dropped, g_strfreev);
  g_clear_pointer (&body, json_object_unref);

  body = build_body ("textgen-webui", NATTER_REASONING_UNSET, &dropped);
  assert_members (body, textgen, (const char *[]) { "rep_pen", "options", NULL });
  g_assert_cmpstr (json_object_get_string_member (body, "dry_sequence_breakers"), ==, "[\"\\n\",\":\"]");
  assert_dropped (dropped, "dry_penalty_last_n");
}

/* Neutral values (as SillyTavern's Default writes them) are not reported. */
static void
test_neutral_not_dropped (void)
{
  gsize len;
  g_autofree char *text = read_fixture ("Default.json", &len);
  g_autoptr(NatterPreset) preset = natter_preset_new_from_sillytavern (text, len, NULL, NULL);
  g_autoptr(NatterProvider) prov = provider ("anthropic");
  NatterGenParams params;
  g_auto(GStrv) dropped = NULL;

  natter_gen_params_init (&params);
  dropped = natter_sampling_apply (natter_dialect_lookup ("anthropic"), prov,
                                   natter_preset_get_sampling (preset), NATTER_REASONING_UNSET,
                                   &params);
  assert_dropped (dropped, "");
  g_assert_cmpint (params.max_tokens, ==, 300);
  natter_gen_params_clear (&params);
}

/* Request bodies and files carry numbers as people write them. */
static void
test_json_numbers (void)
{
  g_autoptr(JsonNode) node = parse ("{\"t\":0.7,\"k\":40,\"f\":1.0,\"s\":\"a\\n\\\"b\\u0001é\","
                                    "\"l\":[0.1,-2.5],\"o\":{},\"e\":[]}");
  g_autofree char *compact = natter_json_to_string (node, 0);
  g_autofree char *pretty = natter_json_to_string (node, 4);

  g_assert_cmpstr (compact, ==, "{\"t\":0.7,\"k\":40,\"f\":1,\"s\":\"a\\n\\\"b\\u0001é\","
                                "\"l\":[0.1,-2.5],\"o\":{},\"e\":[]}");
  g_assert_true (g_str_has_prefix (pretty, "{\n    \"t\": 0.7,\n    \"k\": 40,"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/preset/st-round-trip", test_st_round_trip);
  g_test_add_func ("/natter/preset/st-chat-values", test_st_chat_values);
  g_test_add_func ("/natter/preset/st-text-values", test_st_text_values);
  g_test_add_func ("/natter/preset/st-export-changed", test_st_export_changed);
  g_test_add_func ("/natter/preset/st-in-history-block", test_st_in_history_block);
  g_test_add_func ("/natter/preset/hostile", test_hostile);
  g_test_add_func ("/natter/preset/st-escapes", test_st_escapes);
  g_test_add_func ("/natter/preset/set", test_set);
  g_test_add_func ("/natter/preset/mangled", test_mangled);
  g_test_add_func ("/natter/preset/json-numbers", test_json_numbers);
  g_test_add_func ("/natter/preset/map-openai", test_map_openai);
  g_test_add_func ("/natter/preset/map-openrouter", test_map_openrouter);
  g_test_add_func ("/natter/preset/map-anthropic", test_map_anthropic);
  g_test_add_func ("/natter/preset/map-gemini", test_map_gemini);
  g_test_add_func ("/natter/preset/map-cohere", test_map_cohere);
  g_test_add_func ("/natter/preset/map-ollama", test_map_ollama);
  g_test_add_func ("/natter/preset/map-text-backends", test_map_text_backends);
  g_test_add_func ("/natter/preset/neutral-not-dropped", test_neutral_not_dropped);

  return g_test_run ();
}
