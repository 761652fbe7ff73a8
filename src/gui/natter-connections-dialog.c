/* natter-connections-dialog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-connections-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-client.h"
#include "natter-connections-dialog-private.h"
#include "natter-profile-editor.h"
#include "natter-secrets.h"
#include "natter-toasts.h"

struct _NatterConnectionsDialog
{
  AdwWindow           parent_instance;

  NatterProfileStore *store;
  NatterClient       *client;
  GCancellable       *cancellable;

  AdwToastOverlay    *toast_overlay;
  GtkStack           *pages;
  GtkStack           *stack;
  NatterProfileEditor *editor;        /* the page shown, or NULL */
  GtkListBox         *list_box;
  GtkButton          *new_button;
};

G_DEFINE_FINAL_TYPE (NatterConnectionsDialog, natter_connections_dialog, ADW_TYPE_WINDOW)

static void
toast (NatterConnectionsDialog *self,
       const char              *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 6);
  natter_toasts_add (self->toast_overlay, t);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  NatterConnectionsDialog *self = user_data;

  return GTK_WIDGET (natter_profile_row_new (self->client, NATTER_PROFILE (item)));
}

static void
update_page (NatterConnectionsDialog *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static NatterProfile *
profile_from_parameter (NatterConnectionsDialog *self,
                        GVariant                *parameter)
{
  NatterProfile *profile = natter_profile_store_lookup_by_id (self->store,
                                                              g_variant_get_int64 (parameter));

  if (profile == NULL)
    toast (self, _("That connection no longer exists"));
  return profile;
}

/* Editing */

static void
editor_saved_cb (NatterConnectionsDialog *self,
                 NatterProfile           *profile)
{
  NatterProfileRow *row = natter_connections_dialog_get_row (self, profile);
  g_autofree char *message = NULL;

  if (row != NULL)
    natter_profile_row_refresh_key_state (row);
  message = g_strdup_printf (_("Saved “%s”"), natter_profile_get_name (profile));
  toast (self, message);
}

static gboolean
remove_page_idle (gpointer data)
{
  GtkWidget *page = data;
  GtkWidget *parent = gtk_widget_get_parent (page);

  if (GTK_IS_STACK (parent))
    gtk_stack_remove (GTK_STACK (parent), page);
  return G_SOURCE_REMOVE;
}

static void
close_editor (NatterConnectionsDialog *self)
{
  NatterProfileEditor *editor = g_steal_pointer (&self->editor);

  if (editor == NULL)
    return;
  g_signal_handlers_disconnect_by_data (editor, self);
  gtk_stack_set_visible_child_name (self->pages, "manager");
  /* Removed once its own signal or action handler has returned. */
  g_idle_add_full (G_PRIORITY_DEFAULT, remove_page_idle,
                   g_object_ref (editor), g_object_unref);
}

/* The edit form slides in as a page of this window, so that everything a
 * person (or a screen reader) needs is in the "Connections" window. */
static void
open_editor (NatterConnectionsDialog *self,
             NatterProfile           *profile)
{
  close_editor (self);
  self->editor = natter_profile_editor_new (self->client, self->store, profile);
  g_signal_connect_object (self->editor, "saved", G_CALLBACK (editor_saved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "done", G_CALLBACK (close_editor), self, G_CONNECT_SWAPPED);
  gtk_stack_add_child (self->pages, GTK_WIDGET (self->editor));
  gtk_stack_set_visible_child (self->pages, GTK_WIDGET (self->editor));
  gtk_widget_grab_focus (GTK_WIDGET (self->editor));
}

static void
escape_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  NatterConnectionsDialog *self = NATTER_CONNECTIONS_DIALOG (widget);

  if (self->editor != NULL)
    close_editor (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
new_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  open_editor (NATTER_CONNECTIONS_DIALOG (widget), NULL);
}

static void
edit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NatterConnectionsDialog *self = NATTER_CONNECTIONS_DIALOG (widget);
  NatterProfile *profile = profile_from_parameter (self, parameter);

  if (profile != NULL)
    open_editor (self, profile);
}

/* Duplicating */

typedef struct
{
  NatterConnectionsDialog *self;
  char                    *uuid;   /* of the copy */
  char                    *name;
} CopyKey;

static void
copy_key_free (CopyKey *copy)
{
  g_object_unref (copy->self);
  g_free (copy->uuid);
  g_free (copy->name);
  g_free (copy);
}

static void
copy_key_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CopyKey *copy = user_data;
  g_autoptr(GError) error = NULL;

  if (!natter_secrets_store_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("The API key could not be copied to “%s”: %s"),
                                                      copy->name, error->message);
          toast (copy->self, message);
        }
    }
  else
    {
      NatterProfile *profile = natter_profile_store_lookup_by_uuid (copy->self->store, copy->uuid);
      NatterProfileRow *row = profile ? natter_connections_dialog_get_row (copy->self, profile) : NULL;

      if (row != NULL)
        natter_profile_row_refresh_key_state (row);
    }
  copy_key_free (copy);
}

