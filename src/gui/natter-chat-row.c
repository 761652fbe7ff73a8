/* natter-chat-row.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-row"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "natter-application.h"
#include "natter-chat-group.h"
#include "natter-chat-row.h"
#include "natter-sidebar.h"

struct _NatterChatRow
{
  GtkWidget       parent_instance;

  NatterChatInfo *item;
  GtkPopover     *menu;

  GtkWidget      *box;
  AdwAvatar      *avatar;
  AdwAvatar      *second_avatar;
  GtkLabel       *title;
  GtkLabel       *time;
  GtkLabel       *preview;
  GtkSpinner     *spinner;
};

G_DEFINE_FINAL_TYPE (NatterChatRow, natter_chat_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
natter_chat_row_format_time (gint64     unix_time,
                             GDateTime *now)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) today = NULL;
  GTimeSpan ago;

  if (unix_time <= 0)
    return g_strdup ("");
  utc = g_date_time_new_from_unix_utc (unix_time);
  if (utc == NULL)
    return g_strdup ("");
  when = g_date_time_to_timezone (utc, g_date_time_get_timezone (now));
  today = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (now),
                           g_date_time_get_month (now), g_date_time_get_day_of_month (now), 0, 0, 0);
  ago = g_date_time_difference (today, when);

  if (ago <= 0)
    /* Translators: a time today in the chat list, see g_date_time_format() */
    return g_date_time_format (when, _("%H:%M"));
  if (ago <= G_TIME_SPAN_DAY)
    return g_strdup (_("Yesterday"));
  if (ago < 6 * G_TIME_SPAN_DAY)
    /* Translators: a day of the last week in the chat list */
    return g_date_time_format (when, _("%A"));
  if (g_date_time_get_year (when) == g_date_time_get_year (now))
    /* Translators: a day of this year in the chat list */
    return g_date_time_format (when, _("%e %B"));
  /* Translators: a day of an earlier year in the chat list */
  return g_date_time_format (when, _("%e %B %Y"));
}

/* A group chat shows its first two members' avatars stacked; returns
 * "Alice, Bob" for a group chat, NULL for another. */
static char *
update_group_avatars (NatterChatRow *self,
                      GtkWidget     *sidebar)
{
  GApplication *app = g_application_get_default ();
  NatterChatStore *store = NATTER_IS_APPLICATION (app)
                           ? natter_application_get_chat_store (NATTER_APPLICATION (app)) : NULL;
  g_autoptr(NatterChatGroup) group = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  if (store != NULL)
    group = natter_chat_store_get_group (store, natter_chat_info_get_id (self->item), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->second_avatar), group != NULL && group->members->len > 1);
  if (group == NULL || group->members->len == 0)
    return NULL;
  for (guint i = 0; i < group->members->len; i++)
    {
      NatterGroupMember *member = g_ptr_array_index (group->members, i);

      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, member->name);
      if (i > 1)
        continue;
      adw_avatar_set_text (i == 0 ? self->avatar : self->second_avatar, member->name);
      adw_avatar_set_custom_image (i == 0 ? self->avatar : self->second_avatar,
                                   sidebar != NULL
                                   ? natter_sidebar_lookup_avatar (NATTER_SIDEBAR (sidebar),
                                                                   member->character_id)
                                   : NULL);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
update_avatar (NatterChatRow *self)
{
  GtkWidget *sidebar = gtk_widget_get_ancestor (GTK_WIDGET (self), NATTER_TYPE_SIDEBAR);
  GdkPaintable *image = NULL;
  const char *name;

  if (self->item == NULL)
    return;
  name = natter_chat_info_get_character_name (self->item);
  if (name == NULL || *name == '\0')
    name = natter_chat_info_get_title (self->item);
  adw_avatar_set_text (self->avatar, name);
  if (sidebar != NULL && natter_chat_info_get_character_id (self->item) != 0)
    image = natter_sidebar_lookup_avatar (NATTER_SIDEBAR (sidebar),
                                          natter_chat_info_get_character_id (self->item));
  adw_avatar_set_custom_image (self->avatar, image);
}

