/* natter-chat-view.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-view"

#include "config.h"

#include "natter-a11y.h"
#include "natter-chat-view.h"
#include "natter-tail-model-private.h"
#include "natter-message-row.h"

struct _NatterChatView
{
  GtkWidget           parent_instance;

  NatterMessageModel *model;
  /* The list view's model around it: told of changes after the list view
   * (it connected first), so the view can scroll to rows it knows of. */
  GtkNoSelection     *selection;
  NatterMessageItem  *last_item;
  NatterMessageItem  *streaming_item;
  guint               tick_id;
  guint               n_flushes;
  gboolean            following;
  gboolean            scrolling;
  /* What the person does, to tell their scrolling from the list view's
   * own moves (it keeps a row in place while rows above it change). */
  gint64              user_input_time;
  gboolean            dragging_scrollbar;
  gboolean            show_reasoning;
  gboolean            allocating;
  /* The list view's rows were replaced (another chat, messages removed)
   * and it has not laid them out since: until it does it knows no height
   * for them while the adjustment still spans the rows before, and a
   * value set then may lie past its rows (it warns and ignores it). */
  gboolean            awaiting_layout;
  NatterMessageItem  *highlighted;
  guint               highlight_id;

  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;
  GtkWidget          *jump_button;

  /* Rows the list view let go of (see park_row()). */
  /* While another chat's messages replace the shown ones, GtkListView
   * binds the rows at the top first (its anchor is there), then the 200
   * it keeps around the last one: those binds wait until the view is
   * anchored at the end; the rows still bound then are made, the newest
   * DEFERRED_AT_ONCE at once (the first frame shows them) and the others
   * after the frame is painted, in idles. */
  gboolean            deferring;
  GPtrArray          *deferred;       /* of GtkListItem */
  guint               deferred_id;

  GQueue              parked_rows;
  GHashTable         *parked;        /* NatterMessageItem -> link in parked_rows */
  guint               n_row_reuses;

  /* What the list view shows: the newest messages of the model, older
   * ones taken in as the person scrolls up (see NatterTailModel). */
  NatterTailModel    *tail;
  guint               grow_id;
};

/* Messages a chat opens with (more than a tall window shows, fewer than
 * the 200 rows GtkListView keeps, each a widget made when a chat opens and
 * destroyed when another does), and taken in at a time when scrolled near
 * the top of them. */
#define TAIL_KEEP 60
#define TAIL_GROW 200

/* GtkListView moves its 200 rows back and forth by some 60 while it
 * scrolls fast. Each parked row costs memory (about 150 KiB measured):
 * 40 take back three binds in four of the 96 that took back nearly all. */
#define MAX_PARKED_ROWS 200

/* More than a tall window shows of short messages. */
#define DEFERRED_AT_ONCE 40
#define DEFERRED_PER_IDLE 20

G_DEFINE_FINAL_TYPE (NatterChatView, natter_chat_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHOW_REASONING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkAdjustment *
get_vadjustment (NatterChatView *self)
{
  return gtk_scrolled_window_get_vadjustment (self->scroller);
}

/* Does nothing while the list view awaits its layout: the view goes to
 * the end then, in size_allocate(), if it still follows. */
static void
stick_to_bottom (NatterChatView *self)
{
  GtkAdjustment *adj = get_vadjustment (self);

  if (self->awaiting_layout)
    return;
  self->scrolling = TRUE;
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  self->scrolling = FALSE;
}

/* Shows the newest message: the list view is anchored on the last row,
 * its end at the bottom of the view, so the first frame after a chat
 * opens lays out and paints the last rows and none of the first (setting
 * the value alone would be read through the estimated heights of rows
 * never measured). Once it is laid out the value goes to the very end. */
static void
pin_to_end (NatterChatView *self)
{
  guint n = self->selection != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->selection)) : 0;

  if (n > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n - 1);
  if (!self->allocating)
    stick_to_bottom (self);
}

