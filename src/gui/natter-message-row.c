/* natter-message-row.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-message-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "natter-chat-view.h"
#include "natter-markdown.h"
#include "natter-message-row.h"

typedef struct
{
  NatterMarkdownBlockKind  kind;
  char                    *source;
  gsize                    source_len;
  GtkWidget               *widget;   /* owned by blocks_box */
  GtkLabel                *label;
} Block;

struct _NatterMessageRow
{
  GtkWidget          parent_instance;

  NatterMessageItem *item;
  GArray            *blocks;         /* of Block */
  GString           *rendered;       /* the text the blocks show */

  GtkWidget         *box;
  GtkLabel          *role_label;
  GtkSpinner        *spinner;
  GtkExpander       *reasoning_expander;
  GtkLabel          *reasoning_label;
  GtkBox            *blocks_box;
  GtkWidget         *error_box;
  GtkLabel          *error_label;
  GtkWidget         *actions_box;
  GtkWidget         *edit_button;
  GtkWidget         *branch_button;
  GtkWidget         *regenerate_button;
  GtkWidget         *swipe_box;
  GtkLabel          *swipe_label;
};

G_DEFINE_FINAL_TYPE (NatterMessageRow, natter_message_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
block_clear (gpointer data)
{
  Block *block = data;

  g_clear_pointer (&block->source, g_free);
}

static void
on_copy_code_clicked (GtkButton *button,
                      GtkLabel  *label)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          gtk_label_get_text (label));
}

static GtkWidget *
create_block_widget (NatterMessageRow        *self,
                     NatterMarkdownBlockKind  kind,
                     GtkLabel               **label_out)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  *label_out = GTK_LABEL (label);

  if (kind == NATTER_MARKDOWN_BLOCK_TEXT)
    {
      gtk_widget_add_css_class (label, "message-text");
      return label;
    }
  else
    {
      GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *lang = gtk_label_new (NULL);
      GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

      gtk_widget_add_css_class (frame, "code-block");
      gtk_widget_add_css_class (frame, "card");
      gtk_widget_add_css_class (header, "code-header");
      gtk_widget_add_css_class (lang, "dim-label");
      gtk_widget_add_css_class (lang, "caption");
      gtk_label_set_xalign (GTK_LABEL (lang), 0);
      gtk_widget_set_hexpand (lang, TRUE);
      gtk_widget_set_margin_start (lang, 12);
      gtk_widget_add_css_class (copy, "flat");
      gtk_widget_set_tooltip_text (copy, _("Copy Code"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (copy),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy code"),
                                      -1);
      g_signal_connect (copy, "clicked", G_CALLBACK (on_copy_code_clicked), label);
      gtk_box_append (GTK_BOX (header), lang);
      gtk_box_append (GTK_BOX (header), copy);

      gtk_widget_add_css_class (label, "monospace");
      gtk_widget_set_margin_start (label, 12);
      gtk_widget_set_margin_end (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
      gtk_box_append (GTK_BOX (frame), header);
      gtk_box_append (GTK_BOX (frame), label);
      g_object_set_data (G_OBJECT (frame), "language-label", lang);
      return frame;
    }
}

static void
render_block (NatterMessageRow *self,
              Block            *block)
{
  if (self->item != NULL && natter_message_item_get_kind (self->item) == NATTER_MESSAGE_KIND_NOTE)
    {
      gtk_label_set_text (block->label, block->source);
    }
  else if (block->kind == NATTER_MARKDOWN_BLOCK_TEXT)
    {
      g_autofree char *markup = natter_markdown_to_markup (block->source, block->source_len);
      gtk_label_set_markup (block->label, markup);
    }
  else
    {
      g_autofree char *language = NULL;
      g_autofree char *code = natter_markdown_code_content (block->source, block->source_len, &language);
      GtkLabel *lang = g_object_get_data (G_OBJECT (block->widget), "language-label");

      gtk_label_set_text (block->label, code);
      gtk_label_set_text (lang, language ? language : _("Code"));
    }
}

/* Blocks live in groups of BLOCKS_PER_GROUP boxes inside blocks_box: when
 * the last block grows, only its group and the short list of groups are
 * measured again, not every block of a long reply. */
#define BLOCKS_PER_GROUP 32

/* Blocks are only appended at the end and removed from the end, so block
 * @index belongs to the last group unless it starts a new one. */
static GtkBox *
group_for_index (NatterMessageRow *self,
                 guint             index)
{
  GtkWidget *group = gtk_widget_get_last_child (GTK_WIDGET (self->blocks_box));

  if (group == NULL || index % BLOCKS_PER_GROUP == 0)
    {
      group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      gtk_box_append (self->blocks_box, group);
    }
  return GTK_BOX (group);
}

static void
remove_block_widget (NatterMessageRow *self,
                     GtkWidget        *widget)
{
  GtkWidget *group = gtk_widget_get_parent (widget);

  gtk_box_remove (GTK_BOX (group), widget);
  if (gtk_widget_get_first_child (group) == NULL)
    gtk_box_remove (self->blocks_box, group);
}

static void
update_blocks (NatterMessageRow *self)
{
  const char *text = self->item ? natter_message_item_get_text (self->item) : "";
  gsize len = self->item ? natter_message_item_get_text_length (self->item) : 0;
  g_autoptr(GArray) split = NULL;
  guint first = 0;
  gsize offset = 0;
  guint i;

  /* Streaming only appends: everything before the last block stays. */
  if (self->blocks->len > 0 && self->rendered->len <= len &&
      memcmp (self->rendered->str, text, self->rendered->len) == 0)
    {
      first = self->blocks->len - 1;
      offset = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (g_array_index (self->blocks, Block, first).widget),
                                                    "natter-block-start"));
    }

  if (natter_message_item_get_kind (self->item) == NATTER_MESSAGE_KIND_NOTE)
    {
      NatterMarkdownBlock whole = { NATTER_MARKDOWN_BLOCK_TEXT, 0, len };

      first = 0;
      offset = 0;
      split = g_array_new (FALSE, FALSE, sizeof (NatterMarkdownBlock));
      if (len > 0)
        g_array_append_val (split, whole);
    }
  else
    split = natter_markdown_split (text + offset, len - offset);

  for (i = 0; i < split->len; i++)
    {
      const NatterMarkdownBlock *nb = &g_array_index (split, NatterMarkdownBlock, i);
      const char *source = text + offset + nb->start;
      guint index = first + i;
      Block *block;

      if (index < self->blocks->len)
        {
          block = &g_array_index (self->blocks, Block, index);
          if (block->kind == nb->kind && block->source_len == nb->len &&
              memcmp (block->source, source, nb->len) == 0)
            goto keep;

          if (block->kind != nb->kind)
            {
              GtkWidget *widget = create_block_widget (self, nb->kind, &block->label);

              GtkBox *group = GTK_BOX (gtk_widget_get_parent (block->widget));

              gtk_box_insert_child_after (group, widget, block->widget);
              gtk_box_remove (group, block->widget);
              block->widget = widget;
              block->kind = nb->kind;
            }
          g_free (block->source);
        }
      else
        {
          Block new_block = { 0 };

          new_block.kind = nb->kind;
          new_block.widget = create_block_widget (self, nb->kind, &new_block.label);
          gtk_box_append (group_for_index (self, index), new_block.widget);
          g_array_append_val (self->blocks, new_block);
          block = &g_array_index (self->blocks, Block, index);
        }

      block->source = g_strndup (source, nb->len);
      block->source_len = nb->len;
      render_block (self, block);

    keep:
      g_object_set_data (G_OBJECT (block->widget), "natter-block-start",
                         GSIZE_TO_POINTER (offset + nb->start));
    }

  for (i = self->blocks->len; i > first + split->len; i--)
    {
      Block *block = &g_array_index (self->blocks, Block, i - 1);

      remove_block_widget (self, block->widget);
      g_array_remove_index (self->blocks, i - 1);
    }

  g_string_assign (self->rendered, text);
}

