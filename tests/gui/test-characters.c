/* test-characters.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The character editor, the Personas window and the Lorebooks window,
 * driven through their controls in a real window. */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include <glib/gstdio.h>

#include "gui-test-util.h"
#include "natter-avatar.h"
#include "natter-avatar-crop-dialog.h"
#include "natter-card.h"
#include "natter-character-editor-private.h"
#include "natter-inspector-window-private.h"
#include "natter-chat-store-editing.h"
#include "natter-lorebook-editor-private.h"
#include "natter-personas-dialog-private.h"
#include "natter-test-util.h"
#include "natter-tokens.h"

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}

static gboolean
toplevel_shown (gpointer data)
{
  return find_toplevel ((GType) GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
toplevel_gone (gpointer data)
{
  return find_toplevel ((GType) GPOINTER_TO_SIZE (data)) == NULL;
}

static GtkWidget *
wait_for (GType type)
{
  g_assert_true (gui_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (type), 5000));
  return find_toplevel (type);
}

static gboolean
model_has_action (GMenuModel *model,
                  const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuLinkIter) links = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
      links = g_menu_model_iterate_item_links (model, i);
      while (g_menu_link_iter_next (links))
        {
          g_autoptr(GMenuModel) link = g_menu_link_iter_get_value (links);

          if (model_has_action (link, action))
            return TRUE;
        }
    }
  return FALSE;
}

static GtkWidget *
find_widget_of_type (GtkWidget *root,
                     GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *find_button (GtkWidget  *root,
                               const char *label);

typedef struct
{
  NatterCharacterEditor *editor;
  GBytes                *before;
} AvatarWait;

static gboolean
avatar_changed (gpointer data)
{
  AvatarWait *wait = data;

  return natter_character_editor_get_avatar (wait->editor) != wait->before;
}

/* The menu button whose menu offers @action. */
static GtkWidget *
find_menu_button (GtkWidget  *root,
                  const char *action)
{
  if (GTK_IS_MENU_BUTTON (root) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (root)) != NULL &&
      model_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (root)), action))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
