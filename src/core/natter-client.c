/* natter-client.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-client"

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n-lib.h>

#include "natter-client.h"
#include "natter-client-private.h"
#include "natter-cloud-profile.h"
#include "natter-dialects-private.h"
#include "natter-headers.h"
#include "natter-model-settings.h"
#include "natter-profile.h"
#include "natter-profile-store.h"
#include "natter-request-log.h"
#include "natter-secrets.h"
#include "natter-transport.h"
#include "natter-json.h"

#define log_tap_response_head _natter_client_log_tap_response_head
#define log_tap_raw_bytes _natter_client_log_tap_raw_bytes
#define make_request_error _natter_client_make_request_error
#define profile_has_uuid _natter_client_profile_has_uuid

struct _NatterClient
{
  GObject             parent_instance;

  NatterDatabase     *database;
  NatterProfileStore *profiles;
  NatterRequestLog   *log;
  NatterCatalog      *catalog;
  NatterAuth         *auth;       /* access tokens of cloud sign-ins */
  /* "proxy\ttimeout" → NatterTransport */
  GHashTable         *transports;
};

G_DEFINE_FINAL_TYPE (NatterClient, natter_client, G_TYPE_OBJECT)

const char *
natter_key_source_describe (NatterKeySource source)
{
  switch (source)
    {
    case NATTER_KEY_SOURCE_STORED:
      return _("Key stored");
    case NATTER_KEY_SOURCE_ENVIRONMENT:
      return _("Key from environment");
    case NATTER_KEY_SOURCE_NONE:
    default:
      return _("No key");
    }
}

void
natter_chat_result_free (NatterChatResult *result)
{
  if (result == NULL)
    return;
  g_free (result->text);
  g_free (result->reasoning);
  g_free (result->finish_reason);
  g_clear_pointer (&result->tool_calls, g_ptr_array_unref);
  g_free (result);
}

static void
natter_client_finalize (GObject *object)
{
  NatterClient *self = (NatterClient *)object;

  g_clear_object (&self->database);
  g_clear_object (&self->profiles);
  g_clear_object (&self->log);
  g_clear_object (&self->catalog);
  g_clear_object (&self->auth);
  g_clear_pointer (&self->transports, g_hash_table_unref);

  G_OBJECT_CLASS (natter_client_parent_class)->finalize (object);
}

static void
natter_client_class_init (NatterClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_client_finalize;
}

static void
natter_client_init (NatterClient *self)
{
  self->transports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->auth = natter_auth_new ();
}

NatterAuth *
_natter_client_get_auth (NatterClient *self)
{
  g_return_val_if_fail (NATTER_IS_CLIENT (self), NULL);
  return self->auth;
}

/* The provider's environment key, except for the cloud sign-ins, whose
 * environment NatterAuth reads itself (several variables, not one key). */
#define env_key _natter_client_env_key

char *
_natter_client_env_key (NatterProvider *provider)
{
  if (provider == NULL || natter_auth_handles (provider))
    return NULL;
  return natter_provider_dup_env_key (provider);
}

NatterClient *
natter_client_new (NatterDatabase     *database,
                   NatterProfileStore *profiles,
                   NatterRequestLog   *log)
{
  NatterClient *self = g_object_new (NATTER_TYPE_CLIENT, NULL);

  if (database != NULL)
    self->database = g_object_ref (database);
  if (profiles != NULL)
    self->profiles = g_object_ref (profiles);
  if (log != NULL)
    self->log = g_object_ref (log);
  self->catalog = g_object_ref (natter_catalog_get_default ());

  return self;
}

NatterRequestLog *
natter_client_get_request_log (NatterClient *self)
{
  g_return_val_if_fail (NATTER_IS_CLIENT (self), NULL);
  return self->log;
}

NatterCatalog *
natter_client_get_catalog (NatterClient *self)
{
  g_return_val_if_fail (NATTER_IS_CLIENT (self), NULL);
  return self->catalog;
}

