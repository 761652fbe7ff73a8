/* natter-chat-session-group.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-session"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-chat-session-private.h"
#include "natter-conversation-group.h"

/* A group chat's turns and the person's impersonated message: the
 * chat.next-speaker ("x": a member's character id, 0: the group's order)
 * action, auto-mode after a send, and impersonation for the composer. */

guint
_natter_chat_session_auto_turns (NatterChatSession *self)
{
  g_autoptr(NatterChatGroup) group = NULL;

  if (self->chats == NULL || self->chat_id == 0)
    return 0;
  group = natter_chat_store_get_group (self->chats, self->chat_id, NULL);
  return group != NULL ? group->auto_turns : 0;
}

static void
start_turn (NatterChatSession *self,
            gint64             speaker_id)
{
  self->next_turn = TRUE;
  self->next_speaker = speaker_id;
  _natter_chat_session_start_reply (self, NULL, FALSE);
  self->next_turn = FALSE;
  self->next_speaker = 0;
}

void
natter_chat_session_next_turn (NatterChatSession *self,
                               gint64             speaker_id)
{
  g_return_if_fail (NATTER_IS_CHAT_SESSION (self));

  if (self->conversation == NULL || self->chat_id == 0)
    return;
  if (self->profile == NULL)
    {
      _natter_chat_session_toast (self, _("Add a connection to start chatting"));
      return;
    }
  /* A turn the person asks for is not followed by auto-mode turns. */
  self->auto_left = 0;
  start_turn (self, speaker_id);
}

void
_natter_chat_session_auto_turn (NatterChatSession *self)
{
  if (self->auto_left == 0 || self->profile == NULL || self->chat_id == 0)
    return;
  self->auto_left--;
  start_turn (self, 0);
}

static void
next_speaker_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  natter_chat_session_next_turn (user_data, g_variant_get_int64 (parameter));
}

/* ------------------------------------------------------------ impersonate */

static void
on_impersonated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *text;

  text = natter_conversation_impersonate_finish (NATTER_CONVERSATION (source), result, &error);
  if (text == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, text, g_free);
}

void
natter_chat_session_impersonate_async (NatterChatSession   *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  NatterGenParams params;

  g_return_if_fail (NATTER_IS_CHAT_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_chat_session_impersonate_async);
  if (self->conversation == NULL || self->chat_id == 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("Start the chat first: there is nothing to answer yet"));
      return;
    }
  if (self->profile == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("Add a connection to start chatting"));
      return;
    }
  natter_gen_params_init (&params);
  params.model = g_strdup (self->model);
  params.stream = TRUE;
  natter_conversation_impersonate_async (self->conversation, self->chat_id, self->profile, &params,
                                         NULL, NULL, cancellable, on_impersonated,
                                         g_steal_pointer (&task));
  natter_gen_params_clear (&params);
}

char *
natter_chat_session_impersonate_finish (NatterChatSession  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static const GActionEntry group_actions[] = {
  { "next-speaker", next_speaker_activated, "x" },
};

void
_natter_chat_session_group_init (NatterChatSession *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), group_actions,
                                   G_N_ELEMENTS (group_actions), self);
}