open_menu_item (GtkWidget  *root,
                const char *action,
                const char *label)
{
  GtkWidget *button = find_menu_button (root, action);

  g_assert_nonnull (button);
  gui_test_open_menu_item (button, label);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
set_text (GtkWidget  *widget,
          const char *text)
{
  if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
  gui_test_spin (10);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

typedef struct
{
  GtkSwitch *sw;
  gboolean   want;
} SwitchWait;

static gboolean
switch_is (gpointer data)
{
  SwitchWait *w = data;

  return gtk_switch_get_active (w->sw) == w->want;
}

/* What a click on the switch does; waits for its animation to end. */
static void
toggle (GtkWidget *widget)
{
  SwitchWait w = { GTK_SWITCH (widget), !gtk_switch_get_active (GTK_SWITCH (widget)) };

  gtk_widget_activate (widget);
  g_assert_true (gui_test_wait_until (switch_is, &w, 5000));
  gui_test_spin (10);
}

static gint64
add_seraphina (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autofree char *path = natter_test_fixture_path ("sillytavern/default_Seraphina.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCard) card = natter_card_load_file (path, &error);
  g_autofree char *json = NULL;
  gint64 id;

  g_assert_no_error (error);
  json = natter_card_dup_json (card);
  id = natter_chat_store_add_character (chats, NULL, json, natter_card_get_avatar (card), &error);
  g_assert_no_error (error);
  return id;
}

/* Opens the character page of @character_id the way a person does: a
 * chat with the character, then the header's character button. */
static gint64
show_character_page (NatterWindow *window,
                     gint64        character_id)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  g_autoptr(GError) error = NULL;
  gint64 chat_id = natter_chat_store_new_chat (chats, character_id, "With the character", &error);

  g_assert_no_error (error);
  gui_test_spin (100);
  gui_test_click_chat (window, chat_id);
  gui_test_click (GTK_WIDGET (window), "win.show-character", NULL);
  g_assert_cmpstr (natter_window_get_visible_page (window), ==, "character");
  return chat_id;
}

static void
test_new_character (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window = gui_test_open_window ();
  NatterCharacterEditor *editor;
  g_autoptr(NatterCharacterRow) row = NULL;
  g_autoptr(NatterCard) card = NULL;
  g_auto(GStrv) greetings = NULL;
  g_auto(GStrv) tags = NULL;
  GtkWidget *list;

  open_menu_item (GTK_WIDGET (window), "win.new-character", "New Character…");
  editor = NATTER_CHARACTER_EDITOR (wait_for (NATTER_TYPE_CHARACTER_EDITOR));

  set_text (natter_character_editor_get_field_widget (editor, "name"), "Mira");
  set_text (natter_character_editor_get_field_widget (editor, "description"),
            "A lighthouse keeper on a northern rock.");
  set_text (natter_character_editor_get_field_widget (editor, "tags"), "sea, light");
  /* A token count per field and in all. */
  g_assert_cmpint (natter_character_editor_get_tokens (editor, "description"), ==,
                   natter_tokens_estimate ("A lighthouse keeper on a northern rock."));
  g_assert_cmpint (natter_character_editor_get_tokens (editor, "total"), ==,
                   natter_tokens_estimate ("A lighthouse keeper on a northern rock."));

  /* Two greetings, added with the button; the second moved up. */
  list = natter_character_editor_get_field_widget (editor, "alternate_greetings");
  g_signal_emit_by_name (find_button (GTK_WIDGET (editor), "_Add Greeting"), "clicked");
  g_signal_emit_by_name (find_button (GTK_WIDGET (editor), "_Add Greeting"), "clicked");
  set_text (g_object_get_data (G_OBJECT (gtk_widget_get_first_child (list)), "text-view"), "Storm's coming.");
  set_text (g_object_get_data (G_OBJECT (gtk_widget_get_last_child (list)), "text-view"), "Mind the rocks.");
  {
    GtkWidget *row2 = gtk_widget_get_last_child (list);
    GtkWidget *up = NULL;

    for (GtkWidget *w = row2; w != NULL; w = gtk_widget_get_first_child (w))
      if (GTK_IS_BOX (w) && gtk_widget_get_last_child (w) && GTK_IS_BOX (gtk_widget_get_last_child (w)))
        {
          up = gtk_widget_get_first_child (gtk_widget_get_last_child (w));
          break;
        }
    g_assert_nonnull (up);
    g_signal_emit_by_name (up, "clicked");
  }
  g_assert_cmpint (natter_character_editor_get_tokens (editor, "alternate_greetings"), ==,
                   natter_tokens_estimate ("Storm's coming.") + natter_tokens_estimate ("Mind the rocks."));

  gui_test_click (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (gui_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NATTER_TYPE_CHARACTER_EDITOR), 5000));

  row = natter_chat_store_lookup_character (chats, "Mira", NULL);
  g_assert_nonnull (row);
  card = natter_card_new_from_json (row->card_json, NULL);
  g_assert_cmpstr (natter_card_get_description (card), ==, "A lighthouse keeper on a northern rock.");
  greetings = natter_card_dup_alternate_greetings (card);
  g_assert_cmpstr (greetings[0], ==, "Mind the rocks.");
  g_assert_cmpstr (greetings[1], ==, "Storm's coming.");
  tags = natter_card_dup_tags (card);
  g_assert_cmpstr (tags[0], ==, "sea");
  g_assert_cmpstr (tags[1], ==, "light");
  g_assert_cmpstr (natter_card_get_spec (card), ==, "chara_card_v3");
  /* The new character is shown. */
  g_assert_cmpstr (natter_window_get_visible_page (window), ==, "character");

  gui_test_close_window (window);
}

static void
test_edit_character (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window = gui_test_open_window ();
  gint64 id = add_seraphina ();
  NatterCharacterEditor *editor;
  g_autoptr(NatterCharacterRow) before = natter_chat_store_get_character (chats, id, NULL);
  g_autoptr(NatterCharacterRow) after = NULL;
  g_autoptr(NatterCharacterRow) unchanged = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *ad, *bd;

  show_character_page (window, id);

  /* Edit and save without a change: the stored card stays byte for byte. */
  gui_test_click (GTK_WIDGET (window), "win.edit-character", NULL);
  editor = NATTER_CHARACTER_EDITOR (wait_for (NATTER_TYPE_CHARACTER_EDITOR));
  gui_test_click (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (gui_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NATTER_TYPE_CHARACTER_EDITOR), 5000));
  unchanged = natter_chat_store_get_character (chats, id, NULL);
  g_assert_cmpstr (unchanged->card_json, ==, before->card_json);

  /* Change the personality only. */
  gui_test_click (GTK_WIDGET (window), "win.edit-character", NULL);
  editor = NATTER_CHARACTER_EDITOR (wait_for (NATTER_TYPE_CHARACTER_EDITOR));
  set_text (natter_character_editor_get_field_widget (editor, "personality"), "Fierce when the forest is threatened.");
  gui_test_save_screenshot (GTK_WIDGET (editor), "character-editor.png");
  gui_test_click (GTK_WIDGET (editor), "editor.save", NULL);
  g_assert_true (gui_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NATTER_TYPE_CHARACTER_EDITOR), 5000));

  after = natter_chat_store_get_character (chats, id, NULL);
  a = parse (before->card_json);
  b = parse (after->card_json);
  ad = json_object_get_object_member (json_node_get_object (a), "data");
  bd = json_object_get_object_member (json_node_get_object (b), "data");
  members = json_object_get_members (ad);
  g_assert_cmpuint (json_object_get_size (ad), ==, json_object_get_size (bd));
  for (GList *l = members; l != NULL; l = l->next)
    if (g_str_equal (l->data, "personality"))
      g_assert_cmpstr (json_object_get_string_member (bd, l->data), ==, "Fierce when the forest is threatened.");
    else
      g_assert_true (json_node_equal (json_object_get_member (ad, l->data), json_object_get_member (bd, l->data)));
  /* The avatar stayed. */
  g_assert_true (g_bytes_equal (before->avatar, after->avatar));

  /* An image becomes a 2:3 avatar. */
  {
    g_autofree char *dir = g_dir_make_tmp ("natter-avatar-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "square.png", NULL);
    g_autoptr(GdkPixbuf) square = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 300, 300);
    g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
    g_autoptr(GError) error = NULL;
    GdkPixbuf *result;
    GBytes *png;

    gdk_pixbuf_fill (square, 0x336699ff);
    g_assert_true (gdk_pixbuf_save (square, path, "png", &error, NULL));
    gui_test_click (GTK_WIDGET (window), "win.edit-character", NULL);
    editor = NATTER_CHARACTER_EDITOR (wait_for (NATTER_TYPE_CHARACTER_EDITOR));
    g_assert_true (natter_character_editor_set_avatar_file (editor, path, &error));
    png = natter_character_editor_get_avatar (editor);
    gdk_pixbuf_loader_write_bytes (loader, png, &error);
    gdk_pixbuf_loader_close (loader, &error);
    g_assert_no_error (error);
    result = gdk_pixbuf_loader_get_pixbuf (loader);
    g_assert_cmpint (gdk_pixbuf_get_width (result), ==, 200);
    g_assert_cmpint (gdk_pixbuf_get_height (result), ==, 300);
    gtk_window_close (GTK_WINDOW (editor));
    g_assert_true (gui_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NATTER_TYPE_CHARACTER_EDITOR), 5000));
    g_unlink (path);
    g_rmdir (dir);
  }

  /* The Delete key on the page does what the menu's Delete does, and says
   * so to screen readers; on one of the page's chats it leaves the
   * character alone. */
  {
    NatterCharacterPage *page = natter_window_get_character_page (window);
    GtkWidget *edit = gui_test_find_actionable (GTK_WIDGET (page), "win.edit-character", NULL);
    GtkWidget *chat_row = find_widget_of_type (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW);
    g_autoptr(NatterCharacterRow) still = NULL;

    g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (page),
                                                       GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, "Delete"));
    g_assert_nonnull (chat_row);
    gtk_widget_grab_focus (chat_row);
    g_assert_false (gui_test_press_key (GTK_WIDGET (page), GDK_KEY_Delete, 0));
    g_assert_cmpstr (natter_window_get_visible_page (window), ==, "character");

    gtk_widget_grab_focus (edit);
    g_assert_false (gui_test_press_key (GTK_WIDGET (page), GDK_KEY_Delete, GDK_CONTROL_MASK));
    g_assert_cmpstr (natter_window_get_visible_page (window), ==, "character");
    g_assert_true (gui_test_press_key (GTK_WIDGET (page), GDK_KEY_Delete, 0));
    g_assert_cmpstr (natter_window_get_visible_page (window), !=, "character");
    gui_test_click_toast_button (window, "_Undo");
    g_assert_cmpstr (natter_window_get_visible_page (window), ==, "character");
    g_assert_cmpint (natter_character_page_get_character_id (page), ==, id);
    still = natter_chat_store_get_character (chats, id, NULL);
    g_assert_nonnull (still);
  }

  /* Choosing an image opens the crop dialog: the person picks the part kept. */
  {
    g_autofree char *dir = g_dir_make_tmp ("natter-avatar-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "bands.png", NULL);
    g_autoptr(GdkPixbuf) bands = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 300, 300);
    g_autoptr(GdkPixbuf) left = gdk_pixbuf_new_subpixbuf (bands, 0, 0, 100, 300);
    g_autoptr(GdkPixbuf) result = NULL;
    g_autoptr(GError) error = NULL;
    NatterAvatarCropDialog *crop;
    GBytes *shown;
    GtkWidget *scale;
    const guint8 *p;

    /* Blue, with a red band on the left. */
    gdk_pixbuf_fill (bands, 0x0000ffff);
    gdk_pixbuf_fill (left, 0xff0000ff);
    g_assert_true (gdk_pixbuf_save (bands, path, "png", &error, NULL));
    gui_test_click (GTK_WIDGET (window), "win.edit-character", NULL);
    editor = NATTER_CHARACTER_EDITOR (wait_for (NATTER_TYPE_CHARACTER_EDITOR));
    shown = natter_character_editor_get_avatar (editor);

    /* Closing the dialog keeps the avatar. */
    natter_character_editor_choose_avatar_file (editor, path);
    crop = NATTER_AVATAR_CROP_DIALOG (wait_for (NATTER_TYPE_AVATAR_CROP_DIALOG));
    g_assert_true (gtk_window_get_modal (GTK_WINDOW (crop)));
    g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (crop)) == GTK_WINDOW (editor));
    gui_test_click (GTK_WIDGET (crop), "crop.cancel", NULL);
    g_assert_true (gui_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NATTER_TYPE_AVATAR_CROP_DIALOG), 5000));
    gui_test_spin (50);
    g_assert_true (natter_character_editor_get_avatar (editor) == shown);

    natter_character_editor_choose_avatar_file (editor, path);
    crop = NATTER_AVATAR_CROP_DIALOG (wait_for (NATTER_TYPE_AVATAR_CROP_DIALOG));
    /* The slider is named and has the focus, so the keyboard moves the frame. */
    scale = find_widget_of_type (GTK_WIDGET (crop), GTK_TYPE_SCALE);
    g_assert_nonnull (scale);
    g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                       "Part kept, from left to right"));
    g_assert_true (gtk_window_get_focus (GTK_WINDOW (crop)) == scale);
    g_assert_cmpfloat (natter_avatar_crop_dialog_get_position (crop), ==, 0.5);
    /* Dragging the frame to the right moves it there, up to the edge. */
    {
      GtkWidget *area = find_widget_of_type (GTK_WIDGET (crop), GTK_TYPE_DRAWING_AREA);
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (area);
      g_autoptr(GtkEventController) drag = g_list_model_get_item (controllers, 0);

      g_assert_true (GTK_IS_GESTURE_DRAG (drag));
      g_signal_emit_by_name (drag, "drag-begin", 100.0, 100.0);
      g_signal_emit_by_name (drag, "drag-update", 30.0, 0.0);
      g_assert_cmpfloat (natter_avatar_crop_dialog_get_position (crop), >, 0.5);
      g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (scale)), ==, natter_avatar_crop_dialog_get_position (crop));
      g_signal_emit_by_name (drag, "drag-update", 1000.0, 0.0);
      g_assert_cmpfloat (natter_avatar_crop_dialog_get_position (crop), ==, 1.0);
    }
    gui_test_click (GTK_WIDGET (crop), "crop.align", g_variant_new_string ("start"));
    g_assert_cmpfloat (natter_avatar_crop_dialog_get_position (crop), ==, 0.0);
    g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (scale)), ==, 0.0);
    gui_test_save_screenshot (GTK_WIDGET (crop), "avatar-crop.png");
    gui_test_click (GTK_WIDGET (crop), "crop.use", NULL);
    g_assert_true (gui_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NATTER_TYPE_AVATAR_CROP_DIALOG), 5000));
    g_assert_true (gui_test_wait_until (avatar_changed, &(AvatarWait) { editor, shown }, 5000));
    result = natter_avatar_load_bytes (natter_character_editor_get_avatar (editor), &error);
    g_assert_no_error (error);
    g_assert_cmpint (gdk_pixbuf_get_width (result), ==, 200);
    g_assert_cmpint (gdk_pixbuf_get_height (result), ==, 300);
    /* The left edge kept: red at x 50, blue from x 100 on. */
    p = gdk_pixbuf_read_pixels (result) + 150 * gdk_pixbuf_get_rowstride (result);
    g_assert_cmpint (p[50 * gdk_pixbuf_get_n_channels (result)], ==, 0xff);
    g_assert_cmpint (p[150 * gdk_pixbuf_get_n_channels (result) + 2], ==, 0xff);
    g_assert_cmpint (p[150 * gdk_pixbuf_get_n_channels (result)], ==, 0);

    gtk_window_close (GTK_WINDOW (editor));
    g_assert_true (gui_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NATTER_TYPE_CHARACTER_EDITOR), 5000));
    g_unlink (path);
    g_rmdir (dir);
  }

  /* Duplicate, from the page's menu. */
  open_menu_item (GTK_WIDGET (window), "win.duplicate-character", "_Duplicate");
  {
    g_autoptr(NatterCharacterRow) copy = natter_chat_store_lookup_character (chats, "Seraphina (copy)", NULL);

    g_assert_nonnull (copy);
    g_assert_true (g_bytes_equal (copy->avatar, before->avatar));
    g_assert_cmpint (natter_character_page_get_character_id (natter_window_get_character_page (window)), ==, copy->id);
  }

  /* Delete with undo, then for good when the window goes. */
  open_menu_item (GTK_WIDGET (window), "win.delete-character", "_Delete");
  g_assert_cmpstr (natter_window_get_visible_page (window), !=, "character");
  gui_test_click_toast_button (window, "_Undo");
  g_assert_cmpstr (natter_window_get_visible_page (window), ==, "character");
  {
    g_autoptr(NatterCharacterRow) copy = natter_chat_store_lookup_character (chats, "Seraphina (copy)", NULL);

    g_assert_nonnull (copy);
  }
  open_menu_item (GTK_WIDGET (window), "win.delete-character", "_Delete");
  gui_test_close_window (window);
  {
    g_autoptr(NatterCharacterRow) copy = natter_chat_store_lookup_character (chats, "Seraphina (copy)", NULL);
    g_autoptr(NatterCharacterRow) original = natter_chat_store_get_character (chats, id, NULL);

    g_assert_null (copy);
    g_assert_nonnull (original);
  }
}

