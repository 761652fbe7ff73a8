/* test-attach.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Attachments in the real window under Xvfb (see tests/test-gui.sh): a
 * picture chosen with the Attach button and one pasted appear as chips,
 * one is removed with its button, the message goes out with the other,
 * and the sent message shows it as a thumbnail that opens full size. For
 * a model without vision a picture is refused with a note; a text file
 * chosen or dropped on the composer is attached. */

#include "config.h"

#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "gui-test-util.h"
#include "natter-attachment-tray.h"
#include "natter-composer-private.h"
#include "natter-message-row-private.h"

static char *
write_png (const char *dir,
           int         width,
           int         height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autofree char *path = g_build_filename (dir, "red square.png", NULL);

  gdk_pixbuf_fill (pixbuf, 0xcc2222ff);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
  return g_steal_pointer (&path);
}

static GtkFileChooser *
find_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_FILE_CHOOSER (window);
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_chooser () != NULL;
}

/* The chooser selects a file once its folder is loaded. */
static gboolean
chooser_selected (gpointer data)
{
  g_autoptr(GListModel) files = gtk_file_chooser_get_files (data);

  return g_list_model_get_n_items (files) == 1;
}

typedef struct
{
  NatterAttachmentTray *tray;
  guint                 n;
} TrayWait;

static gboolean
tray_has (gpointer data)
{
  TrayWait *w = data;

  return natter_attachment_tray_get_n_loading (w->tray) == 0 &&
         natter_attachment_tray_get_n_items (w->tray) == w->n;
}

