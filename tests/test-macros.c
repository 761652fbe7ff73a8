/* test-macros.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "natter-macros.h"
#include "natter-tokens.h"

static void
check (const NatterMacroContext *ctx,
       const char               *text,
       const char               *expected)
{
  g_autofree char *out = natter_macros_expand (text, ctx);

  g_assert_cmpstr (out, ==, expected);
}

static void
test_names (void)
{
  NatterMacroContext ctx = {
    .user = "Alice", .char_name = "Seraphina", .persona = "A traveller.",
    .description = "{{char}} guards the forest.", .personality = "kind",
    .scenario = "{{user}} is lost.",
  };

  check (&ctx, "{{char}} greets {{user}}.", "Seraphina greets Alice.");
  check (&ctx, "{{Char}} / {{CHAR}} / {{USER}} / {{ user }}", "Seraphina / Seraphina / Alice / Alice");
  check (&ctx, "<USER> and <BOT> and <CHAR> and <user>", "Alice and Seraphina and Seraphina and Alice");
  check (&ctx, "{{persona}}|{{personality}}", "A traveller.|kind");
  /* Macros inside the values are expanded too. */
  check (&ctx, "{{description}} {{scenario}}", "Seraphina guards the forest. Alice is lost.");
  check (&ctx, "a{{newline}}b{{noop}}c", "a\nbc");
}

static void
test_unknown_left_alone (void)
{
  NatterMacroContext ctx = { .user = "Alice", .char_name = "Bob" };

  check (&ctx, "{{weather}} {{char}}", "{{weather}} Bob");
  check (&ctx, "{{#if x}}y{{/if}}", "{{#if x}}y{{/if}}");
  check (&ctx, "{{ {{user}}", "{{ Alice");
  check (&ctx, "open {{user", "open {{user");
  check (&ctx, "}} {{}} <USER", "}} {{}} <USER");
  check (&ctx, "", "");
  check (NULL, "{{user}} {{char}}", "User Assistant");
  check (&ctx, NULL, "");
}

static void
test_time_date (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 11, 22, 15, 7, 0);
  g_autoptr(GDateTime) morning = g_date_time_new (utc, 2026, 3, 1, 0, 5, 0);
  g_autoptr(GDateTime) five_min = g_date_time_add_minutes (now, -5);
  g_autoptr(GDateTime) three_days = g_date_time_add_days (now, -3);
  NatterMacroContext ctx = { .now = now, .last_message = five_min };

  check (&ctx, "{{time}} on {{date}}", "3:07 PM on November 22, 2026");
  check (&ctx, "idle {{idle_duration}}", "idle 5 minutes");
  ctx.last_message = three_days;
  check (&ctx, "{{IDLE_DURATION}}", "3 days");
  ctx.last_message = NULL;
  check (&ctx, "{{idle_duration}}", "just now");
  ctx.now = morning;
  check (&ctx, "{{time}} {{date}}", "12:05 AM March 1, 2026");
}

