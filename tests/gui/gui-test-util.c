/* gui-test-util.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the window tests share: a real application on the SQLite files in
 * NATTER_DATA_DIR, waiting on conditions, and pressing the controls a
 * person would. */

#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include <gdk/x11/gdkx.h>

#include "gui-test-util.h"

NatterApplication *gui_test_app;

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Blocking iterations, as in the real main loop: idle sources (the fake
 * provider's) get their turn between frames. A 5 ms timer bounds each one. */
gboolean
gui_test_wait_until (gboolean (*cond) (gpointer),
                     gpointer   data,
                     guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint timer = g_timeout_add (5, wake_up, NULL);
  gboolean ok = TRUE;

  while (cond == NULL || !cond (data))
    {
      if (g_get_monotonic_time () > end)
        {
          ok = cond == NULL;
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (timer);
  return ok;
}

void
gui_test_spin (guint ms)
{
  gui_test_wait_until (NULL, NULL, ms);
}

void
gui_test_init (int    *argc,
               char ***argv)
{
  g_test_init (argc, argv, NULL);

  gui_test_app = natter_application_new ();
  g_application_set_flags (G_APPLICATION (gui_test_app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (gui_test_app), NULL, NULL));
  g_assert_null (natter_application_get_startup_error (gui_test_app));
}

int
gui_test_run (void)
{
  int ret = g_test_run ();

  g_clear_object (&gui_test_app);
  return ret;
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

NatterWindow *
gui_test_open_window (void)
{
  NatterWindow *window = natter_window_new (gui_test_app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gui_test_wait_until (is_mapped, window, 5000));
  gui_test_spin (100);
  return window;
}

void
gui_test_close_window (NatterWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_spin (50);
  g_assert_finalize_object (window);
}

void
gui_test_remove_all_profiles (void)
{
  NatterProfileStore *store = natter_application_get_profile_store (gui_test_app);

  while (g_list_model_get_n_items (G_LIST_MODEL (store)) > 0)
    {
      g_autoptr(NatterProfile) p = g_list_model_get_item (G_LIST_MODEL (store), 0);
      g_autoptr(GError) error = NULL;

      g_assert_true (natter_profile_store_remove (store, p, &error));
      g_assert_no_error (error);
    }
}

NatterProfile *
gui_test_add_profile (const char *name,
                      const char *provider,
                      const char *model)
{
  NatterProfileStore *store = natter_application_get_profile_store (gui_test_app);
  g_autoptr(NatterProfile) p = natter_profile_new (name, provider);
  g_autoptr(GError) error = NULL;

  natter_profile_set_model (p, model);
  g_assert_true (natter_profile_store_add (store, p, &error));
  g_assert_no_error (error);
  return p;
}

NatterFakeProvider *
gui_test_fake_with_profile (void)
{
  NatterProfileStore *store = natter_application_get_profile_store (gui_test_app);
  NatterFakeProvider *fake = natter_fake_provider_new ();
  g_autofree char *url = NULL;
  NatterProfile *profile;

  gui_test_remove_all_profiles ();
  profile = gui_test_add_profile ("Fake", "lmstudio", "fake-model");
  url = g_strdup_printf ("%s/v1", natter_fake_provider_get_url (fake));
  natter_profile_set_base_url (profile, url);
  g_assert_true (natter_profile_store_update (store, profile, NULL));
  g_assert_true (natter_profile_store_set_active (store, profile, NULL));
  return fake;
}

NatterFakeResponse *
gui_test_simple_reply (const char *chunk)
{
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");

  natter_fake_response_add_chunk (response, chunk, -1, 0);
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  return response;
}

NatterMessageItem *
gui_test_last_item (NatterWindow *window)
{
  return natter_message_model_get_last (natter_chat_view_get_model (natter_window_get_chat_view (window)));
}

guint
gui_test_n_messages (NatterWindow *window)
{
  return g_list_model_get_n_items (G_LIST_MODEL (natter_chat_view_get_model (natter_window_get_chat_view (window))));
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  if (NATTER_IS_MESSAGE_ROW (widget))
    {
      g_ptr_array_add (rows, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_rows (child, rows);
}

NatterMessageRow *
gui_test_find_row (NatterWindow      *window,
                   NatterMessageItem *item)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (GTK_WIDGET (natter_window_get_chat_view (window)), rows);
  for (guint i = 0; i < rows->len; i++)
    if (natter_message_row_get_item (rows->pdata[i]) == item)
      return rows->pdata[i];
  return NULL;
}

GtkWidget *
gui_test_find_actionable (GtkWidget  *root,
                          const char *action,
                          GVariant   *target)
{
  g_autoptr(GVariant) owned = target != NULL ? g_variant_ref_sink (target) : NULL;

  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    {
      GVariant *have = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root));

      if (owned == NULL || (have != NULL && g_variant_equal (have, owned)))
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gui_test_find_actionable (child, action, owned != NULL ? g_variant_ref (owned) : NULL);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
gui_test_click (GtkWidget  *root,
                const char *action,
                GVariant   *target)
{
  GtkWidget *button = gui_test_find_actionable (root, action, target);

  if (button == NULL)
    g_error ("No control for %s", action);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

typedef struct
{
  NatterWindow      *window;
  NatterMessageItem *item;
} RowWait;

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

static gboolean
row_shown (gpointer data)
{
  RowWait *w = data;
  return gui_test_find_row (w->window, w->item) != NULL;
}

NatterMessageRow *
gui_test_wait_for_row (NatterWindow      *window,
                       NatterMessageItem *item)
{
  RowWait w = { window, item };

  gui_test_wait_until (row_shown, &w, 10000);
  return gui_test_find_row (window, item);
}

void
gui_test_press_row_action (NatterWindow      *window,
                           NatterMessageItem *item,
                           const char        *action)
{
  NatterMessageRow *row;
  GtkWidget *button;

  row = gui_test_wait_for_row (window, item);
  g_assert_nonnull (row);
  /* The buttons show while the pointer is over the row. */
  natter_message_row_set_hovered (row, TRUE);
  gui_test_spin (20);
  button = natter_message_row_get_action_button (row, action);
  if (button != NULL)
    gui_test_wait_until (is_sensitive, button, 1000);
  if (button == NULL)
    g_error ("The row shows no %s button", action);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  gui_test_spin (20);
}

gboolean
gui_test_press_key (GtkWidget       *widget,
                    guint            keyval,
                    GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c))
        g_signal_emit_by_name (c, "key-pressed", keyval, 0, state, &handled);
    }
  gui_test_spin (20);
  return handled;
}

void
gui_test_type_and_send (NatterWindow *window,
                        const char   *text)
{
  NatterComposer *composer = natter_window_get_composer (window);

  natter_composer_set_text (composer, text);
  /* Enter, as slash commands also work while Send is disabled. */
  g_assert_true (gui_test_press_key (GTK_WIDGET (natter_composer_get_text_view (composer)), GDK_KEY_Return, 0));
}

/* A toast on its way out takes no clicks (nor does the button of one). */
static GtkWidget *
find_button_with_label (GtkWidget  *root,
                        const char *label)
{
  if (!gtk_widget_get_can_target (root))
    return NULL;
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_with_label (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  NatterWindow *window;
  const char   *label;
} ToastButton;

static gboolean
toast_button_shown (gpointer data)
{
  ToastButton *wanted = data;

  return find_button_with_label (GTK_WIDGET (natter_window_get_toast_overlay (wanted->window)),
                                 wanted->label) != NULL;
}

/* A toast may wait for the one before it to go: wait for it. */
void
gui_test_click_toast_button (NatterWindow *window,
                             const char   *label)
{
  ToastButton wanted = { window, label };
  GtkWidget *button;

  gui_test_wait_until (toast_button_shown, &wanted, 5000);
  button = find_button_with_label (GTK_WIDGET (natter_window_get_toast_overlay (window)), label);
  if (button == NULL)
    g_error ("No toast shows a “%s” button", label);
  g_signal_emit_by_name (button, "clicked");
  gui_test_spin (20);
}

static gboolean
is_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

void
gui_test_answer_dialog (AdwMessageDialog *dialog,
                        const char       *label)
{
  GtkWidget *button;

  g_assert_nonnull (dialog);
  button = find_button_with_label (GTK_WIDGET (dialog), label);
  if (button == NULL)
    g_error ("The dialog shows no “%s” button", label);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_object_ref (dialog);
  /* What a click on the button does. */
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (gui_test_wait_until (is_hidden, dialog, 5000));
  g_object_unref (dialog);
  gui_test_spin (20);
}

void
gui_test_click_chat (NatterWindow *window,
                     gint64        chat_id)
{
  GtkListView *list = natter_sidebar_get_chat_list (natter_window_get_sidebar (window));
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (list));
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterChatInfo) info = g_list_model_get_item (model, i);

      if (natter_chat_info_get_id (info) == chat_id)
        {
          /* What a click on a row of a single-click list does. */
          g_signal_emit_by_name (list, "activate", i);
          gui_test_spin (20);
          return;
        }
    }
  g_error ("The sidebar lists no chat %" G_GINT64_FORMAT, chat_id);
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *done)
{
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

void
gui_test_save_screenshot (GtkWidget  *widget,
                          const char *name)
{
  const char *dir = g_getenv ("NATTER_SCREENSHOT_DIR");
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;

  /* Mapped and laid out, then one frame drawn. */
  g_assert_true (gui_test_wait_until (is_mapped, widget, 5000));
  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
    gboolean done = FALSE;
    gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &done);

    gtk_widget_queue_draw (widget);
    gui_test_wait_until (is_true, &done, 2000);
    g_signal_handler_disconnect (clock, handler);
  }
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

/* Menu items are GtkModelButtons that carry their label, not their
 * action. */
static GtkWidget *
find_menu_item (GtkWidget  *root,
                const char *label)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (root), "text") != NULL && GTK_IS_ACTIONABLE (root))
    {
      g_autofree char *text = NULL;

      g_object_get (root, "text", &text, NULL);
      if (text != NULL && (g_str_equal (text, label) || (label[0] == '_' && g_str_equal (text, label + 1))))
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_item (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
gui_test_activate_menu_item (GtkPopover *popover,
                             const char *label)
{
  GtkWidget *item;

  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  item = find_menu_item (GTK_WIDGET (popover), label);
  if (item == NULL)
    g_error ("The menu has no item “%s”", label);
  g_assert_true (gtk_widget_is_sensitive (item));
  /* What a click on the item does. */
  g_signal_emit_by_name (item, "clicked");
  gui_test_spin (50);
}

void
gui_test_open_menu_item (GtkWidget  *menu_button,
                         const char *label)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (menu_button);

  /* What a click on the button does. */
  gtk_menu_button_popup (button);
  gui_test_spin (50);
  gui_test_activate_menu_item (gtk_menu_button_get_popover (button), label);
}

/* Real input through the X server (XTest), loaded at run time: the tests
 * run under Xvfb, which has no window manager and gives the keyboard to
 * the window under the pointer. */
static struct
{
  int     (*fake_key) (Display *, unsigned int, Bool, unsigned long);
  int     (*fake_motion) (Display *, int, int, int, unsigned long);
  int     (*sync) (Display *, Bool);
  KeyCode (*keycode) (Display *, KeySym);
  Bool    (*translate) (Display *, Window, Window, int, int, int *, int *, Window *);
  int     (*set_focus) (Display *, Window, int, unsigned long);
  int     (*fake_button) (Display *, unsigned int, Bool, unsigned long);
} x;

static Display *
x_display (void)
{
  if (x.fake_key == NULL)
    {
      void *xtst = dlopen ("libXtst.so.6", RTLD_NOW | RTLD_GLOBAL);
      void *x11 = dlopen ("libX11.so.6", RTLD_NOW | RTLD_GLOBAL);

      g_assert_nonnull (xtst);
      g_assert_nonnull (x11);
      x.fake_key = dlsym (xtst, "XTestFakeKeyEvent");
      x.fake_motion = dlsym (xtst, "XTestFakeMotionEvent");
      x.sync = dlsym (x11, "XSync");
      x.keycode = dlsym (x11, "XKeysymToKeycode");
      x.translate = dlsym (x11, "XTranslateCoordinates");
      x.set_focus = dlsym (x11, "XSetInputFocus");
      x.fake_button = dlsym (xtst, "XTestFakeButtonEvent");
      g_assert_nonnull (x.fake_button);
      g_assert_true (x.fake_key && x.fake_motion && x.sync && x.keycode && x.translate && x.set_focus);
    }
  g_assert_true (GDK_IS_X11_DISPLAY (gdk_display_get_default ()));
  return gdk_x11_display_get_xdisplay (gdk_display_get_default ());
}

void
gui_test_press_x_key (GtkWidget       *widget,
                      guint            keyval,
                      GdkModifierType  state)
{
  Display *dpy = x_display ();
  GtkNative *native = gtk_widget_get_native (widget);
  Window xid = gdk_x11_surface_get_xid (gtk_native_get_surface (native));
  KeyCode code = x.keycode (dpy, keyval);
  KeyCode control = x.keycode (dpy, GDK_KEY_Control_L);
  KeyCode shift = x.keycode (dpy, GDK_KEY_Shift_L);
  int root_x, root_y;
  Window child;

  g_assert_cmpuint (code, !=, 0);
  x.translate (dpy, xid, DefaultRootWindow (dpy), gtk_widget_get_width (GTK_WIDGET (native)) / 2,
               gtk_widget_get_height (GTK_WIDGET (native)) / 2, &root_x, &root_y, &child);
  x.fake_motion (dpy, -1, root_x, root_y, CurrentTime);
  x.sync (dpy, False);
  gui_test_spin (30);
  /* What a window manager does when the person clicks the window. */
  x.set_focus (dpy, xid, RevertToParent, CurrentTime);
  x.sync (dpy, False);
  gui_test_spin (50);
  if (state & GDK_CONTROL_MASK)
    x.fake_key (dpy, control, True, CurrentTime);
  if (state & GDK_SHIFT_MASK)
    x.fake_key (dpy, shift, True, CurrentTime);
  x.fake_key (dpy, code, True, CurrentTime);
  x.fake_key (dpy, code, False, CurrentTime);
  if (state & GDK_SHIFT_MASK)
    x.fake_key (dpy, shift, False, CurrentTime);
  if (state & GDK_CONTROL_MASK)
    x.fake_key (dpy, control, False, CurrentTime);
  x.sync (dpy, False);
  gui_test_spin (60);
}

/* Moves the pointer to the middle of @widget. */
static void
x_pointer_to (GtkWidget *widget)
{
  Display *dpy = x_display ();
  GtkNative *native = gtk_widget_get_native (widget);
  Window xid = gdk_x11_surface_get_xid (gtk_native_get_surface (native));
  double nx, ny, tx, ty;
  int root_x, root_y;
  Window child;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_translate_coordinates (widget, GTK_WIDGET (native), gtk_widget_get_width (widget) / 2.0,
                                                   gtk_widget_get_height (widget) / 2.0, &nx, &ny));
  gtk_native_get_surface_transform (native, &tx, &ty);
  x.translate (dpy, xid, DefaultRootWindow (dpy), (int) (nx + tx), (int) (ny + ty), &root_x, &root_y, &child);
  x.fake_motion (dpy, -1, root_x, root_y, CurrentTime);
  x.sync (dpy, False);
  gui_test_spin (30);
}

