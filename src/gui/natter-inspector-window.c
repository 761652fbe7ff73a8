/* natter-inspector-window.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-inspector-window"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-inspector-window-private.h"

struct _NatterInspectorWindow
{
  AdwWindow              parent_instance;

  GtkSingleSelection    *selection;

  GtkListView           *list_view;
  GtkStack              *stack;
  NatterInspectorDetail *detail;
};

G_DEFINE_FINAL_TYPE (NatterInspectorWindow, natter_inspector_window, ADW_TYPE_WINDOW)

/* Closures of natter-inspector-row.ui. The first argument is the list item
 * the row belongs to. */

static char *
inspector_row_title (gpointer    item,
                     const char *profile,
                     const char *model)
{
  if (model == NULL || *model == '\0')
    return g_strdup (profile ? profile : "");
  /* TRANSLATORS: profile · model */
  return g_strdup_printf (_("%s · %s"), profile ? profile : "", model);
}

static char *
inspector_row_status (gpointer       item,
                      NatterLogState state,
                      guint          status)
{
  switch (state)
    {
    case NATTER_LOG_STATE_PENDING:
      return g_strdup (_("Sent"));
    case NATTER_LOG_STATE_STREAMING:
      return status ? g_strdup_printf (_("%u · Streaming"), status) : g_strdup (_("Streaming"));
    case NATTER_LOG_STATE_DONE:
      return g_strdup_printf ("%u", status);
    case NATTER_LOG_STATE_ERROR:
      return status ? g_strdup_printf (_("%u · Failed"), status) : g_strdup (_("Failed"));
    case NATTER_LOG_STATE_CANCELLED:
      return g_strdup (_("Cancelled"));
    default:
      return g_strdup ("");
    }
}

static char *
inspector_row_details (gpointer    item,
                       gint64      started_at,
                       const char *provider,
                       gint64      total_ms,
                       gint64      output_tokens)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (started_at / 1000);
  g_autofree char *when = time ? g_date_time_format (time, "%H:%M:%S") : g_strdup ("");
  g_autofree char *duration = NULL;
  g_autofree char *tokens = NULL;

  if (total_ms < 0)
    duration = g_strdup ("…");
  else if (total_ms < 1000)
    duration = g_strdup_printf (_("%d ms"), (int) total_ms);
  else
    duration = g_strdup_printf (_("%.1f s"), total_ms / 1000.0);

  if (output_tokens >= 0)
    tokens = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld token", "%lld tokens",
                                           (gulong) MIN (output_tokens, G_MAXLONG)),
                              (long long) output_tokens);
  else
    tokens = g_strdup ("—");

  /* TRANSLATORS: time · provider · duration · tokens */
  return g_strdup_printf (_("%s · %s · %s · %s"), when, provider ? provider : "", duration, tokens);
}

static void
selection_changed_cb (NatterInspectorWindow *self)
{
  NatterLogEntry *entry = gtk_single_selection_get_selected_item (self->selection);

  natter_inspector_detail_set_entry (self->detail, entry);
  gtk_stack_set_visible_child_name (self->stack, entry ? "detail" : "empty");
}

static void
natter_inspector_window_dispose (GObject *object)
{
  NatterInspectorWindow *self = (NatterInspectorWindow *)object;

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (natter_inspector_window_parent_class)->dispose (object);
}

static void
natter_inspector_window_class_init (NatterInspectorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_inspector_window_dispose;

  g_type_ensure (NATTER_TYPE_INSPECTOR_DETAIL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-inspector-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorWindow, detail);
}

static void
natter_inspector_window_init (NatterInspectorWindow *self)
{
  g_autoptr(GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));

  gtk_builder_cscope_add_callback_symbols (GTK_BUILDER_CSCOPE (scope),
                                           "inspector_row_title", G_CALLBACK (inspector_row_title),
                                           "inspector_row_status", G_CALLBACK (inspector_row_status),
                                           "inspector_row_details", G_CALLBACK (inspector_row_details),
                                           NULL);
  factory = gtk_builder_list_item_factory_new_from_resource (scope,
                                                             "/io/github/natterapp/Natter/natter-inspector-row.ui");
  gtk_list_view_set_factory (self->list_view, factory);
}

NatterInspectorWindow *
natter_inspector_window_new (NatterApplication *application)
{
  NatterInspectorWindow *self;
  NatterRequestLog *log;

  g_return_val_if_fail (NATTER_IS_APPLICATION (application), NULL);

  self = g_object_new (NATTER_TYPE_INSPECTOR_WINDOW, "application", application, NULL);
  log = natter_application_get_request_log (application);
  natter_inspector_detail_set_profile_store (self->detail,
                                             natter_application_get_profile_store (application));

  self->selection = gtk_single_selection_new (log ? g_object_ref (G_LIST_MODEL (log)) : NULL);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  selection_changed_cb (self);

  return self;
}

GtkSingleSelection *
natter_inspector_window_get_selection (NatterInspectorWindow *self)
{
  g_return_val_if_fail (NATTER_IS_INSPECTOR_WINDOW (self), NULL);

  return self->selection;
}

NatterInspectorDetail *
natter_inspector_window_get_detail (NatterInspectorWindow *self)
{
  g_return_val_if_fail (NATTER_IS_INSPECTOR_WINDOW (self), NULL);

  return self->detail;
}
