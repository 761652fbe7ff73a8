/* natter-tool-loop.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-tool-loop"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialect-tools-private.h"
#include "natter-json-schema.h"
#include "natter-json.h"
#include "natter-model-settings.h"
#include "natter-profile.h"
#include "natter-tool-loop.h"

/* ------------------------------------------------------------ the loop */

struct _NatterToolLoop
{
  GObject             parent_instance;

  NatterClient       *client;
  NatterProfile      *profile;
  NatterToolHost     *host;
  NatterToolApprover *approver;
  guint               max_rounds;
  guint               timeout;
  GPtrArray          *events;        /* element-type NatterToolEvent */
  GPtrArray          *specs;         /* element-type NatterToolSpec: the host's, when the run began */
  GHashTable         *always;        /* names allowed for the rest of the loop */
  GArray             *log_ids;       /* gint64: each round's request log entry */
};

G_DEFINE_FINAL_TYPE (NatterToolLoop, natter_tool_loop, G_TYPE_OBJECT)

enum
{
  TOOL_EVENT,
  TOOLS_WITHHELD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
natter_tool_loop_dispose (GObject *object)
{
  NatterToolLoop *self = NATTER_TOOL_LOOP (object);

  g_clear_object (&self->client);
  g_clear_object (&self->profile);
  g_clear_object (&self->host);
  g_clear_object (&self->approver);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->specs, g_ptr_array_unref);
  g_clear_pointer (&self->always, g_hash_table_unref);
  g_clear_pointer (&self->log_ids, g_array_unref);

  G_OBJECT_CLASS (natter_tool_loop_parent_class)->dispose (object);
}

static void
natter_tool_loop_class_init (NatterToolLoopClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = natter_tool_loop_dispose;

  signals[TOOL_EVENT] =
    g_signal_new ("tool-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[TOOLS_WITHHELD] =
    g_signal_new ("tools-withheld", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
natter_tool_loop_init (NatterToolLoop *self)
{
  self->max_rounds = NATTER_TOOL_LOOP_DEFAULT_ROUNDS;
  self->timeout = NATTER_TOOL_LOOP_DEFAULT_TIMEOUT;
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_event_free);
  self->specs = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_spec_free);
  self->always = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->log_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

NatterToolLoop *
natter_tool_loop_new (NatterClient  *client,
                      NatterProfile *profile)
{
  NatterToolLoop *self;

  g_return_val_if_fail (NATTER_IS_CLIENT (client), NULL);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), NULL);

  self = g_object_new (NATTER_TYPE_TOOL_LOOP, NULL);
  self->client = g_object_ref (client);
  self->profile = g_object_ref (profile);
  return self;
}

void
natter_tool_loop_set_host (NatterToolLoop *self,
                           NatterToolHost *host)
{
  g_return_if_fail (NATTER_IS_TOOL_LOOP (self));
  g_set_object (&self->host, host);
}

void
natter_tool_loop_set_approver (NatterToolLoop     *self,
                               NatterToolApprover *approver)
{
  g_return_if_fail (NATTER_IS_TOOL_LOOP (self));
  g_set_object (&self->approver, approver);
}

void
natter_tool_loop_set_max_rounds (NatterToolLoop *self,
                                 guint           rounds)
{
  g_return_if_fail (NATTER_IS_TOOL_LOOP (self));
  self->max_rounds = MAX (rounds, 1);
}

void
natter_tool_loop_set_timeout (NatterToolLoop *self,
                              guint           seconds)
{
  g_return_if_fail (NATTER_IS_TOOL_LOOP (self));
  self->timeout = seconds;
}

GPtrArray *
natter_tool_loop_get_events (NatterToolLoop *self)
{
  g_return_val_if_fail (NATTER_IS_TOOL_LOOP (self), NULL);
  return self->events;
}

GArray *
natter_tool_loop_get_log_entry_ids (NatterToolLoop *self)
{
  g_return_val_if_fail (NATTER_IS_TOOL_LOOP (self), NULL);
  return self->log_ids;
}

