/* natter-message-item.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-message-item"

#include "config.h"

#include "natter-message-item.h"

struct _NatterMessageItem
{
  GObject              parent_instance;

  NatterMessageKind    kind;
  gint64               id;
  const char          *name;  /* interned, NULL: none */
  GString             *text;
  GString             *reasoning;
  NatterErrorCategory  error_category;
  char                *error_message;
  char                *tool_events;  /* JSON (natter_tool_events_to_json()), nullable */
  guint                swipe_index;
  guint                n_swipes;
  guint                text_generation;
  guint                streaming : 1;
  guint                is_last : 1;
  guint                text_dirty : 1;
  guint                reasoning_dirty : 1;
  gint64               created_at;  /* unix seconds, 0: unknown */
  GdkPaintable        *avatar;      /* the speaker's, NULL: none */
};

G_DEFINE_FINAL_TYPE (NatterMessageItem, natter_message_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_ID,
  PROP_NAME,
  PROP_TEXT,
  PROP_REASONING,
  PROP_STREAMING,
  PROP_ERROR_CATEGORY,
  PROP_ERROR_MESSAGE,
  PROP_SWIPE_INDEX,
  PROP_N_SWIPES,
  PROP_IS_LAST,
  PROP_TOOL_EVENTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
natter_message_item_finalize (GObject *object)
{
  NatterMessageItem *self = (NatterMessageItem *)object;

  g_string_free (self->text, TRUE);
  g_string_free (self->reasoning, TRUE);
  g_free (self->tool_events);
  g_free (self->error_message);
  g_clear_object (&self->avatar);

  G_OBJECT_CLASS (natter_message_item_parent_class)->finalize (object);
}

static void
natter_message_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  NatterMessageItem *self = NATTER_MESSAGE_ITEM (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text->str);
      break;
    case PROP_REASONING:
      g_value_set_string (value, self->reasoning->str);
      break;
    case PROP_STREAMING:
      g_value_set_boolean (value, self->streaming);
      break;
    case PROP_ERROR_CATEGORY:
      g_value_set_int (value, self->error_category);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_SWIPE_INDEX:
      g_value_set_uint (value, self->swipe_index);
      break;
    case PROP_N_SWIPES:
      g_value_set_uint (value, self->n_swipes);
      break;
    case PROP_IS_LAST:
      g_value_set_boolean (value, self->is_last);
      break;
    case PROP_TOOL_EVENTS:
      g_value_set_string (value, self->tool_events);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_message_item_class_init (NatterMessageItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = natter_message_item_finalize;
  object_class->get_property = natter_message_item_get_property;

  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, 0, NATTER_MESSAGE_KIND_NOTE, 0, flags);
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, "", flags);
  properties[PROP_REASONING] = g_param_spec_string ("reasoning", NULL, NULL, "", flags);
  properties[PROP_STREAMING] = g_param_spec_boolean ("streaming", NULL, NULL, FALSE, flags);
  properties[PROP_ERROR_CATEGORY] = g_param_spec_int ("error-category", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  properties[PROP_SWIPE_INDEX] = g_param_spec_uint ("swipe-index", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_SWIPES] = g_param_spec_uint ("n-swipes", NULL, NULL, 0, G_MAXUINT, 1, flags);
  properties[PROP_IS_LAST] = g_param_spec_boolean ("is-last", NULL, NULL, FALSE, flags);
  properties[PROP_TOOL_EVENTS] = g_param_spec_string ("tool-events", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
natter_message_item_init (NatterMessageItem *self)
{
  self->text = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
  self->n_swipes = 1;
}

NatterMessageItem *
natter_message_item_new (NatterMessageKind  kind,
                         const char        *text)
{
  NatterMessageItem *self = g_object_new (NATTER_TYPE_MESSAGE_ITEM, NULL);

  self->kind = kind;
  if (text != NULL)
    g_string_assign (self->text, text);
  return self;
}

NatterMessageKind
natter_message_item_get_kind (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), 0);
  return self->kind;
}

const char *
natter_message_item_get_tool_events (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), NULL);
  return self->tool_events;
}

void
natter_message_item_set_tool_events (NatterMessageItem *self,
                                     const char        *json)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));
  if (g_strcmp0 (self->tool_events, json) == 0)
    return;
  g_free (self->tool_events);
  self->tool_events = g_strdup (json);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL_EVENTS]);
}

gint64
natter_message_item_get_id (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), 0);
  return self->id;
}

void
natter_message_item_set_id (NatterMessageItem *self,
                            gint64             id)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
