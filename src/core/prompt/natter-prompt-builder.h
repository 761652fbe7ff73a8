/* natter-prompt-builder.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "natter-dialect.h"
#include "natter-instruct.h"
#include "natter-lorebook.h"
#include "natter-preset.h"

G_BEGIN_DECLS

#define NATTER_PROMPT_BUILDER_ERROR (natter_prompt_builder_error_quark ())
GQuark natter_prompt_builder_error_quark (void);

typedef enum
{
  NATTER_PROMPT_BUILDER_ERROR_LOREBOOK,   /* the character's lorebook cannot be read */
  NATTER_PROMPT_BUILDER_ERROR_TEMPLATE,   /* the context template does not render */
} NatterPromptBuilderError;

/* SillyTavern's default main prompt. */
#define NATTER_PROMPT_DEFAULT_MAIN \
  "Write {{char}}'s next reply in a fictional chat between {{char}} and {{user}}."

/* Everything a build produced. */
typedef struct
{
  GPtrArray *messages;        /* element-type NatterPromptMessage: the chat-dialect form */
  char      *text;            /* the instruct-templated prompt; NULL without an instruct template */
  GStrv      stop;            /* stop strings for the backend; empty (not NULL) for chat */
  gint64     input_tokens;    /* estimate of what is sent (text when set, else messages) */
  gint64     budget;          /* context size minus reply reserve; 0: unlimited */
  gboolean   over_budget;     /* the parts that are never dropped alone exceed the budget */
  GPtrArray *lore;            /* element-type NatterLoreEntry: activated entries */
  gboolean   lore_time_out;   /* regular expression keys ran out of time; some were skipped */
  guint      history_kept;    /* the newest history_kept messages were sent */
  guint      history_total;
  guint      examples_kept;   /* the first examples_kept <START> blocks were sent */
  guint      examples_total;
  GStrv      dropped;         /* settings the preset set that are not sent; set by the caller */
} NatterPromptResult;

void          natter_prompt_result_free      (NatterPromptResult       *result);
/* A NatterPrompt (messages and text) with copies of @result's. */
NatterPrompt *natter_prompt_result_to_prompt (const NatterPromptResult *result);

#define NATTER_TYPE_PROMPT_BUILDER (natter_prompt_builder_get_type ())
G_DECLARE_FINAL_TYPE (NatterPromptBuilder, natter_prompt_builder, NATTER, PROMPT_BUILDER, GObject)

NatterPromptBuilder *natter_prompt_builder_new               (void);

/* @card_data: a Character Card V2 "data" object (name, description,
 * personality, scenario, system_prompt, post_history_instructions,
 * mes_example, character_book); NULL for a chat without a character.
 * The builder keeps a reference; it must not change while it is held. */
void                 natter_prompt_builder_set_character     (NatterPromptBuilder          *self,
                                                              JsonObject                   *card_data);
void                 natter_prompt_builder_set_persona       (NatterPromptBuilder          *self,
                                                              const char                   *name,
                                                              const char                   *description);
/* The persona's description as a system message @depth messages above the
 * end of the history instead of with the card (< 0, the default). */
void                 natter_prompt_builder_set_persona_depth (NatterPromptBuilder          *self,
                                                              int                           depth);
/* History, oldest first. @name nullable. */
/* The author's note: @text (nullable) inserted @depth messages above the
 * end as a @role message, when the number of the person's messages is a
 * multiple of @frequency (1: always, 0: never). Lore entries at the
 * note's top and bottom go with it; without a note they go at @depth on
 * their own. */
void                 natter_prompt_builder_set_authors_note  (NatterPromptBuilder          *self,
                                                              const char                   *text,
                                                              int                           depth,
                                                              NatterRole                    role,
                                                              int                           frequency);
/* For natter_prompt_builder_set_persona_depth(): the persona's
 * description goes before or after the author's note text. */
#define NATTER_PROMPT_PERSONA_NOTE_TOP    (-2)
#define NATTER_PROMPT_PERSONA_NOTE_BOTTOM (-3)
void                 natter_prompt_builder_add_message       (NatterPromptBuilder          *self,
                                                              NatterRole                    role,
                                                              const char                   *name,
                                                              const char                   *content);
/* Copies of @attachments (element-type NatterAttachment) go with the
 * message added last; they reach the dialect with it. */
void                 natter_prompt_builder_add_message_attachments (NatterPromptBuilder *self,
                                                                    GPtrArray           *attachments);
void                 natter_prompt_builder_clear_history     (NatterPromptBuilder          *self);
/* The tool calls and results of the message added last (an earlier reply
 * that called tools): copies of @tools' tool_calls and tool_results go
 * with it to the model, before its text. */
void                 natter_prompt_builder_set_last_tools    (NatterPromptBuilder          *self,
                                                              const NatterPromptMessage    *tools);
/* In tokens; <= 0: unlimited. */
void                 natter_prompt_builder_set_context_size  (NatterPromptBuilder          *self,
                                                              gint64                        tokens);
