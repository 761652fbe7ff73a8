/* natter-profile-editor.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-profile-editor"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "natter-a11y.h"
#include "natter-catalog.h"
#include "natter-generation-rows.h"
#include "natter-dialect.h"
#include "natter-instruct.h"
#include "natter-model-chooser.h"
#include "natter-profile-editor-private.h"
#include "natter-provider-chooser.h"
#include "natter-provider-features.h"
#include "natter-transport.h"
#include "natter-profile-editor-cloud.h"
#include "natter-secrets.h"


G_DEFINE_FINAL_TYPE (NatterProfileEditor, natter_profile_editor, ADW_TYPE_BIN)

enum {
  SAVED,
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static NatterCatalog *
get_catalog (NatterProfileEditor *self)
{
  return natter_client_get_catalog (self->client);
}

NatterProvider *
_natter_profile_editor_selected_provider (NatterProfileEditor *self)
{
  return natter_provider_chooser_get_provider (self->provider_chooser);
}

char *
_natter_profile_editor_entry_text (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

/* A password typed into the proxy URL moves to the proxy password field:
 * it is kept in the keyring, never in the profile. The URL keeps the user
 * name. */
static void
move_proxy_password (NatterProfileEditor *self)
{
  g_autofree char *proxy = _natter_profile_editor_entry_text (GTK_EDITABLE (self->proxy_entry));
  g_autofree char *without = NULL;
  char *password = NULL;

  without = natter_proxy_url_split_password (proxy, &password);
  if (password == NULL)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->proxy_password_row), password);
  gtk_editable_set_text (GTK_EDITABLE (self->proxy_entry), without);
  natter_secrets_free (password);
  memset (proxy, 0, strlen (proxy));
}

static void
proxy_focus_leave_cb (NatterProfileEditor *self)
{
  move_proxy_password (self);
}

/* A price field: TRUE with *@price = -1 when empty, TRUE with the price
 * when it is a decimal number >= 0 ("2.5" or "2,5"), FALSE otherwise. */
static gboolean
parse_price (GtkEditable *editable,
             double      *price)
{
  g_autofree char *text = _natter_profile_editor_entry_text (editable);
  char *end = NULL;
  double value;

  *price = -1;
  if (*text == '\0')
    return TRUE;
  /* A comma is the decimal separator in many locales; prices per million
   * tokens never need a thousands separator. */
  g_strdelimit (text, ",", '.');
  if (text[strspn (text, "0123456789.eE+")] != '\0')
    return FALSE;
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value) || value < 0)
    return FALSE;
  *price = value;
  return TRUE;
}

static void
set_price_text (GtkEntry *entry,
                double    price)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  gtk_editable_set_text (GTK_EDITABLE (entry),
                         price >= 0 ? g_ascii_formatd (buf, sizeof buf, "%.10g", price) : "");
}

/* Instruct templates (text-completion servers only) */

static gboolean
provider_is_text_completion (NatterProvider *provider)
{
  const NatterDialect *dialect;

  if (provider == NULL)
    return FALSE;
  dialect = natter_dialect_lookup (natter_provider_get_dialect_id (provider));
  return dialect != NULL && dialect->text_completion;
}

/* The template chosen in the form, or NULL for "Automatic". */
static const char *
chosen_instruct (NatterProfileEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->instruct_row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return natter_instruct_builtin_names ()[selected - 1];
}

/* Says which template "Automatic" takes for the model typed. */
static void
update_instruct_subtitle (NatterProfileEditor *self)
{
  g_autofree char *model = _natter_profile_editor_entry_text (GTK_EDITABLE (self->model_row));
  const char *guess = natter_instruct_builtin_for_model (model);
  g_autofree char *subtitle = NULL;

  if (chosen_instruct (self) != NULL)
    subtitle = g_strdup (_("Chosen for this connection"));
  else if (guess != NULL)
    subtitle = g_strdup_printf (_("Automatic: %s, made for this model"), guess);
  else
    subtitle = g_strdup (_("Automatic: ChatML (the model's name does not say which it needs)"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->instruct_row), subtitle);
}

static JsonObject *
settings_object (NatterProfile *profile)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, natter_profile_get_settings (profile), -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* Sets (or removes, @value NULL) one string of the settings object and
 * keeps every other member. Settings that are not an object stay as they
 * are (the store refuses them anyway). */
