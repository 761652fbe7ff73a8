/* natter-presets-panel.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-presets-panel"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "natter-catalog.h"
#include "natter-presets-panel.h"
#include "natter-sampling.h"

typedef struct
{
  const char *key;
  const char *title;
  double      min, max, step, neutral_test;
  guint       digits;
} Control;

static const Control controls[] = {
  { "temperature", N_("Temperature"), 0, 2, 0.05, 0.7, 2 },
  { "top_p", N_("Top P"), 0, 1, 0.01, 0.9, 2 },
  { "top_k", N_("Top K"), 0, 500, 1, 40, 0 },
  { "min_p", N_("Min P"), 0, 1, 0.01, 0.05, 2 },
  { "top_a", N_("Top A"), 0, 1, 0.01, 0.2, 2 },
  { "typical_p", N_("Typical P"), 0, 1, 0.01, 0.9, 2 },
  { "repetition_penalty", N_("Repetition penalty"), 1, 2, 0.01, 1.1, 2 },
  { "frequency_penalty", N_("Frequency penalty"), -2, 2, 0.05, 0.3, 2 },
  { "presence_penalty", N_("Presence penalty"), -2, 2, 0.05, 0.3, 2 },
  { "tfs", N_("Tail-free sampling"), 0, 1, 0.01, 0.9, 2 },
  { "repetition_penalty_range", N_("Repetition penalty range"), 0, 131072, 1, 512, 0 },
  { "dry_multiplier", N_("DRY multiplier"), 0, 5, 0.05, 0.8, 2 },
  { "dry_base", N_("DRY base"), 1, 4, 0.05, 1.75, 2 },
  { "dry_allowed_length", N_("DRY allowed length"), 1, 20, 1, 2, 0 },
  { "xtc_threshold", N_("XTC threshold"), 0, 0.5, 0.01, 0.1, 2 },
  { "xtc_probability", N_("XTC probability"), 0, 1, 0.01, 0.5, 2 },
  { "mirostat_mode", N_("Mirostat mode"), 0, 2, 1, 2, 0 },
  { "mirostat_tau", N_("Mirostat tau"), 0, 20, 0.1, 5, 2 },
  { "mirostat_eta", N_("Mirostat eta"), 0, 1, 0.01, 0.1, 2 },
  { "seed", N_("Seed"), -1, 2147483647, 1, 42, 0 },
  { "max_tokens", N_("Maximum reply tokens"), 1, 131072, 1, 300, 0 },
  { "context_size", N_("Context size"), 256, 2097152, 256, 8192, 0 },
};

static const char * const effort_values[] = {
  NULL, "off", "auto", "low", "medium", "high", "max",
};

struct _NatterPresetsPanel
{
  GtkWidget             parent_instance;

  GtkLabel             *title_label;
  GtkLabel             *status_label;
  GtkButton            *rename_button;
  AdwPreferencesGroup  *character_group;
  AdwComboRow          *character_row;
  GtkStringList        *character_names;  /* [0] is "None" */
  GtkSwitch            *show_thinking_switch;
  AdwPreferencesGroup  *sampling_group;
  AdwPreferencesGroup  *blocks_group;
  AdwComboRow          *reasoning_row;
  GtkButton            *save_button;
  GtkButton            *save_as_button;
  GtkButton            *delete_button;
  GtkButton            *import_button;
  GtkButton            *export_button;

  NatterPresetStore    *store;
  NatterPreset         *preset;
  GHashTable           *spins;          /* key → GtkSpinButton */
  GHashTable           *checks;         /* key → GtkCheckButton */
  GHashTable           *rows;           /* key → AdwActionRow */
  GHashTable           *switches;       /* block id → GtkSwitch */
  GPtrArray            *block_rows;     /* GtkWidget */
  GHashTable           *editors;        /* block id → GtkTextView */
  const NatterDialect  *dialect;
  NatterProvider       *provider;
  GtkFileChooserNative *chooser;
  gint64                character_id;
  gboolean              syncing_character;
  gboolean              own_change;      /* renaming or deleting here */
};

