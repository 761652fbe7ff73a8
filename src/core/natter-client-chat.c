/* natter-client-chat.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-client.h"
#include "natter-client-private.h"
#include "natter-dialect-parts.h"
#include "natter-dialects-private.h"
#include "natter-headers.h"
#include "natter-json.h"
#include "natter-profile.h"
#include "natter-reply-guard.h"
#include "natter-tool-assembler.h"
#include "natter-request-log.h"
#include "natter-secrets.h"
#include "natter-transport.h"

#define log_tap_response_head _natter_client_log_tap_response_head
#define log_tap_raw_bytes _natter_client_log_tap_raw_bytes
#define make_request_error _natter_client_make_request_error
#define profile_has_uuid _natter_client_profile_has_uuid
#define parse_settings _natter_client_parse_settings
#define env_key _natter_client_env_key

/* The category of one error word ("insufficient_quota", "RESOURCE_EXHAUSTED",
 * …), NONE when the word says nothing we know. */
static NatterErrorCategory
category_from_error_word (const char *word)
{
  NatterErrorCategory category;
  g_autofree char *lower = NULL;

  if (word == NULL || *word == '\0')
    return NATTER_ERROR_CATEGORY_NONE;

  /* Quota and billing problems: OpenAI answers them with 429 and
   * "insufficient_quota", Gemini with 429 RESOURCE_EXHAUSTED; the key is
   * fine, the account has to wait or pay, as with a rate limit. */
  lower = g_ascii_strdown (word, -1);
  if (strstr (lower, "quota") != NULL || strstr (lower, "billing") != NULL ||
      strstr (lower, "credit") != NULL || strstr (lower, "payment") != NULL)
    return NATTER_ERROR_CATEGORY_RATE_LIMITED;

  category = _natter_error_category_from_word (word);
  if (category == NATTER_ERROR_CATEGORY_SERVER &&
      strstr (lower, "api_error") == NULL && strstr (lower, "server_error") == NULL &&
      strstr (lower, "internal") == NULL)
    return NATTER_ERROR_CATEGORY_NONE;

  return category;
}

/* A reply sent with status 200 that is an error object ({"error":{…}},
 * {"error":"…"}, or Gemini's [{"error":{…}}]) instead of a completion.
 * Returns the error with the provider's message and a category from the
 * error's code, type or status (bad_request when they say nothing known),
 * or NULL when @body is no error object. */
static GError *
error_from_ok_body (const NatterDialect *dialect,
                    GBytes              *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  NatterErrorCategory category = NATTER_ERROR_CATEGORY_NONE;
  g_autofree char *message = NULL;
  JsonNode *root, *error_node = NULL;
  const char *data;
  gsize len;

  data = g_bytes_get_data (body, &len);
  if (data == NULL || len == 0 ||
      !natter_json_parser_load (parser, data, len, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root) &&
      json_array_get_length (json_node_get_array (root)) > 0)
    root = json_array_get_element (json_node_get_array (root), 0);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    error_node = json_object_get_member (json_node_get_object (root), "error");
  if (error_node == NULL || JSON_NODE_HOLDS_NULL (error_node))
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (error_node))
    {
      JsonObject *object = json_node_get_object (error_node);
      static const char * const members[] = { "code", "type", "status" };

      for (guint i = 0; i < G_N_ELEMENTS (members) && category == NATTER_ERROR_CATEGORY_NONE; i++)
        {
          JsonNode *node = json_object_get_member (object, members[i]);

          if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
            continue;
          if (json_node_get_value_type (node) == G_TYPE_STRING)
            category = category_from_error_word (json_node_get_string (node));
          else if (json_node_get_value_type (node) == G_TYPE_INT64 &&
                   json_node_get_int (node) >= 400 && json_node_get_int (node) < 600)
            category = natter_error_category_from_status ((guint) json_node_get_int (node));
        }
    }
  if (category == NATTER_ERROR_CATEGORY_NONE)
    category = NATTER_ERROR_CATEGORY_BAD_REQUEST;

  if (dialect->parse_error_body != NULL)
    message = dialect->parse_error_body (data, len);
  if (message == NULL || *message == '\0')
    {
      g_free (message);
      message = g_strdup (natter_error_category_describe (category));
    }

  return g_error_new_literal (NATTER_REQUEST_ERROR, category, message);
}

/* ------------------------------------------------------------------ chat */

