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
/* Shows chat @chat_id (0: a new, unsaved chat). A reply being generated
 * in the chat shown before goes on. */
void               natter_window_open_chat            (NatterWindow       *self,
                                                       gint64              chat_id);
/* Imports character cards (PNG, JSON, CHARX); a bad one gives a toast. */
void               natter_window_import_files         (NatterWindow       *self,
                                                       GFile             **files,
                                                       int                 n_files);

G_END_DECLS
