/* natter-profile-editor-cloud.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-profile-editor"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-cloud.h"
#include "natter-cloud-profile.h"
#include "natter-profile-editor-cloud.h"
#include "natter-secrets.h"
#include "natter-service-account.h"

#define MAX_KEY_FILE (64 * 1024)

typedef enum
{
  KIND_NONE,
  KIND_VERTEX,
  KIND_AZURE,
  KIND_BEDROCK,
} Kind;

struct _NatterProfileEditorCloud
{
  AdwPreferencesGroup  parent_instance;

  Kind                 kind;
  char                *service_account;   /* JSON loaded from a file, until Save */
  char                *key_error;         /* why the chosen file was refused */
  GCancellable        *cancellable;

  AdwActionRow        *service_account_row;
  GtkButton           *choose_key_button;
  AdwEntryRow         *region_row;
  AdwEntryRow         *project_row;
  AdwEntryRow         *api_version_row;
  AdwActionRow        *v1_row;
  GtkSwitch           *v1_switch;
  AdwEntryRow         *access_key_id_row;
  AdwPasswordEntryRow *session_token_row;
  GtkLabel            *error_label;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (NatterProfileEditorCloud, natter_profile_editor_cloud, ADW_TYPE_PREFERENCES_GROUP)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
changed_cb (NatterProfileEditorCloud *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static char *
row_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static void
show_error (NatterProfileEditorCloud *self,
            const char               *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_service_account (NatterProfileEditorCloud *self,
                     char                     *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterServiceAccount) account = NULL;

  g_clear_pointer (&self->service_account, natter_secrets_free);
  g_clear_pointer (&self->key_error, g_free);

  account = natter_service_account_parse (json, -1, &error);
  if (account == NULL)
    {
      self->key_error = g_strdup (error->message);
      natter_secrets_free (json);
      adw_action_row_set_subtitle (self->service_account_row, _("The chosen file was refused"));
    }
  else
    {
      g_autofree char *subtitle =
        g_strdup_printf (_("%s (saved with the connection)"),
                         natter_service_account_get_client_email (account));

      self->service_account = json;
      adw_action_row_set_subtitle (self->service_account_row, subtitle);
      if (*gtk_editable_get_text (GTK_EDITABLE (self->project_row)) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->project_row),
                               natter_service_account_get_project_id (account));
    }
  natter_profile_editor_cloud_validate (self);
  changed_cb (self);
}

/* Stops reading a file that cannot be a key file. */
static gboolean
read_more_cb (const char *contents,
              goffset     size,
              gpointer    user_data)
{
  return size <= MAX_KEY_FILE;
}

static void
key_file_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NatterProfileEditorCloud) self = user_data;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_load_partial_contents_finish (G_FILE (object), result, &contents, &len, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_free (self->key_error);
      self->key_error = g_strdup_printf (_("The key file could not be read: %s"), error->message);
      natter_profile_editor_cloud_validate (self);
      return;
    }
  if (len > MAX_KEY_FILE)
    {
      memset (contents, 0, len);
      g_free (contents);
      g_free (self->key_error);
      self->key_error = g_strdup (_("This file is too large to be a service account key file"));
      natter_profile_editor_cloud_validate (self);
      return;
    }
  set_service_account (self, contents);
}

static void
chooser_response_cb (NatterProfileEditorCloud *self,
                     int                       response,
                     GtkNativeDialog          *dialog)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  g_file_load_partial_contents_async (file, self->cancellable, read_more_cb,
                                      key_file_loaded_cb, g_object_ref (self));
}

