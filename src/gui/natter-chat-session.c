/* natter-chat-session.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-chat-session-private.h"
#include "natter-conversation-group.h"
#include "natter-conversation-attachments.h"

/* Sending goes through the conversation engine, the one place that turns
 * a stored chat into a request (character, persona, lorebooks, context
 * budget, instruct templates, macros) and saves the reply as it grows. Its
 * signals say which rows it adds; the deltas go to the reply's item, which
 * the chat view shows once per frame while the chat is shown. */

G_DEFINE_FINAL_TYPE (NatterChatSession, natter_chat_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CHAT_ID,
  PROP_STREAMING_ITEM,
  N_PROPS
};

enum {
  SIGNAL_TOAST,
  SIGNAL_TEXT_RETURNED,
  SIGNAL_REVEAL,
  SIGNAL_OPEN_CHAT,
  SIGNAL_REPLY_ENDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];


void
_natter_chat_session_toast (NatterChatSession *self,
       const char        *title)
{
  g_autoptr(AdwToast) t = g_object_ref_sink (adw_toast_new (title));

  g_signal_emit (self, signals[SIGNAL_TOAST], 0, t);
}

void
_natter_chat_session_emit_toast (NatterChatSession *self,
                                 AdwToast          *t)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, t);
}

void
_natter_chat_session_emit_open_chat (NatterChatSession *self,
                                     gint64             chat_id,
                                     gboolean           reply)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_CHAT], 0, chat_id, reply);
}

void
natter_chat_session_add_note (NatterChatSession *self,
                              const char        *text)
{
  g_autoptr(NatterMessageItem) note = NULL;

  g_return_if_fail (NATTER_IS_CHAT_SESSION (self));

  note = natter_message_item_new (NATTER_MESSAGE_KIND_NOTE, text);
  natter_message_model_append (self->messages, note);
  g_signal_emit (self, signals[SIGNAL_REVEAL], 0);
}

static void
update_actions (NatterChatSession *self)
{
  GAction *stop = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "stop");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (stop), self->reply != NULL);
}

static void
set_chat_id (NatterChatSession *self,
             gint64             chat_id)
{
  if (self->chat_id == chat_id)
    return;
  self->chat_id = chat_id;
  _natter_chat_session_setup_tools (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHAT_ID]);
}

/* Messages */

NatterMessageItem *
_natter_chat_session_find_item (NatterChatSession *self,
           gint64             message_id,
           guint             *position)
{
  GListModel *model = G_LIST_MODEL (self->messages);
  guint n = g_list_model_get_n_items (model);
  gint64 index;

  if (message_id == 0)
    return NULL;

  /* The store knows where a stored message stands: no page between the
   * end and it is read. */
  if (self->chats != NULL && self->chat_id != 0 &&
      (index = natter_chat_store_message_index (self->chats, message_id, NULL)) >= 0 &&
      index < n)
    {
      g_autoptr(NatterMessageItem) item = g_list_model_get_item (model, index);

      if (natter_message_item_get_id (item) == message_id)
        {
          if (position != NULL)
            *position = index;
          return g_steal_pointer (&item);
        }
    }

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(NatterMessageItem) item = g_list_model_get_item (model, i - 1);

      if (natter_message_item_get_id (item) == message_id)
        {
          if (position != NULL)
            *position = i - 1;
          return g_steal_pointer (&item);
        }
    }
  return NULL;
}

void
_natter_chat_session_reload_item (NatterChatSession *self,
             NatterMessageItem *item)
{
  g_autoptr(NatterChatMessage) message = NULL;
  g_autoptr(NatterMessageItem) fresh = NULL;

  if (self->chats == NULL || natter_message_item_get_id (item) == 0)
    return;
  message = natter_chat_store_get_message (self->chats, natter_message_item_get_id (item), NULL);
  if (message == NULL)
    return;

  fresh = natter_message_item_new_from_message (message);
  if (g_strcmp0 (natter_message_item_get_text (item), natter_message_item_get_text (fresh)) != 0)
    natter_message_item_set_text (item, natter_message_item_get_text (fresh));
  if (g_strcmp0 (natter_message_item_get_reasoning (item), natter_message_item_get_reasoning (fresh)) != 0)
    natter_message_item_set_reasoning (item, natter_message_item_get_reasoning (fresh));
  natter_message_item_set_swipes (item, natter_message_item_get_swipe_index (fresh),
                                  natter_message_item_get_n_swipes (fresh));
  natter_message_item_set_error (item, natter_message_item_get_error_category (fresh),
                                 natter_message_item_get_error_message (fresh));
  _natter_chat_session_reload_tool_events (self, item);
}

