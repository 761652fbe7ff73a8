/* natter-tool-calls-box.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-tool-calls-box"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-json-writer.h"
#include "natter-json.h"
#include "natter-message-model.h"
#include "natter-tool-calls-box-private.h"
#include "natter-tool-loop.h"
#include "natter-tool-store.h"

struct _NatterToolCallsBox
{
  GtkWidget  parent_instance;
  char      *shown;   /* the JSON shown, to skip rebuilding for the same */
  GPtrArray *expanders;
};

G_DEFINE_FINAL_TYPE (NatterToolCallsBox, natter_tool_calls_box, GTK_TYPE_WIDGET)

static void
natter_tool_calls_box_dispose (GObject *object)
{
  NatterToolCallsBox *self = NATTER_TOOL_CALLS_BOX (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->expanders, g_ptr_array_unref);
  g_clear_pointer (&self->shown, g_free);

  G_OBJECT_CLASS (natter_tool_calls_box_parent_class)->dispose (object);
}

static void
natter_tool_calls_box_class_init (NatterToolCallsBoxClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = natter_tool_calls_box_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "toolcalls");
}

static void
natter_tool_calls_box_init (NatterToolCallsBox *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  self->expanders = g_ptr_array_new ();
}

GtkWidget *
natter_tool_calls_box_new (void)
{
  return g_object_new (NATTER_TYPE_TOOL_CALLS_BOX, NULL);
}

/* What a block shows of arguments or a result: a label of megabytes
 * would take seconds to lay out. */
#define MAX_SHOWN (32 * 1024)

/* @text pretty-printed when it is JSON, else as it is; cut at MAX_SHOWN. */
static char *
pretty (const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  char *shown;

  if (text == NULL)
    return g_strdup ("");
  node = natter_json_parse (text, -1, NULL);
  if (node == NULL || JSON_NODE_HOLDS_VALUE (node))
    shown = g_strdup (text);
  else
    shown = natter_json_to_string (node, 2);
  if (strlen (shown) > MAX_SHOWN)
    {
      char *cut = g_strndup (shown, MAX_SHOWN);
      char *end = cut;

      /* Not in the middle of a character. */
      g_utf8_validate (cut, -1, (const char **) &end);
      *end = '\0';
      g_free (shown);
      shown = g_strconcat (cut, "…", NULL);
      g_free (cut);
    }
  return shown;
}

static const char *
outcome_label (NatterToolOutcome outcome)
{
  switch (outcome)
    {
    case NATTER_TOOL_OUTCOME_RUNNING:
      return _("Running…");
    case NATTER_TOOL_OUTCOME_OK:
      return _("Done");
    case NATTER_TOOL_OUTCOME_DENIED:
      return _("Denied");
    case NATTER_TOOL_OUTCOME_TIMED_OUT:
      return _("Timed out");
    case NATTER_TOOL_OUTCOME_CANCELLED:
      return _("Stopped");
    case NATTER_TOOL_OUTCOME_ERROR:
    default:
      return _("Failed");
    }
}

static GtkWidget *
section (GtkBox     *box,
         const char *heading,
         const char *text)
{
  GtkWidget *title = gtk_label_new (heading);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "dim-label");
  gtk_widget_add_css_class (title, "caption-heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, heading, -1);
  gtk_box_append (box, title);
  gtk_box_append (box, label);
  return label;
}

static GtkWidget *
make_expander (const NatterToolEvent *event)
{
  const char *tool = event->tool != NULL ? event->tool : event->call->name;
  g_autofree char *title = NULL;
  g_autofree char *arguments = pretty (event->call->arguments);
  g_autofree char *result = pretty (event->result);
  GtkWidget *expander;
  GtkWidget *box;

  if (event->server != NULL)
    /* Translators: a tool call in the chat: "Tool get (weather): Done" */
    title = g_strdup_printf (_("Tool %s (%s): %s"), tool, event->server,
                             outcome_label (event->outcome));
  else
    /* Translators: a tool call in the chat: "Tool get: Failed" */
    title = g_strdup_printf (_("Tool %s: %s"), tool, outcome_label (event->outcome));

  expander = gtk_expander_new (title);
  gtk_widget_add_css_class (expander, "tool-call");
  if (event->outcome != NATTER_TOOL_OUTCOME_OK && event->outcome != NATTER_TOOL_OUTCOME_RUNNING)
    gtk_widget_add_css_class (expander, "error");
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_margin_start (box, 18);
  section (GTK_BOX (box), _("Arguments"), arguments);
  if (event->outcome != NATTER_TOOL_OUTCOME_RUNNING)
    section (GTK_BOX (box), _("Result"), result);
  gtk_expander_set_child (GTK_EXPANDER (expander), box);
  return expander;
}

void
natter_tool_calls_box_set_events (NatterToolCallsBox *self,
                                  const char         *json)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) expanded = NULL;
  GtkWidget *child;

  g_return_if_fail (NATTER_IS_TOOL_CALLS_BOX (self));

  if (g_strcmp0 (self->shown, json) == 0)
    return;
  g_free (self->shown);
  self->shown = g_strdup (json);

  /* Rebuilt whole (a reply has a few calls), keeping what was open. */
  expanded = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < self->expanders->len; i++)
    if (gtk_expander_get_expanded (g_ptr_array_index (self->expanders, i)))
      g_hash_table_add (expanded, GUINT_TO_POINTER (i + 1));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_ptr_array_set_size (self->expanders, 0);

  events = natter_tool_events_from_json (json);
  for (guint i = 0; i < events->len; i++)
    {
      GtkWidget *expander = make_expander (g_ptr_array_index (events, i));

      gtk_expander_set_expanded (GTK_EXPANDER (expander),
                                 g_hash_table_contains (expanded, GUINT_TO_POINTER (i + 1)));
      gtk_widget_set_parent (expander, GTK_WIDGET (self));
      g_ptr_array_add (self->expanders, expander);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), events->len > 0);
}

guint
natter_tool_calls_box_get_n_calls (NatterToolCallsBox *self)
{
  g_return_val_if_fail (NATTER_IS_TOOL_CALLS_BOX (self), 0);
  return self->expanders->len;
}

GtkExpander *
natter_tool_calls_box_get_expander (NatterToolCallsBox *self,
                                    guint               index)
{
  g_return_val_if_fail (NATTER_IS_TOOL_CALLS_BOX (self), NULL);
  return index < self->expanders->len ? g_ptr_array_index (self->expanders, index) : NULL;
}

void
_natter_tool_calls_load (NatterChatStore   *store,
                         NatterMessageItem *item)
{
  g_autofree char *json = NULL;

  if (natter_message_item_get_kind (item) != NATTER_MESSAGE_KIND_ASSISTANT ||
      natter_message_item_get_id (item) == 0)
    return;
  json = natter_tool_store_dup_events (natter_chat_store_get_database (store),
                                       natter_message_item_get_id (item));
  natter_message_item_set_tool_events (item, json);
}
