/* natter-openrouter-signin.c
 *
 * Copyright 2026 The Natter authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "natter-openrouter-signin"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "natter-json.h"
#include "natter-openrouter-signin.h"
#include "natter-secrets.h"
#include "natter-types.h"

#define MAX_EXCHANGE_BODY (64 * 1024)

struct _NatterOpenrouterSignin
{
  GObject       parent_instance;

  char         *auth_url;
  char         *api_base;
  char         *verifier;
  char         *challenge;
  char         *url;
  SoupServer   *server;
  SoupSession  *session;

  char         *code;          /* from the callback, until exchanged */
  char         *uuid;          /* the profile being signed in */
  gboolean      called_back;   /* one-shot: later callbacks are refused */
  GTask        *task;          /* the pending wait */
  guint         timeout_id;
  gulong        cancel_id;
};

G_DEFINE_FINAL_TYPE (NatterOpenrouterSignin, natter_openrouter_signin, G_TYPE_OBJECT)

typedef struct
{
  char *uuid;
  char *name;
} WaitData;

static void
wait_data_free (WaitData *wd)
{
  g_free (wd->uuid);
  g_free (wd->name);
  g_free (wd);
}

static char *
base64url (const guchar *data,
           gsize         len)
{
  char *text = g_base64_encode (data, len);

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return text;
}

char *
natter_pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &len);
  return base64url (digest, len);
}

static gboolean
disconnect_idle (gpointer user_data)
{
  soup_server_disconnect (SOUP_SERVER (user_data));
  return G_SOURCE_REMOVE;
}

/* From an idle: a handler that ends the wait still sends its page. */
static void
stop_listening (NatterOpenrouterSignin *self)
{
  if (self->server != NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT, disconnect_idle,
                     g_steal_pointer (&self->server), g_object_unref);
}

static void
clear_wait (NatterOpenrouterSignin *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->task != NULL && self->cancel_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (self->task), self->cancel_id);
  self->cancel_id = 0;
}

