/* natter-profile-editor-test.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-profile-editor"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-model-chooser.h"
#include "natter-profile-editor-private.h"

/* Test and Fetch models: they use exactly what the form holds, the key
 * typed and not saved yet included. */

/* What Test and Fetch models need before anything is sent: a server
 * address and, for a provider that needs one, a key (saved, from the
 * environment, or typed and not saved yet). Says what is missing beside
 * the field, moves the focus there and returns it (NULL: nothing). */
static char *
missing_for_request (NatterProfileEditor *self)
{
  NatterProvider *provider = _natter_profile_editor_selected_provider (self);
  g_autofree char *url = _natter_profile_editor_entry_text (GTK_EDITABLE (self->url_entry));
  const char *default_url;
  char *message;

  _natter_profile_editor_show_error (self->key_error, NULL);
  if (provider == NULL)
    return g_strdup (_("Choose a provider first."));

  default_url = natter_provider_get_default_url (provider);
  if (*url == '\0' && (default_url == NULL || *default_url == '\0'))
    {
      message = g_strdup_printf (_("%s needs the address of its server: enter the API URL, for example http://localhost:8080/v1."),
                                 natter_provider_get_name (provider));
      _natter_profile_editor_show_error (self->url_error, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return message;
    }

  if (natter_provider_get_key_required (provider) && !_natter_profile_editor_form_has_typed_key (self) &&
      self->key_source_known && self->key_source == NATTER_KEY_SOURCE_NONE)
    {
      message = g_strdup_printf (_("%s needs an API key: press “Set API key” and paste it."),
                                 natter_provider_get_name (provider));
      _natter_profile_editor_show_error (self->key_error, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->set_key_button));
      return message;
    }

  return NULL;
}

/* Test */

/* The title already says what a transport message begins with ("Could
 * not reach the server at …: Could not connect to …"): the subtitle gives
 * only the rest, so that nothing is said twice. */
static const char *
without_cause (const char *message,
               const char *title,
               const char *category_words)
{
  const char *rest = NULL;

  if (g_str_has_prefix (message, title))
    rest = message + strlen (title);
  else if (g_str_has_prefix (message, category_words))
    rest = strstr (message + strlen (category_words), ": ");
  if (rest == NULL)
    return message;
  while (*rest == ':' || g_ascii_isspace (*rest))
    rest++;
  return *rest != '\0' ? rest : message;
}

static void
test_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(NatterProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  const char *unsaved_key;
  NatterProfile *profile;
  gboolean ok;

  ok = natter_client_test_finish (NATTER_CLIENT (object), result, &error);
  if (self->disposed)
    return;
  unsaved_key = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  profile = g_object_get_data (G_OBJECT (self), "natter-test-profile");

  if (ok)
    {
      title = g_strdup (_("Connection works"));
      subtitle = g_strdup (_("The provider answered the test request."));
    }
  else if (g_error_matches (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_CANCELLED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return;
    }
  else if (error->domain == NATTER_CLIENT_ERROR)
    {
      /* Found before anything was sent: the form, not the server. */
      title = g_strdup (_("The connection is not complete"));
      subtitle = g_strdup (error->message);
    }
  else
    {
      NatterErrorCategory category = error->domain == NATTER_REQUEST_ERROR
                                     ? (NatterErrorCategory) error->code
                                     : NATTER_ERROR_CATEGORY_NETWORK;

      switch (category)
        {
        case NATTER_ERROR_CATEGORY_AUTH:
          title = g_strdup (_("Invalid API key"));
          break;
        case NATTER_ERROR_CATEGORY_NOT_FOUND:
          title = g_strdup (_("Model not found"));
          break;
        case NATTER_ERROR_CATEGORY_NETWORK:
        case NATTER_ERROR_CATEGORY_TIMEOUT:
        case NATTER_ERROR_CATEGORY_TLS:
          {
            g_autofree char *base_url = NULL;

            if (profile != NULL &&
                natter_client_resolve (self->client, profile, NULL, NULL, &base_url, NULL))
              title = g_strdup_printf (_("Could not reach the server at %s"), base_url);
            else
              title = g_strdup (natter_error_category_describe (category));
          }
          break;
        default:
          title = g_strdup (natter_error_category_describe (category));
          break;
        }
      subtitle = g_strdup (without_cause (error->message, title,
                                          natter_error_category_describe (category)));
    }

  if (unsaved_key != NULL && *unsaved_key != '\0')
    {
      char *with_note = g_strconcat (subtitle, "\n",
                                     _("The test used the key typed above, which is not saved yet: press Save to keep it."),
                                     NULL);
      g_free (subtitle);
      subtitle = with_note;
    }

  gtk_spinner_stop (self->test_spinner);
  gtk_stack_set_visible_child_name (self->test_icon_stack, error == NULL ? "success" : "error");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), title);
  adw_action_row_set_subtitle (self->test_row, subtitle);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.test", TRUE);
  g_object_set_data (G_OBJECT (self), "natter-test-profile", NULL);
}

void
_natter_profile_editor_test_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NatterProfileEditor *self = NATTER_PROFILE_EDITOR (widget);
  g_autoptr(NatterProfile) profile = NULL;
  g_autofree char *missing = NULL;

  if (!_natter_profile_editor_validate_form (self, FALSE))
    return;

  missing = missing_for_request (self);
  if (missing != NULL)
    {
      g_cancellable_cancel (self->test_cancellable);
      gtk_spinner_stop (self->test_spinner);
      gtk_stack_set_visible_child_name (self->test_icon_stack, "error");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row),
                                     _("The connection is not complete"));
      adw_action_row_set_subtitle (self->test_row, missing);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.test", TRUE);
      return;
    }

  profile = _natter_profile_editor_form_profile (self);
  g_object_set_data_full (G_OBJECT (self), "natter-test-profile",
                          g_object_ref (profile), g_object_unref);

  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  self->test_cancellable = g_cancellable_new ();

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.test", FALSE);
  gtk_stack_set_visible_child_name (self->test_icon_stack, "running");
  gtk_spinner_start (self->test_spinner);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), _("Testing…"));
  adw_action_row_set_subtitle (self->test_row, "");

  natter_client_test_async (self->client, profile, self->test_cancellable,
                            test_cb, g_object_ref (self));
}

/* Models */

static void
model_selected_cb (NatterProfileEditor *self,
                   const char          *model)
{
  gtk_editable_set_text (GTK_EDITABLE (self->model_row), model);
}

void
_natter_profile_editor_fetch_models_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  NatterProfileEditor *self = NATTER_PROFILE_EDITOR (widget);
  g_autoptr(NatterProfile) profile = NULL;
  NatterModelChooser *chooser;
  g_autofree char *missing = NULL;

  if (!_natter_profile_editor_validate_form (self, FALSE))
    return;
  missing = missing_for_request (self);
  if (missing != NULL)
    return;

  profile = _natter_profile_editor_form_profile (self);
  chooser = natter_model_chooser_new (self->client, profile);
  g_signal_connect_object (chooser, "model-selected",
                           G_CALLBACK (model_selected_cb), self, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (chooser), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (GTK_WINDOW (chooser));
}
