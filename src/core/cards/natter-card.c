/* natter-card.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-card"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "natter-card-private.h"
#include "natter-charx.h"
#include "natter-png.h"
#include "natter-json.h"

G_DEFINE_TYPE (NatterCard, natter_card, G_TYPE_OBJECT)
G_DEFINE_QUARK (natter-card-error-quark, natter_card_error)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SPEC,
  PROP_AVATAR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Recommended by the V3 spec for the V2 backfill of a V3 card. It is part
 * of the file format, so it is not translated. */
#define V3_BACKFILL_NOTICE \
  "This character card is Character Card V3, but it is loaded as a Character Card V2. " \
  "Please use a Character Card V3 compatible application to use this character card properly."

/* A 64×64 plain PNG used when exporting a card that has no avatar. */
static const guint8 builtin_avatar_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x40, 0x08, 0x02, 0x00, 0x00, 0x00, 0x25, 0x0b, 0xe6,
  0x89, 0x00, 0x00, 0x00, 0x50, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0xed, 0xcf, 0x41, 0x09, 0x00,
  0x00, 0x08, 0x04, 0xb0, 0xeb, 0xff, 0xb1, 0x86, 0x51, 0x8c, 0x65, 0x04, 0xdf, 0xc2, 0x60, 0x05,
  0x96, 0xea, 0x79, 0x2d, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
  0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
  0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02,
  0x02, 0x02, 0x02, 0x97, 0x05, 0xc8, 0x09, 0xf1, 0xd2, 0x1d, 0xc0, 0x0c, 0x11, 0x00, 0x00, 0x00,
  0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* -------------------------------------------------------------- GObject */

static void
natter_card_finalize (GObject *object)
{
  NatterCard *self = (NatterCard *) object;

  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->avatar, g_bytes_unref);

  G_OBJECT_CLASS (natter_card_parent_class)->finalize (object);
}

static void
natter_card_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NatterCard *self = NATTER_CARD (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, natter_card_get_name (self));
      break;
    case PROP_SPEC:
      g_value_set_string (value, natter_card_get_spec (self));
      break;
    case PROP_AVATAR:
      g_value_set_boxed (value, self->avatar);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_card_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  NatterCard *self = NATTER_CARD (object);

  switch (prop_id)
    {
    case PROP_AVATAR:
      natter_card_set_avatar (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
natter_card_class_init (NatterCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = natter_card_finalize;
  object_class->get_property = natter_card_get_property;
  object_class->set_property = natter_card_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SPEC] =
    g_param_spec_string ("spec", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AVATAR] =
    g_param_spec_boxed ("avatar", NULL, NULL, G_TYPE_BYTES,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
natter_card_init (NatterCard *self)
{
}

NatterCard *
_natter_card_new_take (JsonNode *root,
                       GBytes   *avatar)
{
  NatterCard *self = g_object_new (NATTER_TYPE_CARD, NULL);

  self->root = root;
  self->avatar = avatar;
  return self;
}

/* --------------------------------------------------------------- import */

static void
map_png_error (GError  *png_error,
               GError **error)
{
  NatterCardError code;

  switch (png_error->code)
    {
    case NATTER_PNG_ERROR_NOT_PNG:
      code = NATTER_CARD_ERROR_UNKNOWN_FORMAT;
      break;
    case NATTER_PNG_ERROR_TRUNCATED:
      code = NATTER_CARD_ERROR_TRUNCATED;
      break;
    case NATTER_PNG_ERROR_BAD_CRC:
      code = NATTER_CARD_ERROR_BAD_CRC;
      break;
    case NATTER_PNG_ERROR_TOO_LARGE:
      code = NATTER_CARD_ERROR_TOO_LARGE;
      break;
    case NATTER_PNG_ERROR_MALFORMED:
    default:
      code = NATTER_CARD_ERROR_DAMAGED;
      break;
    }
  g_set_error_literal (error, NATTER_CARD_ERROR, code, png_error->message);
}

static gboolean
equal_except_spec (JsonNode *a,
                   JsonNode *b)
{
  JsonObject *oa, *ob;
  g_autoptr(GList) members = NULL;
  guint na = 0, nb = 0;

  if (!JSON_NODE_HOLDS_OBJECT (a) || !JSON_NODE_HOLDS_OBJECT (b))
    return FALSE;
  oa = json_node_get_object (a);
  ob = json_node_get_object (b);

  members = json_object_get_members (oa);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *other;

      if (g_str_equal (l->data, "spec") || g_str_equal (l->data, "spec_version"))
        continue;
      na++;
      other = json_object_get_member (ob, l->data);
      if (other == NULL || !json_node_equal (json_object_get_member (oa, l->data), other))
        return FALSE;
    }
  g_clear_pointer (&members, g_list_free);
  members = json_object_get_members (ob);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "spec") && !g_str_equal (l->data, "spec_version"))
      nb++;

  return na == nb;
}