static void
update_reasoning (NatterMessageRow *self)
{
  const char *reasoning = self->item ? natter_message_item_get_reasoning (self->item) : "";
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), NATTER_TYPE_CHAT_VIEW);
  gboolean show = view == NULL || natter_chat_view_get_show_reasoning (NATTER_CHAT_VIEW (view));

  gtk_widget_set_visible (GTK_WIDGET (self->reasoning_expander), show && reasoning[0] != '\0');
  gtk_label_set_text (self->reasoning_label, reasoning);
}

static void
update_state (NatterMessageRow *self)
{
  NatterMessageKind kind;
  NatterErrorCategory category;
  gboolean streaming, is_last;
  const char *role;

  if (self->item == NULL)
    return;

  kind = natter_message_item_get_kind (self->item);
  streaming = natter_message_item_get_streaming (self->item);
  is_last = natter_message_item_get_is_last (self->item);
  category = natter_message_item_get_error_category (self->item);

  switch (kind)
    {
    case NATTER_MESSAGE_KIND_USER:
      role = _("You");
      break;
    case NATTER_MESSAGE_KIND_ASSISTANT:
      role = _("Assistant");
      break;
    case NATTER_MESSAGE_KIND_SYSTEM:
      role = _("System");
      break;
    case NATTER_MESSAGE_KIND_NOTE:
    default:
      role = _("Note");
      break;
    }
  gtk_label_set_text (self->role_label, role);

  gtk_widget_remove_css_class (self->box, "user");
  gtk_widget_remove_css_class (self->box, "assistant");
  gtk_widget_remove_css_class (self->box, "note");
  gtk_widget_add_css_class (self->box,
                            kind == NATTER_MESSAGE_KIND_USER ? "user" :
                            kind == NATTER_MESSAGE_KIND_NOTE ? "note" : "assistant");

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), streaming);
  gtk_spinner_set_spinning (self->spinner, streaming);

  gtk_widget_set_visible (self->error_box, category != NATTER_ERROR_CATEGORY_NONE);
  if (category != NATTER_ERROR_CATEGORY_NONE)
    {
      const char *detail = natter_message_item_get_error_message (self->item);
      g_autofree char *message = NULL;

      if (detail != NULL && *detail != '\0')
        message = g_strdup_printf ("%s: %s", natter_error_category_describe (category), detail);
      else
        message = g_strdup (natter_error_category_describe (category));
      gtk_label_set_text (self->error_label, message);
    }

  gtk_widget_set_visible (self->actions_box, !streaming && kind != NATTER_MESSAGE_KIND_NOTE);
  gtk_widget_set_visible (self->regenerate_button, is_last && kind == NATTER_MESSAGE_KIND_ASSISTANT);
  gtk_widget_set_visible (self->swipe_box, is_last && kind == NATTER_MESSAGE_KIND_ASSISTANT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.swipe-previous",
                                 natter_message_item_get_swipe_index (self->item) > 0);

  {
    g_autofree char *swipes = g_strdup_printf ("%u/%u",
                                               natter_message_item_get_swipe_index (self->item) + 1,
                                               natter_message_item_get_n_swipes (self->item));
    gtk_label_set_text (self->swipe_label, swipes);
  }
}