static void
test_personas (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window = gui_test_open_window ();
  g_autoptr(NatterCharacterRow) mira = natter_chat_store_lookup_character (chats, "Mira", NULL);
  g_autoptr(NatterPersonaRow) robin = NULL;
  g_autoptr(NatterPersonaRow) resolved = NULL;
  NatterPersonasDialog *dialog;
  gint64 chat_id, persona_id;

  g_assert_nonnull (mira);
  chat_id = show_character_page (window, mira->id);
  gui_test_click_chat (window, chat_id);

  g_assert_cmpint (natter_window_get_chat_id (window), ==, chat_id);
  open_menu_item (GTK_WIDGET (window), "win.personas", "_Personas…");
  dialog = NATTER_PERSONAS_DIALOG (wait_for (NATTER_TYPE_PERSONAS_DIALOG));
  gui_test_click (GTK_WIDGET (dialog), "personas.add", NULL);
  persona_id = natter_personas_dialog_get_selected_id (dialog);
  g_assert_cmpint (persona_id, >, 0);
  set_text (GTK_WIDGET (natter_personas_dialog_get_name_entry (dialog)), "Robin");
  set_text (GTK_WIDGET (natter_personas_dialog_get_description (dialog)), "An archer from the north.");
  gtk_drop_down_set_selected (natter_personas_dialog_get_position (dialog), 4);  /* not in the prompt */
  gui_test_click (GTK_WIDGET (dialog), "personas.save", NULL);
  robin = natter_chat_store_get_persona (chats, persona_id, NULL);
  g_assert_cmpstr (robin->name, ==, "Robin");
  g_assert_cmpstr (robin->description, ==, "An archer from the north.");
  g_assert_cmpstr (robin->position, ==, NATTER_PERSONA_POSITION_NONE);

  /* Lock it to this chat with the switch; the prompt's persona follows. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (natter_personas_dialog_get_chat_lock (dialog))));
  toggle (GTK_WIDGET (natter_personas_dialog_get_chat_lock (dialog)));
  g_assert_true (gtk_switch_get_active (natter_personas_dialog_get_chat_lock (dialog)));
  g_assert_cmpint (natter_chat_store_get_persona_lock (chats, chat_id, 0, NULL), ==, persona_id);
  resolved = natter_chat_store_resolve_persona (chats, chat_id, 0, NULL);
  g_assert_cmpint (resolved->id, ==, persona_id);
  toggle (GTK_WIDGET (natter_personas_dialog_get_chat_lock (dialog)));
  g_assert_cmpint (natter_chat_store_get_persona_lock (chats, chat_id, 0, NULL), ==, 0);

  /* And to the character. */
  toggle (GTK_WIDGET (natter_personas_dialog_get_character_lock (dialog)));
  g_assert_cmpint (natter_chat_store_get_persona_lock (chats, 0, mira->id, NULL), ==, persona_id);

  gui_test_click (GTK_WIDGET (dialog), "personas.make-default", NULL);
  {
    g_autoptr(NatterPersonaRow) def = natter_chat_store_get_default_persona (chats, NULL);

    g_assert_cmpint (def->id, ==, persona_id);
  }
  gui_test_save_screenshot (GTK_WIDGET (dialog), "personas.png");
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (gui_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NATTER_TYPE_PERSONAS_DIALOG), 5000));
  gui_test_close_window (window);
}

