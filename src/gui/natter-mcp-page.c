/* natter-mcp-page.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-mcp-page"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-mcp-client.h"
#include "natter-mcp-page-private.h"
#include "natter-mcp-server-editor.h"
#include "natter-mcp-store.h"
#include "natter-secrets.h"

struct _NatterMcpPage
{
  AdwPreferencesPage  parent_instance;

  GtkListBox         *list;
  GtkButton          *import_button;
  GtkButton          *add_button;

  NatterDatabase     *db;
  GCancellable       *cancellable;
};

G_DEFINE_FINAL_TYPE (NatterMcpPage, natter_mcp_page, ADW_TYPE_PREFERENCES_PAGE)

static void
toast (NatterMcpPage *self,
       const char    *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

static NatterMcpConfig *
row_config (gpointer row)
{
  return g_object_get_data (G_OBJECT (row), "natter-mcp-config");
}

static char *
describe (const NatterMcpConfig *config)
{
  if (config->transport == NATTER_MCP_TRANSPORT_HTTP)
    return g_strdup (config->url);
  {
    g_autofree char *args = g_strjoinv (" ", config->args);

    return *args != '\0' ? g_strdup_printf ("%s %s", config->command, args) : g_strdup (config->command);
  }
}

/* ------------------------------------------------------------ test */

static void
on_tested (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  NatterMcpClient *client = NATTER_MCP_CLIENT (object);
  g_autoptr(AdwActionRow) row = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;

  if (!natter_mcp_client_start_finish (client, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      subtitle = g_strdup (error->message);
    }
  else
    {
      g_autoptr(GPtrArray) tools = natter_mcp_client_get_tools (client);
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < tools->len; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                                ((NatterToolSpec *) g_ptr_array_index (tools, i))->tool);
      subtitle = tools->len == 0
                 ? g_strdup (_("Works, but offers no tools"))
                 : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u tool: %s", "%u tools: %s", tools->len),
                                    tools->len, names->str);
      natter_mcp_client_stop (client);
    }
  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (_natter_mcp_page_row_button (row, "test")), TRUE);
}

static void
start_test (AdwActionRow    *row,
            NatterMcpConfig *config)
{
  NatterMcpPage *self = g_object_get_data (G_OBJECT (row), "natter-mcp-page");
  g_autoptr(NatterMcpClient) client = natter_mcp_client_new (config);

  /* The row owns the client: closing the preferences stops the server. */
  g_object_set_data_full (G_OBJECT (row), "natter-mcp-client", g_object_ref (client), g_object_unref);
  natter_mcp_client_start_async (client, self->cancellable, on_tested, g_object_ref (row));
}

static void
on_test_secrets (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AdwActionRow) row = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterMcpConfig) config = natter_mcp_config_copy (row_config (row));
  char *json = natter_secrets_lookup_finish (result, &error);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_action_row_set_subtitle (row, error->message);
          gtk_widget_set_sensitive (GTK_WIDGET (_natter_mcp_page_row_button (row, "test")), TRUE);
        }
      return;
    }
  natter_mcp_config_apply_secrets (config, json);
  natter_secrets_free (json);
  start_test (row, config);
}

static void
on_test_clicked (GtkButton *button,
                 AdwActionRow *row)
{
  NatterMcpPage *self = g_object_get_data (G_OBJECT (row), "natter-mcp-page");
  NatterMcpConfig *config = row_config (row);

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  adw_action_row_set_subtitle (row, _("Starting the server…"));
  if (natter_mcp_config_has_secrets (config))
    natter_secrets_lookup_async (config->uuid, NATTER_SECRET_HEADERS, self->cancellable,
                                 on_test_secrets, g_object_ref (row));
  else
    start_test (row, config);
}

/* ------------------------------------------------------------ edit, remove */

static void
on_saved (NatterMcpPage *self)
{
  natter_mcp_page_reload (self);
  toast (self, _("Saved"));
}

