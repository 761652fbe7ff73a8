/* test-dialogs.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Drives the connection manager, the profile editor, the Request Inspector
 * and the preferences under Xvfb (see tests/test-gui.sh): a real profile
 * store on a SQLite file in NATTER_DATA_DIR, the private keyring of
 * test-gui.sh, and an in-process fake provider over loopback. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "gui-test-util.h"
#include "natter-application.h"
#include "natter-client.h"
#include "natter-connections-dialog-private.h"
#include "natter-fake-provider.h"
#include "natter-inspector-detail-private.h"
#include "natter-inspector-window-private.h"
#include "natter-model-chooser-private.h"
#include "natter-profile-row-private.h"
#include "natter-chat-store.h"
#include "natter-preferences-window.h"
#include "natter-profile-editor.h"
#include "natter-provider-chooser.h"
#include "natter-provider-features.h"
#include "natter-profile-editor-cloud.h"
#include "natter-test-cloud.h"
#include "natter-secrets.h"
#include "natter-usage-window.h"
#include "natter-usage-store.h"

#define TEST_KEY "sk-dialogs-test-0123456789abcdef"

static NatterApplication *app;
static NatterFakeProvider *fake;

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static gboolean
wait_until (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static NatterProfileStore *
store (void)
{
  return natter_application_get_profile_store (app);
}

static void
remove_all_profiles (void)
{
  while (g_list_model_get_n_items (G_LIST_MODEL (store ())) > 0)
    {
      g_autoptr(NatterProfile) p = g_list_model_get_item (G_LIST_MODEL (store ()), 0);

      natter_secrets_clear_all_sync (natter_profile_get_uuid (p), NULL, NULL);
      g_assert_true (natter_profile_store_remove (store (), p, NULL));
    }
}

/* The first toplevel of @type, or NULL. */
static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static NatterConnectionsDialog *current_dialog;

static void save_screenshot (GtkWidget  *widget,
                             const char *name);

static gboolean
no_editor (gpointer data)
{
  return natter_connections_dialog_get_editor (current_dialog) == NULL;
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

#define EDITOR_CHILD(e, name) child ((e), NATTER_TYPE_PROFILE_EDITOR, (name))

/* What a mouse click does, without the 250 ms press animation of
 * gtk_widget_activate(). */
static void
click (gpointer button)
{
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

static void
set_text (gpointer    editable,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

#define CHOOSER_CHILD(c, name) child ((c), NATTER_TYPE_PROVIDER_CHOOSER, (name))

/* The rows of the provider list a person sees (the filter applied). */
static GPtrArray *
shown_provider_rows (NatterProviderChooser *chooser)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (CHOOSER_CHILD (chooser, "list_box"));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_child_visible (row))
      g_ptr_array_add (rows, row);
  return rows;
}

static const char *
row_text (GtkWidget *row)
{
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (box)));
}

static char *
view_text (gpointer view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* A label showing @text somewhere below @widget (a toast's, say), or NULL. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What a wait for a text asks: @widget shows @text. */
typedef struct
{
  GtkWidget  *widget;
  const char *text;
} LabelWait;

/* The button's or label's label is the text. */
static gboolean
label_is (gpointer data)
{
  LabelWait *w = data;
  const char *have = GTK_IS_BUTTON (w->widget) ? gtk_button_get_label (GTK_BUTTON (w->widget))
                                               : gtk_label_get_label (GTK_LABEL (w->widget));

  return g_strcmp0 (have, w->text) == 0;
}

/* A label below the widget shows the text. */
static gboolean
label_shown (gpointer data)
{
  LabelWait *w = data;

  return find_label (w->widget, w->text) != NULL;
}

/* The text view holds the text. */
static gboolean
view_text_is (gpointer data)
{
  LabelWait *w = data;
  g_autofree char *have = view_text (w->widget);

  return g_strcmp0 (have, w->text) == 0;
}

/* The text view's text contains the text. */
static gboolean
view_text_has (gpointer data)
{
  LabelWait *w = data;
  g_autofree char *have = view_text (w->widget);

  return strstr (have, w->text) != NULL;
}

static gboolean
finished (NatterLogEntry *entry)
{
  NatterLogState state = natter_log_entry_get_state (entry);

  return state != NATTER_LOG_STATE_PENDING && state != NATTER_LOG_STATE_STREAMING;
}

static gboolean
entry_finished (gpointer entry)
{
  return finished (entry);
}

/* The inspector (the widget) lists first a finished request of the
 * connection named the text. */
static gboolean
newest_entry_finished (gpointer data)
{
  LabelWait *w = data;
  GListModel *listed = G_LIST_MODEL (natter_inspector_window_get_selection (NATTER_INSPECTOR_WINDOW (w->widget)));
  g_autoptr(NatterLogEntry) entry = g_list_model_get_n_items (listed) > 0 ? g_list_model_get_item (listed, 0) : NULL;

  return entry != NULL && g_strcmp0 (natter_log_entry_get_profile (entry), w->text) == 0 && finished (entry);
}

static gboolean
no_provider_shown (gpointer chooser)
{
  g_autoptr(GPtrArray) rows = shown_provider_rows (chooser);

  return rows->len == 0;
}

typedef struct
{
  NatterProviderChooser *chooser;
  guint                  n_all;
} FilterWait;

/* Fewer rows shown than before the search. */
static gboolean
list_filtered (gpointer data)
{
  FilterWait *w = data;
  g_autoptr(GPtrArray) rows = shown_provider_rows (w->chooser);

  return rows->len < w->n_all;
}

/* As a person does: opens the provider list, types the provider's name
 * into its search field and presses Enter. */
static void
select_provider (NatterProfileEditor *editor,
                 const char          *id)
{
  NatterProviderChooser *chooser = EDITOR_CHILD (editor, "provider_chooser");
  NatterProvider *provider = natter_catalog_lookup (natter_catalog_get_default (), id);
  FilterWait w = { chooser, 0 };

  g_assert_nonnull (provider);
  gtk_menu_button_popup (CHOOSER_CHILD (chooser, "button"));
  spin (20);
  {
    g_autoptr(GPtrArray) all = shown_provider_rows (chooser);

    w.n_all = all->len;
  }
  set_text (CHOOSER_CHILD (chooser, "search_entry"), natter_provider_get_name (provider));
  /* The search field waits a moment before it filters. */
  g_assert_true (wait_until (list_filtered, &w, 10000));
  g_signal_emit_by_name (CHOOSER_CHILD (chooser, "search_entry"), "activate");
  spin (20);
  g_assert_true (natter_provider_chooser_get_provider (chooser) == provider);
  g_assert_false (gtk_widget_get_visible (CHOOSER_CHILD (chooser, "popover")));
}

static NatterConnectionsDialog *
open_dialog (void)
{
  NatterConnectionsDialog *dialog = natter_connections_dialog_new (app);

  current_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
  spin (100);
  return dialog;
}

static void
close_window (gpointer window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_assert_finalize_object (window);
}

static char *
stored_key (NatterProfile *profile)
{
  g_autoptr(GError) error = NULL;
  char *key = natter_secrets_lookup_sync (natter_profile_get_uuid (profile),
                                          NATTER_SECRET_API_KEY, NULL, &error);

  g_assert_no_error (error);
  return key;
}

static gboolean
row_key_stored (gpointer row)
{
  return natter_profile_row_get_key_known (row) &&
         natter_profile_row_get_key_source (row) == NATTER_KEY_SOURCE_STORED;
}

static NatterProfileEditor *
new_editor (NatterConnectionsDialog *dialog)
{
  NatterProfileEditor *editor;

  click (child (dialog, NATTER_TYPE_CONNECTIONS_DIALOG, "new_button"));
  spin (50);
  editor = natter_connections_dialog_get_editor (current_dialog);
  g_assert_nonnull (editor);
  g_assert_null (natter_profile_editor_get_profile (editor));
  return editor;
}

/* Presses the row's Edit button. */
static void
edit_profile (NatterConnectionsDialog *dialog,
              NatterProfile           *profile)
{
  click (child (natter_connections_dialog_get_row (dialog, profile), NATTER_TYPE_PROFILE_ROW, "edit_button"));
}

static void
save (NatterProfileEditor *editor)
{
  click (EDITOR_CHILD (editor, "save_button"));
  spin (20);
}

/* Fills the form for a profile talking to the fake provider. */
static void
fill_work_form (NatterProfileEditor *editor)
{
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fake), "/v1", NULL);

  set_text (EDITOR_CHILD (editor, "name_row"), "Work");
  select_provider (editor, "openai");
  set_text (EDITOR_CHILD (editor, "model_row"), "gpt-test");
  set_text (EDITOR_CHILD (editor, "url_entry"), url);
  click (EDITOR_CHILD (editor, "set_key_button"));
  g_assert_true (gtk_widget_get_visible (EDITOR_CHILD (editor, "key_row")));
  set_text (EDITOR_CHILD (editor, "key_row"), TEST_KEY);
}

static NatterProfile *
create_work_profile (NatterConnectionsDialog *dialog)
{
  NatterProfileEditor *editor = new_editor (dialog);

  fill_work_form (editor);
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  return natter_profile_store_lookup (store (), "Work");
}

static void
test_create (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfile *profile;
  NatterProfileRow *row;
  g_autofree char *key = NULL;
  g_autofree char *url = NULL;

  remove_all_profiles ();
  dialog = open_dialog ();
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Connections");

  profile = create_work_profile (dialog);
  g_assert_nonnull (profile);
  url = g_strconcat (natter_fake_provider_get_url (fake), "/v1", NULL);
  g_assert_cmpstr (natter_profile_get_provider_id (profile), ==, "openai");
  g_assert_cmpstr (natter_profile_get_model (profile), ==, "gpt-test");
  g_assert_cmpstr (natter_profile_get_base_url (profile), ==, url);
  /* The first profile becomes the default. */
  g_assert_true (natter_profile_get_is_default (profile));

  key = stored_key (profile);
  g_assert_cmpstr (key, ==, TEST_KEY);

  row = natter_connections_dialog_get_row (dialog, profile);
  g_assert_nonnull (row);
  g_assert_true (wait_until (row_key_stored, row, 5000));
  g_assert_cmpstr (gtk_label_get_label (child (row, NATTER_TYPE_PROFILE_ROW, "key_label")), ==, "Key stored");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Work");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), url));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "gpt-test"));

  natter_secrets_free (g_steal_pointer (&key));
  close_window (dialog);
}

