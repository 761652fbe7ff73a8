/* natter-slash-commands.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-slash-commands"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-slash-commands.h"

G_DEFINE_QUARK (natter-slash-error-quark, natter_slash_error)

typedef enum
{
  ARG_NONE,
  ARG_OPTIONAL,
  ARG_REQUIRED,
} ArgKind;

static const struct {
  const char         *name;
  NatterSlashCommand  command;
  ArgKind             arg;
  const char         *usage;
  const char         *summary;
} commands[] = {
  { "profile", NATTER_SLASH_PROFILE, ARG_OPTIONAL, N_("/profile [name]"),
    N_("Switch to a connection profile, or show the current one") },
  { "profile-list", NATTER_SLASH_PROFILE_LIST, ARG_NONE, N_("/profile-list"),
    N_("List the connection profiles") },
  { "profile-create", NATTER_SLASH_PROFILE_CREATE, ARG_REQUIRED, N_("/profile-create <name>"),
    N_("Create a profile from the current settings") },
  { "profile-update", NATTER_SLASH_PROFILE_UPDATE, ARG_NONE, N_("/profile-update"),
    N_("Save the current model and settings into the active profile") },
  { "preset", NATTER_SLASH_PRESET, ARG_OPTIONAL, N_("/preset [name]"),
    N_("Use a preset in this chat (“default” for none), or show the current one") },
  { "preset-list", NATTER_SLASH_PRESET_LIST, ARG_NONE, N_("/preset-list"),
    N_("List the presets") },
  { "continue", NATTER_SLASH_CONTINUE, ARG_NONE, N_("/continue"),
    N_("Extend the last reply in place") },
  { "help", NATTER_SLASH_HELP, ARG_NONE, N_("/help"),
    N_("Show the commands") },
};

NatterSlashCommand
natter_slash_parse (const char  *text,
                    char       **argument,
                    GError     **error)
{
  const char *p;
  gsize name_len;
  g_autofree char *arg = NULL;

  g_return_val_if_fail (text != NULL, NATTER_SLASH_NONE);

  if (argument != NULL)
    *argument = NULL;

  p = text;
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '/')
    return NATTER_SLASH_NONE;
  if (p[1] == '/')
    {
      if (argument != NULL)
        *argument = g_strdup (p + 1);
      return NATTER_SLASH_NONE;
    }

  p++;
  name_len = strcspn (p, " \t\r\n");
  if (p[name_len] != '\0')
    {
      arg = g_strstrip (g_strdup (p + name_len));
      if (*arg == '\0')
        g_clear_pointer (&arg, g_free);
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strlen (commands[i].name) != name_len || strncmp (commands[i].name, p, name_len) != 0)
        continue;

      if (commands[i].arg == ARG_NONE && arg != NULL)
        {
          g_set_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_UNEXPECTED_ARGUMENT,
                       _("%s takes no argument. Usage: %s"),
                       commands[i].name, _(commands[i].usage));
          return NATTER_SLASH_NONE;
        }
      if (commands[i].arg == ARG_REQUIRED && arg == NULL)
        {
          g_set_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_MISSING_ARGUMENT,
                       _("%s needs a name. Usage: %s"),
                       commands[i].name, _(commands[i].usage));
          return NATTER_SLASH_NONE;
        }

      if (argument != NULL)
        *argument = g_steal_pointer (&arg);
      return commands[i].command;
    }

  {
    g_autofree char *name = g_strndup (p, name_len);

    g_set_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_UNKNOWN_COMMAND,
                 _("Unknown command “/%s”. Type /help for the list of commands. Nothing was sent."),
                 name);
  }
  return NATTER_SLASH_NONE;
}

char *
natter_slash_help_text (void)
{
  GString *help = g_string_new (_("Commands (shown only to you, never sent to the model):"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (help, "\n%s — %s", _(commands[i].usage), _(commands[i].summary));

  return g_string_free (help, FALSE);
}

/* Exact name first, else the one name equal ignoring case. */
static char *
find_profile (const NatterSlashHost  *host,
              gpointer                user_data,
              const char             *name,
              GError                **error)
{
  g_auto(GStrv) names = host->list_profiles (user_data);
  const char *folded_match = NULL;
  guint n_folded = 0;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      if (strcmp (names[i], name) == 0)
        return g_strdup (names[i]);
      if (g_utf8_collate (names[i], name) == 0 || g_ascii_strcasecmp (names[i], name) == 0)
        {
          folded_match = names[i];
          n_folded++;
        }
    }

  if (n_folded == 1)
    return g_strdup (folded_match);

  g_set_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_NO_SUCH_PROFILE,
               _("There is no profile named “%s”. Type /profile-list to see them."), name);
  return NULL;
}

