/* natter-composer.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-composer"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-attachment-tray.h"
#include "natter-composer-private.h"

struct _NatterComposer
{
  GtkWidget              parent_instance;

  const NatterSlashHost *host;
  gpointer               host_data;
  char                  *disabled_reason;
  GStrv                  completions;
  gboolean               enter_sends;
  gboolean               streaming;

  NatterAttachmentTray  *tray;
  GtkWidget             *hint_box;
  GtkLabel              *hint_label;
  GtkButton             *hint_button;
  GtkTextView           *text_view;
  GtkWidget             *send_button;
  GtkWidget             *stop_button;
  GtkPopover            *popover;
  GtkListBox            *completion_list;
};

G_DEFINE_FINAL_TYPE (NatterComposer, natter_composer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENTER_SENDS,
  N_PROPS
};

enum {
  SEND,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
dup_buffer_text (NatterComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
update_completions (NatterComposer *self)
{
  g_autofree char *text = dup_buffer_text (self);
  GtkWidget *child;

  g_clear_pointer (&self->completions, g_strfreev);
  self->completions = natter_slash_complete (self->host, self->host_data, text);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->completion_list))) != NULL)
    gtk_list_box_remove (self->completion_list, child);

  /* Nothing to offer once the text is exactly the only completion. */
  if (self->completions[0] == NULL ||
      (self->completions[1] == NULL && g_str_equal (self->completions[0], text)))
    {
      gtk_popover_popdown (self->popover);
      return;
    }

  for (guint i = 0; self->completions[i] != NULL; i++)
    {
      GtkWidget *label = gtk_label_new (self->completions[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "monospace");
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 3);
      gtk_widget_set_margin_bottom (label, 3);
      gtk_list_box_append (self->completion_list, label);
    }
  gtk_list_box_select_row (self->completion_list, gtk_list_box_get_row_at_index (self->completion_list, 0));
  gtk_popover_popup (self->popover);
}

static void
accept_completion (NatterComposer *self,
                   GtkListBoxRow  *row)
{
  int index;

  if (row == NULL)
    row = gtk_list_box_get_selected_row (self->completion_list);
  if (row == NULL || self->completions == NULL)
    return;
  index = gtk_list_box_row_get_index (row);
  if (index < 0 || index >= (int) g_strv_length (self->completions))
    return;

  {
    g_autofree char *text = g_strdup (self->completions[index]);
    natter_composer_set_text (self, text);
  }
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
on_row_activated (NatterComposer *self,
                  GtkListBoxRow  *row,
                  GtkListBox     *list)
{
  accept_completion (self, row);
}

static void
on_buffer_changed (NatterComposer *self,
                   GtkTextBuffer  *buffer)
{
  update_completions (self);
}

void
natter_composer_send (NatterComposer *self)
{
  g_autofree char *text = NULL;
  gboolean is_command;

  g_return_if_fail (NATTER_IS_COMPOSER (self));

  text = dup_buffer_text (self);
  g_strstrip (text);
  /* Nothing typed still sends: the chat answers the person's own last
   * message (the session decides whether there is one). */
  if (*text == '\0' && natter_attachment_tray_get_n_items (self->tray) == 0)
    {
      if (self->disabled_reason == NULL && !self->streaming)
        g_signal_emit (self, signals[SEND], 0, text);
      return;
    }

  is_command = text[0] == '/' && text[1] != '/';
  if (!is_command && (self->disabled_reason != NULL || self->streaming))
    return;

  gtk_popover_popdown (self->popover);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
  g_signal_emit (self, signals[SEND], 0, text);
}

static gboolean
on_key_pressed (NatterComposer        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  gboolean popover_up = gtk_widget_get_visible (GTK_WIDGET (self->popover));

  state &= gtk_accelerator_get_default_mod_mask ();

  if (popover_up && (keyval == GDK_KEY_Tab || keyval == GDK_KEY_ISO_Left_Tab))
    {
      accept_completion (self, NULL);
      return TRUE;
    }
  if (popover_up && (keyval == GDK_KEY_Up || keyval == GDK_KEY_Down))
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->completion_list);
      int index = row ? gtk_list_box_row_get_index (row) : 0;
      GtkListBoxRow *next;

      index += keyval == GDK_KEY_Up ? -1 : 1;
      next = gtk_list_box_get_row_at_index (self->completion_list, MAX (index, 0));
      if (next != NULL)
        gtk_list_box_select_row (self->completion_list, next);
      return TRUE;
    }
  if (popover_up && keyval == GDK_KEY_Escape)
    {
      gtk_popover_popdown (self->popover);
      return TRUE;
    }

  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    {
      gboolean send = self->enter_sends ? state == 0 : state == GDK_CONTROL_MASK;

      if (send)
        {
          natter_composer_send (self);
          return TRUE;
        }
      if (!self->enter_sends && state == GDK_CONTROL_MASK)
        return TRUE;
    }

  return FALSE;
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  natter_composer_send (NATTER_COMPOSER (widget));
}