static void
update (NatterChatRow *self)
{
  GtkWidget *sidebar = gtk_widget_get_ancestor (GTK_WIDGET (self), NATTER_TYPE_SIDEBAR);
  gboolean generating;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = NULL;
  g_autofree char *label = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *members = NULL;
  const char *title;
  const char *preview;

  if (self->item == NULL)
    return;

  title = natter_chat_info_get_title (self->item);
  if (title == NULL || *title == '\0')
    title = _("Untitled Chat");
  preview = natter_chat_info_get_preview (self->item);
  if (preview == NULL || *preview == '\0')
    preview = _("No messages yet");
  else
    {
      /* A line of text, not Markdown: no emphasis stars or code ticks. */
      plain = g_strdup (preview);
      g_strdelimit (plain, "*`", '\x01');
      for (char *r = plain, *w = plain; ; r++)
        {
          if (*r != '\x01')
            *w++ = *r;
          if (*r == '\0')
            break;
        }
      preview = plain;
    }
  time = natter_chat_row_format_time (natter_chat_info_get_updated_at (self->item), now);

  gtk_label_set_text (self->title, title);
  gtk_label_set_text (self->preview, preview);
  gtk_label_set_text (self->time, time);
  update_avatar (self);
  members = update_group_avatars (self, sidebar);
  generating = sidebar != NULL &&
               natter_sidebar_is_generating (NATTER_SIDEBAR (sidebar), natter_chat_info_get_id (self->item));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), generating);
  gtk_spinner_set_spinning (self->spinner, generating);

  /* Read as one: "Title, 14:05, last words". */
  if (generating)
    /* Translators: a chat in the list whose reply is still being written */
    label = g_strdup_printf (_("%s, writing a reply, %s"), title, preview);
  else if (members != NULL)
    /* Translators: a group chat in the list: title, members, time, last words */
    label = g_strdup_printf (_("%s, group chat with %s, %s, %s"), title, members, time, preview);
  else
    label = g_strdup_printf ("%s, %s, %s", title, time, preview);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
on_item_notify (NatterChatRow *self)
{
  update (self);
}

void
natter_chat_row_set_item (NatterChatRow  *self,
                          NatterChatInfo *item)
{
  g_return_if_fail (NATTER_IS_CHAT_ROW (self));
  g_return_if_fail (item == NULL || NATTER_IS_CHAT_INFO (item));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, on_item_notify, self);
  g_set_object (&self->item, item);
  if (item != NULL)
    {
      g_signal_connect_object (item, "notify", G_CALLBACK (on_item_notify), self, G_CONNECT_SWAPPED);
      update (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

NatterChatInfo *
natter_chat_row_get_item (NatterChatRow *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_ROW (self), NULL);
  return self->item;
}

void
natter_chat_row_update (NatterChatRow *self)
{
  g_return_if_fail (NATTER_IS_CHAT_ROW (self));
  update (self);
}

gboolean
natter_chat_row_get_generating (NatterChatRow *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_ROW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->spinner));
}

const char *
natter_chat_row_get_time_text (NatterChatRow *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_ROW (self), NULL);
  return gtk_label_get_text (self->time);
}

/* The context menu */

