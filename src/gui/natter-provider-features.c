/* natter-provider-features.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-provider-features"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-anthropic-cache.h"
#include "natter-headers.h"
#include "natter-model-settings.h"
#include "natter-openrouter-signin.h"
#include "natter-provider-features.h"

struct _NatterProviderFeatures
{
  GtkBox                  parent_instance;

  NatterClient           *client;
  NatterProfile          *profile;
  NatterOpenrouterSignin *signin;
  GCancellable           *signin_cancellable;

  AdwPreferencesGroup    *cache_group;
  GtkSwitch              *cache_switch;
  AdwComboRow            *ttl_row;
  GtkSwitch              *auto_switch;
  GtkCheckButton         *tools_check;
  GtkCheckButton         *system_check;
  GtkCheckButton         *prefix_check;
  AdwPreferencesGroup    *openrouter_group;
  GtkButton              *signin_button;
  GtkButton              *signin_cancel_button;
  AdwComboRow            *sort_row;
  AdwEntryRow            *only_row;
  AdwEntryRow            *ignore_row;
  AdwEntryRow            *order_row;
  AdwEntryRow            *quantizations_row;
  GtkSwitch              *fallbacks_switch;
  AdwComboRow            *data_row;
  GtkSwitch              *web_switch;
  GtkSwitch              *healing_switch;
  GtkSwitch              *middle_out_switch;
  AdwPreferencesGroup    *zai_group;
  AdwPreferencesGroup    *model_group;
  GtkSwitch              *coding_plan_switch;
  AdwEntryRow            *alias_row;
  AdwEntryRow            *model_input_price_row;
  AdwEntryRow            *model_output_price_row;
  AdwEntryRow            *cache_read_price_row;
  AdwEntryRow            *cache_write_price_row;
  AdwEntryRow            *context_row;
  AdwEntryRow            *max_output_row;
  GtkSwitch              *no_system_switch;
  GtkSwitch              *no_streaming_switch;
  GtkSwitch              *max_tokens_switch;
  JsonObject             *models;      /* working copy of the settings' "models" */
  char                   *model;       /* the model the details are shown for */
  AdwEntryRow            *headers_row;
  AdwPasswordEntryRow    *secret_headers_row;
  GtkLabel               *status_label;
};

G_DEFINE_FINAL_TYPE (NatterProviderFeatures, natter_provider_features, GTK_TYPE_BOX)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void     show_model_details (NatterProviderFeatures  *self);
static gboolean keep_model_details (NatterProviderFeatures  *self,
                                    GError                 **error);

static const char * const sort_values[] = { NULL, "price", "throughput", "latency" };
static const char * const data_values[] = { NULL, "allow", "deny" };

static JsonObject *
settings_of (NatterProfile *profile)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (profile != NULL &&
      json_parser_load_from_data (parser, natter_profile_get_settings (profile), -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    return json_object_ref (json_node_get_object (root));
  return json_object_new ();
}

static void
show_status (NatterProviderFeatures *self,
             const char             *message)
{
  gtk_label_set_label (self->status_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
}

static char *
join_list (JsonObject *object,
           const char *member)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  JsonArray *array;

  if (object == NULL || !json_object_has_member (object, member) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, member)))
    return g_strdup ("");
  array = json_object_get_array_member (object, member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *word = json_array_get_string_element (array, i);

      if (word != NULL)
        g_ptr_array_add (words, (gpointer) word);
    }
  g_ptr_array_add (words, NULL);
  return g_strjoinv (", ", (char **) words->pdata);
}

