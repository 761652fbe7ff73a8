/* natter-conversation.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-conversation"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-model-settings.h"
#include "natter-usage-store.h"
#include "natter-card.h"
#include "natter-conversation-private.h"
#include "natter-chat-note.h"
#include "natter-instruct.h"
#include "natter-request-log.h"
#include "natter-tokens.h"
#include "natter-json.h"

/* History is read backwards in pages of this many messages. */
#define HISTORY_PAGE 64

struct _NatterConversation
{
  GObject          parent_instance;

  NatterChatStore   *store;
  NatterClient      *client;
  NatterPresetStore *presets;   /* made when first needed */
  NatterProfile     *sidecar;
  char              *sidecar_model;
  guint              n_background;  /* sidecar work under way */
  NatterTurn         turn;
};

G_DEFINE_FINAL_TYPE (NatterConversation, natter_conversation, G_TYPE_OBJECT)

enum
{
  MESSAGE_ADDED,
  SWIPE_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (natter-conversation-error-quark, natter_conversation_error)

#define assembly_clear _natter_conversation_assembly_clear
#define add_lorebooks  _natter_conversation_add_lorebooks
#define assemble       _natter_conversation_assemble

NatterTurn *
_natter_conversation_get_turn (NatterConversation *self)
{
  return &self->turn;
}

static void
natter_conversation_dispose (GObject *object)
{
  NatterConversation *self = NATTER_CONVERSATION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->presets);
  g_clear_object (&self->sidecar);
  g_clear_pointer (&self->turn.rand, g_rand_free);
  g_clear_pointer (&self->sidecar_model, g_free);

  G_OBJECT_CLASS (natter_conversation_parent_class)->dispose (object);
}

