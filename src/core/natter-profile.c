/* natter-profile.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-profile"

#include "config.h"

#include <string.h>

#include <math.h>

#include <json-glib/json-glib.h>

#include "natter-profile.h"
#include "natter-json.h"

#define INPUT_PRICE_KEY  "input_price"
#define OUTPUT_PRICE_KEY "output_price"

struct _NatterProfile
{
  GObject   parent_instance;

  gint64    id;
  char     *uuid;
  char     *name;
  char     *provider_id;
  char     *model;
  char     *base_url;
  char     *proxy_url;
  guint     connect_timeout;
  gboolean  is_default;
  char     *settings;
  GStrv     custom_models;
  char     *unsaved_api_key;  /* memory only, wiped when replaced or freed */
};

G_DEFINE_FINAL_TYPE (NatterProfile, natter_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_UUID,
  PROP_NAME,
  PROP_PROVIDER_ID,
  PROP_MODEL,
  PROP_BASE_URL,
  PROP_PROXY_URL,
  PROP_CONNECT_TIMEOUT,
  PROP_IS_DEFAULT,
  PROP_SETTINGS,
  PROP_CUSTOM_MODELS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
natter_profile_finalize (GObject *object)
{
  NatterProfile *self = (NatterProfile *)object;

  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->provider_id, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->proxy_url, g_free);
  g_clear_pointer (&self->settings, g_free);
  g_clear_pointer (&self->custom_models, g_strfreev);
  natter_profile_set_unsaved_api_key (self, NULL);

  G_OBJECT_CLASS (natter_profile_parent_class)->finalize (object);
}