typedef struct
{
  NatterToolLoop   *self;
  NatterPrompt     *prompt;
  NatterGenParams   params;
  NatterDeltaFunc   on_delta;
  gpointer          delta_data;
  NatterChatResult *total;
  GString          *text;
  GString          *reasoning;
  GString          *round_text;
  guint             round;
  gint64            log_entry_id;
  /* The calls of the round being answered. */
  GPtrArray        *calls;
  NatterPromptMessage *results;
  guint             next_call;
  NatterToolEvent  *event;           /* the call under way, borrowed from self->events */
  GCancellable     *call_cancellable;
  guint             timeout_id;
  gulong            cancel_handler;
  gboolean          timed_out;
} Run;

static void
run_free (Run *run)
{
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  g_clear_object (&run->call_cancellable);
  g_clear_pointer (&run->prompt, natter_prompt_free);
  natter_gen_params_clear (&run->params);
  g_clear_pointer (&run->total, natter_chat_result_free);
  g_string_free (run->text, TRUE);
  g_string_free (run->reasoning, TRUE);
  g_string_free (run->round_text, TRUE);
  g_clear_pointer (&run->calls, g_ptr_array_unref);
  g_clear_pointer (&run->results, natter_prompt_message_free);
  g_clear_object (&run->self);
  g_free (run);
}

static void run_round (GTask *task);
static void next_call (GTask *task);

static void
forward_text (Run        *run,
              const char *text,
              gsize       len)
{
  NatterDelta delta;

  natter_delta_init (&delta, NATTER_DELTA_TEXT);
  delta.text = text;
  delta.len = len;
  g_string_append_len (run->text, text, len);
  g_string_append_len (run->round_text, text, len);
  if (run->on_delta != NULL)
    run->on_delta (&delta, run->delta_data);
}

static void
run_on_delta (const NatterDelta *delta,
              gpointer           user_data)
{
  Run *run = user_data;

  if (delta->kind == NATTER_DELTA_TEXT && delta->len > 0)
    {
      /* The text of a new round starts a new paragraph. */
      if (run->round_text->len == 0 && run->text->len > 0 &&
          !g_str_has_suffix (run->text->str, "\n\n"))
        forward_text (run, g_str_has_suffix (run->text->str, "\n") ? "\n" : "\n\n",
                      g_str_has_suffix (run->text->str, "\n") ? 1 : 2);
      g_string_append_len (run->text, delta->text, delta->len);
      g_string_append_len (run->round_text, delta->text, delta->len);
    }
  if (run->on_delta != NULL)
    run->on_delta (delta, run->delta_data);
}

static void
return_error (GTask               *task,
              NatterErrorCategory  category,
              const char          *message)
{
  g_task_return_new_error (task, NATTER_REQUEST_ERROR, category, "%s", message);
}

static gboolean
is_refusal (const char *reason)
{
  return g_strcmp0 (reason, "refusal") == 0;
}

static gboolean
is_filtered (const char *reason)
{
  static const char * const filtered[] = {
    "content_filter", "SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION",
    "IMAGE_SAFETY", "guardrail_intervened", "content_filtered", NULL,
  };

  return reason != NULL && g_strv_contains (filtered, reason);
}