static void
natter_conversation_class_init (NatterConversationClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = natter_conversation_dispose;
  _natter_conversation_tools_class_init (G_OBJECT_CLASS (klass));

  /**
   * NatterConversation::message-added:
   * @chat_id: the chat
   * @message_id: the new message
   *
   * A message was appended by a send: the user's message, then the reply
   * (still empty, streaming) as soon as its row exists.
   */
  signals[MESSAGE_ADDED] =
    g_signal_new ("message-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  /**
   * NatterConversation::swipe-started:
   * @chat_id: the chat
   * @message_id: the message that got a new swipe
   *
   * A regenerate added a new (selected, still empty) swipe to the message.
   */
  signals[SWIPE_STARTED] =
    g_signal_new ("swipe-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
}

static void
natter_conversation_init (NatterConversation *self)
{
}

NatterConversation *
natter_conversation_new (NatterChatStore *store,
                         NatterClient    *client)
{
  NatterConversation *self;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);
  g_return_val_if_fail (NATTER_IS_CLIENT (client), NULL);

  self = g_object_new (NATTER_TYPE_CONVERSATION, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  return self;
}

NatterChatStore *
natter_conversation_get_store (NatterConversation *self)
{
  g_return_val_if_fail (NATTER_IS_CONVERSATION (self), NULL);
  return self->store;
}

NatterClient *
natter_conversation_get_client (NatterConversation *self)
{
  g_return_val_if_fail (NATTER_IS_CONVERSATION (self), NULL);
  return self->client;
}

void
natter_conversation_set_sidecar (NatterConversation *self,
                                 NatterProfile      *profile,
                                 const char         *model)
{
  g_return_if_fail (NATTER_IS_CONVERSATION (self));

  g_set_object (&self->sidecar, profile);
  g_free (self->sidecar_model);
  self->sidecar_model = model != NULL && *model != '\0' ? g_strdup (model) : NULL;
}

void
_natter_conversation_hold (NatterConversation *self)
{
  self->n_background++;
}

void
_natter_conversation_release (NatterConversation *self)
{
  g_return_if_fail (self->n_background > 0);
  self->n_background--;
}

gboolean
natter_conversation_has_background_work (NatterConversation *self)
{
  g_return_val_if_fail (NATTER_IS_CONVERSATION (self), FALSE);
  return self->n_background > 0;
}

NatterProfile *
_natter_conversation_get_sidecar (NatterConversation  *self,
                                  const char         **model)
{
  if (model != NULL)
    *model = self->sidecar_model;
  return self->sidecar;
}

NatterPresetStore *
natter_conversation_get_preset_store (NatterConversation *self)
{
  g_return_val_if_fail (NATTER_IS_CONVERSATION (self), NULL);

  if (self->presets == NULL)
    self->presets = natter_preset_store_new (natter_chat_store_get_database (self->store));
  return self->presets;
}

/* ------------------------------------------------------------ assembly */

void
_natter_conversation_assembly_clear (Assembly *assembly)
{
  g_clear_pointer (&assembly->prompt, natter_prompt_free);
  g_clear_pointer (&assembly->result, natter_prompt_result_free);
  natter_gen_params_clear (&assembly->params);
  g_clear_pointer (&assembly->char_name, g_free);
  g_clear_pointer (&assembly->user_name, g_free);
  g_clear_object (&assembly->preset);
  g_clear_pointer (&assembly->dropped, g_strfreev);
  g_clear_pointer (&assembly->continue_base, g_free);
}

/* The profile's settings object, or an empty one; NULL with @error when the
 * settings are not a JSON object. */
static JsonObject *
parse_settings (NatterProfile  *profile,
                GError        **error)
{
  const char *text = natter_profile_get_settings (profile);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (text == NULL || *text == '\0')
    return json_object_new ();

  parser = json_parser_new ();
  if (!natter_json_parser_load (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      g_set_error (error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_BAD_SETTINGS,
                   _("The settings of profile “%s” are not valid JSON"),
                   natter_profile_get_name (profile));
      return NULL;
    }
  if (JSON_NODE_HOLDS_NULL (root))
    return json_object_new ();
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_BAD_SETTINGS,
                   _("The settings of profile “%s” are not a JSON object"),
                   natter_profile_get_name (profile));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* An integer setting; -1 when absent or null; FALSE when of another type. */
static gboolean
setting_int (NatterProfile  *profile,
             JsonObject     *settings,
             const char     *name,
             gint64         *value,
             GError        **error)
{
  JsonNode *node = json_object_get_member (settings, name);

  *value = -1;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) &&
      (json_node_get_value_type (node) == G_TYPE_INT64 ||
       json_node_get_value_type (node) == G_TYPE_DOUBLE))
    {
      double d = json_node_get_double (node);

      if (d >= 0 && d <= G_MAXINT32)
        {
          *value = (gint64) d;
          return TRUE;
        }
    }
  g_set_error (error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_BAD_SETTINGS,
               _("Setting “%s” of profile “%s” must be a whole number of tokens"),
               name, natter_profile_get_name (profile));
  return FALSE;
}

/* A string setting; NULL when absent or null; FALSE when of another type. */
static gboolean
setting_string (NatterProfile  *profile,
                JsonObject     *settings,
                const char     *name,
                const char    **value,
                GError        **error)
{
  JsonNode *node = json_object_get_member (settings, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *value = json_node_get_string (node);
      return TRUE;
    }
  g_set_error (error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_BAD_SETTINGS,
               _("Setting “%s” of profile “%s” must be text"),
               name, natter_profile_get_name (profile));
  return FALSE;
}

gboolean
add_lorebooks (NatterConversation  *self,
               NatterPromptBuilder *builder,
               gint64               character_id,
               gint64               chat_id,
               GError             **error)
{
  g_autoptr(GPtrArray) books = NULL;

  books = natter_chat_store_list_lorebooks (self->store, character_id, chat_id, error);
  if (books == NULL)
    return FALSE;

  for (guint i = 0; i < books->len; i++)
    {
      NatterLorebookRow *row = g_ptr_array_index (books, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) local_error = NULL;
      JsonNode *root;

      if (!natter_json_parser_load (parser, row->book_json, -1, &local_error) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
          !natter_prompt_builder_add_lorebook (builder, json_node_get_object (root), &local_error))
        {
          g_set_error (error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_BAD_LOREBOOK,
                       _("Lorebook “%s” cannot be used: %s"), row->name,
                       local_error != NULL ? local_error->message : _("not a JSON object"));
          return FALSE;
        }
    }
  return TRUE;
}

/* Reads the history backwards, a page at a time, only as far as @budget
 * tokens can reach (all of it when @budget <= 0), and hands it to @builder
 * oldest first. @before_position: -1 for the whole chat, else only the
 * messages before it. @reserved: tokens already taken by what follows the
 * history. Returns the newest message's time in @last_time (0: none);
 * @cut is TRUE when older messages were left out for the budget. The
 * newest @keep_reasoning replies carry their reasoning. */
static gboolean
add_history (NatterConversation  *self,
             NatterPromptBuilder *builder,
             gint64               chat_id,
             gint64               before_position,
             gint64               budget,
             gint64               reserved,
             gint64              *last_time,
             gboolean            *cut,
             int                  keep_reasoning,
             GError             **error)
{
  g_autoptr(GPtrArray) collected = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) with_reasoning = NULL;
  gint64 tokens = reserved;
  gboolean done = FALSE;

  *last_time = 0;
  while (!done)
    {
      g_autoptr(GPtrArray) page = NULL;

      page = natter_chat_store_page_messages (self->store, chat_id, before_position,
                                              HISTORY_PAGE, error);
      if (page == NULL)
        return FALSE;
      if (page->len < HISTORY_PAGE)
        done = TRUE;
      if (page->len == 0)
        break;

      before_position = natter_chat_message_get_position (g_ptr_array_index (page, 0));
      for (guint i = page->len; i > 0; i--)
        {
          NatterChatMessage *message = g_ptr_array_index (page, i - 1);
          const char *content = natter_chat_message_get_content (message);

          if (*last_time == 0)
            *last_time = natter_chat_message_get_created_at (message);
          if (!_natter_conversation_keeps_message (self, message))
            continue;
          g_ptr_array_add (collected, g_object_ref (message));
          tokens += natter_tokens_estimate_message (content) +
                    _natter_conversation_attachment_tokens (self, message);
          /* Older messages than this cannot fit any more. */
          if (budget > 0 && tokens >= budget)
            {
              done = TRUE;
              *cut = i > 1 || page->len == HISTORY_PAGE;
              break;
            }
        }
    }

  with_reasoning = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  /* The newest @keep_reasoning replies carry their reasoning back, before
   * their text as the model wrote it. */
  for (guint i = 0; i < collected->len && keep_reasoning > 0; i++)
    {
      NatterChatMessage *message = g_ptr_array_index (collected, i);
      const char *reasoning = natter_chat_message_get_reasoning (message);

      if (natter_chat_message_get_role (message) != NATTER_ROLE_ASSISTANT)
        continue;
      keep_reasoning--;
      if (reasoning != NULL && *reasoning != '\0')
        g_hash_table_insert (with_reasoning, message,
                             g_strdup_printf ("<think>\n%s\n</think>\n%s", reasoning,
                                              natter_chat_message_get_content (message)));
    }
  for (guint i = collected->len; i > 0; i--)
    {
      NatterChatMessage *message = g_ptr_array_index (collected, i - 1);
      const char *text = g_hash_table_lookup (with_reasoning, message);

      _natter_conversation_add_history_message (self, builder, message, text);
    }
  return TRUE;
}