static void
update_jump_button (NatterChatView *self)
{
  gtk_widget_set_visible (self->jump_button, !self->following);
}

/* How long after a key press, a click or a touch the view's moves count
 * as the person's. */
#define USER_INPUT_USEC (400 * 1000)

static gboolean
grow_idle (gpointer data)
{
  NatterChatView *self = data;

  self->grow_id = 0;
  if (self->tail != NULL)
    natter_tail_model_grow (self->tail, TAIL_GROW);
  return G_SOURCE_REMOVE;
}

/* Only the person stops the view following the newest message: by
 * scrolling up, dragging the scrollbar, a key (Page Up, moving the focus
 * up) or a touch. When the list view moves the value by itself while the
 * view follows, the view goes back to the bottom. */
static void
on_value_changed (NatterChatView *self,
                  GtkAdjustment  *adj)
{
  double bottom = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
  gboolean by_user;

  /* Near the top of the messages taken in so far: older ones, once the
   * list view is done with this move (it keeps its rows in place as they
   * come in above). */
  if (self->tail != NULL && natter_tail_model_get_start (self->tail) > 0 && self->grow_id == 0 &&
      gtk_adjustment_get_value (adj) < 2 * gtk_adjustment_get_page_size (adj))
    self->grow_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, grow_idle, self, NULL);

  /* Moves of the list view's own while it lays out are judged after it
   * (size_allocate()). */
  if (self->scrolling || self->allocating)
    return;

  by_user = self->dragging_scrollbar ||
            g_get_monotonic_time () - self->user_input_time < USER_INPUT_USEC;
  if (gtk_adjustment_get_value (adj) >= bottom - 4)
    self->following = TRUE;
  else if (by_user)
    self->following = FALSE;
  else if (self->following)
    stick_to_bottom (self);
  update_jump_button (self);
}

static void
mark_user_input (NatterChatView *self)
{
  self->user_input_time = g_get_monotonic_time ();
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           NatterChatView           *self)
{
  mark_user_input (self);
  /* Up, even by a kinetic flick that goes on moving after the fingers
   * left: stop following now. */
  if (dy < 0 && self->following)
    {
      self->following = FALSE;
      update_jump_button (self);
    }
  return FALSE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                NatterChatView        *self)
{
  mark_user_input (self);
  return FALSE;
}

static void
on_scrollbar_drag_begin (GtkGestureDrag *gesture,
                         double          x,
                         double          y,
                         NatterChatView *self)
{
  self->dragging_scrollbar = TRUE;
  mark_user_input (self);
}

static void
on_scrollbar_drag_end (GtkGestureDrag *gesture,
                       double          x,
                       double          y,
                       NatterChatView *self)
{
  self->dragging_scrollbar = FALSE;
  mark_user_input (self);
}

static void
on_touch_drag_update (GtkGestureDrag *gesture,
                      double          x,
                      double          y,
                      NatterChatView *self)
{
  mark_user_input (self);
}

static void
watch_user_input (NatterChatView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (on_scroll), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect_object (gesture, "drag-begin", G_CALLBACK (on_scrollbar_drag_begin), self, 0);
  g_signal_connect_object (gesture, "drag-end", G_CALLBACK (on_scrollbar_drag_end), self, 0);
  gtk_widget_add_controller (gtk_scrolled_window_get_vscrollbar (self->scroller), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (gesture), TRUE);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect_object (gesture, "drag-update", G_CALLBACK (on_touch_drag_update), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), GTK_EVENT_CONTROLLER (gesture));
}

static void
on_bounds_changed (NatterChatView *self,
                   GParamSpec     *pspec,
                   GtkAdjustment  *adj)
{
  /* The list view sets its bounds while it lays out, with its own
   * value-changed handler blocked: a value set now would not move its
   * rows. The view goes to the end after it, in size_allocate(). */
  if (self->allocating)
    return;
  if (self->following)
    stick_to_bottom (self);
  else
    on_value_changed (self, adj);
}