static NatterCard *
load_png (GBytes     *bytes,
          GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) chara_error = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) card = NULL;
  g_autoptr(GBytes) avatar = NULL;
  g_autoptr(GBytes) ccv3 = NULL;
  g_autoptr(GBytes) chara = NULL;
  static const char * const card_keywords[] = { "chara", "ccv3", NULL };
  static const char * const no_texts[] = { NULL, NULL };

  /* tEXt, zTXt or iTXt. A "ccv3" chunk that cannot be read is an error
   * even when there is a "chara" chunk, as with bad base64 in it. */
  if (!natter_png_read_text (bytes, "ccv3", NATTER_CARD_MAX_TEXT_SIZE, &ccv3, &local_error))
    {
      map_png_error (local_error, error);
      return NULL;
    }
  if (!natter_png_read_text (bytes, "chara", NATTER_CARD_MAX_TEXT_SIZE, &chara, &chara_error)
      && ccv3 == NULL)
    {
      map_png_error (chara_error, error);
      return NULL;
    }

  if (ccv3 == NULL && chara == NULL)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_NO_CARD,
                   _("The image has no character card in it (no “chara” or “ccv3” text chunk)"));
      return NULL;
    }

  if (ccv3 != NULL)
    {
      parsed = _natter_card_parse_chunk (ccv3, error);
      if (parsed == NULL)
        return NULL;

      if (chara != NULL)
        {
          g_autoptr(JsonNode) v2 = _natter_card_parse_chunk (chara, NULL);

          if (v2 != NULL && equal_except_spec (v2, parsed))
            {
              g_debug ("“ccv3” chunk is an upgrade of the “chara” card; using “chara”");
              g_clear_pointer (&parsed, json_node_unref);
              parsed = g_steal_pointer (&v2);
            }
        }
    }
  else
    {
      parsed = _natter_card_parse_chunk (chara, error);
      if (parsed == NULL)
        return NULL;
    }

  card = _natter_card_normalize (parsed, error);
  if (card == NULL)
    return NULL;

  avatar = natter_png_set_text_chunks (bytes, card_keywords, no_texts, &local_error);
  if (avatar == NULL)
    {
      map_png_error (local_error, error);
      return NULL;
    }

  return _natter_card_new_take (g_steal_pointer (&card), g_steal_pointer (&avatar));
}

static NatterCard *
load_json (GBytes  *bytes,
           GError **error)
{
  g_autoptr(JsonNode) parsed = NULL;
  JsonNode *card;
  const char *text;
  gsize len;

  text = g_bytes_get_data (bytes, &len);
  parsed = _natter_card_parse_json_text (text, len, error);
  if (parsed == NULL)
    return NULL;
  card = _natter_card_normalize (parsed, error);
  if (card == NULL)
    return NULL;
  return _natter_card_new_take (card, NULL);
}