void                 natter_prompt_builder_set_reply_reserve (NatterPromptBuilder          *self,
                                                              gint64                        tokens);
/* For text-completion backends; @instruct NULL (the default) builds for
 * chat dialects only. @context nullable. Both copied. */
void                 natter_prompt_builder_set_templates     (NatterPromptBuilder          *self,
                                                              const NatterInstructTemplate *instruct,
                                                              const NatterContextTemplate  *context);
/* NULL: NATTER_PROMPT_DEFAULT_MAIN. A card's own system_prompt replaces
 * it; "{{original}}" in the card's prompt stands for it. */
void                 natter_prompt_builder_set_main_prompt   (NatterPromptBuilder          *self,
                                                              const char                   *main_prompt);
/* An extra lorebook (a character_book or world book object) for this
 * chat. Checked now: FALSE with a NATTER_LOREBOOK_ERROR if unusable. */
gboolean             natter_prompt_builder_add_lorebook      (NatterPromptBuilder          *self,
                                                              JsonObject                   *book,
                                                              GError                      **error);
/* For {{time}}, {{date}}, {{idle_duration}}; NULL: now / unknown. */
void                 natter_prompt_builder_set_time          (NatterPromptBuilder          *self,
                                                              GDateTime                    *now,
                                                              GDateTime                    *last_message);
/* Makes {{random}} repeatable; without a seed it is random. */
void                 natter_prompt_builder_set_random_seed   (NatterPromptBuilder          *self,
                                                              guint32                       seed);

/* With a preset, the chat form follows its blocks: their order, roles,
 * positions (before or after the history, or in it at a depth: depth N
 * lands N messages above the end) and enabled flags, consecutive system
 * blocks joined by a blank line when it says "squash_system_messages".
 * Marker blocks stand for the card, persona, lore, examples, summary and
 * history; "main" without text of its own is the main prompt set above.
 * The text form keeps the story string and places in-history and
 * after-history blocks among the messages. */
void                 natter_prompt_builder_set_preset        (NatterPromptBuilder          *self,
                                                              NatterPreset                 *preset);
/* The post-history instructions when the card has none; "{{original}}" in
 * the card's stands for them. */
void                 natter_prompt_builder_set_post_history  (NatterPromptBuilder          *self,
                                                              const char                   *text);
/* A summary of messages that no longer fit, placed by the preset's
 * "summary" block (before the history without a preset). */
void                 natter_prompt_builder_set_summary       (NatterPromptBuilder          *self,
                                                              const char                   *summary);
/* Text the reply starts with: appended after the reply opener in the text
 * form; with @as_message also a final assistant message in the chat form
 * (for providers that continue one). */
void                 natter_prompt_builder_set_prefill       (NatterPromptBuilder          *self,
                                                              const char                   *text,
                                                              gboolean                      as_message);
/* An instruction sent last as a system message (the continue nudge). */
void                 natter_prompt_builder_set_nudge         (NatterPromptBuilder          *self,
                                                              const char                   *text);
/* Whose turn the text form opens: NATTER_ROLE_ASSISTANT (the default, a
 * reply) or NATTER_ROLE_USER (impersonation: the person's next message,
 * see natter_instruct_format_for()). The chat form is not affected. */
void                 natter_prompt_builder_set_writer        (NatterPromptBuilder          *self,
                                                              NatterRole                    writer);

/* Assembles the prompt.
 * Chat form: one system message (main prompt, lore before, description,
 * "{{char}}'s personality: …", "Scenario: …", lore after, persona, each
 * separated by a blank line), one system message per example block
 * ("[Example Chat]\n" + the block), the history, and the post-history
 * instructions as a final system message.
 * Text form (with an instruct template): natter_instruct_format() over the
 * same parts.
 * Budget: context size minus reply reserve. Never dropped: the system
 * parts and the history from the last user message on. Then the newest
 * history that fits, contiguously (older messages are dropped first),
 * then example blocks in order while they still fit — so examples go
 * before any history does. Macros are expanded in every part. */
NatterPromptResult  *natter_prompt_builder_build             (NatterPromptBuilder          *self,
                                                              GError                      **error);
/* natter_prompt_builder_build() as a NatterPrompt; @result (out, nullable)
 * gets the whole result too. */
NatterPrompt        *natter_prompt_builder_build_prompt      (NatterPromptBuilder          *self,
                                                              NatterPromptResult          **result,
                                                              GError                      **error);

/* The first message of a new chat: the card's first_mes with {{user}},
 * {{char}} and the other macros expanded; @alternates (out, nullable) gets
 * the alternate_greetings the same way (empty, not NULL, when none).
 * "" when the card has no greeting. */
char                *natter_prompt_builder_greeting          (JsonObject                   *card_data,
                                                              const char                   *user_name,
                                                              GStrv                        *alternates);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterPromptResult, natter_prompt_result_free)

G_END_DECLS