/* The last message that is part of the chat (notes are not). */
static NatterMessageItem *
last_chat_item (NatterChatSession *self)
{
  GListModel *model = G_LIST_MODEL (self->messages);

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(NatterMessageItem) it = g_list_model_get_item (model, i - 1);

      if (natter_message_item_get_kind (it) != NATTER_MESSAGE_KIND_NOTE)
        return g_steal_pointer (&it);
    }
  return NULL;
}

/* The last message from the person, which "Save and regenerate" may
 * follow with a new reply. */
gboolean
_natter_chat_session_is_last_user_message (NatterChatSession *self,
                      NatterMessageItem *item)
{
  GListModel *model = G_LIST_MODEL (self->messages);

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(NatterMessageItem) it = g_list_model_get_item (model, i - 1);

      if (natter_message_item_get_kind (it) == NATTER_MESSAGE_KIND_USER)
        return it == item;
    }
  return FALSE;
}

void
natter_chat_session_reload (NatterChatSession *self)
{
  g_return_if_fail (NATTER_IS_CHAT_SESSION (self));

  if (self->chats == NULL || self->chat_id == 0)
    return;
  natter_chat_session_commit_pending (self);
  natter_message_model_set_chat (self->messages, self->chats, self->chat_id);
  g_signal_emit (self, signals[SIGNAL_REVEAL], 0);
}

/* Another process (or another part of Natter) changed this chat's
 * messages: the same count keeps the rows and refreshes the last ones,
 * anything else reads the chat again. */
static void
on_messages_changed (NatterChatSession *self,
                     gint64             chat_id,
                     NatterChatStore   *store)
{
  GListModel *model = G_LIST_MODEL (self->messages);
  guint n = g_list_model_get_n_items (model);
  guint first = n > NATTER_MESSAGE_MODEL_PAGE_SIZE ? n - NATTER_MESSAGE_MODEL_PAGE_SIZE : 0;
  guint n_stored = n;
  gint64 count;

  /* 0: some chat, changed by another process. */
  if ((chat_id != 0 && chat_id != self->chat_id) || self->chat_id == 0 || self->reply != NULL ||
      self->own_changes > 0 || self->pending_item != NULL)
    return;

  /* Notes (never stored) come after the chat's messages. */
  for (guint i = first; i < n; i++)
    {
      g_autoptr(NatterMessageItem) it = g_list_model_get_item (model, i);

      if (natter_message_item_get_kind (it) == NATTER_MESSAGE_KIND_NOTE)
        n_stored--;
    }
  count = natter_chat_store_count_messages (store, self->chat_id, NULL);

  if (count != (gint64) n_stored)
    {
      natter_chat_session_reload (self);
      return;
    }
  for (guint i = first; i < n; i++)
    {
      g_autoptr(NatterMessageItem) it = g_list_model_get_item (model, i);

      _natter_chat_session_reload_item (self, it);
    }
}

/* Streaming replies */

static void
reply_free (Reply *reply)
{
  if (reply->session != NULL)
    g_object_remove_weak_pointer (G_OBJECT (reply->session), (gpointer *)&reply->session);
  g_clear_object (&reply->item);
  g_clear_object (&reply->cancellable);
  g_free (reply->user_text);
  g_free (reply);
}

static void
on_delta (const NatterDelta *delta,
          gpointer           user_data)
{
  Reply *reply = user_data;

  /* Buffered: the chat view shows it at the next frame (or when the chat
   * is shown again). The conversation saves it; errors arrive with the
   * end of the request. */
  if (reply->item != NULL &&
      (delta->kind == NATTER_DELTA_TEXT || delta->kind == NATTER_DELTA_REASONING))
    natter_message_item_append (reply->item, delta->kind == NATTER_DELTA_REASONING,
                                delta->text, delta->len);
}

