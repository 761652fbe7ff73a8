/* natter-story-string.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-instruct"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-instruct.h"

/* The handlebars subset of SillyTavern's story strings. */

/* A marker for {{trim}} between rendering and trimming: a control
 * character no story string contains. */
#define TRIM_MARK '\x01'

/* Real story strings nest two or three deep; the limit keeps a hostile
 * template from exhausting the stack. */
#define MAX_NESTING 32

typedef enum
{
  STOP_END,
  STOP_ELSE,
  STOP_ENDIF,
  STOP_ERROR,
} StopReason;

static const char *
lookup_var (const char               *name,
            const NatterStoryVars    *vars,
            const NatterMacroContext *macros,
            gboolean                 *known)
{
  static const NatterStoryVars no_vars = { 0 };
  static const struct { const char *name; gsize offset; } table[] = {
    { "system", G_STRUCT_OFFSET (NatterStoryVars, system) },
    { "description", G_STRUCT_OFFSET (NatterStoryVars, description) },
    { "personality", G_STRUCT_OFFSET (NatterStoryVars, personality) },
    { "scenario", G_STRUCT_OFFSET (NatterStoryVars, scenario) },
    { "persona", G_STRUCT_OFFSET (NatterStoryVars, persona) },
    { "wiBefore", G_STRUCT_OFFSET (NatterStoryVars, wi_before) },
    { "loreBefore", G_STRUCT_OFFSET (NatterStoryVars, wi_before) },
    { "wiAfter", G_STRUCT_OFFSET (NatterStoryVars, wi_after) },
    { "loreAfter", G_STRUCT_OFFSET (NatterStoryVars, wi_after) },
    { "mesExamples", G_STRUCT_OFFSET (NatterStoryVars, mes_examples) },
  };

  if (vars == NULL)
    vars = &no_vars;

  *known = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_ascii_strcasecmp (name, table[i].name) == 0)
      return G_STRUCT_MEMBER (const char *, vars, table[i].offset);

  if (g_ascii_strcasecmp (name, "char") == 0)
    return macros ? macros->char_name : NULL;
  if (g_ascii_strcasecmp (name, "user") == 0)
    return macros ? macros->user : NULL;

  *known = FALSE;

  return NULL;
}

static StopReason
render_block (const char              **pp,
              const NatterStoryVars    *vars,
              const NatterMacroContext *macros,
              GString                  *out,
              gboolean                  emit,
              int                       depth,
              GError                  **error)
{
  const char *p = *pp;

  for (;;)
    {
      const char *open = strstr (p, "{{");
      const char *close;
      g_autofree char *tag = NULL;

      if (open == NULL)
        {
          if (emit)
            g_string_append (out, p);
          *pp = p + strlen (p);
          return STOP_END;
        }

      close = strstr (open + 2, "}}");
      if (close == NULL)
        {
          if (emit)
            g_string_append (out, p);
          *pp = p + strlen (p);
          return STOP_END;
        }

      if (emit)
        g_string_append_len (out, p, open - p);

      tag = g_strstrip (g_strndup (open + 2, close - open - 2));
      p = close + 2;

      if (g_str_has_prefix (tag, "#if ") || g_str_has_prefix (tag, "#unless "))
        {
          if (depth >= MAX_NESTING)
            {
              g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_TEMPLATE,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "The story string nests “{{#if}}” more than %d level deep",
                                        "The story string nests “{{#if}}” more than %d levels deep",
                                        MAX_NESTING),
                           MAX_NESTING);
              return STOP_ERROR;
            }

          gboolean unless = tag[1] == 'u';
          const char *var = g_strstrip (tag + (unless ? 8 : 4));
          gboolean known;
          const char *value = lookup_var (var, vars, macros, &known);
          gboolean cond = value != NULL && value[0] != '\0';
          g_autofree char *var_name = g_strdup (var);
          StopReason r;

          if (unless)
            cond = !cond;

          r = render_block (&p, vars, macros, out, emit && cond, depth + 1, error);
          if (r == STOP_ELSE)
            r = render_block (&p, vars, macros, out, emit && !cond, depth + 1, error);
          if (r == STOP_ERROR)
            return STOP_ERROR;
          if (r != STOP_ENDIF)
            {
              g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_TEMPLATE,
                           _("“{{#%s %s}}” is not closed by “{{/%s}}”"),
                           unless ? "unless" : "if", var_name, unless ? "unless" : "if");
              return STOP_ERROR;
            }
          continue;
        }

      if (g_str_equal (tag, "else"))
        {
          if (depth == 0)
            {
              g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_TEMPLATE,
                           _("“{{else}}” outside of “{{#if}}”"));
              return STOP_ERROR;
            }
          *pp = p;
          return STOP_ELSE;
        }

      if (g_str_equal (tag, "/if") || g_str_equal (tag, "/unless"))
        {
          if (depth == 0)
            {
              g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_TEMPLATE,
                           _("“{{%s}}” without a matching “{{#if}}”"), tag);
              return STOP_ERROR;
            }
          *pp = p;
          return STOP_ENDIF;
        }

      if (g_ascii_strcasecmp (tag, "trim") == 0)
        {
          if (emit)
            g_string_append_c (out, TRIM_MARK);
          continue;
        }

      {
        gboolean known;
        const char *value = lookup_var (tag, vars, macros, &known);

        if (!emit)
          continue;
        if (known && g_ascii_strcasecmp (tag, "char") != 0 && g_ascii_strcasecmp (tag, "user") != 0)
          g_string_append (out, value ? value : "");
        else
          /* {{char}}, {{user}} and anything else are macros, expanded
           * over the whole result. */
          g_string_append_len (out, open, p - open);
      }
    }
}

static void
apply_trim (GString *s)
{
  gsize i = 0;

  while (i < s->len)
    {
      if (s->str[i] == TRIM_MARK)
        {
          gsize start = i;
          gsize end = i + 1;

          while (start > 0 && (s->str[start - 1] == '\n' || s->str[start - 1] == '\r'))
            start--;
          while (end < s->len && (s->str[end] == '\n' || s->str[end] == '\r'))
            end++;
          g_string_erase (s, start, end - start);
          i = start;
        }
      else
        i++;
    }
}

char *
natter_story_string_render (const char                *story_string,
                            const NatterStoryVars     *vars,
                            const NatterMacroContext  *macros,
                            GError                   **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = story_string ? story_string : "";
  StopReason r;

  r = render_block (&p, vars, macros, out, TRUE, 0, error);
  if (r == STOP_ERROR)
    return NULL;
  g_assert (r == STOP_END);

  apply_trim (out);

  return natter_macros_expand (out->str, macros);
}

