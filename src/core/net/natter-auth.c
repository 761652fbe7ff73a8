/* natter-auth.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-auth"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-auth.h"
#include "natter-service-account.h"
#include "natter-sigv4.h"

/* A token is used until this long before it expires. */
#define EXPIRY_MARGIN_US (60 * G_USEC_PER_SEC)
#define MAX_TOKEN_LEN    (16 * 1024)
#define MAX_LIFETIME_S   (24 * 3600)
#define DEFAULT_AWS_REGION "us-east-1"
#define PLACEHOLDER "REDACTED"

typedef enum
{
  CREDENTIAL_BEARER,
  CREDENTIAL_SIGV4,
} CredentialKind;

struct _NatterCredential
{
  CredentialKind  kind;
  char           *token;           /* bearer: the access token or API key */
  char           *access_key_id;
  char           *secret_access_key;
  char           *session_token;
  char           *region;          /* nullable */
  char           *project;         /* nullable */
};

typedef struct
{
  char      *access_token;
  gint64     expires_at;    /* real time, µs */
  GPtrArray *waiters;       /* GTask: an exchange is under way when non-NULL */
} CacheEntry;

struct _NatterAuth
{
  GObject     parent_instance;

  GHashTable *cache;        /* service account fingerprint → CacheEntry */
};

G_DEFINE_FINAL_TYPE (NatterAuth, natter_auth, G_TYPE_OBJECT)

static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  memset (secret, 0, strlen (secret));
  g_free (secret);
}

void
natter_credential_free (NatterCredential *self)
{
  if (self == NULL)
    return;
  wipe_free (self->token);
  g_free (self->access_key_id);
  wipe_free (self->secret_access_key);
  wipe_free (self->session_token);
  g_free (self->region);
  g_free (self->project);
  g_free (self);
}

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  wipe_free (entry->access_token);
  g_clear_pointer (&entry->waiters, g_ptr_array_unref);
  g_free (entry);
}

static void
natter_auth_finalize (GObject *object)
{
  NatterAuth *self = NATTER_AUTH (object);

  g_clear_pointer (&self->cache, g_hash_table_unref);

  G_OBJECT_CLASS (natter_auth_parent_class)->finalize (object);
}

static void
natter_auth_class_init (NatterAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_auth_finalize;
}

static void
natter_auth_init (NatterAuth *self)
{
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cache_entry_free);
}

NatterAuth *
natter_auth_new (void)
{
  return g_object_new (NATTER_TYPE_AUTH, NULL);
}

void
natter_auth_clear_cache (NatterAuth *self)
{
  GHashTableIter iter;
  CacheEntry *entry;

  g_return_if_fail (NATTER_IS_AUTH (self));

  /* Entries with an exchange under way stay: their waiters need them. */
  g_hash_table_iter_init (&iter, self->cache);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (entry->waiters == NULL)
      g_hash_table_iter_remove (&iter);
}

gboolean
natter_auth_handles (NatterProvider *provider)
{
  NatterAuthStyle style;

  g_return_val_if_fail (NATTER_IS_PROVIDER (provider), FALSE);

  style = natter_provider_get_auth_style (provider);
  return style == NATTER_AUTH_OAUTH || style == NATTER_AUTH_AWS_SIGV4;
}

