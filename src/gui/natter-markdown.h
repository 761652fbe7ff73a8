/* natter-markdown.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  NATTER_MARKDOWN_BLOCK_TEXT,   /* rendered with natter_markdown_to_markup() */
  NATTER_MARKDOWN_BLOCK_CODE,   /* a fenced code block, shown verbatim in monospace */
  NATTER_MARKDOWN_BLOCK_TABLE,  /* a text block that is one table (natter_markdown_table_cells()) */
} NatterMarkdownBlockKind;

/* A top-level block of a Markdown text, as a byte range of it. */
typedef struct
{
  NatterMarkdownBlockKind kind;
  gsize                   start;
  gsize                   len;
} NatterMarkdownBlock;

/* Cuts @text into top-level blocks: paragraphs, lists, quotes and tables
 * separated by blank lines, and fenced code blocks (an unclosed fence runs
 * to the end, as while a reply streams). Appending text only ever changes
 * the last block or adds blocks after it, so a view can keep the widgets of
 * the earlier blocks. Returns an array of NatterMarkdownBlock. */
GArray *natter_markdown_split        (const char *text,
                                      gssize      len);
/* Pango markup of one Markdown text block (md4c, GitHub flavour: tables,
 * strikethrough, autolinks). Always valid markup, whatever the input. */
char   *natter_markdown_to_markup    (const char *text,
                                      gssize      len);
/* The verbatim content of a fenced code block (without the fences) and its
 * info string's first word in @language (NULL when none). */
char   *natter_markdown_code_content (const char *block,
                                      gssize      len,
                                      char      **language);
/* When @text is one GitHub table and nothing else, its cells: the
 * columns' alignments ('l', 'c', 'r' each), then each row (the header
 * first) after a NATTER_MARKDOWN_ROW_SEPARATOR, its cells' Pango markup
 * separated by NATTER_MARKDOWN_CELL_SEPARATOR (neither occurs in markup:
 * control characters are escaped). NULL when @text is not a table alone. */
#define NATTER_MARKDOWN_ROW_SEPARATOR  '\x1e'
#define NATTER_MARKDOWN_CELL_SEPARATOR '\x1f'
char   *natter_markdown_table_cells  (const char *text,
                                      gssize      len);
/* How many blocks natter_markdown_to_markup() rendered since start-up; lets
 * tests and benchmarks check that streaming re-renders only what changed. */
guint   natter_markdown_get_render_count (void);

G_END_DECLS
