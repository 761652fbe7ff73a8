/* natter-markdown.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-markdown"

#include "config.h"

#include <string.h>

#include <md4c.h>

#include "natter-markdown.h"

static guint render_count;

/* Returns the fence character and length when @line opens or closes a
 * fence (up to three spaces, then three or more ` or ~). */
static gboolean
line_is_fence (const char *line,
               gsize       len,
               char       *fence_char,
               gsize      *fence_len)
{
  gsize i = 0, n = 0;

  while (i < len && i < 3 && line[i] == ' ')
    i++;
  if (i >= len || (line[i] != '`' && line[i] != '~'))
    return FALSE;
  *fence_char = line[i];
  while (i + n < len && line[i + n] == *fence_char)
    n++;
  if (n < 3)
    return FALSE;
  *fence_len = n;
  return TRUE;
}

static gboolean
line_is_blank (const char *line,
               gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
      return FALSE;
  return TRUE;
}

static void
push_block (GArray                  *blocks,
            NatterMarkdownBlockKind  kind,
            gsize                    start,
            gsize                    end)
{
  NatterMarkdownBlock block = { kind, start, end - start };

  if (end > start)
    g_array_append_val (blocks, block);
}

GArray *
natter_markdown_split (const char *text,
                       gssize      len)
{
  GArray *blocks = g_array_new (FALSE, FALSE, sizeof (NatterMarkdownBlock));
  gsize pos = 0, block_start = 0, block_end = 0;
  gboolean in_block = FALSE, in_fence = FALSE;
  char fence_char = 0;
  gsize fence_len = 0;

  g_return_val_if_fail (text != NULL || len == 0, blocks);

  if (len < 0)
    len = strlen (text);

  while (pos < (gsize)len)
    {
      const char *line = text + pos;
      const char *nl = memchr (line, '\n', len - pos);
      gsize line_len = nl ? (gsize)(nl - line) : len - pos;
      gsize next = pos + line_len + (nl ? 1 : 0);
      char c;
      gsize n;

      if (in_fence)
        {
          gsize indent = MIN (strspn (line, " "), line_len);

          if (line_is_fence (line, line_len, &c, &n) && c == fence_char && n >= fence_len &&
              line_is_blank (line + indent + n, line_len - indent - n))
            {
              push_block (blocks, NATTER_MARKDOWN_BLOCK_CODE, block_start, pos + line_len);
              in_fence = FALSE;
              in_block = FALSE;
            }
        }
      else if (line_is_fence (line, line_len, &c, &n) &&
               (c == '~' ||
                memchr (line + MIN (strspn (line, " ") + n, line_len), '`',
                        line_len - MIN (strspn (line, " ") + n, line_len)) == NULL))
        {
          if (in_block)
            push_block (blocks, NATTER_MARKDOWN_BLOCK_TEXT, block_start, block_end);
          in_fence = TRUE;
          in_block = FALSE;
          fence_char = c;
          fence_len = n;
          block_start = pos;
        }
      else if (line_is_blank (line, line_len))
        {
          /* A blank line ends the block unless the next line is indented:
           * then it continues a list item. */
          gboolean continues = next < (gsize)len && (text[next] == ' ' || text[next] == '\t');

          if (in_block && !continues)
            {
              push_block (blocks, NATTER_MARKDOWN_BLOCK_TEXT, block_start, block_end);
              in_block = FALSE;
            }
        }
      else
        {
          if (!in_block)
            block_start = pos;
          in_block = TRUE;
          block_end = pos + line_len;
        }

      pos = next;
    }

  if (in_fence)
    push_block (blocks, NATTER_MARKDOWN_BLOCK_CODE, block_start, len);
  else if (in_block)
    push_block (blocks, NATTER_MARKDOWN_BLOCK_TEXT, block_start, block_end);

  return blocks;
}

char *
natter_markdown_code_content (const char  *block,
                              gssize       len,
                              char       **language)
{
  const char *nl;
  const char *body;
  gsize body_len;
  char fence_char;
  gsize fence_len;

  g_return_val_if_fail (block != NULL, NULL);

  if (len < 0)
    len = strlen (block);
  if (language != NULL)
    *language = NULL;

  nl = memchr (block, '\n', len);
  if (!line_is_fence (block, nl ? (gsize)(nl - block) : (gsize)len, &fence_char, &fence_len))
    return g_strndup (block, len);

  if (language != NULL)
    {
      const char *info = memchr (block, fence_char, len);
      const char *end = nl ? nl : block + len;
      g_autofree char *word = NULL;

      info += fence_len;
      word = g_strstrip (g_strndup (info, end - info));
      if (*word != '\0')
        {
          word[strcspn (word, " \t{")] = '\0';
          *language = g_steal_pointer (&word);
        }
    }

  if (nl == NULL)
    return g_strdup ("");

  body = nl + 1;
  body_len = (block + len) - body;

  /* Drop the closing fence when there is one. */
  if (body_len > 0)
    {
      const char *last = g_strrstr_len (body, body_len, "\n");
      const char *last_line = last ? last + 1 : body;
      char c;
      gsize n;

      if (line_is_fence (last_line, (block + len) - last_line, &c, &n) && c == fence_char)
        body_len = last ? (gsize)(last - body) : 0;
    }

  return g_strndup (body, body_len);
}

