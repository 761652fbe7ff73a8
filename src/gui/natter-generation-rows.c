/* natter-generation-rows.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-generation-rows"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-conversation.h"
#include "natter-generation-rows.h"
#include "natter-json.h"
#include "natter-sampling.h"

static const char * const efforts[] = { NULL, "off", "auto", "low", "medium", "high", "max" };

/* ------------------------------------------------------------ connection form */

struct _NatterProfilePresetGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwComboRow         *preset_row;
  AdwComboRow         *reasoning_row;
  GtkStringList       *names;        /* [0] is "None" */
};

G_DEFINE_FINAL_TYPE (NatterProfilePresetGroup, natter_profile_preset_group, ADW_TYPE_PREFERENCES_GROUP)

static JsonObject *
settings_of (NatterProfile *profile)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *text = profile != NULL ? natter_profile_get_settings (profile) : NULL;

  if (text != NULL && natter_json_parser_load (parser, text, -1, NULL) &&
      json_parser_get_root (parser) != NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return json_object_new ();
}

/* A string member, or NULL when absent or of another type (the
 * _with_default getters complain about objects and arrays). */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
natter_profile_preset_group_load (NatterProfilePresetGroup *self,
                                  NatterDatabase           *database,
                                  NatterProfile            *profile)
{
  g_autoptr(NatterPresetStore) presets = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonObject) settings = settings_of (profile);
  const char *preset = string_member (settings, "preset");
  const char *reasoning = string_member (settings, "reasoning");
  guint selected = 0;

  g_return_if_fail (NATTER_IS_PROFILE_PRESET_GROUP (self));

  if (database != NULL)
    {
      presets = natter_preset_store_new (database);
      list = natter_preset_store_list (presets, NULL);
    }
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const char *name = natter_preset_get_name (g_ptr_array_index (list, i));

      gtk_string_list_append (self->names, name);
      if (preset != NULL && g_ascii_strcasecmp (name, preset) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_selected (self->preset_row, selected);
  selected = 0;
  for (guint i = 1; reasoning != NULL && i < G_N_ELEMENTS (efforts); i++)
    if (g_str_equal (efforts[i], reasoning))
      selected = i;
  adw_combo_row_set_selected (self->reasoning_row, selected);
}

void
natter_profile_preset_group_apply (NatterProfilePresetGroup *self,
                                   NatterProfile            *profile)
{
  g_autoptr(JsonObject) settings = settings_of (profile);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  guint preset = adw_combo_row_get_selected (self->preset_row);
  guint reasoning = adw_combo_row_get_selected (self->reasoning_row);

  g_return_if_fail (NATTER_IS_PROFILE_PRESET_GROUP (self));

  if (preset > 0 && preset != GTK_INVALID_LIST_POSITION)
    json_object_set_string_member (settings, "preset", gtk_string_list_get_string (self->names, preset));
  else
    json_object_remove_member (settings, "preset");
  if (reasoning > 0 && reasoning < G_N_ELEMENTS (efforts))
    json_object_set_string_member (settings, "reasoning", efforts[reasoning]);
  else
    json_object_remove_member (settings, "reasoning");
  json_node_set_object (node, settings);
  text = json_to_string (node, FALSE);
  natter_profile_set_settings (profile, text);
}

AdwComboRow *
natter_profile_preset_group_get_preset_row (NatterProfilePresetGroup *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE_PRESET_GROUP (self), NULL);
  return self->preset_row;
}

AdwComboRow *
natter_profile_preset_group_get_reasoning_row (NatterProfilePresetGroup *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE_PRESET_GROUP (self), NULL);
  return self->reasoning_row;
}

static void
natter_profile_preset_group_class_init (NatterProfilePresetGroupClass *klass)
{
}

static AdwComboRow *
combo_row (const char    *title,
           const char    *subtitle,
           GtkStringList *model)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  return row;
}

static void
natter_profile_preset_group_init (NatterProfilePresetGroup *self)
{
  g_autoptr(GtkStringList) reasoning = gtk_string_list_new (NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Generation"));
  self->names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->names, _("None"));
  gtk_string_list_append (reasoning, _("The provider’s default"));
  gtk_string_list_append (reasoning, _("Off"));
  gtk_string_list_append (reasoning, _("Auto"));
  gtk_string_list_append (reasoning, _("Low"));
  gtk_string_list_append (reasoning, _("Medium"));
  gtk_string_list_append (reasoning, _("High"));
  gtk_string_list_append (reasoning, _("Maximum"));
  self->preset_row = combo_row (_("Default Preset"),
                                _("For chats and characters that choose none of their own"), self->names);
  self->reasoning_row = combo_row (_("Reasoning Effort"),
                                   _("Unless the preset sets its own"), reasoning);
  g_object_unref (self->names);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->preset_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->reasoning_row));
}

