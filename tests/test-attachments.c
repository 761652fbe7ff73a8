/* test-attachments.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <cairo-pdf.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <zlib.h>

#include "natter-attachment-file.h"
#include "natter-chat-store.h"
#include "natter-chat-store-attachments.h"
#include "natter-client.h"
#include "natter-conversation.h"
#include "natter-conversation-attachments.h"
#include "natter-database.h"
#include "natter-dialect-parts.h"
#include "natter-fake-provider.h"
#include "natter-image-fit.h"
#include "natter-profile.h"
#include "natter-request-log.h"
#include "natter-request-log-private.h"
#include "natter-st-chat.h"
#include "natter-test-util.h"

/* ------------------------------------------------------------ helpers */

/* A @width × @height picture, encoded as @type ("png", "jpeg"), with a
 * gradient so that JPEG has something to compress. */
static GBytes *
make_image (int         width,
            int         height,
            const char *type,
            gboolean    alpha)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  g_autoptr(GError) error = NULL;
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  char *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + y * stride + x * channels;

        p[0] = x * 255 / width;
        p[1] = y * 255 / height;
        p[2] = (x ^ y) & 0xFF;
        if (alpha)
          p[3] = 200;
      }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, type, &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

static void
image_size (GBytes *bytes,
            int    *width,
            int    *height)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (natter_image_get_size (bytes, width, height, &error));
  g_assert_no_error (error);
}

static cairo_status_t
write_to_string (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_string_append_len (closure, (const char *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A two-page PDF with known text, made here with cairo (no fixture file:
 * the test owns its input). */
static GBytes *
make_pdf (void)
{
  GString *out = g_string_new (NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (write_to_string, out, 300, 200);
  cairo_t *cr = cairo_create (surface);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 14);
  cairo_move_to (cr, 20, 50);
  cairo_show_text (cr, "Quarterly report");
  cairo_show_page (cr);
  cairo_move_to (cr, 20, 50);
  cairo_show_text (cr, "Revenue grew");
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);

  return g_string_free_to_bytes (out);
}

/* A valid PNG signature and header chunk (with its CRC) claiming
 * @width × @height, and nothing after: a decompression bomb's first
 * bytes. */
static GBytes *
make_png_header (guint32 width,
                 guint32 height)
{
  guint8 data[8 + 25] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                          0, 0, 0, 13, 'I', 'H', 'D', 'R' };
  guint32 crc;

  data[16] = width >> 24; data[17] = width >> 16; data[18] = width >> 8; data[19] = width;
  data[20] = height >> 24; data[21] = height >> 16; data[22] = height >> 8; data[23] = height;
  data[24] = 8;   /* bit depth */
  data[25] = 2;   /* RGB */
  crc = crc32 (0, data + 12, 17);
  data[29] = crc >> 24; data[30] = crc >> 16; data[31] = crc >> 8; data[32] = crc;
  return g_bytes_new (data, sizeof data);
}

static NatterAttachment *
attach_bytes (GBytes     *bytes,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  NatterAttachment *attachment = natter_attachment_from_bytes (bytes, name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (attachment);
  return attachment;
}

static void
assert_refused (GBytes     *bytes,
                const char *name,
                int         code)
{
  g_autoptr(GError) error = NULL;
  NatterAttachment *attachment = natter_attachment_from_bytes (bytes, name, &error);

  if (attachment != NULL)
    g_test_message ("%s was accepted", name);
  g_assert_null (attachment);
  g_assert_error (error, NATTER_ATTACHMENT_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (error->message, !=, "");
}

/* ------------------------------------------------------------ reading files */

static void
test_sniff_images (void)
{
  const char *types[] = { "png", "jpeg" };
  const char *mimes[] = { "image/png", "image/jpeg" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GBytes) bytes = make_image (40, 30, types[i], FALSE);
      /* The name lies: the content decides. */
      g_autoptr(NatterAttachment) a = attach_bytes (bytes, "/home/me/notes.txt");
      int w, h;

      g_assert_cmpint (a->kind, ==, NATTER_ATTACHMENT_IMAGE);
      g_assert_cmpstr (a->mime_type, ==, mimes[i]);
      g_assert_cmpstr (a->filename, ==, "notes.txt");
      /* Small enough: kept byte for byte. */
      g_assert_true (g_bytes_equal (a->data, bytes));
      g_assert_cmpstr (a->sha256, ==, g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes));
      image_size (a->data, &w, &h);
      g_assert_cmpint (w, ==, 40);
      g_assert_cmpint (h, ==, 30);
    }

  g_assert_cmpstr (natter_image_sniff ((const guint8 *) "GIF89a\1\0\1\0", 10), ==, "image/gif");
  g_assert_cmpstr (natter_image_sniff ((const guint8 *) "RIFF\0\0\0\0WEBPVP8 ", 16), ==, "image/webp");
  g_assert_null (natter_image_sniff ((const guint8 *) "%PDF-1.4", 8));
}

/* The smallest GIF: one white pixel (GIF89a, a 2-colour table, one image). */
static const guint8 tiny_gif[] = {
  'G', 'I', 'F', '8', '9', 'a', 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00,
  0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00,
  0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
};

static void
test_gif_webp (void)
{
  g_autoptr(GBytes) gif = g_bytes_new_static (tiny_gif, sizeof tiny_gif);
  g_autoptr(NatterAttachment) a = attach_bytes (gif, "dot.gif");
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 30, 20);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) webp = NULL;
  g_autoptr(NatterAttachment) b = NULL;
  char *buffer = NULL;
  gsize size = 0;
  int w, h;

  g_assert_cmpint (a->kind, ==, NATTER_ATTACHMENT_IMAGE);
  g_assert_cmpstr (a->mime_type, ==, "image/gif");
  g_assert_true (g_bytes_equal (a->data, gif));

  /* WebP needs gdk-pixbuf's WebP loader (webp-pixbuf-loader), which
   * build-aux/deps.sh installs; it also writes WebP. */
  gdk_pixbuf_fill (pixbuf, 0x336699ff);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "webp", &error, NULL))
    {
      g_test_skip ("no WebP loader for gdk-pixbuf");
      return;
    }
  webp = g_bytes_new_take (buffer, size);
  b = attach_bytes (webp, "square.webp");
  g_assert_cmpstr (b->mime_type, ==, "image/webp");
  image_size (b->data, &w, &h);
  g_assert_cmpint (w, ==, 30);
  g_assert_cmpint (h, ==, 20);
}

