/* natter-mcp-server-editor.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-mcp-server-editor"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-mcp-server-editor.h"
#include "natter-mcp-store.h"
#include "natter-secrets.h"

struct _NatterMcpServerEditor
{
  AdwWindow        parent_instance;

  AdwEntryRow     *name_row;
  AdwComboRow     *kind_row;
  AdwPreferencesGroup *program_group;
  AdwPreferencesGroup *http_group;
  AdwEntryRow     *command_row;
  AdwEntryRow     *env_row;
  AdwEntryRow     *secret_env_row;
  AdwEntryRow     *url_row;
  AdwEntryRow     *headers_row;
  AdwEntryRow     *secret_headers_row;
  GtkSpinButton   *timeout_spin;
  GtkLabel        *error_label;
  GtkButton       *save_button;

  NatterDatabase  *db;
  NatterMcpConfig *original;   /* nullable: a new server */
  NatterMcpConfig *pending;    /* being saved */
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (NatterMcpServerEditor, natter_mcp_server_editor, ADW_TYPE_WINDOW)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (NatterMcpServerEditor *self,
            const char            *message)
{
  /* Closed while the keyring was busy. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
}

static void
on_kind_changed (NatterMcpServerEditor *self)
{
  gboolean http = adw_combo_row_get_selected (self->kind_row) == 1;

  gtk_widget_set_visible (GTK_WIDGET (self->program_group), !http);
  gtk_widget_set_visible (GTK_WIDGET (self->http_group), http);
}

static char *
quote_if_needed (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || strchr ("'\"\\$`#&|;<>()*?[]~", *p) != NULL)
      return g_shell_quote (text);
  return g_strdup (text);
}

/* The plain pairs as "NAME=VALUE …" (secret ones are not shown). */
static char *
pairs_to_text (GPtrArray *pairs)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < pairs->len; i++)
    {
      NatterCustomHeader *pair = g_ptr_array_index (pairs, i);
      g_autofree char *joined = NULL;
      g_autofree char *quoted = NULL;

      if (pair->secret)
        continue;
      joined = g_strdup_printf ("%s=%s", pair->name, pair->value != NULL ? pair->value : "");
      quoted = quote_if_needed (joined);
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, quoted);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Adds the "NAME=VALUE …" of @text to @config. */
static gboolean
add_pairs (NatterMcpConfig  *config,
           const char       *text,
           gboolean          env,
           gboolean          secret,
           GError          **error)
{
  g_auto(GStrv) words = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  int n = 0;

  if (*stripped == '\0')
    return TRUE;
  if (!g_shell_parse_argv (text, &n, &words, error))
    return FALSE;
  for (int i = 0; i < n; i++)
    {
      const char *eq = strchr (words[i], '=');
      g_autofree char *name = NULL;

      if (eq == NULL || eq == words[i])
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Write NAME=VALUE, not “%s”."), words[i]);
          return FALSE;
        }
      name = g_strndup (words[i], eq - words[i]);
      if (env)
        natter_mcp_config_set_env (config, name, eq + 1, secret || natter_custom_header_name_looks_secret (name));
      else
        natter_mcp_config_set_header (config, name, eq + 1, secret || natter_custom_header_name_looks_secret (name));
    }
  return TRUE;
}

