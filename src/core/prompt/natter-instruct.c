/* natter-instruct.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-instruct"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-instruct.h"
#include "natter-json.h"

G_DEFINE_QUARK (natter-instruct-error-quark, natter_instruct_error)

G_DEFINE_BOXED_TYPE (NatterInstructTemplate, natter_instruct_template,
                     natter_instruct_template_copy, natter_instruct_template_free)
G_DEFINE_BOXED_TYPE (NatterContextTemplate, natter_context_template,
                     natter_context_template_copy, natter_context_template_free)

/* SillyTavern's "Default" story string, used when a text prompt is built
 * without a context template. */
static const char default_story_string[] =
  "{{#if system}}{{system}}\n{{/if}}{{#if wiBefore}}{{wiBefore}}\n{{/if}}"
  "{{#if description}}{{description}}\n{{/if}}"
  "{{#if personality}}{{char}}'s personality: {{personality}}\n{{/if}}"
  "{{#if scenario}}Scenario: {{scenario}}\n{{/if}}{{#if wiAfter}}{{wiAfter}}\n{{/if}}"
  "{{#if persona}}{{persona}}\n{{/if}}";

/* --- Template fields ---------------------------------------------------- */

typedef struct
{
  const char *key;
  gsize       offset;
} Field;

#define IFIELD(f) { #f, G_STRUCT_OFFSET (NatterInstructTemplate, f) }
#define CFIELD(f) { #f, G_STRUCT_OFFSET (NatterContextTemplate, f) }

static const Field instruct_strings[] = {
  IFIELD (name),
  IFIELD (input_sequence),
  IFIELD (input_suffix),
  IFIELD (output_sequence),
  IFIELD (output_suffix),
  IFIELD (system_sequence),
  IFIELD (system_suffix),
  IFIELD (first_input_sequence),
  IFIELD (last_input_sequence),
  IFIELD (first_output_sequence),
  IFIELD (last_output_sequence),
  IFIELD (last_system_sequence),
  IFIELD (system_sequence_prefix),
  IFIELD (system_sequence_suffix),
  IFIELD (story_string_prefix),
  IFIELD (story_string_suffix),
  IFIELD (stop_sequence),
  IFIELD (user_alignment_message),
  IFIELD (activation_regex),
};

static const Field instruct_bools[] = {
  IFIELD (wrap),
  IFIELD (macro),
  IFIELD (skip_examples),
  IFIELD (system_same_as_user),
  IFIELD (sequences_as_stop_strings),
};

static const Field context_strings[] = {
  CFIELD (name),
  CFIELD (story_string),
  CFIELD (example_separator),
  CFIELD (chat_start),
};

static const Field context_bools[] = {
  CFIELD (use_stop_strings),
  CFIELD (names_as_stop_strings),
  CFIELD (always_force_name2),
  CFIELD (trim_sentences),
  CFIELD (single_line),
  CFIELD (allow_jailbreak),
};

static const Field context_ints[] = {
  CFIELD (story_string_position),
  CFIELD (story_string_depth),
  CFIELD (story_string_role),
};

#define STR_AT(obj, field)  (G_STRUCT_MEMBER (char *, (obj), (field)->offset))
#define BOOL_AT(obj, field) (G_STRUCT_MEMBER (gboolean, (obj), (field)->offset))
#define INT_AT(obj, field)  (G_STRUCT_MEMBER (int, (obj), (field)->offset))

static void
fill_empty_strings (gpointer     obj,
                    const Field *fields,
                    guint        n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    if (STR_AT (obj, &fields[i]) == NULL)
      STR_AT (obj, &fields[i]) = g_strdup ("");
}

static void
copy_strings (gpointer      dest,
              gconstpointer src,
              const Field  *fields,
              guint         n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    STR_AT (dest, &fields[i]) = g_strdup (STR_AT ((gpointer) src, &fields[i]));
}

static void
free_strings (gpointer     obj,
              const Field *fields,
              guint        n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    g_free (STR_AT (obj, &fields[i]));
}