static void
begin_reply_stream (NatterChatSession *self,
                    NatterMessageItem *item)
{
  g_set_object (&self->reply->item, item);
  natter_message_item_set_error (item, NATTER_ERROR_CATEGORY_NONE, NULL);
  natter_message_item_set_streaming (item, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STREAMING_ITEM]);
  g_signal_emit (self, signals[SIGNAL_REVEAL], 0);
}

/* The conversation appended the person's message, then the empty reply. */
static void
on_conversation_message_added (NatterChatSession  *self,
                               gint64              chat_id,
                               gint64              message_id,
                               NatterConversation *conversation)
{
  g_autoptr(NatterChatMessage) message = NULL;
  g_autoptr(NatterMessageItem) item = NULL;
  g_autoptr(GError) error = NULL;

  if (self->reply == NULL || self->reply->chat_id != chat_id || self->chat_id != chat_id)
    return;

  message = natter_chat_store_get_message (self->chats, message_id, &error);
  if (message == NULL)
    {
      g_warning ("Cannot show message %" G_GINT64_FORMAT ": %s", message_id, error->message);
      return;
    }
  item = natter_message_item_new_from_message (message);
  natter_message_model_append (self->messages, item);

  if (natter_chat_message_get_role (message) == NATTER_ROLE_USER)
    {
      self->reply->user_id = message_id;
      g_signal_emit (self, signals[SIGNAL_REVEAL], 0);
    }
  else
    begin_reply_stream (self, item);
}

/* A regenerate added a new, selected, empty swipe to the last reply. */
static void
on_conversation_swipe_started (NatterChatSession  *self,
                               gint64              chat_id,
                               gint64              message_id,
                               NatterConversation *conversation)
{
  g_autoptr(NatterMessageItem) item = NULL;

  if (self->reply == NULL || self->reply->chat_id != chat_id || self->chat_id != chat_id)
    return;
  item = _natter_chat_session_find_item (self, message_id, NULL);
  if (item == NULL)
    return;
  natter_message_item_set_text (item, "");
  natter_message_item_set_reasoning (item, "");
  _natter_chat_session_reload_item (self, item);
  begin_reply_stream (self, item);
}

static void
end_reply (NatterChatSession *self)
{
  self->reply = NULL;
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STREAMING_ITEM]);
}