natter_message_item_get_name (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), NULL);
  return self->name;
}

void
natter_message_item_set_name (NatterMessageItem *self,
                              const char        *name)
{
  const char *interned;

  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));

  /* Names repeat across a chat's messages (a character, a persona): one
   * interned copy each instead of one per message. */
  interned = name != NULL && name[0] != '\0' ? g_intern_string (name) : NULL;
  if (self->name == interned)
    return;
  self->name = interned;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
natter_message_item_get_text (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), NULL);
  return self->text->str;
}

gsize
natter_message_item_get_text_length (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), 0);
  return self->text->len;
}

void
natter_message_item_set_text (NatterMessageItem *self,
                              const char        *text)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));
  g_string_assign (self->text, text ? text : "");
  self->text_dirty = FALSE;
  self->text_generation++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

const char *
natter_message_item_get_reasoning (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), NULL);
  return self->reasoning->str;
}

void
natter_message_item_set_reasoning (NatterMessageItem *self,
                                   const char        *reasoning)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));
  g_string_assign (self->reasoning, reasoning ? reasoning : "");
  self->reasoning_dirty = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASONING]);
}

void
natter_message_item_append (NatterMessageItem *self,
                            gboolean           reasoning,
                            const char        *text,
                            gssize             len)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));

  if (text == NULL || len == 0)
    return;
  if (reasoning)
    {
      g_string_append_len (self->reasoning, text, len);
      self->reasoning_dirty = TRUE;
    }
  else
    {
      g_string_append_len (self->text, text, len);
      self->text_dirty = TRUE;
    }
}

gboolean
natter_message_item_flush (NatterMessageItem *self)
{
  gboolean any = FALSE;

  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), FALSE);

  if (self->reasoning_dirty)
    {
      self->reasoning_dirty = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASONING]);
      any = TRUE;
    }
  if (self->text_dirty)
    {
      self->text_dirty = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
      any = TRUE;
    }
  return any;
}

gboolean
natter_message_item_get_streaming (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), FALSE);
  return self->streaming;
}

void
natter_message_item_set_streaming (NatterMessageItem *self,
                                   gboolean           streaming)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));
  streaming = !!streaming;
  if (self->streaming == streaming)
    return;
  self->streaming = streaming;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STREAMING]);
}

NatterErrorCategory
natter_message_item_get_error_category (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), 0);
  return self->error_category;
}

const char *
natter_message_item_get_error_message (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), NULL);
  return self->error_message;
}

void
natter_message_item_set_error (NatterMessageItem   *self,
                               NatterErrorCategory  category,
                               const char          *message)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->error_category != category)
    {
      self->error_category = category;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_CATEGORY]);
    }
  if (g_strcmp0 (self->error_message, message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

guint
natter_message_item_get_swipe_index (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), 0);
  return self->swipe_index;
}

guint
natter_message_item_get_n_swipes (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), 1);
  return self->n_swipes;
}

void
natter_message_item_set_swipes (NatterMessageItem *self,
                                guint              index,
                                guint              n_swipes)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));

  n_swipes = MAX (n_swipes, 1);
  index = MIN (index, n_swipes - 1);
  g_object_freeze_notify (G_OBJECT (self));
  if (self->swipe_index != index)
    {
      self->swipe_index = index;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SWIPE_INDEX]);
    }
  if (self->n_swipes != n_swipes)
    {
      self->n_swipes = n_swipes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SWIPES]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
natter_message_item_get_is_last (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), FALSE);
  return self->is_last;
}

void
natter_message_item_set_is_last (NatterMessageItem *self,
                                 gboolean           is_last)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));
  is_last = !!is_last;
  if (self->is_last == is_last)
    return;
  self->is_last = is_last;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_LAST]);
}

guint
natter_message_item_get_text_generation (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), 0);
  return self->text_generation;
}

gint64
natter_message_item_get_created_at (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), 0);
  return self->created_at;
}

void
natter_message_item_set_created_at (NatterMessageItem *self,
                                    gint64             created_at)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));
  self->created_at = created_at;
}

GdkPaintable *
natter_message_item_get_avatar (NatterMessageItem *self)
{
  g_return_val_if_fail (NATTER_IS_MESSAGE_ITEM (self), NULL);
  return self->avatar;
}

void
natter_message_item_set_avatar (NatterMessageItem *self,
                                GdkPaintable      *avatar)
{
  g_return_if_fail (NATTER_IS_MESSAGE_ITEM (self));
  g_set_object (&self->avatar, avatar);
}