G_DEFINE_FINAL_TYPE (NatterPresetsPanel, natter_presets_panel, GTK_TYPE_WIDGET)

enum
{
  SAVED,
  DELETED,
  RENAMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_status (NatterPresetsPanel *self,
             const char         *text)
{
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

/* Whether the current provider takes @key (unknown provider: yes). */
static gboolean
provider_takes (NatterPresetsPanel *self,
                const Control      *control)
{
  g_autoptr(JsonObject) sampling = json_object_new ();
  g_auto(GStrv) dropped = NULL;
  NatterGenParams params;

  if (self->dialect == NULL)
    return TRUE;
  natter_gen_params_init (&params);
  json_object_set_double_member (sampling, control->key, control->neutral_test);
  /* Settings that only count with another one on are judged with it on. */
  json_object_set_double_member (sampling, "dry_multiplier", 0.8);
  json_object_set_double_member (sampling, "xtc_probability", 0.5);
  json_object_set_int_member (sampling, "mirostat_mode", 2);
  json_object_set_double_member (sampling, "repetition_penalty", 1.1);
  dropped = natter_sampling_apply (self->dialect, self->provider, sampling, NATTER_REASONING_UNSET, &params);
  natter_gen_params_clear (&params);
  return !g_strv_contains ((const char * const *) dropped, control->key);
}

static void
update_rows (NatterPresetsPanel *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      AdwActionRow *row = g_hash_table_lookup (self->rows, controls[i].key);
      GtkCheckButton *check = g_hash_table_lookup (self->checks, controls[i].key);
      GtkWidget *spin = g_hash_table_lookup (self->spins, controls[i].key);
      gboolean takes = provider_takes (self, &controls[i]);

      gtk_widget_set_sensitive (spin, gtk_check_button_get_active (check));
      if (takes || self->provider == NULL)
        adw_action_row_set_subtitle (row, takes ? "" : _("Not sent to this provider"));
      else
        {
          g_autofree char *why = g_strdup_printf (_("Not sent: %s does not take it"),
                                                  natter_provider_get_name (self->provider));

          adw_action_row_set_subtitle (row, why);
        }
      gtk_widget_set_sensitive (GTK_WIDGET (check), takes);
    }
}

static void
clear_block_rows (NatterPresetsPanel *self)
{
  for (guint i = 0; i < self->block_rows->len; i++)
    adw_preferences_group_remove (self->blocks_group, g_ptr_array_index (self->block_rows, i));
  g_ptr_array_set_size (self->block_rows, 0);
  g_hash_table_remove_all (self->switches);
  g_hash_table_remove_all (self->editors);
}

static void show_preset        (NatterPresetsPanel *self);
static void collect            (NatterPresetsPanel *self);
static void sync_character_row (NatterPresetsPanel *self);

static void
move_block (NatterPresetsPanel *self,
            GtkWidget          *button,
            int                 step)
{
  GPtrArray *blocks = natter_preset_get_blocks (self->preset);
  const char *id = g_object_get_data (G_OBJECT (button), "block-id");

  collect (self);
  for (guint i = 0; i < blocks->len; i++)
    {
      NatterPresetBlock *block = g_ptr_array_index (blocks, i);
      int to = (int) i + step;

      if (g_strcmp0 (block->id, id) != 0 || to < 0 || to >= (int) blocks->len)
        continue;
      blocks->pdata[i] = blocks->pdata[to];
      blocks->pdata[to] = block;
      break;
    }
  show_preset (self);
}

static void
on_move_up (NatterPresetsPanel *self,
            GtkWidget          *button)
{
  move_block (self, button, -1);
}

static void
on_move_down (NatterPresetsPanel *self,
              GtkWidget          *button)
{
  move_block (self, button, +1);
}

static void
show_preset (NatterPresetsPanel *self)
{
  JsonObject *sampling = natter_preset_get_sampling (self->preset);
  GPtrArray *blocks = natter_preset_get_blocks (self->preset);
  NatterReasoningEffort effort = natter_preset_get_reasoning (self->preset);

  gtk_label_set_text (self->title_label, natter_preset_get_name (self->preset));
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      JsonNode *node = json_object_get_member (sampling, controls[i].key);
      gboolean set = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
                     (json_node_get_value_type (node) == G_TYPE_INT64 ||
                      json_node_get_value_type (node) == G_TYPE_DOUBLE);

      gtk_check_button_set_active (g_hash_table_lookup (self->checks, controls[i].key), set);
      gtk_spin_button_set_value (g_hash_table_lookup (self->spins, controls[i].key),
                                 set ? json_node_get_double (node) : controls[i].neutral_test);
    }
  adw_combo_row_set_selected (self->reasoning_row, effort == NATTER_REASONING_UNSET ? 0 : (guint) effort + 1);
  gtk_switch_set_active (self->show_thinking_switch, natter_preset_get_reasoning_show (self->preset));
  gtk_widget_set_sensitive (GTK_WIDGET (self->rename_button),
                            natter_preset_store_is_saved (self->store, natter_preset_get_name (self->preset)) &&
                            !natter_preset_store_is_builtin (self->store, natter_preset_get_name (self->preset)));