static void
on_reply_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  NatterConversation *conversation = NATTER_CONVERSATION (source);
  Reply *reply = user_data;
  NatterChatSession *self = reply->session;
  g_autoptr(GError) error = NULL;
  gint64 reply_id = 0;

  if (reply->continuing)
    reply_id = natter_conversation_continue_finish (conversation, result, &error);
  else if (reply->regenerate)
    natter_conversation_regenerate_finish (conversation, result, &reply_id, &error);
  else
    natter_conversation_send_finish (conversation, result, &reply_id, &error);

  if (reply->item != NULL)
    {
      natter_message_item_flush (reply->item);
      natter_message_item_set_streaming (reply->item, FALSE);
      if (error != NULL)
        {
          /* A reply the person stopped is kept as it is, marked stopped
           * (not an error); a failure is said inline on the reply, which
           * keeps what arrived. */
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
              g_error_matches (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED) ||
              g_cancellable_is_cancelled (reply->cancellable))
            natter_message_item_set_error (reply->item, NATTER_ERROR_CATEGORY_CANCELLED, NULL);
          else
            natter_message_item_set_error (reply->item,
                                           error->domain == NATTER_REQUEST_ERROR
                                           ? (NatterErrorCategory) error->code
                                           : NATTER_ERROR_CATEGORY_PROTOCOL,
                                           error->message);
        }
    }
  else if (error != NULL && self != NULL && self->reply == reply &&
           !g_cancellable_is_cancelled (reply->cancellable))
    {
      /* No reply was started: the prompt could not be assembled (nothing
       * stored) or the reply could not be saved. Say why and give the
       * text back. */
      _natter_chat_session_toast (self, error->message);
      if (!reply->regenerate && reply->user_id == 0 && reply->user_text != NULL &&
          *reply->user_text != '\0')
        g_signal_emit (self, signals[SIGNAL_TEXT_RETURNED], 0, reply->user_text);
      if (reply->new_chat && reply->user_id == 0 && self->chat_id == reply->chat_id &&
          self->chats != NULL)
        {
          /* Leave no empty chat behind for a send that never happened. */
          natter_chat_store_delete_chat (self->chats, reply->chat_id, NULL);
          natter_message_model_clear (self->messages);
          set_chat_id (self, 0);
        }
    }

  /* A reply cut at the token limit says so, with a way on. */
  if (self != NULL && error == NULL && reply_id != 0 && self->conversation != NULL)
    {
      g_autofree char *reason = natter_preset_store_dup_finish_reason (
        natter_conversation_get_preset_store (conversation), reply_id);

      if (g_strcmp0 (reason, "length") == 0)
        {
          AdwToast *cut = adw_toast_new (_("The reply stopped at the token limit"));

          adw_toast_set_button_label (cut, _("_Continue"));
          adw_toast_set_action_name (cut, "win.continue");
          adw_toast_set_timeout (cut, 10);
          _natter_chat_session_emit_toast (self, cut);
        }
    }

  /* A reply that finished or failed (not one the person stopped). */
  if (self != NULL && !g_cancellable_is_cancelled (reply->cancellable) &&
      (error == NULL ? reply_id != 0
                     : !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    g_signal_emit (self, signals[SIGNAL_REPLY_ENDED], 0, reply->chat_id, reply_id,
                   error != NULL ? error->message : NULL);

  /* Whoever watches the end may drop the last reference to the session
   * (the window forgets a chat that finished in the background). */
  if (self != NULL && self->reply == reply)
    {
      gboolean go_on = error == NULL && reply_id != 0 && !reply->regenerate && !reply->continuing;

      g_object_ref (self);
      end_reply (self);
      reply_free (reply);
      if (go_on)
        _natter_chat_session_auto_turn (self);
      g_object_unref (self);
      return;
    }

  reply_free (reply);
}

/* Starts a send (@text) or a regenerate of the last reply (@text NULL). */
void
_natter_chat_session_start_reply (NatterChatSession *self,
             const char        *text,
             gboolean           new_chat)
{
  NatterGenParams params;
  Reply *reply;

  if (self->profile == NULL || self->conversation == NULL || self->chat_id == 0)
    return;

  natter_chat_session_stop (self);
  natter_chat_session_commit_pending (self);
  _natter_chat_session_setup_tools (self);  /* the chat's servers may have changed */

  reply = g_new0 (Reply, 1);
  reply->session = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *)&reply->session);
  reply->chat_id = self->chat_id;
  reply->regenerate = text == NULL && !self->next_turn;
  reply->new_chat = new_chat;
  reply->user_text = g_strdup (text);
  reply->cancellable = g_cancellable_new ();

  self->reply = reply;
  update_actions (self);

  /* The model chosen in the header bar wins over the profile's. */
  natter_gen_params_init (&params);
  params.model = g_strdup (self->model);
  params.stream = TRUE;
  if (text != NULL)
    self->auto_left = _natter_chat_session_auto_turns (self);
  if (self->next_turn)
    natter_conversation_next_async (self->conversation, self->chat_id, self->profile,
                                    self->next_speaker, &params, on_delta, reply,
                                    reply->cancellable, on_reply_done, reply);
  else if (text != NULL)
    {
      g_autoptr(GPtrArray) attachments = natter_chat_session_take_attachments (self);

      natter_conversation_send_with_attachments_async (self->conversation, self->chat_id, self->profile,
                                                       text, attachments, &params, on_delta, reply,
                                                       reply->cancellable, on_reply_done, reply);
    }
  else
    natter_conversation_regenerate_async (self->conversation, self->chat_id, self->profile, &params,
                                          on_delta, reply, reply->cancellable,
                                          on_reply_done, reply);
  natter_gen_params_clear (&params);
}

/* A profile that cannot be used (no model, no server address, …) is said
 * as it is in a note, not as if the provider had answered. */
static gboolean
check_profile (NatterChatSession *self)
{
  g_autoptr(GError) error = NULL;

  if (self->profile == NULL)
    {
      _natter_chat_session_toast (self, _("Add a connection to start chatting"));
      return FALSE;
    }
  if (!natter_client_check_profile (self->client, self->profile, self->model, &error))
    {
      natter_chat_session_add_note (self, error->message);
      return FALSE;
    }
  return TRUE;
}

/* Regenerate, retry and "next alternative" past the last one: a new swipe
 * of @item, which must be the chat's last stored message. */
