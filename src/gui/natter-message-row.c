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

#include "natter-blocks-box-private.h"
#include "natter-block-bin-private.h"
#include "natter-chat-view.h"
#include "natter-code-block-private.h"
#include "natter-tool-calls-box-private.h"
#include "natter-markdown.h"
#include "natter-message-row-private.h"
#include "natter-table-block-private.h"
#include "natter-text-block-private.h"
#include "natter-tokens.h"

/* What a row rendered of a message, kept on the item when the row moves
 * on to another one: binding a row to the message again (scrolling back)
 * then costs no Markdown parsing. Valid for the text generation and length
 * it was made from (the text only grows within a generation). */
typedef struct
{
  guint   generation;
  gsize   length;
  GArray *blocks;   /* of Block, without widgets */
} RenderCache;

static GQuark render_cache_quark;
static guint cache_hits;

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

  g_clear_pointer (&block->rendered, g_free);
  g_clear_pointer (&block->language, g_free);
}

static void
render_cache_free (gpointer data)
{
  RenderCache *cache = data;

  g_array_unref (cache->blocks);
  g_free (cache);
}

static GtkWidget *
create_block_widget (NatterMessageRow        *self,
                     NatterMarkdownBlockKind  kind,
                     GtkLabel               **label_out,
                     GtkLabel               **lang_out)
{
  *lang_out = NULL;
  *label_out = NULL;

  switch (kind)
    {
    case NATTER_MARKDOWN_BLOCK_CODE:
      return natter_code_block_new (label_out, lang_out);
    case NATTER_MARKDOWN_BLOCK_TABLE:
      return natter_table_block_new ();
    case NATTER_MARKDOWN_BLOCK_TEXT:
    default:
      return natter_text_block_new (label_out);
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
  GtkWidget *group = gtk_widget_get_last_child (self->blocks_box);

  if (group == NULL || index % BLOCKS_PER_GROUP == 0)
    {
      group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      gtk_widget_insert_before (group, self->blocks_box, NULL);
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
    gtk_widget_unparent (group);
}

/* Shows block @index as @kind with @rendered (and @language), both taken.
 * Reuses the widget already at @index when it has the same kind, and does
 * not touch its label when it already shows the same. */
static void
set_block (NatterMessageRow        *self,
           guint                    index,
           NatterMarkdownBlockKind  kind,
           gsize                    start,
           gsize                    len,
           char                    *rendered,
           char                    *language,
           gboolean                 plain)
{
  Block *block;

  g_assert (index <= self->blocks->len);

  if (index == self->blocks->len)
    {
      Block new_block = { 0 };

      new_block.kind = kind;
      new_block.widget = create_block_widget (self, kind, &new_block.label, &new_block.lang_label);
      gtk_box_append (group_for_index (self, index), new_block.widget);
      g_array_append_val (self->blocks, new_block);
    }
  block = &g_array_index (self->blocks, Block, index);

  if (block->kind != kind)
    {
      GtkWidget *widget = create_block_widget (self, kind, &block->label, &block->lang_label);
      GtkBox *group = GTK_BOX (gtk_widget_get_parent (block->widget));

      gtk_box_insert_child_after (group, widget, block->widget);
      gtk_box_remove (group, block->widget);
      block->widget = widget;
      block->kind = kind;
      block_clear (block);
    }

  block->start = start;
  block->len = len;

  if (block->plain == plain && g_strcmp0 (block->rendered, rendered) == 0 &&
      g_strcmp0 (block->language, language) == 0)
    {
      g_free (rendered);
      g_free (language);
      return;
    }

  block_clear (block);
  block->rendered = rendered;
  block->language = language;
  block->plain = plain;

  if (kind == NATTER_MARKDOWN_BLOCK_TABLE)
    {
      natter_table_block_set (block->widget, rendered);
      return;
    }
  if (kind == NATTER_MARKDOWN_BLOCK_CODE)
    natter_text_pieces_set (gtk_widget_get_parent (GTK_WIDGET (block->label)), rendered, FALSE, natter_code_piece_new);
  else
    natter_text_pieces_set (gtk_widget_get_parent (GTK_WIDGET (block->label)), rendered, !plain, natter_text_piece_new);
  if (block->lang_label != NULL)
    gtk_label_set_text (block->lang_label, language ? language : _("Code"));
  natter_block_bin_content_changed (block->widget);
}

static void
truncate_blocks (NatterMessageRow *self,
                 guint             n)
{
  for (guint i = self->blocks->len; i > n; i--)
    {
      Block *block = &g_array_index (self->blocks, Block, i - 1);

      remove_block_widget (self, block->widget);
      g_array_remove_index (self->blocks, i - 1);
    }
  self->n_valid = MIN (self->n_valid, n);
}

/* Saves what the row shows into its item's cache, for the next row that
 * shows the item. */
static void
save_render_cache (NatterMessageRow *self)
{
  RenderCache *cache;

  if (self->item == NULL || self->n_valid != self->blocks->len ||
      self->generation != natter_message_item_get_text_generation (self->item))
    return;

  cache = g_object_get_qdata (G_OBJECT (self->item), render_cache_quark);
  if (cache != NULL && cache->generation == self->generation && cache->length == self->rendered_len)
    return;

  cache = g_new0 (RenderCache, 1);
  cache->generation = self->generation;
  cache->length = self->rendered_len;
  cache->blocks = g_array_sized_new (FALSE, TRUE, sizeof (Block), self->blocks->len);
  g_array_set_clear_func (cache->blocks, block_clear);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);
      Block copy = { block->kind, block->start, block->len,
                     g_strdup (block->rendered), g_strdup (block->language), block->plain,
                     NULL, NULL, NULL };

      g_array_append_val (cache->blocks, copy);
    }
  g_object_set_qdata_full (G_OBJECT (self->item), render_cache_quark, cache, render_cache_free);
}