  clear_block_rows (self);
  for (guint i = 0; i < blocks->len; i++)
    {
      NatterPresetBlock *block = g_ptr_array_index (blocks, i);
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *toggle = gtk_switch_new ();
      GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *up = gtk_button_new_from_icon_name ("go-up-symbolic");
      GtkWidget *down = gtk_button_new_from_icon_name ("go-down-symbolic");
      g_autofree char *subtitle = NULL;
      g_autofree char *label = g_strdup_printf (_("Send “%s”"), block->name);
      g_autofree char *up_label = g_strdup_printf (_("Move “%s” up"), block->name);
      g_autofree char *down_label = g_strdup_printf (_("Move “%s” down"), block->name);

      if (block->position == NATTER_BLOCK_IN_HISTORY)
        /* Translators: "system · in the history, 4 messages above the end";
         * %s is a role (system, user, assistant) */
        subtitle = g_strdup_printf (ngettext ("%s · in the history, %d message above the end",
                                              "%s · in the history, %d messages above the end",
                                              (gulong) MAX (block->depth, 0)),
                                    natter_role_to_string (block->role), block->depth);
      else
        subtitle = g_strdup_printf (block->position == NATTER_BLOCK_AFTER_HISTORY
                                    /* Translators: %s is a role (system, user, assistant) */
                                    ? _("%s · after the history")
                                    : _("%s · before the history"),
                                    natter_role_to_string (block->role));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), block->name);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      gtk_switch_set_active (GTK_SWITCH (toggle), block->enabled);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), toggle);

      gtk_widget_set_valign (up, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (down, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (up, "flat");
      gtk_widget_add_css_class (down, "flat");
      gtk_accessible_update_property (GTK_ACCESSIBLE (up), GTK_ACCESSIBLE_PROPERTY_LABEL, up_label, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (down), GTK_ACCESSIBLE_PROPERTY_LABEL, down_label, -1);
      gtk_widget_set_tooltip_text (up, _("Move Up"));
      gtk_widget_set_tooltip_text (down, _("Move Down"));
      gtk_widget_set_sensitive (up, i > 0);
      gtk_widget_set_sensitive (down, i + 1 < blocks->len);
      g_object_set_data_full (G_OBJECT (up), "block-id", g_strdup (block->id), g_free);
      g_object_set_data_full (G_OBJECT (down), "block-id", g_strdup (block->id), g_free);
      g_signal_connect_object (up, "clicked", G_CALLBACK (on_move_up), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (down, "clicked", G_CALLBACK (on_move_down), self, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (buttons), up);
      gtk_box_append (GTK_BOX (buttons), down);
      adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), buttons);

      if (!block->marker)
        {
          GtkWidget *view = gtk_text_view_new ();
          g_autofree char *view_label = g_strdup_printf (_("Text of “%s”"), block->name);

          gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
          gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
          gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
          gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
          gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
          gtk_widget_set_size_request (view, -1, 80);
          gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)),
                                    block->content != NULL ? block->content : "", -1);
          gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, view_label, -1);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), view);
          g_hash_table_insert (self->editors, g_strdup (block->id), view);
        }
      else
        {
          GtkWidget *note = gtk_label_new (_("Filled in from the character, persona, lore or chat."));

          gtk_widget_add_css_class (note, "dim-label");
          gtk_widget_set_margin_top (note, 6);
          gtk_widget_set_margin_bottom (note, 6);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), note);
        }
      adw_preferences_group_add (self->blocks_group, row);
      g_ptr_array_add (self->block_rows, row);
      g_hash_table_insert (self->switches, g_strdup (block->id), toggle);
    }
  update_rows (self);
}