static void
choose_key_clicked_cb (NatterProfileEditorCloud *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_file_filter_set_name (filter, _("Service account key (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_pattern (filter, "*.json");

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Choose Service Account Key"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
natter_profile_editor_cloud_set_provider (NatterProfileEditorCloud *self,
                                          const char               *provider_id)
{
  g_return_if_fail (NATTER_IS_PROFILE_EDITOR_CLOUD (self));

  if (g_strcmp0 (provider_id, "vertex") == 0)
    self->kind = KIND_VERTEX;
  else if (g_strcmp0 (provider_id, "azure-openai") == 0)
    self->kind = KIND_AZURE;
  else if (g_strcmp0 (provider_id, "bedrock") == 0)
    self->kind = KIND_BEDROCK;
  else
    self->kind = KIND_NONE;

  gtk_widget_set_visible (GTK_WIDGET (self), self->kind != KIND_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->service_account_row), self->kind == KIND_VERTEX);
  gtk_widget_set_visible (GTK_WIDGET (self->project_row), self->kind == KIND_VERTEX);
  gtk_widget_set_visible (GTK_WIDGET (self->region_row),
                          self->kind == KIND_VERTEX || self->kind == KIND_BEDROCK);
  gtk_widget_set_visible (GTK_WIDGET (self->api_version_row), self->kind == KIND_AZURE);
  gtk_widget_set_visible (GTK_WIDGET (self->v1_row), self->kind == KIND_AZURE);
  gtk_widget_set_visible (GTK_WIDGET (self->access_key_id_row), self->kind == KIND_BEDROCK);
  gtk_widget_set_visible (GTK_WIDGET (self->session_token_row), self->kind == KIND_BEDROCK);

  switch (self->kind)
    {
    case KIND_VERTEX:
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
        _("Vertex AI signs in with a service account key file. Region us-central1 when empty; "
          "“global” for the global endpoint."));
      break;
    case KIND_AZURE:
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
        _("The API URL is your resource endpoint (https://RESOURCE.openai.azure.com; pasting a "
          "whole deployment URL fills the fields) and the model is the deployment name. "
          "API version 2024-10-21 when empty."));
      break;
    case KIND_BEDROCK:
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
        _("The API key is the secret access key (with an access key ID) or a Bedrock API key. "
          "Region from AWS_REGION or us-east-1 when empty."));
      break;
    case KIND_NONE:
    default:
      break;
    }
  natter_profile_editor_cloud_validate (self);
}

void
natter_profile_editor_cloud_load (NatterProfileEditorCloud *self,
                                  NatterProfile            *profile)
{
  g_autofree char *region = NULL;
  g_autofree char *project = NULL;
  g_autofree char *version = NULL;
  g_autofree char *azure_api = NULL;
  g_autofree char *access_key_id = NULL;
  g_autofree char *email = NULL;

  g_return_if_fail (NATTER_IS_PROFILE_EDITOR_CLOUD (self));

  region = natter_profile_dup_setting_string (profile, "region");
  project = natter_profile_dup_setting_string (profile, "project");
  version = natter_profile_dup_setting_string (profile, "api_version");
  azure_api = natter_profile_dup_setting_string (profile, "azure_api");
  access_key_id = natter_profile_dup_setting_string (profile, "access_key_id");
  email = natter_profile_dup_setting_string (profile, "service_account_email");

  gtk_editable_set_text (GTK_EDITABLE (self->region_row), region ? region : "");
  gtk_editable_set_text (GTK_EDITABLE (self->project_row), project ? project : "");
  gtk_editable_set_text (GTK_EDITABLE (self->api_version_row), version ? version : "");
  gtk_switch_set_active (self->v1_switch, g_strcmp0 (azure_api, "v1") == 0);
  gtk_editable_set_text (GTK_EDITABLE (self->access_key_id_row), access_key_id ? access_key_id : "");
  if (email != NULL)
    adw_action_row_set_subtitle (self->service_account_row, email);
}

void
natter_profile_editor_cloud_fill (NatterProfileEditorCloud *self,
                                  NatterProfile            *profile)
{
  g_autofree char *region = row_text (self->region_row);
  g_autofree char *project = row_text (self->project_row);
  g_autofree char *version = row_text (self->api_version_row);
  g_autofree char *access_key_id = row_text (self->access_key_id_row);

  g_return_if_fail (NATTER_IS_PROFILE_EDITOR_CLOUD (self));

  switch (self->kind)
    {
    case KIND_VERTEX:
      natter_profile_set_setting_string (profile, "region", region);
      natter_profile_set_setting_string (profile, "project", project);
      break;
    case KIND_AZURE:
      natter_profile_set_setting_string (profile, "api_version", version);
      natter_profile_set_setting_string (profile, "azure_api",
                                         gtk_switch_get_active (self->v1_switch) ? "v1" : NULL);
      break;
    case KIND_BEDROCK:
      natter_profile_set_setting_string (profile, "region", region);
      natter_profile_set_setting_string (profile, "access_key_id", access_key_id);
      break;
    case KIND_NONE:
    default:
      break;
    }
}

/* Regions and versions are plain words: a typo with a space or a slash
 * would make a broken URL, so it is caught here. */
