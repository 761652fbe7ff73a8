/* natter-avatar-crop-dialog.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-avatar-crop"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-avatar.h"
#include "natter-avatar-crop-dialog.h"

/* The longest side of the picture shown. */
#define PREVIEW_SIZE 360

struct _NatterAvatarCropDialog
{
  AdwWindow       parent_instance;

  GdkPixbuf      *image;     /* as chosen */
  GdkPixbuf      *preview;   /* scaled to fit PREVIEW_SIZE */
  gboolean        wide;      /* the frame moves sideways */
  double          position;
  double          drag_start;

  GtkDrawingArea *area;
  GtkScale       *scale;
};

G_DEFINE_FINAL_TYPE (NatterAvatarCropDialog, natter_avatar_crop_dialog, ADW_TYPE_WINDOW)

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Where the preview is drawn in the area, and its scale from the image. */
static void
preview_geometry (NatterAvatarCropDialog *self,
                  int                     width,
                  int                     height,
                  double                 *x,
                  double                 *y,
                  double                 *scale)
{
  int pw = gdk_pixbuf_get_width (self->preview);
  int ph = gdk_pixbuf_get_height (self->preview);

  *x = (width - pw) / 2.0;
  *y = (height - ph) / 2.0;
  *scale = (double) pw / gdk_pixbuf_get_width (self->image);
}

static void
draw_preview (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  NatterAvatarCropDialog *self = user_data;
  double px, py, scale;
  int x, y, w, h;

  preview_geometry (self, width, height, &px, &py, &scale);
  natter_avatar_crop_rect (gdk_pixbuf_get_width (self->image), gdk_pixbuf_get_height (self->image),
                           self->position, &x, &y, &w, &h);

  gdk_cairo_set_source_pixbuf (cr, self->preview, px, py);
  cairo_paint (cr);

  /* Dim what is cut away. */
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_rectangle (cr, px, py, gdk_pixbuf_get_width (self->preview), gdk_pixbuf_get_height (self->preview));
  cairo_rectangle (cr, px + x * scale, py + y * scale, w * scale, h * scale);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_fill (cr);

  cairo_rectangle (cr, px + x * scale + 1, py + y * scale + 1, w * scale - 2, h * scale - 2);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
}

static void
set_position (NatterAvatarCropDialog *self,
              double                  position)
{
  self->position = CLAMP (position, 0.0, 1.0);
  if (gtk_range_get_value (GTK_RANGE (self->scale)) != self->position)
    gtk_range_set_value (GTK_RANGE (self->scale), self->position);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
on_scale_changed (NatterAvatarCropDialog *self,
                  GtkRange               *range)
{
  set_position (self, gtk_range_get_value (range));
}

static void
on_drag_begin (NatterAvatarCropDialog *self,
               double                  x,
               double                  y,
               GtkGestureDrag         *gesture)
{
  self->drag_start = self->position;
}

static void
on_drag_update (NatterAvatarCropDialog *self,
                double                  dx,
                double                  dy,
                GtkGestureDrag         *gesture)
{
  int iw = gdk_pixbuf_get_width (self->image), ih = gdk_pixbuf_get_height (self->image);
  int x, y, w, h;
  double scale = (double) gdk_pixbuf_get_width (self->preview) / iw;
  double slack;

  /* How far the frame can travel, in preview pixels. */
  natter_avatar_crop_rect (iw, ih, 0.0, &x, &y, &w, &h);
  slack = (self->wide ? iw - w : ih - h) * scale;
  if (slack <= 0)
    return;
  set_position (self, self->drag_start + (self->wide ? dx : dy) / slack);
}

static void
align_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  NatterAvatarCropDialog *self = NATTER_AVATAR_CROP_DIALOG (widget);
  const char *where = g_variant_get_string (parameter, NULL);

  if (g_str_equal (where, "start"))
    set_position (self, 0.0);
  else if (g_str_equal (where, "end"))
    set_position (self, 1.0);
  else
    set_position (self, NATTER_AVATAR_CENTRE);
}

static void
use_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  NatterAvatarCropDialog *self = NATTER_AVATAR_CROP_DIALOG (widget);

  g_object_ref (self);
  g_signal_emit (self, signals[CHOSEN], 0, self->position);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

