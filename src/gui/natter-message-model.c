/* natter-message-model.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-message-model"

#include "config.h"

#include <glib/gi18n.h>

#include "natter-chat-store-editing.h"
#include "natter-message-model-private.h"
#include "natter-tool-calls-box-private.h"

struct _NatterMessageModel
{
  GObject                parent_instance;

  /* One slot per message: NULL until its page is loaded. */
  GPtrArray             *items;
  guint                  n_loaded;
  /* Slots below this index hold the source's message of the same index,
   * so a page dropped there can be loaded again (removals shift the rest). */
  guint                  n_reloadable;
  /* Pages loaded from the source, oldest first. */
  GArray                *loaded_pages;

  NatterMessageLoadFunc  load;
  gpointer               load_data;
  GDestroyNotify         load_destroy;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (NatterMessageModel, natter_message_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return NATTER_TYPE_MESSAGE_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return NATTER_MESSAGE_MODEL (model)->items->len;
}

/* Drops the items of loaded pages more than NATTER_MESSAGE_MODEL_KEEP_PAGES
 * pages away from @page that nothing but the model holds (a row, the view
 * or a stream keeps its items alive): memory stays bounded however far the
 * view scrolls, and a dropped page is loaded again when it is reached. */
static void
drop_far_pages (NatterMessageModel *self,
                guint               page)
{
  for (guint i = self->loaded_pages->len; i > 0; i--)
    {
      guint far = g_array_index (self->loaded_pages, guint, i - 1);
      guint start = far * NATTER_MESSAGE_MODEL_PAGE_SIZE;
      guint end = MIN (start + NATTER_MESSAGE_MODEL_PAGE_SIZE, MIN (self->items->len, self->n_reloadable));
      gboolean kept = FALSE;

      if ((far > page ? far - page : page - far) <= NATTER_MESSAGE_MODEL_KEEP_PAGES)
        continue;

      for (guint k = start; k < end; k++)
        {
          GObject *item = g_ptr_array_index (self->items, k);

          if (item == NULL)
            continue;
          if (g_atomic_int_get (&item->ref_count) > 1)
            {
              kept = TRUE;
              continue;
            }
          g_ptr_array_index (self->items, k) = NULL;
          g_object_unref (item);
          self->n_loaded--;
        }
      if (!kept)
        g_array_remove_index (self->loaded_pages, i - 1);
    }
}

static void
load_page (NatterMessageModel *self,
           guint               position)
{
  guint start = position - position % NATTER_MESSAGE_MODEL_PAGE_SIZE;
  guint n = MIN (NATTER_MESSAGE_MODEL_PAGE_SIZE, self->items->len - start);
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->load == NULL)
    return;

  self->load (self->load_data, start, n, page);
  for (guint i = 0; i < n && i < page->len; i++)
    {
      if (g_ptr_array_index (self->items, start + i) != NULL)
        continue;
      g_ptr_array_index (self->items, start + i) = g_object_ref (g_ptr_array_index (page, i));
      self->n_loaded++;
    }

  if (start + n <= self->n_reloadable)
    {
      guint index = start / NATTER_MESSAGE_MODEL_PAGE_SIZE;
      gboolean known = FALSE;

      for (guint i = 0; i < self->loaded_pages->len && !known; i++)
        known = g_array_index (self->loaded_pages, guint, i) == index;
      if (!known)
        g_array_append_val (self->loaded_pages, index);
      drop_far_pages (self, index);
    }
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  NatterMessageModel *self = NATTER_MESSAGE_MODEL (model);
  NatterMessageItem *item;

  if (position >= self->items->len)
    return NULL;

  item = g_ptr_array_index (self->items, position);
  if (item == NULL)
    {
      load_page (self, position);
      item = g_ptr_array_index (self->items, position);
    }
  if (item == NULL)
    {
      /* The source had fewer messages than announced: show an empty one
       * rather than break the view. */
      item = natter_message_item_new (NATTER_MESSAGE_KIND_SYSTEM, "");
      g_ptr_array_index (self->items, position) = item;
      self->n_loaded++;
    }

  return g_object_ref (item);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