typedef struct
{
  LogTap               tap;          /* first: the observer's user data */
  NatterClient        *client;
  NatterProfile       *profile;
  NatterProvider      *provider;
  const NatterDialect *dialect;
  char                *base_url;
  NatterPrompt        *prompt;       /* copy */
  NatterGenParams      params;       /* copy */
  NatterDeltaFunc      on_delta;
  gpointer             delta_data;
  char                *key;
  NatterCredential    *credential;   /* cloud sign-ins, else NULL */
  NatterRequest       *request;
  NatterTransport     *transport;
  gpointer             parser;
  NatterReplyGuard    *guard;        /* UTF-8 repair and the size cap */

  GString             *text;
  GString             *reasoning;
  char                *finish_reason;
  gint64               input_tokens;
  gint64               output_tokens;
  gint64               cache_read_tokens;
  gint64               cache_write_tokens;
  double               cost;
  char                *secret_headers;
  gboolean             saw_done;
  NatterErrorCategory  stream_error_category;
  char                *stream_error_message;
  NatterToolAssembler *tool_calls;
} ChatData;

static void
chat_data_free (ChatData *cd)
{
  if (cd->parser != NULL && cd->dialect->parser_free != NULL)
    cd->dialect->parser_free (cd->parser);
  g_clear_object (&cd->client);
  g_clear_object (&cd->profile);
  g_free (cd->base_url);
  g_clear_pointer (&cd->prompt, natter_prompt_free);
  natter_gen_params_clear (&cd->params);
  natter_secrets_free (cd->key);
  natter_secrets_free (cd->secret_headers);
  g_clear_pointer (&cd->credential, natter_credential_free);
  g_clear_pointer (&cd->request, natter_request_unref);
  g_clear_object (&cd->tap.log);
  g_clear_pointer (&cd->guard, natter_reply_guard_free);
  if (cd->text != NULL)
    g_string_free (cd->text, TRUE);
  if (cd->reasoning != NULL)
    g_string_free (cd->reasoning, TRUE);
  g_free (cd->finish_reason);
  g_free (cd->stream_error_message);
  g_clear_pointer (&cd->tool_calls, natter_tool_assembler_free);
  g_free (cd);
}

static NatterPrompt *
prompt_copy (const NatterPrompt *prompt)
{
  NatterPrompt *copy = natter_prompt_new ();

  for (guint i = 0; prompt->messages != NULL && i < prompt->messages->len; i++)
    {
      const NatterPromptMessage *m = g_ptr_array_index (prompt->messages, i);
      NatterPromptMessage *c = natter_prompt_message_new (m->role, m->content);

      c->name = g_strdup (m->name);
      natter_prompt_message_copy_attachments (c, m);
      g_ptr_array_add (copy->messages, c);
      natter_prompt_message_copy_tools (c, m);
    }
  copy->text = g_strdup (prompt->text);
  natter_prompt_copy_tools (copy, prompt);
  return copy;
}

static void
gen_params_copy (NatterGenParams       *dest,
                 const NatterGenParams *src)
{
  if (src == NULL)
    {
      natter_gen_params_init (dest);
      return;
    }
  natter_gen_params_copy (dest, src);
}

static void chat_emit_checked (const NatterDelta *delta, ChatData *cd);

/* The hot path: called once per delta. No allocation beyond amortized
 * string growth, no notify, no SQL. Text passes the reply guard first. */
static void
chat_emit (const NatterDelta *delta,
           gpointer           user_data)
{
  ChatData *cd = user_data;
  NatterDelta checked;

  if (natter_reply_guard_filter (cd->guard, delta, &checked))
    chat_emit_checked (&checked, cd);
}

/* At the end of a reply: a character left unfinished becomes U+FFFD. */
static void
chat_emit_unfinished (ChatData *cd)
{
  NatterDelta delta;

  /* A request that failed before it was sent (sign-in refused) has no guard. */
  if (cd->guard == NULL)
    return;

  if (natter_reply_guard_finish (cd->guard, NATTER_DELTA_TEXT, &delta))
    chat_emit_checked (&delta, cd);
  if (natter_reply_guard_finish (cd->guard, NATTER_DELTA_REASONING, &delta))
    chat_emit_checked (&delta, cd);
}

static GError *
reply_too_large_error (ChatData *cd)
{
  return g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                      _("The reply grew past %u MiB, the limit set for this connection; "
                        "Natter stopped reading it and kept the first %u MiB"),
                      (guint) (natter_reply_guard_get_max_size (cd->guard) / (1024 * 1024)),
                      (guint) (natter_reply_guard_get_max_size (cd->guard) / (1024 * 1024)));
}

