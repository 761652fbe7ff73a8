/* natter-dialect-vertex.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Google Vertex AI (https://cloud.google.com/vertex-ai/generative-ai/docs/
 * model-reference/inference): the URL is derived from the profile's region
 * and project and the model,
 *
 *   {root}/v1/projects/{project}/locations/{region}/publishers/google/models/
 *     {model}:streamGenerateContent?alt=sse
 *
 * with {root} https://{region}-aiplatform.googleapis.com, or
 * https://aiplatform.googleapis.com for the "global" region, or the profile's
 * URL override (tests, proxies). The body and the stream are Gemini's.
 * Claude models live under publishers/anthropic with :streamRawPredict, an
 * Anthropic Messages body without "model" but with "anthropic_version":
 * "vertex-2023-10-16", and the Anthropic event stream. The access token
 * comes from the service account (NatterAuth), never from here. */

#define G_LOG_DOMAIN "natter-dialect-vertex"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialects-private.h"
#include "natter-dialect-parts-private.h"
#include "natter-json.h"

#define DEFAULT_REGION "us-central1"
#define ANTHROPIC_VERTEX_VERSION "vertex-2023-10-16"

static const char * const endpoint_suffixes[] = {
  "/v1beta1",
  "/v1",
  NULL,
};

static gboolean
is_claude (const char *model)
{
  return g_str_has_prefix (model, "claude");
}

static const char *
region_of (const NatterDialectContext *ctx)
{
  const char *region = _natter_dialect_setting_string (ctx, "region");

  return region != NULL && *region != '\0' ? region : DEFAULT_REGION;
}

/* {root}: the derived host unless the profile overrides the URL. */
static char *
root_url (const NatterDialectContext *ctx)
{
  const char *region = region_of (ctx);

  if (ctx->base_url != NULL && *ctx->base_url != '\0' && strchr (ctx->base_url, '{') == NULL)
    return g_strdup (ctx->base_url);
  if (g_str_equal (region, "global"))
    return g_strdup ("https://aiplatform.googleapis.com");
  return g_strdup_printf ("https://%s-aiplatform.googleapis.com", region);
}

static char *
model_url (const NatterDialectContext  *ctx,
           const char                  *model,
           const char                  *method,
           GError                     **error)
{
  const char *project = _natter_dialect_setting_string (ctx, "project");
  g_autofree char *root = root_url (ctx);
  g_autofree char *escaped_model = NULL;
  g_autofree char *escaped_project = NULL;
  g_autofree char *escaped_region = NULL;

  if (project == NULL || *project == '\0')
    {
      g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                           _("Vertex AI needs a Google Cloud project: add the service account key "
                             "or set the project"));
      return NULL;
    }
  if (g_str_has_prefix (model, "models/"))
    model += strlen ("models/");

  escaped_model = g_uri_escape_string (model, "-._~@", FALSE);
  escaped_project = g_uri_escape_string (project, "-._~", FALSE);
  escaped_region = g_uri_escape_string (region_of (ctx), "-._~", FALSE);
  return g_strdup_printf ("%s/v1/projects/%s/locations/%s/publishers/%s/models/%s:%s",
                          root, escaped_project, escaped_region,
                          is_claude (model) ? "anthropic" : "google",
                          escaped_model, method);
}

static NatterRequest *
vertex_build_request (const NatterDialectContext *ctx,
                      const NatterPrompt         *prompt,
                      const NatterGenParams      *params,
                      GError                    **error)
{
  NatterDialectContext inner = *ctx;
  g_autoptr(NatterRequest) request = NULL;
  g_autofree char *url = NULL;
  gboolean claude;

  if (!_natter_dialect_check_model (params, error))
    return NULL;
  claude = is_claude (params->model);

  url = model_url (ctx, params->model,
                   claude ? (params->stream ? "streamRawPredict" : "rawPredict")
                          : (params->stream ? "streamGenerateContent?alt=sse" : "generateContent"),
                   error);
  if (url == NULL)
    return NULL;

  /* The publisher's own dialect builds the body; only the URL (and for
   * Claude a few members) differ. */
  inner.base_url = "http://vertex.invalid";
  request = (claude ? natter_dialect_anthropic : natter_dialect_gemini).build_request (&inner, prompt,
                                                                                      params, error);
  if (request == NULL)
    return NULL;
  natter_request_set_url (request, url);

  if (claude)
    {
      g_autoptr(JsonObject) body = _natter_dialect_dup_body (request);

      natter_request_remove_header (request, "anthropic-version");
      if (body != NULL)
        {
          json_object_remove_member (body, "model");
          json_object_set_string_member (body, "anthropic_version", ANTHROPIC_VERTEX_VERSION);
          _natter_dialect_set_body (request, body);
        }
    }
  if (!claude)
    _natter_parts_vertex_names (request, prompt);

  return g_steal_pointer (&request);
}

typedef enum
{
  MODE_UNKNOWN,
  MODE_GEMINI,
  MODE_ANTHROPIC,
} Mode;

