/* natter-character-info.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-chat-store"

#include "config.h"

#include "natter-chat-info-private.h"

struct _NatterCharacterInfo
{
  GObject  parent_instance;
  gint64   id;
  char    *name;
  GBytes  *avatar;
};

G_DEFINE_FINAL_TYPE (NatterCharacterInfo, natter_character_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_AVATAR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
natter_character_info_finalize (GObject *object)
{
  NatterCharacterInfo *self = (NatterCharacterInfo *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->avatar, g_bytes_unref);

  G_OBJECT_CLASS (natter_character_info_parent_class)->finalize (object);
}

static void
natter_character_info_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  NatterCharacterInfo *self = NATTER_CHARACTER_INFO (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_AVATAR:
      g_value_set_boxed (value, self->avatar);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_character_info_class_init (NatterCharacterInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_character_info_finalize;
  object_class->get_property = natter_character_info_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AVATAR] =
    g_param_spec_boxed ("avatar", NULL, NULL, G_TYPE_BYTES,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
natter_character_info_init (NatterCharacterInfo *self)
{
  self->name = g_strdup ("");
}

NatterCharacterInfo *
_natter_character_info_new (gint64 id)
{
  NatterCharacterInfo *self = g_object_new (NATTER_TYPE_CHARACTER_INFO, NULL);

  self->id = id;

  return self;
}

void
_natter_character_info_update (NatterCharacterInfo *self,
                               const char          *name,
                               GBytes              *avatar)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->name, name ? name : "") != 0)
    {
      g_free (self->name);
      self->name = g_strdup (name ? name : "");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }
  if (!(self->avatar == avatar ||
        (self->avatar != NULL && avatar != NULL && g_bytes_equal (self->avatar, avatar))))
    {
      g_clear_pointer (&self->avatar, g_bytes_unref);
      self->avatar = avatar ? g_bytes_ref (avatar) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVATAR]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gint64 natter_character_info_get_id (NatterCharacterInfo *self) { g_return_val_if_fail (NATTER_IS_CHARACTER_INFO (self), 0); return self->id; }
const char *natter_character_info_get_name (NatterCharacterInfo *self) { g_return_val_if_fail (NATTER_IS_CHARACTER_INFO (self), NULL); return self->name; }
GBytes *natter_character_info_get_avatar (NatterCharacterInfo *self) { g_return_val_if_fail (NATTER_IS_CHARACTER_INFO (self), NULL); return self->avatar; }
