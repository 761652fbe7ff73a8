/* natter-personas-dialog.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

#define NATTER_TYPE_PERSONAS_DIALOG (natter_personas_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NatterPersonasDialog, natter_personas_dialog, NATTER, PERSONAS_DIALOG, AdwWindow)

/* The person's personas: add, edit (name, description, avatar, where the
 * description goes), delete, make one the default, and lock one to
 * @chat_id or @character_id (0: not offered). Changes are saved at once. */
NatterPersonasDialog *natter_personas_dialog_new (GtkWindow       *parent,
                                                  NatterChatStore *store,
                                                  gint64           chat_id,
                                                  gint64           character_id);

G_END_DECLS
