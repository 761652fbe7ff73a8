/* natter-schema-dialog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-schema-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-chat-schema.h"
#include "natter-json-schema.h"
#include "natter-schema-dialog.h"

#define MAX_SCHEMA_BYTES (1024 * 1024)

struct _NatterSchemaDialog
{
  AdwWindow        parent_instance;

  NatterChatStore *store;
  gint64           chat_id;

  GtkEditable     *name_entry;
  GtkSwitch       *enabled_switch;
  GtkTextView     *schema_view;
  GtkLabel        *error_label;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (NatterSchemaDialog, natter_schema_dialog, ADW_TYPE_WINDOW)

static void
set_label (GtkWidget  *widget,
           const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
show_error (NatterSchemaDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static char *
schema_text (NatterSchemaDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->schema_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
save_clicked_cb (NatterSchemaDialog *self)
{
  g_autofree char *text = schema_text (self);
  g_autoptr(JsonObject) schema = NULL;
  g_autoptr(GError) error = NULL;

  if (*g_strstrip (text) != '\0')
    {
      schema = natter_json_schema_parse (text, -1, &error);
      if (schema == NULL)
        {
          show_error (self, error->message);
          return;
        }
    }
  if (!natter_chat_schema_set (self->store, self->chat_id, gtk_editable_get_text (self->name_entry),
                               gtk_switch_get_active (self->enabled_switch), schema, &error))
    {
      show_error (self, error->message);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
chooser_response_cb (GtkNativeDialog    *dialog,
                     int                 response,
                     NatterSchemaDialog *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      if (!g_file_load_contents (file, NULL, &contents, &len, NULL, &error))
        show_error (self, error->message);
      else if (len > MAX_SCHEMA_BYTES || !g_utf8_validate (contents, len, NULL))
        show_error (self, _("The file is not a JSON schema: it is too large or not text"));
      else
        {
          g_autofree char *base = g_file_get_basename (file);
          char *dot = strrchr (base, '.');

          gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->schema_view), contents, (int) len);
          if (*gtk_editable_get_text (self->name_entry) == '\0')
            {
              if (dot != NULL && dot != base)
                *dot = '\0';
              gtk_editable_set_text (self->name_entry, base);
            }
          show_error (self, NULL);
        }
    }
  g_clear_object (&self->chooser);
}

static void
load_clicked_cb (NatterSchemaDialog *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  self->chooser = gtk_file_chooser_native_new (_("Load JSON Schema"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("JSON files"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
natter_schema_dialog_dispose (GObject *object)
{
  NatterSchemaDialog *self = NATTER_SCHEMA_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (natter_schema_dialog_parent_class)->dispose (object);
}

static void
natter_schema_dialog_class_init (NatterSchemaDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = natter_schema_dialog_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
natter_schema_dialog_init (NatterSchemaDialog *self)
{
  GtkWidget *box, *header, *cancel, *save, *content, *group, *row, *name_row, *scrolled, *load;

  gtk_window_set_title (GTK_WINDOW (self), _("Response Format"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 560);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  set_label (cancel, _("Cancel"));
  save = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (save, "suggested-action");
  set_label (save, _("Save response format"));
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (save_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  gtk_box_append (GTK_BOX (box), header);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 12);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_widget_set_vexpand (content, TRUE);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Each reply in this chat is asked to follow this JSON Schema and checked against it."));
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Ask for Structured Replies"));
  self->enabled_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->enabled_switch), GTK_ALIGN_CENTER);
  set_label (GTK_WIDGET (self->enabled_switch), _("Ask for structured replies"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->enabled_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->enabled_switch));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  name_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name_row), _("Name"));
  self->name_entry = GTK_EDITABLE (gtk_entry_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->name_entry), GTK_ALIGN_CENTER);
  set_label (GTK_WIDGET (self->name_entry), _("Schema name"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (name_row), GTK_WIDGET (self->name_entry));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), name_row);
  gtk_box_append (GTK_BOX (content), group);

  load = gtk_button_new_with_mnemonic (_("_Load from File…"));
  gtk_widget_set_halign (load, GTK_ALIGN_START);
  set_label (load, _("Load schema from a file"));
  g_signal_connect_swapped (load, "clicked", G_CALLBACK (load_clicked_cb), self);
  gtk_box_append (GTK_BOX (content), load);

  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_add_css_class (scrolled, "card");
  self->schema_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_monospace (self->schema_view, TRUE);
  gtk_text_view_set_wrap_mode (self->schema_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (self->schema_view, 6);
  gtk_text_view_set_bottom_margin (self->schema_view, 6);
  gtk_text_view_set_left_margin (self->schema_view, 6);
  gtk_text_view_set_right_margin (self->schema_view, 6);
  set_label (GTK_WIDGET (self->schema_view), _("JSON schema"));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->schema_view));
  gtk_box_append (GTK_BOX (content), scrolled);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Schema error"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->error_label));

  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (self), box);
}

NatterSchemaDialog *
natter_schema_dialog_new (GtkWindow       *parent,
                          NatterChatStore *store,
                          gint64           chat_id)
{
  NatterSchemaDialog *self;
  g_autoptr(NatterChatSchema) schema = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  self = g_object_new (NATTER_TYPE_SCHEMA_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->store = g_object_ref (store);
  self->chat_id = chat_id;
  schema = natter_chat_schema_get (store, chat_id);
  gtk_switch_set_active (self->enabled_switch, schema == NULL || schema->enabled);
  if (schema != NULL)
    {
      gtk_editable_set_text (self->name_entry, schema->name != NULL ? schema->name : "");
      if (schema->schema != NULL)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), schema->schema);
          g_autofree char *text = json_to_string (node, TRUE);

          gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->schema_view), text, -1);
        }
    }
  return self;
}
