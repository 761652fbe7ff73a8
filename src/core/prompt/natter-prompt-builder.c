/* natter-prompt-builder.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-prompt-builder"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-macros.h"
#include "natter-prompt-builder-private.h"
#include "natter-tokens.h"
#include "natter-dialect-parts.h"

#define EXAMPLE_HEADER "[Example Chat]\n"

typedef struct
{
  NatterRole  role;
  char       *name;
  char       *content;
  GPtrArray  *attachments;  /* NatterAttachment, nullable */
  NatterPromptMessage *tools;   /* nullable: its tool calls and results */
} HistoryItem;

struct _NatterPromptBuilder
{
  GObject                 parent_instance;

  JsonObject             *card;
  char                   *persona_name;
  char                   *persona_description;
  GArray                 *history;          /* HistoryItem */
  gint64                  context_size;
  gint64                  reply_reserve;
  NatterInstructTemplate *instruct;
  NatterContextTemplate  *context;
  char                   *main_prompt;
  GPtrArray              *extra_books;      /* JsonObject */
  GDateTime              *now;
  GDateTime              *last_message;
  gboolean                has_seed;
  guint32                 seed;
  NatterPreset           *preset;
  char                   *post_history;
  char                   *summary;
  char                   *prefill;
  gboolean                prefill_message;
  char                   *nudge;
  NatterRole              writer;
  int                     persona_depth;    /* < 0: with the card */
  char                   *note;
  int                     note_depth;
  NatterRole              note_role;
  int                     note_frequency;
};

G_DEFINE_FINAL_TYPE (NatterPromptBuilder, natter_prompt_builder, G_TYPE_OBJECT)

G_DEFINE_QUARK (natter-prompt-builder-error-quark, natter_prompt_builder_error)

static NatterPromptMessage *
message_new (NatterRole  role,
             const char *name,
             const char *content)
{
  NatterPromptMessage *m = natter_prompt_message_new (role, content);

  m->name = g_strdup (name);

  return m;
}

#define message_free ((GDestroyNotify) natter_prompt_message_free)

static void
history_item_clear (gpointer data)
{
  HistoryItem *item = data;

  g_free (item->name);
  g_free (item->content);
  g_clear_pointer (&item->attachments, g_ptr_array_unref);
  g_clear_pointer (&item->tools, natter_prompt_message_free);
}

void
natter_prompt_result_free (NatterPromptResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->messages, g_ptr_array_unref);
  g_free (result->text);
  g_strfreev (result->stop);
  g_strfreev (result->dropped);
  g_clear_pointer (&result->lore, g_ptr_array_unref);
  g_free (result);
}

NatterPrompt *
natter_prompt_result_to_prompt (const NatterPromptResult *result)
{
  NatterPrompt *prompt;

  g_return_val_if_fail (result != NULL, NULL);

  prompt = natter_prompt_new ();
  for (guint i = 0; i < result->messages->len; i++)
    {
      const NatterPromptMessage *m = g_ptr_array_index (result->messages, i);
      NatterPromptMessage *copy = message_new (m->role, m->name, m->content);

      natter_prompt_message_copy_attachments (copy, m);
      natter_prompt_message_copy_tools (copy, m);
      g_ptr_array_add (prompt->messages, copy);
    }
  prompt->text = g_strdup (result->text);

  return prompt;
}

static void
natter_prompt_builder_finalize (GObject *object)
{
  NatterPromptBuilder *self = NATTER_PROMPT_BUILDER (object);

  g_clear_pointer (&self->card, json_object_unref);
  g_free (self->persona_name);
  g_free (self->persona_description);
  g_clear_pointer (&self->history, g_array_unref);
  g_clear_pointer (&self->instruct, natter_instruct_template_free);
  g_clear_pointer (&self->context, natter_context_template_free);
  g_free (self->main_prompt);
  g_clear_pointer (&self->extra_books, g_ptr_array_unref);
  g_clear_object (&self->preset);
  g_free (self->post_history);
  g_free (self->summary);
  g_free (self->prefill);
  g_free (self->nudge);
  g_free (self->note);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->last_message, g_date_time_unref);

  G_OBJECT_CLASS (natter_prompt_builder_parent_class)->finalize (object);
}