/* The config the rows describe, or NULL with @error. */
static NatterMcpConfig *
build_config (NatterMcpServerEditor  *self,
              GError                **error)
{
  g_autoptr(NatterMcpConfig) config = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  gboolean http = adw_combo_row_get_selected (self->kind_row) == 1;
  const char *secret_text;
  GPtrArray *pairs;

  if (http)
    {
      g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));

      config = natter_mcp_config_new_http (name, url);
      if (!add_pairs (config, gtk_editable_get_text (GTK_EDITABLE (self->headers_row)), FALSE, FALSE, error))
        return NULL;
      secret_text = gtk_editable_get_text (GTK_EDITABLE (self->secret_headers_row));
      if (!add_pairs (config, secret_text, FALSE, TRUE, error))
        return NULL;
      pairs = config->headers;
    }
  else
    {
      g_auto(GStrv) argv = NULL;
      const char *command = gtk_editable_get_text (GTK_EDITABLE (self->command_row));

      if (*command == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Give the command that starts the server."));
          return NULL;
        }
      if (!g_shell_parse_argv (command, NULL, &argv, error))
        return NULL;
      /* As a terminal would: ~/ is the home folder. */
      for (guint i = 0; argv[i] != NULL; i++)
        if (g_str_equal (argv[i], "~") || g_str_has_prefix (argv[i], "~/"))
          {
            char *expanded = g_build_filename (g_get_home_dir (), argv[i] + 1, NULL);

            g_free (argv[i]);
            argv[i] = expanded;
          }
      config = natter_mcp_config_new_stdio (name, argv[0], (const char * const *) argv + 1);
      if (!add_pairs (config, gtk_editable_get_text (GTK_EDITABLE (self->env_row)), TRUE, FALSE, error))
        return NULL;
      secret_text = gtk_editable_get_text (GTK_EDITABLE (self->secret_env_row));
      if (!add_pairs (config, secret_text, TRUE, TRUE, error))
        return NULL;
      pairs = config->env;
    }

  /* An empty secret field keeps the secret entries stored (their values
   * stay in the keyring). */
  if (self->original != NULL && *secret_text == '\0' && self->original->transport == config->transport)
    {
      GPtrArray *old = http ? self->original->headers : self->original->env;

      for (guint i = 0; i < old->len; i++)
        {
          NatterCustomHeader *pair = g_ptr_array_index (old, i);
          gboolean present = FALSE;

          for (guint j = 0; j < pairs->len; j++)
            present |= g_str_equal (((NatterCustomHeader *) g_ptr_array_index (pairs, j))->name, pair->name);
          if (pair->secret && !present)
            g_ptr_array_add (pairs, natter_custom_header_new (pair->name, NULL, TRUE));
        }
    }

  if (self->original != NULL)
    {
      g_free (config->uuid);
      config->uuid = g_strdup (self->original->uuid);
    }
  config->timeout = (guint) gtk_spin_button_get_value_as_int (self->timeout_spin);
  if (config->timeout == NATTER_MCP_DEFAULT_TIMEOUT)
    config->timeout = 0;
  if (!natter_mcp_config_validate (config, error))
    return NULL;
  return g_steal_pointer (&config);
}

static void
finish_save (NatterMcpServerEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!natter_mcp_store_save (self->db, self->pending, &error))
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_secrets_written (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(NatterMcpServerEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = natter_secrets_store_finish (result, &error);
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("The secret values could not be kept in the keyring: %s"),
                                                  error->message);

      show_error (self, message);
      return;
    }
  finish_save (self);
}

static void
on_secrets_cleared (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterMcpServerEditor) self = user_data;

  /* A stale item only holds values nothing uses: not worth stopping for. */
  if (!natter_secrets_clear_finish (result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  finish_save (self);
}

static void
write_secrets (NatterMcpServerEditor *self)
{
  char *json = natter_mcp_config_secret_json (self->pending);

  natter_secrets_store_async (self->pending->uuid, NATTER_SECRET_HEADERS, self->pending->name, json,
                              self->cancellable, on_secrets_written, g_object_ref (self));
  natter_secrets_free (json);
}

/* New values and kept ones go into one item: the kept ones are read first. */
static void
on_old_secrets (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(NatterMcpServerEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  char *json = natter_secrets_lookup_finish (result, &error);
  g_autoptr(NatterMcpConfig) old = NULL;
  GPtrArray *pairs;
  GPtrArray *old_pairs;

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  old = natter_mcp_config_copy (self->pending);
  natter_mcp_config_apply_secrets (old, json);
  natter_secrets_free (json);
  pairs = self->pending->transport == NATTER_MCP_TRANSPORT_STDIO ? self->pending->env : self->pending->headers;
  old_pairs = old->transport == NATTER_MCP_TRANSPORT_STDIO ? old->env : old->headers;
  for (guint i = 0; i < pairs->len; i++)
    {
      NatterCustomHeader *pair = g_ptr_array_index (pairs, i);
      NatterCustomHeader *filled = g_ptr_array_index (old_pairs, i);

      if (pair->secret && pair->value == NULL && filled->value != NULL)
        pair->value = g_strdup (filled->value);
    }
  write_secrets (self);
}

static void
on_save_clicked (NatterMcpServerEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterMcpConfig) clash = NULL;
  GPtrArray *pairs;
  gboolean new_values = FALSE;
  gboolean kept = FALSE;

  g_clear_pointer (&self->pending, natter_mcp_config_free);
  self->pending = build_config (self, &error);
  if (self->pending == NULL)
    {
      show_error (self, error->message);
      return;
    }
  clash = natter_mcp_store_get (self->db, self->pending->name, NULL);
  if (clash != NULL && g_strcmp0 (clash->uuid, self->pending->uuid) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("There is already an MCP server called “%s”."),
                                                  self->pending->name);

      show_error (self, message);
      return;
    }
  show_error (self, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);

  pairs = self->pending->transport == NATTER_MCP_TRANSPORT_STDIO ? self->pending->env : self->pending->headers;
  for (guint i = 0; i < pairs->len; i++)
    {
      NatterCustomHeader *pair = g_ptr_array_index (pairs, i);

      new_values |= pair->secret && pair->value != NULL;
      kept |= pair->secret && pair->value == NULL;
    }
  if (new_values && kept)
    natter_secrets_lookup_async (self->pending->uuid, NATTER_SECRET_HEADERS, self->cancellable,
                                 on_old_secrets, g_object_ref (self));
  else if (new_values)
    write_secrets (self);
  else if (self->original != NULL && natter_mcp_config_has_secrets (self->original) && !kept)
    natter_secrets_clear_async (self->pending->uuid, NATTER_SECRET_HEADERS, self->cancellable,
                                on_secrets_cleared, g_object_ref (self));
  else
    finish_save (self);
}