static void
attach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  natter_attachment_tray_choose_files (NATTER_COMPOSER (widget)->tray);
}

static void
natter_composer_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  NatterComposer *self = NATTER_COMPOSER (widget);

  GTK_WIDGET_CLASS (natter_composer_parent_class)->size_allocate (widget, width, height, baseline);

  gtk_widget_set_size_request (GTK_WIDGET (self->popover), MIN (width, 420), -1);
  gtk_popover_present (self->popover);
}

static void
natter_composer_dispose (GObject *object)
{
  NatterComposer *self = (NatterComposer *)object;

  if (self->popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_COMPOSER);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (natter_composer_parent_class)->dispose (object);
}

static void
natter_composer_finalize (GObject *object)
{
  NatterComposer *self = (NatterComposer *)object;

  g_clear_pointer (&self->disabled_reason, g_free);
  g_clear_pointer (&self->completions, g_strfreev);

  G_OBJECT_CLASS (natter_composer_parent_class)->finalize (object);
}

static void
natter_composer_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  NatterComposer *self = NATTER_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_ENTER_SENDS:
      g_value_set_boolean (value, self->enter_sends);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_composer_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  NatterComposer *self = NATTER_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_ENTER_SENDS:
      natter_composer_set_enter_sends (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
natter_composer_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (NATTER_COMPOSER (widget)->text_view));
}

static void
natter_composer_class_init (NatterComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_composer_dispose;
  object_class->finalize = natter_composer_finalize;
  object_class->get_property = natter_composer_get_property;
  object_class->set_property = natter_composer_set_property;
  widget_class->size_allocate = natter_composer_size_allocate;
  widget_class->grab_focus = natter_composer_grab_focus;

  properties[PROP_ENTER_SENDS] =
    g_param_spec_boolean ("enter-sends", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SEND] = g_signal_new ("send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (NATTER_TYPE_ATTACHMENT_TRAY);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterComposer, tray);
  gtk_widget_class_bind_template_child (widget_class, NatterComposer, hint_box);
  gtk_widget_class_bind_template_child (widget_class, NatterComposer, hint_label);
  gtk_widget_class_bind_template_child (widget_class, NatterComposer, hint_button);
  gtk_widget_class_bind_template_child (widget_class, NatterComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, NatterComposer, send_button);
  gtk_widget_class_bind_template_child (widget_class, NatterComposer, stop_button);

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "composer.attach", NULL, attach_action);
  gtk_widget_class_set_css_name (widget_class, "composer");
}

static void
natter_composer_init (NatterComposer *self)
{
  GtkEventController *keys;
  GtkWidget *scroller;

  self->enter_sends = TRUE;
  self->completions = g_new0 (char *, 1);

  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
  natter_attachment_tray_accept_from (self->tray, GTK_WIDGET (self), self->text_view);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), keys);

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (on_buffer_changed), self, G_CONNECT_SWAPPED);

  /* The completion popover floats above the entry and never takes the
   * focus, so typing goes on in the text view. */
  self->completion_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->completion_list, GTK_SELECTION_BROWSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->completion_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Commands"),
                                  -1);
  g_signal_connect_object (self->completion_list, "row-activated",
                           G_CALLBACK (on_row_activated), self, G_CONNECT_SWAPPED);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 240);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->completion_list));

  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->popover, scroller);
  gtk_popover_set_autohide (self->popover, FALSE);
  gtk_popover_set_has_arrow (self->popover, FALSE);
  gtk_popover_set_position (self->popover, GTK_POS_TOP);
  gtk_widget_set_halign (GTK_WIDGET (self->popover), GTK_ALIGN_START);
  gtk_widget_set_can_focus (GTK_WIDGET (self->popover), FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (self));
}

GtkWidget *
natter_composer_new (void)
{
  return g_object_new (NATTER_TYPE_COMPOSER, NULL);
}