/* The context length the model's metadata gives (0 when unknown). */
static gint64
model_context_length (NatterProfile  *profile,
                      NatterProvider *provider,
                      JsonObject     *settings,
                      const char     *model)
{
  g_autoptr(NatterModelInfo) info = NULL;

  if (model == NULL || *model == '\0')
    model = natter_profile_get_model (profile);
  if (model == NULL || *model == '\0')
    return 0;
  info = natter_model_settings_lookup (settings, model, provider);
  return info->context_length;
}

/* Builds the prompt and the parameters for one exchange in @chat_id.
 * @user_text (nullable) is a new user message, not stored; @before_position
 * limits the history (-1: all). */
gboolean
assemble (NatterConversation    *self,
          gint64                 chat_id,
          NatterProfile         *profile,
          const char            *user_text,
          gint64                 before_position,
          const NatterGenParams *overrides,
          const Continuation    *continuation,
          Assembly              *out,
          GError               **error)
{
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(NatterCharacterRow) character = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(NatterPromptBuilder) builder = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) last = NULL;
  g_autoptr(GPtrArray) stop = NULL;
  g_autofree char *base_url = NULL;
  NatterProvider *provider = NULL;
  const NatterDialect *dialect = NULL;
  const char *instruct_name = NULL;
  const char *context_name = NULL;
  const char *main_prompt = NULL;
  gint64 context_size, max_tokens, reserved = 0, last_time = 0;
  gboolean cut = FALSE, grouped = FALSE;

  chat = natter_chat_store_get_chat (self->store, chat_id, error);
  if (chat == NULL)
    return FALSE;

  if (!natter_client_resolve (self->client, profile, &provider, &dialect, &base_url, error))
    return FALSE;

  settings = parse_settings (profile, error);
  if (settings == NULL ||
      !setting_int (profile, settings, "context_size", &context_size, error) ||
      !setting_int (profile, settings, "max_tokens", &max_tokens, error) ||
      !setting_string (profile, settings, "instruct_template", &instruct_name, error) ||
      !setting_string (profile, settings, "context_template", &context_name, error) ||
      !setting_string (profile, settings, "main_prompt", &main_prompt, error))
    return FALSE;

  natter_gen_params_copy (&out->params, overrides);
  if (out->params.max_tokens <= 0 && max_tokens > 0)
    out->params.max_tokens = (int) max_tokens;
  builder = natter_prompt_builder_new ();
  if (!_natter_conversation_apply_preset (natter_conversation_get_preset_store (self), chat_id,
                                          natter_chat_get_character_id (chat), settings, provider,
                                          dialect, overrides, builder, &out->params, &context_size,
                                          &out->preset, &out->dropped, error))
    return FALSE;
  if (continuation != NULL)
    {
      /* Where the provider continues what it is given, the reply so far is
       * its start; so too when the preset asks to continue by prefilling
       * ("continue_prefill", for servers that continue a last assistant
       * turn); elsewhere the preset's nudge asks for more. The preset's
       * "continue_postfix" goes after the reply so far when it is prefilled. */
      if (dialect->text_completion || g_str_equal (dialect->id, "anthropic") ||
          natter_preset_get_boolean (out->preset, "continue_prefill", FALSE))
        {
          const char *postfix = natter_preset_get_string (out->preset, "continue_postfix");

          out->continue_base = g_strconcat (continuation->content, postfix != NULL ? postfix : "", NULL);
          /* Anthropic refuses a prefill that ends in white space. */
          if (g_str_equal (dialect->id, "anthropic"))
            g_strchomp (out->continue_base);
          natter_prompt_builder_set_prefill (builder, out->continue_base, !dialect->text_completion);
          before_position = continuation->position;
        }
      else
        {
          out->continue_base = g_strdup (continuation->content);
          natter_prompt_builder_set_prefill (builder, NULL, FALSE);
          natter_prompt_builder_set_nudge (builder,
                                           natter_preset_get_string (out->preset, "continue_nudge"));
        }
    }
  if (context_size <= 0)
    context_size = model_context_length (profile, provider, settings, out->params.model);
  /* A text-completion backend without a limit writes until its own
   * context is full (llama.cpp: forever), so a limit is always sent. */
  if (out->params.max_tokens <= 0 && dialect->text_completion)
    out->params.max_tokens = NATTER_TEXT_COMPLETION_MAX_TOKENS;
  if (context_size <= 0 && provider != NULL)
    context_size = natter_provider_get_context_size (provider);

  if (!_natter_conversation_prepare_turn (self, chat, user_text, before_position,
                                          continuation != NULL, out, builder, &grouped, error))
    return FALSE;
  if (!grouped && natter_chat_get_character_id (chat) != 0)
    {
      g_autoptr(GError) local_error = NULL;

      character = natter_chat_store_get_character (self->store,
                                                   natter_chat_get_character_id (chat), error);
      if (character == NULL)
        return FALSE;
      card = natter_card_new_from_json (character->card_json, &local_error);
      if (card == NULL)
        {
          g_set_error (error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_BAD_CARD,
                       _("The card of character “%s” cannot be read: %s"),
                       character->name, local_error->message);
          return FALSE;
        }
      natter_prompt_builder_set_character (builder, natter_card_get_data (card));
      out->char_name = g_strdup (natter_card_get_name (card));
      if (!add_lorebooks (self, builder, character->id, 0, error))
        return FALSE;
    }
  if (!add_lorebooks (self, builder, 0, chat_id, error) ||
      !_natter_conversation_add_global_lorebooks (self->store, builder, error))
    return FALSE;

  if (!_natter_conversation_use_persona (self->store, builder, chat_id, &out->user_name, error))
    return FALSE;
  natter_chat_note_apply (self->store, chat_id, builder);

  if (main_prompt != NULL)
    natter_prompt_builder_set_main_prompt (builder, main_prompt);

  if (dialect->text_completion)
    {
      g_autoptr(NatterInstructTemplate) instruct = NULL;
      g_autoptr(NatterContextTemplate) context = NULL;

      /* The template chosen for the connection, else the one made for
       * the model (a Llama 3 model needs Llama 3's sequences), else ChatML. */
      if (instruct_name == NULL)
        instruct_name = natter_instruct_builtin_for_model (out->params.model != NULL &&
                                                           *out->params.model != '\0'
                                                           ? out->params.model
                                                           : natter_profile_get_model (profile));
      instruct = natter_instruct_template_new_builtin (instruct_name != NULL ? instruct_name
                                                                             : "ChatML", error);
      if (instruct == NULL)
        return FALSE;
      if (context_name != NULL)
        {
          context = natter_context_template_new_builtin (context_name, error);
          if (context == NULL)
            return FALSE;
        }
      else
        {
          /* The built-in context template that goes with the instruct
           * template (its story string uses the same sequences). */
          context = natter_context_template_new_builtin (instruct->name, NULL);
        }
      natter_prompt_builder_set_templates (builder, instruct, context);
    }

  natter_prompt_builder_set_context_size (builder, context_size);
  natter_prompt_builder_set_reply_reserve (builder, MAX (out->params.max_tokens, 0));

  if (user_text != NULL && *user_text != '\0')
    reserved = natter_tokens_estimate_message (user_text);
  if (!add_history (self, builder, chat_id, before_position,
                    context_size > 0 ? context_size - MAX (out->params.max_tokens, 0) : 0,
                    reserved, &last_time, &cut,
                    natter_preset_get_reasoning_keep (out->preset), error))
    return FALSE;
  /* Older messages that do not fit: their summary goes in their place. */
  if (cut)
    {
      g_autofree char *summary = _natter_conversation_dup_summary (self, chat_id);

      natter_prompt_builder_set_summary (builder, summary);
    }
  _natter_conversation_add_user_turn (self, builder, out->user_name, user_text);

  now = g_date_time_new_now_local ();
  if (last_time > 0)
    last = g_date_time_new_from_unix_local (last_time);
  natter_prompt_builder_set_time (builder, now, last);

  out->prompt = natter_prompt_builder_build_prompt (builder, &out->result, error);
  if (out->prompt == NULL)
    return FALSE;
  out->result->dropped = g_strdupv (out->dropped);

  /* The caller's stop strings and the template's, without duplicates. */
  stop = g_ptr_array_new ();
  for (guint i = 0; out->params.stop != NULL && out->params.stop[i] != NULL; i++)
    g_ptr_array_add (stop, g_strdup (out->params.stop[i]));
  for (guint i = 0; out->result->stop != NULL && out->result->stop[i] != NULL; i++)
    {
      gboolean seen = FALSE;

      for (guint j = 0; j < stop->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (stop, j), out->result->stop[i]);
      if (!seen)
        g_ptr_array_add (stop, g_strdup (out->result->stop[i]));
    }
  g_clear_pointer (&out->params.stop, g_strfreev);
  if (stop->len > 0)
    {
      g_ptr_array_add (stop, NULL);
      out->params.stop = (GStrv) g_ptr_array_free (g_steal_pointer (&stop), FALSE);
    }
  return TRUE;
}