void
_natter_chat_session_regenerate_reply (NatterChatSession *self,
                  NatterMessageItem *item)
{
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GError) error = NULL;

  if (self->chats == NULL || self->chat_id == 0 || natter_message_item_get_id (item) == 0)
    return;
  natter_chat_session_commit_pending (self);
  last = natter_chat_store_page_messages (self->chats, self->chat_id, -1, 1, &error);
  if (last == NULL)
    {
      _natter_chat_session_toast (self, error->message);
      return;
    }
  if (last->len == 0 ||
      natter_chat_message_get_id (g_ptr_array_index (last, 0)) != natter_message_item_get_id (item))
    {
      _natter_chat_session_toast (self, _("Only the last reply can be regenerated"));
      return;
    }
  if (!check_profile (self))
    return;
  _natter_chat_session_start_reply (self, NULL, FALSE);
}

static gboolean
ensure_chat (NatterChatSession *self,
             const char        *first_text,
             gboolean          *created)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const char *end;
  gint64 id;

  *created = FALSE;
  if (self->conversation == NULL)
    {
      _natter_chat_session_toast (self, _("The chat database is not open, so nothing can be sent"));
      return FALSE;
    }
  if (self->chat_id != 0)
    return TRUE;

  /* The first words of the first message name the chat. */
  title = g_strstrip (g_strdup (first_text));
  end = g_utf8_offset_to_pointer (title, MIN (g_utf8_strlen (title, -1), 48));
  title[end - title] = '\0';
  if (strchr (title, '\n'))
    *strchr (title, '\n') = '\0';

  id = natter_conversation_new_chat (self->conversation, 0, title, &error);
  if (id <= 0)
    {
      _natter_chat_session_toast (self, error->message);
      return FALSE;
    }
  /* Notes shown before the chat existed stay; the rest comes from the
   * conversation's signals. */
  set_chat_id (self, id);
  *created = TRUE;
  return TRUE;
}

static void
send_text (NatterChatSession *self,
           const char        *text)
{
  gboolean created;

  if (*text == '\0' && !_natter_chat_session_has_attachments (self))
    {
      g_autoptr(NatterMessageItem) last = NULL;

      /* Nothing typed: a reply to the person's own last message. */
      natter_chat_session_commit_pending (self);
      last = last_chat_item (self);
      if (self->chat_id == 0 || last == NULL || self->reply != NULL ||
          natter_message_item_get_kind (last) != NATTER_MESSAGE_KIND_USER)
        return;
      if (!check_profile (self))
        return;
      _natter_chat_session_start_reply (self, "", FALSE);
      return;
    }

  /* Nothing is sent or stored then, and the text goes back. */
  if (!check_profile (self))
    {
      g_signal_emit (self, signals[SIGNAL_TEXT_RETURNED], 0, text);
      return;
    }
  natter_chat_session_stop (self);
  if (!ensure_chat (self, text, &created))
    {
      g_signal_emit (self, signals[SIGNAL_TEXT_RETURNED], 0, text);
      return;
    }
  _natter_chat_session_start_reply (self, text, created);
}

void
natter_chat_session_stop (NatterChatSession *self)
{
  Reply *reply;

  g_return_if_fail (NATTER_IS_CHAT_SESSION (self));

  if (self->reply == NULL)
    return;

  /* The view keeps what arrived and says it stopped right away; the store
   * gets the cancelled state when the request unwinds. */
  reply = self->reply;
  g_cancellable_cancel (reply->cancellable);
  if (reply->item != NULL)
    {
      natter_message_item_flush (reply->item);
      natter_message_item_set_streaming (reply->item, FALSE);
      natter_message_item_set_error (reply->item, NATTER_ERROR_CATEGORY_CANCELLED, NULL);
    }
  end_reply (self);
}

/* Actions */

static void
send_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  send_text (user_data, g_variant_get_string (parameter, NULL));
}

static void
stop_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  natter_chat_session_stop (user_data);
}

NatterMessageItem *
_natter_chat_session_item_for (NatterChatSession *self,
          GVariant          *parameter,
          guint             *position)
{
  NatterMessageItem *item = _natter_chat_session_find_item (self, g_variant_get_int64 (parameter), position);

  if (item == NULL)
    _natter_chat_session_toast (self, _("The message is no longer in this chat"));
  return item;
}