static void
test_validation (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfileEditor *editor;
  GtkLabel *name_error, *url_error;

  remove_all_profiles ();
  dialog = open_dialog ();
  g_assert_nonnull (create_work_profile (dialog));
  editor = new_editor (dialog);
  name_error = EDITOR_CHILD (editor, "name_error");
  url_error = EDITOR_CHILD (editor, "url_error");

  /* Empty name. */
  select_provider (editor, "openai");
  save (editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (name_error)));
  g_assert_nonnull (strstr (gtk_label_get_label (name_error), "name"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store ())), ==, 1);

  /* Duplicate name, case-insensitively. */
  set_text (EDITOR_CHILD (editor, "name_row"), "work");
  save (editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (name_error)));
  g_assert_nonnull (strstr (gtk_label_get_label (name_error), "already called"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store ())), ==, 1);

  /* Malformed URL; the key typed must not be stored either. */
  set_text (EDITOR_CHILD (editor, "name_row"), "Other");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (name_error)));
  set_text (EDITOR_CHILD (editor, "url_entry"), "not a url");
  set_text (EDITOR_CHILD (editor, "key_row"), "sk-should-never-be-stored");
  save (editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (url_error)));
  g_assert_nonnull (strstr (gtk_label_get_label (url_error), "not a url"));
  g_assert_null (natter_profile_store_lookup (store (), "Other"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store ())), ==, 1);

  /* A key over plain http to a public host is warned about, one to a
   * local server is not; neither stops saving. */
  set_text (EDITOR_CHILD (editor, "url_entry"), "http://api.example.com/v1");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (url_error)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (EDITOR_CHILD (editor, "url_warning"))));
  g_assert_nonnull (strstr (gtk_label_get_label (EDITOR_CHILD (editor, "url_warning")), "plain http://"));
  set_text (EDITOR_CHILD (editor, "url_entry"), "http://192.168.1.20:5001");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (EDITOR_CHILD (editor, "url_warning"))));
  set_text (EDITOR_CHILD (editor, "url_entry"), "https://api.example.com/v1");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (EDITOR_CHILD (editor, "url_warning"))));

  /* Fixed: it saves. */
  set_text (EDITOR_CHILD (editor, "url_entry"), "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (url_error)));
  set_text (EDITOR_CHILD (editor, "key_row"), "");
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  g_assert_nonnull (natter_profile_store_lookup (store (), "Other"));

  close_window (dialog);
}

static void
test_edit (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfileEditor *editor;
  NatterProfile *profile;
  NatterProfileRow *row;
  g_autofree char *key = NULL;

  remove_all_profiles ();
  dialog = open_dialog ();
  profile = create_work_profile (dialog);
  row = natter_connections_dialog_get_row (dialog, profile);

  click (child (row, NATTER_TYPE_PROFILE_ROW, "edit_button"));
  spin (50);
  editor = natter_connections_dialog_get_editor (current_dialog);
  g_assert_nonnull (editor);
  g_assert_true (natter_profile_editor_get_profile (editor) == profile);
  g_assert_cmpstr (gtk_editable_get_text (EDITOR_CHILD (editor, "name_row")), ==, "Work");
  g_assert_cmpstr (gtk_editable_get_text (EDITOR_CHILD (editor, "model_row")), ==, "gpt-test");
  /* The saved key is never put back into the form. */
  g_assert_cmpstr (gtk_editable_get_text (EDITOR_CHILD (editor, "key_row")), ==, "");
  g_assert_true (wait_until (label_is, &(LabelWait) { EDITOR_CHILD (editor, "set_key_button"), "Update API key" }, 10000));
  g_assert_cmpstr (gtk_button_get_label (EDITOR_CHILD (editor, "set_key_button")), ==, "Update API key");

  set_text (EDITOR_CHILD (editor, "name_row"), "Work Account");
  set_text (EDITOR_CHILD (editor, "model_row"), "gpt-other");
  set_text (EDITOR_CHILD (editor, "proxy_entry"), "http://127.0.0.1:3128");
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));

  g_assert_cmpstr (natter_profile_get_name (profile), ==, "Work Account");
  g_assert_cmpstr (natter_profile_get_model (profile), ==, "gpt-other");
  g_assert_cmpstr (natter_profile_get_proxy_url (profile), ==, "http://127.0.0.1:3128");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store ())), ==, 1);
  key = stored_key (profile);
  g_assert_cmpstr (key, ==, TEST_KEY);
  row = natter_connections_dialog_get_row (dialog, profile);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Work Account");

  /* Duplicate copies the settings and the key, under a new name. */
  click (child (row, NATTER_TYPE_PROFILE_ROW, "duplicate_button"));
  spin (50);
  {
    NatterProfile *copy = natter_profile_store_lookup (store (), "Work Account (copy)");
    g_autofree char *copy_key = NULL;
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    g_assert_nonnull (copy);
    g_assert_cmpstr (natter_profile_get_model (copy), ==, "gpt-other");
    g_assert_false (natter_profile_get_is_default (copy));
    while (copy_key == NULL && g_get_monotonic_time () < end)
      {
        spin (20);
        copy_key = stored_key (copy);
      }
    g_assert_cmpstr (copy_key, ==, TEST_KEY);
    natter_secrets_free (g_steal_pointer (&copy_key));

    /* Set as default moves the marker. */
    click (child (natter_connections_dialog_get_row (dialog, copy),
                                NATTER_TYPE_PROFILE_ROW, "default_button"));
    spin (20);
    g_assert_true (natter_profile_get_is_default (copy));
    g_assert_false (natter_profile_get_is_default (profile));
  }

  natter_secrets_free (g_steal_pointer (&key));

  /* A password typed into the proxy URL moves to the keyring; the profile
   * keeps the URL with the user name only. */
  row = natter_connections_dialog_get_row (dialog, profile);
  click (child (row, NATTER_TYPE_PROFILE_ROW, "edit_button"));
  spin (50);
  editor = natter_connections_dialog_get_editor (current_dialog);
  g_assert_nonnull (editor);
  set_text (EDITOR_CHILD (editor, "proxy_entry"), "http://bob:hunter22@127.0.0.1:3128");
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  g_assert_cmpstr (natter_profile_get_proxy_url (profile), ==, "http://bob@127.0.0.1:3128");
  {
    g_autoptr(GError) error = NULL;
    char *password = natter_secrets_lookup_sync (natter_profile_get_uuid (profile),
                                                 NATTER_SECRET_PROXY_PASSWORD, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (password, ==, "hunter22");
    natter_secrets_free (password);
  }

  close_window (dialog);
}

/* The prices of a connection as a second store reads them from the SQLite
 * file, not from the objects the form changed. */
static gboolean
prices_on_disk (const char *name,
                double     *in_price,
                double     *out_price,
                char      **settings)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterProfileStore) fresh = NULL;
  NatterProfile *profile;
  gboolean ok;

  fresh = natter_profile_store_new (natter_application_get_database (app), &error);
  g_assert_no_error (error);
  profile = natter_profile_store_lookup (fresh, name);
  g_assert_nonnull (profile);
  ok = natter_profile_get_prices (profile, in_price, out_price);
  if (settings != NULL)
    *settings = g_strdup (natter_profile_get_settings (profile));
  return ok;
}

static void
test_prices_form (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfileEditor *editor;
  NatterProfile *profile;
  NatterProfileRow *row;
  g_autoptr(NatterProfile) copy = NULL;
  g_autofree char *settings = NULL;
  GtkLabel *price_error;
  double in_price = 0, out_price = 0;

  remove_all_profiles ();
  dialog = open_dialog ();

  /* A new connection with prices; a non-number is refused inline and
   * nothing is saved. */
  editor = new_editor (dialog);
  fill_work_form (editor);
  price_error = EDITOR_CHILD (editor, "price_error");
  set_text (EDITOR_CHILD (editor, "input_price_entry"), "two dollars");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (price_error)));
  g_assert_nonnull (strstr (gtk_label_get_label (price_error), "two dollars"));
  save (editor);
  g_assert_nonnull (natter_connections_dialog_get_editor (current_dialog));
  g_assert_null (natter_profile_store_lookup (store (), "Work"));
  set_text (EDITOR_CHILD (editor, "input_price_entry"), "2.5");
  set_text (EDITOR_CHILD (editor, "output_price_entry"), "-3");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (price_error)));
  g_assert_nonnull (strstr (gtk_label_get_label (price_error), "output price"));
  save (editor);
  g_assert_null (natter_profile_store_lookup (store (), "Work"));
  /* A comma works as the decimal separator too. */
  set_text (EDITOR_CHILD (editor, "output_price_entry"), " 10,25 ");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (price_error)));
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  profile = natter_profile_store_lookup (store (), "Work");
  g_assert_nonnull (profile);
  g_assert_true (prices_on_disk ("Work", &in_price, &out_price, NULL));
  g_assert_cmpfloat (in_price, ==, 2.5);
  g_assert_cmpfloat (out_price, ==, 10.25);

  /* Sampling settings set elsewhere survive an edit of the prices. */
  copy = natter_profile_copy (profile);
  natter_profile_set_settings (copy, "{\"temperature\":0.3,\"input_price\":2.5,\"output_price\":10.25}");
  g_assert_true (natter_profile_store_update (store (), copy, NULL));

  row = natter_connections_dialog_get_row (dialog, profile);
  click (child (row, NATTER_TYPE_PROFILE_ROW, "edit_button"));
  spin (50);
  editor = natter_connections_dialog_get_editor (current_dialog);
  g_assert_nonnull (editor);
  g_assert_cmpstr (gtk_editable_get_text (EDITOR_CHILD (editor, "input_price_entry")), ==, "2.5");
  g_assert_cmpstr (gtk_editable_get_text (EDITOR_CHILD (editor, "output_price_entry")), ==, "10.25");
  set_text (EDITOR_CHILD (editor, "input_price_entry"), "0.15");
  gtk_widget_grab_focus (EDITOR_CHILD (editor, "output_price_entry"));
  spin (300);
  save_screenshot (GTK_WIDGET (dialog), "connection-prices.png");
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  g_assert_true (prices_on_disk ("Work", &in_price, &out_price, &settings));
  g_assert_cmpfloat (in_price, ==, 0.15);
  g_assert_cmpfloat (out_price, ==, 10.25);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *object;

    g_assert_true (json_parser_load_from_data (parser, settings, -1, NULL));
    object = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpfloat (json_object_get_double_member (object, "temperature"), ==, 0.3);
  }
  g_clear_pointer (&settings, g_free);

  /* Duplicate copies the prices. */
  row = natter_connections_dialog_get_row (dialog, profile);
  click (child (row, NATTER_TYPE_PROFILE_ROW, "duplicate_button"));
  spin (50);
  g_assert_true (prices_on_disk ("Work (copy)", &in_price, &out_price, NULL));
  g_assert_cmpfloat (in_price, ==, 0.15);
  g_assert_cmpfloat (out_price, ==, 10.25);

  /* Emptying a field removes that price; the cost is then unknown. */
  row = natter_connections_dialog_get_row (dialog, profile);
  click (child (row, NATTER_TYPE_PROFILE_ROW, "edit_button"));
  spin (50);
  editor = natter_connections_dialog_get_editor (current_dialog);
  set_text (EDITOR_CHILD (editor, "output_price_entry"), "");
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  g_assert_false (prices_on_disk ("Work", &in_price, &out_price, &settings));
  g_assert_cmpfloat (in_price, ==, 0.15);
  g_assert_cmpfloat (out_price, ==, -1);
  g_assert_null (strstr (settings, "output_price"));
  g_assert_nonnull (strstr (settings, "temperature"));

  close_window (dialog);
}