typedef struct
{
  GString *out;
  GArray  *lists;        /* of int: -1 for bullets, else the next number */
  int      quote_depth;
  int      cell;
  int      tight_depth;  /* > 0 inside an item of a tight list */
  GArray  *tight;        /* of gboolean, per open list */
  /* Table cells mode (natter_markdown_table_cells()): cells are separated
   * instead of drawn, anything but one table at the top is refused. */
  gboolean table_cells;
  gboolean not_a_table;
  int      depth;
  int      n_tables;
  int      row;
  GString *aligns;
} Renderer;

static void
ensure_newline (Renderer *r)
{
  if (r->out->len > 0 && r->out->str[r->out->len - 1] != '\n')
    g_string_append_c (r->out, '\n');
}

static void
start_paragraph (Renderer *r)
{
  gboolean tight = r->tight->len > 0 && g_array_index (r->tight, gboolean, r->tight->len - 1);

  ensure_newline (r);
  /* A blank line between blocks, except between the lines of a tight
   * list or right after an item's bullet. */
  if (r->out->len > 1 && !tight && r->out->str[r->out->len - 2] != '\n')
    g_string_append_c (r->out, '\n');
  for (int i = 0; i < r->quote_depth; i++)
    g_string_append (r->out, "▎ ");
}

static void
append_escaped (Renderer   *r,
                const char *text,
                gsize       size)
{
  g_autofree char *escaped = NULL;

  /* md4c hands over bytes of the source; replace invalid UTF-8 so the
   * markup always parses. */
  if (!g_utf8_validate (text, size, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, size);
      escaped = g_markup_escape_text (valid, -1);
    }
  else
    escaped = g_markup_escape_text (text, size);
  g_string_append (r->out, escaped);
}

static int
enter_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Renderer *r = user_data;

  if (r->table_cells)
    {
      if (r->depth++ == 1)
        {
          r->n_tables += type == MD_BLOCK_TABLE;
          r->not_a_table |= type != MD_BLOCK_TABLE || r->n_tables > 1;
        }
      if (type == MD_BLOCK_TR)
        {
          if (r->row++ > 0)
            g_string_append_c (r->out, NATTER_MARKDOWN_ROW_SEPARATOR);
          r->cell = 0;
          return 0;
        }
      if (type == MD_BLOCK_TH || type == MD_BLOCK_TD)
        {
          if (r->cell++ > 0)
            g_string_append_c (r->out, NATTER_MARKDOWN_CELL_SEPARATOR);
          if (r->row == 1)
            {
              static const char aligns[] = { 'l', 'l', 'c', 'r' };
              MD_ALIGN align = ((MD_BLOCK_TD_DETAIL *)detail)->align;

              g_string_append_c (r->aligns, aligns[CLAMP ((int) align, 0, 3)]);
            }
          return 0;
        }
      if (type == MD_BLOCK_TABLE || type == MD_BLOCK_THEAD || type == MD_BLOCK_TBODY || type == MD_BLOCK_DOC)
        return 0;
      /* Other blocks inside cells cannot happen in GitHub tables. */
    }

  switch (type)
    {
    case MD_BLOCK_DOC:
      break;
    case MD_BLOCK_QUOTE:
      r->quote_depth++;
      break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      {
        int next = type == MD_BLOCK_UL ? -1 : (int) ((MD_BLOCK_OL_DETAIL *)detail)->start;
        gboolean tight = type == MD_BLOCK_UL
                         ? ((MD_BLOCK_UL_DETAIL *)detail)->is_tight
                         : ((MD_BLOCK_OL_DETAIL *)detail)->is_tight;

        if (r->lists->len == 0)
          start_paragraph (r);
        g_array_append_val (r->lists, next);
        g_array_append_val (r->tight, tight);
      }
      break;
    case MD_BLOCK_LI:
      {
        int *next = &g_array_index (r->lists, int, r->lists->len - 1);

        ensure_newline (r);
        for (guint i = 1; i < r->lists->len; i++)
          g_string_append (r->out, "    ");
        for (int i = 0; i < r->quote_depth; i++)
          g_string_append (r->out, "▎ ");
        if (*next < 0)
          g_string_append (r->out, "•  ");
        else
          g_string_append_printf (r->out, "%d.  ", (*next)++);
        r->tight_depth++;
      }
      break;
    case MD_BLOCK_HR:
      start_paragraph (r);
      g_string_append (r->out, "――――――――――――");
      break;
    case MD_BLOCK_H:
      {
        static const char *sizes[] = { "xx-large", "x-large", "large", "medium", "medium", "medium" };
        unsigned level = CLAMP (((MD_BLOCK_H_DETAIL *)detail)->level, 1, 6);

        start_paragraph (r);
        g_string_append_printf (r->out, "<span weight=\"bold\" size=\"%s\">", sizes[level - 1]);
      }
      break;
    case MD_BLOCK_CODE:
      start_paragraph (r);
      g_string_append (r->out, "<tt>");
      break;
    case MD_BLOCK_HTML:
      start_paragraph (r);
      break;
    case MD_BLOCK_P:
      /* The first paragraph of a list item goes right after its bullet. */
      if (r->out->len == 0 || r->out->str[r->out->len - 1] == '\n' ||
          r->out->str[r->out->len - 1] != ' ')
        start_paragraph (r);
      break;
    case MD_BLOCK_TABLE:
      start_paragraph (r);
      break;
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
      break;
    case MD_BLOCK_TR:
      ensure_newline (r);
      r->cell = 0;
      break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      if (r->cell++ > 0)
        g_string_append (r->out, "  │  ");
      if (type == MD_BLOCK_TH)
        g_string_append (r->out, "<b>");
      break;
    default:
      break;
    }

  return 0;
}

