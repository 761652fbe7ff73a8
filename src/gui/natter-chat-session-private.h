/* natter-chat-session-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-chat-session.h"

G_BEGIN_DECLS

/* Shared by natter-chat-session.c (sending, streaming, the actions) and
 * natter-chat-session-edits.c (edit, delete, swipe, branch, copy). */

typedef struct _Reply
{
  NatterChatSession *session;     /* weak */
  gint64             chat_id;
  gboolean           regenerate;
  gboolean           continuing;  /* extends the last reply in place */
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

  /* Group chats (natter-chat-session-group.c): the next start is a
   * member's turn, and how many auto-mode turns are left. */
  gboolean            next_turn;
  gint64              next_speaker;
  guint               auto_left;
};

void               _natter_chat_session_toast         (NatterChatSession *self,
                                                       const char        *title);
void               _natter_chat_session_emit_toast    (NatterChatSession *self,
                                                       AdwToast          *toast);
void               _natter_chat_session_emit_open_chat (NatterChatSession *self,
                                                       gint64             chat_id,
                                                       gboolean           reply);
/* The item of message @message_id (transfer full), and where it stands. */
NatterMessageItem *_natter_chat_session_find_item     (NatterChatSession *self,
                                                       gint64             message_id,
                                                       guint             *position);
/* The same for an action's "x" parameter; a toast when it is gone. */
NatterMessageItem *_natter_chat_session_item_for      (NatterChatSession *self,
                                                       GVariant          *parameter,
                                                       guint             *position);
/* Reads @item's message again from the store. */
void               _natter_chat_session_reload_item   (NatterChatSession *self,
                                                       NatterMessageItem *item);
gboolean           _natter_chat_session_is_last_user_message (NatterChatSession *self,
                                                       NatterMessageItem *item);
/* natter-chat-session-tools.c: the MCP servers of the chat, approval and
 * the calls on the replies. Again when the chat id changes. */
void _natter_chat_session_setup_tools (NatterChatSession *self);
/* The tool calls of @item's selected swipe, read again. */
void _natter_chat_session_reload_tool_events (NatterChatSession *self,
                                              NatterMessageItem *item);
/* A send of @text ("" : a reply to the chat as it is), or with @text
 * NULL a new swipe of the last reply. */
void               _natter_chat_session_start_reply   (NatterChatSession *self,
                                                       const char        *text,
                                                       gboolean           new_chat);
void               _natter_chat_session_regenerate_reply (NatterChatSession *self,
                                                       NatterMessageItem *item);

/* natter-chat-session-group.c: the group and impersonation actions. */
void               _natter_chat_session_group_init    (NatterChatSession *self);
/* The auto-mode turns a send in this chat is followed by (0: none). */
guint              _natter_chat_session_auto_turns    (NatterChatSession *self);
/* After a reply that ended well: the next auto-mode turn, if any. */
void               _natter_chat_session_auto_turn     (NatterChatSession *self);

void _natter_chat_session_swipe_activated  (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void _natter_chat_session_branch_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void _natter_chat_session_delete_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void _natter_chat_session_edit_activated   (GSimpleAction *action, GVariant *parameter, gpointer user_data);
void _natter_chat_session_copy_activated   (GSimpleAction *action, GVariant *parameter, gpointer user_data);

/* natter-chat-session-attachments.c */
gboolean   _natter_chat_session_has_attachments  (NatterChatSession *self);

G_END_DECLS
