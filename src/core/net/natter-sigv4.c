/* natter-sigv4.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-sigv4"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "natter-sigv4.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static void
append_encoded (GString    *out,
                const char *data,
                gsize       len,
                gboolean    keep_slash)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) data[i];

      if (is_unreserved (c) || (keep_slash && c == '/'))
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "%%%02X", c);
    }
}

char *
natter_sigv4_canonical_uri (const char *path)
{
  g_auto(GStrv) segments = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  GString *out = g_string_new ("/");
  gboolean trailing;

  if (path == NULL || *path == '\0')
    return g_string_free (out, FALSE);

  trailing = g_str_has_suffix (path, "/") && strlen (path) > 1;
  segments = g_strsplit (path, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (*segments[i] == '\0' || g_str_equal (segments[i], "."))
        continue;
      if (g_str_equal (segments[i], ".."))
        {
          if (kept->len > 0)
            g_ptr_array_remove_index (kept, kept->len - 1);
          continue;
        }
      g_ptr_array_add (kept, segments[i]);
    }

  for (guint i = 0; i < kept->len; i++)
    {
      const char *segment = g_ptr_array_index (kept, i);

      if (i > 0)
        g_string_append_c (out, '/');
      append_encoded (out, segment, strlen (segment), FALSE);
    }
  if (trailing && kept->len > 0)
    g_string_append_c (out, '/');

  return g_string_free (out, FALSE);
}

typedef struct
{
  char *name;
  char *value;
} Pair;

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const Pair *pa = a, *pb = b;
  int c = strcmp (pa->name, pb->name);

  return c != 0 ? c : strcmp (pa->value, pb->value);
}

static char *
encode_component (const char *raw,
                  gssize      len)
{
  g_autofree char *decoded = g_uri_unescape_segment (raw, len >= 0 ? raw + len : NULL, NULL);
  GString *out = g_string_new (NULL);

  /* An invalid escape is kept as the bytes it is. */
  if (decoded == NULL)
    decoded = len >= 0 ? g_strndup (raw, len) : g_strdup (raw);
  append_encoded (out, decoded, strlen (decoded), FALSE);
  return g_string_free (out, FALSE);
}

char *
natter_sigv4_canonical_query (const char *query)
{
  g_auto(GStrv) params = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  GString *out = g_string_new (NULL);

  if (query == NULL || *query == '\0')
    return g_string_free (out, FALSE);

  params = g_strsplit (query, "&", -1);
  for (guint i = 0; params[i] != NULL; i++)
    {
      const char *eq = strchr (params[i], '=');
      Pair pair;

      if (*params[i] == '\0')
        continue;
      pair.name = encode_component (params[i], eq != NULL ? eq - params[i] : -1);
      pair.value = eq != NULL ? encode_component (eq + 1, -1) : g_strdup ("");
      g_array_append_val (pairs, pair);
    }
  g_array_sort (pairs, compare_pairs);

  for (guint i = 0; i < pairs->len; i++)
    {
      Pair *pair = &g_array_index (pairs, Pair, i);

      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append_printf (out, "%s=%s", pair->name, pair->value);
      g_free (pair->name);
      g_free (pair->value);
    }

  return g_string_free (out, FALSE);
}

/* Trims and collapses runs of spaces into one, as the reference asks. */
static void
append_trimmed_value (GString    *out,
                      const char *value)
{
  gboolean space = FALSE;
  gsize start = out->len;

  while (*value == ' ' || *value == '\t')
    value++;
  for (; *value != '\0'; value++)
    {
      if (*value == ' ' || *value == '\t')
        {
          space = TRUE;
          continue;
        }
      if (space && out->len > start)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *value);
    }
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
natter_sigv4_canonical_request (const char          *method,
                                const char          *path,
                                const char          *query,
                                const char * const  *headers,
                                const char          *payload_sha256_hex,
                                char               **signed_headers)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        string_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *uri = natter_sigv4_canonical_uri (path);
  g_autofree char *canonical_query = natter_sigv4_canonical_query (query);
  GString *out = g_string_new (NULL);
  GString *signed_list = g_string_new (NULL);

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (payload_sha256_hex != NULL, NULL);

  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      char *name = g_strstrip (g_ascii_strdown (headers[i], -1));
      GString *value = g_hash_table_lookup (values, name);

      if (value == NULL)
        {
          value = g_string_new (NULL);
          g_hash_table_insert (values, name, value);
          g_ptr_array_add (names, name);
        }
      else
        {
          g_free (name);
          g_string_append_c (value, ',');
        }
      append_trimmed_value (value, headers[i + 1]);
    }
  g_ptr_array_sort (names, compare_strings);

  g_string_append_printf (out, "%s\n%s\n%s\n", method, uri, canonical_query);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      GString *value = g_hash_table_lookup (values, name);

      g_string_append_printf (out, "%s:%s\n", name, value->str);
      if (i > 0)
        g_string_append_c (signed_list, ';');
      g_string_append (signed_list, name);
    }
  g_string_append_printf (out, "\n%s\n%s", signed_list->str, payload_sha256_hex);

  if (signed_headers != NULL)
    *signed_headers = g_string_free (signed_list, FALSE);
  else
    g_string_free (signed_list, TRUE);

  return g_string_free (out, FALSE);
}

