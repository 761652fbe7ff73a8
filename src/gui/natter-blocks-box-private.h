/* natter-blocks-box-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The groups of blocks go in a NatterBlocksBox: a vertical box that draws
 * only the groups within the scrolled window's viewport. A reply of
 * thousands of blocks would otherwise be drawn whole every frame it grows,
 * however little of it shows. It draws again when the view scrolls. */
#define NATTER_TYPE_BLOCKS_BOX (natter_blocks_box_get_type ())
G_DECLARE_FINAL_TYPE (NatterBlocksBox, natter_blocks_box, NATTER, BLOCKS_BOX, GtkWidget)

G_END_DECLS
