/* natter-group-dialog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-group-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-conversation-group.h"
#include "natter-group-dialog.h"

struct _NatterGroupDialog
{
  AdwWindow           parent_instance;

  NatterChatStore    *store;
  NatterConversation *conversation;
  gint64              chat_id;
  GArray             *addable;     /* character ids of add_row's items */
  GPtrArray          *picks;       /* GtkCheckButton of pick_list, "character-id" data */
  gboolean            loading;

  AdwWindowTitle     *window_title;
  GtkWidget          *create_button;
  GtkStack           *stack;
  AdwEntryRow        *title_row;
  GtkListBox         *pick_list;
  GtkListBox         *member_list;
  AdwComboRow        *add_row;
  AdwComboRow        *order_row;
  AdwComboRow        *cards_row;
  GtkSpinButton      *auto_spin;
  GtkSwitch          *self_switch;
};

G_DEFINE_FINAL_TYPE (NatterGroupDialog, natter_group_dialog, ADW_TYPE_WINDOW)

enum { SIGNAL_CHAT_CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
toast (NatterGroupDialog *self,
       const char        *text)
{
  /* The dialog has no toast overlay of its own: the error is short and
   * said where the person looks, in the title. */
  adw_window_title_set_subtitle (self->window_title, text);
}

/* ------------------------------------------------------------ create mode */

static void
update_create (NatterGroupDialog *self)
{
  guint n = 0;

  for (guint i = 0; i < self->picks->len; i++)
    n += gtk_check_button_get_active (g_ptr_array_index (self->picks, i)) ? 1 : 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "group.create", self->chat_id == 0 && n >= 2);
}

static void
load_picks (NatterGroupDialog *self)
{
  g_autoptr(GPtrArray) characters = natter_chat_store_list_characters (self->store, NULL);

  for (guint i = 0; characters != NULL && i < characters->len; i++)
    {
      NatterCharacterRow *row = g_ptr_array_index (characters, i);
      GtkWidget *action_row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), row->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      row->name, -1);
      g_object_set_data_full (G_OBJECT (check), "character-id",
                              g_memdup2 (&row->id, sizeof row->id), g_free);
      g_signal_connect_object (check, "toggled", G_CALLBACK (update_create), self, G_CONNECT_SWAPPED);
      adw_action_row_add_prefix (ADW_ACTION_ROW (action_row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (action_row), check);
      gtk_list_box_append (self->pick_list, action_row);
      g_ptr_array_add (self->picks, check);
    }
  update_create (self);
}

static void load_members (NatterGroupDialog *self);

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NatterGroupDialog *self = NATTER_GROUP_DIALOG (widget);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_row));
  gint64 chat_id;

  for (guint i = 0; i < self->picks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->picks, i)))
      g_array_append_val (ids, *(gint64 *) g_object_get_data (g_ptr_array_index (self->picks, i),
                                                              "character-id"));
  if (ids->len < 2)
    return;
  chat_id = natter_conversation_new_group_chat (self->conversation, (const gint64 *) ids->data,
                                                ids->len,
                                                title != NULL && *title != '\0' ? title : NULL,
                                                &error);
  if (chat_id == 0)
    {
      toast (self, error->message);
      return;
    }
  self->chat_id = chat_id;
  load_members (self);
  g_signal_emit (self, signals[SIGNAL_CHAT_CREATED], 0, chat_id);
}

/* ------------------------------------------------------------ members mode */

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *a11y,
             const char *action,
             GVariant   *target)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  return button;
}