static gboolean
is_word (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

gboolean
natter_profile_editor_cloud_validate (NatterProfileEditorCloud *self)
{
  g_autofree char *region = row_text (self->region_row);
  g_autofree char *version = row_text (self->api_version_row);
  g_autofree char *access_key_id = row_text (self->access_key_id_row);
  g_autofree char *message = NULL;

  g_return_val_if_fail (NATTER_IS_PROFILE_EDITOR_CLOUD (self), FALSE);

  if (self->kind == KIND_VERTEX && self->key_error != NULL)
    message = g_strdup (self->key_error);
  else if ((self->kind == KIND_VERTEX || self->kind == KIND_BEDROCK) && !is_word (region))
    message = g_strdup_printf (_("“%s” is not a region name, like us-central1 or eu-west-1."), region);
  else if (self->kind == KIND_AZURE && !is_word (version))
    message = g_strdup_printf (_("“%s” is not an API version, like 2024-10-21."), version);
  else if (self->kind == KIND_BEDROCK && !is_word (access_key_id))
    message = g_strdup (_("An access key ID has only letters and digits, like AKIAIOSFODNN7EXAMPLE."));

  show_error (self, message);
  return message == NULL;
}

gboolean
natter_profile_editor_cloud_take_secrets (NatterProfileEditorCloud  *self,
                                          NatterProfile             *profile,
                                          const char                *typed_key,
                                          char                     **key,
                                          char                     **session_token,
                                          GError                   **error)
{
  g_return_val_if_fail (NATTER_IS_PROFILE_EDITOR_CLOUD (self), FALSE);

  *key = NULL;
  *session_token = NULL;

  if (self->kind == KIND_VERTEX)
    {
      /* A key typed (pasted) into the API key field wins over a file. */
      const char *json = typed_key != NULL && *typed_key != '\0' ? typed_key : self->service_account;

      if (json == NULL)
        return TRUE;
      if (!natter_profile_take_service_account (profile, json, error))
        return FALSE;
      *key = g_strdup (json);
      return TRUE;
    }

  if (typed_key != NULL && *typed_key != '\0')
    *key = g_strdup (typed_key);
  if (self->kind == KIND_BEDROCK)
    {
      g_autofree char *token = row_text (self->session_token_row);

      if (*token != '\0')
        *session_token = g_steal_pointer (&token);
    }
  return TRUE;
}

void
natter_profile_editor_cloud_forget_secrets (NatterProfileEditorCloud *self)
{
  g_clear_pointer (&self->service_account, natter_secrets_free);
  gtk_editable_set_text (GTK_EDITABLE (self->session_token_row), "");
}

gboolean
natter_profile_editor_cloud_azure_url (NatterProfileEditorCloud  *self,
                                       const char                *url,
                                       char                     **endpoint,
                                       char                     **deployment)
{
  g_autofree char *version = NULL;

  g_return_val_if_fail (NATTER_IS_PROFILE_EDITOR_CLOUD (self), FALSE);

  *endpoint = *deployment = NULL;
  if (self->kind != KIND_AZURE || url == NULL || strstr (url, "/openai/") == NULL ||
      !natter_azure_parse_url (url, endpoint, deployment, &version))
    return FALSE;
  if (version != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->api_version_row), version);
  if (strstr (url, "/openai/v1/") != NULL)
    gtk_switch_set_active (self->v1_switch, TRUE);
  return TRUE;
}

static void
natter_profile_editor_cloud_dispose (GObject *object)
{
  NatterProfileEditorCloud *self = (NatterProfileEditorCloud *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  natter_profile_editor_cloud_forget_secrets (self);

  G_OBJECT_CLASS (natter_profile_editor_cloud_parent_class)->dispose (object);
}

static void
natter_profile_editor_cloud_finalize (GObject *object)
{
  NatterProfileEditorCloud *self = (NatterProfileEditorCloud *) object;

  natter_secrets_free (self->service_account);
  g_free (self->key_error);

  G_OBJECT_CLASS (natter_profile_editor_cloud_parent_class)->finalize (object);
}

static void
natter_profile_editor_cloud_class_init (NatterProfileEditorCloudClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_profile_editor_cloud_dispose;
  object_class->finalize = natter_profile_editor_cloud_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-profile-editor-cloud.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditorCloud, service_account_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditorCloud, choose_key_button);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditorCloud, region_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditorCloud, project_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditorCloud, api_version_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditorCloud, v1_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditorCloud, v1_switch);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditorCloud, access_key_id_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditorCloud, session_token_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditorCloud, error_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_key_clicked_cb);
}

static void
natter_profile_editor_cloud_init (NatterProfileEditorCloud *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
