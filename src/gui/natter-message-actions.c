/* natter-message-actions.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-message-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-action-bar-private.h"
#include "natter-message-row-private.h"

/* What a person can do to a message: the buttons in its header, the
 * "More actions" menu, the same menu on a right click, a long press, the
 * Menu key or Shift+F10, and the status line under a failed or stopped
 * reply. Each action of the row ("message.regenerate", ...) activates
 * the chat session's action for the row's message ("chat.regenerate"
 * with the message id), found in the widgets around the row. */

static gboolean
is_stopped (NatterMessageItem *item)
{
  return natter_message_item_get_error_category (item) == NATTER_ERROR_CATEGORY_CANCELLED;
}

static gboolean
is_last_reply (NatterMessageItem *item)
{
  return natter_message_item_get_is_last (item) &&
         natter_message_item_get_kind (item) == NATTER_MESSAGE_KIND_ASSISTANT;
}

/* Whether the message has any actions at all (not while it streams, never
 * on notes). */
static gboolean
has_actions (NatterMessageRow *self)
{
  return self->item != NULL &&
         !natter_message_item_get_streaming (self->item) &&
         natter_message_item_get_kind (self->item) != NATTER_MESSAGE_KIND_NOTE;
}

static void
activate_chat_action (NatterMessageRow *self,
                      const char       *chat_action)
{
  gint64 id = natter_message_item_get_id (self->item);

  if (!gtk_widget_activate_action (GTK_WIDGET (self), chat_action, "x", id))
    g_debug ("No %s around the message row", chat_action);
}

static void
on_row_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NatterMessageRow *self = NATTER_MESSAGE_ROW (widget);
  static const struct { const char *row, *chat; } map[] = {
    { "message.delete", "chat.delete-message" },
    { "message.branch", "chat.branch" },
    { "message.regenerate", "chat.regenerate" },
    { "message.retry", "chat.regenerate" },
    { "message.continue", "chat.continue" },
    { "message.swipe-previous", "chat.swipe-previous" },
    { "message.swipe-next", "chat.swipe-next" },
  };

  if (self->item == NULL)
    return;

  if (g_str_equal (action_name, "message.copy"))
    {
      /* The session's copy (it may say so in a toast); by itself when the
       * row stands alone. */
      if (!gtk_widget_activate_action (widget, "chat.copy-message", "x", natter_message_item_get_id (self->item)))
        gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), natter_message_item_get_text (self->item));
      return;
    }
  if (g_str_equal (action_name, "message.edit"))
    {
      natter_message_row_begin_edit (self, natter_message_item_get_text (self->item));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (action_name, map[i].row))
      {
        activate_chat_action (self, map[i].chat);
        return;
      }
}

/* The row's buttons activate the row's actions when clicked, not through
 * GtkActionable: GTK 4.8 leaves an actionable button insensitive after
 * its row was taken out of one list item and put into another (rows are
 * reused as the list scrolls). */
static void
on_button_clicked (GtkButton *button,
                   gpointer   user_data)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), NATTER_TYPE_MESSAGE_ROW);

  if (row != NULL)
    gtk_widget_activate_action (row, g_object_get_data (G_OBJECT (button), "natter-row-action"), NULL);
}

GtkWidget *
natter_message_row_button_new (const char *icon_name,
                               const char *mnemonic,
                               const char *action_name)
{
  GtkWidget *button = icon_name != NULL ? gtk_button_new_from_icon_name (icon_name)
                                        : gtk_button_new_with_mnemonic (mnemonic);

  g_object_set_data_full (G_OBJECT (button), "natter-row-action", g_strdup (action_name), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_button_clicked), NULL);
  return button;
}

static GtkWidget *
action_button_new (const char *icon_name,
                   const char *tooltip,
                   const char *accessible_name,
                   const char *action_name)
{
  GtkWidget *button = natter_message_row_button_new (icon_name, NULL, action_name);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  -1);
  return button;
}

/* All the message's actions as a menu, made when it opens, for the
 * message shown then. */
static GMenuModel *
build_menu (NatterMessageRow *self)
{
  GMenu *menu = g_menu_new ();
  GMenu *section = g_menu_new ();
  gboolean last_reply = is_last_reply (self->item);

  g_menu_append (section, _("_Copy"), "message.copy");
  g_menu_append (section, _("_Edit"), "message.edit");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);
  if (last_reply)
    {
      section = g_menu_new ();
      g_menu_append (section, _("Co_ntinue"), "message.continue");
      g_menu_append (section, _("_Regenerate"), "message.regenerate");
      g_menu_append (section, _("_Previous Alternative"), "message.swipe-previous");
      g_menu_append (section, _("_Next Alternative"), "message.swipe-next");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
      g_object_unref (section);
    }
  section = g_menu_new ();
  g_menu_append (section, _("_Branch From Here"), "message.branch");
  g_menu_append (section, _("_Delete Message"), "message.delete");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);
  return G_MENU_MODEL (menu);
}

