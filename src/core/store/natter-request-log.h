/* natter-request-log.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "natter-database.h"
#include "natter-request.h"
#include "natter-types.h"

G_BEGIN_DECLS

/* The request log: every exchange with a provider, redacted where it is
 * written, for the Request Inspector and `natter-cli inspect`.
 *
 * Secrets never reach it: the URL's key= style parameters and every secret
 * header are replaced by REDACTED, and the secret passed to begin() is
 * scrubbed from URL, headers and body as a second safety net. */

typedef enum
{
  NATTER_LOG_STATE_PENDING,    /* sent, no response yet */
  NATTER_LOG_STATE_STREAMING,  /* response head or bytes arrived */
  NATTER_LOG_STATE_DONE,
  NATTER_LOG_STATE_ERROR,
  NATTER_LOG_STATE_CANCELLED,
} NatterLogState;

#define NATTER_TYPE_LOG_STATE (natter_log_state_get_type ())
GType       natter_log_state_get_type  (void) G_GNUC_CONST;
/* "pending", "streaming", "done", "error", "cancelled" (as stored). */
const char *natter_log_state_to_string (NatterLogState state);

/* Raw response bytes kept per entry; beyond this raw-truncated is TRUE. */
#define NATTER_REQUEST_LOG_RAW_CAP (2 * 1024 * 1024)
/* The assembled text and reasoning are capped the same way. */
#define NATTER_REQUEST_LOG_TEXT_CAP (2 * 1024 * 1024)
/* Rows kept in the table (pruned at finish). */
#define NATTER_REQUEST_LOG_KEEP 500
/* Entries loaded into the model at start. */
#define NATTER_REQUEST_LOG_LOAD 300

/* One exchange. Read-only properties, one per column:
 *   id (gint64), started-at (gint64, unix ms), profile, provider, model,
 *   method, url (redacted), request-headers (JSON object text, redacted),
 *   request-body (secret scrubbed), status (guint, 0 = none yet),
 *   response-headers (JSON object text or NULL), raw (GBytes),
 *   raw-truncated (gboolean), text, reasoning, ttfb-ms, ttft-ms, total-ms
 *   (gint64, -1 = unknown), input-tokens, output-tokens,
 *   estimated-input-tokens (gint64, -1 = unknown), error-category (int, a
 *   NatterErrorCategory), error-message, state (NatterLogState).
 *
 * While a request streams, text/reasoning/raw/timings are notified at most
 * every 100 ms, and once more at finish. Main thread only. */
#define NATTER_TYPE_LOG_ENTRY (natter_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (NatterLogEntry, natter_log_entry, NATTER, LOG_ENTRY, GObject)

gint64              natter_log_entry_get_id                     (NatterLogEntry *self);
gint64              natter_log_entry_get_started_at             (NatterLogEntry *self);
const char         *natter_log_entry_get_profile                (NatterLogEntry *self);
const char         *natter_log_entry_get_provider               (NatterLogEntry *self);
const char         *natter_log_entry_get_model                  (NatterLogEntry *self);
const char         *natter_log_entry_get_method                 (NatterLogEntry *self);
const char         *natter_log_entry_get_url                    (NatterLogEntry *self);
const char         *natter_log_entry_get_request_headers        (NatterLogEntry *self);
const char         *natter_log_entry_get_request_body           (NatterLogEntry *self);
guint               natter_log_entry_get_status                 (NatterLogEntry *self);
const char         *natter_log_entry_get_response_headers       (NatterLogEntry *self);
/* A new reference to the raw bytes received so far (capped). Never NULL. */
GBytes             *natter_log_entry_dup_raw                    (NatterLogEntry *self);
gboolean            natter_log_entry_get_raw_truncated          (NatterLogEntry *self);
/* Text and reasoning assembled so far; valid until the next append. */
const char         *natter_log_entry_get_text                   (NatterLogEntry *self);
const char         *natter_log_entry_get_reasoning              (NatterLogEntry *self);
gint64              natter_log_entry_get_ttfb_ms                (NatterLogEntry *self);
gint64              natter_log_entry_get_ttft_ms                (NatterLogEntry *self);
gint64              natter_log_entry_get_total_ms               (NatterLogEntry *self);
gint64              natter_log_entry_get_input_tokens           (NatterLogEntry *self);
gint64              natter_log_entry_get_output_tokens          (NatterLogEntry *self);
gint64              natter_log_entry_get_estimated_input_tokens (NatterLogEntry *self);
NatterErrorCategory natter_log_entry_get_error_category         (NatterLogEntry *self);
const char         *natter_log_entry_get_error_message          (NatterLogEntry *self);
NatterLogState      natter_log_entry_get_state                  (NatterLogEntry *self);