static void
set_setting_string (NatterProfile *profile,
                    const char    *key,
                    const char    *value)
{
  g_autoptr(JsonObject) object = settings_object (profile);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (object == NULL)
    return;
  if (value == NULL && !json_object_has_member (object, key))
    return;
  if (value != NULL)
    json_object_set_string_member (object, key, value);
  else
    json_object_remove_member (object, key);
  node = json_node_init_object (json_node_alloc (), object);
  text = json_to_string (node, FALSE);
  natter_profile_set_settings (profile, text);
}

/* Settings kept in the profile's JSON that the form shows. */
static void
fill_extra_settings (NatterProfileEditor *self,
                     NatterProfile       *profile)
{
  g_autoptr(JsonObject) object = settings_object (profile);
  const char *instruct = NULL;
  const char * const *names = natter_instruct_builtin_names ();
  guint selected = 0;

  if (object != NULL)
    instruct = json_object_get_string_member_with_default (object, "instruct_template", NULL);
  for (guint i = 0; instruct != NULL && names[i] != NULL; i++)
    if (g_ascii_strcasecmp (names[i], instruct) == 0)
      selected = i + 1;
  adw_combo_row_set_selected (self->instruct_row, selected);
  update_instruct_subtitle (self);
}

/* Copies the form into @profile (never the secrets). */
static void
fill_profile (NatterProfileEditor *self,
              NatterProfile       *profile)
{
  NatterProvider *provider = _natter_profile_editor_selected_provider (self);
  g_autofree char *name = _natter_profile_editor_entry_text (GTK_EDITABLE (self->name_row));
  g_autofree char *model = _natter_profile_editor_entry_text (GTK_EDITABLE (self->model_row));
  g_autofree char *url = _natter_profile_editor_entry_text (GTK_EDITABLE (self->url_entry));
  g_autofree char *proxy = _natter_profile_editor_entry_text (GTK_EDITABLE (self->proxy_entry));
  double in_price, out_price;

  natter_profile_set_name (profile, name);
  if (provider != NULL)
    natter_profile_set_provider_id (profile, natter_provider_get_id (provider));
  natter_profile_set_model (profile, model);
  natter_profile_set_base_url (profile, url);
  natter_profile_set_proxy_url (profile, proxy);
  natter_profile_set_connect_timeout (profile, gtk_spin_button_get_value_as_int (self->timeout_spin));
  natter_profile_set_is_default (profile, gtk_switch_get_active (self->default_switch));
  natter_profile_preset_group_apply (self->preset_group, profile);

  /* _natter_profile_editor_validate_form() ran before: a malformed price never gets here, and
   * the other members of the settings object are kept. */
  if (parse_price (GTK_EDITABLE (self->input_price_entry), &in_price) &&
      parse_price (GTK_EDITABLE (self->output_price_entry), &out_price))
    natter_profile_set_prices (profile, in_price, out_price);
  /* A malformed header was refused at Save before this. */
  natter_provider_features_save (self->provider_features, profile, NULL);
  natter_profile_editor_cloud_fill (self->cloud, profile);

  /* A chat provider has no use for it: its settings stay as they are. */
  if (provider_is_text_completion (provider))
    set_setting_string (profile, "instruct_template", chosen_instruct (self));
}

gboolean
_natter_profile_editor_form_has_typed_key (NatterProfileEditor *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->key_row));

  for (; typed != NULL && *typed != '\0'; typed++)
    if (!g_ascii_isspace (*typed))
      return TRUE;
  return FALSE;
}

/* A detached profile holding the form's values; it keeps the stored
 * profile's uuid so the saved key is used, unless a key was typed: then
 * that one (kept in memory only, see natter_profile_set_unsaved_api_key). */
NatterProfile *
_natter_profile_editor_form_profile (NatterProfileEditor *self)
{
  NatterProfile *profile;

  if (self->profile != NULL)
    profile = natter_profile_copy (self->profile);
  else
    profile = natter_profile_new ("", "");
  fill_profile (self, profile);
  if (_natter_profile_editor_form_has_typed_key (self))
    {
      g_autofree char *typed = _natter_profile_editor_entry_text (GTK_EDITABLE (self->key_row));

      natter_profile_set_unsaved_api_key (profile, typed);
      memset (typed, 0, strlen (typed));
    }
  return profile;
}