typedef struct
{
  NatterProfileEditor *editor;
} TestWait;

static gboolean
test_finished (gpointer data)
{
  const char *name = gtk_stack_get_visible_child_name (EDITOR_CHILD (data, "test_icon_stack"));

  return g_strcmp0 (name, "success") == 0 || g_strcmp0 (name, "error") == 0;
}

/* A toast shown in @root, or NULL. */
static GtkWidget *
find_toast_widget (GtkWidget *root)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (root), "AdwToastWidget"))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_toast_widget (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
connections_dialog_closed (gpointer data)
{
  return find_toplevel (NATTER_TYPE_CONNECTIONS_DIALOG) == NULL;
}

static void
test_connection_test (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfileEditor *editor;
  NatterProfile *profile;
  AdwActionRow *test_row;
  const NatterFakeRequest *request;
  guint n_before;

  remove_all_profiles ();
  natter_fake_provider_clear_routes (fake);
  natter_fake_provider_add_route (fake, "GET", "/v1/models",
    natter_fake_response_new_body (200, "application/json",
      "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-test\",\"object\":\"model\",\"created\":1,\"owned_by\":\"me\"},"
      "{\"id\":\"gpt-mini\",\"object\":\"model\",\"created\":1,\"owned_by\":\"me\"}]}"));
  natter_fake_provider_add_route (fake, "GET", "/v1/models",
    natter_fake_response_new_body (401, "application/json",
      "{\"error\":{\"message\":\"Incorrect API key provided: sk-dia****cdef.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));

  dialog = open_dialog ();
  profile = create_work_profile (dialog);
  edit_profile (dialog, profile);
  spin (50);
  editor = natter_connections_dialog_get_editor (current_dialog);
  g_assert_nonnull (editor);
  test_row = EDITOR_CHILD (editor, "test_row");

  n_before = natter_fake_provider_get_n_requests (fake);
  click (EDITOR_CHILD (editor, "test_button"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (EDITOR_CHILD (editor, "test_icon_stack")), ==, "running");
  g_assert_true (wait_until (test_finished, editor, 10000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (EDITOR_CHILD (editor, "test_icon_stack")), ==, "success");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (test_row)), ==, "Connection works");
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, n_before + 1);
  request = natter_fake_provider_get_request (fake, n_before);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, "Bearer " TEST_KEY);

  /* The second answer is a 401: categorized, with the provider's words. */
  click (EDITOR_CHILD (editor, "test_button"));
  g_assert_true (wait_until (test_finished, editor, 10000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (EDITOR_CHILD (editor, "test_icon_stack")), ==, "error");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (test_row)), ==, "Invalid API key");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (test_row), "Incorrect API key provided"));

  /* Fetch models: the list comes from the provider (the 401 repeats, so
   * route a fresh success first). */
  natter_fake_provider_clear_routes (fake);
  natter_fake_provider_add_route (fake, "GET", "/v1/models",
    natter_fake_response_new_body (200, "application/json",
      "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-test\",\"object\":\"model\",\"created\":1,\"owned_by\":\"me\"},"
      "{\"id\":\"gpt-mini\",\"object\":\"model\",\"created\":1,\"owned_by\":\"me\","
      "\"context_length\":128000,\"pricing\":{\"prompt\":\"0.00000015\",\"completion\":\"0.0000006\"},"
      "\"architecture\":{\"input_modalities\":[\"text\",\"image\"]},\"supported_parameters\":[\"tools\"]}]}"));
  click (EDITOR_CHILD (editor, "fetch_models_button"));
  spin (50);
  {
    NatterModelChooser *chooser = find_toplevel (NATTER_TYPE_MODEL_CHOOSER);

    g_assert_nonnull (chooser);
    while (natter_model_chooser_get_loading (chooser))
      spin (10);
    g_assert_cmpuint (natter_model_chooser_get_n_shown (chooser), ==, 2);
    natter_model_chooser_set_search (chooser, "MINI");
    g_assert_cmpuint (natter_model_chooser_get_n_shown (chooser), ==, 1);
    /* The row says the context and the prices, with icons for what the
     * model can do. */
    {
      GtkWidget *list = child (chooser, NATTER_TYPE_MODEL_CHOOSER, "list_box");
      gboolean found = FALSE;

      for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
        if (ADW_IS_ACTION_ROW (c) &&
            g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), "gpt-mini") == 0)
          {
            g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (c)), ==,
                             "128K context · $0.15 / $0.60 per million");
            found = TRUE;
          }
      g_assert_true (found);
    }
    natter_model_chooser_select (chooser, "gpt-mini");
    spin (50);
    g_assert_cmpstr (gtk_editable_get_text (EDITOR_CHILD (editor, "model_row")), ==, "gpt-mini");
  }

  /* Unreachable server. */
  set_text (EDITOR_CHILD (editor, "url_entry"), "http://127.0.0.1:9/v1");
  click (EDITOR_CHILD (editor, "test_button"));
  g_assert_true (wait_until (test_finished, editor, 15000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (EDITOR_CHILD (editor, "test_icon_stack")), ==, "error");
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (test_row)),
                            "Could not reach the server at http://127.0.0.1:9"));
  /* Said once, in the title; the subtitle gives the rest. */
  g_test_message ("subtitle: %s", adw_action_row_get_subtitle (test_row));
  g_assert_null (strstr (adw_action_row_get_subtitle (test_row), "Could not reach the server"));

  /* One Escape leaves the form without saving, though a toast shows
   * (“Saved “Work””). */
  g_assert_nonnull (find_toast_widget (GTK_WIDGET (dialog)));
  gui_test_press_x_key (GTK_WIDGET (dialog), GDK_KEY_Escape, 0);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (dialog, NATTER_TYPE_CONNECTIONS_DIALOG, "pages")), ==, "manager");
  g_assert_true (g_str_has_prefix (natter_profile_get_base_url (profile), natter_fake_provider_get_url (fake)));
  g_assert_cmpstr (natter_profile_get_model (profile), ==, "gpt-test");

  /* And one more closes the window, the toast still showing. */
  g_assert_nonnull (find_toast_widget (GTK_WIDGET (dialog)));
  g_object_ref (dialog);
  gui_test_press_x_key (GTK_WIDGET (dialog), GDK_KEY_Escape, 0);
  g_assert_true (wait_until (connections_dialog_closed, NULL, 5000));
  g_assert_finalize_object (dialog);
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
key_gone (gpointer data)
{
  return !natter_secrets_has_sync (data, NATTER_SECRET_API_KEY, NULL, NULL);
}

static void
test_delete (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfile *profile;
  AdwMessageDialog *confirm;
  g_autofree char *uuid = NULL;

  remove_all_profiles ();
  dialog = open_dialog ();
  profile = create_work_profile (dialog);
  uuid = g_strdup (natter_profile_get_uuid (profile));
  g_assert_true (natter_secrets_has_sync (uuid, NATTER_SECRET_API_KEY, NULL, NULL));

  /* Cancel keeps everything. */
  click (child (natter_connections_dialog_get_row (dialog, profile),
                              NATTER_TYPE_PROFILE_ROW, "delete_button"));
  g_assert_true (wait_until (message_dialog_shown, NULL, 5000));
  confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (confirm), "Work"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (confirm), "API key"));
  gui_test_answer_dialog (confirm, "_Cancel");
  g_assert_nonnull (natter_profile_store_lookup (store (), "Work"));
  g_assert_true (natter_secrets_has_sync (uuid, NATTER_SECRET_API_KEY, NULL, NULL));

  click (child (natter_connections_dialog_get_row (dialog, profile),
                              NATTER_TYPE_PROFILE_ROW, "delete_button"));
  g_assert_true (wait_until (message_dialog_shown, NULL, 5000));
  confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  gui_test_answer_dialog (confirm, "_Delete");
  g_assert_null (natter_profile_store_lookup (store (), "Work"));
  g_assert_true (wait_until (key_gone, uuid, 5000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (dialog, NATTER_TYPE_CONNECTIONS_DIALOG, "stack")), ==, "empty");

  close_window (dialog);
}

