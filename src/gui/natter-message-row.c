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

#include "natter-a11y.h"
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
/* On a piece of a text block: its height at the block's last width, 0 when unknown. */
static GQuark piece_height_quark;
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
  GtkWidget         *header_box;
  GtkLabel          *role_label;
  GtkSpinner        *spinner;
  GtkWidget         *blocks_box;

  /* Made when first needed, most rows never need them: a scrolled-past
   * row only lays out its header and its text. */
  GtkExpander       *reasoning_expander;
  GtkLabel          *reasoning_label;
  GtkWidget         *error_box;
  GtkLabel          *error_label;
  GtkWidget         *actions_box;       /* in header_box, on hover/focus/last */
  GtkWidget         *regenerate_button;
  GtkWidget         *swipe_box;
  GtkLabel          *swipe_label;
  GtkWidget         *menu;              /* GtkPopoverMenu, on Menu/right click */

  NatterMessageKind  shown_kind;        /* for the CSS class; -1 before any */
  guint              hovered : 1;
  guint              focused : 1;
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

/* Copies the whole code of the block the button is in: its text as
 * rendered, not one of the pieces it is shown in. */
static void
on_copy_code_clicked (GtkButton *button,
                      gpointer   user_data)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), NATTER_TYPE_MESSAGE_ROW);
  GArray *blocks = row != NULL ? NATTER_MESSAGE_ROW (row)->blocks : NULL;

  for (guint i = 0; blocks != NULL && i < blocks->len; i++)
    {
      const Block *block = &g_array_index (blocks, Block, i);

      if (gtk_widget_is_ancestor (GTK_WIDGET (button), block->widget))
        {
          gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                                  block->rendered ? block->rendered : "");
          return;
        }
    }
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

  int       last_width;   /* of the last allocation, 0 before any */

  /* The last height measured, for a width, a font, a scale and a content. */
  gboolean              cached;
  int                   cached_for_size;
  int                   cached_minimum;
  int                   cached_natural;
  guint                 cached_serial;
  int                   cached_scale;
  PangoFontDescription *cached_font;
  guint                 serial;   /* bumped when the content changes */
};

G_DEFINE_FINAL_TYPE (NatterBlockBin, natter_block_bin, GTK_TYPE_WIDGET)

/* Below the width of a few characters: narrower than any row gets. */
#define BLOCK_MIN_WIDTH 48
/* The narrowest a block's label measures itself at, in characters. */
#define BLOCK_MIN_CHARS 12
/* What a block not yet placed is measured at when asked for no width. */
#define BLOCK_UNKNOWN_WIDTH 600

/* The height of @label's text at @width, laid out once. Asked, a wrapping
 * label lays its text out three times: at its narrowest, unwrapped and at
 * the width; the block only ever needs the last. Same text, attributes,
 * font and wrapping as the label's own layout, plus its CSS box. */
static void
measure_text (GtkLabel *label,
              int       width,
              int      *minimum,
              int      *natural)
{
  GtkWidget *widget = GTK_WIDGET (label);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_autoptr(PangoLayout) layout = NULL;
  GtkBorder margin, border, padding;
  int text_height;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_margin (style, &margin);
  gtk_style_context_get_border (style, &border);
  gtk_style_context_get_padding (style, &padding);
  G_GNUC_END_IGNORE_DEPRECATIONS

  width -= margin.left + margin.right + border.left + border.right + padding.left + padding.right +
           gtk_widget_get_margin_start (widget) + gtk_widget_get_margin_end (widget);
  layout = pango_layout_copy (gtk_label_get_layout (label));
  pango_layout_set_width (layout, MAX (width, 1) * PANGO_SCALE);
  pango_layout_get_size (layout, NULL, &text_height);

  *minimum = *natural = PANGO_PIXELS_CEIL (text_height) +
                        margin.top + margin.bottom + border.top + border.bottom + padding.top + padding.bottom +
                        gtk_widget_get_margin_top (widget) + gtk_widget_get_margin_bottom (widget);
}

