/* natter-usage-store.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-database.h"

G_BEGIN_DECLS

/* What each exchange cost: one row per exchange in the table "usage",
 * priced when it happened (the provider's own figure, else the model's
 * prices at that moment), never recomputed from today's prices. Blocking
 * but small: one INSERT per exchange, one grouped SELECT per report. */

typedef struct
{
  gint64      at_ms;               /* unix ms */
  gint64      log_id;              /* request log entry, 0 when none */
  gint64      chat_id;             /* 0 when not known (yet) */
  const char *profile_uuid;
  const char *profile;
  const char *provider;
  const char *model;
  gint64      input_tokens;        /* -1 unknown; cache reads and writes included */
  gint64      output_tokens;
  gint64      cache_read_tokens;
  gint64      cache_write_tokens;
  double      cost;                /* US dollars, < 0 unknown */
  const char *cost_source;         /* "provider", "prices" or NULL */
} NatterUsageRecord;

/* Inserts @record; returns the row id, 0 with @error on failure. */
gint64     natter_usage_store_record       (NatterDatabase          *database,
                                            const NatterUsageRecord *record,
                                            GError                 **error);
/* Ties the exchange logged as @log_id to @chat_id. */
gboolean   natter_usage_store_set_chat     (NatterDatabase          *database,
                                            gint64                   log_id,
                                            gint64                   chat_id,
                                            GError                 **error);

/* What was recorded for the exchange logged as @log_id: FALSE when nothing
 * was. @cost < 0 when unknown; @cost_source "provider" or "prices"
 * (transfer full, nullable). */
gboolean   natter_usage_store_get_exchange (NatterDatabase          *database,
                                            gint64                   log_id,
                                            gint64                  *cache_read_tokens,
                                            gint64                  *cache_write_tokens,
                                            double                  *cost,
                                            char                   **cost_source);
/* The request body of the exchange before @log_id sent by the same
 * connection to the same URL (transfer full), or NULL. */
char      *natter_usage_store_previous_body (NatterDatabase         *database,
                                             gint64                  log_id);

typedef enum
{
  NATTER_USAGE_BY_CHAT,
  NATTER_USAGE_BY_CONNECTION,
  NATTER_USAGE_BY_DAY,
  NATTER_USAGE_BY_MONTH,
} NatterUsageGroup;

/* "chat", "connection", "day", "month"; FALSE for any other word. */
gboolean   natter_usage_group_from_string  (const char              *word,
                                            NatterUsageGroup        *group);
const char *natter_usage_group_to_string   (NatterUsageGroup         group);

typedef struct
{
  char   *key;           /* chat id, connection name, "2026-12-07", "2026-12" */
  char   *label;         /* what to show: the chat's title, else the key */
  gint64  exchanges;
  gint64  input_tokens;
  gint64  output_tokens;
  gint64  cache_read_tokens;
  gint64  cache_write_tokens;
  double  cost;          /* sum of the known costs */
  gint64  unpriced;      /* exchanges whose cost is unknown */
} NatterUsageTotal;

void       natter_usage_total_free         (NatterUsageTotal        *total);

/* Totals grouped by @group for exchanges at or after @since_ms (0: all),
 * newest group first for days and months, most expensive first otherwise.
 * Element-type NatterUsageTotal. Local time for days and months. */
GPtrArray *natter_usage_store_totals       (NatterDatabase          *database,
                                            NatterUsageGroup         group,
                                            gint64                   since_ms,
                                            GError                 **error);
/* The totals as CSV (RFC 4180, header line first, cost with 6 decimals,
 * empty when no cost is known). */
char      *natter_usage_totals_to_csv      (GPtrArray               *totals,
                                            NatterUsageGroup         group);

/* The cost of @tokens priced per million: input (the uncached part),
 * cache reads and writes (at the input price when their own is < 0) and
 * output. -1 when a needed count or price is unknown. */
double     natter_usage_price              (gint64                   input_tokens,
                                            gint64                   output_tokens,
                                            gint64                   cache_read_tokens,
                                            gint64                   cache_write_tokens,
                                            double                   input_price,
                                            double                   output_price,
                                            double                   cache_read_price,
                                            double                   cache_write_price);

G_END_DECLS
