/* natter-application.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-conversation.h"
#include "natter-database.h"
#include "natter-profile-store.h"
#include "natter-request-log.h"
#include "natter-settings.h"

G_BEGIN_DECLS

#define NATTER_TYPE_APPLICATION (natter_application_get_type ())
G_DECLARE_FINAL_TYPE (NatterApplication, natter_application, NATTER, APPLICATION, AdwApplication)

NatterApplication *natter_application_new                (void);
NatterSettings    *natter_application_get_settings       (NatterApplication *self);
/* The open database, or NULL when opening it failed at start-up (see
 * natter_application_get_startup_error()). */
NatterDatabase    *natter_application_get_database       (NatterApplication *self);
/* Never NULL after start-up (in memory when the database failed). */
NatterProfileStore *natter_application_get_profile_store (NatterApplication *self);
NatterRequestLog  *natter_application_get_request_log    (NatterApplication *self);
NatterClient      *natter_application_get_client         (NatterApplication *self);
NatterChatStore   *natter_application_get_chat_store     (NatterApplication *self);
/* Sends in stored chats (prompt assembly, streaming, saving); NULL when
 * there is no chat store. */
NatterConversation *natter_application_get_conversation  (NatterApplication *self);
/* Why the database could not be opened, or NULL. */
const GError      *natter_application_get_startup_error  (NatterApplication *self);

G_END_DECLS
