/* natter-preferences-window.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-preferences-window"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-application.h"
#include "natter-generation-rows.h"
#include "natter-chat-store.h"
#include "natter-mcp-page.h"
#include "natter-preferences-window.h"

struct _NatterPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwComboRow          *color_scheme_row;
  GtkAdjustment        *font_scale_adjustment;
  GtkSpinButton        *font_scale_spin;
  GtkSwitch            *enter_sends_switch;
  GtkSwitch            *show_reasoning_switch;
  AdwEntryRow          *persona_name_row;
  AdwEntryRow          *persona_description_row;
  NatterSidecarGroup   *sidecar_group;
};

G_DEFINE_FINAL_TYPE (NatterPreferencesWindow, natter_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Positions in the combo row's string list. */
static const char * const color_schemes[] = { "default", "light", "dark" };

static gboolean
scheme_to_position (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  const char *scheme = g_value_get_string (from);

  for (guint i = 0; i < G_N_ELEMENTS (color_schemes); i++)
    {
      if (g_strcmp0 (scheme, color_schemes[i]) == 0)
        {
          g_value_set_uint (to, i);
          return TRUE;
        }
    }
  g_value_set_uint (to, 0);
  return TRUE;
}

static gboolean
position_to_scheme (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  guint position = g_value_get_uint (from);

  if (position >= G_N_ELEMENTS (color_schemes))
    return FALSE;
  g_value_set_string (to, color_schemes[position]);
  return TRUE;
}

/* The text size reads as a percentage ("115 %"), never as a factor
 * ("1.15"); the setting keeps the factor. */
static gboolean
scale_to_percent (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_double (to, round (g_value_get_double (from) * 100.0));
  return TRUE;
}

static gboolean
percent_to_scale (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_double (to, g_value_get_double (from) / 100.0);
  return TRUE;
}

static gboolean
font_scale_output_cb (GtkSpinButton *spin)
{
  g_autofree char *text = NULL;

  /* TRANSLATORS: a text size in percent, "115 %" */
  text = g_strdup_printf (_("%.0f %%"), gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin)));
  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

/* Accepts "125", "125 %" and "125%". */
static int
font_scale_input_cb (GtkSpinButton *spin,
                     double        *value)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;
  double parsed = g_ascii_strtod (text, &end);

  if (end == text)
    return GTK_INPUT_ERROR;
  while (*end == ' ' || *end == '%' || g_unichar_isspace (g_utf8_get_char (end)))
    end = g_utf8_next_char (end);
  if (*end != '\0')
    return GTK_INPUT_ERROR;
  *value = parsed;
  return TRUE;
}

static void
load_persona (NatterPreferencesWindow *self)
{
  NatterApplication *app = NATTER_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  NatterChatStore *store = app ? natter_application_get_chat_store (app) : NULL;
  g_autoptr(NatterPersonaRow) persona = NULL;

  if (store == NULL)
    return;

  persona = natter_chat_store_get_default_persona (store, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->persona_name_row),
                         persona ? persona->name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->persona_description_row),
                         persona && persona->description ? persona->description : "");
}

static void
on_persona_apply (NatterPreferencesWindow *self)
{
  NatterApplication *app = NATTER_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  NatterChatStore *store = app ? natter_application_get_chat_store (app) : NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  if (store == NULL)
    return;

  name = gtk_editable_get_text (GTK_EDITABLE (self->persona_name_row));
  if (natter_chat_store_set_user_persona (store, name,
                                          gtk_editable_get_text (GTK_EDITABLE (self->persona_description_row)),
                                          &error) == 0)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      load_persona (self);
      return;
    }

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Saved")));
}

static void
natter_preferences_window_class_init (NatterPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterPreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, NatterPreferencesWindow, font_scale_adjustment);
  gtk_widget_class_bind_template_child (widget_class, NatterPreferencesWindow, font_scale_spin);
  gtk_widget_class_bind_template_child (widget_class, NatterPreferencesWindow, enter_sends_switch);
  gtk_widget_class_bind_template_child (widget_class, NatterPreferencesWindow, show_reasoning_switch);
  gtk_widget_class_bind_template_child (widget_class, NatterPreferencesWindow, persona_name_row);
  gtk_widget_class_bind_template_child (widget_class, NatterPreferencesWindow, persona_description_row);
  gtk_widget_class_bind_template_child (widget_class, NatterPreferencesWindow, sidecar_group);
  g_type_ensure (NATTER_TYPE_SIDECAR_GROUP);
  gtk_widget_class_bind_template_callback (widget_class, on_persona_apply);
  gtk_widget_class_bind_template_callback (widget_class, font_scale_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, font_scale_input_cb);

  /* Like every secondary window. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
natter_preferences_window_init (NatterPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
}

NatterPreferencesWindow *
natter_preferences_window_new (NatterApplication *application)
{
  NatterPreferencesWindow *self;
  NatterSettings *settings;

  g_return_val_if_fail (NATTER_IS_APPLICATION (application), NULL);

  self = g_object_new (NATTER_TYPE_PREFERENCES_WINDOW, "application", application, NULL);
  settings = natter_application_get_settings (application);

  g_object_bind_property_full (settings, "color-scheme",
                               self->color_scheme_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               scheme_to_position, position_to_scheme, NULL, NULL);
  g_object_bind_property_full (settings, "font-scale",
                               self->font_scale_adjustment, "value",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               scale_to_percent, percent_to_scale, NULL, NULL);
  g_object_bind_property (settings, "enter-sends",
                          self->enter_sends_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (settings, "show-reasoning",
                          self->show_reasoning_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  load_persona (self);
  natter_sidecar_group_set_application (self->sidecar_group, application);
  if (natter_application_get_database (application) != NULL)
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (natter_mcp_page_new (natter_application_get_database (application))));

  return self;
}
