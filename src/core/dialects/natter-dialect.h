/* natter-dialect.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "natter-delta.h"
#include "natter-request.h"
#include "natter-tool.h"
#include "natter-types.h"

G_BEGIN_DECLS

/* One message of the conversation as the model sees it. */
typedef struct
{
  NatterRole  role;
  char       *name;     /* speaker name, nullable */
  char       *content;
  /* Parts beyond the text; each array is nullable (none). */
  GPtrArray  *attachments;  /* element-type NatterAttachment (user messages) */
  GPtrArray  *tool_calls;   /* element-type NatterToolCall: an assistant turn that called tools */
  GPtrArray  *tool_results; /* element-type NatterToolResult: answers to the previous turn's calls */
} NatterPromptMessage;

NatterPromptMessage *natter_prompt_message_new  (NatterRole                 role,
                                                 const char                *content);
void                 natter_prompt_message_free (NatterPromptMessage       *message);
/* Take ownership of @item, creating the array on first use. */
void                 natter_prompt_message_add_attachment  (NatterPromptMessage *message,
                                                            NatterAttachment    *attachment);
void                 natter_prompt_message_add_tool_call   (NatterPromptMessage *message,
                                                            NatterToolCall      *call);
void                 natter_prompt_message_add_tool_result (NatterPromptMessage *message,
                                                            NatterToolResult    *result);

/* What is sent. Chat dialects use @messages; text-completion dialects use
 * @text, the whole prompt already templated (see natter-instruct.h), and
 * fall back to ChatML over @messages when @text is NULL. */
typedef struct
{
  GPtrArray *messages;   /* element-type NatterPromptMessage, owned */
  char      *text;       /* nullable */
  /* Tools the model may call and the shape of the answer; see
   * natter-dialect-tools.c for how each dialect sends them. */
  GPtrArray  *tools;        /* element-type NatterToolSpec, nullable (none) */
  char       *tool_choice;  /* nullable: the model chooses; "required"; or a tool's name (forced) */
  JsonObject *schema;       /* JSON Schema the answer must follow, nullable */
  char       *schema_name;  /* nullable: "response" */
} NatterPrompt;

NatterPrompt *natter_prompt_new          (void);
void          natter_prompt_add          (NatterPrompt *prompt,
                                          NatterRole    role,
                                          const char   *content);
void          natter_prompt_free         (NatterPrompt *prompt);
/* Takes ownership of @message. */
void          natter_prompt_take_message (NatterPrompt        *prompt,
                                          NatterPromptMessage *message);
/* Takes ownership of @spec, creating prompt->tools on first use. */
void          natter_prompt_add_tool     (NatterPrompt        *prompt,
                                          NatterToolSpec      *spec);
/* Copies the tools, tool choice and schema of @src into @dest. */
void          natter_prompt_copy_tools   (NatterPrompt        *dest,
                                          const NatterPrompt  *src);
/* Copies the tool calls and results of @src into @dest. */
void          natter_prompt_message_copy_tools (NatterPromptMessage       *dest,
                                                const NatterPromptMessage *src);
/* Asks for an answer that follows @schema (a ref is taken; NULL: none). */
void          natter_prompt_set_schema   (NatterPrompt        *prompt,
                                          JsonObject          *schema,
                                          const char          *name);

/* Sampling settings. Unset values are not sent. */
typedef struct
{
  char      *model;
  int        max_tokens;    /* <= 0: the dialect's default (anthropic must send one: 4096) */
  double     temperature;   /* < 0: unset */
  double     top_p;         /* < 0: unset */
  int        top_k;         /* <= 0: unset */
  gboolean   stream;
  GStrv      stop;          /* nullable */
  /* Members merged into the request body (objects merged member by member;
   * a null member removes what the dialect wrote), before the profile's
   * "extra_body". Owned reference, nullable; see natter_sampling_apply(). */
  JsonObject *extra_body;
} NatterGenParams;

void natter_gen_params_init  (NatterGenParams *params);  /* everything unset, stream TRUE */
void natter_gen_params_clear (NatterGenParams *params);
/* A deep copy of @src into @dest (which is overwritten, not cleared);
 * @src NULL: natter_gen_params_init(). */
void natter_gen_params_copy  (NatterGenParams       *dest,
                              const NatterGenParams *src);

/* What a dialect knows of the profile it builds for. */
typedef struct
{
  const char     *base_url;   /* normalized: no trailing slash, no endpoint */
  NatterProvider *provider;   /* nullable (tests) */
  const char     *provider_id; /* the catalog id ("openrouter", …), nullable (tests) */
  JsonObject     *settings;   /* the profile's provider-specific settings, nullable */
  JsonObject     *extra_body; /* NatterGenParams.extra_body, nullable */
} NatterDialectContext;

