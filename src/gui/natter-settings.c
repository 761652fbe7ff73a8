/* natter-settings.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-settings"

#include "config.h"

#include "natter-settings.h"

struct _NatterSettings
{
  GObject    parent_instance;

  GSettings *settings;

  int        window_width;
  int        window_height;
  gboolean   window_maximized;
  char      *color_scheme;
  double     font_scale;
  gboolean   enter_sends;
  gboolean   show_reasoning;
};

G_DEFINE_FINAL_TYPE (NatterSettings, natter_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WINDOW_WIDTH,
  PROP_WINDOW_HEIGHT,
  PROP_WINDOW_MAXIMIZED,
  PROP_COLOR_SCHEME,
  PROP_FONT_SCALE,
  PROP_ENTER_SENDS,
  PROP_SHOW_REASONING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The GSettings key behind each property, in property order. */
static const char * const keys[N_PROPS] = {
  NULL,
  "window-width",
  "window-height",
  "window-maximized",
  "color-scheme",
  "font-scale",
  "enter-sends",
  "show-reasoning",
};

static void
natter_settings_finalize (GObject *object)
{
  NatterSettings *self = (NatterSettings *)object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->color_scheme, g_free);

  G_OBJECT_CLASS (natter_settings_parent_class)->finalize (object);
}

static void
natter_settings_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  NatterSettings *self = NATTER_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_WINDOW_WIDTH:
      g_value_set_int (value, self->window_width);
      break;
    case PROP_WINDOW_HEIGHT:
      g_value_set_int (value, self->window_height);
      break;
    case PROP_WINDOW_MAXIMIZED:
      g_value_set_boolean (value, self->window_maximized);
      break;
    case PROP_COLOR_SCHEME:
      g_value_set_string (value, self->color_scheme);
      break;
    case PROP_FONT_SCALE:
      g_value_set_double (value, self->font_scale);
      break;
    case PROP_ENTER_SENDS:
      g_value_set_boolean (value, self->enter_sends);
      break;
    case PROP_SHOW_REASONING:
      g_value_set_boolean (value, self->show_reasoning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_settings_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  NatterSettings *self = NATTER_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_WINDOW_WIDTH:
      if (self->window_width == g_value_get_int (value))
        return;
      self->window_width = g_value_get_int (value);
      break;
    case PROP_WINDOW_HEIGHT:
      if (self->window_height == g_value_get_int (value))
        return;
      self->window_height = g_value_get_int (value);
      break;
    case PROP_WINDOW_MAXIMIZED:
      if (self->window_maximized == g_value_get_boolean (value))
        return;
      self->window_maximized = g_value_get_boolean (value);
      break;
    case PROP_COLOR_SCHEME:
      {
        const char *scheme = g_value_get_string (value);

        if (g_strcmp0 (scheme, "light") != 0 && g_strcmp0 (scheme, "dark") != 0)
          scheme = "default";
        if (g_strcmp0 (self->color_scheme, scheme) == 0)
          return;
        g_free (self->color_scheme);
        self->color_scheme = g_strdup (scheme);
      }
      break;
    case PROP_FONT_SCALE:
      if (self->font_scale == g_value_get_double (value))
        return;
      self->font_scale = g_value_get_double (value);
      break;
    case PROP_ENTER_SENDS:
      if (self->enter_sends == g_value_get_boolean (value))
        return;
      self->enter_sends = g_value_get_boolean (value);
      break;
    case PROP_SHOW_REASONING:
      if (self->show_reasoning == g_value_get_boolean (value))
        return;
      self->show_reasoning = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  g_object_notify_by_pspec (object, pspec);
}

static void
natter_settings_constructed (GObject *object)
{
  NatterSettings *self = NATTER_SETTINGS (object);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  G_OBJECT_CLASS (natter_settings_parent_class)->constructed (object);

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);

  if (schema == NULL)
    {
      g_debug ("Schema %s not installed; preferences are not saved", APP_ID);
      return;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);
  for (guint i = 1; i < N_PROPS; i++)
    g_settings_bind (self->settings, keys[i], self, keys[i], G_SETTINGS_BIND_DEFAULT);
}

