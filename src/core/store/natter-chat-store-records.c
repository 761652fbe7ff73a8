/* natter-chat-store-records.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-chat-store-private.h"

static const char * const state_names[] = {
  "complete", "streaming", "incomplete", "error", "cancelled",
};

const char *
natter_swipe_state_to_string (NatterSwipeState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), "complete");

  return state_names[state];
}

gboolean
natter_swipe_state_from_string (const char       *str,
                                NatterSwipeState *state)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_str_equal (str, state_names[i]))
        {
          *state = (NatterSwipeState) i;
          return TRUE;
        }
    }

  return FALSE;
}

/* ---- records ----------------------------------------------------------- */

NatterCharacterRow *
natter_character_row_copy (const NatterCharacterRow *row)
{
  NatterCharacterRow *copy = g_new0 (NatterCharacterRow, 1);

  copy->id = row->id;
  copy->name = g_strdup (row->name);
  copy->card_json = g_strdup (row->card_json);
  copy->avatar = row->avatar ? g_bytes_ref (row->avatar) : NULL;
  copy->created_at = row->created_at;
  copy->updated_at = row->updated_at;

  return copy;
}

void
natter_character_row_free (NatterCharacterRow *row)
{
  if (row == NULL)
    return;

  g_free (row->name);
  g_free (row->card_json);
  g_clear_pointer (&row->avatar, g_bytes_unref);
  g_free (row);
}

NatterPersonaRow *
natter_persona_row_copy (const NatterPersonaRow *row)
{
  NatterPersonaRow *copy = g_new0 (NatterPersonaRow, 1);

  copy->id = row->id;
  copy->name = g_strdup (row->name);
  copy->description = g_strdup (row->description);
  copy->avatar = row->avatar ? g_bytes_ref (row->avatar) : NULL;
  copy->is_default = row->is_default;
  copy->position = g_strdup (row->position);

  return copy;
}

void
natter_persona_row_free (NatterPersonaRow *row)
{
  if (row == NULL)
    return;

  g_free (row->name);
  g_free (row->description);
  g_free (row->position);
  g_clear_pointer (&row->avatar, g_bytes_unref);
  g_free (row);
}

NatterLorebookRow *
natter_lorebook_row_copy (const NatterLorebookRow *row)
{
  NatterLorebookRow *copy = g_new0 (NatterLorebookRow, 1);

  copy->id = row->id;
  copy->name = g_strdup (row->name);
  copy->book_json = g_strdup (row->book_json);
  copy->is_global = row->is_global;

  return copy;
}

void
natter_lorebook_row_free (NatterLorebookRow *row)
{
  if (row == NULL)
    return;

  g_free (row->name);
  g_free (row->book_json);
  g_free (row);
}

NatterSearchHit *
natter_search_hit_copy (const NatterSearchHit *hit)
{
  NatterSearchHit *copy = g_new0 (NatterSearchHit, 1);

  copy->chat_id = hit->chat_id;
  copy->chat_title = g_strdup (hit->chat_title);
  copy->message_id = hit->message_id;
  copy->snippet = g_strdup (hit->snippet);

  return copy;
}

void
natter_search_hit_free (NatterSearchHit *hit)
{
  if (hit == NULL)
    return;

  g_free (hit->chat_title);
  g_free (hit->snippet);
  g_free (hit);
}

G_DEFINE_BOXED_TYPE (NatterCharacterRow, natter_character_row,
                     natter_character_row_copy, natter_character_row_free)
G_DEFINE_BOXED_TYPE (NatterPersonaRow, natter_persona_row,
                     natter_persona_row_copy, natter_persona_row_free)
G_DEFINE_BOXED_TYPE (NatterLorebookRow, natter_lorebook_row,
                     natter_lorebook_row_copy, natter_lorebook_row_free)
G_DEFINE_BOXED_TYPE (NatterSearchHit, natter_search_hit,
                     natter_search_hit_copy, natter_search_hit_free)

/* ---- NatterChat -------------------------------------------------------- */

G_DEFINE_FINAL_TYPE (NatterChat, natter_chat, G_TYPE_OBJECT)

enum {
  CHAT_PROP_0,
  CHAT_PROP_ID,
  CHAT_PROP_CHARACTER_ID,
  CHAT_PROP_TITLE,
  CHAT_PROP_CREATED_AT,
  CHAT_PROP_UPDATED_AT,
  CHAT_PROP_PARENT_CHAT_ID,
  CHAT_N_PROPS
};