static void
test_text_files (void)
{
  struct { const char *name; const char *text; const char *mime; } cases[] = {
    { "notes.txt", "Buy milk\n", "text/plain" },
    { "README.md", "# Title\n\nSome *words*.\n", "text/markdown" },
    { "data.json", "{\"a\": [1, 2]}\n", "application/json" },
    { "table.csv", "name,age\nAda,36\n", "text/csv" },
    { "main.c", "int main (void) { return 0; }\n", "text/x-source" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].text, strlen (cases[i].text));
      g_autoptr(NatterAttachment) a = attach_bytes (bytes, cases[i].name);
      g_autofree char *shown = natter_attachment_to_text (a);

      g_assert_cmpint (a->kind, ==, NATTER_ATTACHMENT_TEXT);
      g_assert_cmpstr (a->mime_type, ==, cases[i].mime);
      g_assert_true (g_bytes_equal (a->data, bytes));
      /* The model reads it with its file name. */
      g_assert_true (g_str_has_prefix (shown, "[File: "));
      g_assert_nonnull (strstr (shown, cases[i].name));
      g_assert_nonnull (strstr (shown, cases[i].text));
    }
}

static void
test_pdf_text (void)
{
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(NatterAttachment) a = attach_bytes (pdf, "report.pdf");
  gsize len;
  const char *text = g_bytes_get_data (a->data, &len);
  g_autofree char *copy = g_strndup (text, len);

  g_assert_cmpint (a->kind, ==, NATTER_ATTACHMENT_TEXT);
  g_assert_cmpstr (a->mime_type, ==, "application/pdf");
  g_assert_cmpstr (a->filename, ==, "report.pdf");
  /* Both pages, in order. */
  g_assert_nonnull (strstr (copy, "Quarterly report"));
  g_assert_nonnull (strstr (copy, "Revenue grew"));
  g_assert_true (strstr (copy, "Quarterly") < strstr (copy, "Revenue"));
  g_assert_true (g_utf8_validate (copy, -1, NULL));
}

static void
test_hostile_files (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) binary = g_bytes_new_static ("\x7f" "ELF\2\1\1\0\0\0\0\0", 12);
  g_autoptr(GBytes) latin1 = g_bytes_new_static ("caf\xe9", 4);
  g_autoptr(GBytes) broken_pdf = g_bytes_new_static ("%PDF-1.4\nthis is no PDF at all", 30);
  g_autoptr(GBytes) bomb = make_png_header (60000, 60000);
  g_autoptr(GBytes) full = make_image (64, 64, "png", FALSE);
  g_autoptr(GBytes) truncated = g_bytes_new_from_bytes (full, 0, g_bytes_get_size (full) / 2);
  g_autoptr(GBytes) header_only = g_bytes_new_static ("\x89PNG\r\n\x1a\n", 8);
  g_autofree char *long_text = g_strnfill (NATTER_ATTACHMENT_MAX_TEXT_SIZE + 1, 'a');
  g_autoptr(GBytes) too_long = g_bytes_new_static (long_text, strlen (long_text));
  g_autoptr(GBytes) too_big = g_bytes_new_take (g_malloc0 (NATTER_ATTACHMENT_MAX_FILE_SIZE + 1),
                                                NATTER_ATTACHMENT_MAX_FILE_SIZE + 1);

  assert_refused (empty, "empty.txt", NATTER_ATTACHMENT_ERROR_EMPTY);
  assert_refused (binary, "program.txt", NATTER_ATTACHMENT_ERROR_UNSUPPORTED);
  assert_refused (latin1, "latin1.txt", NATTER_ATTACHMENT_ERROR_UNSUPPORTED);
  assert_refused (broken_pdf, "broken.pdf", NATTER_ATTACHMENT_ERROR_BROKEN);
  assert_refused (bomb, "bomb.png", NATTER_ATTACHMENT_ERROR_TOO_LARGE);
  assert_refused (truncated, "cut.png", NATTER_ATTACHMENT_ERROR_BROKEN);
  assert_refused (header_only, "header.png", NATTER_ATTACHMENT_ERROR_BROKEN);
  assert_refused (too_long, "long.txt", NATTER_ATTACHMENT_ERROR_TOO_LARGE);
  assert_refused (too_big, "huge.bin", NATTER_ATTACHMENT_ERROR_TOO_LARGE);
}

