/* natter-catalog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-catalog"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-catalog.h"
#include "natter-json.h"

#define CATALOG_RESOURCE "/io/github/natterapp/Natter/core/providers.json"

struct _NatterProvider
{
  GObject          parent_instance;

  char            *id;
  char            *name;
  char            *dialect_id;
  char            *default_url;
  char            *docs_url;
  NatterAuthStyle  auth_style;
  gboolean         key_required;
  GStrv            key_env;
  gboolean         lists_models;
  GStrv            builtin_models;
  char            *default_model;
  GStrv            capabilities;
  gboolean         supported;
  gboolean         local;
  gint64           context_size;
  GStrv            extra_headers;
  char            *coding_plan_url;
  JsonObject      *model_info;    /* nullable: {"<model id>": {context, max_output, …}} */
};

G_DEFINE_FINAL_TYPE (NatterProvider, natter_provider, G_TYPE_OBJECT)

struct _NatterCatalog
{
  GObject     parent_instance;

  GListStore *providers;
};

G_DEFINE_FINAL_TYPE (NatterCatalog, natter_catalog, G_TYPE_OBJECT)

static const char * const empty_strv[] = { NULL };

static const struct {
  const char      *name;
  NatterAuthStyle  style;
} auth_names[] = {
  { "none", NATTER_AUTH_NONE },
  { "bearer", NATTER_AUTH_BEARER },
  { "x-api-key", NATTER_AUTH_X_API_KEY },
  { "x-goog-api-key", NATTER_AUTH_X_GOOG_API_KEY },
  { "api-key", NATTER_AUTH_API_KEY },
  { "oauth", NATTER_AUTH_OAUTH },
  { "aws-sigv4", NATTER_AUTH_AWS_SIGV4 },
};

/* NatterProvider */

static void
natter_provider_finalize (GObject *object)
{
  NatterProvider *self = NATTER_PROVIDER (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->dialect_id);
  g_free (self->default_url);
  g_free (self->docs_url);
  g_strfreev (self->key_env);
  g_strfreev (self->builtin_models);
  g_free (self->default_model);
  g_strfreev (self->capabilities);
  g_strfreev (self->extra_headers);
  g_free (self->coding_plan_url);
  g_clear_pointer (&self->model_info, json_object_unref);

  G_OBJECT_CLASS (natter_provider_parent_class)->finalize (object);
}

static void
natter_provider_class_init (NatterProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_provider_finalize;
}

static void
natter_provider_init (NatterProvider *self)
{
  self->supported = TRUE;
}

const char *
natter_provider_get_id (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), NULL);

  return self->id;
}

const char *
natter_provider_get_name (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), NULL);

  return self->name;
}

const char *
natter_provider_get_dialect_id (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), NULL);

  return self->dialect_id;
}

const char *
natter_provider_get_default_url (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), NULL);

  return self->default_url;
}

/* The provider's API reference, or NULL. */
const char *
natter_provider_get_docs_url (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), NULL);

  return self->docs_url;
}

NatterAuthStyle
natter_provider_get_auth_style (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), NATTER_AUTH_NONE);

  return self->auth_style;
}

gboolean
natter_provider_get_key_required (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), FALSE);

  return self->key_required;
}

const char * const *
natter_provider_get_key_env (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), empty_strv);

  return (const char * const *) self->key_env;
}

gboolean
natter_provider_get_lists_models (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), FALSE);

  return self->lists_models;
}

const char * const *
natter_provider_get_builtin_models (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), empty_strv);

  return (const char * const *) self->builtin_models;
}

const char *
natter_provider_get_default_model (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), NULL);

  return self->default_model;
}

const char * const *
natter_provider_get_capabilities (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), empty_strv);

  return (const char * const *) self->capabilities;
}

gboolean
natter_provider_has_capability (NatterProvider *self,
                                const char     *capability)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (capability != NULL, FALSE);

  return g_strv_contains ((const char * const *) self->capabilities, capability);
}

gboolean
natter_provider_get_supported (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), FALSE);

  return self->supported;
}

gboolean
natter_provider_get_local (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), FALSE);

  return self->local;
}

gint64
natter_provider_get_context_size (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), 0);

  return self->context_size;
}

const char * const *
natter_provider_get_extra_headers (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), empty_strv);

  return (const char * const *) self->extra_headers;
}

JsonObject *
natter_provider_get_model_info (NatterProvider *self,
                                const char     *model_id)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), NULL);

  if (self->model_info == NULL || model_id == NULL ||
      !json_object_has_member (self->model_info, model_id) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (self->model_info, model_id)))
    return NULL;
  return json_object_get_object_member (self->model_info, model_id);
}

const char *
natter_provider_get_coding_plan_url (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), NULL);

  return self->coding_plan_url;
}

static void
add_extra_headers (NatterProvider *self,
                   NatterRequest  *request)
{
  for (guint i = 0; self->extra_headers[i] != NULL && self->extra_headers[i + 1] != NULL; i += 2)
    if (natter_request_get_header (request, self->extra_headers[i]) == NULL)
      natter_request_set_header (request, self->extra_headers[i], self->extra_headers[i + 1]);
}

