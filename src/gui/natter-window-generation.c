/* natter-window-generation.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's "Generation" side panel: the presets panel beside the chat
 * (folding over it in a narrow window), toggled by the header bar's
 * button and F9, showing the preset that applies to the chat shown; and
 * whether replies show their thinking (Preferences, and the preset's own
 * "show thinking"). */

#define G_LOG_DOMAIN "natter-window"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-conversation.h"
#include "natter-presets-panel.h"
#include "natter-settings.h"
#include "natter-window-private.h"

static NatterConversation *
get_conversation (NatterWindow *self)
{
  return self->application != NULL ? natter_application_get_conversation (self->application) : NULL;
}

/* The preset that applies to the chat shown: the dropdown's choice (also
 * one made before the chat exists), else what the chat, its character,
 * the connection or the global default say. */
static NatterPreset *
resolve_preset (NatterWindow *self)
{
  NatterConversation *conversation = get_conversation (self);
  NatterPresetStore *store;
  const char *choice = natter_preset_dropdown_get_choice (self->preset_dropdown);
  NatterPreset *preset = NULL;

  if (conversation == NULL)
    return NULL;
  store = natter_conversation_get_preset_store (conversation);
  if (choice != NULL)
    preset = natter_preset_store_get (store, choice, NULL);
  if (preset == NULL)
    preset = natter_conversation_resolve_preset (conversation,
                                                 natter_preset_dropdown_get_chat (self->preset_dropdown),
                                                 natter_profile_store_get_active (self->profiles),
                                                 NULL, NULL);
  return preset;
}

static void
update_show_reasoning (NatterWindow *self)
{
  NatterSettings *settings = natter_application_get_settings (self->application);
  gboolean show = settings == NULL || natter_settings_get_show_reasoning (settings);

  if (show)
    {
      g_autoptr(NatterPreset) preset = resolve_preset (self);

      show = preset == NULL || natter_preset_get_reasoning_show (preset);
    }
  natter_chat_view_set_show_reasoning (self->chat_view, show);
}

/* The panel on the preset that applies, for the active connection and
 * the chat's character. A panel already on that preset keeps what is
 * typed in it. */
static void
update_panel (NatterWindow *self)
{
  g_autoptr(NatterPreset) preset = NULL;
  g_autoptr(NatterChat) chat = NULL;
  g_autoptr(NatterCharacterRow) character = NULL;
  NatterProfile *profile;
  NatterPreset *shown;
  gint64 chat_id;
  const char *name;

  if (self->presets_panel == NULL)
    return;
  preset = resolve_preset (self);
  name = preset != NULL ? natter_preset_get_name (preset) : NATTER_PRESET_DEFAULT_NAME;
  shown = natter_presets_panel_get_preset (self->presets_panel);
  if (shown == NULL || g_ascii_strcasecmp (natter_preset_get_name (shown), name) != 0)
    natter_presets_panel_set_preset_name (self->presets_panel, name);

  profile = natter_profile_store_get_active (self->profiles);
  natter_presets_panel_set_connection (self->presets_panel, self->client, profile);

  chat_id = natter_preset_dropdown_get_chat (self->preset_dropdown);
  if (chat_id != 0 && self->chats != NULL)
    chat = natter_chat_store_get_chat (self->chats, chat_id, NULL);
  if (chat != NULL && natter_chat_get_character_id (chat) != 0)
    character = natter_chat_store_get_character (self->chats, natter_chat_get_character_id (chat), NULL);
  natter_presets_panel_set_character (self->presets_panel, character != NULL ? character->id : 0,
                                      character != NULL ? character->name : NULL);
}

static void
on_choice_changed (NatterWindow *self)
{
  update_show_reasoning (self);
  update_panel (self);
}

/* A preset saved under another name (Save As, Import) is what the person
 * wants for this chat. */
static void
on_panel_saved (NatterWindow *self)
{
  NatterPreset *shown = natter_presets_panel_get_preset (self->presets_panel);
  g_autoptr(NatterPreset) applies = resolve_preset (self);

  natter_preset_dropdown_reload (self->preset_dropdown);
  if (shown != NULL &&
      (applies == NULL || g_ascii_strcasecmp (natter_preset_get_name (shown), natter_preset_get_name (applies)) != 0))
    natter_preset_dropdown_choose (self->preset_dropdown, natter_preset_get_name (shown));
  update_show_reasoning (self);
}

/* Renamed or deleted: the dropdown follows the store by itself (the
 * chat's choice follows a rename, and falls back after a delete). */
static void
on_panel_changed_presets (NatterWindow *self)
{
  update_show_reasoning (self);
}

static void
ensure_panel (NatterWindow *self)
{
  NatterConversation *conversation = get_conversation (self);
  NatterPresetsPanel *panel;

  if (self->presets_panel != NULL || conversation == NULL)
    return;
  panel = natter_presets_panel_new (natter_conversation_get_preset_store (conversation));
  g_signal_connect_object (panel, "saved", G_CALLBACK (on_panel_saved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (panel, "renamed", G_CALLBACK (on_panel_changed_presets), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (panel, "deleted", G_CALLBACK (on_panel_changed_presets), self, G_CONNECT_SWAPPED);
  self->presets_panel = panel;
  adw_flap_set_flap (self->generation_flap, GTK_WIDGET (panel));
  update_panel (self);
}

/* The panel is made the first time it is shown: a window that never
 * shows it pays nothing for its controls. */
static void
on_reveal_changed (NatterWindow *self)
{
  if (adw_flap_get_reveal_flap (self->generation_flap))
    ensure_panel (self);
}

/* In a narrow window the header bar keeps its room for the chat's title:
 * the panel is then in the chat menu (and F9). */
static void
on_folded_changed (NatterWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->generation_button), !adw_leaflet_get_folded (self->leaflet));
}

static void
toggle_generation_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  NatterWindow *self = NATTER_WINDOW (widget);

  adw_flap_set_reveal_flap (self->generation_flap, !adw_flap_get_reveal_flap (self->generation_flap));
}

void
_natter_window_class_generation_init (NatterWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.generation-settings", NULL, toggle_generation_action);
}

void
_natter_window_generation_init (NatterWindow *self)
{
  NatterSettings *settings = natter_application_get_settings (self->application);
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  /* F9 wherever the focus is: in the capture phase, as the application's
   * accelerators are, so no focused control takes it first. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F9, 0),
                                                          gtk_named_action_new ("win.generation-settings")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (on_folded_changed), self,
                           G_CONNECT_SWAPPED);
  on_folded_changed (self);
  g_signal_connect_object (self->generation_flap, "notify::reveal-flap", G_CALLBACK (on_reveal_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->preset_dropdown, "changed", G_CALLBACK (on_choice_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profiles, "notify::active-profile", G_CALLBACK (on_choice_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profiles, "changed", G_CALLBACK (on_choice_changed), self, G_CONNECT_SWAPPED);
  if (settings != NULL)
    g_signal_connect_object (settings, "notify::show-reasoning", G_CALLBACK (update_show_reasoning), self,
                             G_CONNECT_SWAPPED);
  update_show_reasoning (self);
}

NatterPresetsPanel *
natter_window_get_presets_panel (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->presets_panel;
}

GtkToggleButton *
natter_window_get_generation_button (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->generation_button;
}

AdwFlap *
natter_window_get_generation_flap (NatterWindow *self)
{
  g_return_val_if_fail (NATTER_IS_WINDOW (self), NULL);
  return self->generation_flap;
}