static void
copy_key_lookup_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CopyKey *copy = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = natter_secrets_lookup_finish (result, &error);
  if (secret == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("The API key could not be copied to “%s”: %s"),
                                                      copy->name, error->message);
          toast (copy->self, message);
        }
      copy_key_free (copy);
      return;
    }

  natter_secrets_store_async (copy->uuid, NATTER_SECRET_API_KEY, copy->name, secret,
                              copy->self->cancellable, copy_key_stored_cb, copy);
  natter_secrets_free (secret);
}

static char *
unique_copy_name (NatterConnectionsDialog *self,
                  const char              *name)
{
  char *candidate = g_strdup_printf (_("%s (copy)"), name);

  for (guint i = 2; natter_profile_store_lookup (self->store, candidate) != NULL; i++)
    {
      g_free (candidate);
      candidate = g_strdup_printf (_("%s (copy %u)"), name, i);
    }
  return candidate;
}

static void
duplicate_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NatterConnectionsDialog *self = NATTER_CONNECTIONS_DIALOG (widget);
  NatterProfile *source = profile_from_parameter (self, parameter);
  g_autoptr(NatterProfile) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  CopyKey *key;

  if (source == NULL)
    return;

  name = unique_copy_name (self, natter_profile_get_name (source));
  copy = natter_profile_new (name, natter_profile_get_provider_id (source));
  natter_profile_set_model (copy, natter_profile_get_model (source));
  natter_profile_set_base_url (copy, natter_profile_get_base_url (source));
  natter_profile_set_proxy_url (copy, natter_profile_get_proxy_url (source));
  natter_profile_set_connect_timeout (copy, natter_profile_get_connect_timeout (source));
  natter_profile_set_settings (copy, natter_profile_get_settings (source));
  natter_profile_set_custom_models (copy, natter_profile_get_custom_models (source));

  if (!natter_profile_store_add (self->store, copy, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not duplicate “%s”: %s"),
                                                  natter_profile_get_name (source), error->message);
      toast (self, message);
      return;
    }

  /* The copy gets the same key, read and written without passing through
   * any widget. */
  key = g_new0 (CopyKey, 1);
  key->self = g_object_ref (self);
  key->uuid = g_strdup (natter_profile_get_uuid (copy));
  key->name = g_strdup (name);
  natter_secrets_lookup_async (natter_profile_get_uuid (source), NATTER_SECRET_API_KEY,
                               self->cancellable, copy_key_lookup_cb, key);
}

/* Deleting */

typedef struct
{
  NatterConnectionsDialog *self;
  char                    *uuid;
  char                    *name;
  NatterSecretKind         kind;
  gboolean                 had_key;
} ClearKeys;

static void
clear_keys_free (ClearKeys *clear)
{
  g_object_unref (clear->self);
  g_free (clear->uuid);
  g_free (clear->name);
  g_free (clear);
}

