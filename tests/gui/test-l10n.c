/* test-l10n.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Natter in German under Xvfb (see tests/test-gui.sh): the catalogues
 * compiled in the build tree (_build/po), LANGUAGE=de, the real window, the
 * connection form and the Request Inspector reached through the German
 * main menu, with screenshots of each in NATTER_BUILD_DIR/screenshots/de. */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include "gui-test-util.h"
#include "natter-connections-dialog.h"
#include "natter-i18n.h"
#include "natter-inspector-window-private.h"
#include "natter-profile-editor.h"

/* A widget under @root that shows @text: a label's text, a button's label
 * or a tooltip. */
static GtkWidget *
find_text (GtkWidget  *root,
           const char *text)
{
  const char *tooltip = gtk_widget_get_tooltip_text (root);

  if (GTK_IS_LABEL (root) &&
      (g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0 ||
       g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0))
    return root;
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), text) == 0)
    return root;
  if (g_strcmp0 (tooltip, text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
assert_shows (GtkWidget  *root,
              const char *text)
{
  if (find_text (root, text) == NULL)
    g_error ("“%s” is not shown in %s", text, G_OBJECT_TYPE_NAME (root));
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return w;
    }
  return NULL;
}

static gboolean
connections_shown (gpointer data)
{
  return find_toplevel (NATTER_TYPE_CONNECTIONS_DIALOG) != NULL;
}

static gboolean
inspector_shown (gpointer data)
{
  return find_toplevel (NATTER_TYPE_INSPECTOR_WINDOW) != NULL;
}

static gboolean
not_streaming (gpointer data)
{
  return !natter_window_is_streaming (data);
}

static gboolean
editor_shown (gpointer data)
{
  NatterProfileEditor *editor = natter_connections_dialog_get_editor (data);

  return editor != NULL && gtk_widget_get_mapped (GTK_WIDGET (editor));
}

static void
close_toplevel (gpointer window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_spin (50);
  g_assert_finalize_object (window);
}

/* A window with one exchange in it, in German. */
static NatterWindow *
open_window_with_chat (NatterFakeProvider **fake_out)
{
  NatterFakeProvider *fake = gui_test_fake_with_profile ();
  NatterWindow *window;

  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
                                  gui_test_simple_reply (GUI_CHUNK ("Guten Tag! Womit kann ich helfen?")));
  window = gui_test_open_window ();
  gui_test_type_and_send (window, "Hallo");
  g_assert_true (gui_test_wait_until (not_streaming, window, 10000));
  gui_test_spin (200);
  g_assert_cmpuint (gui_test_n_messages (window), ==, 2);
  *fake_out = fake;
  return window;
}