clear_source (NatterMessageModel *self)
{
  if (self->load_destroy != NULL)
    self->load_destroy (self->load_data);
  self->load = NULL;
  self->load_data = NULL;
  self->load_destroy = NULL;
}

static void
natter_message_model_finalize (GObject *object)
{
  NatterMessageModel *self = (NatterMessageModel *)object;

  clear_source (self);
  g_ptr_array_unref (self->items);
  g_array_unref (self->loaded_pages);

  G_OBJECT_CLASS (natter_message_model_parent_class)->finalize (object);
}

static void
natter_message_model_class_init (NatterMessageModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = natter_message_model_finalize;
}

static void
unref_if_set (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

static void
natter_message_model_init (NatterMessageModel *self)
{
  self->items = g_ptr_array_new_with_free_func (unref_if_set);
  self->loaded_pages = g_array_new (FALSE, FALSE, sizeof (guint));
}

typedef struct
{
  NatterChatStore *store;
  gint64           chat_id;
  guint            count;
  /* The store position of the message at each index, -1 until loaded. */
  GArray          *positions;
  guint64          n_read;    /* messages read from the store */
  GdkPaintable    *user_avatar;       /* the chat's persona's, or NULL */
  GdkPaintable    *character_avatar;  /* the chat's character's, or NULL */
} ChatSource;

static void
chat_source_free (gpointer data)
{
  ChatSource *source = data;

  g_clear_object (&source->store);
  g_clear_object (&source->user_avatar);
  g_clear_object (&source->character_avatar);
  g_array_unref (source->positions);
  g_free (source);
}

static GdkPaintable *
texture_or_null (GBytes *bytes)
{
  return bytes != NULL ? GDK_PAINTABLE (gdk_texture_new_from_bytes (bytes, NULL)) : NULL;
}

/* The pictures of who speaks in the chat: the persona the user is there
 * and the chat's character. */
static void
chat_source_load_avatars (ChatSource *source)
{
  g_autoptr(NatterChat) chat = natter_chat_store_get_chat (source->store, source->chat_id, NULL);
  g_autoptr(NatterPersonaRow) persona = NULL;

  if (chat == NULL)
    return;
  persona = natter_chat_store_resolve_persona (source->store, source->chat_id, 0, NULL);
  if (persona != NULL)
    source->user_avatar = texture_or_null (persona->avatar);
  if (natter_chat_get_character_id (chat) != 0)
    {
      g_autoptr(NatterCharacterRow) character =
        natter_chat_store_get_character (source->store, natter_chat_get_character_id (chat), NULL);

      if (character != NULL)
        source->character_avatar = texture_or_null (character->avatar);
    }
}

static void
chat_source_set_avatar (ChatSource        *source,
                        NatterMessageItem *item)
{
  switch (natter_message_item_get_kind (item))
    {
    case NATTER_MESSAGE_KIND_USER:
      natter_message_item_set_avatar (item, source->user_avatar);
      break;
    case NATTER_MESSAGE_KIND_ASSISTANT:
      natter_message_item_set_avatar (item, source->character_avatar);
      break;
    case NATTER_MESSAGE_KIND_SYSTEM:
    case NATTER_MESSAGE_KIND_NOTE:
    default:
      break;
    }
}

NatterMessageItem *
natter_message_item_new_from_message (NatterChatMessage *message)
{
  NatterMessageKind kind;
  NatterMessageItem *item;

  switch (natter_chat_message_get_role (message))
    {
    case NATTER_ROLE_USER:
      kind = NATTER_MESSAGE_KIND_USER;
      break;
    case NATTER_ROLE_SYSTEM:
      kind = NATTER_MESSAGE_KIND_SYSTEM;
      break;
    case NATTER_ROLE_ASSISTANT:
    default:
      kind = NATTER_MESSAGE_KIND_ASSISTANT;
      break;
    }

  item = natter_message_item_new (kind, natter_chat_message_get_content (message));
  natter_message_item_set_id (item, natter_chat_message_get_id (message));
  natter_message_item_set_created_at (item, natter_chat_message_get_created_at (message));
  natter_message_item_set_name (item, natter_chat_message_get_name (message));
  natter_message_item_set_reasoning (item, natter_chat_message_get_reasoning (message));
  natter_message_item_set_swipes (item,
                                  natter_chat_message_get_swipe_index (message),
                                  natter_chat_message_get_n_swipes (message));

  switch (natter_chat_message_get_state (message))
    {
    case NATTER_SWIPE_STATE_ERROR:
      natter_message_item_set_error (item, natter_chat_message_get_error_category (message),
                                     natter_chat_message_get_error_message (message));
      break;
    case NATTER_SWIPE_STATE_CANCELLED:
      natter_message_item_set_error (item, NATTER_ERROR_CATEGORY_CANCELLED, NULL);
      break;
    case NATTER_SWIPE_STATE_INCOMPLETE:
      natter_message_item_set_error (item, NATTER_ERROR_CATEGORY_NETWORK,
                                     _("The reply was interrupted before it finished"));
      break;
    case NATTER_SWIPE_STATE_COMPLETE:
    case NATTER_SWIPE_STATE_STREAMING:
    default:
      break;
    }

  return item;
}

/* Loads the messages at indices [@start, @end) by walking keyset pages
 * backwards from the nearest known position after them. */
static void
chat_source_load (gpointer   user_data,
                  guint      start,
                  guint      n_items,
                  GPtrArray *out)
{
  ChatSource *source = user_data;
  guint end = MIN (start + n_items, source->count);
  guint cursor = end;
  g_autoptr(GPtrArray) collected = g_ptr_array_new_with_free_func (g_object_unref);

  /* Find the first index at or after @end whose position is known. */
  while (cursor < source->count && g_array_index (source->positions, gint64, cursor) < 0)
    cursor++;

  /* Far from it (a jump into a long chat): ask where @end stands instead
   * of reading every message in between. */
  if (cursor - end > NATTER_MESSAGE_MODEL_PAGE_SIZE)
    {
      g_autoptr(GError) error = NULL;
      gint64 position = natter_chat_store_position_at (source->store, source->chat_id, end, &error);

      if (position >= 0)
        {
          g_array_index (source->positions, gint64, end) = position;
          cursor = end;
        }
      else if (error != NULL)
        g_warning ("Could not find message %u of the chat: %s", end, error->message);
    }

  /* Walk back from there until @start is covered. */
  while (cursor > start)
    {
      gint64 before = cursor < source->count ? g_array_index (source->positions, gint64, cursor) : -1;
      guint limit = MAX (cursor - start, NATTER_MESSAGE_MODEL_PAGE_SIZE);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = NULL;

      limit = MIN (limit, cursor);
      page = natter_chat_store_page_messages (source->store, source->chat_id, before, limit, &error);
      if (page == NULL || page->len == 0)
        {
          if (error != NULL)
            g_warning ("Could not load messages: %s", error->message);
          break;
        }

      source->n_read += page->len;
      for (guint i = page->len; i > 0 && cursor > 0; i--)
        {
          NatterChatMessage *message = g_ptr_array_index (page, i - 1);

          cursor--;
          g_array_index (source->positions, gint64, cursor) = natter_chat_message_get_position (message);
          if (cursor >= start && cursor < end)
            {
              NatterMessageItem *item = natter_message_item_new_from_message (message);

              chat_source_set_avatar (source, item);
              g_ptr_array_add (collected, item);
            }
        }
    }

  /* collected runs from the end backwards. */
  for (guint i = collected->len; i > 0; i--)
    g_ptr_array_add (out, g_object_ref (g_ptr_array_index (collected, i - 1)));
  /* Replies keep their tool calls beside them. */
  for (guint i = 0; i < collected->len; i++)
    _natter_tool_calls_load (source->store, g_ptr_array_index (collected, i));
}

void
natter_message_model_set_chat (NatterMessageModel *self,
                               NatterChatStore    *store,
                               gint64              chat_id)
{
  ChatSource *source;
  g_autoptr(GError) error = NULL;
  gint64 count;

  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));
  g_return_if_fail (NATTER_IS_CHAT_STORE (store));

  count = natter_chat_store_count_messages (store, chat_id, &error);
  if (count < 0 || error != NULL)
    {
      g_warning ("Could not count the messages of chat %" G_GINT64_FORMAT ": %s",
                 chat_id, error ? error->message : "?");
      count = 0;
    }

  source = g_new0 (ChatSource, 1);
  source->store = g_object_ref (store);
  source->chat_id = chat_id;
  source->count = count;
  source->positions = g_array_new (FALSE, FALSE, sizeof (gint64));
  chat_source_load_avatars (source);
  g_array_set_size (source->positions, count);
  for (guint i = 0; i < count; i++)
    g_array_index (source->positions, gint64, i) = -1;

  natter_message_model_set_source (self, count, chat_source_load, source, chat_source_free);
}

