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

/* One top-level Markdown block as shown: its byte range of the item's
 * text, what its label shows and its widget. The rendered strings double
 * as the per-message cache (see RenderCache). */
typedef struct
{
  NatterMarkdownBlockKind  kind;
  gsize                    start;
  gsize                    len;
  char                    *rendered;  /* markup, verbatim code, or plain text (notes) */
  char                    *language;  /* code blocks */
  gboolean                 plain;
  GtkWidget               *widget;    /* owned by its group in blocks_box */
  GtkLabel                *label;
  GtkLabel                *lang_label;
} Block;

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

struct _NatterMessageRow
{
  GtkWidget          parent_instance;

  NatterMessageItem *item;
  GArray            *blocks;         /* of Block */
  /* The first n_valid blocks show the start of item's text of generation
   * @generation, @rendered_len bytes long. */
  guint              n_valid;
  guint              generation;
  gsize              rendered_len;

  GtkWidget         *box;
  GtkLabel          *role_label;
  GtkSpinner        *spinner;
  GtkExpander       *reasoning_expander;
  GtkLabel          *reasoning_label;
  GtkWidget         *blocks_box;
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

static void
on_copy_code_clicked (GtkButton *button,
                      GtkLabel  *label)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          gtk_label_get_text (label));
}

/* The groups of blocks go in a NatterBlocksBox: a vertical box that draws
 * only the groups within the scrolled window's viewport. A reply of
 * thousands of blocks would otherwise be drawn whole every frame it grows,
 * however little of it shows. It draws again when the view scrolls. */
#define NATTER_TYPE_BLOCKS_BOX (natter_blocks_box_get_type ())
G_DECLARE_FINAL_TYPE (NatterBlocksBox, natter_blocks_box, NATTER, BLOCKS_BOX, GtkWidget)

struct _NatterBlocksBox
{
  GtkWidget      parent_instance;

  GtkAdjustment *vadjustment;   /* of the scrolled window around, while rooted */
  GtkWidget     *viewport;      /* that scrolled window */
};

G_DEFINE_FINAL_TYPE (NatterBlocksBox, natter_blocks_box, GTK_TYPE_WIDGET)

static void
natter_blocks_box_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  NatterBlocksBox *self = NATTER_BLOCKS_BOX (widget);
  graphene_rect_t bounds;
  double top = -G_MAXDOUBLE, bottom = G_MAXDOUBLE;

  /* The part of the box inside the viewport, in the box's coordinates. */
  if (self->viewport != NULL && gtk_widget_compute_bounds (widget, self->viewport, &bounds))
    {
      top = -bounds.origin.y;
      bottom = top + gtk_widget_get_height (self->viewport);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      graphene_rect_t child_bounds;

      if (gtk_widget_compute_bounds (child, widget, &child_bounds) &&
          (child_bounds.origin.y > bottom || child_bounds.origin.y + child_bounds.size.height < top))
        continue;
      gtk_widget_snapshot_child (widget, child, snapshot);
    }
}

static void
on_viewport_scrolled (NatterBlocksBox *self)
{
  /* Only a box taller than the viewport leaves anything out. */
  if (self->viewport != NULL && gtk_widget_get_height (GTK_WIDGET (self)) > gtk_widget_get_height (self->viewport))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
natter_blocks_box_root (GtkWidget *widget)
{
  NatterBlocksBox *self = NATTER_BLOCKS_BOX (widget);

  GTK_WIDGET_CLASS (natter_blocks_box_parent_class)->root (widget);

  self->viewport = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  if (self->viewport != NULL)
    {
      self->vadjustment = g_object_ref (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->viewport)));
      g_signal_connect_swapped (self->vadjustment, "value-changed", G_CALLBACK (on_viewport_scrolled), self);
    }
}

static void
natter_blocks_box_unroot (GtkWidget *widget)
{
  NatterBlocksBox *self = NATTER_BLOCKS_BOX (widget);

  if (self->vadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->vadjustment, on_viewport_scrolled, self);
      g_clear_object (&self->vadjustment);
    }
  self->viewport = NULL;

  GTK_WIDGET_CLASS (natter_blocks_box_parent_class)->unroot (widget);
}

static void
natter_blocks_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (natter_blocks_box_parent_class)->dispose (object);
}

static void
natter_blocks_box_class_init (NatterBlocksBoxClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = natter_blocks_box_dispose;
  widget_class->snapshot = natter_blocks_box_snapshot;
  widget_class->root = natter_blocks_box_root;
  widget_class->unroot = natter_blocks_box_unroot;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
natter_blocks_box_init (NatterBlocksBox *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);
}