/* The controls' values into the preset. */
static void
collect (NatterPresetsPanel *self)
{
  JsonObject *sampling = natter_preset_get_sampling (self->preset);
  GPtrArray *blocks = natter_preset_get_blocks (self->preset);
  guint effort = adw_combo_row_get_selected (self->reasoning_row);

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      GtkCheckButton *check = g_hash_table_lookup (self->checks, controls[i].key);
      double scale = pow (10, controls[i].digits);
      double value = round (gtk_spin_button_get_value (g_hash_table_lookup (self->spins, controls[i].key))
                            * scale) / scale;

      if (!gtk_check_button_get_active (check))
        json_object_remove_member (sampling, controls[i].key);
      else if (controls[i].digits == 0)
        json_object_set_int_member (sampling, controls[i].key, (gint64) value);
      else
        json_object_set_double_member (sampling, controls[i].key, value);
    }
  natter_preset_set (self->preset, "reasoning",
                     effort < G_N_ELEMENTS (effort_values) && effort_values[effort] ? effort_values[effort] : "",
                     NULL);
  natter_preset_set (self->preset, "reasoning_show",
                     gtk_switch_get_active (self->show_thinking_switch) ? "true" : "false", NULL);
  for (guint i = 0; i < blocks->len; i++)
    {
      NatterPresetBlock *block = g_ptr_array_index (blocks, i);
      GtkSwitch *toggle = g_hash_table_lookup (self->switches, block->id);

      GtkTextView *view = g_hash_table_lookup (self->editors, block->id);

      if (toggle != NULL)
        block->enabled = gtk_switch_get_active (toggle);
      if (view != NULL)
        {
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
          GtkTextIter start, end;

          gtk_text_buffer_get_bounds (buffer, &start, &end);
          g_free (block->content);
          block->content = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        }
    }
}

static void
save (NatterPresetsPanel *self)
{
  g_autoptr(GError) error = NULL;

  collect (self);
  if (!natter_preset_store_save (self->store, self->preset, &error))
    {
      show_status (self, error->message);
      return;
    }
  show_status (self, NULL);
  g_signal_emit (self, signals[SAVED], 0);
}

static void
on_save_as_response (AdwMessageDialog   *dialog,
                     const char         *response,
                     NatterPresetsPanel *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(NatterPreset) copy = NULL;

  if (g_strcmp0 (response, "save") != 0 || *name == '\0')
    return;
  if (natter_preset_store_is_saved (self->store, name) || natter_preset_store_is_builtin (self->store, name))
    {
      g_autofree char *text = g_strdup_printf (_("There is already a preset named “%s”"), name);

      show_status (self, text);
      return;
    }
  collect (self);
  copy = natter_preset_copy (self->preset, name);
  g_set_object (&self->preset, copy);
  save (self);
  gtk_label_set_text (self->title_label, name);
}