/* Sets a string field, notifying only when the value changed. */
static void
set_string (NatterProfile  *self,
            char          **field,
            const char     *value,
            const char     *fallback,
            guint           prop)
{
  if (value == NULL)
    value = fallback;

  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
natter_profile_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  NatterProfile *self = NATTER_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_UUID:
      g_value_set_string (value, self->uuid);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_PROXY_URL:
      g_value_set_string (value, self->proxy_url);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_IS_DEFAULT:
      g_value_set_boolean (value, self->is_default);
      break;
    case PROP_SETTINGS:
      g_value_set_string (value, self->settings);
      break;
    case PROP_CUSTOM_MODELS:
      g_value_set_boxed (value, self->custom_models);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_profile_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  NatterProfile *self = NATTER_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      if (self->id != g_value_get_int64 (value))
        {
          self->id = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_UUID:
      set_string (self, &self->uuid, g_value_get_string (value), "", PROP_UUID);
      break;
    case PROP_NAME:
      natter_profile_set_name (self, g_value_get_string (value));
      break;
    case PROP_PROVIDER_ID:
      natter_profile_set_provider_id (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      natter_profile_set_model (self, g_value_get_string (value));
      break;
    case PROP_BASE_URL:
      natter_profile_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_PROXY_URL:
      natter_profile_set_proxy_url (self, g_value_get_string (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      natter_profile_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_IS_DEFAULT:
      natter_profile_set_is_default (self, g_value_get_boolean (value));
      break;
    case PROP_SETTINGS:
      natter_profile_set_settings (self, g_value_get_string (value));
      break;
    case PROP_CUSTOM_MODELS:
      natter_profile_set_custom_models (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_profile_class_init (NatterProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = natter_profile_finalize;
  object_class->get_property = natter_profile_get_property;
  object_class->set_property = natter_profile_set_property;

  /* id and uuid are assigned by the store when it saves the profile. */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UUID] =
    g_param_spec_string ("uuid", NULL, NULL, "", flags);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "", flags);
  properties[PROP_PROVIDER_ID] =
    g_param_spec_string ("provider-id", NULL, NULL, "", flags);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, "", flags);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, "", flags);
  properties[PROP_PROXY_URL] =
    g_param_spec_string ("proxy-url", NULL, NULL, "", flags);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 0, G_MAXUINT,
                       NATTER_PROFILE_DEFAULT_CONNECT_TIMEOUT, flags);
  properties[PROP_IS_DEFAULT] =
    g_param_spec_boolean ("is-default", NULL, NULL, FALSE, flags);
  properties[PROP_SETTINGS] =
    g_param_spec_string ("settings", NULL, NULL, "{}", flags);
  properties[PROP_CUSTOM_MODELS] =
    g_param_spec_boxed ("custom-models", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
natter_profile_init (NatterProfile *self)
{
  self->uuid = g_strdup ("");
  self->name = g_strdup ("");
  self->provider_id = g_strdup ("");
  self->model = g_strdup ("");
  self->base_url = g_strdup ("");
  self->proxy_url = g_strdup ("");
  self->connect_timeout = NATTER_PROFILE_DEFAULT_CONNECT_TIMEOUT;
  self->settings = g_strdup ("{}");
  self->custom_models = g_new0 (char *, 1);
}

NatterProfile *
natter_profile_new (const char *name,
                    const char *provider_id)
{
  return g_object_new (NATTER_TYPE_PROFILE,
                       "name", name,
                       "provider-id", provider_id,
                       NULL);
}

NatterProfile *
natter_profile_copy (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  return g_object_new (NATTER_TYPE_PROFILE,
                       "id", self->id,
                       "uuid", self->uuid,
                       "name", self->name,
                       "provider-id", self->provider_id,
                       "model", self->model,
                       "base-url", self->base_url,
                       "proxy-url", self->proxy_url,
                       "connect-timeout", self->connect_timeout,
                       "is-default", self->is_default,
                       "settings", self->settings,
                       "custom-models", self->custom_models,
                       NULL);
}

gint64
natter_profile_get_id (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), 0);

  return self->id;
}

const char *
natter_profile_get_uuid (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  return self->uuid;
}

const char *
natter_profile_get_name (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  return self->name;
}

void
natter_profile_set_name (NatterProfile *self,
                         const char    *name)
{
  g_return_if_fail (NATTER_IS_PROFILE (self));

  set_string (self, &self->name, name, "", PROP_NAME);
}

const char *
natter_profile_get_provider_id (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  return self->provider_id;
}

void
natter_profile_set_provider_id (NatterProfile *self,
                                const char    *provider_id)
{
  g_return_if_fail (NATTER_IS_PROFILE (self));

  set_string (self, &self->provider_id, provider_id, "", PROP_PROVIDER_ID);
}

const char *
natter_profile_get_model (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  return self->model;
}

void
natter_profile_set_model (NatterProfile *self,
                          const char    *model)
{
  g_return_if_fail (NATTER_IS_PROFILE (self));

  set_string (self, &self->model, model, "", PROP_MODEL);
}

const char *
natter_profile_get_base_url (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  return self->base_url;
}

void
natter_profile_set_base_url (NatterProfile *self,
                             const char    *base_url)
{
  g_return_if_fail (NATTER_IS_PROFILE (self));

  set_string (self, &self->base_url, base_url, "", PROP_BASE_URL);
}

const char *
natter_profile_get_proxy_url (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  return self->proxy_url;
}

void
natter_profile_set_proxy_url (NatterProfile *self,
                              const char    *proxy_url)
{
  g_return_if_fail (NATTER_IS_PROFILE (self));

  set_string (self, &self->proxy_url, proxy_url, "", PROP_PROXY_URL);
}

guint
natter_profile_get_connect_timeout (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), NATTER_PROFILE_DEFAULT_CONNECT_TIMEOUT);

  return self->connect_timeout;
}

void
natter_profile_set_connect_timeout (NatterProfile *self,
                                    guint          seconds)
{
  g_return_if_fail (NATTER_IS_PROFILE (self));

  if (self->connect_timeout == seconds)
    return;

  self->connect_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

gboolean
natter_profile_get_is_default (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), FALSE);

  return self->is_default;
}

void
natter_profile_set_is_default (NatterProfile *self,
                               gboolean       is_default)
{
  g_return_if_fail (NATTER_IS_PROFILE (self));

  is_default = !!is_default;
  if (self->is_default == is_default)
    return;

  self->is_default = is_default;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DEFAULT]);
}

const char *
natter_profile_get_settings (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  return self->settings;
}

