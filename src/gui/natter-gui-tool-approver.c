/* natter-gui-tool-approver.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-gui-tool-approver"

#include "config.h"

#include "natter-gui-tool-approver.h"
#include "natter-tool-approval-dialog.h"
#include "natter-tool-store.h"

struct _NatterGuiToolApprover
{
  GObject         parent_instance;
  GtkApplication  *application;   /* weak: outlives its sessions */
  GHashTable      *always;        /* "server/tool" */
  NatterChatStore *store;         /* nullable */
  gint64           chat_id;
};

static void approver_iface_init (NatterToolApproverInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NatterGuiToolApprover, natter_gui_tool_approver, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (NATTER_TYPE_TOOL_APPROVER, approver_iface_init))

static char *
tool_key (const NatterToolSpec *spec)
{
  return g_strdup_printf ("%s/%s", spec->server != NULL ? spec->server : "",
                          spec->tool != NULL ? spec->tool : spec->name);
}

static void
dialog_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    GTask            *task)
{
  NatterGuiToolApprover *self = g_task_get_source_object (task);
  NatterToolDecision decision = natter_tool_approval_decision_for (response);

  if (decision == NATTER_TOOL_ALLOW_ALWAYS)
    {
      g_autoptr(GError) error = NULL;

      g_hash_table_add (self->always, g_strdup (g_task_get_task_data (task)));
      if (self->store != NULL &&
          !natter_tool_store_allow (self->store, self->chat_id, g_task_get_task_data (task), &error))
        g_warning ("Cannot keep that tool %s is allowed: %s",
                   (const char *) g_task_get_task_data (task), error->message);
    }
  g_task_return_int (task, decision);
  g_object_unref (task);
}

static void
cancelled_cb (GCancellable *cancellable,
              GtkWindow    *dialog)
{
  gtk_window_close (dialog);
}

static void
approve_async (NatterToolApprover   *approver,
               const NatterToolSpec *spec,
               const NatterToolCall *call,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data)
{
  NatterGuiToolApprover *self = NATTER_GUI_TOOL_APPROVER (approver);
  GTask *task = g_task_new (approver, cancellable, callback, user_data);
  char *key = tool_key (spec);
  g_autoptr(NatterChat) chat = NULL;
  NatterToolApprovalDialog *dialog;
  GtkWindow *parent;

  g_task_set_task_data (task, key, g_free);
  if (self->store != NULL && !g_hash_table_contains (self->always, key))
    {
      g_auto(GStrv) allowed = natter_tool_store_dup_allowed (self->store, self->chat_id);

      if (g_strv_contains ((const char * const *) allowed, key))
        g_hash_table_add (self->always, g_strdup (key));
    }
  if (g_hash_table_contains (self->always, key))
    {
      g_task_return_int (task, NATTER_TOOL_ALLOW_ALWAYS);
      g_object_unref (task);
      return;
    }
  parent = self->application != NULL ? gtk_application_get_active_window (self->application) : NULL;
  if (self->store != NULL)
    chat = natter_chat_store_get_chat (self->store, self->chat_id, NULL);
  dialog = natter_tool_approval_dialog_new (parent, chat != NULL ? natter_chat_get_title (chat) : NULL,
                                            spec, call);
  g_signal_connect (dialog, "response", G_CALLBACK (dialog_response_cb), task);
  /* Stopping the reply closes the question (closing denies). */
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb),
                           g_object_ref (dialog), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
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
natter_gui_tool_approver_finalize (GObject *object)
{
  NatterGuiToolApprover *self = NATTER_GUI_TOOL_APPROVER (object);

  g_clear_weak_pointer (&self->application);
  g_hash_table_unref (self->always);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (natter_gui_tool_approver_parent_class)->finalize (object);
}

static void
natter_gui_tool_approver_class_init (NatterGuiToolApproverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_gui_tool_approver_finalize;
}

static void
natter_gui_tool_approver_init (NatterGuiToolApprover *self)
{
  self->always = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

NatterGuiToolApprover *
natter_gui_tool_approver_new (GtkApplication  *application,
                              NatterChatStore *store,
                              gint64           chat_id)
{
  NatterGuiToolApprover *self = g_object_new (NATTER_TYPE_GUI_TOOL_APPROVER, NULL);

  g_set_weak_pointer (&self->application, application);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->chat_id = chat_id;
  return self;
}