typedef struct
{
  Mode     mode;
  gpointer inner;
} VertexParser;

static gpointer
vertex_parser_new (void)
{
  return g_new0 (VertexParser, 1);
}

static const NatterDialect *
mode_dialect (Mode mode)
{
  return mode == MODE_ANTHROPIC ? &natter_dialect_anthropic : &natter_dialect_gemini;
}

static void
vertex_parser_free (gpointer data)
{
  VertexParser *parser = data;

  if (parser->inner != NULL)
    mode_dialect (parser->mode)->parser_free (parser->inner);
  g_free (parser);
}

/* Anthropic's stream names its events and its data starts with "type";
 * Gemini's does neither. */
static Mode
detect_mode (const char *event,
             const char *data,
             gsize       len)
{
  const char *p = data;

  if (event != NULL)
    return MODE_ANTHROPIC;
  while (p < data + len && g_ascii_isspace (*p))
    p++;
  if ((gsize) (data + len - p) > 7 && strncmp (p, "{\"type\"", 7) == 0)
    return MODE_ANTHROPIC;
  return MODE_GEMINI;
}

static gboolean
vertex_parse_event (gpointer          parser_data,
                    const char       *event,
                    const char       *data,
                    gsize             len,
                    NatterDeltaFunc   emit,
                    gpointer          user_data,
                    GError          **error)
{
  VertexParser *parser = parser_data;

  if (parser->mode == MODE_UNKNOWN)
    {
      parser->mode = detect_mode (event, data, len);
      parser->inner = mode_dialect (parser->mode)->parser_new ();
    }
  return mode_dialect (parser->mode)->parse_event (parser->inner, event, data, len,
                                                   emit, user_data, error);
}

static gboolean
vertex_parse_response (const char       *body,
                       gsize             len,
                       NatterDeltaFunc   emit,
                       gpointer          user_data,
                       GError          **error)
{
  cJSON *root = _natter_cjson_parse (body, len, error);
  gboolean anthropic;

  if (root == NULL)
    return FALSE;
  anthropic = cJSON_GetObjectItemCaseSensitive (root, "candidates") == NULL &&
              cJSON_GetObjectItemCaseSensitive (root, "type") != NULL;
  cJSON_Delete (root);

  return mode_dialect (anthropic ? MODE_ANTHROPIC : MODE_GEMINI)->parse_response (body, len, emit,
                                                                                   user_data, error);
}

/* Google's publisher models (Model Garden), v1beta1. */
static NatterRequest *
vertex_build_models_request (const NatterDialectContext *ctx,
                             const char                 *page_token,
                             GError                    **error)
{
  g_autofree char *root = root_url (ctx);
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  const char *project = _natter_dialect_setting_string (ctx, "project");
  NatterRequest *request;

  if (page_token != NULL)
    escaped = g_uri_escape_string (page_token, NULL, FALSE);
  url = g_strdup_printf ("%s/v1beta1/publishers/google/models?pageSize=100%s%s", root,
                         escaped != NULL ? "&pageToken=" : "", escaped != NULL ? escaped : "");
  request = _natter_dialect_get_request (url);
  /* The project that pays for the call, as Google's clients send it. */
  if (project != NULL && *project != '\0')
    natter_request_set_header (request, "x-goog-user-project", project);
  return request;
}

static GPtrArray *
vertex_parse_models (const char  *body,
                     gsize        len,
                     char       **next_page_token,
                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) models = NULL;
  JsonObject *object;
  JsonArray *array;

  root = _natter_dialect_parse_model_list (body, len, "Vertex AI", "publisherModels", &object,
                                           &array, next_page_token, error);
  if (root == NULL)
    return NULL;

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_model_info_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *name, *slash;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      name = natter_json_object_get_string (json_node_get_object (node), "name");
      if (name == NULL || (slash = strrchr (name, '/')) == NULL)
        continue;
      /* Only the chat models: the publisher also lists image, embedding,
       * speech models. */
      if (!g_str_has_prefix (slash + 1, "gemini") || strstr (slash + 1, "embedding") != NULL)
        continue;
      g_ptr_array_add (models, natter_model_info_new (slash + 1));
    }

  if (next_page_token != NULL)
    {
      const char *token = natter_json_object_get_string (object, "nextPageToken");

      g_clear_pointer (next_page_token, g_free);
      if (token != NULL && *token != '\0')
        *next_page_token = g_strdup (token);
    }

  return g_steal_pointer (&models);
}

const NatterDialect natter_dialect_vertex = {
  .id = "vertex",
  .stream_framing = NATTER_FRAMING_SSE,
  .text_completion = FALSE,
  .endpoint_suffixes = endpoint_suffixes,
  .build_request = vertex_build_request,
  .parser_new = vertex_parser_new,
  .parser_free = vertex_parser_free,
  .parse_event = vertex_parse_event,
  .parse_response = vertex_parse_response,
  .build_models_request = vertex_build_models_request,
  .parse_models = vertex_parse_models,
  .parse_error_body = _natter_dialect_parse_error_body,
};
