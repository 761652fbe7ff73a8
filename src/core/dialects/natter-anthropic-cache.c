/* natter-anthropic-cache.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Anthropic prompt caching: where cache_control goes in a Messages request,
 * and whether the prefix a previous request cached still matches. The order
 * the API reads a request in is tools → system → messages; a breakpoint
 * caches everything up to and including its block. */

#define G_LOG_DOMAIN "natter-anthropic-cache"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-json.h"
#include "natter-anthropic-cache.h"
#include "natter-types.h"

void
natter_cache_settings_load (NatterCacheSettings *cache,
                            JsonObject          *settings)
{
  JsonObject *object = NULL;
  JsonArray *points;
  const char *ttl;

  g_return_if_fail (cache != NULL);

  memset (cache, 0, sizeof *cache);
  cache->automatic = TRUE;

  if (settings != NULL && json_object_has_member (settings, "cache") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (settings, "cache")))
    object = json_object_get_object_member (settings, "cache");
  if (object == NULL)
    return;

  cache->enabled = json_object_get_boolean_member_with_default (object, "enabled", FALSE);
  ttl = json_object_get_string_member_with_default (object, "ttl", "5m");
  cache->one_hour = ttl != NULL && g_str_equal (ttl, "1h");
  cache->automatic = json_object_get_boolean_member_with_default (object, "auto", TRUE);

  if (json_object_has_member (object, "breakpoints") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "breakpoints")))
    {
      points = json_object_get_array_member (object, "breakpoints");
      for (guint i = 0; i < json_array_get_length (points); i++)
        {
          JsonNode *node = json_array_get_element (points, i);
          const char *point;

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            continue;
          point = json_node_get_string (node);
          if (g_str_equal (point, "tools"))
            cache->tools = TRUE;
          else if (g_str_equal (point, "system"))
            cache->system = TRUE;
          else if (g_str_equal (point, "prefix"))
            cache->prefix = TRUE;
        }
    }
}

void
natter_cache_settings_save (const NatterCacheSettings *cache,
                            JsonObject                *settings)
{
  JsonObject *object;
  JsonArray *points;

  g_return_if_fail (cache != NULL);
  g_return_if_fail (settings != NULL);

  if (!cache->enabled)
    {
      json_object_remove_member (settings, "cache");
      return;
    }

  object = json_object_new ();
  json_object_set_boolean_member (object, "enabled", TRUE);
  json_object_set_string_member (object, "ttl", cache->one_hour ? "1h" : "5m");
  json_object_set_boolean_member (object, "auto", cache->automatic);
  points = json_array_new ();
  if (cache->tools)
    json_array_add_string_element (points, "tools");
  if (cache->system)
    json_array_add_string_element (points, "system");
  if (cache->prefix)
    json_array_add_string_element (points, "prefix");
  json_object_set_array_member (object, "breakpoints", points);
  json_object_set_object_member (settings, "cache", object);
}

gboolean
natter_cache_settings_parse (NatterCacheSettings  *cache,
                             const char           *mode,
                             const char           *breakpoints,
                             GError              **error)
{
  g_return_val_if_fail (cache != NULL, FALSE);

  if (mode != NULL)
    {
      if (g_str_equal (mode, "off"))
        cache->enabled = FALSE;
      else if (g_str_equal (mode, "auto"))
        {
          cache->enabled = TRUE;
          cache->automatic = TRUE;
        }
      else if (g_str_equal (mode, "5m") || g_str_equal (mode, "1h"))
        {
          cache->enabled = TRUE;
          cache->one_hour = g_str_equal (mode, "1h");
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Unknown cache mode “%s”: use off, auto, 5m or 1h"), mode);
          return FALSE;
        }
    }

  if (breakpoints != NULL)
    {
      g_auto(GStrv) words = g_strsplit (breakpoints, ",", -1);
      NatterCacheSettings parsed = *cache;

      parsed.tools = parsed.system = parsed.prefix = FALSE;
      for (guint i = 0; words[i] != NULL; i++)
        {
          const char *word = g_strstrip (words[i]);

          if (*word == '\0' || g_str_equal (word, "none"))
            continue;
          if (g_str_equal (word, "tools"))
            parsed.tools = TRUE;
          else if (g_str_equal (word, "system"))
            parsed.system = TRUE;
          else if (g_str_equal (word, "prefix"))
            parsed.prefix = TRUE;
          else
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Unknown cache breakpoint “%s”: use system, tools or prefix"), word);
              return FALSE;
            }
        }
      /* Explicit breakpoints named with a mode other than "auto" replace the
       * automatic one. */
      if (mode == NULL || !g_str_equal (mode, "auto"))
        parsed.automatic = !(parsed.tools || parsed.system || parsed.prefix);
      *cache = parsed;
      if (!cache->enabled && mode == NULL)
        cache->enabled = TRUE;
    }

  return TRUE;
}