NatterRequest *
natter_conversation_build_request (NatterConversation     *self,
                                   gint64                  chat_id,
                                   NatterProfile          *profile,
                                   const char             *user_text,
                                   const NatterGenParams  *overrides,
                                   NatterPromptResult    **result,
                                   GError                **error)
{
  Assembly assembly = { 0 };
  NatterRequest *request;

  g_return_val_if_fail (NATTER_IS_CONVERSATION (self), NULL);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), NULL);

  if (!assemble (self, chat_id, profile, user_text, -1, overrides, NULL, &assembly, error))
    {
      assembly_clear (&assembly);
      return NULL;
    }
  _natter_conversation_add_tools (self, chat_id, profile, assembly.params.model, assembly.prompt);
  request = natter_client_build_request (self->client, profile, assembly.prompt,
                                         &assembly.params, FALSE, error);
  if (request != NULL && result != NULL)
    *result = g_steal_pointer (&assembly.result);
  assembly_clear (&assembly);
  return request;
}

/* ------------------------------------------------------------ exchange */

typedef struct
{
  NatterConversation *self;
  NatterReplyWriter  *writer;
  NatterDeltaFunc     on_delta;
  gpointer            delta_data;
  NatterRequestLog   *log;
  gulong              log_handler;
  gint64              estimated_tokens;
  gint64              reply_id;
  gint64              chat_id;
  GError             *write_error;
  GStrv               dropped;
  char               *lore;           /* the lorebook entries sent, JSON */
  char               *finish_reason;
  GString            *continued;      /* continuing: the whole reply as it grows */
  gint64              last_save;
  guint               history_sent;
  gboolean            lore_time_out;
  gboolean            got_text;
} Exchange;

