/* natter-types.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _NatterCatalog        NatterCatalog;
typedef struct _NatterProvider       NatterProvider;
typedef struct _NatterDatabase       NatterDatabase;
typedef struct _NatterProfile        NatterProfile;
typedef struct _NatterProfileStore   NatterProfileStore;
typedef struct _NatterRequest        NatterRequest;
typedef struct _NatterRequestLog     NatterRequestLog;
typedef struct _NatterLogEntry       NatterLogEntry;
typedef struct _NatterTransport      NatterTransport;
typedef struct _NatterSseFramer      NatterSseFramer;
typedef struct _NatterNdjsonFramer   NatterNdjsonFramer;
typedef struct _NatterDialect        NatterDialect;
typedef struct _NatterClient         NatterClient;

typedef enum
{
  NATTER_ROLE_SYSTEM,
  NATTER_ROLE_USER,
  NATTER_ROLE_ASSISTANT,
} NatterRole;

/* Every failure of a request maps to exactly one of these.
 * The string forms ("auth", "not_found", …) are part of the CLI's JSON. */
typedef enum
{
  NATTER_ERROR_CATEGORY_NONE = 0,
  NATTER_ERROR_CATEGORY_AUTH,
  NATTER_ERROR_CATEGORY_NOT_FOUND,
  NATTER_ERROR_CATEGORY_RATE_LIMITED,
  NATTER_ERROR_CATEGORY_OVERLOADED,
  NATTER_ERROR_CATEGORY_BAD_REQUEST,
  NATTER_ERROR_CATEGORY_SERVER,
  NATTER_ERROR_CATEGORY_NETWORK,
  NATTER_ERROR_CATEGORY_TIMEOUT,
  NATTER_ERROR_CATEGORY_TLS,
  NATTER_ERROR_CATEGORY_PROTOCOL,
  NATTER_ERROR_CATEGORY_CANCELLED,
} NatterErrorCategory;

/* How a streaming response body is cut into events. */
typedef enum
{
  NATTER_FRAMING_NONE,    /* one JSON document (non-streaming) */
  NATTER_FRAMING_SSE,     /* text/event-stream */
  NATTER_FRAMING_NDJSON,  /* one JSON document per line */
  NATTER_FRAMING_AWS_EVENT_STREAM,  /* application/vnd.amazon.eventstream (binary) */
} NatterFraming;

const char          *natter_role_to_string              (NatterRole           role);
gboolean             natter_role_from_string            (const char          *str,
                                                         NatterRole          *role);
const char          *natter_error_category_to_string    (NatterErrorCategory  category);
NatterErrorCategory  natter_error_category_from_string  (const char          *str);
/* A sentence for people: "The API key was rejected", … (translated). */
const char          *natter_error_category_describe     (NatterErrorCategory  category);
/* Maps an HTTP status to a category (401/403 auth, 404 not_found, 429
 * rate_limited, 529/503 overloaded, other 4xx bad_request, 5xx server). */
NatterErrorCategory  natter_error_category_from_status  (guint                status);

/* Errors of a request: the code is a NatterErrorCategory, the message is
 * the provider's own message when it sent one. */
#define NATTER_REQUEST_ERROR (natter_request_error_quark ())
GQuark natter_request_error_quark (void);

G_END_DECLS