static NatterInstructTemplate *
instruct_template_new (void)
{
  NatterInstructTemplate *self = g_new0 (NatterInstructTemplate, 1);

  /* SillyTavern's defaults for keys a file leaves out. */
  self->wrap = TRUE;
  self->macro = TRUE;
  self->sequences_as_stop_strings = TRUE;
  self->names_behavior = NATTER_NAMES_BEHAVIOR_FORCE;

  return self;
}

static NatterContextTemplate *
context_template_new (void)
{
  NatterContextTemplate *self = g_new0 (NatterContextTemplate, 1);

  self->use_stop_strings = TRUE;
  self->names_as_stop_strings = TRUE;
  self->always_force_name2 = TRUE;

  return self;
}

NatterInstructTemplate *
natter_instruct_template_copy (const NatterInstructTemplate *self)
{
  NatterInstructTemplate *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy_strings (copy, self, instruct_strings, G_N_ELEMENTS (instruct_strings));

  return copy;
}

void
natter_instruct_template_free (NatterInstructTemplate *self)
{
  if (self == NULL)
    return;

  free_strings (self, instruct_strings, G_N_ELEMENTS (instruct_strings));
  g_free (self);
}

NatterContextTemplate *
natter_context_template_copy (const NatterContextTemplate *self)
{
  NatterContextTemplate *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy_strings (copy, self, context_strings, G_N_ELEMENTS (context_strings));

  return copy;
}

void
natter_context_template_free (NatterContextTemplate *self)
{
  if (self == NULL)
    return;

  free_strings (self, context_strings, G_N_ELEMENTS (context_strings));
  g_free (self);
}

/* --- JSON import -------------------------------------------------------- */

static JsonObject *
parse_object (JsonParser  *parser,
              const char  *json,
              const char  *section,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;

  if (json == NULL || !natter_json_parser_load (parser, json, -1, &local_error))
    {
      g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_INVALID,
                   /* Translators: %s is the template's kind as SillyTavern names it,
                    * “instruct” or “context”; the second %s says what is wrong */
                   _("The “%s” template is not valid JSON: %s"), section,
                   local_error ? local_error->message : _("no data"));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_INVALID,
                   /* Translators: %s is “instruct” or “context” */
                   _("The “%s” template must be a JSON object"), section);
      return NULL;
    }

  object = json_node_get_object (root);

  /* SillyTavern's "master" export holds both kinds in one file. */
  if (json_object_has_member (object, section))
    {
      JsonNode *inner = json_object_get_member (object, section);

      if (!JSON_NODE_HOLDS_OBJECT (inner))
        {
          g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_INVALID,
                       _("The “%s” member of the template file must be an object"), section);
          return NULL;
        }
      object = json_node_get_object (inner);
    }

  return object;
}

static gboolean
read_fields (JsonObject   *object,
             gpointer      obj,
             const Field  *strings,
             guint         n_strings,
             const Field  *bools,
             guint         n_bools,
             const Field  *ints,
             guint         n_ints,
             GError      **error)
{
  for (guint i = 0; i < n_strings; i++)
    {
      JsonNode *node = json_object_get_member (object, strings[i].key);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_INVALID,
                       _("The template field “%s” must be a string"), strings[i].key);
          return FALSE;
        }
      g_free (STR_AT (obj, &strings[i]));
      STR_AT (obj, &strings[i]) = g_strdup (json_node_get_string (node));
    }

  for (guint i = 0; i < n_bools; i++)
    {
      JsonNode *node = json_object_get_member (object, bools[i].key);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_INVALID,
                       _("The template field “%s” must be true or false"), bools[i].key);
          return FALSE;
        }
      BOOL_AT (obj, &bools[i]) = json_node_get_boolean (node);
    }

  for (guint i = 0; i < n_ints; i++)
    {
      JsonNode *node = json_object_get_member (object, ints[i].key);
      GType type;

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;
      type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
      if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
        {
          g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_INVALID,
                       _("The template field “%s” must be a number"), ints[i].key);
          return FALSE;
        }
      INT_AT (obj, &ints[i]) = (int) CLAMP (json_node_get_int (node), G_MININT, G_MAXINT);
    }

  return TRUE;
}

