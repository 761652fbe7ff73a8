/* natter-database.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-database"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "natter-database.h"
#include "natter-database-private.h"

typedef struct _FtsJob FtsJob;

struct _NatterDatabase
{
  GObject     parent_instance;
  char       *path;
  sqlite3    *db;
  GHashTable *statements;  /* sql → sqlite3_stmt */

  /* "<path>-state": flock()ed shared while the file is open (exclusive
   * while one opener checks it); holds the stamp of the last clean close. */
  int         state_fd;
  gboolean    opened;      /* open succeeded: a clean close may stamp */
  gboolean    checked;     /* the integrity check ran at open */
  gboolean    fts_rebuilt;
  FtsJob     *fts_job;   /* the search index check, on its own thread */

  gint64      data_version;
  GSource    *poll;
  GCancellable *cancellable;  /* readers: interrupts queries */
};

G_DEFINE_TYPE (NatterDatabase, natter_database, G_TYPE_OBJECT)

enum {
  CHANGED_EXTERNALLY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* How often the data version is polled for changes by other processes. */
#define POLL_INTERVAL_MS 500

G_DEFINE_QUARK (natter-store-error-quark, natter_store_error)

/* Whether the file holds anything at all (tables of ours or of anyone). */
static gboolean
has_content (NatterDatabase *self)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (self->db, "SELECT 1 FROM sqlite_master LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    return TRUE;
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);

  return found;
}

static gboolean closed (NatterDatabase  *self,
                        GError         **error);
static void     stamp_clean_close (NatterDatabase *self,
                                   gboolean        fts_pending);
static gboolean finish_fts_job    (NatterDatabase *self,
                                   gboolean        cancel);
static void     drop_fts_job      (NatterDatabase *self);

void
natter_database_close (NatterDatabase *self)
{
  gboolean fts_pending;

  g_return_if_fail (NATTER_IS_DATABASE (self));

  /* The check's connection closes before ours, so ours is the last one. */
  fts_pending = !finish_fts_job (self, TRUE);
  drop_fts_job (self);

  if (self->poll != NULL)
    {
      g_source_destroy (self->poll);
      g_clear_pointer (&self->poll, g_source_unref);
    }
  g_hash_table_remove_all (self->statements);
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  if (self->state_fd >= 0)
    {
      if (self->opened)
        stamp_clean_close (self, fts_pending);
      close (self->state_fd);
      self->state_fd = -1;
    }
}

