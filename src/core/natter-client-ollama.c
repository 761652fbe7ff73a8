/* natter-client-ollama.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Ollama's model list (/api/tags) says nothing of context lengths or
 * capabilities; POST /api/show {"model"} does, per model
 * (https://github.com/ollama/ollama/blob/main/docs/api.md#show-model-information):
 * "model_info": {"general.architecture": "llama", "llama.context_length":
 * 131072, …} and, in newer servers, "capabilities": ["completion",
 * "vision", "tools", "thinking"]. */

#define G_LOG_DOMAIN "natter-client"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-client-private.h"
#include "natter-json.h"

#define MAX_SHOWN 32
#define MAX_SHOW_BODY (4 * 1024 * 1024)

void
_natter_ollama_read_show (NatterModelInfo *info,
                          const char      *body,
                          gsize            len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *model_info;
  const char *arch;

  if (body == NULL || len == 0 || len > MAX_SHOW_BODY ||
      !natter_json_parser_load (parser, body, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  root = json_node_get_object (json_parser_get_root (parser));

  if (json_object_has_member (root, "model_info") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "model_info")))
    {
      g_autofree char *key = NULL;
      gint64 context;

      model_info = json_object_get_object_member (root, "model_info");
      arch = json_object_get_string_member_with_default (model_info, "general.architecture", NULL);
      if (arch != NULL)
        {
          key = g_strconcat (arch, ".context_length", NULL);
          context = natter_json_node_get_int (json_object_get_member (model_info, key), 0);

          if (context > 0)
            info->context_length = context;
        }
    }

  if (json_object_has_member (root, "capabilities") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "capabilities")))
    {
      JsonArray *caps = json_object_get_array_member (root, "capabilities");

      info->capabilities_known = TRUE;
      for (guint i = 0; i < json_array_get_length (caps); i++)
        {
          const char *cap = json_array_get_string_element (caps, i);

          if (g_strcmp0 (cap, "vision") == 0)
            info->capabilities |= NATTER_MODEL_VISION;
          else if (g_strcmp0 (cap, "tools") == 0)
            info->capabilities |= NATTER_MODEL_TOOLS;
          else if (g_strcmp0 (cap, "thinking") == 0)
            info->capabilities |= NATTER_MODEL_REASONING;
        }
    }
}

typedef struct
{
  NatterTransport *transport;
  char            *base_url;
  GPtrArray       *models;   /* borrowed: the caller keeps it alive */
  guint            next;
} ShowData;

static void
show_data_free (ShowData *sd)
{
  g_clear_object (&sd->transport);
  g_free (sd->base_url);
  g_free (sd);
}

static void show_next (GTask *task);

static void
show_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ShowData *sd = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = natter_transport_send_finish (NATTER_TRANSPORT (object), result, NULL, NULL, &error);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  if (body != NULL)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (body, &len);

      _natter_ollama_read_show (g_ptr_array_index (sd->models, sd->next), data, len);
    }
  else
    g_debug ("No details of an Ollama model: %s", error->message);
  sd->next++;
  show_next (g_steal_pointer (&task));
}

static void
show_next (GTask *task)
{
  ShowData *sd = g_task_get_task_data (task);
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  NatterModelInfo *info;

  if (sd->next >= sd->models->len || sd->next >= MAX_SHOWN)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  info = g_ptr_array_index (sd->models, sd->next);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, info->id);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  text = json_to_string (node, FALSE);

  url = g_strconcat (sd->base_url, "/api/show", NULL);
  request = natter_request_new ("POST", url);
  natter_request_set_body_string (request, "application/json", text);
  natter_request_freeze (request);
  natter_transport_send_async (sd->transport, request, NULL, NULL, g_task_get_cancellable (task),
                               show_cb, task);
}

void
_natter_client_ollama_details_async (NatterTransport     *transport,
                                     const char          *base_url,
                                     GPtrArray           *models,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ShowData *sd = g_new0 (ShowData, 1);

  sd->transport = g_object_ref (transport);
  sd->base_url = g_strdup (base_url);
  sd->models = models;
  g_task_set_task_data (task, sd, (GDestroyNotify) show_data_free);
  g_task_set_check_cancellable (task, FALSE);
  show_next (task);
}

gboolean
_natter_client_ollama_details_finish (GAsyncResult  *result,
                                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
