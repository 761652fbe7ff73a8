/* natter-model-chooser.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-model-chooser"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-model-chooser-private.h"

struct _NatterModelChooser
{
  AdwWindow       parent_instance;

  NatterClient   *client;
  NatterProfile  *profile;
  GCancellable   *cancellable;
  char           *search;
  gboolean        loading;
  gboolean        disposed;

  GtkSearchEntry *search_entry;
  GtkStack       *stack;
  GtkSpinner     *spinner;
  AdwStatusPage  *error_page;
  GtkListBox     *list_box;
};

G_DEFINE_FINAL_TYPE (NatterModelChooser, natter_model_chooser, ADW_TYPE_WINDOW)

enum {
  MODEL_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define MODEL_ID_KEY "natter-model-id"

static gboolean
filter_func (GtkListBoxRow *row,
             gpointer       user_data)
{
  NatterModelChooser *self = user_data;
  const char *haystack = g_object_get_data (G_OBJECT (row), "natter-search-text");

  if (self->search == NULL || *self->search == '\0')
    return TRUE;
  return haystack != NULL && strstr (haystack, self->search) != NULL;
}

static GtkWidget *
make_row (const NatterModelInfo *info)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *folded_id = g_utf8_casefold (info->id, -1);
  g_autofree char *folded_name = info->display_name ? g_utf8_casefold (info->display_name, -1) : NULL;

  const char *shown = info->alias != NULL ? info->alias : info->display_name;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  static const struct {
    guint       capability;
    const char *icon;
    const char *label;
  } capabilities[] = {
    { NATTER_MODEL_VISION, "image-x-generic-symbolic", N_("Sees images") },
    { NATTER_MODEL_TOOLS, "applications-engineering-symbolic", N_("Calls tools") },
    { NATTER_MODEL_REASONING, "applications-science-symbolic", N_("Reasons") },
  };

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (shown != NULL && g_strcmp0 (shown, info->id) != 0)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), shown);
      g_string_append (subtitle, info->id);
    }
  else
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->id);

  /* "gpt-4o · 128K context · $2.50 / $10.00 per million" */
  if (info->context_length > 0)
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      /* Translators: the model's context window in thousands of tokens, “128K context” */
      g_string_append_printf (subtitle, _("%lldK context"), (long long) (info->context_length / 1000));
    }
  if (info->input_price >= 0 && info->output_price >= 0)
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append_printf (subtitle, _("$%.2f / $%.2f per million"), info->input_price, info->output_price);
    }
  if (subtitle->len > 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);

  for (guint i = 0; i < G_N_ELEMENTS (capabilities); i++)
    if (info->capabilities & capabilities[i].capability)
      {
        GtkWidget *icon = gtk_image_new_from_icon_name (capabilities[i].icon);

        gtk_widget_set_tooltip_text (icon, _(capabilities[i].label));
        gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _(capabilities[i].label), -1);
        gtk_widget_add_css_class (icon, "dim-label");
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      }

  g_object_set_data_full (G_OBJECT (row), MODEL_ID_KEY, g_strdup (info->id), g_free);
  g_object_set_data_full (G_OBJECT (row), "natter-search-text",
                          g_strconcat (folded_id, "\n", folded_name ? folded_name : "", NULL),
                          g_free);
  return row;
}

static void
list_models_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NatterModelChooser) self = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  models = natter_client_list_models_finish (NATTER_CLIENT (object), result, &error);
  if (self->disposed)
    return;

  self->loading = FALSE;
  gtk_spinner_stop (self->spinner);

  if (models == NULL)
    {
      const char *title = _("Could Not Fetch Models");

      if (error->domain == NATTER_REQUEST_ERROR)
        title = natter_error_category_describe (error->code);
      adw_status_page_set_title (self->error_page, title);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  if (models->len == 0)
    {
      adw_status_page_set_icon_name (self->error_page, "edit-find-symbolic");
      adw_status_page_set_title (self->error_page, _("No Models"));
      adw_status_page_set_description (self->error_page,
                                       _("The provider listed no models. Type the model's name in the Model field instead."));
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  for (guint i = 0; i < models->len; i++)
    gtk_list_box_append (self->list_box, make_row (models->pdata[i]));
  gtk_stack_set_visible_child_name (self->stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
search_changed_cb (NatterModelChooser *self)
{
  natter_model_chooser_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
select_row (NatterModelChooser *self,
            GtkListBoxRow      *row)
{
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (row), MODEL_ID_KEY));

  if (id == NULL)
    return;
  g_signal_emit (self, signals[MODEL_SELECTED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
row_activated_cb (NatterModelChooser *self,
                  GtkListBoxRow      *row)
{
  select_row (self, row);
}

/* Enter in the search field picks the first model shown. */
static void
search_activate_cb (NatterModelChooser *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_child_visible (child))
        {
          select_row (self, GTK_LIST_BOX_ROW (child));
          return;
        }
    }
}

static void
natter_model_chooser_dispose (GObject *object)
{
  NatterModelChooser *self = (NatterModelChooser *)object;

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->profile);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (natter_model_chooser_parent_class)->dispose (object);
}

static void
natter_model_chooser_class_init (NatterModelChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_model_chooser_dispose;

  signals[MODEL_SELECTED] =
    g_signal_new ("model-selected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-model-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterModelChooser, search_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterModelChooser, stack);
  gtk_widget_class_bind_template_child (widget_class, NatterModelChooser, spinner);
  gtk_widget_class_bind_template_child (widget_class, NatterModelChooser, error_page);
  gtk_widget_class_bind_template_child (widget_class, NatterModelChooser, list_box);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
natter_model_chooser_init (NatterModelChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->list_box, filter_func, self, NULL);
}

NatterModelChooser *
natter_model_chooser_new (NatterClient  *client,
                          NatterProfile *profile)
{
  NatterModelChooser *self;

  g_return_val_if_fail (NATTER_IS_CLIENT (client), NULL);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), NULL);

  self = g_object_new (NATTER_TYPE_MODEL_CHOOSER, NULL);
  self->client = g_object_ref (client);
  self->profile = g_object_ref (profile);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  natter_client_list_models_async (client, profile, self->cancellable,
                                   list_models_cb, g_object_ref (self));
  return self;
}

gboolean
natter_model_chooser_get_loading (NatterModelChooser *self)
{
  g_return_val_if_fail (NATTER_IS_MODEL_CHOOSER (self), FALSE);

  return self->loading;
}

guint
natter_model_chooser_get_n_shown (NatterModelChooser *self)
{
  guint n = 0;

  g_return_val_if_fail (NATTER_IS_MODEL_CHOOSER (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && filter_func (GTK_LIST_BOX_ROW (child), self))
      n++;
  return n;
}

void
natter_model_chooser_set_search (NatterModelChooser *self,
                                 const char         *text)
{
  g_return_if_fail (NATTER_IS_MODEL_CHOOSER (self));

  g_free (self->search);
  self->search = text ? g_utf8_casefold (text, -1) : NULL;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  gtk_list_box_invalidate_filter (self->list_box);
}

void
natter_model_chooser_select (NatterModelChooser *self,
                             const char         *model_id)
{
  g_return_if_fail (NATTER_IS_MODEL_CHOOSER (self));
  g_return_if_fail (model_id != NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (g_strcmp0 (g_object_get_data (G_OBJECT (child), MODEL_ID_KEY), model_id) == 0)
        {
          select_row (self, GTK_LIST_BOX_ROW (child));
          return;
        }
    }
}