static void
on_menu_closed (NatterMessageRow *self)
{
  self->menu_open = FALSE;
  natter_message_row_update_actions (self);
}

/* The menu button makes its menu each time it opens. */
static void
create_menu_popup (GtkMenuButton *button,
                   gpointer       user_data)
{
  NatterMessageRow *self = user_data;
  g_autoptr(GMenuModel) model = NULL;
  GtkPopover *popover;

  if (self->item == NULL)
    return;
  model = build_menu (self);
  gtk_menu_button_set_menu_model (button, model);
  popover = gtk_menu_button_get_popover (button);
  self->menu_open = TRUE;
  if (!g_signal_handler_find (popover, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA, 0, 0, NULL, on_menu_closed, self))
    g_signal_connect_swapped (popover, "closed", G_CALLBACK (on_menu_closed), self);
}

static void
create_actions (NatterMessageRow *self)
{
  GtkWidget *box = natter_action_bar_new ();
  GtkWidget *swipe_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *swipe_label = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "message-actions");
  natter_action_bar_append (NATTER_ACTION_BAR (box), action_button_new ("edit-copy-symbolic", _("Copy"), _("Copy"), "message.copy"));
  natter_action_bar_append (NATTER_ACTION_BAR (box), action_button_new ("document-edit-symbolic", _("Edit"), _("Edit"), "message.edit"));
  natter_action_bar_append (NATTER_ACTION_BAR (box), action_button_new ("user-trash-symbolic", _("Delete"), _("Delete message"),
                                                    "message.delete"));
  natter_action_bar_append (NATTER_ACTION_BAR (box), action_button_new ("media-playlist-shuffle-symbolic", _("Branch From Here"),
                                                    _("Branch from here"), "message.branch"));
  self->continue_button = action_button_new ("media-playback-start-symbolic", _("Continue"), _("Continue"),
                                             "message.continue");
  natter_action_bar_append (NATTER_ACTION_BAR (box), self->continue_button);
  self->regenerate_button = action_button_new ("view-refresh-symbolic", _("Regenerate"), _("Regenerate"),
                                               "message.regenerate");
  natter_action_bar_append (NATTER_ACTION_BAR (box), self->regenerate_button);

  gtk_widget_add_css_class (swipe_label, "dim-label");
  gtk_widget_add_css_class (swipe_label, "numeric");
  self->swipe_previous_button = action_button_new ("go-previous-symbolic", _("Previous Alternative"),
                                                   _("Previous alternative"), "message.swipe-previous");
  gtk_box_append (GTK_BOX (swipe_box), self->swipe_previous_button);
  gtk_box_append (GTK_BOX (swipe_box), swipe_label);
  gtk_box_append (GTK_BOX (swipe_box), action_button_new ("go-next-symbolic", _("Next Alternative"),
                                                          _("Next alternative"), "message.swipe-next"));
  natter_action_bar_append (NATTER_ACTION_BAR (box), swipe_box);

  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->menu_button), "view-more-symbolic");
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (self->menu_button), create_menu_popup, self, NULL);
  gtk_widget_add_css_class (self->menu_button, "flat");
  gtk_widget_set_valign (self->menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->menu_button, _("More Actions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("More actions"),
                                  -1);
  natter_action_bar_append (NATTER_ACTION_BAR (box), self->menu_button);

  self->actions_box = box;
  self->swipe_box = swipe_box;
  self->swipe_label = GTK_LABEL (swipe_label);
  gtk_box_append (GTK_BOX (self->header_box), box);
}

/* The action buttons show on the row under the pointer, the row with the
 * focus in it, the row whose menu is open and the chat's last message;
 * they are made the first time one of these happens to the row. */
void
natter_message_row_update_actions (NatterMessageRow *self)
{
  gboolean last_reply, show;

  show = has_actions (self) && self->editor == NULL &&
         (self->hovered || self->focused || self->menu_open || natter_message_item_get_is_last (self->item));

  if (!show)
    {
      if (self->actions_box != NULL)
        gtk_widget_set_visible (self->actions_box, FALSE);
      return;
    }

  if (self->actions_box == NULL)
    create_actions (self);

  last_reply = is_last_reply (self->item);
  gtk_widget_set_visible (self->regenerate_button, last_reply);
  gtk_widget_set_visible (self->continue_button, last_reply && is_stopped (self->item));
  gtk_widget_set_visible (self->swipe_box, last_reply);
  if (last_reply)
    {
      g_autofree char *swipes = g_strdup_printf ("%u/%u",
                                                 natter_message_item_get_swipe_index (self->item) + 1,
                                                 MAX (natter_message_item_get_n_swipes (self->item), 1));
      gtk_label_set_text (self->swipe_label, swipes);
      gtk_widget_set_sensitive (self->swipe_previous_button, natter_message_item_get_swipe_index (self->item) > 0);
    }
  gtk_widget_set_visible (self->actions_box, TRUE);
}