NatterCard *
natter_card_load_bytes (GBytes     *bytes,
                        const char *filename_hint,
                        GError    **error)
{
  const guint8 *data;
  gsize size, i = 0;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &size);
  if (size > NATTER_CARD_MAX_FILE_SIZE)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE,
                   _("The card file is too large (over %d MB)"),
                   NATTER_CARD_MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }

  if (natter_png_has_signature (data, size))
    return load_png (bytes, error);
  if (natter_charx_has_signature (data, size))
    return _natter_card_load_charx (bytes, error);

  if (size >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    i = 3;
  while (i < size && g_ascii_isspace (data[i]))
    i++;
  if (i < size && (data[i] == '{' || data[i] == '['))
    return load_json (bytes, error);

  if (filename_hint != NULL && g_str_has_suffix (filename_hint, ".json"))
    g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                 _("“%s” is not valid JSON"), filename_hint);
  else if (filename_hint != NULL && g_str_has_suffix (filename_hint, ".png"))
    g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_UNKNOWN_FORMAT,
                 _("“%s” is not a PNG image"), filename_hint);
  else
    g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_UNKNOWN_FORMAT,
                 _("This is not a character card: it is not a PNG image, a JSON file or a CHARX (zip) file"));
  return NULL;
}

NatterCard *
natter_card_load_file (const char  *path,
                       GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *basename = NULL;
  gsize n_read = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  basename = g_file_get_basename (file);
  in = g_file_read (file, NULL, error);
  if (in == NULL)
    return NULL;

  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  if (info != NULL && !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    g_clear_object (&info);
  if (info != NULL && g_file_info_get_size (info) > NATTER_CARD_MAX_FILE_SIZE)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE,
                   _("“%s” is too large to be a character card (over %d MB)"),
                   basename, NATTER_CARD_MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }

  /* The size can lie (pipes, files that grow): read at most the cap plus
   * one byte to tell a file at the cap from a larger one. */
  buffer = g_byte_array_sized_new (info != NULL ? (guint) g_file_info_get_size (info) + 1 : 65536);
  for (;;)
    {
      gsize want = MIN (65536, (gsize) NATTER_CARD_MAX_FILE_SIZE + 1 - buffer->len);

      g_byte_array_set_size (buffer, buffer->len + want);
      if (!g_input_stream_read_all (G_INPUT_STREAM (in), buffer->data + buffer->len - want,
                                    want, &n_read, NULL, error))
        return NULL;
      g_byte_array_set_size (buffer, buffer->len - want + n_read);
      if (buffer->len > NATTER_CARD_MAX_FILE_SIZE)
        {
          g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE,
                       _("“%s” is too large to be a character card (over %d MB)"),
                       basename, NATTER_CARD_MAX_FILE_SIZE / (1024 * 1024));
          return NULL;
        }
      if (n_read < want)
        break;
    }

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
  return natter_card_load_bytes (bytes, basename, error);
}

NatterCard *
natter_card_new_from_json (const char  *json,
                           GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_new_static (json, strlen (json));
  return load_json (bytes, error);
}

/* ------------------------------------------------------------ accessors */

JsonNode *
natter_card_get_root (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return self->root;
}

JsonObject *
natter_card_get_data (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return _natter_card_object_get_object (json_node_get_object (self->root), "data");
}

char *
natter_card_dup_json (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return _natter_card_node_to_text (self->root, FALSE);
}

#define DATA_STRING_GETTER(field) \
  const char * \
  natter_card_get_##field (NatterCard *self) \
  { \
    g_return_val_if_fail (NATTER_IS_CARD (self), NULL); \
    return _natter_card_object_get_string (natter_card_get_data (self), #field); \
  }

DATA_STRING_GETTER (name)
DATA_STRING_GETTER (description)
DATA_STRING_GETTER (personality)
DATA_STRING_GETTER (scenario)
DATA_STRING_GETTER (first_mes)
DATA_STRING_GETTER (mes_example)
DATA_STRING_GETTER (system_prompt)
DATA_STRING_GETTER (post_history_instructions)
DATA_STRING_GETTER (creator_notes)
DATA_STRING_GETTER (creator)
DATA_STRING_GETTER (character_version)

const char *
natter_card_get_spec (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return _natter_card_object_get_string (json_node_get_object (self->root), "spec");
}

const char *
natter_card_get_spec_version (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return _natter_card_object_get_string (json_node_get_object (self->root), "spec_version");
}

static char **
dup_string_array (NatterCard *self,
                  const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonObject *data = natter_card_get_data (self);
  JsonNode *node = data != NULL ? json_object_get_member (data, member) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }

  return g_strv_builder_end (builder);
}

