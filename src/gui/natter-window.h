/* natter-window.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-application.h"
#include "natter-card.h"
#include "natter-character-page.h"
#include "natter-chat-view.h"
#include "natter-composer.h"
#include "natter-new-chat-dialog.h"
#include "natter-preset-dropdown.h"
#include "natter-welcome-page.h"

G_BEGIN_DECLS

#define NATTER_TYPE_WINDOW (natter_window_get_type ())
G_DECLARE_FINAL_TYPE (NatterWindow, natter_window, NATTER, WINDOW, AdwApplicationWindow)

NatterWindow      *natter_window_new                  (NatterApplication  *application);
/* Sends @text as the person's message (no slash command parsing). */
void               natter_window_send_message         (NatterWindow       *self,
                                                       const char         *text);
/* Shows chat @chat_id (0: a new, unsaved chat). */
void               natter_window_open_chat            (NatterWindow       *self,
                                                       gint64              chat_id);
gint64             natter_window_get_chat_id          (NatterWindow       *self);
gboolean           natter_window_rename_chat          (NatterWindow       *self,
                                                       const char         *title,
                                                       GError            **error);
/* Hides the current chat at once and deletes it when the undo toast goes
 * away (or the window closes) without Undo. */
void               natter_window_delete_chat          (NatterWindow       *self);
void               natter_window_undo_delete_chat     (NatterWindow       *self);
/* Scrolls to the message with store id @message_id; FALSE when not shown. */
gboolean           natter_window_jump_to_message      (NatterWindow       *self,
                                                       gint64              message_id);
gboolean           natter_window_is_streaming         (NatterWindow       *self);
/* Cancels the streaming reply at once; what arrived stays. */
void               natter_window_stop                 (NatterWindow       *self);
/* Imports character cards (PNG, JSON, CHARX); a bad one gives a toast. */
void               natter_window_import_files         (NatterWindow       *self,
                                                       GFile             **files,
                                                       int                 n_files);
/* Stores @card's character and opens a new chat with it, greeting
 * first. Returns the chat id, or 0 with @error. */
gint64             natter_window_add_character        (NatterWindow       *self,
                                                       NatterCard         *card,
                                                       GError            **error);
/* Imports that failed so far (each also gave a toast). */
guint              natter_window_get_n_import_failures (NatterWindow      *self);
/* "welcome" or "chat". */
const char        *natter_window_get_visible_page     (NatterWindow       *self);
NatterChatView    *natter_window_get_chat_view        (NatterWindow       *self);
NatterComposer    *natter_window_get_composer         (NatterWindow       *self);
GtkDropDown       *natter_window_get_profile_dropdown (NatterWindow       *self);
NatterPresetDropdown *natter_window_get_preset_dropdown (NatterWindow      *self);
NatterWelcomePage *natter_window_get_welcome_page     (NatterWindow       *self);
GtkEntry          *natter_window_get_model_entry      (NatterWindow       *self);
GtkSearchEntry    *natter_window_get_search_entry     (NatterWindow       *self);
NatterCharacterPage *natter_window_get_character_page (NatterWindow       *self);
/* The edit action's save: only @item's message is written. With
 * @regenerate (only for the last message the user wrote) the reply after
 * it gets a new alternative, or a reply is asked for when there is none. */
gboolean           natter_window_edit_message         (NatterWindow       *self,
                                                       NatterMessageItem  *item,
                                                       const char         *text,
                                                       gboolean            regenerate,
                                                       GError            **error);
/* The sidebar search's "Messages" section: full-text hits for what is
 * typed, newest first; a hit's snippet as markup (the match in bold);
 * activating one opens its chat and scrolls to the message. */
guint              natter_window_get_n_message_hits   (NatterWindow       *self);
const char        *natter_window_get_message_hit_markup (NatterWindow     *self,
                                                       guint               index);
void               natter_window_activate_message_hit (NatterWindow       *self,
                                                       guint               index);
/* The Ctrl+N chooser while it is open, else NULL. */
NatterNewChatDialog *natter_window_get_new_chat_dialog (NatterWindow      *self);

G_END_DECLS
