/* natter-usage-window.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-usage-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-usage-store.h"
#include "natter-usage-window.h"

#define CHART_BARS 12

struct _NatterUsageWindow
{
  AdwWindow        parent_instance;

  NatterDatabase  *database;
  NatterLogEntry  *watched;
  GPtrArray       *totals;     /* element-type NatterUsageTotal */
  NatterUsageGroup group;

  GtkDropDown     *group_dropdown;
  GtkLabel        *total_label;
  GtkDrawingArea  *chart;
  GtkListBox      *list;
};

G_DEFINE_FINAL_TYPE (NatterUsageWindow, natter_usage_window, ADW_TYPE_WINDOW)

static char *
format_cost (const NatterUsageTotal *total)
{
  if (total->unpriced == total->exchanges)
    return g_strdup ("—");
  /* TRANSLATORS: a cost in US dollars */
  return g_strdup_printf (_("$%.4f"), total->cost);
}

static GtkWidget *
make_row (const NatterUsageTotal *total)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *cost = gtk_label_new (NULL);
  g_autofree char *cost_text = format_cost (total);
  g_autofree char *subtitle = NULL;
  /* Translators: an exchange is one request to the provider and its reply */
  g_autofree char *exchanges = g_strdup_printf (ngettext ("%lld exchange", "%lld exchanges",
                                                          (gulong) MAX (total->exchanges, 0)),
                                                (long long) total->exchanges);

  /* Translators: "3 exchanges · 1200 in · 300 out · 800 cache reads · 0 cache writes";
   * the numbers are tokens */
  subtitle = g_strdup_printf (_("%s · %lld in · %lld out · %lld cache reads · %lld cache writes"),
                              exchanges, (long long) total->input_tokens,
                              (long long) total->output_tokens,
                              (long long) total->cache_read_tokens,
                              (long long) total->cache_write_tokens);
  if (total->unpriced > 0)
    {
      /* Translators: the number of exchanges the price of which is unknown */
      g_autofree char *more = g_strdup_printf (_("%s · %lld without a price"),
                                               subtitle, (long long) total->unpriced);

      g_free (subtitle);
      subtitle = g_steal_pointer (&more);
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), total->label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_label_set_label (GTK_LABEL (cost), cost_text);
  gtk_label_set_selectable (GTK_LABEL (cost), TRUE);
  gtk_widget_add_css_class (cost, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), cost);
  return row;
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  NatterUsageWindow *self = user_data;
  const int label_height = 18;
  GdkRGBA color;
  double max = 0;
  double slot;
  guint n;

  if (self->totals == NULL || self->totals->len == 0)
    return;
  n = MIN (self->totals->len, CHART_BARS);
  for (guint i = 0; i < n; i++)
    max = MAX (max, ((NatterUsageTotal *) g_ptr_array_index (self->totals, i))->cost);
  if (max <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  slot = (double) width / n;
  for (guint i = 0; i < n; i++)
    {
      /* Oldest on the left for days and months (the list is newest first). */
      guint k = (self->group == NATTER_USAGE_BY_DAY || self->group == NATTER_USAGE_BY_MONTH) ? n - 1 - i : i;
      const NatterUsageTotal *total = g_ptr_array_index (self->totals, k);
      double bar = (height - label_height - 4) * (total->cost / max);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), total->label);
      int text_width, text_height;

      color.alpha = 0.6;
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_rectangle (cr, i * slot + slot * 0.15, height - label_height - bar, slot * 0.7, bar);
      cairo_fill (cr);

      /* The bar's label, cut to the bar's width. */
      pango_layout_set_width (layout, (int) (slot * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      color.alpha = 0.8;
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_move_to (cr, i * slot, height - text_height);
      pango_cairo_show_layout (cr, layout);
    }
}

