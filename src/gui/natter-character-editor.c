/* natter-character-editor.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-character-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-a11y.h"
#include "natter-avatar.h"
#include "natter-avatar-crop-dialog.h"
#include "natter-card.h"
#include "natter-card-edit.h"
#include "natter-character-editor-private.h"
#include "natter-tokens.h"
#include "natter-toasts.h"


struct _NatterCharacterEditor
{
  AdwWindow         parent_instance;

  NatterChatStore  *store;
  gint64            character_id;
  NatterCard       *card;          /* as stored; NULL for a new character */
  GBytes           *avatar;        /* shown now, NULL for none */
  gboolean          avatar_changed;
  GPtrArray        *assets;        /* JsonNode, the assets kept, in order */
  gboolean          assets_changed;
  GHashTable       *widgets;       /* field → GtkWidget (transfer none) */
  GHashTable       *token_labels;  /* field → GtkLabel (transfer none) */
  GCancellable     *cancellable;

  AdwWindowTitle   *window_title;
  AdwToastOverlay  *toast_overlay;
  GtkBox           *content_box;
  AdwAvatar        *avatar_widget;
  AdwPreferencesGroup *identity_group;
};

G_DEFINE_FINAL_TYPE (NatterCharacterEditor, natter_character_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct { const char *field; const char *title; } line_fields[] = {
  { "name", N_("Name") },
  { "nickname", N_("Nickname") },
  { "creator", N_("Creator") },
  { "character_version", N_("Character Version") },
  { "tags", N_("Tags (comma-separated)") },
};

static const struct { const char *field; const char *title; } text_fields[] = {
  { "description", N_("Description") },
  { "personality", N_("Personality") },
  { "scenario", N_("Scenario") },
  { "first_mes", N_("First Message") },
  { "mes_example", N_("Example Dialogue") },
  { "system_prompt", N_("System Prompt") },
  { "post_history_instructions", N_("Post-History Instructions") },
  { "creator_notes", N_("Creator Notes") },
};

static const struct { const char *field; const char *title; const char *item; } list_fields[] = {
  { "alternate_greetings", N_("Alternate Greetings"), N_("Alternate greeting") },
  { "group_only_greetings", N_("Group-Only Greetings"), N_("Group-only greeting") },
};

/* ---- reading the controls --------------------------------------------- */

static char *
widget_text (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
}

static char **
greetings_of (GtkWidget *list)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *view = g_object_get_data (G_OBJECT (row), "text-view");

      if (view != NULL)
        {
          g_autofree char *text = widget_text (view);

          g_strv_builder_add (builder, text);
        }
    }
  return g_strv_builder_end (builder);
}

static char **
split_tags (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*g_strstrip (parts[i]) != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

static const char *
card_string (NatterCard *card,
             const char *field)
{
  JsonObject *data = card != NULL ? natter_card_get_data (card) : NULL;
  JsonNode *node = data != NULL ? json_object_get_member (data, field) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return "";
}

static char **
card_strv (NatterCard *card,
           const char *field)
{
  JsonObject *data = card != NULL ? natter_card_get_data (card) : NULL;
  JsonNode *node = data != NULL ? json_object_get_member (data, field) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (item));
        }
    }
  return g_strv_builder_end (builder);
}

/* ---- token counts ------------------------------------------------------ */

static gint64
field_tokens (NatterCharacterEditor *self,
              const char            *field)
{
  GtkWidget *widget = g_hash_table_lookup (self->widgets, field);
  gint64 total = 0;

  if (widget == NULL)
    return 0;
  if (GTK_IS_LIST_BOX (widget))
    {
      g_auto(GStrv) items = greetings_of (widget);

      for (guint i = 0; items[i] != NULL; i++)
        total += natter_tokens_estimate (items[i]);
      return total;
    }
  {
    g_autofree char *text = widget_text (widget);

    return natter_tokens_estimate (text);
  }
}

