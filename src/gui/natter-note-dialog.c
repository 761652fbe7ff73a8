/* natter-note-dialog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-note-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-chat-note.h"
#include "natter-note-dialog.h"

struct _NatterNoteDialog
{
  AdwWindow        parent_instance;

  NatterChatStore *store;
  gint64           chat_id;
  NatterRole       role;

  GtkTextView     *text_view;
  GtkSpinButton   *depth_spin;
  GtkSpinButton   *frequency_spin;
  GtkLabel        *error_label;
};

G_DEFINE_FINAL_TYPE (NatterNoteDialog, natter_note_dialog, ADW_TYPE_WINDOW)

static void
set_label (GtkWidget  *widget,
           const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
save_clicked_cb (NatterNoteDialog *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  NatterChatNote note = { 0 };
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  note.text = text;
  note.depth = gtk_spin_button_get_value_as_int (self->depth_spin);
  note.frequency = gtk_spin_button_get_value_as_int (self->frequency_spin);
  note.role = self->role;
  if (!natter_chat_note_set (self->store, self->chat_id, &note, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static GtkSpinButton *
add_spin_row (GtkWidget  *group,
              const char *title,
              const char *subtitle,
              const char *accessible)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 10000, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  set_label (spin, accessible);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return GTK_SPIN_BUTTON (spin);
}

static void
natter_note_dialog_dispose (GObject *object)
{
  NatterNoteDialog *self = NATTER_NOTE_DIALOG (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (natter_note_dialog_parent_class)->dispose (object);
}

static void
natter_note_dialog_class_init (NatterNoteDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = natter_note_dialog_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
natter_note_dialog_init (NatterNoteDialog *self)
{
  GtkWidget *box, *header, *cancel, *save, *content, *group, *scrolled;

  gtk_window_set_title (GTK_WINDOW (self), _("Author’s Note"));
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 480);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  set_label (cancel, _("Cancel"));
  save = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (save, "suggested-action");
  set_label (save, _("Save author’s note"));
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

  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_widget_add_css_class (scrolled, "card");
  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (self->text_view, 6);
  gtk_text_view_set_bottom_margin (self->text_view, 6);
  gtk_text_view_set_left_margin (self->text_view, 6);
  gtk_text_view_set_right_margin (self->text_view, 6);
  set_label (GTK_WIDGET (self->text_view), _("Author’s note text"));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->text_view));
  gtk_box_append (GTK_BOX (content), scrolled);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Put into the chat above its last messages, with the lorebook entries set to the author’s note."));
  self->depth_spin = add_spin_row (group, _("Depth"), _("Messages above the end of the chat"),
                                   _("Author’s note depth"));
  self->frequency_spin = add_spin_row (group, _("Frequency"),
                                       _("Every N of your messages (1: always, 0: never)"),
                                       _("Author’s note frequency"));
  gtk_box_append (GTK_BOX (content), group);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->error_label));

  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (self), box);
}

NatterNoteDialog *
natter_note_dialog_new (GtkWindow       *parent,
                        NatterChatStore *store,
                        gint64           chat_id)
{
  NatterNoteDialog *self;
  g_autoptr(NatterChatNote) note = NULL;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  self = g_object_new (NATTER_TYPE_NOTE_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  self->store = g_object_ref (store);
  self->chat_id = chat_id;
  self->role = NATTER_ROLE_SYSTEM;
  gtk_spin_button_set_value (self->depth_spin, NATTER_CHAT_NOTE_DEFAULT_DEPTH);
  gtk_spin_button_set_value (self->frequency_spin, 1);
  note = natter_chat_note_get (store, chat_id, NULL);
  if (note != NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), note->text, -1);
      gtk_spin_button_set_value (self->depth_spin, note->depth);
      gtk_spin_button_set_value (self->frequency_spin, note->frequency);
      self->role = note->role;
    }
  return self;
}