/* The last message that is not a note: notes never take the regenerate
 * and swipe controls away from the last reply. */
static NatterMessageItem *
find_last_message (NatterChatView *self)
{
  GListModel *model = G_LIST_MODEL (self->model);
  guint n = self->model ? g_list_model_get_n_items (model) : 0;

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(NatterMessageItem) item = g_list_model_get_item (model, i - 1);

      if (natter_message_item_get_kind (item) != NATTER_MESSAGE_KIND_NOTE)
        return item;   /* the model keeps a reference */
    }
  return NULL;
}

static void
update_last_item (NatterChatView *self)
{
  NatterMessageItem *last = find_last_message (self);

  if (last == self->last_item)
    return;
  if (self->last_item != NULL)
    natter_message_item_set_is_last (self->last_item, FALSE);
  g_set_object (&self->last_item, last);
  if (last != NULL)
    natter_message_item_set_is_last (last, TRUE);
}

static void bind_row (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      NatterChatView           *self);

static void bind_row (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      NatterChatView           *self);

static gint
compare_position_descending (gconstpointer a,
                             gconstpointer b)
{
  guint pa = gtk_list_item_get_position (*(GtkListItem **) a);
  guint pb = gtk_list_item_get_position (*(GtkListItem **) b);

  return pa < pb ? 1 : pa > pb ? -1 : 0;
}

/* Binds up to @limit of the rows whose binding waited, the newest
 * messages first; the rest wait for an idle after the frame is painted. */
static void bind_deferred (NatterChatView *self,
                           guint           limit);

static gboolean
bind_deferred_idle (gpointer data)
{
  NatterChatView *self = data;

  self->deferred_id = 0;
  bind_deferred (self, DEFERRED_PER_IDLE);
  return G_SOURCE_REMOVE;
}

static void
bind_deferred (NatterChatView *self,
               guint           limit)
{
  g_autoptr(GPtrArray) deferred = NULL;
  guint bound = 0;

  if (self->deferred == NULL || self->deferred->len == 0)
    return;
  deferred = g_steal_pointer (&self->deferred);
  self->deferred = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_sort (deferred, compare_position_descending);
  for (guint i = 0; i < deferred->len; i++)
    {
      GtkListItem *list_item = deferred->pdata[i];

      if (gtk_list_item_get_child (list_item) != NULL || gtk_list_item_get_item (list_item) == NULL)
        continue;
      if (bound++ < limit)
        bind_row (NULL, list_item, self);
      else
        g_ptr_array_add (self->deferred, g_object_ref (list_item));
    }
  if (self->deferred->len > 0 && self->deferred_id == 0)
    self->deferred_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, bind_deferred_idle, self, NULL);
}

/* Another chat's messages (all of them replaced) open at the newest one;
 * a message added at the end while the view follows (a reply, a note, a
 * slash command's answer) is shown whole. */
static void
on_items_changed (NatterChatView *self,
                  guint           position,
                  guint           removed,
                  guint           added,
                  GListModel     *model)
{
  guint n = g_list_model_get_n_items (model);

  update_last_item (self);
  if (position == 0 && added == n && (removed > 0 || added > 0))
    {
      self->following = TRUE;
      update_jump_button (self);
    }
  if (self->following && added > 0 && position + added == n)
    pin_to_end (self);
  self->deferring = FALSE;
  bind_deferred (self, DEFERRED_AT_ONCE);
}

/* Told before the list view: all messages replaced, the view will go to
 * the end. */
static void
on_model_items_changed (NatterChatView *self,
                        guint           position,
                        guint           removed,
                        guint           added,
                        GListModel     *model)
{
  if (position == 0 && added > 0 && added == g_list_model_get_n_items (model))
    self->deferring = TRUE;
  if (removed > 0)
    {
      self->awaiting_layout = TRUE;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
    }
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  NatterChatView *self = NATTER_CHAT_VIEW (widget);

  if (self->streaming_item != NULL && natter_message_item_flush (self->streaming_item))
    {
      self->n_flushes++;
      if (self->following)
        stick_to_bottom (self);
    }

  return G_SOURCE_CONTINUE;
}

