/* natter-chat-info.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-store"

#include "config.h"

#include "natter-chat-info-private.h"

struct _NatterChatInfo
{
  GObject  parent_instance;
  gint64   id;
  char    *title;
  gint64   character_id;
  char    *character_name;
  gint64   updated_at;
  char    *preview;
  gint64   parent_chat_id;
  gint64   message_count;  /* -1: not counted yet */
  NatterChatStore *store;  /* weak */
};

G_DEFINE_FINAL_TYPE (NatterChatInfo, natter_chat_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_CHARACTER_ID,
  PROP_CHARACTER_NAME,
  PROP_UPDATED_AT,
  PROP_PREVIEW,
  PROP_PARENT_CHAT_ID,
  PROP_MESSAGE_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
natter_chat_info_finalize (GObject *object)
{
  NatterChatInfo *self = (NatterChatInfo *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->character_name, g_free);
  g_clear_pointer (&self->preview, g_free);
  g_clear_weak_pointer (&self->store);

  G_OBJECT_CLASS (natter_chat_info_parent_class)->finalize (object);
}

static void
natter_chat_info_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  NatterChatInfo *self = NATTER_CHAT_INFO (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_CHARACTER_ID:
      g_value_set_int64 (value, self->character_id);
      break;
    case PROP_CHARACTER_NAME:
      g_value_set_string (value, self->character_name);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case PROP_PREVIEW:
      g_value_set_string (value, self->preview);
      break;
    case PROP_PARENT_CHAT_ID:
      g_value_set_int64 (value, self->parent_chat_id);
      break;
    case PROP_MESSAGE_COUNT:
      g_value_set_int64 (value, natter_chat_info_get_message_count (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
int64_property (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
natter_chat_info_class_init (NatterChatInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_chat_info_finalize;
  object_class->get_property = natter_chat_info_get_property;

  properties[PROP_ID] = int64_property ("id");
  properties[PROP_TITLE] = string_property ("title");
  properties[PROP_CHARACTER_ID] = int64_property ("character-id");
  properties[PROP_CHARACTER_NAME] = string_property ("character-name");
  properties[PROP_UPDATED_AT] = int64_property ("updated-at");
  properties[PROP_PREVIEW] = string_property ("preview");
  properties[PROP_PARENT_CHAT_ID] = int64_property ("parent-chat-id");
  properties[PROP_MESSAGE_COUNT] = int64_property ("message-count");
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
natter_chat_info_init (NatterChatInfo *self)
{
  self->title = g_strdup ("");
  self->character_name = g_strdup ("");
  self->preview = g_strdup ("");
  self->message_count = -1;
}

NatterChatInfo *
_natter_chat_info_new (NatterChatStore *store,
                       gint64           id)
{
  NatterChatInfo *self = g_object_new (NATTER_TYPE_CHAT_INFO, NULL);

  self->id = id;
  g_set_weak_pointer (&self->store, store);

  return self;
}

static void
set_string (NatterChatInfo  *self,
            char           **field,
            const char      *value,
            int              prop)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

static void
set_int64 (NatterChatInfo *self,
           gint64         *field,
           gint64          value,
           int             prop)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

void
_natter_chat_info_update (NatterChatInfo *self,
                          const char     *title,
                          gint64          character_id,
                          const char     *character_name,
                          gint64          updated_at,
                          const char     *preview,
                          gint64          parent_chat_id,
                          gboolean        recount)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->title, title, PROP_TITLE);
  set_int64 (self, &self->character_id, character_id, PROP_CHARACTER_ID);
  set_string (self, &self->character_name, character_name, PROP_CHARACTER_NAME);
  set_int64 (self, &self->updated_at, updated_at, PROP_UPDATED_AT);
  set_string (self, &self->preview, preview, PROP_PREVIEW);
  set_int64 (self, &self->parent_chat_id, parent_chat_id, PROP_PARENT_CHAT_ID);
  /* Counted again only when someone has read it. */
  if (recount && self->message_count >= 0 && self->store != NULL)
    {
      gint64 count = natter_chat_store_count_messages (self->store, self->id, NULL);

      set_int64 (self, &self->message_count, MAX (count, 0), PROP_MESSAGE_COUNT);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gint64 natter_chat_info_get_id (NatterChatInfo *self) { g_return_val_if_fail (NATTER_IS_CHAT_INFO (self), 0); return self->id; }
const char *natter_chat_info_get_title (NatterChatInfo *self) { g_return_val_if_fail (NATTER_IS_CHAT_INFO (self), NULL); return self->title; }
gint64 natter_chat_info_get_character_id (NatterChatInfo *self) { g_return_val_if_fail (NATTER_IS_CHAT_INFO (self), 0); return self->character_id; }
const char *natter_chat_info_get_character_name (NatterChatInfo *self) { g_return_val_if_fail (NATTER_IS_CHAT_INFO (self), NULL); return self->character_name; }
gint64 natter_chat_info_get_updated_at (NatterChatInfo *self) { g_return_val_if_fail (NATTER_IS_CHAT_INFO (self), 0); return self->updated_at; }
const char *natter_chat_info_get_preview (NatterChatInfo *self) { g_return_val_if_fail (NATTER_IS_CHAT_INFO (self), NULL); return self->preview; }
gint64 natter_chat_info_get_parent_chat_id (NatterChatInfo *self) { g_return_val_if_fail (NATTER_IS_CHAT_INFO (self), 0); return self->parent_chat_id; }
gint64
natter_chat_info_get_message_count (NatterChatInfo *self)
{
  g_return_val_if_fail (NATTER_IS_CHAT_INFO (self), 0);

  if (self->message_count < 0)
    {
      gint64 count = -1;

      if (self->store != NULL)
        count = natter_chat_store_count_messages (self->store, self->id, NULL);
      if (count < 0)
        return 0;
      self->message_count = count;
    }

  return self->message_count;
}