/* The end of the loop: the model answered (or could not). */
static void
finish_run (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  NatterChatResult *result;

  if (run->text->len == 0 && is_refusal (run->total->finish_reason))
    {
      return_error (task, NATTER_ERROR_CATEGORY_BAD_REQUEST, _("The model refused to answer"));
      return;
    }
  if (is_refusal (run->total->finish_reason))
    {
      return_error (task, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                    _("The model refused to answer (its reason is above)"));
      return;
    }
  if (run->text->len == 0 && is_filtered (run->total->finish_reason))
    {
      return_error (task, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                    _("The provider’s content filter stopped the reply"));
      return;
    }
  /* Gemini: a call it wrote but could not parse, or one of a tool it does not have. */
  if (run->text->len == 0 && (g_strcmp0 (run->total->finish_reason, "MALFORMED_FUNCTION_CALL") == 0 ||
                              g_strcmp0 (run->total->finish_reason, "UNEXPECTED_TOOL_CALL") == 0))
    {
      return_error (task, NATTER_ERROR_CATEGORY_PROTOCOL,
                    _("The model wrote a tool call that could not be read"));
      return;
    }
  if (run->prompt->schema != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!natter_json_schema_validate_text (run->prompt->schema, run->round_text->str, &error))
        {
          g_autofree char *message = g_strdup_printf (_("The answer does not follow the schema. %s"),
                                                      error->message);

          return_error (task, NATTER_ERROR_CATEGORY_PROTOCOL, message);
          return;
        }
    }

  result = g_steal_pointer (&run->total);
  g_free (result->text);
  result->text = g_strdup (run->text->str);
  g_free (result->reasoning);
  result->reasoning = g_strdup (run->reasoning->str);
  result->log_entry_id = run->log_entry_id;
  g_task_return_pointer (task, result, (GDestroyNotify) natter_chat_result_free);
}

static const NatterToolSpec *
lookup_spec (NatterToolLoop *self,
             const char     *name)
{
  for (guint i = 0; i < self->specs->len; i++)
    {
      const NatterToolSpec *spec = g_ptr_array_index (self->specs, i);

      if (g_strcmp0 (spec->name, name) == 0)
        return spec;
    }
  return NULL;
}

static void
add_usage (gint64 *total,
           gint64  value)
{
  if (value >= 0)
    *total = MAX (*total, 0) + value;
}

static void
round_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  NatterToolLoop *self = run->self;
  g_autoptr(NatterChatResult) chat = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  gint64 log_id = 0;

  chat = natter_client_chat_finish (NATTER_CLIENT (object), result, &log_id, &error);
  if (log_id > 0)
    {
      run->log_entry_id = log_id;
      g_array_append_val (self->log_ids, log_id);
    }
  if (chat == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_string_append (run->reasoning, chat->reasoning);
  add_usage (&run->total->input_tokens, chat->input_tokens);
  add_usage (&run->total->output_tokens, chat->output_tokens);
  add_usage (&run->total->cache_read_tokens, chat->cache_read_tokens);
  add_usage (&run->total->cache_write_tokens, chat->cache_write_tokens);
  if (chat->cost >= 0)
    run->total->cost = MAX (run->total->cost, 0) + chat->cost;
  g_free (run->total->finish_reason);
  run->total->finish_reason = g_strdup (chat->finish_reason);

  calls = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_call_free);
  for (guint i = 0; chat->tool_calls != NULL && i < chat->tool_calls->len; i++)
    {
      NatterToolCall *call = g_ptr_array_index (chat->tool_calls, i);

      g_ptr_array_add (run->total->tool_calls, natter_tool_call_copy (call));
      /* A structured answer through the forced tool: its arguments are the answer. */
      if (run->prompt->schema != NULL && g_str_equal (call->name, NATTER_SCHEMA_TOOL_NAME) &&
          lookup_spec (self, call->name) == NULL)
        {
          forward_text (run, call->arguments, strlen (call->arguments));
          continue;
        }
      g_ptr_array_add (calls, natter_tool_call_copy (call));
    }

  if (calls->len == 0)
    {
      finish_run (task);
      return;
    }

  if (self->host == NULL || self->specs->len == 0)
    {
      g_autofree char *message = NULL;

      if (run->text->len > 0)
        {
          finish_run (task);
          return;
        }
      message = g_strdup_printf (_("The model asked to use the tool “%s”, but no tools are available here"),
                                 ((NatterToolCall *) g_ptr_array_index (calls, 0))->name);
      return_error (task, NATTER_ERROR_CATEGORY_PROTOCOL, message);
      return;
    }
  /* @max_rounds rounds of calls ran already: the model still wants more. */
  if (run->round > self->max_rounds)
    {
      g_autofree char *message = g_strdup_printf (ngettext ("The model still asked for tools after %u round of tool calls",
                                                            "The model still asked for tools after %u rounds of tool calls",
                                                            self->max_rounds),
                                                  self->max_rounds);

      return_error (task, NATTER_ERROR_CATEGORY_PROTOCOL, message);
      return;
    }

  /* This round's assistant turn, then one result per call. */
  {
    NatterPromptMessage *turn = natter_prompt_message_new (NATTER_ROLE_ASSISTANT, run->round_text->str);

    for (guint i = 0; i < calls->len; i++)
      natter_prompt_message_add_tool_call (turn, natter_tool_call_copy (g_ptr_array_index (calls, i)));
    natter_prompt_take_message (run->prompt, turn);
  }
  g_clear_pointer (&run->calls, g_ptr_array_unref);
  run->calls = g_steal_pointer (&calls);
  g_clear_pointer (&run->results, natter_prompt_message_free);
  run->results = natter_prompt_message_new (NATTER_ROLE_USER, "");
  run->next_call = 0;
  next_call (g_steal_pointer (&task));
}