static void
exchange_free (Exchange *ex)
{
  if (ex->log_handler != 0)
    g_signal_handler_disconnect (ex->log, ex->log_handler);
  g_clear_object (&ex->log);
  g_clear_object (&ex->writer);
  g_clear_error (&ex->write_error);
  g_strfreev (ex->dropped);
  g_free (ex->lore);
  g_free (ex->finish_reason);
  if (ex->continued != NULL)
    g_string_free (ex->continued, TRUE);
  g_clear_object (&ex->self);
  g_free (ex);
}

/* The client begins the request log entry: give it our estimate. */
static void
log_items_changed_cb (GListModel *model,
                      guint       position,
                      guint       removed,
                      guint       added,
                      gpointer    user_data)
{
  Exchange *ex = user_data;
  g_autoptr(NatterLogEntry) entry = NULL;

  if (position != 0 || added == 0)
    return;
  entry = g_list_model_get_item (model, 0);
  if (entry != NULL)
    {
      natter_request_log_set_estimated_input_tokens (ex->log, entry, ex->estimated_tokens);
      natter_preset_store_note_request (natter_conversation_get_preset_store (ex->self),
                                        natter_log_entry_get_id (entry), "chat",
                                        (const char * const *) ex->dropped, NULL);
      if (ex->lore_time_out)
        natter_preset_store_note_lore_time_out (natter_conversation_get_preset_store (ex->self),
                                                natter_log_entry_get_id (entry), NULL);
      _natter_conversation_note_lore (ex->self->store, natter_log_entry_get_id (entry), ex->lore);
    }
  g_signal_handler_disconnect (ex->log, ex->log_handler);
  ex->log_handler = 0;
}

