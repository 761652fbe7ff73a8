/* natter-dialect-azure-openai.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Azure OpenAI and Azure AI Foundry
 * (https://learn.microsoft.com/azure/ai-services/openai/reference): OpenAI
 * Chat Completions under the resource endpoint, the model field naming a
 * *deployment*:
 *
 *   POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=V
 *
 * or, with the setting "azure_api": "v1", the newer surface without an API
 * version, the deployment in the body's "model":
 *
 *   POST {endpoint}/openai/v1/chat/completions
 *
 * The key goes in the "api-key" header (the catalog's auth style). Azure's
 * content filter adds "prompt_filter_results" (a first chunk with empty
 * "choices") and per-choice "content_filter_results"; a reply cut by the
 * filter ends with finish_reason "content_filter", which this dialect turns
 * into an error saying so and which categories were filtered. */

#define G_LOG_DOMAIN "natter-dialect-azure-openai"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-cloud.h"
#include "natter-dialects-private.h"

#define DEFAULT_API_VERSION NATTER_AZURE_DEFAULT_API_VERSION

static const char * const endpoint_suffixes[] = {
  "/openai/deployments/*/chat/completions",
  "/openai/deployments/*/completions",
  "/openai/deployments/*",
  "/openai/deployments",
  "/openai/v1/chat/completions",
  "/openai/v1/models",
  "/openai/v1",
  "/openai/models",
  "/openai",
  NULL,
};

static gboolean
uses_v1 (const NatterDialectContext *ctx)
{
  return g_strcmp0 (_natter_dialect_setting_string (ctx, "azure_api"), "v1") == 0;
}

static const char *
api_version (const NatterDialectContext *ctx)
{
  const char *version = _natter_dialect_setting_string (ctx, "api_version");

  return version != NULL && *version != '\0' ? version : DEFAULT_API_VERSION;
}

static gboolean
check_endpoint (const NatterDialectContext  *ctx,
                GError                     **error)
{
  if (ctx->base_url == NULL || *ctx->base_url == '\0' || strchr (ctx->base_url, '{') != NULL)
    {
      g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                           _("Set the Azure endpoint of the connection, "
                             "e.g. https://RESOURCE.openai.azure.com"));
      return FALSE;
    }
  return TRUE;
}

static NatterRequest *
azure_build_request (const NatterDialectContext *ctx,
                     const NatterPrompt         *prompt,
                     const NatterGenParams      *params,
                     GError                    **error)
{
  NatterDialectContext inner = *ctx;
  g_autoptr(NatterRequest) request = NULL;
  g_autofree char *escaped_version = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;

  if (!_natter_dialect_check_model (params, error) || !check_endpoint (ctx, error))
    return NULL;

  if (uses_v1 (ctx))
    base = g_strconcat (ctx->base_url, "/openai/v1", NULL);
  else
    {
      escaped = g_uri_escape_string (params->model, "-._~", FALSE);
      base = g_strdup_printf ("%s/openai/deployments/%s", ctx->base_url, escaped);
    }
  inner.base_url = base;
  request = natter_dialect_openai_chat.build_request (&inner, prompt, params, error);
  if (request == NULL)
    return NULL;

  if (!uses_v1 (ctx))
    {
      g_autoptr(JsonObject) body = _natter_dialect_dup_body (request);

      /* The deployment is in the URL. */
      if (body != NULL)
        {
          json_object_remove_member (body, "model");
          _natter_dialect_set_body (request, body);
        }
      escaped_version = g_uri_escape_string (api_version (ctx), "-._~", FALSE);
      url = g_strdup_printf ("%s?api-version=%s", natter_request_get_url (request), escaped_version);
      natter_request_set_url (request, url);
    }

  return g_steal_pointer (&request);
}

typedef struct
{
  gpointer inner;
} AzureParser;

static gpointer
azure_parser_new (void)
{
  AzureParser *parser = g_new0 (AzureParser, 1);

  parser->inner = natter_dialect_openai_chat.parser_new ();
  return parser;
}

static void
azure_parser_free (gpointer data)
{
  AzureParser *parser = data;

  natter_dialect_openai_chat.parser_free (parser->inner);
  g_free (parser);
}

/* "hate, violence" from {"hate":{"filtered":true,…},…}. */
static char *
filtered_categories (const cJSON *results)
{
  GString *names = g_string_new (NULL);
  const cJSON *item;

  cJSON_ArrayForEach (item, results)
    {
      const cJSON *filtered = cJSON_GetObjectItemCaseSensitive (item, "filtered");

      if (cJSON_IsTrue (filtered) && item->string != NULL)
        {
          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, item->string);
        }
    }
  return g_string_free (names, names->len == 0);
}