/* Runs natter-cli from the build tree on the app's database. */
static void
run_cli (const char * const *args)
{
  g_autofree char *cli = g_build_filename (g_getenv ("NATTER_BUILD_DIR"), "src", "cli", "natter-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("natter-cli failed: %s%s", out, err);
}

static gboolean
url_is (gpointer data)
{
  NatterProfile *profile = natter_profile_store_lookup (store (), "Work");

  return profile != NULL && g_strcmp0 (natter_profile_get_base_url (profile), data) == 0;
}

static gboolean
conflict_shown (gpointer data)
{
  return gtk_widget_get_visible (EDITOR_CHILD (data, "conflict_box"));
}

static void
count_changed (NatterProfileStore *store,
               gint64              id,
               guint              *n)
{
  (*n)++;
}

/* natter-cli changes a connection while the app runs: the store follows
 * (the client then sends to the new URL), and the open form says so and
 * asks before it would overwrite the newer change. */
static void
test_changed_elsewhere (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfileEditor *editor;
  NatterProfile *profile;
  g_autofree char *url2 = g_strconcat (natter_fake_provider_get_url (fake), "/v2", NULL);
  g_autofree char *url3 = g_strconcat (natter_fake_provider_get_url (fake), "/v3", NULL);
  g_autofree char *mine = g_strconcat (natter_fake_provider_get_url (fake), "/mine", NULL);
  guint n_changed = 0;
  gulong handler;

  remove_all_profiles ();
  dialog = open_dialog ();
  profile = create_work_profile (dialog);
  handler = g_signal_connect (store (), "changed", G_CALLBACK (count_changed), &n_changed);

  edit_profile (dialog, profile);
  spin (50);
  editor = natter_connections_dialog_get_editor (current_dialog);
  g_assert_false (gtk_widget_get_visible (EDITOR_CHILD (editor, "conflict_box")));
  set_text (EDITOR_CHILD (editor, "model_row"), "gpt-typed-in-form");

  run_cli ((const char *[]) { "profile", "update", "Work", "--url", url2, "--model", "gpt-from-cli", NULL });
  /* The store polls the database; no call from the test needed. */
  g_assert_true (wait_until (url_is, url2, 5000));
  g_assert_true (natter_profile_store_lookup (store (), "Work") == profile);
  g_assert_cmpstr (natter_profile_get_model (profile), ==, "gpt-from-cli");
  g_assert_cmpuint (n_changed, >=, 1);
  {
    g_autofree char *base = NULL;

    g_assert_true (natter_client_resolve (natter_application_get_client (app), profile,
                                          NULL, NULL, &base, NULL));
    g_assert_cmpstr (base, ==, url2);
  }

  /* The form says so; Save does not overwrite without asking. */
  g_assert_true (wait_until (conflict_shown, editor, 2000));
  save (editor);
  g_assert_true (natter_connections_dialog_get_editor (current_dialog) == editor);
  g_assert_cmpstr (natter_profile_get_model (profile), ==, "gpt-from-cli");
  g_assert_cmpstr (natter_profile_get_base_url (profile), ==, url2);

  /* Reload shows the new values. */
  click (EDITOR_CHILD (editor, "reload_button"));
  g_assert_false (gtk_widget_get_visible (EDITOR_CHILD (editor, "conflict_box")));
  g_assert_cmpstr (gtk_editable_get_text (EDITOR_CHILD (editor, "url_entry")), ==, url2);
  g_assert_cmpstr (gtk_editable_get_text (EDITOR_CHILD (editor, "model_row")), ==, "gpt-from-cli");

  /* Another change; this time keep the form's values. */
  set_text (EDITOR_CHILD (editor, "url_entry"), mine);
  run_cli ((const char *[]) { "profile", "update", "Work", "--url", url3, NULL });
  g_assert_true (wait_until (url_is, url3, 5000));
  g_assert_true (wait_until (conflict_shown, editor, 2000));
  click (EDITOR_CHILD (editor, "keep_mine_button"));
  g_assert_false (gtk_widget_get_visible (EDITOR_CHILD (editor, "conflict_box")));
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  g_assert_cmpstr (natter_profile_get_base_url (profile), ==, mine);

  /* Deleted with natter-cli while the form is open: the form says so and
   * Save does not bring it back. */
  edit_profile (dialog, profile);
  spin (50);
  editor = natter_connections_dialog_get_editor (current_dialog);
  g_assert_nonnull (editor);
  run_cli ((const char *[]) { "profile", "delete", "Work", NULL });
  g_assert_true (wait_until (conflict_shown, editor, 5000));
  g_assert_null (natter_profile_store_lookup (store (), "Work"));
  g_assert_false (gtk_widget_get_visible (EDITOR_CHILD (editor, "reload_button")));
  g_assert_nonnull (strstr (gtk_label_get_label (EDITOR_CHILD (editor, "conflict_label")), "deleted"));
  save (editor);
  g_assert_true (natter_connections_dialog_get_editor (current_dialog) == editor);
  g_assert_null (natter_profile_store_lookup (store (), "Work"));
  click (EDITOR_CHILD (editor, "cancel_button"));
  g_assert_true (wait_until (no_editor, NULL, 1000));

  g_signal_handler_disconnect (store (), handler);
  close_window (dialog);
}

static void
select_instruct (NatterProfileEditor *editor,
                 const char          *name)
{
  AdwComboRow *row = EDITOR_CHILD (editor, "instruct_row");
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), name))
      {
        adw_combo_row_set_selected (row, i);
        return;
      }
  g_assert_not_reached ();
}

/* A text-completion connection: the form shows the template the model
 * name picks, and the person can choose another, saved with it. */
static void
test_instruct_template (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfileEditor *editor;
  NatterProfile *profile;
  AdwComboRow *row;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *settings;

  remove_all_profiles ();
  dialog = open_dialog ();
  editor = new_editor (dialog);
  row = EDITOR_CHILD (editor, "instruct_row");
  set_text (EDITOR_CHILD (editor, "name_row"), "Tabby");
  select_provider (editor, "openai");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row)));
  select_provider (editor, "tabbyapi");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  set_text (EDITOR_CHILD (editor, "model_row"), "Meta-Llama-3.1-8B-Instruct");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Llama 3 Instruct"));
  select_instruct (editor, "Mistral");
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));

  profile = natter_profile_store_lookup (store (), "Tabby");
  g_assert_nonnull (profile);
  g_assert_true (json_parser_load_from_data (parser, natter_profile_get_settings (profile), -1, NULL));
  settings = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (settings, "instruct_template"), ==, "Mistral");

  /* Opened again: the choice is shown; Automatic removes it. */
  edit_profile (dialog, profile);
  spin (50);
  editor = natter_connections_dialog_get_editor (current_dialog);
  row = EDITOR_CHILD (editor, "instruct_row");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (row)),
                                               adw_combo_row_get_selected (row)), ==, "Mistral");
  adw_combo_row_set_selected (row, 0);
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  g_assert_null (strstr (natter_profile_get_settings (profile), "instruct_template"));

  close_window (dialog);
}

static gboolean
search_settled (gpointer data)
{
  g_autoptr(GPtrArray) rows = shown_provider_rows (data);

  return rows->len < 5;
}

/* About thirty providers: the list has a search field and shows whole
 * names. */
static void
test_provider_search (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfileEditor *editor;
  NatterProviderChooser *chooser;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GListModel *providers = natter_catalog_get_providers (natter_catalog_get_default ());

  remove_all_profiles ();
  dialog = open_dialog ();
  editor = new_editor (dialog);
  chooser = EDITOR_CHILD (editor, "provider_chooser");

  /* The toggle button inside the menu button is what a click presses. */
  click (gtk_widget_get_first_child (CHOOSER_CHILD (chooser, "button")));
  spin (50);
  g_assert_true (gtk_widget_get_visible (CHOOSER_CHILD (chooser, "popover")));
  g_assert_true (gtk_widget_has_focus (CHOOSER_CHILD (chooser, "search_entry")) ||
                 gtk_widget_is_focus (CHOOSER_CHILD (chooser, "search_entry")) ||
                 gtk_widget_get_focus_child (CHOOSER_CHILD (chooser, "search_entry")) != NULL);
  all = shown_provider_rows (chooser);
  g_assert_cmpuint (all->len, ==, g_list_model_get_n_items (providers));
  for (guint i = 0; i < all->len; i++)
    {
      g_autoptr(NatterProvider) provider = g_list_model_get_item (providers, i);
      GtkLabel *label = GTK_LABEL (gtk_widget_get_first_child (gtk_list_box_row_get_child (all->pdata[i])));

      /* The whole name, never ellipsized. */
      g_assert_cmpstr (gtk_label_get_label (label), ==, natter_provider_get_name (provider));
      g_assert_cmpint (gtk_label_get_ellipsize (label), ==, PANGO_ELLIPSIZE_NONE);
    }

  /* Typing filters by name or id. */
  set_text (CHOOSER_CHILD (chooser, "search_entry"), "compatible");
  g_assert_true (wait_until (search_settled, chooser, 2000));
  found = shown_provider_rows (chooser);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (row_text (found->pdata[0]), ==, "Custom (OpenAI-compatible)");
  g_clear_pointer (&found, g_ptr_array_unref);
  set_text (CHOOSER_CHILD (chooser, "search_entry"), "o");
  spin (400);
  save_screenshot (CHOOSER_CHILD (chooser, "popover"), "provider-list.png");

  set_text (CHOOSER_CHILD (chooser, "search_entry"), "no such provider");
  g_assert_true (wait_until (no_provider_shown, chooser, 10000));
  found = shown_provider_rows (chooser);
  g_assert_cmpuint (found->len, ==, 0);
  g_assert_true (gtk_widget_get_visible (CHOOSER_CHILD (chooser, "no_match_label")));
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Choosing a row takes it and closes the list; the button shows it. */
  set_text (CHOOSER_CHILD (chooser, "search_entry"), "ollama");
  g_assert_true (wait_until (search_settled, chooser, 2000));
  found = shown_provider_rows (chooser);
  g_assert_cmpuint (found->len, >=, 1);
  g_signal_emit_by_name (found->pdata[0], "activate");
  spin (50);
  g_assert_cmpstr (natter_provider_get_id (natter_provider_chooser_get_provider (chooser)), ==, "ollama");
  g_assert_false (gtk_widget_get_visible (CHOOSER_CHILD (chooser, "popover")));
  g_assert_cmpstr (gtk_label_get_label (CHOOSER_CHILD (chooser, "button_label")), ==, "Ollama");
  g_assert_cmpstr (gtk_entry_get_placeholder_text (EDITOR_CHILD (editor, "url_entry")), ==,
                   natter_provider_get_default_url (natter_provider_chooser_get_provider (chooser)));
  gtk_widget_grab_focus (EDITOR_CHILD (editor, "name_row"));
  spin (300);
  save_screenshot (GTK_WIDGET (dialog), "connection-form.png");

  close_window (dialog);
}

