/* natter-log-entry.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-request-log"

#include "config.h"

#include <string.h>

#include "natter-request-log-private.h"

/* Live updates of a streaming entry are coalesced to this interval. */
#define NOTIFY_INTERVAL_MS 100

static const char * const state_names[] = {
  "pending", "streaming", "done", "error", "cancelled",
};

GType
natter_log_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { NATTER_LOG_STATE_PENDING, "NATTER_LOG_STATE_PENDING", "pending" },
        { NATTER_LOG_STATE_STREAMING, "NATTER_LOG_STATE_STREAMING", "streaming" },
        { NATTER_LOG_STATE_DONE, "NATTER_LOG_STATE_DONE", "done" },
        { NATTER_LOG_STATE_ERROR, "NATTER_LOG_STATE_ERROR", "error" },
        { NATTER_LOG_STATE_CANCELLED, "NATTER_LOG_STATE_CANCELLED", "cancelled" },
        { 0, NULL, NULL },
      };
      GType id = g_enum_register_static (g_intern_static_string ("NatterLogState"), values);

      g_once_init_leave (&type, id);
    }

  return type;
}

const char *
natter_log_state_to_string (NatterLogState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "pending");

  return state_names[state];
}

NatterLogState
_natter_log_state_from_string (const char *str)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (str, state_names[i]))
      return i;

  return NATTER_LOG_STATE_PENDING;
}

/* NatterLogEntry */

