/* natter-request-log-private.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "natter-request-log.h"

G_BEGIN_DECLS

enum {
  DIRTY_RAW       = 1 << 0,
  DIRTY_TEXT      = 1 << 1,
  DIRTY_REASONING = 1 << 2,
  DIRTY_TIMING    = 1 << 3,
  DIRTY_STATE     = 1 << 4,
  DIRTY_USAGE     = 1 << 5,
};

struct _NatterLogEntry
{
  GObject              parent_instance;

  gint64               id;
  gint64               started_at;
  char                *profile;
  char                *provider;
  char                *model;
  char                *method;
  char                *url;
  char                *request_headers;
  char                *request_body;
  guint                status;
  char                *response_headers;
  GString             *raw;
  gboolean             raw_truncated;
  GString             *text;
  GString             *reasoning;
  gint64               ttfb_ms;
  gint64               ttft_ms;
  gint64               total_ms;
  gint64               input_tokens;
  gint64               output_tokens;
  gint64               estimated_input_tokens;
  NatterErrorCategory  error_category;
  char                *error_message;
  NatterLogState       state;

  /* While the exchange is live. */
  gint64               start_monotonic;
  char                *secret;
  guint                dirty;
  guint                notify_source;
  gboolean             finished;
};

NatterLogState _natter_log_state_from_string (const char     *str);
void           _natter_log_entry_flush_notify (NatterLogEntry *self);
void           _natter_log_entry_mark_dirty   (NatterLogEntry *self,
                                               guint           what);

static inline gint64
_natter_log_entry_elapsed_ms (NatterLogEntry *self)
{
  return (g_get_monotonic_time () - self->start_monotonic) / 1000;
}

gboolean       _natter_log_secret_usable      (const char     *secret);
void           _natter_log_scrub_gstring      (GString        *buffer,
                                               const char     *secret);
char          *_natter_log_scrub_take         (char           *text,
                                               const char     *secret);
/* @text with every long run of base64 (an attached image) replaced by
 * "[base64: N characters]", so the log keeps the shape of a request
 * without megabytes of image data. Takes @text. */
char          *_natter_log_elide_base64_take  (char           *text);

G_END_DECLS
