/* natter-tool-event.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-tool-event"

#include "config.h"

#include <json-glib/json-glib.h>

#include "natter-json.h"
#include "natter-tool-event.h"

static const char * const outcome_names[] = {
  "running", "ok", "error", "denied", "timed-out", "cancelled",
};

const char *
natter_tool_outcome_to_string (NatterToolOutcome outcome)
{
  if ((guint) outcome >= G_N_ELEMENTS (outcome_names))
    return "error";
  return outcome_names[outcome];
}

NatterToolOutcome
natter_tool_outcome_from_string (const char *text)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (outcome_names); i++)
    if (g_str_equal (text, outcome_names[i]))
      return (NatterToolOutcome) i;
  return NATTER_TOOL_OUTCOME_ERROR;
}

NatterToolEvent *
natter_tool_event_copy (const NatterToolEvent *event)
{
  NatterToolEvent *copy = g_new0 (NatterToolEvent, 1);

  copy->call = natter_tool_call_copy (event->call);
  copy->server = g_strdup (event->server);
  copy->tool = g_strdup (event->tool);
  copy->outcome = event->outcome;
  copy->result = g_strdup (event->result);
  return copy;
}

void
natter_tool_event_free (NatterToolEvent *event)
{
  if (event == NULL)
    return;
  g_clear_pointer (&event->call, natter_tool_call_free);
  g_free (event->server);
  g_free (event->tool);
  g_free (event->result);
  g_free (event);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

char *
natter_tool_events_to_json (GPtrArray *events)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      const NatterToolEvent *event = g_ptr_array_index (events, i);

      json_builder_begin_object (builder);
      add_string (builder, "id", event->call->id);
      add_string (builder, "name", event->call->name);
      add_string (builder, "arguments", event->call->arguments);
      add_string (builder, "signature", event->call->signature);
      add_string (builder, "server", event->server);
      add_string (builder, "tool", event->tool);
      add_string (builder, "outcome", natter_tool_outcome_to_string (event->outcome));
      add_string (builder, "result", event->result);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static const char *
str (JsonObject *object,
     const char *name)
{
  return natter_json_object_get_string (object, name);
}

GPtrArray *
natter_tool_events_from_json (const char *json)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_tool_event_free);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  if (json == NULL || (root = natter_json_parse (json, -1, NULL)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (root))
    return events;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array) && i < 1024; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      NatterToolEvent *event;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      if (natter_json_object_get_string (object, "name") == NULL)
        continue;
      event = g_new0 (NatterToolEvent, 1);
      event->call = natter_tool_call_new (str (object, "id"),
                                          str (object, "name"),
                                          str (object, "arguments"));
      event->call->signature = g_strdup (str (object, "signature"));
      event->server = g_strdup (str (object, "server"));
      event->tool = g_strdup (str (object, "tool"));
      event->outcome = natter_tool_outcome_from_string (str (object, "outcome"));
      event->result = g_strdup (str (object, "result"));
      g_ptr_array_add (events, event);
    }
  return events;
}