/* The call under way ends with @outcome and @text sent back to the model. */
static void
call_done (GTask             *task,
           NatterToolOutcome  outcome,
           const char        *text)
{
  Run *run = g_task_get_task_data (task);
  NatterToolEvent *event = run->event;

  g_clear_handle_id (&run->timeout_id, g_source_remove);
  if (run->cancel_handler != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), run->cancel_handler);
  run->cancel_handler = 0;
  g_clear_object (&run->call_cancellable);
  event->outcome = outcome;
  g_free (event->result);
  event->result = g_strdup (text);
  natter_prompt_message_add_tool_result (run->results,
                                         natter_tool_result_new (event->call->id, event->call->name,
                                                                 text, outcome != NATTER_TOOL_OUTCOME_OK));
  g_signal_emit (run->self, signals[TOOL_EVENT], 0, event);
  run->event = NULL;
  run->next_call++;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_new_error (task, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED,
                               _("Stopped"));
      g_object_unref (task);
      return;
    }
  next_call (task);
}

static void
cancel_call (Run *run)
{
  if (run->call_cancellable != NULL)
    g_cancellable_cancel (run->call_cancellable);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Run *run = user_data;

  run->timeout_id = 0;
  run->timed_out = TRUE;
  cancel_call (run);
  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  cancel_call (user_data);
}

static void
tool_called_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(NatterToolResult) tool_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  tool_result = natter_tool_host_call_tool_finish (NATTER_TOOL_HOST (object), result, &error);
  if (run->timed_out)
    {
      message = g_strdup_printf (ngettext ("The tool did not answer within %u second",
                                           "The tool did not answer within %u seconds",
                                           run->self->timeout), run->self->timeout);
      call_done (task, NATTER_TOOL_OUTCOME_TIMED_OUT, message);
    }
  else if (tool_result == NULL && g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    call_done (task, NATTER_TOOL_OUTCOME_CANCELLED, _("The call was stopped"));
  else if (tool_result == NULL)
    {
      message = g_strdup_printf (_("The tool failed: %s"), error->message);
      call_done (task, NATTER_TOOL_OUTCOME_ERROR, message);
    }
  else
    call_done (task, tool_result->is_error ? NATTER_TOOL_OUTCOME_ERROR : NATTER_TOOL_OUTCOME_OK,
               tool_result->content != NULL ? tool_result->content : "");
}

static void
run_call (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  GCancellable *outer = g_task_get_cancellable (task);

  run->call_cancellable = g_cancellable_new ();
  run->timed_out = FALSE;
  /* Stopping the reply or the time limit cancels the call (the MCP client
   * tells the server with notifications/cancelled). */
  if (outer != NULL)
    run->cancel_handler = g_cancellable_connect (outer, G_CALLBACK (outer_cancelled_cb), run, NULL);
  if (run->self->timeout > 0)
    run->timeout_id = g_timeout_add_seconds (run->self->timeout, timeout_cb, run);
  natter_tool_host_call_tool_async (run->self->host, run->event->call, run->call_cancellable,
                                    tool_called_cb, task);
}

