/* natter-chat-session-edits.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a chat session does to messages that are there: edit, delete with
 * undo, swipe, branch, copy. */

#define G_LOG_DOMAIN "natter-chat-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-chat-session-private.h"

/* Editing */

static gboolean edit_in_branch (NatterChatSession  *self,
                                NatterMessageItem  *item,
                                const char         *text,
                                GError            **error);

static gboolean
edit_message (NatterChatSession  *self,
              NatterMessageItem  *item,
              const char         *text,
              gboolean            regenerate,
              GError            **error)
{
  guint position;
  GListModel *model = G_LIST_MODEL (self->messages);

  /* An earlier message: the edit and a new reply go on in a branch, and
   * the chat as it was stays whole. */
  if (regenerate && !_natter_chat_session_is_last_user_message (self, item))
    return edit_in_branch (self, item, text, error);
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
  if (_natter_chat_session_find_item (self, natter_message_item_get_id (item), &position))
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
        _natter_chat_session_toast (self, _("The earlier reply was replaced by a new one"));
    }
  _natter_chat_session_start_reply (self, "", FALSE);
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
    _natter_chat_session_toast (self, error->message);
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
  g_object_set_data_full (G_OBJECT (t), "item", g_object_ref (item), g_object_unref);
  g_signal_connect_object (t, "button-clicked", G_CALLBACK (on_delete_undo), self, 0);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (on_delete_toast_dismissed), self, 0);
  self->pending_toast = t;
  g_object_add_weak_pointer (G_OBJECT (t), (gpointer *)&self->pending_toast);
  _natter_chat_session_emit_toast (self, t);
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
      _natter_chat_session_toast (self, error->message);
      return;
    }
  /* Showing the branch may let go of this session: last. */
  _natter_chat_session_toast (self, _("Branched into a new chat"));
  _natter_chat_session_emit_open_chat (self, id, FALSE);
}

/* Save and Regenerate on an earlier message: a branch up to it, the
 * edit there, and a reply to it in the branch. */
static gboolean
edit_in_branch (NatterChatSession  *self,
                NatterMessageItem  *item,
                const char         *text,
                GError            **error)
{
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_autofree char *title = NULL;
  gint64 id;

  if (self->chats == NULL || self->chat_id == 0 || natter_message_item_get_id (item) == 0)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_INVALID,
                   _("This message is not saved yet"));
      return FALSE;
    }
  natter_chat_session_commit_pending (self);
  chat = natter_chat_store_get_chat (self->chats, self->chat_id, NULL);
  title = branch_title (self, chat ? natter_chat_get_title (chat) : NULL);
  id = natter_chat_store_branch_chat (self->chats, self->chat_id, natter_message_item_get_id (item),
                                      title, error);
  if (id <= 0)
    return FALSE;
  last = natter_chat_store_page_messages (self->chats, id, -1, 1, error);
  if (last == NULL || last->len == 0 ||
      !natter_chat_store_edit_message (self->chats, natter_chat_message_get_id (g_ptr_array_index (last, 0)),
                                       text, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_FAILED, _("The branch is empty"));
      natter_chat_store_delete_chat (self->chats, id, NULL);
      return FALSE;
    }
  _natter_chat_session_toast (self, _("Your edit goes on in a new branch; this chat stays as it was"));
  _natter_chat_session_emit_open_chat (self, id, TRUE);
  return TRUE;
}

void
_natter_chat_session_swipe_activated (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  NatterChatSession *self = user_data;
  g_autoptr(NatterMessageItem) item = _natter_chat_session_item_for (self, parameter, NULL);
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
      _natter_chat_session_regenerate_reply (self, item);
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
    _natter_chat_session_reload_item (self, item);
  else
    _natter_chat_session_toast (self, error->message);
}

void
_natter_chat_session_branch_activated (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  g_autoptr(NatterChatSession) self = g_object_ref (user_data);

  branch (self, g_variant_get_int64 (parameter));
}

void
_natter_chat_session_delete_activated (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  guint position;
  g_autoptr(NatterMessageItem) item = _natter_chat_session_item_for (user_data, parameter, &position);

  if (item != NULL)
    delete_message (user_data, item, position);
}

void
_natter_chat_session_edit_activated (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  /* A branch may be shown instead, letting go of this session. */
  g_autoptr(NatterChatSession) self = g_object_ref (user_data);
  g_autoptr(NatterMessageItem) item = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  gboolean regenerate;
  gint64 id;

  g_variant_get (parameter, "(x&sb)", &id, &text, &regenerate);
  item = _natter_chat_session_find_item (self, id, NULL);
  if (item == NULL)
    {
      _natter_chat_session_toast (self, _("The message is no longer in this chat"));
      return;
    }
  if (!edit_message (self, item, text, regenerate, &error))
    _natter_chat_session_toast (self, error->message);
}

void
_natter_chat_session_copy_activated (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  g_autoptr(NatterMessageItem) item = _natter_chat_session_item_for (user_data, parameter, NULL);
  GdkDisplay *display = gdk_display_get_default ();

  if (item == NULL || display == NULL)
    return;
  gdk_clipboard_set_text (gdk_display_get_clipboard (display), natter_message_item_get_text (item));
  _natter_chat_session_toast (user_data, _("Copied"));
}

