/* test-markdown.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <pango/pango.h>

#include "natter-markdown.h"

static void
assert_valid_markup (const char *markup)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) links = g_regex_new ("<a href=\"[^\"<>]*\">|</a>", 0, 0, NULL);
  /* <a> is GtkLabel's addition to Pango markup. */
  g_autofree char *pango = g_regex_replace_literal (links, markup, -1, 0, "", 0, NULL);

  if (!pango_parse_markup (pango, -1, 0, NULL, NULL, NULL, &error))
    g_error ("Invalid markup %s: %s", markup, error->message);
}

static char *
render (const char *md)
{
  char *markup = natter_markdown_to_markup (md, -1);

  assert_valid_markup (markup);
  return markup;
}

static void
test_split (void)
{
  const char *text = "Hello *world*\nsecond line\n\n- a\n- b\n\n```c\nint x;\n\nint y;\n```\nAfter\n\n> quote";
  g_autoptr(GArray) blocks = natter_markdown_split (text, -1);
  NatterMarkdownBlock *b;

  g_assert_cmpuint (blocks->len, ==, 5);
  b = &g_array_index (blocks, NatterMarkdownBlock, 0);
  g_assert_cmpint (b->kind, ==, NATTER_MARKDOWN_BLOCK_TEXT);
  g_assert_true (strncmp (text + b->start, "Hello *world*\nsecond line", b->len) == 0);
  g_assert_cmpuint (b->len, ==, strlen ("Hello *world*\nsecond line"));
  b = &g_array_index (blocks, NatterMarkdownBlock, 1);
  g_assert_cmpint (b->kind, ==, NATTER_MARKDOWN_BLOCK_TEXT);
  g_assert_true (strncmp (text + b->start, "- a\n- b", b->len) == 0);
  b = &g_array_index (blocks, NatterMarkdownBlock, 2);
  g_assert_cmpint (b->kind, ==, NATTER_MARKDOWN_BLOCK_CODE);
  g_assert_cmpuint (b->len, ==, strlen ("```c\nint x;\n\nint y;\n```"));
  b = &g_array_index (blocks, NatterMarkdownBlock, 3);
  g_assert_true (strncmp (text + b->start, "After", b->len) == 0);
  b = &g_array_index (blocks, NatterMarkdownBlock, 4);
  g_assert_true (strncmp (text + b->start, "> quote", b->len) == 0);
}

static void
test_split_streaming (void)
{
  const char *full = "Intro paragraph.\n\n```python\nprint('hi')\n```\n\nOutro";
  gsize full_len = strlen (full);
  g_autoptr(GArray) final = natter_markdown_split (full, -1);

  /* Every prefix: all blocks but the last equal the final split's blocks. */
  for (gsize n = 1; n <= full_len; n++)
    {
      g_autoptr(GArray) blocks = natter_markdown_split (full, n);

      g_assert_cmpuint (blocks->len, >=, 1);
      g_assert_cmpuint (blocks->len, <=, final->len);
      for (guint i = 0; i + 1 < blocks->len; i++)
        {
          NatterMarkdownBlock *a = &g_array_index (blocks, NatterMarkdownBlock, i);
          NatterMarkdownBlock *b = &g_array_index (final, NatterMarkdownBlock, i);

          g_assert_cmpuint (a->start, ==, b->start);
          g_assert_cmpuint (a->len, ==, b->len);
          g_assert_cmpint (a->kind, ==, b->kind);
        }
    }

  /* An unclosed fence while streaming is already code. */
  {
    g_autoptr(GArray) blocks = natter_markdown_split ("Text\n\n```sh\nls -l", -1);
    g_assert_cmpuint (blocks->len, ==, 2);
    g_assert_cmpint (g_array_index (blocks, NatterMarkdownBlock, 1).kind, ==, NATTER_MARKDOWN_BLOCK_CODE);
  }
}

static void
test_code_content (void)
{
  g_autofree char *lang = NULL;
  g_autofree char *code = natter_markdown_code_content ("```python title\nprint(1)\n  x = 2\n```", -1, &lang);
  g_autofree char *lang2 = NULL;
  g_autofree char *partial = natter_markdown_code_content ("~~~\nabc", -1, &lang2);

  g_assert_cmpstr (lang, ==, "python");
  g_assert_cmpstr (code, ==, "print(1)\n  x = 2");
  g_assert_null (lang2);
  g_assert_cmpstr (partial, ==, "abc");
}

