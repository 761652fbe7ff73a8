/* test-presets.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The preset dropdown and the presets panel in the real window under Xvfb
 * (see tests/test-gui.sh), on the real stores in NATTER_DATA_DIR. */

#include "config.h"

#include <string.h>

#include "gui-test-util.h"
#include "natter-application.h"
#include "natter-conversation.h"
#include "natter-connections-dialog.h"
#include "natter-fake-provider.h"
#include "natter-generation-rows.h"
#include "natter-inspector-detail.h"
#include "natter-preferences-window.h"
#include "natter-profile-editor.h"
#include "natter-preset-dropdown.h"
#include "natter-presets-panel.h"
#include "natter-provider-chooser.h"
#include "natter-catalog.h"
#include "natter-test-util.h"
#include "natter-window-private.h"
#include "natter-composer-private.h"
#include "natter-profile-editor-private.h"

static NatterApplication *app;

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  guint timer = g_timeout_add (5, wake_up, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("NATTER_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL || width == 0 || height == 0)
    return;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The move button (tooltip "Move Up" / "Move Down") of block @id. */
static GtkWidget *
find_move_button (GtkWidget  *widget,
                  const char *id,
                  const char *tooltip)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (child), "block-id"), id) == 0 &&
          g_strcmp0 (gtk_widget_get_tooltip_text (child), tooltip) == 0)
        return child;
      if ((found = find_move_button (child, id, tooltip)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if ((found = find_button_with_label (child, label)) != NULL)
        return found;
    }
  return NULL;
}

/* Clicks the dialog's response button @label ("_Save"), which answers and
 * closes it, as a person's click does. */
static void
answer_dialog (AdwMessageDialog *dialog,
               const char       *label)
{
  GtkWidget *button = find_button_with_label (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static const char *
dropdown_item (GtkDropDown *dropdown,
               guint        i)
{
  return gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (dropdown)), i);
}

static NatterWindow *live_window;
static gboolean choice_is  (gpointer data);
static gboolean wait_until (gboolean (*cond) (gpointer),
                            gpointer   data,
                            guint      timeout_ms);
static gboolean panel_mapped (gpointer data);
static AdwMessageDialog *find_dialog (const char *heading_prefix);

static gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* The connection "Gen" is in the store @data. */
static gboolean
gen_saved (gpointer data)
{
  return natter_profile_store_lookup (data, "Gen") != NULL;
}

/* A message dialog whose heading starts with @data ("" for any) shows. */
static gboolean
dialog_shown (gpointer data)
{
  return find_dialog (data) != NULL;
}

