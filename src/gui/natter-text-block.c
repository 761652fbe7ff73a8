/* natter-text-block.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-text-block"

#include "config.h"

#include <string.h>

#include "natter-block-bin-private.h"
#include "natter-text-block-private.h"

static GtkWidget *
label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* A wrapping label without a width in characters finds its narrowest
   * by laying its text out at no width at all, a character or a word a
   * line: hundreds of lines for a paragraph. The block bin around gives
   * it its width anyway. */
  gtk_label_set_width_chars (GTK_LABEL (label), NATTER_BLOCK_MIN_CHARS);
  return label;
}

GtkWidget *
natter_code_piece_new (void)
{
  GtkWidget *label = label_new ();

  gtk_widget_add_css_class (label, "monospace");
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  return label;
}

GtkWidget *
natter_text_piece_new (void)
{
  GtkWidget *label = label_new ();

  gtk_widget_add_css_class (label, "message-text");
  return label;
}

/* A block shows its text in labels of CHUNK_LINES lines each: a long list
 * or a long file a model writes out grows only its last label, instead of
 * one label laying out thousands of lines again every frame. Markup is
 * only cut at a line break outside any tag, so every piece is whole. */
#define CHUNK_LINES 40

/* Plain text (code) is also cut within a line this long: a model writing
 * out minified JSON sends one line of a hundred kilobytes. */
#define CHUNK_BYTES 4096

/* The end of the piece starting at @start: the line break after which it
 * ends (*@separator set to 1, the break belongs to neither piece), a cut
 * inside a long line of plain text (*@separator 0), or the end of the
 * text. */
static const char *
chunk_end (const char *start,
           gboolean    markup,
           gsize      *separator)
{
  guint lines = 0;
  int depth = 0;

  *separator = 0;
  for (const char *p = start, *line = start; *p != '\0'; p++)
    {
      if (markup && *p == '<')
        {
          gboolean closing = p[1] == '/';
          const char *close = strchr (p, '>');

          if (close == NULL)
            return p + strlen (p);
          depth += closing ? -1 : (close > p && close[-1] == '/' ? 0 : 1);
          p = close;
        }
      else if (*p == '\n')
        {
          line = p + 1;
          if (depth <= 0 && ++lines == CHUNK_LINES)
            {
              *separator = 1;
              return p;
            }
        }
      else if (!markup && p - line >= CHUNK_BYTES && (*p & 0xc0) != 0x80)
        return p;   /* at the start of a character */
    }
  return start + strlen (start);
}

void
natter_text_pieces_set (GtkWidget  *chunks,
                  const char *text,
                  gboolean    markup,
                  GtkWidget  *(*chunk_new) (void))
{
  GtkWidget *child = gtk_widget_get_first_child (chunks);
  const char *start = text;

  for (;;)
    {
      gsize separator;
      const char *end = chunk_end (start, markup, &separator);
      gsize len = end - start;
      const char *shown;

      if (child == NULL)
        {
          child = chunk_new ();
          gtk_box_append (GTK_BOX (chunks), child);
        }
      shown = gtk_label_get_label (GTK_LABEL (child));
      if (strlen (shown) != len || strncmp (shown, start, len) != 0 ||
          gtk_label_get_use_markup (GTK_LABEL (child)) != markup)
        {
          g_autofree char *piece = g_strndup (start, len);

          if (markup)
            gtk_label_set_markup (GTK_LABEL (child), piece);
          else
            gtk_label_set_text (GTK_LABEL (child), piece);
          natter_block_bin_forget_piece_height (child);
        }
      child = gtk_widget_get_next_sibling (child);

      if (*end == '\0')
        break;
      start = end + separator;
    }

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (GTK_BOX (chunks), child);
      child = next;
    }
}

GtkWidget *
natter_text_block_new (GtkLabel **label_out)
{
  GtkWidget *pieces = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = natter_text_piece_new ();

  /* Measured by the block bin, piece by piece. */
  natter_block_bin_set_text_pieces (pieces);
  gtk_box_append (GTK_BOX (pieces), label);
  *label_out = GTK_LABEL (label);
  return natter_block_bin_new (pieces);
}