static void
load (NatterMcpServerEditor *self)
{
  const NatterMcpConfig *config = self->original;
  guint timeout;

  if (config == NULL)
    return;
  gtk_window_set_title (GTK_WINDOW (self), config->name);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), config->name);
  adw_combo_row_set_selected (self->kind_row, config->transport == NATTER_MCP_TRANSPORT_HTTP ? 1 : 0);
  if (config->transport == NATTER_MCP_TRANSPORT_STDIO)
    {
      g_autoptr(GString) command = g_string_new (NULL);
      g_autofree char *env = pairs_to_text (config->env);
      g_autofree char *quoted = quote_if_needed (config->command);

      g_string_append (command, quoted);
      for (guint i = 0; config->args[i] != NULL; i++)
        {
          g_autofree char *arg = quote_if_needed (config->args[i]);

          g_string_append_printf (command, " %s", arg);
        }
      gtk_editable_set_text (GTK_EDITABLE (self->command_row), command->str);
      gtk_editable_set_text (GTK_EDITABLE (self->env_row), env);
    }
  else
    {
      g_autofree char *headers = pairs_to_text (config->headers);

      gtk_editable_set_text (GTK_EDITABLE (self->url_row), config->url);
      gtk_editable_set_text (GTK_EDITABLE (self->headers_row), headers);
    }
  timeout = natter_mcp_config_get_timeout (config);
  gtk_spin_button_set_value (self->timeout_spin, timeout);
}

NatterMcpServerEditor *
natter_mcp_server_editor_new (GtkWindow             *parent,
                              NatterDatabase        *db,
                              const NatterMcpConfig *config)
{
  NatterMcpServerEditor *self;

  g_return_val_if_fail (NATTER_IS_DATABASE (db), NULL);

  self = g_object_new (NATTER_TYPE_MCP_SERVER_EDITOR, "transient-for", parent, NULL);
  self->db = g_object_ref (db);
  self->original = config != NULL ? natter_mcp_config_copy (config) : NULL;
  if (config == NULL)
    gtk_window_set_title (GTK_WINDOW (self), _("New MCP Server"));
  load (self);
  return self;
}

static void
natter_mcp_server_editor_dispose (GObject *object)
{
  NatterMcpServerEditor *self = NATTER_MCP_SERVER_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_MCP_SERVER_EDITOR);

  G_OBJECT_CLASS (natter_mcp_server_editor_parent_class)->dispose (object);
}

static void
natter_mcp_server_editor_finalize (GObject *object)
{
  NatterMcpServerEditor *self = NATTER_MCP_SERVER_EDITOR (object);

  g_clear_object (&self->db);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->original, natter_mcp_config_free);
  g_clear_pointer (&self->pending, natter_mcp_config_free);

  G_OBJECT_CLASS (natter_mcp_server_editor_parent_class)->finalize (object);
}

static void
natter_mcp_server_editor_class_init (NatterMcpServerEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_mcp_server_editor_dispose;
  object_class->finalize = natter_mcp_server_editor_finalize;

  /* Emitted after the server was written (keyring and database). */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-mcp-server-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, kind_row);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, program_group);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, http_group);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, command_row);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, env_row);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, secret_env_row);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, url_row);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, headers_row);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, secret_headers_row);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, NatterMcpServerEditor, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
natter_mcp_server_editor_init (NatterMcpServerEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  natter_a11y_fix_names (GTK_WIDGET (self));
}
