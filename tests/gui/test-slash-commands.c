/* test-slash-commands.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "natter-slash-commands.h"

/* A host over a plain list of names, recording what was asked of it. */
typedef struct
{
  GPtrArray *names;
  char      *active;
  guint      n_updates;
} Host;

static char **
host_list (gpointer user_data)
{
  Host *h = user_data;
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv out;

  for (guint i = 0; i < h->names->len; i++)
    g_strv_builder_add (b, g_ptr_array_index (h->names, i));
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

static char *
host_get_active (gpointer user_data)
{
  return g_strdup (((Host *)user_data)->active);
}

static gboolean
host_set_active (gpointer     user_data,
                 const char  *name,
                 GError     **error)
{
  Host *h = user_data;

  g_free (h->active);
  h->active = g_strdup (name);
  return TRUE;
}

static gboolean
host_create (gpointer     user_data,
             const char  *name,
             GError     **error)
{
  g_ptr_array_add (((Host *)user_data)->names, g_strdup (name));
  return TRUE;
}

static gboolean
host_update (gpointer   user_data,
             GError   **error)
{
  ((Host *)user_data)->n_updates++;
  return TRUE;
}

static const NatterSlashHost host_vtable = {
  host_list, host_get_active, host_set_active, host_create, host_update,
};

static Host *
host_new (void)
{
  Host *h = g_new0 (Host, 1);

  h->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (h->names, g_strdup ("Work"));
  g_ptr_array_add (h->names, g_strdup ("Local Ollama"));
  h->active = g_strdup ("Work");
  return h;
}

static void
host_free (Host *h)
{
  g_ptr_array_unref (h->names);
  g_free (h->active);
  g_free (h);
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  char *arg = NULL;

  g_assert_cmpint (natter_slash_parse ("hello", &arg, &error), ==, NATTER_SLASH_NONE);
  g_assert_no_error (error);
  g_assert_null (arg);

  g_assert_cmpint (natter_slash_parse ("/profile", &arg, &error), ==, NATTER_SLASH_PROFILE);
  g_assert_null (arg);
  g_assert_cmpint (natter_slash_parse ("/profile  Local Ollama ", &arg, &error), ==, NATTER_SLASH_PROFILE);
  g_assert_cmpstr (arg, ==, "Local Ollama");
  g_clear_pointer (&arg, g_free);
  g_assert_cmpint (natter_slash_parse ("/profile-list", &arg, &error), ==, NATTER_SLASH_PROFILE_LIST);
  g_assert_cmpint (natter_slash_parse ("/help", &arg, &error), ==, NATTER_SLASH_HELP);
  g_assert_no_error (error);

  g_assert_cmpint (natter_slash_parse ("//etc is a path", &arg, &error), ==, NATTER_SLASH_NONE);
  g_assert_no_error (error);
  g_assert_cmpstr (arg, ==, "/etc is a path");
  g_clear_pointer (&arg, g_free);

  g_assert_cmpint (natter_slash_parse ("/profile-create", &arg, &error), ==, NATTER_SLASH_NONE);
  g_assert_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_MISSING_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (natter_slash_parse ("/help me", &arg, &error), ==, NATTER_SLASH_NONE);
  g_assert_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_UNEXPECTED_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (natter_slash_parse ("/frobnicate now", &arg, &error), ==, NATTER_SLASH_NONE);
  g_assert_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_UNKNOWN_COMMAND);
  g_assert_nonnull (strstr (error->message, "/frobnicate"));
  g_assert_null (arg);
}