NatterMessageModel *
natter_message_model_new (void)
{
  return g_object_new (NATTER_TYPE_MESSAGE_MODEL, NULL);
}

void
natter_message_model_set_source (NatterMessageModel    *self,
                                 guint                  n_items,
                                 NatterMessageLoadFunc  load,
                                 gpointer               user_data,
                                 GDestroyNotify         destroy)
{
  guint old_len;

  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));

  old_len = self->items->len;
  clear_source (self);
  g_ptr_array_set_size (self->items, 0);
  self->n_loaded = 0;
  self->load = load;
  self->load_data = user_data;
  self->load_destroy = destroy;
  g_ptr_array_set_size (self->items, n_items);
  self->n_reloadable = load != NULL ? n_items : 0;
  g_array_set_size (self->loaded_pages, 0);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, n_items);
}

void
natter_message_model_append (NatterMessageModel *self,
                             NatterMessageItem  *item)
{
  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (item));

  if (self->load == chat_source_load)
    chat_source_set_avatar (self->load_data, item);
  g_ptr_array_add (self->items, g_object_ref (item));
  self->n_loaded++;
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
}

void
natter_message_model_insert (NatterMessageModel *self,
                             guint               position,
                             NatterMessageItem  *item)
{
  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (item));
  g_return_if_fail (position <= self->items->len);

  if (self->load == chat_source_load)
    chat_source_set_avatar (self->load_data, item);
  g_ptr_array_insert (self->items, position, g_object_ref (item));
  self->n_loaded++;
  self->n_reloadable = MIN (self->n_reloadable, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

void
natter_message_model_remove (NatterMessageModel *self,
                             guint               position)
{
  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));
  g_return_if_fail (position < self->items->len);

  if (g_ptr_array_index (self->items, position) != NULL)
    self->n_loaded--;
  g_ptr_array_remove_index (self->items, position);
  self->n_reloadable = MIN (self->n_reloadable, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

void
natter_message_model_truncate (NatterMessageModel *self,
                               guint               position)
{
  guint removed;

  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));

  if (position >= self->items->len)
    return;
  removed = self->items->len - position;
  for (guint i = position; i < self->items->len; i++)
    if (g_ptr_array_index (self->items, i) != NULL)
      self->n_loaded--;
  g_ptr_array_set_size (self->items, position);
  self->n_reloadable = MIN (self->n_reloadable, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, 0);
}

void
natter_message_model_clear (NatterMessageModel *self)
{
  g_return_if_fail (NATTER_IS_MESSAGE_MODEL (self));
  natter_message_model_set_source (self, 0, NULL, NULL, NULL);
}

NatterMessageItem *
natter_message_model_get_last (NatterMessageModel *self)
{
  g_autoptr(NatterMessageItem) item = NULL;

  g_return_val_if_fail (NATTER_IS_MESSAGE_MODEL (self), NULL);

  if (self->items->len == 0)
    return NULL;
  /* get_item fills the slot, which keeps the reference. */
  item = get_item (G_LIST_MODEL (self), self->items->len - 1);
  return item;
}

guint
natter_message_model_get_n_loaded (NatterMessageModel *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_MODEL (self), 0);
  return self->n_loaded;
}

guint64
natter_message_model_get_n_read (NatterMessageModel *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_MODEL (self), 0);

  if (self->load != chat_source_load)
    return 0;
  return ((ChatSource *) self->load_data)->n_read;
}