static void
emit_filtered (const cJSON     *choice,
               NatterDeltaFunc  emit,
               gpointer         user_data)
{
  const cJSON *results = cJSON_GetObjectItemCaseSensitive (choice, "content_filter_results");
  g_autofree char *names = cJSON_IsObject (results) ? filtered_categories (results) : NULL;
  g_autofree char *message = NULL;

  if (names != NULL)
    message = g_strdup_printf (_("Azure’s content filter stopped the reply (%s)"), names);
  else
    message = g_strdup (_("Azure’s content filter stopped the reply"));
  _natter_emit_error (NATTER_ERROR_CATEGORY_BAD_REQUEST, message, emit, user_data);
}

static gboolean
azure_parse_event (gpointer          parser_data,
                   const char       *event,
                   const char       *data,
                   gsize             len,
                   NatterDeltaFunc   emit,
                   gpointer          user_data,
                   GError          **error)
{
  AzureParser *parser = parser_data;

  if (!natter_dialect_openai_chat.parse_event (parser->inner, event, data, len, emit,
                                               user_data, error))
    return FALSE;

  /* Only chunks that mention the filter's verdict are looked at again. */
  if (g_strstr_len (data, len, "\"content_filter\"") != NULL)
    {
      cJSON *root = _natter_cjson_parse (data, len, NULL);
      const cJSON *choices = cJSON_GetObjectItemCaseSensitive (root, "choices");
      const cJSON *choice;

      cJSON_ArrayForEach (choice, choices)
        if (g_strcmp0 (_natter_cjson_string (choice, "finish_reason"), "content_filter") == 0)
          {
            emit_filtered (choice, emit, user_data);
            break;
          }
      cJSON_Delete (root);
    }
  return TRUE;
}

static gboolean
azure_parse_response (const char       *body,
                      gsize             len,
                      NatterDeltaFunc   emit,
                      gpointer          user_data,
                      GError          **error)
{
  cJSON *root;
  const cJSON *choices;

  if (!natter_dialect_openai_chat.parse_response (body, len, emit, user_data, error))
    return FALSE;

  root = _natter_cjson_parse (body, len, NULL);
  choices = cJSON_GetObjectItemCaseSensitive (root, "choices");
  if (cJSON_IsArray (choices) && cJSON_GetArraySize (choices) > 0 &&
      g_strcmp0 (_natter_cjson_string (cJSON_GetArrayItem (choices, 0), "finish_reason"),
                 "content_filter") == 0)
    emit_filtered (cJSON_GetArrayItem (choices, 0), emit, user_data);
  cJSON_Delete (root);
  return TRUE;
}

/* The models the resource offers (base models, which deployments are made
 * from; listing deployments needs Azure's management API). */
static NatterRequest *
azure_build_models_request (const NatterDialectContext *ctx,
                            const char                 *page_token,
                            GError                    **error)
{
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;

  if (!check_endpoint (ctx, error))
    return NULL;
  if (uses_v1 (ctx))
    url = g_strconcat (ctx->base_url, "/openai/v1/models", NULL);
  else
    {
      escaped = g_uri_escape_string (api_version (ctx), "-._~", FALSE);
      url = g_strdup_printf ("%s/openai/models?api-version=%s", ctx->base_url, escaped);
    }
  return _natter_dialect_get_request (url);
}

const NatterDialect natter_dialect_azure_openai = {
  .id = "azure-openai",
  .stream_framing = NATTER_FRAMING_SSE,
  .text_completion = FALSE,
  .endpoint_suffixes = endpoint_suffixes,
  .build_request = azure_build_request,
  .parser_new = azure_parser_new,
  .parser_free = azure_parser_free,
  .parse_event = azure_parse_event,
  .parse_response = azure_parse_response,
  .build_models_request = azure_build_models_request,
  .parse_models = _natter_dialect_parse_openai_models,
  .parse_error_body = _natter_dialect_parse_error_body,
};

gboolean
natter_azure_parse_url (const char  *url,
                        char       **endpoint,
                        char       **deployment,
                        char       **api_version)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *trimmed = NULL;
  const char *path, *query, *at;

  g_return_val_if_fail (endpoint != NULL && deployment != NULL && api_version != NULL, FALSE);

  *endpoint = *deployment = *api_version = NULL;
  if (url == NULL)
    return FALSE;
  trimmed = g_strstrip (g_strdup (url));
  uri = g_uri_parse (trimmed, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0 &&
       g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0))
    return FALSE;

  *endpoint = g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                          g_uri_get_port (uri), "", NULL, NULL);

  path = g_uri_get_path (uri);
  if (path != NULL && (at = strstr (path, "/openai/deployments/")) != NULL)
    {
      const char *name = at + strlen ("/openai/deployments/");
      const char *end = strchr (name, '/');
      g_autofree char *raw = end != NULL ? g_strndup (name, end - name) : g_strdup (name);

      if (*raw != '\0')
        *deployment = g_uri_unescape_string (raw, NULL);
    }

  query = g_uri_get_query (uri);
  if (query != NULL)
    {
      g_autoptr(GHashTable) params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
      const char *version = params != NULL ? g_hash_table_lookup (params, "api-version") : NULL;

      if (version != NULL && *version != '\0')
        *api_version = g_strdup (version);
    }
  return TRUE;
}
