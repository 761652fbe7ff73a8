/* natter-instruct.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "natter-dialect.h"
#include "natter-macros.h"

G_BEGIN_DECLS

#define NATTER_INSTRUCT_ERROR (natter_instruct_error_quark ())
GQuark natter_instruct_error_quark (void);

typedef enum
{
  NATTER_INSTRUCT_ERROR_INVALID,      /* not JSON, not an object, a field of the wrong type */
  NATTER_INSTRUCT_ERROR_TEMPLATE,     /* a story string that does not parse ({{#if}} unclosed) */
  NATTER_INSTRUCT_ERROR_NOT_FOUND,    /* no built-in template by that name */
} NatterInstructError;

/* The reply limit sent to a text-completion backend when the connection
 * sets none ("max_tokens" in its settings). */
#define NATTER_TEXT_COMPLETION_MAX_TOKENS 512

/* When speaker names are written before each message ("Alice: Hi"). */
typedef enum
{
  NATTER_NAMES_BEHAVIOR_NONE,
  NATTER_NAMES_BEHAVIOR_FORCE,    /* only in group chats (and for forced avatars) */
  NATTER_NAMES_BEHAVIOR_ALWAYS,
} NatterNamesBehavior;

/* SillyTavern's instruct template (its "instruct" JSON). Strings are never
 * NULL ("" when absent). */
typedef struct
{
  char                *name;
  char                *input_sequence;
  char                *input_suffix;
  char                *output_sequence;
  char                *output_suffix;
  char                *system_sequence;
  char                *system_suffix;
  char                *first_input_sequence;
  char                *last_input_sequence;
  char                *first_output_sequence;
  char                *last_output_sequence;
  char                *last_system_sequence;
  char                *system_sequence_prefix;   /* older name of story_string_prefix */
  char                *system_sequence_suffix;   /* older name of story_string_suffix */
  char                *story_string_prefix;
  char                *story_string_suffix;
  char                *stop_sequence;
  char                *user_alignment_message;
  char                *activation_regex;
  gboolean             wrap;                      /* "\n" between sequence and text */
  gboolean             macro;                     /* expand macros in the sequences */
  gboolean             skip_examples;
  gboolean             system_same_as_user;
  gboolean             sequences_as_stop_strings; /* default TRUE */
  NatterNamesBehavior  names_behavior;
} NatterInstructTemplate;

/* SillyTavern's context template (its "context" JSON). */
typedef struct
{
  char     *name;
  char     *story_string;
  char     *example_separator;
  char     *chat_start;
  gboolean  use_stop_strings;        /* chat_start / example_separator as stops */
  gboolean  names_as_stop_strings;   /* "\n{{user}}:" as a stop; default TRUE */
  gboolean  always_force_name2;
  gboolean  trim_sentences;
  gboolean  single_line;
  gboolean  allow_jailbreak;
  int       story_string_position;   /* 0: top of the prompt (the only one Natter uses) */
  int       story_string_depth;
  int       story_string_role;
} NatterContextTemplate;

#define NATTER_TYPE_INSTRUCT_TEMPLATE (natter_instruct_template_get_type ())
#define NATTER_TYPE_CONTEXT_TEMPLATE  (natter_context_template_get_type ())

GType                   natter_instruct_template_get_type      (void) G_GNUC_CONST;
NatterInstructTemplate *natter_instruct_template_new_from_json (const char                   *json,
                                                                GError                      **error);
/* One of natter_instruct_builtin_names() ("ChatML", "Llama 3 Instruct",
 * "Mistral", …, case-insensitive); NULL with NATTER_INSTRUCT_ERROR_NOT_FOUND
 * otherwise. The built-ins come from the instruct-templates.json resource. */
NatterInstructTemplate *natter_instruct_template_new_builtin   (const char                   *name,
                                                                GError                      **error);
NatterInstructTemplate *natter_instruct_template_copy          (const NatterInstructTemplate *self);
void                    natter_instruct_template_free          (NatterInstructTemplate       *self);

GType                   natter_context_template_get_type       (void) G_GNUC_CONST;
NatterContextTemplate  *natter_context_template_new_from_json  (const char                   *json,
                                                                GError                      **error);
NatterContextTemplate  *natter_context_template_new_builtin    (const char                   *name,
                                                                GError                      **error);
NatterContextTemplate  *natter_context_template_copy           (const NatterContextTemplate  *self);
void                    natter_context_template_free           (NatterContextTemplate        *self);

/* The built-in names, NULL-terminated; the same list for both kinds. */
const char * const     *natter_instruct_builtin_names          (void);

/* The built-in template made for @model, known from its name
 * ("llama-3.1-8b-instruct" → "Llama 3 Instruct", "mistral-small" →
 * "Mistral", "gemma-2-9b-it" → "Gemma 2", "qwen2.5" → "ChatML"), or NULL
 * when the name says nothing. */
const char             *natter_instruct_builtin_for_model      (const char                   *model);

/* The values a story string can refer to ({{system}}, {{description}}, …).
 * All nullable; nothing owned. {{char}} and {{user}} come from the macro
 * context. */
