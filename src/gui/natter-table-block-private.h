/* natter-table-block-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A Markdown table shown as a grid (a NatterBlockBin around a GtkGrid). */
GtkWidget *natter_table_block_new      (void);
/* Shows @cells, as natter_markdown_table_cells() returns them. */
void       natter_table_block_set      (GtkWidget  *bin,
                                        const char *cells);
/* The label in @row (0: the header) and @column, NULL when none (tests). */
GtkWidget *natter_table_block_get_cell (GtkWidget  *bin,
                                        guint       row,
                                        guint       column);

G_END_DECLS