static void
exchange_on_delta (const NatterDelta *delta,
                   gpointer           user_data)
{
  Exchange *ex = user_data;

  if (delta->kind == NATTER_DELTA_TEXT && delta->len > 0)
    ex->got_text = TRUE;
  if (delta->kind == NATTER_DELTA_FINISH)
    {
      g_free (ex->finish_reason);
      ex->finish_reason = _natter_conversation_normalize_finish (delta->finish_reason);
    }
  if (ex->continued != NULL)
    {
      if (delta->kind == NATTER_DELTA_TEXT && delta->len > 0)
        {
          g_string_append_len (ex->continued, delta->text, delta->len);
          /* Saved as it grows, at most four times a second. */
          if (ex->write_error == NULL && g_get_monotonic_time () - ex->last_save > 250000)
            {
              natter_chat_store_edit_message (ex->self->store, ex->reply_id, ex->continued->str,
                                              &ex->write_error);
              ex->last_save = g_get_monotonic_time ();
            }
        }
    }
  else if (ex->write_error == NULL)
    {
      if (delta->kind == NATTER_DELTA_TEXT && delta->len > 0)
        natter_reply_writer_append (ex->writer, delta->text, delta->len, &ex->write_error);
      else if (delta->kind == NATTER_DELTA_REASONING && delta->len > 0)
        natter_reply_writer_append_reasoning (ex->writer, delta->text, delta->len,
                                              &ex->write_error);
    }

  if (ex->on_delta != NULL)
    ex->on_delta (delta, ex->delta_data);
}

static void
exchange_chat_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(NatterChatResult) chat_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) finish_error = NULL;
  gint64 log_id = 0;

  chat_result = _natter_conversation_run_reply_finish (result, &log_id, &error);
  /* The exchange's cost belongs to this chat. */
  if (log_id > 0 &&
      !natter_usage_store_set_chat (natter_chat_store_get_database (ex->self->store), log_id,
                                    ex->chat_id, &finish_error))
    {
      g_warning ("Cannot tie the cost of an exchange to chat %" G_GINT64_FORMAT ": %s",
                 ex->chat_id, finish_error->message);
      g_clear_error (&finish_error);
    }

  if (ex->continued != NULL)
    {
      /* Whatever arrived is kept, also when the rest did not. */
      if (ex->write_error == NULL &&
          !natter_chat_store_edit_message (ex->self->store, ex->reply_id, ex->continued->str,
                                           &finish_error))
        ex->write_error = g_steal_pointer (&finish_error);
      if (ex->finish_reason != NULL)
        natter_preset_store_set_finish_reason (natter_conversation_get_preset_store (ex->self),
                                               ex->reply_id, ex->finish_reason, NULL);
      if (chat_result != NULL && ex->write_error == NULL)
        g_task_return_int (task, ex->reply_id);
      else
        g_task_return_error (task, error != NULL ? g_steal_pointer (&error)
                                                 : g_steal_pointer (&ex->write_error));
      return;
    }

  if (chat_result != NULL && ex->write_error == NULL)
    {
      const char *refused = NULL;

      /* An empty reply the provider refused says so. */
      if (!ex->got_text && g_strcmp0 (ex->finish_reason, "refusal") == 0)
        refused = _("The model refused to answer");
      else if (!ex->got_text && g_strcmp0 (ex->finish_reason, "content_filter") == 0)
        refused = _("The provider’s content filter stopped the reply");
      if (!natter_reply_writer_finish (ex->writer,
                                       refused ? NATTER_SWIPE_STATE_ERROR : NATTER_SWIPE_STATE_COMPLETE,
                                       refused ? NATTER_ERROR_CATEGORY_BAD_REQUEST
                                               : NATTER_ERROR_CATEGORY_NONE,
                                       refused, &finish_error))
        {
          g_task_return_error (task, g_steal_pointer (&finish_error));
          return;
        }
      if (ex->finish_reason != NULL)
        natter_preset_store_set_finish_reason (natter_conversation_get_preset_store (ex->self),
                                               ex->reply_id, ex->finish_reason, NULL);
      if (refused != NULL)
        {
          g_task_return_new_error (task, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                                   "%s", refused);
          return;
        }
      _natter_conversation_after_reply (ex->self, ex->chat_id, ex->reply_id, ex->history_sent);
      g_task_return_int (task, ex->reply_id);
      return;
    }

  if (error == NULL)
    {
      /* The reply arrived but could not be saved as it grew. */
      error = g_steal_pointer (&ex->write_error);
    }

  if (error->domain == NATTER_REQUEST_ERROR && error->code == NATTER_ERROR_CATEGORY_CANCELLED)
    natter_reply_writer_finish (ex->writer, NATTER_SWIPE_STATE_CANCELLED,
                                NATTER_ERROR_CATEGORY_CANCELLED, error->message, &finish_error);
  else
    natter_reply_writer_finish (ex->writer, NATTER_SWIPE_STATE_ERROR,
                                error->domain == NATTER_REQUEST_ERROR
                                ? (NatterErrorCategory) error->code
                                : NATTER_ERROR_CATEGORY_PROTOCOL,
                                error->message, &finish_error);
  if (finish_error != NULL)
    g_warning ("Cannot save the end of reply %" G_GINT64_FORMAT ": %s",
               ex->reply_id, finish_error->message);
  if (ex->finish_reason != NULL)  /* a refusal is an error that says why it stopped */
    natter_preset_store_set_finish_reason (natter_conversation_get_preset_store (ex->self),
                                           ex->reply_id, ex->finish_reason, NULL);
  g_task_return_error (task, g_steal_pointer (&error));
}

