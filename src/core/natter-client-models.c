/* natter-client-models.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The client's model list, "Test connection" and the local server probe. */

#define G_LOG_DOMAIN "natter-client"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "natter-client.h"
#include "natter-client-private.h"
#include "natter-dialects-private.h"
#include "natter-headers.h"
#include "natter-model-settings.h"
#include "natter-profile.h"
#include "natter-profile-store.h"
#include "natter-request-log.h"
#include "natter-secrets.h"
#include "natter-transport.h"

#define MAX_MODEL_PAGES 20
#define PROBE_TIMEOUT_MS 700

/* ------------------------------------------------------------ model list */

typedef struct
{
  LogTap               tap;         /* first: the observer's user data */
  NatterClient        *client;
  NatterProfile       *profile;
  NatterProvider      *provider;
  const NatterDialect *dialect;
  char                *base_url;
  char                *key;
  NatterCredential    *credential;  /* cloud sign-ins, else NULL */
  char                *secret_headers;
  JsonObject          *settings;
  GPtrArray           *models;      /* element-type NatterModelInfo */
  NatterTransport     *transport;   /* owned by the client */
  guint                pages;
  gboolean             first_page_only;
} ModelsData;

static void
models_data_free (ModelsData *md)
{
  g_clear_object (&md->client);
  g_clear_object (&md->profile);
  g_free (md->base_url);
  natter_secrets_free (md->key);
  g_clear_pointer (&md->credential, natter_credential_free);
  natter_secrets_free (md->secret_headers);
  g_clear_pointer (&md->settings, json_object_unref);
  g_clear_object (&md->tap.log);
  g_clear_pointer (&md->models, g_ptr_array_unref);
  g_free (md);
}

static int
compare_model_info (gconstpointer a,
                    gconstpointer b)
{
  const NatterModelInfo *ma = *(NatterModelInfo * const *)a;
  const NatterModelInfo *mb = *(NatterModelInfo * const *)b;

  return g_strcmp0 (ma->id, mb->id);
}

/* Adds the custom and (when @builtin) the catalog's models, then sorts and
 * drops duplicates. Returns a new array. */
static GPtrArray *
models_merge (ModelsData *md,
              gboolean    builtin)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify)natter_model_info_free);
  const char * const *custom = natter_profile_get_custom_models (md->profile);
  const char * const *builtins = builtin ? natter_provider_get_builtin_models (md->provider) : NULL;

  for (guint i = 0; md->models != NULL && i < md->models->len; i++)
    {
      NatterModelInfo *info = g_ptr_array_index (md->models, i);

      if (info == NULL || info->id == NULL || g_hash_table_contains (seen, info->id))
        continue;
      NatterModelInfo *copy = natter_model_info_copy (info);

      if (copy->context_length <= 0)
        natter_model_info_apply_object (copy, natter_provider_get_model_info (md->provider, copy->id));
      natter_model_info_apply_settings (copy, md->settings);
      g_hash_table_add (seen, copy->id);
      g_ptr_array_add (all, copy);
    }
  for (guint i = 0; builtins != NULL && builtins[i] != NULL; i++)
    if (!g_hash_table_contains (seen, builtins[i]))
      {
        NatterModelInfo *info = natter_model_info_new (builtins[i]);

        natter_model_info_apply_object (info, natter_provider_get_model_info (md->provider, builtins[i]));
        natter_model_info_apply_settings (info, md->settings);
        g_hash_table_add (seen, info->id);
        g_ptr_array_add (all, info);
      }
  for (guint i = 0; custom != NULL && custom[i] != NULL; i++)
    if (*custom[i] != '\0' && !g_hash_table_contains (seen, custom[i]))
      {
        NatterModelInfo *info = natter_model_info_new (custom[i]);

        natter_model_info_apply_object (info, natter_provider_get_model_info (md->provider, custom[i]));
        natter_model_info_apply_settings (info, md->settings);
        g_hash_table_add (seen, info->id);
        g_ptr_array_add (all, info);
      }

  g_ptr_array_sort (all, compare_model_info);
  return all;
}

static void models_fetch_page (GTask      *task,
                               const char *page_token);

/* The provider's own list: kept with the profile, then merged. */
static void
models_return (GTask *task)
{
  ModelsData *md = g_task_get_task_data (task);

  _natter_client_remember_models (_natter_client_get_profile_store (md->client), natter_profile_get_uuid (md->profile),
                                  md->models);
  g_task_return_pointer (task, models_merge (md, FALSE), (GDestroyNotify)g_ptr_array_unref);
}

static void
models_details_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  _natter_client_ollama_details_finish (result, NULL);
  models_return (task);
}