static void
load_members (NatterGroupDialog *self)
{
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(GPtrArray) characters = NULL;
  g_autoptr(GtkStringList) addable = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterChat) chat = NULL;
  GtkWidget *child;

  self->loading = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "members");
  gtk_widget_set_visible (self->create_button, FALSE);
  chat = natter_chat_store_get_chat (self->store, self->chat_id, NULL);
  adw_window_title_set_title (self->window_title, _("Group Members"));
  adw_window_title_set_subtitle (self->window_title, chat != NULL ? natter_chat_get_title (chat) : "");

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->member_list))) != NULL)
    gtk_list_box_remove (self->member_list, child);

  group = natter_chat_store_get_group (self->store, self->chat_id, &error);
  for (guint i = 0; group != NULL && i < group->members->len; i++)
    {
      NatterGroupMember *member = g_ptr_array_index (group->members, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *mute_a11y = g_strdup_printf (member->muted ? _("Let %s speak again")
                                                                  : _("Mute %s"), member->name);
      g_autofree char *up = g_strdup_printf (_("Move %s up"), member->name);
      g_autofree char *down = g_strdup_printf (_("Move %s down"), member->name);
      g_autofree char *remove = g_strdup_printf (_("Remove %s from the group"), member->name);
      GtkWidget *mute;
      GtkWidget *button;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), member->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (member->muted)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Muted"));
      mute = gtk_button_new_with_label (member->muted ? _("Unmute") : _("Mute"));
      gtk_widget_set_valign (mute, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (mute), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      mute_a11y, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (mute), "group.mute");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (mute),
                                              g_variant_new ("(xb)", member->character_id,
                                                             !member->muted));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), mute);
      button = icon_button ("go-up-symbolic", _("Speaks Earlier"), up, "group.move",
                            g_variant_new ("(xi)", member->character_id, -1));
      gtk_widget_set_sensitive (button, i > 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      button = icon_button ("go-down-symbolic", _("Speaks Later"), down, "group.move",
                            g_variant_new ("(xi)", member->character_id, 1));
      gtk_widget_set_sensitive (button, i + 1 < group->members->len);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 icon_button ("user-trash-symbolic", _("Remove From the Group"),
                                              remove, "group.remove",
                                              g_variant_new_int64 (member->character_id)));
      gtk_list_box_append (self->member_list, row);
    }

  g_array_set_size (self->addable, 0);
  characters = natter_chat_store_list_characters (self->store, NULL);
  for (guint i = 0; characters != NULL && i < characters->len; i++)
    {
      NatterCharacterRow *row = g_ptr_array_index (characters, i);

      if (group != NULL && natter_chat_group_find_id (group, row->id) != NULL)
        continue;
      gtk_string_list_append (addable, row->name);
      g_array_append_val (self->addable, row->id);
    }
  adw_combo_row_set_model (self->add_row, G_LIST_MODEL (addable));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "group.add", self->addable->len > 0);

  adw_combo_row_set_selected (self->order_row, group != NULL ? group->order : 0);
  adw_combo_row_set_selected (self->cards_row, group != NULL ? group->cards : 0);
  gtk_spin_button_set_value (self->auto_spin, group != NULL ? group->auto_turns : 0);
  gtk_switch_set_active (self->self_switch, group != NULL && group->allow_self);
  self->loading = FALSE;
  update_create (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  NatterGroupDialog *self = NATTER_GROUP_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  guint selected = adw_combo_row_get_selected (self->add_row);

  if (selected >= self->addable->len)
    return;
  if (!natter_chat_store_group_add (self->store, self->chat_id,
                                    g_array_index (self->addable, gint64, selected), &error))
    toast (self, error->message);
  load_members (self);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NatterGroupDialog *self = NATTER_GROUP_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (!natter_chat_store_group_remove (self->store, self->chat_id,
                                       g_variant_get_int64 (parameter), &error))
    {
      load_members (self);
      toast (self, error->message);
      return;
    }
  load_members (self);
}

static void
mute_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NatterGroupDialog *self = NATTER_GROUP_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  gint64 id;
  gboolean muted;

  g_variant_get (parameter, "(xb)", &id, &muted);
  if (!natter_chat_store_group_mute (self->store, self->chat_id, id, muted, &error))
    toast (self, error->message);
  load_members (self);
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NatterGroupDialog *self = NATTER_GROUP_DIALOG (widget);
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int delta;

  g_variant_get (parameter, "(xi)", &id, &delta);
  group = natter_chat_store_get_group (self->store, self->chat_id, NULL);
  if (group == NULL)
    return;
  for (guint i = 0; i < group->members->len; i++)
    {
      NatterGroupMember *member = g_ptr_array_index (group->members, i);

      if (member->character_id != id || ((int) i + delta) < 0)
        continue;
      if (!natter_chat_store_group_move (self->store, self->chat_id, id, i + delta, &error))
        toast (self, error->message);
      break;
    }
  load_members (self);
}

