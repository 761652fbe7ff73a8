/* natter-window-models.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The connection and model controls under the header bar: the profile
 * dropdown, the model entry and its popover listing the provider's
 * models. */

#define G_LOG_DOMAIN "natter-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-window-private.h"

/* The connection's name in the dropdown's button gives way in a narrow
 * window; the list shows it whole. */
static void
profile_label_setup (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (user_data))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 4);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
    }
  gtk_list_item_set_child (item, label);
}

static void
profile_label_bind (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  NatterProfile *profile = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), natter_profile_get_name (profile));
}

static GtkListItemFactory *
profile_label_factory (gboolean shrink)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (profile_label_setup), GINT_TO_POINTER (shrink));
  g_signal_connect (factory, "bind", G_CALLBACK (profile_label_bind), NULL);
  return factory;
}

/* Models of the active profile */

/* The model chosen in the header belongs to the connection: saved at
 * once, so it is there after a restart or after editing the connection. */
static void
save_model (NatterWindow *self)
{
  NatterProfile *active = natter_profile_store_get_active (self->profiles);
  g_autoptr(GError) error = NULL;

  if (active == NULL || self->current_model == NULL || *self->current_model == '\0' ||
      g_strcmp0 (natter_profile_get_model (active), self->current_model) == 0)
    return;
  self->syncing_profile = TRUE;
  if (!natter_profile_store_set_model (self->profiles, active, self->current_model, &error))
    _natter_window_toast (self, error->message);
  self->syncing_profile = FALSE;
}

static void
on_model_entry_activate (NatterWindow *self,
                         GtkEntry     *entry)
{
  save_model (self);
}

static gboolean
on_model_entry_focus_out (NatterWindow *self)
{
  save_model (self);
  return FALSE;
}

static void
on_model_row_activated (NatterWindow  *self,
                        GtkListBoxRow *row,
                        GtkListBox    *list)
{
  const char *id = g_object_get_data (G_OBJECT (row), "model-id");

  gtk_editable_set_text (GTK_EDITABLE (self->model_entry), id);
  save_model (self);
  gtk_popover_popdown (gtk_menu_button_get_popover (self->model_button));
}

static void
on_models_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(NatterWindow) self = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  models = natter_client_list_models_finish (NATTER_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->model_list))) != NULL)
    gtk_list_box_remove (self->model_list, child);

  if (models == NULL || models->len == 0)
    {
      g_autofree char *text = NULL;

      if (error != NULL)
        text = g_strdup_printf (_("Could not fetch the models: %s"), error->message);
      gtk_label_set_text (self->model_status, text ? text : _("The provider lists no models. Type one."));
      gtk_stack_set_visible_child_name (self->model_stack, "status");
      return;
    }

  for (guint i = 0; i < models->len; i++)
    {
      NatterModelInfo *info = g_ptr_array_index (models, i);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (info->display_name ? info->display_name : info->id);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "model-id", g_strdup (info->id), g_free);
      gtk_list_box_append (self->model_list, row);
    }
  gtk_stack_set_visible_child_name (self->model_stack, "list");
}

static gboolean
model_filter (GtkListBoxRow *row,
              gpointer       user_data)
{
  NatterWindow *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->model_search));
  const char *id = g_object_get_data (G_OBJECT (row), "model-id");
  g_autofree char *folded_id = NULL;
  g_autofree char *folded_query = NULL;

  if (*query == '\0' || id == NULL)
    return TRUE;
  folded_id = g_utf8_casefold (id, -1);
  folded_query = g_utf8_casefold (query, -1);
  return strstr (folded_id, folded_query) != NULL;
}

static void
on_model_search_changed (NatterWindow   *self,
                         GtkSearchEntry *entry)
{
  gtk_list_box_invalidate_filter (self->model_list);
}

static void
on_model_popover_show (NatterWindow *self,
                       GtkPopover   *popover)
{
  NatterProfile *active = natter_profile_store_get_active (self->profiles);

  if (active == NULL)
    return;
  gtk_label_set_text (self->model_status, _("Fetching models…"));
  gtk_stack_set_visible_child_name (self->model_stack, "status");
  natter_client_list_models_async (self->client, active, self->cancellable,
                                   on_models_listed, g_object_ref (self));
}

void
_natter_window_models_init (NatterWindow *self)
{
  g_autoptr(GtkListItemFactory) button = profile_label_factory (TRUE);
  g_autoptr(GtkListItemFactory) list = profile_label_factory (FALSE);

  gtk_drop_down_set_factory (self->profile_dropdown, button);
  gtk_drop_down_set_list_factory (self->profile_dropdown, list);

  g_signal_connect_object (self->model_list, "row-activated", G_CALLBACK (on_model_row_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model_entry, "activate", G_CALLBACK (on_model_entry_activate), self, G_CONNECT_SWAPPED);
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();

    g_signal_connect_object (focus, "leave", G_CALLBACK (on_model_entry_focus_out), self, G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->model_entry), focus);
  }
  gtk_list_box_set_filter_func (self->model_list, model_filter, self, NULL);
  g_signal_connect_object (self->model_search, "search-changed", G_CALLBACK (on_model_search_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_menu_button_get_popover (self->model_button), "show",
                           G_CALLBACK (on_model_popover_show), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->model_stack, "status");
  gtk_label_set_text (self->model_status, _("Type a model name, or fetch the list from the provider."));
}