static void
open_editor (NatterMcpPage         *self,
             const NatterMcpConfig *config)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  NatterMcpServerEditor *editor = natter_mcp_server_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                self->db, config);

  g_signal_connect_object (editor, "saved", G_CALLBACK (on_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_edit_clicked (GtkButton    *button,
                 AdwActionRow *row)
{
  open_editor (g_object_get_data (G_OBJECT (row), "natter-mcp-page"), row_config (row));
}

static void
on_add_clicked (NatterMcpPage *self)
{
  open_editor (self, NULL);
}

static void
on_secrets_dropped (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  natter_secrets_clear_finish (result, NULL);
  g_free (user_data);
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  NatterMcpPage *self = user_data;
  NatterMcpConfig *config = g_object_get_data (G_OBJECT (dialog), "natter-mcp-config");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_str_equal (response, "remove"))
    return;
  if (!natter_mcp_store_remove (self->db, config->name, &error))
    {
      toast (self, error->message);
      return;
    }
  if (natter_mcp_config_has_secrets (config))
    {
      /* The keyring reads the uuid later: the copy lives until then. */
      char *uuid = g_strdup (config->uuid);

      natter_secrets_clear_async (uuid, NATTER_SECRET_HEADERS, NULL, on_secrets_dropped, uuid);
    }
  text = g_strdup_printf (_("Removed “%s”"), config->name);
  natter_mcp_page_reload (self);
  toast (self, text);
}

static void
on_remove_clicked (GtkButton    *button,
                   AdwActionRow *row)
{
  NatterMcpPage *self = g_object_get_data (G_OBJECT (row), "natter-mcp-page");
  NatterMcpConfig *config = row_config (row);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = g_strdup_printf (_("Remove “%s”?"), config->name);
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                                       _("Chats that used it lose its tools.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "natter-mcp-config", natter_mcp_config_copy (config),
                          (GDestroyNotify) natter_mcp_config_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  natter_a11y_fix_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------ import */

typedef struct
{
  guint added;
  guint skipped;
  guint failed;
  guint outstanding;
  char *last_error;
} ImportTally;

static void
import_tally_done (NatterMcpPage *self,
                   ImportTally   *tally)
{
  g_autofree char *text = NULL;

  if (--tally->outstanding > 0)
    return;
  if (tally->failed > 0)
    text = g_strdup_printf (_("Imported %u, %u failed: %s"), tally->added, tally->failed, tally->last_error);
  else if (tally->skipped > 0)
    text = g_strdup_printf (_("Imported %u, %u already there"), tally->added, tally->skipped);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u server", "Imported %u servers", tally->added),
                            tally->added);
  natter_mcp_page_reload (self);
  toast (self, text);
  g_free (tally->last_error);
  g_free (tally);
  g_object_unref (self);
}

static void
import_save (NatterMcpPage   *self,
             NatterMcpConfig *config,
             ImportTally     *tally)
{
  g_autoptr(GError) error = NULL;

  if (natter_mcp_store_save (self->db, config, &error))
    tally->added++;
  else
    {
      tally->failed++;
      g_free (tally->last_error);
      tally->last_error = g_strdup (error->message);
    }
}

typedef struct
{
  NatterMcpPage   *page;
  NatterMcpConfig *config;
  ImportTally     *tally;
} ImportSecret;

static void
on_import_secret (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ImportSecret *one = user_data;
  g_autoptr(GError) error = NULL;

  if (natter_secrets_store_finish (result, &error))
    import_save (one->page, one->config, one->tally);
  else
    {
      one->tally->failed++;
      g_free (one->tally->last_error);
      one->tally->last_error = g_strdup (error->message);
    }
  import_tally_done (one->page, one->tally);
  natter_mcp_config_free (one->config);
  g_free (one);
}

static void
on_file_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NatterMcpPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) configs = NULL;
  g_autofree char *data = NULL;
  ImportTally *tally;
  gsize len;

  if (!g_file_load_contents_finish (G_FILE (object), result, &data, &len, NULL, &error) ||
      (configs = natter_mcp_config_parse_servers_file (data, len, &error)) == NULL)
    {
      toast (self, error->message);
      return;
    }

  tally = g_new0 (ImportTally, 1);
  tally->outstanding = 1;
  for (guint i = 0; i < configs->len; i++)
    {
      NatterMcpConfig *config = g_ptr_array_index (configs, i);
      g_autoptr(NatterMcpConfig) existing = natter_mcp_store_get (self->db, config->name, NULL);
      char *json;

      if (existing != NULL)
        {
          tally->skipped++;
          continue;
        }
      json = natter_mcp_config_secret_json (config);
      if (json != NULL)
        {
          ImportSecret *one = g_new0 (ImportSecret, 1);

          one->page = self;
          one->config = natter_mcp_config_copy (config);
          one->tally = tally;
          tally->outstanding++;
          /* The keyring reads the uuid later: pass the copy that lives until then. */
          natter_secrets_store_async (one->config->uuid, NATTER_SECRET_HEADERS, one->config->name, json, NULL,
                                      on_import_secret, one);
          natter_secrets_free (json);
        }
      else
        import_save (self, config, tally);
    }
  import_tally_done (g_object_ref (self), tally);
}