static void
test_lorebooks (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window = gui_test_open_window ();
  g_autoptr(NatterCharacterRow) mira = natter_chat_store_lookup_character (chats, "Mira", NULL);
  g_autoptr(NatterLorebookRow) row = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *eldoria = natter_test_fixture_path ("sillytavern/Eldoria.json");
  NatterLorebookEditor *editor;
  JsonObject *entry, *ext;
  GtkWidget *w;
  guint n_rows = 0;

  show_character_page (window, mira->id);
  open_menu_item (GTK_WIDGET (window), "win.lorebooks", "_Lorebooks…");
  editor = NATTER_LOREBOOK_EDITOR (wait_for (NATTER_TYPE_LOREBOOK_EDITOR));

  gui_test_click (GTK_WIDGET (editor), "lorebooks.new", NULL);
  g_assert_cmpint (natter_lorebook_editor_get_book_id (editor), >, 0);
  gui_test_click (GTK_WIDGET (editor), "lorebooks.add-entry", NULL);
  set_text (natter_lorebook_editor_get_control (editor, "keys"), "lighthouse, /beacons?/i");
  set_text (natter_lorebook_editor_get_control (editor, "secondary"), "storm");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (natter_lorebook_editor_get_control (editor, "logic")), 1);  /* AND ALL */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (natter_lorebook_editor_get_control (editor, "position")), 4);  /* depth */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (natter_lorebook_editor_get_control (editor, "depth")), 3);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (natter_lorebook_editor_get_control (editor, "probability")), 60);
  toggle (natter_lorebook_editor_get_control (editor, "exclude-recursion"));
  set_text (natter_lorebook_editor_get_control (editor, "content"), "The lighthouse has burned for a century.");
  gui_test_click (GTK_WIDGET (editor), "lorebooks.save", NULL);

  row = natter_chat_store_get_lorebook (chats, natter_lorebook_editor_get_book_id (editor), NULL);
  root = json_from_string (row->book_json, &error);
  g_assert_no_error (error);
  entry = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "entries"), 0);
  ext = json_object_get_object_member (entry, "extensions");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (entry, "keys"), 1), ==, "/beacons?/i");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (entry, "secondary_keys"), 0), ==, "storm");
  g_assert_cmpint (json_object_get_int_member (ext, "selectiveLogic"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (ext, "position"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (ext, "depth"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (ext, "probability"), ==, 60);
  g_assert_true (json_object_get_boolean_member (ext, "exclude_recursion"));
  g_assert_cmpstr (json_object_get_string_member (entry, "content"), ==, "The lighthouse has burned for a century.");

  /* Used in every chat and with the character, by the switches. */
  toggle (natter_lorebook_editor_get_control (editor, "global"));
  toggle (natter_lorebook_editor_get_control (editor, "character"));
  gui_test_spin (20);
  {
    g_autoptr(NatterLorebookRow) now = natter_chat_store_get_lorebook (chats, row->id, NULL);
    g_autoptr(GPtrArray) linked = natter_chat_store_list_lorebooks (chats, mira->id, 0, NULL);

    g_assert_true (now->is_global);
    g_assert_cmpuint (linked->len, ==, 1);
  }

  /* SillyTavern's Eldoria comes in with its four entries listed. */
  g_assert_true (natter_lorebook_editor_import_file (editor, eldoria, &error));
  g_assert_no_error (error);
  w = natter_lorebook_editor_get_control (editor, "entries");
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_BOX_ROW (c))
      n_rows++;
  g_assert_cmpuint (n_rows, ==, 4);
  gui_test_save_screenshot (GTK_WIDGET (editor), "lorebooks.png");

  gtk_window_close (GTK_WINDOW (editor));
  g_assert_true (gui_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NATTER_TYPE_LOREBOOK_EDITOR), 5000));
  gui_test_close_window (window);
}

