/* natter-block-bin.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-block-bin"

#include "config.h"

#include "natter-block-bin-private.h"

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

/* On a piece of a text block: its height at the block's last width, 0 when unknown. */
static GQuark piece_height_quark;

/* Below the width of a few characters: narrower than any row gets. */
#define BLOCK_MIN_WIDTH 48
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
  else if (g_object_get_data (G_OBJECT (child), "natter-scroll-content") != NULL)
    {
      /* A GtkScrolledWindow that scrolls sideways measures its content's
       * height for no width (its widest, shortest); the content is laid out
       * at the bin's width, or at its narrowest when that is wider. */
      GtkWidget *content = g_object_get_data (G_OBJECT (child), "natter-scroll-content");
      int narrowest, unused;

      gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &narrowest, &unused, NULL, NULL);
      gtk_widget_measure (content, orientation, MAX (for_size, narrowest), minimum, natural, NULL, NULL);
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

void
natter_block_bin_set_scroll_content (GtkWidget *scroller,
                                     GtkWidget *content)
{
  g_object_set_data (G_OBJECT (scroller), "natter-scroll-content", content);
}

void
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

  piece_height_quark = g_quark_from_static_string ("natter-block-bin-piece-height");
}

static void
natter_block_bin_init (NatterBlockBin *self)
{
}

GtkWidget *
natter_block_bin_new (GtkWidget *child)
{
  GtkWidget *bin = g_object_new (NATTER_TYPE_BLOCK_BIN, NULL);

  gtk_widget_set_parent (child, bin);
  return bin;
}

void
natter_block_bin_forget_piece_height (GtkWidget *piece)
{
  g_object_set_qdata (G_OBJECT (piece), piece_height_quark, NULL);
}

void
natter_block_bin_set_text_pieces (GtkWidget *child)
{
  g_object_set_data (G_OBJECT (child), "natter-text-chunks", GINT_TO_POINTER (TRUE));
}