static GMenuModel *
build_menu (gint64 chat_id)
{
  GMenu *menu = g_menu_new ();
  GMenu *section = g_menu_new ();
  g_autoptr(GMenuItem) item = NULL;

  item = g_menu_item_new (_("_Duplicate"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.duplicate-chat", g_variant_new_int64 (chat_id));
  g_menu_append_item (section, item);
  g_clear_object (&item);
  item = g_menu_item_new (_("_Export…"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.export-chat", g_variant_new_int64 (chat_id));
  g_menu_append_item (section, item);
  g_clear_object (&item);
  g_menu_append (section, _("_Import Chat…"), "win.import-chat");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);

  section = g_menu_new ();
  item = g_menu_item_new (_("_Delete"), NULL);
  g_menu_item_set_action_and_target_value (item, "win.delete-chat", g_variant_new_int64 (chat_id));
  g_menu_append_item (section, item);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);
  return G_MENU_MODEL (menu);
}

static void
popup_at (NatterChatRow *self,
          double         x,
          double         y)
{
  g_autoptr(GMenuModel) model = NULL;

  if (self->item == NULL)
    return;
  model = build_menu (natter_chat_info_get_id (self->item));
  if (self->menu == NULL)
    {
      self->menu = GTK_POPOVER (gtk_popover_menu_new_from_model (model));
      gtk_widget_set_parent (GTK_WIDGET (self->menu), GTK_WIDGET (self));
      gtk_popover_set_has_arrow (self->menu, FALSE);
      gtk_widget_set_halign (GTK_WIDGET (self->menu), GTK_ALIGN_START);
    }
  else
    gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), model);

  if (x >= 0 && y >= 0)
    gtk_popover_set_pointing_to (self->menu, &(GdkRectangle) { x, y, 1, 1 });
  else
    gtk_popover_set_pointing_to (self->menu, NULL);
  gtk_popover_popup (self->menu);
}

void
natter_chat_row_popup_menu (NatterChatRow *self)
{
  g_return_if_fail (NATTER_IS_CHAT_ROW (self));
  popup_at (self, -1, -1);
}

GtkPopover *
natter_chat_row_get_menu (NatterChatRow *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_ROW (self), NULL);
  return self->menu != NULL && gtk_widget_get_visible (GTK_WIDGET (self->menu)) ? self->menu : NULL;
}

static void
on_right_click (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                NatterChatRow   *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_at (self, x, y);
}

static void
on_long_press (GtkGestureLongPress *gesture,
               double               x,
               double               y,
               NatterChatRow       *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_at (self, x, y);
}

static void
natter_chat_row_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (natter_chat_row_parent_class)->root (widget);
  update (NATTER_CHAT_ROW (widget));
}

static void
natter_chat_row_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  NatterChatRow *self = NATTER_CHAT_ROW (widget);

  GTK_WIDGET_CLASS (natter_chat_row_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->menu != NULL)
    gtk_popover_present (self->menu);
}

static void
natter_chat_row_dispose (GObject *object)
{
  NatterChatRow *self = NATTER_CHAT_ROW (object);

  natter_chat_row_set_item (self, NULL);
  if (self->menu != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->menu));
      self->menu = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_CHAT_ROW);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (natter_chat_row_parent_class)->dispose (object);
}

static void
natter_chat_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  NatterChatRow *self = NATTER_CHAT_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_chat_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  NatterChatRow *self = NATTER_CHAT_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      natter_chat_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_chat_row_class_init (NatterChatRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_chat_row_dispose;
  object_class->get_property = natter_chat_row_get_property;
  object_class->set_property = natter_chat_row_set_property;
  widget_class->root = natter_chat_row_root;
  widget_class->size_allocate = natter_chat_row_size_allocate;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, NATTER_TYPE_CHAT_INFO,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-chat-row.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterChatRow, box);
  gtk_widget_class_bind_template_child (widget_class, NatterChatRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, NatterChatRow, second_avatar);
  gtk_widget_class_bind_template_child (widget_class, NatterChatRow, title);
  gtk_widget_class_bind_template_child (widget_class, NatterChatRow, time);
  gtk_widget_class_bind_template_child (widget_class, NatterChatRow, preview);
  gtk_widget_class_bind_template_child (widget_class, NatterChatRow, spinner);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "chatrow");
}

static void
natter_chat_row_init (NatterChatRow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *press = gtk_gesture_long_press_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_right_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (press), TRUE);
  g_signal_connect (press, "pressed", G_CALLBACK (on_long_press), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (press));
}

GtkWidget *
natter_chat_row_new (void)
{
  return g_object_new (NATTER_TYPE_CHAT_ROW, NULL);
}
