/* natter-table-block.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-table-block"

#include "config.h"

#include <string.h>

#include "natter-block-bin-private.h"
#include "natter-markdown.h"
#include "natter-table-block-private.h"

/* A Markdown table as a grid of selectable labels: the header row in
 * bold on a faint line, the columns aligned as the table says. Cells wrap
 * when the row is narrow; a table whose columns do not fit even then
 * scrolls sideways instead of being cut. Copying the message still gives
 * its Markdown. */

GtkWidget *
natter_table_block_new (void)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 0);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 0);
  gtk_widget_add_css_class (frame, "table-block");
  gtk_widget_add_css_class (frame, "card");
  gtk_widget_set_halign (frame, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (frame), grid);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), frame);
  natter_block_bin_set_scroll_content (scroller, frame);
  return natter_block_bin_new (scroller);
}

static GtkWidget *
get_grid (GtkWidget *bin)
{
  GtkWidget *widget = bin;

  while (widget != NULL && !GTK_IS_GRID (widget))
    widget = gtk_widget_get_first_child (widget);
  return widget;
}

static GtkWidget *
cell_new (const char *markup,
          char        align,
          gboolean    header,
          guint       row,
          guint       column,
          guint       n_columns)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (label), 3);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), align == 'r' ? 1.0 : align == 'c' ? 0.5 : 0.0);
  gtk_label_set_justify (GTK_LABEL (label),
                         align == 'r' ? GTK_JUSTIFY_RIGHT : align == 'c' ? GTK_JUSTIFY_CENTER : GTK_JUSTIFY_LEFT);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (label, GTK_ALIGN_FILL);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "table-cell");
  if (header)
    {
      gtk_widget_add_css_class (label, "table-header");
      gtk_widget_add_css_class (label, "heading");
    }
  if (row % 2 == 0 && !header)
    gtk_widget_add_css_class (label, "table-even");
  if (column + 1 == n_columns)
    gtk_widget_add_css_class (label, "table-last-column");
  return label;
}

void
natter_table_block_set (GtkWidget  *bin,
                        const char *cells)
{
  GtkWidget *grid = get_grid (bin);
  GtkWidget *child;
  g_auto(GStrv) rows = NULL;
  const char *aligns;
  guint n_columns;

  while ((child = gtk_widget_get_first_child (grid)) != NULL)
    gtk_grid_remove (GTK_GRID (grid), child);

  rows = g_strsplit (cells, (char[]) { NATTER_MARKDOWN_ROW_SEPARATOR, 0 }, -1);
  aligns = rows[0] != NULL ? rows[0] : "";
  n_columns = strlen (aligns);

  for (guint r = 1; rows[0] != NULL && rows[r] != NULL; r++)
    {
      g_auto(GStrv) row = g_strsplit (rows[r], (char[]) { NATTER_MARKDOWN_CELL_SEPARATOR, 0 }, -1);

      /* md4c gives every row as many cells as the header has. */
      for (guint c = 0; row[c] != NULL && c < n_columns; c++)
        gtk_grid_attach (GTK_GRID (grid), cell_new (row[c], aligns[c], r == 1, r - 1, c, n_columns),
                         c, r - 1, 1, 1);
    }
  natter_block_bin_content_changed (bin);
}

GtkWidget *
natter_table_block_get_cell (GtkWidget *bin,
                             guint      row,
                             guint      column)
{
  return gtk_grid_get_child_at (GTK_GRID (get_grid (bin)), column, row);
}