static void
test_dropdown_and_panel (void)
{
  NatterProfileStore *profiles = natter_application_get_profile_store (app);
  NatterConversation *conversation = natter_application_get_conversation (app);
  NatterPresetStore *presets = natter_conversation_get_preset_store (conversation);
  g_autoptr(NatterProfile) profile = natter_profile_new ("Local", "ollama");
  g_autoptr(GError) error = NULL;
  g_autoptr(NatterPreset) saved = NULL;
  g_autoptr(NatterRequest) request = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *body = NULL;
  NatterPresetDropdown *preset_dropdown;
  NatterPresetsPanel *panel;
  GtkDropDown *dropdown;
  NatterWindow *window;
  gint64 chat_id;
  guint precise = 0;
  GBytes *bytes;

  natter_profile_set_model (profile, "llama3.2");
  natter_profile_set_base_url (profile, "http://127.0.0.1:9");
  g_assert_true (natter_profile_store_add (profiles, profile, &error));
  natter_profile_store_set_active (profiles, profile, NULL);
  chat_id = natter_conversation_new_chat (conversation, 0, "Presets", &error);
  g_assert_no_error (error);

  window = natter_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (widget_mapped, window, 10000));
  natter_window_open_chat (window, chat_id);
  spin (50);

  /* The dropdown: the default first, then every preset. */
  preset_dropdown = natter_window_get_preset_dropdown (window);
  dropdown = natter_preset_dropdown_get_dropdown (preset_dropdown);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dropdown)));
  g_assert_cmpstr (dropdown_item (dropdown, 0), ==, "Default (Default)");
  for (guint i = 1; i < g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)); i++)
    if (g_strcmp0 (dropdown_item (dropdown, i), "Precise") == 0)
      precise = i;
  g_assert_cmpuint (precise, >, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);

  /* Choosing one makes it the chat's own. */
  gtk_drop_down_set_selected (dropdown, precise);
  spin (20);
  chosen = natter_preset_store_dup_chat_preset (presets, chat_id);
  g_assert_cmpstr (chosen, ==, "Precise");

  /* The header bar's button opens the side panel on that preset, beside
   * the chat in a wide window. */
  g_assert_null (natter_window_get_presets_panel (window));
  g_signal_emit_by_name (natter_window_get_generation_button (window), "clicked");
  g_assert_true (wait_until (panel_mapped, window, 10000));
  panel = natter_window_get_presets_panel (window);
  g_assert_nonnull (panel);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (panel)));
  g_assert_true (gtk_widget_get_root (GTK_WIDGET (panel)) == GTK_ROOT (window));
  g_assert_false (adw_flap_get_folded (natter_window_get_generation_flap (window)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (natter_window_get_chat_view (window))));
  g_assert_cmpstr (natter_preset_get_name (natter_presets_panel_get_preset (panel)), ==, "Precise");
  g_assert_true (gtk_check_button_get_active (natter_presets_panel_get_check (panel, "temperature")));
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (natter_presets_panel_get_spin (panel, "temperature")),
                                  0.3, 0.001);
  /* Ollama takes no top_a: its control is off. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (natter_presets_panel_get_check (panel, "top_a"))));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (natter_presets_panel_get_check (panel, "min_p"))));

  /* Change the temperature and a block, then Save. */
  gtk_spin_button_set_value (natter_presets_panel_get_spin (panel, "temperature"), 0.6);
  gtk_check_button_set_active (natter_presets_panel_get_check (panel, "top_k"), TRUE);
  gtk_spin_button_set_value (natter_presets_panel_get_spin (panel, "top_k"), 33);
  g_assert_true (gtk_switch_get_active (natter_presets_panel_get_block_switch (panel, "personaDescription")));
  gtk_switch_set_active (natter_presets_panel_get_block_switch (panel, "personaDescription"), FALSE);
  /* A block's own text, and its place one up. */
  {
    GtkTextView *view = natter_presets_panel_get_block_editor (panel, "nsfw");
    GPtrArray *blocks = natter_preset_get_blocks (natter_presets_panel_get_preset (panel));
    guint before = G_MAXUINT;

    g_assert_nonnull (view);
    g_assert_null (natter_presets_panel_get_block_editor (panel, "charDescription"));
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), "AUX-MARK {{char}}", -1);
    for (guint i = 0; i < blocks->len; i++)
      if (g_str_equal (((NatterPresetBlock *) g_ptr_array_index (blocks, i))->id, "nsfw"))
        before = i;
    g_assert_cmpuint (before, >, 0);
    {
      GtkWidget *up = find_move_button (GTK_WIDGET (panel), "nsfw", "Move Up");

      g_assert_nonnull (up);
      g_assert_true (gtk_widget_is_sensitive (up));
      g_signal_emit_by_name (up, "clicked");
    }
    spin (20);
    g_assert_cmpstr (((NatterPresetBlock *) g_ptr_array_index (blocks, before - 1))->id, ==, "nsfw");
  }
  spin (200);
  save_screenshot (GTK_WIDGET (window), "presets-panel.png");
  g_signal_emit_by_name (natter_presets_panel_get_save_button (panel), "clicked");
  spin (50);

  saved = natter_preset_store_get (presets, "Precise", &error);
  g_assert_no_error (error);
  g_assert_true (natter_preset_store_is_saved (presets, "Precise"));
  g_assert_cmpfloat (json_object_get_double_member (natter_preset_get_sampling (saved), "temperature"), ==, 0.6);
  g_assert_cmpint (json_object_get_int_member (natter_preset_get_sampling (saved), "top_k"), ==, 33);
  g_assert_false (natter_preset_find_block (saved, "personaDescription")->enabled);
  g_assert_cmpstr (natter_preset_find_block (saved, "nsfw")->content, ==, "AUX-MARK {{char}}");
  g_assert_cmpstr (((NatterPresetBlock *) g_ptr_array_index (natter_preset_get_blocks (saved), 7))->id, ==, "nsfw");

  /* What the chat now sends, in Ollama's places. */
  request = natter_conversation_build_request (conversation, chat_id, profile, "Hi", NULL, NULL, &error);
  g_assert_no_error (error);
  bytes = natter_request_get_body (request);
  body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *options;

    g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
    options = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "options");
    g_assert_nonnull (options);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (options, "temperature"), 0.6, 1e-9);
    g_assert_cmpint (json_object_get_int_member (options, "top_k"), ==, 33);
  }

  /* Save As makes a copy, which this chat then uses. */
  {
    GtkButton *save_as = GTK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (panel), NATTER_TYPE_PRESETS_PANEL,
                                                                    "save_as_button"));
    AdwMessageDialog *ask = NULL;
    GListModel *toplevels = gtk_window_get_toplevels ();
    g_autofree char *now = NULL;

    g_signal_emit_by_name (save_as, "clicked");
    g_assert_true (wait_until (dialog_shown, (gpointer) "", 10000));
    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && ask == NULL; i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (toplevel))
          ask = ADW_MESSAGE_DIALOG (toplevel);
      }
    g_assert_nonnull (ask);
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (ask)), "Precise for stories");
    answer_dialog (ask, "_Save");
    spin (100);
    g_assert_true (natter_preset_store_is_saved (presets, "Precise for stories"));
    g_assert_cmpstr (natter_preset_dropdown_get_choice (preset_dropdown), ==, "Precise for stories");
    now = natter_preset_store_dup_chat_preset (presets, chat_id);
    g_assert_cmpstr (now, ==, "Precise for stories");
  }

  /* Deleting the copy asks first; the chat falls back to the default. */
  {
    GtkButton *delete = GTK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (panel), NATTER_TYPE_PRESETS_PANEL,
                                                                   "delete_button"));
    GListModel *toplevels = gtk_window_get_toplevels ();
    AdwMessageDialog *ask = NULL;
    g_autofree char *now = NULL;

    g_signal_emit_by_name (delete, "clicked");
    g_assert_true (wait_until (dialog_shown, (gpointer) "", 10000));
    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && ask == NULL; i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
            g_str_has_prefix (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (toplevel)), "Delete"))
          ask = ADW_MESSAGE_DIALOG (toplevel);
      }
    g_assert_nonnull (ask);
    g_assert_nonnull (strstr (adw_message_dialog_get_heading (ask), "Precise for stories"));
    answer_dialog (ask, "_Delete");
    spin (100);
    g_assert_false (natter_preset_store_is_saved (presets, "Precise for stories"));
    now = natter_preset_store_dup_chat_preset (presets, chat_id);
    g_assert_null (now);
    live_window = window;
    g_assert_true (wait_until (choice_is, NULL, 3000));
    live_window = NULL;
    g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);
  }

  /* Back to the default, and the chat has no preset of its own. */
  natter_preset_dropdown_choose (preset_dropdown, NULL);
  spin (20);
  g_clear_pointer (&chosen, g_free);
  chosen = natter_preset_store_dup_chat_preset (presets, chat_id);
  g_assert_null (chosen);

  /* The button closes it again. */
  g_signal_emit_by_name (natter_window_get_generation_button (window), "clicked");
  spin (400);
  g_assert_false (adw_flap_get_reveal_flap (natter_window_get_generation_flap (window)));
  g_assert_false (gtk_widget_get_child_visible (GTK_WIDGET (panel)) && gtk_widget_get_mapped (GTK_WIDGET (panel)) &&
                  gtk_widget_get_width (GTK_WIDGET (panel)) > 0 &&
                  adw_flap_get_reveal_progress (natter_window_get_generation_flap (window)) > 0);
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_assert_finalize_object (window);
}

