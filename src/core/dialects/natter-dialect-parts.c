/* natter-dialect-parts.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Attachments in each provider's own shape:
 * - OpenAI chat (and every compatible server, Azure, Cohere v2): "content"
 *   parts {"type":"text","text"} and {"type":"image_url","image_url":{"url":
 *   "data:image/png;base64,…"}} (platform.openai.com/docs/guides/vision,
 *   docs.cohere.com/docs/image-inputs);
 * - Anthropic: {"type":"image","source":{"type":"base64","media_type",
 *   "data"}} blocks (docs.anthropic.com/en/docs/build-with-claude/vision);
 * - Gemini: {"inline_data":{"mime_type","data"}} parts; Vertex AI's
 *   documents spell them "inlineData", "mimeType";
 * - Ollama /api/chat: "images": [base64 …] beside "content";
 * - Bedrock Converse: {"image":{"format":"jpeg","source":{"bytes":…}}}
 *   (a blob is base64 in the JSON protocol).
 * Text files and PDF text go in as text parts named after their file. */

#define G_LOG_DOMAIN "natter-dialect-parts"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-dialect-parts-private.h"
#include "natter-dialects-private.h"
#include "natter-image-fit.h"

#define MB (1024 * 1024)

static gboolean has_attachments (const NatterPromptMessage *message);

void
natter_prompt_message_copy_attachments (NatterPromptMessage       *dest,
                                        const NatterPromptMessage *src)
{
  g_return_if_fail (dest != NULL);

  if (src == NULL || src->attachments == NULL)
    return;
  for (guint i = 0; i < src->attachments->len; i++)
    natter_prompt_message_add_attachment (dest,
                                          natter_attachment_copy (g_ptr_array_index (src->attachments, i)));
}

gboolean
natter_prompt_has_attachments (const NatterPrompt *prompt)
{
  for (guint i = 0; prompt != NULL && prompt->messages != NULL && i < prompt->messages->len; i++)
    {
      const NatterPromptMessage *message = g_ptr_array_index (prompt->messages, i);

      if (message->attachments != NULL && message->attachments->len > 0)
        return TRUE;
    }
  return FALSE;
}

char *
natter_attachment_to_text (const NatterAttachment *attachment)
{
  const char *name = attachment->filename ? attachment->filename : "attachment";
  gsize len = 0;
  const char *text = attachment->data ? g_bytes_get_data (attachment->data, &len) : NULL;

  /* Words for the model, not for the person: not translated. The end
   * line follows the last line of the file, without a blank line. */
  return g_strdup_printf ("[File: %s]\n%.*s%s[End of file: %s]", name,
                          (int) len, text ? text : "",
                          len > 0 && text[len - 1] == '\n' ? "" : "\n", name);
}

char *
natter_prompt_message_dup_text_with_files (const NatterPromptMessage *message)
{
  GString *text;

  g_return_val_if_fail (message != NULL, NULL);

  text = g_string_new (message->content);
  for (guint i = 0; message->attachments != NULL && i < message->attachments->len; i++)
    {
      const NatterAttachment *attachment = g_ptr_array_index (message->attachments, i);

      if (text->len > 0)
        g_string_append (text, "\n\n");
      if (attachment->kind == NATTER_ATTACHMENT_TEXT)
        {
          g_autofree char *file = natter_attachment_to_text (attachment);
          g_string_append (text, file);
        }
      else
        g_string_append_printf (text, "[Picture %s: not sent, this model reads text only]",
                                attachment->filename ? attachment->filename : "");
    }
  return g_string_free (text, FALSE);
}

void
natter_prompt_message_fold_attachments (NatterPromptMessage *message)
{
  char *text;

  g_return_if_fail (message != NULL);

  if (!has_attachments (message))
    return;
  text = natter_prompt_message_dup_text_with_files (message);
  g_free (message->content);
  message->content = text;
  g_clear_pointer (&message->attachments, g_ptr_array_unref);
}