/* A connection without a key: the question does not speak of one. */
static void
test_delete_without_key (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfileEditor *editor;
  NatterProfile *profile;
  AdwMessageDialog *confirm;

  remove_all_profiles ();
  dialog = open_dialog ();
  editor = new_editor (dialog);
  set_text (EDITOR_CHILD (editor, "name_row"), "Local");
  select_provider (editor, "llamacpp");
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  profile = natter_profile_store_lookup (store (), "Local");
  g_assert_nonnull (profile);

  click (child (natter_connections_dialog_get_row (dialog, profile),
                NATTER_TYPE_PROFILE_ROW, "delete_button"));
  g_assert_true (wait_until (message_dialog_shown, NULL, 5000));
  confirm = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (confirm), "Local"));
  g_assert_null (strstr (adw_message_dialog_get_body (confirm), "key"));
  gui_test_answer_dialog (confirm, "_Delete");
  g_assert_null (natter_profile_store_lookup (store (), "Local"));
  close_window (dialog);
}

static gboolean
chooser_loaded (gpointer data)
{
  NatterModelChooser *chooser = find_toplevel (NATTER_TYPE_MODEL_CHOOSER);

  return chooser != NULL && !natter_model_chooser_get_loading (chooser);
}

static gboolean
key_state_known (gpointer data)
{
  const char *subtitle = adw_action_row_get_subtitle (EDITOR_CHILD (data, "key_state_row"));

  return subtitle != NULL && *subtitle != '\0';
}

/* Test and Fetch models use what the form holds: a key typed and not
 * saved yet is sent; a provider that needs a key and has none says so,
 * and a Custom connection without its URL says what is missing. */
static void
test_form_key_and_url (void)
{
  static const char models_body[] =
    "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-test\",\"object\":\"model\",\"created\":1,\"owned_by\":\"me\"}]}";
  NatterConnectionsDialog *dialog;
  NatterProfileEditor *editor;
  NatterProfile *profile;
  AdwActionRow *test_row;
  const NatterFakeRequest *request;
  guint n_before;

  remove_all_profiles ();
  natter_fake_provider_clear_routes (fake);
  for (guint i = 0; i < 3; i++)
    natter_fake_provider_add_route (fake, "GET", "/v1/models",
                                    natter_fake_response_new_body (200, "application/json", models_body));

  dialog = open_dialog ();
  profile = create_work_profile (dialog);
  edit_profile (dialog, profile);
  spin (50);
  editor = natter_connections_dialog_get_editor (current_dialog);
  test_row = EDITOR_CHILD (editor, "test_row");

  /* A new key typed over the stored one, not saved: Test sends it. */
  click (EDITOR_CHILD (editor, "set_key_button"));
  set_text (EDITOR_CHILD (editor, "key_row"), "sk-typed-not-saved");
  n_before = natter_fake_provider_get_n_requests (fake);
  click (EDITOR_CHILD (editor, "test_button"));
  g_assert_true (wait_until (test_finished, editor, 10000));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (test_row)), ==, "Connection works");
  request = natter_fake_provider_get_request (fake, n_before);
  g_assert_nonnull (request);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                   "Bearer sk-typed-not-saved");

  /* Fetch models too. */
  n_before = natter_fake_provider_get_n_requests (fake);
  click (EDITOR_CHILD (editor, "fetch_models_button"));
  g_assert_true (wait_until (chooser_loaded, NULL, 10000));
  request = natter_fake_provider_get_request (fake, n_before);
  g_assert_nonnull (request);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                   "Bearer sk-typed-not-saved");
  close_window (find_toplevel (NATTER_TYPE_MODEL_CHOOSER));
  /* Nothing was saved: the stored key is still the old one. */
  {
    g_autofree char *key = stored_key (profile);

    g_assert_cmpstr (key, ==, TEST_KEY);
  }
  click (EDITOR_CHILD (editor, "cancel_button"));
  g_assert_true (wait_until (no_editor, NULL, 1000));

  /* A new OpenAI connection with no key anywhere: Test says so and sends
   * nothing. */
  editor = new_editor (dialog);
  test_row = EDITOR_CHILD (editor, "test_row");
  set_text (EDITOR_CHILD (editor, "name_row"), "Keyless");
  select_provider (editor, "openai");
  {
    g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fake), "/v1", NULL);

    set_text (EDITOR_CHILD (editor, "url_entry"), url);
  }
  g_assert_true (wait_until (key_state_known, editor, 5000));
  n_before = natter_fake_provider_get_n_requests (fake);
  click (EDITOR_CHILD (editor, "test_button"));
  spin (50);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (EDITOR_CHILD (editor, "test_icon_stack")), ==, "error");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (test_row), "needs an API key"));
  g_assert_true (gtk_widget_get_visible (EDITOR_CHILD (editor, "key_error")));
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, n_before);

  /* Custom without a URL: Test and Fetch say the address is missing. */
  select_provider (editor, "custom");
  set_text (EDITOR_CHILD (editor, "url_entry"), "");
  click (EDITOR_CHILD (editor, "test_button"));
  spin (50);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (test_row), "needs the address of its server"));
  g_assert_true (gtk_widget_get_visible (EDITOR_CHILD (editor, "url_error")));
  gtk_label_set_label (EDITOR_CHILD (editor, "url_error"), "");
  click (EDITOR_CHILD (editor, "fetch_models_button"));
  spin (50);
  g_assert_null (find_toplevel (NATTER_TYPE_MODEL_CHOOSER));
  g_assert_nonnull (strstr (gtk_label_get_label (EDITOR_CHILD (editor, "url_error")), "needs the address"));
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, n_before);

  close_window (dialog);
}

static void
save_screenshot (GtkWidget  *widget,
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

typedef struct
{
  gboolean          done;
  NatterChatResult *result;
  GError           *error;
  gint64            entry_id;
} ChatRun;

static void
chat_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ChatRun *run = user_data;

  run->result = natter_client_chat_finish (NATTER_CLIENT (object), result, &run->entry_id, &run->error);
  run->done = TRUE;
}

static gboolean
run_done (gpointer data)
{
  return ((ChatRun *)data)->done;
}

#define DETAIL_CHILD(d, name) child ((d), NATTER_TYPE_INSPECTOR_DETAIL, (name))

static void
test_inspector (void)
{
  NatterConnectionsDialog *dialog;
  NatterInspectorWindow *inspector;
  NatterInspectorDetail *detail;
  NatterProfile *profile;
  g_autoptr(NatterClient) client = NULL;
  g_autoptr(NatterFakeResponse) response = NULL;
  NatterPrompt *prompt;
  NatterLogEntry *entry;
  ChatRun run = { 0 };
  g_autofree char *headers = NULL;
  g_autofree char *body = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  g_autofree char *curl = NULL;
  guint n_before;

  remove_all_profiles ();
  dialog = open_dialog ();
  profile = create_work_profile (dialog);
  close_window (dialog);

  inspector = natter_inspector_window_new (app);
  gtk_window_present (GTK_WINDOW (inspector));
  spin (100);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (inspector)), ==, "Request Inspector");
  n_before = g_list_model_get_n_items (G_LIST_MODEL (natter_inspector_window_get_selection (inspector)));
  detail = natter_inspector_window_get_detail (inspector);

  /* A streamed reply, held at a gate so the inspector shows it live. */
  natter_fake_provider_clear_routes (fake);
  response = natter_fake_response_new (200, "text/event-stream");
  natter_fake_response_add_chunk (response,
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n", -1, 0);
  natter_fake_response_add_gate (response);
  natter_fake_response_add_chunk (response,
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"},\"finish_reason\":\"stop\"}]}\n\n", -1, 0);
  natter_fake_response_add_chunk (response,
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}}\n\n", -1, 0);
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", natter_fake_response_ref (response));

  client = g_object_ref (natter_application_get_client (app));
  prompt = natter_prompt_new ();
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Hi there");
  natter_client_chat_async (client, profile, prompt, NULL, NULL, NULL, NULL, chat_cb, &run);
  natter_prompt_free (prompt);

  /* Live: the new entry is listed and selected while it streams. */
  {
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (g_get_monotonic_time () < end)
      {
        GListModel *listed = G_LIST_MODEL (natter_inspector_window_get_selection (inspector));
        g_autoptr(NatterLogEntry) e = NULL;

        spin (10);
        if (g_list_model_get_n_items (listed) == n_before + 1)
          e = g_list_model_get_item (listed, 0);
        if (e != NULL && strstr (natter_log_entry_get_text (e), "Hello") != NULL)
          break;
      }
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (natter_inspector_window_get_selection (inspector))), ==, n_before + 1);
  gtk_single_selection_set_selected (natter_inspector_window_get_selection (inspector), 0);
  entry = gtk_single_selection_get_selected_item (natter_inspector_window_get_selection (inspector));
  g_assert_nonnull (entry);
  g_assert_true (natter_inspector_detail_get_entry (detail) == entry);
  g_assert_cmpint (natter_log_entry_get_state (entry), ==, NATTER_LOG_STATE_STREAMING);
  g_assert_true (wait_until (view_text_is, &(LabelWait) { DETAIL_CHILD (detail, "text_view"), "Hello" }, 10000));
  text = view_text (DETAIL_CHILD (detail, "text_view"));
  g_assert_cmpstr (text, ==, "Hello");
  g_clear_pointer (&text, g_free);

  natter_fake_provider_open_gate (fake);
  g_assert_true (wait_until (run_done, &run, 10000));
  g_assert_no_error (run.error);
  g_assert_true (wait_until (entry_finished, entry, 10000));
  /* The detail shows the whole answer. */
  g_assert_true (wait_until (view_text_has, &(LabelWait) { DETAIL_CHILD (detail, "raw_view"), "data: [DONE]" }, 10000));
  g_assert_true (wait_until (view_text_is, &(LabelWait) { DETAIL_CHILD (detail, "text_view"), "Hello there" }, 10000));

  g_assert_cmpint (natter_log_entry_get_state (entry), ==, NATTER_LOG_STATE_DONE);
  headers = view_text (DETAIL_CHILD (detail, "request_headers_view"));
  g_assert_nonnull (strstr (headers, "Authorization: Bearer REDACTED"));
  g_assert_null (strstr (headers, TEST_KEY));
  body = view_text (DETAIL_CHILD (detail, "request_body_view"));
  g_assert_nonnull (strstr (body, "\"Hi there\""));
  g_assert_nonnull (strstr (body, "\n  \"")); /* pretty-printed */
  raw = view_text (DETAIL_CHILD (detail, "raw_view"));
  g_assert_nonnull (strstr (raw, "data: [DONE]"));
  text = view_text (DETAIL_CHILD (detail, "text_view"));
  g_assert_cmpstr (text, ==, "Hello there");
  g_assert_cmpstr (gtk_label_get_label (DETAIL_CHILD (detail, "output_tokens_label")), ==, "2");
  g_assert_cmpstr (gtk_label_get_label (DETAIL_CHILD (detail, "input_tokens_label")), ==, "7");
  g_assert_cmpstr (gtk_label_get_label (DETAIL_CHILD (detail, "cost_label")), ==, "—");
  g_assert_cmpstr (adw_action_row_get_subtitle (DETAIL_CHILD (detail, "cost_row")), ==,
                   "Set prices in the connection's settings");

  /* Prices set for the connection: the cost of this exchange, 7 input and
   * 2 output tokens, at $2.50 and $10 per million tokens. */
  {
    g_autoptr(NatterProfile) priced = natter_profile_copy (profile);
    g_autofree char *expected = NULL;

    expected = g_strdup_printf ("$%.7f", (7 * 2.5 + 2 * 10.0) / 1000000.0);
    g_assert_cmpstr (expected, ==, "$0.0000375");
    natter_profile_set_prices (priced, 2.5, 10);
    g_assert_true (natter_profile_store_update (store (), priced, NULL));
    g_assert_true (wait_until (label_is, &(LabelWait) { DETAIL_CHILD (detail, "cost_label"), expected }, 10000));
    g_assert_cmpstr (gtk_label_get_label (DETAIL_CHILD (detail, "cost_label")), ==, expected);
    g_assert_cmpstr (adw_action_row_get_subtitle (DETAIL_CHILD (detail, "cost_row")), ==,
                     "At the prices set for Work");
  }
  g_assert_nonnull (strstr (gtk_label_get_label (DETAIL_CHILD (detail, "status_label")), "200"));

  curl = natter_inspector_build_curl (entry);
  g_assert_nonnull (strstr (curl, "-H \"Authorization: Bearer ${API_KEY}\""));
  g_assert_nonnull (strstr (curl, "/v1/chat/completions\""));
  g_assert_nonnull (strstr (curl, "--data-raw '"));
  g_assert_null (strstr (curl, TEST_KEY));
  g_assert_null (strstr (curl, "REDACTED"));

  /* "Copy as curl" says it copied. */
  g_assert_null (find_label (GTK_WIDGET (inspector), "Copied as a curl command"));
  click (DETAIL_CHILD (detail, "copy_curl_button"));
  g_assert_true (wait_until (label_shown, &(LabelWait) { GTK_WIDGET (inspector), "Copied as a curl command" }, 10000));
  g_assert_nonnull (find_label (GTK_WIDGET (inspector), "Copied as a curl command"));

  adw_view_stack_set_visible_child_name (DETAIL_CHILD (detail, "view_stack"), "request");
  gtk_window_set_default_size (GTK_WINDOW (inspector), 1100, 720);
  spin (400);
  save_screenshot (GTK_WIDGET (inspector), "inspector.png");

  g_clear_pointer (&run.result, natter_chat_result_free);
  close_window (inspector);
}