static void
natter_prompt_builder_class_init (NatterPromptBuilderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_prompt_builder_finalize;
}

static void
natter_prompt_builder_init (NatterPromptBuilder *self)
{
  self->history = g_array_new (FALSE, TRUE, sizeof (HistoryItem));
  g_array_set_clear_func (self->history, history_item_clear);
  self->extra_books = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->writer = NATTER_ROLE_ASSISTANT;
  self->persona_depth = -1;
  self->note_depth = 4;
  self->note_role = NATTER_ROLE_SYSTEM;
  self->note_frequency = 1;
}

NatterPromptBuilder *
natter_prompt_builder_new (void)
{
  return g_object_new (NATTER_TYPE_PROMPT_BUILDER, NULL);
}

void
natter_prompt_builder_set_character (NatterPromptBuilder *self,
                                     JsonObject          *card_data)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_clear_pointer (&self->card, json_object_unref);
  if (card_data != NULL)
    self->card = json_object_ref (card_data);
}

void
natter_prompt_builder_set_persona (NatterPromptBuilder *self,
                                   const char          *name,
                                   const char          *description)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_free (self->persona_name);
  g_free (self->persona_description);
  self->persona_name = g_strdup (name);
  self->persona_description = g_strdup (description);
}

void
natter_prompt_builder_set_persona_depth (NatterPromptBuilder *self,
                                         int                  depth)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  self->persona_depth = depth;
}

void
natter_prompt_builder_set_authors_note (NatterPromptBuilder *self,
                                        const char          *text,
                                        int                  depth,
                                        NatterRole           role,
                                        int                  frequency)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_free (self->note);
  self->note = g_strdup (text);
  self->note_depth = CLAMP (depth, 0, 10000);
  self->note_role = role;
  self->note_frequency = MAX (frequency, 0);
}

static gboolean
note_due (NatterPromptBuilder *self)
{
  guint user_turns = 0;

  if (self->note == NULL || self->note[0] == '\0' || self->note_frequency == 0)
    return FALSE;
  for (guint i = 0; i < self->history->len; i++)
    if (g_array_index (self->history, HistoryItem, i).role == NATTER_ROLE_USER)
      user_turns++;
  return user_turns % (guint) self->note_frequency == 0;
}

void
natter_prompt_builder_add_message (NatterPromptBuilder *self,
                                   NatterRole           role,
                                   const char          *name,
                                   const char          *content)
{
  HistoryItem item;

  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  item.role = role;
  item.name = g_strdup (name);
  item.content = g_strdup (content ? content : "");
  item.attachments = NULL;
  item.tools = NULL;
  g_array_append_val (self->history, item);
}

void
natter_prompt_builder_add_message_attachments (NatterPromptBuilder *self,
                                               GPtrArray           *attachments)
{
  HistoryItem *item;

  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));
  g_return_if_fail (self->history->len > 0);

  if (attachments == NULL || attachments->len == 0)
    return;
  item = &g_array_index (self->history, HistoryItem, self->history->len - 1);
  if (item->attachments == NULL)
    item->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_attachment_free);
  for (guint i = 0; i < attachments->len; i++)
    g_ptr_array_add (item->attachments, natter_attachment_copy (g_ptr_array_index (attachments, i)));
}

