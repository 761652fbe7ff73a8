/* natter-schema-dialog.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

/* A chat's response format: a name, an on/off switch and a JSON Schema,
 * pasted or loaded from a file, saved with the chat (natter_chat_schema_set()). */
#define NATTER_TYPE_SCHEMA_DIALOG (natter_schema_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NatterSchemaDialog, natter_schema_dialog, NATTER, SCHEMA_DIALOG, AdwWindow)

NatterSchemaDialog *natter_schema_dialog_new (GtkWindow       *parent,
                                              NatterChatStore *store,
                                              gint64           chat_id);

G_END_DECLS
