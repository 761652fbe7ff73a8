/* natter-message-editor.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-message-row"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-message-row-private.h"

/* Editing a message in place: a text view takes the place of the
 * message's text, with Cancel and Save under it (and, for the person's
 * own message, Save and Regenerate: a new reply after it). Ctrl+Enter
 * saves, Escape cancels. Saving activates "chat.edit-message" (id, text,
 * regenerate). A row moving to another message while it edits keeps the
 * draft on the message: the next row that shows it edits it again. */

static GQuark draft_quark;

static gboolean
on_editor_key_pressed (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       NatterMessageRow      *self)
{
  state &= gtk_accelerator_get_default_mod_mask ();

  if (keyval == GDK_KEY_Escape && state == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "message.cancel-edit", NULL);
      return TRUE;
    }
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter) &&
      state == GDK_CONTROL_MASK)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "message.save-edit", NULL);
      return TRUE;
    }
  return FALSE;
}

static GtkWidget *
editor_button_new (const char *mnemonic,
                   const char *action_name)
{
  GtkWidget *button = natter_message_row_button_new (NULL, mnemonic, action_name);

  natter_a11y_fix_names (button);
  return button;
}

void
natter_message_row_begin_edit (NatterMessageRow *self,
                               const char       *text)
{
  GtkWidget *view, *buttons, *save;
  GtkEventController *controller;

  if (self->item == NULL)
    return;
  if (self->editor != NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->editor_view));
      return;
    }

  if (G_UNLIKELY (draft_quark == 0))
    draft_quark = g_quark_from_static_string ("natter-message-edit-draft");

  self->editor = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->editor, "message-editor");

  view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_widget_add_css_class (view, "card");
  gtk_widget_add_css_class (view, "message-editor-text");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text ? text : "", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message text"),
                                  -1);
  self->editor_view = GTK_TEXT_VIEW (view);
  gtk_box_append (GTK_BOX (self->editor), view);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), editor_button_new (_("_Cancel"), "message.cancel-edit"));
  if (natter_message_item_get_kind (self->item) == NATTER_MESSAGE_KIND_USER)
    {
      self->save_regenerate_button = editor_button_new (_("Save and _Regenerate"), "message.save-and-regenerate");
      gtk_box_append (GTK_BOX (buttons), self->save_regenerate_button);
    }
  save = editor_button_new (_("_Save"), "message.save-edit");
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_set_tooltip_text (save, _("Save (Ctrl+Enter)"));
  gtk_box_append (GTK_BOX (buttons), save);
  gtk_box_append (GTK_BOX (self->editor), buttons);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_editor_key_pressed), self);
  gtk_widget_add_controller (self->editor, controller);

  gtk_widget_set_visible (self->blocks_box, FALSE);
  gtk_box_insert_child_after (GTK_BOX (self->box), self->editor, self->blocks_box);
  /* The Menu key in the editor opens the text's own menu. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.menu", FALSE);
  natter_message_row_update_actions (self);
  gtk_widget_grab_focus (view);
}

void
natter_message_row_end_edit (NatterMessageRow *self,
                             gboolean          keep_draft)
{
  if (self->editor == NULL)
    return;

  if (self->item != NULL)
    {
      if (keep_draft)
        {
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->editor_view);
          GtkTextIter start, end;

          gtk_text_buffer_get_bounds (buffer, &start, &end);
          g_object_set_qdata_full (G_OBJECT (self->item), draft_quark,
                                   gtk_text_buffer_get_text (buffer, &start, &end, FALSE), g_free);
        }
      else
        g_object_set_qdata (G_OBJECT (self->item), draft_quark, NULL);
    }

  gtk_box_remove (GTK_BOX (self->box), self->editor);
  self->editor = NULL;
  self->editor_view = NULL;
  self->save_regenerate_button = NULL;
  gtk_widget_set_visible (self->blocks_box, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.menu", TRUE);
  natter_message_row_update_actions (self);
  /* Back to the message, not lost to the top of the window. */
  if (!keep_draft && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self));
}

void
natter_message_row_restore_edit (NatterMessageRow *self)
{
  const char *draft;

  if (draft_quark == 0 || self->item == NULL)
    return;
  draft = g_object_get_qdata (G_OBJECT (self->item), draft_quark);
  if (draft != NULL)
    {
      g_autofree char *text = g_strdup (draft);

      natter_message_row_begin_edit (self, text);
    }
}

void
natter_message_row_save_edit (NatterMessageRow *self,
                              gboolean          regenerate)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr(NatterMessageItem) item = NULL;

  if (self->editor == NULL || self->item == NULL)
    return;

  buffer = gtk_text_view_get_buffer (self->editor_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  item = g_object_ref (self->item);
  regenerate = regenerate && natter_message_item_get_kind (item) == NATTER_MESSAGE_KIND_USER;

  natter_message_row_end_edit (self, FALSE);
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "chat.edit-message", "(xsb)",
                                   natter_message_item_get_id (item), text, regenerate))
    {
      /* A row on its own: show the new text at least. */
      natter_message_item_set_text (item, text);
    }
}

gboolean
natter_message_row_get_editing (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), FALSE);
  return self->editor != NULL;
}

GtkTextView *
natter_message_row_get_editor (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), NULL);
  return self->editor_view;
}
