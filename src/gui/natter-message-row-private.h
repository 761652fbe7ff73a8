/* natter-message-row-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-markdown.h"
#include "natter-message-row.h"

G_BEGIN_DECLS

/* One top-level Markdown block as shown: its byte range of the item's
 * text, what its widget shows and its widget. The rendered strings double
 * as the per-message cache (see RenderCache in natter-message-row.c). */
typedef struct
{
  NatterMarkdownBlockKind  kind;
  gsize                    start;
  gsize                    len;
  char                    *rendered;  /* markup, verbatim code, plain text (notes), table cells */
  char                    *language;  /* code blocks */
  gboolean                 plain;
  GtkWidget               *widget;    /* owned by its group in blocks_box */
  GtkLabel                *label;     /* text and code blocks: the first piece */
  GtkLabel                *lang_label;
} Block;

struct _NatterMessageRow
{
  GtkWidget          parent_instance;

  NatterMessageItem *item;
  GArray            *blocks;         /* of Block */
  /* The first n_valid blocks show the start of item's text of generation
   * @generation, @rendered_len bytes long. */
  guint              n_valid;
  guint              generation;
  gsize              rendered_len;

  GtkWidget         *box;
  GtkWidget         *header_box;
  GtkLabel          *role_label;
  AdwAvatar         *speaker_avatar;
  GtkSpinner        *spinner;
  GtkWidget         *blocks_box;

  /* Made when first needed, most rows never need them: a scrolled-past
   * row only lays out its header and its text. */
  GtkWidget         *attachments_box;   /* pictures and files, made when first needed */
  GtkExpander       *reasoning_expander;
  GtkLabel          *reasoning_label;
  GtkWidget         *tool_calls_box;    /* NatterToolCallsBox, replies that called tools */
  GtkWidget         *status_box;        /* an error, or "Stopped" */
  GtkImage          *status_icon;
  GtkLabel          *status_label;
  GtkWidget         *retry_button;
  GtkWidget         *actions_box;       /* in header_box, on hover/focus/last */
  GtkWidget         *regenerate_button;
  GtkWidget         *continue_button;
  GtkWidget         *swipe_box;
  GtkWidget         *swipe_previous_button;
  GtkLabel          *swipe_label;
  GtkWidget         *menu_button;       /* "More actions" */

  /* Editing in place (natter-message-editor.c). */
  GtkWidget         *editor;
  GtkTextView       *editor_view;
  GtkWidget         *save_regenerate_button;

  NatterMessageKind  shown_kind;        /* for the CSS class; -1 before any */
  guint              hovered : 1;
  guint              focused : 1;
  guint              menu_open : 1;
};

/* For tests. */
/* The number of block widgets (tests). */
guint              natter_message_row_get_n_blocks (NatterMessageRow  *self);
/* The text shown by block @index: Pango markup of a text block, or the
 * verbatim code of a code block (tests). */
const char        *natter_message_row_get_block_text (NatterMessageRow *self,
                                                      guint             index);
/* How many times since start-up a row showed a message from the
 * per-message render cache instead of parsing its Markdown (tests). */
guint              natter_message_row_get_cache_hits (void);
gboolean           natter_message_row_get_reasoning_visible (NatterMessageRow *self);
/* Who the row says wrote the message: the stored name, else "You",
 * "Assistant", "System" or "Note". */
const char        *natter_message_row_get_speaker   (NatterMessageRow *self);
/* The action buttons are made the first time the row is hovered, gets the
 * focus or shows the chat's last message; the Menu key, Shift+F10 and a
 * right click (action "message.menu") open the same actions as a menu.
 * The shown button for @action_name ("message.copy", ...), NULL when the
 * row shows none (tests). */
GtkWidget         *natter_message_row_get_action_button (NatterMessageRow *self,
                                                         const char       *action_name);
/* Whether the row ever made its action buttons (tests). */
gboolean           natter_message_row_get_has_action_buttons (NatterMessageRow *self);
/* What pointer enter/leave do (tests: no pointer under Xvfb). */
void               natter_message_row_set_hovered   (NatterMessageRow *self,
                                                     gboolean          hovered);
/* The menu "message.menu" opened last, NULL before (tests). */
GMenuModel        *natter_message_row_get_menu_model (NatterMessageRow *self);

/* The "More actions" menu button, NULL while the row shows no buttons. */
GtkWidget         *natter_message_row_get_menu_button (NatterMessageRow *self);
/* The status line's text ("Stopped", an error), NULL when none shown. */
const char        *natter_message_row_get_status      (NatterMessageRow *self);
gboolean           natter_message_row_get_status_is_error (NatterMessageRow *self);
gboolean           natter_message_row_get_editing     (NatterMessageRow *self);
GtkTextView       *natter_message_row_get_editor      (NatterMessageRow *self);

/* natter-message-row.c */
/* The whole text shown by the block that holds @descendant, NULL if none. */
const char *natter_message_row_get_block_text_at (NatterMessageRow *self,
                                                  GtkWidget        *descendant);

/* natter-message-actions.c */
/* A button (with @icon_name, else the @mnemonic label) that activates the
 * row's @action_name ("message.copy", ...) when clicked. */
GtkWidget  *natter_message_row_button_new        (const char       *icon_name,
                                                  const char       *mnemonic,
                                                  const char       *action_name);
void        natter_message_row_class_init_actions (GtkWidgetClass   *widget_class);
void        natter_message_row_init_actions       (NatterMessageRow *self);
/* Shows, hides or updates the action buttons and the status line. */
void        natter_message_row_update_actions     (NatterMessageRow *self);
void        natter_message_row_update_status      (NatterMessageRow *self);

/* natter-message-editor.c */
/* Replaces the message's text with an editor holding @text. */
void        natter_message_row_begin_edit         (NatterMessageRow *self,
                                                   const char       *text);
/* Closes the editor; with @keep_draft its text stays on the item for the
 * next row that shows it (a row moving to another message). */
void        natter_message_row_end_edit           (NatterMessageRow *self,
                                                   gboolean          keep_draft);
/* Activates chat.edit-message with the editor's text, then closes it. */
void        natter_message_row_save_edit          (NatterMessageRow *self,
                                                   gboolean          regenerate);
/* Opens the editor when the item has a draft kept by end_edit(). */
void        natter_message_row_restore_edit       (NatterMessageRow *self);

/* Shows the item's attachments under its text (natter-message-attachments.c). */
void _natter_message_row_update_attachments (NatterMessageRow *self);

G_END_DECLS