NatterInstructTemplate *
natter_instruct_template_new_from_json (const char  *json,
                                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(NatterInstructTemplate) self = NULL;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = parse_object (parser, json, "instruct", error);
  if (object == NULL)
    return NULL;

  self = instruct_template_new ();
  if (!read_fields (object, self,
                    instruct_strings, G_N_ELEMENTS (instruct_strings),
                    instruct_bools, G_N_ELEMENTS (instruct_bools),
                    NULL, 0, error))
    return NULL;
  fill_empty_strings (self, instruct_strings, G_N_ELEMENTS (instruct_strings));

  node = json_object_get_member (object, "names_behavior");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      const char *value = JSON_NODE_HOLDS_VALUE (node) &&
                          json_node_get_value_type (node) == G_TYPE_STRING
                          ? json_node_get_string (node) : NULL;

      if (g_strcmp0 (value, "none") == 0)
        self->names_behavior = NATTER_NAMES_BEHAVIOR_NONE;
      else if (g_strcmp0 (value, "force") == 0)
        self->names_behavior = NATTER_NAMES_BEHAVIOR_FORCE;
      else if (g_strcmp0 (value, "always") == 0)
        self->names_behavior = NATTER_NAMES_BEHAVIOR_ALWAYS;
      else
        {
          g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_INVALID,
                       _("The template field “names_behavior” must be “none”, “force” or “always”"));
          return NULL;
        }
    }
  else
    {
      /* Older files: "names" and "names_force_groups" booleans. */
      if (json_object_has_member (object, "names") &&
          natter_json_object_get_bool (object, "names", FALSE))
        self->names_behavior = NATTER_NAMES_BEHAVIOR_ALWAYS;
      else if (natter_json_object_get_bool (object, "names_force_groups", TRUE))
        self->names_behavior = NATTER_NAMES_BEHAVIOR_FORCE;
      else
        self->names_behavior = NATTER_NAMES_BEHAVIOR_NONE;
    }

  return g_steal_pointer (&self);
}