void
natter_usage_window_refresh (NatterUsageWindow *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  g_autofree char *total_text = NULL;
  g_autofree char *description = NULL;
  double sum = 0;

  g_return_if_fail (NATTER_IS_USAGE_WINDOW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_clear_pointer (&self->totals, g_ptr_array_unref);

  self->totals = natter_usage_store_totals (self->database, self->group, 0, &error);
  if (self->totals == NULL)
    {
      gtk_label_set_label (self->total_label, error->message);
      gtk_widget_queue_draw (GTK_WIDGET (self->chart));
      return;
    }

  for (guint i = 0; i < self->totals->len; i++)
    {
      NatterUsageTotal *total = g_ptr_array_index (self->totals, i);

      sum += total->cost;
      gtk_list_box_append (self->list, make_row (total));
    }
  if (self->totals->len == 0)
    total_text = g_strdup (_("No exchanges yet"));
  else
    /* TRANSLATORS: the sum of all costs in US dollars */
    total_text = g_strdup_printf (_("Total $%.4f"), sum);
  gtk_label_set_label (self->total_label, total_text);
  description = g_strdup_printf (ngettext ("Bar of the cost of the first %u row",
                                           "Bars of the cost of the first %u rows",
                                           MIN (self->totals->len, CHART_BARS)),
                                 MIN (self->totals->len, CHART_BARS));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

static void
entry_state_cb (NatterLogEntry    *entry,
                GParamSpec        *pspec,
                NatterUsageWindow *self)
{
  NatterLogState state = natter_log_entry_get_state (entry);

  if (state == NATTER_LOG_STATE_PENDING || state == NATTER_LOG_STATE_STREAMING)
    return;
  g_signal_handlers_disconnect_by_data (entry, self);
  g_clear_object (&self->watched);
  natter_usage_window_refresh (self);
}

static void
log_items_changed_cb (GListModel        *log,
                      guint              position,
                      guint              removed,
                      guint              added,
                      NatterUsageWindow *self)
{
  g_autoptr(NatterLogEntry) entry = NULL;

  if (added == 0 || position != 0)
    return;
  entry = g_list_model_get_item (log, 0);
  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_set_object (&self->watched, entry);
  g_signal_connect_object (entry, "notify::state", G_CALLBACK (entry_state_cb), self, 0);
}

static void
group_changed_cb (NatterUsageWindow *self)
{
  self->group = (NatterUsageGroup) gtk_drop_down_get_selected (self->group_dropdown);
  natter_usage_window_refresh (self);
}

static void
export_response_cb (GtkNativeDialog   *dialog,
                    int                response,
                    NatterUsageWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      csv = natter_usage_totals_to_csv (self->totals, self->group);
      if (!g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE,
                                    G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
        gtk_label_set_label (self->total_label, error->message);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  NatterUsageWindow *self = NATTER_USAGE_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (_("Export Usage"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  name = g_strdup_printf ("natter-usage-by-%s.csv", natter_usage_group_to_string (self->group));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
natter_usage_window_dispose (GObject *object)
{
  NatterUsageWindow *self = (NatterUsageWindow *) object;

  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_clear_object (&self->watched);
  g_clear_pointer (&self->totals, g_ptr_array_unref);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (natter_usage_window_parent_class)->dispose (object);
}

static void
natter_usage_window_class_init (NatterUsageWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_usage_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-usage-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterUsageWindow, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, NatterUsageWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, NatterUsageWindow, chart);
  gtk_widget_class_bind_template_child (widget_class, NatterUsageWindow, list);
  gtk_widget_class_bind_template_callback (widget_class, group_changed_cb);
  gtk_widget_class_install_action (widget_class, "usage.export", NULL, export_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
natter_usage_window_init (NatterUsageWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);
}

NatterUsageWindow *
natter_usage_window_new (NatterDatabase   *database,
                         NatterRequestLog *log)
{
  NatterUsageWindow *self;

  g_return_val_if_fail (NATTER_IS_DATABASE (database), NULL);

  self = g_object_new (NATTER_TYPE_USAGE_WINDOW, NULL);
  self->database = g_object_ref (database);
  if (log != NULL)
    g_signal_connect_object (log, "items-changed", G_CALLBACK (log_items_changed_cb), self, 0);
  self->group = (NatterUsageGroup) gtk_drop_down_get_selected (self->group_dropdown);
  natter_usage_window_refresh (self);
  return self;
}
