/* natter-tool-approval-dialog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-tool-approval-dialog"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-json-writer.h"
#include "natter-json.h"
#include "natter-tool-approval-dialog.h"

struct _NatterToolApprovalDialog
{
  AdwMessageDialog  parent_instance;
  GtkLabel         *arguments_label;
};

G_DEFINE_FINAL_TYPE (NatterToolApprovalDialog, natter_tool_approval_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
natter_tool_approval_dialog_class_init (NatterToolApprovalDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-tool-approval-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterToolApprovalDialog, arguments_label);
}

static void
natter_tool_approval_dialog_init (NatterToolApprovalDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

NatterToolApprovalDialog *
natter_tool_approval_dialog_new (GtkWindow            *parent,
                                 const char           *chat_title,
                                 const NatterToolSpec *spec,
                                 const NatterToolCall *call)
{
  NatterToolApprovalDialog *self;
  g_autoptr(JsonNode) arguments = NULL;
  g_autofree char *pretty = NULL;
  g_autofree char *body = NULL;
  const char *tool = spec->tool != NULL ? spec->tool : spec->name;

  self = g_object_new (NATTER_TYPE_TOOL_APPROVAL_DIALOG, "transient-for", parent, NULL);
  if (spec->server != NULL && chat_title != NULL)
    body = g_strdup_printf (_("In “%s”, the model wants to use the tool “%s” of the server “%s” with these arguments."),
                            chat_title, tool, spec->server);
  else if (spec->server != NULL)
    body = g_strdup_printf (_("The model wants to use the tool “%s” of the server “%s” with these arguments."),
                            tool, spec->server);
  else
    body = g_strdup_printf (_("The model wants to use the tool “%s” with these arguments."), tool);
  if (spec->description != NULL && *spec->description != '\0')
    {
      char *with = g_strdup_printf ("%s\n\n%s", body, spec->description);

      g_free (body);
      body = with;
    }
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self), body);

  arguments = natter_json_parse (call->arguments, -1, NULL);
  pretty = arguments != NULL ? natter_json_to_string (arguments, 2) : g_strdup (call->arguments);
  /* Arguments of megabytes would take seconds to lay out: the start shows. */
  if (strlen (pretty) > 32 * 1024)
    {
      const char *end = pretty;
      char *cut;

      pretty[32 * 1024] = '\0';
      g_utf8_validate (pretty, -1, &end);
      pretty[end - pretty] = '\0';
      cut = g_strconcat (pretty, "…", NULL);
      g_free (pretty);
      pretty = cut;
    }
  gtk_label_set_text (self->arguments_label, pretty);
  return self;
}

const char *
natter_tool_approval_dialog_get_arguments (NatterToolApprovalDialog *self)
{
  g_return_val_if_fail (NATTER_IS_TOOL_APPROVAL_DIALOG (self), NULL);
  return gtk_label_get_text (self->arguments_label);
}

NatterToolDecision
natter_tool_approval_decision_for (const char *response)
{
  if (g_strcmp0 (response, "once") == 0)
    return NATTER_TOOL_ALLOW_ONCE;
  if (g_strcmp0 (response, "always") == 0)
    return NATTER_TOOL_ALLOW_ALWAYS;
  return NATTER_TOOL_DENY;
}
