/* natter-toasts.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-toasts"

#include "config.h"

#include "natter-toasts.h"

/* Every toast of the application goes through natter_toasts_add().
 *
 * A toast overlay of libadwaita 1.2 frees a toast's record when its hide
 * animation ends, but its show animation still holds that record: a toast
 * dismissed before it has finished coming in crashes the application when
 * its show animation ends after the hide animation (the show animation
 * lasts longer when the toast replaced one still leaving, and both end in
 * the same frame when it is dismissed in the frame it came in).  So:
 *  - a new toast waits here, in order, and is added only when no toast is
 *    leaving any more;
 *  - the toast shown is dismissed for the next one only once it has fully
 *    come in, and until then its buttons take no click;
 * The newest toast still replaces the one shown within half a second, so
 * an Undo is never long out of reach. */

#define SETTLE_USEC (400 * G_TIME_SPAN_MILLISECOND) /* the show animation is 300 ms */

typedef struct
{
  AdwToastOverlay *overlay;      /* unowned: the queue lives on it */
  GQueue           waiting;      /* AdwToast, owned */
  AdwToast        *current;      /* owned; added and not yet dismissed */
  gulong           dismissed_id;
  gint64           current_since; /* frame time it was added at */
  gboolean         current_withdrawn;
  GtkWidget       *current_widget; /* weak; takes no click until settled */
  guint            tick_id;
  guint            idle_id;
} ToastQueue;

static void pump (ToastQueue *q);

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  ToastQueue *q = user_data;
  guint this_id = q->tick_id;

  q->tick_id = 0;
  pump (q);
  if (q->tick_id != 0)
    {
      /* pump() asked for another frame: keep this callback instead */
      gtk_widget_remove_tick_callback (widget, q->tick_id);
      q->tick_id = this_id;
      return G_SOURCE_CONTINUE;
    }
  return G_SOURCE_REMOVE;
}

static void
wait_a_frame (ToastQueue *q)
{
  if (q->tick_id == 0)
    q->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (q->overlay), on_tick, q, NULL);
}

static gint64
frame_time (ToastQueue *q)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (q->overlay));

  return clock != NULL ? gdk_frame_clock_get_frame_time (clock) : 0;
}

/* Unmapped, the overlay runs no animation: everything happens at once. */
static gboolean
animated (ToastQueue *q)
{
  return gtk_widget_get_mapped (GTK_WIDGET (q->overlay));
}

/* A toast still leaving keeps its widget in the overlay until it is gone. */
static gboolean
toast_leaving (ToastQueue *q)
{
  GtkWidget *child = adw_toast_overlay_get_child (q->overlay);

  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (q->overlay));
       w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (w != child)
      return TRUE;
  return FALSE;
}

static void
forget_current_widget (ToastQueue *q)
{
  if (q->current_widget != NULL)
    g_object_remove_weak_pointer (G_OBJECT (q->current_widget), (gpointer *) &q->current_widget);
  q->current_widget = NULL;
}

/* Fully in: its buttons may be pressed now. */
static void
release_current_widget (ToastQueue *q)
{
  if (q->current_widget != NULL)
    gtk_widget_set_can_target (q->current_widget, TRUE);
  forget_current_widget (q);
}

static gboolean
settling (ToastQueue *q)
{
  return q->current != NULL && animated (q) &&
         frame_time (q) < q->current_since + SETTLE_USEC;
}

static void
forget_current (ToastQueue *q)
{
  forget_current_widget (q);
  q->current_withdrawn = FALSE;
  if (q->current == NULL)
    return;
  g_clear_signal_handler (&q->dismissed_id, q->current);
  g_clear_object (&q->current);
}

static gboolean
on_idle (gpointer user_data)
{
  ToastQueue *q = user_data;

  q->idle_id = 0;
  pump (q);
  return G_SOURCE_REMOVE;
}

/* Never from inside the overlay's own handling of a dismissal. */
static void
on_current_dismissed (AdwToast   *toast,
                      ToastQueue *q)
{
  forget_current (q);
  if (g_queue_is_empty (&q->waiting))
    return;
  if (animated (q))
    wait_a_frame (q);
  else if (q->idle_id == 0)
    q->idle_id = g_idle_add (on_idle, q);
}