static void
chat_emit_checked (const NatterDelta *delta,
                   ChatData          *cd)
{
  switch (delta->kind)
    {
    case NATTER_DELTA_TEXT:
      g_string_append_len (cd->text, delta->text, delta->len);
      if (cd->tap.entry != NULL)
        natter_request_log_append_text (cd->tap.log, cd->tap.entry, delta->text, delta->len);
      break;

    case NATTER_DELTA_REASONING:
      g_string_append_len (cd->reasoning, delta->text, delta->len);
      if (cd->tap.entry != NULL)
        natter_request_log_append_reasoning (cd->tap.log, cd->tap.entry, delta->text, delta->len);
      break;

    case NATTER_DELTA_USAGE:
      if (delta->input_tokens >= 0)
        cd->input_tokens = delta->input_tokens;
      if (delta->output_tokens >= 0)
        cd->output_tokens = delta->output_tokens;
      if (delta->cache_read_tokens >= 0)
        cd->cache_read_tokens = delta->cache_read_tokens;
      if (delta->cache_write_tokens >= 0)
        cd->cache_write_tokens = delta->cache_write_tokens;
      if (delta->cost >= 0)
        cd->cost = delta->cost;
      break;

    case NATTER_DELTA_FINISH:
      if (delta->finish_reason != NULL)
        {
          g_free (cd->finish_reason);
          cd->finish_reason = g_strdup (delta->finish_reason);
        }
      break;

    case NATTER_DELTA_ERROR:
      if (cd->stream_error_category == NATTER_ERROR_CATEGORY_NONE)
        {
          cd->stream_error_category = delta->error_category != NATTER_ERROR_CATEGORY_NONE
                                      ? delta->error_category
                                      : NATTER_ERROR_CATEGORY_SERVER;
          cd->stream_error_message = g_strdup (delta->error_message);
        }
      break;

    case NATTER_DELTA_DONE:
      cd->saw_done = TRUE;
      break;

    case NATTER_DELTA_TOOL_CALL:
      natter_tool_assembler_add (cd->tool_calls, delta);
      break;

    default:
      break;
    }

  if (cd->on_delta != NULL)
    cd->on_delta (delta, cd->delta_data);
}

static gboolean
chat_event (const char  *event,
            const char  *data,
            gsize        len,
            gpointer     user_data,
            GError     **error)
{
  ChatData *cd = user_data;

  if (!cd->dialect->parse_event (cd->parser, event, data, len, chat_emit, cd, error))
    return FALSE;
  if (natter_reply_guard_exceeded (cd->guard))
    {
      g_propagate_error (error, reply_too_large_error (cd));
      return FALSE;
    }

  return TRUE;
}

static const NatterTransportObserver chat_observer = {
  log_tap_response_head,
  log_tap_raw_bytes,
  chat_event,
};

static const char *
chat_model (ChatData *cd)
{
  const char *model = cd->params.model;

  if (model == NULL || *model == '\0')
    model = natter_profile_get_model (cd->profile);
  return model;
}

/* Prices the exchange now and records it (also a failed one that was
 * billed: tokens arrived). */
static double
chat_record_usage (ChatData *cd)
{
  if (cd->input_tokens < 0 && cd->output_tokens < 0 && cd->cost < 0)
    return -1;
  return _natter_client_record_usage (_natter_client_get_database (cd->client), cd->profile, cd->provider,
                                      chat_model (cd),
                                      cd->tap.entry != NULL ? natter_log_entry_get_id (cd->tap.entry) : 0,
                                      cd->input_tokens, cd->output_tokens,
                                      cd->cache_read_tokens, cd->cache_write_tokens, cd->cost);
}

static void
chat_fail (GTask  *task,
           GError *error)
{
  ChatData *cd = g_task_get_task_data (task);

  chat_emit_unfinished (cd);

  /* Providers sometimes echo the key back ("Incorrect API key: sk-…"). */
  if (cd->key != NULL && *cd->key != '\0' && strstr (error->message, cd->key) != NULL)
    {
      char *redacted = natter_redact_secret (error->message, cd->key);

      g_free (error->message);
      error->message = redacted;
    }

  /* Recorded before the log entry finishes, so the inspector finds it. */
  chat_record_usage (cd);
  if (cd->tap.entry != NULL)
    {
      if (cd->input_tokens >= 0 || cd->output_tokens >= 0)
        natter_request_log_set_usage (cd->tap.log, cd->tap.entry, cd->input_tokens, cd->output_tokens);
      natter_request_log_finish (cd->tap.log, cd->tap.entry, error->code, error->message);
    }
  g_task_return_error (task, error);
}

