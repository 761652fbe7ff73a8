/* natter-mcp-page-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-mcp-page.h"

G_BEGIN_DECLS

/* For the GUI tests: the row of a server, and its buttons ("test",
 * "edit", "remove"), which the tests press. */
AdwActionRow *_natter_mcp_page_find_row    (NatterMcpPage *self,
                                            const char    *name);
GtkButton    *_natter_mcp_page_row_button  (AdwActionRow  *row,
                                            const char    *which);
/* Imports a file as the Import… button's chooser does once a file is picked. */
void          _natter_mcp_page_import_file (NatterMcpPage *self,
                                            GFile         *file);

G_END_DECLS
