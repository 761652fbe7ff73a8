/* natter-chat-session-attachments.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The pictures and files that go with the next message sent. */

#define G_LOG_DOMAIN "natter-chat-session"

#include "config.h"

#include "natter-chat-session-private.h"
#include "natter-conversation-attachments.h"

#define PENDING_KEY "natter-pending-attachments"

void
natter_chat_session_set_attachments (NatterChatSession *self,
                                     GPtrArray         *attachments)
{
  g_return_if_fail (NATTER_IS_CHAT_SESSION (self));

  if (attachments != NULL && attachments->len == 0)
    g_clear_pointer (&attachments, g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (self), PENDING_KEY, attachments,
                          (GDestroyNotify) g_ptr_array_unref);
}

gboolean
_natter_chat_session_has_attachments (NatterChatSession *self)
{
  return g_object_get_data (G_OBJECT (self), PENDING_KEY) != NULL;
}

GPtrArray *
natter_chat_session_take_attachments (NatterChatSession *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_SESSION (self), NULL);
  return g_object_steal_data (G_OBJECT (self), PENDING_KEY);
}

NatterVisionSupport
natter_chat_session_get_vision (NatterChatSession *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_SESSION (self), NATTER_VISION_UNKNOWN);

  if (self->profile == NULL || self->client == NULL)
    return NATTER_VISION_UNKNOWN;
  return natter_client_model_vision (self->client, self->profile, self->model);
}
