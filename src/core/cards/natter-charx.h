/* natter-charx.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* CHARX: a zip file with the Character Card V3 JSON at "card.json" and
 * assets addressed as "embeded://path/in/zip". Reading decompresses every
 * entry into memory with a size cap so a zip bomb stops early; writing
 * builds a whole zip in memory. */

#define NATTER_CHARX_ERROR (natter_charx_error_quark ())
GQuark natter_charx_error_quark (void);

typedef enum
{
  NATTER_CHARX_ERROR_INVALID,    /* not a readable zip (damaged, encrypted, unsupported) */
  NATTER_CHARX_ERROR_NOT_FOUND,  /* no entry with that path */
  NATTER_CHARX_ERROR_TOO_LARGE,  /* the entry is bigger than the cap */
  NATTER_CHARX_ERROR_WRITE,      /* the zip archive cannot be written */
} NatterCharxError;

/* Largest card.json we read. */
#define NATTER_CHARX_MAX_CARD_JSON (16 * 1024 * 1024)
/* Largest asset (e.g. the avatar) we read. */
#define NATTER_CHARX_MAX_ASSET     (32 * 1024 * 1024)

gboolean  natter_charx_has_signature (const guint8  *data,
                                      gsize          size);
/* The contents of the entry at @path (exact, case-sensitive; a leading
 * "/" or "./" in the zip is ignored). Fails with NOT_FOUND when the zip has
 * no such entry and TOO_LARGE as soon as more than @max_size bytes come
 * out of it. */
GBytes   *natter_charx_read_entry    (GBytes        *zip,
                                      const char    *path,
                                      gsize          max_size,
                                      GError       **error);
/* card.json, at most NATTER_CHARX_MAX_CARD_JSON bytes. */
GBytes   *natter_charx_read_card_json (GBytes       *zip,
                                       GError      **error);

/* A zip archive (deflate) with one regular file per @paths[i] (relative,
 * "/"-separated, no ".." part) holding @contents[i], in that order.
 * @paths is NULL-terminated; @contents has as many entries. */
GBytes   *natter_charx_write         (const char * const *paths,
                                      GBytes * const     *contents,
                                      GError            **error);

G_END_DECLS