char *
natter_sigv4_string_to_sign (const char *amz_date,
                             const char *scope,
                             const char *canonical_request)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical_request, -1);

  return g_strdup_printf (ALGORITHM "\n%s\n%s\n%s", amz_date, scope, hash);
}

/* HMAC-SHA256 of @data with @key into @out (32 bytes). */
static void
hmac (const guint8 *key,
      gsize         key_len,
      const char   *data,
      guint8        out[32])
{
  g_autoptr(GHmac) h = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  gsize len = 32;

  g_hmac_update (h, (const guchar *) data, strlen (data));
  g_hmac_get_digest (h, out, &len);
}

char *
natter_sigv4_signature (const char *secret_access_key,
                        const char *date,
                        const char *region,
                        const char *service,
                        const char *string_to_sign)
{
  g_autofree char *first = g_strconcat ("AWS4", secret_access_key, NULL);
  guint8 k[32], next[32];
  GString *hex = g_string_sized_new (64);

  hmac ((const guint8 *) first, strlen (first), date, k);
  hmac (k, 32, region, next);
  hmac (next, 32, service, k);
  hmac (k, 32, "aws4_request", next);
  hmac (next, 32, string_to_sign, k);

  for (guint i = 0; i < 32; i++)
    g_string_append_printf (hex, "%02x", k[i]);

  memset (first, 0, strlen (first));
  memset (next, 0, sizeof next);
  memset (k, 0, sizeof k);
  return g_string_free (hex, FALSE);
}

static gboolean
is_default_port (const char *scheme,
                 int         port)
{
  return port < 0 ||
         (port == 443 && g_ascii_strcasecmp (scheme, "https") == 0) ||
         (port == 80 && g_ascii_strcasecmp (scheme, "http") == 0);
}

gboolean
natter_sigv4_sign_request (NatterRequest                 *request,
                           const NatterSigV4Credentials  *credentials,
                           GDateTime                     *when,
                           GError                       **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *host = NULL;
  g_autofree char *amz_date = NULL;
  g_autofree char *date = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *payload_hash = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *signed_headers = NULL;
  g_autofree char *to_sign = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *authorization = NULL;
  GBytes *body;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (credentials != NULL, FALSE);

  if (credentials->access_key_id == NULL || *credentials->access_key_id == '\0' ||
      credentials->secret_access_key == NULL || *credentials->secret_access_key == '\0')
    {
      g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH,
                           _("AWS needs an access key ID and a secret access key"));
      return FALSE;
    }

  uri = g_uri_parse (natter_request_get_url (request), G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      g_set_error_literal (error, NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                           _("The request address cannot be signed"));
      return FALSE;
    }

  now = when != NULL ? g_date_time_to_utc (when) : g_date_time_new_now_utc ();
  amz_date = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  date = g_date_time_format (now, "%Y%m%d");
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", date, credentials->region,
                           credentials->service);

  natter_request_set_header (request, "X-Amz-Date", amz_date);
  if (credentials->session_token != NULL && *credentials->session_token != '\0')
    natter_request_set_secret_header (request, "X-Amz-Security-Token", credentials->session_token);

  if (is_default_port (g_uri_get_scheme (uri), g_uri_get_port (uri)))
    host = g_strdup (g_uri_get_host (uri));
  else
    host = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));

  g_ptr_array_add (headers, g_strdup ("host"));
  g_ptr_array_add (headers, g_strdup (host));
  body = natter_request_get_body (request);
  if (body != NULL)
    {
      g_ptr_array_add (headers, g_strdup ("content-type"));
      g_ptr_array_add (headers, g_strdup (natter_request_get_content_type (request)));
    }
  for (guint i = 0; i < natter_request_get_n_headers (request); i++)
    {
      const char *name = natter_request_get_header_name (request, i);

      if (g_ascii_strncasecmp (name, "x-amz-", 6) != 0)
        continue;
      g_ptr_array_add (headers, g_strdup (name));
      g_ptr_array_add (headers, g_strdup (natter_request_get_header_value (request, i)));
    }
  g_ptr_array_add (headers, NULL);

  if (body != NULL)
    payload_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  else
    payload_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "", 0);

  canonical = natter_sigv4_canonical_request (natter_request_get_method (request),
                                              g_uri_get_path (uri), g_uri_get_query (uri),
                                              (const char * const *) headers->pdata,
                                              payload_hash, &signed_headers);
  to_sign = natter_sigv4_string_to_sign (amz_date, scope, canonical);
  signature = natter_sigv4_signature (credentials->secret_access_key, date,
                                      credentials->region, credentials->service, to_sign);
  authorization = g_strdup_printf (ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                                   credentials->access_key_id, scope, signed_headers, signature);
  natter_request_set_secret_header (request, "Authorization", authorization);

  return TRUE;
}
