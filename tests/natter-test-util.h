/* natter-test-util.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-chat-store.h"
#include "natter-client.h"
#include "natter-conversation.h"
#include "natter-database.h"
#include "natter-fake-provider.h"
#include "natter-request-log.h"

G_BEGIN_DECLS

/* A fresh temporary directory, removed by natter_test_tmpdir_free(). */
char  *natter_test_tmpdir_new    (void);
void   natter_test_tmpdir_free   (char        *dir);
/* Path of a file in tests/fixtures (NATTER_FIXTURES_DIR). */
char  *natter_test_fixture_path  (const char  *relative);
/* Spins the default main context until *@flag is TRUE or @timeout_ms passes. */
gboolean natter_test_wait_for    (gboolean    *flag,
                                  guint        timeout_ms);

/* The engine of a conversation test: a database in a fresh temporary
 * directory, its request log, client, chat store and conversation, and a
 * fake provider on loopback. */
typedef struct
{
  char               *tmpdir;
  NatterDatabase     *database;
  NatterRequestLog   *log;
  NatterClient       *client;
  NatterChatStore    *store;
  NatterConversation *conv;
  NatterFakeProvider *fake;
} NatterTestEngine;

void   natter_test_engine_open   (NatterTestEngine *engine);
void   natter_test_engine_close  (NatterTestEngine *engine);

G_END_DECLS
