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

struct _NatterCard
{
  GObject   parent_instance;
  JsonNode *root;    /* object; never modified after construction */
  GBytes   *avatar;  /* PNG or NULL */
};

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

/* Deeper JSON is refused before json-glib's recursive parser sees it. */
#define CARD_MAX_JSON_DEPTH 256

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

static const char * const v1_fields[] = {
  "name", "description", "personality", "scenario", "first_mes", "mes_example",
};

/* ------------------------------------------------------------------ JSON */

/* Reads the four hex digits of a \u escape at text[at]; -1 if there are
 * not four. */
static gint32
read_hex4 (const char *text,
           gsize       len,
           gsize       at)
{
  gint32 value = 0;

  if (at > len || len - at < 4)
    return -1;
  for (gsize k = at; k < at + 4; k++)
    {
      int digit = g_ascii_xdigit_value (text[k]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* Checks the escape sequence whose backslash is at text[*i] and moves *i
 * to its last character. json-glib 1.6 accepts more than JSON allows and
 * reads it into text that cannot be written back: octal escapes (\222)
 * become raw bytes that are not UTF-8, unknown escapes (\q) lose their
 * backslash, \u with fewer than four hex digits is read anyway, and a
 * lone low surrogate becomes invalid UTF-8. Only the escapes of RFC 8259
 * are let through, with \u surrogates in pairs. */
static gboolean
check_json_escape (const char  *text,
                   gsize        len,
                   gsize       *i,
                   GError     **error)
{
  gsize at = *i;
  gint32 unit, low;

  if (at + 1 >= len)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON ends in the middle of a text"));
      return FALSE;
    }

  switch (text[at + 1])
    {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
      *i = at + 1;
      return TRUE;

    case 'u':
      break;

    default:
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON has an invalid escape sequence in a text: \\%.*s"),
                   (int) g_utf8_skip[(guchar) text[at + 1]], text + at + 1);
      return FALSE;
    }

  unit = read_hex4 (text, len, at + 2);
  if (unit < 0)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON has an invalid escape sequence in a text: "
                     "\\u must be followed by four hexadecimal digits"));
      return FALSE;
    }
  /* json-glib keeps strings NUL-terminated: \u0000 would cut them. */
  if (unit == 0)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON has a text with a NUL character (\\u0000) in it"));
      return FALSE;
    }
  if (unit >= 0xdc00 && unit <= 0xdfff)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON has an invalid escape sequence in a text: "
                     "\\u%04X is half of a character (a low surrogate without a high one)"),
                   (guint) unit);
      return FALSE;
    }
  if (unit >= 0xd800 && unit <= 0xdbff)
    {
      low = -1;
      if (at + 7 < len && text[at + 6] == '\\' && text[at + 7] == 'u')
        low = read_hex4 (text, len, at + 8);
      if (low < 0xdc00 || low > 0xdfff)
        {
          g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                       _("The JSON has an invalid escape sequence in a text: "
                         "\\u%04X is half of a character (a high surrogate without a low one)"),
                       (guint) unit);
          return FALSE;
        }
      *i = at + 11;
      return TRUE;
    }

  *i = at + 5;
  return TRUE;
}

/* Refuses what json-glib would misread instead of failing: nesting deep
 * enough to exhaust the stack, integers beyond 64 bits (which it
 * silently wraps around) and escapes that are not JSON (see above). */
static gboolean
check_json_text (const char *text,
                 gsize       len,
                 GError    **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            {
              if (!check_json_escape (text, len, &i, error))
                return FALSE;
            }
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > CARD_MAX_JSON_DEPTH)
            {
              g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                           _("The JSON is nested more than %d levels deep"),
                           CARD_MAX_JSON_DEPTH);
              return FALSE;
            }
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0)
            depth--;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gsize start = i, digits_start, n_digits;
          gboolean is_integer = TRUE;

          if (text[i] == '-')
            i++;
          digits_start = i;
          while (i < len && (g_ascii_isdigit (text[i]) || text[i] == '.' || text[i] == 'e'
                             || text[i] == 'E' || text[i] == '+' || text[i] == '-'))
            {
              if (!g_ascii_isdigit (text[i]))
                is_integer = FALSE;
              i++;
            }
          n_digits = i - digits_start;
          while (is_integer && n_digits > 1 && text[digits_start] == '0')
            digits_start++, n_digits--;
          if (is_integer && (n_digits > 19
                             || (n_digits == 19
                                 && strncmp (text + digits_start,
                                             text[start] == '-' ? "9223372036854775808" : "9223372036854775807",
                                             19) > 0)))
            {
              g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                           _("The JSON has a number too large to keep exactly: %.*s"),
                           (int) MIN (i - start, 40), text + start);
              return FALSE;
            }
          i--;
        }
    }

  return TRUE;
}