static void
test_load_file (void)
{
  g_autofree char *dir = natter_test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "photo.jpg", NULL);
  g_autoptr(GBytes) jpeg = make_image (20, 10, "jpeg", FALSE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GFile) missing = g_file_get_child (folder, "missing.png");
  g_autoptr(NatterAttachment) a = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), NULL));
  a = natter_attachment_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->filename, ==, "photo.jpg");
  g_assert_cmpstr (a->mime_type, ==, "image/jpeg");

  g_assert_null (natter_attachment_load (folder, NULL, &error));
  g_assert_error (error, NATTER_ATTACHMENT_ERROR, NATTER_ATTACHMENT_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_null (natter_attachment_load (missing, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  natter_test_tmpdir_free (g_steal_pointer (&dir));
}

/* ------------------------------------------------------------ downscaling */

static void
test_downscale (void)
{
  g_autoptr(GBytes) photo = make_image (3000, 2000, "jpeg", FALSE);
  g_autoptr(GBytes) clear = make_image (2500, 500, "png", TRUE);
  g_autoptr(GBytes) small = make_image (800, 600, "png", FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *mime = NULL;
  g_autoptr(GBytes) fitted = NULL;
  g_autoptr(NatterAttachment) stored = NULL;
  NatterImageLimits limits;
  int w, h;

  /* Over the longest edge: scaled to fit, aspect kept, re-encoded. */
  fitted = natter_image_fit (photo, "image/jpeg", 1000, 0, &mime, &error);
  g_assert_no_error (error);
  image_size (fitted, &w, &h);
  /* A JPEG may take the size its decoder reaches by itself (1/4 here),
   * never less than three quarters of the limit. */
  g_assert_cmpint (w, <=, 1000);
  g_assert_cmpint (w, >=, 750);
  g_assert_cmpint (ABS (h * 3 - w * 2), <=, 3);
  g_assert_cmpstr (mime, ==, "image/jpeg");
  g_clear_pointer (&fitted, g_bytes_unref);
  g_clear_pointer (&mime, g_free);

  /* Transparency stays: PNG. */
  fitted = natter_image_fit (clear, "image/png", 1000, 0, &mime, &error);
  g_assert_no_error (error);
  image_size (fitted, &w, &h);
  g_assert_cmpint (w, ==, 1000);
  g_assert_cmpint (h, ==, 200);
  g_assert_cmpstr (mime, ==, "image/png");
  g_clear_pointer (&fitted, g_bytes_unref);
  g_clear_pointer (&mime, g_free);

  /* Over the byte limit only: shrunk until it fits. */
  fitted = natter_image_fit (small, "image/png", 0, 20000, &mime, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (fitted), <=, 20000);
  g_clear_pointer (&fitted, g_bytes_unref);
  g_clear_pointer (&mime, g_free);

  /* Within limits: the same bytes. */
  fitted = natter_image_fit (small, "image/png", 1000, 0, &mime, &error);
  g_assert_true (fitted == small || g_bytes_equal (fitted, small));

  /* Attaching stores what every provider takes. */
  stored = attach_bytes (photo, "big.jpg");
  image_size (stored->data, &w, &h);
  g_assert_cmpint (MAX (w, h), ==, NATTER_ATTACHMENT_IMAGE_MAX_EDGE);
  g_assert_cmpuint (g_bytes_get_size (stored->data), <=, NATTER_ATTACHMENT_IMAGE_MAX_BYTES);

  /* Provider limits as documented. */
  natter_dialect_image_limits ("openai-chat", &limits);
  g_assert_cmpint (limits.max_edge, ==, 2048);
  natter_dialect_image_limits ("anthropic", &limits);
  g_assert_cmpint (limits.max_edge, ==, 8000);
  g_assert_cmpuint (limits.max_bytes * 4 / 3, <=, 5 * 1024 * 1024);
  natter_dialect_image_limits ("bedrock-converse", &limits);
  g_assert_cmpuint (limits.max_bytes, ==, 3 * 1024 * 1024 + 768 * 1024);
}

/* A 40×20 JPEG saying in EXIF that it is to be turned 90° clockwise
 * (orientation 6), as a phone held upright writes it. */
static GBytes *
make_turned_jpeg (void)
{
  g_autoptr(GBytes) jpeg = make_image (40, 20, "jpeg", FALSE);
  static const guint8 app1[] = {
    0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
    'M', 'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,   /* TIFF header, IFD0 at 8 */
    0x00, 0x01,                                     /* one entry */
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,                         /* no next IFD */
  };
  GByteArray *out = g_byte_array_new ();
  const guint8 *data = g_bytes_get_data (jpeg, NULL);

  g_byte_array_append (out, data, 2);
  g_byte_array_append (out, app1, sizeof app1);
  g_byte_array_append (out, data + 2, g_bytes_get_size (jpeg) - 2);
  return g_byte_array_free_to_bytes (out);
}

static void
test_orientation (void)
{
  g_autoptr(GBytes) turned = make_turned_jpeg ();
  g_autoptr(NatterAttachment) a = attach_bytes (turned, "upright.jpg");
  int w, h;

  /* Stored upright, as the person saw it, although it is small. */
  image_size (a->data, &w, &h);
  g_assert_cmpint (w, ==, 20);
  g_assert_cmpint (h, ==, 40);
}

/* ------------------------------------------------------------ dialects */

static NatterPrompt *
prompt_with_attachments (GBytes **image_out)
{
  NatterPrompt *prompt = natter_prompt_new ();
  g_autoptr(GBytes) image = make_image (30, 20, "png", FALSE);
  g_autoptr(GBytes) text = g_bytes_new_static ("a,b\n1,2\n", 8);
  NatterPromptMessage *user;

  natter_prompt_add (prompt, NATTER_ROLE_SYSTEM, "Be brief.");
  natter_prompt_add (prompt, NATTER_ROLE_USER, "Earlier question");
  natter_prompt_add (prompt, NATTER_ROLE_ASSISTANT, "Earlier answer");
  natter_prompt_add (prompt, NATTER_ROLE_USER, "What is in the picture?");
  user = g_ptr_array_index (prompt->messages, prompt->messages->len - 1);
  natter_prompt_message_add_attachment (user, natter_attachment_new (NATTER_ATTACHMENT_IMAGE,
                                                                     "image/png", "dot.png", image));
  natter_prompt_message_add_attachment (user, natter_attachment_new (NATTER_ATTACHMENT_TEXT,
                                                                     "text/csv", "t.csv", text));
  *image_out = g_bytes_ref (image);
  return prompt;
}

static JsonObject *
build_body (const char *dialect_id,
            const char *model,
            JsonObject *settings,
            GBytes    **image)
{
  const NatterDialect *dialect = natter_dialect_lookup (dialect_id);
  NatterDialectContext ctx = { .base_url = "http://127.0.0.1:1", .settings = settings };
  NatterPrompt *prompt = prompt_with_attachments (image);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  NatterGenParams params;
  const char *data;
  gsize len;

  g_assert_nonnull (dialect);
  natter_gen_params_init (&params);
  params.model = g_strdup (model);
  request = dialect->build_request (&ctx, prompt, &params, &error);
  g_assert_no_error (error);
  natter_gen_params_clear (&params);
  natter_prompt_free (prompt);

  data = g_bytes_get_data (natter_request_get_body (request), &len);
  g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
last_message (JsonObject *body,
              const char *member)
{
  JsonArray *messages = json_object_get_array_member (body, member);

  return json_array_get_object_element (messages, json_array_get_length (messages) - 1);
}

static char *
base64_of (GBytes *bytes)
{
  return g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
check_openai_shape (JsonObject *body,
                    GBytes     *image)
{
  JsonObject *message = last_message (body, "messages");
  JsonArray *parts = json_object_get_array_member (message, "content");
  g_autofree char *b64 = base64_of (image);
  g_autofree char *url = g_strconcat ("data:image/png;base64,", b64, NULL);
  JsonObject *part;

  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "user");
  g_assert_cmpuint (json_array_get_length (parts), ==, 3);
  part = json_array_get_object_element (parts, 0);
  g_assert_cmpstr (json_object_get_string_member (part, "type"), ==, "text");
  g_assert_cmpstr (json_object_get_string_member (part, "text"), ==, "What is in the picture?");
  part = json_array_get_object_element (parts, 1);
  g_assert_cmpstr (json_object_get_string_member (part, "type"), ==, "image_url");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (part, "image_url"), "url"),
                   ==, url);
  part = json_array_get_object_element (parts, 2);
  g_assert_cmpstr (json_object_get_string_member (part, "type"), ==, "text");
  g_assert_nonnull (strstr (json_object_get_string_member (part, "text"), "[File: t.csv]\na,b\n1,2"));
  /* Messages without attachments keep their plain string. */
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (
    json_array_get_object_element (json_object_get_array_member (body, "messages"), 1), "content")));
}