/* The log: a GListModel of NatterLogEntry, newest first. */
#define NATTER_TYPE_REQUEST_LOG (natter_request_log_get_type ())
G_DECLARE_FINAL_TYPE (NatterRequestLog, natter_request_log, NATTER, REQUEST_LOG, GObject)

/* Loads the newest NATTER_REQUEST_LOG_LOAD entries (blocking, small). */
NatterRequestLog *natter_request_log_new                        (NatterDatabase   *database,
                                                                 GError          **error);

/* Records that @request is being sent: inserts the row (state PENDING) and
 * prepends the entry (items-changed). @secret (nullable) is the key that
 * went into the request; it is scrubbed from the stored URL, headers and
 * body and from everything recorded later for this entry. Starts the clock
 * for the timings. Returns the entry (transfer none, owned by the log).
 * When the database refuses the insert the entry still exists in memory
 * (id 0) and a warning is logged: logging never breaks a request. */
NatterLogEntry   *natter_request_log_begin                      (NatterRequestLog *self,
                                                                 NatterRequest    *request,
                                                                 const char       *profile,
                                                                 const char       *provider,
                                                                 const char       *model,
                                                                 const char       *secret);
/* The response status and headers (JSON object text) arrived; sets ttfb-ms
 * when no byte came before. Memory only. */
void              natter_request_log_response_head              (NatterRequestLog *self,
                                                                 NatterLogEntry   *entry,
                                                                 guint             status,
                                                                 const char       *headers_json);
/* Hot path (per network chunk / per token): memory only, no SQL, amortized
 * allocation. Raw is capped at NATTER_REQUEST_LOG_RAW_CAP. append_raw sets
 * ttfb-ms on the first byte, append_text sets ttft-ms on the first call. */
void              natter_request_log_append_raw                 (NatterRequestLog *self,
                                                                 NatterLogEntry   *entry,
                                                                 const char       *data,
                                                                 gsize             len);
void              natter_request_log_append_text                (NatterRequestLog *self,
                                                                 NatterLogEntry   *entry,
                                                                 const char       *text,
                                                                 gsize             len);
void              natter_request_log_append_reasoning           (NatterRequestLog *self,
                                                                 NatterLogEntry   *entry,
                                                                 const char       *text,
                                                                 gsize             len);
/* -1 leaves a count unknown. */
void              natter_request_log_set_usage                  (NatterRequestLog *self,
                                                                 NatterLogEntry   *entry,
                                                                 gint64            input_tokens,
                                                                 gint64            output_tokens);
void              natter_request_log_set_estimated_input_tokens (NatterRequestLog *self,
                                                                 NatterLogEntry   *entry,
                                                                 gint64            n);
/* Ends the exchange: NATTER_ERROR_CATEGORY_NONE → DONE, CANCELLED →
 * CANCELLED, anything else → ERROR with @message (nullable, scrubbed of the
 * secret). Sets total-ms, writes everything in one UPDATE and prunes the
 * table to the newest NATTER_REQUEST_LOG_KEEP rows. Calling it twice is a
 * no-op. */
void              natter_request_log_finish                     (NatterRequestLog *self,
                                                                 NatterLogEntry   *entry,
                                                                 NatterErrorCategory category,
                                                                 const char       *message);

/* The newest entry, or NULL. Transfer none. */
NatterLogEntry   *natter_request_log_get_last                   (NatterRequestLog *self);
/* The entry with @id: from the model, else loaded from the database (kept
 * by the log for its lifetime). NULL when there is none. Transfer none. */
NatterLogEntry   *natter_request_log_lookup                     (NatterRequestLog *self,
                                                                 gint64            id);

G_END_DECLS
