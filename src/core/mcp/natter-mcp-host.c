/* natter-mcp-host.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-mcp"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-json.h"
#include "natter-mcp-host.h"
#include "natter-mcp-store.h"
#include "natter-secrets.h"

#define MAX_NOTES 20

typedef struct
{
  NatterMcpHost   *host;            /* unowned */
  NatterMcpConfig *config;
  NatterMcpClient *client;          /* made at the first start */
  gboolean         secrets_loaded;
} Entry;

typedef struct
{
  Entry *entry;
  char  *tool;
} Mapping;

struct _NatterMcpHost
{
  GObject     parent_instance;

  GPtrArray  *entries;   /* Entry */
  GHashTable *names;     /* model's name → Mapping */
  GPtrArray  *notes;     /* char* */
  guint       timeout;
};

static void natter_mcp_host_tool_host_init (NatterToolHostInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NatterMcpHost, natter_mcp_host, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (NATTER_TYPE_TOOL_HOST,
                                                      natter_mcp_host_tool_host_init))

static void
entry_free (Entry *entry)
{
  if (entry->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (entry->client, entry);
      natter_mcp_client_stop (entry->client);
      g_object_unref (entry->client);
    }
  natter_mcp_config_free (entry->config);
  g_free (entry);
}

static void
mapping_free (Mapping *mapping)
{
  g_free (mapping->tool);
  g_free (mapping);
}

static void
add_note (NatterMcpHost *self,
          const char    *note)
{
  for (guint i = 0; i < self->notes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->notes, i), note))
      return;
  if (self->notes->len >= MAX_NOTES)
    g_ptr_array_remove_index (self->notes, 0);
  g_ptr_array_add (self->notes, g_strdup (note));
}

char *
natter_mcp_tool_name (const char *server,
                      const char *tool)
{
  g_autofree char *joined = g_strconcat (server, "__", tool, NULL);
  GString *name = g_string_new (NULL);

  for (const char *p = joined; *p != '\0' && name->len < 64; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) || *p == '_' || *p == '-' ? *p : '_');
  if (name->len == 0)
    g_string_append (name, "tool");
  return g_string_free (name, FALSE);
}

static char *
unique_name (GHashTable *names,
             const char *base)
{
  if (!g_hash_table_contains (names, base))
    return g_strdup (base);
  for (guint n = 2; ; n++)
    {
      g_autofree char *suffix = g_strdup_printf ("_%u", n);
      g_autofree char *stem = g_strndup (base, 64 - strlen (suffix));
      char *name = g_strconcat (stem, suffix, NULL);

      if (!g_hash_table_contains (names, name))
        return name;
      g_free (name);
    }
}

static GPtrArray *
natter_mcp_host_list_tools (NatterToolHost *host)
{
  NatterMcpHost *self = NATTER_MCP_HOST (host);
  GPtrArray *tools = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_spec_free);

  g_hash_table_remove_all (self->names);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      g_autoptr(GPtrArray) specs = NULL;

      if (entry->client == NULL)
        continue;
      specs = natter_mcp_client_get_tools (entry->client);
      for (guint j = 0; j < specs->len; j++)
        {
          NatterToolSpec *spec = natter_tool_spec_copy (g_ptr_array_index (specs, j));
          g_autofree char *base = natter_mcp_tool_name (entry->config->name, spec->tool);
          Mapping *mapping = g_new0 (Mapping, 1);

          g_free (spec->name);
          spec->name = unique_name (self->names, base);
          mapping->entry = entry;
          mapping->tool = g_strdup (spec->tool);
          g_hash_table_insert (self->names, g_strdup (spec->name), mapping);
          g_ptr_array_add (tools, spec);
        }
    }
  return tools;
}

gboolean
natter_mcp_host_lookup (NatterMcpHost  *self,
                        const char     *name,
                        const char    **server,
                        const char    **tool)
{
  Mapping *mapping;

  g_return_val_if_fail (NATTER_IS_MCP_HOST (self), FALSE);

  if (name == NULL || (mapping = g_hash_table_lookup (self->names, name)) == NULL)
    return FALSE;
  if (server != NULL)
    *server = mapping->entry->config->name;
  if (tool != NULL)
    *tool = mapping->tool;
  return TRUE;
}

NatterMcpClient *
natter_mcp_host_get_client (NatterMcpHost *self,
                            const char    *server)
{
  g_return_val_if_fail (NATTER_IS_MCP_HOST (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_ascii_strcasecmp (entry->config->name, server) == 0)
        return entry->client;
    }
  return NULL;
}

/* ------------------------------------------------------------ starting one */

static void
on_client_tools_changed (NatterMcpClient *client,
                         gpointer         user_data)
{
  Entry *entry = user_data;

  g_signal_emit_by_name (entry->host, "tools-changed");
}

static void
on_client_closed (NatterMcpClient *client,
                  gpointer         user_data)
{
  Entry *entry = user_data;
  const GError *error = natter_mcp_client_get_error (client);

  /* The host stops its clients only after disconnecting: this is a crash,
   * a hang or a protocol error. */
  if (error != NULL)
    add_note (entry->host, error->message);
}