static gboolean
list_has (JsonObject *object,
          const char *member,
          const char *value)
{
  JsonArray *array;

  if (object == NULL || !json_object_has_member (object, member) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, member)))
    return FALSE;
  array = json_object_get_array_member (object, member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static guint
index_of (const char * const *values,
          guint               n,
          const char         *value)
{
  for (guint i = 1; i < n; i++)
    if (g_strcmp0 (values[i], value) == 0)
      return i;
  return 0;
}

void
natter_provider_features_load (NatterProviderFeatures *self,
                               NatterClient           *client,
                               NatterProfile          *profile)
{
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autoptr(GString) secret_names = g_string_new (NULL);
  g_autofree char *only = NULL;
  g_autofree char *ignore = NULL;
  g_autofree char *order = NULL;
  g_autofree char *quantizations = NULL;
  JsonObject *routing = NULL;
  NatterCacheSettings cache;

  g_return_if_fail (NATTER_IS_PROVIDER_FEATURES (self));

  g_set_object (&self->client, client);
  g_set_object (&self->profile, profile);
  settings = settings_of (profile);

  natter_cache_settings_load (&cache, settings);
  gtk_switch_set_active (self->cache_switch, cache.enabled);
  adw_combo_row_set_selected (self->ttl_row, cache.one_hour ? 1 : 0);
  gtk_switch_set_active (self->auto_switch, cache.automatic);
  gtk_check_button_set_active (self->tools_check, cache.tools);
  gtk_check_button_set_active (self->system_check, cache.system);
  gtk_check_button_set_active (self->prefix_check, cache.prefix);

  if (json_object_has_member (settings, "openrouter") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (settings, "openrouter")))
    routing = json_object_get_object_member (settings, "openrouter");
  adw_combo_row_set_selected (self->sort_row,
                              index_of (sort_values, G_N_ELEMENTS (sort_values),
                                        routing ? json_object_get_string_member_with_default (routing, "sort", NULL) : NULL));
  only = join_list (routing, "only");
  ignore = join_list (routing, "ignore");
  gtk_editable_set_text (GTK_EDITABLE (self->only_row), only);
  gtk_editable_set_text (GTK_EDITABLE (self->ignore_row), ignore);
  order = join_list (routing, "order");
  quantizations = join_list (routing, "quantizations");
  gtk_editable_set_text (GTK_EDITABLE (self->order_row), order);
  gtk_editable_set_text (GTK_EDITABLE (self->quantizations_row), quantizations);
  gtk_switch_set_active (self->fallbacks_switch,
                         routing == NULL ||
                         json_object_get_boolean_member_with_default (routing, "allow_fallbacks", TRUE));
  adw_combo_row_set_selected (self->data_row,
                              index_of (data_values, G_N_ELEMENTS (data_values),
                                        routing ? json_object_get_string_member_with_default (routing, "data_collection", NULL) : NULL));
  gtk_switch_set_active (self->web_switch, list_has (routing, "plugins", "web"));
  gtk_switch_set_active (self->healing_switch, list_has (routing, "plugins", "healing"));
  gtk_switch_set_active (self->middle_out_switch, list_has (routing, "plugins", "middle-out"));

  gtk_switch_set_active (self->coding_plan_switch,
                         json_object_get_boolean_member_with_default (settings, "coding_plan", FALSE));

  g_clear_pointer (&self->models, json_object_unref);
  /* @settings is a fresh parse of the profile's text: this object is ours. */
  if (json_object_has_member (settings, "models") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (settings, "models")))
    self->models = json_object_ref (json_object_get_object_member (settings, "models"));
  g_clear_pointer (&self->model, g_free);
  self->model = g_strdup (profile != NULL ? natter_profile_get_model (profile) : "");
  show_model_details (self);

  headers = natter_custom_headers_load (settings);
  for (guint i = 0; i < headers->len; i++)
    {
      NatterCustomHeader *header = g_ptr_array_index (headers, i);
      GString *out = header->secret ? secret_names : plain;

      if (out->len > 0)
        g_string_append (out, header->secret ? ", " : "; ");
      if (header->secret)
        g_string_append (out, header->name);
      else
        g_string_append_printf (out, "%s=%s", header->name, header->value ? header->value : "");
    }
  gtk_editable_set_text (GTK_EDITABLE (self->headers_row), plain->str);
  gtk_editable_set_text (GTK_EDITABLE (self->secret_headers_row), "");
  if (secret_names->len > 0)
    {
      /* TRANSLATORS: %s lists header names, never their values */
      g_autofree char *title = g_strdup_printf (_("Secret headers stored: %s (type to replace)"),
                                                secret_names->str);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_headers_row), title);
    }
  natter_provider_features_set_provider (self, profile ? natter_profile_get_provider_id (profile) : NULL);
}