static void
natter_settings_class_init (NatterSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_settings_finalize;
  object_class->get_property = natter_settings_get_property;
  object_class->set_property = natter_settings_set_property;
  object_class->constructed = natter_settings_constructed;

  properties[PROP_WINDOW_WIDTH] =
    g_param_spec_int ("window-width", NULL, NULL, 0, G_MAXINT, 1000,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WINDOW_HEIGHT] =
    g_param_spec_int ("window-height", NULL, NULL, 0, G_MAXINT, 720,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_WINDOW_MAXIMIZED] =
    g_param_spec_boolean ("window-maximized", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COLOR_SCHEME] =
    g_param_spec_string ("color-scheme", NULL, NULL, "default",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FONT_SCALE] =
    g_param_spec_double ("font-scale", NULL, NULL, 0.5, 3.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ENTER_SENDS] =
    g_param_spec_boolean ("enter-sends", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOW_REASONING] =
    g_param_spec_boolean ("show-reasoning", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
natter_settings_init (NatterSettings *self)
{
  self->window_width = 1000;
  self->window_height = 720;
  self->color_scheme = g_strdup ("default");
  self->font_scale = 1.0;
  self->enter_sends = TRUE;
  self->show_reasoning = TRUE;
}

NatterSettings *
natter_settings_new (void)
{
  return g_object_new (NATTER_TYPE_SETTINGS, NULL);
}

gboolean
natter_settings_is_persistent (NatterSettings *self)
{
  g_return_val_if_fail (NATTER_IS_SETTINGS (self), FALSE);
  return self->settings != NULL;
}

int
natter_settings_get_window_width (NatterSettings *self)
{
  g_return_val_if_fail (NATTER_IS_SETTINGS (self), 0);
  return self->window_width;
}

int
natter_settings_get_window_height (NatterSettings *self)
{
  g_return_val_if_fail (NATTER_IS_SETTINGS (self), 0);
  return self->window_height;
}

gboolean
natter_settings_get_window_maximized (NatterSettings *self)
{
  g_return_val_if_fail (NATTER_IS_SETTINGS (self), FALSE);
  return self->window_maximized;
}

void
natter_settings_set_window_state (NatterSettings *self,
                                  int             width,
                                  int             height,
                                  gboolean        maximized)
{
  g_return_if_fail (NATTER_IS_SETTINGS (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (!maximized)
    g_object_set (self, "window-width", MAX (width, 0), "window-height", MAX (height, 0), NULL);
  g_object_set (self, "window-maximized", maximized, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
natter_settings_get_color_scheme (NatterSettings *self)
{
  g_return_val_if_fail (NATTER_IS_SETTINGS (self), NULL);
  return self->color_scheme;
}

void
natter_settings_set_color_scheme (NatterSettings *self,
                                  const char     *scheme)
{
  g_return_if_fail (NATTER_IS_SETTINGS (self));
  g_object_set (self, "color-scheme", scheme, NULL);
}

double
natter_settings_get_font_scale (NatterSettings *self)
{
  g_return_val_if_fail (NATTER_IS_SETTINGS (self), 1.0);
  return self->font_scale;
}

void
natter_settings_set_font_scale (NatterSettings *self,
                                double          scale)
{
  g_return_if_fail (NATTER_IS_SETTINGS (self));
  g_object_set (self, "font-scale", CLAMP (scale, 0.5, 3.0), NULL);
}

gboolean
natter_settings_get_enter_sends (NatterSettings *self)
{
  g_return_val_if_fail (NATTER_IS_SETTINGS (self), TRUE);
  return self->enter_sends;
}

void
natter_settings_set_enter_sends (NatterSettings *self,
                                 gboolean        enter_sends)
{
  g_return_if_fail (NATTER_IS_SETTINGS (self));
  g_object_set (self, "enter-sends", !!enter_sends, NULL);
}

gboolean
natter_settings_get_show_reasoning (NatterSettings *self)
{
  g_return_val_if_fail (NATTER_IS_SETTINGS (self), TRUE);
  return self->show_reasoning;
}

void
natter_settings_set_show_reasoning (NatterSettings *self,
                                    gboolean        show)
{
  g_return_if_fail (NATTER_IS_SETTINGS (self));
  g_object_set (self, "show-reasoning", !!show, NULL);
}
