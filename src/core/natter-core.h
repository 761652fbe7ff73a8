/* natter-core.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The engine's public API in one include, ordered by layer (DESIGN.md):
 * values, then net and dialects, then prompt, store and cards, then the
 * client and conversation that tie them together. */

#pragma once

#include "natter-types.h"
#include "natter-request.h"
#include "natter-delta.h"
#include "natter-tool.h"
#include "natter-profile.h"
#include "natter-headers.h"

#include "natter-sse-framer.h"
#include "natter-ndjson-framer.h"
#include "natter-event-stream-framer.h"
#include "natter-transport.h"
#include "natter-catalog.h"
#include "natter-dialect.h"
#include "natter-anthropic-cache.h"
#include "natter-cloud.h"
#include "natter-service-account.h"

#include "natter-macros.h"
#include "natter-instruct.h"
#include "natter-lorebook.h"
#include "natter-tokens.h"
#include "natter-prompt-builder.h"

#include "natter-database.h"
#include "natter-profile-store.h"
#include "natter-secrets.h"
#include "natter-request-log.h"
#include "natter-usage-store.h"
#include "natter-chat-store.h"
#include "natter-st-chat.h"

#include "natter-card.h"
#include "natter-png.h"
#include "natter-charx.h"
#include "natter-worldbook.h"

#include "natter-client.h"
#include "natter-model-settings.h"
#include "natter-account.h"
#include "natter-openrouter-signin.h"
#include "natter-conversation.h"
#include "natter-conversation-group.h"
#include "natter-cloud-profile.h"