static void
test_dialect_openai (void)
{
  const char *ids[] = { "openai-chat", "cohere" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GBytes) image = NULL;
      g_autoptr(JsonObject) body = build_body (ids[i], "vision-model", NULL, &image);

      check_openai_shape (body, image);
    }
}

static void
test_dialect_anthropic (void)
{
  g_autoptr(GBytes) image = NULL;
  g_autoptr(JsonObject) body = build_body ("anthropic", "claude-test", NULL, &image);
  JsonObject *message = last_message (body, "messages");
  JsonArray *blocks = json_object_get_array_member (message, "content");
  g_autofree char *b64 = base64_of (image);
  JsonObject *block, *source;

  g_assert_cmpuint (json_array_get_length (blocks), ==, 3);
  block = json_array_get_object_element (blocks, 0);
  g_assert_cmpstr (json_object_get_string_member (block, "type"), ==, "image");
  source = json_object_get_object_member (block, "source");
  g_assert_cmpstr (json_object_get_string_member (source, "type"), ==, "base64");
  g_assert_cmpstr (json_object_get_string_member (source, "media_type"), ==, "image/png");
  g_assert_cmpstr (json_object_get_string_member (source, "data"), ==, b64);
  block = json_array_get_object_element (blocks, 1);
  g_assert_cmpstr (json_object_get_string_member (block, "type"), ==, "text");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (block, "text"), "[File: t.csv]"));
  block = json_array_get_object_element (blocks, 2);
  g_assert_cmpstr (json_object_get_string_member (block, "text"), ==, "What is in the picture?");
  /* The earlier user turn is untouched. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
    json_object_get_array_member (body, "messages"), 0), "content"), ==, "Earlier question");
}

static void
check_gemini_parts (JsonObject *body,
                    GBytes     *image,
                    const char *inline_name,
                    const char *mime_name)
{
  JsonObject *content = last_message (body, "contents");
  JsonArray *parts = json_object_get_array_member (content, "parts");
  g_autofree char *b64 = base64_of (image);
  JsonObject *inline_data;

  g_assert_cmpstr (json_object_get_string_member (content, "role"), ==, "user");
  g_assert_cmpuint (json_array_get_length (parts), ==, 3);
  inline_data = json_object_get_object_member (json_array_get_object_element (parts, 0), inline_name);
  g_assert_nonnull (inline_data);
  g_assert_cmpstr (json_object_get_string_member (inline_data, mime_name), ==, "image/png");
  g_assert_cmpstr (json_object_get_string_member (inline_data, "data"), ==, b64);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (parts, 1),
                                                                  "text"), "[File: t.csv]"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 2), "text"),
                   ==, "What is in the picture?");
}

static void
test_dialect_gemini (void)
{
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GBytes) image2 = NULL;
  g_autoptr(JsonObject) body = build_body ("gemini", "gemini-test", NULL, &image);
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(JsonObject) vertex = NULL;

  check_gemini_parts (body, image, "inline_data", "mime_type");

  json_object_set_string_member (settings, "project", "p");
  json_object_set_string_member (settings, "region", "us-central1");
  vertex = build_body ("vertex", "gemini-test", settings, &image2);
  check_gemini_parts (vertex, image2, "inlineData", "mimeType");
}

static void
test_dialect_ollama (void)
{
  g_autoptr(GBytes) image = NULL;
  g_autoptr(JsonObject) body = build_body ("ollama", "llava", NULL, &image);
  JsonObject *message = last_message (body, "messages");
  JsonArray *images = json_object_get_array_member (message, "images");
  g_autofree char *b64 = base64_of (image);
  const char *content = json_object_get_string_member (message, "content");

  g_assert_nonnull (images);
  g_assert_cmpuint (json_array_get_length (images), ==, 1);
  /* Bare base64, no data: prefix. */
  g_assert_cmpstr (json_array_get_string_element (images, 0), ==, b64);
  g_assert_true (g_str_has_prefix (content, "What is in the picture?"));
  g_assert_nonnull (strstr (content, "[File: t.csv]"));
}

static void
test_dialect_bedrock (void)
{
  g_autoptr(GBytes) image = NULL;
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *b64 = NULL;
  JsonObject *message, *image_block;
  JsonArray *blocks;

  json_object_set_string_member (settings, "region", "us-east-1");
  body = build_body ("bedrock-converse", "anthropic.claude-test", settings, &image);
  message = last_message (body, "messages");
  blocks = json_object_get_array_member (message, "content");
  b64 = base64_of (image);

  g_assert_cmpuint (json_array_get_length (blocks), ==, 3);
  image_block = json_object_get_object_member (json_array_get_object_element (blocks, 0), "image");
  g_assert_nonnull (image_block);
  g_assert_cmpstr (json_object_get_string_member (image_block, "format"), ==, "png");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (image_block, "source"),
                                                  "bytes"), ==, b64);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (blocks, 1),
                                                                  "text"), "[File: t.csv]"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (blocks, 2), "text"),
                   ==, "What is in the picture?");
}