static void
models_send_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ModelsData *md = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) error_body = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *next = NULL;
  guint status = 0;
  const char *data;
  gsize len;

  body = natter_transport_send_finish (NATTER_TRANSPORT (object), result, &status,
                                       &error_body, &error);
  if (body == NULL)
    {
      GError *e = _natter_client_make_request_error (md->dialect, error, error_body, md->key);

      if (md->tap.entry != NULL)
        natter_request_log_finish (md->tap.log, md->tap.entry, e->code, e->message);
      /* Vertex's publisher list is a beta many projects may not call: the
       * catalog's list then stands in ("Test" makes a chat instead). */
      if (md->dialect == &natter_dialect_vertex &&
          (e->code == NATTER_ERROR_CATEGORY_NOT_FOUND || e->code == NATTER_ERROR_CATEGORY_AUTH ||
           e->code == NATTER_ERROR_CATEGORY_BAD_REQUEST))
        {
          g_debug ("Vertex model list failed (%s), using the built-in list", e->message);
          g_error_free (e);
          g_task_return_pointer (task, models_merge (md, TRUE), (GDestroyNotify)g_ptr_array_unref);
          return;
        }
      g_task_return_error (task, e);
      return;
    }

  data = g_bytes_get_data (body, &len);
  page = md->dialect->parse_models (data != NULL ? data : "", len, &next, &error);
  if (page == NULL)
    {
      GError *e = g_error_new_literal (NATTER_REQUEST_ERROR,
                                       error->domain == NATTER_REQUEST_ERROR
                                       ? error->code : NATTER_ERROR_CATEGORY_PROTOCOL,
                                       error->message);

      if (md->tap.entry != NULL)
        natter_request_log_finish (md->tap.log, md->tap.entry, e->code, e->message);
      g_task_return_error (task, e);
      return;
    }
  if (md->tap.entry != NULL)
    natter_request_log_finish (md->tap.log, md->tap.entry, NATTER_ERROR_CATEGORY_NONE, NULL);

  g_ptr_array_set_free_func (page, NULL);
  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (md->models, g_ptr_array_index (page, i));

  md->pages++;
  if (next != NULL && *next != '\0' && md->pages < MAX_MODEL_PAGES && !md->first_page_only)
    {
      models_fetch_page (g_steal_pointer (&task), next);
      return;
    }

  if (g_str_equal (md->dialect->id, "ollama") && !md->first_page_only && md->models->len > 0)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      _natter_client_ollama_details_async (NATTER_TRANSPORT (object), md->base_url, md->models,
                                           cancellable, models_details_cb, g_steal_pointer (&task));
      return;
    }

  models_return (task);
}

static const NatterTransportObserver models_observer = {
  _natter_client_log_tap_response_head,
  _natter_client_log_tap_raw_bytes,
  NULL,
};

