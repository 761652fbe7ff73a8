/* natter-tool.h
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Values shared by the dialects (which send tools and read calls), the
 * conversation (which runs the tool loop) and whatever provides tools (the
 * MCP client). Plain structs with new/copy/free, like NatterModelInfo. */

/* A tool the model may call. */
typedef struct
{
  char       *name;          /* as sent to the model: unique in a request */
  char       *description;   /* nullable */
  JsonObject *input_schema;  /* JSON Schema of the arguments, owned ref, nullable = {"type":"object"} */
  char       *server;        /* who provides it (an MCP server's name), nullable */
  char       *tool;          /* the provider's own name for it (without any prefix), nullable = @name */
} NatterToolSpec;

NatterToolSpec *natter_tool_spec_new  (const char           *name,
                                       const char           *description,
                                       JsonObject           *input_schema);
NatterToolSpec *natter_tool_spec_copy (const NatterToolSpec *spec);
void            natter_tool_spec_free (NatterToolSpec       *spec);

/* A call the model asked for, assembled from the stream. */
typedef struct
{
  char *id;         /* the provider's call id; dialects without one get a made-up "call_N" */
  char *name;
  char *arguments;  /* JSON text of the arguments object ("{}" when none) */
  char *signature;  /* an opaque value the provider needs echoed back (Gemini thoughtSignature), nullable */
} NatterToolCall;

NatterToolCall *natter_tool_call_new  (const char           *id,
                                       const char           *name,
                                       const char           *arguments);
NatterToolCall *natter_tool_call_copy (const NatterToolCall *call);
void            natter_tool_call_free (NatterToolCall       *call);

/* What a call gave back, sent to the model in the next round. */
typedef struct
{
  char     *call_id;
  char     *name;
  char     *content;   /* text (tool output, or an error / "denied" sentence) */
  gboolean  is_error;
} NatterToolResult;

NatterToolResult *natter_tool_result_new  (const char             *call_id,
                                           const char             *name,
                                           const char             *content,
                                           gboolean                is_error);
NatterToolResult *natter_tool_result_copy (const NatterToolResult *result);
void              natter_tool_result_free (NatterToolResult       *result);

/* Something attached to a message: an image (sent as the dialect's image
 * part) or a text-like file / PDF whose text is inlined with its file name. */
typedef enum
{
  NATTER_ATTACHMENT_IMAGE,
  NATTER_ATTACHMENT_TEXT,
} NatterAttachmentKind;

typedef struct
{
  NatterAttachmentKind  kind;
  char                 *mime_type;  /* "image/png", "text/plain", "application/pdf", … */
  char                 *filename;   /* nullable */
  char                 *sha256;     /* the store's content address, nullable */
  GBytes               *data;       /* image bytes as sent (already downscaled), or the text (UTF-8) */
} NatterAttachment;

NatterAttachment *natter_attachment_new  (NatterAttachmentKind    kind,
                                          const char             *mime_type,
                                          const char             *filename,
                                          GBytes                 *data);
NatterAttachment *natter_attachment_copy (const NatterAttachment *attachment);
void              natter_attachment_free (NatterAttachment       *attachment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterToolSpec, natter_tool_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterToolCall, natter_tool_call_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterToolResult, natter_tool_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NatterAttachment, natter_attachment_free)

/* Where tools come from. The conversation's tool loop asks a host for its
 * tools and runs calls through it; the MCP client implements it over the
 * servers a chat may use. */
#define NATTER_TYPE_TOOL_HOST (natter_tool_host_get_type ())
G_DECLARE_INTERFACE (NatterToolHost, natter_tool_host, NATTER, TOOL_HOST, GObject)

struct _NatterToolHostInterface
{
  GTypeInterface parent_iface;

  /* Tools known now (element-type NatterToolSpec, transfer container or full). */
  GPtrArray        *(*list_tools)       (NatterToolHost       *host);
  void              (*call_tool_async)  (NatterToolHost       *host,
                                         const NatterToolCall *call,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
  NatterToolResult *(*call_tool_finish) (NatterToolHost       *host,
                                         GAsyncResult         *result,
                                         GError              **error);
};

/* Emits "tools-changed" when the list changes (MCP notifications/tools/list_changed). */
GPtrArray        *natter_tool_host_list_tools       (NatterToolHost       *host);
/* Cancelling @cancellable cancels the call on the server (MCP notifications/cancelled). */
void              natter_tool_host_call_tool_async  (NatterToolHost       *host,
                                                     const NatterToolCall *call,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
NatterToolResult *natter_tool_host_call_tool_finish (NatterToolHost       *host,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