static void
test_dialect_text_completion (void)
{
  g_autoptr(GBytes) image = NULL;
  g_autoptr(JsonObject) body = build_body ("openai-text", "local", NULL, &image);
  const char *text = json_object_get_string_member (body, "prompt");

  /* One string: the file's text goes in it, the picture is named. */
  g_assert_nonnull (strstr (text, "What is in the picture?\n\n[Picture dot.png: not sent"));
  g_assert_nonnull (strstr (text, "[File: t.csv]\na,b\n1,2\n[End of file: t.csv]"));
  g_assert_null (strstr (text, "base64"));
}

static void
test_dialect_downscales (void)
{
  const NatterDialect *dialect = natter_dialect_lookup ("openai-chat");
  NatterDialectContext ctx = { .base_url = "http://127.0.0.1:1" };
  NatterPrompt *prompt = natter_prompt_new ();
  g_autoptr(GBytes) big = make_image (3000, 1500, "png", FALSE);
  g_autoptr(NatterRequest) request = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) sent = NULL;
  NatterGenParams params;
  JsonObject *message, *part;
  const char *url;
  guchar *decoded;
  gsize len;
  int w, h;

  natter_prompt_add (prompt, NATTER_ROLE_USER, "Look");
  natter_prompt_message_add_attachment (g_ptr_array_index (prompt->messages, 0),
                                        natter_attachment_new (NATTER_ATTACHMENT_IMAGE, "image/png",
                                                               "big.png", big));
  natter_gen_params_init (&params);
  params.model = g_strdup ("m");
  request = dialect->build_request (&ctx, prompt, &params, NULL);
  natter_gen_params_clear (&params);
  natter_prompt_free (prompt);

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (natter_request_get_body (request), NULL),
                                             g_bytes_get_size (natter_request_get_body (request)), NULL));
  message = json_array_get_object_element (json_object_get_array_member (
    json_node_get_object (json_parser_get_root (parser)), "messages"), 0);
  part = json_array_get_object_element (json_object_get_array_member (message, "content"), 1);
  url = json_object_get_string_member (json_object_get_object_member (part, "image_url"), "url");
  g_assert_true (g_str_has_prefix (url, "data:image/jpeg;base64,"));
  decoded = g_base64_decode (url + strlen ("data:image/jpeg;base64,"), &len);
  sent = g_bytes_new_take (decoded, len);
  image_size (sent, &w, &h);
  g_assert_cmpint (w, ==, 2048);
  g_assert_cmpint (h, ==, 1024);
}

/* ------------------------------------------------------------ store */

typedef NatterTestEngine Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  natter_test_engine_open (f);
  g_setenv ("OPENAI_API_KEY", "sk-attach-SECRET-0123", TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  natter_test_engine_close (f);
}

static GPtrArray *
two_attachments (void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_attachment_free);
  g_autoptr(GBytes) image = make_image (16, 16, "png", FALSE);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello\n", 6);

  g_ptr_array_add (list, attach_bytes (image, "dot.png"));
  g_ptr_array_add (list, attach_bytes (text, "hello.txt"));
  return list;
}