/* Rows are parked here when the list view unbinds them, still showing
 * their message with its text laid out. GtkListView binds a message again
 * and again as it scrolls (200 rows around its anchor, moved back and
 * forth), and a label laid out again costs far more than moving a row:
 * binding a parked message takes its row back instead. The oldest parked
 * row is the one rebound to a message no row shows. */
/* Removes the oldest parked row from the queue and the table. Transfer full. */
static GtkWidget *
pop_oldest_row (NatterChatView *self)
{
  GList *head = self->parked_rows.head;
  NatterMessageItem *item = natter_message_row_get_item (NATTER_MESSAGE_ROW (head->data));

  if (item != NULL && g_hash_table_lookup (self->parked, item) == head)
    g_hash_table_remove (self->parked, item);
  return g_queue_pop_head (&self->parked_rows);
}

static void
park_row (NatterChatView *self,
          GtkWidget      *row)
{
  NatterMessageItem *item = natter_message_row_get_item (NATTER_MESSAGE_ROW (row));

  if (item == NULL || g_hash_table_contains (self->parked, item))
    g_queue_push_head (&self->parked_rows, row);   /* the next to rebind */
  else
    {
      g_queue_push_tail (&self->parked_rows, row);
      g_hash_table_insert (self->parked, item, self->parked_rows.tail);
    }

  /* Beyond MAX_PARKED_ROWS, rows wait for the binds that usually follow
   * unbinds at once; only a hard cap a little above destroys them. */
  while (self->parked_rows.length > MAX_PARKED_ROWS + 16)
    g_object_unref (pop_oldest_row (self));
}

/* A row for @item: its parked one, else a new one while there is room
 * for parked rows, else the oldest parked one. Transfer full. */
static GtkWidget *
take_row (NatterChatView    *self,
          NatterMessageItem *item)
{
  GList *link = g_hash_table_lookup (self->parked, item);
  GtkWidget *row;

  if (link != NULL)
    {
      g_hash_table_remove (self->parked, item);
      row = link->data;
      g_queue_delete_link (&self->parked_rows, link);
      self->n_row_reuses++;
      return row;
    }

  /* Keep the parked rows for their messages while there is room. */
  if (self->parked_rows.length >= MAX_PARKED_ROWS)
    return pop_oldest_row (self);

  return g_object_ref_sink (natter_message_row_new ());
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           NatterChatView           *self)
{
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          NatterChatView           *self)
{
  NatterMessageItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *row;

  if (self->deferring)
    {
      g_ptr_array_add (self->deferred, g_object_ref (list_item));
      return;
    }

  row = take_row (self, item);
  natter_message_row_set_item (NATTER_MESSAGE_ROW (row), item);
  if (item == self->highlighted)
    gtk_widget_add_css_class (row, "search-hit");
  else
    gtk_widget_remove_css_class (row, "search-hit");
  gtk_list_item_set_child (list_item, row);
  g_object_unref (row);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            NatterChatView           *self)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);
  guint index;

  if (self->deferred != NULL && g_ptr_array_find (self->deferred, list_item, &index))
    g_ptr_array_remove_index_fast (self->deferred, index);
  if (row == NULL)
    return;
  g_object_ref (row);
  gtk_list_item_set_child (list_item, NULL);
  if (self->parked != NULL)
    park_row (self, row);
  else
    g_object_unref (row);
}

static void
clear_parked_rows (NatterChatView *self)
{
  g_clear_pointer (&self->parked, g_hash_table_unref);
  g_queue_clear_full (&self->parked_rows, g_object_unref);
}