static void
natter_block_bin_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  NatterBlockBin *self = NATTER_BLOCK_BIN (widget);
  GtkWidget *child = gtk_widget_get_first_child (widget);
  const PangoFontDescription *font;
  gboolean same_look;

  if (orientation == GTK_ORIENTATION_HORIZONTAL || child == NULL)
    {
      *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? BLOCK_MIN_WIDTH : 0;
      return;
    }

  /* A height for no width in particular (GtkListView asks for one for
   * every row it binds) would by the rules be the height at the minimum
   * width: a few characters a line, hundreds of lines to break and shape,
   * for a figure nothing uses to place the row. The height at the width
   * the block last had is as good and costs nothing: its label is laid
   * out at that width already. */
  if (for_size < 0)
    for_size = self->last_width > 0 ? self->last_width : BLOCK_UNKNOWN_WIDTH;
  for_size = MAX (for_size, BLOCK_MIN_WIDTH);

  /* GtkListView moves rows from one of its list items to another as it
   * scrolls, and a label moved lays its text out again to be measured
   * (at no width at all first, to find its narrowest). The height of the
   * same text at the same width in the same font is already known. */
  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  same_look = self->cached && self->cached_for_size == for_size &&
              self->cached_scale == gtk_widget_get_scale_factor (widget) &&
              pango_font_description_equal (self->cached_font, font);
  if (same_look && self->cached_serial == self->serial)
    {
      *minimum = self->cached_minimum;
      *natural = self->cached_natural;
      return;
    }

  if (g_object_get_data (G_OBJECT (child), "natter-text-chunks") != NULL)
    {
      /* A text block: its pieces one below the other. Only the pieces
       * whose text changed (the last, while a reply grows) are laid out
       * again, unless the width, font or scale changed. */
      *minimum = *natural = 0;
      for (GtkWidget *piece = gtk_widget_get_first_child (child); piece; piece = gtk_widget_get_next_sibling (piece))
        {
          int height = GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (piece), piece_height_quark));

          if (!same_look || height <= 0)
            {
              int unused;

              measure_text (GTK_LABEL (piece), for_size, &height, &unused);
              g_object_set_qdata (G_OBJECT (piece), piece_height_quark, GINT_TO_POINTER (MAX (height, 1)));
            }
          *minimum += height;
          *natural += height;
        }
    }
  else
    gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
  g_clear_pointer (&self->cached_font, pango_font_description_free);
  self->cached_font = pango_font_description_copy (font);
  self->cached_for_size = for_size;
  self->cached_minimum = *minimum;
  self->cached_natural = *natural;
  self->cached_serial = self->serial;
  self->cached_scale = gtk_widget_get_scale_factor (widget);
  self->cached = TRUE;
}

/* Tells @bin that what its child shows changed: its height is measured
 * again. */
static void
natter_block_bin_content_changed (GtkWidget *bin)
{
  NATTER_BLOCK_BIN (bin)->serial++;
  gtk_widget_queue_resize (bin);
}

static void
natter_block_bin_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  NATTER_BLOCK_BIN (widget)->last_width = width;
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
  g_clear_pointer (&NATTER_BLOCK_BIN (object)->cached_font, pango_font_description_free);
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
block_label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* A wrapping label without a width in characters finds its narrowest
   * by laying its text out at no width at all, a character or a word a
   * line: hundreds of lines for a paragraph. The block bin around gives
   * it its width anyway. */
  gtk_label_set_width_chars (GTK_LABEL (label), BLOCK_MIN_CHARS);
  return label;
}

static GtkWidget *
code_chunk_new (void)
{
  GtkWidget *label = block_label_new ();

  gtk_widget_add_css_class (label, "monospace");
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  return label;
}

