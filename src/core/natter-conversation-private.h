/* natter-conversation-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-conversation.h"
#include "natter-preset-store.h"
#include "natter-chat-store-editing.h"
#include "natter-prompt-builder.h"

G_BEGIN_DECLS

/* What one exchange needs, made by _natter_conversation_assemble(). */
typedef struct
{
  NatterPrompt       *prompt;
  NatterPromptResult *result;
  NatterGenParams     params;
  char               *char_name;    /* nullable */
  char               *user_name;
  NatterPreset       *preset;
  GStrv               dropped;
  char               *continue_base; /* continuing: what the reply already says, nullable */
} Assembly;

/* Continuing @message: the reply is extended in place. */
typedef struct
{
  gint64      message_id;
  gint64      position;
  const char *content;
} Continuation;

/* What the next assembly is for, set just before a send, regenerate or
 * impersonation starts (assembly is synchronous) and reset after it. */
typedef struct
{
  gint64    speaker_id;   /* group chats: this member speaks (0: by the group's order) */
  gboolean  impersonate;  /* the person's next message, not a reply */
  GRand    *rand;         /* natural order's draw; NULL: a random one */
} NatterTurn;

NatterTurn *_natter_conversation_get_turn      (NatterConversation *self);
void        _natter_conversation_assembly_clear (Assembly          *assembly);
/* Builds the prompt and the parameters for one exchange in @chat_id.
 * @user_text (nullable) is a new user message, not stored; @before_position
 * limits the history (-1: all). */
gboolean    _natter_conversation_assemble      (NatterConversation    *self,
                                                gint64                 chat_id,
                                                NatterProfile         *profile,
                                                const char            *user_text,
                                                gint64                 before_position,
                                                const NatterGenParams *overrides,
                                                const Continuation    *continuation,
                                                Assembly              *out,
                                                GError               **error);
gboolean    _natter_conversation_add_lorebooks (NatterConversation  *self,
                                                NatterPromptBuilder *builder,
                                                gint64               character_id,
                                                gint64               chat_id,
                                                GError             **error);
/* natter-conversation-group.c: the cards of a group chat's turn (the
 * speaker's, or every member's joined), its lorebooks and the group nudge,
 * or the impersonation nudge; @grouped is TRUE when the chat is a group
 * chat (its cards are then set). */
gboolean    _natter_conversation_prepare_turn  (NatterConversation  *self,
                                                NatterChat          *chat,
                                                const char          *user_text,
                                                gint64               before_position,
                                                gboolean             continuing,
                                                Assembly            *out,
                                                NatterPromptBuilder *builder,
                                                gboolean            *grouped,
                                                GError             **error);

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
/* Gives the history message just added to @builder for @message the tool
 * calls and results kept with it, when it is a reply that called tools. */
void              _natter_conversation_add_history_tools (NatterConversation  *self,
                                                          NatterPromptBuilder *builder,
                                                          NatterChatMessage   *message);
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

/* natter-conversation-context.c: the lorebooks every chat uses; who the
 * user is in @chat_id (its persona, else "User", into @user_name) with the
 * description where the persona's position asks. */
gboolean    _natter_conversation_add_global_lorebooks (NatterChatStore     *store,
                                                       NatterPromptBuilder *builder,
                                                       GError             **error);
gboolean    _natter_conversation_use_persona          (NatterChatStore     *store,
                                                       NatterPromptBuilder *builder,
                                                       gint64               chat_id,
                                                       char               **user_name,
                                                       GError             **error);
/* The activated entries (NatterLoreEntry) as the Request Inspector's JSON
 * note, and that note saved for request @log_id. */
char       *_natter_conversation_lore_json            (GPtrArray           *lore);
void        _natter_conversation_note_lore            (NatterChatStore     *store,
                                                       gint64               log_id,
                                                       const char          *lore_json);
/* Attachments (natter-conversation-attachments.c). What the next exchange
 * sends with the person's message (set by
 * natter_conversation_send_with_attachments_async()), or NULL. */
GPtrArray     *_natter_conversation_pending_attachments (NatterConversation  *self);
/* FALSE for a history message with neither text nor attachments. */
gboolean       _natter_conversation_keeps_message       (NatterConversation  *self,
                                                         NatterChatMessage   *message);
/* Adds @message (its text, or @text when not NULL) with its stored
 * attachments to @builder. */
void           _natter_conversation_add_history_message (NatterConversation  *self,
                                                         NatterPromptBuilder *builder,
                                                         NatterChatMessage   *message,
                                                         const char          *text);
/* What @message's attachments add to the prompt, in tokens (estimated:
 * a picture as a provider counts one of 2048 px, a file by its text). */
gint64         _natter_conversation_attachment_tokens   (NatterConversation  *self,
                                                         NatterChatMessage   *message);
/* The new user message, when there is text or a pending attachment. */
void           _natter_conversation_add_user_turn       (NatterConversation  *self,
                                                         NatterPromptBuilder *builder,
                                                         const char          *user_name,
                                                         const char          *user_text);
/* Stores the user message with the pending attachments; 0 on error. */
gint64         _natter_conversation_append_user_message (NatterConversation  *self,
                                                         gint64               chat_id,
                                                         const char          *user_name,
                                                         const char          *user_text,
                                                         GError             **error);

G_END_DECLS
