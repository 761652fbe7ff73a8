/* natter-mcp-store.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-mcp"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "natter-json.h"
#include "natter-mcp-message.h"
#include "natter-mcp-store.h"
#include "natter-secrets.h"

static NatterMcpConfig *
row_to_config (sqlite3_stmt  *stmt,
               GError       **error)
{
  const char *uuid = (const char *) sqlite3_column_text (stmt, 0);
  const char *name = (const char *) sqlite3_column_text (stmt, 1);
  const char *text = (const char *) sqlite3_column_text (stmt, 2);
  g_autoptr(JsonNode) node = natter_json_parse (text != NULL ? text : "{}", -1, NULL);

  return natter_mcp_config_from_json (uuid, name, node, error);
}

GPtrArray *
natter_mcp_store_list (NatterDatabase  *db,
                       GError         **error)
{
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_mcp_config_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (NATTER_IS_DATABASE (db), NULL);

  stmt = natter_database_prepare (db, "SELECT uuid, name, config FROM mcp_servers ORDER BY name COLLATE NOCASE", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      NatterMcpConfig *config = row_to_config (stmt, NULL);

      if (config != NULL)
        g_ptr_array_add (configs, config);
    }
  if (rc != SQLITE_DONE)
    return natter_database_set_error (db, error, _("Could not list the MCP servers")), NULL;
  return g_steal_pointer (&configs);
}

NatterMcpConfig *
natter_mcp_store_get (NatterDatabase  *db,
                      const char      *name,
                      GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (NATTER_IS_DATABASE (db), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = natter_database_prepare (db, "SELECT uuid, name, config FROM mcp_servers WHERE name = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return row_to_config (stmt, error);
  if (rc != SQLITE_DONE)
    return natter_database_set_error (db, error, _("Could not read an MCP server")), NULL;
  g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
               _("There is no MCP server called “%s”."), name);
  return NULL;
}

static char *
name_of_uuid (NatterDatabase *db,
              const char     *uuid)
{
  sqlite3_stmt *stmt = natter_database_prepare (db, "SELECT name FROM mcp_servers WHERE uuid = ?1", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

gboolean
natter_mcp_store_save (NatterDatabase         *db,
                       const NatterMcpConfig  *config,
                       GError                **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *old_name = NULL;
  sqlite3_stmt *stmt;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int rc;

  g_return_val_if_fail (NATTER_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (config != NULL && config->uuid != NULL, FALSE);

  if (!natter_mcp_config_validate (config, error))
    return FALSE;
  node = natter_mcp_config_to_json (config);
  json = json_to_string (node, FALSE);

  if (!natter_database_begin (db, error))
    return FALSE;
  old_name = name_of_uuid (db, config->uuid);
  stmt = natter_database_prepare (db,
                                  "INSERT INTO mcp_servers (uuid, name, config, created_at, updated_at)"
                                  " VALUES (?1, ?2, ?3, ?4, ?4)"
                                  " ON CONFLICT (uuid) DO UPDATE SET name = ?2, config = ?3, updated_at = ?4",
                                  error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, config->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, config->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS,
                   _("There is already an MCP server called “%s”."), config->name);
      goto fail;
    }
  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (db, error, _("Could not save an MCP server"));
      goto fail;
    }
  if (old_name != NULL && !g_str_equal (old_name, config->name))
    {
      stmt = natter_database_prepare (db, "UPDATE OR REPLACE chat_mcp_servers SET server = ?2 WHERE server = ?1", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, old_name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, config->name, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          natter_database_set_error (db, error, _("Could not rename an MCP server"));
          goto fail;
        }
    }
  return natter_database_commit (db, error);

fail:
  natter_database_rollback (db);
  return FALSE;
}

gboolean
natter_mcp_store_remove (NatterDatabase  *db,
                         const char      *name,
                         GError         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!natter_database_begin (db, error))
    return FALSE;
  stmt = natter_database_prepare (db, "DELETE FROM mcp_servers WHERE name = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (db, error, _("Could not remove an MCP server"));
      goto fail;
    }
  if (sqlite3_changes (natter_database_get_handle (db)) == 0)
    {
      g_set_error (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_NOT_FOUND,
                   _("There is no MCP server called “%s”."), name);
      goto fail;
    }
  stmt = natter_database_prepare (db, "DELETE FROM chat_mcp_servers WHERE server = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (db, error, _("Could not remove an MCP server"));
      goto fail;
    }
  return natter_database_commit (db, error);

fail:
  natter_database_rollback (db);
  return FALSE;
}

gboolean
natter_mcp_store_save_secrets_sync (const NatterMcpConfig  *config,
                                    GCancellable           *cancellable,
                                    GError                **error)
{
  char *json;
  gboolean ok;

  g_return_val_if_fail (config != NULL, FALSE);

  json = natter_mcp_config_secret_json (config);
  if (json == NULL)
    return natter_secrets_clear_sync (config->uuid, NATTER_SECRET_HEADERS, cancellable, error);
  ok = natter_secrets_store_sync (config->uuid, NATTER_SECRET_HEADERS, config->name, json, cancellable, error);
  natter_secrets_free (json);
  return ok;
}

gboolean
natter_mcp_store_load_secrets_sync (NatterMcpConfig  *config,
                                    GCancellable     *cancellable,
                                    GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  char *json;

  g_return_val_if_fail (config != NULL, FALSE);

  if (!natter_mcp_config_has_secrets (config))
    return TRUE;
  json = natter_secrets_lookup_sync (config->uuid, NATTER_SECRET_HEADERS, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  natter_mcp_config_apply_secrets (config, json);
  natter_secrets_free (json);
  return TRUE;
}

char **
natter_mcp_chat_servers_get (NatterDatabase  *db,
                             gint64           chat_id,
                             GError         **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (NATTER_IS_DATABASE (db), NULL);

  stmt = natter_database_prepare (db,
                                  "SELECT server FROM chat_mcp_servers WHERE chat_id = ?1"
                                  " ORDER BY server COLLATE NOCASE", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, chat_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    return natter_database_set_error (db, error, _("Could not read a chat’s MCP servers")), NULL;
  return g_strv_builder_end (names);
}

gboolean
natter_mcp_chat_servers_set (NatterDatabase      *db,
                             gint64               chat_id,
                             const char * const  *names,
                             GError             **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (NATTER_IS_DATABASE (db), FALSE);

  if (!natter_database_begin (db, error))
    return FALSE;
  stmt = natter_database_prepare (db, "DELETE FROM chat_mcp_servers WHERE chat_id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, chat_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto sql_fail;
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      stmt = natter_database_prepare (db, "INSERT OR IGNORE INTO chat_mcp_servers (chat_id, server) VALUES (?1, ?2)",
                                      error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, chat_id);
      sqlite3_bind_text (stmt, 2, names[i], -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto sql_fail;
    }
  return natter_database_commit (db, error);

sql_fail:
  natter_database_set_error (db, error, _("Could not save a chat’s MCP servers"));
fail:
  natter_database_rollback (db);
  return FALSE;
}