void
natter_prompt_builder_set_last_tools (NatterPromptBuilder       *self,
                                      const NatterPromptMessage *tools)
{
  HistoryItem *item;

  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));
  g_return_if_fail (self->history->len > 0);

  item = &g_array_index (self->history, HistoryItem, self->history->len - 1);
  g_clear_pointer (&item->tools, natter_prompt_message_free);
  if (tools == NULL || ((tools->tool_calls == NULL || tools->tool_calls->len == 0) &&
                        (tools->tool_results == NULL || tools->tool_results->len == 0)))
    return;
  item->tools = natter_prompt_message_new (item->role, "");
  natter_prompt_message_copy_tools (item->tools, tools);
}

void
natter_prompt_builder_clear_history (NatterPromptBuilder *self)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_array_set_size (self->history, 0);
}

void
natter_prompt_builder_set_context_size (NatterPromptBuilder *self,
                                        gint64               tokens)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  self->context_size = tokens;
}

void
natter_prompt_builder_set_reply_reserve (NatterPromptBuilder *self,
                                         gint64               tokens)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  self->reply_reserve = MAX (tokens, 0);
}

void
natter_prompt_builder_set_templates (NatterPromptBuilder          *self,
                                     const NatterInstructTemplate *instruct,
                                     const NatterContextTemplate  *context)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_clear_pointer (&self->instruct, natter_instruct_template_free);
  g_clear_pointer (&self->context, natter_context_template_free);
  if (instruct != NULL)
    self->instruct = natter_instruct_template_copy (instruct);
  if (context != NULL)
    self->context = natter_context_template_copy (context);
}

void
natter_prompt_builder_set_main_prompt (NatterPromptBuilder *self,
                                       const char          *main_prompt)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_free (self->main_prompt);
  self->main_prompt = g_strdup (main_prompt);
}

gboolean
natter_prompt_builder_add_lorebook (NatterPromptBuilder  *self,
                                    JsonObject           *book,
                                    GError              **error)
{
  g_autoptr(NatterLorebook) check = NULL;

  g_return_val_if_fail (NATTER_IS_PROMPT_BUILDER (self), FALSE);
  g_return_val_if_fail (book != NULL, FALSE);

  check = natter_lorebook_new ();
  if (!natter_lorebook_add_book (check, book, error))
    return FALSE;

  g_ptr_array_add (self->extra_books, json_object_ref (book));

  return TRUE;
}

void
natter_prompt_builder_set_time (NatterPromptBuilder *self,
                                GDateTime           *now,
                                GDateTime           *last_message)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->last_message, g_date_time_unref);
  if (now != NULL)
    self->now = g_date_time_ref (now);
  if (last_message != NULL)
    self->last_message = g_date_time_ref (last_message);
}

void
natter_prompt_builder_set_random_seed (NatterPromptBuilder *self,
                                       guint32              seed)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  self->has_seed = TRUE;
  self->seed = seed;
}

void
natter_prompt_builder_set_preset (NatterPromptBuilder *self,
                                  NatterPreset        *preset)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_set_object (&self->preset, preset);
}

void
natter_prompt_builder_set_post_history (NatterPromptBuilder *self,
                                        const char          *text)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_free (self->post_history);
  self->post_history = g_strdup (text);
}

void
natter_prompt_builder_set_summary (NatterPromptBuilder *self,
                                   const char          *summary)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_free (self->summary);
  self->summary = summary != NULL && *summary != '\0' ? g_strdup (summary) : NULL;
}

void
natter_prompt_builder_set_prefill (NatterPromptBuilder *self,
                                   const char          *text,
                                   gboolean             as_message)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_free (self->prefill);
  self->prefill = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
  self->prefill_message = as_message;
}

void
natter_prompt_builder_set_nudge (NatterPromptBuilder *self,
                                 const char          *text)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  g_free (self->nudge);
  self->nudge = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

void
natter_prompt_builder_set_writer (NatterPromptBuilder *self,
                                  NatterRole           writer)
{
  g_return_if_fail (NATTER_IS_PROMPT_BUILDER (self));

  self->writer = writer;
}

/* --- Building ------------------------------------------------------------ */

