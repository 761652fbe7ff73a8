/* natter-database.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "natter-types.h"

G_BEGIN_DECLS

#define NATTER_STORE_ERROR (natter_store_error_quark ())

typedef enum
{
  NATTER_STORE_ERROR_FAILED,
  NATTER_STORE_ERROR_CORRUPT,      /* quick_check failed; the file was left untouched */
  NATTER_STORE_ERROR_TOO_NEW,      /* written by a newer Natter */
  NATTER_STORE_ERROR_NOT_FOUND,
  NATTER_STORE_ERROR_EXISTS,
  NATTER_STORE_ERROR_INVALID,
  NATTER_STORE_ERROR_FULL,         /* disk full */
} NatterStoreError;

GQuark natter_store_error_quark (void);

/* The latest schema version this build writes. */
#define NATTER_DATABASE_SCHEMA_VERSION natter_database_schema_version ()
int             natter_database_schema_version   (void);

#define NATTER_TYPE_DATABASE (natter_database_get_type ())
G_DECLARE_FINAL_TYPE (NatterDatabase, natter_database, NATTER, DATABASE, GObject)

/* $NATTER_DATA_DIR, else $XDG_DATA_HOME/natter (…/natter-devel in
 * development builds). Created when missing. */
char           *natter_database_dup_data_dir     (void);
/* The default database file: <data dir>/natter.db */
char           *natter_database_dup_default_path (void);

/* Opens (creating when missing) the database at @path: WAL, foreign keys
 * on, quick_check (CORRUPT and the file untouched when it fails), then
 * forward migrations, each preceded by a copy of the file beside it
 * ("natter.db.bak-v<old>"). Blocking: call from the CLI, at start-up or from
 * a worker thread. */
NatterDatabase *natter_database_open             (const char      *path,
                                                  GError         **error);
/* Closes the database now rather than when the last reference goes: the
 * app calls it at shutdown, as objects still holding the database may never
 * be finalized. The last connection to close marks the file as closed
 * cleanly (the next start skips the integrity check). Afterwards every call
 * fails with an error; closing twice does nothing. */
void            natter_database_close            (NatterDatabase  *self);
/* Opens the default database (see above). */
NatterDatabase *natter_database_open_default     (GError         **error);
const char     *natter_database_get_path         (NatterDatabase  *self);
sqlite3        *natter_database_get_handle       (NatterDatabase  *self);
int             natter_database_get_user_version (NatterDatabase  *self);

/* Runs @sql (one or more statements, no results). */
gboolean        natter_database_exec             (NatterDatabase  *self,
                                                  const char      *sql,
                                                  GError         **error);
/* Prepares a cached statement: reset and with bindings cleared. Owned by
 * the database, valid until it is finalized. NULL with @error on failure. */
sqlite3_stmt   *natter_database_prepare          (NatterDatabase  *self,
                                                  const char      *sql,
                                                  GError         **error);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Nesting is not supported. */
gboolean        natter_database_begin            (NatterDatabase  *self,
                                                  GError         **error);
gboolean        natter_database_commit           (NatterDatabase  *self,
                                                  GError         **error);
void            natter_database_rollback         (NatterDatabase  *self);
/* "changed-externally" (no arguments) is emitted when another connection
 * (another process, such as natter-cli, or another NatterDatabase on the
 * same file) committed a change. A database opened on the main thread, or
 * on a thread with a thread-default main context, polls PRAGMA data_version
 * every 500 ms on that context; a database opened on a worker thread
 * without one does not poll. This checks at once (tests, or after a window
 * regains focus): emits the signal and returns TRUE when something changed
 * since the last check. */
gboolean        natter_database_check_external_changes (NatterDatabase *self);

/* Sets @error from the connection's last error with a readable message
 * (SQLITE_FULL → NATTER_STORE_ERROR_FULL). @failure is a whole translated
 * sentence without its full stop, such as “Could not save the chat”.
 * Always returns FALSE. */
gboolean        natter_database_set_error        (NatterDatabase  *self,
                                                  GError         **error,
                                                  const char      *failure);

G_END_DECLS
