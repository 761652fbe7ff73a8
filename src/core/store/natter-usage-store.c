/* natter-usage-store.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-usage-store"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-usage-store.h"

static void
bind_count (sqlite3_stmt *stmt,
            int           index,
            gint64        value)
{
  if (value < 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

gint64
natter_usage_store_record (NatterDatabase          *database,
                           const NatterUsageRecord *record,
                           GError                 **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), 0);
  g_return_val_if_fail (record != NULL, 0);

  stmt = natter_database_prepare (database,
                                  "INSERT INTO usage (at, log_id, chat_id, profile_uuid, profile,"
                                  " provider, model, input_tokens, output_tokens, cache_read_tokens,"
                                  " cache_write_tokens, cost, cost_source)"
                                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, record->at_ms);
  bind_count (stmt, 2, record->log_id > 0 ? record->log_id : -1);
  bind_count (stmt, 3, record->chat_id > 0 ? record->chat_id : -1);
  bind_text (stmt, 4, record->profile_uuid);
  bind_text (stmt, 5, record->profile);
  bind_text (stmt, 6, record->provider);
  bind_text (stmt, 7, record->model);
  bind_count (stmt, 8, record->input_tokens);
  bind_count (stmt, 9, record->output_tokens);
  bind_count (stmt, 10, record->cache_read_tokens);
  bind_count (stmt, 11, record->cache_write_tokens);
  if (record->cost >= 0)
    sqlite3_bind_double (stmt, 12, record->cost);
  else
    sqlite3_bind_null (stmt, 12);
  bind_text (stmt, 13, record->cost >= 0 ? record->cost_source : NULL);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      natter_database_set_error (database, error, _("Cannot record what an exchange cost"));
      sqlite3_reset (stmt);
      return 0;
    }
  sqlite3_reset (stmt);
  id = sqlite3_last_insert_rowid (natter_database_get_handle (database));
  return id;
}

gboolean
natter_usage_store_set_chat (NatterDatabase  *database,
                             gint64           log_id,
                             gint64           chat_id,
                             GError         **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), FALSE);

  if (log_id <= 0 || chat_id <= 0)
    return TRUE;

  stmt = natter_database_prepare (database, "UPDATE usage SET chat_id = ? WHERE log_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, chat_id);
  sqlite3_bind_int64 (stmt, 2, log_id);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    natter_database_set_error (database, error, _("Cannot record what an exchange cost"));
  sqlite3_reset (stmt);
  return ok;
}

gboolean
natter_usage_store_get_exchange (NatterDatabase  *database,
                                 gint64           log_id,
                                 gint64          *cache_read_tokens,
                                 gint64          *cache_write_tokens,
                                 double          *cost,
                                 char           **cost_source)
{
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), FALSE);

  stmt = natter_database_prepare (database,
                                  "SELECT cache_read_tokens, cache_write_tokens, cost, cost_source"
                                  " FROM usage WHERE log_id = ? ORDER BY id DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, log_id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    {
      *cache_read_tokens = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 0);
      *cache_write_tokens = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 1);
      *cost = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? -1 : sqlite3_column_double (stmt, 2);
      if (cost_source != NULL)
        *cost_source = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    }
  sqlite3_reset (stmt);
  return found;
}

char *
natter_usage_store_previous_body (NatterDatabase *database,
                                  gint64          log_id)
{
  sqlite3_stmt *stmt;
  char *body = NULL;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), NULL);

  stmt = natter_database_prepare (database,
                                  "SELECT p.request_body FROM request_log p, request_log c"
                                  " WHERE c.id = ? AND p.id < c.id AND p.profile IS c.profile"
                                  " AND p.url = c.url ORDER BY p.id DESC LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, log_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    body = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return body;
}

static const char * const group_names[] = { "chat", "connection", "day", "month" };

gboolean
natter_usage_group_from_string (const char       *word,
                                NatterUsageGroup *group)
{
  for (guint i = 0; word != NULL && i < G_N_ELEMENTS (group_names); i++)
    if (g_str_equal (word, group_names[i]))
      {
        *group = (NatterUsageGroup) i;
        return TRUE;
      }
  return FALSE;
}

const char *
natter_usage_group_to_string (NatterUsageGroup group)
{
  g_return_val_if_fail ((guint) group < G_N_ELEMENTS (group_names), "chat");
  return group_names[group];
}

void
natter_usage_total_free (NatterUsageTotal *total)
{
  if (total == NULL)
    return;
  g_free (total->key);
  g_free (total->label);
  g_free (total);
}

GPtrArray *
natter_usage_store_totals (NatterDatabase    *database,
                           NatterUsageGroup   group,
                           gint64             since_ms,
                           GError           **error)
{
  g_autoptr(GPtrArray) totals = NULL;
  g_autofree char *sql = NULL;
  const char *key_expr;
  const char *label_expr;
  const char *order;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), NULL);

  switch (group)
    {
    case NATTER_USAGE_BY_CHAT:
      key_expr = "COALESCE(CAST(u.chat_id AS TEXT), '')";
      label_expr = "COALESCE(NULLIF(MAX(c.title), ''), CASE WHEN u.chat_id IS NULL THEN NULL"
                   " ELSE 'Chat ' || u.chat_id END)";
      order = "SUM(u.cost) DESC NULLS LAST, key";
      break;
    case NATTER_USAGE_BY_CONNECTION:
      key_expr = "COALESCE(u.profile, '')";
      label_expr = "NULL";
      order = "SUM(u.cost) DESC NULLS LAST, key";
      break;
    case NATTER_USAGE_BY_DAY:
      key_expr = "strftime('%Y-%m-%d', u.at / 1000, 'unixepoch', 'localtime')";
      label_expr = "NULL";
      order = "key DESC";
      break;
    case NATTER_USAGE_BY_MONTH:
    default:
      key_expr = "strftime('%Y-%m', u.at / 1000, 'unixepoch', 'localtime')";
      label_expr = "NULL";
      order = "key DESC";
      break;
    }

  sql = g_strdup_printf ("SELECT %s AS key, %s, COUNT(*), SUM(u.input_tokens), SUM(u.output_tokens),"
                         " SUM(u.cache_read_tokens), SUM(u.cache_write_tokens), SUM(u.cost),"
                         " SUM(u.cost IS NULL)"
                         " FROM usage u LEFT JOIN chats c ON c.id = u.chat_id"
                         " WHERE u.at >= ? GROUP BY key ORDER BY %s",
                         key_expr, label_expr, order);
  stmt = natter_database_prepare (database, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, MAX (since_ms, 0));

  totals = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_usage_total_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      NatterUsageTotal *total = g_new0 (NatterUsageTotal, 1);
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *label = (const char *) sqlite3_column_text (stmt, 1);

      total->key = g_strdup (key ? key : "");
      if (label != NULL)
        total->label = g_strdup (label);
      else if (group == NATTER_USAGE_BY_CHAT && *total->key == '\0')
        total->label = g_strdup (_("Outside chats"));
      else
        total->label = g_strdup (total->key);
      total->exchanges = sqlite3_column_int64 (stmt, 2);
      total->input_tokens = sqlite3_column_int64 (stmt, 3);
      total->output_tokens = sqlite3_column_int64 (stmt, 4);
      total->cache_read_tokens = sqlite3_column_int64 (stmt, 5);
      total->cache_write_tokens = sqlite3_column_int64 (stmt, 6);
      total->cost = sqlite3_column_double (stmt, 7);
      total->unpriced = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (totals, total);
    }
  if (rc != SQLITE_DONE)
    {
      natter_database_set_error (database, error, _("Cannot read the usage totals"));
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&totals);
}

static void
append_csv_field (GString    *out,
                  const char *value)
{
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
natter_usage_totals_to_csv (GPtrArray        *totals,
                            NatterUsageGroup  group)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s,label,exchanges,input_tokens,output_tokens,"
                          "cache_read_tokens,cache_write_tokens,cost_usd,unpriced\r\n",
                          natter_usage_group_to_string (group));
  for (guint i = 0; totals != NULL && i < totals->len; i++)
    {
      NatterUsageTotal *total = g_ptr_array_index (totals, i);
      char cost[G_ASCII_DTOSTR_BUF_SIZE] = "";

      append_csv_field (out, total->key);
      g_string_append_c (out, ',');
      append_csv_field (out, total->label);
      if (total->unpriced < total->exchanges)
        g_ascii_formatd (cost, sizeof cost, "%.6f", total->cost);
      g_string_append_printf (out, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                              ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%s,%" G_GINT64_FORMAT "\r\n",
                              total->exchanges, total->input_tokens, total->output_tokens,
                              total->cache_read_tokens, total->cache_write_tokens, cost,
                              total->unpriced);
    }
  return g_string_free (out, FALSE);
}

double
natter_usage_price (gint64 input_tokens,
                    gint64 output_tokens,
                    gint64 cache_read_tokens,
                    gint64 cache_write_tokens,
                    double input_price,
                    double output_price,
                    double cache_read_price,
                    double cache_write_price)
{
  gint64 read = MAX (cache_read_tokens, 0);
  gint64 write = MAX (cache_write_tokens, 0);
  gint64 plain;

  if (input_tokens < 0 || output_tokens < 0 || input_price < 0 || output_price < 0)
    return -1;

  plain = MAX (input_tokens - read - write, 0);
  if (cache_read_price < 0)
    cache_read_price = input_price;
  if (cache_write_price < 0)
    cache_write_price = input_price;

  return (plain * input_price + read * cache_read_price + write * cache_write_price +
          output_tokens * output_price) / 1e6;
}
