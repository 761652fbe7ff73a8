/* natter-conversation.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-preset-store.h"
#include "natter-profile.h"
#include "natter-prompt-builder.h"

G_BEGIN_DECLS

/* Sending in a chat: the one place that turns a stored chat into a request
 * (character card, default persona, lorebooks, history within the context
 * budget, instruct template for text-completion dialects), streams the
 * reply and saves it as it grows through the chat store's reply writer.
 * Used by natter-cli and the GUI; everything runs on the thread-default
 * main context of the caller.
 *
 * Signals, for views that show the chat while a reply streams:
 *   "message-added" (gint64 chat_id, gint64 message_id): a send appended the
 *     user's message, then the (empty, streaming) reply;
 *   "swipe-started" (gint64 chat_id, gint64 message_id): a regenerate added
 *     a new selected swipe to the message.
 * The reply's text is in the store as it grows (natter_chat_store_refresh_message()).
 *
 * Profile settings used (the profile's settings JSON object, all optional):
 *   "context_size"      integer: tokens; else the catalog's for the provider;
 *                       else unlimited
 *   "max_tokens"        integer: reply length, also the reply reserve of the
 *                       context budget
 *   "instruct_template" string: built-in instruct template for
 *                       text-completion dialects (default "ChatML")
 *   "context_template"  string: built-in context (story string) template
 *                       (default: the one named like the instruct template)
 *   "main_prompt"       string: replaces the default main prompt */

#define NATTER_CONVERSATION_ERROR (natter_conversation_error_quark ())
GQuark natter_conversation_error_quark (void);

typedef enum
{
  NATTER_CONVERSATION_ERROR_NO_REPLY,      /* regenerate: the last message is not a reply */
  NATTER_CONVERSATION_ERROR_BAD_SETTINGS,  /* the profile's settings cannot be used */
  NATTER_CONVERSATION_ERROR_BAD_CARD,      /* the stored character card cannot be read */
  NATTER_CONVERSATION_ERROR_BAD_LOREBOOK,  /* an attached lorebook cannot be used */
  NATTER_CONVERSATION_ERROR_NOT_A_MEMBER,  /* group chats: no such member, or all muted */
} NatterConversationError;

#define NATTER_TYPE_CONVERSATION (natter_conversation_get_type ())
G_DECLARE_FINAL_TYPE (NatterConversation, natter_conversation, NATTER, CONVERSATION, GObject)

NatterConversation *natter_conversation_new               (NatterChatStore        *store,
                                                           NatterClient           *client);
NatterChatStore    *natter_conversation_get_store         (NatterConversation     *self);
NatterClient       *natter_conversation_get_client        (NatterConversation     *self);
/* The presets of the chat store's database: which preset applies to each
 * exchange (see natter_preset_store_resolve()). */
NatterPresetStore  *natter_conversation_get_preset_store  (NatterConversation     *self);

/* A second, cheap connection for background work: chat titles after the
 * first exchange, and summaries of messages that fall out of the context
 * budget (sent in their place, where the preset's "summary" block says).
 * Its requests are logged with purpose "sidecar-title" or
 * "sidecar-summary". @profile NULL: none; titles are then the first words
 * of the first message and nothing is summarized. @model NULL: the
 * profile's. This work runs after a send has finished. */
void                natter_conversation_set_sidecar       (NatterConversation     *self,
                                                           NatterProfile          *profile,
                                                           const char             *model);

/* TRUE while the sidecar still works on a title or a summary after a
 * reply (a send finishes before that); a program about to quit runs its
 * main context until this is FALSE. */
gboolean            natter_conversation_has_background_work (NatterConversation *self);

/* Appends @user_text as the user's message (one transaction; nothing is
 * stored when the prompt cannot be assembled), then streams the reply into
 * a new assistant message, saved as it grows. @user_text NULL or "" asks
 * for a reply without a new message. @overrides (nullable) replaces the
 * generation parameters (model, max_tokens, temperature, …; its stop
 * strings are sent along with the template's). @on_delta (nullable) sees
 * every delta as it arrives. The reply ends in state complete, or error
 * (with category and message) or cancelled, keeping the partial text; the
 * request log entry gets the estimated input tokens. */
