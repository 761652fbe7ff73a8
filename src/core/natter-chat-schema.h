/* natter-chat-schema.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "natter-chat-store.h"
#include "natter-dialect.h"

G_BEGIN_DECLS

/* A chat's response format: a JSON Schema every reply is asked to follow
 * (and checked against), kept in the chat's metadata under
 * "response_format": {"name", "enabled", "schema"}. */
typedef struct
{
  char       *name;     /* nullable */
  gboolean    enabled;
  JsonObject *schema;   /* owned ref, nullable */
} NatterChatSchema;

void              natter_chat_schema_free (NatterChatSchema *schema);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterChatSchema, natter_chat_schema_free)

/* NULL when the chat has none. */
NatterChatSchema *natter_chat_schema_get  (NatterChatStore  *store,
                                           gint64            chat_id);
/* @schema NULL removes it. */
gboolean          natter_chat_schema_set  (NatterChatStore  *store,
                                           gint64            chat_id,
                                           const char       *name,
                                           gboolean          enabled,
                                           JsonObject       *schema,
                                           GError          **error);
/* Puts the chat's schema, when it is on, on @prompt. */
void              natter_chat_schema_apply (NatterChatStore *store,
                                            gint64           chat_id,
                                            NatterPrompt    *prompt);

G_END_DECLS
