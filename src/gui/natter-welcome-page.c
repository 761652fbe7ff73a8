/* natter-welcome-page.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-welcome-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-welcome-page-private.h"

struct _NatterWelcomePage
{
  AdwBin      parent_instance;

  guint       n_local;
  AdwStatusPage *status_page;
  GtkWidget  *local_box;
  GtkListBox *local_list;
};

G_DEFINE_FINAL_TYPE (NatterWelcomePage, natter_welcome_page, ADW_TYPE_BIN)

enum {
  USE_LOCAL_SERVER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
natter_welcome_page_class_init (NatterWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[USE_LOCAL_SERVER] =
    g_signal_new ("use-local-server", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, NatterWelcomePage, local_box);
  gtk_widget_class_bind_template_child (widget_class, NatterWelcomePage, local_list);
}

static void
natter_welcome_page_init (NatterWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
  /* The development build has its own icon name (both are in the
   * resources, so they show uninstalled too). */
  adw_status_page_set_icon_name (self->status_page, APP_ID);
}

GtkWidget *
natter_welcome_page_new (void)
{
  return g_object_new (NATTER_TYPE_WELCOME_PAGE, NULL);
}

static void
on_use_clicked (GtkButton         *button,
                NatterWelcomePage *self)
{
  g_signal_emit (self, signals[USE_LOCAL_SERVER], 0,
                 g_object_get_data (G_OBJECT (button), "provider-id"),
                 g_object_get_data (G_OBJECT (button), "url"));
}

void
natter_welcome_page_add_local_server (NatterWelcomePage *self,
                                      const char        *provider_id,
                                      const char        *display_name,
                                      const char        *url)
{
  g_autofree char *title = NULL;
  g_autofree char *host = NULL;
  GtkWidget *row;
  GtkWidget *button;

  g_return_if_fail (NATTER_IS_WELCOME_PAGE (self));
  g_return_if_fail (provider_id != NULL && url != NULL);

  host = g_strdup (url);
  if (g_str_has_prefix (host, "http://"))
    memmove (host, host + 7, strlen (host + 7) + 1);
  /* Translators: "Use Ollama at 127.0.0.1:11434" */
  title = g_strdup_printf (_("Use %s at %s"), display_name ? display_name : provider_id, host);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  button = gtk_button_new_with_label (_("Use"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "provider-id", g_strdup (provider_id), g_free);
  g_object_set_data_full (G_OBJECT (button), "url", g_strdup (url), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_use_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);

  gtk_list_box_append (self->local_list, row);
  self->n_local++;
  gtk_widget_set_visible (self->local_box, TRUE);
}

void
natter_welcome_page_clear_local_servers (NatterWelcomePage *self)
{
  GtkWidget *child;

  g_return_if_fail (NATTER_IS_WELCOME_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->local_list))) != NULL)
    gtk_list_box_remove (self->local_list, child);
  self->n_local = 0;
  gtk_widget_set_visible (self->local_box, FALSE);
}

guint
natter_welcome_page_get_n_local_servers (NatterWelcomePage *self)
{
  g_return_val_if_fail (NATTER_IS_WELCOME_PAGE (self), 0);
  return self->n_local;
}
