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

#include "natter-chat-session.h"

/* Sending goes through the conversation engine, the one place that turns
 * a stored chat into a request (character, persona, lorebooks, context
 * budget, instruct templates, macros) and saves the reply as it grows. Its
 * signals say which rows it adds; the deltas go to the reply's item, which
 * the chat view shows once per frame while the chat is shown. */

typedef struct _Reply
{
  NatterChatSession *session;     /* weak */
  gint64             chat_id;
  gboolean           regenerate;
  gboolean           new_chat;    /* the chat was made for this send */
  gint64             user_id;     /* the user's message, once stored */
  NatterMessageItem *item;        /* the streaming reply, once it exists */
  GCancellable      *cancellable;
  char              *user_text;
} Reply;

struct _NatterChatSession
{
  GObject             parent_instance;

  NatterApplication  *application;   /* outlives its sessions */
  NatterChatStore    *chats;         /* nullable */
  NatterConversation *conversation;  /* nullable */
  NatterClient       *client;
  NatterMessageModel *messages;
  GSimpleActionGroup *actions;

  gint64              chat_id;
  NatterProfile      *profile;
  char               *model;
  Reply              *reply;
  guint               own_changes;   /* store calls of ours under way */

  /* A deleted message stays in the store until its toast goes away. */
  NatterMessageItem  *pending_item;
  guint               pending_position;
  AdwToast           *pending_toast; /* weak */
};

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
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_reply (NatterChatSession *self,
                         const char        *text,
                         gboolean           new_chat);

static void
toast (NatterChatSession *self,
       const char        *title)
{
  g_autoptr(AdwToast) t = g_object_ref_sink (adw_toast_new (title));

  g_signal_emit (self, signals[SIGNAL_TOAST], 0, t);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHAT_ID]);
}

/* Messages */

static NatterMessageItem *
find_item (NatterChatSession *self,
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

static void
reload_item (NatterChatSession *self,
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
static gboolean
is_last_user_message (NatterChatSession *self,
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

      reload_item (self, it);
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
  item = find_item (self, message_id, NULL);
  if (item == NULL)
    return;
  natter_message_item_set_text (item, "");
  natter_message_item_set_reasoning (item, "");
  reload_item (self, item);
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

  if (reply->regenerate)
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
      toast (self, error->message);
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

  if (self != NULL && self->reply == reply)
    end_reply (self);

  reply_free (reply);
}

/* Starts a send (@text) or a regenerate of the last reply (@text NULL). */
static void
start_reply (NatterChatSession *self,
             const char        *text,
             gboolean           new_chat)
{
  NatterGenParams params;
  Reply *reply;

  if (self->profile == NULL || self->conversation == NULL || self->chat_id == 0)
    return;

  natter_chat_session_stop (self);
  natter_chat_session_commit_pending (self);

  reply = g_new0 (Reply, 1);
  reply->session = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *)&reply->session);
  reply->chat_id = self->chat_id;
  reply->regenerate = text == NULL;
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
    natter_conversation_send_async (self->conversation, self->chat_id, self->profile, text, &params,
                                    on_delta, reply, reply->cancellable, on_reply_done, reply);
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
      toast (self, _("Add a connection to start chatting"));
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
static void
regenerate_reply (NatterChatSession *self,
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
      toast (self, error->message);
      return;
    }
  if (last->len == 0 ||
      natter_chat_message_get_id (g_ptr_array_index (last, 0)) != natter_message_item_get_id (item))
    {
      toast (self, _("Only the last reply can be regenerated"));
      return;
    }
  if (!check_profile (self))
    return;
  start_reply (self, NULL, FALSE);
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
      toast (self, _("The chat database is not open, so nothing can be sent"));
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
      toast (self, error->message);
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

  if (*text == '\0')
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
      start_reply (self, "", FALSE);
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
  start_reply (self, text, created);
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

/* Editing */

static gboolean
edit_message (NatterChatSession  *self,
              NatterMessageItem  *item,
              const char         *text,
              gboolean            regenerate,
              GError            **error)
{
  guint position;
  GListModel *model = G_LIST_MODEL (self->messages);

  if (regenerate && !is_last_user_message (self, item))
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("Only the last message you wrote can be saved and regenerated"));
      return FALSE;
    }
  if (self->reply != NULL && (self->reply->item == item || regenerate))
    natter_chat_session_stop (self);
  natter_chat_session_commit_pending (self);

  /* One message, one small transaction: nothing else is rewritten. */
  self->own_changes++;
  if (self->chats != NULL && natter_message_item_get_id (item) != 0 &&
      !natter_chat_store_edit_message (self->chats, natter_message_item_get_id (item), text, error))
    {
      self->own_changes--;
      return FALSE;
    }
  self->own_changes--;
  natter_message_item_set_text (item, text);

  if (!regenerate)
    return TRUE;

  /* A new reply after the edited message: the replies that answered the
   * old text are removed, and the toast says so. */
  if (find_item (self, natter_message_item_get_id (item), &position))
    {
      guint removed = 0;
      GPtrArray *later = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = position + 1; i < g_list_model_get_n_items (model); i++)
        g_ptr_array_add (later, g_list_model_get_item (model, i));
      self->own_changes++;
      for (guint i = 0; i < later->len; i++)
        {
          NatterMessageItem *it = g_ptr_array_index (later, i);

          if (natter_message_item_get_id (it) != 0 && self->chats != NULL &&
              natter_chat_store_delete_message (self->chats, natter_message_item_get_id (it), NULL))
            removed++;
        }
      self->own_changes--;
      natter_message_model_truncate (self->messages, position + 1);
      g_ptr_array_unref (later);
      if (removed > 0)
        toast (self, _("The earlier reply was replaced by a new one"));
    }
  start_reply (self, "", FALSE);
  return TRUE;
}

