/* natter-test-util.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "natter-test-util.h"

char *
natter_test_tmpdir_new (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("natter-test-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
natter_test_tmpdir_free (char *dir)
{
  if (dir == NULL)
    return;

  remove_tree (dir);
  g_free (dir);
}

char *
natter_test_fixture_path (const char *relative)
{
  const char *base = g_getenv ("NATTER_FIXTURES_DIR");

  g_assert_nonnull (base);

  return g_build_filename (base, relative, NULL);
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;

  return G_SOURCE_REMOVE;
}

gboolean
natter_test_wait_for (gboolean *flag,
                      guint     timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (!expired)
    g_source_remove (id);

  return *flag;
}

void
natter_test_engine_open (NatterTestEngine *engine)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  engine->tmpdir = natter_test_tmpdir_new ();
  path = g_build_filename (engine->tmpdir, "natter.db", NULL);
  engine->database = natter_database_open (path, &error);
  g_assert_no_error (error);
  engine->log = natter_request_log_new (engine->database, &error);
  g_assert_no_error (error);
  engine->client = natter_client_new (engine->database, NULL, engine->log);
  engine->store = natter_chat_store_new (engine->database);
  engine->conv = natter_conversation_new (engine->store, engine->client);
  engine->fake = natter_fake_provider_new ();
}

void
natter_test_engine_close (NatterTestEngine *engine)
{
  g_clear_pointer (&engine->fake, natter_fake_provider_free);
  g_clear_object (&engine->conv);
  g_clear_object (&engine->store);
  g_clear_object (&engine->client);
  g_clear_object (&engine->log);
  g_clear_object (&engine->database);
  natter_test_tmpdir_free (engine->tmpdir);
}