static GtkWidget *
text_chunk_new (void)
{
  GtkWidget *label = block_label_new ();

  gtk_widget_add_css_class (label, "message-text");
  return label;
}

/* A block shows its text in labels of CHUNK_LINES lines each: a long list
 * or a long file a model writes out grows only its last label, instead of
 * one label laying out thousands of lines again every frame. Markup is
 * only cut at a line break outside any tag, so every piece is whole. */
#define CHUNK_LINES 40

/* Plain text (code) is also cut within a line this long: a model writing
 * out minified JSON sends one line of a hundred kilobytes. */
#define CHUNK_BYTES 4096

/* The end of the piece starting at @start: the line break after which it
 * ends (*@separator set to 1, the break belongs to neither piece), a cut
 * inside a long line of plain text (*@separator 0), or the end of the
 * text. */
static const char *
chunk_end (const char *start,
           gboolean    markup,
           gsize      *separator)
{
  guint lines = 0;
  int depth = 0;

  *separator = 0;
  for (const char *p = start, *line = start; *p != '\0'; p++)
    {
      if (markup && *p == '<')
        {
          gboolean closing = p[1] == '/';
          const char *close = strchr (p, '>');

          if (close == NULL)
            return p + strlen (p);
          depth += closing ? -1 : (close > p && close[-1] == '/' ? 0 : 1);
          p = close;
        }
      else if (*p == '\n')
        {
          line = p + 1;
          if (depth <= 0 && ++lines == CHUNK_LINES)
            {
              *separator = 1;
              return p;
            }
        }
      else if (!markup && p - line >= CHUNK_BYTES && (*p & 0xc0) != 0x80)
        return p;   /* at the start of a character */
    }
  return start + strlen (start);
}

static void
set_chunked_text (GtkWidget  *chunks,
                  const char *text,
                  gboolean    markup,
                  GtkWidget  *(*chunk_new) (void))
{
  GtkWidget *child = gtk_widget_get_first_child (chunks);
  const char *start = text;

  for (;;)
    {
      gsize separator;
      const char *end = chunk_end (start, markup, &separator);
      gsize len = end - start;
      const char *shown;

      if (child == NULL)
        {
          child = chunk_new ();
          gtk_box_append (GTK_BOX (chunks), child);
        }
      shown = gtk_label_get_label (GTK_LABEL (child));
      if (strlen (shown) != len || strncmp (shown, start, len) != 0 ||
          gtk_label_get_use_markup (GTK_LABEL (child)) != markup)
        {
          g_autofree char *piece = g_strndup (start, len);

          if (markup)
            gtk_label_set_markup (GTK_LABEL (child), piece);
          else
            gtk_label_set_text (GTK_LABEL (child), piece);
          g_object_set_qdata (G_OBJECT (child), piece_height_quark, NULL);
        }
      child = gtk_widget_get_next_sibling (child);

      if (*end == '\0')
        break;
      start = end + separator;
    }

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (GTK_BOX (chunks), child);
      child = next;
    }
}