/* Shows what the item's cache holds, when it is of the current text. */
static gboolean
apply_render_cache (NatterMessageRow *self,
                    guint             generation,
                    gsize             len)
{
  RenderCache *cache = g_object_get_qdata (G_OBJECT (self->item), render_cache_quark);

  if (cache == NULL || cache->generation != generation || cache->length > len)
    return FALSE;

  for (guint i = 0; i < cache->blocks->len; i++)
    {
      const Block *block = &g_array_index (cache->blocks, Block, i);

      set_block (self, i, block->kind, block->start, block->len,
                 g_strdup (block->rendered), g_strdup (block->language), block->plain);
    }
  truncate_blocks (self, cache->blocks->len);
  self->n_valid = cache->blocks->len;
  self->generation = generation;
  self->rendered_len = cache->length;
  cache_hits++;
  return TRUE;
}

static void
update_blocks (NatterMessageRow *self)
{
  const char *text;
  gsize len;
  guint generation;
  g_autoptr(GArray) split = NULL;
  guint first = 0;
  gsize offset = 0;

  if (self->item == NULL)
    return;

  text = natter_message_item_get_text (self->item);
  len = natter_message_item_get_text_length (self->item);
  generation = natter_message_item_get_text_generation (self->item);

  if (natter_message_item_get_kind (self->item) == NATTER_MESSAGE_KIND_NOTE)
    {
      /* Notes are plain text, one block. */
      if (len > 0)
        set_block (self, 0, NATTER_MARKDOWN_BLOCK_TEXT, 0, len, g_strndup (text, len), NULL, TRUE);
      truncate_blocks (self, len > 0 ? 1 : 0);
      self->n_valid = self->blocks->len;
      self->generation = generation;
      self->rendered_len = len;
      return;
    }

  if (self->n_valid == 0 || self->generation != generation || self->rendered_len > len)
    {
      self->n_valid = 0;
      if (apply_render_cache (self, generation, len) && self->rendered_len == len)
        return;
    }

  /* The text only grew since the valid blocks were made: everything
   * before the last of them stays, and only the rest is split, parsed and
   * laid out again. */
  if (self->n_valid > 0)
    {
      first = self->n_valid - 1;
      offset = g_array_index (self->blocks, Block, first).start;
    }

  split = natter_markdown_split (text + offset, len - offset);

  for (guint i = 0; i < split->len; i++)
    {
      const NatterMarkdownBlock *nb = &g_array_index (split, NatterMarkdownBlock, i);
      const char *source = text + offset + nb->start;
      guint index = first + i;
      NatterMarkdownBlockKind kind;
      char *rendered;
      char *language = NULL;

      if (index < self->n_valid)
        {
          Block *block = &g_array_index (self->blocks, Block, index);

          if ((block->kind == nb->kind ||
               (block->kind == NATTER_MARKDOWN_BLOCK_TABLE && nb->kind == NATTER_MARKDOWN_BLOCK_TEXT)) &&
              block->start == offset + nb->start && block->len == nb->len)
            continue;
        }

      kind = nb->kind;
      if (kind == NATTER_MARKDOWN_BLOCK_CODE)
        rendered = natter_markdown_code_content (source, nb->len, &language);
      else if ((rendered = natter_markdown_table_cells (source, nb->len)) != NULL)
        kind = NATTER_MARKDOWN_BLOCK_TABLE;
      else
        rendered = natter_markdown_to_markup (source, nb->len);
      set_block (self, index, kind, offset + nb->start, nb->len, rendered, language, FALSE);
    }

  truncate_blocks (self, first + split->len);
  self->n_valid = self->blocks->len;
  self->generation = generation;
  self->rendered_len = len;
}