static void
jump_to_latest (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  natter_chat_view_scroll_to_bottom (NATTER_CHAT_VIEW (widget));
}

static void
natter_chat_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  *minimum = *natural = 0;
  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
}

/* Lays the list out, then, while the view follows the newest message and
 * the list did not end at the bottom (rows measured for the first time
 * are taller or shorter than the list view guessed), moves it there: the
 * list view lays its rows out again before the frame is painted, so the
 * first frame of a chat shows its end. */
static void
natter_chat_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  NatterChatView *self = NATTER_CHAT_VIEW (widget);
  GtkWidget *child = gtk_widget_get_first_child (widget);
  GtkAdjustment *adj = get_vadjustment (self);

  double before, bottom;

  if (child == NULL)
    return;
  before = gtk_adjustment_get_value (adj);
  bottom = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj);
  self->allocating = TRUE;
  gtk_widget_allocate (child, width, height, baseline, NULL);
  self->awaiting_layout = FALSE;
  /* GtkListView 4.8 sometimes lays its rows out at the end again by
   * itself (when the person turns the wheel fast up from there, several
   * moves of the value between two layouts, or when a message is added
   * below): the view stays where the person scrolled to. */
  if (!self->following && !self->dragging_scrollbar &&
      before < bottom - 4 &&
      gtk_adjustment_get_value (adj) >= gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) - 4)
    {
      self->scrolling = TRUE;
      gtk_adjustment_set_value (adj, before);
      self->scrolling = FALSE;
      gtk_widget_allocate (child, width, height, baseline, NULL);
    }
  /* Moving the value makes the list view anchor its rows anew: lay them
   * out again now, within this frame. */
  for (guint tries = 0;
       self->following && tries < 3 &&
       gtk_adjustment_get_value (adj) < gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) - 1;
       tries++)
    {
      stick_to_bottom (self);
      gtk_widget_allocate (child, width, height, baseline, NULL);
    }
  self->allocating = FALSE;

  if (!self->following)
    on_value_changed (self, adj);
}

static void
natter_chat_view_dispose (GObject *object)
{
  NatterChatView *self = (NatterChatView *)object;

  natter_chat_view_end_stream (self);
  g_clear_handle_id (&self->highlight_id, g_source_remove);
  g_clear_object (&self->highlighted);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, on_items_changed, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_model_items_changed, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->tail);
  g_clear_handle_id (&self->grow_id, g_source_remove);
  g_clear_object (&self->model);
  g_clear_handle_id (&self->deferred_id, g_source_remove);
  g_clear_pointer (&self->deferred, g_ptr_array_unref);
  g_clear_object (&self->last_item);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_CHAT_VIEW);
  clear_parked_rows (self);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (natter_chat_view_parent_class)->dispose (object);
}

static void
refresh_rows (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (NATTER_IS_MESSAGE_ROW (child))
        natter_message_row_refresh (NATTER_MESSAGE_ROW (child));
      else
        refresh_rows (child);
    }
}

