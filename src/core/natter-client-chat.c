/* natter-client-chat.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-client"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "natter-client-private.h"

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
  NatterRequest       *request;
  NatterTransport     *transport;
  gpointer             parser;

  GString             *text;
  GString             *reasoning;
  char                *finish_reason;
  gint64               input_tokens;
  gint64               output_tokens;
  gboolean             saw_done;
  NatterErrorCategory  stream_error_category;
  char                *stream_error_message;
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
  g_clear_pointer (&cd->request, natter_request_unref);
  g_clear_object (&cd->tap.log);
  if (cd->text != NULL)
    g_string_free (cd->text, TRUE);
  if (cd->reasoning != NULL)
    g_string_free (cd->reasoning, TRUE);
  g_free (cd->finish_reason);
  g_free (cd->stream_error_message);
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
      g_ptr_array_add (copy->messages, c);
    }
  copy->text = g_strdup (prompt->text);
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
  *dest = *src;
  dest->model = g_strdup (src->model);
  dest->stop = g_strdupv (src->stop);
}

/* The hot path: called once per delta. No allocation beyond amortized
 * string growth, no notify, no SQL. */
static void
chat_emit (const NatterDelta *delta,
           gpointer           user_data)
{
  ChatData *cd = user_data;

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

  return cd->dialect->parse_event (cd->parser, event, data, len, chat_emit, cd, error);
}

static const NatterTransportObserver chat_observer = {
  log_tap_response_head,
  log_tap_raw_bytes,
  chat_event,
};

static void
chat_fail (GTask  *task,
           GError *error)
{
  ChatData *cd = g_task_get_task_data (task);

  /* Providers sometimes echo the key back ("Incorrect API key: sk-…"). */
  if (cd->key != NULL && *cd->key != '\0' && strstr (error->message, cd->key) != NULL)
    {
      char *redacted = natter_redact_secret (error->message, cd->key);

      g_free (error->message);
      error->message = redacted;
    }

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
    }

  if (cd->stream_error_category != NATTER_ERROR_CATEGORY_NONE)
    {
      chat_fail (task, g_error_new_literal (NATTER_REQUEST_ERROR, cd->stream_error_category,
                                            cd->stream_error_message != NULL
                                            ? cd->stream_error_message
                                            : natter_error_category_describe (cd->stream_error_category)));
      return;
    }

  if (!cd->saw_done)
    {
      chat_fail (task, g_error_new_literal (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                                            _("The stream ended before the reply was complete")));
      return;
    }

  if (cd->tap.entry != NULL)
    {
      natter_request_log_set_usage (cd->tap.log, cd->tap.entry, cd->input_tokens, cd->output_tokens);
      natter_request_log_finish (cd->tap.log, cd->tap.entry, NATTER_ERROR_CATEGORY_NONE, NULL);
    }

  chat_result = g_new0 (NatterChatResult, 1);
  chat_result->text = g_string_free (g_steal_pointer (&cd->text), FALSE);
  chat_result->reasoning = g_string_free (g_steal_pointer (&cd->reasoning), FALSE);
  chat_result->finish_reason = g_steal_pointer (&cd->finish_reason);
  chat_result->input_tokens = cd->input_tokens;
  chat_result->output_tokens = cd->output_tokens;
  chat_result->log_entry_id = cd->tap.entry != NULL ? natter_log_entry_get_id (cd->tap.entry) : 0;
  g_task_return_pointer (task, chat_result, (GDestroyNotify)natter_chat_result_free);
}

static void
chat_start (GTask *task)
{
  ChatData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  cd->request = build_request_with_key (cd->client, cd->profile, cd->provider, cd->dialect,
                                        cd->base_url, cd->prompt, &cd->params, cd->key,
                                        &error);
  if (cd->request == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (cd->tap.log != NULL)
    {
      const char *model = cd->params.model;

      if (model == NULL || *model == '\0')
        model = natter_profile_get_model (cd->profile);
      cd->tap.entry = natter_request_log_begin (cd->tap.log, cd->request,
                                            natter_profile_get_name (cd->profile),
                                            natter_provider_get_id (cd->provider),
                                            model, cd->key);
    }

  if (cd->dialect->parser_new != NULL)
    cd->parser = cd->dialect->parser_new ();

  natter_transport_send_async (cd->transport, cd->request, &chat_observer, cd,
                               g_task_get_cancellable (task),
                               chat_send_cb, task);
}

static void
chat_key_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  ChatData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  cd->key = natter_secrets_lookup_finish (result, &error);
  if (error != NULL)
    g_debug ("Keyring lookup failed: %s", error->message);
  if (cd->key == NULL)
    cd->key = natter_provider_dup_env_key (cd->provider);
  with_transport (task, cd->profile, &cd->transport, chat_start);
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
  cd->tap.log = self->log != NULL ? g_object_ref (self->log) : NULL;
  cd->text = g_string_sized_new (1024);
  cd->reasoning = g_string_new (NULL);
  cd->input_tokens = -1;
  cd->output_tokens = -1;
  g_task_set_task_data (task, cd, (GDestroyNotify)chat_data_free);

  if (!natter_client_resolve (self, profile, &cd->provider, &cd->dialect, &cd->base_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A key typed into the edit form and not saved yet wins (Test). */
  if (natter_profile_get_unsaved_api_key (profile) != NULL)
    {
      cd->key = g_strdup (natter_profile_get_unsaved_api_key (profile));
      with_transport (g_steal_pointer (&task), profile, &cd->transport, chat_start);
      return;
    }

  if (profile_has_uuid (profile))
    {
      natter_secrets_lookup_async (natter_profile_get_uuid (profile), NATTER_SECRET_API_KEY,
                                   cancellable, chat_key_cb, g_steal_pointer (&task));
      return;
    }

  cd->key = natter_provider_dup_env_key (cd->provider);
  with_transport (g_steal_pointer (&task), profile, &cd->transport, chat_start);
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
