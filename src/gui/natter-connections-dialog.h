/* natter-connections-dialog.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* PLACEHOLDER so the main window links before the dialogs branch lands;
 * the dialogs branch replaces this file. */

#pragma once

#include <adwaita.h>

#include "natter-application.h"

G_BEGIN_DECLS

#define NATTER_TYPE_CONNECTIONS_DIALOG (natter_connections_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NatterConnectionsDialog, natter_connections_dialog, NATTER, CONNECTIONS_DIALOG, AdwWindow)

NatterConnectionsDialog *natter_connections_dialog_new (NatterApplication *application);

G_END_DECLS
