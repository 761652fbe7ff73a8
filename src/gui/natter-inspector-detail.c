/* natter-inspector-detail.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-inspector-detail"

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "natter-a11y.h"
#include "natter-inspector-detail-private.h"
#include "natter-anthropic-cache.h"
#include "natter-preset-store.h"
#include "natter-json.h"
#include "natter-usage-store.h"
#include "natter-toasts.h"

struct _NatterInspectorDetail
{
  GtkWidget       parent_instance;

  NatterLogEntry *entry;
  NatterProfileStore *profile_store;
  NatterProfile  *priced_profile;  /* watched for price edits */
  GtkWidget      *copy_curl_button;
  gsize           raw_shown;       /* bytes of raw already in raw_view */
  guint           update_source;   /* coalesces the notifies of one tick */

  GtkWidget      *box;
  AdwViewStack   *view_stack;
  GtkLabel       *request_line;
  GtkTextView    *request_headers_view;
  GtkTextView    *request_body_view;
  GtkLabel       *status_label;
  GtkLabel       *error_label;
  GtkTextView    *response_headers_view;
  GtkTextView    *text_view;
  GtkWidget      *reasoning_heading;
  GtkTextView    *reasoning_view;
  GtkLabel       *raw_note;
  GtkTextView    *raw_view;
  GtkLabel       *ttfb_label;
  GtkLabel       *ttft_label;
  GtkLabel       *total_label;
  GtkLabel       *rate_label;
  GtkLabel       *input_tokens_label;
  GtkLabel       *output_tokens_label;
  AdwActionRow   *cost_row;
  GtkLabel       *cost_label;
  GtkLabel       *purpose_label;
  GtkLabel       *dropped_label;
  GtkWidget      *lore_row;
  GtkLabel       *lore_label;
  NatterPresetStore *presets;   /* the request notes, beside the profiles */
  GtkLabel       *cache_read_label;
  GtkLabel       *cache_write_label;
  AdwActionRow   *cache_warning_row;
};

G_DEFINE_FINAL_TYPE (NatterInspectorDetail, natter_inspector_detail, GTK_TYPE_WIDGET)

#define PLACEHOLDER_REDACTED "REDACTED"
#define NO_VALUE "—"

char *
natter_inspector_format_headers (const char *headers_json)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *object;
  GString *out;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (headers_json == NULL || *headers_json == '\0')
    return g_strdup ("");

  parser = json_parser_new ();
  if (!natter_json_parser_load (parser, headers_json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup (headers_json);

  object = json_node_get_object (root);
  out = g_string_new (NULL);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const char *text = JSON_NODE_HOLDS_VALUE (value) &&
                         json_node_get_value_type (value) == G_TYPE_STRING
                         ? json_node_get_string (value) : "";

      g_string_append_printf (out, "%s: %s\n", name, text);
    }
  return g_string_free (out, FALSE);
}