static void
test_humanize (void)
{
  struct { GTimeSpan span; const char *text; } cases[] = {
    { 10 * G_TIME_SPAN_SECOND, "a few seconds" },
    { 60 * G_TIME_SPAN_SECOND, "a minute" },
    { 44 * G_TIME_SPAN_MINUTE, "44 minutes" },
    { 60 * G_TIME_SPAN_MINUTE, "an hour" },
    { 5 * G_TIME_SPAN_HOUR, "5 hours" },
    { 30 * G_TIME_SPAN_HOUR, "a day" },
    { 10 * G_TIME_SPAN_DAY, "10 days" },
    { 40 * G_TIME_SPAN_DAY, "a month" },
    { 90 * G_TIME_SPAN_DAY, "3 months" },
    { 400 * G_TIME_SPAN_DAY, "a year" },
    { 3 * 365 * G_TIME_SPAN_DAY, "3 years" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = natter_macros_humanize_duration (cases[i].span);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  NatterMacroContext ctx = { .rand = rand };
  gboolean seen[3] = { FALSE, FALSE, FALSE };
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;

  for (int i = 0; i < 200; i++)
    {
      g_autofree char *out = natter_macros_expand ("{{random:red, green,blue}}", &ctx);

      if (g_str_equal (out, "red"))
        seen[0] = TRUE;
      else if (g_str_equal (out, "green"))
        seen[1] = TRUE;
      else if (g_str_equal (out, "blue"))
        seen[2] = TRUE;
      else
        g_assert_not_reached ();
    }
  g_assert_true (seen[0] && seen[1] && seen[2]);

  /* "::" items may hold commas and keep their spaces. */
  for (int i = 0; i < 50; i++)
    {
      g_autofree char *out = natter_macros_expand ("{{RANDOM::a, b::c d}}", &ctx);
      g_assert_true (g_str_equal (out, "a, b") || g_str_equal (out, "c d"));
    }

  /* The same seed gives the same choices. */
  {
    g_autoptr(GRand) r1 = g_rand_new_with_seed (7);
    g_autoptr(GRand) r2 = g_rand_new_with_seed (7);
    NatterMacroContext c1 = { .rand = r1 };
    NatterMacroContext c2 = { .rand = r2 };
    const char *text = "{{random:1,2,3,4,5,6,7,8,9}}{{random:1,2,3,4,5,6,7,8,9}}{{random:1,2,3,4,5,6,7,8,9}}";

    first = natter_macros_expand (text, &c1);
    again = natter_macros_expand (text, &c2);
    g_assert_cmpstr (first, ==, again);
    g_assert_cmpuint (strlen (first), ==, 3);
  }
}

static void
test_hostile_input (void)
{
  NatterMacroContext ctx = { .user = "Alice" };
  gsize n = 1 << 20;
  g_autofree char *braces = g_malloc (n + 3);
  g_autofree char *out = NULL;
  gint64 start;

  /* A megabyte of "{" closed once at the end: linear, not quadratic. */
  memset (braces, '{', n);
  strcpy (braces + n, "}}");
  start = g_get_monotonic_time ();
  out = natter_macros_expand (braces, &ctx);
  g_assert_cmpuint (strlen (out), ==, n + 2);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  g_free (out);
  memset (braces, '{', n);
  memcpy (braces + n - 8, "user}}", 6);
  braces[n - 2] = '\0';
  out = natter_macros_expand (braces, &ctx);
  g_assert_true (g_str_has_suffix (out, "Alice"));
}

static void
test_tokens (void)
{
  g_assert_cmpint (natter_tokens_estimate (NULL), ==, 0);
  g_assert_cmpint (natter_tokens_estimate (""), ==, 0);
  g_assert_cmpint (natter_tokens_estimate ("a"), ==, 1);
  g_assert_cmpint (natter_tokens_estimate ("abcdefg"), ==, 2);   /* 7 / 3.5 */
  g_assert_cmpint (natter_tokens_estimate ("abcdefgh"), ==, 3);  /* 8 / 3.5 = 2.29 */
  g_assert_cmpint (natter_tokens_estimate ("héllo"), ==, 2);     /* 6 bytes */
  g_assert_cmpint (natter_tokens_estimate_message ("abcdefg"), ==, 2 + NATTER_TOKENS_PER_MESSAGE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/macros/names", test_names);
  g_test_add_func ("/natter/macros/unknown-left-alone", test_unknown_left_alone);
  g_test_add_func ("/natter/macros/time-date", test_time_date);
  g_test_add_func ("/natter/macros/humanize", test_humanize);
  g_test_add_func ("/natter/macros/random", test_random);
  g_test_add_func ("/natter/macros/hostile-input", test_hostile_input);
  g_test_add_func ("/natter/macros/tokens", test_tokens);

  return g_test_run ();
}