void
_natter_profile_editor_show_error (GtkLabel   *label,
            const char *message)
{
  gtk_label_set_label (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static gboolean
url_is_valid (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    return TRUE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  return (g_ascii_strcasecmp (scheme, "http") == 0 ||
          g_ascii_strcasecmp (scheme, "https") == 0) &&
         host != NULL && *host != '\0';
}

/* Checks the fields people get wrong and shows what is wrong beside them.
 * Returns TRUE when the form can be saved. */
gboolean
_natter_profile_editor_validate_form (NatterProfileEditor *self,
               gboolean             check_name)
{
  g_autofree char *name = _natter_profile_editor_entry_text (GTK_EDITABLE (self->name_row));
  g_autofree char *url = _natter_profile_editor_entry_text (GTK_EDITABLE (self->url_entry));
  g_autofree char *proxy = _natter_profile_editor_entry_text (GTK_EDITABLE (self->proxy_entry));
  g_autofree char *name_message = NULL;
  g_autofree char *url_message = NULL;
  g_autofree char *price_message = NULL;
  double price;

  if (check_name)
    {
      NatterProfile *other = natter_profile_store_lookup (self->store, name);

      if (*name == '\0')
        name_message = g_strdup (_("Enter a name for this connection."));
      else if (other != NULL &&
               (self->profile == NULL ||
                natter_profile_get_id (other) != natter_profile_get_id (self->profile)))
        name_message = g_strdup_printf (_("Another connection is already called “%s”. Choose a different name."),
                                        natter_profile_get_name (other));
    }

  if (!url_is_valid (url))
    url_message = g_strdup_printf (_("The API URL “%s” is not a valid address. Enter a full http:// or https:// URL, or leave it empty to use the provider's default."),
                                   url);
  else if (!url_is_valid (proxy))
    url_message = g_strdup_printf (_("The proxy URL “%s” is not a valid address. Enter a full http:// or https:// URL, or leave it empty."),
                                   proxy);

  if (!parse_price (GTK_EDITABLE (self->input_price_entry), &price))
    price_message = g_strdup_printf (_("The input price “%s” is not a number. Enter US dollars per million tokens, like 2.5, or leave it empty."),
                                     gtk_editable_get_text (GTK_EDITABLE (self->input_price_entry)));
  else if (!parse_price (GTK_EDITABLE (self->output_price_entry), &price))
    price_message = g_strdup_printf (_("The output price “%s” is not a number. Enter US dollars per million tokens, like 10, or leave it empty."),
                                     gtk_editable_get_text (GTK_EDITABLE (self->output_price_entry)));

  _natter_profile_editor_show_error (self->name_error, name_message);
  _natter_profile_editor_show_error (self->url_error, url_message);
  gtk_widget_set_visible (GTK_WIDGET (self->url_warning),
                          url_message == NULL && natter_transport_url_is_cleartext_public (url));
  _natter_profile_editor_show_error (self->price_error, price_message);
  if (name_message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  if (!parse_price (GTK_EDITABLE (self->input_price_entry), &price))
    gtk_widget_add_css_class (GTK_WIDGET (self->input_price_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->input_price_entry), "error");
  if (!parse_price (GTK_EDITABLE (self->output_price_entry), &price))
    gtk_widget_add_css_class (GTK_WIDGET (self->output_price_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->output_price_entry), "error");

  return name_message == NULL && url_message == NULL && price_message == NULL &&
         natter_profile_editor_cloud_validate (self->cloud);
}

/* A whole Azure deployment URL pasted as the API URL fills the endpoint,
 * the deployment (model) and the API version. */
static void
take_azure_url (NatterProfileEditor *self)
{
  g_autofree char *url = _natter_profile_editor_entry_text (GTK_EDITABLE (self->url_entry));
  g_autofree char *endpoint = NULL;
  g_autofree char *deployment = NULL;
  static gboolean busy;

  /* Filling the fields changes the form again. */
  if (busy)
    return;
  busy = TRUE;
  if (natter_profile_editor_cloud_azure_url (self->cloud, url, &endpoint, &deployment))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->url_entry), endpoint);
      if (deployment != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->model_row), deployment);
    }
  busy = FALSE;
}

static void
model_changed_cb (NatterProfileEditor *self)
{
  natter_provider_features_set_model (self->provider_features,
                                      gtk_editable_get_text (GTK_EDITABLE (self->model_row)));
}