static char *
execute_preset_command (const NatterSlashHost  *host,
                        gpointer                user_data,
                        NatterSlashCommand      command,
                        const char             *arg,
                        GError                **error)
{
  if (host->list_presets == NULL || host->get_preset == NULL || host->set_preset == NULL ||
      host->continue_reply == NULL)
    {
      g_set_error_literal (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_FAILED,
                           _("Presets are not available here."));
      return NULL;
    }

  if (command == NATTER_SLASH_CONTINUE)
    {
      if (!host->continue_reply (user_data, error))
        return NULL;
      return g_strdup (_("Continuing the last reply."));
    }

  if (command == NATTER_SLASH_PRESET && arg == NULL)
    {
      g_autofree char *current = host->get_preset (user_data);

      if (current == NULL)
        return g_strdup (_("This chat uses the default preset."));
      return g_strdup_printf (_("Current preset: %s"), current);
    }

  if (command == NATTER_SLASH_PRESET)
    {
      g_auto(GStrv) names = host->list_presets (user_data);
      const char *found = NULL;

      if (g_ascii_strcasecmp (arg, "default") == 0)
        {
          if (!host->set_preset (user_data, NULL, error))
            return NULL;
          return g_strdup (_("This chat now uses the default preset."));
        }
      for (guint i = 0; names != NULL && names[i] != NULL && found == NULL; i++)
        if (g_utf8_collate (names[i], arg) == 0 || g_ascii_strcasecmp (names[i], arg) == 0)
          found = names[i];
      if (found == NULL)
        {
          g_set_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_FAILED,
                       _("There is no preset named “%s”. Type /preset-list to see them."), arg);
          return NULL;
        }
      if (!host->set_preset (user_data, found, error))
        return NULL;
      return g_strdup_printf (_("This chat now uses the preset “%s”."), found);
    }

  {
    g_auto(GStrv) names = host->list_presets (user_data);
    g_autofree char *current = host->get_preset (user_data);
    GString *out = g_string_new (_("Presets:"));

    for (guint i = 0; names != NULL && names[i] != NULL; i++)
      {
        if (g_strcmp0 (names[i], current) == 0)
          g_string_append_printf (out, "\n• %s %s", names[i], _("(this chat)"));
        else
          g_string_append_printf (out, "\n• %s", names[i]);
      }
    return g_string_free (out, FALSE);
  }
}