static gboolean
not_streaming (gpointer data)
{
  return !natter_window_is_streaming (data);
}

static gboolean
wait_until (gboolean (*cond) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint timer = g_timeout_add (5, wake_up, NULL);
  gboolean ok = TRUE;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        {
          ok = FALSE;
          break;
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (timer);
  return ok;
}

static void
type_and_send (NatterWindow *window,
               const char   *text)
{
  NatterComposer *composer = natter_window_get_composer (window);

  natter_composer_set_text (composer, text);
  natter_composer_send (composer);
  spin (20);
}

/* /preset and /continue typed in the composer of the real window. */
static void
test_slash_preset_and_continue (void)
{
  NatterProfileStore *profiles = natter_application_get_profile_store (app);
  NatterConversation *conversation = natter_application_get_conversation (app);
  NatterChatStore *chats = natter_application_get_chat_store (app);
  NatterPresetStore *presets = natter_conversation_get_preset_store (conversation);
  g_autoptr(NatterFakeProvider) fake = natter_fake_provider_new ();
  g_autoptr(NatterProfile) profile = natter_profile_new ("Studio", "lmstudio");
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  g_autoptr(NatterChatMessage) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fake), "/v1", NULL);
  g_autofree char *chosen = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const NatterFakeRequest *request;
  NatterMessageItem *last;
  NatterWindow *window;
  JsonObject *body;
  JsonArray *messages;
  gint64 chat_id, reply_id;
  guint n;

  natter_fake_response_add_chunk (response, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" a time\"},"
                                            "\"finish_reason\":null}]}\n\n", -1, 0);
  natter_fake_response_add_chunk (response, "data: {\"choices\":[{\"index\":0,\"delta\":{},"
                                            "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n", -1, 0);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", response);
  natter_profile_set_model (profile, "local-model");
  natter_profile_set_base_url (profile, url);
  g_assert_true (natter_profile_store_add (profiles, profile, &error));
  natter_profile_store_set_active (profiles, profile, NULL);
  chat_id = natter_conversation_new_chat (conversation, 0, "Story", &error);
  natter_chat_store_append_message (chats, chat_id, NATTER_ROLE_USER, NULL, "Tell a story", &error);
  reply_id = natter_chat_store_append_message (chats, chat_id, NATTER_ROLE_ASSISTANT, NULL, "Once upon", &error);
  g_assert_no_error (error);

  window = natter_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (widget_mapped, window, 10000));
  natter_window_open_chat (window, chat_id);
  spin (50);

  {
    g_autoptr(NatterPreset) wide = natter_preset_new ("Wide");

    natter_preset_set (wide, "temperature", "1.1", NULL);
    natter_preset_set (wide, "tfs", "0.9", NULL);
    g_assert_true (natter_preset_store_save (presets, wide, &error));
    natter_preset_dropdown_reload (natter_window_get_preset_dropdown (window));
  }
  type_and_send (window, "/preset wide");
  chosen = natter_preset_store_dup_chat_preset (presets, chat_id);
  g_assert_cmpstr (chosen, ==, "Wide");
  g_assert_cmpstr (natter_preset_dropdown_get_choice (natter_window_get_preset_dropdown (window)), ==, "Wide");

  type_and_send (window, "/continue");
  g_assert_true (wait_until (not_streaming, window, 5000));
  spin (50);
  {
    GListModel *model = G_LIST_MODEL (natter_chat_view_get_model (natter_window_get_chat_view (window)));

    /* The reply grew in place, under the notes the commands left. */
    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      {
        g_autoptr(NatterMessageItem) item = g_list_model_get_item (model, i);

        if (natter_message_item_get_kind (item) == NATTER_MESSAGE_KIND_ASSISTANT)
          g_assert_cmpstr (natter_message_item_get_text (item), ==, "Once upon a time");
      }
    last = natter_message_model_get_last (natter_chat_view_get_model (natter_window_get_chat_view (window)));
    g_assert_cmpint (natter_message_item_get_kind (last), ==, NATTER_MESSAGE_KIND_NOTE);
  }
  g_assert_cmpint (natter_chat_store_count_messages (chats, chat_id, NULL), ==, 2);
  stored = natter_chat_store_get_message (chats, reply_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_chat_message_get_content (stored), ==, "Once upon a time");

  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, 1);
  request = natter_fake_provider_get_request (fake, 0);
  g_assert_true (json_parser_load_from_data (parser, request->body, request->body_len, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (body, "temperature"), 1.1, 1e-9);
  messages = json_object_get_array_member (body, "messages");
  n = json_array_get_length (messages);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, n - 1), "role"),
                   ==, "system");

  /* The Request Inspector says what the request was for and what was not sent. */
  {
    GtkWidget *detail = natter_inspector_detail_new ();
    GtkWidget *holder = gtk_window_new ();
    g_autoptr(NatterLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (natter_application_get_request_log (app)), 0);
    GtkLabel *purpose, *dropped;

    gtk_window_set_child (GTK_WINDOW (holder), detail);
    natter_inspector_detail_set_profile_store (NATTER_INSPECTOR_DETAIL (detail), profiles);
    natter_inspector_detail_set_entry (NATTER_INSPECTOR_DETAIL (detail), entry);
    purpose = GTK_LABEL (gtk_widget_get_template_child (detail, NATTER_TYPE_INSPECTOR_DETAIL, "purpose_label"));
    dropped = GTK_LABEL (gtk_widget_get_template_child (detail, NATTER_TYPE_INSPECTOR_DETAIL, "dropped_label"));
    g_assert_cmpstr (gtk_label_get_label (purpose), ==, "Chat");
    g_assert_cmpstr (gtk_label_get_label (dropped), ==, "tfs");
    gtk_window_destroy (GTK_WINDOW (holder));
  }

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_assert_finalize_object (window);
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) != NULL &&
          g_str_equal (gtk_button_get_label (GTK_BUTTON (child)), label) &&
          gtk_widget_get_mapped (child))
        return child;
      if ((found = find_button_labelled (child, label)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_continue_button (gpointer window)
{
  return find_button_labelled (GTK_WIDGET (window), "_Continue") != NULL;
}

static NatterFakeResponse *
stream_of (const char *text,
           const char *finish)
{
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");
  g_autofree char *one = g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
                                          "\"finish_reason\":null}]}\n\n", text);
  g_autofree char *two = g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":{},"
                                          "\"finish_reason\":\"%s\"}]}\n\ndata: [DONE]\n\n", finish);

  natter_fake_response_add_chunk (response, one, -1, 0);
  natter_fake_response_add_chunk (response, two, -1, 0);
  return response;
}