/* Doubles out of range parse as infinity, which JSON cannot express. */
static gboolean
numbers_are_finite (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        if (!numbers_are_finite (json_object_get_member (object, l->data)))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!numbers_are_finite (json_array_get_element (array, i)))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return isfinite (json_node_get_double (node));

  return TRUE;
}

static JsonNode *
parse_json_text (const char *text,
                 gsize       len,
                 GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (len > NATTER_CARD_MAX_JSON_SIZE)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE,
                   _("The JSON is too large (over %d MB)"),
                   NATTER_CARD_MAX_JSON_SIZE / (1024 * 1024));
      return NULL;
    }

  /* A UTF-8 byte order mark is common in files written on Windows. */
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    text += 3, len -= 3;

  if (!g_utf8_validate_len (text, len, NULL))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON is not valid UTF-8 text"));
      return NULL;
    }
  if (!check_json_text (text, len, error))
    return NULL;

  parser = json_parser_new ();
  if (len == 0 || !natter_json_parser_load (parser, text, (gssize) len, &local_error))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON is not valid: %s"),
                   local_error != NULL ? local_error->message : _("it is empty"));
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON is not valid: it is empty"));
      return NULL;
    }
  if (!numbers_are_finite (root))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_JSON,
                   _("The JSON has a number too large to keep"));
      return NULL;
    }
  return g_steal_pointer (&root);
}

JsonNode *
_natter_card_parse_json (const char  *text,
                         gsize        len,
                         GError     **error)
{
  return parse_json_text (text, len, error);
}

static char *
node_to_text (JsonNode *node,
              gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* json_node_copy() shares objects and arrays with the original; this
 * does not. Depth is bounded by CARD_MAX_JSON_DEPTH. */
static JsonNode *
deep_copy (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *src = json_node_get_object (node);
      g_autoptr(JsonObject) dst = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (src);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (dst, l->data, deep_copy (json_object_get_member (src, l->data)));
      return json_node_init_object (json_node_alloc (), dst);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *src = json_node_get_array (node);
      g_autoptr(JsonArray) dst = json_array_sized_new (json_array_get_length (src));

      for (guint i = 0; i < json_array_get_length (src); i++)
        json_array_add_element (dst, deep_copy (json_array_get_element (src, i)));
      return json_node_init_array (json_node_alloc (), dst);
    }
  return json_node_copy (node);
}

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return "";
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

static JsonObject *
object_get_object (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* Builds the V2 layout from a V1 card (see natter-card.h). */
static JsonNode *
upgrade_v1 (JsonObject *v1)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (v1);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      gboolean is_v1_field = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (v1_fields); i++)
        is_v1_field |= strcmp (key, v1_fields[i]) == 0;
      if (!is_v1_field)
        json_object_set_member (root, key, json_node_copy (json_object_get_member (v1, key)));
    }

  for (guint i = 0; i < G_N_ELEMENTS (v1_fields); i++)
    {
      JsonNode *value = json_object_get_member (v1, v1_fields[i]);

      if (value != NULL)
        json_object_set_member (data, v1_fields[i], json_node_copy (value));
      else
        json_object_set_string_member (data, v1_fields[i], "");
    }
  json_object_set_string_member (data, "creator_notes", "");
  json_object_set_string_member (data, "system_prompt", "");
  json_object_set_string_member (data, "post_history_instructions", "");
  json_object_set_array_member (data, "alternate_greetings", json_array_new ());
  json_object_set_array_member (data, "tags", json_array_new ());
  json_object_set_string_member (data, "creator", "");
  json_object_set_string_member (data, "character_version", "");
  json_object_set_object_member (data, "extensions", json_object_new ());

  json_object_set_string_member (root, "spec", "chara_card_v2");
  if (!json_object_has_member (root, "spec_version"))
    json_object_set_string_member (root, "spec_version", "2.0");
  json_object_set_object_member (root, "data", g_steal_pointer (&data));

  return json_node_init_object (json_node_alloc (), root);
}