void
natter_provider_features_set_profile (NatterProviderFeatures *self,
                                      NatterProfile          *profile)
{
  g_return_if_fail (NATTER_IS_PROVIDER_FEATURES (self));

  g_set_object (&self->profile, profile);
}

void
natter_provider_features_set_provider (NatterProviderFeatures *self,
                                       const char             *provider_id)
{
  g_return_if_fail (NATTER_IS_PROVIDER_FEATURES (self));

  gtk_widget_set_visible (GTK_WIDGET (self->cache_group), g_strcmp0 (provider_id, "anthropic") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->openrouter_group), g_strcmp0 (provider_id, "openrouter") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->zai_group), g_strcmp0 (provider_id, "zai") == 0);
}

static void
set_list (JsonObject *object,
          const char *member,
          const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, ",", -1);
  JsonArray *array = json_array_new ();

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = g_strstrip (words[i]);

      if (*word != '\0')
        json_array_add_string_element (array, word);
    }
  if (json_array_get_length (array) == 0)
    {
      json_array_unref (array);
      json_object_remove_member (object, member);
      return;
    }
  json_object_set_array_member (object, member, array);
}

/* "A=1; B=2" into @headers. */
static gboolean
parse_header_list (const char  *text,
                   gboolean     secret,
                   GPtrArray   *headers,
                   GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ";", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      char *item = g_strstrip (items[i]);

      if (*item == '\0')
        continue;
      if (!natter_custom_header_parse (item, &name, &value, error))
        return FALSE;
      g_ptr_array_add (headers, natter_custom_header_new (name, value, secret));
    }
  return TRUE;
}