static void
test_execute (void)
{
  Host *h = host_new ();
  g_autoptr(GError) error = NULL;
  char *note;

  note = natter_slash_execute (&host_vtable, h, "/profile", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (note, ==, "Current profile: Work");
  g_free (note);

  note = natter_slash_execute (&host_vtable, h, "/profile local ollama", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (h->active, ==, "Local Ollama");
  g_assert_nonnull (strstr (note, "Local Ollama"));
  g_free (note);

  note = natter_slash_execute (&host_vtable, h, "/profile Nope", &error);
  g_assert_null (note);
  g_assert_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_NO_SUCH_PROFILE);
  g_assert_cmpstr (h->active, ==, "Local Ollama");
  g_clear_error (&error);

  note = natter_slash_execute (&host_vtable, h, "/profile-list", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (note, ==, "Connection profiles:\n• Work\n• Local Ollama (active)");
  g_free (note);

  note = natter_slash_execute (&host_vtable, h, "/profile-create Spare", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (h->names->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (h->names, 2), ==, "Spare");
  g_free (note);

  note = natter_slash_execute (&host_vtable, h, "/profile-create Work", &error);
  g_assert_null (note);
  g_assert_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_FAILED);
  g_assert_cmpuint (h->names->len, ==, 3);
  g_clear_error (&error);

  note = natter_slash_execute (&host_vtable, h, "/profile-update", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (h->n_updates, ==, 1);
  g_free (note);

  g_clear_pointer (&h->active, g_free);
  note = natter_slash_execute (&host_vtable, h, "/profile-update", &error);
  g_assert_null (note);
  g_assert_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_NO_SUCH_PROFILE);
  g_assert_cmpuint (h->n_updates, ==, 1);
  g_clear_error (&error);

  note = natter_slash_execute (&host_vtable, h, "/help", &error);
  g_assert_nonnull (strstr (note, "/profile-create <name>"));
  g_free (note);

  note = natter_slash_execute (&host_vtable, h, "just a message", &error);
  g_assert_null (note);
  g_assert_no_error (error);

  host_free (h);
}

static void
test_complete (void)
{
  Host *h = host_new ();
  g_auto(GStrv) all = natter_slash_complete (&host_vtable, h, "/");
  g_auto(GStrv) prof = natter_slash_complete (&host_vtable, h, "/profile-");
  g_auto(GStrv) names = natter_slash_complete (&host_vtable, h, "/profile lo");
  g_auto(GStrv) none = natter_slash_complete (&host_vtable, h, "hello");

  g_assert_cmpuint (g_strv_length (all), ==, 8);
  g_assert_cmpuint (g_strv_length (prof), ==, 3);
  g_assert_cmpstr (prof[0], ==, "/profile-list");
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "/profile Local Ollama");
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  host_free (h);
}

/* A host with presets. */
typedef struct
{
  char *preset;
  int   n_continues;
} PresetHost;

static char **
presets_list (gpointer user_data)
{
  const char *names[] = { "Creative", "Precise", "ST Default", NULL };

  return g_strdupv ((char **) names);
}

static char *
presets_get (gpointer user_data)
{
  return g_strdup (((PresetHost *) user_data)->preset);
}

static gboolean
presets_set (gpointer     user_data,
             const char  *name,
             GError     **error)
{
  PresetHost *h = user_data;

  g_free (h->preset);
  h->preset = g_strdup (name);
  return TRUE;
}

static gboolean
presets_continue (gpointer   user_data,
                  GError   **error)
{
  ((PresetHost *) user_data)->n_continues++;
  return TRUE;
}

static char **
no_profiles (gpointer user_data)
{
  return g_new0 (char *, 1);
}

static char *
no_active (gpointer user_data)
{
  return NULL;
}

static const NatterSlashHost preset_vtable = {
  no_profiles, no_active, NULL, NULL, NULL,
  presets_list, presets_get, presets_set, presets_continue,
};

static void
test_presets (void)
{
  PresetHost h = { NULL, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_auto(GStrv) completions = NULL;

  note = natter_slash_execute (&preset_vtable, &h, "/preset", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (note, ==, "This chat uses the default preset.");
  g_clear_pointer (&note, g_free);

  note = natter_slash_execute (&preset_vtable, &h, "/preset st default", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (h.preset, ==, "ST Default");
  g_assert_cmpstr (note, ==, "This chat now uses the preset “ST Default”.");
  g_clear_pointer (&note, g_free);

  note = natter_slash_execute (&preset_vtable, &h, "/preset-list", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (note, "• ST Default (this chat)"));
  g_assert_nonnull (strstr (note, "• Precise"));
  g_clear_pointer (&note, g_free);

  note = natter_slash_execute (&preset_vtable, &h, "/preset Nope", &error);
  g_assert_null (note);
  g_assert_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpstr (h.preset, ==, "ST Default");

  note = natter_slash_execute (&preset_vtable, &h, "/preset default", &error);
  g_assert_no_error (error);
  g_assert_null (h.preset);
  g_clear_pointer (&note, g_free);

  note = natter_slash_execute (&preset_vtable, &h, "/continue", &error);
  g_assert_no_error (error);
  g_assert_cmpint (h.n_continues, ==, 1);
  g_clear_pointer (&note, g_free);

  note = natter_slash_execute (&preset_vtable, &h, "/continue now", &error);
  g_assert_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_UNEXPECTED_ARGUMENT);
  g_clear_error (&error);

  /* A host without presets says so. */
  note = natter_slash_execute (&host_vtable, NULL, "/preset-list", &error);
  g_assert_null (note);
  g_assert_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_FAILED);
  g_clear_error (&error);

  completions = natter_slash_complete (&preset_vtable, &h, "/preset pr");
  g_assert_cmpuint (g_strv_length (completions), ==, 1);
  g_assert_cmpstr (completions[0], ==, "/preset Precise");
  g_free (h.preset);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/slash-commands/parse", test_parse);
  g_test_add_func ("/natter/slash-commands/execute", test_execute);
  g_test_add_func ("/natter/slash-commands/complete", test_complete);
  g_test_add_func ("/natter/slash-commands/presets", test_presets);

  return g_test_run ();
}