static void
on_entry_started (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!natter_mcp_client_start_finish (NATTER_MCP_CLIENT (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
entry_start_client (GTask *task)
{
  Entry *entry = g_task_get_task_data (task);

  if (entry->client == NULL)
    {
      entry->client = natter_mcp_client_new (entry->config);
      g_signal_connect (entry->client, "tools-changed", G_CALLBACK (on_client_tools_changed), entry);
      g_signal_connect (entry->client, "closed", G_CALLBACK (on_client_closed), entry);
    }
  natter_mcp_client_set_timeout (entry->client, entry->host->timeout > 0
                                                ? entry->host->timeout
                                                : natter_mcp_config_get_timeout (entry->config));
  natter_mcp_client_start_async (entry->client, g_task_get_cancellable (task), on_entry_started, task);
}

static void
on_secrets (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Entry *entry = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *json = natter_secrets_lookup_finish (result, &error);

  if (error != NULL)
    {
      GError *start_error = g_error_new (NATTER_MCP_ERROR, NATTER_MCP_ERROR_START,
                                         _("The secret values of server “%s” could not be read: %s"),
                                         entry->config->name, error->message);

      g_task_return_error (task, start_error);
      g_object_unref (task);
      return;
    }
  natter_mcp_config_apply_secrets (entry->config, json);
  natter_secrets_free (json);
  entry->secrets_loaded = TRUE;
  entry_start_client (task);
}

/* Starts one server (reading its secrets first); the task's result says
 * whether it runs. */
static void
entry_start_async (Entry               *entry,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (entry->host, cancellable, callback, user_data);

  g_task_set_source_tag (task, entry_start_async);
  g_task_set_task_data (task, entry, NULL);
  if (entry->client != NULL && natter_mcp_client_is_running (entry->client))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (!entry->secrets_loaded && natter_mcp_config_has_secrets (entry->config))
    {
      natter_secrets_lookup_async (entry->config->uuid, NATTER_SECRET_HEADERS, cancellable, on_secrets, task);
      return;
    }
  entry_start_client (task);
}

static gboolean
entry_start_finish (NatterMcpHost  *self,
                    GAsyncResult   *result,
                    GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------ starting all */

typedef struct
{
  guint outstanding;
} StartData;

static void
start_one_done (GTask *task)
{
  StartData *data = g_task_get_task_data (task);

  if (--data->outstanding > 0)
    return;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_started_one (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  NatterMcpHost *self = NATTER_MCP_HOST (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!entry_start_finish (self, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    add_note (self, error->message);
  start_one_done (task);
}

void
natter_mcp_host_start_async (NatterMcpHost       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  StartData *data;

  g_return_if_fail (NATTER_IS_MCP_HOST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_mcp_host_start_async);
  data = g_new0 (StartData, 1);
  data->outstanding = 1;
  g_task_set_task_data (task, data, g_free);
  for (guint i = 0; i < self->entries->len; i++)
    {
      data->outstanding++;
      entry_start_async (g_ptr_array_index (self->entries, i), cancellable, on_started_one,
                         g_object_ref (task));
    }
  start_one_done (task);
}

gboolean
natter_mcp_host_start_finish (NatterMcpHost  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------ calls */

typedef struct
{
  NatterToolCall *call;
  Entry          *entry;
  char           *tool;
  JsonObject     *arguments;
} CallData;

static void
call_data_free (CallData *data)
{
  natter_tool_call_free (data->call);
  g_free (data->tool);
  g_clear_pointer (&data->arguments, json_object_unref);
  g_free (data);
}

static void
return_error_result (GTask      *task,
                     const char *text)
{
  CallData *data = g_task_get_task_data (task);

  g_task_return_pointer (task, natter_tool_result_new (data->call->id, data->call->name, text, TRUE),
                         (GDestroyNotify) natter_tool_result_free);
}

static void
on_called (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterToolResult) tool_result = NULL;

  tool_result = natter_mcp_client_call_tool_finish (NATTER_MCP_CLIENT (object), result, &error);
  if (tool_result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      add_note (NATTER_MCP_HOST (g_task_get_source_object (task)), error->message);
      return_error_result (task, error->message);
      return;
    }
  g_free (tool_result->call_id);
  tool_result->call_id = g_strdup (data->call->id);
  g_free (tool_result->name);
  tool_result->name = g_strdup (data->call->name);
  g_task_return_pointer (task, g_steal_pointer (&tool_result), (GDestroyNotify) natter_tool_result_free);
}

static void
on_call_started (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  NatterMcpHost *self = NATTER_MCP_HOST (object);
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  if (!entry_start_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      add_note (self, error->message);
      return_error_result (task, error->message);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  natter_mcp_client_call_tool_async (data->entry->client, data->tool, data->arguments,
                                     cancellable, on_called, g_steal_pointer (&task));
}

static void
natter_mcp_host_call_tool_async (NatterToolHost       *host,
                                 const NatterToolCall *call,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  NatterMcpHost *self = NATTER_MCP_HOST (host);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonNode) args = NULL;
  g_autoptr(GError) error = NULL;
  CallData *data = g_new0 (CallData, 1);
  Mapping *mapping;

  g_task_set_source_tag (task, natter_mcp_host_call_tool_async);
  data->call = natter_tool_call_copy (call);
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);

  mapping = g_hash_table_lookup (self->names, call->name);
  if (mapping == NULL)
    {
      g_autoptr(GPtrArray) tools = natter_mcp_host_list_tools (host);

      mapping = g_hash_table_lookup (self->names, call->name);
    }
  if (mapping == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("There is no tool called “%s”."), call->name);

      return_error_result (task, text);
      return;
    }
  data->entry = mapping->entry;
  data->tool = g_strdup (mapping->tool);

  args = natter_json_parse (call->arguments != NULL && *call->arguments != '\0' ? call->arguments : "{}",
                            -1, &error);
  if (args == NULL || !JSON_NODE_HOLDS_OBJECT (args))
    {
      g_autofree char *text = g_strdup_printf (_("The arguments of “%s” are not a JSON object."), call->name);

      return_error_result (task, text);
      return;
    }
  data->arguments = json_object_ref (json_node_get_object (args));
  entry_start_async (data->entry, cancellable, on_call_started, g_steal_pointer (&task));
}

static NatterToolResult *
natter_mcp_host_call_tool_finish (NatterToolHost  *host,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, host), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------ object */

void
natter_mcp_host_set_timeout (NatterMcpHost *self,
                             guint          seconds)
{
  g_return_if_fail (NATTER_IS_MCP_HOST (self));

  self->timeout = seconds;
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->client != NULL)
        natter_mcp_client_set_timeout (entry->client, seconds > 0 ? seconds
                                                      : natter_mcp_config_get_timeout (entry->config));
    }
}

guint
natter_mcp_host_get_timeout (NatterMcpHost *self)
{
  g_return_val_if_fail (NATTER_IS_MCP_HOST (self), 0);
  return self->timeout > 0 ? self->timeout : NATTER_MCP_DEFAULT_TIMEOUT;
}

char **
natter_mcp_host_dup_notes (NatterMcpHost *self)
{
  g_autoptr(GStrvBuilder) notes = g_strv_builder_new ();

  g_return_val_if_fail (NATTER_IS_MCP_HOST (self), NULL);

  for (guint i = 0; i < self->notes->len; i++)
    g_strv_builder_add (notes, g_ptr_array_index (self->notes, i));
  return g_strv_builder_end (notes);
}

static void
add_entry (NatterMcpHost         *self,
           const NatterMcpConfig *config)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->host = self;
  entry->config = natter_mcp_config_copy (config);
  g_ptr_array_add (self->entries, entry);
}

NatterMcpHost *
natter_mcp_host_new (NatterDatabase     *db,
                     const char * const *server_names)
{
  NatterMcpHost *self;

  g_return_val_if_fail (NATTER_IS_DATABASE (db), NULL);

  self = g_object_new (NATTER_TYPE_MCP_HOST, NULL);
  for (guint i = 0; server_names != NULL && server_names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NatterMcpConfig) config = natter_mcp_store_get (db, server_names[i], &error);

      if (config == NULL)
        add_note (self, error->message);
      else
        add_entry (self, config);
    }
  return self;
}

NatterMcpHost *
natter_mcp_host_new_for_configs (GPtrArray *configs)
{
  NatterMcpHost *self = g_object_new (NATTER_TYPE_MCP_HOST, NULL);

  for (guint i = 0; configs != NULL && i < configs->len; i++)
    {
      NatterMcpConfig *config = g_ptr_array_index (configs, i);

      add_entry (self, config);
      /* Values given here are used as they are. */
      ((Entry *) g_ptr_array_index (self->entries, self->entries->len - 1))->secrets_loaded = TRUE;
    }
  return self;
}

static void
natter_mcp_host_dispose (GObject *object)
{
  NatterMcpHost *self = NATTER_MCP_HOST (object);

  g_hash_table_remove_all (self->names);
  g_ptr_array_set_size (self->entries, 0);

  G_OBJECT_CLASS (natter_mcp_host_parent_class)->dispose (object);
}

static void
natter_mcp_host_finalize (GObject *object)
{
  NatterMcpHost *self = NATTER_MCP_HOST (object);

  g_hash_table_unref (self->names);
  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->notes);

  G_OBJECT_CLASS (natter_mcp_host_parent_class)->finalize (object);
}

static void
natter_mcp_host_tool_host_init (NatterToolHostInterface *iface)
{
  iface->list_tools = natter_mcp_host_list_tools;
  iface->call_tool_async = natter_mcp_host_call_tool_async;
  iface->call_tool_finish = natter_mcp_host_call_tool_finish;
}

static void
natter_mcp_host_class_init (NatterMcpHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = natter_mcp_host_dispose;
  object_class->finalize = natter_mcp_host_finalize;
}

static void
natter_mcp_host_init (NatterMcpHost *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) mapping_free);
  self->notes = g_ptr_array_new_with_free_func (g_free);
}