char *
natter_composer_dup_text (NatterComposer *self)
{
  g_return_val_if_fail (NATTER_IS_COMPOSER (self), NULL);
  return dup_buffer_text (self);
}

void
natter_composer_set_text (NatterComposer *self,
                          const char     *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;

  g_return_if_fail (NATTER_IS_COMPOSER (self));

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
}

gboolean
natter_composer_get_enter_sends (NatterComposer *self)
{
  g_return_val_if_fail (NATTER_IS_COMPOSER (self), TRUE);
  return self->enter_sends;
}

void
natter_composer_set_enter_sends (NatterComposer *self,
                                 gboolean        enter_sends)
{
  g_return_if_fail (NATTER_IS_COMPOSER (self));

  enter_sends = !!enter_sends;
  if (self->enter_sends == enter_sends)
    return;
  self->enter_sends = enter_sends;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTER_SENDS]);
}

static void
update_send_state (NatterComposer *self)
{
  gtk_widget_set_visible (self->send_button, !self->streaming);
  gtk_widget_set_visible (self->stop_button, self->streaming);
  gtk_widget_set_sensitive (self->send_button, self->disabled_reason == NULL);
  gtk_widget_set_visible (self->hint_box, self->disabled_reason != NULL);
  gtk_label_set_text (self->hint_label, self->disabled_reason ? self->disabled_reason : "");
}

void
natter_composer_set_streaming (NatterComposer *self,
                               gboolean        streaming)
{
  g_return_if_fail (NATTER_IS_COMPOSER (self));
  self->streaming = !!streaming;
  update_send_state (self);
}

void
natter_composer_set_disabled_reason (NatterComposer *self,
                                     const char     *reason)
{
  g_return_if_fail (NATTER_IS_COMPOSER (self));

  natter_composer_set_disabled_reason_full (self, reason, NULL, NULL, NULL);
}

void
natter_composer_set_disabled_reason_full (NatterComposer *self,
                                          const char     *reason,
                                          const char     *button_label,
                                          const char     *action_name,
                                          GVariant       *action_target)
{
  g_autoptr(GVariant) target = action_target != NULL ? g_variant_ref_sink (action_target) : NULL;
  gboolean has_button;

  g_return_if_fail (NATTER_IS_COMPOSER (self));

  has_button = reason != NULL && button_label != NULL && action_name != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->hint_button), has_button);
  if (has_button)
    {
      gtk_button_set_use_underline (self->hint_button, TRUE);
      gtk_button_set_label (self->hint_button, button_label);
      natter_a11y_fix_names (GTK_WIDGET (self->hint_button));
      /* Name and target change together: no moment with a mismatch. */
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->hint_button), NULL);
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->hint_button), target);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->hint_button), action_name);
    }
  else
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->hint_button), NULL);

  if (g_strcmp0 (self->disabled_reason, reason) == 0)
    return;
  g_free (self->disabled_reason);
  self->disabled_reason = g_strdup (reason);
  update_send_state (self);
}

GtkButton *
natter_composer_get_hint_button (NatterComposer *self)
{
  g_return_val_if_fail (NATTER_IS_COMPOSER (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->hint_button)) ? self->hint_button : NULL;
}

const char *
natter_composer_get_disabled_reason (NatterComposer *self)
{
  g_return_val_if_fail (NATTER_IS_COMPOSER (self), NULL);
  return self->disabled_reason;
}

void
natter_composer_set_slash_host (NatterComposer        *self,
                                const NatterSlashHost *host,
                                gpointer               user_data)
{
  g_return_if_fail (NATTER_IS_COMPOSER (self));
  self->host = host;
  self->host_data = user_data;
}

GStrv
natter_composer_dup_completions (NatterComposer *self)
{
  g_return_val_if_fail (NATTER_IS_COMPOSER (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    return g_new0 (char *, 1);
  return g_strdupv (self->completions);
}

GtkTextView *
natter_composer_get_text_view (NatterComposer *self)
{
  g_return_val_if_fail (NATTER_IS_COMPOSER (self), NULL);
  return self->text_view;
}

GPtrArray *
natter_composer_take_attachments (NatterComposer *self)
{
  g_return_val_if_fail (NATTER_IS_COMPOSER (self), NULL);
  return natter_attachment_tray_take (self->tray);
}

NatterAttachmentTray *
natter_composer_get_attachment_tray (NatterComposer *self)
{
  g_return_val_if_fail (NATTER_IS_COMPOSER (self), NULL);
  return self->tray;
}