void
natter_profile_set_settings (NatterProfile *self,
                             const char    *settings_json)
{
  g_return_if_fail (NATTER_IS_PROFILE (self));

  if (settings_json != NULL && settings_json[0] == '\0')
    settings_json = NULL;

  set_string (self, &self->settings, settings_json, "{}", PROP_SETTINGS);
}

const char * const *
natter_profile_get_custom_models (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  return (const char * const *) self->custom_models;
}

void
natter_profile_set_custom_models (NatterProfile      *self,
                                  const char * const *models)
{
  static const char * const empty[] = { NULL };

  g_return_if_fail (NATTER_IS_PROFILE (self));

  if (models == NULL)
    models = empty;

  if (g_strv_equal ((const char * const *) self->custom_models, models))
    return;

  g_strfreev (self->custom_models);
  self->custom_models = g_strdupv ((char **) models);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOM_MODELS]);
}

/* The settings object, or NULL when the text is not a JSON object. */
static JsonObject *
parse_settings_object (NatterProfile *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!natter_json_parser_load (parser, self->settings, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* A price member: a finite number >= 0, else FALSE. */
static gboolean
read_price (JsonObject *object,
            const char *key,
            double     *out)
{
  JsonNode *node = json_object_get_member (object, key);
  GType type;
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else if (type == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else
    return FALSE;
  if (!isfinite (value) || value < 0)
    return FALSE;
  *out = value;
  return TRUE;
}

gboolean
natter_profile_get_prices (NatterProfile *self,
                           double        *input_per_mtok,
                           double        *output_per_mtok)
{
  g_autoptr(JsonObject) settings = NULL;
  double in_price = -1, out_price = -1;
  gboolean have_in = FALSE, have_out = FALSE;

  g_return_val_if_fail (NATTER_IS_PROFILE (self), FALSE);

  settings = parse_settings_object (self);
  if (settings != NULL)
    {
      have_in = read_price (settings, INPUT_PRICE_KEY, &in_price);
      have_out = read_price (settings, OUTPUT_PRICE_KEY, &out_price);
    }

  if (input_per_mtok != NULL)
    *input_per_mtok = have_in ? in_price : -1;
  if (output_per_mtok != NULL)
    *output_per_mtok = have_out ? out_price : -1;
  return have_in && have_out;
}

static void
write_price (JsonObject *object,
             const char *key,
             double      value)
{
  if (value < 0 || !isfinite (value))
    {
      if (json_object_has_member (object, key))
        json_object_remove_member (object, key);
    }
  else
    json_object_set_double_member (object, key, value);
}

void
natter_profile_set_prices (NatterProfile *self,
                           double         input_per_mtok,
                           double         output_per_mtok)
{
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (NATTER_IS_PROFILE (self));

  settings = parse_settings_object (self);
  if (settings == NULL)
    {
      g_debug ("Settings of “%s” are not a JSON object; prices not changed", self->name);
      return;
    }

  write_price (settings, INPUT_PRICE_KEY, input_per_mtok);
  write_price (settings, OUTPUT_PRICE_KEY, output_per_mtok);

  root = json_node_init_object (json_node_alloc (), settings);
  text = json_to_string (root, FALSE);
  natter_profile_set_settings (self, text);
}

double
natter_usage_cost (gint64 input_tokens,
                   gint64 output_tokens,
                   double in_price,
                   double out_price)
{
  if (input_tokens < 0 || output_tokens < 0 || in_price < 0 || out_price < 0)
    return -1;

  return ((double) input_tokens * in_price + (double) output_tokens * out_price) / 1e6;
}

void
natter_profile_set_unsaved_api_key (NatterProfile *self,
                                    const char    *key)
{
  g_return_if_fail (NATTER_IS_PROFILE (self));

  if (self->unsaved_api_key != NULL)
    {
      memset (self->unsaved_api_key, 0, strlen (self->unsaved_api_key));
      g_clear_pointer (&self->unsaved_api_key, g_free);
    }
  if (key != NULL && *key != '\0')
    self->unsaved_api_key = g_strdup (key);
}

const char *
natter_profile_get_unsaved_api_key (NatterProfile *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE (self), NULL);

  return self->unsaved_api_key;
}