static gboolean
cache_is_automatic (const NatterCacheSettings *cache)
{
  return cache->automatic || !(cache->tools || cache->system || cache->prefix);
}

char *
natter_cache_settings_summary (const NatterCacheSettings *cache)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *joined = NULL;

  g_return_val_if_fail (cache != NULL, NULL);

  if (!cache->enabled)
    return NULL;

  if (cache_is_automatic (cache))
    g_ptr_array_add (parts, (gpointer) _("auto"));
  if (cache->tools)
    g_ptr_array_add (parts, (gpointer) _("tools"));
  if (cache->system)
    g_ptr_array_add (parts, (gpointer) _("system"));
  if (cache->prefix)
    g_ptr_array_add (parts, (gpointer) _("prefix"));
  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (" + ", (char **) parts->pdata);

  /* Translators: "Cache 5m • auto + system" */
  return g_strdup_printf (_("Cache %s • %s"), cache->one_hour ? "1h" : "5m", joined);
}

static JsonObject *
cache_control_new (const NatterCacheSettings *cache)
{
  JsonObject *control = json_object_new ();

  json_object_set_string_member (control, "type", "ephemeral");
  if (cache->one_hour)
    json_object_set_string_member (control, "ttl", "1h");
  return control;
}

/* A message's content as an array of blocks (a string becomes one text
 * block), so a block can carry cache_control. */
static JsonArray *
content_as_blocks (JsonObject *message)
{
  JsonNode *content = json_object_get_member (message, "content");
  JsonArray *blocks;
  JsonObject *block;

  if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    return json_node_get_array (content);

  blocks = json_array_new ();
  block = json_object_new ();
  json_object_set_string_member (block, "type", "text");
  json_object_set_string_member (block, "text",
                                 content != NULL && JSON_NODE_HOLDS_VALUE (content)
                                 ? json_node_get_string (content) : "");
  json_array_add_object_element (blocks, block);
  json_object_set_array_member (message, "content", blocks);
  return blocks;
}

static void
mark_last_block (JsonArray                 *blocks,
                 const NatterCacheSettings *cache)
{
  guint n = json_array_get_length (blocks);
  JsonNode *last;

  if (n == 0)
    return;
  last = json_array_get_element (blocks, n - 1);
  if (!JSON_NODE_HOLDS_OBJECT (last))
    return;
  json_object_set_object_member (json_node_get_object (last), "cache_control",
                                 cache_control_new (cache));
}

void
_natter_anthropic_apply_cache (JsonObject                *body,
                               const NatterCacheSettings *cache)
{
  g_return_if_fail (body != NULL);
  g_return_if_fail (cache != NULL);

  if (!cache->enabled)
    return;

  if (cache_is_automatic (cache))
    json_object_set_object_member (body, "cache_control", cache_control_new (cache));

  if (cache->tools && json_object_has_member (body, "tools") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "tools")))
    mark_last_block (json_object_get_array_member (body, "tools"), cache);

  if (cache->system && json_object_has_member (body, "system"))
    {
      JsonNode *system = json_object_get_member (body, "system");

      if (JSON_NODE_HOLDS_ARRAY (system))
        mark_last_block (json_node_get_array (system), cache);
      else if (JSON_NODE_HOLDS_VALUE (system) && json_node_get_value_type (system) == G_TYPE_STRING)
        {
          JsonArray *blocks = json_array_new ();
          JsonObject *block = json_object_new ();

          json_object_set_string_member (block, "type", "text");
          json_object_set_string_member (block, "text", json_node_get_string (system));
          json_object_set_object_member (block, "cache_control", cache_control_new (cache));
          json_array_add_object_element (blocks, block);
          json_object_set_array_member (body, "system", blocks);
        }
    }

  if (cache->prefix && json_object_has_member (body, "messages") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "messages")))
    {
      JsonArray *messages = json_object_get_array_member (body, "messages");

      for (guint i = json_array_get_length (messages); i > 0; i--)
        {
          JsonNode *node = json_array_get_element (messages, i - 1);
          JsonObject *message;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          message = json_node_get_object (node);
          if (g_strcmp0 (json_object_get_string_member_with_default (message, "role", NULL), "user") != 0)
            continue;
          mark_last_block (content_as_blocks (message), cache);
          break;
        }
    }
}