static void
update_reasoning (NatterMessageRow *self)
{
  const char *reasoning = self->item ? natter_message_item_get_reasoning (self->item) : "";
  GtkWidget *view;
  gboolean show;

  if (reasoning[0] == '\0')
    {
      if (self->reasoning_expander != NULL)
        {
          gtk_widget_set_visible (GTK_WIDGET (self->reasoning_expander), FALSE);
          gtk_label_set_text (self->reasoning_label, "");
        }
      return;
    }

  view = gtk_widget_get_ancestor (GTK_WIDGET (self), NATTER_TYPE_CHAT_VIEW);
  show = view == NULL || natter_chat_view_get_show_reasoning (NATTER_CHAT_VIEW (view));

  if (self->reasoning_expander == NULL)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      self->reasoning_label = GTK_LABEL (label);
      self->reasoning_expander = GTK_EXPANDER (gtk_expander_new (_("Reasoning")));
      gtk_expander_set_child (self->reasoning_expander, label);
      gtk_box_insert_child_after (GTK_BOX (self->box), GTK_WIDGET (self->reasoning_expander),
                                  self->header_box);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->reasoning_expander), show);
  if (g_strcmp0 (gtk_label_get_label (self->reasoning_label), reasoning) != 0)
    gtk_label_set_text (self->reasoning_label, reasoning);
}

static void
update_tool_calls (NatterMessageRow *self)
{
  const char *json = self->item != NULL ? natter_message_item_get_tool_events (self->item) : NULL;

  if (json == NULL && self->tool_calls_box == NULL)
    return;
  if (self->tool_calls_box == NULL)
    {
      self->tool_calls_box = natter_tool_calls_box_new ();
      gtk_box_insert_child_after (GTK_BOX (self->box), self->tool_calls_box,
                                  self->reasoning_expander != NULL
                                  ? GTK_WIDGET (self->reasoning_expander) : self->header_box);
    }
  natter_tool_calls_box_set_events (NATTER_TOOL_CALLS_BOX (self->tool_calls_box), json);
}

static const char *
speaker_for (NatterMessageItem *item)
{
  const char *name = natter_message_item_get_name (item);

  switch (natter_message_item_get_kind (item))
    {
    case NATTER_MESSAGE_KIND_USER:
      return name != NULL ? name : _("You");
    case NATTER_MESSAGE_KIND_ASSISTANT:
      return name != NULL ? name : _("Assistant");
    case NATTER_MESSAGE_KIND_SYSTEM:
      return _("System");
    case NATTER_MESSAGE_KIND_NOTE:
    default:
      return _("Note");
    }
}

static void
update_state (NatterMessageRow *self)
{
  NatterMessageKind kind;
  gboolean streaming;

  if (self->item == NULL)
    return;

  kind = natter_message_item_get_kind (self->item);
  streaming = natter_message_item_get_streaming (self->item);

  gtk_label_set_text (self->role_label, speaker_for (self->item));
  adw_avatar_set_text (self->speaker_avatar, speaker_for (self->item));
  adw_avatar_set_custom_image (self->speaker_avatar, natter_message_item_get_avatar (self->item));
  gtk_widget_set_visible (GTK_WIDGET (self->speaker_avatar),
                          kind == NATTER_MESSAGE_KIND_USER || kind == NATTER_MESSAGE_KIND_ASSISTANT);

  /* Changing CSS classes restyles the whole row: only when the kind does. */
  if ((int) kind != (int) self->shown_kind)
    {
      static const char *classes[] = { "user", "assistant", "assistant", "note" };

      if ((int) self->shown_kind >= 0)
        gtk_widget_remove_css_class (self->box, classes[self->shown_kind]);
      gtk_widget_add_css_class (self->box, classes[kind]);
      self->shown_kind = kind;
    }

  if (streaming || gtk_widget_get_visible (GTK_WIDGET (self->spinner)))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->spinner), streaming);
      gtk_spinner_set_spinning (self->spinner, streaming);
    }

  natter_message_row_update_status (self);
  natter_message_row_update_actions (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "message.swipe-previous",
                                 natter_message_item_get_swipe_index (self->item) > 0);
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
  else if (g_str_equal (name, "tool-events"))
    update_tool_calls (self);
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
natter_message_row_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (natter_message_row_parent_class)->root (widget);
  /* Rows are bound before they are placed in the view: read its settings
   * now that there is one. */
  update_reasoning (NATTER_MESSAGE_ROW (widget));
}