static GtkWidget *
create_block_widget (NatterMessageRow        *self,
                     NatterMarkdownBlockKind  kind,
                     GtkLabel               **label_out,
                     GtkLabel               **lang_out)
{
  GtkWidget *label;

  *lang_out = NULL;

  if (kind == NATTER_MARKDOWN_BLOCK_TEXT)
    {
      GtkWidget *chunks = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      /* Measured by the block bin, piece by piece (see measure_text()). */
      g_object_set_data (G_OBJECT (chunks), "natter-text-chunks", GINT_TO_POINTER (TRUE));
      label = text_chunk_new ();
      gtk_box_append (GTK_BOX (chunks), label);
      *label_out = GTK_LABEL (label);
      return block_bin_new (chunks);
    }
  else
    {
      GtkWidget *frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *lang = gtk_label_new (NULL);
      GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
      GtkWidget *chunks;

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
      g_signal_connect (copy, "clicked", G_CALLBACK (on_copy_code_clicked), NULL);
      gtk_box_append (GTK_BOX (header), lang);
      gtk_box_append (GTK_BOX (header), copy);

      chunks = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_widget_set_margin_start (chunks, 12);
      gtk_widget_set_margin_end (chunks, 12);
      gtk_widget_set_margin_bottom (chunks, 12);
      label = code_chunk_new ();
      gtk_box_append (GTK_BOX (chunks), label);
      *label_out = GTK_LABEL (label);
      gtk_box_append (GTK_BOX (frame), header);
      gtk_box_append (GTK_BOX (frame), chunks);
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

  if (kind == NATTER_MARKDOWN_BLOCK_CODE)
    set_chunked_text (gtk_widget_get_parent (GTK_WIDGET (block->label)), rendered, FALSE, code_chunk_new);
  else
    set_chunked_text (gtk_widget_get_parent (GTK_WIDGET (block->label)), rendered, !plain, text_chunk_new);
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

static GtkWidget *
action_button_new (const char *icon_name,
                   const char *tooltip,
                   const char *accessible_name,
                   const char *action_name)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  -1);
  return button;
}

static void
create_actions (NatterMessageRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *swipe_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *swipe_label = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "message-actions");
  gtk_box_append (GTK_BOX (box), action_button_new ("edit-copy-symbolic", _("Copy"), _("Copy"), "message.copy"));
  gtk_box_append (GTK_BOX (box), action_button_new ("document-edit-symbolic", _("Edit"), _("Edit"), "message.edit"));
  gtk_box_append (GTK_BOX (box), action_button_new ("user-trash-symbolic", _("Delete"), _("Delete message"),
                                                    "message.delete"));
  gtk_box_append (GTK_BOX (box), action_button_new ("media-playlist-shuffle-symbolic", _("Branch From Here"),
                                                    _("Branch from here"), "message.branch"));
  self->regenerate_button = action_button_new ("view-refresh-symbolic", _("Regenerate"), _("Regenerate"),
                                               "message.regenerate");
  gtk_box_append (GTK_BOX (box), self->regenerate_button);

  gtk_widget_add_css_class (swipe_label, "dim-label");
  gtk_widget_add_css_class (swipe_label, "numeric");
  gtk_box_append (GTK_BOX (swipe_box), action_button_new ("go-previous-symbolic", _("Previous Alternative"),
                                                          _("Previous alternative"), "message.swipe-previous"));
  gtk_box_append (GTK_BOX (swipe_box), swipe_label);
  gtk_box_append (GTK_BOX (swipe_box), action_button_new ("go-next-symbolic", _("Next Alternative"),
                                                          _("Next alternative"), "message.swipe-next"));
  gtk_box_append (GTK_BOX (box), swipe_box);

  self->menu = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->menu), "view-more-symbolic");
  gtk_widget_add_css_class (self->menu, "flat");
  gtk_widget_set_valign (self->menu, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->menu, _("More Actions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message actions"),
                                  -1);
  gtk_box_append (GTK_BOX (box), self->menu);

  self->actions_box = box;
  self->swipe_box = swipe_box;
  self->swipe_label = GTK_LABEL (swipe_label);
  gtk_box_append (GTK_BOX (self->header_box), box);
}

/* Whether the message has any actions at all (not while it streams, never
 * on notes). */
static gboolean
has_actions (NatterMessageRow *self)
{
  return self->item != NULL &&
         !natter_message_item_get_streaming (self->item) &&
         natter_message_item_get_kind (self->item) != NATTER_MESSAGE_KIND_NOTE;
}

/* The action buttons show on the row under the pointer, the row with the
 * focus in it and the chat's last message; they are made the first time
 * one of these happens to the row. */