/* A reply cut at the token limit offers Continue, which extends it. */
static void
test_cut_reply_offers_continue (void)
{
  NatterProfileStore *profiles = natter_application_get_profile_store (app);
  NatterConversation *conversation = natter_application_get_conversation (app);
  NatterChatStore *chats = natter_application_get_chat_store (app);
  g_autoptr(NatterFakeProvider) fake = natter_fake_provider_new ();
  g_autoptr(NatterProfile) profile = natter_profile_new ("Cut", "lmstudio");
  g_autoptr(NatterChatMessage) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fake), "/v1", NULL);
  NatterWindow *window;
  GtkWidget *button;
  gint64 chat_id, reply_id;

  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", stream_of (" more", "length"));
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", stream_of (" done", "stop"));
  natter_profile_set_model (profile, "local-model");
  natter_profile_set_base_url (profile, url);
  g_assert_true (natter_profile_store_add (profiles, profile, &error));
  natter_profile_store_set_active (profiles, profile, NULL);
  chat_id = natter_conversation_new_chat (conversation, 0, "Cut", &error);
  natter_chat_store_append_message (chats, chat_id, NATTER_ROLE_USER, NULL, "Q", &error);
  reply_id = natter_chat_store_append_message (chats, chat_id, NATTER_ROLE_ASSISTANT, NULL, "Start", &error);
  g_assert_no_error (error);

  window = natter_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (widget_mapped, window, 10000));
  natter_window_open_chat (window, chat_id);
  spin (50);

  type_and_send (window, "/continue");
  g_assert_true (wait_until (not_streaming, window, 5000));
  g_assert_true (wait_until (has_continue_button, window, 3000));
  button = find_button_labelled (GTK_WIDGET (window), "_Continue");
  g_signal_emit_by_name (button, "clicked");
  spin (50);
  g_assert_true (wait_until (not_streaming, window, 5000));
  spin (50);
  stored = natter_chat_store_get_message (chats, reply_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (natter_chat_message_get_content (stored), ==, "Start more done");
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, 2);

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_assert_finalize_object (window);
}