static void
natter_chat_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  NatterChatView *self = NATTER_CHAT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOW_REASONING:
      g_value_set_boolean (value, self->show_reasoning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_chat_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  NatterChatView *self = NATTER_CHAT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOW_REASONING:
      natter_chat_view_set_show_reasoning (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_chat_view_class_init (NatterChatViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_chat_view_dispose;
  object_class->get_property = natter_chat_view_get_property;
  object_class->set_property = natter_chat_view_set_property;
  widget_class->measure = natter_chat_view_measure;
  widget_class->size_allocate = natter_chat_view_size_allocate;

  properties[PROP_SHOW_REASONING] =
    g_param_spec_boolean ("show-reasoning", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NATTER_TYPE_MESSAGE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-chat-view.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterChatView, scroller);
  gtk_widget_class_bind_template_child (widget_class, NatterChatView, list_view);
  gtk_widget_class_bind_template_child (widget_class, NatterChatView, jump_button);

  gtk_widget_class_install_action (widget_class, "chat.jump-to-latest", NULL, jump_to_latest);
  gtk_widget_class_set_css_name (widget_class, "chatview");
}

static void
natter_chat_view_init (NatterChatView *self)
{
  GtkAdjustment *adj;

  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->following = TRUE;
  self->show_reasoning = TRUE;
  self->parked = g_hash_table_new (NULL, NULL);
  self->deferred = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  natter_a11y_fix_names (GTK_WIDGET (self));

  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row), self, 0);
  g_signal_connect_object (factory, "teardown", G_CALLBACK (unbind_row), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);

  watch_user_input (self);
  adj = get_vadjustment (self);
  g_signal_connect_object (adj, "value-changed", G_CALLBACK (on_value_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adj, "notify::upper", G_CALLBACK (on_bounds_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adj, "notify::page-size", G_CALLBACK (on_bounds_changed), self, G_CONNECT_SWAPPED);

  natter_chat_view_set_model (self, NULL);
}

GtkWidget *
natter_chat_view_new (void)
{
  return g_object_new (NATTER_TYPE_CHAT_VIEW, NULL);
}

NatterMessageModel *
natter_chat_view_get_model (NatterChatView *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_VIEW (self), NULL);
  return self->model;
}

void
natter_chat_view_set_model (NatterChatView     *self,
                            NatterMessageModel *model)
{
  g_return_if_fail (NATTER_IS_CHAT_VIEW (self));
  g_return_if_fail (model == NULL || NATTER_IS_MESSAGE_MODEL (model));

  if (model == NULL)
    model = g_object_new (NATTER_TYPE_MESSAGE_MODEL, NULL);
  else
    g_object_ref (model);

  natter_chat_view_end_stream (self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, on_items_changed, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_model_items_changed, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->tail);
  g_clear_handle_id (&self->grow_id, g_source_remove);
  g_clear_object (&self->last_item);
  g_clear_object (&self->model);
  self->model = model;
  g_signal_connect_object (model, "items-changed", G_CALLBACK (on_model_items_changed), self, G_CONNECT_SWAPPED);

  self->tail = natter_tail_model_new (G_LIST_MODEL (model), TAIL_KEEP);
  self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->tail)));
  /* The list view binds rows at the top first: see on_model_items_changed(). */
  self->deferring = TRUE;
  self->awaiting_layout = TRUE;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
  update_last_item (self);

  self->following = TRUE;
  update_jump_button (self);
  pin_to_end (self);
  self->deferring = FALSE;
  bind_deferred (self, DEFERRED_AT_ONCE);
}

void
natter_chat_view_begin_stream (NatterChatView    *self,
                               NatterMessageItem *item)
{
  g_return_if_fail (NATTER_IS_CHAT_VIEW (self));
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (item));

  natter_chat_view_end_stream (self);
  self->streaming_item = g_object_ref (item);
  natter_message_item_set_streaming (item, TRUE);
  self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

void
natter_chat_view_end_stream (NatterChatView *self)
{
  g_return_if_fail (NATTER_IS_CHAT_VIEW (self));

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  if (self->streaming_item != NULL)
    {
      natter_message_item_flush (self->streaming_item);
      natter_message_item_set_streaming (self->streaming_item, FALSE);
      g_clear_object (&self->streaming_item);
    }
}

gboolean
natter_chat_view_is_streaming (NatterChatView *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_VIEW (self), FALSE);
  return self->streaming_item != NULL;
}

gboolean
natter_chat_view_get_following (NatterChatView *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_VIEW (self), FALSE);
  return self->following;
}

void
natter_chat_view_scroll_to_bottom (NatterChatView *self)
{
  g_return_if_fail (NATTER_IS_CHAT_VIEW (self));

  self->following = TRUE;
  update_jump_button (self);
  pin_to_end (self);
}

guint
natter_chat_view_get_n_flushes (NatterChatView *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_VIEW (self), 0);
  return self->n_flushes;
}