static void
on_item_notify (NatterMessageRow *self,
                GParamSpec       *pspec,
                NatterMessageItem *item)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "text"))
    update_blocks (self);
  else if (g_str_equal (name, "reasoning"))
    update_reasoning (self);
  else
    update_state (self);
}

static void
natter_message_row_dispose (GObject *object)
{
  NatterMessageRow *self = (NatterMessageRow *)object;

  natter_message_row_set_item (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_MESSAGE_ROW);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (natter_message_row_parent_class)->dispose (object);
}

static void
natter_message_row_finalize (GObject *object)
{
  NatterMessageRow *self = (NatterMessageRow *)object;

  g_array_unref (self->blocks);
  g_string_free (self->rendered, TRUE);

  G_OBJECT_CLASS (natter_message_row_parent_class)->finalize (object);
}

static void
natter_message_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  NatterMessageRow *self = NATTER_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_message_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  NatterMessageRow *self = NATTER_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      natter_message_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NatterMessageRow *self = NATTER_MESSAGE_ROW (widget);
  GtkWidget *view;

  if (self->item == NULL)
    return;

  if (g_str_equal (action_name, "message.copy"))
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                              natter_message_item_get_text (self->item));
      return;
    }

  view = gtk_widget_get_ancestor (widget, NATTER_TYPE_CHAT_VIEW);
  if (view != NULL)
    natter_chat_view_activate_message_action (NATTER_CHAT_VIEW (view), self->item,
                                              action_name + strlen ("message."));
}

static void
natter_message_row_class_init (NatterMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *actions[] = {
    "message.copy", "message.edit", "message.delete", "message.branch",
    "message.regenerate", "message.swipe-previous", "message.swipe-next",
    "message.retry",
  };

  object_class->dispose = natter_message_row_dispose;
  object_class->finalize = natter_message_row_finalize;
  object_class->get_property = natter_message_row_get_property;
  object_class->set_property = natter_message_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, NATTER_TYPE_MESSAGE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, box);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, role_label);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, reasoning_expander);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, reasoning_label);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, blocks_box);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, error_box);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, actions_box);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, branch_button);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, regenerate_button);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, swipe_box);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, swipe_label);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, forward_action);

  gtk_widget_class_set_css_name (widget_class, "messagerow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
natter_message_row_init (NatterMessageRow *self)
{
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, block_clear);
  self->rendered = g_string_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
natter_message_row_new (void)
{
  return g_object_new (NATTER_TYPE_MESSAGE_ROW, NULL);
}

NatterMessageItem *
natter_message_row_get_item (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), NULL);
  return self->item;
}

void
natter_message_row_set_item (NatterMessageRow  *self,
                             NatterMessageItem *item)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ROW (self));
  g_return_if_fail (item == NULL || NATTER_IS_MESSAGE_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, on_item_notify, self);
  g_set_object (&self->item, item);

  /* A different message: nothing of the old blocks can be reused. */
  {
    GtkWidget *group;

    while ((group = gtk_widget_get_first_child (GTK_WIDGET (self->blocks_box))) != NULL)
      gtk_box_remove (self->blocks_box, group);
    g_array_set_size (self->blocks, 0);
  }
  g_string_truncate (self->rendered, 0);

  if (item != NULL)
    {
      g_signal_connect_object (item, "notify", G_CALLBACK (on_item_notify), self, G_CONNECT_SWAPPED);
      update_blocks (self);
      update_reasoning (self);
      update_state (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

guint
natter_message_row_get_n_blocks (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), 0);
  return self->blocks->len;
}

const char *
natter_message_row_get_block_text (NatterMessageRow *self,
                                   guint             index)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), NULL);
  g_return_val_if_fail (index < self->blocks->len, NULL);

  return gtk_label_get_label (g_array_index (self->blocks, Block, index).label);
}

void
natter_message_row_refresh (NatterMessageRow *self)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ROW (self));
  update_reasoning (self);
}

gboolean
natter_message_row_get_reasoning_visible (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->reasoning_expander));
}