/* Keys are often pasted with a trailing newline or space; anything else
 * that cannot go into a header is refused rather than sent. */
gboolean
natter_provider_apply_auth (NatterProvider *self,
                            NatterRequest  *request,
                            const char     *key,
                            GError        **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *value = NULL;
  const char *header = NULL;

  g_return_val_if_fail (NATTER_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  if (!self->supported)
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                   _("The provider “%s” is not supported yet"), self->name);
      return FALSE;
    }

  if (key != NULL)
    {
      clean = g_strstrip (g_strdup (key));
      if (*clean == '\0')
        g_clear_pointer (&clean, g_free);
    }

  if (clean != NULL)
    {
      for (const char *p = clean; *p != '\0'; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f)
          {
            g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH,
                         _("The API key for “%s” contains a line break or another control character"),
                         self->name);
            return FALSE;
          }
    }

  switch (self->auth_style)
    {
    case NATTER_AUTH_NONE:
      break;
    case NATTER_AUTH_BEARER:
      if (clean != NULL)
        {
          header = "Authorization";
          value = g_strconcat ("Bearer ", clean, NULL);
        }
      break;
    case NATTER_AUTH_X_API_KEY:
      header = "x-api-key";
      break;
    case NATTER_AUTH_X_GOOG_API_KEY:
      header = "x-goog-api-key";
      break;
    case NATTER_AUTH_API_KEY:
      header = "api-key";
      break;
    case NATTER_AUTH_OAUTH:
    case NATTER_AUTH_AWS_SIGV4:
    default:
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                   _("“%s” signs in with its own credentials, not with a plain key"), self->name);
      return FALSE;
    }

  if (clean == NULL && self->key_required)
    {
      g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH,
                   _("“%s” needs an API key: add one to the connection or set %s"),
                   self->name,
                   self->key_env[0] != NULL ? self->key_env[0] : _("its key"));
      return FALSE;
    }

  if (header != NULL && clean != NULL)
    natter_request_set_secret_header (request, header, value ? value : clean);

  add_extra_headers (self, request);

  return TRUE;
}

char *
natter_provider_dup_env_key (NatterProvider *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER (self), NULL);

  for (guint i = 0; self->key_env[i] != NULL; i++)
    {
      const char *value = g_getenv (self->key_env[i]);

      if (value != NULL && *value != '\0')
        return g_strdup (value);
    }

  return NULL;
}

/* NatterCatalog */

static void
natter_catalog_finalize (GObject *object)
{
  NatterCatalog *self = NATTER_CATALOG (object);

  g_clear_object (&self->providers);

  G_OBJECT_CLASS (natter_catalog_parent_class)->finalize (object);
}

static void
natter_catalog_class_init (NatterCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_catalog_finalize;
}

static void
natter_catalog_init (NatterCatalog *self)
{
  self->providers = g_list_store_new (NATTER_TYPE_PROVIDER);
}

static gboolean
read_string (JsonObject  *object,
             const char  *member,
             gboolean     required,
             char       **out,
             const char  *id,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Provider “%s” in the catalog has no “%s”"), id ? id : "?", member);
          return FALSE;
        }
      *out = NULL;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” of provider “%s” in the catalog must be a string"), member, id ? id : "?");
      return FALSE;
    }

  *out = g_strdup (json_node_get_string (node));

  return TRUE;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *member,
           gboolean     default_value,
           gboolean    *out,
           const char  *id,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      *out = default_value;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” of provider “%s” in the catalog must be true or false"), member, id);
      return FALSE;
    }
  *out = json_node_get_boolean (node);

  return TRUE;
}

static gboolean
read_strv (JsonObject  *object,
           const char  *member,
           GStrv       *out,
           const char  *id,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” of provider “%s” in the catalog must be a list of strings"), member, id);
          return FALSE;
        }
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("“%s” of provider “%s” in the catalog must be a list of strings"), member, id);
              return FALSE;
            }
          g_strv_builder_add (builder, json_node_get_string (element));
        }
    }

  *out = g_strv_builder_end (builder);

  return TRUE;
}

/* extra_headers is an object {"Name": "value"} in the file, a flat
 * name/value list in the API. */
static gboolean
read_headers (JsonObject  *object,
              GStrv       *out,
              const char  *id,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, "extra_headers");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_autoptr(GList) names = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“extra_headers” of provider “%s” in the catalog must be an object"), id);
          return FALSE;
        }
      /* In file order (json_object_get_members keeps it). */
      names = json_object_get_members (json_node_get_object (node));
      for (const GList *l = names; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode *value = json_object_get_member (json_node_get_object (node), name);

          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Header “%s” of provider “%s” in the catalog must be a string"), name, id);
              return FALSE;
            }
          g_strv_builder_add (builder, name);
          g_strv_builder_add (builder, json_node_get_string (value));
        }
    }

  *out = g_strv_builder_end (builder);

  return TRUE;
}

