/* natter-client-auth.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The client's side of the cloud sign-ins (Vertex AI, Bedrock): which
 * stored secrets go into NatterAuth, through which transport. */

#define G_LOG_DOMAIN "natter-client"

#include "config.h"

#include "natter-client-private.h"
#include "natter-profile.h"
#include "natter-secrets.h"

typedef struct
{
  NatterProfile  *profile;
  NatterProvider *provider;
  JsonObject     *settings;
  char           *key;
  char           *session_token;
  NatterTransport *transport;   /* the client's */
} CredentialData;

static void
credential_data_free (CredentialData *data)
{
  g_clear_object (&data->profile);
  g_clear_object (&data->provider);
  g_clear_pointer (&data->settings, json_object_unref);
  natter_secrets_free (data->key);
  natter_secrets_free (data->session_token);
  g_free (data);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  NatterCredential *credential;

  credential = natter_auth_prepare_finish (NATTER_AUTH (object), result, &error);
  if (credential == NULL)
    {
      /* Callers switch on NATTER_REQUEST_ERROR categories. */
      if (error->domain != NATTER_REQUEST_ERROR)
        {
          GError *mapped = g_error_new_literal (NATTER_REQUEST_ERROR,
                                                g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                                ? NATTER_ERROR_CATEGORY_CANCELLED
                                                : NATTER_ERROR_CATEGORY_AUTH,
                                                error->message);
          g_error_free (error);
          error = mapped;
        }
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, credential, (GDestroyNotify) natter_credential_free);
}

static void
prepare_with_transport (GTask *task)
{
  NatterClient *self = g_task_get_source_object (task);
  CredentialData *data = g_task_get_task_data (task);

  natter_auth_prepare_async (_natter_client_get_auth (self), data->provider, data->settings,
                             data->key, data->session_token, data->transport,
                             g_task_get_cancellable (task), prepared_cb, task);
}

/* The token exchange goes through the connection's proxy: its password
 * comes from the keyring without blocking. */
static void
prepare (GTask *task)
{
  CredentialData *data = g_task_get_task_data (task);

  _natter_client_with_transport (task, data->profile, &data->transport, prepare_with_transport);
}

static void
session_token_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  CredentialData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->session_token = natter_secrets_lookup_finish (result, &error);
  if (error != NULL)
    g_debug ("Keyring lookup failed: %s", error->message);
  prepare (task);
}

void
_natter_client_credential_async (NatterClient        *self,
                                 NatterProfile       *profile,
                                 NatterProvider      *provider,
                                 JsonObject          *settings,
                                 const char          *key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  CredentialData *data;
  const char *uuid = natter_profile_get_uuid (profile);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _natter_client_credential_async);
  /* Cancellation is the caller's to report. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (CredentialData, 1);
  data->profile = g_object_ref (profile);
  data->provider = g_object_ref (provider);
  data->settings = settings != NULL ? json_object_ref (settings) : NULL;
  data->key = key != NULL ? g_strdup (key) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) credential_data_free);

  /* A stored secret access key may come with a stored session token. */
  if (natter_provider_get_auth_style (provider) == NATTER_AUTH_AWS_SIGV4 &&
      key != NULL && uuid != NULL && *uuid != '\0')
    {
      natter_secrets_lookup_async (uuid, NATTER_SECRET_SESSION_TOKEN, cancellable,
                                   session_token_cb, task);
      return;
    }
  prepare (task);
}

NatterCredential *
_natter_client_credential_finish (NatterClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