static void
natter_avatar_crop_dialog_dispose (GObject *object)
{
  NatterAvatarCropDialog *self = NATTER_AVATAR_CROP_DIALOG (object);

  g_clear_object (&self->image);
  g_clear_object (&self->preview);
  G_OBJECT_CLASS (natter_avatar_crop_dialog_parent_class)->dispose (object);
}

static void
natter_avatar_crop_dialog_class_init (NatterAvatarCropDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_avatar_crop_dialog_dispose;

  signals[CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);

  gtk_widget_class_install_action (widget_class, "crop.align", "s", align_action);
  gtk_widget_class_install_action (widget_class, "crop.use", NULL, use_action);
  gtk_widget_class_install_action (widget_class, "crop.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "crop.cancel", NULL);
}

static void
natter_avatar_crop_dialog_init (NatterAvatarCropDialog *self)
{
  self->position = NATTER_AVATAR_CENTRE;
}

static GtkWidget *
align_button (const char *label,
              const char *where)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "crop.align");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", where);
  return button;
}

NatterAvatarCropDialog *
natter_avatar_crop_dialog_new (GtkWindow *parent,
                               GdkPixbuf *image)
{
  NatterAvatarCropDialog *self;
  GtkWidget *toolbar, *header, *cancel, *use, *box, *hint, *aligns;
  GtkGesture *drag;
  int iw, ih, x, y, w, h;
  double fit;

  g_return_val_if_fail (GDK_IS_PIXBUF (image), NULL);

  self = g_object_new (NATTER_TYPE_AVATAR_CROP_DIALOG,
                       "title", _("Crop the Avatar"),
                       "modal", TRUE,
                       "transient-for", parent,
                       "default-width", 440,
                       NULL);
  iw = gdk_pixbuf_get_width (image);
  ih = gdk_pixbuf_get_height (image);
  self->image = g_object_ref (image);
  self->wide = natter_avatar_is_wide (iw, ih);
  fit = MIN (1.0, (double) PREVIEW_SIZE / MAX (iw, ih));
  self->preview = gdk_pixbuf_scale_simple (image, MAX (1, (int) (iw * fit)), MAX (1, (int) (ih * fit)),
                                           GDK_INTERP_BILINEAR);

  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "crop.cancel");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  use = gtk_button_new_with_mnemonic (_("_Use Image"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (use), "crop.use");
  gtk_widget_add_css_class (use, "suggested-action");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), use);
  gtk_box_append (GTK_BOX (toolbar), header);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);

  hint = gtk_label_new (self->wide
                        ? _("Drag the frame, or use the slider or buttons, to choose the part of the image kept.")
                        : _("Drag the frame up or down, or use the slider or buttons, to choose the part of the image kept."));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_box_append (GTK_BOX (box), hint);

  self->area = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_drawing_area_set_content_width (self->area, gdk_pixbuf_get_width (self->preview));
  gtk_drawing_area_set_content_height (self->area, gdk_pixbuf_get_height (self->preview));
  gtk_drawing_area_set_draw_func (self->area, draw_preview, self, NULL);
  gtk_widget_set_halign (GTK_WIDGET (self->area), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("The image and the part kept"), -1);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->area), "grab");
  drag = gtk_gesture_drag_new ();
  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (on_drag_begin), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (on_drag_update), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (drag));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->area));

  self->scale = GTK_SCALE (gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0.0, 1.0, 0.05));
  gtk_range_set_value (GTK_RANGE (self->scale), self->position);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scale),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->wide ? _("Part kept, from left to right") : _("Part kept, from top to bottom"),
                                  -1);
  g_signal_connect_object (self->scale, "value-changed", G_CALLBACK (on_scale_changed), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->scale));

  aligns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (aligns, "linked");
  gtk_widget_set_halign (aligns, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (aligns), align_button (self->wide ? _("_Left") : _("_Top"), "start"));
  gtk_box_append (GTK_BOX (aligns), align_button (_("_Middle"), "centre"));
  gtk_box_append (GTK_BOX (aligns), align_button (self->wide ? _("_Right") : _("_Bottom"), "end"));
  gtk_box_append (GTK_BOX (box), aligns);

  /* An image already 2:3 has nothing to choose. */
  natter_avatar_crop_rect (iw, ih, 0.0, &x, &y, &w, &h);
  if (w == iw && h == ih)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->scale), FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "crop.align", FALSE);
    }

  gtk_box_append (GTK_BOX (toolbar), box);
  adw_window_set_content (ADW_WINDOW (self), toolbar);
  gtk_window_set_default_widget (GTK_WINDOW (self), use);
  gtk_widget_grab_focus (GTK_WIDGET (self->scale));
  return self;
}