static void
test_cost_format (void)
{
  static const struct { double dollars; const char *text; } cases[] = {
    { 0, "$0" },
    { 0.0042, "$0.0042" },
    { 0.0000375, "$0.0000375" },
    { 0.000012345678, "$0.00001235" },
    { 0.123456, "$0.1235" },
    { 0.5, "$0.5" },
    { 0.99999, "$1" },
    { 1, "$1.00" },
    { 1.5, "$1.50" },
    { 1234.567, "$1234.57" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = natter_inspector_format_cost (cases[i].dollars);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_inspector_failed (void)
{
  NatterInspectorWindow *inspector;
  NatterInspectorDetail *detail;
  NatterProfile *profile;
  g_autoptr(NatterProfile) added = NULL;
  g_autoptr(NatterClient) client = NULL;
  g_autofree char *url = NULL;
  g_autofree char *raw = NULL;
  NatterPrompt *prompt;
  ChatRun run = { 0 };
  GtkLabel *error_label;

  remove_all_profiles ();
  added = natter_profile_new ("Broken", "openai");
  url = g_strconcat (natter_fake_provider_get_url (fake), "/v1", NULL);
  natter_profile_set_base_url (added, url);
  natter_profile_set_model (added, "no-such-model");
  g_assert_true (natter_profile_store_add (store (), added, NULL));
  profile = added;

  natter_fake_provider_clear_routes (fake);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions",
    natter_fake_response_new_body (404, "application/json",
      "{\"error\":{\"message\":\"The model `no-such-model` does not exist\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}"));

  inspector = natter_inspector_window_new (app);
  gtk_window_present (GTK_WINDOW (inspector));
  detail = natter_inspector_window_get_detail (inspector);

  g_assert_true (natter_secrets_store_sync (natter_profile_get_uuid (profile), NATTER_SECRET_API_KEY,
                                            "Broken", TEST_KEY, NULL, NULL));
  client = g_object_ref (natter_application_get_client (app));
  prompt = natter_prompt_new ();
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Anyone there?");
  natter_client_chat_async (client, profile, prompt, NULL, NULL, NULL, NULL, chat_cb, &run);
  natter_prompt_free (prompt);
  g_assert_true (wait_until (run_done, &run, 10000));
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NOT_FOUND);
  g_assert_true (wait_until (newest_entry_finished, &(LabelWait) { GTK_WIDGET (inspector), "Broken" }, 10000));

  gtk_single_selection_set_selected (natter_inspector_window_get_selection (inspector), 0);
  spin (50);
  g_assert_cmpstr (natter_log_entry_get_profile (natter_inspector_detail_get_entry (detail)), ==, "Broken");
  error_label = DETAIL_CHILD (detail, "error_label");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_nonnull (strstr (gtk_label_get_label (error_label), "does not exist"));
  g_assert_nonnull (strstr (gtk_label_get_label (DETAIL_CHILD (detail, "status_label")), "404"));
  /* What was sent and what came back are both there. */
  raw = view_text (DETAIL_CHILD (detail, "raw_view"));
  g_assert_nonnull (strstr (raw, "model_not_found"));
  g_free (raw);
  raw = view_text (DETAIL_CHILD (detail, "request_body_view"));
  g_assert_nonnull (strstr (raw, "Anyone there?"));

  g_clear_error (&run.error);
  close_window (inspector);
}

static gboolean
entry_streaming (gpointer data)
{
  GListModel *listed = data;
  g_autoptr(NatterLogEntry) e = g_list_model_get_n_items (listed) ? g_list_model_get_item (listed, 0) : NULL;

  return e != NULL && natter_log_entry_get_state (e) == NATTER_LOG_STATE_STREAMING &&
         strstr (natter_log_entry_get_text (e), "Partial") != NULL;
}

static void
test_inspector_cancelled (void)
{
  NatterInspectorWindow *inspector;
  NatterInspectorDetail *detail;
  g_autoptr(NatterProfile) profile = NULL;
  g_autoptr(NatterFakeResponse) response = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;
  NatterPrompt *prompt;
  ChatRun run = { 0 };
  GtkLabel *error_label;

  remove_all_profiles ();
  profile = natter_profile_new ("Slow", "openai");
  url = g_strconcat (natter_fake_provider_get_url (fake), "/v1", NULL);
  natter_profile_set_base_url (profile, url);
  natter_profile_set_model (profile, "gpt-slow");
  g_assert_true (natter_profile_store_add (store (), profile, NULL));
  g_assert_true (natter_secrets_store_sync (natter_profile_get_uuid (profile), NATTER_SECRET_API_KEY,
                                            "Slow", TEST_KEY, NULL, NULL));

  /* One token, then the server stalls until the request is cancelled. */
  natter_fake_provider_clear_routes (fake);
  response = natter_fake_response_new (200, "text/event-stream");
  natter_fake_response_add_chunk (response,
    "data: {\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-slow\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Partial\"},\"finish_reason\":null}]}\n\n", -1, 0);
  natter_fake_response_set_stall_after (response, 1);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", natter_fake_response_ref (response));

  inspector = natter_inspector_window_new (app);
  gtk_window_present (GTK_WINDOW (inspector));
  detail = natter_inspector_window_get_detail (inspector);

  prompt = natter_prompt_new ();
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Tell me a long story");
  natter_client_chat_async (natter_application_get_client (app), profile, prompt, NULL, NULL, NULL,
                            cancellable, chat_cb, &run);
  natter_prompt_free (prompt);
  g_assert_true (wait_until (entry_streaming, natter_inspector_window_get_selection (inspector), 10000));
  g_cancellable_cancel (cancellable);
  g_assert_true (wait_until (run_done, &run, 10000));
  g_assert_error (run.error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED);
  g_assert_true (wait_until (newest_entry_finished, &(LabelWait) { GTK_WIDGET (inspector), "Slow" }, 10000));

  gtk_single_selection_set_selected (natter_inspector_window_get_selection (inspector), 0);
  spin (50);
  g_assert_cmpstr (natter_log_entry_get_profile (natter_inspector_detail_get_entry (detail)), ==, "Slow");
  g_assert_nonnull (strstr (gtk_label_get_label (DETAIL_CHILD (detail, "status_label")), "Cancelled"));
  error_label = DETAIL_CHILD (detail, "error_label");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  /* What was sent, and the part that came back before the cancel. */
  body = view_text (DETAIL_CHILD (detail, "request_body_view"));
  g_assert_nonnull (strstr (body, "Tell me a long story"));
  text = view_text (DETAIL_CHILD (detail, "text_view"));
  g_assert_cmpstr (text, ==, "Partial");

  g_clear_error (&run.error);
  close_window (inspector);
}

static void
test_preferences (void)
{
  NatterSettings *settings = natter_application_get_settings (app);
  NatterPreferencesWindow *window = natter_preferences_window_new (app);
  GtkSwitch *enter_sends = child (window, NATTER_TYPE_PREFERENCES_WINDOW, "enter_sends_switch");
  GtkSwitch *reasoning = child (window, NATTER_TYPE_PREFERENCES_WINDOW, "show_reasoning_switch");
  AdwComboRow *scheme = child (window, NATTER_TYPE_PREFERENCES_WINDOW, "color_scheme_row");
  GtkAdjustment *scale = child (window, NATTER_TYPE_PREFERENCES_WINDOW, "font_scale_adjustment");
  GtkSpinButton *size = child (window, NATTER_TYPE_PREFERENCES_WINDOW, "font_scale_spin");

  natter_settings_set_enter_sends (settings, TRUE);
  natter_settings_set_color_scheme (settings, "default");
  gtk_window_present (GTK_WINDOW (window));
  spin (50);

  g_assert_true (gtk_switch_get_active (enter_sends));
  gtk_switch_set_active (enter_sends, FALSE);
  g_assert_false (natter_settings_get_enter_sends (settings));

  gtk_switch_set_active (reasoning, !natter_settings_get_show_reasoning (settings));
  g_assert_cmpint (gtk_switch_get_active (reasoning), ==, natter_settings_get_show_reasoning (settings));

  adw_combo_row_set_selected (scheme, 2);
  g_assert_cmpstr (natter_settings_get_color_scheme (settings), ==, "dark");
  natter_settings_set_color_scheme (settings, "light");
  g_assert_cmpuint (adw_combo_row_get_selected (scheme), ==, 1);

  /* The text size reads as a percentage; typing one sets it. */
  natter_settings_set_font_scale (settings, 1.0);
  spin (20);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (size)), ==, "100 %");
  gtk_editable_set_text (GTK_EDITABLE (size), "125 %");
  gtk_spin_button_update (size);
  g_assert_cmpfloat_with_epsilon (natter_settings_get_font_scale (settings), 1.25, 0.001);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (scale), 125, 0.001);
  spin (20);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (size)), ==, "125 %");
  natter_settings_set_font_scale (settings, 0.9);
  spin (20);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (size)), ==, "90 %");

  /* Persona: applying the rows saves the user's name and description. */
  {
    AdwEntryRow *name_row = child (window, NATTER_TYPE_PREFERENCES_WINDOW, "persona_name_row");
    AdwEntryRow *about_row = child (window, NATTER_TYPE_PREFERENCES_WINDOW, "persona_description_row");
    NatterChatStore *chats = natter_application_get_chat_store (app);
    g_autoptr(NatterPersonaRow) persona = NULL;

    gtk_editable_set_text (GTK_EDITABLE (name_row), "Robin");
    gtk_editable_set_text (GTK_EDITABLE (about_row), "An archer");
    g_signal_emit_by_name (name_row, "apply");
    persona = natter_chat_store_get_default_persona (chats, NULL);
    g_assert_nonnull (persona);
    g_assert_cmpstr (persona->name, ==, "Robin");
    g_assert_cmpstr (persona->description, ==, "An archer");

    /* A blank name is refused: the row shows the saved name again. */
    gtk_editable_set_text (GTK_EDITABLE (name_row), "  ");
    g_signal_emit_by_name (name_row, "apply");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Robin");
  }

  natter_settings_set_color_scheme (settings, "default");
  natter_settings_set_enter_sends (settings, TRUE);
  close_window (window);
}