void
natter_dialect_image_limits (const char        *dialect_id,
                             NatterImageLimits *limits)
{
  /* OpenAI scales an image to fit 2048×2048 anyway and takes up to 20 MB:
   * sending more pixels only costs bandwidth. */
  limits->max_edge = 2048;
  limits->max_bytes = 20 * MB;
  if (dialect_id == NULL)
    return;
  if (g_str_equal (dialect_id, "anthropic"))
    {
      /* 8000×8000 px, and 5 MB of base64 (3.75 MB of image). */
      limits->max_edge = 8000;
      limits->max_bytes = 3 * MB + 3 * MB / 4;
    }
  else if (g_str_equal (dialect_id, "bedrock-converse"))
    {
      /* Converse: each image at most 3.75 MB and 8000 px a side. */
      limits->max_edge = 8000;
      limits->max_bytes = 3 * MB + 3 * MB / 4;
    }
  else if (g_str_equal (dialect_id, "gemini") || g_str_equal (dialect_id, "vertex"))
    {
      /* Inline data shares a 20 MB request with the rest; Gemini tiles
       * images larger than 3072 px down anyway. */
      limits->max_edge = 3072;
      limits->max_bytes = 15 * MB;
    }
  else if (g_str_equal (dialect_id, "ollama"))
    {
      /* No documented limit: the vision models take far fewer pixels. */
      limits->max_edge = 2048;
      limits->max_bytes = 20 * MB;
    }
}

/* The image bytes to send for @attachment under @limits, with their type;
 * NULL (and *@note set) when it cannot be read. */
static GBytes *
fitted_image (const NatterAttachment *attachment,
              const char             *dialect_id,
              char                  **mime_type,
              char                  **note)
{
  g_autoptr(GError) error = NULL;
  NatterImageLimits limits;
  GBytes *bytes;

  natter_dialect_image_limits (dialect_id, &limits);
  bytes = natter_image_fit (attachment->data, attachment->mime_type, limits.max_edge,
                            limits.max_bytes, mime_type, &error);
  if (bytes == NULL)
    {
      g_warning ("Image “%s” left out of the request: %s",
                 attachment->filename ? attachment->filename : "", error->message);
      *note = g_strdup_printf ("[Image %s could not be read and was left out]",
                               attachment->filename ? attachment->filename : "");
    }
  return bytes;
}

static void
set_string_take (JsonObject *object,
                 const char *name,
                 char       *value)
{
  json_object_set_string_member (object, name, value);
  g_free (value);
}

static char *
bytes_to_base64 (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return g_base64_encode (data, len);
}

static JsonObject *
openai_text_part (const char *text)
{
  JsonObject *part = json_object_new ();

  json_object_set_string_member (part, "type", "text");
  json_object_set_string_member (part, "text", text);
  return part;
}

static gboolean
has_attachments (const NatterPromptMessage *message)
{
  return message != NULL && message->attachments != NULL && message->attachments->len > 0;
}

void
_natter_parts_openai (JsonObject                *object,
                      const NatterPromptMessage *message,
                      const char                *dialect_id)
{
  g_autoptr(JsonArray) parts = NULL;

  if (!has_attachments (message))
    return;

  parts = json_array_new ();
  if (message->content != NULL && message->content[0] != '\0')
    json_array_add_object_element (parts, openai_text_part (message->content));

  for (guint i = 0; i < message->attachments->len; i++)
    {
      const NatterAttachment *attachment = g_ptr_array_index (message->attachments, i);
      g_autofree char *text = NULL;

      if (attachment->kind == NATTER_ATTACHMENT_IMAGE)
        {
          g_autofree char *mime_type = NULL;
          g_autofree char *note = NULL;
          g_autofree char *base64 = NULL;
          g_autoptr(GBytes) bytes = fitted_image (attachment, dialect_id, &mime_type, &note);
          JsonObject *part, *url;

          if (bytes == NULL)
            {
              json_array_add_object_element (parts, openai_text_part (note));
              continue;
            }
          base64 = bytes_to_base64 (bytes);
          text = g_strconcat ("data:", mime_type, ";base64,", base64, NULL);
          url = json_object_new ();
          json_object_set_string_member (url, "url", text);
          part = json_object_new ();
          json_object_set_string_member (part, "type", "image_url");
          json_object_set_object_member (part, "image_url", url);
          json_array_add_object_element (parts, part);
        }
      else
        {
          text = natter_attachment_to_text (attachment);
          json_array_add_object_element (parts, openai_text_part (text));
        }
    }

  json_object_set_array_member (object, "content", g_steal_pointer (&parts));
}