static GtkWidget *
find_by_label (GtkWidget  *root,
               const char *prefix)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child))
        {
          const char *tooltip = gtk_widget_get_tooltip_text (child);

          if (tooltip != NULL && g_str_has_prefix (tooltip, prefix))
            return child;
        }
      if ((found = find_by_label (child, prefix)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
not_streaming (gpointer data)
{
  return !natter_window_is_streaming (data);
}

static gboolean
row_has_attachments (gpointer data)
{
  NatterWindow *window = data;
  guint n = gui_test_n_messages (window);
  g_autoptr(NatterMessageItem) item = NULL;
  NatterMessageRow *row;

  if (n < 2)
    return FALSE;
  item = g_list_model_get_item (G_LIST_MODEL (natter_chat_view_get_model (natter_window_get_chat_view (window))),
                                n - 2);
  row = gui_test_find_row (window, item);
  return row != NULL && row->attachments_box != NULL && gtk_widget_get_visible (row->attachments_box);
}

static GtkWindow *
find_viewer (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_WINDOW (window) && g_strcmp0 (gtk_window_get_title (GTK_WINDOW (window)), title) == 0)
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gboolean
viewer_shown (gpointer data)
{
  return find_viewer (data) != NULL;
}

static void
test_attach_button_and_paste (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  g_autofree char *dir = g_dir_make_tmp ("natter-attach-XXXXXX", NULL);
  g_autofree char *path = write_png (dir, 64, 48);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkPixbuf) pasted = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 20, 20);
  g_autoptr(GdkTexture) texture = NULL;
  NatterWindow *window;
  NatterComposer *composer;
  NatterAttachmentTray *tray;
  GtkTextView *view;
  GtkFileChooser *chooser;
  g_autoptr(NatterMessageItem) sent = NULL;
  GtkWidget *remove_button, *open;
  const NatterFakeRequest *request;
  NatterMessageRow *row;
  GtkWindow *viewer;
  TrayWait w;

  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("A red square.")));
  window = gui_test_open_window ();
  composer = natter_window_get_composer (window);
  tray = natter_composer_get_attachment_tray (composer);
  view = natter_composer_get_text_view (composer);
  w.tray = tray;

  /* The Attach button opens the file chooser; the person picks the file. */
  gui_test_click (GTK_WIDGET (window), "composer.attach", NULL);
  g_assert_true (gui_test_wait_until (chooser_shown, NULL, 5000));
  chooser = find_chooser ();
  g_assert_true (gtk_file_chooser_set_file (chooser, file, NULL));
  g_assert_true (gui_test_wait_until (chooser_selected, chooser, 5000));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  w.n = 1;
  if (!gui_test_wait_until (tray_has, &w, 5000))
    g_error ("Not attached: %u loading, %u attached, note “%s”", natter_attachment_tray_get_n_loading (tray),
             natter_attachment_tray_get_n_items (tray), natter_attachment_tray_get_note (tray));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (tray)));
  /* The model's metadata says nothing of pictures: said, and sent anyway. */
  g_assert_nonnull (natter_attachment_tray_get_note (tray));
  g_assert_nonnull (strstr (natter_attachment_tray_get_note (tray), "not known"));
  g_assert_nonnull (find_by_label (GTK_WIDGET (tray), "Remove red square.png"));

  /* Ctrl+V with a picture on the clipboard attaches it. */
  gdk_pixbuf_fill (pasted, 0x2222ccff);
  texture = gdk_texture_new_for_pixbuf (pasted);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (view)), texture);
  gtk_widget_grab_focus (GTK_WIDGET (view));
  g_signal_emit_by_name (view, "paste-clipboard");
  w.n = 2;
  g_assert_true (gui_test_wait_until (tray_has, &w, 5000));
  gui_test_save_screenshot (GTK_WIDGET (window), "attach-chips.png");

  /* Its remove button takes it away again. */
  remove_button = find_by_label (GTK_WIDGET (tray), "Remove pasted-image.png");
  g_assert_nonnull (remove_button);
  g_signal_emit_by_name (remove_button, "clicked");
  g_assert_cmpuint (natter_attachment_tray_get_n_items (tray), ==, 1);

  /* Sent with the message: one picture in the request, the chips gone. */
  gui_test_type_and_send (window, "What colour is it?");
  g_assert_cmpuint (natter_attachment_tray_get_n_items (tray), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (tray)));
  g_assert_true (gui_test_wait_until (not_streaming, window, 10000));
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, 1);
  request = natter_fake_provider_get_request (fake, 0);
  g_assert_nonnull (strstr (request->body, "\"image_url\""));
  g_assert_nonnull (strstr (request->body, "data:image/png;base64,"));
  /* Only the one left: the removed picture is not sent. */
  g_assert_null (strstr (strstr (request->body, "data:image/png;base64,") + 1, "data:image/"));
  g_assert_nonnull (strstr (request->body, "What colour is it?"));

  /* The message shows it; its thumbnail opens it full size. */
  g_assert_true (gui_test_wait_until (row_has_attachments, window, 5000));
  sent = g_list_model_get_item (G_LIST_MODEL (natter_chat_view_get_model (natter_window_get_chat_view (window))),
                                gui_test_n_messages (window) - 2);
  row = gui_test_find_row (window, sent);
  open = find_by_label (row->attachments_box, "Open red square.png");
  g_assert_nonnull (open);
  g_signal_emit_by_name (open, "clicked");
  g_assert_true (gui_test_wait_until (viewer_shown, "red square.png", 5000));
  viewer = find_viewer ("red square.png");
  gui_test_save_screenshot (GTK_WIDGET (window), "attach-message.png");
  gtk_window_destroy (viewer);

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
  g_remove (path);
  g_rmdir (dir);
}


/* Chooses @file in the file chooser the Attach button opens. */
static void
choose_file (NatterWindow *window,
             GFile        *file)
{
  GtkFileChooser *chooser;

  gui_test_click (GTK_WIDGET (window), "composer.attach", NULL);
  g_assert_true (gui_test_wait_until (chooser_shown, NULL, 5000));
  chooser = find_chooser ();
  g_assert_true (gtk_file_chooser_set_file (chooser, file, NULL));
  g_assert_true (gui_test_wait_until (chooser_selected, chooser, 5000));
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
}

