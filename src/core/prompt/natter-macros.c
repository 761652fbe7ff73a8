/* natter-macros.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-macros"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-macros.h"

/* Values inserted for {{description}} etc. may contain macros themselves;
 * one level of nesting is what cards use, two keeps a self-referencing
 * description from looping. */
#define MAX_DEPTH 2

static void expand_into (GString                  *out,
                         const char               *text,
                         const NatterMacroContext *ctx,
                         int                       depth);

static const char *
or_empty (const char *s)
{
  return s != NULL ? s : "";
}

static const char *
user_name (const NatterMacroContext *ctx)
{
  return ctx->user != NULL && ctx->user[0] != '\0' ? ctx->user : "User";
}

static const char *
char_name (const NatterMacroContext *ctx)
{
  return ctx->char_name != NULL && ctx->char_name[0] != '\0' ? ctx->char_name : "Assistant";
}

char *
natter_macros_humanize_duration (GTimeSpan span)
{
  gint64 s = span / G_TIME_SPAN_SECOND;
  gint64 n;

  if (s < 0)
    s = -s;

  /* The thresholds of moment.js' humanize(), which is what card authors
   * have seen this macro produce. */
  if (s < 45)
    return g_strdup (_("a few seconds"));
  if (s < 90)
    return g_strdup (_("a minute"));
  if (s < 45 * 60)
    {
      n = (s + 30) / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", n), (int) n);
    }
  if (s < 90 * 60)
    return g_strdup (_("an hour"));
  if (s < 22 * 3600)
    {
      n = (s + 1800) / 3600;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", n), (int) n);
    }
  if (s < 36 * 3600)
    return g_strdup (_("a day"));
  if (s < 26 * 86400)
    {
      n = (s + 43200) / 86400;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", n), (int) n);
    }
  if (s < 45 * 86400)
    return g_strdup (_("a month"));
  if (s < 320 * 86400)
    {
      n = (s + 15 * 86400) / (30 * 86400);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d month", "%d months", n), (int) n);
    }
  if (s < 548 * 86400)
    return g_strdup (_("a year"));

  n = (s + 182 * 86400) / (365 * 86400);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d year", "%d years", n), (int) n);
}

static GDateTime *
ctx_now (const NatterMacroContext *ctx)
{
  if (ctx->now != NULL)
    return g_date_time_ref (ctx->now);

  return g_date_time_new_now_local ();
}

static void
append_time (GString                  *out,
             const NatterMacroContext *ctx)
{
  g_autoptr(GDateTime) now = ctx_now (ctx);
  int hour = g_date_time_get_hour (now);
  int h12 = hour % 12 == 0 ? 12 : hour % 12;

  g_string_append_printf (out, "%d:%02d %s", h12, g_date_time_get_minute (now),
                          hour < 12 ? "AM" : "PM");
}

static void
append_date (GString                  *out,
             const NatterMacroContext *ctx)
{
  /* Fixed English forms, as moment.js writes them by default: a prompt
   * must not change with the desktop's locale. */
  static const char * const months[] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
  };
  g_autoptr(GDateTime) now = ctx_now (ctx);

  g_string_append_printf (out, "%s %d, %d", months[g_date_time_get_month (now) - 1],
                          g_date_time_get_day_of_month (now), g_date_time_get_year (now));
}

static void
append_random (GString                  *out,
               const char               *args,
               const NatterMacroContext *ctx)
{
  g_auto(GStrv) items = NULL;
  guint n;
  gint32 pick;

  /* {{random::a::b}} allows commas inside items; {{random:a,b}} does not. */
  if (g_str_has_prefix (args, ":"))
    items = g_strsplit (args + 1, "::", -1);
  else
    items = g_strsplit (args, ",", -1);

  n = g_strv_length (items);
  if (n == 0)
    return;

  if (ctx->rand != NULL)
    pick = g_rand_int_range (ctx->rand, 0, (gint32) n);
  else
    pick = g_random_int_range (0, (gint32) n);

  if (g_str_has_prefix (args, ":"))
    g_string_append (out, items[pick]);
  else
    {
      g_autofree char *item = g_strstrip (g_strdup (items[pick]));
      g_string_append (out, item);
    }
}

/* Appends the expansion of the macro named by @name (the text between the
 * braces, @len bytes). FALSE when it is not a macro we know. */