static void
on_rename_response (AdwMessageDialog   *dialog,
                    const char         *response,
                    NatterPresetsPanel *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autofree char *old_name = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "rename") != 0 || *name == '\0')
    return;
  old_name = g_strdup (natter_preset_get_name (self->preset));
  if (g_strcmp0 (old_name, name) == 0)
    return;
  self->own_change = TRUE;
  natter_preset_store_rename (self->store, old_name, name, &error);
  self->own_change = FALSE;
  if (error != NULL)
    {
      show_status (self, error->message);
      return;
    }
  show_status (self, NULL);
  natter_preset_set_name (self->preset, name);
  gtk_label_set_text (self->title_label, name);
  sync_character_row (self);
  g_signal_emit (self, signals[RENAMED], 0, old_name);
}

static void
on_rename_clicked (NatterPresetsPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = g_strdup_printf (_("Rename “%s”"), natter_preset_get_name (self->preset));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                              _("Chats and characters that use it keep it."));
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), natter_preset_get_name (self->preset));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("New name"), -1);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
same_strings (GtkStringList *list,
              GStrv          names)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  if (n != g_strv_length (names))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (list, i), names[i]) != 0)
      return FALSE;
  return TRUE;
}

/* The character row's list: "None" and every preset, the character's
 * choice selected. */
static void
sync_character_row (NatterPresetsPanel *self)
{
  g_autoptr(GPtrArray) presets = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autofree char *chosen = NULL;
  guint selected = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->character_group), self->character_id > 0);
  if (self->character_id <= 0)
    return;
  presets = natter_preset_store_list (self->store, NULL);
  chosen = natter_preset_store_dup_character_preset (self->store, self->character_id);
  /* TRANSLATORS: the character has no preset of its own */
  g_strv_builder_add (builder, _("None"));
  for (guint i = 0; presets != NULL && i < presets->len; i++)
    {
      const char *name = natter_preset_get_name (g_ptr_array_index (presets, i));

      g_strv_builder_add (builder, name);
      if (chosen != NULL && g_ascii_strcasecmp (chosen, name) == 0)
        selected = i + 1;
    }
  names = g_strv_builder_end (builder);
  self->syncing_character = TRUE;
  /* The list is replaced only when it changed: this may run while the
   * row is telling of a selection, whose list must stay as it is. */
  if (!same_strings (self->character_names, names))
    gtk_string_list_splice (self->character_names, 0,
                            g_list_model_get_n_items (G_LIST_MODEL (self->character_names)),
                            (const char * const *) names);
  if (adw_combo_row_get_selected (self->character_row) != selected)
    adw_combo_row_set_selected (self->character_row, selected);
  self->syncing_character = FALSE;
}

static void
on_character_selected (NatterPresetsPanel *self)
{
  guint selected = adw_combo_row_get_selected (self->character_row);
  const char *name = NULL;
  g_autofree char *current = NULL;
  g_autoptr(GError) error = NULL;

  if (self->syncing_character || self->character_id <= 0)
    return;
  if (selected > 0 && selected != GTK_INVALID_LIST_POSITION)
    name = gtk_string_list_get_string (self->character_names, selected);
  current = natter_preset_store_dup_character_preset (self->store, self->character_id);
  if (g_strcmp0 (current, name) == 0)
    return;
  if (!natter_preset_store_set_character_preset (self->store, self->character_id, name, &error))
    show_status (self, error->message);
}

/* Presets changed (here, or with natter-cli): the lists again; a preset
 * shown that is gone gives way to the default. */
