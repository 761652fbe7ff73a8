/* natter-new-chat-dialog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-new-chat-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-new-chat-dialog-private.h"

struct _NatterNewChatDialog
{
  AdwWindow       parent_instance;

  char           *search;      /* casefolded */
  gboolean        chosen;

  GtkSearchEntry *search_entry;
  GtkListBox     *list;
};

G_DEFINE_FINAL_TYPE (NatterNewChatDialog, natter_new_chat_dialog, ADW_TYPE_WINDOW)

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Every row carries its character id (0: the plain chat) and the text the
 * search matches. */
#define ROW_ID   "natter-character-id"
#define ROW_TEXT "natter-search-text"

static gboolean
row_matches (NatterNewChatDialog *self,
             GtkListBoxRow       *row)
{
  const char *text = g_object_get_data (G_OBJECT (row), ROW_TEXT);

  return self->search == NULL || *self->search == '\0' ||
         (text != NULL && strstr (text, self->search) != NULL);
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  return row_matches (user_data, row);
}

static void
choose (NatterNewChatDialog *self,
        gint64               character_id)
{
  if (self->chosen)
    return;
  self->chosen = TRUE;
  g_object_ref (self);
  g_signal_emit (self, signals[CHOSEN], 0, character_id);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
on_row_activated (NatterNewChatDialog *self,
                  GtkListBoxRow       *row,
                  GtkListBox          *list)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), ROW_ID);

  choose (self, id != NULL ? *id : 0);
}

static void
on_search_changed (NatterNewChatDialog *self,
                   GtkSearchEntry      *entry)
{
  g_free (self->search);
  self->search = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (entry)), -1);
  gtk_list_box_invalidate_filter (self->list);
}

static GtkListBoxRow *
first_shown (NatterNewChatDialog *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && row_matches (self, GTK_LIST_BOX_ROW (child)))
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static void
on_search_activate (NatterNewChatDialog *self,
                    GtkSearchEntry      *entry)
{
  natter_new_chat_dialog_activate_first (self);
}

static void
add_row (NatterNewChatDialog *self,
         gint64               character_id,
         const char          *title,
         const char          *subtitle,
         const char          *search_text,
         GBytes              *avatar_png)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *avatar = adw_avatar_new (36, title, character_id != 0);
  gint64 *id = g_new (gint64, 1);

  *id = character_id;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (character_id == 0)
    adw_avatar_set_icon_name (ADW_AVATAR (avatar), "chat-message-new-symbolic");
  if (avatar_png != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (avatar_png, NULL);

      if (texture != NULL)
        adw_avatar_set_custom_image (ADW_AVATAR (avatar), GDK_PAINTABLE (texture));
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  g_object_set_data_full (G_OBJECT (row), ROW_ID, id, g_free);
  g_object_set_data_full (G_OBJECT (row), ROW_TEXT, g_utf8_casefold (search_text, -1), g_free);
  gtk_list_box_append (self->list, row);
}

static void
natter_new_chat_dialog_finalize (GObject *object)
{
  NatterNewChatDialog *self = NATTER_NEW_CHAT_DIALOG (object);

  g_free (self->search);

  G_OBJECT_CLASS (natter_new_chat_dialog_parent_class)->finalize (object);
}

static void
natter_new_chat_dialog_class_init (NatterNewChatDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = natter_new_chat_dialog_finalize;

  /**
   * NatterNewChatDialog::chosen:
   * @character_id: the character, or 0 for a plain chat
   */
  signals[CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-new-chat-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterNewChatDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterNewChatDialog, list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
natter_new_chat_dialog_init (NatterNewChatDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));

  gtk_list_box_set_filter_func (self->list, filter_row, self, NULL);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  g_signal_connect_object (self->list, "row-activated", G_CALLBACK (on_row_activated),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate", G_CALLBACK (on_search_activate),
                           self, G_CONNECT_SWAPPED);
}

NatterNewChatDialog *
natter_new_chat_dialog_new (GtkWindow       *parent,
                            NatterChatStore *store)
{
  NatterNewChatDialog *self;
  g_autoptr(GPtrArray) characters = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plain_text = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (store == NULL || NATTER_IS_CHAT_STORE (store), NULL);

  self = g_object_new (NATTER_TYPE_NEW_CHAT_DIALOG, "transient-for", parent, NULL);

  /* The plain chat matches its own words, in English and translated. */
  plain_text = g_strdup_printf ("%s %s plain chat", _("Plain Chat"), _("No character"));
  add_row (self, 0, _("Plain Chat"), _("No character"), plain_text, NULL);

  if (store != NULL)
    characters = natter_chat_store_list_characters (store, &error);
  if (error != NULL)
    g_warning ("Cannot list the characters: %s", error->message);
  for (guint i = 0; characters != NULL && i < characters->len; i++)
    {
      NatterCharacterRow *row = g_ptr_array_index (characters, i);

      add_row (self, row->id, row->name, NULL, row->name, row->avatar);
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return self;
}

GtkSearchEntry *
natter_new_chat_dialog_get_search_entry (NatterNewChatDialog *self)
{
  g_return_val_if_fail (NATTER_IS_NEW_CHAT_DIALOG (self), NULL);
  return self->search_entry;
}

guint
natter_new_chat_dialog_get_n_shown (NatterNewChatDialog *self)
{
  guint n = 0;

  g_return_val_if_fail (NATTER_IS_NEW_CHAT_DIALOG (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && row_matches (self, GTK_LIST_BOX_ROW (child)))
      n++;
  return n;
}

gint64
natter_new_chat_dialog_get_first_shown (NatterNewChatDialog *self)
{
  GtkListBoxRow *row;
  gint64 *id;

  g_return_val_if_fail (NATTER_IS_NEW_CHAT_DIALOG (self), -1);

  row = first_shown (self);
  if (row == NULL)
    return -1;
  id = g_object_get_data (G_OBJECT (row), ROW_ID);
  return *id;
}

void
natter_new_chat_dialog_activate_first (NatterNewChatDialog *self)
{
  GtkListBoxRow *row;

  g_return_if_fail (NATTER_IS_NEW_CHAT_DIALOG (self));

  row = first_shown (self);
  if (row != NULL)
    on_row_activated (self, row, self->list);
}