static gboolean
expand_macro (GString                  *out,
              const char               *name,
              gsize                     len,
              const NatterMacroContext *ctx,
              int                       depth)
{
  g_autofree char *raw = g_strndup (name, len);
  g_autofree char *key = g_ascii_strdown (g_strstrip (raw), -1);
  const char *nested = NULL;

  if (g_str_equal (key, "char"))
    g_string_append (out, char_name (ctx));
  else if (g_str_equal (key, "user"))
    g_string_append (out, user_name (ctx));
  else if (g_str_equal (key, "persona"))
    nested = or_empty (ctx->persona);
  else if (g_str_equal (key, "description"))
    nested = or_empty (ctx->description);
  else if (g_str_equal (key, "personality"))
    nested = or_empty (ctx->personality);
  else if (g_str_equal (key, "scenario"))
    nested = or_empty (ctx->scenario);
  else if (g_str_equal (key, "time"))
    append_time (out, ctx);
  else if (g_str_equal (key, "date"))
    append_date (out, ctx);
  else if (g_str_equal (key, "idle_duration"))
    {
      g_autofree char *text = NULL;

      if (ctx->last_message == NULL)
        text = g_strdup (_("just now"));
      else
        {
          g_autoptr(GDateTime) now = ctx_now (ctx);
          text = natter_macros_humanize_duration (g_date_time_difference (now, ctx->last_message));
        }
      g_string_append (out, text);
    }
  else if (g_str_equal (key, "newline"))
    g_string_append_c (out, '\n');
  else if (g_str_equal (key, "noop"))
    ;
  else if (g_str_has_prefix (key, "random:"))
    {
      /* Items keep their case: take them from the raw text. */
      const char *args = strchr (raw, ':') + 1;
      append_random (out, args, ctx);
    }
  else
    return FALSE;

  if (nested != NULL)
    {
      if (depth < MAX_DEPTH)
        expand_into (out, nested, ctx, depth + 1);
      else
        g_string_append (out, nested);
    }

  return TRUE;
}

static gboolean
match_legacy (GString                  *out,
              const char               *p,
              gsize                    *consumed,
              const NatterMacroContext *ctx)
{
  if (g_ascii_strncasecmp (p, "<USER>", 6) == 0)
    g_string_append (out, user_name (ctx));
  else if (g_ascii_strncasecmp (p, "<BOT>", 5) == 0)
    g_string_append (out, char_name (ctx));
  else if (g_ascii_strncasecmp (p, "<CHAR>", 6) == 0)
    g_string_append (out, char_name (ctx));
  else
    return FALSE;

  *consumed = p[1] == 'B' || p[1] == 'b' ? 5 : 6;

  return TRUE;
}

static void
expand_into (GString                  *out,
             const char               *text,
             const NatterMacroContext *ctx,
             int                       depth)
{
  const char *p = text;
  /* The next "}}" at or after p + 2, found once and reused, so that text
   * full of "{{" stays linear. */
  const char *close = NULL;
  gboolean no_close = FALSE;

  while (*p != '\0')
    {
      if (p[0] == '{' && p[1] == '{' && !no_close)
        {
          if (close == NULL || close < p + 2)
            close = strstr (p + 2, "}}");
          if (close == NULL)
            {
              no_close = TRUE;
              g_string_append_c (out, *p++);
              continue;
            }

          /* "{{ {{char}}" and "{{{char}}": the macro is the last "{{". */
          if (p[2] == '{' || g_strstr_len (p + 2, close - (p + 2), "{{") != NULL)
            {
              g_string_append_c (out, *p++);
              continue;
            }

          if (!expand_macro (out, p + 2, close - (p + 2), ctx, depth))
            /* Unknown macro: keep it whole so that a later pass (the
             * story string renderer) can still see it. */
            g_string_append_len (out, p, close + 2 - p);
          p = close + 2;
          continue;
        }

      if (p[0] == '<')
        {
          gsize consumed = 0;

          if (match_legacy (out, p, &consumed, ctx))
            {
              p += consumed;
              continue;
            }
        }

      g_string_append_c (out, *p++);
    }
}

char *
natter_macros_expand (const char               *text,
                      const NatterMacroContext *ctx)
{
  static const NatterMacroContext empty = { 0 };
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  if (ctx == NULL)
    ctx = &empty;
  /* Most chat messages hold no macro at all: copied as they are. */
  if (strpbrk (text, "{<") == NULL)
    return g_strdup (text);

  out = g_string_sized_new (strlen (text) + 16);
  expand_into (out, text, ctx, 0);

  return g_string_free (out, FALSE);
}