static void
test_markup (void)
{
  g_autofree char *p = render ("Hello *world* and **bold** and `code` & <tag>");
  g_autofree char *link = render ("See [the docs](https://example.com/?a=1&b=2) now");
  g_autofree char *list = render ("- one\n- two\n  - nested\n\n3. three");
  g_autofree char *olist = render ("3. three\n4. four");
  g_autofree char *quote = render ("> quoted *text*");
  g_autofree char *heading = render ("# Title");
  g_autofree char *table = render ("| a | b |\n|---|---|\n| 1 | 2 |");
  g_autofree char *strike = render ("~~gone~~ &copy; &#65; &bogus;");

  g_assert_cmpstr (p, ==, "Hello <i>world</i> and <b>bold</b> and <span font_family=\"monospace\" background=\"#808080\" bgalpha=\"18%\">code</span> &amp; &lt;tag&gt;");
  g_assert_cmpstr (link, ==, "See <a href=\"https://example.com/?a=1&amp;b=2\">the docs</a> now");
  g_assert_nonnull (strstr (list, "•  one\n•  two\n    •  nested"));
  g_assert_cmpstr (olist, ==, "3.  three\n4.  four");
  g_assert_cmpstr (quote, ==, "▎ quoted <i>text</i>");
  g_assert_cmpstr (heading, ==, "<span weight=\"bold\" size=\"xx-large\">Title</span>");
  g_assert_nonnull (strstr (table, "<b>a</b>  │  <b>b</b>"));
  g_assert_nonnull (strstr (table, "1  │  2"));
  g_assert_cmpstr (strike, ==, "<s>gone</s> © A &amp;bogus;");
}

static void
test_hostile (void)
{
  const char *inputs[] = {
    "<b>not markup</b>",
    "[x](javascript:\"<>&)",
    "\xff\xfe broken utf8 *\xc3*",
    "**unclosed *nesting",
    "> > > deep\n> - list in quote\n>   ```\n>   code",
    "| only | header |",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    g_free (render (inputs[i]));
}

static void
test_render_count (void)
{
  guint before = natter_markdown_get_render_count ();

  g_free (render ("one"));
  g_free (render ("two"));
  g_assert_cmpuint (natter_markdown_get_render_count (), ==, before + 2);
}


/* A table's cells, for the grid: alignments, then rows of cell markup;
 * nothing for text that is not one table alone. */
static void
test_table_cells (void)
{
  g_autofree char *cells = natter_markdown_table_cells ("| Name | **Qty** | Price |\n|:--|:-:|--:|\n| `a` & b | 2 | 1.5 |\n| c |", -1);
  g_autofree char *lone = natter_markdown_table_cells ("| only | header |", -1);
  g_autofree char *prose = natter_markdown_table_cells ("Text | with a pipe\nand more", -1);
  g_autofree char *mixed = natter_markdown_table_cells ("| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter", -1);
  g_autofree char *two = natter_markdown_table_cells ("| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |", -1);
  g_autofree char *hostile = natter_markdown_table_cells ("| <b>x</b> | \x1e\x1f |\n|---|---|\n| \xff | y |", -1);
  g_auto(GStrv) rows = NULL;
  g_auto(GStrv) header = NULL;
  g_auto(GStrv) body = NULL;
  g_auto(GStrv) last = NULL;

  g_assert_nonnull (cells);
  rows = g_strsplit (cells, "\x1e", -1);
  g_assert_cmpuint (g_strv_length (rows), ==, 4);
  g_assert_cmpstr (rows[0], ==, "lcr");
  header = g_strsplit (rows[1], "\x1f", -1);
  g_assert_cmpuint (g_strv_length (header), ==, 3);
  g_assert_cmpstr (header[0], ==, "Name");
  g_assert_cmpstr (header[1], ==, "<b>Qty</b>");
  body = g_strsplit (rows[2], "\x1f", -1);
  g_assert_cmpstr (body[0], ==, "<span font_family=\"monospace\" background=\"#808080\" bgalpha=\"18%\">a</span> &amp; b");
  g_assert_cmpstr (body[2], ==, "1.5");
  /* A short row gets its missing cells empty. */
  last = g_strsplit (rows[3], "\x1f", -1);
  g_assert_cmpstr (last[0], ==, "c");

  g_assert_null (lone);
  g_assert_null (prose);
  g_assert_null (mixed);
  g_assert_null (two);

  /* Markup and separators in the text are escaped, bad UTF-8 replaced. */
  g_assert_nonnull (hostile);
  g_assert_null (strstr (hostile, "<b>"));
  g_assert_true (g_utf8_validate (hostile, -1, NULL));
  {
    g_auto(GStrv) hrows = g_strsplit (hostile, "\x1e", -1);
    g_auto(GStrv) hcells = NULL;

    g_assert_cmpuint (g_strv_length (hrows), ==, 3);
    hcells = g_strsplit (hrows[1], "\x1f", -1);
    g_assert_cmpuint (g_strv_length (hcells), ==, 2);
    for (guint i = 0; hcells[i] != NULL; i++)
      g_assert_true (pango_parse_markup (hcells[i], -1, 0, NULL, NULL, NULL, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/markdown/split", test_split);
  g_test_add_func ("/natter/markdown/split-streaming", test_split_streaming);
  g_test_add_func ("/natter/markdown/code-content", test_code_content);
  g_test_add_func ("/natter/markdown/markup", test_markup);
  g_test_add_func ("/natter/markdown/hostile", test_hostile);
  g_test_add_func ("/natter/markdown/render-count", test_render_count);
  g_test_add_func ("/natter/markdown/table-cells", test_table_cells);

  return g_test_run ();
}