static const char *
setting (JsonObject *settings,
         const char *name)
{
  JsonNode *node;
  const char *value;

  if (settings == NULL || (node = json_object_get_member (settings, name)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  value = json_node_get_string (node);
  return value != NULL && *value != '\0' ? value : NULL;
}

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* ------------------------------------------------------------- AWS */

static const char *
aws_region (JsonObject *settings)
{
  const char *region = setting (settings, "region");

  if (region == NULL)
    region = env ("AWS_REGION");
  if (region == NULL)
    region = env ("AWS_DEFAULT_REGION");
  return region != NULL ? region : DEFAULT_AWS_REGION;
}

/* The AWS credential from the stored secrets, else the environment. */
static NatterCredential *
aws_credential (NatterProvider  *provider,
                JsonObject      *settings,
                const char      *key,
                const char      *session_token,
                GError         **error)
{
  const char *mode = setting (settings, "aws_auth");
  const char *access_key_id = setting (settings, "access_key_id");
  NatterCredential *credential = g_new0 (NatterCredential, 1);
  gboolean api_key_only = g_strcmp0 (mode, "api-key") == 0;

  credential->region = g_strdup (aws_region (settings));

  if (key != NULL && *key != '\0')
    {
      /* A stored secret without an access key ID is a Bedrock API key. */
      if (api_key_only || (g_strcmp0 (mode, "sigv4") != 0 && access_key_id == NULL))
        {
          credential->kind = CREDENTIAL_BEARER;
          credential->token = g_strstrip (g_strdup (key));
          return credential;
        }
      if (access_key_id == NULL)
        access_key_id = env ("AWS_ACCESS_KEY_ID");
      if (access_key_id != NULL)
        {
          credential->kind = CREDENTIAL_SIGV4;
          credential->access_key_id = g_strdup (access_key_id);
          credential->secret_access_key = g_strstrip (g_strdup (key));
          credential->session_token = g_strdup (session_token);
          return credential;
        }
    }
  else if (!api_key_only && env ("AWS_ACCESS_KEY_ID") != NULL &&
           env ("AWS_SECRET_ACCESS_KEY") != NULL)
    {
      credential->kind = CREDENTIAL_SIGV4;
      credential->access_key_id = g_strdup (access_key_id != NULL ? access_key_id
                                                                  : env ("AWS_ACCESS_KEY_ID"));
      credential->secret_access_key = g_strdup (env ("AWS_SECRET_ACCESS_KEY"));
      credential->session_token = g_strdup (env ("AWS_SESSION_TOKEN"));
      return credential;
    }
  else if (env ("AWS_BEARER_TOKEN_BEDROCK") != NULL)
    {
      credential->kind = CREDENTIAL_BEARER;
      credential->token = g_strdup (env ("AWS_BEARER_TOKEN_BEDROCK"));
      return credential;
    }

  natter_credential_free (credential);
  g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH,
               _("%s needs credentials: an access key ID with its secret access key, "
                 "a Bedrock API key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                 "in the environment"),
               natter_provider_get_name (provider));
  return NULL;
}

/* ---------------------------------------------------- service accounts */

/* The service account key: the stored one, else the file named by
 * GOOGLE_APPLICATION_CREDENTIALS. */
static NatterServiceAccount *
load_service_account (NatterProvider  *provider,
                      const char      *key,
                      GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  NatterServiceAccount *account;
  gsize len = 0;

  if (key == NULL || *key == '\0')
    {
      const char *path = env ("GOOGLE_APPLICATION_CREDENTIALS");

      if (path == NULL || !g_file_get_contents (path, &contents, &len, NULL))
        {
          g_set_error (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH,
                       _("%s needs a service account key: add its JSON key file to the connection"),
                       natter_provider_get_name (provider));
          return NULL;
        }
      key = contents;
    }

  account = natter_service_account_parse (key, contents != NULL ? (gssize) len : -1, &local_error);
  if (contents != NULL)
    memset (contents, 0, len);
  if (account == NULL)
    g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH,
                         local_error->message);
  return account;
}

typedef struct
{
  NatterAuth *auth;
  char       *fingerprint;
  char       *project;
} ExchangeData;

static void
exchange_data_free (ExchangeData *data)
{
  g_clear_object (&data->auth);
  g_free (data->fingerprint);
  g_free (data->project);
  g_free (data);
}

static NatterCredential *
bearer_credential (const char *token,
                   const char *project)
{
  NatterCredential *credential = g_new0 (NatterCredential, 1);

  credential->kind = CREDENTIAL_BEARER;
  credential->token = g_strdup (token);
  credential->project = g_strdup (project);
  return credential;
}

/* Completes every task in @waiters (taken): each gets its own credential
 * for @token, or a copy of @error. */
static void
complete_waiters (GPtrArray    *waiters,
                  const char   *token,
                  const GError *error)
{
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);
      const char *project = g_task_get_task_data (task);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, bearer_credential (token, project),
                               (GDestroyNotify) natter_credential_free);
    }
  g_ptr_array_unref (waiters);
}

/* Google's {"error": "invalid_grant", "error_description": "…"}. */
static char *
token_error_message (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  const char *code, *description;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (data == NULL || len == 0 || len > 64 * 1024 ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  code = json_object_get_member (object, "error") != NULL &&
         JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "error"))
         ? json_object_get_string_member_with_default (object, "error", NULL) : NULL;
  description = json_object_get_string_member_with_default (object, "error_description", NULL);
  if (description != NULL && code != NULL)
    return g_strdup_printf ("%s (%s)", description, code);
  return g_strdup (description != NULL ? description : code);
}