static void
test_screenshot (void)
{
  NatterConnectionsDialog *dialog;
  const struct { const char *name, *provider, *model, *url; } profiles[] = {
    { "Local Ollama", "ollama", "llama3.2", "" },
    { "Claude", "anthropic", "claude-sonnet-4-5", "" },
    { "LM Studio", "lmstudio", "qwen2.5-7b-instruct", "http://localhost:1234/v1" },
  };
  NatterProfile *work;

  remove_all_profiles ();
  dialog = open_dialog ();
  work = create_work_profile (dialog);
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    {
      g_autoptr(NatterProfile) p = natter_profile_new (profiles[i].name, profiles[i].provider);

      natter_profile_set_model (p, profiles[i].model);
      natter_profile_set_base_url (p, profiles[i].url);
      if (!natter_profile_store_add (store (), p, NULL))
        {
          /* A provider id not in the catalog: fall back to a known one. */
          natter_profile_set_provider_id (p, "openai");
          g_assert_true (natter_profile_store_add (store (), p, NULL));
        }
    }
  g_assert_nonnull (work);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 760, 520);
  spin (500);
  save_screenshot (GTK_WIDGET (dialog), "connections.png");
  close_window (dialog);
}

/* The cloud rows: shown for their provider only; a pasted Azure URL fills
 * endpoint, deployment and API version; a region with a space is refused
 * inline; what is saved lands in the settings, no secret among them. */
static void
test_cloud_form (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfileEditor *editor;
  GtkWidget *cloud;
  g_autofree char *settings = NULL;
  double unused;

  remove_all_profiles ();
  dialog = open_dialog ();

  editor = new_editor (dialog);
  cloud = EDITOR_CHILD (editor, "cloud");
  set_text (EDITOR_CHILD (editor, "name_row"), "Azure");
  select_provider (editor, "openai");
  spin (20);
  g_assert_false (gtk_widget_get_visible (cloud));

  select_provider (editor, "azure-openai");
  spin (20);
  g_assert_true (gtk_widget_get_visible (cloud));
  g_assert_true (gtk_widget_get_visible (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "api_version_row")));
  g_assert_false (gtk_widget_get_visible (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "access_key_id_row")));
  set_text (EDITOR_CHILD (editor, "url_entry"),
            "https://contoso.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2025-01-01-preview");
  spin (20);
  g_assert_cmpstr (gtk_editable_get_text (EDITOR_CHILD (editor, "url_entry")), ==, "https://contoso.openai.azure.com");
  g_assert_cmpstr (gtk_editable_get_text (EDITOR_CHILD (editor, "model_row")), ==, "gpt4o-prod");
  g_assert_cmpstr (gtk_editable_get_text (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "api_version_row")),
                   ==, "2025-01-01-preview");
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  prices_on_disk ("Azure", &unused, &unused, &settings);
  g_assert_nonnull (strstr (settings, "\"api_version\":\"2025-01-01-preview\""));
  g_clear_pointer (&settings, g_free);

  editor = new_editor (dialog);
  cloud = EDITOR_CHILD (editor, "cloud");
  set_text (EDITOR_CHILD (editor, "name_row"), "Bedrock");
  select_provider (editor, "bedrock");
  set_text (EDITOR_CHILD (editor, "model_row"), "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
  spin (20);
  g_assert_true (gtk_widget_get_visible (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "session_token_row")));
  set_text (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "region_row"), "eu west 1");
  g_assert_true (gtk_widget_get_visible (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "error_label")));
  save (editor);
  g_assert_nonnull (natter_connections_dialog_get_editor (current_dialog));
  g_assert_null (natter_profile_store_lookup (store (), "Bedrock"));
  set_text (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "region_row"), "eu-west-1");
  set_text (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "access_key_id_row"), "AKIAIOSFODNN7EXAMPLE");
  g_assert_false (gtk_widget_get_visible (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "error_label")));
  spin (200);
  save_screenshot (GTK_WIDGET (dialog), "connection-bedrock.png");
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  prices_on_disk ("Bedrock", &unused, &unused, &settings);
  g_assert_nonnull (strstr (settings, "\"region\":\"eu-west-1\""));
  g_assert_nonnull (strstr (settings, "\"access_key_id\":\"AKIAIOSFODNN7EXAMPLE\""));
  g_clear_pointer (&settings, g_free);

  /* Vertex: a file that is no service account key is refused at Save with
   * the reason; a real one pasted into the key field is stored whole in
   * the keyring and only its e-mail and project land in the settings. */
  {
    g_autofree char *private_pem = NULL;
    g_autofree char *public_pem = NULL;
    g_autofree char *json = NULL;
    g_autofree char *stored = NULL;
    NatterProfile *profile;

    natter_test_rsa_key_pair (&private_pem, &public_pem);
    json = natter_test_service_account_json (private_pem, "gui-project",
                                             "gui@gui-project.iam.gserviceaccount.com",
                                             "https://oauth2.googleapis.com/token");

    editor = new_editor (dialog);
    cloud = EDITOR_CHILD (editor, "cloud");
    set_text (EDITOR_CHILD (editor, "name_row"), "Vertex");
    select_provider (editor, "vertex");
    spin (20);
    g_assert_true (gtk_widget_get_visible (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "service_account_row")));
    g_assert_false (gtk_widget_get_visible (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "api_version_row")));
    click (EDITOR_CHILD (editor, "set_key_button"));
    set_text (EDITOR_CHILD (editor, "key_row"), "{\"type\": \"authorized_user\"}");
    save (editor);
    g_assert_nonnull (natter_connections_dialog_get_editor (current_dialog));
    g_assert_true (gtk_widget_get_visible (EDITOR_CHILD (editor, "save_error")));
    g_assert_nonnull (strstr (gtk_label_get_label (EDITOR_CHILD (editor, "save_error")),
                              "not a service account key file"));
    g_assert_null (natter_profile_store_lookup (store (), "Vertex"));

    set_text (child (cloud, NATTER_TYPE_PROFILE_EDITOR_CLOUD, "region_row"), "europe-west4");
    set_text (EDITOR_CHILD (editor, "key_row"), json);
    save (editor);
    g_assert_true (wait_until (no_editor, NULL, 10000));
    profile = natter_profile_store_lookup (store (), "Vertex");
    g_assert_nonnull (profile);
    prices_on_disk ("Vertex", &unused, &unused, &settings);
    g_assert_nonnull (strstr (settings, "\"service_account_email\":\"gui@gui-project.iam.gserviceaccount.com\""));
    g_assert_nonnull (strstr (settings, "\"project\":\"gui-project\""));
    g_assert_nonnull (strstr (settings, "\"region\":\"europe-west4\""));
    g_assert_null (strstr (settings, "PRIVATE"));
    stored = stored_key (profile);
    g_assert_cmpstr (stored, ==, json);
  }

  close_window (dialog);
}

