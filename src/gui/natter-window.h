/* natter-window.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-application.h"
#include "natter-chat-view.h"
#include "natter-composer.h"
#include "natter-welcome-page.h"

G_BEGIN_DECLS

#define NATTER_TYPE_WINDOW (natter_window_get_type ())
G_DECLARE_FINAL_TYPE (NatterWindow, natter_window, NATTER, WINDOW, AdwApplicationWindow)

NatterWindow      *natter_window_new                  (NatterApplication  *application);
/* Sends @text as the person's message (no slash command parsing). */
void               natter_window_send_message         (NatterWindow       *self,
                                                       const char         *text);
/* Cancels the streaming reply at once; what arrived stays. */
void               natter_window_stop                 (NatterWindow       *self);
/* Imports character cards (PNG, JSON, CHARX); a bad one gives a toast. */
void               natter_window_import_files         (NatterWindow       *self,
                                                       GFile             **files,
                                                       int                 n_files);
/* "welcome" or "chat". */
const char        *natter_window_get_visible_page     (NatterWindow       *self);
NatterChatView    *natter_window_get_chat_view        (NatterWindow       *self);
NatterComposer    *natter_window_get_composer         (NatterWindow       *self);
GtkDropDown       *natter_window_get_profile_dropdown (NatterWindow       *self);
NatterWelcomePage *natter_window_get_welcome_page     (NatterWindow       *self);
GtkEntry          *natter_window_get_model_entry      (NatterWindow       *self);

G_END_DECLS
