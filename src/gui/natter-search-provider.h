/* natter-search-provider.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

/* org.gnome.Shell.SearchProvider2: what the Shell's overview asks of
 * Natter. Chats are found by title (or character name), messages by the store's full-text
 * index (off the main thread); result ids are "chat:CHAT" and
 * "message:CHAT:MESSAGE". The provider knows nothing of windows: it emits
 * "activate-result" (gint64 chat_id, gint64 message_id (0: the chat),
 * guint timestamp) and "launch-search" (const char *text, guint timestamp),
 * and the application shows them. It holds @application while it answers,
 * so a D-Bus activated Natter stays up until the answer is sent. */
#define NATTER_TYPE_SEARCH_PROVIDER (natter_search_provider_get_type ())
G_DECLARE_FINAL_TYPE (NatterSearchProvider, natter_search_provider, NATTER, SEARCH_PROVIDER, GObject)

/* @store may come later (natter_search_provider_set_store()): the object
 * is exported when the application registers, before its start-up opens
 * the database; until then searches find nothing. */
NatterSearchProvider *natter_search_provider_new        (GApplication         *application,
                                                         NatterChatStore      *store);
void                  natter_search_provider_set_store  (NatterSearchProvider *self,
                                                         NatterChatStore      *store);
/* Exports the interface at @object_path on @connection. */
gboolean              natter_search_provider_register   (NatterSearchProvider *self,
                                                         GDBusConnection      *connection,
                                                         const char           *object_path,
                                                         GError              **error);
void                  natter_search_provider_unregister (NatterSearchProvider *self);

/* What GetInitialResultSet answers for @terms: chats whose title and
 * character name hold every term (case and accents folded), then up to
 * @limit messages that do, newest first. The
 * callback runs on the thread default main context of the caller. */
void                  natter_search_provider_find_async  (NatterSearchProvider *self,
                                                          const char *const    *terms,
                                                          guint                 limit,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
/* The result ids (transfer full). */
char                **natter_search_provider_find_finish (NatterSearchProvider *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
/* GetResultMetas for @ids (those of earlier results; unknown ones are
 * left out): an "aa{sv}" with id, name, description and icon (the
 * character's avatar, scaled on a worker thread the first time, or the
 * application's icon). The callback runs on the caller's main context. */
void                  natter_search_provider_get_metas_async  (NatterSearchProvider *self,
                                                               const char *const    *ids,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
GVariant             *natter_search_provider_get_metas_finish (NatterSearchProvider *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

G_END_DECLS