static void
update_tokens (NatterCharacterEditor *self)
{
  GHashTableIter iter;
  gpointer key, value;
  gint64 total = 0;
  g_autofree char *subtitle = NULL;

  if (self->widgets == NULL)
    return;

  g_hash_table_iter_init (&iter, self->token_labels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 n = field_tokens (self, key);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld token", "%lld tokens",
                                                            (gulong) MIN (n, G_MAXLONG)),
                                               (long long) n);

      gtk_label_set_text (GTK_LABEL (value), text);
      total += n;
    }
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld token in all", "%lld tokens in all",
                                           (gulong) MIN (total, G_MAXLONG)),
                              (long long) total);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

/* ---- building the controls -------------------------------------------- */

static GtkWidget *
section_header (NatterCharacterEditor *self,
                const char            *field,
                const char            *title,
                GtkWidget            **out_label)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *tokens = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (tokens, "dim-label");
  gtk_widget_add_css_class (tokens, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), tokens);
  g_hash_table_insert (self->token_labels, (gpointer) field, tokens);
  if (out_label != NULL)
    *out_label = label;
  return box;
}

static GtkWidget *
text_view_new (NatterCharacterEditor *self,
               const char            *text,
               const char            *accessible_name)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_widget_set_size_request (view, -1, 72);
  gtk_widget_set_hexpand (view, TRUE);
  gtk_widget_add_css_class (view, "card");
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_name, -1);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (update_tokens), self, G_CONNECT_SWAPPED);
  return view;
}

static GtkWidget *
icon_button (const char *icon,
             const char *accessible_name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, accessible_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_name, -1);
  return button;
}

static void
on_move_up (GtkButton *button,
            GtkWidget *row)
{
  GtkListBox *list = GTK_LIST_BOX (gtk_widget_get_parent (row));
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));

  if (index <= 0)
    return;
  g_object_ref (row);
  gtk_list_box_remove (list, row);
  gtk_list_box_insert (list, row, index - 1);
  g_object_unref (row);
  gtk_widget_grab_focus (GTK_WIDGET (button));
}

static void
on_move_down (GtkButton *button,
              GtkWidget *row)
{
  GtkListBox *list = GTK_LIST_BOX (gtk_widget_get_parent (row));
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));

  if (gtk_widget_get_next_sibling (row) == NULL)
    return;
  g_object_ref (row);
  gtk_list_box_remove (list, row);
  gtk_list_box_insert (list, row, index + 1);
  g_object_unref (row);
  gtk_widget_grab_focus (GTK_WIDGET (button));
}

static void
on_remove_row (GtkButton *button,
               GtkWidget *row)
{
  NatterCharacterEditor *self = NATTER_CHARACTER_EDITOR (gtk_widget_get_root (row));

  gtk_list_box_remove (GTK_LIST_BOX (gtk_widget_get_parent (row)), row);
  update_tokens (self);
}

static GtkWidget *
add_greeting_row (NatterCharacterEditor *self,
                  GtkListBox            *list,
                  const char            *item_name,
                  const char            *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *view = text_view_new (self, text, item_name);
  GtkWidget *up = icon_button ("go-up-symbolic", _("Move up"));
  GtkWidget *down = icon_button ("go-down-symbolic", _("Move down"));
  GtkWidget *remove = icon_button ("user-trash-symbolic", _("Remove"));

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), view);
  gtk_box_append (GTK_BOX (buttons), up);
  gtk_box_append (GTK_BOX (buttons), down);
  gtk_box_append (GTK_BOX (buttons), remove);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "text-view", view);
  g_signal_connect (up, "clicked", G_CALLBACK (on_move_up), row);
  g_signal_connect (down, "clicked", G_CALLBACK (on_move_down), row);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_row), row);
  gtk_list_box_append (list, row);
  return view;
}

static void
on_add_greeting (GtkButton *button,
                 GtkWidget *list)
{
  NatterCharacterEditor *self = NATTER_CHARACTER_EDITOR (gtk_widget_get_root (list));
  const char *item_name = g_object_get_data (G_OBJECT (list), "item-name");
  GtkWidget *view = add_greeting_row (self, GTK_LIST_BOX (list), item_name, "");

  gtk_widget_grab_focus (view);
  update_tokens (self);
}