static void
test_main_window (void)
{
  NatterFakeProvider *fake;
  NatterWindow *window = open_window_with_chat (&fake);

  /* The header bar, the sidebar and the composer speak German. */
  assert_shows (GTK_WIDGET (window), "Hauptmenü");
  assert_shows (GTK_WIDGET (window), "Chat-Menü");
  assert_shows (GTK_WIDGET (window), "Neuer Chat (Strg+N)");
  assert_shows (GTK_WIDGET (window), "Nachricht senden");
  g_assert_null (find_text (GTK_WIDGET (window), "Main Menu"));
  g_assert_null (find_text (GTK_WIDGET (window), "Send the Message"));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  gui_test_spin (300);
  gui_test_save_screenshot (GTK_WIDGET (window), "main-window.png");

  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

static void
test_connection_form (void)
{
  NatterFakeProvider *fake;
  NatterWindow *window = open_window_with_chat (&fake);
  NatterConnectionsDialog *dialog;
  GtkWidget *edit;

  /* Main menu → “Verbindungen …”, as a person reads it. */
  gui_test_open_menu_item (find_text (GTK_WIDGET (window), "Hauptmenü"), "_Verbindungen …");
  g_assert_true (gui_test_wait_until (connections_shown, NULL, 5000));
  dialog = find_toplevel (NATTER_TYPE_CONNECTIONS_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Verbindungen");

  /* The connection's “Bearbeiten” button opens its form. */
  edit = find_text (GTK_WIDGET (dialog), "Bearbeiten");
  g_assert_nonnull (edit);
  g_assert_true (GTK_IS_BUTTON (edit));
  g_signal_emit_by_name (edit, "clicked");
  g_assert_true (gui_test_wait_until (editor_shown, dialog, 5000));
  gui_test_spin (300);

  assert_shows (GTK_WIDGET (dialog), "Verbindung bearbeiten");
  assert_shows (GTK_WIDGET (dialog), "API-Schlüssel");
  assert_shows (GTK_WIDGET (dialog), "Netzwerk");
  assert_shows (GTK_WIDGET (dialog), "Verbindung testen");
  assert_shows (GTK_WIDGET (dialog), "Preise");
  g_assert_null (find_text (GTK_WIDGET (dialog), "Test Connection"));

  gtk_window_set_default_size (GTK_WINDOW (dialog), 760, 720);
  gui_test_spin (300);
  gui_test_save_screenshot (GTK_WIDGET (dialog), "connection-form.png");

  close_toplevel (dialog);
  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

static void
test_inspector (void)
{
  NatterFakeProvider *fake;
  NatterWindow *window = open_window_with_chat (&fake);
  NatterInspectorWindow *inspector;
  GtkSingleSelection *selection;

  gui_test_open_menu_item (find_text (GTK_WIDGET (window), "Hauptmenü"), "_Anfragen-Inspektor");
  g_assert_true (gui_test_wait_until (inspector_shown, NULL, 5000));
  inspector = find_toplevel (NATTER_TYPE_INSPECTOR_WINDOW);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (inspector)), ==, "Anfragen-Inspektor");

  /* The exchange of this window, newest first, shown in detail. */
  selection = natter_inspector_window_get_selection (inspector);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), >=, 1);
  gtk_single_selection_set_selected (selection, 0);
  gtk_window_set_default_size (GTK_WINDOW (inspector), 1100, 720);
  gui_test_spin (300);

  assert_shows (GTK_WIDGET (inspector), "Anfrage");
  assert_shows (GTK_WIDGET (inspector), "Antwort");
  assert_shows (GTK_WIDGET (inspector), "Als curl kopieren");
  assert_shows (GTK_WIDGET (inspector), "Zeit bis zum ersten Byte");
  assert_shows (GTK_WIDGET (inspector), "Eingabe-Token");
  g_assert_null (find_text (GTK_WIDGET (inspector), "Time to First Byte"));

  gui_test_save_screenshot (GTK_WIDGET (inspector), "inspector.png");

  close_toplevel (inspector);
  gui_test_close_window (window);
  natter_fake_provider_free (fake);
}

int
main (int   argc,
      char *argv[])
{
  const char *build = g_getenv ("NATTER_BUILD_DIR");
  g_autofree char *locale_dir = NULL;
  g_autofree char *screenshots = NULL;

  g_assert_nonnull (build);
  locale_dir = g_build_filename (build, "po", NULL);
  screenshots = g_build_filename (build, "screenshots", "de", NULL);

  /* German; a machine without the de_DE locale still honours LANGUAGE
   * under C.UTF-8 (never under plain C). */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", setlocale (LC_ALL, "de_DE.UTF-8") != NULL ? "de_DE.UTF-8" : "C.UTF-8", TRUE);
  g_setenv ("NATTER_LOCALE_DIR", locale_dir, TRUE);
  if (g_getenv ("NATTER_SCREENSHOT_DIR") != NULL)
    g_setenv ("NATTER_SCREENSHOT_DIR", screenshots, TRUE);
  natter_i18n_init ();
#if !DEVELOPMENT_BUILD
  /* Only development builds read NATTER_LOCALE_DIR. */
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
#endif
  /* The catalogue is there at all (clearer than a missing label). */
  g_assert_cmpstr (_("Request Inspector"), ==, "Anfragen-Inspektor");

  gui_test_init (&argc, &argv);

  g_test_add_func ("/natter/l10n/main-window", test_main_window);
  g_test_add_func ("/natter/l10n/connection-form", test_connection_form);
  g_test_add_func ("/natter/l10n/inspector", test_inspector);

  return gui_test_run ();
}
