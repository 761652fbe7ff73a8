/* natter-service-account.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-service-account"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <json-glib/json-glib.h>

#include "natter-service-account.h"

#define MAX_FILE_SIZE (64 * 1024)
#define LIFETIME_S 3600

struct _NatterServiceAccount
{
  char              *client_email;
  char              *project_id;
  char              *token_uri;
  char              *fingerprint;
  gnutls_privkey_t   key;
};

G_DEFINE_QUARK (natter-service-account-error-quark, natter_service_account_error)

void
natter_service_account_free (NatterServiceAccount *self)
{
  if (self == NULL)
    return;
  g_free (self->client_email);
  g_free (self->project_id);
  g_free (self->token_uri);
  g_free (self->fingerprint);
  if (self->key != NULL)
    gnutls_privkey_deinit (self->key);
  g_free (self);
}

static const char *
required_string (JsonObject  *object,
                 const char  *name,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value = NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    value = json_node_get_string (node);
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, NATTER_SERVICE_ACCOUNT_ERROR,
                   NATTER_SERVICE_ACCOUNT_ERROR_MISSING_FIELD,
                   _("The service account file has no “%s”"), name);
      return NULL;
    }
  return value;
}

static gnutls_privkey_t
import_key (const char  *pem,
            GError     **error)
{
  gnutls_privkey_t key = NULL;
  gnutls_datum_t datum;
  int ret;

  datum.data = (unsigned char *) pem;
  datum.size = strlen (pem);

  if (gnutls_privkey_init (&key) < 0)
    {
      g_set_error_literal (error, NATTER_SERVICE_ACCOUNT_ERROR, NATTER_SERVICE_ACCOUNT_ERROR_BAD_KEY,
                           _("The service account key could not be read"));
      return NULL;
    }
  ret = gnutls_privkey_import_x509_raw (key, &datum, GNUTLS_X509_FMT_PEM, NULL, 0);
  if (ret < 0)
    {
      gnutls_privkey_deinit (key);
      g_set_error_literal (error, NATTER_SERVICE_ACCOUNT_ERROR, NATTER_SERVICE_ACCOUNT_ERROR_BAD_KEY,
                           _("The service account’s “private_key” is not a PEM private key"));
      return NULL;
    }
  if (gnutls_privkey_get_pk_algorithm (key, NULL) != GNUTLS_PK_RSA)
    {
      gnutls_privkey_deinit (key);
      g_set_error_literal (error, NATTER_SERVICE_ACCOUNT_ERROR, NATTER_SERVICE_ACCOUNT_ERROR_BAD_KEY,
                           _("The service account key is not an RSA key"));
      return NULL;
    }
  return key;
}

NatterServiceAccount *
natter_service_account_parse (const char  *json,
                              gssize       len,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(NatterServiceAccount) self = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *type_node;
  const char *type = NULL;
  const char *email, *project, *key, *token_uri;

  g_return_val_if_fail (json != NULL, NULL);

  if (len < 0)
    len = strlen (json);
  if (len > MAX_FILE_SIZE ||
      !json_parser_load_from_data (parser, json, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, NATTER_SERVICE_ACCOUNT_ERROR, NATTER_SERVICE_ACCOUNT_ERROR_MALFORMED,
                           _("This is not a service account key file: it is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);

  type_node = json_object_get_member (object, "type");
  if (type_node != NULL && JSON_NODE_HOLDS_VALUE (type_node) &&
      json_node_get_value_type (type_node) == G_TYPE_STRING)
    type = json_node_get_string (type_node);
  if (g_strcmp0 (type, "service_account") != 0)
    {
      g_set_error (error, NATTER_SERVICE_ACCOUNT_ERROR, NATTER_SERVICE_ACCOUNT_ERROR_NOT_SERVICE,
                   _("This is not a service account key file (its “type” is “%s”, not “service_account”)"),
                   type != NULL ? type : "");
      return NULL;
    }

  if ((project = required_string (object, "project_id", error)) == NULL ||
      (key = required_string (object, "private_key", error)) == NULL ||
      (email = required_string (object, "client_email", error)) == NULL ||
      (token_uri = required_string (object, "token_uri", error)) == NULL)
    return NULL;

  if (!g_str_has_prefix (token_uri, "https://") && !g_str_has_prefix (token_uri, "http://"))
    {
      g_set_error_literal (error, NATTER_SERVICE_ACCOUNT_ERROR, NATTER_SERVICE_ACCOUNT_ERROR_MISSING_FIELD,
                           _("The service account’s “token_uri” is not an https address"));
      return NULL;
    }

  self = g_new0 (NatterServiceAccount, 1);
  if ((self->key = import_key (key, error)) == NULL)
    return NULL;
  self->client_email = g_strdup (email);
  self->project_id = g_strdup (project);
  self->token_uri = g_strdup (token_uri);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) email, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) key, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) token_uri, -1);
  self->fingerprint = g_strdup (g_checksum_get_string (checksum));

  /* GnuTLS holds the key now; the parser's copy of the PEM goes. */
  memset ((char *) key, 0, strlen (key));

  return g_steal_pointer (&self);
}