static void
form_changed_cb (NatterProfileEditor *self)
{
  take_azure_url (self);
  /* Before the first Save only the URLs are checked live, so that a name
   * being typed is not shouted at. */
  _natter_profile_editor_validate_form (self, self->tried_save);
}

static void set_key_state     (NatterProfileEditor *self,
                               NatterKeySource      source);
static void refresh_key_state (NatterProfileEditor *self);

/* A default URL as a person reads it: "{region}" becomes "REGION". */
static char *
url_placeholder (const char *url)
{
  GString *out;
  gboolean inside = FALSE;

  if (url == NULL || *url == '\0')
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = url; *p != '\0'; p++)
    {
      if (*p == '{' || *p == '}')
        inside = *p == '{';
      else
        g_string_append_c (out, inside ? g_ascii_toupper (*p) : *p);
    }
  return g_string_free (out, FALSE);
}

static void
provider_changed_cb (NatterProfileEditor *self)
{
  NatterProvider *provider = _natter_profile_editor_selected_provider (self);
  const char *url = provider ? natter_provider_get_default_url (provider) : NULL;
  const char *model = provider ? natter_provider_get_default_model (provider) : NULL;
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (self->model_row));

  g_autofree char *shown = url_placeholder (url);

  gtk_entry_set_placeholder_text (self->url_entry,
                                  shown != NULL ? shown : _("Provider default"));
  if (GTK_IS_TEXT (text))
    gtk_text_set_placeholder_text (GTK_TEXT (text), model && *model ? model : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->instruct_row), provider_is_text_completion (provider));
  natter_profile_editor_cloud_set_provider (self->cloud, provider ? natter_provider_get_id (provider) : NULL);
  /* A profile not saved yet can only get its key from the environment,
   * which depends on the provider. */
  if (self->profile == NULL && self->client != NULL)
    refresh_key_state (self);
  natter_provider_features_set_provider (self->provider_features,
                                         provider ? natter_provider_get_id (provider) : NULL);
}

static void
set_key_state (NatterProfileEditor *self,
               NatterKeySource      source)
{
  gboolean stored = source == NATTER_KEY_SOURCE_STORED;
  const char *label = stored ? _("Update API key") : _("Set API key");

  self->key_source = source;
  self->key_source_known = TRUE;
  _natter_profile_editor_show_error (self->key_error, NULL);
  adw_action_row_set_subtitle (self->key_state_row, natter_key_source_describe (source));
  gtk_button_set_label (self->set_key_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->set_key_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row),
                                 stored ? _("Replacement API key") : _("New API key"));
  /* Vertex AI's key is a whole service account file. */
  if (_natter_profile_editor_selected_provider (self) != NULL &&
      g_strcmp0 (natter_provider_get_id (_natter_profile_editor_selected_provider (self)), "vertex") == 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row),
                                   _("Service account key (paste the JSON, or choose the file below)"));
}

static void
key_source_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(NatterProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  NatterKeySource source;

  source = natter_client_key_source_finish (NATTER_CLIENT (object), result, &error);
  if (self->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_key_state (self, source);
  if (error != NULL)
    adw_action_row_set_subtitle (self->key_state_row, _("The keyring could not be reached"));
}

/* Where the key comes from: the keyring for a saved connection, else the
 * provider's environment variable (which depends on the provider chosen). */
static void
refresh_key_state (NatterProfileEditor *self)
{
  g_autoptr(NatterProfile) profile = NULL;

  self->key_source_known = FALSE;
  if (self->profile != NULL)
    profile = g_object_ref (self->profile);
  else
    profile = _natter_profile_editor_form_profile (self);
  natter_client_key_source_async (self->client, profile, self->cancellable,
                                  key_source_cb, g_object_ref (self));
}

static void
set_key_clicked_cb (NatterProfileEditor *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->key_row), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
}

static void fill_form (NatterProfileEditor *self,
                       NatterProfile       *profile);

/* Changes made elsewhere */