gboolean
natter_provider_features_save (NatterProviderFeatures  *self,
                               NatterProfile           *profile,
                               GError                 **error)
{
  g_autoptr(JsonObject) settings = settings_of (profile);
  g_autoptr(GPtrArray) old_headers = NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_custom_header_free);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  const char *provider = natter_profile_get_provider_id (profile);
  const char *secret_text;
  NatterCacheSettings cache = { 0 };

  g_return_val_if_fail (NATTER_IS_PROVIDER_FEATURES (self), FALSE);

  if (!parse_header_list (gtk_editable_get_text (GTK_EDITABLE (self->headers_row)), FALSE, headers, error))
    return FALSE;
  if (!keep_model_details (self, error))
    return FALSE;
  /* The settings are turned into text at once: sharing the object is safe. */
  if (self->models != NULL && json_object_get_size (self->models) > 0)
    json_object_set_object_member (settings, "models", json_object_ref (self->models));
  else
    json_object_remove_member (settings, "models");
  secret_text = gtk_editable_get_text (GTK_EDITABLE (self->secret_headers_row));
  if (*secret_text != '\0')
    {
      if (!parse_header_list (secret_text, TRUE, headers, error))
        return FALSE;
    }
  else
    {
      /* Left empty: the stored secret headers stay. */
      old_headers = natter_custom_headers_load (settings);
      for (guint i = 0; i < old_headers->len; i++)
        {
          NatterCustomHeader *header = g_ptr_array_index (old_headers, i);

          if (header->secret)
            g_ptr_array_add (headers, natter_custom_header_new (header->name, NULL, TRUE));
        }
    }
  natter_custom_headers_save (headers, settings);

  if (g_strcmp0 (provider, "anthropic") == 0)
    {
      cache.enabled = gtk_switch_get_active (self->cache_switch);
      cache.one_hour = adw_combo_row_get_selected (self->ttl_row) == 1;
      cache.automatic = gtk_switch_get_active (self->auto_switch);
      cache.tools = gtk_check_button_get_active (self->tools_check);
      cache.system = gtk_check_button_get_active (self->system_check);
      cache.prefix = gtk_check_button_get_active (self->prefix_check);
      natter_cache_settings_save (&cache, settings);
    }

  if (g_strcmp0 (provider, "openrouter") == 0)
    {
      JsonObject *routing = json_object_new ();
      JsonArray *plugins = json_array_new ();
      guint sort = adw_combo_row_get_selected (self->sort_row);
      guint data = adw_combo_row_get_selected (self->data_row);

      if (json_object_has_member (settings, "openrouter") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (settings, "openrouter")))
        {
          JsonObject *old = json_object_get_object_member (settings, "openrouter");

          /* Members the form has no field for (order, quantizations…) stay. */
          json_object_unref (routing);
          routing = json_object_ref (old);
        }
      if (sort > 0 && sort < G_N_ELEMENTS (sort_values))
        json_object_set_string_member (routing, "sort", sort_values[sort]);
      else
        json_object_remove_member (routing, "sort");
      set_list (routing, "only", gtk_editable_get_text (GTK_EDITABLE (self->only_row)));
      set_list (routing, "ignore", gtk_editable_get_text (GTK_EDITABLE (self->ignore_row)));
      set_list (routing, "order", gtk_editable_get_text (GTK_EDITABLE (self->order_row)));
      set_list (routing, "quantizations", gtk_editable_get_text (GTK_EDITABLE (self->quantizations_row)));
      /* Only a refusal is sent: OpenRouter allows fallbacks by default. */
      if (gtk_switch_get_active (self->fallbacks_switch))
        json_object_remove_member (routing, "allow_fallbacks");
      else
        json_object_set_boolean_member (routing, "allow_fallbacks", FALSE);
      if (data > 0 && data < G_N_ELEMENTS (data_values))
        json_object_set_string_member (routing, "data_collection", data_values[data]);
      else
        json_object_remove_member (routing, "data_collection");
      if (gtk_switch_get_active (self->web_switch))
        json_array_add_string_element (plugins, "web");
      if (gtk_switch_get_active (self->healing_switch))
        json_array_add_string_element (plugins, "healing");
      if (gtk_switch_get_active (self->middle_out_switch))
        json_array_add_string_element (plugins, "middle-out");
      json_object_set_array_member (routing, "plugins", plugins);
      json_object_set_object_member (settings, "openrouter", routing);
    }

  if (g_strcmp0 (provider, "zai") == 0)
    {
      if (gtk_switch_get_active (self->coding_plan_switch))
        json_object_set_boolean_member (settings, "coding_plan", TRUE);
      else
        json_object_remove_member (settings, "coding_plan");
    }

  node = json_node_init_object (json_node_alloc (), settings);
  text = json_to_string (node, FALSE);
  natter_profile_set_settings (profile, text);
  return TRUE;
}

char *
natter_provider_features_dup_secret_headers (NatterProviderFeatures *self)
{
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_custom_header_free);
  const char *text;

  g_return_val_if_fail (NATTER_IS_PROVIDER_FEATURES (self), NULL);

  text = gtk_editable_get_text (GTK_EDITABLE (self->secret_headers_row));
  if (*text == '\0' || !parse_header_list (text, TRUE, headers, NULL))
    return NULL;
  return natter_custom_headers_secret_json (headers);
}

void
natter_provider_features_clear_secret_headers (NatterProviderFeatures *self)
{
  g_return_if_fail (NATTER_IS_PROVIDER_FEATURES (self));
  gtk_editable_set_text (GTK_EDITABLE (self->secret_headers_row), "");
}

/* Model details: per-model overrides of this connection */

static const struct
{
  const char *key;
  gsize       offset;   /* of the AdwEntryRow or GtkSwitch in the struct */
  gboolean    is_switch;
} detail_fields[] = {
  { "alias", G_STRUCT_OFFSET (NatterProviderFeatures, alias_row), FALSE },
  { "input_price", G_STRUCT_OFFSET (NatterProviderFeatures, model_input_price_row), FALSE },
  { "output_price", G_STRUCT_OFFSET (NatterProviderFeatures, model_output_price_row), FALSE },
  { "cache_read_price", G_STRUCT_OFFSET (NatterProviderFeatures, cache_read_price_row), FALSE },
  { "cache_write_price", G_STRUCT_OFFSET (NatterProviderFeatures, cache_write_price_row), FALSE },
  { "context", G_STRUCT_OFFSET (NatterProviderFeatures, context_row), FALSE },
  { "max_output", G_STRUCT_OFFSET (NatterProviderFeatures, max_output_row), FALSE },
  { "no_system_message", G_STRUCT_OFFSET (NatterProviderFeatures, no_system_switch), TRUE },
  { "no_streaming", G_STRUCT_OFFSET (NatterProviderFeatures, no_streaming_switch), TRUE },
  { "max_tokens_required", G_STRUCT_OFFSET (NatterProviderFeatures, max_tokens_switch), TRUE },
};

