/* natter-profile-row.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-profile-row"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-catalog.h"
#include "natter-profile-row-private.h"

struct _NatterProfileRow
{
  AdwActionRow     parent_instance;

  NatterClient    *client;
  NatterProfile   *profile;
  GCancellable    *cancellable;
  NatterKeySource  key_source;
  gboolean         key_known;

  GtkLabel        *key_label;
  GtkButton       *default_button;
  GtkButton       *edit_button;
  GtkButton       *duplicate_button;
  GtkButton       *delete_button;
};

G_DEFINE_FINAL_TYPE (NatterProfileRow, natter_profile_row, ADW_TYPE_ACTION_ROW)

static void
update (NatterProfileRow *self)
{
  NatterProvider *provider;
  const char *provider_name;
  const char *model = natter_profile_get_model (self->profile);
  const char *url = natter_profile_get_base_url (self->profile);
  gboolean is_default = natter_profile_get_is_default (self->profile);
  g_autofree char *subtitle = NULL;
  GVariant *target;

  provider = natter_catalog_lookup (natter_catalog_get_default (),
                                    natter_profile_get_provider_id (self->profile));
  provider_name = provider ? natter_provider_get_name (provider)
                           : natter_profile_get_provider_id (self->profile);
  if (*url == '\0' && provider != NULL)
    url = natter_provider_get_default_url (provider);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), natter_profile_get_name (self->profile));
  /* TRANSLATORS: provider · model, then the URL on its own line */
  subtitle = g_strdup_printf (_("%s · %s\n%s"), provider_name,
                              *model ? model : _("No model chosen"),
                              url && *url ? url : _("No URL"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  /* The star is filled on the default connection; pressing it there
   * changes nothing. */
  gtk_button_set_icon_name (self->default_button,
                            is_default ? "starred-symbolic" : "non-starred-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->default_button),
                               is_default ? _("Default Connection") : _("Set as Default"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->default_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  is_default ? _("Default connection") : _("Set as default"),
                                  -1);

  /* Every row has the same buttons: the description says which
   * connection a button acts on. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->edit_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, natter_profile_get_name (self->profile), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->duplicate_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, natter_profile_get_name (self->profile), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->delete_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, natter_profile_get_name (self->profile), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->default_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, natter_profile_get_name (self->profile), -1);

  target = g_variant_new_int64 (natter_profile_get_id (self->profile));
  g_variant_ref_sink (target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->default_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->edit_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->duplicate_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->delete_button), target);
  g_variant_unref (target);
}

static void
set_key_source (NatterProfileRow *self,
                NatterKeySource   source)
{
  self->key_source = source;
  self->key_known = TRUE;
  gtk_label_set_label (self->key_label, natter_key_source_describe (source));
}

static void
key_source_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(NatterProfileRow) self = user_data;
  g_autoptr(GError) error = NULL;
  NatterKeySource source;

  source = natter_client_key_source_finish (NATTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->profile == NULL)
    return;
  if (error != NULL)
    g_debug ("Key state of a profile unknown: %s", error->message);

  set_key_source (self, source);
}

void
natter_profile_row_refresh_key_state (NatterProfileRow *self)
{
  g_return_if_fail (NATTER_IS_PROFILE_ROW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  self->cancellable = g_cancellable_new ();
  natter_client_key_source_async (self->client, self->profile, self->cancellable,
                                  key_source_cb, g_object_ref (self));
}

static void
natter_profile_row_dispose (GObject *object)
{
  NatterProfileRow *self = (NatterProfileRow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->profile);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (natter_profile_row_parent_class)->dispose (object);
}

static void
natter_profile_row_class_init (NatterProfileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_profile_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-profile-row.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterProfileRow, key_label);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileRow, default_button);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileRow, duplicate_button);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileRow, delete_button);
}

static void
natter_profile_row_init (NatterProfileRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
}

NatterProfileRow *
natter_profile_row_new (NatterClient  *client,
                        NatterProfile *profile)
{
  NatterProfileRow *self;

  g_return_val_if_fail (NATTER_IS_CLIENT (client), NULL);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), NULL);

  self = g_object_new (NATTER_TYPE_PROFILE_ROW, NULL);
  self->client = g_object_ref (client);
  self->profile = g_object_ref (profile);
  g_signal_connect_object (profile, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  natter_profile_row_refresh_key_state (self);

  return self;
}

NatterProfile *
natter_profile_row_get_profile (NatterProfileRow *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE_ROW (self), NULL);

  return self->profile;
}

NatterKeySource
natter_profile_row_get_key_source (NatterProfileRow *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE_ROW (self), NATTER_KEY_SOURCE_NONE);

  return self->key_source;
}

gboolean
natter_profile_row_get_key_known (NatterProfileRow *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE_ROW (self), FALSE);

  return self->key_known;
}