static const char *
card_string (JsonObject *card,
             const char *name)
{
  JsonNode *node;

  if (card == NULL)
    return "";
  node = json_object_get_member (card, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return "";

  return json_node_get_string (node);
}

/* Replaces every "{{original}}" (any case) in @text with @original. */
static char *
replace_original (const char *text,
                  const char *original)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (g_ascii_strncasecmp (p, "{{original}}", 12) == 0)
        {
          g_string_append (out, original);
          p += 12;
        }
      else
        g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

/* Splits card example text into "<START>" blocks, each returned without
 * its "<START>" line. Blank blocks are skipped. */
static GPtrArray *
split_examples (const char *mes_example)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = g_strsplit (mes_example, "\n", -1);
  g_autoptr(GString) block = g_string_new (NULL);

  for (guint i = 0; ; i++)
    {
      g_autofree char *stripped = lines[i] ? g_strstrip (g_strdup (lines[i])) : NULL;

      if (lines[i] == NULL || g_ascii_strcasecmp (stripped, "<START>") == 0)
        {
          g_autofree char *text = g_strstrip (g_strdup (block->str));

          if (text[0] != '\0')
            g_ptr_array_add (blocks, g_steal_pointer (&text));
          g_string_truncate (block, 0);
          if (lines[i] == NULL)
            break;
          continue;
        }

      g_string_append (block, lines[i]);
      g_string_append_c (block, '\n');
    }

  return blocks;
}


static void
parts_clear (Parts *parts)
{
  g_free (parts->main);
  g_free (parts->description);
  g_free (parts->personality);
  g_free (parts->scenario);
  g_free (parts->persona);
  g_free (parts->post_history);
  g_free (parts->nudge);
  g_free (parts->lore_before);
  g_free (parts->lore_after);
  g_free (parts->note);
  g_clear_pointer (&parts->examples_raw, g_ptr_array_unref);
  g_clear_pointer (&parts->examples_chat, g_ptr_array_unref);
  g_clear_pointer (&parts->history, g_ptr_array_unref);
  g_clear_pointer (&parts->lore, g_ptr_array_unref);
  g_clear_pointer (&parts->injected, g_ptr_array_unref);
  g_clear_pointer (&parts->macros.rand, g_rand_free);
}

static void
append_part (GString    *s,
             const char *text)
{
  if (text == NULL || text[0] == '\0')
    return;
  if (s->len > 0)
    g_string_append (s, "\n\n");
  g_string_append (s, text);
}

static char *
join_lore (GPtrArray                *lore,
           NatterLorePosition        position,
           const NatterMacroContext *macros)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < lore->len; i++)
    {
      NatterLoreEntry *entry = g_ptr_array_index (lore, i);
      g_autofree char *content = NULL;

      if (entry->position != position)
        continue;
      content = natter_macros_expand (entry->content, macros);
      if (s->len > 0)
        g_string_append_c (s, '\n');
      g_string_append (s, content);
    }

  return g_string_free (s, FALSE);
}