/* ------------------------------------------------------- prefix change */

static gboolean
has_cache_control (JsonNode *node)
{
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);

      /* A block, or a message whose content blocks carry it. */
      return json_object_has_member (object, "cache_control") ||
             (json_object_has_member (object, "content") &&
              JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "content")) &&
              has_cache_control (json_object_get_member (object, "content")));
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (has_cache_control (json_array_get_element (array, i)))
          return TRUE;
    }
  return FALSE;
}

/* The text a block or content carries, cache_control left out. */
static void
append_text (GString  *out,
             JsonNode *node)
{
  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append (out, json_node_get_string (node));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, '\x1f');
          append_text (out, json_array_get_element (array, i));
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonNode) copy = NULL;
      g_autofree char *text = NULL;

      /* A text block and a plain string with its text are the same prompt. */
      if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", NULL), "text") == 0 &&
          json_object_get_string_member_with_default (object, "text", NULL) != NULL)
        {
          g_string_append (out, json_object_get_string_member (object, "text"));
          return;
        }
      copy = json_node_copy (node);
      json_object_remove_member (json_node_get_object (copy), "cache_control");
      text = json_to_string (copy, FALSE);
      g_string_append (out, text);
    }
}

static char *
node_key (JsonObject *object,
          const char *member)
{
  GString *out = g_string_new (NULL);

  if (object != NULL && json_object_has_member (object, member))
    append_text (out, json_object_get_member (object, member));
  return g_string_free (out, FALSE);
}

static JsonNode *
parse_body (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text == NULL || !natter_json_parser_load (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_copy (root);
}

static JsonArray *
messages_of (JsonObject *body)
{
  if (!json_object_has_member (body, "messages") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "messages")))
    return NULL;
  return json_object_get_array_member (body, "messages");
}

gboolean
natter_anthropic_cache_prefix_changed (const char *previous_body,
                                       const char *body)
{
  g_autoptr(JsonNode) prev_root = parse_body (previous_body);
  g_autoptr(JsonNode) root = parse_body (body);
  JsonObject *prev, *now;
  JsonArray *prev_messages, *messages;
  gboolean automatic;
  gint last = -1;

  if (prev_root == NULL || root == NULL)
    return FALSE;
  prev = json_node_get_object (prev_root);
  now = json_node_get_object (root);

  automatic = json_object_has_member (prev, "cache_control");
  prev_messages = messages_of (prev);
  messages = messages_of (now);

  if (prev_messages != NULL)
    for (guint i = 0; i < json_array_get_length (prev_messages); i++)
      if (has_cache_control (json_array_get_element (prev_messages, i)))
        last = (gint) i;
  if (automatic && prev_messages != NULL)
    last = (gint) json_array_get_length (prev_messages) - 1;

  if (!automatic && last < 0 &&
      !has_cache_control (json_object_get_member (prev, "system")) &&
      !has_cache_control (json_object_get_member (prev, "tools")))
    return FALSE;

  /* Tools and system come before any breakpoint: they must not change. */
  {
    g_autofree char *a = node_key (prev, "tools");
    g_autofree char *b = node_key (now, "tools");
    g_autofree char *c = node_key (prev, "system");
    g_autofree char *d = node_key (now, "system");

    if (!g_str_equal (a, b) || !g_str_equal (c, d))
      return TRUE;
  }

  if (last < 0)
    return FALSE;
  if (messages == NULL || json_array_get_length (messages) < (guint) last + 1)
    return TRUE;

  for (guint i = 0; i <= (guint) last; i++)
    {
      JsonNode *a = json_array_get_element (prev_messages, i);
      JsonNode *b = json_array_get_element (messages, i);
      g_autofree char *ka = NULL;
      g_autofree char *kb = NULL;
      g_autofree char *ra = NULL;
      g_autofree char *rb = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (a) || !JSON_NODE_HOLDS_OBJECT (b))
        return TRUE;
      ka = node_key (json_node_get_object (a), "content");
      kb = node_key (json_node_get_object (b), "content");
      ra = node_key (json_node_get_object (a), "role");
      rb = node_key (json_node_get_object (b), "role");
      if (!g_str_equal (ka, kb) || !g_str_equal (ra, rb))
        return TRUE;
    }

  return FALSE;
}
