/* natter-secrets.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-secrets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "natter-secrets.h"
#include "natter-secrets-private.h"

G_DEFINE_QUARK (natter-secrets-error-quark, natter_secrets_error)

static const SecretSchema *
natter_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    NATTER_SECRETS_SCHEMA_NAME,
    SECRET_SCHEMA_NONE,
    {
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0,
  };

  return &schema;
}

const char *
natter_secret_kind_to_string (NatterSecretKind kind)
{
  switch (kind)
    {
    case NATTER_SECRET_API_KEY:
      return "api-key";
    case NATTER_SECRET_PROXY_PASSWORD:
      return "proxy-password";
    case NATTER_SECRET_SESSION_TOKEN:
      return "session-token";
    case NATTER_SECRET_HEADERS:
      return "headers";
    default:
      g_return_val_if_reached ("api-key");
    }
}

void
natter_secrets_free (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}

static char *
make_label (NatterSecretKind  kind,
            const char       *profile_name)
{
  if (kind == NATTER_SECRET_PROXY_PASSWORD)
    return g_strdup_printf (_("Natter: proxy password for %s"), profile_name);
  if (kind == NATTER_SECRET_SESSION_TOKEN)
    return g_strdup_printf (_("Natter: AWS session token for %s"), profile_name);
  if (kind == NATTER_SECRET_HEADERS)
    return g_strdup_printf (_("Natter: secret headers for %s"), profile_name);

  return g_strdup_printf (_("Natter: API key for %s"), profile_name);
}

/* The attributes that name one item. Values are static or owned by the
 * caller for the table's lifetime. */
static GHashTable *
make_attributes (const char       *profile_uuid,
                 NatterSecretKind  kind)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "profile", (gpointer) profile_uuid);
  g_hash_table_insert (attributes, (gpointer) "kind",
                       (gpointer) natter_secret_kind_to_string (kind));

  return attributes;
}

static gboolean
check_arguments (const char  *profile_uuid,
                 GError     **error)
{
  if (profile_uuid == NULL || profile_uuid[0] == '\0')
    {
      g_set_error_literal (error, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_INVALID,
                           _("The profile has not been saved yet, so its key cannot be stored."));
      return FALSE;
    }

  return TRUE;
}

/* Turns a libsecret / D-Bus failure into our domain with a message for
 * people. Cancellation stays G_IO_ERROR_CANCELLED so callers can ignore it. */
