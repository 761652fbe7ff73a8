/* natter-test-cloud.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <zlib.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <json-glib/json-glib.h>

#include "natter-sigv4.h"
#include "natter-test-cloud.h"

static void
put_u32 (GByteArray *out,
         guint32     value)
{
  guint8 b[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, b, 4);
}

static void
put_string_header (GByteArray *out,
                   const char *name,
                   const char *value)
{
  guint8 name_len = strlen (name);
  guint16 value_len = strlen (value);
  guint8 type = 7;
  guint8 len_be[2] = { value_len >> 8, value_len & 0xff };

  g_byte_array_append (out, &name_len, 1);
  g_byte_array_append (out, (const guint8 *) name, name_len);
  g_byte_array_append (out, &type, 1);
  g_byte_array_append (out, len_be, 2);
  g_byte_array_append (out, (const guint8 *) value, value_len);
}

GBytes *
natter_test_event_stream_message (const char *message_type,
                                  const char *type,
                                  const char *payload)
{
  g_autoptr(GByteArray) headers = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();
  gsize payload_len = strlen (payload);
  guint32 total;

  /* A non-string header first, to be skipped. */
  {
    const guint8 flag[] = { 5, 'x', '-', 'f', 'l', 'g', 0 };

    g_byte_array_append (headers, flag, sizeof flag);
  }
  put_string_header (headers, ":message-type", message_type);
  put_string_header (headers, g_str_equal (message_type, "exception") ? ":exception-type"
                                                                       : ":event-type", type);
  put_string_header (headers, ":content-type", "application/json");

  total = 16 + headers->len + payload_len;
  put_u32 (out, total);
  put_u32 (out, headers->len);
  put_u32 (out, crc32 (0L, out->data, 8));
  g_byte_array_append (out, headers->data, headers->len);
  g_byte_array_append (out, (const guint8 *) payload, payload_len);
  put_u32 (out, crc32 (0L, out->data, out->len));

  return g_byte_array_free_to_bytes (out);
}

void
natter_test_rsa_key_pair (char **private_pem,
                          char **public_pem)
{
  gnutls_x509_privkey_t x509 = NULL;
  gnutls_privkey_t priv = NULL;
  gnutls_pubkey_t pub = NULL;
  gnutls_datum_t out = { NULL, 0 };

  g_assert_cmpint (gnutls_x509_privkey_init (&x509), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_generate (x509, GNUTLS_PK_RSA, 2048, 0), ==, 0);
  g_assert_cmpint (gnutls_x509_privkey_export2_pkcs8 (x509, GNUTLS_X509_FMT_PEM, NULL,
                                                      GNUTLS_PKCS_PLAIN, &out), ==, 0);
  *private_pem = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);

  g_assert_cmpint (gnutls_privkey_init (&priv), ==, 0);
  g_assert_cmpint (gnutls_privkey_import_x509 (priv, x509, GNUTLS_PRIVKEY_IMPORT_COPY), ==, 0);
  g_assert_cmpint (gnutls_pubkey_init (&pub), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import_privkey (pub, priv, 0, 0), ==, 0);
  g_assert_cmpint (gnutls_pubkey_export2 (pub, GNUTLS_X509_FMT_PEM, &out), ==, 0);
  *public_pem = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);

  gnutls_pubkey_deinit (pub);
  gnutls_privkey_deinit (priv);
  gnutls_x509_privkey_deinit (x509);
}

char *
natter_test_service_account_json (const char *private_pem,
                                  const char *project,
                                  const char *client_email,
                                  const char *token_uri)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "service_account");
  json_builder_set_member_name (builder, "project_id");
  json_builder_add_string_value (builder, project);
  json_builder_set_member_name (builder, "private_key_id");
  json_builder_add_string_value (builder, "0123456789abcdef");
  json_builder_set_member_name (builder, "private_key");
  json_builder_add_string_value (builder, private_pem);
  json_builder_set_member_name (builder, "client_email");
  json_builder_add_string_value (builder, client_email);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, "1234567890");
  json_builder_set_member_name (builder, "auth_uri");
  json_builder_add_string_value (builder, "https://accounts.google.com/o/oauth2/auth");
  json_builder_set_member_name (builder, "token_uri");
  json_builder_add_string_value (builder, token_uri);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static guint8 *
base64url_decode (const char *text,
                  gsize       len,
                  gsize      *out_len)
{
  GString *b64 = g_string_new_len (text, len);

  for (gsize i = 0; i < b64->len; i++)
    if (b64->str[i] == '-')
      b64->str[i] = '+';
    else if (b64->str[i] == '_')
      b64->str[i] = '/';
  while (b64->len % 4 != 0)
    g_string_append_c (b64, '=');
  {
    guint8 *out = g_base64_decode (b64->str, out_len);

    g_string_free (b64, TRUE);
    return out;
  }
}