static void
models_fetch_page (GTask      *task,
                   const char *page_token)
{
  ModelsData *md = g_task_get_task_data (task);
  NatterDialectContext ctx = { 0 };
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  ctx.base_url = md->base_url;
  ctx.provider = md->provider;
  ctx.provider_id = natter_provider_get_id (md->provider);
  ctx.settings = md->settings;

  request = md->dialect->build_models_request (&ctx, page_token, &error);
  if (request != NULL)
    natter_custom_headers_apply (md->settings, md->secret_headers, FALSE, request);
  if (request == NULL ||
      (md->credential != NULL
       ? !natter_credential_apply (md->credential, request, &error)
       : !natter_provider_apply_auth (md->provider, request, md->key, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  natter_request_set_framing (request, NATTER_FRAMING_NONE);
  natter_request_freeze (request);

  if (md->tap.log != NULL)
    md->tap.entry = natter_request_log_begin (md->tap.log, request,
                                          natter_profile_get_name (md->profile),
                                          natter_provider_get_id (md->provider),
                                          NULL,
                                          md->credential != NULL
                                          ? natter_credential_get_secret (md->credential)
                                          : md->key);

  natter_transport_send_async (md->transport, request,
                               &models_observer, md,
                               g_task_get_cancellable (task),
                               models_send_cb, task);
}

static void models_start (GTask *task);

static void
models_credential_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  ModelsData *md = g_task_get_task_data (task);
  GError *error = NULL;

  md->credential = _natter_client_credential_finish (NATTER_CLIENT (object), result, &error);
  if (md->credential == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  natter_credential_fill_settings (md->credential, md->settings);
  models_start (task);
}

static void
models_start_fetch (GTask *task)
{
  ModelsData *md = g_task_get_task_data (task);

  if (!natter_provider_get_lists_models (md->provider) ||
      md->dialect->build_models_request == NULL)
    {
      g_task_return_pointer (task, models_merge (md, TRUE), (GDestroyNotify)g_ptr_array_unref);
      g_object_unref (task);
      return;
    }
  if (md->credential == NULL && natter_auth_handles (md->provider))
    {
      if (md->settings == NULL)
        md->settings = json_object_new ();
      _natter_client_credential_async (md->client, md->profile, md->provider, md->settings,
                                       md->key, g_task_get_cancellable (task),
                                       models_credential_cb, task);
      return;
    }
  models_fetch_page (task, NULL);
}

/* The transport (its proxy password from the keyring, without blocking),
 * then the first page. Takes the reference of @task. */
static void
models_start (GTask *task)
{
  ModelsData *md = g_task_get_task_data (task);

  _natter_client_with_transport (task, md->profile, &md->transport, models_start_fetch);
}


static void
models_secrets_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  ModelsData *md = g_task_get_task_data (task);

  _natter_client_request_secrets_finish (result, &md->key, &md->secret_headers);
  models_start (task);
}

static void
models_begin (NatterClient        *self,
              NatterProfile       *profile,
              gboolean             first_page_only,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  ModelsData *md;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Cancellation is reported as NATTER_REQUEST_ERROR / cancelled. */
  g_task_set_check_cancellable (task, FALSE);

  md = g_new0 (ModelsData, 1);
  md->client = g_object_ref (self);
  md->profile = g_object_ref (profile);
  md->tap.log = natter_client_get_request_log (self) != NULL
                ? g_object_ref (natter_client_get_request_log (self)) : NULL;
  md->models = g_ptr_array_new_with_free_func ((GDestroyNotify)natter_model_info_free);
  md->settings = _natter_client_parse_settings (profile);
  md->first_page_only = first_page_only;
  g_task_set_task_data (task, md, (GDestroyNotify)models_data_free);

  if (!natter_client_resolve (self, profile, &md->provider, &md->dialect, &md->base_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _natter_client_request_secrets_async (profile, md->provider, md->settings, cancellable,
                                        models_secrets_cb, g_steal_pointer (&task));
}

void
natter_client_list_models_async (NatterClient        *self,
                                 NatterProfile       *profile,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (NATTER_IS_CLIENT (self));
  g_return_if_fail (NATTER_IS_PROFILE (profile));

  models_begin (self, profile, FALSE, cancellable, callback, user_data,
                natter_client_list_models_async);
}

GPtrArray *
natter_client_list_models_finish (NatterClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (NATTER_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------ test connection */

static void
test_models_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) models = NULL;
  GError *error = NULL;

  models = g_task_propagate_pointer (G_TASK (result), &error);
  if (models == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
test_chat_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(NatterChatResult) chat = NULL;
  GError *error = NULL;

  chat = natter_client_chat_finish (NATTER_CLIENT (object), result, NULL, &error);
  if (chat == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
natter_client_test_async (NatterClient        *self,
                          NatterProfile       *profile,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  NatterProvider *provider;
  const NatterDialect *dialect;

  g_return_if_fail (NATTER_IS_CLIENT (self));
  g_return_if_fail (NATTER_IS_PROFILE (profile));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_client_test_async);
  /* Cancellation is reported as NATTER_REQUEST_ERROR / cancelled. */
  g_task_set_check_cancellable (task, FALSE);

  if (!natter_client_resolve (self, profile, &provider, &dialect, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Vertex's publisher list says little about the project, region and
   * model a chat needs (and many projects may not call it): a one-token
   * chat tests all of them. */
  if (natter_provider_get_lists_models (provider) && dialect->build_models_request != NULL &&
      dialect != &natter_dialect_vertex)
    {
      models_begin (self, profile, TRUE, cancellable, test_models_cb,
                    g_steal_pointer (&task), natter_client_test_async);
    }
  else
    {
      NatterPrompt *prompt = natter_prompt_new ();
      NatterGenParams params;

      natter_gen_params_init (&params);
      params.max_tokens = 1;
      params.stream = FALSE;
      natter_prompt_add (prompt, NATTER_ROLE_USER, "Hi");
      natter_client_chat_async (self, profile, prompt, &params, NULL, NULL, cancellable,
                                test_chat_cb, g_steal_pointer (&task));
      natter_prompt_free (prompt);
      natter_gen_params_clear (&params);
    }
}

gboolean
natter_client_test_finish (NatterClient  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (NATTER_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------ local probe */

typedef struct
{
  const char *provider_id;
  guint       port;
  const char *path;
} ProbeTarget;

static const ProbeTarget probe_targets[] = {
  { "ollama", 11434, "/api/tags" },
  { "lmstudio", 1234, "/v1/models" },
  { "koboldcpp", 5001, "/api/v1/model" },
  { "llamacpp", 8080, "/health" },
  { "llamacpp", 8080, "/v1/models" },
  { "textgen-webui", 5000, "/v1/models" },
  { "tabbyapi", 5000, "/v1/models" },
};

typedef struct
{
  SoupSession  *session;
  GCancellable *cancellable;
  GCancellable *outer;
  gulong        outer_id;
  guint         timeout_id;
  guint         pending;
  gboolean      answered[G_N_ELEMENTS (probe_targets)];
} ProbeData;

typedef struct
{
  GTask *task;
  guint  index;
} ProbeRequest;

static void
probe_data_free (ProbeData *pd)
{
  g_clear_handle_id (&pd->timeout_id, g_source_remove);
  if (pd->outer != NULL)
    g_cancellable_disconnect (pd->outer, pd->outer_id);
  g_clear_object (&pd->outer);
  g_clear_object (&pd->session);
  g_clear_object (&pd->cancellable);
  g_free (pd);
}

static void
probe_done (GTask *task)
{
  ProbeData *pd = g_task_get_task_data (task);
  NatterClient *self = g_task_get_source_object (task);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *providers = natter_catalog_get_providers (natter_client_get_catalog (self));
  guint n = g_list_model_get_n_items (providers);

  g_clear_handle_id (&pd->timeout_id, g_source_remove);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterProvider) provider = g_list_model_get_item (providers, i);
      const char *id = natter_provider_get_id (provider);

      for (guint t = 0; t < G_N_ELEMENTS (probe_targets); t++)
        if (pd->answered[t] && g_str_equal (probe_targets[t].provider_id, id) &&
            !g_hash_table_contains (seen, id))
          {
            g_hash_table_add (seen, (gpointer)id);
            g_strv_builder_add (builder, id);
          }
    }
  g_task_return_pointer (task, g_strv_builder_end (builder), (GDestroyNotify)g_strfreev);
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  ProbeRequest *pr = user_data;
  g_autoptr(GTask) task = pr->task;
  ProbeData *pd = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  SoupMessage *msg;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  if (body != NULL && msg != NULL && SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    pd->answered[pr->index] = TRUE;
  g_free (pr);

  if (--pd->pending == 0)
    probe_done (task);
}

static gboolean
probe_timeout_cb (gpointer user_data)
{
  ProbeData *pd = user_data;

  pd->timeout_id = 0;
  g_cancellable_cancel (pd->cancellable);
  return G_SOURCE_REMOVE;
}

static void
probe_outer_cancelled (GCancellable *outer,
                       GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

void
natter_client_probe_local_async (NatterClient        *self,
                                 const char          *host,
                                 int                  port_offset,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  ProbeData *pd;

  g_return_if_fail (NATTER_IS_CLIENT (self));

  if (host == NULL)
    host = g_getenv ("NATTER_PROBE_HOST");
  if (host == NULL || *host == '\0')
    host = "127.0.0.1";
  if (port_offset == 0 && g_getenv ("NATTER_PROBE_PORT_OFFSET") != NULL)
    port_offset = atoi (g_getenv ("NATTER_PROBE_PORT_OFFSET"));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_client_probe_local_async);

  pd = g_new0 (ProbeData, 1);
  pd->session = soup_session_new_with_options ("timeout", 2, "idle-timeout", 2,
                                               "proxy-resolver", NULL, NULL);
  pd->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      pd->outer = g_object_ref (cancellable);
      pd->outer_id = g_cancellable_connect (cancellable, G_CALLBACK (probe_outer_cancelled),
                                            g_object_ref (pd->cancellable), g_object_unref);
    }
  g_task_set_task_data (task, pd, (GDestroyNotify)probe_data_free);
  pd->timeout_id = g_timeout_add (PROBE_TIMEOUT_MS, probe_timeout_cb, pd);

  for (guint i = 0; i < G_N_ELEMENTS (probe_targets); i++)
    {
      g_autofree char *url = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      ProbeRequest *pr;
      int port = (int)probe_targets[i].port + port_offset;

      if (port <= 0 || port > 65535)
        continue;
      url = g_strdup_printf ("http://%s:%d%s", host, port, probe_targets[i].path);
      msg = soup_message_new (SOUP_METHOD_GET, url);
      if (msg == NULL)
        continue;
      pr = g_new0 (ProbeRequest, 1);
      pr->task = g_object_ref (task);
      pr->index = i;
      pd->pending++;
      soup_session_send_and_read_async (pd->session, msg, G_PRIORITY_DEFAULT,
                                        pd->cancellable, probe_cb, pr);
    }

  if (pd->pending == 0)
    probe_done (task);
  g_object_unref (task);
}

GStrv
natter_client_probe_local_finish (NatterClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (NATTER_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
