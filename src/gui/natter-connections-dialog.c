/* natter-connections-dialog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* PLACEHOLDER so the main window links before the dialogs branch lands;
 * the dialogs branch replaces this file. */

#include "config.h"

#include <glib/gi18n.h>

#include "natter-connections-dialog.h"

struct _NatterConnectionsDialog
{
  AdwWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (NatterConnectionsDialog, natter_connections_dialog, ADW_TYPE_WINDOW)

static void
natter_connections_dialog_class_init (NatterConnectionsDialogClass *klass)
{
}

static void
natter_connections_dialog_init (NatterConnectionsDialog *self)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Not Available Yet"));
  gtk_window_set_title (GTK_WINDOW (self), _("Connections"));
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 360);
  adw_window_set_content (ADW_WINDOW (self), page);
}

NatterConnectionsDialog *
natter_connections_dialog_new (NatterApplication *application)
{
  return g_object_new (NATTER_TYPE_CONNECTIONS_DIALOG, "application", application, NULL);
}