/* Takes a parsed tree, returns the card tree (V1 upgraded) or NULL. */
static JsonNode *
normalize_card (JsonNode  *node,
                GError   **error)
{
  JsonObject *root;
  JsonNode *data;
  JsonNode *spec;
  g_autoptr(JsonNode) card = NULL;
  const char *name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_CARD,
                   _("This is not a character card: its JSON is not an object"));
      return NULL;
    }

  root = json_node_get_object (node);
  data = json_object_get_member (root, "data");
  spec = json_object_get_member (root, "spec");

  if (spec != NULL && (!JSON_NODE_HOLDS_VALUE (spec) || json_node_get_value_type (spec) != G_TYPE_STRING))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_CARD,
                   _("This is not a character card: its “spec” is not a string"));
      return NULL;
    }
  if (data != NULL && !JSON_NODE_HOLDS_OBJECT (data))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_CARD,
                   _("This is not a character card: its “data” is not an object"));
      return NULL;
    }
  if (data == NULL && spec != NULL)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_CARD,
                   _("The card says it is “%s” but has no “data” object"),
                   json_node_get_string (spec));
      return NULL;
    }

  if (data == NULL)
    card = upgrade_v1 (root);
  else
    card = json_node_ref (node);

  name = object_get_string (object_get_object (json_node_get_object (card), "data"), "name");
  while (g_ascii_isspace (*name))
    name++;
  if (name[0] == '\0')
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_MISSING_NAME,
                   _("The character card has no name"));
      return NULL;
    }

  return g_steal_pointer (&card);
}

/* ---------------------------------------------------------------- base64 */

/* g_base64_decode() skips characters it does not know and drops an
 * unpadded tail, so the text is checked and padded here first. */
static GBytes *
decode_base64 (GBytes  *text,
               GError **error)
{
  const char *in;
  gsize len;
  g_autoptr(GString) clean = NULL;
  guint padding = 0;
  gsize out_len = 0;

  in = g_bytes_get_data (text, &len);
  clean = g_string_sized_new (len + 4);

  for (gsize i = 0; i < len; i++)
    {
      char c = in[i];

      if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
        continue;
      if (c == '=')
        {
          padding++;
          if (padding > 2)
            break;
          continue;
        }
      if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        {
          g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_BASE64,
                       _("The card data in the image is not valid base64 (unexpected character at position %" G_GSIZE_FORMAT ")"),
                       i);
          return NULL;
        }
      g_string_append_c (clean, c);
    }

  if (padding > 2 || clean->len == 0 || clean->len % 4 == 1
      || (padding > 0 && (clean->len + padding) % 4 != 0))
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_BASE64,
                   _("The card data in the image is not valid base64"));
      return NULL;
    }
  while (clean->len % 4 != 0)
    g_string_append_c (clean, '=');

  g_base64_decode_inplace (clean->str, &out_len);
  return g_bytes_new (clean->str, out_len);
}

/* A card chunk's text: base64 JSON, or (leniently) plain JSON. */
static JsonNode *
parse_chunk (GBytes  *text,
             GError **error)
{
  g_autoptr(GBytes) decoded = NULL;
  const char *data;
  gsize len;

  data = g_bytes_get_data (text, &len);
  while (len > 0 && g_ascii_isspace (data[0]))
    data++, len--;
  if (len > 0 && data[0] == '{')
    return parse_json_text (data, len, error);

  decoded = decode_base64 (text, error);
  if (decoded == NULL)
    return NULL;
  data = g_bytes_get_data (decoded, &len);
  return parse_json_text (data, len, error);
}

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

