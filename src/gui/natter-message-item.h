/* natter-message-item.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk/gdk.h>
#include <glib-object.h>

#include "natter-types.h"

G_BEGIN_DECLS

/* Who a message in the view is from. NOTE is a system note of Natter
 * itself (slash command results): shown, never sent to a model. */
typedef enum
{
  NATTER_MESSAGE_KIND_USER,
  NATTER_MESSAGE_KIND_ASSISTANT,
  NATTER_MESSAGE_KIND_SYSTEM,
  NATTER_MESSAGE_KIND_NOTE,
} NatterMessageKind;

#define NATTER_TYPE_MESSAGE_ITEM (natter_message_item_get_type ())
G_DECLARE_FINAL_TYPE (NatterMessageItem, natter_message_item, NATTER, MESSAGE_ITEM, GObject)

/* One message as the chat view shows it. Properties (explicit notify):
 * kind, id (store row id, 0 when none), name, text, reasoning, streaming,
 * error-category, error-message, swipe-index, n-swipes.
 *
 * While a reply streams, natter_message_item_append() only buffers; the
 * chat view calls natter_message_item_flush() once per frame, which emits
 * at most one notify::text and one notify::reasoning. */
NatterMessageItem   *natter_message_item_new               (NatterMessageKind    kind,
                                                            const char          *text);
NatterMessageKind    natter_message_item_get_kind          (NatterMessageItem   *self);
gint64               natter_message_item_get_id            (NatterMessageItem   *self);
void                 natter_message_item_set_id            (NatterMessageItem   *self,
                                                            gint64               id);
/* Who wrote it as stored (a character's or persona's name), NULL when
 * none: the view then says "Assistant" / "You". */
const char          *natter_message_item_get_name          (NatterMessageItem   *self);
void                 natter_message_item_set_name          (NatterMessageItem   *self,
                                                            const char          *name);
const char          *natter_message_item_get_text          (NatterMessageItem   *self);
gsize                natter_message_item_get_text_length   (NatterMessageItem   *self);
void                 natter_message_item_set_text          (NatterMessageItem   *self,
                                                            const char          *text);
/* Changes whenever the text is replaced (set_text), not when it grows by
 * natter_message_item_append(): while it stays the same, the text only
 * ever got longer, so a view may keep what it rendered of its start. */
guint                natter_message_item_get_text_generation (NatterMessageItem *self);
const char          *natter_message_item_get_reasoning     (NatterMessageItem   *self);
void                 natter_message_item_set_reasoning     (NatterMessageItem   *self,
                                                            const char          *reasoning);
/* Buffers @len bytes of answer (@reasoning FALSE) or reasoning text. */
void                 natter_message_item_append            (NatterMessageItem   *self,
                                                            gboolean             reasoning,
                                                            const char          *text,
                                                            gssize               len);
/* Notifies what was appended since the last flush. TRUE when anything was. */
gboolean             natter_message_item_flush             (NatterMessageItem   *self);
gboolean             natter_message_item_get_streaming     (NatterMessageItem   *self);
void                 natter_message_item_set_streaming     (NatterMessageItem   *self,
                                                            gboolean             streaming);
NatterErrorCategory  natter_message_item_get_error_category (NatterMessageItem  *self);
const char          *natter_message_item_get_error_message (NatterMessageItem   *self);
/* NATTER_ERROR_CATEGORY_NONE clears the error. */
void                 natter_message_item_set_error         (NatterMessageItem   *self,
                                                            NatterErrorCategory  category,
                                                            const char          *message);
guint                natter_message_item_get_swipe_index   (NatterMessageItem   *self);
guint                natter_message_item_get_n_swipes      (NatterMessageItem   *self);
void                 natter_message_item_set_swipes        (NatterMessageItem   *self,
                                                            guint                index,
                                                            guint                n_swipes);
/* Whether this is the chat's last message (set by the chat view; the last
 * reply gets regenerate and the swipe arrows). */
gboolean             natter_message_item_get_is_last       (NatterMessageItem   *self);
void                 natter_message_item_set_is_last       (NatterMessageItem   *self,
                                                            gboolean             is_last);
/* The tool calls of a reply and their results (the JSON text of
 * natter_tool_events_to_json()), NULL when none; property "tool-events". */
const char          *natter_message_item_get_tool_events   (NatterMessageItem   *self);
void                 natter_message_item_set_tool_events   (NatterMessageItem   *self,
                                                            const char          *json);

/* When the message was written (unix seconds, 0: unknown) and the
 * speaker's avatar (the persona's or the character's, NULL: none); set
 * before the item is shown. */
gint64               natter_message_item_get_created_at    (NatterMessageItem   *self);
void                 natter_message_item_set_created_at    (NatterMessageItem   *self,
                                                            gint64               created_at);
GdkPaintable        *natter_message_item_get_avatar        (NatterMessageItem   *self);
void                 natter_message_item_set_avatar        (NatterMessageItem   *self,
                                                            GdkPaintable        *avatar);

G_END_DECLS