/* Messages show the persona's and the character's pictures and names. */
static void
test_message_avatars (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window = gui_test_open_window ();
  g_autoptr(GdkPixbuf) picture = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 20, 30);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterCharacterRow) seraphina = natter_chat_store_lookup_character (chats, "Seraphina", NULL);
  g_autofree char *buffer = NULL;
  NatterMessageItem *item;
  NatterMessageRow *row;
  gint64 persona_id, chat_id;
  gsize size;

  gdk_pixbuf_fill (picture, 0xaa3322ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (picture, &buffer, &size, "png", &error, NULL));
  png = g_bytes_new (buffer, size);
  persona_id = natter_chat_store_add_persona (chats, "Wren", "A sailor.", png, &error);
  g_assert_no_error (error);
  chat_id = natter_chat_store_new_chat (chats, seraphina->id, "Pictures", &error);
  g_assert_true (natter_chat_store_lock_persona (chats, persona_id, chat_id, 0, &error));
  natter_chat_store_append_message (chats, chat_id, NATTER_ROLE_USER, "Wren", "Hello there.", &error);
  natter_chat_store_append_message (chats, chat_id, NATTER_ROLE_ASSISTANT, "Seraphina", "Welcome, traveller.", &error);
  g_assert_no_error (error);
  gui_test_spin (100);
  gui_test_click_chat (window, chat_id);
  gui_test_spin (100);

  item = gui_test_last_item (window);
  g_assert_cmpstr (natter_message_item_get_name (item), ==, "Seraphina");
  g_assert_nonnull (natter_message_item_get_avatar (item));
  g_assert_cmpint (natter_message_item_get_created_at (item), >, 0);
  row = gui_test_find_row (window, item);
  g_assert_nonnull (row);
  g_assert_true (adw_avatar_get_custom_image (row->speaker_avatar) == natter_message_item_get_avatar (item));
  g_assert_true (gtk_widget_get_has_tooltip (row->box));
  {
    GListModel *model = G_LIST_MODEL (natter_chat_session_get_messages (natter_window_get_session (window)));
    g_autoptr(NatterMessageItem) first = g_list_model_get_item (model, 0);

    g_assert_cmpint (natter_message_item_get_kind (first), ==, NATTER_MESSAGE_KIND_USER);
    g_assert_nonnull (natter_message_item_get_avatar (first));
    g_assert_true (natter_message_item_get_avatar (first) != natter_message_item_get_avatar (item));
  }
  gui_test_close_window (window);
}