GdkPixbuf *
natter_avatar_crop_dialog_get_image (NatterAvatarCropDialog *self)
{
  g_return_val_if_fail (NATTER_IS_AVATAR_CROP_DIALOG (self), NULL);
  return self->image;
}

double
natter_avatar_crop_dialog_get_position (NatterAvatarCropDialog *self)
{
  g_return_val_if_fail (NATTER_IS_AVATAR_CROP_DIALOG (self), NATTER_AVATAR_CENTRE);
  return self->position;
}

/* ---- choosing: read, crop, encode ------------------------------------- */

typedef struct
{
  GdkPixbuf *image;
  double     position;
} CropJob;

static void
crop_job_free (gpointer data)
{
  CropJob *job = data;

  g_clear_object (&job->image);
  g_free (job);
}

static void
load_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  GdkPixbuf *image = natter_avatar_load (task_data, &error);

  if (image == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, image, g_object_unref);
}

static void
crop_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CropJob *job = task_data;
  GError *error = NULL;
  GBytes *png = natter_avatar_crop (job->image, job->position, &error);

  if (png == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, png, (GDestroyNotify) g_bytes_unref);
}

static void
on_crop_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  GError *error = NULL;
  GBytes *png = g_task_propagate_pointer (G_TASK (result), &error);

  if (png == NULL)
    g_task_return_error (outer, error);
  else
    g_task_return_pointer (outer, png, (GDestroyNotify) g_bytes_unref);
}

static void
on_chosen (NatterAvatarCropDialog *dialog,
           double                  position,
           GTask                  *outer)
{
  g_autoptr(GTask) task = g_task_new (NULL, g_task_get_cancellable (outer), on_crop_done, g_object_ref (outer));
  CropJob *job = g_new0 (CropJob, 1);

  g_object_set_data (G_OBJECT (dialog), "natter-chosen", GINT_TO_POINTER (TRUE));
  job->image = g_object_ref (dialog->image);
  job->position = position;
  g_task_set_source_tag (task, on_chosen);
  g_task_set_task_data (task, job, crop_job_free);
  g_task_run_in_thread (task, crop_in_thread);
}

static void
on_dialog_destroy (NatterAvatarCropDialog *dialog,
                   GTask                  *outer)
{
  if (!g_object_get_data (G_OBJECT (dialog), "natter-chosen"))
    g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("No image was chosen"));
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  GError *error = NULL;
  g_autoptr(GdkPixbuf) image = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWindow *parent = g_task_get_source_object (outer);
  NatterAvatarCropDialog *dialog;

  if (image == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  if (g_task_return_error_if_cancelled (outer))
    return;
  dialog = natter_avatar_crop_dialog_new (parent, image);
  g_signal_connect_data (dialog, "chosen", G_CALLBACK (on_chosen),
                         g_object_ref (outer), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_signal_connect_data (dialog, "destroy", G_CALLBACK (on_dialog_destroy),
                         g_object_ref (outer), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
natter_avatar_crop_dialog_choose_async (GtkWindow           *parent,
                                        const char          *path,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *outer;
  g_autoptr(GTask) load = NULL;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (path != NULL);

  outer = g_task_new (parent, cancellable, callback, user_data);
  g_task_set_source_tag (outer, natter_avatar_crop_dialog_choose_async);
  load = g_task_new (NULL, cancellable, on_loaded, outer);
  g_task_set_task_data (load, g_strdup (path), g_free);
  g_task_run_in_thread (load, load_in_thread);
}

GBytes *
natter_avatar_crop_dialog_choose_finish (GtkWindow     *parent,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, parent), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