static gboolean
same_values (NatterProfile *a,
             NatterProfile *b)
{
  return g_strcmp0 (natter_profile_get_name (a), natter_profile_get_name (b)) == 0 &&
         g_strcmp0 (natter_profile_get_provider_id (a), natter_profile_get_provider_id (b)) == 0 &&
         g_strcmp0 (natter_profile_get_model (a), natter_profile_get_model (b)) == 0 &&
         g_strcmp0 (natter_profile_get_base_url (a), natter_profile_get_base_url (b)) == 0 &&
         g_strcmp0 (natter_profile_get_proxy_url (a), natter_profile_get_proxy_url (b)) == 0 &&
         natter_profile_get_connect_timeout (a) == natter_profile_get_connect_timeout (b) &&
         natter_profile_get_is_default (a) == natter_profile_get_is_default (b) &&
         g_strcmp0 (natter_profile_get_settings (a), natter_profile_get_settings (b)) == 0 &&
         g_strv_equal ((const char * const *) natter_profile_get_custom_models (a),
                       (const char * const *) natter_profile_get_custom_models (b));
}

/* TRUE (and says so above the form) when the connection was changed or
 * deleted by someone else (natter-cli, the header bar, another window)
 * since the form took its values. */
static gboolean
check_conflict (NatterProfileEditor *self)
{
  NatterProfile *stored;
  gboolean deleted;

  if (self->profile == NULL || self->original == NULL)
    return FALSE;

  stored = natter_profile_store_lookup_by_id (self->store, natter_profile_get_id (self->profile));
  deleted = stored == NULL;
  if (!deleted && same_values (stored, self->original))
    {
      gtk_widget_set_visible (self->conflict_box, FALSE);
      return FALSE;
    }

  gtk_label_set_label (self->conflict_label,
                       deleted
                       ? _("This connection was deleted elsewhere (another window or natter-cli). Saving cannot bring it back: press Cancel.")
                       : _("This connection was changed elsewhere (another window or natter-cli) while this form was open. Reload it to see the new values, or keep the values in this form and Save them over the other change."));
  gtk_widget_set_visible (GTK_WIDGET (self->reload_button), !deleted);
  gtk_widget_set_visible (GTK_WIDGET (self->keep_mine_button), !deleted);
  gtk_widget_set_visible (self->conflict_box, TRUE);
  return TRUE;
}

static void
store_changed_cb (NatterProfileEditor *self)
{
  /* Our own Save changes the stored profile too: that is no conflict. */
  if (!self->writing)
    check_conflict (self);
}

static void
reload_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  NatterProfileEditor *self = NATTER_PROFILE_EDITOR (widget);
  NatterProfile *stored;

  if (self->profile == NULL)
    return;
  stored = natter_profile_store_lookup_by_id (self->store, natter_profile_get_id (self->profile));
  if (stored == NULL)
    return;
  fill_form (self, stored);
  gtk_widget_set_visible (self->conflict_box, FALSE);
  _natter_profile_editor_validate_form (self, self->tried_save);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
keep_mine_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  NatterProfileEditor *self = NATTER_PROFILE_EDITOR (widget);
  NatterProfile *stored;

  if (self->profile == NULL)
    return;
  stored = natter_profile_store_lookup_by_id (self->store, natter_profile_get_id (self->profile));
  if (stored == NULL)
    return;
  /* The other change is now known: Save replaces it with the form. */
  g_clear_object (&self->original);
  self->original = natter_profile_copy (stored);
  gtk_widget_set_visible (self->conflict_box, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
}

/* Saving */

static void
set_saving (NatterProfileEditor *self,
            gboolean             saving)
{
  self->saving = saving;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !saving);
}

static void store_secrets (NatterProfileEditor *self);

