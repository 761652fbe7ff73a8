/* natter-connections-dialog.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-application.h"
#include "natter-profile-editor.h"
#include "natter-profile-row.h"

G_BEGIN_DECLS

#define NATTER_TYPE_CONNECTIONS_DIALOG (natter_connections_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NatterConnectionsDialog, natter_connections_dialog, NATTER, CONNECTIONS_DIALOG, AdwWindow)

/* The connection manager: every profile of the application's profile store
 * as a row, live, with New, Edit, Duplicate, Delete (confirmed; the stored
 * secrets go too) and Set as default. Actions (int64 profile id target):
 * connections.new, connections.edit, connections.duplicate,
 * connections.delete, connections.set-default. */
NatterConnectionsDialog *natter_connections_dialog_new          (NatterApplication       *application);
/* The edit form shown in the window, or NULL while the list is shown.
 * Transfer none. */
NatterProfileEditor     *natter_connections_dialog_get_editor   (NatterConnectionsDialog *self);

G_END_DECLS
