/* natter-preset-dropdown.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-preset-dropdown"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-conversation.h"
#include "natter-generation-rows.h"
#include "natter-preset-dropdown.h"

struct _NatterPresetDropdown
{
  GtkWidget          parent_instance;

  GtkDropDown       *dropdown;
  GtkStringList     *names;

  NatterApplication *application;   /* weak: it outlives its windows */
  NatterPresetStore *store;         /* the one whose "changed" is followed */
  gint64             chat_id;
  char              *choice;        /* nullable: the default */
  gboolean           syncing;
  guint              reload_idle;
};

G_DEFINE_FINAL_TYPE (NatterPresetDropdown, natter_preset_dropdown, GTK_TYPE_WIDGET)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static NatterPresetStore *
get_store (NatterPresetDropdown *self)
{
  NatterConversation *conversation;

  if (self->application == NULL ||
      (conversation = natter_application_get_conversation (self->application)) == NULL)
    return NULL;
  return natter_conversation_get_preset_store (conversation);
}

static void
select_choice (NatterPresetDropdown *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->names));
  guint selected = 0;

  for (guint i = 1; self->choice != NULL && i < n; i++)
    if (g_ascii_strcasecmp (gtk_string_list_get_string (self->names, i), self->choice) == 0)
      selected = i;
  /* A deleted preset is no choice any more. */
  if (selected == 0)
    g_clear_pointer (&self->choice, g_free);
  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->dropdown, selected);
  self->syncing = FALSE;
  g_signal_emit (self, signals[CHANGED], 0);
}

void
natter_preset_dropdown_reload (NatterPresetDropdown *self)
{
  NatterPresetStore *store = get_store (self);
  g_autoptr(GPtrArray) presets = NULL;
  g_autofree char *default_name = NULL;
  g_autofree char *first = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  g_return_if_fail (NATTER_IS_PRESET_DROPDOWN (self));

  if (store != NULL)
    {
      presets = natter_preset_store_list (store, NULL);
      default_name = natter_preset_store_dup_default (store);
    }
  /* TRANSLATORS: the first entry of the preset list: no preset of the chat's own */
  first = g_strdup_printf (_("Default (%s)"), default_name != NULL ? default_name : _("none"));
  g_strv_builder_add (builder, first);
  for (guint i = 0; presets != NULL && i < presets->len; i++)
    g_strv_builder_add (builder, natter_preset_get_name (g_ptr_array_index (presets, i)));
  names = g_strv_builder_end (builder);

  self->syncing = TRUE;
  gtk_string_list_splice (self->names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->names)),
                          (const char * const *) names);
  self->syncing = FALSE;
  select_choice (self);
}

static void
on_selected (NatterPresetDropdown *self)
{
  NatterPresetStore *store = get_store (self);
  guint selected = gtk_drop_down_get_selected (self->dropdown);
  g_autoptr(GError) error = NULL;

  if (self->syncing)
    return;
  g_clear_pointer (&self->choice, g_free);
  if (selected > 0 && selected != GTK_INVALID_LIST_POSITION)
    self->choice = g_strdup (gtk_string_list_get_string (self->names, selected));
  if (store != NULL && self->chat_id != 0 &&
      !natter_preset_store_set_chat_preset (store, self->chat_id, self->choice, &error))
    g_warning ("Cannot choose the chat's preset: %s", error->message);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
natter_preset_dropdown_set_chat (NatterPresetDropdown *self,
                                 gint64                chat_id)
{
  NatterPresetStore *store;

  g_return_if_fail (NATTER_IS_PRESET_DROPDOWN (self));

  if (chat_id == self->chat_id)
    return;
  store = get_store (self);
  /* A choice made for a chat not made yet goes to the chat when it is. */
  if (self->chat_id == 0 && chat_id != 0 && self->choice != NULL && store != NULL)
    {
      g_autofree char *own = natter_preset_store_dup_chat_preset (store, chat_id);

      if (own != NULL)
        goto show;

      natter_preset_store_set_chat_preset (store, chat_id, self->choice, NULL);
      self->chat_id = chat_id;
      return;
    }

show:
  self->chat_id = chat_id;
  g_clear_pointer (&self->choice, g_free);
  if (store != NULL && chat_id != 0)
    self->choice = natter_preset_store_dup_chat_preset (store, chat_id);
  select_choice (self);
}

/* The list and the chat's choice again, once the store has said what
 * changed (here, or in natter-cli): coalesced, and never inside the
 * dropdown's own selection handler. */
static gboolean
reload_idle_cb (gpointer user_data)
{
  NatterPresetDropdown *self = user_data;
  NatterPresetStore *store = get_store (self);

  self->reload_idle = 0;
  if (store != NULL && self->chat_id != 0)
    {
      g_clear_pointer (&self->choice, g_free);
      self->choice = natter_preset_store_dup_chat_preset (store, self->chat_id);
    }
  natter_preset_dropdown_reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed (NatterPresetDropdown *self)
{
  if (self->reload_idle == 0)
    self->reload_idle = g_idle_add_full (G_PRIORITY_DEFAULT, reload_idle_cb, self, NULL);
}

static void
follow_store (NatterPresetDropdown *self)
{
  NatterPresetStore *store = get_store (self);

  if (store == self->store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed), self, G_CONNECT_SWAPPED);
}

void
natter_preset_dropdown_set_application (NatterPresetDropdown *self,
                                        NatterApplication    *application)
{
  g_return_if_fail (NATTER_IS_PRESET_DROPDOWN (self));

  self->application = application;
  follow_store (self);
  natter_preset_dropdown_reload (self);
  if (application != NULL)
    natter_sidecar_apply (application);
}

const char *
natter_preset_dropdown_get_choice (NatterPresetDropdown *self)
{
  g_return_val_if_fail (NATTER_IS_PRESET_DROPDOWN (self), NULL);
  return self->choice;
}

gboolean
natter_preset_dropdown_choose (NatterPresetDropdown *self,
                               const char           *name)
{
  guint n;

  g_return_val_if_fail (NATTER_IS_PRESET_DROPDOWN (self), FALSE);

  if (name == NULL)
    {
      gtk_drop_down_set_selected (self->dropdown, 0);
      return TRUE;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->names));
  for (guint i = 1; i < n; i++)
    if (g_ascii_strcasecmp (gtk_string_list_get_string (self->names, i), name) == 0)
      {
        gtk_drop_down_set_selected (self->dropdown, i);
        return TRUE;
      }
  return FALSE;
}