NatterContextTemplate *
natter_context_template_new_from_json (const char  *json,
                                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(NatterContextTemplate) self = NULL;
  g_autoptr(GError) render_error = NULL;
  g_autofree char *check = NULL;
  JsonObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = parse_object (parser, json, "context", error);
  if (object == NULL)
    return NULL;

  self = context_template_new ();
  if (!read_fields (object, self,
                    context_strings, G_N_ELEMENTS (context_strings),
                    context_bools, G_N_ELEMENTS (context_bools),
                    context_ints, G_N_ELEMENTS (context_ints), error))
    return NULL;
  fill_empty_strings (self, context_strings, G_N_ELEMENTS (context_strings));

  /* A story string that cannot render is refused now, not at send time. */
  check = natter_story_string_render (self->story_string, NULL, NULL, &render_error);
  if (check == NULL)
    {
      g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_TEMPLATE,
                   _("The context template’s story string is broken: %s"), render_error->message);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* --- Formatting --------------------------------------------------------------- */

static const char *
nonempty (const char *a,
          const char *b)
{
  return a != NULL && a[0] != '\0' ? a : b;
}

static char *
seq (const NatterInstructTemplate *instruct,
     const char                   *sequence,
     const NatterMacroContext     *macros)
{
  if (instruct->macro)
    return natter_macros_expand (sequence, macros);

  return g_strdup (sequence ? sequence : "");
}

static const char *
default_name (NatterRole                role,
              const NatterMacroContext *macros)
{
  const char *name = NULL;

  if (macros != NULL)
    name = role == NATTER_ROLE_USER ? macros->user : macros->char_name;
  if (name == NULL || name[0] == '\0')
    name = role == NATTER_ROLE_USER ? "User" : "Assistant";

  return name;
}

char *
natter_instruct_format_message (const NatterInstructTemplate *instruct,
                                NatterRole                    role,
                                const char                   *name,
                                const char                   *content,
                                NatterInstructPosition        position,
                                gboolean                      force_names,
                                const NatterMacroContext     *macros)
{
  const char *sequence;
  const char *suffix;
  gboolean names;
  g_autofree char *prefix = NULL;
  GString *out;

  g_return_val_if_fail (instruct != NULL, NULL);

  switch (role)
    {
    case NATTER_ROLE_USER:
      sequence = instruct->input_sequence;
      if (position & NATTER_INSTRUCT_POSITION_FIRST)
        sequence = nonempty (instruct->first_input_sequence, sequence);
      if (position & NATTER_INSTRUCT_POSITION_LAST)
        sequence = nonempty (instruct->last_input_sequence, sequence);
      suffix = instruct->input_suffix;
      break;

    case NATTER_ROLE_ASSISTANT:
      sequence = instruct->output_sequence;
      if (position & NATTER_INSTRUCT_POSITION_FIRST)
        sequence = nonempty (instruct->first_output_sequence, sequence);
      suffix = instruct->output_suffix;
      break;

    case NATTER_ROLE_SYSTEM:
    default:
      if (instruct->system_same_as_user)
        {
          sequence = instruct->input_sequence;
          suffix = instruct->input_suffix;
        }
      else
        {
          sequence = instruct->system_sequence;
          if (position & NATTER_INSTRUCT_POSITION_LAST)
            sequence = nonempty (instruct->last_system_sequence, sequence);
          suffix = instruct->system_suffix;
        }
      break;
    }

  names = role != NATTER_ROLE_SYSTEM &&
          (instruct->names_behavior == NATTER_NAMES_BEHAVIOR_ALWAYS ||
           (instruct->names_behavior == NATTER_NAMES_BEHAVIOR_FORCE && force_names));

  prefix = seq (instruct, sequence, macros);
  out = g_string_new (prefix);
  if (prefix[0] != '\0' && instruct->wrap)
    g_string_append_c (out, '\n');
  if (names)
    g_string_append_printf (out, "%s: ", name ? name : default_name (role, macros));
  g_string_append (out, content ? content : "");

  {
    g_autofree char *s = seq (instruct, suffix, macros);
    g_string_append (out, s);
  }

  return g_string_free (out, FALSE);
}

/* One turn of example dialogue. */
typedef struct
{
  NatterRole  role;
  GString    *text;
} Turn;

static void
turn_free (gpointer data)
{
  Turn *turn = data;

  g_string_free (turn->text, TRUE);
  g_free (turn);
}

static gboolean
speaker_prefix (const char               *line,
                const NatterMacroContext *macros,
                NatterRole               *role,
                gsize                    *skip)
{
  /* Examples written with the names themselves ("Mira: …"). */
  for (guint i = 0; i < 2; i++)
    {
      NatterRole r = i == 0 ? NATTER_ROLE_USER : NATTER_ROLE_ASSISTANT;
      const char *name = default_name (r, macros);
      gsize len = strlen (name);

      if (strncmp (line, name, len) == 0 && line[len] == ':')
        {
          *role = r;
          *skip = len + 1;
          return TRUE;
        }
    }

  static const struct { const char *prefix; NatterRole role; } prefixes[] = {
    { "{{user}}:", NATTER_ROLE_USER },
    { "<USER>:", NATTER_ROLE_USER },
    { "{{char}}:", NATTER_ROLE_ASSISTANT },
    { "<BOT>:", NATTER_ROLE_ASSISTANT },
    { "<CHAR>:", NATTER_ROLE_ASSISTANT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      gsize len = strlen (prefixes[i].prefix);

      if (g_ascii_strncasecmp (line, prefixes[i].prefix, len) == 0)
        {
          *role = prefixes[i].role;
          *skip = len;
          return TRUE;
        }
    }

  return FALSE;
}

/* Splits raw example text into blocks (at "<START>" lines) of turns. */
static GPtrArray *
parse_examples (const char               *mes_examples,
                const NatterMacroContext *macros)
{
  g_autoptr(GPtrArray) blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_auto(GStrv) lines = g_strsplit (mes_examples ? mes_examples : "", "\n", -1);
  GPtrArray *block = NULL;
  Turn *turn = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (lines[i]));
      NatterRole role;
      gsize skip;

      if (g_ascii_strcasecmp (stripped, "<START>") == 0)
        {
          block = NULL;
          turn = NULL;
          continue;
        }

      if (block == NULL)
        {
          if (stripped[0] == '\0')
            continue;
          block = g_ptr_array_new_with_free_func (turn_free);
          g_ptr_array_add (blocks, block);
        }

      if (speaker_prefix (stripped, macros, &role, &skip))
        {
          const char *text = stripped + skip;

          while (*text == ' ')
            text++;
          turn = g_new0 (Turn, 1);
          turn->role = role;
          turn->text = g_string_new (text);
          g_ptr_array_add (block, turn);
        }
      else if (turn != NULL)
        {
          g_string_append_c (turn->text, '\n');
          g_string_append (turn->text, lines[i]);
        }
      else if (stripped[0] != '\0')
        {
          turn = g_new0 (Turn, 1);
          turn->role = NATTER_ROLE_SYSTEM;
          turn->text = g_string_new (lines[i]);
          g_ptr_array_add (block, turn);
        }
    }

  /* Trailing blank lines belong to nobody. */
  for (guint b = 0; b < blocks->len; b++)
    {
      GPtrArray *bl = g_ptr_array_index (blocks, b);

      for (guint t = 0; t < bl->len; t++)
        {
          Turn *tt = g_ptr_array_index (bl, t);

          while (tt->text->len > 0 && g_ascii_isspace (tt->text->str[tt->text->len - 1]))
            g_string_truncate (tt->text, tt->text->len - 1);
        }
    }

  return g_steal_pointer (&blocks);
}