/* Parses the token response; NULL with an error when it holds no usable token. */
static char *
parse_token (GBytes  *body,
             gint64  *expires_in,
             GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root, *node;
  JsonObject *object;
  const char *token = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  *expires_in = 3600;
  if (data != NULL && len > 0 && len <= 64 * 1024 &&
      json_parser_load_from_data (parser, data, len, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      object = json_node_get_object (root);
      node = json_object_get_member (object, "access_token");
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        token = json_node_get_string (node);
      node = json_object_get_member (object, "expires_in");
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_INT64)
        *expires_in = CLAMP (json_node_get_int (node), 0, MAX_LIFETIME_S);
    }

  if (token == NULL || *token == '\0' || strlen (token) > MAX_TOKEN_LEN)
    {
      g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH,
                           _("Google’s token service sent no access token"));
      return NULL;
    }
  for (const char *p = token; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f)
      {
        g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH,
                             _("Google’s token service sent an access token that is not text"));
        return NULL;
      }
  return g_strdup (token);
}

static void
exchange_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ExchangeData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) error_body = NULL;
  g_autoptr(GBytes) body = NULL;
  CacheEntry *entry;
  guint status = 0;

  body = natter_transport_send_finish (NATTER_TRANSPORT (object), result, &status,
                                       &error_body, &error);
  entry = g_hash_table_lookup (data->auth->cache, data->fingerprint);
  g_assert (entry != NULL && entry->waiters != NULL);

  if (body == NULL)
    {
      g_autofree char *message = token_error_message (error_body);
      int code = error->domain == NATTER_REQUEST_ERROR ? error->code : NATTER_ERROR_CATEGORY_NETWORK;

      /* A refused key is an auth problem whatever the status says. */
      if (status >= 400 && status < 500)
        code = NATTER_ERROR_CATEGORY_AUTH;
      g_clear_error (&error);
      if (message != NULL)
        error = g_error_new (NATTER_REQUEST_ERROR, code,
                             _("Google refused the service account key: %s"), message);
      else
        error = g_error_new (NATTER_REQUEST_ERROR, code,
                             _("The access token exchange failed: %s"),
                             natter_error_category_describe (code));
    }
  else
    {
      gint64 expires_in;
      char *token = parse_token (body, &expires_in, &error);

      if (token != NULL)
        {
          wipe_free (entry->access_token);
          entry->access_token = token;
          entry->expires_at = g_get_real_time () + expires_in * G_USEC_PER_SEC;
        }
    }

  /* The cache is settled before anyone is told: a waiter may ask again. */
  {
    GPtrArray *waiters = g_steal_pointer (&entry->waiters);
    g_autofree char *token = g_strdup (entry->access_token);

    if (error != NULL)
      g_hash_table_remove (data->auth->cache, data->fingerprint);
    complete_waiters (waiters, token, error);
    wipe_free (g_steal_pointer (&token));
  }
  exchange_data_free (data);
}