char **
natter_card_dup_tags (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return dup_string_array (self, "tags");
}

char **
natter_card_dup_alternate_greetings (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return dup_string_array (self, "alternate_greetings");
}

char **
natter_card_dup_group_only_greetings (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return dup_string_array (self, "group_only_greetings");
}

JsonObject *
natter_card_get_character_book (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return _natter_card_object_get_object (natter_card_get_data (self), "character_book");
}

JsonObject *
natter_card_get_extensions (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return _natter_card_object_get_object (natter_card_get_data (self), "extensions");
}

GBytes *
natter_card_get_avatar (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return self->avatar;
}

void
natter_card_set_avatar (NatterCard *self,
                        GBytes     *avatar)
{
  g_return_if_fail (NATTER_IS_CARD (self));

  if (self->avatar == avatar)
    return;
  g_clear_pointer (&self->avatar, g_bytes_unref);
  if (avatar != NULL)
    self->avatar = g_bytes_ref (avatar);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVATAR]);
}

/* --------------------------------------------------------------- export */

GBytes *
natter_card_export_json (NatterCard *self)
{
  char *text;
  gsize len;

  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  text = _natter_card_node_to_text (self->root, TRUE);
  len = strlen (text);
  text = g_realloc (text, len + 2);
  text[len] = '\n';
  text[len + 1] = '\0';
  return g_bytes_new_take (text, len + 1);
}

static char *
node_to_base64 (JsonNode *node)
{
  g_autofree char *text = _natter_card_node_to_text (node, FALSE);

  return g_base64_encode ((const guchar *) text, strlen (text));
}

GBytes *
natter_card_export_png (NatterCard  *self,
                        GError     **error)
{
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(GBytes) base = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *chara_b64 = NULL;
  g_autofree char *ccv3_b64 = NULL;
  const char *keywords[] = { "chara", "ccv3", NULL };
  const char *texts[3] = { NULL, NULL, NULL };
  JsonObject *copy;
  GBytes *png;

  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  other = _natter_card_deep_copy (self->root);
  copy = json_node_get_object (other);

  if (g_str_equal (natter_card_get_spec (self), "chara_card_v3"))
    {
      /* V2 backfill of a V3 card: every field kept, the V3 notice added. */
      JsonObject *data = _natter_card_object_get_object (copy, "data");
      const char *notes = _natter_card_object_get_string (data, "creator_notes");
      g_autofree char *backfill_notes = NULL;

      json_object_set_string_member (copy, "spec", "chara_card_v2");
      json_object_set_string_member (copy, "spec_version", "2.0");
      backfill_notes = g_strconcat (notes, notes[0] != '\0' ? "\n\n" : "", V3_BACKFILL_NOTICE, NULL);
      json_object_set_string_member (data, "creator_notes", backfill_notes);

      chara_b64 = node_to_base64 (other);
      ccv3_b64 = node_to_base64 (self->root);
    }
  else
    {
      json_object_set_string_member (copy, "spec", "chara_card_v3");
      json_object_set_string_member (copy, "spec_version", "3.0");

      chara_b64 = node_to_base64 (self->root);
      ccv3_b64 = node_to_base64 (other);
    }
  texts[0] = chara_b64;
  texts[1] = ccv3_b64;

  if (self->avatar != NULL)
    base = g_bytes_ref (self->avatar);
  else
    base = g_bytes_new_static (builtin_avatar_png, sizeof builtin_avatar_png);

  png = natter_png_set_text_chunks (base, keywords, texts, &local_error);
  if (png == NULL)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED,
                   _("The card's avatar cannot be used for a PNG card: %s"), local_error->message);
      return NULL;
    }

  return png;
}