static void
on_remove_asset (GtkButton *button,
                 GtkWidget *row)
{
  NatterCharacterEditor *self = NATTER_CHARACTER_EDITOR (gtk_widget_get_root (row));
  JsonNode *node = g_object_get_data (G_OBJECT (row), "asset");

  g_ptr_array_remove (self->assets, node);
  self->assets_changed = TRUE;
  gtk_list_box_remove (GTK_LIST_BOX (gtk_widget_get_parent (row)), row);
}

static void
build_assets (NatterCharacterEditor *self)
{
  JsonObject *data = self->card != NULL ? natter_card_get_data (self->card) : NULL;
  JsonNode *node = data != NULL ? json_object_get_member (data, "assets") : NULL;
  GtkWidget *header = gtk_label_new (_("Assets"));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *empty = gtk_label_new (_("No assets"));

  gtk_widget_add_css_class (header, "heading");
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_add_css_class (empty, "dim-label");
  gtk_widget_set_margin_top (empty, 12);
  gtk_widget_set_margin_bottom (empty, 12);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (list), empty);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Assets"), -1);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *asset = json_array_get_element (array, i);
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *remove;
          const char *name = "", *type = "", *uri = "";
          g_autofree char *subtitle = NULL;

          g_ptr_array_add (self->assets, json_node_copy (asset));
          if (JSON_NODE_HOLDS_OBJECT (asset))
            {
              JsonObject *o = json_node_get_object (asset);

              name = json_object_get_string_member_with_default (o, "name", "");
              type = json_object_get_string_member_with_default (o, "type", "");
              uri = json_object_get_string_member_with_default (o, "uri", "");
            }
          subtitle = g_strdup_printf ("%s · %s", type, uri);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          remove = icon_button ("user-trash-symbolic", _("Remove asset"));
          gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
          g_object_set_data (G_OBJECT (row), "asset", g_ptr_array_index (self->assets, self->assets->len - 1));
          g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_asset), row);
          gtk_list_box_append (GTK_LIST_BOX (list), row);
        }
    }

  gtk_box_append (self->content_box, header);
  gtk_box_append (self->content_box, list);
  g_hash_table_insert (self->widgets, (gpointer) "assets", list);
}

static void
show_avatar (NatterCharacterEditor *self)
{
  adw_avatar_set_custom_image (self->avatar_widget, NULL);
  if (self->avatar != NULL)
    {
      g_autoptr(GdkTexture) texture = gdk_texture_new_from_bytes (self->avatar, NULL);

      if (texture != NULL)
        adw_avatar_set_custom_image (self->avatar_widget, GDK_PAINTABLE (texture));
    }
}

