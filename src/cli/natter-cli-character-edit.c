/* natter-cli-character-edit.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "natter-avatar.h"
#include "natter-card.h"
#include "natter-card-edit.h"

#include "natter-cli-editing.h"
#include "natter-cli-private.h"

/* The image at @path as the avatar the window's "Choose Image…" makes of it. */
GBytes *
natter_cli_read_avatar (const char  *path,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GBytes *png = natter_avatar_crop_file (path, NATTER_AVATAR_CENTRE, &local_error);

  if (png == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("“%s” cannot be used as an avatar: %s"), path, local_error->message);
  return png;
}

/* The card field a command-line name stands for. */
static const char *
card_field (const char *name)
{
  static const struct { const char *alias; const char *field; } aliases[] = {
    { "first_message", "first_mes" },
    { "first-message", "first_mes" },
    { "example_dialogue", "mes_example" },
    { "examples", "mes_example" },
    { "version", "character_version" },
    { "post_history", "post_history_instructions" },
    { "notes", "creator_notes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_str_equal (name, aliases[i].alias))
      return aliases[i].field;
  return name;
}

static void
print_character_json (gint64      id,
                      NatterCard *card,
                      gboolean    has_avatar,
                      GPtrArray  *changed)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_begin_made_object (builder, "character", id, natter_card_get_name (card));
  json_add_string (builder, "spec", natter_card_get_spec (card));
  json_add_bool (builder, "has_avatar", has_avatar);
  if (changed != NULL)
    {
      json_builder_set_member_name (builder, "changed");
      json_builder_begin_array (builder);
      for (guint i = 0; i < changed->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (changed, i));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  print_json (builder);
}

int
natter_cli_cmd_character_create (int    argc,
                                 char **argv)
{
  gboolean json = FALSE;
  g_autofree char *description = NULL;
  g_autofree char *first_message = NULL;
  g_autofree char *avatar_path = NULL;
  GOptionEntry entries[] = {
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("Who the character is"), N_("TEXT") },
    { "first-message", 0, 0, G_OPTION_ARG_STRING, &first_message,
      N_("The character's greeting in a new chat"), N_("TEXT") },
    { "avatar", 0, 0, G_OPTION_ARG_FILENAME, &avatar_path, N_("An image, cut to the 2:3 portrait of a card"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(GBytes) avatar = NULL;
  g_autofree char *card_json = NULL;
  g_autofree char *name = NULL;
  gint64 id;
  int code = EXIT_OK;

  if (!parse_options (_("NAME"), _("Makes a new character (Character Card V3) from scratch."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return fail (EXIT_USAGE, _("Expected the character's name"));
  name = g_strstrip (g_strjoinv (" ", argv + 1));
  if (name[0] == '\0')
    return fail (EXIT_USAGE, _("A character needs a name"));
  if (avatar_path != NULL && (avatar = natter_cli_read_avatar (avatar_path, &error)) == NULL)
    return fail (EXIT_LOCAL, "%s", error->message);

  card = natter_card_new_blank (name);
  if (description != NULL)
    {
      NatterCard *edited = natter_card_edit_string (card, "description", description);
      g_set_object (&card, edited);
      g_object_unref (edited);
    }
  if (first_message != NULL)
    {
      NatterCard *edited = natter_card_edit_string (card, "first_mes", first_message);
      g_set_object (&card, edited);
      g_object_unref (edited);
    }

  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  card_json = natter_card_dup_json (card);
  id = natter_chat_store_add_character (engine.store, name, card_json, avatar, &error);
  if (id == 0)
    return fail_with_error (error);

  if (json)
    print_character_json (id, card, avatar != NULL, NULL);
  else
    g_print (_("Created character “%s” (id %lld)\n"), name, (long long) id);
  return EXIT_OK;
}

int
natter_cli_cmd_character_set (int    argc,
                              char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_auto(Engine) engine = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) g_ptr_array_unref);
  g_autofree char *card_json = NULL;
  int code = EXIT_OK;

  if (!parse_options (_("NAME FIELD=VALUE…"),
                      _("Changes fields of a character's card and nothing else. FIELD is any "
                        "card field (name, description, personality, scenario, first_mes, "
                        "mes_example, system_prompt, post_history_instructions, creator_notes, "
                        "creator, character_version, nickname, …). tags=a,b sets the tags; "
                        "alternate_greetings=T and group_only_greetings=T add one greeting each "
                        "time they are given (an empty value clears the list)."),
                      entries, &argc, &argv, &code))
    return code;
  if (argc < 3)
    return fail (EXIT_USAGE, _("Expected a character and at least one FIELD=VALUE"));

  if (!engine_open_chats (&engine, FALSE, &error))
    return fail_with_error (error);
  if ((row = cli_lookup_character (&engine, argv[1], &code)) == NULL)
    return code;
  card = natter_card_new_from_json (row->card_json, &error);
  if (card == NULL)
    return fail (EXIT_LOCAL, _("The card of “%s” cannot be read: %s"), row->name, error->message);

  for (int i = 2; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');
      g_autofree char *name = NULL;
      const char *field;
      const char *value;
      g_autoptr(NatterCard) edited = NULL;

      if (eq == NULL || eq == argv[i])
        return fail (EXIT_USAGE, _("Expected FIELD=VALUE, not “%s”"), argv[i]);
      name = g_strndup (argv[i], eq - argv[i]);
      field = card_field (name);
      value = eq + 1;
      if (!natter_card_field_is_valid (field) || g_str_equal (field, "extensions") ||
          g_str_equal (field, "character_book") || g_str_equal (field, "assets"))
        return fail (EXIT_USAGE, _("“%s” is not a field natter-cli can set"), name);
      if (g_str_equal (field, "name"))
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (value));

          if (trimmed[0] == '\0')
            return fail (EXIT_USAGE, _("A character needs a name"));
        }

      if (g_str_equal (field, "tags"))
        {
          g_auto(GStrv) parts = g_strsplit (value, ",", -1);
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_auto(GStrv) tags = NULL;

          for (guint t = 0; parts[t] != NULL; t++)
            if (*g_strstrip (parts[t]) != '\0')
              g_strv_builder_add (builder, parts[t]);
          tags = g_strv_builder_end (builder);
          edited = natter_card_edit_strv (card, field, (const char * const *) tags);
        }
      else if (natter_card_field_is_list (field))
        {
          GPtrArray *items = g_hash_table_lookup (lists, field);

          if (items == NULL)
            {
              items = g_ptr_array_new_null_terminated (4, g_free, TRUE);
              g_hash_table_insert (lists, g_strdup (field), items);
            }
          if (value[0] != '\0')
            g_ptr_array_add (items, g_strdup (value));
          edited = natter_card_edit_strv (card, field, (const char * const *) items->pdata);
        }
      else
        edited = natter_card_edit_string (card, field, value);

      if (edited != card && !g_ptr_array_find_with_equal_func (changed, field, g_str_equal, NULL))
        g_ptr_array_add (changed, g_strdup (field));
      g_set_object (&card, edited);
    }

  if (changed->len > 0)
    {
      card_json = natter_card_dup_json (card);
      if (!natter_chat_store_update_character (engine.store, row->id, NULL, card_json,
                                               row->avatar, &error))
        return fail_with_error (error);
    }

  if (json)
    print_character_json (row->id, card, row->avatar != NULL, changed);
  else if (changed->len == 0)
    g_print (_("Nothing changed\n"));
  return EXIT_OK;
}