const char *
natter_service_account_get_client_email (NatterServiceAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->client_email;
}

const char *
natter_service_account_get_project_id (NatterServiceAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->project_id;
}

const char *
natter_service_account_get_token_uri (NatterServiceAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->token_uri;
}

const char *
natter_service_account_get_fingerprint (NatterServiceAccount *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->fingerprint;
}

/* base64url without padding (RFC 7515, section 2). */
static char *
base64url (const guint8 *data,
           gsize         len)
{
  char *text = g_base64_encode (data, len);
  char *out = text;

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '=')
        break;
      *out++ = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    }
  *out = '\0';
  return text;
}

static char *
json_text (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
natter_service_account_build_assertion (NatterServiceAccount  *self,
                                        const char            *scope,
                                        gint64                 now_s,
                                        GError               **error)
{
  g_autoptr(JsonBuilder) header = json_builder_new ();
  g_autoptr(JsonBuilder) claims = json_builder_new ();
  g_autofree char *header_text = NULL;
  g_autofree char *claims_text = NULL;
  g_autofree char *header_b64 = NULL;
  g_autofree char *claims_b64 = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *signature_b64 = NULL;
  gnutls_datum_t data, signature = { NULL, 0 };
  int ret;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (header);
  json_builder_set_member_name (header, "alg");
  json_builder_add_string_value (header, "RS256");
  json_builder_set_member_name (header, "typ");
  json_builder_add_string_value (header, "JWT");
  json_builder_end_object (header);

  json_builder_begin_object (claims);
  json_builder_set_member_name (claims, "iss");
  json_builder_add_string_value (claims, self->client_email);
  json_builder_set_member_name (claims, "scope");
  json_builder_add_string_value (claims, scope != NULL ? scope : NATTER_GOOGLE_CLOUD_SCOPE);
  json_builder_set_member_name (claims, "aud");
  json_builder_add_string_value (claims, self->token_uri);
  json_builder_set_member_name (claims, "iat");
  json_builder_add_int_value (claims, now_s);
  json_builder_set_member_name (claims, "exp");
  json_builder_add_int_value (claims, now_s + LIFETIME_S);
  json_builder_end_object (claims);

  header_text = json_text (header);
  claims_text = json_text (claims);
  header_b64 = base64url ((const guint8 *) header_text, strlen (header_text));
  claims_b64 = base64url ((const guint8 *) claims_text, strlen (claims_text));
  signing_input = g_strconcat (header_b64, ".", claims_b64, NULL);

  data.data = (unsigned char *) signing_input;
  data.size = strlen (signing_input);
  ret = gnutls_privkey_sign_data (self->key, GNUTLS_DIG_SHA256, 0, &data, &signature);
  if (ret < 0)
    {
      g_set_error (error, NATTER_SERVICE_ACCOUNT_ERROR, NATTER_SERVICE_ACCOUNT_ERROR_BAD_KEY,
                   _("Signing with the service account key failed: %s"), gnutls_strerror (ret));
      return NULL;
    }
  signature_b64 = base64url (signature.data, signature.size);
  gnutls_free (signature.data);

  return g_strconcat (signing_input, ".", signature_b64, NULL);
}