#define FEATURES_CHILD(f, name) child ((f), NATTER_TYPE_PROVIDER_FEATURES, (name))

static void
test_provider_features (void)
{
  NatterConnectionsDialog *dialog;
  NatterProfileEditor *editor;
  NatterProviderFeatures *features;
  NatterProfile *profile;
  NatterProfileRow *row;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *settings;
  JsonObject *cache;
  char *secret;

  remove_all_profiles ();
  dialog = open_dialog ();
  editor = new_editor (dialog);
  fill_work_form (editor);
  set_text (EDITOR_CHILD (editor, "name_row"), "Claude");
  select_provider (editor, "anthropic");
  features = EDITOR_CHILD (editor, "provider_features");

  /* Only the chosen provider's groups show. */
  g_assert_true (gtk_widget_get_visible (FEATURES_CHILD (features, "cache_group")));
  g_assert_false (gtk_widget_get_visible (FEATURES_CHILD (features, "openrouter_group")));
  g_assert_false (gtk_widget_get_visible (FEATURES_CHILD (features, "zai_group")));
  select_provider (editor, "openrouter");
  g_assert_true (gtk_widget_get_visible (FEATURES_CHILD (features, "openrouter_group")));
  g_assert_false (gtk_widget_get_visible (FEATURES_CHILD (features, "cache_group")));
  select_provider (editor, "anthropic");

  /* What a click on the switch and the check box does. */
  gtk_switch_set_active (FEATURES_CHILD (features, "cache_switch"), TRUE);
  gtk_check_button_set_active (FEATURES_CHILD (features, "system_check"), TRUE);
  spin (20);
  g_assert_true (gtk_switch_get_active (FEATURES_CHILD (features, "cache_switch")));
  g_assert_true (gtk_check_button_get_active (FEATURES_CHILD (features, "system_check")));

  /* A malformed header is refused and nothing is saved. */
  set_text (FEATURES_CHILD (features, "headers_row"), "Bad Name=1");
  save (editor);
  g_assert_nonnull (natter_connections_dialog_get_editor (current_dialog));
  g_assert_null (natter_profile_store_lookup (store (), "Claude"));
  g_assert_true (gtk_widget_get_visible (EDITOR_CHILD (editor, "save_error")));

  set_text (FEATURES_CHILD (features, "headers_row"), "X-Team=blue");
  set_text (FEATURES_CHILD (features, "secret_headers_row"), "X-Proxy-Token=tok-9");

  /* Model details of the model in the form, checked like the prices. */
  set_text (FEATURES_CHILD (features, "alias_row"), "Test model");
  set_text (FEATURES_CHILD (features, "model_input_price_row"), "2,5");
  set_text (FEATURES_CHILD (features, "context_row"), "lots");
  gtk_switch_set_active (FEATURES_CHILD (features, "no_system_switch"), TRUE);
  save (editor);
  g_assert_null (natter_profile_store_lookup (store (), "Claude"));
  g_assert_nonnull (strstr (gtk_label_get_label (EDITOR_CHILD (editor, "save_error")), "lots"));
  set_text (FEATURES_CHILD (features, "context_row"), "32000");
  gtk_widget_grab_focus (FEATURES_CHILD (features, "cache_switch"));
  spin (300);
  save_screenshot (GTK_WIDGET (dialog), "connection-features.png");
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  profile = natter_profile_store_lookup (store (), "Claude");
  g_assert_nonnull (profile);

  g_assert_true (json_parser_load_from_data (parser, natter_profile_get_settings (profile), -1, NULL));
  settings = json_node_get_object (json_parser_get_root (parser));
  cache = json_object_get_object_member (settings, "cache");
  g_assert_true (json_object_get_boolean_member (cache, "enabled"));
  g_assert_cmpstr (json_object_get_string_member (cache, "ttl"), ==, "5m");
  g_assert_true (json_object_get_boolean_member (cache, "auto"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (cache, "breakpoints"), 0), ==, "system");
  g_assert_nonnull (strstr (natter_profile_get_settings (profile),
                            "\"models\":{\"gpt-test\":{\"alias\":\"Test model\",\"input_price\":2.5,"
                            "\"context\":32000,\"no_system_message\":true}}"));
  /* The secret value is in the keyring only. */
  g_assert_null (strstr (natter_profile_get_settings (profile), "tok-9"));
  g_assert_nonnull (strstr (natter_profile_get_settings (profile), "\"X-Proxy-Token\""));
  secret = natter_secrets_lookup_sync (natter_profile_get_uuid (profile), NATTER_SECRET_HEADERS, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "{\"X-Proxy-Token\":\"tok-9\"}");
  natter_secrets_free (secret);

  row = natter_connections_dialog_get_row (dialog, profile);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Cache 5m • auto + system"));

  /* OpenRouter's routing and plugins. */
  editor = new_editor (dialog);
  fill_work_form (editor);
  set_text (EDITOR_CHILD (editor, "name_row"), "Router");
  select_provider (editor, "openrouter");
  features = EDITOR_CHILD (editor, "provider_features");
  adw_combo_row_set_selected (FEATURES_CHILD (features, "sort_row"), 2);
  set_text (FEATURES_CHILD (features, "order_row"), "anthropic, google-vertex");
  set_text (FEATURES_CHILD (features, "ignore_row"), "deepinfra");
  gtk_switch_set_active (FEATURES_CHILD (features, "fallbacks_switch"), FALSE);
  gtk_switch_set_active (FEATURES_CHILD (features, "middle_out_switch"), TRUE);
  adw_combo_row_set_selected (FEATURES_CHILD (features, "data_row"), 2);
  save (editor);
  g_assert_true (wait_until (no_editor, NULL, 5000));
  profile = natter_profile_store_lookup (store (), "Router");
  g_assert_nonnull (profile);
  g_assert_nonnull (strstr (natter_profile_get_settings (profile),
                            "\"openrouter\":{\"sort\":\"throughput\",\"ignore\":[\"deepinfra\"],"
                            "\"order\":[\"anthropic\",\"google-vertex\"],\"allow_fallbacks\":false,"
                            "\"data_collection\":\"deny\",\"plugins\":[\"middle-out\"]}"));

  close_window (dialog);
}

static void
test_usage_window (void)
{
  NatterDatabase *database = natter_application_get_database (app);
  NatterUsageWindow *window;
  GtkWidget *list;
  NatterUsageRecord record = { 0 };
  g_autoptr(GError) error = NULL;
  guint rows = 0;

  record.at_ms = g_get_real_time () / 1000;
  record.profile = "Usage Test A";
  record.provider = "openrouter";
  record.model = "m";
  record.input_tokens = 1000;
  record.output_tokens = 10;
  record.cache_read_tokens = 800;
  record.cache_write_tokens = -1;
  record.cost = 0.125;
  record.cost_source = "provider";
  g_assert_cmpint (natter_usage_store_record (database, &record, &error), >, 0);
  record.profile = "Usage Test B";
  record.cost = -1;
  g_assert_cmpint (natter_usage_store_record (database, &record, &error), >, 0);

  window = natter_usage_window_new (database, NULL);
  gtk_window_present (GTK_WINDOW (window));
  spin (100);

  /* By connection, as a person picks it from the dropdown. */
  gtk_drop_down_set_selected (child (window, NATTER_TYPE_USAGE_WINDOW, "group_dropdown"), 1);
  spin (50);
  list = child (window, NATTER_TYPE_USAGE_WINDOW, "list");
  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c));

      if (g_str_equal (title, "Usage Test A"))
        {
          g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (c)), "800 cache reads"));
          rows++;
        }
      else if (g_str_equal (title, "Usage Test B"))
        {
          g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (c)), "1 without a price"));
          rows++;
        }
    }
  g_assert_cmpuint (rows, ==, 2);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (child (window, NATTER_TYPE_USAGE_WINDOW, "total_label")), "Total $"));
  save_screenshot (GTK_WIDGET (window), "usage.png");

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Stores and deletes keys: only ever in the throwaway keyring of
   * test-gui.sh. */
  if (g_strcmp0 (g_getenv ("NATTER_TEST_PRIVATE_KEYRING"), "1") != 0)
    {
      g_printerr ("test-dialogs writes to the keyring: run it through tests/test-gui.sh "
                  "(a private keyring); NATTER_TEST_PRIVATE_KEYRING is not set.\n");
      return 1;
    }
  /* Key state must come from the keyring only. */
  g_unsetenv ("OPENAI_API_KEY");

  fake = natter_fake_provider_new ();
  app = natter_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_assert_null (natter_application_get_startup_error (app));

  g_test_add_func ("/natter/dialogs/create", test_create);
  g_test_add_func ("/natter/dialogs/validation", test_validation);
  g_test_add_func ("/natter/dialogs/edit", test_edit);
  g_test_add_func ("/natter/dialogs/prices", test_prices_form);
  g_test_add_func ("/natter/dialogs/provider-features", test_provider_features);
  g_test_add_func ("/natter/dialogs/usage-window", test_usage_window);
  g_test_add_func ("/natter/dialogs/cloud", test_cloud_form);
  g_test_add_func ("/natter/dialogs/test-connection", test_connection_test);
  g_test_add_func ("/natter/dialogs/delete", test_delete);
  g_test_add_func ("/natter/dialogs/delete-without-key", test_delete_without_key);
  g_test_add_func ("/natter/dialogs/form-key-and-url", test_form_key_and_url);
  g_test_add_func ("/natter/dialogs/changed-elsewhere", test_changed_elsewhere);
  g_test_add_func ("/natter/dialogs/instruct-template", test_instruct_template);
  g_test_add_func ("/natter/dialogs/provider-search", test_provider_search);
  g_test_add_func ("/natter/dialogs/inspector", test_inspector);
  g_test_add_func ("/natter/dialogs/cost-format", test_cost_format);
  g_test_add_func ("/natter/dialogs/inspector-failed", test_inspector_failed);
  g_test_add_func ("/natter/dialogs/inspector-cancelled", test_inspector_cancelled);
  g_test_add_func ("/natter/dialogs/preferences", test_preferences);
  g_test_add_func ("/natter/dialogs/screenshot", test_screenshot);

  ret = g_test_run ();
  g_clear_object (&app);
  natter_fake_provider_free (fake);
  return ret;
}