static int
sql_int (Fixture    *f,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_prepare_v2 (natter_database_get_handle (f->database), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
test_store_dedup (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = two_attachments ();
  g_autoptr(GPtrArray) second = two_attachments ();
  g_autoptr(GPtrArray) listed = NULL;
  gint64 chat = natter_chat_store_new_chat (f->store, 0, "A", &error);
  gint64 other = natter_chat_store_new_chat (f->store, 0, "B", &error);
  gint64 m1, m2;
  NatterAttachment *a;

  g_assert_no_error (error);
  m1 = natter_chat_store_append_message_with_attachments (f->store, chat, NATTER_ROLE_USER, "Me",
                                                          "look", first, &error);
  g_assert_no_error (error);
  /* The same files again, in another chat, under another name. */
  g_free (((NatterAttachment *) second->pdata[0])->filename);
  ((NatterAttachment *) second->pdata[0])->filename = g_strdup ("same.png");
  m2 = natter_chat_store_append_message_with_attachments (f->store, other, NATTER_ROLE_USER, "Me",
                                                          "", second, &error);
  g_assert_no_error (error);
  g_assert_cmpint (m1, >, 0);
  g_assert_cmpint (m2, >, 0);

  /* Stored once each. */
  g_assert_cmpint (natter_chat_store_count_stored_attachments (f->store, NULL), ==, 2);
  g_assert_cmpuint (natter_chat_store_count_attachments (f->store, m1), ==, 2);
  {
    guint n_images;
    gint64 text_bytes;

    /* What the context budget counts, without reading the data. */
    g_assert_true (natter_chat_store_get_attachment_sizes (f->store, m1, &n_images, &text_bytes));
    g_assert_cmpuint (n_images, ==, 1);
    g_assert_cmpint (text_bytes, ==, 6);
    g_assert_false (natter_chat_store_get_attachment_sizes (f->store, m1 + 1000, &n_images, &text_bytes));
  }

  listed = natter_chat_store_list_attachments (f->store, m2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  a = listed->pdata[0];
  g_assert_cmpint (a->kind, ==, NATTER_ATTACHMENT_IMAGE);
  g_assert_cmpstr (a->filename, ==, "same.png");
  g_assert_cmpstr (a->mime_type, ==, "image/png");
  g_assert_true (g_bytes_equal (a->data, ((NatterAttachment *) first->pdata[0])->data));
  g_assert_cmpstr (a->sha256, ==, g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, a->data));
  a = listed->pdata[1];
  g_assert_cmpint (a->kind, ==, NATTER_ATTACHMENT_TEXT);
  g_assert_cmpstr (a->filename, ==, "hello.txt");

  /* A branch links the same attachments; its own deletion keeps them. */
  {
    g_autoptr(NatterChatMessage) message = natter_chat_store_get_message (f->store, m1, &error);
    gint64 branch = natter_chat_store_branch_chat (f->store, chat, m1, NULL, &error);
    g_autoptr(GPtrArray) copied = NULL;
    g_autoptr(GPtrArray) branch_messages = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (message);
    branch_messages = natter_chat_store_page_messages (f->store, branch, -1, 10, &error);
    g_assert_cmpuint (branch_messages->len, ==, 1);
    copied = natter_chat_store_list_attachments (f->store, natter_chat_message_get_id (branch_messages->pdata[0]),
                                                 &error);
    g_assert_cmpuint (copied->len, ==, 2);
    g_assert_cmpstr (((NatterAttachment *) copied->pdata[0])->filename, ==, "dot.png");
    g_assert_cmpint (natter_chat_store_count_stored_attachments (f->store, NULL), ==, 2);
    g_assert_true (natter_chat_store_delete_chat (f->store, branch, &error));
    g_assert_no_error (error);
    g_assert_cmpint (natter_chat_store_count_stored_attachments (f->store, NULL), ==, 2);
  }

  /* Deleting one message keeps what the other still uses… */
  g_assert_true (natter_chat_store_delete_message (f->store, m1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (natter_chat_store_count_stored_attachments (f->store, NULL), ==, 2);
  /* …and the last use takes it away. */
  g_assert_true (natter_chat_store_delete_message (f->store, m2, &error));
  g_assert_cmpint (natter_chat_store_count_stored_attachments (f->store, NULL), ==, 0);
}

static void
test_store_immutable (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = two_attachments ();
  gint64 chat = natter_chat_store_new_chat (f->store, 0, "A", &error);
  sqlite3 *db = natter_database_get_handle (f->database);
  char *message = NULL;

  natter_chat_store_append_message_with_attachments (f->store, chat, NATTER_ROLE_USER, NULL, "x",
                                                     list, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_exec (db, "UPDATE attachments SET data = x'00'", NULL, NULL, &message),
                   !=, SQLITE_OK);
  g_assert_nonnull (strstr (message, "never rewritten"));
  sqlite3_free (message);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM attachments WHERE length(data) > 1"), ==, 2);

  /* A sha256 the caller got wrong is recomputed: the address is the content. */
  g_free (((NatterAttachment *) list->pdata[1])->sha256);
  ((NatterAttachment *) list->pdata[1])->sha256 = g_strdup ("0000");
  natter_chat_store_append_message_with_attachments (f->store, chat, NATTER_ROLE_USER, NULL, "y",
                                                     list, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM attachments"), ==, 2);
}

/* ------------------------------------------------------------ end to end */

typedef struct
{
  gboolean done;
  gint64   id;
  GError  *error;
} Run;

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->id = natter_conversation_send_finish (NATTER_CONVERSATION (source), result, NULL, &run->error);
  run->done = TRUE;
}

static NatterFakeResponse *
openai_reply (const char *text)
{
  g_autofree char *chunk = g_strdup_printf ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\","
                                            "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
                                            "\"finish_reason\":\"stop\"}]}\n\n", text);
  NatterFakeResponse *response = natter_fake_response_new (200, "text/event-stream");

  natter_fake_response_add_chunk (response, chunk, -1, 0);
  natter_fake_response_add_chunk (response, "data: [DONE]\n\n", -1, 0);
  return response;
}

static void
test_conversation_sends (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = natter_profile_new ("Test", "openai");
  g_autofree char *url = g_strconcat (natter_fake_provider_get_url (f->fake), "/v1", NULL);
  g_autoptr(GBytes) photo = make_image (1200, 900, "jpeg", FALSE);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_attachment_free);
  NatterLogEntry *entry;
  g_autoptr(GError) error = NULL;
  g_autofree char *b64 = NULL;
  const NatterFakeRequest *request;
  const char *logged;
  gint64 chat;
  Run run = { 0 };

  natter_profile_set_base_url (profile, url);
  natter_profile_set_model (profile, "vision-model");
  chat = natter_chat_store_new_chat (f->store, 0, "Pictures", &error);
  g_ptr_array_add (list, attach_bytes (photo, "cat.jpg"));
  b64 = base64_of (((NatterAttachment *) list->pdata[0])->data);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/chat/completions", openai_reply ("A cat."));

  /* An image alone, no words. */
  natter_conversation_send_with_attachments_async (f->conv, chat, profile, "", list, NULL, NULL, NULL,
                                                   NULL, on_sent, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  request = natter_fake_provider_get_request (f->fake, 0);
  g_assert_nonnull (strstr (request->body, "\"image_url\""));
  g_assert_nonnull (strstr (request->body, b64));

  /* The next exchange sends the stored picture again with the history. */
  run.done = FALSE;
  natter_conversation_send_async (f->conv, chat, profile, "And its colour?", NULL, NULL, NULL, NULL,
                                  on_sent, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);
  request = natter_fake_provider_get_request (f->fake, 1);
  g_assert_nonnull (strstr (request->body, b64));
  g_assert_nonnull (strstr (request->body, "And its colour?"));

  /* The request log keeps the length, not the picture. */
  entry = natter_request_log_get_last (f->log);
  g_assert_nonnull (entry);
  logged = natter_log_entry_get_request_body (entry);
  g_assert_null (strstr (logged, b64));
  g_assert_nonnull (strstr (logged, "data:image/jpeg;base64,[base64: "));
}

#define ANTHROPIC_STREAM \
  "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\"," \
  "\"role\":\"assistant\",\"content\":[],\"model\":\"c\",\"usage\":{\"input_tokens\":9,\"output_tokens\":0}}}\n\n" \
  "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0," \
  "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" \
  "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0," \
  "\"delta\":{\"type\":\"text_delta\",\"text\":\"A cat.\"}}\n\n" \
  "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" \
  "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}," \
  "\"usage\":{\"output_tokens\":2}}\n\n" \
  "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"

/* The same through Anthropic's wire format, stored picture and all. */
static void
test_conversation_anthropic (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(NatterProfile) profile = natter_profile_new ("Claude", "anthropic");
  g_autoptr(GBytes) photo = make_image (300, 200, "jpeg", FALSE);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_attachment_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *b64 = NULL;
  JsonArray *messages, *blocks;
  JsonObject *source;
  gint64 chat;
  Run run = { 0 };

  g_setenv ("ANTHROPIC_API_KEY", "sk-ant-attach-SECRET-0123", TRUE);
  natter_profile_set_base_url (profile, natter_fake_provider_get_url (f->fake));
  natter_profile_set_model (profile, "claude-test");
  chat = natter_chat_store_new_chat (f->store, 0, "Claude", &error);
  g_ptr_array_add (list, attach_bytes (photo, "cat.jpg"));
  b64 = base64_of (((NatterAttachment *) list->pdata[0])->data);
  natter_fake_provider_add_route (f->fake, "POST", "/v1/messages",
                                  natter_fake_response_new_body (200, "text/event-stream", ANTHROPIC_STREAM));

  natter_conversation_send_with_attachments_async (f->conv, chat, profile, "What is it?", list, NULL, NULL,
                                                   NULL, NULL, on_sent, &run);
  g_assert_true (natter_test_wait_for (&run.done, 10000));
  g_assert_no_error (run.error);

  root = json_from_string (natter_fake_provider_get_request (f->fake, 0)->body, &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (root), "messages");
  blocks = json_object_get_array_member (json_array_get_object_element (messages,
                                                                        json_array_get_length (messages) - 1),
                                         "content");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (blocks, 0), "type"), ==, "image");
  source = json_object_get_object_member (json_array_get_object_element (blocks, 0), "source");
  g_assert_cmpstr (json_object_get_string_member (source, "type"), ==, "base64");
  g_assert_cmpstr (json_object_get_string_member (source, "media_type"), ==, "image/jpeg");
  g_assert_cmpstr (json_object_get_string_member (source, "data"), ==, b64);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (blocks, 1), "text"), ==,
                   "What is it?");
}