char *
natter_slash_execute (const NatterSlashHost  *host,
                      gpointer                user_data,
                      const char             *text,
                      GError                **error)
{
  g_autofree char *arg = NULL;
  GError *local_error = NULL;
  NatterSlashCommand command;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  command = natter_slash_parse (text, &arg, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  switch (command)
    {
    case NATTER_SLASH_NONE:
      return NULL;

    case NATTER_SLASH_HELP:
      return natter_slash_help_text ();

    case NATTER_SLASH_PROFILE:
      if (arg == NULL)
        {
          g_autofree char *active = host->get_active (user_data);

          if (active == NULL)
            return g_strdup (_("No connection profile is active. Open Connections… to create one."));
          return g_strdup_printf (_("Current profile: %s"), active);
        }
      else
        {
          g_autofree char *name = find_profile (host, user_data, arg, error);

          if (name == NULL || !host->set_active (user_data, name, error))
            return NULL;
          return g_strdup_printf (_("Switched to profile “%s”."), name);
        }

    case NATTER_SLASH_PROFILE_LIST:
      {
        g_auto(GStrv) names = host->list_profiles (user_data);
        g_autofree char *active = host->get_active (user_data);
        GString *out;

        if (names == NULL || names[0] == NULL)
          return g_strdup (_("There are no connection profiles yet."));

        out = g_string_new (_("Connection profiles:"));
        for (guint i = 0; names[i] != NULL; i++)
          {
            if (g_strcmp0 (names[i], active) == 0)
              g_string_append_printf (out, "\n• %s %s", names[i], _("(active)"));
            else
              g_string_append_printf (out, "\n• %s", names[i]);
          }
        return g_string_free (out, FALSE);
      }

    case NATTER_SLASH_PROFILE_CREATE:
      {
        g_auto(GStrv) names = host->list_profiles (user_data);

        for (guint i = 0; names != NULL && names[i] != NULL; i++)
          if (strcmp (names[i], arg) == 0)
            {
              g_set_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_FAILED,
                           _("A profile named “%s” already exists."), arg);
              return NULL;
            }

        if (!host->create_profile (user_data, arg, error))
          return NULL;
        return g_strdup_printf (_("Created profile “%s” from the current settings."), arg);
      }

    case NATTER_SLASH_PROFILE_UPDATE:
      {
        g_autofree char *active = host->get_active (user_data);

        if (active == NULL)
          {
            g_set_error (error, NATTER_SLASH_ERROR, NATTER_SLASH_ERROR_NO_SUCH_PROFILE,
                         _("No connection profile is active, so there is nothing to update."));
            return NULL;
          }
        if (!host->update_profile (user_data, error))
          return NULL;
        return g_strdup_printf (_("Saved the current model and settings into “%s”."), active);
      }

    case NATTER_SLASH_PRESET:
    case NATTER_SLASH_PRESET_LIST:
    case NATTER_SLASH_CONTINUE:
      return execute_preset_command (host, user_data, command, arg, error);

    default:
      g_assert_not_reached ();
    }
}

GStrv
natter_slash_complete (const NatterSlashHost *host,
                       gpointer               user_data,
                       const char            *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *space;

  g_return_val_if_fail (text != NULL, NULL);

  if (text[0] != '/' || text[1] == '/' || strchr (text, '\n') != NULL)
    return g_strv_builder_end (builder);

  space = strchr (text, ' ');
  if (space == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        if (g_str_has_prefix (commands[i].name, text + 1))
          {
            g_autofree char *completion = g_strconcat ("/", commands[i].name, NULL);
            g_strv_builder_add (builder, completion);
          }
    }
  else if (host != NULL && (gsize)(space - text) == strlen ("/profile") &&
           g_str_has_prefix (text, "/profile"))
    {
      g_auto(GStrv) names = host->list_profiles (user_data);
      const char *typed = space + 1;

      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        if (g_ascii_strncasecmp (names[i], typed, strlen (typed)) == 0)
          {
            g_autofree char *completion = g_strconcat ("/profile ", names[i], NULL);
            g_strv_builder_add (builder, completion);
          }
    }

  else if (host != NULL && host->list_presets != NULL && (gsize)(space - text) == strlen ("/preset") &&
           g_str_has_prefix (text, "/preset"))
    {
      g_auto(GStrv) names = host->list_presets (user_data);
      const char *typed = space + 1;

      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        if (g_ascii_strncasecmp (names[i], typed, strlen (typed)) == 0)
          {
            g_autofree char *completion = g_strconcat ("/preset ", names[i], NULL);
            g_strv_builder_add (builder, completion);
          }
    }

  return g_strv_builder_end (builder);
}