char *
natter_instruct_format_examples (const NatterInstructTemplate *instruct,
                                 const NatterContextTemplate  *context,
                                 const char                   *mes_examples,
                                 const NatterMacroContext     *macros)
{
  g_autoptr(GPtrArray) blocks = NULL;
  g_autofree char *separator = NULL;
  GString *out;

  g_return_val_if_fail (instruct != NULL, NULL);

  if (mes_examples == NULL || mes_examples[0] == '\0')
    return g_strdup ("");

  separator = natter_macros_expand (context ? context->example_separator : "", macros);
  blocks = parse_examples (mes_examples, macros);
  out = g_string_new (NULL);

  for (guint b = 0; b < blocks->len; b++)
    {
      GPtrArray *block = g_ptr_array_index (blocks, b);

      if (separator[0] != '\0')
        {
          g_string_append (out, separator);
          g_string_append_c (out, '\n');
        }

      for (guint t = 0; t < block->len; t++)
        {
          Turn *turn = g_ptr_array_index (block, t);
          g_autofree char *content = natter_macros_expand (turn->text->str, macros);

          if (instruct->skip_examples)
            {
              const char *who = turn->role == NATTER_ROLE_SYSTEM ? NULL
                                : default_name (turn->role, macros);

              if (who != NULL)
                g_string_append_printf (out, "%s: ", who);
              g_string_append (out, content);
              g_string_append_c (out, '\n');
            }
          else
            {
              g_autofree char *msg = natter_instruct_format_message (instruct, turn->role, NULL,
                                                                     content,
                                                                     NATTER_INSTRUCT_POSITION_MIDDLE,
                                                                     FALSE, macros);
              g_string_append (out, msg);
            }
        }
    }

  return g_string_free (out, FALSE);
}

static void
add_stop (GPtrArray  *stops,
          const char *stop)
{
  if (stop == NULL || stop[0] == '\0')
    return;

  for (guint i = 0; i < stops->len; i++)
    if (g_str_equal (g_ptr_array_index (stops, i), stop))
      return;

  g_ptr_array_add (stops, g_strdup (stop));
}

