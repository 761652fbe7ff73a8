/* natter-conversation-attachments.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-conversation.h"

G_BEGIN_DECLS

typedef enum
{
  NATTER_VISION_UNKNOWN,  /* the model's metadata says nothing: images are sent, with a note */
  NATTER_VISION_YES,
  NATTER_VISION_NO,       /* images are not offered */
} NatterVisionSupport;

/* Whether @model (NULL: the profile's) takes images, from what is known of
 * it (the provider's model list, the catalog, the person's overrides). */
NatterVisionSupport natter_client_model_vision       (NatterClient       *client,
                                                      NatterProfile      *profile,
                                                      const char         *model);
NatterVisionSupport natter_conversation_model_vision (NatterConversation *self,
                                                      NatterProfile      *profile,
                                                      const char         *model);

/* natter_conversation_send_async() with @attachments (element-type
 * NatterAttachment, nullable) sent and stored with the new user message;
 * with attachments the message may have no text. Finish with
 * natter_conversation_send_finish(). */
void natter_conversation_send_with_attachments_async (NatterConversation     *self,
                                                      gint64                  chat_id,
                                                      NatterProfile          *profile,
                                                      const char             *user_text,
                                                      GPtrArray              *attachments,
                                                      const NatterGenParams  *overrides,
                                                      NatterDeltaFunc         on_delta,
                                                      gpointer                delta_data,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);

/* natter_conversation_build_request() with @attachments on the new user
 * message (what the inspector and `natter-cli prompt` show). */
NatterRequest *natter_conversation_build_request_with_attachments (NatterConversation     *self,
                                                                   gint64                  chat_id,
                                                                   NatterProfile          *profile,
                                                                   const char             *user_text,
                                                                   GPtrArray              *attachments,
                                                                   const NatterGenParams  *overrides,
                                                                   NatterPromptResult    **result,
                                                                   GError                **error);

G_END_DECLS