/* A character's own book (the card's character_book) is edited in place:
 * the card changes there and nowhere else. */
static void
test_own_book (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window = gui_test_open_window ();
  g_autoptr(NatterCharacterRow) seraphina = natter_chat_store_lookup_character (chats, "Seraphina", NULL);
  g_autoptr(NatterCharacterRow) after = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(GList) members = NULL;
  NatterLorebookEditor *editor;
  JsonObject *ad, *bd, *entry;
  GtkWidget *list;
  guint n_rows = 0, n_entries;

  show_character_page (window, seraphina->id);
  open_menu_item (GTK_WIDGET (window), "win.lorebooks", "_Lorebooks…");
  editor = NATTER_LOREBOOK_EDITOR (wait_for (NATTER_TYPE_LOREBOOK_EDITOR));
  g_assert_cmpint (natter_lorebook_editor_get_book_id (editor), ==, -1);

  a = parse (seraphina->card_json);
  ad = json_object_get_object_member (json_node_get_object (a), "data");
  n_entries = json_array_get_length (json_object_get_array_member (json_object_get_object_member (ad, "character_book"),
                                                                   "entries"));
  list = natter_lorebook_editor_get_control (editor, "entries");
  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_BOX_ROW (c))
      n_rows++;
  g_assert_cmpuint (n_rows, ==, n_entries);

  set_text (natter_lorebook_editor_get_control (editor, "content"), "EDITED-OWN-BOOK");
  gui_test_click (GTK_WIDGET (editor), "lorebooks.save", NULL);
  gtk_window_close (GTK_WINDOW (editor));
  g_assert_true (gui_test_wait_until (toplevel_gone, GSIZE_TO_POINTER (NATTER_TYPE_LOREBOOK_EDITOR), 5000));

  after = natter_chat_store_get_character (chats, seraphina->id, NULL);
  b = parse (after->card_json);
  bd = json_object_get_object_member (json_node_get_object (b), "data");
  members = json_object_get_members (ad);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "character_book"))
      g_assert_true (json_node_equal (json_object_get_member (ad, l->data), json_object_get_member (bd, l->data)));
  entry = json_array_get_object_element (json_object_get_array_member (json_object_get_object_member (bd, "character_book"),
                                                                      "entries"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "content"), ==, "EDITED-OWN-BOOK");
  g_assert_true (g_bytes_equal (seraphina->avatar, after->avatar));
  gui_test_close_window (window);
}