static void
start_exchange (NatterAuth           *self,
                NatterServiceAccount *account,
                NatterTransport      *transport,
                GError              **error)
{
  g_autoptr(NatterRequest) request = NULL;
  g_autofree char *assertion = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *body = NULL;
  ExchangeData *data;

  assertion = natter_service_account_build_assertion (account, NATTER_GOOGLE_CLOUD_SCOPE,
                                                      g_get_real_time () / G_USEC_PER_SEC,
                                                      error);
  if (assertion == NULL)
    return;

  escaped = g_uri_escape_string (assertion, NULL, FALSE);
  body = g_strconcat ("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                      "&assertion=", escaped, NULL);
  request = natter_request_new ("POST", natter_service_account_get_token_uri (account));
  natter_request_set_header (request, "Accept", "application/json");
  natter_request_set_body_string (request, "application/x-www-form-urlencoded", body);
  natter_request_set_framing (request, NATTER_FRAMING_NONE);
  natter_request_freeze (request);
  memset (body, 0, strlen (body));

  data = g_new0 (ExchangeData, 1);
  data->auth = g_object_ref (self);
  data->fingerprint = g_strdup (natter_service_account_get_fingerprint (account));
  /* Not cancellable: other requests may be waiting for the same token. */
  natter_transport_send_async (transport, request, NULL, NULL, NULL, exchange_cb, data);
}

void
natter_auth_prepare_async (NatterAuth          *self,
                           NatterProvider      *provider,
                           JsonObject          *settings,
                           const char          *key,
                           const char          *session_token,
                           NatterTransport     *transport,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(NatterServiceAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  const char *fingerprint;
  const char *project;
  CacheEntry *entry;

  g_return_if_fail (NATTER_IS_AUTH (self));
  g_return_if_fail (NATTER_IS_PROVIDER (provider));
  g_return_if_fail (NATTER_IS_TRANSPORT (transport));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_auth_prepare_async);

  if (natter_provider_get_auth_style (provider) == NATTER_AUTH_AWS_SIGV4)
    {
      NatterCredential *credential = aws_credential (provider, settings, key, session_token, &error);

      if (credential == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, credential, (GDestroyNotify) natter_credential_free);
      return;
    }

  if (natter_provider_get_auth_style (provider) != NATTER_AUTH_OAUTH)
    {
      g_task_return_new_error (task, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                               _("The sign-in method of “%s” is not supported yet"),
                               natter_provider_get_name (provider));
      return;
    }

  if ((account = load_service_account (provider, key, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  project = setting (settings, "project");
  if (project == NULL)
    project = natter_service_account_get_project_id (account);
  g_task_set_task_data (task, g_strdup (project), g_free);

  fingerprint = natter_service_account_get_fingerprint (account);
  entry = g_hash_table_lookup (self->cache, fingerprint);
  if (entry != NULL && entry->access_token != NULL &&
      g_get_real_time () < entry->expires_at - EXPIRY_MARGIN_US)
    {
      g_task_return_pointer (task, bearer_credential (entry->access_token, project),
                             (GDestroyNotify) natter_credential_free);
      return;
    }

  if (entry == NULL)
    {
      entry = g_new0 (CacheEntry, 1);
      g_hash_table_insert (self->cache, g_strdup (fingerprint), entry);
    }
  if (entry->waiters != NULL)
    {
      g_ptr_array_add (entry->waiters, g_steal_pointer (&task));
      return;
    }

  entry->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (entry->waiters, g_object_ref (task));
  start_exchange (self, account, transport, &error);
  if (error != NULL)
    {
      GPtrArray *waiters = g_steal_pointer (&entry->waiters);

      g_hash_table_remove (self->cache, fingerprint);
      complete_waiters (waiters, NULL, error);
    }
}

NatterCredential *
natter_auth_prepare_finish (NatterAuth    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (NATTER_IS_AUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

NatterCredential *
natter_auth_placeholder_credential (NatterProvider *provider,
                                    JsonObject     *settings,
                                    const char     *key)
{
  NatterCredential *credential = g_new0 (NatterCredential, 1);

  g_return_val_if_fail (NATTER_IS_PROVIDER (provider), NULL);

  if (natter_provider_get_auth_style (provider) == NATTER_AUTH_AWS_SIGV4)
    {
      g_autoptr(NatterCredential) real = aws_credential (provider, settings, key, NULL, NULL);

      credential->region = g_strdup (aws_region (settings));
      if (real != NULL && real->kind == CREDENTIAL_SIGV4)
        {
          credential->kind = CREDENTIAL_SIGV4;
          credential->access_key_id = g_strdup (real->access_key_id);
          credential->secret_access_key = g_strdup (PLACEHOLDER);
          if (real->session_token != NULL)
            credential->session_token = g_strdup (PLACEHOLDER);
          return credential;
        }
    }
  else if (key != NULL && *key != '\0')
    {
      g_autoptr(NatterServiceAccount) account = natter_service_account_parse (key, -1, NULL);

      if (account != NULL)
        credential->project = g_strdup (natter_service_account_get_project_id (account));
    }

  credential->kind = CREDENTIAL_BEARER;
  credential->token = g_strdup (PLACEHOLDER);
  return credential;
}

void
natter_credential_fill_settings (NatterCredential *self,
                                 JsonObject       *settings)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (settings != NULL);

  if (self->project != NULL && setting (settings, "project") == NULL)
    json_object_set_string_member (settings, "project", self->project);
  if (self->region != NULL && setting (settings, "region") == NULL)
    json_object_set_string_member (settings, "region", self->region);
}

gboolean
natter_credential_apply (NatterCredential  *self,
                         NatterRequest     *request,
                         GError           **error)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  if (self->kind == CREDENTIAL_SIGV4)
    {
      NatterSigV4Credentials credentials = {
        self->access_key_id,
        self->secret_access_key,
        self->session_token,
        self->region != NULL ? self->region : DEFAULT_AWS_REGION,
        "bedrock",
      };

      return natter_sigv4_sign_request (request, &credentials, NULL, error);
    }

  for (const char *p = self->token; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH,
                             _("The API key contains a line break or another control character"));
        return FALSE;
      }
  value = g_strconcat ("Bearer ", self->token, NULL);
  natter_request_set_secret_header (request, "Authorization", value);
  memset (value, 0, strlen (value));
  return TRUE;
}

const char *
natter_credential_get_secret (NatterCredential *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->kind == CREDENTIAL_SIGV4 ? self->secret_access_key : self->token;
}
