/* natter-preferences-window.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* PLACEHOLDER so the main window links before the dialogs branch lands;
 * the dialogs branch replaces this file. */

#include "config.h"

#include <glib/gi18n.h>

#include "natter-preferences-window.h"

struct _NatterPreferencesWindow
{
  AdwPreferencesWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (NatterPreferencesWindow, natter_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
natter_preferences_window_class_init (NatterPreferencesWindowClass *klass)
{
}

static void
natter_preferences_window_init (NatterPreferencesWindow *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());

  adw_preferences_page_set_title (page, _("Not Available Yet"));
  gtk_window_set_title (GTK_WINDOW (self), _("Preferences"));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}

NatterPreferencesWindow *
natter_preferences_window_new (NatterApplication *application)
{
  return g_object_new (NATTER_TYPE_PREFERENCES_WINDOW, "application", application, NULL);
}