static gboolean
not_streaming (gpointer data)
{
  return !natter_window_is_streaming (data);
}

static GtkLabel *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_label (GTK_LABEL (root)), text) != NULL)
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_containing (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The Request Inspector says which lorebook entries a request carried and
 * why. */
static void
test_inspector_lore (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  g_autoptr(GError) error = NULL;
  GtkWidget *inspector;
  NatterWindow *window;
  GtkLabel *label;
  gint64 book_id;

  book_id = natter_chat_store_add_lorebook (chats, "Quay",
                                            "{\"name\":\"Quay\",\"entries\":["
                                            "{\"id\":0,\"keys\":[\"lantern\"],\"comment\":\"Lantern\","
                                            "\"content\":\"The lantern is green.\",\"enabled\":true},"
                                            "{\"id\":1,\"keys\":[],\"constant\":true,\"comment\":\"Tide\","
                                            "\"content\":\"The tide is high.\",\"enabled\":true}]}", &error);
  g_assert_no_error (error);
  g_assert_true (natter_chat_store_set_lorebook_global (chats, book_id, TRUE, &error));
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", gui_test_simple_reply (GUI_CHUNK ("Aye.")));

  window = gui_test_open_window ();
  gui_test_type_and_send (window, "Is the lantern lit?");
  g_assert_true (gui_test_wait_until (not_streaming, window, 5000));
  gui_test_spin (100);

  open_menu_item (GTK_WIDGET (window), "app.inspector", "Request Inspector");
  inspector = wait_for (NATTER_TYPE_INSPECTOR_WINDOW);
  gtk_single_selection_set_selected (natter_inspector_window_get_selection (NATTER_INSPECTOR_WINDOW (inspector)), 0);
  gui_test_spin (100);
  label = find_label_containing (inspector, "Lantern: key “lantern”");
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_label_get_label (label), "Tide: constant"));
  gtk_window_destroy (GTK_WINDOW (inspector));
  gui_test_spin (50);

  g_assert_true (natter_chat_store_set_lorebook_global (chats, book_id, FALSE, &error));
  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