void
_natter_mcp_page_import_file (NatterMcpPage *self,
                              GFile         *file)
{
  g_return_if_fail (NATTER_IS_MCP_PAGE (self));
  g_file_load_contents_async (file, self->cancellable, on_file_loaded, g_object_ref (self));
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  NatterMcpPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        _natter_mcp_page_import_file (self, file);
    }
  g_object_unref (chooser);
}

static void
on_import_clicked (NatterMcpPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import MCP Servers"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("JSON files"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ------------------------------------------------------------ rows */

static GtkWidget *
row_button (AdwActionRow *row,
            const char   *which,
            const char   *icon,
            const char   *tooltip,
            const char   *label,
            GCallback     callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect (button, "clicked", callback, row);
  g_object_set_data (G_OBJECT (row), which, button);
  adw_action_row_add_suffix (row, button);
  return button;
}

void
natter_mcp_page_reload (NatterMcpPage *self)
{
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (NATTER_IS_MCP_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  configs = natter_mcp_store_list (self->db, &error);
  if (configs == NULL || configs->len == 0)
    {
      GtkWidget *empty = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (empty),
                                     configs == NULL ? error->message : _("No servers yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (empty), _("Add one with +, or import the file of another app"));
      gtk_list_box_append (self->list, empty);
      return;
    }
  for (guint i = 0; i < configs->len; i++)
    {
      NatterMcpConfig *config = g_ptr_array_index (configs, i);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *subtitle = describe (config);
      g_autofree char *test_label = g_strdup_printf (_("Test server %s"), config->name);
      g_autofree char *edit_label = g_strdup_printf (_("Edit server %s"), config->name);
      g_autofree char *remove_label = g_strdup_printf (_("Remove server %s"), config->name);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), config->name);
      adw_action_row_set_subtitle (row, subtitle);
      adw_action_row_set_subtitle_lines (row, 3);
      g_object_set_data (G_OBJECT (row), "natter-mcp-page", self);
      g_object_set_data_full (G_OBJECT (row), "natter-mcp-config", natter_mcp_config_copy (config),
                              (GDestroyNotify) natter_mcp_config_free);
      row_button (row, "test", "media-playback-start-symbolic", _("Test: start it and list its tools"),
                  test_label, G_CALLBACK (on_test_clicked));
      row_button (row, "edit", "document-edit-symbolic", _("Edit"), edit_label, G_CALLBACK (on_edit_clicked));
      row_button (row, "remove", "user-trash-symbolic", _("Remove"), remove_label, G_CALLBACK (on_remove_clicked));
      gtk_list_box_append (self->list, GTK_WIDGET (row));
    }
}

AdwActionRow *
_natter_mcp_page_find_row (NatterMcpPage *self,
                           const char    *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      NatterMcpConfig *config = row_config (child);

      if (config != NULL && g_strcmp0 (config->name, name) == 0)
        return ADW_ACTION_ROW (child);
    }
  return NULL;
}

GtkButton *
_natter_mcp_page_row_button (AdwActionRow *row,
                             const char   *which)
{
  return g_object_get_data (G_OBJECT (row), which);
}

NatterMcpPage *
natter_mcp_page_new (NatterDatabase *db)
{
  NatterMcpPage *self;

  g_return_val_if_fail (NATTER_IS_DATABASE (db), NULL);

  self = g_object_new (NATTER_TYPE_MCP_PAGE, NULL);
  self->db = g_object_ref (db);
  /* natter-cli mcp add/remove/import show up while the page is open. */
  g_signal_connect_object (db, "changed-externally", G_CALLBACK (natter_mcp_page_reload), self, G_CONNECT_SWAPPED);
  natter_mcp_page_reload (self);
  return self;
}

static void
natter_mcp_page_dispose (GObject *object)
{
  NatterMcpPage *self = NATTER_MCP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_MCP_PAGE);

  G_OBJECT_CLASS (natter_mcp_page_parent_class)->dispose (object);
}

static void
natter_mcp_page_finalize (GObject *object)
{
  NatterMcpPage *self = NATTER_MCP_PAGE (object);

  g_clear_object (&self->db);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (natter_mcp_page_parent_class)->finalize (object);
}

static void
natter_mcp_page_class_init (NatterMcpPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_mcp_page_dispose;
  object_class->finalize = natter_mcp_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-mcp-page.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterMcpPage, list);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpPage, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
}

static void
natter_mcp_page_init (NatterMcpPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