static gboolean
collect_parts (NatterPromptBuilder  *self,
               Parts                *parts,
               GError              **error)
{
  g_autoptr(NatterLorebook) lorebook = natter_lorebook_new ();
  g_autofree const char **texts = NULL;
  g_autofree char *card_prompt = NULL;
  g_autofree char *post = NULL;
  const char *main_prompt;
  JsonNode *book_node;

  parts->macros.user = self->persona_name;
  parts->macros.char_name = self->card ? card_string (self->card, "name") : NULL;
  parts->macros.persona = self->persona_description;
  parts->macros.description = card_string (self->card, "description");
  parts->macros.personality = card_string (self->card, "personality");
  parts->macros.scenario = card_string (self->card, "scenario");
  parts->macros.now = self->now;
  parts->macros.last_message = self->last_message;
  if (self->has_seed)
    parts->macros.rand = g_rand_new_with_seed (self->seed);

  /* The role-play framing only makes sense with a character; a plain chat
   * with the model gets no system prompt unless one is set. */
  if (self->main_prompt != NULL)
    main_prompt = self->main_prompt;
  else
    main_prompt = self->card != NULL ? NATTER_PROMPT_DEFAULT_MAIN : "";
  if (card_string (self->card, "system_prompt")[0] != '\0')
    card_prompt = replace_original (card_string (self->card, "system_prompt"), main_prompt);
  parts->main = natter_macros_expand (card_prompt ? card_prompt : main_prompt, &parts->macros);
  parts->description = natter_macros_expand (parts->macros.description, &parts->macros);
  parts->personality = natter_macros_expand (parts->macros.personality, &parts->macros);
  parts->scenario = natter_macros_expand (parts->macros.scenario, &parts->macros);
  parts->persona = natter_macros_expand (parts->macros.persona, &parts->macros);
  if (card_string (self->card, "post_history_instructions")[0] != '\0')
    post = replace_original (card_string (self->card, "post_history_instructions"),
                             self->post_history != NULL ? self->post_history : "");
  else
    post = g_strdup (self->post_history != NULL ? self->post_history : "");
  parts->post_history = g_strstrip (natter_macros_expand (post, &parts->macros));
  /* A group nudge names {{char}}, an impersonation {{user}}. */
  if (self->nudge != NULL)
    parts->nudge = natter_macros_expand (self->nudge, &parts->macros);

  parts->history = g_ptr_array_new_with_free_func (message_free);
  texts = g_new0 (const char *, self->history->len + 1);
  for (guint i = 0; i < self->history->len; i++)
    {
      HistoryItem *item = &g_array_index (self->history, HistoryItem, i);
      g_autofree char *content = natter_macros_expand (item->content, &parts->macros);

      NatterPromptMessage *m = message_new (item->role, item->name, content);

      for (guint a = 0; item->attachments != NULL && a < item->attachments->len; a++)
        natter_prompt_message_add_attachment (m, natter_attachment_copy (item->attachments->pdata[a]));
      /* An instruct template makes one string: files go into the text. */
      if (self->instruct != NULL)
        natter_prompt_message_fold_attachments (m);
      if (item->tools != NULL)
        natter_prompt_message_copy_tools (m, item->tools);
      g_ptr_array_add (parts->history, m);
      /* Keys are matched against what the model will read. */
      texts[i] = m->content;
    }

  /* Lore: the character's own book and the chat's extra books. */
  book_node = self->card ? json_object_get_member (self->card, "character_book") : NULL;
  if (book_node != NULL && JSON_NODE_HOLDS_OBJECT (book_node))
    {
      g_autoptr(GError) local_error = NULL;

      if (!natter_lorebook_add_book (lorebook, json_node_get_object (book_node), &local_error))
        {
          g_set_error (error, NATTER_PROMPT_BUILDER_ERROR, NATTER_PROMPT_BUILDER_ERROR_LOREBOOK,
                       _("The character’s lorebook cannot be used: %s"), local_error->message);
          return FALSE;
        }
    }
  for (guint i = 0; i < self->extra_books->len; i++)
    if (!natter_lorebook_add_book (lorebook, g_ptr_array_index (self->extra_books, i), error))
      return FALSE;

  parts->lore = natter_lorebook_activate_full (lorebook, texts, self->history->len, 0,
                                               &parts->lore_time_out);
  parts->lore_before = join_lore (parts->lore, NATTER_LORE_POSITION_BEFORE_CHAR, &parts->macros);
  parts->lore_after = join_lore (parts->lore, NATTER_LORE_POSITION_AFTER_CHAR, &parts->macros);
  parts->note = note_due (self) ? natter_macros_expand (self->note, &parts->macros) : NULL;
  parts->note_depth = self->note_depth;
  parts->note_role = self->note_role;
  _natter_prompt_inject_note (parts, self->persona_depth);
  _natter_prompt_inject_at_depth (parts, self->persona_depth);

  parts->examples_raw = split_examples (card_string (self->card, "mes_example"));
  parts->examples_chat = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < parts->examples_raw->len; i++)
    {
      g_autofree char *expanded = natter_macros_expand (g_ptr_array_index (parts->examples_raw, i),
                                                        &parts->macros);
      g_ptr_array_add (parts->examples_chat, g_strconcat (EXAMPLE_HEADER, expanded, NULL));
    }

  return TRUE;
}

