/* natter-profile-row.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-profile-row"

#include "config.h"

#include <glib/gi18n.h>

#include <json-glib/json-glib.h>

#include "natter-a11y.h"
#include "natter-account.h"
#include "natter-anthropic-cache.h"
#include "natter-catalog.h"
#include "natter-profile-row-private.h"
#include "natter-cloud-profile.h"
#include "natter-request-log.h"
#include "natter-secrets.h"
#include "natter-json.h"

struct _NatterProfileRow
{
  AdwActionRow     parent_instance;

  NatterProfile   *profile;
  NatterClient    *client;         /* nullable: no credits then */
  GCancellable    *cancellable;
  GCancellable    *account_cancellable;
  char            *account_summary;
  NatterLogEntry  *watched_entry;
  NatterKeySource  key_source;
  gboolean         key_known;

  GtkLabel        *key_label;
  GtkButton       *default_button;
  GtkButton       *edit_button;
  GtkButton       *duplicate_button;
  GtkButton       *delete_button;
};

G_DEFINE_FINAL_TYPE (NatterProfileRow, natter_profile_row, ADW_TYPE_ACTION_ROW)

static char *
provider_extras (NatterProfileRow *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  JsonObject *settings = NULL;
  NatterCacheSettings cache;
  char *cache_summary;

  if (natter_json_parser_load (parser, natter_profile_get_settings (self->profile), -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    settings = json_node_get_object (json_parser_get_root (parser));

  natter_cache_settings_load (&cache, settings);
  if (g_strcmp0 (natter_profile_get_provider_id (self->profile), "anthropic") == 0 &&
      (cache_summary = natter_cache_settings_summary (&cache)) != NULL)
    g_ptr_array_add (parts, cache_summary);
  if (settings != NULL && natter_json_object_get_bool (settings, "coding_plan", FALSE))
    g_ptr_array_add (parts, g_strdup (_("Coding Plan")));
  if (self->account_summary != NULL)
    g_ptr_array_add (parts, g_strdup (self->account_summary));

  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  /* TRANSLATORS: separates "Cache 5m • auto" and "Credits $7.50 left" */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

static void update (NatterProfileRow *self);

static void
account_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(NatterProfileRow) self = user_data;
  g_autoptr(NatterAccountInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = natter_client_account_finish (NATTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->profile == NULL)
    return;
  g_free (self->account_summary);
  if (info != NULL)
    self->account_summary = natter_account_info_summary (info);
  else
    {
      g_debug ("Account of a connection unknown: %s", error->message);
      self->account_summary = g_strdup (_("Credits unknown"));
    }
  update (self);
}

/* Asks the provider for the credits or subscription usage left. */
void
natter_profile_row_refresh_account (NatterProfileRow *self)
{
  g_return_if_fail (NATTER_IS_PROFILE_ROW (self));

  if (self->client == NULL ||
      !natter_account_supported (natter_profile_get_provider_id (self->profile)) ||
      *natter_profile_get_uuid (self->profile) == '\0')
    return;
  g_cancellable_cancel (self->account_cancellable);
  g_clear_object (&self->account_cancellable);
  self->account_cancellable = g_cancellable_new ();
  natter_client_account_async (self->client, self->profile, self->account_cancellable,
                               account_cb, g_object_ref (self));
}

static void
entry_state_cb (NatterLogEntry   *entry,
                GParamSpec       *pspec,
                NatterProfileRow *self)
{
  if (natter_log_entry_get_state (entry) == NATTER_LOG_STATE_PENDING ||
      natter_log_entry_get_state (entry) == NATTER_LOG_STATE_STREAMING)
    return;
  g_signal_handlers_disconnect_by_data (entry, self);
  g_clear_object (&self->watched_entry);
  natter_profile_row_refresh_account (self);
}

/* After each reply on this connection the balance changed. */
static void
log_items_changed_cb (GListModel       *log,
                      guint             position,
                      guint             removed,
                      guint             added,
                      NatterProfileRow *self)
{
  g_autoptr(NatterLogEntry) entry = NULL;

  if (added == 0 || position != 0)
    return;
  entry = g_list_model_get_item (log, 0);
  if (g_strcmp0 (natter_log_entry_get_profile (entry), natter_profile_get_name (self->profile)) != 0 ||
      natter_log_entry_get_method (entry) == NULL ||
      !g_str_equal (natter_log_entry_get_method (entry), "POST"))
    return;
  if (self->watched_entry != NULL)
    g_signal_handlers_disconnect_by_data (self->watched_entry, self);
  g_set_object (&self->watched_entry, entry);
  g_signal_connect_object (entry, "notify::state", G_CALLBACK (entry_state_cb), self, 0);
}

static void
update (NatterProfileRow *self)
{
  NatterProvider *provider;
  const char *provider_name;
  const char *model = natter_profile_get_model (self->profile);
  const char *url = natter_profile_get_base_url (self->profile);
  gboolean is_default = natter_profile_get_is_default (self->profile);
  g_autofree char *subtitle = NULL;
  g_autofree char *expanded = NULL;
  GVariant *target;

  provider = natter_catalog_lookup (natter_catalog_get_default (),
                                    natter_profile_get_provider_id (self->profile));
  provider_name = provider ? natter_provider_get_name (provider)
                           : natter_profile_get_provider_id (self->profile);
  if (*url == '\0' && provider != NULL)
    url = expanded = natter_profile_expand_default_url (self->profile,
                                                        natter_provider_get_default_url (provider));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), natter_profile_get_name (self->profile));
  /* TRANSLATORS: provider · model, then the URL on its own line */
  subtitle = g_strdup_printf (_("%s · %s\n%s"), provider_name,
                              *model ? model : _("No model chosen"),
                              url && *url ? url : _("No URL"));
  /* Provider features on a line of their own: "Cache 5m • auto + system
   * · Credits $7.50 left". */
  {
    g_autofree char *extras = provider_extras (self);

    if (extras != NULL)
      {
        char *with = g_strconcat (subtitle, "\n", extras, NULL);

        g_free (subtitle);
        subtitle = with;
      }
  }
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
  g_cancellable_cancel (self->account_cancellable);
  g_clear_object (&self->account_cancellable);
  if (self->watched_entry != NULL)
    g_signal_handlers_disconnect_by_data (self->watched_entry, self);
  g_clear_object (&self->watched_entry);
  g_clear_pointer (&self->account_summary, g_free);
  g_clear_object (&self->client);
  g_clear_object (&self->profile);

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
  self->profile = g_object_ref (profile);
  self->client = g_object_ref (client);
  {
      NatterRequestLog *log = natter_client_get_request_log (client);

      if (log != NULL)
        g_signal_connect_object (log, "items-changed", G_CALLBACK (log_items_changed_cb), self, 0);
    }
  g_signal_connect_object (profile, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  natter_profile_row_refresh_key_state (self);
  natter_profile_row_refresh_account (self);

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