static void
add_sequence_lines (GPtrArray                    *stops,
                    const NatterInstructTemplate *instruct,
                    const char                   *sequence,
                    const NatterMacroContext     *macros)
{
  g_autofree char *expanded = seq (instruct, sequence, macros);
  g_auto(GStrv) lines = g_strsplit (expanded, "\n", -1);

  /* A stop string that is only white space would end every reply. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (lines[i]));

      if (stripped[0] != '\0')
        add_stop (stops, lines[i]);
    }
}

static GStrv
stop_strings_for (const NatterInstructTemplate *instruct,
                  const NatterContextTemplate  *context,
                  const NatterMacroContext     *macros,
                  NatterRole                    writer)
{
  g_autoptr(GPtrArray) stops = g_ptr_array_new_with_free_func (g_free);

  add_sequence_lines (stops, instruct, instruct->stop_sequence, macros);

  if (instruct->sequences_as_stop_strings)
    {
      const char *sequences[] = {
        instruct->input_sequence, instruct->output_sequence,
        instruct->first_input_sequence, instruct->last_input_sequence,
        instruct->first_output_sequence, instruct->last_output_sequence,
        instruct->system_sequence, instruct->last_system_sequence,
      };

      for (guint i = 0; i < G_N_ELEMENTS (sequences); i++)
        add_sequence_lines (stops, instruct, sequences[i], macros);
    }

  /* Where the other side's turn would begin. */
  if (context == NULL || context->names_as_stop_strings)
    {
      NatterRole other = writer == NATTER_ROLE_USER ? NATTER_ROLE_ASSISTANT : NATTER_ROLE_USER;
      g_autofree char *name = g_strdup_printf ("\n%s:", default_name (other, macros));
      add_stop (stops, name);
    }

  if (context != NULL && context->use_stop_strings)
    {
      g_autofree char *chat_start = natter_macros_expand (context->chat_start, macros);
      g_autofree char *separator = natter_macros_expand (context->example_separator, macros);

      if (g_strstrip (chat_start)[0] != '\0')
        {
          g_autofree char *s = g_strconcat ("\n", chat_start, NULL);
          add_stop (stops, s);
        }
      if (g_strstrip (separator)[0] != '\0')
        {
          g_autofree char *s = g_strconcat ("\n", separator, NULL);
          add_stop (stops, s);
        }
    }

  g_ptr_array_add (stops, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&stops), FALSE);
}

GStrv
natter_instruct_stop_strings (const NatterInstructTemplate *instruct,
                              const NatterContextTemplate  *context,
                              const NatterMacroContext     *macros)
{
  g_return_val_if_fail (instruct != NULL, NULL);

  return stop_strings_for (instruct, context, macros, NATTER_ROLE_ASSISTANT);
}

char *
natter_instruct_format (const NatterInstructTemplate *instruct,
                        const NatterContextTemplate  *context,
                        const NatterStoryVars        *vars,
                        GPtrArray                    *messages,
                        const NatterMacroContext     *macros,
                        GStrv                        *stop_strings,
                        GError                      **error)
{
  return natter_instruct_format_for (instruct, context, vars, messages, macros,
                                     NATTER_ROLE_ASSISTANT, stop_strings, error);
}

