/* natter-text-block-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Text blocks: a message's paragraphs, lists, quotes and headings as
 * wrapping, selectable labels in a NatterBlockBin, cut into pieces of 40
 * lines so a growing block lays out only its end. */

/* A new text block (a NatterBlockBin); @label_out is its first piece. */
GtkWidget *natter_text_block_new  (GtkLabel   **label_out);
/* One piece of Markup text, one of verbatim code. */
GtkWidget *natter_text_piece_new  (void);
GtkWidget *natter_code_piece_new  (void);
/* Shows @text (Pango markup when @markup) in the labels of the vertical
 * box @pieces, made with @piece_new as needed; labels whose piece did not
 * change are not touched. */
void       natter_text_pieces_set (GtkWidget   *pieces,
                                   const char  *text,
                                   gboolean     markup,
                                   GtkWidget *(*piece_new) (void));

G_END_DECLS