/* Deleting, with undo */

void
natter_chat_session_commit_pending (NatterChatSession *self)
{
  g_autoptr(NatterMessageItem) item = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (NATTER_IS_CHAT_SESSION (self));

  if (self->pending_item == NULL)
    return;
  item = g_steal_pointer (&self->pending_item);
  if (self->pending_toast != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->pending_toast), (gpointer *)&self->pending_toast);
      self->pending_toast = NULL;
    }
  self->own_changes++;
  if (self->chats != NULL && natter_message_item_get_id (item) != 0 &&
      !natter_chat_store_delete_message (self->chats, natter_message_item_get_id (item), &error))
    toast (self, error->message);
  self->own_changes--;
}

static void
on_delete_toast_dismissed (AdwToast          *t,
                           NatterChatSession *self)
{
  if (self->pending_item != NULL &&
      g_object_get_data (G_OBJECT (t), "item") == (gpointer) self->pending_item)
    natter_chat_session_commit_pending (self);
}

static void
on_delete_undo (AdwToast          *t,
                NatterChatSession *self)
{
  g_autoptr(NatterMessageItem) item = NULL;

  if (self->pending_item == NULL ||
      g_object_get_data (G_OBJECT (t), "item") != (gpointer) self->pending_item)
    return;
  item = g_steal_pointer (&self->pending_item);
  if (self->pending_toast != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->pending_toast), (gpointer *)&self->pending_toast);
      self->pending_toast = NULL;
    }
  natter_message_model_insert (self->messages,
                               MIN (self->pending_position,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->messages))),
                               item);
}

static void
delete_message (NatterChatSession *self,
                NatterMessageItem *item,
                guint              position)
{
  guint n_swipes = natter_message_item_get_n_swipes (item);
  g_autofree char *title = NULL;
  AdwToast *t;

  if (self->reply != NULL && self->reply->item == item)
    natter_chat_session_stop (self);
  /* One pending deletion at a time: the previous one happens now. */
  natter_chat_session_commit_pending (self);

  self->pending_item = g_object_ref (item);
  self->pending_position = position;
  natter_message_model_remove (self->messages, position);

  if (n_swipes > 1)
    /* Translators: a message was deleted with all its alternatives */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Message deleted with its %u alternative",
                                          "Message deleted with its %u alternatives", n_swipes - 1),
                             n_swipes - 1);
  else
    title = g_strdup (_("Message deleted"));
  t = adw_toast_new (title);
  adw_toast_set_button_label (t, _("_Undo"));
  adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (t), "item", g_object_ref (item), g_object_unref);
  g_signal_connect_object (t, "button-clicked", G_CALLBACK (on_delete_undo), self, 0);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (on_delete_toast_dismissed), self, 0);
  self->pending_toast = t;
  g_object_add_weak_pointer (G_OBJECT (t), (gpointer *)&self->pending_toast);
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, t);
  g_object_unref (g_object_ref_sink (t));
}

/* Branches */

/* "Title (branch)", or "Title (branch 2)" and on when that is taken. */
static char *
branch_title (NatterChatSession *self,
              const char        *parent)
{
  g_autoptr(GPtrArray) chats = natter_chat_store_list_chats (self->chats, 0, NULL);
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *base = NULL;
  const char *mark;

  /* A branch of a branch counts on from its parent's name. */
  base = g_strdup (parent != NULL && *parent != '\0' ? parent : _("Chat"));
  mark = g_strrstr (base, " (");
  if (mark != NULL && g_str_has_suffix (base, ")") &&
      (g_str_has_prefix (mark, _(" (branch)")) || g_str_has_prefix (mark, " (branch ")))
    base[mark - base] = '\0';

  for (guint i = 0; chats != NULL && i < chats->len; i++)
    {
      const char *t = natter_chat_get_title (g_ptr_array_index (chats, i));

      if (t != NULL)
        g_hash_table_add (taken, (gpointer) t);
    }
  for (guint n = 1; ; n++)
    {
      g_autofree char *title = NULL;

      if (n == 1)
        /* Translators: the title of a chat branched from another one */
        title = g_strdup_printf (_("%s (branch)"), base);
      else
        /* Translators: the title of the second, third… branch of a chat */
        title = g_strdup_printf (_("%s (branch %u)"), base, n);
      if (!g_hash_table_contains (taken, title))
        return g_steal_pointer (&title);
    }
}