/* What an earlier reply's tool calls and results add to the estimate. */
static gint64
tools_cost (const NatterPromptMessage *m)
{
  gint64 cost = 0;

  for (guint j = 0; m->tool_calls != NULL && j < m->tool_calls->len; j++)
    cost += natter_tokens_estimate_message (((NatterToolCall *) g_ptr_array_index (m->tool_calls, j))->arguments);
  for (guint j = 0; m->tool_results != NULL && j < m->tool_results->len; j++)
    cost += natter_tokens_estimate_message (((NatterToolResult *) g_ptr_array_index (m->tool_results, j))->content);
  return cost;
}

/* Builds the result for a choice of examples and history. */
static NatterPromptResult *
assemble (NatterPromptBuilder  *self,
          Parts                *parts,
          guint                 n_examples,
          guint                 history_start,
          GError              **error)
{
  g_autoptr(NatterPromptResult) result = g_new0 (NatterPromptResult, 1);
  g_autoptr(GString) system = g_string_new (NULL);
  g_autofree char *personality = NULL;
  g_autofree char *scenario = NULL;

  result->messages = g_ptr_array_new_with_free_func (message_free);

  if (self->preset != NULL)
    {
      _natter_prompt_blocks_assemble (self->preset, parts, n_examples, history_start,
                                      self->summary, parts->nudge,
                                      self->prefill_message ? self->prefill : NULL,
                                      result->messages);
      goto text_form;
    }

  if (parts->personality[0] != '\0')
    personality = g_strdup_printf ("%s's personality: %s",
                                   parts->macros.char_name && parts->macros.char_name[0]
                                   ? parts->macros.char_name : "Assistant",
                                   parts->personality);
  if (parts->scenario[0] != '\0')
    scenario = g_strdup_printf ("Scenario: %s", parts->scenario);

  append_part (system, parts->main);
  append_part (system, parts->lore_before);
  append_part (system, parts->description);
  append_part (system, personality);
  append_part (system, scenario);
  append_part (system, parts->lore_after);
  append_part (system, parts->persona);
  if (system->len > 0)
    g_ptr_array_add (result->messages, message_new (NATTER_ROLE_SYSTEM, NULL, system->str));

  for (guint i = 0; i < n_examples; i++)
    g_ptr_array_add (result->messages,
                     message_new (NATTER_ROLE_SYSTEM, NULL, g_ptr_array_index (parts->examples_chat, i)));

  for (guint i = history_start; i < parts->history->len; i++)
    {
      NatterPromptMessage *m = g_ptr_array_index (parts->history, i);
      NatterPromptMessage *copy = message_new (m->role, m->name, m->content);

      natter_prompt_message_copy_attachments (copy, m);
      natter_prompt_message_copy_tools (copy, m);
      g_ptr_array_add (result->messages, copy);
    }

  if (parts->post_history[0] != '\0')
    g_ptr_array_add (result->messages,
                     message_new (NATTER_ROLE_SYSTEM, NULL, parts->post_history));

text_form:
  if (self->instruct != NULL)
    {
      g_autoptr(GPtrArray) messages = g_ptr_array_new ();
      g_autoptr(GPtrArray) injected = g_ptr_array_new_with_free_func (message_free);
      g_autoptr(GString) examples = g_string_new (NULL);
      NatterStoryVars vars = {
        .system = parts->main,
        .description = parts->description,
        .personality = parts->personality,
        .scenario = parts->scenario,
        .persona = parts->persona,
        .wi_before = parts->lore_before,
        .wi_after = parts->lore_after,
      };
      g_autoptr(GError) local_error = NULL;

      for (guint i = 0; i < n_examples; i++)
        {
          g_string_append (examples, "<START>\n");
          g_string_append (examples, g_ptr_array_index (parts->examples_raw, i));
          g_string_append_c (examples, '\n');
        }
      vars.mes_examples = examples->str;

      if (self->preset != NULL)
        _natter_prompt_blocks_text_messages (self->preset, parts, history_start, self->summary,
                                             parts->nudge, messages, injected);
      else
        {
          for (guint i = history_start; i < parts->history->len; i++)
            g_ptr_array_add (messages, g_ptr_array_index (parts->history, i));
          if (parts->post_history[0] != '\0')
            g_ptr_array_add (messages, g_ptr_array_index (result->messages, result->messages->len - 1));
        }

      result->text = natter_instruct_format_for (self->instruct, self->context, &vars, messages,
                                                 &parts->macros, self->writer, &result->stop,
                                                 &local_error);
      if (result->text == NULL)
        {
          g_set_error (error, NATTER_PROMPT_BUILDER_ERROR, NATTER_PROMPT_BUILDER_ERROR_TEMPLATE,
                       _("The context template cannot be used: %s"), local_error->message);
          return NULL;
        }
      if (self->prefill != NULL)
        {
          gsize n = strlen (result->text);
          /* After a "Name:" opener the text starts as a message would. */
          gboolean space = n > 0 && result->text[n - 1] == ':' && !g_ascii_isspace (self->prefill[0]);
          char *with_prefill = g_strconcat (result->text, space ? " " : "", self->prefill, NULL);

          g_free (result->text);
          result->text = with_prefill;
        }
      result->input_tokens = natter_tokens_estimate (result->text);
    }
  else
    {
      result->stop = g_new0 (char *, 1);
      result->input_tokens = NATTER_TOKENS_PER_REQUEST;
      for (guint i = 0; i < result->messages->len; i++)
        {
          NatterPromptMessage *m = g_ptr_array_index (result->messages, i);
          result->input_tokens += natter_tokens_estimate_message (m->content) + tools_cost (m);
        }
    }

  result->history_kept = _natter_prompt_history_count (parts, history_start);
  result->history_total = _natter_prompt_history_count (parts, 0);
  result->examples_kept = n_examples;
  result->examples_total = parts->examples_raw->len;
  result->lore = g_ptr_array_ref (parts->lore);
  result->lore_time_out = parts->lore_time_out;

  return g_steal_pointer (&result);
}

