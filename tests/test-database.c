/* test-database.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "natter-chat-store.h"
#include "natter-database.h"
#include "natter-database-private.h"
#include "natter-test-util.h"

/* Raw SQLite, independent of the code under test. */
static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);

  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

static void
test_fresh (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "sub", "natter.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *backup = g_strdup_printf ("%s.bak-v0", path);

  db = natter_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);

  g_assert_cmpint (natter_database_get_user_version (db), ==, NATTER_DATABASE_SCHEMA_VERSION);
  g_assert_cmpint (natter_database_get_user_version (db), >=, 1);
  mode = raw_text (natter_database_get_handle (db), "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (raw_int (natter_database_get_handle (db),
                            "SELECT count(*) FROM sqlite_master WHERE name IN "
                            "('profiles','app_state','request_log')"), ==, 3);
  /* A brand-new file is not backed up. */
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));

  g_clear_object (&db);

  /* Reopening an up-to-date file is fine and changes nothing. */
  db = natter_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_database_get_user_version (db), ==, NATTER_DATABASE_SCHEMA_VERSION);
  g_clear_object (&db);

  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

/* Writes a real database with enough rows to span many pages. */
static void
make_real_db (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = natter_database_open (path, &error);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  sqlite3 *handle;

  g_assert_no_error (error);
  handle = natter_database_get_handle (db);
  raw_exec (handle, "CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)");
  raw_exec (handle,
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
            "INSERT INTO filler (data) SELECT randomblob(900) FROM n");
  g_clear_object (&db);

  /* Closed cleanly: everything is in the main file. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
overwrite (const char *path,
           goffset     offset,
           gsize       len)
{
  FILE *f = fopen (path, "r+b");
  g_autofree guint8 *garbage = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    garbage[i] = (guint8) (i * 131 + 7);

  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, offset, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (garbage, 1, len, f), ==, len);
  fclose (f);
}

static void
check_corrupt_untouched (goffset offset,
                         gsize   len)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  make_real_db (path);
  overwrite (path, offset, len);
  before = read_file (path);

  db = natter_database_open (path, &error);
  g_assert_null (db);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("corrupt: %s", error->message);

  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));

  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_corrupt_header (void)
{
  check_corrupt_untouched (0, 4096);
}

static void
test_corrupt_pages (void)
{
  /* Keep the header, smash b-tree pages in the middle of the file. */
  check_corrupt_untouched (4096 * 10, 4096 * 4);
}

static void
test_too_new (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autofree char *bump = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  sqlite3 *raw;

  make_real_db (path);
  raw = raw_open (path);
  bump = g_strdup_printf ("PRAGMA user_version = %d", NATTER_DATABASE_SCHEMA_VERSION + 1);
  raw_exec (raw, bump);
  sqlite3_close (raw);
  before = read_file (path);

  db = natter_database_open (path, &error);
  g_assert_null (db);
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_TOO_NEW);
  g_test_message ("too new: %s", error->message);

  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));

  raw = raw_open (path);
  g_assert_cmpint (raw_int (raw, "PRAGMA user_version"), ==, NATTER_DATABASE_SCHEMA_VERSION + 1);
  sqlite3_close (raw);

  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

/* A file at version latest-1 (built with the real migration SQL), holding
 * rows of ours and a table that is not ours, is migrated with its rows
 * intact and a backup beside it. */