static void
secret_cleared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClearKeys *clear = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!natter_secrets_clear_finish (result, &error))
    {
      message = g_strdup_printf (_("“%s” was deleted, but its stored secrets could not be removed from the keyring: %s"),
                                 clear->name, error->message);
      toast (clear->self, message);
      clear_keys_free (clear);
      return;
    }

  if (clear->kind != NATTER_SECRET_HEADERS)
    {
      /* Every kind of secret of the connection, one after the other. */
      clear->kind = clear->kind == NATTER_SECRET_API_KEY ? NATTER_SECRET_PROXY_PASSWORD
                    : clear->kind == NATTER_SECRET_PROXY_PASSWORD ? NATTER_SECRET_SESSION_TOKEN
                    : NATTER_SECRET_HEADERS;
      natter_secrets_clear_async (clear->uuid, clear->kind, NULL, secret_cleared_cb, clear);
      return;
    }

  if (clear->had_key)
    message = g_strdup_printf (_("Deleted “%s” and its stored key"), clear->name);
  else
    message = g_strdup_printf (_("Deleted “%s”"), clear->name);
  toast (clear->self, message);
  clear_keys_free (clear);
}

static void
delete_response_cb (AdwMessageDialog        *dialog,
                    const char              *response,
                    NatterConnectionsDialog *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "natter-profile-id");
  NatterProfile *profile;
  g_autoptr(GError) error = NULL;
  ClearKeys *clear;

  if (g_strcmp0 (response, "delete") != 0)
    return;

  profile = natter_profile_store_lookup_by_id (self->store, id);
  if (profile == NULL)
    return;

  clear = g_new0 (ClearKeys, 1);
  clear->self = g_object_ref (self);
  clear->uuid = g_strdup (natter_profile_get_uuid (profile));
  clear->name = g_strdup (natter_profile_get_name (profile));
  clear->kind = NATTER_SECRET_API_KEY;
  clear->had_key = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "natter-had-key"));

  /* The profile first: when it cannot be deleted its key must stay. */
  if (!natter_profile_store_remove (self->store, profile, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not delete “%s”: %s"),
                                                  clear->name, error->message);
      toast (self, message);
      clear_keys_free (clear);
      return;
    }

  /* Not cancelled with the window: the key must go even when the dialog
   * is closed right away. */
  natter_secrets_clear_async (clear->uuid, clear->kind, NULL, secret_cleared_cb, clear);
}

typedef struct
{
  NatterConnectionsDialog *self;
  gint64                   id;
} DeleteAsk;

static void
delete_ask_free (DeleteAsk *ask)
{
  g_object_unref (ask->self);
  g_free (ask);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeleteAsk, delete_ask_free)

/* The question names the key only when the connection has one in the
 * keyring (a key from the environment stays where it is). */
