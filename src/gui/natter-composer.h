/* natter-composer.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "natter-slash-commands.h"

G_BEGIN_DECLS

#define NATTER_TYPE_COMPOSER (natter_composer_get_type ())
G_DECLARE_FINAL_TYPE (NatterComposer, natter_composer, NATTER, COMPOSER, GtkWidget)

/* The message entry. Signal "send" (const char *text) when the person
 * sends: Enter (or Ctrl+Enter when "enter-sends" is FALSE) or the Send
 * button; the text is cleared after the signal. Slash commands are sent
 * too (the window runs them), also while sending messages is disabled. A
 * completion popover lists matching commands while the text starts with
 * "/"; Tab takes the selected one. */
GtkWidget  *natter_composer_new                 (void);
char       *natter_composer_dup_text            (NatterComposer        *self);
void        natter_composer_set_text            (NatterComposer        *self,
                                                 const char            *text);
/* Sends the current text as if the person pressed Enter. */
void        natter_composer_send                (NatterComposer        *self);
gboolean    natter_composer_get_enter_sends     (NatterComposer        *self);
void        natter_composer_set_enter_sends     (NatterComposer        *self,
                                                 gboolean               enter_sends);
/* While TRUE the Stop button replaces Send. */
void        natter_composer_set_streaming       (NatterComposer        *self,
                                                 gboolean               streaming);
/* NULL: messages can be sent. Else the hint shown why they cannot (e.g.
 * "Add a connection to start chatting"); Send is disabled. */
void        natter_composer_set_disabled_reason (NatterComposer        *self,
                                                 const char            *reason);
/* The same with a button next to the hint that does something about it
 * (@action_name with @action_target, floating refs are sunk), e.g.
 * "Connections…" → app.connections. */
void        natter_composer_set_disabled_reason_full (NatterComposer   *self,
                                                 const char            *reason,
                                                 const char            *button_label,
                                                 const char            *action_name,
                                                 GVariant              *action_target);
/* The pictures and files waiting to go with the next message (the
 * Attach button, paste, drag and drop), taken: the composer no longer
 * shows them. Element-type NatterAttachment. */
GPtrArray  *natter_composer_take_attachments    (NatterComposer        *self);
void        natter_composer_set_slash_host      (NatterComposer        *self,
                                                 const NatterSlashHost *host,
                                                 gpointer               user_data);

G_END_DECLS