/* What one history message or example block adds to the estimate. */
static gint64
history_cost (NatterPromptBuilder *self,
              Parts               *parts,
              guint                i)
{
  NatterPromptMessage *m = g_ptr_array_index (parts->history, i);
  g_autofree char *text = NULL;

  if (self->instruct == NULL)
    return natter_tokens_estimate_message (m->content) + tools_cost (m);

  text = natter_instruct_format_message (self->instruct, m->role, m->name, m->content,
                                         NATTER_INSTRUCT_POSITION_MIDDLE, FALSE, &parts->macros);

  return natter_tokens_estimate (text);
}

static gint64
example_cost (NatterPromptBuilder *self,
              Parts               *parts,
              guint                i)
{
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;

  if (self->instruct == NULL)
    return natter_tokens_estimate_message (g_ptr_array_index (parts->examples_chat, i));

  raw = g_strconcat ("<START>\n", (char *) g_ptr_array_index (parts->examples_raw, i), NULL);
  text = natter_instruct_format_examples (self->instruct, self->context, raw, &parts->macros);

  return natter_tokens_estimate (text);
}

NatterPromptResult *
natter_prompt_builder_build (NatterPromptBuilder  *self,
                             GError              **error)
{
  Parts parts = { { 0 } };
  g_autoptr(NatterPromptResult) result = NULL;
  guint pinned;
  guint start;
  guint n_examples = 0;
  gint64 budget = 0;
  gint64 used;

  g_return_val_if_fail (NATTER_IS_PROMPT_BUILDER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!collect_parts (self, &parts, error))
    goto out;

  /* From the last user message on, the history is never dropped. */
  pinned = parts.history->len;
  for (guint i = parts.history->len; i > 0; i--)
    {
      NatterPromptMessage *m = g_ptr_array_index (parts.history, i - 1);

      if (m->role == NATTER_ROLE_USER)
        {
          pinned = i - 1;
          break;
        }
    }
  if (pinned == parts.history->len && parts.history->len > 0)
    pinned = parts.history->len - 1;

  if (self->context_size <= 0)
    {
      result = assemble (self, &parts, parts.examples_raw->len, 0, error);
      goto out;
    }

  budget = MAX (self->context_size - self->reply_reserve, 0);

  result = assemble (self, &parts, 0, pinned, error);
  if (result == NULL)
    goto out;
  used = result->input_tokens;

  start = pinned;
  while (start > 0)
    {
      gint64 cost = history_cost (self, &parts, start - 1);

      if (used + cost > budget)
        break;
      used += cost;
      start--;
    }
  while (n_examples < parts.examples_raw->len)
    {
      gint64 cost = example_cost (self, &parts, n_examples);

      if (used + cost > budget)
        break;
      used += cost;
      n_examples++;
    }

  /* The per-part costs are estimates of estimates (rounding, first/last
   * sequences): check the real thing and give back what does not fit. */
  for (;;)
    {
      g_clear_pointer (&result, natter_prompt_result_free);
      result = assemble (self, &parts, n_examples, start, error);
      if (result == NULL || result->input_tokens <= budget)
        break;
      if (n_examples > 0)
        n_examples--;
      else if (start < pinned)
        start++;
      else
        {
          result->over_budget = TRUE;
          g_debug ("The fixed parts of the prompt (%" G_GINT64_FORMAT " tokens) exceed the "
                   "budget of %" G_GINT64_FORMAT, result->input_tokens, budget);
          break;
        }
    }

out:
  if (result != NULL)
    result->budget = budget;
  parts_clear (&parts);

  return g_steal_pointer (&result);
}

