/* natter-window.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "natter-window.h"

struct _NatterWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (NatterWindow, natter_window, ADW_TYPE_APPLICATION_WINDOW)

static void
natter_window_class_init (NatterWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-window.ui");
}

static void
natter_window_init (NatterWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

NatterWindow *
natter_window_new (NatterApplication *application)
{
  return g_object_new (NATTER_TYPE_WINDOW, "application", application, NULL);
}

void
natter_window_import_files (NatterWindow  *self,
                            GFile        **files,
                            int            n_files)
{
  g_return_if_fail (NATTER_IS_WINDOW (self));
}