static NatterCard *
card_new_take (JsonNode *root,
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
      parsed = parse_chunk (ccv3, error);
      if (parsed == NULL)
        return NULL;

      if (chara != NULL)
        {
          g_autoptr(JsonNode) v2 = parse_chunk (chara, NULL);

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
      parsed = parse_chunk (chara, error);
      if (parsed == NULL)
        return NULL;
    }

  card = normalize_card (parsed, error);
  if (card == NULL)
    return NULL;

  avatar = natter_png_set_text_chunks (bytes, card_keywords, no_texts, &local_error);
  if (avatar == NULL)
    {
      map_png_error (local_error, error);
      return NULL;
    }

  return card_new_take (g_steal_pointer (&card), g_steal_pointer (&avatar));
}

static gboolean
is_embedded_uri (const char  *uri,
                 const char **path)
{
  if (g_str_has_prefix (uri, "embeded://"))
    *path = uri + strlen ("embeded://");
  else if (g_str_has_prefix (uri, "embedded://"))
    *path = uri + strlen ("embedded://");
  else
    return FALSE;
  return **path != '\0';
}

/* Where natter_card_export_charx() puts the avatar when the card does not
 * name a place for it, and the card as it was before the V3 upgrade. */
#define CHARX_ICON_PATH     "assets/icon/images/main.png"
#define CHARX_ORIGINAL_PATH "natter/original-card.json"

static gboolean
charx_path_is_usable (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path == NULL || path[0] == '\0' || path[0] == '/' || strchr (path, '\\') != NULL
      || g_str_equal (path, "card.json") || g_str_equal (path, CHARX_ORIGINAL_PATH))
    return FALSE;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] == '\0' || g_str_equal (parts[i], ".") || g_str_equal (parts[i], ".."))
      return FALSE;
  return TRUE;
}

/* The zip path of the card's main icon, or NULL. Paths that
 * cannot name an asset (card.json, "..", absolute) are passed over. */
static const char *
find_icon_path (JsonObject *data)
{
  JsonNode *assets = json_object_get_member (data, "assets");
  const char *first = NULL;
  JsonArray *array;

  if (assets == NULL || !JSON_NODE_HOLDS_ARRAY (assets))
    return NULL;
  array = json_node_get_array (assets);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *asset;
      const char *path;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      asset = json_node_get_object (element);
      if (!g_str_equal (object_get_string (asset, "type"), "icon")
          || !is_embedded_uri (object_get_string (asset, "uri"), &path)
          || !charx_path_is_usable (path))
        continue;
      if (g_str_equal (object_get_string (asset, "name"), "main"))
        return path;
      if (first == NULL)
        first = path;
    }

  return first;
}

/* The card.json that natter_card_export_charx() writes for @root: spec
 * "chara_card_v3" / "3.0", and with @with_icon a main icon asset (the
 * card's own embedded icon when it has a usable one, else one added at
 * CHARX_ICON_PATH). *@icon_path (owned by the result) is where the avatar
 * goes. NULL when "data.assets" is there but not an array. */
static JsonNode *
charx_card_json (JsonNode    *root,
                 gboolean     with_icon,
                 const char **icon_path)
{
  g_autoptr(JsonNode) copy = deep_copy (root);
  JsonObject *object = json_node_get_object (copy);
  JsonObject *data = object_get_object (object, "data");
  JsonNode *assets;
  JsonObject *asset;
  const char *path;

  *icon_path = NULL;
  if (!g_str_equal (object_get_string (object, "spec"), "chara_card_v3")
      || !g_str_equal (object_get_string (object, "spec_version"), "3.0"))
    {
      json_object_set_string_member (object, "spec", "chara_card_v3");
      json_object_set_string_member (object, "spec_version", "3.0");
    }
  if (!with_icon)
    return g_steal_pointer (&copy);

  path = find_icon_path (data);
  if (path != NULL)
    {
      *icon_path = path;
      return g_steal_pointer (&copy);
    }

  assets = json_object_get_member (data, "assets");
  if (assets == NULL)
    {
      json_object_set_array_member (data, "assets", json_array_new ());
      assets = json_object_get_member (data, "assets");
    }
  else if (!JSON_NODE_HOLDS_ARRAY (assets))
    return NULL;

  asset = json_object_new ();
  json_object_set_string_member (asset, "type", "icon");
  json_object_set_string_member (asset, "uri", "embeded://" CHARX_ICON_PATH);
  json_object_set_string_member (asset, "name", "main");
  json_object_set_string_member (asset, "ext", "png");
  json_array_add_object_element (json_node_get_array (assets), asset);
  *icon_path = CHARX_ICON_PATH;
  return g_steal_pointer (&copy);
}