static void
pump (ToastQueue *q)
{
  for (;;)
    {
      AdwToast *next;

      if (settling (q))
        {
          wait_a_frame (q);
          return;
        }
      release_current_widget (q);
      if (g_queue_is_empty (&q->waiting) && !(q->current != NULL && q->current_withdrawn))
        return;
      if (q->current != NULL)
        {
          AdwToast *old = g_object_ref (q->current);

          forget_current (q);
          adw_toast_dismiss (old);
          g_object_unref (old);
        }
      if (animated (q) && toast_leaving (q))
        {
          wait_a_frame (q);
          return;
        }
      if (g_queue_is_empty (&q->waiting))
        return;
      next = g_queue_pop_head (&q->waiting);
      q->current = next; /* the queue's reference */
      q->current_since = frame_time (q);
      adw_toast_overlay_add_toast (q->overlay, g_object_ref (next));
      /* Its timeout may run out, or its button may be pressed: then the
       * next toast may come. */
      q->dismissed_id = g_signal_connect (next, "dismissed",
                                          G_CALLBACK (on_current_dismissed), q);
      if (animated (q))
        {
          /* The toast's widget is the overlay's newest child. */
          GtkWidget *widget = gtk_widget_get_last_child (GTK_WIDGET (q->overlay));

          if (widget != NULL && widget != adw_toast_overlay_get_child (q->overlay))
            {
              q->current_widget = widget;
              g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &q->current_widget);
              gtk_widget_set_can_target (widget, FALSE);
            }
        }
    }
}

/* The overlay is going: a toast never shown still says it was dismissed, so
 * whatever waits for that (an Undo) is done. */
static void
toast_queue_free (gpointer data)
{
  ToastQueue *q = data;
  AdwToast *toast;

  if (q->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (q->overlay), q->tick_id);
  g_clear_handle_id (&q->idle_id, g_source_remove);
  forget_current (q);
  while ((toast = g_queue_pop_head (&q->waiting)) != NULL)
    {
      g_signal_emit_by_name (toast, "dismissed");
      g_object_unref (toast);
    }
  g_free (q);
}

/**
 * natter_toasts_add:
 * @overlay: the overlay to show @toast on
 * @toast: (transfer full): the toast
 *
 * Shows @toast on @overlay after the toasts given before it; the toast
 * shown (if any) makes way for it as soon as it safely can.
 */
void
natter_toasts_add (AdwToastOverlay *overlay,
                   AdwToast        *toast)
{
  ToastQueue *q;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (ADW_IS_TOAST (toast));

  q = g_object_get_data (G_OBJECT (overlay), "natter-toasts");
  if (q == NULL)
    {
      q = g_new0 (ToastQueue, 1);
      q->overlay = overlay;
      g_queue_init (&q->waiting);
      g_object_set_data_full (G_OBJECT (overlay), "natter-toasts", q, toast_queue_free);
    }

  if (toast == q->current)
    {
      /* Shown already: this only restarts its timeout. */
      if (g_queue_is_empty (&q->waiting))
        adw_toast_overlay_add_toast (overlay, g_object_ref (toast));
      g_object_unref (toast);
      return;
    }
  if (g_queue_find (&q->waiting, toast) != NULL)
    {
      g_object_unref (toast);
      return;
    }
  g_queue_push_tail (&q->waiting, toast);
  pump (q);
}

/**
 * natter_toasts_withdraw:
 * @overlay: the overlay @toast was given to
 * @toast: a toast that no longer applies (an Undo that can no longer undo)
 *
 * A toast still waiting is dropped (it says it was dismissed); the toast
 * shown loses its button at once and goes as soon as it safely can.
 */
void
natter_toasts_withdraw (AdwToastOverlay *overlay,
                        AdwToast        *toast)
{
  ToastQueue *q;
  GList *link;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (ADW_IS_TOAST (toast));

  q = g_object_get_data (G_OBJECT (overlay), "natter-toasts");
  if (q == NULL)
    return;
  if (toast == q->current)
    {
      /* Its button no longer does anything: take it away now. */
      adw_toast_set_button_label (toast, NULL);
      q->current_withdrawn = TRUE;
      pump (q);
      return;
    }
  if ((link = g_queue_find (&q->waiting, toast)) != NULL)
    {
      g_queue_delete_link (&q->waiting, link);
      g_signal_emit_by_name (toast, "dismissed");
      g_object_unref (toast);
    }
}


AdwToast *
natter_toasts_get_current (AdwToastOverlay *overlay)
{
  ToastQueue *q;

  g_return_val_if_fail (ADW_IS_TOAST_OVERLAY (overlay), NULL);

  q = g_object_get_data (G_OBJECT (overlay), "natter-toasts");
  return q != NULL ? q->current : NULL;
}