static int
leave_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Renderer *r = user_data;

  if (r->table_cells)
    {
      r->depth--;
      return 0;
    }

  switch (type)
    {
    case MD_BLOCK_QUOTE:
      r->quote_depth--;
      break;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      g_array_set_size (r->lists, r->lists->len - 1);
      g_array_set_size (r->tight, r->tight->len - 1);
      break;
    case MD_BLOCK_LI:
      r->tight_depth--;
      break;
    case MD_BLOCK_H:
      g_string_append (r->out, "</span>");
      break;
    case MD_BLOCK_CODE:
      while (r->out->len > 0 && r->out->str[r->out->len - 1] == '\n')
        g_string_truncate (r->out, r->out->len - 1);
      g_string_append (r->out, "</tt>");
      break;
    case MD_BLOCK_THEAD:
      g_string_append (r->out, "\n――――――――――――");
      break;
    case MD_BLOCK_TH:
      g_string_append (r->out, "</b>");
      break;
    default:
      break;
    }

  return 0;
}

#define INLINE_CODE_START "<span font_family=\"monospace\" background=\"#808080\" bgalpha=\"18%\">"

static int
enter_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Renderer *r = user_data;

  switch (type)
    {
    case MD_SPAN_EM:
      g_string_append (r->out, "<i>");
      break;
    case MD_SPAN_STRONG:
      g_string_append (r->out, "<b>");
      break;
    case MD_SPAN_CODE:
      /* Monospace, on a faint shade that shows in light and dark styles
       * and with any monospace font. */
      g_string_append (r->out, INLINE_CODE_START);
      break;
    case MD_SPAN_DEL:
      g_string_append (r->out, "<s>");
      break;
    case MD_SPAN_U:
      g_string_append (r->out, "<u>");
      break;
    case MD_SPAN_A:
      {
        MD_SPAN_A_DETAIL *a = detail;
        g_autofree char *href = g_strndup (a->href.text, a->href.size);
        g_autofree char *valid = g_utf8_make_valid (href, -1);
        g_autofree char *escaped = g_markup_escape_text (valid, -1);

        g_string_append_printf (r->out, "<a href=\"%s\">", escaped);
      }
      break;
    default:
      break;
    }

  return 0;
}

static int
leave_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Renderer *r = user_data;

  switch (type)
    {
    case MD_SPAN_EM:
      g_string_append (r->out, "</i>");
      break;
    case MD_SPAN_STRONG:
      g_string_append (r->out, "</b>");
      break;
    case MD_SPAN_CODE:
      g_string_append (r->out, "</span>");
      break;
    case MD_SPAN_DEL:
      g_string_append (r->out, "</s>");
      break;
    case MD_SPAN_U:
      g_string_append (r->out, "</u>");
      break;
    case MD_SPAN_A:
      g_string_append (r->out, "</a>");
      break;
    default:
      break;
    }

  return 0;
}