static void
chat_send_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ChatData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) error_body = NULL;
  g_autoptr(GBytes) body = NULL;
  NatterChatResult *chat_result;
  guint status = 0;

  body = natter_transport_send_finish (NATTER_TRANSPORT (object), result, &status,
                                       &error_body, &error);
  if (body == NULL)
    {
      GError *e;

      if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        e = g_error_new_literal (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED,
                                 _("Stopped"));
      else if (cd->stream_error_category != NATTER_ERROR_CATEGORY_NONE &&
               cd->stream_error_message != NULL)
        e = g_error_new_literal (NATTER_REQUEST_ERROR, cd->stream_error_category,
                                 cd->stream_error_message);
      else
        e = make_request_error (cd->dialect, error, error_body, cd->key);
      chat_fail (task, e);
      return;
    }

  if (natter_request_get_framing (cd->request) == NATTER_FRAMING_NONE ||
      natter_transport_result_was_unframed (NATTER_TRANSPORT (object), result))
    {
      gsize len;
      const char *data = g_bytes_get_data (body, &len);
      GError *body_error = error_from_ok_body (cd->dialect, body);

      if (body_error != NULL)
        {
          chat_fail (task, body_error);
          return;
        }

      if (!cd->dialect->parse_response (data != NULL ? data : "", len, chat_emit, cd, &error))
        {
          chat_fail (task, g_error_new_literal (NATTER_REQUEST_ERROR,
                                                error->domain == NATTER_REQUEST_ERROR
                                                ? error->code : NATTER_ERROR_CATEGORY_PROTOCOL,
                                                error->message));
          return;
        }
      cd->saw_done = TRUE;
      if (natter_reply_guard_exceeded (cd->guard))
        {
          chat_fail (task, reply_too_large_error (cd));
          return;
        }
    }

  chat_emit_unfinished (cd);

  if (cd->stream_error_category != NATTER_ERROR_CATEGORY_NONE)
    {
      chat_fail (task, g_error_new_literal (NATTER_REQUEST_ERROR, cd->stream_error_category,
                                            cd->stream_error_message != NULL
                                            ? cd->stream_error_message
                                            : natter_error_category_describe (cd->stream_error_category)));
      return;
    }

  /* A bare final "[DONE]" only completes a reply whose finish reason came. */
  if (cd->saw_done && cd->finish_reason == NULL &&
      natter_transport_result_ended_with_bare_done (NATTER_TRANSPORT (object), result))
    {
      chat_fail (task, g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK,
                                    _("%s: the connection closed in the middle of an event"),
                                    natter_error_category_describe (NATTER_ERROR_CATEGORY_NETWORK)));
      return;
    }

  if (!cd->saw_done)
    {
      chat_fail (task, g_error_new_literal (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                                            _("The stream ended before the reply was complete")));
      return;
    }

  chat_result = g_new0 (NatterChatResult, 1);
  /* Recorded before the log entry finishes, so the inspector finds it. */
  chat_result->cost = chat_record_usage (cd);
  if (cd->tap.entry != NULL)
    {
      natter_request_log_set_usage (cd->tap.log, cd->tap.entry, cd->input_tokens, cd->output_tokens);
      natter_request_log_finish (cd->tap.log, cd->tap.entry, NATTER_ERROR_CATEGORY_NONE, NULL);
    }

  chat_result->text = g_string_free (g_steal_pointer (&cd->text), FALSE);
  chat_result->reasoning = g_string_free (g_steal_pointer (&cd->reasoning), FALSE);
  chat_result->finish_reason = g_steal_pointer (&cd->finish_reason);
  chat_result->input_tokens = cd->input_tokens;
  chat_result->output_tokens = cd->output_tokens;
  chat_result->cache_read_tokens = cd->cache_read_tokens;
  chat_result->cache_write_tokens = cd->cache_write_tokens;
  chat_result->log_entry_id = cd->tap.entry != NULL ? natter_log_entry_get_id (cd->tap.entry) : 0;
  chat_result->tool_calls = natter_tool_assembler_finish (cd->tool_calls);
  g_task_return_pointer (task, chat_result, (GDestroyNotify)natter_chat_result_free);
}

