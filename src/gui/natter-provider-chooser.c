/* natter-provider-chooser.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-provider-chooser"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-provider-chooser.h"

struct _NatterProviderChooser
{
  AdwBin          parent_instance;

  GListModel     *providers;
  NatterProvider *provider;
  char           *search;      /* casefolded, NULL when empty */

  GtkMenuButton  *button;
  GtkLabel       *button_label;
  GtkPopover     *popover;
  GtkSearchEntry *search_entry;
  GtkListBox     *list_box;
  GtkLabel       *no_match_label;
};

G_DEFINE_FINAL_TYPE (NatterProviderChooser, natter_provider_chooser, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROVIDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ROW_PROVIDER "natter-provider"

static gboolean
row_matches (NatterProviderChooser *self,
             GtkListBoxRow         *row)
{
  NatterProvider *provider = g_object_get_data (G_OBJECT (row), ROW_PROVIDER);
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;

  if (self->search == NULL)
    return TRUE;
  name = g_utf8_casefold (natter_provider_get_name (provider), -1);
  id = g_utf8_casefold (natter_provider_get_id (provider), -1);
  return strstr (name, self->search) != NULL || strstr (id, self->search) != NULL;
}

static gboolean
filter_func (GtkListBoxRow *row,
             gpointer       user_data)
{
  return row_matches (user_data, row);
}

static GtkListBoxRow *
first_match (NatterProviderChooser *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && row_matches (self, GTK_LIST_BOX_ROW (child)))
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static void
update_rows (NatterProviderChooser *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *check;

      if (!GTK_IS_LIST_BOX_ROW (child))
        continue;
      check = g_object_get_data (G_OBJECT (child), "natter-check");
      gtk_widget_set_opacity (check,
                              g_object_get_data (G_OBJECT (child), ROW_PROVIDER) == self->provider
                              ? 1.0 : 0.0);
    }
}

static void
set_provider (NatterProviderChooser *self,
              NatterProvider        *provider)
{
  if (!g_set_object (&self->provider, provider))
    return;
  gtk_label_set_label (self->button_label, provider ? natter_provider_get_name (provider) : "");
  /* A screen reader says "Provider", then the one chosen. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_first_child (GTK_WIDGET (self->button))),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  provider ? natter_provider_get_name (provider) : "",
                                  -1);
  update_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER]);
}

static void
search_changed_cb (NatterProviderChooser *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search, g_free);
  if (*stripped != '\0')
    self->search = g_utf8_casefold (stripped, -1);
  gtk_list_box_invalidate_filter (self->list_box);
  gtk_widget_set_visible (GTK_WIDGET (self->no_match_label), first_match (self) == NULL);
}

static void
choose_row (NatterProviderChooser *self,
            GtkListBoxRow         *row)
{
  set_provider (self, g_object_get_data (G_OBJECT (row), ROW_PROVIDER));
  gtk_popover_popdown (self->popover);
}

static void
row_activated_cb (NatterProviderChooser *self,
                  GtkListBoxRow         *row)
{
  choose_row (self, row);
}

/* Enter in the search field takes the first provider that matches. */
static void
search_activate_cb (NatterProviderChooser *self)
{
  GtkListBoxRow *row = first_match (self);

  if (row != NULL)
    choose_row (self, row);
}

static void
popover_show_cb (NatterProviderChooser *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static GtkWidget *
create_row (NatterProvider *provider)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (natter_provider_get_name (provider));
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  /* The whole name, on two lines when it must: never cut off. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, natter_provider_get_name (provider),
                                  -1);
  g_object_set_data_full (G_OBJECT (row), ROW_PROVIDER, g_object_ref (provider), g_object_unref);
  g_object_set_data (G_OBJECT (row), "natter-check", check);
  return row;
}

static void
natter_provider_chooser_dispose (GObject *object)
{
  NatterProviderChooser *self = (NatterProviderChooser *)object;

  g_clear_object (&self->providers);
  g_clear_object (&self->provider);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (natter_provider_chooser_parent_class)->dispose (object);
}

static void
natter_provider_chooser_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  NatterProviderChooser *self = NATTER_PROVIDER_CHOOSER (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_provider_chooser_class_init (NatterProviderChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_provider_chooser_dispose;
  object_class->get_property = natter_provider_chooser_get_property;

  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, NATTER_TYPE_PROVIDER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-provider-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterProviderChooser, button);
  gtk_widget_class_bind_template_child (widget_class, NatterProviderChooser, button_label);
  gtk_widget_class_bind_template_child (widget_class, NatterProviderChooser, popover);
  gtk_widget_class_bind_template_child (widget_class, NatterProviderChooser, search_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterProviderChooser, list_box);
  gtk_widget_class_bind_template_child (widget_class, NatterProviderChooser, no_match_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
}

static void
natter_provider_chooser_init (NatterProviderChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->list_box, filter_func, self, NULL);
  /* Typing anywhere in the list goes to the search field. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->popover));
  natter_a11y_fix_names (GTK_WIDGET (self));
}

NatterProviderChooser *
natter_provider_chooser_new (void)
{
  return g_object_new (NATTER_TYPE_PROVIDER_CHOOSER, NULL);
}

void
natter_provider_chooser_set_providers (NatterProviderChooser *self,
                                       GListModel            *providers)
{
  GtkWidget *child;
  guint n;

  g_return_if_fail (NATTER_IS_PROVIDER_CHOOSER (self));
  g_return_if_fail (G_IS_LIST_MODEL (providers));

  g_set_object (&self->providers, providers);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  n = g_list_model_get_n_items (providers);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterProvider) provider = g_list_model_get_item (providers, i);

      gtk_list_box_append (self->list_box, create_row (provider));
    }

  if (self->provider == NULL && n > 0)
    {
      g_autoptr(NatterProvider) first = g_list_model_get_item (providers, 0);

      set_provider (self, first);
    }
  update_rows (self);
}

NatterProvider *
natter_provider_chooser_get_provider (NatterProviderChooser *self)
{
  g_return_val_if_fail (NATTER_IS_PROVIDER_CHOOSER (self), NULL);

  return self->provider;
}

gboolean
natter_provider_chooser_select_id (NatterProviderChooser *self,
                                   const char            *id)
{
  guint n;

  g_return_val_if_fail (NATTER_IS_PROVIDER_CHOOSER (self), FALSE);

  if (self->providers == NULL)
    return FALSE;
  n = g_list_model_get_n_items (self->providers);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterProvider) provider = g_list_model_get_item (self->providers, i);

      if (g_strcmp0 (natter_provider_get_id (provider), id) == 0)
        {
          set_provider (self, provider);
          return TRUE;
        }
    }
  return FALSE;
}
