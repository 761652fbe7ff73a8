/* natter-sidebar.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-sidebar"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "natter-character-info.h"
#include "natter-chat-row.h"
#include "natter-sidebar-private.h"
#include "natter-toasts.h"

#define MAX_MESSAGE_HITS 50

struct _NatterSidebar
{
  GtkWidget           parent_instance;

  NatterChatStore    *store;
  GListModel         *characters;      /* the store's, transfer none */
  GHashTable         *avatars;         /* character id → GdkTexture, filled on demand */
  GHashTable         *generating;      /* chat ids (gint64 *) */
  GtkFilterListModel *filter_model;
  GtkCustomFilter    *filter;
  GtkSingleSelection *selection;
  char               *search;          /* casefolded, nullable */
  gint64              hidden_chat_id;
  gint64              selected_chat_id;
  GPtrArray          *hits;            /* NatterSearchHit */
  GCancellable       *search_cancellable;

  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *chat_list;
  GtkWidget          *chat_scroller;
  GtkWidget          *no_match;
  GtkWidget          *message_hits_box;
  GtkListBox         *message_hits;
};

G_DEFINE_FINAL_TYPE (NatterSidebar, natter_sidebar, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CHAT_ACTIVATED,
  SIGNAL_MESSAGE_HIT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (NatterSidebar *self,
       const char    *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    natter_toasts_add (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static void
unref_nullable (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

/* The list */

static gboolean
chat_matches (gpointer item,
              gpointer user_data)
{
  NatterSidebar *self = user_data;
  NatterChatInfo *chat = item;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;

  if (natter_chat_info_get_id (chat) == self->hidden_chat_id)
    return FALSE;
  if (self->search == NULL || *self->search == '\0')
    return TRUE;
  title = g_utf8_casefold (natter_chat_info_get_title (chat) ? natter_chat_info_get_title (chat) : "", -1);
  if (strstr (title, self->search) != NULL)
    return TRUE;
  name = g_utf8_casefold (natter_chat_info_get_character_name (chat)
                          ? natter_chat_info_get_character_name (chat) : "", -1);
  return *name != '\0' && strstr (name, self->search) != NULL;
}

static void
update_selection (NatterSidebar *self)
{
  GListModel *model = G_LIST_MODEL (self->filter_model);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n && self->selected_chat_id != 0; i++)
    {
      g_autoptr(NatterChatInfo) chat = g_list_model_get_item (model, i);

      if (natter_chat_info_get_id (chat) == self->selected_chat_id)
        {
          if (gtk_single_selection_get_selected (self->selection) != i)
            gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
update_visibility (NatterSidebar *self)
{
  gboolean searching = self->search != NULL && *self->search != '\0';
  guint n_chats = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint n_hits = self->hits != NULL ? self->hits->len : 0;

  gtk_stack_set_visible_child_name (self->stack, n_chats > 0 || searching ? "list" : "empty");
  /* Title matches only: no empty "Messages" area under them. */
  gtk_widget_set_visible (self->chat_scroller, !searching || n_chats > 0);
  gtk_widget_set_visible (self->message_hits_box, searching && n_hits > 0);
  gtk_widget_set_visible (self->no_match, searching && n_chats == 0 && n_hits == 0 &&
                          self->search_cancellable == NULL);
}

static void
on_items_changed (NatterSidebar *self,
                  guint          position,
                  guint          removed,
                  guint          added,
                  GListModel    *model)
{
  update_visibility (self);
  update_selection (self);
}

static void
on_chat_activated (NatterSidebar *self,
                   guint          position,
                   GtkListView   *list)
{
  g_autoptr(NatterChatInfo) chat = g_list_model_get_item (G_LIST_MODEL (self->filter_model), position);

  if (chat != NULL)
    g_signal_emit (self, signals[SIGNAL_CHAT_ACTIVATED], 0, natter_chat_info_get_id (chat));
}

static void
on_characters_changed (NatterSidebar *self)
{
  g_hash_table_remove_all (self->avatars);
  /* Rows read their avatar again when rebound: rebind them all. */
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

GdkPaintable *
natter_sidebar_lookup_avatar (NatterSidebar *self,
                              gint64         character_id)
{
  GdkTexture *texture;
  guint n;

  g_return_val_if_fail (NATTER_IS_SIDEBAR (self), NULL);

  if (self->characters == NULL || character_id == 0)
    return NULL;
  if (g_hash_table_lookup_extended (self->avatars, &character_id, NULL, (gpointer *) &texture))
    return GDK_PAINTABLE (texture);

  texture = NULL;
  n = g_list_model_get_n_items (self->characters);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NatterCharacterInfo) info = g_list_model_get_item (self->characters, i);
      GBytes *avatar;

      if (natter_character_info_get_id (info) != character_id)
        continue;
      avatar = natter_character_info_get_avatar (info);
      if (avatar != NULL)
        texture = gdk_texture_new_from_bytes (avatar, NULL);
      break;
    }
  g_hash_table_insert (self->avatars, g_memdup2 (&character_id, sizeof character_id), texture);
  return texture != NULL ? GDK_PAINTABLE (texture) : NULL;
}

/* The chat row that has the keyboard focus, if any. */
static NatterChatRow *
focused_row (NatterSidebar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->chat_list)))
    return NULL;
  if (NATTER_IS_CHAT_ROW (focus))
    return NATTER_CHAT_ROW (focus);
  for (GtkWidget *child = gtk_widget_get_first_child (focus); child; child = gtk_widget_get_next_sibling (child))
    if (NATTER_IS_CHAT_ROW (child))
      return NATTER_CHAT_ROW (child);
  return NULL;
}

static gboolean
on_list_key_pressed (NatterSidebar         *self,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     GtkEventControllerKey *controller)
{
  NatterChatRow *row = focused_row (self);
  NatterChatInfo *item;

  state &= gtk_accelerator_get_default_mod_mask ();
  if (row == NULL || (item = natter_chat_row_get_item (row)) == NULL)
    return GDK_EVENT_PROPAGATE;

  if ((keyval == GDK_KEY_Delete || keyval == GDK_KEY_KP_Delete) && state == 0)
    return gtk_widget_activate_action (GTK_WIDGET (self), "win.delete-chat", "x",
                                       natter_chat_info_get_id (item));
  if ((keyval == GDK_KEY_Delete || keyval == GDK_KEY_KP_Delete) && state == GDK_SHIFT_MASK)
    return gtk_widget_activate_action (GTK_WIDGET (self), "win.delete-chat-now", "x",
                                       natter_chat_info_get_id (item));
  if ((keyval == GDK_KEY_Menu && state == 0) || (keyval == GDK_KEY_F10 && state == GDK_SHIFT_MASK))
    {
      natter_chat_row_popup_menu (row);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

/* Search */

/* Markdown's marks, which read as noise in a one-line snippet: emphasis
 * stars, code ticks, link brackets and targets. */
static char *
strip_markdown (const char *text,
                gssize      len)
{
  GString *out = g_string_sized_new (len < 0 ? 64 : len);
  const char *end = len < 0 ? text + strlen (text) : text + len;

  for (const char *p = text; p < end; p++)
    {
      if (*p == '*' || *p == '`')
        continue;
      if (*p == ']' && p + 1 < end && p[1] == '(')
        {
          const char *close = memchr (p, ')', end - p);

          if (close != NULL)
            {
              p = close;
              continue;
            }
        }
      if (*p == '[')
        continue;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* A search snippet as Pango markup, the matched words in bold. */
static char *
snippet_markup (const char *snippet)
{
  GString *out = g_string_new (NULL);
  const char *p = snippet != NULL ? snippet : "";

  while (*p != '\0')
    {
      const char *begin = strstr (p, NATTER_SEARCH_MATCH_BEGIN);
      const char *end;
      g_autofree char *plain = NULL;
      g_autofree char *match = NULL;

      if (begin == NULL)
        {
          g_autofree char *text = strip_markdown (p, -1);

          plain = g_markup_escape_text (text, -1);
          g_string_append (out, plain);
          break;
        }
      {
        g_autofree char *text = strip_markdown (p, begin - p);

        plain = g_markup_escape_text (text, -1);
        g_string_append (out, plain);
      }
      begin += strlen (NATTER_SEARCH_MATCH_BEGIN);
      end = strstr (begin, NATTER_SEARCH_MATCH_END);
      if (end == NULL)
        end = begin + strlen (begin);
      match = g_markup_escape_text (begin, end - begin);
      g_string_append_printf (out, "<b>%s</b>", match);
      p = *end != '\0' ? end + strlen (NATTER_SEARCH_MATCH_END) : end;
    }
  /* One line of context reads better than the snippet's own breaks. */
  g_strdelimit (out->str, "\n\r\t", ' ');
  return g_string_free (out, FALSE);
}

static GtkWidget *
message_hit_row (NatterSearchHit *hit,
                 guint            index)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (hit->chat_title != NULL && *hit->chat_title != '\0'
                                    ? hit->chat_title : _("Untitled Chat"));
  g_autofree char *markup = snippet_markup (hit->snippet);
  GtkWidget *snippet = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (snippet), markup);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (snippet), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet), 2);
  gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (snippet, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), snippet);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "hit-index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (row), "snippet-label", snippet);
  return row;
}

static void
clear_hits (NatterSidebar *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->message_hits))) != NULL)
    gtk_list_box_remove (self->message_hits, child);
  g_clear_pointer (&self->hits, g_ptr_array_unref);
}