static void
regenerate_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  g_autoptr(NatterMessageItem) item = _natter_chat_session_item_for (user_data, parameter, NULL);

  if (item != NULL)
    _natter_chat_session_regenerate_reply (user_data, item);
}

/* Continue: @item, the chat's last stored message and a reply, grows in
 * place. */
static gboolean
continue_reply (NatterChatSession *self,
                NatterMessageItem *item)
{
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GError) error = NULL;
  NatterGenParams params;
  Reply *reply;

  if (self->chats == NULL || self->conversation == NULL || self->chat_id == 0 ||
      natter_message_item_get_id (item) == 0)
    return FALSE;
  natter_chat_session_commit_pending (self);
  last = natter_chat_store_page_messages (self->chats, self->chat_id, -1, 1, &error);
  if (last == NULL)
    {
      _natter_chat_session_toast (self, error->message);
      return FALSE;
    }
  if (last->len == 0 ||
      natter_chat_message_get_id (g_ptr_array_index (last, 0)) != natter_message_item_get_id (item) ||
      natter_chat_message_get_role (g_ptr_array_index (last, 0)) != NATTER_ROLE_ASSISTANT)
    {
      _natter_chat_session_toast (self, _("Only the last reply can be continued"));
      return FALSE;
    }
  if (!check_profile (self))
    return FALSE;

  natter_chat_session_stop (self);
  reply = g_new0 (Reply, 1);
  reply->session = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *)&reply->session);
  reply->chat_id = self->chat_id;
  reply->continuing = TRUE;
  reply->regenerate = TRUE;
  reply->cancellable = g_cancellable_new ();
  self->reply = reply;
  update_actions (self);
  natter_message_item_set_error (item, NATTER_ERROR_CATEGORY_NONE, NULL);
  begin_reply_stream (self, item);

  natter_gen_params_init (&params);
  params.model = g_strdup (self->model);
  params.stream = TRUE;
  natter_conversation_continue_async (self->conversation, self->chat_id, self->profile, &params,
                                      on_delta, reply, reply->cancellable, on_reply_done, reply);
  natter_gen_params_clear (&params);
  return TRUE;
}

gboolean
natter_chat_session_continue_last (NatterChatSession *self)
{
  GListModel *model;

  g_return_val_if_fail (NATTER_IS_CHAT_SESSION (self), FALSE);

  model = G_LIST_MODEL (self->messages);
  /* The last message, past the notes of earlier commands. */
  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(NatterMessageItem) item = g_list_model_get_item (model, i - 1);

      if (natter_message_item_get_kind (item) == NATTER_MESSAGE_KIND_NOTE)
        continue;
      if (natter_message_item_get_kind (item) != NATTER_MESSAGE_KIND_ASSISTANT)
        break;
      return continue_reply (self, item);
    }
  return FALSE;
}

static void
continue_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  g_autoptr(NatterMessageItem) item = _natter_chat_session_item_for (user_data, parameter, NULL);

  if (item != NULL)
    continue_reply (user_data, item);
}

static const GActionEntry chat_actions[] = {
  { "send", send_activated, "s" },
  { "stop", stop_activated },
  { "regenerate", regenerate_activated, "x" },
  { "continue", continue_activated, "x" },
  { "swipe-next", _natter_chat_session_swipe_activated, "x" },
  { "swipe-previous", _natter_chat_session_swipe_activated, "x" },
  { "branch", _natter_chat_session_branch_activated, "x" },
  { "delete-message", _natter_chat_session_delete_activated, "x" },
  { "edit-message", _natter_chat_session_edit_activated, "(xsb)" },
  { "copy-message", _natter_chat_session_copy_activated, "x" },
};

/* GObject */

static void
natter_chat_session_dispose (GObject *object)
{
  NatterChatSession *self = NATTER_CHAT_SESSION (object);

  if (self->reply != NULL)
    natter_chat_session_stop (self);
  natter_chat_session_commit_pending (self);
  g_clear_object (&self->messages);
  g_clear_object (&self->actions);
  g_clear_object (&self->chats);
  g_clear_object (&self->conversation);
  g_clear_object (&self->client);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (natter_chat_session_parent_class)->dispose (object);
}