static void
on_store_changed (NatterPresetsPanel *self)
{
  g_autoptr(NatterPreset) still = NULL;

  if (self->preset == NULL || self->own_change)
    return;
  sync_character_row (self);
  still = natter_preset_store_get (self->store, natter_preset_get_name (self->preset), NULL);
  if (still == NULL)
    {
      g_autofree char *fallback = natter_preset_store_dup_default (self->store);
      g_autofree char *text = g_strdup_printf (_("“%s” was deleted."), natter_preset_get_name (self->preset));

      natter_presets_panel_set_preset_name (self, fallback);
      show_status (self, text);
      g_signal_emit (self, signals[DELETED], 0);
    }
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->rename_button),
                              natter_preset_store_is_saved (self->store, natter_preset_get_name (self->preset)) &&
                              !natter_preset_store_is_builtin (self->store, natter_preset_get_name (self->preset)));
}

static void
on_delete_response (AdwMessageDialog   *dialog,
                    const char         *response,
                    NatterPresetsPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (g_strcmp0 (response, "delete") != 0)
    return;
  name = g_strdup (natter_preset_get_name (self->preset));
  self->own_change = TRUE;
  natter_preset_store_delete (self->store, name, &error);
  self->own_change = FALSE;
  if (error != NULL)
    {
      show_status (self, error->message);
      return;
    }
  /* What stays: the built-in of that name, else the default. */
  if (!natter_presets_panel_set_preset_name (self, name))
    {
      g_autofree char *fallback = natter_preset_store_dup_default (self->store);

      natter_presets_panel_set_preset_name (self, fallback);
      show_status (self, NULL);
    }
  sync_character_row (self);
  g_signal_emit (self, signals[DELETED], 0);
}

static void
on_delete_clicked (NatterPresetsPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *name = natter_preset_get_name (self->preset);
  g_autofree char *heading = g_strdup_printf (_("Delete “%s”?"), name);
  GtkWidget *dialog;

  if (!natter_preset_store_is_saved (self->store, name))
    {
      show_status (self, _("Built-in presets cannot be deleted."));
      return;
    }
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   natter_preset_store_is_builtin (self->store, name)
                                   ? _("The built-in preset of that name comes back.")
                                   : _("Chats that use it fall back to the default preset."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_save_as_clicked (NatterPresetsPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("Save Preset As"), NULL);
  GtkWidget *entry = gtk_entry_new ();
  g_autofree char *suggestion = g_strdup_printf (_("%s (copy)"), natter_preset_get_name (self->preset));

  gtk_editable_set_text (GTK_EDITABLE (entry), suggestion);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_as_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_import_response (GtkNativeDialog    *chooser,
                    int                 response,
                    NatterPresetsPanel *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterPreset) preset = NULL;
  gsize len = 0;
  char *dot;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  basename = g_file_get_basename (file);
  if ((dot = strrchr (basename, '.')) != NULL && dot != basename)
    *dot = '\0';
  if (!g_file_load_contents (file, NULL, &text, &len, NULL, &error) ||
      (preset = natter_preset_new_from_sillytavern (text, len, basename, &error)) == NULL)
    {
      show_status (self, error->message);
      return;
    }
  if (natter_preset_store_is_saved (self->store, basename) || natter_preset_store_is_builtin (self->store, basename))
    {
      g_autofree char *name = g_strdup_printf (_("%s (imported)"), basename);

      natter_preset_set_name (preset, name);
    }
  g_set_object (&self->preset, preset);
  show_preset (self);
  save (self);
}

static void
on_export_response (GtkNativeDialog    *chooser,
                    int                 response,
                    NatterPresetsPanel *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  collect (self);
  text = natter_preset_to_sillytavern (self->preset);
  if (!g_file_replace_contents (file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, NULL, &error))
    show_status (self, error->message);
}

static void
open_chooser (NatterPresetsPanel  *self,
              GtkFileChooserAction action,
              GCallback            callback)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (action == GTK_FILE_CHOOSER_ACTION_OPEN
                                               ? _("Import Preset") : _("Export Preset"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               action, NULL, NULL);
  gtk_file_filter_set_name (filter, _("SillyTavern presets"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  if (action == GTK_FILE_CHOOSER_ACTION_SAVE)
    {
      g_autofree char *name = g_strconcat (natter_preset_get_name (self->preset), ".json", NULL);

      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
    }
  g_signal_connect_object (self->chooser, "response", callback, self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_import_clicked (NatterPresetsPanel *self)
{
  open_chooser (self, GTK_FILE_CHOOSER_ACTION_OPEN, G_CALLBACK (on_import_response));
}

static void
on_export_clicked (NatterPresetsPanel *self)
{
  open_chooser (self, GTK_FILE_CHOOSER_ACTION_SAVE, G_CALLBACK (on_export_response));
}

static void
on_check_toggled (NatterPresetsPanel *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    gtk_widget_set_sensitive (g_hash_table_lookup (self->spins, controls[i].key),
                              gtk_check_button_get_active (g_hash_table_lookup (self->checks, controls[i].key)));
}

static void
build_controls (NatterPresetsPanel *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (controls[i].min, controls[i].max, controls[i].step);
      g_autofree char *check_label = g_strdup_printf (_("Send %s"), _(controls[i].title));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(controls[i].title));
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), controls[i].digits);
      /* Sized for the usual values, not the largest seed: the panel fits
       * beside the chat. */
      gtk_editable_set_width_chars (GTK_EDITABLE (spin), 5);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, check_label, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(controls[i].title), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_preferences_group_add (self->sampling_group, row);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_check_toggled), self, G_CONNECT_SWAPPED);
      g_hash_table_insert (self->rows, (gpointer) controls[i].key, row);
      g_hash_table_insert (self->checks, (gpointer) controls[i].key, check);
      g_hash_table_insert (self->spins, (gpointer) controls[i].key, spin);
    }
}