static void
propagate_error (GError  **dest,
                 GError   *src)
{
  if (g_error_matches (src, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (dest, src);
      return;
    }

  g_set_error (dest, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_UNAVAILABLE,
               _("No keyring is available: %s"), src->message);
  g_error_free (src);
}

/* Returns @local_error (a libsecret failure) on @task, through
 * propagate_error(). Consumes @local_error, not the caller's ref on @task. */
static void
task_return_secret_error (GTask  *task,
                          GError *local_error)
{
  GError *error = NULL;

  propagate_error (&error, local_error);
  g_task_return_error (task, error);
}

/* Sync */

gboolean
natter_secrets_store_sync (const char        *profile_uuid,
                           NatterSecretKind   kind,
                           const char        *profile_name,
                           const char        *secret,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  if (!check_arguments (profile_uuid, error))
    return FALSE;

  if (secret == NULL || secret[0] == '\0')
    {
      g_set_error_literal (error, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_INVALID,
                           _("The key is empty. To remove a key, clear it instead."));
      return FALSE;
    }

  attributes = make_attributes (profile_uuid, kind);
  label = make_label (kind, profile_name ? profile_name : profile_uuid);

  if (!secret_password_storev_sync (natter_secrets_get_schema (), attributes,
                                    SECRET_COLLECTION_DEFAULT, label, secret,
                                    cancellable, &local_error))
    {
      propagate_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

/* Blocking reads so far: tests show a path makes none. */
static gint n_sync_reads;

guint
_natter_secrets_get_n_sync_reads (void)
{
  return g_atomic_int_get (&n_sync_reads);
}

char *
natter_secrets_lookup_sync (const char        *profile_uuid,
                            NatterSecretKind   kind,
                            GCancellable      *cancellable,
                            GError           **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;
  char *secret;

  g_atomic_int_inc (&n_sync_reads);
  if (!check_arguments (profile_uuid, error))
    return NULL;

  attributes = make_attributes (profile_uuid, kind);
  secret = secret_password_lookupv_sync (natter_secrets_get_schema (), attributes,
                                         cancellable, &local_error);
  if (local_error != NULL)
    {
      natter_secrets_free (secret);
      propagate_error (error, local_error);
      return NULL;
    }

  return secret;
}

gboolean
natter_secrets_has_sync (const char        *profile_uuid,
                         NatterSecretKind   kind,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;
  GList *items;
  gboolean found;

  g_atomic_int_inc (&n_sync_reads);
  if (!check_arguments (profile_uuid, error))
    return FALSE;

  attributes = make_attributes (profile_uuid, kind);
  /* No LOAD_SECRETS, no UNLOCK: the secret itself never crosses D-Bus. */
  items = secret_password_searchv_sync (natter_secrets_get_schema (), attributes,
                                        SECRET_SEARCH_NONE, cancellable, &local_error);
  if (local_error != NULL)
    {
      propagate_error (error, local_error);
      return FALSE;
    }

  found = items != NULL;
  g_list_free_full (items, g_object_unref);

  return found;
}

gboolean
natter_secrets_clear_sync (const char        *profile_uuid,
                           NatterSecretKind   kind,
                           GCancellable      *cancellable,
                           GError           **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;

  if (!check_arguments (profile_uuid, error))
    return FALSE;

  attributes = make_attributes (profile_uuid, kind);
  /* FALSE without an error means there was nothing to delete. */
  secret_password_clearv_sync (natter_secrets_get_schema (), attributes,
                               cancellable, &local_error);
  if (local_error != NULL)
    {
      propagate_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

gboolean
natter_secrets_clear_all_sync (const char    *profile_uuid,
                               GCancellable  *cancellable,
                               GError       **error)
{
  return natter_secrets_clear_sync (profile_uuid, NATTER_SECRET_API_KEY, cancellable, error) &&
         natter_secrets_clear_sync (profile_uuid, NATTER_SECRET_PROXY_PASSWORD, cancellable, error) &&
         natter_secrets_clear_sync (profile_uuid, NATTER_SECRET_SESSION_TOKEN, cancellable, error) &&
         natter_secrets_clear_sync (profile_uuid, NATTER_SECRET_HEADERS, cancellable, error);
}

/* Async: libsecret's own async calls, with the errors mapped. */

static GTask *
start_task (const char          *profile_uuid,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);

  if (!check_arguments (profile_uuid, &error))
    {
      g_task_return_error (task, error);
      return NULL;
    }

  return g_steal_pointer (&task);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *local_error = NULL;

  if (!secret_password_store_finish (result, &local_error))
    {
      task_return_secret_error (task, local_error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
natter_secrets_store_async (const char          *profile_uuid,
                            NatterSecretKind     kind,
                            const char          *profile_name,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GTask *task;

  task = start_task (profile_uuid, cancellable, callback, user_data, natter_secrets_store_async);
  if (task == NULL)
    return;

  if (secret == NULL || secret[0] == '\0')
    {
      g_task_return_new_error (task, NATTER_SECRETS_ERROR, NATTER_SECRETS_ERROR_INVALID,
                               "%s", _("The key is empty. To remove a key, clear it instead."));
      g_object_unref (task);
      return;
    }

  attributes = make_attributes (profile_uuid, kind);
  label = make_label (kind, profile_name ? profile_name : profile_uuid);
  secret_password_storev (natter_secrets_get_schema (), attributes,
                          SECRET_COLLECTION_DEFAULT, label, secret,
                          cancellable, store_cb, task);
}

gboolean
natter_secrets_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *local_error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &local_error);
  if (local_error != NULL)
    {
      natter_secrets_free (secret);
      task_return_secret_error (task, local_error);
      return;
    }

  g_task_return_pointer (task, secret, (GDestroyNotify) natter_secrets_free);
}

void
natter_secrets_lookup_async (const char          *profile_uuid,
                             NatterSecretKind     kind,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  task = start_task (profile_uuid, cancellable, callback, user_data, natter_secrets_lookup_async);
  if (task == NULL)
    return;

  attributes = make_attributes (profile_uuid, kind);
  secret_password_lookupv (natter_secrets_get_schema (), attributes,
                           cancellable, lookup_cb, task);
}

char *
natter_secrets_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
has_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *local_error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &local_error);
  if (local_error != NULL)
    {
      task_return_secret_error (task, local_error);
      return;
    }

  g_task_return_boolean (task, items != NULL);
  g_list_free_full (items, g_object_unref);
}

void
natter_secrets_has_async (const char          *profile_uuid,
                          NatterSecretKind     kind,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  task = start_task (profile_uuid, cancellable, callback, user_data, natter_secrets_has_async);
  if (task == NULL)
    return;

  attributes = make_attributes (profile_uuid, kind);
  secret_password_searchv (natter_secrets_get_schema (), attributes, SECRET_SEARCH_NONE,
                           cancellable, has_cb, task);
}

gboolean
natter_secrets_has_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *local_error = NULL;

  secret_password_clear_finish (result, &local_error);
  if (local_error != NULL)
    {
      task_return_secret_error (task, local_error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
natter_secrets_clear_async (const char          *profile_uuid,
                            NatterSecretKind     kind,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;

  task = start_task (profile_uuid, cancellable, callback, user_data, natter_secrets_clear_async);
  if (task == NULL)
    return;

  attributes = make_attributes (profile_uuid, kind);
  secret_password_clearv (natter_secrets_get_schema (), attributes,
                          cancellable, clear_cb, task);
}

gboolean
natter_secrets_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