static void
natter_database_finalize (GObject *object)
{
  NatterDatabase *self = (NatterDatabase *)object;

  natter_database_close (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (natter_database_parent_class)->finalize (object);
}

static void
natter_database_class_init (NatterDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_database_finalize;

  signals[CHANGED_EXTERNALLY] =
    g_signal_new ("changed-externally", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
natter_database_init (NatterDatabase *self)
{
  self->state_fd = -1;
  self->data_version = -1;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
}

char *
natter_database_dup_data_dir (void)
{
  const char *env = g_getenv ("NATTER_DATA_DIR");
  char *dir;

  if (env != NULL && env[0] != '\0')
    dir = g_strdup (env);
  else
    dir = g_build_filename (g_get_user_data_dir (),
                            DEVELOPMENT_BUILD ? "natter-devel" : "natter",
                            NULL);

  g_mkdir_with_parents (dir, 0700);

  return dir;
}

char *
natter_database_dup_default_path (void)
{
  g_autofree char *dir = natter_database_dup_data_dir ();

  return g_build_filename (dir, "natter.db", NULL);
}

static gboolean
closed (NatterDatabase  *self,
        GError         **error)
{
  if (self->db != NULL)
    return FALSE;

  g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_FAILED,
               _("The database %s is closed."), self->path ? self->path : "");
  return TRUE;
}

gboolean
natter_database_set_error (NatterDatabase  *self,
                           GError         **error,
                           const char      *failure)
{
  int code = sqlite3_extended_errcode (self->db) & 0xff;
  int domain_code = NATTER_STORE_ERROR_FAILED;

  if (code == SQLITE_FULL)
    domain_code = NATTER_STORE_ERROR_FULL;
  else if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    domain_code = NATTER_STORE_ERROR_CORRUPT;
  else if (code == SQLITE_CONSTRAINT)
    domain_code = NATTER_STORE_ERROR_EXISTS;

  if (domain_code == NATTER_STORE_ERROR_FULL)
    g_set_error (error, NATTER_STORE_ERROR, domain_code,
                 /* Translators: %s is a whole sentence saying what failed,
                  * such as “Could not save the chat”. */
                 _("%s: the disk is full. Nothing was changed."), failure);
  else
    g_set_error (error, NATTER_STORE_ERROR, domain_code,
                 /* Translators: the first %s is a whole sentence saying what
                  * failed, such as “Could not save the chat”; the second is
                  * the database's own explanation, in English. */
                 _("%s: %s"), failure, sqlite3_errmsg (self->db));

  return FALSE;
}

gboolean
natter_database_exec (NatterDatabase  *self,
                      const char      *sql,
                      GError         **error)
{
  g_return_val_if_fail (NATTER_IS_DATABASE (self), FALSE);

  if (closed (self, error))
    return FALSE;
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return natter_database_set_error (self, error, _("Could not update the database"));

  return TRUE;
}

sqlite3_stmt *
natter_database_prepare (NatterDatabase  *self,
                         const char      *sql,
                         GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_DATABASE (self), NULL);

  if (closed (self, error))
    return NULL;
  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      natter_database_set_error (self, error, _("Could not read the database"));
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

gboolean
natter_database_begin (NatterDatabase  *self,
                       GError         **error)
{
  return natter_database_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
natter_database_commit (NatterDatabase  *self,
                        GError         **error)
{
  if (!natter_database_exec (self, "COMMIT", error))
    {
      natter_database_rollback (self);
      return FALSE;
    }

  return TRUE;
}

void
natter_database_rollback (NatterDatabase *self)
{
  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

int
natter_database_get_user_version (NatterDatabase *self)
{
  sqlite3_stmt *stmt;
  int version = 0;

  if (self->db == NULL ||
      sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

static gboolean
quick_check (NatterDatabase  *self,
             GError         **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_CORRUPT,
                   _("The database %s cannot be read (%s). It was left untouched."),
                   self->path, sqlite3_errmsg (self->db));
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0 && problems->len < 400)
        g_string_append_printf (problems, "%s%s", problems->len ? "; " : "", line);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE || problems->len > 0)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_CORRUPT,
                   _("The database %s is damaged (%s). It was left untouched; "
                     "restore a backup or move it away to start fresh."),
                   self->path, problems->len ? problems->str : sqlite3_errmsg (self->db));
      return FALSE;
    }

  return TRUE;
}

static gboolean
backup_before_migration (NatterDatabase  *self,
                         int              from_version,
                         GError         **error)
{
  g_autofree char *backup_path = g_strdup_printf ("%s.bak-v%d", self->path, from_version);
  g_autofree char *sql = NULL;
  char *quoted;

  /* VACUUM INTO writes a consistent copy, WAL content included. */
  g_unlink (backup_path);
  quoted = sqlite3_mprintf ("VACUUM INTO %Q", backup_path);
  sql = g_strdup (quoted);
  sqlite3_free (quoted);

  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return natter_database_set_error (self, error, _("Could not back up the database before upgrading it"));

  return TRUE;
}

static gboolean
migrate (NatterDatabase  *self,
         GError         **error)
{
  int version = natter_database_get_user_version (self);
  int latest = natter_database_schema_version ();

  if (version > latest)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_TOO_NEW,
                   _("The database %s was written by a newer version of Natter "
                     "(schema %d, this version knows %d). It was left untouched."),
                   self->path, version, latest);
      return FALSE;
    }

  if (version == latest)
    return TRUE;

  /* A brand-new file has nothing worth a backup; a version-0 file that
   * already holds tables (not ours, or from before user_version) does. */
  if ((version > 0 || has_content (self)) &&
      !backup_before_migration (self, version, error))
    return FALSE;

  for (; version < latest; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      g_debug ("Migrating %s from schema %d to %d", self->path, version, version + 1);

      if (!natter_database_begin (self, error))
        return FALSE;

      if (sqlite3_exec (self->db, _natter_database_get_migrations (NULL)[version], NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec (self->db, bump, NULL, NULL, NULL) != SQLITE_OK)
        {
          natter_database_set_error (self, error, _("Could not upgrade the database"));
          natter_database_rollback (self);
          return FALSE;
        }

      if (!natter_database_commit (self, error))
        return FALSE;
    }

  return TRUE;
}

/* ---- clean close ------------------------------------------------------ */