static void
secret_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(NatterProfileEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  NatterSecretKind kind = self->pending_kind;

  if (!natter_secrets_store_finish (result, &error))
    {
      g_autofree char *message = NULL;

      g_clear_pointer (&self->pending_key, natter_secrets_free);
      g_clear_pointer (&self->pending_proxy_password, natter_secrets_free);
      g_clear_pointer (&self->pending_headers, natter_secrets_free);
      if (self->disposed)
        {
          g_warning ("A secret of a saved connection could not be stored: %s", error->message);
          return;
        }
      g_clear_pointer (&self->pending_session_token, natter_secrets_free);
      if (kind == NATTER_SECRET_API_KEY || kind == NATTER_SECRET_SESSION_TOKEN)
        message = g_strdup_printf (_("The connection was saved, but the API key could not be stored in the keyring: %s\nThe key was not saved. Press Save to try again."),
                                   error->message);
      else if (kind == NATTER_SECRET_HEADERS)
        message = g_strdup_printf (_("The connection was saved, but the secret headers could not be stored in the keyring: %s\nPress Save to try again."),
                                   error->message);
      else
        message = g_strdup_printf (_("The connection was saved, but the proxy password could not be stored in the keyring: %s\nThe password was not saved. Press Save to try again."),
                                   error->message);
      _natter_profile_editor_show_error (self->save_error, message);
      set_saving (self, FALSE);
      return;
    }

  if (kind == NATTER_SECRET_API_KEY)
    {
      g_clear_pointer (&self->pending_key, natter_secrets_free);
      if (!self->disposed)
        {
          /* Stored: drop it from the form so it is never shown again. */
          gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
          gtk_widget_set_visible (GTK_WIDGET (self->key_row), FALSE);
          set_key_state (self, NATTER_KEY_SOURCE_STORED);
        }
    }
  else if (kind == NATTER_SECRET_HEADERS)
    {
      g_clear_pointer (&self->pending_headers, natter_secrets_free);
      if (!self->disposed)
        natter_provider_features_clear_secret_headers (self->provider_features);
    }
  else if (kind == NATTER_SECRET_SESSION_TOKEN)
    g_clear_pointer (&self->pending_session_token, natter_secrets_free);
  else
    {
      g_clear_pointer (&self->pending_proxy_password, natter_secrets_free);
      if (!self->disposed)
        gtk_editable_set_text (GTK_EDITABLE (self->proxy_password_row), "");
    }
  store_secrets (self);
}

/* Stores the secrets taken from the form at Save, one at a time; when none
 * is left, the form is done. Not cancelled when the window goes away: a
 * saved profile gets its key even when the window is closed at once. */
static void
store_secrets (NatterProfileEditor *self)
{
  const char *uuid = natter_profile_get_uuid (self->profile);
  const char *name = natter_profile_get_name (self->profile);

  if (self->pending_key != NULL)
    {
      self->pending_kind = NATTER_SECRET_API_KEY;
      natter_secrets_store_async (uuid, NATTER_SECRET_API_KEY, name, self->pending_key, NULL,
                                  secret_stored_cb, g_object_ref (self));
      return;
    }
  if (self->pending_headers != NULL)
    {
      self->pending_kind = NATTER_SECRET_HEADERS;
      natter_secrets_store_async (uuid, NATTER_SECRET_HEADERS, name, self->pending_headers, NULL,
                                  secret_stored_cb, g_object_ref (self));
      return;
    }
  if (self->pending_session_token != NULL)
    {
      self->pending_kind = NATTER_SECRET_SESSION_TOKEN;
      natter_secrets_store_async (uuid, NATTER_SECRET_SESSION_TOKEN, name,
                                  self->pending_session_token, NULL,
                                  secret_stored_cb, g_object_ref (self));
      return;
    }
  if (self->pending_proxy_password != NULL)
    {
      self->pending_kind = NATTER_SECRET_PROXY_PASSWORD;
      natter_secrets_store_async (uuid, NATTER_SECRET_PROXY_PASSWORD, name,
                                  self->pending_proxy_password, NULL,
                                  secret_stored_cb, g_object_ref (self));
      return;
    }

  if (self->disposed)
    return;
  natter_profile_editor_cloud_forget_secrets (self->cloud);
  set_saving (self, FALSE);
  g_signal_emit (self, signals[SAVED], 0, self->profile);
  g_signal_emit (self, signals[DONE], 0);
}