/* A block's widget sits in a NatterBlockBin, which tells its parent a
 * small fixed width instead of asking the label: a wrapping label's width
 * request lays its whole text out twice more (once unwrapped, once wrapped
 * as narrow as it goes), which was most of the cost of each row the list
 * view brings into sight. The label is only ever laid out at the width it
 * gets. */
#define NATTER_TYPE_BLOCK_BIN (natter_block_bin_get_type ())
G_DECLARE_FINAL_TYPE (NatterBlockBin, natter_block_bin, NATTER, BLOCK_BIN, GtkWidget)

struct _NatterBlockBin
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (NatterBlockBin, natter_block_bin, GTK_TYPE_WIDGET)

/* Below the width of a few characters: narrower than any row gets. */
#define BLOCK_MIN_WIDTH 48

static void
natter_block_bin_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL || child == NULL)
    {
      *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? BLOCK_MIN_WIDTH : 0;
      return;
    }
  gtk_widget_measure (child, orientation, MAX (for_size, BLOCK_MIN_WIDTH), minimum, natural, NULL, NULL);
}

static void
natter_block_bin_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child != NULL)
    gtk_widget_allocate (child, width, height, -1, NULL);
}

static GtkSizeRequestMode
natter_block_bin_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
natter_block_bin_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (natter_block_bin_parent_class)->dispose (object);
}

static void
natter_block_bin_class_init (NatterBlockBinClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = natter_block_bin_dispose;
  widget_class->measure = natter_block_bin_measure;
  widget_class->size_allocate = natter_block_bin_size_allocate;
  widget_class->get_request_mode = natter_block_bin_get_request_mode;
}

static void
natter_block_bin_init (NatterBlockBin *self)
{
}

static GtkWidget *
block_bin_new (GtkWidget *child)
{
  GtkWidget *bin = g_object_new (NATTER_TYPE_BLOCK_BIN, NULL);

  gtk_widget_set_parent (child, bin);
  return bin;
}

static GtkWidget *
create_block_widget (NatterMessageRow        *self,
                     NatterMarkdownBlockKind  kind,
                     GtkLabel               **label_out,
                     GtkLabel               **lang_out)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  *label_out = GTK_LABEL (label);
  *lang_out = NULL;

  if (kind == NATTER_MARKDOWN_BLOCK_TEXT)
    {
      gtk_widget_add_css_class (label, "message-text");
      return block_bin_new (label);
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
      *lang_out = GTK_LABEL (lang);
      return block_bin_new (frame);
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

  if (plain || kind == NATTER_MARKDOWN_BLOCK_CODE)
    gtk_label_set_text (block->label, rendered);
  else
    gtk_label_set_markup (block->label, rendered);
  if (block->lang_label != NULL)
    gtk_label_set_text (block->lang_label, language ? language : _("Code"));
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
      char *rendered;
      char *language = NULL;

      if (index < self->n_valid)
        {
          Block *block = &g_array_index (self->blocks, Block, index);

          if (block->kind == nb->kind && block->start == offset + nb->start && block->len == nb->len)
            continue;
        }

      if (nb->kind == NATTER_MARKDOWN_BLOCK_TEXT)
        rendered = natter_markdown_to_markup (source, nb->len);
      else
        rendered = natter_markdown_code_content (source, nb->len, &language);
      set_block (self, index, nb->kind, offset + nb->start, nb->len, rendered, language, FALSE);
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
  GtkWidget *view = gtk_widget_get_ancestor (GTK_WIDGET (self), NATTER_TYPE_CHAT_VIEW);
  gboolean show = view == NULL || natter_chat_view_get_show_reasoning (NATTER_CHAT_VIEW (view));

  gtk_widget_set_visible (GTK_WIDGET (self->reasoning_expander), show && reasoning[0] != '\0');
  if (g_strcmp0 (gtk_label_get_label (self->reasoning_label), reasoning) != 0)
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

  g_type_ensure (NATTER_TYPE_BLOCKS_BOX);
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

  widget_class->root = natter_message_row_root;

  render_cache_quark = g_quark_from_static_string ("natter-message-row-render-cache");

  gtk_widget_class_set_css_name (widget_class, "messagerow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
natter_message_row_init (NatterMessageRow *self)
{
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, block_clear);

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
    {
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
      update_state (self);
    }

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