/* A reply whose prompt ran the lorebook's regular expression keys out of
 * time: the Request Inspector says so for that request. */
static void
test_inspector_lore_time_out (void)
{
  NatterProfileStore *profiles = natter_application_get_profile_store (app);
  NatterConversation *conversation = natter_application_get_conversation (app);
  NatterChatStore *chats = natter_application_get_chat_store (app);
  g_autoptr(NatterFakeProvider) fake = natter_fake_provider_new ();
  g_autoptr(NatterProfile) profile = natter_profile_new ("Lore", "lmstudio");
  g_autoptr(GString) book = g_string_new ("{\"entries\":{");
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (fake), "/v1", NULL);
  g_autofree char *text = g_strnfill (40, 'a');
  g_autofree char *message = g_strconcat (text, "!", NULL);
  GtkWidget *detail, *holder;
  NatterWindow *window;
  gint64 chat_id, book_id;

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (book, "%s\"%u\":{\"uid\":%u,\"key\":[\"/(a+)+$/\"],\"content\":\"slow\"}",
                            i ? "," : "", i, i);
  g_string_append (book, "}}");
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", stream_of ("Fine.", "stop"));
  natter_profile_set_model (profile, "local-model");
  natter_profile_set_base_url (profile, url);
  g_assert_true (natter_profile_store_add (profiles, profile, &error));
  natter_profile_store_set_active (profiles, profile, NULL);
  chat_id = natter_conversation_new_chat (conversation, 0, "Lore", &error);
  book_id = natter_chat_store_add_lorebook (chats, "Slow keys", book->str, &error);
  g_assert_no_error (error);
  g_assert_true (natter_chat_store_attach_lorebook (chats, book_id, 0, chat_id, &error));

  window = natter_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (widget_mapped, window, 10000));
  natter_window_open_chat (window, chat_id);
  spin (50);
  type_and_send (window, message);
  g_assert_true (wait_until (not_streaming, window, 10000));
  spin (50);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, 1);

  detail = natter_inspector_detail_new ();
  holder = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (holder), detail);
  natter_inspector_detail_set_profile_store (NATTER_INSPECTOR_DETAIL (detail), profiles);
  {
    g_autoptr(NatterLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (natter_application_get_request_log (app)), 0);
    GtkWidget *lore_row;

    natter_inspector_detail_set_entry (NATTER_INSPECTOR_DETAIL (detail), entry);
    lore_row = GTK_WIDGET (gtk_widget_get_template_child (detail, NATTER_TYPE_INSPECTOR_DETAIL, "lore_row"));
    g_assert_true (gtk_widget_get_visible (lore_row));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (lore_row)), "took too long"));
  }
  /* A request without slow keys says nothing of it. */
  natter_chat_store_detach_lorebook (chats, book_id, 0, chat_id, NULL);
  natter_fake_provider_add_route (fake, "POST", "/v1/chat/completions", stream_of ("Again.", "stop"));
  type_and_send (window, "plain");
  g_assert_true (wait_until (not_streaming, window, 10000));
  spin (50);
  g_assert_cmpuint (natter_fake_provider_get_n_requests (fake), ==, 2);
  {
    g_autoptr(NatterLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (natter_application_get_request_log (app)), 0);

    natter_inspector_detail_set_entry (NATTER_INSPECTOR_DETAIL (detail), entry);
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (detail, NATTER_TYPE_INSPECTOR_DETAIL,
                                                                                         "lore_row"))));
  }
  gtk_window_destroy (GTK_WINDOW (holder));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_assert_finalize_object (window);
}

static guint
string_position (AdwComboRow *row,
                 const char  *text)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      return i;
  g_assert_not_reached ();
}