G_DEFINE_FINAL_TYPE (NatterLogEntry, natter_log_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STARTED_AT,
  PROP_PROFILE,
  PROP_PROVIDER,
  PROP_MODEL,
  PROP_METHOD,
  PROP_URL,
  PROP_REQUEST_HEADERS,
  PROP_REQUEST_BODY,
  PROP_STATUS,
  PROP_RESPONSE_HEADERS,
  PROP_RAW,
  PROP_RAW_TRUNCATED,
  PROP_TEXT,
  PROP_REASONING,
  PROP_TTFB_MS,
  PROP_TTFT_MS,
  PROP_TOTAL_MS,
  PROP_INPUT_TOKENS,
  PROP_OUTPUT_TOKENS,
  PROP_ESTIMATED_INPUT_TOKENS,
  PROP_ERROR_CATEGORY,
  PROP_ERROR_MESSAGE,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
natter_log_entry_dispose (GObject *object)
{
  NatterLogEntry *self = (NatterLogEntry *)object;

  g_clear_handle_id (&self->notify_source, g_source_remove);

  G_OBJECT_CLASS (natter_log_entry_parent_class)->dispose (object);
}

static void
natter_log_entry_finalize (GObject *object)
{
  NatterLogEntry *self = (NatterLogEntry *)object;

  g_free (self->profile);
  g_free (self->provider);
  g_free (self->model);
  g_free (self->method);
  g_free (self->url);
  g_free (self->request_headers);
  g_free (self->request_body);
  g_free (self->response_headers);
  g_string_free (self->raw, TRUE);
  g_string_free (self->text, TRUE);
  g_string_free (self->reasoning, TRUE);
  g_free (self->error_message);
  if (self->secret != NULL)
    {
      memset (self->secret, 0, strlen (self->secret));
      g_free (self->secret);
    }

  G_OBJECT_CLASS (natter_log_entry_parent_class)->finalize (object);
}

static void
natter_log_entry_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  NatterLogEntry *self = NATTER_LOG_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_STARTED_AT:
      g_value_set_int64 (value, self->started_at);
      break;
    case PROP_PROFILE:
      g_value_set_string (value, self->profile);
      break;
    case PROP_PROVIDER:
      g_value_set_string (value, self->provider);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_METHOD:
      g_value_set_string (value, self->method);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_REQUEST_HEADERS:
      g_value_set_string (value, self->request_headers);
      break;
    case PROP_REQUEST_BODY:
      g_value_set_string (value, self->request_body);
      break;
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case PROP_RESPONSE_HEADERS:
      g_value_set_string (value, self->response_headers);
      break;
    case PROP_RAW:
      g_value_take_boxed (value, natter_log_entry_dup_raw (self));
      break;
    case PROP_RAW_TRUNCATED:
      g_value_set_boolean (value, self->raw_truncated);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text->str);
      break;
    case PROP_REASONING:
      g_value_set_string (value, self->reasoning->str);
      break;
    case PROP_TTFB_MS:
      g_value_set_int64 (value, self->ttfb_ms);
      break;
    case PROP_TTFT_MS:
      g_value_set_int64 (value, self->ttft_ms);
      break;
    case PROP_TOTAL_MS:
      g_value_set_int64 (value, self->total_ms);
      break;
    case PROP_INPUT_TOKENS:
      g_value_set_int64 (value, self->input_tokens);
      break;
    case PROP_OUTPUT_TOKENS:
      g_value_set_int64 (value, self->output_tokens);
      break;
    case PROP_ESTIMATED_INPUT_TOKENS:
      g_value_set_int64 (value, self->estimated_input_tokens);
      break;
    case PROP_ERROR_CATEGORY:
      g_value_set_int (value, self->error_category);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_log_entry_class_init (NatterLogEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = natter_log_entry_dispose;
  object_class->finalize = natter_log_entry_finalize;
  object_class->get_property = natter_log_entry_get_property;

#define STR(prop, name) \
  properties[prop] = g_param_spec_string (name, NULL, NULL, NULL, flags)
#define I64(prop, name, min) \
  properties[prop] = g_param_spec_int64 (name, NULL, NULL, min, G_MAXINT64, min, flags)

  I64 (PROP_ID, "id", 0);
  I64 (PROP_STARTED_AT, "started-at", 0);
  STR (PROP_PROFILE, "profile");
  STR (PROP_PROVIDER, "provider");
  STR (PROP_MODEL, "model");
  STR (PROP_METHOD, "method");
  STR (PROP_URL, "url");
  STR (PROP_REQUEST_HEADERS, "request-headers");
  STR (PROP_REQUEST_BODY, "request-body");
  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, G_MAXUINT, 0, flags);
  STR (PROP_RESPONSE_HEADERS, "response-headers");
  properties[PROP_RAW] =
    g_param_spec_boxed ("raw", NULL, NULL, G_TYPE_BYTES, flags);
  properties[PROP_RAW_TRUNCATED] =
    g_param_spec_boolean ("raw-truncated", NULL, NULL, FALSE, flags);
  STR (PROP_TEXT, "text");
  STR (PROP_REASONING, "reasoning");
  I64 (PROP_TTFB_MS, "ttfb-ms", -1);
  I64 (PROP_TTFT_MS, "ttft-ms", -1);
  I64 (PROP_TOTAL_MS, "total-ms", -1);
  I64 (PROP_INPUT_TOKENS, "input-tokens", -1);
  I64 (PROP_OUTPUT_TOKENS, "output-tokens", -1);
  I64 (PROP_ESTIMATED_INPUT_TOKENS, "estimated-input-tokens", -1);
  properties[PROP_ERROR_CATEGORY] =
    g_param_spec_int ("error-category", NULL, NULL,
                      NATTER_ERROR_CATEGORY_NONE, NATTER_ERROR_CATEGORY_CANCELLED,
                      NATTER_ERROR_CATEGORY_NONE, flags);
  STR (PROP_ERROR_MESSAGE, "error-message");
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, NATTER_TYPE_LOG_STATE,
                       NATTER_LOG_STATE_PENDING, flags);

#undef STR
#undef I64

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
natter_log_entry_init (NatterLogEntry *self)
{
  self->raw = g_string_new (NULL);
  self->text = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
  self->ttfb_ms = -1;
  self->ttft_ms = -1;
  self->total_ms = -1;
  self->input_tokens = -1;
  self->output_tokens = -1;
  self->estimated_input_tokens = -1;
}

gint64
natter_log_entry_get_id (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), 0);
  return self->id;
}

gint64
natter_log_entry_get_started_at (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), 0);
  return self->started_at;
}

const char *
natter_log_entry_get_profile (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return self->profile;
}

const char *
natter_log_entry_get_provider (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return self->provider;
}

const char *
natter_log_entry_get_model (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return self->model;
}

const char *
natter_log_entry_get_method (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return self->method;
}

const char *
natter_log_entry_get_url (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return self->url;
}

