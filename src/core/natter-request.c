/* natter-request.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "natter-request.h"

typedef struct
{
  char     *name;
  char     *value;
  gboolean  secret;
} Header;

struct _NatterRequest
{
  gatomicrefcount  ref_count;
  gboolean         frozen;
  char            *method;
  char            *url;
  GArray          *headers;   /* Header */
  char            *content_type;
  GBytes          *body;
  NatterFraming    framing;
};

G_DEFINE_BOXED_TYPE (NatterRequest, natter_request, natter_request_ref, natter_request_unref)

static const char * const always_secret[] = {
  "authorization", "x-api-key", "x-goog-api-key", "api-key", "proxy-authorization",
  "cookie", "x-amz-security-token",
};

static const char * const secret_query_params[] = {
  "key", "api_key", "apikey", "access_token", "token",
};

static void
header_clear (gpointer data)
{
  Header *header = data;

  g_free (header->name);
  g_free (header->value);
}

NatterRequest *
natter_request_new (const char *method,
                    const char *url)
{
  NatterRequest *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_new0 (NatterRequest, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->method = g_strdup (method);
  self->url = g_strdup (url);
  self->headers = g_array_new (FALSE, TRUE, sizeof (Header));
  g_array_set_clear_func (self->headers, header_clear);
  self->framing = NATTER_FRAMING_NONE;

  return self;
}

NatterRequest *
natter_request_ref (NatterRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
natter_request_unref (NatterRequest *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->method);
      g_free (self->url);
      g_array_unref (self->headers);
      g_free (self->content_type);
      g_clear_pointer (&self->body, g_bytes_unref);
      g_free (self);
    }
}

static gboolean
name_is_always_secret (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (always_secret); i++)
    if (g_ascii_strcasecmp (name, always_secret[i]) == 0)
      return TRUE;

  return FALSE;
}

static void
set_header_full (NatterRequest *self,
                 const char    *name,
                 const char    *value,
                 gboolean       secret)
{
  Header header;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->frozen);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  for (guint i = 0; i < self->headers->len; i++)
    {
      Header *existing = &g_array_index (self->headers, Header, i);

      if (g_ascii_strcasecmp (existing->name, name) == 0)
        {
          g_free (existing->value);
          existing->value = g_strdup (value);
          existing->secret = secret || name_is_always_secret (name);
          return;
        }
    }

  header.name = g_strdup (name);
  header.value = g_strdup (value);
  header.secret = secret || name_is_always_secret (name);
  g_array_append_val (self->headers, header);
}

void
natter_request_set_header (NatterRequest *self,
                           const char    *name,
                           const char    *value)
{
  set_header_full (self, name, value, FALSE);
}

void
natter_request_set_secret_header (NatterRequest *self,
                                  const char    *name,
                                  const char    *value)
{
  set_header_full (self, name, value, TRUE);
}

void
natter_request_remove_header (NatterRequest *self,
                              const char    *name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->frozen);
  g_return_if_fail (name != NULL);

  for (guint i = 0; i < self->headers->len; i++)
    if (g_ascii_strcasecmp (g_array_index (self->headers, Header, i).name, name) == 0)
      {
        g_array_remove_index (self->headers, i);
        return;
      }
}

void
natter_request_set_body (NatterRequest *self,
                         const char    *content_type,
                         GBytes        *body)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->frozen);

  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->content_type);
  self->content_type = g_strdup (content_type ? content_type : "application/json");
  if (body != NULL)
    self->body = g_bytes_new (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

void
natter_request_set_body_string (NatterRequest *self,
                                const char    *content_type,
                                const char    *body)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (body != NULL);

  bytes = g_bytes_new_static (body, strlen (body));
  natter_request_set_body (self, content_type, bytes);
}

void
natter_request_set_url (NatterRequest *self,
                        const char    *url)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->frozen);
  g_return_if_fail (url != NULL);

  g_free (self->url);
  self->url = g_strdup (url);
}