char *
natter_test_verify_jwt (const char  *jwt,
                        const char  *public_pem,
                        char       **why)
{
  const char *dot1 = strchr (jwt, '.');
  const char *dot2 = dot1 != NULL ? strchr (dot1 + 1, '.') : NULL;
  g_autofree guint8 *header = NULL;
  g_autofree guint8 *claims = NULL;
  g_autofree guint8 *signature = NULL;
  gsize header_len, claims_len, signature_len;
  gnutls_pubkey_t pub = NULL;
  gnutls_datum_t pem, data, sig;
  int ret;

  if (dot1 == NULL || dot2 == NULL || strchr (dot2 + 1, '.') != NULL)
    {
      *why = g_strdup ("not three dot-separated parts");
      return NULL;
    }
  header = base64url_decode (jwt, dot1 - jwt, &header_len);
  claims = base64url_decode (dot1 + 1, dot2 - dot1 - 1, &claims_len);
  signature = base64url_decode (dot2 + 1, strlen (dot2 + 1), &signature_len);

  {
    g_autofree char *header_text = g_strndup ((const char *) header, header_len);

    if (strstr (header_text, "\"alg\":\"RS256\"") == NULL || strstr (header_text, "\"typ\":\"JWT\"") == NULL)
      {
        *why = g_strdup_printf ("unexpected header %s", header_text);
        return NULL;
      }
  }

  pem.data = (unsigned char *) public_pem;
  pem.size = strlen (public_pem);
  data.data = (unsigned char *) jwt;
  data.size = dot2 - jwt;
  sig.data = signature;
  sig.size = signature_len;
  g_assert_cmpint (gnutls_pubkey_init (&pub), ==, 0);
  g_assert_cmpint (gnutls_pubkey_import (pub, &pem, GNUTLS_X509_FMT_PEM), ==, 0);
  ret = gnutls_pubkey_verify_data2 (pub, GNUTLS_SIGN_RSA_SHA256, 0, &data, &sig);
  gnutls_pubkey_deinit (pub);
  if (ret < 0)
    {
      *why = g_strdup_printf ("RS256 signature does not verify: %s", gnutls_strerror (ret));
      return NULL;
    }
  return g_strndup ((const char *) claims, claims_len);
}

gboolean
natter_test_verify_sigv4 (const char          *method,
                          const char          *path,
                          const char          *query,
                          SoupMessageHeaders  *headers,
                          const char          *body,
                          gsize                body_len,
                          const char          *access_key_id,
                          const char          *secret,
                          char               **why)
{
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char *amz_date = soup_message_headers_get_one (headers, "X-Amz-Date");
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) names = NULL;
  g_autofree char *akid = NULL, *date = NULL, *region = NULL, *service = NULL;
  g_autofree char *signed_list = NULL, *signature = NULL;
  g_autofree char *payload_hash = NULL, *canonical = NULL, *recomputed_list = NULL;
  g_autofree char *scope = NULL, *sts = NULL, *expected = NULL;

  if (authorization == NULL || amz_date == NULL)
    {
      *why = g_strdup ("no Authorization or X-Amz-Date header");
      return FALSE;
    }
  regex = g_regex_new ("^AWS4-HMAC-SHA256 Credential=([^/]+)/([0-9]{8})/([^/]+)/([^/]+)/aws4_request, "
                       "SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$", 0, 0, NULL);
  if (!g_regex_match (regex, authorization, 0, &match))
    {
      *why = g_strdup_printf ("malformed Authorization: %s", authorization);
      return FALSE;
    }
  akid = g_match_info_fetch (match, 1);
  date = g_match_info_fetch (match, 2);
  region = g_match_info_fetch (match, 3);
  service = g_match_info_fetch (match, 4);
  signed_list = g_match_info_fetch (match, 5);
  signature = g_match_info_fetch (match, 6);

  if (g_strcmp0 (akid, access_key_id) != 0 || g_strcmp0 (service, "bedrock") != 0 ||
      !g_str_has_prefix (amz_date, date))
    {
      *why = g_strdup_printf ("wrong credential scope: %s", authorization);
      return FALSE;
    }

  names = g_strsplit (signed_list, ";", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *value = soup_message_headers_get_list (headers, names[i]);

      if (value == NULL)
        {
          *why = g_strdup_printf ("signed header %s did not arrive", names[i]);
          return FALSE;
        }
      g_ptr_array_add (pairs, g_strdup (names[i]));
      g_ptr_array_add (pairs, g_strdup (value));
    }
  g_ptr_array_add (pairs, NULL);
  if (strstr (signed_list, "host") == NULL)
    {
      *why = g_strdup ("host is not signed");
      return FALSE;
    }

  payload_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) body, body_len);
  canonical = natter_sigv4_canonical_request (method, path, query,
                                              (const char * const *) pairs->pdata,
                                              payload_hash, &recomputed_list);
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", date, region, service);
  sts = natter_sigv4_string_to_sign (amz_date, scope, canonical);
  expected = natter_sigv4_signature (secret, date, region, service, sts);

  if (g_strcmp0 (expected, signature) != 0)
    {
      *why = g_strdup_printf ("signature mismatch; canonical request:\n%s", canonical);
      return FALSE;
    }
  return TRUE;
}