static void
build (NatterCharacterEditor *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (line_fields); i++)
    {
      GtkWidget *row = adw_entry_row_new ();
      const char *field = line_fields[i].field;
      g_autofree char *text = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(line_fields[i].title));
      if (g_str_equal (field, "tags"))
        {
          g_auto(GStrv) tags = card_strv (self->card, "tags");

          text = g_strjoinv (", ", tags);
        }
      else
        text = g_strdup (card_string (self->card, field));
      gtk_editable_set_text (GTK_EDITABLE (row), text);
      /* What was shown, to tell an edit from a field left alone. */
      g_object_set_data_full (G_OBJECT (row), "shown", g_strdup (text), g_free);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(line_fields[i].title), -1);
      adw_preferences_group_add (self->identity_group, row);
      g_hash_table_insert (self->widgets, (gpointer) field, row);
      if (g_str_equal (field, "name"))
        g_signal_connect_object (row, "changed", G_CALLBACK (update_tokens), self, G_CONNECT_SWAPPED);
    }

  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      const char *field = text_fields[i].field;
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *view = text_view_new (self, card_string (self->card, field), _(text_fields[i].title));

      gtk_box_append (GTK_BOX (box), section_header (self, field, _(text_fields[i].title), NULL));
      gtk_box_append (GTK_BOX (box), view);
      gtk_box_append (self->content_box, box);
      g_hash_table_insert (self->widgets, (gpointer) field, view);
    }

  for (guint i = 0; i < G_N_ELEMENTS (list_fields); i++)
    {
      const char *field = list_fields[i].field;
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *list = gtk_list_box_new ();
      GtkWidget *add = gtk_button_new_with_mnemonic (i == 0 ? _("_Add Greeting") : _("Add _Group Greeting"));
      g_auto(GStrv) items = card_strv (self->card, field);

      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(list_fields[i].title), -1);
      g_object_set_data (G_OBJECT (list), "item-name", (gpointer) _(list_fields[i].item));
      g_hash_table_insert (self->widgets, (gpointer) field, list);
      for (guint k = 0; items[k] != NULL; k++)
        add_greeting_row (self, GTK_LIST_BOX (list), _(list_fields[i].item), items[k]);
      gtk_widget_set_halign (add, GTK_ALIGN_START);
      g_signal_connect (add, "clicked", G_CALLBACK (on_add_greeting), list);

      gtk_box_append (GTK_BOX (box), section_header (self, field, _(list_fields[i].title), NULL));
      gtk_box_append (GTK_BOX (box), list);
      gtk_box_append (GTK_BOX (box), add);
      gtk_box_append (self->content_box, box);
    }

  build_assets (self);
  show_avatar (self);
  natter_a11y_fix_names (GTK_WIDGET (self));
  update_tokens (self);
}

/* ---- saving ------------------------------------------------------------ */

static void
toast (NatterCharacterEditor *self,
       const char            *message)
{
  natter_toasts_add (self->toast_overlay, adw_toast_new (message));
}

static void
apply (NatterCard **card,
       NatterCard  *edited)
{
  g_set_object (card, edited);
  g_object_unref (edited);
}

/* Whether @field of @base was there at all (an absent field left empty
 * stays absent). */