NatterPresetsPanel *
natter_presets_panel_new (NatterPresetStore *store)
{
  NatterPresetsPanel *self;

  g_return_val_if_fail (NATTER_IS_PRESET_STORE (store), NULL);

  self = g_object_new (NATTER_TYPE_PRESETS_PANEL, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, G_CONNECT_SWAPPED);
  return self;
}

gboolean
natter_presets_panel_set_preset_name (NatterPresetsPanel *self,
                                      const char         *name)
{
  g_autoptr(NatterPreset) preset = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (NATTER_IS_PRESETS_PANEL (self), FALSE);

  preset = natter_preset_store_get (self->store, name, &error);
  if (preset == NULL)
    {
      show_status (self, error->message);
      return FALSE;
    }
  g_set_object (&self->preset, preset);
  show_preset (self);
  return TRUE;
}

void
natter_presets_panel_set_connection (NatterPresetsPanel *self,
                                     NatterClient       *client,
                                     NatterProfile      *profile)
{
  NatterProvider *provider = NULL;
  const NatterDialect *dialect = NULL;

  g_return_if_fail (NATTER_IS_PRESETS_PANEL (self));

  if (client != NULL && profile != NULL &&
      natter_client_resolve (client, profile, &provider, &dialect, NULL, NULL))
    {
      g_set_object (&self->provider, provider);
      self->dialect = dialect;
    }
  if (self->preset != NULL)
    update_rows (self);
}

void
natter_presets_panel_set_character (NatterPresetsPanel *self,
                                    gint64              character_id,
                                    const char         *character_name)
{
  g_autofree char *title = NULL;

  g_return_if_fail (NATTER_IS_PRESETS_PANEL (self));

  self->character_id = character_id;
  if (character_id > 0)
    {
      title = g_strdup_printf (_("Preset of %s"), character_name != NULL ? character_name : _("the character"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->character_row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->character_row), _("For this character’s chats without a preset of their own"));
    }
  sync_character_row (self);
}