void
natter_chat_view_scroll_to_item (NatterChatView *self,
                                 guint           position)
{
  g_return_if_fail (NATTER_IS_CHAT_VIEW (self));

  self->following = FALSE;
  update_jump_button (self);
  if (self->tail != NULL)
    position = natter_tail_model_reach (self->tail, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

gboolean
natter_chat_view_get_show_reasoning (NatterChatView *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_VIEW (self), TRUE);
  return self->show_reasoning;
}

void
natter_chat_view_set_show_reasoning (NatterChatView *self,
                                     gboolean        show)
{
  g_return_if_fail (NATTER_IS_CHAT_VIEW (self));

  show = !!show;
  if (self->show_reasoning == show)
    return;
  self->show_reasoning = show;
  refresh_rows (GTK_WIDGET (self->list_view));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_REASONING]);
}

guint
natter_chat_view_get_n_row_reuses (NatterChatView *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_VIEW (self), 0);
  return self->n_row_reuses;
}

/* Marks or unmarks the rows showing @item. */
static void
mark_rows (GtkWidget         *widget,
           NatterMessageItem *item,
           gboolean           marked)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (NATTER_IS_MESSAGE_ROW (child))
        {
          if (natter_message_row_get_item (NATTER_MESSAGE_ROW (child)) == item && marked)
            gtk_widget_add_css_class (child, "search-hit");
          else
            gtk_widget_remove_css_class (child, "search-hit");
        }
      else
        mark_rows (child, item, marked);
    }
}

static gboolean
clear_highlight (gpointer data)
{
  NatterChatView *self = data;

  self->highlight_id = 0;
  mark_rows (GTK_WIDGET (self->list_view), self->highlighted, FALSE);
  g_clear_object (&self->highlighted);
  return G_SOURCE_REMOVE;
}

/* How long a search hit stays marked. */
#define HIGHLIGHT_MS 4000

static void
reveal (NatterChatView    *self,
        guint              position,
        NatterMessageItem *item,
        gboolean           highlight)
{
  natter_chat_view_scroll_to_item (self, position);
  g_clear_handle_id (&self->highlight_id, g_source_remove);
  if (self->highlighted != NULL)
    mark_rows (GTK_WIDGET (self->list_view), self->highlighted, FALSE);
  g_clear_object (&self->highlighted);
  if (highlight)
    {
      self->highlighted = g_object_ref (item);
      mark_rows (GTK_WIDGET (self->list_view), item, TRUE);
      self->highlight_id = g_timeout_add (HIGHLIGHT_MS, clear_highlight, self);
    }
}

gboolean
natter_chat_view_scroll_to_message (NatterChatView *self,
                                    gint64          message_id,
                                    gboolean        highlight)
{
  return natter_chat_view_scroll_to_message_at (self, G_MAXUINT, message_id, highlight);
}

gboolean
natter_chat_view_scroll_to_message_at (NatterChatView *self,
                                       guint           position,
                                       gint64          message_id,
                                       gboolean        highlight)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (NATTER_IS_CHAT_VIEW (self), FALSE);

  model = G_LIST_MODEL (self->model);
  n = g_list_model_get_n_items (model);
  if (position < n)
    {
      g_autoptr(NatterMessageItem) item = g_list_model_get_item (model, position);

      if (natter_message_item_get_id (item) == message_id)
        {
          reveal (self, position, item, highlight);
          return TRUE;
        }
    }

  /* Hits are usually recent: from the end. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(NatterMessageItem) item = g_list_model_get_item (model, i - 1);

      if (natter_message_item_get_id (item) == message_id)
        {
          reveal (self, i - 1, item, highlight);
          return TRUE;
        }
    }
  return FALSE;
}

NatterMessageItem *
natter_chat_view_get_highlighted (NatterChatView *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_VIEW (self), NULL);
  return self->highlighted;
}