static GParamSpec *chat_properties[CHAT_N_PROPS];

static void
natter_chat_finalize (GObject *object)
{
  NatterChat *self = (NatterChat *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->metadata, g_free);

  G_OBJECT_CLASS (natter_chat_parent_class)->finalize (object);
}

static void
natter_chat_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NatterChat *self = NATTER_CHAT (object);

  switch (prop_id)
    {
    case CHAT_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case CHAT_PROP_CHARACTER_ID:
      g_value_set_int64 (value, self->character_id);
      break;
    case CHAT_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case CHAT_PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case CHAT_PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case CHAT_PROP_PARENT_CHAT_ID:
      g_value_set_int64 (value, self->parent_chat_id);
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
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
natter_chat_class_init (NatterChatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_chat_finalize;
  object_class->get_property = natter_chat_get_property;

  chat_properties[CHAT_PROP_ID] = int64_property ("id");
  chat_properties[CHAT_PROP_CHARACTER_ID] = int64_property ("character-id");
  chat_properties[CHAT_PROP_TITLE] = string_property ("title");
  chat_properties[CHAT_PROP_CREATED_AT] = int64_property ("created-at");
  chat_properties[CHAT_PROP_UPDATED_AT] = int64_property ("updated-at");
  chat_properties[CHAT_PROP_PARENT_CHAT_ID] = int64_property ("parent-chat-id");
  g_object_class_install_properties (object_class, CHAT_N_PROPS, chat_properties);
}

static void
natter_chat_init (NatterChat *self)
{
}

gint64 natter_chat_get_id (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->id; }
gint64 natter_chat_get_character_id (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->character_id; }
const char *natter_chat_get_title (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), NULL); return self->title; }
gint64 natter_chat_get_created_at (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->created_at; }
gint64 natter_chat_get_updated_at (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->updated_at; }
gint64 natter_chat_get_parent_chat_id (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->parent_chat_id; }
gint64 natter_chat_get_branched_from_message_id (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), 0); return self->branched_from_message_id; }
const char *natter_chat_get_metadata (NatterChat *self) { g_return_val_if_fail (NATTER_IS_CHAT (self), NULL); return self->metadata; }

/* ---- NatterChatMessage ------------------------------------------------- */

G_DEFINE_FINAL_TYPE (NatterChatMessage, natter_chat_message, G_TYPE_OBJECT)

enum {
  MSG_PROP_0,
  MSG_PROP_ID,
  MSG_PROP_ROLE,
  MSG_PROP_NAME,
  MSG_PROP_CONTENT,
  MSG_PROP_REASONING,
  MSG_PROP_N_SWIPES,
  MSG_PROP_SWIPE_INDEX,
  MSG_PROP_STATE,
  MSG_PROP_ERROR_CATEGORY,
  MSG_PROP_ERROR_MESSAGE,
  MSG_PROP_CREATED_AT,
  MSG_N_PROPS
};

static GParamSpec *message_properties[MSG_N_PROPS];