void
natter_client_set_catalog (NatterClient  *self,
                           NatterCatalog *catalog)
{
  g_return_if_fail (NATTER_IS_CLIENT (self));
  g_return_if_fail (NATTER_IS_CATALOG (catalog));
  g_set_object (&self->catalog, catalog);
}

G_DEFINE_QUARK (natter-client-error-quark, natter_client_error)

gboolean
natter_client_resolve (NatterClient         *self,
                       NatterProfile        *profile,
                       NatterProvider      **provider,
                       const NatterDialect **dialect,
                       char                **base_url,
                       GError              **error)
{
  NatterProvider *p;
  const NatterDialect *d;
  const char *override;

  g_return_val_if_fail (NATTER_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), FALSE);

  p = natter_catalog_lookup (self->catalog, natter_profile_get_provider_id (profile));
  if (p == NULL)
    {
      g_set_error (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_UNKNOWN_PROVIDER,
                   _("Unknown provider “%s” in profile “%s”"),
                   natter_profile_get_provider_id (profile),
                   natter_profile_get_name (profile));
      return FALSE;
    }
  if (!natter_provider_get_supported (p))
    {
      g_set_error (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_UNSUPPORTED,
                   _("%s is not supported yet"), natter_provider_get_name (p));
      return FALSE;
    }
  d = natter_dialect_lookup (natter_provider_get_dialect_id (p));
  if (d == NULL)
    {
      g_set_error (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_UNSUPPORTED,
                   _("%s is not supported yet"), natter_provider_get_name (p));
      return FALSE;
    }

  if (base_url != NULL)
    {
      override = natter_profile_get_base_url (profile);
      if (override != NULL && *override != '\0')
        *base_url = natter_dialect_normalize_base_url (d, override);
      else
        {
          g_autofree char *expanded =
            natter_profile_expand_default_url (profile, natter_provider_get_default_url (p));

          *base_url = natter_dialect_normalize_base_url (d, expanded);
        }
      if (*base_url != NULL && **base_url != '\0')
        {
          g_autoptr(JsonObject) settings = _natter_client_parse_settings (profile);

          _natter_client_apply_coding_plan (p, settings, base_url);
        }
      if (*base_url == NULL || **base_url == '\0')
        {
          g_clear_pointer (base_url, g_free);
          g_set_error (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_NO_URL,
                       _("Profile “%s” has no server address: set a base URL"),
                       natter_profile_get_name (profile));
          return FALSE;
        }
    }

  if (provider != NULL)
    *provider = p;
  if (dialect != NULL)
    *dialect = d;
  return TRUE;
}

/* The model a request for @profile would use, or NULL. */
static const char *
effective_model (NatterProfile  *profile,
                 NatterProvider *provider,
                 const char     *model)
{
  if (model == NULL || *model == '\0')
    model = natter_profile_get_model (profile);
  if ((model == NULL || *model == '\0') && provider != NULL)
    model = natter_provider_get_default_model (provider);

  return model != NULL && *model != '\0' ? model : NULL;
}

static void
set_no_model_error (NatterProfile  *profile,
                    GError        **error)
{
  g_set_error (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_NO_MODEL,
               _("Profile “%s” has no model: choose one"),
               natter_profile_get_name (profile));
}

