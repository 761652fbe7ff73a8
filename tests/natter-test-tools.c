/* natter-test-tools.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "natter-json.h"
#include "natter-test-tools.h"

struct _NatterTestToolHost
{
  GObject    parent_instance;
  GPtrArray *calls;
  guint      n_cancelled;
};

static void tool_host_iface_init (NatterToolHostInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NatterTestToolHost, natter_test_tool_host, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (NATTER_TYPE_TOOL_HOST, tool_host_iface_init))

static NatterToolSpec *
make_spec (const char *name,
           const char *server,
           const char *tool,
           const char *schema_text)
{
  g_autoptr(JsonNode) root = natter_json_parse (schema_text, -1, NULL);
  NatterToolSpec *spec = natter_tool_spec_new (name, "A test tool", json_node_get_object (root));

  spec->server = g_strdup (server);
  spec->tool = g_strdup (tool);
  return spec;
}

static GPtrArray *
host_list_tools (NatterToolHost *host)
{
  GPtrArray *tools = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_spec_free);

  g_ptr_array_add (tools, make_spec ("weather__get", "weather", "get",
                                     "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"));
  g_ptr_array_add (tools, make_spec ("slow__wait", "slow", "wait", "{\"type\":\"object\"}"));
  g_ptr_array_add (tools, make_spec ("broken__fail", "broken", "fail", "{\"type\":\"object\"}"));
  return tools;
}

static void
slow_cancelled_cb (GCancellable *cancellable,
                   GTask        *task)
{
  NatterTestToolHost *self = g_task_get_source_object (task);

  self->n_cancelled++;
}

static gboolean
return_cancelled_idle (gpointer data)
{
  GTask *task = data;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  return G_SOURCE_REMOVE;
}

static void
slow_cancelled_handler (GCancellable *cancellable,
                        gpointer      data)
{
  GTask *task = data;

  slow_cancelled_cb (cancellable, task);
  g_idle_add_full (G_PRIORITY_DEFAULT, return_cancelled_idle, task, g_object_unref);
}

static void
host_call_tool_async (NatterToolHost       *host,
                      const NatterToolCall *call,
                      GCancellable         *cancellable,
                      GAsyncReadyCallback   callback,
                      gpointer              user_data)
{
  NatterTestToolHost *self = NATTER_TEST_TOOL_HOST (host);
  g_autoptr(GTask) task = g_task_new (host, NULL, callback, user_data);

  g_ptr_array_add (self->calls, g_strdup_printf ("%s %s", call->name, call->arguments));
  if (g_str_equal (call->name, "weather__get"))
    {
      g_autoptr(JsonNode) root = natter_json_parse (call->arguments, -1, NULL);
      const char *city = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
                         ? natter_json_object_get_string (json_node_get_object (root), "city") : NULL;
      g_autofree char *text = g_strdup_printf ("{\"temp\":3,\"city\":\"%s\"}", city ? city : "?");

      g_task_return_pointer (task, natter_tool_result_new (call->id, call->name, text, FALSE),
                             (GDestroyNotify) natter_tool_result_free);
    }
  else if (g_str_equal (call->name, "slow__wait"))
    {
      /* Answers only when cancelled. */
      g_cancellable_connect (cancellable, G_CALLBACK (slow_cancelled_handler),
                             g_object_ref (task), NULL);
    }
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "the server went away");
}

static NatterToolResult *
host_call_tool_finish (NatterToolHost  *host,
                       GAsyncResult    *result,
                       GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tool_host_iface_init (NatterToolHostInterface *iface)
{
  iface->list_tools = host_list_tools;
  iface->call_tool_async = host_call_tool_async;
  iface->call_tool_finish = host_call_tool_finish;
}

static void
natter_test_tool_host_finalize (GObject *object)
{
  g_ptr_array_unref (NATTER_TEST_TOOL_HOST (object)->calls);
  G_OBJECT_CLASS (natter_test_tool_host_parent_class)->finalize (object);
}

static void
natter_test_tool_host_class_init (NatterTestToolHostClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_test_tool_host_finalize;
}

static void
natter_test_tool_host_init (NatterTestToolHost *self)
{
  self->calls = g_ptr_array_new_with_free_func (g_free);
}

NatterTestToolHost *
natter_test_tool_host_new (void)
{
  return g_object_new (NATTER_TYPE_TEST_TOOL_HOST, NULL);
}

GPtrArray *
natter_test_tool_host_get_calls (NatterTestToolHost *self)
{
  return self->calls;
}

guint
natter_test_tool_host_get_n_cancelled (NatterTestToolHost *self)
{
  return self->n_cancelled;
}

/* ------------------------------------------------------------ approver */

struct _NatterTestApprover
{
  GObject             parent_instance;
  NatterToolDecision  decision;
  guint               asked;
  char               *last;
};

static void approver_iface_init (NatterToolApproverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NatterTestApprover, natter_test_approver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (NATTER_TYPE_TOOL_APPROVER, approver_iface_init))

static void
approve_async (NatterToolApprover   *approver,
               const NatterToolSpec *spec,
               const NatterToolCall *call,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data)
{
  NatterTestApprover *self = NATTER_TEST_APPROVER (approver);
  g_autoptr(GTask) task = g_task_new (approver, cancellable, callback, user_data);

  self->asked++;
  g_free (self->last);
  self->last = g_strdup_printf ("%s/%s", spec->server, spec->tool);
  g_task_return_int (task, self->decision);
}

static NatterToolDecision
approve_finish (NatterToolApprover  *approver,
                GAsyncResult        *result,
                GError             **error)
{
  gssize value = g_task_propagate_int (G_TASK (result), error);

  return value < 0 ? NATTER_TOOL_DENY : (NatterToolDecision) value;
}

static void
approver_iface_init (NatterToolApproverInterface *iface)
{
  iface->approve_async = approve_async;
  iface->approve_finish = approve_finish;
}

static void
natter_test_approver_finalize (GObject *object)
{
  g_free (NATTER_TEST_APPROVER (object)->last);
  G_OBJECT_CLASS (natter_test_approver_parent_class)->finalize (object);
}

static void
natter_test_approver_class_init (NatterTestApproverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_test_approver_finalize;
}

static void
natter_test_approver_init (NatterTestApprover *self)
{
}

NatterTestApprover *
natter_test_approver_new (NatterToolDecision decision)
{
  NatterTestApprover *self = g_object_new (NATTER_TYPE_TEST_APPROVER, NULL);

  self->decision = decision;
  return self;
}

guint
natter_test_approver_get_asked (NatterTestApprover *self)
{
  return self->asked;
}

const char *
natter_test_approver_get_last (NatterTestApprover *self)
{
  return self->last;
}