static void
natter_message_row_class_init (NatterMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_message_row_dispose;
  object_class->finalize = natter_message_row_finalize;
  object_class->get_property = natter_message_row_get_property;
  object_class->set_property = natter_message_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, NATTER_TYPE_MESSAGE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NATTER_TYPE_BLOCKS_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, box);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, header_box);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, role_label);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, speaker_avatar);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, blocks_box);

  natter_message_row_class_init_actions (widget_class);

  widget_class->root = natter_message_row_root;

  render_cache_quark = g_quark_from_static_string ("natter-message-row-render-cache");

  gtk_widget_class_set_css_name (widget_class, "messagerow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

/* Hovering a message tells when it was written and how many tokens it
 * is, counted when asked. */
static gboolean
on_query_tooltip (NatterMessageRow *self,
                  int               x,
                  int               y,
                  gboolean          keyboard_mode,
                  GtkTooltip       *tooltip,
                  GtkWidget        *box)
{
  g_autofree char *tokens = NULL;
  g_autofree char *text = NULL;
  gint64 created_at, n;

  if (self->item == NULL)
    return FALSE;
  n = natter_tokens_estimate (natter_message_item_get_text (self->item));
  tokens = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld token", "%lld tokens", (gulong) MIN (n, G_MAXLONG)),
                            (long long) n);
  created_at = natter_message_item_get_created_at (self->item);
  if (created_at > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (created_at);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      /* Translators: a message's date and time, see g_date_time_format() */
      g_autofree char *when = local ? g_date_time_format (local, _("%x %X")) : NULL;

      /* Translators: "<date and time> · <n tokens>" */
      text = g_strdup_printf (_("%s · %s"), when ? when : "", tokens);
    }
  else
    text = g_steal_pointer (&tokens);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
natter_message_row_init (NatterMessageRow *self)
{
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, block_clear);
  self->shown_kind = -1;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->box, "query-tooltip", G_CALLBACK (on_query_tooltip), self,
                           G_CONNECT_SWAPPED);
  /* Keyboard users reach the row (and so its buttons and its menu). */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  natter_message_row_init_actions (self);
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
    {
      natter_message_row_end_edit (self, TRUE);
      save_render_cache (self);
      g_signal_handlers_disconnect_by_func (self->item, on_item_notify, self);
    }
  g_set_object (&self->item, item);

  /* The block widgets stay, to show the next message's blocks: they are
   * only no longer valid for it. */
  self->n_valid = 0;

  if (item != NULL)
    {
      g_signal_connect_object (item, "notify", G_CALLBACK (on_item_notify), self, G_CONNECT_SWAPPED);
      update_blocks (self);
      update_reasoning (self);
      update_tool_calls (self);
      update_state (self);
      natter_message_row_restore_edit (self);
    }
  _natter_message_row_update_attachments (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

guint
natter_message_row_get_cache_hits (void)
{
  return cache_hits;
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

  return g_array_index (self->blocks, Block, index).rendered;
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
  return self->reasoning_expander != NULL && gtk_widget_get_visible (GTK_WIDGET (self->reasoning_expander));
}

const char *
natter_message_row_get_speaker (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), NULL);
  return gtk_label_get_text (self->role_label);
}


const char *
natter_message_row_get_block_text_at (NatterMessageRow *self,
                                      GtkWidget        *descendant)
{
  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);

      if (descendant == block->widget || gtk_widget_is_ancestor (descendant, block->widget))
        return block->rendered ? block->rendered : "";
    }
  return NULL;
}
