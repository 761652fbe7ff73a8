/* natter-lorebook-editor-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-lorebook-editor.h"

G_BEGIN_DECLS

/* For tests: the controls by name ("books", "entries", "comment", "keys",
 * "secondary", "logic", "constant", "enabled", "position", "depth",
 * "order", "probability", "scan-depth", "exclude-recursion",
 * "prevent-recursion", "content", "global", "character", "chat"). */
GtkWidget *natter_lorebook_editor_get_control (NatterLorebookEditor *self,
                                               const char           *name);
gint64     natter_lorebook_editor_get_book_id (NatterLorebookEditor *self);
/* Imports @path as the file chooser does, and shows the new book. */
gboolean   natter_lorebook_editor_import_file (NatterLorebookEditor *self,
                                               const char           *path,
                                               GError              **error);

G_END_DECLS