/* @regenerate_id: 0 to send (a new message), else the message that gets a
 * new swipe. @continuation: the reply to extend in place, nullable. */
static void
start_exchange (NatterConversation    *self,
                gint64                 chat_id,
                NatterProfile         *profile,
                const char            *user_text,
                gint64                 regenerate_id,
                gint64                 before_position,
                const NatterGenParams *overrides,
                const Continuation    *continuation,
                NatterDeltaFunc        on_delta,
                gpointer               delta_data,
                GTask                 *task)
{
  Assembly assembly = { 0 };
  g_autoptr(GError) error = NULL;
  Exchange *ex;
  const char *model;

  if (!assemble (self, chat_id, profile, user_text, before_position, overrides, continuation,
                 &assembly, &error))
    {
      assembly_clear (&assembly);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if ((user_text != NULL && *user_text != '\0') || _natter_conversation_pending_attachments (self))
    {
      gint64 user_id = _natter_conversation_append_user_message (self, chat_id, assembly.user_name,
                                                                 user_text, &error);
      if (user_id == 0)
        {
          assembly_clear (&assembly);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_signal_emit (self, signals[MESSAGE_ADDED], 0, chat_id, user_id);
    }

  model = assembly.params.model;
  if (model == NULL || *model == '\0')
    model = natter_profile_get_model (profile);

  ex = g_new0 (Exchange, 1);
  ex->self = g_object_ref (self);
  ex->on_delta = on_delta;
  ex->delta_data = delta_data;
  ex->estimated_tokens = assembly.result->input_tokens;
  ex->dropped = g_strdupv (assembly.dropped);
  ex->lore = _natter_conversation_lore_json (assembly.result->lore);
  ex->chat_id = chat_id;
  ex->history_sent = assembly.result->history_kept;
  ex->lore_time_out = assembly.result->lore_time_out;
  g_task_set_task_data (task, ex, (GDestroyNotify) exchange_free);

  if (continuation != NULL)
    {
      ex->reply_id = continuation->message_id;
      ex->continued = g_string_new (assembly.continue_base);
      ex->last_save = g_get_monotonic_time ();
    }
  else
    ex->writer = natter_chat_store_begin_reply (self->store, chat_id, model, assembly.char_name,
                                              regenerate_id, &error);
  if (continuation == NULL && ex->writer == NULL)
    {
      assembly_clear (&assembly);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (continuation == NULL)
    {
      ex->reply_id = natter_reply_writer_get_message_id (ex->writer);
      g_signal_emit (self, signals[regenerate_id != 0 ? SWIPE_STARTED : MESSAGE_ADDED], 0,
                     chat_id, ex->reply_id);
    }

  ex->log = natter_client_get_request_log (self->client);
  if (ex->log != NULL)
    {
      g_object_ref (ex->log);
      ex->log_handler = g_signal_connect (ex->log, "items-changed",
                                          G_CALLBACK (log_items_changed_cb), ex);
    }

  _natter_conversation_run_reply (self, chat_id, ex->reply_id, profile,
                                  g_steal_pointer (&assembly.prompt), &assembly.params,
                                  exchange_on_delta, ex, g_task_get_cancellable (task),
                                  exchange_chat_cb, g_object_ref (task));
  assembly_clear (&assembly);
}

void
natter_conversation_send_async (NatterConversation     *self,
                                gint64                  chat_id,
                                NatterProfile          *profile,
                                const char             *user_text,
                                const NatterGenParams  *overrides,
                                NatterDeltaFunc         on_delta,
                                gpointer                delta_data,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (NATTER_IS_CONVERSATION (self));
  g_return_if_fail (NATTER_IS_PROFILE (profile));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_conversation_send_async);
  g_task_set_check_cancellable (task, FALSE);

  start_exchange (self, chat_id, profile, user_text, 0, -1, overrides, NULL,
                  on_delta, delta_data, task);
}

static gint64
exchange_finish (NatterConversation *self,
                 GAsyncResult       *result,
                 gpointer            source_tag,
                 gint64             *reply_id,
                 GError            **error)
{
  Exchange *ex;
  gint64 id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, 0);

  ex = g_task_get_task_data (G_TASK (result));
  if (reply_id != NULL)
    *reply_id = ex != NULL ? ex->reply_id : 0;
  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
}

gint64
natter_conversation_send_finish (NatterConversation  *self,
                                 GAsyncResult        *result,
                                 gint64              *reply_id,
                                 GError             **error)
{
  return exchange_finish (self, result, natter_conversation_send_async, reply_id, error);
}

void
natter_conversation_regenerate_async (NatterConversation     *self,
                                      gint64                  chat_id,
                                      NatterProfile          *profile,
                                      const NatterGenParams  *overrides,
                                      NatterDeltaFunc         on_delta,
                                      gpointer                delta_data,
                                      GCancellable           *cancellable,
                                      GAsyncReadyCallback     callback,
                                      gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GError) error = NULL;
  NatterChatMessage *message;

  g_return_if_fail (NATTER_IS_CONVERSATION (self));
  g_return_if_fail (NATTER_IS_PROFILE (profile));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_conversation_regenerate_async);
  g_task_set_check_cancellable (task, FALSE);

  last = natter_chat_store_page_messages (self->store, chat_id, -1, 1, &error);
  if (last == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (last->len == 0 ||
      natter_chat_message_get_role (message = g_ptr_array_index (last, 0)) != NATTER_ROLE_ASSISTANT)
    {
      g_task_return_new_error (task, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_NO_REPLY,
                               _("The last message of chat %lld is not a reply that can be regenerated"),
                               (long long) chat_id);
      return;
    }

  start_exchange (self, chat_id, profile, NULL, natter_chat_message_get_id (message),
                  natter_chat_message_get_position (message), overrides, NULL,
                  on_delta, delta_data, task);
}