/* True when @card (from card.json) is what the exporter writes for
 * @original, i.e. nothing was changed in card.json since. */
static gboolean
charx_is_upgrade_of (JsonNode *card,
                     JsonNode *original)
{
  for (guint with_icon = 0; with_icon < 2; with_icon++)
    {
      const char *path;
      g_autoptr(JsonNode) expected = charx_card_json (original, with_icon, &path);

      if (expected != NULL && json_node_equal (expected, card))
        return TRUE;
    }
  return FALSE;
}

static NatterCard *
load_charx (GBytes  *bytes,
            GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) json = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) card = NULL;
  g_autoptr(GBytes) avatar = NULL;
  g_autoptr(GBytes) original_json = NULL;
  g_autoptr(JsonNode) original = NULL;
  const char *icon_path;
  const char *text;
  gsize len;

  json = natter_charx_read_card_json (bytes, &local_error);
  if (json == NULL)
    {
      if (g_error_matches (local_error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_NOT_FOUND))
        g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_NO_CARD,
                     _("The CHARX file has no card.json"));
      else if (g_error_matches (local_error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_TOO_LARGE))
        g_set_error_literal (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE,
                             local_error->message);
      else
        g_set_error_literal (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED,
                             local_error->message);
      return NULL;
    }

  text = g_bytes_get_data (json, &len);
  parsed = parse_json_text (text, len, error);
  if (parsed == NULL)
    return NULL;
  card = normalize_card (parsed, error);
  if (card == NULL)
    return NULL;

  icon_path = find_icon_path (json_node_get_object (json_object_get_member (json_node_get_object (card), "data")));

  /* A card that natter_card_export_charx() upgraded to V3 (or gave an
   * icon asset) comes back as it was, unless card.json was edited since. */
  original_json = natter_charx_read_entry (bytes, CHARX_ORIGINAL_PATH,
                                          NATTER_CHARX_MAX_CARD_JSON, NULL);
  if (original_json != NULL)
    {
      g_autoptr(JsonNode) original_parsed = NULL;

      text = g_bytes_get_data (original_json, &len);
      original_parsed = parse_json_text (text, len, NULL);
      if (original_parsed != NULL)
        original = normalize_card (original_parsed, NULL);
      if (original != NULL && !charx_is_upgrade_of (card, original))
        {
          g_debug ("CHARX %s does not match card.json; using card.json", CHARX_ORIGINAL_PATH);
          g_clear_pointer (&original, json_node_unref);
        }
    }

  if (icon_path != NULL)
    {
      avatar = natter_charx_read_entry (bytes, icon_path, NATTER_CHARX_MAX_ASSET, &local_error);
      if (avatar == NULL)
        {
          if (g_error_matches (local_error, NATTER_CHARX_ERROR, NATTER_CHARX_ERROR_TOO_LARGE))
            {
              g_set_error_literal (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_TOO_LARGE,
                                   local_error->message);
              return NULL;
            }
          g_debug ("CHARX icon not usable: %s", local_error->message);
          g_clear_error (&local_error);
        }
      else
        {
          g_autoptr(GArray) chunks = natter_png_parse_chunks (avatar, &local_error);

          if (chunks == NULL)
            {
              /* Not a (sound) PNG, e.g. WebP art: the card keeps no avatar. */
              g_debug ("CHARX icon is not a PNG: %s", local_error->message);
              g_clear_error (&local_error);
              g_clear_pointer (&avatar, g_bytes_unref);
            }
        }
    }

  if (original != NULL)
    return card_new_take (g_steal_pointer (&original), g_steal_pointer (&avatar));
  return card_new_take (g_steal_pointer (&card), g_steal_pointer (&avatar));
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
  parsed = parse_json_text (text, len, error);
  if (parsed == NULL)
    return NULL;
  card = normalize_card (parsed, error);
  if (card == NULL)
    return NULL;
  return card_new_take (card, NULL);
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
    return load_charx (bytes, error);

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

  return object_get_object (json_node_get_object (self->root), "data");
}