static void
test_migrate_from_previous (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autofree char *backup = NULL;
  g_autofree char *set_version = NULL;
  g_autofree char *check = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = NULL;
  const char * const *migrations;
  guint n_migrations;
  guint from;
  sqlite3 *raw;

  migrations = _natter_database_get_migrations (&n_migrations);
  g_assert_cmpuint (n_migrations, ==, NATTER_DATABASE_SCHEMA_VERSION);
  from = n_migrations - 1;

  raw = raw_open (path);
  for (guint i = 0; i < from; i++)
    raw_exec (raw, migrations[i]);
  set_version = g_strdup_printf ("PRAGMA user_version = %u", from);
  raw_exec (raw, set_version);
  raw_exec (raw, "CREATE TABLE unrelated (word TEXT);"
                 "INSERT INTO unrelated VALUES ('kept'), ('also kept');");
  if (from >= 1)
    raw_exec (raw, "INSERT INTO profiles (uuid, name, provider, created_at, updated_at) "
                   "VALUES ('u-1', 'Old profile', 'openai', 1, 1)");
  sqlite3_close (raw);

  db = natter_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (natter_database_get_user_version (db), ==, NATTER_DATABASE_SCHEMA_VERSION);
  raw = natter_database_get_handle (db);
  g_assert_cmpint (raw_int (raw, "SELECT count(*) FROM unrelated"), ==, 2);
  g_assert_cmpint (raw_int (raw, "SELECT count(*) FROM unrelated WHERE word = 'also kept'"), ==, 1);
  if (from >= 1)
    g_assert_cmpint (raw_int (raw, "SELECT count(*) FROM profiles WHERE name = 'Old profile'"), ==, 1);
  g_assert_cmpint (raw_int (raw, "SELECT count(*) FROM request_log"), ==, 0);
  g_clear_object (&db);

  backup = g_strdup_printf ("%s.bak-v%u", path, from);
  g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
  raw = raw_open (backup);
  g_assert_cmpint (raw_int (raw, "PRAGMA user_version"), ==, from);
  g_assert_cmpint (raw_int (raw, "SELECT count(*) FROM unrelated"), ==, 2);
  check = raw_text (raw, "PRAGMA quick_check");
  g_assert_cmpstr (check, ==, "ok");
  sqlite3_close (raw);

  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_prepare_cache (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterDatabase) db = natter_database_open (path, &error);
  sqlite3_stmt *a;
  sqlite3_stmt *b;

  g_assert_no_error (error);
  a = natter_database_prepare (db, "SELECT count(*) FROM profiles", &error);
  g_assert_no_error (error);
  b = natter_database_prepare (db, "SELECT count(*) FROM profiles", &error);
  g_assert_true (a == b);

  g_assert_null (natter_database_prepare (db, "SELECT nonsense FROM nowhere", &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_FAILED);
  g_clear_object (&db);

  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

/* Opens the database named in the environment and dies with SIGKILL while
 * it is open (the child half of the tests below). */
static void
open_and_die (void)
{
  g_autoptr(GError) error = NULL;
  NatterDatabase *db = natter_database_open (g_getenv ("NATTER_TEST_DB_PATH"), &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  kill (getpid (), SIGKILL);
}

static void
kill_while_open (const char *path)
{
  g_setenv ("NATTER_TEST_DB_PATH", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();
}

static gboolean
open_checked (const char *path)
{
  g_autoptr(GError) error = NULL;
  NatterDatabase *db = natter_database_open (path, &error);
  gboolean checked;

  g_assert_no_error (error);
  checked = _natter_database_get_checked (db);
  g_assert_finalize_object (db);

  return checked;
}

static void
test_check_after_unclean_close (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  NatterDatabase *a;
  NatterDatabase *b;
  sqlite3 *raw;

  if (g_test_subprocess ())
    {
      open_and_die ();
      return;
    }

  dir = natter_test_tmpdir_new ();
  path = g_build_filename (dir, "natter.db", NULL);

  /* A new file is checked (it costs nothing); after a clean close, not. */
  g_assert_true (open_checked (path));
  g_assert_false (open_checked (path));
  g_assert_false (open_checked (path));

  /* kill -9 while open: the next start checks, once. */
  kill_while_open (path);
  g_assert_true (open_checked (path));
  g_assert_false (open_checked (path));

  /* Two at once (the app and natter-cli): the second does not check, and
   * the first to close does not stamp while the other is open. */
  a = natter_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (_natter_database_get_checked (a));
  b = natter_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (_natter_database_get_checked (b));
  natter_database_exec (b, "INSERT INTO app_state (key, value) VALUES ('k', 'v')", &error);
  g_assert_no_error (error);
  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
  g_assert_false (open_checked (path));

  /* Killed while another process keeps it open: the survivor's clean
   * close stamps it (SQLite itself keeps the file whole across a kill). */
  a = natter_database_open (path, &error);
  g_assert_no_error (error);
  kill_while_open (path);
  g_assert_finalize_object (a);
  g_assert_false (open_checked (path));

  /* Written by some other program since the last clean close: checked. */
  raw = raw_open (path);
  raw_exec (raw, "INSERT INTO app_state (key, value) VALUES ('other', 'program')");
  sqlite3_close (raw);
  g_assert_true (open_checked (path));
  g_assert_false (open_checked (path));

  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

static void
test_fts_repaired (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  NatterDatabase *db;
  NatterChatStore *store;
  sqlite3 *raw;
  gint64 chat;
  int rc;

  if (g_test_subprocess ())
    {
      open_and_die ();
      return;
    }

  dir = natter_test_tmpdir_new ();
  path = g_build_filename (dir, "natter.db", NULL);

  db = natter_database_open (path, &error);
  g_assert_no_error (error);
  store = natter_chat_store_new (db);
  chat = natter_chat_store_new_chat (store, 0, "Lore", &error);
  for (int i = 0; i < 200; i++)
    {
      g_autofree char *text = g_strdup_printf ("entry %d tells of %s and the sea", i,
                                               i % 50 == 0 ? "dragons" : "sailors");

      natter_chat_store_append_message (store, chat, NATTER_ROLE_USER, "me", text, &error);
      g_assert_no_error (error);
    }
  g_assert_finalize_object (store);
  g_assert_finalize_object (db);

  /* The app is killed; then the index's leaves are overwritten. */
  kill_while_open (path);
  raw = raw_open (path);
  g_assert_cmpint (raw_int (raw, "SELECT count(*) FROM swipes_fts_data WHERE id > 10"), >, 0);
  raw_exec (raw, "UPDATE swipes_fts_data SET block = randomblob(length(block)) WHERE id > 10");
  rc = sqlite3_exec (raw, "INSERT INTO swipes_fts(swipes_fts) VALUES ('integrity-check')", NULL, NULL, NULL);
  g_assert_cmpint (rc, !=, SQLITE_OK);
  sqlite3_close (raw);

  /* The next start finds it damaged and builds it again from the messages. */
  db = natter_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (_natter_database_get_checked (db));
  g_assert_true (_natter_database_wait_for_checks (db));
  g_assert_true (_natter_database_get_fts_rebuilt (db));
  store = natter_chat_store_new (db);
  hits = natter_chat_store_search (store, "dragons", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 4);
  for (guint i = 0; i < hits->len; i++)
    g_assert_nonnull (strstr (((NatterSearchHit *) hits->pdata[i])->snippet, "dragons"));
  g_clear_pointer (&hits, g_ptr_array_unref);
  g_assert_finalize_object (store);
  g_assert_finalize_object (db);

  raw = raw_open (path);
  g_assert_cmpint (sqlite3_exec (raw, "INSERT INTO swipes_fts(swipes_fts) VALUES ('integrity-check')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

/* Closing explicitly (the app at shutdown, whatever still holds the
 * database) counts as a clean close; calls afterwards fail cleanly. */
static void
test_close (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autoptr(GError) error = NULL;
  NatterDatabase *db;

  db = natter_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (natter_database_exec (db, "INSERT INTO app_state (key, value) VALUES ('a', 'b')", &error));

  natter_database_close (db);
  natter_database_close (db);
  g_assert_false (natter_database_exec (db, "INSERT INTO app_state (key, value) VALUES ('c', 'd')", &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_null (natter_database_prepare (db, "SELECT 1", &error));
  g_assert_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (natter_database_begin (db, &error));
  g_clear_error (&error);
  natter_database_rollback (db);
  g_assert_false (natter_database_check_external_changes (db));

  /* Still referenced, yet the next start finds it closed cleanly, with
   * what was written. */
  g_assert_false (open_checked (path));
  {
    sqlite3 *raw = raw_open (path);

    g_assert_cmpint (raw_int (raw, "SELECT count(*) FROM app_state WHERE key = 'a'"), ==, 1);
    sqlite3_close (raw);
  }
  g_assert_finalize_object (db);

  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

/* Opening while another process has the file open: no check when that one
 * opened it ("open" in the state file); a check when it is still there but
 * never got the file open (its check failed, or it died checking). */
static void
test_open_beside_another (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "natter.db", NULL);
  g_autofree char *state = g_strconcat (path, "-state", NULL);
  g_autofree char *contents = NULL;
  int fd;

  g_assert_true (open_checked (path));
  g_assert_true (g_file_get_contents (state, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "natter-clean-close "));

  /* Another process holds the file open, and opened it. */
  fd = open (state, O_RDWR | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_SH), ==, 0);
  g_assert_cmpint (pwrite (fd, "open\n", 5, 0), ==, 5);
  g_assert_cmpint (ftruncate (fd, 5), ==, 0);
  g_assert_false (open_checked (path));

  /* Another process holds it, but never got it open. */
  g_assert_cmpint (ftruncate (fd, 0), ==, 0);
  g_assert_true (open_checked (path));

  /* Ours closed, the other still open: nothing stamped. */
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (state, &contents, NULL, NULL));
  g_assert_false (g_str_has_prefix (contents, "natter-clean-close "));
  close (fd);

  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/database/fresh", test_fresh);
  g_test_add_func ("/natter/database/corrupt-header", test_corrupt_header);
  g_test_add_func ("/natter/database/corrupt-pages", test_corrupt_pages);
  g_test_add_func ("/natter/database/too-new", test_too_new);
  g_test_add_func ("/natter/database/migrate-from-previous", test_migrate_from_previous);
  g_test_add_func ("/natter/database/prepare-cache", test_prepare_cache);
  g_test_add_func ("/natter/database/check-after-unclean-close", test_check_after_unclean_close);
  g_test_add_func ("/natter/database/fts-repaired", test_fts_repaired);
  g_test_add_func ("/natter/database/close", test_close);
  g_test_add_func ("/natter/database/open-beside-another", test_open_beside_another);

  return g_test_run ();
}
