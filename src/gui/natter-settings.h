/* natter-settings.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define NATTER_TYPE_SETTINGS (natter_settings_get_type ())
G_DECLARE_FINAL_TYPE (NatterSettings, natter_settings, NATTER, SETTINGS, GObject)

/* UI preferences, bound to the GSettings schema APP_ID. When the schema is
 * not installed (an uninstalled run without GSETTINGS_SCHEMA_DIR), the
 * properties keep their defaults in memory and nothing is persisted. */
NatterSettings *natter_settings_new                (void);
gboolean        natter_settings_is_persistent      (NatterSettings *self);

int             natter_settings_get_window_width   (NatterSettings *self);
int             natter_settings_get_window_height  (NatterSettings *self);
gboolean        natter_settings_get_window_maximized (NatterSettings *self);
void            natter_settings_set_window_state   (NatterSettings *self,
                                                    int             width,
                                                    int             height,
                                                    gboolean        maximized);
/* "default", "light" or "dark". */
const char     *natter_settings_get_color_scheme   (NatterSettings *self);
void            natter_settings_set_color_scheme   (NatterSettings *self,
                                                    const char     *scheme);
double          natter_settings_get_font_scale     (NatterSettings *self);
void            natter_settings_set_font_scale     (NatterSettings *self,
                                                    double          scale);
gboolean        natter_settings_get_enter_sends    (NatterSettings *self);
void            natter_settings_set_enter_sends    (NatterSettings *self,
                                                    gboolean        enter_sends);
gboolean        natter_settings_get_show_reasoning (NatterSettings *self);
void            natter_settings_set_show_reasoning (NatterSettings *self,
                                                    gboolean        show);

G_END_DECLS