/* The error's words, without the category said twice: messages from the
 * network layer already start with it ("Could not reach the server at
 * …: Connection refused"). */
static char *
describe_error (NatterErrorCategory  category,
                const char          *detail)
{
  const char *words = natter_error_category_describe (category);

  if (detail == NULL || *detail == '\0')
    return g_strdup (words);
  if (g_str_has_prefix (detail, words))
    return g_strdup (detail);
  return g_strdup_printf ("%s: %s", words, detail);
}

/* Under a failed reply: the error and Retry. Under a reply the person
 * stopped: a quiet "Stopped", nothing to retry (Continue and Regenerate
 * are with the other actions). */
void
natter_message_row_update_status (NatterMessageRow *self)
{
  NatterErrorCategory category = natter_message_item_get_error_category (self->item);
  gboolean stopped = category == NATTER_ERROR_CATEGORY_CANCELLED;
  g_autofree char *message = NULL;

  if (category == NATTER_ERROR_CATEGORY_NONE)
    {
      if (self->status_box != NULL)
        gtk_widget_set_visible (self->status_box, FALSE);
      return;
    }

  if (self->status_box == NULL)
    {
      GtkWidget *image = gtk_image_new ();
      GtkWidget *label = gtk_label_new (NULL);
      GtkWidget *retry = natter_message_row_button_new (NULL, _("_Retry"), "message.retry");

      natter_a11y_fix_names (retry);

      self->status_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      gtk_widget_add_css_class (self->status_box, "message-status");
      gtk_widget_set_valign (image, GTK_ALIGN_START);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (self->status_box), image);
      gtk_box_append (GTK_BOX (self->status_box), label);
      gtk_box_append (GTK_BOX (self->status_box), retry);
      self->status_icon = GTK_IMAGE (image);
      self->status_label = GTK_LABEL (label);
      self->retry_button = retry;
      gtk_box_append (GTK_BOX (self->box), self->status_box);
    }

  if (stopped)
    {
      gtk_widget_remove_css_class (self->status_box, "error");
      gtk_widget_remove_css_class (self->status_box, "message-error");
      gtk_widget_add_css_class (self->status_box, "message-stopped");
      gtk_widget_add_css_class (self->status_box, "dim-label");
      gtk_image_set_from_icon_name (self->status_icon, "media-playback-stop-symbolic");
      gtk_label_set_text (self->status_label, _("Stopped"));
      /* One short word: a wrapping label would measure a pixel taller
       * at some widths than at others (GtkBox, GTK 4.8). */
      gtk_label_set_wrap (self->status_label, FALSE);
      gtk_widget_set_visible (self->retry_button, FALSE);
    }
  else
    {
      gtk_widget_remove_css_class (self->status_box, "message-stopped");
      gtk_widget_remove_css_class (self->status_box, "dim-label");
      gtk_widget_add_css_class (self->status_box, "error");
      gtk_widget_add_css_class (self->status_box, "message-error");
      gtk_image_set_from_icon_name (self->status_icon, "dialog-warning-symbolic");
      message = describe_error (category, natter_message_item_get_error_message (self->item));
      gtk_label_set_wrap (self->status_label, TRUE);
      gtk_label_set_text (self->status_label, message);
      gtk_widget_set_visible (self->retry_button, TRUE);
    }
  gtk_widget_set_visible (self->status_box, TRUE);
}

/* Opens the menu of the "More actions" button, for the Menu key,
 * Shift+F10, a right click and a long press. */
static void
popup_menu (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  NatterMessageRow *self = NATTER_MESSAGE_ROW (widget);

  if (!has_actions (self) || self->editor != NULL)
    return;
  self->menu_open = TRUE;   /* keep the buttons while the menu is open */
  natter_message_row_update_actions (self);
  gtk_menu_button_popup (GTK_MENU_BUTTON (self->menu_button));
}

static void
on_pointer_enter (NatterMessageRow *self)
{
  if (self->hovered)
    return;
  self->hovered = TRUE;
  natter_message_row_update_actions (self);
}

/* Where the pointer last moved, in the window's coordinates. */
static double pointer_x = -1, pointer_y = -1;

/* Rows scrolling under a pointer that does not move get crossing and
 * motion events too: giving each its buttons would make them for every
 * row that passes. Only a pointer that moves shows them. */
