/* natter-gui-tool-approver.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-chat-store.h"
#include "natter-tool-approver.h"

G_BEGIN_DECLS

/* The approver of the GUI: a dialog for each call over the active window
 * of @application; "Always allow" is kept with the chat. */
#define NATTER_TYPE_GUI_TOOL_APPROVER (natter_gui_tool_approver_get_type ())
G_DECLARE_FINAL_TYPE (NatterGuiToolApprover, natter_gui_tool_approver, NATTER, GUI_TOOL_APPROVER, GObject)

/* @store nullable: "Always allow" is then kept in memory only; else in
 * chat @chat_id (natter_tool_store_allow()). */
NatterGuiToolApprover    *natter_gui_tool_approver_new           (GtkApplication       *application,
                                                                  NatterChatStore      *store,
                                                                  gint64                chat_id);

G_END_DECLS