GStrv
natter_preset_dropdown_dup_names (NatterPresetDropdown *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  g_return_val_if_fail (NATTER_IS_PRESET_DROPDOWN (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->names));
  for (guint i = 1; i < n; i++)
    g_strv_builder_add (builder, gtk_string_list_get_string (self->names, i));
  return g_strv_builder_end (builder);
}

GtkDropDown *
natter_preset_dropdown_get_dropdown (NatterPresetDropdown *self)
{
  g_return_val_if_fail (NATTER_IS_PRESET_DROPDOWN (self), NULL);
  return self->dropdown;
}

gint64
natter_preset_dropdown_get_chat (NatterPresetDropdown *self)
{
  g_return_val_if_fail (NATTER_IS_PRESET_DROPDOWN (self), 0);
  return self->chat_id;
}

static void
natter_preset_dropdown_dispose (GObject *object)
{
  NatterPresetDropdown *self = NATTER_PRESET_DROPDOWN (object);

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_changed, self);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_PRESET_DROPDOWN);
  /* The template's outer box is not bound: unparent it too. */
  while (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    gtk_widget_unparent (gtk_widget_get_first_child (GTK_WIDGET (self)));
  g_clear_pointer (&self->choice, g_free);

  G_OBJECT_CLASS (natter_preset_dropdown_parent_class)->dispose (object);
}

static void
natter_preset_dropdown_class_init (NatterPresetDropdownClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_preset_dropdown_dispose;

  /* The chat's choice changed: chosen here, another chat shown, or the
   * presets changed (renamed or deleted, here or by natter-cli). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-preset-dropdown.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterPresetDropdown, dropdown);
  gtk_widget_class_bind_template_child (widget_class, NatterPresetDropdown, names);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

/* The button shows the chosen name cut short, so the header bar keeps
 * room for the chat list beside it; the list shows names whole. */
static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  short_label)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (short_label != NULL)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 6);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 12);
    }
  gtk_list_item_set_child (item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)),
                       string != NULL ? gtk_string_object_get_string (string) : "");
}

static GtkListItemFactory *
label_factory (gboolean short_label)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), short_label ? factory : NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), NULL);
  return factory;
}

static void
natter_preset_dropdown_init (NatterPresetDropdown *self)
{
  g_autoptr(GtkListItemFactory) button_factory = label_factory (TRUE);
  g_autoptr(GtkListItemFactory) list_factory = label_factory (FALSE);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_factory (self->dropdown, button_factory);
  gtk_drop_down_set_list_factory (self->dropdown, list_factory);
  g_signal_connect_object (self->dropdown, "notify::selected", G_CALLBACK (on_selected), self,
                           G_CONNECT_SWAPPED);
}