typedef enum
{
  NATTER_MODEL_VISION            = 1 << 0,
  NATTER_MODEL_TOOLS             = 1 << 1,
  NATTER_MODEL_REASONING         = 1 << 2,
  NATTER_MODEL_STRUCTURED_OUTPUT = 1 << 3,
} NatterModelCapabilities;

typedef enum
{
  NATTER_MODEL_NO_STREAMING        = 1 << 0,
  NATTER_MODEL_NO_SYSTEM_MESSAGE   = 1 << 1,  /* system folded into the first user turn */
  NATTER_MODEL_MAX_TOKENS_REQUIRED = 1 << 2,
} NatterModelFlags;

/* What is known of one model. Prices are US dollars per million tokens. */
typedef struct
{
  char    *id;
  char    *display_name;       /* nullable */
  gint64   context_length;     /* 0 when unknown */
  char    *alias;              /* nullable: the name shown instead of the id */
  double   input_price;        /* < 0 when unknown (all four) */
  double   output_price;
  double   cache_read_price;
  double   cache_write_price;
  gint64   max_output;         /* 0 when unknown */
  guint    capabilities;       /* NatterModelCapabilities */
  gboolean capabilities_known; /* FALSE: the provider said nothing about them */
  guint    flags;              /* NatterModelFlags */
  char    *system_prefix;      /* nullable: put before the system prompt */
} NatterModelInfo;

NatterModelInfo *natter_model_info_new  (const char      *id);
NatterModelInfo *natter_model_info_copy (const NatterModelInfo *info);
void             natter_model_info_free (NatterModelInfo *info);

/* A dialect is a wire protocol. Providers are catalog data pointing at one.
 * Dialects never see API keys: auth headers are added by the caller from
 * the catalog's auth style (natter_provider_apply_auth()), or for the cloud
 * sign-ins by NatterAuth once the request is built (a token, a SigV4
 * signature). */
struct _NatterDialect
{
  const char          *id;                 /* "openai-chat", "anthropic", … */
  NatterFraming        stream_framing;
  gboolean             text_completion;    /* sends a prompt string, not messages */
  const char * const  *endpoint_suffixes;  /* pasted endpoints stripped by URL normalization */

  NatterRequest *(*build_request)        (const NatterDialectContext *ctx,
                                          const NatterPrompt         *prompt,
                                          const NatterGenParams      *params,
                                          GError                    **error);

  /* Per-stream parser state (e.g. which content block is open). */
  gpointer       (*parser_new)           (void);
  void           (*parser_free)          (gpointer                    parser);

  /* One framed event: @event is the SSE event name (NULL for NDJSON or when
   * absent), @data the event data (not NUL-terminated beyond @len is NOT
   * guaranteed: use @len). Emits zero or more deltas. FALSE with a
   * NATTER_REQUEST_ERROR (usually PROTOCOL) on data it cannot parse. */
  gboolean       (*parse_event)          (gpointer                    parser,
                                          const char                 *event,
                                          const char                 *data,
                                          gsize                       len,
                                          NatterDeltaFunc             emit,
                                          gpointer                    user_data,
                                          GError                    **error);

  /* A whole non-streaming response body. */
  gboolean       (*parse_response)       (const char                 *body,
                                          gsize                       len,
                                          NatterDeltaFunc             emit,
                                          gpointer                    user_data,
                                          GError                    **error);

  /* NULL with error NOT_SUPPORTED-ish (NATTER_REQUEST_ERROR_NOT_FOUND) when the
   * dialect has no list endpoint. @page_token from the previous page or NULL. */
  NatterRequest *(*build_models_request) (const NatterDialectContext *ctx,
                                          const char                 *page_token,
                                          GError                    **error);
  /* Returns element-type NatterModelInfo; sets @next_page_token when there
   * are more pages. */
  GPtrArray     *(*parse_models)         (const char                 *body,
                                          gsize                       len,
                                          char                      **next_page_token,
                                          GError                    **error);

  /* The provider's own message from an error body, or NULL. */
  char          *(*parse_error_body)     (const char                 *body,
                                          gsize                       len);

  /* TRUE when a clean end of the response body counts as the end of the
   * stream even if no DONE delta was emitted (KoboldCpp before its
   * "finish_reason" field had no terminator event). */
  gboolean             eof_is_done;
};

const NatterDialect *natter_dialect_lookup             (const char           *id);
/* Every dialect, NULL-terminated. */
const NatterDialect * const *natter_dialect_list       (void);

/* Turns what a user pasted into a base URL: trims white space and trailing
 * slashes and strips a trailing endpoint such as "/chat/completions". */
char                *natter_dialect_normalize_base_url (const NatterDialect  *dialect,
                                                        const char           *url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterModelInfo, natter_model_info_free)

G_END_DECLS