/* Ends the wait with @error (taken) or success; stops the listener. */
static void
finish_wait (NatterOpenrouterSignin *self,
             GError                 *error)
{
  g_autoptr(GTask) task = NULL;

  clear_wait (self);
  task = g_steal_pointer (&self->task);
  if (self->code != NULL)
    memset (self->code, 0, strlen (self->code));
  g_clear_pointer (&self->code, g_free);
  stop_listening (self);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
natter_openrouter_signin_dispose (GObject *object)
{
  NatterOpenrouterSignin *self = (NatterOpenrouterSignin *) object;

  finish_wait (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sign-in cancelled")));
  g_clear_object (&self->session);

  G_OBJECT_CLASS (natter_openrouter_signin_parent_class)->dispose (object);
}

static void
natter_openrouter_signin_finalize (GObject *object)
{
  NatterOpenrouterSignin *self = (NatterOpenrouterSignin *) object;

  g_free (self->auth_url);
  g_free (self->api_base);
  if (self->verifier != NULL)
    memset (self->verifier, 0, strlen (self->verifier));
  g_free (self->verifier);
  g_free (self->challenge);
  g_free (self->url);
  g_free (self->uuid);

  G_OBJECT_CLASS (natter_openrouter_signin_parent_class)->finalize (object);
}

static void
natter_openrouter_signin_class_init (NatterOpenrouterSigninClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = natter_openrouter_signin_dispose;
  object_class->finalize = natter_openrouter_signin_finalize;
}

static void
natter_openrouter_signin_init (NatterOpenrouterSignin *self)
{
}

NatterOpenrouterSignin *
natter_openrouter_signin_new (const char *auth_url,
                              const char *api_base)
{
  NatterOpenrouterSignin *self;
  const char *env = g_getenv ("NATTER_OPENROUTER_AUTH_URL");

  g_return_val_if_fail (api_base != NULL, NULL);

  self = g_object_new (NATTER_TYPE_OPENROUTER_SIGNIN, NULL);
  if (auth_url != NULL)
    self->auth_url = g_strdup (auth_url);
  else if (env != NULL && *env != '\0')
    self->auth_url = g_strdup (env);
  else
    self->auth_url = g_strdup (NATTER_OPENROUTER_AUTH_URL);
  self->api_base = g_strdup (api_base);
  while (g_str_has_suffix (self->api_base, "/"))
    self->api_base[strlen (self->api_base) - 1] = '\0';
  return self;
}

static void exchange_code (NatterOpenrouterSignin *self);

static void
callback_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  NatterOpenrouterSignin *self = user_data;
  const char *code = query != NULL ? g_hash_table_lookup (query, "code") : NULL;
  static const char page_ok[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Natter</title></head>"
    "<body><p>Signed in. You can close this tab and return to Natter.</p></body></html>";
  static const char page_bad[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Natter</title></head>"
    "<body><p>Sign-in did not complete. Return to Natter and try again.</p></body></html>";

  if (self->called_back)
    {
      soup_server_message_set_status (msg, 410, NULL);
      return;
    }

  self->called_back = TRUE;
  if (code == NULL || *code == '\0' || strlen (code) > 4096)
    {
      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                        page_bad, strlen (page_bad));
      if (self->task != NULL)
        finish_wait (self, g_error_new_literal (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_AUTH,
                                                _("OpenRouter did not sign in: no authorization code came back")));
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                    page_ok, strlen (page_ok));
  self->code = g_strdup (code);
  if (self->task != NULL)
    exchange_code (self);
}

gboolean
natter_openrouter_signin_start (NatterOpenrouterSignin  *self,
                                GError                 **error)
{
  guint8 random[32];
  g_autoptr(GSList) uris = NULL;
  g_autofree char *callback = NULL;
  g_autofree char *callback_escaped = NULL;
  guint port;

  g_return_val_if_fail (NATTER_IS_OPENROUTER_SIGNIN (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  if (getrandom (random, sizeof random, 0) != sizeof random)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not get random bytes for the sign-in"));
      return FALSE;
    }
  self->verifier = base64url (random, sizeof random);
  memset (random, 0, sizeof random);
  self->challenge = natter_pkce_challenge (self->verifier);

  self->server = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_handler (self->server, "/callback", callback_handler, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }
  uris = soup_server_get_uris (self->server);
  if (uris == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not listen on a local port for the sign-in"));
      stop_listening (self);
      return FALSE;
    }
  port = g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  callback = g_strdup_printf ("http://127.0.0.1:%u/callback", port);
  callback_escaped = g_uri_escape_string (callback, NULL, FALSE);
  self->url = g_strdup_printf ("%s?callback_url=%s&code_challenge=%s&code_challenge_method=S256",
                               self->auth_url, callback_escaped, self->challenge);
  return TRUE;
}

const char *
natter_openrouter_signin_get_url (NatterOpenrouterSignin *self)
{
  g_return_val_if_fail (NATTER_IS_OPENROUTER_SIGNIN (self), NULL);
  return self->url;
}

const char *
natter_openrouter_signin_get_code_challenge (NatterOpenrouterSignin *self)
{
  g_return_val_if_fail (NATTER_IS_OPENROUTER_SIGNIN (self), NULL);
  return self->challenge;
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(NatterOpenrouterSignin) self = user_data;
  GError *error = NULL;

  if (!natter_secrets_store_finish (result, &error))
    finish_wait (self, error);
  else if (self->task == NULL)
    /* Cancelled or timed out while the key was being stored: it goes. */
    natter_secrets_clear_sync (self->uuid, NATTER_SECRET_API_KEY, NULL, NULL);
  else
    finish_wait (self, NULL);
}

static char *
error_message (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  JsonNode *root;
  JsonObject *object;

  if (data == NULL || len == 0 || len > MAX_EXCHANGE_BODY ||
      !natter_json_parser_load (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (json_object_has_member (object, "error") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    object = json_object_get_object_member (object, "error");
  return g_strdup (json_object_get_string_member_with_default (object, "message", NULL));
}

static void
exchanged_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(NatterOpenrouterSignin) self = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = NULL;
  GError *error = NULL;
  WaitData *wd;
  const char *data;
  const char *key;
  gsize len = 0;
  guint status;
  JsonNode *root;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (self->task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      g_clear_error (&error);
      finish_wait (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sign-in cancelled")));
      return;
    }
  if (body == NULL)
    {
      finish_wait (self, g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_NETWORK,
                                      _("Could not reach OpenRouter to finish signing in: %s"),
                                      error->message));
      g_error_free (error);
      return;
    }

  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *message = error_message (body);

      finish_wait (self, g_error_new (NATTER_REQUEST_ERROR, natter_error_category_from_status (status),
                                      _("OpenRouter refused the sign-in (HTTP %u): %s"), status,
                                      message != NULL ? message : natter_error_category_describe (natter_error_category_from_status (status))));
      return;
    }

  data = g_bytes_get_data (body, &len);
  parser = json_parser_new ();
  if (data == NULL || len > MAX_EXCHANGE_BODY ||
      !natter_json_parser_load (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (key = json_object_get_string_member_with_default (json_node_get_object (root), "key", NULL)) == NULL ||
      *key == '\0')
    {
      finish_wait (self, g_error_new_literal (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_PROTOCOL,
                                              _("OpenRouter's answer to the sign-in has no key")));
      return;
    }

  wd = g_task_get_task_data (self->task);
  natter_secrets_store_async (wd->uuid, NATTER_SECRET_API_KEY, wd->name, key,
                              NULL, stored_cb, g_object_ref (self));
}

static void
exchange_code (NatterOpenrouterSignin *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = g_strconcat (self->api_base, "/auth/keys", NULL);
  char *text;

  /* A second callback is refused (one-shot); time-out and cancel still
   * apply until the key is stored. */

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, self->code);
  json_builder_set_member_name (builder, "code_verifier");
  json_builder_add_string_value (builder, self->verifier);
  json_builder_set_member_name (builder, "code_challenge_method");
  json_builder_add_string_value (builder, "S256");
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  text = json_to_string (node, FALSE);
  bytes = g_bytes_new_take (text, strlen (text));

  msg = soup_message_new ("POST", url);
  if (msg == NULL)
    {
      finish_wait (self, g_error_new (NATTER_REQUEST_ERROR, NATTER_ERROR_CATEGORY_BAD_REQUEST,
                                      _("“%s” is not a valid address"), url));
      return;
    }
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("timeout", 60, NULL);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (self->task),
                                    exchanged_cb, g_object_ref (self));
}

static gboolean
timeout_cb (gpointer user_data)
{
  NatterOpenrouterSignin *self = user_data;

  self->timeout_id = 0;
  finish_wait (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                          _("Signing in with OpenRouter timed out")));
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_idle (gpointer user_data)
{
  NatterOpenrouterSignin *self = user_data;

  finish_wait (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                          _("Sign-in cancelled")));
  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  /* Not from inside the cancellable's own signal. */
  g_idle_add_full (G_PRIORITY_DEFAULT, cancelled_idle, g_object_ref (user_data), g_object_unref);
}

void
natter_openrouter_signin_wait_async (NatterOpenrouterSignin *self,
                                     const char             *profile_uuid,
                                     const char             *profile_name,
                                     guint                   timeout_s,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  WaitData *wd;

  g_return_if_fail (NATTER_IS_OPENROUTER_SIGNIN (self));
  g_return_if_fail (profile_uuid != NULL && *profile_uuid != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, natter_openrouter_signin_wait_async);
  g_task_set_check_cancellable (task, FALSE);

  if (self->task != NULL || self->server == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("This sign-in is not waiting (start it once, wait once)"));
      return;
    }

  wd = g_new0 (WaitData, 1);
  wd->uuid = g_strdup (profile_uuid);
  wd->name = g_strdup (profile_name != NULL ? profile_name : profile_uuid);
  g_free (self->uuid);
  self->uuid = g_strdup (profile_uuid);
  g_task_set_task_data (task, wd, (GDestroyNotify) wait_data_free);
  self->task = g_steal_pointer (&task);

  self->timeout_id = g_timeout_add_seconds (MAX (timeout_s, 1), timeout_cb, self);
  if (cancellable != NULL)
    self->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);

  if (self->code != NULL)
    exchange_code (self);
}

gboolean
natter_openrouter_signin_wait_finish (NatterOpenrouterSignin  *self,
                                      GAsyncResult            *result,
                                      GError                 **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
