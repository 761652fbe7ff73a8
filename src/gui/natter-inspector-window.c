/* natter-inspector-window.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* PLACEHOLDER so the main window links before the dialogs branch lands;
 * the dialogs branch replaces this file. */

#include "config.h"

#include <glib/gi18n.h>

#include "natter-inspector-window.h"

struct _NatterInspectorWindow
{
  AdwWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (NatterInspectorWindow, natter_inspector_window, ADW_TYPE_WINDOW)

static void
natter_inspector_window_class_init (NatterInspectorWindowClass *klass)
{
}

static void
natter_inspector_window_init (NatterInspectorWindow *self)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Not Available Yet"));
  gtk_window_set_title (GTK_WINDOW (self), _("Request Inspector"));
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 360);
  adw_window_set_content (ADW_WINDOW (self), page);
}

NatterInspectorWindow *
natter_inspector_window_new (NatterApplication *application)
{
  return g_object_new (NATTER_TYPE_INSPECTOR_WINDOW, "application", application, NULL);
}
