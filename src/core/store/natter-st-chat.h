/* natter-st-chat.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-chat-store.h"

G_BEGIN_DECLS

/* SillyTavern chat files: JSONL, a header line (user_name, character_name,
 * create_date, chat_metadata) then one message object per line (name,
 * is_user, is_system, send_date, mes, swipes, swipe_id, swipe_info, extra,
 * and whatever else the writer put there).
 *
 * Every field is kept: the header goes into the chat's metadata under
 * "sillytavern_header", each message object into the message's extra
 * column, each swipe_info entry into its swipe. Export starts from those
 * objects and writes Natter's current values over them (name, is_user,
 * is_system, mes, swipes, swipe_id, extra.reasoning, extra.model), so an
 * imported file exports back to JSON-equal lines and an exported chat
 * re-imports identically. */

#define NATTER_ST_CHAT_ERROR (natter_st_chat_error_quark ())

typedef enum
{
  NATTER_ST_CHAT_ERROR_INVALID,  /* not a SillyTavern chat; the message names the line */
  NATTER_ST_CHAT_ERROR_EMPTY,    /* no lines at all */
} NatterStChatError;

/* The longest line an import accepts (SillyTavern writes one message a
 * line; a real one is a few kilobytes). */
#define NATTER_ST_CHAT_MAX_LINE (16 * 1024 * 1024)

GQuark   natter_st_chat_error_quark  (void);

/* Imports @data (@len bytes, -1: NUL-terminated) as a new chat in one
 * transaction: on any error nothing is imported. @character_id 0 for none;
 * @title NULL for one made from the header. Returns the chat id, 0 on error
 * (NATTER_ST_CHAT_ERROR or NATTER_STORE_ERROR). Blocking: a long chat is
 * worth a worker thread with its own store. */
gint64   natter_st_chat_import_data  (NatterChatStore  *store,
                                      const char       *data,
                                      gssize            len,
                                      gint64            character_id,
                                      const char       *title,
                                      GError          **error);
gint64   natter_st_chat_import_file  (NatterChatStore  *store,
                                      const char       *path,
                                      gint64            character_id,
                                      const char       *title,
                                      GError          **error);

/* The chat as JSONL text (each line ends with "\n"). */
char    *natter_st_chat_export_data  (NatterChatStore  *store,
                                      gint64            chat_id,
                                      gsize            *len,
                                      GError          **error);
/* Writes the export to @path atomically (a temporary file renamed over it). */
gboolean natter_st_chat_export_file  (NatterChatStore  *store,
                                      gint64            chat_id,
                                      const char       *path,
                                      GError          **error);

G_END_DECLS
