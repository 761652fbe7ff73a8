/* natter-conversation-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-conversation.h"
#include "natter-preset-store.h"

G_BEGIN_DECLS

/* Resolves the preset for @chat_id (chat → character → the profile's
 * "preset" setting → global default) and applies it: blocks to @builder,
 * sampling and reasoning to @params in @dialect's names (what @overrides
 * set stays), its context size to @context_size when that is unset
 * (<= 0). @preset (out) gets the preset, @dropped (out) what this
 * provider is not sent. */
gboolean _natter_conversation_apply_preset (NatterPresetStore      *presets,
                                            gint64                  chat_id,
                                            gint64                  character_id,
                                            JsonObject             *settings,
                                            NatterProvider         *provider,
                                            const NatterDialect    *dialect,
                                            const NatterGenParams  *overrides,
                                            NatterPromptBuilder    *builder,
                                            NatterGenParams        *params,
                                            gint64                 *context_size,
                                            NatterPreset          **preset,
                                            GStrv                  *dropped,
                                            GError                **error);

/* A stop reason in Natter's words: "stop", "length", "refusal",
 * "content_filter", "tool_calls", or the provider's own word lowered. */
char    *_natter_conversation_normalize_finish (const char *reason);

/* natter-conversation-tools.c */
void              _natter_conversation_tools_class_init (GObjectClass          *klass);
/* Adds @message of the history to @builder as @text, with the tool calls
 * and results kept with it when it is a reply that called tools. */
void              _natter_conversation_add_history_message (NatterConversation  *self,
                                                            NatterPromptBuilder *builder,
                                                            NatterChatMessage   *message,
                                                            const char          *text);
/* Adds the tools of @chat_id's host to @prompt (what would be sent: none
 * to a model known not to call them, and then earlier replies without
 * their calls). */
void              _natter_conversation_add_tools        (NatterConversation    *self,
                                                         gint64                 chat_id,
                                                         NatterProfile         *profile,
                                                         const char            *model,
                                                         NatterPrompt          *prompt);
/* One reply through the tool loop: takes @prompt; the calls are stored with
 * @reply_id as they happen. */
void              _natter_conversation_run_reply        (NatterConversation    *self,
                                                         gint64                 chat_id,
                                                         gint64                 reply_id,
                                                         NatterProfile         *profile,
                                                         NatterPrompt          *prompt,
                                                         const NatterGenParams *params,
                                                         NatterDeltaFunc        on_delta,
                                                         gpointer               delta_data,
                                                         GCancellable          *cancellable,
                                                         GAsyncReadyCallback    callback,
                                                         gpointer               user_data);
NatterChatResult *_natter_conversation_run_reply_finish (GAsyncResult          *result,
                                                         gint64                *log_entry_id,
                                                         GError               **error);

/* The sidecar profile set with natter_conversation_set_sidecar(), or NULL;
 * @model (out, nullable) its model (NULL: the profile's). */
NatterProfile *_natter_conversation_get_sidecar    (NatterConversation *self,
                                                    const char        **model);
/* The chat's stored summary of older messages, or NULL. */
char          *_natter_conversation_dup_summary    (NatterConversation *self,
                                                    gint64              chat_id);
/* After a saved reply, in the background: a title after the first
 * exchange, a summary of the messages the prompt no longer reached
 * (@history_sent messages before the reply were sent). Failures are only
 * logged; natter_conversation_has_background_work() is TRUE meanwhile. */
void           _natter_conversation_after_reply    (NatterConversation *self,
                                                    gint64              chat_id,
                                                    gint64              reply_id,
                                                    guint               history_sent);
void           _natter_conversation_hold           (NatterConversation *self);
void           _natter_conversation_release        (NatterConversation *self);

G_END_DECLS