static char *
dup_secret (gpointer editable)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (editable));

  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NatterProfileEditor *self = NATTER_PROFILE_EDITOR (widget);
  g_autoptr(NatterProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  char *key = NULL;
  char *session_token = NULL;
  gboolean ok;

  if (self->saving)
    return;

  self->tried_save = TRUE;
  _natter_profile_editor_show_error (self->save_error, NULL);
  move_proxy_password (self);
  if (!_natter_profile_editor_validate_form (self, TRUE))
    {
      /* Focus scrolls the field with the problem into view. */
      if (gtk_widget_get_visible (GTK_WIDGET (self->name_error)))
        gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      else if (gtk_widget_get_visible (GTK_WIDGET (self->url_error)))
        gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      else if (gtk_widget_has_css_class (GTK_WIDGET (self->input_price_entry), "error"))
        gtk_widget_grab_focus (GTK_WIDGET (self->input_price_entry));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->output_price_entry));
      return;
    }

  /* A newer change made elsewhere is never overwritten without asking. */
  if (check_conflict (self))
    {
      gtk_widget_grab_focus (gtk_widget_get_visible (GTK_WIDGET (self->reload_button))
                             ? GTK_WIDGET (self->reload_button)
                             : GTK_WIDGET (self->conflict_label));
      return;
    }

  {
    g_autoptr(NatterProfile) check = natter_profile_new ("", "");

    if (!natter_provider_features_save (self->provider_features, check, &error))
      {
        _natter_profile_editor_show_error (self->save_error, error->message);
        return;
      }
  }

  profile = _natter_profile_editor_form_profile (self);
  /* The secrets are taken (and a service account key checked, its e-mail
   * recorded) before anything is written. */
  {
    g_autofree char *typed = dup_secret (self->key_row);

    ok = natter_profile_editor_cloud_take_secrets (self->cloud, profile, typed, &key,
                                                   &session_token, &error);
    if (typed != NULL)
      memset (typed, 0, strlen (typed));
    if (!ok)
      {
        _natter_profile_editor_show_error (self->save_error, error->message);
        gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
        return;
      }
  }
  self->writing = TRUE;
  if (self->profile == NULL)
    ok = natter_profile_store_add (self->store, profile, &error);
  else
    ok = natter_profile_store_update (self->store, profile, &error);
  self->writing = FALSE;

  if (!ok)
    {
      natter_secrets_free (key);
      natter_secrets_free (session_token);
      if (g_error_matches (error, NATTER_STORE_ERROR, NATTER_STORE_ERROR_EXISTS))
        _natter_profile_editor_show_error (self->name_error, error->message);
      else
        _natter_profile_editor_show_error (self->save_error, error->message);
      return;
    }

  if (self->profile == NULL)
    {
      /* The form now edits the stored profile: a retry after a keyring
       * failure updates it instead of adding a second one. */
      self->profile = g_object_ref (profile);
      natter_provider_features_set_profile (self->provider_features, profile);
      adw_window_title_set_title (self->title_widget, _("Edit Connection"));
      g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  g_clear_object (&self->original);
  self->original = natter_profile_copy (self->profile);

  set_saving (self, TRUE);
  self->pending_key = key;
  self->pending_session_token = session_token;
  self->pending_proxy_password = dup_secret (self->proxy_password_row);
  self->pending_headers = natter_provider_features_dup_secret_headers (self->provider_features);
  store_secrets (self);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[DONE], 0);
}

/* Object */

static void
natter_profile_editor_dispose (GObject *object)
{
  NatterProfileEditor *self = (NatterProfileEditor *)object;

  /* A store in flight holds a reference and finishes without the widgets. */
  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->test_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (natter_profile_editor_parent_class)->dispose (object);
}

static void
natter_profile_editor_finalize (GObject *object)
{
  NatterProfileEditor *self = (NatterProfileEditor *)object;

  natter_secrets_free (self->pending_key);
  natter_secrets_free (self->pending_proxy_password);
  natter_secrets_free (self->pending_headers);
  natter_secrets_free (self->pending_session_token);
  g_clear_object (&self->profile);
  g_clear_object (&self->original);

  G_OBJECT_CLASS (natter_profile_editor_parent_class)->finalize (object);
}

static void
natter_profile_editor_class_init (NatterProfileEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (NATTER_TYPE_PROVIDER_CHOOSER);

  object_class->dispose = natter_profile_editor_dispose;
  object_class->finalize = natter_profile_editor_finalize;

  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, NATTER_TYPE_PROFILE);
  signals[DONE] =
    g_signal_new ("done",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_activated);
  gtk_widget_class_install_action (widget_class, "editor.test", NULL, _natter_profile_editor_test_activated);
  gtk_widget_class_install_action (widget_class, "editor.fetch-models", NULL, _natter_profile_editor_fetch_models_activated);
  gtk_widget_class_install_action (widget_class, "editor.reload", NULL, reload_activated);
  gtk_widget_class_install_action (widget_class, "editor.keep-mine", NULL, keep_mine_activated);

  g_type_ensure (NATTER_TYPE_PROFILE_EDITOR_CLOUD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-profile-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, cloud);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, name_error);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, provider_chooser);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, model_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, instruct_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, key_state_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, set_key_button);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, key_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, key_error);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, url_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, proxy_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, proxy_password_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, url_error);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, url_warning);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, input_price_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, output_price_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, price_error);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, default_switch);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, test_row);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, test_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, save_error);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, title_widget);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, fetch_models_button);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, test_button);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, preset_group);
  g_type_ensure (NATTER_TYPE_PROFILE_PRESET_GROUP);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, conflict_box);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, reload_button);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, keep_mine_button);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, provider_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, NatterProfileEditor, provider_features);
  g_type_ensure (NATTER_TYPE_PROVIDER_FEATURES);
  gtk_widget_class_bind_template_callback (widget_class, set_key_clicked_cb);
}