static void
delete_key_source_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(DeleteAsk) ask = user_data;
  NatterConnectionsDialog *self = ask->self;
  g_autoptr(GError) error = NULL;
  gint64 id = ask->id;
  NatterKeySource source;
  NatterProfile *profile;
  AdwMessageDialog *dialog;

  source = natter_client_key_source_finish (NATTER_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  profile = natter_profile_store_lookup_by_id (self->store, id);
  if (profile == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  adw_message_dialog_format_heading (dialog, _("Delete “%s”?"), natter_profile_get_name (profile));
  /* When the keyring cannot be asked, say what will be tried. */
  if (source == NATTER_KEY_SOURCE_STORED || error != NULL)
    adw_message_dialog_set_body (dialog,
                                 _("The connection and its API key stored in the keyring are deleted. This cannot be undone."));
  else
    adw_message_dialog_set_body (dialog, _("The connection is deleted. This cannot be undone."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "natter-profile-id",
                          g_memdup2 (&id, sizeof id), g_free);
  g_object_set_data (G_OBJECT (dialog), "natter-had-key",
                     GINT_TO_POINTER (source == NATTER_KEY_SOURCE_STORED));
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  natter_a11y_fix_names (GTK_WIDGET (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  NatterConnectionsDialog *self = NATTER_CONNECTIONS_DIALOG (widget);
  NatterProfile *profile = profile_from_parameter (self, parameter);
  DeleteAsk *ask;

  if (profile == NULL)
    return;

  ask = g_new0 (DeleteAsk, 1);
  ask->self = g_object_ref (self);
  ask->id = natter_profile_get_id (profile);
  natter_client_key_source_async (self->client, profile, self->cancellable,
                                  delete_key_source_cb, ask);
}

static void
set_default_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  NatterConnectionsDialog *self = NATTER_CONNECTIONS_DIALOG (widget);
  NatterProfile *profile = profile_from_parameter (self, parameter);
  g_autoptr(GError) error = NULL;

  if (profile == NULL)
    return;
  if (!natter_profile_store_set_default (self->store, profile, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not make “%s” the default: %s"),
                                                  natter_profile_get_name (profile), error->message);
      toast (self, message);
    }
}

/* Object */

static void
natter_connections_dialog_dispose (GObject *object)
{
  NatterConnectionsDialog *self = (NatterConnectionsDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (natter_connections_dialog_parent_class)->dispose (object);
}

static void
natter_connections_dialog_class_init (NatterConnectionsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_connections_dialog_dispose;

  gtk_widget_class_install_action (widget_class, "connections.new", NULL, new_activated);
  gtk_widget_class_install_action (widget_class, "connections.escape", NULL, escape_activated);
  gtk_widget_class_install_action (widget_class, "connections.edit", "x", edit_activated);
  gtk_widget_class_install_action (widget_class, "connections.duplicate", "x", duplicate_activated);
  gtk_widget_class_install_action (widget_class, "connections.delete", "x", delete_activated);
  gtk_widget_class_install_action (widget_class, "connections.set-default", "x", set_default_activated);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-connections-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterConnectionsDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NatterConnectionsDialog, pages);
  gtk_widget_class_bind_template_child (widget_class, NatterConnectionsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, NatterConnectionsDialog, list_box);
  gtk_widget_class_bind_template_child (widget_class, NatterConnectionsDialog, new_button);
}

static void
natter_connections_dialog_init (NatterConnectionsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

NatterConnectionsDialog *
natter_connections_dialog_new (NatterApplication *application)
{
  NatterConnectionsDialog *self;

  g_return_val_if_fail (NATTER_IS_APPLICATION (application), NULL);

  self = g_object_new (NATTER_TYPE_CONNECTIONS_DIALOG, "application", application, NULL);
  self->store = g_object_ref (natter_application_get_profile_store (application));
  /* The application's client: tests and model lists go through the same
   * transports and show up in the Request Inspector. */
  self->client = g_object_ref (natter_application_get_client (application));

  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->store),
                           create_row, self, NULL);
  g_signal_connect_object (self->store, "items-changed",
                           G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  update_page (self);

  return self;
}

NatterProfileRow *
natter_connections_dialog_get_row (NatterConnectionsDialog *self,
                                   NatterProfile           *profile)
{
  g_return_val_if_fail (NATTER_IS_CONNECTIONS_DIALOG (self), NULL);
  g_return_val_if_fail (NATTER_IS_PROFILE (profile), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (NATTER_IS_PROFILE_ROW (child) &&
          natter_profile_get_id (natter_profile_row_get_profile (NATTER_PROFILE_ROW (child))) ==
          natter_profile_get_id (profile))
        return NATTER_PROFILE_ROW (child);
    }
  return NULL;
}

NatterProfileEditor *
natter_connections_dialog_get_editor (NatterConnectionsDialog *self)
{
  g_return_val_if_fail (NATTER_IS_CONNECTIONS_DIALOG (self), NULL);

  return self->editor;
}

NatterClient *
natter_connections_dialog_get_client (NatterConnectionsDialog *self)
{
  g_return_val_if_fail (NATTER_IS_CONNECTIONS_DIALOG (self), NULL);

  return self->client;
}