char *
natter_instruct_format_for (const NatterInstructTemplate *instruct,
                            const NatterContextTemplate  *context,
                            const NatterStoryVars        *vars,
                            GPtrArray                    *messages,
                            const NatterMacroContext     *macros,
                            NatterRole                    writer,
                            GStrv                        *stop_strings,
                            GError                      **error)
{
  static const NatterStoryVars no_vars = { 0 };
  const char *story_template;
  NatterStoryVars story_vars;
  g_autofree char *examples = NULL;
  g_autofree char *story = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  g_autofree char *opener = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const char *sep;
  gboolean uses_examples;
  gboolean names;
  int first_user = -1, last_user = -1, first_char = -1, last_system = -1;

  g_return_val_if_fail (instruct != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (vars == NULL)
    vars = &no_vars;

  sep = instruct->wrap ? "\n" : "";
  story_template = context != NULL ? context->story_string : default_story_string;
  uses_examples = strstr (story_template, "mesExamples") != NULL;

  examples = natter_instruct_format_examples (instruct, context, vars->mes_examples, macros);
  story_vars = *vars;
  story_vars.mes_examples = examples;

  story = natter_story_string_render (story_template, &story_vars, macros, error);
  if (story == NULL)
    return NULL;

  prefix = g_strconcat (instruct->system_sequence_prefix, instruct->story_string_prefix, NULL);
  suffix = g_strconcat (instruct->story_string_suffix, instruct->system_sequence_suffix, NULL);
  if (instruct->macro)
    {
      char *p = natter_macros_expand (prefix, macros);
      char *s = natter_macros_expand (suffix, macros);

      g_free (prefix);
      g_free (suffix);
      prefix = p;
      suffix = s;
    }

  if (story[0] != '\0')
    {
      g_string_append (out, prefix);
      g_string_append (out, story);
      g_string_append (out, suffix);
      if (instruct->wrap && out->str[out->len - 1] != '\n')
        g_string_append_c (out, '\n');
    }

  if (!uses_examples)
    g_string_append (out, examples);

  if (context != NULL && context->chat_start[0] != '\0')
    {
      g_autofree char *chat_start = natter_macros_expand (context->chat_start, macros);

      g_string_append (out, chat_start);
      g_string_append (out, sep);
    }

  for (guint i = 0; messages != NULL && i < messages->len; i++)
    {
      NatterPromptMessage *m = g_ptr_array_index (messages, i);

      if (m->role == NATTER_ROLE_USER)
        {
          if (first_user < 0)
            first_user = i;
          last_user = i;
        }
      else if (m->role == NATTER_ROLE_ASSISTANT)
        {
          if (first_char < 0)
            first_char = i;
        }
      else
        last_system = i;
    }

  /* Templates that need a user turn first say what it is. */
  if (instruct->user_alignment_message[0] != '\0' && messages != NULL && messages->len > 0 &&
      ((NatterPromptMessage *) g_ptr_array_index (messages, 0))->role == NATTER_ROLE_ASSISTANT)
    {
      g_autofree char *content = natter_macros_expand (instruct->user_alignment_message, macros);
      g_autofree char *text = natter_instruct_format_message (instruct, NATTER_ROLE_USER, NULL, content,
                                                              NATTER_INSTRUCT_POSITION_MIDDLE,
                                                              FALSE, macros);
      g_string_append (out, text);
    }

  for (guint i = 0; messages != NULL && i < messages->len; i++)
    {
      NatterPromptMessage *m = g_ptr_array_index (messages, i);
      NatterInstructPosition position = NATTER_INSTRUCT_POSITION_MIDDLE;
      g_autofree char *text = NULL;

      if ((int) i == first_user || (int) i == first_char)
        position |= NATTER_INSTRUCT_POSITION_FIRST;
      if ((int) i == last_user || (int) i == last_system)
        position |= NATTER_INSTRUCT_POSITION_LAST;

      text = natter_instruct_format_message (instruct, m->role, m->name, m->content,
                                             position, FALSE, macros);
      g_string_append (out, text);
    }

  /* The person's own next message (impersonation) opens as their turns
   * do, so the model writes it and not the character's. */
  if (writer == NATTER_ROLE_USER)
    opener = seq (instruct, instruct->input_sequence, macros);
  else
    opener = seq (instruct, nonempty (instruct->last_output_sequence, instruct->output_sequence),
                  macros);
  names = instruct->names_behavior == NATTER_NAMES_BEHAVIOR_ALWAYS;
  g_string_append (out, opener);
  if (names)
    {
      if (opener[0] != '\0')
        g_string_append (out, sep);
      g_string_append_printf (out, "%s:", default_name (writer == NATTER_ROLE_USER
                                                        ? NATTER_ROLE_USER : NATTER_ROLE_ASSISTANT,
                                                        macros));
    }
  else if (opener[0] != '\0')
    g_string_append (out, sep);

  if (stop_strings != NULL)
    *stop_strings = stop_strings_for (instruct, context, macros, writer);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