static void
approved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  NatterToolDecision decision;

  decision = natter_tool_approver_approve_finish (NATTER_TOOL_APPROVER (object), result, &error);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      call_done (task, NATTER_TOOL_OUTCOME_CANCELLED, _("The call was stopped"));
      return;
    }
  if (decision == NATTER_TOOL_ALLOW_ALWAYS)
    g_hash_table_add (run->self->always, g_strdup (run->event->call->name));
  if (decision == NATTER_TOOL_DENY)
    {
      call_done (task, NATTER_TOOL_OUTCOME_DENIED, _("The person denied this tool call."));
      return;
    }
  run_call (task);
}

/* Owns a reference on @task until the loop goes on or ends. */
static void
next_call (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  NatterToolLoop *self = run->self;
  const NatterToolCall *call;
  const NatterToolSpec *spec;
  NatterToolEvent *event;

  if (run->next_call >= run->calls->len)
    {
      /* Every call answered: the results go back in the next round. */
      natter_prompt_take_message (run->prompt, g_steal_pointer (&run->results));
      run->round++;
      run_round (task);
      g_object_unref (task);
      return;
    }

  call = g_ptr_array_index (run->calls, run->next_call);
  spec = lookup_spec (self, call->name);
  event = g_new0 (NatterToolEvent, 1);
  event->call = natter_tool_call_copy (call);
  event->server = spec != NULL ? g_strdup (spec->server) : NULL;
  event->tool = spec != NULL ? g_strdup (spec->tool != NULL ? spec->tool : spec->name) : NULL;
  event->outcome = NATTER_TOOL_OUTCOME_RUNNING;
  g_ptr_array_add (self->events, event);
  run->event = event;
  g_signal_emit (self, signals[TOOL_EVENT], 0, event);

  if (spec == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("There is no tool named “%s”."), call->name);

      call_done (task, NATTER_TOOL_OUTCOME_ERROR, message);
      return;
    }
  if (g_hash_table_contains (self->always, call->name))
    {
      run_call (task);
      return;
    }
  if (self->approver == NULL)
    {
      call_done (task, NATTER_TOOL_OUTCOME_DENIED,
                 _("The person denied this tool call."));
      return;
    }
  natter_tool_approver_approve_async (self->approver, spec, call, g_task_get_cancellable (task),
                                      approved_cb, task);
}

static void
run_round (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  g_string_truncate (run->round_text, 0);
  natter_client_chat_async (run->self->client, run->self->profile, run->prompt, &run->params,
                            run_on_delta, run, g_task_get_cancellable (task),
                            round_cb, g_object_ref (task));
}

void
natter_tool_loop_run_async (NatterToolLoop        *self,
                            NatterPrompt          *prompt,
                            const NatterGenParams *params,
                            NatterDeltaFunc        on_delta,
                            gpointer               delta_data,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (NATTER_IS_TOOL_LOOP (self));
  g_return_if_fail (prompt != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_tool_loop_run_async);
  g_task_set_check_cancellable (task, FALSE);

  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);
  run->prompt = prompt;
  natter_gen_params_copy (&run->params, params);
  run->on_delta = on_delta;
  run->delta_data = delta_data;
  run->text = g_string_new (NULL);
  run->reasoning = g_string_new (NULL);
  run->round_text = g_string_new (NULL);
  run->round = 1;
  run->total = g_new0 (NatterChatResult, 1);
  run->total->input_tokens = run->total->output_tokens = -1;
  run->total->cache_read_tokens = run->total->cache_write_tokens = -1;
  run->total->cost = -1;
  run->total->tool_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_call_free);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  /* The host's tools as they are now, sent in every round; none to a
   * model known not to take them. */
  g_ptr_array_set_size (self->specs, 0);
  if (self->host != NULL)
    {
      g_autoptr(GPtrArray) tools = natter_tool_host_list_tools (self->host);
      const char *model = params != NULL && params->model != NULL && *params->model != '\0'
                          ? params->model : natter_profile_get_model (self->profile);

      if (tools != NULL && tools->len > 0 &&
          !natter_tool_loop_model_takes_tools (self->client, self->profile, model))
        {
          g_signal_emit (self, signals[TOOLS_WITHHELD], 0, model);
          g_ptr_array_set_size (tools, 0);
        }
      for (guint i = 0; tools != NULL && i < tools->len; i++)
        {
          const NatterToolSpec *spec = g_ptr_array_index (tools, i);

          g_ptr_array_add (self->specs, natter_tool_spec_copy (spec));
          natter_prompt_add_tool (prompt, natter_tool_spec_copy (spec));
        }
    }
  /* Without tools on offer, providers refuse calls in the history (and
   * the model could not make more): earlier replies go as their text. */
  for (guint i = 0; self->specs->len == 0 && i < prompt->messages->len; i++)
    {
      NatterPromptMessage *message = g_ptr_array_index (prompt->messages, i);

      g_clear_pointer (&message->tool_calls, g_ptr_array_unref);
      g_clear_pointer (&message->tool_results, g_ptr_array_unref);
    }

  run_round (task);
}