static void
update_actions (NatterMessageRow *self)
{
  gboolean is_last, assistant, show;

  show = has_actions (self) &&
         (self->hovered || self->focused || natter_message_item_get_is_last (self->item));

  if (!show)
    {
      if (self->actions_box != NULL)
        gtk_widget_set_visible (self->actions_box, FALSE);
      return;
    }

  if (self->actions_box == NULL)
    create_actions (self);

  is_last = natter_message_item_get_is_last (self->item);
  assistant = natter_message_item_get_kind (self->item) == NATTER_MESSAGE_KIND_ASSISTANT;
  gtk_widget_set_visible (self->regenerate_button, is_last && assistant);
  gtk_widget_set_visible (self->swipe_box, is_last && assistant);
  if (is_last && assistant)
    {
      g_autofree char *swipes = g_strdup_printf ("%u/%u",
                                                 natter_message_item_get_swipe_index (self->item) + 1,
                                                 natter_message_item_get_n_swipes (self->item));
      gtk_label_set_text (self->swipe_label, swipes);
    }
  gtk_widget_set_visible (self->actions_box, TRUE);
}

static void
update_error (NatterMessageRow *self)
{
  NatterErrorCategory category = natter_message_item_get_error_category (self->item);
  const char *detail;
  g_autofree char *message = NULL;

  if (category == NATTER_ERROR_CATEGORY_NONE)
    {
      if (self->error_box != NULL)
        gtk_widget_set_visible (self->error_box, FALSE);
      return;
    }

  if (self->error_box == NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      GtkWidget *label = gtk_label_new (NULL);
      GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));

      natter_a11y_fix_names (retry);

      self->error_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      gtk_widget_add_css_class (self->error_box, "error");
      gtk_widget_add_css_class (self->error_box, "message-error");
      gtk_widget_set_valign (image, GTK_ALIGN_START);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_valign (retry, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "message.retry");
      gtk_box_append (GTK_BOX (self->error_box), image);
      gtk_box_append (GTK_BOX (self->error_box), label);
      gtk_box_append (GTK_BOX (self->error_box), retry);
      self->error_label = GTK_LABEL (label);
      gtk_box_append (GTK_BOX (self->box), self->error_box);
    }

  detail = natter_message_item_get_error_message (self->item);
  if (detail != NULL && *detail != '\0')
    message = g_strdup_printf ("%s: %s", natter_error_category_describe (category), detail);
  else
    message = g_strdup (natter_error_category_describe (category));
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (self->error_box, TRUE);
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

  update_error (self);
  update_actions (self);
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

/* The same actions as a menu, for the Menu key, Shift+F10 and a right
 * click: made when it opens, for the message shown then. */
static GMenuModel *
build_menu (NatterMessageRow *self)
{
  GMenu *menu = g_menu_new ();
  GMenu *section = g_menu_new ();
  gboolean last_reply = natter_message_item_get_is_last (self->item) &&
                        natter_message_item_get_kind (self->item) == NATTER_MESSAGE_KIND_ASSISTANT;

  g_menu_append (section, _("_Copy"), "message.copy");
  g_menu_append (section, _("_Edit"), "message.edit");
  g_menu_append (section, _("_Branch From Here"), "message.branch");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);
  if (last_reply)
    {
      section = g_menu_new ();
      g_menu_append (section, _("_Regenerate"), "message.regenerate");
      g_menu_append (section, _("_Previous Alternative"), "message.swipe-previous");
      g_menu_append (section, _("_Next Alternative"), "message.swipe-next");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
      g_object_unref (section);
    }
  section = g_menu_new ();
  g_menu_append (section, _("_Delete Message"), "message.delete");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);
  return G_MENU_MODEL (menu);
}

static void
popup_menu (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  NatterMessageRow *self = NATTER_MESSAGE_ROW (widget);
  g_autoptr(GMenuModel) model = NULL;

  if (!has_actions (self))
    return;
  self->focused = TRUE;   /* keep the buttons while the menu is open */
  update_actions (self);
  model = build_menu (self);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->menu), model);
  gtk_menu_button_popup (GTK_MENU_BUTTON (self->menu));
}

