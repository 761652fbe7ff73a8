/* natter-code-block-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A fenced code block: a card with the language and a Copy button above
 * the code in monospace pieces (a NatterBlockBin). @label_out is the
 * first piece, @lang_out the language label. The Copy button copies the
 * block's whole code as its message row knows it. */
GtkWidget *natter_code_block_new (GtkLabel **label_out,
                                  GtkLabel **lang_out);

G_END_DECLS