char *
natter_inspector_pretty_json (const char *text)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  JsonNode *root;

  if (text == NULL)
    return g_strdup ("");

  parser = json_parser_new ();
  if (!natter_json_parser_load (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    return g_strdup (text);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* A double-quoted shell word in which REDACTED becomes $API_KEY. */
static void
append_quoted_with_key (GString    *out,
                        const char *text)
{
  const char *p = text;

  g_string_append_c (out, '"');
  while (*p != '\0')
    {
      if (g_str_has_prefix (p, PLACEHOLDER_REDACTED))
        {
          g_string_append (out, "${API_KEY}");
          p += strlen (PLACEHOLDER_REDACTED);
          continue;
        }
      if (*p == '"' || *p == '\\' || *p == '$' || *p == '`')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
      p++;
    }
  g_string_append_c (out, '"');
}

static void
append_single_quoted (GString    *out,
                      const char *text)
{
  g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append (out, "'\\''");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

char *
natter_inspector_build_curl (NatterLogEntry *entry)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *headers = natter_log_entry_get_request_headers (entry);
  const char *body = natter_log_entry_get_request_body (entry);
  const char *method = natter_log_entry_get_method (entry);
  GString *out = g_string_new ("curl");
  JsonNode *root;

  g_return_val_if_fail (NATTER_IS_LOG_ENTRY (entry), NULL);

  if (method != NULL && g_strcmp0 (method, "GET") != 0)
    g_string_append_printf (out, " -X %s", method);
  g_string_append_c (out, ' ');
  append_quoted_with_key (out, natter_log_entry_get_url (entry) ? natter_log_entry_get_url (entry) : "");

  if (headers != NULL && natter_json_parser_load (parser, headers, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (root));
      while (json_object_iter_next (&iter, &name, &value))
        {
          g_autofree char *line = NULL;

          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            continue;
          line = g_strdup_printf ("%s: %s", name, json_node_get_string (value));
          g_string_append (out, " \\\n  -H ");
          append_quoted_with_key (out, line);
        }
    }

  if (body != NULL && *body != '\0')
    {
      g_string_append (out, " \\\n  --data-raw ");
      append_single_quoted (out, body);
    }
  g_string_append_c (out, '\n');

  return g_string_free (out, FALSE);
}

static void
set_text (GtkTextView *view,
          const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text ? text : "", -1);
}

static char *
format_ms (gint64 ms)
{
  if (ms < 0)
    return g_strdup (NO_VALUE);
  if (ms < 1000)
    return g_strdup_printf (_("%d ms"), (int) ms);
  return g_strdup_printf (_("%.2f s"), ms / 1000.0);
}

static char *
format_count (gint64 n)
{
  if (n < 0)
    return g_strdup (NO_VALUE);
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

static const char *
state_describe (NatterLogState state)
{
  switch (state)
    {
    case NATTER_LOG_STATE_PENDING:
      return _("Waiting for the response");
    case NATTER_LOG_STATE_STREAMING:
      return _("Receiving");
    case NATTER_LOG_STATE_DONE:
      return _("Done");
    case NATTER_LOG_STATE_ERROR:
      return _("Failed");
    case NATTER_LOG_STATE_CANCELLED:
      return _("Cancelled");
    default:
      return "";
    }
}

static void
update_raw (NatterInspectorDetail *self)
{
  g_autoptr(GBytes) raw = natter_log_entry_dup_raw (self->entry);
  gsize len;
  const char *data = g_bytes_get_data (raw, &len);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->raw_view);
  GtkTextIter end;

  /* Raw only grows while streaming: append what is new instead of
   * re-setting megabytes every tick. */
  if (len < self->raw_shown)
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      self->raw_shown = 0;
    }
  if (len > self->raw_shown)
    {
      g_autofree char *valid = g_utf8_make_valid (data + self->raw_shown, len - self->raw_shown);

      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_insert (buffer, &end, valid, -1);
      self->raw_shown = len;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->raw_note), natter_log_entry_get_raw_truncated (self->entry));
  gtk_label_set_label (self->raw_note, _("Only the beginning of the response was kept."));
}

char *
natter_inspector_format_cost (double dollars)
{
  g_autofree char *number = NULL;
  int digits;

  if (dollars <= 0 || !isfinite (dollars))
    number = g_strdup ("0");
  else if (dollars >= 1)
    number = g_strdup_printf ("%.2f", dollars);
  else
    {
      gsize len;

      /* Four significant digits: 0.0042 has its first one 3 places in. */
      digits = 3 - (int) floor (log10 (dollars));
      number = g_strdup_printf ("%.*f", digits, dollars);
      len = strlen (number);
      while (len > 1 && number[len - 1] == '0')
        number[--len] = '\0';
      /* Rounding may have left a bare decimal separator. */
      if (len > 1 && !g_ascii_isdigit (number[len - 1]))
        number[--len] = '\0';
    }
  /* TRANSLATORS: a cost in US dollars, %s is the number */
  return g_strdup_printf (_("$%s"), number);
}

static void entry_notify_cb (NatterInspectorDetail *self);