/* The connection form's Generation rows and Preferences' sidecar. */
static void
test_connection_form_and_sidecar (void)
{
  NatterProfileStore *profiles = natter_application_get_profile_store (app);
  NatterPresetStore *presets = natter_conversation_get_preset_store (natter_application_get_conversation (app));
  NatterConnectionsDialog *dialog = natter_connections_dialog_new (app);
  NatterPreferencesWindow *preferences;
  NatterProfilePresetGroup *group;
  NatterSidecarGroup *sidecar;
  NatterProfileEditor *editor;
  NatterProfile *saved;
  NatterProviderChooser *chooser;
  NatterProvider *lmstudio;
  GtkWidget *search;
  g_autofree char *side_profile = NULL;
  g_autofree char *side_model = NULL;

  gtk_window_present (GTK_WINDOW (dialog));
  spin (100);
  /* The "New Connection" button, as a person presses it. */
  {
    GtkWidget *button = gui_test_find_actionable (GTK_WIDGET (dialog), "connections.new", NULL);

    g_assert_nonnull (button);
    g_assert_true (gtk_widget_is_sensitive (button) && gtk_widget_get_mapped (button));
    g_signal_emit_by_name (button, "clicked");
  }
  spin (50);
  editor = natter_connections_dialog_get_editor (dialog);
  g_assert_nonnull (editor);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (editor), NATTER_TYPE_PROFILE_EDITOR, "name_row")), "Gen");
  /* As a person does: the provider list's search field, then Enter. */
  chooser = NATTER_PROVIDER_CHOOSER (gtk_widget_get_template_child (GTK_WIDGET (editor), NATTER_TYPE_PROFILE_EDITOR, "provider_chooser"));
  lmstudio = natter_catalog_lookup (natter_catalog_get_default (), "lmstudio");
  gtk_menu_button_popup (GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (chooser), NATTER_TYPE_PROVIDER_CHOOSER, "button")));
  spin (20);
  search = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (chooser), NATTER_TYPE_PROVIDER_CHOOSER, "search_entry");
  gtk_editable_set_text (GTK_EDITABLE (search), natter_provider_get_name (lmstudio));
  spin (200);  /* the search field waits a moment before it filters */
  g_signal_emit_by_name (search, "activate");
  spin (20);
  g_assert_true (natter_provider_chooser_get_provider (chooser) == lmstudio);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (editor), NATTER_TYPE_PROFILE_EDITOR, "model_row")), "m");

  group = NATTER_PROFILE_PRESET_GROUP (gtk_widget_get_template_child (GTK_WIDGET (editor), NATTER_TYPE_PROFILE_EDITOR, "preset_group"));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (group)) || gtk_widget_get_visible (GTK_WIDGET (group)));
  adw_combo_row_set_selected (natter_profile_preset_group_get_preset_row (group),
                              string_position (natter_profile_preset_group_get_preset_row (group), "Creative"));
  adw_combo_row_set_selected (natter_profile_preset_group_get_reasoning_row (group),
                              string_position (natter_profile_preset_group_get_reasoning_row (group), "Low"));
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (editor), NATTER_TYPE_PROFILE_EDITOR, "save_button"),
                         "clicked");
  g_assert_true (wait_until (gen_saved, profiles, 10000));
  saved = natter_profile_store_lookup (profiles, "Gen");
  g_assert_nonnull (saved);
  g_assert_nonnull (strstr (natter_profile_get_settings (saved), "\"preset\":\"Creative\""));
  g_assert_nonnull (strstr (natter_profile_get_settings (saved), "\"reasoning\":\"low\""));
  g_object_ref (dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin (50);
  g_assert_finalize_object (dialog);

  preferences = natter_preferences_window_new (app);
  gtk_window_present (GTK_WINDOW (preferences));
  spin (100);
  sidecar = NATTER_SIDECAR_GROUP (gtk_widget_get_template_child (GTK_WIDGET (preferences), NATTER_TYPE_PREFERENCES_WINDOW,
                                                                  "sidecar_group"));
  g_assert_false (natter_preset_store_get_sidecar (presets, NULL, NULL));
  adw_combo_row_set_selected (natter_sidecar_group_get_profile_row (sidecar),
                              string_position (natter_sidecar_group_get_profile_row (sidecar), "Gen"));
  gtk_editable_set_text (GTK_EDITABLE (natter_sidecar_group_get_model_row (sidecar)), "tiny");
  g_assert_true (natter_preset_store_get_sidecar (presets, &side_profile, &side_model));
  g_assert_cmpstr (side_profile, ==, "Gen");
  g_assert_cmpstr (side_model, ==, "tiny");
  adw_combo_row_set_selected (natter_sidecar_group_get_profile_row (sidecar), 0);
  g_assert_false (natter_preset_store_get_sidecar (presets, NULL, NULL));
  g_object_ref (preferences);
  gtk_window_destroy (GTK_WINDOW (preferences));
  spin (50);
  g_assert_finalize_object (preferences);
}

/* Runs natter-cli from the build tree on the app's database. */
static void
run_cli (const char * const *args)
{
  g_autofree char *cli = g_build_filename (g_getenv ("NATTER_BUILD_DIR"), "src", "cli", "natter-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("natter-cli failed: %s%s", out, err);
}

static const char   *live_name;

static gboolean
panel_mapped (gpointer data)
{
  NatterPresetsPanel *panel = natter_window_get_presets_panel (data);

  return panel != NULL && gtk_widget_get_mapped (GTK_WIDGET (panel)) &&
         adw_flap_get_reveal_progress (natter_window_get_generation_flap (data)) >= 1.0;
}

static gboolean
panel_closed (gpointer data)
{
  return adw_flap_get_reveal_progress (natter_window_get_generation_flap (data)) <= 0.0;
}

static gboolean
panel_shows (gpointer data)
{
  NatterPresetsPanel *panel = natter_window_get_presets_panel (live_window);

  return panel != NULL && natter_presets_panel_get_preset (panel) != NULL &&
         g_strcmp0 (natter_preset_get_name (natter_presets_panel_get_preset (panel)), data) == 0;
}

static gboolean
dropdown_lists (gpointer data)
{
  g_auto(GStrv) names = natter_preset_dropdown_dup_names (natter_window_get_preset_dropdown (live_window));

  return g_strv_contains ((const char * const *) names, data) == (live_name != NULL);
}

static gboolean
reasoning_shown_is (gpointer data)
{
  return natter_chat_view_get_show_reasoning (natter_window_get_chat_view (live_window)) == GPOINTER_TO_INT (data);
}

static gboolean
choice_is_default (gpointer data)
{
  return natter_preset_dropdown_get_choice (natter_window_get_preset_dropdown (live_window)) == NULL;
}

static gboolean
choice_is (gpointer data)
{
  return g_strcmp0 (natter_preset_dropdown_get_choice (natter_window_get_preset_dropdown (live_window)), data) == 0;
}

static gboolean
flap_folded (gpointer data)
{
  return adw_flap_get_folded (natter_window_get_generation_flap (data));
}

static AdwMessageDialog *
find_dialog (const char *heading_prefix)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          g_str_has_prefix (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (toplevel)), heading_prefix))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