static NatterProvider *
provider_from_json (JsonObject  *object,
                    GError     **error)
{
  g_autoptr(NatterProvider) self = g_object_new (NATTER_TYPE_PROVIDER, NULL);
  g_autofree char *auth = NULL;
  gboolean found = FALSE;

  if (!read_string (object, "id", TRUE, &self->id, NULL, error) ||
      !read_string (object, "name", TRUE, &self->name, self->id, error) ||
      !read_string (object, "dialect", TRUE, &self->dialect_id, self->id, error) ||
      !read_string (object, "default_url", FALSE, &self->default_url, self->id, error) ||
      !read_string (object, "docs_url", FALSE, &self->docs_url, self->id, error) ||
      !read_string (object, "coding_plan_url", FALSE, &self->coding_plan_url, self->id, error) ||
      !read_string (object, "auth", TRUE, &auth, self->id, error) ||
      !read_string (object, "default_model", FALSE, &self->default_model, self->id, error) ||
      !read_bool (object, "key_required", FALSE, &self->key_required, self->id, error) ||
      !read_bool (object, "lists_models", TRUE, &self->lists_models, self->id, error) ||
      !read_bool (object, "supported", TRUE, &self->supported, self->id, error) ||
      !read_bool (object, "local", FALSE, &self->local, self->id, error) ||
      !read_strv (object, "key_env", &self->key_env, self->id, error) ||
      !read_strv (object, "builtin_models", &self->builtin_models, self->id, error) ||
      !read_strv (object, "capabilities", &self->capabilities, self->id, error) ||
      !read_headers (object, &self->extra_headers, self->id, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (auth_names); i++)
    if (g_str_equal (auth, auth_names[i].name))
      {
        self->auth_style = auth_names[i].style;
        found = TRUE;
      }
  if (!found)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Provider “%s” in the catalog has an unknown auth style “%s”"), self->id, auth);
      return NULL;
    }

  if (json_object_has_member (object, "context_size"))
    {
      JsonNode *node = json_object_get_member (object, "context_size");

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“context_size” of provider “%s” in the catalog must be a whole number"),
                       self->id);
          return NULL;
        }
      self->context_size = json_node_get_int (node);
    }

  if (json_object_has_member (object, "model_info"))
    {
      JsonNode *node = json_object_get_member (object, "model_info");

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“model_info” of provider “%s” in the catalog must be an object"), self->id);
          return NULL;
        }
      self->model_info = json_object_ref (json_node_get_object (node));
    }

  if (self->default_model == NULL && self->builtin_models[0] != NULL)
    self->default_model = g_strdup (self->builtin_models[0]);

  return g_steal_pointer (&self);
}

NatterCatalog *
natter_catalog_new_from_data (const char  *data,
                              gsize        len,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(NatterCatalog) self = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *root;
  JsonNode *list;
  JsonArray *array;

  g_return_val_if_fail (data != NULL, NULL);

  if (!natter_json_parser_load (parser, data, len, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (list = json_object_get_member (json_node_get_object (root), "providers")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The provider catalog must be an object with a “providers” list"));
      return NULL;
    }

  self = g_object_new (NATTER_TYPE_CATALOG, NULL);
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(NatterProvider) provider = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Entry %u of the provider catalog is not an object"), i + 1);
          return NULL;
        }
      if ((provider = provider_from_json (json_node_get_object (node), error)) == NULL)
        return NULL;
      if (g_hash_table_contains (seen, provider->id))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Provider “%s” appears twice in the catalog"), provider->id);
          return NULL;
        }
      g_hash_table_add (seen, provider->id);
      g_list_store_append (self->providers, provider);
    }

  return g_steal_pointer (&self);
}

NatterCatalog *
natter_catalog_get_default (void)
{
  static NatterCatalog *catalog;

  if (g_once_init_enter (&catalog))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      NatterCatalog *loaded;

      bytes = g_resources_lookup_data (CATALOG_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL)
        g_error ("The built-in provider catalog is missing: %s", error->message);

      loaded = natter_catalog_new_from_data (g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), &error);
      /* The file is compiled in and checked by the tests. */
      if (loaded == NULL)
        g_error ("The built-in provider catalog is invalid: %s", error->message);

      g_once_init_leave (&catalog, loaded);
    }

  return catalog;
}

NatterProvider *
natter_catalog_lookup (NatterCatalog *self,
                       const char    *id)
{
  guint n;

  g_return_val_if_fail (NATTER_IS_CATALOG (self), NULL);

  if (id == NULL)
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->providers));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterProvider) provider = g_list_model_get_item (G_LIST_MODEL (self->providers), i);

      if (g_str_equal (provider->id, id))
        return provider;   /* the store keeps its reference */
    }

  return NULL;
}

GListModel *
natter_catalog_get_providers (NatterCatalog *self)
{
  g_return_val_if_fail (NATTER_IS_CATALOG (self), NULL);

  return G_LIST_MODEL (self->providers);
}
