/* natter-lore-regex.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-lorebook"

#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-lore-regex.h"

/* PCRE2's defaults (ten million steps) let a pattern like (a+)+$ run for
 * a tenth of a second per subject; real keys need a few hundred steps. */
#define MATCH_LIMIT  20000
#define DEPTH_LIMIT  2000
#define HEAP_LIMIT_K 4096
/* Compiled patterns kept; the cache is emptied when it fills up. */
#define CACHE_SIZE   2048

struct _NatterLoreRegex
{
  gint        ref_count;
  pcre2_code *code;
};

static GMutex cache_lock;
static GHashTable *cache;      /* "flags/pattern" -> NatterLoreRegex */
static guint n_compiled;

NatterLoreRegex *
natter_lore_regex_ref (NatterLoreRegex *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
natter_lore_regex_unref (NatterLoreRegex *self)
{
  if (self != NULL && g_atomic_int_dec_and_test (&self->ref_count))
    {
      pcre2_code_free (self->code);
      g_free (self);
    }
}

NatterLoreRegex *
natter_lore_regex_get (const char            *pattern,
                       NatterLoreRegexFlags   flags,
                       GError               **error)
{
  g_autofree char *cache_key = g_strdup_printf ("%u/%s", (guint) flags, pattern);
  NatterLoreRegex *self;
  guint32 options = PCRE2_UTF | PCRE2_NO_UTF_CHECK;
  int code;
  PCRE2_SIZE offset;

  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) natter_lore_regex_unref);
  self = g_hash_table_lookup (cache, cache_key);
  if (self != NULL)
    {
      natter_lore_regex_ref (self);
      g_mutex_unlock (&cache_lock);
      return self;
    }
  g_mutex_unlock (&cache_lock);

  if (!g_utf8_validate (pattern, -1, NULL))
    {
      g_set_error_literal (error, G_REGEX_ERROR, G_REGEX_ERROR_COMPILE,
                           _("The pattern is not valid UTF-8"));
      return NULL;
    }

  if (flags & NATTER_LORE_REGEX_CASELESS)
    options |= PCRE2_CASELESS;
  if (flags & NATTER_LORE_REGEX_DOTALL)
    options |= PCRE2_DOTALL;
  if (flags & NATTER_LORE_REGEX_MULTILINE)
    options |= PCRE2_MULTILINE;
  if (flags & NATTER_LORE_REGEX_EXTENDED)
    options |= PCRE2_EXTENDED;

  self = g_new0 (NatterLoreRegex, 1);
  self->ref_count = 1;
  self->code = pcre2_compile ((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED, options,
                              &code, &offset, NULL);
  if (self->code == NULL)
    {
      PCRE2_UCHAR message[256];

      pcre2_get_error_message (code, message, sizeof message);
      g_set_error (error, G_REGEX_ERROR, G_REGEX_ERROR_COMPILE,
                   _("The pattern does not compile at offset %zu: %s"),
                   (size_t) offset, (const char *) message);
      g_free (self);
      return NULL;
    }

  g_mutex_lock (&cache_lock);
  n_compiled++;
  if (g_hash_table_size (cache) >= CACHE_SIZE)
    g_hash_table_remove_all (cache);
  g_hash_table_replace (cache, g_steal_pointer (&cache_key), natter_lore_regex_ref (self));
  g_mutex_unlock (&cache_lock);

  return self;
}

guint
natter_lore_regex_get_n_compiled (void)
{
  guint n;

  g_mutex_lock (&cache_lock);
  n = n_compiled;
  g_mutex_unlock (&cache_lock);

  return n;
}

NatterLoreMatch
natter_lore_regex_match (NatterLoreRegex *self,
                         const char      *subject)
{
  pcre2_match_context *context;
  pcre2_match_data *data;
  int rc;

  g_return_val_if_fail (self != NULL, NATTER_LORE_MATCH_NO);

  /* @subject is valid UTF-8: the caller made it so (PCRE2_NO_UTF_CHECK). */
  if (subject == NULL)
    return NATTER_LORE_MATCH_NO;

  context = pcre2_match_context_create (NULL);
  pcre2_set_match_limit (context, MATCH_LIMIT);
  pcre2_set_depth_limit (context, DEPTH_LIMIT);
  pcre2_set_heap_limit (context, HEAP_LIMIT_K);
  data = pcre2_match_data_create_from_pattern (self->code, NULL);

  rc = pcre2_match (self->code, (PCRE2_SPTR) subject, strlen (subject), 0,
                    PCRE2_NO_UTF_CHECK, data, context);

  pcre2_match_data_free (data);
  pcre2_match_context_free (context);

  if (rc >= 0)
    return NATTER_LORE_MATCH_YES;
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT)
    return NATTER_LORE_MATCH_LIMIT;

  return NATTER_LORE_MATCH_NO;
}