char *
natter_card_dup_json (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return node_to_text (self->root, FALSE);
}

#define DATA_STRING_GETTER(field) \
  const char * \
  natter_card_get_##field (NatterCard *self) \
  { \
    g_return_val_if_fail (NATTER_IS_CARD (self), NULL); \
    return object_get_string (natter_card_get_data (self), #field); \
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

  return object_get_string (json_node_get_object (self->root), "spec");
}

const char *
natter_card_get_spec_version (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return object_get_string (json_node_get_object (self->root), "spec_version");
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

  return object_get_object (natter_card_get_data (self), "character_book");
}

JsonObject *
natter_card_get_extensions (NatterCard *self)
{
  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);

  return object_get_object (natter_card_get_data (self), "extensions");
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

  text = node_to_text (self->root, TRUE);
  len = strlen (text);
  text = g_realloc (text, len + 2);
  text[len] = '\n';
  text[len + 1] = '\0';
  return g_bytes_new_take (text, len + 1);
}

static char *
node_to_base64 (JsonNode *node)
{
  g_autofree char *text = node_to_text (node, FALSE);

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

  other = deep_copy (self->root);
  copy = json_node_get_object (other);

  if (g_str_equal (natter_card_get_spec (self), "chara_card_v3"))
    {
      /* V2 backfill of a V3 card: every field kept, the V3 notice added. */
      JsonObject *data = object_get_object (copy, "data");
      const char *notes = object_get_string (data, "creator_notes");
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

GBytes *
natter_card_export_charx (NatterCard  *self,
                          GBytes      *avatar_png,
                          GError     **error)
{
  g_autoptr(JsonNode) v3 = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) card_json = NULL;
  g_autoptr(GBytes) original_json = NULL;
  g_autoptr(GBytes) zip = NULL;
  GBytes *avatar;
  const char *icon_path = NULL;
  const char *paths[4] = { NULL, NULL, NULL, NULL };
  GBytes *contents[4] = { NULL, NULL, NULL, NULL };
  guint n = 0;
  char *text;

  g_return_val_if_fail (NATTER_IS_CARD (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  avatar = avatar_png != NULL ? avatar_png : self->avatar;
  if (avatar != NULL)
    {
      g_autoptr(GArray) chunks = natter_png_parse_chunks (avatar, &local_error);

      if (chunks == NULL)
        {
          g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED,
                       _("The card's avatar cannot be used for a CHARX card: %s"),
                       local_error->message);
          return NULL;
        }
    }

  v3 = charx_card_json (self->root, avatar != NULL, &icon_path);
  if (v3 == NULL)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_INVALID_CARD,
                   _("The card's “assets” member is not a list, so the avatar cannot be added to it"));
      return NULL;
    }

  text = node_to_text (v3, FALSE);
  card_json = g_bytes_new_take (text, strlen (text));
  paths[n] = "card.json";
  contents[n++] = card_json;
  if (icon_path != NULL)
    {
      paths[n] = icon_path;
      contents[n++] = avatar;
    }
  if (!json_node_equal (v3, self->root))
    {
      text = node_to_text (self->root, FALSE);
      original_json = g_bytes_new_take (text, strlen (text));
      paths[n] = CHARX_ORIGINAL_PATH;
      contents[n++] = original_json;
    }

  zip = natter_charx_write (paths, contents, &local_error);
  if (zip == NULL)
    {
      g_set_error (error, NATTER_CARD_ERROR, NATTER_CARD_ERROR_DAMAGED,
                   _("The CHARX file cannot be written: %s"), local_error->message);
      return NULL;
    }
  return g_steal_pointer (&zip);
}