/* The full check reads the whole file: it runs only when the last run did
 * not close the file cleanly. A clean close (the last connection of every
 * process, found with an exclusive flock() on "<path>-state") stamps the
 * file: it sets the file's modification time to a value of its own (now,
 * with random nanoseconds) and writes device, inode, size and that time
 * into the state file. The next opener that finds the file alone and
 * exactly as stamped skips the check; while the file is open the state
 * says "open", which is all a kill, a crash or a power cut leaves, and a
 * write by any other program sets another modification time: then the
 * check runs once. An opener that finds the file held by another process
 * skips the check when the state says "open" (that one opened it).
 *
 * The check has two parts. PRAGMA quick_check runs before anything else
 * (a damaged file is left untouched). The search index check (and its
 * rebuild when damaged) runs on a thread of its own, so the first window
 * does not wait for it; a run that ends before it finishes stamps the file
 * "fts-pending", and the next start checks the index again. */

#define STAMP_FTS_PENDING "fts-pending\n"
/* While open (a run that dies leaves it). */
#define STATE_OPEN "open\n"

typedef enum
{
  CHECK_NONE,
  CHECK_SEARCH_INDEX,
  CHECK_ALL,
} CheckNeeded;

struct _FtsJob
{
  char     *path;
  GThread  *thread;
  gint      cancel;   /* atomic */
  gint      done;     /* atomic: finished, the index is sound (again) */
  gboolean  rebuilt;  /* read after the thread is joined */
};

static char *
stamp_of (const char *path)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    return NULL;

  return g_strdup_printf ("natter-clean-close 1 %ju %ju %jd %jd %ld\n",
                          (uintmax_t) st.st_dev, (uintmax_t) st.st_ino,
                          (intmax_t) st.st_size,
                          (intmax_t) st.st_mtim.tv_sec, (long) st.st_mtim.tv_nsec);
}

static gboolean
is_plain_file (const char *path)
{
  return path[0] != '\0' && !g_str_equal (path, ":memory:") && !g_str_has_prefix (path, "file:");
}

/* Takes the state lock; returns which checks must run. */
static CheckNeeded
begin_state (NatterDatabase *self)
{
  g_autofree char *state_path = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *expected_pending = NULL;
  char buffer[256];
  ssize_t len;

  if (!is_plain_file (self->path))
    return CHECK_ALL;

  state_path = g_strconcat (self->path, "-state", NULL);
  self->state_fd = g_open (state_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->state_fd < 0)
    {
      g_debug ("Cannot open %s: %s", state_path, g_strerror (errno));
      return CHECK_ALL;
    }

  if (flock (self->state_fd, LOCK_EX | LOCK_NB) != 0)
    {
      /* Open in another process, which checked it or is checking it now:
       * wait for that. It says "open" once it opened the file; when it did
       * not (the check failed, or it died checking), check here too. */
      while (flock (self->state_fd, LOCK_SH) != 0 && errno == EINTR)
        ;
      len = pread (self->state_fd, buffer, sizeof buffer - 1, 0);
      buffer[MAX (len, 0)] = '\0';
      return g_str_equal (buffer, STATE_OPEN) ? CHECK_NONE : CHECK_ALL;
    }

  len = pread (self->state_fd, buffer, sizeof buffer - 1, 0);
  buffer[MAX (len, 0)] = '\0';
  expected = stamp_of (self->path);

  /* Being opened: the stamp no longer holds until the next clean close
   * (and "open" left by a run that died means it was not closed). */
  if (len > 0 && ftruncate (self->state_fd, 0) != 0)
    g_debug ("Cannot clear %s: %s", state_path, g_strerror (errno));

  if (expected == NULL || len <= 0)
    return CHECK_ALL;
  if (g_str_equal (buffer, expected))
    return CHECK_NONE;
  expected_pending = g_strconcat (expected, STAMP_FTS_PENDING, NULL);
  if (g_str_equal (buffer, expected_pending))
    return CHECK_SEARCH_INDEX;

  return CHECK_ALL;
}

/* Opened: say so, and let other openers in (they skip the check). */
static void
share_state (NatterDatabase *self)
{
  if (self->state_fd < 0)
    return;

  if (pwrite (self->state_fd, STATE_OPEN, strlen (STATE_OPEN), 0) != (ssize_t) strlen (STATE_OPEN) ||
      ftruncate (self->state_fd, strlen (STATE_OPEN)) != 0)
    g_debug ("Cannot mark %s as open", self->path);
  while (flock (self->state_fd, LOCK_SH) != 0 && errno == EINTR)
    ;
}