/* Prices edited while the entry is shown update the cost. */
static void
watch_profile (NatterInspectorDetail *self,
               NatterProfile         *profile)
{
  if (self->priced_profile == profile)
    return;
  if (self->priced_profile != NULL)
    g_signal_handlers_disconnect_by_data (self->priced_profile, self);
  g_set_object (&self->priced_profile, profile);
  if (profile != NULL)
    g_signal_connect_swapped (profile, "notify::settings", G_CALLBACK (entry_notify_cb), self);
}

/* What the request was for (a chat, or the sidecar's title or summary)
 * and which of the preset's settings its provider was not sent. */
static void
update_note (NatterInspectorDetail *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *purpose = NULL;
  g_autofree char *dropped = NULL;
  const char *words;

  if (self->presets != NULL)
    natter_preset_store_get_request_note (self->presets, natter_log_entry_get_id (self->entry),
                                          &purpose, &dropped);
  if (g_strcmp0 (purpose, "sidecar-title") == 0)
    words = _("Sidecar: chat title");
  else if (g_strcmp0 (purpose, "sidecar-summary") == 0)
    words = _("Sidecar: summary");
  else if (g_strcmp0 (purpose, "chat-tools") == 0)
    words = _("Chat: the results of tool calls");
  else
    words = _("Chat");
  gtk_label_set_label (self->purpose_label, words);
  if (dropped != NULL && json_parser_load_from_data (parser, dropped, -1, NULL) &&
      JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      JsonArray *array = json_node_get_array (json_parser_get_root (parser));

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", json_array_get_string_element (array, i));
    }
  gtk_label_set_label (self->dropped_label, list->len > 0 ? list->str : _("None"));
  gtk_widget_set_visible (self->lore_row,
                          self->presets != NULL &&
                          natter_preset_store_get_lore_time_out (self->presets, natter_log_entry_get_id (self->entry)));
  _natter_inspector_detail_show_lore (self->lore_label,
                                      self->profile_store != NULL
                                      ? natter_profile_store_get_database (self->profile_store) : NULL,
                                      natter_log_entry_get_id (self->entry));
}

/* The cost row: computed from the entry's token counts and the prices set
 * now for the connection it was sent with. */
static char *
count_text (gint64 n)
{
  return n >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, n) : g_strdup (NO_VALUE);
}

/* What was recorded with the exchange: cache reads and writes, the cost
 * priced when it happened, and whether the cached prefix changed since the
 * connection's previous request. TRUE when a recorded cost was shown. */
static gboolean
update_recorded_usage (NatterInspectorDetail *self)
{
  NatterDatabase *database = self->profile_store != NULL
                             ? natter_profile_store_get_database (self->profile_store) : NULL;
  gint64 id = natter_log_entry_get_id (self->entry);
  gint64 cache_read = -1, cache_write = -1;
  double cost = -1;
  g_autofree char *source = NULL;
  g_autofree char *read_text = NULL;
  g_autofree char *write_text = NULL;
  g_autofree char *previous = NULL;
  gboolean changed = FALSE;
  gboolean found = FALSE;

  if (database != NULL && id > 0)
    found = natter_usage_store_get_exchange (database, id, &cache_read, &cache_write, &cost, &source);
  read_text = count_text (cache_read);
  write_text = count_text (cache_write);
  gtk_label_set_label (self->cache_read_label, read_text);
  gtk_label_set_label (self->cache_write_label, write_text);

  if (database != NULL && id > 0 &&
      g_strcmp0 (natter_log_entry_get_provider (self->entry), "anthropic") == 0 &&
      (previous = natter_usage_store_previous_body (database, id)) != NULL)
    changed = natter_anthropic_cache_prefix_changed (previous, natter_log_entry_get_request_body (self->entry));
  gtk_widget_set_visible (GTK_WIDGET (self->cache_warning_row), changed);

  if (found && cost >= 0)
    {
      g_autofree char *cost_text = natter_inspector_format_cost (cost);
      const char *subtitle = g_strcmp0 (source, "provider") == 0
                             ? _("As charged by the provider")
                             : _("At the model's prices when it was sent");

      gtk_label_set_label (self->cost_label, cost_text);
      adw_action_row_set_subtitle (self->cost_row, subtitle);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->cost_label), subtitle);
      return TRUE;
    }
  return FALSE;
}