/* ------------------------------------------------------------ sidecar */

struct _NatterSidecarGroup
{
  AdwPreferencesGroup  parent_instance;

  AdwComboRow         *profile_row;
  AdwEntryRow         *model_row;
  GtkStringList       *names;        /* [0] is "None" */
  NatterApplication   *application;  /* weak: outlives its windows */
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (NatterSidecarGroup, natter_sidecar_group, ADW_TYPE_PREFERENCES_GROUP)

static NatterPresetStore *
sidecar_store (NatterApplication *application)
{
  NatterConversation *conversation = application != NULL
                                     ? natter_application_get_conversation (application) : NULL;

  return conversation != NULL ? natter_conversation_get_preset_store (conversation) : NULL;
}

void
natter_sidecar_apply (NatterApplication *application)
{
  NatterPresetStore *store = sidecar_store (application);
  g_autofree char *name = NULL;
  g_autofree char *model = NULL;
  NatterProfile *profile = NULL;

  if (store == NULL)
    return;
  if (natter_preset_store_get_sidecar (store, &name, &model))
    profile = natter_profile_store_lookup (natter_application_get_profile_store (application), name);
  natter_conversation_set_sidecar (natter_application_get_conversation (application), profile, model);
}

static void
save_sidecar (NatterSidecarGroup *self)
{
  NatterPresetStore *store = sidecar_store (self->application);
  guint selected = adw_combo_row_get_selected (self->profile_row);
  const char *model = gtk_editable_get_text (GTK_EDITABLE (self->model_row));
  g_autoptr(GError) error = NULL;

  if (self->loading || store == NULL)
    return;
  if (!natter_preset_store_set_sidecar (store,
                                        selected > 0 && selected != GTK_INVALID_LIST_POSITION
                                        ? gtk_string_list_get_string (self->names, selected) : NULL,
                                        model, &error))
    g_warning ("Cannot save the sidecar: %s", error->message);
  natter_sidecar_apply (self->application);
}

void
natter_sidecar_group_set_application (NatterSidecarGroup *self,
                                      NatterApplication  *application)
{
  NatterPresetStore *store = sidecar_store (application);
  GListModel *profiles;
  g_autofree char *name = NULL;
  g_autofree char *model = NULL;
  guint selected = 0;

  g_return_if_fail (NATTER_IS_SIDECAR_GROUP (self));

  self->application = application;
  self->loading = TRUE;
  if (store != NULL)
    natter_preset_store_get_sidecar (store, &name, &model);
  profiles = G_LIST_MODEL (natter_application_get_profile_store (application));
  for (guint i = 0; i < g_list_model_get_n_items (profiles); i++)
    {
      g_autoptr(NatterProfile) profile = g_list_model_get_item (profiles, i);

      gtk_string_list_append (self->names, natter_profile_get_name (profile));
      if (name != NULL && g_strcmp0 (natter_profile_get_name (profile), name) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_selected (self->profile_row, selected);
  gtk_editable_set_text (GTK_EDITABLE (self->model_row), model != NULL ? model : "");
  self->loading = FALSE;
}

AdwComboRow *
natter_sidecar_group_get_profile_row (NatterSidecarGroup *self)
{
  g_return_val_if_fail (NATTER_IS_SIDECAR_GROUP (self), NULL);
  return self->profile_row;
}

AdwEntryRow *
natter_sidecar_group_get_model_row (NatterSidecarGroup *self)
{
  g_return_val_if_fail (NATTER_IS_SIDECAR_GROUP (self), NULL);
  return self->model_row;
}

static void
natter_sidecar_group_class_init (NatterSidecarGroupClass *klass)
{
}

static void
natter_sidecar_group_init (NatterSidecarGroup *self)
{
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Sidecar"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("A second, cheap connection that titles chats and summarizes "
                                           "what no longer fits in the context."));
  self->names = gtk_string_list_new (NULL);
  gtk_string_list_append (self->names, _("None"));
  self->profile_row = combo_row (_("Connection"), _("Without one, titles are the first words"), self->names);
  g_object_unref (self->names);
  self->model_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->model_row), _("Model (empty: the connection’s)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->profile_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->model_row));
  g_signal_connect_object (self->profile_row, "notify::selected", G_CALLBACK (save_sidecar), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model_row, "changed", G_CALLBACK (save_sidecar), self, G_CONNECT_SWAPPED);
}