void
_natter_parts_ollama (JsonArray *messages)
{
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *object = json_array_get_object_element (messages, i);
      g_autoptr(GString) text = NULL;
      JsonArray *parts, *images = NULL;

      if (object == NULL || !json_object_has_member (object, "content") ||
          !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "content")))
        continue;

      parts = json_object_get_array_member (object, "content");
      text = g_string_new (NULL);
      for (guint p = 0; p < json_array_get_length (parts); p++)
        {
          JsonObject *part = json_array_get_object_element (parts, p);
          const char *type = json_object_get_string_member_with_default (part, "type", "");

          if (g_str_equal (type, "text"))
            {
              if (text->len > 0)
                g_string_append (text, "\n\n");
              g_string_append (text, json_object_get_string_member_with_default (part, "text", ""));
            }
          else if (g_str_equal (type, "image_url"))
            {
              JsonObject *url = json_object_get_object_member (part, "image_url");
              const char *data = url ? json_object_get_string_member_with_default (url, "url", "") : "";
              const char *comma = strstr (data, ";base64,");

              if (comma == NULL)
                continue;
              if (images == NULL)
                images = json_array_new ();
              json_array_add_string_element (images, comma + strlen (";base64,"));
            }
        }
      json_object_set_string_member (object, "content", text->str);
      if (images != NULL)
        json_object_set_array_member (object, "images", images);
    }
}

void
_natter_parts_gemini (JsonObject                *content,
                      const NatterPromptMessage *message)
{
  JsonArray *parts, *text_parts;

  if (!has_attachments (message) || !json_object_has_member (content, "parts"))
    return;

  /* Google advises the picture before the question about it. */
  text_parts = json_array_ref (json_object_get_array_member (content, "parts"));
  parts = json_array_new ();
  json_object_set_array_member (content, "parts", parts);
  for (guint i = 0; i < message->attachments->len; i++)
    {
      const NatterAttachment *attachment = g_ptr_array_index (message->attachments, i);
      JsonObject *part = json_object_new ();

      if (attachment->kind == NATTER_ATTACHMENT_IMAGE)
        {
          g_autofree char *mime_type = NULL;
          g_autofree char *note = NULL;
          g_autoptr(GBytes) bytes = fitted_image (attachment, "gemini", &mime_type, &note);

          if (bytes != NULL)
            {
              JsonObject *inline_data = json_object_new ();

              json_object_set_string_member (inline_data, "mime_type", mime_type);
              set_string_take (inline_data, "data", bytes_to_base64 (bytes));
              json_object_set_object_member (part, "inline_data", inline_data);
            }
          else
            json_object_set_string_member (part, "text", note);
        }
      else
        set_string_take (part, "text", natter_attachment_to_text (attachment));
      json_array_add_object_element (parts, part);
    }
  for (guint i = 0; i < json_array_get_length (text_parts); i++)
    json_array_add_element (parts, json_node_copy (json_array_get_element (text_parts, i)));
  json_array_unref (text_parts);
}

void
_natter_parts_vertex_names (NatterRequest      *request,
                            const NatterPrompt *prompt)
{
  g_autoptr(JsonObject) body = NULL;
  JsonArray *contents;

  if (!natter_prompt_has_attachments (prompt) ||
      (body = _natter_dialect_dup_body (request)) == NULL ||
      !json_object_has_member (body, "contents"))
    return;

  contents = json_object_get_array_member (body, "contents");
  for (guint i = 0; contents != NULL && i < json_array_get_length (contents); i++)
    {
      JsonObject *content = json_array_get_object_element (contents, i);
      JsonArray *parts = content ? json_object_get_array_member (content, "parts") : NULL;

      for (guint p = 0; parts != NULL && p < json_array_get_length (parts); p++)
        {
          JsonObject *part = json_array_get_object_element (parts, p);
          JsonObject *inline_data, *renamed;

          if (part == NULL || !json_object_has_member (part, "inline_data"))
            continue;
          inline_data = json_object_get_object_member (part, "inline_data");
          renamed = json_object_new ();
          json_object_set_string_member (renamed, "mimeType",
                                         json_object_get_string_member (inline_data, "mime_type"));
          json_object_set_string_member (renamed, "data",
                                         json_object_get_string_member (inline_data, "data"));
          json_object_remove_member (part, "inline_data");
          json_object_set_object_member (part, "inlineData", renamed);
        }
    }
  _natter_dialect_set_body (request, body);
}

/* Anthropic and Bedrock join consecutive messages of one role: the
 * attachments of the prompt messages that made JSON message @index. */
