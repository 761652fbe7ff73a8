/* natter-conversation-attachments.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Attachments on the way from the person to the prompt: the ones sent
 * with a new message, and the stored ones of the history. */

#define G_LOG_DOMAIN "natter-conversation"

#include "config.h"

#include "natter-chat-store-attachments.h"
#include "natter-conversation-attachments.h"
#include "natter-conversation-private.h"
#include "natter-json.h"
#include "natter-model-settings.h"

/* Set only while an exchange starts (synchronously): no state outlives a
 * call. */
static GQuark
pending_quark (void)
{
  return g_quark_from_static_string ("natter-conversation-pending-attachments");
}

GPtrArray *
_natter_conversation_pending_attachments (NatterConversation *self)
{
  return g_object_get_qdata (G_OBJECT (self), pending_quark ());
}

static void
set_pending (NatterConversation *self,
             GPtrArray          *attachments)
{
  g_object_set_qdata_full (G_OBJECT (self), pending_quark (),
                           attachments != NULL && attachments->len > 0
                           ? g_ptr_array_ref (attachments) : NULL,
                           (GDestroyNotify) g_ptr_array_unref);
}

gboolean
_natter_conversation_keeps_message (NatterConversation *self,
                                    NatterChatMessage  *message)
{
  const char *content = natter_chat_message_get_content (message);

  if (content != NULL && *content != '\0')
    return TRUE;
  return natter_chat_store_count_attachments (natter_conversation_get_store (self),
                                              natter_chat_message_get_id (message)) > 0;
}

/* OpenAI counts a 2048×1536 picture as 1,105 tokens at high detail,
 * Anthropic about 1,600 once it has scaled it to 1568 px. */
#define TOKENS_PER_PICTURE 1600

gint64
_natter_conversation_attachment_tokens (NatterConversation *self,
                                        NatterChatMessage  *message)
{
  NatterChatStore *store = natter_conversation_get_store (self);
  gint64 id = natter_chat_message_get_id (message);
  guint n_pictures = 0;
  gint64 text_bytes = 0;

  if (!natter_chat_store_get_attachment_sizes (store, id, &n_pictures, &text_bytes))
    return 0;
  /* About four bytes of text a token, as natter_tokens_estimate_message(). */
  return (gint64) n_pictures * TOKENS_PER_PICTURE + text_bytes / 4;
}

void
_natter_conversation_add_history_message (NatterConversation  *self,
                                          NatterPromptBuilder *builder,
                                          NatterChatMessage   *message,
                                          const char          *text)
{
  NatterChatStore *store = natter_conversation_get_store (self);
  gint64 id = natter_chat_message_get_id (message);
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;

  natter_prompt_builder_add_message (builder, natter_chat_message_get_role (message),
                                     natter_chat_message_get_name (message),
                                     text != NULL ? text : natter_chat_message_get_content (message));
  _natter_conversation_add_history_tools (self, builder, message);
  if (natter_chat_store_count_attachments (store, id) == 0)
    return;
  attachments = natter_chat_store_list_attachments (store, id, &error);
  if (attachments == NULL)
    g_warning ("The attachments of message %" G_GINT64_FORMAT " cannot be read: %s",
               id, error->message);
  else
    natter_prompt_builder_add_message_attachments (builder, attachments);
}

void
_natter_conversation_add_user_turn (NatterConversation  *self,
                                    NatterPromptBuilder *builder,
                                    const char          *user_name,
                                    const char          *user_text)
{
  GPtrArray *pending = _natter_conversation_pending_attachments (self);

  if ((user_text == NULL || *user_text == '\0') && pending == NULL)
    return;
  natter_prompt_builder_add_message (builder, NATTER_ROLE_USER, user_name, user_text);
  if (pending != NULL)
    natter_prompt_builder_add_message_attachments (builder, pending);
}

gint64
_natter_conversation_append_user_message (NatterConversation  *self,
                                          gint64               chat_id,
                                          const char          *user_name,
                                          const char          *user_text,
                                          GError             **error)
{
  return natter_chat_store_append_message_with_attachments (natter_conversation_get_store (self),
                                                            chat_id, NATTER_ROLE_USER, user_name,
                                                            user_text ? user_text : "",
                                                            _natter_conversation_pending_attachments (self),
                                                            error);
}

NatterVisionSupport
natter_conversation_model_vision (NatterConversation *self,
                                  NatterProfile      *profile,
                                  const char         *model)
{
  g_return_val_if_fail (NATTER_IS_CONVERSATION (self), NATTER_VISION_UNKNOWN);

  return natter_client_model_vision (natter_conversation_get_client (self), profile, model);
}

NatterVisionSupport
natter_client_model_vision (NatterClient  *client,
                            NatterProfile *profile,
                            const char    *model)
{
  g_autoptr(NatterModelInfo) info = NULL;
  g_autoptr(JsonNode) root = NULL;
  NatterProvider *provider = NULL;
  const NatterDialect *dialect = NULL;
  g_autofree char *base_url = NULL;
  const char *settings_text;
  JsonObject *settings = NULL;

  g_return_val_if_fail (NATTER_IS_CLIENT (client), NATTER_VISION_UNKNOWN);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), NATTER_VISION_UNKNOWN);

  if (model == NULL || *model == '\0')
    model = natter_profile_get_model (profile);
  if (model == NULL || *model == '\0')
    return NATTER_VISION_UNKNOWN;
  if (!natter_client_resolve (client, profile, &provider,
                              &dialect, &base_url, NULL))
    provider = NULL;
  settings_text = natter_profile_get_settings (profile);
  if (settings_text != NULL && *settings_text != '\0' &&
      (root = natter_json_parse (settings_text, -1, NULL)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    settings = json_node_get_object (root);

  info = natter_model_settings_lookup (settings, model, provider);
  if (!info->capabilities_known)
    return NATTER_VISION_UNKNOWN;
  return (info->capabilities & NATTER_MODEL_VISION) ? NATTER_VISION_YES : NATTER_VISION_NO;
}

void
natter_conversation_send_with_attachments_async (NatterConversation     *self,
                                                 gint64                  chat_id,
                                                 NatterProfile          *profile,
                                                 const char             *user_text,
                                                 GPtrArray              *attachments,
                                                 const NatterGenParams  *overrides,
                                                 NatterDeltaFunc         on_delta,
                                                 gpointer                delta_data,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data)
{
  g_return_if_fail (NATTER_IS_CONVERSATION (self));

  /* The exchange reads them while it starts, before this returns. */
  set_pending (self, attachments);
  natter_conversation_send_async (self, chat_id, profile, user_text, overrides, on_delta,
                                  delta_data, cancellable, callback, user_data);
  set_pending (self, NULL);
}

NatterRequest *
natter_conversation_build_request_with_attachments (NatterConversation     *self,
                                                    gint64                  chat_id,
                                                    NatterProfile          *profile,
                                                    const char             *user_text,
                                                    GPtrArray              *attachments,
                                                    const NatterGenParams  *overrides,
                                                    NatterPromptResult    **result,
                                                    GError                **error)
{
  NatterRequest *request;

  g_return_val_if_fail (NATTER_IS_CONVERSATION (self), NULL);

  set_pending (self, attachments);
  request = natter_conversation_build_request (self, chat_id, profile, user_text, overrides,
                                               result, error);
  set_pending (self, NULL);
  return request;
}