static void
test_log_elides_base64 (void)
{
  g_autofree char *run = g_strnfill (2000, 'Q');
  g_autofree char *text = g_strdup_printf ("{\"id\":\"sk-abc\",\"data\":\"%s\",\"n\":\"%s\"}", run,
                                           "0123456789abcdef0123456789abcdef");
  g_autofree char *elided = _natter_log_elide_base64_take (g_steal_pointer (&text));
  g_autoptr(JsonNode) node = json_from_string (elided, NULL);

  g_assert_cmpstr (elided, ==, "{\"id\":\"sk-abc\",\"data\":\"[base64: 2000 characters]\","
                               "\"n\":\"0123456789abcdef0123456789abcdef\"}");
  /* Still JSON. */
  g_assert_nonnull (node);
  g_assert_null (_natter_log_elide_base64_take (NULL));
}


/* ------------------------------------------------------------ SillyTavern */

static void
test_st_chat (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *user_dir = g_build_filename (f->tmpdir, "data", "default-user", NULL);
  g_autofree char *chat_dir = g_build_filename (user_dir, "chats", "Aqua", NULL);
  g_autofree char *image_dir = g_build_filename (user_dir, "user", "images", "Aqua", NULL);
  g_autofree char *image_path = g_build_filename (image_dir, "cat 1.png", NULL);
  g_autofree char *chat_path = g_build_filename (chat_dir, "Aqua - 2024.jsonl", NULL);
  g_autofree char *secret_path = g_build_filename (f->tmpdir, "secret.png", NULL);
  g_autoptr(GBytes) cat = make_image (24, 24, "png", FALSE);
  g_autoptr(GBytes) inline_png = make_image (8, 8, "png", FALSE);
  g_autofree char *inline_b64 = base64_of (inline_png);
  g_autoptr(GString) chat = g_string_new (NULL);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *exported = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 chat_id, native_id;
  gsize len;

  g_assert_cmpint (g_mkdir_with_parents (chat_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (image_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (image_path, g_bytes_get_data (cat, NULL), g_bytes_get_size (cat), NULL));
  /* Beside the data folder: a path climbing out must not reach it. */
  g_assert_true (g_file_set_contents (secret_path, g_bytes_get_data (cat, NULL), g_bytes_get_size (cat), NULL));

  g_string_append (chat, "{\"user_name\":\"Kazuma\",\"character_name\":\"Aqua\",\"create_date\":\"2024-03-02@17h05m11s\",\"chat_metadata\":{}}\n");
  /* 0: a picture SillyTavern saved under user/images. */
  g_string_append (chat, "{\"name\":\"Kazuma\",\"is_user\":true,\"mes\":\"Look\",\"extra\":{\"image\":\"/user/images/Aqua/cat%201.png\",\"inline_image\":true}}\n");
  /* 1: a picture whose file is gone. */
  g_string_append (chat, "{\"name\":\"Kazuma\",\"is_user\":true,\"mes\":\"Gone\",\"extra\":{\"image\":\"/user/images/Aqua/missing.png\",\"inline_image\":true}}\n");
  /* 2: a data: URL and a text file. */
  g_string_append_printf (chat, "{\"name\":\"Kazuma\",\"is_user\":true,\"mes\":\"Inline\",\"extra\":{\"image\":\"data:image/png;base64,%s\",\"file\":{\"name\":\"notes.md\",\"text\":\"# Notes\\n\",\"size\":8}}}\n", inline_b64);
  /* 3: a hostile path. */
  g_string_append (chat, "{\"name\":\"Kazuma\",\"is_user\":true,\"mes\":\"Climb\",\"extra\":{\"image\":\"../../../../secret.png\"}}\n");
  /* 4: newer versions' media list. */
  g_string_append (chat, "{\"name\":\"Aqua\",\"is_user\":false,\"mes\":\"Media\",\"extra\":{\"media\":[{\"url\":\"user/images/Aqua/cat 1.png\",\"type\":\"image\"}]}}\n");
  g_assert_true (g_file_set_contents (chat_path, chat->str, chat->len, NULL));

  chat_id = natter_st_chat_import_file (f->store, chat_path, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (chat_id, >, 0);
  messages = natter_chat_store_page_messages (f->store, chat_id, -1, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 5);

#define N_ATTACHED(i) natter_chat_store_count_attachments (f->store, natter_chat_message_get_id (messages->pdata[i]))
  g_assert_cmpuint (N_ATTACHED (0), ==, 1);
  g_assert_cmpuint (N_ATTACHED (1), ==, 0);
  g_assert_cmpuint (N_ATTACHED (2), ==, 2);
  g_assert_cmpuint (N_ATTACHED (3), ==, 0);
  g_assert_cmpuint (N_ATTACHED (4), ==, 1);
#undef N_ATTACHED
  list = natter_chat_store_list_attachments (f->store, natter_chat_message_get_id (messages->pdata[0]), &error);
  g_assert_true (g_bytes_equal (((NatterAttachment *) list->pdata[0])->data, cat));
  g_assert_cmpstr (((NatterAttachment *) list->pdata[0])->filename, ==, "cat 1.png");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = natter_chat_store_list_attachments (f->store, natter_chat_message_get_id (messages->pdata[2]), &error);
  g_assert_true (g_bytes_equal (((NatterAttachment *) list->pdata[0])->data, inline_png));
  g_assert_cmpint (((NatterAttachment *) list->pdata[1])->kind, ==, NATTER_ATTACHMENT_TEXT);
  g_assert_cmpstr (((NatterAttachment *) list->pdata[1])->filename, ==, "notes.md");
  /* One picture, used twice: stored once. */
  g_assert_cmpint (natter_chat_store_count_stored_attachments (f->store, NULL), ==, 3);

  /* A picture attached in Natter goes out as a data: URL. */
  g_clear_pointer (&list, g_ptr_array_unref);
  list = two_attachments ();
  {
    g_autoptr(GBytes) second = make_image (10, 10, "png", FALSE);
    g_autoptr(GPtrArray) two = g_ptr_array_new_with_free_func ((GDestroyNotify) natter_attachment_free);
    g_autofree char *out = NULL;
    g_autoptr(GPtrArray) again = NULL;
    g_autofree char *back_path = g_build_filename (f->tmpdir, "two.jsonl", NULL);
    gint64 two_chat = natter_chat_store_new_chat (f->store, 0, "Two", &error);
    gint64 back;

    /* Two pictures: "image" has the first, "media" both; they come back. */
    g_ptr_array_add (two, attach_bytes (cat, "a.png"));
    g_ptr_array_add (two, attach_bytes (second, "b.png"));
    natter_chat_store_append_message_with_attachments (f->store, two_chat, NATTER_ROLE_USER, "K", "Both",
                                                       two, &error);
    g_assert_no_error (error);
    out = natter_st_chat_export_data (f->store, two_chat, &len, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (out, "\"media\":[{\"url\":\"data:image/png;base64,"));
    g_assert_true (g_file_set_contents (back_path, out, len, NULL));
    back = natter_st_chat_import_file (f->store, back_path, 0, NULL, &error);
    g_assert_no_error (error);
    again = natter_chat_store_page_messages (f->store, back, -1, 10, &error);
    g_assert_cmpuint (natter_chat_store_count_attachments (f->store,
                                                           natter_chat_message_get_id (again->pdata[0])), ==, 2);
  }
  native_id = natter_chat_store_append_message_with_attachments (f->store, chat_id, NATTER_ROLE_USER,
                                                                 "Kazuma", "Mine", list, &error);
  g_assert_no_error (error);
  g_assert_cmpint (native_id, >, 0);

  exported = natter_st_chat_export_data (f->store, chat_id, &len, &error);
  g_assert_no_error (error);
  lines = g_strsplit (exported, "\n", -1);
  /* What came from SillyTavern is written back as it was. */
  g_assert_nonnull (strstr (lines[1], "\"image\":\"/user/images/Aqua/cat%201.png\""));
  g_assert_nonnull (strstr (lines[5], "\"media\":[{\"url\":\"user/images/Aqua/cat 1.png\""));
  g_assert_null (strstr (lines[5], "data:image"));
  {
    g_autoptr(JsonNode) node = json_from_string (lines[6], &error);
    JsonObject *extra;
    g_autofree char *b64 = base64_of (((NatterAttachment *) list->pdata[0])->data);
    g_autofree char *url = g_strconcat ("data:image/png;base64,", b64, NULL);

    g_assert_no_error (error);
    extra = json_object_get_object_member (json_node_get_object (node), "extra");
    g_assert_cmpstr (json_object_get_string_member (extra, "image"), ==, url);
    g_assert_true (json_object_get_boolean_member (extra, "inline_image"));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (extra, "file"), "text"),
                     ==, "hello\n");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (extra, "file"), "name"),
                     ==, "hello.txt");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/natter/attachments/sniff-images", test_sniff_images);
  g_test_add_func ("/natter/attachments/gif-webp", test_gif_webp);
  g_test_add_func ("/natter/attachments/text-files", test_text_files);
  g_test_add_func ("/natter/attachments/pdf-text", test_pdf_text);
  g_test_add_func ("/natter/attachments/hostile-files", test_hostile_files);
  g_test_add_func ("/natter/attachments/load-file", test_load_file);
  g_test_add_func ("/natter/attachments/downscale", test_downscale);
  g_test_add_func ("/natter/attachments/orientation", test_orientation);
  g_test_add_func ("/natter/attachments/dialect-openai-cohere", test_dialect_openai);
  g_test_add_func ("/natter/attachments/dialect-anthropic", test_dialect_anthropic);
  g_test_add_func ("/natter/attachments/dialect-gemini-vertex", test_dialect_gemini);
  g_test_add_func ("/natter/attachments/dialect-ollama", test_dialect_ollama);
  g_test_add_func ("/natter/attachments/dialect-bedrock", test_dialect_bedrock);
  g_test_add_func ("/natter/attachments/dialect-downscales", test_dialect_downscales);
  g_test_add_func ("/natter/attachments/dialect-text-completion", test_dialect_text_completion);
  g_test_add_func ("/natter/attachments/log-elides-base64", test_log_elides_base64);
  g_test_add ("/natter/attachments/store-dedup", Fixture, NULL, fixture_setup, test_store_dedup,
              fixture_teardown);
  g_test_add ("/natter/attachments/store-immutable", Fixture, NULL, fixture_setup,
              test_store_immutable, fixture_teardown);
  g_test_add ("/natter/attachments/st-chat", Fixture, NULL, fixture_setup, test_st_chat,
              fixture_teardown);
  g_test_add ("/natter/attachments/conversation-anthropic", Fixture, NULL, fixture_setup,
              test_conversation_anthropic, fixture_teardown);
  g_test_add ("/natter/attachments/conversation-sends", Fixture, NULL, fixture_setup,
              test_conversation_sends, fixture_teardown);

  return g_test_run ();
}