static void
stamp_clean_close (NatterDatabase *self,
                   gboolean        fts_pending)
{
  g_autofree char *stamp = NULL;
  struct timespec times[2];
  gint64 now = g_get_real_time ();

  /* Others still have it open: the last one stamps. */
  if (flock (self->state_fd, LOCK_EX | LOCK_NB) != 0)
    return;

  times[0].tv_sec = 0;
  times[0].tv_nsec = UTIME_OMIT;
  times[1].tv_sec = now / G_USEC_PER_SEC;
  times[1].tv_nsec = (now % G_USEC_PER_SEC) * 1000 + g_random_int_range (1, 1000);
  if (utimensat (AT_FDCWD, self->path, times, 0) != 0)
    return;

  if (!(stamp = stamp_of (self->path)))
    return;
  if (fts_pending)
    {
      char *with = g_strconcat (stamp, STAMP_FTS_PENDING, NULL);

      g_free (stamp);
      stamp = with;
    }

  if (pwrite (self->state_fd, stamp, strlen (stamp), 0) != (ssize_t) strlen (stamp) ||
      ftruncate (self->state_fd, strlen (stamp)) != 0)
    {
      if (ftruncate (self->state_fd, 0) != 0)
        g_debug ("Cannot clear the state of %s", self->path);
    }
}

gboolean
_natter_database_get_checked (NatterDatabase *self)
{
  return self->checked;
}

/* ---- the search index ------------------------------------------------- */

static int
on_fts_progress (void *data)
{
  FtsJob *job = data;

  return g_atomic_int_get (&job->cancel);
}

/* The search index is derived from the messages: when it is damaged, it is
 * built again from them. On its own thread and connection. */
