/* natter-anthropic-cache.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Anthropic prompt caching of one connection, kept in the profile's
 * settings as "cache": {"enabled": true, "ttl": "5m"|"1h", "auto": true,
 * "breakpoints": ["tools", "system", "prefix"]}.
 * (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching) */
typedef struct
{
  gboolean enabled;
  gboolean one_hour;    /* "ttl": "1h"; else the 5 minute default */
  gboolean automatic;   /* top-level cache_control: the API picks the last cacheable block */
  gboolean tools;       /* a breakpoint on the last tool */
  gboolean system;      /* a breakpoint on the system prompt */
  gboolean prefix;      /* a breakpoint on the last user turn */
} NatterCacheSettings;

/* Reads settings->"cache" (@settings nullable). Unset: disabled, 5m, auto. */
void      natter_cache_settings_load       (NatterCacheSettings       *cache,
                                            JsonObject                *settings);
/* Writes @cache into @settings as "cache" (removes it when disabled). */
void      natter_cache_settings_save       (const NatterCacheSettings *cache,
                                            JsonObject                *settings);
/* Parses the CLI forms: @mode "off", "auto", "5m" or "1h" (nullable: keep),
 * @breakpoints "system,tools,prefix" (nullable: keep; "" or "none": none).
 * FALSE with a message for people on an unknown word. */
gboolean  natter_cache_settings_parse      (NatterCacheSettings       *cache,
                                            const char                *mode,
                                            const char                *breakpoints,
                                            GError                   **error);
/* "Cache 5m • auto + system" for the connection row; NULL when disabled.
 * Caching with neither the automatic breakpoint nor an explicit one counts
 * as automatic, as the request does. */
char     *natter_cache_settings_summary    (const NatterCacheSettings *cache);

/* Places cache_control {"type":"ephemeral"[,"ttl":"1h"]} in an Anthropic
 * Messages @body exactly where @cache says: top level (automatic), the last
 * element of "tools", the system prompt (turned into one text block), the
 * last content block of the last user message. Enabled with no breakpoint
 * at all means automatic: never an empty cache_control. A breakpoint whose
 * target is missing (no tools, no system) is skipped. */
void      _natter_anthropic_apply_cache    (JsonObject                *body,
                                            const NatterCacheSettings *cache);

/* TRUE when @previous_body (an Anthropic Messages request with cache
 * breakpoints) cached a prefix that @body does not start with any more:
 * tools, system or the messages up to the previous breakpoint differ, so the
 * cache cannot be read (for example a {{time}} macro in the system prompt).
 * FALSE when either body is not JSON or @previous_body cached nothing. */
gboolean  natter_anthropic_cache_prefix_changed (const char           *previous_body,
                                                 const char           *body);

G_END_DECLS