typedef struct
{
  const char *system;
  const char *description;
  const char *personality;
  const char *scenario;
  const char *persona;
  const char *wi_before;     /* {{wiBefore}} / {{loreBefore}} */
  const char *wi_after;      /* {{wiAfter}} / {{loreAfter}} */
  const char *mes_examples;  /* {{mesExamples}}: for natter_story_string_render() the
                              * text as it should appear; for natter_instruct_format()
                              * raw card mes_example text ("<START>" blocks) */
} NatterStoryVars;

/* Renders the handlebars subset of story strings: {{#if var}}…{{else}}…
 * {{/if}} (nestable; a var is true when non-empty), {{var}} for the fields
 * of @vars, {{trim}} (removes itself and the newlines around it); then
 * expands macros with @macros. Unknown {{…}} are left as they are. */
char *natter_story_string_render (const char             *story_string,
                                  const NatterStoryVars  *vars,
                                  const NatterMacroContext *macros,
                                  GError                **error);

/* Where a message sits, for the first/last sequences. */
typedef enum
{
  NATTER_INSTRUCT_POSITION_MIDDLE = 0,
  NATTER_INSTRUCT_POSITION_FIRST  = 1 << 0,   /* first of its role in the chat */
  NATTER_INSTRUCT_POSITION_LAST   = 1 << 1,   /* last of its role in the chat */
} NatterInstructPosition;

/* One message through the template:
 *   sequence + sep + body + suffix      (sep is "\n" when wrap, else "")
 * where sequence/suffix come from the role (system uses the user's when
 * system_same_as_user; first_/last_ sequences replace the plain ones when
 * set and @position says so), body is "Name: content" when names are
 * included (always, or force and @force_names) and the role is not
 * system, else content; an empty sequence drops the sep. @name NULL: the
 * user or character name from @macros. Sequences are macro-expanded when
 * the template says so; @content is used as given. */
char *natter_instruct_format_message (const NatterInstructTemplate *instruct,
                                      NatterRole                    role,
                                      const char                   *name,
                                      const char                   *content,
                                      NatterInstructPosition        position,
                                      gboolean                      force_names,
                                      const NatterMacroContext     *macros);

/* Formats example dialogue (raw card mes_example text: "<START>" blocks of
 * "{{user}}: …" / "{{char}}: …" lines) through @instruct, each block
 * introduced by the context's example_separator when it has one. With
 * skip_examples, the macro-expanded text as it is. */
char *natter_instruct_format_examples (const NatterInstructTemplate *instruct,
                                       const NatterContextTemplate  *context,
                                       const char                   *mes_examples,
                                       const NatterMacroContext     *macros);

/* The whole text-completion prompt:
 *   story (story_string_prefix + rendered story string + suffix, plus "\n"
 *          when wrap and it does not end in one)
 *   examples (when the story string has no {{mesExamples}})
 *   chat_start (+ "\n" when wrap)
 *   user_alignment_message as a user turn, when set and the chat starts
 *   with the assistant
 *   every message of @messages (element-type NatterPromptMessage)
 *   the reply opener: last_output_sequence or output_sequence, then with
 *   names "sep + Char:", without names the sep.
 * @context NULL uses a plain story string (system, lore, description,
 * personality, scenario, persona, one per line).
 * @stop_strings (out, nullable) gets what the backend must stop at: the
 * stop_sequence; with sequences_as_stop_strings every non-blank line of the
 * input/output/system sequences (first/last variants too), without
 * duplicates; "\n{{user}}:" when names_as_stop_strings; "\n" + chat_start
 * and "\n" + example_separator when use_stop_strings. */
char *natter_instruct_format (const NatterInstructTemplate *instruct,
                              const NatterContextTemplate  *context,
                              const NatterStoryVars        *vars,
                              GPtrArray                    *messages,
                              const NatterMacroContext     *macros,
                              GStrv                        *stop_strings,
                              GError                      **error);

/* natter_instruct_format() for a prompt that opens @writer's turn: with
 * NATTER_ROLE_USER (impersonation, the person's next message) the opener
 * is the input_sequence, then with names "sep + User:" (the persona's
 * name), and the names stop string is "\n{{char}}:" instead of
 * "\n{{user}}:". NATTER_ROLE_ASSISTANT is natter_instruct_format(). */
char *natter_instruct_format_for (const NatterInstructTemplate *instruct,
                                  const NatterContextTemplate  *context,
                                  const NatterStoryVars        *vars,
                                  GPtrArray                    *messages,
                                  const NatterMacroContext     *macros,
                                  NatterRole                    writer,
                                  GStrv                        *stop_strings,
                                  GError                      **error);

/* Just the stop strings of natter_instruct_format(). */
GStrv natter_instruct_stop_strings (const NatterInstructTemplate *instruct,
                                    const NatterContextTemplate  *context,
                                    const NatterMacroContext     *macros);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterInstructTemplate, natter_instruct_template_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterContextTemplate, natter_context_template_free)

G_END_DECLS