void
natter_request_set_framing (NatterRequest *self,
                            NatterFraming  framing)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->frozen);

  self->framing = framing;
}

void
natter_request_freeze (NatterRequest *self)
{
  g_return_if_fail (self != NULL);

  self->frozen = TRUE;
}

gboolean
natter_request_is_frozen (NatterRequest *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->frozen;
}

const char *
natter_request_get_method (NatterRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->method;
}

const char *
natter_request_get_url (NatterRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->url;
}

static gboolean
query_name_is_secret (const char *name,
                      gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (secret_query_params); i++)
    if (strlen (secret_query_params[i]) == len &&
        g_ascii_strncasecmp (name, secret_query_params[i], len) == 0)
      return TRUE;

  return FALSE;
}

char *
natter_request_dup_redacted_url (NatterRequest *self)
{
  const char *query;
  const char *p;
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  query = strchr (self->url, '?');
  if (query == NULL)
    return g_strdup (self->url);

  out = g_string_new_len (self->url, query - self->url + 1);
  p = query + 1;

  while (*p != '\0')
    {
      const char *end = p + strcspn (p, "&#");
      const char *eq = memchr (p, '=', end - p);

      if (eq != NULL && query_name_is_secret (p, eq - p))
        {
          g_string_append_len (out, p, eq - p + 1);
          g_string_append (out, "REDACTED");
        }
      else
        g_string_append_len (out, p, end - p);

      if (*end == '&')
        {
          g_string_append_c (out, '&');
          p = end + 1;
        }
      else
        {
          g_string_append (out, end);
          break;
        }
    }

  return g_string_free (out, FALSE);
}

guint
natter_request_get_n_headers (NatterRequest *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->headers->len;
}

const char *
natter_request_get_header_name (NatterRequest *self,
                                guint          i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->headers->len, NULL);

  return g_array_index (self->headers, Header, i).name;
}

const char *
natter_request_get_header_value (NatterRequest *self,
                                 guint          i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->headers->len, NULL);

  return g_array_index (self->headers, Header, i).value;
}

gboolean
natter_request_header_is_secret (NatterRequest *self,
                                 guint          i)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (i < self->headers->len, FALSE);

  return g_array_index (self->headers, Header, i).secret;
}

const char *
natter_request_get_header (NatterRequest *self,
                           const char    *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->headers->len; i++)
    {
      Header *header = &g_array_index (self->headers, Header, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }

  return NULL;
}

const char *
natter_request_get_content_type (NatterRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->content_type;
}

GBytes *
natter_request_get_body (NatterRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->body;
}

NatterFraming
natter_request_get_framing (NatterRequest *self)
{
  g_return_val_if_fail (self != NULL, NATTER_FRAMING_NONE);

  return self->framing;
}

static char *
redact_value (const char *value)
{
  const char *space = strchr (value, ' ');

  /* Keep an auth scheme ("Bearer", "Basic") so the reader sees its shape. */
  if (space != NULL && space > value)
    return g_strdup_printf ("%.*s REDACTED", (int) (space - value), value);

  return g_strdup ("REDACTED");
}

char *
natter_request_dup_redacted_headers_json (NatterRequest *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < self->headers->len; i++)
    {
      Header *header = &g_array_index (self->headers, Header, i);

      json_builder_set_member_name (builder, header->name);
      if (header->secret)
        {
          g_autofree char *redacted = redact_value (header->value);
          json_builder_add_string_value (builder, redacted);
        }
      else
        json_builder_add_string_value (builder, header->value);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

char *
natter_redact_secret (const char *text,
                      const char *secret)
{
  if (text == NULL)
    return NULL;

  /* Very short "secrets" would redact ordinary words. */
  if (secret == NULL || strlen (secret) < 4)
    return g_strdup (text);

  {
    g_auto(GStrv) parts = g_strsplit (text, secret, -1);
    return g_strjoinv ("REDACTED", parts);
  }
}