static void
update_cost (NatterInspectorDetail *self)
{
  const char *profile_name = natter_log_entry_get_profile (self->entry);
  gint64 input_tokens = natter_log_entry_get_input_tokens (self->entry);
  gint64 output_tokens = natter_log_entry_get_output_tokens (self->entry);
  NatterProfile *profile = NULL;
  g_autofree char *cost_text = NULL;
  g_autofree char *subtitle = NULL;
  double in_price, out_price, cost;

  if (self->profile_store != NULL && profile_name != NULL && *profile_name != '\0')
    profile = natter_profile_store_lookup (self->profile_store, profile_name);
  watch_profile (self, profile);

  if (natter_log_entry_get_state (self->entry) != NATTER_LOG_STATE_PENDING &&
      natter_log_entry_get_state (self->entry) != NATTER_LOG_STATE_STREAMING &&
      update_recorded_usage (self))
    return;

  if (profile == NULL || !natter_profile_get_prices (profile, &in_price, &out_price))
    {
      if (profile == NULL && profile_name != NULL && *profile_name != '\0' &&
          self->profile_store != NULL)
        subtitle = g_strdup_printf (_("No connection is called “%s” any more"), profile_name);
      else
        subtitle = g_strdup (_("Set prices in the connection's settings"));
    }
  else if ((cost = natter_usage_cost (input_tokens, output_tokens, in_price, out_price)) < 0)
    {
      subtitle = g_strdup (_("The provider did not report the token counts"));
    }
  else
    {
      cost_text = natter_inspector_format_cost (cost);
      subtitle = g_strdup_printf (_("At the prices set for %s"), natter_profile_get_name (profile));
    }

  gtk_label_set_label (self->cost_label, cost_text != NULL ? cost_text : NO_VALUE);
  adw_action_row_set_subtitle (self->cost_row, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cost_label), subtitle);
}

static void
update_progress (NatterInspectorDetail *self)
{
  NatterLogEntry *entry = self->entry;
  NatterLogState state = natter_log_entry_get_state (entry);
  guint status = natter_log_entry_get_status (entry);
  const char *reasoning = natter_log_entry_get_reasoning (entry);
  g_autofree char *status_text = NULL;
  g_autofree char *response_headers = NULL;
  g_autofree char *ttfb = NULL;
  g_autofree char *ttft = NULL;
  g_autofree char *total = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;
  gint64 input_tokens = natter_log_entry_get_input_tokens (entry);
  gint64 output_tokens = natter_log_entry_get_output_tokens (entry);
  gint64 ttft_ms = natter_log_entry_get_ttft_ms (entry);
  gint64 total_ms = natter_log_entry_get_total_ms (entry);

  if (status > 0)
    status_text = g_strdup_printf (_("HTTP %u · %s"), status, state_describe (state));
  else
    status_text = g_strdup_printf (_("No response status · %s"), state_describe (state));
  gtk_label_set_label (self->status_label, status_text);

  if (state == NATTER_LOG_STATE_ERROR || state == NATTER_LOG_STATE_CANCELLED)
    {
      NatterErrorCategory category = natter_log_entry_get_error_category (entry);
      const char *message = natter_log_entry_get_error_message (entry);
      g_autofree char *error_text = NULL;

      /* Transport messages often begin with the category's own words
       * ("Could not reach the server at …"): say them once. */
      if (message == NULL || *message == '\0')
        error_text = g_strdup (natter_error_category_describe (category));
      else if (g_str_has_prefix (message, natter_error_category_describe (category)))
        error_text = g_strdup (message);
      else
        error_text = g_strdup_printf ("%s: %s", natter_error_category_describe (category), message);
      gtk_label_set_label (self->error_label, error_text);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  response_headers = natter_inspector_format_headers (natter_log_entry_get_response_headers (entry));
  set_text (self->response_headers_view, *response_headers ? response_headers : NO_VALUE);
  set_text (self->text_view, natter_log_entry_get_text (entry));
  set_text (self->reasoning_view, reasoning);
  gtk_widget_set_visible (self->reasoning_heading, reasoning != NULL && *reasoning != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->reasoning_view), reasoning != NULL && *reasoning != '\0');
  update_raw (self);

  ttfb = format_ms (natter_log_entry_get_ttfb_ms (entry));
  ttft = format_ms (ttft_ms);
  total = format_ms (total_ms);
  if (output_tokens > 0 && ttft_ms >= 0 && total_ms > ttft_ms)
    rate = g_strdup_printf (_("%.1f tokens/s"), output_tokens * 1000.0 / (total_ms - ttft_ms));
  else
    rate = g_strdup (NO_VALUE);
  gtk_label_set_label (self->ttfb_label, ttfb);
  gtk_label_set_label (self->ttft_label, ttft);
  gtk_label_set_label (self->total_label, total);
  gtk_label_set_label (self->rate_label, rate);

  if (input_tokens < 0 && natter_log_entry_get_estimated_input_tokens (entry) >= 0)
    input = g_strdup_printf (_("about %lld (estimated)"),
                             (long long) natter_log_entry_get_estimated_input_tokens (entry));
  else
    input = format_count (input_tokens);
  output = format_count (output_tokens);
  gtk_label_set_label (self->input_tokens_label, input);
  gtk_label_set_label (self->output_tokens_label, output);
  update_cost (self);
  update_note (self);
}