static void
on_pointer_enter (NatterMessageRow *self)
{
  if (self->hovered)
    return;
  self->hovered = TRUE;
  update_actions (self);
}

/* Where the pointer last moved, in the window's coordinates. */
static double pointer_x = -1, pointer_y = -1;

/* Rows scrolling under a pointer that does not move get crossing and
 * motion events too: giving each its buttons would make them for every
 * row that passes. Only a pointer that moves shows them. */
static void
on_pointer_motion (GtkEventControllerMotion *controller,
                   double                    x,
                   double                    y,
                   NatterMessageRow         *self)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  double wx, wy;

  if (root == NULL || !gtk_widget_translate_coordinates (GTK_WIDGET (self), root, x, y, &wx, &wy))
    return;
  if (wx == pointer_x && wy == pointer_y)
    return;
  pointer_x = wx;
  pointer_y = wy;
  on_pointer_enter (self);
}

static void
on_pointer_leave (NatterMessageRow *self)
{
  self->hovered = FALSE;
  update_actions (self);
}

static void
on_focus_enter (NatterMessageRow *self)
{
  self->focused = TRUE;
  update_actions (self);
}

static void
on_focus_leave (NatterMessageRow *self)
{
  /* Focus moving into the menu's popover leaves the row: keep the
   * buttons while it is open. */
  GtkPopover *popover = self->menu != NULL ? gtk_menu_button_get_popover (GTK_MENU_BUTTON (self->menu)) : NULL;

  if (popover != NULL && gtk_widget_get_visible (GTK_WIDGET (popover)))
    return;
  self->focused = FALSE;
  update_actions (self);
}

static void
on_secondary_click (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    NatterMessageRow *self)
{
  if (!has_actions (self))
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_activate_action (GTK_WIDGET (self), "message.menu", NULL);
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
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, header_box);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, role_label);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, NatterMessageRow, blocks_box);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "message.menu", NULL, popup_menu);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "message.menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "message.menu", NULL);

  widget_class->root = natter_message_row_root;

  render_cache_quark = g_quark_from_static_string ("natter-message-row-render-cache");
  piece_height_quark = g_quark_from_static_string ("natter-message-row-piece-height");

  gtk_widget_class_set_css_name (widget_class, "messagerow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
natter_message_row_init (NatterMessageRow *self)
{
  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  GtkEventController *controller;

  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, block_clear);
  self->shown_kind = -1;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Keyboard users reach the row (and so its buttons and its menu). */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_pointer_motion), self);
  g_signal_connect (controller, "motion", G_CALLBACK (on_pointer_motion), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (on_pointer_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (on_focus_enter), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), GDK_BUTTON_SECONDARY);
  g_signal_connect (controller, "pressed", G_CALLBACK (on_secondary_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
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

static GtkWidget *
find_actionable (GtkWidget  *widget,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
natter_message_row_get_action_button (NatterMessageRow *self,
                                      const char       *action_name)
{
  GtkWidget *button;

  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), NULL);
  g_return_val_if_fail (action_name != NULL, NULL);

  if (self->actions_box == NULL || !gtk_widget_get_visible (self->actions_box))
    return NULL;
  button = find_actionable (self->actions_box, action_name);
  return button != NULL && gtk_widget_get_visible (button) ? button : NULL;
}

gboolean
natter_message_row_get_has_action_buttons (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), FALSE);
  return self->actions_box != NULL;
}

void
natter_message_row_set_hovered (NatterMessageRow *self,
                                gboolean          hovered)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ROW (self));
  if (hovered)
    on_pointer_enter (self);
  else
    on_pointer_leave (self);
}

GMenuModel *
natter_message_row_get_menu_model (NatterMessageRow *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ROW (self), NULL);
  return self->menu != NULL ? gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (self->menu)) : NULL;
}
