/* kill-writer.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* For tests/test-kill.sh.
 *
 *   kill-writer DB          starts a new chat and streams replies into it
 *                           slowly, forever (until it is killed)
 *   kill-writer --check DB  checks what the killed writers left: the file is
 *                           sound, every finished message is exactly what
 *                           was written, and at most the last message of
 *                           each chat is a partial reply, marked incomplete.
 *
 * Contents are a function of the position, so the check needs no record
 * of what the writer did. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "natter-chat-store.h"

#define CHUNKS_PER_REPLY 60

static char *
user_text (gint64 position)
{
  return g_strdup_printf ("user message %" G_GINT64_FORMAT, position);
}

static char *
reply_chunk (gint64 position,
             int    k)
{
  return g_strdup_printf ("r%" G_GINT64_FORMAT ".%d; ", position, k);
}

static char *
reply_text (gint64 position)
{
  GString *s = g_string_new (NULL);

  for (int k = 0; k < CHUNKS_PER_REPLY; k++)
    {
      g_autofree char *chunk = reply_chunk (position, k);
      g_string_append (s, chunk);
    }

  return g_string_free (s, FALSE);
}

static int
run_writer (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = natter_database_open (path, &error);
  g_autoptr(NatterChatStore) store = NULL;
  gint64 chat;

  if (db == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  store = natter_chat_store_new (db);
  chat = natter_chat_store_new_chat (store, 0, "kill test", &error);
  if (chat == 0)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (gint64 position = 0; ; position += 2)
    {
      g_autofree char *text = user_text (position);
      g_autoptr(NatterReplyWriter) writer = NULL;

      if (!natter_chat_store_append_message (store, chat, NATTER_ROLE_USER, "User", text, &error))
        break;

      if (!(writer = natter_chat_store_begin_reply (store, chat, "slow-model", "Bot", 0, &error)))
        break;

      for (int k = 0; k < CHUNKS_PER_REPLY; k++)
        {
          g_autofree char *chunk = reply_chunk (position + 1, k);

          if (!natter_reply_writer_append (writer, chunk, -1, &error))
            goto out;
          g_usleep (2000);
        }

      if (!natter_reply_writer_finish (writer, NATTER_SWIPE_STATE_COMPLETE,
                                       NATTER_ERROR_CATEGORY_NONE, NULL, &error))
        break;
    }

out:
  g_printerr ("%s\n", error ? error->message : "stopped");
  return 1;
}

static gboolean
pragma_ok (NatterDatabase *db,
           const char     *sql,
           gboolean        rows_mean_trouble)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  if (sqlite3_prepare_v2 (natter_database_get_handle (db), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_printerr ("%s: %s\n", sql, sqlite3_errmsg (natter_database_get_handle (db)));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (rows_mean_trouble || g_strcmp0 (line, "ok") != 0)
        {
          g_printerr ("%s: %s\n", sql, line ? line : "(row)");
          ok = FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      g_printerr ("%s: %s\n", sql, sqlite3_errmsg (natter_database_get_handle (db)));
      ok = FALSE;
    }
  sqlite3_finalize (stmt);

  return ok;
}

static int
run_check (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = natter_database_open (path, &error);
  g_autoptr(NatterChatStore) store = NULL;
  g_autoptr(GPtrArray) chats = NULL;
  guint n_messages = 0, n_partial = 0;

  if (db == NULL)
    {
      g_printerr ("open: %s\n", error->message);
      return 1;
    }

  if (!pragma_ok (db, "PRAGMA quick_check", FALSE) ||
      !pragma_ok (db, "PRAGMA foreign_key_check", TRUE) ||
      !natter_database_exec (db, "INSERT INTO swipes_fts(swipes_fts, rank) VALUES ('integrity-check', 1)", &error))
    {
      if (error)
        g_printerr ("fts: %s\n", error->message);
      return 1;
    }

  store = natter_chat_store_new (db);
  if (!(chats = natter_chat_store_list_chats (store, 0, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint c = 0; c < chats->len; c++)
    {
      gint64 chat = natter_chat_get_id (chats->pdata[c]);
      g_autoptr(GPtrArray) page = natter_chat_store_page_messages (store, chat, -1, G_MAXINT, &error);

      if (page == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      for (guint i = 0; i < page->len; i++)
        {
          NatterChatMessage *m = page->pdata[i];
          gint64 position = natter_chat_message_get_position (m);
          const char *content = natter_chat_message_get_content (m);
          NatterSwipeState state = natter_chat_message_get_state (m);
          gboolean last = i + 1 == page->len;
          g_autofree char *expected = position % 2 == 0 ? user_text (position) : reply_text (position);

          n_messages++;
          if (position != (gint64) i)
            {
              g_printerr ("chat %" G_GINT64_FORMAT ": message at position %" G_GINT64_FORMAT
                          " where %u was expected\n", chat, position, i);
              return 1;
            }
          if (state == NATTER_SWIPE_STATE_COMPLETE)
            {
              if (g_strcmp0 (content, expected) != 0)
                {
                  g_printerr ("chat %" G_GINT64_FORMAT ": finished message %" G_GINT64_FORMAT
                              " changed: “%s”\n", chat, position, content);
                  return 1;
                }
            }
          else
            {
              n_partial++;
              if (!last || position % 2 == 0 || state != NATTER_SWIPE_STATE_INCOMPLETE ||
                  !g_str_has_prefix (expected, content))
                {
                  g_printerr ("chat %" G_GINT64_FORMAT ": bad partial message %" G_GINT64_FORMAT
                              " (state %s, last %d): “%s”\n", chat, position,
                              natter_swipe_state_to_string (state), last, content);
                  return 1;
                }
            }
        }
    }

  g_print ("chats %u, messages %u, partial replies %u\n", chats->len, n_messages, n_partial);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--check"))
    return run_check (argv[2]);
  if (argc == 2)
    return run_writer (argv[1]);

  g_printerr ("Usage: kill-writer DB | kill-writer --check DB\n");
  return 2;
}
