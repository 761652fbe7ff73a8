/* natter-attachment-view.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-tool.h"

G_BEGIN_DECLS

/* A chip for @attachment: a thumbnail (made off the main thread) or a
 * file icon, and its name. @openable: the chip is a button that opens it
 * full size (natter_attachment_viewer_show()). A horizontal GtkBox, so a
 * caller may append a control. The chip keeps a copy of @attachment. */
GtkWidget *natter_attachment_chip_new     (const NatterAttachment *attachment,
                                           gboolean                openable);
/* A window showing @attachment whole: the picture at full size, or the
 * text of a file. Transient for @parent's window. */
GtkWindow *natter_attachment_viewer_show  (GtkWidget              *parent,
                                           const NatterAttachment *attachment);

G_END_DECLS