const char *
natter_log_entry_get_request_headers (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return self->request_headers;
}

const char *
natter_log_entry_get_request_body (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return self->request_body;
}

guint
natter_log_entry_get_status (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), 0);
  return self->status;
}

const char *
natter_log_entry_get_response_headers (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return self->response_headers;
}

GBytes *
natter_log_entry_dup_raw (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return g_bytes_new (self->raw->str, self->raw->len);
}

gboolean
natter_log_entry_get_raw_truncated (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), FALSE);
  return self->raw_truncated;
}

const char *
natter_log_entry_get_text (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return self->text->str;
}

const char *
natter_log_entry_get_reasoning (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return self->reasoning->str;
}

gint64
natter_log_entry_get_ttfb_ms (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), -1);
  return self->ttfb_ms;
}

gint64
natter_log_entry_get_ttft_ms (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), -1);
  return self->ttft_ms;
}

gint64
natter_log_entry_get_total_ms (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), -1);
  return self->total_ms;
}

gint64
natter_log_entry_get_input_tokens (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), -1);
  return self->input_tokens;
}

gint64
natter_log_entry_get_output_tokens (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), -1);
  return self->output_tokens;
}

gint64
natter_log_entry_get_estimated_input_tokens (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), -1);
  return self->estimated_input_tokens;
}

NatterErrorCategory
natter_log_entry_get_error_category (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NATTER_ERROR_CATEGORY_NONE);
  return self->error_category;
}

const char *
natter_log_entry_get_error_message (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NULL);
  return self->error_message;
}

NatterLogState
natter_log_entry_get_state (NatterLogEntry *self)
{
  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (self), NATTER_LOG_STATE_PENDING);
  return self->state;
}

/* Live notification */

void
_natter_log_entry_flush_notify (NatterLogEntry *self)
{
  GObject *object = G_OBJECT (self);
  guint dirty = self->dirty;

  self->dirty = 0;
  if (dirty == 0)
    return;

  g_object_freeze_notify (object);
  if (dirty & DIRTY_RAW)
    {
      g_object_notify_by_pspec (object, properties[PROP_RAW]);
      g_object_notify_by_pspec (object, properties[PROP_RAW_TRUNCATED]);
    }
  if (dirty & DIRTY_TEXT)
    g_object_notify_by_pspec (object, properties[PROP_TEXT]);
  if (dirty & DIRTY_REASONING)
    g_object_notify_by_pspec (object, properties[PROP_REASONING]);
  if (dirty & DIRTY_TIMING)
    {
      g_object_notify_by_pspec (object, properties[PROP_TTFB_MS]);
      g_object_notify_by_pspec (object, properties[PROP_TTFT_MS]);
      g_object_notify_by_pspec (object, properties[PROP_TOTAL_MS]);
    }
  if (dirty & DIRTY_STATE)
    {
      g_object_notify_by_pspec (object, properties[PROP_STATE]);
      g_object_notify_by_pspec (object, properties[PROP_STATUS]);
      g_object_notify_by_pspec (object, properties[PROP_RESPONSE_HEADERS]);
      g_object_notify_by_pspec (object, properties[PROP_ERROR_CATEGORY]);
      g_object_notify_by_pspec (object, properties[PROP_ERROR_MESSAGE]);
    }
  if (dirty & DIRTY_USAGE)
    {
      g_object_notify_by_pspec (object, properties[PROP_INPUT_TOKENS]);
      g_object_notify_by_pspec (object, properties[PROP_OUTPUT_TOKENS]);
      g_object_notify_by_pspec (object, properties[PROP_ESTIMATED_INPUT_TOKENS]);
    }
  g_object_thaw_notify (object);
}

static gboolean
entry_notify_timeout (gpointer data)
{
  NatterLogEntry *self = data;

  self->notify_source = 0;
  _natter_log_entry_flush_notify (self);

  return G_SOURCE_REMOVE;
}

void
_natter_log_entry_mark_dirty (NatterLogEntry *self,
                              guint           what)
{
  self->dirty |= what;

  if (G_UNLIKELY (self->notify_source == 0))
    self->notify_source = g_timeout_add (NOTIFY_INTERVAL_MS, entry_notify_timeout, self);
}