gint64
natter_conversation_regenerate_finish (NatterConversation  *self,
                                       GAsyncResult        *result,
                                       gint64              *reply_id,
                                       GError             **error)
{
  return exchange_finish (self, result, natter_conversation_regenerate_async, reply_id, error);
}

void
natter_conversation_continue_async (NatterConversation     *self,
                                     gint64                  chat_id,
                                     NatterProfile          *profile,
                                     const NatterGenParams  *overrides,
                                     NatterDeltaFunc         on_delta,
                                     gpointer                delta_data,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GError) error = NULL;
  NatterChatMessage *message;
  Continuation continuation;

  g_return_if_fail (NATTER_IS_CONVERSATION (self));
  g_return_if_fail (NATTER_IS_PROFILE (profile));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_conversation_continue_async);
  g_task_set_check_cancellable (task, FALSE);

  last = natter_chat_store_page_messages (self->store, chat_id, -1, 1, &error);
  if (last == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (last->len == 0 ||
      natter_chat_message_get_role (message = g_ptr_array_index (last, 0)) != NATTER_ROLE_ASSISTANT)
    {
      g_task_return_new_error (task, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_NO_REPLY,
                               _("The last message of chat %lld is not a reply that can be continued"),
                               (long long) chat_id);
      return;
    }
  continuation.message_id = natter_chat_message_get_id (message);
  continuation.position = natter_chat_message_get_position (message);
  continuation.content = natter_chat_message_get_content (message);
  if (continuation.content == NULL)
    continuation.content = "";
  start_exchange (self, chat_id, profile, NULL, 0, -1, overrides, &continuation,
                  on_delta, delta_data, task);
}

gint64
natter_conversation_continue_finish (NatterConversation  *self,
                                     GAsyncResult        *result,
                                     GError             **error)
{
  return exchange_finish (self, result, natter_conversation_continue_async, NULL, error);
}

/* ------------------------------------------------------------ new chat */

gint64
natter_conversation_new_chat (NatterConversation  *self,
                              gint64               character_id,
                              const char          *title,
                              GError             **error)
{
  g_autoptr(NatterCharacterRow) character = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(NatterPersonaRow) persona = NULL;
  g_autofree char *greeting = NULL;
  g_auto(GStrv) alternates = NULL;
  gint64 chat_id;

  g_return_val_if_fail (NATTER_IS_CONVERSATION (self), 0);

  if (character_id == 0)
    return natter_chat_store_new_chat (self->store, 0,
                                       title != NULL ? title : _("New chat"), error);

  character = natter_chat_store_get_character (self->store, character_id, error);
  if (character == NULL)
    return 0;
  {
    g_autoptr(GError) local_error = NULL;

    card = natter_card_new_from_json (character->card_json, &local_error);
    if (card == NULL)
      {
        g_set_error (error, NATTER_CONVERSATION_ERROR, NATTER_CONVERSATION_ERROR_BAD_CARD,
                     _("The card of character “%s” cannot be read: %s"),
                     character->name, local_error->message);
        return 0;
      }
  }

  persona = natter_chat_store_resolve_persona (self->store, 0, character_id, error);
  if (persona == NULL && error != NULL && *error != NULL)
    return 0;

  greeting = natter_prompt_builder_greeting (natter_card_get_data (card),
                                             persona != NULL && persona->name != NULL &&
                                             *persona->name != '\0' ? persona->name : "User",
                                             &alternates);

  chat_id = natter_chat_store_new_chat (self->store, character_id,
                                        title != NULL ? title : natter_card_get_name (card),
                                        error);
  if (chat_id == 0)
    return 0;

  if (*greeting != '\0' || (alternates != NULL && alternates[0] != NULL))
    {
      if (natter_chat_store_greet (self->store, chat_id, natter_card_get_name (card), greeting,
                                   (const char * const *) alternates, error) == 0)
        {
          /* Leave nothing half-made behind. */
          natter_chat_store_delete_chat (self->store, chat_id, NULL);
          return 0;
        }
    }
  return chat_id;
}