void                natter_conversation_send_async        (NatterConversation     *self,
                                                           gint64                  chat_id,
                                                           NatterProfile          *profile,
                                                           const char             *user_text,
                                                           const NatterGenParams  *overrides,
                                                           NatterDeltaFunc         on_delta,
                                                           gpointer                delta_data,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
/* Returns the assistant message id, 0 on failure. @reply_id (nullable)
 * gets the id of the (possibly partial) reply message in every case where
 * one was created, 0 otherwise. Errors: NATTER_REQUEST_ERROR (with the
 * category), NATTER_STORE_ERROR, NATTER_CONVERSATION_ERROR, … */
gint64              natter_conversation_send_finish       (NatterConversation     *self,
                                                           GAsyncResult           *result,
                                                           gint64                 *reply_id,
                                                           GError                **error);

/* A new alternative (swipe) for the chat's last message, which must be an
 * assistant reply; selected as soon as it starts. The history sent is
 * everything before that message. */
void                natter_conversation_regenerate_async  (NatterConversation     *self,
                                                           gint64                  chat_id,
                                                           NatterProfile          *profile,
                                                           const NatterGenParams  *overrides,
                                                           NatterDeltaFunc         on_delta,
                                                           gpointer                delta_data,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gint64              natter_conversation_regenerate_finish (NatterConversation     *self,
                                                           GAsyncResult           *result,
                                                           gint64                 *reply_id,
                                                           GError                **error);

/* Extends the chat's last message, which must be an assistant reply, in
 * place: the provider continues the reply itself where it can (Anthropic,
 * text-completion backends: the reply so far is the start of the new
 * one), elsewhere the preset's continue nudge asks for more. What arrives
 * is appended to the same message, saved as it grows; its stop reason
 * replaces the old one. Returns the message id. */
void                natter_conversation_continue_async    (NatterConversation     *self,
                                                           gint64                  chat_id,
                                                           NatterProfile          *profile,
                                                           const NatterGenParams  *overrides,
                                                           NatterDeltaFunc         on_delta,
                                                           gpointer                delta_data,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gint64              natter_conversation_continue_finish   (NatterConversation     *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);

/* The exact request natter_conversation_send_async() would send (with
 * @user_text NULL: a reply to the chat as it is), auth headers redacted,
 * nothing sent or stored. @result (out, nullable) gets the prompt
 * assembly's result (token estimate, budget, history kept, lore hits). */
NatterRequest      *natter_conversation_build_request     (NatterConversation     *self,
                                                           gint64                  chat_id,
                                                           NatterProfile          *profile,
                                                           const char             *user_text,
                                                           const NatterGenParams  *overrides,
                                                           NatterPromptResult    **result,
                                                           GError                **error);

/* A new chat, with @character_id (0: none). @title NULL: the character's
 * name (or "New chat"). With a character, the chat starts with the card's
 * greeting (macros expanded for the default persona) and its alternate
 * greetings as further swipes. Nothing is left behind on failure. */
gint64              natter_conversation_new_chat          (NatterConversation     *self,
                                                           gint64                  character_id,
                                                           const char             *title,
                                                           GError                **error);

/* The preset that applies to @chat_id (0: a chat not made yet) with
 * @profile (nullable): the chat's own, its character's, the profile's
 * "preset" setting, the global default. @source (out, nullable): "chat",
 * "character", "connection" or "default". Reads the store on the caller's
 * thread (a few small rows). */
NatterPreset       *natter_conversation_resolve_preset    (NatterConversation     *self,
                                                           gint64                  chat_id,
                                                           NatterProfile          *profile,
                                                           const char            **source,
                                                           GError                **error);

G_END_DECLS