static gboolean
has_member (NatterCard *base,
            const char *field)
{
  JsonObject *data = natter_card_get_data (base);

  return data != NULL && json_object_has_member (data, field);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NatterCharacterEditor *self = NATTER_CHARACTER_EDITOR (widget);
  g_autoptr(NatterCard) card = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = widget_text (g_hash_table_lookup (self->widgets, "name"));
  g_autofree char *json = NULL;
  GBytes *avatar;
  gint64 id;

  g_strstrip (name);
  if (name[0] == '\0')
    {
      toast (self, _("A character needs a name"));
      return;
    }

  card = self->card != NULL ? g_object_ref (self->card) : natter_card_new_blank (name);

  for (guint i = 0; i < G_N_ELEMENTS (line_fields) + G_N_ELEMENTS (text_fields); i++)
    {
      const char *field = i < G_N_ELEMENTS (line_fields) ? line_fields[i].field
                                                         : text_fields[i - G_N_ELEMENTS (line_fields)].field;
      g_autofree char *text = NULL;

      if (g_str_equal (field, "tags"))
        continue;
      text = widget_text (g_hash_table_lookup (self->widgets, field));
      if (g_str_equal (field, "name"))
        g_strstrip (text);
      if (g_str_equal (text, card_string (card, field)) ||
          (text[0] == '\0' && !has_member (card, field)))
        continue;
      apply (&card, natter_card_edit_string (card, field, text));
    }

  {
    GtkWidget *tags_row = g_hash_table_lookup (self->widgets, "tags");
    g_autofree char *text = widget_text (tags_row);
    g_auto(GStrv) tags = split_tags (text);
    g_auto(GStrv) old = card_strv (card, "tags");

    if (g_strcmp0 (text, g_object_get_data (G_OBJECT (tags_row), "shown")) != 0 &&
        !g_strv_equal ((const char * const *) tags, (const char * const *) old) &&
        !(tags[0] == NULL && !has_member (card, "tags")))
      apply (&card, natter_card_edit_strv (card, "tags", (const char * const *) tags));
  }

  for (guint i = 0; i < G_N_ELEMENTS (list_fields); i++)
    {
      g_auto(GStrv) items = greetings_of (g_hash_table_lookup (self->widgets, list_fields[i].field));
      g_auto(GStrv) old = card_strv (card, list_fields[i].field);

      if (!g_strv_equal ((const char * const *) items, (const char * const *) old) &&
          !(items[0] == NULL && !has_member (card, list_fields[i].field)))
        apply (&card, natter_card_edit_strv (card, list_fields[i].field, (const char * const *) items));
    }

  if (self->assets_changed)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = NULL;

      for (guint i = 0; i < self->assets->len; i++)
        json_array_add_element (array, json_node_copy (g_ptr_array_index (self->assets, i)));
      node = json_node_init_array (json_node_alloc (), array);
      apply (&card, natter_card_edit_member (card, "assets", node));
    }

  avatar = self->avatar;
  if (self->card != NULL && card == self->card && !self->avatar_changed)
    {
      /* Nothing changed: the stored card stays byte for byte. */
      g_signal_emit (self, signals[SAVED], 0, self->character_id);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  json = natter_card_dup_json (card);
  if (self->character_id != 0)
    {
      g_autoptr(NatterCharacterRow) row = natter_chat_store_get_character (self->store, self->character_id, &error);

      /* An unchanged card keeps its stored text exactly. */
      if (row != NULL && card == self->card)
        {
          g_free (json);
          json = g_strdup (row->card_json);
        }
      if (row == NULL ||
          !natter_chat_store_update_character (self->store, self->character_id, NULL, json, avatar, &error))
        {
          toast (self, error->message);
          return;
        }
      id = self->character_id;
    }
  else
    {
      id = natter_chat_store_add_character (self->store, NULL, json, avatar, &error);
      if (id == 0)
        {
          toast (self, error->message);
          return;
        }
    }

  g_signal_emit (self, signals[SAVED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* ---- avatar ------------------------------------------------------------ */

static void
on_cropped (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  NatterCharacterEditor *self = NATTER_CHARACTER_EDITOR (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = natter_avatar_crop_dialog_choose_finish (GTK_WINDOW (self), result, &error);

  if (png == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not use the image: %s"), error->message);

          toast (self, message);
        }
      return;
    }
  g_clear_pointer (&self->avatar, g_bytes_unref);
  self->avatar = g_steal_pointer (&png);
  self->avatar_changed = TRUE;
  show_avatar (self);
}

static void
on_avatar_response (GtkNativeDialog       *dialog,
                    int                    response,
                    NatterCharacterEditor *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        natter_avatar_crop_dialog_choose_async (GTK_WINDOW (self), path, self->cancellable, on_cropped, NULL);
      g_free (path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_avatar_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NatterCharacterEditor *self = NATTER_CHARACTER_EDITOR (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose an Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_avatar_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
remove_avatar_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NatterCharacterEditor *self = NATTER_CHARACTER_EDITOR (widget);

  if (self->avatar == NULL)
    return;
  g_clear_pointer (&self->avatar, g_bytes_unref);
  self->avatar_changed = TRUE;
  show_avatar (self);
}

/* ---- object ------------------------------------------------------------ */

static void
natter_character_editor_dispose (GObject *object)
{
  NatterCharacterEditor *self = NATTER_CHARACTER_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_CHARACTER_EDITOR);
  g_clear_pointer (&self->widgets, g_hash_table_unref);
  g_clear_pointer (&self->token_labels, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->card);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->avatar, g_bytes_unref);
  g_clear_pointer (&self->assets, g_ptr_array_unref);

  G_OBJECT_CLASS (natter_character_editor_parent_class)->dispose (object);
}

static void
natter_character_editor_class_init (NatterCharacterEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_character_editor_dispose;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/natterapp/Natter/natter-character-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterCharacterEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, NatterCharacterEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NatterCharacterEditor, content_box);
  gtk_widget_class_bind_template_child_full (widget_class, "avatar", FALSE,
                                             G_STRUCT_OFFSET (NatterCharacterEditor, avatar_widget));
  gtk_widget_class_bind_template_child (widget_class, NatterCharacterEditor, identity_group);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.choose-avatar", NULL, choose_avatar_action);
  gtk_widget_class_install_action (widget_class, "editor.remove-avatar", NULL, remove_avatar_action);
}

static void
natter_character_editor_init (NatterCharacterEditor *self)
{
  self->widgets = g_hash_table_new (g_str_hash, g_str_equal);
  self->token_labels = g_hash_table_new (g_str_hash, g_str_equal);
  self->assets = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

NatterCharacterEditor *
natter_character_editor_new (GtkWindow        *parent,
                             NatterChatStore  *store,
                             gint64            character_id,
                             GError          **error)
{
  NatterCharacterEditor *self;

  g_return_val_if_fail (NATTER_IS_CHAT_STORE (store), NULL);

  /* The list of toplevels owns the window until it is destroyed. */
  self = g_object_new (NATTER_TYPE_CHARACTER_EDITOR, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->character_id = character_id;
  if (character_id != 0)
    {
      g_autoptr(NatterCharacterRow) row = natter_chat_store_get_character (store, character_id, error);

      if (row == NULL)
        {
          gtk_window_destroy (GTK_WINDOW (self));
          return NULL;
        }
      self->card = natter_card_new_from_json (row->card_json, error);
      if (self->card == NULL)
        {
          gtk_window_destroy (GTK_WINDOW (self));
          return NULL;
        }
      if (row->avatar != NULL)
        self->avatar = g_bytes_ref (row->avatar);
      adw_window_title_set_title (self->window_title, row->name);
      gtk_window_set_title (GTK_WINDOW (self), row->name);
      adw_avatar_set_text (self->avatar_widget, row->name);
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("New Character"));
      gtk_window_set_title (GTK_WINDOW (self), _("New Character"));
    }
  build (self);
  return self;
}

/* ---- for tests --------------------------------------------------------- */

GtkWidget *
natter_character_editor_get_field_widget (NatterCharacterEditor *self,
                                          const char            *field)
{
  g_return_val_if_fail (NATTER_IS_CHARACTER_EDITOR (self), NULL);
  return g_hash_table_lookup (self->widgets, field);
}

gint64
natter_character_editor_get_tokens (NatterCharacterEditor *self,
                                    const char            *field)
{
  gint64 total = 0;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (NATTER_IS_CHARACTER_EDITOR (self), 0);

  if (!g_str_equal (field, "total"))
    return field_tokens (self, field);
  g_hash_table_iter_init (&iter, self->token_labels);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    total += field_tokens (self, key);
  return total;
}

gboolean
natter_character_editor_set_avatar_file (NatterCharacterEditor  *self,
                                         const char             *path,
                                         GError                **error)
{
  GBytes *png;

  g_return_val_if_fail (NATTER_IS_CHARACTER_EDITOR (self), FALSE);

  png = natter_avatar_crop_file (path, NATTER_AVATAR_CENTRE, error);
  if (png == NULL)
    return FALSE;
  g_clear_pointer (&self->avatar, g_bytes_unref);
  self->avatar = png;
  self->avatar_changed = TRUE;
  show_avatar (self);
  return TRUE;
}

void
natter_character_editor_choose_avatar_file (NatterCharacterEditor *self,
                                            const char            *path)
{
  g_return_if_fail (NATTER_IS_CHARACTER_EDITOR (self));

  natter_avatar_crop_dialog_choose_async (GTK_WINDOW (self), path, self->cancellable, on_cropped, NULL);
}

GBytes *
natter_character_editor_get_avatar (NatterCharacterEditor *self)
{
  g_return_val_if_fail (NATTER_IS_CHARACTER_EDITOR (self), NULL);
  return self->avatar;
}