NatterChatResult *
natter_tool_loop_run_finish (NatterToolLoop  *self,
                             GAsyncResult    *result,
                             gint64          *log_entry_id,
                             GError         **error)
{
  Run *run;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  run = g_task_get_task_data (G_TASK (result));
  if (log_entry_id != NULL)
    *log_entry_id = run != NULL ? run->log_entry_id : 0;
  return g_task_propagate_pointer (G_TASK (result), error);
}

NatterPromptMessage *
natter_tool_loop_history_message (GPtrArray *events)
{
  NatterPromptMessage *message = NULL;

  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      const NatterToolEvent *event = g_ptr_array_index (events, i);
      g_autofree char *content = NULL;
      gboolean is_error = event->outcome != NATTER_TOOL_OUTCOME_OK;

      if (event->call == NULL || event->call->id == NULL || event->call->name == NULL)
        continue;
      if (event->outcome == NATTER_TOOL_OUTCOME_RUNNING || event->result == NULL)
        content = g_strdup (_("The call did not finish."));
      else if (strlen (event->result) > NATTER_TOOL_LOOP_HISTORY_RESULT_MAX)
        {
          g_autofree char *kept = g_utf8_make_valid (event->result, NATTER_TOOL_LOOP_HISTORY_RESULT_MAX);

          content = g_strdup_printf (_("%s\n[The rest of this result was left out: it had %zu bytes in all.]"),
                                     kept, strlen (event->result));
        }
      else
        content = g_strdup (event->result);
      if (message == NULL)
        message = natter_prompt_message_new (NATTER_ROLE_ASSISTANT, "");
      natter_prompt_message_add_tool_call (message, natter_tool_call_copy (event->call));
      natter_prompt_message_add_tool_result (message,
                                             natter_tool_result_new (event->call->id, event->call->name,
                                                                     content, is_error));
    }
  return message;
}

gboolean
natter_tool_loop_model_takes_tools (NatterClient  *client,
                                    NatterProfile *profile,
                                    const char    *model)
{
  g_autoptr(NatterModelInfo) info = NULL;
  g_autoptr(JsonNode) settings = NULL;
  NatterProvider *provider = NULL;
  const NatterDialect *dialect = NULL;
  g_autofree char *base_url = NULL;
  const char *text;

  g_return_val_if_fail (NATTER_IS_CLIENT (client), TRUE);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), TRUE);

  if (model == NULL || *model == '\0')
    model = natter_profile_get_model (profile);
  if (model == NULL || *model == '\0')
    return TRUE;
  if (!natter_client_resolve (client, profile, &provider, &dialect, &base_url, NULL))
    provider = NULL;
  text = natter_profile_get_settings (profile);
  if (text != NULL)
    settings = natter_json_parse (text, -1, NULL);
  info = natter_model_settings_lookup (settings != NULL && JSON_NODE_HOLDS_OBJECT (settings)
                                       ? json_node_get_object (settings) : NULL,
                                       model, provider);
  return !info->capabilities_known || (info->capabilities & NATTER_MODEL_TOOLS) != 0;
}