static gboolean
tray_settled (gpointer data)
{
  return natter_attachment_tray_get_n_loading (data) == 0 && find_chooser () == NULL;
}

/* A model whose metadata says it takes no pictures: a picture is refused
 * with a note, a text file still attaches; a file that is not one of the
 * kinds leaves a note naming it. */
static void
test_no_vision (void)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterProfileStore *store = natter_application_get_profile_store (gui_test_app);
  NatterProfile *profile = natter_profile_store_get_active (store);
  g_autofree char *dir = g_dir_make_tmp ("natter-attach-XXXXXX", NULL);
  g_autofree char *png = write_png (dir, 16, 16);
  g_autofree char *md = g_build_filename (dir, "notes.md", NULL);
  g_autofree char *bin = g_build_filename (dir, "program.bin", NULL);
  g_autoptr(GFile) png_file = g_file_new_for_path (png);
  g_autoptr(GFile) md_file = g_file_new_for_path (md);
  g_autoptr(GFile) bin_file = g_file_new_for_path (bin);
  NatterAttachmentTray *tray;
  NatterWindow *window;

  natter_profile_set_settings (profile, "{\"models\": {\"fake-model\": {\"vision\": false}}}");
  g_assert_true (natter_profile_store_update (store, profile, NULL));
  g_assert_true (g_file_set_contents (md, "# Notes\n", -1, NULL));
  g_assert_true (g_file_set_contents (bin, "\x7f" "ELF\2\1\1\0\0", 9, NULL));

  window = gui_test_open_window ();
  tray = natter_composer_get_attachment_tray (natter_window_get_composer (window));

  choose_file (window, png_file);
  g_assert_true (gui_test_wait_until (tray_settled, tray, 5000));
  g_assert_cmpuint (natter_attachment_tray_get_n_items (tray), ==, 0);
  g_assert_nonnull (strstr (natter_attachment_tray_get_note (tray), "does not take pictures"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (tray)));

  choose_file (window, md_file);
  g_assert_true (gui_test_wait_until (tray_settled, tray, 5000));
  g_assert_cmpuint (natter_attachment_tray_get_n_items (tray), ==, 1);
  g_assert_null (natter_attachment_tray_get_note (tray));

  choose_file (window, bin_file);
  g_assert_true (gui_test_wait_until (tray_settled, tray, 5000));
  g_assert_cmpuint (natter_attachment_tray_get_n_items (tray), ==, 1);
  g_assert_nonnull (strstr (natter_attachment_tray_get_note (tray), "program.bin"));
  gui_test_save_screenshot (GTK_WIDGET (window), "attach-refused.png");

  /* Dropped on the composer from a file manager: what GTK hands the drop
   * target of the composer when a person lets go of the file there. */
  {
    GtkWidget *composer = GTK_WIDGET (natter_window_get_composer (window));
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (composer);
    GtkDropTarget *drop = NULL;
    g_auto(GValue) value = G_VALUE_INIT;
    GSList *files = g_slist_prepend (NULL, md_file);
    gboolean handled = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && drop == NULL; i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_DROP_TARGET (controller))
          drop = GTK_DROP_TARGET (controller);
      }
    g_assert_nonnull (drop);
    g_value_init (&value, GDK_TYPE_FILE_LIST);
    g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
    g_slist_free (files);
    g_signal_emit_by_name (drop, "drop", &value, 20.0, 20.0, &handled);
    g_assert_true (handled);
    g_assert_true (gui_test_wait_until (tray_settled, tray, 5000));
    g_assert_cmpuint (natter_attachment_tray_get_n_items (tray), ==, 2);
  }

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
  g_remove (png);
  g_remove (md);
  g_remove (bin);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/natter/attach/button-and-paste", test_attach_button_and_paste);
  g_test_add_func ("/natter/attach/no-vision", test_no_vision);

  return gui_test_run ();
}