static gpointer
field_widget (NatterProviderFeatures *self,
              guint                   i)
{
  return G_STRUCT_MEMBER (gpointer, self, detail_fields[i].offset);
}

static void
show_model_details (NatterProviderFeatures *self)
{
  JsonObject *object = NULL;

  if (self->models != NULL && self->model != NULL && json_object_has_member (self->models, self->model) &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (self->models, self->model)))
    object = json_object_get_object_member (self->models, self->model);

  for (guint i = 0; i < G_N_ELEMENTS (detail_fields); i++)
    {
      JsonNode *node = object != NULL && json_object_has_member (object, detail_fields[i].key)
                       ? json_object_get_member (object, detail_fields[i].key) : NULL;

      if (detail_fields[i].is_switch)
        gtk_switch_set_active (field_widget (self, i),
                               node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                               json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
                               json_node_get_boolean (node));
      else
        {
          g_autofree char *text = NULL;

          if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
            {
              GType type = json_node_get_value_type (node);
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              if (type == G_TYPE_STRING)
                text = g_strdup (json_node_get_string (node));
              else if (type == G_TYPE_INT64)
                text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
              else if (type == G_TYPE_DOUBLE)
                text = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", json_node_get_double (node)));
            }
          gtk_editable_set_text (GTK_EDITABLE (field_widget (self, i)), text ? text : "");
        }
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_group), self->model != NULL && *self->model != '\0');
}

/* The fields into the working copy for the model shown; FALSE with a
 * message for people on a malformed value. */
static gboolean
keep_model_details (NatterProviderFeatures  *self,
                    GError                 **error)
{
  g_autoptr(JsonObject) settings = json_object_new ();

  if (self->model == NULL || *self->model == '\0')
    return TRUE;
  if (self->models != NULL)
    json_object_set_object_member (settings, "models", json_object_ref (self->models));

  for (guint i = 0; i < G_N_ELEMENTS (detail_fields); i++)
    {
      g_autofree char *value = NULL;

      if (detail_fields[i].is_switch)
        value = g_strdup (gtk_switch_get_active (field_widget (self, i)) ? "true" : "");
      else
        {
          value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (field_widget (self, i)))));
          /* A comma is the decimal separator in many locales. */
          if (g_str_has_suffix (detail_fields[i].key, "_price"))
            g_strdelimit (value, ",", '.');
        }
      if (!natter_model_settings_set (settings, self->model, detail_fields[i].key, value, error))
        return FALSE;
    }

  g_clear_pointer (&self->models, json_object_unref);
  if (json_object_has_member (settings, "models"))
    self->models = json_object_ref (json_object_get_object_member (settings, "models"));
  return TRUE;
}

void
natter_provider_features_set_model (NatterProviderFeatures *self,
                                    const char             *model)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *clean = g_strstrip (g_strdup (model ? model : ""));

  g_return_if_fail (NATTER_IS_PROVIDER_FEATURES (self));

  if (g_strcmp0 (clean, self->model) == 0)
    return;
  /* What was typed for the previous model stays with it (a malformed
   * value is dropped: Save would have refused it). */
  if (!keep_model_details (self, &error))
    g_debug ("Model details not kept: %s", error->message);
  g_free (self->model);
  self->model = g_steal_pointer (&clean);
  show_model_details (self);
}

/* Sign in with OpenRouter */

static void
signin_finish_ui (NatterProviderFeatures *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->signin_cancel_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->signin_button), TRUE);
  g_clear_object (&self->signin_cancellable);
  g_clear_object (&self->signin);
}

