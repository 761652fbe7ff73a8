/* natter-client-extras.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Per-connection provider features the client applies around the dialect:
 * the coding plan address, what a model's metadata asks of a request, and
 * pricing each exchange when it happens. */

#define G_LOG_DOMAIN "natter-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-catalog.h"
#include "natter-client-private.h"
#include "natter-dialect-parts.h"
#include "natter-model-settings.h"
#include "natter-usage-store.h"

static const char *
url_path (const char *url)
{
  const char *scheme = strstr (url, "://");
  const char *path;

  if (scheme == NULL)
    return NULL;
  path = strchr (scheme + 3, '/');
  return path;
}

void
_natter_client_apply_coding_plan (NatterProvider  *provider,
                                  JsonObject      *settings,
                                  char           **base_url)
{
  const char *coding = natter_provider_get_coding_plan_url (provider);
  const char *default_url = natter_provider_get_default_url (provider);
  const char *default_path;
  const char *coding_path;
  gsize len;

  if (coding == NULL || *base_url == NULL || settings == NULL ||
      !json_object_get_boolean_member_with_default (settings, "coding_plan", FALSE))
    return;

  if (default_url != NULL && g_str_equal (*base_url, default_url))
    {
      g_free (*base_url);
      *base_url = g_strdup (coding);
      return;
    }

  default_path = default_url != NULL ? url_path (default_url) : NULL;
  coding_path = url_path (coding);
  if (default_path == NULL || coding_path == NULL || !g_str_has_suffix (*base_url, default_path))
    return;
  len = strlen (*base_url) - strlen (default_path);
  {
    g_autofree char *prefix = g_strndup (*base_url, len);

    g_free (*base_url);
    *base_url = g_strconcat (prefix, coding_path, NULL);
  }
}

NatterPrompt *
_natter_client_adjust_for_model (JsonObject         *settings,
                                 const NatterPrompt *prompt,
                                 NatterGenParams    *params)
{
  g_autoptr(NatterModelInfo) info = NULL;
  NatterPrompt *copy;
  g_autoptr(GString) system = NULL;
  gboolean folded = FALSE;

  if (params->model == NULL)
    return NULL;
  info = natter_model_settings_lookup (settings, params->model, NULL);

  if (info->flags & NATTER_MODEL_NO_STREAMING)
    params->stream = FALSE;
  if ((info->flags & NATTER_MODEL_MAX_TOKENS_REQUIRED) && params->max_tokens <= 0)
    params->max_tokens = info->max_output > 0 ? (int) MIN (info->max_output, G_MAXINT) : 4096;

  if (!(info->flags & NATTER_MODEL_NO_SYSTEM_MESSAGE) &&
      (info->system_prefix == NULL || *info->system_prefix == '\0'))
    return NULL;

  copy = natter_prompt_new ();
  copy->text = g_strdup (prompt->text);
  if (info->flags & NATTER_MODEL_NO_SYSTEM_MESSAGE)
    system = g_string_new (NULL);

  for (guint i = 0; prompt->messages != NULL && i < prompt->messages->len; i++)
    {
      const NatterPromptMessage *m = g_ptr_array_index (prompt->messages, i);
      g_autofree char *content = NULL;
      NatterPromptMessage *c;

      if (m->role == NATTER_ROLE_SYSTEM && info->system_prefix != NULL &&
          *info->system_prefix != '\0' && i == 0)
        content = g_strconcat (info->system_prefix, m->content, NULL);
      else
        content = g_strdup (m->content);

      if (m->role == NATTER_ROLE_SYSTEM && system != NULL)
        {
          if (system->len > 0)
            g_string_append (system, "\n\n");
          g_string_append (system, content);
          continue;
        }
      if (m->role == NATTER_ROLE_USER && system != NULL && system->len > 0 && !folded)
        {
          g_autofree char *joined = g_strconcat (system->str, "\n\n", content, NULL);

          g_free (content);
          content = g_steal_pointer (&joined);
          folded = TRUE;
        }
      c = natter_prompt_message_new (m->role, content);
      c->name = g_strdup (m->name);
      natter_prompt_message_copy_attachments (c, m);
      g_ptr_array_add (copy->messages, c);
    }

  /* Only system messages: they become the user turn. */
  if (system != NULL && system->len > 0 && !folded)
    g_ptr_array_insert (copy->messages, 0, natter_prompt_message_new (NATTER_ROLE_USER, system->str));

  return copy;
}

double
_natter_client_record_usage (NatterDatabase *database,
                             NatterProfile  *profile,
                             NatterProvider *provider,
                             const char     *model,
                             gint64          log_id,
                             gint64          input_tokens,
                             gint64          output_tokens,
                             gint64          cache_read_tokens,
                             gint64          cache_write_tokens,
                             double          cost)
{
  g_autoptr(JsonObject) settings = _natter_client_parse_settings (profile);
  g_autoptr(NatterModelInfo) info = natter_model_settings_lookup (settings, model, provider);
  g_autoptr(GError) error = NULL;
  NatterUsageRecord record = { 0 };
  const char *source = "provider";

  if (cost < 0)
    {
      double in_price = info->input_price, out_price = info->output_price;
      double conn_in, conn_out;

      natter_profile_get_prices (profile, &conn_in, &conn_out);
      if (in_price < 0)
        in_price = conn_in;
      if (out_price < 0)
        out_price = conn_out;
      cost = natter_usage_price (input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
                                 in_price, out_price, info->cache_read_price, info->cache_write_price);
      source = "prices";
    }

  if (database == NULL)
    return cost;

  record.at_ms = g_get_real_time () / 1000;
  record.log_id = log_id;
  record.profile_uuid = natter_profile_get_uuid (profile);
  record.profile = natter_profile_get_name (profile);
  record.provider = provider != NULL ? natter_provider_get_id (provider) : NULL;
  record.model = model;
  record.input_tokens = input_tokens;
  record.output_tokens = output_tokens;
  record.cache_read_tokens = cache_read_tokens;
  record.cache_write_tokens = cache_write_tokens;
  record.cost = cost;
  record.cost_source = source;
  if (natter_usage_store_record (database, &record, &error) == 0)
    g_warning ("Could not record the cost of an exchange: %s", error->message);

  return cost;
}

void
_natter_client_remember_models (NatterProfileStore *store,
                                const char         *uuid,
                                GPtrArray          *models)
{
  NatterProfile *stored;
  g_autoptr(NatterProfile) copy = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (store == NULL || uuid == NULL || *uuid == '\0' ||
      (stored = natter_profile_store_lookup_by_uuid (store, uuid)) == NULL)
    return;

  settings = _natter_client_parse_settings (stored);
  if (settings == NULL)
    settings = json_object_new ();
  natter_model_settings_store_meta (settings, models);
  node = json_node_init_object (json_node_alloc (), settings);
  text = json_to_string (node, FALSE);
  if (g_strcmp0 (text, natter_profile_get_settings (stored)) == 0)
    return;
  copy = natter_profile_copy (stored);
  natter_profile_set_settings (copy, text);
  if (!natter_profile_store_update (store, copy, &error))
    g_debug ("Could not keep the model list's details: %s", error->message);
}