static void
on_search_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  NatterSidebar *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  hits = natter_chat_store_search_finish (NATTER_CHAT_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  g_clear_object (&self->search_cancellable);
  clear_hits (self);
  if (hits == NULL)
    g_warning ("Message search failed: %s", error->message);
  else
    {
      self->hits = g_steal_pointer (&hits);
      for (guint i = 0; i < self->hits->len; i++)
        gtk_list_box_append (self->message_hits,
                             message_hit_row (g_ptr_array_index (self->hits, i), i));
    }
  update_visibility (self);
  g_object_unref (self);
}

static void
on_search_changed (NatterSidebar  *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_free (self->search);
  self->search = g_utf8_casefold (text, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (*text == '\0' || self->store == NULL)
    {
      clear_hits (self);
      update_visibility (self);
      return;
    }
  /* Off the main thread: typing never waits for the index. */
  self->search_cancellable = g_cancellable_new ();
  natter_chat_store_search_async (self->store, text, MAX_MESSAGE_HITS, self->search_cancellable,
                                  on_search_done, g_object_ref (self));
  update_visibility (self);
}

static void
on_message_hit_activated (NatterSidebar *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "hit-index"));
  NatterSearchHit *hit;

  if (self->hits == NULL || index >= self->hits->len)
    return;
  hit = g_ptr_array_index (self->hits, index);
  g_signal_emit (self, signals[SIGNAL_MESSAGE_HIT_ACTIVATED], 0, hit->chat_id, hit->message_id);
}