/* Toasts one right after another, as a quick person makes them: Undo a
 * deletion, duplicate, delete the copy at once.  Each toast comes after
 * the one before it has gone, the last one stays for its Undo, and no
 * deletion is lost on the way. */
static void
test_toasts_in_a_row (void)
{
  NatterChatStore *chats = natter_application_get_chat_store (gui_test_app);
  NatterWindow *window = gui_test_open_window ();
  NatterCharacterPage *page = natter_window_get_character_page (window);
  gint64 id = add_seraphina ();
  gint64 copy_id = 0;
  g_autoptr(GPtrArray) left = NULL;
  guint copies = 0;

  show_character_page (window, id);
  for (int i = 0; i < 10; i++)
    {
      GtkWidget *edit = gui_test_find_actionable (GTK_WIDGET (page), "win.edit-character", NULL);

      gtk_widget_grab_focus (edit);
      g_assert_true (gui_test_press_key (GTK_WIDGET (page), GDK_KEY_Delete, 0));
      g_assert_cmpstr (natter_window_get_visible_page (window), !=, "character");
      gui_test_click_toast_button (window, "_Undo");
      g_assert_cmpstr (natter_window_get_visible_page (window), ==, "character");
      g_assert_cmpint (natter_character_page_get_character_id (page), ==, id);

      open_menu_item (GTK_WIDGET (window), "win.duplicate-character", "_Duplicate");
      copy_id = natter_character_page_get_character_id (page);
      g_assert_cmpint (copy_id, !=, id);
      gtk_widget_grab_focus (edit);
      g_assert_true (gui_test_press_key (GTK_WIDGET (page), GDK_KEY_Delete, 0));
      g_assert_cmpstr (natter_window_get_visible_page (window), !=, "character");

      gui_test_click (GTK_WIDGET (window), "win.show-character", NULL);
      g_assert_cmpint (natter_character_page_get_character_id (page), ==, id);
    }

  /* The last toast is the last deletion's: its Undo brings the copy back. */
  gui_test_click_toast_button (window, "_Undo");
  g_assert_cmpstr (natter_window_get_visible_page (window), ==, "character");
  g_assert_cmpint (natter_character_page_get_character_id (page), ==, copy_id);
  gui_test_close_window (window);

  /* The other copies are gone for good; the original and the last copy stay. */
  left = natter_chat_store_list_characters (chats, NULL);
  g_assert_nonnull (left);
  for (guint i = 0; i < left->len; i++)
    {
      NatterCharacterRow *row = g_ptr_array_index (left, i);

      if (g_str_equal (row->name, "Seraphina (copy)"))
        {
          g_assert_cmpint (row->id, ==, copy_id);
          copies++;
        }
    }
  g_assert_cmpuint (copies, ==, 1);
  g_assert_true (natter_chat_store_delete_character (chats, copy_id, NULL));
  g_assert_true (natter_chat_store_delete_character (chats, id, NULL));
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/natter/characters/new", test_new_character);
  g_test_add_func ("/natter/characters/edit", test_edit_character);
  g_test_add_func ("/natter/characters/personas", test_personas);
  g_test_add_func ("/natter/characters/lorebooks", test_lorebooks);
  g_test_add_func ("/natter/characters/message-avatars", test_message_avatars);
  g_test_add_func ("/natter/characters/own-book", test_own_book);
  g_test_add_func ("/natter/characters/inspector-lore", test_inspector_lore);
  g_test_add_func ("/natter/characters/toasts-in-a-row", test_toasts_in_a_row);

  return gui_test_run ();
}
