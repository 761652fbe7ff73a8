/* natter-account.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-account"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-json.h"
#include "natter-account.h"
#include "natter-catalog.h"
#include "natter-client-private.h"
#include "natter-headers.h"
#include "natter-secrets.h"

#define MAX_BODY (256 * 1024)

void
natter_account_info_free (NatterAccountInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->kind);
  g_free (info);
}

gboolean
natter_account_supported (const char *provider_id)
{
  return g_strcmp0 (provider_id, "openrouter") == 0 || g_strcmp0 (provider_id, "nanogpt") == 0;
}

char *
natter_account_info_summary (const NatterAccountInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  if (g_strcmp0 (info->kind, "credits") == 0)
    {
      if (info->remaining < 0)
        return g_strdup (_("Credits unknown"));
      return g_strdup_printf (_("Credits $%.2f left"), info->remaining);
    }
  if (!info->active)
    return g_strdup (_("No active subscription"));
  if (info->daily_used >= 0 && info->daily_limit > 0)
    /* Translators: requests used today out of the daily limit, “Subscription 12 of 50 today” */
    return g_strdup_printf (_("Subscription %lld of %lld today"),
                            (long long) info->daily_used, (long long) info->daily_limit);
  return g_strdup (_("Subscription active"));
}

static double
number_member (JsonObject *object,
               const char *name)
{
  JsonNode *node;
  double value;

  if (object == NULL || !json_object_has_member (object, name))
    return -1;
  node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64))
    return -1;
  value = json_node_get_double (node);
  return isfinite (value) ? value : -1;
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  if (object == NULL || !json_object_has_member (object, name) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, name)))
    return NULL;
  return json_object_get_object_member (object, name);
}

NatterAccountInfo *
natter_account_info_parse (const char  *kind,
                           const char  *body,
                           gsize        len,
                           GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(NatterAccountInfo) info = g_new0 (NatterAccountInfo, 1);
  JsonNode *root;
  JsonObject *object;

  if (body == NULL || len == 0 || len > MAX_BODY ||
      !natter_json_parser_load (parser, body, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                           _("The account answer is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);
  info->kind = g_strdup (kind);

  if (g_str_equal (kind, "credits"))
    {
      JsonObject *data = object_member (object, "data");

      info->total_credits = number_member (data, "total_credits");
      info->total_usage = number_member (data, "total_usage");
      if (info->total_credits < 0 || info->total_usage < 0)
        {
          g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                               _("The credits answer has no “data.total_credits” and “data.total_usage”"));
          return NULL;
        }
      info->remaining = info->total_credits - info->total_usage;
      return g_steal_pointer (&info);
    }

  info->active = json_object_get_boolean_member_with_default (object, "active", FALSE);
  info->daily_used = (gint64) number_member (object_member (object, "daily"), "used");
  info->monthly_used = (gint64) number_member (object_member (object, "monthly"), "used");
  info->daily_limit = (gint64) number_member (object_member (object, "limits"), "daily");
  info->monthly_limit = (gint64) number_member (object_member (object, "limits"), "monthly");
  if (!json_object_has_member (object, "active"))
    {
      g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                           _("The subscription usage answer has no “active”"));
      return NULL;
    }
  return g_steal_pointer (&info);
}

typedef struct
{
  NatterClient   *client;
  NatterProfile  *profile;
  NatterProvider *provider;
  char           *url;
  char           *kind;
  char           *key;
  char           *secret_headers;
  NatterTransport *transport;   /* the client's */
} AccountData;

static void
account_data_free (AccountData *ad)
{
  g_clear_object (&ad->client);
  g_clear_object (&ad->profile);
  g_free (ad->url);
  g_free (ad->kind);
  natter_secrets_free (ad->key);
  natter_secrets_free (ad->secret_headers);
  g_free (ad);
}

static void
account_send_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AccountData *ad = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) error_body = NULL;
  GError *error = NULL;
  NatterAccountInfo *info;
  const char *data;
  gsize len = 0;
  guint status = 0;

  body = natter_transport_send_finish (NATTER_TRANSPORT (object), result, &status, &error_body, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data = g_bytes_get_data (body, &len);
  info = natter_account_info_parse (ad->kind, data, len, &error);
  if (info == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, info, (GDestroyNotify) natter_account_info_free);
}

static void
account_send (GTask *task)
{
  AccountData *ad = g_task_get_task_data (task);
  g_autoptr(NatterRequest) request = natter_request_new ("GET", ad->url);
  g_autoptr(JsonObject) settings = _natter_client_parse_settings (ad->profile);
  GError *error = NULL;

  natter_request_set_header (request, "Accept", "application/json");
  natter_custom_headers_apply (settings, ad->secret_headers, FALSE, request);
  if (!natter_provider_apply_auth (ad->provider, request, ad->key, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  natter_request_freeze (request);
  natter_transport_send_async (ad->transport, request,
                               NULL, NULL, g_task_get_cancellable (task), account_send_cb, task);
}

/* The key and secret headers come from the same place as for any
 * request of this connection (a key typed in the form and not saved yet
 * first, then the keyring, then the environment); the transport without
 * blocking on the proxy password. */
static void
account_secrets_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  AccountData *ad = g_task_get_task_data (task);

  _natter_client_request_secrets_finish (result, &ad->key, &ad->secret_headers);
  _natter_client_with_transport (task, ad->profile, &ad->transport, account_send);
}

void
natter_client_account_async (NatterClient        *client,
                             NatterProfile       *profile,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *base_url = NULL;
  g_autoptr(JsonObject) settings = NULL;
  GError *error = NULL;
  AccountData *ad;
  const char *id;

  g_return_if_fail (NATTER_IS_CLIENT (client));
  g_return_if_fail (NATTER_IS_PROFILE (profile));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_client_account_async);

  ad = g_new0 (AccountData, 1);
  ad->client = g_object_ref (client);
  ad->profile = g_object_ref (profile);
  g_task_set_task_data (task, ad, (GDestroyNotify) account_data_free);

  if (!natter_client_resolve (client, profile, &ad->provider, NULL, &base_url, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  id = natter_provider_get_id (ad->provider);
  if (g_str_equal (id, "openrouter"))
    {
      ad->kind = g_strdup ("credits");
      ad->url = g_strconcat (base_url, "/credits", NULL);
    }
  else if (g_str_equal (id, "nanogpt"))
    {
      ad->kind = g_strdup ("subscription");
      if (g_str_has_suffix (base_url, "/api/v1"))
        base_url[strlen (base_url) - strlen ("/api/v1")] = '\0';
      ad->url = g_strconcat (base_url, "/api/subscription/v1/usage", NULL);
    }
  else
    {
      g_task_return_new_error (task, NATTER_CLIENT_ERROR, NATTER_CLIENT_ERROR_UNSUPPORTED,
                               _("%s has no credits or usage that Natter can read"),
                               natter_provider_get_name (ad->provider));
      return;
    }

  settings = _natter_client_parse_settings (profile);
  _natter_client_request_secrets_async (profile, ad->provider, settings, cancellable, account_secrets_cb,
                                        g_steal_pointer (&task));
}

NatterAccountInfo *
natter_client_account_finish (NatterClient  *client,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