static GPtrArray *
joined_attachments (const NatterPrompt *prompt,
                    guint               index)
{
  GPtrArray *found = g_ptr_array_new ();
  NatterRole group_role = NATTER_ROLE_SYSTEM;
  gint group = -1;

  for (guint i = 0; i < prompt->messages->len; i++)
    {
      const NatterPromptMessage *message = g_ptr_array_index (prompt->messages, i);

      if (message->role == NATTER_ROLE_SYSTEM)
        continue;
      if (group < 0 || message->role != group_role)
        {
          group++;
          group_role = message->role;
        }
      if ((guint) group == index && has_attachments (message))
        g_ptr_array_extend (found, message->attachments, NULL, NULL);
      if ((guint) group > index)
        break;
    }
  return found;
}

/* The text already in @object's "content" (a string or text blocks) as
 * blocks, for either shape. */
static JsonArray *
content_blocks (JsonObject *object,
                gboolean    anthropic)
{
  JsonNode *node = json_object_get_member (object, "content");
  JsonArray *blocks;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    return json_array_ref (json_node_get_array (node));

  blocks = json_array_new ();
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_string (node) != NULL &&
      json_node_get_string (node)[0] != '\0')
    {
      JsonObject *block = json_object_new ();

      if (anthropic)
        json_object_set_string_member (block, "type", "text");
      json_object_set_string_member (block, "text", json_node_get_string (node));
      json_array_add_object_element (blocks, block);
    }
  return blocks;
}

static void
add_joined_parts (JsonArray          *messages,
                  const NatterPrompt *prompt,
                  gboolean            anthropic)
{
  if (!natter_prompt_has_attachments (prompt))
    return;

  for (guint j = 0; j < json_array_get_length (messages); j++)
    {
      JsonObject *object = json_array_get_object_element (messages, j);
      g_autoptr(GPtrArray) attachments = joined_attachments (prompt, j);
      g_autoptr(JsonArray) text_blocks = NULL;
      JsonArray *blocks;

      if (object == NULL || attachments->len == 0)
        continue;

      text_blocks = content_blocks (object, anthropic);
      /* Both providers advise images before the question about them. */
      blocks = json_array_new ();
      for (guint i = 0; i < attachments->len; i++)
        {
          const NatterAttachment *attachment = g_ptr_array_index (attachments, i);
          JsonObject *block = json_object_new ();

          if (attachment->kind == NATTER_ATTACHMENT_IMAGE)
            {
              g_autofree char *mime_type = NULL;
              g_autofree char *note = NULL;
              g_autoptr(GBytes) bytes = fitted_image (attachment,
                                                      anthropic ? "anthropic" : "bedrock-converse",
                                                      &mime_type, &note);
              JsonObject *source = json_object_new ();

              if (bytes == NULL)
                {
                  json_object_unref (source);
                  if (anthropic)
                    json_object_set_string_member (block, "type", "text");
                  json_object_set_string_member (block, "text", note);
                }
              else if (anthropic)
                {
                  json_object_set_string_member (source, "type", "base64");
                  json_object_set_string_member (source, "media_type", mime_type);
                  set_string_take (source, "data", bytes_to_base64 (bytes));
                  json_object_set_string_member (block, "type", "image");
                  json_object_set_object_member (block, "source", source);
                }
              else
                {
                  JsonObject *image = json_object_new ();

                  set_string_take (source, "bytes", bytes_to_base64 (bytes));
                  /* "png" | "jpeg" | "gif" | "webp" */
                  json_object_set_string_member (image, "format", mime_type + strlen ("image/"));
                  json_object_set_object_member (image, "source", source);
                  json_object_set_object_member (block, "image", image);
                }
            }
          else
            {
              if (anthropic)
                json_object_set_string_member (block, "type", "text");
              set_string_take (block, "text", natter_attachment_to_text (attachment));
            }
          json_array_add_object_element (blocks, block);
        }
      for (guint i = 0; i < json_array_get_length (text_blocks); i++)
        json_array_add_element (blocks, json_node_copy (json_array_get_element (text_blocks, i)));
      json_object_set_array_member (object, "content", blocks);
    }
}

void
_natter_parts_anthropic (JsonArray          *messages,
                         const NatterPrompt *prompt)
{
  add_joined_parts (messages, prompt, TRUE);
}

void
_natter_parts_bedrock (JsonArray          *messages,
                       const NatterPrompt *prompt)
{
  add_joined_parts (messages, prompt, FALSE);
}