void
gui_test_x_click (GtkWidget *widget,
                  guint      button)
{
  Display *dpy = x_display ();

  x_pointer_to (widget);
  x.fake_button (dpy, button, True, CurrentTime);
  x.fake_button (dpy, button, False, CurrentTime);
  x.sync (dpy, False);
  gui_test_spin (60);
}

void
gui_test_x_type (GtkWidget  *widget,
                 const char *text)
{
  Display *dpy = x_display ();
  KeyCode shift = x.keycode (dpy, GDK_KEY_Shift_L);

  /* The keyboard to @widget's window first (see gui_test_press_x_key()). */
  gui_test_press_x_key (widget, GDK_KEY_Shift_L, 0);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint keyval = gdk_unicode_to_keyval (c);
      KeyCode code = x.keycode (dpy, keyval);
      gboolean shifted = g_unichar_isupper (c) || c == '_' || c == ':' || c == '~';

      g_assert_cmpuint (code, !=, 0);
      if (shifted)
        x.fake_key (dpy, shift, True, CurrentTime);
      x.fake_key (dpy, code, True, CurrentTime);
      x.fake_key (dpy, code, False, CurrentTime);
      if (shifted)
        x.fake_key (dpy, shift, False, CurrentTime);
      x.sync (dpy, False);
      gui_test_spin (5);
    }
  gui_test_spin (50);
}