NatterPrompt *
natter_prompt_builder_build_prompt (NatterPromptBuilder  *self,
                                    NatterPromptResult  **result,
                                    GError              **error)
{
  g_autoptr(NatterPromptResult) built = natter_prompt_builder_build (self, error);
  NatterPrompt *prompt;

  if (built == NULL)
    return NULL;

  prompt = natter_prompt_result_to_prompt (built);
  if (result != NULL)
    *result = g_steal_pointer (&built);

  return prompt;
}

char *
natter_prompt_builder_greeting (JsonObject *card_data,
                                const char *user_name,
                                GStrv      *alternates)
{
  NatterMacroContext macros = { 0 };
  JsonNode *node;
  g_autoptr(GPtrArray) alts = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (card_data != NULL, NULL);

  macros.user = user_name;
  macros.char_name = card_string (card_data, "name");
  macros.description = card_string (card_data, "description");
  macros.personality = card_string (card_data, "personality");
  macros.scenario = card_string (card_data, "scenario");

  if (alternates != NULL)
    {
      node = json_object_get_member (card_data, "alternate_greetings");
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
                g_ptr_array_add (alts, natter_macros_expand (json_node_get_string (item), &macros));
            }
        }
      g_ptr_array_add (alts, NULL);
      *alternates = (GStrv) g_ptr_array_free (g_steal_pointer (&alts), FALSE);
    }

  return natter_macros_expand (card_string (card_data, "first_mes"), &macros);
}
