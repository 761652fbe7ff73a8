/* natter-dialects-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cjson/cJSON.h>
#include <json-glib/json-glib.h>

#include "natter-dialect.h"

G_BEGIN_DECLS

extern const NatterDialect natter_dialect_openai_chat;
extern const NatterDialect natter_dialect_openai_text;
extern const NatterDialect natter_dialect_anthropic;
extern const NatterDialect natter_dialect_gemini;
extern const NatterDialect natter_dialect_ollama;
extern const NatterDialect natter_dialect_kobold;
extern const NatterDialect natter_dialect_llamacpp;
extern const NatterDialect natter_dialect_cohere;
extern const NatterDialect natter_dialect_vertex;
extern const NatterDialect natter_dialect_azure_openai;
extern const NatterDialect natter_dialect_bedrock_converse;

/* Request building (json-glib: not on the per-token path). */

/* {base}{path}; @base may be NULL (then an error). */
char          *_natter_dialect_url            (const NatterDialectContext *ctx,
                                               const char                 *path,
                                               GError                    **error);
/* A POST request carrying @body as JSON, with Accept matching @framing.
 * Members of the profile setting "extra_body" (an object) are merged into
 * @body first, so a user can send a field Natter does not know. */
NatterRequest *_natter_dialect_json_request   (const NatterDialectContext *ctx,
                                               const char                 *url,
                                               JsonObject                 *body,
                                               NatterFraming               framing);
NatterRequest *_natter_dialect_get_request    (const char                 *url);
/* A GET request for {base}{path}; NULL with an error when there is no base. */
NatterRequest *_natter_dialect_get_path_request (const NatterDialectContext *ctx,
                                                 const char                 *path,
                                                 GError                    **error);
/* The prompt as ChatML, ending with an open assistant turn, or prompt->text. */
char          *_natter_dialect_prompt_text    (const NatterPrompt         *prompt);
/* params->stop plus "<|im_end|>" when the prompt was templated as ChatML.
 * NULL when there is nothing to send. */
JsonArray     *_natter_dialect_stop_array     (const NatterPrompt         *prompt,
                                               const NatterGenParams      *params,
                                               gboolean                    text_completion);
/* prompt->messages as [{"role","content"}], plus "name" when @with_names
 * and the message has one. */
JsonArray     *_natter_dialect_messages_array (const NatterPrompt         *prompt,
                                               gboolean                    with_names);
/* The member names a provider gives the sampling parameters
 * ("temperature" is the same everywhere). */
typedef struct
{
  const char *max_tokens;      /* NULL: the dialect sends it itself */
  const char *top_p;
  const char *top_k;
  const char *stop;
  gboolean    text_completion; /* see _natter_dialect_stop_array() */
} NatterSamplingNames;
/* Adds the set sampling parameters of @params and the stop array to @object,
 * in the order max_tokens, temperature, top_p, top_k, stop. */
void           _natter_dialect_add_sampling   (JsonObject                 *object,
                                               const NatterPrompt         *prompt,
                                               const NatterGenParams      *params,
                                               const NatterSamplingNames  *names);
gboolean       _natter_dialect_check_model    (const NatterGenParams      *params,
                                               GError                    **error);
/* A boolean setting of the profile, or @default_value when unset. */
gboolean       _natter_dialect_setting_bool   (const NatterDialectContext *ctx,
                                               const char                 *name,
                                               gboolean                    default_value);
/* The value of a string setting of the profile, or NULL. */
const char    *_natter_dialect_setting_string (const NatterDialectContext *ctx,
                                               const char                 *name);

/* The JSON object body of @request (not frozen), parsed, for a dialect
 * that adapts what another one built; NULL when it is not an object.
 * _natter_dialect_set_body() puts it back. */
JsonObject    *_natter_dialect_dup_body       (NatterRequest              *request);
void           _natter_dialect_set_body       (NatterRequest              *request,
                                               JsonObject                 *body);
/* A copy of @ctx->settings (or a new object), for a dialect that fills in
 * defaults before it calls another one. Unref when done. */
JsonObject    *_natter_dialect_dup_settings   (const NatterDialectContext *ctx);

/* Parsing of whole bodies (json-glib). */
JsonNode      *_natter_dialect_parse_json     (const char                 *body,
                                               gsize                       len,
                                               GError                    **error);
