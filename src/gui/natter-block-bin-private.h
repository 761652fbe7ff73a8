/* natter-block-bin-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A block's widget sits in a NatterBlockBin, which tells its parent a
 * small fixed width instead of asking the label: a wrapping label's width
 * request lays its whole text out twice more (once unwrapped, once wrapped
 * as narrow as it goes), which was most of the cost of each row the list
 * view brings into sight. The label is only ever laid out at the width it
 * gets. */
#define NATTER_TYPE_BLOCK_BIN (natter_block_bin_get_type ())
G_DECLARE_FINAL_TYPE (NatterBlockBin, natter_block_bin, NATTER, BLOCK_BIN, GtkWidget)

/* A bin showing @child (a box of text pieces marked with
 * natter_block_bin_set_text_pieces(), or any widget). */
GtkWidget *natter_block_bin_new                 (GtkWidget *child);
/* Tells @bin that what its child shows changed: its height is measured
 * again. */
void       natter_block_bin_content_changed     (GtkWidget *bin);
/* Marks @child (a vertical box of labels) as pieces of text the bin
 * measures one by one, remembering each piece's height. */
void       natter_block_bin_set_text_pieces     (GtkWidget *child);
/* Marks @scroller (a GtkScrolledWindow scrolling sideways only) as showing
 * @content: the bin makes it as tall as @content is at the bin's width, or
 * at @content's narrowest when that is wider (then it scrolls). */
void       natter_block_bin_set_scroll_content  (GtkWidget *scroller,
                                                 GtkWidget *content);
/* Forgets the height remembered for @piece (its text changed). */
void       natter_block_bin_forget_piece_height (GtkWidget *piece);

/* The narrowest a block's label measures itself at, in characters. */
#define NATTER_BLOCK_MIN_CHARS 12

G_END_DECLS
