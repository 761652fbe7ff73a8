/* natter-gui-tool-approver.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-tool-approver.h"

G_BEGIN_DECLS

/* The approver of the GUI: a dialog for each call over the active window
 * of @application; "Always allow" is kept for the approver's life. */
#define NATTER_TYPE_GUI_TOOL_APPROVER (natter_gui_tool_approver_get_type ())
G_DECLARE_FINAL_TYPE (NatterGuiToolApprover, natter_gui_tool_approver, NATTER, GUI_TOOL_APPROVER, GObject)

NatterGuiToolApprover    *natter_gui_tool_approver_new           (GtkApplication       *application);

G_END_DECLS