/* Enter in the search field: the first chat that matches, else the newest
 * message hit. */
static void
on_search_activate (NatterSidebar  *self,
                    GtkSearchEntry *entry)
{
  g_autoptr(NatterChatInfo) chat = NULL;

  if (*gtk_editable_get_text (GTK_EDITABLE (entry)) == '\0')
    return;
  chat = g_list_model_get_item (G_LIST_MODEL (self->filter_model), 0);
  if (chat != NULL)
    g_signal_emit (self, signals[SIGNAL_CHAT_ACTIVATED], 0, natter_chat_info_get_id (chat));
  else if (self->hits != NULL && self->hits->len > 0)
    on_message_hit_activated (self, gtk_list_box_get_row_at_index (self->message_hits, 0),
                              self->message_hits);
  else
    toast (self, _("No chat or message matches"));
}

/* API */

void
natter_sidebar_set_store (NatterSidebar   *self,
                          NatterChatStore *store)
{
  g_return_if_fail (NATTER_IS_SIDEBAR (self));
  g_return_if_fail (store == NULL || NATTER_IS_CHAT_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  if (self->characters != NULL)
    g_signal_handlers_disconnect_by_func (self->characters, on_characters_changed, self);
  self->characters = NULL;
  g_hash_table_remove_all (self->avatars);

  if (store != NULL)
    {
      gtk_filter_list_model_set_model (self->filter_model, natter_chat_store_get_chats_model (store));
      self->characters = natter_chat_store_get_characters_model (store);
      g_signal_connect_object (self->characters, "items-changed",
                               G_CALLBACK (on_characters_changed), self, G_CONNECT_SWAPPED);
    }
  else
    gtk_filter_list_model_set_model (self->filter_model, NULL);
  update_visibility (self);
}

void
natter_sidebar_select_chat (NatterSidebar *self,
                            gint64         chat_id)
{
  g_return_if_fail (NATTER_IS_SIDEBAR (self));
  self->selected_chat_id = chat_id;
  update_selection (self);
}

void
natter_sidebar_set_hidden_chat (NatterSidebar *self,
                                gint64         chat_id)
{
  g_return_if_fail (NATTER_IS_SIDEBAR (self));

  if (self->hidden_chat_id == chat_id)
    return;
  self->hidden_chat_id = chat_id;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

void
natter_sidebar_set_generating (NatterSidebar *self,
                               gint64         chat_id,
                               gboolean       generating)
{
  NatterChatRow *row;

  g_return_if_fail (NATTER_IS_SIDEBAR (self));

  if (generating == g_hash_table_contains (self->generating, &chat_id))
    return;
  if (generating)
    g_hash_table_add (self->generating, g_memdup2 (&chat_id, sizeof chat_id));
  else
    g_hash_table_remove (self->generating, &chat_id);
  row = natter_sidebar_find_row (self, chat_id);
  if (row != NULL)
    natter_chat_row_update (row);
}

gboolean
natter_sidebar_is_generating (NatterSidebar *self,
                              gint64         chat_id)
{
  g_return_val_if_fail (NATTER_IS_SIDEBAR (self), FALSE);
  return g_hash_table_contains (self->generating, &chat_id);
}

GtkSearchEntry *
natter_sidebar_get_search_entry (NatterSidebar *self)
{
  g_return_val_if_fail (NATTER_IS_SIDEBAR (self), NULL);
  return self->search_entry;
}

GtkListView *
natter_sidebar_get_chat_list (NatterSidebar *self)
{
  g_return_val_if_fail (NATTER_IS_SIDEBAR (self), NULL);
  return self->chat_list;
}

GtkListBox *
natter_sidebar_get_message_hits (NatterSidebar *self)
{
  g_return_val_if_fail (NATTER_IS_SIDEBAR (self), NULL);
  return self->message_hits;
}

guint
natter_sidebar_get_n_chats (NatterSidebar *self)
{
  g_return_val_if_fail (NATTER_IS_SIDEBAR (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
}

static NatterChatRow *
find_row_in (GtkWidget *widget,
             gint64     chat_id)
{
  if (NATTER_IS_CHAT_ROW (widget))
    {
      NatterChatInfo *item = natter_chat_row_get_item (NATTER_CHAT_ROW (widget));

      return item != NULL && natter_chat_info_get_id (item) == chat_id ? NATTER_CHAT_ROW (widget) : NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      NatterChatRow *row = find_row_in (child, chat_id);

      if (row != NULL)
        return row;
    }
  return NULL;
}

NatterChatRow *
natter_sidebar_find_row (NatterSidebar *self,
                         gint64         chat_id)
{
  g_return_val_if_fail (NATTER_IS_SIDEBAR (self), NULL);
  return find_row_in (GTK_WIDGET (self->chat_list), chat_id);
}

guint
natter_sidebar_get_n_message_hits (NatterSidebar *self)
{
  g_return_val_if_fail (NATTER_IS_SIDEBAR (self), 0);
  return self->hits != NULL ? self->hits->len : 0;
}

const char *
natter_sidebar_get_message_hit_markup (NatterSidebar *self,
                                       guint          index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (NATTER_IS_SIDEBAR (self), NULL);

  row = gtk_list_box_get_row_at_index (self->message_hits, index);
  if (row == NULL)
    return NULL;
  return gtk_label_get_label (g_object_get_data (G_OBJECT (row), "snippet-label"));
}

gboolean
natter_sidebar_is_searching (NatterSidebar *self)
{
  g_autofree char *typed = NULL;

  g_return_val_if_fail (NATTER_IS_SIDEBAR (self), FALSE);

  /* Typed but not searched yet (the entry waits a moment), or under way. */
  typed = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  return self->search_cancellable != NULL || g_strcmp0 (typed, self->search != NULL ? self->search : "") != 0;
}

/* GObject */

static void
natter_sidebar_dispose (GObject *object)
{
  NatterSidebar *self = NATTER_SIDEBAR (object);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  natter_sidebar_set_store (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), NATTER_TYPE_SIDEBAR);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->filter_model);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->hits, g_ptr_array_unref);
  g_clear_pointer (&self->avatars, g_hash_table_unref);
  g_clear_pointer (&self->generating, g_hash_table_unref);

  G_OBJECT_CLASS (natter_sidebar_parent_class)->dispose (object);
}

static void
natter_sidebar_finalize (GObject *object)
{
  NatterSidebar *self = NATTER_SIDEBAR (object);

  g_free (self->search);

  G_OBJECT_CLASS (natter_sidebar_parent_class)->finalize (object);
}

static void
natter_sidebar_class_init (NatterSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = natter_sidebar_dispose;
  object_class->finalize = natter_sidebar_finalize;

  signals[SIGNAL_CHAT_ACTIVATED] =
    g_signal_new ("chat-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_MESSAGE_HIT_ACTIVATED] =
    g_signal_new ("message-hit-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  g_type_ensure (NATTER_TYPE_CHAT_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/natterapp/Natter/natter-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, NatterSidebar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, NatterSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, NatterSidebar, chat_list);
  gtk_widget_class_bind_template_child (widget_class, NatterSidebar, chat_scroller);
  gtk_widget_class_bind_template_child (widget_class, NatterSidebar, no_match);
  gtk_widget_class_bind_template_child (widget_class, NatterSidebar, message_hits_box);
  gtk_widget_class_bind_template_child (widget_class, NatterSidebar, message_hits);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
natter_sidebar_init (NatterSidebar *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->avatars = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, unref_nullable);
  self->generating = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->filter = gtk_custom_filter_new (chat_matches, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->chat_list, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (on_items_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->chat_list, "activate", G_CALLBACK (on_chat_activated),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (on_search_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate", G_CALLBACK (on_search_activate),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->message_hits, "row-activated", G_CALLBACK (on_message_hit_activated),
                           self, G_CONNECT_SWAPPED);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_list_key_pressed),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->chat_list), keys);
  update_visibility (self);
}

GtkWidget *
natter_sidebar_new (void)
{
  return g_object_new (NATTER_TYPE_SIDEBAR, NULL);
}