/* Every provider's error shape: {"error":{"message"}}, {"error":"…"},
 * {"type":"error","error":{"message"}}, {"message":…}, {"detail":…}.
 * A body that is not JSON (an HTML 502 page from a proxy) gives a plain-text
 * excerpt of at most 200 characters with tags dropped, or NULL when empty. */
char          *_natter_dialect_parse_error_body (const char               *body,
                                                 gsize                     len);
/* A model list body {…, "@member": […]}: its root (to unref), with @object
 * and @array pointing into it, or NULL with a PROTOCOL error naming
 * @provider. *@next_page_token is set to NULL first. */
JsonNode      *_natter_dialect_parse_model_list (const char             *body,
                                                 gsize                   len,
                                                 const char             *provider,
                                                 const char             *member,
                                                 JsonObject            **object,
                                                 JsonArray             **array,
                                                 char                  **next_page_token,
                                                 GError                **error);
/* {"data":[{"id":…}]} (OpenAI and its imitators; also "models":[…]). */
GPtrArray     *_natter_dialect_parse_openai_models (const char            *body,
                                                    gsize                  len,
                                                    char                 **next_page_token,
                                                    GError               **error);

/* OpenRouter's model metadata in one model object of a list: "pricing"
 * (per token, as strings), "top_provider.max_completion_tokens",
 * "architecture.input_modalities", "supported_parameters". Members that are
 * missing leave @info as it is. */
void           _natter_model_info_read_openrouter (NatterModelInfo     *info,
                                                   JsonObject          *object);

/* Hot path (cJSON). */
cJSON         *_natter_cjson_parse            (const char                 *data,
                                               gsize                       len,
                                               GError                    **error);
const char    *_natter_cjson_string           (const cJSON                *object,
                                               const char                 *name);
gint64         _natter_cjson_int              (const cJSON                *object,
                                               const char                 *name);
/* Maps an error type/code/status word of any provider ("rate_limit_error",
 * "RESOURCE_EXHAUSTED", "invalid_api_key", …) to a category; SERVER when
 * the word is unknown. */
NatterErrorCategory _natter_error_category_from_word (const char          *word);
/* Emits an ERROR delta from an error object {"message","type","code"|"status"}
 * or an error string. */
void           _natter_emit_error_json        (const cJSON                *error,
                                               NatterDeltaFunc             emit,
                                               gpointer                    user_data);

/* When @root has a non-null "error" member (OpenAI and its imitators),
 * emits it as an ERROR delta and returns TRUE. Inline: it runs per token. */
static inline gboolean
_natter_emit_error_member (const cJSON     *root,
                           NatterDeltaFunc  emit,
                           gpointer         user_data)
{
  const cJSON *error_object = cJSON_GetObjectItemCaseSensitive (root, "error");

  if (error_object == NULL || cJSON_IsNull (error_object))
    return FALSE;
  _natter_emit_error_json (error_object, emit, user_data);
  return TRUE;
}

void           _natter_emit_text              (NatterDeltaKind             kind,
                                               const char                 *text,
                                               NatterDeltaFunc             emit,
                                               gpointer                    user_data);
void           _natter_emit_usage             (gint64                      input_tokens,
                                               gint64                      output_tokens,
                                               NatterDeltaFunc             emit,
                                               gpointer                    user_data);
/* The same with the cache reads and writes (counted in @input_tokens) and
 * the cost the provider reported (< 0: unknown). */
void           _natter_emit_usage_full        (gint64                      input_tokens,
                                               gint64                      output_tokens,
                                               gint64                      cache_read_tokens,
                                               gint64                      cache_write_tokens,
                                               double                      cost,
                                               NatterDeltaFunc             emit,
                                               gpointer                    user_data);
void           _natter_emit_finish            (const char                 *reason,
                                               NatterDeltaFunc             emit,
                                               gpointer                    user_data);
void           _natter_emit_done              (NatterDeltaFunc             emit,
                                               gpointer                    user_data);
void           _natter_emit_error             (NatterErrorCategory         category,
                                               const char                 *message,
                                               NatterDeltaFunc             emit,
                                               gpointer                    user_data);

G_END_DECLS