static int
on_text (MD_TEXTTYPE    type,
         const MD_CHAR *text,
         MD_SIZE        size,
         void          *user_data)
{
  Renderer *r = user_data;

  switch (type)
    {
    case MD_TEXT_NULLCHAR:
      g_string_append (r->out, "\xef\xbf\xbd");
      break;
    case MD_TEXT_BR:
      g_string_append_c (r->out, '\n');
      break;
    case MD_TEXT_SOFTBR:
      g_string_append_c (r->out, ' ');
      break;
    case MD_TEXT_ENTITY:
      {
        static const struct { const char *entity, *text; } known[] = {
          { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
          { "&apos;", "'" }, { "&nbsp;", "\xc2\xa0" }, { "&copy;", "©" },
          { "&mdash;", "—" }, { "&ndash;", "–" }, { "&hellip;", "…" },
        };

        for (guint i = 0; i < G_N_ELEMENTS (known); i++)
          if (strlen (known[i].entity) == size && memcmp (known[i].entity, text, size) == 0)
            {
              append_escaped (r, known[i].text, strlen (known[i].text));
              return 0;
            }

        if (size > 3 && text[1] == '#')
          {
            g_autofree char *digits = g_strndup (text + 2, size - 3);
            gunichar ch = (digits[0] == 'x' || digits[0] == 'X')
                          ? g_ascii_strtoull (digits + 1, NULL, 16)
                          : g_ascii_strtoull (digits, NULL, 10);
            char buf[8];

            if (ch != 0 && g_unichar_validate (ch))
              {
                append_escaped (r, buf, g_unichar_to_utf8 (ch, buf));
                return 0;
              }
          }
        append_escaped (r, text, size);
      }
      break;
    default:
      append_escaped (r, text, size);
      break;
    }

  return 0;
}

char *
natter_markdown_to_markup (const char *text,
                           gssize      len)
{
  MD_PARSER parser = {
    .abi_version = 0,
    .flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML,
    .enter_block = enter_block,
    .leave_block = leave_block,
    .enter_span = enter_span,
    .leave_span = leave_span,
    .text = on_text,
  };
  Renderer r = { 0 };

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (text);

  render_count++;

  r.out = g_string_sized_new (len + len / 4 + 16);
  r.lists = g_array_new (FALSE, FALSE, sizeof (int));
  r.tight = g_array_new (FALSE, FALSE, sizeof (gboolean));

  if (md_parse (text, len, &parser, &r) != 0)
    {
      /* md4c gives up only on allocation failures; show the text plainly. */
      g_string_truncate (r.out, 0);
      append_escaped (&r, text, len);
    }

  while (r.out->len > 0 && r.out->str[r.out->len - 1] == '\n')
    g_string_truncate (r.out, r.out->len - 1);

  g_array_unref (r.lists);
  g_array_unref (r.tight);

  return g_string_free (r.out, FALSE);
}

guint
natter_markdown_get_render_count (void)
{
  return render_count;
}

/* Whether the first two lines of @text look like a table's header and
 * delimiter row: worth asking md4c. */
static gboolean
looks_like_table (const char *text,
                  gsize       len)
{
  const char *end = text + len;
  const char *nl = memchr (text, '\n', len);
  const char *second_end;
  gboolean dash = FALSE, pipe = FALSE;

  if (nl == NULL || memchr (text, '|', nl - text) == NULL)
    return FALSE;
  second_end = memchr (nl + 1, '\n', end - nl - 1);
  if (second_end == NULL)
    second_end = end;
  for (const char *p = nl + 1; p < second_end; p++)
    {
      if (*p == '-')
        dash = TRUE;
      else if (*p == '|')
        pipe = TRUE;
      else if (*p != ' ' && *p != ':' && *p != '\t' && *p != '\r')
        return FALSE;
    }
  return dash && pipe;
}

char *
natter_markdown_table_cells (const char *text,
                             gssize      len)
{
  MD_PARSER parser = {
    .abi_version = 0,
    .flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML,
    .enter_block = enter_block,
    .leave_block = leave_block,
    .enter_span = enter_span,
    .leave_span = leave_span,
    .text = on_text,
  };
  Renderer r = { 0 };
  g_autoptr(GString) cells = NULL;
  char *result = NULL;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (text);
  if (!looks_like_table (text, len))
    return NULL;

  render_count++;
  r.table_cells = TRUE;
  r.out = g_string_sized_new (len + 16);
  r.aligns = g_string_new (NULL);
  r.lists = g_array_new (FALSE, FALSE, sizeof (int));
  r.tight = g_array_new (FALSE, FALSE, sizeof (gboolean));

  if (md_parse (text, len, &parser, &r) == 0 && !r.not_a_table && r.n_tables == 1 && r.aligns->len > 0)
    result = g_strdup_printf ("%s%c%s", r.aligns->str, NATTER_MARKDOWN_ROW_SEPARATOR, r.out->str);

  g_string_free (r.out, TRUE);
  g_string_free (r.aligns, TRUE);
  g_array_unref (r.lists);
  g_array_unref (r.tight);
  return result;
}
