/* natter-tool.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "natter-tool.h"

NatterToolSpec *
natter_tool_spec_new (const char *name,
                      const char *description,
                      JsonObject *input_schema)
{
  NatterToolSpec *spec = g_new0 (NatterToolSpec, 1);

  spec->name = g_strdup (name);
  spec->description = g_strdup (description);
  spec->input_schema = input_schema ? json_object_ref (input_schema) : NULL;

  return spec;
}

NatterToolSpec *
natter_tool_spec_copy (const NatterToolSpec *spec)
{
  NatterToolSpec *copy;

  if (spec == NULL)
    return NULL;

  copy = natter_tool_spec_new (spec->name, spec->description, spec->input_schema);
  copy->server = g_strdup (spec->server);
  copy->tool = g_strdup (spec->tool);

  return copy;
}

void
natter_tool_spec_free (NatterToolSpec *spec)
{
  if (spec == NULL)
    return;

  g_free (spec->name);
  g_free (spec->description);
  g_clear_pointer (&spec->input_schema, json_object_unref);
  g_free (spec->server);
  g_free (spec->tool);
  g_free (spec);
}

NatterToolCall *
natter_tool_call_new (const char *id,
                      const char *name,
                      const char *arguments)
{
  NatterToolCall *call = g_new0 (NatterToolCall, 1);

  call->id = g_strdup (id);
  call->name = g_strdup (name);
  call->arguments = g_strdup (arguments != NULL && *arguments != '\0' ? arguments : "{}");

  return call;
}

NatterToolCall *
natter_tool_call_copy (const NatterToolCall *call)
{
  NatterToolCall *copy;

  if (call == NULL)
    return NULL;

  copy = natter_tool_call_new (call->id, call->name, call->arguments);
  copy->signature = g_strdup (call->signature);

  return copy;
}

void
natter_tool_call_free (NatterToolCall *call)
{
  if (call == NULL)
    return;

  g_free (call->id);
  g_free (call->name);
  g_free (call->arguments);
  g_free (call->signature);
  g_free (call);
}

NatterToolResult *
natter_tool_result_new (const char *call_id,
                        const char *name,
                        const char *content,
                        gboolean    is_error)
{
  NatterToolResult *result = g_new0 (NatterToolResult, 1);

  result->call_id = g_strdup (call_id);
  result->name = g_strdup (name);
  result->content = g_strdup (content ? content : "");
  result->is_error = is_error;

  return result;
}

NatterToolResult *
natter_tool_result_copy (const NatterToolResult *result)
{
  if (result == NULL)
    return NULL;

  return natter_tool_result_new (result->call_id, result->name, result->content, result->is_error);
}

void
natter_tool_result_free (NatterToolResult *result)
{
  if (result == NULL)
    return;

  g_free (result->call_id);
  g_free (result->name);
  g_free (result->content);
  g_free (result);
}

NatterAttachment *
natter_attachment_new (NatterAttachmentKind  kind,
                       const char           *mime_type,
                       const char           *filename,
                       GBytes               *data)
{
  NatterAttachment *attachment = g_new0 (NatterAttachment, 1);

  attachment->kind = kind;
  attachment->mime_type = g_strdup (mime_type);
  attachment->filename = g_strdup (filename);
  attachment->data = data ? g_bytes_ref (data) : g_bytes_new (NULL, 0);

  return attachment;
}

NatterAttachment *
natter_attachment_copy (const NatterAttachment *attachment)
{
  NatterAttachment *copy;

  if (attachment == NULL)
    return NULL;

  copy = natter_attachment_new (attachment->kind, attachment->mime_type,
                                attachment->filename, attachment->data);
  copy->sha256 = g_strdup (attachment->sha256);

  return copy;
}

void
natter_attachment_free (NatterAttachment *attachment)
{
  if (attachment == NULL)
    return;

  g_free (attachment->mime_type);
  g_free (attachment->filename);
  g_free (attachment->sha256);
  g_clear_pointer (&attachment->data, g_bytes_unref);
  g_free (attachment);
}

/* The host interface */

G_DEFINE_INTERFACE (NatterToolHost, natter_tool_host, G_TYPE_OBJECT)

static void
natter_tool_host_default_init (NatterToolHostInterface *iface)
{
  g_signal_new ("tools-changed",
                G_TYPE_FROM_INTERFACE (iface),
                G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);
}

GPtrArray *
natter_tool_host_list_tools (NatterToolHost *host)
{
  g_return_val_if_fail (NATTER_IS_TOOL_HOST (host), NULL);

  return NATTER_TOOL_HOST_GET_IFACE (host)->list_tools (host);
}

void
natter_tool_host_call_tool_async (NatterToolHost       *host,
                                  const NatterToolCall *call,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_return_if_fail (NATTER_IS_TOOL_HOST (host));
  g_return_if_fail (call != NULL);

  NATTER_TOOL_HOST_GET_IFACE (host)->call_tool_async (host, call, cancellable, callback, user_data);
}

NatterToolResult *
natter_tool_host_call_tool_finish (NatterToolHost  *host,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (NATTER_IS_TOOL_HOST (host), NULL);

  return NATTER_TOOL_HOST_GET_IFACE (host)->call_tool_finish (host, result, error);
}