AdwComboRow *
natter_presets_panel_get_character_row (NatterPresetsPanel *self)
{
  g_return_val_if_fail (NATTER_IS_PRESETS_PANEL (self), NULL);
  return self->character_row;
}

NatterPreset *
natter_presets_panel_get_preset (NatterPresetsPanel *self)
{
  g_return_val_if_fail (NATTER_IS_PRESETS_PANEL (self), NULL);
  return self->preset;
}

GtkSpinButton *
natter_presets_panel_get_spin (NatterPresetsPanel *self,
                               const char         *key)
{
  g_return_val_if_fail (NATTER_IS_PRESETS_PANEL (self), NULL);
  return g_hash_table_lookup (self->spins, key);
}

GtkCheckButton *
natter_presets_panel_get_check (NatterPresetsPanel *self,
                                const char         *key)
{
  g_return_val_if_fail (NATTER_IS_PRESETS_PANEL (self), NULL);
  return g_hash_table_lookup (self->checks, key);
}

GtkSwitch *
natter_presets_panel_get_block_switch (NatterPresetsPanel *self,
                                       const char         *block_id)
{
  g_return_val_if_fail (NATTER_IS_PRESETS_PANEL (self), NULL);
  return g_hash_table_lookup (self->switches, block_id);
}

GtkTextView *
natter_presets_panel_get_block_editor (NatterPresetsPanel *self,
                                      const char         *block_id)
{
  g_return_val_if_fail (NATTER_IS_PRESETS_PANEL (self), NULL);
  return g_hash_table_lookup (self->editors, block_id);
}

GtkButton *
natter_presets_panel_get_save_button (NatterPresetsPanel *self)
{
  g_return_val_if_fail (NATTER_IS_PRESETS_PANEL (self), NULL);
  return self->save_button;
}

static void
natter_presets_panel_dispose (GObject *object)
{
  NatterPresetsPanel *self = NATTER_PRESETS_PANEL (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_PRESETS_PANEL);
  /* The template's outer box is not bound: unparent it too. */
  while (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    gtk_widget_unparent (gtk_widget_get_first_child (GTK_WIDGET (self)));
  g_clear_object (&self->store);
  g_clear_object (&self->preset);
  g_clear_object (&self->provider);
  g_clear_pointer (&self->spins, g_hash_table_unref);
  g_clear_pointer (&self->checks, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->switches, g_hash_table_unref);
  g_clear_pointer (&self->block_rows, g_ptr_array_unref);
  g_clear_pointer (&self->editors, g_hash_table_unref);

  G_OBJECT_CLASS (natter_presets_panel_parent_class)->dispose (object);
}

static void
natter_presets_panel_class_init (NatterPresetsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_presets_panel_dispose;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[RENAMED] = g_signal_new ("renamed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-presets-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, rename_button);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, character_group);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, character_row);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, character_names);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, show_thinking_switch);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, sampling_group);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, blocks_group);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, reasoning_row);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, save_button);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, save_as_button);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, delete_button);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, import_button);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetsPanel, export_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
natter_presets_panel_init (NatterPresetsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->spins = g_hash_table_new (g_str_hash, g_str_equal);
  self->checks = g_hash_table_new (g_str_hash, g_str_equal);
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);
  self->switches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->block_rows = g_ptr_array_new ();
  self->editors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  build_controls (self);
  g_signal_connect_object (self->save_button, "clicked", G_CALLBACK (save), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->delete_button, "clicked", G_CALLBACK (on_delete_clicked), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->save_as_button, "clicked", G_CALLBACK (on_save_as_clicked), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->import_button, "clicked", G_CALLBACK (on_import_clicked), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->rename_button, "clicked", G_CALLBACK (on_rename_clicked), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->character_row, "notify::selected", G_CALLBACK (on_character_selected), self,
                           G_CONNECT_SWAPPED);
}