static void
update_all (NatterInspectorDetail *self)
{
  g_autofree char *line = NULL;
  g_autofree char *headers = NULL;
  g_autofree char *body = NULL;

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->raw_view), "", 0);
  self->raw_shown = 0;
  if (self->entry == NULL)
    return;

  line = g_strdup_printf ("%s %s", natter_log_entry_get_method (self->entry),
                          natter_log_entry_get_url (self->entry));
  gtk_label_set_label (self->request_line, line);
  headers = natter_inspector_format_headers (natter_log_entry_get_request_headers (self->entry));
  set_text (self->request_headers_view, headers);
  body = natter_inspector_pretty_json (natter_log_entry_get_request_body (self->entry));
  set_text (self->request_body_view, body);
  update_progress (self);
}

static gboolean
update_idle (gpointer data)
{
  NatterInspectorDetail *self = data;

  self->update_source = 0;
  if (self->entry != NULL)
    update_progress (self);
  return G_SOURCE_REMOVE;
}

/* The log notifies several properties at each tick: redraw once. */
static void
entry_notify_cb (NatterInspectorDetail *self)
{
  if (self->update_source == 0)
    self->update_source = g_idle_add (update_idle, self);
}

static void
copy_text (NatterInspectorDetail *self,
           const char            *text,
           const char            *done)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text ? text : "");
  /* Copying shows nothing by itself: say it happened. */
  if (overlay != NULL)
    {
      AdwToast *toast = adw_toast_new (done);

      adw_toast_set_timeout (toast, 3);
      natter_toasts_add (ADW_TOAST_OVERLAY (overlay), toast);
    }
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NatterInspectorDetail *self = NATTER_INSPECTOR_DETAIL (widget);
  g_autofree char *text = NULL;
  const char *done = _("Copied");

  if (self->entry == NULL)
    return;

  if (g_str_equal (action_name, "detail.copy-curl"))
    {
      text = natter_inspector_build_curl (self->entry);
      done = _("Copied as a curl command: set API_KEY before running it");
    }
  else if (g_str_equal (action_name, "detail.copy-request"))
    {
      g_autofree char *headers = natter_inspector_format_headers (natter_log_entry_get_request_headers (self->entry));
      g_autofree char *body = natter_inspector_pretty_json (natter_log_entry_get_request_body (self->entry));

      text = g_strdup_printf ("%s %s\n%s\n%s\n", natter_log_entry_get_method (self->entry),
                              natter_log_entry_get_url (self->entry), headers, body);
      done = _("Request copied");
    }
  else if (g_str_equal (action_name, "detail.copy-response"))
    {
      g_autoptr(GBytes) raw = natter_log_entry_dup_raw (self->entry);
      gsize len;
      const char *data = g_bytes_get_data (raw, &len);

      text = g_utf8_make_valid (data ? data : "", len);
      done = _("Response copied");
    }
  else
    text = g_strdup (natter_log_entry_get_text (self->entry));

  copy_text (self, text, done);
}

