/* natter-instruct-builtin.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-instruct"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "natter-instruct.h"

/* The templates that ship with Natter, so that a text backend works without
 * importing anything. They live in a JSON resource in SillyTavern's own
 * format (one "instruct" and one "context" object per template) with the
 * pieces of model names that pick each template. */

#define BUILTIN_RESOURCE "/io/github/natterapp/Natter/core/instruct-templates.json"

typedef struct
{
  char  *name;
  char  *instruct_json;
  char  *context_json;
  GStrv  models;         /* lower-case pieces of model names */
} Builtin;

typedef struct
{
  Builtin *builtins;
  guint    n_builtins;
  GStrv    names;
} Builtins;

static char *
member_json (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("The built-in template “%s” has no “%s” object",
             json_object_get_string_member_with_default (object, "name", ""), member);
  return json_to_string (node, FALSE);
}

static Builtins *
load_builtins (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  Builtins *self = g_new0 (Builtins, 1);
  JsonObject *root;
  JsonArray *templates;

  /* The file is compiled in and checked by the tests: a broken one is a
   * bug of the build, not something a person can fix. */
  bytes = g_resources_lookup_data (BUILTIN_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("The built-in instruct templates are missing: %s", error->message);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), &error))
    g_error ("The built-in instruct templates are not valid JSON: %s", error->message);

  root = json_node_get_object (json_parser_get_root (parser));
  templates = json_object_get_array_member (root, "templates");
  self->n_builtins = json_array_get_length (templates);
  self->builtins = g_new0 (Builtin, self->n_builtins);

  for (guint i = 0; i < self->n_builtins; i++)
    {
      JsonObject *object = json_array_get_object_element (templates, i);
      JsonArray *models = json_object_get_array_member (object, "models");
      g_autoptr(GStrvBuilder) pieces = g_strv_builder_new ();
      Builtin *b = &self->builtins[i];

      b->name = g_strdup (json_object_get_string_member (object, "name"));
      b->instruct_json = member_json (object, "instruct");
      b->context_json = member_json (object, "context");
      for (guint j = 0; models != NULL && j < json_array_get_length (models); j++)
        g_strv_builder_add (pieces, json_array_get_string_element (models, j));
      b->models = g_strv_builder_end (pieces);
      g_strv_builder_add (names, b->name);
    }
  self->names = g_strv_builder_end (names);

  return self;
}

static const Builtins *
get_builtins (void)
{
  static Builtins *builtins;

  if (g_once_init_enter (&builtins))
    g_once_init_leave (&builtins, load_builtins ());
  return builtins;
}

const char * const *
natter_instruct_builtin_names (void)
{
  return (const char * const *) get_builtins ()->names;
}

static const Builtin *
find_builtin (const char  *name,
              GError     **error)
{
  const Builtins *all = get_builtins ();

  for (guint i = 0; i < all->n_builtins; i++)
    if (name != NULL && g_ascii_strcasecmp (all->builtins[i].name, name) == 0)
      return &all->builtins[i];

  g_set_error (error, NATTER_INSTRUCT_ERROR, NATTER_INSTRUCT_ERROR_NOT_FOUND,
               _("There is no built-in template named “%s”"), name ? name : "");

  return NULL;
}

NatterInstructTemplate *
natter_instruct_template_new_builtin (const char  *name,
                                      GError     **error)
{
  const Builtin *b = find_builtin (name, error);

  if (b == NULL)
    return NULL;
  return natter_instruct_template_new_from_json (b->instruct_json, error);
}

NatterContextTemplate *
natter_context_template_new_builtin (const char  *name,
                                     GError     **error)
{
  const Builtin *b = find_builtin (name, error);

  if (b == NULL)
    return NULL;
  return natter_context_template_new_from_json (b->context_json, error);
}

const char *
natter_instruct_builtin_for_model (const char *model)
{
  const Builtins *all = get_builtins ();
  g_autofree char *lower = NULL;
  const char *best = NULL;
  gsize best_len = 0;

  if (model == NULL || *model == '\0')
    return NULL;

  /* "Meta-Llama-3.1-8B-Instruct", "llama3.1:8b", "Llama 3 70B" and
   * "bartowski/Llama_3…gguf" all contain "llama-3" or "llama3" once lower-
   * cased with blanks and underscores as dashes. */
  lower = g_ascii_strdown (model, -1);
  g_strdelimit (lower, " _", '-');

  /* The longest piece wins: "openhermes-2.5-mistral" is ChatML although it
   * also says "mistral", "hermes-3-llama-3.1" is Llama 3. */
  for (guint i = 0; i < all->n_builtins; i++)
    for (guint j = 0; all->builtins[i].models[j] != NULL; j++)
      {
        const char *piece = all->builtins[i].models[j];
        gsize len = strlen (piece);

        if (len > best_len && strstr (lower, piece) != NULL)
          {
            best = all->builtins[i].name;
            best_len = len;
          }
      }

  return best;
}