static gpointer
fts_job_run (gpointer data)
{
  FtsJob *job = data;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt;
  gboolean has_fts = FALSE;

  if (sqlite3_open_v2 (job->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    goto out;
  sqlite3_busy_timeout (db, 60000);
  sqlite3_progress_handler (db, 1000, on_fts_progress, job);

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE name = 'swipes_fts'",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      has_fts = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_finalize (stmt);
    }
  if (!has_fts ||
      sqlite3_exec (db, "INSERT INTO swipes_fts(swipes_fts) VALUES ('integrity-check')",
                    NULL, NULL, NULL) == SQLITE_OK)
    {
      g_atomic_int_set (&job->done, TRUE);
      goto out;
    }
  if (g_atomic_int_get (&job->cancel))
    goto out;

  g_message ("The search index of %s is damaged (%s); building it again from the messages",
             job->path, sqlite3_errmsg (db));

  if (sqlite3_exec (db, "BEGIN IMMEDIATE;"
                        "INSERT INTO swipes_fts(swipes_fts) VALUES ('rebuild');"
                        "COMMIT;", NULL, NULL, NULL) == SQLITE_OK)
    {
      job->rebuilt = TRUE;
      g_atomic_int_set (&job->done, TRUE);
    }
  else
    {
      if (!g_atomic_int_get (&job->cancel))
        g_warning ("Could not rebuild the search index of %s: %s", job->path, sqlite3_errmsg (db));
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }

out:
  if (db != NULL)
    sqlite3_close_v2 (db);

  return NULL;
}

static void
start_fts_job (NatterDatabase *self)
{
  self->fts_job = g_new0 (FtsJob, 1);
  self->fts_job->path = g_strdup (self->path);
  self->fts_job->thread = g_thread_new ("natter-fts-check", fts_job_run, self->fts_job);
}

/* Stops the check (a query in progress is interrupted, a rebuild rolled
 * back) and returns whether it finished. */
static gboolean
finish_fts_job (NatterDatabase *self,
                gboolean        cancel)
{
  FtsJob *job = self->fts_job;

  if (job == NULL)
    return TRUE;
  if (job->thread != NULL)
    {
      if (cancel)
        g_atomic_int_set (&job->cancel, TRUE);
      g_thread_join (g_steal_pointer (&job->thread));
    }
  self->fts_rebuilt = job->rebuilt;

  return g_atomic_int_get (&job->done);
}

static void
drop_fts_job (NatterDatabase *self)
{
  if (self->fts_job == NULL)
    return;
  g_free (self->fts_job->path);
  g_clear_pointer (&self->fts_job, g_free);
}

gboolean
_natter_database_wait_for_checks (NatterDatabase *self)
{
  return finish_fts_job (self, FALSE);
}

gboolean
_natter_database_get_fts_rebuilt (NatterDatabase *self)
{
  return self->fts_rebuilt;
}

/* ---- changes by others ------------------------------------------------- */

static gint64
read_data_version (NatterDatabase *self)
{
  sqlite3_stmt *stmt;
  gint64 version = -1;

  if (!(stmt = natter_database_prepare (self, "PRAGMA data_version", NULL)))
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return version;
}

gboolean
natter_database_check_external_changes (NatterDatabase *self)
{
  gint64 version;

  g_return_val_if_fail (NATTER_IS_DATABASE (self), FALSE);

  /* Inside a transaction of ours the answer is about our own snapshot. */
  if (self->db == NULL || !sqlite3_get_autocommit (self->db))
    return FALSE;

  version = read_data_version (self);
  if (version < 0 || version == self->data_version)
    return FALSE;

  self->data_version = version;
  g_signal_emit (self, signals[CHANGED_EXTERNALLY], 0);

  return TRUE;
}

static gboolean
on_poll (gpointer data)
{
  g_autoptr(NatterDatabase) self = g_object_ref (data);

  natter_database_check_external_changes (self);

  return G_SOURCE_CONTINUE;
}

/* Polls on the main thread, or on a thread with a main context of its own;
 * a worker thread without one would have the poll run on the main thread,
 * on a connection it does not own. */
static void
start_polling (NatterDatabase *self)
{
  GMainContext *context = g_main_context_get_thread_default ();

  if (context == NULL && syscall (SYS_gettid) != getpid ())
    return;

  self->data_version = read_data_version (self);
  self->poll = g_timeout_source_new (POLL_INTERVAL_MS);
  g_source_set_callback (self->poll, on_poll, self, NULL);
  g_source_set_static_name (self->poll, "[natter] database changes");
  g_source_attach (self->poll, context);
}

NatterDatabase *
natter_database_open (const char  *path,
                      GError     **error)
{
  g_autoptr(NatterDatabase) self = NULL;
  g_autofree char *dir = NULL;
  CheckNeeded checks;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (NATTER_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);

  dir = g_path_get_dirname (path);
  g_mkdir_with_parents (dir, 0700);

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_FAILED,
                   _("Could not open the database %s: %s"),
                   path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, 1);

  checks = begin_state (self);
  self->checked = checks == CHECK_ALL;
  if (self->checked && !quick_check (self, error))
    return NULL;

  if (sqlite3_exec (self->db,
                    "PRAGMA journal_mode = WAL;"
                    "PRAGMA synchronous = NORMAL;"
                    "PRAGMA foreign_keys = ON;",
                    NULL, NULL, NULL) != SQLITE_OK)
    {
      natter_database_set_error (self, error, _("Could not open the database"));
      return NULL;
    }

  if (!migrate (self, error))
    return NULL;

  if (checks != CHECK_NONE && is_plain_file (self->path))
    start_fts_job (self);

  self->opened = TRUE;
  share_state (self);
  start_polling (self);

  return g_steal_pointer (&self);
}

static int
on_progress (void *data)
{
  NatterDatabase *self = data;

  return g_cancellable_is_cancelled (self->cancellable);
}

void
_natter_database_set_cancellable (NatterDatabase *self,
                                  GCancellable   *cancellable)
{
  g_set_object (&self->cancellable, cancellable);
  sqlite3_progress_handler (self->db, 1000, cancellable ? on_progress : NULL, self);
}

NatterDatabase *
_natter_database_open_reader (const char    *path,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(NatterDatabase) self = NULL;
  int rc;

  self = g_object_new (NATTER_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_FAILED,
                   _("Could not open the database %s: %s"),
                   path, self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, 1);
  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      sqlite3_progress_handler (self->db, 1000, on_progress, self);
    }

  return g_steal_pointer (&self);
}

gboolean
_natter_database_is_shared (NatterDatabase *self)
{
  return is_plain_file (self->path);
}

NatterDatabase *
natter_database_open_default (GError **error)
{
  g_autofree char *path = natter_database_dup_default_path ();

  return natter_database_open (path, error);
}

const char *
natter_database_get_path (NatterDatabase *self)
{
  g_return_val_if_fail (NATTER_IS_DATABASE (self), NULL);

  return self->path;
}

sqlite3 *
natter_database_get_handle (NatterDatabase *self)
{
  g_return_val_if_fail (NATTER_IS_DATABASE (self), NULL);

  return self->db;
}