static void
natter_chat_message_finalize (GObject *object)
{
  NatterChatMessage *self = (NatterChatMessage *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->content, g_free);
  g_clear_pointer (&self->reasoning, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (natter_chat_message_parent_class)->finalize (object);
}

static void
natter_chat_message_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  NatterChatMessage *self = NATTER_CHAT_MESSAGE (object);

  switch (prop_id)
    {
    case MSG_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case MSG_PROP_ROLE:
      g_value_set_int (value, self->role);
      break;
    case MSG_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case MSG_PROP_CONTENT:
      g_value_set_string (value, self->content);
      break;
    case MSG_PROP_REASONING:
      g_value_set_string (value, self->reasoning);
      break;
    case MSG_PROP_N_SWIPES:
      g_value_set_uint (value, self->n_swipes);
      break;
    case MSG_PROP_SWIPE_INDEX:
      g_value_set_uint (value, self->swipe_index);
      break;
    case MSG_PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case MSG_PROP_ERROR_CATEGORY:
      g_value_set_int (value, self->error_category);
      break;
    case MSG_PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case MSG_PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_chat_message_class_init (NatterChatMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = natter_chat_message_finalize;
  object_class->get_property = natter_chat_message_get_property;

  message_properties[MSG_PROP_ID] = int64_property ("id");
  /* A NatterRole. */
  message_properties[MSG_PROP_ROLE] =
    g_param_spec_int ("role", NULL, NULL, 0, NATTER_ROLE_ASSISTANT, 0, flags);
  message_properties[MSG_PROP_NAME] = string_property ("name");
  message_properties[MSG_PROP_CONTENT] = string_property ("content");
  message_properties[MSG_PROP_REASONING] = string_property ("reasoning");
  message_properties[MSG_PROP_N_SWIPES] =
    g_param_spec_uint ("n-swipes", NULL, NULL, 0, G_MAXUINT, 0, flags);
  message_properties[MSG_PROP_SWIPE_INDEX] =
    g_param_spec_uint ("swipe-index", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* A NatterSwipeState. */
  message_properties[MSG_PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, NATTER_SWIPE_STATE_CANCELLED, 0, flags);
  /* A NatterErrorCategory. */
  message_properties[MSG_PROP_ERROR_CATEGORY] =
    g_param_spec_int ("error-category", NULL, NULL, 0, G_MAXINT, 0, flags);
  message_properties[MSG_PROP_ERROR_MESSAGE] = string_property ("error-message");
  message_properties[MSG_PROP_CREATED_AT] = int64_property ("created-at");
  g_object_class_install_properties (object_class, MSG_N_PROPS, message_properties);
}

static void
natter_chat_message_init (NatterChatMessage *self)
{
}

gint64 natter_chat_message_get_id (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->id; }
gint64 natter_chat_message_get_chat_id (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->chat_id; }
gint64 natter_chat_message_get_position (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->position; }
NatterRole natter_chat_message_get_role (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->role; }
const char *natter_chat_message_get_name (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), NULL); return self->name; }
const char *natter_chat_message_get_content (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), NULL); return self->content; }
const char *natter_chat_message_get_reasoning (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), NULL); return self->reasoning; }
const char *natter_chat_message_get_model (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), NULL); return self->model; }
guint natter_chat_message_get_n_swipes (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->n_swipes; }
guint natter_chat_message_get_swipe_index (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->swipe_index; }
NatterSwipeState natter_chat_message_get_state (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->state; }
NatterErrorCategory natter_chat_message_get_error_category (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->error_category; }
const char *natter_chat_message_get_error_message (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), NULL); return self->error_message; }
gint64 natter_chat_message_get_created_at (NatterChatMessage *self) { g_return_val_if_fail (NATTER_IS_CHAT_MESSAGE (self), 0); return self->created_at; }

static void
update_string (NatterChatMessage  *self,
               char              **field,
               const char         *value,
               int                 prop)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      if (prop != 0)
        g_object_notify_by_pspec (G_OBJECT (self), message_properties[prop]);
    }
}

#define UPDATE_VALUE(self, fresh, field, prop) \
  G_STMT_START { \
    if ((self)->field != (fresh)->field) \
      { \
        (self)->field = (fresh)->field; \
        g_object_notify_by_pspec (G_OBJECT (self), message_properties[prop]); \
      } \
  } G_STMT_END

void
_natter_chat_message_update (NatterChatMessage *message,
                             NatterChatMessage *fresh)
{
  g_object_freeze_notify (G_OBJECT (message));
  message->position = fresh->position;
  UPDATE_VALUE (message, fresh, role, MSG_PROP_ROLE);
  update_string (message, &message->name, fresh->name, MSG_PROP_NAME);
  update_string (message, &message->content, fresh->content, MSG_PROP_CONTENT);
  update_string (message, &message->reasoning, fresh->reasoning, MSG_PROP_REASONING);
  update_string (message, &message->model, fresh->model, 0);
  UPDATE_VALUE (message, fresh, n_swipes, MSG_PROP_N_SWIPES);
  UPDATE_VALUE (message, fresh, swipe_index, MSG_PROP_SWIPE_INDEX);
  UPDATE_VALUE (message, fresh, state, MSG_PROP_STATE);
  UPDATE_VALUE (message, fresh, error_category, MSG_PROP_ERROR_CATEGORY);
  update_string (message, &message->error_message, fresh->error_message, MSG_PROP_ERROR_MESSAGE);
  UPDATE_VALUE (message, fresh, created_at, MSG_PROP_CREATED_AT);
  g_object_thaw_notify (G_OBJECT (message));
}