static void
on_pointer_motion (GtkEventControllerMotion *controller,
                   double                    x,
                   double                    y,
                   NatterMessageRow         *self)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  double wx, wy;

  if (root == NULL || !gtk_widget_translate_coordinates (GTK_WIDGET (self), root, x, y, &wx, &wy))
    return;
  if (wx == pointer_x && wy == pointer_y)
    return;
  pointer_x = wx;
  pointer_y = wy;
  on_pointer_enter (self);
}

static void
on_pointer_leave (NatterMessageRow *self)
{
  self->hovered = FALSE;
  natter_message_row_update_actions (self);
}

static void
on_focus_enter (NatterMessageRow *self)
{
  self->focused = TRUE;
  natter_message_row_update_actions (self);
}

static void
on_focus_leave (NatterMessageRow *self)
{
  self->focused = FALSE;
  natter_message_row_update_actions (self);
}

/* In the capture phase: the selectable labels of the text would
 * otherwise take the click for their own Cut/Copy/Paste menu. */
static void
on_secondary_click (GtkGestureClick  *gesture,
                    int               n_press,
                    double            x,
                    double            y,
                    NatterMessageRow *self)
{
  if (!has_actions (self) || self->editor != NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_activate_action (GTK_WIDGET (self), "message.menu", NULL);
}

static void
on_long_press (GtkGestureLongPress *gesture,
               double               x,
               double               y,
               NatterMessageRow    *self)
{
  if (!has_actions (self) || self->editor != NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_activate_action (GTK_WIDGET (self), "message.menu", NULL);
}

static void
on_save_edit (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  natter_message_row_save_edit (NATTER_MESSAGE_ROW (widget),
                                g_str_equal (action_name, "message.save-and-regenerate"));
}

static void
on_cancel_edit (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  natter_message_row_end_edit (NATTER_MESSAGE_ROW (widget), FALSE);
}

void
natter_message_row_class_init_actions (GtkWidgetClass *widget_class)
{
  static const char *actions[] = {
    "message.copy", "message.edit", "message.delete", "message.branch",
    "message.regenerate", "message.continue", "message.swipe-previous",
    "message.swipe-next", "message.retry",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, on_row_action);
  gtk_widget_class_install_action (widget_class, "message.menu", NULL, popup_menu);
  gtk_widget_class_install_action (widget_class, "message.save-edit", NULL, on_save_edit);
  gtk_widget_class_install_action (widget_class, "message.save-and-regenerate", NULL, on_save_edit);
  gtk_widget_class_install_action (widget_class, "message.cancel-edit", NULL, on_cancel_edit);
}

void
natter_message_row_init_actions (NatterMessageRow *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;
  GtkShortcutAction *action = gtk_named_action_new ("message.menu");

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_pointer_motion), self);
  g_signal_connect (controller, "motion", G_CALLBACK (on_pointer_motion), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (on_pointer_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (on_focus_enter), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_secondary_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (gesture), TRUE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_long_press), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  /* Also in the capture phase: with the focus in the text, the label's
   * own menu would answer the Menu key. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                                          g_object_ref (action)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK),
                                                          action));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action_name)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (widget), "natter-row-action"), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
natter_message_row_get_action_button (NatterMessageRow *self,
                                      const char       *action_name)
{
  GtkWidget *button;
  GtkWidget *where;

  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), NULL);
  g_return_val_if_fail (action_name != NULL, NULL);

  if (g_str_equal (action_name, "message.retry"))
    where = self->status_box;
  else if (g_str_has_prefix (action_name, "message.save") || g_str_equal (action_name, "message.cancel-edit"))
    where = self->editor;
  else
    where = self->actions_box;
  if (where == NULL || !gtk_widget_get_visible (where))
    return NULL;
  button = find_actionable (where, action_name);
  return button != NULL && gtk_widget_get_visible (button) ? button : NULL;
}

GtkWidget *
natter_message_row_get_menu_button (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), NULL);

  if (self->actions_box == NULL || !gtk_widget_get_visible (self->actions_box))
    return NULL;
  return self->menu_button;
}

gboolean
natter_message_row_get_has_action_buttons (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), FALSE);
  return self->actions_box != NULL;
}

void
natter_message_row_set_hovered (NatterMessageRow *self,
                                gboolean          hovered)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ROW (self));
  if (hovered)
    on_pointer_enter (self);
  else
    on_pointer_leave (self);
}

GMenuModel *
natter_message_row_get_menu_model (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), NULL);
  return self->menu_button != NULL ? gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (self->menu_button)) : NULL;
}

const char *
natter_message_row_get_status (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), NULL);

  if (self->status_box == NULL || !gtk_widget_get_visible (self->status_box))
    return NULL;
  return gtk_label_get_text (self->status_label);
}

gboolean
natter_message_row_get_status_is_error (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), FALSE);
  return self->status_box != NULL && gtk_widget_get_visible (self->status_box) &&
         gtk_widget_has_css_class (self->status_box, "error");
}