static void
natter_chat_session_finalize (GObject *object)
{
  NatterChatSession *self = NATTER_CHAT_SESSION (object);

  g_free (self->model);

  G_OBJECT_CLASS (natter_chat_session_parent_class)->finalize (object);
}

static void
natter_chat_session_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  NatterChatSession *self = NATTER_CHAT_SESSION (object);

  switch (prop_id)
    {
    case PROP_CHAT_ID:
      g_value_set_int64 (value, self->chat_id);
      break;
    case PROP_STREAMING_ITEM:
      g_value_set_object (value, natter_chat_session_get_streaming_item (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_chat_session_class_init (NatterChatSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = natter_chat_session_dispose;
  object_class->finalize = natter_chat_session_finalize;
  object_class->get_property = natter_chat_session_get_property;

  properties[PROP_CHAT_ID] =
    g_param_spec_int64 ("chat-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STREAMING_ITEM] =
    g_param_spec_object ("streaming-item", NULL, NULL, NATTER_TYPE_MESSAGE_ITEM,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ADW_TYPE_TOAST);
  signals[SIGNAL_TEXT_RETURNED] =
    g_signal_new ("text-returned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_REVEAL] =
    g_signal_new ("reveal", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_OPEN_CHAT] =
    g_signal_new ("open-chat", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);
  signals[SIGNAL_REPLY_ENDED] =
    g_signal_new ("reply-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING);
}

static void
natter_chat_session_init (NatterChatSession *self)
{
  self->messages = natter_message_model_new ();
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), chat_actions,
                                   G_N_ELEMENTS (chat_actions), self);
  _natter_chat_session_group_init (self);
  update_actions (self);
}

NatterChatSession *
natter_chat_session_new (NatterApplication *application,
                         gint64             chat_id)
{
  NatterChatSession *self;

  g_return_val_if_fail (NATTER_IS_APPLICATION (application), NULL);

  self = g_object_new (NATTER_TYPE_CHAT_SESSION, NULL);
  self->application = application;
  self->client = g_object_ref (natter_application_get_client (application));
  if (natter_application_get_chat_store (application) != NULL)
    self->chats = g_object_ref (natter_application_get_chat_store (application));
  if (natter_application_get_conversation (application) != NULL)
    {
      self->conversation = g_object_ref (natter_application_get_conversation (application));
      g_signal_connect_object (self->conversation, "message-added",
                               G_CALLBACK (on_conversation_message_added), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->conversation, "swipe-started",
                               G_CALLBACK (on_conversation_swipe_started), self, G_CONNECT_SWAPPED);
    }
  /* The store says when a chat's messages changed elsewhere. */
  if (self->chats != NULL && g_signal_lookup ("messages-changed", G_OBJECT_TYPE (self->chats)) != 0)
    g_signal_connect_object (self->chats, "messages-changed",
                             G_CALLBACK (on_messages_changed), self, G_CONNECT_SWAPPED);

  self->chat_id = chat_id;
  if (chat_id != 0 && self->chats != NULL)
    natter_message_model_set_chat (self->messages, self->chats, chat_id);
  _natter_chat_session_setup_tools (self);
  return self;
}

gint64
natter_chat_session_get_chat_id (NatterChatSession *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_SESSION (self), 0);
  return self->chat_id;
}

NatterMessageModel *
natter_chat_session_get_messages (NatterChatSession *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_SESSION (self), NULL);
  return self->messages;
}

GActionGroup *
natter_chat_session_get_actions (NatterChatSession *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_SESSION (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

NatterMessageItem *
natter_chat_session_get_streaming_item (NatterChatSession *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_SESSION (self), NULL);
  return self->reply != NULL ? self->reply->item : NULL;
}

gboolean
natter_chat_session_is_generating (NatterChatSession *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_SESSION (self), FALSE);
  return self->reply != NULL;
}

void
natter_chat_session_set_profile (NatterChatSession *self,
                                 NatterProfile     *profile)
{
  g_return_if_fail (NATTER_IS_CHAT_SESSION (self));
  g_set_object (&self->profile, profile);
}

void
natter_chat_session_set_model (NatterChatSession *self,
                               const char        *model)
{
  g_return_if_fail (NATTER_IS_CHAT_SESSION (self));
  g_free (self->model);
  self->model = g_strdup (model);
}