#define LIVE_CARD \
  "{\"spec\":\"chara_card_v2\",\"spec_version\":\"2.0\",\"data\":{\"name\":\"Zephyrine\"," \
  "\"description\":\"Keeps bees.\",\"personality\":\"\",\"scenario\":\"\",\"first_mes\":\"Hello.\"," \
  "\"mes_example\":\"\",\"creator_notes\":\"\",\"system_prompt\":\"\",\"post_history_instructions\":\"\"," \
  "\"alternate_greetings\":[],\"tags\":[],\"creator\":\"\",\"character_version\":\"1\",\"extensions\":{}}}"

/* The side panel through its controls: F9 opens and closes it, the
 * character's preset is chosen in it, "Show thinking" hides reasoning in
 * the chat, Save As and Rename; presets copied, renamed and deleted with
 * natter-cli appear in the running window; a narrow window folds the
 * panel over the chat. */
static void
test_side_panel_live (void)
{
  NatterProfileStore *profiles = natter_application_get_profile_store (app);
  NatterConversation *conversation = natter_application_get_conversation (app);
  NatterPresetStore *presets = natter_conversation_get_preset_store (conversation);
  NatterChatStore *chats = natter_application_get_chat_store (app);
  g_autoptr(NatterProfile) profile = natter_profile_new ("Live", "ollama");
  g_autoptr(GError) error = NULL;
  g_autofree char *chosen = NULL;
  NatterPresetsPanel *panel;
  AdwComboRow *character_row;
  AdwMessageDialog *ask;
  GtkWidget *rename;
  NatterWindow *window;
  gint64 character_id, chat_id;

  natter_profile_set_model (profile, "llama3.2");
  natter_profile_set_base_url (profile, "http://127.0.0.1:9");
  g_assert_true (natter_profile_store_add (profiles, profile, &error));
  natter_profile_store_set_active (profiles, profile, NULL);
  character_id = natter_chat_store_add_character (chats, NULL, LIVE_CARD, NULL, &error);
  g_assert_no_error (error);
  chat_id = natter_conversation_new_chat (conversation, character_id, "Live", &error);
  g_assert_no_error (error);

  window = live_window = natter_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wait_until (widget_mapped, window, 10000));
  natter_window_open_chat (window, chat_id);
  spin (50);

  /* F9 opens the panel. */
  gui_test_press_x_key (GTK_WIDGET (window), GDK_KEY_F9, 0);
  g_assert_true (wait_until (panel_mapped, window, 3000));
  g_assert_true (gtk_toggle_button_get_active (natter_window_get_generation_button (window)));
  panel = natter_window_get_presets_panel (window);
  /* F9 again closes it, and opens it again. */
  gui_test_press_x_key (GTK_WIDGET (window), GDK_KEY_F9, 0);
  g_assert_true (wait_until (panel_closed, window, 3000));
  g_assert_false (gtk_toggle_button_get_active (natter_window_get_generation_button (window)));
  gui_test_press_x_key (GTK_WIDGET (window), GDK_KEY_F9, 0);
  g_assert_true (wait_until (panel_mapped, window, 3000));

  /* The character's preset, chosen in the panel; the chat has none of
   * its own, so that is what it uses. */
  character_row = natter_presets_panel_get_character_row (panel);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (character_row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (character_row)), ==, "Preset of Zephyrine");
  adw_combo_row_set_selected (character_row, string_position (character_row, "Creative"));
  chosen = natter_preset_store_dup_character_preset (presets, character_id);
  g_assert_cmpstr (chosen, ==, "Creative");
  g_assert_true (wait_until (panel_shows, (gpointer) "Creative", 3000));

  /* Show thinking off, Save: the chat hides reasoning; on again. */
  {
    GtkSwitch *thinking = GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (panel), NATTER_TYPE_PRESETS_PANEL,
                                                                      "show_thinking_switch"));

    g_assert_true (natter_chat_view_get_show_reasoning (natter_window_get_chat_view (window)));
    g_assert_true (gtk_switch_get_active (thinking));
    gtk_switch_set_active (thinking, FALSE);
    g_signal_emit_by_name (natter_presets_panel_get_save_button (panel), "clicked");
    g_assert_true (wait_until (reasoning_shown_is, GINT_TO_POINTER (FALSE), 3000));
    gtk_switch_set_active (thinking, TRUE);
    g_signal_emit_by_name (natter_presets_panel_get_save_button (panel), "clicked");
    g_assert_true (wait_until (reasoning_shown_is, GINT_TO_POINTER (TRUE), 3000));
  }

  /* A built-in cannot be renamed; a copy made with Save As can. */
  rename = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (panel), NATTER_TYPE_PRESETS_PANEL, "rename_button"));
  g_assert_false (gtk_widget_get_sensitive (rename));
  g_signal_emit_by_name (gtk_widget_get_template_child (GTK_WIDGET (panel), NATTER_TYPE_PRESETS_PANEL, "save_as_button"),
                         "clicked");
  g_assert_true (wait_until (dialog_shown, (gpointer) "Save Preset As", 10000));
  ask = find_dialog ("Save Preset As");
  g_assert_nonnull (ask);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (ask)), "Mine");
  answer_dialog (ask, "_Save");
  spin (100);
  g_assert_cmpstr (natter_preset_dropdown_get_choice (natter_window_get_preset_dropdown (window)), ==, "Mine");
  g_assert_true (gtk_widget_get_sensitive (rename));
  g_signal_emit_by_name (rename, "clicked");
  g_assert_true (wait_until (dialog_shown, (gpointer) "Rename", 10000));
  ask = find_dialog ("Rename");
  g_assert_nonnull (ask);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (ask)), "Ours");
  answer_dialog (ask, "_Rename");
  spin (100);
  g_assert_true (natter_preset_store_is_saved (presets, "Ours"));
  g_assert_false (natter_preset_store_is_saved (presets, "Mine"));
  g_clear_pointer (&chosen, g_free);
  chosen = natter_preset_store_dup_chat_preset (presets, chat_id);
  g_assert_cmpstr (chosen, ==, "Ours");
  live_name = "Ours";
  g_assert_true (wait_until (dropdown_lists, (gpointer) "Ours", 3000));
  live_name = NULL;
  g_assert_true (wait_until (dropdown_lists, (gpointer) "Mine", 3000));
  g_assert_true (wait_until (choice_is, (gpointer) "Ours", 3000));
  g_assert_true (panel_shows ((gpointer) "Ours"));

  /* natter-cli, while the window runs. */
  run_cli ((const char *[]) { "preset", "copy", "Ours", "From CLI", NULL });
  live_name = "From CLI";
  g_assert_true (wait_until (dropdown_lists, (gpointer) "From CLI", 3000));
  run_cli ((const char *[]) { "preset", "rename", "From CLI", "Renamed by CLI", NULL });
  live_name = "Renamed by CLI";
  g_assert_true (wait_until (dropdown_lists, (gpointer) "Renamed by CLI", 3000));
  live_name = NULL;
  g_assert_true (wait_until (dropdown_lists, (gpointer) "From CLI", 3000));
  /* Deleting the chat's preset elsewhere: the chat falls back to its
   * character's, and so does the panel. */
  run_cli ((const char *[]) { "preset", "delete", "Ours", NULL });
  g_assert_true (wait_until (choice_is_default, NULL, 3000));
  g_assert_true (wait_until (panel_shows, (gpointer) "Creative", 3000));

  /* A narrow window: the panel folds over the chat; F9 closes it. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  g_assert_true (wait_until (flap_folded, window, 3000));
  adw_leaflet_set_visible_child_name (window->leaflet, "content");
  spin (400);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (natter_window_get_presets_panel (window))));
  /* The header bar keeps its room for the title there: the chat menu's
   * item closes the panel, and opens it again; so does F9. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (natter_window_get_generation_button (window))));
  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (window)), "_Generation Settings");
  g_assert_true (wait_until (panel_closed, window, 3000));
  g_assert_false (gtk_toggle_button_get_active (natter_window_get_generation_button (window)));
  gui_test_open_menu_item (GTK_WIDGET (natter_window_get_chat_menu_button (window)), "_Generation Settings");
  g_assert_true (wait_until (panel_mapped, window, 3000));
  save_screenshot (GTK_WIDGET (window), "presets-panel-narrow.png");
  gui_test_press_x_key (GTK_WIDGET (window), GDK_KEY_F9, 0);
  g_assert_true (wait_until (panel_closed, window, 3000));

  live_window = NULL;
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (50);
  g_assert_finalize_object (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  app = natter_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_assert_null (natter_application_get_startup_error (app));

  g_test_add_func ("/natter/presets/dropdown-and-panel", test_dropdown_and_panel);
  g_test_add_func ("/natter/presets/slash-preset-and-continue", test_slash_preset_and_continue);
  g_test_add_func ("/natter/presets/connection-form-and-sidecar", test_connection_form_and_sidecar);
  g_test_add_func ("/natter/presets/cut-reply-offers-continue", test_cut_reply_offers_continue);
  g_test_add_func ("/natter/presets/side-panel-live", test_side_panel_live);
  g_test_add_func ("/natter/presets/inspector-lore-time-out", test_inspector_lore_time_out);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