gboolean
natter_client_check_profile (NatterClient   *self,
                             NatterProfile  *profile,
                             const char     *model,
                             GError        **error)
{
  NatterProvider *provider = NULL;
  g_autofree char *base_url = NULL;

  g_return_val_if_fail (NATTER_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), FALSE);

  if (!natter_client_resolve (self, profile, &provider, NULL, &base_url, error))
    return FALSE;
  if (effective_model (profile, provider, model) == NULL)
    {
      set_no_model_error (profile, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_natter_client_profile_has_uuid (NatterProfile *profile)
{
  const char *uuid = natter_profile_get_uuid (profile);
  return uuid != NULL && *uuid != '\0';
}

typedef struct
{
  NatterProvider *provider;
  JsonObject     *settings;
  char           *key;
  char           *secret_headers;
} RequestSecrets;

static void
request_secrets_free (RequestSecrets *rs)
{
  g_clear_object (&rs->provider);
  g_clear_pointer (&rs->settings, json_object_unref);
  natter_secrets_free (rs->key);
  natter_secrets_free (rs->secret_headers);
  g_free (rs);
}

static void
request_secrets_headers_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestSecrets *rs = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  rs->secret_headers = natter_secrets_lookup_finish (result, &error);
  if (error != NULL)
    g_debug ("Keyring lookup of the secret headers failed: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
request_secrets_key_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestSecrets *rs = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  rs->key = natter_secrets_lookup_finish (result, &error);
  if (error != NULL)
    g_debug ("Keyring lookup failed: %s", error->message);
  if (rs->key == NULL)
    rs->key = _natter_client_env_key (rs->provider);

  if (rs->settings != NULL && natter_custom_headers_have_secret (rs->settings))
    {
      NatterProfile *profile = g_task_get_source_object (task);
      GCancellable *cancellable = g_task_get_cancellable (task);

      natter_secrets_lookup_async (natter_profile_get_uuid (profile), NATTER_SECRET_HEADERS,
                                   cancellable, request_secrets_headers_cb,
                                   g_steal_pointer (&task));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
_natter_client_request_secrets_async (NatterProfile       *profile,
                                      NatterProvider      *provider,
                                      JsonObject          *settings,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (profile, cancellable, callback, user_data);
  RequestSecrets *rs = g_new0 (RequestSecrets, 1);

  g_task_set_source_tag (task, _natter_client_request_secrets_async);
  rs->provider = g_object_ref (provider);
  rs->settings = settings != NULL ? json_object_ref (settings) : NULL;
  g_task_set_task_data (task, rs, (GDestroyNotify) request_secrets_free);

  /* A key typed into the edit form and not saved yet wins (Test, Fetch). */
  if (natter_profile_get_unsaved_api_key (profile) != NULL)
    {
      rs->key = g_strdup (natter_profile_get_unsaved_api_key (profile));
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (profile_has_uuid (profile))
    {
      natter_secrets_lookup_async (natter_profile_get_uuid (profile), NATTER_SECRET_API_KEY,
                                   cancellable, request_secrets_key_cb, g_steal_pointer (&task));
      return;
    }
  rs->key = env_key (provider);
  g_task_return_boolean (task, TRUE);
}

void
_natter_client_request_secrets_finish (GAsyncResult  *result,
                                       char         **key,
                                       char         **secret_headers)
{
  RequestSecrets *rs;

  g_return_if_fail (g_async_result_is_tagged (result, _natter_client_request_secrets_async));

  rs = g_task_get_task_data (G_TASK (result));
  *key = g_steal_pointer (&rs->key);
  *secret_headers = g_steal_pointer (&rs->secret_headers);
}

/* The key (transfer full, free with natter_secrets_free), from the keyring,
 * else the environment; NULL when there is none. Blocking. */
static char *
lookup_key_sync (NatterProvider *provider,
                 NatterProfile  *profile)
{
  char *key = NULL;

  if (natter_profile_get_unsaved_api_key (profile) != NULL)
    return g_strdup (natter_profile_get_unsaved_api_key (profile));

  if (profile_has_uuid (profile))
    {
      g_autoptr(GError) error = NULL;

      key = natter_secrets_lookup_sync (natter_profile_get_uuid (profile),
                                        NATTER_SECRET_API_KEY, NULL, &error);
      if (error != NULL)
        g_debug ("Keyring lookup failed: %s", error->message);
    }
  if (key == NULL)
    key = env_key (provider);
  return key;
}

static NatterKeySource env_key_source (NatterClient  *self,
                                       NatterProfile *profile);

NatterKeySource
natter_client_key_source (NatterClient  *self,
                          NatterProfile *profile)
{
  g_return_val_if_fail (NATTER_IS_CLIENT (self), NATTER_KEY_SOURCE_NONE);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), NATTER_KEY_SOURCE_NONE);

  if (profile_has_uuid (profile))
    {
      g_autoptr(GError) error = NULL;

      if (natter_secrets_has_sync (natter_profile_get_uuid (profile),
                                   NATTER_SECRET_API_KEY, NULL, &error))
        return NATTER_KEY_SOURCE_STORED;
    }
  return env_key_source (self, profile);
}

static NatterKeySource
env_key_source (NatterClient  *self,
                NatterProfile *profile)
{
  NatterProvider *provider;
  char *env = NULL;

  provider = natter_catalog_lookup (self->catalog, natter_profile_get_provider_id (profile));
  if (provider != NULL)
    env = natter_provider_dup_env_key (provider);
  if (env == NULL)
    return NATTER_KEY_SOURCE_NONE;
  natter_secrets_free (env);
  return NATTER_KEY_SOURCE_ENVIRONMENT;
}

static void
key_source_has_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (natter_secrets_has_finish (result, &error))
    g_task_return_int (task, NATTER_KEY_SOURCE_STORED);
  else
    g_task_return_int (task, env_key_source (g_task_get_source_object (task),
                                             g_task_get_task_data (task)));
}

void
natter_client_key_source_async (NatterClient        *self,
                                NatterProfile       *profile,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (NATTER_IS_CLIENT (self));
  g_return_if_fail (NATTER_IS_PROFILE (profile));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_client_key_source_async);
  g_task_set_task_data (task, g_object_ref (profile), g_object_unref);

  if (!profile_has_uuid (profile))
    {
      g_task_return_int (task, env_key_source (self, profile));
      return;
    }
  natter_secrets_has_async (natter_profile_get_uuid (profile), NATTER_SECRET_API_KEY,
                            cancellable, key_source_has_cb, g_steal_pointer (&task));
}

NatterKeySource
natter_client_key_source_finish (NatterClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  gssize value;

  g_return_val_if_fail (NATTER_IS_CLIENT (self), NATTER_KEY_SOURCE_NONE);
  g_return_val_if_fail (g_task_is_valid (result, self), NATTER_KEY_SOURCE_NONE);

  value = g_task_propagate_int (G_TASK (result), error);
  return value < 0 ? NATTER_KEY_SOURCE_NONE : (NatterKeySource)value;
}

#define parse_settings _natter_client_parse_settings

JsonObject *
_natter_client_parse_settings (NatterProfile *profile)
{
  const char *text = natter_profile_get_settings (profile);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (text == NULL || *text == '\0')
    return NULL;
  parser = json_parser_new ();
  if (!natter_json_parser_load (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

NatterRequest *
_natter_client_build_request_with_key (NatterClient           *self,
                        NatterProfile          *profile,
                        NatterProvider         *provider,
                        const NatterDialect    *dialect,
                        const char             *base_url,
                        const NatterPrompt     *prompt,
                        const NatterGenParams  *params,
                        const char             *key,
                        NatterCredential       *credential,
                        const char             *secret_headers,
                        gboolean                redacted,
                        GError                **error)
{
  NatterDialectContext ctx = { 0 };
  NatterGenParams local;
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonObject) settings = parse_settings (profile);
  NatterPrompt *adjusted = NULL;

  if (params != NULL)
    local = *params;
  else
    natter_gen_params_init (&local);

  local.model = (char *) effective_model (profile, provider, local.model);
  if (local.model == NULL)
    {
      set_no_model_error (profile, error);
      return NULL;
    }

  /* What the credential knows (Vertex's project, Bedrock's region) fills
   * what the profile leaves unset. */
  if (credential != NULL)
    {
      if (settings == NULL)
        settings = json_object_new ();
      natter_credential_fill_settings (credential, settings);
    }

  ctx.base_url = base_url;
  ctx.provider = provider;
  ctx.provider_id = natter_provider_get_id (provider);
  ctx.settings = settings;
  ctx.extra_body = local.extra_body;

  adjusted = _natter_client_adjust_for_model (settings, prompt, &local);
  request = dialect->build_request (&ctx, adjusted != NULL ? adjusted : prompt, &local, error);
  g_clear_pointer (&adjusted, natter_prompt_free);
  if (request == NULL)
    return NULL;
  natter_custom_headers_apply (settings, secret_headers, redacted, request);
  if (credential != NULL
      ? !natter_credential_apply (credential, request, error)
      : !natter_provider_apply_auth (provider, request, key, error))
    return NULL;
  natter_request_freeze (request);

  return g_steal_pointer (&request);
}

NatterRequest *
natter_client_build_request (NatterClient           *self,
                             NatterProfile          *profile,
                             const NatterPrompt     *prompt,
                             const NatterGenParams  *params,
                             gboolean                include_secrets,
                             GError                **error)
{
  NatterProvider *provider;
  const NatterDialect *dialect;
  g_autofree char *base_url = NULL;
  g_autoptr(JsonObject) settings = NULL;
  char *key;
  char *secret_headers = NULL;
  NatterRequest *request;

  g_return_val_if_fail (NATTER_IS_CLIENT (self), NULL);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (prompt != NULL, NULL);

  if (!natter_client_resolve (self, profile, &provider, &dialect, &base_url, error))
    return NULL;

  if (natter_auth_handles (provider))
    {
      g_autoptr(NatterCredential) credential = NULL;
      g_autoptr(JsonObject) settings = NULL;

      /* Signed (or given a token) only when sent. */
      if (include_secrets)
        {
          g_set_error (error, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_UNSUPPORTED,
                       _("Requests to %s are signed when they are sent"),
                       natter_provider_get_name (provider));
          return NULL;
        }
      key = lookup_key_sync (provider, profile);
      settings = parse_settings (profile);
      credential = natter_auth_placeholder_credential (provider, settings, key);
      natter_secrets_free (key);
      return _natter_client_build_request_with_key (self, profile, provider, dialect, base_url,
                                     prompt, params, NULL, credential, NULL, TRUE, error);
    }

  if (include_secrets)
    key = lookup_key_sync (provider, profile);
  else if (natter_provider_get_key_required (provider) ||
           natter_client_key_source (self, profile) != NATTER_KEY_SOURCE_NONE)
    key = g_strdup ("REDACTED");
  else
    key = NULL;

  settings = parse_settings (profile);
  if (include_secrets && profile_has_uuid (profile) && natter_custom_headers_have_secret (settings))
    secret_headers = natter_secrets_lookup_sync (natter_profile_get_uuid (profile),
                                                 NATTER_SECRET_HEADERS, NULL, NULL);

  request = _natter_client_build_request_with_key (self, profile, provider, dialect, base_url,
                                    prompt, params, key, NULL, secret_headers, !include_secrets, error);
  natter_secrets_free (key);
  natter_secrets_free (secret_headers);
  return request;
}

NatterDatabase *
_natter_client_get_database (NatterClient *self)
{
  return self->database;
}

NatterProfileStore *
_natter_client_get_profile_store (NatterClient *self)
{
  return self->profiles;
}

/* One transport per (proxy, proxy password, connect timeout). The proxy
 * password is only looked up when the profile has a proxy. */
static NatterTransport *
get_transport_with (NatterClient  *self,
                    NatterProfile *profile,
                    const char    *password)
{
  const char *proxy = natter_profile_get_proxy_url (profile);
  guint timeout = natter_profile_get_connect_timeout (profile);
  g_autofree char *cache_key = NULL;
  NatterTransport *transport;

  if (proxy != NULL && *proxy == '\0')
    proxy = NULL;
  cache_key = g_strdup_printf ("%s\t%s\t%u", proxy ? proxy : "",
                               password ? natter_profile_get_uuid (profile) : "", timeout);
  transport = g_hash_table_lookup (self->transports, cache_key);
  if (transport == NULL)
    {
      NatterTransportOptions options = { 0 };

      options.proxy_url = proxy;
      options.proxy_password = password;
      options.connect_timeout_s = timeout;
      transport = natter_transport_new (&options);
      g_hash_table_insert (self->transports, g_steal_pointer (&cache_key), transport);
    }
  return transport;
}

static gboolean
needs_proxy_password (NatterProfile *profile)
{
  const char *proxy = natter_profile_get_proxy_url (profile);

  return proxy != NULL && *proxy != '\0' && profile_has_uuid (profile);
}

/* Finds the transport for @profile without blocking (the proxy password
 * comes from the keyring asynchronously), stores it in *@out (owned by the
 * client) and calls @then with @task. */
typedef struct
{
  GTask            *task;
  NatterProfile    *profile;
  NatterTransport **out;
  void            (*then) (GTask *task);
} TransportStep;

static void
transport_password_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  TransportStep *step = user_data;
  g_autoptr(GError) error = NULL;
  char *password = natter_secrets_lookup_finish (result, &error);

  if (error != NULL)
    g_debug ("Keyring lookup failed: %s", error->message);
  *step->out = get_transport_with (g_task_get_source_object (step->task), step->profile, password);
  natter_secrets_free (password);
  step->then (step->task);
  g_object_unref (step->profile);
  g_free (step);
}

void
_natter_client_with_transport (GTask            *task,
                               NatterProfile    *profile,
                               NatterTransport **out,
                               void            (*then) (GTask *task))
{
  TransportStep *step;

  if (!needs_proxy_password (profile))
    {
      *out = get_transport_with (g_task_get_source_object (task), profile, NULL);
      then (task);
      return;
    }

  step = g_new0 (TransportStep, 1);
  step->task = task;
  step->profile = g_object_ref (profile);
  step->out = out;
  step->then = then;
  natter_secrets_lookup_async (natter_profile_get_uuid (profile), NATTER_SECRET_PROXY_PASSWORD,
                               g_task_get_cancellable (task), transport_password_cb, step);
}


/* Turns a transport error into the error the caller sees: the provider's
 * own message from the error body when there is one, never the key. */
GError *
_natter_client_make_request_error (const NatterDialect *dialect,
                                   GError              *error,
                                   GBytes              *error_body,
                                   const char          *key)
{
  int code = NATTER_ERROR_CATEGORY_NETWORK;
  g_autofree char *message = NULL;
  g_autofree char *redacted = NULL;

  if (error->domain == NATTER_REQUEST_ERROR)
    code = error->code;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    code = NATTER_ERROR_CATEGORY_CANCELLED;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = NATTER_ERROR_CATEGORY_TIMEOUT;

  if (error_body != NULL && g_bytes_get_size (error_body) > 0 &&
      dialect != NULL && dialect->parse_error_body != NULL &&
      code != NATTER_ERROR_CATEGORY_CANCELLED)
    {
      gsize len;
      const char *data = g_bytes_get_data (error_body, &len);

      message = dialect->parse_error_body (data, len);
    }
  if (message == NULL || *message == '\0')
    {
      g_free (message);
      message = g_strdup (error->message);
    }

  if (key != NULL && *key != '\0')
    redacted = natter_redact_secret (message, key);
  else
    redacted = g_steal_pointer (&message);

  return g_error_new_literal (NATTER_REQUEST_ERROR, code, redacted);
}

/* ----------------------------------------------------------- log tap */

void
_natter_client_log_tap_response_head (guint       status,
                                      const char *headers_json,
                                      gpointer    user_data)
{
  LogTap *tap = user_data;

  if (tap->entry != NULL)
    natter_request_log_response_head (tap->log, tap->entry, status, headers_json);
}

void
_natter_client_log_tap_raw_bytes (const char *data,
                                  gsize       len,
                                  gpointer    user_data)
{
  LogTap *tap = user_data;

  if (tap->entry != NULL)
    natter_request_log_append_raw (tap->log, tap->entry, data, len);
}