static void
natter_inspector_detail_dispose (GObject *object)
{
  NatterInspectorDetail *self = (NatterInspectorDetail *)object;

  if (self->entry != NULL)
    g_signal_handlers_disconnect_by_data (self->entry, self);
  g_clear_object (&self->entry);
  watch_profile (self, NULL);
  if (self->profile_store != NULL)
    g_signal_handlers_disconnect_by_data (self->profile_store, self);
  g_clear_object (&self->profile_store);
  g_clear_object (&self->presets);
  g_clear_handle_id (&self->update_source, g_source_remove);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (natter_inspector_detail_parent_class)->dispose (object);
}

static void
natter_inspector_detail_class_init (NatterInspectorDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_inspector_detail_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "detail.copy-request", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "detail.copy-curl", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "detail.copy-response", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "detail.copy-text", NULL, copy_activated);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-inspector-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, box);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, copy_curl_button);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, view_stack);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, request_line);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, request_headers_view);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, request_body_view);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, error_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, response_headers_view);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, text_view);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, reasoning_heading);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, reasoning_view);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, raw_note);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, lore_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, raw_view);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, ttfb_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, ttft_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, total_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, rate_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, input_tokens_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, output_tokens_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, cost_row);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, cost_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, purpose_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, dropped_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, lore_row);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, cache_read_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, cache_write_label);
  gtk_widget_class_bind_template_child (widget_class, NatterInspectorDetail, cache_warning_row);
}

static void
natter_inspector_detail_init (NatterInspectorDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));
}

GtkWidget *
natter_inspector_detail_new (void)
{
  return g_object_new (NATTER_TYPE_INSPECTOR_DETAIL, NULL);
}

NatterLogEntry *
natter_inspector_detail_get_entry (NatterInspectorDetail *self)
{
  g_return_val_if_fail (NATTER_IS_INSPECTOR_DETAIL (self), NULL);

  return self->entry;
}

void
natter_inspector_detail_set_entry (NatterInspectorDetail *self,
                                   NatterLogEntry        *entry)
{
  g_return_if_fail (NATTER_IS_INSPECTOR_DETAIL (self));
  g_return_if_fail (entry == NULL || NATTER_IS_LOG_ENTRY (entry));

  if (self->entry == entry)
    return;

  if (self->entry != NULL)
    g_signal_handlers_disconnect_by_data (self->entry, self);
  g_set_object (&self->entry, entry);
  if (entry != NULL)
    g_signal_connect_swapped (entry, "notify", G_CALLBACK (entry_notify_cb), self);
  update_all (self);
}

void
natter_inspector_detail_set_profile_store (NatterInspectorDetail *self,
                                           NatterProfileStore    *store)
{
  g_return_if_fail (NATTER_IS_INSPECTOR_DETAIL (self));
  g_return_if_fail (store == NULL || NATTER_IS_PROFILE_STORE (store));

  if (self->profile_store == store)
    return;

  if (self->profile_store != NULL)
    g_signal_handlers_disconnect_by_data (self->profile_store, self);
  g_set_object (&self->profile_store, store);
  g_clear_object (&self->presets);
  if (store != NULL)
    self->presets = natter_preset_store_new (natter_profile_store_get_database (store));
  /* A connection added, removed or renamed changes which prices apply. */
  if (store != NULL)
    g_signal_connect_swapped (store, "items-changed", G_CALLBACK (entry_notify_cb), self);
  if (self->entry != NULL)
    update_progress (self);
}
