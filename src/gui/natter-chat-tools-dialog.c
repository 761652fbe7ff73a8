/* natter-chat-tools-dialog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-tools-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-chat-tools-dialog.h"
#include "natter-mcp-store.h"

struct _NatterChatToolsDialog
{
  AdwWindow       parent_instance;

  GtkListBox     *list;

  NatterDatabase *db;
  gint64          chat_id;
  GHashTable     *switches;   /* server name → GtkSwitch (borrowed) */
  gboolean        loading;
};

G_DEFINE_FINAL_TYPE (NatterChatToolsDialog, natter_chat_tools_dialog, ADW_TYPE_WINDOW)

static void
save (NatterChatToolsDialog *self)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer name;
  gpointer sw;

  g_hash_table_iter_init (&iter, self->switches);
  while (g_hash_table_iter_next (&iter, &name, &sw))
    if (gtk_switch_get_active (sw))
      g_strv_builder_add (names, name);
  strv = g_strv_builder_end (names);
  if (!natter_mcp_chat_servers_set (self->db, self->chat_id, (const char * const *) strv, &error))
    g_warning ("Could not save the chat’s tools: %s", error->message);
}

static void
on_switch_active (NatterChatToolsDialog *self)
{
  if (!self->loading)
    save (self);
}

static void
load (NatterChatToolsDialog *self)
{
  g_autoptr(GPtrArray) configs = natter_mcp_store_list (self->db, NULL);
  g_auto(GStrv) chosen = natter_mcp_chat_servers_get (self->db, self->chat_id, NULL);

  self->loading = TRUE;
  if (configs == NULL || configs->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Preferences"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No MCP servers yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Add them under Tools in the preferences"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.preferences");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Open the preferences"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->list, row);
    }
  for (guint i = 0; configs != NULL && i < configs->len; i++)
    {
      NatterMcpConfig *config = g_ptr_array_index (configs, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();
      g_autofree char *label = g_strdup_printf (_("Use server %s in this chat"), config->name);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), config->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   config->transport == NATTER_MCP_TRANSPORT_HTTP ? config->url : config->command);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_switch_set_active (GTK_SWITCH (sw), chosen != NULL &&
                             g_strv_contains ((const char * const *) chosen, config->name));
      g_signal_connect_swapped (sw, "notify::active", G_CALLBACK (on_switch_active), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      g_hash_table_insert (self->switches, g_strdup (config->name), sw);
      gtk_list_box_append (self->list, row);
    }
  self->loading = FALSE;
}

GtkSwitch *
natter_chat_tools_dialog_get_switch (NatterChatToolsDialog *self,
                                     const char            *server)
{
  g_return_val_if_fail (NATTER_IS_CHAT_TOOLS_DIALOG (self), NULL);
  return g_hash_table_lookup (self->switches, server);
}

NatterChatToolsDialog *
natter_chat_tools_dialog_new (GtkWindow      *parent,
                              NatterDatabase *db,
                              gint64          chat_id)
{
  NatterChatToolsDialog *self;

  g_return_val_if_fail (NATTER_IS_DATABASE (db), NULL);

  self = g_object_new (NATTER_TYPE_CHAT_TOOLS_DIALOG, "transient-for", parent, NULL);
  self->db = g_object_ref (db);
  self->chat_id = chat_id;
  load (self);
  return self;
}

static void
natter_chat_tools_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), NATTER_TYPE_CHAT_TOOLS_DIALOG);

  G_OBJECT_CLASS (natter_chat_tools_dialog_parent_class)->dispose (object);
}

static void
natter_chat_tools_dialog_finalize (GObject *object)
{
  NatterChatToolsDialog *self = NATTER_CHAT_TOOLS_DIALOG (object);

  g_clear_object (&self->db);
  g_hash_table_unref (self->switches);

  G_OBJECT_CLASS (natter_chat_tools_dialog_parent_class)->finalize (object);
}

static void
natter_chat_tools_dialog_class_init (NatterChatToolsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_chat_tools_dialog_dispose;
  object_class->finalize = natter_chat_tools_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-chat-tools-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterChatToolsDialog, list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
natter_chat_tools_dialog_init (NatterChatToolsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->switches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  natter_a11y_fix_names (GTK_WIDGET (self));
}