static void
natter_profile_editor_init (NatterProfileEditor *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  {
    g_autoptr(GtkStringList) templates = gtk_string_list_new (NULL);

    gtk_string_list_append (templates, _("Automatic (from the model)"));
    for (const char * const *name = natter_instruct_builtin_names (); *name != NULL; name++)
      gtk_string_list_append (templates, *name);
    adw_combo_row_set_model (self->instruct_row, G_LIST_MODEL (templates));
  }
  g_signal_connect_object (self->instruct_row, "notify::selected",
                           G_CALLBACK (update_instruct_subtitle), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model_row, "changed",
                           G_CALLBACK (update_instruct_subtitle), self, G_CONNECT_SWAPPED);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (proxy_focus_leave_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->proxy_entry), focus);
}

static void select_provider (NatterProfileEditor *self,
                             const char          *provider_id);

/* The form shows @profile (the stored one) and remembers its values, to
 * notice when someone else changes it. */
static void
fill_form (NatterProfileEditor *self,
           NatterProfile       *profile)
{
  double in_price, out_price;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), natter_profile_get_name (profile));
  select_provider (self, natter_profile_get_provider_id (profile));
  gtk_editable_set_text (GTK_EDITABLE (self->model_row), natter_profile_get_model (profile));
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), natter_profile_get_base_url (profile));
  gtk_editable_set_text (GTK_EDITABLE (self->proxy_entry), natter_profile_get_proxy_url (profile));
  gtk_spin_button_set_value (self->timeout_spin, natter_profile_get_connect_timeout (profile));
  gtk_switch_set_active (self->default_switch, natter_profile_get_is_default (profile));
  natter_profile_get_prices (profile, &in_price, &out_price);
  set_price_text (self->input_price_entry, in_price);
  set_price_text (self->output_price_entry, out_price);
  fill_extra_settings (self, profile);
  natter_profile_editor_cloud_load (self->cloud, profile);

  g_clear_object (&self->original);
  self->original = natter_profile_copy (profile);
}

static void
select_provider (NatterProfileEditor *self,
                 const char          *provider_id)
{
  natter_provider_chooser_select_id (self->provider_chooser, provider_id);
}

NatterProfileEditor *
natter_profile_editor_new (NatterClient       *client,
                           NatterProfileStore *store,
                           NatterProfile      *profile)
{
  NatterProfileEditor *self;

  g_return_val_if_fail (NATTER_IS_CLIENT (client), NULL);
  g_return_val_if_fail (NATTER_IS_PROFILE_STORE (store), NULL);
  g_return_val_if_fail (profile == NULL || NATTER_IS_PROFILE (profile), NULL);

  self = g_object_new (NATTER_TYPE_PROFILE_EDITOR, NULL);
  self->client = g_object_ref (client);
  self->store = g_object_ref (store);
  self->profile = profile ? g_object_ref (profile) : NULL;

  natter_provider_chooser_set_providers (self->provider_chooser,
                                         natter_catalog_get_providers (get_catalog (self)));

  if (profile != NULL)
    {
      adw_window_title_set_title (self->title_widget, _("Edit Connection"));
      fill_form (self, profile);
      g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  else
    {
      adw_window_title_set_title (self->title_widget, _("New Connection"));
      gtk_switch_set_active (self->default_switch,
                             natter_profile_store_get_default (store) == NULL);
    }
  natter_profile_preset_group_load (self->preset_group, natter_profile_store_get_database (store), profile);
  natter_provider_features_load (self->provider_features, client, profile);
  g_signal_connect_object (self->provider_features, "signed-in",
                           G_CALLBACK (refresh_key_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model_row, "changed",
                           G_CALLBACK (model_changed_cb), self, G_CONNECT_SWAPPED);
  provider_changed_cb (self);
  refresh_key_state (self);

  return self;
}

NatterProfile *
natter_profile_editor_get_profile (NatterProfileEditor *self)
{
  g_return_val_if_fail (NATTER_IS_PROFILE_EDITOR (self), NULL);

  return self->profile;
}