static void
chat_send (GTask *task)
{
  ChatData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  cd->request = _natter_client_build_request_with_key (cd->client, cd->profile, cd->provider, cd->dialect,
                                        cd->base_url, cd->prompt, &cd->params, cd->key,
                                        cd->credential, cd->secret_headers, FALSE, &error);
  if (cd->request == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (cd->tap.log != NULL)
    {
      const char *model = chat_model (cd);

      cd->tap.entry = natter_request_log_begin (cd->tap.log, cd->request,
                                            natter_profile_get_name (cd->profile),
                                            natter_provider_get_id (cd->provider),
                                            model,
                                            cd->credential != NULL
                                            ? natter_credential_get_secret (cd->credential)
                                            : cd->key);
    }

  if (cd->dialect->parser_new != NULL)
    cd->parser = cd->dialect->parser_new ();

  {
    g_autoptr(JsonObject) settings = parse_settings (cd->profile);
    gint64 mib = settings != NULL
                 ? natter_json_node_get_int (json_object_get_member (settings, "max_reply_mib"), 0)
                 : 0;

    cd->guard = natter_reply_guard_new (mib > 0 ? (gsize) MIN (mib, 1024) * 1024 * 1024
                                                : NATTER_REPLY_DEFAULT_MAX_SIZE);
  }

  natter_transport_send_async (cd->transport, cd->request, &chat_observer, cd,
                               g_task_get_cancellable (task),
                               chat_send_cb, task);
}

/* The transport (its proxy password from the keyring, without blocking),
 * then the request. Takes the reference of @task. */
static void
chat_start (GTask *task)
{
  ChatData *cd = g_task_get_task_data (task);

  _natter_client_with_transport (task, cd->profile, &cd->transport, chat_send);
}

static void chat_have_key (GTask *task);


static void
chat_credential_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  ChatData *cd = g_task_get_task_data (task);
  GError *error = NULL;

  cd->credential = _natter_client_credential_finish (NATTER_CLIENT (object), result, &error);
  if (cd->credential == NULL)
    {
      /* Nothing was sent or logged yet, as when the request cannot be built. */
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  chat_start (task);
}

/* Takes the reference of @task. */
static void
chat_have_key (GTask *task)
{
  ChatData *cd = g_task_get_task_data (task);

  if (natter_auth_handles (cd->provider))
    {
      g_autoptr(JsonObject) settings = parse_settings (cd->profile);

      _natter_client_credential_async (cd->client, cd->profile, cd->provider, settings, cd->key,
                                       g_task_get_cancellable (task), chat_credential_cb, task);
      return;
    }
  chat_start (task);
}

static void
chat_secrets_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ChatData *cd = g_task_get_task_data (task);

  _natter_client_request_secrets_finish (result, &cd->key, &cd->secret_headers);
  chat_have_key (task);
}

void
natter_client_chat_async (NatterClient           *self,
                          NatterProfile          *profile,
                          const NatterPrompt     *prompt,
                          const NatterGenParams  *params,
                          NatterDeltaFunc         on_delta,
                          gpointer                delta_data,
                          GCancellable           *cancellable,
                          GAsyncReadyCallback     callback,
                          gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) settings = NULL;
  ChatData *cd;

  g_return_if_fail (NATTER_IS_CLIENT (self));
  g_return_if_fail (NATTER_IS_PROFILE (profile));
  g_return_if_fail (prompt != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_client_chat_async);
  /* Cancellation is reported as NATTER_REQUEST_ERROR / cancelled. */
  g_task_set_check_cancellable (task, FALSE);

  cd = g_new0 (ChatData, 1);
  cd->client = g_object_ref (self);
  cd->profile = g_object_ref (profile);
  cd->prompt = prompt_copy (prompt);
  gen_params_copy (&cd->params, params);
  cd->on_delta = on_delta;
  cd->delta_data = delta_data;
  cd->tap.log = natter_client_get_request_log (self) != NULL
                ? g_object_ref (natter_client_get_request_log (self)) : NULL;
  cd->text = g_string_sized_new (1024);
  cd->reasoning = g_string_new (NULL);
  cd->tool_calls = natter_tool_assembler_new ();
  cd->input_tokens = -1;
  cd->output_tokens = -1;
  cd->cache_read_tokens = -1;
  cd->cache_write_tokens = -1;
  cd->cost = -1;
  g_task_set_task_data (task, cd, (GDestroyNotify)chat_data_free);

  if (!natter_client_resolve (self, profile, &cd->provider, &cd->dialect, &cd->base_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  settings = parse_settings (profile);
  _natter_client_request_secrets_async (profile, cd->provider, settings, cancellable,
                                        chat_secrets_cb, g_steal_pointer (&task));
}

NatterChatResult *
natter_client_chat_finish (NatterClient  *self,
                           GAsyncResult  *result,
                           gint64        *log_entry_id,
                           GError       **error)
{
  ChatData *cd;

  g_return_val_if_fail (NATTER_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  cd = g_task_get_task_data (G_TASK (result));
  if (log_entry_id != NULL)
    *log_entry_id = cd->tap.entry != NULL ? natter_log_entry_get_id (cd->tap.entry) : 0;
  return g_task_propagate_pointer (G_TASK (result), error);
}