static void
signin_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(NatterProviderFeatures) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!natter_openrouter_signin_wait_finish (NATTER_OPENROUTER_SIGNIN (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        message = g_strdup (_("Sign-in cancelled. Nothing was stored."));
      else
        message = g_strdup_printf (_("Sign-in failed: %s"), error->message);
      show_status (self, message);
    }
  else
    {
      show_status (self, _("Signed in. The key is stored in the keyring."));
      g_signal_emit (self, signals[SIGNED_IN], 0);
    }
  signin_finish_ui (self);
}

static void
signin_clicked_cb (NatterProviderFeatures *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *message = NULL;

  if (self->profile == NULL || *natter_profile_get_uuid (self->profile) == '\0' || self->client == NULL)
    {
      show_status (self, _("Save the connection first, then sign in."));
      return;
    }
  if (!natter_client_resolve (self->client, self->profile, NULL, NULL, &base_url, &error))
    {
      show_status (self, error->message);
      return;
    }

  self->signin = natter_openrouter_signin_new (NULL, base_url);
  if (!natter_openrouter_signin_start (self->signin, &error))
    {
      show_status (self, error->message);
      g_clear_object (&self->signin);
      return;
    }
  self->signin_cancellable = g_cancellable_new ();
  natter_openrouter_signin_wait_async (self->signin, natter_profile_get_uuid (self->profile),
                                       natter_profile_get_name (self->profile), 300,
                                       self->signin_cancellable, signin_cb, g_object_ref (self));
  gtk_widget_set_visible (GTK_WIDGET (self->signin_cancel_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->signin_button), FALSE);
  /* TRANSLATORS: %s is the address of OpenRouter's sign-in page */
  message = g_strdup_printf (_("Waiting for the browser. If it did not open, visit:\n%s"),
                             natter_openrouter_signin_get_url (self->signin));
  show_status (self, message);
  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                natter_openrouter_signin_get_url (self->signin), GDK_CURRENT_TIME);
}

static void
signin_cancel_cb (NatterProviderFeatures *self)
{
  if (self->signin_cancellable != NULL)
    g_cancellable_cancel (self->signin_cancellable);
}

static void
natter_provider_features_dispose (GObject *object)
{
  NatterProviderFeatures *self = (NatterProviderFeatures *) object;

  if (self->signin_cancellable != NULL)
    g_cancellable_cancel (self->signin_cancellable);
  g_clear_object (&self->signin_cancellable);
  g_clear_object (&self->signin);
  g_clear_object (&self->client);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->models, json_object_unref);
  g_clear_pointer (&self->model, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_PROVIDER_FEATURES);

  G_OBJECT_CLASS (natter_provider_features_parent_class)->dispose (object);
}

static void
natter_provider_features_class_init (NatterProviderFeaturesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_provider_features_dispose;

  /* The key of the connection was stored by "Sign in with OpenRouter". */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-provider-features.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, NatterProviderFeatures, name)
  BIND (cache_group);
  BIND (cache_switch);
  BIND (ttl_row);
  BIND (auto_switch);
  BIND (tools_check);
  BIND (system_check);
  BIND (prefix_check);
  BIND (openrouter_group);
  BIND (signin_button);
  BIND (signin_cancel_button);
  BIND (sort_row);
  BIND (only_row);
  BIND (ignore_row);
  BIND (order_row);
  BIND (quantizations_row);
  BIND (fallbacks_switch);
  BIND (data_row);
  BIND (web_switch);
  BIND (healing_switch);
  BIND (middle_out_switch);
  BIND (zai_group);
  BIND (model_group);
  BIND (coding_plan_switch);
  BIND (alias_row);
  BIND (model_input_price_row);
  BIND (model_output_price_row);
  BIND (cache_read_price_row);
  BIND (cache_write_price_row);
  BIND (context_row);
  BIND (max_output_row);
  BIND (no_system_switch);
  BIND (no_streaming_switch);
  BIND (max_tokens_switch);
  BIND (headers_row);
  BIND (secret_headers_row);
  BIND (status_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, signin_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, signin_cancel_cb);
}

static void
natter_provider_features_init (NatterProviderFeatures *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
  natter_provider_features_set_provider (self, NULL);
}