/* The turn settings, saved as soon as one changes. */
static void
save_settings (NatterGroupDialog *self)
{
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(GError) error = NULL;

  if (self->loading || self->chat_id == 0)
    return;
  group = natter_chat_store_get_group (self->store, self->chat_id, &error);
  if (group == NULL)
    {
      if (!natter_chat_store_make_group (self->store, self->chat_id, &error) ||
          (group = natter_chat_store_get_group (self->store, self->chat_id, &error)) == NULL)
        {
          toast (self, error != NULL ? error->message : _("This is not a group chat"));
          return;
        }
    }
  group->order = MIN (adw_combo_row_get_selected (self->order_row), NATTER_GROUP_ORDER_MANUAL);
  group->cards = MIN (adw_combo_row_get_selected (self->cards_row), NATTER_GROUP_CARDS_JOIN);
  group->auto_turns = (guint) gtk_spin_button_get_value_as_int (self->auto_spin);
  group->allow_self = gtk_switch_get_active (self->self_switch);
  if (!natter_chat_store_group_save (self->store, group, &error))
    toast (self, error->message);
}

/* ------------------------------------------------------------ GObject */

static void
natter_group_dialog_dispose (GObject *object)
{
  NatterGroupDialog *self = NATTER_GROUP_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_GROUP_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->conversation);
  g_clear_pointer (&self->addable, g_array_unref);
  g_clear_pointer (&self->picks, g_ptr_array_unref);

  G_OBJECT_CLASS (natter_group_dialog_parent_class)->dispose (object);
}

static void
natter_group_dialog_class_init (NatterGroupDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_group_dialog_dispose;

  signals[SIGNAL_CHAT_CREATED] =
    g_signal_new ("chat-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-group-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterGroupDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, NatterGroupDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, NatterGroupDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, NatterGroupDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, NatterGroupDialog, pick_list);
  gtk_widget_class_bind_template_child (widget_class, NatterGroupDialog, member_list);
  gtk_widget_class_bind_template_child (widget_class, NatterGroupDialog, add_row);
  gtk_widget_class_bind_template_child (widget_class, NatterGroupDialog, order_row);
  gtk_widget_class_bind_template_child (widget_class, NatterGroupDialog, cards_row);
  gtk_widget_class_bind_template_child (widget_class, NatterGroupDialog, auto_spin);
  gtk_widget_class_bind_template_child (widget_class, NatterGroupDialog, self_switch);

  gtk_widget_class_install_action (widget_class, "group.create", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "group.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "group.remove", "x", remove_action);
  gtk_widget_class_install_action (widget_class, "group.mute", "(xb)", mute_action);
  gtk_widget_class_install_action (widget_class, "group.move", "(xi)", move_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
natter_group_dialog_init (NatterGroupDialog *self)
{
  self->addable = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->picks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->order_row, "notify::selected", G_CALLBACK (save_settings), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cards_row, "notify::selected", G_CALLBACK (save_settings), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->auto_spin, "value-changed", G_CALLBACK (save_settings), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->self_switch, "notify::active", G_CALLBACK (save_settings), self,
                           G_CONNECT_SWAPPED);
}

NatterGroupDialog *
natter_group_dialog_new (NatterChatStore    *store,
                         NatterConversation *conversation,
                         gint64              chat_id)
{
  NatterGroupDialog *self;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);
  g_return_val_if_fail (NATTER_IS_CONVERSATION (conversation), NULL);

  self = g_object_new (NATTER_TYPE_GROUP_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->conversation = g_object_ref (conversation);
  self->chat_id = chat_id;
  if (chat_id == 0)
    load_picks (self);
  else
    load_members (self);
  return self;
}

gint64
natter_group_dialog_get_chat_id (NatterGroupDialog *self)
{
  g_return_val_if_fail (NATTER_IS_GROUP_DIALOG (self), 0);
  return self->chat_id;
}