static void
branch (NatterChatSession *self,
        gint64             message_id)
{
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  gint64 id;

  if (self->chats == NULL || self->chat_id == 0 || message_id == 0)
    return;
  natter_chat_session_commit_pending (self);
  chat = natter_chat_store_get_chat (self->chats, self->chat_id, NULL);
  title = branch_title (self, chat ? natter_chat_get_title (chat) : NULL);
  id = natter_chat_store_branch_chat (self->chats, self->chat_id, message_id, title, &error);
  if (id <= 0)
    {
      toast (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_OPEN_CHAT], 0, id);
  toast (self, _("Branched into a new chat"));
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

static NatterMessageItem *
item_for (NatterChatSession *self,
          GVariant          *parameter,
          guint             *position)
{
  NatterMessageItem *item = find_item (self, g_variant_get_int64 (parameter), position);

  if (item == NULL)
    toast (self, _("The message is no longer in this chat"));
  return item;
}

static void
regenerate_activated (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  g_autoptr(NatterMessageItem) item = item_for (user_data, parameter, NULL);

  if (item != NULL)
    regenerate_reply (user_data, item);
}

static void
swipe_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  NatterChatSession *self = user_data;
  g_autoptr(NatterMessageItem) item = item_for (self, parameter, NULL);
  g_autoptr(GError) error = NULL;
  gboolean next = g_str_equal (g_action_get_name (G_ACTION (action)), "swipe-next");
  guint index;
  gboolean ok = TRUE;

  if (item == NULL || self->chats == NULL)
    return;
  natter_chat_session_commit_pending (self);
  index = natter_message_item_get_swipe_index (item);
  if (next && index + 1 >= natter_message_item_get_n_swipes (item))
    {
      /* Past the last alternative: write a new one. */
      regenerate_reply (self, item);
      return;
    }
  if (!next && index == 0)
    return;
  if (self->reply != NULL && self->reply->item == item)
    natter_chat_session_stop (self);
  self->own_changes++;
  ok = natter_chat_store_select_swipe (self->chats, natter_message_item_get_id (item),
                                       next ? index + 1 : index - 1, &error);
  self->own_changes--;
  if (ok)
    reload_item (self, item);
  else
    toast (self, error->message);
}

static void
continue_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  /* Disabled until the engine can continue a reply. */
}

static void
branch_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  branch (user_data, g_variant_get_int64 (parameter));
}

static void
delete_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  guint position;
  g_autoptr(NatterMessageItem) item = item_for (user_data, parameter, &position);

  if (item != NULL)
    delete_message (user_data, item, position);
}

static void
edit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  NatterChatSession *self = user_data;
  g_autoptr(NatterMessageItem) item = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  gboolean regenerate;
  gint64 id;

  g_variant_get (parameter, "(x&sb)", &id, &text, &regenerate);
  item = find_item (self, id, NULL);
  if (item == NULL)
    {
      toast (self, _("The message is no longer in this chat"));
      return;
    }
  if (!edit_message (self, item, text, regenerate, &error))
    toast (self, error->message);
}

static void
copy_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_autoptr(NatterMessageItem) item = item_for (user_data, parameter, NULL);
  GdkDisplay *display = gdk_display_get_default ();

  if (item == NULL || display == NULL)
    return;
  gdk_clipboard_set_text (gdk_display_get_clipboard (display), natter_message_item_get_text (item));
  toast (user_data, _("Copied"));
}

static const GActionEntry chat_actions[] = {
  { "send", send_activated, "s" },
  { "stop", stop_activated },
  { "regenerate", regenerate_activated, "x" },
  { "continue", continue_activated, "x" },
  { "swipe-next", swipe_activated, "x" },
  { "swipe-previous", swipe_activated, "x" },
  { "branch", branch_activated, "x" },
  { "delete-message", delete_activated, "x" },
  { "edit-message", edit_activated, "(xsb)" },
  { "copy-message", copy_activated, "x" },
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
                  G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
natter_chat_session_init (NatterChatSession *self)
{
  self->messages = natter_message_model_new ();
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), chat_actions,
                                   G_N_ELEMENTS (chat_actions), self);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions),
                                                                            "continue")), FALSE);
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
